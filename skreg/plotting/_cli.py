"""Command-line subcommands that write the regularization figures as PNG.

Two ways to plug them in. With the command registry of ``skreg/__main__.py``
(``setup(parser) -> run``)::

    @command("path", help="...")
    def _path(parser):
        from skreg.plotting._cli import add_path_arguments

        return add_path_arguments(parser)

or on plain argparse subparsers, dispatching with ``args.func(args)``::

    add_path_command(subparsers)
    add_geometry_command(subparsers)

``run(args)`` returns the exit status: 0 on success, 2 after printing a
message to stderr for a usage or data error. Nothing here imports matplotlib
until a subcommand runs.
"""

import sys

__all__ = [
    "add_geometry_arguments",
    "add_geometry_command",
    "add_path_arguments",
    "add_path_command",
    "run_geometry",
    "run_path",
]


def _use_agg():
    """The CLI only writes files: use Agg unless pyplot is already loaded."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")


_PATH_HELP = "plot a lasso / elastic-net regularization path and its CV curve"
_PATH_DESCRIPTION = (
    "Fit a cross-validated lasso (or elastic net with --l1-ratio < 1) and "
    "write its regularization path, with the chosen alpha marked, next to "
    "the cross-validation curve, as a PNG. Without --csv the diabetes data "
    "shipped with scikit-learn are used."
)
_GEOMETRY_HELP = "draw why L1 gives zeros and L2 does not (constraint geometry)"
_GEOMETRY_DESCRIPTION = (
    "Write a PNG of the constraint geometry: 'constraint' (loss contours "
    "with the L1, L2 and elastic-net balls and their constrained optima), "
    "'panel' (random, symmetric and orthogonal losses), 'surface' (3-D loss "
    "+ penalty for several lambdas) or 'lp' (non-convex Lp balls, p < 1)."
)


def add_path_arguments(parser):
    """Add the options of the ``path`` subcommand to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The (sub)parser of the ``path`` command.

    Returns
    -------
    run : callable
        ``run(args) -> int``, the function running the command
        (:func:`run_path`).

    Examples
    --------
    >>> import argparse
    >>> from skreg.plotting._cli import add_path_arguments
    >>> parser = argparse.ArgumentParser(prog="skreg path")
    >>> run = add_path_arguments(parser)
    >>> args = parser.parse_args(["--out", "p.png"])
    >>> args.out, args.cv, run.__name__
    ('p.png', 5, 'run_path')
    """
    parser.description = _PATH_DESCRIPTION
    parser.add_argument(
        "--csv",
        default=None,
        help="CSV file with a header; numeric columns only (default: diabetes)",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="name of the target column of --csv (default: the last column)",
    )
    parser.add_argument(
        "--l1-ratio",
        type=float,
        default=1.0,
        help="elastic-net mixing parameter in (0, 1]; 1 is the lasso (default)",
    )
    parser.add_argument("--cv", type=int, default=5, help="number of folds (default 5)")
    parser.add_argument(
        "--no-standardize",
        action="store_true",
        help="do not standardize the features before fitting",
    )
    parser.add_argument(
        "--no-cv-curve",
        action="store_true",
        help="draw the path only, without the cross-validation curve",
    )
    parser.add_argument(
        "--out", default="path.png", help="output PNG (default path.png)"
    )
    parser.add_argument("--dpi", type=int, default=120, help="resolution (default 120)")
    return run_path


def add_path_command(subparsers):
    """Register the ``path`` subcommand on argparse subparsers.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The object returned by ``parser.add_subparsers()``.

    Returns
    -------
    parser : argparse.ArgumentParser
        The ``path`` subparser; its ``func`` default is :func:`run_path`.

    Examples
    --------
    >>> import argparse
    >>> from skreg.plotting._cli import add_path_command
    >>> parser = argparse.ArgumentParser(prog="skreg")
    >>> _ = add_path_command(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["path", "--out", "p.png"])
    >>> args.out, args.cv
    ('p.png', 5)
    """
    p = subparsers.add_parser("path", help=_PATH_HELP)
    p.set_defaults(func=add_path_arguments(p))
    return p


def add_geometry_arguments(parser):
    """Add the options of the ``geometry`` subcommand to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The (sub)parser of the ``geometry`` command.

    Returns
    -------
    run : callable
        ``run(args) -> int`` (:func:`run_geometry`).

    Examples
    --------
    >>> import argparse
    >>> from skreg.plotting._cli import add_geometry_arguments
    >>> parser = argparse.ArgumentParser(prog="skreg geometry")
    >>> run = add_geometry_arguments(parser)
    >>> parser.parse_args(["--kind", "lp"]).kind, run.__name__
    ('lp', 'run_geometry')
    """
    parser.description = _GEOMETRY_DESCRIPTION
    parser.add_argument(
        "--kind",
        choices=("constraint", "panel", "surface", "lp"),
        default="constraint",
        help="which figure (default: constraint)",
    )
    parser.add_argument("--radius", type=float, default=1.0, help="ball radius")
    parser.add_argument(
        "--l1-ratio",
        type=float,
        default=0.5,
        help="elastic-net mixing parameter of the elastic-net ball (default 0.5)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the random losses (panel)"
    )
    parser.add_argument(
        "--out", default="geometry.png", help="output PNG (default geometry.png)"
    )
    parser.add_argument("--dpi", type=int, default=120, help="resolution (default 120)")
    return run_geometry


def add_geometry_command(subparsers):
    """Register the ``geometry`` subcommand on argparse subparsers.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The object returned by ``parser.add_subparsers()``.

    Returns
    -------
    parser : argparse.ArgumentParser
        The ``geometry`` subparser; its ``func`` default is
        :func:`run_geometry`.

    Examples
    --------
    >>> import argparse
    >>> from skreg.plotting._cli import add_geometry_command
    >>> parser = argparse.ArgumentParser(prog="skreg")
    >>> _ = add_geometry_command(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["geometry", "--kind", "lp"]).kind
    'lp'
    """
    p = subparsers.add_parser("geometry", help=_GEOMETRY_HELP)
    p.set_defaults(func=add_geometry_arguments(p))
    return p


def _load_path_data(csv, target):
    import numpy as np
    import pandas as pd

    if csv is None:
        from sklearn.datasets import load_diabetes

        data = load_diabetes(as_frame=True)
        return data.data, data.target, "diabetes"
    frame = pd.read_csv(csv)
    if frame.shape[1] < 2:
        raise ValueError(f"{csv}: need at least one feature column and a target.")
    target = frame.columns[-1] if target is None else target
    if target not in frame.columns:
        raise ValueError(
            f"{csv}: no column named {target!r}; columns are {list(frame.columns)}."
        )
    non_numeric = [
        c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])
    ]
    if non_numeric:
        raise ValueError(
            f"{csv}: columns {non_numeric} are not numeric; encode or drop them first."
        )
    if frame.isna().any().any():
        raise ValueError(f"{csv}: missing values; impute or drop them first.")
    X = frame.drop(columns=[target]).astype(np.float64)
    y = frame[target].astype(np.float64)
    return X, y, str(target)


def _cv_estimator(l1_ratio, cv):
    if l1_ratio == 1.0:
        try:
            from skreg.linear_model import ProxLassoCV as Est
        except ImportError:
            from sklearn.linear_model import LassoCV as Est
        return Est(cv=cv)
    try:
        from skreg.linear_model import ElasticNetCDCV as Est
    except ImportError:
        from sklearn.linear_model import ElasticNetCV as Est
    return Est(l1_ratio=l1_ratio, cv=cv)


def run_path(args):
    """Run the ``path`` subcommand.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options of :func:`add_path_arguments`.

    Returns
    -------
    code : int
        0 on success, 2 after printing a message to stderr on bad input.
    """
    import pandas as pd

    if not 0.0 < args.l1_ratio <= 1.0:
        print(
            f"skreg path: --l1-ratio must be in (0, 1], got {args.l1_ratio}",
            file=sys.stderr,
        )
        return 2
    if args.cv < 2:
        print(f"skreg path: --cv must be >= 2, got {args.cv}", file=sys.stderr)
        return 2
    try:
        X, y, name = _load_path_data(args.csv, args.target)
    except (OSError, ValueError) as exc:
        print(f"skreg path: {exc}", file=sys.stderr)
        return 2
    if not args.no_standardize:
        X = pd.DataFrame(
            (X - X.mean()) / X.std(ddof=0).replace(0.0, 1.0), columns=X.columns
        )

    _use_agg()
    from skreg.plotting._cv import plot_cv_curve
    from skreg.plotting._path import plot_path_from_estimator
    from skreg.plotting._utils import import_pyplot

    plt = import_pyplot()
    est = _cv_estimator(args.l1_ratio, args.cv).fit(X, y)
    ncols = 1 if args.no_cv_curve else 2
    fig, axes = plt.subplots(
        1, ncols, figsize=(6.4 * ncols, 4.8), layout="constrained", squeeze=False
    )
    plot_path_from_estimator(
        est, X, y, ax=axes[0, 0], title=f"{type(est).__name__} path ({name})"
    )
    if ncols == 2:
        plot_cv_curve(est, ax=axes[0, 1])
    fig.savefig(args.out, dpi=args.dpi)
    plt.close(fig)
    print(f"wrote {args.out} (alpha_ = {est.alpha_:.4g})")
    return 0


def run_geometry(args):
    """Run the ``geometry`` subcommand.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options of :func:`add_geometry_arguments`.

    Returns
    -------
    code : int
        0 on success, 2 after printing a message to stderr on bad input.
    """
    if not args.radius > 0:
        print(
            f"skreg geometry: --radius must be > 0, got {args.radius}", file=sys.stderr
        )
        return 2
    if not 0.0 <= args.l1_ratio <= 1.0:
        print(
            f"skreg geometry: --l1-ratio must be in [0, 1], got {args.l1_ratio}",
            file=sys.stderr,
        )
        return 2
    _use_agg()
    from skreg.plotting import _geometry as g
    from skreg.plotting._utils import import_pyplot

    plt = import_pyplot()
    if args.kind == "constraint":
        fig = g.plot_constraint_geometry(radius=args.radius, l1_ratio=args.l1_ratio)
    elif args.kind == "panel":
        fig = g.plot_geometry_panel(
            radius=args.radius, l1_ratio=args.l1_ratio, random_state=args.seed
        )
    elif args.kind == "surface":
        fig = g.plot_penalized_surface(l1_ratio=args.l1_ratio)
    else:
        fig = g.plot_lp_balls(radius=args.radius)
    fig.savefig(args.out, dpi=args.dpi)
    plt.close(fig)
    print(f"wrote {args.out}")
    return 0
