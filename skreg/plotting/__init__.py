"""Figures that explain regularization: paths, CV curves, L1/L2 geometry.

Every function makes one figure and returns it (a matplotlib ``Figure``).
matplotlib is an optional dependency: it is imported when a figure is made,
never by ``import skreg.plotting``; on a machine without a display the Agg
backend is selected. The public names are loaded lazily from their
submodules, as in :mod:`skreg`.
"""

import importlib
import importlib.util

_LAZY = {
    # regularization paths
    "plot_path": "skreg.plotting._path",
    "plot_path_from_estimator": "skreg.plotting._path",
    # cross-validation
    "plot_cv_curve": "skreg.plotting._cv",
    "one_standard_error_alpha": "skreg.plotting._cv",
    # constraint geometry
    "constrained_optimum": "skreg.plotting._geometry",
    "plot_constraint_geometry": "skreg.plotting._geometry",
    "plot_geometry_panel": "skreg.plotting._geometry",
    "plot_penalized_surface": "skreg.plotting._geometry",
    "plot_lp_balls": "skreg.plotting._geometry",
    # overfitting
    "overfitting_curves": "skreg.plotting._overfitting",
    "plot_overfitting": "skreg.plotting._overfitting",
    # neural networks (skreg/plotting/_mlp.py)
    "plot_optimizer_comparison": "skreg.plotting._mlp",
    "plot_init_activation_stats": "skreg.plotting._mlp",
    "plot_batchnorm_effect": "skreg.plotting._mlp",
    "plot_early_stopping": "skreg.plotting._mlp",
    # census wage analysis (skreg/plotting/_wage.py)
    "plot_wage_fit": "skreg.plotting._wage",
    "plot_wage_coefficients": "skreg.plotting._wage",
    "plot_wage_path": "skreg.plotting._wage",
}


def _available(module):
    """True when the submodule exists (found without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # pragma: no cover - defensive
        return False


# Names whose submodule is not written yet are left out of ``__all__`` so
# that ``from skreg.plotting import *`` never fails.
__all__ = sorted(name for name, module in _LAZY.items() if _available(module))


def __getattr__(name):
    if name in _LAZY:
        module = _LAZY[name]
        try:
            value = getattr(importlib.import_module(module), name)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a real missing dependency inside it
                raise
            raise AttributeError(
                f"skreg.plotting.{name} is provided by {module}, which is not "
                "available in this version of skreg."
            ) from exc
        globals()[name] = value
        return value
    raise AttributeError(f"module 'skreg.plotting' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
