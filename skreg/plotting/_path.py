"""Regularization path plots: coefficients against log(alpha)."""

import numpy as np

from skreg.plotting._utils import (
    check_positive_alphas,
    feature_colors,
    figure_and_axes,
)

__all__ = ["plot_path", "plot_path_from_estimator"]

#: Legends are drawn by default up to this many features (``legend="auto"``).
_AUTO_LEGEND_MAX = 20


def plot_path(
    alphas,
    coefs,
    *,
    feature_names=None,
    alpha_=None,
    ax=None,
    legend="auto",
    title=None,
):
    """Plot a regularization path: one line per coefficient against log(alpha).

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,)
        Regularization strengths of the path, all strictly positive (drawn on
        a log scale), as returned by :func:`skreg.lasso_path` or
        :func:`sklearn.linear_model.lasso_path`.
    coefs : array-like of shape (n_features, n_alphas)
        Coefficients along the path, one row per feature (the layout of
        scikit-learn's path functions).
    feature_names : array-like of str of shape (n_features,), default=None
        Names used as line labels. Defaults to ``"x0", "x1", ...``.
    alpha_ : float, default=None
        A chosen regularization strength (for example the ``alpha_`` of a
        cross-validated estimator), marked by a vertical dashed line.
    ax : matplotlib Axes, default=None
        Axes to draw on. A new figure is created when None.
    legend : bool or "auto", default="auto"
        Whether to draw a legend of the feature names (to the right of the
        Axes). ``"auto"`` draws it when there are at most 20 features.
    title : str, default=None
        Axes title. Defaults to ``"Regularization path"``.

    Returns
    -------
    fig : matplotlib Figure
        The figure holding the plot. The coefficient lines carry the feature
        names as labels and ``gid="coef:<name>"``; the marker of ``alpha_``
        has ``gid="alpha_"``.

    See Also
    --------
    plot_path_from_estimator : Compute and plot the path of a fitted
        (cross-validated) estimator.
    plot_cv_curve : The cross-validation curve that chose ``alpha_``.

    Notes
    -----
    Going from right (large α) to left (small α), coefficients leave zero one
    at a time for the Lasso: the order in which features enter the model is
    read directly from the plot.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import lasso_path
    >>> from skreg.plotting import plot_path
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(50, 3)
    >>> y = X @ np.array([1.0, -2.0, 0.0]) + 0.1 * rng.randn(50)
    >>> alphas, coefs, _ = lasso_path(X, y, alphas=20)
    >>> fig = plot_path(alphas, coefs, feature_names=["a", "b", "c"])
    >>> [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    ['a', 'b', 'c']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    if hasattr(alphas, "fit") or hasattr(alphas, "get_params"):
        raise TypeError(
            "plot_path expects the arrays (alphas, coefs); to plot the path of "
            "an estimator use plot_path_from_estimator(estimator, X, y)."
        )
    alphas = check_positive_alphas(alphas)
    coefs = np.asarray(coefs, dtype=np.float64)
    if coefs.ndim != 2 or coefs.shape[1] != alphas.shape[0]:
        raise ValueError(
            "coefs must have shape (n_features, n_alphas) = "
            f"(n_features, {alphas.shape[0]}), got {coefs.shape}."
        )
    n_features = coefs.shape[0]
    names = _feature_names(feature_names, n_features)
    if legend not in (True, False, "auto"):
        raise ValueError(f"legend must be True, False or 'auto', got {legend!r}.")

    fig, ax = figure_and_axes(ax)
    ax.axhline(0.0, color="0.75", linewidth=0.8, zorder=0, gid="zero")
    for name, color, coef in zip(names, feature_colors(n_features), coefs, strict=True):
        ax.plot(alphas, coef, color=color, label=name, gid=f"coef:{name}")
    if alpha_ is not None:
        alpha_ = float(alpha_)
        ax.axvline(
            alpha_,
            color="k",
            linestyle="--",
            linewidth=1.0,
            label=f"alpha_ = {alpha_:.3g}",
            gid="alpha_",
        )
    ax.set_xscale("log")
    ax.set_xlabel("alpha (log scale)")
    ax.set_ylabel("coefficient")
    ax.set_title("Regularization path" if title is None else title)
    if legend is True or (legend == "auto" and n_features <= _AUTO_LEGEND_MAX):
        # outside the Axes, on the right: a path fills its whole plot area
        ax.legend(
            fontsize="small",
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0.0,
        )
    return fig


def plot_path_from_estimator(
    estimator,
    X,
    y,
    *,
    path_func=None,
    feature_names=None,
    ax=None,
    legend="auto",
    title=None,
    **path_params,
):
    """Compute and plot the regularization path of a fitted estimator.

    Cross-validated estimators such as :class:`skreg.ProxLassoCV`,
    :class:`skreg.ElasticNetCDCV`, :class:`sklearn.linear_model.LassoCV` or
    :class:`~sklearn.linear_model.ElasticNetCV` keep the grid ``alphas_`` and
    the choice ``alpha_`` but not the coefficients along the path, so the
    path is recomputed on ``(X, y)`` over the estimator's own grid, with the
    same preprocessing as the final refit (centring when ``fit_intercept``),
    and ``alpha_`` is marked. For a plain fitted estimator (no ``alphas_``)
    the path function's default grid is used and the estimator's ``alpha``
    is marked.

    Parameters
    ----------
    estimator : fitted estimator
        An estimator with ``alpha_`` and ``alphas_`` (cross-validated) or with
        an ``alpha`` parameter. ``l1_ratio_``/``l1_ratio`` select the elastic
        net path, ``positive`` is passed on.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The training data the estimator was fitted on. Sparse input is
        densified (the path is computed on centred data).
    y : array-like of shape (n_samples,)
        The training targets.
    path_func : callable, default=None
        ``path_func(X, y, *, alphas=..., **params) -> (alphas, coefs, ...)``
        with scikit-learn's signature. Defaults to :func:`skreg.enet_path`
        when the estimator has an ``l1_ratio`` and :func:`skreg.lasso_path`
        otherwise, falling back to scikit-learn's functions of the same names
        when skreg's are not available.
    feature_names : array-like of str, default=None
        Line labels. Defaults to the estimator's ``feature_names_in_`` (set
        when it was fitted on a DataFrame), then to the columns of ``X`` when
        ``X`` is a DataFrame, then to ``"x0", "x1", ...``.
    ax : matplotlib Axes, default=None
        Axes to draw on. A new figure is created when None.
    legend : bool or "auto", default="auto"
        See :func:`plot_path`.
    title : str, default=None
        Axes title. Defaults to the estimator's class name.
    **path_params : dict
        Extra keyword arguments for ``path_func`` (for example ``eps`` when
        the estimator has no grid of its own).

    Returns
    -------
    fig : matplotlib Figure
        The figure holding the plot (see :func:`plot_path`).

    See Also
    --------
    plot_path : Plot precomputed ``(alphas, coefs)``.
    plot_cv_curve : The cross-validation curve of the same estimator.

    Notes
    -----
    Sample weights used during fitting are not reproduced: the path is the
    unweighted one.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import LassoCV
    >>> from skreg.plotting import plot_path_from_estimator
    >>> rng = np.random.RandomState(0)
    >>> X = pd.DataFrame(rng.randn(60, 3), columns=["age", "bmi", "bp"])
    >>> y = X["bmi"] - 0.5 * X["bp"] + 0.1 * rng.randn(60)
    >>> est = LassoCV(alphas=20, cv=3).fit(X, y)
    >>> fig = plot_path_from_estimator(est, X, y)
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'age'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    from skreg._base import check_is_fitted

    check_is_fitted(estimator)
    if feature_names is None:
        feature_names = getattr(estimator, "feature_names_in_", None)
    if feature_names is None and hasattr(X, "columns"):
        feature_names = [str(c) for c in X.columns]

    l1_ratio = getattr(estimator, "l1_ratio_", getattr(estimator, "l1_ratio", None))
    if np.ndim(l1_ratio) > 0:  # unfitted list of candidates, keep the first
        l1_ratio = float(np.ravel(l1_ratio)[0])

    marker = getattr(estimator, "alpha_", None)
    grid = getattr(estimator, "alphas_", None)
    if grid is not None:
        grid = np.asarray(grid, dtype=np.float64)
        if grid.ndim == 2:  # ElasticNetCV with several l1_ratio values
            grid = grid[_l1_ratio_row(estimator)]
        path_params.setdefault("alphas", grid)
    if marker is None:
        marker = getattr(estimator, "alpha", None)

    if path_func is None:
        path_func = _default_path_func(l1_ratio)
        if l1_ratio is not None and l1_ratio != 1.0:
            path_params.setdefault("l1_ratio", float(l1_ratio))
    if getattr(estimator, "positive", False):
        path_params.setdefault("positive", True)

    X, y = _prepare_path_data(X, y, getattr(estimator, "fit_intercept", True))
    out = path_func(X, y, **path_params)
    alphas, coefs = out[0], np.asarray(out[1])
    if coefs.ndim == 3 and coefs.shape[0] == 1:  # (1, n_features, n_alphas)
        coefs = coefs[0]
    return plot_path(
        alphas,
        coefs,
        feature_names=feature_names,
        alpha_=marker,
        ax=ax,
        legend=legend,
        title=type(estimator).__name__ if title is None else title,
    )


def _feature_names(feature_names, n_features):
    if feature_names is None:
        return [f"x{j}" for j in range(n_features)]
    names = [str(name) for name in feature_names]
    if len(names) != n_features:
        raise ValueError(
            f"feature_names has {len(names)} names but coefs has "
            f"{n_features} rows (features)."
        )
    return names


def _l1_ratio_row(estimator):
    """Row of a 2-D ``alphas_`` belonging to the chosen ``l1_ratio_``."""
    candidates = np.ravel(np.asarray(estimator.l1_ratio, dtype=np.float64))
    rows = np.flatnonzero(np.isclose(candidates, estimator.l1_ratio_))
    if rows.size == 0:
        raise ValueError(
            f"l1_ratio_={estimator.l1_ratio_} is not among the estimator's "
            f"l1_ratio candidates {candidates.tolist()}."
        )
    return int(rows[0])


def _default_path_func(l1_ratio):
    use_enet = l1_ratio is not None and l1_ratio != 1.0
    try:
        from skreg.linear_model import enet_path, lasso_path
    except ImportError:
        from sklearn.linear_model import enet_path, lasso_path
    return enet_path if use_enet else lasso_path


def _prepare_path_data(X, y, fit_intercept):
    """Dense float arrays, centred like the estimator's own preprocessing."""
    import scipy.sparse as sp

    if sp.issparse(X):
        X = X.toarray()
    X = np.array(X, dtype=np.float64)  # a copy: the user's X is not touched
    y = np.array(y, dtype=np.float64)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise ValueError(
            "X must be 2-D and y 1-D with the same number of samples, got "
            f"X.shape={X.shape} and y.shape={y.shape}."
        )
    if fit_intercept:
        X -= X.mean(axis=0)
        y -= y.mean()
    return X, y
