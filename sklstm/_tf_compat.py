"""TensorFlow and Keras workarounds, kept apart from building and training.

What is here exists because of how TensorFlow and Keras behave, not because
of what sklstm does: the process set-up before TensorFlow starts
(:func:`configure_runtime`), the release of training graphs TensorFlow would
keep forever (:func:`releasing_training_graphs`) and seeding that does not
outlive a fit (:func:`random_seed_scope`).

Importing this module imports neither TensorFlow nor Keras and changes no
process state; :func:`configure_runtime` does, once, when the estimators are
about to build or load their first network.

Some workarounds read private TensorFlow and Keras attributes, listed in
:data:`PRIVATE_APIS`; ``tests/test_tf_compat.py`` checks each against the
installed versions, and pyproject.toml pins the versions tested. Should one
be missing at run time anyway, its workaround is skipped with one warning
that says what is lost.
"""

import contextlib
import itertools
import logging
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import warnings

import numpy as np

__all__ = [
    "PRIVATE_APIS",
    "SUPPORTED_VERSIONS",
    "configure_runtime",
    "installed_versions",
    "random_seed_scope",
    "releasing_training_graphs",
]

# The versions whose private APIs are tested (pyproject.toml pins the same).
SUPPORTED_VERSIONS = {"tensorflow": ">=2.16,<2.22", "keras": ">=3,<3.16"}

# ----------------------------------------------------------------- set-up
_configure_lock = threading.Lock()
_configured = False


def configure_runtime():
    """Prepare the process for TensorFlow; only the first call does anything.

    Called by the estimators right before they first import
    :mod:`sklstm._network` (and so TensorFlow). It

    - sets ``TF_CPP_MIN_LOG_LEVEL=2`` unless the user set it, before
      TensorFlow is imported (TensorFlow reads it then): TensorFlow's C++
      notices and warnings stay quiet, its errors do not;
    - sizes TensorFlow's thread pools by ``OMP_NUM_THREADS`` when that is set
      (joblib sets it in its workers), before TensorFlow starts them;
    - imports TensorFlow, lets it find its devices (no device is hidden: a
      GPU is used as before) and starts its runtime, with that level applied
      to the one-time notices TensorFlow prints before its own filter is in
      place (see :func:`_startup_output_filtered`);
    - drops TensorFlow's retracing notice from the ``tensorflow`` logger:
      each fit builds a new model on purpose.
    """
    global _configured
    if _configured:
        return
    with _configure_lock:
        if _configured:
            return
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with _startup_output_filtered(_min_log_level()):
            import keras
            import tensorflow as tf

            if keras.backend.backend() == "tensorflow":
                _cap_threads_from_environment(tf)
            # CUDA start-up (and its notices) happens on device discovery,
            # oneDNN's one-time notice about boolean tensors on the first
            # boolean transpose (masked layers run one)
            tf.config.list_physical_devices()
            tf.transpose(tf.constant([[True]]))
        logging.getLogger("tensorflow").addFilter(_DropRetracingNotice())
        _configured = True


def _cap_threads_from_environment(tf):
    """Size TensorFlow's thread pools by OMP_NUM_THREADS when it is set.

    joblib sets OMP_NUM_THREADS in its worker processes (1 each for
    ``n_jobs=2`` on 2 cores) so that parallel fits do not fight over the
    cores; TensorFlow ignores that variable, so it is applied here, before
    TensorFlow starts its pools.
    """
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if not threads.isdigit() or int(threads) < 1:
        return
    try:
        tf.config.threading.set_intra_op_parallelism_threads(int(threads))
        tf.config.threading.set_inter_op_parallelism_threads(int(threads))
    except RuntimeError:  # TensorFlow already running: too late to change
        pass


def _min_log_level():
    """TF_CPP_MIN_LOG_LEVEL as TensorFlow reads it: 0 when unset or not a number."""
    level = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "")
    return int(level) if level.isdigit() else 0


# A log line of TensorFlow's C++ code: absl's "I0000 00:00:1700000000.123 42
# file.cc:12] ..." or TensorFlow's older "2024-01-31 12:00:00.123456: I ...".
_LOG_LINE = re.compile(
    rb"^(?:([IWEF])\d{4} [\d:.]+ +\d+ [^ ]+:\d+\] "
    rb"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: ([IWEF]) )"
)
_SEVERITY = {b"I": 0, b"W": 1, b"E": 2, b"F": 3}
# absl's notice that it prints the lines before its set-up unfiltered (the
# notices it announces are what is dropped here)
_ABSL_UNINITIALIZED = b"WARNING: All log messages before absl::InitializeLog()"
# Start-up lines TensorFlow logs as errors although nothing is wrong: the
# severity they are filtered at instead.
_MISLEVELED = (
    # the CUDA driver library is not installed (CUDA error 303: shared object
    # initialisation failed): TensorFlow has said so and runs on the CPU
    (re.compile(rb"failed call to cuInit: .*\(303\)"), 1),
    # oneDNN falls back to TensorFlow's own kernels for boolean tensors
    (re.compile(rb"oneDNN supports DT_BOOL only on platforms with AVX-512"), 0),
)


def _severity(line):
    """Severity (0 info .. 3 fatal) of a log line of TensorFlow's C++ code, or None."""
    if line.startswith(_ABSL_UNINITIALIZED):
        return 0
    match = _LOG_LINE.match(line)
    if match is None:
        return None
    severity = _SEVERITY[match.group(1) or match.group(2)]
    for pattern, actual in _MISLEVELED:
        if pattern.search(line):
            return min(severity, actual)
    return severity


def _below(output, min_level):
    """``output`` without TensorFlow's log lines below ``min_level``."""
    return b"".join(
        line
        for line in output.splitlines(keepends=True)
        if (severity := _severity(line)) is None or severity >= min_level
    )


@contextlib.contextmanager
def _startup_output_filtered(min_level):
    """Apply ``TF_CPP_MIN_LOG_LEVEL`` to what TensorFlow's start-up prints.

    TensorFlow (2.16 to 2.21 at least, tensorflow/tensorflow#100442) prints
    some start-up lines through absl before applying
    ``TF_CPP_MIN_LOG_LEVEL``, straight to file descriptor 2 where Python
    cannot filter them: the oneDNN and "Could not find cuda drivers"
    notices, twice, at import; the failed ``cuInit`` of a machine without
    CUDA driver at device discovery. Here whatever is written to that
    descriptor in the block is held back in a temporary file and written out
    afterwards, in order, without TensorFlow's log lines below
    ``min_level``; every other line (Python's own warnings, any other
    library's output) passes. Level 0 (TensorFlow's default) holds nothing
    back: should TensorFlow's import crash the process, the lines held back
    are lost, and ``TF_CPP_MIN_LOG_LEVEL=0`` shows them.
    """
    if min_level <= 0:
        yield
        return
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable descriptor 2: nothing to filter
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError):
                if sys.stderr is not None:
                    sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            kept = _below(held.read(), min_level)
            if kept:
                with open(2, "wb", closefd=False) as stderr:
                    stderr.write(kept)


class _DropRetracingNotice(logging.Filter):
    """Drop TensorFlow's retracing notice: each fit builds a new model on purpose."""

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


# ------------------------------------------------------------ private APIs
def _gradient_registry():
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry
    if not isinstance(registry, dict):
        raise TypeError(f"it is a {type(registry).__name__}, not a dict")
    return registry


def _eager_context():
    from tensorflow.python.eager import context

    return context.context()


def _clear_kernel_cache():
    clear = _eager_context().clear_kernel_cache
    if not callable(clear):
        raise TypeError("it is not callable")
    return clear


def _keras_global_state():
    from keras.src.backend.common import global_state

    for name in ("get_global_attribute", "set_global_attribute"):
        if not callable(getattr(global_state, name, None)):
            raise AttributeError(f"global_state has no function {name!r}")
    return global_state


def _keras_global_random_seed_key():
    from keras.src.utils import rng_utils

    return rng_utils.GLOBAL_RANDOM_SEED


def _keras_global_seed_generator_key():
    from keras.src.random import seed_generator

    return seed_generator.GLOBAL_SEED_GENERATOR


def _keras_step_parts():
    """What Keras's TensorFlow trainer builds its training function from."""
    from keras.src.backend.tensorflow import trainer

    reduce = trainer.reduce_per_replica
    autoconvert = trainer.TensorFlowTrainer._autoconvert_optionals
    if not (callable(reduce) and callable(autoconvert)):
        raise TypeError("they are not callable")
    return reduce, autoconvert


KERAS_STEP_PARTS = (
    "keras.src.backend.tensorflow.trainer (reduce_per_replica, "
    "TensorFlowTrainer._autoconvert_optionals)"
)

_GRAPHS_KEPT = (
    "sklstm cannot release the training graphs TensorFlow keeps: a process that "
    "fits many models (a long search) grows by about 7 MiB per fit"
)
_SEED_KEPT = (
    "a seeded fit cannot restore Keras's global seed afterwards: later "
    "unseeded Keras code is reseeded at random instead"
)

# dotted name -> (function returning it, what is lost without it)
PRIVATE_APIS = {
    "tensorflow.python.framework.ops._gradient_registry._registry": (
        _gradient_registry,
        _GRAPHS_KEPT,
    ),
    "tensorflow.python.eager.context.context().clear_kernel_cache": (
        _clear_kernel_cache,
        "sklstm cannot empty TensorFlow's kernel cache between fits: a process "
        "that fits many models grows by about 1 MiB per fit",
    ),
    KERAS_STEP_PARTS: (
        _keras_step_parts,
        "fits on data of another size trace their training step again "
        "(about 1 s for a small network)",
    ),
    "keras.src.backend.common.global_state": (_keras_global_state, _SEED_KEPT),
    "keras.src.utils.rng_utils.GLOBAL_RANDOM_SEED": (
        _keras_global_random_seed_key,
        _SEED_KEPT,
    ),
    "keras.src.random.seed_generator.GLOBAL_SEED_GENERATOR": (
        _keras_global_seed_generator_key,
        _SEED_KEPT,
    ),
}

_MISSING = object()
_warned = set()


def _private(name):
    """The private API ``name`` of :data:`PRIVATE_APIS`, or ``_MISSING``.

    A missing one is warned about once per process, naming it, the installed
    versions and what is lost; the caller then skips its workaround.
    """
    get, lost = PRIVATE_APIS[name]
    try:
        return get()
    except (ImportError, AttributeError, TypeError) as exc:
        if name not in _warned:
            _warned.add(name)
            versions = ", ".join(f"{k} {v}" for k, v in installed_versions().items())
            supported = ", ".join(f"{k}{v}" for k, v in SUPPORTED_VERSIONS.items())
            warnings.warn(
                f"{name} is not usable with {versions} ({exc}); sklstm is tested "
                f"with {supported}. Fits still work, but {lost}.",
                RuntimeWarning,
                stacklevel=2,
            )
        return _MISSING


def installed_versions():
    """The versions of TensorFlow and Keras in use, by package name.

    Returns
    -------
    versions : dict
        ``{"tensorflow": ..., "keras": ...}`` (imports both).
    """
    import keras
    import tensorflow as tf

    return {"tensorflow": tf.__version__, "keras": keras.__version__}


def _uses_tensorflow():
    import keras

    return keras.backend.backend() == "tensorflow"


# ----------------------------------------------------------- graph release
@contextlib.contextmanager
def releasing_training_graphs(model):
    """Let ``model``'s training graphs be freed once the block has trained it.

    Tracing a Keras training step under TensorFlow registers a custom
    gradient (that of the optimizer's all-reduce of the gradients) in
    TensorFlow's global gradient registry, and that entry holds the traced
    step's whole graph for the rest of the process (tensorflow/tensorflow
    #97697): about 7 MiB and 8,000 Python objects per fit, so that a process
    running a long search grows without bound. The entries registered while
    the block ran whose graph captured one of ``model``'s weights are
    removed afterwards; no gradient is ever taken through them again (the
    traced step already holds its gradients), and other models' entries,
    which a fit in another thread may still need, are left alone.

    TensorFlow's cache of eager kernels also grows with every network built
    (each new variable's ops have unique attributes): about 1 MiB per fit of
    a small network. It is emptied after every :data:`KERNEL_CACHE_FITS`-th
    fit, as ``keras.utils.clear_session`` does; kernels in use stay alive
    until they finish. Not after every fit: emptying it also drops the
    instantiated traced steps that later fits reuse
    (:mod:`sklstm._traced_steps`), and instantiating one again costs about
    0.3 s.
    """
    if not _uses_tensorflow():
        yield
        return
    registry = _private("tensorflow.python.framework.ops._gradient_registry._registry")
    if registry is _MISSING:
        registry = {}
    before = set(registry)
    try:
        yield
    finally:
        weights = {id(handle) for handle in _weight_handles(model)}
        for name in set(registry) - before:
            # .get and .pop: a fit in another thread may remove its own meanwhile
            captured = {id(t) for t in _captured_tensors(registry.get(name))}
            if weights & captured:
                registry.pop(name, None)
        if next(_fits) % KERNEL_CACHE_FITS == 0:
            clear = _private(
                "tensorflow.python.eager.context.context().clear_kernel_cache"
            )
            if clear is not _MISSING:
                clear()


# Fits between two emptyings of TensorFlow's kernel cache: it grows by about
# 1 MiB a fit meanwhile (measured on small networks).
KERNEL_CACHE_FITS = 16
_fits = itertools.count(1)


def _weight_handles(model):
    for variable in model.trainable_variables:
        handle = getattr(getattr(variable, "value", None), "handle", None)
        if handle is not None:
            yield handle


def _captured_tensors(entry):
    """Outer tensors captured by the graphs a registered gradient function holds.

    The function's closures (two levels: TensorFlow's wrapper and the
    gradient function it wraps) hold the forward result, whose tensors belong
    to the traced graph; that graph, and the graphs it is nested in, capture
    the weights they read.
    """
    import tensorflow as tf

    graphs = {}
    functions = [entry.get("type")] if isinstance(entry, dict) else []
    for _ in range(2):
        values = [v for function in functions for v in _closure_values(function)]
        functions = [v for v in values if callable(v)]
        for value in values:
            # an eager tensor has no graph: getattr gives None
            graph = getattr(value, "graph", None) if tf.is_tensor(value) else None
            while graph is not None and id(graph) not in graphs:
                graphs[id(graph)] = graph
                graph = getattr(graph, "outer_graph", None)
    for graph in graphs.values():
        yield from getattr(graph, "external_captures", ())


def _closure_values(function):
    """The values a function's closure holds, lists and tuples flattened."""
    for cell in getattr(function, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        yield from value if isinstance(value, (list, tuple)) else (value,)


# --------------------------------------------- steps per call as an argument
def step_count_is_an_argument():
    """Whether :func:`train_function_taking_step_count` can be built here."""
    return _private(KERAS_STEP_PARTS) is not _MISSING


def train_function_taking_step_count(model):
    """Keras's training function for ``model``, with the step count an argument.

    Keras runs ``model.steps_per_execution`` training steps per call of its
    training function, a number it traces into the function as a constant:
    a fit with another count (data of another size) traces the whole step
    again. This function is Keras's own (``TensorFlowTrainer._make_function``
    of Keras 3: the same ``train_step`` under the model's distribution
    strategy, the same loop over the data iterator, stopping early when the
    data end) with one change: the count is read from
    ``model.steps_per_execution`` at each call and passed in as a tensor, so
    one trace serves every count. Set it as ``model.train_function`` after
    compiling.

    Returns None when Keras's parts are not where this expects them (the
    caller then keeps Keras's own function) or ``model`` runs eagerly.
    """
    import tensorflow as tf

    parts = _private(KERAS_STEP_PARTS)
    if parts is _MISSING or model.run_eagerly:
        return None
    reduce_per_replica, autoconvert_optionals = parts
    strategy = model.distribute_strategy

    @tf.autograph.experimental.do_not_convert
    def one_step_on_data(data):
        outputs = strategy.run(model.train_step, args=(data,))
        return reduce_per_replica(outputs, strategy, reduction="auto")

    one_step_on_data = tf.function(
        one_step_on_data, reduce_retracing=True, jit_compile=model.jit_compile
    )
    one_step_on_data = autoconvert_optionals(model, one_step_on_data)

    @tf.autograph.experimental.do_not_convert
    def steps_on_iterator(iterator, steps):
        # the spec is set lazily while tf.while_loop traces its body
        empty_outputs = tf.experimental.Optional.empty(None)

        def more(step, outputs, next_inputs):
            return tf.logical_and(tf.less(step, steps), next_inputs.has_value())

        def body(step, outputs, next_inputs):
            def has_next():
                next_outputs = tf.experimental.Optional.from_value(
                    one_step_on_data(next_inputs.get_value())
                )
                empty_outputs._element_spec = next_outputs.element_spec
                return next_outputs

            def no_next():
                outputs._element_spec = empty_outputs._element_spec
                return outputs

            outputs = tf.cond(more(step, outputs, next_inputs), has_next, no_next)
            next_inputs = tf.cond(
                tf.less(step + 1, steps),
                iterator.get_next_as_optional,
                lambda: next_inputs,
            )
            return step + 1, outputs, next_inputs

        _, outputs, _ = tf.while_loop(
            more,
            body,
            loop_vars=[tf.constant(0), empty_outputs, iterator.get_next_as_optional()],
        )
        outputs._element_spec = empty_outputs.element_spec
        return outputs

    steps_on_iterator = tf.function(steps_on_iterator, reduce_retracing=True)

    def function(iterator):
        steps = tf.constant(model.steps_per_execution, dtype=tf.int32)
        outputs = steps_on_iterator(iterator, steps)
        if not outputs.has_value():
            raise StopIteration
        return outputs.get_value()

    return function


# ----------------------------------------------------------------- seeding
@contextlib.contextmanager
def random_seed_scope(seed):
    """Seed Python, NumPy and Keras for a block, then restore them.

    ``keras.utils.set_random_seed`` alone leaves the seeds set for the rest of
    the process; here the previous generator states come back afterwards, so
    a seeded fit changes nothing for code that runs later.

    TensorFlow's own global seed is left alone: nothing a fit runs draws from
    it (sklstm's layers get explicit seeds and shuffle with NumPy; Keras's
    random ops are stateless), and setting it empties TensorFlow's caches of
    instantiated functions, so that every traced step already in the process
    is instantiated anew at its next call (about 0.3 s, measured on a small
    network, each time).
    """
    if seed is None:
        yield
        return
    saved_keras = _keras_seed_state()
    saved_python = random.getstate()
    saved_numpy = np.random.get_state()  # noqa: NPY002 (the global state)
    if saved_keras is _MISSING:
        import keras

        keras.utils.set_random_seed(int(seed))  # seeds TensorFlow as well
    else:
        global_state, values = saved_keras
        seed_key, generator_key = list(values)  # in _keras_seed_state's order
        global_state.set_global_attribute(seed_key, int(seed))
        # Keras recreates its global generator from that seed when next asked
        global_state.set_global_attribute(generator_key, None)
        random.seed(int(seed))
        np.random.seed(int(seed))  # noqa: NPY002
    try:
        yield
    finally:
        if saved_keras is _MISSING:
            import keras

            # cannot restore Keras's state: at least do not leave it seeded
            keras.utils.set_random_seed(secrets.randbelow(2**31 - 1))
        else:
            global_state, values = saved_keras
            for key, value in values.items():
                global_state.set_global_attribute(key, value)
        random.setstate(saved_python)
        np.random.set_state(saved_numpy)  # noqa: NPY002


def _keras_seed_state():
    """Keras's global seed and seed generator, to restore after the block."""
    parts = [
        _private(name)
        for name in (
            "keras.src.backend.common.global_state",
            "keras.src.utils.rng_utils.GLOBAL_RANDOM_SEED",
            "keras.src.random.seed_generator.GLOBAL_SEED_GENERATOR",
        )
    ]
    if any(part is _MISSING for part in parts):
        return _MISSING
    global_state, *keys = parts
    return global_state, {key: global_state.get_global_attribute(key) for key in keys}
