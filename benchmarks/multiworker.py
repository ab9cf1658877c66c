"""Spike (issue 25): one network trained across workers, MultiWorkerMirroredStrategy.

Two plain TF_CONFIG worker processes on loopback ports train one global LSTM
(windows of log changes relative to each window's last value, the global
recipe's idea, LSTM(8) -> Dense(1)) with a custom training step under
``strategy.run``: each worker generates (streams) only its own shard of the
series (series id % 2 == worker index) and feeds its local batches; the
strategy all-reduces the gradients, so every step applies the gradient of
the global batch. A single process then runs the same loop on the same
global batches (each step: worker 0's local batch, then worker 1's). Printed
and checked: the shards are disjoint and complete, the loss falls (below
its value before training and below the no-change forecast's), both
workers end with identical weights, and the workers' weights and 6-step
recursive forecasts lie within TOLERANCE of the single process's.

``--fit-repro`` runs the minimal reproduction of the failure of Keras 3's
``model.fit`` under the same strategy (keras-team/keras issue 20585) and
prints the error each worker raised.

Run: python benchmarks/multiworker.py [--epochs 5] [--json PATH] [--fit-repro]
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_SERIES, LENGTH, LOOK_BACK, LOCAL_BATCH, N_WORKERS = 64, 60, 12, 32, 2
HORIZON = 6
# Workers and the single process sum the same float32 gradients in another
# order; measured differences are ~1e-7 (weights) after 5 epochs.
TOLERANCE = 1e-5


def make_series(n_series=N_SERIES, length=LENGTH, seed=0):
    """Synthetic positive monthly series: level, trend, season, noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    level = rng.uniform(50, 500, (n_series, 1))
    trend = rng.normal(0.005, 0.004, (n_series, 1))
    season = 1 + rng.uniform(0.05, 0.2, (n_series, 1)) * np.sin(2 * np.pi * t / 12)
    noise = np.exp(rng.normal(0, 0.02, (n_series, length)))
    return level * np.exp(trend * t) * season * noise


def shard(worker, n_workers=N_WORKERS, n_series=N_SERIES):
    """The series ids one worker reads: id % n_workers == worker."""
    return np.arange(n_series)[np.arange(n_series) % n_workers == worker]


def windows(series):
    """Inputs log(y[t-k] / y[t]), k = look_back-1 .. 0, target log(y[t+1] / y[t])."""
    logs = np.log(series)
    length = logs.shape[1]
    starts = np.arange(length - LOOK_BACK)
    idx = starts[:, None] + np.arange(LOOK_BACK)
    x = logs[:, idx] - logs[:, idx[:, -1]][:, :, None]  # (n, windows, look_back)
    y = logs[:, starts + LOOK_BACK] - logs[:, idx[:, -1]]
    return (
        x.reshape(-1, LOOK_BACK, 1).astype(np.float32),
        y.reshape(-1).astype(np.float32),
    )


def local_batches(ids, epoch):
    """A worker's stream: its shard's windows, shuffled per epoch, in batches."""
    x, y = windows(make_series()[ids])
    order = np.random.default_rng([epoch, int(ids[0])]).permutation(len(y))
    n_steps = len(y) // LOCAL_BATCH
    for step in range(n_steps):
        rows = order[step * LOCAL_BATCH : (step + 1) * LOCAL_BATCH]
        yield x[rows], y[rows]


def build(keras):
    """The same initial network in every process (seeded initializers, no
    global seed: the single process may run inside a test's process)."""
    init = keras.initializers
    model = keras.Sequential(
        [
            keras.Input((LOOK_BACK, 1)),
            keras.layers.LSTM(
                8,
                kernel_initializer=init.GlorotUniform(seed=0),
                recurrent_initializer=init.Orthogonal(seed=1),
            ),
            keras.layers.Dense(1, kernel_initializer=init.GlorotUniform(seed=2)),
        ]
    )
    return model, keras.optimizers.Adam(0.01)


def recursive_forecast(model, series, horizon=HORIZON):
    """Each series' next values, feeding predictions back (log ratios)."""
    logs = list(np.log(series).T)
    for _ in range(horizon):
        window = np.stack(logs[-LOOK_BACK:], axis=1)
        x = (window - window[:, -1:])[:, :, None].astype(np.float32)
        change = np.asarray(model(x, training=False))[:, 0]
        logs.append(window[:, -1] + change)
    return np.exp(np.stack(logs[-horizon:], axis=1))


def train(strategy, worker, n_workers, epochs, out):
    """The custom loop; ``strategy`` None is the single process on all shards."""
    import keras
    import tensorflow as tf

    global_batch = LOCAL_BATCH * n_workers
    scope = strategy.scope() if strategy is not None else _nothing()
    with scope:
        model, optimizer = build(keras)

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            pred = model(x, training=True)[:, 0]
            loss = tf.nn.compute_average_loss(
                tf.square(y - pred), global_batch_size=global_batch
            )
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    @tf.function
    def step(x, y):
        if strategy is None:
            return replica_step(x, y)
        losses = strategy.run(replica_step, args=(x, y))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    ids = shard(worker, n_workers) if strategy is not None else None
    x_all, y_all = windows(make_series())
    before = float(np.mean((y_all - np.asarray(model(x_all))[:, 0]) ** 2))
    naive = float(np.mean(y_all**2))  # predicting no change
    curve = []
    for epoch in range(epochs):
        if strategy is not None:
            stream = local_batches(ids, epoch)
        else:  # the global batch: every worker's local batch, worker 0 first
            streams = [local_batches(shard(w), epoch) for w in range(N_WORKERS)]
            stream = (
                tuple(np.concatenate(parts) for parts in zip(*batches, strict=True))
                for batches in zip(*streams, strict=True)
            )
        losses = [float(step(x, y)) for x, y in stream]
        curve.append(float(np.mean(losses)))
    weights = [np.asarray(w) for w in model.get_weights()]
    np.savez(out / f"weights_{worker}.npz", *weights)
    np.save(out / f"forecast_{worker}.npy", recursive_forecast(model, make_series()))
    seen = shard(worker, n_workers).tolist() if strategy is not None else []
    (out / f"report_{worker}.json").write_text(
        json.dumps(
            {
                "worker": worker,
                "shard": seen,
                "loss": curve,
                "loss_before": before,
                "naive_mse": naive,
            }
        )
    )


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _patient_coordination():
    """Start TF's coordination service with a 5-minute heartbeat timeout.

    The strategy starts it with the default (seconds) when none runs; on a
    2-core machine loaded ~15x, a starved worker missed its heartbeats and
    both aborted ("heartbeat timeout"). Private TensorFlow API (a spike).
    """
    from tensorflow.compiler.xla.tsl.protobuf import coordination_config_pb2
    from tensorflow.python.eager import context

    context.context().configure_coordination_service(
        service_type="standalone",
        service_leader="/job:worker/replica:0/task:0",
        heartbeat_timeout_in_ms=300_000,
        coordinated_jobs=[
            coordination_config_pb2.CoordinatedJob(name="worker", num_tasks=N_WORKERS)
        ],
    )


def fit_repro(out, worker):
    """Minimal reproduction: Keras 3 model.fit under MultiWorkerMirroredStrategy."""
    import keras
    import tensorflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    x, y = windows(make_series()[shard(worker)])
    with strategy.scope():
        model = keras.Sequential(
            [keras.Input((LOOK_BACK, 1)), keras.layers.LSTM(8), keras.layers.Dense(1)]
        )
        model.compile(optimizer="adam", loss="mse")
    try:
        model.fit(x, y, batch_size=LOCAL_BATCH * N_WORKERS, epochs=1, verbose=0)
        result = {"worker": worker, "error": None}
    except Exception as exc:  # the finding is the error itself
        import traceback

        message = str(exc)
        frames = [
            f"{Path(frame.filename).name}:{frame.name}"
            for frame in traceback.extract_tb(exc.__traceback__)
            if "keras" in frame.filename
        ]
        result = {
            "worker": worker,
            "error": f"{type(exc).__name__}: {message[:70]} ... {message[-250:]}",
            "keras_frames": frames[-4:],
        }
    (out / f"fit_{worker}.json").write_text(json.dumps(result))


def _free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _child(mode, out, epochs, worker=0, ports=None):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    if ports is not None:
        env["TF_CONFIG"] = json.dumps(
            {
                "cluster": {"worker": [f"localhost:{p}" for p in ports]},
                "task": {"type": "worker", "index": worker},
            }
        )
    command = [sys.executable, __file__, "--child", mode, "--out", str(out)]
    command += ["--epochs", str(epochs), "--worker", str(worker)]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _wait(processes, timeout):
    logs = []
    for process in processes:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            output += "\n[killed: timeout]"
        logs.append(output)
    return logs


def run(epochs=5, timeout=600, single_here=False):
    """Two workers, then the single process; returns the measured comparison.

    ``single_here`` runs the single process's loop in this process instead
    of a new one (the test does: one fewer start of TensorFlow).
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ports = _free_ports(N_WORKERS)
        start = time.perf_counter()
        workers = [_child("worker", out, epochs, w, ports) for w in range(N_WORKERS)]
        logs = _wait(workers, timeout)
        t_workers = time.perf_counter() - start
        for process, log in zip(workers, logs, strict=True):
            if process.returncode != 0:
                raise RuntimeError(f"a worker failed:\n{log[-3000:]}")
        start = time.perf_counter()
        if single_here:
            train(None, N_WORKERS, N_WORKERS, epochs, out)
        else:
            single = _child("single", out, epochs, worker=N_WORKERS)
            (log,) = _wait([single], timeout)
            if single.returncode != 0:
                raise RuntimeError(f"the single process failed:\n{log[-3000:]}")
        t_single = time.perf_counter() - start
        reports = [
            json.loads((out / f"report_{w}.json").read_text())
            for w in range(N_WORKERS + 1)
        ]
        weights = [
            list(np.load(out / f"weights_{w}.npz").values())
            for w in range(N_WORKERS + 1)
        ]
        forecasts = [np.load(out / f"forecast_{w}.npy") for w in range(N_WORKERS + 1)]

    def gap(a, b):
        return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b, strict=True))

    shards = [set(r["shard"]) for r in reports[:N_WORKERS]]
    scale = np.abs(forecasts[N_WORKERS])
    return {
        "shards_disjoint": not set.intersection(*shards),
        "shards_complete": set.union(*shards) == set(range(N_SERIES)),
        "loss_workers": reports[0]["loss"],
        "loss_single": reports[N_WORKERS]["loss"],
        "loss_before_training": reports[N_WORKERS]["loss_before"],
        "loss_no_change_forecast": reports[N_WORKERS]["naive_mse"],
        "workers_identical": gap(weights[0], weights[1]) == 0.0,
        "max_weight_gap_workers": gap(weights[0], weights[1]),
        "max_weight_gap_vs_single": gap(weights[0], weights[N_WORKERS]),
        "max_forecast_gap_vs_single": float(
            np.max(np.abs(forecasts[0] - forecasts[N_WORKERS]) / scale)
        ),
        "tolerance": TOLERANCE,
        "seconds_two_workers": t_workers,
        "seconds_single": t_single,
    }


def run_fit_repro(timeout=600):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ports = _free_ports(N_WORKERS)
        workers = [_child("fit", out, 1, w, ports) for w in range(N_WORKERS)]
        logs = _wait(workers, timeout)
        results = []
        for w, log in enumerate(logs):
            path = out / f"fit_{w}.json"
            results.append(
                json.loads(path.read_text())
                if path.exists()
                else {"worker": w, "error": f"no result; log tail: {log[-600:]}"}
            )
        return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--fit-repro", action="store_true")
    parser.add_argument("--child", choices=["worker", "single", "fit"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--worker", type=int, default=0)
    args = parser.parse_args(argv)
    if args.child == "fit":
        return fit_repro(args.out, args.worker)
    if args.child is not None:
        import tensorflow as tf

        if args.child == "worker":
            _patient_coordination()
        strategy = (
            tf.distribute.MultiWorkerMirroredStrategy()
            if args.child == "worker"
            else None
        )
        n_workers = N_WORKERS
        return train(strategy, args.worker, n_workers, args.epochs, args.out)
    from importlib.metadata import version

    print(f"TensorFlow {version('tensorflow')}, Keras {version('keras')}")
    if args.fit_repro:
        for result in run_fit_repro():
            print(f"worker {result['worker']}: model.fit -> {result['error']}")
            print(
                f"  raised in: {' < '.join(reversed(result.get('keras_frames', [])))}"
            )
        return None
    result = run(args.epochs)
    for key, value in result.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
