"""The cost on CPU of the masks a GPU's cuDNN kernel accepts.

sklstm pads and masks each series' first windows on the left. Keras's cuDNN
LSTM (taken whenever TensorFlow sees a GPU) accepts right-padded masks only,
so where a GPU is visible sklstm puts an ObservedStepsFirst layer before the
recurrent layers: each window's observed steps move to its start, in order.
A recurrent layer skips masked steps, so the answers are the same.

This script forces that layer on this machine's CPU (no GPU is lent to this
project: what cuDNN itself costs or saves is not measured here) and times a
fit and a predict of the global recipe's LSTM against the default CPU
network (no layer) on the global recipe's windows, alternating, and prints
the median time ratio, and the largest difference between the predictions
of one set of weights with and without the layer.

The other two options were not measured as faster: ``use_cudnn=False`` keeps
masks as they are but gives up cuDNN on a GPU, which is what sklstm uses for
layers that answer at every step (a stateful network's twin), and an
unrolled LSTM needs a fixed window length and trades memory for speed.

Run: python benchmarks/gpu_masks.py [--series 150] [--repeats 3]
"""

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline

from sklstm import LSTMRegressor, RelativeWindower, To3D, _network, make_supervised
from sklstm._network_spec import OutputSpec


def make_panel(n_series, seed=0):
    """Monthly series of 24 to 120 months, so many windows are left-padded."""
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(n_series):
        n = int(rng.integers(24, 121))
        months = pd.period_range(end="2024-12", periods=n, freq="M")
        season = 1 + 0.2 * np.sin(2 * np.pi * months.month.to_numpy() / 12)
        level = rng.uniform(50, 500) * np.exp(np.cumsum(rng.normal(0.004, 0.03, n)))
        index = pd.MultiIndex.from_arrays([[i] * n, months], names=["series", "month"])
        parts.append(pd.Series(level * season, index=index))
    return pd.concat(parts).rename("y")


def windows(panel):
    """The global recipe's windows (look_back 36, left-padded at series starts)."""
    X, y = make_supervised(panel)
    steps = make_pipeline(RelativeWindower(36), To3D(time_steps=36))
    X3 = steps.fit_transform(X.set_axis(["y"], axis=1))
    target = np.log(y.to_numpy() / X.iloc[:, 0].to_numpy())
    return X3.astype(np.float32), target


def fit(X, y, gpu_layout):
    _network.gpu_visible = lambda: gpu_layout
    model = LSTMRegressor(
        units=64, epochs=2, batch_size=128, loss="mae", random_state=0
    )
    start = time.perf_counter()
    model.fit(X, y)
    predicted = model.predict(X)
    return time.perf_counter() - start, model, predicted


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    X, y = windows(make_panel(args.series))
    padded = np.isnan(X[:, 0, 0]).mean()
    visible = _network.gpu_visible
    print(f"TensorFlow sees a GPU: {visible()}")
    print(
        f"{args.series} series, {len(X)} windows of 36 steps ({padded:.0%} "
        "left-padded); LSTM(64) fit for 2 epochs + predict, median of "
        f"{args.repeats} alternating runs"
    )
    fit(X, y, False)  # warm-up: traces and kernels
    plain, right = [], []
    for _ in range(args.repeats):
        seconds, model, base = fit(X, y, False)
        plain.append(seconds)
        seconds, _, trained = fit(X, y, True)
        right.append(seconds)
    print(f"  masks as they are (CPU default): {np.median(plain):.2f} s")
    print(f"  observed steps first (GPU layout): {np.median(right):.2f} s")
    print(f"  time ratio: {np.median(np.array(right) / np.array(plain)):.3f}")
    # the same weights, predicted with the steps moved: exact up to rounding
    _network.gpu_visible = lambda: True
    moved = _network.build_network(
        model._spec, n_features=1, output=OutputSpec(1, "linear")
    )
    moved.set_weights(model.model_.get_weights())
    same = np.ravel(moved.predict(X, verbose=0))
    _network.gpu_visible = visible
    raw = np.ravel(model.model_.predict(X, verbose=0))  # the network's own output
    print(
        "  same weights, steps moved: largest difference "
        f"{np.max(np.abs(same - raw)):.2e} (mean |output| {np.mean(np.abs(raw)):.3f})"
    )
    print(
        "  trained with the steps moved: largest difference "
        f"{np.max(np.abs(trained - base)):.2e} (rounding, carried through training)"
    )


if __name__ == "__main__":
    main()
