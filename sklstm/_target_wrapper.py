"""The base of the wrappers that fit their regressor on a transformed target.

:class:`~sklstm.RelativeTargetRegressor` (y relative to its value at t) and
:class:`~sklstm.DeseasonalizedRegressor` (y divided by seasonal indices) do
the same four things, which live here once:

- read the target column of X (the target's value at t, as
  :func:`~sklstm.make_supervised` keeps it);
- turn y into what their regressor learns (:meth:`TargetWrapper.from_levels`);
- fit a clone of the regressor on ``(regressor_input(X), that)``;
- turn its predictions back into y's units (:meth:`TargetWrapper.to_levels`).

``from_levels``, ``to_levels``, ``regressor_input`` and ``regressor_`` are
the wrapper part of the forecasting protocol (see :mod:`sklstm.forecasting`):
:func:`~sklstm.forecast` opens any estimator that has them, subclass or not.
numpy, pandas and scikit-learn only.
"""

from abc import ABCMeta, abstractmethod

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import (
    _num_samples,
    check_array,
    check_is_fitted,
    validate_data,
)

from sklstm._validation import check_finite, check_y_given, target_column

__all__ = ["TargetWrapper"]


class TargetWrapper(RegressorMixin, BaseEstimator, metaclass=ABCMeta):
    """Fit ``regressor`` on a transformed y; predict in y's units.

    Subclasses have the parameters ``regressor`` and ``target`` (the column
    of X holding the target's value at t) and supply:

    - :meth:`_learn` (optional): check X's target column and keep whatever
      ``from_levels`` and ``to_levels`` need (state learned in ``fit``);
    - :meth:`from_levels` and :meth:`to_levels`: y to what the regressor
      learns, and back;
    - :meth:`regressor_input` (optional): X as the regressor sees it.
    """

    def _target_values(self, X):
        """X's target column as float64."""
        return target_column(X, self.target, type(self).__name__)

    def _learn(self, X, target):
        """Check the target column (``target``) in ``fit`` and keep any state."""

    @abstractmethod
    def from_levels(self, y, X):
        """What ``regressor_`` learns for targets ``y`` of the rows of X.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Targets in their own units; column k is k + 1 steps after its row.
        X : DataFrame or array-like of shape (n_samples, n_features)
            The rows at time t the targets belong to.

        Returns
        -------
        z : ndarray of the shape of y
            float64.
        """

    @abstractmethod
    def to_levels(self, z, X):
        """Turn predictions of ``regressor_`` for the rows of X into y's units.

        The inverse of :meth:`from_levels`.

        Parameters
        ----------
        z : array-like of shape (n_samples,) or (n_samples, horizon)
            Predictions of ``regressor_``; column k is k + 1 steps after its
            row.
        X : DataFrame or array-like of shape (n_samples, n_features)
            The rows at time t the predictions are for.

        Returns
        -------
        y_pred : ndarray of the shape of z
            float64 predictions in y's units.
        """

    def regressor_input(self, X):
        """X as ``regressor_`` sees it: X itself, unless a subclass adjusts it.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows at time t.

        Returns
        -------
        X_inner : DataFrame or array-like of shape (n_samples, n_features)
            What ``regressor_`` is fitted on and predicts from.
        """
        return X

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit a clone of ``regressor`` on the transformed target.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows at time t, holding the target's value at t in the ``target``
            column (``make_supervised`` gives this). A DataFrame keeps its
            index, which the windowers use.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Target after t (column k at t + k + 1), in its own units.
        **fit_params : dict
            Passed to the regressor's ``fit``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        owner = type(self).__name__
        check_y_given(y, owner)
        validate_data(self, X, skip_check_array=True)
        y_values = check_array(
            y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False
        )
        if len(y_values) != _num_samples(X):
            raise ValueError(
                f"X has {_num_samples(X)} rows but y has {len(y_values)}; they "
                "must match."
            )
        index = getattr(X, "index", getattr(y, "index", None))
        check_finite(
            y_values,
            f"{owner}: y",
            "A target cannot be missing: drop those rows.",
            index=index,
        )
        self._learn(X, self._target_values(X))
        z = self.from_levels(y_values, X)
        if isinstance(y, pd.Series):
            z = pd.Series(z, index=y.index, name=y.name)
        elif isinstance(y, pd.DataFrame):
            z = pd.DataFrame(z, index=y.index, columns=y.columns)
        self.regressor_ = clone(self.regressor).fit(
            self.regressor_input(X), z, **fit_params
        )
        return self

    def predict(self, X, **predict_params):
        """Predict y in its own units.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows at time t.
        **predict_params : dict
            Passed to the regressor's ``predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            Predictions, float64.
        """
        check_is_fitted(self)
        z = self.regressor_.predict(self.regressor_input(X), **predict_params)
        return self.to_levels(z, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.regressor)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.target_tags.multi_output = inner.target_tags.multi_output
        return tags


def per_row(level, like):
    """``level`` (one value per row) shaped to broadcast against ``like``."""
    return np.asarray(level).reshape(-1, *([1] * (np.ndim(like) - 1)))
