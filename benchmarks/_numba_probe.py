"""A trivial cached numba function: the first call of any numba function in a
new process pays numba's own start-up (its typing and target registries, the
runtime), whoever wrote the function. ``bench_lasso.py`` times it on its own,
so that a library's first fit can be read as that start-up plus its own part.
"""

from numba import njit


@njit(cache=True)
def add_one(x):
    return x + 1.0
