"""The bundled data sets."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from sklstm.datasets import load_airline, make_memory_sequences


def test_load_airline():
    y = load_airline()
    assert isinstance(y, pd.Series)
    assert y.name == "passengers"
    assert len(y) == 144
    assert y.dtype == np.int64
    assert isinstance(y.index, pd.PeriodIndex)
    assert y.index.freqstr == "M"
    assert str(y.index[0]) == "1949-01"
    assert str(y.index[-1]) == "1960-12"
    assert y.index.is_monotonic_increasing
    assert (y.index[1:] == y.index[:-1] + 1).all()  # no missing month
    assert y.iloc[0] == 112
    assert y.iloc[-1] == 432
    assert y.max() == 622  # the 1960-07 peak
    assert y.idxmax() == pd.Period("1960-07", freq="M")


def test_load_airline_returns_a_fresh_copy():
    y = load_airline()
    y.iloc[0] = -1
    assert load_airline().iloc[0] == 112


SEQUENCES = ((3, 0, 1, 2, 3), (4, 0, 1, 2, 4))


@pytest.mark.parametrize("look_back", [4, 1, 6])
def test_make_memory_sequences_shapes(look_back):
    X, y, groups = make_memory_sequences(look_back=look_back)
    assert X.shape == (8, look_back, 5)
    assert X.dtype == np.float32
    assert y.shape == groups.shape == (8,)
    assert y.dtype == groups.dtype == np.int64


def test_make_memory_sequences_default_is_look_back_4():
    X, _, _ = make_memory_sequences()
    assert X.shape == (8, 4, 5)


@pytest.mark.parametrize("look_back", [1, 2, 4, 6])
def test_make_memory_sequences_transitions(look_back):
    X, y, groups = make_memory_sequences(look_back=look_back)
    assert_array_equal(y, [0, 1, 2, 3, 0, 1, 2, 4])
    assert_array_equal(groups, [0, 0, 0, 0, 1, 1, 1, 1])
    eye = np.eye(5)
    i = 0
    for group, sequence in enumerate(SEQUENCES):
        for t in range(4):
            assert groups[i] == group
            assert y[i] == sequence[t + 1]
            for k in range(look_back):  # step k, oldest first
                source = t - (look_back - 1) + k
                if source < 0:  # before the start of this sequence
                    assert np.isnan(X[i, k]).all()
                else:
                    assert_array_equal(X[i, k], eye[sequence[source]])
            i += 1


@pytest.mark.parametrize("look_back", [0, -1, 1.5, "4", True])
def test_make_memory_sequences_bad_look_back(look_back):
    with pytest.raises(ValueError, match="'look_back' parameter"):
        make_memory_sequences(look_back=look_back)


def test_load_us_macro_is_a_panel_of_five_quarterly_series():
    from sklstm.datasets import load_us_macro
    from sklstm.panel import check_panel

    panel = load_us_macro()
    layout = check_panel(panel)
    assert sorted(layout.series) == [
        "realcons",
        "realdpi",
        "realgdp",
        "realgovt",
        "realinv",
    ]
    assert layout.lengths.tolist() == [203] * 5
    quarters = panel.loc["realgdp"].index
    assert str(quarters[0]) == "1959Q1" and str(quarters[-1]) == "2009Q3"
    assert panel.loc[("realgdp", quarters[0])] == 2710.349
    assert panel.dtype == "float64" and (panel > 0).all()
