"""Benchmark: the wage pipeline with ElasticNetCD vs scikit-learn's ElasticNet.

Problem: ``make_census_wages(n)`` census-style records (10**6 by default,
10**5 with ``--quick``), the pipeline of ``skreg.wage.make_wage_pipeline``
with a sparse one-hot design (age standardised, 4 + 3 dummies, all levels
kept), and an elastic net with ``l1_ratio=0.5`` and
``alpha = 1e-3 * alpha_max`` (close to least squares, where the collinear
dummies make coordinate descent work hardest). Both models use their
default ``tol=1e-4`` and ``max_iter=1000``.

Each implementation runs in its own fresh process (so peak memory is its own)
which generates the data, then fits the whole pipeline (encoding + model)
``repeats + 1`` times. Reported:

* first fit (includes numba compilation or loading it from the cache; for
  scikit-learn, first-call overheads), separately from
* the median of the warm fits of the pipeline, and of the model step alone
  (on the pre-encoded design),
* peak memory of a warm pipeline fit as seen by ``tracemalloc`` (NumPy /
  Python allocations), and the growth of the resident set size during that
  fit (sampled every 2 ms from ``/proc/self/statm`` in a thread; this also
  sees allocations made inside numba kernels), plus the process's overall
  peak (``ru_maxrss``: imports, data, numba/LLVM),
* the first fit in a new process with an empty numba cache (a process
  with a fresh ``NUMBA_CACHE_DIR``: compile time); the timed process then
  reads the cache that one wrote, so its first fit is the warm-cache one
  (numba's default cache can be stale after an edit of the kernels),
* the objective reached, so that speed is compared at equal accuracy.

Usage::

    python benchmarks/bench_wage.py [--quick] [--n-samples N] [--repeats R]

Writes ``benchmarks/results/wage.md`` (``wage_quick.md`` with ``--quick``)
and a PNG of the timings next to it.
"""

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
IMPLEMENTATIONS = ("sklearn", "skreg")
L1_RATIO = 0.5
ALPHA_FACTOR = 1e-3


def _maxrss_mb():
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def _current_rss_mb():
    """Resident set size now (Linux /proc), or None elsewhere."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class _RssSampler:
    """Peak resident set size during a block, sampled every 2 ms in a thread."""

    def __enter__(self):
        import threading

        self.before = _current_rss_mb()
        self.peak = self.before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.002):
            now = _current_rss_mb()
            if now is not None and now > self.peak:
                self.peak = now

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        now = _current_rss_mb()
        if now is not None and now > self.peak:
            self.peak = now

    @property
    def growth(self):
        if self.before is None:
            return float("nan")
        return self.peak - self.before


def _model(impl, alpha):
    if impl == "sklearn":
        from sklearn.linear_model import ElasticNet

        return ElasticNet(alpha=alpha, l1_ratio=L1_RATIO)
    from skreg import ElasticNetCD

    return ElasticNetCD(alpha=alpha, l1_ratio=L1_RATIO)


def worker(impl, n_samples, repeats, seed, first_only=False):
    """Run in a fresh process: time and memory of one implementation."""
    import tracemalloc
    import warnings

    import numpy as np
    from sklearn.base import clone

    from skreg.datasets import make_census_wages
    from skreg.wage import alpha_max, make_wage_pipeline

    t = time.perf_counter()
    df = make_census_wages(n_samples, random_state=seed)
    y = df["salary"].to_numpy()
    t_data = time.perf_counter() - t
    encode = make_wage_pipeline(scale_numeric=True, sparse_output=True).named_steps[
        "encode"
    ]
    t = time.perf_counter()
    Xt = clone(encode).fit_transform(df)
    t_encode = time.perf_counter() - t
    alpha = ALPHA_FACTOR * alpha_max(Xt, y, L1_RATIO)
    rss_base = _maxrss_mb()

    def pipeline():
        return make_wage_pipeline(
            _model(impl, alpha), scale_numeric=True, sparse_output=True
        )

    n_not_converged = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = time.perf_counter()
        pipeline().fit(df, y)
        first = time.perf_counter() - t
        if first_only:
            return {"impl": impl, "first_fit": first}
        pipe_times, model_times = [], []
        for _ in range(repeats):
            t = time.perf_counter()
            pipeline().fit(df, y)
            pipe_times.append(time.perf_counter() - t)
            model = _model(impl, alpha)
            t = time.perf_counter()
            model.fit(Xt, y)
            model_times.append(time.perf_counter() - t)
        with _RssSampler() as rss:
            tracemalloc.start()
            pipeline().fit(df, y)
            _, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    n_not_converged = sum(w.category.__name__ == "ConvergenceWarning" for w in caught)
    rss_peak = _maxrss_mb()

    w = np.ravel(model.coef_)
    resid = y - Xt @ w - float(np.ravel(model.intercept_)[0])
    objective = 0.5 * np.mean(resid**2) + alpha * (
        L1_RATIO * np.abs(w).sum() + 0.5 * (1 - L1_RATIO) * (w @ w)
    )
    return {
        "impl": impl,
        "n_samples": n_samples,
        "nnz": int(Xt.nnz),
        "alpha": float(alpha),
        "t_data": t_data,
        "t_encode": t_encode,
        "first_fit": first,
        "pipeline_median": float(np.median(pipe_times)),
        "pipeline_all": pipe_times,
        "model_median": float(np.median(model_times)),
        "n_iter": int(np.max(np.ravel(getattr(model, "n_iter_", 0)))),
        "traced_peak_mb": traced_peak / 1e6,
        "rss_base_mb": rss_base,
        "rss_fit_growth_mb": rss.growth,
        "rss_peak_mb": rss_peak,
        "objective": float(objective),
        "not_converged": n_not_converged,
        "coef": w.tolist(),
    }


def _run_worker(impl, args, cache_dir=None, first_only=False):
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        impl,
        "--n-samples",
        str(args.n_samples),
        "--repeats",
        str(args.repeats),
        "--seed",
        str(args.seed),
    ] + (["--first-only"] if first_only else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"worker {impl} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _markdown(results, args):
    import numpy as np

    sk, me = results["sklearn"], results["skreg"]
    rel = abs(me["objective"] - sk["objective"]) / abs(sk["objective"])
    coef_diff = float(np.max(np.abs(np.subtract(me["coef"], sk["coef"]))))
    rows = [
        (
            "first pipeline fit in a new process, empty numba cache (s)",
            "cold_first_fit",
            "{:.2f}",
        ),
        (
            "first pipeline fit in a new process, warm numba cache (s)",
            "first_fit",
            "{:.2f}",
        ),
        (
            f"warm pipeline fit, median of {args.repeats} (s)",
            "pipeline_median",
            "{:.2f}",
        ),
        (f"model step only, median of {args.repeats} (s)", "model_median", "{:.2f}"),
        ("iterations (epochs over the features)", "n_iter", "{}"),
        ("tracemalloc peak of a warm pipeline fit (MB)", "traced_peak_mb", "{:.0f}"),
        (
            "peak RSS growth during a warm pipeline fit (MB, sampled)",
            "rss_fit_growth_mb",
            "{:.0f}",
        ),
        (
            "peak RSS of the whole process (MB; imports, data, numba/LLVM)",
            "rss_peak_mb",
            "{:.0f}",
        ),
        ("objective reached", "objective", "{:.6f}"),
        ("ConvergenceWarnings", "not_converged", "{}"),
    ]
    lines = [
        "# Wage pipeline: ElasticNetCD vs scikit-learn ElasticNet",
        "",
        f"`python benchmarks/bench_wage.py{' --quick' if args.quick else ''}` "
        f"on {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}"
        f", Python {platform.python_version()}, one thread per process.",
        "",
        f"Data: `make_census_wages({args.n_samples:,}, random_state={args.seed})`, "
        f"sparse one-hot design ({sk['nnz']:,} stored values, 8 columns: "
        "standardised age + 4 education + 3 company-size dummies, all levels "
        f"kept); `alpha = {ALPHA_FACTOR:g} * alpha_max = {sk['alpha']:.4g}`, "
        f"`l1_ratio = {L1_RATIO}`, default `tol` and `max_iter`. Data generation "
        f"{sk['t_data']:.2f} s, encoding {sk['t_encode']:.2f} s (included in the "
        "pipeline fits). Each implementation ran in its own process.",
        "",
        "| | scikit-learn ElasticNet | skreg ElasticNetCD | ratio |",
        "|---|---:|---:|---:|",
    ]
    for label, key, fmt in rows:
        a, b = sk[key], me[key]
        ratio = ""
        if (
            key
            in (
                "cold_first_fit",
                "first_fit",
                "pipeline_median",
                "model_median",
                "traced_peak_mb",
                "rss_fit_growth_mb",
            )
            and a
        ):
            ratio = f"{b / a:.2f}"
        lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio} |")
    lines += [
        "",
        f"Relative objective difference {rel:.2e}; largest coefficient "
        f"difference {coef_diff:.3g} (the dummies are collinear, so at this small "
        "alpha the coefficients are only weakly determined; compare objectives).",
        "",
        "ratio = skreg / scikit-learn (below 1: skreg is faster or smaller).",
        "",
    ]
    return "\n".join(lines)


def _figure(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [
        ("cold_first_fit", "first fit\n(empty cache)"),
        ("first_fit", "first fit\n(warm cache)"),
        ("pipeline_median", "warm pipeline\nfit"),
        ("model_median", "model step"),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
    width = 0.38
    for j, impl in enumerate(IMPLEMENTATIONS):
        r = results[impl]
        axes[0].bar(
            [i + (j - 0.5) * width for i in range(len(keys))],
            [r[k] for k, _ in keys],
            width,
            label=impl,
        )
        axes[1].bar(
            [(j - 0.5) * width, 1 + (j - 0.5) * width],
            [r["traced_peak_mb"], r["rss_fit_growth_mb"]],
            width,
            label=impl,
        )
    axes[0].set_xticks(range(len(keys)), [lbl for _, lbl in keys])
    axes[0].set_ylabel("seconds")
    axes[1].set_xticks([0, 1], ["tracemalloc peak", "RSS growth"])
    axes[1].set_ylabel("MB")
    axes[0].legend()
    n = results["sklearn"]["n_samples"]
    fig.suptitle(f"wage pipeline, elastic net, {n:,} rows (sparse one-hot)")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10**5 rows, for CI")
    parser.add_argument("--n-samples", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", choices=IMPLEMENTATIONS, help=argparse.SUPPRESS)
    parser.add_argument("--first-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.n_samples is None:
        args.n_samples = 100_000 if args.quick else 1_000_000
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5
    if args.worker:
        out = worker(
            args.worker, args.n_samples, args.repeats, args.seed, args.first_only
        )
        print(json.dumps(out))
        return 0
    import tempfile

    results = {}
    for impl in IMPLEMENTATIONS:
        print(f"[bench_wage] {impl}: {args.n_samples:,} rows ...", file=sys.stderr)
        t = time.perf_counter()
        # the warm process reads the cache the cold one wrote: numba's default
        # cache may be stale (written before the kernels' last edit), and a
        # "warm" first fit would then include compilation
        with tempfile.TemporaryDirectory() as cache:
            cold = _run_worker(impl, args, cache_dir=cache, first_only=True)
            results[impl] = _run_worker(impl, args, cache_dir=cache)
        results[impl]["cold_first_fit"] = cold["first_fit"]
        print(
            f"[bench_wage] {impl}: done in {time.perf_counter() - t:.1f} s",
            file=sys.stderr,
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "wage_quick" if args.quick else "wage"
    text = _markdown(results, args)
    (RESULTS / f"{stem}.md").write_text(text, encoding="utf-8")
    _figure(results, RESULTS / f"{stem}.png")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
