"""Coordinate descent on the Gram matrix (``precompute``) for tall data."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet

from skreg import ElasticNetCD, enet_path
from skreg.linear_model import _common
from skreg.linear_model._common import centred_gram, gram_problem, use_gram


def _objective(X, y, w, b, alpha, l1_ratio, sw=None):
    X = X.toarray() if sp.issparse(X) else X
    sw = np.ones(len(y)) if sw is None else sw
    r = y - X @ w - b
    return (0.5 * np.sum(sw * r**2) / sw.sum() + alpha * l1_ratio * np.abs(w).sum()
            + 0.5 * alpha * (1 - l1_ratio) * w @ w)


def _alpha_max(X, y, sw, fit_intercept):
    s = np.ones(len(y)) if sw is None else sw
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=s)
        y = y - np.average(y, weights=s)
    return np.abs(X.T @ (s * y)).max() / s.sum()


def _tall(n=400, p=10, seed=0, sparse=False, collinear=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-2, 2, p)
    if collinear:  # nearly identical columns: CD needs its extrapolation
        X[:, 1] = X[:, 0] + 1e-2 * rng.standard_normal(n)
    if sparse:
        X[rng.random((n, p)) < 0.6] = 0.0
        X = sp.csc_matrix(X)
    w = np.zeros(p)
    w[:4] = [2.0, -1.5, 1.0, 0.5]
    y = np.asarray(X @ w).ravel() + 0.3 * rng.standard_normal(n) + 1.0
    sw = rng.uniform(0.2, 2.0, n)
    return X, y, sw


def test_use_gram_rule():
    assert use_gram("auto", 1000, 64, 0.1, 0.5)
    assert not use_gram("auto", 1000, 65, 0.1, 0.5)  # too many features
    assert not use_gram("auto", 255, 64, 0.1, 0.5)   # not tall enough
    assert use_gram("auto", 1000, 16, 0.1, 0.5, True)
    assert not use_gram("auto", 1000, 17, 0.1, 0.5, True)  # sparse: lower limit
    assert use_gram(True, 10, 500, 0.1, 1.0)
    assert not use_gram(False, 1000, 8, 0.1, 1.0)
    assert not use_gram(True, 1000, 8, 0.1, 0.0)     # ridge: no L1 dual
    assert not use_gram("auto", 1000, 8, 0.0, 1.0)   # alpha = 0


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("float32", [False, True])
def test_centred_gram_against_numpy(sparse, weighted, float32):
    X, y, sw = _tall(n=50, p=7, sparse=sparse)
    if float32:
        X = X.astype(np.float32)
    sw = sw if weighted else None
    m = np.random.default_rng(1).uniform(-1, 1, 7)  # any offsets, not only means
    Xd = (X.toarray() if sp.issparse(X) else X).astype(np.float64) - m
    s = np.ones(50) if sw is None else sw
    expected = Xd.T @ (Xd * s[:, None])
    assert_allclose(centred_gram(X, m, sw), expected, rtol=1e-12, atol=1e-10)
    Q, q, y2 = gram_problem(X, y, sw, m)
    assert_allclose(q, Xd.T @ (s * y), rtol=1e-12)
    assert_allclose(y2, np.sum(s * y * y), rtol=1e-12)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_gram_solver_matches_sklearn(sparse, weighted, fit_intercept, positive,
                                     l1_ratio):
    X, y, sw = _tall(sparse=sparse, collinear=True, seed=2)
    sw = sw if weighted else None
    alpha = 0.01
    kw = dict(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
              positive=positive)
    kw.update(tol=1e-12, max_iter=10_000)
    gram = ElasticNetCD(precompute=True, **kw).fit(X, y, sample_weight=sw)
    data = ElasticNetCD(precompute=False, **kw).fit(X, y, sample_weight=sw)
    ref_kw = dict(kw, tol=1e-14, max_iter=100_000)
    ref = ElasticNet(**ref_kw).fit(X, y, sample_weight=sw)
    p_gram = _objective(X, y, gram.coef_, gram.intercept_, alpha, l1_ratio, sw)
    p_ref = _objective(X, y, ref.coef_, ref.intercept_, alpha, l1_ratio, sw)
    assert p_gram <= p_ref * (1 + 1e-10)
    assert_allclose(gram.coef_, data.coef_, rtol=1e-6, atol=1e-8)
    # the certificate is computed on the data, in the units of the objective
    target = 1e-12 * np.average((y - (np.average(y, weights=sw) if fit_intercept
                                      else 0.0)) ** 2, weights=sw)
    assert gram.dual_gap_ <= target
    # the history records the Gram epochs, then the certificate on the data
    assert gram.iter_history_[-1] == gram.n_iter_
    assert np.all(np.diff(gram.iter_history_) >= 0)


def test_auto_uses_the_gram_solver_on_tall_data(monkeypatch):
    # counts the Gram matrices built and the fits solved on one (a fit may
    # call the Gram solver twice: after its exact step on the support)
    from skreg._kernels import _linear
    from skreg.linear_model import _coordinate_descent as cd_mod
    from skreg.linear_model import _path as path_mod

    calls = []
    built = []
    real = _linear.enet_cd_gram
    real_problem = _common.gram_problem

    def spy(*args):
        calls.append(args[0].shape)
        return real(*args)

    def spy_problem(*args):
        built.append(1)
        return real_problem(*args)

    monkeypatch.setattr(_linear, "enet_cd_gram", spy)
    monkeypatch.setattr(cd_mod, "gram_problem", spy_problem)
    monkeypatch.setattr(path_mod, "gram_problem", spy_problem)
    X, y, _ = _tall(n=400, p=10)
    ElasticNetCD(alpha=0.01).fit(X, y)
    assert calls and set(calls) == {(10, 10)} and len(built) == 1
    n_calls = len(calls)
    ElasticNetCD(alpha=0.01, precompute=False).fit(X, y)
    ElasticNetCD(alpha=0.01).fit(X[:30], y[:30])  # n < 4 p: on the data
    assert len(calls) == n_calls and len(built) == 1
    # a path computes the Gram matrix once and solves every alpha on it
    enet_path(X, y, alphas=5)
    assert len(built) == 2
    assert len(calls) >= n_calls + 5


def test_float32_gram_fit_is_float32_and_accurate():
    X, y, _ = _tall(seed=4)
    e32 = ElasticNetCD(alpha=0.01, tol=1e-8).fit(X.astype(np.float32), y)
    e64 = ElasticNetCD(alpha=0.01, tol=1e-8).fit(X, y)
    assert e32.coef_.dtype == np.float32
    assert_allclose(e32.coef_, e64.coef_, rtol=1e-5, atol=1e-5)


def test_one_hot_design_with_all_levels_and_intercept():
    """The wage-style design: collinear dummies (each block sums to one) and
    an intercept. The Gram solver agrees with scikit-learn's objective."""
    rng = np.random.default_rng(5)
    n = 3000
    a = rng.integers(0, 4, n)
    b = rng.integers(0, 3, n)
    X = np.zeros((n, 7))
    X[np.arange(n), a] = 1.0
    X[np.arange(n), 4 + b] = 1.0
    y = 200 + 30 * a - 10 * b + 5 * rng.standard_normal(n)
    Xs = sp.csr_matrix(X)
    est = ElasticNetCD(alpha=1e-3, l1_ratio=0.5, tol=1e-10).fit(Xs, y)
    ref = ElasticNet(alpha=1e-3, l1_ratio=0.5, tol=1e-14, max_iter=100_000).fit(Xs, y)
    p_est = _objective(X, y, est.coef_, est.intercept_, 1e-3, 0.5)
    p_ref = _objective(X, y, ref.coef_, ref.intercept_, 1e-3, 0.5)
    assert p_est <= p_ref * (1 + 1e-9)
    assert_allclose(est.predict(Xs), ref.predict(Xs), rtol=1e-6)


def test_random_selection_on_the_gram_matrix():
    X, y, _ = _tall(seed=6)
    kw = dict(alpha=0.02, selection="random", random_state=0, tol=1e-10)
    a = ElasticNetCD(**kw).fit(X, y)
    b = ElasticNetCD(**kw).fit(X, y)
    ref = ElasticNetCD(alpha=0.02, precompute=False, tol=1e-12).fit(X, y)
    assert_allclose(a.coef_, b.coef_, rtol=0, atol=0)  # reproducible
    assert_allclose(a.coef_, ref.coef_, rtol=1e-5, atol=1e-7)


def test_enet_path_precompute_validation():
    X, y, _ = _tall(n=40, p=4)
    with pytest.raises(ValueError, match="'precompute' parameter of enet_path"):
        enet_path(X, y, precompute="yes")
    # scikit-learn's precomputed Gram is accepted (and recomputed)
    G = X.T @ X
    a1, c1, _ = enet_path(X, y, precompute=G, alphas=4, tol=1e-10)
    a2, c2, _ = enet_path(X, y, precompute=False, alphas=4, tol=1e-10)
    assert_allclose(c1, c2, rtol=1e-6, atol=1e-8)


def test_gram_constants_are_documented():
    assert _common.GRAM_MAX_FEATURES == 64 and _common.GRAM_MIN_RATIO == 4
    assert _common.GRAM_MAX_FEATURES_SPARSE == 16
    assert "n_features <= 64" in " ".join(ElasticNetCD.__doc__.split())
    assert "<= 16`` (sparse X)" in " ".join(ElasticNetCD.__doc__.split())


def test_data_solver_runs_only_when_the_gram_result_is_not_certified(monkeypatch):
    from skreg._kernels import _linear

    calls = []
    real = _linear.enet_cd

    def spy(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(_linear, "enet_cd", spy)
    X, y, _ = _tall(seed=7)
    est = ElasticNetCD(alpha=0.01, tol=1e-8).fit(X, y)
    assert calls == []  # the Gram result was certified on the data
    assert est.dual_gap_ <= 1e-8 * np.mean((y - y.mean()) ** 2)
    # the Gram solver runs out of epochs: the data solver gets what is left
    with pytest.warns(Warning, match="did not converge"):
        short = ElasticNetCD(alpha=0.01, tol=1e-14, max_iter=3).fit(
            X[:, [0, 1, 0]] + [0.0, 0.0, 1e-9], y)
    assert calls == [1]
    assert short.n_iter_ == 3
    assert short.iter_history_[-1] == 3


def test_precompile_covers_both_solvers():
    from skreg._precompile import _variants

    variants = list(_variants(ElasticNetCD))
    modes = {params.get("precompute", "auto") for _, _, _, params in variants}
    assert {True, False} <= modes
    labels = [label for label, _, _, _ in variants]
    assert "float64 dense gram" in labels and "float32 sparse int32 gram" in labels
    assert "float64 dense" in labels


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_gram_cd_correlated_support_converges(weighted, fit_intercept):
    # 20 pairs of columns correlated at 0.99998, offset 2: Gram coordinate
    # descent alone crawled (over 10^5 epochs without intercept, weighted);
    # the exact steps on the support finish within a few dozen. Certified on
    # the data, equal to scikit-learn's optimum.
    rng = np.random.default_rng(38)
    n, p = 200, 40
    X = rng.standard_normal((n, p))
    X[:, 1::2] = X[:, ::2] + 0.01 * rng.standard_normal((n, p // 2))
    X += 2.0
    w = np.zeros(p)
    w[:5] = 2 * rng.standard_normal(5)
    y = X @ w + 0.5 * rng.standard_normal(n) + 3.0
    sw = rng.uniform(0.1, 3.0, n) if weighted else None
    alpha = _alpha_max(X, y, sw, fit_intercept) / 10
    est = ElasticNetCD(alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept,
                       tol=1e-13, max_iter=500, precompute=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est.fit(X, y, sample_weight=sw)
    ref = ElasticNet(alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept,
                     tol=1e-14, max_iter=10**6).fit(X, y, sample_weight=sw)
    p_est = _objective(X, y, est.coef_, est.intercept_, alpha, 1.0, sw)
    p_ref = _objective(X, y, ref.coef_, ref.intercept_, alpha, 1.0, sw)
    assert p_est <= p_ref * (1 + 1e-12)
    s = np.ones(n) if sw is None else sw
    yc = y - np.average(y, weights=s) if fit_intercept else y
    assert est.dual_gap_ <= 1e-13 * np.sum(s * yc**2) / s.sum()
