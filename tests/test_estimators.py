"""LSTMRegressor and LSTMClassifier through the public API, as a user calls them.

Networks are tiny (a few units, a few epochs, <= 100 samples) and fitted
estimators are shared through module-scoped fixtures: the point is behaviour,
not accuracy.
"""

import dataclasses
import importlib.util
import json
import pickle
import subprocess
import sys
import textwrap
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from probes import fresh_predict_script, graphs_kept
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    TimeSeriesSplit,
    check_cv,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    LagWindower,
    LSTMClassifier,
    LSTMRegressor,
    To3D,
)

TINY = {"units": 4, "epochs": 3, "random_state": 0}
# The classifier tests below fit conv_filters=None (recurrent layers only)
# unless the default network is their subject: the default's convolutional
# branch costs about a second more per fit to build and trace, and
# test_common.py and test_network.py test it.

# Module-scoped fixtures are fitted once per xdist worker: the tests reading
# one are kept on one worker (as test_network.py does), so it is fitted once.
uses_fitted = pytest.mark.xdist_group("test_estimators_fitted_reg_clf")
uses_masked = pytest.mark.xdist_group("test_estimators_fitted_masked_reg")
uses_batches_16 = pytest.mark.xdist_group("test_estimators_fitted_batches_16")
uses_pipeline = pytest.mark.xdist_group("test_estimators_fitted_pipeline")
uses_stateful = pytest.mark.xdist_group("test_estimators_fitted_stateful")


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------


def regression_data(n=60, steps=5, features=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, steps, features)).astype(np.float32)
    y = X[:, -1, 0] + 0.5 * X[:, -2, 1] + 10.0
    return X, y


def classification_data(n=60, steps=5, labels=("down", "up"), seed=0):
    """Sequences whose class is readable from the mean of the first feature."""
    rng = np.random.default_rng(seed)
    k = len(labels)
    codes = np.arange(n) % k
    X = rng.normal(scale=0.3, size=(n, steps, 1)).astype(np.float32)
    X += codes[:, None, None].astype(np.float32)
    y = np.asarray(labels)[codes]
    return X, y


@pytest.fixture(scope="module")
def reg_data():
    return regression_data()


@pytest.fixture(scope="module")
def fitted_reg(reg_data):
    X, y = reg_data
    return LSTMRegressor(**TINY).fit(X, y)


@pytest.fixture(scope="module")
def clf_data():
    return classification_data()


@pytest.fixture(scope="module")
def fitted_clf(clf_data):
    X, y = clf_data
    return LSTMClassifier(conv_filters=None, **TINY).fit(X, y)


class EpochCounter:
    """Factory for a keras Callback subclass counting epochs (keras imported lazily)."""

    @staticmethod
    def make():
        import keras

        class _Counter(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.epochs = 0
                self.batches = 0
                self.train_begins = 0

            def on_train_batch_end(self, batch, logs=None):
                self.batches += 1

            def on_train_begin(self, logs=None):
                self.train_begins += 1

            def on_epoch_end(self, epoch, logs=None):
                self.epochs += 1

        return _Counter()


# --------------------------------------------------------------------------
# shapes and dtypes
# --------------------------------------------------------------------------


@uses_fitted
def test_regressor_1d_y_gives_1d_float64(fitted_reg, reg_data):
    X, _ = reg_data
    pred = fitted_reg.predict(X)
    assert pred.shape == (len(X),)
    assert pred.dtype == np.float64
    assert np.isfinite(pred).all()


def test_regressor_2d_y_gives_multi_output(reg_data):
    X, y = reg_data
    Y = np.column_stack([y, -y, 2 * y])
    reg = LSTMRegressor(**TINY).fit(X, Y)
    pred = reg.predict(X)
    assert pred.shape == (len(X), 3)
    assert pred.dtype == np.float64
    assert reg.model_.outputs[0].shape[-1] == 3


def test_regressor_2d_y_with_one_column_stays_2d(reg_data):
    X, y = reg_data
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X, y.reshape(-1, 1))
    assert reg.predict(X[:4]).shape == (4, 1)


def test_2d_X_is_samples_by_time_steps_of_one_feature(reg_data):
    X, y = reg_data
    X2 = X[:, :, 0]  # (n, 5): 5 time steps of one feature
    reg = LSTMRegressor(units=2, epochs=1, random_state=0)
    assert reg.fit(X2, y) is reg  # fit returns self
    assert reg.model_.inputs[0].shape[-1] == 1
    assert reg.predict(X2).shape == (len(X2),)
    # the same numbers given as 3D (n, 5, 1) are the same input
    assert_allclose(reg.predict(X2[:, :, None]), reg.predict(X2), rtol=1e-6)
    assert reg.n_features_in_ == 5  # sklearn's meaning for 2D: the columns


@uses_fitted
def test_predict_with_other_number_of_time_steps_3d(fitted_reg, reg_data):
    X, _ = reg_data
    for steps in (1, 3, 9):
        Xs = np.concatenate([X[:7]] * 2, axis=1)[:, :steps, :]
        pred = fitted_reg.predict(Xs)
        assert pred.shape == (7,)
        assert np.isfinite(pred).all()


@uses_fitted
def test_n_features_in_3d_is_features_per_step(fitted_reg):
    assert fitted_reg.n_features_in_ == 2
    assert not hasattr(fitted_reg, "feature_names_in_")


def test_feature_names_in_for_2d_dataframe(reg_data):
    X, y = reg_data
    frame = pd.DataFrame(X[:, :, 0], columns=[f"lag{i}" for i in range(4, -1, -1)])
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(frame, y)
    assert_array_equal(reg.feature_names_in_, frame.columns.to_numpy())
    assert reg.n_features_in_ == 5
    assert reg.predict(frame).shape == (len(frame),)


@pytest.mark.parametrize("standardize", [True, False])
def test_standardize_target(reg_data, standardize):
    X, y = reg_data
    y = y * 100.0 + 1000.0  # far from zero mean / unit scale
    reg = LSTMRegressor(
        units=2, epochs=2, random_state=0, standardize_target=standardize
    ).fit(X, y)
    pred = reg.predict(X)
    assert pred.dtype == np.float64
    assert np.isfinite(pred).all()
    if standardize:
        assert_allclose(reg.target_mean_, [y.mean()])
        assert_allclose(reg.target_scale_, [y.std()])
        # the answer is in y's units: around the mean of y, not around 0
        assert abs(pred.mean() - y.mean()) < 3 * y.std()
    else:
        assert_array_equal(reg.target_mean_, [0.0])
        assert_array_equal(reg.target_scale_, [1.0])
        # three epochs of a tiny net on an unscaled target stay far below it
        assert pred.mean() < 100.0


# --------------------------------------------------------------------------
# classifier
# --------------------------------------------------------------------------


def _check_proba(clf, X):
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), len(clf.classes_))
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert (proba >= 0).all()
    assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    return proba


@uses_fitted
def test_classifier_string_labels_binary(fitted_clf, clf_data):
    X, _ = clf_data
    assert_array_equal(fitted_clf.classes_, ["down", "up"])
    pred = fitted_clf.predict(X)
    assert pred.shape == (len(X),)
    assert set(pred) <= {"down", "up"}
    _check_proba(fitted_clf, X)


@pytest.mark.parametrize(
    "labels",
    [(3, 7), ("a", "b", "c"), (0, 1, 2)],
    ids=["int-binary", "str-3class", "int-3class"],
)
def test_classifier_labels_and_proba(labels):
    X, y = classification_data(n=30, labels=labels)
    clf = LSTMClassifier(conv_filters=None, **TINY).fit(X, y)
    assert_array_equal(clf.classes_, np.unique(y))
    pred = clf.predict(X)
    assert pred.dtype == clf.classes_.dtype
    assert set(pred.tolist()) <= set(clf.classes_.tolist())
    _check_proba(clf, X)


@pytest.mark.slow
def test_classifier_learns_easy_task():
    X, y = classification_data(n=40, labels=("neg", "pos"))
    clf = LSTMClassifier(units=4, epochs=30, learning_rate=0.05, random_state=0)
    clf.fit(X, y)
    assert clf.score(X, y) >= 0.9


def test_class_weight_balanced_and_dict():
    X, y = classification_data(n=30)
    y = y.copy()
    y[:6] = "down"  # unbalanced
    params = {"units": 2, "epochs": 2, "random_state": 0}
    plain = LSTMClassifier(conv_filters=None, **params).fit(X, y)
    for class_weight in ("balanced", {"down": 1.0, "up": 10.0}):
        clf = LSTMClassifier(
            conv_filters=None, class_weight=class_weight, **params
        ).fit(X, y)
        _check_proba(clf, X)
        # the weights enter the loss
        assert not np.allclose(clf.loss_curve_, plain.loss_curve_)


def test_class_weight_dict_with_unknown_label_errors():
    X, y = classification_data(n=20)
    clf = LSTMClassifier(
        conv_filters=None, class_weight={"down": 1.0, "sideways": 2.0}, **TINY
    )
    with pytest.raises(ValueError, match=r"class_weight names labels.*sideways"):
        clf.fit(X, y)
    assert not hasattr(clf, "model_")


# --------------------------------------------------------------------------
# network variants
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"units": (4, 3)},
        {"units": 4, "cell": "gru"},
        {"units": 3, "bidirectional": True},
        {"units": 3, "dense_units": 5},
    ],
    ids=["stacked", "gru", "bidirectional", "dense"],
)
def test_network_variants(reg_data, params):
    import keras

    X, y = reg_data
    reg = LSTMRegressor(epochs=1, random_state=0, **params).fit(X, y)
    pred = reg.predict(X)
    assert pred.shape == (len(X),)
    assert np.isfinite(pred).all()
    layers = reg.model_.layers
    recurrent = [
        (
            layer.forward_layer
            if isinstance(layer, keras.layers.Bidirectional)
            else layer
        )
        for layer in layers
        if isinstance(layer, keras.layers.RNN | keras.layers.Bidirectional)
    ]
    units = (
        params["units"] if isinstance(params["units"], tuple) else (params["units"],)
    )
    assert [layer.units for layer in recurrent] == list(units)
    # return_sequences set automatically: all but the last layer
    assert [layer.return_sequences for layer in recurrent] == [True] * (
        len(units) - 1
    ) + [False]
    cell = keras.layers.GRU if params.get("cell") == "gru" else keras.layers.LSTM
    assert all(isinstance(layer, cell) for layer in recurrent)
    n_bidir = sum(isinstance(layer, keras.layers.Bidirectional) for layer in layers)
    assert n_bidir == (len(units) if params.get("bidirectional") else 0)
    dense = [layer for layer in layers if isinstance(layer, keras.layers.Dense)]
    assert len(dense) == (2 if params.get("dense_units") else 1)
    if params.get("dense_units"):
        assert dense[0].units == params["dense_units"]
    # trained without NaN, it still masks a NaN prefix (skips those steps)
    X_prefix = X.copy()
    X_prefix[:, :2, :] = np.nan
    assert_allclose(reg.predict(X_prefix), reg.predict(X[:, 2:, :]), rtol=1e-5)


# --------------------------------------------------------------------------
# missing values (NaN = missing time step)
# --------------------------------------------------------------------------


def _nan_padded(X, seed=1):
    """Pre-pad: each sample loses a random number (0..steps-1) of leading steps."""
    rng = np.random.default_rng(seed)
    X = X.copy()
    for i, k in enumerate(rng.integers(0, X.shape[1], size=len(X))):
        X[i, :k, :] = np.nan
    return X


@pytest.fixture(scope="module")
def fitted_masked_reg(reg_data):
    X, y = reg_data
    return LSTMRegressor(**TINY).fit(_nan_padded(X), y)


@uses_masked
def test_nan_padded_windows_fit_and_predict_finite(reg_data, fitted_masked_reg):
    X, y = reg_data
    Xn = _nan_padded(X)
    assert np.isnan(Xn).any()
    reg = fitted_masked_reg
    assert np.isfinite(reg.loss_curve_).all()
    pred = reg.predict(Xn)
    assert np.isfinite(pred).all()
    clf = LSTMClassifier(conv_filters=None, **TINY).fit(
        Xn, (y > np.median(y)).astype(int)
    )
    assert np.isfinite(clf.predict_proba(Xn)).all()


def test_all_nan_sample_dropped_in_fit_with_warning(reg_data):
    X, y = reg_data
    Xn = X.copy()
    Xn[[3, 7]] = np.nan
    counter = EpochCounter.make()
    reg = LSTMRegressor(callbacks=[counter], **TINY)
    with pytest.warns(UserWarning, match=r"no observed time step.*\[3, 7\]"):
        reg.fit(Xn, y)
    assert counter.epochs == 3
    assert np.isfinite(reg.loss_curve_).all()
    assert np.isfinite(reg.predict(X)).all()


@uses_fitted
def test_all_nan_sample_in_predict_errors_naming_rows(fitted_reg, reg_data):
    X, _ = reg_data
    Xn = X[:6].copy()
    Xn[[1, 4]] = np.nan
    with pytest.raises(ValueError, match=r"no observed time step.*rows \[1, 4\]"):
        fitted_reg.predict(Xn)


@uses_fitted
def test_all_nan_sample_in_predict_proba_errors(fitted_clf, clf_data):
    X, _ = clf_data
    Xn = X[:3].copy()
    Xn[2] = np.nan
    with pytest.raises(ValueError, match=r"rows \[2\]"):
        fitted_clf.predict_proba(Xn)


@uses_fitted
def test_model_fitted_without_nan_predicts_nan_padded_rows(fitted_reg, reg_data):
    X, _ = reg_data
    pred = fitted_reg.predict(_nan_padded(X))
    assert np.isfinite(pred).all()


@pytest.mark.parametrize("k", [1, 3])
@uses_fitted
def test_masked_leading_steps_equal_cut_window(fitted_reg, reg_data, k):
    """Masking really skips steps: a NaN prefix is the same as no prefix."""
    X, _ = reg_data
    X_prefix = X.copy()
    X_prefix[:, :k, :] = np.nan
    assert_allclose(
        fitted_reg.predict(X_prefix), fitted_reg.predict(X[:, k:, :]), rtol=1e-5
    )
    # ... and it is not a no-op: the prefix mattered before masking
    assert not np.allclose(fitted_reg.predict(X), fitted_reg.predict(X[:, k:, :]))


@pytest.mark.parametrize(
    "params",
    [
        None,  # the plain LSTM: the shared fitted_masked_reg
        {"units": (3, 2), "cell": "gru", "bidirectional": True, "dense_units": 4},
    ],
    ids=["lstm", "stacked-bidirectional-gru-dense"],
)
@uses_masked
def test_masked_model_skips_steps(reg_data, params, request):
    """A model trained WITH NaN (so it masks) also treats a NaN prefix as absent."""
    X, y = reg_data
    if params is None:
        reg = request.getfixturevalue("fitted_masked_reg")
    else:
        kwargs = {"units": 3, "epochs": 1, "random_state": 0, **params}
        reg = LSTMRegressor(**kwargs).fit(_nan_padded(X), y)
    X_prefix = X.copy()
    X_prefix[:, :2, :] = np.nan
    assert_allclose(reg.predict(X_prefix), reg.predict(X[:, 2:, :]), rtol=1e-5)


# --------------------------------------------------------------------------
# training: early stopping, warm start, verbosity, callbacks
# --------------------------------------------------------------------------


def test_regressor_early_stopping_uses_last_rows():
    """X carries no information, so the net can only learn a constant.

    Training pulls that constant towards the mean of the training rows; with
    a rising y and the LAST rows validating, val_loss can only grow, so
    training stops after ``n_iter_no_change`` epochs.
    """
    n = 40
    X = np.zeros((n, 3, 1), dtype=np.float32)
    y = np.arange(n, dtype=float)
    counter = EpochCounter.make()
    user_list = [counter]
    reg = LSTMRegressor(
        units=2,
        callbacks=user_list,
        epochs=30,
        early_stopping=True,
        n_iter_no_change=2,
        validation_fraction=0.25,
        learning_rate=0.05,
        random_state=0,
    ).fit(X, y)
    assert "val_loss" in reg.history_
    assert len(reg.history_["val_loss"]) == reg.n_iter_
    assert reg.n_iter_ < 30
    assert reg.history_["val_loss"][1] > reg.history_["val_loss"][0]
    # callbacks work beside early stopping; the user's list is left alone
    assert counter.epochs == reg.n_iter_
    assert user_list == [counter]


def test_early_stopping_waits_until_the_network_learns():
    """Epochs whose training loss is not below 0.9 x the first's never stop training.

    With all-zero sequences and balanced labels the network can only say 0.5,
    so its training loss stays at log(2): plain early stopping would stop after
    n_iter_no_change epochs on a network that has learned nothing.
    """
    X = np.zeros((40, 6, 1), dtype=np.float32)
    y = np.tile(["a", "b"], 20)
    clf = LSTMClassifier(
        conv_filters=None,
        units=2,
        epochs=8,
        early_stopping=True,
        validation_fraction=0.3,  # 6 of each class validate
        n_iter_no_change=2,
        random_state=0,
    ).fit(X, y)
    assert_allclose(clf.loss_curve_, np.log(2), rtol=1e-3)
    assert clf.n_iter_ == 8
    assert len(clf.history_["val_loss"]) == 8


def test_classifier_early_stopping_stratified_on_sorted_data():
    """Rows sorted by class: the validation split must still hold both classes.

    X is constant, so the net can only learn the training class balance. With
    a stratified split it stays at 50/50 and val_loss stays at log(2); a split
    taking the last rows would train on one class only and val_loss would
    explode (or the split would fail).
    """
    n = 20
    X = np.zeros((n, 3, 1), dtype=np.float32)
    y = np.array(["a"] * (n // 2) + ["b"] * (n // 2))
    clf = LSTMClassifier(
        conv_filters=None,
        units=2,
        epochs=5,
        early_stopping=True,
        validation_fraction=0.5,
        n_iter_no_change=5,
        learning_rate=0.05,
        random_state=0,
    ).fit(X, y)
    assert "val_loss" in clf.history_
    assert_allclose(clf.history_["val_loss"], np.log(2), atol=0.05)


def test_classifier_early_stopping_3_classes_sorted():
    X, y = classification_data(n=60, labels=("a", "b", "c"))
    order = np.argsort(y, kind="stable")
    clf = LSTMClassifier(
        conv_filters=None,
        units=3,
        epochs=4,
        early_stopping=True,
        validation_fraction=0.2,  # 4 of each class validate
        n_iter_no_change=2,
        random_state=0,
    ).fit(X[order], y[order])
    assert len(clf.history_["val_loss"]) == clf.n_iter_ <= 4
    _check_proba(clf, X)


def test_early_stopping_on_too_few_samples_per_class_is_the_plain_fit():
    """Fewer than 3 validation samples of a class: a warning, then exactly the
    fit without early stopping (same seed, all samples, all epochs)."""
    X, y = classification_data(n=40, labels=("a", "b"))  # 10% -> 2 per class
    params = {"units": 2, "epochs": 3, "random_state": 0}
    with pytest.warns(UserWarning, match=r"fewer than 3 samples of some class"):
        early = LSTMClassifier(conv_filters=None, early_stopping=True, **params).fit(
            X, y
        )
    plain = LSTMClassifier(conv_filters=None, **params).fit(X, y)
    assert_array_equal(early.predict_proba(X), plain.predict_proba(X))
    assert early.n_iter_ == 3 and "val_loss" not in early.history_


def test_early_stopping_warning_says_which_validation_fraction_is_enough():
    X, y = classification_data(n=40, labels=("a", "b"))
    clf = LSTMClassifier(
        conv_filters=None, units=2, epochs=1, early_stopping=True, random_state=0
    )
    with pytest.warns(UserWarning, match=r"raise validation_fraction to 0\.15"):
        clf.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.set_params(validation_fraction=0.15).fit(X, y)
    assert "val_loss" in clf.history_


@pytest.mark.parametrize(
    "cls, params, n, steps_per_epoch",
    [
        # (the classifier's default batch_size is "auto"; its convolutional
        # branch has nothing to do with it)
        (LSTMClassifier, {"conv_filters": None}, 50, 7),  # ceil(50/8)=7: 8 a batch
        (LSTMClassifier, {"conv_filters": None}, 400, 13),  # 50 -> capped at 32
        (LSTMRegressor, {"batch_size": "auto"}, 20, 3),  # at least 8 per batch
        (LSTMRegressor, {"batch_size": "auto", "stateful": True}, 12, 12),
        (LSTMRegressor, {}, 50, 2),  # the regressor's default is 32
    ],
)
def test_batch_size_auto_gives_small_data_about_8_steps_per_epoch(
    cls, params, n, steps_per_epoch
):
    X, y = (classification_data if cls is LSTMClassifier else regression_data)(n)
    counter = EpochCounter.make()
    cls(units=2, epochs=2, callbacks=[counter], random_state=0, **params).fit(X, y)
    assert counter.batches == 2 * steps_per_epoch


BATCHES_16 = {"units": 3, "epochs": 3, "batch_size": 16, "random_state": 0}


@pytest.fixture(scope="module")
def fitted_batches_16(reg_data):
    """60 rows in batches of 16, no callbacks: 4 steps, one call per epoch."""
    X, y = reg_data
    return LSTMRegressor(**BATCHES_16).fit(X, y)


@uses_batches_16
def test_training_is_the_same_whether_a_callback_watches_batches_or_not(
    reg_data, fitted_batches_16
):
    """Without batch hooks an epoch runs as one call of the training function.

    A callback that watches batches makes Keras return to Python after every
    batch instead; the steps, and so the fitted network, must be the same.
    """
    X, y = reg_data
    params = BATCHES_16
    counter = EpochCounter.make()
    watched = LSTMRegressor(callbacks=[counter], **params).fit(X, y)
    assert counter.batches == 3 * 4  # 60 rows in batches of 16: 4 per epoch
    unwatched = fitted_batches_16
    assert unwatched.model_.steps_per_execution == 4  # one call per epoch
    assert watched.model_.steps_per_execution == 1
    assert_allclose(unwatched.loss_curve_, watched.loss_curve_, rtol=1e-6)
    assert_allclose(unwatched.predict(X), watched.predict(X), rtol=1e-6)
    # a batch hook given to the instance counts too
    import keras

    ends = []
    hook = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: ends.append(b)
    )
    LSTMRegressor(callbacks=[hook], **params).fit(X, y)
    assert len(ends) == 3 * 4


@uses_batches_16
def test_large_predict_matches_small_predicts_after_one_call_per_epoch(
    fitted_batches_16,
):
    """Rows predicted in one large call equal those predicted in small calls.

    Above 4096 rows predict goes through ``Model.predict``, which runs as many
    batches per call as training did (4 here).
    """
    reg = fitted_batches_16
    assert reg.model_.steps_per_execution == 4
    rows = np.random.default_rng(1).normal(size=(5000, 5, 2)).astype(np.float32)
    chunks = [reg.predict(rows[i : i + 1000]) for i in range(0, 5000, 1000)]
    assert_allclose(reg.predict(rows), np.concatenate(chunks), rtol=1e-6)


@uses_fitted
def test_gradient_clipping(reg_data, clf_data, fitted_clf):
    """The classifier clips each gradient to norm 1 by default; None turns it off."""
    assert LSTMClassifier().clipnorm == 1.0
    assert LSTMRegressor().clipnorm is None
    X, y = reg_data
    reg = LSTMRegressor(units=2, epochs=1, clipnorm=0.5).fit(X, y)
    assert reg.model_.optimizer.clipnorm == 0.5
    X, y = clf_data
    clf = LSTMClassifier(conv_filters=None, units=2, epochs=1, clipnorm=None).fit(X, y)
    assert clf.model_.optimizer.clipnorm is None
    assert fitted_clf.get_params()["clipnorm"] == 1.0  # left at the default
    assert fitted_clf.model_.optimizer.clipnorm == 1


def test_warm_start_continues_training(reg_data):
    X, y = reg_data
    reg = LSTMRegressor(units=3, epochs=2, warm_start=True, random_state=0)
    reg.fit(X, y)
    model = reg.model_
    first_curve = list(reg.loss_curve_)
    assert reg.n_iter_ == 2
    reg.fit(X, y)
    assert reg.model_ is model  # the same network, trained further
    assert reg.n_iter_ == 4
    assert len(reg.loss_curve_) == 4
    assert reg.loss_curve_[:2] == first_curve
    assert len(reg.history_["loss"]) == 4
    # without warm_start a new fit starts anew
    reg.set_params(warm_start=False).fit(X, y)
    assert reg.model_ is not model
    assert reg.n_iter_ == 2


def test_warm_start_applies_new_training_parameters(reg_data):
    """As sklearn's MLP does: a new learning rate (or optimizer, loss, clipnorm)
    takes effect on the next warm-started fit, with a fresh optimizer."""
    X, y = reg_data
    reg = LSTMRegressor(units=3, epochs=1, warm_start=True, random_state=0)
    reg.fit(X, y)
    model, optimizer = reg.model_, reg.model_.optimizer
    reg.fit(X, y)  # nothing changed: the same optimizer keeps its state
    assert reg.model_.optimizer is optimizer
    reg.set_params(learning_rate=1e-5, optimizer="sgd", loss="mae", clipnorm=0.5)
    reg.fit(X, y)
    assert reg.model_ is model  # the same network, trained further
    assert type(reg.model_.optimizer).__name__ == "SGD"
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(1e-5)
    assert reg.model_.optimizer.clipnorm == 0.5
    assert reg.model_.loss == "mae"
    assert reg.n_iter_ == 3
    # the set-up survives pickling: unchanged parameters keep the optimizer
    restored = pickle.loads(pickle.dumps(reg))
    restored.fit(X, y)
    assert type(restored.model_.optimizer).__name__ == "SGD"
    assert restored.n_iter_ == 4


def _learning_rates_seen():
    """A callback recording the optimizer's step size at each epoch's end."""
    import keras

    class _Rates(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.rates = []

        def on_epoch_end(self, epoch, logs=None):
            self.rates.append(float(self.model.optimizer.learning_rate))

    return _Rates()


@pytest.mark.parametrize("cls", [LSTMRegressor, LSTMClassifier])
def test_cosine_schedule_lowers_the_step_size_along_a_half_cosine(
    cls, reg_data, clf_data
):
    X, y = reg_data if cls is LSTMRegressor else clf_data
    # the classifier's convolutional branch plays no part in the schedule
    branch = {"conv_filters": None} if cls is LSTMClassifier else {}
    seen = _learning_rates_seen()
    cls(
        **branch,
        units=2,
        epochs=4,
        learning_rate=0.01,
        learning_rate_schedule="cosine",
        callbacks=[seen],
    ).fit(X, y)
    expected = 0.01 * (1 + np.cos(np.pi * np.arange(4) / 4)) / 2
    assert_allclose(seen.rates, expected, rtol=1e-5)


def test_constant_schedule_keeps_the_step_size_and_is_restored_on_warm_start(
    clf_data,
):
    X, y = clf_data
    seen = _learning_rates_seen()
    clf = LSTMClassifier(
        conv_filters=None,
        units=2,
        epochs=3,
        learning_rate=0.01,
        warm_start=True,
        callbacks=[seen],
    ).fit(X, y)  # the classifier's default schedule is "cosine"
    assert seen.rates[-1] < 0.01
    clf.set_params(learning_rate_schedule="constant").fit(X, y)
    assert_allclose(seen.rates[3:], 0.01, rtol=1e-6)


# Keras' LearningRateScheduler reads the rate through np.array (its own noise)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_users_learning_rate_callback_takes_precedence_over_cosine(clf_data):
    import keras

    X, y = clf_data
    seen = _learning_rates_seen()
    user = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.02)
    clf = LSTMClassifier(units=2, conv_filters=None, epochs=3, callbacks=[user, seen])
    with pytest.warns(UserWarning, match=r"'cosine' is not applied.*Learning"):
        clf.fit(X, y)
    assert_allclose(seen.rates, 0.02, rtol=1e-6)


def test_an_estimator_pickled_before_the_new_parameters_loads_as_it_was(clf_data):
    """A pickle made before conv_filters and learning_rate_schedule existed
    reloads as the network it trained: no branch, a constant rate, and a
    warm start that keeps the optimizer."""
    X, y = clf_data
    clf = LSTMClassifier(
        units=2,
        conv_filters=None,
        learning_rate_schedule="constant",
        epochs=1,
        warm_start=True,
        random_state=0,
    ).fit(X, y)
    state = clf.__getstate__()
    for key in ("conv_filters", "learning_rate_schedule"):
        del state[key]
    del state["_compiled_with"]["learning_rate_schedule"]
    old = LSTMClassifier.__new__(LSTMClassifier)
    old.__setstate__(state)
    assert old.get_params()["conv_filters"] is None
    assert old.get_params()["learning_rate_schedule"] == "constant"
    assert_array_equal(old.predict_proba(X), clf.predict_proba(X))
    optimizer = old.model_.optimizer
    old.fit(X, y)
    assert old.model_.optimizer is optimizer and old.n_iter_ == 2


@pytest.mark.parametrize(
    "make",
    [
        lambda: LSTMRegressor(units=2, epochs=1),
        lambda: LSTMRegressor(units=2, epochs=2, early_stopping=True),
        lambda: LSTMRegressor(units=2, epochs=1, stateful=True, batch_size=6),
        lambda: LSTMClassifier(units=2, epochs=1),
    ],
    ids=["regressor", "early_stopping", "stateful", "classifier"],
)
def test_fitted_and_dropped_estimators_leave_no_graphs_behind(reg_data, clf_data, make):
    """A process that fits many models (a search) must not grow with each fit.

    TensorFlow keeps every traced training step alive from its global gradient
    registry unless sklstm releases it (tensorflow/tensorflow#97697): 5 graphs
    and ~7 MiB per fit before the fix.
    """
    X, y = clf_data if is_classifier(make()) else reg_data
    make().fit(X, y).predict(X)  # first fit: one-time set-up
    # one more fit: a leak keeps its graphs (5 a fit)
    with graphs_kept() as kept:
        make().fit(X, y).predict(X)
    assert kept == []


@pytest.mark.slow
def test_warm_start_classifier(clf_data):
    X, y = clf_data
    clf = LSTMClassifier(
        conv_filters=None, units=3, epochs=1, warm_start=True, random_state=0
    )
    clf.fit(X, y).fit(X, y)
    assert clf.n_iter_ == 2
    assert len(clf.loss_curve_) == 2


@uses_fitted
def test_verbose_0_prints_nothing(reg_data, capfd, fitted_reg):
    X, y = reg_data
    capfd.readouterr()  # TensorFlow's one-time start-up noise is not ours
    reg = LSTMRegressor(units=2, epochs=2, verbose=0, random_state=0)
    reg.fit(X, y)
    reg.predict(X)
    reg.predict(X[:, :2, :])
    out, err = capfd.readouterr()
    assert out == ""
    assert "loss" not in err
    assert "epoch" not in err.lower()


def test_verbose_1_prints_a_progress_bar_and_callbacks_pass_through(reg_data, capfd):
    X, y = reg_data
    counter = EpochCounter.make()
    user_list = [counter]
    reg = LSTMRegressor(
        units=2, epochs=3, callbacks=user_list, verbose=1, random_state=0
    )
    capfd.readouterr()
    reg.fit(X, y)
    out, _ = capfd.readouterr()
    assert "loss" in out
    assert "3/3" in out
    # one bar over the epochs, not Keras's per-epoch "Epoch 1/3" bars
    assert "Epoch 1/3" not in out
    # the user's callback ran; the user's list was not extended by ours
    assert counter.epochs == 3
    assert user_list == [counter]
    assert len(user_list) == 1
    assert reg.get_params()["callbacks"] is user_list
    reg.fit(X, y)  # a second fit does not pile up callbacks either
    assert counter.epochs == 6
    assert user_list == [counter]


@uses_fitted
def test_fitted_attributes(fitted_reg, fitted_clf):
    import keras

    for est in (fitted_reg, fitted_clf):
        assert isinstance(est.model_, keras.Model)
        assert est.n_iter_ == 3
        assert len(est.loss_curve_) == 3
        assert all(isinstance(v, float) for v in est.loss_curve_)
        assert est.history_["loss"] == est.loss_curve_
        assert "val_loss" not in est.history_


# --------------------------------------------------------------------------
# sklearn citizenship
# --------------------------------------------------------------------------


def test_estimator_types():
    assert is_regressor(LSTMRegressor())
    assert is_classifier(LSTMClassifier())
    assert not is_classifier(LSTMRegressor())
    assert not is_regressor(LSTMClassifier())


def test_tags():
    for est in (LSTMRegressor(), LSTMClassifier()):
        tags = est.__sklearn_tags__()
        assert tags.input_tags.three_d_array
        assert tags.input_tags.allow_nan
        assert tags.input_tags.two_d_array


@uses_fitted
def test_get_set_params_and_clone(fitted_reg):
    params = fitted_reg.get_params()
    assert params["units"] == 4
    assert params["random_state"] == 0
    est = clone(fitted_reg)
    assert not hasattr(est, "model_")
    assert est.get_params() == params
    est.set_params(units=(3, 2), cell="gru", learning_rate=0.01)
    assert est.get_params()["units"] == (3, 2)
    assert est.get_params()["cell"] == "gru"
    assert fitted_reg.get_params()["units"] == 4
    clf = clone(LSTMClassifier(class_weight="balanced", units=(2, 2)))
    assert clf.get_params()["class_weight"] == "balanced"
    assert clf.get_params()["units"] == (2, 2)


def test_no_logic_in_init():
    # bad values are kept as given; fit validates them
    reg = LSTMRegressor(units="a", cell="rnn", epochs=-1)
    assert reg.units == "a"
    assert reg.cell == "rnn"
    assert reg.epochs == -1


def test_clone_keeps_callbacks():
    import keras

    counter = EpochCounter.make()
    est = clone(LSTMRegressor(units=2, epochs=2, callbacks=[counter]))
    assert len(est.callbacks) == 1
    assert isinstance(est.callbacks[0], keras.callbacks.Callback)


@pytest.mark.parametrize("dumper", ["pickle", "joblib"])
@uses_fitted
def test_pickle_and_joblib_round_trip(
    fitted_reg, fitted_clf, reg_data, clf_data, dumper, tmp_path
):
    Xr, _ = reg_data
    Xc, _ = clf_data

    def round_trip(est):
        if dumper == "pickle":
            return pickle.loads(pickle.dumps(est))
        path = tmp_path / "est.joblib"
        joblib.dump(est, path)
        return joblib.load(path)

    reg = round_trip(fitted_reg)
    assert_array_equal(reg.predict(Xr), fitted_reg.predict(Xr))
    clf = round_trip(fitted_clf)
    assert_array_equal(clf.predict_proba(Xc), fitted_clf.predict_proba(Xc))
    assert_array_equal(clf.predict(Xc), fitted_clf.predict(Xc))
    assert_array_equal(clf.classes_, fitted_clf.classes_)
    # a reloaded estimator predicts NaN-padded rows too (masked helper rebuilt)
    Xn = _nan_padded(Xr)
    assert_allclose(reg.predict(Xn), fitted_reg.predict(Xn), rtol=1e-6)


@uses_masked
def test_pickle_round_trip_of_masked_model(reg_data, fitted_masked_reg):
    X, _ = reg_data
    Xn = _nan_padded(X)
    reg = fitted_masked_reg
    again = pickle.loads(pickle.dumps(reg))
    assert_array_equal(again.predict(Xn), reg.predict(Xn))


@pytest.fixture(scope="module")
def fitted_pipeline(airline_xy):
    X, y = airline_xy
    pipe = Pipeline(
        [
            ("lags", LagWindower(look_back=3)),
            ("to3d", To3D()),
            ("lstm", LSTMRegressor(units=3, epochs=2, random_state=0)),
        ]
    )
    return pipe.fit(X, y)


@pytest.mark.parametrize("dumper", ["pickle", "joblib"])
@uses_pipeline
def test_pipeline_round_trip(fitted_pipeline, airline_xy, dumper, tmp_path):
    X, _ = airline_xy
    if dumper == "pickle":
        again = pickle.loads(pickle.dumps(fitted_pipeline))
    else:
        joblib.dump(fitted_pipeline, tmp_path / "pipe.joblib")
        again = joblib.load(tmp_path / "pipe.joblib")
    expected = fitted_pipeline.predict(X)
    assert expected.shape == (len(X),)
    assert np.isfinite(expected).all()
    assert_array_equal(again.predict(X), expected)
    # a test fold continuing the fitted index predicts the same rows the same way
    assert_array_equal(
        again.predict(X.iloc[-20:]), fitted_pipeline.predict(X.iloc[-20:])
    )


# --------------------------------------------------------------------------
# seeding
# --------------------------------------------------------------------------


def test_random_state_int_gives_identical_predictions(reg_data):
    X, y = reg_data
    params = {
        "units": 3,
        "epochs": 3,
        "batch_size": 8,  # several shuffled batches per epoch
        "dropout": 0.2,
        "random_state": 42,
    }
    a = LSTMRegressor(**params).fit(X, y)
    b = LSTMRegressor(**params).fit(X, y)
    assert_array_equal(a.predict(X), b.predict(X))
    assert a.loss_curve_ == b.loss_curve_


@pytest.mark.slow
def test_random_state_int_classifier_with_early_stopping(clf_data):
    X, y = clf_data
    params = {"units": 2, "epochs": 2, "early_stopping": True, "random_state": 3}
    a = LSTMClassifier(conv_filters=None, **params).fit(X, y)
    b = LSTMClassifier(conv_filters=None, **params).fit(X, y)
    assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_random_state_instance_accepted(reg_data):
    X, y = reg_data
    reg = LSTMRegressor(units=2, epochs=1, random_state=np.random.RandomState(0))
    assert np.isfinite(reg.fit(X, y).predict(X)).all()


SEEDING_SCRIPT = textwrap.dedent(
    """
    import random
    import numpy as np
    from sklstm import LSTMRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4, 1)).astype("float32")
    y = X[:, -1, 0]
    params = dict(units=2, epochs=2, batch_size=8, dropout=0.2)

    random.seed(123)
    np.random.seed(123)
    py_before, np_before = random.getstate(), np.random.get_state()
    seeded = LSTMRegressor(random_state=0, **params).fit(X, y).predict(X)
    assert random.getstate() == py_before, "python random state changed"
    np_after = np.random.get_state()
    assert np_after[0] == np_before[0]
    assert np.array_equal(np_after[1], np_before[1]), "numpy random state changed"
    assert np_after[2:] == np_before[2:], "numpy random state changed"

    import tensorflow as tf
    from tensorflow.python.framework import config as tf_config
    assert not tf_config.is_op_determinism_enabled(), "TF determinism left on"

    a = LSTMRegressor(random_state=None, **params).fit(X, y).predict(X)
    b = LSTMRegressor(random_state=None, **params).fit(X, y).predict(X)
    assert np.isfinite(a).all() and np.isfinite(b).all()
    assert not np.allclose(a, b), "two unseeded fits gave the same predictions"
    assert not np.allclose(a, seeded), "unseeded fit repeated the seeded one"
    print("OK")
    """
)


_RUN_IN_ORDER = textwrap.dedent(
    """
    import json, sys, traceback
    results = {}
    for name, code in json.loads(sys.stdin.read()).items():
        try:
            exec(compile(code, name, "exec"), {"__name__": "__main__"})
            results[name] = "OK"
        except BaseException:
            results[name] = traceback.format_exc()
    print("RESULTS " + json.dumps(results))
    """
)

uses_fresh_process = pytest.mark.xdist_group("test_estimators_fresh_process")


@pytest.fixture(scope="module")
def fresh_process(clf_data, tmp_path_factory):
    """{script: "OK" or its traceback}, the scripts run in one new interpreter.

    In this order: unpickling a fitted classifier first (nothing of sklstm
    imported before it), then the seeding script (nothing seeded before it),
    then the scikeras one (importing scikeras patches Keras globally, so it
    must not run in the test process). One interpreter: each start of
    TensorFlow costs seconds.

    The classifier is the default one, so its network holds both of
    sklstm's layers, a ConvolutionalBranch and its NaNMask; its probabilities
    computed here are saved beside the fresh process's.
    """
    X, y = clf_data
    classifier = LSTMClassifier(units=2, epochs=1, random_state=0).fit(X, y)
    layers = {type(layer).__name__ for layer in classifier.model_.layers}
    assert {"NaNMask", "ConvolutionalBranch"} <= layers
    folder = tmp_path_factory.mktemp("fresh_process")
    np.save(folder / "expected.npy", classifier.predict_proba(X))
    scripts = {
        "unpickling": fresh_predict_script(
            classifier, X, folder, method="predict_proba"
        ),
        "seeding": SEEDING_SCRIPT,
        "scikeras": SCIKERAS_SCRIPT,
    }
    result = subprocess.run(
        [sys.executable, "-c", _RUN_IN_ORDER],
        input=json.dumps(scripts),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        **json.loads(result.stdout.split("RESULTS ")[-1]),
        "folder": folder,
    }


@uses_fresh_process
def test_a_classifier_unpickles_and_predicts_in_a_fresh_process(fresh_process):
    """Keras finds sklstm's layers only once sklstm._network has registered
    them; a worker process (joblib, Dask) or a later session that just
    unpickles must not depend on that import having happened."""
    assert fresh_process["unpickling"] == "OK", fresh_process["unpickling"]
    folder = fresh_process["folder"]
    assert_allclose(
        np.load(folder / "out.npy"), np.load(folder / "expected.npy"), rtol=1e-6
    )


@uses_fresh_process
def test_seeded_then_unseeded_fit_in_fresh_process(fresh_process):
    assert fresh_process["seeding"] == "OK", fresh_process["seeding"]


# --------------------------------------------------------------------------
# sklearn integration
# --------------------------------------------------------------------------


def test_cross_validate_classifier_with_each_scorer():
    """Each scorer reads the folds' fitted classifiers (one set of fits for all)."""
    X, y = classification_data(n=40, labels=("no", "yes"))
    clf = LSTMClassifier(conv_filters=None, units=2, epochs=2, random_state=0)
    scorings = ["roc_auc", "neg_log_loss", "accuracy"]
    result = cross_validate(clf, X, y, cv=2, scoring=scorings, error_score="raise")
    for scoring in scorings:
        scores = result[f"test_{scoring}"]
        assert scores.shape == (2,), scoring
        assert np.isfinite(scores).all(), scoring


@pytest.mark.slow
def test_cross_val_score_multiclass_log_loss():
    X, y = classification_data(n=30, labels=(0, 1, 2))
    clf = LSTMClassifier(conv_filters=None, units=2, epochs=1, random_state=0)
    scores = cross_val_score(
        clf, X, y, cv=2, scoring="neg_log_loss", error_score="raise"
    )
    assert np.isfinite(scores).all()


def test_cross_validate_regressor_with_each_scorer(reg_data):
    X, y = reg_data
    reg = LSTMRegressor(units=2, epochs=2, random_state=0)
    scorings = ["neg_root_mean_squared_error", "r2"]
    result = cross_validate(reg, X, y, cv=2, scoring=scorings, error_score="raise")
    for scoring in scorings:
        scores = result[f"test_{scoring}"]
        assert scores.shape == (2,), scoring
        assert np.isfinite(scores).all(), scoring


def test_integer_cv_is_stratified_for_classifier(clf_data):
    _, y = clf_data
    clf = LSTMClassifier()
    cv = check_cv(3, y, classifier=is_classifier(clf))
    assert isinstance(cv, StratifiedKFold)


def test_grid_search_over_pipeline_on_airline(airline_xy):
    X, y = airline_xy
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("lags", LagWindower(look_back=3)),
            ("to3d", To3D()),
            ("lstm", LSTMRegressor(units=2, epochs=1, random_state=0)),
        ]
    ).set_output(transform="pandas")
    search = GridSearchCV(
        pipe,
        # two candidates that differ in both parameters, in few fits
        [
            {"lags__look_back": [1], "lstm__units": [2]},
            {"lags__look_back": [3], "lstm__units": [4]},
        ],
        cv=TimeSeriesSplit(2),
        error_score="raise",
    )
    search.fit(X, y)
    assert set(search.best_params_) == {"lags__look_back", "lstm__units"}
    assert search.best_params_["lags__look_back"] in (1, 3)
    assert search.best_params_["lstm__units"] in (2, 4)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    pred = search.predict(X)
    assert pred.shape == (len(X),)
    assert np.isfinite(pred).all()


SCIKERAS_SCRIPT = textwrap.dedent(
    """
    import pickle
    import numpy as np
    import keras
    from scikeras.wrappers import KerasRegressor
    from sklearn.pipeline import Pipeline
    from sklstm import LagWindower, LSTMRegressor, To3D, make_supervised
    from sklstm.datasets import load_airline

    X, y = make_supervised(load_airline())

    def build_model():
        model = keras.Sequential(
            [keras.Input(shape=(None, 1)), keras.layers.LSTM(4), keras.layers.Dense(1)]
        )
        model.compile(loss="mse", optimizer="adam")
        return model

    pipe = Pipeline([
        ("lags", LagWindower(look_back=1)),
        ("to3d", To3D()),
        ("keras", KerasRegressor(model=build_model, epochs=1, verbose=0)),
    ])
    pipe.fit(X, y)
    pred = pipe.predict(X)
    assert pred.shape == (len(X),), pred.shape
    assert np.isfinite(pred).all()

    # importing scikeras patches keras.Model pickling globally: sklstm's own
    # estimators must still round-trip in such a process
    Xw = np.random.default_rng(0).normal(size=(20, 3, 1)).astype("float32")
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(Xw, Xw[:, -1, 0])
    again = pickle.loads(pickle.dumps(reg))
    assert np.array_equal(again.predict(Xw), reg.predict(Xw))
    print("OK")
    """
)


@uses_fresh_process
def test_scikeras_regressor_fed_by_sklstm_transformers(fresh_process):
    """sklstm's transformers feed a scikeras KerasRegressor (the scikeras extra).

    Run in a fresh process (the ``fresh_process`` fixture's): importing
    scikeras monkey-patches Keras globally, which must not leak into the
    other tests.
    """
    # installed (the [dev] extra has it), and not imported here: see above
    assert importlib.util.find_spec("scikeras") is not None

    assert fresh_process["scikeras"] == "OK", fresh_process["scikeras"]


# --------------------------------------------------------------------------
# stateful
# --------------------------------------------------------------------------


def stateful_data(n=20):
    """One series as n one-step windows: row t holds x_t, y is x_{t+1}."""
    t = np.arange(n + 1, dtype=np.float32)
    series = np.sin(t / 2.0)
    return series[:-1].reshape(n, 1, 1), series[1:].astype(float)


@pytest.fixture(scope="module")
def fitted_stateful():
    X, y = stateful_data()
    reg = LSTMRegressor(units=4, epochs=5, stateful=True, batch_size=1, random_state=0)
    return reg.fit(X, y)


@uses_stateful
def test_stateful_fits_and_predicts(fitted_stateful):
    X, _ = stateful_data()
    pred = fitted_stateful.predict(X)
    assert pred.shape == (len(X),)
    assert pred.dtype == np.float64
    assert np.isfinite(pred).all()
    assert fitted_stateful.n_iter_ == 5
    # predict works for any number of rows, not only multiples of batch_size
    assert fitted_stateful.predict(X[:7]).shape == (7,)


@uses_stateful
def test_stateful_state_carries_between_rows(fitted_stateful):
    X, _ = stateful_data()
    pred = fitted_stateful.predict(X)
    for k in (3, 10):
        alone = fitted_stateful.predict(X[k : k + 1])[0]
        assert not np.isclose(pred[k], alone, rtol=1e-4, atol=1e-6)
    # the first row has no predecessor: same as predicted alone
    assert_allclose(pred[0], fitted_stateful.predict(X[:1])[0], rtol=1e-5)
    # and a prefix of the rows gives the same answers as the whole run
    assert_allclose(fitted_stateful.predict(X[:8]), pred[:8], rtol=1e-5)


@uses_stateful
def test_stateful_predict_is_repeatable(fitted_stateful):
    X, _ = stateful_data()
    first = fitted_stateful.predict(X)
    fitted_stateful.predict(X[5:9])
    assert_array_equal(fitted_stateful.predict(X), first)


@uses_stateful
def test_stateful_groups_reset_state_in_predict(fitted_stateful):
    X, _ = stateful_data()
    groups = np.array([0] * 10 + [1] * 10)
    pred = fitted_stateful.predict(X, groups=groups)
    assert_allclose(pred[10], fitted_stateful.predict(X[10:11])[0], rtol=1e-5)
    assert_allclose(pred[10:], fitted_stateful.predict(X[10:]), rtol=1e-5)
    assert_allclose(pred[:10], fitted_stateful.predict(X[:10]), rtol=1e-5)
    # without the reset row 10 would have carried the state of rows 0..9
    assert not np.isclose(pred[10], fitted_stateful.predict(X)[10], rtol=1e-4)


def test_stateful_groups_in_fit_through_pipeline():
    X, y = stateful_data()
    groups = np.repeat(["a", "b"], 10)
    pipe = Pipeline(
        [
            ("to3d", To3D()),
            ("lstm", LSTMRegressor(units=2, epochs=1, stateful=True, batch_size=1)),
        ]
    )
    pipe.fit(X[:, :, 0], y, lstm__groups=groups)
    # without metadata routing, Pipeline.predict hands its params to the last step
    pred = pipe.predict(X[:, :, 0], groups=groups)
    assert_allclose(pred[10], pipe.predict(X[10:11, :, 0])[0], rtol=1e-5)


def test_stateful_stacked_trains():
    X, y = stateful_data()
    reg = LSTMRegressor(
        units=(4, 4), epochs=3, stateful=True, batch_size=1, random_state=0
    ).fit(X, y)
    pred = reg.predict(X)
    assert np.isfinite(pred).all()
    assert len(reg.loss_curve_) == 3
    assert np.isfinite(reg.loss_curve_).all()
    # the state of the stacked net carries too
    assert not np.isclose(pred[5], reg.predict(X[5:6])[0], rtol=1e-4, atol=1e-6)


def test_stateful_batch_size_2_with_even_n():
    X, y = stateful_data(n=20)
    reg = LSTMRegressor(
        units=2, epochs=2, stateful=True, batch_size=2, random_state=0
    ).fit(X, y)
    assert np.isfinite(reg.predict(X)).all()
    assert reg.predict(X[:3]).shape == (3,)  # any number of rows in predict


def test_stateful_classifier():
    X, _ = stateful_data()
    y = np.where(X[:, 0, 0] > 0, "pos", "neg")
    clf = LSTMClassifier(
        conv_filters=None,
        units=2,
        epochs=2,
        stateful=True,
        batch_size=1,
        random_state=0,
    )
    clf.fit(X, y)
    _check_proba(clf, X)


@uses_stateful
def test_stateful_pickle_round_trip(fitted_stateful):
    X, _ = stateful_data()
    again = pickle.loads(pickle.dumps(fitted_stateful))
    assert_array_equal(again.predict(X), fitted_stateful.predict(X))
    groups = np.repeat([0, 1], 10)
    assert_array_equal(
        again.predict(X, groups=groups), fitted_stateful.predict(X, groups=groups)
    )


@uses_stateful
def test_stateful_with_nan_rows(fitted_stateful):
    """A row with a missing step inside a stateful run: the state skips it."""
    X, _ = stateful_data()
    X2 = np.concatenate([X, X], axis=1)  # two steps per row
    X2[4, 0, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pred = fitted_stateful.predict(X2)
    assert np.isfinite(pred).all()


def test_a_random_state_instance_is_drawn_once_per_fit():
    """The validation split and the network share one seed per fit."""
    X = np.random.default_rng(0).normal(size=(20, 3, 1)).astype(np.float32)
    y = np.where(X[:, 0, 0] > 0, "up", "down")
    random_state = np.random.RandomState(0)
    LSTMClassifier(
        conv_filters=None,
        units=2,
        epochs=1,
        early_stopping=True,
        validation_fraction=0.5,
        random_state=random_state,
    ).fit(X, y)
    reference = np.random.RandomState(0)
    reference.randint(2**31 - 1)
    assert random_state.randint(2**31 - 1) == reference.randint(2**31 - 1)


@uses_fitted
def test_estimator_pickled_with_a_dict_spec_still_loads(fitted_reg, reg_data):
    """Pickles made before NetworkSpec stored the spec as a dict."""
    X, _ = reg_data
    reg = fitted_reg
    state = reg.__getstate__()  # a copy: fitted_reg is left as it was
    state["_spec"] = dataclasses.asdict(state["_spec"])
    old = LSTMRegressor.__new__(LSTMRegressor)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert old._spec == reg._spec
    assert_array_equal(old.predict(X), reg.predict(X))
