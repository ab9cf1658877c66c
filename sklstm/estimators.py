"""LSTMRegressor and LSTMClassifier: Keras 3 recurrent networks as sklearn estimators.

The classes here hold parameters, check data and translate between
scikit-learn and Keras conventions; the network itself is built, trained and
run by :mod:`sklstm._network`, imported on first use so that importing sklstm
does not import TensorFlow.
"""

import contextlib
import contextvars
import dataclasses
import math
import numbers
import pickle
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from sklstm._network_spec import BatchStream, NetworkSpec, OutputSpec, epoch_orders
from sklstm._parameter_docs import document_parameters
from sklstm._tf_compat import configure_runtime, random_seed_scope
from sklstm._validation import (
    PositiveInt,
    PositiveInts,
    check_finite,
    check_y_given,
    describe_rows,
)

__all__ = ["LSTMClassifier", "LSTMRegressor"]

# Networks stored on disk (sklstm.pretrained) that LSTMRegressor.fit starts
# from instead of building a fresh one, one per fit in the order fits run.
_STORED_NETWORKS = contextvars.ContextVar("sklstm_stored_networks", default=None)


@contextlib.contextmanager
def stored_networks(networks):
    """Within this context, each ``LSTMRegressor.fit`` starts from a stored network.

    The n-th fit that runs inside the context takes the n-th network, as
    :meth:`LSTMRegressor.network_state` described it. With
    ``warm_start=False`` the fit only loads it (no training: X and y are
    checked against the stored network, and y's values are not learned
    from); with ``warm_start=True`` it then trains it further on X and y,
    keeping its target scale. A recipe of wrappers, pipelines and
    ensembles is so fitted by its own code, with the networks it was
    pretrained with (:mod:`sklstm.pretrained`).

    Parameters
    ----------
    networks : iterable of dict
        Network states, each with a ``"weights"`` entry: the path of its
        Keras weights file (``.weights.h5``).

    Yields
    ------
    None

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> from sklstm.estimators import stored_networks
    >>> X = np.random.default_rng(0).normal(size=(20, 4, 1))
    >>> trained = LSTMRegressor(units=4, epochs=2, random_state=0).fit(X, X[:, -1, 0])
    >>> import tempfile, pathlib
    >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "n.weights.h5")
    >>> trained.model_.save_weights(path)
    >>> state = {**trained.network_state(), "weights": path}
    >>> with stored_networks([state]):
    ...     loaded = LSTMRegressor(units=4).fit(X, X[:, -1, 0])
    >>> bool(np.allclose(loaded.predict(X), trained.predict(X)))
    True
    """
    token = _STORED_NETWORKS.set(iter(networks))
    try:
        yield
    finally:
        _STORED_NETWORKS.reset(token)


# Early stopping needs at least this many validation samples of every class;
# with fewer the classifier trains all epochs. Measured: holding out 1 or 2
# series of a class cost 0.02 to 0.33 of test accuracy on GunPoint, UnitTest,
# ArrowHead and Coffee (README, "Early stopping on small data").
MIN_VALIDATION_PER_CLASS = 3

_SHAPE_HELP = (
    "LSTM estimators take 3D input (samples, time_steps, features), or 2D "
    "input read as (samples, time_steps) of one feature."
)


def _as_tuple(counts):
    """One count or a list of them as a tuple of ints (one per layer or block)."""
    items = counts if isinstance(counts, tuple | list) else (counts,)
    return tuple(int(count) for count in items)


# What conv_filters="auto" stands for without state: LSTM-FCN's blocks at
# half their width. Its own (128, 256, 128) took twice the time and was no
# more accurate on ArrowHead (benchmarks/classification.py's sets).
AUTO_CONV_FILTERS = (64, 128, 64)


def _resolve_conv_filters(conv_filters, stateful):
    """``conv_filters`` as a tuple of ints, or None for no branch.

    "auto" is :data:`AUTO_CONV_FILTERS`, or None for a stateful network
    (whose convolutions would see one sample at a time).
    """
    if conv_filters is None:
        return None
    if isinstance(conv_filters, str):  # "auto"
        return None if stateful else AUTO_CONV_FILTERS
    return _as_tuple(conv_filters)


class _KerasLoss(Options):
    """Parameter constraint: a loss name Keras resolves.

    Keras resolves a loss name only when training starts; this resolves it
    when ``fit`` checks its parameters, so a typo fails at once with the fix
    named. Only a string is looked up (with Keras, which ``fit`` imports
    anyway).
    """

    def __init__(self):
        super().__init__(str, set())

    def is_satisfied_by(self, val):
        """Whether ``val`` is a loss name Keras knows."""
        return isinstance(val, str) and _keras_seam().is_loss_name(val)

    def __str__(self):
        return (
            "a name from keras.losses (such as 'mse', 'mae', 'huber' or "
            "'binary_crossentropy')"
        )


class _KerasCallbacks(Options):
    """Parameter constraint: a list of ``keras.callbacks.Callback`` instances."""

    def __init__(self):
        super().__init__(list, set())

    def is_satisfied_by(self, val):
        """Whether ``val`` is a list of Keras callbacks."""
        return isinstance(val, list) and (
            not val or all(_keras_seam().is_callback(item) for item in val)
        )

    def __str__(self):
        return "a list of keras.callbacks.Callback instances"


def _keras_seam():
    """:mod:`sklstm._network`, imported once the process is set up for it.

    Its import imports TensorFlow, which reads its settings then (see
    :func:`~sklstm._tf_compat.configure_runtime`).
    """
    configure_runtime()
    from sklstm import _network

    return _network


def _rows_of(rows, X, y, sample_weight):
    """``(X, y)`` or ``(X, y, sample_weight)`` at ``rows``, as Keras takes them.

    None for no rows (no validation data).
    """
    if rows is None:
        return None
    arrays = (X[rows], y[rows])
    return arrays if sample_weight is None else (*arrays, sample_weight[rows])


def _series_starts(X, empty):
    """Which of the ``empty`` samples look like the start of a windowed series.

    The first windows of a series (one of many in a panel, or the only one)
    have no observed step: their steps lie before the series began. They are
    the samples before the first observed one, and each run of empty samples
    followed by a window whose first step is missing too (its history reaches
    back before a start). A run of empty samples followed by a full window is
    a gap inside a series, worth a warning.
    """
    n_samples = len(X)
    observed = np.flatnonzero(~empty)
    # for every sample, the position of the next sample with an observed step
    following = np.full(n_samples, n_samples)
    following[observed] = observed
    following = np.minimum.accumulate(following[::-1])[::-1]
    leading = np.arange(n_samples) < observed[0]
    first_step_missing = np.append(np.isnan(X[:, 0]).any(axis=1), False)
    return (leading | first_step_missing[following])[empty]


def _time_step_missing(X):
    """(n_samples, time_steps) mask of steps holding NaN in any feature."""
    return np.isnan(X).any(axis=2)


def _window_batches(windows, rows, *, batch_size, shuffle, seed, mean, scale):
    """A :class:`BatchStream` over the samples ``rows`` (a range) of ``windows``.

    Batch j of an epoch holds the samples ``order[j * batch_size : ...]``:
    ``rows`` in order, or with ``shuffle`` each epoch's order from
    :func:`~sklstm._network_spec.epoch_orders` seeded by ``seed``: the order
    :meth:`fit` gives the same rows, so both train on the same batches. The
    targets are standardized with ``mean`` and ``scale`` per batch.
    """
    count = len(rows)
    steps = math.ceil(count / batch_size)
    orders = epoch_orders(rows.start, rows.stop, seed) if shuffle else None
    state = {"epoch": -1, "order": None}

    def batch(number):
        epoch, j = divmod(number, steps)
        if orders is None:
            picked = np.arange(
                rows.start + j * batch_size,
                rows.start + min((j + 1) * batch_size, count),
            )
        else:
            while state["epoch"] < epoch:  # batches come in order
                state["order"] = next(orders)
                state["epoch"] += 1
            picked = state["order"][j * batch_size : (j + 1) * batch_size]
        X, y = windows.gather(picked)
        y = (np.asarray(y, dtype=np.float64).reshape(len(picked), -1) - mean) / scale
        return np.asarray(X, dtype=np.float32), y.astype(np.float32)

    return BatchStream(
        batch, steps, windows.time_steps, windows.n_features, windows.n_outputs
    )


class _BaseLSTM(BaseEstimator):
    """Parameters, input checks and the Keras training loop shared by both tasks.

    Subclasses say what y becomes for the network (``_encode_y``), the output
    layer and loss (``_output_spec``), how the validation rows are chosen
    (``_validation_split``) and turn network outputs back into answers.
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        "units": [PositiveInt(), PositiveInts()],
        "cell": [StrOptions({"lstm", "gru"})],
        "bidirectional": ["boolean"],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "dense_units": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "conv_filters": [StrOptions({"auto"}), None, PositiveInts()],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "learning_rate_schedule": [StrOptions({"constant", "cosine"})],
        "optimizer": [StrOptions({"adam", "adamw", "nadam", "rmsprop", "sgd"})],
        "clipnorm": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "loss": [_KerasLoss(), callable, None],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "shuffle": ["boolean", StrOptions({"auto"})],
        "stateful": ["boolean"],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [_KerasCallbacks(), None],
    }

    # ----------------------------------------------------------------- checks
    def _check_combinations(self):
        """Parameter combinations that cannot work, refused before training.

        Returns ``units`` and ``conv_filters`` as tuples (None for no
        convolutional branch).
        """
        name = type(self).__name__
        units = _as_tuple(self.units)
        conv_filters = _resolve_conv_filters(self.conv_filters, self.stateful)
        if self.stateful:
            if conv_filters:
                raise ValueError(
                    f"{name}(stateful=True) cannot have a convolutional branch: "
                    "its convolutions see one sample at a time and carry "
                    'nothing to the next. Use conv_filters=None (or "auto").'
                )
            if self.shuffle is True:
                raise ValueError(
                    f"{name}(stateful=True) carries state from each sample to the "
                    "next in row order, so rows cannot be shuffled: use "
                    "shuffle='auto' or shuffle=False."
                )
            if self.bidirectional:
                raise ValueError(
                    f"{name}(stateful=True) cannot be bidirectional: a backward "
                    "pass has no state to carry to the next sample. Use "
                    "bidirectional=False."
                )
            if self.early_stopping:
                raise ValueError(
                    f"{name}(stateful=True) does not support early_stopping: its "
                    "validation rows would need the state of the rows before them. "
                    "Use early_stopping=False and choose epochs by "
                    "cross-validation."
                )
        return units, conv_filters

    def _validate_X(self, X, *, reset):
        """Return X as a float32 (samples, time_steps, features) array."""
        name = type(self).__name__
        try:
            ndim = X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim
        except ValueError as error:  # ragged nested lists
            raise ValueError(
                f"{name} got samples of different lengths or shapes, which do "
                "not form one (samples, time_steps, features) array. Pad them "
                "with sklstm.to_3d (missing steps become NaN and are masked)."
            ) from error
        if ndim not in (2, 3):
            fix = (
                "Reshape your data: for one window per row use To3D (or "
                "X.reshape(1, -1) for a single sample with one feature per "
                "time step); for whole sequences use to_3d."
                if ndim < 2
                else "Reshape to (samples, time_steps, features)."
            )
            raise ValueError(
                f"{name} got an array with {ndim} dimensions, shape "
                f"{np.shape(X)}. {_SHAPE_HELP} {fix}"
            )
        fitted_ndim = None if reset else self._input_ndim
        if ndim == 2 and fitted_ndim in (None, 2):
            # sklearn's own semantics: columns (time steps) and names are checked
            X = validate_data(
                self,
                X,
                reset=reset,
                dtype=(np.float32, np.float64),
                ensure_all_finite=False,
            )
            X = X[:, :, np.newaxis]
        else:
            X = check_array(
                X,
                allow_nd=True,
                dtype=(np.float32, np.float64),
                ensure_all_finite=False,
            )
            if X.ndim == 2:
                X = X[:, :, np.newaxis]
            if reset:
                self.n_features_in_ = X.shape[2]
                if hasattr(self, "feature_names_in_"):
                    del self.feature_names_in_
            elif X.shape[2] != self._step_features:
                raise ValueError(
                    f"X has {X.shape[2]} features per time step, but {name} was "
                    f"fitted with {self._step_features}. {_SHAPE_HELP}"
                )
        if X.shape[1] == 0:
            raise ValueError(f"{name} got samples with 0 time steps; {_SHAPE_HELP}")
        if reset:
            self._input_ndim = ndim
            self._step_features = X.shape[2]
        X = X.astype(np.float32, copy=False)
        inf = np.isinf(X).any(axis=(1, 2))
        if inf.any():
            raise ValueError(
                f"Input X contains infinity in rows {describe_rows(inf)}. Replace "
                "it with NaN to mark a missing time step, or with a finite value."
            )
        return X

    def _validate_y_values(self, y):
        """Refuse NaN and inf in a float y, naming the rows."""
        check_finite(y, "Input y", "Drop those rows (a target cannot be missing).")

    def _draw_seed(self):
        """The seed of one fit (None when ``random_state`` is None).

        Drawn once per fit and handed to everything random in it: a
        RandomState instance gives another seed at each draw.
        """
        if self.random_state is None:
            return None
        if isinstance(self.random_state, numbers.Integral):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    # ---------------------------------------------------------------- fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, groups=None):
        """Train the network on windows X and targets y.

        Parameters
        ----------
        X : array-like of shape (n_samples, time_steps, n_features) or \
(n_samples, time_steps)
            Windows, oldest time step first; NaN marks a missing step (it is
            masked). A 2D X is read as one feature per time step.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        groups : array-like of shape (n_samples,), default=None
            With ``stateful=True``: the LSTM state is also reset wherever the
            group label changes (several independent sequences in one call).
            Ignored otherwise.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        check_y_given(y, type(self).__name__)
        units, conv_filters = self._check_combinations()
        stored = _STORED_NETWORKS.get()
        if stored is not None:
            self._start_from(next(stored, None), X, y)
            if not self.warm_start:
                return self
        continuing = self.warm_start and hasattr(self, "model_")
        X = self._validate_X(X, reset=not continuing)
        check_consistent_length(X, y)
        y_net, sample_weight = self._encode_y(y, reset=not continuing)
        groups = self._check_groups(groups, len(X))
        n_given = len(X)
        X, y_net, sample_weight, groups = self._drop_unobserved(
            X, y_net, sample_weight, groups
        )
        batch_size, order = self._training_order(len(X), groups, n_given - len(X))
        spec = NetworkSpec.from_estimator(
            self,
            units=units,
            conv_filters=conv_filters,
            batch_size=batch_size,
            # a network with two branches always has its mask: it cannot be
            # given one later (with_nan_mask replays a chain of layers)
            mask_nan=bool(conv_filters) or bool(np.isnan(X).any()),
        )
        if continuing:
            self._check_same_network(spec)
        seed = self._draw_seed()  # one draw: the split, the weights, the shuffling
        if self.early_stopping:  # val is None when too few rows would validate
            train, val = self._validation_split(y_net, seed)
        else:  # a stateful network trains in stream order
            train, val = (np.arange(len(X)) if order is None else order), None
        _network = _keras_seam()
        with random_seed_scope(seed):
            if not continuing:
                self._spec = spec
                self.model_ = self._build(spec, X.shape[2], y_net, seed)
                self.loss_curve_ = []
                self.history_ = {}
            elif self._training_setup() != getattr(self, "_compiled_with", None):
                self._compile(y_net)  # new optimizer, learning rate or loss
            history = _network.fit_network(
                self.model_,
                _rows_of(train, X, y_net, sample_weight),
                validation=_rows_of(val, X, y_net, sample_weight),
                batch_size=batch_size,
                epochs=self.epochs,
                shuffle=self._shuffles,
                seed=seed,
                callbacks=self._training_callbacks(
                    validating=val is not None,
                    reset_batches=self._reset_batches(groups)
                    if spec.stateful
                    else None,
                ),
                fixed_batch=spec.stateful,
            )
        self._record(history)
        return self

    def _training_callbacks(self, *, validating, reset_batches=None):
        """The callbacks of one fit: the user's, then sklstm's own."""
        return _keras_seam().training_callbacks(
            self.callbacks,
            epochs=self.epochs,
            verbose=self.verbose,
            patience=self.n_iter_no_change if validating else None,
            reset_batches=reset_batches,
            cosine_from=self.learning_rate
            if self.learning_rate_schedule == "cosine"
            else None,
        )

    def _record(self, history):
        """Append a fit's Keras history to ``history_`` and ``loss_curve_``."""
        for key, values in history.history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)
        self.loss_curve_ = list(self.history_.get("loss", []))
        self.n_iter_ = len(self.loss_curve_)
        self._cache = {}

    @property
    def _shuffles(self):
        return (not self.stateful) if self.shuffle == "auto" else bool(self.shuffle)

    def _check_groups(self, groups, n_samples):
        if groups is None:
            return None
        groups = column_or_1d(groups)
        if len(groups) != n_samples:
            raise ValueError(
                f"groups has {len(groups)} entries but X has {n_samples} samples; "
                "give one group label per sample."
            )
        return groups

    def _drop_unobserved(self, X, y, sample_weight, groups):
        """Drop (with a warning) samples whose time steps are all missing."""
        empty = _time_step_missing(X).all(axis=1)
        if not empty.any():
            return X, y, sample_weight, groups
        if empty.all():
            raise ValueError(
                "Every sample of X is missing all its time steps (NaN); there is "
                "nothing to train on."
            )
        if self._warns_on_leading_drop or not _series_starts(X, empty).all():
            warnings.warn(
                f"{type(self).__name__}: dropped samples with no observed time "
                f"step (all NaN) before training: rows {describe_rows(empty)}."
                + self._dropped_note(y, empty),
                UserWarning,
                stacklevel=3,
            )
        keep = ~empty
        return (
            X[keep],
            y[keep],
            None if sample_weight is None else sample_weight[keep],
            None if groups is None else groups[keep],
        )

    # Samples with no observed step where a windowed or differenced series
    # starts (see _series_starts) are dropped silently by the regressor.
    _warns_on_leading_drop = False

    def _dropped_note(self, y_net, dropped):
        """Extra words for the warning about dropped samples."""
        return ""

    def _training_order(self, n_samples, groups, n_dropped=0):
        """Batch size and row order for Keras.

        Without state, Keras batches the rows (and shuffles them if asked).
        With ``stateful=True`` sample ``i`` of one batch hands its state to
        sample ``i`` of the next, so the rows are dealt into ``batch_size``
        consecutive streams: state then carries from each row to the next.
        """
        batch_size = self._batch_size(n_samples)
        if not self.stateful:
            return min(batch_size, n_samples), None
        name = type(self).__name__
        if groups is not None and batch_size != 1:
            raise ValueError(
                f"{name}(stateful=True) resets state at group changes only with "
                f"batch_size=1; got batch_size={batch_size}."
            )
        if n_samples % batch_size:
            dropped = (
                f" (X had {n_samples + n_dropped}: {n_dropped} samples with no "
                "observed time step are not trained on)"
                if n_dropped
                else ""
            )
            raise ValueError(
                f"{name}(stateful=True) needs the number of samples to be a "
                f"multiple of batch_size={batch_size}; got {n_samples}{dropped}. "
                "Use batch_size=1 or a divisor of the sample count."
            )
        streams = np.arange(n_samples).reshape(batch_size, -1)
        return batch_size, streams.T.ravel()

    def _batch_size(self, n_samples):
        """``batch_size``, with "auto" resolved for ``n_samples`` rows.

        "auto" is one stream when stateful; otherwise ``ceil(n_samples / 8)``
        within [8, 32], so that a small data set still gets about 8 gradient
        steps per epoch.
        """
        if self.batch_size != "auto":
            return self.batch_size
        if self.stateful:
            return 1
        return min(32, max(8, math.ceil(n_samples / 8)))

    def _reset_batches(self, groups):
        """Batch numbers (batch_size=1) at which a new group starts."""
        if groups is None:
            return ()
        changes = np.flatnonzero(groups[1:] != groups[:-1]) + 1
        return tuple(int(c) for c in changes)

    def _check_same_network(self, spec):
        """warm_start continues the fitted network: its structure must not change."""
        name = type(self).__name__
        if spec.mask_nan and not self._spec.mask_nan:
            raise ValueError(
                f"warm_start=True continues a {name} built for data without "
                "missing time steps, but this X has NaN. Refit with "
                "warm_start=False."
            )
        changes = spec.structural_changes(self._spec)
        if changes:
            was = {k: old for k, (old, _) in changes.items()}
            now = {k: new for k, (_, new) in changes.items()}
            raise ValueError(
                f"warm_start=True continues the fitted {name} network, but its "
                f"structure changed: {was} -> {now}. Restore those parameters, "
                "or refit with warm_start=False."
            )

    def _start_from(self, state, X, y):
        """Load a stored network (see ``stored_networks``) for X and y."""
        raise NotImplementedError(
            f"{type(self).__name__} cannot start from a stored network; only "
            "LSTMRegressor can."
        )

    @property
    def _masks_nan(self):
        return self._spec.mask_nan

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def _build(self, spec, n_features, y_net, seed):
        _network = _keras_seam()
        self.model_ = _network.build_network(
            spec, n_features=n_features, output=self._output_spec(y_net), seed=seed
        )
        self._compile(y_net)
        return self.model_

    def _training_setup(self):
        """The parameters ``model_`` is compiled with."""
        return {
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            # a cosine fit leaves the optimizer at its last, tiny step size
            "learning_rate_schedule": self.learning_rate_schedule,
            "clipnorm": self.clipnorm,
            "loss": self.loss,
        }

    def _compile(self, y_net):
        """(Re)compile ``model_`` with a fresh optimizer from the parameters."""
        _network = _keras_seam()
        loss = self._output_spec(y_net).loss if self.loss is None else self.loss
        _network.compile_network(
            self.model_,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            clipnorm=self.clipnorm,
            loss=loss,
        )
        self._compiled_with = self._training_setup()

    # ------------------------------------------------------------- predicting
    def _network_output(self, X, groups=None):
        """Raw network outputs for X (float32), with every predict-time check."""
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        empty = _time_step_missing(X).all(axis=1)
        if empty.any():
            raise ValueError(
                f"Cannot predict samples with no observed time step (all NaN): rows "
                f"{describe_rows(empty)}. The first rows of a windowed or differenced "
                "series have no history: predict on rows that directly follow the "
                "fitted ones (pandas input; their history is remembered), or drop "
                "those rows."
            )
        groups = self._check_groups(groups, len(X))
        _network = _keras_seam()
        if self._spec.stateful:  # the fitted network's, not set_params'
            return _network.predict_stateful(
                self._stateful_twin(), X, self._reset_batches(groups)
            )
        model = self.model_
        if not self._masks_nan and np.isnan(X).any():
            if "masked" not in self._cache:
                self._cache["masked"] = _network.with_nan_mask(model)
            model = self._cache["masked"]
        return _network.predict_network(model, X, self._spec.batch_size)

    def _stateful_twin(self):
        """A non-stateful copy returning every step, with the fitted weights."""
        _network = _keras_seam()
        if "stateful" not in self._cache:
            spec = dataclasses.replace(self._spec, stateful=False, mask_nan=True)
            self._cache["stateful"] = _network.sequence_twin(self.model_, spec)
        return self._cache["stateful"]

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_cache", None)  # compiled helpers, rebuilt on demand
        if "model_" in state:
            # Keras pickles the model itself, but loading it needs sklstm's
            # layers (NaNMask) registered, which happens when sklstm._network
            # is imported: so the model travels as bytes that __setstate__
            # loads after that import, even in a fresh process.
            state["_model_pickle"] = pickle.dumps(state.pop("model_"))
        return state

    def __setstate__(self, state):
        state = dict(state)
        model_pickle = state.pop("_model_pickle", None)
        if isinstance(state.get("_spec"), dict):  # pickled before NetworkSpec existed
            state["_spec"] = NetworkSpec(**state["_spec"])
        # pickled before these parameters existed: the network they trained
        state.setdefault("conv_filters", None)
        state.setdefault("learning_rate_schedule", "constant")
        if "_compiled_with" in state:
            state["_compiled_with"] = {
                "learning_rate_schedule": "constant",
                **state["_compiled_with"],
            }
        self.__dict__.update(state)
        if model_pickle is not None:
            _keras_seam()  # registers sklstm's layers with Keras

            self.model_ = pickle.loads(model_pickle)  # our own bytes
        self._cache = {}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        return tags


@document_parameters(
    {
        "samples": "rows",
        "default_loss": "mean squared error",
        "validation_samples": "the chronologically LAST ``validation_fraction`` "
        "of the rows (never shuffled)",
        "kept_when_warm": "``standardize_target``",
        "seeded": "weights, dropout and shuffling",
    }
)
class LSTMRegressor(RegressorMixin, _BaseLSTM):
    """Recurrent (LSTM or GRU) neural network regressor on Keras 3.

    Takes windows ``(samples, time_steps, features)`` and predicts one value
    (or one per column of a 2D y) per window, in y's units. Use it after
    :class:`~sklstm.LagWindower` and :class:`~sklstm.To3D` in a Pipeline, or on
    3D arrays from :func:`~sklstm.to_3d`.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    history_ : dict of lists
        Per-epoch ``loss`` (and ``val_loss``) as Keras reports them.
    loss_curve_ : list of float
        Training loss per epoch (on the standardized target).
    n_iter_ : int
        Epochs run (all fits, with ``warm_start``).
    n_features_in_ : int
        Features per time step for 3D input; the number of columns for 2D.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a 2D DataFrame X.
    target_mean_, target_scale_ : ndarray of shape (n_outputs,)
        Standardization of y (0 and 1 when ``standardize_target=False``).

    See Also
    --------
    LSTMClassifier : The same network for sequence classification.
    sklstm.make_forecaster : The recommended forecasting recipe around it.

    Notes
    -----
    NaN in X marks a missing time step: the network masks it (the LSTM skips
    it). Samples with no observed step are dropped in ``fit`` (with a warning
    naming them, unless they are only the leading rows every windowed or
    differenced series starts with) and are an error in ``predict``. The time
    axis is free for 3D input: predict may use windows of another length.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> X = np.random.default_rng(0).normal(size=(40, 5, 2))
    >>> y = X[:, -1, 0] + X[:, -2, 1]
    >>> reg = LSTMRegressor(units=4, epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape, reg.predict(X[:3]).dtype
    ((3,), dtype('float64'))
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        **_BaseLSTM._parameter_constraints,
        "standardize_target": ["boolean"],
    }

    def __init__(
        self,
        units=32,
        *,
        cell="lstm",
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        dense_units=None,
        conv_filters=None,
        epochs=200,
        batch_size=32,
        learning_rate=0.005,
        learning_rate_schedule="constant",
        optimizer="adam",
        clipnorm=None,
        loss=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=20,
        shuffle="auto",
        stateful=False,
        warm_start=False,
        random_state=None,
        verbose=0,
        callbacks=None,
        standardize_target=True,
    ):
        self.units = units
        self.cell = cell
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.conv_filters = conv_filters
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.optimizer = optimizer
        self.clipnorm = clipnorm
        self.loss = loss
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.stateful = stateful
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.standardize_target = standardize_target

    def _encode_y(self, y, *, reset):
        y = check_array(
            y,
            ensure_2d=False,
            allow_nd=True,
            dtype=np.float64,
            ensure_all_finite=False,
            copy=True,
        )
        self._validate_y_values(y)
        if y.ndim > 2:
            raise ValueError(
                f"y must be 1D (n_samples,) or 2D (n_samples, n_outputs); got shape "
                f"{y.shape}."
            )
        y2d = y.reshape(len(y), -1)
        if reset:
            self._y_ndim = y.ndim
            if self.standardize_target:
                self.target_mean_ = y2d.mean(axis=0)
                scale = y2d.std(axis=0)
                self.target_scale_ = np.where(scale > 0, scale, 1.0)
            else:
                self.target_mean_ = np.zeros(y2d.shape[1])
                self.target_scale_ = np.ones(y2d.shape[1])
            self._standardized_target = bool(self.standardize_target)
        elif y2d.shape[1] != len(self.target_mean_):
            raise ValueError(
                f"warm_start=True continues a network with {len(self.target_mean_)} "
                f"outputs, but y has {y2d.shape[1]} columns. Refit with "
                "warm_start=False."
            )
        elif bool(self.standardize_target) != getattr(
            self, "_standardized_target", bool(self.standardize_target)
        ):
            raise ValueError(
                "warm_start=True continues a network trained with "
                f"standardize_target={self._standardized_target}, which fixes the "
                "scale of its outputs; restore it, or refit with warm_start=False."
            )
        y_net = (y2d - self.target_mean_) / self.target_scale_
        return y_net.astype(np.float32), None

    def _output_spec(self, y_net):
        return OutputSpec(y_net.shape[1], "linear", "mse")

    def network_state(self):
        """What rebuilds the fitted network besides its weights.

        With the weights (``model_.save_weights(path)``), this is what
        ``sklstm.estimators.stored_networks`` needs to give another
        ``LSTMRegressor`` with
        the same parameters this fitted network, in any process and after
        any refactoring of sklstm's modules: plain JSON-ready values, no
        pickled classes.

        Returns
        -------
        state : dict
            ``spec`` (the network's structure), ``n_features``,
            ``target_mean`` and ``target_scale`` (the target's
            standardization), ``standardized_target`` and ``y_ndim``.
        """
        check_is_fitted(self)
        spec = {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in dataclasses.asdict(self._spec).items()
        }
        return {
            "spec": spec,
            "n_features": int(self._step_features),
            "target_mean": [float(v) for v in self.target_mean_],
            "target_scale": [float(v) for v in self.target_scale_],
            "standardized_target": bool(self._standardized_target),
            "y_ndim": int(self._y_ndim),
        }

    def _start_from(self, state, X, y):
        name = type(self).__name__
        if state is None:
            raise ValueError(
                f"{name}.fit ran inside stored_networks more times than networks "
                "were stored: the recipe does not match the stored one."
            )
        spec = NetworkSpec(
            **{
                key: tuple(value) if isinstance(value, list) else value
                for key, value in state["spec"].items()
            }
        )
        units, conv_filters = self._check_combinations()
        changes = NetworkSpec.from_estimator(
            self, units=units, conv_filters=conv_filters, mask_nan=spec.mask_nan
        ).structural_changes(spec)
        if changes:
            raise ValueError(
                f"The stored network differs from this {name}'s parameters in "
                f"{sorted(changes)}: set them as stored."
            )
        X = self._validate_X(X, reset=True)
        y2d = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
        n_outputs = len(state["target_mean"])
        if X.shape[2] != state["n_features"] or y2d.shape[1] != n_outputs:
            raise ValueError(
                f"The stored network reads {state['n_features']} features per time "
                f"step and answers {n_outputs} targets; X has {X.shape[2]} "
                f"features per step and y {y2d.shape[1]} columns."
            )
        self.n_features_in_ = self._step_features = int(state["n_features"])
        self.target_mean_ = np.asarray(state["target_mean"], dtype=np.float64)
        self.target_scale_ = np.asarray(state["target_scale"], dtype=np.float64)
        self._standardized_target = bool(state["standardized_target"])
        self._y_ndim = int(state["y_ndim"])
        self._spec = spec
        y_shape = np.empty((0, n_outputs), dtype=np.float32)
        self.model_ = self._build(spec, self.n_features_in_, y_shape, None)
        self.model_.load_weights(state["weights"])
        self.loss_curve_ = []
        self.history_ = {}
        self.n_iter_ = 0
        self._cache = {}

    def _validation_split(self, y_net, seed):
        """The chronologically last rows validate; never shuffled (no ``seed``)."""
        n_train = self._n_training_rows(len(y_net))
        return np.arange(n_train), np.arange(n_train, len(y_net))

    def _n_training_rows(self, n):
        """Rows before the last ``validation_fraction`` of ``n`` (which validate)."""
        n_val = int(np.ceil(self.validation_fraction * n))
        if n_val < 1 or n - n_val < 1:
            raise ValueError(
                f"early_stopping with validation_fraction={self.validation_fraction}"
                f" leaves no training or no validation rows out of {n}."
            )
        return n - n_val

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_stream(self, windows):
        """Train on windows gathered batch by batch while the network trains.

        The large-panel path (:func:`sklstm.fit_panel`) calls this: the
        windows of every series are never held at once, only each batch's.
        Everything else is :meth:`fit`'s: the same network (built from the
        same parameters, a ``NaNMask`` in front when windows have missing
        steps), optimizer, callbacks, target standardization and seeds.
        The batches are :meth:`fit`'s too: with the same seed, both draw
        each epoch's order of the samples from the same NumPy generator, so
        on the same windows and targets they train the same weights (within
        float32 rounding).

        Parameters
        ----------
        windows : object
            The samples, with attributes ``n_samples``, ``time_steps``,
            ``n_features``, ``n_outputs``, ``y_ndim`` (1 or 2, the shape
            :meth:`predict` answers in) and ``has_missing`` (whether any
            window has a missing step), and methods ``target_moments()``
            (the mean and standard deviation of each target column over all
            samples) and ``gather(rows)`` (the windows ``(len(rows),
            time_steps, n_features)``, NaN for a missing step, and targets
            ``(len(rows), n_outputs)`` of the samples numbered ``rows``).

        Returns
        -------
        self : object
            The fitted estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm import LSTMRegressor
        >>> from sklstm.large_panel import ArrayWindows
        >>> X = np.random.default_rng(0).normal(size=(40, 5, 1))
        >>> windows = ArrayWindows(X, X[:, -1, 0])
        >>> reg = LSTMRegressor(units=4, epochs=2, random_state=0)
        >>> reg.fit_stream(windows).predict(X[:3]).shape
        (3,)
        """
        name = type(self).__name__
        units, conv_filters = self._check_combinations()
        if self.stateful:
            raise ValueError(
                f"{name}.fit_stream draws windows from anywhere in the data, so "
                "it cannot carry state from one sample to the next: use "
                "stateful=False, or fit on windows in order with fit()."
            )
        if self.warm_start and hasattr(self, "model_"):
            raise ValueError(
                f"{name}(warm_start=True).fit_stream would continue the fitted "
                "network, which fit_stream does not do: use warm_start=False, "
                "or continue with fit()."
            )
        n = int(windows.n_samples)
        if n < 1:
            raise ValueError(f"{name}.fit_stream got no windows to train on.")
        mean, std = (np.asarray(m, dtype=np.float64) for m in windows.target_moments())
        if self.standardize_target:
            self.target_mean_ = mean
            self.target_scale_ = np.where(std > 0, std, 1.0)
        else:
            self.target_mean_ = np.zeros(windows.n_outputs)
            self.target_scale_ = np.ones(windows.n_outputs)
        self._standardized_target = bool(self.standardize_target)
        self._y_ndim = int(windows.y_ndim)
        self.n_features_in_ = self._step_features = int(windows.n_features)
        self._input_ndim = 3
        if hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        batch_size = min(self._batch_size(n), n)
        spec = NetworkSpec.from_estimator(
            self,
            units=units,
            conv_filters=conv_filters,
            batch_size=batch_size,
            mask_nan=bool(conv_filters) or bool(windows.has_missing),
        )
        seed = self._draw_seed()
        n_train = self._n_training_rows(n) if self.early_stopping else n
        streams = {
            "train": range(n_train),
            "validation": range(n_train, n) if n_train < n else None,
        }
        batches = {
            part: None
            if rows is None
            else _window_batches(
                windows,
                rows,
                batch_size=batch_size,
                shuffle=self._shuffles and part == "train",
                seed=seed,
                mean=self.target_mean_,
                scale=self.target_scale_,
            )
            for part, rows in streams.items()
        }
        y_shape = np.empty((0, windows.n_outputs), dtype=np.float32)
        _network = _keras_seam()
        with random_seed_scope(seed):
            self._spec = spec
            self.model_ = self._build(spec, self.n_features_in_, y_shape, seed)
            self.loss_curve_ = []
            self.history_ = {}
            history = _network.fit_stream(
                self.model_,
                batches["train"],
                validation=batches["validation"],
                epochs=self.epochs,
                callbacks=self._training_callbacks(
                    validating=batches["validation"] is not None
                ),
            )
        self._record(history)
        return self

    def predict(self, X, groups=None):
        """Predict y for each window, in y's units.

        Parameters
        ----------
        X : array-like of shape (n_samples, time_steps, n_features) or \
(n_samples, time_steps)
            Windows; NaN marks a missing time step.
        groups : array-like of shape (n_samples,), default=None
            With ``stateful=True``: reset the state where the label changes.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            float64 predictions.
        """
        out = self._network_output(X, groups).astype(np.float64)
        out = out * self.target_scale_ + self.target_mean_
        return out.ravel() if self._y_ndim == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


@document_parameters(
    {
        "samples": "samples",
        "default_loss": "binary cross-entropy for two classes and sparse "
        "categorical cross-entropy for more",
        "validation_samples": "a STRATIFIED ``validation_fraction`` of the "
        "samples (rows are independent sequences, and files are often sorted "
        "by class)",
        "kept_when_warm": "the classes",
        "seeded": "weights, dropout, shuffling and the validation split",
    },
    notes={
        "batch_size": "Sequence data sets are often small, hence this default: "
        "with 2 steps per epoch a network on long sequences stays at chance "
        "for most of its epochs.",
        "clipnorm": "Long sequences give rare huge gradients that throw a "
        "trained network back to chance; clipping keeps training stable.",
        "n_iter_no_change": "On a few dozen sequences the validation loss is "
        "noisy, hence the long default patience.",
        "early_stopping": "When the stratified share would hold fewer than 3 "
        "samples of some class, the classifier warns and trains all ``epochs`` "
        "on all samples instead (exactly the fit without early stopping).",
    },
)
class LSTMClassifier(ClassifierMixin, _BaseLSTM):
    """Recurrent (LSTM or GRU) neural network classifier on Keras 3.

    Classifies whole sequences ``(samples, time_steps, features)``. Labels may
    be anything sklearn accepts (ints, strings); the output layer and loss are
    chosen from the number of classes (one sigmoid unit and binary
    cross-entropy for two classes, softmax and sparse categorical
    cross-entropy for more).

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    model_ : keras.Model
        The trained network.
    history_ : dict of lists
        Per-epoch ``loss`` (and ``val_loss``).
    loss_curve_ : list of float
        Training loss per epoch.
    n_iter_ : int
        Epochs run.
    n_features_in_ : int
        Features per time step for 3D input; the number of columns for 2D.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a 2D DataFrame X.

    See Also
    --------
    LSTMRegressor : The same network for regression.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> X = np.random.default_rng(0).normal(size=(40, 5, 1))
    >>> y = np.where(X[:, 0, 0] > 0, "up", "down")
    >>> clf = LSTMClassifier(units=4, epochs=2, random_state=0).fit(X, y)
    >>> clf.classes_.tolist(), clf.predict_proba(X[:3]).shape
    (['down', 'up'], (3, 2))
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        **_BaseLSTM._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        units=32,
        *,
        cell="lstm",
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        dense_units=None,
        conv_filters="auto",
        epochs=200,
        batch_size="auto",
        learning_rate=0.001,
        learning_rate_schedule="cosine",
        optimizer="adam",
        clipnorm=1.0,
        loss=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=50,
        shuffle="auto",
        stateful=False,
        warm_start=False,
        random_state=None,
        verbose=0,
        callbacks=None,
        class_weight=None,
    ):
        self.units = units
        self.cell = cell
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.conv_filters = conv_filters
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.optimizer = optimizer
        self.clipnorm = clipnorm
        self.loss = loss
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.stateful = stateful
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.class_weight = class_weight

    def _encode_y(self, y, *, reset):
        y = column_or_1d(y, warn=True)
        if y.dtype.kind == "f":
            self._validate_y_values(y)
        check_classification_targets(y)
        if reset:
            classes = np.unique(y)
            if len(classes) < 2:
                raise ValueError(
                    "LSTMClassifier needs samples of at least 2 classes in y; got "
                    f"only one class: {classes.tolist()}."
                )
            self.classes_ = classes
        unknown = ~np.isin(y, self.classes_)
        if unknown.any():
            raise ValueError(
                f"y has labels the fitted classifier does not know "
                f"({np.unique(y[unknown]).tolist()}); warm_start=True keeps the "
                f"classes {self.classes_.tolist()}. Refit with warm_start=False."
            )
        y_enc = np.searchsorted(self.classes_, y)
        sample_weight = None
        if self.class_weight is not None:
            if isinstance(self.class_weight, dict):
                missing = set(self.class_weight) - set(self.classes_.tolist())
                if missing:
                    raise ValueError(
                        f"class_weight names labels that are not in y: "
                        f"{sorted(missing, key=str)}; the classes are "
                        f"{self.classes_.tolist()}."
                    )
            weights = compute_class_weight(
                self.class_weight, classes=self.classes_, y=y
            )
            sample_weight = weights[y_enc].astype(np.float32)
        return y_enc.astype(np.int32), sample_weight

    # a classifier's samples are independent sequences: every drop is news
    _warns_on_leading_drop = True

    def _dropped_note(self, y_net, dropped):
        lost = np.setdiff1d(np.unique(y_net[dropped]), y_net[~dropped])
        if not lost.size:
            return ""
        return (
            f" No sample of the classes {self.classes_[lost].tolist()} is left "
            "to train on, so the network will not learn them."
        )

    def _output_spec(self, y_net):
        if len(self.classes_) == 2:
            return OutputSpec(1, "sigmoid", "binary_crossentropy")
        return OutputSpec(
            len(self.classes_), "softmax", "sparse_categorical_crossentropy"
        )

    def _validation_split(self, y_net, seed):
        """A stratified share of the samples validates, drawn with ``seed``.

        When that share would hold fewer than
        :data:`MIN_VALIDATION_PER_CLASS` samples of a class, its loss cannot
        tell when to stop: the fit then warns and trains every epoch on all
        samples, exactly as without early stopping (``val`` is None).
        """
        everything = np.arange(len(y_net))
        present, counts = np.unique(y_net, return_counts=True)
        try:
            train, val = train_test_split(
                everything,
                test_size=self.validation_fraction,
                stratify=y_net,
                random_state=seed,
            )
        except ValueError:  # a class too small to be in both parts
            per_class = np.zeros(len(present), dtype=int)
        else:
            per_class = np.unique(y_net[val], return_counts=True)[1]
            if len(per_class) < len(present):
                per_class = np.zeros(len(present), dtype=int)
        if per_class.min() >= MIN_VALIDATION_PER_CLASS:
            return np.sort(train), np.sort(val)
        smallest = np.argmin(counts)
        label = self.classes_[present[[smallest]]].tolist()[0]
        needed = MIN_VALIDATION_PER_CLASS / counts[smallest]
        enough = math.ceil(round(needed * 20, 6)) / 20  # the next multiple of 0.05
        fix = (
            f"raise validation_fraction to {enough:.2f} or more, "
            if needed < 0.5 and enough > self.validation_fraction
            else ""
        )
        warnings.warn(
            f"LSTMClassifier(early_stopping=True): a validation share of "
            f"{self.validation_fraction} of {len(y_net)} samples holds fewer than "
            f"{MIN_VALIDATION_PER_CLASS} samples of some class (class "
            f"{label!r} has {counts[smallest]} in all), "
            "too few to tell when to stop. Training all "
            f"{self.epochs} epochs on all samples instead, as with "
            f"early_stopping=False. To stop early, {fix}give more samples per "
            "class, or choose epochs by cross-validation.",
            UserWarning,
            stacklevel=4,  # the user's fit (through sklearn's fit wrapper)
        )
        return everything, None

    def predict_proba(self, X, groups=None):
        """Probability of each class for each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, time_steps, n_features) or \
(n_samples, time_steps)
            Sequences; NaN marks a missing time step.
        groups : array-like of shape (n_samples,), default=None
            With ``stateful=True``: reset the state where the label changes.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; rows sum to 1.
        """
        out = self._network_output(X, groups).astype(np.float64)
        if len(self.classes_) == 2:
            out = np.column_stack([1.0 - out[:, 0], out[:, 0]])
        out = np.clip(out, 0.0, 1.0)
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, X, groups=None):
        """Predict the class label of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, time_steps, n_features) or \
(n_samples, time_steps)
            Sequences; NaN marks a missing time step.
        groups : array-like of shape (n_samples,), default=None
            With ``stateful=True``: reset the state where the label changes.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X, groups)
        return self.classes_[np.argmax(proba, axis=1)]
