"""
The airline-passengers LSTM tutorial, redone with sklstm parts
==============================================================

The tutorial's framings, each a Pipeline on the same split (train: the pairs
whose target is before 1957; test: the 48 target months 1957-01 .. 1960-12,
all predicted), scored beside the naive baselines on the same months:

1. look_back=1                      one lag, one time step
2. window of 3 as features           LagWindower(3) + To3D(time_steps=1)
3. window of 3 as time steps         LagWindower(3) + To3D()
4. stateful, 3 time steps, batch 1   LSTMRegressor(stateful=True, batch_size=1)
5. stacked stateful                  LSTMRegressor(units=(4, 4), stateful=True)
6. sklstm's recipe                   make_forecaster(): changes in, change out

Models 1-5 predict the LEVEL from min-max scaled inputs, as the tutorial does;
21 of the 48 test months lie above anything seen in training, which a level
model cannot reach. Model 6 predicts the change relative to the last value.

Run:  ``python examples/airline_passengers.py [--seeds 3]``

The plot (it needs matplotlib: ``pip install "sklstm[plot]"``) draws the
first seed's test predictions of a level model, sklstm's recipe and seasonal
naive over the observed series.

With ``SKLSTM_EXAMPLES_SMALL=1`` (the tests and the documentation build set
it) each model is fitted for one seed, models 1-3 train 50 epochs instead of
200 and the stateful models 10 instead of 50, so the figures differ from the
full run's.
"""

import argparse
import os
import time

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import LagWindower, LSTMRegressor, To3D, make_forecaster
from sklstm.datasets import load_airline
from sklstm.demo import airline_split, baseline_models, rmse

# the one switch for small settings, shared by every example
SMALL = os.environ.get("SKLSTM_EXAMPLES_SMALL") == "1"
LEVEL_EPOCHS = 50 if SMALL else 200  # LSTMRegressor's default
STATEFUL_EPOCHS = 10 if SMALL else 50


def level_pipeline(look_back, to3d, **lstm):
    """MinMaxScaler -> LagWindower -> To3D -> LSTMRegressor, pandas between steps.

    ``set_output(transform="pandas")`` keeps the time index after the scaler,
    so the test rows get their windows completed from the training rows.
    """
    return make_pipeline(
        MinMaxScaler(), LagWindower(look_back), to3d, LSTMRegressor(**lstm)
    ).set_output(transform="pandas")


MODELS = {
    "1. look_back=1": lambda seed: level_pipeline(
        1, To3D(), units=4, epochs=LEVEL_EPOCHS, random_state=seed
    ),
    "2. window 3 as features": lambda seed: level_pipeline(
        3, To3D(time_steps=1), units=4, epochs=LEVEL_EPOCHS, random_state=seed
    ),
    "3. window 3 as time steps": lambda seed: level_pipeline(
        3, To3D(), units=4, epochs=LEVEL_EPOCHS, random_state=seed
    ),
    "4. stateful, batch 1": lambda seed: level_pipeline(
        3,
        To3D(),
        units=4,
        stateful=True,
        batch_size=1,
        epochs=STATEFUL_EPOCHS,
        random_state=seed,
    ),
    "5. stacked stateful": lambda seed: level_pipeline(
        3,
        To3D(),
        units=(4, 4),
        stateful=True,
        batch_size=1,
        epochs=STATEFUL_EPOCHS,
        random_state=seed,
    ),
    "6. make_forecaster()": lambda seed: make_forecaster(random_state=seed),
}


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="The airline-passengers LSTM tutorial, redone with sklstm parts."
    )
    parser.add_argument(
        "--seeds", type=int, default=1 if SMALL else 3, help="seeds per model"
    )
    parser.add_argument(
        "--only", nargs="*", default=None, help="model numbers to run, e.g. 4 5"
    )
    args = parser.parse_args(argv)

    X_train, X_test, y_train, y_test = airline_split()
    print(
        f"train: {len(X_train)} pairs, test: {len(X_test)} target months "
        f"{y_test.index[0] + 1} .. {y_test.index[-1] + 1}\n"
    )
    rows, first_seed = [], {}  # first_seed: name -> test predictions of seed 0
    for name, model in baseline_models().items():
        first_seed[name] = model.fit(X_train, y_train).predict(X_test)
        rows.append((name, [rmse(y_test, first_seed[name])], 0.0))
    for name, make in MODELS.items():
        if args.only and name.split(".")[0] not in args.only:
            continue
        scores, start = [], time.perf_counter()
        for seed in range(args.seeds):
            predictions = make(seed).fit(X_train, y_train).predict(X_test)
            first_seed.setdefault(name, predictions)
            scores.append(rmse(y_test, predictions))
        seconds = (time.perf_counter() - start) / args.seeds
        rows.append((name, scores, seconds))
        print(f"{name:28s} RMSE {np.mean(scores):6.1f}  ({seconds:.0f} s per fit)")

    print(f"\nTest RMSE on the same {len(y_test)} months (thousands of passengers),")
    print(f"mean over {args.seeds} seeds (min .. max), fit seconds per model:\n")
    print(f"{'model':28s} {'RMSE':>6s}  {'range':>15s}  {'fit s':>5s}")
    for name, scores, seconds in rows:
        spread = f"{min(scores):.1f} .. {max(scores):.1f}" if len(scores) > 1 else ""
        print(f"{name:28s} {np.mean(scores):6.1f}  {spread:>15s}  {seconds:5.0f}")
    plot(first_seed, y_test)


def plot(first_seed, y_test):
    """The observed series and some models' test predictions, each at its month.

    A prediction made from row t is for month t+1, so it is drawn there.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        print('\n(pip install "sklstm[plot]" to see the predictions plotted)')
        return
    from sklstm.plotting import plot_forecast

    shown = ["seasonal_naive", "3. window 3 as time steps", "6. make_forecaster()"]
    predictions = {
        name: pd.Series(np.asarray(first_seed[name]), index=y_test.index + 1)
        for name in shown
        if name in first_seed
    }
    plot_forecast(
        load_airline().astype(float),
        predictions,
        title="Airline passengers: test predictions, a level model and sklstm's",
    )
    plt.show()


if __name__ == "__main__":
    main()
