"""TensorFlow workarounds: set up only when needed, private APIs checked."""

import os
import subprocess
import sys
import textwrap


def _python(code, env=None):
    """Run ``code`` in a fresh interpreter; return the finished process."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def test_importing_the_modules_changes_no_process_state():
    """No env var, logger filter or thread pool size until a network is built."""
    code = """
        import logging, os, sys
        import sklstm.estimators, sklstm._network_spec, sklstm._tf_compat
        heavy = [m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")]
        assert not heavy, heavy
        import sklstm._network
        import tensorflow as tf
        assert "TF_CPP_MIN_LOG_LEVEL" not in os.environ
        assert logging.getLogger("tensorflow").filters == []
        assert tf.config.threading.get_intra_op_parallelism_threads() == 0
        sklstm._tf_compat.configure_runtime()
        sklstm._tf_compat.configure_runtime()  # idempotent
        assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "2"
        assert len(logging.getLogger("tensorflow").filters) == 1
        assert tf.config.threading.get_intra_op_parallelism_threads() == 1
        print("OK")
    """
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    result = _python(code, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "OK"
