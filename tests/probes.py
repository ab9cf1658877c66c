"""What several test modules share: probe estimators for the end of pipelines,
small panels, a fresh-process prediction script for pickling tests, a
watch on TensorFlow's traced graphs, and the scripts of
examples/ as modules."""

import contextlib
import gc
import importlib.util
import pickle
import textwrap
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
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


SEASON = np.array([1.0, 0.9, 1.1, 1.3, 1.2, 1.0, 0.8, 0.7, 0.9, 1.0, 1.0, 1.1])


def seasonal_panel(lengths=(60, 48, 72), zeros=False):
    """Monthly series of different scales, lengths and ends with one season."""
    rng = np.random.default_rng(0)
    parts = []
    for i, n in enumerate(lengths):
        months = pd.period_range(end=f"2021-{6 + i:02d}", periods=n, freq="M")
        trend = 10.0 ** (i + 1) * np.exp(0.01 * np.arange(n))
        values = trend * SEASON[months.month - 1] * rng.lognormal(0, 0.02, n)
        if zeros and i == 0:
            values[5] = 0.0
        index = pd.MultiIndex.from_arrays(
            [[f"s{i}"] * n, months], names=["store", "month"]
        )
        parts.append(pd.Series(values, index=index))
    return pd.concat(parts).rename("sales")


def fresh_predict_script(model, X, folder, method="predict"):
    """A script computing ``model.<method>(X)`` from a pickle, into out.npy.

    Run in a new interpreter that imported nothing of sklstm before, as a
    joblib or Dask worker (or a later session) unpickles: the script checks
    that unpickling brought in ``sklstm._network``, which registers sklstm's
    Keras layers. ``np.load(folder / "out.npy")`` reads the result.
    """
    np.save(folder / "X.npy", X)
    (folder / "model.pkl").write_bytes(pickle.dumps(model))
    return textwrap.dedent(
        f"""
        import pickle, sys
        import numpy as np
        folder = {str(folder)!r}
        model = pickle.loads(open(folder + "/model.pkl", "rb").read())
        assert "sklstm._network" in sys.modules
        out = model.{method}(np.load(folder + "/X.npy"))
        np.save(folder + "/out.npy", out)
        """
    )


@contextlib.contextmanager
def graphs_kept():
    """TensorFlow's traced graphs created in the block and alive after it.

    Yields a list, filled when the block ends (after a garbage collection):
    a fit and predict of an estimator dropped in the block should leave
    none (a leak keeps each fit's graphs for the rest of the process).
    Cheaper than counting every live graph with ``gc.get_objects()``.
    """
    from tensorflow.python.framework.func_graph import FuncGraph

    created = weakref.WeakSet()
    init = FuncGraph.__init__

    def recording_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        created.add(self)

    kept = []
    FuncGraph.__init__ = recording_init
    try:
        yield kept
    finally:
        FuncGraph.__init__ = init
    gc.collect()
    kept.extend(created)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load_example(name):
    """The script ``examples/<name>.py`` as a module (its ``main`` not run)."""
    spec = importlib.util.spec_from_file_location(
        f"examples.{name}", EXAMPLES / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def local_cluster():
    """A Dask LocalCluster of 2 one-thread worker processes, as the tests use."""
    import distributed  # the [dask] extra, installed by [dev]

    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"OMP_NUM_THREADS": "1"},
    )
