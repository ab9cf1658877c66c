"""GridSearchCV(n_jobs=2) vs n_jobs=1 on this machine's cores.

The search of sklstm's design card, look_back [1, 3, 12] x units [4, 16] with
TimeSeriesSplit(4) (24 fits and the refit), over ``make_forecaster`` on the
airline training months, timed serially and with two worker processes.
joblib sets OMP_NUM_THREADS=1 in its workers and sklstm sizes TensorFlow's
thread pools from it, so the two processes do not fight over the cores.

Each round runs the search three times: serially; with two "cold" workers,
new processes that each import TensorFlow (seconds) before their first fit;
and "warm", the next search in the same Python session, where joblib reuses
those workers (as in a notebook or a script that runs several searches). The
workers are shut down between rounds, so every round's two-process search
starts cold. The serial search runs in this process after one untimed fit,
so no timing includes this process's own TensorFlow import.

The speed of this shared machine's cores drifts by tens of percent within
seconds, so the searches of a round run back to back and the ratios are
taken within rounds (median over rounds). Each round also measures what the
machine gives two processes at once: the same pure-Python loop in two
processes together vs one alone (2.0x on two free cores); a search cannot
scale better than that.

Goal: >= 1.6x faster with n_jobs=2 on 2 cores.

Run: python benchmarks/parallel_search.py [--epochs 100] [--rounds 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from joblib.externals.loky import reusable_executor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import make_forecaster
from sklstm.demo import airline_split

GRID = {
    "regressor__lagwindower__look_back": [1, 3, 12],
    "regressor__lstmregressor__units": [4, 16],
}
FOLDS = 4
_SPIN = "s = 0\nfor i in range(15_000_000):\n    s += i\n"


def timed_search(n_jobs, epochs, X, y):
    search = GridSearchCV(
        make_forecaster(random_state=0, epochs=epochs),
        GRID,
        cv=TimeSeriesSplit(FOLDS),
        scoring="neg_root_mean_squared_error",
        n_jobs=n_jobs,
    )
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start, search


def two_process_ceiling():
    """Throughput of two CPU-bound processes at once over one alone (2.0 ideal)."""

    def run(n):
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(n)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    return 2 * run(1) / run(2)


def shut_down_workers():
    """End joblib's worker processes, so the next parallel search starts cold."""
    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True, kill_workers=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    X, _, y, _ = airline_split()
    n_fits = (
        FOLDS
        * len(GRID["regressor__lagwindower__look_back"])
        * len(GRID["regressor__lstmregressor__units"])
    )
    print(
        f"{n_fits} fits + the refit, {args.epochs} epochs each, "
        f"{os.cpu_count()} cores, {args.rounds} rounds"
    )
    print("(one fit first, so this process has TensorFlow loaded before timing)\n")
    make_forecaster(epochs=1).fit(X, y)
    print(
        f"{'round':>5s} {'n_jobs=1':>9s} {'2 cold':>7s} {'2 warm':>7s}"
        f" {'cold x':>7s} {'warm x':>7s} {'machine x':>10s}  best parameters"
    )
    cold, warm, ceiling, bests = [], [], [], set()
    for round_ in range(1, args.rounds + 1):
        shut_down_workers()
        t1, s1 = timed_search(1, args.epochs, X, y)
        t2, s2 = timed_search(2, args.epochs, X, y)
        t3, s3 = timed_search(2, args.epochs, X, y)
        cold.append(t1 / t2)
        warm.append(t1 / t3)
        ceiling.append(two_process_ceiling())
        best = {repr(s.best_params_) for s in (s1, s2, s3)}
        bests |= best
        params = ", ".join(
            f"{key.split('__')[-1]}={value}" for key, value in s1.best_params_.items()
        )
        print(
            f"{round_:5d} {t1:8.1f}s {t2:6.1f}s {t3:6.1f}s {cold[-1]:6.2f}x"
            f" {warm[-1]:6.2f}x {ceiling[-1]:9.2f}x  {params}"
            + ("" if len(best) == 1 else " (differ between runs)"),
            flush=True,
        )
    print()
    print(
        "two CPU-bound processes at once / one alone on this machine: "
        f"{statistics.median(ceiling):.2f}x (median; 2.00x on two free cores)"
    )
    for label, ratios in (("cold", cold), ("warm", warm)):
        speedup = statistics.median(ratios)
        print(
            f"speed-up n_jobs=2 ({label}) / n_jobs=1: {speedup:.2f}x median "
            f"({min(ratios):.2f} .. {max(ratios):.2f}) "
            f"(goal >= 1.6x: {'holds' if speedup >= 1.6 else 'MISSED'})"
        )
    print(f"same best parameters in every search: {len(bests) == 1}")


if __name__ == "__main__":
    main()
