"""Latency of predicting ONE window: sklstm vs scikeras vs raw Keras.

The same small network (LSTM(32) -> Dense(1) on (12, 1) windows of a noisy
sine wave, trained for a few epochs) is fitted three times: as sklstm's
``LSTMRegressor``, as a scikeras ``KerasRegressor`` and as a plain Keras
model. Then each predicts a single window many times (after warm-up), in
interleaved rounds so that load from other jobs hits every contender alike,
and the median latency is printed.

Goal: sklstm >= 20x faster than
scikeras ``KerasRegressor.predict``. Figures are printed, never asserted.

Run: python benchmarks/predict_latency.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import statistics
import sys
import time
import warnings

import numpy as np

SEED = 0
UNITS = 32
LOOK_BACK = 12
EPOCHS = 5
BATCH_SIZE = 32
LEARNING_RATE = 0.005
ROUNDS = 5  # interleaved rounds; every contender is timed in each one
WARMUP = 20


def make_windows(n=600, look_back=LOOK_BACK, seed=SEED):
    """Windows of a noisy sine wave and the value after each window."""
    rng = np.random.default_rng(seed)
    t = np.arange(n + look_back)
    series = np.sin(2 * np.pi * t / 25) + 0.1 * rng.normal(size=t.size)
    idx = np.arange(look_back)[None, :] + np.arange(n)[:, None]
    X = series[idx][:, :, None].astype(np.float32)
    y = series[look_back : look_back + n].astype(np.float64)
    return X, y


def keras_model():
    """The shared architecture, compiled as every contender compiles it."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(None, 1)),
            keras.layers.LSTM(UNITS),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    return model


def time_calls(fn, n_calls):
    """Wall-clock seconds of each of ``n_calls`` calls of ``fn``."""
    times = []
    for _ in range(n_calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main():
    import keras

    from sklstm import LSTMRegressor

    X, y = make_windows()
    window = X[-1:]  # one window, shape (1, 12, 1)

    # sklstm
    reg = LSTMRegressor(
        units=UNITS,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        random_state=SEED,
    ).fit(X, y)

    # raw Keras (y standardized by hand, as sklstm does inside)
    keras.utils.set_random_seed(SEED)
    raw = keras_model()
    y_std = ((y - y.mean()) / y.std()).astype(np.float32)
    raw.fit(X, y_std, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)

    # scikeras (seeded through Keras, not its random_state: a seeded scikeras
    # fit leaves TensorFlow op determinism switched on for the whole process)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from scikeras.wrappers import KerasRegressor
    except ImportError:
        print(
            "scikeras is not installed: pip install scikeras  "
            "(or pip install 'sklstm[scikeras]')"
        )
        return 1
    keras.utils.set_random_seed(SEED)
    skr = KerasRegressor(
        model=keras_model,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        verbose=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        skr.fit(X, y)

    contenders = [
        # name, callable, calls per round
        ("sklstm LSTMRegressor.predict", lambda: reg.predict(window), 200),
        ("scikeras KerasRegressor.predict", lambda: skr.predict(window), 30),
        ("keras model.predict_on_batch", lambda: raw.predict_on_batch(window), 200),
        ("keras model.predict", lambda: raw.predict(window, verbose=0), 30),
    ]
    for _, fn, _ in contenders:  # warm-up: traces and caches compiled functions
        time_calls(fn, WARMUP)

    times = {name: [] for name, _, _ in contenders}
    for _ in range(ROUNDS):
        for name, fn, n_calls in contenders:
            times[name].extend(time_calls(fn, n_calls))

    median = {name: statistics.median(ts) for name, ts in times.items()}
    print(
        f"Predict ONE window (1, {LOOK_BACK}, 1) with LSTM({UNITS}) -> Dense(1); "
        f"median over {ROUNDS} interleaved rounds after {WARMUP} warm-up calls"
    )
    print(f"{os.cpu_count()} CPU cores visible; keras {keras.__version__}")
    print()
    header = f"{'contender':<34}{'calls':>7}{'median ms':>11}{'p10 ms':>9}"
    header += f"{'p90 ms':>9}{'vs sklstm':>11}"
    print(header)
    print("-" * len(header))
    base = median["sklstm LSTMRegressor.predict"]
    for name, ts in times.items():
        p10, p90 = np.percentile(ts, [10, 90]) * 1e3
        print(
            f"{name:<34}{len(ts):>7}{median[name] * 1e3:>11.3f}{p10:>9.3f}"
            f"{p90:>9.3f}{median[name] / base:>10.1f}x"
        )
    print()
    ratio = median["scikeras KerasRegressor.predict"] / base
    holds = "HOLDS" if ratio >= 20 else "DOES NOT HOLD"
    print(f"scikeras / sklstm latency ratio: {ratio:.1f}x  (goal >= 20x: {holds})")
    overhead = base / median["keras model.predict_on_batch"]
    print(
        f"sklstm / keras predict_on_batch: {overhead:.2f}x  "
        "(sklstm's input checks and unscaling on top of the compiled call)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
