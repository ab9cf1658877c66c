"""
Samples, time steps, features
=============================

Samples, time steps, features: the reshapes LSTM users ask about, done for you.

Run:  ``python examples/reshape_basics.py``
"""

import numpy as np
import pandas as pd

from sklstm import LagWindower, LSTMRegressor, To3D, to_3d

# One series of 10 values is ONE sample of 10 time steps of 1 feature.
series = np.arange(10.0)
print("one series (10,)          -> to_3d:", to_3d(series).shape)

# Two parallel series are one sample of 10 time steps of 2 features.
two = np.column_stack([np.arange(10.0), np.arange(10.0) * 2])
print("two parallel series (10,2) -> to_3d:", to_3d(two).shape)

# Sequences of different lengths: one batch, NaN-padded in front (masked later).
print("lengths 3 and 5           -> to_3d:", to_3d([[1, 2, 3], [1, 2, 3, 4, 5]]).shape)

# The Q&A's table of 53394 rows x 3 columns, each row one window of 3 values:
table = np.random.default_rng(0).normal(size=(53394, 3))
print("(53394, 3) as 3 time steps x 1 feature:", To3D().fit_transform(table).shape)
print(
    "(53394, 3) as 1 time step x 3 features:",
    To3D(time_steps=1).fit_transform(table).shape,
)

# Rows in time order -> windows, without losing or shifting a row:
frame = pd.DataFrame({"a": np.arange(6.0), "b": np.arange(6.0) * 10})
lags = LagWindower(look_back=2).set_output(transform="pandas")
windows = lags.fit_transform(frame)
print("\nLagWindower(look_back=2) on 6 rows of 2 series:\n", windows)
X = To3D(n_features=2).fit_transform(windows)
print("To3D(n_features=2):", X.shape, "(samples, time_steps, features)")

# ... and an LSTM takes it as it is (the NaN step of row 0 is masked):
y = frame["a"].shift(-1).fillna(6.0).to_numpy()
model = LSTMRegressor(units=4, epochs=5, random_state=0).fit(X, y)
print("fitted LSTM predicts", model.predict(X).shape, "values, one per row")
