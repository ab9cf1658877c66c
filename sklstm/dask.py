"""Forecasts and backtests of a partitioned panel on Dask, past one machine.

Forecasting and backtesting are per series, so a panel too large for one
machine is forecast partition by partition, on the workers of a Dask
cluster, by the same :func:`sklstm.forecast` that runs in process, with the
same fitted model. The model is shipped once: it is one task of the graph
(a ``dask.delayed`` object) that every partition's task depends on, so
each worker receives it once, not once per partition.

The layout
----------
A Dask DataFrame long table, one row per (series, time): the index holds
the series ids, one column (``time=``) the times, the other columns the
values the model was fitted on (the target, and covariates if any). No
series may be split across partitions; the index's divisions must be known
(they tell where each series is without reading the data). Getting there:

- from a long table in any order:
  ``ddf = ddf.set_index("series")`` (one shuffle; rows of one series end up
  in one partition, in any order: each partition is sorted by time here);
- then, to choose the partition size: fewer partitions with
  ``ddf.repartition(npartitions=k)``, which merges neighbouring partitions
  (boundaries stay between series); more with
  ``ddf.reset_index().set_index("series", npartitions=k)``
  (``repartition`` to more partitions splits series and forgets the
  divisions, which is refused);
- from parquet files that each hold whole series, sorted by series id:
  ``dd.read_parquet(path, index="series", calculate_divisions=True)``;
- from pandas: ``dd.from_pandas(long.set_index("series"), npartitions=k)``.

Each partition becomes a panel with :func:`sklstm.to_panel` (``freq=`` is
passed on; dates need it, so that every partition labels the future the
same way) and is forecast in one call. The functions here check the layout,
the columns and the model before any work starts, and say how to fix what
is wrong.

Importing this module imports Dask; ``import sklstm`` does not.
"""

import uuid
from numbers import Integral
from typing import NamedTuple

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    validate_params,
)
from sklearn.utils.validation import check_is_fitted

from sklstm._naive import naive_scale
from sklstm._validation import IntervalLevels, PositiveInt, interval_levels
from sklstm.forecasting import forecast as _forecast
from sklstm.forecasting import rows_needed
from sklstm.panel import check_panel, to_panel

__all__ = ["PartitionedBacktest", "backtest", "check_partitions", "forecast"]


class PartitionedBacktest(NamedTuple):
    """What :func:`backtest` measured over every series of a partitioned panel.

    Attributes
    ----------
    scores : DataFrame
        One row per method (``"sklstm"`` first, then the naive baselines
        ``"persistence"``, ``"seasonal naive"`` when a season is given, and
        ``"drift"``), columns ``rmse`` and ``mae`` (in the series' units) and
        ``mase`` (each error divided by its series' in-sample naive error
        before the origin), pooled over every series, origin and step.
    forecasts : dask.dataframe.DataFrame
        Lazy: one row per series, origin and step, indexed by series, with
        columns ``origin`` (1 for the last ``steps`` values held out, 2 for
        the ``steps`` before them, ...), ``time``, ``step``, ``actual`` and
        one column per method. Computing it forecasts again; ``persist()``
        it, or compute what you need from it in one ``dask.compute``.
    n_origins : int
        Origins tried per series.
    n_forecasts : int
        Forecasts scored (series times origins; a series with too few rows
        before an origin is left out of that origin).
    """

    scores: pd.DataFrame
    forecasts: dd.DataFrame
    n_origins: int
    n_forecasts: int


class _Layout(NamedTuple):
    """The checked input: what each partition's task needs to know."""

    divisions: tuple
    time: object
    columns: list
    target: object
    freq: object
    meta_time: pd.Series


@validate_params(
    {
        "data": [dd.DataFrame],
        "estimator": [HasMethods(["predict"]), None],
        "time": [object],
        "freq": [object],
    },
    prefer_skip_nested_validation=True,
)
def check_partitions(data, estimator=None, *, time="time", freq=None):
    """Check that a Dask DataFrame is a panel split by series, before any work.

    Reads only the metadata (columns, dtypes, divisions): no partition is
    computed. :func:`forecast` and :func:`backtest` call it first.

    Parameters
    ----------
    data : dask.dataframe.DataFrame
        The long table, indexed by series id, with known divisions.
    estimator : fitted regressor or None, default=None
        When given, it must be fitted, and ``data`` must hold the columns it
        was fitted on (``feature_names_in_``, when it records them).
    time : hashable, default="time"
        The column holding the times (integers, periods, or dates with
        ``freq``).
    freq : str or None, default=None
        Frequency of dates (``"M"``, ``"D"``, ...), as in
        :func:`sklstm.to_panel`; required when ``time`` holds dates.

    Returns
    -------
    columns : list
        The value columns each partition's panel keeps, in the model's order.

    Raises
    ------
    TypeError
        ``data`` is not a Dask DataFrame, or the time column holds strings.
    ValueError
        The divisions are unknown or show a series split across partitions,
        a column is missing, ``freq`` is missing for dates, or the estimator
        is not fitted (``NotFittedError``, a ValueError).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from sklstm.dask import check_partitions
    >>> long = pd.DataFrame({"series": ["a", "a", "b", "b"],
    ...                      "time": [0, 1, 0, 1], "y": [1.0, 2.0, 3.0, 4.0]})
    >>> check_partitions(dd.from_pandas(long.set_index("series"), npartitions=2))
    ['y']
    >>> check_partitions(dd.from_pandas(long, npartitions=2))
    Traceback (most recent call last):
    ...
    ValueError: check_partitions: the index of data holds no series ids ...
    """
    return _check(data, estimator, time, freq, "check_partitions").columns


def _check(data, estimator, time, freq, owner, future=None):
    """Everything checkable from metadata; returns what the tasks need."""
    if estimator is not None:
        check_is_fitted(estimator)
    _check_divisions(data, owner)
    if time not in data.columns:
        raise ValueError(
            f"{owner}: data has no time column {time!r}; its columns are "
            f"{list(data.columns)}. Name the column of times with time=..., or "
            "move the times out of the index (data.reset_index(...)) so that "
            "the index holds the series ids."
        )
    columns = [name for name in data.columns if name != time]
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None:
        missing = [name for name in names if name not in columns]
        if missing:
            raise ValueError(
                f"{owner}: the estimator was fitted on columns {list(names)}, "
                f"but data lacks {missing} (it has {columns} besides the time "
                f"{time!r}). Give data the columns the estimator was fitted on."
            )
        columns = list(names)
    if not columns:
        raise ValueError(
            f"{owner}: data has no value column besides the time {time!r}; give "
            "it the series' values."
        )
    meta_time = _meta_time(data, time, freq, owner)
    target = columns[0]
    if future is not None:
        target = _check_future(data, future, time, columns, owner)
    elif len(columns) > 1:
        raise ValueError(
            f"{owner}: data has the value columns {columns}. Feeding predictions "
            "back needs the future values of all but the target: give them as "
            "future=... (a Dask DataFrame like data with the covariates' future "
            "rows), or select the target column and the time only."
        )
    return _Layout(tuple(data.divisions), time, columns, target, freq, meta_time)


def _check_divisions(data, owner):
    """No series split across partitions, as the divisions tell."""
    if isinstance(data.index.dtype, pd.api.types.DatetimeTZDtype) or (
        data.index.name is None and pd.api.types.is_integer_dtype(data.index.dtype)
    ):
        raise ValueError(
            f"{owner}: the index of data holds no series ids (an unnamed "
            f"{data.index.dtype} index, such as a fresh table's row numbers). "
            "Index the long table by series id first: "
            "data = data.set_index('series')."
        )
    if not data.known_divisions:
        raise ValueError(
            f"{owner}: the divisions of data are unknown, so nothing shows that "
            "each series lies in one partition. Index by series with "
            "data.set_index('series') (sorted=True if the table is already "
            "sorted by series), or read parquet files holding whole series with "
            "dd.read_parquet(..., index='series', calculate_divisions=True)."
        )
    divisions = data.divisions
    for i in range(1, len(divisions) - 1):
        if not divisions[i - 1] < divisions[i]:
            raise ValueError(
                f"{owner}: series {divisions[i]!r} may be split across partitions "
                f"{i - 1} and {i} (divisions {divisions[i - 1]!r}, "
                f"{divisions[i]!r}); every series must lie in one partition. "
                "Repartition by series: data.reset_index().set_index('series'), "
                "or data.repartition(divisions=...) with strictly increasing "
                "divisions."
            )


def _meta_time(data, time, freq, owner):
    """An empty column with the dtype each partition's time labels come out in."""
    dtype = data[time].dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        if freq is None:
            raise ValueError(
                f"{owner}: the time column {time!r} holds dates; give their "
                "frequency as freq=... ('M', 'Q', 'D', ...), so that every "
                "partition turns them into the same periods (one partition "
                "alone could infer another)."
            )
        probe = pd.DataFrame(
            {"s": ["a"], "t": pd.DatetimeIndex(["2000-01-01"]), "v": [0.0]}
        )
        times = to_panel(probe, series="s", time="t", value="v", freq=freq).index
        return pd.Series([], dtype=times.levels[1].dtype, name=time)
    if isinstance(dtype, pd.PeriodDtype) or (
        pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    ):
        if freq is not None and not isinstance(dtype, pd.PeriodDtype):
            raise ValueError(
                f"{owner}: freq={freq!r} applies to dates, but the time column "
                f"{time!r} holds {dtype} values. Leave freq=None."
            )
        return pd.Series([], dtype=dtype, name=time)
    raise TypeError(
        f"{owner}: the time column {time!r} holds {dtype} values; it must hold "
        "integers, periods or dates. Parse dates written as strings first: "
        f"data[{time!r}] = dd.to_datetime(data[{time!r}])."
    )


def _check_future(data, future, time, columns, owner):
    """The future covariates: partitioned like data; returns the target."""
    if not isinstance(future, dd.DataFrame):
        raise TypeError(
            f"{owner}: future must be a Dask DataFrame partitioned like data; got "
            f"{type(future).__name__}."
        )
    if not future.known_divisions or tuple(future.divisions) != tuple(data.divisions):
        raise ValueError(
            f"{owner}: future must have the divisions of data, so that each "
            "partition meets its series' future rows. Index it by series and "
            "repartition it: future.set_index('series').repartition("
            "divisions=data.divisions)."
        )
    given = [name for name in future.columns if name != time]
    missing = [name for name in columns if name not in given]
    if time not in future.columns or len(missing) != 1:
        raise ValueError(
            f"{owner}: future must hold the time column {time!r} and every "
            f"value column of data except the target (data has {columns}, future "
            f"{list(future.columns)})."
        )
    return missing[0]


def _check_bounds(part, layout, info, owner):
    """Refuse a partition holding a series its divisions give another one.

    The divisions can claim what the data do not hold: parquet files whose
    series overlap get divisions from their statistics, so a series that
    spans two files ends the first partition and starts the next. Checked
    as each partition is read (the metadata cannot show it).
    """
    if info is None or not len(part):
        return
    number, divisions = info["number"], layout.divisions
    low, high = divisions[number], divisions[number + 1]
    last = number + 1 == len(divisions) - 1
    ids = part.index
    outside = (ids < low) | ((ids > high) if last else (ids >= high))
    if outside.any():
        series = ids[np.flatnonzero(outside)[0]]
        raise ValueError(
            f"{owner}: partition {number} holds series {series!r}, outside its "
            f"divisions [{low!r}, {high!r}{']' if last else ')'}: that series is "
            "split across partitions (parquet files whose series overlap do "
            "this). Every series must lie in one partition: "
            "data.reset_index().set_index('series'), or write each series to "
            "one file."
        )


def _partition_panel(part, layout, columns):
    """A partition (indexed by series) as a sorted panel of ``columns``."""
    series = part.index.name
    long = part.reset_index()
    value = columns[0] if len(columns) == 1 else list(columns)
    panel = to_panel(
        long, series=long.columns[0], time=layout.time, value=value, freq=layout.freq
    )
    return panel.rename_axis([series, layout.time])


def _ship(estimator):
    """The estimator as one task of the graph, computed once per worker."""
    return dask.delayed(
        estimator, name=f"sklstm-model-{uuid.uuid4().hex}", traverse=False
    )


def _forecast_partition(
    part, future, estimator, layout, steps, interval, meta, partition_info=None
):
    _check_bounds(part, layout, partition_info, "sklstm.dask.forecast")
    if len(part) == 0:
        return meta
    panel = _partition_panel(part, layout, layout.columns)
    if future is not None:
        covariates = [name for name in layout.columns if name != layout.target]
        future = _partition_panel(future, layout, covariates)
    result = _forecast(estimator, panel, steps, future=future, interval=interval)
    if isinstance(result, pd.Series):
        result = result.to_frame()
    return result.reset_index(level=1)


@validate_params(
    {
        "estimator": [HasMethods(["predict"])],
        "data": [dd.DataFrame],
        "steps": [PositiveInt()],
        "time": [object],
        "future": [dd.DataFrame, None],
        "interval": [IntervalLevels(), None],
        "freq": [object],
    },
    prefer_skip_nested_validation=True,
)
def forecast(
    estimator, data, steps, *, time="time", future=None, interval=None, freq=None
):
    """Forecast every series of a partitioned long table, partition by partition.

    The Dask counterpart of :func:`sklstm.forecast`: each partition becomes
    a panel (:func:`sklstm.to_panel`) and is forecast in one call of
    :func:`sklstm.forecast` on a worker, with the model shipped to each
    worker once. The forecasts equal those of
    ``sklstm.forecast(estimator, to_panel(long, ...), steps)`` in process
    (to float32 rounding: a partition's predict may batch differently).

    Parameters
    ----------
    estimator : fitted regressor
        As for :func:`sklstm.forecast`: fitted on ``make_supervised`` of a
        panel (a :func:`~sklstm.make_global_forecaster` model, say); a
        :class:`~sklstm.ConformalForecaster` for intervals.
    data : dask.dataframe.DataFrame
        The long table: indexed by series id with known divisions, no series
        split across partitions (see the module's docstring for how to get
        there), a time column and the value columns the model was fitted on.
    steps : int
        Values forecast per series.
    time : hashable, default="time"
        The column holding the times.
    future : dask.dataframe.DataFrame or None, default=None
        Known future values of the covariates, a long table like ``data``
        with the same divisions, holding every value column but the target
        (which is how the target is told apart).
    interval : float, list of float or None, default=None
        Nominal coverage of prediction intervals, as for
        :func:`sklstm.forecast`.
    freq : str or None, default=None
        Frequency of dates in the time column (``"M"``, ``"D"``, ...);
        required for dates, since each partition converts them to periods.

    Returns
    -------
    forecasts : dask.dataframe.DataFrame
        Lazy, with the divisions of ``data``: indexed by series, the time
        column (the labels after each series' end) and the forecast, named
        like the target, or ``forecast``, ``lower`` and ``upper`` (``lower_80``,
        ... for several levels) with ``interval``.

    See Also
    --------
    sklstm.forecast : The same forecast of a pandas panel, in process.
    check_partitions : The checks made before any work starts.

    Examples
    --------
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from sklstm import PersistenceRegressor, make_supervised, to_panel
    >>> from sklstm.dask import forecast
    >>> long = pd.DataFrame({"series": ["a"] * 3 + ["b"] * 3,
    ...                      "time": [0, 1, 2] * 2,
    ...                      "y": [1.0, 2.0, 3.0, 10.0, 20.0, 30.0]})
    >>> panel = to_panel(long, series="series", time="time", value="y")
    >>> model = PersistenceRegressor().fit(*make_supervised(panel))
    >>> data = dd.from_pandas(long.set_index("series"), npartitions=2)
    >>> future = forecast(model, data, steps=2)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     future.compute()  # doctest: +NORMALIZE_WHITESPACE
            time     y
    series
    a          3   3.0
    a          4   3.0
    b          3  30.0
    b          4  30.0
    """
    layout = _check(data, estimator, time, freq, "sklstm.dask.forecast", future)
    levels = None if interval is None else interval_levels(interval)
    if levels is not None and not _has_intervals(estimator):
        raise ValueError(
            "sklstm.dask.forecast(..., interval=...) needs an estimator "
            "calibrated for intervals (one with prediction_interval): fit "
            "sklstm.ConformalForecaster(estimator, steps=...) instead."
        )
    meta = _forecast_meta(data, layout, levels)
    if future is not None:
        future = future[[layout.time, *_covariates(layout)]]
    return dd.map_partitions(
        _forecast_partition,
        data[[layout.time, *layout.columns]],
        future,
        _ship(estimator),
        layout,
        steps,
        interval,
        meta,
        meta=meta,
        align_dataframes=False,
    )


def _covariates(layout):
    return [name for name in layout.columns if name != layout.target]


def _has_intervals(estimator):
    """Whether ``estimator`` (or the search result it delegates to) has bounds."""
    while estimator is not None:
        if callable(getattr(estimator, "prediction_interval", None)):
            return True
        estimator = getattr(estimator, "best_estimator_", None)
    return False


def _forecast_meta(data, layout, levels):
    index = data._meta.index[:0]
    names = (
        [layout.target]
        if levels is None
        else ["forecast"]
        + [
            f"{side}{'' if len(levels) == 1 else f'_{level * 100:g}'}"
            for level in levels
            for side in ("lower", "upper")
        ]
    )
    columns = {layout.time: layout.meta_time.to_numpy()}
    columns.update({name: np.array([], dtype=np.float64) for name in names})
    return pd.DataFrame(columns, index=index)


_METHODS = ("sklstm", "persistence", "seasonal naive", "drift")


def _naive(history, layout, steps, season_length):
    """Persistence, seasonal naive and drift forecasts, (n_series, steps) each."""
    last = history[layout.starts + layout.lengths - 1]
    first = history[layout.starts]
    ahead = np.arange(1, steps + 1)
    methods = {"persistence": np.repeat(last[:, np.newaxis], steps, axis=1)}
    if season_length is not None:
        back = season_length - (ahead - 1) % season_length  # rows before the end
        rows = (layout.starts + layout.lengths)[:, np.newaxis] - back
        seasonal = history[np.maximum(rows, 0)]
        seasonal[(layout.lengths < season_length)] = np.nan
        methods["seasonal naive"] = seasonal
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(layout.lengths > 1, (last - first) / (layout.lengths - 1), 0.0)
    methods["drift"] = last[:, np.newaxis] + slope[:, np.newaxis] * ahead
    return methods


def _backtest_partition(
    part, estimator, layout, steps, n_origins, season_length, partition_info=None
):
    """Forecasts from each origin of every series of one partition."""
    _check_bounds(part, layout, partition_info, "sklstm.dask.backtest")
    meta = _backtest_meta(part, layout, season_length)
    if len(part) == 0:
        return meta
    panel = _partition_panel(part, layout, layout.columns)
    shape = check_panel(panel)
    values = panel.to_numpy(dtype=np.float64)
    times = panel.index.get_level_values(1)
    needed = rows_needed(estimator)
    frames = []
    for origin in range(1, n_origins + 1):
        cut = origin * steps
        kept = shape.lengths - cut >= needed
        if not kept.any():
            continue
        rows = shape.positions < np.repeat(shape.lengths - cut, shape.lengths)
        rows &= np.repeat(kept, shape.lengths)
        history = panel[rows]
        point = _forecast(estimator, history, steps)
        sub = check_panel(history)
        actual_rows = (shape.starts + shape.lengths - cut)[kept][:, np.newaxis]
        actual_rows = actual_rows + np.arange(steps)
        known = history.to_numpy(dtype=np.float64)
        methods = {
            "sklstm": np.asarray(point, dtype=np.float64).reshape(-1, steps),
            **_naive(known, sub, steps, season_length),
        }
        scale = naive_scale(known, sub, season_length or 1, fallback_lag=1, default=1.0)
        n = int(kept.sum())
        frame = pd.DataFrame(
            {
                layout.time: times[actual_rows.ravel()],
                "origin": np.full(n * steps, origin),
                "step": np.tile(np.arange(1, steps + 1), n),
                "actual": values[actual_rows.ravel()],
                **{name: method.ravel() for name, method in methods.items()},
                "scale": np.repeat(scale, steps),
            },
            index=pd.Index(sub.series.repeat(steps), name=part.index.name),
        )
        frames.append(frame)
    if not frames:
        return meta
    return pd.concat(frames)[list(meta.columns)]


def _backtest_meta(data, layout, season_length):
    meta = data._meta if isinstance(data, dd.DataFrame) else data
    methods = [m for m in _METHODS if season_length is not None or "season" not in m]
    columns = {
        layout.time: layout.meta_time.to_numpy(),
        "origin": np.array([], dtype=np.int64),
        "step": np.array([], dtype=np.int64),
        "actual": np.array([], dtype=np.float64),
    }
    columns.update({name: np.array([], dtype=np.float64) for name in methods})
    columns["scale"] = np.array([], dtype=np.float64)
    return pd.DataFrame(columns, index=meta.index[:0])


def _partial_sums(table, methods, steps):
    """Sums of squared, absolute and scaled errors per method, and counts."""
    rows = {}
    for name in methods:
        error = table["actual"].to_numpy() - table[name].to_numpy()
        usable = np.isfinite(error)
        error = error[usable]
        rows[name] = {
            "squared": float(np.sum(error**2)),
            "absolute": float(np.sum(np.abs(error))),
            "scaled": float(np.sum(np.abs(error) / table["scale"].to_numpy()[usable])),
            "n": float(usable.sum()),
        }
    sums = pd.DataFrame.from_dict(rows, orient="index")
    sums["forecasts"] = len(table) / steps
    return sums


@validate_params(
    {
        "estimator": [HasMethods(["predict"])],
        "data": [dd.DataFrame],
        "steps": [PositiveInt()],
        "time": [object],
        "n_origins": [PositiveInt()],
        "season_length": [Interval(Integral, 1, None, closed="left"), None],
        "freq": [object],
    },
    prefer_skip_nested_validation=True,
)
def backtest(
    estimator, data, steps, *, time="time", n_origins=3, season_length=None, freq=None
):
    """Backtest a fitted model over every series of a partitioned long table.

    For each series and origin (the last ``steps`` values held out, then the
    ``steps`` before them, up to ``n_origins``), the fitted model forecasts
    the held-out values from the values before the origin, as
    :func:`sklstm.forecast` does, beside the naive forecasts that need no
    training (persistence, seasonal naive, drift). The model is not refitted
    per origin: it is the fitted (global) model you would deploy, shipped
    to each worker once. Errors are pooled over series, origins and steps.

    Parameters
    ----------
    estimator : fitted regressor
        As for :func:`forecast`.
    data : dask.dataframe.DataFrame
        The long table, laid out as for :func:`forecast`, with one value
        column (the series) besides the time.
    steps : int
        Values forecast from each origin.
    time : hashable, default="time"
        The column holding the times.
    n_origins : int, default=3
        Origins per series, the latest first; a series with fewer than the
        rows the model reads before an origin is left out of that origin.
    season_length : int or None, default=None
        Values per season: adds the seasonal naive baseline and scales MASE
        by the in-sample seasonal naive error (one-step otherwise).
    freq : str or None, default=None
        Frequency of dates in the time column, as for :func:`forecast`.

    Returns
    -------
    result : PartitionedBacktest
        ``scores`` (computed), ``forecasts`` (lazy), ``n_origins`` and
        ``n_forecasts``.

    See Also
    --------
    sklstm.backtest : Refits a recipe per origin on one series, in process.

    Examples
    --------
    >>> import dask
    >>> import dask.dataframe as dd
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm import PersistenceRegressor, make_supervised, to_panel
    >>> from sklstm.dask import backtest
    >>> long = pd.DataFrame({"series": np.repeat(["a", "b", "c"], 20),
    ...                      "time": np.tile(np.arange(20), 3),
    ...                      "y": np.tile(np.arange(20.0), 3)})
    >>> model = PersistenceRegressor().fit(
    ...     *make_supervised(to_panel(long, series="series", time="time", value="y")))
    >>> data = dd.from_pandas(long.set_index("series"), npartitions=2)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     result = backtest(model, data, steps=4)
    >>> result.scores.index.tolist(), result.n_forecasts
    (['sklstm', 'persistence', 'drift'], 9)
    >>> float(result.scores.loc["drift", "mae"])
    0.0
    """
    owner = "sklstm.dask.backtest"
    layout = _check(data, estimator, time, freq, owner, future=None)
    meta = _backtest_meta(data, layout, season_length)
    table = dd.map_partitions(
        _backtest_partition,
        data[[layout.time, *layout.columns]],
        _ship(estimator),
        layout,
        steps,
        n_origins,
        season_length,
        meta=meta,
        align_dataframes=False,
    )
    methods = [name for name in meta.columns if name in _METHODS]
    sums_meta = pd.DataFrame(
        {
            name: np.array([], dtype=np.float64)
            for name in ("squared", "absolute", "scaled", "n", "forecasts")
        }
    )
    sums = table.map_partitions(_partial_sums, methods, steps, meta=sums_meta).compute()
    total = sums.groupby(level=0, sort=False).sum().reindex(methods)
    scores = pd.DataFrame(
        {
            "rmse": np.sqrt(total["squared"] / total["n"]),
            "mae": total["absolute"] / total["n"],
            "mase": total["scaled"] / total["n"],
        }
    )
    return PartitionedBacktest(
        scores=scores,
        forecasts=table,
        n_origins=n_origins,
        n_forecasts=round(float(total["forecasts"].iloc[0])),
    )
