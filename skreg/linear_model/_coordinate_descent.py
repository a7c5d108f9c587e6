"""ElasticNetCD: elastic net by coordinate descent."""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_random_state

from .._base import (
    Interval,
    LinearRegressorBase,
    StrOptions,
    _fit_context,
    kernel_design,
    kernel_float,
    readonly,
)
from ._common import (
    gram_problem,
    initial_coef,
    set_l1_fit_result,
    use_gram,
    warn_if_alpha_zero,
)
from ._support import gram_step, polish_due, support_step

#: ``norms_in`` of the kernels when no norms are known (they compute them)
_NO_NORMS = readonly(np.empty(0))

#: coordinate descent hands a sub-problem over to exact steps on its support
#: once it is still unsolved after this many epochs (and the updates spent on
#: it match the steps' cost; see enet_cd's ``stall_epochs``)
_STALL_EPOCHS = 20


def _with_support_steps(solve, step, w0, max_iter, stop_if_rejected, polish):
    """Run ``solve(w, max_iter, stall_epochs)`` (:func:`enet_cd` or
    :func:`enet_cd_gram`), and each time it returns on a stall, take the
    exact steps on the support (``step(w) -> (w, taken)``) and solve again
    from their result.

    A step that cannot lower the objective means the support is solved to
    rounding (or its Gram matrix is singular): with ``stop_if_rejected`` the
    solve ends there (the Gram solver, whose result is then certified on the
    data), otherwise the next stall must last twice as long.

    A converged solve ends with one more step when ``polish(k, n_epochs)``
    says it is cheap (:func:`~._support.polish_due`), and a solve from its
    result (which returns at once when the gap there is below the
    tolerance): the coefficients are then exact on their support, not only
    ``tol``-accurate, so that equivalent problems (sample weights, repeated
    rows) give the same coefficients to rounding, whatever path their
    iterations took. The epochs and histories of the runs are concatenated.
    """
    stall = _STALL_EPOCHS
    n_total = 0
    polished = False
    hist = ([], [], [])
    while True:
        w, gap, n_iter, conv, h_it, h_obj, h_gap, stalled = solve(
            w0, max_iter - n_total, stall
        )
        hist[0].append(h_it + n_total)
        hist[1].append(h_obj)
        hist[2].append(h_gap)
        n_total += n_iter
        if not stalled:
            if polished or not conv or not polish(np.count_nonzero(w), n_total):
                break
            polished = True
        elif n_total >= max_iter:
            break
        w_new, taken = step(kernel_float(w))
        if not taken:
            if not stalled or stop_if_rejected:
                break
            stall *= 2
        w0 = kernel_float(w_new)  # kernels are compiled for read-only inputs
    return (w, gap, n_total, conv, np.concatenate(hist[0]),
            np.concatenate(hist[1]), np.concatenate(hist[2]))


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
    gram=None,
    norms=None,
):
    """Call the working-set kernels; the one place that imports them.

    ``inner``: the sub-problem solver, 0 for coordinate descent
    (:func:`~skreg._kernels._linear.enet_cd`), 1 for FISTA and 2 for ISTA
    on the working set (:func:`~skreg._kernels._linear.enet_ws_prox`, always
    with working sets). Two kernels, so that each estimator's first fit
    compiles only its own inner solver.

    With ``gram = (Q, q, y2)`` (:func:`~._common.gram_problem`) coordinate
    descent first runs on the Gram matrix
    (:func:`~skreg._kernels._linear.enet_cd_gram`); its result is certified
    by the duality gap computed on the data
    (:func:`~skreg._kernels._linear.enet_gap_at`), and when rounding in the
    Gram identities left that gap above ``tol`` (or the Gram solver ran out
    of epochs), :func:`enet_cd` continues from it on the data.

    ``norms``: a dict shared by the calls of one path (same design, weights
    and means). The kernels' squared column norms are kept in it under
    ``"norms"`` and passed to every later kernel call instead of being
    computed again (a pass over X per alpha, and per restart after a
    support step).
    """
    from .._kernels._linear import enet_cd, enet_cd_gram, enet_gap_at, enet_ws_prox

    X2d, data, indices, indptr, sparse = kernel_design(X)
    dtype = y_c.dtype
    has_sw = sw is not None
    sw_k = kernel_float(sw if has_sw else np.empty(0))
    w0 = kernel_float(w0)
    a1 = float(alpha * l1_ratio)
    a2 = float(alpha * (1.0 - l1_ratio))
    seed = 0
    if selection == "random":
        seed = int(check_random_state(random_state).randint(0, 2**31 - 1))
    pre = None
    n, p = X.shape
    nnz = X.nnz if sparse else n * p
    if gram is not None and inner == 0 and a1 > 0:
        Q, q, y2 = gram
        n_w = float(X.shape[0]) if sw is None else float(np.sum(sw))
        Q, q = kernel_float(Q), kernel_float(q)
        pre = _with_support_steps(
            lambda w, m, stall: enet_cd_gram(
                Q, q, float(y2), n_w, a1, a2, w, m, float(tol), bool(positive),
                selection == "random", seed, stall,
            ),
            lambda w: gram_step(Q, q, n_w, a1, a2, w),  # NumPy, LAPACK
            w0, int(max_iter), True,
            lambda k, n_epochs: polish_due(k, n_epochs, p * p, 0.0),
        )
        n_pre = pre[2]
        w0 = kernel_float(pre[0])
        max_iter = max_iter - n_pre
        gap, primal = enet_gap_at(
            X2d, data, indices, indptr, sparse, kernel_float(y_c), sw_k, has_sw,
            kernel_float(x_mean), a1, a2, w0, bool(positive),
        )
        if gap <= tol * y2 / n_w:  # certified on the data: done
            return (
                pre[0].astype(dtype, copy=False), gap, n_pre, True,
                np.append(pre[4], n_pre), np.append(pre[5], primal),
                np.append(pre[6], gap),
            )
    # the kernels' arguments before and after (w_init, max_iter)
    problem = (X2d, data, indices, indptr, sparse, kernel_float(y_c), sw_k, has_sw,
               kernel_float(x_mean), a1, a2)
    stop = (float(tol), bool(positive))
    if norms is None:
        norms = {}

    def known_norms():
        return norms.get("norms", _NO_NORMS)

    def keep_norms(out):  # read-only, as every kernel input: one compilation
        norms["norms"] = readonly(out[-1])
        return out[:-1]

    if inner != 0:
        if not use_ws or selection == "random":
            raise ValueError("the proximal inner solvers need cyclic working sets")
        w, *rest = keep_norms(enet_ws_prox(
            *problem, w0, int(max_iter), *stop, inner == 1, known_norms()
        ))
        return (w.astype(dtype, copy=False), *rest)

    def cd(w, m, stall):
        return keep_norms(enet_cd(
            *problem, w, m, *stop, selection == "random", seed, bool(use_ws), stall,
            known_norms(),
        ))

    w, *rest = _with_support_steps(
        cd,
        lambda w: support_step(X, y_c, sw, x_mean, a1, a2, w),  # NumPy, LAPACK
        w0, int(max_iter), False,
        lambda k, n_epochs: polish_due(k, n_epochs, nnz, k * k * nnz / p),
    )
    gap, n_iter, conv, h_it, h_obj, h_gap = rest
    if pre is not None:  # one history: the Gram epochs, then the certificate
        n_iter += n_pre
        h_it = np.concatenate([pre[4], h_it + n_pre])
        h_obj = np.concatenate([pre[5], h_obj])
        h_gap = np.concatenate([pre[6], h_gap])
    return w.astype(dtype, copy=False), gap, n_iter, conv, h_it, h_obj, h_gap


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
    precompute : "auto" or bool, default="auto"
        Run coordinate descent on the Gram matrix ``X_c^T S X_c`` (p x p,
        centred and weighted implicitly) instead of the data: an epoch then
        costs ``p^2`` operations instead of ``2 n p``. ``"auto"`` uses it when
        ``n_samples >= 4 * n_features`` and ``n_features <= 64`` (dense X)
        or ``<= 16`` (sparse X): tall data, such as one-hot designs. True
        whenever the penalty has an L1 term, False never. The result is
        certified on the data either way: the duality gap is computed from
        ``X`` and ``y`` at the Gram solution, and coordinate descent on the
        data continues from it if needed.
        scikit-learn's ``precompute`` also takes a Gram array; skreg always
        computes its own, centred and weighted as the solver needs it.

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
        "precompute": [StrOptions({"auto"}), "boolean"],
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
        precompute="auto",
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
        self.precompute = precompute

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
        gram = None
        if use_gram(self.precompute, X.shape[0], n_features, alpha, l1_ratio,
                    sp.issparse(X)):
            gram = gram_problem(X, y_c, sw, x_mean)
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
            gram=gram,
        )
        return set_l1_fit_result(self, result, x_mean, y_mean, y_c, sw)
