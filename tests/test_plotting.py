"""Plots of forecasts, with and without intervals (sklstm/plotting.py)."""

import sys

import numpy as np
import pandas as pd
import pytest


def test_plot_forecast_returns_figure_and_saves_png(tmp_path):
    from matplotlib.figure import Figure

    from sklstm.datasets import load_airline
    from sklstm.plotting import plot_forecast

    series = load_airline()
    test = pd.Series(series.iloc[-12:].to_numpy() * 1.01, index=series.index[-12:])
    future = pd.Series(
        np.full(6, 450.0), index=pd.period_range("1961-01", periods=6, freq="M")
    )
    path = tmp_path / "plot.png"
    fig = plot_forecast(series, {"lstm": test}, future, title="Airline", path=path)
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title() == "Airline"
    assert path.is_file()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # observed + one prediction line + forecast
    assert len(fig.axes[0].get_lines()) == 3


def test_plot_forecast_without_path_keeps_figure_open():
    import matplotlib.pyplot as plt

    from sklstm.plotting import plot_forecast

    series = pd.Series([1.0, 2.0, 3.0], name="x")
    fig = plot_forecast(series, predictions=series + 1)
    try:
        assert plt.fignum_exists(fig.number)
        assert fig.axes[0].get_ylabel() == "x"
    finally:
        plt.close(fig)


def test_plot_forecast_without_matplotlib_names_the_extra(monkeypatch):
    from sklstm.plotting import plot_forecast

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"sklstm\[plot\]"):
        plot_forecast(pd.Series([1.0, 2.0]))


def test_plot_forecast_shades_each_interval(tmp_path):
    from sklstm.plotting import plot_forecast

    history = pd.Series(
        np.arange(24.0), index=pd.period_range("2020-01", periods=24, freq="M")
    )
    future = pd.DataFrame(
        {
            "forecast": [24.0, 25.0],
            "lower_80": [23.0, 23.5],
            "upper_80": [25.0, 26.5],
            "lower_95": [22.0, 22.0],
            "upper_95": [26.0, 28.0],
        },
        index=pd.period_range("2022-01", periods=2, freq="M"),
    )
    fig = plot_forecast(history, future=future)
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert labels == ["observed", "95% interval", "80% interval", "forecast"]
    # the forecast line starts at the last observation
    line = fig.axes[0].get_lines()[-1]
    assert line.get_ydata()[0] == 23.0
