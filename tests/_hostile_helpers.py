"""Shared helpers of the hardening tests: estimator discovery, fast parameters,
hostile input builders and independent optimality certificates.

Nothing here imports a kernel: the certificates are computed with NumPy in
float64 on normalised data, so they are independent of the code under test.
"""

import inspect
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.optimize import nnls
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import ConvergenceWarning

import skreg


def discover_estimators():
    """Public estimator classes of ``skreg.__all__`` that can be imported."""
    found = {}
    for name in skreg.__all__:
        try:
            obj = getattr(skreg, name)
        except (ImportError, AttributeError):  # pragma: no cover - WIP modules
            continue
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            found[name] = obj
    return found


ESTIMATORS = discover_estimators()

# Fast parameters; only keys that the estimator accepts are applied.
_FAST = {
    "tol": 1e-6,
    "max_iter": 5000,
    "alphas": 4,
    "cv": 2,
    "hidden_layer_sizes": (4,),
    "random_state": 0,
}
_MLP_FAST = {"max_iter": 3, "tol": 1e-4}


def kind_of(cls):
    """'enet', 'lasso', 'ridge' (convex, with a certificate) or 'other'."""
    name = cls.__name__
    params = cls().get_params()
    if "MLP" in name or is_classifier(cls()):
        return "other"
    if "Ridge" in name:
        return "ridge"
    if "l1_ratio" in params:
        return "enet"
    if "Lasso" in name:
        return "lasso"
    return "other"  # pragma: no cover - an estimator added later


def make_estimator(cls, **extra):
    est = cls()
    keys = est.get_params()
    params = {k: v for k, v in _FAST.items() if k in keys}
    if "alphas" in params and not isinstance(keys["alphas"], int):
        del params["alphas"]  # an explicit grid (RidgeGDCV): keep it
    if kind_of(cls) == "other":
        params.update({k: v for k, v in _MLP_FAST.items() if k in keys})
    params.update({k: v for k, v in extra.items() if k in keys})
    return est.set_params(**params)


def is_cv(est):
    return "cv" in est.get_params()


def fitted_penalty(est, kind):
    """(a1, a2) of the objective the fitted estimator minimised.

    enet/lasso: 1/(2 n_w)||r||^2 + a1 ||w||_1 + a2/2 ||w||^2.
    ridge: ||r||^2 + a2 ||w||^2 (a1 = 0).
    """
    alpha = getattr(est, "alpha_", None)
    if alpha is None:
        alpha = est.alpha
    if kind == "ridge":
        return 0.0, float(alpha)
    if kind == "lasso":
        return float(alpha), 0.0
    rho = getattr(est, "l1_ratio_", None)
    if rho is None:
        rho = est.l1_ratio
    return float(alpha * rho), float(alpha * (1 - rho))


# ---------------------------------------------------------------------------
# certificates
# ---------------------------------------------------------------------------


def _normalise(X, y, sw, fit_intercept):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    s = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    sx = float(np.max(np.abs(X), initial=0.0)) or 1.0
    sy = float(np.max(np.abs(y), initial=0.0)) or 1.0
    Xn, yn = X / sx, y / sy
    if fit_intercept:
        m = s @ Xn / s.sum()
        yb = s @ yn / s.sum()
    else:
        m, yb = np.zeros(X.shape[1]), 0.0
    return Xn - m, yn - yb, s, sx, sy, m, yb, Xn, yn


class Certificate:
    """Suboptimality bound at the returned solution and the target it must meet.

    All numbers are in the units of the normalised problem (X / max|X|,
    y / max|y|), so extreme scales neither overflow nor underflow here.
    """

    def __init__(self, subopt, target, intercept_err, objective, grad_ratio=None):
        self.subopt = subopt
        self.target = target
        self.intercept_err = intercept_err
        self.objective = objective
        self.grad_ratio = grad_ratio

    def __repr__(self):
        return (f"Certificate(subopt={self.subopt:.3e}, target={self.target:.3e}, "
                f"intercept_err={self.intercept_err:.3e}, obj={self.objective:.6e})")


def linear_certificate(est, X, y, sw, kind, dtype):
    """Independent optimality certificate of a fitted linear model.

    enet/lasso with a1 > 0: scikit-learn's duality gap at the rescaled
    residual (Fenchel dual), in n_w-scaled units, against
    ``tol * sum_i s_i yc_i^2``. a1 = 0: the exact optimum from an augmented
    least-squares (or NNLS when positive) solve. ridge: the gradient norm
    against ``tol`` times the gradient norm at zero (RidgeGD's rule).
    """
    fit_intercept = est.fit_intercept
    Xc, yc, s, sx, sy, m, yb, Xn, yn = _normalise(X, y, sw, fit_intercept)
    eps = np.finfo(dtype).eps
    w = np.asarray(est.coef_, dtype=np.float64) * (sx / sy)  # no underflow
    b = float(est.intercept_) / sy
    a1, a2 = fitted_penalty(est, kind)
    n_w = s.sum()
    tol = est.tol
    r = yc - Xc @ w
    R2 = float(s @ r**2)
    Y2 = float(s @ yc**2)
    l1 = float(np.abs(w).sum())
    # intercept: the weighted mean of y - X w (relative to the data scale)
    b_exp = yb - m @ w
    scale_b = 1.0 + abs(yb) + float(np.abs(m) @ np.abs(w))
    intercept_err = abs(b - b_exp) / scale_b if fit_intercept else abs(b)
    positive = bool(getattr(est, "positive", False))
    if kind == "ridge":
        alpha = a2 / sx / sx if a2 else 0.0
        pen = float(np.sum((np.sqrt(alpha) * w) ** 2))  # no underflow of w @ w
        g = -2 * Xc.T @ (s * r) + 2 * alpha * w
        g0 = -2 * Xc.T @ (s * yc)
        gn, g0n = float(np.linalg.norm(g)), float(np.linalg.norm(g0))
        # rounding scale of the estimator's own gradient evaluation; the
        # centring is implicit, so its rounding is relative to the raw values
        fro = float(np.sqrt(s @ (Xn**2).sum(axis=1)))
        ynorm = float(np.sqrt(s @ yn**2))
        wn = float(np.linalg.norm(w))
        noise = 1e3 * eps * (fro * (ynorm + fro * wn) + 2 * alpha * wn)
        return Certificate(gn, tol * g0n + noise, intercept_err, R2 + pen,
                           grad_ratio=gn / g0n if g0n else 0.0)
    A = n_w * a1 / sx / sy
    B = n_w * a2 / sx / sx if a2 else 0.0
    Bw2 = float(np.sum((np.sqrt(B) * w) ** 2))  # B ||w||^2 without underflow
    primal = 0.5 * R2 + A * l1 + 0.5 * Bw2
    floor = 1e3 * eps * float(s @ yn**2) + 1e3 * eps * primal
    target = tol * Y2 + floor
    if A > 0:
        XtA = Xc.T @ (s * r) - B * w
        dual_norm = float(np.max(XtA, initial=0.0)) if positive else float(
            np.max(np.abs(XtA), initial=0.0)
        )
        if dual_norm > A:
            const = A / dual_norm
            gap = 0.5 * (R2 + R2 * const**2)
        else:
            const = 1.0
            gap = R2
        gap += A * l1 - const * float(r @ (s * yc)) + 0.5 * (1 + const**2) * Bw2
        return Certificate(gap, target, intercept_err, primal)
    # a1 == 0: exact optimum of 1/2||S^1/2 (yc - Xc v)||^2 + B/2 ||v||^2
    sq = np.sqrt(s)
    M = sq[:, None] * Xc
    rhs = sq * yc
    if B > 0:
        M = np.vstack([M, np.sqrt(B) * np.eye(Xc.shape[1])])
        rhs = np.concatenate([rhs, np.zeros(Xc.shape[1])])
    if positive:
        v, _ = nnls(M, rhs)
    else:
        v = np.linalg.lstsq(M, rhs, rcond=None)[0]
    rv = yc - Xc @ v
    best = 0.5 * float(s @ rv**2) + 0.5 * B * float(v @ v)
    return Certificate(primal - best, target, intercept_err, primal)


def fit_recording(est, X, y, sw=None):
    """Fit and return (estimator, list of warning categories)."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        if sw is None:
            est.fit(X, y)
        else:
            est.fit(X, y, sample_weight=sw)
    cats = [w.category for w in rec]
    import numba

    numba_warnings = [str(w.message) for w in rec
                      if issubclass(w.category, numba.NumbaWarning)]
    assert not numba_warnings, numba_warnings
    return est, cats


def converged(cats):
    return not any(issubclass(c, ConvergenceWarning) for c in cats)


# ---------------------------------------------------------------------------
# hostile containers
# ---------------------------------------------------------------------------


def snapshot(obj):
    """A deep copy of the user's object, to check it is never modified."""
    if sp.issparse(obj):
        parts = {"shape": obj.shape, "format": obj.format,
                 "data": obj.data.copy()}
        if obj.format == "coo":
            parts["coords"] = tuple(c.copy() for c in obj.coords)
        else:
            parts["indices"] = obj.indices.copy()
            parts["indptr"] = obj.indptr.copy()
        return parts
    if hasattr(obj, "copy") and not isinstance(obj, np.ndarray):
        return obj.copy(deep=True)  # pandas
    a = np.asarray(obj)
    return (a.copy(), a.flags.writeable, a.flags.c_contiguous, a.flags.f_contiguous)


def assert_unchanged(obj, snap):
    if sp.issparse(obj):
        assert obj.shape == snap["shape"] and obj.format == snap["format"]
        _same_array(obj.data, snap["data"])
        if obj.format == "coo":
            for c, c0 in zip(obj.coords, snap["coords"], strict=True):
                _same_array(c, c0)
        else:
            _same_array(obj.indices, snap["indices"])
            _same_array(obj.indptr, snap["indptr"])
        return
    if not isinstance(snap, tuple):
        assert obj.equals(snap) and (obj.dtypes == snap.dtypes).all()
        return
    a0, writeable, c, f = snap
    a = np.asarray(obj)
    _same_array(a, a0)
    assert (a.flags.writeable, a.flags.c_contiguous, a.flags.f_contiguous) == (
        writeable, c, f)


def _same_array(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    equal_nan = a.dtype.kind in "fc"
    assert np.array_equal(a, b, equal_nan=equal_nan), "user array was modified"


def to_sparse(Xd, fmt, container, idx_dtype, unsorted, duplicates, rng):
    """Sparse version of dense Xd with exactly the same values.

    ``duplicates`` splits every stored value into two halves (exact in binary
    floating point) and adds explicit zeros; ``unsorted`` shuffles the
    entries inside each row (CSR) or column (CSC).
    """
    rows, cols = np.nonzero(Xd)
    vals = Xd[rows, cols]
    if duplicates and rows.size:
        rows = np.concatenate([rows, rows, rows[:1]])
        cols = np.concatenate([cols, cols, cols[:1]])
        vals = np.concatenate([vals / 2, vals / 2, np.zeros(1, Xd.dtype)])
    n, p = Xd.shape
    if fmt == "coo":
        cls = sp.coo_array if container == "array" else sp.coo_matrix
        order = rng.permutation(rows.size) if unsorted else np.arange(rows.size)
        X = cls((vals[order], (rows[order], cols[order])), shape=(n, p))
        X.coords = tuple(c.astype(idx_dtype) for c in X.coords)
        return X
    major, minor = (rows, cols) if fmt == "csr" else (cols, rows)
    n_major = n if fmt == "csr" else p
    key = rng.random_sample(rows.size) if unsorted else minor
    order = np.lexsort((key, major))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(major, minlength=n_major))])
    if fmt == "csr":
        cls = sp.csr_array if container == "array" else sp.csr_matrix
    else:
        cls = sp.csc_array if container == "array" else sp.csc_matrix
    X = cls((vals[order], minor[order], indptr), shape=(n, p))
    X.indices = minor[order].astype(idx_dtype)
    X.indptr = indptr.astype(idx_dtype)
    return X
