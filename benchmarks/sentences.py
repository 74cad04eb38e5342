"""Sentences of the full UN General Debate Corpus, before and after cleaning.

Usage:  python benchmarks/sentences.py [ARCHIVE] [--repeat 3] [--nltk] [--out FILE]

ARCHIVE defaults to ../shared/corpora/ungdc-1946-2024.tar.xz beside the project.  The
corpus is loaded as the other benchmarks load it; then, with a fresh cache:

1. ``segment("sentence")`` of the raw speeches (the Punkt model trained in the run);
2. ``clean_corpus`` with the default steps (its token index, for the hyphen evidence, is
   built first and timed on its own);
3. ``segment("sentence")`` of the cleaned speeches: cold (a new cache, the model trained
   in the run) and warm (the model read back from the cache, as in any later session),
   the best of ``--repeat`` runs of each (default 3).

For each segmentation it prints the time (wall clock and CPU), the number of sentences, and
the share of sentences that do not end in final punctuation (``.``, ``!``, ``?``, ``…``,
each perhaps followed by closing quotes or brackets), with two signs of cut sentences: a
sentence that ends in a page-number line (``…the United\\n38``) and one that starts with a
lower-case letter (its beginning is in the sentence before).  ``--nltk`` also times NLTK's
own ``span_tokenize`` over the paragraphs of the cleaned corpus with the same model (the
path the toolkit took before; it takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ARCHIVE = HERE.parent.parent / "shared" / "corpora" / "ungdc-1946-2024.tar.xz"
PATTERN = "{country}_{session}_{year}.txt"
TARGET_S = 20.0

FINAL = re.compile(r"[.!?…][\"'”’»)\]]*\Z")
PAGE_END = re.compile(r"\n[^\S\n]*[-–—]?[^\S\n]*\d{1,4}[^\S\n]*[-–—]?\Z")


class Timer:
    """Wall-clock and CPU seconds of a block."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def sentence_stats(sentences) -> dict:
    n = no_final = page_end = lower_start = 0
    for text in sentences.texts():
        n += 1
        if not FINAL.search(text):
            no_final += 1
            if PAGE_END.search(text):
                page_end += 1
        if text[0].islower():
            lower_start += 1
    return {
        "sentences": n,
        "without_final_punctuation": no_final,
        "share_without_final_punctuation": no_final / max(n, 1),
        "ending_in_a_page_number": page_end,
        "starting_in_lower_case": lower_start,
    }


def timed_segment(corpus, label: str, results: dict) -> object:
    with Timer() as t:
        sentences = corpus.segment("sentence")
    stats = sentence_stats(sentences)
    results[label] = {"wall_s": t.wall, "cpu_s": t.cpu, **stats}
    print(
        f"{label:<34} {t.wall:7.1f} s wall {t.cpu:7.1f} s CPU  "
        f"{stats['sentences']:>9,} sentences  "
        f"{100 * stats['share_without_final_punctuation']:5.2f}% without final punctuation  "
        f"({stats['ending_in_a_page_number']:,} end in a page number, "
        f"{stats['starting_in_lower_case']:,} start in lower case)",
        flush=True,
    )
    return sentences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE))
    parser.add_argument("--nltk", action="store_true", help="also time NLTK's span_tokenize")
    parser.add_argument("--out", help="write the results as JSON to this file")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measure of the cleaned corpus"
    )
    args = parser.parse_args()
    if not Path(args.archive).exists():
        print(f"{args.archive}: not found; give the path of the UN corpus archive")
        return 2
    os.environ["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-bench-")
    os.environ.setdefault("TOOLKIT_PROGRESS", "0")
    sys.path.insert(0, str(HERE.parent))
    import toolkit as tk
    from toolkit import clean as cl

    segment_module = sys.modules["toolkit.segment"]
    results: dict = {"archive": str(args.archive), "target_s": TARGET_S}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Timer() as t:
            raw = tk.load_folder(args.archive, pattern=PATTERN, progress=False)
    chars = sum(len(x) for x in raw.texts())
    results["load"] = {"wall_s": t.wall, "documents": len(raw), "characters": chars}
    print(f"loaded {len(raw):,} speeches, {chars:,} characters in {t.wall:.1f} s", flush=True)

    timed_segment(raw, "raw, model trained in the run", results)

    with Timer() as t_index:
        raw.index(progress=False)
    with Timer() as t:
        cleaned = cl.clean_corpus(raw, progress=False)
    record = cl.cleaning_record(cleaned)
    summary = record.summary()
    results["clean"] = {
        "index_wall_s": t_index.wall,
        "index_cpu_s": t_index.cpu,
        "wall_s": t.wall,
        "cpu_s": t.cpu,
        "changes": {k: int(v) for k, v in summary["total"].items()},
        "documents_changed": {k: int(v) for k, v in summary["documents"].items()},
        "alignment_mb": record._store.nbytes / 2**20,
    }
    label = "token index (hyphen evidence)"
    print(f"{label:<34} {t_index.wall:7.1f} s wall {t_index.cpu:7.1f} s CPU", flush=True)
    print(f"{'clean_corpus':<34} {t.wall:7.1f} s wall {t.cpu:7.1f} s CPU", flush=True)
    for name, row in summary.iterrows():
        print(f"    {name:<30} {row['total']:>10,} in {row['documents']:>6,} speeches")

    # Cold: a new cache and session, the model trained in the run; warm: a new session,
    # the model read from the cache.  The best of --repeat runs of each (the machine is
    # shared, so single runs vary).
    for rep in range(args.repeat):
        segment_module._MODELS.clear()
        os.environ["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-bench-")
        label = "cleaned, model trained in the run" + (f" #{rep + 1}" if rep else "")
        timed_segment(cleaned, label, results)
    for rep in range(args.repeat):
        segment_module._MODELS.clear()
        label = "cleaned, model from the cache" + (f" #{rep + 1}" if rep else "")
        sentences = timed_segment(cleaned, label, results)
    cold = [v for k, v in results.items() if k.startswith("cleaned, model trained")]
    warm = [v for k, v in results.items() if k.startswith("cleaned, model from")]
    results["cleaned_best"] = {
        "cold_wall_s": min(r["wall_s"] for r in cold),
        "cold_cpu_s": min(r["cpu_s"] for r in cold),
        "warm_wall_s": min(r["wall_s"] for r in warm),
        "warm_cpu_s": min(r["cpu_s"] for r in warm),
    }
    best = results["cleaned_best"]
    print(
        f"target: sentences of the cleaned corpus in <= {TARGET_S:.0f} s; best of {args.repeat}: "
        f"cold {best['cold_wall_s']:.1f} s wall ({best['cold_cpu_s']:.1f} s CPU), "
        f"warm {best['warm_wall_s']:.1f} s wall ({best['warm_cpu_s']:.1f} s CPU)"
    )

    if args.nltk:
        model = segment_module.train_sentence_model(cleaned)
        with Timer() as t:
            n = 0
            for text in cleaned.texts():
                for ps, pe in segment_module.paragraph_spans(text):
                    n += sum(1 for _ in model.span_tokenize(text[ps:pe]))
        results["nltk_span_tokenize"] = {"wall_s": t.wall, "cpu_s": t.cpu, "sentences": n}
        print(
            f"{'NLTK span_tokenize (cleaned)':<34} {t.wall:7.1f} s wall {t.cpu:7.1f} s CPU  "
            f"{n:>9,} sentences (the toolkit: {len(sentences):,})",
            flush=True,
        )
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
