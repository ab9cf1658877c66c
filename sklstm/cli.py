"""The ``sklstm`` command: ``sklstm demo`` and ``sklstm forecast FILE.csv``."""

import argparse
import json
import sys
from numbers import Integral
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval

from sklstm._time_index import infer_frequency
from sklstm._validation import (
    IntervalLevels,
    PositiveInt,
    argument_type,
    describe_rows,
)
from sklstm._version import __version__

# the flags' values are checked by the constraints of the parameters they feed
_COUNT = argument_type(int, PositiveInt())
_COUNT_OR_ZERO = argument_type(int, Interval(Integral, 0, None, closed="left"))
_LEVEL = argument_type(float, IntervalLevels())

__all__ = ["main"]


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="sklstm",
        description="LSTM forecasting with scikit-learn parts.",
    )
    parser.add_argument("--version", action="version", version=f"sklstm {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="the airline-passengers job end to end",
        description=(
            "Grid search an LSTM forecaster on the bundled airline data with "
            "TimeSeriesSplit, score it on the 48 test months beside persistence "
            "and seasonal-naive baselines, forecast 1960 from data through 1959 "
            "and the 12 months after 1960, and save a plot."
        ),
    )
    demo.add_argument("--json", action="store_true", help="print one JSON object")
    demo.add_argument(
        "--plot",
        default="airline_forecast.png",
        metavar="PNG",
        help="where to save the plot (default: %(default)s; '' for none)",
    )
    demo.add_argument("--seed", type=int, default=0, help="random seed")
    demo.add_argument("--n-jobs", type=int, default=None, help="parallel fits")

    fc = commands.add_parser(
        "forecast",
        help="forecast a column of a CSV file",
        description=(
            "Fit the recommended LSTM forecaster on a whole column of a CSV file "
            "and forecast the next steps. A first column of dates becomes the "
            "time index, so the forecast carries future dates."
        ),
    )
    fc.add_argument("file", help="CSV file, rows in time order")
    fc.add_argument("--column", required=True, help="the column to forecast")
    fc.add_argument(
        "--id-column",
        metavar="ID",
        help=(
            "a long table of many series: the column naming each row's series. "
            "One global LSTM (make_global_forecaster) is fitted on all of them "
            "and every series is forecast; the time column is --time-column, "
            "else the first other column"
        ),
    )
    fc.add_argument("--time-column", metavar="TIME", help="with --id-column")
    fc.add_argument("--steps", type=_COUNT, required=True, help="values to forecast")
    fc.add_argument(
        "--look-back",
        type=_COUNT,
        default=None,
        help="window length (default 12; 36 with --id-column, at most what the "
        "shortest series allows)",
    )
    fc.add_argument("--epochs", type=_COUNT, default=None, help="training epochs")
    fc.add_argument(
        "--model",
        choices=["auto", "pretrained", "local"],
        default="auto",
        help="auto (default): backtest the pretrained LSTM (zero-shot and "
        "fine-tuned), an LSTM trained on this data alone and the naive "
        "baselines, and forecast with the one that scored best (the "
        "pretrained model when the data give too few windows to train on); "
        "pretrained or local: only those LSTMs",
    )
    fc.add_argument(
        "--fine-tune-epochs",
        type=_COUNT_OR_ZERO,
        default=2,
        metavar="N",
        help="epochs the pretrained model is fine-tuned on the data "
        "(default: %(default)s; 0 backtests the zero-shot model alone, "
        "which is faster)",
    )
    fc.add_argument("--seed", type=int, default=0, help="random seed")
    fc.add_argument(
        "--interval",
        type=_LEVEL,
        metavar="LEVEL",
        help="add a prediction interval of this nominal coverage, e.g. 0.9 "
        "(calibrated on the series' last rows; fits the recipe twice)",
    )
    fc.add_argument(
        "--season-length",
        type=_COUNT,
        metavar="N",
        help="values per season, for the seasonal naive baseline of the "
        "backtest (default: 12 for monthly dates, 4 for quarterly, else none)",
    )
    fc.add_argument(
        "--no-backtest",
        action="store_true",
        help="skip the backtest that scores the recipe on the last --steps "
        "values beside naive baselines before forecasting",
    )
    fc.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (backtest, advice, forecast) instead of tables",
    )
    fc.add_argument("--plot", metavar="PNG", help="save a plot here")
    fc.add_argument("--output", metavar="CSV", help="write the forecast here")
    return parser


def _read_csv(parser, path):
    """The CSV file as a DataFrame, or a usage error saying why not."""
    if not Path(path).is_file():
        parser.error(f"no such file: {path}")
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        parser.error(f"cannot read {path} as CSV: {exc}")


def _numeric_column(parser, frame, column):
    """The column as numbers (NaN where empty), refusing values that are not."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        parser.error(
            f"column {column!r} has non-numeric values in rows "
            f"{describe_rows(bad.to_numpy())}, counting from 0 after the header; "
            "clean them first"
        )
    return values


def _read_series(parser, path, column):
    """The column of the CSV as a float Series with a time index if it has one."""
    frame = _read_csv(parser, path)
    if column not in frame.columns:
        parser.error(
            f"unknown column {column!r} in {path}; the columns are "
            f"{list(frame.columns)}"
        )
    first = frame.columns[0]
    if first != column and pd.api.types.is_integer_dtype(frame[first]):
        frame.index = pd.Index(frame[first])  # integer time labels (years, ...)
    elif first != column and not pd.api.types.is_numeric_dtype(frame[first]):
        try:
            index = pd.DatetimeIndex(pd.to_datetime(frame[first]))
            freq = infer_frequency(index)
            if freq is not None:
                index = pd.DatetimeIndex(index, freq=freq)
            frame.index = index
        except (ValueError, TypeError):
            pass  # not dates: keep the row numbers
    values = _numeric_column(parser, frame, column)
    if values.isna().any():
        parser.error(f"column {column!r} has missing values; fill or drop them first")
    times = frame.index  # a time column's labels, or the row numbers
    if not isinstance(times, pd.RangeIndex) and not (
        times.is_monotonic_increasing and times.is_unique
    ):
        parser.error(
            f"the first column {first!r} is not in time order (oldest first, "
            "each time once); sort the file by it first"
        )
    if isinstance(values.index, pd.DatetimeIndex) and values.index.freq is None:
        values = values.reset_index(drop=True)  # irregular dates: no future dates
    return values.astype(np.float64).rename(column)


def _read_panel(parser, path, id_column, time_column, column):
    """The long table's series as a panel Series indexed (series, time)."""
    from sklstm.panel import to_panel

    frame = _read_csv(parser, path)
    for name, role in ((id_column, "--id-column"), (column, "--column")):
        if name not in frame.columns:
            parser.error(
                f"unknown {role} {name!r} in {path}; the columns are "
                f"{list(frame.columns)}"
            )
    if time_column is None:
        others = [c for c in frame.columns if c not in (id_column, column)]
        if not others:
            parser.error(
                f"{path} has no time column besides {id_column!r} and {column!r}; "
                "a long table needs one (name it with --time-column)"
            )
        time_column = others[0]
    elif time_column not in frame.columns:
        parser.error(
            f"unknown --time-column {time_column!r} in {path}; the columns are "
            f"{list(frame.columns)}"
        )
    values = _numeric_column(parser, frame, column)
    if values.isna().any():
        parser.error(
            f"column {column!r} has missing values in rows "
            f"{describe_rows(values.isna().to_numpy())}; fill or drop them first"
        )
    frame = frame.assign(**{column: values.astype(np.float64)})
    try:
        return to_panel(frame, series=id_column, time=time_column, value=column)
    except (ValueError, TypeError) as exc:
        parser.error(str(exc))


def _season_length(times):
    """12 for monthly periods or dates, 4 for quarterly ones, else None."""
    freq = getattr(times, "freqstr", None) or ""
    return {"M": 12, "Q": 4}.get(freq[:1])


def _panel_recipe(parser, args, panel, layout, season):
    """The global recipe for a long table, and the horizon it is fitted on."""
    from sklstm.forecasting import make_global_forecaster

    shortest = int(layout.lengths.min())
    look_back = args.look_back or max(1, min(36, shortest - args.steps))
    change = (
        "log_ratio"
        if (panel > 0).all()
        else ("log1p_ratio" if (panel >= 0).all() else "difference")
    )
    params = {} if args.epochs is None else {"epochs": args.epochs}
    model = make_global_forecaster(
        look_back,
        season_length=season,
        deseasonalize=season is not None and change != "difference",
        change=change,
        random_state=args.seed,
        **params,
    )
    what = (
        f"one LSTM on {len(layout.series)} series of {args.column!r} "
        f"(look_back={look_back}, horizon={args.steps}, change={change}, "
        f"season_length={season})"
    )
    return model, args.steps, what


def _series_recipe(parser, args, series):
    """The single-series recipe, and the horizon it is fitted on (1)."""
    from sklstm.forecasting import make_forecaster, rows_needed

    look_back = 12 if args.look_back is None else args.look_back
    change = "log_ratio" if (series > 0).all() else "difference"
    params = {} if args.epochs is None else {"epochs": args.epochs}
    model = make_forecaster(look_back, change=change, random_state=args.seed, **params)
    needed = rows_needed(model)
    if len(series) < needed + 2:
        parser.error(
            f"column {args.column!r} has {len(series)} rows; --look-back "
            f"{look_back} needs at least {needed + 2}. Use a smaller "
            "--look-back or more data."
        )
    what = (
        f"an LSTM forecaster on {len(series)} rows of {args.column!r} "
        f"(look_back={look_back}, change={change})"
    )
    return model, 1, what


def _pretrained_frequency(data, season):
    """The pretrained model's frequency for this data, or (None, why not)."""
    from sklstm.pretrained._forecaster import frequency_of

    found = frequency_of(data)
    if found is None:  # no dates: go by the season length
        found = {12: "monthly", 4: "quarterly", None: "yearly"}.get(season)
    if found not in ("monthly", "quarterly", "yearly"):
        return None, f"no pretrained model covers {found or 'this'} data"
    return found, None


def _pretrained_candidates(parser, args, data, season):
    """{name: PretrainedForecaster} for this data, or ({}, why not)."""
    from sklstm.pretrained import PretrainedForecaster
    from sklstm.pretrained._store import FREQUENCIES

    frequency, why = _pretrained_frequency(data, season)
    if frequency is not None and args.steps > FREQUENCIES[frequency]["max_steps"]:
        why = (
            f"the pretrained {frequency} model forecasts at most "
            f"{FREQUENCIES[frequency]['max_steps']} steps"
        )
    elif frequency is not None and (data < 0).any():
        why = "the pretrained models read non-negative series only"
    if why is not None:
        return {}, why
    name = f"pretrained {frequency}"
    candidates = {name: PretrainedForecaster(frequency)}
    if args.fine_tune_epochs:
        candidates[f"{name}, fine-tuned"] = PretrainedForecaster(
            frequency, fine_tune_epochs=args.fine_tune_epochs, random_state=args.seed
        )
    return candidates, None


def _baseline_model(name, season, steps):
    """The naive method ``name`` as a regressor, and the horizon it is fitted on."""
    from sklstm.baselines import (
        DriftRegressor,
        PersistenceRegressor,
        SeasonalNaiveRegressor,
    )

    if name == "persistence":
        return PersistenceRegressor(), 1
    if name == "seasonal naive":
        return SeasonalNaiveRegressor(season), 1
    return DriftRegressor(), steps


def _run_forecast(parser, args):
    from sklstm.backtesting import FEW_WINDOWS
    from sklstm.forecasting import forecast
    from sklstm.panel import check_panel
    from sklstm.preprocessing import make_supervised

    if args.plot:
        try:
            from sklstm.plotting import _pyplot

            _pyplot()
        except ImportError as exc:
            parser.error(str(exc))
    panel = args.id_column is not None
    if panel:
        data = _read_panel(
            parser, args.file, args.id_column, args.time_column, args.column
        )
        layout = check_panel(data)
        times = data.index.get_level_values(1)
    else:
        if args.time_column is not None:
            parser.error("--time-column goes with --id-column (a long table)")
        data = _read_series(parser, args.file, args.column)
        times = data.index
    season = (
        args.season_length if args.season_length is not None else _season_length(times)
    )
    # as backtest counts them: the (value, next value) pairs before the
    # last --steps values, which its latest fit trains on
    n_windows = int(
        np.maximum(data.groupby(level=0).size() - args.steps - 1, 0).sum()
        if panel
        else max(len(data) - args.steps - 1, 0)
    )
    say = sys.stderr if args.json else sys.stdout
    candidates, horizons, described = {}, {}, {}
    if args.model in ("auto", "local") and (
        args.model == "local" or n_windows >= FEW_WINDOWS
    ):
        if panel:
            model, horizon, what = _panel_recipe(parser, args, data, layout, season)
        else:
            model, horizon, what = _series_recipe(parser, args, data)
        name = "local LSTM"
        candidates[name], horizons[name], described[name] = model, horizon, what
    elif args.model == "auto":
        print(
            f"Only {n_windows} training windows: too few to train an LSTM on "
            f"({FEW_WINDOWS} or more needed), so no LSTM is trained on this data.",
            file=say,
        )
    if args.model in ("auto", "pretrained"):
        pretrained, why = _pretrained_candidates(parser, args, data, season)
        if why is not None and args.model == "pretrained":
            parser.error(f"--model pretrained: {why}; use --model local")
        if why is not None:
            print(f"No pretrained LSTM: {why}.", file=say)
        for name, model in pretrained.items():
            candidates[name], horizons[name] = model, args.steps
            described[name] = (
                f"the {name} LSTM (trained on public series, never on this data"
                + (
                    f"; then {args.fine_tune_epochs} epochs on it)"
                    if model.fine_tune_epochs
                    else ")"
                )
            )
    if not candidates:
        parser.error(
            f"no LSTM can forecast this data: only {n_windows} training windows "
            "and no pretrained model applies; give more history, or use "
            "--model local to train on it anyway"
        )
    if args.interval is not None:  # refused now, not after the training
        from sklstm.intervals import ConformalForecaster

        check = ConformalForecaster(next(iter(candidates.values())), steps=args.steps)
        try:
            check._check_calibration(data, [args.interval])
        except ValueError as exc:
            parser.error(str(exc))
    result = None
    chosen = next(iter(candidates))
    if not args.no_backtest:
        result = _run_backtest(parser, args, candidates, data, season, horizons)
        ranked = result.scores["mase"].sort_values(kind="stable")
        allowed = ranked.index if args.model == "auto" else list(candidates)
        chosen = next(name for name in ranked.index if name in allowed)
    if chosen in candidates:
        model, horizon, what = candidates[chosen], horizons[chosen], described[chosen]
    else:
        model, horizon = _baseline_model(chosen, season, args.steps)
        what = f"the {chosen} forecast, which scored best in the backtest"
    print(f"Forecasting with {chosen}: {what} ...", file=sys.stderr)
    if args.interval is not None:
        from sklstm.intervals import ConformalForecaster

        model = ConformalForecaster(model, steps=args.steps, season_length=season or 1)
    try:  # e.g. too few rows to calibrate an interval
        model.fit(*make_supervised(data, horizon=horizon))
        future = forecast(model, data, args.steps, interval=args.interval)
    except ValueError as exc:
        parser.error(str(exc))
    table = future.to_frame() if isinstance(future, pd.Series) else future
    if args.output:
        if panel:
            table.reset_index().to_csv(args.output, index=False)
        else:  # the index column keeps the input's name for it (its date column)
            table.to_csv(args.output, index_label=future.index.name or "time")
        print(f"Forecast written to {args.output}", file=sys.stderr)
    if args.plot:
        _plot(args, data, future, result, panel, chosen)
        print(f"Plot saved to {args.plot}", file=sys.stderr)
    if args.json:
        report = _json_report(result, table, panel)
        report["model"] = chosen
        print(json.dumps(report, indent=2))
        return 0
    print(f"Forecast by {chosen}:")
    print(future.to_string())
    return 0


def _plot(args, data, future, result, panel, chosen):
    if panel:
        from sklstm.plotting import plot_panel_forecast

        plot_panel_forecast(
            data, future, tail=4 * args.steps, title=args.column, path=args.plot
        )
        return
    from sklstm.plotting import plot_forecast

    backtested = None
    if result is not None:
        backtested = {f"backtest: {chosen}": result.forecasts[chosen]}
    plot_forecast(
        data,
        backtested,
        future=future,
        title=f"{args.column}: forecast",
        path=args.plot,
    )


def _run_backtest(parser, args, model, data, season, horizon):
    """Score the recipes on the last --steps values beside naive baselines."""
    from sklstm.backtesting import backtest

    print(
        f"Backtest: forecasting the last {args.steps} values from what precedes "
        "them ...",
        file=sys.stderr,
    )
    try:
        result = backtest(
            model, data, args.steps, season_length=season, horizon=horizon
        )
    except ValueError as exc:
        parser.error(f"{exc} (or skip the backtest with --no-backtest)")
    if not args.json:
        every = " of every series" if args.id_column is not None else ""
        mean = ", the mean over series" if args.id_column is not None else ""
        print(
            f"Backtest of the last {args.steps} values{every} ({result.n_origins} "
            f"origin{'s' if result.n_origins > 1 else ''}, {args.steps} steps "
            f"each), errors in the series' units and as MASE{mean}:"
        )
        print(result.scores.round(3).to_string())
    if result.advice:
        print(result.advice, file=sys.stderr if args.json else sys.stdout)
    return result


def _json_report(result, table, panel=False):
    """The forecast command's figures as one JSON-ready dict."""
    if panel:
        forecasts = {}
        for (series, label), row in table.iterrows():
            forecasts.setdefault(str(series), {})[str(label)] = {
                k: float(v) for k, v in row.items()
            }
    else:
        forecasts = {
            str(label): {k: float(v) for k, v in row.items()}
            for label, row in table.iterrows()
        }
    report = {"forecast": forecasts}
    if result is not None:
        report["backtest"] = {
            "scores": {
                method: {k: float(v) for k, v in row.items()}
                for method, row in result.scores.iterrows()
            },
            "n_origins": result.n_origins,
            "n_windows": result.n_windows,
        }
        report["advice"] = result.advice
    return report


def _run_demo(args):
    from sklstm.demo import run_airline_demo

    def progress(line):
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    results = run_airline_demo(
        random_state=args.seed,
        n_jobs=args.n_jobs,
        plot_path=args.plot or None,
        progress=progress,
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"Done in {results['seconds']:.0f} s.")
    return 0


def main(argv=None):
    """Run the ``sklstm`` command line.

    Parameters
    ----------
    argv : list of str or None, default=None
        Arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    status : int
        0 on success (errors exit with status 2 through argparse).
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _run_demo(args)
    if args.command == "forecast":
        return _run_forecast(parser, args)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
