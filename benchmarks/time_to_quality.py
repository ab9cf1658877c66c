"""Time to quality on the airline data: the tutorial's model 1 vs sklstm's recipe.

The tutorial's first model, written in plain Keras as the tutorial writes it
(MinMaxScaler fitted on the whole series, look_back=1, LSTM(4), 100 epochs,
batch_size=1), against sklstm's ``make_forecaster()`` with its defaults. Both
train on the pairs whose target is before 1957 and predict the same 48 test
months 1957-01 .. 1960-12; RMSE in thousands of passengers, fit seconds.
The speed of this shared machine drifts by tens of percent within seconds, so
each seed fits the two back to back and the time ratio is the median of the
seeds' ratios.

Goal: a better RMSE in at most 1/10 of the time.

Run: python benchmarks/time_to_quality.py [--seeds 3]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
from sklearn.preprocessing import MinMaxScaler

from sklstm import make_forecaster
from sklstm.datasets import load_airline
from sklstm.demo import airline_split, rmse


def tutorial_model_1(seed):
    """The tutorial's code (scaler leakage included); returns (rmse, seconds)."""
    keras.utils.set_random_seed(seed)
    values = load_airline().to_numpy(dtype="float32").reshape(-1, 1)
    scaled = MinMaxScaler().fit(values)  # on the whole series, as the tutorial does
    data = scaled.transform(values)
    train_end = len(values) - 48  # the first 96 months
    X = data[:-1].reshape(-1, 1, 1)  # value at t ...
    y = data[1:]  # ... predicts t+1
    start = time.perf_counter()
    model = keras.Sequential(
        [keras.Input((1, 1)), keras.layers.LSTM(4), keras.layers.Dense(1)]
    )
    model.compile(loss="mean_squared_error", optimizer="adam")
    model.fit(
        X[: train_end - 1], y[: train_end - 1], epochs=100, batch_size=1, verbose=0
    )
    seconds = time.perf_counter() - start
    pred = scaled.inverse_transform(model.predict(X[train_end - 1 :], verbose=0))
    return rmse(values[train_end:], pred), seconds


def sklstm_recipe(seed):
    X_train, X_test, y_train, y_test = airline_split()
    start = time.perf_counter()
    model = make_forecaster(random_state=seed).fit(X_train, y_train)
    seconds = time.perf_counter() - start
    return rmse(y_test, model.predict(X_test)), seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    print("each seed: the tutorial's model, then sklstm's, back to back\n")
    print(
        f"{'seed':>4s} {'tutorial RMSE':>14s} {'fit s':>6s}"
        f" {'sklstm RMSE':>12s} {'fit s':>6s} {'time ratio':>11s}"
    )
    tutorial, recipe, ratios = [], [], []
    for seed in range(args.seeds):
        tutorial.append(tutorial_model_1(seed))
        recipe.append(sklstm_recipe(seed))
        ratios.append(recipe[-1][1] / tutorial[-1][1])
        print(
            f"{seed:4d} {tutorial[-1][0]:14.1f} {tutorial[-1][1]:6.1f}"
            f" {recipe[-1][0]:12.1f} {recipe[-1][1]:6.2f} {ratios[-1]:11.3f}",
            flush=True,
        )
    print(f"\nmedian over {args.seeds} seeds, same 48 test months:\n")
    print(f"{'':26s} {'RMSE':>6s} {'fit s':>7s}")
    summary = {}
    for name, runs in (
        ("tutorial model 1 (Keras)", tutorial),
        ("sklstm make_forecaster()", recipe),
    ):
        summary[name] = (
            statistics.median(r for r, _ in runs),
            statistics.median(s for _, s in runs),
        )
        print(f"{name:26s} {summary[name][0]:6.1f} {summary[name][1]:7.2f}")
    (rmse_k, t_k), (rmse_s, t_s) = summary.values()
    ratio = statistics.median(ratios)
    print(
        f"\nRMSE sklstm / tutorial: {rmse_s / rmse_k:.2f}; time sklstm / tutorial: "
        f"{ratio:.3f} (median of the seeds' ratios; ratio of the medians "
        f"{t_s / t_k:.3f}) (goal: better RMSE in <= 0.10 of the time: "
        f"{'holds' if rmse_s < rmse_k and ratio <= 0.1 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
