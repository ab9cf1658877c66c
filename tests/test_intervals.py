"""Prediction intervals: ConformalForecaster and forecast(..., interval=...)."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression

from sklstm import (
    ConformalForecaster,
    PersistenceRegressor,
    forecast,
    make_forecaster,
    make_supervised,
)


def _ar1(n, phi=0.7, seed=0):
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=n)
    values = np.empty(n)
    values[0] = noise[0]
    for t in range(1, n):
        values[t] = phi * values[t - 1] + noise[t]
    return pd.Series(values, index=pd.RangeIndex(n), name="x")


def _walks(n_series=4, length=80, seed=0):
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_product(
        [
            [f"s{i}" for i in range(n_series)],
            pd.period_range("2015-01", periods=length, freq="M"),
        ],
        names=["store", "month"],
    )
    scales = np.repeat(10.0 ** (np.arange(n_series) % 4), length)
    walks = rng.normal(size=(n_series, length)).cumsum(axis=1).ravel()
    return pd.Series(1000 * scales + scales * walks, index=index, name="sales")


LEVELS = (0.8, 0.95)

# --dist loadgroup runs the coverage cases on one worker, so the
# fixture is fitted once (pyproject.toml pins pytest below 9.2 for this).
uses_ar1_coverage = pytest.mark.xdist_group("test_intervals_ar1_coverage")


@pytest.fixture(scope="module")
def ar1_coverage():
    """Per level of LEVELS: was each actual value inside its interval?

    One model, fitted on the first 500 values, forecasts from every other
    origin after them, all the levels at once.
    """
    series = _ar1(1000)
    train, test_start = series.iloc[:500], 500
    model = ConformalForecaster(LinearRegression(), steps=3, calibration_size=150)
    model.fit(*make_supervised(train))
    inside = {level: [] for level in LEVELS}
    for origin in range(test_start, 1000 - 3, 2):
        future = forecast(
            model, series.iloc[: origin + 1], steps=3, interval=list(LEVELS)
        )
        actual = series.iloc[origin + 1 : origin + 4].to_numpy()
        for level in LEVELS:
            lower = future[f"lower_{round(100 * level)}"]
            upper = future[f"upper_{round(100 * level)}"]
            inside[level].append((lower <= actual) & (actual <= upper))
    return inside


@uses_ar1_coverage
@pytest.mark.parametrize("level", LEVELS)
def test_coverage_is_near_nominal_on_ar1_noise(level, ar1_coverage):
    coverage = np.mean(ar1_coverage[level])
    assert level - 0.1 <= coverage <= level + 0.1


def test_intervals_widen_with_the_horizon():
    walks = _walks(n_series=40, length=120)  # random walks: error sd grows as sqrt(h)
    model = ConformalForecaster(PersistenceRegressor(), steps=12).fit(
        *make_supervised(walks)
    )
    future = forecast(model, walks.loc[["s0"]], steps=12, interval=0.8)
    width = (future["upper"] - future["lower"]).to_numpy()
    assert width[-1] > 2 * width[0]  # sqrt(12) = 3.5 expected
    assert (np.diff(width) > -0.1 * width[0]).all()
    assert (future["lower"] < future["forecast"]).all()
    assert (future["forecast"] < future["upper"]).all()


def test_panel_intervals_are_indexed_like_the_forecast_and_scaled_per_series():
    panel = _walks()
    model = ConformalForecaster(PersistenceRegressor(), steps=4).fit(
        *make_supervised(panel)
    )
    future = forecast(model, panel, steps=4, interval=0.9)
    point = forecast(model, panel, steps=4)
    assert future.columns.tolist() == ["forecast", "lower", "upper"]
    pd.testing.assert_index_equal(future.index, point.index)
    assert_allclose(future["forecast"], point)
    width = (future["upper"] - future["lower"]).groupby(level=0).mean()
    # each series is 10x the scale of the one before: so are its intervals
    assert_allclose(width.to_numpy()[1:] / width.to_numpy()[:-1], 10.0, rtol=0.25)


def test_several_levels_at_once_nest():
    series = _ar1(300)
    model = ConformalForecaster(LinearRegression(), steps=2, calibration_size=100)
    future = forecast(
        model.fit(*make_supervised(series)), series, steps=2, interval=[0.5, 0.9]
    )
    assert future.columns.tolist() == [
        "forecast",
        "lower_50",
        "upper_50",
        "lower_90",
        "upper_90",
    ]
    assert (future["lower_90"] <= future["lower_50"]).all()
    assert (future["upper_50"] <= future["upper_90"]).all()


def test_without_interval_the_output_is_unchanged():
    series = _ar1(200)
    X, y = make_supervised(series)
    wrapped = ConformalForecaster(LinearRegression(), steps=2).fit(X, y)
    out = forecast(wrapped, series, steps=2)
    assert isinstance(out, pd.Series) and out.name == "x"
    assert_allclose(out, forecast(LinearRegression().fit(X, y), series, steps=2))


def test_without_refit_the_calibration_clone_forecasts():
    series = _ar1(200)
    X, y = make_supervised(series)
    model = ConformalForecaster(
        LinearRegression(), steps=2, calibration_size=50, refit=False
    ).fit(X, y)
    before_tail = LinearRegression().fit(X.iloc[:-50], y.iloc[:-50])
    assert_allclose(model.forecaster_.coef_, before_tail.coef_)


def test_pickled_model_keeps_its_calibration():
    panel = _walks()
    model = ConformalForecaster(PersistenceRegressor(), steps=3).fit(
        *make_supervised(panel)
    )
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.calibration_errors_, model.calibration_errors_)
    pd.testing.assert_frame_equal(
        forecast(restored, panel, steps=3, interval=0.8),
        forecast(model, panel, steps=3, interval=0.8),
    )


def test_lstm_recipe_with_intervals_on_a_panel():
    panel = _walks(length=60)
    model = ConformalForecaster(
        make_forecaster(look_back=4, units=2, epochs=1, random_state=0), steps=3
    ).fit(*make_supervised(panel))
    future = forecast(model, panel, steps=3, interval=0.8)
    assert future.shape == (12, 3) and np.isfinite(future.to_numpy()).all()


class _RefusesToPredict(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.fitted_ = True
        return self

    def predict(self, X):
        raise AssertionError("predict ran before the bad interval was refused")


@pytest.mark.parametrize("interval", [0, 1, 1.5, -0.2, "0.9", True, [0.8, 2.0], []])
def test_bad_interval_is_refused_before_anything_is_computed(interval):
    model = _RefusesToPredict().fit(None, None)
    with pytest.raises(ValueError, match="'interval' parameter of forecast"):
        forecast(model, pd.Series([1.0, 2.0]), steps=1, interval=interval)


def test_model_without_calibration_says_how_to_get_intervals():
    series = _ar1(50)
    model = PersistenceRegressor().fit(*make_supervised(series))
    with pytest.raises(ValueError, match="ConformalForecaster"):
        forecast(model, series, steps=2, interval=0.9)


def test_more_steps_than_calibrated_is_refused():
    series = _ar1(200)
    model = ConformalForecaster(LinearRegression(), steps=2).fit(
        *make_supervised(series)
    )
    with pytest.raises(ValueError, match=r"up to steps=2 steps ahead; got .* of 3"):
        forecast(model, series, steps=3, interval=0.8)
    assert len(forecast(model, series, steps=3)) == 3  # no interval: any steps


def test_too_few_calibration_errors_for_the_level_is_refused():
    series = _ar1(60)
    model = ConformalForecaster(LinearRegression(), steps=2, calibration_size=4)
    model.fit(*make_supervised(series))
    with pytest.raises(
        ValueError, match=r"95% interval 1 steps ahead needs at least 19"
    ):
        forecast(model, series, steps=2, interval=0.95)
    assert len(forecast(model, series, steps=1, interval=0.75)) == 1  # 3 are enough


def test_calibration_that_leaves_nothing_to_fit_is_refused():
    series = _ar1(30)
    with pytest.raises(ValueError, match="leaves no row to fit"):
        ConformalForecaster(LinearRegression(), steps=2, calibration_size=40).fit(
            *make_supervised(series)
        )
    with pytest.raises(ValueError, match="calibration_size >= steps"):
        ConformalForecaster(LinearRegression(), steps=5, calibration_size=3).fit(
            *make_supervised(series)
        )


def test_recipes_that_know_their_series_by_name_calibrate():
    # the global recipe keeps seasonal indices per series id: the backtest
    # must forecast every series under its own name
    from sklstm import make_global_forecaster
    from sklstm.datasets import load_us_macro

    panel = load_us_macro()
    recipe = make_global_forecaster(
        8, season_length=4, epochs=1, units=4, random_state=0
    )
    model = ConformalForecaster(recipe, steps=4, refit=False)
    model.fit(*make_supervised(panel, horizon=4))
    future = forecast(model, panel, steps=4, interval=0.8)
    assert future.shape == (20, 3) and np.isfinite(future.to_numpy()).all()


def test_nan_in_one_series_does_not_widen_the_others():
    panel = _walks(n_series=5)
    clean = ConformalForecaster(PersistenceRegressor(), steps=2, refit=False)
    clean = forecast(clean.fit(*make_supervised(panel)), panel, 2, interval=0.8)
    holey = panel.copy()
    holey.iloc[3] = np.nan  # one missing value in the first series
    model = ConformalForecaster(PersistenceRegressor(), steps=2, refit=False)
    X, y = make_supervised(holey.iloc[5:])  # y holds no NaN
    out = forecast(model.fit(X, y), holey.iloc[5:], 2, interval=0.8)
    width = (out["upper"] - out["lower"]).groupby(level=0).mean()
    reference = (clean["upper"] - clean["lower"]).groupby(level=0).mean()
    assert_allclose(width.drop("s0"), reference.drop("s0"), rtol=0.5)


class _CountsFits(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        _CountsFits.fits += 1
        self.fitted_ = True
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float)[:, 0]


def test_bad_calibration_is_refused_before_any_fit():
    from sklearn.pipeline import make_pipeline

    from sklstm import LagWindower

    _CountsFits.fits = 0
    series = _ar1(30)
    recipe = make_pipeline(LagWindower(15), _CountsFits())
    with pytest.raises(ValueError, match="leaves no row to fit the estimator on"):
        ConformalForecaster(recipe, steps=2, calibration_size=29).fit(
            *make_supervised(series)
        )
    short = pd.concat([_walks(2, 40), _walks(1, 12).rename({"s0": "new"}, level=0)])
    with pytest.raises(ValueError, match=r"leaves series \['new'\] no row to forecast"):
        ConformalForecaster(PersistenceRegressor(), steps=2, calibration_size=12).fit(
            *make_supervised(short)
        )
    gaps = np.cumsum(np.r_[0, np.random.default_rng(0).integers(1, 9, 29)])
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(gaps, "D")
    irregular = pd.Series(series.to_numpy(), index=dates)
    with pytest.raises(ValueError, match="time index has no defined step"):
        ConformalForecaster(_CountsFits(), steps=2).fit(*make_supervised(irregular))
    assert _CountsFits.fits == 0


def test_global_recipe_defaults_calibrate_18_steps_on_48_month_series():
    from sklstm import make_global_forecaster

    panel = _walks(4, 48)
    recipe = make_global_forecaster(units=4, epochs=1, random_state=0)  # look_back 36
    model = ConformalForecaster(recipe, steps=18, season_length=12)
    # the calibration fit sees 23 rows per series: the windows are padded
    with pytest.warns(UserWarning, match="no window has its full history"):
        model.fit(*make_supervised(panel))
    future = forecast(model, panel, steps=18, interval=0.8)
    assert future.shape == (72, 3)
    assert (future["lower"] <= future["forecast"]).all()
    assert (future["forecast"] <= future["upper"]).all()


def test_a_frozen_model_is_calibrated_without_refitting(monkeypatch):
    from sklearn.frozen import FrozenEstimator

    from sklstm import LSTMRegressor, make_global_forecaster

    panel = _walks(4, 48)
    fitted = make_global_forecaster(
        look_back=12, units=4, epochs=1, random_state=0
    ).fit(*make_supervised(panel))
    fits = []
    monkeypatch.setattr(
        LSTMRegressor, "fit", lambda self, *a, **k: fits.append(self) or self
    )
    model = ConformalForecaster(FrozenEstimator(fitted), steps=6, season_length=12)
    model.fit(*make_supervised(panel))
    assert not fits
    assert model.forecaster_.estimator is fitted
    assert_allclose(
        forecast(model, panel, steps=6, interval=0.8)["forecast"],
        forecast(fitted, panel, steps=6),
    )


@pytest.mark.parametrize(
    "lengths, steps, level",
    [
        ((20,), 6, 0.9),
        ((20,), 3, 0.8),
        ((30,), 6, 0.95),
        ((12,), 6, 0.5),
        ((40,), 12, 0.9),
        ((9,), 3, 0.8),
        ((8,), 3, 0.8),
        ((6,), 6, 0.5),
        ((14, 20), 6, 0.9),
        ((10, 24, 30), 4, 0.95),
    ],
)
def test_the_early_check_refuses_exactly_what_fit_and_forecast_refuse(
    lengths, steps, level
):
    """The CLI's check before training agrees with the fit and forecast after."""
    rng = np.random.default_rng(len(lengths) * 100 + steps)
    parts = {
        f"s{i}": pd.Series(
            100 + rng.normal(size=n).cumsum(),
            index=pd.period_range("2000-01", periods=n, freq="M"),
        )
        for i, n in enumerate(lengths)
    }
    series = parts["s0"] if len(lengths) == 1 else pd.concat(parts)
    model = ConformalForecaster(PersistenceRegressor(), steps=steps)
    try:
        forecast(model.fit(*make_supervised(series)), series, steps, interval=level)
    except ValueError as late:
        with pytest.raises(ValueError) as early:
            model._check_calibration(series, [level])
        assert str(early.value) == str(late)
    else:
        model._check_calibration(series, [level])
