"""Forecasting: the recommended LSTM recipe and forecasts past the end of the data."""

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import check_is_fitted

from sklstm._time_index import future_index, shift_labels
from sklstm._validation import PositiveInt, check_interval_levels
from sklstm.panel import is_panel, series_layout
from sklstm.preprocessing import Differencer, LagWindower, To3D
from sklstm.target import RelativeTargetRegressor

__all__ = ["forecast", "make_forecaster", "rows_needed"]

_CHANGES = {"log_ratio": True, "difference": False}

# The recipe's LSTM settings, chosen on the airline data for the 12-month
# forecast (README "Forecast a series" gives the measurements).
FORECASTER_LSTM_DEFAULTS = {
    "units": 32,
    "epochs": 100,
    "learning_rate": 0.01,
    "batch_size": 48,
}


def make_forecaster(
    look_back=12, *, change="log_ratio", random_state=None, **lstm_params
):
    """The recommended LSTM forecaster for ``X, y = make_supervised(series)``.

    Inputs are turned into changes (log differences with
    ``change="log_ratio"``), standardized, windowed over ``look_back`` rows and
    fed to an :class:`~sklstm.LSTMRegressor`, which predicts the change of the
    next value relative to the current one; :class:`~sklstm.RelativeTargetRegressor`
    turns that back into the series' units. Working on changes lets the LSTM
    follow a trend beyond the range it was trained on, which a network
    predicting the level cannot do.

    Parameters
    ----------
    look_back : int, default=12
        Rows (time steps) per window.
    change : {"log_ratio", "difference"} or None, default="log_ratio"
        "log_ratio" for positive series with multiplicative growth (log
        differences in, ``log(y / x)`` as the target); "difference" for
        series that can be zero or negative; None for the plain level model
        (scaled levels in, level out), kept for comparison.
    random_state : int, RandomState instance or None, default=None
        Seed of the LSTM.
    **lstm_params : dict
        Further :class:`~sklstm.LSTMRegressor` parameters (``units``,
        ``epochs``, ...), overriding the recipe's defaults
        (units=32, epochs=100, learning_rate=0.01, batch_size=48).

    Returns
    -------
    forecaster : estimator
        A regressor for rows at t and targets after t (``horizon`` columns for
        direct multi-step forecasts). With ``change`` set it is a
        ``RelativeTargetRegressor`` around a Pipeline whose steps are
        ``differencer``, ``standardscaler``, ``lagwindower``, ``to3d`` and
        ``lstmregressor``: tune them in GridSearchCV as
        ``regressor__lagwindower__look_back`` and
        ``regressor__lstmregressor__units``. The Pipeline keeps pandas output
        between steps so the windows of a test fold get their history.

    See Also
    --------
    forecast : Predict past the end of the data with the fitted forecaster.

    Examples
    --------
    >>> from sklstm import make_forecaster
    >>> model = make_forecaster(look_back=6, units=8, random_state=0)
    >>> model.get_params()["regressor__lagwindower__look_back"]
    6
    """
    if change is not None and change not in _CHANGES:
        raise ValueError(
            "The 'change' parameter of make_forecaster must be 'log_ratio', "
            f"'difference' or None. Got {change!r} instead."
        )
    from sklstm.estimators import LSTMRegressor

    params = {**FORECASTER_LSTM_DEFAULTS, **lstm_params, "random_state": random_state}
    lstm = LSTMRegressor(**params)
    steps = [StandardScaler(), LagWindower(look_back), To3D(), lstm]
    if change is None:
        return make_pipeline(*steps).set_output(transform="pandas")
    pipe = make_pipeline(Differencer(log=_CHANGES[change]), *steps)
    return RelativeTargetRegressor(pipe.set_output(transform="pandas"), kind=change)


def _nested(estimator):
    """The estimators directly inside ``estimator``.

    A pipeline's steps (``steps``, a list of (name, step) pairs); otherwise
    the estimators it holds in fitted attributes (public names ending in ``_``, such as
    ``regressor_`` or ``best_estimator_``), or, before it is fitted, in its
    parameters.
    """
    steps = _pipeline_steps(estimator)
    if steps is not None:
        return [step for step in steps if _is_estimator(step)]
    fitted = [
        value
        for name, value in vars(estimator).items()
        if name.endswith("_") and not name.startswith("_") and _is_estimator(value)
    ]
    if fitted:
        return fitted
    return [
        value
        for value in estimator.get_params(deep=False).values()
        if _is_estimator(value)
    ]


def _pipeline_steps(estimator):
    """The steps of a pipeline (``steps``: a list of (name, step) pairs), or None."""
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and all(
        isinstance(item, tuple) and len(item) == 2 for item in steps
    ):
        return [step for _, step in steps]
    return None


def _is_estimator(value):
    return hasattr(value, "get_params") and hasattr(value, "fit")


def rows_needed(estimator):
    """Rows of history ``estimator`` reads to predict its last row.

    One row, plus ``n_earlier_rows()`` of every step nested in it that has
    that method (``look_back - 1`` for a LagWindower, ``lag`` for a
    Differencer), since chained steps add up.

    Parameters
    ----------
    estimator : estimator
        Fitted or not; pipelines and wrappers are searched throughout.

    Returns
    -------
    n_rows : int
        The number of most recent rows ``forecast`` feeds it at each step.

    Examples
    --------
    >>> from sklstm import make_forecaster
    >>> from sklstm.forecasting import rows_needed
    >>> rows_needed(make_forecaster(look_back=12))  # 12 rows + 1 to difference
    13
    """
    return 1 + _earlier_rows(estimator)


def _earlier_rows(estimator):
    """Earlier rows read by ``estimator`` and every step nested in it."""
    counting = getattr(estimator, "n_earlier_rows", None)
    own = counting() if callable(counting) else 0
    return own + sum(_earlier_rows(inner) for inner in _nested(estimator))


@validate_params(
    {
        "estimator": "no_validation",
        "history": ["array-like"],
        "steps": [PositiveInt()],
        "interval": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def forecast(estimator, history, steps, *, interval=None):
    """Forecast the ``steps`` values after the end of ``history``.

    Recursive for an estimator fitted on a 1D y (each prediction is appended
    to the history and becomes the input of the next step; the pipeline's
    fitted scaler and windower are reused, never refitted); direct for an
    estimator fitted on ``horizon`` columns of y (one prediction answers
    ``horizon`` steps at once, repeated from its own output when ``steps``
    is longer). A panel (many series indexed ``(series, time)``) is
    forecast all at once: one batched prediction per step for every series.

    Parameters
    ----------
    estimator : fitted regressor
        Fitted on ``X, y = make_supervised(series, horizon)``, e.g. a
        :func:`make_forecaster` model or a Pipeline ending in an LSTMRegressor;
        a :class:`~sklstm.ConformalForecaster` for intervals.
    history : Series, one-column DataFrame, or 1D/2D array
        The series up to now, in time order, with the column the estimator
        was fitted on, or a panel of many series. Recursive forecasting of a
        table with several columns would need the future of the other
        columns, so it is refused.
    steps : int
        Number of future values (per series).
    interval : float, list of float or None, default=None
        Nominal coverage of prediction intervals, e.g. 0.9, or several levels
        ``[0.8, 0.95]``; needs an estimator calibrated for intervals
        (:class:`~sklstm.ConformalForecaster`). None: point forecasts only.

    Returns
    -------
    future : Series, DataFrame or ndarray
        pandas input gives a Series named like the history, indexed by the
        labels that follow its index (a monthly series ending 1960-12
        forecasts 1961-01 ...; the index keeps its name; a panel gives a
        ``(series, future time)`` MultiIndex, each series continuing its own
        end); numpy input gives an array of shape (steps,). With
        ``interval``, a DataFrame with columns ``forecast``, ``lower`` and
        ``upper`` (``lower_80``, ``upper_80``, ... for several levels), or
        an array with those columns.

    See Also
    --------
    sklstm.ConformalForecaster : Calibrate a recipe for intervals.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import PersistenceRegressor, forecast, make_supervised
    >>> series = pd.Series([1.0, 2.0, 3.0],
    ...                    index=pd.period_range("2024-01", periods=3, freq="M"))
    >>> model = PersistenceRegressor().fit(*make_supervised(series))
    >>> forecast(model, series, steps=2)
    2024-04    3.0
    2024-05    3.0
    Freq: M, dtype: float64
    """
    check_is_fitted(estimator)
    levels = None if interval is None else check_interval_levels(interval)
    bounded = None if levels is None else _interval_source(estimator)
    frame, is_pandas = _history_frame(history)
    needed = rows_needed(estimator)
    layout = series_layout(frame, "forecast")
    _check_long_enough(layout, needed, is_panel(frame))
    n_series = len(layout.series)
    # values[s, j]: the last `needed` observed values of series s, then its future
    last = layout.ends[:, np.newaxis] - needed + np.arange(needed)
    values = np.full((n_series, needed + steps), np.nan)
    values[:, :needed] = frame.iloc[:, 0].to_numpy(dtype=np.float64)[last]
    labels = _time_labels(frame, layout, last, steps) if is_pandas else None
    done = 0
    while done < steps:
        window = values[:, done : done + needed]
        X = _window_frame(frame, layout, window, labels, done) if is_pandas else None
        prediction = _predict_last_rows(
            estimator, X if is_pandas else window.reshape(-1, 1), needed
        )
        prediction = np.asarray(prediction, dtype=np.float64).reshape(n_series, -1)
        if not np.isfinite(prediction).all():
            _refuse_non_finite(prediction, window, layout, done, needed)
        take = min(prediction.shape[1], steps - done)
        values[:, needed + done : needed + done + take] = prediction[:, :take]
        done += take
    future = values[:, needed:]
    columns = {"forecast": future}
    if levels is not None:
        bounds = bounded.prediction_interval(frame.iloc[:, 0], future, levels)
        for level, (lower, upper) in bounds.items():
            suffix = "" if len(levels) == 1 else f"_{level * 100:g}"
            columns[f"lower{suffix}"], columns[f"upper{suffix}"] = lower, upper
    if not is_pandas:
        if levels is None:
            return future[0]
        return np.column_stack([column[0] for column in columns.values()])
    name = history.name if isinstance(history, pd.Series) else frame.columns[0]
    index = labels.take(_future_positions(n_series, needed, steps))
    if is_panel(frame):
        index = pd.MultiIndex.from_arrays(
            [layout.series.repeat(steps), index], names=frame.index.names
        )
    if levels is None:
        return pd.Series(future.ravel(), index=index, name=name)
    table = pd.DataFrame(
        {key: column.ravel() for key, column in columns.items()}, index=index
    )
    table.attrs["interval"] = levels  # plot_forecast labels the bands with it
    return table


def _interval_source(estimator):
    """The estimator (or the one it delegates to) that computes bounds."""
    while estimator is not None:
        if callable(getattr(estimator, "prediction_interval", None)):
            return estimator
        estimator = getattr(estimator, "best_estimator_", None)
    raise ValueError(
        "forecast(..., interval=...) needs an estimator calibrated for "
        "intervals, which this one is not: it has no prediction_interval "
        "method. Wrap the recipe in sklstm.ConformalForecaster(estimator, "
        "steps=...) and fit that: it measures out-of-sample errors per step "
        "ahead while fitting."
    )


def _history_frame(history):
    """The history as a one-column DataFrame, and whether it came as pandas."""
    if isinstance(history, pd.Series):
        frame = history.to_frame(name=history.name if history.name is not None else 0)
    elif isinstance(history, pd.DataFrame):
        frame = history
    else:
        values = np.asarray(history, dtype=np.float64)
        if values.ndim == 1:
            values = values.reshape(-1, 1)
        if values.ndim != 2:
            raise ValueError(
                f"forecast: history must be 1D or 2D; got shape {values.shape}."
            )
        frame = pd.DataFrame(values)
    if frame.shape[1] != 1:
        raise ValueError(
            f"forecast: history has {frame.shape[1]} columns. Feeding predictions "
            "back needs the future values of the other columns too, which are "
            "unknown; fit a direct model on the target (make_supervised(..., "
            "horizon=steps)) on that column, or forecast each column separately."
        )
    return frame, isinstance(history, pd.Series | pd.DataFrame)


def _check_long_enough(layout, needed, panel):
    """Refuse series with fewer rows than the estimator reads."""
    short = np.flatnonzero(layout.lengths < needed)
    if not short.size:
        return
    if not panel:
        raise ValueError(
            f"forecast: history has {layout.lengths[0]} rows, but this estimator "
            f"needs at least {needed} (its look_back and differencing) to predict "
            "the next value. Give a longer history."
        )
    names = [str(name) for name in layout.series[short[:5]]]
    raise ValueError(
        f"forecast: {short.size} series have fewer than the {needed} rows this "
        f"estimator reads (its look_back and differencing): {names}"
        + (" ..." if short.size > 5 else "")
        + ". Forecast them with a smaller look_back or a baseline, and leave "
        "them out of this panel."
    )


def _time_labels(frame, layout, last, steps):
    """Time labels of the window rows and the future, in one Index.

    The first ``n_series * needed`` labels are the history's (series after
    series), then ``n_series`` labels for each future step.
    """
    panel = is_panel(frame)
    times = frame.index.get_level_values(1) if panel else frame.index
    longest = int(np.argmax(layout.lengths))
    template = times[layout.starts[longest] : layout.ends[longest]]
    ends = times[layout.ends - 1]
    future = [shift_labels(ends, k, template) for k in range(1, steps + 1)]
    if future and future[0] is None:
        try:  # the single-series message says how to give the index a step
            future_index(template, 1)
        except ValueError as exc:
            raise ValueError(f"forecast: cannot label the future: {exc}") from exc
        raise ValueError(
            "forecast: cannot label the future: the time labels of this panel "
            "have no step; use periods, dates with a frequency or integers "
            "(sklstm.to_panel converts dates)."
        )
    labels = times[last.ravel()]
    return labels.append(future) if future else labels


def _future_positions(n_series, needed, steps):
    """Positions in the label Index of each series' future labels, series-major."""
    return (
        n_series * needed
        + np.arange(steps)[np.newaxis, :] * n_series
        + np.arange(n_series)[:, np.newaxis]
    ).ravel()


def _window_frame(frame, layout, window, labels, done):
    """The window (n_series x needed values) as rows of a DataFrame like history."""
    n_series, needed = window.shape
    step = np.arange(done, done + needed)[np.newaxis, :]
    series = np.arange(n_series)[:, np.newaxis]
    # label of (series s, column j): history for j < needed, else future
    history_positions = series * needed + step
    future_positions = n_series * needed + (step - needed) * n_series + series
    positions = np.where(step < needed, history_positions, future_positions)
    index = labels.take(positions.ravel()).rename(None)
    if is_panel(frame):
        index = pd.MultiIndex.from_arrays(
            [layout.series.repeat(needed), index], names=frame.index.names
        )
    else:
        index = index.rename(frame.index.name)
    return pd.DataFrame({frame.columns[0]: window.ravel()}, index=index)


def _refuse_non_finite(prediction, window, layout, done, needed):
    """Explain a non-finite prediction: NaN in the history read, or no history."""
    bad = ~np.isfinite(prediction).all(axis=1)
    missing = np.isnan(window[bad])
    if not done and missing.any():
        where = np.flatnonzero(missing.any(axis=0)) - needed
        series = [str(name) for name in layout.series[np.flatnonzero(bad)[:5]]]
        which = f" of series {series}" if len(layout.series) > 1 else ""
        raise ValueError(
            f"forecast: the last {needed} values of the history{which}, which "
            f"the estimator reads, hold NaN at positions {where.tolist()} "
            "(counted from the end), and it predicted a non-finite value. Fill "
            "them (e.g. history.interpolate()) before forecasting."
        )
    raise ValueError(
        "forecast: the estimator predicted a non-finite value; its "
        "inputs lack history (check look_back against the history)."
    )


def _predict_last_rows(estimator, X, every):
    """The estimator's predictions for the last row of each series' window.

    X holds ``every`` rows per series, series after series.

    The other rows of X are only context for the row-reading steps: they
    may lack history of their own (a differenced first row has none), and an
    LSTM refuses a window with no observed step. So a pipeline runs its
    transformers over all rows and only the last rows reach its final step,
    and wrappers whose prediction is known from their inner estimator's are
    opened: scikit-learn's searches predict with ``best_estimator_`` (and
    sklstm's interval wrapper with ``forecaster_``), and an estimator with
    ``to_levels(z, X)`` (a relative-target wrapper such as
    :class:`~sklstm.RelativeTargetRegressor`) predicts
    ``to_levels(regressor_.predict(X), X)``. Any other estimator predicts all
    rows and its predictions for the last rows are taken.
    """
    steps = _pipeline_steps(estimator)
    if steps is not None:
        for step in steps[:-1]:
            if step is not None and step != "passthrough":
                X = step.transform(X)
        return _predict_last_rows(steps[-1], X, every)
    inner = _delegate(estimator)
    if inner is not None:
        return _predict_last_rows(inner, X, every)
    if callable(getattr(estimator, "to_levels", None)):
        z = _predict_last_rows(estimator.regressor_, X, every)
        return estimator.to_levels(z, _last_rows(X, every))
    if rows_needed(estimator) == 1:  # it reads one row: give it only the last
        return np.asarray(estimator.predict(_last_rows(X, every)))
    return _last_rows(np.asarray(estimator.predict(X)), every)


def _delegate(estimator):
    """The fitted estimator whose predictions ``estimator`` returns, if it names one.

    scikit-learn's searches name it ``best_estimator_``; sklstm's wrappers
    that only add something beside the predictions (intervals) name it
    ``forecaster_``.
    """
    for name in ("best_estimator_", "forecaster_"):
        inner = getattr(estimator, name, None)
        if inner is not None:
            return inner
    return None


def _last_rows(X, every):
    """Rows every-1, 2*every-1, ...: the last row of each series' window."""
    return X.iloc[every - 1 :: every] if hasattr(X, "iloc") else X[every - 1 :: every]
