"""Linear models: ElasticNetCD, ProxLasso, RidgeGD (estimators only, no numba here)."""

from ._coordinate_descent import ElasticNetCD
from ._cv import ElasticNetCDCV, ProxLassoCV, RidgeGDCV
from ._path import enet_path, lasso_path
from ._proximal import ProxLasso
from ._ridge import RidgeGD

__all__ = ["ElasticNetCD", "ProxLasso", "RidgeGD"]
__all__ += ["enet_path", "lasso_path", "ElasticNetCDCV", "ProxLassoCV", "RidgeGDCV"]
