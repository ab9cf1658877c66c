"""Memory and speed of a global fit on large panels: fit_panel vs the ordinary fit.

Synthetic seeded panels of monthly series, 240 months each (seasonal x trend
x noise), fitted with the global recipe (``make_global_forecaster``,
look_back 36, horizon 18, batch 128, the recipe's LSTM(64)):

- **memory**: each measurement runs in a fresh process; its baseline is the
  resident memory after TensorFlow is imported and the panel is built, and
  the figure is the peak resident memory (``VmHWM``, reset at the baseline)
  above it, for ``fit_panel`` and for the ordinary
  ``model.fit(*make_supervised(panel, 18))`` at the sizes where it fits.
  Both train 1,000 batches (a callback stops the epoch there; the windows
  are all built before the first batch, so the ordinary path's peak is
  reached either way). Goal: fit_panel <= 2x the panel's float32 values
  + 500 MiB.
- **speed** (10k series): windows per second of ``LSTMRegressor.fit_stream``
  over 1,000 batches gathered from the panel, beside the same network's raw
  Keras ``fit`` on the same 1,000 batches of windows held in memory
  (alternating, median of 3). Goal: >= 0.9x.
- **100k series**: the rate over those 1,000 batches gives a full epoch's
  time, printed as extrapolated.

The whole run takes ~10-15 minutes on 2 cores. The load of the machine
(other processes) is printed with the results, since it moves the speeds.

``--paths parquet`` measures ``fit_panel`` reading the panel from 100
parquet files (written, and the in-memory panel dropped, before the
baseline).

Run: python benchmarks/global_scale.py [--sizes 1000 10000 100000]
[--paths large ordinary parquet] [--skip-speed] [--json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

MONTHS, HORIZON, LOOK_BACK, BATCH = 240, 18, 36, 128
N_BATCHES = int(os.environ.get("GLOBAL_SCALE_BATCHES", 1000))
RECIPE = {"look_back": LOOK_BACK, "epochs": 1, "batch_size": BATCH}
MIB = 2**20


def synthetic_panel(n_series, seed=0):
    """``n_series`` monthly series of 240 months: seasonal x trend x noise."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    t = np.arange(MONTHS)
    level = np.exp(rng.normal(5, 1.5, n_series))[:, None]
    trend = 1 + rng.normal(0.002, 0.003, n_series)[:, None] * t
    phase = rng.uniform(0, 2 * np.pi, n_series)[:, None]
    amplitude = rng.uniform(0, 0.4, n_series)[:, None]
    season = 1 + amplitude * np.sin(2 * np.pi * t / 12 + phase)
    noise = np.exp(rng.normal(0, 0.05, (n_series, MONTHS)))
    values = (level * np.maximum(trend, 0.2) * season * noise).ravel()
    index = pd.MultiIndex.from_arrays(
        [
            np.repeat(np.arange(n_series), MONTHS),
            np.tile(pd.period_range("2000-01", periods=MONTHS, freq="M"), n_series),
        ],
        names=["series", "month"],
    )
    return pd.Series(values, index=index, name="value")


def _status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def _reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current resident size


def _stopper(n_batches, times):
    import keras

    class StopAfter(keras.callbacks.Callback):
        """Stop the epoch after ``n_batches`` batches; time all but the first.

        The first batch traces the training step: it is left out of the rate.
        """

        def on_train_batch_end(self, batch, logs=None):
            if batch == 0:
                times["start"] = time.perf_counter()
            if batch + 1 >= n_batches:
                times["end"] = time.perf_counter()
                self.model.stop_training = True

    return StopAfter()


def child_memory(n_series, path):
    """One fresh process: peak memory above the baseline of one fit."""
    import keras  # noqa: F401  (TensorFlow imported before the baseline)

    from sklstm import fit_panel, make_global_forecaster, make_supervised

    panel = synthetic_panel(n_series)
    if path == "parquet":  # the panel lives in 100 files; none in memory
        import gc
        import tempfile

        folder = tempfile.mkdtemp(prefix="global_scale_")
        long = panel.reset_index()
        del panel
        long["month"] = long["month"].dt.to_timestamp()
        for k, rows in enumerate(np.array_split(np.arange(n_series), 100)):
            part = long.iloc[rows[0] * MONTHS : (rows[-1] + 1) * MONTHS]
            part.to_parquet(f"{folder}/part-{k:03d}.parquet")
        del long, part
        gc.collect()
        panel = folder
    baseline = _status("VmRSS")
    _reset_peak()
    times = {}
    model = make_global_forecaster(
        **RECIPE, random_state=0, callbacks=[_stopper(N_BATCHES, times)]
    )
    start = time.perf_counter()
    if path == "large":
        fit_panel(model, panel, horizon=HORIZON)
    elif path == "parquet":
        columns = {"series": "series", "time": "month", "value": "value"}
        fit_panel(model, panel, horizon=HORIZON, **columns)
    else:
        X, y = make_supervised(panel, horizon=HORIZON)
        model.fit(X, y)
    total = time.perf_counter() - start
    peak = _status("VmHWM")
    n_windows = n_series * (MONTHS - HORIZON)
    batches_s = times["end"] - times["start"]
    rate = (N_BATCHES - 1) * BATCH / batches_s
    return {
        "series": n_series,
        "path": path,
        "values_f32_mib": n_series * MONTHS * 4 / MIB,
        "windows_f32_mib": n_windows * LOOK_BACK * 4 / MIB,
        "baseline_mib": baseline / MIB,
        "peak_above_baseline_mib": (peak - baseline) / MIB,
        "fit_s": total,
        "batches_s": batches_s,
        "windows_per_s": rate,
        "epoch_s_extrapolated": n_windows / rate,
    }


def child_speed(n_series, repeats):
    """fit_stream vs raw Keras fit on the same 1,000 batches, alternating."""
    import keras

    from sklstm import LSTMRegressor, fit_panel, make_global_forecaster

    panel = synthetic_panel(n_series)
    captured = {}
    original = LSTMRegressor.fit_stream

    def capture(self, windows):  # the recipe's prepared windows, then 1 batch
        captured["windows"] = windows
        return original(self, windows)

    model = make_global_forecaster(
        **RECIPE, random_state=0, callbacks=[_stopper(1, {})]
    )
    LSTMRegressor.fit_stream = capture
    try:
        fit_panel(model, panel, horizon=HORIZON)
    finally:
        LSTMRegressor.fit_stream = original
    lstm = model.regressor_.regressor_[-1]
    windows = captured["windows"]
    rows = np.sort(
        np.random.default_rng(1).choice(windows.n_samples, N_BATCHES * BATCH, False)
    )
    rows = np.random.default_rng(2).permutation(rows)

    class Picked:
        """The 1,000 batches, gathered from the panel's values per batch."""

        n_samples = len(rows)
        time_steps, n_features = windows.time_steps, windows.n_features
        n_outputs, y_ndim, has_missing = windows.n_outputs, 2, True

        def target_moments(self):
            return windows.target_moments()

        def gather(self, picked):
            return windows.gather(rows[picked])

    X, y = windows.gather(rows)
    mean, std = windows.target_moments()
    y_net = ((y - mean) / std).astype(np.float32)

    def stream():
        reg = LSTMRegressor(**{**lstm.get_params(), "shuffle": False})
        reg.set_params(callbacks=None, epochs=1)
        start = time.perf_counter()
        reg.fit_stream(Picked())
        return time.perf_counter() - start

    def raw():
        start = time.perf_counter()
        net = keras.models.clone_model(lstm.model_)
        net.compile(optimizer=keras.optimizers.Adam(lstm.learning_rate), loss=lstm.loss)
        net.fit(X, y_net, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        return time.perf_counter() - start

    stream_s, raw_s = [], []
    for _ in range(repeats):
        stream_s.append(stream())
        raw_s.append(raw())
    n = N_BATCHES * BATCH
    return {
        "series": n_series,
        "stream_s": stream_s,
        "raw_keras_s": raw_s,
        "stream_windows_per_s": n / statistics.median(stream_s),
        "raw_keras_windows_per_s": n / statistics.median(raw_s),
        "ratio": statistics.median(raw_s) / statistics.median(stream_s),
    }


def machine_load():
    """What else ran: load average and the busiest other processes."""
    load = os.getloadavg()
    ps = subprocess.run(
        ["ps", "-eo", "pid,pcpu,rss,args", "--sort=-pcpu"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()[1:]
    ps = [line for line in ps if " ps -eo " not in line][:5]
    return {"loadavg": load, "top": [line[:110] for line in ps]}


def _run_child(*args, timeout=600):
    result = subprocess.run(
        [sys.executable, __file__, "--child", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-3:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--ordinary-up-to", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--speed-series", type=int, default=10000)
    parser.add_argument(
        "--paths",
        nargs="+",
        default=["large", "ordinary"],
        help="large (fit_panel on an in-memory panel), parquet (fit_panel on "
        "100 parquet files), ordinary (fit)",
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "speed":
            out = child_speed(int(rest[0]), int(rest[1]))
        else:
            out = child_memory(int(rest[0]), rest[1])
        print(json.dumps(out))
        return 0
    started = time.time()
    loads = [machine_load()]
    memory = []
    for size in args.sizes:
        for path in args.paths:
            if path == "ordinary" and size > args.ordinary_up_to:
                continue
            memory.append(_run_child("memory", size, path, timeout=900))
            print(json.dumps(memory[-1]), file=sys.stderr, flush=True)
            loads.append(machine_load())
    speed = {"error": ["skipped"]}
    if not args.skip_speed:
        speed = _run_child("speed", args.speed_series, args.repeats, timeout=900)
    loads.append(machine_load())
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "minutes": (time.time() - started) / 60,
        "cpus": os.cpu_count(),
        "memory": memory,
        "speed": speed,
        "load": loads,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"global_scale, {result['date']}, {result['cpus']} CPUs")
    print(
        "| series | path | float32 values MiB | float32 windows MiB | peak above "
        "baseline MiB | goal (2x values + 500) | windows/s | epoch s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in memory:
        if "error" in row:
            print(f"| error | {row['error']} |")
            continue
        goal = 2 * row["values_f32_mib"] + 500
        epoch = f"{row['epoch_s_extrapolated']:.0f}"
        if row["series"] >= 100000:
            epoch += " (extrapolated)"
        print(
            f"| {row['series']} | {row['path']} | {row['values_f32_mib']:.0f} | "
            f"{row['windows_f32_mib']:.0f} | {row['peak_above_baseline_mib']:.0f} | "
            f"{goal:.0f} | {row['windows_per_s']:.0f} | {epoch} |"
        )
    if "error" in speed:
        print(f"speed: error {speed['error']}")
    else:
        print(
            f"Speed at {speed['series']} series, {N_BATCHES} batches of {BATCH}, "
            f"median of {args.repeats}: fit_stream {speed['stream_windows_per_s']:.0f} "
            f"windows/s, raw Keras fit on in-memory windows "
            f"{speed['raw_keras_windows_per_s']:.0f} windows/s: ratio "
            f"{speed['ratio']:.2f} (goal >= 0.9)"
        )
    print(f"Run took {result['minutes']:.1f} min. Machine load during the run:")
    for entry in loads:
        print(f"  loadavg {entry['loadavg']}; top: {entry['top'][:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
