"""A study's preparation, stage by stage: from the raw UN archive to per-document token lists.

Usage:  python benchmarks/study.py [ARCHIVE] [--processes 2] [--out FILE]

ARCHIVE defaults to ../shared/corpora/ungdc-1946-2024.tar.xz beside the project.  The
pipeline is the one of Gennaro & Ash (2022) on the UN General Debates: clean the speeches,
keep nouns, verbs and adjectives, stem them, drop stopwords and rare words, one token list
per speech.  With the toolkit's calls alone, in one process and with an empty cache:

1. ``tk.load_folder`` of the archive (file names give country, session and year);
2. ``corpus.clean()`` (page numbers, running heads, line-end hyphens, hard wraps; it builds
   the raw corpus's token index first, for its hyphen evidence, and that is timed with it);
3. ``cleaned.index()``, the token index of the cleaned speeches;
4. ``cleaned.annotate()``: part of speech and lemma (HanTa) and stem (Snowball) layers,
   in ``--processes`` worker processes, with the annotator's own stages;
5. ``list(cleaned.tokens(layer="stem", pos=["NOUN", "VERB", "ADJ"], stopwords=...,
   min_count=10))``: the study's token lists.

Then, in a fresh process that reopens the cached index and layers (as any later session
would), the token streams of the issue's targets: word lists per document (≤ 10 s,
≤ 2 GB peak) and per sentence (≤ 20 s).  Peak memory is the maximum resident set size of
the process (and, for annotation, of its worker processes).  Results go to
``benchmarks/results/study.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ARCHIVE = HERE.parent.parent / "shared" / "corpora" / "ungdc-1946-2024.tar.xz"
PATTERN = "{country}_{session}_{year}.txt"
TARGET_TOTAL_S = 300.0
POS = ["NOUN", "VERB", "ADJ"]


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


class Stage:
    """Wall-clock seconds of a block, appended to a list of stages."""

    def __init__(self, stages: list, name: str) -> None:
        self.stages, self.name = stages, name

    def __enter__(self) -> Stage:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self.start
        self.stages.append({"stage": self.name, "wall_s": round(wall, 2)})
        print(f"{self.name:<48} {wall:8.1f} s   peak {peak_mb():7,.0f} MB", flush=True)


def reset_peak() -> None:
    """Start the peak-memory count afresh (Linux keeps it across fork and exec)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux: the peak then includes the parent's
        pass


def current_peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_mb()


def streams(archive: str) -> dict:
    """Token streams of the cached corpus, in this (fresh) process."""
    reset_peak()
    import toolkit as tk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_folder(archive, pattern=PATTERN, progress=False)
    cleaned = corpus.clean(progress=False)
    cleaned.index(progress=False)
    out = {}
    for by in ("document", "sentence"):
        stream = cleaned.tokens(by=by)
        before = current_peak_mb()
        start = time.perf_counter()
        stream.units  # noqa: B018 - finds the sentences (Punkt), timed on its own
        units = time.perf_counter()
        lists = list(stream)
        done = time.perf_counter()
        out[by] = {
            "units_s": round(units - start, 2),
            "lists_s": round(done - units, 2),
            "lists": len(lists),
            "tokens": sum(map(len, lists)),
            "peak_mb": round(current_peak_mb(), 0),
            "peak_before_mb": round(before, 0),
        }
        del lists
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", default=str(HERE / "results" / "study.json"))
    parser.add_argument("--streams-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not Path(args.archive).exists():
        print(f"{args.archive}: not found; give the path of the UN corpus archive")
        return 2
    os.environ.setdefault("TOOLKIT_PROGRESS", "0")
    sys.path.insert(0, str(HERE.parent))
    if args.streams_only:
        print(json.dumps(streams(args.archive)))
        return 0
    os.environ["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-study-")
    import toolkit as tk
    from toolkit.annotators import HanTaAnnotator

    stages: list = []
    total = time.perf_counter()
    with Stage(stages, "load the archive"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            corpus = tk.load_folder(args.archive, pattern=PATTERN, progress=False)
    with Stage(stages, "clean (raw index for hyphen evidence included)"):
        cleaned = corpus.clean(progress=False)
    with Stage(stages, "index the cleaned speeches"):
        index = cleaned.index(progress=False).index
    annotator = HanTaAnnotator()
    with Stage(stages, f"annotate pos, lemma, stem ({args.processes} processes)"):
        cleaned.annotate(annotator=annotator, processes=args.processes, progress=False)
    for name, seconds in annotator.timings.items():
        print(f"    annotator stage {name:<28} {seconds:8.1f} s")
    with Stage(stages, "token lists: POS-filtered stems, no stopwords, min_count 10"):
        lists = list(
            cleaned.tokens(layer="stem", pos=POS, stopwords=tk.stopwords("english"), min_count=10)
        )
    total = time.perf_counter() - total
    n_tokens = sum(map(len, lists))
    vocabulary = len({t for doc in lists for t in doc})
    print(f"{'total':<48} {total:8.1f} s   (target ≤ {TARGET_TOTAL_S:.0f} s)")
    print(
        f"{len(lists):,} documents, {index.n_tokens:,} tokens in the index, {n_tokens:,} kept, "
        f"{vocabulary:,} stems; peak {peak_mb():,.0f} MB here, "
        f"{peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB in a worker process",
        flush=True,
    )
    del lists
    fresh = subprocess.run(
        [sys.executable, __file__, args.archive, "--streams-only"],
        capture_output=True,
        text=True,
        env=os.environ,
        check=True,
    )
    stream_results = json.loads(fresh.stdout.strip().splitlines()[-1])
    for by, row in stream_results.items():
        print(
            f"tokens(by={by!r}) in a fresh process: units {row['units_s']:.1f} s, lists "
            f"{row['lists_s']:.1f} s, "
            f"{row['lists']:,} lists, {row['tokens']:,} tokens, peak {row['peak_mb']:,.0f} MB "
            f"({row['peak_before_mb']:,.0f} MB before)"
        )
    results = {
        "archive": Path(args.archive).name,
        "processes": args.processes,
        "cpus": os.cpu_count(),
        "stages": stages,
        "annotator_stages_s": {k: round(v, 2) for k, v in annotator.timings.items()},
        "total_s": round(total, 1),
        "target_total_s": TARGET_TOTAL_S,
        "documents": len(corpus),
        "index_tokens": int(index.n_tokens),
        "kept_tokens": n_tokens,
        "stems": vocabulary,
        "peak_mb": round(peak_mb(), 0),
        "worker_peak_mb": round(peak_mb(resource.RUSAGE_CHILDREN), 0),
        "streams": stream_results,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
