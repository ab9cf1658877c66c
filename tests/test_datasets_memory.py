"""The LSTM memory demonstration (sklstm.datasets.make_memory_sequences): only
memory tells 3,0,1,2,3 from 4,0,1,2,4."""

from pathlib import Path

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

from sklstm import LSTMClassifier
from sklstm.datasets import make_memory_sequences

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OTHER_ORDER = np.r_[4:8, 0:4]  # the second sequence first


def test_windows_of_four_steps_get_all_eight_transitions():
    X, y, _ = make_memory_sequences(look_back=4)
    clf = LSTMClassifier(units=16, epochs=100, learning_rate=0.01, random_state=0)
    assert (clf.fit(X, y).predict(X) == y).all()


def test_a_model_without_memory_cannot_exceed_seven_of_eight():
    X, y, _ = make_memory_sequences(look_back=4)
    current = X[:, -1, :]
    mlp = MLPClassifier((16,), max_iter=2000, random_state=0).fit(current, y)
    assert (mlp.predict(current) == y).sum() == 7


@pytest.fixture(scope="module")
def stateful_fit():
    X, y, groups = make_memory_sequences(look_back=1)
    clf = LSTMClassifier(
        units=16,
        stateful=True,
        batch_size=1,
        epochs=100,
        learning_rate=0.01,
        random_state=0,
    )
    return clf.fit(X, y, groups=groups), X, y, groups


def test_stateful_one_symbol_per_sample_gets_all_eight(stateful_fit):
    clf, X, y, groups = stateful_fit
    assert (clf.predict(X, groups=groups) == y).all()


def test_without_group_resets_the_other_order_fails(stateful_fit):
    """Without a reset the second sequence starts from the first one's state."""
    clf, X, y, _ = stateful_fit
    pred = clf.predict(X[OTHER_ORDER])  # one stream: no reset between them
    with_resets = clf.predict(X[OTHER_ORDER], groups=np.r_[[0] * 4, [1] * 4])
    assert not np.array_equal(
        clf.predict_proba(X[OTHER_ORDER]),
        clf.predict_proba(X[OTHER_ORDER], groups=np.r_[[0] * 4, [1] * 4]),
    )
    assert (with_resets == y[OTHER_ORDER]).all()
    assert pred.shape == y.shape
