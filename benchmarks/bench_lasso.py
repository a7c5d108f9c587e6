"""Benchmark: Lasso / elastic net, skreg vs scikit-learn, skglm and celer.

Accuracy is matched on the objective, not on ``tol`` (which means different
things in each library). For each problem:

1. a reference optimum ``P*`` is computed by running several solvers at
   ``tol=1e-14`` with a large ``max_iter`` and taking the smallest objective;
   its duality gap (computed here, independently of every solver) certifies
   how close ``P*`` is to the true optimum;
2. every solver sweeps ``tol`` over ``1e-2, 3.16e-3, 1e-3, ..., 1e-14`` (half
   decades) and the first (loosest) ``tol`` whose fit reaches
   ``P(w) - P* <= 1e-6 |P*|`` is timed:
   median of ``--repeats`` fits (3 when one fit takes more than 2 s, 1 above
   30 s). A fit running longer than ``--cap`` seconds is killed and reported
   as "not reached in CAP s" with the best suboptimality seen;
3. the time is also expressed as passes over the data (time divided by one
   ``X.T @ r``, measured in the same run) and as a ratio to scikit-learn.

All objectives are computed by this script from ``coef_`` and
``intercept_``. Every library runs with one thread (environment variables set
before NumPy is imported, plus threadpoolctl), and every solver is warmed up
(JIT compiled) before timing; compilation is measured separately, in fresh
processes with an empty and then a warm numba cache. Peak memory of a fit on
the dense problems is measured in a fresh process (resident-set high-water
mark and tracemalloc), relative to the size of X.

Usage::

    python benchmarks/bench_lasso.py            # full suite (minutes)
    python benchmarks/bench_lasso.py --quick    # scaled down, about a minute
    python benchmarks/bench_lasso.py --problems dense_a10,sparse_a10 --repeats 3

Writes ``benchmarks/results/lasso.md``, ``lasso.png`` and ``lasso.json``
(``lasso_quick.*`` with ``--quick``).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import _bench_utils as bu  # noqa: E402  (sets the thread variables first)
import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET = 1e-6  # relative suboptimality to reach
# half decades: on a decade grid the first tol reaching the target can
# overshoot it tenfold (skreg's path reached 1.7e-6 at tol=1e-5 in 2.9 s and
# was timed at 1e-6, 6.3 s); every solver gets the same grid
TOLS = tuple(float(f"{10.0 ** (-k / 2):.3g}") for k in range(4, 29))
REF_TOL = 1e-14
REF_TOL_PATH = 1e-12  # 100 fits at 1e-14 cost minutes; the gap certificate shows
BIG_ITER = 100_000
SWEEP_BUDGET = 3  # a solver's whole tol sweep (+ repeats) may take SWEEP_BUDGET * cap

SOLVERS = {
    "skreg-cd": "skreg ElasticNetCD",
    "skreg-prox": "skreg ProxLasso",
    "sklearn": "scikit-learn",
    "skglm": "skglm",
    "celer": "celer",
}

# (key, title, dataset kind, alpha / alpha_max, l1_ratio, intercept, weighted,
#  path length or None)
PROBLEMS = [
    ("dense_a10", "dense Toeplitz, alpha_max/10", "dense", 0.1, 1.0, False, False,
     None),
    ("dense_a100", "dense Toeplitz, alpha_max/100", "dense", 0.01, 1.0, False, False,
     None),
    ("tall_a10", "dense tall, alpha_max/10", "tall", 0.1, 1.0, False, False, None),
    ("sparse_a10", "sparse CSC, alpha_max/10", "sparse", 0.1, 1.0, False, False, None),
    ("sparse_a100", "sparse CSC, alpha_max/100", "sparse", 0.01, 1.0, False, False,
     None),
    ("path", "path alpha_max -> alpha_max/1000, warm starts", "dense", None, 1.0, False,
     False, 100),
    ("path_fn", "path alpha_max -> alpha_max/1000, each library's path function",
     "dense", None, 1.0, False, False, 100),
    ("dense_w", "dense, intercept + sample weights, alpha_max/10", "dense", 0.1, 1.0,
     True, True, None),
    ("sparse_w", "sparse, intercept + sample weights, alpha_max/10", "sparse", 0.1, 1.0,
     True, True, None),
    ("enet_dense_a100", "elastic net l1_ratio=0.5, dense, alpha_max/100", "dense", 0.01,
     0.5, False, False, None),
    ("enet_sparse_a10", "elastic net l1_ratio=0.5, sparse, alpha_max/10", "sparse", 0.1,
     0.5, False, False, None),
    ("enet_dense_w", "elastic net l1_ratio=0.5, dense, intercept + weights, "
     "alpha_max/10", "dense", 0.1, 0.5, True, True, None),
    ("enet_sparse_w", "elastic net l1_ratio=0.5, sparse, intercept + weights, "
     "alpha_max/10", "sparse", 0.1, 0.5, True, True, None),
]
PROBLEM_KEYS = [p[0] for p in PROBLEMS]

# (n, p, density) of each dataset kind
SIZES = {
    "full": {"dense": (1000, 5000, None), "tall": (100_000, 200, None),
             "sparse": (20_000, 50_000, 0.001)},
    "quick": {"dense": (200, 1000, None), "tall": (5000, 50, None),
              "sparse": (2000, 5000, 0.005)},
}
QUICK_PATH_LEN = 10

_DATA = {}  # problem key -> dict, shared with forked children


def _problem_spec(key):
    k, title, kind, frac, l1, icpt, weighted, path = PROBLEMS[PROBLEM_KEYS.index(key)]
    return dict(key=k, title=title, kind=kind, frac=frac, l1_ratio=l1,
                fit_intercept=icpt, weighted=weighted, path=path)


def build(key, quick, seed):
    """Generate (or reuse) the data of one problem and its alpha(s)."""
    spec = _problem_spec(key)
    n, p, density = SIZES["quick" if quick else "full"][spec["kind"]]
    cache_key = (spec["kind"], n, p, density, spec["fit_intercept"], spec["weighted"])
    X = y = sw = None
    for other in _DATA.values():
        if other["cache_key"] == cache_key:
            X, y, sw = other["X"], other["y"], other["sw"]
    if X is None:
        X, y, sw, _ = bu.make_problem_data(
            "sparse" if spec["kind"] == "sparse" else "dense", n, p, density,
            spec["fit_intercept"], spec["weighted"], seed,
        )
    amax = bu.alpha_max(X, y, sw, spec["fit_intercept"], spec["l1_ratio"])
    if spec["path"]:
        n_alphas = QUICK_PATH_LEN if quick else spec["path"]
        alphas = amax * np.geomspace(1.0, 1e-3, n_alphas)
    else:
        alphas = np.array([amax * spec["frac"]])
    return dict(spec, X=X, y=y, sw=sw, n=n, p=p, density=density,
                nnz=int(X.nnz) if hasattr(X, "nnz") else n * p,
                alpha_max=amax, alphas=alphas, cache_key=cache_key)


def available_solvers():
    out = {}
    for key in SOLVERS:
        if key in ("skglm", "celer"):
            try:
                __import__(key)
            except Exception as exc:  # not installed, or fails to import
                out[key] = f"{type(exc).__name__}: {exc}"
                continue
        out[key] = None
    return out


def applicable(solver, prob):
    """None when the solver handles the problem, else the reason it does not."""
    if prob["key"] == "path_fn" and solver not in PATH_FUNCTIONS:
        return "no path function benchmarked"
    if solver == "skreg-prox" and prob["l1_ratio"] != 1.0:
        return "Lasso only"
    if solver == "skglm" and prob["weighted"]:
        return "no sample_weight in skglm's estimators"
    return None


def make_estimator(solver, alpha, l1_ratio, fit_intercept, tol, warm_start=False):
    lasso = l1_ratio == 1.0
    if solver == "skreg-cd":
        from skreg import ElasticNetCD

        return ElasticNetCD(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                            tol=tol, max_iter=BIG_ITER, warm_start=warm_start)
    if solver == "skreg-prox":
        from skreg import ProxLasso

        return ProxLasso(alpha=alpha, fit_intercept=fit_intercept, tol=tol,
                         max_iter=BIG_ITER, warm_start=warm_start)
    if solver == "sklearn":
        from sklearn.linear_model import ElasticNet, Lasso

        kw = dict(alpha=alpha, fit_intercept=fit_intercept, tol=tol, max_iter=BIG_ITER,
                  warm_start=warm_start)
        return Lasso(**kw) if lasso else ElasticNet(l1_ratio=l1_ratio, **kw)
    if solver in ("skglm", "celer"):
        mod = __import__(solver)
        kw = dict(alpha=alpha, fit_intercept=fit_intercept, tol=tol, max_iter=1000,
                  max_epochs=BIG_ITER, warm_start=warm_start)
        if lasso:
            return mod.Lasso(**kw)
        return mod.ElasticNet(l1_ratio=l1_ratio, **kw)
    raise ValueError(solver)


def _skreg_path(X, y, alphas, tol):
    from skreg.linear_model import lasso_path

    return lasso_path(X, y, alphas=alphas, tol=tol, max_iter=BIG_ITER)[1]


def _sklearn_path(X, y, alphas, tol):
    from sklearn.linear_model import lasso_path

    return lasso_path(X, y, alphas=alphas, tol=tol, max_iter=BIG_ITER)[1]


def _celer_path(X, y, alphas, tol):
    from celer import celer_path

    return celer_path(X, y, "lasso", alphas=alphas, tol=tol, max_iter=1000,
                      max_epochs=BIG_ITER)[1]


# (X, y, alphas, tol) -> coefs of shape (n_features, n_alphas); each library's
# own path function, warm starts as that library does them (path_fn problem)
PATH_FUNCTIONS = {"skreg-cd": _skreg_path, "sklearn": _sklearn_path,
                  "celer": _celer_path}


def _coef_intercept(est):
    coef = np.asarray(est.coef_, dtype=np.float64).ravel().copy()
    b = np.ravel(np.asarray(getattr(est, "intercept_", 0.0), dtype=np.float64))
    return coef, float(b[0]) if b.size else 0.0


def fit_problem(solver, prob, tol, X=None, y=None, sw=None):
    """Fit once (a whole warm-started path for path problems).

    Returns (seconds, [(coef, intercept) per alpha], ConvergenceWarning count).
    """
    from sklearn.exceptions import ConvergenceWarning

    X = prob["X"] if X is None else X
    y = prob["y"] if y is None else y
    sw = prob["sw"] if sw is None else sw
    alphas = prob["alphas"]
    if prob["key"] == "path_fn":  # no intercept, no weights
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = time.perf_counter()
            coefs = PATH_FUNCTIONS[solver](X, y, alphas, tol)
            elapsed = time.perf_counter() - t
        coefs = np.asarray(coefs, dtype=np.float64)
        sols = [(coefs[:, i].copy(), 0.0) for i in range(len(alphas))]
        n_warn = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
        return elapsed, sols, n_warn
    kw = {} if sw is None else {"sample_weight": sw}
    est = make_estimator(solver, alphas[0], prob["l1_ratio"], prob["fit_intercept"],
                         tol, warm_start=len(alphas) > 1)
    sols = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = time.perf_counter()
        for a in alphas:
            est.set_params(alpha=float(a))
            est.fit(X, y, **kw)
            if len(alphas) > 1:
                sols.append(_coef_intercept(est))
        elapsed = time.perf_counter() - t
    if len(alphas) == 1:
        sols = [_coef_intercept(est)]
    n_warn = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    return elapsed, sols, n_warn


def objectives(prob, sols):
    return np.array([
        bu.objective(prob["X"], prob["y"], prob["sw"], c, b, a, prob["l1_ratio"])
        for (c, b), a in zip(sols, prob["alphas"], strict=True)
    ])


def warm_up(solver, prob):
    """Fit on a small slice of the same kind of data (compiles JIT kernels)."""
    n_small, p_small = min(prob["n"], 60), min(prob["p"], 80)
    X = prob["X"][:n_small][:, :p_small]
    X = X.tocsc() if hasattr(X, "tocsc") else np.asfortranarray(X)
    y = prob["y"][:n_small]
    sw = None if prob["sw"] is None else prob["sw"][:n_small]
    small = dict(prob, alphas=prob["alphas"][:2])
    fit_problem(solver, small, 1e-4, X, y, sw)


# --------------------------------------------------------------------------
# children (run forked, under the caps)
# --------------------------------------------------------------------------
def reference_child(send, key, solver):
    prob = _DATA[key]
    warm_up(solver, prob)
    tol = REF_TOL_PATH if prob["path"] else REF_TOL
    send(("start", tol))
    elapsed, sols, n_warn = fit_problem(solver, prob, tol)
    send(("attempt", {"tol": tol, "time": elapsed}))
    gaps = [bu.duality_gap(prob["X"], prob["y"], prob["sw"], c, a, prob["l1_ratio"],
                           prob["fit_intercept"])
            for (c, _), a in zip(sols, prob["alphas"], strict=True)]
    send(("ref", {"objectives": objectives(prob, sols).tolist(), "gaps": gaps,
                  "time": elapsed, "warnings": n_warn}))


def sweep_child(send, key, solver, p_star, repeats):
    prob = _DATA[key]
    warm_up(solver, prob)
    p_star = np.asarray(p_star)
    for tol in TOLS:
        send(("start", tol))
        elapsed, sols, n_warn = fit_problem(solver, prob, tol)
        obj = objectives(prob, sols)
        subopt = float(np.max((obj - p_star) / np.abs(p_star)))
        send(("attempt", {"tol": tol, "time": elapsed, "subopt": subopt,
                          "warnings": n_warn}))
        if subopt <= TARGET:
            break
    else:
        return
    n_runs = repeats if elapsed <= 2.0 else min(repeats, 3)
    if elapsed > 30.0:
        n_runs = 1
    for _ in range(n_runs - 1):
        send(("start", tol))
        t, _, _ = fit_problem(solver, prob, tol)
        send(("attempt", {"tol": tol, "time": t, "repeat": True}))


def _log(msg):
    print(f"[bench_lasso] {msg}", file=sys.stderr, flush=True)


def run_problem(key, args, solvers):
    prob = _DATA[key]
    X, y = prob["X"], prob["y"]
    t_pass = bu.pass_time(X, y)
    res = {k: prob[k] for k in ("key", "title", "kind", "n", "p", "density", "nnz",
                               "l1_ratio", "fit_intercept", "weighted", "alpha_max")}
    res.update(alphas=prob["alphas"].tolist(), pass_time=t_pass,
               loadavg_start=os.getloadavg()[0], solvers={})
    # compile / warm up every solver here, so that forked children inherit it
    for s, missing in solvers.items():
        if missing is None and not applicable(s, prob):
            warm_up(s, prob)
    # reference optimum: skreg and scikit-learn at tol=1e-14; for the path
    # (which scikit-learn cannot finish at 1e-14 under the cap) skreg, then
    # celer only when skreg's duality-gap certificate is not tight
    ref_solvers = ["skreg-cd", "celer"] if prob["path"] else ["skreg-cd", "sklearn"]
    refs = {}
    for s in ref_solvers:
        if solvers.get(s, "missing") is not None or applicable(s, prob):
            continue
        if prob["path"] and any(
            "objectives" in r and max(np.divide(r["gaps"], np.abs(r["objectives"])))
            <= 1e-3 * TARGET for r in refs.values()
        ):
            continue
        msgs, status = bu.run_capped(reference_child, (key, s), 2 * args.cap,
                                     3 * args.cap)
        out = [m[1] for m in msgs if m[0] == "ref"]
        errs = [m[1] for m in msgs if m[0] == "error"]
        refs[s] = out[0] if out else {"status": status, "error": errs[:1]}
        _log(f"{key}: reference {s}: {status} "
             f"{format(out[0]['time'], '.4g') + ' s' if out else errs[:1]}")
    done = {s: r for s, r in refs.items() if "objectives" in r}
    if not done:
        res["error"] = "no reference solver finished"
        res["references"] = refs
        return res
    objs = np.array([r["objectives"] for r in done.values()])
    best = np.argmin(objs, axis=0)
    p_star = objs.min(axis=0)
    names = list(done)
    gaps = np.array([done[names[b]]["gaps"][i] for i, b in enumerate(best)])
    res.update(p_star=p_star.tolist(), references=refs,
               ref_rel_gap=float(np.max(gaps / np.abs(p_star))),
               ref_solver=sorted({names[b] for b in best}))
    budget = args.cap * SWEEP_BUDGET
    for s, missing in solvers.items():
        if missing is not None:
            res["solvers"][s] = {"status": "missing", "reason": missing}
            continue
        why = applicable(s, prob)
        if why:
            res["solvers"][s] = {"status": "n/a", "reason": why}
            continue
        msgs, status = bu.run_capped(sweep_child, (key, s, p_star.tolist(),
                                                   args.repeats), args.cap, budget)
        attempts = [m[1] for m in msgs if m[0] == "attempt"]
        errs = [m[1] for m in msgs if m[0] == "error"]
        sweep = [a for a in attempts if not a.get("repeat")]
        entry = {"sweep": sweep, "status": status}
        if errs:
            entry["error"] = errs[0]
        reached = [a for a in sweep if a["subopt"] <= TARGET]
        if reached:
            times = [reached[0]["time"]]
            times += [a["time"] for a in attempts if a.get("repeat")]
            entry.update(reached=True, tol=reached[0]["tol"], times=times,
                         time=float(np.median(times)), subopt=reached[0]["subopt"],
                         warnings=reached[0]["warnings"],
                         passes=float(np.median(times)) / t_pass)
        else:
            best_sub = min((a["subopt"] for a in sweep), default=None)
            entry.update(reached=False, best_subopt=best_sub,
                         best_tol=(min(sweep, key=lambda a: a["subopt"])["tol"]
                                   if sweep else None))
        res["solvers"][s] = entry
        _log(f"{key}: {s}: " + (f"{entry['time']:.4g} s at tol={entry['tol']:g}"
                                if reached else f"not reached ({status})"))
    res["loadavg_end"] = os.getloadavg()[0]
    return res


# --------------------------------------------------------------------------
# compile time and memory, in fresh processes
# --------------------------------------------------------------------------
def worker_compile(lib, seed):
    """In a fresh process: import time, then first and second fits."""
    t = time.perf_counter()
    if lib == "skreg":
        import skreg._kernels._linear  # noqa: F401  (numba import + decoration)
        from skreg import ElasticNetCD, ProxLasso  # noqa: F401
    elif lib == "sklearn":
        import sklearn.linear_model  # noqa: F401
    elif lib == "numba":  # skreg's import, then numba's start-up on its own
        import _numba_probe

        import skreg._kernels._linear  # noqa: F401
        from skreg import ElasticNetCD  # noqa: F401
    else:
        __import__(lib)
    t_import = time.perf_counter() - t
    out = {"lib": lib, "import": t_import, "fits": {}}
    Xd, y, _, _ = bu.make_problem_data("dense", 200, 1000, None, False, False, seed)
    if lib == "numba":
        # a one-line cached function first (numba's start-up), then skreg's fit
        steps = [("trivial cached function", lambda: _numba_probe.add_one(1.0))]
        a = 0.1 * bu.alpha_max(Xd, y, None, False)
        steps.append(("skreg-cd dense, after it", lambda: make_estimator(
            "skreg-cd", a, 1.0, False, 1e-4).fit(Xd, y)))
        for name, call in steps:
            times = []
            for _ in range(2):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t = time.perf_counter()
                    call()
                    times.append(time.perf_counter() - t)
            out["fits"][name] = {"first": times[0], "second": times[1]}
        return out
    Xs, ys, _, _ = bu.make_problem_data("sparse", 2000, 5000, 0.005, False, False, seed)
    estimators = {"skreg": ["skreg-cd", "skreg-prox"]}.get(lib, [lib])
    for solver in estimators:
        for kind, X, yy in (("dense", Xd, y), ("sparse", Xs, ys)):
            a = 0.1 * bu.alpha_max(X, yy, None, False)
            times = []
            for _ in range(2):
                est = make_estimator(solver, a, 1.0, False, 1e-4)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t = time.perf_counter()
                    est.fit(X, yy)
                    times.append(time.perf_counter() - t)
            out["fits"][f"{solver} {kind}"] = {"first": times[0], "second": times[1]}
    return out


def run_compile(args, solvers):
    """First fit in a new process: empty numba cache, then the same (warm) cache.

    Without ``cold`` (``--quick``), one process per library on the default
    cache, which the benchmark itself has just filled ("warm, default").
    """
    libs = [s for s in ("skreg", "numba", "sklearn", "skglm", "celer")
            if solvers.get({"skreg": "skreg-cd", "numba": "skreg-cd"}.get(s, s), "x")
            is None]
    states = ("cold", "warm") if args.cold_compile else ("warm, default",)
    results = {}
    skreg_cache = tempfile.TemporaryDirectory()
    for lib in libs:
        results[lib] = {}
        with tempfile.TemporaryDirectory() as own:
            cache = skreg_cache.name if lib in ("skreg", "numba") else own
            # numba's start-up on skreg's warm cache, twice: the first process
            # compiles the one-line function, the second (kept) loads it
            lib_states = (states[-1],) * 2 if lib == "numba" else states
            for state in lib_states:
                if lib in ("sklearn", "celer") and state == "warm":
                    continue  # no JIT: one process is enough
                env = dict(os.environ)
                if args.cold_compile:
                    env["NUMBA_CACHE_DIR"] = cache
                env["PYTHONPATH"] = os.pathsep.join(
                    [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
                )
                cmd = [sys.executable, str(Path(__file__).resolve()),
                       "--worker-compile", lib, "--seed", str(args.seed)]
                try:
                    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                                          timeout=600, check=False)
                except subprocess.TimeoutExpired:
                    results[lib][state] = {"error": "timed out after 600 s"}
                    continue
                if proc.returncode != 0:
                    results[lib][state] = {"error": proc.stderr.strip()[-500:]}
                    continue
                results[lib][state] = json.loads(proc.stdout.strip().splitlines()[-1])
        _log(f"compile {lib}: done")
    skreg_cache.cleanup()
    return results


def worker_memory(key, quick, seed, chosen=None):
    """In a fresh process: peak memory of one fit per solver on a dense problem."""
    import tracemalloc

    bu.limit_threads()
    prob = build(key, quick, seed)
    _DATA[key] = prob
    X = prob["X"]
    out = {"key": key, "X_bytes": int(X.nbytes), "X_flags": {
        "F": bool(X.flags.f_contiguous), "dtype": str(X.dtype)}, "solvers": {}}
    avail = available_solvers()
    for s, missing in avail.items():
        if missing is not None or applicable(s, prob) or (chosen and s not in chosen):
            continue
        warm_up(s, prob)
        gc.collect()
        rss0 = bu.reset_peak_rss()
        tracemalloc.start()
        t = time.perf_counter()
        fit_problem(s, prob, 1e-4)
        elapsed = time.perf_counter() - t
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        hwm = bu.peak_rss()
        out["solvers"][s] = {
            "traced_peak": int(traced),
            "rss_growth": None if rss0 is None or hwm is None else int(hwm - rss0),
            "time": elapsed,
        }
    return out


def run_memory(args, keys):
    results = {}
    seen = set()
    for key in keys:
        spec = _problem_spec(key)
        dataset = (spec["kind"], spec["fit_intercept"], spec["weighted"])
        if spec["kind"] == "sparse" or spec["path"] or spec["l1_ratio"] != 1.0:
            continue
        if dataset in seen:  # one measurement per dense dataset
            continue
        seen.add(dataset)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker-memory", key,
               "--seed", str(args.seed)] + (["--quick"] if args.quick else [])
        if args.solvers:
            cmd += ["--solvers", args.solvers]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                              timeout=max(600, 6 * args.cap), check=False)
        if proc.returncode != 0:
            results[key] = {"error": proc.stderr.strip()[-500:]}
        else:
            results[key] = json.loads(proc.stdout.strip().splitlines()[-1])
        _log(f"memory {key}: done")
    return results


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------
def _fmt_t(t):
    if t is None:
        return "-"
    return f"{t:.3g} s" if t < 100 else f"{t:.0f} s"


def markdown(report):
    info = report["machine"]
    args = report["args"]
    v = info["versions"]
    cmd = "python benchmarks/bench_lasso.py" + (" --quick" if args["quick"] else "")
    lines = [
        "# Lasso / elastic net: time to reach the same objective",
        "",
        f"`{' '.join(['python'] + info['argv'])}` "
        f"(the suite: `{cmd}`), {info['date']}.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores (shared with other "
        f"developers' jobs: load average {report['load_start']:.2f} at the start, "
        f"{report['load_end']:.2f} at the end), one thread per library. "
        f"Python {v['python']}, numpy {v['numpy']}, scipy {v['scipy']}, "
        f"scikit-learn {v['sklearn']}, numba {v['numba']}, "
        f"skglm {v['skglm'] or 'not installed'}, "
        f"celer {v['celer'] or 'not installed'}.",
        "",
    ]
    missing = {s: r for s, r in report["solvers_available"].items() if r is not None}
    for s, why in missing.items():
        lines.append(f"**{SOLVERS[s]} skipped**: could not be imported ({why}).")
        lines.append("")
    lines += [
        f"Time to reach `P(w) - P* <= {TARGET:g} |P*|`, `P*` the smallest objective "
        f"of reference fits at `tol={REF_TOL:g}` ({REF_TOL_PATH:g} on the path; "
        "skreg and scikit-learn, skreg then celer on the path), with twice the "
        "cap (its duality gap relative to P*, computed here, in the "
        "`cert.` column). Each solver's `tol` is swept from 1e-2 down in half "
        "decades (1e-2, 3.16e-3, 1e-3, ...); the first "
        "(loosest) `tol` reaching the target is timed: median of the runs shown. "
        f"Cap: {args['cap']:g} s per fit, {SWEEP_BUDGET * args['cap']:g} s per "
        "solver for its whole sweep and repeats. `vs sklearn` = time / "
        "scikit-learn's time (below 1: faster). `passes` = time / one "
        "`X.T @ r`. `fit_intercept=False` unless stated.",
        "",
        "| problem | solver | time | vs sklearn | passes | tol | P-P* (rel) | runs |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for res in report["problems"]:
        size = (f"n={res['n']:,}, p={res['p']:,}" +
                (f", density {res['density']:g}" if res["density"] else ""))
        head = f"{res['title']} ({size}"
        if len(res["alphas"]) > 1:
            head += f", {len(res['alphas'])} alphas"
        head += f"; one pass {res['pass_time'] * 1e3:.3g} ms"
        if "ref_rel_gap" in res:
            head += f"; cert. {res['ref_rel_gap']:.1e}"
        head += ")"
        if "error" in res:
            lines.append(f"| {head} | - | {res['error']} | | | | | |")
            continue
        sk = res["solvers"].get("sklearn", {})
        sk_t = sk.get("time") if sk.get("reached") else None
        first = True
        for s, e in res["solvers"].items():
            cell = head if first else ""
            first = False
            name = SOLVERS[s]
            if e["status"] in ("missing", "n/a"):
                lines.append(f"| {cell} | {name} | {e['status']}: {e['reason'][:60]} "
                             "| | | | | |")
                continue
            if e.get("reached"):
                if sk_t:
                    ratio = f"{e['time'] / sk_t:.2f}"
                elif sk.get("status") in ("cap", "budget", "ok"):
                    ratio = "sklearn not reached"
                else:
                    ratio = "-"
                warn = f" ({e['warnings']} ConvergenceWarning)" if e["warnings"] else ""
                lines.append(
                    f"| {cell} | {name} | {_fmt_t(e['time'])} | {ratio} | "
                    f"{e['passes']:.0f} | {e['tol']:.0e} | {e['subopt']:.1e}{warn} | "
                    f"{len(e['times'])} |")
            else:
                why = {"cap": f"not reached in {args['cap']:g} s",
                       "budget": "not reached within "
                       f"{SWEEP_BUDGET * args['cap']:g} s of sweep",
                       "ok": "not reached at tol=1e-14",
                       "crashed": "crashed"}[e["status"]]
                if e.get("error"):
                    why = f"error: {e['error'][:80]}"
                best = (f"{e['best_subopt']:.1e} at tol={e['best_tol']:.0e}"
                        if e.get("best_subopt") is not None else "-")
                lines.append(f"| {cell} | {name} | {why} | | | | best {best} | |")
    lines += ["", "## First fit in a new process (compilation)", ""]
    comp = report.get("compile")
    if comp:
        lines += [
            "Fresh process per row; `import` is the library import (for skreg the "
            "estimators and the numba kernel module); `first fit` excludes imports; "
            "`second fit` is the same fit again in that process (the run time "
            "itself). Cold = empty `NUMBA_CACHE_DIR`, warm = a second process on "
            "the cache the cold one wrote; \"warm, default\" (`--quick`) = numba's "
            "default cache, filled by this run. Problems: dense 200 x 1000, sparse "
            "2000 x 5000 (density 0.005), alpha_max/10, tol=1e-4. The `numba` rows "
            "import skreg as the `skreg` rows do, then time the first call of a "
            "one-line cached function (numba's own start-up, which the first "
            "numba call of every process pays, whatever the library) and then "
            "skreg's first fit: what remains is skreg's own part.",
            "",
            "| library | cache | import | fit | first fit | second fit |",
            "|---|---|---:|---|---:|---:|",
        ]
        for lib, states in comp.items():
            for state, r in states.items():
                if "error" in r:
                    lines.append(f"| {lib} | {state} | error: "
                                 f"{r['error'][-80:]!r} | | | |")
                    continue
                total = sum(f["first"] for f in r["fits"].values())
                for i, (name, f) in enumerate(r["fits"].items()):
                    lines.append(
                        f"| {lib if i == 0 else ''} | {state if i == 0 else ''} | "
                        f"{_fmt_t(r['import']) if i == 0 else ''} | {name} | "
                        f"{_fmt_t(f['first'])} | {_fmt_t(f['second'])} |")
                if len(r["fits"]) > 1 and lib != "numba":
                    lines.append(
                        f"| | | | all first fits, summed | {_fmt_t(total)} | |")
        if "skglm" not in comp:
            lines.append("")
    mem = report.get("memory")
    if mem:
        lines += [
            "",
            "## Peak memory of one fit (dense problems, fresh process)",
            "",
            "Resident-set high-water mark growth during the fit (Linux `VmHWM` "
            "after resetting it; sees every allocation, numba's included) and "
            "tracemalloc's peak (NumPy/Python allocations), as multiples of the "
            "size of X (Fortran-ordered float64). tol=1e-4, the benchmark's max_iter. "
            "A copy of X shows as >= 1.0 (on tiny `--quick` problems, arrays "
            "sized by max_iter, e.g. convergence histories, can exceed X).",
            "",
            "| problem | size of X | solver | RSS growth | / X | tracemalloc peak "
            "| / X |",
            "|---|---:|---|---:|---:|---:|---:|",
        ]
        for key, r in mem.items():
            if "error" in r:
                lines.append(f"| {key} | error: {r['error'][-80:]!r} | | | |")
                continue
            xb = r["X_bytes"]
            for i, (s, m) in enumerate(r["solvers"].items()):
                g = m["rss_growth"]
                g = "- | -" if g is None else f"{g / 1e6:.1f} MB | {g / xb:.2f}"
                lines.append(
                    f"| {key if i == 0 else ''} | "
                    f"{f'{xb / 1e6:.1f} MB' if i == 0 else ''} | {SOLVERS[s]} | "
                    f"{g} | {m['traced_peak'] / 1e6:.1f} MB | "
                    f"{m['traced_peak'] / xb:.3f} |")
    lines += ["", f"Total wall time of the suite: {report['wall']:.0f} s.", ""]
    return "\n".join(lines)


def figure(report, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    probs = [r for r in report["problems"] if "error" not in r]
    solvers = list(SOLVERS)
    cap = report["args"]["cap"]
    fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(probs) + 2), 4.8),
                           layout="constrained")
    width = 0.8 / len(solvers)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for j, s in enumerate(solvers):
        xs, hs, hatched = [], [], []
        for i, r in enumerate(probs):
            e = r["solvers"].get(s)
            if not e or e["status"] in ("missing", "n/a"):
                continue
            xs.append(i + (j - (len(solvers) - 1) / 2) * width)
            hs.append(e["time"] if e.get("reached") else cap)
            hatched.append(not e.get("reached"))
        if not xs:
            continue
        bars = ax.bar(xs, hs, width, label=SOLVERS[s], color=colors[j % len(colors)])
        for b, h in zip(bars, hatched, strict=True):
            if h:
                b.set_hatch("//")
                b.set_alpha(0.4)
    ax.set_yscale("log")
    ax.set_xticks(range(len(probs)), [r["key"] for r in probs], rotation=30,
                  ha="right")
    ax.set_ylabel(f"seconds to P - P* <= {TARGET:g} |P*|")
    ax.set_title(f"Lasso / elastic net, one thread ({report['machine']['cpu']}); "
                 f"hatched = not reached in {cap:g} s")
    ax.legend(fontsize=8, ncol=len(solvers))
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="scaled-down problems, repeats=1 (CI smoke test)")
    parser.add_argument("--problems", default=None,
                        help="comma-separated subset of: " + ",".join(PROBLEM_KEYS))
    parser.add_argument("--solvers", default=None,
                        help="comma-separated subset of: " + ",".join(SOLVERS))
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed fits per solver (default 5, 1 with --quick)")
    parser.add_argument("--cap", type=float, default=None,
                        help="seconds allowed per fit (default 100, 10 with --quick); "
                        "a solver's whole tol sweep gets 3 times that")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output-dir", default=str(HERE / "results"))
    parser.add_argument("--skip-compile", action="store_true")
    parser.add_argument("--cold-compile", action=argparse.BooleanOptionalAction,
                        default=None, help="also time the first fit with an empty "
                        "numba cache (default: on, off with --quick)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--worker-compile", help=argparse.SUPPRESS)
    parser.add_argument("--worker-memory", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_compile:
        print(json.dumps(worker_compile(args.worker_compile, args.seed)))
        return 0
    if args.worker_memory:
        chosen = args.solvers.split(",") if args.solvers else None
        print(json.dumps(worker_memory(args.worker_memory, args.quick, args.seed,
                                       chosen)))
        return 0
    if args.repeats is None:
        args.repeats = 1 if args.quick else 5
    if args.cold_compile is None:
        args.cold_compile = not args.quick
    if args.cap is None:
        args.cap = 10.0 if args.quick else 100.0
    keys = PROBLEM_KEYS if not args.problems else args.problems.split(",")
    bad = [k for k in keys if k not in PROBLEM_KEYS]
    if bad:
        parser.error(f"unknown problems {bad}; choose from {PROBLEM_KEYS}")
    bu.limit_threads()
    t_wall = time.perf_counter()
    load_start = os.getloadavg()[0]
    solvers = available_solvers()
    if args.solvers:
        chosen = args.solvers.split(",")
        if not set(chosen) <= set(SOLVERS):
            parser.error(f"unknown solvers; choose from {list(SOLVERS)}")
        solvers = {s: r for s, r in solvers.items() if s in chosen}
    for s, why in solvers.items():
        if why is not None:
            _log(f"{SOLVERS[s]} skipped: {why}")
    problems = []
    for key in keys:
        t = time.perf_counter()
        _DATA[key] = build(key, args.quick, args.seed)
        problems.append(run_problem(key, args, solvers))
        _log(f"{key}: done in {time.perf_counter() - t:.1f} s")
    # after the problems, so the default numba cache is warm for "warm, default"
    compile_res = None if args.skip_compile else run_compile(args, solvers)
    memory_res = None if args.skip_memory else run_memory(args, keys)
    report = {
        "machine": bu.machine_info(),
        "args": vars(args),
        "target": TARGET,
        "tols": TOLS,
        "solvers_available": solvers,
        "load_start": load_start,
        "load_end": os.getloadavg()[0],
        "compile": compile_res,
        "memory": memory_res,
        "problems": problems,
        "wall": time.perf_counter() - t_wall,
    }
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = "lasso_quick" if args.quick else "lasso"
    (out / f"{stem}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    text = markdown(report)
    (out / f"{stem}.md").write_text(text, encoding="utf-8")
    figure(report, out / f"{stem}.png")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
