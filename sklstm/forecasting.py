"""Forecasting: the recommended LSTM recipe and forecasts past the end of the data."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from sklstm.preprocessing import (
    Differencer,
    LagWindower,
    To3D,
    _RowHistoryTransformer,
    infer_frequency,
    integer_step,
)
from sklstm.target import RelativeTargetRegressor

__all__ = ["forecast", "make_forecaster"]

_CHANGES = {"log_ratio": True, "difference": False}

# Chosen on the airline data over 10 seeds (README "Forecast a series"): of
# the settings tried, the best 12-month forecast of 1960 (RMSE 18.7,
# 14.9 .. 24.8) with a one-step test RMSE of 18.7, in ~1 s per fit. Batch 32
# instead of 48 scores 18.1 one step but 22.2 (17.2 .. 30.0) on the forecast;
# more epochs or a smaller learning rate fit the one-step task as well but
# compound errors in forecasts.
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


# (fitted attribute, parameter it is cloned from) of the wrappers forecast knows
_INNER_ESTIMATORS = (
    ("regressor_", "regressor"),  # RelativeTargetRegressor
    ("best_estimator_", "estimator"),  # GridSearchCV, RandomizedSearchCV
    ("windower_", None),  # SeasonalNaiveRegressor
)


def _walk(estimator):
    """Yield ``estimator`` and every estimator nested in it (pipelines, wrappers)."""
    yield estimator
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps:
            if isinstance(step, BaseEstimator):
                yield from _walk(step)
    for fitted, unfitted in _INNER_ESTIMATORS:
        # the fitted inner estimator, else the one it will be fitted from
        inner = getattr(estimator, fitted, None)
        if inner is None and unfitted is not None:
            inner = getattr(estimator, unfitted, None)
        if isinstance(inner, BaseEstimator):
            yield from _walk(inner)


def rows_needed(estimator):
    """Rows of history the fitted estimator reads to predict the last row.

    One row, plus the history of every row-reading transformer in it
    (``look_back - 1`` for a LagWindower, ``lag`` for a Differencer), since
    they are chained.
    """
    return 1 + sum(
        step._n_history()
        for step in _walk(estimator)
        if isinstance(step, _RowHistoryTransformer)
    )


def _future_index(index, steps):
    """The ``steps`` index labels after ``index``."""
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=steps, freq=index.freq)
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or infer_frequency(index)
        if freq is None:
            raise ValueError(
                "forecast: the history's DatetimeIndex has no frequency, so the "
                "future dates are unknown. Set one, e.g. "
                "history.asfreq('MS') or history.index.freq = 'D'."
            )
        offset = pd.tseries.frequencies.to_offset(freq)
        return pd.date_range(index[-1] + offset, periods=steps, freq=offset)
    if pd.api.types.is_integer_dtype(index.dtype):
        step = integer_step(index)
        return pd.RangeIndex(index[-1] + step, index[-1] + step * (steps + 1), step)
    raise ValueError(
        f"forecast: cannot continue a history indexed by {type(index).__name__}; "
        "use a PeriodIndex, a DatetimeIndex with a frequency or an integer index."
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
    if not isinstance(steps, int | np.integer) or isinstance(steps, bool) or steps < 1:
        raise ValueError(
            f"The 'steps' parameter of forecast must be an int in the range "
            f"[1, inf). Got {steps!r} instead."
        )
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
    future_index = _future_index(frame.index, steps) if is_pandas else None
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
    return pd.Series(values, index=future_index.rename(frame.index.name), name=name)


def _predict_last_row(estimator, X):
    """The estimator's prediction for the last row of X, as a 1D array.

    The earlier rows of X are only context for the row-reading transformers;
    they may lack history of their own (a differenced first row has none), so
    pipelines are run through their transformers and only the last row
    reaches the final estimator.
    """
    if isinstance(estimator, RelativeTargetRegressor):
        z = _predict_last_row(estimator.regressor_, X)
        return estimator._from_relative(z[np.newaxis], estimator._levels(X)[-1:])[0]
    if hasattr(estimator, "best_estimator_"):
        return _predict_last_row(estimator.best_estimator_, X)
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps[:-1]:
            if step is not None and step != "passthrough":
                X = step.transform(X)
        estimator = estimator.steps[-1][1]
    if rows_needed(estimator) == 1:  # it reads one row: give it only the last
        X = X.iloc[-1:] if hasattr(X, "iloc") else X[-1:]
    return np.atleast_1d(np.asarray(estimator.predict(X), dtype=np.float64)[-1])


def _append(window, values):
    """``window`` (DataFrame or array) with rows holding ``values`` appended."""
    if isinstance(window, np.ndarray):
        return np.concatenate([window, np.reshape(values, (-1, 1))])
    index = _future_index(window.index, len(values))
    new = pd.DataFrame({window.columns[0]: values}, index=index)
    return pd.concat([window, new])
