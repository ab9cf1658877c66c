"""Panels: many series in one pandas object, indexed by ``(series, time)``.

A panel is a pandas Series or DataFrame whose index is a 2-level
``MultiIndex``: level 0 names the series (any hashable labels), level 1 is
that series' own time (periods, timestamps or integers). Series may differ in
length, start and end. The rows of a series are together and in time order.

Everything here is numpy/pandas only (no TensorFlow).

- :func:`to_panel` brings long tables (one column of series ids, one of times,
  value columns: most CSV exports, neuralforecast's ``unique_id, ds, y``) and
  wide tables (one column per series, time in the index) in.
- :func:`check_panel` is the one check every panel-aware step calls; it
  returns the row layout (:class:`PanelLayout`: where each series starts, how
  long it is, which series each row belongs to) so that per-series work can
  be vectorised instead of looping over series.

Going back needs no helper: ``panel.reset_index()`` gives the long table and
``panel.unstack(level=0)`` the wide one (NaN where a series has no row).
"""

import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from sklstm._time_index import infer_frequency, period_freq
from sklstm._validation import reject_non_numeric_columns

__all__ = ["PanelLayout", "check_panel", "is_panel", "series_layout", "to_panel"]


class PanelLayout(NamedTuple):
    """Where the series of a valid panel sit, as arrays (see :func:`check_panel`).

    Attributes
    ----------
    series : pandas.Index
        The series ids in row order (the first series of the panel first).
    starts : ndarray of int64, shape (n_series,)
        Position of the first row of each series.
    lengths : ndarray of int64, shape (n_series,)
        Number of rows of each series.
    """

    series: pd.Index
    starts: np.ndarray
    lengths: np.ndarray

    @property
    def codes(self):
        """For each row, its series as a number ``0 .. n_series - 1``.

        An index into ``series``, ``starts`` and ``lengths``; non-decreasing.
        Computed on demand (one int64 per row).
        """
        return np.repeat(np.arange(len(self.starts), dtype=np.int64), self.lengths)

    @property
    def positions(self):
        """Position of each row within its series (0 for a series' first row)."""
        return np.arange(int(self.lengths.sum())) - np.repeat(self.starts, self.lengths)

    @property
    def ends(self):
        """Position one past the last row of each series."""
        return self.starts + self.lengths


def is_panel(data):
    """Whether ``data`` is indexed like a panel (a 2-level MultiIndex).

    Only the index type is looked at; :func:`check_panel` checks the order of
    the rows too.

    Parameters
    ----------
    data : object
        Anything; a pandas object or an index.

    Returns
    -------
    bool
        True for a Series, DataFrame or Index with a 2-level ``MultiIndex``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.panel import is_panel
    >>> index = pd.MultiIndex.from_tuples([("a", 0), ("a", 1), ("b", 0)])
    >>> is_panel(pd.Series([1.0, 2.0, 3.0], index=index))
    True
    >>> is_panel(pd.Series([1.0, 2.0, 3.0]))
    False
    """
    index = data if isinstance(data, pd.Index) else getattr(data, "index", None)
    return isinstance(index, pd.MultiIndex) and index.nlevels == 2


def _describe(data):
    """A short phrase naming what ``data`` is, for error messages."""
    if isinstance(data, pd.DataFrame | pd.Series):
        index = data.index
        kind = type(data).__name__
        if isinstance(index, pd.MultiIndex):
            return f"a {kind} with a {index.nlevels}-level MultiIndex"
        return f"a {kind} with a plain {type(index).__name__}"
    if isinstance(data, pd.Index):
        return f"a {type(data).__name__}"
    return f"a {type(data).__name__}"


def _time_key(times, owner):
    """Time labels as an array whose order is time order (int64 or float)."""
    if isinstance(times, pd.PeriodIndex | pd.DatetimeIndex | pd.TimedeltaIndex):
        return times.asi8
    if pd.api.types.is_numeric_dtype(times.dtype) and not pd.api.types.is_bool_dtype(
        times.dtype
    ):
        return np.asarray(times, dtype=np.float64)
    if times.dtype == object and all(isinstance(t, pd.Period) for t in times[:1000]):
        freqs = sorted({t.freqstr for t in times})
        raise TypeError(
            f"{owner}: the time level of the panel mixes period frequencies "
            f"{freqs}; every series needs the same one. Convert the periods "
            "first, e.g. with Period.asfreq, or aggregate the faster series."
        )
    raise TypeError(
        f"{owner}: the time level of the panel holds {times.dtype} values such "
        f"as {_label(times[0])!r}; it must hold periods, timestamps or integers. "
        "Convert it with sklstm.to_panel(...), which parses dates written as "
        "strings."
    )


def _label(value):
    """A label as Python writes it (``1`` rather than ``np.int64(1)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _format_time(label):
    """A time label as users write it (``2020-01`` rather than ``Period(...)``)."""
    return str(label)


def check_panel(data, owner="check_panel"):
    """Check that ``data`` is a panel and return where its series sit.

    A panel has a 2-level ``MultiIndex`` ``(series, time)``; the rows of each
    series are together (contiguous), and within a series the time labels
    strictly increase. The series themselves may come in any order. This is
    the one check every panel-aware step calls (``owner`` names the caller in
    the messages); it is vectorised (no Python loop over series).

    Parameters
    ----------
    data : Series, DataFrame or MultiIndex
        The panel, or its index.
    owner : str, default="check_panel"
        The name of the caller, used in error messages.

    Returns
    -------
    layout : PanelLayout
        ``series`` (ids in row order), ``starts`` and ``lengths`` (one per
        series) and ``codes`` (one per row).

    Raises
    ------
    ValueError
        When ``data`` is not indexed by a 2-level MultiIndex, is empty, has a
        missing series id or time label, keeps a series' rows apart, or has
        time labels that do not strictly increase within a series. The
        message names the first offending series and the fix.
    TypeError
        When the time level holds something other than periods, timestamps
        or numbers (strings, for example).

    See Also
    --------
    sklstm.to_panel : Build a valid panel from long, wide or unsorted data.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.panel import check_panel
    >>> index = pd.MultiIndex.from_tuples(
    ...     [("a", 0), ("a", 1), ("a", 2), ("b", 5), ("b", 6)]
    ... )
    >>> layout = check_panel(pd.Series(range(5), index=index))
    >>> layout.series.tolist(), layout.starts.tolist(), layout.lengths.tolist()
    (['a', 'b'], [0, 3], [3, 2])
    >>> layout.codes.tolist(), layout.positions.tolist()
    ([0, 0, 0, 1, 1], [0, 1, 2, 0, 1])
    """
    index = data if isinstance(data, pd.Index) else getattr(data, "index", None)
    if not isinstance(index, pd.MultiIndex) or index.nlevels != 2:
        raise ValueError(
            f"{owner} needs a panel: a pandas Series or DataFrame indexed by a "
            f"2-level MultiIndex (series, time); got {_describe(data)}. Build one "
            "from a long or wide table with sklstm.to_panel(...)."
        )
    n_rows = len(index)
    if n_rows == 0:
        raise ValueError(f"{owner} got an empty panel (no rows).")
    ids, time_codes = np.asarray(index.codes[0]), np.asarray(index.codes[1])
    missing = np.flatnonzero((ids < 0) | (time_codes < 0))
    if missing.size:
        row = missing[0]
        what = "series id (NaN)" if ids[row] < 0 else "time label (NaN or NaT)"
        raise ValueError(
            f"{owner}: {missing.size} rows of the panel lack a series id or a "
            f"time label; the first, row {row}, has no {what}. Drop those rows "
            "or fill them in."
        )
    change = np.empty(n_rows, dtype=bool)
    change[0] = True
    np.not_equal(ids[1:], ids[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    run_ids = ids[starts]
    order = np.argsort(run_ids, kind="stable")
    repeated = order[1:][run_ids[order][1:] == run_ids[order][:-1]]
    if repeated.size:
        run = repeated.min()
        label = index.levels[0][run_ids[run]]
        raise ValueError(
            f"{owner}: the rows of series {_label(label)!r} are not together; they "
            f"start again at row {starts[run]} after rows of other series. A panel "
            "keeps each series' rows together and in time order: use "
            "panel.sort_index() or sklstm.to_panel(panel)."
        )
    lengths = np.diff(np.append(starts, n_rows))
    series = index.levels[0][run_ids]

    def series_of(row):
        return _label(series[np.searchsorted(starts, row, side="right") - 1])

    levels = index.levels[1]
    _time_key(levels, owner)  # refuses labels that are not times
    # the level's codes order the rows in time when the level is sorted (it is
    # for indexes pandas builds): no need to materialise a label per row
    key = time_codes if levels.is_monotonic_increasing else None
    if key is None:
        key = _time_key(index.get_level_values(1), owner)
    bad = np.flatnonzero(~change[1:] & ~(key[1:] > key[:-1]))
    if bad.size:
        row = bad[0] + 1
        repeat = key[row] == key[row - 1]
        times = index[[row - 1, row]].get_level_values(1)
        raise ValueError(
            f"{owner}: the time labels of series {series_of(row)!r} do not "
            f"strictly increase: row {row} ({_format_time(times[1])}) follows "
            f"{_format_time(times[0])}. "
            + (
                "Each (series, time) pair must appear once: remove the duplicates "
                "(sklstm.to_panel names them)."
                if repeat
                else "Sort the rows with panel.sort_index() or sklstm.to_panel(panel)."
            )
        )
    return PanelLayout(series=series, starts=starts, lengths=lengths)


def series_layout(data, owner="series_layout"):
    """Where the series of ``data`` sit: a panel's layout, or one series.

    The per-series code paths (windowing, forecasting) treat a plain table as
    a panel of one series, so one vectorised path serves both.

    Parameters
    ----------
    data : array-like, Series or DataFrame
        A panel (checked by :func:`check_panel`) or rows of one series.
    owner : str, default="series_layout"
        The name of the caller, used in error messages.

    Returns
    -------
    layout : PanelLayout
        For a panel, :func:`check_panel`'s layout; otherwise one series (id
        0) holding every row.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.panel import series_layout
    >>> layout = series_layout(np.zeros((4, 1)))
    >>> layout.starts.tolist(), layout.lengths.tolist()
    ([0], [4])
    """
    if is_panel(data):
        return check_panel(data, owner)
    index = getattr(data, "index", None)
    if isinstance(index, pd.MultiIndex):
        raise ValueError(
            f"{owner} reads a panel indexed by 2 levels (series, time); got a "
            f"{index.nlevels}-level MultiIndex {list(index.names)}. Combine the "
            "levels that name a series into one (e.g. store and product into "
            "one id) and keep time as the second level."
        )
    n_rows = np.shape(data)[0]
    return PanelLayout(
        series=pd.Index([0]),
        starts=np.zeros(1, dtype=np.int64),
        lengths=np.array([n_rows], dtype=np.int64),
    )


# --------------------------------------------------------------------------
# to_panel
# --------------------------------------------------------------------------


def _to_periods(dates, freq):
    """``dates`` as a PeriodIndex of ``freq`` (a string or offset), or None."""
    candidates = [freq]
    if isinstance(freq, str):
        try:
            candidates.append(period_freq(to_offset(freq)))
        except ValueError:
            pass
    else:
        candidates = [period_freq(freq)]
    for candidate in candidates:
        try:
            with warnings.catch_warnings():
                # deprecated period frequencies (business days), dropped time
                # zones: better keep the timestamps than convert with a warning
                warnings.simplefilter("error")
                return dates.to_period(candidate)
        except (AttributeError, TypeError, ValueError, Warning):
            continue
    return None


def _parse_times(values, source):
    """Time labels as a PeriodIndex, DatetimeIndex or integer/float Index.

    ``source`` says where they come from in messages ("column 'date'").
    """
    index = pd.Index(values)
    if isinstance(index, pd.PeriodIndex | pd.DatetimeIndex):
        return index
    if pd.api.types.is_bool_dtype(index.dtype):
        raise TypeError(
            f"to_panel: the time {source} holds booleans; give periods, dates or "
            "integers."
        )
    if pd.api.types.is_float_dtype(index.dtype):
        finite = index.dropna()
        if len(finite) and np.all(np.mod(finite.to_numpy(), 1) == 0):
            return index.astype(np.int64) if len(finite) == len(index) else index
        return index
    if pd.api.types.is_numeric_dtype(index.dtype):
        return index
    kind = pd.api.types.infer_dtype(index, skipna=True)
    if kind == "integer":
        return index.astype(np.int64)
    if kind == "period":
        return pd.PeriodIndex(index)
    parsed = pd.to_datetime(index, errors="coerce", format="mixed")
    failed = np.flatnonzero(parsed.isna() & ~pd.isna(index))
    if failed.size:
        raise ValueError(
            f"to_panel: the time {source} holds values that are not dates, such as "
            f"{_label(index[failed[0]])!r} (row {failed[0]}). Give periods, dates (or "
            "strings pandas parses as dates, like '2020-01-31') or integers."
        )
    return parsed


def _infer_dates_freq(dates, series_codes):
    """One regular frequency of all series' dates, or None.

    Read from the sorted distinct dates of all series (one grid shared by all
    series), else from the longest series alone.
    """
    distinct = pd.DatetimeIndex(np.unique(dates.dropna().to_numpy()))
    freq = infer_frequency(distinct)
    if freq is None and len(series_codes):
        longest = np.bincount(series_codes).argmax()
        own = dates[series_codes == longest].dropna().sort_values().unique()
        freq = infer_frequency(pd.DatetimeIndex(own))
    return freq


def _factorize(values):
    """Codes and sorted uniques; in order of appearance when unsortable."""
    try:
        return pd.factorize(values, sort=True)
    except TypeError:  # mixed, incomparable labels (ints and strings)
        return pd.factorize(values, sort=False)


def _sorted_layout(series_codes, time_codes):
    """Row order by series then time, and the rows whose pair repeats."""
    order = np.lexsort((time_codes, series_codes))
    s, t = series_codes[order], time_codes[order]
    repeated = np.flatnonzero((s[1:] == s[:-1]) & (t[1:] == t[:-1])) + 1
    return order, order[repeated]


def _assemble(ids, times, values, names, freq, source):
    """Sort rows by (series, time), check them, and index ``values`` with them."""
    ids = pd.Index(ids)
    missing = np.flatnonzero(pd.isna(ids))
    if missing.size:
        raise ValueError(
            f"to_panel: {missing.size} rows have no series id (NaN), the first at "
            f"row {missing[0]}. Drop them or give them an id."
        )
    times = _parse_times(times, source)
    missing = np.flatnonzero(pd.isna(times))
    if missing.size:
        raise ValueError(
            f"to_panel: {missing.size} rows have no time (NaN or NaT), the first "
            f"at row {missing[0]} (series {_label(ids[missing[0]])!r}). Drop them "
            "or give them their time."
        )
    series_codes, series_ids = _factorize(ids)
    converted = None
    if isinstance(times, pd.DatetimeIndex):
        target = freq if freq is not None else _infer_dates_freq(times, series_codes)
        if target is not None:
            converted = _to_periods(times, target)
        if converted is None and freq is not None:
            raise ValueError(
                f"to_panel: freq={freq!r} is not a frequency pandas periods "
                "support; use one such as 'D', 'W', 'M', 'Q' or 'Y', or leave "
                "freq=None to keep the timestamps."
            )
    elif freq is not None and isinstance(times, pd.PeriodIndex):
        wanted = _to_periods(pd.DatetimeIndex(times[:1].to_timestamp()), freq)
        if wanted is None or wanted.freq != times.freq:
            raise ValueError(
                f"to_panel: the times are already periods of frequency "
                f"{times.freqstr!r}; freq={freq!r} does not match. Leave freq=None, "
                "or convert them yourself with .asfreq()."
            )
    elif freq is not None:
        raise ValueError(
            f"to_panel: freq={freq!r} applies to dates, but the times are "
            f"{times.dtype} values. Leave freq=None for integer times."
        )

    def layout(labels):
        time_codes, time_labels = pd.factorize(labels, sort=True)
        order, repeated = _sorted_layout(series_codes, time_codes)
        return time_codes, time_labels, order, repeated

    if converted is not None:
        time_codes, time_labels, order, repeated = layout(converted)
        if repeated.size and freq is None:  # the inferred periods merge dates
            converted = None
        else:
            times = converted
    if converted is None:
        time_codes, time_labels, order, repeated = layout(times)
    if repeated.size:
        # one entry per repeated pair (``repeated`` lists every extra row)
        pairs = list(
            dict.fromkeys(
                (_label(ids[row]), _format_time(times[row])) for row in repeated
            )
        )
        shown = ", ".join(f"({sid!r}, {when})" for sid, when in pairs[:5])
        merged = (
            f" (after turning the dates into periods of frequency {freq!r})"
            if converted is not None
            else ""
        )
        raise ValueError(
            f"to_panel: {len(pairs)} (series, time) pairs appear more than once"
            f"{merged}, such as {shown}. Each series may have one row per time: "
            "drop the duplicates (data.drop_duplicates([series, time])) or "
            "aggregate them (data.groupby([series, time]).sum())."
        )
    index = pd.MultiIndex(
        levels=[series_ids, time_labels],
        codes=[series_codes[order], time_codes[order]],
        names=names,
        verify_integrity=False,
    )
    out = values.iloc[order].copy()
    out.index = index
    return out


def _check_columns(data, wanted, role):
    """Raise naming the columns of ``wanted`` that ``data`` does not have."""
    unknown = [name for name in wanted if name not in data.columns]
    if unknown:
        raise ValueError(
            f"to_panel: unknown {role} column{'s' if len(unknown) > 1 else ''} "
            f"{unknown if len(unknown) > 1 else unknown[0]!r}; the columns are "
            f"{list(data.columns)}. (A name in the index: data.reset_index() "
            "first.)"
        )


def _select_values(data, value, exclude):
    """The value columns: a Series for one named column, else a DataFrame."""
    if value is None:
        columns = [name for name in data.columns if name not in exclude]
        if not columns:
            raise ValueError(
                f"to_panel: no value columns left besides {list(exclude)}; the "
                "panel needs at least one column of values."
            )
        values = data[columns]
    elif isinstance(value, list | tuple):
        _check_columns(data, value, "value")
        values = data[list(value)]
    else:
        _check_columns(data, [value], "value")
        values = data[value]
    _check_numeric_values(
        values.to_frame() if isinstance(values, pd.Series) else values
    )
    return values


def _from_wide(data, value, freq):
    """Stack a wide table (one column per series, time in the index)."""
    if not data.columns.is_unique:
        repeated = data.columns[data.columns.duplicated()].unique().tolist()
        raise ValueError(
            f"to_panel: a wide table needs one column per series; these column "
            f"names repeat: {repeated[:5]}. Rename or combine them."
        )
    if not data.index.is_unique:
        repeated = data.index[data.index.duplicated()].unique().tolist()
        raise ValueError(
            f"to_panel: the index of a wide table is time, one row per time; these "
            f"labels repeat: {[_format_time(t) for t in repeated[:5]]}. Drop or "
            "aggregate the repeated rows."
        )
    if isinstance(value, list | tuple):
        raise ValueError(
            "to_panel: in a wide table every column is a series, so value=... "
            f"can only name the panel's values (one name); got {value!r}."
        )
    _check_numeric_values(data)
    values = data.to_numpy(dtype=np.float64, na_value=np.nan)
    present = ~np.isnan(values)
    n_times, n_series = values.shape
    empty = ~present.any(axis=0)
    if empty.any():
        warnings.warn(
            f"to_panel: dropped {int(empty.sum())} wide columns without any value: "
            f"{data.columns[empty].tolist()[:5]}.",
            UserWarning,
            stacklevel=3,
        )
    # each series runs from its first to its last value; NaN inside is kept
    first = present.argmax(axis=0)
    last = n_times - 1 - present[::-1].argmax(axis=0)
    rows = np.arange(n_times)[:, None]
    keep = ((rows >= first) & (rows <= last) & ~empty).T.ravel()  # series-major
    series_pos = np.repeat(np.arange(n_series), n_times)[keep]
    time_pos = np.tile(np.arange(n_times), n_series)[keep]
    stacked = pd.Series(values.T.ravel()[keep], name=value)
    return _assemble(
        data.columns.take(series_pos),
        data.index.take(time_pos),
        stacked,
        [data.columns.name, data.index.name],
        freq,
        "index of the wide table",
    )


def to_panel(data, *, series=None, time=None, value=None, freq=None):
    """Build a panel indexed by ``(series, time)`` from a long or wide table.

    Three inputs are understood:

    - **long**, with ``series=`` and ``time=``: one row per (series, time),
      a column of series ids, a column of times and value columns (CSV
      exports; neuralforecast's ``unique_id, ds, y``). Every row is kept.
    - **wide**, without ``series=``/``time=``: a DataFrame with one column
      per series and time in its index, NaN before a series starts and after
      it ends. Those leading and trailing NaN are dropped, series by series;
      NaN inside a series is kept (a missing value). Columns without any
      value are dropped with a warning.
    - **a panel** already (a 2-level MultiIndex): rows are sorted and the
      times normalised as below, the same way.

    The rows come out sorted by series, then time. Dates (or strings that
    parse as dates) with one regular frequency, the one given as ``freq`` or
    else the one inferred, become periods of that frequency (``2020-01-01``
    with monthly spacing becomes the period ``2020-01``), so that the
    frequency travels with the panel; dates without one keep their
    timestamps. Periods stay periods; integer times stay integers. Missing
    times are not filled in.

    Going back: ``panel.reset_index()`` is the long table and
    ``panel.unstack(level=0)`` the wide one.

    Parameters
    ----------
    data : DataFrame, or Series/DataFrame with a 2-level MultiIndex
        The long or wide table, or a panel to sort and normalise.
    series : hashable or None, default=None
        Long format: the column holding the series ids (any hashable values).
    time : hashable or None, default=None
        Long format: the column holding the times.
    value : hashable, list of hashable or None, default=None
        Long format (or a panel DataFrame): the value column(s). One name
        gives a Series; a list or None (every other column) a DataFrame.
        Wide format: the name of the resulting Series.
    freq : str, DateOffset or None, default=None
        Frequency of dates, such as ``"M"``/``"MS"`` (monthly), ``"Q"``,
        ``"D"`` or ``"h"``; dates become periods of it (an error if two dates
        of one series fall into the same period). None infers it.

    Returns
    -------
    panel : Series or DataFrame
        Indexed by a 2-level MultiIndex named after the series and time
        columns (long) or after the wide table's column and index names.
        A Series for wide input or one named value column.

    Raises
    ------
    ValueError
        Unknown column names, a (series, time) pair that appears more than
        once, missing ids or times, times that are not dates, periods or
        numbers, or a ``freq`` that cannot apply.
    TypeError
        Value columns that are not numeric.

    See Also
    --------
    sklstm.panel.check_panel : The checks a panel passes, and its row layout.

    Examples
    --------
    A long table, as a CSV export has it:

    >>> import pandas as pd
    >>> from sklstm import to_panel
    >>> long = pd.DataFrame({
    ...     "store": ["b", "b", "a", "a", "a"],
    ...     "date": ["2020-02-01", "2020-03-01", "2020-01-01", "2020-02-01",
    ...              "2020-03-01"],
    ...     "sales": [5.0, 6.0, 1.0, 2.0, 3.0],
    ... })
    >>> panel = to_panel(long, series="store", time="date", value="sales")
    >>> panel  # doctest: +NORMALIZE_WHITESPACE
    store  date
    a      2020-01    1.0
           2020-02    2.0
           2020-03    3.0
    b      2020-02    5.0
           2020-03    6.0
    Name: sales, dtype: float64

    A wide table: one column per series, NaN where a series has no value yet:

    >>> wide = panel.unstack(level=0)
    >>> wide.shape
    (3, 2)
    >>> to_panel(wide, value="sales").equals(panel)
    True
    """
    if not isinstance(data, pd.DataFrame | pd.Series):
        raise TypeError(
            "to_panel expects a pandas DataFrame (a long or wide table) or a "
            f"pandas object with a 2-level MultiIndex; got {_describe(data)}. "
            "Wrap your array in pd.DataFrame(...) first."
        )
    if isinstance(data.index, pd.MultiIndex):
        if data.index.nlevels != 2:
            raise ValueError(
                f"to_panel: a panel has a 2-level MultiIndex (series, time); got "
                f"{data.index.nlevels} levels {list(data.index.names)}. Drop or "
                "combine levels so that one names the series and one the time."
            )
        if series is not None or time is not None:
            raise ValueError(
                "to_panel: data is already indexed by (series, time); series= and "
                "time= name columns of a long table. Leave them out, or pass "
                "data.reset_index()."
            )
        values = (
            data
            if isinstance(data, pd.Series)
            else _select_values(data, value, exclude=())
        )
        if isinstance(values, pd.Series):
            _check_numeric_values(values.to_frame())
        return _assemble(
            data.index.get_level_values(0),
            data.index.get_level_values(1),
            values,
            list(data.index.names),
            freq,
            "level of the panel",
        )
    if series is None and time is None:
        if isinstance(data, pd.Series):
            raise ValueError(
                f"to_panel got a Series with a plain {type(data.index).__name__}: "
                "that is one series, which every sklstm step takes as it is. For a "
                "panel of one series, pass series.to_frame(name) (a wide table "
                "with one column)."
            )
        return _from_wide(data, value, freq)
    if series is None or time is None:
        given, other = ("series", "time") if time is None else ("time", "series")
        raise ValueError(
            f"to_panel: a long table needs both series= and time=; got only "
            f"{given}=. Name the {other} column too (or neither, for a wide "
            "table with one column per series)."
        )
    if isinstance(data, pd.Series):
        raise ValueError(
            "to_panel: series= and time= name columns of a long DataFrame; got a "
            "Series."
        )
    _check_columns(data, [series], "series")
    _check_columns(data, [time], "time")
    if series == time:
        raise ValueError(
            f"to_panel: series= and time= name the same column {series!r}; they "
            "must be two different columns."
        )
    values = _select_values(data, value, exclude=(series, time))
    return _assemble(
        data[series].to_numpy(),
        data[time],
        values,
        [series, time],
        freq,
        f"column {time!r}",
    )


def _check_numeric_values(frame):
    """Raise naming the value columns that are not numeric."""
    reject_non_numeric_columns(
        frame,
        "to_panel",
        "Convert them (pd.to_numeric(column, errors='coerce') turns unreadable "
        "entries into NaN), or leave them out with value=[...].",
    )
