"""Sphinx configuration of the sklstm documentation site.

Build it from the repository root (the command ``.ci/run`` runs; it sets
``SKLSTM_EXAMPLES_SMALL=1`` for the gallery unless it is set already)::

    sphinx-build -W -n --keep-going -b html docs docs/_build/html

Nothing is downloaded: there is no intersphinx. References to numpy, pandas,
scikit-learn or Keras objects that the docstrings make are listed one by one
in ``nitpick_ignore`` below.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout's sklstm, not an installed copy

# The examples gallery runs every script in examples/ with the small settings
# that the tests use too (examples/GALLERY_HEADER.rst documents the switch).
os.environ.setdefault("SKLSTM_EXAMPLES_SMALL", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import sklstm  # noqa: E402

project = "sklstm"
author = "the sklstm authors"
copyright = "the sklstm authors, BSD-3-Clause"
version = release = sklstm.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# pages included in another page (large panels and Dask), not built alone
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    "auto_examples/*.ipynb",
    "user_guide/large_panels.md",
    "user_guide/dask.md",
]
templates_path = ["_templates"]
nitpicky = True

# -- MyST (markdown pages) -------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc, autosummary, numpydoc ------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks = set()

# -- sphinx-gallery ------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # every script, under the names the tests and the README use
    "filename_pattern": r"/[a-z_]+\.py$",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "reset_modules": ("matplotlib",),
    "abort_on_example_error": True,
    "plot_gallery": "True",
    # "Examples using X" on each API page
    "doc_module": ("sklstm",),
    # no computation-times page: sphinx-gallery's loads its table scripts from
    # CDNs, and every page of this site works offline
    "write_computation_times": False,
    "backreferences_dir": "generated/backreferences",
}

# -- HTML ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklstm {release}"
html_static_path = ["_static"]
html_css_files = ["tables.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 8,
}
html_sidebars = {"changelog": [], "benchmarks": []}

# -- references that cannot resolve without intersphinx (listed one by one) ---
nitpick_ignore = [
    # scikit-learn objects named in sklstm's docstrings
    ("py:class", "sklearn.model_selection.TimeSeriesSplit"),
    ("py:obj", "sklearn.model_selection.TimeSeriesSplit"),
    ("py:func", "sklearn.model_selection.train_test_split"),
    ("py:obj", "sklearn.ensemble.VotingRegressor"),
    # numpydoc links EnsembleRegressor's n_features_in_ attribute to the
    # property VotingRegressor defines, and shows its docstring, which
    # uses scikit-learn's glossary
    ("py:obj", "n_features_in_"),
    ("std:term", "fit"),
]


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Document the members sklstm defines, not those its bases bring.

    The class pages list inherited members, so that ``LSTMRegressor.fit``
    (defined on a private base class) is shown; what scikit-learn's bases
    define (``get_params``, ``set_output``, the metadata-routing
    ``set_*_request`` methods) is documented by scikit-learn.
    """
    if what != "class" or skip:
        return None
    target = obj.fget if isinstance(obj, property) else obj
    if getattr(target, "__qualname__", "").startswith("tuple."):
        return True  # count() and index() of a named tuple
    module = getattr(target, "__module__", None)
    if module is None:
        return None
    return None if module.startswith("sklstm") else True


def setup(app):
    """Connect the member filter."""
    app.connect("autodoc-skip-member", _skip_foreign_members)
