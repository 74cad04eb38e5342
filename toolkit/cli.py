"""Command line: ``python -m toolkit report [CORPUS] --out DIR`` (also the ``toolkit`` script)."""

from __future__ import annotations

import argparse
import sys
import time

_REPORT_HELP = """\
Run the notebooks (notebooks/NN-name.ipynb) on a corpus with papermill and write the
executed notebooks, an HTML page per notebook, figures (PNG), tables (CSV) and an
index.html to the output folder.  Every argument is checked before a notebook runs.
"""

_REPORT_EXAMPLES = """\
examples:
  python -m toolkit report --out report
  python -m toolkit report path/to/folder --pattern "{source}_{date}_{slug}.txt"
  python -m toolkit report speeches.csv --text body --id speech_id --cite "My speeches, 2024"
  python -m toolkit report speeches.csv --only 03 05 -p k=8 -p "words=['peace', 'war']"
  python -m toolkit report --params 04          # the parameters of notebook 04

output: index.html (captions of every figure and table, references, how to cite the
corpus), one HTML page per notebook, notebooks/ (executed), figures/NN-name/NAME.png and
tables/NN-name/NAME.csv (every table whole), summary.json.

parameters (-p NAME=VALUE): NAME must be declared in the parameters cell of a notebook
that runs; VALUE is read as JSON or a Python literal (8, 0.5, true, None, [6, 8],
'text'), and a bare word that is neither is a string.  Values are data: nothing in them
is run.
"""


def _parameters_epilog() -> str:
    """The notebooks' parameters for ``report --help`` (a note if they cannot be read)."""
    from .errors import ToolkitError
    from .report import parameters_help

    try:
        listing = parameters_help()
    except (ToolkitError, OSError, ValueError) as err:
        return f"\nnotebook parameters: cannot be listed ({err})\n"
    indented = "\n".join(f"  {line}" if line else "" for line in listing.splitlines())
    return f"\nnotebook parameters (-p NAME=VALUE), by notebook:\n{indented}\n"


def _parser(with_parameters: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; ``with_parameters=False`` leaves out the listing of the
    notebooks' parameters in ``report --help``, which reads every notebook (seconds)."""
    parser = argparse.ArgumentParser(prog="toolkit", description="Discourse analysis toolkit")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser(
        "report",
        help="run all notebooks on a corpus and write an HTML report",
        description=_REPORT_HELP,
        epilog=_REPORT_EXAMPLES + (_parameters_epilog() if with_parameters else ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rep.add_argument(
        "corpus",
        nargs="?",
        default="un-debates-asia",
        help="bundled corpus name, or a folder, archive or table; a relative path is read "
        "from the current folder (default: %(default)s)",
    )
    rep.add_argument(
        "--out",
        default="report",
        metavar="DIR",
        help="output folder, created if needed; not an existing file (default: %(default)s)",
    )
    rep.add_argument(
        "--pattern",
        metavar="PATTERN",
        help="file-name pattern for a folder, e.g. '{country}_{session}_{year}.txt'",
    )
    rep.add_argument(
        "--text",
        metavar="COLUMN",
        help="for a table: the column holding the texts (default: a column named 'text', "
        "else the column that clearly holds texts; the report says which it used)",
    )
    rep.add_argument(
        "--id",
        metavar="COLUMN",
        help="for a table: the column of unique document ids (default: the row numbers)",
    )
    rep.add_argument(
        "--cite",
        metavar="TEXT",
        help="how to cite your corpus, printed in index.html (the bundled corpus's "
        "citation is printed without it)",
    )
    rep.add_argument(
        "--params",
        nargs="*",
        metavar="NOTEBOOK",
        help="list the parameters of these notebooks (default: all), with their defaults "
        "and meanings, and exit",
    )
    rep.add_argument(
        "--only",
        nargs="*",
        metavar="NOTEBOOK",
        help="run only these notebooks, by name or number, e.g. --only 03 05 (default: all)",
    )
    rep.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a notebook parameter, e.g. -p k=8 (repeatable; see below)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; the exit status: 0 on success, 1 when the report failed."""
    words = sys.argv[1:] if argv is None else list(argv)
    # the notebooks are read only for the help that lists their parameters
    report_help = "report" in words and bool({"-h", "--help"} & set(words))
    args = _parser(with_parameters=report_help).parse_args(argv)

    from .errors import ToolkitError
    from .report import parameters_help, parse_parameter, run_report

    if args.params is not None:
        try:
            print(parameters_help(args.params or None))
        except ToolkitError as err:
            print(f"report failed: {err}", file=sys.stderr)
            return 1
        return 0
    t0 = time.perf_counter()
    try:
        params = {}
        if args.pattern is not None:
            params["pattern"] = args.pattern
        for item in args.parameter:
            name, value = parse_parameter(item)
            params[name] = value
        results = run_report(
            source=args.corpus,
            out=args.out,
            parameters=params,
            notebooks=args.only,
            text=args.text,
            id=args.id,
            cite=args.cite,
        )
    except ToolkitError as err:  # ReportError, NotebookFailed, LoadError, ParameterError, …
        print(f"report failed: {err}", file=sys.stderr)
        return 1
    noun = "notebook" if len(results) == 1 else "notebooks"
    print(
        f"report: {len(results)} {noun} in {time.perf_counter() - t0:.0f} s → {args.out}/index.html"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
