"""ElasticNetCDCV, ProxLassoCV, RidgeGDCV: common checks, scikit-learn agreement."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNetCV, LassoCV, Ridge, RidgeCV
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import ElasticNetCD, ElasticNetCDCV, ProxLasso, ProxLassoCV, RidgeGDCV

TOL = 1e-10


@parametrize_with_checks(
    [
        ElasticNetCDCV(alphas=5, cv=3),
        ElasticNetCDCV(l1_ratio=[0.5, 1.0], alphas=[1.0, 0.1], cv=3),
        # check_sample_weight_equivalence_on_sparse_data compares weighted and
        # repeated-sample fits to rtol=1e-7, tighter than the default tol=1e-4
        # duality gap certifies; the default ProxLassoCV() runs in
        # tests/test_common.py
        ProxLassoCV(alphas=5, cv=3, tol=1e-10),
        RidgeGDCV(),
        RidgeGDCV(cv=3, alphas=[0.1, 10.0]),
    ],
    expected_failed_checks=lambda est: {},
    xfail_strict=True,
)
def test_common_checks(estimator, check):
    # convergence warnings of the tiny common-check problems are not errors
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


def _data(n=40, p=6, seed=0, sparse=False):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    if sparse:
        X[rng.rand(n, p) < 0.4] = 0.0
    X[:, 2] += 1.5
    y = X @ np.array([1.0, -2.0, 0.0, 0.5, 0.0, 0.0]) + rng.randn(n) + 2.0
    sw = rng.uniform(0.3, 2.0, size=n)
    return X, y, sw


# ---------------------------------------------------------------------------
# agreement with scikit-learn's ElasticNetCV / LassoCV on the same folds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_cv_matches_sklearn(sparse, fit_intercept, weighted):
    X, y, sw = _data(sparse=sparse)
    sw = sw if weighted else None
    Xin = sp.csc_matrix(X) if sparse else X
    kw = dict(alphas=15, eps=1e-2, cv=4, fit_intercept=fit_intercept, tol=TOL,
              max_iter=20_000)
    ours = ProxLassoCV(**kw).fit(Xin, y, sample_weight=sw)
    ref = LassoCV(**kw).fit(Xin, y, sample_weight=sw)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-10)
    np.testing.assert_allclose(ours.alpha_, ref.alpha_, rtol=1e-12)  # same point
    assert ours.mse_path_.shape == ref.mse_path_.shape == (15, 4)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-6)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    assert not hasattr(ours, "l1_ratio_")


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_enet_cv_matches_sklearn_l1_ratio_list(sparse, weighted):
    X, y, sw = _data(seed=1, sparse=sparse)
    sw = sw if weighted else None
    Xin = sp.csc_matrix(X) if sparse else X
    kw = dict(l1_ratio=[0.2, 0.7, 1.0], alphas=12, eps=1e-2, cv=3, tol=TOL,
              max_iter=20_000)
    ours = ElasticNetCDCV(**kw).fit(Xin, y, sample_weight=sw)
    ref = ElasticNetCV(**kw).fit(Xin, y, sample_weight=sw)
    assert ours.alphas_.shape == ref.alphas_.shape == (3, 12)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-10)
    assert ours.mse_path_.shape == ref.mse_path_.shape == (3, 12, 3)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-6)
    assert ours.l1_ratio_ == ref.l1_ratio_
    np.testing.assert_allclose(ours.alpha_, ref.alpha_, rtol=1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)


def test_enet_cv_given_alphas_and_positive_match_sklearn():
    X, y, _ = _data(seed=2)
    kw = dict(l1_ratio=0.5, alphas=[0.01, 1.0, 0.1, 0.5], cv=KFold(3, shuffle=True,
              random_state=0), positive=True, tol=TOL, max_iter=20_000)
    ours = ElasticNetCDCV(**kw).fit(X, y)
    ref = ElasticNetCV(**kw).fit(X, y)
    np.testing.assert_array_equal(ours.alphas_, [1.0, 0.5, 0.1, 0.01])
    np.testing.assert_allclose(ours.alphas_, ref.alphas_)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-6)
    np.testing.assert_allclose(ours.alpha_, ref.alpha_, rtol=1e-12)  # same point
    assert np.all(ours.coef_ >= 0)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)


def test_refit_is_the_estimator_at_alpha_():
    X, y, sw = _data(seed=3)
    cv = ElasticNetCDCV(l1_ratio=0.8, alphas=10, cv=3, tol=TOL).fit(X, y, sw)
    est = ElasticNetCD(alpha=cv.alpha_, l1_ratio=0.8, tol=TOL).fit(X, y, sw)
    np.testing.assert_allclose(cv.coef_, est.coef_, atol=1e-8)
    assert cv.dual_gap_ <= TOL * np.average((y - np.average(y, weights=sw)) ** 2,
                                            weights=sw)
    lasso = ProxLassoCV(alphas=10, cv=3, tol=TOL, max_iter=20_000).fit(X, y, sw)
    est = ProxLasso(alpha=lasso.alpha_, tol=TOL, max_iter=20_000).fit(X, y, sw)
    np.testing.assert_allclose(lasso.coef_, est.coef_, atol=1e-6)
    assert lasso.dual_gap_ <= TOL * np.average(
        (y - np.average(y, weights=sw)) ** 2, weights=sw
    )


def test_n_jobs_gives_identical_results():
    X, y, _ = _data(seed=4)
    kw = dict(l1_ratio=[0.5, 1.0], alphas=8, cv=3, selection="random",
              random_state=0)
    a = ElasticNetCDCV(n_jobs=1, **kw).fit(X, y)
    b = ElasticNetCDCV(n_jobs=2, **kw).fit(X, y)
    np.testing.assert_array_equal(a.mse_path_, b.mse_path_)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_positive_without_positive_correlation():
    rng = np.random.RandomState(5)
    X = np.abs(rng.randn(30, 3))
    y = -X @ np.array([1.0, 2.0, 0.5])
    model = ProxLassoCV(alphas=5, cv=3, positive=True, fit_intercept=False).fit(X, y)
    np.testing.assert_array_equal(model.alphas_, np.finfo(float).resolution)
    np.testing.assert_array_equal(model.coef_, 0.0)


def test_cv_errors():
    X, y, _ = _data()
    with pytest.raises(ValueError, match="Automatic alpha grid generation"):
        ElasticNetCDCV(l1_ratio=[0.0, 0.5], cv=3).fit(X, y)
    with pytest.raises(ValueError, match=r"l1_ratio must be a float or a non-empty"):
        ElasticNetCDCV(l1_ratio=[0.5, 1.5], cv=3).fit(X, y)
    with pytest.raises(ValueError, match="alphas must be finite and non-negative"):
        ProxLassoCV(alphas=[0.1, -1.0], cv=3).fit(X, y)
    with pytest.raises(ValueError, match="'alphas' parameter of ProxLassoCV"):
        ProxLassoCV(alphas=0).fit(X, y)
    with pytest.raises(ValueError, match="alphas must be strictly positive"):
        RidgeGDCV(alphas=[1.0, 0.0]).fit(X, y)
    sw = np.ones(len(y))
    sw[:10] = 0.0
    with pytest.raises(ValueError, match="cross-validation test fold sum to zero"):
        ProxLassoCV(alphas=3, cv=4).fit(X, y, sample_weight=sw)


def test_feature_names_and_plots_inputs():
    pd = pytest.importorskip("pandas")
    X, y, _ = _data(seed=6)
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    model = ElasticNetCDCV(alphas=5, cv=3).fit(df, y)
    np.testing.assert_array_equal(model.feature_names_in_, df.columns)
    assert model.alphas_.shape == (5,) and model.mse_path_.shape == (5, 3)


# ---------------------------------------------------------------------------
# RidgeGDCV
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("multi", [False, True])
def test_ridge_loo_matches_sklearn(fit_intercept, weighted, multi):
    X, y, sw = _data(seed=7)
    sw = sw if weighted else None
    if multi:
        y = np.c_[y, X[:, 0] - y]
    alphas = [0.01, 0.3, 3.0, 30.0]
    ours = RidgeGDCV(alphas=alphas, fit_intercept=fit_intercept, tol=1e-10)
    ours.fit(X, y, sample_weight=sw)
    ref = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, store_cv_results=True)
    ref.fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.alpha_, ref.alpha_, rtol=1e-12)  # same point
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-8)
    cv_res = ref.cv_results_.reshape(len(y), -1, len(alphas)).mean(axis=1)
    np.testing.assert_allclose(ours.mse_path_, cv_res.T[::-1], rtol=1e-8)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-7)


@pytest.mark.parametrize("sparse", [False, True])
def test_ridge_kfold_matches_grid_search(sparse):
    X, y, _ = _data(seed=8, sparse=sparse)
    Xin = sp.csr_matrix(X) if sparse else X
    alphas = [0.1, 10.0, 100.0]
    ours = RidgeGDCV(alphas=alphas, cv=4, tol=1e-10).fit(Xin, y)
    ref = GridSearchCV(Ridge(), {"alpha": alphas}, cv=KFold(4),
                       scoring="neg_mean_squared_error").fit(X, y)
    assert ours.alpha_ == ref.best_params_["alpha"]
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-6)
    mean = -ref.cv_results_["mean_test_score"]
    np.testing.assert_allclose(ours.mse_path_.mean(axis=1), mean[::-1], rtol=1e-6)
    np.testing.assert_allclose(ours.coef_, ref.best_estimator_.coef_, atol=1e-6)
