"""The Parameters section of the estimators' docstrings, written once.

Both estimators take the same parameters but a few (their defaults, the
validation split, the default loss) differ; each parameter is documented once
here and :func:`document_parameters` writes each class's section from its
signature, so the two cannot drift apart.
"""

import inspect
import textwrap

__all__ = ["PARAMETER_DOCS", "document_parameters"]

# numpydoc entries of the estimators' parameters, written once for both:
# name -> (type, description). ``{placeholders}`` in a description are filled
# with the phrases of each class (:func:`document_parameters`); the default
# values come from each class's signature.
PARAMETER_DOCS = {
    "units": (
        "int or tuple of int",
        "Units of the recurrent layer; a tuple stacks layers (the inner ones "
        "return sequences automatically).",
    ),
    "cell": ('{"lstm", "gru"}', "Recurrent cell type."),
    "bidirectional": (
        "bool",
        "Wrap each recurrent layer in ``keras.layers.Bidirectional``.",
    ),
    "dropout": ("float in [0, 1)", "Dropout on the recurrent layers' inputs."),
    "recurrent_dropout": (
        "float in [0, 1)",
        "Dropout on the recurrent state (disables the fast cuDNN kernel on GPU).",
    ),
    "dense_units": (
        "int or None",
        "Units of an optional ReLU dense layer before the output.",
    ),
    "conv_filters": (
        'tuple of int, "auto" or None',
        "Filters of each block of a fully convolutional branch beside the "
        "recurrent layers, as in LSTM-FCN (Karim et al. 2018): Conv1D with "
        "kernel sizes 8, 5, 3 (then 3), batch normalisation and ReLU, averaged "
        "over the observed time steps and joined to the recurrent output "
        "before the dense layers. Missing and padded steps are masked in both "
        'branches. None: recurrent layers only. "auto" is (64, 128, 64), or '
        "None with ``stateful=True`` (which takes no branch).",
    ),
    "epochs": ("int", "Passes over the training data."),
    "batch_size": (
        'int or "auto"',
        "Samples per gradient step (with ``stateful=True``: the number of "
        "parallel streams the {samples} are dealt into; 1 keeps plain row "
        'order). "auto" is ``ceil(n_samples / 8)`` within [8, 32], so that '
        "small data sets still get about 8 steps per epoch (1 stream when "
        "stateful).",
    ),
    "learning_rate": ("float", "Optimizer step size."),
    "learning_rate_schedule": (
        '{"constant", "cosine"}',
        '"cosine" lowers the step size from ``learning_rate`` to near 0 along a '
        "half cosine over ``epochs`` (each fit starts it anew), so that a fit "
        "ends on settled weights rather than wherever its last large steps "
        'landed; "constant" keeps ``learning_rate`` throughout. A callback '
        "that sets the learning rate (``LearningRateScheduler``, "
        "``ReduceLROnPlateau``) takes precedence over the schedule, with a "
        "warning.",
    ),
    "optimizer": (
        '{"adam", "adamw", "nadam", "rmsprop", "sgd"}',
        "Keras optimizer, created with the network (see ``warm_start``).",
    ),
    "clipnorm": (
        "float or None",
        "Rescale each weight's gradient to at most this norm (None: no clipping).",
    ),
    "loss": (
        "str, callable or None",
        "Keras loss: a name from ``keras.losses`` or a callable; None means "
        "{default_loss}.",
    ),
    "early_stopping": (
        "bool",
        "Hold out {validation_samples}, stop when their loss has not improved "
        "for ``n_iter_no_change`` epochs and keep the best weights.",
    ),
    "validation_fraction": (
        "float in (0, 1)",
        "Share of the {samples} held out when ``early_stopping=True``.",
    ),
    "n_iter_no_change": (
        "int",
        "Patience of early stopping, in epochs. Only epochs whose training "
        "loss is below 0.9 x the first epoch's count: a network still (or "
        "again) at its starting loss has learned nothing to stop on.",
    ),
    "shuffle": (
        'bool or "auto"',
        'Shuffle the {samples} each epoch; "auto" shuffles unless ``stateful``.',
    ),
    "stateful": (
        "bool",
        "Carry the LSTM state from each sample to the next in row order; the "
        "state is reset at each epoch, at each ``groups`` change and before "
        "each predict, and predict accepts any number of rows. Not with "
        "shuffling, bidirectional layers or early stopping.",
    ),
    "warm_start": (
        "bool",
        "Continue training the fitted network on the next ``fit`` instead of "
        "starting anew. The optimizer keeps its state between such fits; a "
        "changed ``learning_rate``, ``learning_rate_schedule``, ``optimizer``, "
        "``clipnorm`` or ``loss`` "
        "takes effect with a fresh optimizer (its moment estimates restart). "
        "The network's structure and {kept_when_warm} must stay.",
    ),
    "random_state": (
        "int, RandomState instance or None",
        "Seeds {seeded}; an int gives identical predictions on two fits (on "
        "CPU). The global random state is restored after ``fit``.",
    ),
    "verbose": (
        "int",
        "0 is silent; 1 shows one progress bar over the epochs with the loss.",
    ),
    "callbacks": (
        "list of keras.callbacks.Callback or None",
        "Extra Keras callbacks for ``fit``.",
    ),
    # one estimator each
    "standardize_target": (
        "bool",
        "Train on y standardized per column and answer in y's units.",
    ),
    "class_weight": (
        'dict, "balanced" or None',
        "Weights of the classes in the loss, as in sklearn: a dict from label "
        'to weight, or "balanced" (inverse class frequency).',
    ),
}


def document_parameters(phrases, notes=None):
    """Class decorator: write the Parameters section of an estimator's docstring.

    The section replaces the ``{parameters}`` line of the class docstring:
    one entry of :data:`PARAMETER_DOCS` per parameter of ``__init__``, in
    signature order, with the class's default.

    Parameters
    ----------
    phrases : dict of str
        The class's words for the ``{placeholders}`` of the descriptions.
    notes : dict of str or None, default=None
        Sentences appended to the description of a parameter, by name.

    Returns
    -------
    decorate : callable
        The decorator, which returns the class it was given.
    """

    def decorate(cls):
        entries = []
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
        for parameter in parameters:
            if parameter.name not in PARAMETER_DOCS:
                raise KeyError(
                    f"{cls.__name__} has a parameter {parameter.name!r} that "
                    "sklstm._parameter_docs.PARAMETER_DOCS does not document."
                )
            kind, text = PARAMETER_DOCS[parameter.name]
            text = text.format(**phrases)
            if notes and parameter.name in notes:
                text = f"{text} {notes[parameter.name]}"
            default = parameter.default
            default = f'"{default}"' if isinstance(default, str) else repr(default)
            entries.append(f"{parameter.name} : {kind}, default={default}")
            entries.extend(
                textwrap.wrap(
                    text,
                    width=76,
                    initial_indent="    ",
                    subsequent_indent="    ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        section = "\n    ".join(entries)
        cls.__doc__ = cls.__doc__.replace("{parameters}", section, 1)
        return cls

    return decorate
