"""backtest(): a recipe's errors on the last values beside naive baselines."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from probes import NaNRefusingRegressor, seasonal_panel
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline

from sklstm import (
    LagWindower,
    LSTMRegressor,
    PersistenceRegressor,
    backtest,
    forecast,
    make_global_forecaster,
    make_supervised,
)


def _monthly(values):
    return pd.Series(
        np.asarray(values, dtype=float),
        index=pd.period_range("2000-01", periods=len(values), freq="M"),
        name="sales",
    )


def test_scores_equal_hand_computed_errors_for_the_same_split():
    values = np.array([3.0, 5, 4, 8, 6, 9, 7, 12, 10, 13, 11, 15])
    result = backtest(
        PersistenceRegressor(), _monthly(values), steps=2, n_origins=1, season_length=3
    )
    train, actual = values[:10], values[10:]
    persistence = np.full(2, train[-1])
    seasonal = train[-3:][:2]
    drift = train[-1] + (train[-1] - train[0]) / 9 * np.arange(1, 3)
    scale = np.mean(np.abs(train[3:] - train[:-3]))  # seasonal naive, in sample
    for name, predicted in [
        ("sklstm", persistence),  # the recipe here is persistence itself
        ("persistence", persistence),
        ("seasonal naive", seasonal),
        ("drift", drift),
    ]:
        row = result.scores.loc[name]
        assert_allclose(row["rmse"], np.sqrt(np.mean((actual - predicted) ** 2)))
        assert_allclose(row["mae"], np.mean(np.abs(actual - predicted)))
        assert_allclose(row["mase"], np.mean(np.abs(actual - predicted)) / scale)
    assert result.forecasts.index.astype(str).tolist() == ["2000-11", "2000-12"]
    assert_allclose(result.forecasts["actual"], actual)
    assert result.n_origins == 1 and result.n_windows == 9


def test_errors_pool_over_origins_latest_first():
    values = np.arange(30.0) ** 1.5
    one = backtest(PersistenceRegressor(), values, steps=3, n_origins=1)
    three = backtest(PersistenceRegressor(), values, steps=3, n_origins=3)
    assert three.n_origins == 3
    assert three.scores.loc["persistence", "mae"] < one.scores.loc["persistence", "mae"]
    assert_allclose(three.forecasts["actual"], values[-3:])


def test_advice_names_the_baseline_that_won():
    trend = _monthly(2.0 * np.arange(60) + 5)  # drift is exact on a straight line
    result = backtest(PersistenceRegressor(), trend, steps=6)
    assert result.scores["rmse"].idxmin() == "drift"
    assert result.advice.startswith("The LSTM lost to the drift forecast")
    assert "drift forecast is exact on these values" in result.advice
    assert "MASE" in result.advice and "look-back" in result.advice


def test_no_advice_when_the_recipe_wins_on_enough_windows():
    t = np.arange(200)
    series = _monthly(0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + 100)
    recipe = make_pipeline(LagWindower(4), NaNRefusingRegressor()).set_output(
        transform="pandas"
    )
    result = backtest(recipe, series, steps=12, season_length=12)
    assert result.scores["rmse"].idxmin() == "sklstm"
    assert result.advice is None


def test_few_training_windows_get_advice_even_when_the_recipe_wins():
    t = np.arange(30)
    series = _monthly(0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + 100)
    recipe = make_pipeline(LagWindower(4), NaNRefusingRegressor()).set_output(
        transform="pandas"
    )
    result = backtest(recipe, series, steps=6, n_origins=1)
    assert result.advice.startswith("Only 23 training windows")


def test_too_short_a_series_is_refused_with_the_fix():
    with pytest.raises(
        ValueError, match=r"holding out the last 5 values leaves the series fewer"
    ):
        backtest(PersistenceRegressor(), np.arange(6.0), steps=5)
    frozen = FrozenEstimator(
        PersistenceRegressor().fit(*make_supervised(np.arange(9.0)))
    )
    assert backtest(frozen, np.arange(6.0), steps=5).n_origins == 1


def test_a_table_is_refused_one_column_is_the_series():
    with pytest.raises(ValueError, match=r"shape \(30, 2\)"):
        backtest(PersistenceRegressor(), np.zeros((30, 2)), steps=4)
    frame = pd.DataFrame({"sales": np.arange(30.0)})
    assert backtest(PersistenceRegressor(), frame, steps=4).n_origins == 3
    panel = seasonal_panel().to_frame().assign(other=1.0)
    with pytest.raises(ValueError, match=r"one value column.*\['sales', 'other'\]"):
        backtest(PersistenceRegressor(), panel, steps=4)


def _ramp(n):
    return _monthly(np.arange(1.0, n + 1))


def test_a_panel_scores_each_series_and_weighs_them_equally():
    panel = seasonal_panel()
    result = backtest(PersistenceRegressor(), panel, steps=6, season_length=12)
    alone = [
        backtest(PersistenceRegressor(), panel.loc[name], steps=6, season_length=12)
        for name in ["s0", "s1", "s2"]
    ]
    expected = sum(one.scores for one in alone) / 3
    pd.testing.assert_frame_equal(result.scores, expected)
    assert result.n_origins == 3
    assert result.forecasts.index.get_level_values(0).unique().tolist() == [
        "s0",
        "s1",
        "s2",
    ]
    assert len(result.forecasts) == 18


def test_a_frozen_model_keeps_its_weights_in_a_backtest(monkeypatch):
    panel = seasonal_panel()
    model = make_global_forecaster(
        look_back=12, units=4, epochs=1, batch_size=32, random_state=0
    ).fit(*make_supervised(panel))
    fits = []
    monkeypatch.setattr(
        LSTMRegressor, "fit", lambda self, *a, **k: fits.append(self) or self
    )
    result = backtest(FrozenEstimator(model), panel, steps=4, season_length=12)
    assert not fits  # nothing was refitted
    cut = panel.groupby(level=0).head(-4)
    expected = forecast(model, cut, steps=4)
    assert_allclose(result.forecasts["sklstm"].to_numpy(), expected.to_numpy())


def test_short_histories_are_backtested_from_few_values():
    panel = seasonal_panel(lengths=(14, 30, 20))
    model = make_global_forecaster(
        look_back=24, units=4, epochs=1, batch_size=32, random_state=0
    ).fit(*make_supervised(seasonal_panel()))
    result = backtest(FrozenEstimator(model), panel, steps=4, n_origins=3)
    assert result.n_origins == 3
    assert np.isfinite(result.scores.to_numpy()).all()
