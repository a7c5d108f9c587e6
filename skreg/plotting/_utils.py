"""Small helpers shared by the plotting functions.

matplotlib is an optional dependency of skreg: it is imported here, inside
functions, the first time a figure is made, never when ``skreg.plotting`` is
imported.
"""

import os
import sys

import numpy as np

__all__ = [
    "check_positive_alphas",
    "feature_colors",
    "figure_and_axes",
    "import_pyplot",
    "new_figure",
    "root_figure",
]


def _headless():
    """Return True when no graphical display is available (Linux/BSD only)."""
    if sys.platform.startswith(("win", "darwin")):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def import_pyplot():
    """Import and return ``matplotlib.pyplot``, selecting Agg when headless.

    The Agg backend is selected only when pyplot has not been imported yet,
    no backend was asked for through the ``MPLBACKEND`` environment variable
    and no display is available; an explicit choice of the user always wins.

    Returns
    -------
    plt : module
        The ``matplotlib.pyplot`` module.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    """
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "skreg.plotting requires matplotlib; install it with "
            "`pip install matplotlib` or `pip install skreg[plots]`."
        ) from exc
    if (
        "matplotlib.pyplot" not in sys.modules
        and not os.environ.get("MPLBACKEND")
        and _headless()
    ):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def root_figure(ax):
    """Return the top-level Figure holding ``ax`` (not a SubFigure)."""
    try:
        return ax.get_figure(root=True)
    except TypeError:  # matplotlib < 3.10 has no ``root`` argument
        fig = ax.figure
        while getattr(fig, "figure", fig) is not fig:
            fig = fig.figure
        return fig


def figure_and_axes(ax=None, *, figsize=(6.4, 4.8)):
    """Return ``(fig, ax)``: the given Axes and its figure, or new ones."""
    if ax is not None:
        return root_figure(ax), ax
    plt = import_pyplot()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def new_figure(fig=None, *, figsize=(6.4, 4.8)):
    """Return ``fig`` when given, else a new pyplot figure."""
    if fig is not None:
        return fig
    plt = import_pyplot()
    return plt.figure(figsize=figsize, layout="constrained")


def feature_colors(n):
    """Return ``n`` distinguishable colours (tab10, tab20, then viridis)."""
    import matplotlib as mpl

    if n <= 10:
        cmap = mpl.colormaps["tab10"]
        return [cmap(i) for i in range(n)]
    if n <= 20:
        cmap = mpl.colormaps["tab20"]
        return [cmap(i) for i in range(n)]
    cmap = mpl.colormaps["viridis"]
    return [cmap(x) for x in np.linspace(0.0, 0.95, n)]


def check_positive_alphas(alphas, name="alphas"):
    """Validate a 1-D array of finite positive regularization strengths."""
    alphas = np.asarray(alphas, dtype=np.float64)
    if alphas.ndim != 1 or alphas.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D array, got shape {alphas.shape}."
        )
    if not np.all(np.isfinite(alphas)) or np.any(alphas <= 0):
        raise ValueError(
            f"{name} must be finite and strictly positive to be drawn on a log scale."
        )
    return alphas
