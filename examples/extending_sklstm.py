"""
Your own steps in a forecast: the forecasting protocol
======================================================

Your own steps in a forecast: the forecasting protocol, implemented outside sklstm.

``forecast`` (and with it ``backtest`` and ``ConformalForecaster``) knows no
class by name. It feeds a fitted model the last rows of each series, one step
after another, and asks the objects it meets for a few public members: how
many earlier rows a transformer reads, how a wrapper turns its regressor's
predictions into levels, how an ensemble combines its members. The full
protocol is documented in the module docstring of ``sklstm.forecasting``.

Three steps written here, without any sklstm base class, each implement
their part, and ``forecast`` uses them like sklstm's own:

- ``TrailingMean`` reads earlier rows: ``n_earlier_rows()``;
- ``ChangeTarget`` learns ``y - x`` and answers in levels: ``regressor_``,
  ``from_levels(y, X)`` and ``to_levels(z, X)``;
- ``MeanEnsemble`` averages members: ``estimators_`` and ``combine()``.

Run:  ``python examples/extending_sklstm.py``
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin, clone
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline

from sklstm import forecast, make_supervised, rows_needed


class TrailingMean(TransformerMixin, BaseEstimator):
    """Replace each value by the mean of the last ``window`` rows (row t included).

    Row t reads ``window - 1`` earlier rows: ``n_earlier_rows`` says so, and
    ``forecast`` feeds each step that many rows of history. A row without
    that history is NaN.
    """

    def __init__(self, window=3):
        self.window = window

    def n_earlier_rows(self):
        """Rows before row t that output row t reads (the protocol)."""
        return self.window - 1

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        frame = pd.DataFrame(np.asarray(X, dtype=np.float64))
        return frame.rolling(self.window).mean().to_numpy()


class ChangeTarget(RegressorMixin, BaseEstimator):
    """Fit ``regressor`` on ``y - x``, where x is X's first column (the value at t).

    ``forecast`` predicts with ``regressor_`` and turns the answer into levels
    with ``to_levels``; ``from_levels`` is its inverse (what ``regressor_``
    learns).
    """

    def __init__(self, regressor):
        self.regressor = regressor

    def from_levels(self, y, X):
        """The change from the value at t: what ``regressor_`` learns."""
        return np.asarray(y, dtype=np.float64) - np.asarray(X, dtype=np.float64)[:, 0]

    def to_levels(self, z, X):
        """Predicted changes back in the series' units (the protocol)."""
        return np.asarray(z, dtype=np.float64) + np.asarray(X, dtype=np.float64)[:, 0]

    def fit(self, X, y):
        self.regressor_ = clone(self.regressor).fit(X, self.from_levels(y, X))
        return self

    def predict(self, X):
        return self.to_levels(self.regressor_.predict(X), X)


class MeanEnsemble(RegressorMixin, BaseEstimator):
    """The mean of several regressors, each fitted on the same rows."""

    def __init__(self, estimators):
        self.estimators = estimators

    def fit(self, X, y):
        self.estimators_ = [clone(member).fit(X, y) for member in self.estimators]
        return self

    def combine(self, predictions):
        """Combine the members' predictions (the protocol): their mean."""
        return np.mean(predictions, axis=0)

    def predict(self, X):
        return self.combine([member.predict(X) for member in self.estimators_])


def make_model():
    """Two members reading 3 and 5 rows; each learns the change of the series.

    Gradient boosting takes the NaN rows at the series' start as they are.
    """
    return MeanEnsemble(
        [
            ChangeTarget(
                make_pipeline(TrailingMean(3), HistGradientBoostingRegressor())
            ),
            ChangeTarget(
                make_pipeline(TrailingMean(5), HistGradientBoostingRegressor())
            ),
        ]
    )


def main():
    months = pd.period_range("2020-01", periods=48, freq="M")
    rng = np.random.default_rng(0)
    series = pd.Series(
        100 + np.arange(48.0) + rng.normal(0, 0.5, 48), index=months, name="sales"
    )
    model = make_model().fit(*make_supervised(series))
    print("rows each step reads (the most any member reads):", rows_needed(model))

    future = forecast(model, series, steps=3)
    print(future.round(2).to_string())

    # the same by hand: predict the last row of the whole growing series
    grown = series.copy()
    for label in future.index:
        grown[label] = model.predict(grown.to_frame())[-1]
    assert np.allclose(grown.iloc[-3:].to_numpy(), future.to_numpy())
    print("forecast fed 5 rows per step and matches predicting on the whole series")


if __name__ == "__main__":
    main()
