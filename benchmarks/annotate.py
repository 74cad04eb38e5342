"""POS taggers, lemmatisers and stemmers that work offline: accuracy and speed.

Usage:  python benchmarks/annotate.py [--tokens 200000] [--processes 2] [--spacy-model NAME]

Accuracy is measured on ``tests/data/ungd-gold-en.conllu`` (580 tokens of UN General
Debate speeches annotated by hand after the UD guidelines): UPOS accuracy over all tokens,
lemma accuracy (ignoring case, ``’`` read as ``'``) over the gold nouns, verbs and
adjectives and over all tokens.  Speed is tokens per second on the corpus sample bundled
in ``corpora/un-debates-asia`` (its first ``--tokens`` tokens, taken document by document),
starting with empty caches.  The last rows annotate the same documents with
``toolkit.annotators.annotate_documents`` in ``--processes`` processes.

Candidates that are not installed are skipped with a note.  Tag sets other than UPOS are
mapped: C5 with :func:`toolkit.annotators.c5_to_upos`, Penn Treebank with ``penn_to_upos``
below.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import conllu  # noqa: E402

from toolkit import annotators as A  # noqa: E402
from toolkit.tokenize import tokenize  # noqa: E402

GOLD = HERE.parent / "tests" / "data" / "ungd-gold-en.conllu"
TEXTS = HERE.parent / "corpora" / "un-debates-asia" / "texts"
CONTENT = ("NOUN", "VERB", "ADJ")

PENN = {
    "NN": "NOUN",
    "NNS": "NOUN",
    "NNP": "PROPN",
    "NNPS": "PROPN",
    "JJ": "ADJ",
    "JJR": "ADJ",
    "JJS": "ADJ",
    "RB": "ADV",
    "RBR": "ADV",
    "RBS": "ADV",
    "WRB": "ADV",
    "RP": "ADP",
    "IN": "ADP",
    "DT": "DET",
    "PDT": "DET",
    "WDT": "PRON",
    "PRP": "PRON",
    "PRP$": "PRON",
    "WP": "PRON",
    "WP$": "PRON",
    "EX": "PRON",
    "CC": "CCONJ",
    "CD": "NUM",
    "TO": "PART",
    "POS": "PART",
    "UH": "INTJ",
    "FW": "X",
    "SYM": "SYM",
    "LS": "X",
    "MD": "AUX",
    "$": "SYM",
    "#": "SYM",
}
_BE = {"be", "am", "is", "are", "was", "were", "been", "being", "'s", "'re", "'m"}
_SCONJ = {"because", "although", "though", "whether", "if", "unless", "whereas", "while", "that"}


def penn_to_upos(words, tags):
    """Penn Treebank tags to UPOS, with the same context rules as ``c5_to_upos``."""
    out = []
    for i, (word, tag) in enumerate(zip(words, tags, strict=True)):
        lower = word.lower()
        upos = PENN.get(tag, "VERB" if tag.startswith("VB") else "X")
        nxt = tags[i + 1] if i + 1 < len(tags) else ""
        if tag.startswith("VB"):
            if lower in _BE:
                upos = "VERB" if i and words[i - 1].lower() == "there" else "AUX"
            elif lower in {"have", "has", "had", "having", "'ve", "'d"}:
                participle = any(t in ("VBN", "VBD") for t in tags[i + 1 : i + 4])
                upos = "AUX" if participle and nxt != "TO" else "VERB"
            elif lower in {"do", "does", "did"}:
                upos = "AUX" if "VB" in tags[i + 1 : i + 3] else "VERB"
        elif tag == "RB" and lower in ("not", "n't"):
            upos = "PART"
        elif tag == "IN" and lower in _SCONJ:
            upos = "SCONJ"
        elif tag == "TO" and nxt and not nxt.startswith("VB") and nxt != "RB":
            upos = "ADP"
        elif tag == "DT" and lower in ("this", "that", "these", "those"):
            if nxt[:2] not in ("NN", "JJ", "CD"):
                upos = "PRON"
        if not any(ch.isalnum() for ch in word):
            upos = "PUNCT"
        out.append(upos)
    return out


class TextBlobTagger:
    """TextBlob's PatternTagger (its bundled lexicon; no lemmas without WordNet data)."""

    name = "textblob PatternTagger"

    def __init__(self):
        import textblob.en

        self._parser = textblob.en.parser

    def annotate(self, tokens):
        words = [t.replace("’", "'") for t in tokens]
        tags = [tag for _, tag in self._parser.find_tags(words)]
        return None, penn_to_upos(words, tags)


def gold_sentences():
    return conllu.parse(GOLD.read_text(encoding="utf-8"))


def _same(a, b):
    return a.replace("’", "'").lower() == b.replace("’", "'").lower()


def accuracy(annotate, gold):
    n = upos_ok = lemma_ok = content = content_ok = 0
    has_lemmas = False
    for sentence in gold:
        lemmas, upos = annotate([t["form"] for t in sentence])
        has_lemmas = lemmas is not None
        for i, token in enumerate(sentence):
            n += 1
            upos_ok += upos[i] == token["upos"]
            if has_lemmas:
                ok = _same(lemmas[i], token["lemma"])
                lemma_ok += ok
                if token["upos"] in CONTENT:
                    content += 1
                    content_ok += ok
    if not has_lemmas:
        return upos_ok / n, None, None
    return upos_ok / n, content_ok / content, lemma_ok / n


def sample_documents(limit):
    docs, total = [], 0
    for path in sorted(TEXTS.glob("*.txt")):
        tokens = tokenize(path.read_text(encoding="utf-8"))
        docs.append(tokens)
        total += len(tokens)
        if total >= limit:
            break
    return docs, total


def speed(make, docs, total):
    annotator = make()  # loading the model is not timed; its caches start empty
    start = time.perf_counter()
    for tokens in docs:
        for a, b in A.split_sentences(tokens):
            annotator.annotate(tokens[a:b])
    return total / (time.perf_counter() - start)


def fmt(x, pattern="{:.3f}"):
    return "-" if x is None else pattern.format(x)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200_000, help="tokens timed per tagger")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--spacy-model", default="en_core_web_sm")
    args = parser.parse_args(argv)

    gold = gold_sentences()
    docs, total = sample_documents(args.tokens)
    print(f"gold: {sum(len(s) for s in gold)} tokens; speed: {total:,} tokens, {len(docs)} docs")
    candidates = [
        ("HanTa viterbi", lambda: A.HanTaAnnotator(decoder="viterbi")),
        ("HanTa lookahead", lambda: A.HanTaAnnotator(decoder="lookahead")),
        ("HanTa viterbi, no PROPN rule", lambda: A.HanTaAnnotator(proper_nouns=False)),
        (f"spaCy {args.spacy_model}", lambda: A.SpacyAnnotator(args.spacy_model)),
        ("TextBlob PatternTagger", TextBlobTagger),
    ]
    rows = []
    for name, make in candidates:
        try:
            make()
        except (ImportError, A.ParameterError) as err:
            print(f"skipped {name}: {err}")
            continue
        upos, content, lemma = accuracy(make().annotate, gold)
        rate = speed(make, docs, total) if "no PROPN" not in name else None
        rows.append((name, upos, content, lemma, rate))

    def gold_upos_lemmatizer(name, lemmatize):
        n = ok = c = c_ok = 0
        for sentence in gold:
            for token in sentence:
                lemma = lemmatize(token["form"], token["upos"])
                n += 1
                ok += _same(lemma, token["lemma"])
                if token["upos"] in CONTENT:
                    c += 1
                    c_ok += _same(lemma, token["lemma"])
        rows.append((name, None, c_ok / c, ok / n, None))

    lemmatizer = A.get_lemmatizer("en")
    gold_upos_lemmatizer("simplemma (no POS)", lambda w, u: lemmatizer.lemmatize([w])[0])
    try:
        import lemminflect

        def lemminflect_lemma(word, upos):
            if upos not in ("NOUN", "VERB", "ADJ", "ADV", "PROPN", "AUX"):
                return word.lower()
            found = lemminflect.getLemma(word.replace("’", "'"), upos=upos)
            return found[0] if found else word

        gold_upos_lemmatizer("LemmInflect (gold UPOS)", lemminflect_lemma)
    except ImportError:
        print("skipped LemmInflect: not installed")

    print()
    print(f"{'candidate':32s} {'UPOS':>6s} {'lem NVA':>8s} {'lem all':>8s} {'tokens/s':>10s}")
    for name, upos, content, lemma, rate in rows:
        print(
            f"{name:32s} {fmt(upos):>6s} {fmt(content):>8s} {fmt(lemma):>8s} "
            f"{fmt(rate, '{:,.0f}'):>10s}"
        )

    # Parallel: the default annotator over the same documents.
    for decoder in ("lookahead", "viterbi"):
        ann = A.HanTaAnnotator(decoder=decoder)
        start = time.perf_counter()
        A.annotate_documents(docs, ann, processes=args.processes, progress=False)
        rate = total / (time.perf_counter() - start)
        print(f"annotate_documents HanTa {decoder}, {args.processes} processes: {rate:,.0f} tok/s")

    # Stemmers: speed on the distinct lower-cased types, agreement with NLTK.
    types = sorted({t.lower() for tokens in docs for t in tokens})
    from nltk.stem import SnowballStemmer

    nltk_stemmer = SnowballStemmer("english")
    start = time.perf_counter()
    reference = [nltk_stemmer.stem(t) for t in types]
    nltk_rate = len(types) / (time.perf_counter() - start)
    stemmer = A.get_stemmer("en")
    start = time.perf_counter()
    ours = stemmer.stem(types)
    rate = len(types) / (time.perf_counter() - start)
    agree = sum(a == b for a, b in zip(ours, reference, strict=True)) / len(types)
    print(f"\nstemming {len(types):,} distinct types:")
    print(f"  NLTK SnowballStemmer   {nltk_rate:>12,.0f} types/s")
    print(f"  toolkit Stemmer        {rate:>12,.0f} types/s, agrees with NLTK on {agree:.4%}")
    try:
        import Stemmer as pystemmer

        fast = pystemmer.Stemmer("english")
        start = time.perf_counter()
        stems = fast.stemWords(types)
        rate = len(types) / (time.perf_counter() - start)
        agree = sum(a == b for a, b in zip(stems, reference, strict=True)) / len(types)
        print(f"  PyStemmer              {rate:>12,.0f} types/s, agrees with NLTK on {agree:.4%}")
    except ImportError:
        print("  PyStemmer: not installed")
    try:
        import snowballstemmer

        pure = snowballstemmer.stemmer("english")
        start = time.perf_counter()
        pure.stemWords(types)
        rate = len(types) / (time.perf_counter() - start)
        print(f"  snowballstemmer        {rate:>12,.0f} types/s")
    except ImportError:
        print("  snowballstemmer: not installed")


if __name__ == "__main__":
    main()
