"""GridSearchCV(n_jobs=2) vs n_jobs=1 on this machine's cores.

A search over look_back x units of ``make_forecaster`` on the airline training
months, timed serially and with two worker processes. joblib sets
OMP_NUM_THREADS=1 in its workers and sklstm sizes TensorFlow's thread pools
from it, so the two processes do not fight over the cores.

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
    "regressor__lagwindower__look_back": [6, 12],
    "regressor__lstmregressor__units": [16, 32],
}


def timed_search(n_jobs, epochs, X, y):
    search = GridSearchCV(
        make_forecaster(random_state=0, epochs=epochs),
        GRID,
        cv=TimeSeriesSplit(3),
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
    n_fits = 3 * 4 + 1
    print(f"{n_fits} fits ({args.epochs} epochs each), {os.cpu_count()} cores\n")
    t1, s1 = timed_search(1, args.epochs, X, y)
    print(f"n_jobs=1  {t1:6.1f} s  best {s1.best_params_}", flush=True)
    t2, s2 = timed_search(2, args.epochs, X, y)
    print(f"n_jobs=2  {t2:6.1f} s  best {s2.best_params_}")
    speedup = t1 / t2
    print(
        f"\nspeed-up n_jobs=2 / n_jobs=1: {speedup:.2f}x "
        f"(goal >= 1.6x: {'holds' if speedup >= 1.6 else 'MISSED'}); "
        f"same best parameters: {s1.best_params_ == s2.best_params_}"
    )


if __name__ == "__main__":
    main()
