"""Forecast accuracy as forecasting competitions measure it: sMAPE and MASE.

Everything here is numpy/pandas only (no TensorFlow). For a panel ``y_true``
(indexed by ``(series, time)``) each metric is computed per series and then
averaged over the series with equal weight, the convention of the M and
Tourism competitions: a long series counts as much as a short one. For any
other ``y_true``, all rows are one series.

``neg_smape`` is a scorer for ``GridSearchCV(scoring=...)`` and
``cross_val_score``; MASE needs each series' training history, which a
scorer is not given, so :func:`make_mase_scorer` builds one from the whole
target.
"""

import numpy as np
import pandas as pd
from sklearn.metrics import make_scorer
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import check_array

from sklstm._naive import naive_scale
from sklstm._validation import PositiveInt
from sklstm.panel import _label, _time_key, check_panel, is_panel, series_layout

__all__ = ["make_mase_scorer", "mase", "neg_smape", "smape"]


def _align(y_true, y_pred, owner):
    """``y_pred`` in the row order of ``y_true`` when both carry an index."""
    both_pandas = isinstance(y_true, pd.Series | pd.DataFrame) and isinstance(
        y_pred, pd.Series | pd.DataFrame
    )
    if not both_pandas or y_pred.index.equals(y_true.index):
        return y_pred
    if not y_pred.index.is_unique:
        raise ValueError(
            f"{owner}: y_pred's index repeats labels, so its rows cannot be matched "
            "to y_true's. Give y_pred one row per label, or a numpy array in "
            "y_true's row order."
        )
    missing = ~y_true.index.isin(y_pred.index)
    if missing.any():
        first = y_true.index[np.flatnonzero(missing)[0]]
        first = tuple(map(_label, first)) if isinstance(first, tuple) else first
        raise ValueError(
            f"{owner}: y_pred has no row for {int(missing.sum())} rows of y_true, "
            f"such as {first!r}. Predict every row of y_true, or select the rows "
            "both have (y_true.loc[y_pred.index])."
        )
    return y_pred.reindex(y_true.index)


def _as_2d(y_true, y_pred, owner):
    """Both as float64 arrays of shape (n_rows, n_columns), checked to match."""
    y_pred = _align(y_true, y_pred, owner)
    true = check_array(y_true, ensure_2d=False, dtype=np.float64, input_name="y_true")
    pred = check_array(y_pred, ensure_2d=False, dtype=np.float64, input_name="y_pred")
    if true.ndim == 1 and pred.ndim == 2 and pred.shape[1] == 1:
        pred = pred.ravel()
    if pred.ndim == 1 and true.ndim == 2 and true.shape[1] == 1:
        true = true.ravel()
    if true.shape != pred.shape:
        raise ValueError(
            f"{owner}: y_true has shape {true.shape} and y_pred {pred.shape}; "
            "they must match (one prediction per true value)."
        )
    return true.reshape(len(true), -1), pred.reshape(len(pred), -1)


def _series_codes(y_true, owner):
    """Series number of each row of a panel y_true and the series ids."""
    codes, ids = pd.factorize(y_true.index.get_level_values(0))
    if (codes < 0).any():
        raise ValueError(
            f"{owner}: y_true has rows without a series id (NaN) in level 0 of "
            "its index. Drop them or give them an id."
        )
    return codes, ids


def _per_series_mean(values, y_true, owner):
    """Mean of ``values`` (n_rows, n_cols) per series, and the series ids.

    One series (ids None) when y_true is not a panel.
    """
    if not is_panel(y_true):
        return np.array([values.mean()]), None
    codes, ids = _series_codes(y_true, owner)
    sums = np.bincount(codes, weights=values.sum(axis=1), minlength=len(ids))
    counts = np.bincount(codes, minlength=len(ids)) * values.shape[1]
    return sums / counts, ids


def _result(per_series, ids, per_series_wanted, name, y_true, owner):
    """The equal-weight mean over series, or the per-series values."""
    if not per_series_wanted:
        return float(per_series.mean())
    if ids is None:
        raise ValueError(
            f"{owner}(per_series=True) needs a panel y_true, indexed by "
            f"(series, time); got {type(y_true).__name__} without a 2-level "
            "MultiIndex, which is one series. Leave per_series=False."
        )
    ids = pd.Index(ids, name=y_true.index.names[0])
    return pd.Series(per_series, index=ids, name=name)


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "per_series": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def smape(y_true, y_pred, *, per_series=False):
    """Symmetric mean absolute percentage error, on the 0-200 scale (M3).

    Each value contributes ``200 * |y - f| / (|y| + |f|)`` (0 when both are
    0). For a panel ``y_true`` (indexed by ``(series, time)``) these are
    averaged per series, over all its rows and all columns (a y of several
    horizons), and the series' values averaged with equal weight. Otherwise
    everything is one series.

    Parameters
    ----------
    y_true : Series, DataFrame or array-like of shape (n_samples,) or \
(n_samples, n_outputs)
        True values. A panel makes the average per series.
    y_pred : Series, DataFrame or array-like, same shape as ``y_true``
        Forecasts: in ``y_true``'s row order (a numpy array from
        ``predict``), or pandas with ``y_true``'s index labels, matched by
        label.
    per_series : bool, default=False
        Return each series' sMAPE instead of their mean (panels only).

    Returns
    -------
    smape : float or Series
        Between 0 (perfect) and 200; a Series indexed by series id with
        ``per_series=True``.

    See Also
    --------
    neg_smape : This metric as a scorer for ``GridSearchCV``.
    mase : Errors scaled by each series' naive forecast error.

    Notes
    -----
    Lower is better; as a scorer for ``GridSearchCV(scoring=...)`` or
    ``cross_val_score``, use ``sklstm.metrics.neg_smape`` (its negative).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import smape
    >>> smape([1.0, 2.0], [3.0, 2.0])
    50.0

    Two series, of 2 and 4 rows: each counts equally.

    >>> index = pd.MultiIndex.from_tuples(
    ...     [("a", 0), ("a", 1), ("b", 0), ("b", 1), ("b", 2), ("b", 3)]
    ... )
    >>> y_true = pd.Series([1.0, 1.0, 1.0, 2.0, 3.0, 1.0], index=index)
    >>> y_pred = [3.0, 1.0, 1.0, 2.0, 3.0, 3.0]
    >>> smape(y_true, y_pred, per_series=True).to_dict()
    {'a': 50.0, 'b': 25.0}
    >>> smape(y_true, y_pred)
    37.5
    """
    true, pred = _as_2d(y_true, y_pred, "smape")
    magnitude = np.abs(true) + np.abs(pred)
    terms = np.divide(
        200.0 * np.abs(true - pred),
        magnitude,
        out=np.zeros_like(magnitude),
        where=magnitude > 0,
    )
    values, ids = _per_series_mean(terms, y_true, "smape")
    return _result(values, ids, per_series, "smape", y_true, "smape")


neg_smape = make_scorer(smape, greater_is_better=False)
neg_smape.__doc__ = """Scorer: the negative of :func:`smape` (greater is better).

Use it as ``GridSearchCV(..., scoring=neg_smape)`` or
``cross_val_score(..., scoring=neg_smape)``. sklearn passes the test rows of
``y`` as given (a pandas panel keeps its index) and ``predict``'s array in the
same row order, so a panel is averaged per series.
"""


def _train_values(y_train):
    """The training history as a 1D float array (NaN allowed)."""
    if isinstance(y_train, pd.DataFrame) or np.ndim(y_train) == 2:
        n_columns = np.shape(y_train)[1]
        if n_columns != 1:
            raise ValueError(
                "mase: y_train is the history of the series, one value per row; "
                f"got {n_columns} columns. Pass the series itself (for "
                "make_supervised's y of several horizons, its first column)."
            )
    values = check_array(
        y_train,
        ensure_2d=False,
        dtype=np.float64,
        ensure_all_finite="allow-nan",
        input_name="y_train",
    )
    return values.ravel()


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "y_train": ["array-like"],
        "season_length": [PositiveInt()],
        "per_series": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def mase(y_true, y_pred, *, y_train, season_length=1, per_series=False):
    """Mean absolute scaled error: errors relative to a naive forecast's (M4).

    The mean absolute error of the forecasts divided by the mean absolute
    error, in sample, of the seasonal naive forecast (each value forecast by
    the one ``season_length`` steps earlier) on ``y_train``. Below 1
    beats that naive forecast on its own training data. For a panel
    ``y_true``, each series is scaled by its own history in ``y_train`` and
    the series' values averaged with equal weight.

    Parameters
    ----------
    y_true : Series, DataFrame or array-like of shape (n_samples,) or \
(n_samples, n_outputs)
        True values; per-series scaling for a panel.
    y_pred : Series, DataFrame or array-like, same shape as ``y_true``
        Forecasts, as for :func:`smape`.
    y_train : Series or array-like of shape (n_train,)
        The history each forecast was made from, one value per time step.
        A panel when ``y_true`` is one, holding every series of ``y_true``.
        NaN values are skipped.
    season_length : int, default=1
        Rows per season: the lag of the naive forecast (12 for monthly data,
        1 for the plain naive forecast).
    per_series : bool, default=False
        Return each series' MASE instead of their mean (panels only).

    Returns
    -------
    mase : float or Series
        0 is perfect; a Series indexed by series id with ``per_series=True``.

    Raises
    ------
    ValueError
        When a series' scale is 0 (its history repeats itself every
        ``season_length`` steps, a constant series for example) or undefined
        (``season_length`` or fewer training values): its MASE would be
        infinite or undefined and would make the mean so. The message names
        the series; evaluate them with :func:`smape` or leave them out.

    See Also
    --------
    make_mase_scorer : This metric as a scorer for ``GridSearchCV``.
    smape : Symmetric percentage errors, which need no history.

    Notes
    -----
    MASE is not offered as a plain scorer: a scorer sees only the test rows,
    and MASE needs each series' training history; :func:`make_mase_scorer`
    takes the whole target once and finds each fold's history in it.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import mase
    >>> round(mase([5.0, 6.0], [4.0, 6.0], y_train=[1.0, 2.0, 4.0]), 3)  # 0.5 / 1.5
    0.333

    Two series, each scaled by its own history:

    >>> train = pd.Series(
    ...     [1.0, 2.0, 4.0, 10.0, 12.0, 16.0],
    ...     index=pd.MultiIndex.from_tuples(
    ...         [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("b", 2)]
    ...     ),
    ... )
    >>> test = pd.Series(
    ...     [5.0, 6.0, 20.0],
    ...     index=pd.MultiIndex.from_tuples([("a", 3), ("a", 4), ("b", 3)]),
    ... )
    >>> mase(test, [4.0, 6.0, 23.0], y_train=train, per_series=True).round(3)
    a    0.333
    b    1.000
    Name: mase, dtype: float64
    """
    true, pred = _as_2d(y_true, y_pred, "mase")
    errors, ids = _per_series_mean(np.abs(true - pred), y_true, "mase")
    if is_panel(y_true) != is_panel(y_train):
        which, other = (
            ("y_true", "y_train")
            if is_panel(y_true)
            else (
                "y_train",
                "y_true",
            )
        )
        raise ValueError(
            f"mase: {which} is a panel, indexed by (series, time), but {other} is "
            "not. Each series is scaled by its own history: pass both as panels, "
            "or both as one series."
        )
    values = _train_values(y_train)
    layout = (
        check_panel(y_train, "mase")
        if is_panel(y_train)
        else series_layout(values, "mase")
    )
    scales = naive_scale(values, layout, season_length)
    if ids is None:
        rows = np.array([0])
    else:
        rows = pd.Index(layout.series).get_indexer(ids)
        unknown = np.flatnonzero(rows < 0)
        if unknown.size:
            named = [_label(ids[i]) for i in unknown[:5]]
            raise ValueError(
                f"mase: {unknown.size} series of y_true have no history in "
                f"y_train, such as {named}. y_train must hold every series of "
                "y_true."
            )
    scale = scales[rows]
    bad = np.flatnonzero(~(scale > 0))
    if bad.size:
        if ids is None:
            which = "y_train"
        else:
            which = f"{bad.size} series, such as {[_label(ids[i]) for i in bad[:5]]}"
        raise ValueError(
            f"mase: the naive forecast of lag season_length={season_length} has no "
            f"error on the history of {which}: it is 0 (the history repeats every "
            f"{season_length} steps, a constant series for example) or undefined "
            f"({season_length} or fewer values). Their MASE "
            "would be infinite or undefined. Evaluate them with smape, or leave "
            "them out of y_true."
        )
    return _result(errors / scale, ids, per_series, "mase", y_true, "mase")


def _history_before(y_true, y, owner):
    """Rows of ``y`` before the first row of each series of ``y_true``."""
    if isinstance(y, pd.DataFrame):
        y = y.iloc[:, 0]  # the one-step values of a y of several horizons
    if not isinstance(y_true, pd.Series | pd.DataFrame):
        raise ValueError(
            f"{owner} needs the pandas y (its index says where each test fold "
            f"starts); the scorer got y as {type(y_true).__name__}. Pass y as a "
            "pandas Series or DataFrame to fit or cross_val_score."
        )
    if not is_panel(y_true):
        if is_panel(y):
            raise ValueError(
                f"{owner}: the scorer was made from a panel but scores a y without "
                "a (series, time) index."
            )
        return y[y.index < y_true.index.min()]
    layout = check_panel(y, owner)
    times, true_times = y.index.get_level_values(1), y_true.index.get_level_values(1)
    if times.dtype != true_times.dtype:
        raise ValueError(
            f"{owner}: the time labels of the scored y ({true_times.dtype}) and of "
            f"the y the scorer was made from ({times.dtype}) differ. Make the "
            "scorer from the same y."
        )
    codes, ids = _series_codes(y_true, owner)
    first = pd.Series(_time_key(true_times, owner)).groupby(codes).min().to_numpy()
    series = pd.Index(ids).get_indexer(layout.series)[layout.codes]  # per row
    known = series >= 0
    keep = np.zeros(len(y), dtype=bool)
    keep[known] = _time_key(times, owner)[known] < first[series[known]]
    return y[keep]


class _MASEScorer:
    """Callable ``scorer(estimator, X, y)``: minus MASE, history found in ``y``."""

    def __init__(self, y, season_length):
        self.y = y
        self.season_length = season_length

    def __call__(self, estimator, X, y_true):
        y_pred = estimator.predict(X)
        y_train = _history_before(y_true, self.y, "make_mase_scorer")
        return -mase(y_true, y_pred, y_train=y_train, season_length=self.season_length)

    def __repr__(self):
        return f"make_mase_scorer(season_length={self.season_length})"


@validate_params(
    {
        "y": [pd.Series, pd.DataFrame],
        "season_length": [PositiveInt()],
    },
    prefer_skip_nested_validation=True,
)
def make_mase_scorer(y, *, season_length=1):
    """A scorer of minus :func:`mase` that finds each fold's history in ``y``.

    A scorer is called with only the test rows of a fold; MASE also needs the
    history of each series before them. This scorer keeps the whole target
    ``y`` and, for each fold, scales each series by its rows of ``y`` that
    come before its first test row (its training rows and any gap): the
    in-sample naive error up to the fold's cut-off.

    Parameters
    ----------
    y : Series or DataFrame
        The target passed to ``GridSearchCV.fit`` or ``cross_val_score``,
        with its index (a panel or one series). For a y of several horizons
        (``make_supervised(..., horizon=h)``), its first column (the values
        one step ahead) is the history.
    season_length : int, default=1
        Rows per season: the lag of the naive forecast.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y_test)``, greater is better (minus MASE),
        for ``GridSearchCV(scoring=...)`` or ``cross_val_score(scoring=...)``.
        Fit with the same pandas ``y``, so that the test rows keep its index.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.dummy import DummyRegressor
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklstm import PanelTimeSeriesSplit
    >>> from sklstm.metrics import make_mase_scorer
    >>> index = pd.MultiIndex.from_product([["a", "b"], range(8)])
    >>> y = pd.Series(np.arange(16.0) ** 1.5, index=index)
    >>> X = y.to_frame("x")
    >>> scores = cross_val_score(
    ...     DummyRegressor(), X, y, cv=PanelTimeSeriesSplit(2, test_size=2),
    ...     scoring=make_mase_scorer(y),
    ... )
    >>> scores.shape, bool((scores < 0).all())
    ((2,), True)
    """
    return _MASEScorer(y, season_length)
