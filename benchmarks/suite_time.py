"""The README's test command timed from fresh clones, beside the machine's speed.

Each run clones the repository at a commit into a new temporary folder (with
``../shared`` linked beside it, as CI has it) and times ``python -m pytest``
there with this interpreter's environment, the clone first on ``PYTHONPATH``
(nothing is installed; cloning is not timed). Right before each run, the
machine's speed: the median time of 5 fits of a new raw Keras
``LSTM(8) -> Dense(1)`` (30 windows of 3 steps, 2 epochs) in a fresh process.
Such a fit is almost all TensorFlow tracing a training step, which was most
of the suite's time (until 2026-12-03 the probe fitted sklstm's
``LSTMRegressor``, which no longer traces at each refit); on this project's
shared 2-core machine it varied by ~35% within an hour, and the suite's time
with it. So compare runs only beside their reference fit times, and two
commits only when timed alternately in the same hour (``--compare``).

Figures are printed, never asserted. Goal (issue 26): the median of 3 runs
<= 6 minutes on 2 cores.

Run: python benchmarks/suite_time.py [--runs 3] [--commit HEAD]
     [--compare OTHER_COMMIT] [--pytest-args "-m 'not slow'"]
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Raw Keras, not sklstm: the probe must not change with the commit timed
# (since sklstm reuses traced steps, its own refits no longer trace).
SPEED_PROBE = """
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import statistics, time
import keras, numpy as np
X = np.random.default_rng(0).random((30, 3, 1)).astype("float32")

def fit():
    model = keras.Sequential(
        [keras.Input((None, 1)), keras.layers.LSTM(8), keras.layers.Dense(1)]
    )
    model.compile(keras.optimizers.Adam(0.01), "mse")
    model.fit(X, X[:, 0, 0], epochs=2, batch_size=8, verbose=0)

fit()  # TensorFlow's one-time start
times = []
for _ in range(5):
    start = time.perf_counter()
    fit()
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def _clone(commit, folder):
    """A fresh clone of this repository at ``commit``, ``../shared`` beside it."""
    clone = folder / "sklstm"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
    shared = REPO.parent / "shared"
    if shared.exists():
        (folder / "shared").symlink_to(shared)
    return clone


def _env(clone):
    paths = [str(clone), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def reference_fit_seconds(clone):
    """Median seconds of a tiny fit: the machine's speed right now."""
    out = subprocess.run(
        [sys.executable, "-c", SPEED_PROBE],
        cwd=clone,
        env=_env(clone),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out.split()[-1])


def time_test_command(commit, pytest_args):
    """(seconds, reference fit seconds, pytest's summary line) of one run."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = _clone(commit, Path(tmp))
        reference = reference_fit_seconds(clone)
        start = time.perf_counter()
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                *pytest_args,
            ],
            cwd=clone,
            env=_env(clone),
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
    lines = run.stdout.strip().splitlines()
    summary = lines[-1] if lines else run.stderr.strip()[-300:]
    if run.returncode != 0:
        failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
        summary = "\n".join([f"FAILED (exit {run.returncode}): {summary}", *failed])
    return seconds, reference, summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--compare", help="another commit, timed alternately")
    parser.add_argument("--pytest-args", default="", help="added to python -m pytest")
    args = parser.parse_args(argv)
    commits = [args.commit] + ([args.compare] if args.compare else [])
    pytest_args = shlex.split(args.pytest_args)
    seconds = {commit: [] for commit in commits}
    print(f"{'commit':>10} {'run':>4} {'seconds':>8} {'minutes':>8} {'ref fit s':>9}")
    for run in range(1, args.runs + 1):
        for commit in commits:
            elapsed, reference, summary = time_test_command(commit, pytest_args)
            seconds[commit].append(elapsed)
            print(
                f"{commit:>10} {run:>4} {elapsed:8.1f} {elapsed / 60:8.2f} "
                f"{reference:9.2f}   {summary}",
                flush=True,
            )
    for commit in commits:
        median = statistics.median(seconds[commit])
        print(f"{commit}: median {median:.1f} s = {median / 60:.2f} min (goal <= 6)")
    if args.compare:
        a, b = (statistics.median(seconds[c]) for c in commits)
        print(f"{commits[0]} / {commits[1]}: {a / b:.3f}")


if __name__ == "__main__":
    main()
