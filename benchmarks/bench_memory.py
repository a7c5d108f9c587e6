"""Memory of a fit: does ElasticNetCD copy X?

Two measurements, each in a fresh subprocess (``ru_maxrss`` is a
high-water mark of the whole process, so every case gets its own):

1. **Dense**: a Fortran-ordered float64 X of ~2 GB (``--quick``: ~200 MB).
   The kernels are compiled on a tiny problem first (compilation memory is
   not the fit's), then X and y are allocated and filled column by column,
   then ``ElasticNetCD`` is fitted. Reported: the peak RSS during the fit
   minus the peak before it, divided by ``X.nbytes``. A copy of X would
   make this >= 1; the design target is ~0.

2. **Sparse one-hot**: 10^6 rows (``--quick``: 2 * 10^5), 6 categorical
   variables with 2 to 200 levels (420 columns, one non-zero per variable
   and row), given as CSR as ``OneHotEncoder`` makes it. The fit converts to
   CSC once (a copy of the matrix is expected); the budget is stated and
   checked: the fit's extra peak RSS must stay below
   ``2 * (CSR bytes) + 10 * n_samples * 8 bytes`` (the CSC copy, one spare
   copy, and ten length-n float64 work vectors).

Usage: ``python benchmarks/bench_memory.py [--quick]``; writes
``benchmarks/results/memory.md``.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


def _maxrss_bytes():
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024  # Linux: KiB


def _current_rss_bytes():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - not Linux
        return float("nan")


def child_dense(gb):
    import warnings

    import numpy as np

    from skreg import ElasticNetCD

    warnings.simplefilter("ignore")
    p = 200
    n = int(gb * 1e9 / (8 * p))
    rng = np.random.RandomState(0)
    # compile first, on a tiny problem of the same array types
    ElasticNetCD(alpha=0.1).fit(np.asfortranarray(rng.randn(50, 5)), rng.randn(50))
    rss_compiled = _maxrss_bytes()
    X = np.empty((n, p), order="F")
    beta = np.zeros(p)
    beta[:10] = rng.randn(10)
    y = 0.5 * rng.randn(n)
    for j in range(p):
        X[:, j] = rng.standard_normal(n)
        y += beta[j] * X[:, j]
    assert X.flags.f_contiguous and X.dtype == np.float64
    before = _maxrss_bytes()
    current_before = _current_rss_bytes()
    alpha_max = float(np.max(np.abs(X.T @ (y - y.mean())))) / n
    t0 = time.perf_counter()
    est = ElasticNetCD(alpha=0.05 * alpha_max, l1_ratio=0.9, tol=1e-4,
                       max_iter=50).fit(X, y)
    fit_s = time.perf_counter() - t0
    after = _maxrss_bytes()
    return {
        "n_samples": n, "n_features": p, "X_bytes": X.nbytes,
        "maxrss_after_compile": rss_compiled, "maxrss_before_fit": before,
        "rss_before_fit": current_before, "maxrss_after_fit": after,
        "fit_seconds": fit_s, "n_iter": est.n_iter_,
        "nnz_coef": int(np.count_nonzero(est.coef_)),
    }


def child_sparse(n):
    import warnings

    import numpy as np
    import scipy.sparse as sp

    from skreg import ElasticNetCD

    warnings.simplefilter("ignore")
    levels = [2, 8, 30, 80, 100, 200]
    rng = np.random.RandomState(0)
    tiny = sp.random(50, 5, density=0.3, format="csr", random_state=0)
    ElasticNetCD(alpha=0.1).fit(tiny, rng.randn(50))  # compile first
    rows = np.repeat(np.arange(n, dtype=np.int32), len(levels))
    offsets = np.cumsum([0] + levels[:-1])
    cols = np.column_stack([rng.randint(0, k, n) + o for k, o in zip(levels, offsets,
                                                                      strict=True)])
    X = sp.csr_matrix((np.ones(n * len(levels)), (rows, cols.ravel())),
                      shape=(n, sum(levels)))
    del rows, cols
    effects = rng.randn(X.shape[1])
    y = X @ effects + rng.randn(n)
    csr_bytes = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    before = _maxrss_bytes()
    current_before = _current_rss_bytes()
    t0 = time.perf_counter()
    est = ElasticNetCD(alpha=1e-3, l1_ratio=0.5, tol=1e-4, max_iter=100).fit(X, y)
    fit_s = time.perf_counter() - t0
    after = _maxrss_bytes()
    budget = 2 * csr_bytes + 10 * n * 8
    return {
        "n_samples": n, "n_features": X.shape[1], "nnz": int(X.nnz),
        "csr_bytes": csr_bytes, "index_dtype": str(X.indices.dtype),
        "maxrss_before_fit": before, "rss_before_fit": current_before,
        "maxrss_after_fit": after, "budget_bytes": budget, "fit_seconds": fit_s,
        "n_iter": est.n_iter_,
    }


def run_child(kind, arg):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", kind, str(arg)],
        capture_output=True, text=True, env=env, timeout=1800,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-4000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def mb(b):
    return b / 2**20


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="~200 MB X, 2e5 rows")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, arg = args.child
        if kind == "warm":
            res = {"dense": child_dense(0.001), "sparse": child_sparse(1000)}
        elif kind == "dense":
            res = child_dense(float(arg))
        else:
            res = child_sparse(int(arg))
        print(json.dumps(res))
        return 0

    flag = " --quick" if args.quick else ""
    gb = 0.2 if args.quick else 2.0
    n_sparse = 200_000 if args.quick else 1_000_000
    run_child("warm", 0)  # compile in another process: children only load
    d = run_child("dense", gb)
    s = run_child("sparse", n_sparse)
    # conservative: peak during/after the fit minus the resident set just
    # before it (if the fit never exceeds an earlier peak, this over-states)
    d_extra = d["maxrss_after_fit"] - d["rss_before_fit"]
    d_ratio_extra = d_extra / d["X_bytes"]
    d_ratio_peak = d["maxrss_after_fit"] / d["X_bytes"]
    s_extra = s["maxrss_after_fit"] - s["rss_before_fit"]
    s_ok = s_extra <= s["budget_bytes"]
    lines = [
        "# Memory of ElasticNetCD fits",
        "",
        f"Produced by `python benchmarks/bench_memory.py{flag}`"
        f" on {platform.machine()} / Python {platform.python_version()} "
        f"({time.strftime('%Y-%m-%d')}). Peak RSS from "
        "`resource.getrusage(RUSAGE_SELF).ru_maxrss` in a fresh subprocess per "
        "case; the kernels are compiled in a separate process first, so each "
        "child only loads them from the cache. *Extra during fit* = peak RSS "
        "after the fit minus the resident set just before it (an upper bound "
        "of what the fit allocates). *Peak / size of X* includes the "
        "interpreter, NumPy/SciPy/numba and y.",
        "",
        "## Dense, Fortran-ordered float64 X",
        "",
        "| n_samples x n_features | X size | RSS just before fit | peak RSS after fit "
        "| extra during fit | extra / size of X | peak / size of X | fit time |",
        "|---|---|---|---|---|---|---|---|",
        f"| {d['n_samples']:,} x {d['n_features']} | {mb(d['X_bytes']):,.0f} MB "
        f"| {mb(d['rss_before_fit']):,.0f} MB | {mb(d['maxrss_after_fit']):,.0f} MB "
        f"| {mb(d_extra):,.1f} MB | **{d_ratio_extra:.3f}** | {d_ratio_peak:.3f} "
        f"| {d['fit_seconds']:.1f} s ({d['n_iter']} epochs) |",
        "",
        f"X is not copied: the fit adds {mb(d_extra):.1f} MB "
        f"({100 * d_ratio_extra:.1f}% of X; a copy would add 100%).",
        "",
        "## Sparse one-hot design (CSR in, 6 categorical variables)",
        "",
        "| n_samples x n_features | nnz | CSR size | extra during fit | budget "
        "(2 x CSR + 10 n float64) | within budget | fit time |",
        "|---|---|---|---|---|---|---|",
        f"| {s['n_samples']:,} x {s['n_features']} | {s['nnz']:,} "
        f"| {mb(s['csr_bytes']):,.1f} MB | {mb(s_extra):,.1f} MB "
        f"| {mb(s['budget_bytes']):,.1f} MB | {'yes' if s_ok else '**NO**'} "
        f"| {s['fit_seconds']:.1f} s ({s['n_iter']} iterations) |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    os.makedirs(RESULTS, exist_ok=True)
    name = "memory_quick.md" if args.quick else "memory.md"
    with open(os.path.join(RESULTS, name), "w") as f:
        f.write(text)
    return 0 if s_ok and d_ratio_extra < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
