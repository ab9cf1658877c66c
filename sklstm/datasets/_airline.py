"""The airline passengers series (Box & Jenkins), bundled with the package."""

from importlib import resources

import pandas as pd


def load_airline():
    """Load the monthly international airline passengers, 1949-1960.

    The classic Box & Jenkins series used by most LSTM forecasting tutorials.
    It ships inside sklstm; nothing is downloaded.

    Returns
    -------
    passengers : pandas.Series of shape (144,)
        Monthly totals in thousands of passengers, named ``passengers``,
        int64, indexed by a monthly ``PeriodIndex`` from 1949-01 to 1960-12.

    Examples
    --------
    >>> from sklstm.datasets import load_airline
    >>> y = load_airline()
    >>> y.name, len(y), str(y.index[0]), str(y.index[-1]), y.dtype
    ('passengers', 144, '1949-01', '1960-12', dtype('int64'))
    """
    path = resources.files("sklstm.datasets") / "data" / "airline-passengers.csv"
    with resources.as_file(path) as csv:
        frame = pd.read_csv(csv)
    index = pd.PeriodIndex(frame["Date"], freq="M", name="month")
    return pd.Series(
        frame["Passengers"].to_numpy(dtype="int64"), index=index, name="passengers"
    )
