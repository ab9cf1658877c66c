"""The Keras seam (sklstm/_network.py): the convolutional branch (``conv_filters``,
LSTM-FCN) through the public API, and the training callbacks."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import LSTMClassifier, LSTMRegressor, to_3d


def _shapes(n=48, steps=24, seed=0):
    """Three classes told apart by a local shape, at a random place.

    A bump, a dip or a step somewhere in noise: a few convolution filters find
    it wherever it is.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(scale=0.3, size=(n, steps, 1)).astype(np.float32)
    y = np.array(["bump", "dip", "step"] * (n // 3))
    for i, label in enumerate(y):
        at = rng.integers(0, steps - 6)
        if label == "bump":
            X[i, at : at + 4, 0] += 2.0
        elif label == "dip":
            X[i, at : at + 4, 0] -= 2.0
        else:
            X[i, at:, 0] += 1.5
    return X, y


@pytest.fixture(scope="module")
def shapes():
    return _shapes()


CONV = {
    "units": 4,
    "conv_filters": (8, 8),
    "epochs": 40,
    "learning_rate": 0.01,
    "random_state": 0,
}

# --dist loadgroup runs the tests reading fitted_conv on one worker, so the
# fixture is fitted once (pyproject.toml pins pytest below 9.2 for this).
uses_fitted_conv = pytest.mark.xdist_group("test_network_fitted_conv")


@pytest.fixture(scope="module")
def fitted_conv(shapes):
    """Read only: a test that changes it works on a copy."""
    X, y = shapes
    return LSTMClassifier(**CONV).fit(X, y)


@uses_fitted_conv
def test_classifier_with_conv_branch_learns_fits_and_predicts(fitted_conv, shapes):
    _, y = shapes
    X_new, y_new = _shapes(seed=1)
    proba = fitted_conv.predict_proba(X_new)
    assert proba.shape == (len(X_new), 3)
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(fitted_conv.predict(X_new)) <= set(y)
    assert fitted_conv.score(X_new, y_new) >= 0.8


@uses_fitted_conv
def test_the_branch_is_beside_the_recurrent_layer(fitted_conv):
    from sklstm._network import ConvolutionalBranch

    names = [type(layer).__name__ for layer in fitted_conv.model_.layers]
    assert "LSTM" in names and "Concatenate" in names
    (branch,) = [
        layer
        for layer in fitted_conv.model_.layers
        if isinstance(layer, ConvolutionalBranch)
    ]
    assert branch.filters == (8, 8)
    assert [c.kernel_size for c in branch.convolutions] == [(8,), (5,)]


def test_binary_and_regressor_with_conv_branch(shapes):
    X, y = shapes
    binary = y == "bump"
    clf = LSTMClassifier(units=2, conv_filters=(4,), epochs=2, random_state=0)
    assert clf.fit(X, binary).predict_proba(X).shape == (len(X), 2)
    target = X[:, :, 0].max(axis=1)
    reg = LSTMRegressor(units=2, conv_filters=(4,), epochs=2, random_state=0)
    pred = reg.fit(X, target).predict(X)
    assert pred.shape == (len(X),) and np.isfinite(pred).all()


@uses_fitted_conv
def test_padding_a_sequence_with_nan_does_not_change_its_answer(fitted_conv, shapes):
    """Missing steps are masked in both branches: a NaN-padded sequence
    gets the answer of the same sequence cut to its observed steps."""
    X, _ = shapes
    cut = X[:6, :15]
    padded = np.concatenate([cut, np.full((6, 9, 1), np.nan, np.float32)], axis=1)
    assert_allclose(
        fitted_conv.predict_proba(padded), fitted_conv.predict_proba(cut), rtol=1e-5
    )


def test_ragged_sequences_through_to_3d(shapes):
    X, y = shapes
    rng = np.random.default_rng(2)
    ragged = [x[: rng.integers(12, 25), 0] for x in X]
    X3 = to_3d(ragged)
    assert np.isnan(X3).any()
    clf = LSTMClassifier(units=2, conv_filters=(4, 4), epochs=2, random_state=0)
    proba = clf.fit(X3, y).predict_proba(X3)
    assert np.isfinite(proba).all()


@uses_fitted_conv
def test_pickle_round_trip(fitted_conv, shapes):
    """(In a fresh process: test_estimators.py, a conv classifier unpickled.)"""
    X, _ = shapes
    again = pickle.loads(pickle.dumps(fitted_conv))
    assert_array_equal(again.predict_proba(X), fitted_conv.predict_proba(X))


@uses_fitted_conv
def test_seeded_fits_are_identical(fitted_conv, shapes):
    # a second fit with fitted_conv's parameters and seed, later in the process
    X, y = shapes
    again = LSTMClassifier(**CONV).fit(X, y)
    assert_array_equal(again.predict_proba(X), fitted_conv.predict_proba(X))


def test_grid_search_over_conv_filters_in_a_pipeline(shapes):
    X, y = shapes
    pipe = make_pipeline(
        FunctionTransformer(lambda Z: Z),  # stands for a user's preprocessing
        LSTMClassifier(units=2, epochs=2, random_state=0),
    )
    grid = {"lstmclassifier__conv_filters": [None, (4,)]}
    # refit=False: each candidate is fitted and scored on both folds (the
    # subject); a refit of the best would be a fifth fit of the same code
    search = GridSearchCV(pipe, grid, cv=2, refit=False).fit(X, y)
    assert len(search.cv_results_["mean_test_score"]) == 2
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@uses_fitted_conv
def test_warm_start_refuses_a_changed_branch(fitted_conv, shapes):
    X, y = shapes
    clf = pickle.loads(pickle.dumps(fitted_conv))  # a fitted copy to change
    clf.set_params(warm_start=True, conv_filters=(8,))
    with pytest.raises(ValueError, match=r"structure changed.*conv_filters"):
        clf.fit(X, y)


def test_training_callbacks_put_the_users_first_and_copy_their_list():
    from sklstm import _network

    user = [_network.keras.callbacks.Callback()]
    callbacks = _network.training_callbacks(
        user, epochs=3, verbose=1, patience=5, reset_batches=(2,)
    )
    assert [type(c).__name__ for c in callbacks] == [
        "Callback",
        "EpochProgress",
        "EarlyStoppingOnceLearning",
        "ResetStates",
    ]
    assert callbacks[0] is user[0]
    assert len(user) == 1
    assert _network.training_callbacks(None, epochs=3, verbose=0) == []


# ------------------------------------------------ masks a GPU's cuDNN accepts


def _left_padded_windows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 6, 2))
    X[:16, :3] = np.nan  # series starts: the first steps are missing
    X[16:24, :5] = np.nan
    y = np.nansum(X, axis=(1, 2))
    return X, y


# --dist loadgroup runs the tests reading left_padded_fit on one worker, so the
# fixture is fitted once (pyproject.toml pins pytest below 9.2 for this).
uses_left_padded_fit = pytest.mark.xdist_group("test_network_left_padded_fit")


@pytest.fixture(scope="module")
def left_padded_fit():
    """Fitted on a CPU (no GPU patched in) on _left_padded_windows; read only."""
    X, y = _left_padded_windows()
    return LSTMRegressor(units=(3, 2), epochs=2, random_state=0).fit(X, y)


def _cudnn_checks(monkeypatch):
    """Make Keras's LSTM ask the (absent) cuDNN kernel, which checks its mask.

    On a GPU, Keras's TensorFlow backend runs the cuDNN LSTM, asserting first
    that the mask is right-padded. Here the spy makes that same assertion
    (Keras's own ``_assert_valid_mask``), then reports cuDNN unavailable as
    a CPU does, and Keras falls back to its generic loop.
    """
    from keras.src import backend
    from keras.src.backend.tensorflow.rnn import _assert_valid_mask

    from sklstm import _network

    # the spy must be traced into the training and predict steps: each
    # network trains and predicts itself, not a pooled trainer or predictor
    # whose step was traced before the spy
    monkeypatch.setattr(_network, "_trainer_recipe", lambda model, callbacks: None)
    monkeypatch.setattr(_network, "_predictor_recipe", lambda model: None)
    masks = []

    def cudnn_lstm(inputs, h, c, mask, *args, **kwargs):
        masks.append(mask)
        if mask is not None:
            _assert_valid_mask(mask)
        raise NotImplementedError

    monkeypatch.setattr(backend, "lstm", cudnn_lstm)
    return masks


def test_left_padded_masks_would_fail_the_cudnn_check(monkeypatch):
    import tensorflow as tf

    _cudnn_checks(monkeypatch)
    X, y = _left_padded_windows()
    with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded"):
        LSTMRegressor(units=3, epochs=1, random_state=0).fit(X, y)


@uses_left_padded_fit
def test_with_a_gpu_the_recurrent_layers_get_right_padded_masks(
    monkeypatch, left_padded_fit
):
    from sklstm import _network

    X, y = _left_padded_windows()
    on_cpu = left_padded_fit
    expected, expected_short = on_cpu.predict(X), on_cpu.predict(X[:20, 2:])
    monkeypatch.setattr(_network, "gpu_visible", lambda: True)
    masks = _cudnn_checks(monkeypatch)
    on_gpu = LSTMRegressor(units=(3, 2), epochs=2, random_state=0).fit(X, y)
    assert any(mask is not None for mask in masks)  # the check ran
    assert any(
        isinstance(layer, _network.ObservedStepsFirst) for layer in on_gpu.model_.layers
    )
    assert_allclose(on_gpu.predict(X), expected, rtol=1e-5, atol=1e-6)
    assert_allclose(on_gpu.predict(X[:20, 2:]), expected_short, rtol=1e-5, atol=1e-6)


@uses_left_padded_fit
def test_with_a_gpu_layers_answering_every_step_do_not_use_cudnn(
    monkeypatch, left_padded_fit
):
    import dataclasses

    from sklstm import _network
    from sklstm._network_spec import OutputSpec

    fitted = left_padded_fit  # two recurrent layers: both are checked
    monkeypatch.setattr(_network, "gpu_visible", lambda: True)
    spec = dataclasses.replace(fitted._spec, mask_nan=True)
    twin = _network.build_network(
        spec, n_features=2, output=OutputSpec(1, "linear"), all_steps=True
    )
    recurrent = [layer for layer in twin.layers if hasattr(layer, "use_cudnn")]
    assert recurrent and all(layer.use_cudnn is False for layer in recurrent)


def test_with_a_gpu_every_forecasting_path_passes_the_cudnn_check(monkeypatch):
    import pandas as pd
    from probes import seasonal_panel

    from sklstm import (
        ConformalForecaster,
        _network,
        forecast,
        make_global_forecaster,
        make_supervised,
    )

    monkeypatch.setattr(_network, "gpu_visible", lambda: True)
    masks = _cudnn_checks(monkeypatch)
    # trained on complete windows, predicted on padded ones (with_nan_mask)
    X, y = _left_padded_windows()
    complete = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X[24:], y[24:])
    assert np.isfinite(complete.predict(X)).all()
    # the global recipe: padded windows in fit, calibration, forecast
    panel = seasonal_panel(lengths=(30, 20, 40))
    recipe = make_global_forecaster(
        look_back=24, units=3, epochs=1, batch_size=16, random_state=0
    )
    # refit=False: the calibration fit is the model (a refit trains the same
    # way on more rows)
    model = ConformalForecaster(recipe, steps=3, season_length=12, refit=False)
    model.fit(*make_supervised(panel))
    short = pd.concat([panel, panel.loc[["s1"]].iloc[:5].rename({"s1": "new"})])
    future = forecast(model, short, steps=3, interval=0.8)
    assert np.isfinite(future.to_numpy()).all()
    assert sum(mask is not None for mask in masks) >= 3
