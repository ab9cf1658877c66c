"""Time-ordered splits of panels: cross-validation folds and a holdout.

Everything here is numpy/pandas only (no TensorFlow). Cut-offs are counted
from the END of each series, the convention of forecasting competitions: every
series is tested on its own last rows, whatever its length or start.
"""

import numbers
import warnings

import numpy as np
import pandas as pd
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import _num_samples

from sklstm._validation import PositiveInt, check_parameters
from sklstm.panel import _label, check_panel, is_panel

__all__ = ["PanelTimeSeriesSplit", "temporal_train_test_split"]


def _n_outputs(y):
    """Columns of y (1 for a 1D y or no y)."""
    if y is None:
        return 1
    shape = np.shape(y)
    return shape[1] if len(shape) == 2 else 1


class PanelTimeSeriesSplit(BaseCrossValidator):
    """Time-ordered cross-validation folds for a panel of many series.

    Each fold trains on every series up to a cut-off and tests on that
    series' next ``test_size`` rows. Cut-offs are per series and counted from
    each series' END (the forecasting-competition convention), so series of
    different lengths, starts and ends are all tested on their own last rows.
    With ``n_s`` rows in series ``s``, ``K = n_splits`` and ``T = test_size``,
    fold ``k`` (``k = 0 .. K-1``):

    - tests the rows of ``s`` at positions
      ``[n_s - (K - k) * T, n_s - (K - k - 1) * T)``, so the last fold tests
      each series' last ``T`` rows;
    - trains on the rows of ``s`` before that block, except the last ``gap``
      of them.

    A series with no training row in a fold (``n_s - (K - k) * T - gap < 1``)
    is left out of that fold entirely, neither trained nor tested on: a
    forecast needs some history. It joins the later folds where it has one.

    Use it as ``cv=`` of ``GridSearchCV`` or ``cross_val_score`` with X (and
    y) indexed by ``(series, time)``; it yields positions, like sklearn's
    splitters. For one series, use :class:`sklearn.model_selection.TimeSeriesSplit`.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds (1 or more). One fold is the plain holdout of the last
        ``test_size`` rows of every series.
    test_size : int or None, default=None
        Rows tested per series per fold; set it to the forecast horizon. None
        uses ``max(1, shortest // (n_splits + 1))``, ``shortest`` being the
        length of the shortest series: every series then takes part in every
        fold with ``gap=0``.
    gap : int or "auto", default=0
        Rows left out between the training and the test rows of each series.
        With direct multi-step targets (y with ``h`` columns, the values at
        t+1 .. t+h, as ``make_supervised(panel, horizon=h)`` builds), the last
        ``h - 1`` training rows have targets inside the test period; ``gap=h-1``
        leaves them out. "auto" does that: ``h - 1`` for a y of ``h`` columns,
        0 for a 1D y or no y.

    See Also
    --------
    temporal_train_test_split : One split: the last rows of every series.
    sklearn.model_selection.TimeSeriesSplit : The same idea for one series.

    Notes
    -----
    Rows are grouped by series and in time order within a series
    (:func:`sklstm.panel.check_panel` checks it; ``panel.sort_index()`` or
    :func:`sklstm.to_panel` sorts). Training positions come sorted, so a
    fold's training rows keep the panel's order.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm import PanelTimeSeriesSplit
    >>> index = pd.MultiIndex.from_tuples(
    ...     [("a", t) for t in range(6)] + [("b", t) for t in range(3, 7)]
    ... )
    >>> X = pd.DataFrame({"x": np.arange(10.0)}, index=index)
    >>> cv = PanelTimeSeriesSplit(n_splits=2, test_size=1)
    >>> cv
    PanelTimeSeriesSplit(gap=0, n_splits=2, test_size=1)
    >>> for train, test in cv.split(X):
    ...     print(train.tolist(), test.tolist())
    [0, 1, 2, 3, 6, 7] [4, 8]
    [0, 1, 2, 3, 4, 6, 7, 8] [5, 9]
    >>> for train, test in cv.split(X):
    ...     print(X.index[test].tolist())
    [('a', 4), ('b', 5)]
    [('a', 5), ('b', 6)]
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "n_splits": [PositiveInt()],
        "test_size": [PositiveInt(), None],
        "gap": [
            Interval(numbers.Integral, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
    }

    def __init__(self, n_splits=5, *, test_size=None, gap=0):
        self.n_splits = n_splits
        self.test_size = test_size
        self.gap = gap

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of folds.

        Parameters
        ----------
        X, y, groups : object
            Ignored; present for API compatibility.

        Returns
        -------
        n_splits : int
            ``n_splits``.
        """
        check_parameters(self)
        return self.n_splits

    def split(self, X, y=None, groups=None):
        """Yield the positions of the training and test rows of each fold.

        Parameters
        ----------
        X : DataFrame or Series of shape (n_samples, ...)
            A panel: indexed by a 2-level MultiIndex ``(series, time)``, the
            rows of each series together and in time order.
        y : array-like of shape (n_samples,) or (n_samples, h), default=None
            Read only by ``gap="auto"`` (its number of columns).
        groups : None
            Ignored (the series are level 0 of X's index); a warning says so.

        Yields
        ------
        train : ndarray of int
            Positions of the training rows, in increasing order.
        test : ndarray of int
            Positions of the test rows, in increasing order.
        """
        check_parameters(self)
        name = type(self).__name__
        if groups is not None:
            warnings.warn(
                f"The groups parameter is ignored by {name}: the series are "
                "level 0 of X's index.",
                UserWarning,
                stacklevel=2,
            )
        if not is_panel(X):
            index = getattr(X, "index", None)
            if isinstance(index, pd.MultiIndex):
                kind = f"a {type(X).__name__} with a {index.nlevels}-level MultiIndex"
            elif isinstance(X, pd.DataFrame | pd.Series):
                kind = f"a {type(X).__name__} with a plain {type(index).__name__}"
            else:
                kind = f"a {type(X).__name__}"
            raise ValueError(
                f"{name} splits a panel: X must be a pandas DataFrame or Series "
                f"indexed by a 2-level MultiIndex (series, time); got {kind}. "
                "For one series, use sklearn.model_selection.TimeSeriesSplit; for "
                "many, build the panel with sklstm.to_panel(...)."
            )
        layout = check_panel(X, name)
        shortest, longest = int(layout.lengths.min()), int(layout.lengths.max())
        n_splits = self.n_splits
        test_size = (
            self.test_size
            if self.test_size is not None
            else max(1, shortest // (n_splits + 1))
        )
        gap = _n_outputs(y) - 1 if self.gap == "auto" else self.gap
        lengths = layout.lengths[layout.codes]  # per row
        positions = layout.positions
        for k in range(n_splits):
            test_start = lengths - (n_splits - k) * test_size  # per row
            # a series takes part in a fold only when it has training rows
            taking_part = test_start - gap >= 1
            train = np.flatnonzero(taking_part & (positions < test_start - gap))
            test = np.flatnonzero(
                taking_part
                & (positions >= test_start)
                & (positions < test_start + test_size)
            )
            if train.size == 0:  # then test is empty too
                needed = (n_splits - k) * test_size + gap + 1
                raise ValueError(
                    f"{name}(n_splits={n_splits}, test_size={test_size}, "
                    f"gap={gap}): fold {k} has no training rows. It tests each "
                    f"series' rows from the {(n_splits - k) * test_size}th last "
                    f"on, after {gap} gap rows, so a series needs at least "
                    f"{needed} rows to take part; the longest has {longest} (the "
                    f"shortest {shortest}). Use fewer splits or a smaller "
                    "test_size."
                )
            yield train, test


def _check_lengths(arrays):
    """Raise unless all arrays have the same number of rows."""
    lengths = [_num_samples(array) for array in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(
            "temporal_train_test_split: all inputs need the same number of rows "
            f"(one row per time step); got {lengths}."
        )
    return lengths[0]


@validate_params(
    {"test_size": [PositiveInt()]},
    prefer_skip_nested_validation=True,
)
def temporal_train_test_split(*arrays, test_size):
    """Split off the last ``test_size`` rows of every series as a test set.

    For a panel (indexed by ``(series, time)``), the test set holds the last
    ``test_size`` rows of EVERY series and the training set all rows before
    them: the evaluation of forecasting competitions. For one series with a
    plain index (or a numpy array), the last ``test_size`` rows. Like
    :func:`sklearn.model_selection.train_test_split`, several arrays of the
    same rows (X and y) are split the same way, and nothing is shuffled.

    Parameters
    ----------
    *arrays : sequence of DataFrame, Series or array-like
        Inputs with the same rows. When one of them is a panel, its index
        decides the split and every pandas input must have that index.
    test_size : int
        Rows per series in the test set; the forecast horizon.

    Returns
    -------
    splitting : list of length 2 * len(arrays)
        ``train, test`` for each input, in order, of the input's type.

    Raises
    ------
    ValueError
        When a series has ``test_size`` rows or fewer (it would have nothing
        to train on); the message names such series.

    See Also
    --------
    PanelTimeSeriesSplit : Several such cut-offs, for cross-validation.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import temporal_train_test_split, to_panel
    >>> wide = pd.DataFrame(
    ...     {"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [None, None, 7.0, 8.0, 9.0]},
    ...     index=pd.period_range("2020-01", periods=5, freq="M"),
    ... )
    >>> panel = to_panel(wide)
    >>> train, test = temporal_train_test_split(panel, test_size=2)
    >>> [(series, str(month)) for series, month in train.index]
    [('a', '2020-01'), ('a', '2020-02'), ('a', '2020-03'), ('b', '2020-03')]
    >>> [(series, str(month)) for series, month in test.index]
    [('a', '2020-04'), ('a', '2020-05'), ('b', '2020-04'), ('b', '2020-05')]
    """
    if not arrays:
        raise ValueError("temporal_train_test_split needs at least one array to split.")
    n_rows = _check_lengths(arrays)
    panels = [array for array in arrays if is_panel(array)]
    if panels:
        index = panels[0].index
        for array in arrays:
            if isinstance(array, pd.DataFrame | pd.Series) and not (
                array.index.equals(index)
            ):
                raise ValueError(
                    "temporal_train_test_split: the inputs' rows do not line up: "
                    "every pandas input must have the panel's index. Select the "
                    "same rows in each (for example with .loc[panel.index])."
                )
        layout = check_panel(index, "temporal_train_test_split")
        short = np.flatnonzero(layout.lengths <= test_size)
        if short.size:
            named = ", ".join(
                f"{_label(layout.series[s])!r} ({layout.lengths[s]} rows)"
                for s in short[:5]
            )
            raise ValueError(
                f"temporal_train_test_split(test_size={test_size}): {short.size} "
                f"series have {test_size} rows or fewer, leaving nothing to train "
                f"on: {named}. Use a smaller test_size, or leave them out, e.g. "
                f"panel[panel.groupby(level=0).transform('size') > {test_size}]."
            )
        is_test = layout.positions >= layout.lengths[layout.codes] - test_size
    else:
        if n_rows <= test_size:
            raise ValueError(
                f"temporal_train_test_split(test_size={test_size}) needs more than "
                f"{test_size} rows to leave some for training; got {n_rows}. Use "
                "a smaller test_size."
            )
        is_test = np.arange(n_rows) >= n_rows - test_size
    train, test = np.flatnonzero(~is_test), np.flatnonzero(is_test)
    return [
        part
        for array in arrays
        for part in (_safe_indexing(array, train), _safe_indexing(array, test))
    ]
