"""Command line: ``python -m toolkit report [CORPUS] --out DIR`` (also the ``toolkit`` script)."""

from __future__ import annotations

import argparse
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="toolkit", description="Discourse analysis toolkit")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run all notebooks on a corpus and write an HTML report")
    rep.add_argument(
        "corpus",
        nargs="?",
        default="un-debates-asia",
        help="bundled corpus name, folder, archive or table (default: %(default)s)",
    )
    rep.add_argument("--out", default="report", help="output folder (default: %(default)s)")
    rep.add_argument(
        "--pattern", help="file-name pattern for a folder, e.g. '{country}_{session}_{year}.txt'"
    )
    rep.add_argument("--only", nargs="*", help="notebook names or prefixes, e.g. 03 05")
    rep.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="notebook parameter; VALUE is read as JSON when it parses, e.g. -p k=8",
    )
    args = parser.parse_args(argv)

    from .report import NotebookFailed, run_report

    params = {}
    if args.pattern:
        params["pattern"] = args.pattern
    for item in args.parameter:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"parameter {item!r} is not NAME=VALUE")
        try:
            params[name] = json.loads(value)
        except json.JSONDecodeError:
            params[name] = value
    t0 = time.perf_counter()
    try:
        results = run_report(args.corpus, args.out, parameters=params, notebooks=args.only)
    except (NotebookFailed, FileNotFoundError) as err:
        print(f"report failed: {err}", file=sys.stderr)
        return 1
    noun = "notebook" if len(results) == 1 else "notebooks"
    print(
        f"report: {len(results)} {noun} in {time.perf_counter() - t0:.0f} s → {args.out}/index.html"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
