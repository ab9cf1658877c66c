"""LagWindower on a big panel: per-series windows at the cost of one strided copy.

Goals: LagWindower(look_back=24) on a panel of 10,000 series x 240 rows
takes at most 2x the time of one strided copy of the same rows' windows (as
if they were one series, which costs no per-series work at all), and holds at
most 10% of its output besides the output. A loop that windows each series
alone is timed on a sample of series and scaled up, for comparison.

Run: python benchmarks/panel_windowing.py [--series 10000] [--rows 240]
"""

import argparse
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from sklstm import LagWindower

LOOK_BACK = 24


def strided_copy(values, look_back):
    """Windows of all rows as one series: pad, view, copy once."""
    padded = np.concatenate(
        [np.full((look_back - 1, values.shape[1]), np.nan, values.dtype), values]
    )
    view = np.lib.stride_tricks.sliding_window_view(padded, look_back, axis=0)
    return np.array(view.transpose(0, 2, 1).reshape(len(values), -1), order="C")


def timed(func, repeats):
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = func()
        seconds.append(time.perf_counter() - start)
        del out
    return statistics.median(seconds)


def peak_besides_output(func):
    tracemalloc.start()
    out = func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - out.nbytes, out.nbytes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=240)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--loop-sample", type=int, default=200)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    index = pd.MultiIndex.from_product(
        [range(args.series), range(args.rows)], names=["series", "t"]
    )
    panel = pd.DataFrame(
        {"y": rng.normal(size=len(index)).astype(np.float32)}, index=index
    )
    values = panel.to_numpy()
    windower = LagWindower(LOOK_BACK).fit(panel.iloc[:LOOK_BACK])

    sample = panel.loc[: args.loop_sample - 1]
    loop = np.concatenate(
        [
            LagWindower(LOOK_BACK).fit_transform(part)
            for _, part in sample.groupby(level=0)
        ]
    )
    assert np.array_equal(windower.transform(sample), loop, equal_nan=True)

    t_panel = timed(lambda: windower.transform(panel), args.repeats)
    t_copy = timed(lambda: strided_copy(values, LOOK_BACK), args.repeats)
    t_loop = timed(
        lambda: [
            LagWindower(LOOK_BACK).fit_transform(part)
            for _, part in sample.groupby(level=0)
        ],
        1,
    ) * (args.series / args.loop_sample)
    extra, out_bytes = peak_besides_output(lambda: windower.transform(panel))
    copy_extra, _ = peak_besides_output(lambda: strided_copy(values, LOOK_BACK))

    mb = 1024**2
    print(
        f"LagWindower({LOOK_BACK}) on a panel of {args.series:,} series x "
        f"{args.rows} rows ({len(panel):,} rows, float32); output "
        f"{out_bytes / mb:,.0f} MiB\n"
    )
    print(f"{'':34s} {'seconds':>8s} {'MiB besides output':>19s}")
    for name, seconds, memory in (
        ("LagWindower.transform (per series)", t_panel, extra),
        ("one strided copy (as one series)", t_copy, copy_extra),
    ):
        print(f"{name:34s} {seconds:8.3f} {memory / mb:19,.1f}")
    print(
        f"{'loop over series (scaled from ' + str(args.loop_sample) + ')':34s} "
        f"{t_loop:8.3f}"
    )
    ratio = t_panel / t_copy
    share = extra / out_bytes
    print(
        f"\ntime ratio per-series / one strided copy: {ratio:.2f} (goal <= 2.0: "
        f"{'holds' if ratio <= 2.0 else 'MISSED'})"
    )
    print(
        f"memory besides the output: {share:.1%} of it (goal <= 10%: "
        f"{'holds' if share <= 0.10 else 'MISSED'})"
    )
    print(f"a loop over series takes {t_loop / t_panel:,.0f}x the vectorised time")


if __name__ == "__main__":
    main()
