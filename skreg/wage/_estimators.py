"""The estimators of the wage analysis and their hyper-parameter grids."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

__all__ = ["ESTIMATOR_KEYS", "EstimatorSpec", "alpha_max", "get_estimator_specs"]

#: Keys of the built-in estimators, in report order.
ESTIMATOR_KEYS = ("ols", "lasso", "ridge", "enet", "mlp")


@dataclass(frozen=True)
class EstimatorSpec:
    """How to build, tune and describe one estimator of the analysis.

    Parameters
    ----------
    key : str
        Short name (``"lasso"``), used on the command line.

    label : str
        Name shown in tables and figures (``"ProxLasso"``).

    build : callable
        ``build()`` returns a new unfitted regressor (the pipeline's
        ``model`` step).

    grid : callable or None
        ``grid(Xt, y)`` returns the parameter grid for
        :class:`~sklearn.model_selection.GridSearchCV` (a dict or a list of
        dicts, keys relative to the model, e.g. ``{"alpha": [...]}``) from the
        encoded design ``Xt`` and the target; None means no search (OLS).

    penalty : str
        ``"none"``, ``"l1"``, ``"l2"``, ``"l1+l2"`` or ``"mlp"``.

    implementation : str
        Where the estimator comes from, e.g. ``"skreg.ProxLasso"``.

    scale_numeric : bool, default=True
        Standardise the numeric columns in the pipeline.

    note : str, default=""
        Shown in the report, e.g. when a fallback was used.

    sparse_ok : bool, default=True
        The model accepts a sparse design; False: always give it a dense one.

    max_samples : int or None, default=None
        Tune and fit on a random subsample of at most this many rows (the
        MLP, whose cost grows with the rows times the iterations); None: all
        rows.
    """

    key: str
    label: str
    build: Callable
    grid: Callable | None
    penalty: str
    implementation: str
    scale_numeric: bool = True
    note: str = field(default="")
    sparse_ok: bool = True
    max_samples: int | None = None


def alpha_max(Xt, y, l1_ratio=1.0):
    """Smallest alpha at which the elastic net (with intercept) is all zeros.

    ``max_j |x_j' (y - mean(y))| / (n * l1_ratio)`` on the encoded design.

    Parameters
    ----------
    Xt : {ndarray, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    l1_ratio : float, default=1.0

    Returns
    -------
    alpha_max : float

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.wage import alpha_max
    >>> float(alpha_max(np.array([[0.0], [1.0]]), np.array([0.0, 2.0])))
    0.5
    """
    y = np.asarray(y, dtype=np.float64)
    yc = y - y.mean()
    corr = Xt.T @ yc if sp.issparse(Xt) else np.asarray(Xt, dtype=np.float64).T @ yc
    return float(np.max(np.abs(corr)) / (y.shape[0] * l1_ratio))


def _skreg_class(name):
    """skreg's estimator class, or None when it is not importable (yet)."""
    try:
        return getattr(importlib.import_module("skreg"), name)
    except (ImportError, AttributeError):
        return None


def _l1_grid(n_alphas, l1_ratios=(1.0,), eps=1e-3):
    def grid(Xt, y):
        out = []
        for r in l1_ratios:
            amax = alpha_max(Xt, y, r)
            alphas = amax * np.logspace(np.log10(eps), -0.3, n_alphas)
            entry = {"alpha": [float(a) for a in alphas]}
            if len(l1_ratios) > 1 or r != 1.0:
                entry["l1_ratio"] = [float(r)]
            out.append(entry)
        return out if len(out) > 1 else out[0]

    return grid


def _ridge_grid(n_alphas):
    def grid(Xt, y):
        n = Xt.shape[0]
        return {"alpha": [float(a) for a in n * np.logspace(-4, 1, n_alphas)]}

    return grid


def _mlp_grid(key_prefix):
    def grid(Xt, y):
        return {f"{key_prefix}alpha": [1e-4, 1e-1]}

    return grid


def get_estimator_specs(keys=None, *, backend="skreg", n_alphas=12, random_state=0):
    """The built-in estimators of the wage analysis.

    Parameters
    ----------
    keys : sequence of str or None, default=None
        Which of ``"ols", "lasso", "ridge", "enet", "mlp"``; None for all.

    backend : {"skreg", "sklearn"}, default="skreg"
        ``"skreg"``: ProxLasso, RidgeGD, ElasticNetCD and MLPFromScratch.
        ``"sklearn"``: scikit-learn's Lasso, Ridge, ElasticNet and
        MLPRegressor on the same grids, for comparison. OLS is always
        scikit-learn's LinearRegression.

    n_alphas : int, default=12
        Number of grid points of each regularization grid.

    random_state : int, default=0
        Seed of the MLP's initialisation.

    Returns
    -------
    specs : list of EstimatorSpec

    Notes
    -----
    Grids: L1 and elastic-net alphas from ``alpha_max * 1e-3`` to
    ``alpha_max / 2`` (log-spaced; computed on the data's encoded design;
    the models keep their default duality-gap ``tol``),
    elastic-net ``l1_ratio`` in {0.2, 0.5, 0.8}; ridge ``alpha = n * lambda``
    with ``lambda`` from ``1e-4`` to ``10`` (scikit-learn's Ridge objective
    does not divide the squared error by n). The MLP (one hidden layer of
    16 units, Adam with learning rate 0.01 for at most 2000 epochs, target
    standardised) tries two weight decays, on at most 20,000 randomly chosen
    rows.

    If skreg's MLPFromScratch is not importable (a build without the
    neural-network module), the ``mlp`` entry falls back to scikit-learn's
    MLPRegressor and says so in ``note``, which the report shows.

    Examples
    --------
    >>> from skreg.wage import get_estimator_specs
    >>> [s.key for s in get_estimator_specs(["ols", "ridge"])]
    ['ols', 'ridge']
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import (
        ElasticNet,
        Lasso,
        LinearRegression,
        Ridge,
    )
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    if backend not in ("skreg", "sklearn"):
        raise ValueError(f"backend must be 'skreg' or 'sklearn', got {backend!r}.")
    keys = list(ESTIMATOR_KEYS if keys is None else keys)
    unknown = [k for k in keys if k not in ESTIMATOR_KEYS]
    if unknown:
        raise ValueError(
            f"Unknown estimator(s) {unknown}; choose from {list(ESTIMATOR_KEYS)}."
        )

    def pick(skreg_name, fallback, fallback_name, optional=False):
        if backend == "sklearn":
            return fallback, fallback_name, ""
        if not optional:  # skreg's own linear models: an import error is a bug
            cls = getattr(importlib.import_module("skreg"), skreg_name)
            return cls, f"skreg.{skreg_name}", ""
        cls = _skreg_class(skreg_name)
        if cls is not None:
            return cls, f"skreg.{skreg_name}", ""
        note = f"skreg.{skreg_name} is not available; used {fallback_name}."
        return fallback, fallback_name, note

    specs = {}
    specs["ols"] = EstimatorSpec(
        "ols",
        "OLS",
        LinearRegression,
        None,
        "none",
        "sklearn.linear_model.LinearRegression",
        scale_numeric=False,
    )
    cls, impl, note = pick("ProxLasso", Lasso, "sklearn.linear_model.Lasso")
    specs["lasso"] = EstimatorSpec(
        "lasso",
        "Lasso (L1)",
        lambda cls=cls: cls(max_iter=2000),
        _l1_grid(n_alphas),
        "l1",
        impl,
        note=note,
    )
    cls, impl, note = pick("RidgeGD", Ridge, "sklearn.linear_model.Ridge")
    specs["ridge"] = EstimatorSpec(
        "ridge",
        "Ridge (L2)",
        (lambda cls=cls: cls(max_iter=5000, tol=1e-8))
        if cls is not Ridge
        else (lambda: Ridge()),
        _ridge_grid(n_alphas),
        "l2",
        impl,
        note=note,
    )
    cls, impl, note = pick(
        "ElasticNetCD", ElasticNet, "sklearn.linear_model.ElasticNet"
    )
    specs["enet"] = EstimatorSpec(
        "enet",
        "ElasticNet",
        lambda cls=cls: cls(max_iter=2000),
        _l1_grid(max(4, n_alphas // 2), l1_ratios=(0.2, 0.5, 0.8)),
        "l1+l2",
        impl,
        note=note,
    )
    cls, impl, note = pick(
        "MLPFromScratch",
        MLPRegressor,
        "sklearn.neural_network.MLPRegressor",
        optional=True,
    )
    if cls is MLPRegressor:

        def build_mlp():
            return TransformedTargetRegressor(
                MLPRegressor(
                    hidden_layer_sizes=(16,),
                    solver="lbfgs",
                    max_iter=500,
                    random_state=random_state,
                ),
                transformer=StandardScaler(),
            )

    else:

        def build_mlp(cls=cls):
            return TransformedTargetRegressor(
                cls(
                    hidden_layer_sizes=(16,),
                    solver="adam",
                    learning_rate_init=0.01,
                    max_iter=2000,
                    tol=1e-6,
                    n_iter_no_change=50,
                    random_state=random_state,
                ),
                transformer=StandardScaler(),
            )

    specs["mlp"] = EstimatorSpec(
        "mlp",
        "MLP",
        build_mlp,
        _mlp_grid("regressor__"),
        "mlp",
        impl,
        note=note,
        sparse_ok=False,
        max_samples=20_000,
    )
    return [specs[k] for k in keys]
