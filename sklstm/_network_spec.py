"""The typed contract between the estimators and the Keras seam.

:class:`NetworkSpec` says what network an estimator's parameters describe and
:class:`OutputSpec` what its output layer and default loss are. Both are plain
values (no Keras), so the estimators can build, compare and pickle them
without importing TensorFlow; :mod:`sklstm._network` turns them into a model.
"""

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

__all__ = ["BatchStream", "NetworkSpec", "OutputSpec", "epoch_orders"]


def _structural(when="always"):
    """Field metadata: a warm start must keep this field (``when`` it applies).

    ``"always"``: the field fixes the network's structure. ``"stateful"``: only
    for a stateful network (its batch size is built into the input layer).
    """
    return {"structural": when}


@dataclasses.dataclass(frozen=True)
class NetworkSpec:
    """The recurrent network an estimator's parameters describe.

    A field marked structural fixes the built network: ``warm_start`` refuses
    to continue training when it changes (:meth:`structural_changes`). A new
    structural parameter is a new field here (with the estimator parameter of
    the same name), read by :func:`sklstm._network.build_network`.

    Parameters
    ----------
    units : tuple of int
        Units of each stacked recurrent layer.
    cell : {"lstm", "gru"}
        Recurrent cell type.
    bidirectional : bool
        Wrap each recurrent layer in ``keras.layers.Bidirectional``.
    dropout, recurrent_dropout : float
        Dropout on the recurrent layers' inputs and on their state.
    dense_units : int or None
        Units of an optional ReLU dense layer before the output.
    stateful : bool
        Carry the recurrent state across consecutive samples.
    batch_size : int
        Samples per gradient step (built into a stateful network).
    mask_nan : bool
        Put a ``NaNMask`` in front, for data with missing time steps.
    conv_filters : tuple of int or None
        Filters of each block of a fully convolutional branch beside the
        recurrent layers (LSTM-FCN); None for none.
    """

    units: tuple[int, ...] = dataclasses.field(metadata=_structural())
    cell: str = dataclasses.field(metadata=_structural())
    bidirectional: bool = dataclasses.field(metadata=_structural())
    dropout: float = dataclasses.field(metadata=_structural())
    recurrent_dropout: float = dataclasses.field(metadata=_structural())
    dense_units: int | None = dataclasses.field(metadata=_structural())
    stateful: bool = dataclasses.field(metadata=_structural())
    batch_size: int = dataclasses.field(metadata=_structural("stateful"))
    # a network without a mask can be given one (predict does): not structural
    mask_nan: bool = False
    # last, with a default: a spec pickled before the field existed reads None
    conv_filters: tuple[int, ...] | None = dataclasses.field(
        default=None, metadata=_structural()
    )

    @classmethod
    def from_estimator(cls, estimator, **resolved):
        """The spec an estimator's parameters describe.

        Parameters
        ----------
        estimator : object
            Each field is read from the estimator's parameter of the same
            name, unless ``resolved`` gives it.
        **resolved
            Fields whose value is not a parameter as set: ``units`` as a
            tuple, the ``batch_size`` "auto" stands for, ``mask_nan`` from
            the data.

        Returns
        -------
        spec : NetworkSpec
        """
        return cls(
            **{
                field.name: resolved[field.name]
                if field.name in resolved
                else getattr(estimator, field.name)
                for field in dataclasses.fields(cls)
            }
        )

    def structural_changes(self, fitted):
        """The structural fields in which this spec differs from ``fitted``.

        Parameters
        ----------
        fitted : NetworkSpec
            The spec the existing network was built from.

        Returns
        -------
        changes : dict
            ``{name: (fitted value, this value)}``, in field order; empty
            when the network can be trained further as it is.
        """
        stateful = self.stateful or fitted.stateful
        changes = {}
        for field in dataclasses.fields(self):
            when = field.metadata.get("structural")
            if when == "always" or (when == "stateful" and stateful):
                was, now = getattr(fitted, field.name), getattr(self, field.name)
                if was != now:
                    changes[field.name] = (was, now)
        return changes


class OutputSpec(NamedTuple):
    """The output layer of a task and its default loss.

    Parameters
    ----------
    n_outputs : int
        Width of the output layer.
    activation : str or callable
        Activation of the output layer.
    loss : str or None
        The loss used when the estimator's ``loss`` is None.
    """

    n_outputs: int
    activation: str | Callable[..., Any]
    loss: str | None = None


def epoch_orders(start, stop, seed) -> Iterator[np.ndarray]:
    """The order of the samples ``start .. stop - 1`` in each epoch, shuffled.

    The one shuffling of both training paths: :func:`sklstm._network.fit_network`
    (``fit``, arrays in memory) and the batches of ``fit_stream`` (windows
    gathered from a panel) draw their epochs from it, so with the same seed
    they train on the same batches in the same order. One generator,
    ``numpy.random.default_rng(seed)``, shuffles one array of sample numbers
    in place at every epoch; memory is 4 bytes per sample (8 past 2**31).

    Parameters
    ----------
    start, stop : int
        The samples to order.
    seed : int or None
        Seed of the generator (None: a fresh, unseeded one).

    Yields
    ------
    order : ndarray of int
        The next epoch's order: the same array, shuffled again, at every
        step (use it before asking for the next).
    """
    rng = np.random.default_rng(seed)
    dtype = np.int32 if stop < 2**31 else np.int64
    order = np.arange(start, stop, dtype=dtype)
    while True:
        rng.shuffle(order)
        yield order


class BatchStream(NamedTuple):
    """Batches a network trains on, gathered one at a time while it trains.

    What an estimator hands :func:`sklstm._network.fit_stream` instead of
    whole arrays: the windows of a large panel exist only a batch at a time.

    Parameters
    ----------
    batch : callable
        ``batch(i) -> (X, y)``: the i-th batch of the fit, counted over all
        epochs (epoch ``i // steps``), as float32 arrays of shapes
        ``(n, time_steps, n_features)`` (NaN for a missing step) and
        ``(n, n_outputs)``. Called with i = 0, 1, 2, ... in order.
    steps : int
        Batches per epoch.
    time_steps, n_features, n_outputs : int
        The shapes of the batches (time_steps may be None).
    """

    batch: Callable[[int], Any]
    steps: int
    time_steps: int | None
    n_features: int
    n_outputs: int
