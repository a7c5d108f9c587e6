"""ElasticNetCD, ProxLasso and RidgeGD against scikit-learn, with certificates."""

import pickle
import warnings
import zlib

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skreg import ElasticNetCD, ProxLasso, RidgeGD

# ---------------------------------------------------------------------------
# reference objective, KKT and problem generator (plain NumPy)
# ---------------------------------------------------------------------------


def enet_objective(X, y, w, b, alpha, l1_ratio, sw=None):
    X = X.toarray() if sp.issparse(X) else X
    sw = np.ones(len(y)) if sw is None else sw
    r = y - X @ w - b
    return (
        0.5 * np.sum(sw * r**2) / sw.sum()
        + alpha * l1_ratio * np.abs(w).sum()
        + 0.5 * alpha * (1 - l1_ratio) * w @ w
    )


def enet_kkt_violation(X, y, w, b, alpha, l1_ratio, sw=None, positive=False):
    """Largest violation of the elastic-net optimality conditions (NumPy)."""
    X = X.toarray() if sp.issparse(X) else X
    sw = np.ones(len(y)) if sw is None else sw
    r = y - X @ w - b
    g = X.T @ (sw * r) / sw.sum() - alpha * (1 - l1_ratio) * w
    a1 = alpha * l1_ratio
    viol = np.where(
        w > 0,
        np.abs(g - a1),
        np.where(
            w < 0,
            np.abs(g + a1),
            np.maximum(g - a1, 0) if positive else np.maximum(np.abs(g) - a1, 0),
        ),
    )
    return viol.max(initial=0.0)


def seed_of(*key):
    """A seed fixed by the test's parameters. Not ``hash()``: strings hash
    differently in every process (PYTHONHASHSEED), which once made a test
    draw a new problem on every run."""
    return zlib.crc32(repr(key).encode())


def make_problem(n, p, *, seed, correlated=False, sparse=False, offset=2.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if correlated:  # pairs of nearly identical columns
        X[:, 1::2] = X[:, ::2][:, : X[:, 1::2].shape[1]] + 0.01 * rng.standard_normal(
            (n, p // 2)
        )
    X += offset
    if sparse:
        X[rng.random((n, p)) < 0.7] = 0.0
    w = np.zeros(p)
    w[: min(5, p)] = rng.standard_normal(min(5, p)) * 2
    y = X @ w + 0.5 * rng.standard_normal(n) + 3.0
    return X, y


def alpha_max(X, y, sw, l1_ratio, fit_intercept):
    X = X.toarray() if sp.issparse(X) else X
    sw = np.ones(len(y)) if sw is None else sw
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=sw)
        y = y - np.average(y, weights=sw)
    return np.abs(X.T @ (sw * y)).max() / (sw.sum() * l1_ratio)


def gap_target(y, sw, fit_intercept, tol):
    """scikit-learn's stopping threshold on the gap, in objective units."""
    yc = y - np.average(y, weights=sw) if fit_intercept else y
    return tol * np.average(yc**2, weights=sw)


CASES = [
    # (n, p, correlated)
    (60, 25, False),  # n > p
    (30, 80, False),  # p > n
    (40, 40, True),  # correlated columns
]


def _sk_enet(alpha, l1_ratio, fit_intercept, positive):
    if l1_ratio == 1.0:
        return Lasso(
            alpha=alpha,
            fit_intercept=fit_intercept,
            positive=positive,
            tol=1e-14,
            max_iter=200_000,
        )
    return ElasticNet(
        alpha=alpha,
        l1_ratio=l1_ratio,
        fit_intercept=fit_intercept,
        positive=positive,
        tol=1e-14,
        max_iter=200_000,
    )


# ---------------------------------------------------------------------------
# known answers
# ---------------------------------------------------------------------------


def test_lasso_toy_known_answer():
    # scikit-learn's own toy problem: Lasso(alpha=0.1) on 3 points gives 0.85
    X = np.array([[-1.0], [0.0], [1.0]])
    y = np.array([-1.0, 0.0, 1.0])
    for est in (ElasticNetCD(alpha=0.1, l1_ratio=1.0), ProxLasso(alpha=0.1)):
        est.fit(X, y)
        assert_allclose(est.coef_, [0.85], rtol=1e-12)
        assert est.intercept_ == pytest.approx(0.0, abs=1e-15)
        assert est.dual_gap_ == pytest.approx(0.0, abs=1e-15)
        assert_allclose(est.predict([[2.0], [3.0]]), [1.7, 2.55], rtol=1e-12)


def test_ridge_toy_known_answer():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([1.0, 3.0, 5.0, 7.0])
    # centred: sum x_c^2 = 5, sum x_c y_c = 10 -> w = 2 * 5 / (5 + alpha)
    for solver in ("gd", "momentum", "nesterov"):
        est = RidgeGD(alpha=1.0, tol=1e-14, solver=solver).fit(X, y)
        assert_allclose(est.coef_, [10.0 / 6.0], rtol=1e-12)
        assert est.intercept_ == pytest.approx(4.0 - 1.5 * 10.0 / 6.0, rel=1e-12)


# ---------------------------------------------------------------------------
# agreement with scikit-learn on a battery of problems
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n, p, correlated", CASES)
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_enet_matches_sklearn(
    n, p, correlated, sparse, fit_intercept, weighted, l1_ratio
):
    seed = seed_of(n, p, correlated, sparse, fit_intercept, weighted)
    X, y = make_problem(n, p, seed=seed, correlated=correlated, sparse=sparse)
    rng = np.random.default_rng(seed + 1)
    sw = rng.uniform(0.1, 3.0, n) if weighted else None
    positive = bool(seed % 2)
    amax = alpha_max(X, y, sw, l1_ratio, fit_intercept)
    alpha = amax / 15
    Xf = sp.csc_matrix(X) if sparse else X
    ref = _sk_enet(alpha, l1_ratio, fit_intercept, positive).fit(
        Xf, y, sample_weight=sw
    )
    est = ElasticNetCD(
        alpha=alpha,
        l1_ratio=l1_ratio,
        fit_intercept=fit_intercept,
        positive=positive,
        tol=1e-12,
        max_iter=100_000,
    ).fit(Xf, y, sample_weight=sw)
    p_ref = enet_objective(X, y, ref.coef_, ref.intercept_, alpha, l1_ratio, sw)
    p_est = enet_objective(X, y, est.coef_, est.intercept_, alpha, l1_ratio, sw)
    assert p_est <= p_ref * (1 + 1e-7)
    assert p_ref <= p_est * (1 + 1e-7)
    # certificate at the returned point
    assert est.dual_gap_ <= gap_target(y, sw, fit_intercept, 1e-12)
    assert (
        enet_kkt_violation(
            X, y, est.coef_, est.intercept_, alpha, l1_ratio, sw, positive
        )
        < 1e-5 * amax
    )
    if n > p and not correlated or l1_ratio < 1:  # unique solution
        assert_allclose(est.coef_, ref.coef_, rtol=1e-5, atol=1e-6 * amax)
    if positive:
        assert np.all(est.coef_ >= 0)
    # the intercept is the unpenalized optimum given coef_
    if fit_intercept:
        r = y - X @ est.coef_
        assert est.intercept_ == pytest.approx(np.average(r, weights=sw), abs=1e-9)


@pytest.mark.parametrize("fit_intercept, weighted", [(False, False), (True, True)])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_enet_large_sparse_working_sets(fit_intercept, weighted, l1_ratio):
    """Sparse X with working sets of 1000+ features: the first working set
    (p/8) and the active-cycling epochs over its non-zeros are exercised."""
    rng = np.random.default_rng(7)
    n, p = 400, 12_000
    X = sp.random(n, p, density=0.005, format="csc", random_state=rng)
    w_true = np.zeros(p)
    w_true[rng.choice(p, 200, replace=False)] = rng.standard_normal(200)
    y = X @ w_true + 0.1 * rng.standard_normal(n) + (2.0 if fit_intercept else 0.0)
    sw = rng.uniform(0.1, 3.0, n) if weighted else None
    amax = alpha_max(X, y, sw, l1_ratio, fit_intercept)
    alpha = amax / 50
    ref = ElasticNet(
        alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept, tol=1e-14,
        max_iter=100_000,
    ).fit(X, y, sample_weight=sw)
    est = ElasticNetCD(
        alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept, tol=1e-12,
        max_iter=100_000,
    ).fit(X, y, sample_weight=sw)
    assert np.count_nonzero(est.coef_) > 100
    p_ref = enet_objective(X, y, ref.coef_, ref.intercept_, alpha, l1_ratio, sw)
    p_est = enet_objective(X, y, est.coef_, est.intercept_, alpha, l1_ratio, sw)
    assert p_est <= p_ref * (1 + 1e-9)
    assert est.dual_gap_ <= gap_target(y, sw, fit_intercept, 1e-12)
    assert (
        enet_kkt_violation(X, y, est.coef_, est.intercept_, alpha, l1_ratio, sw)
        < 1e-5 * amax
    )


@pytest.mark.parametrize("n, p, correlated", CASES)
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_three_lasso_solvers_same_objective(
    n, p, correlated, sparse, fit_intercept, weighted
):
    seed = seed_of("lasso", n, p, correlated, sparse, fit_intercept, weighted)
    X, y = make_problem(n, p, seed=seed, correlated=correlated, sparse=sparse)
    sw = np.random.default_rng(seed).uniform(0.1, 3.0, n) if weighted else None
    alpha = alpha_max(X, y, sw, 1.0, fit_intercept) / 10
    Xf = sp.csr_matrix(X) if sparse else X  # CSR is accepted too
    kw = dict(alpha=alpha, fit_intercept=fit_intercept)
    ref = _sk_enet(alpha, 1.0, fit_intercept, False).fit(Xf, y, sample_weight=sw)
    cd = ElasticNetCD(l1_ratio=1.0, tol=1e-13, max_iter=100_000, **kw).fit(
        Xf, y, sample_weight=sw
    )
    px = ProxLasso(tol=1e-13, max_iter=200_000, **kw).fit(Xf, y, sample_weight=sw)
    objs = [
        enet_objective(X, y, m.coef_, m.intercept_, alpha, 1.0, sw)
        for m in (ref, cd, px)
    ]
    assert max(objs) - min(objs) <= 1e-7 * min(objs)
    assert px.dual_gap_ <= gap_target(y, sw, fit_intercept, 1e-13)
    assert cd.dual_gap_ <= gap_target(y, sw, fit_intercept, 1e-13)


@pytest.mark.parametrize("solver", ["fista", "ista"])
@pytest.mark.parametrize("step", ["lipschitz", "backtracking"])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("working_set", [True, False])
@pytest.mark.parametrize("sparse", [False, True])
def test_prox_lasso_solvers_and_steps(solver, step, positive, working_set, sparse):
    X, y = make_problem(80, 20, seed=3, sparse=sparse)
    alpha = alpha_max(X, y, None, 1.0, True) / 8
    Xf = sp.csc_matrix(X) if sparse else X
    ref = _sk_enet(alpha, 1.0, True, positive).fit(X, y)
    est = ProxLasso(
        alpha=alpha,
        solver=solver,
        step=step,
        positive=positive,
        tol=1e-12,
        max_iter=100_000,
        working_set=working_set,
    ).fit(Xf, y)
    assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-8)
    assert est.dual_gap_ <= gap_target(y, None, True, 1e-12)
    if step == "lipschitz" and not working_set:
        # exact L: largest eigenvalue of X_c^T X_c / n
        Xc = X - X.mean(0)
        L = np.linalg.eigvalsh(Xc.T @ Xc / len(y))[-1]
        assert est.lipschitz_ == pytest.approx(L, rel=1e-5)
    assert np.all(np.diff(est.iter_history_) > 0)
    assert est.objective_history_[-1] <= est.objective_history_[0]


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_ws_gram_matches_numpy(sparse, weighted):
    # the Gram matrix ProxLasso's working-set solver iterates on (13 columns:
    # a block of 8 and a partial block), centred and weighted
    from skreg._kernels._linear import _ws_gram

    rng = np.random.default_rng(2)
    n, p = 70, 30
    X = rng.standard_normal((n, p)) + 1.0
    X[rng.random((n, p)) < 0.6] = 0.0
    sw = rng.uniform(0.5, 2.0, n) if weighted else np.ones(n)
    m = np.average(X, axis=0, weights=sw)
    ws = np.array([3, 1, 7, 20, 21, 22, 0, 5, 9, 11, 13, 29, 2], dtype=np.int64)
    empty = np.empty(0)
    sw_k = sw if weighted else empty
    if sparse:
        A = sp.csc_matrix(X)
        args = (np.empty((0, 0)), A.data, A.indices, A.indptr, True)
    else:
        args = (
            np.asfortranarray(X),
            empty,
            np.empty(0, np.int32),
            np.empty(0, np.int32),
            False,
        )
    Q = _ws_gram(*args, sw_k, weighted, m, ws, n, sw.sum())
    Xc = (X - m)[:, ws]
    assert_allclose(Q, Xc.T @ (sw[:, None] * Xc), rtol=1e-12, atol=1e-10)


def test_four_column_kernels_match_numpy():
    # ProxLasso's dense step reads four centred columns per pass over the
    # rows: their four dot products with v, and v -= sum_k a_k (x_k - m_k)
    from skreg._kernels._linear import _de_axpy4, _de_dot4

    rng = np.random.default_rng(3)
    X = np.asfortranarray(rng.standard_normal((37, 9)))
    m = rng.standard_normal(9)
    v = rng.standard_normal(37)
    cols = (7, 0, 4, 4)  # any columns, a repeated one too
    got = _de_dot4(X, *cols, *m[list(cols)], v)
    Xc = X[:, cols] - m[list(cols)]
    assert_allclose(got, Xc.T @ v, rtol=1e-13, atol=1e-13)
    a = np.array([0.5, -2.0, 0.0, 3.0])
    out = v.copy()
    _de_axpy4(X, *cols, *a, *m[list(cols)], out)
    assert_allclose(out, v - Xc @ a, rtol=1e-13, atol=1e-13)


def test_top_k_selection_matches_numpy():
    # the working sets' selection: the k-th largest score by radix selection
    # on the floats' order-preserving bit patterns, then the k largest with
    # ties broken by the lowest index, returned sorted. Scores mix the
    # working-set choice's special values (inf for the support, -2 for
    # screened features), signed zeros, subnormals and 600 decades.
    from skreg._kernels._linear import _kth_largest, _top_k

    def reference(v, k):
        if k <= 0:
            return np.empty(0, dtype=np.int64)
        if k >= v.size:
            return np.arange(v.size)
        thr = np.sort(v)[v.size - k]
        above, ties = np.flatnonzero(v > thr), np.flatnonzero(v == thr)
        return np.sort(np.concatenate([above, ties[: k - above.size]]))

    rng = np.random.default_rng(5)
    draws = [
        lambda n: rng.standard_normal(n),
        lambda n: rng.choice([-2.0, -0.999, -0.0, 0.0, 1.5, np.inf], n),
        lambda n: rng.integers(-3, 3, n).astype(float),
        lambda n: rng.standard_normal(n) * 10.0 ** rng.integers(-300, 300, n),
        lambda n: np.concatenate(
            [np.full(n, np.inf), -rng.random(n), [-np.inf, 5e-324, -5e-324]]
        ),
    ]
    for trial in range(400):
        v = draws[trial % len(draws)](int(rng.integers(1, 40)))
        for k in range(v.size + 2):
            if 1 <= k <= v.size:
                assert _kth_largest(v, k) == np.sort(v)[v.size - k]
            assert_array_equal(_top_k(v, k), reference(v, k))


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_support_step(sparse, weighted, fit_intercept):
    # exact steps on the support of w (skreg.linear_model._support): from the
    # optimum's signs they land on the optimum; from wrong signs they drop
    # those coefficients at their zero crossing and solve on the rest. The
    # result minimises P over its own support (KKT there, to rounding) and
    # no coefficient ever changes sign.
    from skreg.linear_model._support import support_step

    n, p = 50, 12
    X, y = make_problem(n, p, seed=8, correlated=True, sparse=sparse)
    sw = np.random.default_rng(8).uniform(0.2, 2.0, n) if weighted else None
    swv = np.ones(n) if sw is None else sw
    m = np.average(X, axis=0, weights=swv) if fit_intercept else np.zeros(p)
    yc = y - np.average(y, weights=swv) if fit_intercept else y
    alpha, l1_ratio = alpha_max(X, y, sw, 0.7, fit_intercept) / 10, 0.7
    ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=10**6,
                     fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    n_w = swv.sum()
    A, B = alpha * l1_ratio * n_w, alpha * (1 - l1_ratio) * n_w
    Xk = sp.csc_matrix(X) if sparse else np.asfortranarray(X)
    Xc = X - m

    def step(w0):
        return support_step(Xk, yc, sw, m, alpha * l1_ratio,
                            alpha * (1 - l1_ratio), w0)

    def P(w):
        b = np.average(y - X @ w, weights=swv) if fit_intercept else 0.0
        return enet_objective(X, y, w, b, alpha, l1_ratio, sw)

    def support_kkt(w):
        on = w != 0
        g = Xc[:, on].T @ (swv * (yc - Xc @ w)) - A * np.sign(w[on]) - B * w[on]
        return np.abs(g).max() / n_w

    # the optimum's support and signs, values off by 30%
    w0 = ref.coef_ * 1.3
    w, taken = step(w0)
    assert taken
    assert_allclose(w, ref.coef_, rtol=1e-8, atol=1e-10)
    # wrong signs on two coefficients
    on = np.flatnonzero(ref.coef_)
    w0 = ref.coef_.copy()
    w0[on[:2]] *= -0.5
    w, taken = step(w0)
    assert taken and P(w) < P(w0)
    assert np.all(w * w0 >= 0)  # no sign changed
    assert np.all(w[on[:2]] == 0.0)  # both dropped at their zero crossing
    assert support_kkt(w) < 1e-10 * alpha
    # at the optimum already: at most a gain of rounding
    w, _ = step(ref.coef_.copy())
    assert P(w) <= P(ref.coef_)
    assert_allclose(w, ref.coef_, rtol=1e-9, atol=1e-12)
    # identical columns in the support of a Lasso: singular, not taken
    X2 = np.column_stack([X, X[:, on[0]]])
    w0 = np.append(ref.coef_, ref.coef_[on[0]])
    w, taken = support_step(np.asfortranarray(X2), yc, sw, np.append(m, m[on[0]]),
                            alpha, 0.0, w0)
    assert not taken and np.array_equal(w, w0)


@pytest.mark.parametrize("weighted", [False, True])
def test_gram_step(weighted):
    # the same steps on the Gram matrix of all features (enet_cd_gram's)
    from skreg.linear_model._support import gram_step

    X, y = make_problem(60, 10, seed=3, correlated=True)
    sw = np.random.default_rng(3).uniform(0.2, 2.0, 60) if weighted else None
    swv = np.ones(60) if sw is None else sw
    Xc = X - np.average(X, axis=0, weights=swv)
    yc = y - np.average(y, weights=swv)
    Q, q = Xc.T @ (swv[:, None] * Xc), Xc.T @ (swv * yc)
    alpha = alpha_max(X, y, sw, 1.0, True) / 10
    ref = Lasso(alpha=alpha, tol=1e-14, max_iter=10**6).fit(X, y, sample_weight=sw)
    w, taken = gram_step(Q, q, swv.sum(), alpha, 0.0, ref.coef_ * 1.3)
    assert taken
    assert_allclose(w, ref.coef_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stall_hands_over_to_support_steps(monkeypatch, sparse, dtype):
    # coordinate descent returns on a stall, the estimator takes the exact
    # steps and calls the kernel again: one history, epochs added up; float32
    # X reaches the float64 fit's objective (the steps work in float64)
    from skreg.linear_model import _coordinate_descent as cd_mod

    calls = []
    real = cd_mod.support_step

    def spy(*args):
        out = real(*args)
        calls.append(out[1])
        return out

    monkeypatch.setattr(cd_mod, "support_step", spy)
    X, y = make_problem(40, 40, seed=39, correlated=True, sparse=sparse)
    X = X.astype(dtype)
    sw = np.random.default_rng(39).uniform(0.1, 3.0, 40)
    alpha = alpha_max(X, y, sw, 1.0, False) / 10
    kw = dict(alpha=alpha, l1_ratio=1.0, fit_intercept=False, max_iter=1000)
    Xf = sp.csc_matrix(X) if sparse else X
    est = ElasticNetCD(tol=1e-13, **kw).fit(Xf, y, sample_weight=sw)
    assert calls and calls[0]  # the first step was taken
    assert est.coef_.dtype == dtype
    ref = ElasticNetCD(tol=1e-13, **kw).fit(X.astype(np.float64), y, sample_weight=sw)
    p_est = enet_objective(X.astype(np.float64), y, est.coef_.astype(np.float64),
                           0.0, alpha, 1.0, sw)
    p_ref = enet_objective(X.astype(np.float64), y, ref.coef_, 0.0, alpha, 1.0, sw)
    assert p_est <= p_ref * (1 + (1e-6 if dtype == np.float32 else 1e-12))
    assert est.iter_history_[-1] == est.n_iter_
    assert np.all(np.diff(est.iter_history_) >= 0)
    assert len(est.objective_history_) == len(est.iter_history_)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("selection", ["cyclic", "random"])
def test_cd_correlated_support_converges(sparse, positive, selection):
    # Dense: pairs of columns correlated at 0.99998 in the support, no
    # intercept: coordinate descent alone gains a factor 1 - 4e-5 per epoch
    # there (scikit-learn's Lasso needs 10^6 epochs for a gap of 3e-9), and
    # Anderson extrapolation is defeated by zeros that toggle. The exact
    # steps on the support finish it within a thousand epochs (it took over
    # 100000 without them, on this problem and on its sparsified version).
    X, y = make_problem(40, 40, seed=39, correlated=True, sparse=sparse)
    sw = np.random.default_rng(39).uniform(0.1, 3.0, 40)
    alpha = alpha_max(X, y, sw, 1.0, False) / 10
    kw = dict(alpha=alpha, fit_intercept=False, positive=positive)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        cd = ElasticNetCD(l1_ratio=1.0, tol=1e-13, max_iter=1000, **kw,
                          selection=selection, random_state=0).fit(
            X, y, sample_weight=sw
        )
    assert cd.dual_gap_ <= gap_target(y, sw, False, 1e-13)
    px = ProxLasso(tol=1e-13, max_iter=200_000, **kw).fit(X, y, sample_weight=sw)
    p_cd = enet_objective(X, y, cd.coef_, 0.0, alpha, 1.0, sw)
    p_px = enet_objective(X, y, px.coef_, 0.0, alpha, 1.0, sw)
    assert p_cd <= p_px * (1 + 1e-12)
    assert enet_kkt_violation(X, y, cd.coef_, 0.0, alpha, 1.0, sw, positive) < (
        1e-7 * alpha
    )


def _ar1_design(n, p, rho, rng):
    """Columns of a stationary AR(1) process: corr(x_i, x_j) = rho^|i-j|."""
    X = np.empty((n, p), order="F")
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    return X


def test_projected_anderson_while_signs_settle():
    # Lasso at alpha_max/100 on 300 x 1000 correlated designs (the benchmark's
    # hard problem, scaled down): the support nearly fills n, and for many
    # epochs a few coefficients are still on their way to zero. Anderson
    # extrapolation of the epochs, unprojected, is rejected there (its
    # linear model breaks at the kinks); projected onto the orthant of the
    # current signs it is accepted. Epochs to tol=1e-10 over these three
    # problems: 544 with the projection, 831 without it (measured when it
    # was introduced; the test fails without it).
    total = 0
    for seed in range(3):
        rng = np.random.default_rng(seed)
        X = _ar1_design(300, 1000, 0.5, rng)
        w = np.zeros(1000)
        support = rng.choice(1000, 10, replace=False)
        w[support] = rng.choice([-1.0, 1.0], 10) * rng.uniform(1, 2, 10)
        y = X @ w
        y += np.std(y) / 3 * rng.standard_normal(300)
        alpha = alpha_max(X, y, None, 1.0, False) / 100
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            cd = ElasticNetCD(alpha=alpha, l1_ratio=1.0, fit_intercept=False,
                              tol=1e-10, max_iter=5000).fit(X, y)
        assert cd.dual_gap_ <= gap_target(y, None, False, 1e-10)
        assert enet_kkt_violation(X, y, cd.coef_, 0.0, alpha, 1.0) < 1e-6 * alpha
        total += cd.n_iter_
    assert total <= 700, total


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_prox_lasso_tall_gram_space(sparse, weighted, positive, dtype):
    # n >> |ws|: the working-set solver moves to the Gram matrix of the
    # working set after a few residual-space steps; same optimum, certified
    X, y = make_problem(3000, 40, seed=11, sparse=sparse)
    sw = np.random.default_rng(5).uniform(0.2, 2.0, len(y)) if weighted else None
    alpha = alpha_max(X, y, sw, 1.0, True) / 20
    Xf = (sp.csc_matrix(X) if sparse else X).astype(dtype)
    ref = _sk_enet(alpha, 1.0, True, positive).fit(X, y, sample_weight=sw)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    est = ProxLasso(alpha=alpha, positive=positive, tol=tol, max_iter=100_000)
    est.fit(Xf, y.astype(dtype), sample_weight=sw)
    assert est.coef_.dtype == dtype
    p_ref = enet_objective(X, y, ref.coef_, ref.intercept_, alpha, 1.0, sw)
    p_est = enet_objective(
        X, y, est.coef_.astype(np.float64), est.intercept_, alpha, 1.0, sw
    )
    assert p_est - p_ref <= (1e-9 if dtype == np.float64 else 1e-4) * p_ref
    assert est.dual_gap_ <= gap_target(y, sw, True, tol) * 1.01
    if dtype == np.float64:
        assert (
            enet_kkt_violation(
                X, y, est.coef_, est.intercept_, alpha, 1.0, sw, positive
            )
            < 1e-5 * alpha
        )


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("solver", ["gd", "momentum", "nesterov"])
@pytest.mark.parametrize("shape", [(60, 20), (20, 50)])
def test_ridge_matches_sklearn(sparse, fit_intercept, weighted, solver, shape):
    n, p = shape
    X, y = make_problem(n, p, seed=n + p, sparse=sparse)
    rng = np.random.default_rng(7)
    Y = np.c_[y, rng.standard_normal(n)]  # two targets
    sw = rng.uniform(0.1, 3.0, n) if weighted else None
    Xf = sp.csc_matrix(X) if sparse else X
    ref = Ridge(
        alpha=5.0,
        fit_intercept=fit_intercept,
        tol=1e-14,
        solver="svd" if not sparse else "auto",
    ).fit(X, Y, sample_weight=sw)
    est = RidgeGD(
        alpha=5.0,
        fit_intercept=fit_intercept,
        tol=1e-12,
        solver=solver,
        max_iter=200_000,
    ).fit(Xf, Y, sample_weight=sw)
    assert est.coef_.shape == ref.coef_.shape == (2, p)
    assert_allclose(est.coef_, ref.coef_, rtol=1e-7, atol=1e-9)
    assert_allclose(est.intercept_, ref.intercept_, rtol=1e-7, atol=1e-8)
    # first-order certificate: the gradient of sklearn's Ridge objective
    swv = np.ones(n) if sw is None else sw
    R = Y - X @ est.coef_.T - est.intercept_
    grad = -2 * X.T @ (swv[:, None] * R) + 2 * 5.0 * est.coef_.T
    R0 = Y - (np.average(Y, axis=0, weights=swv) if fit_intercept else 0)
    Xc = X - (np.average(X, axis=0, weights=swv) if fit_intercept else 0)
    g0 = np.linalg.norm(-2 * Xc.T @ (swv[:, None] * R0))
    assert np.linalg.norm(grad) <= 1e-10 * g0 * 10
    # 1-D y gives 1-D coef_ and a float intercept
    one = RidgeGD(
        alpha=5.0,
        fit_intercept=fit_intercept,
        tol=1e-12,
        solver=solver,
        max_iter=200_000,
    ).fit(Xf, y, sample_weight=sw)
    assert one.coef_.shape == (p,)
    assert isinstance(one.intercept_, float)
    assert_allclose(one.coef_, ref.coef_[0], rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------------------
# dtypes, sparse formats, weights semantics
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("Est", [ElasticNetCD, ProxLasso, RidgeGD])
@pytest.mark.parametrize("sparse", [False, True])
def test_float32_in_float32_out(Est, sparse):
    X, y = make_problem(50, 10, seed=0, sparse=sparse)
    X32 = X.astype(np.float32)
    Xf = sp.csc_matrix(X32) if sparse else X32
    est = Est(alpha=0.1, tol=1e-6).fit(Xf, y.astype(np.float32))
    assert est.coef_.dtype == np.float32
    assert est.predict(Xf).dtype == np.float32
    est64 = Est(alpha=0.1, tol=1e-10, max_iter=10_000).fit(X, y)
    assert_allclose(est.coef_, est64.coef_, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("Est", [ElasticNetCD, ProxLasso, RidgeGD])
def test_sparse_formats_and_noncanonical_match_dense(Est):
    X, y = make_problem(40, 12, seed=1, sparse=True)
    dense = Est(alpha=0.05, tol=1e-12, max_iter=50_000).fit(X, y)
    coo = sp.coo_matrix(X)
    # duplicate entries: split every value in two halves; shuffle order
    rng = np.random.default_rng(0)
    rows = np.r_[coo.row, coo.row]
    cols = np.r_[coo.col, coo.col]
    vals = np.r_[coo.data / 2, coo.data / 2]
    perm = rng.permutation(len(vals))
    dup = sp.csc_matrix((vals[perm], (rows[perm], cols[perm])), shape=X.shape)
    # scipy sums duplicates on COO->CSC conversion; rebuild an unsorted,
    # duplicated CSC by hand
    indptr = np.zeros(X.shape[1] + 1, dtype=np.int64)
    order = np.lexsort((rng.random(len(vals)), cols))
    indptr[1:] = np.cumsum(np.bincount(cols, minlength=X.shape[1]))
    raw = sp.csc_matrix(
        (vals[order], rows[order].astype(np.int64), indptr), shape=X.shape
    )
    assert not raw.has_canonical_format
    raw_copy = raw.copy()
    raw_data, raw_indices = raw.data.copy(), raw.indices.copy()
    variants = [
        sp.csc_matrix(X),
        sp.csr_matrix(X),
        sp.csc_array(X),
        sp.csr_array(X),
        dup,
        raw,
        sp.coo_matrix(X),
    ]
    i64 = sp.csc_matrix(X)
    i64.indices = i64.indices.astype(np.int64)
    i64.indptr = i64.indptr.astype(np.int64)
    variants.append(i64)
    for Xs in variants:
        est = Est(alpha=0.05, tol=1e-12, max_iter=50_000).fit(Xs, y)
        assert_allclose(est.coef_, dense.coef_, rtol=1e-8, atol=1e-10)
        assert est.intercept_ == pytest.approx(dense.intercept_, rel=1e-8, abs=1e-10)
    # the user's non-canonical matrix was not modified
    assert not raw.has_canonical_format
    assert_allclose(raw.data, raw_data)
    assert np.array_equal(raw.indices, raw_indices)
    assert (raw != raw_copy).nnz == 0


@pytest.mark.parametrize("Est", [ElasticNetCD, ProxLasso, RidgeGD])
def test_sample_weight_equals_repetition(Est):
    X, y = make_problem(30, 8, seed=2)
    reps = np.random.default_rng(0).integers(0, 4, 30)
    reps[0] = 1
    a = Est(alpha=0.05, tol=1e-13, max_iter=100_000).fit(X, y, sample_weight=reps)
    b = Est(alpha=0.05, tol=1e-13, max_iter=100_000).fit(
        np.repeat(X, reps, axis=0), np.repeat(y, reps)
    )
    assert_allclose(a.coef_, b.coef_, rtol=1e-8, atol=1e-10)
    assert a.intercept_ == pytest.approx(b.intercept_, rel=1e-8)


@pytest.mark.parametrize("Est", [ElasticNetCD, ProxLasso])
def test_enet_weights_scale_invariant(Est):
    # the enet objective normalizes by sum(sw): scaling sw changes nothing
    X, y = make_problem(30, 8, seed=4)
    sw = np.random.default_rng(1).uniform(0.5, 2.0, 30)
    a = Est(alpha=0.05, tol=1e-13, max_iter=100_000).fit(X, y, sample_weight=sw)
    b = Est(alpha=0.05, tol=1e-13, max_iter=100_000).fit(X, y, sample_weight=7 * sw)
    assert_allclose(a.coef_, b.coef_, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------
# convergence, warm start, random selection, histories
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "est",
    [
        ElasticNetCD(alpha=1e-4, l1_ratio=0.9, max_iter=2, tol=1e-12),
        ProxLasso(alpha=1e-4, max_iter=2, tol=1e-12),
        RidgeGD(alpha=1e-4, max_iter=2, tol=1e-12),
    ],
)
def test_convergence_warning(est):
    X, y = make_problem(40, 60, seed=5, correlated=True)
    with pytest.warns(ConvergenceWarning, match="did not converge in 2 iterations"):
        est.fit(X, y)
    assert est.n_iter_ == 2


def test_warm_start_reuses_coef():
    X, y = make_problem(50, 30, seed=6)
    est = ElasticNetCD(alpha=0.05, warm_start=True, tol=1e-10).fit(X, y)
    n_cold = est.n_iter_
    est.fit(X, y)
    assert est.n_iter_ < n_cold
    assert est.n_iter_ <= 1


def test_random_selection_reproducible_and_converges():
    X, y = make_problem(50, 30, seed=7)
    a = ElasticNetCD(
        alpha=0.05, selection="random", random_state=0, tol=1e-12, max_iter=100_000
    ).fit(X, y)
    b = ElasticNetCD(
        alpha=0.05, selection="random", random_state=0, tol=1e-12, max_iter=100_000
    ).fit(X, y)
    c = ElasticNetCD(alpha=0.05, tol=1e-12).fit(X, y)
    assert np.array_equal(a.coef_, b.coef_)
    assert_allclose(a.coef_, c.coef_, rtol=1e-6, atol=1e-8)


def test_histories_are_consistent():
    X, y = make_problem(60, 100, seed=8)
    est = ElasticNetCD(alpha=0.02, l1_ratio=0.7, tol=1e-10).fit(X, y)
    assert len(est.objective_history_) == len(est.gap_history_)
    assert est.gap_history_[-1] == pytest.approx(est.dual_gap_)
    p = enet_objective(X, y, est.coef_, est.intercept_, 0.02, 0.7)
    assert est.objective_history_[-1] == pytest.approx(p, rel=1e-10)
    assert np.all(est.gap_history_ >= 0)
    r = RidgeGD(alpha=1.0, tol=1e-8).fit(X, y)
    assert r.grad_norm_history_[-1] == pytest.approx(r.grad_norm_)


def test_alpha_zero_warns_and_is_least_squares():
    X, y = make_problem(50, 5, seed=9)
    with pytest.warns(UserWarning, match="alpha=0"):
        est = ElasticNetCD(alpha=0.0, tol=1e-12, max_iter=50_000).fit(X, y)
    ols = np.linalg.lstsq(np.c_[X, np.ones(50)], y, rcond=None)[0]
    assert_allclose(est.coef_, ols[:-1], rtol=1e-6)


def test_constant_and_zero_columns():
    X, y = make_problem(40, 6, seed=10)
    X[:, 2] = 5.0  # constant: zero after centring
    X[:, 4] = 0.0
    for est in (
        ElasticNetCD(alpha=0.01, tol=1e-12),
        ProxLasso(alpha=0.01, tol=1e-12),
        RidgeGD(alpha=0.01, tol=1e-12),
    ):
        est.fit(X, y)
        assert est.coef_[2] == 0.0 and est.coef_[4] == 0.0


def test_huge_alpha_gives_zero_model():
    X, y = make_problem(40, 6, seed=11)
    for est in (ElasticNetCD(alpha=1e6), ProxLasso(alpha=1e6)):
        est.fit(X, y)
        assert np.all(est.coef_ == 0)
        assert est.intercept_ == pytest.approx(y.mean())
        assert est.n_iter_ == 0


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------

ESTIMATORS = [ElasticNetCD, ProxLasso, RidgeGD]


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize(
    "X, y, match",
    [
        ([[1.0, np.nan], [2.0, 3.0]], [1.0, 2.0], "Input X contains NaN"),
        ([[1.0, np.inf], [2.0, 3.0]], [1.0, 2.0], "Input X contains infinity"),
        ([[1.0, 2.0], [2.0, 3.0]], [1.0, np.nan], "Input y contains NaN"),
        (np.empty((0, 3)), [], "0 sample"),
        ([[1.0, 2.0], [2.0, 3.0]], [1.0, 2.0, 3.0], "inconsistent numbers of samples"),
        ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], "Expected 2D array, got 1D array"),
        ([["a", "b"], ["c", "d"]], [1.0, 2.0], "could not convert string to float"),
        ([[1.0], [2.0]], ["a", "b"], "could not convert string to float"),
    ],
)
def test_bad_input_messages(Est, X, y, match):
    with pytest.raises(ValueError, match=match):
        Est().fit(np.asarray(X) if not isinstance(X, list) else X, y)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_bad_sample_weight(Est):
    X, y = make_problem(10, 3, seed=0)
    with pytest.raises(ValueError, match="Negative values in data passed to"):
        Est().fit(X, y, sample_weight=np.r_[-1.0, np.ones(9)])
    with pytest.raises(
        ValueError, match="Sample weights must contain at least one non-zero number"
    ):
        Est().fit(X, y, sample_weight=np.zeros(10))
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\)"):
        Est().fit(X, y, sample_weight=np.ones(3))


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize(
    "params",
    [
        {"alpha": -1.0},
        {"max_iter": 0},
        {"tol": -1e-3},
        {"fit_intercept": "yes"},
        {"alpha": "big"},
    ],
)
def test_invalid_parameters(Est, params):
    X, y = make_problem(10, 3, seed=0)
    with pytest.raises(InvalidParameterError, match=f"'{next(iter(params))}'"):
        Est(**params).fit(X, y)


@pytest.mark.parametrize(
    "est",
    [
        ElasticNetCD(l1_ratio=1.5),
        ElasticNetCD(selection="greedy"),
        ProxLasso(solver="admm"),
        ProxLasso(step="armijo"),
        RidgeGD(solver="adam"),
    ],
)
def test_invalid_options(est):
    X, y = make_problem(10, 3, seed=0)
    with pytest.raises(InvalidParameterError):
        est.fit(X, y)


def test_malformed_sparse_rejected():
    X = sp.csc_matrix(np.eye(3))
    X.indices = X.indices.copy()
    X.indices[1] = 7  # out of bounds
    with pytest.raises(ValueError, match="out of bounds"):
        ElasticNetCD().fit(X, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("sparse", [False, True])
def test_user_arrays_not_modified_and_readonly_ok(Est, sparse):
    X, y = make_problem(30, 5, seed=12, sparse=sparse)
    X = np.asfortranarray(X)
    sw = np.linspace(0.5, 2.0, 30)
    Xf = sp.csc_matrix(X) if sparse else X
    copies = (Xf.copy(), y.copy(), sw.copy())
    for a in ((Xf.data if sparse else Xf), y, sw):
        a.setflags(write=False)
    est = Est(alpha=0.05).fit(Xf, y, sample_weight=sw)
    est.predict(Xf)
    assert_allclose((Xf - copies[0]).toarray() if sparse else Xf - copies[0], 0)
    assert np.array_equal(y, copies[1]) and np.array_equal(sw, copies[2])


def test_predict_checks_features():
    X, y = make_problem(20, 4, seed=0)
    est = ElasticNetCD(alpha=0.1).fit(X, y)
    with pytest.raises(
        ValueError, match="X has 3 features, but ElasticNetCD is expecting 4 features"
    ):
        est.predict(X[:, :3])


# ---------------------------------------------------------------------------
# scikit-learn integration
# ---------------------------------------------------------------------------


def test_pipeline_gridsearch_parallel_and_pickle():
    X, y = make_problem(80, 10, seed=13)
    pipe = make_pipeline(StandardScaler(), ElasticNetCD(tol=1e-8))
    grid = {"elasticnetcd__alpha": [0.01, 0.1, 1.0], "elasticnetcd__l1_ratio": [0.2, 1]}
    serial = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    parallel = GridSearchCV(pipe, grid, cv=3, n_jobs=2).fit(X, y)
    assert serial.best_params_ == parallel.best_params_
    assert_allclose(
        serial.cv_results_["mean_test_score"],
        parallel.cv_results_["mean_test_score"],
        rtol=1e-12,
    )
    for est in (
        parallel.best_estimator_,
        ProxLasso(alpha=0.1).fit(X, y),
        RidgeGD().fit(X, y),
    ):
        clone = pickle.loads(pickle.dumps(est))
        assert np.array_equal(clone.predict(X), est.predict(X))


def test_feature_names_in():
    pd = pytest.importorskip("pandas")
    X, y = make_problem(20, 3, seed=0)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    est = ElasticNetCD(alpha=0.1).fit(df, y)
    assert list(est.feature_names_in_) == ["a", "b", "c"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.predict(df)
