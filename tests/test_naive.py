"""The in-sample naive error (sklstm/_naive.py) and each caller's edge-case policy."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from sklstm import (
    ConformalForecaster,
    PersistenceRegressor,
    backtest,
    make_supervised,
    mase,
)
from sklstm._naive import naive_scale
from sklstm.panel import check_panel, series_layout


def _panel(values_by_series):
    parts = [
        pd.Series(
            values, index=pd.MultiIndex.from_product([[name], range(len(values))])
        )
        for name, values in values_by_series.items()
    ]
    return pd.concat(parts)


def test_naive_scale_is_each_series_mean_absolute_seasonal_change():
    panel = _panel({"a": [1.0, 2.0, 4.0, 7.0], "b": [10.0, 10.0, 13.0, 11.0, 17.0]})
    scale = naive_scale(panel.to_numpy(), check_panel(panel), 2)
    # a: |4-1|, |7-2| -> 4; b: |13-10|, |11-10|, |17-13| -> 8/3 (never across series)
    assert_allclose(scale, [4.0, 8.0 / 3.0])


def test_naive_scale_skips_nan():
    values = np.array([1.0, np.nan, 4.0, 6.0])
    assert_allclose(naive_scale(values, series_layout(values), 1), [2.0])


def test_naive_scale_returns_zero_and_undefined_as_they_are_by_default():
    panel = _panel({"flat": [5.0, 5.0, 5.0], "short": [1.0]})
    assert_allclose(naive_scale(panel.to_numpy(), check_panel(panel), 1), [0.0, np.nan])


def test_naive_scale_default_replaces_zero_and_undefined():
    panel = _panel({"flat": [5.0, 5.0, 5.0], "short": [1.0], "ok": [1.0, 3.0]})
    scale = naive_scale(panel.to_numpy(), check_panel(panel), 1, default=1.0)
    assert_allclose(scale, [1.0, 1.0, 2.0])


def test_naive_scale_falls_back_to_a_shorter_lag_for_short_series():
    panel = _panel({"short": [1.0, 4.0, 6.0], "long": [1.0, 2.0, 3.0, 5.0, 9.0]})
    scale = naive_scale(panel.to_numpy(), check_panel(panel), 3, fallback_lag=1)
    # short has no pair 3 apart: its lag-1 error (3 + 2) / 2; long keeps lag 3
    assert_allclose(scale, [2.5, (4.0 + 7.0) / 2])


# ------------------------------------------------ each caller's policy, pinned


def test_mase_refuses_a_history_without_naive_error():
    with pytest.raises(ValueError, match=r"has no error on the history of y_train"):
        mase([1.0], [2.0], y_train=[5.0, 5.0, 5.0])


def test_backtest_scales_a_short_history_by_its_one_step_change():
    # 10 values, 4 held out: 6 in sample, fewer than season_length=12, so the
    # scale is the mean one-step change (1.0 here) and MASE equals MAE
    result = backtest(
        PersistenceRegressor(), np.arange(10.0), steps=4, n_origins=1, season_length=12
    )
    assert_allclose(
        result.scores.loc["sklstm", "mase"], result.scores.loc["sklstm", "mae"]
    )


def test_backtest_leaves_errors_unscaled_for_a_constant_history():
    series = np.r_[np.full(8, 3.0), [4.0, 5.0]]
    result = backtest(PersistenceRegressor(), series, steps=2, n_origins=1)
    scores = result.scores.loc["sklstm"]
    assert_allclose(scores["mase"], scores["mae"])  # the scale is 1


def test_intervals_leave_errors_unscaled_for_a_constant_history():
    months = pd.period_range("2020-01", periods=40, freq="M")
    rng = np.random.default_rng(0)
    series = pd.Series(50 + rng.normal(size=40).cumsum(), index=months)
    model = ConformalForecaster(PersistenceRegressor(), steps=2).fit(
        *make_supervised(series)
    )
    point = np.full((1, 2), 7.0)

    def width(history):
        lower, upper = model.prediction_interval(history, point, [0.8])[0.8]
        return upper - lower

    flat = pd.Series(np.full(10, 7.0), index=months[:10])
    steps_of_two = pd.Series(np.arange(0.0, 20.0, 2.0), index=months[:10])
    # a constant history has no naive error: its scale is 1, half of 2's
    assert_allclose(width(steps_of_two), 2 * width(flat))
    assert (width(flat) > 0).all()
