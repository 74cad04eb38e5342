"""Frequency lists, n-grams (AntConc's Clusters and N-Grams) and dispersion, from the index.

Counting conventions, used throughout the toolkit:

* **word tokens** are tokens with at least one letter or digit; punctuation and symbols are
  tokens in the index (and in concordance contexts) but are left out of frequency lists
  and of every *per million* denominator, as in AntConc's word counts;
* ``case_sensitive=False`` (default) folds case before counting (``Peace`` and ``peace``
  are one term);
* n-grams never cross a document boundary and, by default (``punct=False``), never span
  punctuation (``"security , peace"`` is not a bigram), as in AntConc's clusters.

Argument names follow ``docs/glossary.md``.  The names used before (``lowercase=``,
``skip_punct=``) still work until toolkit 0.3, with a ``FutureWarning``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import (
    Check,
    Constraint,
    Interval,
    Renamed,
    StrOptions,
    group_columns,
    validate_params,
)
from .corpus import Corpus
from .counts import (
    doc_word_counts,
    group_codes,
    stream_terms,
    term_ids,
    unique_rows,
    view_positions,
)
from .errors import ParameterError
from .shards import ShardedCorpus
from .stopwords import stopwords as bundled_stopwords

__all__ = [
    "frequencies",
    "ngrams",
    "dispersion",
    "doc_word_counts",
    "document_stats",
    "stream_terms",
    "view_positions",
]


def _group_docs(
    corpus: Corpus | ShardedCorpus, by: str | Sequence[str] | None
) -> tuple[list[str], pd.DataFrame]:
    if by is None:
        return [], pd.DataFrame(index=corpus.meta.index)
    cols = group_columns(corpus.meta, by)
    return cols, corpus.meta[cols]


def _is_word_list(value: object) -> bool:
    """A collection of strings (not one string, and not a one-shot iterator, which
    checking would use up)."""
    if isinstance(value, str | bytes) or iter(value) is value:  # type: ignore[call-overload]
        return False
    return all(isinstance(w, str) for w in value)  # type: ignore[attr-defined]


# Constraints shared by the functions of this module and the other counting modules.
CORPUS = [Corpus]
#: For the analyses that also run on a :class:`~toolkit.shards.ShardedCorpus`.
CORPUS_OR_SHARDS = [Corpus, ShardedCorpus]
BY = [
    None,
    str,
    Check(
        lambda v: not isinstance(v, str) and _is_word_list(v) and len(v) > 0,
        "a non-empty list of column names",
    ),
]


class StopwordListName(Constraint):
    """The name of a bundled stopword list (``"english"``, ``"en"``, ``"french"`` …, see
    :func:`toolkit.stopwords`), passed on as that list: every function that takes
    ``stopwords=`` takes a name as well as a list of words."""

    @property
    def choices(self) -> list[Any]:  # type: ignore[override]
        from .stopwords import stopword_languages

        return list(stopword_languages())

    def is_satisfied_by(self, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        try:
            bundled_stopwords(value)
        except ParameterError:
            return False
        return True

    def convert(self, name: str, value: Any) -> Any:
        return bundled_stopwords(value)

    def __str__(self) -> str:
        return "the name of a bundled list (tk.stopword_languages())"


STOPWORDS = [
    None,
    StopwordListName(),
    Check(_is_word_list, "a list, tuple or set of strings"),
]
LAYER = [str]
BOOLEAN = ["boolean"]


def min_count_at_least(low: int) -> list[Interval]:
    return [Interval(Integral, low, None)]


def _excluded_terms(
    terms: np.ndarray, stopwords: Iterable[str] | None, lowercase: bool
) -> np.ndarray:
    mask = np.zeros(len(terms), dtype=bool)
    if stopwords:
        stop = {w.lower() for w in stopwords} if lowercase else set(stopwords)
        mask[[i for i, t in enumerate(terms.tolist()) if t in stop]] = True
    return mask


@fill_doc
@validate_params(
    {
        "corpus": CORPUS_OR_SHARDS,
        "by": BY,
        "case_sensitive": BOOLEAN,
        "stopwords": STOPWORDS,
        "min_count": min_count_at_least(1),
        "punct": BOOLEAN,
        "layer": LAYER,
    },
    renamed={"lowercase": Renamed("case_sensitive", invert=True)},
)
def frequencies(
    corpus: Corpus | ShardedCorpus,
    by: str | Sequence[str] | None = None,
    *,
    case_sensitive: bool = False,
    stopwords: Iterable[str] | None = None,
    min_count: int = 1,
    punct: bool = False,
    layer: str = "word",
) -> pd.DataFrame:
    """Word frequency list, overall or per metadata group (long format).

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        A :class:`~toolkit.ShardedCorpus` is counted shard by shard (counts, document
        counts and word totals per term and group are added up; ranks, rates and
        ``min_count`` are applied to the totals): the same table as on one index.
    by : str or list of str, optional
        {params.by}
        The result then has one row per group and term.
    case_sensitive : bool
        {params.case_sensitive}
        Replaces ``lowercase`` (deprecated: ``lowercase=True`` is ``case_sensitive=False``).
    stopwords : iterable of str, optional
        {params.stopwords}
        Here that is the ``per_million`` denominator (the word tokens of the group).
    min_count : int
        {params.min_count}
        Per group when ``by`` is given; at least 1.
    punct : bool
        {params.punct}
        ``True`` also lists punctuation tokens (not in the ``per_million`` denominator).
    layer : str
        {params.layer}
        Count the layer's values instead of the words.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``count``, ``rank``, ``per_million`` (per million word tokens of the
        corpus or group) and ``docs`` (documents containing the term: quanteda's
        ``docfreq``), sorted by count (then term); with ``by``, the group columns come
        first.  ``rank`` is the term's rank by count within its group, ties sharing the
        lowest rank (1, 1, 3, …), as quanteda's ``textstat_frequency`` (R's
        ``rank(ties.method = "min")``); it does not change with ``min_count``.

    Raises
    ------
    ParameterError
        An argument of the wrong type or out of range (before any counting); a ``by``
        column that does not exist or mixes types.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace, peace and war.", "War."]}))
    >>> tk.frequencies(c)[["term", "count", "rank", "docs"]].values.tolist()
    [['peace', 2, 1, 1], ['war', 2, 1, 2], ['and', 1, 3, 1]]
    >>> tk.frequencies(c, case_sensitive=True)["term"].tolist()
    ['Peace', 'War', 'and', 'peace', 'war']
    """
    lowercase = not case_sensitive
    by_cols, groups = _group_docs(corpus, by)  # checked before the index is built
    if by_cols:
        codes, uniques = group_codes(groups, by_cols)
    else:
        codes, uniques = np.zeros(len(corpus), dtype=np.int64), None
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    if isinstance(corpus, ShardedCorpus):
        parts = corpus.map(
            _frequencies_part,
            pd.Series(codes, index=corpus.meta.index),
            n_groups,
            lowercase,
            stopwords,
            punct,
            layer,
            desc="frequencies",
        )
        counts = _sum_parts([p[0] for p in parts], ["group", "term"], ["count", "docs"])
        group_words = np.sum([p[1] for p in parts], axis=0) if parts else np.zeros(n_groups)
    else:
        counts, group_words = _frequency_counts(
            corpus, codes, n_groups, lowercase, stopwords, punct, layer
        )
    return _frequency_table(counts, group_words, by_cols, uniques, min_count)


def _sum_parts(parts: list[pd.DataFrame], keys: list[str], values: list[str]) -> pd.DataFrame:
    """The counts of the shards' tables added up per key (one row per distinct key)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=np.int64 if c in values or c == "group" else object)
                for c in [*keys, *values]
            }
        )
    if len(parts) == 1:
        return parts[0]
    both = pd.concat(parts, ignore_index=True)
    return both.groupby(keys, sort=False, dropna=False)[values].sum().reset_index()


def _frequencies_part(
    shard: Corpus,
    codes: pd.Series,
    n_groups: int,
    lowercase: bool,
    stopwords: Iterable[str] | None,
    punct: bool,
    layer: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Task: the summable counts of :func:`frequencies` on one shard (global group codes)."""
    local = codes.loc[shard.meta.index].to_numpy()
    return _frequency_counts(shard, local, n_groups, lowercase, stopwords, punct, layer)


def _frequency_counts(
    corpus: Corpus,
    codes: np.ndarray,
    n_groups: int,
    lowercase: bool,
    stopwords: Iterable[str] | None,
    punct: bool,
    layer: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Count of each term per group and the documents holding it (``group``, ``term``,
    ``count``, ``docs``), and the word tokens of each group: the parts that add up."""
    view = corpus.index()
    t_all, terms, is_word_tok = stream_terms(view, lowercase, layer)
    drop = _excluded_terms(terms, stopwords, lowercase)
    lengths = view.doc_lengths
    rows = np.repeat(np.arange(len(view.docs)), lengths)
    t = t_all
    keep = ~drop[t]
    if not punct:
        keep &= is_word_tok
    t, rows = t[keep], rows[keep]
    n_terms = len(terms)
    doc_key = np.unique(rows.astype(np.int64) * n_terms + t)
    doc_rows, doc_terms = doc_key // n_terms, doc_key % n_terms
    words = doc_word_counts(view)
    group_words = np.bincount(codes, weights=words, minlength=n_groups)
    g_tok = codes[rows].astype(np.int64) * n_terms + t
    gk, gcount = np.unique(g_tok, return_counts=True)
    gdoc_k, gdocs = np.unique(
        codes[doc_rows].astype(np.int64) * n_terms + doc_terms, return_counts=True
    )
    out = pd.DataFrame(
        {
            "group": gk // n_terms,
            "term": terms[gk % n_terms],
            "count": gcount,
            "docs": gdocs[np.searchsorted(gdoc_k, gk)],
        }
    )
    return out, group_words


def _frequency_table(
    counts: pd.DataFrame,
    group_words: np.ndarray,
    by_cols: list[str],
    uniques: pd.DataFrame | None,
    min_count: int,
) -> pd.DataFrame:
    """The frequency list from the total counts: filter, rank, rates, group labels, order."""
    out = counts[counts["count"] >= min_count]
    rank = out.groupby("group")["count"].rank(method="min", ascending=False)
    out.insert(3, "rank", rank.astype(np.int64))
    gw = group_words[out["group"].to_numpy()]
    out.insert(4, "per_million", np.where(gw > 0, out["count"] / np.maximum(gw, 1) * 1e6, np.nan))
    out["term"] = out["term"].astype(str)
    if by_cols:
        assert uniques is not None
        gframe = uniques.iloc[out["group"].to_numpy()].reset_index(drop=True)
        out = pd.concat([gframe, out.drop(columns="group").reset_index(drop=True)], axis=1)
        out = out.sort_values(
            [*by_cols, "count", "term"],
            ascending=[True] * len(by_cols) + [False, True],
            kind="stable",
        )
    else:
        out = out.drop(columns="group").sort_values(
            ["count", "term"], ascending=[False, True], kind="stable"
        )
    return out.reset_index(drop=True)


STOPWORD_FILTERS = ("edge", "any", "all")


def _stopword_set(stopwords: str | Iterable[str]) -> set[str]:
    """The stopwords as a set of lower-cased forms, typographic apostrophes made straight
    (so that the clitic ``’s`` counts as ``'s``)."""
    from .stopwords import stopwords as bundled

    words: Iterable[str]
    if isinstance(stopwords, str):
        from .stopwords import stopword_languages

        try:
            words = bundled(stopwords)
        except ValueError:
            raise ParameterError(
                "stopwords",
                stopwords,
                f"stopwords={stopwords!r}: no bundled stopword list of that name",
                valid=stopword_languages(),
            ) from None
    else:
        words = stopwords
    return {w.lower().replace("\u2019", "'") for w in words}


@fill_doc
@validate_params(
    {
        "corpus": CORPUS_OR_SHARDS,
        "n": [Interval(Integral, 2, None)],
        "by": BY,
        "pattern": [None, str, Check(_is_word_list, "a list of strings")],
        "position": [StrOptions(("any", "left", "right"))],
        "min_count": min_count_at_least(1),
        "case_sensitive": BOOLEAN,
        "punct": BOOLEAN,
        "match": [StrOptions(("glob", "regex", "fixed"))],
        "layer": LAYER,
        "stopwords": STOPWORDS,
        "stopword_filter": [StrOptions(STOPWORD_FILTERS)],
    },
    renamed={
        "lowercase": Renamed("case_sensitive", invert=True),
        "skip_punct": Renamed("punct", invert=True),
    },
)
def ngrams(
    corpus: Corpus | ShardedCorpus,
    n: int = 2,
    by: str | Sequence[str] | None = None,
    *,
    pattern: str | Sequence[str] | None = None,
    position: str = "any",
    min_count: int = 2,
    case_sensitive: bool = False,
    punct: bool = False,
    match: str = "glob",
    layer: str = "word",
    stopwords: str | Iterable[str] | None = None,
    stopword_filter: str = "edge",
) -> pd.DataFrame:
    """N-gram frequencies, or clusters around a search term (AntConc's Clusters tool).

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        A :class:`~toolkit.ShardedCorpus` is counted shard by shard (n-grams never cross
        a document, so the counts and word totals of the shards add up; ``min_count`` and
        the rates are applied to the totals): the same table as on one index.
    n : int
        Length of the sequences (2 or more).
    by : str or list of str, optional
        {params.by}
        Counts are then made per group (long format).
    pattern : str or list of str, optional
        {params.pattern}
        Only n-grams with a word matching it at ``position``: ``"left"`` (first word),
        ``"right"`` (last word) or ``"any"``.  Token patterns only (no phrases).
    position : {"any", "left", "right"}
        Where ``pattern`` must match.
    min_count : int
        {params.min_count}
        N-grams seen at least this often (per group); at least 1.
    case_sensitive : bool
        {params.case_sensitive}
        ``pattern`` follows the same setting.  Replaces ``lowercase`` (deprecated).
    punct : bool
        {params.punct}
        With ``False`` (default), n-grams that contain punctuation are left out, as
        AntConc's clusters; ``True`` keeps them.  Replaces ``skip_punct`` (deprecated:
        ``skip_punct=True`` is ``punct=False``).
    match : {"glob", "regex", "fixed"}
        {params.match}
        CQP queries are not taken here: ``pattern`` matches single tokens.
    layer : str
        {params.layer}
        Count sequences of the layer's values, as ``frequencies(layer=)``; ``pattern``
        then matches the layer's values.  Punctuation is found from the words, so
        ``punct`` works the same on every layer.
    stopwords : str or iterable of str, optional
        {params.stopwords}
        Which n-grams are left out is set by ``stopword_filter``.  Stopwords are compared
        in lower case, with ``’`` read as ``'`` (the clitic ``’s`` is the stopword ``'s``).
    stopword_filter : {"edge", "any", "all"}
        With ``stopwords``: ``"edge"`` (default) leaves out the n-grams that begin or
        end with a stopword, keeping those with stopwords inside (*weapons of mass
        destruction*, *peace and security*), as :func:`toolkit.trigram_collocations` and
        Justeson & Katz's (1995, "Technical terminology", *Natural Language Engineering*
        1(1)) term patterns, which may hold a preposition only inside; ``"any"`` leaves
        out every n-gram with a stopword anywhere, as quanteda's practice of
        ``tokens_remove(stopwords, padding = TRUE)`` before ``tokens_ngrams`` and NLTK's
        ``apply_word_filter``; ``"all"`` only those made of stopwords alone (*of the*,
        *in the*).  The per-million denominator is unchanged.

    Returns
    -------
    pandas.DataFrame
        ``ngram`` (words joined by one space), ``count``, ``per_million`` (per million word
        tokens), sorted by count; with ``by`` the group columns first.

    Raises
    ------
    ParameterError
        An argument of the wrong type or out of range, before any counting.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["the United Nations. The United Nations"]}))
    >>> tk.ngrams(c, n=2)[["ngram", "count"]].values.tolist()
    [['the united', 2], ['united nations', 2]]
    >>> tk.ngrams(c, n=2, stopwords="english")[["ngram", "count"]].values.tolist()
    [['united nations', 2]]
    >>> p = tk.from_tokens([["Threats", "grew", ".", "a", "threat", "grows"]],
    ...                    layers={"lemma": [["threat", "grow", ".", "a", "threat", "grow"]]})
    >>> tk.ngrams(p, n=2, layer="lemma")[["ngram", "count"]].values.tolist()
    [['threat grow', 2]]
    """
    from .patterns import check_patterns

    lowercase = not case_sensitive
    if pattern is not None:
        check_patterns(pattern, match, case_sensitive)
    stop = None if stopwords is None else _stopword_set(stopwords)
    by_cols, groups = _group_docs(corpus, by)
    if by_cols:
        codes, uniques = group_codes(groups, by_cols)
    else:
        codes, uniques = np.zeros(len(corpus), dtype=np.int64), None
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    settings = (n, pattern, position, lowercase, punct, match, layer, stop, stopword_filter)
    if isinstance(corpus, ShardedCorpus):
        parts = corpus.map(
            _ngram_part,
            pd.Series(codes, index=corpus.meta.index),
            n_groups,
            *settings,
            desc="n-grams",
        )
        keys, counts, terms = _sum_coded([p[:3] for p in parts], n)
        group_words = np.sum([p[3] for p in parts], axis=0) if parts else np.zeros(n_groups)
    else:
        keys, counts, terms, group_words = _ngram_counts(corpus, codes, n_groups, *settings)
    return _ngram_table(keys, counts, terms, group_words, by_cols, uniques, min_count)


def _ngram_part(
    shard: Corpus, codes: pd.Series, n_groups: int, *settings: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Task: the summable counts of :func:`ngrams` on one shard (global group codes)."""
    local = codes.loc[shard.meta.index].to_numpy()
    return _ngram_counts(shard, local, n_groups, *settings)  # type: ignore[arg-type]


def _sum_coded(
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shards' n-gram counts added up: each shard's term ids are mapped to one
    vocabulary (the shards' terms in order of first sight), then equal rows summed."""
    if not parts:
        return np.zeros((0, n + 1), dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    vocab = pd.Index(np.concatenate([np.asarray(p[2], dtype=object) for p in parts])).unique()
    mapped = []
    for keys, _, terms in parts:
        code = vocab.get_indexer(np.asarray(terms, dtype=object))
        k = keys.copy()
        k[:, 1:] = code[k[:, 1:]]
        mapped.append(k)
    rows = pd.DataFrame(np.concatenate(mapped))
    rows["count"] = np.concatenate([p[1] for p in parts])
    summed = rows.groupby(list(range(n + 1)), sort=False)["count"].sum()
    keys = np.asarray(summed.index.to_frame(index=False).to_numpy(), dtype=np.int64)
    return keys.reshape(-1, n + 1), summed.to_numpy(np.int64), np.asarray(vocab, dtype=object)


def _ngram_counts(
    corpus: Corpus,
    codes: np.ndarray,
    n_groups: int,
    n: int,
    pattern: str | Sequence[str] | None,
    position: str,
    lowercase: bool,
    punct: bool,
    match: str,
    layer: str,
    stop: set[str] | None,
    stopword_filter: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The distinct n-grams per group as rows of ids (group, then the n terms), their
    counts, the terms the ids index, and the word tokens of each group: the parts that
    add up (n-grams never cross a document)."""
    from .patterns import match_layer_values, match_types

    case_sensitive = not lowercase
    view = corpus.index()
    idx = view.index
    t_all, terms, is_word = stream_terms(view, lowercase, layer)
    stream = view.token_stream()
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    group_words = np.bincount(codes, weights=doc_word_counts(view), minlength=n_groups)
    m = max(len(stream) - n + 1, 0)  # possible starts
    ok = rows[:m] == rows[n - 1 : n - 1 + m]
    if not punct:
        for j in range(n):
            ok &= is_word[j : j + m]
    if stop is not None:
        is_stop = np.fromiter(
            (t.lower().replace("\u2019", "'") in stop for t in np.asarray(terms).tolist()),
            dtype=bool,
            count=len(terms),
        )[t_all]
        if stopword_filter == "edge":
            ok &= ~(is_stop[:m] | is_stop[n - 1 : n - 1 + m])
        else:
            all_stop = np.ones(m, dtype=bool)
            any_stop = np.zeros(m, dtype=bool)
            for j in range(n):
                all_stop &= is_stop[j : j + m]
                any_stop |= is_stop[j : j + m]
            ok &= ~(any_stop if stopword_filter == "any" else all_stop)
    if pattern is not None:
        pats = [pattern] if isinstance(pattern, str) else list(pattern)
        if layer == "word":
            hit = np.zeros(len(idx.vocab), dtype=bool)
            for p in pats:
                hit[match_types(idx, p, match=match, case_sensitive=case_sensitive)] = True
            h = hit[stream]
        else:
            values = np.asarray(terms, dtype=object)
            hit = np.zeros(len(values), dtype=bool)
            for p in pats:
                hit |= match_layer_values(values, p, match=match, case_sensitive=case_sensitive)
            h = hit[t_all]
        if position == "left":
            ok &= h[:m]
        elif position == "right":
            ok &= h[n - 1 : n - 1 + m]
        else:
            anyh = np.zeros(m, dtype=bool)
            for j in range(n):
                anyh |= h[j : j + m]
            ok &= anyh
    starts = np.flatnonzero(ok)
    cols = np.stack([codes[rows[starts]], *(t_all[starts + j] for j in range(n))], axis=1)
    keys, counts = unique_rows(cols.astype(np.int64, copy=False))
    return keys, counts.astype(np.int64), np.asarray(terms, dtype=object), group_words


def _ngram_table(
    keys: np.ndarray,
    counts: np.ndarray,
    terms: np.ndarray,
    group_words: np.ndarray,
    by_cols: list[str],
    uniques: pd.DataFrame | None,
    min_count: int,
) -> pd.DataFrame:
    """The n-gram table from the total counts (rows of group and term ids, the terms):
    filter, join the words, rates, order."""
    keep = counts >= min_count
    keys, counts = keys[keep], counts[keep]
    n = keys.shape[1] - 1
    words = [terms[keys[:, 1 + j]].astype(str) for j in range(n)]
    grams = words[0].astype(object)
    for wj in words[1:]:
        grams = grams + " " + wj
    group = keys[:, 0]
    out = pd.DataFrame({"ngram": grams, "count": counts})
    if by_cols:
        assert uniques is not None
        gw = group_words[group]
        out["per_million"] = out["count"] / np.maximum(gw, 1) * 1e6
        gframe = uniques.iloc[group].reset_index(drop=True)
        out = pd.concat([gframe, out], axis=1).sort_values(
            [*by_cols, "count", "ngram"], ascending=[True] * len(by_cols) + [False, True]
        )
    else:
        out["per_million"] = out["count"] / max(int(group_words.sum()), 1) * 1e6
        out = out.sort_values(["count", "ngram"], ascending=[False, True])
    return out.reset_index(drop=True)


@fill_doc
@validate_params(
    {
        "corpus": CORPUS_OR_SHARDS,
        "match": [StrOptions(("glob", "regex", "fixed", "cqp"))],
        "case_sensitive": BOOLEAN,
        "layer": LAYER,
    }
)
def dispersion(
    corpus: Corpus | ShardedCorpus,
    pattern: str | Sequence[str],
    match: str = "glob",
    case_sensitive: bool = False,
    layer: str = "word",
) -> pd.DataFrame:
    """How evenly each pattern is spread over the documents of a corpus.

    The parts are the documents; a part's size is its number of word tokens.  For a
    pattern with ``f`` hits, ``v_i`` of them in part ``i`` of ``n`` parts, and ``s_i`` the
    part's share of all word tokens:

    * ``docs``: number of parts (documents) with at least one hit, the measure of
      dispersion called *range* (Gries 2008); ``docs`` as in every other table of the
      toolkit (:func:`frequencies`, ``Concordance.clusters``);
    * ``dp``: Gries's *deviation of proportions* (Gries 2008, "Dispersions and adjusted
      frequencies in corpora", *IJCL* 13(4)): ``DP = ½ Σ |v_i / f − s_i|``; 0 is perfectly
      even, values near 1 concentrated;
    * ``dp_norm``: ``DP / (1 − min s_i)`` (Lijffijt & Gries 2012, *IJCL* 17(1)), in [0, 1];
    * ``juilland_d``: Juilland's *D* with parts of unequal size (Juilland & Chang-Rodríguez
      1964; as given in Gries 2008): ``D = 1 − (σ(p) / mean(p)) / √(n − 1)`` where
      ``p_i = v_i / size_i`` and σ is the population standard deviation; 1 is perfectly even.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        Needs at least two documents (the parts).  For a :class:`~toolkit.ShardedCorpus`
        the hits and word tokens of each document are counted shard by shard and put
        together in corpus order; the measures are computed once on them.
    pattern : str or list of str
        {params.pattern}
        One row per pattern.
    match : {"glob", "regex", "fixed", "cqp"}
        {params.match}
    case_sensitive : bool
        {params.case_sensitive}
    layer : str
        {params.layer}
        Patterns then match the layer's values.

    Raises
    ------
    ParameterError
        An unknown ``match``, a pattern that is not a string or list of strings, an
        argument of the wrong type (all before any work); a corpus of fewer than two
        documents, or with a document without word tokens.
    PatternError
        A blank pattern or an invalid regular expression, before any work.

    Returns
    -------
    pandas.DataFrame
        ``pattern``, ``count`` (hits) and ``docs`` (documents with a hit; formerly
        ``range``) as whole numbers (int64), ``dp``, ``dp_norm``, ``juilland_d``.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["war peace", "war peace"]}))
    >>> tk.dispersion(c, "war")[["pattern", "count", "docs", "dp", "juilland_d"]].values.tolist()
    [['war', 2, 2, 0.0, 1.0]]
    """
    from .patterns import check_patterns

    patterns = check_patterns(pattern, match, case_sensitive)
    if len(corpus) < 2:
        raise ParameterError(
            "corpus", corpus, "corpus=: dispersion needs at least two documents (the parts)"
        )
    if isinstance(corpus, ShardedCorpus):
        parts = corpus.map(
            _dispersion_counts, patterns, match, case_sensitive, layer, desc="dispersion"
        )
        sizes = np.concatenate([p[0] for p in parts])
        hits = np.concatenate([p[1] for p in parts], axis=1)
    else:
        sizes, hits = _dispersion_counts(corpus, patterns, match, case_sensitive, layer)
    return _dispersion_table(patterns, sizes, hits, corpus)


def _dispersion_counts(
    corpus: Corpus, patterns: list[str], match: str, case_sensitive: bool, layer: str
) -> tuple[np.ndarray, np.ndarray]:
    """Word tokens of each document, and the hits of each pattern in each document (one
    row per pattern): per-document rows, which a sharded corpus concatenates."""
    from .patterns import find

    view = corpus.index()
    sizes = np.asarray(doc_word_counts(view), dtype=np.int64)
    hits = np.zeros((len(patterns), len(sizes)), dtype=np.int64)
    for i, p in enumerate(patterns):
        starts, _, _ = find(view, p, match=match, case_sensitive=case_sensitive, layer=layer)
        hits[i] = np.bincount(view.local[view.index.doc_of(starts)], minlength=len(sizes))
    return sizes, hits


def _dispersion_table(
    patterns: list[str], sizes: np.ndarray, hits: np.ndarray, corpus: Corpus | ShardedCorpus
) -> pd.DataFrame:
    """Documents with a hit (range), DP, normalised DP and Juilland's D of each pattern
    from the per-document counts (in corpus order)."""
    if (sizes == 0).any():
        doc_ids = corpus.doc_ids
        empty = [doc_ids[i] for i in np.flatnonzero(sizes == 0)[:5]]
        raise ParameterError(
            "corpus", corpus, f"corpus=: documents without word tokens cannot be parts: {empty}"
        )
    sizes = np.asarray(sizes, dtype=np.int64)
    hits = np.asarray(hits, dtype=np.int64)
    s = sizes / sizes.sum()
    rows = []
    for p, v in zip(patterns, hits, strict=True):
        f = int(v.sum())
        if f == 0:
            rows.append(
                {
                    "pattern": p,
                    "count": 0,
                    "docs": 0,
                    "dp": np.nan,
                    "dp_norm": np.nan,
                    "juilland_d": np.nan,
                }
            )
            continue
        dp = 0.5 * np.abs(v / f - s).sum()
        rel = v / sizes
        d = 1 - (rel.std() / rel.mean()) / np.sqrt(len(sizes) - 1)
        rows.append(
            {
                "pattern": p,
                "count": f,
                "docs": int((v > 0).sum()),
                "dp": dp,
                "dp_norm": dp / (1 - s.min()),
                "juilland_d": d,
            }
        )
    columns = ["pattern", "count", "docs", "dp", "dp_norm", "juilland_d"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"count": np.int64, "docs": np.int64})


@fill_doc
@validate_params(
    {"corpus": CORPUS_OR_SHARDS, "case_sensitive": BOOLEAN, "punct": BOOLEAN},
    renamed={"lowercase": Renamed("case_sensitive", invert=True)},
)
def document_stats(
    corpus: Corpus | ShardedCorpus, *, case_sensitive: bool = False, punct: bool = False
) -> pd.DataFrame:
    """Size of each document, as quanteda's ``summary(corpus)``.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        For a :class:`~toolkit.ShardedCorpus` each shard counts its documents; the rows
        are put together in corpus order, with the metadata of the store.
    case_sensitive : bool
        {params.case_sensitive}
        Here it decides what counts as one type (default: ``War`` and ``war`` are one, as
        in :func:`frequencies`).  Replaces ``lowercase`` (deprecated).
    punct : bool
        {params.punct}
        ``True`` counts punctuation types too.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``doc_id``: ``tokens`` (all tokens, punctuation included), ``words``
        (word tokens: tokens with a letter or digit), ``types`` (distinct word types,
        after case folding unless ``case_sensitive=True``; with ``punct=True`` distinct
        types of all tokens), then the metadata.

    Notes
    -----
    quanteda's ``summary(corpus)`` counts types case-sensitively and with punctuation:
    ``document_stats(corpus, case_sensitive=True, punct=True)``.  On Washington's inaugural
    address of 1793 (147 tokens) quanteda reports 96 types, as does that call; the
    default here, the distinct words of the text in lower case, is 90 — the size of the
    document's frequency list, and the types every per-word statistic of the toolkit
    counts.

    Raises
    ------
    ParameterError
        ``case_sensitive`` or ``punct`` not True or False.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War, war and peace."]}))
    >>> tk.document_stats(c)[["tokens", "words", "types"]].values.tolist()
    [[6, 4, 3]]
    >>> tk.document_stats(c, case_sensitive=True, punct=True)["types"].tolist()
    [6]
    """
    if isinstance(corpus, ShardedCorpus):
        parts = corpus.map(_document_counts, case_sensitive, punct, desc="document statistics")
        counts = pd.concat(parts) if parts else pd.DataFrame(columns=_DOCUMENT_COUNTS)
    else:
        counts = _document_counts(corpus, case_sensitive, punct)
    return pd.concat([counts.set_axis(corpus.meta.index), corpus.meta], axis=1)


_DOCUMENT_COUNTS = ["tokens", "words", "types"]


def _document_counts(corpus: Corpus, case_sensitive: bool, punct: bool) -> pd.DataFrame:
    """``tokens``, ``words`` and ``types`` of each document (per-document rows, which a
    sharded corpus concatenates in corpus order)."""
    view = corpus.index()
    idx = view.index
    type_term, _ = term_ids(view, not case_sensitive)
    stream = view.token_stream()
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    w = np.ones(len(stream), dtype=bool) if punct else idx.is_word[stream]
    n_terms = int(type_term.max()) + 1 if len(type_term) else 1
    distinct = np.unique(rows[w].astype(np.int64) * n_terms + type_term[stream[w]])
    types = np.bincount(distinct // n_terms, minlength=len(view.docs))
    return pd.DataFrame(
        {"tokens": view.doc_lengths, "words": doc_word_counts(view), "types": types},
        index=corpus.meta.index,
    )
