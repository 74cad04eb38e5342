"""Dictionary analysis: categories of words or patterns counted per document and group
(quanteda's ``tokens_lookup``/``dfm_lookup``, LIWC-style rates).

Each entry of a category is a token pattern in the syntax of :func:`toolkit.kwic` (glob by
default: ``"threat*"``), or a phrase (``"national security"``).  A token is counted at most
once per category, even when several entries of the category match it.  Rates are per
thousand word tokens (punctuation excluded).

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

import numpy as np
import pandas as pd

from .corpus import Corpus, metadata_columns
from .frequency import _group_codes, doc_word_counts
from .patterns import find

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


def vader_dictionary(threshold: float = 1.0) -> dict[str, list[str]]:
    """Positive and negative words of the VADER lexicon, as a dictionary.

    Parameters
    ----------
    threshold : float
        Minimum absolute mean valence (VADER's scale runs from −4 to +4).

    Examples
    --------
    >>> d = vader_dictionary()
    >>> "threat" in d["negative"], "support" in d["positive"]
    (True, True)
    """
    lex = _vader_lexicon()
    words = {w: v for w, v in lex.items() if w.isalpha()}
    return {
        "positive": sorted(w for w, v in words.items() if v >= threshold),
        "negative": sorted(w for w, v in words.items() if v <= -threshold),
    }


def dictionary_counts(
    corpus: Corpus,
    dictionary: Mapping[str, Sequence[str]],
    by: str | Sequence[str] | None = None,
    match: str = "glob",
) -> pd.DataFrame:
    """Count the categories of a dictionary per document or per group.

    Parameters
    ----------
    corpus : Corpus
    dictionary : dict of str to list of str
        Category → token patterns or phrases, e.g.
        ``{"threat": ["threat*", "danger*"], "security": ["secur*", "defen?e"]}``.
    by : str or list of str, optional
        Metadata column(s) to sum over (default: per document).
    match : {"glob", "fixed", "regex"}
        How the entries are matched (case-insensitively).

    Returns
    -------
    pandas.DataFrame
        Long format: ``doc_id`` (or the group columns), ``category``, ``count``,
        ``tokens`` (word tokens) and ``per_thousand``.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["A threat, a dangerous threat."]}))
    >>> tk.dictionary_counts(c, {"threat": ["threat*", "danger*"]})[["count", "tokens"]].values
    array([[3, 5]])
    """
    if not dictionary:
        raise ValueError("the dictionary has no categories")
    view = corpus.index()
    idx = view.index
    n_docs = len(view.docs)
    counts = {}
    for cat, entries in dictionary.items():
        if isinstance(entries, str) or not entries:
            raise ValueError(f"category {cat!r} needs a list of patterns, not {entries!r}")
        starts, ends, _ = find(view, list(entries), match=match)
        # count each token once per category: distinct start positions
        starts = np.unique(starts)
        counts[cat] = np.bincount(view.local[idx.doc_of(starts)], minlength=n_docs)
    tokens = doc_word_counts(view)
    wide = pd.DataFrame(counts, index=corpus.meta.index)
    if by is None:
        wide["tokens"] = tokens
        long = wide.reset_index().melt(
            ["doc_id", "tokens"], var_name="category", value_name="count"
        )
        keys = ["doc_id"]
    else:
        cols = metadata_columns(corpus.meta, by)
        codes, groups = _group_codes(corpus.meta[cols], cols)
        sums = pd.DataFrame(
            {
                cat: np.bincount(codes, weights=v, minlength=len(groups)).astype(np.int64)
                for cat, v in counts.items()
            }
        )
        sums["tokens"] = np.bincount(codes, weights=tokens, minlength=len(groups)).astype(np.int64)
        wide = pd.concat([groups.reset_index(drop=True), sums], axis=1)
        long = wide.melt([*cols, "tokens"], var_name="category", value_name="count")
        keys = cols
    long["per_thousand"] = np.where(
        long["tokens"] > 0, long["count"] / long["tokens"] * 1e3, np.nan
    )
    return long[[*keys, "category", "count", "tokens", "per_thousand"]]
