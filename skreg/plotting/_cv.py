"""Cross-validation curves and the one-standard-error rule."""

import numpy as np

from skreg.plotting._utils import check_positive_alphas, figure_and_axes

__all__ = ["one_standard_error_alpha", "plot_cv_curve"]


def _check_cv_path(alphas, mse_path):
    alphas = check_positive_alphas(alphas)
    mse_path = np.asarray(mse_path, dtype=np.float64)
    if mse_path.ndim != 2 or mse_path.shape[0] != alphas.shape[0]:
        raise ValueError(
            "mse_path must have shape (n_alphas, n_folds) = "
            f"({alphas.shape[0]}, n_folds), got {mse_path.shape}. For an "
            "elastic net with several l1_ratio values, select one row first."
        )
    if not np.all(np.isfinite(mse_path)):
        raise ValueError("mse_path contains NaN or infinite values.")
    return alphas, mse_path


def _cv_summary(mse_path):
    """Mean, standard deviation and standard error across folds.

    The standard deviation uses ``ddof=1`` (the sample standard deviation of
    the fold errors) and the standard error of the mean is ``std / sqrt(K)``
    for ``K`` folds, as ``cv.glmnet``'s ``cvsd``. With a single fold both
    are zero.
    """
    n_folds = mse_path.shape[1]
    mean = mse_path.mean(axis=1)
    if n_folds > 1:
        std = mse_path.std(axis=1, ddof=1)
    else:
        std = np.zeros_like(mean)
    se = std / np.sqrt(n_folds)
    return mean, std, se


def _one_se_index(alphas, mean, se):
    i_min = int(np.argmin(mean))
    threshold = mean[i_min] + se[i_min]
    eligible = np.flatnonzero(mean <= threshold)
    i_1se = int(eligible[np.argmax(alphas[eligible])])
    return i_min, i_1se, threshold


def one_standard_error_alpha(alphas, mse_path):
    """Return the largest alpha within one standard error of the best one.

    The one-standard-error rule (Breiman et al.; Hastie, Tibshirani and
    Friedman, section 7.10) picks the most regularized model whose mean
    validation error is no larger than the minimum mean error plus the
    standard error of that minimum:

    .. math::

        \\alpha_{1SE} = \\max\\{\\alpha_k :
        \\bar e_k \\le \\bar e_{k^*} + \\mathrm{SE}_{k^*}\\},
        \\qquad k^* = \\arg\\min_k \\bar e_k,

    where :math:`\\bar e_k` is the mean error over the ``K`` folds at
    :math:`\\alpha_k` and :math:`\\mathrm{SE}_k = s_k / \\sqrt{K}` with
    :math:`s_k` the sample standard deviation (``ddof=1``) of the fold errors.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,)
        The grid of regularization strengths (any order), all positive.
    mse_path : array-like of shape (n_alphas, n_folds)
        Validation error of each alpha on each fold, the layout of the
        ``mse_path_`` attribute of :class:`sklearn.linear_model.LassoCV`.

    Returns
    -------
    alpha_1se : float
        The chosen alpha; it is never smaller than the alpha of minimum mean
        error.

    See Also
    --------
    plot_cv_curve : Draws the curve with both choices marked.

    References
    ----------
    .. [1] L. Breiman, J. Friedman, R. Olshen and C. Stone, "Classification
       and Regression Trees", Wadsworth, 1984.
    .. [2] T. Hastie, R. Tibshirani and J. Friedman, "The Elements of
       Statistical Learning", 2nd ed., Springer, 2009, section 7.10.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.plotting import one_standard_error_alpha
    >>> alphas = np.array([1.0, 0.1, 0.01])
    >>> mse_path = np.array([[3.0, 3.2], [1.1, 1.3], [1.0, 1.4]])
    >>> float(one_standard_error_alpha(alphas, mse_path))
    0.1
    """
    alphas, mse_path = _check_cv_path(alphas, mse_path)
    mean, _, se = _cv_summary(mse_path)
    _, i_1se, _ = _one_se_index(alphas, mean, se)
    return float(alphas[i_1se])


def plot_cv_curve(
    cv_estimator=None,
    *,
    alphas=None,
    mse_path=None,
    l1_ratio_index=None,
    show_folds=False,
    ax=None,
    title=None,
):
    """Plot the cross-validation error against alpha, mean ± std across folds.

    The minimum of the mean validation error and the one-standard-error
    choice (:func:`one_standard_error_alpha`) are marked by vertical lines;
    a dotted horizontal line shows the threshold ``min mean + SE``.

    Parameters
    ----------
    cv_estimator : fitted cross-validated estimator, default=None
        An estimator with ``alphas_`` and ``mse_path_`` attributes laid out
        as in :class:`sklearn.linear_model.LassoCV` (``(n_alphas,)`` and
        ``(n_alphas, n_folds)``) or
        :class:`~sklearn.linear_model.ElasticNetCV` with several ``l1_ratio``
        (``(n_l1_ratio, n_alphas)`` and ``(n_l1_ratio, n_alphas, n_folds)``),
        for example :class:`skreg.ProxLassoCV` or :class:`skreg.ElasticNetCDCV`.
        Give either this or both ``alphas`` and ``mse_path``.
    alphas : array-like of shape (n_alphas,), default=None
        The grid, when no estimator is given.
    mse_path : array-like of shape (n_alphas, n_folds), default=None
        The validation errors, when no estimator is given.
    l1_ratio_index : int, default=None
        For a 3-D ``mse_path_``, the ``l1_ratio`` row to draw. Defaults to the
        row holding the overall minimum of the mean error (the estimator's
        ``l1_ratio_``).
    show_folds : bool, default=False
        Also draw the error of every fold as thin lines.
    ax : matplotlib Axes, default=None
        Axes to draw on. A new figure is created when None.
    title : str, default=None
        Axes title.

    Returns
    -------
    fig : matplotlib Figure
        The figure. The mean curve has ``gid="mean"``, the markers
        ``gid="alpha_min"`` and ``gid="alpha_1se"``, the threshold
        ``gid="one_se_threshold"``.

    See Also
    --------
    one_standard_error_alpha : The one-standard-error rule.
    plot_path_from_estimator : The coefficient path of the same estimator.

    Notes
    -----
    The band is the sample standard deviation of the fold errors (how much
    the error varies from fold to fold); the one-standard-error rule uses
    the standard error of the mean, ``std / sqrt(n_folds)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LassoCV
    >>> from skreg.plotting import plot_cv_curve
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(60, 5)
    >>> y = X[:, 0] + 0.5 * rng.randn(60)
    >>> est = LassoCV(alphas=20, cv=3).fit(X, y)
    >>> fig = plot_cv_curve(est)
    >>> marker = [ln for ln in fig.axes[0].lines if ln.get_gid() == "alpha_min"]
    >>> bool(marker[0].get_xdata()[0] == est.alpha_)
    True
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    if cv_estimator is not None:
        if alphas is not None or mse_path is not None:
            raise ValueError(
                "Give either cv_estimator or (alphas, mse_path), not both."
            )
        missing = [a for a in ("alphas_", "mse_path_") if not hasattr(cv_estimator, a)]
        if missing:
            raise AttributeError(
                f"{type(cv_estimator).__name__} has no attribute(s) {missing}: "
                "plot_cv_curve needs a fitted cross-validated estimator such "
                "as ProxLassoCV, ElasticNetCDCV, LassoCV or ElasticNetCV."
            )
        alphas = np.asarray(cv_estimator.alphas_, dtype=np.float64)
        mse_path = np.asarray(cv_estimator.mse_path_, dtype=np.float64)
    elif alphas is None or mse_path is None:
        raise ValueError("Give either cv_estimator or both alphas and mse_path.")
    else:
        alphas = np.asarray(alphas, dtype=np.float64)
        mse_path = np.asarray(mse_path, dtype=np.float64)

    label_extra = ""
    if mse_path.ndim == 3:
        if l1_ratio_index is None:
            means = mse_path.mean(axis=2)
            l1_ratio_index = int(np.unravel_index(np.argmin(means), means.shape)[0])
        mse_path = mse_path[l1_ratio_index]
        if alphas.ndim == 2:
            alphas = alphas[l1_ratio_index]
        ratios = getattr(cv_estimator, "l1_ratio", None)
        if ratios is not None and np.ndim(ratios) == 1:
            label_extra = f" (l1_ratio = {np.asarray(ratios)[l1_ratio_index]:.3g})"
    alphas, mse_path = _check_cv_path(alphas, mse_path)
    mean, std, se = _cv_summary(mse_path)
    i_min, i_1se, threshold = _one_se_index(alphas, mean, se)
    order = np.argsort(alphas)

    fig, ax = figure_and_axes(ax)
    if show_folds:
        for k in range(mse_path.shape[1]):
            ax.plot(
                alphas[order],
                mse_path[order, k],
                color="0.6",
                linewidth=0.6,
                linestyle=":",
                label="folds" if k == 0 else "_nolegend_",
                gid=f"fold:{k}",
            )
    ax.fill_between(
        alphas[order],
        (mean - std)[order],
        (mean + std)[order],
        color="C0",
        alpha=0.2,
        label="mean ± std across folds",
        gid="band",
    )
    ax.plot(
        alphas[order],
        mean[order],
        color="C0",
        marker=".",
        label="mean validation MSE" + label_extra,
        gid="mean",
    )
    ax.axhline(
        threshold,
        color="C1",
        linestyle=":",
        linewidth=1.0,
        label="minimum + 1 SE",
        gid="one_se_threshold",
    )
    ax.axvline(
        alphas[i_min],
        color="k",
        linestyle="--",
        linewidth=1.0,
        label=f"minimum: alpha = {alphas[i_min]:.3g}",
        gid="alpha_min",
    )
    ax.axvline(
        alphas[i_1se],
        color="C1",
        linestyle="-.",
        linewidth=1.2,
        label=f"one-SE rule: alpha = {alphas[i_1se]:.3g}",
        gid="alpha_1se",
    )
    ax.set_xscale("log")
    ax.set_xlabel("alpha (log scale)")
    ax.set_ylabel("validation mean squared error")
    ax.set_title("Cross-validation curve" if title is None else title)
    ax.legend(fontsize="small", loc="best")
    return fig
