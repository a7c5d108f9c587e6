"""Cross-validated estimators: ElasticNetCDCV, ProxLassoCV and RidgeGDCV."""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed

from .._base import (
    Interval,
    LinearRegressorBase,
    StrOptions,
    _fit_context,
)
from ._coordinate_descent import ElasticNetCD
from ._path import (
    _alpha_grid,
    _as_design,
    _centered_xy,
    _check_alphas_array,
    _path_solve,
    enet_path,
    lasso_path,
)
from ._proximal import ProxLasso
from ._ridge import RidgeGD

__all__ = ["ElasticNetCDCV", "ProxLassoCV", "RidgeGDCV"]


def _fold_data(X, y, sw, train, test):
    """Training and test parts of one fold (new arrays; X in the kernel layout)."""
    X_train = _as_design(X[train])
    X_test = X[test]
    sw_train = None if sw is None else sw[train]
    sw_test = None if sw is None else sw[test]
    for part, name in ((sw_train, "training"), (sw_test, "test")):
        if part is not None and not part.sum() > 0:
            raise ValueError(
                f"The sample weights of a cross-validation {name} fold sum to "
                "zero; use folds in which some samples have a positive weight."
            )
    return X_train, y[train], sw_train, X_test, y[test], sw_test


def _weighted_mse(residues, sw_test):
    """Mean squared error per column (weighted by ``sw_test`` when given)."""
    return np.average(residues**2, weights=sw_test, axis=0)


def _enet_fold_mse(X, y, sw, train, test, fit_intercept, alphas, l1_ratio,
                   solver_params):
    """Validation MSE along the path of one (fold, l1_ratio): shape (n_alphas,)."""
    X_tr, y_tr, sw_tr, X_te, y_te, sw_te = _fold_data(X, y, sw, train, test)
    x_mean, y_mean, y_c = LinearRegressorBase._center(X_tr, y_tr, sw_tr, fit_intercept)
    coefs, _, _ = _path_solve(
        X_tr, y_c, sw_tr, x_mean, alphas, l1_ratio,
        np.zeros(X.shape[1], dtype=X.dtype), **solver_params,
    )
    coefs = coefs.astype(np.float64)
    intercepts = y_mean - np.asarray(x_mean, dtype=np.float64) @ coefs
    residues = np.asarray(X_te @ coefs) + intercepts - y_te[:, None]
    return _weighted_mse(residues, sw_te)


class _EnetPathCV(LinearRegressorBase):
    """Shared fit of ElasticNetCDCV and ProxLassoCV (sklearn's LinearModelCV)."""

    _parameter_constraints = {
        "eps": [Interval(Real, 0, None, closed="neither")],
        "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "cv": ["cv_object"],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
    }

    def _l1_ratios(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def _refit_estimator(self, alpha, l1_ratio):  # pragma: no cover - overridden
        raise NotImplementedError

    def _grids(self, X, y, sw, l1_ratios):
        """One decreasing alpha grid per l1_ratio, shape (n_l1_ratio, n_alphas)."""
        if isinstance(self.alphas, Integral):
            x_mean, _, y_c = self._center(X, y, sw, self.fit_intercept)
            Xy = _centered_xy(X, y_c, sw, x_mean)
            n_w = float(X.shape[0] if sw is None else sw.sum())
            return np.array([
                _alpha_grid(Xy, n_w, l1, self.positive, self.eps, self.alphas)
                for l1 in l1_ratios
            ])
        grid = _check_alphas_array(self.alphas)
        return np.tile(grid, (len(l1_ratios), 1))

    def _fit_path_cv(self, X, y, sample_weight):
        X, y, sw = self._validate_fit_data(X, y, sample_weight)
        l1_ratios = self._l1_ratios()
        alphas = self._grids(X, y, sw, l1_ratios)
        folds = list(check_cv(self.cv).split(X, y))
        rng = check_random_state(self.random_state)
        solver_params = dict(
            max_iter=self.max_iter, tol=self.tol, positive=self.positive,
            selection=self.selection,
        )
        # one seed per job: reproducible whatever the scheduling of threads
        seeds = rng.randint(0, 2**31 - 1, size=len(l1_ratios) * len(folds))
        tasks = [(l1, a) for l1, a in zip(l1_ratios, alphas, strict=True)
                 for _ in folds]
        fold_list = [f for _ in l1_ratios for f in folds]
        jobs = (
            delayed(_enet_fold_mse)(
                X, y, sw, train, test, self.fit_intercept, this_alphas, float(l1),
                dict(solver_params, rng=np.random.RandomState(seed),
                     name=type(self).__name__),
            )
            for (l1, this_alphas), (train, test), seed in zip(
                tasks, fold_list, seeds, strict=True
            )
        )
        mse_paths = Parallel(
            n_jobs=self.n_jobs, verbose=self.verbose, prefer="threads"
        )(jobs)
        mse_paths = np.reshape(mse_paths, (len(l1_ratios), len(folds), -1))
        mean_mse = mse_paths.mean(axis=1)
        self.mse_path_ = np.squeeze(np.moveaxis(mse_paths, 2, 1))

        best_mse, best = np.inf, (0, 0)
        for k, mse_alphas in enumerate(mean_mse):
            i = int(np.argmin(mse_alphas))
            if mse_alphas[i] < best_mse:
                best_mse, best = mse_alphas[i], (k, i)
        k, i_best = best
        self.alpha_ = float(alphas[k, i_best])
        self.l1_ratio_ = float(l1_ratios[k])
        if isinstance(self.alphas, Integral):
            self.alphas_ = alphas[0] if len(l1_ratios) == 1 else alphas
        else:
            self.alphas_ = alphas[0]

        # Refit on all the data: follow the full-data path down to the alpha
        # just above alpha_ (warm starts), then fit the final estimator at
        # alpha_ warm-started from there -- the last step of the path.
        w0 = np.zeros(X.shape[1], dtype=X.dtype)
        if i_best > 0:
            x_mean, _, y_c = self._center(X, y, sw, self.fit_intercept)
            coefs, _, _ = _path_solve(
                X, y_c, sw, x_mean, alphas[k, :i_best], self.l1_ratio_, w0,
                rng=rng, name=type(self).__name__, **solver_params,
            )
            w0 = coefs[:, -1].copy()
        model = self._refit_estimator(self.alpha_, self.l1_ratio_)
        model.coef_ = w0  # warm start (model.warm_start is True)
        model.fit(X, y, sample_weight=sw)
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.dual_gap_ = model.dual_gap_
        self.n_iter_ = model.n_iter_
        return self


_CV_FIT_DOC = """Fit the model along the alpha grid on each fold, then refit.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (never modified).
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Sample weights, used to fit each fold and to weight the squared
            errors of its test samples. The cross-validated error is the
            unweighted mean over folds of these weighted test errors (as in
            scikit-learn).

        Returns
        -------
        self : object
            Fitted estimator.
        """


class ElasticNetCDCV(_EnetPathCV):
    r"""Elastic net with alpha and l1_ratio chosen by cross-validation.

    scikit-learn's :class:`~sklearn.linear_model.ElasticNetCV` with skreg's
    coordinate-descent kernel: on each fold, the path of :func:`enet_path`
    over the alpha grid (warm starts from one alpha to the next) gives the
    validation error of every alpha; the pair ``(alpha, l1_ratio)`` with the
    lowest mean error over folds is refitted on all the data with
    :class:`ElasticNetCD`. The objective is

    .. math::

        \frac{1}{2 n} \|y - Xw - b\|_2^2 + \alpha \rho \|w\|_1
        + \frac{\alpha (1 - \rho)}{2} \|w\|_2^2 .

    Parameters
    ----------
    l1_ratio : float or array-like of float, default=0.5
        Mixing parameter(s) :math:`\rho \in [0, 1]` to try. A list such as
        ``[.1, .5, .7, .9, .95, .99, 1]`` is searched jointly with alpha. An
        automatic grid needs ``l1_ratio > 0``.
    eps : float, default=1e-3
        Length of the path: ``alpha_min / alpha_max = eps``.
    alphas : int or array-like, default=100
        An int: the number of alphas of the automatic geometric grid (one
        grid per ``l1_ratio``, from its ``alpha_max`` computed on all the
        data, centred and weighted like the fit). An array: the alphas to try.
    fit_intercept : bool, default=True
        Whether to fit an intercept (implicit centring, per fold).
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha.
    tol : float, default=1e-4
        Duality-gap tolerance (scikit-learn's rule).
    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy, through :func:`sklearn.model_selection.check_cv`:
        None for 5-fold, an int for that many (unshuffled) folds, a splitter,
        or an iterable of ``(train, test)`` index arrays.
    verbose : bool or int, default=False
        Verbosity of the joblib parallel loop.
    n_jobs : int, default=None
        Number of threads computing the (fold, l1_ratio) paths in parallel
        (the kernel releases the GIL). None means 1 unless in a joblib
        context.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate sampler when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit coordinates in order, or at random.

    Attributes
    ----------
    alpha_ : float
        Chosen regularization strength.
    l1_ratio_ : float
        Chosen mixing parameter.
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The grid(s) tried, decreasing.
    mse_path_ : ndarray of shape (n_l1_ratio, n_alphas, n_folds)
        Validation mean squared error of each fold (dimensions of size one
        squeezed, as in scikit-learn).
    coef_ : ndarray of shape (n_features,)
        Coefficients of the final model.
    intercept_ : float
        Intercept of the final model.
    dual_gap_ : float
        Duality gap of the final model.
    n_iter_ : int
        Epochs run by the final fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    enet_path : The elastic-net path.
    ElasticNetCD : The estimator refitted at the chosen parameters.
    ProxLassoCV : The Lasso with a cross-validated alpha.
    sklearn.linear_model.ElasticNetCV : The scikit-learn counterpart.

    Notes
    -----
    The folds are those of scikit-learn for the same ``cv``, so the chosen
    ``alpha_`` and ``mse_path_`` can be compared with
    :class:`~sklearn.linear_model.ElasticNetCV` directly. Unlike
    scikit-learn, which refits cold at ``alpha_``, the final model follows
    the full-data path down to the grid point above ``alpha_`` and fits
    :class:`ElasticNetCD` at ``alpha_`` warm-started from there.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg import ElasticNetCDCV
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(60, 5)
    >>> y = X @ np.array([2.0, -1.0, 0.0, 0.0, 0.5]) + 0.1 * rng.randn(60)
    >>> model = ElasticNetCDCV(l1_ratio=[0.5, 1.0], alphas=30, cv=3).fit(X, y)
    >>> model.l1_ratio_, model.mse_path_.shape
    (1.0, (2, 30, 3))
    >>> model.coef_.round(1)
    array([ 2. , -1. ,  0. ,  0. ,  0.5])
    """

    _parameter_constraints = {
        **_EnetPathCV._parameter_constraints,
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), "array-like"],
    }

    path = staticmethod(enet_path)

    def __init__(
        self,
        *,
        l1_ratio=0.5,
        eps=1e-3,
        alphas=100,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        cv=None,
        verbose=0,
        n_jobs=None,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratios(self):
        l1 = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if l1.ndim != 1 or l1.size == 0 or np.any(~(l1 >= 0)) or np.any(l1 > 1):
            raise ValueError(
                "l1_ratio must be a float or a non-empty list of floats in "
                f"[0, 1], got {self.l1_ratio!r}."
            )
        return l1

    def _refit_estimator(self, alpha, l1_ratio):
        return ElasticNetCD(
            alpha=alpha, l1_ratio=l1_ratio, fit_intercept=self.fit_intercept,
            max_iter=self.max_iter, tol=self.tol, warm_start=True,
            positive=self.positive, random_state=self.random_state,
            selection=self.selection,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        return self._fit_path_cv(X, y, sample_weight)

    fit.__doc__ = _CV_FIT_DOC


class ProxLassoCV(_EnetPathCV):
    r"""Lasso with alpha chosen by cross-validation, refitted by FISTA.

    scikit-learn's :class:`~sklearn.linear_model.LassoCV`: the validation
    error of every alpha of the grid is computed on each fold from a Lasso
    path; the alpha with the lowest mean error is refitted on all the data
    with :class:`ProxLasso`. Objective:

    .. math::

        \frac{1}{2 n} \|y - Xw - b\|_2^2 + \alpha \|w\|_1 .

    **Which solver does what.** The per-fold paths and the full-data path
    leading to ``alpha_`` are computed by coordinate descent
    (:func:`lasso_path`, much faster than proximal gradient along a path);
    only the final fit at ``alpha_`` uses :class:`ProxLasso`, warm-started
    from the path solution at the grid point above ``alpha_``. Both solve the
    same problem to the same duality-gap tolerance.

    Parameters
    ----------
    eps : float, default=1e-3
        Length of the path: ``alpha_min / alpha_max = eps``.
    alphas : int or array-like, default=100
        Number of alphas of the automatic grid, or the alphas to try.
    fit_intercept : bool, default=True
        Whether to fit an intercept (implicit centring).
    max_iter : int, default=1000
        Maximum number of epochs per alpha on the path, and of FISTA
        iterations of the final fit.
    tol : float, default=1e-4
        Duality-gap tolerance (scikit-learn's rule), for the path and the
        final fit.
    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy (:func:`sklearn.model_selection.check_cv`).
    verbose : bool or int, default=False
        Verbosity of the joblib parallel loop.
    n_jobs : int, default=None
        Number of threads computing the fold paths in parallel.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the path's coordinate sampler when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Coordinate order of the path's coordinate descent.
    solver : {"fista", "ista"}, default="fista"
        Solver of the final :class:`ProxLasso` fit.
    step : {"lipschitz", "backtracking"}, default="lipschitz"
        Step rule of the final :class:`ProxLasso` fit.

    Attributes
    ----------
    alpha_ : float
        Chosen regularization strength.
    alphas_ : ndarray of shape (n_alphas,)
        The grid tried, decreasing.
    mse_path_ : ndarray of shape (n_alphas, n_folds)
        Validation mean squared error of each fold.
    coef_ : ndarray of shape (n_features,)
        Coefficients of the final model.
    intercept_ : float
        Intercept of the final model.
    dual_gap_ : float
        Duality gap of the final model.
    n_iter_ : int
        FISTA iterations of the final fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    lasso_path : The Lasso path.
    ProxLasso : The estimator refitted at ``alpha_``.
    ElasticNetCDCV : Also searches over ``l1_ratio``.
    sklearn.linear_model.LassoCV : The scikit-learn counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg import ProxLassoCV
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(60, 5)
    >>> y = X @ np.array([2.0, -1.0, 0.0, 0.0, 0.5]) + 0.1 * rng.randn(60)
    >>> model = ProxLassoCV(alphas=30, cv=3).fit(X, y)
    >>> model.mse_path_.shape
    (30, 3)
    >>> model.coef_.round(1)
    array([ 2. , -1. ,  0. ,  0. ,  0.5])
    """

    _parameter_constraints = {
        **_EnetPathCV._parameter_constraints,
        "solver": [StrOptions({"fista", "ista"})],
        "step": [StrOptions({"lipschitz", "backtracking"})],
    }

    path = staticmethod(lasso_path)

    def __init__(
        self,
        *,
        eps=1e-3,
        alphas=100,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        cv=None,
        verbose=False,
        n_jobs=None,
        positive=False,
        random_state=None,
        selection="cyclic",
        solver="fista",
        step="lipschitz",
    ):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.solver = solver
        self.step = step

    def _l1_ratios(self):
        return np.ones(1)

    def _refit_estimator(self, alpha, l1_ratio):
        return ProxLasso(
            alpha=alpha, fit_intercept=self.fit_intercept, max_iter=self.max_iter,
            tol=self.tol, warm_start=True, positive=self.positive,
            solver=self.solver, step=self.step,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        self._fit_path_cv(X, y, sample_weight)
        del self.l1_ratio_  # as LassoCV: the Lasso has no l1_ratio
        return self

    fit.__doc__ = _CV_FIT_DOC


# ---------------------------------------------------------------------------
# RidgeGDCV
# ---------------------------------------------------------------------------


def _ridge_loo_errors(X, Y, sw, alphas, fit_intercept):
    """Exact leave-one-out squared errors of ridge for every alpha.

    With ``X_w = S^{1/2} X_c`` (weighted centring) and its thin SVD
    ``U diag(s) V^T``, the hat matrix of ridge with an unpenalized intercept
    is ``H = q q^T / sum(sw) + U diag(s^2 / (s^2 + alpha)) U^T`` with
    ``q = sqrt(sw)``; the leave-one-out residual of sample i is
    ``e_i / (1 - H_ii)``, ``e = S^{1/2} (y - y_hat)``. Returns an array of
    shape (n_alphas, n_samples): the squared leave-one-out errors (weighted
    by ``sw_i``, averaged over targets), scikit-learn's ``RidgeCV`` criterion.
    """
    n = X.shape[0]
    w = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    q = np.sqrt(w)
    Xd = X.toarray() if sp.issparse(X) else np.asarray(X)
    Xd = np.asarray(Xd, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if fit_intercept:
        Xd = Xd - (w @ Xd) / w.sum()
        Y = Y - (w @ Y) / w.sum()
    Xw = Xd * q[:, None]
    Yw = Y * q[:, None]
    U, s, _ = np.linalg.svd(Xw, full_matrices=False)
    UtY = U.T @ Yw
    h0 = q**2 / w.sum() if fit_intercept else np.zeros(n)
    out = np.empty((len(alphas), n))
    for k, alpha in enumerate(alphas):
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(s > 0, s**2 / (s**2 + alpha), 0.0)
        fitted = U @ (f[:, None] * UtY)
        h = h0 + (U**2) @ f
        resid = (Yw - fitted) / np.maximum(1.0 - h, 1e-12)[:, None]
        out[k] = (resid**2).mean(axis=1)
    return out


def _ridge_fold_mse(X, Y, sw, train, test, alphas, ridge_params):
    """Validation MSE of one fold for every alpha (decreasing), warm-started."""
    X_tr, Y_tr, sw_tr, X_te, Y_te, sw_te = _fold_data(X, Y, sw, train, test)
    model = RidgeGD(warm_start=True, **ridge_params)
    out = np.empty(len(alphas))
    for k, alpha in enumerate(alphas):
        model.set_params(alpha=float(alpha)).fit(X_tr, Y_tr, sample_weight=sw_tr)
        resid = (np.asarray(model.predict(X_te), dtype=np.float64)
                 - Y_te).reshape(Y_te.shape[0], -1)
        out[k] = _weighted_mse(resid, sw_te).mean()
    return out


class RidgeGDCV(LinearRegressorBase):
    r"""Ridge regression with alpha chosen by cross-validation.

    Minimizes scikit-learn's :class:`~sklearn.linear_model.Ridge` objective
    :math:`\|y - Xw - b\|_2^2 + \alpha \|w\|_2^2` (weighted data term with
    sample weights) at the alpha of lowest validation error, refitted on all
    the data by :class:`RidgeGD`.

    Two ways to validate:

    * ``cv=None`` (default): **exact leave-one-out** for every alpha at the
      cost of one SVD of the (centred, weighted) design, as
      :class:`~sklearn.linear_model.RidgeCV`'s default; the criterion is the
      mean squared leave-one-out error (weighted by ``sample_weight``). The
      design is densified: for large sparse data use K folds.
    * ``cv`` an int, splitter or iterable: K-fold validation, each fold
      solved by :class:`RidgeGD` along the grid from the largest alpha down,
      warm-started from one alpha to the next; the folds run in parallel
      threads (``n_jobs``).

    Parameters
    ----------
    alphas : array-like of float, default=(0.1, 1.0, 10.0)
        Strictly positive regularization strengths to try.
    fit_intercept : bool, default=True
        Whether to fit an unpenalized intercept.
    cv : int, cross-validation generator, iterable or None, default=None
        None: efficient leave-one-out. Otherwise the splitting strategy of
        :func:`sklearn.model_selection.check_cv`.
    max_iter : int or None, default=None
        Maximum number of gradient iterations of every :class:`RidgeGD` fit
        (None means 10000).
    tol : float, default=1e-4
        Relative gradient-norm tolerance of every :class:`RidgeGD` fit.
    solver : {"gd", "momentum", "nesterov"}, default="nesterov"
        Gradient method of :class:`RidgeGD`.
    n_jobs : int, default=None
        Number of threads for the K folds (unused with leave-one-out).

    Attributes
    ----------
    alpha_ : float
        Chosen regularization strength.
    alphas_ : ndarray of shape (n_alphas,)
        The grid tried, in decreasing order.
    mse_path_ : ndarray of shape (n_alphas, n_folds)
        Validation mean squared error per alpha and fold; with leave-one-out
        every sample is a fold (shape (n_alphas, n_samples)).
    best_score_ : float
        Negative mean validation MSE at ``alpha_`` (scikit-learn's sign).
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients of the final model.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept of the final model.
    n_iter_ : int
        Gradient iterations of the final fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    RidgeGD : The estimator refitted at ``alpha_``.
    sklearn.linear_model.RidgeCV : The scikit-learn counterpart.

    Notes
    -----
    The SVD serves only the leave-one-out criterion: the final model is
    always fitted by :class:`RidgeGD` (from zero), so ``coef_`` carries the
    accuracy of ``tol``.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg import RidgeGDCV
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(40, 3)
    >>> y = X @ np.array([1.0, 2.0, 0.0]) + 0.5 * rng.randn(40)
    >>> model = RidgeGDCV(alphas=[0.1, 1.0, 10.0, 100.0]).fit(X, y)
    >>> model.alpha_
    0.1
    >>> model.coef_.round(2)
    array([1.  , 1.88, 0.08])
    >>> model.mse_path_.shape  # leave-one-out: one column per sample
    (4, 40)
    """

    _multi_output = True

    _parameter_constraints = {
        "alphas": ["array-like", Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "cv": ["cv_object"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions({"gd", "momentum", "nesterov"})],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        alphas=(0.1, 1.0, 10.0),
        *,
        fit_intercept=True,
        cv=None,
        max_iter=None,
        tol=1e-4,
        solver="nesterov",
        n_jobs=None,
    ):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Choose alpha by cross-validation and refit with RidgeGD.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (never modified).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Sample weights: used in every fit and to weight the validation
            errors.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, y, sw = self._validate_fit_data(X, y, sample_weight)
        alphas = _check_alphas_array(np.atleast_1d(self.alphas))
        if np.any(alphas <= 0):
            raise ValueError(
                f"alphas must be strictly positive, got {alphas.tolist()!r}."
            )
        ridge_params = dict(
            fit_intercept=self.fit_intercept, max_iter=self.max_iter,
            tol=self.tol, solver=self.solver,
        )
        Y = y.reshape(y.shape[0], -1)
        if self.cv is None:
            self.mse_path_ = _ridge_loo_errors(X, Y, sw, alphas, self.fit_intercept)
        else:
            folds = list(check_cv(self.cv).split(X, y))
            mse = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(_ridge_fold_mse)(X, y, sw, train, test, alphas, ridge_params)
                for train, test in folds
            )
            self.mse_path_ = np.column_stack(mse)
        mean = self.mse_path_.mean(axis=1)
        i_best = int(np.argmin(mean))
        self.alpha_ = float(alphas[i_best])
        self.alphas_ = alphas
        self.best_score_ = -float(mean[i_best])
        model = RidgeGD(alpha=self.alpha_, **ridge_params).fit(
            X, y, sample_weight=sw
        )
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.n_iter_ = model.n_iter_
        return self
