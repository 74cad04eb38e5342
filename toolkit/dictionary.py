"""Dictionary analysis: categories of words or patterns counted per document and group
(quanteda's ``tokens_lookup``/``dfm_lookup``, LIWC-style rates).

Each entry of a category is a token pattern in the syntax of :func:`toolkit.kwic` (glob by
default: ``"threat*"``), or a phrase (``"national security"``).  Matching follows quanteda's
``tokens_lookup`` with ``nested_scope = "key"`` (Benoit et al. 2018): within a category the
longest match wins, so a match whose span lies inside another match of the same category
is not counted (``{"k": ["B C", "A B C"]}`` counts "A B C" once), and a span matched by
several entries counts once.  Matches of different categories are counted independently.
Rates are per thousand word tokens (punctuation excluded).

Entries may carry weights (``{"affect": {"fear": 1.0, "hope*": 0.5}}``): each counted
match then adds the weight of the first listed entry that matches its span to the
category's ``score``; without weights every entry weighs 1 and ``score`` equals ``count``.

:func:`vader_dictionary` builds an evaluative dictionary from the VADER lexicon (Hutto &
Gilbert 2014, "VADER: A parsimonious rule-based model for sentiment analysis of social media
text", ICWSM), read from the ``vaderSentiment`` package (MIT licence): ``positive`` holds
the entries with mean valence ≥ ``threshold``, ``negative`` those with ≤ ``-threshold``.
Single words only (VADER's emoticons and multi-word entries are left out), matched exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import Check, Interval, StrOptions, group_columns, validate_params
from .corpus import Corpus
from .counts import doc_word_counts, group_codes
from .errors import ParameterError
from .frequency import BY, CORPUS_OR_SHARDS, LAYER
from .languages import language_name
from .patterns import find
from .shards import ShardedCorpus

__all__ = ["dictionary_counts", "vader_dictionary"]


@cache
def _vader_lexicon() -> dict[str, float]:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    lex = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            lex[parts[0]] = float(parts[1])
    return lex


@validate_params({"threshold": [Interval(Real, 0, 4)]})
def vader_dictionary(threshold: float = 1.0) -> dict[str, list[str]]:
    """Positive and negative words of the VADER lexicon, as a dictionary.

    Parameters
    ----------
    threshold : float
        Minimum absolute mean valence, from 0 to 4 (VADER's scale runs from −4 to +4).

    Examples
    --------
    >>> import toolkit as tk
    >>> d = tk.vader_dictionary()
    >>> "threat" in d["negative"], "support" in d["positive"]
    (True, True)
    """
    lex = _vader_lexicon()
    words = {w: v for w, v in lex.items() if w.isalpha()}
    return {
        "positive": sorted(w for w, v in words.items() if v >= threshold),
        "negative": sorted(w for w, v in words.items() if v <= -threshold),
    }


#: How dictionary entries are matched.
DICTIONARY_MATCH = ("glob", "fixed", "regex", "stem")


def _outermost(starts: np.ndarray, ends: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Indices of the spans not nested in (or equal to) an earlier-sorted span.

    Spans are sorted by start, longest first; a span is nested when some span starting at
    or before it ends at or after its end, i.e. when the running maximum of the ends of
    the spans before it reaches its own end.  Among equal spans the first-listed entry
    (lowest ``which``) is kept.
    """
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((which, -ends, starts))
    e = ends[order]
    prev_max = np.maximum.accumulate(np.concatenate(([-1], e[:-1])))
    return order[prev_max < e]


def _is_stemmer_language(language: Any) -> bool:
    """Whether Snowball stems ``language`` (a code or an English name, any case)."""
    from .annotators import STEMMER_LANGUAGES

    return isinstance(language, str) and language_name(language) in STEMMER_LANGUAGES.values()


def _stemmer_language_check() -> Check:
    from .annotators import STEMMER_LANGUAGES

    check = Check(_is_stemmer_language, "a language of the Snowball stemmer")
    check.choices = sorted(STEMMER_LANGUAGES)
    return check


_STEMMER_LANGUAGE = _stemmer_language_check()


@fill_doc
@validate_params(
    {
        "corpus": CORPUS_OR_SHARDS,
        "dictionary": [Check(lambda d: isinstance(d, Mapping), "a dict of category → entries")],
        "by": BY,
        "match": [StrOptions(DICTIONARY_MATCH)],
        "layer": LAYER,
        "language": [_STEMMER_LANGUAGE],
    }
)
def dictionary_counts(
    corpus: Corpus | ShardedCorpus,
    dictionary: Mapping[str, Sequence[str] | Mapping[str, float]],
    by: str | Sequence[str] | None = None,
    match: str = "glob",
    layer: str = "word",
    language: str = "en",
) -> pd.DataFrame:
    """Count the categories of a dictionary per document or per group.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        For a :class:`~toolkit.ShardedCorpus` each shard counts its documents; the
        per-document counts are put together in corpus order, then summed per group and
        turned into rates once, by the same code as for one index.
    dictionary : dict of str to list of str, or of str to dict of str to float
        Category → token patterns or phrases, e.g.
        ``{"threat": ["threat*", "danger*"], "security": ["secur*", "defen?e"]}``, or
        category → {pattern: weight} for weighted scores.
    by : str or list of str, optional
        {params.by}
        Counts are summed over each group (default: per document).
    match : {"glob", "fixed", "regex", "stem"}
        {params.match}
        Entries are matched case-insensitively; CQP queries are not taken.  ``"stem"`` is
        for stemmed dictionaries: each entry, without a final ``*``, is stemmed with the Snowball
        stemmer of ``language`` and compared exactly with the ``stem`` layer (see
        ``Corpus.annotate``), so ``"mad*"`` counts *mad* and *madness* but not *made*,
        which a glob would.
    layer : str
        {params.layer}
        The entries are matched against the layer's values: with ``layer="lemma"`` the
        entry ``"threat"`` counts *threats* too.
    language : str
        {params.language}
        The language of the stemmer for ``match="stem"`` (checked with every ``match``:
        one of the Snowball stemmer's languages).

    Returns
    -------
    pandas.DataFrame
        Long format: ``doc_id`` (or the group columns), ``category``, ``count``
        (matches, nested ones not counted), ``score`` (sum of the matches' weights),
        ``words`` (word tokens, punctuation excluded) and ``per_thousand`` (``count`` per
        thousand word tokens).

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["A threat, a dangerous threat."]}))
    >>> tk.dictionary_counts(c, {"threat": ["threat*", "danger*"]})[["count", "words"]].values
    array([[3, 5]])
    >>> w = tk.dictionary_counts(c, {"threat": {"threat": 1.0, "danger*": 0.5}})
    >>> w[["count", "score"]].values.tolist()
    [[3.0, 2.5]]
    """
    if not dictionary:
        raise ParameterError(
            "dictionary", dictionary, "dictionary={}: the dictionary has no categories"
        )
    if by is not None:
        group_columns(corpus.meta, by)  # before any matching
    entries_of: dict[str, tuple[list[str], np.ndarray]] = {}
    for cat, entries in dictionary.items():
        if isinstance(entries, str) or not entries:
            raise ParameterError(
                "dictionary",
                entries,
                f"dictionary: category {cat!r} needs a list of patterns or a dict of "
                f"pattern → weight, "
                f"not {entries!r}",
            )
        if isinstance(entries, Mapping):
            pats = list(entries)
            try:
                weights = np.array([float(entries[p]) for p in pats])
            except (TypeError, ValueError):
                raise ParameterError(
                    "dictionary",
                    entries,
                    f"dictionary: category {cat!r}: every weight must be a number",
                ) from None
        else:
            pats = list(entries)
            weights = np.ones(len(pats))
        entries_of[str(cat)] = (pats, weights)
    match_stem = match == "stem"
    if match_stem:
        from .annotators import get_stemmer

        stemmer = get_stemmer(language)
        stemmed = {}
        for cat, (pats, weights) in entries_of.items():
            words = [p[:-1] if p.endswith("*") else p for p in pats]
            bad = [
                p for p, w in zip(pats, words, strict=True) if not w or any(c in w for c in "*?")
            ]
            if bad:
                raise ParameterError(
                    "dictionary",
                    bad,
                    f"dictionary: category {cat!r}: with match='stem' an entry is a word or "
                    f"stem with at most a final '*', not {bad[0]!r}",
                )
            stemmed[cat] = (
                [" ".join(stemmer.stem(w.lower().split())) for w in words],
                weights,
            )
        entries_of = stemmed
        match, layer = "fixed", "stem"
    stem_language = language if match_stem else None
    if isinstance(corpus, ShardedCorpus):
        parts = corpus.map(
            _dictionary_part, entries_of, match, layer, stem_language, desc="dictionary counts"
        )
        if not parts:  # no documents selected
            zero = np.zeros(0, dtype=np.int64)
            parts = [(zero, dict.fromkeys(entries_of, zero), dict.fromkeys(entries_of, zero))]
        doc_words = np.concatenate([p[0] for p in parts])
        counts = {c: np.concatenate([p[1][c] for p in parts]) for c in entries_of}
        scores = {c: np.concatenate([p[2][c] for p in parts]) for c in entries_of}
    else:
        doc_words, counts, scores = _dictionary_part(
            corpus, entries_of, match, layer, stem_language
        )
    return _dictionary_table(corpus.meta, by, doc_words, counts, scores)


def _dictionary_part(
    corpus: Corpus,
    entries_of: dict[str, tuple[list[str], np.ndarray]],
    match: str,
    layer: str,
    stem_language: str | None,
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Word tokens, and count and score of each category, per document (per-document
    rows, which a sharded corpus concatenates in corpus order); with ``stem_language``
    the stem layer is added first if the index has none."""
    if stem_language is not None and "stem" not in corpus.index().index.layers:
        corpus.annotate("stem", language=stem_language)
    view = corpus.index()
    idx = view.index
    n_docs = len(view.docs)
    counts, scores = {}, {}
    for cat, (pats, weights) in entries_of.items():
        starts, ends, which = find(view, pats, match=match, layer=layer)
        keep = _outermost(starts, ends, which)
        docs = view.local[idx.doc_of(starts[keep])]
        counts[cat] = np.bincount(docs, minlength=n_docs).astype(np.int64)
        scores[cat] = np.bincount(docs, weights=weights[which[keep]], minlength=n_docs)
    return doc_word_counts(view), counts, scores


def _dictionary_table(
    meta: pd.DataFrame,
    by: str | Sequence[str] | None,
    words: np.ndarray,
    counts: dict[str, np.ndarray],
    scores: dict[str, np.ndarray],
) -> pd.DataFrame:
    """The long table of counts, scores and rates per document or group."""
    cats = list(counts)
    if by is None:
        keys = ["doc_id"]
        base = pd.DataFrame({"doc_id": meta.index, "words": words})
        frames = [base.assign(category=cat, count=counts[cat], score=scores[cat]) for cat in cats]
    else:
        keys = group_columns(meta, by)
        codes, groups = group_codes(meta[keys], keys)
        base = groups.reset_index(drop=True)
        base["words"] = np.bincount(codes, weights=words, minlength=len(groups)).astype(np.int64)
        frames = [
            base.assign(
                category=cat,
                count=np.bincount(codes, weights=counts[cat], minlength=len(groups)).astype(
                    np.int64
                ),
                score=np.bincount(codes, weights=scores[cat], minlength=len(groups)),
            )
            for cat in cats
        ]
    long = pd.concat(frames, ignore_index=True)
    long["per_thousand"] = np.where(long["words"] > 0, long["count"] / long["words"] * 1e3, np.nan)
    return long[[*keys, "category", "count", "score", "words", "per_thousand"]]
