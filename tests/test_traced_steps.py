"""Fits reuse a traced training step (sklstm._traced_steps) without changing a
result: a pooled fit ends exactly where the network would if it had trained
itself, each estimator keeps its own network, and threads do not mix."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklstm import LSTMClassifier, LSTMRegressor


def _data(seed, classes=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(48, 5, 2)).astype("float32")
    y = X[:, -1, 0] + 0.5 * X[:, 0, 1]
    return X, (np.where(y > 0, "up", "down") if classes else y)


CONFIGURATIONS = {
    # a bidirectional stack and a dense layer; shuffled batches, dropout masks
    # (seed states), a warm start continuing the optimizer (its step count
    # and slots)
    "bidirectional_dropout_warm_start": lambda: LSTMRegressor(
        units=(3, 2),
        bidirectional=True,
        dense_units=2,
        epochs=2,
        batch_size=8,
        dropout=0.2,
        recurrent_dropout=0.2,
        warm_start=True,
        random_state=1,
    ),
    "stateful": lambda: LSTMRegressor(
        units=3, stateful=True, batch_size=4, epochs=2, random_state=3
    ),
    # a convolutional branch, validation split, early stopping, cosine rate
    "classifier_early_stopping_cosine": lambda: LSTMClassifier(
        units=3,
        epochs=3,
        early_stopping=True,
        n_iter_no_change=1,
        validation_fraction=0.25,
        learning_rate_schedule="cosine",
        random_state=4,
    ),
}


def _fit(make, classes):
    X, y = _data(0, classes)
    estimator = make().fit(X, y)
    if estimator.warm_start:
        estimator.fit(X, y)
    return estimator


def _outcome(estimator):
    X, _ = _data(9)
    out = (
        estimator.predict_proba(X)
        if hasattr(estimator, "predict_proba")
        else estimator.predict(X)
    )
    model = estimator.model_
    # weights, and the states a stateful layer ends its fit with
    states = [
        v.numpy()
        for layer in model.layers
        if getattr(layer, "stateful", False)
        for v in layer.states
    ]
    return out, estimator.loss_curve_, model.get_weights() + states


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_a_pooled_fit_ends_exactly_where_training_itself_ends(name, monkeypatch):
    from sklstm import _network
    from sklstm._traced_steps import TRAINERS

    make = CONFIGURATIONS[name]
    classes = name.startswith("classifier")
    # the network trains itself, as before trainers were pooled
    monkeypatch.setattr(_network, "_trainer_recipe", lambda model, callbacks: None)
    reference = _outcome(_fit(make, classes))
    monkeypatch.undo()
    TRAINERS.clear()
    _fit(make, classes)  # builds the trainer and traces its step
    pooled = _fit(make, classes)  # reuses them
    assert len(TRAINERS) >= 1
    out, curve, weights = _outcome(pooled)
    assert_array_equal(out, reference[0])
    assert curve == reference[1]
    assert len(weights) == len(reference[2])
    for mine, theirs in zip(weights, reference[2], strict=True):
        assert_array_equal(mine, theirs)


def test_each_estimator_keeps_its_own_network():
    first = LSTMRegressor(units=3, epochs=2, random_state=0).fit(*_data(0))
    X, _ = _data(9)
    before = first.predict(X)
    second = LSTMRegressor(units=3, epochs=2, random_state=0).fit(*_data(1))
    assert second.model_ is not first.model_
    assert_array_equal(first.predict(X), before)
    assert not np.array_equal(second.predict(X), before)


def test_a_users_callback_sees_the_estimators_own_network():
    import keras

    class Watch(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.seen = self.model

    watch = Watch()
    reg = LSTMRegressor(units=2, epochs=1, callbacks=[watch], random_state=0)
    reg.fit(*_data(0))
    assert watch.seen is reg.model_


def test_fits_of_one_network_in_two_threads_match_serial_fits():
    def make():
        return LSTMRegressor(units=3, epochs=2, random_state=0)

    data = [_data(seed) for seed in (0, 1)]
    X, _ = _data(9)
    serial = [make().fit(*d).predict(X) for d in data]
    with ThreadPoolExecutor(2) as pool:
        threaded = list(pool.map(lambda d: make().fit(*d).predict(X), data))
    for a, b in zip(serial, threaded, strict=True):
        assert_array_equal(a, b)


def test_the_pool_keeps_at_most_its_capacity(monkeypatch):
    from sklstm._traced_steps import TRAINERS

    monkeypatch.setattr(TRAINERS, "capacity", 1)
    TRAINERS.clear()
    for units in (2, 3):  # two networks, two recipes
        LSTMRegressor(units=units, epochs=1, random_state=0).fit(*_data(0))
    assert len(TRAINERS) == 1


def test_a_seeded_fit_leaves_tensorflows_random_stream_where_it_was():
    """A seeded fit neither draws from nor reseeds TensorFlow's generator.

    Reseeding it would also empty TensorFlow's caches of instantiated
    training steps (about 0.3 s to instantiate one again).
    """
    import tensorflow as tf

    tf.random.set_seed(7)
    tf.random.uniform((3,))
    expected = tf.random.uniform((3,)).numpy()  # the second draw
    tf.random.set_seed(7)
    tf.random.uniform((3,))
    LSTMRegressor(units=2, epochs=1, dropout=0.1, random_state=0).fit(*_data(0))
    assert_array_equal(tf.random.uniform((3,)).numpy(), expected)
