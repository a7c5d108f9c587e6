"""The single jit decorator used by every skreg kernel.

Policy
------
* ``cache=True`` when a writable cache location exists. Numba raises at
  decoration time when it cannot find one (read-only site-packages and a
  read-only home directory), so the location is probed here first:

  1. ``NUMBA_CACHE_DIR`` when the user set it (numba honours it itself);
  2. the ``__pycache__`` folder next to the kernels, or numba's user-wide
     cache folder, whichever numba finds writable;
  3. otherwise a private folder in the system temporary directory, used
     only if this user owns it and no one else can write to it (numba's
     cache files are pickles);
  4. otherwise no caching, with one :class:`RuntimeWarning`.

  ``SKREG_DISABLE_JIT_CACHE=1`` opts out of caching altogether.
* ``fastmath`` restricted to ``{"nsz", "contract", "reassoc"}``: reductions may
  be vectorised, but ``nnan``/``ninf`` are *not* assumed, so ``np.isnan`` keeps
  working and non-finite values are never silently dropped.
* ``error_model="numpy"`` (no Python exception machinery on division) and
  ``nogil=True`` (joblib's threading backend runs kernels in parallel).
* ``parallel`` is never enabled: numba's default threading layer aborts when
  parallel kernels are entered from several Python threads.
* ``no_cfunc_wrapper=True``: numba would otherwise generate, optimise and
  emit machine code for a C-callable wrapper of every function and helper,
  used only when a function is passed as a first-class function object,
  which skreg never does. The Python wrapper is kept: every kernel and
  helper stays callable from Python.

Kernels never receive writable views of user data: the estimators pass
read-only views (see ``skreg._base.readonly``), so every kernel is compiled
for read-only inputs only and a write into user data is a compile error.
"""

import os
import tempfile
import warnings

import numba
from numba import njit

__all__ = ["jit", "CACHE_ENABLED", "FASTMATH"]

FASTMATH = frozenset({"nsz", "contract", "reassoc"})


def _writable_dir(path):
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError:
        return False
    return True


def _private_dir(path):
    """Create (mode 0700) or accept ``path`` only if this user owns it and no
    one else can write to it: numba's cache files are pickles, so a cache in
    a shared temporary directory planted by another user would run their
    code in our process."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return False
    import stat

    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return _writable_dir(path)


def _numba_finds_cache_dir():
    """True when numba's own locators find a writable place for this file."""
    from numba.core import caching

    here = os.path.abspath(__file__)  # the kernels live next to this file
    for cls in caching.CacheImpl._locator_classes:
        try:
            locator = cls.from_function(_probe, here)
        except Exception:  # pragma: no cover - defensive, numba internals
            locator = None
        if locator is None:
            continue
        try:
            locator.ensure_cache_path()
        except Exception:
            continue
        return True
    return False


def _probe():  # pragma: no cover - only its code object is used
    return None


def _configure_cache():
    if os.environ.get("SKREG_DISABLE_JIT_CACHE", "").strip() not in ("", "0"):
        return False
    if os.environ.get("NUMBA_CACHE_DIR"):
        return _writable_dir(os.environ["NUMBA_CACHE_DIR"]) or _fallback()
    if _numba_finds_cache_dir():
        return True
    return _fallback()


def _fallback():
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    try:  # gettempdir raises when no temporary directory is usable at all
        tmp = os.path.join(tempfile.gettempdir(), f"skreg-numba-cache-{uid}")
    except OSError:
        tmp = None
    if tmp is not None and _private_dir(tmp):
        numba.config.CACHE_DIR = tmp
        return True
    warnings.warn(
        "skreg could not find a writable directory for numba's compilation "
        "cache; kernels will be compiled again in every new process. Set "
        "NUMBA_CACHE_DIR to a writable directory to enable caching.",
        RuntimeWarning,
        stacklevel=3,
    )
    return False


CACHE_ENABLED = _configure_cache()


def jit(func=None, **overrides):
    """Compile ``func`` with skreg's numba policy (see module docstring)."""
    options = dict(
        cache=CACHE_ENABLED,
        fastmath=set(FASTMATH),
        error_model="numpy",
        nogil=True,
        no_cfunc_wrapper=True,
    )
    options.update(overrides)
    if func is None:
        return lambda f: njit(**options)(f)
    return njit(**options)(func)
