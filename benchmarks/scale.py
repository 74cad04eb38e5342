"""Sharded corpora at 1×, 4× and 16× the full UN corpus: build time, peak memory per process,
queries, identity with one index, and a projection to 1.6 billion tokens.

Usage:  python benchmarks/scale.py [ARCHIVE] [--sizes 1,4,16] [--only PHASES] [--workdir DIR]
                                   [--shard-mb 32] [--out FILE]

Phases (default all): ``build`` (each size with 2 Dask workers), ``speedup`` (4× with 1
worker, against the 2-worker build), ``queries`` (each size: kwic of ``nuclear`` with
``limit=1000``, counting ``the``, keyness of the two halves), ``identity`` (1×: the same
results as one index of the corpus).

The corpora are made by repeating the speeches of the archive under new ids
(``<id>~<copy>``), with two metadata columns added: ``copy`` and ``half`` (``"first"`` for
the first half of the documents in corpus order).  The archive is read once into the
measuring process; the copies are streamed to the workers batch by batch
(:func:`toolkit.build_shards`).

Memory: every process of the run (this one, the Dask nanny and worker processes) is
sampled every 0.1 s for its resident set (RSS) and its anonymous memory (``RssAnon``: the
part that is not memory-mapped shard files, which the kernel can drop at any time), and
each process's own high-water mark (``VmHWM``) is read when it ends.  The largest of each
over all processes is reported.

Results are printed and written to ``benchmarks/results/scale.json`` (merged by size and
phase, so phases can be run one at a time); the README's "Larger corpora" section quotes
them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

import toolkit as tk  # noqa: E402

DEFAULT_ARCHIVE = PROJECT.parent / "shared" / "corpora" / "ungdc-1946-2024.tar.xz"
PATTERN = "{country}_{session}_{year}.txt"
RESULTS = HERE / "results" / "scale.json"
GB = 1024**3


# --------------------------------------------------------------------------- memory
def _status(proc: psutil.Process) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon"):
                out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


class Memory:
    """Peak RSS, anonymous memory and high-water mark of this process and its children."""

    def __init__(self) -> None:
        self.me = psutil.Process()
        self.peak: dict[int, dict[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        procs = [self.me, *self.me.children(recursive=True)]
        for p in procs:
            s = _status(p)
            if not s:
                continue
            peak = self.peak.setdefault(p.pid, {"rss": 0, "anon": 0, "hwm": 0, "name": 0})
            peak["rss"] = max(peak["rss"], s.get("VmRSS", 0))
            peak["anon"] = max(peak["anon"], s.get("RssAnon", 0))
            peak["hwm"] = max(peak["hwm"], s.get("VmHWM", 0))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            time.sleep(0.1)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        def top(key: str) -> float:
            return round(max((p[key] for p in self.peak.values()), default=0) / GB, 2)

        workers = [p for pid, p in self.peak.items() if pid != self.me.pid]
        return {
            "max_rss_gb": top("rss"),
            "max_anon_gb": top("anon"),
            "max_hwm_gb": top("hwm"),
            "this_process_hwm_gb": round(self.peak.get(self.me.pid, {}).get("hwm", 0) / GB, 2),
            "max_worker_hwm_gb": round(max((p["hwm"] for p in workers), default=0) / GB, 2),
            "processes": len(self.peak),
        }


# --------------------------------------------------------------------------- the corpora
def copies(corpus: tk.Corpus, n: int):
    """The corpus ``n`` times, copy by copy, under new ids, with ``copy`` and ``half``."""
    digests = [tk.corpus.digest(t) for t in corpus.texts()]
    size = len(corpus)
    for r in range(n):
        meta = corpus.meta.copy()
        meta["copy"] = r
        # the first and second half of the documents, in corpus order
        position = r * size + pd.RangeIndex(size).to_numpy()
        meta["half"] = pd.Series(position < n * size / 2, index=meta.index).map(
            {True: "first", False: "second"}
        )
        meta.index = pd.Index([f"{d}~{r}" for d in corpus.meta.index], name="doc_id")
        yield tk.Corpus(corpus.source, meta, digests, rows=corpus.rows, name=f"un-x{n}")


def _timed(fn, repeat: int = 1) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return round(best, 3), value


def build(corpus: tk.Corpus, n: int, folder: Path, workers: int, shard_mb: float) -> dict:
    tk.set_scheduler("local", n_workers=workers)
    try:
        with Memory() as mem:
            load = os.getloadavg()
            t0 = time.perf_counter()
            store = tk.build_shards(copies(corpus, n), folder, shard_mb=shard_mb, progress=True)
            seconds = time.perf_counter() - t0
    finally:
        tk.set_scheduler(None)
    return {
        "copies": n,
        "workers": workers,
        "seconds": round(seconds, 1),
        "tokens": store.n_tokens,
        "documents": len(store),
        "shards": store.n_shards,
        "tokens_per_second": round(store.n_tokens / seconds),
        "store_gb": round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / GB, 2),
        "load_before": [round(x, 2) for x in load],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "memory": mem.summary(),
    }


def queries(folder: Path, workers: int) -> dict:
    store = tk.open_shards(folder)
    out: dict[str, Any] = {"tokens": store.n_tokens, "workers": workers}
    client = tk.set_scheduler("local", n_workers=workers) if workers else None
    try:
        with Memory() as mem:
            out["kwic_nuclear_limit1000_first_s"], conc = _timed(
                lambda: tk.kwic(store, "nuclear", limit=1000)
            )
            out["kwic_nuclear_limit1000_s"], conc = _timed(
                lambda: tk.kwic(store, "nuclear", limit=1000), repeat=3
            )
            out["kwic_lines"] = len(conc)
            out["count_the_s"], n_the = _timed(lambda: store.count("the"), repeat=3)
            out["count_the"] = n_the
            out["keyness_halves_s"], key = _timed(
                lambda: tk.keyness(store, by="half", target="first", reference="second")
            )
            out["keyness_terms"] = len(key)
            out["keyness_top"] = key["term"].head(5).tolist()
    finally:
        if client is not None:
            tk.set_scheduler(None)
    out["memory"] = mem.summary()
    return out


def identity(corpus: tk.Corpus, folder: Path) -> dict:
    """1×: the store against one index of the same documents in the same order."""
    store = tk.open_shards(folder)
    single = store.to_corpus()
    checks = {}
    a = tk.kwic(store, "nuclear", limit=1000).to_frame()
    b = tk.kwic(single, "nuclear", limit=1000).to_frame()
    checks["kwic_limit1000"] = bool(a.equals(b))
    checks["count_the"] = store.count("the") == len(tk.kwic(single, "the"))
    s = tk.kwic(store, "security", sample=500, seed=7).to_frame()
    t = tk.kwic(single, "security", sample=500, seed=7).to_frame()
    checks["kwic_sample500"] = bool(s.equals(t))
    for name, fn in {
        "frequencies": lambda c: tk.frequencies(c),
        "keyness_decades": lambda c: tk.keyness(c.query("year < 1990"), c.query("year >= 1990")),
        "collocates_nuclear": lambda c: tk.collocates(c, "nuclear"),
        "document_stats": lambda c: tk.document_stats(c),
    }.items():
        try:
            x, y = fn(store), fn(single)
            pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True))
            checks[name] = True
        except AssertionError as err:
            checks[name] = f"differs: {str(err)[:200]}"
        except Exception as err:  # noqa: BLE001 - recorded, not hidden
            checks[name] = f"error: {type(err).__name__}: {str(err)[:200]}"
    return checks


def projection(results: dict) -> dict:
    """From the measured 2-worker throughput and per-worker memory to 1.6 billion tokens."""
    builds = results.get("build", {})
    if not builds:
        return {}
    # the rate of the 4x build (measured on a quiet machine, with the speed-up), else the
    # largest; memory per worker: the largest any build's workers reached
    basis = builds.get("4") or builds[max(builds, key=int)]
    per_worker = basis["tokens_per_second"] / basis["workers"]
    mem = max(b["memory"]["max_worker_hwm_gb"] for b in builds.values())
    target = 1.6e9
    out = {
        "basis": f"{basis['copies']}x build: {per_worker:,.0f} tokens/s per worker; "
        f"peak {mem} GB per worker process over all builds",
        "tokens": target,
    }
    for label, workers, efficiency in (("16-core machine", 16, 0.9), ("4 nodes x 16", 64, 0.8)):
        seconds = target / (per_worker * workers * efficiency)
        out[label] = {
            "workers": workers,
            "assumed_efficiency": efficiency,
            "build_minutes": round(seconds / 60, 1),
            "memory_per_worker_gb": mem,
            "memory_total_gb": round(mem * workers, 1),
        }
    out["note"] = (
        "a projection, not a measurement: it assumes the per-worker rate measured here, a "
        "file system that keeps up with the writers, and shard size (not corpus size) "
        "bounding each worker's memory, as measured at 1x-16x"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE))
    ap.add_argument("--sizes", default="1,4,16")
    ap.add_argument("--only", default="build,speedup,queries,identity")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--shard-mb", type=float, default=32)
    ap.add_argument("--keep", action="store_true", help="keep the stores")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args()
    archive = Path(args.archive)
    if not archive.exists():
        sys.exit(f"no archive at {archive}; pass its path")
    sizes = [int(s) for s in args.sizes.split(",")]
    phases = set(args.only.split(","))
    work = Path(args.workdir or tempfile.mkdtemp(prefix="scale-"))
    out_path = Path(args.out)
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    results["machine"] = {
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / GB, 1),
    }

    def save() -> None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(results, indent=1) + "\n")

    t0 = time.perf_counter()
    corpus = tk.load_folder(archive, PATTERN)
    print(f"read {len(corpus):,} speeches in {time.perf_counter() - t0:.0f} s", flush=True)
    for n in sizes:
        folder = work / f"x{n}"
        if "build" in phases:
            if folder.exists():
                shutil.rmtree(folder)
            r = build(corpus, n, folder, workers=2, shard_mb=args.shard_mb)
            results.setdefault("build", {})[str(n)] = r
            print(f"build {n}x: {json.dumps(r)}", flush=True)
            save()
        if "speedup" in phases and n == 4:
            one = work / "x4-one-worker"
            r1 = build(corpus, n, one, workers=1, shard_mb=args.shard_mb)
            shutil.rmtree(one)
            two = results.get("build", {}).get("4")
            results["speedup_4x"] = {
                "one_worker": r1,
                "two_workers_seconds": two and two["seconds"],
                "speedup": two and round(r1["seconds"] / two["seconds"], 2),
            }
            print(f"speedup 4x: {json.dumps(results['speedup_4x'])}", flush=True)
            save()
        if "queries" in phases and folder.exists():
            for workers in (2, 0):
                r = queries(folder, workers)
                results.setdefault("queries", {}).setdefault(str(n), {})[
                    "local-2" if workers else "in-process"
                ] = r
                print(f"queries {n}x ({workers or 'in-process'}): {json.dumps(r)}", flush=True)
                save()
        if "identity" in phases and n == 1 and folder.exists():
            results["identity_1x"] = identity(corpus, folder)
            print(f"identity 1x: {json.dumps(results['identity_1x'])}", flush=True)
            save()
        if not args.keep and n != 1 and folder.exists():
            shutil.rmtree(folder)
    results["projection_1_6_billion"] = projection(results)
    save()
    print(json.dumps(results["projection_1_6_billion"], indent=1))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
