"""Backtest a forecasting recipe against naive baselines before trusting it.

:func:`backtest` holds out the last ``steps`` values of a series (and, where
the series is long enough, the ``steps`` values before a few earlier
origins), fits a clone of the recipe on what precedes each origin, forecasts
the held-out values and scores them beside the naive forecasts that need no
training: the last value (persistence), the value one season earlier
(seasonal naive) and the line from the first to the last value (drift).
``sklstm forecast`` prints its table before forecasting.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, validate_params

from sklstm._naive import naive_scale
from sklstm._validation import PositiveInt
from sklstm.forecasting import forecast, rows_needed
from sklstm.panel import is_panel, series_layout
from sklstm.preprocessing import make_supervised

__all__ = ["BacktestResult", "backtest"]

# fewer training windows than this give an LSTM too little to learn from
FEW_WINDOWS = 50


class BacktestResult(NamedTuple):
    """What :func:`backtest` measured.

    Attributes
    ----------
    scores : DataFrame
        One row per method (``"sklstm"`` first, then the baselines), columns
        ``rmse`` and ``mae`` (in the series' units) and ``mase`` (scaled by
        the in-sample naive error of each origin's training part).
    forecasts : DataFrame
        The forecasts of the last origin (the last ``steps`` values), one
        column per method beside ``actual``, indexed like the series.
    n_origins : int
        Origins scored (each holds out ``steps`` values).
    n_windows : int
        Training windows (rows of ``make_supervised``) at the last origin.
    advice : str or None
        One plain sentence when a baseline beat the recipe or the training
        windows were few; None otherwise.
    """

    scores: pd.DataFrame
    forecasts: pd.DataFrame
    n_origins: int
    n_windows: int
    advice: str | None


def _naive_forecasts(history, steps, season_length):
    """Persistence, seasonal naive (if a season is known) and drift forecasts."""
    last = history[-1]
    ahead = np.arange(1, steps + 1)
    methods = {"persistence": np.full(steps, last)}
    if season_length is not None and len(history) >= season_length:
        season = history[-season_length:]
        methods["seasonal naive"] = season[(ahead - 1) % season_length]
    slope = (last - history[0]) / (len(history) - 1) if len(history) > 1 else 0.0
    methods["drift"] = last + slope * ahead
    return methods


def _scale(history, season_length):
    """Mean absolute change over a season (one step if shorter; else 1)."""
    (scale,) = naive_scale(
        history,
        series_layout(history),
        season_length or 1,
        fallback_lag=1,
        default=1.0,
    )
    return scale


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "series": ["array-like"],
        "steps": [PositiveInt()],
        "n_origins": [PositiveInt()],
        "season_length": [PositiveInt(), None],
    },
    prefer_skip_nested_validation=True,
)
def backtest(estimator, series, steps, *, n_origins=3, season_length=None):
    """Score a forecasting recipe on a series' last values beside naive baselines.

    For each origin (the last ``steps`` values held out, then ``steps``
    earlier, up to ``n_origins`` while the training part stays long enough),
    a clone of ``estimator`` is fitted on ``make_supervised`` of the values
    before the origin and forecasts the ``steps`` values after it, as
    :func:`~sklstm.forecast` would; the naive forecasts are made from the
    same values. Errors are pooled over origins.

    Parameters
    ----------
    estimator : regressor
        The recipe, unfitted (e.g. :func:`~sklstm.make_forecaster`); it is
        cloned for every origin.
    series : Series or array-like of shape (n_values,)
        One series in time order.
    steps : int
        Values forecast from each origin.
    n_origins : int, default=3
        At most this many origins, the latest first.
    season_length : int or None, default=None
        Values per season: adds the seasonal naive baseline and scales MASE
        by the in-sample seasonal naive error (the one-step naive error
        otherwise).

    Returns
    -------
    result : BacktestResult
        ``scores`` (rmse, mae, mase per method), ``forecasts`` of the last
        origin, ``n_origins``, ``n_windows`` and ``advice``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import PersistenceRegressor, backtest
    >>> series = np.arange(40.0)
    >>> result = backtest(PersistenceRegressor(), series, steps=4)
    >>> result.scores.index.tolist(), result.n_origins
    (['sklstm', 'persistence', 'drift'], 3)
    >>> float(result.scores.loc["drift", "mae"])
    0.0
    """
    if is_panel(series):
        raise ValueError(
            "backtest takes one series; got a panel of many. Backtest them one "
            "at a time (panel.groupby(level=0)), or calibrate a panel recipe "
            "with ConformalForecaster, whose backtest runs over all series."
        )
    shape = np.shape(series)
    if len(shape) == 2 and shape[1] == 1:  # one column: the series
        series = series.iloc[:, 0] if isinstance(series, pd.DataFrame) else series
        series = series if isinstance(series, pd.Series) else np.ravel(series)
    elif len(shape) != 1:
        raise ValueError(
            f"backtest takes one series; got an array of shape {shape}. Backtest "
            "each column on its own."
        )
    history = series if isinstance(series, pd.Series) else pd.Series(series)
    values = history.to_numpy(dtype=np.float64)
    needed = rows_needed(estimator)
    shortest = needed + 2  # rows to fit on: at least two windows
    origins = [
        len(values) - steps * (k + 1)
        for k in range(n_origins)
        if len(values) - steps * (k + 1) >= shortest
    ]
    if not origins:
        raise ValueError(
            f"backtest: holding out the last {steps} of the {len(values)} values "
            f"leaves fewer than the {shortest} this estimator needs to fit on "
            "(its look_back and differencing). Forecast fewer steps, or give a "
            "smaller look_back or more history."
        )
    errors, scaled, last_forecasts = {}, {}, None
    for origin in origins:
        train = history.iloc[:origin]
        actual = values[origin : origin + steps]
        model = clone(estimator).fit(*make_supervised(train))
        lstm = np.asarray(forecast(model, train, steps), dtype=np.float64)
        methods = {
            "sklstm": lstm,
            **_naive_forecasts(values[:origin], steps, season_length),
        }
        scale = _scale(values[:origin], season_length)
        for name, predicted in methods.items():
            errors.setdefault(name, []).append(actual - predicted)
            scaled.setdefault(name, []).append(np.abs(actual - predicted) / scale)
        if last_forecasts is None:
            last_forecasts = pd.DataFrame(
                {"actual": actual, **methods}, index=history.index[origin:]
            )
    scores = pd.DataFrame(
        {
            "rmse": {
                k: float(np.sqrt(np.mean(np.square(v)))) for k, v in errors.items()
            },
            "mae": {k: float(np.mean(np.abs(v))) for k, v in errors.items()},
            "mase": {k: float(np.mean(v)) for k, v in scaled.items()},
        }
    )
    n_windows = len(values) - steps - 1
    return BacktestResult(
        scores=scores,
        forecasts=last_forecasts,
        n_origins=len(origins),
        n_windows=n_windows,
        advice=_advice(scores, n_windows),
    )


def _advice(scores, n_windows):
    """One plain sentence when the recipe should not be trusted, else None."""
    baselines = scores.drop(index="sklstm")
    best = baselines["rmse"].idxmin()
    lstm, baseline = scores.loc["sklstm", "rmse"], baselines.loc[best, "rmse"]
    tries = (
        "try a shorter --look-back, more history, --interval to see the "
        "uncertainty, or a panel of related series (--id-column)"
    )
    if baseline < lstm:
        by = (
            f"{lstm / baseline - 1:.0%} worse"
            if baseline > 0
            else f"the {best} forecast is exact on these values"
        )
        return (
            f"The LSTM lost to the {best} forecast in the backtest (RMSE "
            f"{lstm:.4g} vs {baseline:.4g}, {by}): prefer {best}, or {tries}."
        )
    if n_windows < FEW_WINDOWS:
        return (
            f"Only {n_windows} training windows: too few for an LSTM to learn "
            f"from reliably, although it beat the baselines in this backtest; "
            f"{tries}."
        )
    return None
