"""SeasonPosition and DeseasonalizedRegressor (sklstm/seasonal.py)."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from probes import SEASON, seasonal_panel
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


def test_unseen_series_get_indices_from_their_own_rows():
    panel = seasonal_panel()
    model = DeseasonalizedRegressor(PersistenceRegressor())
    model.fit(*make_supervised(panel.loc[["s0", "s1"]]))
    X = make_supervised(panel)[0]
    alone = DeseasonalizedRegressor(PersistenceRegressor())
    alone.fit(*make_supervised(panel.loc[["s2"]]))
    # seen series keep the indices learned in fit, s2 gets its own
    assert_allclose(
        model.predict(X),
        np.concatenate(
            [
                model.predict(X.loc[["s0", "s1"]]),
                alone.predict(X.loc[["s2"]]),
            ]
        ),
    )
    assert model.series_.tolist() == ["s0", "s1"]  # predict changes nothing


def test_one_series_given_to_a_panel_model_gets_its_own_indices():
    panel = seasonal_panel()
    model = DeseasonalizedRegressor(PersistenceRegressor())
    model.fit(*make_supervised(panel))
    s2 = panel.loc["s2"]
    own = DeseasonalizedRegressor(PersistenceRegressor()).fit(*make_supervised(s2))
    X = make_supervised(s2)[0]
    assert_allclose(model.predict(X), own.predict(X))
    # not the first series' indices, as before
    first = model.seasonal_indices_.loc["s0"].to_numpy()
    assert not np.allclose(own.seasonal_indices_.iloc[0].to_numpy(), first)


def test_for_history_estimates_from_the_history_and_leaves_the_model():
    panel = seasonal_panel()
    model = DeseasonalizedRegressor(PersistenceRegressor())
    model.fit(*make_supervised(panel.loc[["s0"]]))
    before = model.seasonal_indices_.copy()
    bound = model.for_history(panel.to_frame())
    refit = DeseasonalizedRegressor(PersistenceRegressor()).fit(
        panel.to_frame(), np.ones(len(panel))
    )
    pd.testing.assert_frame_equal(bound.seasonal_indices_, refit.seasonal_indices_)
    pd.testing.assert_frame_equal(model.seasonal_indices_, before)
    assert bound.regressor_ is model.regressor_


def test_deseasonalized_regressor_needs_a_time_index():
    model = DeseasonalizedRegressor(PersistenceRegressor())
    with pytest.raises(ValueError, match="time index"):
        model.fit(np.ones((30, 1)), np.ones(30))
