"""Everything that touches Keras: building, training, callbacks, predicting.

The Keras seam: the estimators hand it a :class:`~sklstm._network_spec.NetworkSpec`
and arrays, and get models and outputs back. It imports Keras (and with it
TensorFlow) at the top, so the estimators import it on first fit or predict,
after :func:`sklstm._tf_compat.configure_runtime`; ``import sklstm`` and the
transformers stay free of TensorFlow. Workarounds for TensorFlow's own
behaviour live in :mod:`sklstm._tf_compat`.
"""

import dataclasses
import itertools
import math
import warnings
import weakref

import keras
import numpy as np
from keras import ops

from sklstm._network_spec import OutputSpec, epoch_orders
from sklstm._tf_compat import (
    releasing_training_graphs,
    step_count_is_an_argument,
    train_function_taking_step_count,
)
from sklstm._traced_steps import PREDICTORS, TRAINERS, group_batches_like

# How each model sklstm built was built and compiled, so that a fit can train
# a pooled trainer of the same recipe (sklstm._traced_steps) in its place,
# and a pooled predictor of the same architecture can predict for it.
_BUILT_WITH = weakref.WeakKeyDictionary()
_COMPILED_WITH = weakref.WeakKeyDictionary()

# A network's first predictions run on a pooled predictor, its weights copied
# in (~2 ms a call for a small network); after this many it predicts itself,
# tracing its own predict step once (~0.2 s), as more copies would cost more.
POOLED_PREDICTIONS = 100
_PREDICTIONS = weakref.WeakKeyDictionary()

# Rows up to this count are predicted with one compiled call
# (``predict_on_batch``) instead of ``Model.predict``, whose per-call set-up
# costs tens of milliseconds: recursive forecasts predict one row per step.
SMALL_PREDICT_ROWS = 4096


@keras.saving.register_keras_serializable(package="sklstm")
class NaNMask(keras.layers.Layer):
    """Mask time steps holding NaN and replace their values by zero.

    A step is missing when any of its features is NaN; the recurrent layers
    after this one skip masked steps, so NaN never reaches a weight.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return ops.logical_not(ops.any(ops.isnan(inputs), axis=-1))

    def call(self, inputs):
        return ops.where(ops.isnan(inputs), ops.zeros_like(inputs), inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


def gpu_visible():
    """Whether TensorFlow sees a GPU, so Keras's recurrent layers may use cuDNN."""
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


@keras.saving.register_keras_serializable(package="sklstm")
class ObservedStepsFirst(keras.layers.Layer):
    """Move each sequence's observed steps to its start, the masked ones to its end.

    sklstm masks missing steps at the start of a window (a series' start, a
    short history). Keras's LSTM and GRU take the cuDNN kernel on a GPU,
    which accepts only right-padded masks (``keras/src/backend/tensorflow/
    rnn.py``, ``_assert_valid_mask``). A recurrent layer skips masked steps,
    so its final state is the same when the observed steps come first, in
    their order: this layer reorders the steps (stably) and right-aligns the
    mask. It sits between :class:`NaNMask` and the recurrent layers of a
    network built where a GPU is visible, for layers that answer at their
    last step only.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return inputs
        position = _positions(mask)
        steps = ops.shape(mask)[1]
        # observed steps keep their order, masked ones follow
        order = ops.argsort(ops.where(mask, position, position + steps), axis=1)
        return ops.take_along_axis(inputs, ops.expand_dims(order, -1), axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        observed = ops.sum(ops.cast(mask, "int32"), axis=1, keepdims=True)
        return _positions(mask) < observed


def _positions(mask):
    """0, 1, ... along the time axis of a (batch, time) mask, as int32."""
    ones = ops.ones_like(ops.cast(mask, "int32"))
    return ops.cumsum(ones, axis=1) - 1

    def compute_output_shape(self, input_shape):
        return input_shape


# LSTM-FCN's kernel sizes (Karim et al. 2018); a block beyond the third uses 3
CONV_KERNEL_SIZES = (8, 5, 3)


@keras.saving.register_keras_serializable(package="sklstm")
class ConvolutionalBranch(keras.layers.Layer):
    """LSTM-FCN's fully convolutional branch, over the observed time steps.

    Blocks of ``Conv1D`` (kernel sizes 8, 5, 3, then 3), batch normalisation
    and ReLU, then the mean of each filter over the time steps. Steps masked
    upstream (by :class:`NaNMask`, for missing or padded steps) are set to
    zero after each block and left out of the normalisation and the mean, so
    padding a short sequence (at either end) does not change its features.

    Parameters
    ----------
    filters : tuple of int
        Filters of each block.
    seed : int or None, default=None
        Seed of the convolution kernels' initializers.
    **kwargs
        Passed to ``keras.layers.Layer``.
    """

    def __init__(self, filters, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.filters = tuple(int(f) for f in filters)
        self.seed = seed
        self.supports_masking = True
        seeds = _seeds(seed)
        self.convolutions = [
            keras.layers.Conv1D(
                n_filters,
                CONV_KERNEL_SIZES[min(i, len(CONV_KERNEL_SIZES) - 1)],
                padding="same",
                kernel_initializer=keras.initializers.HeUniform(seed=next(seeds)),
            )
            for i, n_filters in enumerate(self.filters)
        ]
        self.normalizations = [keras.layers.BatchNormalization() for _ in self.filters]

    def build(self, input_shape):
        shape = input_shape
        for convolution, normalization in zip(
            self.convolutions, self.normalizations, strict=True
        ):
            convolution.build(shape)
            shape = convolution.compute_output_shape(shape)
            normalization.build(shape)

    def call(self, inputs, mask=None, training=None):
        if mask is None:
            observed = ops.ones_like(inputs[:, :, :1])
        else:
            observed = ops.cast(ops.expand_dims(mask, -1), inputs.dtype)
        x = inputs * observed  # a new tensor: the convolutions take no mask
        for convolution, normalization in zip(
            self.convolutions, self.normalizations, strict=True
        ):
            x = normalization(convolution(x), training=training, mask=mask)
            x = ops.relu(x) * observed
        return ops.sum(x, axis=1) / ops.maximum(ops.sum(observed, axis=1), 1.0)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.filters[-1])

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "seed": self.seed}


def _recurrent_layer(
    spec, n_units, *, return_sequences, seeds, go_backwards=False, use_cudnn="auto"
):
    cls = keras.layers.LSTM if spec.cell == "lstm" else keras.layers.GRU
    return cls(
        n_units,
        return_sequences=return_sequences,
        dropout=spec.dropout,
        recurrent_dropout=spec.recurrent_dropout,
        stateful=spec.stateful,
        go_backwards=go_backwards,
        use_cudnn=use_cudnn,
        kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
        recurrent_initializer=keras.initializers.Orthogonal(seed=next(seeds)),
        seed=next(seeds),
    )


def _seeds(seed):
    """Endless seeds for initializers and dropout, drawn from ``seed`` alone.

    Explicit seeds keep a seeded network independent of the process-wide
    Python and Keras generators, which other threads (a Dask worker's event
    loop, say) may draw from at the same time. None gives unseeded layers.
    """
    rng = None if seed is None else np.random.default_rng(seed)
    while True:
        yield None if rng is None else int(rng.integers(2**31 - 1))


def build_network(spec, *, n_features, output, all_steps=False, seed=None):
    """Build the uncompiled Keras model an estimator's parameters describe.

    Parameters
    ----------
    spec : NetworkSpec
        The recurrent layers (with a :class:`NaNMask` in front when
        ``spec.mask_nan``), and a :class:`ConvolutionalBranch` beside them
        when ``spec.conv_filters``: their outputs are joined before the dense
        layers.
    n_features : int
        Features per time step; the time axis is left free.
    output : OutputSpec
        Width and activation of the output layer.
    all_steps : bool, default=False
        Return an output for every time step instead of the last one only.
    seed : int or None, default=None
        Seed of every initializer and dropout mask.

    Returns
    -------
    model : keras.Model
    """
    if spec.stateful:
        inputs = keras.Input(batch_shape=(spec.batch_size, None, n_features))
    else:
        inputs = keras.Input(shape=(None, n_features))
    x = inputs_of_branches = NaNMask()(inputs) if spec.mask_nan else inputs
    # masks a GPU's cuDNN kernel accepts: right-aligned where only the last
    # step answers, else (an output per step must stay in place) no cuDNN
    use_cudnn = "auto"
    gpu_masks = spec.mask_nan and gpu_visible()
    if gpu_masks:
        if all_steps:
            use_cudnn = False
        else:
            x = ObservedStepsFirst()(x)
    seeds = _seeds(seed)
    units = spec.units
    for i, n_units in enumerate(units):
        sequences = all_steps or i < len(units) - 1
        layer = _recurrent_layer(
            spec, n_units, return_sequences=sequences, seeds=seeds, use_cudnn=use_cudnn
        )
        if spec.bidirectional:
            backward = _recurrent_layer(
                spec,
                n_units,
                return_sequences=sequences,
                seeds=seeds,
                go_backwards=True,
                use_cudnn=use_cudnn,
            )
            layer = keras.layers.Bidirectional(layer, backward_layer=backward)
        x = layer(x)
    if spec.conv_filters:
        if all_steps:
            raise ValueError("a convolutional branch has no output per time step")
        branch = ConvolutionalBranch(spec.conv_filters, seed=next(seeds))
        x = keras.layers.Concatenate()([x, branch(inputs_of_branches)])
    if spec.dense_units:
        x = keras.layers.Dense(
            spec.dense_units,
            activation="relu",
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
        )(x)
    outputs = keras.layers.Dense(
        output.n_outputs,
        activation=output.activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
    )(x)
    model = keras.Model(inputs, outputs)
    _BUILT_WITH[model] = (
        {
            "spec": spec,
            "n_features": n_features,
            "output": output,
            "all_steps": all_steps,
        },
        gpu_masks,  # with a GPU, masked networks are built differently
    )
    return model


def with_nan_mask(model):
    """Return a model sharing ``model``'s layers with a :class:`NaNMask` in front.

    Used to predict on data with missing steps when the model was trained on
    complete data (its layers, and so its weights, are shared, not copied).
    Only for a chain of layers: a network with a convolutional branch always
    has its ``NaNMask``.
    """
    n_features = model.inputs[0].shape[-1]
    inputs = keras.Input(shape=(None, n_features))
    x = NaNMask()(inputs)
    if gpu_visible():
        x = ObservedStepsFirst()(x)
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        x = layer(x)
    return keras.Model(inputs, x)


def sequence_twin(model, spec):
    """A non-stateful copy of a stateful ``model`` that answers at every step.

    Running a stateful network over rows 1..n one after the other, with the
    state carried between them, computes exactly what this copy computes over
    the rows joined into one long sequence: so predict needs neither the
    training batch size nor a loop over rows.
    """
    twin = build_network(
        spec,
        n_features=model.inputs[0].shape[-1],
        output=OutputSpec(model.outputs[0].shape[-1], model.layers[-1].activation),
        all_steps=True,
    )
    twin.set_weights(model.get_weights())
    return twin


def predict_stateful(twin, X, reset_rows):
    """Outputs of a stateful network for rows X, state reset before ``reset_rows``.

    Each run of rows between resets becomes one sequence of the twin's batch
    (shorter ones padded with masked NaN steps at the end); the output of a
    row is the twin's output at the row's last time step.
    """
    n_rows, n_steps, n_features = X.shape
    runs = list(itertools.pairwise([0, *reset_rows, n_rows]))
    longest = max(b - a for a, b in runs)
    batch = np.full((len(runs), longest * n_steps, n_features), np.nan, X.dtype)
    for i, (a, b) in enumerate(runs):
        batch[i, : (b - a) * n_steps] = X[a:b].reshape(-1, n_features)
    out = predict_network(twin, batch, batch_size=len(batch))
    ends = np.arange(n_steps - 1, longest * n_steps, n_steps)
    return np.concatenate([out[i, ends[: b - a]] for i, (a, b) in enumerate(runs)])


class ResetStates(keras.callbacks.Callback):
    """Reset recurrent state at each epoch start and before given batches."""

    def __init__(self, reset_batches=()):
        super().__init__()
        self.reset_batches = frozenset(reset_batches)

    def _reset(self):
        for layer in self.model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_states()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()

    def on_train_batch_begin(self, batch, logs=None):
        if batch in self.reset_batches:
            self._reset()


def fit_network(
    model,
    training,
    *,
    validation,
    batch_size,
    epochs,
    shuffle,
    seed,
    callbacks,
    fixed_batch=False,
):
    """Train ``model`` for ``epochs`` passes over the ``training`` arrays.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    training, validation : tuple of arrays
        ``(X, y)`` or ``(X, y, sample_weight)``; validation may be None.
    batch_size, epochs : int
        Samples per step and passes over the data.
    shuffle : bool
        Reshuffle the rows at every pass, in the order
        :func:`~sklstm._network_spec.epoch_orders` draws (the order
        ``fit_stream`` gathers its batches in).
    seed : int or None
        Seed of the shuffling.
    callbacks : list of keras.callbacks.Callback
        Passed to ``Model.fit``.
    fixed_batch : bool, default=False
        Give every batch the static size ``batch_size`` (a stateful network
        is built for it; the row count is then a multiple of it).

    Returns
    -------
    history : keras.callbacks.History

    Notes
    -----
    The data go in as one repeated ``tf.data`` pipeline with
    ``steps_per_epoch`` set: given numpy arrays, Keras builds a new data
    iterator at every epoch, which costs ~50 ms, more than a whole epoch of a
    small network (measured: 200 epochs of 95 windows took 12 s from numpy
    arrays and 2 s from a repeated dataset, with identical arithmetic).

    When nothing needs to see single batches (no validation data, no fixed
    batches, no callback with batch hooks), each epoch runs as one call of
    the training function (``steps_per_execution``): the same steps in the
    same order, without a return to Python between them.
    """
    import tensorflow as tf

    def pipeline(arrays, shuffled):
        if not shuffled:
            data = tf.data.Dataset.from_tensor_slices(arrays)
            return data.batch(batch_size, drop_remainder=fixed_batch).repeat()
        # each epoch's order from epoch_orders, as fit_stream draws it (not
        # tf.data's shuffle, whose order a gathered stream cannot reproduce
        # without a buffer of every sample), then the rows gathered by batch
        n = len(arrays[0])
        orders = epoch_orders(0, n, seed)
        dtype = tf.int32 if n < 2**31 else tf.int64

        def next_order(_):
            return next(orders).copy()

        def order(epoch):
            rows = tf.numpy_function(next_order, [epoch], dtype, stateful=True)
            rows.set_shape((n,))
            return rows

        tensors = tuple(tf.convert_to_tensor(a) for a in arrays)

        def gather(rows):
            return tuple(tf.gather(t, rows) for t in tensors)

        return (
            _counter()
            .map(order)
            .flat_map(
                lambda rows: tf.data.Dataset.from_tensor_slices(rows).batch(
                    batch_size, drop_remainder=fixed_batch
                )
            )
            .map(gather)
        )

    def steps(arrays):
        return math.ceil(len(arrays[0]) / batch_size)

    one_call_per_epoch = (
        validation is None
        and not fixed_batch
        and not any(_has_batch_hooks(callback) for callback in callbacks)
    )
    _set_steps_per_execution(model, steps(training) if one_call_per_epoch else 1)
    extra = {}
    if validation is not None:
        extra = {
            "validation_data": pipeline(validation, shuffled=False),
            "validation_steps": steps(validation),
        }
    return _run_fit(
        model,
        pipeline(training, shuffled=shuffle),
        steps(training),
        epochs=epochs,
        callbacks=callbacks,
        **extra,
    )


def _run_fit(model, data, steps_per_epoch, *, epochs, callbacks, **validation):
    """``Model.fit`` on a repeated dataset, ``steps_per_epoch`` batches an epoch.

    A pooled trainer of the model's recipe trains in its place when there is
    one (see :mod:`sklstm._traced_steps`).
    """
    recipe = _trainer_recipe(model, callbacks)
    with (
        TRAINERS.training(model, recipe, _build_trainer) as trainer,
        releasing_training_graphs(trainer),
    ):
        trainer.steps_per_execution = model.steps_per_execution
        return trainer.fit(
            data,
            epochs=epochs,
            steps_per_epoch=steps_per_epoch,
            shuffle=False,  # the data shuffle themselves
            callbacks=callbacks,
            verbose=0,
            **validation,
        )


def fit_stream(model, stream, *, validation, epochs, callbacks):
    """Train ``model`` on batches gathered by ``stream`` while it trains.

    The windows are never held as one array: a ``tf.data`` pipeline over
    batch numbers asks ``stream.batch(i)`` (numpy, run by
    ``tf.numpy_function``) for the i-th batch of the whole fit, one batch
    ahead of the training step (prefetched). The steps run exactly as in
    :func:`fit_network` (one call per epoch when nothing needs single
    batches), on the network the estimator built.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    stream, validation : BatchStream
        Training batches and validation batches (or None), see
        :class:`~sklstm._network_spec.BatchStream`.
    epochs : int
        Passes over the training windows.
    callbacks : list of keras.callbacks.Callback
        Passed to ``Model.fit``.

    Returns
    -------
    history : keras.callbacks.History
    """
    one_call_per_epoch = validation is None and not any(
        _has_batch_hooks(callback) for callback in callbacks
    )
    _set_steps_per_execution(model, stream.steps if one_call_per_epoch else 1)
    extra = {}
    if validation is not None:
        extra = {
            "validation_data": _stream_dataset(validation),
            "validation_steps": validation.steps,
        }
    return _run_fit(
        model,
        _stream_dataset(stream),
        stream.steps,
        epochs=epochs,
        callbacks=callbacks,
        **extra,
    )


def _architecture(model):
    """How sklstm built ``model``, as its traced steps depend on it, or None.

    The network's spec (without the batch size, which only a stateful input
    is built for), features, output, whether it answers at every step and
    whether a GPU's masks are in it.
    """
    built = _BUILT_WITH.get(model)
    if built is None:
        return None
    arguments, gpu_masks = built
    spec = arguments["spec"]
    if not spec.stateful:
        spec = dataclasses.replace(spec, batch_size=None)
    return (
        spec,
        arguments["n_features"],
        arguments["output"],
        arguments["all_steps"],
        gpu_masks,
    )


def _hashable(recipe):
    """``recipe``, or None if it cannot key a pool (unhashable loss, activation)."""
    try:
        hash(recipe)
    except TypeError:
        return None
    return recipe


def _trainer_recipe(model, callbacks):
    """What ``model``'s traced training step depends on, or None.

    None (train ``model`` itself) for a model sklstm did not build and
    compile, and when a callback is not sklstm's own: a user's callback
    sees the model it trains, and may keep it.
    """
    architecture, compiled = _architecture(model), _COMPILED_WITH.get(model)
    if architecture is None or compiled is None:
        return None
    if any(type(callback).__module__ != __name__ for callback in callbacks):
        return None
    # the learning rate is a variable the trainer receives, not traced
    setup = {k: v for k, v in compiled.items() if k != "learning_rate"}
    return _hashable(
        (
            *architecture,
            tuple(sorted(setup.items())),
            # a trainer takes any count (train_function_taking_step_count)
            None if step_count_is_an_argument() else model.steps_per_execution,
        )
    )


def _rebuilt(model):
    """A new uncompiled network of ``model``'s architecture (a predictor)."""
    arguments, _ = _BUILT_WITH[model]
    return build_network(**arguments, seed=0)


def _build_trainer(model):
    """A new compiled model of ``model``'s recipe, to train in its place."""
    trainer = _rebuilt(model)
    compile_network(trainer, **_COMPILED_WITH[model])
    function = train_function_taking_step_count(trainer)
    if function is not None:
        trainer.train_function = function
    return trainer


def _stream_dataset(stream):
    """An endless ``tf.data`` pipeline of ``stream.batch(0)``, ``batch(1)``, ..."""
    import tensorflow as tf

    def gather(number):
        return stream.batch(int(number))

    def load(number):
        X, y = tf.numpy_function(
            gather, [number], (tf.float32, tf.float32), stateful=True
        )
        X.set_shape((None, stream.time_steps, stream.n_features))
        y.set_shape((None, stream.n_outputs))
        return X, y

    return _counter().map(load).prefetch(1)


def _counter():
    """0, 1, 2, ... as a ``tf.data`` dataset (endless in practice).

    ``Dataset.range`` rather than ``Dataset.counter``: the latter is a
    ``scan`` over a traced function whose graph outlives the fit (one graph
    left behind per fit, measured).
    """
    import tensorflow as tf

    return tf.data.Dataset.range(np.iinfo(np.int64).max)


_BATCH_HOOKS = (
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_batch_begin",
    "on_batch_end",
)


def _has_batch_hooks(callback):
    """Whether ``callback`` has its own hook for training batches.

    Either its class overrides one, or the instance holds one (as
    ``keras.callbacks.LambdaCallback`` does).
    """
    base = keras.callbacks.Callback
    own = getattr(callback, "__dict__", {})
    return any(
        hook in own or getattr(type(callback), hook, None) is not getattr(base, hook)
        for hook in _BATCH_HOOKS
    )


def _set_steps_per_execution(model, steps):
    """Run ``steps`` training steps per call of the model's training function.

    The count is fixed when the function is traced, so a function traced for
    another count (an earlier fit of a warm-started model) is dropped.
    """
    if model.steps_per_execution != steps:
        model.steps_per_execution = steps
        model.train_function = None


# names Model.compile resolves itself (by the output's shape) before asking
# keras.losses.get
_COMPILE_LOSS_ALIASES = ("crossentropy", "ce")


def is_loss_name(name):
    """Whether Keras resolves the loss ``name`` (or ``compile`` does itself)."""
    if name.lower() in _COMPILE_LOSS_ALIASES:
        return True
    try:
        keras.losses.get(name)
    except ValueError:
        return False
    return True


def is_callback(obj):
    """Whether ``obj`` is a Keras callback."""
    return isinstance(obj, keras.callbacks.Callback)


def compile_network(model, *, optimizer, learning_rate, loss, clipnorm=None):
    """Compile ``model`` with a fresh optimizer of the named kind.

    ``clipnorm`` rescales each weight's gradient to at most that norm.
    """
    optimizers = {
        "adam": keras.optimizers.Adam,
        "adamw": keras.optimizers.AdamW,
        "nadam": keras.optimizers.Nadam,
        "rmsprop": keras.optimizers.RMSprop,
        "sgd": keras.optimizers.SGD,
    }
    model.compile(
        optimizer=optimizers[optimizer](learning_rate, clipnorm=clipnorm), loss=loss
    )
    _COMPILED_WITH[model] = {
        "optimizer": optimizer,
        "learning_rate": learning_rate,
        "loss": loss,
        "clipnorm": clipnorm,
    }
    # Create the optimizer's slot variables now: Keras otherwise creates them
    # while tracing the first training step, and TensorFlow then traces the
    # whole step a second time (~0.3 s of a 1.5 s airline fit).
    model.optimizer.build(model.trainable_variables)
    return model


# user callbacks that set the learning rate; the cosine schedule gives way
_LEARNING_RATE_SETTERS = (
    keras.callbacks.LearningRateScheduler,
    keras.callbacks.ReduceLROnPlateau,
)


class CosineLearningRate(keras.callbacks.Callback):
    """Lower the learning rate from ``learning_rate`` to near 0 along a cosine.

    Epoch ``e`` of ``epochs`` trains at ``learning_rate * (1 + cos(pi * e /
    epochs)) / 2``. The last epochs take small steps, so the weights a fit
    ends with settle instead of depending on where the last few large steps
    happened to land.
    """

    def __init__(self, learning_rate, epochs):
        super().__init__()
        self.learning_rate = learning_rate
        self.epochs = epochs

    def on_epoch_begin(self, epoch, logs=None):
        share = 0.5 * (1.0 + math.cos(math.pi * epoch / self.epochs))
        self.model.optimizer.learning_rate = self.learning_rate * share


class EpochProgress(keras.callbacks.Callback):
    """One progress bar over all epochs, showing the loss (and val_loss)."""

    def __init__(self, epochs):
        super().__init__()
        self.epochs = epochs
        self._bar = None

    def on_train_begin(self, logs=None):
        self._bar = keras.utils.Progbar(
            self.epochs, unit_name="epoch", stateful_metrics=["loss", "val_loss"]
        )

    def on_epoch_end(self, epoch, logs=None):
        values = [(k, v) for k, v in (logs or {}).items() if k in ("loss", "val_loss")]
        self._bar.update(epoch + 1, values=values)


class EarlyStoppingOnceLearning(keras.callbacks.EarlyStopping):
    """Early stopping on val_loss that ignores epochs in which nothing is learned.

    An epoch counts (as a candidate for the best weights and towards the
    patience) only when its training loss is below ``learned_ratio`` times
    the first epoch's. A recurrent net on long sequences can sit at chance for
    dozens of epochs before it starts to learn, or fall back to chance after
    a gradient spike and learn again; the validation loss of such epochs says
    nothing about when to stop, yet plain early stopping ends training there
    and keeps the untrained weights. A network that never learns trains for
    all its epochs.
    """

    def __init__(self, patience, learned_ratio=0.9):
        super().__init__(
            monitor="val_loss", patience=patience, restore_best_weights=True
        )
        self.learned_ratio = learned_ratio
        self._first_loss = None

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self._first_loss = None

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if self._first_loss is None:
            self._first_loss = loss
            return
        if loss is None or not loss < self.learned_ratio * self._first_loss:
            return
        super().on_epoch_end(epoch, logs)


def training_callbacks(
    callbacks,
    *,
    epochs,
    verbose,
    patience=None,
    reset_batches=None,
    cosine_from=None,
):
    """The callbacks of one fit: the user's, then sklstm's own.

    Parameters
    ----------
    callbacks : list of keras.callbacks.Callback or None
        The user's callbacks; their list is copied, never extended.
    epochs : int
        Epochs of the fit, the length of the progress bar.
    verbose : int
        Show one progress bar over the epochs when true.
    patience : int or None, default=None
        Stop early (:class:`EarlyStoppingOnceLearning`) with this patience;
        None trains every epoch.
    reset_batches : tuple of int or None, default=None
        For a stateful network: reset its state at each epoch and before
        these batches (:class:`ResetStates`). None for a network without
        state.
    cosine_from : float or None, default=None
        Lower the learning rate from this value along a cosine over the
        epochs (:class:`CosineLearningRate`); None keeps it constant. A user
        callback that sets the learning rate (``LearningRateScheduler``,
        ``ReduceLROnPlateau``) takes precedence, with a warning.

    Returns
    -------
    callbacks : list of keras.callbacks.Callback
    """
    callbacks = list(callbacks or [])
    if verbose:
        callbacks.append(EpochProgress(epochs))
    if patience is not None:
        callbacks.append(EarlyStoppingOnceLearning(patience))
    if reset_batches is not None:
        callbacks.append(ResetStates(reset_batches))
    if cosine_from is not None:
        setters = [
            type(c).__name__ for c in callbacks if isinstance(c, _LEARNING_RATE_SETTERS)
        ]
        if setters:
            warnings.warn(
                "learning_rate_schedule='cosine' is not applied: the callbacks "
                f"{setters} set the learning rate themselves. Pass "
                "learning_rate_schedule='constant' to silence this.",
                UserWarning,
                stacklevel=4,
            )
        else:
            callbacks.append(CosineLearningRate(cosine_from, epochs))
    return callbacks


def predict_network(model, X, batch_size):
    """Predict with ``model``: one compiled call for small inputs.

    ``Model.predict`` builds a data pipeline and callbacks on every call; for
    a few rows ``predict_on_batch`` is an order of magnitude faster.

    A pooled predictor of the model's architecture, given its weights,
    predicts in its place when sklstm built the model (see
    :mod:`sklstm._traced_steps`): its predict step is traced already. Only
    the model's first :data:`POOLED_PREDICTIONS` predictions: a model that
    keeps predicting (a deployed one, in a loop) then traces its own step
    once and predicts without copying its weights at each call.
    """
    done = _PREDICTIONS.get(model, 0)
    recipe = _predictor_recipe(model) if done < POOLED_PREDICTIONS else None
    if recipe is not None:
        _PREDICTIONS[model] = done + 1
    with PREDICTORS.predicting(model, recipe, _rebuilt) as predictor:
        if len(X) <= SMALL_PREDICT_ROWS:
            out = predictor.predict_on_batch(X)
        else:
            group_batches_like(model, predictor)
            out = predictor.predict(X, batch_size=max(batch_size, 256), verbose=0)
    return np.asarray(out)


def _predictor_recipe(model):
    """``model``'s architecture, or None (predict with ``model`` itself).

    None for a model sklstm did not build and for a stateful one (its states
    change as it predicts).
    """
    architecture = _architecture(model)
    if architecture is None or architecture[0].stateful:
        return None
    return _hashable(architecture)
