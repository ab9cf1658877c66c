"""The LSTM memory demonstration: two sequences only memory can tell apart."""

import numpy as np
from sklearn.utils._param_validation import validate_params

from sklstm._validation import PositiveInt

SEQUENCES = ((3, 0, 1, 2, 3), (4, 0, 1, 2, 4))
N_SYMBOLS = 5


@validate_params({"look_back": [PositiveInt()]}, prefer_skip_nested_validation=True)
def make_memory_sequences(look_back=4):
    """Transitions of the sequences 3,0,1,2,3 and 4,0,1,2,4, one-hot encoded.

    Each sample asks "which symbol comes next?". Seven of the eight
    transitions can be read off the current symbol, but after ``2`` the answer
    is the FIRST symbol of the sequence (3 or 4): a model needs memory of at
    least 4 steps to get all eight right.

    Parameters
    ----------
    look_back : int, default=4
        Time steps per sample: the current symbol and up to ``look_back - 1``
        symbols before it, from the same sequence only. Steps before the start
        of a sequence are NaN (missing; the LSTM estimators mask them).
        ``look_back=1`` gives one symbol per sample, for a stateful LSTM that
        carries memory across samples (reset per sequence with ``groups``).

    Returns
    -------
    X : ndarray of shape (8, look_back, 5), float32
        One-hot symbols, oldest first.
    y : ndarray of shape (8,), int64
        The next symbol.
    groups : ndarray of shape (8,), int64
        Which sequence (0 or 1) each sample comes from, in time order.

    Examples
    --------
    >>> from sklstm.datasets import make_memory_sequences
    >>> X, y, groups = make_memory_sequences()
    >>> X.shape, y.tolist(), groups.tolist()
    ((8, 4, 5), [0, 1, 2, 3, 0, 1, 2, 4], [0, 0, 0, 0, 1, 1, 1, 1])
    """
    eye = np.eye(N_SYMBOLS, dtype=np.float32)
    X, y, groups = [], [], []
    for group, sequence in enumerate(SEQUENCES):
        for t in range(len(sequence) - 1):
            window = np.full((look_back, N_SYMBOLS), np.nan, dtype=np.float32)
            seen = sequence[max(0, t + 1 - look_back) : t + 1]
            window[look_back - len(seen) :] = eye[list(seen)]
            X.append(window)
            y.append(sequence[t + 1])
            groups.append(group)
    return np.stack(X), np.asarray(y, dtype=np.int64), np.asarray(groups, np.int64)
