"""The typed contract between the estimators and the Keras seam
(sklstm/_network_spec.py): NetworkSpec and OutputSpec."""

import dataclasses
import pickle

import pytest

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
