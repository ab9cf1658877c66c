"""GridSearchCV(n_jobs=2) vs n_jobs=1 on this machine's cores.

The search of sklstm's design card, look_back [1, 3, 12] x units [4, 16] with
TimeSeriesSplit(4) (24 fits and the refit), over ``make_forecaster`` on the
airline training months, timed serially and with two worker processes.
joblib sets OMP_NUM_THREADS=1 in its workers and sklstm sizes TensorFlow's
thread pools from it, so the two processes do not fight over the cores.

The two-process search runs twice: "cold" starts new worker processes, which
each import TensorFlow (seconds) before their first fit; "warm" is the next
search in the same Python session, where joblib reuses those workers (as in a
notebook or a script that runs several searches). The serial search runs
in this process after one untimed fit, so no timing includes this process's
own TensorFlow import.

Goal (issue 6): >= 1.6x faster with n_jobs=2 on 2 cores.

Run: python benchmarks/parallel_search.py [--epochs 100]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import make_forecaster
from sklstm.demo import airline_split

GRID = {
    "regressor__lagwindower__look_back": [1, 3, 12],
    "regressor__lstmregressor__units": [4, 16],
}
FOLDS = 4


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args(argv)
    X, _, y, _ = airline_split()
    n_fits = (
        FOLDS
        * len(GRID["regressor__lagwindower__look_back"])
        * len(GRID["regressor__lstmregressor__units"])
    )
    print(
        f"{n_fits} fits + the refit, {args.epochs} epochs each, {os.cpu_count()} cores"
    )
    print("(one fit first, so this process has TensorFlow loaded before timing)\n")
    make_forecaster(epochs=1).fit(X, y)
    t1, s1 = timed_search(1, args.epochs, X, y)
    print(f"n_jobs=1         {t1:6.1f} s  best {s1.best_params_}", flush=True)
    t2, s2 = timed_search(2, args.epochs, X, y)
    print(f"n_jobs=2 (cold)  {t2:6.1f} s  best {s2.best_params_}", flush=True)
    t3, s3 = timed_search(2, args.epochs, X, y)
    print(f"n_jobs=2 (warm)  {t3:6.1f} s  best {s3.best_params_}")
    print()
    for label, t in (("cold", t2), ("warm", t3)):
        speedup = t1 / t
        print(
            f"speed-up n_jobs=2 ({label}) / n_jobs=1: {speedup:.2f}x "
            f"(goal >= 1.6x: {'holds' if speedup >= 1.6 else 'MISSED'})"
        )
    same = s1.best_params_ == s2.best_params_ == s3.best_params_
    print(f"same best parameters: {same}")


if __name__ == "__main__":
    main()
