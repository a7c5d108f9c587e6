"""The wage analysis: checks, cross-validated fits, contrasts and the path."""

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from skreg.wage._contrasts import default_contrasts, wage_contrasts
from skreg.wage._estimators import EstimatorSpec, alpha_max, get_estimator_specs
from skreg.wage._pipeline import (
    CATEGORICAL,
    NUMERIC,
    make_wage_pipeline,
    wage_coefficients,
    wage_feature_names,
)

__all__ = [
    "EstimatorResult",
    "WageAnalysis",
    "WageDataError",
    "check_wage_data",
    "run_wage_analysis",
]

_SCORING = {"r2": "r2", "rmse": "neg_root_mean_squared_error"}


class WageDataError(ValueError):
    """The data cannot be analysed as asked; the message says what to fix."""


def _rows(mask, limit=5):
    """``data row 3`` / ``data rows 3, 8, ...`` (1 = first data row) of ``mask``."""
    idx = np.flatnonzero(np.asarray(mask)) + 1
    shown = ", ".join(str(i) for i in idx[:limit])
    word = "data row" if idx.size == 1 or limit == 1 else "data rows"
    return f"{word} {shown}" + (", ..." if idx.size > limit else "")


def _missing_columns(data, columns, role, source):
    import difflib

    missing = [c for c in columns if c not in data.columns]
    if not missing:
        return
    hints = []
    for c in missing:
        close = difflib.get_close_matches(str(c), [str(x) for x in data.columns], 1)
        if close:
            hints.append(f"{c!r} (did you mean {close[0]!r}?)")
        else:
            hints.append(repr(c))
    raise WageDataError(
        f"{role} column{'s' if len(missing) > 1 else ''} {', '.join(hints)} not found "
        f"in {source}. Available columns: {', '.join(map(str, data.columns))}."
    )


def check_wage_data(data, target, categorical, numeric, *, source="the data"):
    """Validate a census extract and split it into ``X`` and ``y``.

    Parameters
    ----------
    data : DataFrame
        The records.

    target : str
        Numeric column to predict (e.g. monthly salary).

    categorical, numeric : sequence of str
        Feature columns, one-hot encoded and numeric.

    source : str, default="the data"
        How to name the data in messages (e.g. the file name).

    Returns
    -------
    X : DataFrame
        The feature columns, numeric ones as float64.

    y : Series
        The target as float64.

    Raises
    ------
    WageDataError
        With a message saying what to fix: an empty table, a missing column,
        a non-numeric or incomplete target or numeric column, a categorical
        column with missing values, a column used twice.

    Examples
    --------
    >>> import pandas as pd
    >>> from skreg.wage import check_wage_data
    >>> df = pd.DataFrame({"pay": [1.0, None], "grade": ["a", "b"]})
    >>> check_wage_data(df, "pay", ["grade"], [])
    Traceback (most recent call last):
    ...
    skreg.wage._analysis.WageDataError: target column 'pay' has 1 missing value ...
    """
    categorical, numeric = list(categorical), list(numeric)
    if data.shape[0] == 0:
        raise WageDataError(f"{source} has no data rows: give a file with records.")
    _missing_columns(data, [target], "target", source)
    _missing_columns(data, categorical, "categorical", source)
    _missing_columns(data, numeric, "numeric", source)
    if not categorical and not numeric:
        raise WageDataError(
            "No feature columns: name them with --categorical and/or --numeric."
        )
    used = [target, *categorical, *numeric]
    dup = sorted({c for c in used if used.count(c) > 1}, key=str)
    if dup:
        raise WageDataError(
            f"column(s) {dup} are used more than once (as target, categorical or "
            "numeric); give each column one role."
        )

    def as_number(col, role):
        values = data[col]
        converted = pd.to_numeric(values, errors="coerce")
        bad = converted.isna() & values.notna()
        if bad.any():
            first = values[bad].iloc[0]
            hint = ""
            if isinstance(first, str) and "," in first:
                hint = " It looks like thousands separators: remove the commas."
            raise WageDataError(
                f"{role} column {col!r} is not numeric: {int(bad.sum())} value(s) "
                f"such as {first!r} ({_rows(bad, 1)}) are not numbers. "
                f"Clean the column, or choose another column.{hint}"
            )
        if converted.isna().any():
            n = int(converted.isna().sum())
            raise WageDataError(
                f"{role} column {col!r} has {n} missing value{'s' if n > 1 else ''} "
                f"({_rows(converted.isna())}). Drop or fill those rows."
            )
        converted = converted.astype(np.float64)
        if not np.all(np.isfinite(converted.to_numpy())):
            raise WageDataError(
                f"{role} column {col!r} contains infinite values "
                f"({_rows(~np.isfinite(converted.to_numpy()))})."
            )
        return converted

    y = as_number(target, "target").rename(target)
    X = data[categorical + numeric].copy()
    for col in numeric:
        X[col] = as_number(col, "numeric")
    for col in categorical:
        na = X[col].isna()
        if na.any():
            n = int(na.sum())
            raise WageDataError(
                f"categorical column {col!r} has {n} missing "
                f"value{'s' if n > 1 else ''} ({_rows(na)}). Fill them with a "
                "level of their own (for example 'unknown') or drop those rows."
            )
    return X, y


@dataclass
class EstimatorResult:
    """One estimator's fit in a :class:`WageAnalysis`.

    Attributes
    ----------
    spec : EstimatorSpec
        How the estimator was built and tuned.
    pipeline : Pipeline
        The chosen model, refit on all analysed rows (or on its subsample).
    best_params : dict
        The chosen hyper-parameters (empty for OLS).
    cv_r2, cv_r2_std, cv_rmse, cv_rmse_std : float
        Mean and standard deviation over the folds of the chosen candidate.
    n_candidates : int
        Grid points tried.
    fit_time : float
        Seconds for the search, the refit and the contrasts.
    n_not_converged : int
        Fits that ended with a ConvergenceWarning.
    coefficients : pandas.Series or None
        Named coefficients in original units (None for the MLP).
    contrasts : pandas.Series
        The analysis' contrasts for this model.
    n_train : int
        Rows the final model was fitted on.
    n_nonfinite : int
        Candidates whose CV score was not finite (diverged fits).
    n_tune : int
        Rows the grid search ran on.
    alpha_at_edge : {"smallest", "largest"} or None
        Whether the chosen alpha is at an end of its grid.
    """

    spec: EstimatorSpec
    pipeline: object
    best_params: dict
    cv_r2: float
    cv_r2_std: float
    cv_rmse: float
    cv_rmse_std: float
    n_candidates: int
    fit_time: float
    n_not_converged: int
    coefficients: pd.Series | None
    contrasts: pd.Series
    n_train: int = 0
    n_nonfinite: int = 0
    n_tune: int = 0
    alpha_at_edge: str | None = None

    @property
    def label(self):
        return self.spec.label


@dataclass
class WageAnalysis:
    """Result of :func:`run_wage_analysis`.

    Attributes
    ----------
    data : DataFrame
        The rows analysed (after the query), features and target.
    data_all : DataFrame
        All rows, before the query (for figures).
    target, categorical, numeric : str, list, list
        The model's columns.
    query : str or None
        The row filter applied.
    contrasts : list of Contrast
    results : dict of EstimatorResult
        By estimator key, in the order fitted.
    failures : dict of str
        Estimators that raised an error: key -> "ErrorType: message".
    path : dict or None
        ``alphas``, ``coefs`` (DataFrame features x alphas, model units:
        numeric columns standardised), ``implementation`` and
        ``chosen_alpha`` (the L1 model's choice).
    cv : int
    random_state : int
    """

    data: pd.DataFrame
    data_all: pd.DataFrame
    target: str
    categorical: list
    numeric: list
    query: str | None
    contrasts: list
    results: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    path: dict | None = None
    cv: int = 5
    random_state: int = 0
    source: str = ""
    sparse: bool = False

    @property
    def coefficients(self):
        """Named coefficients (original units), one column per linear model."""
        cols = {
            r.label: r.coefficients
            for r in self.results.values()
            if r.coefficients is not None
        }
        return pd.DataFrame(cols)

    @property
    def contrast_table(self):
        """Identified contrasts, one column per estimator."""
        return pd.DataFrame({r.label: r.contrasts for r in self.results.values()})

    @property
    def scores(self):
        """Cross-validated R² and RMSE, chosen parameters and timings."""
        rows = []
        for r in self.results.values():
            rows.append(
                {
                    "estimator": r.label,
                    "implementation": r.spec.implementation,
                    "cv_r2": r.cv_r2,
                    "cv_r2_std": r.cv_r2_std,
                    "cv_rmse": r.cv_rmse,
                    "cv_rmse_std": r.cv_rmse_std,
                    "chosen": _format_params(r.best_params),
                    "candidates": r.n_candidates,
                    "fit_time_s": r.fit_time,
                    "not_converged": r.n_not_converged,
                }
            )
        if not rows:
            return pd.DataFrame(columns=["implementation", "cv_r2", "cv_rmse"])
        return pd.DataFrame(rows).set_index("estimator")

    def plot_fit(self, **kwargs):
        """Salary against the first numeric column per level; see plot_wage_fit."""
        from skreg.plotting._wage import plot_wage_fit

        return plot_wage_fit(self, **kwargs)

    def plot_coefficients(self, **kwargs):
        """Coefficients and contrasts side by side; see plot_wage_coefficients."""
        from skreg.plotting._wage import plot_wage_coefficients

        return plot_wage_coefficients(self, **kwargs)

    def plot_path(self, **kwargs):
        """The L1 regularization path; see plot_wage_path."""
        from skreg.plotting._wage import plot_wage_path

        return plot_wage_path(self, **kwargs)

    def summary(self):
        """The readable text summary printed by ``python -m skreg wages``."""
        from skreg.wage._report import format_summary

        return format_summary(self)


def _reraise_others(caught, n_bad):
    """Count ConvergenceWarnings; re-emit other warnings except the noise of
    non-finite scores (overflow in the metrics, GridSearchCV's "non-finite"
    warning) when those are already counted in ``n_bad``."""
    n_nc = 0
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            n_nc += 1
            continue
        if n_bad and (
            (issubclass(w.category, RuntimeWarning) and "sklearn" in w.filename)
            or "non-finite" in str(w.message)
        ):
            continue
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return n_nc


def _format_params(params):
    if not params:
        return "-"
    parts = []
    for k, v in params.items():
        if isinstance(v, float):
            parts.append(f"{k}={v:.3g}")
        else:
            parts.append(f"{k}={v}")
    return ", ".join(parts)


def _strip(params):
    out = {}
    for k, v in params.items():
        k = k.removeprefix("model__").removeprefix("regressor__")
        out[k] = v
    return out


def _prefixed(grid):
    if isinstance(grid, dict):
        return {f"model__{k}": v for k, v in grid.items()}
    return [_prefixed(g) for g in grid]


def _n_candidates(grid):
    if isinstance(grid, dict):
        return int(np.prod([len(v) for v in grid.values()]))
    return sum(_n_candidates(g) for g in grid)


def _default_columns(data, target, categorical, numeric):
    if categorical is None and numeric is None:
        if all(c in data.columns for c in (*CATEGORICAL, *NUMERIC)):
            return list(CATEGORICAL), list(NUMERIC)
    rest = [c for c in data.columns if c != target]
    if categorical is None:
        exclude = set(numeric or ())
        categorical = [
            c
            for c in rest
            if c not in exclude and not pd.api.types.is_numeric_dtype(data[c])
        ]
    if numeric is None:
        exclude = set(categorical)
        numeric = [
            c
            for c in rest
            if c not in exclude
            and pd.api.types.is_numeric_dtype(data[c])
            and not pd.api.types.is_bool_dtype(data[c])
        ]
    return list(categorical), list(numeric)


def _regularization_path(X, y, spec, categorical, numeric, sparse, n_alphas=30):
    """Coefficients of the L1 model over a decreasing alpha grid (warm starts)."""
    pipe = make_wage_pipeline(
        None,
        categorical=categorical,
        numeric=numeric,
        scale_numeric=True,
        sparse_output=sparse,
    )
    encode = pipe.named_steps["encode"]
    Xt = encode.fit_transform(X)
    pipe.named_steps["encode"] = encode
    names = wage_feature_names(pipe)
    amax = alpha_max(Xt, y)
    alphas = amax * np.logspace(0, -4, n_alphas)
    model = spec.build()
    if "warm_start" in model.get_params():
        model.set_params(warm_start=True)
    coefs = np.empty((len(names), n_alphas))
    y = np.asarray(y, dtype=np.float64)
    null_objective = 0.5 * np.var(y)
    n_failed = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        for i, a in enumerate(alphas):
            model.set_params(alpha=float(a))
            model.fit(Xt, y)
            w = np.ravel(model.coef_).astype(np.float64)
            resid = (
                y - np.asarray(Xt @ w).ravel() - float(np.ravel(model.intercept_)[0])
            )
            objective = 0.5 * np.mean(resid**2) + a * np.abs(w).sum()
            if not np.isfinite(objective) or objective > null_objective * (1 + 1e-6):
                # worse than all-zero coefficients: the solver failed here
                coefs[:, i] = np.nan
                n_failed += 1
                model = spec.build()  # do not warm-start from a failed fit
                if "warm_start" in model.get_params():
                    model.set_params(warm_start=True)
            else:
                coefs[:, i] = w
    n_not_converged = _reraise_others(caught, n_failed)
    return {
        "alphas": alphas,
        "coefs": pd.DataFrame(coefs, index=names, columns=alphas),
        "implementation": spec.implementation,
        "numeric": list(numeric),
        "n_not_converged": n_not_converged,
        "n_failed": n_failed,
    }


def run_wage_analysis(
    data,
    *,
    target="salary",
    categorical=None,
    numeric=None,
    query=None,
    estimators=None,
    backend="skreg",
    contrasts=None,
    cv=5,
    n_alphas=12,
    random_state=0,
    sparse="auto",
    path=True,
    n_jobs=None,
    tune_max_samples=100_000,
    progress=None,
    source="the data",
):
    """Fit the wage models, choose their regularization by CV, collect results.

    For each estimator: a :func:`~skreg.wage.make_wage_pipeline` pipeline,
    its hyper-parameters chosen by :class:`~sklearn.model_selection.GridSearchCV`
    (shuffled K-fold, scored by RMSE, R² also recorded), refit on all rows;
    then named coefficients, identified contrasts, and an L1 regularization
    path over the one-hot features.

    Parameters
    ----------
    data : DataFrame
        Records with the target and feature columns.

    target : str, default="salary"
        Numeric column to predict.

    categorical, numeric : list of str or None, default=None
        Feature columns. None: ``education, company_size`` and ``age`` when
        the data has them (and neither is given), otherwise inferred from the
        dtypes (non-numeric columns are categorical).

    query : str or None, default=None
        Row filter in :meth:`pandas.DataFrame.query` syntax, e.g.
        ``"age < 55"`` for the classic exercise.

    estimators : list of (str or EstimatorSpec) or None, default=None
        Keys of :func:`~skreg.wage.get_estimator_specs` (``"ols", "lasso",
        "ridge", "enet", "mlp"``) or custom specs. None: all five.

    backend : {"skreg", "sklearn"}, default="skreg"
        Implementation of the built-in penalised models and MLP.

    contrasts : list of Contrast or None, default=None
        None: :func:`~skreg.wage.default_contrasts`.

    cv : int, default=5
        Number of folds.

    n_alphas : int, default=12
        Grid points per regularization grid.

    random_state : int, default=0
        Seed of the fold shuffling and of the MLP.

    sparse : bool or "auto", default="auto"
        Sparse one-hot design; "auto": when there are more than 100,000 rows.

    path : bool, default=True
        Compute the L1 regularization path (needs the L1 model, else
        scikit-learn's Lasso is used).

    n_jobs : int or None, default=None
        Passed to GridSearchCV.

    tune_max_samples : int or None, default=100_000
        Run each grid search on a random subsample of at most this many
        rows, then refit the chosen model on all rows (with 10**6 records the
        choice of alpha is settled long before, and the search costs
        candidates x folds fits). None: search on all rows.

    progress : callable or None, default=None
        Called with one-line progress messages.

    source : str, default="the data"
        Name of the data in messages.

    Returns
    -------
    analysis : WageAnalysis

    Raises
    ------
    WageDataError
        When the data cannot be analysed as asked (see
        :func:`check_wage_data`).

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import run_wage_analysis
    >>> res = run_wage_analysis(load_wages(), query="age < 55",
    ...                         estimators=["ols"], path=False)
    >>> res.contrast_table.round(1)  # doctest: +NORMALIZE_WHITESPACE
                                     OLS
    education: high - middle         4.3
    education: tech - middle        19.5
    education: university - middle  93.9
    company_size: middle - small     9.6
    company_size: large - small     46.9
    age: slope                       5.1
    """
    say = progress if progress is not None else (lambda msg: None)
    t0 = time.perf_counter()
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    categorical, numeric = _default_columns(data, target, categorical, numeric)
    X_all, y_all = check_wage_data(data, target, categorical, numeric, source=source)
    data_all = X_all.assign(**{target: y_all})
    if query:
        try:
            kept = data_all.query(query)
        except Exception as exc:  # pandas raises many types for a bad expression
            raise WageDataError(
                f"Cannot apply the row filter {query!r}: {exc}. Write it in pandas "
                "query syntax with the column names, e.g. 'age < 55'."
            ) from None
        if kept.shape[0] == 0:
            raise WageDataError(f"No rows left after the row filter {query!r}.")
    else:
        kept = data_all
    X, y = kept[categorical + numeric], kept[target]
    n = X.shape[0]
    if n < max(cv, 2) * 2:
        raise WageDataError(
            f"Only {n} rows to analyse: need at least {max(cv, 2) * 2} for {cv}-fold "
            "cross-validation. Give more rows or a smaller --cv."
        )
    if float(np.var(y.to_numpy())) == 0.0:
        raise WageDataError(f"target column {target!r} is constant: nothing to model.")
    sparse = (n > 100_000) if sparse == "auto" else bool(sparse)
    if contrasts is None:
        contrasts = default_contrasts(X, categorical, numeric)
    contrasts = list(contrasts)

    specs = []
    for e in (
        estimators
        if estimators is not None
        else get_estimator_specs(
            None, backend=backend, n_alphas=n_alphas, random_state=random_state
        )
    ):
        if not isinstance(e, EstimatorSpec):
            (e,) = get_estimator_specs(
                [e], backend=backend, n_alphas=n_alphas, random_state=random_state
            )
        specs.append(e)
    analysis = WageAnalysis(
        data=kept,
        data_all=data_all,
        target=target,
        categorical=categorical,
        numeric=numeric,
        query=query,
        contrasts=contrasts,
        cv=cv,
        random_state=random_state,
        source=source,
        sparse=sparse,
    )
    say(
        f"{n:,} rows ({data_all.shape[0]:,} before filter), "
        f"{len(categorical)} categorical + {len(numeric)} numeric columns, "
        f"{'sparse' if sparse else 'dense'} design, {cv}-fold CV"
    )
    folds = KFold(n_splits=cv, shuffle=True, random_state=random_state)
    encode_cache = None

    def fit_one(spec):
        nonlocal encode_cache
        t = time.perf_counter()
        Xs, ys = X, y
        n_tune = None
        edge = None
        if spec.max_samples is not None and n > spec.max_samples:
            rng = np.random.RandomState(random_state)
            rows = np.sort(rng.choice(n, spec.max_samples, replace=False))
            Xs, ys = X.iloc[rows], y.iloc[rows]
            say(f"{spec.label}: using a random subsample of {spec.max_samples:,} rows")
        pipe = make_wage_pipeline(
            spec.build(),
            categorical=categorical,
            numeric=numeric,
            scale_numeric=spec.scale_numeric,
            sparse_output=sparse and spec.sparse_ok,
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            if spec.grid is None:
                say(f"{spec.label} [{spec.implementation}]: {cv} CV fits ...")
                cvres = cross_validate(pipe, Xs, ys, cv=folds, scoring=_SCORING)
                r2 = cvres["test_r2"]
                rmse = -cvres["test_rmse"]
                fitted = clone(pipe).fit(Xs, ys)
                best, n_cand = {}, 1
            else:
                Xt_, yt_ = Xs, ys
                if tune_max_samples is not None and Xs.shape[0] > tune_max_samples:
                    rng = np.random.RandomState(random_state + 1)
                    rows = np.sort(
                        rng.choice(Xs.shape[0], tune_max_samples, replace=False)
                    )
                    Xt_, yt_ = Xs.iloc[rows], ys.iloc[rows]
                n_tune = Xt_.shape[0]
                key = (spec.scale_numeric, n_tune)
                if encode_cache is None or encode_cache[0] != key:
                    enc = clone(pipe.named_steps["encode"]).fit(Xt_)
                    encode_cache = (key, enc.transform(Xt_))
                grid = spec.grid(encode_cache[1], yt_.to_numpy())
                n_cand = _n_candidates(grid)
                on = f" on {n_tune:,} sampled rows" if n_tune < Xs.shape[0] else ""
                say(
                    f"{spec.label} [{spec.implementation}]: grid search over "
                    f"{n_cand} candidates x {cv} folds{on} ..."
                )
                search = GridSearchCV(
                    pipe,
                    _prefixed(grid),
                    scoring=_SCORING,
                    refit=False,
                    cv=folds,
                    n_jobs=n_jobs,
                )
                search.fit(Xt_, yt_)
                res = search.cv_results_
                i = int(np.argmin(res["rank_test_rmse"]))
                r2 = np.array([res[f"split{k}_test_r2"][i] for k in range(cv)])
                rmse = -np.array([res[f"split{k}_test_rmse"][i] for k in range(cv)])
                if n_tune < Xs.shape[0]:
                    say(f"{spec.label}: refit on all {Xs.shape[0]:,} rows ...")
                fitted = clone(pipe).set_params(**res["params"][i]).fit(Xs, ys)
                best = _strip(res["params"][i])
                alphas = [
                    p[k] for p in res["params"] for k in p if k.endswith("__alpha")
                ]
                if alphas and "alpha" in best:
                    if best["alpha"] <= min(alphas):
                        edge = "smallest"
                    elif best["alpha"] >= max(alphas):
                        edge = "largest"
        if spec.grid is None:
            n_bad = int(np.sum(~np.isfinite(rmse)))
        else:
            n_bad = int(np.sum(~np.isfinite(res["mean_test_rmse"])))
        n_nc = _reraise_others(caught, n_bad)
        try:
            coef = wage_coefficients(fitted)
        except TypeError:
            coef = None
        con = wage_contrasts(fitted, contrasts, X=Xs)
        elapsed = time.perf_counter() - t
        result = EstimatorResult(
            spec=spec,
            pipeline=fitted,
            best_params=best,
            cv_r2=float(np.mean(r2)),
            cv_r2_std=float(np.std(r2)),
            cv_rmse=float(np.mean(rmse)),
            cv_rmse_std=float(np.std(rmse)),
            n_candidates=n_cand,
            fit_time=elapsed,
            n_not_converged=n_nc,
            coefficients=coef,
            contrasts=con,
            n_train=int(Xs.shape[0]),
            n_nonfinite=n_bad,
            n_tune=int(Xs.shape[0] if n_tune is None else n_tune),
            alpha_at_edge=edge,
        )
        extra = f", {n_nc} fits not converged" if n_nc else ""
        if n_bad:
            extra += f", {n_bad} candidates with non-finite CV scores"
        say(
            f"{spec.label}: done in {elapsed:.1f} s (CV R2 {np.mean(r2):.3f}, "
            f"chosen {_format_params(best)}{extra})"
        )
        return result

    for spec in specs:
        try:
            analysis.results[spec.key] = fit_one(spec)
        except Exception as exc:  # one failing model must not sink the report
            message = str(exc).strip().splitlines()
            message = next((m for m in reversed(message) if m.strip()), repr(exc))
            analysis.failures[spec.key] = f"{type(exc).__name__}: {message}"
            say(f"{spec.label}: FAILED ({analysis.failures[spec.key]})")

    l1 = analysis.results.get("lasso")
    if path and analysis.results and "lasso" not in analysis.failures:
        t = time.perf_counter()
        spec = (
            l1.spec
            if l1 is not None
            else get_estimator_specs(["lasso"], backend=backend)[0]
        )
        say(f"regularization path with {spec.implementation} ...")
        Xp, yp = X, y
        if tune_max_samples is not None and n > tune_max_samples:
            rng = np.random.RandomState(random_state + 2)
            rows = np.sort(rng.choice(n, tune_max_samples, replace=False))
            Xp, yp = X.iloc[rows], y.iloc[rows]
            say(f"regularization path on {tune_max_samples:,} sampled rows")
        try:
            analysis.path = _regularization_path(
                Xp, yp.to_numpy(), spec, categorical, numeric, sparse
            )
            analysis.path["n_rows"] = int(Xp.shape[0])
        except Exception as exc:  # the report goes on without the path
            analysis.failures["path"] = f"{type(exc).__name__}: {exc}"
            say(f"regularization path: FAILED ({analysis.failures['path']})")
        else:
            analysis.path["chosen_alpha"] = (
                l1.best_params.get("alpha") if l1 is not None else None
            )
            say(f"regularization path: done in {time.perf_counter() - t:.1f} s")
    say(f"analysis done in {time.perf_counter() - t0:.1f} s")
    return analysis
