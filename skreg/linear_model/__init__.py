"""Linear models: ElasticNetCD, ProxLasso, RidgeGD (estimators only, no numba here)."""

from ._coordinate_descent import ElasticNetCD
from ._proximal import ProxLasso
from ._ridge import RidgeGD

__all__ = ["ElasticNetCD", "ProxLasso", "RidgeGD"]
