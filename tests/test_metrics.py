"""sMAPE and MASE against hand-computed values; their scorers in sklearn searches."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score

from sklstm import PanelTimeSeriesSplit, mase, smape
from sklstm.metrics import make_mase_scorer, neg_smape

NAN = np.nan


def _panel(values, tuples, names=("store", "t")):
    index = pd.MultiIndex.from_tuples(tuples, names=list(names))
    if np.ndim(values) == 2:
        return pd.DataFrame(values, index=index)
    return pd.Series(values, index=index, dtype=float)


@pytest.fixture
def two_series():
    """Series a (2 rows, sMAPE 50) and b (4 rows, sMAPE 25), forecasts as a list.

    Per-series mean: (50 + 25) / 2 = 37.5. Pooled over the 6 rows: 200 / 6.
    """
    y_true = _panel(
        [1.0, 1.0, 1.0, 2.0, 3.0, 1.0],
        [("a", 0), ("a", 1), ("b", 0), ("b", 1), ("b", 2), ("b", 3)],
    )
    y_pred = [3.0, 1.0, 1.0, 2.0, 3.0, 3.0]
    return y_true, y_pred


@pytest.fixture
def supervised():
    """A ragged panel of growing series, X = (value, lag) and y = next value."""
    rng = np.random.default_rng(0)
    frames = []
    for k, length in enumerate([30, 22, 26]):
        values = 10.0 * (k + 1) + np.cumsum(rng.uniform(0.5, 1.5, size=length))
        frames.append(
            pd.Series(
                values,
                index=pd.MultiIndex.from_product(
                    [[f"s{k}"], pd.period_range("2020-01", periods=length, freq="M")],
                    names=["id", "month"],
                ),
            )
        )
    panel = pd.concat(frames)
    by_series = panel.groupby(level=0)
    X = pd.DataFrame({"lag0": panel, "lag1": by_series.shift(1)})
    y = by_series.shift(-1).rename("next")
    keep = X.notna().all(axis=1) & y.notna()
    return X[keep], y[keep]


# --------------------------------------------------------------------------
# smape
# --------------------------------------------------------------------------


def test_smape_of_one_series_by_hand():
    # 200 * |1 - 3| / (1 + 3) = 100 and 0: mean 50
    assert smape([1.0, 2.0], [3.0, 2.0]) == 50.0
    assert smape(np.array([[1.0], [2.0]]), np.array([3.0, 2.0])) == 50.0
    assert smape([0.0, 0.0], [0.0, 0.0]) == 0.0  # 0 / 0 counts as 0
    assert smape([0.0], [5.0]) == 200.0
    assert smape([-2.0], [2.0]) == 200.0


def test_smape_averages_series_with_equal_weight(two_series):
    y_true, y_pred = two_series
    assert smape(y_true, y_pred) == 37.5
    assert_allclose(smape(y_true.to_numpy(), y_pred), 200 / 6)  # pooled
    per_series = smape(y_true, y_pred, per_series=True)
    assert per_series.to_dict() == {"a": 50.0, "b": 25.0}
    assert per_series.name == "smape"
    assert per_series.index.name == "store"


def test_smape_of_several_horizons_averages_rows_and_columns():
    # a: terms (100, 0) and (0, 0) -> 25; b: (0, 100) -> 50
    y_true = _panel(
        [[1.0, 1.0], [2.0, 2.0], [1.0, 1.0]], [("a", 0), ("a", 1), ("b", 0)]
    )
    y_pred = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    assert smape(y_true, y_pred, per_series=True).tolist() == [25.0, 50.0]
    assert smape(y_true, y_pred) == 37.5


def test_smape_matches_pandas_forecasts_by_label(two_series):
    y_true, y_pred = two_series
    shuffled = pd.Series(y_pred, index=y_true.index).iloc[[5, 0, 3, 1, 4, 2]]
    assert smape(y_true, shuffled) == 37.5


def test_smape_refuses_forecasts_it_cannot_match(two_series):
    y_true, y_pred = two_series
    partial = pd.Series(y_pred, index=y_true.index).iloc[:4]
    with pytest.raises(
        ValueError,
        match=r"smape: y_pred has no row for 2 rows of y_true, such as \('b', 2\)\. "
        r"Predict every row of y_true",
    ):
        smape(y_true, partial)
    repeated = pd.Series(y_pred, index=[0, 0, 1, 2, 3, 4])
    with pytest.raises(ValueError, match=r"smape: y_pred's index repeats labels"):
        smape(y_true, repeated)
    with pytest.raises(
        ValueError,
        match=r"smape: y_true has shape \(6,\) and y_pred \(5,\); they must match",
    ):
        smape(y_true, y_pred[:5])
    with pytest.raises(ValueError, match=r"Input y_pred contains NaN"):
        smape(y_true, [NAN, 1.0, 1.0, 2.0, 3.0, 3.0])


def test_per_series_needs_a_panel():
    with pytest.raises(
        ValueError,
        match=r"smape\(per_series=True\) needs a panel y_true, indexed by "
        r"\(series, time\); got list without a 2-level MultiIndex",
    ):
        smape([1.0, 2.0], [1.0, 2.0], per_series=True)


# --------------------------------------------------------------------------
# mase
# --------------------------------------------------------------------------


def test_mase_of_one_series_by_hand():
    # naive in-sample errors |2 - 1|, |4 - 2|: scale 1.5; MAE (1 + 0) / 2
    assert_allclose(mase([5.0, 6.0], [4.0, 6.0], y_train=[1.0, 2.0, 4.0]), 0.5 / 1.5)
    # season_length=2: |3-1|, |5-2|, |5-3|, |9-5| -> scale 2.75; MAE 1.1
    y_train = [1.0, 2.0, 3.0, 5.0, 5.0, 9.0]
    assert_allclose(mase([7.0], [8.1], y_train=y_train, season_length=2), 1.1 / 2.75)
    # NaN in the history is skipped: only |4 - 2| remains
    assert_allclose(mase([5.0], [6.0], y_train=[1.0, NAN, 2.0, 4.0]), 0.5)


def test_mase_scales_each_series_by_its_own_history():
    # a: scale (1 + 2) / 2 = 1.5, MAE 0.5; b: scale (2 + 4) / 2 = 3, MAE 3
    y_train = _panel(
        [1.0, 2.0, 4.0, 10.0, 12.0, 16.0],
        [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("b", 2)],
    )
    y_true = _panel([5.0, 6.0, 20.0], [("a", 3), ("a", 4), ("b", 3)])
    y_pred = [4.0, 6.0, 23.0]
    per_series = mase(y_true, y_pred, y_train=y_train, per_series=True)
    assert_allclose(per_series.to_numpy(), [1 / 3, 1.0])
    assert per_series.name == "mase"
    assert_allclose(mase(y_true, y_pred, y_train=y_train), (1 / 3 + 1.0) / 2)
    # the lag never reaches into the previous series (|10 - 4| is not a change)
    assert_allclose(
        mase(y_true, y_pred, y_train=y_train.iloc[::-1].sort_index()), (1 / 3 + 1) / 2
    )


def test_mase_scale_0_or_undefined_is_an_error_naming_the_series():
    y_train = _panel(
        [3.0, 3.0, 3.0, 1.0, 5.0],
        [("flat", 0), ("flat", 1), ("flat", 2), ("ok", 0), ("ok", 1)],
    )
    y_true = _panel([3.0, 6.0], [("flat", 3), ("ok", 2)])
    with pytest.raises(
        ValueError,
        match=r"mase: the naive forecast of lag season_length=1 has no error on the "
        r"history of 1 series, such as \['flat'\]: it is 0 \(the history repeats "
        r"every 1 steps, a constant series for example\) or undefined \(1 or fewer "
        r"values\)"
        r"\. .*Evaluate them with smape, or leave them out of y_true\.",
    ):
        mase(y_true, [3.0, 6.0], y_train=y_train)
    # "ok" has 2 values: with season_length=2 there is no naive forecast in sample
    with pytest.raises(ValueError, match=r"of 2 series, such as \['flat', 'ok'\]"):
        mase(y_true, [3.0, 6.0], y_train=y_train, season_length=2)
    with pytest.raises(ValueError, match=r"has no error on the history of y_train"):
        mase([1.0], [2.0], y_train=[5.0, 5.0])


def test_mase_input_errors():
    y_train = _panel([1.0, 2.0], [("a", 0), ("a", 1)])
    y_true = _panel([3.0, 4.0], [("a", 2), ("z", 0)])
    with pytest.raises(
        ValueError,
        match=r"mase: 1 series of y_true have no history in y_train, such as "
        r"\['z'\]\.",
    ):
        mase(y_true, [3.0, 4.0], y_train=y_train)
    with pytest.raises(
        ValueError, match=r"mase: y_true is a panel, .* but y_train is not\."
    ):
        mase(y_true, [3.0, 4.0], y_train=[1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"mase: y_train is a panel, .* but y_true is not\."
    ):
        mase([3.0], [3.0], y_train=y_train)
    with pytest.raises(ValueError, match=r"y_train is the history .*; got 2 columns"):
        mase([3.0], [3.0], y_train=np.ones((4, 2)))
    with pytest.raises(
        ValueError, match=r"mase: the time labels of series 'a' do not strictly"
    ):
        mase(y_true.iloc[:1], [3.0], y_train=y_train.iloc[::-1])
    with pytest.raises(
        ValueError,
        match=r"The 'season_length' parameter of mase must be an int in the range "
        r"\[1, inf\)\. Got 0 instead\.",
    ):
        mase([3.0], [3.0], y_train=[1.0, 2.0], season_length=0)


# --------------------------------------------------------------------------
# scorers
# --------------------------------------------------------------------------


def test_neg_smape_in_cross_val_score_averages_per_series(supervised):
    X, y = supervised
    cv = PanelTimeSeriesSplit(3, test_size=4)
    scores = cross_val_score(DummyRegressor(), X, y, cv=cv, scoring=neg_smape)
    expected = []
    for train, test in cv.split(X):
        pred = np.full(len(test), y.iloc[train].mean())
        expected.append(-smape(y.iloc[test], pred))
    assert_allclose(scores, expected)


def test_neg_smape_gets_the_pandas_y_true_from_cross_val_score(supervised):
    X, y = supervised
    ids = y.index.get_level_values(0)
    train = np.flatnonzero(y.index.get_level_values(1) < pd.Period("2021-01", "M"))
    # a test fold of 1 row of s0 and 5 rows of s1: per series differs from pooled
    test = np.concatenate(
        [np.flatnonzero(ids == "s0")[-1:], np.flatnonzero(ids == "s1")[-5:]]
    )
    scores = cross_val_score(
        DummyRegressor(), X, y, cv=[(train, test)], scoring=neg_smape
    )
    pred = np.full(len(test), y.iloc[train].mean())
    per_series = -smape(y.iloc[test], pred)
    pooled = -smape(y.iloc[test].to_numpy(), pred)
    assert_allclose(scores, [per_series])
    assert not np.isclose(per_series, pooled)


def test_neg_smape_in_grid_search(supervised):
    X, y = supervised
    search = GridSearchCV(
        Ridge(),
        {"alpha": [0.01, 100.0]},
        cv=PanelTimeSeriesSplit(3, test_size=2),
        scoring=neg_smape,
    ).fit(X, y)
    assert search.best_score_ < 0
    assert search.best_params_ == {"alpha": 0.01}  # the series follow their lags
    assert (
        repr(neg_smape)
        == "make_scorer(smape, greater_is_better=False, response_method='predict')"
    )
    assert pickle.loads(pickle.dumps(neg_smape))(search, X, y) == search.score(X, y)


def test_mase_scorer_scales_by_the_history_before_each_fold(supervised):
    X, y = supervised
    cv = PanelTimeSeriesSplit(3, test_size=4)
    scorer = make_mase_scorer(y, season_length=1)
    scores = cross_val_score(DummyRegressor(), X, y, cv=cv, scoring=scorer)
    expected = []
    for train, test in cv.split(X):
        pred = np.full(len(test), y.iloc[train].mean())
        expected.append(-mase(y.iloc[test], pred, y_train=y.iloc[train]))
    assert_allclose(scores, expected)
    assert repr(scorer) == "make_mase_scorer(season_length=1)"
    copy = pickle.loads(pickle.dumps(scorer))
    assert_allclose(
        cross_val_score(DummyRegressor(), X, y, cv=cv, scoring=copy), scores
    )


def test_mase_scorer_history_includes_gap_rows(supervised):
    X, y = supervised
    cv = PanelTimeSeriesSplit(2, test_size=3, gap=2)
    scores = cross_val_score(DummyRegressor(), X, y, cv=cv, scoring=make_mase_scorer(y))
    for score, (train, test) in zip(scores, cv.split(X), strict=True):
        first = y.iloc[test].index.to_frame(index=False).groupby("id")["month"].min()
        months = y.index.get_level_values("month")
        before = months < first.reindex(y.index.get_level_values("id")).to_numpy()
        pred = np.full(len(test), y.iloc[train].mean())
        assert_allclose(score, -mase(y.iloc[test], pred, y_train=y[before]))


def test_mase_scorer_on_one_series_and_with_horizons(supervised):
    X, y = supervised
    one_X, one_y = X.loc["s0"], y.loc["s0"]
    cv = TimeSeriesSplit(3, test_size=3)
    scores = cross_val_score(
        DummyRegressor(), one_X, one_y, cv=cv, scoring=make_mase_scorer(one_y)
    )
    for score, (train, test) in zip(scores, cv.split(one_X), strict=True):
        pred = np.full(len(test), one_y.iloc[train].mean())
        assert_allclose(score, -mase(one_y.iloc[test], pred, y_train=one_y.iloc[train]))
    # a y of two horizons: its first column is the history
    horizons = pd.DataFrame({"t+1": y, "t+2": y})
    scores = cross_val_score(
        DummyRegressor(),
        X,
        horizons,
        cv=PanelTimeSeriesSplit(2, test_size=2),
        scoring=make_mase_scorer(horizons),
    )
    assert scores.shape == (2,)


def test_mase_scorer_needs_pandas_y(supervised):
    X, y = supervised
    scorer = make_mase_scorer(y.loc["s0"])
    model = DummyRegressor().fit(X.loc["s0"], y.loc["s0"])
    with pytest.raises(
        ValueError,
        match=r"make_mase_scorer needs the pandas y .*; the scorer got y as ndarray\.",
    ):
        scorer(model, X.loc["s0"], y.loc["s0"].to_numpy())
    with pytest.raises(
        ValueError,
        match=r"The 'y' parameter of make_mase_scorer must be an instance of",
    ):
        make_mase_scorer(y.to_numpy())
