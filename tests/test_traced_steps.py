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
    # a bidirectional layer and a dense layer; shuffled batches, dropout
    # masks (the cells' seed states, which recurrent dropout draws from too),
    # a warm start continuing the optimizer (its step count and slots)
    "bidirectional_dropout_warm_start": lambda: LSTMRegressor(
        units=3,
        bidirectional=True,
        dense_units=2,
        epochs=2,
        batch_size=8,
        dropout=0.2,
        warm_start=True,
        random_state=1,
    ),
    "stateful": lambda: LSTMRegressor(
        units=3, stateful=True, batch_size=4, epochs=2, random_state=3
    ),
    # a convolutional branch, validation split, early stopping, cosine rate
    "classifier_early_stopping_cosine": lambda: LSTMClassifier(
        units=3,
        conv_filters=(4,),
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


PREDICTING = {
    "regressor": lambda: LSTMRegressor(units=3, epochs=1, random_state=0),
    "classifier": lambda: LSTMClassifier(
        units=3, conv_filters=None, epochs=1, random_state=0
    ),
    # predicted by a copy answering at every step (sequence_twin)
    "stateful": lambda: LSTMRegressor(
        units=3, stateful=True, batch_size=4, epochs=1, random_state=0
    ),
}


@pytest.mark.parametrize("name", PREDICTING)
def test_a_pooled_prediction_is_the_networks_own(name):
    from sklstm import _network
    from sklstm._traced_steps import PREDICTORS

    classes = name.endswith("classifier")
    make = PREDICTING[name]
    make().fit(*_data(0, classes)).predict(_data(9)[0])  # a predictor traced
    estimator = make().fit(*_data(1, classes))
    X = _data(9)[0]
    if estimator.stateful:
        network = estimator._stateful_twin()
        X = X.reshape(4, -1, 2)  # four sequences of 12 windows' steps
    else:
        network = estimator.model_
    recipe = _network._predictor_recipe(network)
    assert recipe in PREDICTORS._free  # the prediction below is pooled
    before = [w.copy() for w in network.get_weights()]
    pooled = _network.predict_network(network, X, batch_size=8)
    assert_array_equal(pooled, network.predict_on_batch(X))  # its own step
    for mine, theirs in zip(network.get_weights(), before, strict=True):
        assert_array_equal(mine, theirs)
    # more rows than one call takes: Model.predict on the predictor
    many = np.concatenate([X] * (_network.SMALL_PREDICT_ROWS // len(X) + 1))
    assert_array_equal(
        _network.predict_network(network, many, batch_size=8),
        network.predict(many, batch_size=256, verbose=0),
    )


def test_a_pooled_predictor_groups_batches_as_each_network_does():
    """Keras predicts ``steps_per_execution`` batches per traced call."""
    from sklstm import _network
    from sklstm._traced_steps import PREDICTORS

    X, y = _data(1, classes=True)
    make = PREDICTING["classifier"]
    grouped = {len(X): make().fit(X, y).model_, 16: make().fit(X[:16], y[:16]).model_}
    assert [n.steps_per_execution for n in grouped.values()] == [6, 2]
    many = np.concatenate([_data(9)[0]] * (_network.SMALL_PREDICT_ROWS // 48 + 1))
    functions = []
    for rows in (len(X), 16, len(X)):
        network = grouped[rows]
        assert_array_equal(
            _network.predict_network(network, many, batch_size=8),
            network.predict(many, batch_size=256, verbose=0),
        )
        predictor = PREDICTORS._free[_network._predictor_recipe(network)]
        assert predictor.steps_per_execution == network.steps_per_execution
        functions.append(predictor.predict_function)
    assert functions[0] is functions[2] is not functions[1]  # each traced once
    # a few rows: one batch computes the same in any grouping's function, so
    # the predictor keeps its current one instead of tracing another
    few = _data(9)[0]
    assert_array_equal(
        _network.predict_network(grouped[16], few, batch_size=8),
        grouped[16].predict_on_batch(few),
    )
    assert predictor.predict_function is functions[2]


def test_pooled_predictions_in_two_threads_are_each_networks_own(monkeypatch):
    from sklstm import _network

    fitted = [
        LSTMRegressor(units=3, epochs=1, random_state=seed).fit(*_data(seed))
        for seed in (0, 1)
    ]
    X, _ = _data(9)
    # each network predicting itself, one after the other
    monkeypatch.setattr(_network, "_predictor_recipe", lambda model: None)
    serial = [estimator.predict(X) for estimator in fitted]
    monkeypatch.undo()
    with ThreadPoolExecutor(2) as pool:
        threaded = list(pool.map(lambda estimator: estimator.predict(X), fitted * 4))
    for i, out in enumerate(threaded):
        assert_array_equal(out, serial[i % 2])


def _self_trained(monkeypatch, make, data):
    from sklstm import _network

    with monkeypatch.context() as patch:
        patch.setattr(_network, "_trainer_recipe", lambda model, callbacks: None)
        return make().fit(*data)


def test_one_trainer_serves_data_of_every_size(monkeypatch):
    """The steps per call (one call per epoch) are an argument of the traced
    step, not a constant in it: a fit on more rows reuses the trainer."""
    from sklstm._traced_steps import TRAINERS

    def make():
        return LSTMRegressor(units=3, epochs=2, batch_size=8, random_state=0)

    small, large = _data(0), _data(1)
    large = tuple(np.concatenate([a, a]) for a in large)  # 6 and 12 batches
    reference = _self_trained(monkeypatch, make, large)
    TRAINERS.clear()
    make().fit(*small)
    (trainer,) = TRAINERS._free.values()
    pooled = make().fit(*large)
    assert list(TRAINERS._free.values()) == [trainer]
    assert pooled.model_.steps_per_execution == 12
    assert pooled.loss_curve_ == reference.loss_curve_
    for mine, theirs in zip(
        pooled.model_.get_weights(), reference.model_.get_weights(), strict=True
    ):
        assert_array_equal(mine, theirs)


def test_without_kerass_step_parts_a_trainer_serves_one_size(monkeypatch):
    from sklstm import _tf_compat
    from sklstm._traced_steps import TRAINERS

    def missing():
        raise AttributeError("gone in this version")

    name = _tf_compat.KERAS_STEP_PARTS
    _, lost = _tf_compat.PRIVATE_APIS[name]
    monkeypatch.setitem(_tf_compat.PRIVATE_APIS, name, (missing, lost))
    monkeypatch.setattr(_tf_compat, "_warned", set())
    TRAINERS.clear()
    with pytest.warns(RuntimeWarning, match="trace their training step again"):
        LSTMRegressor(units=2, epochs=1, batch_size=8, random_state=0).fit(*_data(0))
    # Keras's own training function, kept for its count (6 batches a call)
    ((recipe, trainer),) = TRAINERS._free.items()
    assert recipe[-1] == trainer.steps_per_execution == 6


def test_a_network_that_keeps_predicting_traces_its_own_step(monkeypatch):
    """Pooled predictions copy the weights at each call: after
    POOLED_PREDICTIONS of them the network predicts itself."""
    from sklstm import _network

    monkeypatch.setattr(_network, "POOLED_PREDICTIONS", 2)
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(*_data(0))
    X, _ = _data(9)
    pooled = [reg.predict(X) for _ in range(2)]
    assert reg.model_.predict_function is None  # not traced: pooled
    assert_array_equal(reg.predict(X), pooled[0])
    assert reg.model_.predict_function is not None  # its own, from now on
    assert_array_equal(reg.predict(X), pooled[1])
