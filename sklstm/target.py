"""RelativeTargetRegressor: learn the change of y relative to the current level."""

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

__all__ = ["RelativeTargetRegressor"]


def _reference_values(X, reference, owner):
    """The reference column of X (by name or position) as float64."""
    if isinstance(X, pd.DataFrame):
        if isinstance(reference, str):
            if reference not in X.columns:
                raise ValueError(
                    f"{owner}: reference column {reference!r} is not in X; the "
                    f"columns are {list(X.columns)}."
                )
            column = X[reference]
        else:
            column = X.iloc[:, _position(reference, X.shape[1], owner)]
        return column.to_numpy(dtype=np.float64)
    if isinstance(reference, str):
        raise ValueError(
            f"{owner}: reference={reference!r} names a column, but X has no column "
            "names. Pass a DataFrame, or give the column's position."
        )
    X = check_array(X, ensure_all_finite=False, dtype=None)
    return np.asarray(X[:, _position(reference, X.shape[1], owner)], dtype=np.float64)


def _refuse_non_finite(values, what, fix):
    """Raise naming the rows of ``values`` that hold NaN or infinity."""
    bad = ~np.isfinite(values)
    if bad.ndim > 1:
        bad = bad.any(axis=tuple(range(1, bad.ndim)))
    if bad.any():
        nan = np.isnan(values)
        kind = "NaN" if nan.all(where=~np.isfinite(values)) else "NaN or infinity"
        if not nan.any():
            kind = "infinity"
        rows = np.flatnonzero(bad)
        raise ValueError(
            f"RelativeTargetRegressor: {what} contains {kind} in rows "
            f"{rows[:10].tolist()}{' ...' if len(rows) > 10 else ''} (by position, "
            f"{len(rows)} in all); {fix}."
        )


def _position(reference, n_columns, owner):
    if not -n_columns <= reference < n_columns:
        raise ValueError(
            f"{owner}: reference={reference} is out of range for X with "
            f"{n_columns} columns."
        )
    return reference


class RelativeTargetRegressor(RegressorMixin, BaseEstimator):
    """Fit a regressor on the change of y relative to a column of X at time t.

    Like sklearn's ``TransformedTargetRegressor``, but the transform depends on
    the current level: the wrapped regressor learns ``z = y - x`` ("difference"),
    ``y / x`` ("ratio") or ``log(y / x)`` ("log_ratio"), where ``x`` is the
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
    kind : {"difference", "ratio", "log_ratio"}, default="log_ratio"
        How y is expressed relative to the reference. The ratio kinds need
        positive values (``log_ratio``) or a nonzero reference (``ratio``).

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
        "kind": [StrOptions({"difference", "ratio", "log_ratio"})],
    }

    def __init__(self, regressor, reference=0, kind="log_ratio"):
        self.regressor = regressor
        self.reference = reference
        self.kind = kind

    def _levels(self, X):
        return _reference_values(X, self.reference, type(self).__name__)

    def _check_positive(self, values, what):
        bad = ~(values > 0) if self.kind == "log_ratio" else values == 0
        bad &= ~np.isnan(values)
        if bad.ndim > 1:
            bad = bad.any(axis=1)
        if bad.any():
            need = "positive" if self.kind == "log_ratio" else "nonzero"
            raise ValueError(
                f"RelativeTargetRegressor(kind={self.kind!r}) needs {need} {what}; "
                f"rows {np.flatnonzero(bad)[:10].tolist()} (by position) are not. "
                "Use kind='difference' for data that can be zero or negative."
            )

    def _to_relative(self, y, level):
        level = level.reshape(-1, *([1] * (y.ndim - 1)))
        if self.kind == "difference":
            return y - level
        if self.kind == "ratio":
            return y / level
        return np.log(y / level)

    def _from_relative(self, z, level):
        level = level.reshape(-1, *([1] * (z.ndim - 1)))
        if self.kind == "difference":
            return z + level
        if self.kind == "ratio":
            return z * level
        return np.exp(z) * level

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
        if y is None:
            raise ValueError(
                "RelativeTargetRegressor requires y to be passed, but the target y "
                "is None."
            )
        validate_data(self, X, skip_check_array=True)
        y_values = check_array(
            y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False
        )
        _refuse_non_finite(y_values, "y", "a target cannot be missing: drop them")
        level = self._levels(X)
        if len(level) != len(y_values):
            raise ValueError(
                f"X has {len(level)} rows but y has {len(y_values)}; they must match."
            )
        _refuse_non_finite(
            level,
            f"the reference column of X ({self.reference!r})",
            "the target is learned relative to it, so those rows cannot be "
            "trained on: fill the missing values in X (e.g. X.interpolate()) "
            "or drop those rows",
        )
        if self.kind != "difference":
            self._check_positive(level, "reference values in X")
            if self.kind == "log_ratio":
                self._check_positive(y_values, "values in y")
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
        z = np.asarray(self.regressor_.predict(X, **predict_params), dtype=np.float64)
        return self._from_relative(z, self._levels(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.regressor)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.target_tags.multi_output = inner.target_tags.multi_output
        return tags
