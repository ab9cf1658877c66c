"""TensorFlow workarounds: set up only when needed, private APIs checked."""

import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sklstm import _tf_compat


def _python(code, env=None):
    """Run ``code`` in a fresh interpreter; return the finished process."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


# --------------------------------------------------------------------------
# quiet start-up
# --------------------------------------------------------------------------

TENSORFLOW_NOISE = re.compile(r"I0000|cuda|oneDNN", re.IGNORECASE)

FIT_AND_PREDICT = textwrap.dedent(
    """
    import numpy as np
    from sklstm import LSTMClassifier, LSTMRegressor
    X = np.random.default_rng(0).normal(size=(16, 3, 1)).astype("float32")
    X[0, 0, 0] = np.nan  # masked layers: oneDNN's boolean-tensor notice
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X, X[:, -1, 0])
    print(reg.predict(X[1:3]).shape)
    clf = LSTMClassifier(units=2, epochs=1).fit(X, X[:, -1, 0] > 0)
    print(clf.predict(X[1:3]).shape)
    """
)


def _fresh_env(**extra):
    """The environment of a fresh shell: no TensorFlow log level set."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    return {**env, **extra}


def _noise(stderr):
    return [line for line in stderr.splitlines() if TENSORFLOW_NOISE.search(line)]


def test_fit_and_predict_print_no_tensorflow_start_up_lines():
    """Quiet by default: sklstm sets level 2 (no level set) and one log filter."""
    code = FIT_AND_PREDICT + textwrap.dedent(
        """
        import logging, os
        from sklstm import _tf_compat
        _tf_compat.configure_runtime()  # again after the fits: idempotent
        print(os.environ["TF_CPP_MIN_LOG_LEVEL"])
        print(len(logging.getLogger("tensorflow").filters))
        """
    )
    result = _python(code, _fresh_env())
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["(2,)", "(2,)", "2", "1"]
    assert _noise(result.stderr) == []


def test_cli_forecast_prints_no_tensorflow_start_up_lines(tmp_path):
    t = np.arange(40)
    pd.DataFrame(
        {
            "month": pd.date_range("2000-01-01", periods=40, freq="MS"),
            "sales": 100 + 2.0 * t + 10 * np.sin(2 * np.pi * t / 12),
        }
    ).to_csv(tmp_path / "sales.csv", index=False)
    args = ["forecast", str(tmp_path / "sales.csv"), "--column", "sales"]
    args += ["--model", "local"]  # 38 windows: auto would train no LSTM
    args += ["--no-backtest"]  # one fit is enough to start TensorFlow
    result = subprocess.run(
        [sys.executable, "-m", "sklstm.cli", *args, "--steps", "2", "--epochs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=_fresh_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2003-06-01" in result.stdout
    assert _noise(result.stderr) == []
    assert "Forecasting with local LSTM" in result.stderr  # our own line stays


# Importing sklstm changes nothing in the process: no environment variable,
# logger filter or thread pool size until a network is built (or
# configure_runtime is called), and no TensorFlow until sklstm._network.
IMPORT_CHANGES_NOTHING = textwrap.dedent(
    """
    import logging, os, sys
    import sklstm.estimators, sklstm._network_spec, sklstm._tf_compat
    heavy = [m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")]
    assert not heavy, heavy
    level = os.environ["TF_CPP_MIN_LOG_LEVEL"]
    import sklstm._network
    import tensorflow as tf
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == level
    assert logging.getLogger("tensorflow").filters == []
    assert tf.config.threading.get_intra_op_parallelism_threads() == 0
    sklstm._tf_compat.configure_runtime()
    sklstm._tf_compat.configure_runtime()  # idempotent
    assert len(logging.getLogger("tensorflow").filters) == 1
    assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    print("IMPORTS OK")
    """
)


def test_importing_changes_nothing_and_a_users_settings_are_kept():
    """TF_CPP_MIN_LOG_LEVEL=0 asks for every line: sklstm filters none.

    And joblib workers set OMP_NUM_THREADS: sklstm applies it to TensorFlow's
    thread pools when it builds a network. One fresh process: first the
    imports (IMPORT_CHANGES_NOTHING), then fits.
    """
    code = (
        IMPORT_CHANGES_NOTHING
        + FIT_AND_PREDICT
        + textwrap.dedent(
            """
        import os
        import tensorflow as tf
        print(os.environ["TF_CPP_MIN_LOG_LEVEL"])
        print(tf.config.threading.get_intra_op_parallelism_threads(),
              tf.config.threading.get_inter_op_parallelism_threads())
        """
        )
    )
    env = _fresh_env(TF_CPP_MIN_LOG_LEVEL="0", OMP_NUM_THREADS="1")
    result = _python(code, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[:2] == ["IMPORTS", "OK"]
    assert result.stdout.split()[-3:] == ["0", "1", "1"]


def test_start_up_filter_applies_the_level_to_tensorflow_lines_only():
    prefix = b"0000 00:00:1796096538.751862    4582 "
    lines = {
        "banner": b"WARNING: All log messages before absl::InitializeLog() is "
        b"called are written to STDERR\n",
        "info": b"I" + prefix + b"port.cc:153] oneDNN custom operations are on.\n",
        "old_info": b"2025-09-17 14:44:05.157831: I external/cudart_stub.cc:32] "
        b"Could not find cuda drivers on your machine.\n",
        "warning": b"W" + prefix + b"x.cc:1] a warning\n",
        "no_driver": b"E" + prefix + b"cuda_platform.cc:52] failed call to cuInit: "
        b"INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)\n",
        "no_device": b"E" + prefix + b"cuda_driver.cc:1] failed call to cuInit: "
        b"CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected\n",
        "bool": b"E" + prefix + b"util.cc:131] oneDNN supports DT_BOOL only on "
        b"platforms with AVX-512. Falling back.\n",
        "error": b"E" + prefix + b"x.cc:2] a real error\n",
        "fatal": b"F" + prefix + b"x.cc:3] fatal\n",
        "python": b"/x.py:1: DeprecationWarning: not TensorFlow's\n",
        "other": b"I0000 is not a log line here\n",
    }
    output = b"".join(lines.values())

    def kept(level):
        rest = _tf_compat._below(output, level)
        return [name for name, line in lines.items() if line in rest]

    assert kept(0) == list(lines)
    assert kept(1) == [
        "warning",
        "no_driver",
        "no_device",
        "error",
        "fatal",
        "python",
        "other",
    ]
    assert kept(2) == ["no_device", "error", "fatal", "python", "other"]
    assert kept(3) == ["fatal", "python", "other"]


# --------------------------------------------------------------------------
# private TensorFlow and Keras APIs
# --------------------------------------------------------------------------


def _versions():
    return ", ".join(f"{k} {v}" for k, v in _tf_compat.installed_versions().items())


@pytest.mark.parametrize("name", list(_tf_compat.PRIVATE_APIS))
def test_private_api_is_where_the_workarounds_expect_it(name):
    get, lost = _tf_compat.PRIVATE_APIS[name]
    _tf_compat.configure_runtime()
    try:
        get()
    except (ImportError, AttributeError, TypeError) as exc:
        pytest.fail(
            f"{name} moved or changed in {_versions()}: {exc!r}. Without it "
            f"{lost}. Update sklstm/_tf_compat.py and the version pins in "
            "pyproject.toml.",
            pytrace=False,
        )


def test_gradient_registry_entries_hold_the_gradient_function():
    """releasing_training_graphs reads entry["type"] of each registered gradient.

    (None for an op registered as not differentiable.)
    """
    _tf_compat.configure_runtime()
    registry = _tf_compat._gradient_registry()
    bad = [
        name
        for name, entry in registry.items()
        if not isinstance(entry, dict)
        or not (entry.get("type") is None or callable(entry["type"]))
    ]
    assert not bad, (
        f"gradient registry entries not of the form {{'type': function}} in "
        f"{_versions()}: {bad[:5]}; update sklstm/_tf_compat.py"
    )
    functions = [e["type"] for e in registry.values() if callable(e["type"])]
    assert functions, f"no gradient function in the registry in {_versions()}"


def test_keras_model_attributes_the_training_loop_sets():
    """_network sets Model.steps_per_execution and drops Model.train_function."""
    from sklstm import _network

    model = _network.keras.Sequential([_network.keras.layers.Dense(1)])
    model.compile(loss="mse")
    missing = [
        name
        for name in ("steps_per_execution", "train_function")
        if not hasattr(model, name)
    ]
    assert not missing, f"keras.Model has no {missing} in {_versions()}"


def test_supported_versions_are_the_pins_of_pyproject():
    import tomllib

    pyproject = Path(__file__).parents[1] / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    pins = {}
    for requirement in dependencies:
        name, _, specifier = requirement.partition(">")
        pins[name] = ">" + specifier
    for package, specifier in _tf_compat.SUPPORTED_VERSIONS.items():
        assert pins.get(package) == specifier, (package, pins.get(package))


def _missing(*args):
    raise AttributeError("gone in this version")


def _fit_tiny(**params):
    from sklstm import LSTMRegressor

    X = np.random.default_rng(0).normal(size=(16, 3, 1)).astype(np.float32)
    reg = LSTMRegressor(units=2, epochs=1, **params).fit(X, X[:, -1, 0])
    return reg.predict(X)


def test_a_missing_private_api_warns_once_and_fits_anyway(monkeypatch):
    name = "tensorflow.python.framework.ops._gradient_registry._registry"
    _, lost = _tf_compat.PRIVATE_APIS[name]
    monkeypatch.setitem(_tf_compat.PRIVATE_APIS, name, (_missing, lost))
    monkeypatch.setattr(_tf_compat, "_warned", set())
    with pytest.warns(RuntimeWarning) as record:
        _fit_tiny()
    (warning,) = [w for w in record if name in str(w.message)]
    message = str(warning.message)
    assert "gone in this version" in message
    assert "tensorflow " in message and "keras " in message
    assert "7 MiB per fit" in message
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        _fit_tiny()  # once per process


def test_seeded_fit_without_keras_seed_state_still_restores_numpy(monkeypatch):
    name = "keras.src.random.seed_generator.GLOBAL_SEED_GENERATOR"
    _, lost = _tf_compat.PRIVATE_APIS[name]
    monkeypatch.setitem(_tf_compat.PRIVATE_APIS, name, (_missing, lost))
    monkeypatch.setattr(_tf_compat, "_warned", set())
    numpy_before = np.random.get_state()[1].copy()  # noqa: NPY002
    with pytest.warns(RuntimeWarning, match=re.escape(name)):
        first = _fit_tiny(random_state=0)
    assert np.array_equal(np.random.get_state()[1], numpy_before)  # noqa: NPY002
    np.testing.assert_allclose(_fit_tiny(random_state=0), first, rtol=1e-6)
