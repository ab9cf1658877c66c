"""The airline job end to end (sklstm/demo.py)."""

import numpy as np
import pandas as pd


def test_run_airline_demo_returns_documented_keys(tmp_path):
    from sklstm.demo import run_airline_demo

    lines = []
    plot = tmp_path / "p.png"
    results = run_airline_demo(
        look_backs=(3,),
        units=(2,),
        n_splits=2,
        epochs=2,
        plot_path=plot,
        progress=lines.append,
    )
    assert set(results) == {
        "one_step_test_rmse",
        "forecast_12_rmse",
        "best_params",
        "forecast_1961",
        "interval_1961",
        "pretrained_1961",
        "seconds",
    }
    methods = {"sklstm", "persistence", "seasonal_naive"}
    assert set(results["one_step_test_rmse"]) == methods
    assert set(results["forecast_12_rmse"]) == {*methods, "pretrained"}
    for key in ("one_step_test_rmse", "forecast_12_rmse"):
        assert all(np.isfinite(v) for v in results[key].values())
    pretrained = results["pretrained_1961"]
    for month in pd.period_range("1961-01", "1961-12", freq="M").astype(str):
        low, high = pretrained["lower"][month], pretrained["upper"][month]
        assert low <= pretrained["forecast"][month] <= high
    assert round(results["one_step_test_rmse"]["persistence"], 2) == 48.04
    assert round(results["one_step_test_rmse"]["seasonal_naive"], 2) == 41.85
    assert results["best_params"] == {"look_back": 3, "units": 2}
    months = [str(p) for p in pd.period_range("1961-01", "1961-12", freq="M")]
    assert list(results["forecast_1961"]) == months
    assert all(np.isfinite(v) for v in results["forecast_1961"].values())
    interval = results["interval_1961"]
    assert interval["level"] == 0.8
    for month in months:
        low, high = interval["lower"][month], interval["upper"][month]
        assert low <= results["forecast_1961"][month] <= high
    assert isinstance(results["seconds"], float)
    assert plot.is_file()
    assert plot.stat().st_size > 0
    assert lines  # progress was reported
