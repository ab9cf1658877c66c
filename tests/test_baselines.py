"""PersistenceRegressor and SeasonalNaiveRegressor: the honest yardsticks."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sklstm import PersistenceRegressor, SeasonalNaiveRegressor, make_supervised
from sklstm.datasets import load_airline
from sklstm.demo import airline_split, rmse

SERIES = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0])


def _monthly(values, start="2020-01"):
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series(np.asarray(values, dtype=float), index=index, name="v")


# ---------------------------------------------------------------- persistence


def test_persistence_repeats_the_current_value_numpy():
    X, y = make_supervised(SERIES)
    pred = PersistenceRegressor().fit(X, y).predict(X)
    assert_array_equal(pred, SERIES[:-1])
    assert pred.dtype == np.float64


def test_persistence_pandas():
    X, y = make_supervised(_monthly(SERIES))
    model = PersistenceRegressor().fit(X, y)
    assert_array_equal(model.predict(X), SERIES[:-1])
    assert model.n_features_in_ == 1
    assert model.n_outputs_ == 1


def test_persistence_horizon_repeats_current_value_in_every_column():
    X, y = make_supervised(SERIES, horizon=3)
    pred = PersistenceRegressor().fit(X, y).predict(X)
    assert pred.shape == (len(SERIES) - 3, 3)
    assert_array_equal(pred, np.repeat(SERIES[:-3, None], 3, axis=1))


def test_persistence_target_column_by_name_and_position():
    X = pd.DataFrame({"other": [9.0, 9.0, 9.0], "level": [1.0, 2.0, 3.0]})
    y = np.array([2.0, 3.0, 4.0])
    assert_array_equal(
        PersistenceRegressor(target="level").fit(X, y).predict(X), [1, 2, 3]
    )
    assert_array_equal(
        PersistenceRegressor(target=1).fit(X.to_numpy(), y).predict(X.to_numpy()),
        [1, 2, 3],
    )


def test_persistence_unfitted_raises():
    with pytest.raises(NotFittedError):
        PersistenceRegressor().predict(np.ones((2, 1)))


# ---------------------------------------------------------------- seasonal naive


def test_seasonal_naive_numpy_values():
    X, y = make_supervised(SERIES)
    pred = SeasonalNaiveRegressor(season_length=3).fit(X, y).predict(X)
    # forecast for t+1 is the value at t+1-3 = t-2; rows 0, 1 have no such row
    assert_array_equal(pred, [np.nan, np.nan, 1.0, 3.0, 2.0, 5.0, 4.0])


def test_seasonal_naive_season_one_is_persistence():
    X, y = make_supervised(SERIES)
    assert_array_equal(
        SeasonalNaiveRegressor(season_length=1).fit(X, y).predict(X), SERIES[:-1]
    )


def test_seasonal_naive_pandas_values():
    X, y = make_supervised(_monthly(SERIES))
    pred = SeasonalNaiveRegressor(season_length=2).fit(X, y).predict(X)
    assert_array_equal(pred, [np.nan, 1.0, 3.0, 2.0, 5.0, 4.0, 6.0])


def test_seasonal_naive_horizon_columns():
    X, y = make_supervised(SERIES, horizon=3)
    pred = SeasonalNaiveRegressor(season_length=3).fit(X, y).predict(X)
    assert pred.shape == (len(SERIES) - 3, 3)
    # row t, column h-1: the value at t+h-3
    expected = np.array(
        [
            [np.nan, np.nan, 1.0],
            [np.nan, 1.0, 3.0],
            [1.0, 3.0, 2.0],
            [3.0, 2.0, 5.0],
            [2.0, 5.0, 4.0],
        ]
    )
    assert_array_equal(pred, expected)


def test_seasonal_naive_horizon_equal_to_season_uses_row_t():
    X, y = make_supervised(_monthly(SERIES), horizon=4)
    pred = SeasonalNaiveRegressor(season_length=4).fit(X, y).predict(X)
    # the last column (h = 4 = season) is the current value
    assert_array_equal(pred[:, -1], SERIES[: len(X)])


def test_seasonal_naive_pandas_test_fold_uses_fitted_memory():
    X, y = make_supervised(_monthly(SERIES))
    model = SeasonalNaiveRegressor(season_length=3).fit(X.iloc[:4], y.iloc[:4])
    pred = model.predict(X.iloc[4:])  # continues the fitted index
    assert not np.isnan(pred).any()
    # rows 4, 5, 6: values at rows 2, 3, 4
    assert_array_equal(pred, SERIES[[2, 3, 4]])


def test_seasonal_naive_pandas_test_fold_with_horizon_uses_memory():
    X, y = make_supervised(_monthly(SERIES), horizon=2)
    model = SeasonalNaiveRegressor(season_length=3).fit(X.iloc[:3], y.iloc[:3])
    pred = model.predict(X.iloc[3:])
    assert not np.isnan(pred).any()
    assert_array_equal(
        pred, [[SERIES[1], SERIES[2]], [SERIES[2], SERIES[3]], [SERIES[3], SERIES[4]]]
    )


def test_seasonal_naive_no_memory_across_a_gap_or_for_numpy():
    X, y = make_supervised(_monthly(SERIES))
    model = SeasonalNaiveRegressor(season_length=3).fit(X.iloc[:3], y.iloc[:3])
    gap = model.predict(X.iloc[4:])  # skips row 3: not a continuation
    assert np.isnan(gap[:2]).all()
    model_np = SeasonalNaiveRegressor(season_length=3).fit(
        X.iloc[:4].to_numpy(), y.iloc[:4].to_numpy()
    )
    assert np.isnan(model_np.predict(X.iloc[4:].to_numpy())[:2]).all()


@pytest.mark.parametrize("model", [PersistenceRegressor(), SeasonalNaiveRegressor(2)])
def test_plain_lists_are_accepted(model):
    X = [[1.0], [2.0], [3.0], [4.0]]
    y = [2.0, 3.0, 4.0, 5.0]
    pred = model.fit(X, y).predict(X)
    expected = (
        [1.0, 2.0, 3.0, 4.0]
        if model.__class__ is PersistenceRegressor
        else [np.nan, 1.0, 2.0, 3.0]
    )
    assert_array_equal(pred, expected)


def test_seasonal_naive_season_shorter_than_horizon_errors():
    X, y = make_supervised(SERIES, horizon=4)
    with pytest.raises(ValueError, match=r"season_length=3.*at most 3.*4 columns"):
        SeasonalNaiveRegressor(season_length=3).fit(X, y)


@pytest.mark.parametrize("season_length", [0, -1, 1.5])
def test_seasonal_naive_bad_season_length(season_length):
    X, y = make_supervised(SERIES)
    with pytest.raises(ValueError, match="season_length"):
        SeasonalNaiveRegressor(season_length=season_length).fit(X, y)


# ---------------------------------------------------------------- airline numbers


def test_airline_baseline_rmse_on_the_48_test_months():
    X_train, X_test, y_train, y_test = airline_split()
    assert len(y_test) == 48
    assert str(y_test.index[0] + 1) == "1957-01"
    assert str(y_test.index[-1] + 1) == "1960-12"
    persistence = PersistenceRegressor().fit(X_train, y_train).predict(X_test)
    seasonal = SeasonalNaiveRegressor(12).fit(X_train, y_train).predict(X_test)
    assert not np.isnan(seasonal).any()
    assert round(rmse(y_test, persistence), 2) == 48.04
    assert round(rmse(y_test, seasonal), 2) == 41.85


def test_airline_seasonal_naive_equals_last_year_by_hand():
    series = load_airline().astype(float)
    X_train, X_test, y_train, _ = airline_split(series)
    pred = SeasonalNaiveRegressor(12).fit(X_train, y_train).predict(X_test)
    # the target month m is predicted by month m - 12
    assert_array_equal(pred, series.iloc[-48 - 12 : -12].to_numpy())


# ---------------------------------------------------------------- citizenship


@pytest.mark.parametrize(
    "model", [PersistenceRegressor(), SeasonalNaiveRegressor(season_length=2)]
)
def test_clone_and_pickle(model):
    X, y = make_supervised(_monthly(SERIES))
    fitted = clone(model).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    assert_array_equal(restored.predict(X), fitted.predict(X))
    assert clone(fitted).get_params() == model.get_params()


def test_seasonal_naive_on_less_than_a_season_does_not_warn_about_look_back():
    X, y = make_supervised(np.arange(6.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SeasonalNaiveRegressor(season_length=12).fit(X, y)


def test_drift_regressor_forecasts_the_backtests_drift_line_per_series():
    from sklstm import backtest, forecast, make_supervised
    from sklstm.baselines import DriftRegressor

    rng = np.random.default_rng(0)
    panel = pd.concat(
        {
            name: pd.Series(rng.uniform(1, 9, n).cumsum())
            for name, n in (("a", 30), ("b", 45))
        },
        names=["id", "t"],
    )
    result = backtest(DriftRegressor(), panel, 5, horizon=5)
    np.testing.assert_allclose(
        result.forecasts["sklstm"], result.forecasts["drift"], rtol=1e-12
    )
    model = DriftRegressor().fit(*make_supervised(panel, horizon=3))
    b = panel.loc["b"].to_numpy()
    expected = b[-1] + (b[-1] - b[0]) / (len(b) - 1) * np.arange(1, 4)
    np.testing.assert_allclose(forecast(model, panel, 3).loc["b"], expected)
