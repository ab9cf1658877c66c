"""forecast() past the end of the data, make_forecaster, and fair CV folds."""

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from probes import NaNRefusingRegressor, load_example, seasonal_panel
from sklearn.base import clone as clone_of
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from sklstm import (
    DeseasonalizedRegressor,
    Differencer,
    EnsembleRegressor,
    LagWindower,
    LSTMRegressor,
    PanelTimeSeriesSplit,
    PersistenceRegressor,
    RelativeTargetRegressor,
    RelativeWindower,
    To3D,
    forecast,
    make_forecaster,
    make_global_forecaster,
    make_supervised,
)
from sklstm.datasets import load_airline
from sklstm.forecasting import rows_needed
from sklstm.metrics import neg_smape


def _airline():
    return load_airline().astype(np.float64)


def _persistence_on(series):
    return PersistenceRegressor().fit(*make_supervised(series))


# ---------------------------------------------------------------- shared fitted models


@pytest.fixture(scope="module")
def lstm_pipeline(airline_xy):
    pipe = Pipeline(
        [
            ("lagwindower", LagWindower(3)),
            ("to3d", To3D()),
            ("lstmregressor", LSTMRegressor(units=2, epochs=1, random_state=0)),
        ]
    )
    return pipe.fit(*airline_xy)


@pytest.fixture(scope="module")
def forecaster(airline_xy):
    model = make_forecaster(look_back=3, units=2, epochs=2, random_state=0)
    return model.fit(*airline_xy)


# ---------------------------------------------------------------- future index


def test_period_index_continues_past_1960():
    series = _airline()
    assert str(series.index[-1]) == "1960-12"
    future = forecast(_persistence_on(series), series, steps=5)
    assert isinstance(future, pd.Series)
    assert future.name == "passengers"
    assert isinstance(future.index, pd.PeriodIndex)
    assert future.index.equals(pd.period_range("1961-01", periods=5, freq="M"))


def test_datetime_index_with_freq_continues_by_freq():
    index = pd.date_range("2020-01-01", periods=6, freq="MS")
    series = pd.Series(np.arange(1.0, 7.0), index=index, name="sales")
    future = forecast(_persistence_on(series), series, steps=3)
    assert future.name == "sales"
    assert future.index.equals(pd.date_range("2020-07-01", periods=3, freq="MS"))

    daily = pd.Series(
        np.arange(5.0), index=pd.date_range("2021-03-01", periods=5, freq="D")
    )
    future = forecast(_persistence_on(daily), daily, steps=2)
    assert list(future.index) == [
        pd.Timestamp("2021-03-06"),
        pd.Timestamp("2021-03-07"),
    ]


def test_integer_index_continues():
    series = pd.Series(np.arange(1.0, 11.0), index=np.arange(10, 20))
    future = forecast(_persistence_on(series), series, steps=3)
    assert list(future.index) == [20, 21, 22]
    assert_array_equal(future.to_numpy(), [10.0, 10.0, 10.0])


def test_future_index_keeps_the_history_index_name():
    series = _airline()
    series.index.name = "month"
    assert forecast(_persistence_on(series), series, steps=2).index.name == "month"


def test_evenly_spaced_integer_index_continues_with_its_step():
    series = pd.Series(np.arange(1.0, 7.0), index=np.arange(0, 60, 10))
    future = forecast(_persistence_on(series), series, steps=2)
    assert list(future.index) == [60, 70]


def test_nan_in_the_history_read_is_named(forecaster):
    history = _airline().iloc[:-12].copy()
    history.iloc[-1] = np.nan
    with pytest.raises(ValueError, match=r"hold NaN at positions \[-1\].*interpolate"):
        forecast(forecaster, history, steps=2)


def test_one_column_dataframe_history_gives_series_named_like_column():
    frame = pd.DataFrame(
        {"level": [1.0, 2.0, 3.0]}, index=pd.period_range("2000Q1", periods=3, freq="Q")
    )
    future = forecast(_persistence_on(frame), frame, steps=2)
    assert future.name == "level"
    assert list(future.index.astype(str)) == ["2000Q4", "2001Q1"]


def test_numpy_in_numpy_out():
    values = np.array([1.0, 4.0, 2.0, 7.0])
    future = forecast(_persistence_on(values), values, steps=3)
    assert isinstance(future, np.ndarray)
    assert future.shape == (3,)
    assert_array_equal(future, [7.0, 7.0, 7.0])
    # a (n, 1) column works too
    assert_array_equal(forecast(_persistence_on(values), values[:, None], 2), [7, 7])


def test_recursive_persistence_repeats_last_value():
    series = _airline()
    future = forecast(_persistence_on(series), series, steps=12)
    assert_array_equal(future.to_numpy(), np.full(12, series.iloc[-1]))


# ---------------------------------------------------------------- recursive with LSTMs


def _fitted_state(estimator):
    """Deep copies of every fitted attribute of the non-LSTM steps."""
    steps = (
        estimator.regressor_.steps
        if hasattr(estimator, "regressor_")
        else (estimator.steps)
    )
    return {
        name: copy.deepcopy({k: v for k, v in vars(step).items() if k.endswith("_")})
        for name, step in steps
        if not isinstance(step, LSTMRegressor)
    }


def _assert_same_state(before, after):
    assert before.keys() == after.keys()
    for name in before:
        assert before[name].keys() == after[name].keys(), name
        for key, value in before[name].items():
            if isinstance(value, np.ndarray):
                assert_array_equal(after[name][key], value, err_msg=f"{name}.{key}")
            else:
                assert after[name][key] == value, f"{name}.{key}"


def _forbid_fit(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"forecast refitted {type(self).__name__}")

    for cls in (LagWindower, Differencer, StandardScaler, To3D, LSTMRegressor):
        monkeypatch.setattr(cls, "fit", refuse)
        monkeypatch.setattr(cls, "fit_transform", refuse, raising=False)


def test_lstm_pipeline_forecast_is_finite_and_does_not_refit(
    lstm_pipeline, monkeypatch
):
    series = _airline()
    before = _fitted_state(lstm_pipeline)
    assert before["lagwindower"]["history_"].shape == (2, 1)
    _forbid_fit(monkeypatch)
    first = forecast(lstm_pipeline, series, steps=4)
    second = forecast(lstm_pipeline, series, steps=4)
    assert np.isfinite(first.to_numpy()).all()
    assert first.index.equals(pd.period_range("1961-01", periods=4, freq="M"))
    assert_array_equal(first.to_numpy(), second.to_numpy())
    _assert_same_state(before, _fitted_state(lstm_pipeline))


def test_lstm_pipeline_first_step_equals_predict_on_last_window(lstm_pipeline):
    series = _airline()
    future = forecast(lstm_pipeline, series, steps=1)
    # the last 3 rows as one window, straight through the fitted pipeline
    window = series.to_numpy()[-3:].reshape(1, 3, 1)
    expected = lstm_pipeline[-1].predict(window)
    assert_allclose(future.to_numpy(), expected, rtol=1e-5)


def test_make_forecaster_forecast_is_finite_and_does_not_refit(forecaster, monkeypatch):
    series = _airline()
    before = _fitted_state(forecaster)
    assert set(before) == {"differencer", "standardscaler", "lagwindower", "to3d"}
    _forbid_fit(monkeypatch)
    first = forecast(forecaster, series, steps=6)
    second = forecast(forecaster, series, steps=6)
    assert np.isfinite(first.to_numpy()).all()
    assert (first.to_numpy() > 0).all()  # log-ratio model stays positive
    assert first.name == "passengers"
    assert first.index.equals(pd.period_range("1961-01", periods=6, freq="M"))
    assert_array_equal(first.to_numpy(), second.to_numpy())
    _assert_same_state(before, _fitted_state(forecaster))


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_forecast_numpy_history_with_lstm_forecaster(forecaster):
    series = _airline()
    from_numpy = forecast(forecaster, series.to_numpy(), steps=3)
    from_pandas = forecast(forecaster, series, steps=3)
    assert isinstance(from_numpy, np.ndarray)
    assert_allclose(from_numpy, from_pandas.to_numpy(), rtol=1e-5)


def test_rows_needed_counts_look_back_and_differencing(forecaster, lstm_pipeline):
    assert rows_needed(lstm_pipeline) == 3
    assert rows_needed(forecaster) == 1 + 1 + 2  # row t, diff lag 1, look_back - 1


# ---------------------------------------------------------------- direct forecasts


def _linear_series(n=20):
    index = pd.period_range("2000-01", periods=n, freq="M")
    return pd.Series(1.0 + 2.0 * np.arange(n), index=index, name="trend")


def _count_predict(monkeypatch, estimator):
    calls = []
    original = estimator.predict

    def counting(X, *args, **kwargs):
        calls.append(len(X))
        return original(X, *args, **kwargs)

    monkeypatch.setattr(estimator, "predict", counting)
    return calls


def test_direct_forecast_answers_horizon_in_one_prediction(monkeypatch):
    series = _linear_series()
    X, y = make_supervised(series, horizon=3)
    model = make_pipeline(StandardScaler(), LinearRegression()).fit(X, y)
    calls = _count_predict(monkeypatch, model[-1])
    future = forecast(model, series, steps=3)
    assert len(calls) == 1
    last = series.iloc[-1]
    assert_allclose(future.to_numpy(), [last + 2, last + 4, last + 6], rtol=1e-10)
    assert future.index.equals(pd.period_range("2001-09", periods=3, freq="M"))


def test_direct_forecast_longer_than_horizon(monkeypatch):
    series = _linear_series()
    X, y = make_supervised(series, horizon=3)
    model = make_pipeline(StandardScaler(), LinearRegression()).fit(X, y)
    calls = _count_predict(monkeypatch, model[-1])
    future = forecast(model, series, steps=5)
    assert len(calls) == 2  # 3 values, then 3 more from its own output, cut to 5
    last = series.iloc[-1]
    assert_allclose(future.to_numpy(), last + 2.0 * np.arange(1, 6), rtol=1e-10)
    assert len(future.index) == 5


def test_direct_forecast_with_relative_target_numpy():
    values = 100.0 * 1.05 ** np.arange(30)
    X, y = make_supervised(values, horizon=3)
    model = RelativeTargetRegressor(LinearRegression(), kind="log_ratio").fit(X, y)
    future = forecast(model, values, steps=5)
    assert_allclose(future, values[-1] * 1.05 ** np.arange(1, 6), rtol=1e-8)


def test_direct_forecast_with_persistence_horizon():
    series = _linear_series()
    model = PersistenceRegressor().fit(*make_supervised(series, horizon=4))
    assert_array_equal(forecast(model, series, steps=6), np.full(6, series.iloc[-1]))


# ---------------------------------------------------------------- GridSearchCV


def test_gridsearch_fitted_estimator_forecasts():
    series = _linear_series(40)
    X, y = make_supervised(series)
    search = GridSearchCV(
        RelativeTargetRegressor(Ridge(), kind="difference"),
        {"regressor__alpha": [0.1, 1.0]},
        cv=TimeSeriesSplit(3),
    ).fit(X, y)
    future = forecast(search, series, steps=4)
    last = series.iloc[-1]
    assert_allclose(future.to_numpy(), last + 2.0 * np.arange(1, 5), rtol=1e-8)
    assert future.index[0] == series.index[-1] + 1


# ---------------------------------------------------------------- errors


def test_unfitted_estimator_raises_not_fitted():
    series = _airline()
    with pytest.raises(NotFittedError):
        forecast(PersistenceRegressor(), series, steps=2)
    with pytest.raises(NotFittedError):
        forecast(make_forecaster(look_back=3, units=2, epochs=1), series, steps=2)
    with pytest.raises(NotFittedError):
        forecast(make_pipeline(LagWindower(3), To3D(), LSTMRegressor()), series, 2)


def test_history_shorter_than_needed_is_padded_before_its_start(
    forecaster, lstm_pipeline
):
    series = _airline()
    for model, rows in [(forecaster, 3), (lstm_pipeline, 2), (forecaster, 2)]:
        future = forecast(model, series.iloc[-rows:], steps=2)
        assert np.isfinite(future).all()
        assert future.index.tolist() == list(
            pd.period_range(series.index[-1] + 1, periods=2, freq="M")
        )


def test_history_too_short_for_a_model_without_masking_names_the_fix():
    series = _airline()
    model = _linear_recipe(look_back=3).fit(*make_supervised(series))
    with pytest.raises(
        ValueError, match=r"fewer rows than the 4 this estimator reads.*at least 4"
    ):
        forecast(model, series.iloc[-2:], steps=2)


def test_multi_column_history_is_refused():
    frame = pd.DataFrame({"a": np.arange(1.0, 7.0), "b": np.arange(6.0)})
    model = PersistenceRegressor().fit(*make_supervised(frame, target="a"))
    with pytest.raises(ValueError, match=r"2 columns.*future values"):
        forecast(model, frame, steps=2)
    with pytest.raises(ValueError, match="2 columns"):
        forecast(model, frame.to_numpy(), steps=2)


@pytest.mark.parametrize("steps", [0, -1, 1.5, True, "3"])
def test_bad_steps(steps):
    series = _linear_series()
    with pytest.raises(ValueError, match="steps"):
        forecast(_persistence_on(series), series, steps=steps)


def test_datetime_index_without_freq_errors():
    index = pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-05", "2020-01-09"])
    series = pd.Series([1.0, 2.0, 3.0, 4.0], index=index)
    assert index.freq is None
    with pytest.raises(ValueError, match="frequency"):
        forecast(_persistence_on(series), series, steps=2)


def test_three_dimensional_history_is_refused():
    model = _persistence_on(np.arange(1.0, 5.0))
    with pytest.raises(ValueError, match="1D or 2D"):
        forecast(model, np.ones((4, 1, 1)), steps=1)


# ---------------------------------------------------------------- fair folds


def test_make_forecaster_cross_val_score_runs(airline_xy):
    X, y = airline_xy
    scores = cross_val_score(
        make_forecaster(look_back=6, units=2, epochs=1, random_state=0),
        X,
        y,
        cv=TimeSeriesSplit(3),
        scoring="neg_root_mean_squared_error",
        error_score="raise",
    )
    assert scores.shape == (3,)
    assert np.isfinite(scores).all()


def test_make_forecaster_test_fold_windows_are_complete(airline_xy):
    X, y = airline_xy
    model = make_forecaster(look_back=6, units=2, epochs=1, random_state=0)
    model.set_params(regressor__lstmregressor=NaNRefusingRegressor())
    scores = cross_val_score(model, X, y, cv=TimeSeriesSplit(3), error_score="raise")
    assert np.isfinite(scores).all()


# ---------------------------------------------------------------- make_forecaster


def test_make_forecaster_structure_and_defaults():
    model = make_forecaster()
    assert isinstance(model, RelativeTargetRegressor)
    assert model.kind == "log_ratio"
    pipe = model.regressor
    assert [name for name, _ in pipe.steps] == [
        "differencer",
        "standardscaler",
        "lagwindower",
        "to3d",
        "lstmregressor",
    ]
    assert pipe.named_steps["differencer"].log is True
    params = model.get_params()
    assert params["regressor__lagwindower__look_back"] == 12
    assert params["regressor__lstmregressor__units"] == 32
    assert params["regressor__lstmregressor__random_state"] is None


def test_make_forecaster_params_are_reachable():
    model = make_forecaster(look_back=4, units=3, epochs=2, random_state=7)
    params = model.get_params()
    assert params["regressor__lagwindower__look_back"] == 4
    assert params["regressor__lstmregressor__units"] == 3
    assert params["regressor__lstmregressor__epochs"] == 2
    assert params["regressor__lstmregressor__random_state"] == 7
    model.set_params(
        regressor__lagwindower__look_back=5, regressor__lstmregressor__units=2
    )
    assert model.regressor.named_steps["lagwindower"].look_back == 5
    assert model.regressor.named_steps["lstmregressor"].units == 2


@pytest.mark.parametrize("change", ["difference", None])
def test_make_forecaster_other_changes_fit_and_predict(change, airline_xy):
    X, y = airline_xy
    model = make_forecaster(
        look_back=3, change=change, units=2, epochs=1, random_state=0
    )
    if change is None:
        assert isinstance(model, Pipeline)
        assert "differencer" not in model.named_steps
    else:
        assert model.kind == "difference"
        assert model.regressor.named_steps["differencer"].log is False
    model.fit(X.iloc[:100], y.iloc[:100])
    pred = model.predict(X.iloc[100:])  # a test fold: windows from fit's memory
    assert pred.shape == (len(X) - 100,)
    assert np.isfinite(pred).all()
    future = forecast(model, _airline(), steps=2)
    assert np.isfinite(future.to_numpy()).all()


@pytest.mark.parametrize("change", ["log", "ratio", "", 1])
def test_make_forecaster_bad_change(change):
    with pytest.raises(ValueError, match="change"):
        make_forecaster(change=change)


def test_make_forecaster_gridsearch_then_forecast(airline_xy):
    X, y = airline_xy
    search = GridSearchCV(
        make_forecaster(units=2, epochs=1, random_state=0),
        {
            "regressor__lagwindower__look_back": [2, 4],
            "regressor__lstmregressor__units": [2],
        },
        cv=TimeSeriesSplit(2),
        scoring="neg_root_mean_squared_error",
        error_score="raise",
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_params_["regressor__lagwindower__look_back"] in (2, 4)
    future = forecast(search, _airline(), steps=2)
    assert np.isfinite(future.to_numpy()).all()
    assert list(future.index.astype(str)) == ["1961-01", "1961-02"]


# ------------------------------------------------ the protocol third parties implement


EXTENDING = load_example("extending_sklstm")  # the documented third-party steps


def test_third_party_steps_implementing_the_protocol_work_in_forecast():
    series = pd.Series(
        np.arange(1.0, 41.0), index=pd.period_range("2020-01", periods=40, freq="M")
    )
    X, y = make_supervised(series)
    # the final step refuses NaN: forecast must feed the mean its 3 rows of
    # history, which it knows from TrailingMean.n_earlier_rows
    model = EXTENDING.ChangeTarget(
        make_pipeline(EXTENDING.TrailingMean(3), NaNRefusingRegressor())
    )
    model.fit(X, y)
    assert rows_needed(model) == 3
    future = forecast(model, series, steps=3)
    assert_allclose(future.to_numpy(), [41.0, 42.0, 43.0], rtol=1e-6)
    assert str(future.index[0]) == "2023-05"


def test_a_third_party_ensemble_gives_each_member_its_rows():
    series = pd.Series(
        np.arange(1.0, 41.0), index=pd.period_range("2020-01", periods=40, freq="M")
    )
    X, y = make_supervised(series)
    # members reading 2 and 4 rows, each refusing a row without its history
    model = EXTENDING.MeanEnsemble(
        [
            EXTENDING.ChangeTarget(
                make_pipeline(EXTENDING.TrailingMean(w), NaNRefusingRegressor())
            )
            for w in (2, 4)
        ]
    ).fit(X, y)
    assert rows_needed(model) == 4
    assert_allclose(forecast(model, series, steps=2), [41.0, 42.0], rtol=1e-6)


# ------------------------------------------------------------------ panels


def _panel(lengths=(30, 24, 36)):
    """Monthly series of different lengths and ends, each with its own level."""
    rng = np.random.default_rng(0)
    parts = []
    for i, n in enumerate(lengths):
        months = pd.period_range(end=f"2021-{6 + i:02d}", periods=n, freq="M")
        level = 50.0 * (i + 1) + np.cumsum(rng.normal(1.0, 1.0, n))
        parts.append(
            pd.Series(
                level,
                index=pd.MultiIndex.from_arrays(
                    [[f"s{i}"] * n, months], names=["store", "month"]
                ),
            )
        )
    return pd.concat(parts).rename("sales")


def _linear_recipe(look_back=4):
    return RelativeTargetRegressor(
        make_pipeline(
            Differencer(), LagWindower(look_back), NaNRefusingRegressor()
        ).set_output(transform="pandas"),
        kind="difference",
    )


def test_panel_forecast_continues_every_series_from_its_own_end():
    panel = _panel()
    model = PersistenceRegressor().fit(*make_supervised(panel))
    future = forecast(model, panel, steps=3)
    assert future.name == "sales"
    assert future.index.names == ["store", "month"]
    for store, series in panel.groupby(level=0):
        ahead = future.loc[store]
        last = series.index.get_level_values(1)[-1]
        assert list(ahead.index) == [last + 1, last + 2, last + 3]
        assert_allclose(ahead.to_numpy(), series.iloc[-1])


def test_panel_forecast_equals_forecasting_each_series_alone():
    panel = _panel()
    model = _linear_recipe().fit(*make_supervised(panel))
    together = forecast(model, panel, steps=5)
    for store, series in panel.groupby(level=0):
        alone = forecast(model, series.droplevel(0), steps=5)
        assert_allclose(together.loc[store].to_numpy(), alone.to_numpy(), rtol=1e-9)
        assert list(together.loc[store].index) == list(alone.index)


def test_panel_forecast_predicts_once_per_step_for_all_series(monkeypatch):
    panel = _panel()
    model = make_forecaster(look_back=4, units=2, epochs=1, random_state=0)
    model.fit(*make_supervised(panel))
    calls = []
    original = LSTMRegressor.predict

    def counting(self, X, groups=None):
        calls.append(len(X))
        return original(self, X, groups)

    monkeypatch.setattr(LSTMRegressor, "predict", counting)
    future = forecast(model, panel, steps=4)
    assert calls == [3, 3, 3, 3]  # one batched call per step: one row per series
    assert len(future) == 12 and np.isfinite(future).all()


def test_panel_direct_model_answers_every_horizon_at_once():
    panel = _panel()
    model = PersistenceRegressor().fit(*make_supervised(panel, horizon=3))
    future = forecast(model, panel, steps=3)
    assert (
        future.index.get_level_values(0).tolist()
        == ["s0"] * 3 + ["s1"] * 3 + ["s2"] * 3
    )


def test_panel_forecast_names_series_too_short_for_the_estimator():
    panel = _panel()
    model = _linear_recipe(look_back=4).fit(*make_supervised(panel))
    short = pd.concat([panel, _panel((3,)).rename({"s0": "new"}, level=0)])
    with pytest.raises(ValueError, match=r"1 series have fewer rows than the 5.*'new'"):
        forecast(model, short, steps=2)


def test_panel_cv_folds_give_complete_test_windows_from_memory():
    panel = _panel()
    X, y = make_supervised(panel)
    pipe = make_pipeline(
        MinMaxScaler(), Differencer(), LagWindower(6), NaNRefusingRegressor()
    ).set_output(transform="pandas")
    # the first fold tests right after a cut-off: every test window needs rows
    # from before it, which only the windowers' per-series memory supplies
    scores = cross_val_score(
        pipe, X, y, cv=PanelTimeSeriesSplit(3, test_size=4), error_score="raise"
    )
    assert np.isfinite(scores).all()


@pytest.mark.parametrize("horizon", [1, 3])
def test_panel_cv_training_targets_end_before_the_test_rows(horizon):
    X, y = make_supervised(_panel(), horizon=horizon)
    times = X.index.get_level_values(1)
    stores = X.index.get_level_values(0)
    cv = PanelTimeSeriesSplit(3, test_size=2, gap="auto")
    for train, test in cv.split(X, y):
        first_test = pd.Series(times[test], index=stores[test]).groupby(level=0).min()
        for store, t in zip(stores[train], times[train], strict=True):
            # the last target of a training row is the value at t + horizon;
            # the first test row's targets start after its own time
            assert t + horizon <= first_test[store]


def test_grid_search_tunes_look_back_and_units_on_a_panel_then_forecasts():
    panel = _panel()
    X, y = make_supervised(panel)
    search = GridSearchCV(
        make_forecaster(epochs=2, random_state=0),
        [  # two candidates that differ in both, in few fits
            {
                "regressor__lagwindower__look_back": [3],
                "regressor__lstmregressor__units": [2],
            },
            {
                "regressor__lagwindower__look_back": [6],
                "regressor__lstmregressor__units": [4],
            },
        ],
        cv=PanelTimeSeriesSplit(2, test_size=3),
        scoring=neg_smape,
        error_score="raise",
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    future = forecast(search, panel, steps=2)
    assert future.index.get_level_values(0).unique().tolist() == ["s0", "s1", "s2"]


def test_panel_non_positive_values_for_log_ratio_name_the_series():
    panel = _panel()
    panel.loc[("s1", panel.loc["s1"].index[5])] = 0.0
    X, y = make_supervised(panel)
    with pytest.raises(ValueError, match=r"must be positive.* of series \['s1'\]"):
        make_forecaster(units=2, epochs=1).fit(X, y)


def test_panel_nan_target_names_the_series():
    panel = _panel()
    X, y = make_supervised(panel)
    y = y.copy()
    y.loc[("s2", y.loc["s2"].index[3])] = np.nan
    with pytest.raises(
        ValueError, match=r"y contains NaN in rows .* of series \['s2'\]"
    ):
        make_forecaster(units=2, epochs=1).fit(X, y)


def test_panel_fit_drops_the_first_window_of_each_series_silently():
    X, y = make_supervised(_panel())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning about each series' start
        make_forecaster(look_back=4, units=2, epochs=1, random_state=0).fit(X, y)


def test_integer_time_with_a_gap_keeps_its_step():
    index = pd.MultiIndex.from_tuples(
        [("a", 0), ("a", 10), ("a", 20), ("b", 0), ("b", 10), ("b", 20), ("b", 40)]
    )
    panel = pd.Series(np.arange(7.0), index=index, name="y")
    future = forecast(PersistenceRegressor().fit(*make_supervised(panel)), panel, 2)
    assert future.index.tolist() == [("a", 30), ("a", 40), ("b", 50), ("b", 60)]


def test_refitting_on_one_series_forgets_the_panel():
    one = pd.DataFrame({"v": np.arange(10.0)})
    windower = LagWindower(3).fit(_panel().to_frame())
    windower.fit(one.iloc[:7])
    assert windower.series_ is None
    # its memory of the one series fills the first window: rows 5, 6, 7
    assert_allclose(windower.transform(one.iloc[7:])[0], [5.0, 6.0, 7.0])


def test_forecast_gives_each_ensemble_member_its_last_rows():
    series = pd.Series(
        np.arange(1.0, 41.0), index=pd.period_range("2020-01", periods=40, freq="M")
    )
    X, y = make_supervised(series)

    def member(look_back):
        return RelativeTargetRegressor(
            make_pipeline(LagWindower(look_back), NaNRefusingRegressor()).set_output(
                transform="pandas"
            ),
            kind="difference",
        )

    ens = EnsembleRegressor([("short", member(2)), ("long", member(5))])
    assert rows_needed(ens) == 5  # side by side: the most any member reads
    ens.fit(X, y)
    future = forecast(ens, series, steps=3)  # the NaN-refusing members pass
    assert_allclose(future.to_numpy(), [41.0, 42.0, 43.0], rtol=1e-6)


def _with_promo(panel):
    frame = panel.to_frame()
    frame["promo"] = (panel.index.get_level_values(1).month % 3 == 0).astype(float)
    return frame


def test_forecast_with_covariates_takes_their_future_values():
    frame = _with_promo(seasonal_panel())
    X, y = make_supervised(frame, target="sales")
    model = RelativeTargetRegressor(
        make_pipeline(RelativeWindower(3), NaNRefusingRegressor()).set_output(
            transform="pandas"
        )
    ).fit(X, y)
    future_index = pd.MultiIndex.from_tuples(
        [
            (s, frame.loc[s].index[-1] + k)
            for s in ("s0", "s1", "s2")
            for k in (1, 2, 3)
        ],
        names=frame.index.names,
    )
    future = pd.DataFrame({"promo": 1.0}, index=future_index)
    out = forecast(model, frame, steps=3, future=future)
    assert out.name == "sales" and len(out) == 9 and np.isfinite(out).all()
    # the covariate's future value reaches the model
    other = forecast(model, frame, steps=3, future=future * 0)
    assert not np.allclose(out.to_numpy()[1::3], other.to_numpy()[1::3])


def test_forecast_covariate_errors_name_series_and_columns():
    frame = _with_promo(seasonal_panel())
    model = PersistenceRegressor().fit(*make_supervised(frame, target="sales"))
    with pytest.raises(ValueError, match=r"2 columns.*future="):
        forecast(model, frame, steps=2)
    short = pd.DataFrame(
        {"promo": [1.0]},
        index=pd.MultiIndex.from_tuples(
            [("s0", frame.loc["s0"].index[-1] + 1)], names=frame.index.names
        ),
    )
    with pytest.raises(ValueError, match=r"series 's0': \['promo'\] from 2021-08"):
        forecast(model, frame, steps=2, future=short)
    with pytest.raises(ValueError, match=r"series 's1': \['promo'\]"):
        forecast(model, frame, steps=2, future=short)
    with pytest.raises(ValueError, match="no column is left"):
        forecast(model, frame, steps=2, future=frame)


def test_single_series_forecast_with_a_covariate():
    frame = _with_promo(seasonal_panel()).loc["s1"]
    model = PersistenceRegressor().fit(*make_supervised(frame, target="sales"))
    index = pd.period_range(frame.index[-1] + 1, periods=2, freq="M")
    future = pd.DataFrame({"promo": [0.0, 1.0]}, index=index)
    out = forecast(model, frame, steps=2, future=future)
    assert list(out.index) == list(index) and out.name == "sales"
    with pytest.raises(ValueError, match=r"\['promo'\] from 2021-10"):
        forecast(model, frame, steps=3, future=future)


@pytest.mark.parametrize("horizon", [1, 4])
def test_global_forecaster_fits_a_panel_direct_and_recursive(horizon):
    panel = seasonal_panel()
    X, y = make_supervised(panel, horizon=horizon)
    model = make_global_forecaster(
        look_back=13, units=4, epochs=1, batch_size=64, random_state=0
    ).fit(X, y)
    future = forecast(model, panel, steps=4)
    assert future.index.names == ["store", "month"] and len(future) == 12
    assert np.isfinite(future).all()
    # scale-free: each series' forecast is near its own level
    for store in ("s0", "s1", "s2"):
        ratio = future.loc[store].to_numpy() / panel.loc[store].iloc[-12:].mean()
        assert ((ratio > 0.3) & (ratio < 3)).all()


def test_global_forecaster_ensemble_with_zeros_and_season_features():
    panel = seasonal_panel(zeros=True)
    X, y = make_supervised(panel, horizon=2)
    with pytest.raises(ValueError, match=r"positive.*series \['s0'\].*log1p_ratio"):
        make_global_forecaster(look_back=4, units=2, epochs=1).fit(X, y)
    model = make_global_forecaster(
        look_back=[4, 6],
        n_seeds=2,
        change="log1p_ratio",
        season_features=True,
        units=2,
        epochs=1,
        random_state=0,
    )
    assert len(model.estimators) == 4 and rows_needed(model) == 6
    model.fit(X, y)
    assert np.isfinite(forecast(model, panel, steps=2)).all()


def test_global_forecaster_bad_parameters():
    with pytest.raises(ValueError, match=r"'change'.*'log1p_ratio'"):
        make_global_forecaster(change="ratio")
    with pytest.raises(ValueError, match=r"'look_back'.*list"):
        make_global_forecaster(look_back=[])
    with pytest.raises(ValueError, match="'n_seeds'"):
        make_global_forecaster(n_seeds=0)


def test_global_recipe_on_the_shipped_panel_with_a_covariate():
    from sklstm.datasets import load_us_macro

    frame = load_us_macro().to_frame()
    quarters = frame.index.get_level_values(1)
    frame["q4"] = (quarters.quarter == 4).astype(float)  # known in advance
    train = frame.groupby(level=0).head(195)
    X, y = make_supervised(train, horizon=4, target="value")
    model = make_global_forecaster(
        8, season_length=4, epochs=1, units=4, random_state=0
    ).fit(X, y)
    ahead = frame.groupby(level=0).tail(8).groupby(level=0).head(4)
    out = forecast(model, train, steps=4, future=ahead[["q4"]])
    assert out.index.equals(ahead.index) and np.isfinite(out).all()
    with pytest.raises(ValueError, match=r"\['q4'\]"):
        forecast(model, train, steps=4, future=ahead[["q4"]].iloc[:-1])


# ------------------------------------------------- state from the history given


def test_forecasts_from_the_rows_fit_saw_are_unchanged():
    panel = seasonal_panel()
    X, y = make_supervised(panel)
    model = DeseasonalizedRegressor(PersistenceRegressor()).fit(X, y)
    # pinned from the code before for_history existed (sklstm 50bb38f)
    expected = [17.634086, 13.901148, 12.254894, 125.417844, 109.256784]
    expected += [140.165759, 1349.05886, 1766.23555, 1952.302042]
    assert_allclose(forecast(model, X, steps=3).to_numpy(), expected, rtol=1e-7)


@pytest.mark.parametrize("dates", ["with frequency", "inferred"])
def test_dates_forecast_as_their_periods_do(dates):
    # a seasonal target wrapper reads each window's last row's place in the
    # season; picked out of the window, that one date no longer shows its
    # frequency, which forecast must carry to it
    series = load_airline().astype(float)
    model = DeseasonalizedRegressor(PersistenceRegressor(), season_length=12)
    model.fit(*make_supervised(series))
    timed = series.to_timestamp(how="start")
    timed = timed.asfreq("MS") if dates == "with frequency" else timed
    if dates == "inferred":
        timed.index = pd.DatetimeIndex(list(timed.index), name=timed.index.name)
    assert (timed.index.freq is None) == (dates == "inferred")
    expected = forecast(model, series, steps=14)
    future = forecast(model, timed, steps=14)
    assert_allclose(future.to_numpy(), expected.to_numpy())
    assert future.index[0] == pd.Timestamp("1961-01-01")
    panel = pd.concat({"a": timed, "b": 2 * timed}, names=["id", "month"])
    assert_allclose(forecast(model, panel, steps=14).loc["a"], expected.to_numpy())


def test_a_model_fitted_on_one_panel_forecasts_another():
    panel = seasonal_panel()
    a = panel.loc[["s0", "s1"]]
    b = panel.loc[["s2"]].rename({"s2": "new"}, level=0)
    b = pd.concat([b, (panel.loc[["s1"]] * 3).rename({"s1": "other"}, level=0)])
    model = make_global_forecaster(
        look_back=12, units=4, epochs=1, batch_size=16, random_state=0
    ).fit(*make_supervised(a))
    future = forecast(model, b, steps=4)
    assert future.index.get_level_values(0).unique().tolist() == ["new", "other"]
    assert np.isfinite(future).all()
    # each series of B is adjusted by indices from its own full history
    bound = model.for_history(b.to_frame())
    assert_allclose(
        bound.seasonal_indices_.loc["new"],
        model.for_history(panel.loc[["s2"]].to_frame()).seasonal_indices_.loc["s2"],
    )
    # one series, as a plain Series, gets its own indices too
    alone = forecast(model, b.loc["new"], steps=4)
    assert_allclose(alone.to_numpy(), future.loc["new"].to_numpy(), rtol=1e-5)


def test_forecast_hands_the_history_through_pipelines_searches_and_ensembles():
    panel = seasonal_panel()
    X, y = make_supervised(panel.loc[["s0", "s1"]])
    inner = DeseasonalizedRegressor(PersistenceRegressor())
    ensemble = EnsembleRegressor([("a", inner), ("b", clone_of(inner))]).fit(X, y)
    search = GridSearchCV(
        make_pipeline(ensemble), {"ensembleregressor__aggregate": ["mean"]}, cv=2
    ).fit(X, y)
    new = panel.loc[["s2"]]
    direct = forecast(inner.fit(X, y), new, steps=3)
    assert_allclose(forecast(ensemble, new, steps=3), direct)
    assert_allclose(forecast(search, new, steps=3), direct)


def test_one_series_is_forecast_whatever_its_name():
    panel = seasonal_panel()
    model = DeseasonalizedRegressor(PersistenceRegressor())
    model.fit(*make_supervised(panel))  # fitted on a column named "sales"
    other = panel.loc["s2"].rename("passengers")
    future = forecast(model, other, steps=3)
    assert future.name == "passengers"
    assert_allclose(future, forecast(model, other.rename("sales"), steps=3))
