"""Grid searches run in parallel processes and on a Dask cluster."""

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import make_forecaster, make_supervised
from sklstm.datasets import load_airline

# two candidates, two splits: enough to show the same scores and choice come
# back from other processes, in few fits (each process imports TensorFlow)
GRID = {"regressor__lagwindower__look_back": [2, 4]}


def _search(n_jobs=None):
    return GridSearchCV(
        make_forecaster(look_back=2, units=2, epochs=3, random_state=0),
        GRID,
        cv=TimeSeriesSplit(2),
        scoring="neg_root_mean_squared_error",
        n_jobs=n_jobs,
    )


# one worker runs this module: the serial search is fitted once, and the Dask
# test shares conftest's cluster (and its group) with test_dask.py
pytestmark = pytest.mark.xdist_group("dask_cluster")


@pytest.fixture(scope="module")
def airline_60_xy():
    return make_supervised(load_airline().astype(float).iloc[:60])


@pytest.fixture(scope="module")
def serial_search(airline_60_xy):
    return _search().fit(*airline_60_xy)


def _assert_same_search(search, serial):
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"],
        serial.cv_results_["mean_test_score"],
        rtol=1e-4,
    )
    assert search.best_params_ == serial.best_params_


def test_grid_search_in_two_processes_matches_serial(airline_60_xy, serial_search):
    _assert_same_search(_search(n_jobs=2).fit(*airline_60_xy), serial_search)


def test_grid_search_on_a_dask_local_cluster_matches_serial(
    airline_60_xy, serial_search, dask_cluster
):
    import distributed  # the [dask] extra, installed by [dev]

    with distributed.Client(dask_cluster), parallel_backend("dask"):
        search = _search().fit(*airline_60_xy)
    _assert_same_search(search, serial_search)
