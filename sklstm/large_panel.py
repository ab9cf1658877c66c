"""Large panels: fit the global recipe without materialising its windows.

``model.fit(*make_supervised(panel, horizon))`` builds every window of every
series several times over (pandas frames between the pipeline's steps, the
``horizon`` columns of y, tensors); measured, about 14 bytes of memory per
byte of float32 windows. :func:`fit_panel` fits the same recipe
(:func:`~sklstm.make_global_forecaster`) from the panel itself: it holds each
series' (seasonally adjusted) values once, as float32, and gathers each
batch's relative windows and targets from them while the network trains
(:meth:`~sklstm.LSTMRegressor.fit_stream`). The fitted model is the one
``fit`` gives, so :func:`~sklstm.forecast`, intervals and pickling work
unchanged. A panel stored as parquet files, each holding whole series, is
read file by file, never as one table.

numpy, pandas and scikit-learn only; pyarrow for parquet input.
"""

import glob
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import validate_data

from sklstm._relative import check_relative_values, to_relative
from sklstm._time_index import season_positions
from sklstm._validation import (
    PositiveInt,
    check_finite,
    check_nonnegative,
    target_position,
)
from sklstm.ensemble import EnsembleRegressor
from sklstm.intervals import ConformalForecaster
from sklstm.panel import PanelLayout, check_panel, is_panel, to_panel
from sklstm.preprocessing import RelativeWindower, To3D
from sklstm.seasonal import DeseasonalizedRegressor, seasonal_indices
from sklstm.target import RelativeTargetRegressor

__all__ = ["ArrayWindows", "PanelWindows", "fit_panel"]

# series handled at once while the values are prepared: bounds the float64
# scratch memory of the seasonal indices and the checks
SERIES_PER_GROUP = 1024


class ArrayWindows:
    """Windows and targets already in memory, as a source for ``fit_stream``.

    The simplest implementation of the protocol
    :meth:`~sklstm.LSTMRegressor.fit_stream` reads; :class:`PanelWindows`
    is the one that gathers windows from a panel's values.

    Parameters
    ----------
    X : ndarray of shape (n_samples, time_steps, n_features)
        Windows; NaN marks a missing step.
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.large_panel import ArrayWindows
    >>> windows = ArrayWindows(np.zeros((10, 4, 1)), np.arange(10.0))
    >>> windows.n_samples, windows.time_steps, windows.n_outputs
    (10, 4, 1)
    >>> [m.tolist() for m in windows.target_moments()]
    [[4.5], [2.8722813232690143]]
    """

    def __init__(self, X, y):
        self.X = X
        self.y = y

    @property
    def n_samples(self):
        """Number of windows."""
        return len(self.X)

    @property
    def time_steps(self):
        """Time steps per window."""
        return self.X.shape[1]

    @property
    def n_features(self):
        """Features per time step."""
        return self.X.shape[2]

    @property
    def n_outputs(self):
        """Target columns."""
        return 1 if np.ndim(self.y) == 1 else np.shape(self.y)[1]

    @property
    def y_ndim(self):
        """1 for a 1D y, 2 otherwise."""
        return np.ndim(self.y)

    @property
    def has_missing(self):
        """Whether any window has a missing (NaN) step."""
        return bool(np.isnan(self.X).any())

    def target_moments(self):
        """Mean and standard deviation of each target column.

        Returns
        -------
        mean, std : ndarray of shape (n_outputs,)
        """
        y = np.asarray(self.y, dtype=np.float64).reshape(len(self.y), -1)
        return y.mean(axis=0), y.std(axis=0)

    def gather(self, rows):
        """The windows and targets of the samples ``rows``.

        Parameters
        ----------
        rows : ndarray of int
            Sample numbers.

        Returns
        -------
        X : ndarray of shape (len(rows), time_steps, n_features)
        y : ndarray of shape (len(rows), n_outputs)
        """
        return self.X[rows], np.asarray(self.y).reshape(len(self.y), -1)[rows]


class _Moments:
    """Mean and variance per column, merged group by group (Chan et al.)."""

    def __init__(self, n_columns):
        self.count = 0
        self.mean = np.zeros(n_columns)
        self.m2 = np.zeros(n_columns)

    def add(self, values):
        n = len(values)
        if not n:
            return
        mean = values.mean(axis=0)
        m2 = ((values - mean) ** 2).sum(axis=0)
        total = self.count + n
        delta = mean - self.mean
        self.mean = self.mean + delta * n / total
        self.m2 = self.m2 + m2 + delta**2 * self.count * n / total
        self.count = total

    def result(self):
        return self.mean, np.sqrt(self.m2 / max(self.count, 1))


class PanelWindows:
    """The relative windows and targets of a panel, gathered on demand.

    Holds one float32 value per row of the panel (seasonally adjusted when
    the recipe deseasonalises) and, per series, where it starts and how
    many samples it gives. Sample ``i`` is the row at time t of some series
    (series after series, t in order, as ``make_supervised`` orders its
    rows): its window holds the ``look_back`` values up to t relative to the
    value at t (NaN before the series starts), its target the ``horizon``
    values after t relative to the same value.

    Built by :func:`fit_panel`; one set of values serves windows of any
    ``look_back`` (:meth:`with_look_back`).

    Parameters
    ----------
    values : ndarray of float32, shape (n_rows,)
        Every row of every series, series after series.
    starts : ndarray of int64, shape (n_series,)
        Position of each series' first row in ``values``.
    n_samples : ndarray of int64, shape (n_series,)
        Samples of each series: its rows with ``horizon`` rows after them.
    look_back, horizon : int
        Steps per window and per target.
    kind : str
        How values are made relative (see :class:`~sklstm.RelativeWindower`).
    moments : tuple of ndarray
        Mean and standard deviation of each target column over all samples.
    y_ndim : int
        1 when the recipe answers one step (a 1D y), 2 otherwise.
    """

    def __init__(
        self, values, starts, n_samples, look_back, horizon, kind, moments, y_ndim
    ):
        self.values = values
        self.starts = starts
        self.n_samples_per_series = n_samples
        self.look_back = look_back
        self.horizon = horizon
        self.kind = kind
        self.moments = moments
        self.y_ndim = y_ndim
        self._sample_ends = np.cumsum(n_samples)

    def with_look_back(self, look_back):
        """The same samples with windows of ``look_back`` steps.

        Parameters
        ----------
        look_back : int
            Steps per window.

        Returns
        -------
        windows : PanelWindows
            Sharing this one's arrays.
        """
        return PanelWindows(
            self.values,
            self.starts,
            self.n_samples_per_series,
            look_back,
            self.horizon,
            self.kind,
            self.moments,
            self.y_ndim,
        )

    @property
    def n_samples(self):
        """Number of samples (windows) in all."""
        return int(self._sample_ends[-1]) if len(self._sample_ends) else 0

    @property
    def time_steps(self):
        """Steps per window (``look_back``)."""
        return self.look_back

    @property
    def n_features(self):
        """One feature per step: the series' value."""
        return 1

    @property
    def n_outputs(self):
        """Target columns (``horizon``)."""
        return self.horizon

    @property
    def has_missing(self):
        """Whether any window reaches before its series' start (NaN steps)."""
        return self.look_back > 1 and self.n_samples > 0

    def target_moments(self):
        """Mean and standard deviation of each target column over all samples.

        Returns
        -------
        mean, std : ndarray of shape (horizon,)
        """
        return self.moments

    def gather(self, rows):
        """The windows and targets of the samples numbered ``rows``.

        Parameters
        ----------
        rows : ndarray of int
            Sample numbers, ``0 .. n_samples - 1``.

        Returns
        -------
        X : ndarray of float32, shape (len(rows), look_back, 1)
            Relative windows; NaN for steps before the series' start.
        y : ndarray of float64, shape (len(rows), horizon)
            Relative targets.
        """
        rows = np.asarray(rows, dtype=np.int64)
        series = np.searchsorted(self._sample_ends, rows, side="right")
        first = self._sample_ends[series] - self.n_samples_per_series[series]
        start = self.starts[series]
        now = start + rows - first  # the row at t
        steps = now[:, np.newaxis] + np.arange(1 - self.look_back, 1)
        missing = steps < start[:, np.newaxis]
        window = self.values[np.where(missing, now[:, np.newaxis], steps)]
        level = self.values[now][:, np.newaxis]
        X = to_relative(window, level, self.kind)
        X[missing] = np.nan
        future = self.values[now[:, np.newaxis] + np.arange(1, self.horizon + 1)]
        y = to_relative(future, level, self.kind)
        return X.astype(np.float32)[:, :, np.newaxis], y


# ---------------------------------------------------------------- the recipe
class _Member:
    """One network of the recipe, opened: its wrappers and pipeline steps."""

    def __init__(self, model):
        self.model = model
        self.deseasonalizer = None
        inner = model
        if isinstance(inner, DeseasonalizedRegressor):
            self.deseasonalizer = inner
            inner = inner.regressor
        if not isinstance(inner, RelativeTargetRegressor) or not isinstance(
            inner.regressor, Pipeline
        ):
            _refuse(model)
        self.relative = inner
        steps = [step for _, step in inner.regressor.steps]
        if len(steps) != 3 or not (
            isinstance(steps[0], RelativeWindower) and isinstance(steps[1], To3D)
        ):
            _refuse(model)
        from sklstm.estimators import LSTMRegressor

        if not isinstance(steps[2], LSTMRegressor):
            _refuse(model)
        self.windower = steps[0]
        steps[2]._validate_params()
        if steps[2].stateful:
            raise ValueError(
                "fit_panel draws windows from anywhere in the panel, so the "
                "network cannot carry state from one sample to the next: build "
                "the recipe with stateful=False."
            )
        if self.windower.kind != inner.kind:
            raise ValueError(
                "fit_panel: the recipe's windows and target are relative in "
                f"different ways (RelativeWindower kind={self.windower.kind!r}, "
                f"RelativeTargetRegressor kind={inner.kind!r}). Build it with "
                "make_global_forecaster(change=...), which uses one kind for both."
            )

    @property
    def settings(self):
        """What the prepared values depend on: members that agree share them."""
        d = self.deseasonalizer
        return (
            self.relative.kind,
            None if d is None else (d.season_length, d.test),
        )


def _refuse(model):
    raise ValueError(
        "fit_panel fits the recipe of sklstm.make_global_forecaster (a "
        "DeseasonalizedRegressor or RelativeTargetRegressor around a Pipeline of "
        "RelativeWindower, To3D and LSTMRegressor, or an EnsembleRegressor of "
        f"them); got {type(model).__name__} built otherwise (season_features=True "
        "adds a step it does not support). Fit such a model with "
        "model.fit(*make_supervised(panel, horizon)), or build it with "
        "make_global_forecaster(season_features=False)."
    )


def _members(estimator):
    """The recipe's networks: ``[(name, _Member)]``; checked before any work."""
    if isinstance(estimator, EnsembleRegressor):
        return [
            (name, _Member(clone(member)))
            for name, member in estimator.estimators
            if member != "drop"
        ]
    return [(None, _Member(estimator))]


# ------------------------------------------------------------------ the data
def _is_parquet(panel):
    if isinstance(panel, str | os.PathLike):
        return True
    return (
        isinstance(panel, list | tuple)
        and len(panel) > 0
        and all(isinstance(p, str | os.PathLike) for p in panel)
    )


def _parquet_files(panel):
    """The parquet files a path, glob, directory or list of them names, sorted."""
    items = [panel] if isinstance(panel, str | os.PathLike) else list(panel)
    files = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(path.glob("*.parquet")))
        elif any(ch in str(item) for ch in "*?["):
            files.extend(Path(p) for p in sorted(glob.glob(str(item))))
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(
                f"fit_panel: no such file or directory: {str(item)!r}. Give a "
                "parquet file, a directory of them, a glob ('panel/*.parquet') "
                "or a list of files."
            )
    if not files:
        raise ValueError(
            f"fit_panel: {panel!r} names no parquet files. Give a directory "
            "holding *.parquet files, a glob or a list of files."
        )
    return files


def _parquet_groups(files, series, time, value):
    """Each file as a panel: (total rows, generator of panels)."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is installed in tests
        raise ImportError(
            'fit_panel reads parquet files with pyarrow: pip install "sklstm[parquet]".'
        ) from exc
    if series is None or time is None or value is None:
        raise ValueError(
            "fit_panel: a parquet panel is a long table; name its columns with "
            "series=..., time=... and value=... (e.g. series='id', "
            "time='month', value='sales')."
        )
    total = 0
    for path in files:
        columns = pq.ParquetFile(path).schema_arrow.names
        missing = [c for c in (series, time, value) if c not in columns]
        if missing:
            raise ValueError(
                f"fit_panel: the parquet file {str(path)!r} has no column "
                f"{missing}; its columns are {columns}. Name the series, time "
                "and value columns with series=, time= and value=."
            )
        total += pq.ParquetFile(path).metadata.num_rows

    def groups():
        seen = set()
        for path in files:
            table = pq.read_table(path, columns=[series, time, value]).to_pandas()
            group = to_panel(table, series=series, time=time, value=value)
            del table
            ids = group.index.levels[0][np.unique(group.index.codes[0])]
            again = seen.intersection(ids)
            if again:
                raise ValueError(
                    f"fit_panel: series {sorted(again, key=str)[:5]} appear in "
                    f"more than one parquet file ({str(path)!r} and an earlier "
                    "one). Each file must hold whole series: bucket the rows "
                    "by series when writing (see the Large panels guide)."
                )
            seen.update(ids)
            yield group

    return total, groups()


def _memory_groups(panel, series, time, value):
    """An in-memory panel as groups of whole series: (total rows, generator)."""
    if not is_panel(panel):
        if isinstance(panel, pd.DataFrame) and series is not None and time is not None:
            panel = to_panel(panel, series=series, time=time, value=value)
        else:
            check_panel(panel, "fit_panel")  # raises, naming the fix
    if isinstance(panel, pd.DataFrame):
        if value is not None:
            panel = panel[value]
        elif panel.shape[1] == 1:
            panel = panel.iloc[:, 0]
        else:
            raise ValueError(
                f"fit_panel: the panel has {panel.shape[1]} columns "
                f"{list(panel.columns)}; the large-panel path models one series "
                "per id without covariates. Name the column with value=..., or "
                "fit a model with covariates with model.fit(*make_supervised(...))."
            )
    layout = check_panel(panel, "fit_panel")

    def groups():
        for first in range(0, len(layout.starts), SERIES_PER_GROUP):
            last = min(first + SERIES_PER_GROUP, len(layout.starts)) - 1
            yield panel.iloc[layout.starts[first] : layout.ends[last]]

    return len(panel), groups()


def _split(groups):
    """Each group in pieces of at most ``SERIES_PER_GROUP`` whole series."""
    for group in groups:
        layout = check_panel(group, "fit_panel")
        if len(layout.starts) <= SERIES_PER_GROUP:
            yield group
            continue
        for first in range(0, len(layout.starts), SERIES_PER_GROUP):
            last = min(first + SERIES_PER_GROUP, len(layout.starts)) - 1
            yield group.iloc[layout.starts[first] : layout.ends[last]]


class _Prepared:
    """The panel's values prepared for one kind of member (see ``_prepare``)."""

    def __init__(self, total, horizon):
        self.values = np.empty(total, dtype=np.float32)
        self.filled = 0
        self.starts, self.n_samples = [], []
        self.moments = _Moments(horizon)
        self.series, self.indices, self.seasonal = [], [], []
        self.tails = []
        self.name = None
        self.index_names = None


def _prepare(groups, total, horizon, member, look_back):
    """Check every series and keep its (adjusted) values as float32.

    Returns a :class:`_Prepared`: the values, each series' start and sample
    count, the target moments, the seasonal indices (deseasonalising
    members) and the last ``look_back`` rows of each series' training rows,
    adjusted (what the fitted windower remembers).
    """
    kind = member.relative.kind
    d = member.deseasonalizer
    out = _Prepared(total, horizon)
    too_short = []
    for group in _split(groups):
        group = group.astype(np.float64) if group.dtype != np.float64 else group
        layout = check_panel(group, "fit_panel")
        if out.name is None:
            out.name = group.name if group.name is not None else 0
            out.index_names = list(group.index.names)
        keep = layout.lengths > horizon
        if not keep.all():
            too_short.extend(layout.series[~keep].tolist())
            rows = np.repeat(keep, layout.lengths)
            group = group[rows]
            if not len(group):
                continue
            layout = check_panel(group, "fit_panel")
        values = group.to_numpy(dtype=np.float64)
        check_finite(
            values,
            "fit_panel: the panel's values",
            "Fill the missing values (e.g. with interpolation) or drop those "
            "series before fitting.",
            index=group.index,
        )
        n_samples = layout.lengths - horizon
        positions = layout.positions
        training = positions < np.repeat(n_samples, layout.lengths)
        if d is not None:
            values = _deseasonalize(values, group, layout, n_samples, training, d, out)
        check_relative_values(
            values,
            kind,
            f"fit_panel (kind={kind!r}): the panel's values",
            index=group.index,
        )
        stored = values.astype(np.float32)
        out.values[out.filled : out.filled + len(stored)] = stored
        out.starts.append(out.filled + layout.starts)
        out.filled += len(stored)
        out.n_samples.append(n_samples)
        now = np.flatnonzero(training)
        level = stored[now].astype(np.float64)[:, np.newaxis]
        future = stored[now[:, np.newaxis] + np.arange(1, horizon + 1)]
        out.moments.add(to_relative(future, level, kind))
        tail = training & (
            positions >= np.repeat(n_samples - look_back, layout.lengths)
        )
        out.tails.append(pd.Series(values[tail], index=group.index[tail]))
    if too_short:
        warnings.warn(
            f"fit_panel: {len(too_short)} series have no more rows than "
            f"horizon={horizon} and give no (X, y) pair: {too_short[:5]}"
            + (" ..." if len(too_short) > 5 else "")
            + ". They are left out.",
            UserWarning,
            stacklevel=3,
        )
    if not out.starts:
        raise ValueError(
            f"fit_panel: no series has more rows than horizon={horizon}; there "
            "is nothing to train on. Use a smaller horizon or longer series."
        )
    out.values = out.values[: out.filled]
    return out


def _deseasonalize(values, group, layout, n_samples, training, d, out):
    """Divide each series by its seasonal indices, learned from its training rows."""
    m = d.season_length
    times = group.index.get_level_values(1)
    try:
        positions = season_positions(times, m)
    except ValueError as exc:
        raise ValueError(f"fit_panel: {exc}") from exc
    steps_on = np.mod(positions[1:] - positions[:-1], m) == 1 % m
    within = np.repeat(np.arange(len(layout.starts)), layout.lengths)
    same = within[1:] == within[:-1]
    if (same & ~steps_on).any():
        row = int(np.flatnonzero(same & ~steps_on)[0]) + 1
        raise ValueError(
            f"fit_panel: series {layout.series[within[row]]!r} skips times "
            f"({times[row - 1]} is followed by {times[row]}); the large-panel "
            "path reads the season from each row's place in its series. Fill "
            "the gaps (e.g. reindex to every period and interpolate) first."
        )
    target = values[training]
    check_nonnegative(
        target,
        "fit_panel: the panel's values",
        "Multiplicative seasonal indices need values >= 0; use "
        "make_global_forecaster(deseasonalize=False) for such a panel.",
        index=group.index[training],
    )
    fitted = PanelLayout(
        layout.series, np.concatenate([[0], np.cumsum(n_samples)[:-1]]), n_samples
    )
    indices, seasonal = seasonal_indices(
        target, fitted, positions[training], m, test=d.test
    )
    out.series.append(layout.series)
    out.indices.append(indices)
    out.seasonal.append(seasonal)
    return values / indices[within, positions]


# -------------------------------------------------------------------- fitting
def fit_panel(estimator, panel, horizon=1, *, series=None, time=None, value=None):
    """Fit a global recipe on a panel without materialising its windows.

    Fits ``estimator`` (built by :func:`~sklstm.make_global_forecaster`)
    exactly as ``estimator.fit(*make_supervised(panel, horizon))`` does,
    for panels too large for that: the panel's values are held once, as
    float32 (seasonally adjusted per series when the recipe deseasonalises),
    and each batch's windows and targets are gathered from them while the
    network trains. The fitted estimator is the one ``fit`` gives:
    :func:`~sklstm.forecast`, intervals and pickling work as usual.

    Parameters
    ----------
    estimator : estimator
        A recipe of :func:`~sklstm.make_global_forecaster` (one network, or
        an ensemble of them), without ``season_features``. Fitted in place.
    panel : Series, DataFrame, str, path or list of paths
        The panel: a Series (or one-column DataFrame) indexed by
        ``(series, time)`` (see :func:`~sklstm.to_panel`); a long DataFrame
        with ``series=``, ``time=`` and ``value=`` naming its columns; or
        parquet files (a file, a directory of ``*.parquet`` files, a glob,
        or a list of files) holding a long table, each file whole series.
        Parquet files are read one at a time.
    horizon : int, default=1
        Steps each window's target holds, as in
        :func:`~sklstm.make_supervised`.
    series, time, value : str or None, default=None
        The columns of a long table (required for parquet input); ``value``
        alone picks the column of a panel DataFrame.

    Returns
    -------
    estimator : estimator
        ``estimator``, fitted.

    See Also
    --------
    sklstm.make_global_forecaster : The recipe it fits.
    sklstm.forecast : Forecast with the fitted recipe.

    Notes
    -----
    The batches are ``fit``'s, shuffled or not: the same windows, in the
    same order (one NumPy permutation per epoch, seeded by the network's
    ``random_state``, drawn the same way by both paths), so the fitted
    weights equal ``fit``'s within float32 rounding. Memory beyond the
    input: 4 bytes per value, a 4-byte sample number per window (the
    epoch's order) and one batch.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm import fit_panel, forecast, make_global_forecaster
    >>> rng = np.random.default_rng(0)
    >>> index = pd.MultiIndex.from_product(
    ...     [["a", "b", "c"], pd.period_range("2015-01", periods=60, freq="M")],
    ...     names=["store", "month"])
    >>> panel = pd.Series(100 + rng.random(180).cumsum(), index=index, name="sales")
    >>> model = make_global_forecaster(look_back=12, units=4, epochs=1,
    ...                                random_state=0)
    >>> model = fit_panel(model, panel, horizon=6)
    >>> forecast(model, panel, steps=6).shape
    (18,)
    """
    if not PositiveInt().is_satisfied_by(horizon):
        raise ValueError(
            "fit_panel: horizon must be a positive int (the steps each target "
            f"holds, as in make_supervised); got {horizon!r}."
        )
    estimator._validate_params()
    if isinstance(estimator, ConformalForecaster):
        return _fit_conformal(estimator, panel, horizon, series, time, value)
    members = _members(estimator)
    for _, member in members:
        for wrapper in (member.deseasonalizer, member.relative):
            if wrapper is not None:
                wrapper._validate_params()
        member.windower._validate_params()
    look_back = max(member.windower.look_back for _, member in members)
    if _is_parquet(panel):
        files = _parquet_files(panel)

        def source():
            return _parquet_groups(files, series, time, value)
    else:

        def source():
            return _memory_groups(panel, series, time, value)

    prepared = {}
    fitted = []
    for name, member in members:
        if member.settings not in prepared:
            total, groups = source()
            prepared[member.settings] = _prepare(
                groups, total, horizon, member, look_back
            )
        data = prepared[member.settings]
        _fit_member(member, data, horizon, look_back)
        fitted.append((name, member.model))
    if isinstance(estimator, EnsembleRegressor):
        from sklearn.utils import Bunch

        estimator.estimators_ = [model for _, model in fitted]
        estimator.named_estimators_ = Bunch(**dict(fitted))
        names = getattr(estimator.estimators_[0], "feature_names_in_", None)
        if names is not None:
            estimator.feature_names_in_ = names
    return estimator


def _fit_member(member, data, horizon, look_back):
    """Fit one network of the recipe, and its wrappers, from prepared values."""
    tails = pd.concat(data.tails)
    tails.index.names = data.index_names
    X_tail = tails.to_frame(name=data.name)
    position = target_position(
        X_tail, member.relative.target, "fit_panel", names=[data.name]
    )
    del position  # only checked: the one column is the target
    lb = member.windower.look_back
    if lb < look_back:  # the windower remembers its own look_back's rows
        keep = X_tail.groupby(level=0, sort=False).cumcount(ascending=False) < lb
        X_tail = X_tail[keep.to_numpy()]
    outer = member.model
    if member.deseasonalizer is not None:
        d = member.deseasonalizer
        validate_data(d, X_tail, skip_check_array=True)
        names = data.series[0].append(data.series[1:]).rename(data.index_names[0])
        d._keep_indices(
            names, np.concatenate(data.indices), np.concatenate(data.seasonal)
        )
        d.regressor_ = clone(d.regressor)
        relative = d.regressor_
    else:
        relative = outer
    validate_data(relative, X_tail, skip_check_array=True)
    relative.regressor_ = clone(relative.regressor)
    pipe = relative.regressor_
    windower, to3d, lstm = (step for _, step in pipe.steps)
    windower.fit(X_tail)
    to3d.fit(windower.transform(X_tail.iloc[:1]))
    windows = PanelWindows(
        data.values,
        np.concatenate(data.starts),
        np.concatenate(data.n_samples),
        lb,
        horizon,
        member.relative.kind,
        data.moments.result(),
        1 if horizon == 1 else 2,
    )
    lstm.fit_stream(windows)


def _fit_conformal(estimator, panel, horizon, series, time, value):
    """Calibrate a :class:`~sklstm.ConformalForecaster` with fit_panel's fits."""
    if _is_parquet(panel):
        raise ValueError(
            "fit_panel: ConformalForecaster backtests forecasts from every "
            "series' history, which needs the panel in memory; parquet files "
            "are read one at a time. Fit the recipe from the files with "
            "fit_panel, or load the panel (to_panel) to calibrate intervals."
        )
    total, groups = _memory_groups(panel, series, time, value)
    del total
    pieces = list(groups)
    whole = pd.concat(pieces) if len(pieces) > 1 else pieces[0]
    _members(estimator.estimator)  # refuse what fit_panel cannot fit, up front
    frame = whole.to_frame(name=whole.name if whole.name is not None else 0)
    validate_data(estimator, frame, skip_check_array=True)

    def fit_before(model, size):
        layout = check_panel(whole, "fit_panel")
        keep = layout.positions < np.repeat(layout.lengths - size, layout.lengths)
        return fit_panel(model, whole[keep], horizon)

    return estimator._backtest_and_fit(
        whole,
        horizon,
        fit_before=fit_before,
        fit_all=lambda model: fit_panel(model, whole, horizon),
    )
