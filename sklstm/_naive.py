"""One home for the in-sample naive error that scales a series' errors.

MASE divides a forecast's errors by the mean absolute error, in sample, of
the seasonal naive forecast (each value forecast by the one a season
earlier); :class:`~sklstm.ConformalForecaster` scales its calibration errors
the same way so that series of any size pool them, and
:func:`~sklstm.backtest` scores by it. The computation lives here once; each
caller states what a series without a usable scale gets (:func:`naive_scale`'s
``fallback_lag`` and ``default``). numpy only.
"""

import numpy as np

__all__ = ["naive_scale"]


def _mean_abs_change(values, layout, lag):
    """Each series' mean of ``|y[t] - y[t - lag]|`` within the series.

    NaN where a series has no such pair; NaN values are skipped.
    """
    n_series = len(layout.starts)
    change = np.full(len(values), np.nan)
    change[lag:] = np.abs(values[lag:] - values[:-lag])
    change[layout.positions < lag] = np.nan  # the lag would reach another series
    usable = np.isfinite(change)
    codes = layout.codes[usable]
    total = np.bincount(codes, change[usable], minlength=n_series)
    count = np.bincount(codes, minlength=n_series)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count


def naive_scale(values, layout, season_length, *, fallback_lag=None, default=None):
    """Each series' in-sample mean absolute error of the seasonal naive forecast.

    Parameters
    ----------
    values : ndarray of shape (n_rows,)
        The series' values, series after series (NaN is skipped).
    layout : PanelLayout
        Where each series sits in ``values`` (:func:`sklstm.panel.series_layout`).
    season_length : int
        Lag of the naive forecast (1: the plain naive forecast).
    fallback_lag : int or None, default=None
        For a series with at most ``season_length`` values (no seasonal pair),
        the naive error of this lag instead; None leaves it undefined.
    default : float or None, default=None
        The scale of a series whose naive error is 0 (it repeats every
        ``season_length`` steps: a constant series, say) or undefined. None
        returns those as they are (0 or NaN), for the caller to refuse.

    Returns
    -------
    scale : ndarray of shape (n_series,)
        float64, one per series of ``layout``.
    """
    values = np.asarray(values, dtype=np.float64)
    scale = _mean_abs_change(values, layout, season_length)
    if fallback_lag is not None:
        short = layout.lengths <= season_length
        if short.any():
            scale[short] = _mean_abs_change(values, layout, fallback_lag)[short]
    if default is not None:
        scale = np.where(np.isfinite(scale) & (scale > 0), scale, default)
    return scale
