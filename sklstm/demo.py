"""The airline job end to end: search, honest test scores, forecast, plot.

``sklstm demo`` runs :func:`run_airline_demo`; ``examples/airline_passengers.py``
uses its split and scoring helpers for the tutorial's framings.
"""

import time

import numpy as np
import pandas as pd
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm.baselines import PersistenceRegressor, SeasonalNaiveRegressor
from sklstm.datasets import load_airline
from sklstm.forecasting import forecast, make_forecaster
from sklstm.intervals import ConformalForecaster
from sklstm.preprocessing import make_supervised
from sklstm.pretrained import load_pretrained

__all__ = ["airline_split", "rmse", "run_airline_demo"]

TEST_MONTHS = 48  # 1957-01 .. 1960-12, the tutorial's test third
INTERVAL = 0.8  # nominal coverage of the 1961 forecast's interval


def rmse(y_true, y_pred):
    """Root mean squared error of ``y_pred`` against ``y_true``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Observed and predicted values, in the same order.

    Returns
    -------
    rmse : float
        In the units of the values.
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def airline_split(series=None, test_months=TEST_MONTHS):
    """``X, y`` pairs of the airline series split into train and test.

    The test part holds the pairs whose TARGET is one of the last
    ``test_months`` months; the train part every pair before them. The first
    test row directly follows the last train row, so a fitted LagWindower
    completes its windows.

    Parameters
    ----------
    series : pandas.Series, default=None
        The series (the bundled airline data when None).
    test_months : int, default=48
        Number of target months in the test part.

    Returns
    -------
    X_train, X_test : DataFrame
        Rows at time t.
    y_train, y_test : Series
        The value at t+1, indexed by t.
    """
    series = load_airline().astype(np.float64) if series is None else series
    X, y = make_supervised(series)
    cut = len(X) - test_months
    return X.iloc[:cut], X.iloc[cut:], y.iloc[:cut], y.iloc[cut:]


def baseline_models(season_length=12):
    """The naive yardsticks, fresh: name -> estimator."""
    return {
        "persistence": PersistenceRegressor(),
        "seasonal_naive": SeasonalNaiveRegressor(season_length),
    }


def _next_step(y):
    """``y`` (indexed by t) relabelled by the time it predicts, t+1."""
    return pd.Series(np.asarray(y), index=y.index + 1, name=y.name)


def run_airline_demo(
    *,
    look_backs=(6, 12),
    units=(16, 32),
    n_splits=3,
    random_state=0,
    n_jobs=None,
    plot_path=None,
    progress=print,
    **lstm_params,
):
    """Tune, score and forecast an LSTM on the airline data, beside baselines.

    Parameters
    ----------
    look_backs, units : sequence of int
        The grid searched with ``TimeSeriesSplit`` on the training months.
    n_splits : int, default=3
        Folds of the ``TimeSeriesSplit``.
    random_state : int, default=0
        Seed of every LSTM fit.
    n_jobs : int or None, default=None
        Parallel fits in the grid search.
    plot_path : str or None, default=None
        Where to save the PNG plot (needs matplotlib); None for no plot.
    progress : callable, default=print
        Receives one line of text per stage.
    **lstm_params : dict
        Passed to :func:`~sklstm.make_forecaster` (e.g. ``epochs``).

    Returns
    -------
    results : dict
        ``one_step_test_rmse`` and ``forecast_12_rmse`` (each with keys
        ``sklstm``, ``persistence``, ``seasonal_naive``; the 12-month one
        also ``pretrained``, the shipped monthly model zero-shot),
        ``best_params``, ``forecast_1961`` (month -> value),
        ``interval_1961`` (``level``, ``lower`` and ``upper``, month ->
        value), ``pretrained_1961`` (the pretrained model's forecast and
        interval, the same keys) and ``seconds``.
    """
    start = time.perf_counter()
    series = load_airline().astype(np.float64)
    X_train, X_test, y_train, y_test = airline_split(series)
    progress(
        f"Train: {len(X_train)} months to {X_train.index[-1]}, test: targets "
        f"{y_test.index[0] + 1} .. {y_test.index[-1] + 1} ({len(y_test)} months)"
    )

    grid = {
        "regressor__lagwindower__look_back": list(look_backs),
        "regressor__lstmregressor__units": list(units),
    }
    n_fits = n_splits * len(look_backs) * len(units)
    progress(f"Grid search: {n_fits} fits over {grid} with TimeSeriesSplit({n_splits})")
    search = GridSearchCV(
        make_forecaster(random_state=random_state, **lstm_params),
        grid,
        cv=TimeSeriesSplit(n_splits),
        scoring="neg_root_mean_squared_error",
        n_jobs=n_jobs,
    ).fit(X_train, y_train)
    best = {k.split("__")[-1]: v for k, v in search.best_params_.items()}
    progress(f"Best: {best} (CV RMSE {-search.best_score_:.1f})")

    one_step = {"sklstm": rmse(y_test, search.predict(X_test))}
    test_predictions = {
        "sklstm": _next_step(
            pd.Series(search.predict(X_test), index=y_test.index, name="sklstm")
        )
    }
    for name, model in baseline_models().items():
        one_step[name] = rmse(y_test, model.fit(X_train, y_train).predict(X_test))
    progress("One-step test RMSE: " + _fmt(one_step))

    # 12-month forecast of 1960 from the data through 1959
    through_1959 = series[: series.index[-13]]
    X59, y59 = make_supervised(through_1959)
    actual_1960 = series[series.index[-12] :]
    model59 = make_forecaster(random_state=random_state, **lstm_params)
    model59.set_params(**search.best_params_).fit(X59, y59)
    forecast_12 = {"sklstm": rmse(actual_1960, forecast(model59, through_1959, 12))}
    for name, model in baseline_models().items():
        future = forecast(model.fit(X59, y59), through_1959, 12)
        forecast_12[name] = rmse(actual_1960, future)
    # the LSTM pretrained on other series, never on this one: no training
    pretrained = load_pretrained("monthly")
    forecast_12["pretrained"] = rmse(
        actual_1960, forecast(pretrained, through_1959, 12)
    )
    progress(
        "Forecast of 1960 from data through 1959, RMSE: "
        + _fmt(forecast_12)
        + " (pretrained: the shipped monthly LSTM, zero-shot)"
    )

    # the future: refit on everything, forecast the 12 months after 1960 with
    # an 80% interval calibrated on the last months' out-of-sample errors
    X_all, y_all = make_supervised(series)
    final = make_forecaster(random_state=random_state, **lstm_params)
    final = ConformalForecaster(final.set_params(**search.best_params_), steps=12)
    future = forecast(final.fit(X_all, y_all), series, 12, interval=INTERVAL)
    progress(
        f"Forecast {future.index[0]} .. {future.index[-1]} with its "
        f"{INTERVAL:.0%} interval: "
        + ", ".join(
            f"{row.forecast:.0f} [{row.lower:.0f}, {row.upper:.0f}]"
            for row in future.itertuples()
        )
    )
    calibrated = ConformalForecaster(FrozenEstimator(pretrained), steps=12)
    zero_shot = forecast(calibrated.fit(X_all, y_all), series, 12, interval=INTERVAL)
    progress(
        f"Pretrained LSTM (zero-shot), {INTERVAL:.0%} interval: "
        + ", ".join(
            f"{row.forecast:.0f} [{row.lower:.0f}, {row.upper:.0f}]"
            for row in zero_shot.itertuples()
        )
    )
    if plot_path is not None:
        from sklstm.plotting import plot_forecast

        test_predictions["pretrained, zero-shot 1961"] = zero_shot["forecast"]
        plot_forecast(
            series,
            test_predictions,
            future,
            title="Airline passengers: LSTM one-step test predictions and forecast",
            path=plot_path,
        )
        progress(f"Plot saved to {plot_path}")
    return {
        "one_step_test_rmse": one_step,
        "forecast_12_rmse": forecast_12,
        "best_params": best,
        "forecast_1961": {str(k): float(v) for k, v in future["forecast"].items()},
        "interval_1961": {
            "level": INTERVAL,
            "lower": {str(k): float(v) for k, v in future["lower"].items()},
            "upper": {str(k): float(v) for k, v in future["upper"].items()},
        },
        "pretrained_1961": {
            "level": INTERVAL,
            **{
                column: {str(k): float(v) for k, v in zero_shot[column].items()}
                for column in ("forecast", "lower", "upper")
            },
        },
        "seconds": round(time.perf_counter() - start, 1),
    }


def _fmt(scores):
    return ", ".join(f"{name} {value:.1f}" for name, value in scores.items())
