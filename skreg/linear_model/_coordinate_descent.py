"""ElasticNetCD: elastic net by coordinate descent."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from .._base import (
    Interval,
    LinearRegressorBase,
    StrOptions,
    _fit_context,
    kernel_design,
    readonly,
)
from ._common import initial_coef, set_l1_fit_result, warn_if_alpha_zero


def _solve_enet(
    X,
    y_c,
    sw,
    x_mean,
    alpha,
    l1_ratio,
    w0,
    max_iter,
    tol,
    positive,
    selection,
    random_state,
    use_ws=True,
    inner=0,
):
    """Solve the elastic net; the one place that calls the kernel.

    Coordinate descent (``inner=0``) alternates with a Newton step on the
    support (:func:`_support_newton`): the kernel runs for a budget of
    epochs; if it has not certified the tolerance by then, the problem
    restricted to the current support and signs is solved exactly, and the
    kernel continues from that point. The kernel's duality gap is the only
    stopping rule, so the result carries the same certificate either way.
    Returns the kernel's tuple (coef, gap, n_iter, converged, history...).
    """
    from .._kernels._linear import enet_cd

    X2d, data, indices, indptr, sparse = kernel_design(X)
    dtype = y_c.dtype
    has_sw = sw is not None
    sw_k = readonly(sw if has_sw else np.empty(0, dtype=dtype))
    seed = 0
    if selection == "random":
        seed = int(check_random_state(random_state).randint(0, 2**31 - 1))
    y_k = readonly(y_c)
    x_mean_k = readonly(x_mean.astype(dtype))
    a1 = float(alpha * l1_ratio)
    a2 = float(alpha * (1.0 - l1_ratio))
    max_iter = int(max_iter)

    def run(w_start, epochs):
        return enet_cd(
            X2d,
            data,
            indices,
            indptr,
            sparse,
            y_k,
            sw_k,
            has_sw,
            x_mean_k,
            a1,
            a2,
            readonly(np.ascontiguousarray(w_start, dtype=dtype)),
            int(epochs),
            float(tol),
            bool(positive),
            selection == "random",
            seed,
            bool(use_ws),
            int(inner),
        )

    newton = inner == 0 and a1 > 0.0
    if not newton:
        return run(w0, max_iter)
    # first budget: enough epochs for easy problems to finish by CD alone
    budget = min(max_iter, _NEWTON_FIRST_BUDGET)
    result = run(w0, budget)
    parts = [result]
    used = result[2]
    n_newton = 0
    while not result[3] and used < max_iter:
        w = result[0]
        n_support = int(np.count_nonzero(w))
        w_new = None
        if 0 < n_support <= _newton_max_support(X.shape[0]):
            w_new = _support_newton(X, y_c, sw, x_mean, a1, a2, w, positive)
        if w_new is None:  # not applicable: coordinate descent to the end
            result = run(w, max_iter - used)
            parts.append(result)
            used += result[2]
            break
        # CD from the Newton point picks up the features entering the
        # support; a Newton step costs about as much as 20-50 epochs (BLAS on
        # the support), so the budget between steps doubles from 20
        n_newton += 1
        budget = min(max_iter - used, 20 * 2 ** min(n_newton - 1, 10))
        result = run(w_new, budget)
        parts.append(result)
        used += result[2]
    return _merge_results(parts)


# epochs of coordinate descent before the first Newton step on the support
_NEWTON_FIRST_BUDGET = 50


def _newton_max_support(n_samples):
    """Largest support for a Newton step: the Gram matrix of the support is
    at most 4000 x 4000 (128 MB) and, without ridge, |S| <= n_samples."""
    return min(4000, n_samples)


def _merge_results(parts):
    """One kernel result from consecutive runs (epochs and history summed)."""
    if len(parts) == 1:
        return parts[0]
    last = parts[-1]
    n_iter = 0
    hist_iter = []
    for part in parts:
        hist_iter.append(part[4] + n_iter)
        n_iter += part[2]
    return (
        last[0],
        last[1],
        n_iter,
        last[3],
        np.concatenate(hist_iter),
        np.concatenate([part[5] for part in parts]),
        np.concatenate([part[6] for part in parts]),
    )


def _support_newton(X, y_c, sw, x_mean, a1, a2, w, positive, max_solves=12):
    """Exact minimiser of the elastic net on the support of ``w`` with its
    signs fixed (the objective is a quadratic there), reached from ``w``.

    With S the support and s the signs, the minimiser of
    ``1/2 ||y_c - X_c,S v||^2_sw + A s.v + B/2 ||v||^2`` solves
    ``(X_c,S^T D X_c,S + B I) v = X_c,S^T D y_c - A s``. If some ``v_j``
    has the wrong sign, the step from ``w`` stops where the first one
    reaches zero (the objective decreases along the segment inside the
    orthant), that feature leaves S and the system is solved again
    (feature-sign search, Lee et al., NIPS 2006), at most ``max_solves``
    times. Returns the new coefficients, or None when the step does not
    lower the objective or the system is singular.
    """
    import scipy.linalg as sla

    n_samples = X.shape[0]
    n_w = float(np.sum(sw)) if sw is not None else float(n_samples)
    A = a1 * n_w
    B = a2 * n_w
    S = np.flatnonzero(w)
    Q, b = _support_gram(X, y_c, sw, x_mean, S)
    if B > 0.0:
        Q[np.diag_indices_from(Q)] += B
    w = np.asarray(w, dtype=np.float64)
    cur = w[S].copy()
    c = b - A * np.sign(cur)
    keep = np.ones(S.shape[0], dtype=bool)
    for _ in range(max_solves):
        K = np.flatnonzero(keep)
        try:
            factor = sla.cho_factor(Q[np.ix_(K, K)], check_finite=False)
            v = sla.cho_solve(factor, c[K], check_finite=False)
        except (np.linalg.LinAlgError, ValueError):
            return None
        if not np.all(np.isfinite(v)):
            return None
        cK = cur[K]
        wrong = (np.sign(v) != np.sign(cK)) | (positive & (v < 0.0))
        if not wrong.any():
            cur[K] = v
            break
        # step from cur towards v until the first coefficient hits zero
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(wrong, cK / (cK - v), np.inf)
        t_min = float(np.min(t))
        new = cK + t_min * (v - cK)
        hit = wrong & (t <= t_min * (1.0 + 1e-12))
        new[hit] = 0.0
        cur[K] = new
        keep[K[hit]] = False
        if not keep.any():
            break
    w_new = np.zeros_like(w)
    w_new[S] = np.where(keep, cur, 0.0)
    if _enet_objective(X, y_c, sw, x_mean, A, B, w_new) >= _enet_objective(
        X, y_c, sw, x_mean, A, B, w
    ):
        return None
    return w_new


def _support_gram(X, y_c, sw, x_mean, S, block=4096):
    """Q = X_c,S^T D X_c,S and b = X_c,S^T D y_c for the columns S of the
    implicitly centred X, by row blocks (no copy of X[:, S] at once)."""
    import scipy.sparse as sp
    from scipy.linalg.blas import dsyrk

    n_samples = X.shape[0]
    k = S.shape[0]
    m = np.asarray(x_mean, dtype=np.float64)[S]
    Q = np.zeros((k, k), order="F")
    b = np.zeros(k)
    sw_sum = float(np.sum(sw)) if sw is not None else float(n_samples)
    XS_full = X[:, S] if sp.issparse(X) else None
    for i0 in range(0, n_samples, block):
        i1 = min(n_samples, i0 + block)
        if XS_full is not None:
            XS = XS_full[i0:i1].toarray()
        else:
            XS = np.array(X[i0:i1][:, S], dtype=np.float64)
        yb = np.asarray(y_c[i0:i1], dtype=np.float64)
        if sw is not None:
            swb = np.sqrt(np.asarray(sw[i0:i1], dtype=np.float64))
            XS *= swb[:, None]
            yb = yb * swb
        # upper triangle only (what the Cholesky factorisation reads)
        Q = dsyrk(1.0, XS, beta=1.0, c=Q, trans=1, lower=0, overwrite_c=1)
        b += XS.T @ yb
    # centring: X_c = X - 1 m^T with sum_i sw_i X_i = n_w m and sum sw y_c = 0
    Q -= sw_sum * np.outer(m, m)
    return Q, b


def _enet_objective(X, y_c, sw, x_mean, A, B, w):
    """n_w-scaled primal 1/2 ||y_c - X_c w||^2_sw + A ||w||_1 + B/2 ||w||^2."""
    r = np.asarray(y_c, dtype=np.float64) - (X @ w - np.dot(x_mean, w))
    r = np.asarray(r).ravel()
    r2 = np.dot(sw * r, r) if sw is not None else np.dot(r, r)
    return 0.5 * (r2 + B * np.dot(w, w)) + A * np.abs(w).sum()


class ElasticNetCD(LinearRegressorBase):
    r"""Elastic net fitted by coordinate descent with working sets.

    Minimizes scikit-learn's :class:`~sklearn.linear_model.ElasticNet`
    objective

    .. math::

        \frac{1}{2 n} \|y - Xw - b\|_2^2 + \alpha \rho \|w\|_1
        + \frac{\alpha (1 - \rho)}{2} \|w\|_2^2 ,

    with :math:`\rho` = ``l1_ratio``. With sample weights :math:`s_i` the data
    term is :math:`\frac{1}{2 \sum_i s_i} \sum_i s_i (y_i - x_i^\top w - b)^2`,
    exactly as scikit-learn weights it. The intercept :math:`b` is not
    penalized.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength :math:`\alpha \ge 0`.
    l1_ratio : float, default=0.5
        Mixing parameter :math:`0 \le \rho \le 1`; ``l1_ratio=1`` is the Lasso.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept. The data are centred
        implicitly: X is never copied for centring, dense or sparse.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs (passes over the
        working set).
    tol : float, default=1e-4
        Stopping tolerance on the duality gap: iterations stop when
        ``gap <= tol * ||y - mean(y)||^2 / n`` (weighted), scikit-learn's
        rule, so ``tol`` means the same in both libraries.
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate sampler when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit coordinates in order, or draw them uniformly at random.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients, of the dtype of X (float32 stays float32).
    intercept_ : float
        Intercept.
    n_iter_ : int
        Number of coordinate-descent epochs run.
    dual_gap_ : float
        Duality gap at the solution, in units of the objective.
    objective_history_ : ndarray
        Objective at each duality-gap evaluation.
    gap_history_ : ndarray
        Duality gap at each evaluation.
    iter_history_ : ndarray of int
        Epoch count at each evaluation.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    ProxLasso : Lasso by proximal gradient (FISTA).
    RidgeGD : Ridge by accelerated gradient descent.
    sklearn.linear_model.ElasticNet : The scikit-learn counterpart.

    Notes
    -----
    Each outer iteration computes the full gradient and the duality gap of
    scikit-learn (rescaled dual point, [2]_); features violating the
    optimality conditions most form a working set (the support is always
    kept), which is solved by coordinate descent [1]_ with Anderson
    extrapolation every 5 epochs [3]_, [4]_. Sparse X (CSC or CSR) is never
    densified nor centred in memory.

    References
    ----------
    .. [1] J. Friedman, T. Hastie, R. Tibshirani, "Regularization paths for
       generalized linear models via coordinate descent", J. Stat. Softw. 2010.
    .. [2] E. Ndiaye, O. Fercoq, A. Gramfort, J. Salmon, "Gap safe screening
       rules for sparsity enforcing penalties", JMLR 2017.
    .. [3] M. Massias, A. Gramfort, J. Salmon, "Celer: a fast solver for the
       Lasso with dual extrapolation", ICML 2018.
    .. [4] Q. Bertrand et al., "Beyond L1: faster and better sparse models with
       skglm", NeurIPS 2022.

    Examples
    --------
    >>> from skreg import ElasticNetCD
    >>> X = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]
    >>> y = [0.0, 1.0, 2.0]
    >>> model = ElasticNetCD(alpha=0.1, l1_ratio=1.0).fit(X, y)
    >>> model.coef_.round(4)
    array([0.85, 0.  ])
    >>> round(model.intercept_, 4)
    0.15
    >>> bool(model.dual_gap_ <= 1e-12)
    True
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_l2(self):
        return self.alpha, self.l1_ratio

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Dense input is used in Fortran order (converted
            once if needed); sparse input as CSC.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Non-negative sample weights, not all zero.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, y, sw = self._validate_fit_data(X, y, sample_weight)
        alpha, l1_ratio = self._l1_l2()
        warn_if_alpha_zero(alpha)
        x_mean, y_mean, y_c = self._center(X, y, sw, self.fit_intercept)
        n_features = X.shape[1]
        w0 = initial_coef(self, n_features, X.dtype)
        result = _solve_enet(
            X,
            y_c,
            sw,
            x_mean,
            alpha,
            l1_ratio,
            w0,
            self.max_iter,
            self.tol,
            self.positive,
            self.selection,
            self.random_state,
        )
        return set_l1_fit_result(self, result, x_mean, y_mean, y_c, sw)
