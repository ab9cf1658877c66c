"""``import sklstm`` and its transformers never import TensorFlow or Keras."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys

    import numpy as np
    import pandas as pd

    import sklstm
    from sklstm import Differencer, LagWindower, To3D, make_supervised, to_3d
    from sklstm.datasets import load_airline, make_memory_sequences

    y = load_airline()
    X, target = make_supervised(y)
    windows = LagWindower(3).set_output(transform="pandas").fit_transform(X)
    assert windows.shape == (143, 3), windows.shape
    assert To3D().fit_transform(windows).shape == (143, 3, 1)
    assert Differencer(log=True).fit_transform(X).shape == (143, 1)
    assert to_3d([np.arange(3), np.arange(5)]).shape == (2, 5, 1)
    make_memory_sequences()
    dir(sklstm)

    heavy = sorted(
        name for name in sys.modules
        if name.split(".")[0] in ("tensorflow", "keras")
    )
    print("HEAVY:" + ",".join(heavy))
    """
)


def test_import_does_not_load_tensorflow_or_keras():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY:" in result.stdout
    heavy = result.stdout.split("HEAVY:", 1)[1].strip()
    assert heavy == "", f"imported: {heavy}"


def test_omp_num_threads_sizes_tensorflow_thread_pools():
    """joblib workers set OMP_NUM_THREADS; sklstm applies it to TensorFlow."""
    code = textwrap.dedent(
        """
        import numpy as np
        import tensorflow as tf
        from sklstm import LSTMRegressor
        X = np.zeros((8, 3, 1), np.float32)
        LSTMRegressor(units=2, epochs=1).fit(X, np.arange(8.0))
        print(tf.config.threading.get_intra_op_parallelism_threads(),
              tf.config.threading.get_inter_op_parallelism_threads())
        """
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    ).stdout
    assert out.split()[-2:] == ["1", "1"]
