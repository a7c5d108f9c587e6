"""skreg.enet_path / lasso_path against scikit-learn and the KKT conditions."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet
from sklearn.linear_model import enet_path as sk_enet_path
from sklearn.linear_model import lasso_path as sk_lasso_path

from skreg import ElasticNetCD, enet_path, lasso_path

TOL = 1e-12  # tight: solutions agree to ~1e-6 or better


def _data(n=30, p=8, seed=0, sparse=False):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    if sparse:
        X[rng.rand(n, p) < 0.5] = 0.0
    X[:, 1] += 2.0  # a non-centred column: centring matters
    w = np.zeros(p)
    w[:3] = [1.5, -2.0, 0.7]
    y = X @ w + 0.5 * rng.randn(n) + 1.0
    sw = rng.uniform(0.2, 2.0, size=n)
    return X, y, sw


def _objective(X, y, sw, coef, alpha, l1_ratio, intercept=0.0):
    sw = np.ones(len(y)) if sw is None else sw
    r = y - np.asarray(X @ coef).ravel() - intercept
    return (
        0.5 * np.sum(sw * r**2) / sw.sum()
        + alpha * l1_ratio * np.abs(coef).sum()
        + 0.5 * alpha * (1 - l1_ratio) * coef @ coef
    )


def _weighted_centred(X, y, sw):
    """sklearn's own preprocessing: centre, then rescale rows by sqrt(sw n / sum sw)."""
    sw = np.ones(len(y)) if sw is None else sw
    Xm = np.average(X, axis=0, weights=sw)
    ym = np.average(y, weights=sw)
    s = np.sqrt(sw * len(y) / sw.sum())
    return (X - Xm) * s[:, None], (y - ym) * s, Xm, ym


# ---------------------------------------------------------------------------
# agreement with scikit-learn
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
@pytest.mark.parametrize("positive", [False, True])
def test_enet_path_matches_sklearn(sparse, l1_ratio, positive):
    X, y, _ = _data(sparse=sparse)
    Xin = sp.csc_matrix(X) if sparse else X
    kw = dict(l1_ratio=l1_ratio, alphas=15, eps=1e-2, tol=TOL, positive=positive,
              max_iter=10_000)
    alphas, coefs, gaps = enet_path(Xin, y, **kw)
    sk_alphas, sk_coefs, _ = sk_enet_path(Xin, y, **kw)
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-12)
    assert coefs.shape == (X.shape[1], 15)
    np.testing.assert_allclose(coefs, sk_coefs, atol=1e-6)
    for k, alpha in enumerate(alphas):
        ours = _objective(X, y, None, coefs[:, k], alpha, l1_ratio)
        ref = _objective(X, y, None, sk_coefs[:, k], alpha, l1_ratio)
        assert abs(ours - ref) <= 1e-7 * abs(ref)
        assert ours <= ref * (1 + 1e-9)
    assert np.all(gaps <= TOL * (y @ y) / len(y) + 1e-15)


@pytest.mark.parametrize("sparse", [False, True])
def test_lasso_path_matches_sklearn_given_alphas(sparse):
    X, y, _ = _data(seed=1, sparse=sparse)
    Xin = sp.csr_matrix(X) if sparse else X  # CSR is converted
    given = [0.5, 0.01, 2.0, 0.1]  # unsorted: returned decreasing
    alphas, coefs, gaps, n_iters = lasso_path(
        Xin, y, alphas=given, tol=TOL, return_n_iter=True
    )
    np.testing.assert_array_equal(alphas, [2.0, 0.5, 0.1, 0.01])
    _, sk_coefs, _ = sk_lasso_path(Xin, y, alphas=given, tol=TOL, max_iter=10_000)
    np.testing.assert_allclose(coefs, sk_coefs, atol=1e-6)
    assert len(n_iters) == 4 and all(isinstance(n, int) for n in n_iters)
    assert gaps.shape == (4,)


def test_lasso_path_docstring_example_matches_lars():
    # sklearn's docstring example: the exact (LARS) path values
    X = np.array([[1, 2, 3.1], [2.3, 5.4, 4.3]]).T
    y = np.array([1, 2, 3.1])
    _, coefs, _ = lasso_path(X, y, alphas=[5.0, 1.0, 0.5], tol=1e-14)
    expected = [[0.0, 0.0, 0.46915237], [0.2159048, 0.4425765, 0.23668876]]
    np.testing.assert_allclose(coefs, expected, atol=1e-7)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.3])
def test_enet_path_intercept_and_weights(sparse, weighted, l1_ratio):
    """fit_intercept=True + sample_weight == sklearn's path on its own preprocessing."""
    X, y, sw = _data(seed=2, sparse=sparse)
    sw = sw if weighted else None
    Xin = sp.csc_matrix(X) if sparse else X
    alphas, coefs, _ = enet_path(
        Xin, y, l1_ratio=l1_ratio, alphas=12, fit_intercept=True,
        sample_weight=sw, tol=TOL, eps=1e-2,
    )
    Xs, ys, Xm, ym = _weighted_centred(X, y, sw)
    sk_alphas, sk_coefs, _ = sk_enet_path(
        Xs, ys, l1_ratio=l1_ratio, alphas=12, tol=TOL, eps=1e-2, max_iter=10_000
    )
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-10)
    np.testing.assert_allclose(coefs, sk_coefs, atol=1e-6)
    # same objective as sklearn's ElasticNet (weighted, with intercept)
    k = 8
    enet = ElasticNet(alpha=alphas[k], l1_ratio=l1_ratio, tol=1e-12, max_iter=10_000)
    enet.fit(X, y, sample_weight=sw)
    ours = _objective(X, y, sw, coefs[:, k], alphas[k], l1_ratio,
                      ym - Xm @ coefs[:, k])
    ref = _objective(X, y, sw, enet.coef_, alphas[k], l1_ratio, enet.intercept_)
    assert abs(ours - ref) <= 1e-7 * ref


def test_sparse_X_offset_follows_sklearn_convention():
    """X_offset (sparse X, centred y) == fit_intercept=True == sklearn with X_offset."""
    X, y, _ = _data(seed=3, sparse=True)
    Xs = sp.csc_matrix(X)
    Xm, ym = X.mean(axis=0), y.mean()
    alphas, ref, _ = lasso_path(Xs, y, alphas=10, fit_intercept=True, tol=TOL)
    _, coefs, _ = lasso_path(Xs, y - ym, alphas=alphas, X_offset=Xm, tol=TOL)
    np.testing.assert_allclose(coefs, ref, atol=1e-10)
    _, sk_coefs, _ = sk_lasso_path(
        Xs, y - ym, alphas=alphas, X_offset=Xm, X_scale=np.ones(X.shape[1]),
        tol=TOL, max_iter=10_000,
    )
    np.testing.assert_allclose(coefs, sk_coefs, atol=1e-6)
    # dense X is assumed already centred (sklearn): X_offset is not applied
    _, dense, _ = lasso_path(X - Xm, y - ym, alphas=alphas, X_offset=Xm, tol=TOL)
    np.testing.assert_allclose(dense, ref, atol=1e-6)


def test_path_equals_independent_fits():
    """Warm starts change the route, not the destination."""
    X, y, sw = _data(seed=4)
    alphas, coefs, _ = enet_path(X, y, l1_ratio=0.7, alphas=6, fit_intercept=True,
                                 sample_weight=sw, tol=TOL)
    for k, alpha in enumerate(alphas):
        est = ElasticNetCD(alpha=alpha, l1_ratio=0.7, tol=TOL, max_iter=10_000)
        est.fit(X, y, sample_weight=sw)
        np.testing.assert_allclose(coefs[:, k], est.coef_, atol=1e-7)


def test_coef_init_and_float32():
    X, y, _ = _data(seed=5)
    alphas, coefs, _ = lasso_path(X, y, alphas=5, tol=TOL)
    # starting at the solution of the first alpha: same path
    _, coefs2, _, n_iters = lasso_path(X, y, alphas=alphas[1:], tol=TOL,
                                       coef_init=coefs[:, 0], return_n_iter=True)
    np.testing.assert_allclose(coefs2, coefs[:, 1:], atol=1e-8)
    _, c32, _ = lasso_path(X.astype(np.float32), y.astype(np.float32), alphas=alphas,
                           tol=1e-6)
    assert c32.dtype == np.float32
    np.testing.assert_allclose(c32, coefs, atol=1e-3)


def test_user_data_not_modified():
    X, y, sw = _data(seed=6)
    Xs = sp.csc_matrix(X)
    copies = X.copy(), y.copy(), sw.copy(), Xs.data.copy()
    X.setflags(write=False)
    y.setflags(write=False)
    enet_path(X, y, alphas=4, fit_intercept=True, sample_weight=sw)
    enet_path(Xs, y, alphas=4, fit_intercept=True, sample_weight=sw)
    for a, b in zip((X, y, sw, Xs.data), copies, strict=True):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------
# alpha_max: the KKT condition
# ---------------------------------------------------------------------------


def _xcy(X, y, sw, fit_intercept):
    sw = np.ones(len(y)) if sw is None else sw
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=sw)
        y = y - np.average(y, weights=sw)
    return X.T @ (sw * y), sw.sum()


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.4])
def test_alpha_max_kkt(sparse, positive, weighted, fit_intercept, l1_ratio):
    rng = np.random.RandomState(7)
    X = rng.randn(30, 6) + 0.3
    if sparse:
        X[rng.rand(30, 6) < 0.4] = 0.0
    # the largest |correlation| is negative, so that positive=True differs
    y = X @ np.array([-3.0, 1.0, 0.5, 0.0, 0.0, 0.0]) + 0.1 * rng.randn(30)
    sw = rng.uniform(0.2, 2.0, size=30) if weighted else None
    Xin = sp.csc_matrix(X) if sparse else X
    alphas, coefs, _ = enet_path(
        Xin, y, l1_ratio=l1_ratio, alphas=5, eps=0.5, positive=positive,
        sample_weight=sw, fit_intercept=fit_intercept, tol=TOL,
    )
    g, n_w = _xcy(X, y, sw, fit_intercept)
    expected = (g.max() if positive else np.abs(g).max()) / (n_w * l1_ratio)
    assert positive is False or g.max() < np.abs(g).max()  # the case is distinct
    np.testing.assert_allclose(alphas[0], expected, rtol=1e-12)
    # all zero at alpha_max ...
    np.testing.assert_array_equal(coefs[:, 0], 0.0)
    # ... and some non-zero just below it (the feature attaining the max)
    _, below, _ = enet_path(
        Xin, y, l1_ratio=l1_ratio, alphas=[alphas[0] * (1 - 1e-3)],
        positive=positive, sample_weight=sw, fit_intercept=fit_intercept, tol=TOL,
    )
    j = np.argmax(g if positive else np.abs(g))
    assert below[j, 0] != 0.0
    if positive:
        assert np.all(below >= 0)


def test_alpha_max_positive_without_positive_correlation():
    """positive=True and X^T y <= 0: the zero vector for every alpha, no error."""
    rng = np.random.RandomState(8)
    X = np.abs(rng.randn(20, 4))
    y = -X @ np.array([1.0, 0.5, 2.0, 0.3])
    alphas, coefs, gaps = lasso_path(X, y, alphas=7, positive=True)
    np.testing.assert_array_equal(alphas, np.finfo(float).resolution)
    np.testing.assert_array_equal(coefs, 0.0)
    np.testing.assert_array_equal(gaps, 0.0)
    sk_alphas, _, _ = sk_lasso_path(X, y, alphas=7, positive=True)
    np.testing.assert_array_equal(alphas, sk_alphas)


def test_alpha_max_zero_correlation():
    X = np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0]) * 0.0 + 3.0  # constant: X_c^T y_c = 0
    alphas, coefs, _ = enet_path(X, y, alphas=3, fit_intercept=True)
    np.testing.assert_array_equal(alphas, np.finfo(float).resolution)
    np.testing.assert_array_equal(coefs, 0.0)


def test_xy_used_for_grid():
    X, y, _ = _data(seed=9)
    Xy = X.T @ y
    a1, _, _ = lasso_path(X, y, alphas=4, Xy=Xy)
    a2, _, _ = lasso_path(X, y, alphas=4, Xy=2 * Xy)
    np.testing.assert_allclose(a2, 2 * a1)


# ---------------------------------------------------------------------------
# parameters and errors
# ---------------------------------------------------------------------------


def test_n_alphas_alias_and_defaults():
    X, y, _ = _data(seed=10)
    assert lasso_path(X, y)[0].shape == (100,)
    np.testing.assert_array_equal(
        lasso_path(X, y, n_alphas=7)[0], lasso_path(X, y, alphas=7)[0]
    )
    with pytest.raises(ValueError, match="n_alphas=7 and alphas=8 disagree"):
        lasso_path(X, y, n_alphas=7, alphas=8)
    a, c, g = lasso_path(X, y, alphas=[0.3])  # a single alpha
    assert a.shape == (1,) and c.shape == (X.shape[1], 1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(l1_ratio=0.0, alphas=5), "Automatic alpha grid generation is not"),
        (dict(l1_ratio=1.5), "'l1_ratio' parameter of enet_path must be a float"),
        (dict(eps=0.0), "'eps' parameter of enet_path must be a float"),
        (dict(alphas=0), "'alphas' parameter of enet_path must be an int"),
        (dict(alphas=[1.0, -1.0]), "alphas must be finite and non-negative"),
        (dict(alphas=[[1.0]]), "alphas must be an int or a non-empty 1-D"),
        (dict(max_iter=0), "'max_iter' parameter of enet_path must be an int"),
        (dict(selection="bad"), "'selection' parameter of enet_path must be"),
        (dict(coef_init=np.zeros(3)), r"coef_init must have shape \(8,\)"),
        (dict(foo=1), "Unexpected parameters in params"),
        (dict(fit_intercept=True, X_offset=np.zeros(8)), "either fit_intercept"),
        (dict(sample_weight=-np.ones(30)), "Negative values in data passed"),
    ],
)
def test_errors(kwargs, match):
    X, y, _ = _data()
    with pytest.raises(ValueError, match=match):
        enet_path(X, y, **kwargs)


def test_multi_target_rejected_with_clear_error():
    X, y, _ = _data()
    with pytest.raises(ValueError, match="fits one target"):
        enet_path(X, np.c_[y, y])


def test_l1_ratio_zero_with_given_alphas_is_ridge():
    X, y, _ = _data(seed=11)
    alphas, coefs, gaps = enet_path(X, y, l1_ratio=0.0, alphas=[1.0, 0.1], tol=TOL)
    n = len(y)
    for k, a in enumerate(alphas):
        ref = np.linalg.solve(X.T @ X / n + a * np.eye(X.shape[1]), X.T @ y / n)
        # the duality gap certifies the suboptimality; ridge's strong convexity
        # turns it into a coefficient error of at most sqrt(2 gap / alpha)
        sub = _objective(X, y, None, coefs[:, k], a, 0.0) - _objective(
            X, y, None, ref, a, 0.0
        )
        assert -1e-14 <= sub <= gaps[k] + 1e-14
        np.testing.assert_allclose(coefs[:, k], ref, atol=np.sqrt(2 * gaps[k] / a))


def test_one_convergence_warning_per_path():
    X, y, _ = _data(seed=12)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        lasso_path(X, y, alphas=6, max_iter=1, tol=1e-14)
    conv = [w for w in rec if issubclass(w.category, ConvergenceWarning)]
    assert len(conv) == 1
    assert "did not converge for" in str(conv[0].message)


def test_ignored_compat_parameters():
    X, y, _ = _data(seed=13)
    ref = lasso_path(X, y, alphas=4, tol=TOL)[1]
    out = lasso_path(X, y, alphas=4, tol=TOL, precompute=True, copy_X=False,
                     check_input=False, do_screening=False)[1]
    np.testing.assert_allclose(out, ref, atol=1e-12)


def test_random_selection_reaches_same_path():
    X, y, _ = _data(seed=14)
    ref = lasso_path(X, y, alphas=5, tol=TOL)[1]
    out = lasso_path(X, y, alphas=5, tol=TOL, selection="random", random_state=0)[1]
    np.testing.assert_allclose(out, ref, atol=1e-7)


# ---------------------------------------------------------------------------
# secant warm starts along the path
# ---------------------------------------------------------------------------


def _orthogonal_design(n=40, p=6, seed=0):
    """X with X^T X = n I: the Lasso solution is soft(X^T y / n, alpha)."""
    rng = np.random.RandomState(seed)
    Q, _ = np.linalg.qr(rng.randn(n, p))
    X = np.sqrt(n) * Q
    y = X @ np.array([3.0, -2.0, 1.0, 0.5, 0.0, 0.0]) + 0.1 * rng.randn(n)
    z = X.T @ y / n
    return X, y, z


def _soft(z, alpha):
    return np.sign(z) * np.maximum(np.abs(z) - alpha, 0.0)


def test_secant_start_is_exact_between_breakpoints():
    from skreg.linear_model._path import _secant_start

    X, y, z = _orthogonal_design()
    active = np.abs(z)
    # three alphas below the smallest active |z| of the first 3 features and
    # above the others': the support does not change, the path is linear
    lo, hi = np.sort(active)[-4], np.sort(active)[-3]
    alphas = np.linspace(hi, lo, 5)[1:4]
    w_prev, w = _soft(z, alphas[0]), _soft(z, alphas[1])
    guess = _secant_start(w, w_prev, alphas, 2)
    np.testing.assert_allclose(guess, _soft(z, alphas[2]), rtol=0, atol=1e-13)


def test_secant_start_never_flips_signs_nor_adds_features():
    from skreg.linear_model._path import _secant_start

    w_prev = np.array([1.0, 0.2, 0.0, -0.5, 0.0])
    w = np.array([1.5, 0.05, 0.0, -0.1, 0.0])
    guess = _secant_start(w, w_prev, np.array([3.0, 2.0, 1.0]), 2)
    # feature 1 would cross zero (0.05 - 0.15), feature 3 would turn positive
    np.testing.assert_array_equal(guess, [2.0, 0.0, 0.0, 0.0, 0.0])
    # a repeated alpha gives no direction
    assert _secant_start(w, w_prev, np.array([2.0, 2.0, 1.0]), 2) is None


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("sparse", [False, True])
def test_path_with_secant_starts_matches_single_fits(l1_ratio, sparse):
    """Each alpha of the path is the optimum of its own problem: the same
    objective as an independent fit at tight tolerance, and each gap below
    the tolerance."""
    X, y, sw = _data(n=60, p=40, seed=3, sparse=sparse)
    Xk = sp.csc_matrix(X) if sparse else X
    alphas, coefs, gaps = enet_path(Xk, y, l1_ratio=l1_ratio, alphas=30, tol=TOL,
                                    max_iter=100000)
    target = TOL * np.mean(y**2)
    assert np.all(gaps <= target)
    for k in [5, 15, 29]:
        ref = ElasticNet(alpha=alphas[k], l1_ratio=l1_ratio, fit_intercept=False,
                         tol=1e-14, max_iter=100000).fit(X, y)
        p_path = _objective(X, y, None, coefs[:, k], alphas[k], l1_ratio)
        p_ref = _objective(X, y, None, ref.coef_, alphas[k], l1_ratio)
        assert p_path <= p_ref * (1 + 1e-9) + 1e-15


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_path_computes_column_norms_once(monkeypatch, sparse, weighted):
    """The kernels' column norms are computed by the first alpha's kernel
    call and handed to every later one; they are the centred, weighted
    squared column norms, and the path is the one of independent fits."""
    from skreg._kernels import _linear

    X, y, sw = _data(n=40, p=12, seed=3, sparse=sparse)
    sw = sw if weighted else None
    Xf = sp.csc_matrix(X) if sparse else X
    received = []
    real = _linear.enet_cd

    def spy(*args):
        received.append(np.array(args[-1]))
        return real(*args)

    monkeypatch.setattr(_linear, "enet_cd", spy)
    alphas = np.geomspace(1.0, 0.01, 6)
    _, coefs, _ = enet_path(Xf, y, l1_ratio=0.7, alphas=alphas, sample_weight=sw,
                            fit_intercept=True, tol=TOL)
    assert len(received) >= len(alphas)
    assert received[0].shape == (0,)
    w = np.ones(len(y)) if sw is None else sw
    Xc = X - np.average(X, axis=0, weights=w)
    expected = (w[:, None] * Xc**2).sum(axis=0)
    for norms in received[1:]:
        np.testing.assert_allclose(norms, expected, rtol=1e-12)
    monkeypatch.undo()
    for k, alpha in enumerate(alphas):
        est = ElasticNetCD(alpha=alpha, l1_ratio=0.7, tol=TOL).fit(
            Xf, y, sample_weight=sw
        )
        np.testing.assert_allclose(coefs[:, k], est.coef_, rtol=1e-6, atol=1e-9)
