"""RelativeTargetRegressor: fit on the change of y relative to X's current level."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.dummy import DummyRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, Ridge

from sklstm import RelativeTargetRegressor

KINDS = ["difference", "ratio", "log_ratio"]


class Recorder(RegressorMixin, BaseEstimator):
    """Remembers exactly what fit and predict received; predicts zeros."""

    def fit(self, X, y):
        self.fit_X_ = X
        self.fit_y_ = y
        self.n_outputs_ = 1 if np.ndim(y) == 1 else np.shape(y)[1]
        return self

    def predict(self, X):
        self.predict_X_ = X
        shape = (len(X),) if self.n_outputs_ == 1 else (len(X), self.n_outputs_)
        return np.zeros(shape)


def _levels():
    return np.arange(1.0, 11.0).reshape(-1, 1)


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize(
    "kind, make_y",
    [
        ("difference", lambda x: x + 3.0),
        ("ratio", lambda x: 1.1 * x),
        ("log_ratio", lambda x: 1.1 * x),
    ],
)
def test_constant_change_is_learned_exactly(kind, make_y):
    X = _levels()
    y = make_y(X.ravel())
    model = RelativeTargetRegressor(DummyRegressor(), kind=kind).fit(X, y)
    X_new = np.array([[100.0], [0.5], [42.0]])
    assert_allclose(model.predict(X_new), make_y(X_new.ravel()), rtol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_inner_regressor_sees_the_relative_target(kind):
    X = np.array([[2.0, -1.0], [4.0, 5.0], [5.0, 0.0]])
    y = np.array([3.0, 2.0, 10.0])
    model = RelativeTargetRegressor(Recorder(), kind=kind).fit(X, y)
    expected = {
        "difference": y - X[:, 0],
        "ratio": y / X[:, 0],
        "log_ratio": np.log(y / X[:, 0]),
    }[kind]
    assert_allclose(model.regressor_.fit_y_, expected, rtol=1e-12)
    # Recorder predicts z = 0: back in y's units that is the level itself
    # (difference, log_ratio) or 0 * level (ratio)
    back = {"difference": X[:, 0], "ratio": 0 * X[:, 0], "log_ratio": X[:, 0]}
    assert_allclose(model.predict(X), back[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_with_linear_regression_on_exact_relation(kind):
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(1, 10, 30), rng.uniform(-1, 1, 30)])
    # z is exactly linear in X for each kind
    z = 0.05 + 0.02 * X[:, 1]
    y = {
        "difference": X[:, 0] + z,
        "ratio": X[:, 0] * z,
        "log_ratio": X[:, 0] * np.exp(z),
    }[kind]
    model = RelativeTargetRegressor(LinearRegression(), kind=kind).fit(X, y)
    assert_allclose(model.predict(X), y, rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- target column


def test_target_by_position():
    X = np.column_stack([np.full(5, 7.0), np.arange(1.0, 6.0)])
    y = X[:, 1] + 2.0
    model = RelativeTargetRegressor(DummyRegressor(), target=1, kind="difference")
    assert_allclose(model.fit(X, y).predict(X), y)
    # negative positions count from the end
    model = RelativeTargetRegressor(DummyRegressor(), target=-1, kind="difference")
    assert_allclose(model.fit(X, y).predict(X), y)


def test_target_by_column_name():
    X = pd.DataFrame({"other": np.full(5, 7.0), "level": np.arange(1.0, 6.0)})
    y = 1.5 * X["level"]
    model = RelativeTargetRegressor(DummyRegressor(), target="level", kind="ratio")
    assert_allclose(model.fit(X, y).predict(X), y)
    assert_array_equal(model.feature_names_in_, ["other", "level"])
    assert model.n_features_in_ == 2


def test_unknown_column_name_errors_and_lists_columns():
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    model = RelativeTargetRegressor(DummyRegressor(), target="zzz")
    with pytest.raises(ValueError, match=r"'zzz'.*\['a', 'b'\]"):
        model.fit(X, [1.0, 2.0])


@pytest.mark.parametrize("target", [2, -3, 10])
def test_out_of_range_position_errors(target):
    X = np.ones((4, 2))
    model = RelativeTargetRegressor(DummyRegressor(), target=target)
    with pytest.raises(ValueError, match=rf"target={target}.*out of range"):
        model.fit(X, np.ones(4))


def test_name_with_numpy_x_errors():
    model = RelativeTargetRegressor(DummyRegressor(), target="level")
    with pytest.raises(ValueError, match="no column names"):
        model.fit(np.ones((4, 1)), np.ones(4))


def test_name_fitted_on_frame_then_numpy_in_predict_errors():
    X = pd.DataFrame({"level": np.arange(1.0, 5.0)})
    model = RelativeTargetRegressor(DummyRegressor(), target="level")
    model.fit(X, 2 * X["level"])
    with pytest.raises(ValueError, match="no column names"):
        model.predict(X.to_numpy())


def test_bad_kind_is_rejected_in_fit():
    model = RelativeTargetRegressor(DummyRegressor(), kind="percent")
    with pytest.raises(ValueError, match="kind"):
        model.fit(np.ones((3, 1)), np.ones(3))


# ---------------------------------------------------------------- bad values


def test_log_ratio_non_positive_target_errors_naming_rows():
    X = np.array([[1.0], [0.0], [2.0], [-3.0]])
    model = RelativeTargetRegressor(DummyRegressor(), kind="log_ratio")
    with pytest.raises(ValueError, match=r"positive.*rows \[1, 3\]"):
        model.fit(X, np.ones(4))


def test_log_ratio_non_positive_y_errors_naming_rows():
    X = np.ones((4, 1))
    y = np.array([1.0, 2.0, -1.0, 3.0])
    model = RelativeTargetRegressor(DummyRegressor(), kind="log_ratio")
    with pytest.raises(ValueError, match=r"values in y.*rows \[2\]"):
        model.fit(X, y)


def test_ratio_zero_target_errors_naming_rows():
    X = np.array([[1.0], [0.0], [2.0]])
    model = RelativeTargetRegressor(DummyRegressor(), kind="ratio")
    with pytest.raises(ValueError, match=r"nonzero.*rows \[1\]"):
        model.fit(X, np.ones(3))


def test_difference_accepts_zero_and_negative_values():
    X = np.array([[0.0], [-2.0], [3.0]])
    y = X.ravel() - 1.0
    model = RelativeTargetRegressor(DummyRegressor(), kind="difference").fit(X, y)
    assert_allclose(model.predict(X), y)


def test_row_count_mismatch_errors():
    model = RelativeTargetRegressor(DummyRegressor())
    with pytest.raises(ValueError, match="rows"):
        model.fit(np.ones((4, 1)), np.ones(3))


# ---------------------------------------------------------------- 2D y


@pytest.mark.parametrize("kind", KINDS)
def test_horizon_columns(kind):
    X = _levels()
    level = X.ravel()
    y = np.column_stack([1.1 * level, 1.21 * level, 1.331 * level])
    model = RelativeTargetRegressor(LinearRegression(), kind=kind).fit(X, y)
    pred = model.predict(X)
    assert pred.shape == (10, 3)
    assert_allclose(pred, y, rtol=1e-10)
    assert_allclose(model.predict([[50.0]]), [[55.0, 60.5, 66.55]], rtol=1e-10)


def test_horizon_columns_dataframe_y_keeps_index_for_inner():
    index = pd.period_range("2020-01", periods=4, freq="M")
    X = pd.DataFrame({"v": [1.0, 2.0, 3.0, 4.0]}, index=index)
    y = pd.DataFrame({"v_t+1": [2.0, 3, 4, 5], "v_t+2": [3.0, 4, 5, 6]}, index=index)
    model = RelativeTargetRegressor(Recorder(), kind="difference").fit(X, y)
    got = model.regressor_.fit_y_
    assert isinstance(got, pd.DataFrame)
    assert got.index.equals(index)
    assert_allclose(got.to_numpy(), [[1, 2]] * 4)
    assert model.predict(X).shape == (4, 2)


# ---------------------------------------------------------------- pandas pass-through


def test_pandas_x_passes_through_with_its_index():
    index = pd.period_range("1950-01", periods=6, freq="M")
    X = pd.DataFrame({"level": np.arange(1.0, 7.0), "other": 0.0}, index=index)
    y = pd.Series(X["level"].to_numpy() * 2, index=index, name="level")
    model = RelativeTargetRegressor(Recorder(), kind="log_ratio").fit(X, y)
    inner = model.regressor_
    assert inner.fit_X_ is X  # unchanged object, index included
    assert isinstance(inner.fit_y_, pd.Series)
    assert inner.fit_y_.index.equals(index)
    assert_allclose(inner.fit_y_.to_numpy(), np.log(2.0))
    X_test = pd.DataFrame(
        {"level": [7.0, 8.0], "other": 0.0},
        index=pd.period_range("1950-07", periods=2, freq="M"),
    )
    assert_allclose(model.predict(X_test), [7.0, 8.0])
    assert inner.predict_X_ is X_test


def test_fit_params_are_passed_to_the_regressor():
    X = _levels()
    y = 1.1 * X.ravel()
    weights = np.r_[np.zeros(5), np.ones(5)]
    model = RelativeTargetRegressor(LinearRegression(), kind="difference")
    model.fit(X, y, sample_weight=weights)
    assert_allclose(model.predict(X), y, rtol=1e-10)


def test_plain_lists_are_accepted():
    X = [[1.0], [2.0], [4.0]]
    y = [1.1, 2.2, 4.4]
    model = RelativeTargetRegressor(LinearRegression(), kind="log_ratio").fit(X, y)
    assert model.n_features_in_ == 1
    assert_allclose(model.predict([[10.0]]), [11.0])


def test_missing_y_gets_sklearn_message():
    model = RelativeTargetRegressor(LinearRegression())
    with pytest.raises(ValueError, match="requires y to be passed"):
        model.fit(np.ones((3, 1)), None)


def test_predict_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        RelativeTargetRegressor(LinearRegression()).predict(np.ones((2, 1)))


# ---------------------------------------------------------------- sklearn citizenship


def test_nested_get_and_set_params():
    model = RelativeTargetRegressor(Ridge(alpha=1.0), target=0, kind="ratio")
    params = model.get_params()
    assert params["regressor__alpha"] == 1.0
    assert params["kind"] == "ratio"
    model.set_params(regressor__alpha=3.0, kind="difference", target=1)
    assert model.regressor.alpha == 3.0
    assert (model.kind, model.target) == ("difference", 1)


def test_clone_gives_unfitted_copy_with_same_params():
    model = RelativeTargetRegressor(Ridge(alpha=2.0), kind="difference")
    model.fit(_levels(), _levels().ravel() + 1)
    copy = clone(model)
    assert not hasattr(copy, "regressor_")
    assert copy.get_params()["regressor__alpha"] == 2.0
    assert copy.regressor is not model.regressor


def test_fit_does_not_modify_the_given_regressor():
    inner = LinearRegression()
    RelativeTargetRegressor(inner).fit(_levels(), 1.1 * _levels().ravel())
    assert not hasattr(inner, "coef_")


def test_pickle_round_trip_keeps_predictions():
    X = _levels()
    y = 1.1 * X.ravel() + 0.3
    model = RelativeTargetRegressor(LinearRegression(), kind="log_ratio").fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.predict(X), model.predict(X))


def test_tags_follow_the_inner_regressor():
    from sklearn.utils import get_tags

    from sklstm import PersistenceRegressor

    assert not get_tags(
        RelativeTargetRegressor(LinearRegression())
    ).input_tags.allow_nan
    tags = get_tags(RelativeTargetRegressor(PersistenceRegressor()))
    assert tags.input_tags.allow_nan


def test_nan_in_y_is_named_by_row():
    y = np.arange(2.0, 12.0)
    y[[3, 7]] = np.nan
    model = RelativeTargetRegressor(DummyRegressor(), kind="difference")
    with pytest.raises(ValueError, match=r"y contains NaN in rows \[3, 7\].*drop"):
        model.fit(_levels(), y)


@pytest.mark.parametrize("kind", KINDS)
def test_nan_in_the_target_column_is_named_before_the_inner_fit(kind):
    X = _levels()
    X[4] = np.nan
    inner = Recorder()
    model = RelativeTargetRegressor(inner, kind=kind)
    with pytest.raises(
        ValueError, match=r"target column of X \(0\) contains NaN in rows \[4\]"
    ):
        model.fit(X, np.arange(2.0, 12.0))
    assert not hasattr(model, "regressor_")


def test_nan_and_infinity_in_y_are_both_named():
    y = np.arange(2.0, 12.0)
    y[1], y[2] = np.nan, np.inf
    model = RelativeTargetRegressor(DummyRegressor(), kind="difference")
    with pytest.raises(
        ValueError, match=r"y contains NaN or infinity in rows \[1, 2\]"
    ):
        model.fit(_levels(), y)
