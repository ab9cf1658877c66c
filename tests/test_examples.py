"""The scripts in examples/ run as a user runs them, with their small settings.

``SKLSTM_EXAMPLES_SMALL=1`` is the one switch the examples read for fewer
seeds and epochs (examples/GALLERY_HEADER.rst documents it); the
documentation build runs every script with it too.

The training scripts run in this process as ``__main__`` (as the gallery
runs them), so they share its TensorFlow instead of each starting one; the
extending example runs as ``python examples/extending_sklstm.py``.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


# each script, a line of its last output, and whether it shows a figure
SCRIPTS = {
    "airline_passengers.py": ("6. make_forecaster()", True),
    "memory_demo.py": ("same model, sequences in the other order", False),
    "reshape_basics.py": ("fitted LSTM predicts", False),
    "many_series.py": ("averaged over series", True),
}


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs(script, monkeypatch, capsys):
    import matplotlib.pyplot as plt

    expected, plots = SCRIPTS[script]
    shown = []
    monkeypatch.setenv("SKLSTM_EXAMPLES_SMALL", "1")
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(plt.gcf()))
    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / script)])
    try:
        runpy.run_path(str(EXAMPLES / script), run_name="__main__")
        lines = [line for fig in shown for ax in fig.axes for line in ax.lines]
    finally:
        plt.close("all")
    assert expected in capsys.readouterr().out
    assert bool(lines) == plots  # observed and predicted lines drawn


def test_extending_example_runs():
    """The third-party steps of the forecasting protocol, checked in the script."""
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "extending_sklstm.py")],
        env={**os.environ, "SKLSTM_EXAMPLES_SMALL": "1", "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    ).stdout
    assert "matches predicting on the whole series" in out
