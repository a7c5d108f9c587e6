"""The compile cache on machines we do not control (subprocess tests).

A copy of the package is imported from a read-only directory with a
read-only HOME: it must import and fit, honour ``NUMBA_CACHE_DIR`` (cache
files appear there and a second process loads them), fall back to no caching
with one RuntimeWarning when nothing is writable, and honour the
``SKREG_DISABLE_JIT_CACHE`` opt-out.

Root ignores file modes, so "read-only" is made real with a read-only bind
mount in a private mount namespace (``unshare -rm``), or by running the
subprocess as ``nobody`` (``setpriv``); as an ordinary user ``chmod`` is
enough. Each way is verified (the subprocess fails to create a file in every
read-only directory before it imports skreg); the tests skip, saying why,
only when none of them can make a directory unwritable.

Every scenario compiles RidgeGD's kernel once in a fresh cache (~10 s); the
scenarios run concurrently.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

import skreg

PKG = Path(skreg.__file__).resolve().parent
NOBODY = 65534

SCRIPT = textwrap.dedent(
    """
    import json, os, sys, warnings
    for d in json.loads(os.environ["SKREG_TEST_RO_DIRS"]):
        try:
            with open(os.path.join(d, ".probe"), "w"):
                pass
        except OSError:
            continue
        print(json.dumps({"error": f"{d} is writable"}))
        sys.exit(3)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        import numpy as np
        import skreg
        X = np.array([[0.0], [1.0], [2.0], [3.0]])
        y = np.array([1.0, 3.0, 5.0, 7.0])
        est = skreg.RidgeGD(alpha=1.0, tol=1e-12).fit(X, y)
    import numba
    from skreg._kernels import _jit, _linear
    stats = _linear.ridge_gd.stats
    print(json.dumps({
        "file": skreg.__file__,
        "coef": est.coef_.tolist(),
        "intercept": est.intercept_,
        "cache_enabled": bool(_jit.CACHE_ENABLED),
        "numba_cache_dir": numba.config.CACHE_DIR,
        "hits": sum(stats.cache_hits.values()),
        "misses": sum(stats.cache_misses.values()),
        "warnings": [[w.category.__name__, str(w.message)] for w in rec
                     if not issubclass(w.category, DeprecationWarning)],
    }))
    """
)


def _probe_dir():
    d = tempfile.mkdtemp(prefix="skreg-probe-")
    os.chmod(d, 0o755)
    return d


def _readonly_method():
    """How this process can make a directory unwritable for a child, or None."""
    d = _probe_dir()
    try:
        if os.geteuid() != 0:
            os.chmod(d, 0o555)
            ok = not os.access(d, os.W_OK)
            os.chmod(d, 0o755)
            return ("chmod", None) if ok else (None, "chmod leaves it writable")
        reasons = []
        if shutil.which("unshare"):
            r = subprocess.run(
                ["unshare", "-rm", "sh", "-c",
                 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" '
                 '&& ! touch "$0/x" 2>/dev/null', d],
                capture_output=True, timeout=30,
            )
            if r.returncode == 0:
                return "unshare", None
            reasons.append(f"unshare -rm failed: {r.stderr.decode()[-200:]}")
        if shutil.which("setpriv"):
            os.chmod(d, 0o555)
            # nobody must also be able to run this Python and its packages
            r = subprocess.run(
                ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
                 "--clear-groups", "sh", "-c",
                 '! touch "$0/x" 2>/dev/null && "$1" -c "import numpy, numba, sklearn"',
                 d, sys.executable],
                capture_output=True, timeout=60,
            )
            if r.returncode == 0:
                return "setpriv", None
            reasons.append(f"setpriv as nobody failed: {r.stderr.decode()[-200:]}")
        return None, "running as root and " + ("; ".join(reasons) or
                                                "neither unshare nor setpriv")
    finally:
        shutil.rmtree(d, ignore_errors=True)


METHOD, WHY_NOT = _readonly_method()
if os.environ.get("SKREG_TEST_RO_METHOD"):  # exercise another way (debugging)
    METHOD = os.environ["SKREG_TEST_RO_METHOD"]
SYSTEM_TMP = [d for d in ("/tmp", "/var/tmp", "/usr/tmp") if os.path.isdir(d)]
pytestmark = pytest.mark.skipif(
    METHOD is None, reason=f"cannot make a directory unwritable here: {WHY_NOT}"
)


class Sandbox:
    """A copy of the package, a HOME and scratch dirs under one temp root."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="skreg-ro-"))
        os.chmod(self.root, 0o755)  # reachable by nobody (setpriv)
        self.site = self.root / "site"
        shutil.copytree(PKG, self.site / "skreg",
                        ignore=shutil.ignore_patterns("__pycache__", "*.nb?"))
        if METHOD == "setpriv":  # writable for nobody unless made read-only
            for p in [self.site, *self.site.rglob("*")]:
                if p.is_dir():
                    p.chmod(0o777)

    def dir(self, name, writable):
        d = self.root / name
        d.mkdir()
        os.chmod(d, 0o777 if writable else 0o755)
        return d

    def run(self, env_extra, ro_dirs, unset=()):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("NUMBA_", "SKREG_", "XDG_", "PYTHON"))}
        env.update({k: str(v) for k, v in env_extra.items()})
        for k in unset:
            env.pop(k, None)
        env["PYTHONPATH"] = str(self.site)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["SKREG_TEST_RO_DIRS"] = json.dumps([str(d) for d in ro_dirs])
        cmd = [sys.executable, "-P", "-c", SCRIPT]  # -P: no cwd on sys.path
        if METHOD == "unshare" and ro_dirs:
            mounts = " && ".join(
                f'mount --bind "{d}" "{d}" && mount -o remount,bind,ro "{d}" "{d}"'
                for d in ro_dirs
            )
            cmd = ["unshare", "-rm", "sh", "-c", f'{mounts} && exec "$@"', "sh", *cmd]
        else:
            for d in ro_dirs if METHOD != "unshare" else ():
                for p in [d, *Path(d).rglob("*")]:
                    mode = p.stat().st_mode
                    p.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
            if METHOD == "setpriv":
                cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
                       "--clear-groups", *cmd]
        return subprocess.Popen(cmd, env=env, cwd=self.root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def cleanup(self):
        for p in [self.root, *self.root.rglob("*")]:
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(self.root, ignore_errors=True)


def _result(proc):
    if isinstance(proc, tuple):
        out, err, rc = proc
    else:
        out, err = proc.communicate(timeout=400)
        rc = proc.returncode
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    assert rc == 0 and lines, f"rc={rc}\n{out}\n{err[-3000:]}"
    res = json.loads(lines[-1])
    assert "error" not in res, res
    return res


def _cache_files(d):
    return sorted(p.name for p in Path(d).rglob("*") if p.suffix in (".nbi", ".nbc"))


@pytest.fixture(scope="module")
def scenarios():
    """Run every scenario (concurrently) and return their results."""
    sb = Sandbox()
    try:
        home = sb.dir("home", writable=False)
        ro_tmp = sb.dir("ro_tmp", writable=False)
        tmp_a = sb.dir("tmp_a", writable=True)
        cache_b = sb.dir("cache_b", writable=True)
        tmp_b = sb.dir("tmp_b", writable=True)
        cache_d = sb.dir("cache_d", writable=True)
        tmp_d = sb.dir("tmp_d", writable=True)
        ro = [sb.site, home]
        base = {"HOME": home}
        unset = ("NUMBA_CACHE_DIR",)
        procs = {
            # read-only package and HOME, nothing set: falls back to TMPDIR
            "default": sb.run({**base, "TMPDIR": tmp_a}, ro, unset),
            # NUMBA_CACHE_DIR is honoured
            "cache_dir": sb.run({**base, "TMPDIR": tmp_b,
                                 "NUMBA_CACHE_DIR": cache_b}, ro),
            # nothing writable at all: no cache, one RuntimeWarning
            # (tempfile falls back to /tmp, /var/tmp and the cwd: only a
            # private mount namespace can make those read-only)
            **({"nothing": sb.run({**base, "TMPDIR": ro_tmp},
                                  [*SYSTEM_TMP, *ro, ro_tmp], unset)}
               if METHOD == "unshare" else {}),
            # opt-out
            "opt_out": sb.run({**base, "TMPDIR": tmp_d, "NUMBA_CACHE_DIR": cache_d,
                               "SKREG_DISABLE_JIT_CACHE": "1"}, ro),
        }
        # raw outputs: a scenario that crashes fails its own test only
        res = {k: p.communicate(timeout=400) + (p.returncode,)
               for k, p in procs.items()}
        res["cache_dir_files"] = _cache_files(cache_b)
        res["tmp_a_files"] = _cache_files(tmp_a)
        res["opt_out_files"] = _cache_files(cache_d) + _cache_files(tmp_d)
        # a second process loads the kernels from NUMBA_CACHE_DIR
        again = sb.run({**base, "TMPDIR": tmp_b, "NUMBA_CACHE_DIR": cache_b}, ro)
        res["cache_dir_again"] = again.communicate(timeout=400) + (again.returncode,)
        res["site"] = str(sb.site)
        yield res
    finally:
        sb.cleanup()


def _check_fit(res, site):
    assert res["file"].startswith(site), res["file"]  # the read-only copy
    assert res["coef"] == pytest.approx([10 / 6], rel=1e-9)
    assert res["intercept"] == pytest.approx(1.5, rel=1e-9)


def test_readonly_package_and_home_imports_and_fits(scenarios):
    res = _result(scenarios["default"])
    _check_fit(res, scenarios["site"])
    assert res["cache_enabled"]  # a private folder in TMPDIR was used
    assert scenarios["tmp_a_files"], "no cache files in the TMPDIR fallback"
    assert res["warnings"] == []


def test_honours_numba_cache_dir(scenarios):
    res = _result(scenarios["cache_dir"])
    _check_fit(res, scenarios["site"])
    assert res["cache_enabled"] and res["misses"] >= 1
    assert any(f.endswith(".nbi") for f in scenarios["cache_dir_files"])
    again = _result(scenarios["cache_dir_again"])
    _check_fit(again, scenarios["site"])
    assert again["hits"] >= 1 and again["misses"] == 0, again


@pytest.mark.skipif(METHOD != "unshare", reason="needs a private mount namespace "
                    "(unshare -rm) to make /tmp and /var/tmp read-only")
def test_nothing_writable_falls_back_with_one_warning(scenarios):
    """Regression (fixed in 52c9fef): tempfile.gettempdir() raised
    FileNotFoundError inside the fallback, so the kernels failed to import."""
    res = _result(scenarios["nothing"])
    _check_fit(res, scenarios["site"])
    assert not res["cache_enabled"]
    runtime = [m for c, m in res["warnings"] if c == "RuntimeWarning"]
    assert len(runtime) == 1 and "NUMBA_CACHE_DIR" in runtime[0], res["warnings"]


def test_opt_out_disables_the_cache(scenarios):
    res = _result(scenarios["opt_out"])
    _check_fit(res, scenarios["site"])
    assert not res["cache_enabled"] and res["warnings"] == []
    assert scenarios["opt_out_files"] == []


def test_writable_package_caches_next_to_the_kernels():
    """Policy step 2: with a writable install the cache is numba's own
    ``__pycache__`` next to the kernels (no temporary folder involved)."""
    sb = Sandbox()
    try:
        home = sb.dir("home", writable=True)
        tmp = sb.dir("tmp", writable=True)
        res = _result(sb.run({"HOME": home, "TMPDIR": tmp}, [], ("NUMBA_CACHE_DIR",)))
        _check_fit(res, str(sb.site))
        here = _cache_files(sb.site / "skreg" / "_kernels" / "__pycache__")
        assert here, f"cache went to {res['numba_cache_dir']!r}, not __pycache__"
        assert _cache_files(tmp) == [] and res["numba_cache_dir"] == ""
    finally:
        sb.cleanup()
