"""Probe estimators the tests put at the end of pipelines."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression


class NaNRefusingRegressor(RegressorMixin, BaseEstimator):
    """Linear regression on windows that fits on complete rows only and refuses
    to PREDICT a row holding NaN (a window without its history), naming it.

    Takes 2D rows or 3D windows (flattened per row).
    """

    def fit(self, X, y):
        X = np.asarray(X, dtype=float).reshape(len(X), -1)
        y = np.asarray(y, dtype=float)
        complete = ~np.isnan(X).any(axis=1)
        self.model_ = LinearRegression().fit(X[complete], y[complete])
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float).reshape(len(X), -1)
        rows = np.flatnonzero(np.isnan(X).any(axis=1))
        if rows.size:
            raise ValueError(f"NaN in predict rows {rows.tolist()}")
        return self.model_.predict(X)
