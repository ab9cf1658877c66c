"""The spike of issue 25: one network trained by two TF_CONFIG worker processes.

benchmarks/multiworker.py launches two workers on loopback ports
(MultiWorkerMirroredStrategy, a custom step under strategy.run, each worker
streaming its own shard of series), then runs the same loop on the same
global batches in one process (here, this test's). Slow: two more processes
each load TensorFlow.
"""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "multiworker.py"


def _spike():
    spec = importlib.util.spec_from_file_location("multiworker", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # numpy only at import
    return module


@pytest.mark.slow
def test_two_workers_fit_like_one_process():
    spike = _spike()
    result = spike.run(epochs=3, timeout=1500, single_here=True)
    assert result["shards_disjoint"] and result["shards_complete"]
    final = result["loss_workers"][-1]  # training converges:
    assert final < 0.5 * result["loss_before_training"], result
    assert final < result["loss_no_change_forecast"], result
    assert result["workers_identical"]  # one network, mirrored
    assert result["max_weight_gap_vs_single"] < spike.TOLERANCE
    assert result["max_forecast_gap_vs_single"] < spike.TOLERANCE
