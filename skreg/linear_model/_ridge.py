"""RidgeGD: ridge regression by (accelerated) gradient descent."""

from numbers import Integral, Real

import numpy as np

from .._base import (
    Interval,
    LinearRegressorBase,
    StrOptions,
    _fit_context,
    kernel_design,
    kernel_float,
    warn_not_converged,
)
from ._common import max_eigenvalue

_METHODS = {"gd": 0, "momentum": 1, "nesterov": 2}


class RidgeGD(LinearRegressorBase):
    r"""Ridge regression fitted by gradient descent.

    Minimizes scikit-learn's :class:`~sklearn.linear_model.Ridge` objective

    .. math::

        \|y - Xw - b\|_2^2 + \alpha \|w\|_2^2 ,

    with sample weights :math:`s_i` giving the data term
    :math:`\sum_i s_i (y_i - x_i^\top w - b)^2` (not normalized, as in
    scikit-learn). The intercept is not penalized. Several targets are fitted
    jointly (``y`` of shape ``(n_samples, n_targets)``).

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength :math:`\alpha \ge 0`.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept; X is centred implicitly.
    max_iter : int or None, default=None
        Maximum number of gradient iterations; None means 10000.
    tol : float, default=1e-4
        Stop at the first point whose gradient norm is at most ``tol`` times
        the gradient norm at :math:`w = 0`.
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting.
    solver : {"gd", "momentum", "nesterov"}, default="nesterov"
        Plain gradient descent with step :math:`1/L`; Polyak's heavy ball
        with the optimal step :math:`4/(\sqrt{L}+\sqrt{\mu})^2` and momentum
        :math:`((\sqrt{L}-\sqrt{\mu})/(\sqrt{L}+\sqrt{\mu}))^2`; or
        Nesterov's accelerated gradient with momentum
        :math:`(\sqrt{L}-\sqrt{\mu})/(\sqrt{L}+\sqrt{\mu})` and adaptive
        restart. :math:`L = 2(\lambda_{\max}(X_c^\top S X_c) + \alpha)` and
        :math:`\mu = 2\alpha` (a lower bound of the strong convexity).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept.
    n_iter_ : int
        Number of gradient iterations run.
    grad_norm_ : float
        Gradient norm at the returned coefficients.
    lipschitz_ : float
        The Lipschitz constant :math:`L` of the gradient.
    objective_history_ : ndarray
        Objective at every iteration.
    grad_norm_history_ : ndarray
        Gradient norm at every iteration.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    ElasticNetCD : Elastic net (``l1_ratio=0`` is a ridge with sklearn's
        ``ElasticNet`` scaling).
    sklearn.linear_model.Ridge : The scikit-learn counterpart.

    Notes
    -----
    The iterations and the gradient are computed on the implicitly centred
    data; X is never copied. ``alpha=0`` is ordinary least squares with
    FISTA's momentum sequence.

    References
    ----------
    .. [1] Y. Nesterov, "Introductory Lectures on Convex Optimization",
       Springer 2004, section 2.2.
    .. [2] B. T. Polyak, "Some methods of speeding up the convergence of
       iteration methods", USSR Comput. Math. Math. Phys. 1964.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg import RidgeGD
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array([1.0, 3.0, 5.0, 7.0])
    >>> model = RidgeGD(alpha=1.0, tol=1e-12).fit(X, y)
    >>> model.coef_.round(6)  # 2 * 5 / (5 + 1)
    array([1.666667])
    >>> round(model.intercept_, 6)
    1.5
    """

    _multi_output = True

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "solver": [StrOptions(set(_METHODS))],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        max_iter=None,
        tol=1e-4,
        warm_start=False,
        solver="nesterov",
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.solver = solver

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model by gradient descent.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Non-negative sample weights, not all zero.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        from .._kernels._linear import ridge_gd

        X, y, sw = self._validate_fit_data(X, y, sample_weight)
        x_mean, y_mean, y_c = self._center(X, y, sw, self.fit_intercept)
        Y = y_c.reshape(y_c.shape[0], -1)
        n_features, n_targets = X.shape[1], Y.shape[1]
        max_iter = 10_000 if self.max_iter is None else self.max_iter
        lam = max_eigenvalue(X, x_mean, sw)
        L = 2.0 * (lam * (1.0 + 1e-6) + self.alpha)
        if not L > 0:
            L = 1.0
        mu = 2.0 * self.alpha
        W0 = np.zeros((n_features, n_targets), dtype=X.dtype)
        if self.warm_start and hasattr(self, "coef_"):
            prev = np.asarray(self.coef_).reshape(-1, n_features).T
            if prev.shape == W0.shape:
                W0 = prev.astype(X.dtype)
        X2d, data, indices, indptr, sparse = kernel_design(X)
        has_sw = sw is not None
        W, gnorm, target, n_iter, conv, h_it, h_obj, h_g = ridge_gd(
            X2d,
            data,
            indices,
            indptr,
            sparse,
            kernel_float(Y),
            kernel_float(sw if has_sw else np.empty(0)),
            has_sw,
            kernel_float(x_mean),
            float(self.alpha),
            kernel_float(W0),
            int(max_iter),
            float(self.tol),
            _METHODS[self.solver],
            float(L),
            float(mu),
        )
        W = W.astype(X.dtype, copy=False)
        self.coef_ = W[:, 0].copy() if y.ndim == 1 else np.ascontiguousarray(W.T)
        self.n_iter_ = int(n_iter)
        self.grad_norm_ = float(gnorm)
        self.lipschitz_ = float(L)
        self.objective_history_ = h_obj
        self.grad_norm_history_ = h_g
        self._set_intercept(x_mean, y_mean, self.fit_intercept)
        if not conv:
            warn_not_converged("RidgeGD", "the gradient norm", gnorm, target, n_iter)
        return self
