"""Naive forecasts as sklearn regressors: the yardsticks every score stands beside.

Both take the same ``X, y = make_supervised(series)`` as the LSTM forecaster,
so they are scored on exactly the same rows.
"""

import copy
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from sklstm._validation import PositiveInt, target_column
from sklstm.panel import is_panel, series_layout
from sklstm.preprocessing import LagWindower

__all__ = ["DriftRegressor", "PersistenceRegressor", "SeasonalNaiveRegressor"]


class _NaiveRegressor(RegressorMixin, BaseEstimator):
    """Shared fit and tags of the naive forecasts: they learn no weights.

    ``fit`` checks X and y and records the number of horizons, then calls
    ``_remember(X)`` for whatever the subclass keeps of the data.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Record the shapes and what the forecast repeats; nothing is learned.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows at time t in time order.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Target after t.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        validate_data(self, X, y, ensure_all_finite="allow-nan", multi_output=True)
        y = check_array(y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False)
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        self._y_ndim = y.ndim
        self._remember(X)
        return self

    def _remember(self, X):
        """Keep what ``predict`` needs of the fitted rows (nothing, here)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags


class PersistenceRegressor(_NaiveRegressor):
    """Forecast that the next value equals the current one (the "last value").

    Parameters
    ----------
    target : int or str, default=0
        The column of X holding the target's value at t (position, or name
        for a DataFrame).

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of X.
    n_outputs_ : int
        Columns of y (every horizon gets the current value).

    See Also
    --------
    SeasonalNaiveRegressor : Repeat the value one season earlier.

    Examples
    --------
    >>> from sklstm import PersistenceRegressor, make_supervised
    >>> X, y = make_supervised([1.0, 3.0, 2.0, 5.0])
    >>> PersistenceRegressor().fit(X, y).predict(X)
    array([1., 3., 2.])
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "target": [Integral, str],
    }

    def __init__(self, target=0):
        self.target = target

    def predict(self, X):
        """Predict the current value of the target column for every horizon.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows at time t.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            float64 predictions.
        """
        check_is_fitted(self)
        validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        level = target_column(X, self.target, type(self).__name__)
        if self._y_ndim == 1:
            return level
        return np.repeat(level[:, np.newaxis], self.n_outputs_, axis=1)


class SeasonalNaiveRegressor(_NaiveRegressor):
    """Forecast that each value repeats the value one season earlier.

    The forecast for ``t+h`` is the value at ``t+h-season_length`` (for
    ``h <= season_length``), read from the rows up to ``t``. Those earlier
    rows come from X itself, and for a pandas X that directly continues the
    fitted index (a test fold), from the rows remembered in ``fit``, exactly
    as :class:`~sklstm.LagWindower` does. Rows without that history predict NaN.

    Parameters
    ----------
    season_length : int, default=12
        Rows per season (12 for monthly data with a yearly pattern).
    target : int or str, default=0
        The column of X holding the target's value at t.

    Attributes
    ----------
    windower_ : LagWindower
        The fitted windower over the target column.
    n_features_in_ : int
        Number of columns of X.
    n_outputs_ : int
        Columns of y (horizons).

    See Also
    --------
    PersistenceRegressor : Repeat the last value.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SeasonalNaiveRegressor, make_supervised
    >>> X, y = make_supervised(np.array([1.0, 2.0, 3.0, 1.5, 2.5, 3.5, 2.0]))
    >>> SeasonalNaiveRegressor(season_length=3).fit(X, y).predict(X)
    array([nan, nan, 1. , 2. , 3. , 1.5])
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "season_length": [PositiveInt()],
        "target": [Integral, str],
    }

    def __init__(self, season_length=12, target=0):
        self.season_length = season_length
        self.target = target

    def _target_frame(self, X):
        level = target_column(X, self.target, type(self).__name__)
        if isinstance(X, pd.DataFrame):
            return X.iloc[:, :0].assign(level=level)
        return level.reshape(-1, 1)

    def _remember(self, X):
        """Fit a windower over the target column (it keeps the last season)."""
        if self.n_outputs_ > self.season_length:
            raise ValueError(
                f"SeasonalNaiveRegressor(season_length={self.season_length}) can "
                f"forecast at most {self.season_length} steps ahead; y has "
                f"{self.n_outputs_} columns."
            )
        with warnings.catch_warnings():
            # fewer rows than a season is fine here: those rows predict NaN
            warnings.filterwarnings("ignore", message=r"LagWindower\(look_back=")
            self.windower_ = LagWindower(self.season_length, dtype=np.float64).fit(
                self._target_frame(X)
            )

    def predict(self, X):
        """Predict the value one season before each target time.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows at time t in time order.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            float64 predictions (NaN where that history is not available).
        """
        check_is_fitted(self)
        validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        windows = self.windower_.transform(self._target_frame(X))
        # window column k holds lag (season_length - 1 - k); t+h needs lag s-h
        columns = [h - 1 for h in range(1, self.n_outputs_ + 1)]
        out = windows[:, columns]
        return out[:, 0] if self._y_ndim == 1 else out


class DriftRegressor(_NaiveRegressor):
    """Forecast along the line from a series' first value to its current one.

    The forecast ``h`` steps after row t is ``x_t + h * (x_t - x_0) / n``,
    where ``x_0`` is the series' first value and ``n`` the steps from it to
    t: the "drift" method of Hyndman and Athanasopoulos, *Forecasting:
    Principles and Practice*. The first value is the first row of each
    series in X; :func:`~sklstm.forecast`, which feeds only each series'
    last row, first binds the whole history through :meth:`for_history`
    (a pandas history: from a NumPy one it would forecast flat).
    Fit it on ``make_supervised(series, horizon=steps)`` (a direct
    forecast): fed back its own predictions one step at a time it would
    count them as history.

    Parameters
    ----------
    target : int or str, default=0
        The column of X holding the target's value at t.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of X.
    n_outputs_ : int
        Columns of y (horizons).

    See Also
    --------
    PersistenceRegressor : Repeat the last value.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import forecast, make_supervised
    >>> from sklstm.baselines import DriftRegressor
    >>> series = pd.Series([1.0, 2.0, 4.0, 7.0])
    >>> model = DriftRegressor().fit(*make_supervised(series, horizon=2))
    >>> forecast(model, series, steps=2).tolist()
    [9.0, 11.0]
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "target": [Integral, str],
    }

    def __init__(self, target=0):
        self.target = target

    def _series_keys(self, X, n_rows):
        """Each row's series label (one label for a table that is not a panel)."""
        if is_panel(X):
            return np.asarray(X.index.get_level_values(0), dtype=object)
        return np.full(n_rows, None, dtype=object)

    def _layout(self, X, level):
        """Where X's series sit (one series unless X is a panel)."""
        rows = X if is_panel(X) else level.reshape(-1, 1)
        return series_layout(rows, type(self).__name__)

    def for_history(self, X):
        """A copy that takes each series' first value and length from X.

        Part of the forecasting protocol (see :mod:`sklstm.forecasting`).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The whole history of every series forecast.

        Returns
        -------
        bound : DriftRegressor
            A fitted copy whose predictions for a series of X read its rows
            as the last row of that history.
        """
        check_is_fitted(self)
        level = target_column(X, self.target, type(self).__name__)
        layout = self._layout(X, level)
        keys = self._series_keys(X, len(level))
        bound = copy.copy(self)
        bound._history = {
            keys[start]: (level[start], int(length))
            for start, length in zip(layout.starts, layout.lengths, strict=True)
        }
        return bound

    def predict(self, X):
        """Predict along each series' drift line.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows at time t in time order (per series, for a panel).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            float64 predictions.
        """
        check_is_fitted(self)
        validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        level = target_column(X, self.target, type(self).__name__)
        keys = self._series_keys(X, len(level))
        history = getattr(self, "_history", None)
        first = np.empty(len(level))
        steps = np.empty(len(level))
        if history is not None and all(key in history for key in keys):
            for row, key in enumerate(keys):
                first[row], length = history[key]
                steps[row] = length - 1
        else:
            layout = self._layout(X, level)
            for start, length in zip(layout.starts, layout.lengths, strict=True):
                first[start : start + length] = level[start]
                steps[start : start + length] = np.arange(length)
        slope = np.where(steps > 0, (level - first) / np.maximum(steps, 1), 0.0)
        ahead = np.arange(1, self.n_outputs_ + 1)
        out = level[:, np.newaxis] + slope[:, np.newaxis] * ahead
        return out[:, 0] if self._y_ndim == 1 else out
