"""The pretrained global LSTMs shipped in the package (sklstm.pretrained)."""

import json
import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.frozen import FrozenEstimator

from sklstm import (
    ConformalForecaster,
    LSTMRegressor,
    backtest,
    forecast,
    make_supervised,
)
from sklstm.datasets import load_airline
from sklstm.pretrained import PretrainedForecaster, load_pretrained
from sklstm.pretrained._store import WEIGHTS, read_config, window_fingerprints


@pytest.fixture(scope="module")
def monthly():
    return load_pretrained("monthly")


@pytest.fixture(scope="module")
def airline():
    return load_airline().astype(float)


def _quarterly(n=40):
    quarters = pd.period_range("2000Q1", periods=n, freq="Q")
    t = np.arange(n)
    values = 500 * (1 + 0.01 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 4))
    return pd.Series(values, index=quarters, name="sales")


# ---------------------------------------------------------------- loading


@pytest.mark.parametrize(
    "frequency, steps", [("monthly", 24), ("quarterly", 8), ("yearly", 6)]
)
def test_each_frequency_loads_from_the_package_and_forecasts(frequency, steps):
    model = load_pretrained(frequency)
    assert model.max_steps_ == steps
    series = _quarterly(30).reset_index(drop=True)  # no dates: any frequency
    future = forecast(model, series, steps=steps)
    assert len(future) == steps
    assert np.isfinite(future).all()
    assert future.index[0] == 30


def test_the_stored_files_rebuild_the_recipe_by_its_parameters():
    config = json.loads((WEIGHTS / "monthly" / "config.json").read_text())
    assert config["format"] == 1
    assert {"recipe", "networks", "provenance"} <= set(config)
    for network in config["networks"]:
        assert (WEIGHTS / "monthly" / network["weights"]).is_file()
    provenance = config["provenance"]
    for key in ("data", "data_licence", "weights_licence", "command", "machine"):
        assert provenance[key]


def test_the_airline_series_is_not_among_the_pretraining_series(airline):
    stored = set(np.load(WEIGHTS / "monthly" / "fingerprints.npy").tolist())
    assert len(stored) > 1000  # every 12th window of the pretraining series
    assert not stored & set(window_fingerprints(airline.to_numpy()).tolist())
    # control: the same check finds the airline inside a series that holds
    # 30 of its values at another scale, as it would in the pretraining set
    rng = np.random.default_rng(0)
    holding = np.concatenate(
        [rng.uniform(1, 9, 17), 3.5 * airline.to_numpy()[40:70], rng.uniform(1, 9, 5)]
    )
    sampled = set(window_fingerprints(holding, stride=12).tolist())
    assert sampled & set(window_fingerprints(airline.to_numpy()).tolist())


def test_a_fitted_model_with_any_column_name(monthly, airline):
    named = forecast(monthly, airline.rename("visitors"), steps=3)
    assert named.name == "visitors"
    np.testing.assert_allclose(named, forecast(monthly, airline, steps=3))


def test_dates_forecast_as_periods_do(monthly, airline):
    # as a CSV gives them to the CLI: dates with a frequency, not periods
    dates = airline.to_timestamp(how="start").asfreq("MS")
    future = forecast(monthly, dates, steps=12)
    np.testing.assert_allclose(future, forecast(monthly, airline, steps=12))
    assert future.index[0] == pd.Timestamp("1961-01-01")


def test_pickle_keeps_the_forecast(monthly, airline):
    copy = pickle.loads(pickle.dumps(monthly))
    np.testing.assert_array_equal(
        forecast(copy, airline, steps=12), forecast(monthly, airline, steps=12)
    )


def test_a_panel_forecasts_each_series_as_alone(monthly, airline):
    other = airline[:"1956"] * 3.0
    panel = pd.concat({"a": airline, "b": other}, names=["id", "month"])
    together = forecast(monthly, panel, steps=6)
    np.testing.assert_allclose(
        together.loc["b"], forecast(monthly, other, steps=6), rtol=1e-5
    )


# ---------------------------------------------------------------- refusals


def test_more_steps_than_trained_are_refused(monthly, airline):
    with pytest.raises(ValueError, match=r"at most 24 steps.*fit your own recipe"):
        forecast(monthly, airline, steps=25)


def test_another_frequency_is_refused_with_the_fix(monthly):
    with pytest.raises(ValueError, match=r"'quarterly'.*PretrainedForecaster"):
        forecast(monthly, _quarterly(), steps=4)
    daily = pd.Series(
        np.arange(1.0, 61.0), index=pd.date_range("2024-01-01", periods=60, freq="D")
    )
    with pytest.raises(ValueError, match=r"no pretrained model.*fit your own recipe"):
        forecast(monthly, daily, steps=4)
    quarterly = load_pretrained("quarterly")
    assert len(forecast(quarterly, _quarterly(), steps=8)) == 8


def test_negative_values_and_covariates_are_refused(monthly, airline):
    with pytest.raises(ValueError, match=r"negative values are in rows \[3\]"):
        forecast(monthly, airline.where(airline.index != airline.index[3], -1), 3)
    frame = airline.to_frame().assign(other=1.0)
    X, y = make_supervised(frame, horizon=3, target="passengers")
    with pytest.raises(ValueError, match=r"has 2 columns.*no covariates"):
        PretrainedForecaster().fit(X, y)


def test_fit_checks_its_arguments(airline):
    X, y = make_supervised(airline, horizon=25)
    with pytest.raises(ValueError, match=r"25 columns.*at most 24"):
        PretrainedForecaster().fit(X, y)
    with pytest.raises(ValueError, match="trains on your data"):
        PretrainedForecaster(fine_tune_epochs=1).fit()
    with pytest.raises(ValueError, match="frequency"):
        PretrainedForecaster(frequency="weekly").fit()
    with pytest.raises(FileNotFoundError, match="No pretrained monthly model"):
        read_config("monthly", WEIGHTS / "nowhere")


# ---------------------------------------------------------------- with the API


def test_zero_shot_fit_trains_nothing_and_equals_the_loaded_model(
    monkeypatch, monthly, airline
):
    calls = []
    original = LSTMRegressor.fit
    monkeypatch.setattr(
        LSTMRegressor,
        "fit",
        lambda self, *a, **k: calls.append(self.warm_start) or original(self, *a, **k),
    )
    X, y = make_supervised(airline[:"1958"], horizon=12)
    model = PretrainedForecaster().fit(X, y)
    assert calls and not any(calls)  # loads only: no warm start, no epoch
    assert model.predict(X).shape == (len(X), 12)
    np.testing.assert_allclose(
        forecast(model, airline, steps=12), forecast(monthly, airline, steps=12)
    )


def test_backtest_frozen_and_refitted_agree_and_train_nothing(
    monkeypatch, monthly, airline
):
    frozen = backtest(FrozenEstimator(monthly), airline, 12, season_length=12)
    zero_shot = backtest(
        PretrainedForecaster(), airline, 12, season_length=12, horizon=12
    )
    pd.testing.assert_frame_equal(frozen.scores, zero_shot.scores, rtol=1e-5)
    assert (
        frozen.scores.loc["sklstm", "mase"] < frozen.scores.loc["persistence", "mase"]
    )


def test_few_windows_are_no_warning_when_the_pretrained_model_wins(airline):
    # 60 months: 47 windows, too few to train on, not to forecast zero-shot
    recent = airline["1956":]
    result = backtest(
        {"pretrained": PretrainedForecaster()},
        recent,
        12,
        season_length=12,
        horizon={"pretrained": 12},
    )
    assert result.scores["mase"].idxmin() == "pretrained"
    assert result.n_windows < 50 and result.advice is None
    # control: the same scores for a recipe trained on these windows warn
    from sklstm.backtesting import _advice

    assert _advice(result.scores, result.n_windows, ["pretrained"]).startswith(
        f"Only {result.n_windows} training windows"
    )


def test_conformal_intervals_around_a_frozen_pretrained_model(monthly, airline):
    model = ConformalForecaster(FrozenEstimator(monthly), steps=12, season_length=12)
    model.fit(*make_supervised(airline[:"1959"]))
    table = forecast(model, airline[:"1959"], steps=12, interval=0.9)
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()
    point = forecast(monthly, airline[:"1959"], steps=12)
    np.testing.assert_allclose(table["forecast"], point)


def test_fine_tuning_trains_the_stored_networks_further(monthly, airline):
    X, y = make_supervised(airline[:"1958"], horizon=6)
    tuned = PretrainedForecaster(fine_tune_epochs=2, random_state=0).fit(X, y)
    again = PretrainedForecaster(fine_tune_epochs=2, random_state=0).fit(X, y)
    assert tuned.predict(X).shape == (len(X), 6)
    zero = forecast(monthly, airline[:"1958"], steps=12)
    after = forecast(tuned, airline[:"1958"], steps=12)
    assert np.abs(after - zero).max() > 1e-3  # the weights moved
    np.testing.assert_allclose(after, forecast(again, airline[:"1958"], steps=12))
    lstm = tuned.forecaster_
    while not isinstance(lstm, LSTMRegressor):  # the recipe's first network
        lstm = getattr(lstm, "regressor_", None) or lstm.estimators_[0]
        lstm = lstm.steps[-1][1] if hasattr(lstm, "steps") else lstm
    assert lstm.n_iter_ == 2


# ---------------------------------------------------------------- the guide


def test_the_guide_pages_code_runs():
    page = Path(__file__).parents[1] / "docs" / "user_guide" / "pretrained.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)
    assert len(blocks) == 3
    namespace = {}
    exec(compile("\n".join(blocks), str(page), "exec"), namespace)
    assert len(namespace["future"]) == 12
    assert {"forecast", "lower", "upper"} <= set(namespace["table"].columns)
