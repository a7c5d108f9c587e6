"""Numba kernels of the linear models: coordinate descent, proximal gradient,
gradient descent for ridge, and the duality gap they all stop on.

Conventions shared by every kernel
----------------------------------
The design ``X`` arrives as five values ``(X, data, indices, indptr, sparse)``:
a Fortran-ordered 2-D array when ``sparse`` is False, or the three arrays of
a canonical CSC matrix when it is True (the unused slots are empty arrays).
All of them are read-only views: kernels never write into user data.
The design's values may be float32 or float64; every other array (targets,
weights, means, coefficients) and every work array is float64, so each
helper compiles once per design type, and the helpers that never see the
design once in all (estimators cast the coefficients back to X's dtype).

Centring is implicit. With column means ``m`` (zeros without intercept) the
kernels work with ``X_c = X - 1 m^T`` without ever forming it. The residual
of the centred problem is stored as ``r + c`` where ``r`` is an array and
``c`` a scalar, so that a coordinate update touches only the non-zeros of a
sparse column::

    r_true = y_c - X_c w = r + c,   with  r = y_c - X w,  c = m . w

Sample weights ``sw`` (``has_sw``) weight every inner product; ``n_w`` is
their sum (``n`` without weights).

The elastic-net objective (scikit-learn's ``ElasticNet``) is::

    P(w) = 1/(2 n_w) sum_i sw_i r_i^2 + a1 ||w||_1 + a2/2 ||w||^2

with ``a1 = alpha * l1_ratio`` and ``a2 = alpha * (1 - l1_ratio)``.

Duality gap
-----------
Multiplying P by ``n_w`` gives scikit-learn's internal scaling
``1/2 ||r||^2 + A ||w||_1 + B/2 ||w||^2`` (``A = n_w a1``, ``B = n_w a2``),
whose Fenchel dual at the rescaled residual ``theta = s r`` with
``s = min(1, A / ||X_c^T r - B w||_inf)`` gives the gap [1]_, [2]_::

    G = 1/2 (1 + s^2)(||r||^2 + B ||w||^2) + A ||w||_1 - s <r, y_c>

Iterations stop when ``G <= tol * ||y_c||^2`` (weighted norms), exactly
scikit-learn's rule, so ``tol`` means the same in both libraries; the
reported gap is ``G / n_w``, in the units of ``P`` (scikit-learn's
``dual_gap_``). With ``A = 0`` the ridge dual (formulation B) is used, and
with ``A = B = 0`` the squared norm of the gradient.

References
----------
.. [1] J. Friedman, T. Hastie, R. Tibshirani, "Regularization paths for
   generalized linear models via coordinate descent", J. Stat. Softw., 2010.
.. [2] E. Ndiaye, O. Fercoq, A. Gramfort, J. Salmon, "Gap safe screening rules
   for sparsity enforcing penalties", JMLR, 2017.
.. [3] M. Massias, A. Gramfort, J. Salmon, "Celer: a fast solver for the Lasso
   with dual extrapolation", ICML, 2018.
.. [4] Q. Bertrand, Q. Klopfenstein, P.-A. Bannier, G. Gidel, M. Massias,
   "Beyond L1: faster and better sparse models with skglm", NeurIPS, 2022.
.. [5] A. Beck, M. Teboulle, "A fast iterative shrinkage-thresholding
   algorithm for linear inverse problems", SIAM J. Imaging Sci., 2009.
.. [6] B. O'Donoghue, E. Candes, "Adaptive restart for accelerated gradient
   schemes", Found. Comput. Math., 2015.
"""

import numpy as np

from ._jit import jit

# ---------------------------------------------------------------------------
# column primitives (dense Fortran or CSC)
# ---------------------------------------------------------------------------


# Sparse columns are short gathers: reassociation lets LLVM vectorise them,
# which costs more than it saves on ~10-100 non-zeros (a full X^T r ran 2x
# slower), so the two sparse reductions keep the sequential order.
# The positions k and the row indices are used as unsigned integers: numba
# then drops its negative-index wraparound (a compare and a select per array
# access), which made a full X^T r 1.5x slower than scipy's C loop; CSC
# positions and row indices are never negative. (Mixing uint64 with int64
# arithmetic would give floats in numba: the unsigned values only index.)
@jit(fastmath={"contract"})
def _sp_dot(data, indices, start, end, v):
    acc = 0.0
    for k in range(np.uint64(start), np.uint64(end)):
        acc += data[k] * v[np.uint64(indices[k])]
    return acc


@jit(fastmath={"contract"})
def _sp_dot_w(data, indices, start, end, sw, v):
    acc = 0.0
    for k in range(np.uint64(start), np.uint64(end)):
        i = np.uint64(indices[k])
        acc += data[k] * sw[i] * v[i]
    return acc


@jit
def _de_dot(X, j, mj, v):
    acc = 0.0
    for i in range(X.shape[0]):
        acc += (X[i, j] - mj) * v[i]
    return acc


@jit
def _de_dot_w(X, j, mj, sw, v):
    acc = 0.0
    for i in range(X.shape[0]):
        acc += (X[i, j] - mj) * sw[i] * v[i]
    return acc


@jit
def _sp_axpy(data, indices, start, end, a, v):
    for k in range(np.uint64(start), np.uint64(end)):
        v[np.uint64(indices[k])] -= a * data[k]


@jit
def _de_axpy(X, j, a, mj, v):
    for i in range(X.shape[0]):
        v[i] -= a * (X[i, j] - mj)


# Four columns at once, for the proximal step, which (unlike a coordinate
# update) computes every working-set gradient from the same residual: each
# pass over the rows reads v (or updates it) once for four columns instead of
# four times, and the four columns, just read for their gradients, are still
# in cache for the update (a step over 1320 columns of 1000 rows: 0.83-1.15 ms
# one column at a time, 0.49-0.55 ms four at a time, numba micro-benchmark on
# an AMD EPYC).
@jit
def _de_dot4(X, j0, j1, j2, j3, m0, m1, m2, m3, v):
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    for i in range(X.shape[0]):
        vi = v[i]
        a0 += (X[i, j0] - m0) * vi
        a1 += (X[i, j1] - m1) * vi
        a2 += (X[i, j2] - m2) * vi
        a3 += (X[i, j3] - m3) * vi
    return a0, a1, a2, a3


@jit
def _de_axpy4(X, j0, j1, j2, j3, a0, a1, a2, a3, m0, m1, m2, m3, v):
    for i in range(X.shape[0]):
        v[i] -= (
            a0 * (X[i, j0] - m0)
            + a1 * (X[i, j1] - m1)
            + a2 * (X[i, j2] - m2)
            + a3 * (X[i, j3] - m3)
        )


# Callers branch on ``sparse`` and ``has_sw`` themselves and call one of the
# single-loop primitives above, which LLVM then inlines and optimises at the
# call site. Helpers holding two or four of these loops were too large to
# inline: the call left in every coordinate update made sparse epochs
# 1.9-2.5x slower (measured on a 20000 x 50000 CSC matrix).


@jit
def _col_sqnorms(X, data, indices, indptr, sparse, sw, has_sw, x_mean, n_w):
    """norms_j = sum_i sw_i (X[i, j] - m_j)^2 for every column (exact form:
    centred entries squared, plus m_j^2 times the weight of a sparse column's
    zeros).

    All columns in one call, the sparse/weight tests hoisted out of the
    loops: a per-column helper holding all four loops is too large to be
    inlined, and its 50000 calls alone took 3 ms on a 20000 x 50000 CSC
    matrix (2.3 ms more than the loops themselves).
    """
    p = x_mean.shape[0]
    norms = np.empty(p)
    if sparse:
        for j in range(p):
            mj = x_mean[j]
            acc = 0.0
            wnnz = 0.0
            if has_sw:
                for k in range(np.uint64(indptr[j]), np.uint64(indptr[j + 1])):
                    d = data[k] - mj
                    wi = sw[np.uint64(indices[k])]
                    acc += wi * d * d
                    wnnz += wi
            else:
                for k in range(np.uint64(indptr[j]), np.uint64(indptr[j + 1])):
                    d = data[k] - mj
                    acc += d * d
                wnnz = float(indptr[j + 1] - indptr[j])
            norms[j] = acc + mj * mj * (n_w - wnnz)
    else:
        n = X.shape[0]
        for j in range(p):
            mj = x_mean[j]
            acc = 0.0
            if has_sw:
                for i in range(n):
                    d = X[i, j] - mj
                    acc += sw[i] * d * d
            else:
                for i in range(n):
                    d = X[i, j] - mj
                    acc += d * d
            norms[j] = acc
    return norms


@jit
def _wsum(sw, has_sw, v):
    """sum_i sw_i v_i."""
    acc = 0.0
    if has_sw:
        for i in range(v.shape[0]):
            acc += sw[i] * v[i]
    else:
        for i in range(v.shape[0]):
            acc += v[i]
    return acc


# Small helpers marked inline="always" are inlined by numba itself (they are
# not compiled on their own, with their own Python wrapper, LLVM module and
# machine code, only to be inlined by LLVM at every call site anyway); they
# must share their callers' fastmath flags (the default ones) for the result
# to be the same.
@jit(inline="always")
def _wdot(sw, has_sw, u, v):
    """sum_i sw_i u_i v_i."""
    acc = 0.0
    if has_sw:
        for i in range(u.shape[0]):
            acc += sw[i] * u[i] * v[i]
    else:
        for i in range(u.shape[0]):
            acc += u[i] * v[i]
    return acc


@jit
def _residual(X, data, indices, indptr, sparse, y, x_mean, w, r):
    """Fill r so that r + c = y_c - X_c w; returns c (0 for dense X)."""
    n_features = x_mean.shape[0]
    for i in range(y.shape[0]):
        r[i] = y[i]
    c = 0.0
    for j in range(n_features):
        if w[j] != 0.0:
            if sparse:
                _sp_axpy(data, indices, indptr[j], indptr[j + 1], w[j], r)
                c += x_mean[j] * w[j]
            else:
                _de_axpy(X, j, w[j], x_mean[j], r)
    return c


@jit
def _centred_grad(X, data, indices, indptr, sparse, sw, has_sw, x_mean, r, G, active):
    """G_j = sum_i sw_i (X_ij - m_j)(r_i + c) for every active feature j
    (0 for the others); returns S = sum_i sw_i r_i.

    With sum_i sw_i X_ij = n_w m_j the c-terms cancel:
    G_j = sum_i sw_i X_ij r_i - m_j S.
    """
    S = _wsum(sw, has_sw, r)
    n_features = x_mean.shape[0]
    for j in range(n_features):
        if active[j]:
            G[j] = (
                (
                    _sp_dot_w(data, indices, indptr[j], indptr[j + 1], sw, r)
                    if has_sw
                    else _sp_dot(data, indices, indptr[j], indptr[j + 1], r)
                )
                - x_mean[j] * S
                if sparse
                else (
                    _de_dot_w(X, j, x_mean[j], sw, r)
                    if has_sw
                    else _de_dot(X, j, x_mean[j], r)
                )
            )
        else:
            G[j] = 0.0
    return S


@jit(fastmath=False)  # reassociation would undo the scaling against underflow
def _enet_gap(sw, has_sw, y, r, c, w, G, A, B, positive, n_w, h_trace):
    """Duality gap and primal in scikit-learn's n_w-scaled units.

    G must hold X_c^T (sw * r_true); h_trace is sum_j ||x_c,j||^2_sw, used
    only for least squares (A = B = 0). Returns (gap, primal, dual_norm).
    """
    n = y.shape[0]
    R2 = 0.0
    Ry = 0.0
    for i in range(n):
        rt = r[i] + c
        if has_sw:
            R2 += sw[i] * rt * rt
            Ry += sw[i] * rt * y[i]
        else:
            R2 += rt * rt
            Ry += rt * y[i]
    l1 = 0.0
    l2 = 0.0
    for j in range(w.shape[0]):
        l1 += abs(w[j])
        l2 += w[j] * w[j]
    primal = 0.5 * (R2 + B * l2) + A * l1
    if A == 0.0:
        # B > 0: ridge dual at theta = r (formulation B); with positive=True
        # the conjugate of B/2 ||w||^2 + indicator(w >= 0) is ||max(u, 0)||^2/2B.
        # B = 0: no dual; the squared (projected) gradient norm, as sklearn.
        gmax = 0.0
        for j in range(w.shape[0]):
            gmax = max(gmax, abs(G[j]))
        g2 = 0.0
        g2s = 0.0  # sum of (g_j / gmax)^2: no underflow at tiny scales
        for j in range(w.shape[0]):
            gj = G[j]
            if positive and (B > 0.0 or w[j] == 0.0):
                gj = max(gj, 0.0)
            g2 += gj * gj
            if gmax > 0.0:
                g2s += (gj / gmax) * (gj / gmax)
        if B == 0.0:
            # least squares has no dual gap; the squared gradient divided by
            # the trace of X_c^T S X_c is in the units of the objective (unlike
            # scikit-learn's ||X^T r||^2), so the rule is invariant to scaling X
            if h_trace > 0.0:
                return gmax * (gmax / h_trace) * g2s, primal, np.sqrt(g2)
            return g2, primal, np.sqrt(g2)
        gap = R2 + 0.5 * B * l2 - Ry + g2 / (2.0 * B)
        return max(gap, 0.0), primal, np.sqrt(g2)
    dual_norm = 0.0
    for j in range(w.shape[0]):
        v = G[j] - B * w[j]
        if positive:
            if v > dual_norm:
                dual_norm = v
        elif abs(v) > dual_norm:
            dual_norm = abs(v)
    if dual_norm > A:
        s = A / dual_norm
    else:
        s = 1.0
    dual = -0.5 * s * s * (R2 + B * l2) + s * Ry
    return max(primal - dual, 0.0), primal, dual_norm


@jit
def _new_history():
    """Empty (epoch, primal, gap) history arrays for :func:`_record`."""
    return np.zeros(16, dtype=np.int64), np.zeros(16), np.zeros(16)


@jit(inline="always")
def _record(hist_iter, hist_primal, hist_gap, n_hist, n_iter, primal, gap, n_w):
    """Append (epoch, primal, gap) in units of P to the history.

    Returns the three arrays (reallocated at twice the size when full) and
    the new length. The history starts small: arrays sized by max_iter cost
    0.6 ms of page faults per fit at max_iter=100000, for the handful of
    gap evaluations a fit records.
    """
    if n_hist == hist_gap.shape[0]:
        m = 2 * n_hist + 16
        hi = np.zeros(m, dtype=np.int64)
        hp = np.zeros(m)
        hg = np.zeros(m)
        for t in range(n_hist):
            hi[t] = hist_iter[t]
            hp[t] = hist_primal[t]
            hg[t] = hist_gap[t]
        hist_iter = hi
        hist_primal = hp
        hist_gap = hg
    hist_iter[n_hist] = n_iter
    hist_primal[n_hist] = primal / n_w
    hist_gap[n_hist] = gap / n_w
    return hist_iter, hist_primal, hist_gap, n_hist + 1


@jit(inline="always")
def _kkt_score(g, wj, a1, a2, positive):
    """Distance of the negative smooth gradient g - a2 w_j to a1 * d|w_j|."""
    v = g - a2 * wj
    if wj > 0.0:
        return abs(v - a1)
    if wj < 0.0:
        return abs(v + a1)
    if positive:
        return max(v - a1, 0.0)
    return max(abs(v) - a1, 0.0)


@jit(inline="always")
def _soft(x, t, positive):
    if positive:
        return max(x - t, 0.0)
    if x > t:
        return x - t
    if x < -t:
        return x + t
    return 0.0


@jit(inline="always")
def _xorshift(state):
    """One step of xorshift64*; state is a length-1 uint64 array."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return x * np.uint64(2685821657736338717)


_I64_MIN = np.int64(-(2**63))  # the sign bit alone


@jit
def _kth_largest(values, k):
    """The k-th largest entry (1-based, 1 <= k <= len(values)) of a float
    array without NaN, by radix selection on order-preserving integer keys.

    The bits of each float64, with the sign bit flipped for x >= 0 and every
    bit flipped for x < 0, read as unsigned, are a key in the order of the
    floats (held in an int64; -0.0 and 0.0 get distinct keys but compare
    equal, so either is the k-th largest value). Rounds of 11 bits, from the
    most significant: count the candidates per digit, keep those of the
    digit that holds the k-th largest. A round is a pass without
    data-dependent branches over the remaining candidates, and the first
    round or two leave few. On the 50000 scores of the working-set choice
    at the solution of the 20000 x 50000 sparse benchmark problem
    (alpha_max/100), this took 0.07-0.10 ms against 0.58 ms for a
    median-of-three quickselect, whose comparisons mispredict about every
    other time on random data.
    """
    n = values.shape[0]
    bits = values.view(np.int64)
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        # x < 0: flip every bit; x >= 0: flip the sign bit. The digits below
        # are read from the bits (masked), never from the int64's sign
        keys[i] = ~bits[i] if bits[i] < 0 else bits[i] ^ _I64_MIN
    counts = np.empty(2048, dtype=np.int64)
    m = n
    for rnd in range(6):
        shift = max(53 - 11 * rnd, 0)
        mask = 2047 if rnd < 5 else 511
        for b in range(2048):
            counts[b] = 0
        for i in range(m):
            counts[(keys[i] >> shift) & mask] += 1
        b = 2047
        while counts[b] < k:
            k -= counts[b]
            b -= 1
        if counts[b] == m:  # every candidate has this digit: nothing to drop
            continue
        j = 0
        for i in range(m):
            if (keys[i] >> shift) & mask == b:
                keys[j] = keys[i]
                j += 1
        m = j
    # every candidate left is the key of the k-th largest: back to its value
    out = np.empty(1, dtype=np.int64)
    out[0] = keys[0] ^ _I64_MIN if keys[0] < 0 else ~keys[0]
    return out.view(np.float64)[0]


@jit
def _top_k(score, k):
    """Sorted indices of the k largest scores (ties broken by index), O(p).

    A hand-written selection (:func:`_kth_largest`) keeps compilation short
    (np.partition and np.sort cost seconds of compile time).
    """
    n = score.shape[0]
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if k >= n:
        every = np.empty(n, dtype=np.int64)  # np.arange: one more compilation
        for j in range(n):
            every[j] = j
        return every
    thr = _kth_largest(score, k)
    n_above = 0
    for j in range(n):
        if score[j] > thr:
            n_above += 1
    ties = k - n_above
    out = np.empty(k, dtype=np.int64)
    m = 0
    for j in range(n):
        if score[j] > thr or (score[j] == thr and ties > 0):
            if score[j] == thr:
                ties -= 1
            out[m] = j
            m += 1
    return out[:m]


@jit
def _anderson_weights(last, K):
    """Extrapolation weights z (unnormalised) from K+1 iterates (rows of last).

    Solves (U U^T + 1e-10 tr(U U^T) I) z = 1 with U the K successive
    differences, by Gaussian elimination with partial pivoting (a 5x5
    system; no LAPACK call, which keeps compilation short). Returns zeros
    when the system is degenerate, which the caller rejects.
    """
    n_ws = last.shape[1]
    C = np.zeros((K, K + 1))
    for a in range(K):
        for b in range(a, K):
            acc = 0.0
            for t in range(n_ws):
                acc += (last[a + 1, t] - last[a, t]) * (last[b + 1, t] - last[b, t])
            C[a, b] = acc
            C[b, a] = acc
    scale = 0.0
    for a in range(K):
        scale += C[a, a]
    z = np.zeros(K)
    if not scale > 0.0:
        return z
    for a in range(K):
        C[a, a] += 1e-10 * scale
        C[a, K] = 1.0
    for col in range(K):
        piv = col
        for row in range(col + 1, K):
            if abs(C[row, col]) > abs(C[piv, col]):
                piv = row
        if not abs(C[piv, col]) > 0.0:
            return z
        if piv != col:
            for c in range(K + 1):
                tmp = C[col, c]
                C[col, c] = C[piv, c]
                C[piv, c] = tmp
        for row in range(col + 1, K):
            f = C[row, col] / C[col, col]
            for c in range(col, K + 1):
                C[row, c] -= f * C[col, c]
    for a in range(K - 1, -1, -1):
        acc = C[a, K]
        for b in range(a + 1, K):
            acc -= C[a, b] * z[b]
        z[a] = acc / C[a, a]
    return z


# ---------------------------------------------------------------------------
# proximal gradient on a working set (ProxLasso's inner solver)
# ---------------------------------------------------------------------------


@jit(inline="always")
def _step_accepted(sw, has_sw, r_new, c_new, r_z, c_z, n_w, alpha2, dd, L):
    """Sufficient decrease of a proximal step d = w_new - z with step 1/L.

    f is quadratic, so f(w_new) - f(z) - <grad f(z), d> equals
    ||X_c d||^2_sw / (2 n_w) + alpha2 ||d||^2 / 2 exactly, and X_c d is the
    change of residual; testing that form avoids the cancellation of
    f(w_new) - f(z), which near the optimum would double L for rounding
    noise alone. ``dd`` is ||d||^2.
    """
    if dd == 0.0:
        return True
    q = 0.0
    for i in range(r_new.shape[0]):
        dr = (r_new[i] + c_new) - (r_z[i] + c_z)
        if has_sw:
            q += sw[i] * dr * dr
        else:
            q += dr * dr
    return q / n_w + alpha2 * dd <= L * dd * (1.0 + 1e-12)


@jit(inline="always")
def _fista_next(t):
    """FISTA's momentum sequence: returns (beta, t_next)."""
    t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
    return (t - 1.0) / t_next, t_next


# ProxLasso's working sets (:func:`enet_ws_prox`): the first
# working set holds min(_PX_P0, max(10, p_active / 10)) features, and each
# sub-problem is solved until its gradient mapping is below _PX_TOLF times the
# largest optimality violation of the full problem. A sub-problem solved
# loosely (0.3) restarts FISTA's momentum more often than it saves steps;
# a first working set of 10 costs extra full-gradient passes while it grows.
_PX_P0 = 100
_PX_TOLF = 0.1
# Coordinate descent on a sparse design: the smallest working set is
# p_active / _CD_SPARSE_P0_DIV features (at least 100). An epoch over it costs
# about 1/8 of the full gradient every outer iteration pays, so a large
# working set is cheap there, while growing it from 100 by doubling cost one
# outer iteration (a full gradient pass) per doubling: on 20000 x 50000 CSC
# (density 0.001) 5 -> 3 gap evaluations at alpha_max/10 (support 560) and
# 15 -> 10 at alpha_max/100 (support 13236). Dense designs keep 100: their
# epochs converge slowly on correlated columns, and the extra features cost
# epochs there (not measured to pay off).
_CD_SPARSE_P0_DIV = 8
# Active cycling (cyclic CD, dense or sparse X): when an epoch over the
# working set leaves it unsolved and its non-zeros are fewer than
# _CD_CYCLE_FRAC of it, the next epochs visit the non-zeros only, until they
# meet the inner tolerance; then a full epoch again, which ends the sub-
# problem or starts a new cycle. Zeros of the working set cost a column dot
# product per epoch and mostly stay zero: on 20000 x 50000 CSC at
# alpha_max/100 (working set 27000, support 13000) 63 -> 52 epochs, 90 -> 75
# ms. On dense 1000 x 5000 at alpha_max/100 (working set 1374, support 883;
# its 11 MB of columns stream from L3, so an epoch is bound by bandwidth)
# the same 315 epochs to a relative suboptimality of 1e-6 took 0.166 s
# instead of 0.210 s of CPU. Only working sets of _CD_CYCLE_MIN features or
# more: on small ones an epoch costs little, and stopping on a cycle's final
# full epoch moved the tiny problems of the sample-weight equivalence check
# (ElasticNetCDCV, tol=1e-4) by 4e-6 relative, still within tol but above
# that check's 1e-7.
_CD_CYCLE_FRAC = 0.8
_CD_CYCLE_MIN = 1000


@jit
def _ws_gram(X, data, indices, indptr, sparse, sw, has_sw, x_mean, ws, n, n_w):
    """Q = X_ws,c^T S X_ws,c (centred, weighted Gram matrix of the working set).

    Sparse X: column b is scattered once into a dense work vector (times the
    weights) and dotted with the columns a >= b; the centring is applied
    afterwards: with sum_i sw_i X_ij = n_w m_j, Q_ab = X_a^T S X_b - n_w m_a m_b.
    Dense X: blocks of 8 centred (weighted) columns are copied row-major, so
    that each column a >= block is read once per block instead of once per
    entry (the build is memory-bound: 8x less traffic).
    """
    k = ws.shape[0]
    Q = np.empty((k, k))
    if sparse:
        buf = np.zeros(n)
        for b in range(k):
            jb = ws[b]
            mb = x_mean[jb]
            if has_sw:
                for kk in range(indptr[jb], indptr[jb + 1]):
                    buf[indices[kk]] = data[kk] * sw[indices[kk]]
            else:
                for kk in range(indptr[jb], indptr[jb + 1]):
                    buf[indices[kk]] = data[kk]
            for a in range(b, k):
                ja = ws[a]
                v = (
                    _sp_dot(data, indices, indptr[ja], indptr[ja + 1], buf)
                    - n_w * x_mean[ja] * mb
                )
                Q[a, b] = v
                Q[b, a] = v
            for kk in range(indptr[jb], indptr[jb + 1]):
                buf[indices[kk]] = 0.0
        return Q
    B = 8
    blk = np.zeros((n, B))
    acc = np.empty(B)
    for b0 in range(0, k, B):
        nb = min(B, k - b0)
        for bb in range(B):
            if bb < nb:
                jb = ws[b0 + bb]
                mb = x_mean[jb]
                if has_sw:
                    for i in range(n):
                        blk[i, bb] = (X[i, jb] - mb) * sw[i]
                else:
                    for i in range(n):
                        blk[i, bb] = X[i, jb] - mb
            else:
                for i in range(n):
                    blk[i, bb] = 0.0
        for a in range(b0, k):
            ja = ws[a]
            ma = x_mean[ja]
            for bb in range(B):
                acc[bb] = 0.0
            for i in range(n):
                xa = X[i, ja] - ma
                for bb in range(B):
                    acc[bb] += xa * blk[i, bb]
            for bb in range(nb):
                if b0 + bb <= a:
                    Q[a, b0 + bb] = acc[bb]
                    Q[b0 + bb, a] = acc[bb]
    return Q


@jit
def _ws_grad(X, data, indices, indptr, sparse, sw, has_sw, x_mean, ws, r, h):
    """h_t = sum_i sw_i (X_i,ws[t] - m) (r_i + c) for the working set, for
    any shift c (the c-terms cancel, see :func:`_centred_grad`)."""
    S = _wsum(sw, has_sw, r)
    for t in range(ws.shape[0]):
        j = ws[t]
        h[t] = (
            (
                _sp_dot_w(data, indices, indptr[j], indptr[j + 1], sw, r)
                if has_sw
                else _sp_dot(data, indices, indptr[j], indptr[j + 1], r)
            )
            - x_mean[j] * S
            if sparse
            else (
                _de_dot_w(X, j, x_mean[j], sw, r)
                if has_sw
                else _de_dot(X, j, x_mean[j], r)
            )
        )


@jit(inline="always")
def _prox_coord(t, z, g, dg, L, alpha1, positive, w_new, d, gm, dd, ddg):
    """Proximal step of coordinate t in the metric ``L dg`` from z with
    gradient g (``w_new[t]``, ``d[t] = w_new[t] - z[t]``); returns the
    running largest ``|d_t| dg_t``, sum of ``d_t^2`` and of ``dg_t d_t^2``."""
    Lt = L * dg[t]
    w_new[t] = _soft(z[t] + g[t] / Lt, alpha1 / Lt, positive)
    d[t] = w_new[t] - z[t]
    ad = abs(d[t]) * dg[t]
    if ad > gm:
        gm = ad
    return gm, dd + d[t] * d[t], ddg + dg[t] * d[t] * d[t]


@jit
def _ws_prox(
    X,
    data,
    indices,
    indptr,
    sparse,
    sw,
    has_sw,
    x_mean,
    alpha1,
    alpha2,
    positive,
    ws,
    w,
    r,
    c,
    norms,
    tol_in,
    max_steps,
    n_w,
    accelerated,
    L_start,
):
    """FISTA (or ISTA) on the features ``ws``; updates ``w`` and ``r`` in place.

    Every step is a gradient step on the smooth part over the working set
    followed by soft-thresholding, in the diagonal metric
    ``D = diag(dg)``, ``dg_t = ||x_c,t||^2_sw / n_w + alpha2`` (the curvature
    along coordinate t alone): coordinate t moves by ``g_t / (L dg_t)`` and
    is thresholded at ``alpha1 / (L dg_t)``, the proximal-gradient step of
    the metric ``L D`` (the prox of the L1 norm stays soft-thresholding, as
    D is diagonal). L starts from ``max(1, L_start)`` (1 is a lower bound:
    D^-1/2 H D^-1/2 has a unit diagonal) and is safeguarded by the exact
    quadratic sufficient-decrease test
    ``||X_c d||^2_sw / n_w + alpha2 ||d||^2 <= L d^T D d``; when it fails,
    L becomes the larger of 1.5 L and the curvature the test measured along
    d, so the method is a true (FISTA/ISTA) proximal-gradient method on the
    sub-problem, with a variable metric fixed for the sub-problem. On
    columns of unequal norms (sparse designs) the metric lets the short
    columns take their own long steps: on 20000 x 50000 CSC at
    alpha_max/100 the condition number of the support's Gram matrix drops
    from 159 to 99 in that metric (the column norms span a factor 200), and
    the fit from 151 to 119 steps; with equal norms the metric is a scalar
    step 1/(L dg) as before.

    Two representations of the gradient, the same iterates:

    * residual space: the residuals at the current and extrapolated points
      are kept; one step costs a gradient and an axpy per working-set
      column, in one pass over the columns (each column is read from
      memory once, not twice), and none for the zeros of z whose gradient
      provably stays below alpha1 since the last reference step; dense
      columns are taken four at a time (:func:`_de_dot4`);
    * Gram space: with ``Q = X_ws,c^T S X_ws,c`` the gradient at z is
      ``h(z) = h(w0) - Q (z - w0)``, one step costs ``O(|ws| nnz(d))``.
      The switch is made, ski-rental fashion, once the residual-space steps
      have cost as much as building Q (and Q fits in a few MB), so the
      method is never much slower than the better of the two; it wins when
      the working set is small against the number of samples (tall X).

    Stops when the gradient mapping ``L * max_t dg_t |w_new_t - z_t|`` (in
    the gradient's units) is at most ``tol_in`` (``tol_in / 10`` in Gram
    space). Returns (steps used, new residual shift c, final L), the final
    L to start the next sub-problem from (the working sets of one fit
    overlap, and their metric-relative curvature is alike: restarting from
    1 repeated the same backtracking every sub-problem).
    """
    n_ws = ws.shape[0]
    n_samples = r.shape[0]
    # diagonal metric: dg_t is the curvature along coordinate t alone
    dg = np.empty(n_ws)
    L = max(1.0, L_start)
    nnz_ws = 0
    for t in range(n_ws):
        dg[t] = norms[ws[t]] / n_w + alpha2
        if sparse:
            nnz_ws += indptr[ws[t] + 1] - indptr[ws[t]]
        else:
            nnz_ws += n_samples
    # cost model (in multiply-adds) of the two representations
    res_step_cost = 2.0 * nnz_ws + 4.0 * n_samples
    gram_cost = 0.5 * n_ws * nnz_ws + (0.0 if sparse else float(n_samples) * n_ws)
    gram_ok = n_ws * n_ws <= 1 << 20  # Q at most 8 MB
    spent = 0.0

    wk = np.empty(n_ws)
    for t in range(n_ws):
        wk[t] = w[ws[t]]
    z = wk.copy()
    w_new = wk.copy()
    d = np.empty(n_ws)
    g = np.empty(n_ws)
    r_w = r.copy()
    c_w = c
    r_z = r.copy()
    c_z = c
    xd = np.empty(n_samples)
    # skipped dots (residual space): a zero coordinate of z stays zero when
    # |g_ref_t| + ||x_c,t|| ||r_z - r_ref|| / n_w < alpha1 (Cauchy-Schwarz;
    # the c-shifts cancel against the centred column), g_ref and r_ref from
    # the last step that computed every dot; a step that could skip fewer
    # than half of its zero coordinates makes the next one a reference step
    g_ref = np.empty(n_ws)
    r_ref = np.empty(n_samples)
    col_nrm = np.empty(n_ws)
    for t in range(n_ws):
        col_nrm[t] = np.sqrt(norms[ws[t]])
    act = np.empty(n_ws, np.int64)  # the columns a step reads
    gb = np.empty(4)
    swr = np.empty(n_samples if has_sw and not sparse else 0)
    refresh = True
    gram = False
    Q = np.empty((0, 0))
    hz = np.empty(0)
    hw = np.empty(0)
    Qd = np.empty(0)
    w_switch = np.empty(0)
    cd = 0.0
    t_mom = 1.0
    steps = 0
    while steps < max_steps:
        steps += 1
        if not gram and gram_ok and spent >= gram_cost:
            # switch to Gram space: h at wk from its residual, h at z by Q
            Q = _ws_gram(
                X, data, indices, indptr, sparse, sw, has_sw, x_mean, ws, n_samples, n_w
            )
            hw = np.empty(n_ws)
            _ws_grad(X, data, indices, indptr, sparse, sw, has_sw, x_mean, ws, r_w, hw)
            hz = hw.copy()
            for t in range(n_ws):
                dz = z[t] - wk[t]
                if dz != 0.0:
                    for a in range(n_ws):
                        hz[a] -= Q[t, a] * dz
            Qd = np.empty(n_ws)
            w_switch = wk.copy()
            gram = True
        # residual space: one pass over the working-set columns computes
        # each coordinate's gradient, its step at the current L and, while
        # the column is still in cache, its share of X_c d (a gradient pass
        # followed by an axpy pass read every column twice from memory); a
        # failed curvature test recomputes the step from the stored gradient
        fused = not gram
        gm = 0.0
        dd = 0.0
        ddg = 0.0
        if gram:
            for t in range(n_ws):
                g[t] = hz[t] / n_w - alpha2 * z[t]
        else:
            spent += res_step_cost
            S_z = _wsum(sw, has_sw, r_z) if sparse else 0.0
            for i in range(n_samples):
                xd[i] = 0.0
            cd = 0.0
            # the radius of the skip test: ||r_z - r_ref||_S plus a margin
            # for the rounding of the two dot products compared (each off
            # by at most ~n u ||x|| ||r||, u = 1.1e-16), at least 1e-12 ||r_z||_S
            rad = 0.0
            if not refresh:
                dr2 = 0.0
                for i in range(n_samples):
                    e = r_z[i] - r_ref[i]
                    if has_sw:
                        dr2 += sw[i] * e * e
                    else:
                        dr2 += e * e
                eps_dot = max(1e-12, 4.5e-16 * n_samples)
                rz = np.sqrt(_wdot(sw, has_sw, r_z, r_z))
                rad = (np.sqrt(dr2) + eps_dot * rz) / n_w
            n_cand = 0
            n_skip = 0
            n_act = 0
            for t in range(n_ws):
                if not refresh and z[t] == 0.0 and alpha1 > 0.0:
                    n_cand += 1
                    b = g_ref[t] if positive else abs(g_ref[t])
                    if b + col_nrm[t] * rad < alpha1:
                        g[t] = g_ref[t]  # any |g| <= alpha1 gives the same step
                        w_new[t] = 0.0
                        d[t] = 0.0
                        n_skip += 1
                        continue
                act[n_act] = t
                n_act += 1
            # blocks of four columns: on dense X one pass over the rows
            # computes their four gradients and one their four updates (see
            # _de_dot4); the weights are folded into the residual once per
            # step. Sparse columns are taken one at a time.
            v = r_z
            if has_sw and not sparse:
                for i in range(n_samples):
                    swr[i] = sw[i] * r_z[i]
                v = swr
            k = 0
            while k < n_act:
                nb = min(4, n_act - k)
                four = nb == 4 and not sparse
                if four:
                    j0 = ws[act[k]]
                    j1 = ws[act[k + 1]]
                    j2 = ws[act[k + 2]]
                    j3 = ws[act[k + 3]]
                    gb[0], gb[1], gb[2], gb[3] = _de_dot4(
                        X, j0, j1, j2, j3,
                        x_mean[j0], x_mean[j1], x_mean[j2], x_mean[j3], v,
                    )
                else:
                    for q in range(nb):
                        j = ws[act[k + q]]
                        if not sparse:
                            gb[q] = _de_dot(X, j, x_mean[j], v)
                        elif has_sw:
                            gb[q] = _sp_dot_w(
                                data, indices, indptr[j], indptr[j + 1], sw, r_z
                            ) - x_mean[j] * S_z
                        else:
                            gb[q] = _sp_dot(
                                data, indices, indptr[j], indptr[j + 1], r_z
                            ) - x_mean[j] * S_z
                any_d = False
                for q in range(nb):
                    t = act[k + q]
                    if refresh:
                        g_ref[t] = gb[q] / n_w
                    g[t] = gb[q] / n_w - alpha2 * z[t]
                    gm, dd, ddg = _prox_coord(
                        t, z, g, dg, L, alpha1, positive, w_new, d, gm, dd, ddg
                    )
                    any_d = any_d or d[t] != 0.0
                if four and any_d:
                    _de_axpy4(
                        X, j0, j1, j2, j3,
                        d[act[k]], d[act[k + 1]], d[act[k + 2]], d[act[k + 3]],
                        x_mean[j0], x_mean[j1], x_mean[j2], x_mean[j3], xd,
                    )
                elif any_d:
                    for q in range(nb):
                        t = act[k + q]
                        j = ws[t]
                        if d[t] == 0.0:
                            continue
                        if sparse:
                            _sp_axpy(data, indices, indptr[j], indptr[j + 1], d[t], xd)
                            cd += d[t] * x_mean[j]
                        else:
                            _de_axpy(X, j, d[t], x_mean[j], xd)
                k += nb
            if refresh:
                for i in range(n_samples):
                    r_ref[i] = r_z[i]
            refresh = 2 * n_skip < n_cand
        while True:
            if not fused:
                gm = 0.0
                dd = 0.0
                ddg = 0.0
                for t in range(n_ws):
                    gm, dd, ddg = _prox_coord(
                        t, z, g, dg, L, alpha1, positive, w_new, d, gm, dd, ddg
                    )
            if dd == 0.0:
                break
            if gram:
                for a in range(n_ws):
                    Qd[a] = 0.0
                # Q is symmetric: its row t (contiguous) stands for column t;
                # 2.3x faster than the strided column at |ws| = 1000 (numba
                # micro-benchmark, the same sums in the same order)
                for t in range(n_ws):
                    if d[t] != 0.0:
                        for a in range(n_ws):
                            Qd[a] += Q[t, a] * d[t]
                q = 0.0
                for t in range(n_ws):
                    q += d[t] * Qd[t]
            else:
                if not fused:  # a new step after a failed curvature test
                    spent += res_step_cost
                    for i in range(n_samples):
                        xd[i] = 0.0
                    cd = 0.0
                    for t in range(n_ws):
                        if d[t] != 0.0:
                            if sparse:
                                _sp_axpy(
                                    data,
                                    indices,
                                    indptr[ws[t]],
                                    indptr[ws[t] + 1],
                                    d[t],
                                    xd,
                                )
                                cd += d[t] * x_mean[ws[t]]
                            else:
                                _de_axpy(X, ws[t], d[t], x_mean[ws[t]], xd)
                fused = False
                q = 0.0
                if has_sw:
                    for i in range(n_samples):
                        q += sw[i] * (xd[i] + cd) * (xd[i] + cd)
                else:
                    for i in range(n_samples):
                        q += (xd[i] + cd) * (xd[i] + cd)
            curv = q / n_w + alpha2 * dd
            if curv <= L * ddg * (1.0 + 1e-12):
                break
            L = max(1.5 * L, curv / ddg)
        # Gram-space steps are cheap: solving the sub-problem 10x tighter
        # there saves outer iterations (full passes, and a new Q each)
        done = L * gm <= (0.1 * tol_in if gram else tol_in)
        beta = 0.0
        if accelerated and not done:
            up = 0.0
            for t in range(n_ws):
                up += dg[t] * (z[t] - w_new[t]) * (w_new[t] - wk[t])
            if up > 0.0:
                t_mom = 1.0
            else:
                beta, t_mom = _fista_next(t_mom)
        for t in range(n_ws):
            z[t] = w_new[t] + beta * (w_new[t] - wk[t])
            wk[t] = w_new[t]
        if dd != 0.0:
            if gram:
                for t in range(n_ws):
                    hn = hz[t] - Qd[t]
                    hz[t] = hn + beta * (hn - hw[t])
                    hw[t] = hn
            else:
                for i in range(n_samples):
                    rn = r_z[i] + xd[i]
                    r_z[i] = rn + beta * (rn - r_w[i])
                    r_w[i] = rn
                cn = c_z + cd
                c_z = cn + beta * (cn - c_w)
                c_w = cn
        if done:
            break
    if gram:
        for t in range(n_ws):
            dt = wk[t] - w_switch[t]
            if dt != 0.0:
                if sparse:
                    _sp_axpy(data, indices, indptr[ws[t]], indptr[ws[t] + 1], dt, r_w)
                    c_w += dt * x_mean[ws[t]]
                else:
                    _de_axpy(X, ws[t], dt, x_mean[ws[t]], r_w)
    for t in range(n_ws):
        w[ws[t]] = wk[t]
    for i in range(n_samples):
        r[i] = r_w[i]
    return steps, c_w, L


# ---------------------------------------------------------------------------
# the outer loop shared by the working-set solvers (enet_cd, enet_ws_prox)
# ---------------------------------------------------------------------------


@jit
def _enet_init(
    X, data, indices, indptr, sparse, y, sw, has_sw, x_mean, w_init, tol, norms_in
):
    """Start of the working-set solvers.

    Returns ``(w, n_w, norms, h_trace, tol_abs, r, c, active, n_active)``: a
    copy of ``w_init``, the weight sum, the centred squared column norms and
    their sum, the absolute gap tolerance ``tol * ||y_c||^2``, the residual
    ``r + c`` at w, and the features still in play (constant columns never
    are; their coefficients are set to 0).

    ``norms_in``: the column norms of an earlier call on the same design,
    weights and means (a path), copied instead of computed (a pass over
    X); an empty array computes them.
    """
    n_samples = y.shape[0]
    n_features = x_mean.shape[0]
    w = np.empty(n_features)
    for j in range(n_features):
        w[j] = w_init[j]
    if has_sw:
        n_w = 0.0
        for i in range(n_samples):
            n_w += sw[i]
    else:
        n_w = float(n_samples)

    if norms_in.shape[0] == n_features:
        norms = norms_in.copy()  # one array type, read-only input or not
    else:
        norms = _col_sqnorms(
            X, data, indices, indptr, sparse, sw, has_sw, x_mean, n_w
        )
    h_trace = 0.0
    for j in range(n_features):
        h_trace += norms[j]
    y2 = _wdot(sw, has_sw, y, y)
    tol_abs = tol * y2

    r = np.empty(n_samples)
    c = _residual(X, data, indices, indptr, sparse, y, x_mean, w, r)
    # features still in play: constant columns never are, and gap-safe
    # screening removes features proven to be zero at the optimum [2]
    active = np.empty(n_features, dtype=np.bool_)
    n_active = 0
    for j in range(n_features):
        active[j] = norms[j] > 0.0
        if active[j]:
            n_active += 1
        else:
            w[j] = 0.0
    return w, n_w, norms, h_trace, tol_abs, r, c, active, n_active


@jit
def _col_radii(norms, B):
    """``sqrt(||x_c,j||^2 + B)`` per feature, the screening radius of each
    feature (of the problem augmented by the ridge term): computed once per
    fit, not at every screening pass (p square roots, 0.06 ms at p=50000)."""
    col_rad = np.empty(norms.shape[0])
    for j in range(norms.shape[0]):
        col_rad[j] = np.sqrt(norms[j] + B)
    return col_rad


@jit
def _screen(
    X, data, indices, indptr, sparse, x_mean, G, w, col_rad, active, r, c, A, B,
    positive, gap, dual_norm,
):
    """Gap-safe screening [2]; updates ``active``, ``G``, ``w`` and ``r`` in place.

    With theta = s r_aug / A the dual point of the gap, every optimal dual
    point lies within sqrt(2 gap) / A of it; a feature with
    |x_j^T theta| + ||x_j|| sqrt(2 gap) / A < 1 is zero at the optimum (x_j
    and r augmented by the ridge term). Screened features leave the active
    set; their non-zero coefficients are set to 0 and removed from the
    residual. ``col_rad[j] = sqrt(||x_c,j||^2 + B)``, computed once per fit.
    Returns (number screened, new shift c, whether w changed).
    """
    s_dual = A / dual_norm if dual_norm > A else 1.0
    rad = np.sqrt(2.0 * gap) / A
    screened = False
    n_out = 0
    for j in range(w.shape[0]):
        if not active[j]:
            continue
        v = (G[j] - B * w[j]) * s_dual / A
        if not positive:
            v = abs(v)
        if v + col_rad[j] * rad < 1.0:
            active[j] = False
            n_out += 1
            G[j] = 0.0
            if w[j] != 0.0:
                if sparse:
                    _sp_axpy(data, indices, indptr[j], indptr[j + 1], -w[j], r)
                    c -= w[j] * x_mean[j]
                else:
                    _de_axpy(X, j, -w[j], x_mean[j], r)
                w[j] = 0.0
                screened = True
    return n_out, c, screened


@jit
def _working_set(
    G, w, active, n_active, score, n_w, alpha1, alpha2, positive, use_ws, p0,
    last_ws_size, double,
):
    """Score the active features by their optimality violation (``score``,
    -2 for the others) and choose the working set.

    With ``use_ws``: the support and the zero coefficients of largest
    violation, then the non-violating zeros nearest to violating, at most
    ``n_active`` features in all and never fewer than ``last_ws_size``. With
    ``double`` (sparse designs), ``max(p0, 2 nnz)``, skglm's rule: there an
    epoch over the working set costs a fraction of the full gradient each
    outer iteration pays, so a generous working set is cheap. Otherwise
    ``max(p0, nnz + min(m, max(nnz, p0)))``, ``m`` being the number of
    violating zero coefficients: the same doubling while the support grows,
    and little more than the support from a warm start close to the optimum,
    whose violators are few (on a dense path where the support approaches n
    this halved the coordinate updates). Otherwise every active feature.
    Returns (ws, largest violation, working set size to pass as
    ``last_ws_size`` next time).
    """
    kkt_max = 0.0
    nnz = 0
    n_viol = 0
    for j in range(w.shape[0]):
        if not active[j]:
            score[j] = -2.0  # constant or screened: never chosen
            continue
        score[j] = _kkt_score(G[j] / n_w, w[j], alpha1, alpha2, positive)
        if score[j] > kkt_max:
            kkt_max = score[j]
        if w[j] != 0.0:
            nnz += 1
        elif score[j] > 0.0:
            n_viol += 1
    if use_ws:
        if double:
            ws_size = max(p0, 2 * nnz, last_ws_size)
        else:
            ws_size = max(min(p0, n_active), nnz + min(n_viol, max(nnz, p0)),
                          last_ws_size)
        if ws_size > n_active:
            ws_size = n_active
        # room left after the violators goes to the zeros nearest to
        # violating (|g_j| / alpha1 just below 1; scores in (-1, 0)), not to
        # the lowest indices, which ties at a score of 0 would pick
        for j in range(w.shape[0]):
            if w[j] != 0.0:
                score[j] = np.inf
            elif active[j] and score[j] == 0.0 and alpha1 > 0.0:
                v = G[j] / n_w
                if not positive:
                    v = abs(v)
                score[j] = max(v / alpha1 - 1.0, -0.999)
        return _top_k(score, ws_size), kkt_max, ws_size
    ws = np.empty(n_active, dtype=np.int64)
    m = 0
    for j in range(w.shape[0]):
        if active[j]:
            ws[m] = j
            m += 1
    return ws, kkt_max, last_ws_size


# Exact steps on the support (skreg.linear_model._support) are taken on
# supports of at most _STEP_MAX_K features (a Gram matrix of 50 MB; the
# same limit as MAX_SUPPORT there). Their cost, a Gram matrix of the support
# (k^2 col_len) and a Cholesky factorisation (k^3 / 3), runs in BLAS and
# LAPACK at about 8x the speed per operation of a coordinate update (2 col_len
# memory-bound operations): _STEP_SPEEDUP.
_STEP_MAX_K = 2500
_STEP_SPEEDUP = 8
_STEP_PATIENCE = 4


@jit
def _step_due(w, ws, spent, col_len):
    """Whether ``spent`` coordinate updates of a crawling sub-problem pay
    for an exact step on the support of w within ws (k features): at most a
    quarter more work where the step does not help. Not inlined: a smaller
    loop in enet_cd compiles faster."""
    k = 0
    for t in range(ws.shape[0]):
        if w[ws[t]] != 0.0:
            k += 1
    if k == 0 or k > _STEP_MAX_K:
        return False
    cost = k * k + (k * k * k) // (3 * col_len)
    return spent * _STEP_SPEEDUP >= _STEP_PATIENCE * cost


# ---------------------------------------------------------------------------
# coordinate descent with working sets and Anderson extrapolation
# ---------------------------------------------------------------------------


@jit
def enet_cd(
    X,
    data,
    indices,
    indptr,
    sparse,
    y,
    sw,
    has_sw,
    x_mean,
    alpha1,
    alpha2,
    w_init,
    max_iter,
    tol,
    positive,
    random,
    seed,
    use_ws,
    stall_epochs,
    norms_in,
):
    """Elastic-net coordinate descent on the implicitly centred problem.

    Outer loop: compute the full gradient and the duality gap; stop when the
    gap is below ``tol * ||y_c||^2``; otherwise pick a working set of the
    features that violate the optimality conditions most (the current
    support is always kept) and solve the sub-problem by cyclic (or random)
    coordinate descent, extrapolated every ``K`` epochs by Anderson
    acceleration [3]_ [4]_ (projected onto the orthant of the current signs,
    kept when it lowers the objective), until its own optimality violation
    is below 0.3 times the outer one.

    Parameters
    ----------
    X, data, indices, indptr, sparse : the design (module docstring).
    y : centred target (read-only).
    sw, has_sw : sample weights and whether to use them.
    x_mean : column means used for implicit centring (zeros without intercept).
    alpha1, alpha2 : L1 and L2 strengths of P (not scaled by n).
    w_init : starting coefficients (read-only; copied).
    max_iter : maximum number of coordinate-descent epochs.
    tol : relative duality-gap tolerance (scikit-learn's meaning).
    positive : constrain coefficients to be non-negative.
    random : pick coordinates uniformly at random instead of cyclically.
    seed : seed of the coordinate sampler (used when ``random``).
    use_ws : use working sets (False solves on all features each epoch).
    stall_epochs : return early (``stalled``) from a sub-problem still
        unsolved after this many epochs, once the coordinate updates spent
        on it match the cost of an exact step on the support of k non-zeros
        (:func:`_step_due`); the caller takes that step
        (:func:`skreg.linear_model._support.support_step`, BLAS and LAPACK)
        and starts again from its result, so the steps at most double the
        work where they do not help.
    norms_in : the squared centred column norms ``norms`` returned by an
        earlier call on the same design, weights and means (the alphas of a
        path, the restarts after support steps), or an empty array.

    Returns
    -------
    w, gap, n_iter, converged, hist_iter, hist_primal, hist_gap, stalled, norms
        Coefficients, final duality gap in units of P, number of epochs,
        whether the gap reached the tolerance, the history (epoch count,
        primal P, gap) at every gap evaluation, whether it returned on
        a stall, and the squared centred column norms (for ``norms_in``).
    """
    n_samples = y.shape[0]
    n_features = x_mean.shape[0]
    w, n_w, norms, h_trace, tol_abs, r, c, active, n_active = _enet_init(
        X, data, indices, indptr, sparse, y, sw, has_sw, x_mean, w_init, tol,
        norms_in,
    )
    A = alpha1 * n_w
    B = alpha2 * n_w
    col_rad = _col_radii(norms, B)
    G = np.empty(n_features)
    score = np.empty(n_features)

    hist_iter, hist_primal, hist_gap = _new_history()  # grown by _record
    # np.int64(0), not 0: a variable first typed as the literal 0 compiles the
    # helpers it is passed to once more (for Literal[int](0))
    n_hist = np.int64(0)

    state = np.empty(1, dtype=np.uint64)
    state[0] = np.uint64(seed) * np.uint64(2) + np.uint64(1)

    K = 5  # Anderson memory
    p0 = 100  # smallest working set
    # inner tolerance, relative to the largest optimality violation
    tol_f = 0.3
    # average column length: the cost of a coordinate update, in flops
    col_len = max(1, data.shape[0] // max(1, n_features)) if sparse else n_samples
    n_iter = np.int64(0)
    gap = np.inf
    last_ws_size = np.int64(0)
    need_gap = True
    stalled = False
    while True:
        if need_gap:
            S = _centred_grad(
                X, data, indices, indptr, sparse, sw, has_sw, x_mean, r, G, active
            )
            gap, primal, dual_norm = _enet_gap(
                sw, has_sw, y, r, c, w, G, A, B, positive, n_w, h_trace
            )
            hist_iter, hist_primal, hist_gap, n_hist = _record(
                hist_iter, hist_primal, hist_gap, n_hist, n_iter, primal, gap, n_w
            )
        need_gap = True
        if gap <= tol_abs or n_iter >= max_iter:
            break

        # ---- gap-safe screening [2] (see _screen)
        if A > 0.0:
            n_out, c, screened = _screen(
                X, data, indices, indptr, sparse, x_mean, G, w, col_rad, active,
                r, c, A, B, positive, gap, dual_norm,
            )
            n_active -= n_out
            if screened:
                S = _wsum(sw, has_sw, r)

        # ---- choose the working set
        if sparse:
            p0 = max(100, n_active // _CD_SPARSE_P0_DIV)
        ws, kkt_max, last_ws_size = _working_set(
            G, w, active, n_active, score, n_w, alpha1, alpha2, positive,
            use_ws, p0, last_ws_size, sparse,
        )
        tol_in = tol_f * kkt_max

        # ---- inner solver on ws
        n_ws = ws.shape[0]
        last = np.empty((K + 1, n_ws))
        # dense X: the residuals of those iterates too (see below)
        last_r = np.empty((K + 1, 0 if sparse else n_samples))
        n_last = 0
        # active cycling (cyclic): after an epoch over the working set
        # that left it unsolved, epochs over its non-zeros only (``sub``) until
        # they are solved, then a full epoch again
        sub = np.empty(n_ws, dtype=np.int64)
        n_sub = 0
        full = True
        # coordinate updates spent on this sub-problem (see _step_due)
        spent = np.int64(0)
        ep_in = np.int64(0)
        while n_iter < max_iter:
            n_iter += 1
            inner_viol = 0.0
            cur = ws if full else sub
            n_cur = n_ws if full else n_sub
            for t in range(n_cur):
                if random:
                    jj = ws[np.int64(_xorshift(state) % np.uint64(n_ws))]
                else:
                    jj = cur[t]
                if not active[jj]:
                    continue
                old = w[jj]
                gj = (
                    (
                        _sp_dot_w(data, indices, indptr[jj], indptr[jj + 1], sw, r)
                        if has_sw
                        else _sp_dot(data, indices, indptr[jj], indptr[jj + 1], r)
                    )
                    - x_mean[jj] * S
                    if sparse
                    else (
                        _de_dot_w(X, jj, x_mean[jj], sw, r)
                        if has_sw
                        else _de_dot(X, jj, x_mean[jj], r)
                    )
                ) / n_w
                viol = _kkt_score(gj, old, alpha1, alpha2, positive)
                if viol > inner_viol:
                    inner_viol = viol
                Lj = norms[jj] / n_w
                new = _soft(Lj * old + gj, alpha1, positive) / (Lj + alpha2)
                if new != old:
                    d = new - old
                    w[jj] = new
                    if sparse:
                        _sp_axpy(data, indices, indptr[jj], indptr[jj + 1], d, r)
                        S -= d * x_mean[jj] * n_w
                        c += d * x_mean[jj]
                    else:
                        _de_axpy(X, jj, d, x_mean[jj], r)
            if not full:
                if inner_viol <= tol_in:
                    full = True
            elif inner_viol > tol_in and not random:
                n_sub = 0
                for t in range(n_ws):
                    if w[ws[t]] != 0.0:
                        sub[n_sub] = ws[t]
                        n_sub += 1
                if n_ws >= _CD_CYCLE_MIN and n_sub < _CD_CYCLE_FRAC * n_ws:
                    full = False
            elif inner_viol <= tol_in:
                if n_ws < n_active:
                    break
                # the working set is everything: certify with the real gap
                # here and keep the Anderson memory if not done yet
                c = _residual(X, data, indices, indptr, sparse, y, x_mean, w, r)
                S = _centred_grad(
                    X, data, indices, indptr, sparse, sw, has_sw, x_mean, r, G, active
                )
                gap, primal, dual_norm = _enet_gap(
                    sw, has_sw, y, r, c, w, G, A, B, positive, n_w, h_trace
                )
                hist_iter, hist_primal, hist_gap, n_hist = _record(
                    hist_iter, hist_primal, hist_gap, n_hist, n_iter, primal, gap, n_w
                )
                if gap <= tol_abs:
                    need_gap = False
                    break
                tol_in = 0.3 * inner_viol
            # ---- crawling: hand over to an exact step on the support
            if inner_viol > tol_in:
                ep_in += 1
                spent += n_cur
                if ep_in >= stall_epochs and _step_due(w, ws, spent, col_len):
                    stalled = True
                    break
            # ---- Anderson extrapolation every K epochs (cyclic only)
            if random or n_ws == 0:
                continue
            for t in range(n_ws):
                last[n_last, t] = w[ws[t]]
            if not sparse:
                for i in range(n_samples):
                    last_r[n_last, i] = r[i]
            n_last += 1
            if n_last == K + 1:
                n_last = 0
                z = _anderson_weights(last, K)
                zs = z.sum()
                if not (np.isfinite(zs) and zs != 0.0):
                    continue
                w_acc = np.zeros(n_ws)
                for k in range(K):
                    ck = z[k] / zs
                    for t in range(n_ws):
                        w_acc[t] += ck * last[k + 1, t]
                # Projected onto the orthant of the current signs: a
                # coefficient the extrapolation takes across zero, or moves
                # off zero, is set to zero. Anderson's model of the epochs as
                # one linear map holds only while the signs stay put, so
                # unprojected it was rejected (no decrease) as long as a few
                # coefficients were still on their way to zero: 38 of 38
                # attempts on the dense alpha_max/100 benchmark problem. The
                # projection sends those coefficients to zero at once and
                # extrapolates the rest; there 315 epochs to a relative
                # suboptimality of 1e-6 became 150.
                #
                # The residual is affine in w and the weights sum to 1, so on
                # dense X the extrapolated residual is the same combination
                # of the stored residuals (K n operations instead of an axpy
                # per non-zero of the working set: nnz n, on the late Lasso
                # path, where nnz approaches n, 15% of all the work), plus an
                # axpy per coefficient the projection moved. Its rounding
                # differs from the axpys' by ~1e-16 sum |c_k| |r|; the
                # residual is recomputed from w after every sub-problem.
                c_acc = c
                if sparse:
                    r_acc = r.copy()
                else:
                    r_acc = np.zeros(n_samples)
                    for k in range(K):
                        ck = z[k] / zs
                        for i in range(n_samples):
                            r_acc[i] += ck * last_r[k + 1, i]
                for t in range(n_ws):
                    jj = ws[t]
                    if not (w_acc[t] * w[jj] > 0.0):
                        if not sparse and w_acc[t] != 0.0:
                            _de_axpy(X, jj, -w_acc[t], x_mean[jj], r_acc)
                        w_acc[t] = 0.0
                if sparse:
                    for t in range(n_ws):
                        jj = ws[t]
                        d = w_acc[t] - w[jj]
                        if d != 0.0:
                            _sp_axpy(
                                data, indices, indptr[jj], indptr[jj + 1], d, r_acc
                            )
                            c_acc += d * x_mean[jj]
                p_cur = _primal_ws(sw, has_sw, r, c, w, ws, w_acc, False, A, B)
                p_acc = _primal_ws(sw, has_sw, r_acc, c_acc, w, ws, w_acc, True, A, B)
                if p_acc < p_cur:
                    for t in range(n_ws):
                        w[ws[t]] = w_acc[t]
                    for i in range(n_samples):
                        r[i] = r_acc[i]
                    c = c_acc
                    S = _wsum(sw, has_sw, r)
        if stalled:
            break
        if need_gap:  # full residual refresh keeps r, c exact to rounding
            c = _residual(X, data, indices, indptr, sparse, y, x_mean, w, r)
    converged = gap <= tol_abs
    return (
        w,
        gap / n_w,
        n_iter,
        converged,
        hist_iter[:n_hist],
        hist_primal[:n_hist],
        hist_gap[:n_hist],
        stalled,
        norms,
    )


@jit(inline="always")
def _primal_ws(sw, has_sw, r, c, w, ws, w_ws, use_ws_values, A, B):
    """n_w-scaled primal; penalties over ws use w_ws when use_ws_values."""
    R2 = 0.0
    for i in range(r.shape[0]):
        rt = r[i] + c
        if has_sw:
            R2 += sw[i] * rt * rt
        else:
            R2 += rt * rt
    l1 = 0.0
    l2 = 0.0
    for t in range(ws.shape[0]):
        if use_ws_values:
            v = w_ws[t]
        else:
            v = w[ws[t]]
        l1 += abs(v)
        l2 += v * v
    return 0.5 * (R2 + B * l2) + A * l1


@jit
def enet_ws_prox(
    X,
    data,
    indices,
    indptr,
    sparse,
    y,
    sw,
    has_sw,
    x_mean,
    alpha1,
    alpha2,
    w_init,
    max_iter,
    tol,
    positive,
    accelerated,
    norms_in,
):
    """ProxLasso's working-set solver: the outer loop of :func:`enet_cd`
    (duality gap, gap-safe screening, working sets) with each sub-problem
    solved by proximal gradient on the working set (:func:`_ws_prox`),
    FISTA with adaptive restart when ``accelerated``, ISTA otherwise.

    A separate entry point from :func:`enet_cd`, sharing its helpers, so
    that each estimator's first fit compiles only its own inner solver.
    Working sets follow :func:`_working_set`'s support-plus-violators rule
    on dense and sparse designs alike (not the doubling of enet_cd on
    sparse ones: every step reads all the working-set columns, while
    coordinate descent cycles over the non-zeros only; on 20000 x 50000 CSC
    at alpha_max/100 a working set of 2 nnz = 26540 features against
    15743 cost 1.3 instead of 1.0 ms per step).
    The first working set holds ``min(_PX_P0, max(10, p_active / 10))``
    features, and each sub-problem is solved until its gradient mapping is
    below ``_PX_TOLF`` times the largest optimality violation. A proximal
    step counts as an epoch. Arguments and returns as :func:`enet_cd`,
    without ``stalled``.
    """
    n_features = x_mean.shape[0]
    w, n_w, norms, h_trace, tol_abs, r, c, active, n_active = _enet_init(
        X, data, indices, indptr, sparse, y, sw, has_sw, x_mean, w_init, tol,
        norms_in,
    )
    A = alpha1 * n_w
    B = alpha2 * n_w
    col_rad = _col_radii(norms, B)
    G = np.empty(n_features)
    score = np.empty(n_features)

    hist_iter, hist_primal, hist_gap = _new_history()  # grown by _record
    # np.int64 / np.bool_: plain constants would be typed as literals, and
    # the helpers compiled once more for them
    n_hist = np.int64(0)
    n_iter = np.int64(0)
    last_ws_size = np.int64(0)
    use_ws = np.bool_(True)
    L = 1.0  # step scale of the diagonal metric, carried across sub-problems
    while True:
        _centred_grad(
            X, data, indices, indptr, sparse, sw, has_sw, x_mean, r, G, active
        )
        gap, primal, dual_norm = _enet_gap(
            sw, has_sw, y, r, c, w, G, A, B, positive, n_w, h_trace
        )
        hist_iter, hist_primal, hist_gap, n_hist = _record(
            hist_iter, hist_primal, hist_gap, n_hist, n_iter, primal, gap, n_w
        )
        if gap <= tol_abs or n_iter >= max_iter:
            break
        if A > 0.0:
            n_out, c, _ = _screen(
                X, data, indices, indptr, sparse, x_mean, G, w, col_rad, active,
                r, c, A, B, positive, gap, dual_norm,
            )
            n_active -= n_out
        # screening shrinks p_active: the smallest working set follows it
        p0 = min(_PX_P0, max(10, n_active // 10))
        ws, kkt_max, last_ws_size = _working_set(
            G, w, active, n_active, score, n_w, alpha1, alpha2, positive,
            use_ws, p0, last_ws_size, np.bool_(False),
        )
        used, c, L = _ws_prox(
            X,
            data,
            indices,
            indptr,
            sparse,
            sw,
            has_sw,
            x_mean,
            alpha1,
            alpha2,
            positive,
            ws,
            w,
            r,
            c,
            norms,
            _PX_TOLF * kkt_max,
            max_iter - n_iter,
            n_w,
            accelerated,
            L,
        )
        n_iter += used
        # full residual refresh keeps r, c exact to rounding
        c = _residual(X, data, indices, indptr, sparse, y, x_mean, w, r)
    converged = gap <= tol_abs
    return (
        w,
        gap / n_w,
        n_iter,
        converged,
        hist_iter[:n_hist],
        hist_primal[:n_hist],
        hist_gap[:n_hist],
        norms,
    )


# ---------------------------------------------------------------------------
# proximal gradient (ISTA / FISTA with adaptive restart)
# ---------------------------------------------------------------------------


@jit
def _update_residual(X, data, indices, indptr, sparse, x_mean, d, r):
    """r -= X_c d for a direction d (skipping its zeros); returns the c-shift."""
    dc = 0.0
    for j in range(d.shape[0]):
        if d[j] != 0.0:
            if sparse:
                _sp_axpy(data, indices, indptr[j], indptr[j + 1], d[j], r)
                dc += d[j] * x_mean[j]
            else:
                _de_axpy(X, j, d[j], x_mean[j], r)
    return dc


@jit
def prox_grad(
    X,
    data,
    indices,
    indptr,
    sparse,
    y,
    sw,
    has_sw,
    x_mean,
    alpha1,
    alpha2,
    w_init,
    max_iter,
    tol,
    positive,
    accelerated,
    lipschitz,
    backtracking,
    gap_freq,
):
    """Proximal gradient for the elastic-net objective P (module docstring).

    ISTA, or FISTA [5]_ with the gradient-based adaptive restart of
    O'Donoghue and Candes [6]_ when ``accelerated``. The step is
    ``1/lipschitz`` (largest eigenvalue of X_c^T S X_c / n_w, computed by the
    caller); with ``backtracking`` it starts from ``lipschitz`` and doubles
    until the sufficient-decrease condition holds. The duality gap is
    evaluated every ``gap_freq`` iterations at the current iterate and is
    the stopping rule (``gap <= tol * ||y_c||^2``, scikit-learn's).

    Returns
    -------
    w, gap, n_iter, converged, hist_iter, hist_primal, hist_gap, lipschitz
    """
    n_samples = y.shape[0]
    n_features = x_mean.shape[0]
    if has_sw:
        n_w = 0.0
        for i in range(n_samples):
            n_w += sw[i]
    else:
        n_w = float(n_samples)
    A = alpha1 * n_w
    B = alpha2 * n_w
    y2 = _wdot(sw, has_sw, y, y)
    tol_abs = tol * y2
    L = lipschitz
    h_trace = 0.0
    if A == 0.0 and B == 0.0:
        norms = _col_sqnorms(X, data, indices, indptr, sparse, sw, has_sw, x_mean, n_w)
        for j in range(n_features):
            h_trace += norms[j]

    w = np.empty(n_features)
    for j in range(n_features):
        w[j] = w_init[j]
    z = w.copy()
    w_new = w.copy()
    d = np.empty(n_features)
    r_w = np.empty(n_samples)
    c_w = _residual(X, data, indices, indptr, sparse, y, x_mean, w, r_w)
    r_z = r_w.copy()
    c_z = c_w
    r_new = r_w.copy()
    G = np.empty(n_features)
    all_active = np.ones(n_features, dtype=np.bool_)

    hist_iter, hist_primal, hist_gap = _new_history()  # grown by _record
    n_hist = np.int64(0)  # not 0: see enet_cd

    t = 1.0
    gap = np.inf
    n_iter = np.int64(0)
    while True:
        if n_iter % gap_freq == 0 or n_iter >= max_iter:
            # exact residual at w, then the gap
            c_w = _residual(X, data, indices, indptr, sparse, y, x_mean, w, r_w)
            _centred_grad(
                X, data, indices, indptr, sparse, sw, has_sw, x_mean, r_w, G, all_active
            )
            gap, primal, _ = _enet_gap(
                sw, has_sw, y, r_w, c_w, w, G, A, B, positive, n_w, h_trace
            )
            hist_iter, hist_primal, hist_gap, n_hist = _record(
                hist_iter, hist_primal, hist_gap, n_hist, n_iter, primal, gap, n_w
            )
            if gap <= tol_abs or n_iter >= max_iter:
                break
            # refresh the extrapolated residual too: refreshing r_w alone
            # would feed (1 + beta) times the accumulated rounding error
            # into r_z at every check, an exponential instability
            if not accelerated or t == 1.0:
                for i in range(n_samples):
                    r_z[i] = r_w[i]
                c_z = c_w
            else:
                c_z = _residual(X, data, indices, indptr, sparse, y, x_mean, z, r_z)
        n_iter += 1
        # gradient of the smooth part at z: -(G_z / n_w) + alpha2 z
        _centred_grad(
            X, data, indices, indptr, sparse, sw, has_sw, x_mean, r_z, G, all_active
        )
        while True:
            for j in range(n_features):
                grad_j = -G[j] / n_w + alpha2 * z[j]
                w_new[j] = _soft(z[j] - grad_j / L, alpha1 / L, positive)
                d[j] = w_new[j] - z[j]
            for i in range(n_samples):
                r_new[i] = r_z[i]
            c_new = c_z + _update_residual(
                X, data, indices, indptr, sparse, x_mean, d, r_new
            )
            if not backtracking:
                break
            dd = 0.0
            for j in range(n_features):
                dd += d[j] * d[j]
            if _step_accepted(sw, has_sw, r_new, c_new, r_z, c_z, n_w, alpha2, dd, L):
                break
            L *= 2.0
        if accelerated:
            # adaptive restart when the momentum points uphill [6]
            up = 0.0
            for j in range(n_features):
                up += (z[j] - w_new[j]) * (w_new[j] - w[j])
            if up > 0.0:
                t = 1.0
                for j in range(n_features):
                    z[j] = w_new[j]
                for i in range(n_samples):
                    r_z[i] = r_new[i]
                c_z = c_new
            else:
                beta, t = _fista_next(t)
                for j in range(n_features):
                    z[j] = w_new[j] + beta * (w_new[j] - w[j])
                for i in range(n_samples):
                    r_z[i] = r_new[i] + beta * (r_new[i] - r_w[i])
                c_z = c_new + beta * (c_new - c_w)
        else:
            for j in range(n_features):
                z[j] = w_new[j]
            for i in range(n_samples):
                r_z[i] = r_new[i]
            c_z = c_new
        for j in range(n_features):
            w[j] = w_new[j]
        for i in range(n_samples):
            r_w[i] = r_new[i]
        c_w = c_new
    converged = gap <= tol_abs
    return (
        w,
        gap / n_w,
        n_iter,
        converged,
        hist_iter[:n_hist],
        hist_primal[:n_hist],
        hist_gap[:n_hist],
        L,
    )


# ---------------------------------------------------------------------------
# gradient descent for ridge (multi-output)
# ---------------------------------------------------------------------------


@jit
def _ridge_grad(X, data, indices, indptr, sparse, sw, has_sw, x_mean, R, W, alpha, Gr):
    """Gr = -2 X_c^T (S R_k) + 2 alpha W for every target k (R[k] is the
    residual of target k); returns ||Gr||_F."""
    n_features, n_targets = W.shape
    g2 = 0.0
    for k in range(n_targets):
        rk = R[k]
        S = _wsum(sw, has_sw, rk)
        for j in range(n_features):
            gj = (
                -2.0
                * (
                    (
                        _sp_dot_w(data, indices, indptr[j], indptr[j + 1], sw, rk)
                        if has_sw
                        else _sp_dot(data, indices, indptr[j], indptr[j + 1], rk)
                    )
                    - x_mean[j] * S
                    if sparse
                    else (
                        _de_dot_w(X, j, x_mean[j], sw, rk)
                        if has_sw
                        else _de_dot(X, j, x_mean[j], rk)
                    )
                )
                + 2.0 * alpha * W[j, k]
            )
            Gr[j, k] = gj
    # scaled 2-norm: squaring a gradient of ~1e-160 would underflow to 0
    gmax = 0.0
    for k in range(n_targets):
        for j in range(n_features):
            gmax = max(gmax, abs(Gr[j, k]))
    if gmax == 0.0:
        return 0.0
    for k in range(n_targets):
        for j in range(n_features):
            q = Gr[j, k] / gmax
            g2 += q * q
    return gmax * np.sqrt(g2)


@jit
def _ridge_residual(X, data, indices, indptr, sparse, Y, x_mean, W, R):
    """R[k] = Y_c[:, k] - X_c W[:, k] for every target k (the c-shift of
    sparse columns is applied densely)."""
    n_features, n_targets = W.shape
    for k in range(n_targets):
        rk = R[k]
        for i in range(Y.shape[0]):
            rk[i] = Y[i, k]
        c = 0.0
        for j in range(n_features):
            if W[j, k] != 0.0:
                if sparse:
                    _sp_axpy(data, indices, indptr[j], indptr[j + 1], W[j, k], rk)
                    c += W[j, k] * x_mean[j]
                else:
                    _de_axpy(X, j, W[j, k], x_mean[j], rk)
        if c != 0.0:
            for i in range(Y.shape[0]):
                rk[i] += c


@jit
def _ridge_objective(sw, has_sw, R, W, alpha):
    acc = 0.0
    for k in range(R.shape[0]):
        for i in range(R.shape[1]):
            if has_sw:
                acc += sw[i] * R[k, i] * R[k, i]
            else:
                acc += R[k, i] * R[k, i]
    for k in range(W.shape[1]):
        for j in range(W.shape[0]):
            acc += alpha * W[j, k] * W[j, k]
    return acc


@jit
def ridge_gd(
    X,
    data,
    indices,
    indptr,
    sparse,
    Y,
    sw,
    has_sw,
    x_mean,
    alpha,
    W_init,
    max_iter,
    tol,
    method,
    lipschitz,
    mu,
):
    """Gradient descent for ridge, several targets at once.

    Minimizes ``F(W) = sum_i sw_i ||y_i - W^T x_c,i||^2 + alpha ||W||_F^2``.

    ``method``: 0 plain gradient descent with step 1/L; 1 heavy-ball momentum
    with Polyak's optimal step and momentum for curvature in [mu, L]; 2
    Nesterov's accelerated gradient, constant momentum
    ``(sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu))`` when mu > 0, FISTA's
    sequence otherwise, with gradient-based adaptive restart [6]_.
    ``lipschitz`` is L = 2 (lambda_max(X_c^T S X_c) + alpha) and ``mu`` a lower
    bound of the strong convexity, 2 alpha.

    Stops at the first query point q (the point whose gradient is computed)
    with ``||grad F(q)|| <= tol * ||grad F(0)||`` and returns q.

    Returns
    -------
    W, grad_norm, target, n_iter, converged, hist_iter, hist_objective,
    hist_grad_norm
    """
    n_samples, n_targets = Y.shape
    n_features = x_mean.shape[0]
    L = lipschitz
    W = np.empty((n_features, n_targets))
    for j in range(n_features):
        for k in range(n_targets):
            W[j, k] = W_init[j, k]
    Gr = np.empty((n_features, n_targets))
    # one C-contiguous row per target: the same 1-D type as enet_cd's residual,
    # so the column primitives compile once for both kernels
    R = np.empty((n_targets, n_samples))
    Z = np.zeros((n_features, n_targets))
    # reference gradient norm at W = 0
    _ridge_residual(X, data, indices, indptr, sparse, Y, x_mean, Z, R)
    g0 = _ridge_grad(
        X, data, indices, indptr, sparse, sw, has_sw, x_mean, R, Z, alpha, Gr
    )
    target = tol * g0

    hist_iter = np.empty(max_iter + 1, dtype=np.int64)
    hist_obj = np.zeros(max_iter + 1)
    hist_g = np.zeros(max_iter + 1)

    sqL = np.sqrt(L)
    sqm = np.sqrt(mu)
    if method == 1:
        if mu > 0.0:
            step = 4.0 / (sqL + sqm) ** 2
            beta = ((sqL - sqm) / (sqL + sqm)) ** 2
        else:
            step = 1.0 / L
            beta = 0.9
    else:
        step = 1.0 / L
        beta = (sqL - sqm) / (sqL + sqm) if mu > 0.0 else 0.0

    Q = W.copy()  # query point
    W_prev = W.copy()
    t = 1.0
    n_iter = 0
    gnorm = np.inf
    while True:
        _ridge_residual(X, data, indices, indptr, sparse, Y, x_mean, Q, R)
        gnorm = _ridge_grad(
            X, data, indices, indptr, sparse, sw, has_sw, x_mean, R, Q, alpha, Gr
        )
        hist_iter[n_iter] = n_iter
        hist_obj[n_iter] = _ridge_objective(sw, has_sw, R, Q, alpha)
        hist_g[n_iter] = gnorm
        if gnorm <= target or n_iter >= max_iter:
            for j in range(n_features):
                for k in range(n_targets):
                    W[j, k] = Q[j, k]
            break
        n_iter += 1
        if method == 0:
            for j in range(n_features):
                for k in range(n_targets):
                    Q[j, k] -= step * Gr[j, k]
        elif method == 1:
            for j in range(n_features):
                for k in range(n_targets):
                    q = Q[j, k]
                    Q[j, k] = q - step * Gr[j, k] + beta * (q - W_prev[j, k])
                    W_prev[j, k] = q
        else:
            # W_new = Q - step * grad(Q); momentum from W to W_new
            up = 0.0
            for j in range(n_features):
                for k in range(n_targets):
                    wn = Q[j, k] - step * Gr[j, k]
                    up += (Q[j, k] - wn) * (wn - W[j, k])
                    W_prev[j, k] = W[j, k]
                    W[j, k] = wn
            if mu > 0.0:
                b = beta
            else:
                b, t = _fista_next(t)
            if up > 0.0:  # adaptive restart
                b = 0.0
                t = 1.0
            for j in range(n_features):
                for k in range(n_targets):
                    Q[j, k] = W[j, k] + b * (W[j, k] - W_prev[j, k])
    converged = gnorm <= target
    return (
        W,
        gnorm,
        target,
        n_iter,
        converged,
        hist_iter[: n_iter + 1],
        hist_obj[: n_iter + 1],
        hist_g[: n_iter + 1],
    )


# ---------------------------------------------------------------------------
# coordinate descent on the Gram matrix (n_samples >> n_features)
# ---------------------------------------------------------------------------


@jit
def sparse_gram(data, indices, indptr, n_samples, sw, has_sw):
    """``X^T S X`` and ``X^T sw`` of a CSC matrix, without copying it.

    Column j is scattered (weighted) into a dense work vector and every
    column k >= j is gathered against it: ``p / 2`` reads of the non-zeros.
    """
    p = indptr.shape[0] - 1
    M = np.empty((p, p))
    a = np.zeros(p)
    v = np.zeros(n_samples)
    for j in range(p):
        for t in range(indptr[j], indptr[j + 1]):
            i = indices[t]
            v[i] = data[t] * sw[i] if has_sw else data[t]
            a[j] += v[i]
        for k in range(j, p):
            acc = 0.0
            for t in range(indptr[k], indptr[k + 1]):
                acc += data[t] * v[indices[t]]
            M[j, k] = acc
            M[k, j] = acc
        for t in range(indptr[j], indptr[j + 1]):
            v[indices[t]] = 0.0
    return M, a


@jit
def enet_gap_at(X, data, indices, indptr, sparse, y, sw, has_sw, x_mean, alpha1,
                alpha2, w, positive):
    """Duality gap and primal of ``w``, computed on the data (units of P).

    The certificate of the Gram solver's result: one pass for the residual,
    one for ``X_c^T S r``, then :func:`_enet_gap`. A small kernel, so that a
    fit on the Gram matrix compiles :func:`enet_cd` only when rounding in the
    Gram identities leaves this gap above the tolerance.
    """
    n_features = x_mean.shape[0]
    if has_sw:
        n_w = 0.0
        for i in range(y.shape[0]):
            n_w += sw[i]
    else:
        n_w = float(y.shape[0])
    r = np.empty(y.shape[0])
    c = _residual(X, data, indices, indptr, sparse, y, x_mean, w, r)
    G = np.empty(n_features)
    active = np.ones(n_features, dtype=np.bool_)
    _centred_grad(X, data, indices, indptr, sparse, sw, has_sw, x_mean, r, G, active)
    gap, primal, _ = _enet_gap(
        sw, has_sw, y, r, c, w, G, alpha1 * n_w, alpha2 * n_w, positive, n_w, 0.0
    )
    return gap / n_w, primal / n_w


@jit
def enet_cd_gram(Q, q, y2, n_w, alpha1, alpha2, w_init, max_iter, tol, positive,
                 random, seed, stall_epochs):
    """Elastic-net coordinate descent on the Gram matrix ``Q = X_c^T S X_c``.

    With ``q = X_c^T S y_c`` and ``y2 = y_c^T S y_c`` the gradient
    ``g = q - Q w`` is kept up to date (a changed coordinate costs p
    operations, not n) and the duality gap of :func:`_enet_gap` is computed
    from ``||r||^2 = y2 - q.w - g.w`` and ``<r, y> = y2 - q.w`` after every
    epoch, in O(p). These identities lose the digits of ``||r||^2`` below
    ``y2 * 1e-16``: the caller certifies the result on the data themselves
    (:func:`enet_gap_at`, then :func:`enet_cd` from this point if needed).
    Cyclic epochs are extrapolated every ``K`` epochs by Anderson
    acceleration, as in :func:`enet_cd`, the
    extrapolated point being kept when its objective (exact here: ``Q w``
    costs p^2) is lower. Stops on the gap, at ``max_iter`` epochs, or at a
    fixed point (an epoch that changes no coordinate), or on a stall as in
    :func:`enet_cd` (``stall_epochs``; the caller then takes
    :func:`skreg.linear_model._support.gram_step`). ``alpha1 > 0`` (the
    Lasso dual).

    Returns
    -------
    w, gap, n_iter, converged, hist_iter, hist_primal, hist_gap, stalled
    """
    p = q.shape[0]
    w = np.empty(p)
    for j in range(p):
        w[j] = w_init[j] if Q[j, j] > 0.0 else 0.0
    A = alpha1 * n_w
    B = alpha2 * n_w
    g = np.empty(p)
    for j in range(p):
        acc = q[j]
        for k in range(p):
            acc -= Q[j, k] * w[k]
        g[j] = acc
    tol_abs = tol * y2
    hist_iter, hist_primal, hist_gap = _new_history()  # grown by _record
    n_hist = np.int64(0)
    state = np.empty(1, dtype=np.uint64)
    state[0] = np.uint64(seed) * np.uint64(2) + np.uint64(1)
    K = 5  # Anderson memory
    last = np.empty((K + 1, p))
    n_last = 0
    w_acc = np.empty(p)
    g_acc = np.empty(p)
    n_iter = np.int64(0)
    spent = np.int64(0)  # coordinate updates spent
    stalled = False
    all_j = np.arange(p)
    gap = np.inf
    while True:
        qw = 0.0
        gw = 0.0
        l1 = 0.0
        l2 = 0.0
        dual_norm = 0.0
        for j in range(p):
            qw += q[j] * w[j]
            gw += g[j] * w[j]
            l1 += abs(w[j])
            l2 += w[j] * w[j]
            v = g[j] - B * w[j]
            if not positive:
                v = abs(v)
            if v > dual_norm:
                dual_norm = v
        R2 = max(y2 - qw - gw, 0.0)
        Ry = y2 - qw
        primal = 0.5 * (R2 + B * l2) + A * l1
        s = A / dual_norm if dual_norm > A else 1.0
        gap = max(primal - (s * Ry - 0.5 * s * s * (R2 + B * l2)), 0.0)
        hist_iter, hist_primal, hist_gap, n_hist = _record(
            hist_iter, hist_primal, hist_gap, n_hist, n_iter, primal, gap, n_w
        )
        if gap <= tol_abs or n_iter >= max_iter:
            break
        n_iter += 1
        changed = False
        for t in range(p):
            if random:
                j = np.int64(_xorshift(state) % np.uint64(p))
            else:
                j = t
            Qjj = Q[j, j]
            if Qjj <= 0.0:
                continue
            old = w[j]
            new = _soft(Qjj * old + g[j], A, positive) / (Qjj + B)
            if new != old:
                changed = True
                d = new - old
                w[j] = new
                for k in range(p):
                    g[k] -= d * Q[j, k]
        if not changed:
            break
        # crawling: hand over to an exact step on the support (see enet_cd);
        # its cost (sub-matrix, Cholesky) in coordinate updates
        spent += p
        if n_iter >= stall_epochs and _step_due(w, all_j, spent, p):
            stalled = True
            break
        if random:
            continue
        for j in range(p):
            last[n_last, j] = w[j]
        n_last += 1
        if n_last < K + 1:
            continue
        n_last = 0
        z = _anderson_weights(last, K)
        zs = z.sum()
        if not (np.isfinite(zs) and zs != 0.0):
            continue
        for j in range(p):
            acc = 0.0
            for k in range(K):
                acc += z[k] * last[k + 1, j]
            acc /= zs
            # projected onto the orthant of the current signs (see enet_cd)
            w_acc[j] = acc if Q[j, j] > 0.0 and acc * w[j] > 0.0 else 0.0
        # 2 (P - y2 / 2) = -2 q.w + w.Q w + B ||w||^2 + 2 A ||w||_1, with
        # w.Q w = q.w - g.w
        p_cur = 0.0
        p_acc = 0.0
        for j in range(p):
            acc = q[j]
            for k in range(p):
                acc -= Q[j, k] * w_acc[k]
            g_acc[j] = acc
            p_cur += -q[j] * w[j] - g[j] * w[j] + B * w[j] * w[j] + 2.0 * A * abs(w[j])
            p_acc += (-q[j] * w_acc[j] - g_acc[j] * w_acc[j] + B * w_acc[j] * w_acc[j]
                      + 2.0 * A * abs(w_acc[j]))
        if p_acc < p_cur:
            for j in range(p):
                w[j] = w_acc[j]
                g[j] = g_acc[j]
    return (
        w,
        gap / n_w,
        n_iter,
        gap <= tol_abs,
        hist_iter[:n_hist],
        hist_primal[:n_hist],
        hist_gap[:n_hist],
        stalled,
    )
