"""Frequency lists, n-grams (AntConc's Clusters and N-Grams) and dispersion, from the index.

Counting conventions, used throughout the toolkit:

* **word tokens** are tokens with at least one letter or digit; punctuation and symbols are
  tokens in the index (and in concordance contexts) but are left out of frequency lists
  and of every *per million* denominator, as in AntConc's word counts;
* ``lowercase=True`` (default) folds case before counting (``Peace`` and ``peace`` are
  one term);
* n-grams never cross a document boundary and, by default, never span punctuation
  (``"security , peace"`` is not a bigram), as in AntConc's clusters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .corpus import Corpus, metadata_columns
from .errors import ParameterError
from .index import IndexView

__all__ = [
    "frequencies",
    "ngrams",
    "dispersion",
    "doc_word_counts",
    "document_stats",
    "stream_terms",
    "view_positions",
]


def doc_word_counts(view: IndexView) -> np.ndarray:
    """Number of word tokens (punctuation excluded) in each document of a view."""
    idx = view.index
    if idx._doc_words is None:  # computed once per index, kept with it
        is_word = idx.is_word[idx.tokens]
        cum = np.zeros(len(is_word) + 1, dtype=np.int64)
        np.cumsum(is_word, out=cum[1:])
        idx._doc_words = cum[idx.doc_offsets[1:]] - cum[idx.doc_offsets[:-1]]
    return idx._doc_words[view.docs]


def _group_docs(corpus: Corpus, by: str | Sequence[str] | None) -> tuple[list[str], pd.DataFrame]:
    if by is None:
        return [], pd.DataFrame(index=corpus.meta.index)
    cols = metadata_columns(corpus.meta, by)
    return cols, corpus.meta[cols]


def _group_codes(groups: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of each document, and the group values (one row per group, sorted)."""
    g = groups.groupby(cols, sort=True, dropna=False, observed=True)
    return g.ngroup().to_numpy(), g.size().reset_index()[cols]


def _term_ids(view: IndexView, lowercase: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per surface type: the id of the term it counts as, and the term strings."""
    idx = view.index
    if lowercase:
        return np.asarray(idx.lower, dtype=np.int64), idx.lower_vocab
    return np.arange(len(idx.vocab), dtype=np.int64), idx.vocab


def view_positions(view: IndexView) -> np.ndarray:
    """Corpus positions of the view's tokens, in the order of ``view.token_stream()``."""
    if view.full:
        return np.arange(view.index.n_tokens, dtype=np.int64)
    lengths = view.doc_lengths
    out = np.ones(int(lengths.sum()), dtype=np.int64)
    if len(out):
        firsts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=firsts[1:])
        nz = lengths > 0
        # each document restarts at its own start: a cumulative sum of jumps
        out[firsts[nz]] = view.starts[nz] - np.concatenate(([0], view.ends[nz][:-1] - 1))
        out[0] = view.starts[nz][0] if nz.any() else 0
        np.cumsum(out, out=out)
    return out


def stream_terms(
    view: IndexView, lowercase: bool = True, layer: str = "word"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Term id of every token of a view (in ``token_stream`` order), the terms, and whether
    each token is a word (not punctuation).

    With ``layer="word"`` the terms are the surface types (lower-cased with
    :func:`~toolkit.tokenize.search_form` if ``lowercase``); with an annotation layer they
    are its values (lower-cased too for ``lemma`` and ``stem``, never for tags such as
    ``pos``).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War, war."]}))
    >>> t, terms, word = stream_terms(c.index())
    >>> terms[t].tolist(), word.tolist()
    (['war', ',', 'war', '.'], [True, False, True, False])
    """
    idx = view.index
    stream = view.token_stream()
    word = np.asarray(idx.is_word)[stream]
    if layer == "word":
        type_term, terms = _term_ids(view, lowercase)
        return type_term[stream], terms, word
    from .token_streams import folds_case, layer_values
    from .tokenize import search_form

    ids, vocab = layer_values(view, layer)
    t = np.asarray(ids)[view_positions(view)].astype(np.int64)
    if lowercase and folds_case(layer):
        lookup: dict[str, int] = {}
        fold = np.fromiter(
            (lookup.setdefault(search_form(v), len(lookup)) for v in vocab.tolist()),
            dtype=np.int64,
            count=len(vocab),
        )
        return fold[t], np.array(list(lookup), dtype=object), word
    return t, np.asarray(vocab, dtype=object), word


def _excluded_terms(
    terms: np.ndarray, stopwords: Iterable[str] | None, lowercase: bool
) -> np.ndarray:
    mask = np.zeros(len(terms), dtype=bool)
    if stopwords:
        stop = {w.lower() for w in stopwords} if lowercase else set(stopwords)
        mask[[i for i, t in enumerate(terms.tolist()) if t in stop]] = True
    return mask


def frequencies(
    corpus: Corpus,
    by: str | Sequence[str] | None = None,
    lowercase: bool = True,
    stopwords: Iterable[str] | None = None,
    min_count: int = 1,
    punct: bool = False,
    layer: str = "word",
) -> pd.DataFrame:
    """Word frequency list, overall or per metadata group (long format).

    Parameters
    ----------
    corpus : Corpus
    by : str or list of str, optional
        Metadata column(s); the result then has one row per group and term.
    lowercase : bool
        Fold case before counting.
    stopwords : iterable of str, optional
        Terms to leave out, e.g. ``tk.stopwords("english")``.  They still count in the
        ``per_million`` denominator (the group's word tokens).
    min_count : int
        Keep terms with at least this many occurrences (per group when ``by`` is given).
    punct : bool
        Also list punctuation tokens.
    layer : str
        Count the values of this annotation layer (``"lemma"``, ``"stem"``, ``"pos"``;
        see ``Corpus.annotate``) instead of the words.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``count``, ``rank``, ``per_million`` (per million word tokens of the
        corpus or group) and ``docs`` (documents containing the term: quanteda's
        ``docfreq``), sorted by count (then term); with ``by``, the group columns come
        first.  ``rank`` is the term's rank by count within its group, ties sharing the
        lowest rank (1, 1, 3, …), as quanteda's ``textstat_frequency`` (R's
        ``rank(ties.method = "min")``); it does not change with ``min_count``.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace, peace and war.", "War."]}))
    >>> tk.frequencies(c)[["term", "count", "rank", "docs"]].values.tolist()
    [['peace', 2, 1, 1], ['war', 2, 1, 2], ['and', 1, 3, 1]]
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, not {min_count}")
    view = corpus.index()
    t_all, terms, is_word_tok = stream_terms(view, lowercase, layer)
    drop = _excluded_terms(terms, stopwords, lowercase)
    by_cols, groups = _group_docs(corpus, by)
    if by_cols:
        codes, uniques = _group_codes(groups, by_cols)
    else:
        codes, uniques = np.zeros(len(corpus), dtype=np.int64), None
    n_groups = int(codes.max()) + 1 if len(codes) else 0
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
    out = out[out["count"] >= min_count]
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


def ngrams(
    corpus: Corpus,
    n: int = 2,
    by: str | Sequence[str] | None = None,
    pattern: str | Sequence[str] | None = None,
    position: str = "any",
    min_count: int = 2,
    lowercase: bool = True,
    skip_punct: bool = True,
    match: str = "glob",
    layer: str = "word",
) -> pd.DataFrame:
    """N-gram frequencies, or clusters around a search term (AntConc's Clusters tool).

    Parameters
    ----------
    corpus : Corpus
    n : int
        Length of the sequences (2 or more).
    by : str or list of str, optional
        Count per metadata group (long format).
    pattern : str or list of str, optional
        Only n-grams with a word matching this token pattern (see :mod:`toolkit.patterns`)
        at ``position``: ``"left"`` (first word), ``"right"`` (last word) or ``"any"``.
    min_count : int
        Keep n-grams seen at least this often (per group).
    lowercase : bool
    skip_punct : bool
        Leave out n-grams that contain punctuation (default), as AntConc's clusters.
    match : {"glob", "regex", "fixed"}
        How ``pattern`` matches.
    layer : str
        Count sequences of this annotation layer's values (``"lemma"``, ``"stem"``,
        ``"pos"``; see ``Corpus.annotate``) instead of the words, as
        ``frequencies(layer=)``; ``pattern`` then matches the layer's values.  Punctuation
        is found from the words, so ``skip_punct`` works the same on every layer.

    Returns
    -------
    pandas.DataFrame
        ``ngram`` (words joined by one space), ``count``, ``per_million`` (per million word
        tokens), sorted by count; with ``by`` the group columns first.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["the United Nations. The United Nations"]}))
    >>> tk.ngrams(c, n=2)[["ngram", "count"]].values.tolist()
    [['the united', 2], ['united nations', 2]]
    >>> p = tk.from_tokens([["Threats", "grew", ".", "a", "threat", "grows"]],
    ...                    layers={"lemma": [["threat", "grow", ".", "a", "threat", "grow"]]})
    >>> tk.ngrams(p, n=2, layer="lemma")[["ngram", "count"]].values.tolist()
    [['threat grow', 2]]
    """
    from .patterns import match_layer_values, match_types

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise ParameterError(
            "n",
            n,
            f"n must be a whole number, 2 or more, not {n!r}; use frequencies() for single words",
        )
    if position not in ("any", "left", "right"):
        raise ParameterError("position", position, valid=("any", "left", "right"))
    view = corpus.index()
    idx = view.index
    t_all, terms, is_word = stream_terms(view, lowercase, layer)
    stream = view.token_stream()
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    m = len(stream) - n + 1
    if m <= 0:
        return pd.DataFrame(columns=["ngram", "count", "per_million"])
    ok = rows[:m] == rows[n - 1 :]
    if skip_punct:
        for j in range(n):
            ok &= is_word[j : j + m]
    if pattern is not None:
        pats = [pattern] if isinstance(pattern, str) else list(pattern)
        if layer == "word":
            hit = np.zeros(len(idx.vocab), dtype=bool)
            for p in pats:
                hit[match_types(idx, p, match=match)] = True
            h = hit[stream]
        else:
            values = np.asarray(terms, dtype=object)
            hit = np.zeros(len(values), dtype=bool)
            for p in pats:
                hit |= match_layer_values(values, p, match=match)
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
    cols = np.stack([t_all[starts + j] for j in range(n)], axis=1)
    by_cols, groups = _group_docs(corpus, by)
    if by_cols:
        codes, uniques = _group_codes(groups, by_cols)
        gcol = codes[rows[starts]]
        cols = np.column_stack([gcol, cols])
    uniq, counts = (
        np.unique(cols, axis=0, return_counts=True)
        if len(cols)
        else (np.zeros((0, cols.shape[1]), dtype=np.int64), np.zeros(0, dtype=np.int64))
    )
    keep = counts >= min_count
    uniq, counts = uniq[keep], counts[keep]
    off = 1 if by_cols else 0
    words = [terms[uniq[:, off + j]].astype(str) for j in range(n)]
    grams = words[0].astype(object)
    for wj in words[1:]:
        grams = grams + " " + wj
    doc_words = doc_word_counts(view)
    out = pd.DataFrame({"ngram": grams, "count": counts})
    if by_cols:
        group_words = np.bincount(codes, weights=doc_words)
        gw = group_words[uniq[:, 0]]
        out["per_million"] = out["count"] / np.maximum(gw, 1) * 1e6
        gframe = uniques.iloc[uniq[:, 0]].reset_index(drop=True)
        out = pd.concat([gframe, out], axis=1).sort_values(
            [*by_cols, "count", "ngram"], ascending=[True] * len(by_cols) + [False, True]
        )
    else:
        out["per_million"] = out["count"] / max(int(doc_words.sum()), 1) * 1e6
        out = out.sort_values(["count", "ngram"], ascending=[False, True])
    return out.reset_index(drop=True)


def dispersion(
    corpus: Corpus,
    pattern: str | Sequence[str],
    match: str = "glob",
    case_sensitive: bool = False,
    layer: str = "word",
) -> pd.DataFrame:
    """How evenly each pattern is spread over the documents of a corpus.

    The parts are the documents; a part's size is its number of word tokens.  For a
    pattern with ``f`` hits, ``v_i`` of them in part ``i`` of ``n`` parts, and ``s_i`` the
    part's share of all word tokens:

    * ``range``: number of parts with at least one hit;
    * ``dp``: Gries's *deviation of proportions* (Gries 2008, "Dispersions and adjusted
      frequencies in corpora", *IJCL* 13(4)): ``DP = ½ Σ |v_i / f − s_i|``; 0 is perfectly
      even, values near 1 concentrated;
    * ``dp_norm``: ``DP / (1 − min s_i)`` (Lijffijt & Gries 2012, *IJCL* 17(1)), in [0, 1];
    * ``juilland_d``: Juilland's *D* with parts of unequal size (Juilland & Chang-Rodríguez
      1964; as given in Gries 2008): ``D = 1 − (σ(p) / mean(p)) / √(n − 1)`` where
      ``p_i = v_i / size_i`` and σ is the population standard deviation; 1 is perfectly even.

    Parameters
    ----------
    corpus : Corpus
        Needs at least two documents.
    pattern : str or list of str
        One row per pattern (phrases allowed; see :mod:`toolkit.patterns`).
    match : {"glob", "regex", "fixed", "cqp"}
    case_sensitive : bool
    layer : str
        Match against this annotation layer (``"lemma"``, ``"stem"``, ``"pos"``) instead
        of the words.

    Returns
    -------
    pandas.DataFrame
        ``pattern``, ``hits``, ``range``, ``dp``, ``dp_norm``, ``juilland_d``.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["war peace", "war peace"]}))
    >>> tk.dispersion(c, "war")[["hits", "range", "dp", "juilland_d"]].values.tolist()
    [[2.0, 2.0, 0.0, 1.0]]
    """
    from .patterns import _as_list, find

    view = corpus.index()
    if len(view.docs) < 2:
        raise ValueError("dispersion needs a corpus of at least two documents")
    sizes = doc_word_counts(view).astype(float)
    if (sizes == 0).any():
        empty = [view.doc_ids[i] for i in np.flatnonzero(sizes == 0)[:5]]
        raise ValueError(f"documents without word tokens cannot be parts: {empty}")
    s = sizes / sizes.sum()
    rows = []
    for p in _as_list(pattern):
        starts, _, _ = find(view, p, match=match, case_sensitive=case_sensitive, layer=layer)
        v = np.bincount(view.local[view.index.doc_of(starts)], minlength=len(sizes)).astype(float)
        f = v.sum()
        if f == 0:
            rows.append(
                {
                    "pattern": p,
                    "hits": 0.0,
                    "range": 0.0,
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
                "hits": f,
                "range": float((v > 0).sum()),
                "dp": dp,
                "dp_norm": dp / (1 - s.min()),
                "juilland_d": d,
            }
        )
    return pd.DataFrame(rows)


def document_stats(corpus: Corpus, lowercase: bool = True, punct: bool = False) -> pd.DataFrame:
    """Size of each document, as quanteda's ``summary(corpus)``.

    Parameters
    ----------
    corpus : Corpus
    lowercase : bool
        Count ``War`` and ``war`` as one type (default), as :func:`frequencies` does.
    punct : bool
        Count punctuation types too.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``doc_id``: ``tokens`` (all tokens, punctuation included), ``words``
        (word tokens: tokens with a letter or digit), ``types`` (distinct word types,
        after case folding unless ``lowercase=False``; with ``punct=True`` distinct
        types of all tokens), then the metadata.

    Notes
    -----
    quanteda's ``summary(corpus)`` counts types case-sensitively and with punctuation:
    ``document_stats(corpus, lowercase=False, punct=True)``.  On Washington's inaugural
    address of 1793 (147 tokens) quanteda reports 96 types, as does that call; the
    default here, the distinct words of the text in lower case, is 90 — the size of the
    document's frequency list, and the types every per-word statistic of the toolkit
    counts.

    Raises
    ------
    ParameterError
        ``lowercase`` or ``punct`` not True or False.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War, war and peace."]}))
    >>> tk.document_stats(c)[["tokens", "words", "types"]].values.tolist()
    [[6, 4, 3]]
    >>> tk.document_stats(c, lowercase=False, punct=True)["types"].tolist()
    [6]
    """
    for name, value in (("lowercase", lowercase), ("punct", punct)):
        if not isinstance(value, bool):
            raise ParameterError(name, value, f"{name} must be True or False")
    view = corpus.index()
    idx = view.index
    type_term, _ = _term_ids(view, lowercase)
    stream = view.token_stream()
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    w = np.ones(len(stream), dtype=bool) if punct else idx.is_word[stream]
    n_terms = int(type_term.max()) + 1 if len(type_term) else 1
    distinct = np.unique(rows[w].astype(np.int64) * n_terms + type_term[stream[w]])
    types = np.bincount(distinct // n_terms, minlength=len(view.docs))
    out = pd.DataFrame(
        {"tokens": view.doc_lengths, "words": doc_word_counts(view), "types": types},
        index=corpus.meta.index,
    )
    return pd.concat([out, corpus.meta], axis=1)
