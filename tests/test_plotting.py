"""Tests of skreg.plotting: every figure runs headless and draws what it says."""

import argparse
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.optimize import brentq, minimize  # noqa: E402
from sklearn.linear_model import (  # noqa: E402
    ElasticNet,
    ElasticNetCV,
    LassoCV,
    Ridge,
    enet_path,
    lasso_path,
)

import skreg.plotting as skplt  # noqa: E402
from skreg.plotting import (  # noqa: E402
    constrained_optimum,
    one_standard_error_alpha,
    overfitting_curves,
    plot_constraint_geometry,
    plot_cv_curve,
    plot_geometry_panel,
    plot_lp_balls,
    plot_overfitting,
    plot_path,
    plot_path_from_estimator,
    plot_penalized_surface,
)
from skreg.plotting._cli import (  # noqa: E402
    add_geometry_arguments,
    add_geometry_command,
    add_path_arguments,
    add_path_command,
)
from skreg.plotting._geometry import (  # noqa: E402
    _ball_outline,
    _penalized_objective,
    _penalized_optimum,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _by_gid(ax, gid):
    return [ln for ln in ax.get_lines() if ln.get_gid() == gid]


def _coef_lines(ax):
    return [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("coef:")]


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _correlated_frame(seed=0, n=80):
    rng = np.random.RandomState(seed)
    z = rng.randn(n)
    X = pd.DataFrame(
        {
            "age": rng.randn(n),
            "bmi": z + 0.1 * rng.randn(n),
            "bmi_copy": z + 0.1 * rng.randn(n),  # strongly correlated with bmi
            "bp": rng.randn(n),
        }
    )
    y = 2.0 * X["bmi"] - X["bp"] + 0.3 * rng.randn(n)
    return X, y


# --------------------------------------------------------------------------
# import hygiene and lazy exports
# --------------------------------------------------------------------------
def _run_python(code, env_update=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_update or {})
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_import_does_not_import_matplotlib():
    code = (
        "import sys\n"
        "import skreg.plotting as p\n"
        "f = (p.plot_path, p.plot_cv_curve, p.plot_constraint_geometry,\n"
        "     p.plot_lp_balls, p.plot_overfitting, p.one_standard_error_alpha)\n"
        "import skreg.plotting._cli\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
        "print('ok')\n"
    )
    res = _run_python(code)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"


def test_headless_selects_agg():
    code = (
        "from skreg.plotting._utils import import_pyplot\n"
        "plt = import_pyplot()\n"
        "import matplotlib\n"
        "print(matplotlib.get_backend().lower())\n"
    )
    res = _run_python(code, drop=("MPLBACKEND", "DISPLAY", "WAYLAND_DISPLAY"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "agg"


def test_lazy_exports():
    for name in skplt.__all__:
        assert callable(getattr(skplt, name)), name
    for name in ("plot_path", "plot_cv_curve", "one_standard_error_alpha"):
        assert name in skplt.__all__
        assert name in dir(skplt)
    # names of submodules that do not exist yet are not advertised
    for name, module in skplt._LAZY.items():
        if name not in skplt.__all__:
            with pytest.raises(AttributeError, match=module):
                getattr(skplt, name)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        skplt.nope  # noqa: B018


# --------------------------------------------------------------------------
# regularization path
# --------------------------------------------------------------------------
def test_plot_path_lines_labels_and_marker():
    rng = np.random.RandomState(0)
    X = rng.randn(40, 4)
    y = X @ np.array([1.0, -2.0, 0.0, 0.5]) + 0.1 * rng.randn(40)
    alphas, coefs, _ = lasso_path(X, y, alphas=15)
    names = ["a", "b", "c", "d"]
    fig = plot_path(alphas, coefs, feature_names=names, alpha_=alphas[5])
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    lines = _coef_lines(ax)
    assert [ln.get_label() for ln in lines] == names
    for ln, coef in zip(lines, coefs, strict=True):
        np.testing.assert_array_equal(ln.get_xdata(), alphas)
        np.testing.assert_array_equal(ln.get_ydata(), coef)
    (marker,) = _by_gid(ax, "alpha_")
    np.testing.assert_array_equal(marker.get_xdata(), [alphas[5], alphas[5]])
    assert _legend_texts(ax)[:4] == names
    assert ax.get_xscale() == "log"


def test_plot_path_default_names_and_no_marker():
    alphas = np.array([1.0, 0.1, 0.01])
    coefs = np.array([[0.0, 0.5, 1.0], [0.0, 0.0, -0.2]])
    fig, ax = plt.subplots()
    assert plot_path(alphas, coefs, ax=ax) is fig
    assert [ln.get_label() for ln in _coef_lines(ax)] == ["x0", "x1"]
    assert _by_gid(ax, "alpha_") == []


def test_plot_path_legend_auto_hides_for_many_features():
    alphas = np.logspace(0, -2, 5)
    fig = plot_path(alphas, np.zeros((25, 5)))
    assert fig.axes[0].get_legend() is None
    assert len(_coef_lines(fig.axes[0])) == 25


@pytest.mark.parametrize(
    "alphas, coefs, kwargs, err, match",
    [
        ([1.0, 0.1], np.zeros((2, 3)), {}, ValueError, r"shape \(n_features, n_alphas"),
        ([1.0, -0.1], np.zeros((2, 2)), {}, ValueError, "strictly positive"),
        ([1.0, 0.1], np.zeros((2, 2)), {"feature_names": ["a"]}, ValueError, "1 names"),
        ([1.0, 0.1], np.zeros((2, 2)), {"legend": "yes"}, ValueError, "legend"),
        (LassoCV(), None, {}, TypeError, "plot_path_from_estimator"),
    ],
)
def test_plot_path_bad_input(alphas, coefs, kwargs, err, match):
    with pytest.raises(err, match=match):
        plot_path(alphas, coefs, **kwargs)


def test_plot_path_from_lassocv_dataframe():
    X, y = _correlated_frame()
    est = LassoCV(alphas=30, cv=3).fit(X, y)
    fig = plot_path_from_estimator(est, X, y, path_func=lasso_path)
    ax = fig.axes[0]
    lines = _coef_lines(ax)
    assert [ln.get_label() for ln in lines] == list(X.columns)
    assert _legend_texts(ax)[: X.shape[1]] == list(X.columns)
    (marker,) = _by_gid(ax, "alpha_")
    assert marker.get_xdata()[0] == est.alpha_
    np.testing.assert_allclose(lines[0].get_xdata(), est.alphas_)
    # the recomputed path passes through the refitted coefficients at alpha_
    k = int(np.argmin(np.abs(est.alphas_ - est.alpha_)))
    path_at_alpha = np.array([ln.get_ydata()[k] for ln in lines])
    np.testing.assert_allclose(path_at_alpha, est.coef_, atol=1e-3)
    # the lasso keeps one of the two correlated copies of bmi at alpha_
    assert np.sum(est.coef_[1:3] != 0) >= 1


def test_plot_path_from_elasticnetcv_uses_chosen_l1_ratio():
    X, y = _correlated_frame(seed=1)
    est = ElasticNetCV(l1_ratio=[0.3, 0.9], alphas=20, cv=3).fit(X, y)
    fig = plot_path_from_estimator(
        est, X, y, path_func=enet_path, l1_ratio=est.l1_ratio_
    )
    lines = _coef_lines(fig.axes[0])
    row = [0.3, 0.9].index(est.l1_ratio_)
    np.testing.assert_allclose(lines[0].get_xdata(), est.alphas_[row])
    k = int(np.argmin(np.abs(est.alphas_[row] - est.alpha_)))
    path_at_alpha = np.array([ln.get_ydata()[k] for ln in lines])
    np.testing.assert_allclose(path_at_alpha, est.coef_, atol=1e-3)
    assert _by_gid(fig.axes[0], "alpha_")[0].get_xdata()[0] == est.alpha_


def test_plot_path_from_estimator_default_path_func():
    # whatever the default path function is (skreg's when available,
    # scikit-learn's otherwise), it must reproduce the refitted coefficients
    X, y = _correlated_frame(seed=2)
    est = LassoCV(alphas=20, cv=3).fit(X, y)
    fig = plot_path_from_estimator(est, X.to_numpy(), y.to_numpy())
    lines = _coef_lines(fig.axes[0])
    assert [ln.get_label() for ln in lines] == list(X.columns)  # feature_names_in_
    k = int(np.argmin(np.abs(est.alphas_ - est.alpha_)))
    np.testing.assert_allclose(
        [ln.get_ydata()[k] for ln in lines], est.coef_, atol=1e-3
    )


def test_plot_path_from_estimator_does_not_modify_input_and_needs_fit():
    X, y = _correlated_frame()
    X_np, y_np = X.to_numpy().copy(), y.to_numpy().copy()
    X_before, y_before = X_np.copy(), y_np.copy()
    est = LassoCV(alphas=10, cv=3).fit(X_np, y_np)
    plot_path_from_estimator(est, X_np, y_np, path_func=lasso_path)
    np.testing.assert_array_equal(X_np, X_before)
    np.testing.assert_array_equal(y_np, y_before)
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        plot_path_from_estimator(LassoCV(), X_np, y_np)


# --------------------------------------------------------------------------
# cross-validation curve and the one-standard-error rule
# --------------------------------------------------------------------------
def _reference_1se(alphas, mse_path):
    """Plain-loop reference of the one-SE rule (SE = std(ddof=1)/sqrt(K))."""
    k = mse_path.shape[1]
    means = [float(np.mean(row)) for row in mse_path]
    ses = [float(np.std(row, ddof=1)) / np.sqrt(k) for row in mse_path]
    i_min = means.index(min(means))
    best = None
    for a, m in zip(alphas, means, strict=True):
        if m <= means[i_min] + ses[i_min] and (best is None or a > best):
            best = a
    return best


def test_one_standard_error_alpha_hand_example():
    alphas = np.array([10.0, 1.0, 0.1, 0.01])
    mse_path = np.array(
        [[5.0, 5.2], [1.37, 1.39], [1.0, 1.4], [1.3, 1.3]]
    )  # min at 0.1: mean 1.2, SE = std(ddof=1)/sqrt(2) = 0.2 -> threshold 1.4
    assert one_standard_error_alpha(alphas, mse_path) == 1.0
    # with ddof=0 the threshold would be 1.341 and the answer 0.1: pin ddof=1
    # the order of the grid does not matter
    assert one_standard_error_alpha(alphas[::-1], mse_path[::-1]) == 1.0


def test_one_standard_error_alpha_matches_reference_and_bounds():
    rng = np.random.RandomState(0)
    for _ in range(20):
        alphas = np.sort(rng.uniform(0.01, 10, 15))[::-1]
        mse_path = rng.uniform(1, 2, (15, 5))
        a1 = one_standard_error_alpha(alphas, mse_path)
        assert a1 == _reference_1se(alphas, mse_path)
        assert a1 >= alphas[np.argmin(mse_path.mean(axis=1))]


@pytest.mark.parametrize(
    "alphas, mse_path, match",
    [
        ([1.0, 0.1], np.ones((3, 2)), r"shape \(n_alphas, n_folds\)"),
        ([1.0, 0.1], np.ones((2, 2, 2)), "select one row"),
        ([1.0, 0.1], [[1.0, np.nan], [1.0, 1.0]], "NaN"),
        ([0.0, 0.1], np.ones((2, 2)), "strictly positive"),
    ],
)
def test_one_standard_error_alpha_bad_input(alphas, mse_path, match):
    with pytest.raises(ValueError, match=match):
        one_standard_error_alpha(alphas, mse_path)


def test_plot_cv_curve_lassocv_markers_and_band():
    X, y = _correlated_frame(seed=3)
    est = LassoCV(alphas=25, cv=4).fit(X, y)
    fig = plot_cv_curve(est, show_folds=True)
    ax = fig.axes[0]
    (mean_line,) = _by_gid(ax, "mean")
    order = np.argsort(est.alphas_)
    np.testing.assert_allclose(mean_line.get_xdata(), est.alphas_[order])
    np.testing.assert_allclose(mean_line.get_ydata(), est.mse_path_.mean(axis=1)[order])
    (min_marker,) = _by_gid(ax, "alpha_min")
    assert min_marker.get_xdata()[0] == est.alpha_
    (se_marker,) = _by_gid(ax, "alpha_1se")
    expected = _reference_1se(est.alphas_, est.mse_path_)
    assert se_marker.get_xdata()[0] == expected
    assert expected >= est.alpha_
    (threshold,) = _by_gid(ax, "one_se_threshold")
    i_min = np.argmin(est.mse_path_.mean(axis=1))
    se = est.mse_path_[i_min].std(ddof=1) / 2.0
    np.testing.assert_allclose(
        threshold.get_ydata()[0], est.mse_path_[i_min].mean() + se
    )
    assert len([ln for ln in ax.lines if str(ln.get_gid()).startswith("fold:")]) == 4
    (band,) = [c for c in ax.collections if c.get_gid() == "band"]
    assert band is not None
    assert ax.get_xscale() == "log"


def test_plot_cv_curve_elasticnetcv_several_l1_ratios():
    X, y = _correlated_frame(seed=4)
    est = ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], alphas=15, cv=3).fit(X, y)
    assert est.mse_path_.ndim == 3
    fig = plot_cv_curve(est)
    ax = fig.axes[0]
    row = [0.2, 0.7, 1.0].index(est.l1_ratio_)
    assert _by_gid(ax, "alpha_min")[0].get_xdata()[0] == est.alpha_
    assert _by_gid(ax, "alpha_1se")[0].get_xdata()[0] == _reference_1se(
        est.alphas_[row], est.mse_path_[row]
    )
    assert f"l1_ratio = {est.l1_ratio_:.3g}" in _by_gid(ax, "mean")[0].get_label()
    # another row on request
    fig2 = plot_cv_curve(est, l1_ratio_index=0)
    np.testing.assert_allclose(
        _by_gid(fig2.axes[0], "mean")[0].get_ydata(),
        est.mse_path_[0].mean(axis=1)[np.argsort(est.alphas_[0])],
    )


def test_plot_cv_curve_from_arrays_and_errors():
    alphas = np.array([10.0, 1.0, 0.1, 0.01])
    mse_path = np.array([[5.0, 5.2], [1.37, 1.39], [1.0, 1.4], [1.3, 1.3]])
    fig = plot_cv_curve(alphas=alphas, mse_path=mse_path)
    ax = fig.axes[0]
    assert _by_gid(ax, "alpha_min")[0].get_xdata()[0] == 0.1
    assert _by_gid(ax, "alpha_1se")[0].get_xdata()[0] == 1.0
    with pytest.raises(ValueError, match="not both"):
        plot_cv_curve(LassoCV(), alphas=alphas, mse_path=mse_path)
    with pytest.raises(ValueError, match="both alphas and mse_path"):
        plot_cv_curve(alphas=alphas)
    with pytest.raises(AttributeError, match="mse_path_"):
        plot_cv_curve(Ridge().fit(np.eye(3), np.ones(3)))


# --------------------------------------------------------------------------
# constraint geometry
# --------------------------------------------------------------------------
def _project_l1(v, r):
    """Euclidean projection onto the L1 ball (Duchi et al., 2008)."""
    if np.abs(v).sum() <= r:
        return v.copy()
    u = np.sort(np.abs(v))[::-1]
    css = np.cumsum(u)
    rho = np.nonzero(u * np.arange(1, v.size + 1) > css - r)[0][-1]
    theta = (css[rho] - r) / (rho + 1.0)
    return np.sign(v) * np.maximum(np.abs(v) - theta, 0.0)


def _l1_projected_gradient(H, w0, r, n_iter=3000):
    step = 1.0 / np.linalg.eigvalsh(H)[-1]
    w = np.zeros(2)
    for _ in range(n_iter):
        w = _project_l1(w - step * H @ (w - w0), r)
    return w


def _l2_ridge_lagrangian(H, w0, r):
    """||w(lam)|| = r with w(lam) = (H + lam I)^-1 H w0, solved by brentq."""

    def w_of(lam):
        return np.linalg.solve(H + lam * np.eye(2), H @ w0)

    lam = brentq(lambda t: np.linalg.norm(w_of(t)) - r, 0.0, 1e6, xtol=1e-15)
    return w_of(lam)


def _enet_slsqp(H, w0, r, a):
    """Split variables w = u - v (u, v >= 0), SLSQP on the smooth problem."""

    def f(z):
        d = z[:2] - z[2:] - w0
        return 0.5 * d @ H @ d

    def g(z):
        w = z[:2] - z[2:]
        return 1.0 - a * z.sum() / r - (1.0 - a) * (w @ w) / r**2

    res = minimize(
        f,
        np.full(4, 0.01),
        method="SLSQP",
        bounds=[(0, None)] * 4,
        constraints=[{"type": "ineq", "fun": g}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    return res.x[:2] - res.x[2:]


def _random_spd(rng):
    A = rng.randn(2, 2)
    return A @ A.T + 0.2 * np.eye(2)


def test_constrained_optimum_designed_case_l1_corner_l2_not():
    w1 = constrained_optimum(penalty="l1")
    assert np.array_equal(w1, [1.0, 0.0])  # an exact zero coefficient
    w2 = constrained_optimum(penalty="l2")
    assert np.all(np.abs(w2) > 0.1)
    H = np.array([[1.0, 0.6], [0.6, 1.0]])
    w0 = np.array([2.0, 0.5])
    np.testing.assert_allclose(w2, _l2_ridge_lagrangian(H, w0, 1.0), atol=1e-7)
    np.testing.assert_allclose(w1, _l1_projected_gradient(H, w0, 1.0), atol=1e-9)


def test_constrained_optimum_against_independent_solvers():
    rng = np.random.RandomState(0)
    n_corners = 0
    for _ in range(15):
        H = _random_spd(rng)
        w0 = rng.uniform(-3, 3, 2)
        r = rng.uniform(0.5, 1.5)
        w1 = constrained_optimum(H, w0, penalty="l1", radius=r)
        np.testing.assert_allclose(w1, _l1_projected_gradient(H, w0, r), atol=1e-6)
        n_corners += int(np.any(w1 == 0))
        w2 = constrained_optimum(H, w0, penalty="l2", radius=r)
        if np.linalg.norm(w0) > r:
            np.testing.assert_allclose(w2, _l2_ridge_lagrangian(H, w0, r), atol=1e-6)
        else:
            np.testing.assert_array_equal(w2, w0)
        we = constrained_optimum(H, w0, penalty="elasticnet", radius=r, l1_ratio=0.5)
        np.testing.assert_allclose(we, _enet_slsqp(H, w0, r, 0.5), atol=1e-5)
    assert n_corners > 0  # the random problems include corner solutions


def test_constrained_optimum_special_cases():
    # inside the ball: the least-squares solution itself
    np.testing.assert_array_equal(
        constrained_optimum(np.eye(2), [0.2, 0.3], penalty="l1"), [0.2, 0.3]
    )
    # corners on every axis are returned with an exact zero
    H = np.array([[1.0, 0.6], [0.6, 1.0]])
    for w0, corner in (
        ([0.5, 2.0], [0.0, 1.0]),
        ([-2.0, -0.5], [-1.0, 0.0]),
        ([0.5, -2.0], [0.0, -1.0]),
    ):
        for pen in ("l1", "lp"):
            w = constrained_optimum(H, w0, penalty=pen, p=0.5)
            np.testing.assert_array_equal(w, corner)
    # symmetric loss: the unique L1 solution is the middle of an edge
    H = np.array([[1.0, 0.5], [0.5, 1.0]])
    np.testing.assert_allclose(
        constrained_optimum(H, [1.5, 1.5], penalty="l1"), [0.5, 0.5], atol=1e-9
    )
    # orthogonal design: lasso = soft thresholding, ridge = rescaling
    w0 = np.array([2.0, 0.6])
    np.testing.assert_array_equal(
        constrained_optimum(np.eye(2), w0, penalty="l1"), [1.0, 0.0]
    )
    w0 = np.array([1.2, 1.0])  # soft threshold at 0.6 -> (0.6, 0.4)
    np.testing.assert_allclose(
        constrained_optimum(np.eye(2), w0, penalty="l1"), [0.6, 0.4], atol=1e-9
    )
    np.testing.assert_allclose(
        constrained_optimum(np.eye(2), w0, penalty="l2"),
        w0 / np.linalg.norm(w0),
        atol=1e-9,
    )


def test_constrained_optimum_lp_is_global():
    rng = np.random.RandomState(1)
    for _ in range(5):
        H = _random_spd(rng)
        w0 = rng.uniform(-3, 3, 2)
        w = constrained_optimum(H, w0, penalty="lp", p=0.5)
        # brute force on a different parametrization of the boundary
        pts = _ball_outline("lp", 1.0, p=0.5, n_points=400001)
        d = pts - w0
        brute = 0.5 * np.einsum("ni,ij,nj->n", d, H, d).min()
        dw = w - w0
        assert 0.5 * dw @ H @ dw <= brute + 1e-9
        assert abs(np.sum(np.abs(w) ** 0.5) - 1.0) < 1e-9


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"penalty": "l3"}, "penalty must be one of"),
        ({"radius": 0.0}, "radius must be > 0"),
        ({"l1_ratio": 1.5}, r"l1_ratio must be in \[0, 1\]"),
        ({"p": -1.0}, "p must be > 0"),
        ({"hessian": [[1.0, 2.0], [2.0, 1.0]]}, "positive definite"),
        ({"w_ols": [1.0, 2.0, 3.0]}, "shape"),
    ],
)
def test_constrained_optimum_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        constrained_optimum(**kwargs)


def test_plot_constraint_geometry_draws_balls_and_optima():
    fig = plot_constraint_geometry(radius=1.0, l1_ratio=0.5)
    ax = fig.axes[0]
    for pen in ("l1", "l2", "elasticnet"):
        (ball,) = _by_gid(ax, f"ball:{pen}")
        (opt,) = _by_gid(ax, f"optimum:{pen}")
        xy = ball.get_xydata()
        if pen == "l1":
            np.testing.assert_allclose(np.abs(xy).sum(axis=1), 1.0, atol=1e-12)
        elif pen == "l2":
            np.testing.assert_allclose(np.hypot(xy[:, 0], xy[:, 1]), 1.0, atol=1e-12)
        else:
            h = 0.5 * np.abs(xy).sum(axis=1) + 0.5 * (xy**2).sum(axis=1)
            np.testing.assert_allclose(h, 1.0, atol=1e-12)
        np.testing.assert_array_equal(
            opt.get_xydata()[0], constrained_optimum(penalty=pen, l1_ratio=0.5)
        )
    l1 = _by_gid(ax, "optimum:l1")[0].get_xydata()[0]
    l2 = _by_gid(ax, "optimum:l2")[0].get_xydata()[0]
    assert np.sum(l1 == 0) == 1 and np.all(l2 != 0)


def test_plot_constraint_geometry_from_data_and_subset():
    rng = np.random.RandomState(0)
    X = rng.randn(50, 2)
    y = X @ np.array([1.5, 0.4]) + 0.1 * rng.randn(50)
    fig = plot_constraint_geometry(X=X, y=y, penalties=["l1"])
    ax = fig.axes[0]
    assert _by_gid(ax, "ball:l2") == []
    w_ols = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(_by_gid(ax, "ols")[0].get_xydata()[0], w_ols)
    np.testing.assert_allclose(
        _by_gid(ax, "optimum:l1")[0].get_xydata()[0],
        constrained_optimum(X.T @ X / 50, w_ols, penalty="l1"),
    )
    with pytest.raises(ValueError, match="non-empty subset"):
        plot_constraint_geometry(penalties=["l0"])
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        plot_constraint_geometry(X=np.ones((5, 3)), y=np.ones(5))


def test_plot_geometry_panel_cases():
    fig = plot_geometry_panel(n_random=4, random_state=0)
    assert len(fig.axes) == 6
    titles = [ax.get_title().splitlines()[0] for ax in fig.axes]
    assert titles == [f"random loss {i}" for i in range(1, 5)] + [
        "symmetric loss",
        "orthogonal design",
    ]
    sym, orth = fig.axes[4], fig.axes[5]
    np.testing.assert_allclose(
        _by_gid(sym, "optimum:l1")[0].get_xydata()[0], [0.5, 0.5], atol=1e-9
    )
    np.testing.assert_array_equal(
        _by_gid(orth, "optimum:l1")[0].get_xydata()[0], [1.0, 0.0]
    )
    w0 = np.array([2.0, 0.6])
    np.testing.assert_allclose(
        _by_gid(orth, "optimum:l2")[0].get_xydata()[0],
        w0 / np.linalg.norm(w0),
        atol=1e-9,
    )
    for ax in fig.axes:
        w1 = _by_gid(ax, "optimum:l1")[0].get_xydata()[0]
        assert f"L1 {int(np.sum(w1 == 0))}" in ax.get_title()
    with pytest.raises(ValueError, match="n_random"):
        plot_geometry_panel(n_random=-1)


def test_penalized_optimum_against_sklearn_elasticnet():
    rng = np.random.RandomState(0)
    for penalty, a in (("l1", 1.0), ("elasticnet", 0.4)):
        for _ in range(5):
            H = _random_spd(rng)
            w0 = rng.uniform(-2, 2, 2)
            lam = rng.uniform(0.05, 1.5)
            # 1/(2n)||y - Xw||^2 with n = 2, X = sqrt(2) L^T, y = X w0
            X = np.sqrt(2.0) * np.linalg.cholesky(H).T
            ref = ElasticNet(
                alpha=lam, l1_ratio=a, fit_intercept=False, tol=1e-14, max_iter=100000
            ).fit(X, X @ w0)
            w = _penalized_optimum(H, w0, lam, penalty, l1_ratio=a)
            np.testing.assert_allclose(w, ref.coef_, atol=1e-8)
    H, w0 = _random_spd(rng), rng.uniform(-2, 2, 2)
    np.testing.assert_allclose(
        _penalized_optimum(H, w0, 0.7, "l2"),
        np.linalg.solve(H + 0.7 * np.eye(2), H @ w0),
        atol=1e-12,
    )


def test_plot_penalized_surface_minimizers():
    lambdas = (0.0, 0.5, 1.5)
    fig = plot_penalized_surface(lambdas=lambdas, penalty="l1")
    assert len(fig.axes) == 3
    assert all(ax.name == "3d" for ax in fig.axes)
    H = np.array([[1.0, 0.6], [0.6, 1.0]])
    w0 = np.array([2.0, 0.5])
    for ax, lam in zip(fig.axes, lambdas, strict=True):
        (sc,) = [c for c in ax.collections if c.get_gid() == "minimizer"]
        x, y, z = (np.asarray(v)[0] for v in sc._offsets3d)
        w = _penalized_optimum(H, w0, lam, "l1")
        np.testing.assert_allclose([x, y], w)
        np.testing.assert_allclose(z, _penalized_objective(w, H, w0, lam, "l1", 0.5))
    np.testing.assert_allclose(_penalized_optimum(H, w0, 0.0, "l1"), w0, atol=1e-12)
    assert _penalized_optimum(H, w0, 1.5, "l1")[1] == 0.0  # in the crease
    with pytest.raises(ValueError, match=">= 0"):
        plot_penalized_surface(lambdas=(-1.0,))
    with pytest.raises(ValueError, match="penalty"):
        plot_penalized_surface(penalty="lp")


def test_plot_lp_balls_points_on_ball_and_sparsity():
    ps = (0.5, 1.0, 2.0)
    fig = plot_lp_balls(ps, radius=1.5)
    ax = fig.axes[0]
    for p in ps:
        (ball,) = _by_gid(ax, f"lp_ball:p={p:g}")
        xy = ball.get_xydata()
        np.testing.assert_allclose(np.sum(np.abs(xy) ** p, axis=1), 1.5**p, rtol=1e-12)
        assert len(xy) > 1000
    fig = plot_lp_balls()
    ax = fig.axes[0]
    opt = {p: _by_gid(ax, f"optimum:p={p:g}")[0].get_xydata()[0] for p in ps}
    assert np.sum(opt[0.5] == 0) == 1  # p < 1: sparse
    assert np.sum(opt[1.0] == 0) == 0  # the L1 solution is on an edge here
    np.testing.assert_allclose(opt[1.0], [0.6, 0.4], atol=1e-9)
    fig = plot_lp_balls((0.3,), show_optimum=False)
    assert _by_gid(fig.axes[0], "optimum:p=0.3") == []
    with pytest.raises(ValueError, match="exponents > 0"):
        plot_lp_balls((0.0, 1.0))


# --------------------------------------------------------------------------
# overfitting
# --------------------------------------------------------------------------
def test_plot_overfitting_curves():
    degrees = range(1, 16)
    c = overfitting_curves(degrees, random_state=0)
    fig = plot_overfitting(degrees, random_state=0)
    ax, ax_fit = fig.axes
    for key in ("train_ols", "test_ols", "train_reg", "test_reg"):
        (ln,) = _by_gid(ax, key)
        np.testing.assert_array_equal(ln.get_xdata(), np.arange(1, 16))
        np.testing.assert_allclose(ln.get_ydata(), c[key])
    # least squares overfits at high degree, ridge keeps the test error low
    assert c["test_ols"][-1] > 5 * c["test_ols"].min()
    assert c["test_reg"][-1] < c["test_ols"][-1] / 5
    assert c["train_ols"][-1] < c["test_ols"][-1]
    assert _by_gid(ax_fit, "fit_ols") and _by_gid(ax_fit, "fit_reg")


def test_plot_overfitting_custom_regressor_and_ax():
    fig, ax = plt.subplots()
    out = plot_overfitting([1, 2, 3], regressor=Ridge(alpha=1.0), ax=ax)
    assert out is fig and len(fig.axes) == 1
    assert "Ridge" in _by_gid(ax, "test_reg")[0].get_label()
    with pytest.raises(ValueError, match="degrees"):
        overfitting_curves([0, 1])


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------
def _parser():
    parser = argparse.ArgumentParser(prog="skreg")
    sub = parser.add_subparsers(dest="command", required=True)
    add_path_command(sub)
    add_geometry_command(sub)
    return parser


def _is_png(path):
    with open(path, "rb") as fh:
        return fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_cli_path_default_dataset(tmp_path, capsys):
    out = tmp_path / "path.png"
    args = _parser().parse_args(["path", "--out", str(out), "--cv", "3"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert args.func(args) == 0
    assert _is_png(out)
    assert "wrote" in capsys.readouterr().out
    assert plt.get_fignums() == []  # the CLI closes its figure


def test_cli_path_csv(tmp_path):
    X, y = _correlated_frame()
    frame = X.assign(target=y)
    csv = tmp_path / "data.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "p.png"
    args = _parser().parse_args(
        [
            "path",
            "--csv",
            str(csv),
            "--out",
            str(out),
            "--l1-ratio",
            "0.5",
            "--no-cv-curve",
            "--cv",
            "3",
        ]
    )
    assert args.func(args) == 0
    assert _is_png(out)
    # errors are reported with exit status 2, not a traceback
    frame.assign(city="x").to_csv(csv, index=False)
    args = _parser().parse_args(["path", "--csv", str(csv), "--target", "target"])
    assert args.func(args) == 2
    args = _parser().parse_args(["path", "--csv", str(csv), "--target", "nope"])
    assert args.func(args) == 2


@pytest.mark.parametrize("kind", ["constraint", "panel", "surface", "lp"])
def test_cli_geometry(tmp_path, kind):
    out = tmp_path / f"{kind}.png"
    args = _parser().parse_args(
        ["geometry", "--kind", kind, "--out", str(out), "--dpi", "40"]
    )
    assert args.func(args) == 0
    assert _is_png(out)


def test_cli_geometry_bad_radius(tmp_path, capsys):
    args = _parser().parse_args(["geometry", "--radius", "-1"])
    assert args.func(args) == 2
    assert "--radius must be > 0" in capsys.readouterr().err


def test_cli_setup_functions_fit_the_main_registry(tmp_path):
    # skreg/__main__.py builds each subparser itself and calls
    # setup(parser) -> run, then dispatches with args._run(args)
    parser = argparse.ArgumentParser(prog="skreg")
    sub = parser.add_subparsers(dest="command")
    for name, setup in (
        ("path", add_path_arguments),
        ("geometry", add_geometry_arguments),
    ):
        p = sub.add_parser(name, help=name, description=name)
        p.set_defaults(_run=setup(p))
    out = tmp_path / "g.png"
    args = parser.parse_args(["geometry", "--kind", "lp", "--out", str(out)])
    assert args._run(args) == 0
    assert _is_png(out)
    assert parser.parse_args(["path", "--cv", "4"]).cv == 4


def test_cli_through_python_m_skreg(tmp_path):
    out = tmp_path / "geometry.png"
    res = _run_python(
        f"import sys; from skreg.__main__ import main; "
        f"sys.exit(main(['geometry', '--out', {str(out)!r}, '--dpi', '40']))",
        drop=("MPLBACKEND",),
    )
    assert res.returncode == 0, res.stderr
    assert _is_png(out)
