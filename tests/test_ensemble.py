"""EnsembleRegressor (sklstm/ensemble.py)."""

import numpy as np
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.linear_model import LinearRegression

from sklstm import (
    EnsembleRegressor,
)


def test_ensemble_takes_multi_output_targets_and_the_median():
    X = np.arange(20.0).reshape(-1, 1)
    y = np.column_stack([X.ravel(), -X.ravel()])
    members = [(f"m{i}", LinearRegression()) for i in range(3)]
    ens = EnsembleRegressor(members).fit(X, y)
    assert ens.predict(X).shape == (20, 2)
    assert_allclose(ens.combine([[1.0], [5.0], [2.0]]), [2.0])
    assert_allclose(
        clone(ens).set_params(aggregate="mean").combine([[1.0], [5.0]]), [3.0]
    )
