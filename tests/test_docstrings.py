"""Every public docstring documents exactly the parameters its signature has.

Like scikit-learn's ``test_docstring_parameters``: the Parameters section of
each public class (against ``__init__``), function and method (defined in
sklstm) lists the signature's parameters, in order, and nothing else.
"""

import importlib
import inspect

import pytest
from numpydoc.docscrape import NumpyDocString

import sklstm

MODULES = [
    "sklstm.dask",
    "sklstm.datasets",
    "sklstm.forecasting",
    "sklstm.metrics",
    "sklstm.model_selection",
    "sklstm.panel",
    "sklstm.plotting",
    "sklstm.cli",
    "sklstm.demo",
]


def _has_parameters(obj):
    """Classes and functions; not scorers, not named tuples (records whose
    docstring lists Attributes)."""
    return inspect.isfunction(obj) or (
        inspect.isclass(obj) and not issubclass(obj, tuple)
    )


def _public_objects():
    seen = {}
    for name in sklstm.__all__:
        obj = getattr(sklstm, name)
        if _has_parameters(obj):
            seen[f"sklstm.{name}"] = obj
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if _has_parameters(obj):
                seen.setdefault(f"{module_name}.{name}", obj)
    for qualname, obj in list(seen.items()):
        if inspect.isclass(obj):
            for method_name, method in inspect.getmembers(obj, inspect.isfunction):
                if method_name.startswith("_") or not method.__module__.startswith(
                    "sklstm"
                ):
                    continue
                seen[f"{qualname}.{method_name}"] = method
    return seen


PUBLIC = _public_objects()


def _signature_names(obj):
    function = obj.__init__ if inspect.isclass(obj) else obj
    names = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name in ("self", "cls"):
            continue
        names.append(parameter.name)
    return names


def _documented_names(obj):
    doc = NumpyDocString(inspect.getdoc(obj) or "")
    names = []
    for parameter in doc["Parameters"]:
        for name in parameter.name.split(","):
            names.append(name.strip().lstrip("*"))
    return names


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_docstring_parameters_match_signature(qualname):
    obj = PUBLIC[qualname]
    assert inspect.getdoc(obj), f"{qualname} has no docstring"
    assert _documented_names(obj) == _signature_names(obj), (
        f"{qualname}: the docstring's Parameters section does not list the "
        "signature's parameters in order"
    )
