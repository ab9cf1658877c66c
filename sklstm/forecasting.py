"""Forecasting: the recommended LSTM recipes and forecasts past the end of the data.

Two counts, two names
---------------------
``horizon``
    The number of columns of y a model is trained on:
    ``make_supervised(series, horizon=h)`` pairs the row at t with the values
    at t+1 ... t+h. A model fitted on ``h`` columns answers ``h`` steps at
    once (a direct forecast); one fitted on a 1D y answers one step.
``steps``
    The number of values :func:`~sklstm.forecast` returns per series. It may
    differ from the horizon: ``forecast`` feeds its own predictions back as
    history until it has ``steps`` values (recursively, one step at a time,
    for a 1D model; ``horizon`` steps at a time for a direct one).

The forecasting protocol
------------------------
:func:`~sklstm.forecast` (and with it :func:`~sklstm.backtest` and
:class:`~sklstm.ConformalForecaster`, which forecast from many origins)
feeds a fitted model the last rows of each series and predicts the next
value(s), step after step. It knows no class by name: it asks the objects it
meets for the public members below, so a transformer, wrapper or ensemble
written outside sklstm that has them works in a forecast like sklstm's own.
``examples/extending_sklstm.py`` implements each part and is run by the
tests.

How many earlier rows a step reads
    A transformer whose output row t reads rows before t has
    ``n_earlier_rows()``: ``look_back - 1`` for
    :class:`~sklstm.LagWindower`, ``lag`` for :class:`~sklstm.Differencer`.
    :func:`~sklstm.rows_needed` adds them up along a pipeline (its steps run
    one after the other) and takes the most over estimators side by side (an
    ensemble's members, a wrapper's regressor); ``forecast`` feeds each step
    that many rows.
Which inner estimator reads the rows
    A pipeline's transformers transform every row fed, and only the last row
    of each series reaches its final step (the earlier rows are context: the
    first of them have no history of their own). An estimator that predicts
    with another one names it: ``best_estimator_`` (scikit-learn's searches)
    or ``forecaster_`` (:class:`~sklstm.ConformalForecaster`); ``forecast``
    opens it.
How a relative prediction becomes a level
    A wrapper that fits its regressor on a transformed target has a fitted
    ``regressor_``, ``to_levels(z, X)`` and optionally
    ``regressor_input(X)``: ``forecast`` predicts
    ``z = regressor_.predict(regressor_input(X))`` (X itself without that
    method) and answers ``to_levels(z, X)`` for the last rows.
    ``from_levels(y, X)`` is the inverse, what ``regressor_`` learns for
    targets ``y``. :class:`~sklstm.RelativeTargetRegressor` and
    :class:`~sklstm.DeseasonalizedRegressor` implement it.
State from the whole history
    A piece whose state is per series (:class:`~sklstm.DeseasonalizedRegressor`'s
    seasonal indices) has ``for_history(X)``: it returns a fitted copy whose
    state is estimated from X, the full history of every series forecast
    (the history's rows, as X of ``make_supervised``), and leaves itself
    unchanged. ``forecast`` calls it once, before the first step, on every
    piece that has it (through pipelines, wrappers, ensembles and
    delegates), so that state never comes from the few rows one step reads,
    and a fitted model serves series it never saw.
What a model can forecast
    A piece with ``check_forecast(X, steps)`` is asked before the first
    step (the estimator and each one it delegates to): it raises a
    ``ValueError`` naming the fix when the history X (rows at t, as
    ``make_supervised``'s X) or the number of steps is outside what it was
    trained for (:class:`~sklstm.PretrainedForecaster`).
How an ensemble combines
    An estimator with fitted members in ``estimators_`` and
    ``combine(predictions)`` (:class:`~sklstm.EnsembleRegressor`): each
    member forecasts from the rows it reads, and ``combine`` joins their
    predictions.
Intervals
    ``forecast(..., interval=...)`` asks the model (or the one it delegates
    to) for ``prediction_interval(history, point, levels)``
    (:class:`~sklstm.ConformalForecaster`).
Frozen models
    ``forecast`` opens scikit-learn's ``FrozenEstimator`` like any other
    delegate, so a fitted model wrapped in it keeps its weights in
    :func:`~sklstm.backtest` and :class:`~sklstm.ConformalForecaster`
    (their ``fit`` of a frozen model does nothing).
Short histories
    A series with fewer rows than :func:`~sklstm.rows_needed` is padded before its
    start with missing values (NaN, labelled with the times before its
    first), as every series' start is padded in training; the network masks
    them. A model refuses such a series only if it cannot predict from the
    rows it has: the global recipe needs one row, :func:`~sklstm.make_forecaster`
    two (it differences), a pipeline without masking all its rows.
"""

import copy
from collections.abc import Hashable
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import check_is_fitted

from sklstm._time_index import (
    date_frequency,
    future_index,
    labels_after_ends,
    period_freq,
    shift_labels,
)
from sklstm._validation import (
    IntervalLevels,
    PositiveInt,
    PositiveInts,
    interval_levels,
)
from sklstm.ensemble import EnsembleRegressor
from sklstm.panel import is_panel, series_layout
from sklstm.preprocessing import Differencer, LagWindower, RelativeWindower, To3D
from sklstm.seasonal import DeseasonalizedRegressor, SeasonPosition
from sklstm.target import RelativeTargetRegressor

__all__ = ["forecast", "make_forecaster", "make_global_forecaster", "rows_needed"]

_CHANGES = {"log_ratio": True, "difference": False}

# The recipe's LSTM settings, chosen on the airline data for the 12-month
# forecast (README "Forecast a series" gives the measurements).
FORECASTER_LSTM_DEFAULTS = {
    "units": 32,
    "epochs": 100,
    "learning_rate": 0.01,
    "batch_size": 48,
}


@validate_params(
    {
        "look_back": [PositiveInt()],
        "change": [StrOptions(set(_CHANGES)), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
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
    from sklstm.estimators import LSTMRegressor

    params = {**FORECASTER_LSTM_DEFAULTS, **lstm_params, "random_state": random_state}
    lstm = LSTMRegressor(**params)
    steps = [StandardScaler(), LagWindower(look_back), To3D(), lstm]
    if change is None:
        return make_pipeline(*steps).set_output(transform="pandas")
    pipe = make_pipeline(Differencer(log=_CHANGES[change]), *steps)
    return RelativeTargetRegressor(pipe.set_output(transform="pandas"), kind=change)


# The global recipe's LSTM settings, chosen on the Tourism monthly panel
# (README "Many series (panels)" gives the measurements): many windows, so a
# few epochs of large batches; MAE, the loss of the accuracy measures.
GLOBAL_LSTM_DEFAULTS = {
    "units": 64,
    "epochs": 10,
    "learning_rate": 0.01,
    "batch_size": 128,
    "loss": "mae",
}


@validate_params(
    {
        "look_back": [PositiveInt(), PositiveInts()],
        "season_length": [PositiveInt(), None],
        "deseasonalize": ["boolean"],
        "season_features": ["boolean"],
        "change": [StrOptions({"log_ratio", "log1p_ratio", "difference"})],
        "target": [Hashable],
        "n_seeds": [PositiveInt()],
        "aggregate": [StrOptions({"median", "mean"})],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def make_global_forecaster(
    look_back=36,
    *,
    season_length=12,
    deseasonalize=True,
    season_features=False,
    change="log_ratio",
    target=0,
    n_seeds=1,
    aggregate="median",
    random_state=None,
    **lstm_params,
):
    """One LSTM for many series: the recipe for ``X, y = make_supervised(panel)``.

    A global model: one network learns from the windows of every series of
    a panel at once. Each window is expressed relative to its own last
    value (:class:`~sklstm.RelativeWindower`) and so is the target
    (:class:`~sklstm.RelativeTargetRegressor`, same ``change``), so series
    of any scale share the network. With ``deseasonalize`` each series is
    divided by its classical multiplicative seasonal indices first, where a
    seasonality test passes, and the forecasts are multiplied back
    (:class:`~sklstm.DeseasonalizedRegressor`). Several look_backs or seeds
    make an :class:`~sklstm.EnsembleRegressor` of such networks.

    A sibling of :func:`make_forecaster` rather than an option of it: that
    recipe scales each series' differences with a scaler fitted on its
    rows and trains for 100 epochs on the few windows of one series; this
    one needs no fitted scale (so a series of any level reads as any other),
    learns per-series seasonal indices, and trains a few epochs over many
    windows.

    Parameters
    ----------
    look_back : int or sequence of int, default=36
        Rows per window; several give an ensemble with one member per value
        (and per seed). At least two seasons lets the network see the
        seasonal pattern.
    season_length : int or None, default=12
        Rows per season (12 for monthly data, 4 quarterly); None for data
        without seasons (then ``deseasonalize`` and ``season_features`` do
        nothing).
    deseasonalize : bool, default=True
        Seasonally adjust each series that passes the seasonality test
        before the network sees it.
    season_features : bool, default=False
        Add the season position of every time step as two input columns
        (:class:`~sklstm.SeasonPosition`), read from the time index.
    change : {"log_ratio", "log1p_ratio", "difference"}, default="log_ratio"
        How windows and targets are expressed relative to the window's last
        value: "log_ratio" for positive series, "log1p_ratio" for series
        that can be zero (counts), "difference" for series that can be
        negative (then the scale of the series matters to the network).
    target : int or str, default=0
        The column of X holding the target's current value (``make_supervised``
        keeps every column; covariates are windowed beside it).
    n_seeds : int, default=1
        Networks per look_back, with different seeds.
    aggregate : {"median", "mean"}, default="median"
        How an ensemble combines its members.
    random_state : int or None, default=None
        Seed of the (first) network; member ``i`` of an ensemble gets
        ``random_state + i``.
    **lstm_params : dict
        Further :class:`~sklstm.LSTMRegressor` parameters, overriding the
        recipe's defaults (units=64, epochs=10, learning_rate=0.01,
        batch_size=128, loss="mae").

    Returns
    -------
    forecaster : estimator
        A regressor for rows at t and targets after t (``horizon`` columns
        for a direct forecast, one for a recursive one) that
        :func:`forecast` can use.

    See Also
    --------
    make_forecaster : The recipe for a single series.
    forecast : Forecast every series of a panel with the fitted model.

    Examples
    --------
    >>> from sklstm import make_global_forecaster
    >>> model = make_global_forecaster(look_back=24, units=8, random_state=0)
    >>> type(model).__name__
    'DeseasonalizedRegressor'
    >>> model.get_params()["regressor__regressor__relativewindower__look_back"]
    24
    >>> type(make_global_forecaster(look_back=[24, 36])).__name__
    'EnsembleRegressor'
    """
    look_backs = list(look_back) if isinstance(look_back, list | tuple) else [look_back]
    from sklstm.estimators import LSTMRegressor

    members = []
    for lb in look_backs:
        for seed in range(n_seeds):
            params = {**GLOBAL_LSTM_DEFAULTS, **lstm_params}
            if random_state is not None:
                params["random_state"] = random_state + len(members)
            steps = [
                RelativeWindower(lb, target=target, kind=change),
                To3D(time_steps=lb),
                LSTMRegressor(**params),
            ]
            if season_features and season_length:
                steps.insert(0, SeasonPosition(season_length))
            pipe = make_pipeline(*steps).set_output(transform="pandas")
            model = RelativeTargetRegressor(pipe, target=target, kind=change)
            if deseasonalize and season_length:
                model = DeseasonalizedRegressor(
                    model, season_length=season_length, target=target
                )
            members.append((f"look_back{lb}_seed{seed}", model))
    if len(members) == 1:
        return members[0][1]
    return EnsembleRegressor(members, aggregate=aggregate)


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
        inner
        for name, value in vars(estimator).items()
        if name.endswith("_") and not name.startswith("_")
        for inner in _estimators_in(value)
    ]
    if fitted:
        return fitted
    return [
        inner
        for value in estimator.get_params(deep=False).values()
        for inner in _estimators_in(value)
    ]


def _estimators_in(value):
    """The estimators a parameter or attribute holds: itself, or a list of them.

    Lists may hold estimators or ``(name, estimator)`` pairs (an ensemble's
    ``estimators``).
    """
    if _is_estimator(value):
        return [value]
    if not isinstance(value, list | tuple):
        return []
    items = [item[-1] if isinstance(item, tuple) and item else item for item in value]
    return [item for item in items if _is_estimator(item)]


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
    Differencer): the steps of a pipeline run one after the other, so their
    earlier rows add up; estimators held side by side (the members of an
    ensemble, or the one regressor of a wrapper) read the same rows, so the
    most any of them reads counts.

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
    inner = [_earlier_rows(nested) for nested in _nested(estimator)]
    if not inner:
        return own
    in_sequence = _pipeline_steps(estimator) is not None
    return own + (sum(inner) if in_sequence else max(inner))


@validate_params(
    {
        "estimator": [HasMethods(["predict"])],
        "history": ["array-like"],
        "steps": [PositiveInt()],
        "future": [pd.DataFrame, pd.Series, None],
        "interval": [IntervalLevels(), None],
    },
    prefer_skip_nested_validation=True,
)
def forecast(estimator, history, steps, *, future=None, interval=None):
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
    history : Series, DataFrame, or 1D/2D array
        The series up to now (or a panel of series), in time order, with the
        columns the estimator was fitted on. A DataFrame with covariate
        columns besides the target needs ``future``.
    steps : int
        Number of future values returned per series. Not the model's
        ``horizon`` (the number of columns of y it was fitted on, see
        :func:`~sklstm.make_supervised`): ``steps`` may be longer, and the
        forecast then feeds its own predictions back as history.
    future : DataFrame or None, default=None
        Known future values of the covariates (calendar, prices, promotions):
        every column of ``history`` except the target, for each of the
        ``steps`` times after the end of each series (indexed like
        ``history``: by time, or by ``(series, time)`` for a panel; extra
        rows are ignored). The one column of ``history`` that ``future``
        lacks is the target.
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
    sklstm.make_supervised : Its ``horizon`` is the number of steps a model
        answers at once.
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
    levels = None if interval is None else interval_levels(interval)
    bounded = None if levels is None else _interval_source(estimator)
    frame, is_pandas = _history_frame(history, future)
    frame = _named_like_fit(frame, estimator)
    target = _target_position(frame, future)
    for piece in _delegation_chain(estimator):
        checking = getattr(piece, "check_forecast", None)
        if callable(checking):
            checking(frame, steps)
    needed = rows_needed(estimator)
    layout = series_layout(frame, "forecast")
    n_series = len(layout.series)
    if is_pandas:
        estimator = _bind_history(estimator, frame)
    # values[s, j]: the last `needed` values of series s (NaN before its
    # start), then its future
    last = layout.ends[:, np.newaxis] - needed + np.arange(needed)
    before_start = last < layout.starts[:, np.newaxis]
    values = np.full((n_series, needed + steps), np.nan)
    observed = frame.iloc[:, target].to_numpy(dtype=np.float64)
    values[:, :needed] = np.where(before_start, np.nan, observed[np.maximum(last, 0)])
    labels = _time_labels(frame, layout, last, steps) if is_pandas else None
    known = _known_values(frame, future, target, layout, last, labels, steps)
    dates = _date_frequency(frame) if is_pandas else None
    done = 0
    while done < steps:
        window = values[:, done : done + needed]
        X = (
            _window_frame(frame, layout, window, labels, done, known, target, dates)
            if is_pandas
            else None
        )
        try:
            prediction = _predict_last_rows(
                estimator, X if is_pandas else window.reshape(-1, 1), needed
            )
        except ValueError as exc:
            if done or not (layout.lengths < needed).any():
                raise
            every = np.full((n_series, 1), np.nan)  # as if all short series failed
            _refuse_non_finite(every, window, layout, done, needed, estimator, exc)
        prediction = np.asarray(prediction, dtype=np.float64).reshape(n_series, -1)
        if not np.isfinite(prediction).all():
            _refuse_non_finite(prediction, window, layout, done, needed, estimator)
        take = min(prediction.shape[1], steps - done)
        values[:, needed + done : needed + done + take] = prediction[:, :take]
        done += take
    future = values[:, needed:]
    columns = {"forecast": future}
    if levels is not None:
        bounds = bounded.prediction_interval(frame.iloc[:, target], future, levels)
        for level, (lower, upper) in bounds.items():
            suffix = "" if len(levels) == 1 else f"_{level * 100:g}"
            columns[f"lower{suffix}"], columns[f"upper{suffix}"] = lower, upper
    if not is_pandas:
        if levels is None:
            return future[0]
        return np.column_stack([column[0] for column in columns.values()])
    name = history.name if isinstance(history, pd.Series) else history.columns[target]
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


def _history_frame(history, future=None):
    """The history as a DataFrame, and whether it came as pandas.

    Several columns only with ``future`` (their known future values).
    """
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
    if frame.shape[1] != 1 and future is None:
        raise ValueError(
            f"forecast: history has {frame.shape[1]} columns. Feeding predictions "
            "back needs the future values of the other columns too: give the "
            "covariates' known values for the coming steps as future=... (a "
            "DataFrame indexed like history), or forecast each column separately."
        )
    if future is not None and not isinstance(history, pd.Series | pd.DataFrame):
        raise ValueError(
            "forecast: future=... is matched to history by its index, so history "
            f"must be a pandas DataFrame with named columns; got "
            f"{type(history).__name__}."
        )
    return frame, isinstance(history, pd.Series | pd.DataFrame)


def _named_like_fit(frame, estimator):
    """One value column named as the model's one input column, if they differ.

    A model fitted on one series' values ("visitors") forecasts any other
    series ("passengers"): with no covariates, the column's name carries no
    meaning for the model, so it is not a reason to refuse the history.
    """
    # the innermost delegate's names: forecast feeds the rows to it
    named = [
        piece.feature_names_in_
        for piece in _delegation_chain(estimator)
        if hasattr(piece, "feature_names_in_")
    ]
    names = named[-1] if named else None
    if frame.shape[1] != 1 or names is None or len(names) != 1:
        return frame
    if frame.columns[0] == names[0]:
        return frame
    return frame.set_axis([names[0]], axis=1)


def _target_position(frame, future):
    """The column of ``frame`` forecast: the only one, or the one future lacks."""
    if future is None:
        return 0
    given = list(future.columns) if isinstance(future, pd.DataFrame) else [future.name]
    columns = list(frame.columns)
    missing = [name for name in columns if name not in given]
    unknown = [name for name in given if name not in columns]
    if unknown:
        raise ValueError(
            f"forecast: future has columns {unknown} that history lacks; its "
            f"columns must be covariates of history (columns {columns})."
        )
    if len(missing) != 1:
        raise ValueError(
            "forecast: future must hold every column of history except the one "
            f"forecast (the target); history has {columns} and future {given}, "
            + (
                "so no column is left to forecast. Drop the target from future."
                if not missing
                else f"so {missing} all lack future values. Give the future "
                "values of all but the target."
            )
        )
    return columns.index(missing[0])


def _known_values(frame, future, target, layout, last, labels, steps):
    """The covariates (all columns but the target) over each series' window.

    Shape (n_series, needed + steps, n_columns) with NaN in the target's
    column, or None without covariates. The future part is read from
    ``future`` at the labels after each series' end.
    """
    if future is None:
        return None
    future = future.to_frame() if isinstance(future, pd.Series) else future
    n_series, needed = last.shape
    known = np.full((n_series, needed + steps, frame.shape[1]), np.nan)
    before_start = last < layout.starts[:, np.newaxis]
    rows = frame.to_numpy(dtype=np.float64)[np.maximum(last, 0)]
    known[:, :needed] = np.where(before_start[..., np.newaxis], np.nan, rows)
    positions = _future_positions(n_series, needed, steps)
    times = labels.take(positions)
    if is_panel(frame):
        wanted = pd.MultiIndex.from_arrays(
            [layout.series.repeat(steps), times], names=frame.index.names
        )
    else:
        wanted = times
    if not future.index.is_unique:
        raise ValueError(
            "forecast: the index of future repeats labels; give one row per "
            "(series,) time."
        )
    try:
        rows = future.index.get_indexer(wanted)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"forecast: cannot match future's index to the times after history "
            f"({exc}); index future like history."
        ) from exc
    columns = [name for name in frame.columns if name != frame.columns[target]]
    values = future[columns].to_numpy(dtype=np.float64)
    picked = np.where(rows[:, np.newaxis] >= 0, values[np.maximum(rows, 0)], np.nan)
    lacking = np.isnan(picked).reshape(n_series, steps, len(columns))
    if lacking.any():
        bad = np.flatnonzero(lacking.any(axis=(1, 2)))
        where = []
        for s in bad[:5]:  # a message names a handful: a short loop
            first = int(np.flatnonzero(lacking[s].any(axis=1))[0])
            cols = [columns[c] for c in np.flatnonzero(lacking[s].any(axis=0))]
            who = f"series {layout.series[s]!r}: " if is_panel(frame) else ""
            where.append(f"{who}{cols} from {times[s * steps + first]}")
        raise ValueError(
            f"forecast: future lacks values of covariates for the {steps} steps "
            f"after the end of history ({'; '.join(where)}"
            + (f"; {bad.size} series in all" if bad.size > 5 else "")
            + "). Give every covariate's value at every forecast time."
        )
    others = [c for c in range(frame.shape[1]) if c != target]
    known[:, needed:, others] = picked.reshape(n_series, steps, len(columns))
    return known


def _time_labels(frame, layout, last, steps):
    """Time labels of the window rows and the future, in one Index.

    The first ``n_series * needed`` labels are the history's (series after
    series), then ``n_series`` labels for each future step.
    """
    panel = is_panel(frame)
    times = frame.index.get_level_values(1) if panel else frame.index
    future = labels_after_ends(times, layout.starts, layout.lengths, steps)
    if future is None:
        longest = int(np.argmax(layout.lengths))
        try:  # the single-series message says how to give the index a step
            future_index(times[layout.starts[longest] : layout.ends[longest]], 1)
        except ValueError as exc:
            raise ValueError(f"forecast: cannot label the future: {exc}") from exc
        raise ValueError(
            "forecast: cannot label the future: the time labels of this panel "
            "have no step; use periods, dates with a frequency or integers "
            "(sklstm.to_panel converts dates)."
        )
    labels = _window_labels(times, layout, last)
    return labels.append(future) if future else labels


def _window_labels(times, layout, last):
    """The time labels of each series' window rows, series after series.

    Rows before a series' start (a history shorter than the window) get the
    labels before its first one, stepping as the longest series does.
    """
    starts = layout.starts[:, np.newaxis]
    labels = times[np.maximum(last, starts).ravel()]
    back = (starts - last).ravel()
    if not (back > 0).any():
        return labels
    longest = int(np.argmax(layout.lengths))
    template = times[layout.starts[longest] : layout.ends[longest] + 1]
    firsts = times[layout.starts].repeat(last.shape[1])
    padded = labels.to_numpy(copy=True)
    for k in np.unique(back[back > 0]):  # a loop over offsets, not series
        shifted = shift_labels(firsts, -int(k), template)
        if shifted is None:
            short = layout.series[layout.lengths < last.shape[1]]
            raise ValueError(
                f"forecast: series {[str(n) for n in short[:5]]} have fewer than "
                f"the {last.shape[1]} rows this estimator reads, and their time "
                "labels have no step to label the missing rows before their "
                f"start with. Give at least {last.shape[1]} rows, or index the "
                "history by periods, dates with a frequency or integers."
            )
        where = back == k
        padded[where] = shifted.to_numpy()[where]
    return pd.Index(padded, dtype=labels.dtype, name=labels.name)


def _future_positions(n_series, needed, steps):
    """Positions in the label Index of each series' future labels, series-major."""
    return (
        n_series * needed
        + np.arange(steps)[np.newaxis, :] * n_series
        + np.arange(n_series)[:, np.newaxis]
    ).ravel()


def _date_frequency(frame):
    """The step of the history's dates (its own or inferred), else None."""
    times = frame.index.get_level_values(1) if is_panel(frame) else frame.index
    return date_frequency(times) if isinstance(times, pd.DatetimeIndex) else None


def _with_frequency(times, freq, periods):
    """Dates that show their step ``freq`` however few they are.

    Taken out of the history, dates lose their frequency, and a window of
    one row per series cannot show it again, though a model may read each
    row's place in the season from it. Consecutive dates (a single series'
    window) take the frequency back; others (a panel's time level, which
    cannot hold one) become periods of it, with ``periods=True``. Dates that
    can do neither are returned as they are.
    """
    try:
        if periods:
            return pd.DatetimeIndex(times).to_period(period_freq(freq))
        return pd.DatetimeIndex(times, freq=freq)
    except (ValueError, TypeError):  # not consecutive, or no period of its own
        return times


def _window_frame(
    frame, layout, window, labels, done, known=None, target=0, dates=None
):
    """The window (n_series x needed values) as rows of a DataFrame like history.

    ``window`` holds the target's values; ``known`` (from :func:`_known_values`)
    the other columns' over the whole forecast, or None; ``dates`` the step
    of the history's dates (:func:`_date_frequency`), or None.
    """
    n_series, needed = window.shape
    step = np.arange(done, done + needed)[np.newaxis, :]
    series = np.arange(n_series)[:, np.newaxis]
    # label of (series s, column j): history for j < needed, else future
    history_positions = series * needed + step
    future_positions = n_series * needed + (step - needed) * n_series + series
    positions = np.where(step < needed, history_positions, future_positions)
    index = labels.take(positions.ravel()).rename(None)
    if dates is not None:
        index = _with_frequency(index, dates, periods=is_panel(frame))
    if is_panel(frame):
        index = pd.MultiIndex.from_arrays(
            [layout.series.repeat(needed), index], names=frame.index.names
        )
    else:
        index = index.rename(frame.index.name)
    if known is None:
        return pd.DataFrame({frame.columns[0]: window.ravel()}, index=index)
    block = known[:, done : done + needed].copy()
    block[:, :, target] = window
    return pd.DataFrame(
        block.reshape(n_series * needed, -1), index=index, columns=frame.columns
    )


def _refuse_non_finite(prediction, window, layout, done, needed, estimator, error=None):
    """Explain a non-finite prediction: a short history, NaN in it, or no history.

    ``error`` is the estimator's own error, when it refused to predict.
    """
    bad = ~np.isfinite(prediction).all(axis=1)
    short = bad & (layout.lengths < needed)
    if not done and short.any():
        names = [str(name) for name in layout.series[np.flatnonzero(short)[:5]]]
        rows = int(layout.lengths[short].min())
        raise ValueError(
            f"forecast: {int(short.sum())} series have fewer rows than the "
            f"{needed} this estimator reads ({names}, the shortest {rows}), and "
            f"{type(estimator).__name__} cannot predict from the rows they have "
            "(the rows before their start are missing). Give them at least "
            f"{needed} rows, forecast them with a model that masks missing "
            "steps (make_global_forecaster needs one row), or with a baseline."
        ) from error
    if error is not None:
        raise error
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
    sklstm's interval wrapper with ``forecaster_``); an estimator with
    ``to_levels(z, X)`` (a target wrapper such as
    :class:`~sklstm.RelativeTargetRegressor` or
    :class:`~sklstm.DeseasonalizedRegressor`) predicts
    ``to_levels(regressor_.predict(regressor_input(X)), X)`` (no
    ``regressor_input``: X itself); an ensemble, an estimator with
    ``combine(predictions)`` and its fitted members in ``estimators_`` (such
    as :class:`~sklstm.EnsembleRegressor`), combines its members'
    predictions. Any other estimator predicts all rows and its predictions
    for the last rows are taken.
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
        opening = getattr(estimator, "regressor_input", None)
        inner = opening(X) if callable(opening) else X
        z = _predict_last_rows(estimator.regressor_, inner, every)
        return estimator.to_levels(z, _last_rows_with_periods(X, every))
    members = getattr(estimator, "estimators_", None)
    if callable(getattr(estimator, "combine", None)) and isinstance(members, list):
        return estimator.combine(
            [_predict_last_rows(member, X, every) for member in members]
        )
    if rows_needed(estimator) == 1:  # it reads one row: give it only the last
        return np.asarray(estimator.predict(_last_rows(X, every)))
    return _last_rows(np.asarray(estimator.predict(X)), every)


def _delegate(estimator):
    """The fitted estimator whose predictions ``estimator`` returns, if it names one.

    scikit-learn's searches name it ``best_estimator_``; sklstm's wrappers
    that only add something beside the predictions (intervals) name it
    ``forecaster_``; scikit-learn's ``FrozenEstimator`` holds it in
    ``estimator``.
    """
    if isinstance(estimator, FrozenEstimator):
        return estimator.estimator
    for name in ("best_estimator_", "forecaster_"):
        inner = getattr(estimator, name, None)
        if inner is not None:
            return inner
    return None


def _delegation_chain(estimator):
    """``estimator``, the estimator it delegates to, that one's delegate, ..."""
    while estimator is not None:
        yield estimator
        estimator = _delegate(estimator)


def _reads_history(estimator):
    """Whether ``estimator`` or anything nested in it has ``for_history``."""
    if callable(getattr(type(estimator), "for_history", None)):
        return True
    inner = _delegate(estimator)
    nested = [inner] if inner is not None else _nested(estimator)
    return any(_reads_history(item) for item in nested)


def _bind_history(estimator, X):
    """``estimator`` with every piece that has ``for_history`` bound to X.

    X is the whole history (rows at t, as the estimator's X); pipelines
    transform it for their last step, wrappers open it with
    ``regressor_input``. Pieces are copied, never changed; an estimator
    without such a piece is returned as it is.
    """
    if not _reads_history(estimator):
        return estimator
    steps = _pipeline_steps(estimator)
    if steps is not None:
        for step in steps[:-1]:
            if step is not None and step != "passthrough":
                X = step.transform(X)
        bound = copy.copy(estimator)
        name, last = estimator.steps[-1]
        bound.steps = [*estimator.steps[:-1], (name, _bind_history(last, X))]
        return bound
    inner = _delegate(estimator)
    if inner is not None:  # forecast opens delegates: the bound inner one will do
        return _bind_history(inner, X)
    if callable(getattr(type(estimator), "for_history", None)):
        estimator = estimator.for_history(X)
    regressor = vars(estimator).get("regressor_")
    if regressor is not None and callable(getattr(estimator, "to_levels", None)):
        opening = getattr(estimator, "regressor_input", None)
        bound = copy.copy(estimator)
        bound.regressor_ = _bind_history(
            regressor, opening(X) if callable(opening) else X
        )
        return bound
    members = vars(estimator).get("estimators_")
    if isinstance(members, list):
        bound = copy.copy(estimator)
        bound.estimators_ = [_bind_history(member, X) for member in members]
        return bound
    return estimator


def _last_rows(X, every):
    """Rows every-1, 2*every-1, ...: the last row of each series' window."""
    return X.iloc[every - 1 :: every] if hasattr(X, "iloc") else X[every - 1 :: every]


def _last_rows_with_periods(X, every):
    """:func:`_last_rows`, their dates turned into periods of X's step.

    A target wrapper's ``to_levels`` may read each row's place in the season
    from its time label (:class:`~sklstm.DeseasonalizedRegressor`); the rows
    picked out of a window, ``every`` apart, no longer show the step of their
    dates, so it is read from all of X's and carried by periods.
    """
    rows = _last_rows(X, every)
    dates = _date_frequency(X) if isinstance(X, pd.DataFrame | pd.Series) else None
    if dates is None:
        return rows
    if not is_panel(X):
        return rows.set_axis(_with_frequency(rows.index, dates, periods=True))
    times = _with_frequency(rows.index.get_level_values(1), dates, periods=True)
    index = pd.MultiIndex.from_arrays(
        [rows.index.get_level_values(0), times], names=rows.index.names
    )
    return rows.set_axis(index)
