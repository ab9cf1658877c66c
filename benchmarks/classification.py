"""Sequence classification on UCR GunPoint: LSTMClassifier vs classic baselines.

GunPoint (UCR archive; 50 training and 150 test series of 150 steps, two
classes) is read from the ``.ts`` files that the sktime wheel carries (it is
not shipped with sklstm and nothing is downloaded). Each series is
z-normalised, as is standard for UCR data. On the official train/test split,
over ten seeds (``--seeds N`` to change; single runs vary a lot), the script
prints the test accuracy of

- ``LSTMClassifier(early_stopping=True)`` (sklstm's defaults otherwise), fed
  ``(n, 150, 1)``, and ``LSTMClassifier()`` without early stopping;
- ``RidgeClassifierCV`` and 1-nearest-neighbour (Euclidean) on the flattened
  series (these are deterministic; one fit each).

Goal: the LSTM with its defaults does not lose to these
baselines. Figures are printed, never asserted.

Run: python benchmarks/classification.py
(needs sktime for the data only: pip install sktime)

Other LSTMClassifier settings can be measured beside the defaults in the same
run, one row per ``--params`` (comma-separated key=value on top of the
defaults; early_stopping is then off unless given), e.g.
python benchmarks/classification.py --params early_stopping=True,validation_fraction=0.2
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse
import ast
import importlib.util
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import RidgeClassifierCV
from sklearn.metrics import accuracy_score
from sklearn.neighbors import KNeighborsClassifier

# name -> LSTMClassifier parameters (on top of the defaults); the first is the goal's
CONFIGS = {
    "early_stopping=True": {"early_stopping": True},
    "": {},
}


def parse_params(text):
    """``"a=1,b=x"`` -> ``{"a": 1, "b": "x"}`` (Python literals, else strings)."""
    params = {}
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        try:
            params[key.strip()] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            params[key.strip()] = value.strip()
    return params


def find_gunpoint():
    """Directory holding GunPoint_TRAIN.ts / GunPoint_TEST.ts inside sktime."""
    spec = importlib.util.find_spec("sktime")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for path in Path(root).rglob("GunPoint_TRAIN.ts"):
            if (path.parent / "GunPoint_TEST.ts").exists():
                return path.parent
    return None


def read_ts(path):
    """Read an equal-length univariate UCR ``.ts`` file -> (X 2D float, y str)."""
    rows, labels, in_data = [], [], False
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            if line.lower().startswith("@data"):
                in_data = True
            continue
        values, label = line.rsplit(":", 1)
        if ":" in values:
            raise ValueError(f"{path}: only univariate series are supported")
        rows.append([float(v) for v in values.split(",")])
        labels.append(label.strip())
    return np.array(rows), np.array(labels)


def znormalise(X):
    """Each series to mean 0, standard deviation 1 (the UCR convention)."""
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    return (X - mean) / np.where(std > 0, std, 1.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--params",
        action="append",
        default=[],
        metavar="K=V,...",
        help="also measure LSTMClassifier with these parameters (repeatable)",
    )
    parser.add_argument(
        "--seeds", type=int, default=10, help="LSTM seeds 0 .. N-1 (default 10)"
    )
    args = parser.parse_args(argv)
    seeds = list(range(args.seeds))
    configs = dict(CONFIGS)
    for text in args.params:
        configs[text] = parse_params(text)

    folder = find_gunpoint()
    if folder is None:
        print(
            "GunPoint data not found: this benchmark reads the GunPoint .ts files "
            "that the sktime package carries. Install it with:\n"
            "    pip install sktime",
            file=sys.stderr,
        )
        return 2
    X_train, y_train = read_ts(folder / "GunPoint_TRAIN.ts")
    X_test, y_test = read_ts(folder / "GunPoint_TEST.ts")
    X_train, X_test = znormalise(X_train), znormalise(X_test)

    from sklstm import LSTMClassifier

    rows = []  # (name, accuracies, mean fit seconds, mean epochs)
    for name, model in (
        ("RidgeClassifierCV (flattened)", RidgeClassifierCV(np.logspace(-3, 3, 10))),
        ("1-NN Euclidean (flattened)", KNeighborsClassifier(n_neighbors=1)),
    ):
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        acc = accuracy_score(y_test, model.predict(X_test))
        rows.append((name, [acc], seconds, None))

    for name, params in configs.items():
        accs, seconds, epochs = [], [], []
        for seed in seeds:
            clf = LSTMClassifier(random_state=seed, **params)
            start = time.perf_counter()
            clf.fit(X_train[:, :, None], y_train)
            seconds.append(time.perf_counter() - start)
            epochs.append(clf.n_iter_)
            accs.append(accuracy_score(y_test, clf.predict(X_test[:, :, None])))
        rows.append(
            (
                f"LSTMClassifier({name})",
                accs,
                statistics.mean(seconds),
                statistics.mean(epochs),
            )
        )

    print(
        f"UCR GunPoint from {folder}: train {X_train.shape}, test {X_test.shape}, "
        f"classes {sorted(set(y_train.tolist()))}; series z-normalised"
    )
    print(f"Test accuracy on the official split; LSTM seeds {seeds}")
    print()
    width = max(22, 6 * len(seeds) + 2)
    header = f"{'model':<40}{'accuracy per seed':<{width}}{'mean':>7}{'min':>7}"
    header += f"{'fit s':>8}{'epochs':>8}"
    print(header)
    print("-" * len(header))
    for name, accs, seconds, epochs in rows:
        per_seed = (
            " ".join(f"{a:.3f}" for a in accs) if len(accs) > 1 else "(deterministic)"
        )
        ep = "" if epochs is None else f"{epochs:.0f}"
        print(
            f"{name:<40}{per_seed:<{width}}{statistics.mean(accs):>7.3f}"
            f"{min(accs):>7.3f}{seconds:>8.1f}{ep:>8}"
        )
    print()
    best_name, best_accs = max(rows[:2], key=lambda r: statistics.mean(r[1]))[:2]
    best_baseline = statistics.mean(best_accs)
    for name, accs, _, _ in rows[2:]:
        lstm = statistics.mean(accs)
        verdict = "not below" if lstm >= best_baseline else "BELOW"
        print(
            f"{name}: mean {lstm:.3f}, {verdict} the best baseline "
            f"({best_name}: {best_baseline:.3f})"
        )
    lstm = statistics.mean(rows[2][1])
    holds = "HOLDS" if lstm >= best_baseline else "DOES NOT HOLD"
    print(
        "Goal: LSTMClassifier defaults (+ early stopping) not below the best "
        f"baseline on mean test accuracy: {holds}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
