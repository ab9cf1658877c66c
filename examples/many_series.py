"""One LSTM recipe over many series at once (a panel), scored beside a baseline.

Three monthly series of different lengths in a long table become a panel;
the last 6 months of every series are held out; GridSearchCV tunes look_back
and units with folds cut at each series' end; the tuned model forecasts every
series at once, and its sMAPE stands beside repeating the last value.

Run:  python examples/many_series.py
"""

import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV

from sklstm import (
    PanelTimeSeriesSplit,
    PersistenceRegressor,
    forecast,
    make_forecaster,
    make_supervised,
    smape,
    temporal_train_test_split,
    to_panel,
)
from sklstm.metrics import neg_smape


def main():
    rng = np.random.default_rng(0)
    months = pd.date_range("2015-01-31", periods=72, freq="ME")
    walks = [level + np.cumsum(rng.normal(1, 2, 72)) for level in (50, 80, 120)]
    long = pd.DataFrame(
        {
            "unique_id": np.repeat(["a", "b", "c"], 72),
            "ds": np.tile(months, 3),
            "y": np.concatenate(walks),
        }
    ).iloc[20:]  # series "a" starts later
    panel = to_panel(long, series="unique_id", time="ds", value="y")
    print("series lengths:", panel.groupby(level=0).size().to_dict())

    train, test = temporal_train_test_split(panel, test_size=6)
    X, y = make_supervised(train)
    search = GridSearchCV(
        make_forecaster(epochs=20, random_state=0),
        {
            "regressor__lagwindower__look_back": [6, 12],
            "regressor__lstmregressor__units": [8, 16],
        },
        cv=PanelTimeSeriesSplit(n_splits=3, test_size=6),
        scoring=neg_smape,
    ).fit(X, y)
    print("best:", {k.split("__")[-1]: v for k, v in search.best_params_.items()})

    future = forecast(search, train, steps=6)
    naive = forecast(PersistenceRegressor().fit(X, y), train, steps=6)
    print("\nsMAPE of the last 6 months, per series:")
    print(
        pd.DataFrame(
            {
                "lstm": smape(test, future, per_series=True),
                "last value": smape(test, naive, per_series=True),
            }
        ).round(2)
    )
    lstm, baseline = smape(test, future), smape(test, naive)
    print(f"\naveraged over series: lstm {lstm:.2f}, last value {baseline:.2f}")
    if lstm >= baseline:
        print("The last value wins here: prefer it, or give the LSTM more data.")


if __name__ == "__main__":
    main()
