"""Both estimators' Parameters sections: written once, exactly their signature."""

import inspect

import pytest

from sklstm import LSTMClassifier, LSTMRegressor

try:
    from numpydoc.docscrape import ClassDoc
except ImportError:  # scikit-learn vendors numpydoc's parser
    from sklearn.externals._numpydoc.docscrape import ClassDoc


def _default(value):
    return f'"{value}"' if isinstance(value, str) else repr(value)


@pytest.mark.parametrize("estimator", [LSTMRegressor, LSTMClassifier])
def test_parameters_section_lists_the_signature_in_order(estimator):
    documented = ClassDoc(estimator)["Parameters"]
    signature = list(inspect.signature(estimator.__init__).parameters.values())[1:]
    assert [p.name for p in documented] == [p.name for p in signature]
    for doc, parameter in zip(documented, signature, strict=True):
        assert doc.type.endswith(f"default={_default(parameter.default)}"), doc
        assert " ".join(doc.desc).strip(), f"{parameter.name} has no description"


@pytest.mark.parametrize("estimator", [LSTMRegressor, LSTMClassifier])
def test_docstring_has_no_unfilled_placeholder(estimator):
    assert "{parameters}" not in estimator.__doc__
    for doc in ClassDoc(estimator)["Parameters"]:
        description = " ".join(doc.desc)
        assert "{" not in description and "}" not in description, doc.name
