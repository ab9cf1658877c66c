"""Reuse a traced training step across fits of networks built alike.

TensorFlow traces a Keras model's training step the first time the model is
fitted: for the small networks of a grid search, a backtest or a test suite
that tracing is most of a fit (``benchmarks/refit_tracing.py``: 0.78 s for a
new model, 0.02 s for the same model fitted again). sklstm builds a new
model at every fit, as it must: a clone in a search owns its own network.

So a fit trains a *trainer* instead: a second model built from the same
recipe, kept after the fit with its traced step, and handed to the next fit
of a network with the same recipe. The fit copies the whole training state
of the estimator's fresh model into the trainer (weights, the dropout masks'
seed states, a stateful layer's states, every optimizer variable: its step
count, learning rate and slots), trains the trainer, and copies the state
back. The estimator keeps its own model, which ends exactly as if it had been
trained itself: the trainer runs the same traced arithmetic on the same
values.

The pool keeps at most :data:`CAPACITY` trainers, the most recently used, and
is safe across threads: a trainer is taken out of the pool while it trains,
so a second fit of the same recipe at the same time builds its own.
"""

import contextlib
import threading
from collections import OrderedDict

# Trainers kept between fits. Each holds its network's weights and traced
# step, not the data it trained on: ~13 MiB measured for small networks
# (LSTM(2)..LSTM(17)), ~17 MiB after a fit of 400,000 windows of (12, 4).
CAPACITY = 8


def state_variables(model):
    """Every variable a fit reads or changes, in an order fixed by the recipe.

    The model's variables (weights and the seed states of dropout), the
    states of its stateful recurrent layers (Keras does not track them as
    variables) and its optimizer's variables.
    """
    variables = list(model.variables)
    for layer in _layers(model.layers):
        if getattr(layer, "stateful", False):
            variables.extend(getattr(layer, "states", None) or ())
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        variables.extend(optimizer.variables)
    return variables


def _layers(layers):
    """The layers, each followed by a bidirectional wrapper's two layers."""
    for layer in layers:
        yield layer
        inner = [
            getattr(layer, side, None) for side in ("forward_layer", "backward_layer")
        ]
        yield from _layers([sublayer for sublayer in inner if sublayer is not None])


def copy_state(source, target):
    """Give ``target`` the values of ``source``'s :func:`state_variables`."""
    values, variables = state_variables(source), state_variables(target)
    if [v.shape for v in values] != [v.shape for v in variables]:
        raise ValueError("the models were not built from one recipe")
    for variable, value in zip(variables, values, strict=True):
        variable.assign(value.value)


class TrainerPool:
    """Trainers with traced steps, one per recipe, the most recent kept.

    Parameters
    ----------
    capacity : int
        Trainers kept; the least recently used is dropped (with its traced
        step) when a new recipe needs room.
    """

    def __init__(self, capacity):
        self.capacity = capacity
        self._free = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._free)

    def clear(self):
        """Drop every kept trainer."""
        with self._lock:
            self._free.clear()

    @contextlib.contextmanager
    def training(self, model, recipe, build):
        """Yield the model to train in place of ``model``.

        Parameters
        ----------
        model : keras.Model
            The estimator's compiled model, left untouched until the block
            ends without error, when it receives the trained state.
        recipe : hashable or None
            Everything the traced step depends on; None trains ``model``
            itself (a model whose recipe is unknown).
        build : callable
            Builds and compiles a new trainer from the recipe, given ``model``.
        """
        if recipe is None:
            yield model
            return
        with self._lock:
            trainer = self._free.pop(recipe, None)
        if trainer is None:
            trainer = build(model)
        copy_state(model, trainer)
        yield trainer
        copy_state(trainer, model)
        with self._lock:
            self._free[recipe] = trainer
            self._free.move_to_end(recipe)
            while len(self._free) > self.capacity:
                self._free.popitem(last=False)


TRAINERS = TrainerPool(CAPACITY)
