"""Figures of the wage report.

Every function takes a :class:`skreg.wage.WageAnalysis` (from
:func:`skreg.wage.run_wage_analysis`) and returns a matplotlib Figure.
matplotlib is imported inside the functions only.
"""

import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd

__all__ = ["plot_wage_coefficients", "plot_wage_fit", "plot_wage_path"]

_MAX_HUE_LEVELS = 8
# Fonts with Japanese glyphs, tried in this order when labels need them.
_CJK_FONTS = (
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAPGothic",
    "IPAGothic",
    "TakaoPGothic",
    "VL PGothic",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic",
    "Meiryo",
    "MS Gothic",
)


def _analysis_texts(analysis):
    texts = [analysis.target, *analysis.categorical, *analysis.numeric]
    for col in analysis.categorical:
        texts.extend(str(v) for v in pd.unique(analysis.data[col])[:50])
    return texts


@contextmanager
def wage_font_context(texts):
    """Fonts for labels that need CJK glyphs (Japanese column names or levels).

    Yields None when no label needs them, the name of the CJK font used when
    one is installed, and False when none is: then matplotlib's "Glyph
    missing" warnings are silenced inside the context (the glyphs show as
    boxes) and the caller can say so once.
    """
    import matplotlib

    if not any(ord(ch) > 0x2E7F for t in texts for ch in str(t)):
        yield None
        return
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    found = [f for f in _CJK_FONTS if f in available]
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        if found:
            fallback = found + list(matplotlib.rcParams["font.sans-serif"])
            with matplotlib.rc_context(
                {"font.family": ["sans-serif"], "font.sans-serif": fallback}
            ):
                yield found[0]
        else:
            yield False


def _with_fonts(func):
    """Run a plotting function under :func:`wage_font_context`."""
    import functools

    @functools.wraps(func)
    def wrapper(analysis, *args, **kwargs):
        with wage_font_context(_analysis_texts(analysis)):
            return func(analysis, *args, **kwargs)

    return wrapper


def _pyplot():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline"):
        import os

        if (
            os.name != "nt"
            and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")
        ):
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _default_fixed(analysis, hue):
    from skreg.datasets import COMPANY_SIZE_LEVELS
    from skreg.wage import level_order

    fixed = {}
    for col in analysis.categorical:
        if col == hue:
            continue
        levels = level_order(analysis.data[col])
        if set(levels) == set(COMPANY_SIZE_LEVELS):
            fixed[col] = "large"
        else:
            fixed[col] = analysis.data[col].value_counts().index[0]
    return fixed


@_with_fonts
def plot_wage_fit(analysis, *, estimators=None, x=None, hue=None, fixed=None, ncols=3):
    """Salary against age per education level, with each model's fitted lines.

    The lecture's figure: for one company size (large by default) the
    observed salary (mean per age and level; rows outside the analysis
    filter, such as ages 55 and over, as open markers) and, in one panel per
    estimator, the predictions of the fitted model for each level.

    Parameters
    ----------
    analysis : WageAnalysis
        Result of :func:`skreg.wage.run_wage_analysis`.

    estimators : list of str or None, default=None
        Keys of the estimators to show (default: all that were fitted).

    x : str or None, default=None
        Numeric column on the horizontal axis (default: the first numeric
        column, ``age``).

    hue : str or None, default=None
        Categorical column drawn as one line per level (default: the first
        categorical column, ``education``; at most 8 levels, the most
        frequent).

    fixed : dict or None, default=None
        Levels at which the other categorical columns are held; default:
        ``large`` for the company-size column, otherwise each column's most
        frequent level. Other numeric columns are held at their median.

    ncols : int, default=3
        Panels per row.

    Returns
    -------
    fig : matplotlib.figure.Figure

    See Also
    --------
    plot_wage_coefficients, plot_wage_path

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import run_wage_analysis
    >>> from skreg.plotting._wage import plot_wage_fit
    >>> res = run_wage_analysis(load_wages(), query="age < 55",
    ...                         estimators=["ols"], path=False)
    >>> fig = plot_wage_fit(res)
    >>> len(fig.axes)
    1
    """
    from skreg.wage import level_order

    plt = _pyplot()
    if not analysis.numeric and x is None:
        raise ValueError("plot_wage_fit needs a numeric column for the x axis.")
    x = analysis.numeric[0] if x is None else x
    if hue is None and analysis.categorical:
        hue = analysis.categorical[0]
    fixed = _default_fixed(analysis, hue) if fixed is None else dict(fixed)
    keys = list(analysis.results) if estimators is None else list(estimators)
    if not keys:
        raise ValueError("The analysis has no fitted estimator to plot.")
    target = analysis.target

    # observed means, restricted to the fixed levels
    obs = analysis.data_all
    mask = np.ones(obs.shape[0], dtype=bool)
    for col, lvl in fixed.items():
        mask &= (obs[col] == lvl).to_numpy()
    obs = obs[mask]
    in_fit = obs.index.isin(analysis.data.index)
    xv = obs[x].to_numpy(dtype=float)
    if np.unique(xv).size > 40:  # many distinct values: bin them
        edges = np.linspace(xv.min(), xv.max(), 21)
        idx = np.clip(np.searchsorted(edges, xv, side="right") - 1, 0, 19)
        xv = 0.5 * (edges[idx] + edges[idx + 1])
    obs = obs.assign(_x=xv, _in=in_fit)

    if hue is not None:
        levels = level_order(analysis.data[hue])
        if len(levels) > _MAX_HUE_LEVELS:
            top = set(analysis.data[hue].value_counts().index[:_MAX_HUE_LEVELS])
            levels = [lvl for lvl in levels if lvl in top]
    else:
        levels = [None]
    colors = plt.get_cmap("tab10")

    grid = np.linspace(analysis.data[x].min(), analysis.data[x].max(), 60)
    base = {}
    for col in analysis.numeric:
        if col != x:
            base[col] = float(analysis.data[col].median())
    for col, lvl in fixed.items():
        base[col] = lvl

    nrows = int(np.ceil(len(keys) / ncols))
    ncols_eff = min(ncols, len(keys))
    fig, axes = plt.subplots(
        nrows,
        ncols_eff,
        figsize=(4.2 * ncols_eff, 3.4 * nrows + 0.6),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    for ax in axes.ravel()[len(keys) :]:
        ax.set_visible(False)
    for ax, key in zip(axes.ravel()[: len(keys)], keys, strict=True):
        result = analysis.results[key]
        for i, lvl in enumerate(levels):
            color = colors(i % 10)
            sub = obs if lvl is None else obs[obs[hue] == lvl]
            for inside, face in ((True, color), (False, "none")):
                pts = sub[sub["_in"] == inside].groupby("_x")[target].mean()
                if len(pts):
                    ax.scatter(
                        pts.index,
                        pts.to_numpy(),
                        s=22,
                        facecolors=face,
                        edgecolors=color,
                        zorder=3,
                    )
            frame = pd.DataFrame({x: grid, **base})
            if lvl is not None:
                frame[hue] = lvl
            frame = frame[analysis.categorical + analysis.numeric]
            for col in analysis.categorical:
                if isinstance(analysis.data[col].dtype, pd.CategoricalDtype):
                    frame[col] = pd.Categorical(
                        frame[col], categories=analysis.data[col].cat.categories
                    )
            ax.plot(
                grid,
                result.pipeline.predict(frame),
                color=color,
                lw=1.8,
                label=str(lvl) if lvl is not None else "fit",
            )
        ax.set_title(result.label, fontsize=10)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel(x)
    for ax in axes[:, 0]:
        ax.set_ylabel(target)
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    if hue is not None:
        fig.legend(
            handles,
            labels,
            title=hue,
            loc="outside right upper",
            fontsize=8,
            title_fontsize=8,
        )
    where = ", ".join(f"{k} = {v}" for k, v in fixed.items())
    title = f"{target} against {x}" + (f" by {hue}" if hue else "")
    title += f" ({where})" if where else ""
    if analysis.query:
        title += f"; fitted on {analysis.query}, open markers excluded"
    fig.suptitle(title, fontsize=10)
    return fig


@_with_fonts
def plot_wage_coefficients(analysis):
    """Coefficients per estimator side by side, and the identified contrasts.

    Left: the named coefficients of each linear model (original units). The
    dummies of one categorical column are not identified, so they differ
    between solvers: L1 sets one dummy of each column to zero, L2 spreads the
    effect over all levels (their sum is close to zero). Right: the
    identified contrasts (level differences and slopes) of every estimator,
    which agree much more closely.

    Parameters
    ----------
    analysis : WageAnalysis

    Returns
    -------
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import run_wage_analysis
    >>> from skreg.plotting._wage import plot_wage_coefficients
    >>> res = run_wage_analysis(load_wages(), query="age < 55",
    ...                         estimators=["ols", "ridge"], path=False)
    >>> fig = plot_wage_coefficients(res)
    >>> len(fig.axes)
    2
    """
    plt = _pyplot()
    coef = analysis.coefficients
    contrasts = analysis.contrast_table
    panels = [(coef, "coefficients (one-hot, all levels kept)")] if coef.size else []
    panels.append((contrasts, "identified contrasts"))
    n_rows = max(t.shape[0] for t, _ in panels)
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(5.2 * len(panels) + 1.5, 1.0 + 0.42 * n_rows * 1.2),
        squeeze=False,
        layout="constrained",
    )
    colors = plt.get_cmap("tab10")
    labels = list(contrasts.columns)
    for ax, (table, title) in zip(axes[0], panels, strict=True):
        k = table.shape[1]
        height = 0.8 / max(k, 1)
        pos = np.arange(table.shape[0])
        for j, col in enumerate(table.columns):
            ax.barh(
                pos - 0.4 + height * (j + 0.5),
                table[col].to_numpy(),
                height=height,
                color=colors(labels.index(col) % 10),
                label=col,
            )
        ax.set_yticks(pos, [str(i) for i in table.index], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="k", lw=0.8)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(f"{analysis.target} (per unit of the feature)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    axes[0, -1].legend(fontsize=8, loc="best")
    return fig


@_with_fonts
def plot_wage_path(analysis):
    """The L1 regularization path over the one-hot features.

    Coefficients of the L1 model (numeric columns standardised) for a
    decreasing grid of alpha, from ``alpha_max`` (all zero) to
    ``alpha_max * 1e-4``; the dashed line marks the alpha chosen by
    cross-validation. Within each categorical column one dummy stays at
    zero all along: the penalty picks the reference level itself.

    Parameters
    ----------
    analysis : WageAnalysis
        With ``path`` computed (``run_wage_analysis(..., path=True)``).

    Returns
    -------
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import run_wage_analysis
    >>> from skreg.plotting._wage import plot_wage_path
    >>> res = run_wage_analysis(load_wages(), query="age < 55",
    ...                         estimators=["lasso"])
    >>> fig = plot_wage_path(res)
    >>> len(fig.axes[0].lines) >= 8
    True
    """
    plt = _pyplot()
    path = analysis.path
    if path is None:
        raise ValueError("The analysis has no path: run it with path=True.")
    coefs, alphas = path["coefs"], np.asarray(path["alphas"])
    fig, ax = plt.subplots(figsize=(8.5, 4.8), layout="constrained")
    cmaps = ["Blues", "Oranges", "Greens", "Purples", "Reds", "Greys"]
    for c, col in enumerate(analysis.categorical):
        names = [n for n in coefs.index if n.startswith(f"{col}_")]
        cmap = plt.get_cmap(cmaps[c % len(cmaps)])
        for i, name in enumerate(names):
            ax.plot(
                alphas,
                coefs.loc[name].to_numpy(),
                color=cmap(0.45 + 0.5 * i / max(len(names) - 1, 1)),
                lw=1.6,
                label=name,
            )
    for name in path.get("numeric", analysis.numeric):
        if name in coefs.index:
            ax.plot(
                alphas,
                coefs.loc[name].to_numpy(),
                color="k",
                lw=1.6,
                ls="--",
                label=f"{name} (standardised)",
            )
    chosen = path.get("chosen_alpha")
    if chosen:
        ax.axvline(chosen, color="grey", ls=":", lw=1.2, label="chosen by CV")
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlabel("alpha (decreasing ->)")
    ax.set_ylabel("coefficient")
    ax.set_title(f"L1 regularization path ({path['implementation']})", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig
