"""A small panel that ships with sklstm: US real GDP and four of its parts."""

from importlib import resources

import pandas as pd

from sklstm.panel import to_panel


def load_us_macro():
    """Load five related quarterly US series, 1959Q1-2009Q3, as a panel.

    Real gross domestic product (``realgdp``), personal consumption
    (``realcons``), private investment (``realinv``), federal government
    spending (``realgovt``) and disposable income (``realdpi``), in billions
    of chained 2005 dollars at seasonally adjusted annual rates: related
    series of different scales and volatility, 203 quarters each. Public
    domain data from the Federal Reserve Bank of St. Louis (FRED), as
    compiled for statsmodels' ``macrodata``; it ships inside sklstm, nothing
    is downloaded.

    Returns
    -------
    panel : pandas.Series of shape (1015,)
        Named ``value``, float64, indexed by a ``(series, quarter)``
        MultiIndex whose time level is a quarterly ``PeriodIndex``.

    Examples
    --------
    >>> from sklstm.datasets import load_us_macro
    >>> panel = load_us_macro()
    >>> panel.index.names, panel.groupby(level=0).size().to_dict()["realgdp"]
    (FrozenList(['series', 'quarter']), 203)
    """
    path = resources.files("sklstm.datasets") / "data" / "us-macro.csv"
    with resources.as_file(path) as csv:
        frame = pd.read_csv(csv, comment="#")
    frame["quarter"] = pd.PeriodIndex(frame["quarter"], freq="Q")
    return to_panel(frame, series="series", time="quarter", value="value")
