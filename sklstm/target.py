"""RelativeTargetRegressor: learn the change of y relative to the current level."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import HasMethods, StrOptions

from sklstm._relative import (
    RELATIVE_KINDS,
    check_relative_values,
    from_relative,
    to_relative,
)
from sklstm._target_wrapper import TargetWrapper, per_row
from sklstm._validation import check_finite

__all__ = ["RelativeTargetRegressor"]


class RelativeTargetRegressor(TargetWrapper):
    """Fit a regressor on the change of y relative to a column of X at time t.

    Like sklearn's ``TransformedTargetRegressor``, but the transform depends on
    the current level: the wrapped regressor learns ``z = y - x`` ("difference"),
    ``y / x`` ("ratio"), ``log(y / x)`` ("log_ratio") or
    ``log((1 + y) / (1 + x))`` ("log1p_ratio"), where ``x`` is the
    ``target`` column of X in the same row (the target's value at t), and
    predictions are turned back into y's units. An LSTM in a pipeline sees
    only scaled windows and cannot extrapolate a trend; predicting the change
    relative to the last value can.

    Parameters
    ----------
    regressor : estimator
        The regressor fitted on the relative target (cloned in ``fit``).
    target : int or str, default=0
        The column of X holding the target's value at t (``make_supervised``
        keeps it): a position, or a name for DataFrame input.
    kind : {"difference", "ratio", "log_ratio", "log1p_ratio"}, \
default="log_ratio"
        How y is expressed relative to its value at t. The ratio kinds need
        positive values (``log_ratio``), values >= 0 (``log1p_ratio``, for
        counts that can be zero: nearly ``log_ratio`` for large values) or a
        nonzero value at t (``ratio``).

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
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
        "target": [Integral, str],
        "kind": [StrOptions(set(RELATIVE_KINDS))],
    }

    def __init__(self, regressor, target=0, kind="log_ratio"):
        self.regressor = regressor
        self.target = target
        self.kind = kind

    def _check_values(self, values, what, index):
        """Refuse values the ratio kinds cannot take, naming the rows."""
        check_relative_values(
            values,
            self.kind,
            f"RelativeTargetRegressor(kind={self.kind!r}): {what}",
            index=index,
        )

    def _learn(self, X, target):
        """Refuse target values the change cannot be taken from."""
        index = getattr(X, "index", None)
        check_finite(
            target,
            f"RelativeTargetRegressor: the target column of X ({self.target!r})",
            "The target is learned relative to it, so those rows cannot be "
            "trained on: fill the missing values in X (e.g. X.interpolate()) "
            "or drop those rows.",
            index=index,
        )
        self._check_values(target, "the target values in X", index)

    def from_levels(self, y, X):
        """The change of ``y`` relative to its value at t: what ``regressor_`` learns.

        Part of the forecasting protocol (see :mod:`sklstm.forecasting`).

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Targets in their own units.
        X : array-like or DataFrame of shape (n_samples, n_features)
            The rows at time t; their ``target`` column holds the value y is
            taken relative to.

        Returns
        -------
        z : ndarray of the shape of y
            float64, e.g. ``log(y / x)`` for ``kind="log_ratio"``.
        """
        y = np.asarray(y, dtype=np.float64)
        if self.kind != "ratio":  # a ratio needs only a nonzero value at t
            self._check_values(y, "the values in y", getattr(X, "index", None))
        level = self._target_values(X)
        return to_relative(y, per_row(level, y), self.kind)

    def to_levels(self, z, X):
        """Turn predictions of the relative target back into y's units.

        This is what :meth:`predict` does with ``regressor_.predict(X)``;
        :func:`sklstm.forecast` calls it with the inner prediction of the
        last row only (the forecasting protocol, see :mod:`sklstm.forecasting`).

        Parameters
        ----------
        z : array-like of shape (n_samples,) or (n_samples, horizon)
            Predictions of ``regressor_`` for the rows of X.
        X : array-like or DataFrame of shape (n_samples, n_features)
            The rows at time t the predictions are for; their ``target``
            column holds the value z is relative to.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            float64 predictions in y's units.
        """
        z = np.asarray(z, dtype=np.float64)
        return from_relative(z, per_row(self._target_values(X), z), self.kind)
