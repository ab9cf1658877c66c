"""fit_panel: the global recipe fitted from a panel, windows gathered per batch.

Small panels only: the memory and speed of large ones are measured by
``benchmarks/global_scale.py``, never asserted here.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from probes import graphs_kept

from sklstm import (
    ConformalForecaster,
    LSTMRegressor,
    fit_panel,
    forecast,
    make_global_forecaster,
    make_supervised,
)
from sklstm.large_panel import ArrayWindows

TINY = {"units": 4, "epochs": 2, "batch_size": 16, "random_state": 0}


@pytest.fixture(scope="module")
def panel():
    """8 seasonal, trending monthly series of 60 to 72 months."""
    rng = np.random.default_rng(0)
    pieces = []
    for i in range(8):
        n = 60 + 2 * i
        t = np.arange(n)
        season = 1 + 0.3 * np.sin(2 * np.pi * t / 12 + i)
        level = np.exp(rng.normal(3, 1)) * (1 + 0.01 * t) * season
        values = level * np.exp(rng.normal(0, 0.05, n))
        months = pd.period_range("2015-01", periods=n, freq="M") + i
        index = pd.MultiIndex.from_arrays(
            [np.full(n, f"s{i}"), months], names=["store", "month"]
        )
        pieces.append(pd.Series(values, index=index, name="sales"))
    return pd.concat(pieces)


def _lstm(model):
    """The LSTMRegressor inside a fitted recipe."""
    inner = model.regressor_
    inner = getattr(inner, "regressor_", inner)
    return inner[-1]


def _weights(model):
    return _lstm(model).model_.get_weights()


def _record(monkeypatch):
    """The sample numbers each batch of fit_stream gathered, and its windows."""
    calls = {"rows": [], "windows": None}
    original = LSTMRegressor.fit_stream

    class Recorder:
        def __init__(self, windows):
            self._windows = windows

        def __getattr__(self, name):
            return getattr(self._windows, name)

        def gather(self, rows):
            calls["rows"].append(np.array(rows))
            return self._windows.gather(rows)

    def fit_stream(self, windows):
        calls["windows"] = windows
        return original(self, Recorder(windows))

    monkeypatch.setattr(LSTMRegressor, "fit_stream", fit_stream)
    return calls


SHUFFLED = {**TINY, "look_back": 24, "epochs": 3}
EARLY_STOPPING = {"early_stopping": True, "validation_fraction": 0.2}

# --dist loadgroup runs the tests reading shuffled_fits on one worker, so the
# fixture is fitted once (pyproject.toml pins pytest below 9.2 for this).
uses_shuffled_fits = pytest.mark.xdist_group("test_large_panel_shuffled_fits")


@pytest.fixture(scope="module")
def shuffled_fits(panel):
    """``shuffled_fits(early_stopping)``: the recipe with SHUFFLED (shuffled
    batches, the default), and EARLY_STOPPING if asked, fitted both ways.

    The ordinary fit on ``make_supervised(panel, 6)`` and ``fit_panel``'s,
    whose batches are recorded (see ``_record``). Each is fitted once, on
    first use; read only.
    """
    cache = {}

    def fits(early_stopping=False):
        if early_stopping not in cache:
            params = {**SHUFFLED, **(EARLY_STOPPING if early_stopping else {})}
            X, y = make_supervised(panel, 6)
            ordinary = make_global_forecaster(**params).fit(X, y)
            with pytest.MonkeyPatch.context() as monkeypatch:
                recorded = _record(monkeypatch)
                large = fit_panel(make_global_forecaster(**params), panel, horizon=6)
            cache[early_stopping] = {
                "X": X,
                "y": y,
                "ordinary": ordinary,
                "large": large,
                **recorded,
            }
        return cache[early_stopping]

    return fits


def test_same_batches_give_the_ordinary_weights(panel):
    # shuffle=False: both paths train on the same batches in the same order
    params = {**TINY, "look_back": 24, "shuffle": False}
    ordinary = make_global_forecaster(**params).fit(*make_supervised(panel, 6))
    large = fit_panel(make_global_forecaster(**params), panel, horizon=6)
    for a, b in zip(_weights(ordinary), _weights(large), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        _lstm(large).target_mean_, _lstm(ordinary).target_mean_, rtol=1e-6
    )
    np.testing.assert_allclose(
        _lstm(large).target_scale_, _lstm(ordinary).target_scale_, rtol=1e-6
    )
    pd.testing.assert_frame_equal(
        large.seasonal_indices_, ordinary.seasonal_indices_, check_names=False
    )
    windower = large.regressor_.regressor_[0]
    np.testing.assert_allclose(
        windower.history_, ordinary.regressor_.regressor_[0].history_, rtol=1e-6
    )
    pd.testing.assert_series_equal(
        forecast(large, panel, steps=12), forecast(ordinary, panel, steps=12), rtol=1e-5
    )


@uses_shuffled_fits
def test_shuffled_batches_hold_the_ordinary_windows(shuffled_fits):
    recorded = shuffled_fits()
    X, y, ordinary = recorded["X"], recorded["y"], recorded["ordinary"]
    windows = recorded["windows"]
    n = windows.n_samples
    assert n == len(X)
    # each epoch draws every sample once, in a new order
    steps = -(-n // 16)
    epochs = [
        np.concatenate(recorded["rows"][e * steps : (e + 1) * steps])
        for e in range(SHUFFLED["epochs"])
    ]
    for rows in epochs:
        np.testing.assert_array_equal(np.sort(rows), np.arange(n))
    assert not np.array_equal(epochs[0], epochs[1])
    assert not np.array_equal(epochs[1], epochs[2])
    # the windows and targets are the ordinary path's, sample for sample
    lstm = ordinary.regressor_.regressor_
    X_adj = ordinary.regressor_input(X)
    ours, targets = windows.gather(np.arange(n))
    theirs = lstm[:-1].transform(X_adj)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    z = ordinary.regressor_.from_levels(ordinary.from_levels(y.to_numpy(), X), X_adj)
    np.testing.assert_allclose(targets, z, rtol=1e-5, atol=1e-6)


@uses_shuffled_fits
@pytest.mark.parametrize("early_stopping", [False, True])
def test_shuffled_batches_give_the_ordinary_weights(
    panel, shuffled_fits, early_stopping
):
    # shuffled (the default): both paths draw the same order every epoch, so
    # the same seed trains the same weights (a path shuffling in its own order
    # trained weights apart by ~0.5 here, as another seed's would)
    fits = shuffled_fits(early_stopping)
    ordinary, large = fits["ordinary"], fits["large"]
    assert _lstm(large).n_iter_ == _lstm(ordinary).n_iter_
    for a, b in zip(_weights(ordinary), _weights(large), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    pd.testing.assert_series_equal(
        forecast(large, panel, steps=12), forecast(ordinary, panel, steps=12), rtol=1e-5
    )


def test_fit_stream_trains_fit_s_weights_on_the_same_windows():
    # the estimator's two training paths, shuffled, on windows held in memory
    rng = np.random.default_rng(1)
    X = rng.normal(size=(90, 6, 2))
    y = X[:, -1, :] @ [1.0, -0.5] + 0.1 * rng.normal(size=90)
    params = {"units": 4, "epochs": 3, "batch_size": 16, "random_state": 3}
    ordinary = LSTMRegressor(**params).fit(X, y)
    streamed = LSTMRegressor(**params).fit_stream(ArrayWindows(X, y))
    for a, b in zip(
        ordinary.model_.get_weights(), streamed.model_.get_weights(), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_fit_stream_leaves_no_graphs_behind():
    # Dataset.counter() (a traced scan) left one graph alive per fit
    X = np.random.default_rng(2).normal(size=(40, 5, 1))

    def fit():
        LSTMRegressor(units=2, epochs=1).fit_stream(ArrayWindows(X, X[:, -1, 0]))

    fit()  # first fit: one-time set-up
    with graphs_kept() as kept:
        fit()  # a leak keeps this fit's graph
    assert kept == []


def test_forecast_intervals_and_pickle(panel):
    model = ConformalForecaster(
        make_global_forecaster(look_back=12, **TINY), steps=6, season_length=12
    )
    fit_panel(model, panel, horizon=6)
    future = forecast(model, panel, steps=6, interval=0.8)
    assert future.shape == (8 * 6, 3)
    assert (future["upper"] >= future["lower"]).all()
    again = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(forecast(again, panel, steps=6, interval=0.8), future)


def test_ensembles_and_plain_relative_recipes(panel):
    ensemble = make_global_forecaster(look_back=[12, 24], deseasonalize=False, **TINY)
    fit_panel(ensemble, panel, horizon=3)
    assert len(ensemble.estimators_) == 2
    assert forecast(ensemble, panel, steps=3).shape == (24,)
    one_step = fit_panel(
        make_global_forecaster(look_back=12, change="difference", **TINY), panel
    )
    assert forecast(one_step, panel, steps=2).shape == (16,)


def test_early_stopping_validates_on_the_last_samples(panel):
    model = make_global_forecaster(
        look_back=12, early_stopping=True, validation_fraction=0.2, **TINY
    )
    fit_panel(model, panel, horizon=3)
    assert len(_lstm(model).history_["val_loss"]) == _lstm(model).n_iter_


def test_a_long_table_and_parquet_files_give_the_same_fit(panel, tmp_path):
    pytest.importorskip("pyarrow")
    long = panel.reset_index()
    long["month"] = long["month"].dt.to_timestamp()
    ids = long["store"].unique()
    for k, bucket in enumerate((ids[:3], ids[3:5], ids[5:])):
        long[long["store"].isin(bucket)].to_parquet(tmp_path / f"part{k}.parquet")
    columns = {"series": "store", "time": "month", "value": "sales"}
    params = {**TINY, "look_back": 12}
    in_memory = fit_panel(make_global_forecaster(**params), panel, horizon=6)
    from_table = fit_panel(make_global_forecaster(**params), long, 6, **columns)
    from_files = fit_panel(make_global_forecaster(**params), tmp_path, 6, **columns)
    for model in (from_table, from_files):
        for a, b in zip(_weights(in_memory), _weights(model), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    pd.testing.assert_series_equal(
        forecast(from_files, panel, steps=6), forecast(in_memory, panel, steps=6)
    )


@pytest.fixture
def refuse_training(monkeypatch):
    """Make any training an error: the checks must come first."""

    def fail(self, windows):
        raise AssertionError("trained before refusing the input")

    monkeypatch.setattr(LSTMRegressor, "fit_stream", fail)


@pytest.mark.usefixtures("refuse_training")
@pytest.mark.parametrize(
    "change, match",
    [
        (lambda p: p.reset_index(drop=True), "needs a panel"),
        (lambda p: p.to_frame().assign(other=1.0), r"2 columns .* value="),
        (lambda p: -p, "must be zero or positive"),
        (lambda p: p.where(p.index.get_level_values(0) != "s2"), r"NaN.*s2|s2.*NaN"),
        (lambda p: p.drop(p.index[[3]]), "skips times"),
    ],
)
def test_bad_panels_are_refused_before_training(panel, change, match):
    model = make_global_forecaster(look_back=12, **TINY)
    with pytest.raises(ValueError, match=match):
        fit_panel(model, change(panel), horizon=6)


@pytest.mark.usefixtures("refuse_training")
def test_recipes_it_cannot_fit_are_refused_before_training(panel):
    with pytest.raises(ValueError, match="season_features"):
        fit_panel(make_global_forecaster(season_features=True), panel, horizon=6)
    with pytest.raises(ValueError, match="horizon must be a positive int"):
        fit_panel(make_global_forecaster(), panel, horizon=0)
    with pytest.raises(ValueError, match="stateful=False"):
        fit_panel(make_global_forecaster(look_back=12, stateful=True), panel)


def test_parquet_layout_errors(panel, tmp_path):
    pytest.importorskip("pyarrow")
    long = panel.reset_index()
    long["month"] = long["month"].dt.to_timestamp()
    long.iloc[:100].to_parquet(tmp_path / "a.parquet")
    long.iloc[50:].to_parquet(tmp_path / "b.parquet")  # s0 is split over both
    model = make_global_forecaster(look_back=12, **TINY)
    with pytest.raises(ValueError, match=r"series=\.\.\., time=\.\.\. and value="):
        fit_panel(model, tmp_path, horizon=6)
    with pytest.raises(ValueError, match=r"no column \['visits'\]"):
        fit_panel(model, tmp_path, 6, series="store", time="month", value="visits")
    with pytest.raises(ValueError, match="more than one parquet file"):
        fit_panel(model, tmp_path, 6, series="store", time="month", value="sales")
    with pytest.raises(FileNotFoundError, match="no such file"):
        fit_panel(model, tmp_path / "nope.parquet", 6, series="s", time="t", value="v")
