"""Grid search with several workers: process (loky, read-only memory maps),
threads, and a real dask.distributed cluster on loopback. Every parallel run
must give the results of the sequential one."""

import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp
from _hostile_helpers import ESTIMATORS, is_cv, kind_of
from joblib import Parallel, delayed, parallel_config
from sklearn.base import clone, is_classifier
from sklearn.model_selection import GridSearchCV, KFold

# short MLP fits stop at max_iter on purpose
pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning"
)

# every public estimator that is not itself a CV search
NAMES = sorted(n for n in ESTIMATORS if not is_cv(ESTIMATORS[n]()))


def _estimator_and_grid(name):
    cls = ESTIMATORS[name]
    est = cls()
    keys = est.get_params()
    params = {"random_state": 0, "max_iter": 200, "tol": 1e-6}
    if kind_of(cls) == "other":  # the MLPs: small and short
        params.update(hidden_layer_sizes=(5,), max_iter=15, tol=1e-4)
        grid = {"alpha": [1e-4, 1e-1]}
    elif kind_of(cls) == "ridge":
        grid = {"alpha": [0.1, 10.0]}
    else:
        grid = {"alpha": [0.01, 0.3]}
        if "selection" in keys:  # exercise the seeded random sampler too
            params["selection"] = "random"
    return est.set_params(**{k: v for k, v in params.items() if k in keys}), grid


def _data(name, sparse=False):
    rng = np.random.RandomState(0)
    X = np.asfortranarray(rng.randn(60, 8))
    y = X @ rng.randn(8) + 0.1 * rng.randn(60)
    if is_classifier(ESTIMATORS[name]()):
        y = (y > 0).astype(int)
    if sparse:
        X[np.abs(X) < 0.8] = 0.0
        X = sp.csc_matrix(X)
    return X, y


def _search(name, sparse=False, n_jobs=1):
    est, grid = _estimator_and_grid(name)
    X, y = _data(name, sparse)
    gs = GridSearchCV(est, grid, cv=KFold(3), n_jobs=n_jobs, error_score="raise")
    return gs.fit(X, y)


def _params_of(est):
    if hasattr(est, "coef_"):
        return [np.asarray(est.coef_), np.asarray(est.intercept_)]
    return list(est.coefs_) + list(est.intercepts_)


def _assert_same_search(a, b):
    """Same split scores (BLAS in other processes may sum in another order:
    1e-12) and a bit-identical refitted best estimator (refit in-process)."""
    for k in a.cv_results_:
        if k.startswith("split") and k.endswith("_test_score"):
            np.testing.assert_allclose(a.cv_results_[k], b.cv_results_[k],
                                       rtol=1e-12, atol=0)
    assert a.best_params_ == b.best_params_
    for pa, pb in zip(_params_of(a.best_estimator_), _params_of(b.best_estimator_),
                      strict=True):
        np.testing.assert_array_equal(pa, pb)


@pytest.fixture(scope="module")
def sequential():
    cache = {}

    def get(name, sparse=False):
        if (name, sparse) not in cache:
            cache[name, sparse] = _search(name, sparse)
        return cache[name, sparse]

    return get


def _sparse_cases():
    cases = []
    for n in NAMES:
        cases.append(pytest.param(n, False, id=f"{n}-dense"))
        if ESTIMATORS[n]().__sklearn_tags__().input_tags.sparse:
            cases.append(pytest.param(n, True, id=f"{n}-sparse"))
    return cases


@pytest.mark.parametrize("name, sparse", _sparse_cases())
def test_gridsearch_loky_memmap(name, sparse, sequential):
    with parallel_config(backend="loky", max_nbytes="1K", mmap_mode="r"):
        par = _search(name, sparse, n_jobs=2)
    _assert_same_search(par, sequential(name, sparse))


@pytest.mark.parametrize("name, sparse", _sparse_cases())
def test_gridsearch_threading(name, sparse, sequential):
    with parallel_config(backend="threading"):
        par = _search(name, sparse, n_jobs=2)
    _assert_same_search(par, sequential(name, sparse))


@pytest.mark.parametrize("name, sparse", _sparse_cases())
def test_fit_on_readonly_memmap_in_worker(name, sparse):
    """GridSearchCV copies its splits; a plain joblib fan-out hands the
    estimator the read-only memory map itself."""
    est, _ = _estimator_and_grid(name)
    X, y = _data(name, sparse)

    def fit_in_worker(est, X, y):
        arr = X.data if sp.issparse(X) else X
        seen = (isinstance(arr, np.memmap), bool(arr.flags.writeable))
        fitted = clone(est).fit(X, y)
        return seen, fitted

    with parallel_config(backend="loky", max_nbytes="1K", mmap_mode="r"):
        out = Parallel(n_jobs=2)(delayed(fit_in_worker)(est, X, y) for _ in range(2))
    ref = clone(est).fit(X, y)
    for seen, fitted in out:
        assert seen == (True, False), "the worker did not get a read-only memmap"
        for pa, pb in zip(_params_of(fitted), _params_of(ref), strict=True):
            np.testing.assert_allclose(pa, pb, rtol=1e-12, atol=1e-15)


def test_concurrent_threads_same_data():
    """Every estimator fitted at once from 4 threads on one read-only array
    (kernels release the GIL): the sequential results, bit for bit."""
    X, y = _data(NAMES[0])
    X.setflags(write=False)
    jobs = []
    for name in NAMES:
        est, _ = _estimator_and_grid(name)
        yy = (y > 0).astype(int) if is_classifier(est) else y
        jobs += [(est, yy)] * 2
    ref = [_params_of(clone(e).fit(X, t)) for e, t in jobs]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda j: _params_of(clone(j[0]).fit(X, j[1])), jobs))
    for g, r in zip(got, ref, strict=True):
        for a, b in zip(g, r, strict=True):
            np.testing.assert_array_equal(a, b)


def test_gridsearch_dask_distributed():
    """A real dask.distributed cluster (scheduler + 2 worker processes on
    loopback) through joblib's dask backend gives the local results."""
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    names = [n for n in NAMES if kind_of(ESTIMATORS[n]) != "other"][:2] + [
        n for n in NAMES if kind_of(ESTIMATORS[n]) == "other"][:1]
    local = {n: _search(n) for n in names}
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        with parallel_config(backend="dask"):
            remote = {n: _search(n, n_jobs=-1) for n in names}
        on_workers = client.run(lambda: "skreg.linear_model" in sys.modules)
    assert len(on_workers) == 2 and all(on_workers.values()), on_workers
    for n in names:
        _assert_same_search(remote[n], local[n])
