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
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    ).stdout
    assert out.strip()
