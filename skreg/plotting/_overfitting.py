"""Overfitting made visible: error against model complexity."""

import numpy as np

from skreg.plotting._utils import figure_and_axes, new_figure

__all__ = ["overfitting_curves", "plot_overfitting"]


def _make_data(n_samples, n_test, noise, rng):
    def truth(x):
        return np.sin(2.0 * np.pi * x)

    x_train = rng.uniform(0.0, 1.0, n_samples)
    x_test = rng.uniform(0.0, 1.0, n_test)
    y_train = truth(x_train) + noise * rng.standard_normal(n_samples)
    y_test = truth(x_test) + noise * rng.standard_normal(n_test)
    return x_train, y_train, x_test, y_test, truth


def _model(degree, regressor):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    return make_pipeline(
        PolynomialFeatures(degree, include_bias=False), StandardScaler(), regressor
    )


def _default_regressor(alpha):
    from sklearn.linear_model import Ridge

    return Ridge(alpha=alpha)


def overfitting_curves(
    degrees=range(1, 16),
    *,
    n_samples=20,
    n_test=500,
    noise=0.25,
    alpha=1e-3,
    regressor=None,
    random_state=0,
):
    """Training and test errors of polynomial fits, with and without ridge.

    The data are ``y = sin(2 pi x) + noise * N(0, 1)`` with ``x`` uniform on
    [0, 1]; every model is ``PolynomialFeatures(degree) -> StandardScaler ->
    regressor``, the unregularized one with ordinary least squares.

    Parameters
    ----------
    degrees : sequence of int, default=range(1, 16)
        Polynomial degrees (model complexity), each >= 1.
    n_samples : int, default=20
        Training set size.
    n_test : int, default=500
        Test set size.
    noise : float, default=0.25
        Standard deviation of the noise.
    alpha : float, default=1e-3
        Strength of the default :class:`sklearn.linear_model.Ridge` regressor.
    regressor : estimator, default=None
        The regularized regressor (cloned for every degree), for example
        ``skreg.RidgeGD(alpha=...)``. Defaults to ``Ridge(alpha=alpha)``.
    random_state : int, numpy Generator or None, default=0
        Seed of the synthetic data.

    Returns
    -------
    curves : dict
        ``"degrees"`` (ndarray), ``"train_ols"``, ``"test_ols"``,
        ``"train_reg"``, ``"test_reg"`` (mean squared errors, ndarrays), and
        the data ``"x_train"``, ``"y_train"``, ``"truth"`` (a callable).

    See Also
    --------
    plot_overfitting : Draws these curves.

    Examples
    --------
    >>> from skreg.plotting import overfitting_curves
    >>> c = overfitting_curves(degrees=[1, 3, 15])
    >>> bool(c["test_ols"][2] > c["test_ols"][1])  # degree 15 overfits
    True
    """
    from sklearn.base import clone
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_squared_error

    degrees = np.asarray(list(degrees), dtype=int)
    if degrees.ndim != 1 or degrees.size == 0 or np.any(degrees < 1):
        raise ValueError("degrees must be a non-empty sequence of integers >= 1.")
    rng = np.random.default_rng(random_state)
    x_train, y_train, x_test, y_test, truth = _make_data(n_samples, n_test, noise, rng)
    X_train, X_test = x_train[:, None], x_test[:, None]
    if regressor is None:
        regressor = _default_regressor(alpha)
    out = {k: [] for k in ("train_ols", "test_ols", "train_reg", "test_reg")}
    for degree in degrees:
        for key, base in (("ols", LinearRegression()), ("reg", regressor)):
            model = _model(int(degree), clone(base)).fit(X_train, y_train)
            out[f"train_{key}"].append(
                mean_squared_error(y_train, model.predict(X_train))
            )
            out[f"test_{key}"].append(mean_squared_error(y_test, model.predict(X_test)))
    curves = {k: np.asarray(v) for k, v in out.items()}
    curves.update(
        degrees=degrees,
        x_train=x_train,
        y_train=y_train,
        truth=truth,
        regressor=regressor,
    )
    return curves


def plot_overfitting(
    degrees=range(1, 16),
    *,
    n_samples=20,
    n_test=500,
    noise=0.25,
    alpha=1e-3,
    regressor=None,
    random_state=0,
    show_fits=True,
    ax=None,
):
    """Plot training and test error against polynomial degree, with and without ridge.

    Without regularization the training error keeps falling as the degree
    grows while the test error reaches a minimum and then explodes: the
    model fits the noise. With ridge regularization the effective complexity
    is held back and the test error stays low at high degree.

    Parameters
    ----------
    degrees, n_samples, n_test, noise, alpha, regressor, random_state
        See :func:`overfitting_curves`.
    show_fits : bool, default=True
        Add a second panel with the highest-degree fits, with and without
        regularization, over the training points and the true function.
        Ignored when ``ax`` is given.
    ax : matplotlib Axes, default=None
        Axes for the error curves. A new figure is created when None.

    Returns
    -------
    fig : matplotlib Figure
        The error curves carry ``gid`` ``"train_ols"``, ``"test_ols"``,
        ``"train_reg"`` and ``"test_reg"``.

    See Also
    --------
    overfitting_curves : The numbers behind the plot.

    Examples
    --------
    >>> from skreg.plotting import plot_overfitting
    >>> fig = plot_overfitting(degrees=range(1, 10), show_fits=False)
    >>> sorted(ln.get_gid() for ln in fig.axes[0].lines)
    ['test_ols', 'test_reg', 'train_ols', 'train_reg']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    c = overfitting_curves(
        degrees,
        n_samples=n_samples,
        n_test=n_test,
        noise=noise,
        alpha=alpha,
        regressor=regressor,
        random_state=random_state,
    )
    reg_name = type(c["regressor"]).__name__
    if ax is None and show_fits:
        fig = new_figure(figsize=(11.0, 4.4))
        ax, ax_fit = fig.subplots(1, 2)
    else:
        fig, ax = figure_and_axes(ax)
        ax_fit = None
    d = c["degrees"]
    styles = {
        "train_ols": ("C0", "--", "train, least squares"),
        "test_ols": ("C0", "-", "test, least squares"),
        "train_reg": ("C1", "--", f"train, {reg_name}"),
        "test_reg": ("C1", "-", f"test, {reg_name}"),
    }
    for key, (color, ls, label) in styles.items():
        ax.plot(
            d,
            c[key],
            color=color,
            linestyle=ls,
            marker="o",
            markersize=3,
            label=label,
            gid=key,
        )
    ax.set_yscale("log")
    ax.set_xlabel("polynomial degree (model complexity)")
    ax.set_ylabel("mean squared error (log scale)")
    ax.set_title(f"Overfitting: {len(c['x_train'])} training points")
    ax.legend(fontsize="small", loc="best")

    if ax_fit is not None:
        from sklearn.base import clone
        from sklearn.linear_model import LinearRegression

        degree = int(d.max())
        X = c["x_train"][:, None]
        grid = np.linspace(0.0, 1.0, 400)
        ax_fit.plot(grid, c["truth"](grid), color="k", linewidth=1.0, label="truth")
        ax_fit.scatter(
            c["x_train"],
            c["y_train"],
            color="k",
            s=15,
            zorder=3,
            label="training points",
        )
        for key, base, color in (
            ("ols", LinearRegression(), "C0"),
            ("reg", c["regressor"], "C1"),
        ):
            model = _model(degree, clone(base)).fit(X, c["y_train"])
            name = "least squares" if key == "ols" else reg_name
            ax_fit.plot(
                grid,
                model.predict(grid[:, None]),
                color=color,
                label=f"degree {degree}, {name}",
                gid=f"fit_{key}",
            )
        ax_fit.set_ylim(-2.0, 2.0)
        ax_fit.set_xlabel("x")
        ax_fit.set_ylabel("y")
        ax_fit.set_title(f"Fits of degree {degree}")
        ax_fit.legend(fontsize="small", loc="lower left")
    return fig
