"""Helpers for the Lasso / elastic-net benchmark (``bench_lasso.py``).

Importing this module pins every thread pool to one thread (it sets the
environment variables before NumPy is imported, so import it first), then
offers: problem generators, the objective and duality gap computed
independently of every solver, timing of one pass over the data, running a
function in a forked child under a time cap, resident-set measurements and
machine information.
"""

import os

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
for _var in THREAD_VARS:
    os.environ[_var] = "1"  # one thread for every library, whatever the caller set

import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402


def limit_threads():
    """Also cap already-loaded native pools (BLAS, OpenMP) with threadpoolctl."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with sklearn
        return None
    return threadpool_limits(limits=1)


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------
def toeplitz_design(n, p, rho, rng):
    """Rows drawn from N(0, Sigma), Sigma_ij = rho^|i-j|, Fortran-ordered float64.

    Generated column by column as the stationary AR(1) process
    ``x_j = rho x_{j-1} + sqrt(1 - rho^2) z_j``, which has exactly this
    covariance, without forming Sigma or its Cholesky factor.
    """
    X = np.empty((n, p), order="F")
    X[:, 0] = rng.standard_normal(n)
    c = np.sqrt(1.0 - rho**2)
    for j in range(1, p):
        np.multiply(X[:, j - 1], rho, out=X[:, j])
        X[:, j] += c * rng.standard_normal(n)
    return X


def sparse_design(n, p, density, rng):
    """CSC matrix with ``density * n * p`` standard-normal entries (int32 indices)."""
    X = sp.random(
        n, p, density=density, format="csc", random_state=rng,
        data_rvs=rng.standard_normal, dtype=np.float64,
    )
    X.sort_indices()
    return X


def make_problem_data(kind, n, p, density, fit_intercept, weighted, seed,
                      rho=0.5, n_informative=None, snr=3.0):
    """Design, target, sample weights and the planted coefficients.

    ``y = X w* + b + noise`` with ``w*`` having ``n_informative`` (default
    ``max(p // 100, 5)``) entries of random sign and magnitude in [1, 2], the
    noise scaled to the signal-to-noise ratio ``snr``. With
    ``fit_intercept``, dense columns are shifted by random means and ``y`` by
    an offset (so the intercept matters); with ``weighted``, sample weights
    are drawn uniformly in [0.2, 2].
    """
    rng = np.random.default_rng(seed)
    if kind == "sparse":
        X = sparse_design(n, p, density, rng)
    else:
        X = toeplitz_design(n, p, rho, rng)
        if fit_intercept:
            X += rng.uniform(-1.0, 1.0, size=p)
    k = n_informative or max(p // 100, 5)
    w_star = np.zeros(p)
    support = rng.choice(p, size=k, replace=False)
    w_star[support] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(1.0, 2.0, size=k)
    signal = np.asarray(X @ w_star).ravel()
    sigma = np.std(signal) / snr if np.std(signal) > 0 else 1.0
    y = signal + sigma * rng.standard_normal(n)
    if fit_intercept:
        y += 3.0
    sw = rng.uniform(0.2, 2.0, size=n) if weighted else None
    return X, y, sw, w_star


def _moments(X, y, sw, fit_intercept):
    """Normalised weights s (sum 1), weighted column means and centred y."""
    n = X.shape[0]
    s = np.full(n, 1.0 / n) if sw is None else np.asarray(sw, float) / np.sum(sw)
    if fit_intercept:
        x_mean = np.asarray(X.T @ s).ravel()
        y_mean = float(s @ y)
    else:
        x_mean = np.zeros(X.shape[1])
        y_mean = 0.0
    return s, x_mean, y - y_mean, y_mean


def alpha_max(X, y, sw, fit_intercept, l1_ratio=1.0):
    """Smallest alpha with an all-zero solution (scikit-learn's convention)."""
    s, x_mean, y_c, _ = _moments(X, y, sw, fit_intercept)
    grad = np.asarray(X.T @ (s * y_c)).ravel() - x_mean * np.sum(s * y_c)
    return float(np.max(np.abs(grad)) / l1_ratio)


def objective(X, y, sw, coef, intercept, alpha, l1_ratio):
    """scikit-learn's (weighted) elastic-net objective, computed here in float64.

    ``1/(2 sum s) sum_i s_i (y_i - x_i w - b)^2 + alpha l1_ratio ||w||_1
    + alpha (1 - l1_ratio) / 2 ||w||^2``; never taken from a solver.
    """
    w = np.asarray(coef, dtype=np.float64).ravel()
    r = y - np.asarray(X @ w).ravel() - float(intercept)
    n = X.shape[0]
    s = np.full(n, 1.0 / n) if sw is None else np.asarray(sw, float) / np.sum(sw)
    return float(
        0.5 * np.sum(s * r * r)
        + alpha * l1_ratio * np.sum(np.abs(w))
        + 0.5 * alpha * (1.0 - l1_ratio) * (w @ w)
    )


def duality_gap(X, y, sw, coef, alpha, l1_ratio, fit_intercept):
    """Duality gap of ``coef`` (intercept eliminated by centring), objective units.

    The rescaled-residual dual point of Ndiaye et al. (2017), in the form
    scikit-learn's ``enet_coordinate_descent`` uses: a certificate
    ``P(w) - P* <= gap`` that does not depend on any solver.
    """
    w = np.asarray(coef, dtype=np.float64).ravel()
    s, x_mean, y_c, _ = _moments(X, y, sw, fit_intercept)
    r = y_c - (np.asarray(X @ w).ravel() - x_mean @ w)  # centred residual
    sr = s * r
    l1, l2 = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    xta = np.asarray(X.T @ sr).ravel() - x_mean * np.sum(sr) - l2 * w
    dual_norm = float(np.max(np.abs(xta), initial=0.0))
    r_norm2 = float(sr @ r)
    if l1 > 0 and dual_norm > l1:
        const = l1 / dual_norm
        gap = 0.5 * r_norm2 * (1.0 + const**2)
    else:
        const = 1.0
        gap = r_norm2
    gap += l1 * np.sum(np.abs(w)) - const * float(sr @ y_c)
    gap += 0.5 * l2 * (1.0 + const**2) * (w @ w)
    return float(gap)


def pass_time(X, r, min_total=0.2, min_runs=7):
    """Median time of one ``X.T @ r`` (one pass over the data)."""
    times = []
    t_start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - t_start < min_total:
        t = time.perf_counter()
        X.T @ r
        times.append(time.perf_counter() - t)
        if len(times) >= 1000:
            break
    return float(np.median(times))


# --------------------------------------------------------------------------
# running under a time cap
# --------------------------------------------------------------------------
def run_capped(target, args, cap, budget, on_message=None):
    """Run ``target(send, *args)`` in a forked child, killing it past the caps.

    The child reports with ``send(("start", label))`` before each timed fit
    and ``send((kind, payload))`` otherwise; ``cap`` bounds every single fit
    (from its ``start`` message), ``budget`` the child's whole run. A fork
    shares the parent's data and compiled code without pickling, and a
    compiled loop that holds no Python lock (numba, Cython ``nogil``) can only
    be stopped by killing its process.

    Returns ``(messages, status)`` with status ``"ok"``, ``"cap"`` (one fit
    exceeded ``cap``), ``"budget"`` or ``"crashed"``.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    recv_end, send_end = ctx.Pipe(duplex=False)

    def child():
        recv_end.close()
        limit_threads()
        try:
            target(send_end.send, *args)
        except BaseException as exc:  # report, never hang the parent
            send_end.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            send_end.send(("done", None))
            send_end.close()

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    send_end.close()
    messages = []
    status = None
    t0 = time.perf_counter()
    fit_start = None
    while status is None:
        now = time.perf_counter()
        limits = [budget - (now - t0)]
        if fit_start is not None:
            limits.append(cap - (now - fit_start))
        wait = max(min(limits), 0.0)
        if recv_end.poll(wait):
            try:
                msg = recv_end.recv()
            except EOFError:
                status = "crashed"
                break
            if msg[0] == "done":
                status = "ok"
                break
            if msg[0] == "start":
                fit_start = time.perf_counter()
            elif msg[0] == "attempt":
                fit_start = None
            messages.append(msg)
            if on_message is not None:
                on_message(msg)
            continue
        now = time.perf_counter()
        if fit_start is not None and now - fit_start >= cap:
            status = "cap"
        elif now - t0 >= budget:
            status = "budget"
    if proc.is_alive() and status != "ok":
        proc.kill()
    proc.join(timeout=30)
    if proc.is_alive():  # pragma: no cover
        proc.kill()
        proc.join()
    recv_end.close()
    return messages, status


# --------------------------------------------------------------------------
# memory
# --------------------------------------------------------------------------
def _status_kb(field):
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss():
    """Reset the kernel's resident-set high-water mark (Linux >= 4.0).

    Returns the current RSS in bytes, or None when unsupported.
    """
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return None
    kb = _status_kb("VmRSS")
    return None if kb is None else kb * 1024


def peak_rss():
    """Resident-set high-water mark in bytes since the last reset (VmHWM)."""
    kb = _status_kb("VmHWM")
    return None if kb is None else kb * 1024


# --------------------------------------------------------------------------
# machine information
# --------------------------------------------------------------------------
def machine_info():
    """CPU model, cores, versions, date and load average."""
    import importlib

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for mod in ("numpy", "scipy", "sklearn", "numba", "skglm", "celer"):
        try:
            versions[mod] = importlib.import_module(mod).__version__
        except Exception:  # not installed or broken: reported as missing
            versions[mod] = None
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "loadavg": load,
        "threads": {v: os.environ.get(v) for v in THREAD_VARS},
        "argv": sys.argv,
    }
