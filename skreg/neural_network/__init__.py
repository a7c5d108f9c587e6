"""Multilayer perceptrons written from first principles (NumPy + Numba).

See :class:`MLPFromScratch` (regression) and :class:`MLPClassifierFromScratch`
(classification); the optimizers live in :mod:`skreg.optim`.
"""

from skreg.neural_network._mlp import MLPClassifierFromScratch, MLPFromScratch

__all__ = ["MLPFromScratch", "MLPClassifierFromScratch"]
