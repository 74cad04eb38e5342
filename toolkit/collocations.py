"""Collocations: the words that keep company with a node word, and collocation discovery.

All counts are made on the stream of **word tokens** (punctuation removed, case folded),
so a window of 5 means five words, as in AntConc and LancsBox; windows never cross a
document boundary.

Node-based collocates (:func:`collocates`), for a node with ``f_node`` hits, a candidate
with corpus frequency ``f_term``, ``O`` co-occurrences inside the windows (each one
counted), a window span ``S = left + right`` and ``N`` word tokens (Evert 2008, "Corpora
and collocations", in Lüdeling & Kytö (eds.), *Corpus Linguistics. An International
Handbook*; Brezina, McEnery & Wattam 2015, "Collocations in context", *IJCL* 20(2)):

* expected ``E = f_node · f_term · S / N``;
* ``pmi = log2(O / E)`` (the "MI" of AntConc and LancsBox: pointwise mutual information,
  Church & Hanks 1990); ``mi3 = log2(O³ / E)``;
* ``t_score = (O − E) / √O``; ``z_score = (O − E) / √E``;
* ``ll``: G² over the contingency table ``O11 = O``, ``R1 = f_node · S`` (window
  positions), ``C1 = f_term``, ``N``: ``2 Σ O_ij ln(O_ij / E_ij)`` with
  ``E_ij = R_i C_j / N``, negative where ``O < E`` (repulsion);
* ``log_dice = 14 + log2(2 O / (f_node + f_term))`` (Rychlý 2008).

Collocation discovery (:func:`collocations`) scores every pair of adjacent words that is
not broken by punctuation or a document boundary, with the measures of NLTK's
``BigramAssocMeasures`` on the same counts (``n_ii`` pair count, ``n_ix``/``n_xi`` word
frequencies, ``n_xx`` word tokens), so the values agree with NLTK's.

quanteda's ``textstat_collocations`` (λ and z of Blaheta & Johnson 2001, sequences of 2 to 5
words) is :func:`toolkit.multiword_expressions`.

Measures have one name everywhere (``docs/glossary.md``): ``ll`` (G²), ``chi2``, ``pmi``,
``t_score``.  The names used before — ``mi`` in :func:`collocates`, ``likelihood_ratio``,
``chi_sq`` and ``student_t`` in :func:`collocations` and :func:`trigram_collocations` — are
still accepted in ``measures=`` and ``sort_by=`` until toolkit 0.3, with a ``FutureWarning``;
the columns carry the new names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import Check, Each, StrOptions, check_window, validate_params
from .corpus import Corpus
from .counts import unique_rows
from .errors import ParameterError
from .frequency import BOOLEAN, CORPUS_OR_SHARDS, LAYER, STOPWORDS, min_count_at_least
from .index import IndexView
from .keyness import factorize_terms, term_array
from .patterns import MATCH_MODES, check_patterns, find
from .shards import is_sharded

__all__ = [
    "collocates",
    "collocations",
    "trigram_collocations",
    "MEASURES",
    "BIGRAM_MEASURES",
    "TRIGRAM_MEASURES",
]

#: The measures of :func:`collocates`.
MEASURES = ("pmi", "mi3", "t_score", "z_score", "ll", "log_dice")
#: The measures of :func:`collocations` and :func:`trigram_collocations`.
BIGRAM_MEASURES = ("pmi", "ll", "chi2", "t_score", "dice")
TRIGRAM_MEASURES = ("pmi", "ll", "chi2", "t_score")
#: Old measure names → the names of the glossary (accepted until toolkit 0.3).
RENAMED_MEASURES = {"mi": "pmi", "likelihood_ratio": "ll", "chi_sq": "chi2", "student_t": "t_score"}


#: A corpus in memory, or a sharded corpus (counted per shard, the counts summed).
SHARDED_OK = CORPUS_OR_SHARDS


def _window_ok(window: object) -> bool:
    if isinstance(window, tuple | list):
        return len(window) == 2
    return True


def _word_stream(view: IndexView) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lower-cased word ids in corpus order, the word offset of each document, and the map
    from a position in the view's token stream to the number of words before it."""
    idx = view.index
    stream = view.token_stream()
    w = idx.is_word[stream]
    words = np.asarray(idx.lower, dtype=np.int64)[stream[w]]
    before = np.zeros(len(stream) + 1, dtype=np.int64)
    np.cumsum(w, out=before[1:])
    tok_offsets = np.zeros(len(view.docs) + 1, dtype=np.int64)
    np.cumsum(view.doc_lengths, out=tok_offsets[1:])
    doc_word_offsets = before[tok_offsets]
    return words, doc_word_offsets, before, tok_offsets


def _g2(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / e), 0.0)


def _window_sides(window: object) -> tuple[int, int]:
    """``(left, right)`` of a collocates window, each checked as a context window."""
    if isinstance(window, tuple | list):
        if len(window) != 2:
            raise ParameterError(
                "window", window, f"window must be one number or (left, right), not {window!r}"
            )
        left = check_window(window[0], "window (left)")
        right = check_window(window[1], "window (right)")
    else:
        left = right = check_window(window)
    if left + right == 0:
        raise ParameterError(
            "window", window, f"window must give at least one word of context, not {window!r}"
        )
    return left, right


def _cooccurrences(
    words: np.ndarray,
    ws: np.ndarray,
    we: np.ndarray,
    d0: np.ndarray,
    d1: np.ndarray,
    left: int,
    right: int,
    n_terms: int,
    method: str | None = None,
) -> np.ndarray:
    """How often each term occurs in the windows of the hits (a word in two windows counts
    twice): the hit ``i`` covers the words ``[max(ws - left, d0), ws)`` and
    ``[we, min(we + right, d1))``.

    Few hits (hits × span up to the corpus size) are counted position by position; many,
    by how many windows cover each word of the corpus (a difference array), in time and
    memory that do not grow with the window.
    """
    if method is None:
        method = "positions" if len(ws) * (left + right) <= len(words) else "coverage"
    if method == "positions":
        parts = []
        for j in range(1, left + 1):
            p = ws - j
            parts.append(words[p[p >= d0]])
        for j in range(right):
            p = we + j
            parts.append(words[p[p < d1]])
        flat = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        return np.bincount(flat, minlength=n_terms)
    n = len(words)
    opens = np.concatenate([np.maximum(ws - left, d0), we])
    closes = np.concatenate([ws, np.minimum(we + right, d1)])
    diff = np.bincount(opens, minlength=n + 1) - np.bincount(closes, minlength=n + 1)
    cover = np.cumsum(diff[:n])
    observed = np.zeros(n_terms, dtype=np.int64)
    step = 1 << 22
    for a in range(0, n, step):
        c = cover[a : a + step]
        used = c > 0
        observed += np.rint(
            np.bincount(words[a : a + step][used], weights=c[used], minlength=n_terms)
        ).astype(np.int64)
    return observed


@fill_doc
@validate_params(
    {
        "corpus": SHARDED_OK,
        "window": [Check(_window_ok, "one number or a pair (left, right)")],
        "min_count": min_count_at_least(1),
        "measures": [Each(StrOptions(MEASURES, deprecated={"mi": "pmi"}))],
        "sort_by": [StrOptions((*MEASURES, "observed", "term_count"), deprecated={"mi": "pmi"})],
        "stopwords": STOPWORDS,
        "match": [StrOptions(MATCH_MODES)],
        "case_sensitive": BOOLEAN,
        "layer": LAYER,
    }
)
def collocates(
    corpus: Corpus,
    pattern: str | Sequence[str],
    window: int | tuple[int, int] = (5, 5),
    min_count: int = 3,
    measures: Sequence[str] = MEASURES,
    sort_by: str = "log_dice",
    stopwords: Iterable[str] | None = None,
    match: str = "glob",
    case_sensitive: bool = False,
    layer: str = "word",
) -> pd.DataFrame:
    """Collocates of a node word or phrase (AntConc's Collocates, LancsBox's GraphColl).

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        A :class:`~toolkit.ShardedCorpus` (or a selection of one) is counted shard by
        shard: windows never cross documents, so co-occurrences, node hits, collocate
        frequencies and word totals are summed and the measures computed once on the sums.
    pattern : str or list of str
        {params.pattern}
        The node.
    window : int or (int, int)
        {params.window}
        Counted in word tokens; one number is the same on both sides, ``(left, right)``
        two sides, together at least 1.  Counting takes time and memory proportional to
        the corpus or to hits × window, whichever is smaller.
    min_count : int
        {params.min_count}
        Collocates co-occurring at least this often; at least 1.
    measures : str or list of str
        Any of ``"pmi"``, ``"mi3"``, ``"t_score"``, ``"z_score"``, ``"ll"``,
        ``"log_dice"`` (``"mi"``, the old name of ``"pmi"``, is deprecated).
    sort_by : str
        The column to sort by (descending): one of ``measures``, ``"observed"`` or
        ``"term_count"``.
    stopwords : iterable of str, optional
        {params.stopwords}
    match : {"glob", "regex", "fixed", "cqp"}
        {params.match}
    case_sensitive : bool
        {params.case_sensitive}
        It applies to the node; collocates are always counted in lower case.
    layer : str
        {params.layer}
        The node is matched against the layer; collocates are counted as words.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``observed``, ``expected``, ``term_count`` and the measures; ``attrs``
        holds ``node_count``, ``corpus_words`` and ``span``.

    Raises
    ------
    LimitError
        A side of ``window`` above the option ``max_window``; raised before any work.
        Raise the limit with ``tk.set_options(max_window=...)``.
    ParameterError
        Before any work: a negative or fractional window side, a window of no words, a
        window that is not one number or two; unknown ``measures`` or ``sort_by``
        (``sort_by`` must be one of ``measures``); unknown ``match``; an argument of the
        wrong type.
    PatternError
        A blank pattern, an invalid regular expression, or a pattern whose matching took
        longer than the option ``pattern_timeout`` (default 5 s).

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["nuclear weapons and nuclear weapons"]}))
    >>> tk.collocates(c, "nuclear", window=(0, 1), min_count=1)[["term", "observed"]].values
    array([['weapons', 2]], dtype=object)
    >>> tk.collocates(c, "nuclear", window=(5, 10**8))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toolkit.errors.LimitError: window (right)=100000000 is wider than the largest context \
window, 1,000 tokens (limit: the option 'max_window'; see tk.set_options)
    """
    left, right = _window_sides(window)
    measures = list(dict.fromkeys(measures))  # a list of known names (checked above)
    if sort_by not in measures and sort_by not in ("observed", "term_count"):
        raise ParameterError("sort_by", sort_by, valid=[*measures, "observed", "term_count"])
    check_patterns(pattern, match, case_sensitive)
    if is_sharded(corpus):
        parts = corpus.map(
            _collocates_part, pattern, left, right, match, case_sensitive, layer, desc="collocates"
        )
        n_words = sum(int(part[4]) for part in parts)
        f_node = sum(int(part[3]) for part in parts)
        terms, (observed, term_count) = _sum_by_term(
            [(part[0], [part[1], part[2]]) for part in parts], 2
        )
    else:
        terms, observed, term_count, f_node, n_words = _collocates_counts(
            corpus, pattern, left, right, match, case_sensitive, layer
        )
    return _collocates_table(
        terms,
        observed,
        term_count,
        f_node,
        n_words,
        pattern,
        left + right,
        min_count,
        measures,
        sort_by,
        stopwords,
    )


def _collocates_counts(
    corpus: Corpus,
    pattern: str | Sequence[str],
    left: int,
    right: int,
    match: str,
    case_sensitive: bool,
    layer: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """The summable counts of :func:`collocates` on one index: the terms (lower-cased
    types), the co-occurrences and corpus frequency of each, the node's hits and the
    number of word tokens."""
    view = corpus.index()
    idx = view.index
    words, doc_word_offsets, before, tok_offsets = _word_stream(view)
    starts, ends, _ = find(view, pattern, match=match, case_sensitive=case_sensitive, layer=layer)
    doc_local = view.local[idx.doc_of(starts)]
    local_start = starts - idx.doc_offsets[view.docs[doc_local]] + tok_offsets[doc_local]
    local_end = ends - starts + local_start
    ws, we = before[local_start], before[local_end]  # word span of each hit
    d0, d1 = doc_word_offsets[doc_local], doc_word_offsets[doc_local + 1]
    n_terms = len(idx.lower_vocab)
    observed = _cooccurrences(words, ws, we, d0, d1, left, right, n_terms)
    term_count = np.bincount(words, minlength=n_terms)
    return idx.lower_vocab, observed, term_count, len(starts), len(words)


def _collocates_part(
    shard: Corpus,
    pattern: str | Sequence[str],
    left: int,
    right: int,
    match: str,
    case_sensitive: bool,
    layer: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Task: the counts of :func:`_collocates_counts` on one shard, for the terms the
    shard's words use (windows never cross documents, so every count sums over shards)."""
    terms, observed, term_count, f_node, n_words = _collocates_counts(
        shard, pattern, left, right, match, case_sensitive, layer
    )
    used = np.flatnonzero(term_count)
    return (
        term_array(np.asarray(terms, dtype=object)[used]),
        observed[used].astype(np.int64),
        term_count[used].astype(np.int64),
        f_node,
        n_words,
    )


def _sum_by_term(
    parts: list[tuple[np.ndarray, list[np.ndarray]]], n_columns: int
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Counts of terms from many shards added up by term: one factorisation of all the
    parts' terms and one ``bincount`` per count column (int64, exact)."""
    if not parts:
        return np.zeros(0, dtype=object), [np.zeros(0, dtype=np.int64)] * n_columns
    codes, uniques = factorize_terms([t for t, _ in parts])
    sums = []
    for j in range(n_columns):
        values = np.concatenate([np.asarray(c[j], dtype=np.int64) for _, c in parts])
        total = np.bincount(codes, weights=values, minlength=len(uniques))
        sums.append(np.rint(total).astype(np.int64))  # exact below 2**53
    return np.asarray(uniques, dtype=object), sums


def _collocates_table(
    terms: np.ndarray,
    observed: np.ndarray,
    term_count: np.ndarray,
    f_node: int,
    n_words: int,
    pattern: str | Sequence[str],
    span: int,
    min_count: int,
    measures: list[str],
    sort_by: str,
    stopwords: Iterable[str] | None,
) -> pd.DataFrame:
    """The collocates table from the counts (on one index or summed over shards)."""
    keep = np.flatnonzero(observed >= max(min_count, 1))
    o = observed[keep].astype(float)
    f = term_count[keep].astype(float)
    e = f_node * f * span / max(n_words, 1)
    out = pd.DataFrame(
        {
            "term": np.asarray(terms, dtype=object)[keep].astype(str),
            "observed": observed[keep].astype(np.int64),
            "expected": e,
            "term_count": term_count[keep].astype(np.int64),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        if "pmi" in measures:
            out["pmi"] = np.log2(o / e)
        if "mi3" in measures:
            out["mi3"] = np.log2(o**3 / e)
        if "t_score" in measures:
            out["t_score"] = (o - e) / np.sqrt(o)
        if "z_score" in measures:
            out["z_score"] = (o - e) / np.sqrt(e)
        if "ll" in measures:
            r1, c1, n = f_node * span, f, float(n_words)
            o12, o21 = r1 - o, c1 - o
            o22 = n - r1 - c1 + o
            e11, e12 = r1 * c1 / n, r1 * (n - c1) / n
            e21, e22 = (n - r1) * c1 / n, (n - r1) * (n - c1) / n
            g2 = 2 * (_g2(o, e11) + _g2(o12, e12) + _g2(o21, e21) + _g2(o22, e22))
            out["ll"] = np.where(o >= e, 1.0, -1.0) * np.maximum(g2, 0)
        if "log_dice" in measures:
            out["log_dice"] = 14 + np.log2(2 * o / (f_node + f))
    if stopwords:
        out = out[~out["term"].isin({w.lower() for w in stopwords})]
    out = out.sort_values([sort_by, "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update({"node": pattern, "node_count": f_node, "corpus_words": n_words, "span": span})
    return out


def _runs(view: IndexView) -> tuple[np.ndarray, np.ndarray]:
    """Lower-cased word ids and a run number per word: runs break at punctuation and at
    document boundaries, so that no sequence spans them."""
    idx = view.index
    stream = view.token_stream()
    w = idx.is_word[stream]
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    # a new run starts after every non-word token and at every document start
    breaks = np.concatenate(([True], (~w[:-1]) | (rows[1:] != rows[:-1])))
    run = np.cumsum(breaks)
    return np.asarray(idx.lower, dtype=np.int64)[stream[w]], run[w]


_OLD_BIGRAM = {k: v for k, v in RENAMED_MEASURES.items() if k != "mi"}


@fill_doc
@validate_params(
    {
        "corpus": SHARDED_OK,
        "min_count": min_count_at_least(1),
        "stopwords": STOPWORDS,
        "sort_by": [StrOptions(BIGRAM_MEASURES, deprecated=_OLD_BIGRAM)],
    }
)
def collocations(
    corpus: Corpus,
    min_count: int = 5,
    stopwords: Iterable[str] | None = None,
    sort_by: str = "ll",
) -> pd.DataFrame:
    """Discover two-word collocations in a whole corpus (NLTK's ``BigramCollocationFinder``).

    Adjacent word pairs are counted when no punctuation or document boundary lies between
    them.  For quanteda's λ and z, and longer sequences, see
    :func:`toolkit.multiword_expressions`.  Measures, as NLTK's ``BigramAssocMeasures``
    define them on the counts ``n_ii`` (pair), ``n_ix`` (first word), ``n_xi`` (second
    word), ``n_xx`` (all word tokens):
    ``pmi = log2(n_ii n_xx / (n_ix n_xi))``; ``ll`` (G² over the 2×2 table, Dunning 1993;
    NLTK's ``likelihood_ratio``); ``chi2`` (Pearson, no correction; NLTK's ``chi_sq``);
    ``t_score = (n_ii − n_ix n_xi / n_xx) / √n_ii`` (NLTK's ``student_t``);
    ``dice = 2 n_ii / (n_ix + n_xi)``.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        A :class:`~toolkit.ShardedCorpus` is counted shard by shard (pairs never cross
        documents): pair and word counts and word totals are summed over the shards, then
        ``min_count`` and the measures are applied to the sums.
    min_count : int
        {params.min_count}
        Pairs seen at least this often (NLTK's ``apply_freq_filter``).
    stopwords : iterable of str, optional
        {params.stopwords}
        A pair with a stopword in it is left out.
    sort_by : {"ll", "pmi", "chi2", "t_score", "dice"}
        The measure to sort by (descending).  The old names ``"likelihood_ratio"``,
        ``"chi_sq"`` and ``"student_t"`` are deprecated.

    Returns
    -------
    pandas.DataFrame
        ``collocation`` ("w1 w2"), ``w1``, ``w2``, ``count``, ``w1_count``, ``w2_count``,
        and the measures ``pmi``, ``ll``, ``chi2``, ``t_score``, ``dice``.

    Raises
    ------
    ParameterError
        An unknown ``sort_by`` or an argument of the wrong type, before any counting.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Security Council. The security council"]}))
    >>> tk.collocations(c, min_count=2)["collocation"].tolist()
    ['security council']
    """
    if is_sharded(corpus):
        parts = corpus.map(_bigram_part, desc="collocations")
        terms, word_fd, n_xx, ((keys, counts),) = _combine_parts(parts, (2,))
    else:
        terms, word_fd, n_xx, ((keys, counts),) = _sequence_counts(corpus.index(), (2,))
    return _bigram_table(terms, word_fd, n_xx, keys, counts, min_count, stopwords, sort_by)


def _sequence_counts(
    view: IndexView, sizes: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, int, list[tuple[np.ndarray, np.ndarray]]]:
    """The counts the collocation measures are computed from, on one index: the terms
    (lower-cased types), the frequency of each as a word, the number of word tokens, and
    for each of ``sizes`` (2: adjacent pairs, 3: triples, -2: pairs with one word between)
    the distinct sequences not broken by punctuation or a document boundary (rows of term
    ids, sorted) and their counts.  All of them sum over shards."""
    idx = view.index
    n_terms = len(idx.lower_vocab)
    words, run = _runs(view)
    word_fd = np.bincount(words, minlength=n_terms).astype(np.int64)
    seqs = []
    for size in sizes:
        gap = 2 if size == -2 else size - 1
        same = run[:-gap] == run[gap:] if len(words) > gap else np.zeros(0, dtype=bool)
        if size == -2:
            cols = [words[:-2][same], words[2:][same]]
        elif size == 2:
            cols = [words[:-1][same], words[1:][same]]
        else:
            cols = [words[:-2][same], words[1:-1][same], words[2:][same]]
        seqs.append(unique_rows(np.stack(cols, axis=1).astype(np.int64)))
    return idx.lower_vocab, word_fd, len(words), seqs


def _bigram_part(shard: Corpus) -> tuple[Any, np.ndarray, int, list[Any]]:
    """Task: :func:`_sequence_counts` of adjacent pairs on one shard."""
    terms, fd, n, seqs = _sequence_counts(shard.index(), (2,))
    return term_array(terms), fd, n, seqs


def _trigram_part(shard: Corpus) -> tuple[np.ndarray, np.ndarray, int, list[Any]]:
    """Task: :func:`_sequence_counts` of pairs, pairs around a word and triples on one
    shard."""
    terms, fd, n, seqs = _sequence_counts(shard.index(), (2, -2, 3))
    return term_array(terms), fd, n, seqs


def _combine_parts(
    parts: list[tuple[np.ndarray, np.ndarray, int, list[tuple[np.ndarray, np.ndarray]]]],
    sizes: tuple[int, ...],
) -> tuple[np.ndarray, np.ndarray, int, list[tuple[np.ndarray, np.ndarray]]]:
    """The shards' :func:`_sequence_counts` added up: terms matched by their string (one
    factorisation), each shard's term ids mapped to the combined ones, then the sequences
    and their counts summed (rows sorted, as on one index)."""
    widths = [2 if size in (2, -2) else 3 for size in sizes]
    n_xx = sum(int(part[2]) for part in parts)
    if not parts:
        empty = [(np.zeros((0, w), dtype=np.int64), np.zeros(0, dtype=np.int64)) for w in widths]
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64), 0, empty
    codes, uniques = factorize_terms([p[0] for p in parts])
    bounds = np.cumsum([0, *(len(p[0]) for p in parts)])
    maps = [codes[bounds[k] : bounds[k + 1]] for k in range(len(parts))]
    fd = np.concatenate([np.asarray(p[1], dtype=np.int64) for p in parts])
    word_fd = np.rint(np.bincount(codes, weights=fd, minlength=len(uniques))).astype(np.int64)
    seqs = []
    for j, width in enumerate(widths):
        rows = [maps[k][np.asarray(p[3][j][0], dtype=np.int64)] for k, p in enumerate(parts)]
        counts = [np.asarray(p[3][j][1], dtype=np.int64) for p in parts]
        seqs.append(_sum_rows(np.concatenate(rows).reshape(-1, width), np.concatenate(counts)))
    return np.asarray(uniques, dtype=object), word_fd, n_xx, seqs


def _sum_rows(rows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``rows`` (sorted, as :func:`~toolkit.counts.unique_rows`) and
    the sum of ``counts`` over each."""
    if len(rows) == 0:
        return rows.astype(np.int64), np.zeros(0, dtype=np.int64)
    radix = rows.max(axis=0).astype(np.int64) + 1
    if float(np.prod(radix.astype(float))) >= 2.0**62:  # pragma: no cover - huge vocabularies
        uniq, inverse = np.unique(rows, axis=0, return_inverse=True)
    else:  # one int64 key per row, first column most significant: the same order
        key = np.zeros(len(rows), dtype=np.int64)
        for j in range(rows.shape[1]):
            key = key * radix[j] + rows[:, j]
        keys, inverse = np.unique(key, return_inverse=True)
        uniq = np.empty((len(keys), rows.shape[1]), dtype=np.int64)
        for j in range(rows.shape[1] - 1, -1, -1):
            uniq[:, j] = keys % radix[j]
            keys = keys // radix[j]
    total = np.bincount(inverse.reshape(-1), weights=counts, minlength=len(uniq))
    return uniq.astype(np.int64), np.rint(total).astype(np.int64)


def _bigram_table(
    terms: np.ndarray,
    word_fd: np.ndarray,
    n_words: int,
    pairs: np.ndarray,
    counts: np.ndarray,
    min_count: int,
    stopwords: Iterable[str] | None,
    sort_by: str,
) -> pd.DataFrame:
    """The table of :func:`collocations` from its counts (one index, or summed)."""
    vocab = np.asarray(terms, dtype=object)
    n_xx = float(n_words)
    keys, counts = pairs[counts >= min_count], counts[counts >= min_count]
    w1, w2 = keys[:, 0], keys[:, 1]
    n_ii = counts.astype(float)
    n_ix = word_fd[w1].astype(float)
    n_xi = word_fd[w2].astype(float)
    n_oi = n_xi - n_ii
    n_io = n_ix - n_ii
    n_oo = n_xx - n_ii - n_oi - n_io
    cells = [n_ii, n_oi, n_io, n_oo]
    e = [
        n_ix * n_xi / n_xx,
        (n_xx - n_ix) * n_xi / n_xx,
        n_ix * (n_xx - n_xi) / n_xx,
        (n_xx - n_ix) * (n_xx - n_xi) / n_xx,
    ]
    g2 = 2 * sum(_g2(o, ex) for o, ex in zip(cells, e, strict=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = (
            n_xx
            * (n_ii * n_oo - n_io * n_oi) ** 2
            / ((n_ii + n_io) * (n_ii + n_oi) * (n_io + n_oo) * (n_oi + n_oo))
        )
    out = pd.DataFrame(
        {
            "collocation": vocab[w1].astype(str) + " " + vocab[w2].astype(str),
            "w1": vocab[w1].astype(str),
            "w2": vocab[w2].astype(str),
            "count": counts,
            "w1_count": word_fd[w1],
            "w2_count": word_fd[w2],
            "pmi": np.log2(n_ii * n_xx / (n_ix * n_xi)),
            "ll": g2,
            "chi2": chi,
            "t_score": (n_ii - n_ix * n_xi / n_xx) / np.sqrt(n_ii),
            "dice": 2 * n_ii / (n_ix + n_xi),
        }
    )
    if stopwords:
        stop = {s.lower() for s in stopwords}
        out = out[~(out["w1"].isin(stop) | out["w2"].isin(stop))]
    out = out.sort_values([sort_by, "collocation"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


@fill_doc
@validate_params(
    {
        "corpus": SHARDED_OK,
        "min_count": min_count_at_least(1),
        "stopwords": STOPWORDS,
        "sort_by": [StrOptions(TRIGRAM_MEASURES, deprecated=_OLD_BIGRAM)],
    }
)
def trigram_collocations(
    corpus: Corpus,
    min_count: int = 5,
    stopwords: Iterable[str] | None = None,
    sort_by: str = "ll",
) -> pd.DataFrame:
    """Discover three-word collocations (NLTK's ``TrigramCollocationFinder``).

    Sequences of three words are counted when no punctuation or document boundary lies
    inside them.  With NLTK's counts — ``n_iii`` (the trigram), ``n_iix``/``n_xii`` (its
    first and last pair as bigrams), ``n_ixi`` (first and third word with any word between),
    ``n_ixx``/``n_xix``/``n_xxi`` (word frequencies) and ``n_xxx`` (word tokens) — the
    2×2×2 contingency table and its expected values under independence are those of
    NLTK's ``NgramAssocMeasures``, and: ``pmi = log2(n_iii n_xxx² / (n_ixx n_xix n_xxi))``;
    ``ll = 2 Σ O ln(O / E)`` over the eight cells (NLTK's ``likelihood_ratio``);
    ``chi2 = Σ (O − E)² / E`` (NLTK's ``chi_sq``); ``t_score = (n_iii − n_ixx n_xix n_xxi /
    n_xxx²) / √n_iii`` (NLTK's ``student_t``).

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        A :class:`~toolkit.ShardedCorpus` is counted shard by shard: trigram, pair and word
        counts and word totals are summed, then ``min_count`` and the measures are applied.
    min_count : int
        {params.min_count}
        Trigrams seen at least this often.
    stopwords : iterable of str, optional
        {params.stopwords}
        Trigrams that begin or end with a stopword are left out (a stopword inside, as
        in *weapons of mass*, is kept; ``tk.ngrams(stopword_filter="edge")``).
    sort_by : {"ll", "pmi", "chi2", "t_score"}
        The measure to sort by (descending).  The old names ``"likelihood_ratio"``,
        ``"chi_sq"`` and ``"student_t"`` are deprecated.

    Returns
    -------
    pandas.DataFrame
        ``collocation`` ("w1 w2 w3"), ``count`` and the measures ``pmi``, ``ll``,
        ``chi2``, ``t_score``.

    Raises
    ------
    ParameterError
        An unknown ``sort_by`` or an argument of the wrong type, before any counting.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["weapons of mass destruction. "
    ...                                              "Weapons of mass destruction!"]}))
    >>> tk.trigram_collocations(c, min_count=2)[["collocation", "count"]].values.tolist()
    [['of mass destruction', 2], ['weapons of mass', 2]]
    """
    if is_sharded(corpus):
        parts = corpus.map(_trigram_part, desc="collocations")
        vocab, fd, n_words, seqs = _combine_parts(parts, (2, -2, 3))
    else:
        vocab, fd, n_words, seqs = _sequence_counts(corpus.index(), (2, -2, 3))
    return _trigram_table(vocab, fd, n_words, seqs, min_count, stopwords, sort_by)


def _trigram_table(
    vocab: np.ndarray,
    fd: np.ndarray,
    n_words: int,
    seqs: list[tuple[np.ndarray, np.ndarray]],
    min_count: int,
    stopwords: Iterable[str] | None,
    sort_by: str,
) -> pd.DataFrame:
    """The table of :func:`trigram_collocations` from its counts (one index, or summed)."""
    n_terms = max(len(vocab), 1)
    word_fd = np.asarray(fd).astype(float)
    n_xxx = float(n_words)
    (pairs, bi_counts), (wild, wild_counts), (uniq, counts) = seqs
    bi_keys = pairs[:, 0] * n_terms + pairs[:, 1]  # sorted: the rows are
    wild_keys = wild[:, 0] * n_terms + wild[:, 1]
    sel = counts >= min_count
    uniq, counts = uniq[sel], counts[sel]
    a, b, c = uniq[:, 0], uniq[:, 1], uniq[:, 2]

    def lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(keys, query)
        return values[pos].astype(float)

    n_iii = counts.astype(float)
    n_iix = lookup(bi_keys, bi_counts, a * n_terms + b)
    n_xii = lookup(bi_keys, bi_counts, b * n_terms + c)
    n_ixi = lookup(wild_keys, wild_counts, a * n_terms + c)
    n_ixx, n_xix, n_xxi = word_fd[a], word_fd[b], word_fd[c]
    # NLTK's cell order: bit 0 = first word present?, bit 1 = second, bit 2 = third
    n_oii = n_xii - n_iii
    n_ioi = n_ixi - n_iii
    n_iio = n_iix - n_iii
    n_ooi = n_xxi - n_iii - n_oii - n_ioi
    n_oio = n_xix - n_iii - n_oii - n_iio
    n_ioo = n_ixx - n_iii - n_ioi - n_iio
    n_ooo = n_xxx - n_iii - n_oii - n_ioi - n_iio - n_ooi - n_oio - n_ioo
    cont = [n_iii, n_oii, n_ioi, n_ooi, n_iio, n_oio, n_ioo, n_ooo]
    bits = (1, 2, 4)
    expected = []
    for i in range(8):
        prod = np.ones_like(n_iii)
        for j in bits:
            prod = prod * sum(cont[x] for x in range(8) if (x & j) == (i & j))
        expected.append(prod / n_xxx**2)
    g2 = 2 * sum(_g2(o, e) for o, e in zip(cont, expected, strict=True))
    chi = sum((o - e) ** 2 / e for o, e in zip(cont, expected, strict=True))
    terms = np.asarray(vocab, dtype=object).astype(str)
    out = pd.DataFrame(
        {
            "collocation": pd.Series(terms[a], dtype=object) + " " + terms[b] + " " + terms[c],
            "count": counts,
            "pmi": np.log2(n_iii * n_xxx**2 / (n_ixx * n_xix * n_xxi)),
            "ll": g2,
            "chi2": chi,
            "t_score": (n_iii - n_ixx * n_xix * n_xxi / n_xxx**2) / np.sqrt(n_iii),
        }
    )
    if stopwords:
        stop = {s.lower() for s in stopwords}
        out = out[
            ~(pd.Series(terms[a]).isin(stop).to_numpy() | pd.Series(terms[c]).isin(stop).to_numpy())
        ]
    out = out.sort_values([sort_by, "collocation"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)
