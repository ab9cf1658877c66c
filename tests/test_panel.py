"""Panels: to_panel from long and wide tables, check_panel and its layout."""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from pandas.testing import assert_frame_equal, assert_series_equal

from sklstm import to_panel
from sklstm.panel import check_panel, is_panel

NAN = np.nan


@pytest.fixture
def long_ints():
    """Three series of different lengths and starts, rows shuffled."""
    frame = pd.DataFrame(
        {
            "id": ["b", "a", "c", "a", "b", "a", "c", "b", "b"],
            "t": [5, 2, 0, 0, 7, 1, 1, 6, 8],
            "y": [50.0, 2.0, 100.0, 0.0, 70.0, 1.0, 101.0, 60.0, 80.0],
            "x": [5, 2, 0, 0, 7, 1, 1, 6, 8],
        }
    )
    return frame


@pytest.fixture
def wide():
    """Monthly wide table: 'a' starts late, 'b' ends early, 'c' has a hole."""
    return pd.DataFrame(
        {
            "a": [NAN, NAN, 1.0, 2.0, 3.0, 4.0],
            "b": [10.0, 11.0, 12.0, NAN, NAN, NAN],
            "c": [20.0, NAN, 22.0, 23.0, 24.0, 25.0],
        },
        index=pd.period_range("2021-01", periods=6, freq="M", name="month"),
    ).rename_axis(columns="store")


# --------------------------------------------------------------------------
# long format
# --------------------------------------------------------------------------


def test_long_rows_sorted_by_series_then_time(long_ints):
    panel = to_panel(long_ints, series="id", time="t")
    assert isinstance(panel, pd.DataFrame)
    assert list(panel.columns) == ["y", "x"]
    assert panel.index.names == ["id", "t"]
    assert panel.index.tolist() == [
        ("a", 0),
        ("a", 1),
        ("a", 2),
        ("b", 5),
        ("b", 6),
        ("b", 7),
        ("b", 8),
        ("c", 0),
        ("c", 1),
    ]
    assert panel["y"].tolist() == [0.0, 1.0, 2.0, 50.0, 60.0, 70.0, 80.0, 100.0, 101.0]
    assert panel.index.get_level_values(1).dtype == np.int64  # integers stay


def test_long_round_trip_through_reset_index(long_ints):
    panel = to_panel(long_ints, series="id", time="t")
    expected = long_ints.sort_values(["id", "t"]).reset_index(drop=True)
    assert_frame_equal(panel.reset_index(), expected)
    # and back again: a long table out of reset_index comes in unchanged
    assert_frame_equal(to_panel(panel.reset_index(), series="id", time="t"), panel)


def test_long_one_value_column_gives_a_series(long_ints):
    panel = to_panel(long_ints, series="id", time="t", value="y")
    assert isinstance(panel, pd.Series)
    assert panel.name == "y"
    columns = to_panel(long_ints, series="id", time="t", value=["x"])
    assert isinstance(columns, pd.DataFrame)
    assert list(columns.columns) == ["x"]


def test_neuralforecast_format_month_end_dates_become_monthly_periods():
    frame = pd.DataFrame(
        {
            "unique_id": ["u1"] * 4 + ["u2"] * 2,
            "ds": pd.to_datetime(
                [
                    "2020-01-31",
                    "2020-02-29",
                    "2020-03-31",
                    "2020-04-30",
                    "2020-03-31",
                    "2020-04-30",
                ]
            ),
            "y": np.arange(6.0),
        }
    )
    panel = to_panel(frame, series="unique_id", time="ds")
    times = panel.index.get_level_values("ds")
    assert isinstance(times, pd.PeriodIndex)
    assert times.freqstr == "M"
    assert [str(t) for t in times] == [
        "2020-01",
        "2020-02",
        "2020-03",
        "2020-04",
        "2020-03",
        "2020-04",
    ]
    # the frequency travels with the panel: the next period is well defined
    assert str(times[-1] + 1) == "2020-05"


def test_date_strings_with_month_start_spacing_become_periods():
    frame = pd.DataFrame(
        {
            "s": ["a", "a", "a", "b", "b"],
            "when": [
                "2020-01-01",
                "2020-02-01",
                "2020-03-01",
                "2020-05-01",
                "2020-06-01",
            ],
            "v": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    times = to_panel(frame, series="s", time="when").index.get_level_values(1)
    assert times.dtype == pd.PeriodDtype("M")
    assert str(times[3]) == "2020-05"


@pytest.mark.parametrize(
    ("freq", "expected"),
    [("QS", "Q-DEC"), ("YS", "Y-DEC"), ("D", "D"), ("h", "h"), ("W-SUN", "W-SUN")],
)
def test_regular_dates_become_periods_of_their_frequency(freq, expected):
    dates = pd.date_range("2020-01-01", periods=5, freq=freq)
    frame = pd.DataFrame({"s": 1, "t": dates, "v": np.arange(5.0)})
    times = to_panel(frame, series="s", time="t").index.get_level_values(1)
    assert times.dtype == pd.PeriodDtype(expected)
    # each date lies in its own period
    assert ((times.start_time <= dates) & (dates <= times.end_time)).all()
    assert times.is_unique


def test_irregular_or_business_day_dates_keep_their_timestamps():
    irregular = pd.to_datetime(["2020-01-01", "2020-01-05", "2020-03-04"])
    frame = pd.DataFrame({"s": "a", "t": irregular, "v": [1.0, 2.0, 3.0]})
    times = to_panel(frame, series="s", time="t").index.get_level_values(1)
    assert isinstance(times, pd.DatetimeIndex)
    assert_array_equal(times, irregular)
    business = pd.date_range("2020-01-01", periods=6, freq="B")
    frame = pd.DataFrame({"s": "a", "t": business, "v": np.arange(6.0)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no deprecated business-day periods
        times = to_panel(frame, series="s", time="t").index.get_level_values(1)
    assert isinstance(times, pd.DatetimeIndex)


def test_series_on_one_grid_with_gaps_between_them_still_get_a_frequency():
    # the union of dates has a hole (2020-04), the longest series decides
    dates = ["2020-01-01", "2020-02-01", "2020-03-01", "2020-05-01", "2020-06-01"]
    frame = pd.DataFrame({"s": list("aaabb"), "t": dates, "v": np.arange(5.0)})
    times = to_panel(frame, series="s", time="t").index.get_level_values(1)
    assert times.dtype == pd.PeriodDtype("M")


def test_explicit_freq_turns_daily_dates_into_periods():
    dates = pd.to_datetime(["2020-01-03", "2020-02-17", "2020-04-01"])  # irregular
    frame = pd.DataFrame({"s": "a", "t": dates, "v": [1.0, 2.0, 3.0]})
    for freq in ("M", "MS", "ME"):
        times = to_panel(frame, series="s", time="t", freq=freq).index.levels[1]
        assert [str(t) for t in times] == ["2020-01", "2020-02", "2020-04"]


def test_mixed_type_series_ids_keep_their_order_of_appearance():
    frame = pd.DataFrame({"s": [2, "x", 2, "x"], "t": [0, 0, 1, 1], "v": 1.0})
    panel = to_panel(frame, series="s", time="t")
    assert panel.index.tolist() == [(2, 0), (2, 1), ("x", 0), ("x", 1)]


def test_long_keeps_rows_with_missing_values():
    frame = pd.DataFrame({"s": "a", "t": [0, 1, 2], "v": [1.0, NAN, 3.0]})
    panel = to_panel(frame, series="s", time="t", value="v")
    assert_array_equal(panel.to_numpy(), [1.0, NAN, 3.0])


# --------------------------------------------------------------------------
# wide format
# --------------------------------------------------------------------------


def test_wide_drops_leading_and_trailing_nan_per_series_keeps_inner(wide):
    panel = to_panel(wide, value="sales")
    assert isinstance(panel, pd.Series)
    assert panel.name == "sales"
    assert panel.index.names == ["store", "month"]
    assert panel.groupby(level=0).size().to_dict() == {"a": 4, "b": 3, "c": 6}
    assert [str(t) for t in panel.loc["a"].index] == [
        "2021-03",
        "2021-04",
        "2021-05",
        "2021-06",
    ]
    assert_array_equal(panel.loc["c"].to_numpy(), [20.0, NAN, 22.0, 23.0, 24.0, 25.0])


def test_wide_round_trip_through_unstack(wide):
    panel = to_panel(wide)
    assert_frame_equal(panel.unstack(level=0), wide)
    assert_series_equal(to_panel(panel.unstack(level=0)), panel)


def test_wide_with_date_strings_and_integer_index():
    dates = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0], "b": [NAN, 5.0, 6.0]},
        index=["2020-01-01", "2020-02-01", "2020-03-01"],
    )
    times = to_panel(dates).index.get_level_values(1)
    assert times.dtype == pd.PeriodDtype("M")
    steps = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [NAN, 5.0, 6.0]})
    panel = to_panel(steps)
    assert panel.index.tolist() == [("a", 0), ("a", 1), ("a", 2), ("b", 1), ("b", 2)]


def test_wide_unsorted_time_index_is_sorted():
    frame = pd.DataFrame({"a": [3.0, 1.0, 2.0]}, index=[2, 0, 1])
    assert to_panel(frame).tolist() == [1.0, 2.0, 3.0]


def test_wide_column_without_values_is_dropped_with_a_warning(wide):
    wide["empty"] = NAN
    with pytest.warns(UserWarning, match=r"dropped 1 wide columns .*\['empty'\]"):
        panel = to_panel(wide)
    assert "empty" not in panel.index.get_level_values(0)


# --------------------------------------------------------------------------
# a panel in: sorted and normalised
# --------------------------------------------------------------------------


def test_an_unsorted_panel_is_sorted(long_ints):
    panel = to_panel(long_ints, series="id", time="t")
    shuffled = panel.iloc[[4, 0, 8, 2, 6, 1, 3, 7, 5]]
    assert_frame_equal(to_panel(shuffled), panel)
    assert_series_equal(to_panel(shuffled["y"]), panel["y"])
    assert_frame_equal(to_panel(shuffled, value=["x"]), panel[["x"]])


# --------------------------------------------------------------------------
# to_panel errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"series": "store", "time": "t"},
            r"unknown series column 'store'; the columns are \['id', 't', 'y', 'x'\]"
            r"\. \(A name in the index: data.reset_index\(\) first\.\)",
        ),
        ({"series": "id", "time": "date"}, r"unknown time column 'date'"),
        ({"series": "id", "time": "t", "value": "z"}, r"unknown value column 'z'"),
        (
            {"series": "id", "time": "t", "value": ["z", "w"]},
            r"unknown value columns \['z', 'w'\]",
        ),
        ({"series": "id", "time": "id"}, r"name the same column 'id'"),
        ({"series": "id"}, r"needs both series= and time=; got only series="),
        ({"time": "t"}, r"needs both series= and time=; got only time="),
        (
            {"series": "id", "time": "t", "freq": "M"},
            r"freq='M' applies to dates, but the times are int64 values",
        ),
    ],
)
def test_to_panel_names_the_problem(long_ints, kwargs, match):
    with pytest.raises(ValueError, match=match):
        to_panel(long_ints, **kwargs)


def test_duplicate_pairs_are_named(long_ints):
    doubled = pd.concat([long_ints, long_ints.iloc[[0, 1, 1]]])
    with pytest.raises(
        ValueError,
        match=r"2 \(series, time\) pairs appear more than once, such as "
        r"\('a', 2\), \('b', 5\)\. .*drop_duplicates",
    ):
        to_panel(doubled, series="id", time="t")


def test_explicit_freq_that_merges_dates_is_refused():
    dates = pd.to_datetime(["2020-01-01", "2020-01-15", "2020-02-01"])
    frame = pd.DataFrame({"s": "a", "t": dates, "v": [1.0, 2.0, 3.0]})
    with pytest.raises(
        ValueError,
        match=r"1 \(series, time\) pairs appear more than once \(after turning the "
        r"dates into periods of frequency 'M'\), such as \('a', 2020-01\)",
    ):
        to_panel(frame, series="s", time="t", freq="M")


def test_unsupported_freq_is_refused():
    frame = pd.DataFrame({"s": "a", "t": ["2020-01-01", "2020-01-02"], "v": 1.0})
    with pytest.raises(ValueError, match=r"freq='B' is not a frequency pandas periods"):
        to_panel(frame, series="s", time="t", freq="B")


def test_periods_of_another_freq_are_refused(wide):
    with pytest.raises(
        ValueError, match=r"already periods of frequency 'M'; freq='Q' does not"
    ):
        to_panel(wide, freq="Q")


def test_non_numeric_value_column_is_named(long_ints):
    long_ints["note"] = "n/a"
    with pytest.raises(
        TypeError, match=r"to_panel needs numeric columns; these are not: \['note'\]"
    ):
        to_panel(long_ints, series="id", time="t")


def test_times_that_are_not_dates_are_named():
    frame = pd.DataFrame({"s": "a", "t": ["2020-01-01", "soon"], "v": 1.0})
    with pytest.raises(
        ValueError,
        match=r"time column 't' holds values that are not dates, such as 'soon' "
        r"\(row 1\)",
    ):
        to_panel(frame, series="s", time="t")


def test_missing_ids_and_times_are_refused():
    frame = pd.DataFrame({"s": ["a", None], "t": [0, 1], "v": 1.0})
    with pytest.raises(
        ValueError, match=r"1 rows have no series id \(NaN\), the first"
    ):
        to_panel(frame, series="s", time="t")
    frame = pd.DataFrame({"s": ["a", "a"], "t": [0, None], "v": 1.0})
    with pytest.raises(
        ValueError, match=r"1 rows have no time \(NaN or NaT\), the first at row 1 "
    ):
        to_panel(frame, series="s", time="t")


def test_to_panel_refuses_other_inputs(wide):
    with pytest.raises(TypeError, match=r"expects a pandas DataFrame .* got a ndarray"):
        to_panel(np.zeros((3, 2)))
    with pytest.raises(
        ValueError, match=r"that is one series.*series.to_frame\(name\)"
    ):
        to_panel(pd.Series([1.0, 2.0]))
    three = wide.stack().to_frame("v").assign(k=1).set_index("k", append=True)
    with pytest.raises(ValueError, match=r"2-level MultiIndex .* got 3 levels"):
        to_panel(three)
    with pytest.raises(ValueError, match=r"already indexed by \(series, time\)"):
        to_panel(to_panel(wide).to_frame("v"), series="store", time="month")
    with pytest.raises(ValueError, match=r"one column per series; these column names"):
        to_panel(pd.DataFrame([[1.0, 2.0]], columns=["a", "a"]))
    with pytest.raises(ValueError, match=r"one row per time; these labels repeat"):
        to_panel(pd.DataFrame({"a": [1.0, 2.0]}, index=[0, 0]))
    with pytest.raises(ValueError, match=r"value=\.\.\. can only name the panel's"):
        to_panel(wide, value=["a"])


# --------------------------------------------------------------------------
# check_panel and is_panel
# --------------------------------------------------------------------------


def test_check_panel_layout_of_a_ragged_panel(wide):
    panel = to_panel(wide)
    layout = check_panel(panel)
    assert layout.series.tolist() == ["a", "b", "c"]
    assert layout.starts.tolist() == [0, 4, 7]
    assert layout.lengths.tolist() == [4, 3, 6]
    assert layout.ends.tolist() == [4, 7, 13]
    assert layout.codes.tolist() == [0] * 4 + [1] * 3 + [2] * 6
    assert layout.positions.tolist() == [0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 4, 5]
    assert check_panel(panel.index).lengths.tolist() == [4, 3, 6]


def test_check_panel_accepts_series_in_any_order():
    index = pd.MultiIndex.from_tuples([("z", 1), ("z", 2), ("a", 0)])
    layout = check_panel(pd.Series([1.0, 2.0, 3.0], index=index))
    assert layout.series.tolist() == ["z", "a"]


def test_is_panel():
    index = pd.MultiIndex.from_tuples([("a", 0)])
    assert is_panel(pd.DataFrame({"x": [1]}, index=index))
    assert is_panel(index)
    assert not is_panel(pd.Series([1.0]))
    assert not is_panel(np.zeros(3))
    three = pd.MultiIndex.from_tuples([("a", 0, 1)])
    assert not is_panel(three)


def _series(tuples):
    return pd.Series(
        np.arange(float(len(tuples))), index=pd.MultiIndex.from_tuples(tuples)
    )


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (
            pd.Series([1.0, 2.0]),
            r"my_step needs a panel: a pandas Series or DataFrame indexed by a "
            r"2-level MultiIndex \(series, time\); got a Series with a plain "
            r"RangeIndex\. Build one .* sklstm.to_panel",
        ),
        (np.zeros(3), r"got a ndarray"),
        (_series([("a", 0)]).iloc[:0], r"my_step got an empty panel"),
        (
            _series([("a", 0), ("b", 0), ("a", 1)]),
            r"the rows of series 'a' are not together; they start again at row 2 "
            r"after rows of other series\. .*panel.sort_index\(\)",
        ),
        (
            _series([("a", 0), ("b", 2), ("b", 1)]),
            r"the time labels of series 'b' do not strictly increase: row 2 \(1\) "
            r"follows 2\. Sort the rows with panel.sort_index\(\)",
        ),
        (
            _series([("a", 0), ("a", 0)]),
            r"row 1 \(0\) follows 0\. Each \(series, time\) pair must appear once",
        ),
        (
            _series([("a", 0.0), ("a", NAN)]),
            r"series 'a' has a row without a time label \(NaN or NaT\) at row 1",
        ),
        (
            _series([(NAN, 0), ("a", 0)]),
            r"1 rows of the panel have no series id \(NaN\), the first at row 0",
        ),
    ],
)
def test_check_panel_names_the_problem(data, match):
    with pytest.raises(ValueError, match=match):
        check_panel(data, "my_step")


def test_check_panel_refuses_string_times():
    data = _series([("a", "2020-01"), ("a", "2020-02")])
    with pytest.raises(
        TypeError,
        match=r"my_step: the time level of the panel holds .* values such as "
        r"'2020-01'; it must hold periods, timestamps or integers\. .*to_panel",
    ):
        check_panel(data, "my_step")


def test_to_panel_output_passes_check_panel(long_ints, wide):
    check_panel(to_panel(long_ints, series="id", time="t"))
    check_panel(to_panel(wide))


def test_to_panel_is_vectorised_over_many_series():
    rng = np.random.default_rng(0)
    n_series, n_times = 2000, 60
    frame = pd.DataFrame(
        rng.normal(size=(n_times, n_series)),
        index=pd.date_range("2000-01-01", periods=n_times, freq="MS"),
    )
    frame.iloc[: n_times // 2, ::2] = NAN  # half the series start late
    panel = to_panel(frame)
    assert len(panel) == n_series * n_times - (n_series // 2) * (n_times // 2)
    layout = check_panel(panel)
    assert len(layout.series) == n_series


# --------------------------------------------------------------------------
# import weight
# --------------------------------------------------------------------------


def test_panel_tools_do_not_import_tensorflow():
    script = textwrap.dedent(
        """
        import sys
        import pandas as pd
        from sklstm import (
            PanelTimeSeriesSplit, mase, smape, temporal_train_test_split, to_panel,
        )
        from sklstm.metrics import make_mase_scorer, neg_smape
        from sklstm.panel import check_panel
        panel = to_panel(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]}))
        train, test = temporal_train_test_split(panel, test_size=1)
        list(PanelTimeSeriesSplit(2, test_size=1).split(panel))
        smape(test, train.groupby(level=0).last().to_numpy())
        heavy = [m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")]
        print("HEAVY:" + ",".join(sorted(heavy)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("HEAVY:", 1)[1].strip() == ""
