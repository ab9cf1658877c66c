"""The `sklstm` command line (sklstm/cli.py): demo and forecast."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sklstm import __version__
from sklstm.cli import main


def _run(*args):
    """Run ``python -m sklstm.cli ARGS`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "sklstm.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _monthly_csv(path, n=40, values=None):
    dates = pd.date_range("2000-01-01", periods=n, freq="MS")
    if values is None:
        t = np.arange(n)
        values = 100 + 2.0 * t + 10 * np.sin(2 * np.pi * t / 12)
    frame = pd.DataFrame({"month": dates.strftime("%Y-%m-%d"), "sales": values})
    frame.to_csv(path, index=False)
    return path


def _expect_usage_error(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    return capsys.readouterr().err


# ---------------------------------------------------------------- basics


def test_version_subprocess():
    """``python -m sklstm.cli`` in a fresh process (test_tf_compat runs forecast so)."""
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sklstm {__version__}"


def test_help_lists_commands(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "demo" in out
    assert "forecast" in out


def test_forecast_help_lists_options(capsys):
    with pytest.raises(SystemExit) as info:
        main(["forecast", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--column", "--steps", "--look-back", "--plot", "--output"):
        assert option in out


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "usage: sklstm" in capsys.readouterr().out


# ---------------------------------------------------------------- forecast command


def test_forecast_writes_csv_with_future_dates_and_plot(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "sales.csv")
    out, png = tmp_path / "out.csv", tmp_path / "out.png"
    status = main(
        [
            "forecast",
            str(csv),
            "--column",
            "sales",
            "--steps",
            "3",
            "--look-back",
            "3",
            "--epochs",
            "2",
            "--model",
            "local",
            "--no-backtest",  # the files are the subject; one fit
            "--output",
            str(out),
            "--plot",
            str(png),
        ]
    )
    assert status == 0
    result = pd.read_csv(out)
    assert len(result) == 3
    assert list(result.columns) == ["month", "sales"]  # the input's date column
    assert list(pd.to_datetime(result["month"])) == list(
        pd.date_range("2003-05-01", periods=3, freq="MS")
    )
    assert np.isfinite(result["sales"]).all()
    assert png.is_file()
    assert png.stat().st_size > 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    assert "2003-05-01" in printed


def test_forecast_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    err = _expect_usage_error(
        capsys, ["forecast", str(missing), "--column", "x", "--steps", "2"]
    )
    assert "no such file" in err
    assert "nope.csv" in err


def test_forecast_unknown_column_lists_columns(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "sales.csv")
    err = _expect_usage_error(
        capsys, ["forecast", str(csv), "--column", "revenue", "--steps", "2"]
    )
    assert "unknown column 'revenue'" in err
    assert "['month', 'sales']" in err


def test_forecast_non_numeric_values(tmp_path, capsys):
    values = [str(v) for v in np.arange(100.0, 140.0)]
    values[5] = "n/a?"
    values[7] = "abc"
    csv = _monthly_csv(tmp_path / "bad.csv", values=values)
    err = _expect_usage_error(
        capsys, ["forecast", str(csv), "--column", "sales", "--steps", "2"]
    )
    assert "non-numeric" in err
    assert "[5, 7]" in err


def test_forecast_too_few_rows_for_look_back(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "short.csv", n=10)
    err = _expect_usage_error(
        capsys,
        [
            "forecast",
            str(csv),
            "--column",
            "sales",
            "--steps",
            "2",
            "--look-back",
            "12",
            "--epochs",
            "1",
            "--model",
            "local",
        ],
    )
    assert "10 rows" in err
    assert "--look-back 12" in err


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--steps", "0"], "--steps"),
        (["--steps", "2", "--look-back", "0"], "--look-back"),
        (["--steps", "2", "--fine-tune-epochs", "-1"], "--fine-tune-epochs"),
    ],
)
def test_forecast_bad_numbers(tmp_path, capsys, extra, message):
    csv = _monthly_csv(tmp_path / "sales.csv")
    err = _expect_usage_error(
        capsys, ["forecast", str(csv), "--column", "sales", *extra]
    )
    assert message in err


def test_forecast_requires_column_and_steps(capsys):
    err = _expect_usage_error(capsys, ["forecast", "file.csv"])
    assert "--column" in err


# ---------------------------------------------------------------- demo


# ---------------------------------------------------------------- plot_forecast


# ---------------------------------------------------------------- intervals


def test_forecast_interval_writes_lower_and_upper(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "sales.csv", n=90)
    out = tmp_path / "future.csv"
    png = tmp_path / "future.png"
    args = ["forecast", str(csv), "--column", "sales", "--steps", "3"]
    args += [
        "--epochs",
        "2",
        "--look-back",
        "3",
        "--interval",
        "0.8",
        "--model",
        "local",
        "--no-backtest",  # the interval is the subject (fitted twice already)
    ]
    assert main([*args, "--output", str(out), "--plot", str(png)]) == 0
    table = pd.read_csv(out, index_col=0)
    assert table.columns.tolist() == ["forecast", "lower", "upper"]
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()
    assert png.stat().st_size > 0
    assert "lower" in capsys.readouterr().out


@pytest.mark.parametrize("level", ["0", "1", "1.5", "-0.1"])
def test_forecast_bad_interval_is_a_usage_error(tmp_path, capsys, level):
    csv = _monthly_csv(tmp_path / "sales.csv")
    err = _expect_usage_error(
        capsys,
        [
            "forecast",
            str(csv),
            "--column",
            "sales",
            "--steps",
            "2",
            "--interval",
            level,
        ],
    )
    assert "argument --interval: must be a float in the range (0, 1)" in err


def test_forecast_interval_on_too_short_a_series_says_why(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "sales.csv", n=20)
    err = _expect_usage_error(
        capsys,
        [
            "forecast",
            str(csv),
            "--column",
            "sales",
            "--steps",
            "6",
            "--look-back",
            "3",
            "--interval",
            "0.9",
            "--model",
            "local",
        ],
    )
    assert "needs at least 10 calibration errors" in err
    assert "Backtest" not in err  # refused before any training


def _long_csv(tmp_path, n=40):
    rows = []
    rng = np.random.default_rng(0)
    for store, level in (("north", 100.0), ("south", 5000.0)):
        months = pd.period_range("2018-01", periods=n, freq="M")
        values = level * (1 + 0.2 * np.sin(2 * np.pi * months.month / 12))
        values = values * rng.lognormal(0, 0.02, n)
        rows += [
            {"month": str(m), "store": store, "sales": v}
            for m, v in zip(months, values, strict=True)
        ]
    path = tmp_path / "long.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_forecast_every_series_of_a_long_csv(tmp_path, capsys):
    path = _long_csv(tmp_path)
    out, png = tmp_path / "forecast.csv", tmp_path / "panel.png"
    status = main(
        [
            "forecast", str(path), "--id-column", "store", "--column", "sales",
            "--steps", "3", "--look-back", "12", "--epochs", "1",
            "--output", str(out), "--plot", str(png), "--model", "local",
        ]
    )  # fmt: skip
    assert status == 0
    written = pd.read_csv(out)
    assert list(written.columns) == ["store", "month", "sales"]
    assert written["store"].tolist() == ["north"] * 3 + ["south"] * 3
    assert written["month"].tolist()[:3] == ["2021-05", "2021-06", "2021-07"]
    assert png.stat().st_size > 0
    # one network, each series near its own level
    south = written.loc[written["store"] == "south", "sales"]
    assert (south > 1000).all()
    out, err = capsys.readouterr()
    assert "2 series" in err
    assert "Backtest of the last 3 values of every series" in out
    assert "the mean over series" in out and "seasonal naive" in out


def test_forecast_long_csv_errors_name_the_problem(tmp_path, capsys):
    path = _long_csv(tmp_path, n=10)
    with pytest.raises(SystemExit):
        main(["forecast", str(path), "--id-column", "shop", "--column", "sales",
              "--steps", "3"])  # fmt: skip
    assert "unknown --id-column 'shop'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["forecast", str(path), "--id-column", "store", "--column", "sales",
              "--steps", "8", "--look-back", "12", "--model", "local"])  # fmt: skip
    err = capsys.readouterr().err
    assert "holding out the last 8 values leaves series ['north', 'south']" in err
    assert "--no-backtest" in err


# ---------------------------------------------------------------- backtest


def _run_json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_forecast_backtest_table_equals_backtest_on_the_same_split(tmp_path, capsys):
    from sklstm import backtest, make_forecaster

    csv = _monthly_csv(tmp_path / "sales.csv", n=60)
    argv = ["forecast", str(csv), "--column", "sales", "--steps", "4"]
    argv += ["--look-back", "3", "--epochs", "3", "--seed", "1", "--model", "local"]
    report = _run_json(capsys, argv)
    assert set(report) == {"backtest", "advice", "forecast", "model"}
    assert report["model"] == "local LSTM"
    series = pd.read_csv(csv)["sales"].astype(float)
    series.index = pd.date_range("2000-01-01", periods=60, freq="MS")
    expected = backtest(
        {
            "local LSTM": make_forecaster(
                3, change="log_ratio", random_state=1, epochs=3
            )
        },
        series,
        4,
        season_length=12,  # monthly dates: the CLI infers the season
    )
    scores = pd.DataFrame(report["backtest"]["scores"]).T
    pd.testing.assert_frame_equal(scores, expected.scores, check_exact=False)
    assert report["backtest"]["n_origins"] == expected.n_origins == 3
    assert report["advice"] == expected.advice
    assert len(report["forecast"]) == 4


def test_forecast_says_so_when_a_baseline_wins(tmp_path, capsys):
    # the same 12 months every year: the seasonal naive forecast is exact
    year = [5.0, 7, 9, 14, 20, 26, 30, 29, 22, 15, 9, 6]
    csv = _monthly_csv(tmp_path / "repeating.csv", n=96, values=np.tile(year, 8))
    argv = ["forecast", str(csv), "--column", "sales", "--steps", "6"]
    argv += ["--look-back", "3", "--epochs", "3", "--fine-tune-epochs", "0"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "The LSTM lost to the seasonal naive forecast" in out
    # auto forecasts with the method that won: the exact repetition
    assert "Forecasting with seasonal naive" in err
    printed = out.split("Forecast by seasonal naive:")[1].splitlines()
    values = [float(line.split()[-1]) for line in printed if line.startswith("20")]
    np.testing.assert_allclose(values, year[:6])


@pytest.mark.slow
def test_forecast_stays_quiet_when_the_lstm_wins(tmp_path, capsys):
    from sklstm.datasets import load_airline

    series = load_airline()
    csv = tmp_path / "airline.csv"
    pd.DataFrame(
        {"month": series.index.to_timestamp().strftime("%Y-%m-%d"), "n": series}
    ).to_csv(csv, index=False)
    argv = ["forecast", str(csv), "--column", "n", "--steps", "12", "--model", "local"]
    report = _run_json(capsys, argv)
    scores = report["backtest"]["scores"]
    assert min(scores, key=lambda m: scores[m]["mase"]) == "local LSTM"
    assert report["advice"] is None


def test_forecast_continues_an_integer_year_column(tmp_path, capsys):
    csv = tmp_path / "lynx.csv"
    years = np.arange(1821, 1881)
    values = 1000 + 800 * np.sin(2 * np.pi * (years - 1821) / 10)
    pd.DataFrame({"Year": years, "Lynx": values}).to_csv(csv, index=False)
    out = tmp_path / "out.csv"
    argv = ["forecast", str(csv), "--column", "Lynx", "--steps", "3"]
    argv += ["--look-back", "3", "--epochs", "2", "--no-backtest", "--output", str(out)]
    assert main(argv) == 0
    result = pd.read_csv(out)
    assert result.columns.tolist() == ["Year", "Lynx"]
    assert result["Year"].tolist() == [1881, 1882, 1883]
    assert "Backtest" not in capsys.readouterr().out


def test_forecast_backtest_too_short_says_how_to_skip_it(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "short.csv", n=12)
    argv = ["forecast", str(csv), "--column", "sales", "--steps", "10"]
    err = _expect_usage_error(capsys, [*argv, "--look-back", "2"])
    assert "--no-backtest" in err


@pytest.mark.parametrize("newest_first", ["dates", "years"])
def test_forecast_refuses_rows_out_of_time_order(tmp_path, capsys, newest_first):
    csv = tmp_path / "reversed.csv"
    if newest_first == "dates":
        _monthly_csv(csv, n=30)
        frame = pd.read_csv(csv).iloc[::-1]
    else:
        frame = pd.DataFrame({"Year": np.arange(1950, 1980)[::-1], "sales": 1.0})
    frame.to_csv(csv, index=False)
    err = _expect_usage_error(
        capsys, ["forecast", str(csv), "--column", "sales", "--steps", "2"]
    )
    assert "not in time order" in err and "sort the file" in err


def test_long_table_backtest_interval_and_json(tmp_path, capsys):
    path = _long_csv(tmp_path)
    argv = [
        "forecast", str(path), "--id-column", "store", "--column", "sales",
        "--steps", "3", "--look-back", "12", "--epochs", "1", "--interval", "0.8",
        "--model", "local",
    ]  # fmt: skip
    report = _run_json(capsys, argv)
    assert set(report["forecast"]) == {"north", "south"}
    first = report["forecast"]["south"]["2021-05"]
    assert first["lower"] <= first["forecast"] <= first["upper"]
    scores = report["backtest"]["scores"]
    assert {"local LSTM", "persistence", "seasonal naive", "drift"} <= set(scores)
    assert report["backtest"]["n_origins"] == 3


# ---------------------------------------------------------------- model choice


def test_auto_backtests_every_candidate_and_forecasts_with_the_best(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "sales.csv", n=72)
    argv = ["forecast", str(csv), "--column", "sales", "--steps", "6"]
    argv += ["--look-back", "3", "--epochs", "2", "--fine-tune-epochs", "1"]
    assert main([*argv, "--json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    scores = report["backtest"]["scores"]
    assert set(scores) == {
        "local LSTM",
        "pretrained monthly",
        "pretrained monthly, fine-tuned",
        "persistence",
        "seasonal naive",
        "drift",
    }
    best = min(scores, key=lambda name: scores[name]["mase"])
    assert report["model"] == best  # never one that scored worse
    assert len(report["forecast"]) == 6
    assert f"Forecasting with {best}" in err


def test_a_long_table_is_forecast_by_the_best_mean_mase(tmp_path, capsys):
    argv = ["forecast", str(_long_csv(tmp_path)), "--id-column", "store"]
    argv += ["--column", "sales", "--steps", "3", "--look-back", "12"]
    argv += ["--epochs", "1", "--fine-tune-epochs", "0"]  # 0: zero-shot only
    report = _run_json(capsys, argv)
    scores = report["backtest"]["scores"]  # each the mean over the series
    assert {"local LSTM", "pretrained monthly"} < set(scores)
    assert "pretrained monthly, fine-tuned" not in scores
    assert report["model"] == min(scores, key=lambda name: scores[name]["mase"])
    assert set(report["forecast"]) == {"north", "south"}


def test_few_windows_forecast_with_the_pretrained_model(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "short.csv", n=30)
    argv = ["forecast", str(csv), "--column", "sales", "--steps", "6"]
    argv += ["--fine-tune-epochs", "0"]  # the zero-shot model alone: quicker
    report = _run_json(capsys, [*argv, "--model", "pretrained"])
    assert report["model"] == "pretrained monthly"
    assert set(report["backtest"]["scores"]) == {
        "pretrained monthly",
        "persistence",
        "seasonal naive",
        "drift",
    }
    assert main([*argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert "local LSTM" not in json.loads(out)["backtest"]["scores"]
    assert "Only 23 training windows" in err


def test_pretrained_refusals_name_the_fix(tmp_path, capsys):
    csv = _monthly_csv(tmp_path / "sales.csv", n=60)
    argv = ["forecast", str(csv), "--column", "sales", "--model", "pretrained"]
    err = _expect_usage_error(capsys, [*argv, "--steps", "30"])
    assert "at most 24 steps" in err and "--model local" in err
    daily = tmp_path / "daily.csv"
    days = pd.date_range("2024-01-01", periods=90, freq="D")
    pd.DataFrame({"day": days.strftime("%Y-%m-%d"), "sales": 1.0}).to_csv(
        daily, index=False
    )
    argv = ["forecast", str(daily), "--column", "sales", "--steps", "3"]
    err = _expect_usage_error(capsys, [*argv, "--model", "pretrained"])
    assert "no pretrained model covers" in err
