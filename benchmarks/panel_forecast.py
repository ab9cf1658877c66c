"""forecast() of a big panel: every series at once, one batched predict per step.

Goals: a 24-step recursive forecast of 10,000 series with a fitted
make_forecaster() takes at most 1.5x the time of the 24 batched predicts its
network needs anyway (10,000 windows each, the same network), and a loop that
forecasts the series one by one is far slower (timed on a sample of series
and scaled up; it should be >= 50x).

Run: python benchmarks/panel_forecast.py [--series 10000] [--steps 24]
"""

import argparse
import time

import numpy as np
import pandas as pd

from sklstm import forecast, make_forecaster, make_supervised

LOOK_BACK, LENGTH = 12, 60


def make_panel(n_series, length, seed=0):
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_product(
        [range(n_series), pd.period_range("2020-01", periods=length, freq="M")],
        names=["series", "month"],
    )
    levels = rng.uniform(50, 500, n_series)[:, np.newaxis]
    walks = levels * np.exp(np.cumsum(rng.normal(0.005, 0.03, (n_series, length)), 1))
    return pd.Series(walks.ravel(), index=index, name="y")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=24)
    parser.add_argument("--loop-sample", type=int, default=20)
    args = parser.parse_args(argv)
    panel = make_panel(args.series, LENGTH)
    model = make_forecaster(LOOK_BACK, units=32, epochs=2, random_state=0)
    model.fit(*make_supervised(panel.loc[:199]))  # fitted on 200 series
    lstm = model.regressor_[-1]
    windows = np.random.default_rng(1).normal(size=(args.series, LOOK_BACK, 1))
    windows = windows.astype(np.float32)

    forecast(model, panel.loc[:9], steps=2)  # warm up (graph tracing)
    lstm.predict(windows)
    start = time.perf_counter()
    future = forecast(model, panel, steps=args.steps)
    t_forecast = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(args.steps):
        lstm.predict(windows)
    t_predicts = time.perf_counter() - start
    sample = panel.loc[: args.loop_sample - 1]
    start = time.perf_counter()
    for _, series in sample.groupby(level=0):
        forecast(model, series.droplevel(0), steps=args.steps)
    t_loop = (time.perf_counter() - start) * args.series / args.loop_sample
    assert future.shape == (args.series * args.steps,) and np.isfinite(future).all()

    print(
        f"forecast of {args.series:,} series x {args.steps} steps "
        f"(make_forecaster, look_back {LOOK_BACK}, LSTM(32))\n"
    )
    for name, seconds in (
        ("forecast(model, panel, steps)", t_forecast),
        (f"{args.steps} batched predicts of the same network", t_predicts),
        (f"loop over series (scaled from {args.loop_sample})", t_loop),
    ):
        print(f"{name:44s} {seconds:8.2f} s")
    ratio = t_forecast / t_predicts
    print(
        f"\nforecast / batched predicts: {ratio:.2f} (goal <= 1.5: "
        f"{'holds' if ratio <= 1.5 else 'MISSED'})"
    )
    loop = t_loop / t_forecast
    print(
        f"loop over series / forecast: {loop:,.0f}x (goal >= 50x: "
        f"{'holds' if loop >= 50 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
