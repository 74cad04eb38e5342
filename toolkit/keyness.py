"""Keyness: which words a target corpus uses more (or less) than a reference corpus.

For a term with ``a`` occurrences in the target and ``b`` in the reference, and ``c`` and
``d`` word tokens in the two corpora (punctuation excluded), the 2×2 table is
``[[a, b], [c − a, d − b]]`` and the expected counts are ``E1 = c(a + b)/(c + d)`` and
``E2 = d(a + b)/(c + d)``.  The measures:

``ll``
    Log-likelihood G² over all four cells (Dunning 1993, "Accurate methods for the
    statistics of surprise and coincidence", *Computational Linguistics* 19(1)), without
    continuity correction: ``G² = 2 Σ O ln(O / E)``, a cell with ``O = 0`` adding 0.  Signed:
    negative where the term is relatively more frequent in the reference (as in AntConc
    and quanteda).
``p_value``
    Of the unsigned G² against χ² with 1 degree of freedom.
``chi2``
    Pearson's χ² over the same table, without Yates's correction, signed like ``ll``.
``log_ratio``
    Hardie's (2014) effect size, ``log2((a / c) / (b / d))``.  A zero count is replaced by
    0.5 so that the value stays finite (each doubling of relative frequency adds 1).
``pct_diff``
    %DIFF (Gabrielatos & Marchi 2012): ``100 (a/c − b/d) / (b/d)``, with the same 0.5
    adjustment for ``b = 0``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .corpus import Corpus
from .frequency import doc_word_counts, stream_terms

__all__ = ["keyness", "term_counts"]


def term_counts(
    corpus: Corpus, lowercase: bool = True, layer: str = "word"
) -> tuple[pd.Series, int]:
    """Word-term counts of a corpus and its number of word tokens.

    With an annotation ``layer`` the terms are that layer's values at word tokens.

    Examples
    --------
    >>> import toolkit as tk
    >>> counts, n = term_counts(tk.from_dataframe(pd.DataFrame({"text": ["War, war."]})))
    >>> counts.to_dict(), n
    ({'war': 2}, 2)
    """
    view = corpus.index()
    if layer != "word":
        t, terms, word = stream_terms(view, lowercase, layer)
        c = np.bincount(t[word], minlength=len(terms))
        nz = np.flatnonzero(c)
        index = pd.Index(np.asarray(terms[nz]).astype(str), name="term")
        return pd.Series(c[nz].astype(np.int64), index=index), int(word.sum())
    idx = view.index
    counts = view.type_counts()
    keep = idx.is_word
    if lowercase:
        terms = idx.lower_vocab
        c = np.bincount(idx.lower[keep], weights=counts[keep], minlength=len(terms))
    else:
        terms = idx.vocab
        c = np.where(keep, counts, 0)
    nz = np.flatnonzero(c)
    series = pd.Series(c[nz].astype(np.int64), index=pd.Index(terms[nz].astype(str), name="term"))
    return series, int(doc_word_counts(view).sum())


def _split(corpus: Corpus, reference: Any, by: str | None, target: Any) -> tuple[Corpus, Corpus]:
    if by is None:
        if not isinstance(reference, Corpus):
            raise TypeError("give a reference Corpus, or by= and target= to split this corpus")
        return corpus, reference
    if by not in corpus.meta.columns:
        raise KeyError(f"no metadata column {by!r}; there are {list(corpus.meta.columns)}")
    if target is None:
        raise ValueError(f"with by={by!r}, name the target value(s), e.g. target='RUS'")
    values = corpus.meta[by]
    tvals = [target] if isinstance(target, str) or not isinstance(target, Iterable) else target
    in_target = values.isin(list(tvals)).to_numpy()
    if reference is None:
        in_ref = ~in_target
    else:
        rvals = (
            [reference]
            if isinstance(reference, str) or not isinstance(reference, Iterable)
            else reference
        )
        in_ref = values.isin(list(rvals)).to_numpy()
    if not in_target.any():
        raise ValueError(f"no document has {by} == {target!r}; values are {sorted(set(values))}")
    if not in_ref.any():
        raise ValueError(f"no reference documents for {by!r} = {reference!r}")
    return (
        corpus._subset(np.flatnonzero(in_target)),
        corpus._subset(np.flatnonzero(in_ref)),
    )


def _g2_cell(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / e), 0.0)


def keyness(
    corpus: Corpus,
    reference: Corpus | Any = None,
    by: str | None = None,
    target: Any = None,
    lowercase: bool = True,
    stopwords: Iterable[str] | None = None,
    min_count: int = 5,
    p: float | None = None,
    bonferroni: bool = False,
    min_log_ratio: float | None = None,
    layer: str = "word",
) -> pd.DataFrame:
    """Keywords of a target corpus against a reference (AntConc's Keyword tool).

    Parameters
    ----------
    corpus : Corpus
        The target corpus; or, with ``by``, the corpus to split.
    reference : Corpus, or value(s) of ``by``, optional
        The reference corpus; with ``by``, the value(s) that make the reference (default:
        every document not in the target).
    by : str, optional
        Metadata column to split ``corpus`` on, e.g. ``by="country", target="RUS"``.
    target : value or list of values, optional
        With ``by``: the value(s) that make the target.
    lowercase : bool
    stopwords : iterable of str, optional
        Terms to leave out of the result (they still count in the corpus sizes).
    min_count : int
        Keep terms seen at least this often in target and reference together.
    p : float, optional
        Keep terms whose ``p_value`` is below ``p`` (e.g. 0.05); with ``bonferroni=True``
        the threshold is divided by the number of terms tested.
    min_log_ratio : float, optional
        Keep terms with ``|log_ratio|`` at least this (e.g. 1: twice as frequent).
    layer : str
        Compare the values of this annotation layer (``"lemma"``, ``"stem"``, ``"pos"``;
        see ``Corpus.annotate``) instead of the words.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``target_count``, ``reference_count``, ``target_per_million``,
        ``reference_per_million``, ``ll``, ``p_value``, ``chi2``, ``log_ratio``,
        ``pct_diff``; sorted by ``ll``, overuse first.  ``attrs`` holds the corpus sizes.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["war war war peace", "peace peace talk"],
    ...                                     "side": ["A", "B"]}))
    >>> k = tk.keyness(c, by="side", target="A", min_count=1)
    >>> k[["term", "target_count", "reference_count"]].values.tolist()
    [['war', 3, 0], ['peace', 1, 2], ['talk', 0, 1]]
    """
    from scipy import stats

    tgt, ref = _split(corpus, reference, by, target)
    a_s, c = term_counts(tgt, lowercase, layer)
    b_s, d = term_counts(ref, lowercase, layer)
    if c == 0 or d == 0:
        raise ValueError("target and reference must both contain word tokens")
    table = pd.concat([a_s.rename("a"), b_s.rename("b")], axis=1).fillna(0).astype(np.int64)
    table = table[(table["a"] + table["b"]) >= min_count]
    if stopwords:
        stop = {w.lower() for w in stopwords} if lowercase else set(stopwords)
        table = table[~table.index.isin(stop)]
    a = table["a"].to_numpy(dtype=float)
    b = table["b"].to_numpy(dtype=float)
    n = c + d
    e1 = c * (a + b) / n
    e2 = d * (a + b) / n
    e3 = c * (n - a - b) / n
    e4 = d * (n - a - b) / n
    g2 = 2 * (_g2_cell(a, e1) + _g2_cell(b, e2) + _g2_cell(c - a, e3) + _g2_cell(d - b, e4))
    g2 = np.maximum(g2, 0.0)
    chi2 = (a - e1) ** 2 / e1 + (b - e2) ** 2 / e2 + (c - a - e3) ** 2 / e3 + (d - b - e4) ** 2 / e4
    sign = np.where(a / c >= b / d, 1.0, -1.0)
    rel_a = np.where(a > 0, a, 0.5) / c
    rel_b = np.where(b > 0, b, 0.5) / d
    out = pd.DataFrame(
        {
            "term": table.index.astype(str),
            "target_count": table["a"].to_numpy(),
            "reference_count": table["b"].to_numpy(),
            "target_per_million": a / c * 1e6,
            "reference_per_million": b / d * 1e6,
            "ll": sign * g2,
            "p_value": stats.chi2.sf(g2, 1),
            "chi2": sign * chi2,
            "log_ratio": np.log2(rel_a / rel_b),
            "pct_diff": (a / c - rel_b) * 100 / rel_b,
        }
    )
    n_tests = len(out)
    if p is not None:
        threshold = p / max(n_tests, 1) if bonferroni else p
        out = out[out["p_value"] < threshold]
    if min_log_ratio is not None:
        out = out[out["log_ratio"].abs() >= min_log_ratio]
    out = out.sort_values(["ll", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update({"target_tokens": c, "reference_tokens": d, "terms_tested": n_tests})
    return out
