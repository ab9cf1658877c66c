"""The ``sklstm`` command: ``sklstm demo`` and ``sklstm forecast FILE.csv``."""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sklstm._time_index import infer_frequency
from sklstm._validation import describe_rows
from sklstm._version import __version__

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
    fc.add_argument("--steps", type=int, required=True, help="values to forecast")
    fc.add_argument("--look-back", type=int, default=12, help="window length")
    fc.add_argument("--epochs", type=int, default=None, help="training epochs")
    fc.add_argument("--seed", type=int, default=0, help="random seed")
    fc.add_argument(
        "--interval",
        type=float,
        metavar="LEVEL",
        help="add a prediction interval of this nominal coverage, e.g. 0.9 "
        "(calibrated on the series' last rows; fits the recipe twice)",
    )
    fc.add_argument("--plot", metavar="PNG", help="save a plot here")
    fc.add_argument("--output", metavar="CSV", help="write the forecast here")
    return parser


def _read_series(parser, path, column):
    """The column of the CSV as a float Series with a time index if it has one."""
    if not Path(path).is_file():
        parser.error(f"no such file: {path}")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        parser.error(f"cannot read {path} as CSV: {exc}")
    if column not in frame.columns:
        parser.error(
            f"unknown column {column!r} in {path}; the columns are "
            f"{list(frame.columns)}"
        )
    first = frame.columns[0]
    if first != column and not pd.api.types.is_numeric_dtype(frame[first]):
        try:
            index = pd.DatetimeIndex(pd.to_datetime(frame[first]))
            freq = infer_frequency(index)
            if freq is not None:
                index = pd.DatetimeIndex(index, freq=freq)
            frame.index = index
        except (ValueError, TypeError):
            pass  # not dates: keep the row numbers
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        parser.error(
            f"column {column!r} has non-numeric values in rows "
            f"{describe_rows(bad.to_numpy())}, counting from 0 after the header; "
            "clean them first"
        )
    if values.isna().any():
        parser.error(f"column {column!r} has missing values; fill or drop them first")
    if isinstance(values.index, pd.DatetimeIndex) and values.index.freq is None:
        values = values.reset_index(drop=True)  # irregular dates: no future dates
    return values.astype(np.float64).rename(column)


def _run_forecast(parser, args):
    from sklstm.forecasting import forecast, make_forecaster, rows_needed
    from sklstm.preprocessing import make_supervised

    if args.steps < 1:
        parser.error("--steps must be at least 1")
    if args.look_back < 1:
        parser.error("--look-back must be at least 1")
    if args.interval is not None and not 0 < args.interval < 1:
        parser.error(
            f"--interval must be between 0 and 1 (e.g. 0.9 for 90%); got "
            f"{args.interval}"
        )
    if args.plot:
        try:
            from sklstm.plotting import _pyplot

            _pyplot()
        except ImportError as exc:
            parser.error(str(exc))
    series = _read_series(parser, args.file, args.column)
    change = "log_ratio" if (series > 0).all() else "difference"
    params = {} if args.epochs is None else {"epochs": args.epochs}
    model = make_forecaster(
        args.look_back, change=change, random_state=args.seed, **params
    )
    needed = rows_needed(model)
    if len(series) < needed + 2:
        parser.error(
            f"column {args.column!r} has {len(series)} rows; --look-back "
            f"{args.look_back} needs at least {needed + 2}. Use a smaller "
            "--look-back or more data."
        )
    print(
        f"Fitting an LSTM forecaster on {len(series)} rows of {args.column!r} "
        f"(look_back={args.look_back}, change={change}) ...",
        file=sys.stderr,
    )
    if args.interval is not None:
        from sklstm.intervals import ConformalForecaster

        model = ConformalForecaster(model, steps=args.steps)
    try:
        model.fit(*make_supervised(series))
    except ValueError as exc:  # e.g. too few rows to calibrate an interval
        parser.error(str(exc))
    try:
        future = forecast(model, series, args.steps, interval=args.interval)
    except ValueError as exc:
        parser.error(str(exc))
    if args.output:
        # the index column keeps the input's name for it (its date column)
        table = future.to_frame() if isinstance(future, pd.Series) else future
        table.to_csv(args.output, index_label=future.index.name or "time")
        print(f"Forecast written to {args.output}", file=sys.stderr)
    if args.plot:
        from sklstm.plotting import plot_forecast

        plot_forecast(
            series, future=future, title=f"{args.column}: forecast", path=args.plot
        )
        print(f"Plot saved to {args.plot}", file=sys.stderr)
    print(future.to_string())
    return 0


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
