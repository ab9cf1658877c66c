"""Seasonality for forecasting models: season position features and seasonal adjustment.

Everything here reads the season from the time index (level 1 of a panel, or
the index of one series), so the rows that :func:`sklstm.forecast` builds for
future times get the right season without any extra input.

- :class:`SeasonPosition` adds ``sin``/``cos`` of each row's position in the
  season as input columns (known for every future step).
- :class:`DeseasonalizedRegressor` divides each series by its classical
  multiplicative seasonal indices (where a seasonality test passes) before its
  regressor sees it, and multiplies the predictions back: the regressor
  learns the deseasonalised series.

numpy, pandas and scikit-learn only.
"""

import copy
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from sklstm._target_wrapper import TargetWrapper
from sklstm._time_index import season_positions
from sklstm._validation import check_nonnegative, target_position
from sklstm.panel import is_panel, series_layout

__all__ = ["DeseasonalizedRegressor", "SeasonPosition"]


def _times(X, owner):
    """The time labels of the rows of a pandas X (level 1 of a panel)."""
    if not isinstance(X, pd.DataFrame | pd.Series):
        raise ValueError(
            f"{owner} reads the season from the time index, so X must be a pandas "
            "DataFrame indexed by time (or a panel indexed by (series, time)); got "
            f"{type(X).__name__}. Keep pandas output in the pipeline "
            "(pipe.set_output(transform='pandas'))."
        )
    return X.index.get_level_values(1) if is_panel(X) else X.index


def _positions(X, season_length, owner):
    times = _times(X, owner)
    try:
        return season_positions(times, season_length)
    except ValueError as exc:
        raise ValueError(f"{owner}: {exc}") from exc


class SeasonPosition(TransformerMixin, BaseEstimator):
    """Add the position of each row in its season as sine and cosine columns.

    The position is read from the time index (:func:`sklstm.forecast` labels
    the future rows it builds, so they get their position automatically): a
    monthly ``PeriodIndex`` with ``season_length=12`` gives the month of the
    year, a quarterly one with ``season_length=4`` the quarter, integer labels
    their value modulo ``season_length``. The columns ``season_sin`` and
    ``season_cos`` are ``sin(2 pi p / season_length)`` and
    ``cos(2 pi p / season_length)``, so December sits next to January.

    Parameters
    ----------
    season_length : int, default=12
        Rows per season (12 for months of a year, 4 for quarters, 7 for days
        of a week).

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Input column names, when ``X`` had string column names.

    See Also
    --------
    DeseasonalizedRegressor : Take the seasonal pattern out of the target.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import SeasonPosition
    >>> X = pd.DataFrame({"sales": [1.0, 2.0, 3.0]},
    ...                  index=pd.period_range("2024-12", periods=3, freq="M"))
    >>> SeasonPosition().set_output(transform="pandas").fit_transform(X).round(3)
             sales  season_sin  season_cos
    2024-12    1.0        -0.5       0.866
    2025-01    2.0         0.0       1.000
    2025-02    3.0         0.5       0.866
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "season_length": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(self, season_length=12):
        self.season_length = season_length

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the table and its time index.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows indexed by time (or by ``(series, time)``).
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        _positions(X, self.season_length, type(self).__name__)
        validate_data(self, X, reset=True, ensure_all_finite="allow-nan")
        return self

    def transform(self, X):
        """Append ``season_sin`` and ``season_cos`` to the columns of X.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows indexed by time (or by ``(series, time)``).

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features + 2)
            X's columns, then the sine and cosine of the season position.
        """
        check_is_fitted(self)
        angle = 2 * np.pi * _positions(X, self.season_length, type(self).__name__)
        values = validate_data(
            self, X, reset=False, ensure_all_finite="allow-nan", dtype=np.float64
        )
        angle = angle / self.season_length
        return np.column_stack([values, np.sin(angle), np.cos(angle)])

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: the input's, then the two season columns.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names.

        Returns
        -------
        feature_names_out : ndarray of str
            The input names followed by ``season_sin`` and ``season_cos``.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return np.asarray([*names, "season_sin", "season_cos"], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _series_sums(codes, values, n_series, valid):
    return np.bincount(codes[valid], values[valid], minlength=n_series)


def seasonal_indices(values, layout, positions, season_length, *, test=True):
    """Classical multiplicative seasonal indices of every series of a panel.

    Per series: the ratio of each value to its centred moving average of
    ``season_length`` values (a 2 x ``season_length`` average for an even
    season length), averaged per season position and scaled to mean 1. Where
    ``test`` is True a series keeps its indices only if its autocorrelation
    at lag ``season_length`` passes the 90% test of the M4 competition's
    Naive2 benchmark (``|r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n)``)
    and it has at least three seasons; other series get indices of 1 (no
    adjustment). Vectorised over series.

    Returns (indices of shape (n_series, season_length), seasonal mask
    (n_series,)).
    """
    n_series = len(layout.series)
    codes, within = layout.codes, layout.positions
    lengths = layout.lengths
    half = season_length // 2
    total = np.concatenate([[0.0], np.cumsum(np.nan_to_num(values))])
    n = len(values)
    rows = np.arange(n)
    # centred moving average: rows t-half .. t+half (half weights at the ends
    # for an even season length), only where the window stays inside the series
    lo, hi = rows - half, rows + half
    valid = (within >= half) & (within < lengths[codes] - half)
    lo_c, hi_c = np.clip(lo, 0, n - 1), np.clip(hi, 0, n - 1)
    if season_length % 2:
        cma = (total[hi_c + 1] - total[lo_c]) / season_length
    else:
        inner = total[hi_c] - total[lo_c + 1]
        cma = (inner + 0.5 * (values[lo_c] + values[hi_c])) / season_length
    valid &= np.isfinite(cma) & (cma > 0) & np.isfinite(values)
    ratio = np.where(valid, values / np.where(valid, cma, 1.0), 0.0)
    cell = codes * season_length + positions
    sums = np.bincount(cell[valid], ratio[valid], minlength=n_series * season_length)
    counts = np.bincount(cell[valid], minlength=n_series * season_length)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = (sums / counts).reshape(n_series, season_length)
        indices = raw / raw.mean(axis=1, keepdims=True)
    seasonal = np.isfinite(indices).all(axis=1) & (indices > 0).all(axis=1)
    seasonal &= lengths >= 3 * season_length
    if test:
        seasonal &= _seasonality_test(values, layout, season_length)
    indices[~seasonal] = 1.0
    return indices, seasonal


def _seasonality_test(values, layout, season_length):
    """The M4 Naive2 test: autocorrelation at lag ``season_length`` at the 90% level."""
    n_series = len(layout.series)
    codes, within = layout.codes, layout.positions
    finite = np.isfinite(values)
    counts = np.bincount(codes[finite], minlength=n_series)
    means = _series_sums(codes, values, n_series, finite) / np.maximum(counts, 1)
    dev = np.where(finite, values - means[codes], 0.0)
    denom = np.bincount(codes, dev * dev, minlength=n_series)
    acf = np.empty((n_series, season_length))
    for k in range(1, season_length + 1):  # a loop over lags, not series
        products = np.zeros(len(values))
        products[k:] = dev[k:] * dev[:-k]
        products[within < k] = 0.0  # the lag would reach the series before
        acf[:, k - 1] = np.bincount(codes, products, minlength=n_series)
    with np.errstate(divide="ignore", invalid="ignore"):
        acf /= denom[:, np.newaxis]
        limit = 1.645 * np.sqrt(
            (1 + 2 * (acf[:, :-1] ** 2).sum(axis=1)) / np.maximum(counts, 1)
        )
    return np.abs(acf[:, -1]) > limit


class DeseasonalizedRegressor(TargetWrapper):
    """Fit a regressor on seasonally adjusted data and reseasonalise its predictions.

    In ``fit``, each series' classical multiplicative seasonal indices are
    estimated from the ``target`` column of X (the target's value at t, as
    ``make_supervised`` keeps it), for the series whose seasonality test
    passes (indices of 1 for the others). The regressor is then fitted on X
    with that column divided by the index of each row's season and on y
    divided by the index of each target's season (y's column k is k + 1
    steps after its row), and its predictions are multiplied back. The
    season is read from the time index, so rows of the future that
    :func:`sklstm.forecast` builds are adjusted too. Like sklearn's
    ``TransformedTargetRegressor``, with the transform fitted per series.

    The indices of a series come from its own history, so a fitted model
    serves series it never saw. :func:`sklstm.forecast`, :func:`sklstm.backtest`
    and :class:`sklstm.ConformalForecaster` hand it the full history of every
    series they forecast (:meth:`for_history`). ``predict`` keeps the indices
    learned in ``fit`` for the series seen there (a cross-validation fold
    does not re-estimate them), and estimates the indices of other series,
    or of one series given to a model fitted on a panel, from their rows of
    X. A series with fewer than three seasons of history is not adjusted.

    Parameters
    ----------
    regressor : estimator
        The regressor fitted on the adjusted data (cloned in ``fit``).
    season_length : int, default=12
        Rows per season (12 for monthly data).
    target : int or str, default=0
        The column of X holding the target's value at t: a position, or a
        name for DataFrame input.
    test : bool, default=True
        Adjust only the series whose autocorrelation at lag ``season_length``
        is significant (90%, the test of the M4 competition's Naive2); False
        adjusts every series with at least three seasons.

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    series_ : pandas.Index
        The series seen in ``fit`` (one, labelled 0, for a single series).
    seasonal_indices_ : DataFrame of shape (n_series, season_length)
        Each series' index per season position (1 where not adjusted).
    seasonal_ : Series of bool
        Which series passed the test and are adjusted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of X.

    See Also
    --------
    SeasonPosition : Season position as input columns instead.
    sklstm.make_global_forecaster : The recipe that uses this class.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklstm import DeseasonalizedRegressor, make_supervised
    >>> months = pd.period_range("2020-01", periods=48, freq="M")
    >>> season = [1.0, 1.0, 1.2, 1.5, 1.2, 1.0, 0.8, 0.8, 0.9, 1.0, 0.8, 0.8]
    >>> series = pd.Series(100 * np.tile(season, 4), index=months, name="visitors")
    >>> X, y = make_supervised(series)
    >>> model = DeseasonalizedRegressor(LinearRegression()).fit(X, y)
    >>> bool(model.seasonal_.iloc[0]), model.seasonal_indices_.shape
    (True, (1, 12))
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "regressor": [HasMethods(["fit", "predict"])],
        "season_length": [Interval(Integral, 2, None, closed="left")],
        "target": [Integral, str],
        "test": ["boolean"],
    }

    def __init__(self, regressor, *, season_length=12, target=0, test=True):
        self.regressor = regressor
        self.season_length = season_length
        self.target = target
        self.test = test

    def _rows(self, X):
        """Each row's series, its season position, and the table of indices.

        Series seen in ``fit`` keep the indices learned there. Series that were
        not (a panel of other series, or one series given to a model fitted on
        a panel) get indices estimated from their own rows of X, which should
        then hold their history (:meth:`for_history` does this for
        :func:`sklstm.forecast`).
        """
        owner = type(self).__name__
        positions = _positions(X, self.season_length, owner)
        if not is_panel(X):
            if not getattr(self, "_fitted_on_panel", False):
                return np.zeros(len(X), dtype=np.int64), positions, self._indices
            indices, _, _ = self._estimate(X, self._target_values(X))
            return np.zeros(len(X), dtype=np.int64), positions, indices
        ids = X.index.get_level_values(0)
        series = self.series_.get_indexer(ids)
        unseen = series < 0
        if not unseen.any():
            return series, positions, self._indices
        rows = X[unseen]
        indices, _, names = self._estimate(rows, self._target_values(rows))
        series[unseen] = len(self.series_) + names.get_indexer(ids[unseen])
        return series, positions, np.vstack([self._indices, indices])

    def _factors(self, X, steps):
        """Seasonal index of each row of X ``steps`` ahead: (n_rows, len(steps))."""
        series, positions, indices = self._rows(X)
        ahead = np.mod(positions[:, np.newaxis] + np.asarray(steps), self.season_length)
        return indices[series[:, np.newaxis], ahead]

    def _estimate(self, X, target):
        """Each series' seasonal indices from the target column of its rows of X."""
        owner = type(self).__name__
        positions = _positions(X, self.season_length, owner)
        check_nonnegative(
            target,
            f"{owner}: the target column of X ({self.target!r})",
            "Multiplicative seasonal indices need values >= 0; model such a "
            "series without DeseasonalizedRegressor.",
            index=X.index,
        )
        layout = series_layout(X, owner)
        indices, seasonal = seasonal_indices(
            target, layout, positions, self.season_length, test=self.test
        )
        return indices, seasonal, layout.series

    def _learn(self, X, target):
        """Estimate each series' seasonal indices from the target column."""
        indices, seasonal, series = self._estimate(X, target)
        name = X.index.names[0] if is_panel(X) else None
        self._keep_indices(
            pd.Index(series, name=name), indices, seasonal, panel=is_panel(X)
        )

    def _keep_indices(self, series, indices, seasonal, *, panel=True):
        """Keep the learned state: each series' indices and whether it is adjusted.

        Also the way :func:`sklstm.fit_panel` hands over the indices it
        learned from a panel series group by series group.
        """
        self.series_ = series
        self._fitted_on_panel = panel
        self._indices = indices
        self.seasonal_indices_ = pd.DataFrame(indices, index=series)
        self.seasonal_ = pd.Series(seasonal, index=series, name="seasonal")

    def for_history(self, X):
        """A copy whose seasonal indices come from the full history in X.

        Part of the forecasting protocol (see :mod:`sklstm.forecasting`):
        :func:`sklstm.forecast` calls it once with the whole history it is
        given, before it feeds the model the last rows of each series, so
        every series (seen in ``fit`` or not) is adjusted by indices estimated
        from all of its history, not from the few rows one step reads.
        A series with fewer than three seasons, or whose seasonality test
        fails, is not adjusted (indices of 1). The fitted regressor is shared,
        not copied; ``self`` is not changed.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows indexed by time (or ``(series, time)``) holding the target's
            value in the ``target`` column: the history to forecast from.

        Returns
        -------
        bound : DeseasonalizedRegressor
            A fitted copy with ``series_``, ``seasonal_indices_`` and
            ``seasonal_`` estimated from X.
        """
        check_is_fitted(self)
        bound = copy.copy(self)
        bound._learn(X, self._target_values(X))
        return bound

    def regressor_input(self, X):
        """X as ``regressor_`` sees it: the target column seasonally adjusted.

        Part of the forecasting protocol (see :mod:`sklstm.forecasting`):
        :func:`sklstm.forecast` feeds ``regressor_`` this, and turns the
        result into levels with :meth:`to_levels`.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows at time t, indexed by time (or ``(series, time)``).

        Returns
        -------
        X_adjusted : DataFrame of shape (n_samples, n_features)
            A copy of X with the target column divided by the seasonal index
            of each row's season.
        """
        check_is_fitted(self)
        adjusted = X.copy()
        column = target_position(X, self.target, type(self).__name__)
        values = self._target_values(X) / self._factors(X, [0])[:, 0]
        adjusted.isetitem(column, values)
        return adjusted

    def from_levels(self, y, X):
        """Deseasonalise ``y``: what ``regressor_`` learns.

        Part of the forecasting protocol (see :mod:`sklstm.forecasting`).

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Targets in their own units; column k is k + 1 steps after its row.
        X : DataFrame of shape (n_samples, n_features)
            The rows at time t the targets belong to.

        Returns
        -------
        z : ndarray of the shape of y
            y divided by the seasonal index of each target's season, float64.
        """
        check_is_fitted(self)
        y = np.asarray(y, dtype=np.float64)
        wide = y.reshape(len(y), -1)
        factors = self._factors(X, np.arange(1, wide.shape[1] + 1))
        return (wide / factors).reshape(y.shape)

    def to_levels(self, z, X):
        """Reseasonalise predictions of ``regressor_`` for the rows of X.

        The inverse of :meth:`from_levels`; part of the forecasting protocol
        (see :mod:`sklstm.forecasting`).

        Parameters
        ----------
        z : array-like of shape (n_samples,) or (n_samples, horizon)
            Adjusted predictions; column k is k + 1 steps after its row.
        X : DataFrame of shape (n_samples, n_features)
            The rows at time t the predictions are for.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
            float64 predictions in y's units.
        """
        check_is_fitted(self)
        z = np.asarray(z, dtype=np.float64)
        wide = z.reshape(len(z), -1)
        factors = self._factors(X, np.arange(1, wide.shape[1] + 1))
        return (wide * factors).reshape(z.shape)
