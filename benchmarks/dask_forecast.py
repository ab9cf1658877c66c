"""sklstm.dask.forecast on 2 local workers vs sklstm.forecast in process.

Goal (issue 25): a Dask forecast of 100,000 series x 24 steps on 2 local
workers takes <= 1.0x the in-process time, excluding the cluster's start, and
gives equal forecasts. Also prints each partition's rate (series per second
of one worker, from Dask's task stream) and, from it, the projected time for
1,000,000 series on N workers: a PROJECTION (linear in series, perfect
scaling over workers of one core each), not a measurement.

The model is a small global recipe (make_global_forecaster, look_back 24,
LSTM(32), windows relative to their last value; deseasonalize=False, since
seasonal indices are learnt per series in fit) fitted on 300 series; the
panel is monthly seasonal random walks of 60 months. Before timing, the long
table is persisted on the workers (as after reading parquet there) and each
worker has forecast one small partition (TensorFlow imported, the predict
traced); the in-process forecast is warmed up the same way. The Dask time
includes bringing the forecasts back to this process (``.compute()``).

Run: python benchmarks/dask_forecast.py [--series 100000] [--partitions 4]
"""

import argparse
import os
import platform
import time
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from sklstm import forecast, make_global_forecaster, make_supervised, to_panel

LENGTH, LOOK_BACK, TRAIN_SERIES = 60, 24, 300


def make_long(n_series, length=LENGTH, seed=0):
    """A long table: series id, month, value (monthly seasonal random walks)."""
    rng = np.random.default_rng(seed)
    levels = rng.uniform(50, 500, n_series)[:, np.newaxis]
    months = np.arange(length)
    season = 1 + 0.1 * np.sin(2 * np.pi * months / 12)
    walks = levels * np.exp(np.cumsum(rng.normal(0.005, 0.03, (n_series, length)), 1))
    return pd.DataFrame(
        {
            "series": np.repeat(np.arange(n_series), length),
            "time": np.tile(
                pd.period_range("2020-01", periods=length, freq="M"), n_series
            ),
            "y": (walks * season).ravel(),
        }
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=24)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    import dask.dataframe as dd
    import distributed

    import sklstm.dask

    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} CPUs, load average before: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    long = make_long(args.series)
    train = to_panel(
        long[long["series"] < TRAIN_SERIES], series="series", time="time", value="y"
    )
    model = make_global_forecaster(
        look_back=LOOK_BACK, deseasonalize=False, units=32, epochs=1, random_state=0
    ).fit(*make_supervised(train))
    panel = to_panel(long, series="series", time="time", value="y")

    forecast(model, panel.loc[:9], steps=2)  # warm up (graph tracing)
    start = time.perf_counter()
    expected = forecast(model, panel, steps=args.steps)
    t_local = time.perf_counter() - start
    print(
        f"in process: sklstm.forecast of {args.series:,} series x {args.steps} "
        f"steps: {t_local:.1f} s"
    )

    start = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=args.workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"OMP_NUM_THREADS": "1"},
    )
    client = distributed.Client(cluster)
    t_start = time.perf_counter() - start
    try:
        data = dd.from_pandas(long.set_index("series"), npartitions=args.partitions)
        data = data.persist()
        distributed.wait(data)
        # each worker imports TensorFlow and traces the predict once
        small = dd.from_pandas(
            long[long["series"] < 2 * args.workers].set_index("series"),
            npartitions=args.workers,
        )
        sklstm.dask.forecast(model, small, 2).compute()
        print(f"cluster start and warm-up (not timed below): {t_start:.1f} s + ...")

        with distributed.get_task_stream(client) as stream:
            start = time.perf_counter()
            got = sklstm.dask.forecast(model, data, steps=args.steps).compute()
            t_dask = time.perf_counter() - start
        tasks = [
            task
            for task in stream.data
            if "forecast_partition" in str(task["key"])
            or "_forecast_partition" in task.get("prefix", "")
        ]
    finally:
        client.close()
        cluster.close()

    got = got.set_index("time", append=True)["y"].sort_index()
    equal = got.index.equals(expected.index) and np.array_equal(
        got.to_numpy(), expected.to_numpy()
    )
    gap = float(np.max(np.abs(got.to_numpy() - expected.to_numpy())))
    print(
        f"Dask, {args.workers} local workers x 1 thread, {args.partitions} "
        f"partitions: {t_dask:.1f} s (compute, results brought back)"
    )
    print(f"forecasts equal to in process: {equal} (max |difference| {gap:.3g})")
    ratio = t_dask / t_local
    print(
        f"Dask / in process: {ratio:.2f} (goal <= 1.0: "
        f"{'holds' if ratio <= 1.0 else 'MISSED'})"
    )

    per_partition = args.series / args.partitions
    durations = [
        sum(
            stop - begin
            for action, begin, stop in [
                (s["action"], s["start"], s["stop"]) for s in task["startstops"]
            ]
            if action == "compute"
        )
        for task in tasks
    ]
    if durations:
        seconds = float(np.median(durations))
        rate = per_partition / seconds
        print(
            f"per partition ({per_partition:,.0f} series): median {seconds:.1f} s "
            f"of one worker over {len(durations)} partitions, "
            f"{rate:,.0f} series/s per worker"
        )
        print(
            "PROJECTION (not measured) for 1,000,000 series x "
            f"{args.steps} steps, from that rate, linear in series, "
            "perfect scaling, one core per worker, cluster start excluded:"
        )
        for n in (2, 8, 32, 128):
            print(f"  {n:4d} workers: {1_000_000 / rate / n / 60:8.1f} min")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
