"""scikit-learn's own estimator checks over every public sklstm estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import Differencer, LagWindower, LSTMClassifier, LSTMRegressor, To3D

TRANSFORMERS = [
    LagWindower(look_back=2),
    LagWindower(),
    Differencer(),
    To3D(),
]

# Tiny seeded networks: enough epochs to pass sklearn's score thresholds
# (check_regressors_train, check_classifiers_train), few enough to stay fast.
ESTIMATORS = [
    LSTMRegressor(units=8, epochs=30, learning_rate=0.02, random_state=0),
    LSTMClassifier(units=8, epochs=30, learning_rate=0.02, random_state=0),
]

# Output row t reads rows t-1, t-2, ... of its input: that is the design
# (a time series is ordered), so checks that permute or subset rows cannot hold.
_READS_EARLIER_ROWS = {
    "check_methods_sample_order_invariance": (
        "row t reads earlier rows by design, so permuting rows changes the output"
    ),
    "check_methods_subset_invariance": (
        "row t reads earlier rows by design, so a subset loses their history"
    ),
}

# class name -> {check name: one-line reason}, for failures the design
# causes regardless of parameters.
EXPECTED_FAILED_BY_CLASS = {
    "LSTMRegressor": {
        "check_methods_subset_invariance": (
            "float32 network: oneDNN rounds a batch of 1 and a batch of 20 "
            "differently (~2e-7 apart, the check allows 1e-7); it passes or fails "
            "with the weights, so this entry is not strict"
        ),
    },
}


def _reads_earlier_rows(estimator):
    if isinstance(estimator, LagWindower):
        return estimator.look_back > 1
    return isinstance(estimator, Differencer)


def expected_failed_checks(estimator):
    """The checks expected to fail for ``estimator``, each with its reason."""
    failed = dict(EXPECTED_FAILED_BY_CLASS.get(type(estimator).__name__, {}))
    if _reads_earlier_rows(estimator):
        failed.update(_READS_EARLIER_ROWS)
    return failed


@parametrize_with_checks(
    TRANSFORMERS,
    expected_failed_checks=expected_failed_checks,
    xfail_strict=True,
)
def test_sklearn_compatible_transformer(estimator, check):
    check(estimator)


# Not strict: the one expected failure is float rounding (see above), which an
# unlucky or lucky set of weights can also pass.
@parametrize_with_checks(
    ESTIMATORS,
    expected_failed_checks=expected_failed_checks,
    xfail_strict=False,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
