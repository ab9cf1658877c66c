"""plot_forecast: history, test predictions and forecast on one time axis.

Needs matplotlib (``pip install "sklstm[plot]"``); it is imported only here.
"""

import pandas as pd

__all__ = ["plot_forecast", "plot_panel_forecast"]


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plot_forecast needs matplotlib, which is not installed. Install it "
            'with: pip install "sklstm[plot]"'
        ) from exc
    return plt


def _shade_intervals(ax, future):
    """Shade each interval of a forecast DataFrame, wider levels lighter."""
    pairs = sorted(
        (column[len("lower") :], column)
        for column in future.columns
        if column.startswith("lower")
    )
    levels = future.attrs.get("interval", ())
    for rank, (suffix, lower) in enumerate(reversed(pairs)):
        level = suffix.lstrip("_")
        if not level and len(levels) == 1:
            level = f"{levels[0] * 100:g}"
        ax.fill_between(
            _x(future.index),
            future[lower].to_numpy(),
            future["upper" + suffix].to_numpy(),
            color="tab:blue",
            alpha=0.15 + 0.15 * rank,
            linewidth=0,
            label=f"{level}% interval" if level else "interval",
        )


def _x(index):
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def plot_forecast(history, predictions=None, future=None, *, title=None, path=None):
    """Plot a series with predictions and a forecast, aligned by their index.

    Every line is drawn against its own pandas index, so nothing is shifted
    by hand: a prediction made from row t for t+1 must already carry the
    label of t+1 (shift ``y``'s index by one step, as the demo does).

    Parameters
    ----------
    history : pandas.Series
        The observed series.
    predictions : pandas.Series or dict of str to Series, default=None
        One-step predictions (e.g. on the test months), labelled by the time
        they predict; a dict draws one line per entry.
    future : pandas.Series or DataFrame, default=None
        Forecast past the end of ``history`` (from :func:`sklstm.forecast`).
        A DataFrame from ``forecast(..., interval=...)`` has its intervals
        shaded (``lower``/``upper``, or ``lower_80``/``upper_80`` ... for
        several levels, the wider ones lighter).
    title : str, default=None
        Figure title.
    path : str or path-like, default=None
        Save the figure there as PNG (the figure is then closed).

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> from sklstm.datasets import load_airline
    >>> from sklstm.plotting import plot_forecast
    >>> fig = plot_forecast(load_airline(), title="Airline passengers")
    >>> fig.axes[0].get_title()
    'Airline passengers'
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 4.5))
    ax.plot(_x(history.index), history.to_numpy(), color="0.3", label="observed")
    if isinstance(predictions, pd.Series):
        predictions = {"predicted": predictions}
    for label, series in (predictions or {}).items():
        ax.plot(_x(series.index), series.to_numpy(), label=label)
    if isinstance(future, pd.DataFrame):
        _shade_intervals(ax, future)
        future = future["forecast"]
    if future is not None:
        # joined to the last observation, so the forecast visibly continues it
        joined = pd.concat([history.iloc[-1:].astype(float), future.astype(float)])
        ax.plot(_x(joined.index), joined.to_numpy(), "--", label="forecast")
    if history.name is not None:
        ax.set_ylabel(str(history.name))
    if title:
        ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
        plt.close(fig)
    return fig


def plot_panel_forecast(
    history, future, *, actual=None, series=None, tail=None, title=None, path=None
):
    """Plot a few series of a panel with their forecasts, one panel each.

    Parameters
    ----------
    history : pandas.Series
        A panel indexed by ``(series, time)``: the observed values.
    future : pandas.Series or DataFrame
        The forecast of the same series (from :func:`sklstm.forecast`); a
        forecast with intervals (a DataFrame) has them shaded.
    actual : pandas.Series or None, default=None
        What happened over the forecast's times (held-out test values).
    series : list or None, default=None
        The series ids to draw; None draws the first four of ``future``.
    tail : int or None, default=None
        Draw only the last ``tail`` observed values of each series.
    title : str, default=None
        Figure title.
    path : str or path-like, default=None
        Save the figure there as PNG (the figure is then closed).

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure, one axis per series.

    Examples
    --------
    >>> from sklstm import PersistenceRegressor, forecast, make_supervised
    >>> from sklstm.datasets import load_us_macro
    >>> from sklstm.plotting import plot_panel_forecast
    >>> panel = load_us_macro()
    >>> model = PersistenceRegressor().fit(*make_supervised(panel))
    >>> fig = plot_panel_forecast(panel, forecast(model, panel, steps=4), tail=20)
    >>> len(fig.axes)
    4
    """
    plt = _pyplot()
    ids = list(future.index.get_level_values(0).unique()) if series is None else series
    if series is None:
        ids = ids[:4]
    columns = min(2, len(ids))
    rows = -(-len(ids) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(6 * columns, 3 * rows))
    axes = [axes] if len(ids) == 1 else list(getattr(axes, "ravel", lambda: axes)())
    for ax, name in zip(axes, ids, strict=False):
        observed = history.xs(name, level=0)
        if tail is not None:
            observed = observed.iloc[-tail:]
        ax.plot(_x(observed.index), observed.to_numpy(), color="0.3", label="observed")
        if actual is not None:
            truth = actual.xs(name, level=0)
            ax.plot(_x(truth.index), truth.to_numpy(), color="0.6", label="actual")
        ahead = future.xs(name, level=0)
        if isinstance(ahead, pd.DataFrame):  # a forecast with intervals
            ahead.attrs = future.attrs
            _shade_intervals(ax, ahead)
            ahead = ahead["forecast"]
        ax.plot(_x(ahead.index), ahead.to_numpy(), "--", label="forecast")
        ax.set_title(str(name))
    axes[0].legend()
    for ax in axes[len(ids) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
        plt.close(fig)
    return fig
