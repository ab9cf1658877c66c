"""RelativeTargetRegressor: learn the change of y relative to the current level."""

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from sklstm._relative import (
    RELATIVE_KINDS,
    check_relative_values,
    from_relative,
    to_relative,
)
from sklstm._validation import check_finite, check_y_given, reference_column

__all__ = ["RelativeTargetRegressor"]


class RelativeTargetRegressor(RegressorMixin, BaseEstimator):
    """Fit a regressor on the change of y relative to a column of X at time t.

    Like sklearn's ``TransformedTargetRegressor``, but the transform depends on
    the current level: the wrapped regressor learns ``z = y - x`` ("difference"),
    ``y / x`` ("ratio"), ``log(y / x)`` ("log_ratio") or
    ``log((1 + y) / (1 + x))`` ("log1p_ratio"), where ``x`` is the
    ``reference`` column of X in the same row, and predictions are turned back
    into y's units. An LSTM in a pipeline sees only scaled windows and cannot
    extrapolate a trend; predicting the change relative to the last value can.

    Parameters
    ----------
    regressor : estimator
        The regressor fitted on the relative target (cloned in ``fit``).
    reference : int or str, default=0
        The column of X holding the current level of y: a position, or a name
        for DataFrame input.
    kind : {"difference", "ratio", "log_ratio", "log1p_ratio"}, \
default="log_ratio"
        How y is expressed relative to the reference. The ratio kinds need
        positive values (``log_ratio``), values >= 0 (``log1p_ratio``, for
        counts that can be zero: nearly ``log_ratio`` for large values) or a
        nonzero reference (``ratio``).

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when it is a DataFrame.

    See Also
    --------
    sklstm.make_forecaster : A ready forecasting recipe built on this class.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklstm import RelativeTargetRegressor
    >>> X = np.arange(1.0, 11.0).reshape(-1, 1)
    >>> y = 1.1 * X.ravel()  # always 10% above the current level
    >>> model = RelativeTargetRegressor(LinearRegression()).fit(X, y)
    >>> model.predict([[100.0]]).round(6)
    array([110.])
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "regressor": [HasMethods(["fit", "predict"])],
        "reference": [numbers.Integral, str],
        "kind": [StrOptions(set(RELATIVE_KINDS))],
    }

    def __init__(self, regressor, reference=0, kind="log_ratio"):
        self.regressor = regressor
        self.reference = reference
        self.kind = kind

    def _levels(self, X):
        return reference_column(X, self.reference, type(self).__name__)

    def _check_values(self, values, what, index):
        """Refuse values the ratio kinds cannot take, naming the rows."""
        check_relative_values(
            values,
            self.kind,
            f"RelativeTargetRegressor(kind={self.kind!r}): {what}",
            index=index,
        )

    def _to_relative(self, y, level):
        return to_relative(y, level.reshape(-1, *([1] * (y.ndim - 1))), self.kind)

    def to_levels(self, z, X):
        """Turn predictions of the relative target back into y's units.

        This is what :meth:`predict` does with ``regressor_.predict(X)``;
        :func:`sklstm.forecast` calls it with the inner prediction of the
        last row only (the protocol of relative-target wrappers).

        Parameters
        ----------
        z : array-like of shape (n_samples,) or (n_samples, horizon)
            Predictions of ``regressor_`` for the rows of X.
        X : array-like or DataFrame of shape (n_samples, n_features)
            The rows at time t the predictions are for; their ``reference``
            column holds the level z is relative to.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            float64 predictions in y's units.
        """
        z = np.asarray(z, dtype=np.float64)
        level = self._levels(X)
        return from_relative(z, level.reshape(-1, *([1] * (z.ndim - 1))), self.kind)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the regressor on y relative to the reference column of X.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows at time t; passed unchanged to the regressor (a DataFrame
            keeps its index, which LagWindower uses).
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Target after t, in its own units.
        **fit_params : dict
            Passed to the regressor's ``fit``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        check_y_given(y, type(self).__name__)
        validate_data(self, X, skip_check_array=True)
        y_values = check_array(
            y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False
        )
        index = getattr(X, "index", getattr(y, "index", None))
        check_finite(
            y_values,
            "RelativeTargetRegressor: y",
            "A target cannot be missing: drop those rows.",
            index=index,
        )
        level = self._levels(X)
        if len(level) != len(y_values):
            raise ValueError(
                f"X has {len(level)} rows but y has {len(y_values)}; they must match."
            )
        check_finite(
            level,
            f"RelativeTargetRegressor: the reference column of X ({self.reference!r})",
            "The target is learned relative to it, so those rows cannot be "
            "trained on: fill the missing values in X (e.g. X.interpolate()) "
            "or drop those rows.",
            index=index,
        )
        self._check_values(level, "the reference values in X", index)
        if self.kind != "ratio":  # a ratio needs only a nonzero reference
            self._check_values(y_values, "the values in y", index)
        z = self._to_relative(y_values, level)
        if isinstance(y, pd.Series | pd.DataFrame):
            z = (pd.Series if z.ndim == 1 else pd.DataFrame)(z, index=y.index)
        self.regressor_ = clone(self.regressor).fit(X, z, **fit_params)
        return self

    def predict(self, X, **predict_params):
        """Predict y in its own units.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows at time t.
        **predict_params : dict
            Passed to the regressor's ``predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            Predictions, float64.
        """
        check_is_fitted(self)
        return self.to_levels(self.regressor_.predict(X, **predict_params), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.regressor)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.target_tags.multi_output = inner.target_tags.multi_output
        return tags
