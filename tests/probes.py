"""Probe estimators the tests put at the end of pipelines, and a fresh-process
predictor for pickling tests."""

import pickle
import subprocess
import sys
import textwrap

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression


class NaNRefusingRegressor(RegressorMixin, BaseEstimator):
    """Linear regression on windows that fits on complete rows only and refuses
    to PREDICT a row holding NaN (a window without its history), naming it.

    Takes 2D rows or 3D windows (flattened per row).
    """

    def fit(self, X, y):
        X = np.asarray(X, dtype=float).reshape(len(X), -1)
        y = np.asarray(y, dtype=float)
        complete = ~np.isnan(X).any(axis=1)
        self.model_ = LinearRegression().fit(X[complete], y[complete])
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float).reshape(len(X), -1)
        rows = np.flatnonzero(np.isnan(X).any(axis=1))
        if rows.size:
            raise ValueError(f"NaN in predict rows {rows.tolist()}")
        return self.model_.predict(X)


def predict_in_fresh_process(model, X, folder, method="predict"):
    """``model.<method>(X)`` computed in a new interpreter from a pickle.

    The new process imports nothing of sklstm before unpickling, as a joblib
    or Dask worker (or a later session) would; it also checks that unpickling
    brought in ``sklstm._network``, which registers sklstm's Keras layers.
    """
    np.save(folder / "X.npy", X)
    (folder / "model.pkl").write_bytes(pickle.dumps(model))
    script = textwrap.dedent(
        f"""
        import pickle, sys
        import numpy as np
        folder = sys.argv[1]
        model = pickle.loads(open(folder + "/model.pkl", "rb").read())
        assert "sklstm._network" in sys.modules
        out = model.{method}(np.load(folder + "/X.npy"))
        np.save(folder + "/out.npy", out)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return np.load(folder / "out.npy")
