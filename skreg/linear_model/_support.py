"""Exact steps on the support of a coordinate-descent iterate.

Coordinate descent identifies the support of the solution quickly but
crawls where columns of the support are highly correlated, or where the
support approaches ``n`` (the late part of a Lasso path): each epoch then
gains a factor close to 1. On the orthant of the current signs the
elastic-net objective is a quadratic in the non-zero coefficients, whose
minimiser one linear solve gives. :func:`feature_sign` steps towards it,
stops where the first coefficient reaches zero, drops that coefficient and
solves again on the rest, until a step lands (the feature-sign search of
Lee, Battle, Raina and Ng, "Efficient sparse coding algorithms", NIPS 2007,
without its additions: zeros stay zero, coordinate descent adds features).
The objective decreases along every step.

The kernels (:func:`~skreg._kernels._linear.enet_cd`,
:func:`~skreg._kernels._linear.enet_cd_gram`) return on a stall; the
estimators then take these steps here, with BLAS and LAPACK (one Gram
matrix of the support, one Cholesky factorisation, ``O(k^2)`` per dropped
coefficient), and call the kernel again from the result. Nothing here is
compiled, so a first fit compiles no more than before.

Units are the kernels' (the objective times ``n_w``)::

    1/2 ||y_c - X_c w||_S^2 + A ||w||_1 + B/2 ||w||^2
"""

import numpy as np
import scipy.sparse as sp
from scipy.linalg import LinAlgError, cho_factor, cho_solve

#: the largest support the steps are taken on (its Gram matrix: 50 MB);
#: the kernels never stall on a larger one (``_STEP_MAX_K`` there)
MAX_SUPPORT = 2500


def polish_due(k, n_epochs, pass_cost, gram_cost):
    """Whether a converged fit with a support of k features ends with a step.

    The step and the check of its result cost about four passes over the
    data (``pass_cost`` operations each) plus the support's Gram matrix
    (``gram_cost``) and its factorisation; they are taken when that is
    below a fifth of the fit's own work (``n_epochs`` passes at most), or
    below a million operations (a millisecond: small problems, such as the
    folds of a cross-validation, always end exact on their support).
    """
    if not 0 < k <= MAX_SUPPORT:
        return False
    cost = 4 * pass_cost + gram_cost + k**3 / 3
    return cost <= max(1e6, n_epochs * pass_cost / 5)


def _block_rows(n_columns):
    """Rows of a float64 block of dense X of at most 16 MB (2^21 values)."""
    return max(1, 2**21 // max(1, n_columns))


def feature_sign(Q, h, v, A, B):
    """Exact steps on the support of ``v`` (in place on ``v`` and ``h``).

    Parameters
    ----------
    Q : ndarray of shape (k, k)
        Centred, weighted Gram matrix of the k features (without ``B``).
    h : ndarray of shape (k,)
        Gradient of the least-squares term, ``X_c^T S r`` for these
        features; kept equal to it as v changes.
    v : ndarray of shape (k,)
        Coefficients of the k features, all non-zero on entry.
    A, B : float
        L1 and L2 strengths in the units above.

    Returns
    -------
    moved : bool
        False (v and h unchanged) when ``Q + B I`` is not numerically
        positive definite (identical columns in the support of a Lasso).

    Notes
    -----
    ``Q + B I = L L^T`` is factored once. With the set D of coefficients
    dropped so far, the step ``x`` solves ``(Q + B I)_oo x_o = b_o``,
    ``x_D = 0`` (o the others, ``b = h - A sign(v) - B v``) as
    ``x = u - Z mu`` with ``u = (Q + B I)^{-1} b``, ``Z`` the columns D of
    the inverse and ``Z_DD mu = u_D``: each drop costs two triangular
    solves, not a new factorisation.
    """
    k = v.shape[0]
    H = Q + B * np.eye(k)
    try:
        factor = cho_factor(H, lower=True, check_finite=False)
    except LinAlgError:
        return False
    diag = np.abs(np.diag(factor[0]))
    # pivots below 1e-12 of the largest: numerically singular
    if not diag.min() > 1e-6 * diag.max():
        return False
    sign = np.sign(v)
    on = np.ones(k, dtype=bool)
    dropped = []
    Z = np.empty((k, 0))
    moved = False
    for _ in range(k):
        b = h - A * sign - B * v
        b[~on] = 0.0
        x = cho_solve(factor, b, check_finite=False)
        if dropped:
            mu = np.linalg.solve(Z[dropped], x[dropped])
            x -= Z @ mu
        x[~on] = 0.0
        new = v + x
        cross = on & (np.sign(new) != sign) & (x != 0.0)
        step, hit = 1.0, -1
        if cross.any():
            idx = np.flatnonzero(cross)
            t = -v[idx] / x[idx]
            i = int(np.argmin(t))
            if t[i] < 1.0:
                step, hit = float(t[i]), int(idx[i])
        if not step > 0.0:
            break
        v_old = v.copy()
        v[on] += step * x[on]
        if hit >= 0:
            v[hit] = 0.0
        # rounding at the boundary: no coefficient changes sign
        v[on & (np.sign(v) != sign)] = 0.0
        h -= Q @ (v - v_old)  # h stays X_c^T S r of the v actually taken
        moved = True
        if hit < 0:
            break
        for j in np.flatnonzero(on & (v == 0.0)):
            on[j] = False
            dropped.append(int(j))
            e = np.zeros(k)
            e[j] = 1.0
            Z = np.column_stack([Z, cho_solve(factor, e, check_finite=False)])
        if not on.any():
            break
    return moved


def _support_gram_grad(X, S, x_mean, sw, rw):
    """The support's centred weighted Gram matrix
    ``(X_S - 1 m_S^T)^T diag(sw) (X_S - 1 m_S^T)`` and gradient
    ``(X_S - 1 m_S^T)^T rw`` (``rw`` the weighted residual), in float64.
    Dense X is read in row blocks (:func:`_block_rows`): the copy of the
    support's columns stays small however tall X is."""
    n = X.shape[0]
    w = np.ones(n) if sw is None else sw
    m = x_mean[S]
    if sp.issparse(X):
        XS = X[:, S].tocsc().astype(np.float64)
        M = (XS.T @ (XS.multiply(w[:, None]).tocsc())).toarray()
        a = np.asarray(XS.T @ w).ravel()
        h = np.asarray(XS.T @ rw).ravel()
    else:
        k = S.shape[0]
        M = np.zeros((k, k))
        a = np.zeros(k)
        h = np.zeros(k)
        rows = _block_rows(k)
        for start in range(0, n, rows):
            Xb = np.asarray(X[start:start + rows][:, S], dtype=np.float64)
            wb = w[start:start + rows]
            # without weights X_b^T X_b: numpy sees one operand and its
            # transpose and calls syrk, half the operations of a gemm
            M += Xb.T @ (Xb if sw is None else Xb * wb[:, None])
            a += Xb.T @ wb
            h += Xb.T @ rw[start:start + rows]
    if np.any(m != 0.0):
        M = M - np.outer(m, a) - np.outer(a, m) + w.sum() * np.outer(m, m)
    return M, h - m * rw.sum()


def _primal(X, y_c, sw, x_mean, w, A, B):
    """(objective in the kernels' units, residual weights * residual).
    Dense X in row blocks, in float64: ``X @ w`` on float32 X would first
    make a float64 copy of all of X."""
    if sp.issparse(X) or X.dtype == np.float64:
        Xw = np.asarray(X @ w, dtype=np.float64).ravel()
    else:
        Xw = np.empty(X.shape[0])
        rows = _block_rows(X.shape[1])
        for start in range(0, X.shape[0], rows):
            Xw[start:start + rows] = (
                np.asarray(X[start:start + rows], dtype=np.float64) @ w
            )
    r = y_c - (Xw - x_mean @ w)
    rw = r if sw is None else sw * r
    return 0.5 * (r @ rw) + A * np.abs(w).sum() + 0.5 * B * (w @ w), rw


def support_step(X, y_c, sw, x_mean, alpha1, alpha2, w):
    """Exact steps on the support of ``w`` on the data (for ``enet_cd``).

    ``X`` dense or canonical CSC, ``y_c`` the centred target, ``x_mean`` the
    offsets of the implicit centring (zeros without intercept), all as the
    kernels receive them. Returns ``(w_new, taken)``: the steps are taken
    only when the objective computed from the new residual is lower.
    """
    w = np.array(w, dtype=np.float64)
    S = np.flatnonzero(w)
    k = S.shape[0]
    if k == 0 or k > MAX_SUPPORT:
        return w, False
    sw = None if sw is None or sw.shape[0] == 0 else np.asarray(sw, np.float64)
    x_mean = np.asarray(x_mean, dtype=np.float64)
    y_c = np.asarray(y_c, dtype=np.float64)
    n_w = float(y_c.shape[0]) if sw is None else float(sw.sum())
    A, B = alpha1 * n_w, alpha2 * n_w
    p_old, rw = _primal(X, y_c, sw, x_mean, w, A, B)
    Q, h = _support_gram_grad(X, S, x_mean, sw, rw)
    v = w[S].copy()
    if not feature_sign(Q, h, v, A, B):
        return w, False
    w_new = w.copy()
    w_new[S] = v
    p_new, _ = _primal(X, y_c, sw, x_mean, w_new, A, B)
    if not p_new < p_old:
        return w, False
    return w_new, True


def gram_step(Q, q, n_w, alpha1, alpha2, w):
    """:func:`support_step` on the Gram matrix ``Q = X_c^T S X_c`` with
    ``q = X_c^T S y_c`` (for ``enet_cd_gram``). Returns ``(w_new, taken)``."""
    w = np.array(w, dtype=np.float64)
    S = np.flatnonzero(w)
    k = S.shape[0]
    if k == 0 or k > MAX_SUPPORT:
        return w, False
    A, B = alpha1 * n_w, alpha2 * n_w

    def objective(u):  # the objective minus y2 / 2
        return -q @ u + 0.5 * (u @ (Q @ u)) + A * np.abs(u).sum() + 0.5 * B * (u @ u)

    h = q[S] - Q[S] @ w
    v = w[S].copy()
    if not feature_sign(Q[np.ix_(S, S)], h, v, A, B):
        return w, False
    w_new = w.copy()
    w_new[S] = v
    if not objective(w_new) < objective(w):
        return w, False
    return w_new, True
