"""A refit's cost: a new Keras model vs the same model with fresh weights.

sklstm builds a new Keras model at every fit (as a clone in a grid search or
a backtest fold does), and TensorFlow then traces the training step anew.
This measures what that tracing costs a small fit, the network sklearn's
checks and most tests fit: ``LSTM(8) -> Dense(1)``, Adam with clipnorm, 30
windows of 3 steps, 2 epochs of one batch.

Raw Keras, timed alternately (5 repeats, after one warm-up fit): building,
compiling and fitting a new model, and re-initialising the weights (the
layers' own initializers) and the optimizer's slots of one already-fitted
model and fitting it again, which reuses its traced step: the bound on what
reusing traced steps can save.

sklstm, timed alternately the same way: ``LSTMRegressor(units=8, epochs=2)``
fitted anew and predicting once, its network training and predicting itself
(as sklstm did before it pooled trainers), with a pooled trainer of the same
recipe training in its place (``sklstm/_traced_steps.py``), which ends with
the same weights, with a pooled predictor too, and pooled on twice the rows
(another count of steps per call, which the trainer takes as an argument).
All include building the estimator's own network.

Figures are printed, never asserted.

Run: python benchmarks/refit_tracing.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import statistics
import time

import numpy as np

REPEATS = 5


def main():
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    X = rng.random((30, 3, 1)).astype("float32")
    data = tf.data.Dataset.from_tensor_slices((X, X[:, -1, 0])).batch(32).repeat()

    def build():
        model = keras.Sequential(
            [keras.Input((None, 1)), keras.layers.LSTM(8), keras.layers.Dense(1)]
        )
        model.compile(keras.optimizers.Adam(0.01, clipnorm=1.0), "mse")
        model.optimizer.build(model.trainable_variables)
        return model

    def fit(model):
        model.fit(data, epochs=2, steps_per_epoch=1, verbose=0)
        return model

    def reinitialise(model):
        for layer in model.layers:
            owner = getattr(layer, "cell", layer)
            for name, initializer in (
                ("kernel", "kernel_initializer"),
                ("recurrent_kernel", "recurrent_initializer"),
                ("bias", "bias_initializer"),
            ):
                variable = getattr(owner, name, None)
                if variable is not None:
                    draw = getattr(owner, initializer)
                    variable.assign(draw(variable.shape, variable.dtype))
        for variable in model.optimizer.variables:
            variable.assign(tf.zeros_like(variable))
        return model

    fit(build())  # TensorFlow's one-time start
    reused = fit(build())
    new, again = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fit(build())
        new.append(time.perf_counter() - start)
        start = time.perf_counter()
        fit(reinitialise(reused))
        again.append(time.perf_counter() - start)
    a, b = statistics.median(new), statistics.median(again)
    for label, times, median in (
        ("new model, traced again", new, a),
        ("same model, new weights", again, b),
    ):
        print(f"{label}: median {median:.3f} s  {sorted(round(t, 3) for t in times)}")
    print(f"saved per refit: {a - b:.3f} s ({a / b:.0f}x)")
    sklstm_refits(X, X[:, -1, 0])


def sklstm_refits(X, y):
    from sklstm import LSTMRegressor, _network

    recipes = _network._trainer_recipe, _network._predictor_recipe
    more = np.concatenate([X, X]), np.concatenate([y, y])  # 2 batches an epoch

    def fit(pool_training, pool_predicting, data=(X, y)):
        if not pool_training:
            _network._trainer_recipe = lambda *_: None
        if not pool_predicting:
            _network._predictor_recipe = lambda *_: None
        try:
            start = time.perf_counter()
            LSTMRegressor(units=8, epochs=2, random_state=0).fit(*data).predict(X)
            return time.perf_counter() - start
        finally:
            _network._trainer_recipe, _network._predictor_recipe = recipes

    fit(True, True)  # builds the pooled trainer and predictor
    contenders = {
        "network trains and predicts itself": (False, False, (X, y)),
        "pooled trainer, network predicts itself": (True, False, (X, y)),
        "pooled trainer and predictor": (True, True, (X, y)),
        "pooled, twice the rows (2 steps a call)": (True, True, more),
    }
    times = {label: [] for label in contenders}
    for _ in range(REPEATS):
        for label, arguments in contenders.items():
            times[label].append(fit(*arguments))
    print("\nsklstm LSTMRegressor(units=8, epochs=2), fit and predict:")
    medians = {label: statistics.median(t) for label, t in times.items()}
    for label, median in medians.items():
        print(
            f"{label}: median {median:.3f} s  "
            f"{sorted(round(t, 3) for t in times[label])}"
        )
    itself, pooled = (
        medians["network trains and predicts itself"],
        min(
            medians["pooled trainer and predictor"],
            medians["pooled, twice the rows (2 steps a call)"],
        ),
    )
    print(f"saved per fit: {itself - pooled:.3f} s ({itself / pooled:.1f}x)")


if __name__ == "__main__":
    main()
