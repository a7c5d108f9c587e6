"""ProxLasso: the Lasso by proximal gradient (ISTA / FISTA)."""

from numbers import Integral, Real

import numpy as np

from .._base import (
    Interval,
    LinearRegressorBase,
    StrOptions,
    _fit_context,
    kernel_design,
    kernel_float,
)
from ._common import (
    initial_coef,
    max_eigenvalue,
    set_l1_fit_result,
    warn_if_alpha_zero,
)


class ProxLasso(LinearRegressorBase):
    r"""Lasso fitted by proximal gradient descent (FISTA with adaptive restart).

    Minimizes scikit-learn's :class:`~sklearn.linear_model.Lasso` objective

    .. math::

        \frac{1}{2 n} \|y - Xw - b\|_2^2 + \alpha \|w\|_1 ,

    with sample weights :math:`s_i` weighting the data term as
    :math:`\frac{1}{2 \sum_i s_i} \sum_i s_i (y_i - x_i^\top w - b)^2`.
    The intercept :math:`b` is not penalized.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength :math:`\alpha \ge 0`.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept; X is centred implicitly.
    max_iter : int, default=1000
        Maximum number of proximal-gradient iterations.
    tol : float, default=1e-4
        Stopping tolerance on the duality gap (scikit-learn's rule:
        ``gap <= tol * ||y - mean(y)||^2 / n``), evaluated every
        ``gap_freq`` iterations.
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    solver : {"fista", "ista"}, default="fista"
        FISTA (Beck and Teboulle) with O'Donoghue and Candès's
        gradient-based adaptive restart, or plain ISTA.
    step : {"lipschitz", "backtracking"}, default="lipschitz"
        Step rule with ``working_set=False``. ``"lipschitz"``: constant
        step :math:`1/L` with :math:`L` the largest eigenvalue of
        :math:`X_c^\top X_c / n` (exact for small problems, Lanczos
        otherwise). ``"backtracking"``: start from the largest column norm
        (a lower bound of :math:`L`) and double until the sufficient-decrease
        condition holds. With working sets the sub-problems have their own
        step rule (diagonal metric with backtracking), whatever ``step``.
    gap_freq : int, default=10
        Evaluate the duality gap every ``gap_freq`` iterations (only with
        ``working_set=False``).
    working_set : bool, default=True
        Solve a sequence of sub-problems restricted to the features that
        violate the optimality conditions most (the support is always kept),
        each by FISTA/ISTA in the diagonal metric of the column norms
        (coordinate :math:`j` steps by :math:`1/(L \lVert x_j\rVert^2/n)`,
        :math:`L` backtracked by the exact sufficient-decrease test), checking
        the full duality gap between sub-problems. Small working sets of
        tall problems iterate on the working set's Gram matrix
        (:math:`O(|ws|^2)` per iteration instead of :math:`O(n |ws|)`).
        ``False`` runs the textbook method on all features.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients, of the dtype of X.
    intercept_ : float
        Intercept.
    n_iter_ : int
        Number of proximal-gradient iterations run.
    dual_gap_ : float
        Duality gap at the solution, in units of the objective.
    lipschitz_ : float
        The Lipschitz constant :math:`L` used (after backtracking) with
        ``working_set=False``; NaN with working sets (each sub-problem has
        its own).
    objective_history_ : ndarray
        Objective at each duality-gap evaluation.
    gap_history_ : ndarray
        Duality gap at each evaluation.
    iter_history_ : ndarray of int
        Iteration count at each evaluation.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    ElasticNetCD : Coordinate descent, also the Lasso with ``l1_ratio=1``.
    sklearn.linear_model.Lasso : The scikit-learn counterpart.

    Notes
    -----
    One iteration is :math:`w^{k+1} = \mathrm{prox}_{\alpha/L \|\cdot\|_1}
    (z^k - \nabla f(z^k) / L)` (soft-thresholding) followed by the FISTA
    extrapolation :math:`z^{k+1} = w^{k+1} + \frac{t_k - 1}{t_{k+1}}
    (w^{k+1} - w^k)`, restarted (:math:`t = 1`) whenever
    :math:`\langle z^k - w^{k+1}, w^{k+1} - w^k \rangle > 0`. Stopping uses
    the same duality gap as :class:`ElasticNetCD`.

    References
    ----------
    .. [1] A. Beck, M. Teboulle, "A fast iterative shrinkage-thresholding
       algorithm for linear inverse problems", SIAM J. Imaging Sci. 2009.
    .. [2] B. O'Donoghue, E. Candès, "Adaptive restart for accelerated
       gradient schemes", Found. Comput. Math. 2015.

    Examples
    --------
    >>> from skreg import ProxLasso
    >>> X = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]
    >>> y = [0.0, 1.0, 2.0]
    >>> model = ProxLasso(alpha=0.1, tol=1e-10).fit(X, y)
    >>> model.coef_.sum().round(6)
    np.float64(0.85)
    >>> round(model.intercept_, 6)
    0.15
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "solver": [StrOptions({"fista", "ista"})],
        "step": [StrOptions({"lipschitz", "backtracking"})],
        "gap_freq": [Interval(Integral, 1, None, closed="left")],
        "working_set": ["boolean"],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
        solver="fista",
        step="lipschitz",
        gap_freq=10,
        working_set=True,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.solver = solver
        self.step = step
        self.gap_freq = gap_freq
        self.working_set = working_set

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model by proximal gradient.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Non-negative sample weights, not all zero.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        from .._kernels._linear import prox_grad

        X, y, sw = self._validate_fit_data(X, y, sample_weight)
        warn_if_alpha_zero(self.alpha)
        x_mean, y_mean, y_c = self._center(X, y, sw, self.fit_intercept)
        n_samples, n_features = X.shape
        n_w = float(n_samples if sw is None else sw.sum())
        w0 = initial_coef(self, n_features, X.dtype)
        if self.working_set:
            from ._coordinate_descent import _solve_enet

            # every sub-problem backtracks its step in the diagonal metric of
            # the column norms (a power-iteration estimate of L_ws cost 40 passes
            # over the working set per sub-problem and gave shorter steps)
            inner = 1 if self.solver == "fista" else 2
            result = _solve_enet(
                X,
                y_c,
                sw,
                x_mean,
                self.alpha,
                1.0,
                w0,
                self.max_iter,
                self.tol,
                self.positive,
                "cyclic",
                None,
                use_ws=True,
                inner=inner,
            )
            self.lipschitz_ = np.nan
            return set_l1_fit_result(self, result, x_mean, y_mean, y_c, sw)
        if self.step == "lipschitz":
            L = max_eigenvalue(X, x_mean, sw) / n_w * (1.0 + 1e-6)
        else:  # lower bound of L: the largest centred column norm
            L = _max_col_norm(X, x_mean, sw) / n_w
        if not L > 0:
            L = 1.0  # X_c == 0: every step leaves w at 0
        X2d, data, indices, indptr, sparse = kernel_design(X)
        has_sw = sw is not None
        out = prox_grad(
            X2d,
            data,
            indices,
            indptr,
            sparse,
            kernel_float(y_c),
            kernel_float(sw if has_sw else np.empty(0)),
            has_sw,
            kernel_float(x_mean),
            float(self.alpha),
            0.0,
            kernel_float(w0),
            int(self.max_iter),
            float(self.tol),
            bool(self.positive),
            self.solver == "fista",
            float(L),
            self.step == "backtracking",
            int(self.gap_freq),
        )
        self.lipschitz_ = float(out[-1])
        out = (out[0].astype(X.dtype, copy=False), *out[1:-1])
        return set_l1_fit_result(self, out, x_mean, y_mean, y_c, sw)


def _max_col_norm(X, x_mean, sw):
    """max_j sum_i sw_i (X_ij - m_j)^2 (a lower bound of lambda_max)."""
    import scipy.sparse as sp

    n = X.shape[0]
    w = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    if sp.issparse(X):
        sq = np.asarray(X.multiply(X).T @ w).ravel()
        lin = np.asarray(X.T @ w).ravel()
        norms = sq - 2 * x_mean * lin + x_mean**2 * w.sum()
    else:
        norms = w @ (np.asarray(X, dtype=np.float64) - x_mean) ** 2
    return float(np.max(norms, initial=0.0))
