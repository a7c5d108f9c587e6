"""The command line: ``python -m skreg <command> [options]`` (or ``skreg ...``).

Commands
--------
wages
    The wage regression report (run ``python -m skreg wages --help``).
precompile
    Compile and cache every numba kernel (e.g. on each dask worker).
path, geometry
    Regularization figures, from :mod:`skreg.plotting._cli`.

Adding a command
----------------
Write one function in this module, decorated with :func:`command`. It
receives the command's :class:`argparse.ArgumentParser`, adds its options,
and returns the function that runs the command: ``run(args) -> int`` (the
exit code; 0 on success, 2 for a usage or data error after printing a
message to stderr). Keep heavy imports inside ``run`` (or inside the module
it imports lazily) so that ``python -m skreg --help`` stays fast::

    @command("path", help="plot a regularization path")
    def _path(parser):
        parser.add_argument("--alpha-min", type=float, default=1e-3)

        def run(args):
            from skreg.plotting import plot_path  # heavy imports here
            ...
            return 0

        return run

Commands are listed in ``--help`` in the order they are registered.
Functions in the style ``add_xxx_command(subparsers)`` that build their own
subparser and set ``func`` to ``run(args) -> int`` (as in
:mod:`skreg.plotting._cli`) are listed in ``_SUBPARSER_ADDERS`` instead.
"""

import argparse
import sys

__all__ = ["command", "main"]

#: Registered commands: name -> (help, setup). ``setup(parser)`` adds the
#: command's arguments and returns ``run(args) -> int``.
_COMMANDS = {}


def command(name, *, help):
    """Register a subcommand (decorator).

    Parameters
    ----------
    name : str
        The subcommand's name on the command line.

    help : str
        One line shown by ``python -m skreg --help``.

    Returns
    -------
    decorator : callable
        Registers ``setup(parser) -> run`` and returns it unchanged.

    Examples
    --------
    >>> from skreg.__main__ import _COMMANDS
    >>> "wages" in _COMMANDS
    True
    """

    def register(setup):
        if name in _COMMANDS:
            raise ValueError(f"Command {name!r} is already registered.")
        _COMMANDS[name] = (help, setup)
        return setup

    return register


@command("wages", help="wage regression report on census-style data")
def _wages(parser):
    from skreg.wage._cli import add_arguments, run  # light module: argparse only

    add_arguments(parser)
    return run


@command("precompile", help="compile every numba kernel once and cache it")
def _precompile(parser):
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print each fit with its time and where the cache is",
    )

    def run(args):
        from skreg._precompile import precompile  # heavy imports here

        precompile(verbose=args.verbose)
        return 0

    return run


def _plotting_commands(subparsers):
    """``path`` and ``geometry`` from :mod:`skreg.plotting._cli`."""
    from skreg.plotting._cli import add_geometry_command, add_path_command

    add_path_command(subparsers)
    add_geometry_command(subparsers)


#: Functions ``add(subparsers)`` that add whole subparsers themselves (the
#: style of :mod:`skreg.plotting._cli`); their parsers set ``func`` to
#: ``run(args) -> int``.
_SUBPARSER_ADDERS = [_plotting_commands]


def build_parser():
    """The top-level parser, with one subparser per registered command.

    Returns
    -------
    parser : argparse.ArgumentParser
    """
    from skreg import __version__

    parser = argparse.ArgumentParser(
        prog="skreg",
        description="skreg: regularized regression with numba kernels.",
    )
    parser.add_argument("--version", action="version", version=f"skreg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_, setup) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(_run=setup(p))
    for add in _SUBPARSER_ADDERS:
        add(sub)
    return parser


def main(argv=None):
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : list of str or None, default=None
        Arguments without the program name; None reads ``sys.argv[1:]``.

    Returns
    -------
    code : int
        0 on success, 2 on a usage or data error (the message is on
        stderr), 130 when interrupted.

    Examples
    --------
    >>> from skreg.__main__ import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    skreg ...
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error
        return exc.code if isinstance(exc.code, int) else 2
    run = getattr(args, "_run", None) or getattr(args, "func", None)
    if run is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(run(args) or 0)
    except KeyboardInterrupt:
        print("skreg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
