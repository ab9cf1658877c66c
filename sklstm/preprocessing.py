"""Row-preserving windowing and reshaping for recurrent networks.

Everything here is numpy/pandas only (no TensorFlow). The transformers keep the
row count: output row ``t`` belongs to input row ``t`` and reads only rows up to
``t``, so they can sit in a stock scikit-learn ``Pipeline`` and be tuned with
``TimeSeriesSplit``.
"""

import warnings
from abc import ABCMeta, abstractmethod
from collections.abc import Hashable
from numbers import Integral, Number

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import StrOptions, validate_params
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from sklstm._relative import RELATIVE_KINDS, check_relative_values, to_relative
from sklstm._time_index import labels_after_ends, next_label
from sklstm._validation import (
    FloatDtype,
    PositiveInt,
    check_positive,
    check_table,
    reject_non_numeric_columns,
    target_position,
)
from sklstm.panel import check_panel, is_panel, series_layout

__all__ = [
    "Differencer",
    "LagWindower",
    "RelativeWindower",
    "To3D",
    "make_supervised",
    "to_3d",
]


class _RowHistoryTransformer(TransformerMixin, BaseEstimator, metaclass=ABCMeta):
    """Base for row-preserving transformers whose row t reads earlier rows.

    Subclasses say how many earlier rows one output row reads
    (:meth:`n_earlier_rows`, public: :func:`sklstm.forecast` reads it) and
    compute the output rows from the input laid out with that many rows of
    history in front of each series (``_transform_extended``). This base
    class owns the series and the pandas index memory: row t of a series
    reads only earlier rows of the same series (a panel, indexed
    ``(series, time)``, is windowed series by series without a Python loop
    over them); ``fit`` remembers the last rows of each series, and
    ``transform`` puts them in front of a series whose rows directly continue
    its fitted index. Everywhere else the missing history is NaN.
    """

    _owner_hint = (
        "Data already in windows of shape (samples, time_steps, features) goes "
        "straight to LSTMRegressor or LSTMClassifier; this step reads a 2D "
        "table of rows in time order."
    )

    @abstractmethod
    def n_earlier_rows(self):
        """How many rows before row t output row t reads."""

    @abstractmethod
    def _transform_extended(self, extended, rows):
        """The output rows for positions ``rows`` of ``extended``.

        ``extended`` holds input rows with at least ``n_earlier_rows()`` rows
        of their own series' history (remembered, or NaN) before each of the
        rows asked for; ``rows`` is a slice (one run of rows) or an array of
        positions.
        """

    # dtype the rows are read in; the output is cast to ``dtype`` at the end
    _input_dtype = None  # None: ``dtype`` itself

    def _validate_rows(self, X, reset):
        name = type(self).__name__
        check_table(X, name, hint_3d=self._owner_hint)
        reject_non_numeric_columns(X, name)
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=self.dtype if self._input_dtype is None else self._input_dtype,
            ensure_all_finite="allow-nan",
            ensure_min_samples=1,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Remember the input's shape, names and, for pandas, its last rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows in time order. A DataFrame carries time in its index; a
            panel (a DataFrame indexed by a ``(series, time)`` MultiIndex)
            holds many series, each remembered on its own.
        y : None
            Ignored; present for Pipeline compatibility.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        values = self._validate_rows(X, reset=True)
        layout = series_layout(
            X if isinstance(X, pd.DataFrame) else values, type(self).__name__
        )
        n_history = self.n_earlier_rows()
        self.series_ = layout.series if is_panel(X) else None
        if is_panel(X):
            self.history_ = self._last_rows(values, layout, n_history)
            self.continues_at_ = self._next_labels(X.index, layout)
        elif isinstance(X, pd.DataFrame) and n_history > 0:
            self.history_ = values[max(0, len(values) - n_history) :].copy()
            self.continues_at_ = next_label(X.index)
        else:
            self.history_ = np.empty((0, values.shape[1]), dtype=values.dtype)
            self.continues_at_ = None
        self._check_fitted_rows(int(layout.lengths.max()), is_panel(X))
        return self

    @staticmethod
    def _last_rows(values, layout, n_history):
        """(n_series, n_history, n_features): each series' last rows, NaN-padded."""
        positions = layout.ends[:, np.newaxis] - n_history + np.arange(n_history)
        missing = positions < layout.starts[:, np.newaxis]
        history = values[np.where(missing, 0, positions)] if len(values) else None
        history = np.asarray(history, dtype=values.dtype).reshape(
            len(layout.series), n_history, values.shape[1]
        )
        history[missing] = np.nan
        return history

    @staticmethod
    def _next_labels(index, layout):
        """The time label that directly follows each series, None if unknown."""
        following = labels_after_ends(
            index.get_level_values(1), layout.starts, layout.lengths, 1
        )
        if following is None:
            return pd.Index([None] * len(layout.series), dtype=object)
        return following[0]

    def _check_fitted_rows(self, longest, panel):
        """Say what is wrong with series of at most ``longest`` rows (nothing)."""

    def _continuing_series(self, X, layout):
        """Which series of X directly follow the rows seen in fit.

        Returns the positions of those series in ``layout`` and in the
        fitted memory (``history_``).
        """
        none = np.empty(0, dtype=np.int64)
        if not isinstance(X, pd.DataFrame) or self.continues_at_ is None:
            return none, none
        if (getattr(self, "series_", None) is not None) != is_panel(X):
            return none, none  # fitted on one series, given a panel, or back
        if not is_panel(X):
            try:
                follows = bool(X.index[0] == self.continues_at_)
            except (TypeError, ValueError):  # incomparable index types
                follows = False
            first = np.zeros(1, dtype=np.int64)
            return (first, first) if follows else (none, none)
        fitted = self.series_.get_indexer(layout.series)
        known = np.flatnonzero(fitted >= 0)
        firsts = X.index[layout.starts[known]].get_level_values(1)
        try:
            follows = np.asarray(firsts == self.continues_at_[fitted[known]], bool)
        except (TypeError, ValueError):  # incomparable index types
            return none, none
        return known[follows], fitted[known[follows]]

    def transform(self, X):
        """Transform rows; row t reads only rows t and before of its series.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows in time order. When X is a DataFrame whose first index label
            directly follows the last one seen in ``fit`` (as a
            ``TimeSeriesSplit`` test fold does), the missing history of its
            first rows is taken from the rows remembered in ``fit``. A panel
            is transformed series by series, each series using its own
            memory when its first label follows its fitted rows.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            One output row per input row.
        """
        check_is_fitted(self)
        values = self._validate_rows(X, reset=False)
        layout = series_layout(
            X if isinstance(X, pd.DataFrame) else values, type(self).__name__
        )
        series, memory = self._continuing_series(X, layout)
        starts, lengths = layout.starts, layout.lengths
        del layout  # its per-row codes are not needed below: free them
        n_history = self.n_earlier_rows()
        if not n_history:
            return self._transform_extended(values, slice(0, len(values)))
        history = np.full(
            (len(starts), n_history, values.shape[1]), np.nan, dtype=values.dtype
        )
        if len(series):
            fitted = self.history_ if is_panel(X) else self.history_[np.newaxis]
            history[series, n_history - fitted.shape[1] :] = fitted[memory]
        # every row as if the rows were one series, the first series' history
        # in front: one strided pass over the data ...
        extended = np.concatenate([history[0], values])
        out = self._transform_extended(extended, slice(n_history, None))
        del extended
        # ... then the first rows of the other series, which read rows before
        # their series' start, again from their own history
        self._redo_series_starts(out, values, starts[1:], lengths[1:], history[1:])
        return out

    # series whose first rows are redone per chunk: bounds the scratch memory
    _SERIES_PER_CHUNK = 1024

    def _redo_series_starts(self, out, values, starts, lengths, history):
        """Recompute the first rows of each series from its own history, in place.

        Each series becomes a block of its ``n_earlier_rows()`` history rows
        followed by its first rows (as many as it has, up to that count), and
        the output rows of those first rows are computed from the blocks.
        """
        n_history = self.n_earlier_rows()
        offsets = np.arange(n_history)
        for chunk in range(0, len(starts), self._SERIES_PER_CHUNK):
            firsts = starts[chunk : chunk + self._SERIES_PER_CHUNK]
            heads = offsets < lengths[chunk : chunk + len(firsts), np.newaxis]
            blocks = np.full(
                (len(firsts), 2 * n_history, values.shape[1]),
                np.nan,
                dtype=values.dtype,
            )
            blocks[:, :n_history] = history[chunk : chunk + len(firsts)]
            rows = (firsts[:, np.newaxis] + offsets)[heads]
            blocks[:, n_history:][heads] = values[rows]
            in_block = (
                np.arange(len(firsts))[:, np.newaxis] * 2 * n_history
                + n_history
                + offsets
            )[heads]
            out[rows] = self._transform_extended(
                blocks.reshape(-1, values.shape[1]), in_block
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = [np.dtype(self.dtype).name]
        return tags


class LagWindower(_RowHistoryTransformer):
    """Turn rows in time order into flat windows of the last ``look_back`` rows.

    Row ``t`` of the output holds input rows ``t-look_back+1 ... t``, oldest
    first, with the features of each row inside its time step. No row is
    dropped or added: rows without a full history get NaN for the missing time
    steps (the LSTM estimators mask those steps). No output value ever comes
    from a later row.

    With a pandas DataFrame, time lives in the index: ``fit`` remembers the
    last ``look_back - 1`` rows, and ``transform`` fills the history of rows
    that directly continue the fitted index (an integer index continues with
    its step, a ``PeriodIndex`` or ``DatetimeIndex`` with its frequency) from that
    memory, as a ``TimeSeriesSplit`` test fold needs. Never across a gap and
    never for rows that overlap the fitted ones. numpy input has no index, so
    its first rows are always NaN-padded: keep pandas output in the pipeline
    (``pipe.set_output(transform="pandas")``) when steps come before this one.

    A panel (a DataFrame indexed by a ``(series, time)`` MultiIndex, see
    :func:`sklstm.to_panel`) is windowed series by series: a window never
    reaches into another series, and each series has its own memory.

    Parameters
    ----------
    look_back : int, default=1
        Number of time steps per window (the current row included). ``fit``
        warns when the data have fewer rows than this: no window would have
        its full history.
    dtype : numpy dtype, default=np.float32
        Output dtype (floating point: missing history is NaN).

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Input column names, when ``X`` had string column names.
    history_ : ndarray of shape (<= look_back - 1, `n_features_in_`)
        The last rows seen in ``fit`` (pandas input only; empty otherwise).
        For a panel, ``(n_series, look_back - 1, n_features_in_)``: each
        series' last rows, NaN-padded in front.
    continues_at_ : object, Index or None
        The index label a ``transform`` input must start at to use
        ``history_``; None when the fitted index has no known successor. For
        a panel, one label per series.
    series_ : Index or None
        The series seen in ``fit``, in the order of ``history_`` (None unless
        fitted on a panel).

    See Also
    --------
    To3D : Reshape the flat windows to ``(samples, time_steps, features)``.
    make_supervised : Pair each row with the value(s) that follow it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LagWindower
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> LagWindower(look_back=2).fit_transform(X)
    array([[nan, nan,  0.,  1.],
           [ 0.,  1.,  2.,  3.],
           [ 2.,  3.,  4.,  5.],
           [ 4.,  5.,  6.,  7.],
           [ 6.,  7.,  8.,  9.]], dtype=float32)
    >>> LagWindower(look_back=2).fit(X).get_feature_names_out().tolist()
    ['x0_lag1', 'x1_lag1', 'x0_lag0', 'x1_lag0']
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "look_back": [PositiveInt()],
        "dtype": [FloatDtype()],
    }

    def __init__(self, look_back=1, *, dtype=np.float32):
        self.look_back = look_back
        self.dtype = dtype

    def n_earlier_rows(self):
        """How many rows before row t output row t reads: ``look_back - 1``.

        This is the protocol :func:`sklstm.forecast` uses to know how much
        history a fitted pipeline needs; any transformer whose row t reads
        earlier rows can implement it.

        Returns
        -------
        n_rows : int
            ``look_back - 1``.
        """
        return self.look_back - 1

    def _check_fitted_rows(self, longest, panel):
        if longest < self.look_back:
            rows = f"series of at most {longest}" if panel else f"{longest}"
            warnings.warn(
                f"LagWindower(look_back={self.look_back}) was fitted on {rows} "
                "rows, so no window has its full history (the missing steps are "
                "NaN). Use a smaller look_back or more rows; in a search, "
                "TimeSeriesSplit's first training fold is the shortest.",
                UserWarning,
                stacklevel=3,
            )

    def _transform_extended(self, extended, rows):
        # (len, look_back, n_features) read-only view of overlapping rows; the
        # window ending at position r starts at r - look_back + 1 ...
        windows = np.lib.stride_tricks.sliding_window_view(
            extended, self.look_back, axis=0
        ).transpose(0, 2, 1)
        # ... copied once into a writable output that shares no memory with X
        shift = self.look_back - 1
        if isinstance(rows, slice):
            stop = None if rows.stop is None else rows.stop - shift
            picked = np.array(windows[rows.start - shift : stop], order="C")
        else:
            picked = windows[rows - shift]
        return picked.reshape(len(picked), -1)

    def get_feature_names_out(self, input_features=None):
        """Names of the window columns, oldest time step first.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names; defaults to ``feature_names_in_`` or
            ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str
            ``{name}_lag{k}`` for k = look_back-1 down to 0 (lag0 is row t).
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return np.asarray(
            [
                f"{name}_lag{lag}"
                for lag in range(self.look_back - 1, -1, -1)
                for name in names
            ],
            dtype=object,
        )


class RelativeWindower(LagWindower):
    """Windows of the last ``look_back`` rows, the target relative to its last value.

    Like :class:`LagWindower` (same columns, same per-series memory), except
    that the ``target`` column of each window is expressed relative to its
    value at row t, the window's last row: ``log(x[t-k] / x[t])`` with
    ``kind="log_ratio"``, ``log((1 + x[t-k]) / (1 + x[t]))`` with
    ``"log1p_ratio"`` (for series that can be zero), ``x[t-k] - x[t]`` with
    ``"difference"``. Every window then starts from the same level, whatever
    the series' scale, so one network can learn from many series at once
    (a global model); :class:`~sklstm.RelativeTargetRegressor` with the same
    ``kind`` expresses the target relative to the same value. Other columns
    (covariates, season positions) are windowed unchanged.

    Parameters
    ----------
    look_back : int, default=1
        Number of time steps per window (the current row included).
    target : int or str, default=0
        The column of X holding the target's value (``make_supervised``
        keeps it), expressed relative to its last value: a position, or a
        name for DataFrame input.
    kind : {"log_ratio", "log1p_ratio", "ratio", "difference"}, \
default="log_ratio"
        How each value of the target column is expressed relative to the
        window's last one. ``log_ratio`` needs positive values,
        ``log1p_ratio`` values >= 0, ``ratio`` a nonzero last value.
    dtype : numpy dtype, default=np.float32
        Output dtype (floating point: missing history is NaN).

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Input column names, when ``X`` had string column names.
    history_ : ndarray
        The last rows seen in ``fit`` (pandas input only), as in LagWindower.
    continues_at_ : object or None
        The index label a ``transform`` input must start at to use ``history_``.

    See Also
    --------
    LagWindower : The same windows in the data's own units.
    sklstm.make_global_forecaster : The recipe built on this transformer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import RelativeWindower
    >>> X = np.array([[1.0], [2.0], [4.0], [40.0]])
    >>> RelativeWindower(look_back=2).fit_transform(X).round(3)
    array([[   nan,  0.   ],
           [-0.693,  0.   ],
           [-0.693,  0.   ],
           [-2.303,  0.   ]], dtype=float32)
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        **LagWindower._parameter_constraints,
        "target": [Integral, str],
        "kind": [StrOptions(set(RELATIVE_KINDS))],
    }

    # the ratios of large levels need float64 before the cast
    _input_dtype = np.float64

    def __init__(self, look_back=1, *, target=0, kind="log_ratio", dtype=np.float32):
        super().__init__(look_back, dtype=dtype)
        self.target = target
        self.kind = kind

    def _target_position(self):
        names = getattr(self, "feature_names_in_", None)
        return target_position(
            None,
            self.target,
            type(self).__name__,
            names=list(names) if names is not None else range(self.n_features_in_),
        )

    def _validate_rows(self, X, reset):
        values = super()._validate_rows(X, reset)
        check_relative_values(
            values[:, self._target_position()],
            self.kind,
            f"RelativeWindower(kind={self.kind!r}): the target column",
            index=getattr(X, "index", None),
        )
        return values

    def _transform_extended(self, extended, rows):
        flat = super()._transform_extended(extended, rows)
        windows = flat.reshape(len(flat), self.look_back, -1)
        column = self._target_position()
        with np.errstate(divide="ignore", invalid="ignore"):
            windows[:, :, column] = to_relative(
                windows[:, :, column], windows[:, -1:, column], self.kind
            )
        return windows.reshape(len(flat), -1).astype(self.dtype, copy=False)


class Differencer(_RowHistoryTransformer):
    """Change of each column from ``lag`` rows earlier, keeping every row.

    Row ``t`` of the output is ``x[t] - x[t-lag]`` (``log(x[t]) - log(x[t-lag])``
    with ``log=True``). Rows whose earlier row is missing get NaN. With a
    pandas DataFrame the last ``lag`` rows of ``fit`` are remembered and used
    for rows that directly continue the fitted index, exactly as in
    :class:`LagWindower`; a panel is differenced within each series.

    Parameters
    ----------
    lag : int, default=1
        How many rows back the change is taken (12 for a yearly change of a
        monthly series).
    log : bool, default=False
        Take the difference of logarithms (a relative change); every value
        must then be positive.
    dtype : numpy dtype, default=np.float32
        Output dtype (floating point). The changes are computed in float64
        and then cast, so a large level with small steps keeps its steps.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns differenced.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Their names, when ``X`` had string column names.
    history_ : ndarray of shape (<= lag, `n_features_in_`)
        The last rows seen in ``fit`` (pandas input only); per series for a
        panel, as in :class:`LagWindower`.
    continues_at_ : object or None
        The index label a ``transform`` input must start at to use ``history_``.

    See Also
    --------
    LagWindower : Windows of the (differenced) rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import Differencer
    >>> Differencer().fit_transform(np.array([[1.0], [3.0], [6.0]])).ravel()
    array([nan,  2.,  3.], dtype=float32)
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "lag": [PositiveInt()],
        "log": ["boolean"],
        "dtype": [FloatDtype()],
    }

    # differences of large levels need float64: in float32, 1e7 + 0.3 - 1e7
    # is 0 or 1, so the rows are read in float64 and only the output is cast
    _input_dtype = np.float64

    def __init__(self, lag=1, *, log=False, dtype=np.float32):
        self.lag = lag
        self.log = log
        self.dtype = dtype

    def n_earlier_rows(self):
        """How many rows before row t output row t reads: ``lag``.

        See :meth:`LagWindower.n_earlier_rows` for the protocol.

        Returns
        -------
        n_rows : int
            ``lag``.
        """
        return self.lag

    def _validate_rows(self, X, reset):
        values = super()._validate_rows(X, reset)
        if self.log:
            check_positive(
                values,
                "Differencer(log=True): every value",
                "Use log=False, or shift the data to be positive.",
                index=getattr(X, "index", None),
            )
        return values

    def _transform_extended(self, extended, rows):
        if self.log:
            extended = np.log(extended)
        if isinstance(rows, slice):
            stop = len(extended) if rows.stop is None else rows.stop
            now = extended[rows.start : stop]
            before = extended[rows.start - self.lag : stop - self.lag]
        else:
            now, before = extended[rows], extended[rows - self.lag]
        return (now - before).astype(self.dtype, copy=False)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names.

        Returns
        -------
        feature_names_out : ndarray of str
            ``{name}_diff{lag}`` (``{name}_logdiff{lag}`` with ``log=True``).
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        kind = "logdiff" if self.log else "diff"
        return np.asarray([f"{name}_{kind}{self.lag}" for name in names], dtype=object)


class To3D(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Reshape flat windows, one per row, to ``(samples, time_steps, features)``.

    Each ROW of the input is one flat window whose columns run oldest time
    step first, with the features of a step next to each other (the layout
    :class:`LagWindower` produces). For whole sequences given one per argument
    item, use :func:`to_3d` instead.

    Parameters
    ----------
    time_steps : int or None, default=None
        Number of time steps per window.
    n_features : int or None, default=None
        Number of features per time step. With neither given, each column is
        one time step of one feature (``(n, columns, 1)``: the "lags as time
        steps" framing). ``To3D(time_steps=1)`` gives ``(n, 1, columns)``: the
        "lags as features" framing.

    Attributes
    ----------
    n_features_in_ : int
        Columns of each flat window (time steps times features).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Their names, when ``X`` had string column names.
    output_shape_ : tuple of int
        ``(time_steps, n_features)`` of each output sample.

    See Also
    --------
    to_3d : One or several whole sequences to a 3D batch.
    LagWindower : Build the flat windows from rows in time order.

    Notes
    -----
    A 3D array has no DataFrame form: ``set_output`` is accepted (so that
    ``Pipeline.set_output`` works) and leaves the output a numpy array.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import To3D
    >>> X = np.zeros((53394, 3))
    >>> To3D().fit_transform(X).shape
    (53394, 3, 1)
    >>> To3D(time_steps=1).fit_transform(X).shape
    (53394, 1, 3)
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "time_steps": [PositiveInt(), None],
        "n_features": [PositiveInt(), None],
    }

    def __init__(self, time_steps=None, n_features=None):
        self.time_steps = time_steps
        self.n_features = n_features

    def _validate_windows(self, X, reset):
        check_table(
            X,
            "To3D",
            hint_3d="It is already 3D: drop To3D from the pipeline.",
        )
        reject_non_numeric_columns(X, "To3D")
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=(np.float32, np.float64),
            ensure_all_finite="allow-nan",
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check that the columns split into the requested time steps.

        Parameters
        ----------
        X : array-like of shape (n_samples, time_steps * n_features)
            One flat window per row.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        X = self._validate_windows(X, reset=True)
        n_columns = X.shape[1]
        steps, features = self.time_steps, self.n_features
        if steps is None and features is None:
            features = 1
        if steps is None:
            steps, rest = divmod(n_columns, features)
        elif features is None:
            features, rest = divmod(n_columns, steps)
        else:
            rest = n_columns - steps * features
        if rest or steps * features != n_columns:
            raise ValueError(
                f"To3D(time_steps={self.time_steps}, n_features={self.n_features}) "
                f"cannot split {n_columns} columns: {steps} time steps x "
                f"{features} features = {steps * features}. Give time_steps and "
                f"n_features whose product is {n_columns}, or only one of them "
                f"(a divisor of {n_columns})."
            )
        self.output_shape_ = (int(steps), int(features))
        return self

    def transform(self, X):
        """Reshape each row to ``(time_steps, n_features)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, time_steps * n_features)
            One flat window per row, oldest time step first.

        Returns
        -------
        X_3d : ndarray of shape (n_samples, time_steps, n_features)
            The same values as a 3D array (a view when no cast is needed).
        """
        check_is_fitted(self)
        X = self._validate_windows(X, reset=False)
        return X.reshape(X.shape[0], *self.output_shape_)

    def set_output(self, *, transform=None):
        """Accept a Pipeline's output setting; the output stays a 3D array.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored: a 3D array has no DataFrame form.

        Returns
        -------
        self : object
            This transformer.
        """
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _as_sequence(item, position, dtype):
    """One sequence as a 2D ``(T, F)`` float array (1D -> one feature)."""
    if isinstance(item, pd.DataFrame):
        reject_non_numeric_columns(item, "to_3d")
    try:
        arr = np.asarray(item, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"to_3d: sequence {position} is not numeric ({exc}). Encode it as "
            "numbers first."
        ) from exc
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(
            f"to_3d: sequence {position} has shape {arr.shape}; each sequence must "
            "be 1D (T,) or a 2D (T, F) table of parallel series. Use To3D for a "
            "table with one flat window per row."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"to_3d: sequence {position} is empty.")
    return arr


@validate_params(
    {
        "sequences": ["array-like"],
        "padding": [StrOptions({"pre", "post"})],
        "dtype": [FloatDtype()],
    },
    prefer_skip_nested_validation=True,
)
def to_3d(sequences, padding="pre", *, dtype=np.float32):
    """Stack whole sequences into one ``(samples, time_steps, features)`` batch.

    Each ARGUMENT ITEM is a whole sequence (time runs down the rows). Compare
    :class:`To3D`, where each ROW of a table is one window.

    Parameters
    ----------
    sequences : array-like, Series, DataFrame, or list of those
        - one 1D sequence of length T (array, list of numbers or Series)
          -> ``(1, T, 1)``;
        - one 2D ``(T, F)`` table of F parallel series (array or DataFrame)
          -> ``(1, T, F)``;
        - a list/tuple of such sequences, possibly of different lengths
          -> ``(n, T_max, F)``, shorter ones padded with NaN.
    padding : {"pre", "post"}, default="pre"
        Pad shorter sequences before their start ("pre", so all end at the last
        step, which suits LSTMs) or after their end ("post").
    dtype : numpy dtype, default=np.float32
        Output dtype.

    Returns
    -------
    X_3d : ndarray of shape (n_sequences, T_max, n_features)
        NaN marks padded (missing) time steps; the LSTM estimators mask them.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import to_3d
    >>> to_3d(np.arange(10)).shape
    (1, 10, 1)
    >>> to_3d(np.zeros((10, 2))).shape
    (1, 10, 2)
    >>> to_3d([[1, 2, 3], [4, 5]])[:, :, 0]
    array([[ 1.,  2.,  3.],
           [nan,  4.,  5.]], dtype=float32)
    """
    is_list = isinstance(sequences, list | tuple)
    if is_list and len(sequences) == 0:
        raise ValueError("to_3d: got an empty list; pass at least one sequence.")
    if is_list and all(isinstance(s, Number) for s in sequences):
        is_list = False  # a plain list of numbers is one 1D sequence
    items = list(sequences) if is_list else [sequences]
    arrays = [_as_sequence(item, i, dtype) for i, item in enumerate(items)]
    n_features = {a.shape[1] for a in arrays}
    if len(n_features) > 1:
        counts = [a.shape[1] for a in arrays]
        raise ValueError(
            "to_3d: all sequences need the same number of features (columns); "
            f"got {counts} for the sequences in order. Select the same columns "
            "in every sequence."
        )
    t_max = max(a.shape[0] for a in arrays)
    out = np.full((len(arrays), t_max, n_features.pop()), np.nan, dtype=dtype)
    for i, arr in enumerate(arrays):  # loop over sequences, not rows
        if padding == "pre":
            out[i, t_max - len(arr) :] = arr
        else:
            out[i, : len(arr)] = arr
    return out


@validate_params(
    {"data": ["array-like"], "horizon": [PositiveInt()], "target": [Hashable]},
    prefer_skip_nested_validation=True,
)
def make_supervised(data, horizon=1, target=None):
    """Pair the values at time t with the target value(s) after t.

    Parameters
    ----------
    data : array-like, Series or DataFrame of shape (n_rows,) or (n_rows, n_cols)
        Rows in time order. A panel (a Series or DataFrame indexed by a
        ``(series, time)`` MultiIndex, see :func:`sklstm.to_panel`) pairs each
        row with the future of its own series.
    horizon : int, default=1
        Number of future steps in y: y holds the target at t+1 (horizon=1, a
        1D y) or at t+1 ... t+horizon (``horizon`` columns, for direct
        multi-step forecasting). A model fitted on them answers ``horizon``
        steps at once; :func:`~sklstm.forecast`'s ``steps``, the number of
        values it returns, may be more (it feeds its predictions back).
    target : str, int or None, default=None
        The column to forecast: a column name for a DataFrame, a position for
        a 2D array. May be None only when there is a single column.

    Returns
    -------
    X : DataFrame or ndarray of shape (n_rows - horizon, n_cols)
        All columns at time t. Rows without a full future are dropped (the
        last ``horizon`` rows of each series of a panel). pandas input keeps
        its index (a Series becomes a one-column DataFrame).
    y : Series, DataFrame or ndarray
        The target after t, indexed by t (the row it is predicted from). With
        pandas, a Series named after the target (horizon=1) or a DataFrame with
        columns ``{target}_t+1 ... {target}_t+{horizon}``.

    See Also
    --------
    forecast : Its ``steps`` is the number of values returned, which may be
        more than the model's ``horizon``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import make_supervised
    >>> X, y = make_supervised(np.array([10, 20, 30, 40]))
    >>> X.ravel().tolist(), y.tolist()
    ([10, 20, 30], [20, 30, 40])
    >>> X, y = make_supervised(np.array([10, 20, 30, 40]), horizon=2)
    >>> y.tolist()
    [[20, 30], [30, 40]]

    A panel pairs rows within each series:

    >>> import pandas as pd
    >>> index = pd.MultiIndex.from_tuples(
    ...     [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2)], names=["id", "t"]
    ... )
    >>> X, y = make_supervised(pd.Series([1, 2, 3, 7, 8], index, name="v"))
    >>> y.to_dict()
    {('a', 1): 2, ('a', 2): 3, ('b', 1): 8}
    """
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else 0)
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        arr = np.asarray(data)
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        if arr.ndim != 2:
            raise ValueError(
                "make_supervised expects a 1D series or a 2D table with rows in "
                f"time order; got shape {arr.shape}."
            )
        frame = None
    n_rows, n_cols = frame.shape if frame is not None else arr.shape
    panel = frame is not None and is_panel(frame)
    layout = check_panel(frame, "make_supervised") if panel else None
    longest = int(layout.lengths.max()) if panel else n_rows
    if horizon >= longest:
        raise ValueError(
            f"make_supervised needs more rows than horizon={horizon} to form one "
            f"(X, y) pair; got {longest} rows"
            + (" in the longest series" if panel else "")
            + ". Use a longer series or a smaller horizon."
        )
    columns = list(frame.columns) if frame is not None else list(range(n_cols))
    if target is None:
        if n_cols != 1:
            raise ValueError(
                f"make_supervised got {n_cols} columns; name the one to forecast "
                f"with target=..., one of {columns}."
            )
        target = columns[0]
    if target not in columns:
        raise ValueError(
            f"make_supervised: unknown target column {target!r}; the columns are "
            f"{columns}."
        )
    position = columns.index(target)
    if frame is not None:
        values = frame.iloc[:, position].to_numpy()
    else:
        values = arr[:, position]
    # rows with a full future: all but the last `horizon` rows of each series
    if panel:
        keep = np.flatnonzero(layout.positions < layout.lengths[layout.codes] - horizon)
        _warn_series_too_short(layout, horizon)
    else:
        keep = np.arange(n_rows - horizon)
    # y[t, h-1] = target[t + h], h = 1..horizon (a strided view, then a copy)
    future = np.lib.stride_tricks.sliding_window_view(values[1:], horizon)[keep]
    if frame is None:
        X = arr[keep]
        y = future[:, 0] if horizon == 1 else future
        return X, y
    X = frame.iloc[keep].copy()
    index = X.index
    if horizon == 1:
        y = pd.Series(future[:, 0], index=index, name=target)
    else:
        y = pd.DataFrame(
            future,
            index=index,
            columns=[f"{target}_t+{h}" for h in range(1, horizon + 1)],
        )
    return X, y


def _warn_series_too_short(layout, horizon):
    """Warn about the series of a panel that give no (X, y) pair at all."""
    short = np.flatnonzero(layout.lengths <= horizon)
    if short.size:
        names = [str(name) for name in layout.series[short[:5]]]
        warnings.warn(
            f"make_supervised: {short.size} series have no more rows than "
            f"horizon={horizon} and give no (X, y) pair: {names}"
            + (" ..." if short.size > 5 else "")
            + ". They are left out of X and y.",
            UserWarning,
            stacklevel=3,
        )
