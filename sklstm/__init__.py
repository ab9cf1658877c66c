"""sklstm: LSTM networks as ordinary scikit-learn citizens.

Every public name is imported on first access: ``import sklstm`` loads
nothing heavy, the transformers load scikit-learn and pandas, and only the
estimators load Keras (and so TensorFlow), on their first fit or predict.
"""

import importlib

from sklstm._version import __version__

# public name -> module that defines it, imported on first access
_LAZY = {
    "Differencer": "sklstm.preprocessing",
    "LagWindower": "sklstm.preprocessing",
    "To3D": "sklstm.preprocessing",
    "make_supervised": "sklstm.preprocessing",
    "to_3d": "sklstm.preprocessing",
    "LSTMRegressor": "sklstm.estimators",
    "LSTMClassifier": "sklstm.estimators",
    "RelativeTargetRegressor": "sklstm.target",
    "RelativeWindower": "sklstm.preprocessing",
    "SeasonPosition": "sklstm.seasonal",
    "DeseasonalizedRegressor": "sklstm.seasonal",
    "EnsembleRegressor": "sklstm.ensemble",
    "make_global_forecaster": "sklstm.forecasting",
    "fit_panel": "sklstm.large_panel",
    "make_forecaster": "sklstm.forecasting",
    "forecast": "sklstm.forecasting",
    "ConformalForecaster": "sklstm.intervals",
    "backtest": "sklstm.backtesting",
    "BacktestResult": "sklstm.backtesting",
    "PersistenceRegressor": "sklstm.baselines",
    "SeasonalNaiveRegressor": "sklstm.baselines",
    "DriftRegressor": "sklstm.baselines",
    "to_panel": "sklstm.panel",
    "PanelTimeSeriesSplit": "sklstm.model_selection",
    "temporal_train_test_split": "sklstm.model_selection",
    "smape": "sklstm.metrics",
    "mase": "sklstm.metrics",
    "make_mase_scorer": "sklstm.metrics",
    "neg_smape": "sklstm.metrics",
    "rows_needed": "sklstm.forecasting",
    "PretrainedForecaster": "sklstm.pretrained",
    "load_pretrained": "sklstm.pretrained",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sklstm' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(__all__)
