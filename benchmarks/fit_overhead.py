"""Fit time of sklstm's LSTMRegressor vs the same network written in raw Keras.

Both sides build Input(shape=(None, 1)) -> LSTM(32) -> Dense(1), compile it
with Adam(learning_rate) and mean squared error, standardize y and train for
the same epochs, batch size and shuffling on the same windows, seeded alike.
Build and compile are inside both timings. The two are timed alternately
(sklstm first on even repeats, raw first on odd ones) after one warm-up fit
each, and the medians are compared. One fit of each is then profiled to show
where the time goes.

Goal: sklstm / raw Keras <= 1.05.
Figures are printed, never asserted.

Run: python benchmarks/fit_overhead.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import cProfile
import pstats
import statistics
import sys
import time

import numpy as np

SEED = 0
N_WINDOWS = 1000
LOOK_BACK = 12
UNITS = 32
EPOCHS = 20
BATCH_SIZE = 32
LEARNING_RATE = 0.005
REPEATS = 6
GOAL = 1.05


def make_windows(n=N_WINDOWS, look_back=LOOK_BACK, seed=SEED):
    """Windows of a noisy sine wave and the value after each window."""
    rng = np.random.default_rng(seed)
    t = np.arange(n + look_back)
    series = np.sin(2 * np.pi * t / 25) + 0.1 * rng.normal(size=t.size)
    idx = np.arange(look_back)[None, :] + np.arange(n)[:, None]
    X = series[idx][:, :, None].astype(np.float32)
    y = series[look_back : look_back + n].astype(np.float64)
    return X, y


def build_raw(n_features):
    """The network sklstm builds, written directly in Keras."""
    import keras

    inputs = keras.Input(shape=(None, n_features))
    x = keras.layers.LSTM(UNITS)(inputs)
    outputs = keras.layers.Dense(1, activation="linear")(x)
    return keras.Model(inputs, outputs)


def compile_raw(model):
    import keras

    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    return model


def fit_raw(X, y):
    """What a user writes without sklstm: standardize y, build, compile, fit."""
    import keras

    keras.utils.set_random_seed(SEED)
    y_std = ((y - y.mean()) / y.std()).astype(np.float32).reshape(-1, 1)
    model = compile_raw(build_raw(X.shape[2]))
    model.fit(
        X,
        y_std,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        shuffle=True,
        verbose=0,
    )
    return model


def fit_sklstm(X, y):
    from sklstm import LSTMRegressor

    return LSTMRegressor(
        units=UNITS,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        optimizer="adam",
        shuffle=True,
        random_state=SEED,
    ).fit(X, y)


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _cum(stats, path_part, func):
    """Cumulative seconds of the profiled function(s) matching path and name."""
    return sum(
        ct
        for (filename, _, name), (_, _, _, ct, _) in stats.stats.items()
        if name == func and path_part in filename.replace(os.sep, "/")
    )


def profile(fn, *args):
    prof = cProfile.Profile()
    prof.enable()
    fn(*args)
    prof.disable()
    return pstats.Stats(prof)


def phases(stats, total, build, compile_):
    keras_fit = _cum(stats, "keras/src/backend/tensorflow/trainer.py", "fit")
    return {
        "build network": build,
        "compile": compile_,
        "keras Model.fit": keras_fit,
        "everything else": total - build - compile_ - keras_fit,
        "total (under cProfile)": total,
    }


def main():
    import keras

    import sklstm

    X, y = make_windows()
    fit_sklstm(X, y)  # warm-up: TensorFlow start-up costs hit neither side
    fit_raw(X, y)

    times = {"sklstm": [], "raw": []}
    for i in range(REPEATS):
        order = ("sklstm", "raw") if i % 2 == 0 else ("raw", "sklstm")
        for side in order:
            fn = fit_sklstm if side == "sklstm" else fit_raw
            times[side].append(timed(fn, X, y))

    med_s = statistics.median(times["sklstm"])
    med_r = statistics.median(times["raw"])
    paired = statistics.median(
        s / r for s, r in zip(times["sklstm"], times["raw"], strict=True)
    )
    ratio = med_s / med_r

    print(
        f"Fit LSTM({UNITS}) -> Dense(1): {N_WINDOWS} windows of ({LOOK_BACK}, 1), "
        f"{EPOCHS} epochs, batch {BATCH_SIZE}, Adam({LEARNING_RATE}), mse, shuffle; "
        "build+compile included"
    )
    print(
        f"{REPEATS} repeats alternating order after one warm-up fit each; "
        f"{os.cpu_count()} CPU cores visible; keras {keras.__version__}, "
        f"sklstm {sklstm.__version__}"
    )
    print()
    header = f"{'contender':<30}{'median s':>10}{'min s':>9}{'max s':>9}"
    print(header)
    print("-" * len(header))
    for name, side in (("sklstm LSTMRegressor.fit", "sklstm"), ("raw Keras", "raw")):
        ts = times[side]
        print(f"{name:<30}{statistics.median(ts):>10.3f}{min(ts):>9.3f}{max(ts):>9.3f}")
    print()
    holds = "HOLDS" if ratio <= GOAL else "DOES NOT HOLD"
    print(
        f"sklstm / raw Keras fit time: {ratio:.3f} (ratio of medians; median of "
        f"paired ratios {paired:.3f})  goal <= {GOAL}: {holds}"
    )

    # Where the time goes: one profiled fit of each side.
    s_stats = profile(fit_sklstm, X, y)
    r_stats = profile(fit_raw, X, y)
    s_phases = phases(
        s_stats,
        _cum(s_stats, "sklstm/estimators.py", "fit"),
        _cum(s_stats, "sklstm/_network.py", "build_network"),
        _cum(s_stats, "sklstm/_network.py", "compile_network"),
    )
    r_phases = phases(
        r_stats,
        _cum(r_stats, "fit_overhead.py", "fit_raw"),
        _cum(r_stats, "fit_overhead.py", "build_raw"),
        _cum(r_stats, "fit_overhead.py", "compile_raw"),
    )
    print()
    print("One profiled fit of each (seconds; cProfile inflates Python-heavy parts)")
    header = f"{'phase':<26}{'sklstm':>9}{'raw':>9}{'extra':>9}"
    print(header)
    print("-" * len(header))
    for phase in s_phases:
        s, r = s_phases[phase], r_phases[phase]
        print(f"{phase:<26}{s:>9.3f}{r:>9.3f}{s - r:>+9.3f}")

    if ratio > GOAL:
        keras_fit = s_phases["keras Model.fit"]
        print()
        print("Top sklstm/sklearn-side costs outside keras Model.fit (cumulative s):")
        rows = []
        for (filename, line, name), (_, nc, _, ct, _) in s_stats.stats.items():
            path = filename.replace(os.sep, "/")
            if ("/sklstm/" in path or "/sklearn/" in path) and ct < keras_fit:
                rows.append(
                    (ct, nc, f"{path.split('/site-packages/')[-1]}:{line}({name})")
                )
        for ct, nc, where in sorted(rows, reverse=True)[:10]:
            print(f"  {ct:8.3f}  {nc:6d} calls  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
