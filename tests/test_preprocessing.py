"""Behaviour of the row-preserving transformers and helpers, via the public API."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from probes import NaNRefusingRegressor, seasonal_panel
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    Differencer,
    LagWindower,
    RelativeWindower,
    To3D,
    make_supervised,
    to_3d,
)

NAN = np.nan


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------


# these tests fit fewer rows than look_back on purpose: LagWindower warns
SHORT_DATA = pytest.mark.filterwarnings("ignore:LagWindower\\(look_back=:UserWarning")


@pytest.fixture
def two_features():
    """Six rows, two features: row t is (10*t, 10*t + 1)."""
    return np.array([[10.0 * t, 10.0 * t + 1] for t in range(6)])


@pytest.fixture
def frame():
    """A 12-row, 2-column DataFrame with a RangeIndex; row t is (t, 100 + t)."""
    rng = np.random.default_rng(0)
    t = np.arange(12, dtype=float)
    noise = rng.normal(size=12).round(2)
    return pd.DataFrame({"a": t, "b": 100 + t + noise})


@pytest.fixture
def series_frame():
    """A 40-row single-column DataFrame with a RangeIndex (a noisy trend)."""
    rng = np.random.default_rng(42)
    values = np.linspace(10, 50, 40) + rng.normal(scale=2.0, size=40)
    return pd.DataFrame({"passengers": values})


def _row_encoded(n_rows, n_features):
    """Row t, feature f holds 1000 * t + f (exact in float32 for t < 16000)."""
    return 1000.0 * np.arange(n_rows)[:, None] + np.arange(n_features)[None, :]


# --------------------------------------------------------------------------
# LagWindower: values and layout
# --------------------------------------------------------------------------


def test_lagwindower_exact_values_two_features(two_features):
    out = LagWindower(look_back=3).fit_transform(two_features)
    assert out.shape == (6, 6)
    expected = np.array(
        [
            [NAN, NAN, NAN, NAN, 0, 1],
            [NAN, NAN, 0, 1, 10, 11],
            [0, 1, 10, 11, 20, 21],
            [10, 11, 20, 21, 30, 31],
            [20, 21, 30, 31, 40, 41],
            [30, 31, 40, 41, 50, 51],
        ]
    )
    assert_array_equal(out, expected)


@SHORT_DATA
def test_lagwindower_keeps_row_count_for_every_look_back(two_features):
    for look_back in (1, 2, 6, 10):
        out = LagWindower(look_back=look_back).fit_transform(two_features)
        assert out.shape == (6, 2 * look_back)


def test_lagwindower_look_back_1_is_identity(two_features):
    out = LagWindower(look_back=1).fit_transform(two_features)
    assert_array_equal(out, two_features)


def test_lagwindower_look_back_longer_than_data_is_nan_padded(two_features):
    with pytest.warns(UserWarning, match=r"look_back=8\) was fitted on 6 rows"):
        out = LagWindower(look_back=8).fit_transform(two_features)
    # row 0 has 7 missing steps (14 NaN) then its own two values
    assert np.isnan(out[0, :14]).all()
    assert_array_equal(out[0, 14:], [0, 1])
    # last row: 2 missing steps, then rows 0..5 oldest first
    assert np.isnan(out[5, :4]).all()
    assert_array_equal(out[5, 4:], two_features.ravel())


@SHORT_DATA
@settings(max_examples=60, deadline=None)
@given(
    n_rows=st.integers(1, 25),
    n_features=st.integers(1, 3),
    look_back=st.integers(1, 7),
)
def test_lagwindower_never_reads_a_later_row(n_rows, n_features, look_back):
    X = _row_encoded(n_rows, n_features)
    out = LagWindower(look_back=look_back).fit_transform(X)
    assert out.shape == (n_rows, look_back * n_features)
    windows = out.reshape(n_rows, look_back, n_features)
    for t in range(n_rows):
        for k in range(look_back):
            source_row = t - (look_back - 1) + k  # step k, oldest first
            for f in range(n_features):
                value = windows[t, k, f]
                if source_row < 0:
                    assert np.isnan(value)
                    continue
                row, feature = divmod(int(value), 1000)
                assert row <= t, "an output value came from a later row"
                assert row == source_row
                assert feature == f


@SHORT_DATA
@settings(max_examples=40, deadline=None)
@given(
    n_rows=st.integers(2, 25),
    look_back=st.integers(1, 7),
    data=st.data(),
)
def test_lagwindower_continuing_fold_equals_whole_series(n_rows, look_back, data):
    """Fit on the head, transform the tail: identical to windowing the whole."""
    split = data.draw(st.integers(1, n_rows - 1))
    df = pd.DataFrame(_row_encoded(n_rows, 2), columns=["u", "v"])
    whole = LagWindower(look_back).fit_transform(df)
    tail = LagWindower(look_back).fit(df.iloc[:split]).transform(df.iloc[split:])
    assert_array_equal(tail, whole[split:])


def test_lagwindower_default_dtype_is_float32(two_features):
    out = LagWindower(look_back=2).fit_transform(two_features.astype(np.int64))
    assert out.dtype == np.float32


def test_lagwindower_float64_option_keeps_precision():
    X = np.array([[0.1 + 1e-12], [0.2 + 1e-12]])
    out = LagWindower(look_back=2, dtype=np.float64).fit_transform(X)
    assert out.dtype == np.float64
    assert out[1, 0] == X[0, 0]
    assert out[1, 1] == X[1, 0]
    # the float32 default really rounds these values
    assert LagWindower(look_back=2).fit_transform(X)[1, 0] != X[0, 0]


def test_lagwindower_does_not_modify_input(frame, two_features):
    X = two_features.copy()
    LagWindower(look_back=3).fit_transform(X)
    assert_array_equal(X, two_features)
    before = frame.copy()
    lags = LagWindower(look_back=3).fit(frame.iloc[:6])
    lags.transform(frame.iloc[6:])
    lags.fit_transform(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_lagwindower_feature_names_single_column():
    df = pd.DataFrame({"passengers": np.arange(5.0)})
    names = LagWindower(look_back=3).fit(df).get_feature_names_out()
    assert list(names) == ["passengers_lag2", "passengers_lag1", "passengers_lag0"]


def test_lagwindower_feature_names_two_columns_match_layout(frame):
    names = LagWindower(look_back=2).fit(frame).get_feature_names_out()
    assert list(names) == ["a_lag1", "b_lag1", "a_lag0", "b_lag0"]
    numpy_names = LagWindower(look_back=2).fit(frame.to_numpy()).get_feature_names_out()
    assert list(numpy_names) == ["x0_lag1", "x1_lag1", "x0_lag0", "x1_lag0"]


def test_lagwindower_set_output_pandas_keeps_index(frame):
    df = frame.set_index(pd.RangeIndex(100, 112))
    out = LagWindower(look_back=2).set_output(transform="pandas").fit_transform(df)
    assert isinstance(out, pd.DataFrame)
    pd.testing.assert_index_equal(out.index, df.index)
    assert list(out.columns) == ["a_lag1", "b_lag1", "a_lag0", "b_lag0"]
    assert_array_equal(out["a_lag1"].to_numpy()[1:], df["a"].to_numpy()[:-1])


# --------------------------------------------------------------------------
# LagWindower: pandas index memory
# --------------------------------------------------------------------------


def _expected_continuation(values, split, look_back):
    """Windows of rows split.. computed from the whole series."""
    whole = LagWindower(look_back, dtype=np.float64).fit_transform(values)
    return whole[split:]


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(12),
        pd.RangeIndex(50, 62),
        pd.Index(np.arange(7, 19), dtype="int64"),
        pd.period_range("1949-01", periods=12, freq="M"),
        pd.date_range("2020-01-01", periods=12, freq="D"),
        pd.date_range("2020-01-31", periods=12, freq="ME"),
    ],
    ids=["range", "range-offset", "int64", "period-monthly", "daily", "month-end"],
)
def test_lagwindower_continuing_index_uses_memory(frame, index):
    df = frame.set_index(index)
    lags = LagWindower(look_back=3, dtype=np.float64).fit(df.iloc[:8])
    out = lags.transform(df.iloc[8:])
    assert not np.isnan(out).any()
    assert_array_equal(out, _expected_continuation(frame.to_numpy(), 8, 3))
    # first test row: rows 6 and 7 of the fit data, then its own row 8
    assert_array_equal(out[0], frame.to_numpy()[6:9].ravel())


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(12),
        pd.period_range("1949-01", periods=12, freq="M"),
        pd.date_range("2020-01-01", periods=12, freq="D"),
    ],
    ids=["range", "period-monthly", "daily"],
)
def test_lagwindower_gap_in_index_gives_nan_padding(frame, index):
    df = frame.set_index(index)
    lags = LagWindower(look_back=3).fit(df.iloc[:6])
    out = lags.transform(df.iloc[7:])  # row 6 is skipped: a gap
    fresh = LagWindower(look_back=3).fit_transform(df.iloc[7:])
    assert_array_equal(out, fresh)
    assert np.isnan(out[0, :4]).all()
    assert np.isnan(out[1, :2]).all()
    assert not np.isnan(out[2:]).any()


def test_lagwindower_transform_on_fitted_data_has_no_memory(frame):
    lags = LagWindower(look_back=3).fit(frame)
    out = lags.transform(frame)
    assert_array_equal(out, LagWindower(look_back=3).fit_transform(frame.to_numpy()))
    assert np.isnan(out[0, :4]).all()
    assert np.isnan(out[1, :2]).all()


def test_lagwindower_overlapping_rows_have_no_memory(frame):
    lags = LagWindower(look_back=3).fit(frame.iloc[:8])
    out = lags.transform(frame.iloc[5:])  # rows 5..7 were seen in fit
    assert np.isnan(out[0, :4]).all()
    assert np.isnan(out[1, :2]).all()
    # row 5's own values are at lag0; nothing from rows 6, 7 of the memory
    assert_array_equal(out[0, 4:], frame.to_numpy(dtype=np.float32)[5])


def test_lagwindower_numpy_input_has_no_memory(frame):
    values = frame.to_numpy()
    lags = LagWindower(look_back=3).fit(values[:8])
    out = lags.transform(values[8:])
    assert np.isnan(out[0, :4]).all()
    assert np.isnan(out[1, :2]).all()
    assert not np.isnan(out[2:]).any()
    assert lags.history_.shape == (0, 2)


def test_lagwindower_string_index_has_no_memory(frame):
    df = frame.set_index(pd.Index([f"r{i}" for i in range(12)]))
    out = LagWindower(look_back=3).fit(df.iloc[:8]).transform(df.iloc[8:])
    assert np.isnan(out[0, :4]).all()


@SHORT_DATA
def test_lagwindower_short_fit_gives_partial_memory():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    lags = LagWindower(look_back=5).fit(df.iloc[:2])  # 2 rows < look_back - 1
    out = lags.transform(df.iloc[2:])
    assert_array_equal(out[0], [NAN, NAN, 1, 2, 3])
    assert_array_equal(out[1], [NAN, 1, 2, 3, 4])
    assert_array_equal(out[2], [1, 2, 3, 4, 5])
    assert_array_equal(out[3], [2, 3, 4, 5, 6])


def test_lagwindower_memory_is_not_used_for_numpy_after_pandas_fit(frame):
    lags = LagWindower(look_back=3).fit(frame.iloc[:8])
    with pytest.warns(UserWarning, match="feature names"):
        out = lags.transform(frame.iloc[8:].to_numpy())
    assert np.isnan(out[0, :4]).all()


# --------------------------------------------------------------------------
# Pipelines with TimeSeriesSplit
# --------------------------------------------------------------------------


def _supervised(series_frame):
    X, y = make_supervised(series_frame["passengers"])
    return X, y


def _pipe():
    return Pipeline(
        [
            ("scaler", MinMaxScaler()),
            ("lags", LagWindower(3)),
            ("model", NaNRefusingRegressor()),
        ]
    )


def test_pipeline_pandas_output_gives_complete_test_windows(series_frame):
    X, y = _supervised(series_frame)
    pipe = _pipe().set_output(transform="pandas")
    scores = cross_val_score(
        pipe, X, y, cv=TimeSeriesSplit(n_splits=3), error_score="raise"
    )
    assert scores.shape == (3,)
    assert np.isfinite(scores).all()


def test_pipeline_pandas_output_manual_split_values(series_frame):
    X, y = _supervised(series_frame)
    pipe = _pipe().set_output(transform="pandas")
    train, test = list(TimeSeriesSplit(n_splits=3).split(X))[-1]
    pipe.fit(X.iloc[train], y.iloc[train])
    windows = pipe[:-1].transform(X.iloc[test])
    assert isinstance(windows, pd.DataFrame)
    pd.testing.assert_index_equal(windows.index, X.index[test])
    assert not windows.isna().any().any()
    # the first test window starts with the last two (scaled) training rows
    scaler = pipe.named_steps["scaler"]
    scaled = scaler.transform(X.iloc[np.r_[train[-2:], test[:1]]]).to_numpy().ravel()
    assert_allclose(windows.iloc[0].to_numpy(), scaled, rtol=1e-6)
    assert pipe.predict(X.iloc[test]).shape == (len(test),)


def test_pipeline_numpy_output_nan_pads_fold_starts(series_frame):
    X, y = _supervised(series_frame)
    pipe = _pipe()  # no set_output: the scaler hands numpy to LagWindower
    with pytest.raises(ValueError, match=r"NaN in predict rows \[0, 1\]"):
        cross_val_score(pipe, X, y, cv=TimeSeriesSplit(n_splits=3), error_score="raise")
    train, test = list(TimeSeriesSplit(n_splits=3).split(X))[-1]
    pipe.fit(X.iloc[train], y.iloc[train])
    windows = pipe[:-1].transform(X.iloc[test])
    assert np.isnan(windows[0, :2]).all()
    assert np.isnan(windows[1, :1]).all()
    assert not np.isnan(windows[2:]).any()


def test_pipeline_lagwindower_first_keeps_memory_without_set_output(series_frame):
    X, y = _supervised(series_frame)
    pipe = Pipeline([("lags", LagWindower(3)), ("model", NaNRefusingRegressor())])
    scores = cross_val_score(
        pipe, X, y, cv=TimeSeriesSplit(n_splits=3), error_score="raise"
    )
    assert np.isfinite(scores).all()


def test_pipeline_with_to3d_accepts_pandas_set_output(frame):
    pipe = Pipeline([("lags", LagWindower(3)), ("to3d", To3D(n_features=2))])
    pipe.set_output(transform="pandas")
    out = pipe.fit_transform(frame)
    assert type(out) is np.ndarray
    assert out.shape == (12, 3, 2)
    assert_array_equal(out[5], frame.to_numpy(dtype=np.float32)[3:6])


# --------------------------------------------------------------------------
# Differencer
# --------------------------------------------------------------------------


@pytest.fixture
def levels():
    return np.array([[1.0, 10.0], [3.0, 20.0], [6.0, 40.0], [10.0, 80.0]])


def test_differencer_lag1_values(levels):
    out = Differencer().fit_transform(levels)
    assert out.dtype == np.float32
    assert_array_equal(out, [[NAN, NAN], [2, 10], [3, 20], [4, 40]])


def test_differencer_lag2_values(levels):
    out = Differencer(lag=2).fit_transform(levels)
    assert_array_equal(out, [[NAN, NAN], [NAN, NAN], [5, 30], [7, 60]])


def test_differencer_log_values(levels):
    out = Differencer(log=True, dtype=np.float64).fit_transform(levels)
    assert np.isnan(out[0]).all()
    assert_allclose(out[1:, 1], np.log(2.0) * np.ones(3))
    assert_allclose(out[1:, 0], np.log([3.0, 2.0, 10.0 / 6.0]))


def test_differencer_lag_longer_than_data_is_all_nan(levels):
    assert np.isnan(Differencer(lag=4).fit_transform(levels)).all()


def test_differencer_continuing_index_uses_memory(levels):
    df = pd.DataFrame(levels, columns=["a", "b"])
    df.index = pd.period_range("2000-01", periods=4, freq="M")
    out = Differencer(lag=2).fit(df.iloc[:2]).transform(df.iloc[2:])
    assert_array_equal(out, [[5, 30], [7, 60]])


def test_differencer_gap_and_overlap_have_no_memory(levels):
    df = pd.DataFrame(levels, columns=["a", "b"])
    diff = Differencer().fit(df.iloc[:2])
    assert np.isnan(diff.transform(df.iloc[3:])[0]).all()  # gap
    assert np.isnan(diff.transform(df.iloc[1:])[0]).all()  # overlap
    assert np.isnan(diff.transform(df)[0]).all()  # fitted data itself
    assert np.isnan(Differencer().fit(levels[:2]).transform(levels[2:])[0]).all()


@settings(max_examples=30, deadline=None)
@given(n_rows=st.integers(2, 20), lag=st.integers(1, 5), data=st.data())
def test_differencer_continuing_fold_equals_whole_series(n_rows, lag, data):
    split = data.draw(st.integers(1, n_rows - 1))
    df = pd.DataFrame({"x": (np.arange(n_rows) ** 2).astype(float)})
    whole = Differencer(lag=lag).fit_transform(df)
    tail = Differencer(lag=lag).fit(df.iloc[:split]).transform(df.iloc[split:])
    assert_array_equal(tail, whole[split:])


def test_differencer_log_rejects_non_positive_values_naming_rows():
    X = np.array([[1.0, 2.0], [0.0, 3.0], [4.0, 5.0], [6.0, -1.0]])
    with pytest.raises(
        ValueError,
        match=r"must be positive; zero or negative values are in rows \[1, 3\]",
    ):
        Differencer(log=True).fit(X)
    diff = Differencer(log=True).fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"rows \[1, 3\]"):
        diff.transform(X)


def test_differencer_feature_names():
    df = pd.DataFrame({"passengers": [1.0, 2.0, 3.0]})
    assert list(Differencer().fit(df).get_feature_names_out()) == ["passengers_diff1"]
    assert list(Differencer(lag=12, log=True).fit(df).get_feature_names_out()) == [
        "passengers_logdiff12"
    ]


def test_differencer_does_not_modify_input(levels):
    X = levels.copy()
    Differencer(log=True).fit_transform(X)
    assert_array_equal(X, levels)


# --------------------------------------------------------------------------
# Bad input to the row-history transformers
# --------------------------------------------------------------------------


ROW_TRANSFORMERS = [
    pytest.param(lambda v: LagWindower(look_back=v), id="LagWindower"),
    pytest.param(lambda v: Differencer(lag=v), id="Differencer"),
]


@pytest.mark.parametrize("make", ROW_TRANSFORMERS)
@pytest.mark.parametrize("bad", [0, -1, 1.5, "3"])
def test_bad_window_length_raises_at_fit(make, bad):
    transformer = make(bad)  # nothing is validated in __init__
    name = "look_back" if isinstance(transformer, LagWindower) else "lag"
    with pytest.raises(ValueError, match=rf"'{name}' parameter"):
        transformer.fit(np.ones((5, 1)))


@pytest.mark.parametrize("make", ROW_TRANSFORMERS)
def test_1d_input_asks_for_reshape(make):
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        make(2).fit(np.arange(5.0))
    fitted = make(2).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        fitted.transform(np.arange(5.0))


@pytest.mark.parametrize("make", ROW_TRANSFORMERS)
def test_series_input_asks_for_to_frame(make):
    with pytest.raises(ValueError, match=r"to_frame\(\)"):
        make(2).fit(pd.Series(np.arange(5.0), name="x"))


@pytest.mark.parametrize("make", ROW_TRANSFORMERS)
def test_3d_input_is_refused(make):
    with pytest.raises(ValueError, match=r"3 dimensions, shape \(4, 3, 2\)"):
        make(2).fit(np.ones((4, 3, 2)))


@pytest.mark.parametrize("make", ROW_TRANSFORMERS)
def test_non_numeric_column_is_a_type_error_naming_it(make):
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "city": ["a", "b", "c"]})
    with pytest.raises(TypeError, match=r"not: \['city'\]"):
        make(2).fit(df)


# --------------------------------------------------------------------------
# pickle and clone
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "transformer",
    [LagWindower(look_back=3), Differencer(lag=2), Differencer(log=True)],
    ids=["LagWindower", "Differencer", "Differencer-log"],
)
def test_pickle_and_clone_round_trips_keep_output(transformer, frame):
    positive = frame + 1.0
    train, test = positive.iloc[:8], positive.iloc[8:]
    fitted = clone(transformer).fit(train)
    expected = fitted.transform(test)
    assert not np.isnan(expected).any()  # memory was used

    restored = pickle.loads(pickle.dumps(fitted))
    assert_array_equal(restored.transform(test), expected)

    cloned = clone(fitted)
    assert cloned.get_params() == fitted.get_params()
    with pytest.raises(NotFittedError):
        cloned.transform(test)
    assert_array_equal(cloned.fit(train).transform(test), expected)


def test_pickle_round_trip_to3d():
    X = np.arange(12.0).reshape(2, 6)
    fitted = To3D(n_features=2).fit(X)
    restored = pickle.loads(pickle.dumps(fitted))
    assert_array_equal(restored.transform(X), fitted.transform(X))
    assert_array_equal(clone(fitted).fit(X).transform(X), fitted.transform(X))


# --------------------------------------------------------------------------
# To3D
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "shape"),
    [
        ({}, (6, 1)),
        ({"time_steps": 6}, (6, 1)),
        ({"time_steps": 2}, (2, 3)),
        ({"time_steps": 3}, (3, 2)),
        ({"n_features": 2}, (3, 2)),
        ({"n_features": 6}, (1, 6)),
        ({"time_steps": 3, "n_features": 2}, (3, 2)),
        ({"time_steps": 1, "n_features": 6}, (1, 6)),
        ({"time_steps": 1}, (1, 6)),
    ],
)
def test_to3d_time_steps_and_n_features(params, shape):
    X = np.arange(24.0).reshape(4, 6)
    out = To3D(**params).fit_transform(X)
    assert out.shape == (4, *shape)
    assert_array_equal(out.reshape(4, 6), X)  # row-major: oldest step first


def test_to3d_undoes_lagwindower_layout(two_features):
    windows = LagWindower(look_back=3).fit_transform(two_features)
    out = To3D(time_steps=3).fit_transform(windows)
    assert out.shape == (6, 3, 2)
    assert_array_equal(out[4], two_features[2:5])  # steps oldest first


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"time_steps": 2}, r"cannot split 5 columns: 2 time steps x 2 features = 4"),
        ({"n_features": 3}, r"cannot split 5 columns: 1 time steps x 3 features = 3"),
        (
            {"time_steps": 2, "n_features": 3},
            r"cannot split 5 columns: 2 time steps x 3 features = 6",
        ),
    ],
)
def test_to3d_split_that_does_not_divide_raises(params, message):
    with pytest.raises(ValueError, match=message):
        To3D(**params).fit(np.zeros((4, 5)))


def test_to3d_wrong_column_count_in_transform():
    to3d = To3D(time_steps=2).fit(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="features"):
        to3d.transform(np.zeros((3, 6)))


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2"])
def test_to3d_bad_params_raise_at_fit(bad):
    with pytest.raises(ValueError, match="'time_steps' parameter"):
        To3D(time_steps=bad).fit(np.zeros((2, 4)))


def test_to3d_refuses_3d_input():
    with pytest.raises(ValueError, match="already 3D"):
        To3D().fit(np.zeros((2, 3, 1)))


def test_to3d_set_output_pandas_stays_ndarray():
    df = pd.DataFrame(np.arange(8.0).reshape(2, 4), columns=list("abcd"))
    out = To3D(n_features=2).set_output(transform="pandas").fit_transform(df)
    assert type(out) is np.ndarray
    assert out.shape == (2, 2, 2)


# --------------------------------------------------------------------------
# to_3d
# --------------------------------------------------------------------------


def test_to_3d_one_1d_sequence():
    out = to_3d(np.arange(10))
    assert out.shape == (1, 10, 1)
    assert out.dtype == np.float32
    assert_array_equal(out[0, :, 0], np.arange(10))


def test_to_3d_one_2d_table():
    X = np.arange(20).reshape(10, 2)
    out = to_3d(X)
    assert out.shape == (1, 10, 2)
    assert_array_equal(out[0], X)


def test_to_3d_dataframe_and_series():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]})
    out = to_3d(df)
    assert out.shape == (1, 3, 2)
    assert_array_equal(out[0], df.to_numpy())
    out = to_3d(df["b"])
    assert out.shape == (1, 3, 1)
    assert_array_equal(out[0, :, 0], [4, 5, 6])


def test_to_3d_list_of_numbers_is_one_sequence():
    assert to_3d([1, 2, 3]).shape == (1, 3, 1)


def test_to_3d_pads_pre_with_nan():
    out = to_3d([[1, 2, 3], [4], [5, 6]])
    assert out.shape == (3, 3, 1)
    assert_array_equal(out[:, :, 0], [[1, 2, 3], [NAN, NAN, 4], [NAN, 5, 6]])


def test_to_3d_pads_post_with_nan():
    out = to_3d([[1, 2, 3], [4], [5, 6]], padding="post")
    assert_array_equal(out[:, :, 0], [[1, 2, 3], [4, NAN, NAN], [5, 6, NAN]])


def test_to_3d_pads_multi_feature_sequences():
    a = np.array([[1, 10], [2, 20], [3, 30]])
    b = np.array([[4, 40]])
    out = to_3d([a, b])
    assert out.shape == (2, 3, 2)
    assert_array_equal(out[1], [[NAN, NAN], [NAN, NAN], [4, 40]])
    out = to_3d([a, b], padding="post")
    assert_array_equal(out[1], [[4, 40], [NAN, NAN], [NAN, NAN]])


def test_to_3d_different_feature_counts_raise():
    with pytest.raises(ValueError, match=r"same number of features.*\[2, 3\]"):
        to_3d([np.zeros((4, 2)), np.zeros((4, 3))])


@pytest.mark.parametrize("padding", ["middle", None, "PRE"])
def test_to_3d_bad_padding_raises(padding):
    with pytest.raises(
        ValueError, match="'padding' parameter of to_3d must be a str among"
    ):
        to_3d([[1, 2], [3]], padding=padding)


def test_to_3d_refuses_3d_sequence():
    with pytest.raises(ValueError, match=r"sequence 0 has shape \(2, 3, 4\)"):
        to_3d(np.zeros((2, 3, 4)))


# --------------------------------------------------------------------------
# make_supervised
# --------------------------------------------------------------------------


def test_make_supervised_numpy_1d():
    X, y = make_supervised(np.array([10, 20, 30, 40, 50]))
    assert X.shape == (4, 1)
    assert_array_equal(X[:, 0], [10, 20, 30, 40])
    assert_array_equal(y, [20, 30, 40, 50])


def test_make_supervised_numpy_2d_target_position():
    data = np.array([[1, 10], [2, 20], [3, 30], [4, 40]])
    X, y = make_supervised(data, target=1)
    assert_array_equal(X, data[:3])
    assert_array_equal(y, [20, 30, 40])
    _, y0 = make_supervised(data, target=0)
    assert_array_equal(y0, [2, 3, 4])


def test_make_supervised_series_keeps_index():
    index = pd.period_range("1949-01", periods=5, freq="M")
    s = pd.Series([112, 118, 132, 129, 121], index=index, name="passengers")
    X, y = make_supervised(s)
    assert isinstance(X, pd.DataFrame)
    assert list(X.columns) == ["passengers"]
    pd.testing.assert_index_equal(X.index, index[:4])
    assert isinstance(y, pd.Series)
    assert y.name == "passengers"
    pd.testing.assert_index_equal(y.index, index[:4])
    # y at t is the value at t+1
    for t in y.index:
        assert y[t] == s[t + 1]
    assert_array_equal(y.to_numpy(), [118, 132, 129, 121])


def test_make_supervised_dataframe_with_target():
    df = pd.DataFrame(
        {"temp": [1.0, 2.0, 3.0, 4.0], "load": [10.0, 20.0, 30.0, 40.0]},
        index=pd.RangeIndex(100, 104),
    )
    X, y = make_supervised(df, target="load")
    pd.testing.assert_frame_equal(X, df.iloc[:3])
    assert y.name == "load"
    assert list(y.index) == [100, 101, 102]
    assert_array_equal(y.to_numpy(), [20, 30, 40])


def test_make_supervised_horizon_columns():
    s = pd.Series(np.arange(6.0) * 10, name="x")
    X, y = make_supervised(s, horizon=3)
    assert len(X) == 3
    assert list(y.columns) == ["x_t+1", "x_t+2", "x_t+3"]
    pd.testing.assert_index_equal(y.index, X.index)
    assert_array_equal(y.to_numpy(), [[10, 20, 30], [20, 30, 40], [30, 40, 50]])


def test_make_supervised_horizon_numpy():
    X, y = make_supervised(np.arange(5), horizon=2)
    assert_array_equal(X[:, 0], [0, 1, 2])
    assert_array_equal(y, [[1, 2], [2, 3], [3, 4]])


def test_make_supervised_does_not_modify_input():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    before = df.copy()
    X, _ = make_supervised(df)
    X.iloc[0, 0] = 99.0
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize("horizon", [4, 5])
def test_make_supervised_horizon_too_long(horizon):
    with pytest.raises(ValueError, match=rf"horizon={horizon}.*got 4 rows"):
        make_supervised(np.arange(4), horizon=horizon)


@pytest.mark.parametrize("horizon", [0, -1, 1.5, True])
def test_make_supervised_bad_horizon(horizon):
    with pytest.raises(ValueError, match="'horizon' parameter"):
        make_supervised(np.arange(4), horizon=horizon)


def test_make_supervised_unknown_target():
    df = pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})
    with pytest.raises(ValueError, match=r"unknown target column 'c'"):
        make_supervised(df, target="c")
    with pytest.raises(ValueError, match=r"unknown target column 5"):
        make_supervised(np.ones((4, 2)), target=5)


def test_make_supervised_multi_column_needs_target():
    df = pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})
    with pytest.raises(ValueError, match=r"got 2 columns; name the one.*target="):
        make_supervised(df)


@pytest.mark.parametrize("look_back", [1, 3])
def test_lagwindower_output_is_writable_and_shares_no_memory_with_input(look_back):
    X = np.arange(12, dtype=np.float32).reshape(6, 2)
    out = LagWindower(look_back).fit_transform(X)
    assert out.flags.writeable
    assert not np.shares_memory(out, X)
    out[:] = -1.0  # a user may edit the windows in place
    assert X[0, 0] == 0.0


# --------------------------------------------------------------------------
# precision, dtype and too-short data
# --------------------------------------------------------------------------


@pytest.mark.parametrize("log", [False, True])
def test_differencer_keeps_small_steps_of_a_large_level(log):
    """float32 holds 1e7 + 0.3 as 1e7: the changes are computed in float64."""
    level = pd.DataFrame({"v": 1e7 + np.arange(6) * 0.3})
    out = Differencer(log=log).fit_transform(level).ravel()
    expected = np.diff(np.log(level["v"]) if log else level["v"])
    assert out.dtype == np.float32
    assert_allclose(out[1:], expected, rtol=1e-5)


def test_differencer_memory_keeps_the_level_exactly():
    level = pd.DataFrame({"v": 2e7 + np.arange(8.0)})
    diff = Differencer().fit(level.iloc[:5])
    assert_array_equal(diff.transform(level.iloc[5:]).ravel(), [1.0, 1.0, 1.0])


@pytest.mark.parametrize("make", ROW_TRANSFORMERS)
@pytest.mark.parametrize("dtype", [int, np.int32, bool, "foo", object])
def test_non_float_dtype_is_refused_naming_the_fix(make, dtype):
    with pytest.raises(ValueError, match=r"'dtype' parameter .* floating-point"):
        make(2).set_params(dtype=dtype).fit(np.arange(12.0).reshape(6, 2))


def test_lagwindower_warns_when_no_window_is_complete():
    with pytest.warns(UserWarning, match=r"look_back=7\) was fitted on 6 rows"):
        LagWindower(look_back=7).fit(np.zeros((6, 2)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LagWindower(look_back=6).fit(np.zeros((6, 2)))  # one complete window


def test_lagwindower_memory_follows_an_evenly_spaced_integer_index(frame):
    df = frame.set_index(pd.Index(np.arange(0, 120, 10)))
    lags = LagWindower(look_back=3, dtype=np.float64).fit(df.iloc[:8])
    assert lags.continues_at_ == 80
    out = lags.transform(df.iloc[8:])
    assert_array_equal(out, _expected_continuation(frame.to_numpy(), 8, 3))


@pytest.mark.parametrize("make", ROW_TRANSFORMERS)
def test_dtype_none_is_refused(make):
    with pytest.raises(ValueError, match=r"'dtype' parameter .* Got None"):
        make(2).set_params(dtype=None).fit(np.array([[1], [2], [4]]))


def test_two_labels_are_too_few_to_infer_an_integer_step():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4]}, index=[3, 5, 6, 7])
    lags = LagWindower(look_back=2).fit(df.iloc[:2])
    assert lags.continues_at_ == 6
    assert_array_equal(lags.transform(df.iloc[2:]).ravel(), [2, 3, 3, 4])


def test_nullable_integer_index_with_missing_labels_fits():
    index = pd.Index([1, 2, None, 4], dtype="Int64")
    out = LagWindower(look_back=2).fit_transform(
        pd.DataFrame({"a": [1.0, 2, 3, 4]}, index=index)
    )
    assert out.shape == (4, 2)


# --------------------------------------------------------------------------
# Panels: many series indexed (series, time)
# --------------------------------------------------------------------------


def _ragged_panel():
    """Three monthly series of different lengths, starts and ends."""
    parts = {
        "a": pd.period_range("2020-01", periods=7, freq="M"),
        "b": pd.period_range("2020-04", periods=3, freq="M"),
        "c": pd.period_range("2019-11", periods=9, freq="M"),
    }
    index = pd.MultiIndex.from_tuples(
        [(name, t) for name, times in parts.items() for t in times],
        names=["store", "month"],
    )
    values = np.arange(1.0, len(index) + 1)
    return pd.DataFrame({"sales": values, "price": 100 + values}, index=index)


def _per_series(transformer, panel):
    """The reference: transform each series alone, NaN-padded, and stack."""
    parts = [
        clone(transformer).fit_transform(part.to_numpy())
        for _, part in panel.groupby(level=0, sort=False)
    ]
    return np.concatenate(parts)


@pytest.mark.parametrize(
    "transformer",
    [LagWindower(3), LagWindower(1), Differencer(), Differencer(lag=2, log=True)],
)
def test_panel_rows_read_only_earlier_rows_of_their_own_series(transformer):
    panel = _ragged_panel()
    out = clone(transformer).fit_transform(panel)
    assert_allclose(out, _per_series(transformer, panel), rtol=1e-6)


def test_panel_windows_never_cross_a_series_boundary():
    panel = _ragged_panel()
    out = LagWindower(3).fit(panel).transform(panel)
    first_of_b = panel.index.get_loc(("b", pd.Period("2020-04", "M")))
    # columns: sales/price at lag2, lag1, lag0: the first row of b has no past
    assert np.isnan(out[first_of_b, :4]).all()
    assert_array_equal(out[first_of_b, 4:], panel.iloc[first_of_b].to_numpy())


def test_panel_fold_memory_is_per_series():
    panel = _ragged_panel()
    positions = panel.groupby(level=0, sort=False).cumcount().to_numpy()
    lengths = panel.groupby(level=0, sort=False)["sales"].transform("size").to_numpy()
    test_rows = positions >= lengths - 2  # the last 2 rows of every series
    train, test = panel[~test_rows], panel[test_rows]
    out = LagWindower(3).fit(train).transform(test)
    full = LagWindower(3).fit_transform(panel)
    # every series continues its own fitted rows: its windows are complete
    assert_allclose(out, full[test_rows], rtol=1e-6)


def test_panel_series_unseen_in_fit_or_not_continuing_is_nan_padded():
    panel = _ragged_panel()
    windower = LagWindower(3).fit(panel.loc[["a", "b"]].iloc[:-1])  # b ends early
    later = pd.DataFrame(
        {"sales": [50.0, 51.0, 60.0, 61.0], "price": [1.0, 2.0, 3.0, 4.0]},
        index=pd.MultiIndex.from_tuples(
            [
                ("a", pd.Period("2020-08", "M")),  # continues a
                ("a", pd.Period("2020-09", "M")),
                ("c", pd.Period("2020-08", "M")),  # c was not fitted
                ("c", pd.Period("2020-09", "M")),
            ],
            names=["store", "month"],
        ),
    )
    out = windower.transform(later)
    assert_array_equal(out[0, :4], panel.loc["a"].iloc[-2:].to_numpy().ravel())
    assert np.isnan(out[2, :4]).all() and np.isnan(out[3, :2]).all()
    gap = later.rename(index={"c": "b"}, level=0)  # b's next month is 2020-06
    assert np.isnan(windower.transform(gap)[2, :4]).all()


def test_panel_pipeline_keeps_the_multiindex():
    panel = _ragged_panel()
    pipe = make_pipeline(MinMaxScaler(), Differencer(), LagWindower(2))
    out = pipe.set_output(transform="pandas").fit_transform(panel)
    pd.testing.assert_index_equal(out.index, panel.index)
    assert list(out.columns)[:2] == ["sales_diff1_lag1", "price_diff1_lag1"]


def test_unsorted_panel_is_refused_naming_the_series():
    panel = _ragged_panel().iloc[[0, 1, 7, 2, 3]]  # a, a, b, a, a
    with pytest.raises(ValueError, match=r"LagWindower.*series 'a'.*sort_index"):
        LagWindower(2).fit(panel)


def test_make_supervised_pairs_rows_within_each_series():
    panel = _ragged_panel()
    X, y = make_supervised(panel, horizon=2, target="sales")
    lengths = panel.groupby(level=0, sort=False).size()
    assert len(X) == (lengths - 2).sum()
    pd.testing.assert_index_equal(X.index, y.index)
    assert list(y.columns) == ["sales_t+1", "sales_t+2"]
    for (store, month), row in y.iterrows():
        series = panel.loc[store, "sales"]
        assert_array_equal(row.to_numpy(), [series[month + 1], series[month + 2]])


def test_make_supervised_warns_about_series_shorter_than_the_horizon():
    panel = _ragged_panel()
    with pytest.warns(UserWarning, match=r"1 series .* horizon=3 .*\['b'\]"):
        X, _ = make_supervised(panel["sales"], horizon=3)
    assert "b" not in X.index.get_level_values(0)
    with pytest.raises(ValueError, match="longest series"):
        make_supervised(panel["sales"], horizon=9)


def test_panel_with_mixed_period_frequencies_is_refused():
    index = pd.MultiIndex.from_arrays(
        [
            ["a", "a", "b", "b"],
            [
                pd.Period("2020-01", "M"),
                pd.Period("2020-02", "M"),
                pd.Period("2020Q1", "Q"),
                pd.Period("2020Q2", "Q"),
            ],
        ]
    )
    with pytest.raises(TypeError, match=r"mixes period frequencies \['M', 'Q-DEC'\]"):
        Differencer().fit(pd.DataFrame({"v": [1.0, 2, 3, 4]}, index=index))


def test_three_level_index_is_refused_with_the_fix():
    index = pd.MultiIndex.from_arrays(
        [["s", "s"], ["p", "p"], [1, 2]], names=["store", "product", "t"]
    )
    with pytest.raises(ValueError, match=r"3-level MultiIndex.*Combine the levels"):
        LagWindower(2).fit(pd.DataFrame({"v": [1.0, 2.0]}, index=index))


def test_fitted_panel_pipeline_pickles_with_its_per_series_memory():
    panel = _ragged_panel()
    train, test = panel.groupby(level=0).head(4), panel.groupby(level=0).tail(-4)
    pipe = make_pipeline(MinMaxScaler(), Differencer(), LagWindower(3))
    pipe.set_output(transform="pandas").fit(train)
    restored = pickle.loads(pickle.dumps(pipe))
    pd.testing.assert_frame_equal(restored.transform(test), pipe.transform(test))
    assert not pipe.transform(test).isna().any().any()  # memory filled every window


@pytest.mark.filterwarnings("ignore:LagWindower.*was fitted on")  # short series
@settings(max_examples=40, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 8), min_size=1, max_size=5),
    look_back=st.integers(1, 4),
    lag=st.integers(1, 3),
)
def test_panel_output_never_reads_another_series_or_a_later_row(
    lengths, look_back, lag
):
    # every value encodes its series and time: 1000 * series + time
    index = pd.MultiIndex.from_arrays(
        [
            np.repeat(np.arange(len(lengths)), lengths),
            np.concatenate([np.arange(n) for n in lengths]),
        ]
    )
    codes = index.get_level_values(0).to_numpy()
    times = index.get_level_values(1).to_numpy()
    frame = pd.DataFrame({"v": 1000.0 * codes + times}, index=index)
    windows = LagWindower(look_back, dtype=np.float64).fit_transform(frame)
    for step in range(look_back):  # column step holds lag look_back - 1 - step
        value = windows[:, step]
        seen = ~np.isnan(value)
        assert (value[seen] // 1000 == codes[seen]).all()  # own series only
        assert (value[seen] % 1000 == times[seen] - (look_back - 1 - step)).all()
    changes = Differencer(lag=lag, dtype=np.float64).fit_transform(frame).ravel()
    seen = ~np.isnan(changes)
    assert_array_equal(changes[seen], lag)  # same series, lag rows earlier
    assert_array_equal(seen, times >= lag)


def test_relative_windower_is_lag_windower_relative_to_the_last_value():
    panel = seasonal_panel().to_frame()
    lag = LagWindower(4, dtype=np.float64).fit_transform(panel)
    rel = RelativeWindower(4).fit_transform(panel)
    assert_allclose(rel, np.log(lag / lag[:, -1:]), rtol=1e-5, atol=1e-6)
    # every series starts at its own first row: no window crosses series
    assert np.isnan(rel[60, :3]).all() and rel[60, 3] == 0


def test_relative_windower_makes_every_scale_alike():
    values = np.array([1.0, 2.0, 4.0, 8.0])
    small = RelativeWindower(3).fit_transform(values.reshape(-1, 1))
    large = RelativeWindower(3).fit_transform(1000 * values.reshape(-1, 1))
    assert_allclose(small, large, rtol=1e-6)


def test_relative_windower_other_columns_unchanged_and_target_by_name():
    frame = pd.DataFrame({"promo": [0.0, 1.0, 0.0], "sales": [2.0, 4.0, 8.0]})
    out = RelativeWindower(2, target="sales").fit_transform(frame)
    assert_allclose(out[2], [1.0, np.log(0.5), 0.0, 0.0], rtol=1e-6)
    with pytest.raises(ValueError, match=r"'price' is not in X.*promo"):
        RelativeWindower(2, target="price").fit(frame)


def test_relative_windower_log_ratio_refuses_zeros_naming_the_series():
    panel = seasonal_panel(zeros=True).to_frame()
    with pytest.raises(ValueError, match=r"positive.*rows \[5\].*series \['s0'\]"):
        RelativeWindower(3).fit(panel)
    out = RelativeWindower(3, kind="log1p_ratio").fit_transform(panel)
    assert np.isfinite(out[5:60]).all()


def test_relative_windower_reads_look_back_minus_one_earlier_rows():
    assert RelativeWindower(6).n_earlier_rows() == 5
