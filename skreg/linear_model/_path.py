"""Regularization paths of the elastic net and the Lasso (coordinate descent).

``enet_path`` and ``lasso_path`` follow the signatures and return values of
:func:`sklearn.linear_model.enet_path` and :func:`sklearn.linear_model.lasso_path`
(scikit-learn 1.9). The solver is skreg's coordinate-descent kernel (called
through :func:`skreg.linear_model._coordinate_descent._solve_enet`), warm
started from one alpha to the next.
"""

import sys
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_array, check_consistent_length, check_random_state

from .._base import check_sparse_structure, validate_sample_weight
from ._common import gram_problem, use_gram
from ._coordinate_descent import _solve_enet

__all__ = ["enet_path", "lasso_path"]

#: alpha_max below this means X_c^T S y_c == 0: the zero vector solves every
#: problem of the path (scikit-learn returns a constant grid of this value).
_RESOLUTION = np.finfo(np.float64).resolution


# ---------------------------------------------------------------------------
# helpers shared with the cross-validated estimators (skreg/linear_model/_cv.py)
# ---------------------------------------------------------------------------


def _as_design(X):
    """The kernel's layout of an already validated X: Fortran dense or canonical CSC."""
    if sp.issparse(X):
        return check_sparse_structure(X.tocsc())
    return np.asfortranarray(X)


def _centered_xy(X, y_c, sw, x_mean):
    """``X_c^T S y_c`` in float64, with ``X_c = X - 1 x_mean^T``, never formed."""
    yw = np.asarray(y_c, dtype=np.float64)
    if sw is not None:
        yw = yw * sw
    Xy = np.asarray(X.T @ yw, dtype=np.float64).ravel()
    return Xy - np.asarray(x_mean, dtype=np.float64) * yw.sum()


def _alpha_max(Xy, n_w, l1_ratio, positive):
    r"""Smallest alpha whose elastic-net solution is exactly zero.

    The zero vector is optimal iff :math:`|x_j^\top S y_c| / n_w \le \alpha\rho`
    for every feature (``x_j^T S y_c / n_w <= alpha rho`` with
    ``positive=True``), hence ``alpha_max = max_j |X_c^T S y_c|_j / (n_w rho)``.
    """
    if positive:
        top = max(0.0, float(np.max(Xy, initial=0.0)))
    else:
        top = float(np.max(np.abs(Xy), initial=0.0))
    return top / (n_w * l1_ratio)


def _alpha_grid(Xy, n_w, l1_ratio, positive, eps, n_alphas):
    """Geometric grid from alpha_max down to ``eps * alpha_max`` (decreasing)."""
    if l1_ratio == 0:
        raise ValueError(
            "Automatic alpha grid generation is not supported for l1_ratio=0. "
            "Please supply a grid by providing your estimator with the "
            "appropriate `alphas=` argument."
        )
    alpha_max = _alpha_max(Xy, n_w, l1_ratio, positive)
    if alpha_max <= _RESOLUTION:
        # X_c^T S y_c == 0 (or <= 0 with positive=True): w = 0 for every
        # alpha >= 0. Same constant grid as scikit-learn.
        return np.full(n_alphas, _RESOLUTION)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def _check_alphas_array(alphas):
    """A user grid as a decreasing float64 array; entries finite and >= 0."""
    alphas = np.asarray(alphas, dtype=np.float64)
    if alphas.ndim != 1 or alphas.shape[0] == 0:
        raise ValueError(
            f"alphas must be an int or a non-empty 1-D array of floats, got an "
            f"array of shape {alphas.shape}."
        )
    if not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError(
            f"alphas must be finite and non-negative, got {alphas.tolist()!r}."
        )
    return np.sort(alphas)[::-1].copy()


#: the secant warm start is used after an alpha that took this many epochs
_SECANT_MIN_EPOCHS = 10


def _secant_start(w, w_prev, alphas, i):
    """Warm start for ``alphas[i]`` extrapolated from the two previous solutions.

    The Lasso path is piecewise linear in alpha, so between two breakpoints
    the secant through the solutions at ``alphas[i - 2]`` and ``alphas[i - 1]``
    gives the next solution exactly (the elastic-net path is smooth between
    breakpoints, and the secant is a first-order guess). Coordinates whose
    guess would change sign, or leave zero, start at zero: the solver adds
    the features that enter. None when the grid does not allow it.
    """
    step = alphas[i - 2] - alphas[i - 1]
    if not step > 0.0:
        return None
    guess = w + (w - w_prev) * ((alphas[i - 1] - alphas[i]) / step)
    guess[np.sign(guess) != np.sign(w)] = 0.0
    return guess


def _path_solve(X, y_c, sw, x_mean, alphas, l1_ratio, w0, max_iter, tol, positive,
                selection, rng, verbose=0, name="enet_path", precompute="auto"):
    """Solve along ``alphas`` (decreasing) with warm starts.

    From the third alpha on, when the previous alpha needed at least
    ``_SECANT_MIN_EPOCHS`` epochs, the warm start is the secant extrapolation
    of the two previous solutions (:func:`_secant_start`): on the late part
    of a Lasso path, where the support approaches n and coordinate descent
    is slow, this removes about a third of the epochs. Where a plain warm
    start converges in a few epochs it gains nothing, and a chain of
    extrapolations from solutions that are only ``tol``-accurate would carry
    their rounding further than plain warm starts do (fits with sample
    weights and with repeated samples would drift apart). Every alpha still
    stops on its own duality gap, so the solutions are those of plain warm
    starts. When
    ``precompute`` asks for the Gram matrix (:func:`~._common.use_gram`), it
    is computed once for the whole path.

    Returns ``coefs (n_features, n_alphas), dual_gaps, n_iters`` and issues
    one :class:`~sklearn.exceptions.ConvergenceWarning` for the whole path
    when some alphas did not reach the tolerance.
    """
    n_alphas = alphas.shape[0]
    coefs = np.empty((X.shape[1], n_alphas), dtype=y_c.dtype)
    dual_gaps = np.empty(n_alphas)
    n_iters = []
    failed = []
    w = np.asarray(w0, dtype=y_c.dtype)
    norms = {}  # the column norms, computed by the first kernel call only
    gram = None
    if use_gram(precompute, X.shape[0], X.shape[1], float(np.max(alphas)), l1_ratio,
                sp.issparse(X)):
        gram = gram_problem(X, y_c, sw, x_mean)
    for i, alpha in enumerate(alphas):
        start = w
        if i >= 2 and n_iters[-1] >= _SECANT_MIN_EPOCHS:
            guess = _secant_start(w, coefs[:, i - 2], alphas, i)
            if guess is not None:
                start = guess
        w, gap, n_iter, conv, _, _, _ = _solve_enet(
            X, y_c, sw, x_mean, float(alpha), l1_ratio, start, max_iter, tol,
            positive, selection, rng, gram=gram, norms=norms,
        )
        coefs[:, i] = w
        dual_gaps[i] = gap
        n_iters.append(int(n_iter))
        if not conv:
            failed.append(i)
        if verbose:
            if verbose > 1:
                print(f"Path: {i:03d} out of {n_alphas:03d}")
            else:
                sys.stderr.write(".")
    if failed:
        i = failed[-1]
        target = tol * float(np.average(np.asarray(y_c, dtype=np.float64) ** 2,
                                        weights=sw))
        warnings.warn(
            f"{name}: coordinate descent did not converge for {len(failed)} of "
            f"{n_alphas} alphas (at alpha={alphas[i]:.3e} the duality gap "
            f"{dual_gaps[i]:.3e} is above the target {target:.3e} after "
            f"{n_iters[i]} epochs). Increase max_iter, loosen tol, or scale "
            "the features.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return coefs, dual_gaps, n_iters


def _check_param(name, value, ok, expected):
    if not ok:
        raise ValueError(
            f"The '{name}' parameter of enet_path must be {expected}. "
            f"Got {value!r} instead."
        )


def _resolve_n_alphas(n_alphas, alphas):
    """scikit-learn 1.9 semantics of ``alphas`` (int or array) and ``n_alphas``."""
    if n_alphas is not None:
        _check_param(
            "n_alphas", n_alphas,
            isinstance(n_alphas, Integral) and not isinstance(n_alphas, bool)
            and n_alphas >= 1,
            "an int in the range [1, inf)",
        )
    if alphas is None:
        return 100 if n_alphas is None else int(n_alphas)
    if isinstance(alphas, Integral) and not isinstance(alphas, bool):
        _check_param("alphas", alphas, alphas >= 1,
                     "an int in the range [1, inf) or an array-like")
        if n_alphas is not None and n_alphas != alphas:
            raise ValueError(
                f"n_alphas={n_alphas} and alphas={alphas} disagree; pass only "
                "alphas=<int> (n_alphas is its older name)."
            )
        return int(alphas)
    if isinstance(alphas, (str, bool)) or np.ndim(alphas) == 0:
        _check_param("alphas", alphas, False,
                     "an int in the range [1, inf), an array-like or None")
    return _check_alphas_array(alphas)


# ---------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------


def enet_path(
    X,
    y,
    *,
    l1_ratio=0.5,
    eps=1e-3,
    n_alphas=None,
    alphas=None,
    precompute="auto",
    Xy=None,
    copy_X=True,
    coef_init=None,
    verbose=False,
    return_n_iter=False,
    positive=False,
    check_input=True,
    sample_weight=None,
    fit_intercept=False,
    X_offset=None,
    X_scale=None,
    tol=1e-4,
    max_iter=1000,
    random_state=None,
    selection="cyclic",
    **params,
):
    r"""Compute the elastic-net path with coordinate descent.

    A drop-in for :func:`sklearn.linear_model.enet_path` (single target):
    same arguments, same grid, same return values, computed with skreg's
    coordinate-descent kernel (working sets, Anderson extrapolation), warm
    started from each alpha to the next. For every ``alpha`` of the path it
    minimizes

    .. math::

        \frac{1}{2 n} \|y - X w\|_2^2 + \alpha \rho \|w\|_1
        + \frac{\alpha (1 - \rho)}{2} \|w\|_2^2 ,

    with :math:`\rho` = ``l1_ratio``. With sample weights :math:`s_i` the data
    term is :math:`\frac{1}{2 \sum_i s_i} \sum_i s_i (y_i - x_i^\top w)^2`,
    scikit-learn's :class:`~sklearn.linear_model.ElasticNet` weighting.

    **No intercept by default, as in scikit-learn**: the path is computed on
    ``X`` and ``y`` as given. Pass ``fit_intercept=True`` (a skreg extension)
    to fit an unpenalized intercept by implicit centring (X is never copied,
    dense or sparse); the intercepts are then
    ``np.average(y, weights=sample_weight) - X_mean @ coefs`` with ``X_mean``
    the weighted column means.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data. Dense data is used in Fortran order, sparse data as
        CSC (converted once if needed); X is never modified.
    y : array-like of shape (n_samples,)
        Target values (one target: use scikit-learn for multi-task paths).
    l1_ratio : float, default=0.5
        Mixing parameter :math:`0 \le \rho \le 1`; ``l1_ratio=1`` is the
        Lasso. An automatic grid needs ``l1_ratio > 0``.
    eps : float, default=1e-3
        Length of the path: ``alpha_min / alpha_max = eps``.
    n_alphas : int, default=None
        Older name of an integer ``alphas`` (scikit-learn < 1.9), accepted for
        compatibility. None means 100 unless ``alphas`` is an int.
    alphas : int, array-like or None, default=None
        An int: the number of alphas of the automatic geometric grid from
        ``alpha_max`` down to ``eps * alpha_max``. An array: the alphas to
        use, sorted in decreasing order (duplicates kept). None: 100 alphas
        (or ``n_alphas``).
    precompute : "auto", bool or array-like, default="auto"
        Run coordinate descent on the Gram matrix ``X_c^T S X_c``, computed
        once for the whole path (see :class:`~skreg.ElasticNetCD`):
        ``"auto"`` when ``n_samples >= 4 * n_features`` and ``n_features <=
        64`` (dense X) or ``<= 16`` (sparse X), True always, False never.
        Every solution is certified by its duality gap on the data. An array
        (scikit-learn's precomputed Gram) is accepted and not used: the
        solver computes its own, centred and weighted as it needs it, as with
        ``"auto"``.
    Xy : array-like of shape (n_features,), default=None
        Precomputed :math:`X_c^\top S y_c`, used only for the automatic grid.
    copy_X : bool, default=True
        Accepted for compatibility; X is never modified nor copied for
        centring.
    coef_init : array-like of shape (n_features,), default=None
        Starting coefficients for the first alpha.
    verbose : bool or int, default=False
        Amount of verbosity (``>1`` prints one line per alpha).
    return_n_iter : bool, default=False
        Whether to return the number of epochs run for each alpha.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    check_input : bool, default=True
        Accepted for compatibility; inputs are always checked (cheap, no copy
        when X already has the kernel's layout).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights, used for dense and sparse X alike (the
        objective above). scikit-learn's path uses them for sparse X only,
        with weights summing to ``n_samples``; with such weights both agree.
    fit_intercept : bool, default=False
        Fit an unpenalized intercept by implicit centring (skreg extension).
    X_offset : array-like of shape (n_features,), default=None
        scikit-learn's convention for sparse X: column offsets subtracted
        implicitly (``X - X_offset / X_scale``), ``y`` being centred by the
        caller. Ignored for dense X, which scikit-learn expects already
        centred. Cannot be combined with ``fit_intercept=True``.
    X_scale : array-like of shape (n_features,), default=None
        Divides ``X_offset`` (scikit-learn's convention). Defaults to ones.
    tol : float, default=1e-4
        Duality-gap tolerance, scikit-learn's rule: each alpha stops when
        ``gap <= tol * ||y_c||^2 / n`` (weighted).
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate sampler when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit coordinates in order, or at random.
    **params : dict
        ``do_screening`` is accepted and ignored (the kernel uses working
        sets); anything else raises a ``ValueError``, as in scikit-learn.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas along the path, decreasing.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients along the path, of the dtype of X.
    dual_gaps : ndarray of shape (n_alphas,)
        Duality gap at the end of the optimization for each alpha, in the
        units of the objective above.
    n_iters : list of int
        Epochs run for each alpha (only when ``return_n_iter=True``).

    See Also
    --------
    lasso_path : The same with ``l1_ratio=1``.
    ElasticNetCDCV : Chooses alpha and l1_ratio by cross-validation.
    sklearn.linear_model.enet_path : The scikit-learn counterpart.

    Notes
    -----
    The automatic grid starts at the smallest alpha with an all-zero
    solution,

    .. math::

        \alpha_{\max} = \frac{\max_j |x_{c,j}^\top S y_c|}{n_w \rho},
        \qquad n_w = \textstyle\sum_i s_i ,

    (``max_j x_{c,j}^T S y_c`` with ``positive=True``), computed on the data
    as the solver sees them: centred when ``fit_intercept=True`` or with
    ``X_offset`` (sparse), weighted with ``sample_weight``. When
    :math:`\alpha_{\max} = 0` (``X_c^T S y_c = 0``, or no positive
    correlation with ``positive=True``) the zero vector solves every problem
    and the grid is constant at ``np.finfo(float).resolution``, as in
    scikit-learn. Differences from scikit-learn's automatic grid, where
    scikit-learn ignores them: sample weights and sparse ``X_offset`` enter
    ``alpha_max`` here.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg import enet_path
    >>> X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.5], [4.0, 3.0]])
    >>> y = np.array([1.0, 2.0, 3.0, 4.0])
    >>> alphas, coefs, gaps = enet_path(X, y, l1_ratio=0.5, alphas=3, tol=1e-10)
    >>> alphas
    array([15.        ,  0.47434165,  0.015     ])
    >>> coefs.round(3)  # all zero at alpha_max
    array([[0.   , 0.81 , 0.991],
           [0.   , 0.15 , 0.008]])

    With an intercept (implicit centring), the grid is that of the centred
    data:

    >>> alphas, coefs, _ = enet_path(X, y, alphas=3, fit_intercept=True, tol=1e-10)
    >>> alphas
    array([2.5       , 0.07905694, 0.0025    ])
    >>> coefs.round(3)
    array([[0.   , 0.936, 0.998],
           [0.   , 0.004, 0.   ]])
    """
    do_screening = params.pop("do_screening", True)  # noqa: F841 - ignored
    if params:
        raise ValueError("Unexpected parameters in params", params.keys())
    _check_param("l1_ratio", l1_ratio,
                 isinstance(l1_ratio, Real) and 0 <= l1_ratio <= 1,
                 "a float in the range [0.0, 1.0]")
    _check_param("eps", eps, isinstance(eps, Real) and eps > 0,
                 "a float in the range (0.0, inf)")
    _check_param("tol", tol, isinstance(tol, Real) and tol >= 0,
                 "a float in the range [0.0, inf)")
    _check_param("max_iter", max_iter,
                 isinstance(max_iter, Integral) and max_iter >= 1,
                 "an int in the range [1, inf)")
    _check_param("selection", selection, selection in ("cyclic", "random"),
                 "a str among {'cyclic', 'random'}")
    grid = _resolve_n_alphas(n_alphas, alphas)
    if isinstance(precompute, (bool, np.bool_)):
        precompute = bool(precompute)
    elif isinstance(precompute, str) or np.ndim(precompute) != 2:
        _check_param("precompute", precompute, precompute == "auto",
                     "'auto', a bool or an array-like of shape "
                     "(n_features, n_features)")
        precompute = "auto"
    else:  # scikit-learn's precomputed Gram: not used (see the docstring)
        precompute = "auto"

    X = check_array(X, accept_sparse="csc", dtype=[np.float64, np.float32],
                    order="F", accept_large_sparse=True)
    X = _as_design(X)
    y = check_array(y, ensure_2d=False, dtype=X.dtype, order="C")
    if y.ndim != 1:
        raise ValueError(
            "skreg's enet_path fits one target: y must have shape (n_samples,), "
            f"got {y.shape}. Use sklearn.linear_model.enet_path for several "
            "targets."
        )
    check_consistent_length(X, y)
    n_samples, n_features = X.shape
    sw = validate_sample_weight(sample_weight, X, X.dtype)

    if fit_intercept and X_offset is not None:
        raise ValueError(
            "Pass either fit_intercept=True or X_offset (precomputed offsets of "
            "an already centred y), not both."
        )
    if fit_intercept:
        w = np.ones(n_samples) if sw is None else sw.astype(np.float64)
        x_mean = np.asarray(X.T @ w, dtype=np.float64).ravel() / w.sum()
        y_c = np.asarray(y - (w @ y) / w.sum(), dtype=X.dtype)
    else:
        x_mean = np.zeros(n_features)
        if X_offset is not None and sp.issparse(X):
            scale = 1.0 if X_scale is None else np.asarray(X_scale, np.float64)
            x_mean = np.asarray(X_offset, dtype=np.float64) / scale
            if x_mean.shape != (n_features,):
                raise ValueError(
                    f"X_offset must have shape ({n_features},), got {x_mean.shape}."
                )
        y_c = y
    x_mean = x_mean.astype(X.dtype)
    n_w = float(n_samples if sw is None else sw.sum())

    if isinstance(grid, np.ndarray):
        alphas = grid
    else:
        if Xy is None:
            Xy_ = _centered_xy(X, y_c, sw, x_mean)
        else:
            Xy_ = np.asarray(Xy, dtype=np.float64).ravel()
            if Xy_.shape != (n_features,):
                raise ValueError(
                    f"Xy must have shape ({n_features},), got {Xy_.shape}."
                )
        alphas = _alpha_grid(Xy_, n_w, l1_ratio, positive, eps, grid)

    if coef_init is None:
        w0 = np.zeros(n_features, dtype=X.dtype)
    else:
        w0 = np.array(coef_init, dtype=X.dtype).ravel()
        if w0.shape != (n_features,):
            raise ValueError(
                f"coef_init must have shape ({n_features},), got "
                f"{np.shape(coef_init)}."
            )
    coefs, dual_gaps, n_iters = _path_solve(
        X, y_c, sw, x_mean, alphas, float(l1_ratio), w0, int(max_iter),
        float(tol), bool(positive), selection, check_random_state(random_state),
        verbose=verbose, precompute=precompute,
    )
    if return_n_iter:
        return alphas, coefs, dual_gaps, n_iters
    return alphas, coefs, dual_gaps


def lasso_path(
    X,
    y,
    *,
    eps=1e-3,
    n_alphas=None,
    alphas=None,
    precompute="auto",
    Xy=None,
    copy_X=True,
    coef_init=None,
    verbose=False,
    return_n_iter=False,
    positive=False,
    **params,
):
    r"""Compute the Lasso path with coordinate descent.

    A drop-in for :func:`sklearn.linear_model.lasso_path` (single target):
    :func:`enet_path` with ``l1_ratio=1``, minimizing for each alpha

    .. math::

        \frac{1}{2 n} \|y - X w\|_2^2 + \alpha \|w\|_1 .

    As in scikit-learn, no intercept is fitted unless asked for
    (``fit_intercept=True``, a skreg extension passed through ``**params``).

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data (never modified).
    y : array-like of shape (n_samples,)
        Target values.
    eps : float, default=1e-3
        Length of the path: ``alpha_min / alpha_max = eps``.
    n_alphas : int, default=None
        Older name of an integer ``alphas``, accepted for compatibility.
    alphas : int, array-like or None, default=None
        Number of alphas of the automatic grid, or the alphas to use (sorted
        decreasing). None means 100.
    precompute : "auto", bool or array-like, default="auto"
        Whether to run coordinate descent on the Gram matrix (see
        :func:`enet_path`).
    Xy : array-like of shape (n_features,), default=None
        Precomputed :math:`X_c^\top S y_c`, used only for the automatic grid.
    copy_X : bool, default=True
        Accepted for compatibility; X is never modified.
    coef_init : array-like of shape (n_features,), default=None
        Starting coefficients for the first alpha.
    verbose : bool or int, default=False
        Amount of verbosity.
    return_n_iter : bool, default=False
        Whether to return the number of epochs run for each alpha.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    **params : dict
        Passed to :func:`enet_path`: ``sample_weight``, ``fit_intercept``,
        ``X_offset``, ``X_scale``, ``tol``, ``max_iter``, ``random_state``,
        ``selection``, ``check_input``, ``do_screening``.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas along the path, decreasing.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients along the path.
    dual_gaps : ndarray of shape (n_alphas,)
        Duality gap at the end of the optimization for each alpha.
    n_iters : list of int
        Epochs run for each alpha (only when ``return_n_iter=True``).

    See Also
    --------
    enet_path : The elastic-net path.
    ProxLassoCV : Chooses alpha by cross-validation.
    sklearn.linear_model.lasso_path : The scikit-learn counterpart.

    Notes
    -----
    The automatic grid starts at
    :math:`\alpha_{\max} = \max_j |x_{c,j}^\top S y_c| / n_w`, the smallest
    alpha whose solution is all zeros (see :func:`enet_path`).

    Examples
    --------
    >>> import numpy as np
    >>> from skreg import lasso_path
    >>> X = np.array([[1, 2, 3.1], [2.3, 5.4, 4.3]]).T
    >>> y = np.array([1, 2, 3.1])
    >>> _, coef_path, _ = lasso_path(X, y, alphas=[5.0, 1.0, 0.5], tol=1e-10)
    >>> print(coef_path.round(5))
    [[0.      0.      0.46915]
     [0.2159  0.44258 0.23669]]
    """
    return enet_path(
        X,
        y,
        l1_ratio=1.0,
        eps=eps,
        n_alphas=n_alphas,
        alphas=alphas,
        precompute=precompute,
        Xy=Xy,
        copy_X=copy_X,
        coef_init=coef_init,
        verbose=verbose,
        return_n_iter=return_n_iter,
        positive=positive,
        **params,
    )
