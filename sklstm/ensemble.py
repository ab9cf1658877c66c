"""EnsembleRegressor: the median (or mean) of several regressors, multi-output too.

scikit-learn's ``VotingRegressor`` fits clones of its estimators (in
parallel with ``n_jobs``) and averages them, but only for a 1D target and
only as a (weighted) mean. Forecasters predict ``horizon`` columns at once,
and a median is robust to one member that trained badly. This class keeps
``VotingRegressor``'s fitting, parameters and ``named_estimators_`` and
changes only those two things.
"""

import numpy as np
from sklearn.base import _fit_context
from sklearn.ensemble import VotingRegressor
from sklearn.ensemble._voting import _BaseVoting
from sklearn.utils import column_or_1d
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

__all__ = ["EnsembleRegressor"]


class EnsembleRegressor(VotingRegressor):
    """Fit several regressors on the same data and combine their predictions.

    A ``VotingRegressor`` (same ``estimators`` list of ``(name, estimator)``
    pairs, same parallel fitting and fitted attributes) that also takes a
    2D y (one column per horizon, as a direct multi-step forecaster
    predicts) and combines by the median or the mean of the members.
    Members that differ only in their seed, or in their look_back, make an
    ensemble of forecasters; :func:`sklstm.make_global_forecaster` builds
    one. :func:`sklstm.forecast` forecasts with each member and combines
    them with :meth:`combine` (the ensemble protocol).

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The members, fitted as clones; ``"drop"`` leaves one out.
    aggregate : {"median", "mean"}, default="median"
        How the members' predictions are combined, per row and output.
    n_jobs : int or None, default=None
        Members fitted in parallel (joblib).
    verbose : bool, default=False
        Print the time each member's fit takes.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members (without the dropped ones).
    named_estimators_ : Bunch
        The fitted members by name.
    n_features_in_ : int
        Number of columns of X.

    See Also
    --------
    sklearn.ensemble.VotingRegressor : The (weighted) mean of 1D regressors.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from sklstm import EnsembleRegressor
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> y = np.column_stack([X.ravel(), 2 * X.ravel()])  # two horizons
    >>> members = [("linear", LinearRegression()),
    ...            ("tree", DecisionTreeRegressor(random_state=0))]
    >>> EnsembleRegressor(members).fit(X, y).predict(X[:2]).round(3)
    array([[0., 0.],
           [1., 2.]])
    """

    _parameter_constraints = {  # noqa: RUF012 (sklearn's convention)
        **VotingRegressor._parameter_constraints,
        "aggregate": [StrOptions({"median", "mean"})],
    }
    _parameter_constraints.pop("weights")

    def __init__(self, estimators, *, aggregate="median", n_jobs=None, verbose=False):
        super().__init__(estimators, n_jobs=n_jobs, verbose=verbose)
        self.aggregate = aggregate

    # VotingRegressor's weights are not a parameter here (a weighted median is
    # rarely what a forecaster wants); the base class reads the attribute
    weights = None

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit a clone of every member on X and y.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows, passed to each member unchanged (a DataFrame keeps
            its index).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target; 2D for multi-output members.
        **fit_params : dict
            ``sample_weight``, passed to every member.

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        shape = getattr(y, "shape", None) or np.asarray(y).shape
        if len(shape) == 2 and shape[1] == 1:  # a column vector: 1D
            y = column_or_1d(y, warn=True)
        # VotingRegressor.fit would ravel every y to 1D: go to the shared base
        return _BaseVoting.fit(self, X, y, **fit_params)

    def combine(self, predictions):
        """Combine the members' predictions as :meth:`predict` does.

        Part of the ensemble protocol of :func:`sklstm.forecast`, which
        predicts with each fitted member in ``estimators_`` (opening
        pipelines and wrappers) and combines the results with this method.

        Parameters
        ----------
        predictions : list of array-like
            One prediction per member in ``estimators_``, all of the same
            shape.

        Returns
        -------
        y_pred : ndarray
            The median (or mean) over the members, float64.
        """
        stacked = np.stack([np.asarray(p, dtype=np.float64) for p in predictions])
        if self.aggregate == "median":
            return np.median(stacked, axis=0)
        return stacked.mean(axis=0)

    def predict(self, X):
        """Predict with every member and combine.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The median (or mean) of the members' predictions.
        """
        check_is_fitted(self)
        return self.combine([member.predict(X) for member in self.estimators_])

    def transform(self, X):
        """Each member's predictions, side by side.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict.

        Returns
        -------
        predictions : ndarray of shape (n_samples, n_members) or \
(n_samples, n_outputs, n_members)
            The members' predictions along the last axis.
        """
        check_is_fitted(self)
        return np.stack([m.predict(X) for m in self.estimators_], axis=-1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
