"""Pretrained networks on disk: a JSON configuration that code rebuilds, and weights.

Each frequency has a directory holding ``config.json`` and one Keras
weights file per network (``network0.weights.h5``, ...). The configuration
names the recipe (:func:`~sklstm.make_global_forecaster`'s parameters), the
state of each network besides its weights
(:meth:`~sklstm.LSTMRegressor.network_state`) and where the weights came
from. No class is pickled: the files survive a refactoring of sklstm's
modules, as long as the recipe's parameters keep their meaning.
"""

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from sklstm.estimators import LSTMRegressor, stored_networks
from sklstm.forecasting import _nested, make_global_forecaster, rows_needed
from sklstm.preprocessing import make_supervised

__all__ = [
    "FREQUENCIES",
    "WEIGHTS",
    "fitted_recipe",
    "read_config",
    "save",
    "window_fingerprints",
]

FORMAT = 1
WEIGHTS = Path(__file__).parent / "weights"

# frequency -> season length (None: no season) and the most steps forecast
FREQUENCIES = {
    "monthly": {"season_length": 12, "max_steps": 24},
    "quarterly": {"season_length": 4, "max_steps": 8},
    "yearly": {"season_length": None, "max_steps": 6},
}

# the name of the value column the stored recipe is fitted on without data
VALUE_NAME = "value"


# fingerprints: hashes of 12-value windows, each divided by its mean; the
# pretraining series' windows at every 12th position are stored, so a series
# that shares 23 or more consecutive values (at any scale) with a stored one
# shares a fingerprint with it
FINGERPRINT_WINDOW = 12


def window_fingerprints(values, stride=1):
    """32-bit hashes of the scale-free 12-value windows of ``values``.

    Parameters
    ----------
    values : array-like of shape (n,)
        One series.
    stride : int, default=1
        Hash the windows starting at every ``stride``-th value.

    Returns
    -------
    hashes : ndarray of uint32
        One per window (none for a series shorter than a window).
    """
    values = np.asarray(values, dtype=np.float64)
    k = FINGERPRINT_WINDOW
    hashes = []
    for start in range(0, len(values) - k + 1, stride):
        window = values[start : start + k]
        mean = window.mean()
        scaled = np.round(window / mean if mean else window, 6) + 0.0  # no -0.0
        digest = hashlib.blake2b(scaled.tobytes(), digest_size=4).digest()
        hashes.append(int.from_bytes(digest, "little"))
    return np.asarray(hashes, dtype=np.uint32)


def lstm_regressors(estimator):
    """The fitted LSTMRegressors in ``estimator``, in the order their fits ran."""
    if isinstance(estimator, LSTMRegressor):
        return [estimator]
    return [found for inner in _nested(estimator) for found in lstm_regressors(inner)]


def save(model, directory, *, frequency, recipe, provenance, fingerprints=None):
    """Store a fitted global recipe: its configuration and each network's weights.

    Parameters
    ----------
    model : estimator
        ``make_global_forecaster(**recipe)`` fitted on
        ``make_supervised(panel, horizon=max_steps)``.
    directory : path
        Created if needed; its ``config.json`` and weights are overwritten.
    frequency : {"monthly", "quarterly", "yearly"}
    recipe : dict
        The parameters of :func:`~sklstm.make_global_forecaster` the model
        was made with.
    provenance : dict
        Where the weights come from (data, licences, command, machine,
        time): stored as given.
    fingerprints : ndarray of uint32, default=None
        :func:`window_fingerprints` of the pretraining series (every 12th
        window), stored as ``fingerprints.npy``: they let a test check that
        a series (the airline passengers) was not trained on.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    networks = []
    for number, lstm in enumerate(lstm_regressors(model)):
        name = f"network{number}.weights.h5"
        lstm.model_.save_weights(directory / name)
        networks.append({**lstm.network_state(), "weights": name})
    config = {
        "format": FORMAT,
        "frequency": frequency,
        **FREQUENCIES[frequency],
        "recipe": recipe,
        "networks": networks,
        "provenance": provenance,
    }
    (directory / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    if fingerprints is not None:
        np.save(directory / "fingerprints.npy", np.unique(fingerprints))


def read_config(frequency, directory=None):
    """The stored configuration of ``frequency`` (from ``directory`` if given)."""
    directory = Path(directory) if directory is not None else WEIGHTS / frequency
    path = directory / "config.json"
    if not path.exists():
        raise FileNotFoundError(
            f"No pretrained {frequency} model in {directory}: the package was "
            "installed without its weights (reinstall sklstm), or the directory "
            "is wrong."
        )
    config = json.loads(path.read_text())
    if config.get("format") != FORMAT:
        raise ValueError(
            f"{path} has format {config.get('format')}; this sklstm reads format "
            f"{FORMAT}. Install the sklstm version the weights came with."
        )
    config["directory"] = str(directory)
    return config


def recipe_template(config, **lstm_params):
    """The unfitted recipe the configuration describes (LSTM parameters overridden)."""
    recipe = dict(config["recipe"])
    return make_global_forecaster(**{**recipe, **lstm_params})


def placeholder_rows(config, template):
    """X, y on which the stored recipe is fitted without data (nothing is learned).

    One series of ones, long enough for every window; the networks come
    from the store, so its values only give the wrappers and transformers
    their fitted shape.
    """
    length = rows_needed(template) + config["max_steps"] + 1
    series = pd.Series(np.ones(length), name=VALUE_NAME)
    return make_supervised(series, horizon=config["max_steps"])


def fitted_recipe(config, X=None, y=None, **lstm_params):
    """The stored recipe fitted on X, y, its networks loaded from the store.

    With ``warm_start=True`` among ``lstm_params`` the networks are then
    trained further on X and y (``epochs``, ``learning_rate``, ...);
    otherwise y's values are not learned from. X and y default to a
    placeholder series.
    """
    template = recipe_template(config, **lstm_params)
    if X is None:
        X, y = placeholder_rows(config, template)
    directory = Path(config["directory"])
    states = [
        {**state, "weights": str(directory / state["weights"])}
        for state in config["networks"]
    ]
    with stored_networks(states):
        template.fit(X, y)
    loaded = len(lstm_regressors(template))
    if loaded != len(states):
        raise ValueError(
            f"{directory} stores {len(states)} networks but its recipe holds "
            f"{loaded}: the store is damaged or from another sklstm."
        )
    return template
