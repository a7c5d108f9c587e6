"""Sphinx configuration of the skreg documentation.

Build (warnings are errors, as in CI)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The ``.. plot::`` directives run package code (numba kernels, MLP training)
while the pages are built; matplotlib uses the non-interactive Agg backend.
"""

import os
import sys
from pathlib import Path

# Headless figures: set before matplotlib is imported by any extension.
os.environ["MPLBACKEND"] = "Agg"

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Document the working tree even when skreg is not installed (editable or not).
sys.path.insert(0, str(ROOT))

import skreg  # noqa: E402

# -- Project information -----------------------------------------------------
project = "skreg"
author = "the skreg developers"
copyright = "the skreg developers, BSD-3-Clause"
version = skreg.__version__
release = skreg.__version__

# -- General configuration ---------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.doctest",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
]
# sphinx.ext.intersphinx is deliberately not enabled: builds run offline.
# References to scikit-learn / NumPy names then stay unresolved, which is
# silent because nitpicky mode is off.
nitpicky = False
default_role = None

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "generated/benchmark_results.rst",  # included by user_guide/benchmarks.rst
]
source_suffix = {".rst": "restructuredtext"}
root_doc = "index"
language = "en"

# -- autodoc / autosummary ---------------------------------------------------
autosummary_generate = True  # stubs go to docs/generated/ (gitignored)
autosummary_imported_members = False
autodoc_default_options = {"members": False}
autodoc_typehints = "none"
autodoc_member_order = "bysource"

# -- numpydoc ----------------------------------------------------------------
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# Validation is run on demand, not during the build (see docs/README.rst).
numpydoc_validation_checks = set()

# -- matplotlib plot directive -----------------------------------------------
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_rcparams = {"figure.autolayout": False}
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt\n"
plot_working_directory = str(ROOT)

# -- doctest (``python -m sphinx -b doctest docs docs/_build/doctest``) -------
doctest_global_setup = "import numpy as np"
trim_doctest_flags = True
import doctest as _doctest  # noqa: E402

doctest_default_flags = (
    _doctest.ELLIPSIS
    | _doctest.NORMALIZE_WHITESPACE
    | _doctest.IGNORE_EXCEPTION_DETAIL
    | _doctest.DONT_ACCEPT_TRUE_FOR_1
)

# -- HTML output -------------------------------------------------------------
try:
    import pydata_sphinx_theme  # noqa: F401
except ImportError:  # pragma: no cover - fallback theme
    html_theme = "alabaster"
    html_theme_options = {}
else:
    html_theme = "pydata_sphinx_theme"
    html_theme_options = {
        "navigation_with_keys": False,
        "show_toc_level": 2,
        "secondary_sidebar_items": ["page-toc"],
    }
html_title = f"skreg {release}"
html_static_path = []
html_show_sourcelink = False


# -- benchmark results -------------------------------------------------------
# The benchmark scripts write markdown tables and PNGs to benchmarks/results/.
# Write an rst fragment showing whichever of them exist (a benchmark that has
# not been run yet is simply absent), included by user_guide/benchmarks.rst.
_BENCHMARKS = [
    ("lasso", "Lasso and elastic net: ``bench_lasso.py``"),
    ("wage", "Wage pipeline: ``bench_wage.py``"),
    ("mlp", "Multilayer perceptron: ``bench_mlp.py``"),
]


def _write_benchmark_results():
    results = ROOT / "benchmarks" / "results"
    lines = []
    for name, title in _BENCHMARKS:
        md = results / f"{name}.md"
        if not md.is_file():
            continue
        lines += [title, "-" * len(title), ""]
        png = results / f"{name}.png"
        if png.is_file():
            lines += [f".. image:: /../benchmarks/results/{name}.png",
                      f"   :alt: {name} benchmark", ""]
        lines += [
            f"``benchmarks/results/{name}.md``:",
            "",
            f".. literalinclude:: /../benchmarks/results/{name}.md",
            "   :language: markdown",
            "",
        ]
    if not lines:
        lines = ["No benchmark results are stored in this checkout yet.", ""]
    out = DOCS / "generated" / "benchmark_results.rst"
    out.parent.mkdir(exist_ok=True)
    text = "\n".join(lines)
    if not out.is_file() or out.read_text() != text:  # keep mtime: no rebuild
        out.write_text(text)


_write_benchmark_results()


# -- events ------------------------------------------------------------------
# Methods that scikit-learn generates on every estimator for metadata routing
# (``set_fit_request`` ...) carry scikit-learn's docstrings, whose references
# point into scikit-learn's own documentation: leave them out.
def _skip_member(app, what, name, obj, skip, options):
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return skip


# The public estimators are documented under their top-level names
# (``skreg.ElasticNetCD``). References written with the defining subpackage
# (``skreg.linear_model.ElasticNetCD``, ``skreg.neural_network.MLPFromScratch``)
# are resolved to the same page.
_ALIASED = ("skreg.linear_model.", "skreg.neural_network.")


# Inherited scikit-learn methods (``score``, ``get_metadata_routing``) link to
# labels of scikit-learn's user guide; without intersphinx they are shown as
# plain text instead of producing "undefined label" warnings.
_SKLEARN_LABELS = {"metadata_routing", "r2_score", "accuracy_score"}


def _resolve_alias(app, env, node, contnode):
    target = node.get("reftarget", "")
    if node.get("refdomain") == "std" and node.get("reftype") == "ref":
        return contnode if target in _SKLEARN_LABELS else None
    if node.get("refdomain") != "py":
        return None
    for prefix in _ALIASED:
        if target.startswith(prefix):
            short = "skreg." + target[len(prefix):]
            domain = env.get_domain("py")
            new = node.deepcopy()
            new["reftarget"] = short
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], short, new,
                contnode,
            )
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("missing-reference", _resolve_alias)
