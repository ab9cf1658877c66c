"""
The LSTM memory demonstration
=============================

The LSTM memory demonstration: two sequences only memory can tell apart.

Sequences 3,0,1,2,3 and 4,0,1,2,4 (one-hot). Seven of the eight transitions
follow from the current symbol; after "2" the answer is the sequence's first
symbol, four steps back. A model without memory gets at most 7 of 8.

1. Windows of 4 steps: LSTMClassifier sees the history inside each sample.
2. The tutorial's own formulation: one symbol per sample, a stateful LSTM
   carrying memory from sample to sample, reset per sequence with ``groups``;
   checked with the two sequences in both orders.

Run:  ``python examples/memory_demo.py``
"""

import numpy as np
from sklearn.neural_network import MLPClassifier

from sklstm import LSTMClassifier
from sklstm.datasets import make_memory_sequences


def train_until_perfect(model, X, y, groups=None, chunk=50, max_epochs=1000):
    """Fit in chunks of epochs (warm start) until all transitions are right."""
    model.set_params(epochs=chunk, warm_start=True)
    while True:
        model.fit(X, y, groups=groups)
        correct = int((model.predict(X, groups=groups) == y).sum())
        if correct == len(y) or model.n_iter_ >= max_epochs:
            return correct, model.n_iter_


def show(title, y, pred):
    print(title)
    for target, guess in zip(y, pred, strict=True):
        mark = "ok" if target == guess else "WRONG"
        print(f"  next {target}  predicted {guess}  {mark}")


def main():
    X, y, _ = make_memory_sequences(look_back=4)
    # recurrent layers only: a convolution would read the first symbol from
    # the window directly, which is not memory
    lstm = LSTMClassifier(
        units=16,
        conv_filters=None,
        learning_rate=0.01,
        learning_rate_schedule="constant",
        random_state=0,
    )
    correct, epochs = train_until_perfect(lstm, X, y)
    show(
        f"1. LSTMClassifier on 4-step windows: {correct}/8 after {epochs} epochs",
        y,
        lstm.predict(X),
    )

    current_only = X[:, -1, :]  # the current symbol, no history
    mlp = MLPClassifier(hidden_layer_sizes=(16,), max_iter=2000, random_state=0)
    mlp.fit(current_only, y)
    correct_mlp = int((mlp.predict(current_only) == y).sum())
    print(
        f"   MLPClassifier on the current symbol only: {correct_mlp}/8 "
        "(it cannot exceed 7/8)\n"
    )

    X1, y1, groups1 = make_memory_sequences(look_back=1)
    stateful = LSTMClassifier(
        units=16,
        stateful=True,
        batch_size=1,
        learning_rate=0.01,
        learning_rate_schedule="constant",
        random_state=0,
    )
    correct, epochs = train_until_perfect(stateful, X1, y1, groups1)
    show(
        f"2. stateful LSTMClassifier, one symbol per sample, state reset per "
        f"sequence (groups): {correct}/8 after {epochs} epochs",
        y1,
        stateful.predict(X1, groups=groups1),
    )

    swapped = np.r_[4:8, 0:4]  # the second sequence first
    pred = stateful.predict(X1[swapped], groups=groups1[swapped])
    print(
        f"   same model, sequences in the other order: "
        f"{int((pred == y1[swapped]).sum())}/8"
    )


if __name__ == "__main__":
    main()
