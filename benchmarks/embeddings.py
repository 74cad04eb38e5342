"""Word embeddings on the full UN General Debate Corpus: training time and memory, equality with
plain gensim, and the whole way from the raw archive to an emotionality-style yearly series.

Usage:  python benchmarks/embeddings.py [ARCHIVE] [--only PHASE ...] [--out FILE]

ARCHIVE defaults to ../shared/corpora/ungdc-1946-2024.tar.xz beside the project.  Each phase
runs in a fresh subprocess (its peak memory is its own; VmHWM of the process, gensim's threads
included); results are printed and written as JSON (default
``benchmarks/results/embeddings.json``; with ``--only``, merged into it).

Phases:

``pipeline``
    With an empty cache, the toolkit's calls alone: ``load_folder`` (the archive read in
    place), the token index, the sentence token stream (timed on its own through the
    module's stream function, which ``fit_embeddings`` then reuses from memory),
    ``fit_embeddings`` on sentences with 300 dimensions, window 8, 10 epochs,
    ``min_count=10`` and 2 workers (the issue's settings; CBOW, gensim's other defaults),
    then ``embedding_scores`` of every speech against the bundled affect and cognition lists
    (Gennaro & Ash's ratio, SIF weights), pooled by year.  Times each step, the training
    alone, the total and the peak memory.
``equal``
    The same sentences given to plain gensim (``Word2Vec(sentences=list(tk.tokens(corpus,
    unit="sentence")), workers=1, seed=…)``) and to ``fit_embeddings(workers=1, seed=…)``, with
    the settings above but one epoch (a 10-epoch single-thread run of each takes several
    minutes more and tests nothing more): the vocabularies and vectors must be identical.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ARCHIVE = HERE.parent.parent / "shared" / "corpora" / "ungdc-1946-2024.tar.xz"
PATTERN = "{country}_{session}_{year}.txt"
SETTINGS = dict(vector_size=300, window=8, epochs=10, min_count=10)
SEED = 1
# fit_embeddings' default stream options (as it passes them to the token stream)
STREAM = dict(
    case_sensitive=False,
    punct=False,
    numbers=True,
    split_hyphens=False,
    min_length=1,
    stopwords=[],
    pos=None,
)

TARGETS = {
    "train_2_workers_s": 180.0,
    "pipeline_peak_mb": 3072.0,
    "pipeline_total_s": 600.0,
}


def _hwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise OSError("no VmHWM")


def _load(archive: str):
    import toolkit as tk

    return tk.load_folder(archive, pattern=PATTERN, progress=False)


def phase_pipeline(archive: str) -> dict:
    import toolkit as tk
    from toolkit.embeddings import _stream_units

    out: dict = {}
    t_all = time.perf_counter()
    t = time.perf_counter()
    corpus = _load(archive)
    out["load_s"] = time.perf_counter() - t
    t = time.perf_counter()
    corpus.index()
    out["index_s"] = time.perf_counter() - t
    t = time.perf_counter()
    # the sentence token stream fit_embeddings trains on (Punkt trained on the corpus, the
    # sentences found and mapped to tokens); kept in memory, so the fit below reuses it
    units = _stream_units(corpus, "sentence", "word", STREAM, False)
    out["sentence_stream_s"] = time.perf_counter() - t
    out["sentences"] = len(units)
    del units
    t = time.perf_counter()
    cpu = time.process_time()
    emb = tk.fit_embeddings(corpus, workers=2, seed=SEED, progress=False, **SETTINGS)
    out["train_2_workers_s"] = time.perf_counter() - t  # data digest and cache write included
    out["train_2_workers_cpu_s"] = time.process_time() - cpu
    out["vocabulary"] = len(emb)
    out["training_tokens"] = int(emb.counts.sum())
    t = time.perf_counter()
    scores = tk.embedding_scores(
        corpus, emb, "affect-cognition", measure="ratio", weights="sif", by="year"
    )
    out["scores_s"] = time.perf_counter() - t
    out["pipeline_total_s"] = time.perf_counter() - t_all
    out["pipeline_peak_mb"] = _hwm_mb()
    out["years"] = len(scores)
    out["score_range"] = [float(scores["score"].min()), float(scores["score"].max())]
    out["neighbours_alliance"] = emb.most_similar("alliance", n=10)["term"].tolist()
    return out


def phase_equal(archive: str) -> dict:
    import numpy as np
    from gensim.models import Word2Vec

    import toolkit as tk

    corpus = _load(archive)
    settings = {**SETTINGS, "epochs": 1}
    sentences = list(tk.tokens(corpus, unit="sentence"))
    t = time.perf_counter()
    plain = Word2Vec(sentences=sentences, workers=1, seed=SEED, **settings)
    plain_s = time.perf_counter() - t
    t = time.perf_counter()
    emb = tk.fit_embeddings(corpus, workers=1, seed=SEED, cache=False, progress=False, **settings)
    toolkit_s = time.perf_counter() - t
    same_vocab = emb.terms == list(plain.wv.index_to_key)
    same = bool(same_vocab and np.array_equal(emb.kv.vectors, plain.wv.vectors))
    return {
        "equal_epochs": 1,
        "equal_same_vocabulary": bool(same_vocab),
        "equal_identical_vectors": same,
        "equal_plain_gensim_1_worker_s": plain_s,
        "equal_toolkit_1_worker_s": toolkit_s,
    }


PHASES = {"pipeline": phase_pipeline, "equal": phase_equal}


def run_phase(name: str, archive: str, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--epochs", str(SETTINGS["epochs"]), archive],
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
    ap.add_argument("--only", nargs="+", choices=list(PHASES), help="run only these phases")
    ap.add_argument("--out", default=str(HERE / "results" / "embeddings.json"))
    ap.add_argument(
        "--epochs", type=int, default=SETTINGS["epochs"], help="training epochs (memory checks)"
    )
    args = ap.parse_args()
    SETTINGS["epochs"] = args.epochs
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.archive)))
        return
    if not Path(args.archive).exists():
        print(f"skipped: the full corpus is not at {args.archive}")
        return
    env = dict(os.environ)
    env["TOOLKIT_PROGRESS"] = "0"
    env["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-bench-")  # empty: from raw text
    results: dict = {"cores": os.cpu_count(), "settings": SETTINGS, "seed": SEED}
    if args.only and Path(args.out).exists():
        results = {**json.loads(Path(args.out).read_text()), **results}
    for name in args.only or ["pipeline", "equal"]:
        print(f"… {name}", flush=True)
        with open("/proc/loadavg") as fh:
            results[f"{name}_load_before"] = float(fh.read().split()[0])
        results.update(run_phase(name, args.archive, env))
    print()
    print(f"{'measure':32} {'value':>14} {'target':>10}")
    for key, value in results.items():
        target = TARGETS.get(key)
        mark = "" if target is None else ("  ok" if value <= target else "  MISSED")
        tv = "" if target is None else f"{target:g}"
        if isinstance(value, float):
            text = f"{value:14.3f}"
        elif isinstance(value, int | bool):
            text = f"{value!s:>14}"
        else:
            text = f"  {value}"
        print(f"{key:32} {text} {tv:>10}{mark}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
