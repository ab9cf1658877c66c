"""Fixtures shared by the test modules: small data made here, nothing downloaded."""

import os

import numpy as np
import pytest
from probes import local_cluster

from sklstm import make_supervised
from sklstm.datasets import load_airline

if "PYTEST_XDIST_WORKER" in os.environ:
    # pytest-xdist runs the tests in one process per core (-n 2 in addopts):
    # each process's TensorFlow gets one thread, as in a joblib worker, so
    # the processes do not contend for the cores (measured: the whole run
    # ~6% quicker on 2 cores). A user's own setting is kept.
    os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture
def airline():
    """The bundled airline series as float64 (a fresh copy per test)."""
    return load_airline().astype(np.float64)


@pytest.fixture(scope="session")
def airline_xy():
    """``make_supervised`` of the airline series: passengers at t and at t+1.

    Shared by many tests: do not modify it in place.
    """
    return make_supervised(load_airline().astype(np.float64))


@pytest.fixture(scope="session")
def dask_cluster():
    """One Dask LocalCluster of 2 worker processes for every test that needs one.

    Each worker imports TensorFlow once; the tests that use it open their own
    ``distributed.Client`` on it. Under pytest-xdist those tests share the
    ``dask_cluster`` group, so one worker starts the cluster once.
    """
    with local_cluster() as cluster:
        yield cluster
