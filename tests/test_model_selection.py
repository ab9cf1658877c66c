"""PanelTimeSeriesSplit and temporal_train_test_split on ragged panels."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from pandas.testing import assert_frame_equal, assert_series_equal
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score

from sklstm import PanelTimeSeriesSplit, temporal_train_test_split, to_panel

# series id -> (first time, number of rows): different lengths, starts, ends
RAGGED = {"a": (0, 12), "b": (3, 8), "c": (5, 15), "d": (2, 4)}


@pytest.fixture
def panel():
    """A ragged monthly panel; the value of ("s", t) is 100 * k + t."""
    frames = [
        pd.DataFrame(
            {
                "id": name,
                "month": pd.period_range("2020-01", periods=120, freq="M")[
                    start : start + length
                ],
                "sales": 100.0 * k + np.arange(start, start + length),
            }
        )
        for k, (name, (start, length)) in enumerate(RAGGED.items())
    ]
    return to_panel(pd.concat(frames), series="id", time="month", value="sales")


@pytest.fixture
def supervised(panel):
    """X (the value and its lag) and y (the next value), per series by hand."""
    by_series = panel.groupby(level=0)
    X = pd.DataFrame({"lag0": panel, "lag1": by_series.shift(1)})
    y = by_series.shift(-1).rename("next")
    keep = X.notna().all(axis=1) & y.notna()
    return X[keep], y[keep]


def _expected_fold(index, k, n_splits, test_size, gap):
    """Reference fold k: a Python loop over series and rows."""
    train, test = [], []
    ids = index.get_level_values(0)
    for name in ids.unique():
        rows = np.flatnonzero(ids == name)
        n = len(rows)
        start = n - (n_splits - k) * test_size
        if start - gap < 1:
            continue  # no training row: the series sits this fold out
        train.extend(rows[: start - gap])
        test.extend(rows[start : start + test_size])
    return sorted(train), sorted(test)


# --------------------------------------------------------------------------
# PanelTimeSeriesSplit
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_splits", "test_size", "gap"), [(3, 2, 0), (2, 3, 1), (1, 4, 0), (4, 1, 2)]
)
def test_folds_match_the_definition_row_by_row(panel, n_splits, test_size, gap):
    cv = PanelTimeSeriesSplit(n_splits, test_size=test_size, gap=gap)
    folds = list(cv.split(panel))
    assert len(folds) == cv.get_n_splits() == n_splits
    for k, (train, test) in enumerate(folds):
        expected_train, expected_test = _expected_fold(
            panel.index, k, n_splits, test_size, gap
        )
        assert train.tolist() == expected_train
        assert test.tolist() == expected_test
        assert train.dtype.kind == test.dtype.kind == "i"
        assert not set(train) & set(test)
        # every training row of a series comes gap + 1 or more rows before
        # that series' first test row, in time
        train_times = panel.iloc[train].index.to_frame(index=False)
        test_times = panel.iloc[test].index.to_frame(index=False)
        last_train = train_times.groupby("id")["month"].max()
        first_test = test_times.groupby("id")["month"].min()
        assert list(last_train.index) == list(first_test.index)
        assert ((first_test - last_train).map(lambda d: d.n) == gap + 1).all()
        # each series tested takes exactly test_size rows
        assert (test_times.groupby("id").size() == test_size).all()


def test_last_fold_tests_the_last_rows_of_every_series(panel):
    *_, (train, test) = PanelTimeSeriesSplit(3, test_size=2).split(panel)
    expected = panel.groupby(level=0).tail(2)
    assert_series_equal(panel.iloc[test], expected)
    assert_series_equal(panel.iloc[train], panel.drop(expected.index))


def test_short_series_sit_out_the_folds_where_they_have_no_history(panel):
    # d has 4 rows: with 3 folds of 2, only the last fold leaves it 2 to train on
    folds = list(PanelTimeSeriesSplit(3, test_size=2).split(panel))
    tested = [set(panel.iloc[test].index.get_level_values(0)) for _, test in folds]
    assert tested == [{"a", "b", "c"}, {"a", "b", "c"}, {"a", "b", "c", "d"}]
    trained = [set(panel.iloc[train].index.get_level_values(0)) for train, _ in folds]
    assert trained == tested


def test_default_test_size_lets_the_shortest_series_take_part_everywhere(panel):
    # shortest is d with 4 rows: max(1, 4 // (1 + 1)) = 2
    folds = list(PanelTimeSeriesSplit(n_splits=1).split(panel))
    _, test = folds[0]
    assert len(test) == 2 * len(RAGGED)
    for _, test in PanelTimeSeriesSplit(n_splits=3).split(panel):  # size 1
        assert len(test) == len(RAGGED)


def test_gap_auto_follows_the_columns_of_y(panel):
    horizons = pd.DataFrame({"t+1": panel, "t+2": panel, "t+3": panel})
    auto = list(PanelTimeSeriesSplit(2, test_size=2, gap="auto").split(panel, horizons))
    explicit = list(PanelTimeSeriesSplit(2, test_size=2, gap=2).split(panel))
    for (train_a, test_a), (train_e, test_e) in zip(auto, explicit, strict=True):
        assert_array_equal(train_a, train_e)
        assert_array_equal(test_a, test_e)
    for y in (None, panel, panel.to_frame()):
        auto = list(PanelTimeSeriesSplit(2, test_size=2, gap="auto").split(panel, y))
        plain = list(PanelTimeSeriesSplit(2, test_size=2).split(panel))
        for (train_a, _), (train_p, _) in zip(auto, plain, strict=True):
            assert_array_equal(train_a, train_p)


def test_split_works_on_a_dataframe_and_ignores_groups_with_a_warning(supervised):
    X, y = supervised
    cv = PanelTimeSeriesSplit(2, test_size=1)
    with pytest.warns(UserWarning, match="The groups parameter is ignored by Panel"):
        folds = list(cv.split(X, y, groups=np.zeros(len(X))))
    assert len(folds) == 2


def test_grid_search_tunes_on_panel_folds(supervised):
    X, y = supervised
    cv = PanelTimeSeriesSplit(3, test_size=1)
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, cv=cv).fit(X, y)
    assert search.n_splits_ == 3
    assert search.best_params_["alpha"] in (0.1, 10.0)
    assert search.predict(X).shape == (len(X),)
    assert "split2_test_score" in search.cv_results_
    # clone (as a nested search does) keeps the splitter and its parameters
    cloned = clone(search)
    assert repr(cloned.cv) == repr(cv)
    assert cloned.cv is not cv


def test_cross_val_score_uses_the_panel_folds(supervised):
    X, y = supervised
    cv = PanelTimeSeriesSplit(2, test_size=2)
    scores = cross_val_score(
        DummyRegressor(), X, y, cv=cv, scoring="neg_mean_absolute_error"
    )
    expected = []
    for train, test in cv.split(X):
        mean = y.iloc[train].mean()
        expected.append(-np.abs(y.iloc[test] - mean).mean())
    assert_array_equal(scores.round(10), np.round(expected, 10))


def test_repr_pickle_and_clone():
    cv = PanelTimeSeriesSplit(4, test_size=6, gap="auto")
    assert repr(cv) == "PanelTimeSeriesSplit(gap='auto', n_splits=4, test_size=6)"
    assert repr(PanelTimeSeriesSplit()) == (
        "PanelTimeSeriesSplit(gap=0, n_splits=5, test_size=None)"
    )
    for copy in (pickle.loads(pickle.dumps(cv)), clone(cv, safe=False)):
        assert repr(copy) == repr(cv)
        assert copy is not cv


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"n_splits": 0},
            r"The 'n_splits' parameter of PanelTimeSeriesSplit must be an int in "
            r"the range \[1, inf\)\. Got 0 instead\.",
        ),
        (
            {"test_size": 0},
            r"The 'test_size' parameter of PanelTimeSeriesSplit must be an int in "
            r"the range \[1, inf\) or None\. Got 0 instead\.",
        ),
        (
            {"gap": -1},
            r"The 'gap' parameter of PanelTimeSeriesSplit must be an int in the "
            r"range \[0, inf\) or a str among \{'auto'\}\. Got -1 instead\.",
        ),
        ({"gap": "yes"}, r"The 'gap' parameter .* Got 'yes' instead\."),
    ],
)
def test_invalid_parameters_are_named(panel, params, match):
    cv = PanelTimeSeriesSplit(**params)
    with pytest.raises(ValueError, match=match):
        next(cv.split(panel))


def test_a_fold_without_training_rows_is_an_error(panel):
    # the longest series (c) has 15 rows; fold 0 of 4 x 4 tests from its 16th last
    cv = PanelTimeSeriesSplit(4, test_size=4)
    with pytest.raises(
        ValueError,
        match=r"PanelTimeSeriesSplit\(n_splits=4, test_size=4, gap=0\): fold 0 has "
        r"no training rows\. It tests each series' rows from the 16th last on, "
        r"after 0 gap rows, so a series needs at least 17 rows to take part; the "
        r"longest has 15 \(the shortest 4\)\. Use fewer splits or a smaller "
        r"test_size\.",
    ):
        list(cv.split(panel))


@pytest.mark.parametrize(
    "X",
    [
        np.zeros((10, 2)),
        pd.DataFrame({"x": np.arange(10.0)}),
        pd.Series(np.arange(10.0), index=pd.period_range("2020-01", periods=10)),
    ],
)
def test_one_series_is_sent_to_time_series_split(X):
    with pytest.raises(
        ValueError,
        match=r"PanelTimeSeriesSplit splits a panel: X must be a pandas DataFrame or "
        r"Series indexed by a 2-level MultiIndex \(series, time\); got .*\. For one "
        r"series, use sklearn\.model_selection\.TimeSeriesSplit",
    ):
        next(PanelTimeSeriesSplit(2).split(X))


def test_an_unsorted_panel_is_refused_with_the_fix(panel):
    shuffled = panel.iloc[::-1]
    with pytest.raises(
        ValueError,
        match=r"PanelTimeSeriesSplit: the time labels of series 'd' do not strictly "
        r"increase.*panel\.sort_index\(\)",
    ):
        next(PanelTimeSeriesSplit(2).split(shuffled))


# --------------------------------------------------------------------------
# temporal_train_test_split
# --------------------------------------------------------------------------


def test_holdout_takes_the_last_rows_of_every_series(panel):
    train, test = temporal_train_test_split(panel, test_size=3)
    assert_series_equal(test, panel.groupby(level=0).tail(3))
    assert_series_equal(train, panel.groupby(level=0).head(-3))
    assert_series_equal(pd.concat([train, test]).sort_index(), panel)


def test_holdout_splits_X_and_y_alike(supervised):
    X, y = supervised
    X_train, X_test, y_train, y_test = temporal_train_test_split(X, y, test_size=1)
    assert X_train.index.equals(y_train.index)
    assert X_test.index.equals(y_test.index)
    assert_frame_equal(X_test, X.groupby(level=0).tail(1))
    _, values_test = temporal_train_test_split(X.to_numpy(), y, test_size=1)[2:]
    assert_array_equal(values_test, y_test)


def test_holdout_of_one_series_takes_its_last_rows():
    series = pd.Series(np.arange(6.0), index=pd.period_range("2020-01", periods=6))
    train, test = temporal_train_test_split(series, test_size=2)
    assert_series_equal(test, series.iloc[4:])
    assert_series_equal(train, series.iloc[:4])
    train, test = temporal_train_test_split(np.arange(6.0), test_size=2)
    assert train.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert test.tolist() == [4.0, 5.0]


def test_holdout_names_series_too_short_to_train_on(panel):
    with pytest.raises(
        ValueError,
        match=r"temporal_train_test_split\(test_size=8\): 2 series have 8 rows or "
        r"fewer, leaving nothing to train on: 'b' \(8 rows\), 'd' \(4 rows\)\. Use "
        r"a smaller test_size, or leave them out",
    ):
        temporal_train_test_split(panel, test_size=8)


@pytest.mark.parametrize(
    ("arrays", "kwargs", "match"),
    [
        (
            [np.arange(3.0)],
            {"test_size": 3},
            r"temporal_train_test_split\(test_size=3\) needs more than 3 rows to "
            r"leave some for training; got 3\.",
        ),
        (
            [np.arange(3.0)],
            {"test_size": 0},
            r"The 'test_size' parameter of temporal_train_test_split must be an int "
            r"in the range \[1, inf\)\. Got 0 instead\.",
        ),
        ([np.arange(3.0)], {"test_size": 0.5}, r"Got 0\.5 instead"),
        (
            [np.arange(3.0), np.arange(4.0)],
            {"test_size": 1},
            r"all inputs need the same number of rows .*; got \[3, 4\]\.",
        ),
        ([], {"test_size": 1}, r"needs at least one array to split"),
    ],
)
def test_holdout_errors(arrays, kwargs, match):
    with pytest.raises(ValueError, match=match):
        temporal_train_test_split(*arrays, **kwargs)


def test_holdout_refuses_inputs_whose_rows_do_not_line_up(supervised):
    X, y = supervised
    with pytest.raises(ValueError, match=r"the inputs' rows do not line up"):
        temporal_train_test_split(X, y.iloc[::-1], test_size=1)
