"""sklstm: LSTM networks as ordinary scikit-learn citizens.

The transformers are plain numpy/pandas; the estimators import Keras (and so
TensorFlow) only when first used, so ``import sklstm`` stays fast.
"""

import importlib

from sklstm._version import __version__
from sklstm.preprocessing import (
    Differencer,
    LagWindower,
    To3D,
    make_supervised,
    to_3d,
)

# public name -> module that defines it, imported on first access
_LAZY = {
    "LSTMRegressor": "sklstm.estimators",
    "LSTMClassifier": "sklstm.estimators",
    "RelativeTargetRegressor": "sklstm.target",
    "make_forecaster": "sklstm.forecasting",
    "forecast": "sklstm.forecasting",
    "PersistenceRegressor": "sklstm.baselines",
    "SeasonalNaiveRegressor": "sklstm.baselines",
}

__all__ = [
    "Differencer",
    "LagWindower",
    "To3D",
    "__version__",
    "make_supervised",
    "to_3d",
    *_LAZY,
]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sklstm' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(__all__)
