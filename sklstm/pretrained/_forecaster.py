"""PretrainedForecaster: a global LSTM pretrained on public series, as an estimator."""

import os
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted

from sklstm._time_index import date_frequency
from sklstm._validation import check_finite, check_nonnegative, check_y_given
from sklstm.panel import is_panel
from sklstm.pretrained._store import FREQUENCIES, fitted_recipe, read_config

__all__ = ["PretrainedForecaster", "load_pretrained"]

_OWN_RECIPE = (
    "fit your own recipe instead: sklstm.make_forecaster for one series, "
    "sklstm.make_global_forecaster for many (the command line's "
    "`sklstm forecast FILE --model local` does this)"
)

_OFFSETS = {
    "monthly": (pd.offsets.MonthEnd, pd.offsets.MonthBegin),
    "quarterly": (pd.offsets.QuarterEnd, pd.offsets.QuarterBegin),
    "yearly": (pd.offsets.YearEnd, pd.offsets.YearBegin),
}


def _time_labels(X):
    """The time labels of X's first series (a panel's second index level)."""
    index = getattr(X, "index", None)
    if index is None:
        return None
    if is_panel(X):
        first = index.get_level_values(0) == index[0][0]
        return index[first].get_level_values(-1)
    return index


def frequency_of(X):
    """``"monthly"``, ``"quarterly"``, ``"yearly"``, another offset's name, or None.

    Read from X's time index (a panel's time level); None when the index
    holds no dates (an integer index says nothing about the frequency).
    """
    times = _time_labels(X)
    if isinstance(times, pd.PeriodIndex):
        offset = times.freq
    elif isinstance(times, pd.DatetimeIndex):
        offset = date_frequency(times)
        if offset is None:
            return None
    else:
        return None
    for name, kinds in _OFFSETS.items():
        if isinstance(offset, kinds) and offset.n == 1:
            return name
    return offset.freqstr


class PretrainedForecaster(RegressorMixin, BaseEstimator):
    """A global LSTM pretrained on public series: forecasts a series it never saw.

    One network (or a few, as an ensemble) was trained on thousands of
    monthly, quarterly or yearly series of the M1 and Tourism forecasting
    competitions and ships inside sklstm (``benchmarks/pretrain.py`` made
    it; the configuration stored beside the weights says with what data,
    licences, settings, machine and time). It forecasts a new series from
    its last values alone, without training on it (zero-shot), in
    milliseconds on a CPU; with ``fine_tune_epochs`` it is first trained a
    few more epochs on the series given.

    ``fit`` loads the stored networks (without training them unless
    ``fine_tune_epochs`` > 0), so the estimator works wherever a fitted
    recipe does: :func:`~sklstm.forecast`, :func:`~sklstm.backtest` (each
    origin loads the same weights, or fine-tunes them on that origin's past
    only), :class:`~sklstm.ConformalForecaster`, pickle. Use
    :func:`load_pretrained` for a model fitted without data.

    It reads one non-negative series per panel entry (no covariates): each
    window and target is expressed as ``log1p`` changes from the window's
    last value, as in training. It forecasts at most ``max_steps_`` steps (24
    monthly, 8 quarterly, 6 yearly), and refuses other steps, frequencies,
    negative values and covariates with an error that says to fit your own
    recipe.

    Parameters
    ----------
    frequency : {"monthly", "quarterly", "yearly"}, default="monthly"
        The stored model to use. "yearly" also serves series without
        seasons. A time index of another frequency is refused.
    fine_tune_epochs : int, default=0
        Epochs of further training on the data given to ``fit`` (warm start
        from the stored weights, keeping their target scale); 0 forecasts
        zero-shot.
    fine_tune_learning_rate : float, default=1e-3
        Adam's learning rate while fine-tuning (a tenth of pretraining's).
    random_state : int or None, default=None
        Seed of the fine-tuning (shuffling, dropout).
    weights : str, path or None, default=None
        A directory holding a stored model of ``frequency`` (``config.json``
        and weights, as ``benchmarks/pretrain.py --out DIR`` writes them);
        None: the one shipped in sklstm.

    Attributes
    ----------
    forecaster_ : estimator
        The fitted global recipe (:func:`~sklstm.make_global_forecaster`)
        with the stored networks; :func:`~sklstm.forecast` predicts with it.
    max_steps_ : int
        The most steps the model forecasts (its networks' outputs).
    n_outputs_ : int
        Columns :meth:`predict` returns: those of the y given to ``fit``
        (``max_steps_`` without data).
    n_features_in_ : int
        Always 1: the series' values.
    config_ : dict
        The stored configuration: recipe, networks and provenance.

    See Also
    --------
    load_pretrained : The model fitted without data.
    sklstm.make_global_forecaster : Train a global recipe on your own panel.

    Examples
    --------
    >>> from sklstm import forecast
    >>> from sklstm.datasets import load_airline
    >>> from sklstm.pretrained import PretrainedForecaster
    >>> series = load_airline()
    >>> model = PretrainedForecaster("monthly").fit()
    >>> forecast(model, series[:"1959"], steps=12).round(-1).index[0]
    Period('1960-01', 'M')
    """

    #: It learned before it met the data: :func:`~sklstm.backtest` does not
    #: warn that a few windows are too few for it to learn from.
    pretrained = True

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "frequency": [StrOptions(set(FREQUENCIES))],
        "fine_tune_epochs": [Interval(Integral, 0, None, closed="left")],
        "fine_tune_learning_rate": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "weights": [str, os.PathLike, None],
    }

    def __init__(
        self,
        frequency="monthly",
        *,
        fine_tune_epochs=0,
        fine_tune_learning_rate=1e-3,
        random_state=None,
        weights=None,
    ):
        self.frequency = frequency
        self.fine_tune_epochs = fine_tune_epochs
        self.fine_tune_learning_rate = fine_tune_learning_rate
        self.random_state = random_state
        self.weights = weights

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Load the stored networks; with ``fine_tune_epochs``, train them on X, y.

        Parameters
        ----------
        X : DataFrame, Series or array-like of shape (n_samples, 1), default=None
            Rows at time t of one or many series, as
            ``make_supervised(series, horizon)`` gives them; a pandas time
            index is checked against ``frequency``. None loads the model
            without data (zero-shot only).
        y : array-like of shape (n_samples,) or (n_samples, horizon), default=None
            The values after t; ``horizon`` <= ``max_steps_``. Zero-shot,
            only its shape is used: the networks are not trained.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        config = read_config(self.frequency, self.weights)
        self.config_ = config
        self.max_steps_ = int(config["max_steps"])
        self.n_features_in_ = 1
        if X is None:
            if y is not None:
                raise ValueError(
                    f"{type(self).__name__}.fit got y without X: give both "
                    "(X, y = make_supervised(series, horizon)) or neither."
                )
            if self.fine_tune_epochs:
                raise ValueError(
                    f"{type(self).__name__}(fine_tune_epochs="
                    f"{self.fine_tune_epochs}) trains on your data: call "
                    "fit(X, y) with X, y = make_supervised(series, horizon)."
                )
            self.forecaster_ = fitted_recipe(config)
            self.n_outputs_, self._y_ndim = self.max_steps_, 2
            return self
        check_y_given(y, type(self).__name__)
        X = self._checked_rows(X)
        y2d = self._checked_targets(y, X)
        horizon = y2d.shape[1]
        # columns past y's horizon: the networks' own zero-shot answers, so
        # fine-tuning on a shorter horizon keeps the longer steps where they were
        padding = np.repeat(y2d[:, -1:], self.max_steps_ - horizon, axis=1)
        with warnings.catch_warnings():
            # the networks were trained on windows padded before each series'
            # start: a series shorter than the window is read as they were
            warnings.filterwarnings("ignore", message=r".*\(look_back=\d+\) was fit")
            self._fit_recipe(config, X, y2d, padding)
        self.n_outputs_ = horizon
        self._y_ndim = np.ndim(y)
        return self

    def _fit_recipe(self, config, X, y2d, padding):
        """The recipe with the stored networks on X (then fine-tuned on X, y)."""
        horizon = y2d.shape[1]
        zero_shot = fitted_recipe(config, X, np.hstack([y2d, padding]))
        if self.fine_tune_epochs:
            ahead = np.asarray(zero_shot.predict(X)).reshape(len(y2d), -1)
            targets = np.hstack([y2d, ahead[:, horizon:]])
            self.forecaster_ = fitted_recipe(
                config,
                X,
                targets,
                warm_start=True,
                epochs=self.fine_tune_epochs,
                learning_rate=self.fine_tune_learning_rate,
                learning_rate_schedule="constant",
                early_stopping=False,
                random_state=self.random_state,
            )
        else:
            self.forecaster_ = zero_shot

    def _checked_rows(self, X):
        """X as a one-column table, refused when the model cannot read it."""
        name = type(self).__name__
        frame = X.to_frame() if isinstance(X, pd.Series) else X
        if not hasattr(frame, "columns"):
            values = check_array(frame, ensure_all_finite=False, ensure_2d=False)
            frame = pd.DataFrame(values.reshape(len(values), -1))
        if frame.shape[1] != 1:
            raise ValueError(
                f"{name} reads one series' values, but X has {frame.shape[1]} "
                "columns. It takes no covariates: forecast the target alone, or "
                f"{_OWN_RECIPE}."
            )
        values = frame.iloc[:, 0].to_numpy(dtype=np.float64)
        index = getattr(X, "index", None)
        check_finite(
            values,
            f"{name}: X",
            "Fill or drop the missing values first.",
            index=index,
        )
        check_nonnegative(
            values,
            f"{name}: X",
            "The pretrained networks read log1p changes of non-negative series; "
            f"for a series with negative values {_OWN_RECIPE} "
            "(change='difference').",
            index=index,
        )
        self._check_frequency(frame)
        return self._named_as_fitted(frame)

    def _checked_targets(self, y, X):
        y_values = check_array(
            y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False
        )
        if len(y_values) != len(X):
            raise ValueError(
                f"X has {len(X)} rows but y has {len(y_values)}; they must match."
            )
        y2d = y_values.reshape(len(y_values), -1)
        check_finite(y2d, f"{type(self).__name__}: y", "Drop those rows.")
        if y2d.shape[1] > self.max_steps_:
            raise ValueError(
                f"y has {y2d.shape[1]} columns (steps ahead), but the pretrained "
                f"{self.frequency} model forecasts at most {self.max_steps_}: use "
                f"make_supervised(series, horizon<={self.max_steps_}), or "
                f"{_OWN_RECIPE}."
            )
        return y2d

    def _check_frequency(self, X):
        found = frequency_of(X)
        if found is not None and found != self.frequency:
            other = (
                f"use PretrainedForecaster(frequency={found!r}), or "
                if found in FREQUENCIES
                else "no pretrained model covers it: "
            )
            raise ValueError(
                f"The pretrained {self.frequency} model was trained on "
                f"{self.frequency} series, but this one's time index has "
                f"frequency {found!r}: {other}{_OWN_RECIPE}."
            )

    def _named_as_fitted(self, frame):
        """The one value column named as the recipe's input (any name is read)."""
        names = getattr(getattr(self, "forecaster_", None), "feature_names_in_", None)
        if names is None or frame.columns[0] == names[0]:
            return frame
        return frame.set_axis([names[0]], axis=1)

    def check_forecast(self, X, steps):
        """Refuse a forecast outside what the model was trained for.

        :func:`~sklstm.forecast` calls this before its first step.

        Parameters
        ----------
        X : DataFrame
            The history (rows at t, one column).
        steps : int
            Steps to forecast.

        Raises
        ------
        ValueError
            More than ``max_steps_`` steps, a time index of another frequency,
            covariates or negative values.
        """
        check_is_fitted(self)
        if steps > self.max_steps_:
            raise ValueError(
                f"The pretrained {self.frequency} model forecasts at most "
                f"{self.max_steps_} steps; {steps} were asked. Ask for fewer, or "
                f"{_OWN_RECIPE}."
            )
        self._checked_rows(X)

    def predict(self, X):
        """Predict the next ``n_outputs_`` values after each row of X.

        Parameters
        ----------
        X : DataFrame, Series or array-like of shape (n_samples, 1)
            Rows at time t (any column name).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            float64 predictions, column k for k + 1 steps after its row.
        """
        check_is_fitted(self)
        X = self._checked_rows(X)
        out = np.asarray(self.forecaster_.predict(X), dtype=np.float64)
        out = out.reshape(len(out), -1)[:, : self.n_outputs_]
        return out.ravel() if self._y_ndim == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.input_tags.allow_nan = False
        return tags


def load_pretrained(frequency="monthly", *, weights=None):
    """The pretrained global LSTM for ``frequency``, fitted and ready to forecast.

    Equivalent to ``PretrainedForecaster(frequency).fit()``: no download, no
    training. See :class:`PretrainedForecaster` for what it reads and
    refuses.

    Parameters
    ----------
    frequency : {"monthly", "quarterly", "yearly"}, default="monthly"
        Season length 12 (up to 24 steps), 4 (up to 8) or none (up to 6).
    weights : str, path or None, default=None
        A directory of your own pretrained model (``benchmarks/pretrain.py
        --out DIR``); None: the one shipped in sklstm.

    Returns
    -------
    model : PretrainedForecaster
        Fitted; works with :func:`~sklstm.forecast`,
        :func:`~sklstm.backtest` and :class:`~sklstm.ConformalForecaster`
        (wrap it in ``sklearn.frozen.FrozenEstimator`` there to keep it as
        it is), and pickles.

    Examples
    --------
    >>> from sklstm import forecast
    >>> from sklstm.datasets import load_airline
    >>> from sklstm.pretrained import load_pretrained
    >>> model = load_pretrained("monthly")
    >>> future = forecast(model, load_airline(), steps=24)
    >>> len(future), str(future.index[-1])
    (24, '1962-12')
    """
    return PretrainedForecaster(frequency, weights=weights).fit()
