"""Shared checks of arguments, tables and rows, and the messages they raise.

Every check that more than one sklstm module makes lives here once, so that
the same problem is always reported in the same words: which rows, what is
wrong with them, and the fix. numpy, pandas and scikit-learn only.

Parameters are checked one way everywhere: scikit-learn's constraints, in an
estimator's ``_parameter_constraints`` (checked when ``fit`` starts, through
``_fit_context``) or a function's ``validate_params``. The constraints below
extend scikit-learn's for values its own cannot describe (a count that is not
a bool, a list of counts, a float dtype, interval levels); objects without
``fit`` (a splitter) and the command line check theirs with
:func:`check_parameters` and :func:`argument_type`, which use the same
constraints and so the same messages.
"""

import argparse
import numbers

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import (
    Interval,
    Options,
    make_constraint,
    validate_parameter_constraints,
)
from sklearn.utils.validation import check_array

__all__ = [
    "FloatDtype",
    "IntervalLevels",
    "PositiveInt",
    "PositiveInts",
    "argument_type",
    "check_finite",
    "check_nonnegative",
    "check_parameters",
    "check_positive",
    "check_table",
    "check_y_given",
    "describe_rows",
    "interval_levels",
    "reject_non_numeric_columns",
    "target_column",
    "target_position",
]


def _is_count(val):
    """An int >= 1 that is not a bool (True is no count)."""
    return isinstance(val, numbers.Integral) and not isinstance(val, bool) and val >= 1


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
        return _is_count(val)


class PositiveInts(Interval):
    """Parameter constraint: a non-empty list or tuple of ints >= 1.

    For parameters that take one count or several (stacked layers' units, an
    ensemble's look_backs): give ``[PositiveInt(), PositiveInts()]``. Its
    message reads "a non-empty list or tuple of ints in the range [1, inf)".
    """

    def __init__(self):
        super().__init__(numbers.Integral, 1, None, closed="left")

    def is_satisfied_by(self, val):
        """Whether ``val`` is a non-empty list or tuple of ints >= 1."""
        return (
            isinstance(val, list | tuple)
            and len(val) > 0
            and all(_is_count(item) for item in val)
        )

    def __str__(self):
        return "a non-empty list or tuple of ints in the range [1, inf)"


class FloatDtype(Options):
    """Parameter constraint: a floating-point numpy dtype (NaN needs floats).

    The transformers mark missing history with NaN, which only floats hold.
    """

    def __init__(self):
        super().__init__(object, set())

    def is_satisfied_by(self, val):
        """Whether ``val`` names a floating-point dtype."""
        if val is None or isinstance(val, bool):
            return False
        try:
            return np.dtype(val).kind == "f"
        except TypeError:
            return False

    def __str__(self):
        return (
            "a floating-point dtype such as np.float32 or np.float64 (missing "
            "history is NaN, which integers cannot hold)"
        )


class IntervalLevels(Interval):
    """Parameter constraint: a coverage in (0, 1), or a non-empty list of them.

    Its message reads "a float in the range (0, 1) or a non-empty list of
    them (the nominal coverage, e.g. 0.9 for a 90% interval)".
    """

    def __init__(self):
        super().__init__(numbers.Real, 0, 1, closed="neither")

    def _one(self, val):
        return not isinstance(val, bool) and super().is_satisfied_by(val)

    def is_satisfied_by(self, val):
        """Whether ``val`` is one level in (0, 1) or a non-empty list of them."""
        if isinstance(val, list | tuple | np.ndarray):
            return len(val) > 0 and all(self._one(level) for level in val)
        return self._one(val)

    def __str__(self):
        return (
            "a float in the range (0, 1) or a non-empty list of them (the "
            "nominal coverage, e.g. 0.9 for a 90% interval)"
        )


def interval_levels(interval):
    """The levels of an ``interval`` argument that :class:`IntervalLevels` accepts.

    Parameters
    ----------
    interval : float or sequence of float
        One level (``0.9``) or several (``[0.8, 0.95]``).

    Returns
    -------
    levels : tuple of float
        The levels, in the order given.
    """
    items = interval if isinstance(interval, list | tuple | np.ndarray) else [interval]
    return tuple(float(level) for level in items)


def check_parameters(obj):
    """Check ``obj``'s parameters against its ``_parameter_constraints``.

    For objects that have no ``fit`` to decorate with ``_fit_context`` (a
    cross-validation splitter checks its parameters in ``split``): the same
    constraints and messages as scikit-learn's estimators.

    Raises
    ------
    sklearn.utils._param_validation.InvalidParameterError
        "The 'n_splits' parameter of PanelTimeSeriesSplit must be an int in
        the range [1, inf). Got 0 instead."
    """
    validate_parameter_constraints(
        obj._parameter_constraints,
        {name: getattr(obj, name) for name in obj._parameter_constraints},
        caller_name=type(obj).__name__,
    )


def argument_type(convert, *constraints):
    """An argparse ``type=``: convert the text, then check it like a parameter.

    The command line's flags are checked by the same constraints as the
    functions they feed, so a bad value is refused before any training with
    the words scikit-learn uses ("must be an int in the range [1, inf)").

    Parameters
    ----------
    convert : callable
        Turns the text into a value (``int``, ``float``).
    *constraints : constraint
        Any of which the value must satisfy (scikit-learn's forms).

    Returns
    -------
    parse : callable
        Raises ``argparse.ArgumentTypeError`` naming what was expected.
    """
    checks = [make_constraint(constraint) for constraint in constraints]
    expected = " or ".join(str(check) for check in checks)

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be {expected}; got {text!r}"
            ) from None
        if not any(check.is_satisfied_by(value) for check in checks):
            raise argparse.ArgumentTypeError(f"must be {expected}; got {text!r}")
        return value

    parse.__name__ = getattr(convert, "__name__", "value")
    return parse


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


def target_position(X, target, owner, names=None):
    """The position of the ``target`` column among X's columns.

    ``target`` is a position (negative counts from the end) or, for a
    DataFrame (or given its column ``names``), a column name.
    """
    n_columns = len(names) if names is not None else np.shape(X)[1]
    if isinstance(target, str):
        names = list(X.columns) if isinstance(X, pd.DataFrame) else names
        if names is None:
            raise ValueError(
                f"{owner}: target={target!r} names a column, but X has no column "
                "names. Pass a DataFrame, or give the column's position."
            )
        if target not in names:
            raise ValueError(
                f"{owner}: target column {target!r} is not in X; the columns are "
                f"{list(names)}."
            )
        return list(names).index(target)
    if not -n_columns <= target < n_columns:
        raise ValueError(
            f"{owner}: target={target} is out of range for X with {n_columns} columns."
        )
    return target % n_columns


def target_column(X, target, owner):
    """The column of X named or numbered ``target``, as float64.

    The column that holds the target's current value (``make_supervised``
    keeps it), for the estimators that predict relative to it or repeat it.
    """
    if isinstance(X, pd.DataFrame):
        return X.iloc[:, target_position(X, target, owner)].to_numpy(dtype=np.float64)
    if isinstance(target, str):
        target_position(X, target, owner)  # raises: numpy has no names
    X = check_array(X, ensure_all_finite=False, dtype=None)
    return np.asarray(X[:, target_position(X, target, owner)], dtype=np.float64)


def check_y_given(y, owner):
    """Refuse ``y=None`` in the fit of an estimator that learns from y."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
