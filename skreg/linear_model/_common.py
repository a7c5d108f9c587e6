"""Helpers shared by the linear estimators (no numba here)."""

import warnings

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh
from sklearn.exceptions import ConvergenceWarning

from .._base import kernel_design, kernel_float, warn_not_converged


def warn_if_alpha_zero(alpha):
    """ConvergenceWarning for alpha=0: least squares has no duality gap."""
    if alpha == 0:
        warnings.warn(
            "With alpha=0, this algorithm does not converge well, and its "
            "stopping rule (the squared gradient over the trace of X^T X) is "
            "not a certificate of optimality: least squares has no duality "
            "gap. You are advised to use sklearn.linear_model.LinearRegression.",
            ConvergenceWarning,
            stacklevel=3,
        )


def initial_coef(est, n_features, dtype):
    """The previous ``coef_`` with ``warm_start`` (same shape), else zeros."""
    prev = getattr(est, "coef_", None)
    if est.warm_start and prev is not None and prev.shape == (n_features,):
        return prev
    return np.zeros(n_features, dtype=dtype)


def set_l1_fit_result(est, result, x_mean, y_mean, y_c, sw):
    """Fitted attributes of a duality-gap solver (ElasticNetCD, ProxLasso).

    ``result`` is ``(w, gap, n_iter, converged, hist_iter, hist_obj,
    hist_gap)`` from a kernel. Raises on non-finite coefficients and emits a
    ConvergenceWarning when the gap did not reach the tolerance.
    """
    w, gap, n_iter, conv, h_it, h_obj, h_gap = result
    est.coef_ = w
    est.dual_gap_ = float(gap)
    est.n_iter_ = int(n_iter)
    est.iter_history_ = h_it
    est.objective_history_ = h_obj
    est.gap_history_ = h_gap
    est._set_intercept(x_mean, y_mean, est.fit_intercept)
    name = type(est).__name__
    if not (np.all(np.isfinite(est.coef_)) and np.isfinite(est.intercept_)):
        raise ValueError(
            f"{name} produced non-finite coefficients. The input data may "
            "contain values too large to square; rescale them."
        )
    if not conv:
        target = est.tol * float(np.average(y_c**2, weights=sw))
        warn_not_converged(name, "the duality gap", gap, target, n_iter)
    return est


#: ``precompute="auto"`` uses the Gram matrix up to this many features
#: (dense X, sparse X) ...
GRAM_MAX_FEATURES = 64
GRAM_MAX_FEATURES_SPARSE = 16
#: ... and from this many samples per feature on (see ``use_gram``).
GRAM_MIN_RATIO = 4
_GRAM_BLOCK = 8192


def use_gram(precompute, n_samples, n_features, alpha, l1_ratio, sparse=False):
    """Whether coordinate descent runs on the Gram matrix.

    ``"auto"``: when ``n_samples >= 4 n_features`` and ``n_features <= 64``
    (dense X) or ``<= 16`` (sparse X). An epoch on the p x p Gram matrix
    costs ``p^2`` operations instead of ``2 n p``; building it costs about
    ``p / 10`` epochs over dense data (BLAS) but ``p / 4`` over sparse data
    (each stored value is read ``p / 2`` times), hence the lower sparse
    limit. ``True``: whenever possible. Never without an L1 term
    (``alpha * l1_ratio == 0``), where the duality gap of the Gram solver is
    not defined.
    """
    if not alpha * l1_ratio > 0:
        return False
    if precompute is True:
        return True
    if isinstance(precompute, str) and precompute == "auto":
        limit = GRAM_MAX_FEATURES_SPARSE if sparse else GRAM_MAX_FEATURES
        return n_features <= limit and n_samples >= GRAM_MIN_RATIO * n_features
    return False


def centred_gram(X, x_mean, sw):
    """``X_c^T S X_c`` in float64, with ``X_c = X - 1 x_mean^T``, never formed.

    ``X^T S X - m a^T - a m^T + n_w m m^T`` with ``a = X^T sw``, so any
    offsets ``m`` work (weighted means or scikit-learn's ``X_offset``).
    Dense X: BLAS on row blocks (a weighted or float32 block is the only
    copy). Sparse X (canonical CSC): a kernel that reads the non-zeros
    ``p / 2`` times and copies nothing.
    """
    n, p = X.shape
    w = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    m = np.asarray(x_mean, dtype=np.float64)
    if sp.issparse(X):
        from .._kernels._linear import sparse_gram

        _, data, indices, indptr, _ = kernel_design(X.tocsc())
        M, a = sparse_gram(data, indices, indptr, n,
                           kernel_float(w if sw is not None else np.empty(0)),
                           sw is not None)
    else:
        M = np.zeros((p, p))
        for start in range(0, n, _GRAM_BLOCK):
            Xb = np.asarray(X[start : start + _GRAM_BLOCK], dtype=np.float64)
            M += Xb.T @ (Xb * w[start : start + _GRAM_BLOCK, None]
                         if sw is not None else Xb)
        a = np.asarray(X.T @ w, dtype=np.float64)
    if np.any(m != 0.0):
        M = M - np.outer(m, a) - np.outer(a, m) + w.sum() * np.outer(m, m)
    return M


def gram_problem(X, y_c, sw, x_mean):
    """``(Q, q, y2)`` of the Gram solver.

    ``X_c^T S X_c``, ``X_c^T S y_c`` and ``y_c^T S y_c``, in float64.
    """
    y = np.asarray(y_c, dtype=np.float64)
    yw = y if sw is None else y * np.asarray(sw, dtype=np.float64)
    q = np.asarray(X.T @ yw, dtype=np.float64).ravel()
    q -= np.asarray(x_mean, dtype=np.float64) * yw.sum()
    return centred_gram(X, x_mean, sw), q, float(yw @ y)


def max_eigenvalue(X, x_mean, sw):
    """Largest eigenvalue of ``X_c^T S X_c``.

    ``X_c = X - 1 x_mean^T`` and ``S = diag(sw)``. Exact (dense symmetric
    eigensolver on the smaller Gram matrix, built without a centred copy of a
    tall X) when ``min(n, p) <= 300``; otherwise Lanczos (ARPACK) on the
    implicit operator, which never forms ``X_c``. The Lanczos estimate is a
    Ritz value, a lower bound converged to ``1e-10`` relative; callers
    multiply by a small safety factor.
    """
    n, p = X.shape
    w = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    m = np.asarray(x_mean, dtype=np.float64)
    sqw = np.sqrt(w)
    if p <= 300 and p <= n:
        # the p x p Gram matrix, without a centred copy of X
        M = centred_gram(X, x_mean, sw)
        return float(max(np.linalg.eigvalsh(M)[-1], 0.0))
    if n <= 300:
        Xd = X.toarray() if sp.issparse(X) else np.asarray(X)
        Xc = (Xd.astype(np.float64) - m) * sqw[:, None]  # n <= 300 rows: small
        return float(max(np.linalg.eigvalsh(Xc @ Xc.T)[-1], 0.0))
    dtype = np.float64

    def matvec(v):
        v = np.ravel(v)
        u = X @ v - m @ v
        u = w * np.asarray(u, dtype=dtype)
        return np.asarray(X.T @ u, dtype=dtype) - m * u.sum()

    op = LinearOperator((p, p), matvec=matvec, dtype=dtype)
    v0 = np.ones(p) / np.sqrt(p)
    val = eigsh(op, k=1, which="LA", tol=1e-10, v0=v0, return_eigenvectors=False)
    return float(max(val[0], 0.0))
