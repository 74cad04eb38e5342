"""The whole report on the full UN corpus: every notebook, with an empty and a warm cache.

Usage:  python benchmarks/report.py [ARCHIVE] [--only cold,warm] [--out FILE] [--keep DIR]

Runs ``python -m toolkit report ARCHIVE --pattern "{country}_{session}_{year}.txt"`` in a
fresh process, twice: first with an empty cache (``TOOLKIT_CACHE`` pointing to a new, empty
folder: token indexes, layers, sentence boundaries and models are all built in the run),
then again with the cache the first run filled (warm).  The per-notebook times are the
report's own (``summary.json``: papermill's run of each notebook, kernel start included);
the total is the wall time of the whole command, loading of the archive included.  The
machine's load average before and after each run is recorded, since the machine is shared.

The results are printed as a table and written to ``benchmarks/results/report.json``.
The target is at most 5 minutes for the whole report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DEFAULT_ARCHIVE = PROJECT.parent / "shared" / "corpora" / "ungdc-1946-2024.tar.xz"
PATTERN = "{country}_{session}_{year}.txt"
TARGET_SECONDS = 300


def run(archive: Path, out: Path, cache: Path) -> dict:
    """One report run in a fresh process; its times and outcome."""
    env = dict(os.environ, TOOLKIT_CACHE=str(cache), TOOLKIT_PROGRESS="0")
    command = [sys.executable, "-m", "toolkit", "report", str(archive), "--pattern", PATTERN]
    command += ["--out", str(out)]
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=PROJECT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    result = {
        "seconds": round(seconds, 1),
        "exit_status": done.returncode,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    if done.returncode != 0:
        result["error"] = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
    summary = out / "summary.json"
    if summary.exists():
        data = json.loads(summary.read_text(encoding="utf-8"))
        result["notebooks"] = {n["notebook"]: n["seconds"] for n in data["notebooks"]}
        result["problems"] = {
            n["notebook"]: n["problems"] for n in data["notebooks"] if n.get("problems")
        }
    return result


def save(results: dict, path: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE))
    parser.add_argument("--only", default="cold,warm", help="phases: cold, warm (default both)")
    parser.add_argument("--out", default=str(HERE / "results" / "report.json"))
    parser.add_argument("--keep", help="keep the reports in this folder (default: removed)")
    args = parser.parse_args(argv)
    archive = Path(args.archive)
    if not archive.exists():
        print(f"the full UN corpus is not at {archive}; pass its path", file=sys.stderr)
        return 1
    phases = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(phases) - {"cold", "warm"}
    if unknown:
        parser.error(f"unknown phase(s) {sorted(unknown)}; phases: cold, warm")
    work = Path(tempfile.mkdtemp(prefix="report-benchmark-"))
    keep = Path(args.keep) if args.keep else None
    results: dict = {
        "archive": archive.name,
        "pattern": PATTERN,
        "cores": os.cpu_count(),
        "target_seconds": TARGET_SECONDS,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    try:
        cache = work / "cache"
        cache.mkdir()
        for phase in phases:
            out = (keep or work) / f"report-{phase}"
            print(f"{phase}: running the report ...", flush=True)
            results[phase] = run(archive, out, cache)
            r = results[phase]
            status = "ok" if r["exit_status"] == 0 else f"FAILED: {r.get('error')}"
            print(f"{phase}: {r['seconds']:.0f} s, {status}", flush=True)
            save(results, args.out)  # each phase as soon as it is measured
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = sorted({n for p in phases for n in results[p].get("notebooks", {})})
    print(f"\n{'notebook':<40}" + "".join(f"{p:>10}" for p in phases))
    for name in names:
        cells = "".join(
            f"{results[p].get('notebooks', {}).get(name, float('nan')):>10.1f}" for p in phases
        )
        print(f"{name:<40}{cells}")
    print(
        f"{'whole report (wall)':<40}" + "".join(f"{results[p]['seconds']:>10.1f}" for p in phases)
    )
    print(f"target: {TARGET_SECONDS} s for the whole report")
    save(results, args.out)
    print(f"results in {args.out}")
    return 0 if all(results[p]["exit_status"] == 0 for p in phases) else 1


if __name__ == "__main__":
    sys.exit(main())
