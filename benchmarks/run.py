"""Speed and memory of the token index, concordances, keyness and collocates on the full
UN General Debate Corpus, against NLTK and a regular-expression scan, in one run.

Usage:  python benchmarks/run.py [ARCHIVE] [--skip-nltk] [--only PHASE ...] [--out FILE]

ARCHIVE defaults to ../shared/corpora/ungdc-1946-2024.tar.xz beside the project.  Each
measured step runs in a fresh subprocess, so its peak memory (resident set size, of the
process and any children) is its own.  Results are printed and written as JSON (with
``--only``, merged into the existing results file).

Phases: ``load`` (read the archive), ``build`` (index it: wall and CPU time, peak memory),
``query`` (reopen the saved index with full verification of every file, then
concordances, counts, keyness, collocates), ``bigdoc`` (index one 50-million-character
document made of the bundled sample repeated: peak memory beyond what the process held
before, and memory kept once the index is dropped; needs no archive), ``regex`` and
``nltk`` (baselines).
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ARCHIVE = HERE.parent.parent / "shared" / "corpora" / "ungdc-1946-2024.tar.xz"
PATTERN = "{country}_{session}_{year}.txt"

TARGETS = {
    "index_build_s": 15.0,
    "index_build_peak_mb": 1024.0,
    "index_reopen_verified_s": 0.3,
    "bigdoc_peak_per_char": 4.0,
    "bigdoc_kept_mb": 50.0,
    "kwic_nuclear_s": 0.100,
    "kwic_phrase_s": 0.050,
    "count_the_s": 0.050,
    "keyness_halves_s": 1.0,
    "collocates_nuclear_s": 1.0,
}


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def best_of(fn, repeat: int = 5) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


# ----------------------------------------------------------------------------- phases
def phase_load(archive: str) -> dict:
    import warnings

    import toolkit as tk

    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_folder(archive, pattern=PATTERN, progress=False)
    return {"load_s": time.perf_counter() - t, "documents": len(corpus)}


def phase_build(archive: str) -> dict:
    import warnings

    import toolkit as tk
    from toolkit import index as ix

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_folder(archive, pattern=PATTERN, progress=False)
    before = peak_mb()
    t, cpu = time.perf_counter(), time.process_time()
    idx = ix.build_index(corpus.texts(), n_docs=len(corpus), progress=False)
    build, build_cpu = time.perf_counter() - t, time.process_time() - cpu
    key = idx.key = ix.index_key(corpus)
    idx.params = ix.index_params(corpus)
    t = time.perf_counter()
    idx.save(ix.cache_dir() / "index" / key)
    return {
        "index_build_s": build,
        "index_build_cpu_s": build_cpu,
        "index_save_s": time.perf_counter() - t,
        "index_build_peak_mb": peak_mb(),
        "peak_mb_before_build": before,
        "tokens": idx.n_tokens,
        "types": len(idx.vocab),
    }


def phase_query(archive: str) -> dict:
    import warnings

    import numpy as np

    import toolkit as tk
    from toolkit import index as ix

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_folder(archive, pattern=PATTERN, progress=False)

    def reopen():
        ix._MEMORY.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("error", tk.CacheWarning)  # a rebuild would not be a reopen
            return corpus.index()

    # every file's whole-content digest, then the structural checks
    t, cpu = time.perf_counter(), time.process_time()
    view = reopen()
    out = {
        "index_reopen_verified_s": time.perf_counter() - t,
        "index_reopen_verified_cpu_s": time.process_time() - cpu,
    }
    assert isinstance(view.index.tokens, np.memmap), "index was rebuilt, not reopened"
    out["index_reopen_verified_best_s"] = best_of(reopen)[0]
    folder = ix.cache_dir() / "index" / ix.index_key(corpus)
    out["index_files_mb"] = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    view = reopen()
    # warm the vocabulary lookups once (built lazily on first use, then kept)
    tk.kwic(corpus, "peace")
    out["kwic_nuclear_s"], df = best_of(lambda: tk.kwic(corpus, "nuclear").to_frame())
    out["kwic_nuclear_lines"] = len(df)
    out["kwic_phrase_s"], df = best_of(lambda: tk.kwic(corpus, "north korea").to_frame())
    out["kwic_phrase_lines"] = len(df)
    out["count_the_s"], n = best_of(lambda: len(tk.kwic(corpus, "the")))
    out["count_the_hits"] = n
    years = corpus.meta["year"]
    first = corpus.query("year <= @m", local_dict={"m": years.median()})
    second = corpus.query("year > @m", local_dict={"m": years.median()})
    tk.keyness(first, second)  # word counts per document are cached on first use
    out["keyness_halves_s"], k = best_of(lambda: tk.keyness(first, second), repeat=3)
    out["keyness_terms"] = len(k)
    out["collocates_nuclear_s"], c = best_of(
        lambda: tk.collocates(corpus, "nuclear", window=(5, 5)), repeat=3
    )
    out["collocates_nuclear_terms"] = len(c)
    out["query_peak_mb"] = peak_mb()
    return out


def phase_nltk(archive: str) -> dict:
    import tarfile

    from nltk.text import ConcordanceIndex
    from nltk.tokenize import wordpunct_tokenize

    t = time.perf_counter()
    tokens: list[str] = []
    with tarfile.open(archive) as tf:
        for m in tf:
            if m.isfile() and m.name.endswith(".txt") and "/." not in m.name:
                text = tf.extractfile(m).read().decode("utf-8-sig", "replace")
                tokens.extend(wordpunct_tokenize(text))
    ci = ConcordanceIndex(tokens, key=lambda s: s.lower())
    build = time.perf_counter() - t
    t = time.perf_counter()
    lines = ci.find_concordance("nuclear", width=80)
    query = time.perf_counter() - t
    return {
        "nltk_build_s": build,
        "nltk_peak_mb": peak_mb(),
        "nltk_nuclear_s": query,
        "nltk_nuclear_lines": len(lines),
    }


def phase_regex(archive: str) -> dict:
    import re
    import tarfile

    texts = []
    with tarfile.open(archive) as tf:
        for m in tf:
            if m.isfile() and m.name.endswith(".txt") and "/." not in m.name:
                texts.append(tf.extractfile(m).read().decode("utf-8-sig", "replace"))
    rx = re.compile(r"(?<!\w)nuclear(?!\w)", re.IGNORECASE)

    def scan() -> int:
        n = 0
        for text in texts:
            for m in rx.finditer(text):
                _ = (text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 40])
                n += 1
        return n

    seconds, n = best_of(scan, repeat=2)
    return {"regex_nuclear_s": seconds, "regex_nuclear_lines": n}


BIGDOC_CHARS = 50_000_000


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _hwm() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmHWM")


def phase_bigdoc(archive: str) -> dict:
    """One 50-million-character document: the bundled sample repeated."""
    import ctypes
    import gc

    import toolkit as tk
    from toolkit import index as ix

    sample = " ".join(tk.load_sample("un-debates-asia").texts())
    big = " ".join([sample] * (BIGDOC_CHARS // len(sample) + 1))[:BIGDOC_CHARS]
    del sample
    gc.collect()
    ix.build_index(["imports and tables warmed up"], progress=False)
    before = _rss()
    with open("/proc/self/clear_refs", "w") as fh:  # the peak from here on (Linux)
        fh.write("5")
    t = time.perf_counter()
    idx = ix.build_index([big], progress=False)
    seconds = time.perf_counter() - t
    peak = _hwm()
    with_index = _rss()
    n_tokens = idx.n_tokens
    del idx
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # freed heap pages back to the system
    mb = 2**20
    return {
        "bigdoc_chars": len(big),
        "bigdoc_utf8_mb": len(big.encode("utf-8")) / mb,
        "bigdoc_tokens": n_tokens,
        "bigdoc_build_s": seconds,
        "bigdoc_rss_before_mb": before / mb,
        "bigdoc_peak_mb": peak / mb,
        "bigdoc_peak_growth_mb": (peak - before) / mb,
        "bigdoc_peak_per_char": (peak - before) / len(big),
        "bigdoc_with_index_mb": (with_index - before) / mb,
        "bigdoc_kept_mb": (_rss() - before) / mb,
        "bigdoc_process_max_rss_mb": peak_mb(),
    }


PHASES = {
    "load": phase_load,
    "build": phase_build,
    "query": phase_query,
    "bigdoc": phase_bigdoc,
    "nltk": phase_nltk,
    "regex": phase_regex,
}


def run_phase(name: str, archive: str, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, archive],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE))
    ap.add_argument("--phase", choices=list(PHASES))
    ap.add_argument("--skip-nltk", action="store_true", help="skip the slow NLTK baseline")
    ap.add_argument("--only", nargs="+", choices=list(PHASES), help="run only these phases")
    ap.add_argument("--out", default=str(HERE / "results" / "kwic.json"))
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.archive)))
        return
    phases = args.only or ["load", "build", "query", "bigdoc", "regex"] + (
        [] if args.skip_nltk else ["nltk"]
    )
    if set(phases) - {"bigdoc"} and not Path(args.archive).exists():
        print(f"skipped: the full corpus is not at {args.archive}")
        return
    if "query" in phases and "build" not in phases:
        phases = ["build", *phases]  # the query phase reopens the index the build saved
    env = dict(os.environ)
    env["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-bench-")
    results: dict = {"cores": os.cpu_count()}
    if args.only and Path(args.out).exists():
        results = {**json.loads(Path(args.out).read_text()), **results}
        results.pop("index_reopen_s", None)  # measured without verification before
    for name in phases:
        print(f"… {name}", flush=True)
        results.update(run_phase(name, args.archive, env))
    print()
    print(f"{'measure':28} {'value':>12} {'target':>10}")
    for key, value in results.items():
        target = TARGETS.get(key)
        mark = "" if target is None else ("  ok" if value <= target else "  MISSED")
        tv = "" if target is None else f"{target:g}"
        fmt = f"{value:12.3f}" if isinstance(value, float) else f"{value:12}"
        print(f"{key:28} {fmt} {tv:>10}{mark}")
    if "nltk_build_s" in results:
        print(
            f"\nindex build: {results['nltk_build_s'] / results['index_build_s']:.1f}× faster "
            f"than NLTK, {results['nltk_peak_mb'] / results['index_build_peak_mb']:.1f}× less "
            "memory"
        )
        print(
            f"'nuclear' lines: {results['nltk_nuclear_s'] / results['kwic_nuclear_s']:.0f}× "
            f"faster than NLTK, {results['regex_nuclear_s'] / results['kwic_nuclear_s']:.0f}× "
            "faster than a regex scan"
        )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
