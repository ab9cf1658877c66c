"""Prediction intervals for forecasts, calibrated on out-of-sample errors.

:class:`ConformalForecaster` wraps a forecasting recipe. In ``fit`` it holds
out the last rows of every series, fits the recipe on what precedes them and
forecasts the held-out rows from several origins (a rolling-origin backtest,
no refit per origin): the errors of those forecasts, per step ahead and
scaled by each series' own in-sample naive error, are its calibration data.
``forecast(model, history, steps, interval=0.9)`` then puts bounds around the
point forecast at the conformal quantiles of the errors of each step, so the
intervals widen with the horizon as the errors do. numpy/pandas only; the
recipe inside may use Keras.
"""

import math
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from sklstm._naive import naive_scale
from sklstm._time_index import labels_after_ends
from sklstm._validation import PositiveInt, target_column
from sklstm.forecasting import forecast
from sklstm.panel import is_panel, series_layout

__all__ = ["ConformalForecaster"]


class ConformalForecaster(RegressorMixin, BaseEstimator):
    """A forecaster whose forecasts come with calibrated prediction intervals.

    ``fit`` runs a rolling-origin backtest of ``estimator`` on the last
    ``calibration_size`` rows of every series: it fits a clone on the rows
    before them, forecasts ``steps`` ahead from each of those rows in turn
    (no refit per origin) and keeps the errors, per step ahead, divided by
    each series' in-sample mean absolute change over ``season_length`` rows
    (so that series of any scale pool their errors). Point predictions come
    from another clone fitted on all rows (``refit=True``), or from the
    calibration clone itself. :func:`sklstm.forecast` with ``interval=``
    puts bounds the split-conformal quantile of each step's absolute errors
    away from the point forecast, on both sides.

    Histories shorter than the estimator's window are padded before their
    start (see :func:`sklstm.forecast`), so each series needs only more rows
    than ``calibration_size``: one left to forecast from at the earliest
    origin. A fitted model wrapped in scikit-learn's ``FrozenEstimator``
    keeps its weights: ``fit`` then fits nothing (cloning and fitting a
    frozen model do nothing), and measures the errors of the frozen model's
    forecasts; they are out of sample only if it was not trained on the
    calibration rows.

    Parameters
    ----------
    estimator : regressor
        The recipe, for ``X, y = make_supervised(series_or_panel, horizon)``
        (e.g. :func:`~sklstm.make_forecaster`); cloned, never modified.
    steps : int, default=12
        The furthest step ahead calibrated: ``forecast(..., interval=...)``
        accepts up to this many steps.
    calibration_size : int or None, default=None
        Rows at the end of each series held out to calibrate on (they are
        the forecast origins, and the actual values compared with). None
        picks ``steps`` plus enough origins that each step gets at least 40
        errors across all series (at most half of the shortest series).
    season_length : int, default=1
        Rows per season: the lag of the in-sample naive error that scales
        each series' errors (12 for monthly series with a yearly pattern). A
        series whose naive error is 0 or undefined keeps its errors
        unscaled.
    refit : bool, default=True
        Fit a second clone on all rows for the point forecasts (the
        calibration clone has not trained on the last ``calibration_size``
        rows). False uses the calibration clone for the point forecasts too,
        which saves the second fit: fine for a panel of many series, where the
        held-out rows are a small share of each series; a single series loses
        its most recent rows from training.
    target : int or str, default=0
        The column of X holding the target's value at t (the series itself,
        as ``make_supervised`` keeps it).

    Attributes
    ----------
    forecaster_ : estimator
        The fitted clone that makes the point forecasts.
    calibration_errors_ : ndarray of shape (n_forecasts, steps)
        Scaled errors (actual minus forecast) of the backtest, one row per
        origin and series; NaN where the actual value lies beyond the end of
        the series.
    n_features_in_ : int
        Columns of X.

    See Also
    --------
    sklstm.forecast : ``interval=`` asks it for bounds.

    Notes
    -----
    The coverage is honest out of sample as far as the backtest errors are
    like the future's: exchangeable errors give at least the nominal
    coverage (split conformal prediction); errors that drift (a level shift,
    a change of regime) do not. ``benchmarks/intervals.py`` measures the
    coverage on a forecasting competition's data.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm import ConformalForecaster, PersistenceRegressor, forecast
    >>> from sklstm import make_supervised
    >>> rng = np.random.default_rng(0)
    >>> series = pd.Series(100 + rng.normal(size=120).cumsum(),
    ...                    index=pd.period_range("2010-01", periods=120, freq="M"))
    >>> model = ConformalForecaster(PersistenceRegressor(), steps=3)
    >>> model = model.fit(*make_supervised(series))
    >>> future = forecast(model, series, steps=3, interval=0.8)
    >>> future.columns.tolist(), (future["upper"] > future["lower"]).all()
    (['forecast', 'lower', 'upper'], np.True_)
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "estimator": [HasMethods(["fit", "predict"])],
        "steps": [PositiveInt()],
        "calibration_size": [PositiveInt(), None],
        "season_length": [PositiveInt()],
        "refit": ["boolean"],
        "target": [Integral, str],
    }

    # errors each calibrated step should have at least, for 95% intervals
    _MIN_ERRORS = 40

    def __init__(
        self,
        estimator,
        *,
        steps=12,
        calibration_size=None,
        season_length=1,
        refit=True,
        target=0,
    ):
        self.estimator = estimator
        self.steps = steps
        self.calibration_size = calibration_size
        self.season_length = season_length
        self.refit = refit
        self.target = target

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Backtest a clone of ``estimator`` on each series' last rows, then fit.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows at time t, from :func:`~sklstm.make_supervised` (a panel
            keeps its ``(series, time)`` index): the ``target`` column is the
            series itself.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            The value(s) after t.

        Returns
        -------
        self : object
            The fitted forecaster.
        """
        validate_data(self, X, skip_check_array=True)
        if self.n_features_in_ != 1:
            raise ValueError(
                f"{type(self).__name__} backtests forecasts of one series: X must "
                "be the one column make_supervised(series) gives (the series at "
                f"t); got {self.n_features_in_} columns. Forecasting with other "
                "columns would need their future values."
            )
        y_values = check_array(
            y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False
        )
        horizon = 1 if y_values.ndim == 1 else y_values.shape[1]
        series = _series_from_supervised(X, y_values, self.target, horizon)
        return self._backtest_and_fit(
            series,
            horizon,
            fit_before=lambda model, size: model.fit(
                _take(X, _rows_before_tail(X, size)),
                _take(y, _rows_before_tail(X, size)),
            ),
            fit_all=lambda model: model.fit(X, y),
        )

    def _backtest_and_fit(self, series, horizon, fit_before, fit_all):
        """Calibrate on ``series``: fit, backtest its last rows, (re)fit.

        ``fit_before(model, size)`` fits ``model`` on the pairs of each
        series' rows but its last ``size`` (and returns it);
        ``fit_all(model)`` on all pairs. :meth:`fit` fits on X and y;
        :func:`sklstm.fit_panel` fits from the panel itself.
        """
        layout = series_layout(series, type(self).__name__)
        size = self._calibration_rows(layout)
        self._check_enough_rows(series, layout, size, horizon)
        model = fit_before(clone(self.estimator), size)
        errors = []
        values = series.to_numpy(dtype=np.float64)
        for origin in range(size):
            cut = size - origin  # rows after the origin, per series
            keep = layout.positions < np.repeat(layout.lengths - cut, layout.lengths)
            history = series[keep]
            history_layout = series_layout(history, type(self).__name__)
            ahead = min(self.steps, cut)
            point = np.asarray(forecast(model, history, steps=ahead), dtype=float)
            point = point.reshape(len(layout.starts), ahead)
            actual_rows = (layout.ends - cut)[:, np.newaxis] + np.arange(ahead)
            scale = self._scale(history.to_numpy(dtype=np.float64), history_layout)
            error = np.full((len(layout.starts), self.steps), np.nan)
            error[:, :ahead] = (values[actual_rows] - point) / scale[:, np.newaxis]
            errors.append(error)
        self.calibration_errors_ = np.concatenate(errors)
        self.forecaster_ = fit_all(clone(self.estimator)) if self.refit else model
        return self

    def _calibration_rows(self, layout):
        if self.calibration_size is not None:
            return self.calibration_size
        origins = math.ceil(self._MIN_ERRORS / len(layout.starts))
        return min(self.steps + origins - 1, int(layout.lengths.min()) // 2)

    def _check_calibration(self, series, levels, horizon=1):
        """Refuse, before any training, what ``fit`` then ``forecast`` would.

        ``fit`` on ``make_supervised(series, horizon=horizon)`` holds out each
        series' last rows, and a forecast's interval of level L at step h
        needs enough calibration errors of that step (one per series for
        each origin at least h rows before the end). The command line calls
        this before it backtests or trains anything.

        Parameters
        ----------
        series : Series
            One series, or a panel with a ``(series, time)`` index.
        levels : sequence of float
            The interval levels the forecasts will ask for, in (0, 1).
        horizon : int, default=1
            Steps ahead ``estimator`` is fitted to predict at once.

        Raises
        ------
        ValueError
            Naming what is short (rows to hold out, or errors for a level at
            a step) and the fix.
        """
        layout = series_layout(series, type(self).__name__)
        size = self._calibration_rows(layout)
        self._check_enough_rows(series, layout, size, horizon)
        n_series = len(layout.starts)
        for level in levels:
            for step in range(self.steps):
                self._check_enough_errors(level, step, n_series * (size - step))

    def _check_enough_rows(self, series, layout, size, horizon):
        if size < self.steps:
            given = (
                f"calibration_size={size}"
                if self.calibration_size is not None
                else f"the default calibration_size, {size} (half the shortest series)"
            )
            raise ValueError(
                f"{type(self).__name__}(steps={self.steps}) needs calibration_size "
                f">= steps to measure errors {self.steps} steps ahead; got {given}; "
                f"the shortest series has {int(layout.lengths.min())} rows. Give a "
                "smaller steps or longer series."
            )
        if not (layout.lengths - horizon > size).any():
            raise ValueError(
                f"{type(self).__name__}: holding out the last {size} rows of every "
                "series (calibration_size) leaves no row to fit the estimator on. "
                "Give a smaller calibration_size or longer series."
            )
        empty = layout.lengths - size < 1
        if empty.any():  # shorter histories are padded: one value is enough
            which = (
                f"series {_names(layout, empty)}" if is_panel(series) else "the series"
            )
            raise ValueError(
                f"{type(self).__name__}: holding out calibration_size={size} rows "
                f"leaves {which} no row to forecast from. Give a smaller "
                "calibration_size (at least steps) or longer series."
            )

    def _check_enough_errors(self, level, step, n):
        """A conformal quantile of level ``level`` needs rank <= n errors."""
        if math.ceil((n + 1) * level) > n:
            need = math.ceil(level / (1 - level))
            raise ValueError(
                f"A {level:.0%} interval {step + 1} steps ahead needs at least "
                f"{need} calibration errors of that step; {type(self).__name__} "
                f"has {n}. Give a larger calibration_size (more origins), more "
                "series, or a lower level."
            )

    def predict(self, X):
        """Point predictions of ``forecaster_``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows at time t.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            The fitted forecaster's predictions.
        """
        check_is_fitted(self)
        return self.forecaster_.predict(X)

    def prediction_interval(self, history, point, levels):
        """Bounds around forecasts from ``history``, one pair per level.

        This is what :func:`sklstm.forecast` calls with ``interval=``: the
        bounds of step h are the forecast minus and plus the conformal
        quantile of the absolute calibration errors of step h, times the
        series' own scale (its in-sample mean absolute change over
        ``season_length`` rows).

        Parameters
        ----------
        history : Series
            The history forecast from (one series, or a panel).
        point : ndarray of shape (n_series, steps)
            The point forecasts, one row per series in the history's order.
        levels : sequence of float
            Nominal coverages in (0, 1).

        Returns
        -------
        bounds : dict of float to (ndarray, ndarray)
            For each level, the lower and upper bounds, shaped like ``point``.
        """
        check_is_fitted(self)
        steps = point.shape[1]
        if steps > self.steps:
            raise ValueError(
                f"{type(self).__name__} is calibrated for up to steps={self.steps} "
                f"steps ahead; got a forecast of {steps}. Refit it with "
                f"steps={steps}."
            )
        layout = series_layout(history, "forecast")
        values = np.asarray(history, dtype=np.float64).ravel()
        scale = self._scale(values, layout)[:, np.newaxis]
        bounds = {}
        for level in levels:
            low, high = self._quantiles(level, steps)
            bounds[level] = (point + low * scale, point + high * scale)
        return bounds

    def _scale(self, values, layout):
        """Each series' in-sample naive error; 1 (errors unscaled) where none."""
        return naive_scale(values, layout, self.season_length, default=1.0)

    def _quantiles(self, level, steps):
        """Conformal quantile of each step's absolute errors, for ``level``."""
        width = np.empty(steps)
        for step in range(steps):
            errors = np.abs(self.calibration_errors_[:, step])
            errors = np.sort(errors[~np.isnan(errors)])
            n = len(errors)
            self._check_enough_errors(level, step, n)
            width[step] = errors[math.ceil((n + 1) * level) - 1]
        return -width, width


def _series_from_supervised(X, y, target, horizon):
    """The series behind ``X, y = make_supervised(series)``.

    X's target column, then the last row's ``horizon`` target values, per
    series.
    """
    level = target_column(X, target, "ConformalForecaster")
    index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(level))
    layout = series_layout(index, "ConformalForecaster") if is_panel(index) else None
    if layout is None:
        layout = series_layout(level, "ConformalForecaster")
    tails = y.reshape(len(y), -1)[layout.ends - 1][:, :horizon]
    # the tail rows' labels continue each series' time by 1 .. horizon steps
    times = index.get_level_values(1) if is_panel(index) else index
    after = labels_after_ends(times, layout.starts, layout.lengths, horizon)
    if after is None:
        raise ValueError(
            "ConformalForecaster backtests forecasts at the times after each "
            "origin, but X's time index has no defined step (irregular dates, "
            "or labels that are not times). Index the rows by periods, dates "
            "with a frequency or integers (sklstm.to_panel converts dates)."
        )
    position = np.concatenate(
        [np.arange(len(level)), np.repeat(layout.ends - 1, horizon) + 0.5]
    )
    values = np.concatenate([level, tails.ravel()])
    series_ids = (
        index.get_level_values(0)[np.repeat(layout.ends - 1, horizon)]
        if is_panel(index)
        else None
    )
    n_series = len(layout.starts)
    series_major = (
        np.arange(n_series)[:, np.newaxis] + np.arange(horizon) * n_series
    ).ravel()
    tail_times = after[0].append(after[1:]).take(series_major)
    order = np.argsort(position, kind="stable")
    if is_panel(index):
        tail_index = pd.MultiIndex.from_arrays(
            [series_ids, tail_times], names=index.names
        )
        full_index = index.append(tail_index)
    else:
        full_index = times.append(tail_times)
    name = None
    if isinstance(X, pd.DataFrame):
        name = target if isinstance(target, str) else X.columns[target]
    return pd.Series(values[order], index=full_index[order], name=name)


def _rows_before_tail(X, tail):
    """Rows of X at least ``tail`` rows before the end of their series."""
    layout = series_layout(X, "ConformalForecaster")
    return layout.positions < np.repeat(layout.lengths - tail, layout.lengths)


def _take(data, rows):
    return data[rows] if not hasattr(data, "iloc") else data.iloc[np.flatnonzero(rows)]


def _names(layout, mask):
    names = [str(name) for name in layout.series[np.flatnonzero(mask)[:5]]]
    return f"{names}{' ...' if mask.sum() > 5 else ''}"
