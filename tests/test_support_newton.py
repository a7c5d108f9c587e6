"""The Newton step on the support that ElasticNetCD takes between budgets of
coordinate-descent epochs: its Gram matrix, and its exactness."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import ElasticNet

from skreg.linear_model._coordinate_descent import _support_gram, _support_newton


def _data(seed=0, n=60, p=30):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-2, 2, size=p)
    w = np.zeros(p)
    w[:6] = rng.standard_normal(6) * 3
    y = X @ w + 0.1 * rng.standard_normal(n) + 1.5
    sw = rng.uniform(0.2, 2.0, size=n)
    return np.asfortranarray(X), y, sw


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_support_gram_is_the_centred_weighted_gram(sparse, weighted):
    X, y, sw = _data()
    sw = sw if weighted else None
    d = np.ones_like(y) if sw is None else sw
    m = (d @ X) / d.sum()
    y_c = y - (d @ y) / d.sum()
    S = np.array([1, 4, 7, 20])
    Xc = X[:, S] - m[S]
    Q_ref = Xc.T @ (d[:, None] * Xc)
    b_ref = Xc.T @ (d * y_c)
    Xk = sp.csc_matrix(X) if sparse else X
    Q, b = _support_gram(Xk, y_c, sw, m, S, block=7)  # several row blocks
    np.testing.assert_allclose(np.triu(Q), np.triu(Q_ref), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(b, b_ref, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.7])
def test_support_newton_reaches_the_exact_solution_and_drops_features(l1_ratio):
    X, y, sw = _data(seed=1)
    alpha = 0.05
    ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=100000).fit(
        X, y, sample_weight=sw
    )
    d = sw
    m = (d @ X) / d.sum()
    y_c = y - (d @ y) / d.sum()
    support = np.flatnonzero(ref.coef_)
    outside = np.setdiff1d(np.arange(X.shape[1]), support)
    # start: the right signs, wrong magnitudes, and two features that must
    # leave the support (their sign disagrees with where the step goes)
    w = ref.coef_ * 1.3
    w[outside[:2]] = 1e-3
    out = _support_newton(
        X, y_c, sw, m, alpha * l1_ratio, alpha * (1 - l1_ratio), w, False
    )
    assert out is not None
    np.testing.assert_allclose(out, ref.coef_, rtol=1e-8, atol=1e-10)
