"""``import sklstm`` and its transformers never import TensorFlow or Keras."""

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
