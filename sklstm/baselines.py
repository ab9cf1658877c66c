"""Naive forecasts as sklearn regressors: the yardsticks every score stands beside.

Both take the same ``X, y = make_supervised(series)`` as the LSTM forecaster,
so they are scored on exactly the same rows.
"""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from sklstm._validation import PositiveInt, target_column
from sklstm.preprocessing import LagWindower

__all__ = ["PersistenceRegressor", "SeasonalNaiveRegressor"]


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
