"""``python -m skreg wages``: arguments and runner.

Imports only argparse at module level; the analysis stack is imported when the
command runs.
"""

import argparse
import sys
import textwrap
import time

_EMBEDDED_QUERY = "age < 55"
_EPILOG = """\
examples:
  python -m skreg wages
      the classic exercise on the embedded 2018 table (ages under 55)
  python -m skreg wages --csv extract.csv --encoding cp932 --target 月給 \\
      --categorical 学歴,企業規模 --numeric 年齢 --where "年齢 < 55"
      your own census extract (Shift-JIS), into ./skreg_wages_report

exit codes: 0 success, 2 a problem with the arguments or the data (the message
says what to fix), 1 an estimator failed (the report is written without it).
"""


def _columns(text):
    if text is None:
        return None
    return [c.strip() for c in text.split(",") if c.strip()]


def add_arguments(parser):
    """Add the ``wages`` options to ``parser``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.description = textwrap.fill(
        "Wage regression report: one-hot encode the categorical columns, fit OLS "
        "and penalised models (L1, L2, elastic net) and an MLP in a scikit-learn "
        "pipeline, choose their regularization by cross-validation, and write "
        "named coefficients, identified contrasts and figures. Without --csv it "
        "runs on the embedded 2018 Japanese wage-structure table.",
        width=79,
    )
    data = parser.add_argument_group("data")
    data.add_argument("--csv", metavar="PATH", help="census extract (CSV) to analyse")
    data.add_argument(
        "--target",
        metavar="COL",
        default="salary",
        help="numeric column to predict (default: salary)",
    )
    data.add_argument(
        "--categorical",
        metavar="COLS",
        help="comma-separated columns to one-hot encode (default: the non-numeric "
        "columns; education,company_size for the embedded table)",
    )
    data.add_argument(
        "--numeric",
        metavar="COLS",
        help="comma-separated numeric feature columns (default: the other numeric "
        "columns; age for the embedded table)",
    )
    data.add_argument(
        "--encoding",
        metavar="ENC",
        default="utf-8",
        help="text encoding of --csv, e.g. cp932 or shift_jis for Japanese "
        "statistics (default: utf-8)",
    )
    data.add_argument(
        "--sep", metavar="SEP", default=",", help="field separator (default: ,)"
    )
    data.add_argument(
        "--where",
        metavar="EXPR",
        default=None,
        help="row filter in pandas query syntax (default: 'age < 55' for the "
        "embedded table, none for --csv; '' for all rows)",
    )
    model = parser.add_argument_group("models")
    model.add_argument(
        "--estimators",
        metavar="LIST",
        default="ols,lasso,ridge,enet,mlp",
        help="comma-separated subset of ols,lasso,ridge,enet,mlp (default: all)",
    )
    model.add_argument(
        "--backend",
        choices=("skreg", "sklearn"),
        default="skreg",
        help="implementation of the penalised models and MLP (default: skreg)",
    )
    model.add_argument(
        "--cv", type=int, default=5, metavar="K", help="CV folds (default: 5)"
    )
    model.add_argument(
        "--n-alphas",
        type=int,
        default=12,
        metavar="N",
        help="points per regularization grid (default: 12)",
    )
    model.add_argument(
        "--contrast",
        nargs=3,
        action="append",
        metavar=("COL", "LEVEL", "BASELINE"),
        help="report LEVEL - BASELINE of categorical column COL (repeatable; "
        "default: every level against the first)",
    )
    model.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    model.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        metavar="N",
        help="parallel CV jobs (default: 1)",
    )
    model.add_argument(
        "--tune-rows",
        type=int,
        default=100_000,
        metavar="N",
        help="choose the regularization on a random subsample of at most N rows, "
        "then refit on all rows (default: 100000; 0: all rows)",
    )
    model.add_argument("--no-path", action="store_true", help="skip the L1 path")
    out = parser.add_argument_group("output")
    out.add_argument(
        "--out",
        metavar="DIR",
        default="skreg_wages_report",
        help="output folder (default: ./skreg_wages_report)",
    )
    out.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    out.add_argument(
        "--quiet", action="store_true", help="no progress messages on stderr"
    )


def _error(message):
    print(f"skreg wages: error: {message}", file=sys.stderr)
    return 2


def _read_csv(path, encoding, sep):
    """Read the extract; return (frame, None) or (None, message)."""
    import codecs

    import pandas as pd

    try:
        codecs.lookup(encoding)
    except LookupError:
        return None, (
            f"unknown --encoding {encoding!r}; use e.g. utf-8, cp932 or shift_jis."
        )
    try:
        frame = pd.read_csv(path, encoding=encoding, sep=sep)
    except FileNotFoundError:
        return None, f"{path}: no such file. Check the --csv path."
    except IsADirectoryError:
        return None, f"{path} is a folder; give a CSV file with --csv."
    except PermissionError:
        return None, f"{path}: permission denied."
    except pd.errors.EmptyDataError:
        return None, f"{path} is empty: it needs a header row and data rows."
    except UnicodeDecodeError as exc:
        return None, (
            f"cannot decode {path} as {encoding} (byte {exc.object[exc.start]:#04x} "
            f"at position {exc.start}). Japanese statistics are often Shift-JIS: "
            "try --encoding cp932."
        )
    except pd.errors.ParserError as exc:
        return None, f"cannot parse {path} as CSV: {exc}. Check --sep."
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.shape[0] == 0:
        return None, f"{path} has a header but no data rows."
    return frame, None


def _contrasts(specs, X, categorical, numeric):
    from skreg.wage import Contrast, WageDataError

    out = []
    for col, level, baseline in specs:
        if col not in categorical:
            raise WageDataError(
                f"--contrast column {col!r} is not a categorical column of the model "
                f"({', '.join(categorical) or 'none'})."
            )
        present = {str(v): v for v in X[col].dropna().unique()}
        for lvl in (level, baseline):
            if lvl not in present:
                raise WageDataError(
                    f"--contrast level {lvl!r} does not occur in column {col!r}; "
                    f"its levels are: {', '.join(sorted(present))}."
                )
        out.append(Contrast(col, present[level], present[baseline]))
    out.extend(Contrast(col) for col in numeric)
    return out


def run(args):
    """Run the ``wages`` command; return the exit code."""
    t0 = time.perf_counter()

    def say(msg):
        if not args.quiet:
            print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", file=sys.stderr)

    if args.cv < 2:
        return _error(f"--cv must be at least 2, got {args.cv}.")
    if args.tune_rows < 0:
        return _error(f"--tune-rows must be >= 0, got {args.tune_rows}.")
    if args.n_alphas < 1:
        return _error(f"--n-alphas must be at least 1, got {args.n_alphas}.")
    keys = _columns(args.estimators) or []
    from skreg.wage._estimators import ESTIMATOR_KEYS

    unknown = [k for k in keys if k not in ESTIMATOR_KEYS]
    if unknown or not keys:
        return _error(
            f"unknown --estimators {unknown or keys}; choose from "
            f"{','.join(ESTIMATOR_KEYS)}."
        )

    say("loading data ...")
    import pandas as pd  # noqa: F401  (heavy imports only now)

    from skreg.wage import WageDataError, run_wage_analysis, write_report

    if args.csv:
        frame, problem = _read_csv(args.csv, args.encoding, args.sep)
        if problem:
            return _error(problem)
        source = args.csv
        query = args.where or None
    else:
        from skreg.datasets import load_wages

        frame = load_wages()
        source = "embedded table (skreg.datasets.load_wages)"
        query = _EMBEDDED_QUERY if args.where is None else (args.where or None)
    say(f"{frame.shape[0]:,} rows x {frame.shape[1]} columns from {source}")

    categorical, numeric = _columns(args.categorical), _columns(args.numeric)
    try:
        contrasts = None
        if args.contrast:
            from skreg.wage._analysis import _default_columns, check_wage_data

            cat, num = _default_columns(frame, args.target, categorical, numeric)
            X, _ = check_wage_data(frame, args.target, cat, num, source=source)
            contrasts = _contrasts(args.contrast, X, cat, num)
        analysis = run_wage_analysis(
            frame,
            target=args.target,
            categorical=categorical,
            numeric=numeric,
            query=query,
            estimators=keys,
            backend=args.backend,
            contrasts=contrasts,
            cv=args.cv,
            n_alphas=args.n_alphas,
            random_state=args.seed,
            path=not args.no_path and "lasso" in keys,
            n_jobs=args.n_jobs,
            tune_max_samples=args.tune_rows or None,
            progress=say,
            source=source,
        )
    except WageDataError as exc:
        return _error(str(exc))
    print(analysis.summary())
    try:
        paths = write_report(
            analysis, args.out, figures=not args.no_figures, progress=say
        )
    except OSError as exc:
        return _error(f"cannot write the report to {args.out}: {exc}")
    print(f"\nReport: {paths['report.html']} (also report.md, CSV tables", end="")
    print(", PNG figures)" if not args.no_figures else ")")
    if analysis.failures:
        for key, msg in analysis.failures.items():
            print(f"skreg wages: {key} failed: {msg}", file=sys.stderr)
        return 1
    return 0
