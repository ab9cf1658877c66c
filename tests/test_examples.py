"""The scripts in examples/ run as a user runs them, with their small settings.

``SKLSTM_EXAMPLES_SMALL=1`` is the one switch the examples read for fewer
seeds and epochs (examples/GALLERY_HEADER.rst documents it); the
documentation build runs every script with it too.
"""

import os
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
        env={**os.environ, "SKLSTM_EXAMPLES_SMALL": "1", "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    ).stdout
    assert out.strip()
    return out
