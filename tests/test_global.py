"""Global forecasting: relative windows, seasons, ensembles, covariates, the recipe."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from sklstm import (
    DeseasonalizedRegressor,
    EnsembleRegressor,
    LagWindower,
    PersistenceRegressor,
    RelativeTargetRegressor,
    RelativeWindower,
    SeasonPosition,
    forecast,
    make_global_forecaster,
    make_supervised,
)
from sklstm.forecasting import rows_needed

SEASON = np.array([1.0, 0.9, 1.1, 1.3, 1.2, 1.0, 0.8, 0.7, 0.9, 1.0, 1.0, 1.1])


def _seasonal_panel(lengths=(60, 48, 72), zeros=False):
    """Monthly series of different scales, lengths and ends with one season."""
    rng = np.random.default_rng(0)
    parts = []
    for i, n in enumerate(lengths):
        months = pd.period_range(end=f"2021-{6 + i:02d}", periods=n, freq="M")
        trend = 10.0 ** (i + 1) * np.exp(0.01 * np.arange(n))
        values = trend * SEASON[months.month - 1] * rng.lognormal(0, 0.02, n)
        if zeros and i == 0:
            values[5] = 0.0
        index = pd.MultiIndex.from_arrays(
            [[f"s{i}"] * n, months], names=["store", "month"]
        )
        parts.append(pd.Series(values, index=index))
    return pd.concat(parts).rename("sales")


class NaNRefusingRegressor(RegressorMixin, BaseEstimator):
    """Refuses windows with missing history: proves forecast feeds full windows."""

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        keep = ~np.isnan(X).any(axis=1)
        self.model_ = LinearRegression().fit(X[keep], np.asarray(y)[keep])
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=np.float64)
        if np.isnan(X).any():
            raise AssertionError("a window without its full history reached predict")
        return self.model_.predict(X)


# ------------------------------------------------------------ RelativeWindower


def test_relative_windower_is_lag_windower_relative_to_the_last_value():
    panel = _seasonal_panel().to_frame()
    lag = LagWindower(4, dtype=np.float64).fit_transform(panel)
    rel = RelativeWindower(4).fit_transform(panel)
    assert_allclose(rel, np.log(lag / lag[:, -1:]), rtol=1e-5, atol=1e-6)
    # every series starts at its own first row: no window crosses series
    assert np.isnan(rel[60, :3]).all() and rel[60, 3] == 0


def test_relative_windower_makes_every_scale_alike():
    values = np.array([1.0, 2.0, 4.0, 8.0])
    small = RelativeWindower(3).fit_transform(values.reshape(-1, 1))
    large = RelativeWindower(3).fit_transform(1000 * values.reshape(-1, 1))
    assert_allclose(small, large, rtol=1e-6)


def test_relative_windower_other_columns_unchanged_and_reference_by_name():
    frame = pd.DataFrame({"promo": [0.0, 1.0, 0.0], "sales": [2.0, 4.0, 8.0]})
    out = RelativeWindower(2, reference="sales").fit_transform(frame)
    assert_allclose(out[2], [1.0, np.log(0.5), 0.0, 0.0], rtol=1e-6)
    with pytest.raises(ValueError, match=r"'price' is not in X.*promo"):
        RelativeWindower(2, reference="price").fit(frame)


def test_relative_windower_log_ratio_refuses_zeros_naming_the_series():
    panel = _seasonal_panel(zeros=True).to_frame()
    with pytest.raises(ValueError, match=r"positive.*rows \[5\].*series \['s0'\]"):
        RelativeWindower(3).fit(panel)
    out = RelativeWindower(3, kind="log1p_ratio").fit_transform(panel)
    assert np.isfinite(out[5:60]).all()


def test_relative_windower_reads_look_back_minus_one_earlier_rows():
    assert RelativeWindower(6).n_earlier_rows() == 5


# ------------------------------------------------------------ seasons


def test_season_position_reads_the_month_from_a_panel_index():
    panel = _seasonal_panel().to_frame()
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


def test_deseasonalized_regressor_finds_each_series_season():
    panel = _seasonal_panel()
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
    panel = _seasonal_panel()
    model = DeseasonalizedRegressor(PersistenceRegressor())
    model.fit(*make_supervised(panel.loc[["s0", "s1"]]))
    with pytest.raises(ValueError, match=r"not seen in fit.*\['s2'\]"):
        model.predict(make_supervised(panel)[0])
    with pytest.raises(ValueError, match="time index"):
        clone(model).fit(np.ones((30, 1)), np.ones(30))


# ------------------------------------------------------------ ensembles


def test_ensemble_takes_multi_output_targets_and_the_median():
    X = np.arange(20.0).reshape(-1, 1)
    y = np.column_stack([X.ravel(), -X.ravel()])
    members = [(f"m{i}", LinearRegression()) for i in range(3)]
    ens = EnsembleRegressor(members).fit(X, y)
    assert ens.predict(X).shape == (20, 2)
    assert_allclose(ens.combine([[1.0], [5.0], [2.0]]), [2.0])
    assert_allclose(
        clone(ens).set_params(aggregate="mean").combine([[1.0], [5.0]]), [3.0]
    )


def test_forecast_gives_each_ensemble_member_its_last_rows():
    series = pd.Series(
        np.arange(1.0, 41.0), index=pd.period_range("2020-01", periods=40, freq="M")
    )
    X, y = make_supervised(series)

    def member(look_back):
        return RelativeTargetRegressor(
            make_pipeline(LagWindower(look_back), NaNRefusingRegressor()).set_output(
                transform="pandas"
            ),
            kind="difference",
        )

    ens = EnsembleRegressor([("short", member(2)), ("long", member(5))])
    assert rows_needed(ens) == 5  # side by side: the most any member reads
    ens.fit(X, y)
    future = forecast(ens, series, steps=3)  # the NaN-refusing members pass
    assert_allclose(future.to_numpy(), [41.0, 42.0, 43.0], rtol=1e-6)


# ------------------------------------------------------------ covariates


def _with_promo(panel):
    frame = panel.to_frame()
    frame["promo"] = (panel.index.get_level_values(1).month % 3 == 0).astype(float)
    return frame


def test_forecast_with_covariates_takes_their_future_values():
    frame = _with_promo(_seasonal_panel())
    X, y = make_supervised(frame, target="sales")
    model = RelativeTargetRegressor(
        make_pipeline(RelativeWindower(3), NaNRefusingRegressor()).set_output(
            transform="pandas"
        )
    ).fit(X, y)
    future_index = pd.MultiIndex.from_tuples(
        [
            (s, frame.loc[s].index[-1] + k)
            for s in ("s0", "s1", "s2")
            for k in (1, 2, 3)
        ],
        names=frame.index.names,
    )
    future = pd.DataFrame({"promo": 1.0}, index=future_index)
    out = forecast(model, frame, steps=3, future=future)
    assert out.name == "sales" and len(out) == 9 and np.isfinite(out).all()
    # the covariate's future value reaches the model
    other = forecast(model, frame, steps=3, future=future * 0)
    assert not np.allclose(out.to_numpy()[1::3], other.to_numpy()[1::3])


def test_forecast_covariate_errors_name_series_and_columns():
    frame = _with_promo(_seasonal_panel())
    model = PersistenceRegressor().fit(*make_supervised(frame, target="sales"))
    with pytest.raises(ValueError, match=r"2 columns.*future="):
        forecast(model, frame, steps=2)
    short = pd.DataFrame(
        {"promo": [1.0]},
        index=pd.MultiIndex.from_tuples(
            [("s0", frame.loc["s0"].index[-1] + 1)], names=frame.index.names
        ),
    )
    with pytest.raises(ValueError, match=r"series 's0': \['promo'\] from 2021-08"):
        forecast(model, frame, steps=2, future=short)
    with pytest.raises(ValueError, match=r"series 's1': \['promo'\]"):
        forecast(model, frame, steps=2, future=short)
    with pytest.raises(ValueError, match="no column is left"):
        forecast(model, frame, steps=2, future=frame)


def test_single_series_forecast_with_a_covariate():
    frame = _with_promo(_seasonal_panel()).loc["s1"]
    model = PersistenceRegressor().fit(*make_supervised(frame, target="sales"))
    index = pd.period_range(frame.index[-1] + 1, periods=2, freq="M")
    future = pd.DataFrame({"promo": [0.0, 1.0]}, index=index)
    out = forecast(model, frame, steps=2, future=future)
    assert list(out.index) == list(index) and out.name == "sales"
    with pytest.raises(ValueError, match=r"\['promo'\] from 2021-10"):
        forecast(model, frame, steps=3, future=future)


# ------------------------------------------------------------ the recipe


@pytest.mark.parametrize("horizon", [1, 4])
def test_global_forecaster_fits_a_panel_direct_and_recursive(horizon):
    panel = _seasonal_panel()
    X, y = make_supervised(panel, horizon=horizon)
    model = make_global_forecaster(
        look_back=13, units=4, epochs=1, batch_size=64, random_state=0
    ).fit(X, y)
    future = forecast(model, panel, steps=4)
    assert future.index.names == ["store", "month"] and len(future) == 12
    assert np.isfinite(future).all()
    # scale-free: each series' forecast is near its own level
    for store in ("s0", "s1", "s2"):
        ratio = future.loc[store].to_numpy() / panel.loc[store].iloc[-12:].mean()
        assert ((ratio > 0.3) & (ratio < 3)).all()


def test_global_forecaster_ensemble_with_zeros_and_season_features():
    panel = _seasonal_panel(zeros=True)
    X, y = make_supervised(panel, horizon=2)
    with pytest.raises(ValueError, match=r"positive.*series \['s0'\].*log1p_ratio"):
        make_global_forecaster(look_back=4, units=2, epochs=1).fit(X, y)
    model = make_global_forecaster(
        look_back=[4, 6],
        n_seeds=2,
        change="log1p_ratio",
        season_features=True,
        units=2,
        epochs=1,
        random_state=0,
    )
    assert len(model.estimators) == 4 and rows_needed(model) == 6
    model.fit(X, y)
    assert np.isfinite(forecast(model, panel, steps=2)).all()


def test_global_forecaster_bad_parameters():
    with pytest.raises(ValueError, match=r"'change'.*'log1p_ratio'"):
        make_global_forecaster(change="ratio")
    with pytest.raises(ValueError, match=r"'look_back'.*list"):
        make_global_forecaster(look_back=[])
    with pytest.raises(ValueError, match="'n_seeds'"):
        make_global_forecaster(n_seeds=0)


def test_global_recipe_on_the_shipped_panel_with_a_covariate():
    from sklstm.datasets import load_us_macro

    frame = load_us_macro().to_frame()
    quarters = frame.index.get_level_values(1)
    frame["q4"] = (quarters.quarter == 4).astype(float)  # known in advance
    train = frame.groupby(level=0).head(195)
    X, y = make_supervised(train, horizon=4, target="value")
    model = make_global_forecaster(
        8, season_length=4, epochs=1, units=4, random_state=0
    ).fit(X, y)
    ahead = frame.groupby(level=0).tail(8).groupby(level=0).head(4)
    out = forecast(model, train, steps=4, future=ahead[["q4"]])
    assert out.index.equals(ahead.index) and np.isfinite(out).all()
    with pytest.raises(ValueError, match=r"\['q4'\]"):
        forecast(model, train, steps=4, future=ahead[["q4"]].iloc[:-1])


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
