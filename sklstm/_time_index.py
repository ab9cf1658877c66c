"""Time-index arithmetic: the step of an index and the labels that follow it.

One home for "what comes after this index": the transformers use it to see
whether a test fold continues the rows they were fitted on, ``forecast`` to
label the future. pandas only.
"""

import warnings

import numpy as np
import pandas as pd

_MONTHS = ("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC").split()

__all__ = [
    "date_frequency",
    "future_index",
    "infer_frequency",
    "integer_step",
    "labels_after_ends",
    "next_label",
    "period_freq",
    "season_positions",
    "shift_labels",
]


def infer_frequency(index):
    """The regular frequency of a DatetimeIndex as an offset, or None.

    ``pd.infer_freq`` needs at least three dates and returns a string; the
    result is normalised to an offset.
    """
    if len(index) < 3:
        return None
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*infer_freq.*")
        freq = pd.infer_freq(index)
    return None if freq is None else pd.tseries.frequencies.to_offset(freq)


def date_frequency(times):
    """The step of a DatetimeIndex: its own frequency, else inferred, else None.

    Inferred from the distinct dates in order, as a panel's time level holds
    them (repeated, and restarting with each series).
    """
    return times.freq or infer_frequency(times.unique().sort_values())


def integer_step(index):
    """The spacing of an integer index: the greatest common step, else 1.

    An index of three or more increasing labels continues with the greatest
    common divisor of its steps (0, 10, 20, 40, 50 continues with 10: a gap
    does not change the spacing); any other (fewer labels, labels that do not
    increase, missing labels) with +1.
    """
    if len(index) < 3:  # one difference is too little evidence of a step
        return 1
    try:
        labels = np.asarray(index, dtype=np.int64)
    except (TypeError, ValueError):  # a nullable index holding NA
        return 1
    steps = np.diff(labels)
    return int(np.gcd.reduce(steps)) if (steps > 0).all() else 1


def future_index(index, steps):
    """The ``steps`` index labels that directly follow ``index``.

    A ``PeriodIndex`` continues with the next periods, a ``DatetimeIndex``
    with its frequency (its own ``freq``, else the inferred one), an integer
    index with its step (:func:`integer_step`). The name is kept.

    Raises
    ------
    ValueError
        When ``index`` has no defined successor (empty, irregular dates, or
        any other kind of labels); the message says how to give it one.
    """
    if len(index) == 0:
        raise ValueError("an empty index has no next label.")
    if isinstance(index, pd.PeriodIndex):
        future = pd.period_range(index[-1] + 1, periods=steps, freq=index.freq)
    elif isinstance(index, pd.DatetimeIndex):
        freq = index.freq or infer_frequency(index)
        if freq is None:
            raise ValueError(
                "the DatetimeIndex has no frequency, so the dates after it are "
                "unknown. Set one, e.g. data.asfreq('MS') or data.index.freq = 'D'."
            )
        offset = pd.tseries.frequencies.to_offset(freq)
        future = pd.date_range(index[-1] + offset, periods=steps, freq=offset)
    elif pd.api.types.is_integer_dtype(index.dtype) and not index.hasnans:
        step = integer_step(index)
        last = int(index[-1])
        future = pd.RangeIndex(last + step, last + step * (steps + 1), step)
    else:
        raise ValueError(
            f"an index of type {type(index).__name__} ({index.dtype}) has no "
            "defined next label; use a PeriodIndex, a DatetimeIndex with a "
            "frequency or an integer index."
        )
    return future.rename(index.name)


def next_label(index):
    """The label that directly follows ``index``, or None if it has none."""
    try:
        return future_index(index, 1)[0]
    except ValueError:
        return None


def shift_labels(labels, k, template):
    """Each label of ``labels`` moved ``k`` steps on, stepping as ``template`` does.

    The labels of many series at once (one per series, e.g. their last time
    labels): a ``PeriodIndex`` moves by ``k`` periods, a ``DatetimeIndex`` by
    ``k`` times ``template``'s frequency (its own ``freq``, else inferred),
    an integer index by ``k`` times ``template``'s step.

    Parameters
    ----------
    labels : pandas.Index
        Time labels, one per series.
    k : int
        Steps to move (1: the next label).
    template : pandas.Index
        The time labels of one series, to read the step from.

    Returns
    -------
    shifted : pandas.Index or None
        The moved labels, or None when ``template`` has no defined step.
    """
    if isinstance(labels, pd.PeriodIndex):
        return labels + k
    if isinstance(labels, pd.DatetimeIndex):
        freq = getattr(template, "freq", None) or infer_frequency(template)
        if freq is None:
            return None
        return labels + k * pd.tseries.frequencies.to_offset(freq)
    if pd.api.types.is_integer_dtype(labels.dtype) and not labels.hasnans:
        return labels + k * integer_step(template)
    return None


def labels_after_ends(times, starts, lengths, steps):
    """The labels 1 .. ``steps`` steps after the last label of every series.

    ``times`` holds the time labels of series laid out one after the other
    (series ``s`` at positions ``starts[s] .. starts[s] + lengths[s]``). The
    step is read from the longest series (one step for all: a panel's series
    share their frequency), so a series of one row continues like the others.

    Parameters
    ----------
    times : pandas.Index
        Time labels, series after series.
    starts, lengths : ndarray of int
        Where each series starts and how many rows it has.
    steps : int
        How many labels after each series' end.

    Returns
    -------
    labels : list of pandas.Index or None
        ``labels[k - 1]`` holds each series' label ``k`` steps after its end;
        None when the labels have no step (irregular dates, strings).
    """
    longest = int(np.argmax(lengths))
    template = times[starts[longest] : starts[longest] + lengths[longest]]
    ends = times[starts + lengths - 1]
    after = [shift_labels(ends, k, template) for k in range(1, steps + 1)]
    if any(labels is None for labels in after):
        return None
    return after


def season_positions(times, season_length):
    """Position of each time label within its season, ``0 .. season_length - 1``.

    A ``PeriodIndex`` counts periods from pandas' origin (1970-01 for months,
    1970Q1 for quarters), so with ``season_length=12`` a monthly label's
    position is its month minus one and with ``season_length=4`` a quarter's
    its quarter minus one. A ``DatetimeIndex`` is read as periods of its
    frequency (its own, else inferred from its distinct dates in order, as a
    panel's time level holds them). Integer labels are taken modulo
    ``season_length``.

    Raises
    ------
    ValueError
        When the labels have no step (dates without a frequency, strings).
    """
    if isinstance(times, pd.DatetimeIndex):
        freq = date_frequency(times)
        if freq is None:
            raise ValueError(
                "the dates have no frequency, so their position in the season is "
                "unknown. Use periods: sklstm.to_panel(data, freq='M') turns "
                "regular dates into periods (for one series, data.asfreq('MS') "
                "also sets a frequency)."
            )
        times = times.to_period(period_freq(freq))
    if isinstance(times, pd.PeriodIndex):
        return np.mod(times.asi8, season_length)
    if pd.api.types.is_integer_dtype(times.dtype) and not times.hasnans:
        return np.mod(np.asarray(times, dtype=np.int64), season_length)
    raise ValueError(
        f"time labels of type {type(times).__name__} ({times.dtype}) have no "
        "position in a season; use a PeriodIndex, a DatetimeIndex with a "
        "frequency or an integer index."
    )


def period_freq(offset):
    """The period frequency to try for a date offset.

    Month, quarter and year *starts* ("MS", "QS-JAN", "YS-JAN") have no period
    alias of their own; they map to the periods they start ("M", "Q-DEC",
    "Y-DEC"). Any other offset is returned as it is, to be tried as a period
    frequency.
    """
    if isinstance(offset, pd.offsets.MonthBegin) and offset.n == 1:
        return "M"
    if isinstance(offset, pd.offsets.QuarterBegin) and offset.n == 1:
        return f"Q-{_MONTHS[(offset.startingMonth - 2) % 12]}"
    if isinstance(offset, pd.offsets.YearBegin) and offset.n == 1:
        return f"Y-{_MONTHS[(offset.month - 2) % 12]}"
    return offset
