"""Topic models on the full UN corpus: the toolkit against the plain gensim recipe.

Usage:  python benchmarks/topics.py [ARCHIVE] [--k 20] [--passes 1] [--out FILE]
                                    [--only recipe,toolkit,coherence,workers,quality]
        python benchmarks/topics.py --only quality [--seeds 7,8,9] [--settings paragraphs,...]

The recipe is what a user writes by hand: regular-expression tokens, gensim's stopwords,
``Dictionary``, ``filter_extremes``, ``doc2bow``, ``LdaModel``.  The toolkit goes from the
same archive to a model with ``tk.fit_topics`` and its default preprocessing; it is timed
cold (token index built in the run) and warm (index reopened from its cache).  Both models
are scored with c_npmi and c_v against the same reference texts: every document tokenised
by the toolkit, lower-cased, punctuation removed, nothing else removed; a topic word that
does not occur there is left out of that topic's list (counted by the toolkit's
``coherence``, whose values equal gensim's ``CoherenceModel``).

Phase ``coherence`` times the scoring of one model (the toolkit's, k topics) on its own
prepared texts, as ``sweep_topics`` does: ``TopicModel.coherence`` (numpy counts) against
gensim's ``CoherenceModel`` on ``prepared.texts()`` (u_mass: ``prepared.bow``), wall and
CPU time per measure, and the largest difference between their per-topic values.  Phase
``workers`` fits the default model (``alpha="auto"``) with one process and with two
(``workers=2``: each chunk's E-step shared by two processes, the same model), wall and CPU
time (the workers' CPU included), and the largest difference between the two models'
topic-word probabilities.  The load average before and after is recorded: the machine is shared.

Phase ``quality`` (``--only quality``) compares the coherence of the toolkit's *default*
topics with the recipe's on three settings: the paragraphs of the bundled corpus from 1991
on (k = 12, one pass), the bundled speeches (k = 10, ten passes: one pass over 371
documents is a single update) and the full corpus (k = 20, one pass); ``--settings``
chooses among ``paragraphs``, ``speeches`` and ``full``.  Each model is fitted with
every seed of ``--seeds``; both sides get the same documents, the same k, passes and
seed, and are scored on the same reference texts (as above: the documents' word
tokens, lower-cased, nothing removed).  c_npmi and c_v follow Röder, Both & Hinneburg
(2015, WSDM, doi:10.1145/2684822.2685324): the normalised PMI of the pairs of top words
over 10-token sliding windows, averaged; and the mean cosine between each top word's
NPMI vector and the topic's (110-token windows).  The table gives the mean over the
seeds and their standard deviation; the results go under ``quality`` in the output file
(the other phases' results there are kept).  Each side prepares its texts once and fits one
model per seed on them; the reference texts are held as term ids and scored with
``toolkit.coherence.coherence_from_ids``, which gives the values of ``coherence`` on the
same texts as lists of words.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ARCHIVE = HERE.parent.parent / "shared" / "corpora" / "ungdc-1946-2024.tar.xz"
PATTERN = "{country}_{session}_{year}.txt"


def read_texts(archive: str) -> list[str]:
    texts = []
    with tarfile.open(archive) as tf:
        for m in tf:
            name = m.name.rsplit("/", 1)[-1]
            if m.isfile() and name.endswith(".txt") and not name.startswith("."):
                texts.append(tf.extractfile(m).read().decode("utf-8-sig"))
    return texts


def recipe(archive: str, k: int, passes: int, seed: int) -> tuple[dict, object]:
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel
    from gensim.parsing.preprocessing import STOPWORDS

    out = {}
    t0 = time.perf_counter()
    texts = read_texts(archive)
    out["recipe_read_s"] = time.perf_counter() - t0
    t = time.perf_counter()
    word = re.compile(r"[a-z]+")
    docs = [
        [w for w in word.findall(x.lower()) if len(w) > 2 and w not in STOPWORDS] for x in texts
    ]
    out["recipe_tokenise_s"] = time.perf_counter() - t
    t = time.perf_counter()
    dictionary = Dictionary(docs)
    dictionary.filter_extremes(no_below=5, no_above=0.5)
    bow = [dictionary.doc2bow(d) for d in docs]
    out["recipe_dictionary_bow_s"] = time.perf_counter() - t
    t = time.perf_counter()
    lda = LdaModel(
        bow,
        id2word=dictionary,
        num_topics=k,
        passes=passes,
        random_state=seed,
        chunksize=2000,
        eval_every=None,
    )
    out["recipe_lda_s"] = time.perf_counter() - t
    out["recipe_total_s"] = time.perf_counter() - t0
    out["recipe_vocabulary"] = len(dictionary)
    return out, lda


def toolkit_model(archive: str, k: int, passes: int, seed: int, label: str) -> tuple[dict, object]:
    import toolkit as tk

    out = {}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_folder(archive, pattern="{country}_{session}_{year}.txt", progress=False)
    out[f"{label}_load_s"] = time.perf_counter() - t0
    t = time.perf_counter()
    corpus.index(progress=False)
    out[f"{label}_index_s"] = time.perf_counter() - t
    t = time.perf_counter()
    prepared = tk.prepare_topics(corpus)
    out[f"{label}_prepare_s"] = time.perf_counter() - t
    t = time.perf_counter()
    model = tk.fit_topics(prepared, k=k, passes=passes, seed=seed, cache=False)
    out[f"{label}_lda_s"] = time.perf_counter() - t
    out[f"{label}_total_s"] = time.perf_counter() - t0
    out[f"{label}_vocabulary"] = len(prepared.dictionary)
    return out, (model, corpus)


def reference_texts(corpus) -> list[list[str]]:
    import toolkit as tk

    view = corpus.index()
    idx = view.index
    words = idx.lower_vocab[idx.lower]
    keep = idx.is_word
    out = []
    for s, e in zip(view.starts, view.ends, strict=True):
        tok = idx.tokens[s:e]
        out.append(words[tok[keep[tok]]].tolist())
    del tk
    return out


def coherence(topics: list[list[str]], texts, measure: str) -> float:
    from toolkit.coherence import coherence as tk_coherence

    return tk_coherence(topics, texts, measure)


def timed(fn):
    """``fn()``, wall seconds, CPU seconds of this process and its finished children."""

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    w, c = time.perf_counter(), cpu()
    value = fn()
    return value, time.perf_counter() - w, cpu() - c


def coherence_speed(model, gensim_too: bool = True) -> dict:
    """Scoring one model on its prepared texts: the toolkit against CoherenceModel."""
    import numpy as np
    from gensim.models.coherencemodel import CoherenceModel

    prepared = model.prepared
    out: dict = {}
    texts = None
    for measure in ("c_v", "c_npmi", "u_mass"):
        ours, wall, cpu = timed(lambda m=measure: model.coherence(m, per_topic=True).to_numpy())
        out[f"coherence_{measure}_toolkit"] = float(ours.mean())
        out[f"coherence_{measure}_toolkit_wall_s"] = wall
        out[f"coherence_{measure}_toolkit_cpu_s"] = cpu
        if not gensim_too:
            continue
        if measure == "u_mass":
            kwargs = {"corpus": prepared.bow}
        else:
            texts = texts if texts is not None else prepared.texts()
            kwargs = {"texts": texts}

        def by_gensim(m=measure, kw=kwargs):
            cm = CoherenceModel(
                model=model.gensim,
                dictionary=prepared.dictionary,
                coherence=m,
                topn=10,
                processes=1,
                **kw,
            )
            return np.array(cm.get_coherence_per_topic())

        theirs, wall, cpu = timed(by_gensim)
        out[f"coherence_{measure}_gensim"] = float(theirs.mean())
        out[f"coherence_{measure}_gensim_wall_s"] = wall
        out[f"coherence_{measure}_gensim_cpu_s"] = cpu
        out[f"coherence_{measure}_max_abs_diff"] = float(np.abs(ours - theirs).max())
    return out


def workers_speed(prepared, k: int, passes: int, seed: int) -> dict:
    """One training process against two, the default model (``alpha="auto"``)."""
    import numpy as np

    import toolkit as tk

    out: dict = {}
    models = {}
    for workers in (1, 2):
        models[workers], wall, cpu = timed(
            lambda w=workers: tk.fit_topics(
                prepared, k=k, passes=passes, seed=seed, workers=w, cache=False
            )
        )
        out[f"lda_workers{workers}_wall_s"] = wall
        out[f"lda_workers{workers}_cpu_s"] = cpu
    out["lda_workers_speedup"] = out["lda_workers1_wall_s"] / out["lda_workers2_wall_s"]
    one, two = (models[w].gensim for w in (1, 2))
    out["lda_workers_topics_max_abs_diff"] = float(
        np.abs(one.get_topics() - two.get_topics()).max()
    )
    out["lda_workers_same_top_words"] = all(
        [w for w, _ in one.show_topic(i, 10)] == [w for w, _ in two.show_topic(i, 10)]
        for i in range(k)
    )
    return out


def recipe_corpus(texts: list[str]) -> tuple:
    """The plain recipe's preprocessing of raw texts: its dictionary and bag-of-words."""
    from gensim.corpora import Dictionary
    from gensim.parsing.preprocessing import STOPWORDS

    word = re.compile(r"[a-z]+")
    docs = [
        [w for w in word.findall(x.lower()) if len(w) > 2 and w not in STOPWORDS] for x in texts
    ]
    dictionary = Dictionary(docs)
    dictionary.filter_extremes(no_below=5, no_above=0.5)
    bow = [dictionary.doc2bow(d) for d in docs]
    return dictionary, bow


def recipe_topics(prepared: tuple, k: int, passes: int, seed: int, topn: int = 10) -> list:
    """The plain recipe's LDA on its prepared texts: its topics' top words."""
    from gensim.models import LdaModel

    dictionary, bow = prepared
    lda = LdaModel(
        bow,
        id2word=dictionary,
        num_topics=k,
        passes=passes,
        random_state=seed,
        chunksize=2000,
        eval_every=None,
    )
    return [[w for w, _ in lda.show_topic(i, topn)] for i in range(k)]


def toolkit_topics(prepared, k: int, passes: int, seed: int, topn: int = 10) -> list:
    """The toolkit's default model (its default priors) of a corpus prepared with the
    default settings (``tk.prepare_topics(corpus)``): its topics' top words."""
    import toolkit as tk

    model = tk.fit_topics(prepared, k=k, passes=passes, seed=seed, cache=False)
    return [[w for w, _ in model.gensim.show_topic(i, topn)] for i in range(k)]


class Reference:
    """Reference texts as term ids (the words of :func:`reference_texts`): scoring gives the
    values of ``coherence(topics, reference_texts(corpus), measure)``, counted from the
    same documents without making a list of strings per document."""

    def __init__(self, corpus) -> None:
        import numpy as np

        view = corpus.index()
        idx = view.index
        lower, is_word = np.asarray(idx.lower), np.asarray(idx.is_word)
        parts, lengths = [], []
        for s, e in zip(view.starts, view.ends, strict=True):
            tok = np.asarray(idx.tokens[s:e])
            parts.append(lower[tok[is_word[tok]]])
            lengths.append(len(parts[-1]))
        self.tokens = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        self.vocab = {str(w): i for i, w in enumerate(idx.lower_vocab)}

    def score(self, topics: list[list[str]], measure: str) -> float:
        from toolkit.coherence import coherence_from_ids

        ids = [[self.vocab[w] for w in t if w in self.vocab] for t in topics]
        return coherence_from_ids(ids, self.tokens, self.offsets, measure, n_terms=len(self.vocab))


def quality_setting(name: str, corpus, k: int, passes: int, seeds: list[int]) -> dict:
    """Recipe and toolkit defaults on one setting, every seed, scored on the same texts."""
    import numpy as np

    print(f"… {name}: {len(corpus)} documents, k={k}, passes={passes}", flush=True)
    t0 = time.perf_counter()
    import toolkit as tk

    reference = Reference(corpus)
    out: dict = {"documents": len(corpus), "k": k, "passes": passes, "seeds": seeds}
    for side in ("recipe", "toolkit"):
        scores: dict[str, list[float]] = {"c_npmi": [], "c_v": []}
        topics_first = None
        if side == "recipe":  # the same preprocessing for every seed: done once
            prepared = recipe_corpus(list(corpus.texts()))
            out["recipe_vocabulary"] = len(prepared[0])
        else:
            prepared = tk.prepare_topics(corpus)
            out["toolkit_preprocessing"] = {
                "vocabulary": len(prepared.dictionary),
                "corpus_stopwords": len(prepared.corpus_stopwords),
                "corpus_stopwords_first": prepared.corpus_stopwords[:30],
            }
        for seed in seeds:
            make = recipe_topics if side == "recipe" else toolkit_topics
            topics = make(prepared, k, passes, seed)
            topics_first = topics_first or topics
            for measure in scores:
                scores[measure].append(float(reference.score(topics, measure)))
            print(
                f"   {side:8} seed {seed}: c_npmi {scores['c_npmi'][-1]:+.4f}  "
                f"c_v {scores['c_v'][-1]:.4f}",
                flush=True,
            )
        out[side] = {
            **{m: v for m, v in scores.items()},
            **{f"{m}_mean": float(np.mean(v)) for m, v in scores.items()},
            **{
                f"{m}_sd": float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
                for m, v in scores.items()
            },
            "topics_first_seed": [" ".join(t) for t in topics_first],
        }
    out["seconds"] = time.perf_counter() - t0
    out["load_after"] = list(os.getloadavg())
    return out


SETTINGS = ("paragraphs", "speeches", "full")


def quality(archive: str, seeds: list[int], which: list[str], out_path: Path) -> dict:
    import toolkit as tk

    results: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        un = tk.load_sample()
        settings = {
            "paragraphs": (
                "bundled paragraphs from 1991",
                lambda: un.query("year >= 1991").segment("paragraph"),
                12,
                1,
            ),
            "speeches": ("bundled speeches", lambda: un, 10, 10),
            "full": (
                "full corpus",
                lambda: tk.load_folder(archive, pattern=PATTERN, progress=False),
                20,
                1,
            ),
        }
        for key in which:
            name, make, k, passes = settings[key]
            if key == "full" and not Path(archive).exists():
                print(f"full corpus left out: not at {archive}")
                continue
            results[name] = quality_setting(name, make(), k, passes, seeds)
            save_quality(out_path, name, results[name])
    print_quality(results)
    return results


def save_quality(out_path: Path, name: str, result: dict) -> None:
    """Write one setting's result under ``quality`` in the output file, keeping the rest."""
    data = json.loads(out_path.read_text()) if out_path.exists() else {}
    data.setdefault("quality", {})[name] = result
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(data, indent=1))


def print_quality(results: dict) -> None:
    print()
    print("| setting | k | passes | seeds | measure | gensim recipe | toolkit defaults |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        for m in ("c_npmi", "c_v"):
            cells = [
                f"{r[side][m + '_mean']:+.3f} ± {r[side][m + '_sd']:.3f}"
                for side in ("recipe", "toolkit")
            ]
            seeds = ",".join(str(x) for x in r["seeds"])
            print(
                f"| {name} | {r['k']} | {r['passes']} | {seeds} | {m} | {cells[0]} | {cells[1]} |"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE))
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(HERE / "results" / "topics.json"))
    ap.add_argument("--no-coherence", action="store_true", help="no reference-text coherence")
    ap.add_argument(
        "--no-gensim-coherence", action="store_true", help="time only the toolkit's coherence"
    )
    ap.add_argument(
        "--only",
        default="recipe,toolkit,coherence,workers",
        help="comma-separated phases: recipe, toolkit, coherence, workers, quality",
    )
    ap.add_argument("--seeds", default="7,8,9", help="seeds of the quality phase")
    ap.add_argument(
        "--settings",
        default=",".join(SETTINGS),
        help="quality: comma-separated settings among paragraphs, speeches, full",
    )
    args = ap.parse_args()
    phases = set(args.only.split(","))
    unknown = phases - {"recipe", "toolkit", "coherence", "workers", "quality"}
    if unknown:
        ap.error(f"unknown phases {sorted(unknown)}")
    if "quality" in phases:
        os.environ["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-bench-")
        seeds = [int(x) for x in args.seeds.split(",")]
        which = args.settings.split(",")
        if set(which) - set(SETTINGS):
            ap.error(f"unknown settings {sorted(set(which) - set(SETTINGS))}")
        quality(args.archive, seeds, which, Path(args.out))
        phases.discard("quality")
        if not phases:
            return
    if not Path(args.archive).exists():
        print(f"skipped: the full corpus is not at {args.archive}")
        return
    os.environ["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-bench-")
    results: dict = {"k": args.k, "passes": args.passes, "load_before": list(os.getloadavg())}
    recipe_lda = None
    if "recipe" in phases:
        print("… gensim recipe", flush=True)
        r, recipe_lda = recipe(args.archive, args.k, args.passes, args.seed)
        results.update(r)
    if "toolkit" in phases:
        print("… toolkit, cold (index built)", flush=True)
        r, _ = toolkit_model(args.archive, args.k, args.passes, args.seed, "toolkit_cold")
        results.update(r)
        from toolkit import index as ix

        ix._MEMORY.clear()
    print("… toolkit, warm (index reopened)" if "toolkit" in phases else "… toolkit", flush=True)
    r, (model, corpus) = toolkit_model(args.archive, args.k, args.passes, args.seed, "toolkit_warm")
    results.update(r)
    tk_topics = [[w for w, _ in model.gensim.show_topic(i, 10)] for i in range(args.k)]
    results["toolkit_topics"] = [" ".join(t) for t in tk_topics]
    if recipe_lda is not None:
        recipe_topics = [[w for w, _ in recipe_lda.show_topic(i, 10)] for i in range(args.k)]
        results["recipe_topics"] = [" ".join(t) for t in recipe_topics]
        if not args.no_coherence:
            print("… coherence against the same reference texts", flush=True)
            texts = reference_texts(corpus)
            for measure in ("c_npmi", "c_v"):
                t = time.perf_counter()
                results[f"recipe_{measure}"] = coherence(recipe_topics, texts, measure)
                results[f"toolkit_{measure}"] = coherence(tk_topics, texts, measure)
                results[f"{measure}_seconds_both"] = time.perf_counter() - t
            del texts
    if "coherence" in phases:
        print("… coherence of one model on its prepared texts: toolkit and gensim", flush=True)
        results.update(coherence_speed(model, gensim_too=not args.no_gensim_coherence))
    if "workers" in phases:
        print("… LDA with one and with two workers", flush=True)
        results.update(workers_speed(model.prepared, args.k, args.passes, args.seed))
    if "recipe" in phases and "toolkit" in phases:
        results["speedup_cold"] = results["recipe_total_s"] / results["toolkit_cold_total_s"]
        results["speedup_warm"] = results["recipe_total_s"] / results["toolkit_warm_total_s"]
    results["load_after"] = list(os.getloadavg())
    results["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for key, value in results.items():
        if isinstance(value, list):
            if key.startswith("load"):
                print(f"{key:30} {' '.join(f'{x:.2f}' for x in value):>12}")
            continue
        if isinstance(value, float):
            print(f"{key:30} {value:12.3g}" if key.endswith("diff") else f"{key:30} {value:12.3f}")
        else:
            print(f"{key:30} {value:>12}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    if Path(args.out).exists():  # the quality phase's results are kept
        before = json.loads(Path(args.out).read_text())
        if "quality" in before:
            results["quality"] = before["quality"]
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
