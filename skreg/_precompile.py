"""Compile every numba kernel once, so that numba's cache is warm.

Run it once after installing skreg (or once per worker of a cluster), and
the first fit in every later process loads the compiled kernels from the
cache instead of spending seconds compiling them::

    python -m skreg precompile

On a dask cluster, warm every worker's cache (each worker is a separate
process, possibly on another machine)::

    from dask.distributed import Client
    from skreg._precompile import precompile

    client = Client("tcp://scheduler:8786")
    client.run(precompile)

Where the cache lives follows skreg's policy (see :mod:`skreg._kernels._jit`):
``NUMBA_CACHE_DIR`` when set, otherwise numba's ``__pycache__`` next to the
kernels, numba's user-wide folder, or a private temporary folder.
"""

import inspect
import time
import warnings

import numpy as np
import scipy.sparse as sp

__all__ = ["precompile"]


def _estimators():
    """Public estimator classes of ``skreg.__all__`` (discovered, not listed)."""
    from sklearn.base import BaseEstimator

    import skreg

    found = []
    for name in skreg.__all__:
        try:
            obj = getattr(skreg, name)
        except (ImportError, AttributeError):  # pragma: no cover - optional
            continue
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            found.append(obj)
    return found


def _variants(cls):
    """(label, X, y, params) for every array type the kernels are compiled for."""
    from sklearn.base import is_classifier

    rng = np.random.RandomState(0)
    X = rng.randn(12, 3)
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.randn(12)
    est = cls()
    keys = est.get_params()
    base = {"max_iter": 3, "alphas": 3, "cv": 2, "hidden_layer_sizes": (3,),
            "random_state": 0}
    base = {k: v for k, v in base.items() if k in keys}
    if "alphas" in base and not isinstance(keys["alphas"], int):
        del base["alphas"]  # an explicit grid (RidgeGDCV)
    if is_classifier(est):  # binary (logistic output) and multiclass (softmax)
        yield "float64 binary", X, (y > 0).astype(int), base
        yield "float64 multiclass", X, np.digitize(y, [-1.0, 1.0]), base
        return
    sparse_ok = est.__sklearn_tags__().input_tags.sparse
    # solvers with a Gram-matrix mode: every variant once on the data and
    # once on the Gram matrix (12 x 3 is tall enough for "auto" to pick it)
    modes = [("", {})]
    if "precompute" in keys:
        modes = [("", {"precompute": False}), (" gram", {"precompute": True})]
    for suffix, mode in modes:
        yield from _dtype_variants(cls, X, y, dict(base, **mode), suffix, sparse_ok)
    if "selection" in keys:
        yield "float64 dense random", X, y, dict(base, selection="random")


def _dtype_variants(cls, X, y, base, suffix, sparse_ok):
    for dtype in (np.float64, np.float32):
        Xd = X.astype(dtype)
        yield f"{np.dtype(dtype).name} dense{suffix}", Xd, y.astype(dtype), base
        if "RidgeGD" in cls.__name__:  # several targets
            Y = np.column_stack([y, -y]).astype(dtype)
            yield f"{np.dtype(dtype).name} dense 2 targets", Xd, Y, base
        if not sparse_ok:
            continue
        for idx in (np.int32, np.int64):
            Xs = sp.csc_matrix(Xd)
            Xs.indices = Xs.indices.astype(idx)
            Xs.indptr = Xs.indptr.astype(idx)
            label = f"{np.dtype(dtype).name} sparse {np.dtype(idx).name}{suffix}"
            yield label, Xs, y.astype(dtype), base


def precompile(verbose=False):
    """Fit every public estimator once on tiny data, compiling all kernels.

    Every estimator of ``skreg.__all__`` is fitted on a 12 x 3 problem as
    dense float64 and float32, sparse CSC with 32- and 64-bit indices,
    several targets and several classes where the estimator supports them:
    the array types the kernels are compiled for. With numba's cache enabled
    the compiled code is written to the cache, and every later process loads
    it instead of compiling.

    Parameters
    ----------
    verbose : bool, default=False
        Print one line per fit with its time, and where the cache is.

    Returns
    -------
    timings : list of tuple (str, str, float)
        ``(estimator name, variant, seconds)`` for every fit.

    Examples
    --------
    >>> from skreg._precompile import precompile
    >>> timings = precompile()  # doctest: +SKIP
    >>> sorted({name for name, _, _ in timings})[:2]  # doctest: +SKIP
    ['ElasticNetCD', 'ElasticNetCDCV']
    """
    timings = []
    start = time.perf_counter()
    for cls in _estimators():
        for label, X, y, params in _variants(cls):
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # tiny fits: convergence noise
                cls(**params).fit(X, y)
            dt = time.perf_counter() - t0
            timings.append((cls.__name__, label, dt))
            if verbose:
                print(f"{cls.__name__:<26} {label:<28} {dt:7.2f} s", flush=True)
    if verbose:
        import numba

        from skreg._kernels import _jit

        where = numba.config.CACHE_DIR or "numba's default (__pycache__ or user-wide)"
        state = f"cache in {where}" if _jit.CACHE_ENABLED else "cache DISABLED"
        print(f"{len(timings)} fits in {time.perf_counter() - start:.1f} s; {state}")
    return timings
