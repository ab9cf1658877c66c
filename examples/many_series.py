"""
One LSTM recipe over many series at once (a panel)
==================================================

One LSTM recipe over many series at once (a panel), scored beside a baseline.

The bundled panel of five US quarterly series (real GDP, consumption,
investment, government spending, disposable income) goes through a long
table and back; the last 8 quarters of every series are held out;
GridSearchCV tunes look_back and units with folds cut at each series' end;
the tuned model forecasts every series at once, and its sMAPE and MASE stand
beside repeating the last value.

Run:  ``python examples/many_series.py``

With ``SKLSTM_EXAMPLES_SMALL=1`` (the tests and the documentation build set
it) the networks train 5 epochs instead of 20 and the search tries 8 units
only, over 2 folds instead of 3, so the scores differ from the full run's.
The plot needs matplotlib (``pip install "sklstm[plot]"``).
"""

import os

import pandas as pd
from sklearn.model_selection import GridSearchCV

from sklstm import (
    PanelTimeSeriesSplit,
    PersistenceRegressor,
    forecast,
    make_forecaster,
    make_supervised,
    mase,
    smape,
    temporal_train_test_split,
    to_panel,
)
from sklstm.datasets import load_us_macro
from sklstm.metrics import neg_smape

# the one switch for small settings, shared by every example
SMALL = os.environ.get("SKLSTM_EXAMPLES_SMALL") == "1"
EPOCHS = 5 if SMALL else 20
UNITS = [8] if SMALL else [8, 16]
FOLDS = 2 if SMALL else 3


def main():
    panel = load_us_macro()
    long = panel.reset_index()  # series, quarter, value: one row per observation
    panel = to_panel(long, series="series", time="quarter", value="value")
    print("series lengths:", panel.groupby(level=0).size().to_dict())

    train, test = temporal_train_test_split(panel, test_size=8)
    X, y = make_supervised(train)
    search = GridSearchCV(
        make_forecaster(epochs=EPOCHS, random_state=0),
        {
            "regressor__lagwindower__look_back": [4, 8],
            "regressor__lstmregressor__units": UNITS,
        },
        cv=PanelTimeSeriesSplit(n_splits=FOLDS, test_size=8),
        scoring=neg_smape,
    ).fit(X, y)
    print("best:", {k.split("__")[-1]: v for k, v in search.best_params_.items()})

    future = forecast(search, train, steps=8)
    naive = forecast(PersistenceRegressor().fit(X, y), train, steps=8)
    print("\nsMAPE of the last 8 quarters, per series:")
    print(
        pd.DataFrame(
            {
                "lstm": smape(test, future, per_series=True),
                "last value": smape(test, naive, per_series=True),
            }
        ).round(2)
    )
    scores = {
        "sMAPE": (smape(test, future), smape(test, naive)),
        "MASE": (mase(test, future, y_train=train), mase(test, naive, y_train=train)),
    }
    print()
    for metric, (lstm, baseline) in scores.items():
        verdict = "the LSTM wins" if lstm < baseline else "THE LAST VALUE WINS"
        print(
            f"{metric} averaged over series: lstm {lstm:.2f}, "
            f"last value {baseline:.2f}: {verdict}"
        )
    plot(train, future, test)


def plot(train, future, test):
    """The last 5 years of each series, the forecast and what happened."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        print('\n(pip install "sklstm[plot]" to see the forecasts plotted)')
        return
    from sklstm.plotting import plot_panel_forecast

    plot_panel_forecast(train, future, actual=test, tail=20)
    plt.show()


if __name__ == "__main__":
    main()
