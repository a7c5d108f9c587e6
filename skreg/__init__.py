"""skreg: scikit-learn-compatible regularized regression with numba kernels.

Public estimators are imported lazily, so ``import skreg`` is cheap and does
not load numba until an estimator is used.
"""

import importlib

__version__ = "0.1.0"

_LAZY = {
    # linear models
    "ElasticNetCD": "skreg.linear_model",
    "ProxLasso": "skreg.linear_model",
    "RidgeGD": "skreg.linear_model",
    "ElasticNetCDCV": "skreg.linear_model",
    "ProxLassoCV": "skreg.linear_model",
    "RidgeGDCV": "skreg.linear_model",
    "enet_path": "skreg.linear_model",
    "lasso_path": "skreg.linear_model",
    # neural network
    "MLPFromScratch": "skreg.neural_network",
    "MLPClassifierFromScratch": "skreg.neural_network",
}
_SUBMODULES = {
    "linear_model", "neural_network", "optim", "datasets", "plotting", "wage",
}

__all__ = sorted(_LAZY) + sorted(_SUBMODULES)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"skreg.{name}")
    raise AttributeError(f"module 'skreg' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
