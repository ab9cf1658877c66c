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
from sklearn.frozen import FrozenEstimator
from sklearn.utils._param_validation import HasMethods, validate_params

from sklstm._naive import naive_scale
from sklstm._validation import PositiveInt
from sklstm.forecasting import forecast
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
        One row per method (``"sklstm"``, or each named estimator, first;
        then the baselines), columns
        ``rmse`` and ``mae`` (in the series' units) and ``mase`` (scaled by
        the in-sample naive error of each origin's training part); each
        the mean over series of the series' own score.
    forecasts : DataFrame
        The forecasts of the last origin (the last ``steps`` values of every
        series), one column per method beside ``actual``, indexed like the
        series.
    n_origins : int
        Origins scored (each holds out ``steps`` values).
    n_windows : int
        Training windows (rows of ``make_supervised``) at the last origin.
    advice : str or None
        One plain sentence when a baseline beat the recipe (the best of the
        estimators, by MASE) or the training windows were few; None
        otherwise.
    """

    scores: pd.DataFrame
    forecasts: pd.DataFrame
    n_origins: int
    n_windows: int
    advice: str | None


def _naive_forecasts(values, layout, steps, season_length):
    """Persistence, seasonal naive and drift forecasts of every series.

    Each of shape (n_series, steps). Seasonal naive only when a season is
    known and every series has one.
    """
    last = values[layout.ends - 1]
    first = values[layout.starts]
    ahead = np.arange(1, steps + 1)
    methods = {"persistence": np.repeat(last[:, np.newaxis], steps, axis=1)}
    if season_length is not None and (layout.lengths >= season_length).all():
        rows = (layout.ends - season_length)[:, np.newaxis] + (
            ahead - 1
        ) % season_length
        methods["seasonal naive"] = values[rows]
    n = layout.lengths
    slope = np.where(n > 1, (last - first) / np.maximum(n - 1, 1), 0.0)
    methods["drift"] = last[:, np.newaxis] + slope[:, np.newaxis] * ahead
    return methods


def _as_history(series):
    """The series (or panel) backtested, as a pandas Series."""
    if is_panel(series):
        if isinstance(series, pd.DataFrame):
            if series.shape[1] != 1:
                raise ValueError(
                    f"backtest takes one value column; the panel has "
                    f"{series.shape[1]} ({list(series.columns)}). Select the "
                    "column to forecast, e.g. panel['sales']."
                )
            series = series.iloc[:, 0]
        return series
    shape = np.shape(series)
    if len(shape) == 2 and shape[1] == 1:  # one column: the series
        series = series.iloc[:, 0] if isinstance(series, pd.DataFrame) else series
        series = series if isinstance(series, pd.Series) else np.ravel(series)
    elif len(shape) != 1:
        raise ValueError(
            f"backtest takes one series or a panel indexed by (series, time); got "
            f"an array of shape {shape}. Backtest each column on its own, or "
            "make a panel of them with sklstm.to_panel."
        )
    return series if isinstance(series, pd.Series) else pd.Series(series)


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"]), dict],
        "series": ["array-like"],
        "steps": [PositiveInt()],
        "n_origins": [PositiveInt()],
        "season_length": [PositiveInt(), None],
        "horizon": [PositiveInt(), dict],
    },
    prefer_skip_nested_validation=True,
)
def backtest(estimator, series, steps, *, n_origins=3, season_length=None, horizon=1):
    """Score a forecasting recipe on a series' last values beside naive baselines.

    For each origin (the last ``steps`` values of every series held out,
    then ``steps`` earlier, up to ``n_origins`` while every series keeps
    enough values before it), a clone of ``estimator`` is fitted on
    ``make_supervised`` of the values before the origin and forecasts the
    ``steps`` values after it, as :func:`~sklstm.forecast` would; the naive
    forecasts are made from the same values. A series' errors are pooled
    over its origins; the scores of a panel are the mean over its series,
    each series weighing the same (as :func:`~sklstm.mase` does).

    A fitted model wrapped in scikit-learn's ``FrozenEstimator`` is not
    refitted: it keeps its weights and forecasts from every origin (cloning
    and fitting it do nothing). Its scores are out of sample only if it was
    not trained on the held-out values.

    Histories shorter than the model's window are padded before their start
    (see :func:`~sklstm.forecast`), so an origin needs only ``horizon + 2``
    values before it in every series (two training windows), or 1 for a
    frozen model.

    Parameters
    ----------
    estimator : regressor or dict of str to regressor
        The recipe, unfitted (e.g. :func:`~sklstm.make_forecaster`); it is
        cloned for every origin. Or a fitted model in
        ``sklearn.frozen.FrozenEstimator``, used as it is. Several recipes
        as ``{name: estimator}`` are scored on the same origins, one row
        each (instead of ``"sklstm"``).
    series : Series, array-like of shape (n_values,), or panel
        One series in time order, or a panel: a Series (or one-column
        DataFrame) indexed by ``(series, time)``.
    steps : int
        Values forecast from each origin.
    n_origins : int, default=3
        At most this many origins, the latest first.
    season_length : int or None, default=None
        Values per season: adds the seasonal naive baseline (when every
        series has a season of values) and scales MASE by the in-sample
        seasonal naive error (the one-step naive error otherwise).
    horizon : int or dict of str to int, default=1
        Columns of y each fit is trained on (``make_supervised``'s
        ``horizon``): 1 for a recursive forecaster, ``steps`` for a direct
        one; ``{name: horizon}`` for named estimators (1 for a name left
        out).

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
    history = _as_history(series)
    layout = series_layout(history, "backtest")
    values = history.to_numpy(dtype=np.float64)
    recipes = estimator if isinstance(estimator, dict) else {"sklstm": estimator}
    horizons = {
        name: horizon.get(name, 1) if isinstance(horizon, dict) else horizon
        for name in recipes
    }
    frozen = all(isinstance(e, FrozenEstimator) for e in recipes.values())
    # a frozen model forecasts from one value on; fitting needs two windows
    shortest = max(
        1 if isinstance(recipes[name], FrozenEstimator) else horizons[name] + 2
        for name in recipes
    )
    cuts = []
    for k in range(n_origins):
        if (layout.lengths - steps * (k + 1) < shortest).any():
            break
        cuts.append(steps * (k + 1))
    if not cuts:
        short = layout.lengths - steps < shortest
        which = (
            f"series {[str(n) for n in layout.series[short][:5]]}"
            if is_panel(history)
            else "the series"
        )
        purpose = "to forecast from" if frozen else "to fit on (two windows)"
        raise ValueError(
            f"backtest: holding out the last {steps} values leaves {which} fewer "
            f"than the {shortest} values {purpose}; the shortest series has "
            f"{int(layout.lengths.min())}. Forecast fewer steps, or give more "
            "history."
        )
    n_series = len(layout.series)
    errors, scaled, last_forecasts = {}, {}, None
    for cut in cuts:
        keep = layout.positions < np.repeat(layout.lengths - cut, layout.lengths)
        train = history[keep]
        train_layout = series_layout(train, "backtest")
        actual_rows = (layout.ends - cut)[:, np.newaxis] + np.arange(steps)
        actual = values[actual_rows]
        methods = {}
        for name, recipe in recipes.items():
            if isinstance(recipe, FrozenEstimator):
                model = recipe
            else:
                model = clone(recipe).fit(
                    *make_supervised(train, horizon=horizons[name])
                )
            predicted = np.asarray(forecast(model, train, steps), dtype=np.float64)
            methods[name] = predicted.reshape(n_series, steps)
        methods.update(
            _naive_forecasts(values[keep], train_layout, steps, season_length)
        )
        scale = naive_scale(
            values[keep],
            train_layout,
            season_length or 1,
            fallback_lag=1,
            default=1.0,
        )[:, np.newaxis]
        for name, predicted in methods.items():
            errors.setdefault(name, []).append(actual - predicted)
            scaled.setdefault(name, []).append(np.abs(actual - predicted) / scale)
        if last_forecasts is None:
            last_forecasts = pd.DataFrame(
                {"actual": actual.ravel()}
                | {name: predicted.ravel() for name, predicted in methods.items()},
                index=history.index[actual_rows.ravel()],
            )
    # per series over its origins, then the mean over series (equal weights)
    pooled = {name: np.concatenate(v, axis=1) for name, v in errors.items()}
    scores = pd.DataFrame(
        {
            "rmse": {
                k: float(np.mean(np.sqrt(np.mean(np.square(v), axis=1))))
                for k, v in pooled.items()
            },
            "mae": {k: float(np.mean(np.abs(v))) for k, v in pooled.items()},
            "mase": {
                k: float(np.mean(np.concatenate(v, axis=1))) for k, v in scaled.items()
            },
        }
    )
    n_windows = int(np.maximum(layout.lengths - steps - 1, 0).sum())
    return BacktestResult(
        scores=scores,
        forecasts=last_forecasts,
        n_origins=len(cuts),
        n_windows=n_windows,
        advice=_advice(
            scores,
            n_windows,
            list(recipes),
            pretrained=[name for name, e in recipes.items() if _pretrained(e)],
        ),
    )


def _pretrained(estimator):
    """Whether the estimator learned before it met this data (``pretrained``).

    Few windows do not limit what such a model knows, so the advice about
    them is not given when it wins.
    """
    inner = estimator.estimator if isinstance(estimator, FrozenEstimator) else estimator
    return bool(getattr(inner, "pretrained", False))


def _advice(scores, n_windows, recipes=("sklstm",), pretrained=()):
    """One plain sentence when the recipe should not be trusted, else None.

    ``pretrained`` names the recipes that learned elsewhere: the few-windows
    warning is not given when one of them scores best.
    """
    baselines = scores.drop(index=list(recipes))
    best = baselines["mase"].idxmin()
    ours = scores.loc[list(recipes), "mase"].idxmin()
    lstm, baseline = scores.loc[ours, "mase"], baselines.loc[best, "mase"]
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
            f"The LSTM lost to the {best} forecast in the backtest (MASE "
            f"{lstm:.4g} vs {baseline:.4g}, {by}): prefer {best}, or {tries}."
        )
    if n_windows < FEW_WINDOWS and ours not in pretrained:
        return (
            f"Only {n_windows} training windows: too few for an LSTM to learn "
            f"from reliably, although it beat the baselines in this backtest; "
            f"{tries}."
        )
    return None
