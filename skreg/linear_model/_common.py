"""Helpers shared by the linear estimators (no numba here)."""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh


def max_eigenvalue(X, x_mean, sw):
    """Largest eigenvalue of ``X_c^T S X_c`` (``X_c = X - 1 x_mean^T``, ``S = diag(sw)``).

    Exact (dense symmetric eigensolver on the smaller Gram matrix, built
    without a centred copy of a tall X) when ``min(n, p) <= 300``; otherwise Lanczos (ARPACK) on the implicit operator,
    which never forms ``X_c``. The Lanczos estimate is a Ritz value, a lower
    bound converged to ``1e-10`` relative; callers multiply by a small
    safety factor.
    """
    n, p = X.shape
    w = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    m = np.asarray(x_mean, dtype=np.float64)
    sqw = np.sqrt(w)
    if p <= 300 and p <= n:
        # p x p Gram without a centred copy of X: X^T S X - n_w m m^T,
        # accumulated over row blocks (a weighted block is the only copy)
        M = np.zeros((p, p))
        for start in range(0, n, 8192):
            Xb = X[start : start + 8192]
            Xb = Xb.toarray() if sp.issparse(Xb) else np.asarray(Xb, dtype=np.float64)
            wb = w[start : start + 8192]
            M += Xb.T @ (Xb * wb[:, None]) if sw is not None else Xb.T @ Xb
        M -= w.sum() * np.outer(m, m)
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
