"""Shared checks of arguments, tables and rows, and the messages they raise.

Every check that more than one sklstm module makes lives here once, so that
the same problem is always reported in the same words: which rows, what is
wrong with them, and the fix. numpy, pandas and scikit-learn only.
"""

import numbers

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array

__all__ = [
    "PositiveInt",
    "check_finite",
    "check_float_dtype",
    "check_interval_levels",
    "check_nonnegative",
    "check_positive",
    "check_table",
    "check_y_given",
    "describe_rows",
    "reference_column",
    "reject_non_numeric_columns",
]


class PositiveInt(Interval):
    """Parameter constraint: an int >= 1, and not a bool (True is no count).

    For ``sklearn.utils._param_validation.validate_params`` and
    ``_parameter_constraints``; its message reads "an int in the range
    [1, inf)".
    """

    def __init__(self):
        super().__init__(numbers.Integral, 1, None, closed="left")

    def is_satisfied_by(self, val):
        """Whether ``val`` is an int >= 1 that is not a bool."""
        return not isinstance(val, bool) and super().is_satisfied_by(val)


def describe_rows(bad, index=None):
    """The positions of the True rows of ``bad``, shortened for a message.

    ``bad`` is a boolean mask over rows (a 2D mask counts a row once if any of
    its entries is True) or an array of row positions. Gives e.g.
    ``"[2, 5] (2 in all)"`` or ``"[0, 1, ..., 9] ... (15 in all)"``. With the
    rows' ``index`` of a panel (a ``(series, time)`` MultiIndex) the series
    they belong to are named too: ``"[2, 5] (2 in all) of series ['a']"``.
    """
    bad = np.asarray(bad)
    if bad.dtype == bool:
        if bad.ndim > 1:
            bad = bad.any(axis=tuple(range(1, bad.ndim)))
        rows = np.flatnonzero(bad)
    else:
        rows = bad.ravel()
    shown = rows[:10].tolist()
    text = f"{shown}{' ...' if len(rows) > 10 else ''} ({len(rows)} in all)"
    if isinstance(index, pd.MultiIndex) and index.nlevels == 2:
        series = pd.unique(index.get_level_values(0)[rows])
        names = [_plain(name) for name in series[:5]]
        text += f" of series {names}{' ...' if len(series) > 5 else ''}"
    return text


def _plain(value):
    """A label as Python writes it (``1`` rather than ``np.int64(1)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _refuse_rows(bad, problem, fix, index):
    """Raise ``"{problem} in rows [...]. {fix}"`` if any row of ``bad`` is True."""
    bad = np.asarray(bad, dtype=bool)
    if bad.ndim > 1:
        bad = bad.any(axis=tuple(range(1, bad.ndim)))
    if bad.any():
        raise ValueError(f"{problem} in rows {describe_rows(bad, index)}. {fix}")


def check_finite(values, what, fix, *, index=None):
    """Refuse NaN and infinity in ``values``, naming the rows and the fix.

    Parameters
    ----------
    values : ndarray
        Numbers; rows along the first axis.
    what : str
        What holds the values, as the message's subject (``"Input y"``).
    fix : str
        The sentence that says what to do.
    index : pandas.Index, default=None
        The rows' index; a panel's names the series of the bad rows.

    Raises
    ------
    ValueError
        ``"{what} contains NaN in rows [3, 7] (2 in all). {fix}"`` (or
        "infinity", or "NaN or infinity" when both occur).
    """
    values = np.asarray(values)
    if values.dtype.kind not in "fc":
        return
    finite = np.isfinite(values)
    if finite.all():
        return
    nan = np.isnan(values)
    if not nan.any():
        kind = "infinity"
    elif (nan | finite).all():
        kind = "NaN"
    else:
        kind = "NaN or infinity"
    _refuse_rows(~finite, f"{what} contains {kind}", fix, index)


def check_positive(values, what, fix, *, nonzero=False, index=None):
    """Refuse zero or negative ``values`` (only zero with ``nonzero=True``).

    NaN is left to :func:`check_finite`. The message names the rows (and,
    given a panel's ``index``, their series): ``"{what} must be positive;
    zero or negative values are in rows [1, 3] (2 in all). {fix}"``.
    """
    values = np.asarray(values, dtype=np.float64)
    if nonzero:
        _refuse_rows(values == 0, f"{what} must be nonzero; zeros are", fix, index)
    else:
        _refuse_rows(
            values <= 0,
            f"{what} must be positive; zero or negative values are",
            fix,
            index,
        )


def check_nonnegative(values, what, fix, *, index=None):
    """Refuse negative ``values``, naming the rows (and series) and the fix.

    NaN is left to :func:`check_finite`: ``"{what} must be zero or positive;
    negative values are in rows [1, 3] (2 in all). {fix}"``.
    """
    values = np.asarray(values, dtype=np.float64)
    _refuse_rows(
        values < 0, f"{what} must be zero or positive; negative values are", fix, index
    )


def reject_non_numeric_columns(X, owner, fix=None):
    """Raise a TypeError naming the non-numeric columns of a DataFrame.

    ``fix`` replaces the default advice (drop or encode them).
    """
    if isinstance(X, pd.DataFrame):
        bad = [
            str(col)
            for col, dtype in X.dtypes.items()
            if not pd.api.types.is_numeric_dtype(dtype)
        ]
        if bad:
            fix = fix or (
                "Drop them, or encode them as numbers (for example with "
                "OneHotEncoder) before this step."
            )
            raise TypeError(
                f"{owner} needs numeric columns; these are not: {bad}. {fix}"
            )


def check_table(X, owner, *, hint_3d):
    """Refuse 1D and 3D+ input to a step that reads a 2D table of rows.

    ``hint_3d`` is the sentence that tells a user with 3D+ data what to do.
    """
    if isinstance(X, pd.Series):
        raise ValueError(
            f"{owner} expects a 2D table (rows = time steps, columns = features); "
            f"got a pandas Series of length {len(X)}. Use series.to_frame()."
        )
    ndim = X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim
    if ndim == 1:
        raise ValueError(
            f"{owner} expects a 2D table (rows = time steps, columns = features); "
            f"got a 1D array of shape ({len(X)},). Reshape your data with "
            "X.reshape(-1, 1) for a single series."
        )
    if ndim != 2:
        raise ValueError(
            f"{owner} expects a 2D table (rows = time steps, columns = features); "
            f"got an array with {ndim} dimensions, shape {np.shape(X)}. " + hint_3d
        )


def check_float_dtype(dtype, owner):
    """Refuse a ``dtype`` parameter that is not a floating-point type.

    The transformers mark missing history with NaN, which only floats hold.
    """
    try:
        kind = None if dtype is None else np.dtype(dtype).kind
    except TypeError:
        kind = None
    if kind != "f":
        raise ValueError(
            f"The 'dtype' parameter of {owner} must be a floating-point dtype "
            "(missing history is NaN, which integers cannot hold), such as "
            f"np.float32 or np.float64. Got {dtype!r} instead."
        )


def reference_column(X, reference, owner):
    """The column of X named or numbered ``reference``, as float64.

    The column that holds the current level of the target, for the
    estimators that predict relative to it or repeat it.
    """
    if isinstance(X, pd.DataFrame):
        if isinstance(reference, str):
            if reference not in X.columns:
                raise ValueError(
                    f"{owner}: reference column {reference!r} is not in X; the "
                    f"columns are {list(X.columns)}."
                )
            column = X[reference]
        else:
            column = X.iloc[:, _column_position(reference, X.shape[1], owner)]
        return column.to_numpy(dtype=np.float64)
    if isinstance(reference, str):
        raise ValueError(
            f"{owner}: reference={reference!r} names a column, but X has no column "
            "names. Pass a DataFrame, or give the column's position."
        )
    X = check_array(X, ensure_all_finite=False, dtype=None)
    return np.asarray(
        X[:, _column_position(reference, X.shape[1], owner)], dtype=np.float64
    )


def _column_position(reference, n_columns, owner):
    if not -n_columns <= reference < n_columns:
        raise ValueError(
            f"{owner}: reference={reference} is out of range for X with "
            f"{n_columns} columns."
        )
    return reference


def check_y_given(y, owner):
    """Refuse ``y=None`` in the fit of an estimator that learns from y."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")


def check_interval_levels(interval):
    """The nominal coverage levels asked for, as a tuple of floats in (0, 1).

    Parameters
    ----------
    interval : float or sequence of float
        One level (``0.9``) or several (``[0.8, 0.95]``).

    Returns
    -------
    levels : tuple of float
        The levels, in the order given.

    Raises
    ------
    ValueError
        When a level is not a number strictly between 0 and 1.
    """
    items = interval if isinstance(interval, list | tuple | np.ndarray) else [interval]
    levels = []
    for level in items:
        if (
            not isinstance(level, numbers.Real)
            or isinstance(level, bool)
            or not 0 < level < 1
        ):
            raise ValueError(
                "The 'interval' parameter of forecast must be a float in the "
                "range (0, 1), or a list of them (the nominal coverage, e.g. 0.9 "
                f"for a 90% interval). Got {interval!r} instead."
            )
        levels.append(float(level))
    if not levels:
        raise ValueError("The 'interval' parameter of forecast got an empty list.")
    return tuple(levels)
