"""sklstm.dask: forecasts and backtests of a partitioned long table.

One test runs on a 2-worker LocalCluster (each worker loads TensorFlow; the
cluster is conftest's ``dask_cluster``, shared with the grid search on Dask);
the others use Dask's synchronous scheduler in this process.
"""

import dask
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from sklstm import (
    ConformalForecaster,
    PersistenceRegressor,
    forecast,
    make_global_forecaster,
    make_supervised,
    to_panel,
)

dd = pytest.importorskip("dask.dataframe")
sklstm_dask = pytest.importorskip("sklstm.dask")

N_SERIES, LENGTH, STEPS = 12, 40, 3


@pytest.fixture(scope="module")
def long():
    """A long table: 12 series of 40 months, different levels and trends."""
    rng = np.random.default_rng(0)
    t = np.arange(LENGTH)
    rows = []
    for s in range(N_SERIES):
        level = 10.0 * (s + 1)
        values = level * (1 + 0.01 * (s % 3) * t) + rng.normal(0, 1, LENGTH)
        rows.append(
            pd.DataFrame(
                {
                    "series": f"s{s:02d}",
                    "time": pd.period_range("2020-01", periods=LENGTH, freq="M"),
                    "y": values,
                }
            )
        )
    table = pd.concat(rows, ignore_index=True)
    return table.sample(frac=1.0, random_state=0)  # any row order


@pytest.fixture(scope="module")
def panel(long):
    return to_panel(long, series="series", time="time", value="y")


@pytest.fixture(scope="module")
def model(panel):
    """A tiny global LSTM with conformal intervals (one fit, seconds)."""
    recipe = make_global_forecaster(
        look_back=6, season_length=None, units=2, epochs=1, random_state=0
    )
    conformal = ConformalForecaster(recipe, steps=STEPS, refit=False)
    return conformal.fit(*make_supervised(panel))


def _partitioned(long, npartitions=3):
    return dd.from_pandas(long.set_index("series"), npartitions=npartitions)


def _expected_backtest(model, panel, steps, n_origins):
    """The sklstm column of a backtest, by sklstm.forecast in process."""
    forecasts = []
    for origin in range(1, n_origins + 1):
        history = panel.groupby(level=0, group_keys=False).apply(
            lambda s, cut=origin * steps: s.iloc[:-cut]
        )
        point = forecast(model, history, steps).to_numpy()
        forecasts.append(point.reshape(-1, steps))
    return forecasts


@pytest.mark.xdist_group("dask_cluster")
def test_forecast_and_backtest_on_a_local_cluster_equal_in_process(
    long, panel, model, dask_cluster
):
    import distributed

    data = _partitioned(long)
    assert data.npartitions == 3
    expected = forecast(model, panel, STEPS, interval=0.8)
    with distributed.Client(dask_cluster):
        got = sklstm_dask.forecast(model, data, STEPS, interval=0.8).compute()
        result = sklstm_dask.backtest(model, data, STEPS, n_origins=2)
        table = result.forecasts.compute()
    got = got.set_index("time", append=True).sort_index()
    # equal up to float32 rounding (bitwise in most runs; another batch split
    # of the predict can move the last bit)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-6)
    assert got.index.equals(expected.index)

    table = table.reset_index().sort_values(["origin", "series", "step"])
    for origin, point in enumerate(_expected_backtest(model, panel, STEPS, 2), 1):
        mine = table.loc[table["origin"] == origin, "sklstm"].to_numpy()
        np.testing.assert_allclose(mine, point.ravel(), rtol=1e-6)
    error = table["actual"] - table["sklstm"]
    assert result.scores.loc["sklstm", "mae"] == pytest.approx(error.abs().mean())
    assert result.scores.loc["sklstm", "rmse"] == pytest.approx(
        np.sqrt((error**2).mean())
    )
    assert result.n_forecasts == 2 * N_SERIES


def test_backtest_scores_do_not_depend_on_the_partitions(long, panel):
    model = PersistenceRegressor().fit(*make_supervised(panel))
    with dask.config.set(scheduler="synchronous"):
        one = sklstm_dask.backtest(
            model, _partitioned(long, 1), 4, n_origins=3, season_length=12
        )
        four = sklstm_dask.backtest(
            model, _partitioned(long, 4), 4, n_origins=3, season_length=12
        )
        table = four.forecasts.compute()
    pd.testing.assert_frame_equal(one.scores, four.scores, rtol=1e-12)
    assert one.scores.index.tolist() == [
        "sklstm",
        "persistence",
        "seasonal naive",
        "drift",
    ]
    # the persistence baseline is the model here; seasonal naive: 12 months back
    np.testing.assert_array_equal(table["sklstm"], table["persistence"])
    values = panel.loc["s03"]
    rows = table.loc["s03"].query("origin == 1")
    np.testing.assert_array_equal(rows["seasonal naive"], values.iloc[-16:-12])
    np.testing.assert_array_equal(rows["actual"], values.iloc[-4:])


def test_the_model_is_one_task_of_the_graph(long, panel):
    model = PersistenceRegressor().fit(*make_supervised(panel))
    result = sklstm_dask.forecast(model, _partitioned(long, 4), 2)
    graph = dict(result.__dask_graph__())
    shipped = [key for key in graph if "sklstm-model" in str(key)]
    assert len(shipped) == 1


def test_forecast_with_known_future_covariates(long):
    data = long.assign(promo=(long["time"].dt.month == 6).astype(float))
    panel = to_panel(data, series="series", time="time", value=["y", "promo"])
    model = PersistenceRegressor().fit(*make_supervised(panel, target="y"))
    ahead = pd.period_range("2023-05", periods=2, freq="M")
    future = pd.DataFrame(
        {
            "series": np.repeat(panel.index.levels[0], 2),
            "time": np.tile(ahead, N_SERIES),
            "promo": np.tile([0.0, 1.0], N_SERIES),
        }
    )
    expected = forecast(
        model, panel, 2, future=to_panel(future, series="series", time="time")
    )
    ddata = _partitioned(data, 2)
    dfuture = dd.from_pandas(future.set_index("series"), npartitions=1).repartition(
        divisions=ddata.divisions
    )
    with dask.config.set(scheduler="synchronous"):
        got = sklstm_dask.forecast(model, ddata, 2, future=dfuture).compute()
    got = got.set_index("time", append=True)["y"]
    pd.testing.assert_series_equal(got, expected)


@pytest.fixture(scope="module")
def persistence(panel):
    return PersistenceRegressor().fit(*make_supervised(panel))


def test_unknown_divisions_are_refused_with_the_fix(long, persistence):
    data = _partitioned(long).clear_divisions()
    with pytest.raises(ValueError, match=r"divisions of data are unknown.*set_index"):
        sklstm_dask.forecast(persistence, data, 2)


def test_a_table_not_indexed_by_series_is_refused(long, persistence):
    data = dd.from_pandas(long, npartitions=2)
    with pytest.raises(ValueError, match=r"no series ids.*set_index\('series'\)"):
        sklstm_dask.backtest(persistence, data, 2)


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # dask's parquet reader
def test_a_series_split_across_partitions_is_refused(tmp_path, persistence):
    # series "b" spans two parquet files: the divisions look valid
    first = pd.DataFrame({"series": ["a", "a", "b"], "time": [0, 1, 0], "y": 1.0})
    second = pd.DataFrame({"series": ["b", "c", "c"], "time": [1, 0, 1], "y": 1.0})
    first.to_parquet(tmp_path / "part0.parquet", index=False)
    second.to_parquet(tmp_path / "part1.parquet", index=False)
    data = dd.read_parquet(tmp_path, index="series", calculate_divisions=True)
    model = PersistenceRegressor().fit(
        *make_supervised(
            to_panel(pd.concat([first, second]), series="series", time="time")["y"]
        )
    )
    with (
        dask.config.set(scheduler="synchronous"),
        pytest.raises(ValueError, match=r"partition 0 holds series 'b'.*split"),
    ):
        sklstm_dask.forecast(model, data, 2).compute()


def test_missing_columns_and_unfitted_models_are_refused_before_work(long, persistence):
    data = _partitioned(long)
    with pytest.raises(ValueError, match=r"no time column 'date'.*time=\.\.\."):
        sklstm_dask.forecast(persistence, data, 2, time="date")
    with pytest.raises(ValueError, match=r"fitted on columns \['y'\].*lacks \['y'\]"):
        sklstm_dask.forecast(persistence, data.rename(columns={"y": "sales"}), 2)
    with pytest.raises(NotFittedError):
        sklstm_dask.forecast(PersistenceRegressor(), data, 2)
    with pytest.raises(ValueError, match=r"prediction_interval.*ConformalForecaster"):
        sklstm_dask.forecast(persistence, data, 2, interval=0.9)
    dates = data.assign(time=data["time"].dt.to_timestamp())
    with pytest.raises(ValueError, match=r"holds dates; give their frequency"):
        sklstm_dask.forecast(persistence, dates, 2)


def test_dates_with_freq_equal_the_in_process_forecast(long, panel, persistence):
    dates = long.assign(time=long["time"].dt.to_timestamp())
    with dask.config.set(scheduler="synchronous"):
        got = sklstm_dask.forecast(
            persistence, _partitioned(dates, 2), 2, freq="MS"
        ).compute()
    expected = forecast(persistence, panel, 2)
    got = got.set_index("time", append=True)["y"].sort_index()
    pd.testing.assert_series_equal(got, expected)
