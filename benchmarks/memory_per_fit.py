"""Memory a process keeps per fit: sklstm's LSTMRegressor vs the same raw Keras.

A search fits hundreds of networks in one process (or in each worker), so
what a fitted-and-dropped model leaves behind adds up. Each side runs in its
own fresh interpreter and fits a new LSTM(16) -> Dense(1) on 200 windows
of (12, 1) for 3 epochs, again and again, each model dropped after
predicting. The first WARMUP fits are not counted: the allocator's pools
grow over the first ~20 fits even when nothing is kept. Printed: resident
memory (RSS) after the first and the last of FITS more fits, its growth per
fit (least-squares slope over all FITS) and the TensorFlow graphs those
fits left alive.

TensorFlow keeps every traced Keras training step alive from its global
gradient registry (tensorflow/tensorflow#97697); sklstm releases its own
(``releasing_training_graphs`` in sklstm/_tf_compat.py).

Goal: sklstm keeps no memory per fit (< 0.5 MiB per fit, no graph left).
Figures are printed, never asserted. Linux with glibc only (reads
/proc/self/statm after ``malloc_trim``, which steadies the figure).

Run: python benchmarks/memory_per_fit.py [--warmup 20] [--fits 40]
"""

import argparse
import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from fit_overhead import make_windows  # noisy sine windows of (12, 1)

GOAL_MIB_PER_FIT = 0.5


def fit_raw(X, y):
    import keras

    model = keras.Sequential(
        [keras.Input((None, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss="mse")
    model.fit(X, y, epochs=3, batch_size=32, verbose=0)
    model.predict_on_batch(X)


def fit_sklstm(X, y):
    from sklstm import LSTMRegressor

    LSTMRegressor(units=16, epochs=3, batch_size=32).fit(X, y).predict(X)


def rss_mib():
    """Resident memory after handing freed heap pages back (glibc malloc_trim)."""
    import ctypes
    import gc

    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def live_graphs():
    import gc

    from tensorflow.python.framework.func_graph import FuncGraph

    gc.collect()
    return sum(isinstance(o, FuncGraph) for o in gc.get_objects())


def measure(side, warmup, fits):
    """Run in a fresh interpreter: RSS after each of ``fits`` fits, graphs left."""
    fit = {"sklstm": fit_sklstm, "raw": fit_raw}[side]
    X, y = make_windows(n=200)
    for _ in range(warmup):  # TensorFlow's start-up, the allocator's pools
        fit(X, y)
    graphs = live_graphs()
    rss = []
    for _ in range(fits):
        fit(X, y)
        rss.append(rss_mib())
    return {"rss": rss, "graphs": live_graphs() - graphs}


def slope(values):
    """Least-squares growth per step: steadier than (last - first) / n."""
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((x - mean_x) * (v - mean_y) for x, v in enumerate(values))
    return num / sum((x - mean_x) ** 2 for x in range(n))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--fits", type=int, default=40)
    parser.add_argument("--side", choices=["sklstm", "raw"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side:  # the child process
        print(json.dumps(measure(args.side, args.warmup, args.fits)))
        return 0

    print(
        f"{args.fits} fits of LSTM(16) -> Dense(1) on 200 windows of (12, 1), "
        f"3 epochs, in a fresh process per side after {args.warmup} warm-up fits\n"
    )
    header = (
        f"{'contender':<28}{'RSS start':>11}{'RSS end':>10}{'MiB/fit':>9}"
        f"{'graphs left':>13}"
    )
    print(header)
    print("-" * len(header))
    per_fit = {}
    for name, side in (("sklstm LSTMRegressor", "sklstm"), ("raw Keras", "raw")):
        child = ["--side", side, "--warmup", str(args.warmup), "--fits", str(args.fits)]
        out = subprocess.run(
            [sys.executable, __file__, *child],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        rss = result["rss"]
        per_fit[side] = slope(rss)
        print(
            f"{name:<28}{rss[0]:>9.0f} M{rss[-1]:>8.0f} M{per_fit[side]:>9.2f}"
            f"{result['graphs']:>13d}"
        )
    holds = "HOLDS" if per_fit["sklstm"] < GOAL_MIB_PER_FIT else "DOES NOT HOLD"
    print(
        f"\nsklstm keeps {per_fit['sklstm']:.2f} MiB per fit, raw Keras "
        f"{per_fit['raw']:.2f} MiB; goal < {GOAL_MIB_PER_FIT} MiB per fit: {holds}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
