"""SeasonPosition and DeseasonalizedRegressor (sklstm/seasonal.py)."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from probes import SEASON, seasonal_panel
from sklearn.base import clone
from sklearn.linear_model import LinearRegression

from sklstm import (
    DeseasonalizedRegressor,
    PersistenceRegressor,
    SeasonPosition,
    make_supervised,
)


def test_season_position_reads_the_month_from_a_panel_index():
    panel = seasonal_panel().to_frame()
    out = SeasonPosition(12).fit_transform(panel)
    months = panel.index.get_level_values(1).month.to_numpy()
    assert_allclose(
        np.arctan2(out[:, 1], out[:, 2]) % (2 * np.pi),
        2 * np.pi * (months - 1) / 12,
        atol=1e-9,
    )


def test_season_position_needs_a_time_index():
    with pytest.raises(ValueError, match=r"time index.*pandas"):
        SeasonPosition().fit(np.zeros((5, 1)))
    frame = pd.DataFrame({"x": [1.0, 2.0]}, index=["a", "b"])
    with pytest.raises(ValueError, match="no position in a season"):
        SeasonPosition().fit(frame)


def test_season_position_on_a_panel_of_dates_without_a_frequency():
    starts = {"a": "2000-01-01", "b": "2001-03-01"}
    index = pd.MultiIndex.from_tuples(
        [
            (name, date)
            for name, start in starts.items()
            for date in pd.date_range(start, periods=24, freq="MS")
        ]
    )
    X = pd.DataFrame({"v": np.arange(48.0)}, index=index)
    out = SeasonPosition(12).fit_transform(X)
    month = index.get_level_values(1).month.to_numpy()
    assert_allclose(out[:, 1], np.sin(2 * np.pi * (month - 1) / 12), atol=1e-12)


def test_deseasonalized_regressor_finds_each_series_season():
    panel = seasonal_panel()
    X, y = make_supervised(panel, horizon=3)
    model = DeseasonalizedRegressor(PersistenceRegressor()).fit(X, y)
    assert model.seasonal_.all()
    # positions of a monthly PeriodIndex: January is 0
    assert_allclose(
        model.seasonal_indices_.to_numpy(),
        np.tile(SEASON / SEASON.mean(), (3, 1)),
        rtol=0.05,
    )
    # persistence of the adjusted series, reseasonalised: seasonal naive-like
    pred = model.predict(X.iloc[[10]])
    month = X.index[10][1]
    expected = (
        panel.iloc[10]
        / SEASON[month.month - 1]
        * SEASON[(month.month + np.arange(3)) % 12]
    )
    assert_allclose(pred.ravel(), expected, rtol=0.05)


def test_deseasonalized_regressor_leaves_a_series_without_season_alone():
    rng = np.random.default_rng(1)
    index = pd.period_range("2000-01", periods=60, freq="M")
    series = pd.Series(100 + rng.normal(0, 1, 60), index=index)
    model = DeseasonalizedRegressor(LinearRegression()).fit(*make_supervised(series))
    assert not model.seasonal_.iloc[0]
    assert (model.seasonal_indices_.to_numpy() == 1).all()


def test_deseasonalized_regressor_refuses_unseen_series_and_numpy():
    panel = seasonal_panel()
    model = DeseasonalizedRegressor(PersistenceRegressor())
    model.fit(*make_supervised(panel.loc[["s0", "s1"]]))
    with pytest.raises(ValueError, match=r"not seen in fit.*\['s2'\]"):
        model.predict(make_supervised(panel)[0])
    with pytest.raises(ValueError, match="time index"):
        clone(model).fit(np.ones((30, 1)), np.ones(30))
