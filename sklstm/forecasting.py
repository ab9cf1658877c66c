"""Forecasting: the recommended LSTM recipe and forecasts past the end of the data."""

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import check_is_fitted

from sklstm._time_index import future_index
from sklstm._validation import PositiveInt
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

    A pipeline's steps (anything with ``steps``); otherwise the estimators
    it holds in fitted attributes (public names ending in ``_``, such as
    ``regressor_`` or ``best_estimator_``), or, before it is fitted, in its
    parameters.
    """
    if hasattr(estimator, "steps"):
        return [step for _, step in estimator.steps if _is_estimator(step)]
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
    {"estimator": "no_validation", "history": ["array-like"], "steps": [PositiveInt()]},
    prefer_skip_nested_validation=True,
)
def forecast(estimator, history, steps):
    """Forecast the ``steps`` values after the end of ``history``.

    Recursive for an estimator fitted on a 1D y (each prediction is appended
    to the history and becomes the input of the next step; the pipeline's
    fitted scaler and windower are reused, never refitted); direct for an
    estimator fitted on ``horizon`` columns of y (one prediction answers
    ``horizon`` steps at once, repeated from its own output when ``steps``
    is longer).

    Parameters
    ----------
    estimator : fitted regressor
        Fitted on ``X, y = make_supervised(series, horizon)``, e.g. a
        :func:`make_forecaster` model or a Pipeline ending in an LSTMRegressor.
    history : Series, one-column DataFrame, or 1D/2D array
        The series up to now, in time order, with the column the estimator
        was fitted on. Recursive forecasting of a table with several columns
        would need the future of the other columns, so it is refused.
    steps : int
        Number of future values.

    Returns
    -------
    future : Series or ndarray of shape (steps,)
        pandas input gives a Series named like the history, indexed by the
        labels that follow its index (a monthly series ending 1960-12
        forecasts 1961-01 ...; the index keeps its name); numpy input gives
        an array.

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
    is_pandas = isinstance(history, pd.Series | pd.DataFrame)
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
    needed = rows_needed(estimator)
    if len(frame) < needed:
        raise ValueError(
            f"forecast: history has {len(frame)} rows, but this estimator needs "
            f"at least {needed} (its look_back and differencing) to predict the "
            "next value. Give a longer history."
        )
    future = _future_labels(frame.index, steps) if is_pandas else None
    window = frame.iloc[-needed:].astype(np.float64)
    if not is_pandas:
        window = window.to_numpy()
    predictions = []
    while len(predictions) < steps:
        step = _predict_last_row(estimator, window)
        if not np.isfinite(step).all():
            missing = np.flatnonzero(np.isnan(np.asarray(window, dtype=np.float64)))
            if not predictions and missing.size:
                raise ValueError(
                    f"forecast: the last {needed} values of the history, which "
                    "the estimator reads, hold NaN at positions "
                    f"{(missing - needed).tolist()} (counted from the end), and "
                    "it predicted a non-finite value. Fill them (e.g. "
                    "history.interpolate()) before forecasting."
                )
            raise ValueError(
                "forecast: the estimator predicted a non-finite value; its "
                "inputs lack history (check look_back against the history)."
            )
        predictions.extend(step.tolist())
        window = _append(window, step)[-needed:]
    values = np.asarray(predictions[:steps])
    if not is_pandas:
        return values
    name = history.name if isinstance(history, pd.Series) else frame.columns[0]
    return pd.Series(values, index=future, name=name)


def _future_labels(index, steps):
    """The labels after the history's index, or an error saying how to get them."""
    try:
        return future_index(index, steps)
    except ValueError as exc:
        raise ValueError(f"forecast: cannot label the future: {exc}") from exc


def _predict_last_row(estimator, X):
    """The estimator's prediction for the last row of X, as a 1D array.

    The earlier rows of X are only context for the row-reading steps: they
    may lack history of their own (a differenced first row has none), and an
    LSTM refuses a window with no observed step. So a pipeline runs its
    transformers over all rows and only the last row reaches its final step,
    and wrappers whose prediction is known from their inner estimator's are
    opened: scikit-learn's searches predict with ``best_estimator_``, and an
    estimator with ``to_levels(z, X)`` (a relative-target wrapper such as
    :class:`~sklstm.RelativeTargetRegressor`) predicts
    ``to_levels(regressor_.predict(X), X)``. Any other estimator predicts all
    rows and its last prediction is taken.
    """
    if hasattr(estimator, "steps"):
        for _, step in estimator.steps[:-1]:
            if step is not None and step != "passthrough":
                X = step.transform(X)
        return _predict_last_row(estimator.steps[-1][1], X)
    best = getattr(estimator, "best_estimator_", None)
    if best is not None:
        return _predict_last_row(best, X)
    if callable(getattr(estimator, "to_levels", None)):
        z = _predict_last_row(estimator.regressor_, X)
        return np.asarray(estimator.to_levels(z[np.newaxis], _last_row(X)))[0]
    if rows_needed(estimator) == 1:  # it reads one row: give it only the last
        X = _last_row(X)
    return np.atleast_1d(np.asarray(estimator.predict(X), dtype=np.float64)[-1])


def _last_row(X):
    return X.iloc[-1:] if hasattr(X, "iloc") else X[-1:]


def _append(window, values):
    """``window`` (DataFrame or array) with rows holding ``values`` appended."""
    if isinstance(window, np.ndarray):
        return np.concatenate([window, np.reshape(values, (-1, 1))])
    index = future_index(window.index, len(values))
    new = pd.DataFrame({window.columns[0]: values}, index=index)
    return pd.concat([window, new])
