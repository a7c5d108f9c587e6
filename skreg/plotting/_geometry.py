"""The geometry of L1, L2, elastic-net and Lp constraints in two dimensions.

A two-coefficient least-squares loss is a quadratic

.. math::

    f(w) = \\tfrac12 (w - \\hat w)^\\top H (w - \\hat w) + \\text{const},
    \\qquad H = X^\\top X / n,

whose level sets are ellipses centred on the unconstrained (least-squares)
solution :math:`\\hat w`. Minimizing :math:`f` over a ball
:math:`\\{w : P(w) \\le t\\}` is equivalent to minimizing
:math:`f(w) + \\lambda P(w)` for some :math:`\\lambda \\ge 0` (for convex
:math:`P`), and the solution is where the smallest ellipse touches the ball.
"""

import numpy as np

from skreg.plotting._utils import figure_and_axes, new_figure

__all__ = [
    "constrained_optimum",
    "plot_constraint_geometry",
    "plot_geometry_panel",
    "plot_lp_balls",
    "plot_penalized_surface",
]

_PENALTIES = ("l1", "l2", "elasticnet", "lp")
_STYLE = {
    "l1": {"color": "C3", "label": "L1 (lasso)"},
    "l2": {"color": "C0", "label": "L2 (ridge)"},
    "elasticnet": {"color": "C2", "label": "elastic net"},
}

# The designed default problem: correlated features, the least-squares
# solution in the first quadrant, so that the L1 solution is the corner
# (radius, 0) while the L2 solution has two non-zero coefficients.
_DEFAULT_HESSIAN = np.array([[1.0, 0.6], [0.6, 1.0]])
_DEFAULT_W_OLS = np.array([2.0, 0.5])


# ---------------------------------------------------------------------------
# Numerical pieces
# ---------------------------------------------------------------------------
def _check_problem(hessian, w_ols, X=None, y=None):
    """Return ``(H, w_ols)`` from explicit values or from a 2-column (X, y)."""
    if X is not None or y is not None:
        if X is None or y is None:
            raise ValueError("Give both X and y, or neither.")
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
            raise ValueError(
                "X must have shape (n_samples, 2) and y shape (n_samples,), "
                f"got X.shape={X.shape} and y.shape={y.shape}."
            )
        hessian = X.T @ X / X.shape[0]
        w_ols = np.linalg.lstsq(X, y, rcond=None)[0]
    hessian = _DEFAULT_HESSIAN if hessian is None else hessian
    w_ols = _DEFAULT_W_OLS if w_ols is None else w_ols
    H = np.array(hessian, dtype=np.float64)
    w0 = np.array(w_ols, dtype=np.float64)
    if H.shape != (2, 2) or w0.shape != (2,):
        raise ValueError(
            f"hessian must have shape (2, 2) and w_ols shape (2,), got "
            f"{H.shape} and {w0.shape}."
        )
    if not np.allclose(H, H.T) or np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError(
            "hessian must be symmetric positive definite (for X, y: the two "
            "columns of X must be linearly independent)."
        )
    return 0.5 * (H + H.T), w0


def _loss(W, H, w0):
    """Quadratic loss at the rows of ``W`` (shape (..., 2))."""
    D = np.asarray(W, dtype=np.float64) - w0
    return 0.5 * np.einsum("...i,ij,...j->...", D, H, D)


def _penalty_value(W, penalty, l1_ratio=0.5, p=0.5):
    """The penalty P(w) in its "radius" form (homogeneous for Lp)."""
    A = np.abs(np.asarray(W, dtype=np.float64))
    if penalty == "l1":
        return A.sum(axis=-1)
    if penalty == "l2":
        return np.sqrt((A**2).sum(axis=-1))
    if penalty == "lp":
        return ((A**p).sum(axis=-1)) ** (1.0 / p)
    raise ValueError(f"no homogeneous radius form for penalty {penalty!r}")


def _in_ball(w, penalty, radius, l1_ratio, p):
    if penalty == "elasticnet":
        a = l1_ratio
        value = a * np.abs(w).sum() / radius + (1 - a) * (w @ w) / radius**2
        return value <= 1.0
    return _penalty_value(w, penalty, l1_ratio, p) <= radius


def _boundary_radius(theta, penalty, radius, l1_ratio, p):
    """Distance from 0 to the ball's boundary in the direction ``theta``.

    The elastic-net ball of radius ``r`` is
    ``{w : a*||w||_1 / r + (1 - a) * ||w||_2**2 / r**2 <= 1}`` with
    ``a = l1_ratio``: it meets the axes at ``±r`` like the L1 and L2 balls.
    """
    c = np.abs(np.cos(theta))
    s = np.abs(np.sin(theta))
    if penalty == "l1":
        return radius / (c + s)
    if penalty == "l2":
        return radius * np.ones_like(c)
    if penalty == "lp":
        return radius / (c**p + s**p) ** (1.0 / p)
    if penalty == "elasticnet":
        a = l1_ratio
        s1 = c + s
        # positive root of (1-a) rho^2 + a s1 rho - 1 = 0 (in units of r),
        # written so that a = 1 (pure L1) needs no special case.
        return radius * 2.0 / (a * s1 + np.sqrt((a * s1) ** 2 + 4.0 * (1.0 - a)))
    raise ValueError(f"penalty must be one of {_PENALTIES}, got {penalty!r}.")


def _boundary_point(theta, penalty, radius, l1_ratio, p):
    rho = _boundary_radius(theta, penalty, radius, l1_ratio, p)
    return np.stack([rho * np.cos(theta), rho * np.sin(theta)], axis=-1)


def _ball_outline(penalty, radius=1.0, l1_ratio=0.5, p=0.5, n_points=2001):
    """Closed outline of a ball, exact at the four axis points.

    Lp balls use the superellipse parametrization
    ``(r sgn(cos t)|cos t|^(2/p), r sgn(sin t)|sin t|^(2/p))`` which satisfies
    ``|x|^p + |y|^p = r^p`` exactly and resolves the cusps of ``p < 1``.
    """
    t = np.linspace(0.0, 2.0 * np.pi, n_points)
    if penalty in ("l1", "l2", "lp"):
        q = {"l1": 1.0, "l2": 2.0}.get(penalty, p)
        c, s = np.cos(t), np.sin(t)
        pts = radius * np.stack(
            [np.sign(c) * np.abs(c) ** (2.0 / q), np.sign(s) * np.abs(s) ** (2.0 / q)],
            axis=-1,
        )
    else:
        pts = _boundary_point(t, penalty, radius, l1_ratio, p)
    # snap the axis points (cos(pi/2) is 6e-17, not 0)
    pts[np.abs(pts) < 1e-12 * radius] = 0.0
    return pts


def _corner_slope(penalty, l1_ratio, p):
    """Half-opening of the normal cone at an axis point, as |tangential|/normal.

    At the corner ``(r, 0)`` the outward normal cone of the ball is
    ``{(g1, g2) : g1 > 0, |g2| <= m * g1}``: ``m = 1`` for L1,
    ``m = a / (2 - a)`` for the elastic net, ``0`` for smooth balls and
    ``inf`` for the cusps of Lp with ``p < 1`` (local optimality only).
    """
    if penalty == "l1" or (penalty == "lp" and p == 1.0):
        return 1.0
    if penalty == "elasticnet":
        return l1_ratio / (2.0 - l1_ratio)
    if penalty == "lp" and p < 1.0:
        return np.inf
    return 0.0


def constrained_optimum(
    hessian=None,
    w_ols=None,
    *,
    penalty="l1",
    radius=1.0,
    l1_ratio=0.5,
    p=0.5,
    n_grid=20000,
):
    """Minimize a two-coefficient quadratic loss over an L1, L2, elastic-net or Lp ball.

    Solves

    .. math::

        \\min_{w \\in \\mathbb{R}^2} \\tfrac12 (w - \\hat w)^\\top H
        (w - \\hat w) \\quad \\text{subject to} \\quad w \\in B,

    where :math:`B` is the ball of radius ``radius`` of the penalty. When
    :math:`\\hat w \\in B` it is the answer; otherwise the minimum lies on the
    boundary (the loss decreases along the segment to :math:`\\hat w`, which
    crosses the boundary; this also holds for the star-shaped non-convex
    Lp balls), which is parametrized by the polar angle and searched on a
    fine grid, refined by bounded Brent minimization. The four axis points
    (the corners) are checked separately: for the convex balls a corner is
    returned, with an exact zero, when the negative gradient there lies in
    the ball's normal cone (the KKT condition); for ``p < 1`` corners compete
    with the boundary minimum by loss value (the problem is not convex, the
    grid makes the search global).

    Parameters
    ----------
    hessian : array-like of shape (2, 2), default=None
        Symmetric positive definite :math:`H` (``X.T @ X / n``). Defaults to
        ``[[1, 0.6], [0.6, 1]]``.
    w_ols : array-like of shape (2,), default=None
        Unconstrained minimizer :math:`\\hat w`. Defaults to ``[2.0, 0.5]``.
    penalty : {"l1", "l2", "elasticnet", "lp"}, default="l1"
        The ball: ``||w||_1 <= r``, ``||w||_2 <= r``,
        ``a ||w||_1 / r + (1 - a) ||w||_2^2 / r^2 <= 1`` with ``a = l1_ratio``
        (it meets the axes at ``±r`` as the others do), or
        ``|w_1|^p + |w_2|^p <= r^p``.
    radius : float, default=1.0
        Radius ``r`` of the ball.
    l1_ratio : float, default=0.5
        Mixing parameter of the elastic-net ball, in [0, 1].
    p : float, default=0.5
        Exponent of the Lp ball, > 0.
    n_grid : int, default=20000
        Number of boundary points of the global search.

    Returns
    -------
    w : ndarray of shape (2,)
        The constrained minimizer.

    See Also
    --------
    plot_constraint_geometry : Draws the balls and these optima.

    Examples
    --------
    >>> from skreg.plotting import constrained_optimum
    >>> constrained_optimum(penalty="l1")  # the default problem: a corner
    array([1., 0.])
    >>> w = constrained_optimum(penalty="l2")
    >>> bool(abs(w @ w - 1.0) < 1e-9 and w.min() > 0.1)
    True
    """
    H, w0 = _check_problem(hessian, w_ols)
    if penalty not in _PENALTIES:
        raise ValueError(f"penalty must be one of {_PENALTIES}, got {penalty!r}.")
    if not radius > 0:
        raise ValueError(f"radius must be > 0, got {radius}.")
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must be in [0, 1], got {l1_ratio}.")
    if not p > 0:
        raise ValueError(f"p must be > 0, got {p}.")
    if _in_ball(w0, penalty, radius, l1_ratio, p):
        return w0.copy()
    from scipy.optimize import minimize_scalar

    def phi(theta):
        return _loss(_boundary_point(theta, penalty, radius, l1_ratio, p), H, w0)

    theta = np.linspace(0.0, 2.0 * np.pi, n_grid, endpoint=False)
    values = phi(theta)
    k = int(np.argmin(values))
    step = theta[1] - theta[0]
    res = minimize_scalar(
        phi,
        bounds=(theta[k] - step, theta[k] + step),
        method="bounded",
        options={"xatol": 1e-14},
    )
    best_theta = res.x if res.fun < values[k] else theta[k]
    best = _boundary_point(best_theta, penalty, radius, l1_ratio, p)
    best_value = _loss(best, H, w0)

    slope = _corner_slope(penalty, l1_ratio, p)
    if slope == 0.0:  # smooth ball: corners are not special
        return best
    corners = radius * np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    for corner in corners:
        i = int(np.flatnonzero(corner)[0])
        sign = np.sign(corner[i])
        d = -(H @ (corner - w0))  # descent direction at the corner
        normal, tangential = sign * d[i], d[1 - i]
        if normal > 0 and abs(tangential) <= slope * normal:
            if np.isfinite(slope):  # convex ball: KKT point is the optimum
                return corner.copy()
            corner_value = _loss(corner, H, w0)
            if corner_value <= best_value * (1 + 1e-12):
                best, best_value = corner.copy(), corner_value
    return best


def _penalized_objective(W, H, w0, lam, penalty, l1_ratio):
    A = np.asarray(W, dtype=np.float64)
    l1 = np.abs(A).sum(axis=-1)
    l2 = 0.5 * (A**2).sum(axis=-1)
    if penalty == "l1":
        pen = l1
    elif penalty == "l2":
        pen = l2
    else:
        pen = l1_ratio * l1 + (1.0 - l1_ratio) * l2
    return _loss(A, H, w0) + lam * pen


def _penalized_optimum(H, w0, lam, penalty="l1", l1_ratio=0.5):
    """Exact minimizer of ``f(w) + lam * P(w)`` for two coefficients.

    ``P`` is ``||w||_1`` (``"l1"``), ``||w||^2 / 2`` (``"l2"``) or
    ``a ||w||_1 + (1 - a) ||w||^2 / 2`` (``"elasticnet"``), scikit-learn's
    ElasticNet penalty. Every sign pattern ``s in {-1, 0, 1}^2`` is tried:
    on the support ``S`` the stationarity condition is the linear system
    ``(H_SS + lam (1 - a) I) w_S = (H w0)_S - lam a s_S``; among the
    candidates whose signs agree with ``s``, the one of least objective is the
    minimizer (the true one is among them, and all are feasible points).
    """
    a = {"l1": 1.0, "l2": 0.0}.get(penalty, l1_ratio)
    b = H @ w0
    best, best_value = (
        np.zeros(2),
        _penalized_objective(np.zeros(2), H, w0, lam, penalty, l1_ratio),
    )
    for s1 in (-1, 0, 1):
        for s2 in (-1, 0, 1):
            s = np.array([s1, s2], dtype=np.float64)
            S = np.flatnonzero(s)
            if S.size == 0:
                continue
            M = H[np.ix_(S, S)] + lam * (1.0 - a) * np.eye(S.size)
            w = np.zeros(2)
            w[S] = np.linalg.solve(M, b[S] - lam * a * s[S])
            if a > 0 and np.any(np.sign(w[S]) != s[S]):
                continue
            value = _penalized_objective(w, H, w0, lam, penalty, l1_ratio)
            if value < best_value:
                best, best_value = w, value
    return best


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------
def _draw_geometry(ax, H, w0, *, radius, l1_ratio, penalties, extent=None, legend=True):
    """Loss contours, balls and constrained optima on one Axes."""
    optima = {
        pen: constrained_optimum(H, w0, penalty=pen, radius=radius, l1_ratio=l1_ratio)
        for pen in penalties
    }
    if extent is None:
        extent = 1.25 * max(radius, np.abs(w0).max() + 0.3 * radius)
    grid = np.linspace(-extent, extent, 301)
    G1, G2 = np.meshgrid(grid, grid)
    Z = _loss(np.stack([G1, G2], axis=-1), H, w0)
    touching = sorted({float(_loss(w, H, w0)) for w in optima.values()})
    levels = np.unique(
        np.concatenate([np.quantile(Z, [0.002, 0.01, 0.04, 0.1, 0.2]), touching])
    )
    ax.contour(G1, G2, Z, levels=levels, colors="0.6", linewidths=0.7)
    for pen in penalties:
        style = _STYLE[pen]
        outline = _ball_outline(pen, radius, l1_ratio)
        label = style["label"]
        if pen == "elasticnet":
            label += f" (l1_ratio={l1_ratio:g})"
        ax.fill(outline[:, 0], outline[:, 1], color=style["color"], alpha=0.08)
        ax.plot(
            outline[:, 0],
            outline[:, 1],
            color=style["color"],
            label=label,
            gid=f"ball:{pen}",
        )
        w = optima[pen]
        ax.contour(
            G1,
            G2,
            Z,
            levels=[float(_loss(w, H, w0))],
            colors=[style["color"]],
            linewidths=1.0,
            linestyles="--",
        )
        ax.plot(
            [w[0]],
            [w[1]],
            "o",
            color=style["color"],
            markeredgecolor="k",
            markersize=7,
            label="_nolegend_",
            gid=f"optimum:{pen}",
        )
    ax.plot([w0[0]], [w0[1]], "k*", markersize=10, label="least squares", gid="ols")
    ax.axhline(0.0, color="0.3", linewidth=0.6, zorder=0, gid="axis")
    ax.axvline(0.0, color="0.3", linewidth=0.6, zorder=0, gid="axis")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if legend:
        ax.legend(fontsize="small", loc="lower left")
    return optima


def plot_constraint_geometry(
    hessian=None,
    w_ols=None,
    *,
    X=None,
    y=None,
    radius=1.0,
    l1_ratio=0.5,
    penalties=("l1", "l2", "elasticnet"),
    ax=None,
    title=None,
):
    """Draw why the L1 ball gives zeros and the L2 ball does not.

    Loss contours of a two-coefficient least-squares problem are drawn with
    the L1 diamond, the L2 circle and the elastic-net ball of the same
    radius. On each ball the constrained optimum (:func:`constrained_optimum`)
    is marked together with the loss contour that touches the ball there.
    With the default (correlated) problem the L1 optimum is the corner
    ``(radius, 0)``: one coefficient is exactly zero. The L2 optimum is where
    an ellipse is tangent to a circle, which is on an axis only by accident.

    Parameters
    ----------
    hessian : array-like of shape (2, 2), default=None
        ``H = X.T @ X / n`` of the loss ``(w - w_ols)^T H (w - w_ols) / 2``.
        Defaults to ``[[1, 0.6], [0.6, 1]]`` (correlated features).
    w_ols : array-like of shape (2,), default=None
        The least-squares solution, centre of the ellipses. Defaults to
        ``[2.0, 0.5]``.
    X : array-like of shape (n_samples, 2), default=None
        Alternatively, a design with two columns (no intercept is fitted;
        centre the data first): ``H`` and ``w_ols`` are computed from it.
    y : array-like of shape (n_samples,), default=None
        The targets going with ``X``.
    radius : float, default=1.0
        Common radius of the balls (where they cross the axes).
    l1_ratio : float, default=0.5
        Mixing parameter of the elastic-net ball (see
        :func:`constrained_optimum`).
    penalties : sequence of {"l1", "l2", "elasticnet"}, default=("l1", "l2", \
"elasticnet")
        Which balls to draw.
    ax : matplotlib Axes, default=None
        Axes to draw on. A new figure is created when None.
    title : str, default=None
        Axes title.

    Returns
    -------
    fig : matplotlib Figure
        The figure. Ball outlines have ``gid="ball:<penalty>"`` and the optima
        ``gid="optimum:<penalty>"``.

    See Also
    --------
    plot_geometry_panel : The same picture for several losses.
    plot_lp_balls : Non-convex balls, p < 1.
    plot_penalized_surface : The penalized (Lagrangian) view in 3-D.

    References
    ----------
    .. [1] R. Tibshirani, "Regression shrinkage and selection via the lasso",
       J. R. Statist. Soc. B, 58(1):267-288, 1996 (figure 2).
    .. [2] T. Hastie, R. Tibshirani and J. Friedman, "The Elements of
       Statistical Learning", 2nd ed., Springer, 2009, figure 3.11.

    Examples
    --------
    >>> from skreg.plotting import plot_constraint_geometry
    >>> fig = plot_constraint_geometry()
    >>> ax = fig.axes[0]
    >>> [ln.get_xydata()[0].tolist() for ln in ax.lines
    ...  if ln.get_gid() == "optimum:l1"]
    [[1.0, 0.0]]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    H, w0 = _check_problem(hessian, w_ols, X, y)
    penalties = tuple(penalties)
    bad = [pen for pen in penalties if pen not in _STYLE]
    if bad or not penalties:
        raise ValueError(
            f"penalties must be a non-empty subset of {tuple(_STYLE)}, got "
            f"{penalties!r}."
        )
    fig, ax = figure_and_axes(ax, figsize=(6.0, 6.0))
    optima = _draw_geometry(
        ax, H, w0, radius=radius, l1_ratio=l1_ratio, penalties=penalties
    )
    if title is None:
        parts = [f"{pen}: ({w[0]:.2f}, {w[1]:.2f})" for pen, w in optima.items()]
        title = "Constrained optima  " + ",  ".join(parts)
    ax.set_title(title, fontsize="small")
    return fig


def _random_problem(rng, radius):
    angle = rng.uniform(0.0, np.pi)
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    eig = rng.uniform(0.2, 2.0, size=2)
    H = R @ np.diag(eig) @ R.T
    direction = rng.uniform(0.0, 2.0 * np.pi)
    norm = radius * rng.uniform(1.5, 2.5)
    w0 = norm * np.array([np.cos(direction), np.sin(direction)])
    return 0.5 * (H + H.T), w0


def _geometry_cases(n_random, radius, random_state):
    rng = np.random.default_rng(random_state)
    cases = [
        (f"random loss {i + 1}", *_random_problem(rng, radius)) for i in range(n_random)
    ]
    cases.append(
        (
            "symmetric loss",
            np.array([[1.0, 0.5], [0.5, 1.0]]),
            np.array([1.5, 1.5]) * radius,
        )
    )
    cases.append(("orthogonal design", np.eye(2), np.array([2.0, 0.6]) * radius))
    return cases


def plot_geometry_panel(
    *, n_random=4, radius=1.0, l1_ratio=0.5, random_state=0, fig=None
):
    """A panel of constraint geometries: random losses and two special cases.

    Each panel is :func:`plot_constraint_geometry` for a different loss:
    ``n_random`` random ellipses (random orientation, eigenvalues and centre
    outside the balls), a symmetric loss (``w_ols`` on the diagonal,
    ``H = [[1, 0.5], [0.5, 1]]``: the problem is unchanged when the two
    coefficients are swapped, so the unique L1 optimum is the middle of an
    edge — the lasso does not always select) and an orthogonal design
    (``H = I``: the lasso soft-thresholds ``w_ols`` and ridge rescales it).
    Each title counts the zero coefficients of the L1, L2 and elastic-net
    ("elastic") solutions.

    Parameters
    ----------
    n_random : int, default=4
        Number of random losses.
    radius : float, default=1.0
        Radius of the balls.
    l1_ratio : float, default=0.5
        Mixing parameter of the elastic-net ball.
    random_state : int, numpy Generator or None, default=0
        Seed of the random losses.
    fig : matplotlib Figure, default=None
        Figure to draw in (it should be empty). A new one when None.

    Returns
    -------
    fig : matplotlib Figure
        One Axes per loss, in the order: random losses, symmetric,
        orthogonal. Each Axes is labelled through its title.

    See Also
    --------
    plot_constraint_geometry : One loss, larger.

    Examples
    --------
    >>> from skreg.plotting import plot_geometry_panel
    >>> fig = plot_geometry_panel(n_random=1)
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes]
    ['random loss 1', 'symmetric loss', 'orthogonal design']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    if int(n_random) != n_random or n_random < 0:
        raise ValueError(f"n_random must be a non-negative integer, got {n_random}.")
    cases = _geometry_cases(int(n_random), radius, random_state)
    ncols = min(3, len(cases))
    nrows = -(-len(cases) // ncols)
    fig = new_figure(fig, figsize=(4.0 * ncols, 4.0 * nrows + 0.5))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    penalties = ("l1", "l2", "elasticnet")
    for k, (ax, (name, H, w0)) in enumerate(zip(axes, cases, strict=False)):
        optima = _draw_geometry(
            ax,
            H,
            w0,
            radius=radius,
            l1_ratio=l1_ratio,
            penalties=penalties,
            extent=1.2 * max(radius, np.abs(w0).max() + 0.3 * radius),
            legend=(k == 0),
        )
        zeros = ", ".join(
            f"{_STYLE[pen]['label'].split()[0]} {int(np.sum(optima[pen] == 0))}"
            for pen in penalties
        )
        ax.set_title(f"{name}\nzero coefficients: {zeros}", fontsize="small")
    for ax in axes[len(cases) :]:
        ax.remove()
    fig.suptitle("Where the loss contours first touch each ball")
    return fig


def plot_penalized_surface(
    lambdas=(0.0, 0.5, 1.5),
    *,
    penalty="l1",
    l1_ratio=0.5,
    hessian=None,
    w_ols=None,
    extent=2.2,
    fig=None,
):
    """3-D surfaces of loss plus penalty for several regularization strengths.

    For each ``lam`` the surface ``f(w) + lam * P(w)`` is drawn over the
    square ``[-extent, extent]^2`` with its contours projected below it and
    its exact minimizer marked (every sign pattern is tried, see Notes). As
    ``lam`` grows the minimizer moves from ``w_ols`` towards 0; with the L1
    penalty the surface has creases along the axes and the minimizer sits in
    a crease (a coefficient exactly zero) for large enough ``lam``.

    Parameters
    ----------
    lambdas : sequence of float, default=(0.0, 0.5, 1.5)
        Regularization strengths, one panel each, all >= 0.
    penalty : {"l1", "l2", "elasticnet"}, default="l1"
        ``||w||_1``, ``||w||_2^2 / 2`` or
        ``l1_ratio ||w||_1 + (1 - l1_ratio) ||w||_2^2 / 2`` (scikit-learn's
        ElasticNet penalty).
    l1_ratio : float, default=0.5
        Mixing parameter of the elastic net.
    hessian, w_ols : array-like, default=None
        The quadratic loss, see :func:`plot_constraint_geometry`.
    extent : float, default=2.2
        Half-width of the drawn square.
    fig : matplotlib Figure, default=None
        Figure to draw in (it should be empty). A new one when None.

    Returns
    -------
    fig : matplotlib Figure
        One 3-D Axes per ``lam``; the minimizer is a scatter with
        ``gid="minimizer"``.

    See Also
    --------
    plot_constraint_geometry : The constrained (ball) view of the same problem.

    Notes
    -----
    On the support ``S`` with signs ``s`` the minimizer solves
    ``(H_SS + lam (1 - a) I) w_S = (H w_ols)_S - lam a s_S``; the candidate of
    least objective among the sign-consistent ones is the exact minimizer.

    Examples
    --------
    >>> from skreg.plotting import plot_penalized_surface
    >>> fig = plot_penalized_surface(lambdas=(0.0, 1.0))
    >>> len(fig.axes)
    2
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    H, w0 = _check_problem(hessian, w_ols)
    if penalty not in _STYLE:
        raise ValueError(f"penalty must be one of {tuple(_STYLE)}, got {penalty!r}.")
    lambdas = np.atleast_1d(np.asarray(lambdas, dtype=np.float64))
    if lambdas.ndim != 1 or lambdas.size == 0 or np.any(lambdas < 0):
        raise ValueError("lambdas must be a non-empty sequence of values >= 0.")
    fig = new_figure(fig, figsize=(4.2 * lambdas.size, 4.4))
    grid = np.linspace(-extent, extent, 81)
    G1, G2 = np.meshgrid(grid, grid)
    W = np.stack([G1, G2], axis=-1)
    for k, lam in enumerate(lambdas):
        ax = fig.add_subplot(1, lambdas.size, k + 1, projection="3d")
        Z = _penalized_objective(W, H, w0, lam, penalty, l1_ratio)
        w = _penalized_optimum(H, w0, lam, penalty, l1_ratio)
        z = float(_penalized_objective(w, H, w0, lam, penalty, l1_ratio))
        floor = float(Z.min()) - 0.15 * float(np.ptp(Z))
        ax.plot_surface(
            G1, G2, Z, cmap="viridis", alpha=0.75, linewidth=0, antialiased=True
        )
        ax.contour(G1, G2, Z, levels=12, zdir="z", offset=floor, cmap="viridis")
        ax.scatter(
            [w[0]], [w[1]], [z], color="C3", s=40, depthshade=False, gid="minimizer"
        )
        ax.scatter([w[0]], [w[1]], [floor], color="C3", s=25, depthshade=False)
        ax.set_zlim(floor, float(Z.max()))
        ax.set_xlabel("$w_1$")
        ax.set_ylabel("$w_2$")
        ax.set_title(
            f"$\\lambda$ = {lam:g}: $w^*$ = ({w[0]:.2f}, {w[1]:.2f})",
            fontsize="small",
        )
    fig.suptitle(f"Loss + $\\lambda$ × {_STYLE[penalty]['label']} penalty")
    return fig


def plot_lp_balls(
    ps=(0.5, 1.0, 2.0),
    *,
    radius=1.0,
    hessian=None,
    w_ols=None,
    show_optimum=True,
    ax=None,
    title=None,
):
    """Lp balls ``|w_1|^p + |w_2|^p <= r^p`` for p < 1, p = 1 and p = 2.

    For ``p < 1`` the ball is not convex: its corners on the axes become
    cusps, so the contours of a loss touch it at a corner (a zero
    coefficient) even in cases where the L1 diamond is touched on an edge —
    ``p < 1`` is sparser still, at the price of a non-convex problem. With
    the default problem (an orthogonal design with ``w_ols = (1.2, 1.0)``)
    the L1 optimum has two non-zero coefficients and the ``p = 0.5`` optimum
    one.

    Parameters
    ----------
    ps : sequence of float, default=(0.5, 1.0, 2.0)
        Exponents, all > 0.
    radius : float, default=1.0
        Radius ``r`` of the balls.
    hessian : array-like of shape (2, 2), default=None
        Quadratic loss, see :func:`constrained_optimum`. Defaults to the
        identity.
    w_ols : array-like of shape (2,), default=None
        Centre of the loss. Defaults to ``(1.2, 1.0)``.
    show_optimum : bool, default=True
        Draw loss contours and the constrained optimum on each ball
        (a global search, see :func:`constrained_optimum`).
    ax : matplotlib Axes, default=None
        Axes to draw on. A new figure is created when None.
    title : str, default=None
        Axes title.

    Returns
    -------
    fig : matplotlib Figure
        Ball outlines have ``gid="lp_ball:p=<p>"`` (``p`` formatted with
        ``:g``) and the optima ``gid="optimum:p=<p>"``.

    See Also
    --------
    plot_constraint_geometry : The convex balls.

    References
    ----------
    .. [1] I. Frank and J. Friedman, "A statistical view of some chemometrics
       regression tools", Technometrics, 35(2):109-135, 1993 (bridge
       regression).

    Examples
    --------
    >>> from skreg.plotting import plot_lp_balls
    >>> fig = plot_lp_balls()
    >>> opt = {ln.get_gid(): ln.get_xydata()[0] for ln in fig.axes[0].lines
    ...        if str(ln.get_gid()).startswith("optimum")}
    >>> int((opt["optimum:p=0.5"] == 0).sum()), int((opt["optimum:p=1"] == 0).sum())
    (1, 0)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    hessian = np.eye(2) if hessian is None else hessian
    w_ols = np.array([1.2, 1.0]) if w_ols is None else w_ols
    H, w0 = _check_problem(hessian, w_ols)
    ps = [float(p) for p in np.atleast_1d(ps)]
    if not ps or any(not p > 0 for p in ps):
        raise ValueError(f"ps must be a non-empty sequence of exponents > 0, got {ps}.")
    fig, ax = figure_and_axes(ax, figsize=(6.0, 6.0))
    extent = 1.25 * max(radius, np.abs(w0).max() + 0.3 * radius)
    optima = {}
    if show_optimum:
        optima = {
            p: constrained_optimum(H, w0, penalty="lp", p=p, radius=radius) for p in ps
        }
        grid = np.linspace(-extent, extent, 301)
        G1, G2 = np.meshgrid(grid, grid)
        Z = _loss(np.stack([G1, G2], axis=-1), H, w0)
        levels = np.unique(
            np.concatenate(
                [
                    np.quantile(Z, [0.002, 0.01, 0.04]),
                    [float(_loss(w, H, w0)) for w in optima.values()],
                ]
            )
        )
        ax.contour(G1, G2, Z, levels=levels, colors="0.6", linewidths=0.7)
        ax.plot([w0[0]], [w0[1]], "k*", markersize=10, label="least squares")
    colors = {p: f"C{k}" for k, p in enumerate(sorted(ps))}
    for p in ps:
        outline = _ball_outline("lp", radius, p=p, n_points=4001)
        ax.plot(
            outline[:, 0],
            outline[:, 1],
            color=colors[p],
            label=f"p = {p:g}",
            gid=f"lp_ball:p={p:g}",
        )
        if show_optimum:
            w = optima[p]
            ax.contour(
                G1,
                G2,
                Z,
                levels=[float(_loss(w, H, w0))],
                colors=[colors[p]],
                linewidths=1.0,
                linestyles="--",
            )
            ax.plot(
                [w[0]],
                [w[1]],
                "o",
                color=colors[p],
                markeredgecolor="k",
                label="_nolegend_",
                gid=f"optimum:p={p:g}",
            )
    ax.axhline(0.0, color="0.3", linewidth=0.6, zorder=0)
    ax.axvline(0.0, color="0.3", linewidth=0.6, zorder=0)
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title("Lp balls $|w_1|^p + |w_2|^p \\leq r^p$" if title is None else title)
    ax.legend(fontsize="small", loc="lower left")
    return fig
