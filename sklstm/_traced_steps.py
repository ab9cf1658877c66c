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

Predicting is the same story on a smaller scale: a new model's first
prediction traces its predict step (~0.15 s for a small network, most of a
grid search candidate's scoring). So a prediction runs on a kept
*predictor* of the same architecture, given the model's weights first: the
same traced arithmetic on the same values, so the same outputs.

Each pool keeps at most :data:`CAPACITY` models, the most recently used,
and is safe across threads: a model is taken out of its pool while it
trains or predicts, so a second one of the same recipe needed at the same
time is built.
"""

import contextlib
import threading
import weakref
from collections import OrderedDict

# Models kept by each pool. A trainer holds its network's weights and traced
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


def weights(model):
    """The variables a prediction reads (a model that is not stateful)."""
    return list(model.weights)


def copy_state(source, target, variables_of=state_variables):
    """Give ``target`` the values of ``source``'s variables.

    ``variables_of`` lists them: :func:`state_variables` (to train) or
    :func:`weights` (to predict).
    """
    values, variables = variables_of(source), variables_of(target)
    if [v.shape for v in values] != [v.shape for v in variables]:
        raise ValueError("the models were not built from one recipe")
    for variable, value in zip(variables, values, strict=True):
        variable.assign(value.value)


# A predictor's traced predict functions, one per number of batches that a
# call of the function predicts (Keras traces it for one such number).
_PREDICT_FUNCTIONS = weakref.WeakKeyDictionary()


def group_batches_like(model, predictor):
    """Let ``predictor``'s ``Model.predict`` group batches as ``model``'s does.

    Keras's predict loop runs ``steps_per_execution`` batches per call of one
    traced function. Batches traced together round differently from batches
    traced apart on some CPUs (by one float32 unit in the last place, seen
    with oneDNN on AVX-512), so the predictor predicts with ``model``'s
    grouping, keeping its traced function of every grouping it has used.
    Not needed for ``predict_on_batch``: one batch computes the same in any
    grouping's function, so it keeps the predictor's current one (no trace).
    """
    count = model.steps_per_execution
    if predictor.steps_per_execution == count:
        return
    functions = _PREDICT_FUNCTIONS.setdefault(predictor, {})
    functions[predictor.steps_per_execution] = predictor.predict_function
    predictor.steps_per_execution = count
    predictor.predict_function = functions.get(count)


class ModelPool:
    """Models with traced steps, one per recipe, the most recent kept.

    Parameters
    ----------
    capacity : int
        Models kept; the least recently used is dropped (with its traced
        steps) when a new recipe needs room.
    """

    def __init__(self, capacity):
        self.capacity = capacity
        self._free = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._free)

    def clear(self):
        """Drop every kept model."""
        with self._lock:
            self._free.clear()

    @contextlib.contextmanager
    def _borrowed(self, recipe, build):
        """The kept model of ``recipe``, or a new one from ``build()``.

        It is kept again if the block ends without error.
        """
        with self._lock:
            kept = self._free.pop(recipe, None)
        if kept is None:
            kept = build()
        yield kept
        with self._lock:
            self._free[recipe] = kept
            self._free.move_to_end(recipe)
            while len(self._free) > self.capacity:
                self._free.popitem(last=False)

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
        with self._borrowed(recipe, lambda: build(model)) as trainer:
            copy_state(model, trainer)
            yield trainer
            copy_state(trainer, model)

    @contextlib.contextmanager
    def predicting(self, model, recipe, build):
        """Yield a model that predicts what ``model`` predicts.

        Parameters
        ----------
        model : keras.Model
            A network that is not stateful (its predictions change none of
            its variables); left untouched.
        recipe : hashable or None
            Its architecture; None predicts with ``model`` itself.
        build : callable
            Builds a new predictor of the recipe, given ``model``.
        """
        if recipe is None:
            yield model
            return
        with self._borrowed(recipe, lambda: build(model)) as predictor:
            copy_state(model, predictor, weights)
            yield predictor


TRAINERS = ModelPool(CAPACITY)
PREDICTORS = ModelPool(CAPACITY)
