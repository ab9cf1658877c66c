"""The scripts in examples/ run as a user runs them."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.slow
@pytest.mark.parametrize(
    "script", ["memory_demo.py", "reshape_basics.py", "many_series.py"]
)
def test_example_runs(script):
    _run(script)


def test_extending_example_runs():
    """The third-party steps of the forecasting protocol, checked in the script."""
    assert "matches predicting on the whole series" in _run("extending_sklstm.py")


def _run(script):
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    ).stdout
    assert out.strip()
    return out
