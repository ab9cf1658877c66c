"""One home for "a value relative to a level": the kinds of change and their inverse.

:class:`~sklstm.RelativeTargetRegressor` (the target relative to its level at
t) and :class:`~sklstm.RelativeWindower` (each input window relative to its
last value) express values the same way; the arithmetic and the checks of
what each kind accepts live here once. numpy only.
"""

import numpy as np

from sklstm._validation import check_nonnegative, check_positive

__all__ = ["RELATIVE_KINDS", "check_relative_values", "from_relative", "to_relative"]

# kind -> what the values must be (for the message), None: anything finite
RELATIVE_KINDS = {
    "difference": None,
    "ratio": "nonzero",
    "log_ratio": "positive",
    "log1p_ratio": "nonnegative",
}


def to_relative(values, level, kind):
    """``values`` expressed relative to ``level`` (broadcast), float64."""
    values = np.asarray(values, dtype=np.float64)
    level = np.asarray(level, dtype=np.float64)
    if kind == "difference":
        return values - level
    if kind == "ratio":
        return values / level
    if kind == "log_ratio":
        return np.log(values) - np.log(level)
    return np.log1p(values) - np.log1p(level)


def from_relative(z, level, kind):
    """The inverse of :func:`to_relative`: values from changes and the level."""
    z = np.asarray(z, dtype=np.float64)
    level = np.asarray(level, dtype=np.float64)
    if kind == "difference":
        return z + level
    if kind == "ratio":
        return z * level
    if kind == "log_ratio":
        return np.exp(z) * level
    return np.expm1(z + np.log1p(level))


def check_relative_values(values, kind, what, *, index=None):
    """Refuse values ``kind`` cannot take, naming the rows (and series) and the fix.

    NaN is left alone (missing history). ``what`` is the message's subject,
    e.g. ``"RelativeWindower(kind='log_ratio'): the reference column"``.
    """
    need = RELATIVE_KINDS[kind]
    if need is None:
        return
    values = np.asarray(values, dtype=np.float64)
    if need == "nonnegative":
        check_nonnegative(
            values,
            what,
            "kind='log1p_ratio' takes counts and amounts that can be zero; use "
            "kind='difference' for data that can be negative.",
            index=index,
        )
        return
    check_positive(
        values,
        what,
        "Use kind='log1p_ratio' for counts that can be zero, or "
        "kind='difference' for data that can be negative.",
        nonzero=need == "nonzero",
        index=index,
    )
