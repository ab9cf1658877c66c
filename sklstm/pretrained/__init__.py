"""Global LSTMs pretrained on public series, shipped in the package.

:func:`load_pretrained` returns a fitted forecaster for monthly, quarterly or
yearly (and other non-seasonal) series that forecasts a series it never saw
without training on it (zero-shot); :class:`PretrainedForecaster` is the
same model as an estimator whose ``fit`` loads the weights and, with
``fine_tune_epochs``, trains them further on the series given. The weights
and the configuration that rebuilds the networks live in
``sklstm/pretrained/weights/<frequency>/``; ``benchmarks/pretrain.py``
made them, and ``benchmarks/zero_shot.py`` measures them.
"""

from sklstm.pretrained._forecaster import PretrainedForecaster, load_pretrained

__all__ = ["PretrainedForecaster", "load_pretrained"]
