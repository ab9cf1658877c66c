"""The contract between the estimators and the Keras seam: specs, seeds, callbacks."""

import dataclasses
import pickle

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklstm import LSTMClassifier, LSTMRegressor
from sklstm._network_spec import NetworkSpec, OutputSpec


def _spec(**changes):
    base = NetworkSpec(
        units=(4,),
        cell="lstm",
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        dense_units=None,
        stateful=False,
        batch_size=32,
        mask_nan=False,
    )
    return dataclasses.replace(base, **changes)


def test_every_field_is_an_estimator_parameter_or_resolved_from_the_data():
    params = set(LSTMRegressor().get_params()) & set(LSTMClassifier().get_params())
    fields = {field.name for field in dataclasses.fields(NetworkSpec)}
    assert fields - params == {"mask_nan"}


def test_from_estimator_reads_parameters_and_takes_resolved_values():
    reg = LSTMRegressor(units=3, cell="gru", dropout=0.1, batch_size="auto")
    spec = NetworkSpec.from_estimator(reg, units=(3,), batch_size=8, mask_nan=True)
    assert spec == _spec(
        units=(3,), cell="gru", dropout=0.1, batch_size=8, mask_nan=True
    )


def test_structural_changes_name_what_changed_in_field_order():
    fitted = _spec()
    assert fitted.structural_changes(fitted) == {}
    now = _spec(units=(8,), cell="gru")
    assert now.structural_changes(fitted) == {
        "units": ((4,), (8,)),
        "cell": ("lstm", "gru"),
    }


def test_batch_size_is_structural_only_for_a_stateful_network():
    assert _spec(batch_size=8).structural_changes(_spec()) == {}
    fitted = _spec(stateful=True, batch_size=1)
    assert _spec(stateful=True, batch_size=2).structural_changes(fitted) == {
        "batch_size": (1, 2)
    }
    assert _spec(batch_size=2).structural_changes(fitted) == {
        "stateful": (True, False),
        "batch_size": (1, 2),
    }


def test_mask_nan_is_not_structural():
    assert _spec(mask_nan=True).structural_changes(_spec()) == {}


def test_spec_is_frozen_and_pickles():
    spec = _spec()
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.units = (2,)
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_output_spec_fields():
    out = OutputSpec(2, "softmax", "sparse_categorical_crossentropy")
    assert (out.n_outputs, out.activation, out.loss) == (
        2,
        "softmax",
        "sparse_categorical_crossentropy",
    )
    assert OutputSpec(1, "linear").loss is None


def test_estimator_pickled_with_a_dict_spec_still_loads():
    """Pickles made before NetworkSpec stored the spec as a dict."""
    X = np.random.default_rng(0).normal(size=(16, 3, 1)).astype(np.float32)
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X, X[:, -1, 0])
    state = reg.__getstate__()
    state["_spec"] = dataclasses.asdict(state["_spec"])
    old = LSTMRegressor.__new__(LSTMRegressor)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert old._spec == reg._spec
    assert_array_equal(old.predict(X), reg.predict(X))


def test_a_random_state_instance_is_drawn_once_per_fit():
    """The validation split and the network share one seed per fit."""
    X = np.random.default_rng(0).normal(size=(20, 3, 1)).astype(np.float32)
    y = np.where(X[:, 0, 0] > 0, "up", "down")
    random_state = np.random.RandomState(0)
    LSTMClassifier(
        units=2,
        epochs=1,
        early_stopping=True,
        validation_fraction=0.5,
        random_state=random_state,
    ).fit(X, y)
    reference = np.random.RandomState(0)
    reference.randint(2**31 - 1)
    assert random_state.randint(2**31 - 1) == reference.randint(2**31 - 1)


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
