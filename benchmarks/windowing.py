"""LagWindower on a big table: time and peak memory vs a plain copy of the windows.

Goal: LagWindower(look_back=32) on 1,000,000 x 8 float32 rows takes at
most 2x the time of the cheapest possible way to materialise the same windows (one
strided view copied once), and holds no intermediate larger than its output.

Run: python benchmarks/windowing.py [--rows 1000000]
"""

import argparse
import statistics
import time
import tracemalloc

import numpy as np

from sklstm import LagWindower

FEATURES, LOOK_BACK = 8, 32


def plain_copy(X, look_back):
    """The same windows (NaN-padded in front): pad, view, copy once."""
    padded = np.concatenate([np.full((look_back - 1, X.shape[1]), np.nan, X.dtype), X])
    view = np.lib.stride_tricks.sliding_window_view(padded, look_back, axis=0)
    return np.array(view.transpose(0, 2, 1).reshape(len(X), -1), copy=True)


def measure(func, repeats):
    times, peaks = [], []
    for _ in range(repeats):
        tracemalloc.start()
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        nbytes = out.nbytes
        del out
    return statistics.median(times), max(peaks), nbytes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    X = np.random.default_rng(0).normal(size=(args.rows, FEATURES)).astype(np.float32)
    windower = LagWindower(LOOK_BACK).fit(X[:10])
    assert np.array_equal(
        windower.transform(X[:1000]), plain_copy(X[:1000], LOOK_BACK), equal_nan=True
    )
    t_sklstm, peak_sklstm, out_bytes = measure(
        lambda: windower.transform(X), args.repeats
    )
    t_plain, peak_plain, _ = measure(lambda: plain_copy(X, LOOK_BACK), args.repeats)
    mb = 1024**2
    print(f"LagWindower(look_back={LOOK_BACK}) on {args.rows:,} x {FEATURES} float32")
    print(f"output: {out_bytes / mb:,.0f} MiB\n")
    print(f"{'':22s} {'seconds':>8s} {'peak MiB':>9s} {'peak - output':>14s}")
    for name, t, peak in (
        ("LagWindower.transform", t_sklstm, peak_sklstm),
        ("plain strided copy", t_plain, peak_plain),
    ):
        print(f"{name:22s} {t:8.3f} {peak / mb:9,.0f} {(peak - out_bytes) / mb:14,.0f}")
    ratio = t_sklstm / t_plain
    extra = peak_sklstm - out_bytes
    print(
        f"\ntime ratio sklstm / plain: {ratio:.2f} (goal <= 2.0: "
        f"{'holds' if ratio <= 2.0 else 'MISSED'})"
    )
    print(
        f"largest allocation besides the output: {extra / mb:,.0f} MiB "
        f"(goal < output {out_bytes / mb:,.0f} MiB: "
        f"{'holds' if extra < out_bytes else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
