"""Bad input to LSTMRegressor / LSTMClassifier: clear errors, raised before training.

Every error message is pinned with ``match=``. A first fit that fails must
leave no network behind (no ``model_``) and must not have started Keras
training (a callback counts ``on_train_begin``).
"""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from sklstm import LSTMClassifier, LSTMRegressor

ESTIMATORS = [LSTMRegressor, LSTMClassifier]
# The classifiers these tests train have conv_filters=None (recurrent layers
# only): the errors are not about the default convolutional branch, which
# costs about a second more per fit (test_common.py and test_network.py test it).

# The module-scoped `fitted` is fitted once per xdist worker: the tests that
# read it are kept on one worker, so it is fitted once.
uses_fitted = pytest.mark.xdist_group("test_estimators_errors_fitted")


def _train_counter():
    import keras

    class TrainCounter(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.train_begins = 0

        def on_train_begin(self, logs=None):
            self.train_begins += 1

    return TrainCounter()


def _data(n=20, steps=4, features=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, steps, features)).astype(np.float32)
    y_reg = X[:, -1, 0].astype(float)
    y_clf = np.where(np.arange(n) % 2 == 0, "a", "b")
    return X, y_reg, y_clf


def _y_for(cls, y_reg, y_clf):
    return y_reg if cls is LSTMRegressor else y_clf


def assert_fit_raises(est, X, y, match, exc=ValueError, **fit_params):
    """``est.fit`` raises ``exc`` matching ``match`` before any training."""
    counter = _train_counter()
    if est.get_params()["callbacks"] is None:
        est.set_params(callbacks=[counter])
    with pytest.raises(exc, match=match):
        est.fit(X, y, **fit_params)
    assert not hasattr(est, "model_")
    assert counter.train_begins == 0


@pytest.fixture(scope="module")
def data():
    return _data()


@pytest.fixture(scope="module")
def fitted(data):
    X, y_reg, y_clf = data
    return {
        LSTMRegressor: LSTMRegressor(units=2, epochs=1, random_state=0).fit(X, y_reg),
        LSTMClassifier: LSTMClassifier(
            conv_filters=None, units=2, epochs=1, random_state=0
        ).fit(X, y_clf),
    }


# --------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("units", [0, (4, 0), "a", (), -3, 2.5, True, (4, "b")])
def test_bad_units(cls, units, data):
    X, y_reg, y_clf = data
    est = cls(units=units, epochs=1)
    assert_fit_raises(
        est,
        X,
        _y_for(cls, y_reg, y_clf),
        rf"The 'units' parameter of {cls.__name__} must be an int in the range "
        r"\[1, inf\) or a non-empty list or tuple of ints in the range \[1, inf\)\. "
        r"Got .* instead\.",
    )


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize(
    "param, value, message",
    [
        (
            "cell",
            "rnn",
            r"The 'cell' parameter of {name} must be a str among .*"
            r"Got 'rnn' instead",
        ),
        (
            "epochs",
            0,
            r"The 'epochs' parameter of {name} must be an int in the "
            r"range \[1, inf\)\. Got 0 instead",
        ),
        (
            "learning_rate",
            0,
            r"The 'learning_rate' parameter of {name} must be a "
            r"float in the range \(0(\.0)?, inf\)\. Got 0 instead",
        ),
        ("learning_rate", -0.1, r"The 'learning_rate' parameter of {name}"),
        (
            "learning_rate_schedule",
            "step",
            r"The 'learning_rate_schedule' parameter of {name} must be a str "
            r"among .*Got 'step' instead",
        ),
        (
            "dropout",
            1.0,
            r"The 'dropout' parameter of {name} must be a float in "
            r"the range \[0(\.0)?, 1(\.0)?\)\. Got 1.0 instead",
        ),
        ("recurrent_dropout", -0.1, r"The 'recurrent_dropout' parameter of {name}"),
        (
            "optimizer",
            "adagrad",
            r"The 'optimizer' parameter of {name} must be a "
            r"str among .*Got 'adagrad' instead",
        ),
        ("batch_size", 0, r"The 'batch_size' parameter of {name}"),
        (
            "batch_size",
            "max",
            r"The 'batch_size' parameter of {name} must be an int in the range "
            r"\[1, inf\) or a str among .*'auto'.*Got 'max' instead",
        ),
        ("clipnorm", 0, r"The 'clipnorm' parameter of {name} must be a float"),
        ("dense_units", 0, r"The 'dense_units' parameter of {name}"),
        ("validation_fraction", 1.0, r"The 'validation_fraction' parameter of {name}"),
        ("n_iter_no_change", 0, r"The 'n_iter_no_change' parameter of {name}"),
        ("shuffle", "always", r"The 'shuffle' parameter of {name}"),
        (
            "callbacks",
            (),
            r"The 'callbacks' parameter of {name} must be a list of "
            r"keras.callbacks.Callback instances or None",
        ),
    ],
)
def test_bad_parameter(cls, param, value, message, data):
    X, y_reg, y_clf = data
    est = cls(units=2, epochs=1).set_params(**{param: value})
    if param == "callbacks":
        with pytest.raises(ValueError, match=message.format(name=cls.__name__)):
            est.fit(X, _y_for(cls, y_reg, y_clf))
        assert not hasattr(est, "model_")
        return
    assert_fit_raises(
        est, X, _y_for(cls, y_reg, y_clf), message.format(name=cls.__name__)
    )


def test_bad_standardize_target(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1, standardize_target="yes"),
        X,
        y_reg,
        r"The 'standardize_target' parameter of LSTMRegressor",
    )


def test_bad_class_weight(data):
    X, _, y_clf = data
    assert_fit_raises(
        LSTMClassifier(units=2, epochs=1, class_weight="uniform"),
        X,
        y_clf,
        r"The 'class_weight' parameter of LSTMClassifier",
    )


def test_class_weight_names_unknown_label(data):
    X, _, y_clf = data
    assert_fit_raises(
        LSTMClassifier(units=2, epochs=1, class_weight={"a": 1, "z": 2}),
        X,
        y_clf,
        r"class_weight names labels that are not in y: \['z'\]",
    )


# --------------------------------------------------------------------------
# X
# --------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_1d_X_refused_with_the_fix(cls, data):
    _, y_reg, y_clf = data
    X1 = np.arange(20, dtype=float)
    est = cls(units=2, epochs=1)
    counter = _train_counter()
    est.set_params(callbacks=[counter])
    with pytest.raises(ValueError, match=r"1 dimensions") as info:
        est.fit(X1, _y_for(cls, y_reg, y_clf))
    message = str(info.value)
    assert "Reshape your data" in message
    assert "To3D" in message
    assert "(samples, time_steps, features)" in message
    assert "X.reshape(1, -1) for a single sample" in message
    assert not hasattr(est, "model_")
    assert counter.train_begins == 0


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_4d_X_refused(cls, data):
    X, y_reg, y_clf = data
    assert_fit_raises(
        cls(units=2, epochs=1),
        X[..., np.newaxis],
        _y_for(cls, y_reg, y_clf),
        r"got an array with 4 dimensions.*\(samples, time_steps, features\)",
    )


@pytest.mark.parametrize("cls", ESTIMATORS)
@uses_fitted
def test_1d_and_4d_X_refused_in_predict(cls, fitted, data):
    X, _, _ = data
    est = fitted[cls]
    with pytest.raises(ValueError, match=r"1 dimensions.*Reshape your data"):
        est.predict(X[0, :, 0])
    with pytest.raises(ValueError, match=r"4 dimensions"):
        est.predict(X[..., np.newaxis])


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_inf_in_X_names_rows(cls, value, data):
    X, y_reg, y_clf = data
    X = X.copy()
    X[2, 1, 0] = value
    X[5, 0, 1] = value
    assert_fit_raises(
        cls(units=2, epochs=1),
        X,
        _y_for(cls, y_reg, y_clf),
        r"Input X contains infinity in rows \[2, 5\]",
    )


@pytest.mark.parametrize("cls", ESTIMATORS)
@uses_fitted
def test_inf_in_X_names_rows_in_predict(cls, fitted, data):
    X, _, _ = data
    X = X[:4].copy()
    X[3, 0, 0] = np.inf
    with pytest.raises(ValueError, match=r"Input X contains infinity in rows \[3\]"):
        fitted[cls].predict(X)


def test_many_bad_rows_are_shortened(data):
    X, y_reg, _ = data
    X = X.copy()
    X[:15, 0, 0] = np.inf
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1),
        X,
        y_reg,
        r"rows \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9\] \.\.\. \(15 in all\)",
    )


def test_every_sample_all_nan(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1),
        np.full_like(X, np.nan),
        y_reg,
        r"Every sample of X is missing all its time steps",
    )


def test_zero_time_steps(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1), X[:, :0, :], y_reg, r"0 time steps"
    )


def test_inconsistent_lengths(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1),
        X,
        y_reg[:-1],
        r"inconsistent numbers of samples",
    )


@pytest.mark.parametrize("cls", ESTIMATORS)
@uses_fitted
def test_wrong_features_per_step_in_predict(cls, fitted, data):
    X, _, _ = data
    X3 = np.concatenate([X, X[:, :, :1]], axis=2)  # 3 features per step
    with pytest.raises(
        ValueError,
        match=rf"X has 3 features per time step, but {cls.__name__} was fitted "
        r"with 2",
    ):
        fitted[cls].predict(X3)
    with pytest.raises(ValueError, match=r"X has 1 features per time step"):
        fitted[cls].predict(X[:, :, 0])  # 2D: one feature per step


def test_wrong_number_of_columns_for_2d_fit(data):
    X, y_reg, _ = data
    reg = LSTMRegressor(units=2, epochs=1).fit(X[:, :, 0], y_reg)
    with pytest.raises(
        ValueError,
        match=r"X has 3 features, but LSTMRegressor is "
        r"expecting 4 features",
    ):
        reg.predict(X[:, :3, 0])


# --------------------------------------------------------------------------
# y
# --------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_y_none(cls, data):
    X, _, _ = data
    assert_fit_raises(
        cls(units=2, epochs=1),
        X,
        None,
        rf"{cls.__name__} requires y to be passed, but the target y is None",
    )


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("value, word", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_nan_or_inf_in_y_names_rows(cls, value, word, data):
    X, y_reg, _ = data
    y = y_reg.copy() if cls is LSTMRegressor else (np.arange(20) % 2).astype(float)
    y[[4, 11]] = value
    assert_fit_raises(
        cls(units=2, epochs=1), X, y, rf"Input y contains {word} in rows \[4, 11\]"
    )


def test_nan_in_2d_y_names_rows(data):
    X, y_reg, _ = data
    Y = np.column_stack([y_reg, y_reg])
    Y[6, 1] = np.nan
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1), X, Y, r"Input y contains NaN in rows \[6\]"
    )


def test_3d_y_for_regressor(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1),
        X,
        y_reg.reshape(-1, 1, 1),
        r"y must be 1D \(n_samples,\) or 2D \(n_samples, n_outputs\); got shape",
    )


def test_one_class_y_for_classifier(data):
    X, _, _ = data
    assert_fit_raises(
        LSTMClassifier(units=2, epochs=1),
        X,
        np.array(["only"] * len(X)),
        r"LSTMClassifier needs samples of at least 2 classes in y; got only one "
        r"class: \['only'\]",
    )


def test_continuous_y_for_classifier(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMClassifier(units=2, epochs=1), X, y_reg, r"Unknown label type"
    )


def test_2d_y_for_classifier(data):
    X, _, _ = data
    Y = np.column_stack([np.arange(20) % 2, np.arange(20) % 2])
    assert_fit_raises(
        LSTMClassifier(units=2, epochs=1), X, Y, r"y should be a 1d array"
    )


# --------------------------------------------------------------------------
# not fitted
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, method",
    [
        (LSTMRegressor, "predict"),
        (LSTMRegressor, "score"),
        (LSTMClassifier, "predict"),
        (LSTMClassifier, "predict_proba"),
    ],
)
def test_predict_before_fit(cls, method, data):
    X, y_reg, y_clf = data
    est = cls(units=2, epochs=1)
    args = (X, _y_for(cls, y_reg, y_clf)) if method == "score" else (X,)
    with pytest.raises(NotFittedError, match=r"is not fitted yet"):
        getattr(est, method)(*args)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_predict_after_failed_first_fit_is_not_fitted(cls, data):
    """A fit that failed leaves an unfitted estimator, not a half-fitted one."""
    X, y_reg, y_clf = data
    est = cls(units=2, epochs=1, stateful=True, batch_size=3)  # 20 % 3 != 0
    with pytest.raises(ValueError, match=r"multiple of batch_size=3"):
        est.fit(X, _y_for(cls, y_reg, y_clf))
    with pytest.raises(NotFittedError):
        est.predict(X)


# --------------------------------------------------------------------------
# warm start
# --------------------------------------------------------------------------


def _warm_regressor(X, y):
    counter = _train_counter()
    reg = LSTMRegressor(units=2, epochs=1, warm_start=True, callbacks=[counter])
    reg.fit(X, y)
    return reg, counter


def test_warm_start_with_other_number_of_outputs(data):
    X, y_reg, _ = data
    reg, counter = _warm_regressor(X, y_reg)
    model, curve = reg.model_, list(reg.loss_curve_)
    with pytest.raises(
        ValueError,
        match=r"warm_start=True continues a network with 1 outputs, but y has 2 "
        r"columns",
    ):
        reg.fit(X, np.column_stack([y_reg, y_reg]))
    assert counter.train_begins == 1
    assert reg.model_ is model
    assert reg.loss_curve_ == curve
    assert reg.predict(X).shape == (len(X),)


def test_warm_start_with_nan_after_complete_data(data):
    X, y_reg, _ = data
    reg, counter = _warm_regressor(X, y_reg)
    Xn = X.copy()
    Xn[0, 0, 0] = np.nan
    with pytest.raises(
        ValueError,
        match=r"warm_start=True continues .* without "
        r"missing time steps, but this X has NaN",
    ):
        reg.fit(Xn, y_reg)
    assert counter.train_begins == 1


def test_warm_start_with_other_features_per_step(data):
    X, y_reg, _ = data
    reg, counter = _warm_regressor(X, y_reg)
    with pytest.raises(ValueError, match=r"X has 1 features per time step"):
        reg.fit(X[:, :, :1], y_reg)
    assert counter.train_begins == 1


def test_warm_start_classifier_with_new_label(data):
    X, _, y_clf = data
    clf = LSTMClassifier(conv_filters=None, units=2, epochs=1, warm_start=True)
    clf.fit(X, y_clf)
    y_new = y_clf.copy()
    y_new[0] = "c"
    with pytest.raises(
        ValueError,
        match=r"labels the fitted classifier does not "
        r"know \(\['c'\]\)",
    ):
        clf.fit(X, y_new)
    assert clf.n_iter_ == 1


@pytest.mark.parametrize(
    "change",
    [{"batch_size": 2}, {"stateful": False}],
    ids=["batch_size", "stateful-off"],
)
def test_warm_start_stateful_with_other_setup(change, data):
    """A warm fit cannot change the stateful set-up its network was built for."""
    X, y_reg, _ = data
    counter = _train_counter()
    reg = LSTMRegressor(
        units=2,
        epochs=1,
        stateful=True,
        batch_size=1,
        warm_start=True,
        callbacks=[counter],
    ).fit(X, y_reg)
    reg.set_params(**change)
    with pytest.raises(ValueError, match=r"warm_start"):
        reg.fit(X, y_reg)
    assert counter.train_begins == 1


def test_warm_start_turning_stateful_on(data):
    X, y_reg, _ = data
    reg, counter = _warm_regressor(X, y_reg)
    reg.set_params(stateful=True, batch_size=1)
    with pytest.raises(ValueError, match=r"warm_start"):
        reg.fit(X, y_reg)
    assert counter.train_begins == 1


# --------------------------------------------------------------------------
# early stopping
# --------------------------------------------------------------------------


def test_regressor_validation_fraction_leaves_no_rows(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1, early_stopping=True, validation_fraction=0.99),
        X,
        y_reg,
        r"early_stopping with validation_fraction=0.99 leaves no training or no "
        r"validation rows out of 20",
    )


def test_classifier_too_few_validation_samples_warns_and_trains_all_epochs(data):
    X, _, _ = data
    y = np.array(["a"] * 19 + ["b"])  # one sample of "b" cannot be split
    clf = LSTMClassifier(
        conv_filters=None, units=2, epochs=3, early_stopping=True, random_state=0
    )
    with pytest.warns(UserWarning, match=r"class 'b' has 1 in all.*Training all 3"):
        clf.fit(X, y)
    assert clf.n_iter_ == 3
    assert "val_loss" not in clf.history_


def test_too_few_samples_left_to_train_does_not_advise_a_larger_share(data):
    X, _, _ = data
    y = np.array(["a", "b"] * 10)
    clf = LSTMClassifier(
        conv_filters=None,
        units=2,
        epochs=1,
        early_stopping=True,
        validation_fraction=0.95,
    )
    with pytest.warns(UserWarning, match="too few to tell when to stop") as caught:
        clf.fit(X, y)
    assert "raise validation_fraction" not in str(caught[0].message)


@pytest.mark.parametrize(
    "conv_filters", [(0,), 5, (), (4, 2.5), [True], "yes"], ids=str
)
def test_conv_filters_must_be_a_tuple_of_positive_ints(data, conv_filters):
    X, _, y_clf = data
    assert_fit_raises(
        LSTMClassifier(units=2, epochs=1, conv_filters=conv_filters),
        X,
        y_clf,
        r"'conv_filters' parameter of LSTMClassifier must be a str among "
        r"\{'auto'\}, None or a non-empty list or tuple of ints in the range",
    )


# --------------------------------------------------------------------------
# stateful
# --------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"shuffle": True},
            r"stateful=True\) carries state .* rows cannot be "
            r"shuffled: use shuffle='auto' or shuffle=False",
        ),
        ({"bidirectional": True}, r"stateful=True\) cannot be bidirectional"),
        (
            {"early_stopping": True},
            r"stateful=True\) does not support "
            r"early_stopping",
        ),
        (
            {"batch_size": 3},
            r"stateful=True\) needs the number of samples to be a "
            r"multiple of batch_size=3; got 20",
        ),
        (
            {"conv_filters": (4,)},
            r"stateful=True\) cannot have a convolutional branch",
        ),
    ],
    ids=["shuffle", "bidirectional", "early_stopping", "batch_size", "conv"],
)
def test_stateful_bad_combinations(cls, params, message, data):
    X, y_reg, y_clf = data
    kwargs = {"units": 2, "epochs": 1, "stateful": True, "batch_size": 1, **params}
    assert_fit_raises(cls(**kwargs), X, _y_for(cls, y_reg, y_clf), message)


def test_stateful_groups_of_wrong_length(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1, stateful=True, batch_size=1),
        X,
        y_reg,
        r"groups has 19 entries but X has 20 samples",
        groups=np.zeros(19),
    )


def test_stateful_groups_need_batch_size_1(data):
    X, y_reg, _ = data
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1, stateful=True, batch_size=2),
        X,
        y_reg,
        r"resets state at group changes only with batch_size=1; got batch_size=2",
        groups=np.repeat([0, 1], 10),
    )


def test_stateful_groups_of_wrong_length_in_predict(data):
    X, y_reg, _ = data
    reg = LSTMRegressor(units=2, epochs=1, stateful=True, batch_size=1).fit(X, y_reg)
    with pytest.raises(ValueError, match=r"groups has 3 entries but X has 20"):
        reg.predict(X, groups=[0, 0, 1])


# --------------------------------------------------------------------------
# loss names, warm start set-up, dropped samples
# --------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_unknown_loss_name_refused_before_training(cls, data):
    X, y_reg, y_clf = data
    assert_fit_raises(
        cls(units=2, epochs=1, loss="msee"),
        X,
        _y_for(cls, y_reg, y_clf),
        r"The 'loss' parameter of .* must be a name from keras.losses \(such as "
        r"'mse'.*\), a callable or None\. Got 'msee' instead\.",
    )


def test_warm_start_refuses_a_changed_standardize_target(data):
    X, y_reg, _ = data
    reg = LSTMRegressor(units=2, epochs=1, warm_start=True, random_state=0)
    reg.fit(X, y_reg)
    weights = [w.copy() for w in reg.model_.get_weights()]
    reg.set_params(standardize_target=False)
    with pytest.raises(ValueError, match=r"standardize_target=True.*restore it"):
        reg.fit(X, y_reg)
    for before, after in zip(weights, reg.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)


def test_classifier_warns_when_it_drops_sequences_and_names_lost_classes(data):
    X, _, _ = data
    X = X.copy()
    X[:3] = np.nan
    y = np.array(["rare"] * 3 + ["a", "b"] * 8 + ["a"])
    with pytest.warns(UserWarning, match=r"rows \[0, 1, 2\].*classes \['rare'\]"):
        clf = LSTMClassifier(conv_filters=None, units=2, epochs=1, random_state=0)
        clf.fit(X, y)
    assert clf.classes_.tolist() == ["a", "b", "rare"]


def test_stateful_row_count_error_counts_the_dropped_samples(data):
    X, y_reg, _ = data
    X = X.copy()
    X[0] = np.nan
    assert_fit_raises(
        LSTMRegressor(units=2, epochs=1, stateful=True, batch_size=4),
        X,
        y_reg,
        r"got 19 \(X had 20: 1 samples with no observed time step",
    )


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_callbacks_that_are_not_keras_callbacks_are_refused(cls, data):
    X, y_reg, y_clf = data
    with pytest.raises(
        ValueError,
        match=r"a list of keras.callbacks.Callback instances or None\. Got \[1\]",
    ):
        cls(units=2, epochs=1, callbacks=[1]).fit(X, _y_for(cls, y_reg, y_clf))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_ragged_samples_point_to_to_3d(cls, data):
    _, y_reg, y_clf = data
    ragged = [[1.0, 2.0], [3.0]] * 10
    assert_fit_raises(
        cls(units=2, epochs=1),
        ragged,
        _y_for(cls, y_reg, y_clf),
        r"different lengths or shapes.*sklstm.to_3d",
    )


def test_loss_aliases_that_compile_resolves_are_accepted(data):
    X, _, y_clf = data
    clf = LSTMClassifier(
        conv_filters=None, units=2, epochs=1, loss="crossentropy", random_state=0
    )
    assert clf.fit(X, y_clf).predict(X).shape == (len(X),)
