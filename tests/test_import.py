"""``import sklstm``: light, and every name a user is told about is there.

It and its transformers never import TensorFlow or Keras; every public name
resolves; every type a public function returns and every name the README
and the documentation pages import or call can be imported.
"""

import ast
import importlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sklstm

ROOT = Path(__file__).resolve().parents[1]
# the pages a user reads: the README and the documentation site's markdown
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

SCRIPT = textwrap.dedent(
    """
    import sys

    import numpy as np
    import pandas as pd

    import sklstm
    from sklstm import Differencer, LagWindower, To3D, make_supervised, to_3d
    from sklstm.datasets import load_airline, make_memory_sequences

    y = load_airline()
    X, target = make_supervised(y)
    windows = LagWindower(3).set_output(transform="pandas").fit_transform(X)
    assert windows.shape == (143, 3), windows.shape
    assert To3D().fit_transform(windows).shape == (143, 3, 1)
    assert Differencer(log=True).fit_transform(X).shape == (143, 1)
    assert to_3d([np.arange(3), np.arange(5)]).shape == (2, 5, 1)
    make_memory_sequences()
    dir(sklstm)

    heavy = sorted(
        name for name in sys.modules
        if name.split(".")[0] in ("tensorflow", "keras", "dask", "distributed")
    )
    print("HEAVY:" + ",".join(heavy))
    """
)


def test_import_does_not_load_tensorflow_keras_or_dask():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY:" in result.stdout
    heavy = result.stdout.split("HEAVY:", 1)[1].strip()
    assert heavy == "", f"imported: {heavy}"


def test_every_public_name_resolves():
    for name in sklstm.__all__:
        assert getattr(sklstm, name) is not None, name
    assert sorted(dir(sklstm)) == sorted(sklstm.__all__)


def _documented_names():
    """(module, name) for every sklstm name the README or a docs page uses.

    From the ``from sklstm... import`` lines of their Python code, and from
    dotted ``sklstm.something(...)`` calls anywhere in their text.
    """
    text = "\n".join(page.read_text() for page in PAGES if "_build" not in page.parts)
    found = set()
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        for node in ast.walk(ast.parse(textwrap.dedent(block))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "sklstm"
            ):
                found.update((node.module, alias.name) for alias in node.names)
    for dotted in re.findall(r"\bsklstm((?:\.[A-Za-z_]\w*)+)\(", text):
        module, _, name = f"sklstm{dotted}".rpartition(".")
        found.add((module, name))
    return sorted(found)


def test_the_pages_are_found():
    assert ROOT / "docs" / "user_guide" / "panels.md" in PAGES


@pytest.mark.parametrize("module, name", _documented_names())
def test_every_name_the_docs_use_is_importable(module, name):
    assert hasattr(importlib.import_module(module), name), f"{module}.{name}"


def test_the_types_public_functions_return_are_importable():
    result = sklstm.backtest(sklstm.PersistenceRegressor(), np.arange(40.0), steps=4)
    assert type(result) is sklstm.BacktestResult
    index = pd.MultiIndex.from_product([["a", "b"], range(4)])
    layout = sklstm.panel.check_panel(pd.Series(np.arange(8.0), index=index))
    assert type(layout) is sklstm.panel.PanelLayout
    scorer = sklstm.make_mase_scorer(pd.Series(np.arange(8.0), index=index))
    assert callable(scorer)
    assert callable(sklstm.neg_smape)
