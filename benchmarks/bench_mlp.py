"""Benchmark: MLPFromScratch vs scikit-learn's MLPRegressor, one thread.

Problem: n=50000 samples, p=50 features, hidden layers (64, 64), ReLU, Adam
(lr 1e-3), mini-batches of 200, shuffling, alpha=0 (the two libraries scale
the L2 penalty differently for mini-batches). Both estimators fit the same
data for the same number of epochs from several seeds; reported:

* time per epoch (fit time / epochs; median over seeds),
* numba compile time in a fresh process with an empty cache, and the time to
  load the compiled kernels from a warm cache (both excluded from the
  per-epoch timings, which are measured after a warm-up fit),
* the final training loss (``loss_curve_[-1]``, half the MSE for both) and
  the test R^2, per seed.

skreg runs twice per seed: with its own ``init="glorot"`` (the
initialization family scikit-learn uses; scikit-learn also draws random
biases, skreg starts them at zero), and warm-started from exactly
scikit-learn's initial weights (obtained by a scikit-learn fit with a
learning rate of 1e-300), so that the two runs differ only by the
shuffling draws.

Usage::

    python benchmarks/bench_mlp.py [--quick]

Writes ``benchmarks/results/mlp.md`` (``mlp_quick.md`` with ``--quick``) and
a PNG of the loss curves next to it.
"""

import os

# one thread everywhere, before numpy / numba are imported
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

_COMPILE_SNIPPET = """
import os, time
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[v] = "1"
import warnings
import numpy as np
from skreg.neural_network import MLPFromScratch
X = np.random.default_rng(0).standard_normal((64, 5))
y = X[:, 0]
t0 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    MLPFromScratch((8, 8), max_iter=2, batch_size=16, random_state=0).fit(X, y)
t1 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    MLPFromScratch((8, 8), max_iter=2, batch_size=16, random_state=0).fit(X, y)
t2 = time.perf_counter()
print(t1 - t0 - (t2 - t1))
"""


def compile_times():
    """(cold compile, warm-cache load) seconds, each in a fresh process.

    Time of the first tiny fit after the imports minus the time of a second
    identical fit: what the kernels cost before the first useful epoch.
    """
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache,
                   PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        out = []
        for _ in range(2):
            r = subprocess.run([sys.executable, "-c", _COMPILE_SNIPPET], env=env,
                               capture_output=True, text=True, check=True)
            out.append(float(r.stdout.strip().splitlines()[-1]))
    return out[0], out[1]


def make_data(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n + n // 5, p))
    w = rng.standard_normal(p) / np.sqrt(p)
    y = (np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] + np.tanh(X @ w)
         + 0.1 * rng.standard_normal(X.shape[0]))
    return X[:n], y[:n], X[n:], y[n:]


def run(est, X, y, Xt, yt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        est.fit(X, y)
        elapsed = time.perf_counter() - t0
    return elapsed, list(est.loss_curve_), est.score(Xt, yt)


def sklearn_initial_weights(MLPRegressor, common, seed, X, y):
    """scikit-learn's initial weights: one epoch with lr=1e-300 moves nothing."""
    est = MLPRegressor(**{**common, "max_iter": 1, "learning_rate_init": 1e-300},
                       random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X[:400], y[:400])
    return est.coefs_, est.intercepts_


def skreg_from_weights(MLPFromScratch, common, seed, coefs, intercepts, X, y):
    """An unfitted-looking skreg model that will start from given weights."""
    est = MLPFromScratch(**{**common, "max_iter": 1}, preprocessing=None,
                         warm_start=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X[:400], y[:400])
    est.coefs_ = [c.copy() for c in coefs]
    est.intercepts_ = [c.copy() for c in intercepts]
    est.n_iter_, est.t_, est.loss_curve_, est.best_loss_ = 0, 0, [], np.inf
    return est.set_params(max_iter=common["max_iter"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small problem (n=5000), finishes in ~20 s")
    args = parser.parse_args(argv)

    import sklearn
    from sklearn.neural_network import MLPRegressor

    import skreg
    from skreg.neural_network import MLPFromScratch

    if args.quick:
        n, p, epochs, seeds = 5000, 50, 4, [0, 1]
    else:
        n, p, epochs, seeds = 50000, 50, 10, [0, 1, 2]
    hidden, batch = (64, 64), 200
    X, y, Xt, yt = make_data(n, p)
    common = dict(hidden_layer_sizes=hidden, batch_size=batch, max_iter=epochs,
                  learning_rate_init=1e-3, alpha=0.0, tol=0.0,
                  n_iter_no_change=10**6)

    cold, warm = compile_times()
    print(f"numba: compile {cold:.2f} s (empty cache), load {warm:.2f} s (warm cache)")

    names = ["scikit-learn", "skreg", "skreg (sklearn's init)"]
    results = {name: [] for name in names}
    with threadpool_limits(limits=1):
        # warm-up: kernels compiled / loaded, BLAS initialised
        run(MLPFromScratch(**{**common, "max_iter": 1}), X[:1000], y[:1000], Xt, yt)
        run(MLPRegressor(**{**common, "max_iter": 1}), X[:1000], y[:1000], Xt, yt)
        for seed in seeds:
            coefs, intercepts = sklearn_initial_weights(MLPRegressor, common, seed,
                                                        X, y)
            for name in names:
                if name == "skreg":
                    est = MLPFromScratch(**common, init="glorot", random_state=seed)
                elif name == "scikit-learn":
                    est = MLPRegressor(**common, random_state=seed)
                else:
                    est = skreg_from_weights(MLPFromScratch, common, seed, coefs,
                                             intercepts, X, y)
                elapsed, curve, r2 = run(est, X, y, Xt, yt)
                results[name].append((elapsed / epochs, curve, r2))
                print(f"{name:>22} seed {seed}: {elapsed / epochs:.4f} s/epoch, "
                      f"final loss {curve[-1]:.5f}, test R2 {r2:.4f}")

    rows = []
    for name, res in results.items():
        per_epoch = np.array([r[0] for r in res])
        final = np.array([r[1][-1] for r in res])
        r2 = np.array([r[2] for r in res])
        rows.append((name, np.median(per_epoch), per_epoch.min(), per_epoch.max(),
                     final.mean(), final.std(ddof=1) if final.size > 1 else 0.0,
                     r2.mean()))
    speedup = rows[0][1] / rows[1][1]

    RESULTS.mkdir(exist_ok=True)
    stem = "mlp_quick" if args.quick else "mlp"
    lines = [
        f"# MLP benchmark{' (quick)' if args.quick else ''}",
        "",
        f"n={n}, p={p}, hidden={hidden}, batch={batch}, Adam lr=1e-3, ReLU, "
        f"alpha=0, {epochs} epochs, seeds {seeds}, one thread "
        "(threadpoolctl + OMP/OPENBLAS/NUMBA_NUM_THREADS=1). "
        "skreg uses init='glorot' (scikit-learn's initialization family, "
        "zero biases); 'skreg (sklearn's init)' starts from scikit-learn's "
        "initial weights and biases (same seed), so it differs from "
        "scikit-learn only by the shuffling.",
        "",
        "| estimator | s/epoch (median) | min | max | final train loss "
        "(0.5 MSE, mean ± sd over seeds) | test R² |",
        "|---|---|---|---|---|---|",
    ]
    for name, med, lo, hi, fm, fs, r2 in rows:
        lines.append(f"| {name} | {med:.4f} | {lo:.4f} | {hi:.4f} | "
                     f"{fm:.5f} ± {fs:.5f} | {r2:.4f} |")
    lines += [
        "",
        f"skreg per-epoch speed-up over scikit-learn: **{speedup:.2f}x**.",
        "",
        f"numba compile time (fresh process, empty cache): {cold:.2f} s; "
        f"loading the cached kernels in a fresh process: {warm:.2f} s. "
        "Neither is included in the per-epoch times.",
        "",
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, skreg {skreg.__version__}, "
        f"{platform.machine()} ({os.cpu_count()} logical CPUs, shared).",
        "",
    ]
    (RESULTS / f"{stem}.md").write_text("\n".join(lines))
    print("\n".join(lines))

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        for name, color in zip(names, ["C0", "C1", "C2"], strict=True):
            for i, res in enumerate(results[name]):
                ax.plot(np.arange(1, epochs + 1), res[1], color=color, alpha=0.7,
                        label=name if i == 0 else None)
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss (0.5 MSE)")
        ax.set_title(f"MLP (64, 64), Adam, n={n}: one curve per seed")
        ax.legend()
        fig.tight_layout()
        fig.savefig(RESULTS / f"{stem}.png", dpi=100)
    except ImportError:  # pragma: no cover
        pass


if __name__ == "__main__":
    main()
