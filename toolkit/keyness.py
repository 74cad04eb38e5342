"""Keyness: which words a target corpus uses more (or less) than a reference corpus.

For a term with ``a`` occurrences in the target and ``b`` in the reference, and ``c`` and
``d`` word tokens in the two corpora (punctuation excluded), the 2×2 table is
``[[a, b], [c − a, d − b]]`` and the expected counts are ``E1 = c(a + b)/(c + d)`` and
``E2 = d(a + b)/(c + d)``.  The measures:

``ll``
    Log-likelihood G² over all four cells (Dunning 1993, "Accurate methods for the
    statistics of surprise and coincidence", *Computational Linguistics* 19(1); for
    keywords, Rayson & Garside 2000, "Comparing corpora using frequency profiling",
    *Workshop on Comparing Corpora*, ACL), without correction unless ``correction=`` asks
    for one: ``G² = 2 Σ O ln(O / E)``, a cell with ``O = 0`` adding 0.  Signed: negative
    where the term is relatively more frequent in the reference (as in AntConc and
    quanteda).
``p_value``
    Of the unsigned G² (corrected, with ``correction=``) against χ² with 1 degree of
    freedom.
``chi2``
    Pearson's χ² over the same table (Pearson 1900), uncorrected unless ``correction=``
    asks, signed like ``ll``.
``log_ratio``
    Hardie's (2014) effect size, ``log2((a / c) / (b / d))``.  A zero count is replaced by
    0.5 so that the value stays finite (each doubling of relative frequency adds 1).
``pct_diff``
    %DIFF (Gabrielatos & Marchi 2012): ``100 (a/c − b/d) / (b/d)``, with the same 0.5
    adjustment for ``b = 0``.
``pmi``
    Pointwise mutual information of the term and the target corpus (Church & Hanks 1990,
    "Word association norms, mutual information, and lexicography", *Computational
    Linguistics* 16(1)): ``log2(a / E1) = log2(a (c + d) / ((a + b) c))``, in bits;
    ``−inf`` where ``a = 0``.  quanteda's ``textstat_keyness(measure = "pmi")`` gives the
    same quantity in natural logarithms (``pmi · ln 2``; it adds 10⁻⁹ inside the logarithm,
    so a zero count gives −20.7 there).
``fisher_p`` (with ``fisher=True``)
    The two-sided p-value of Fisher's exact test of the 2×2 table (Fisher 1922, "On the
    interpretation of χ² from contingency tables, and the calculation of P", *Journal of
    the Royal Statistical Society* 85(1)): under the hypergeometric distribution of ``a``
    given the margins, the sum of the probabilities of all tables no more probable than the
    observed one (with R's relative tolerance 10⁻⁷ for ties, as ``fisher.test``, which
    quanteda's ``measure = "exact"`` calls).  Computed for all terms at once with
    ``scipy.stats.hypergeom`` and a vectorised search for the other tail.

Corrections (``correction=``), applied to ``ll``, ``p_value`` and ``chi2`` alike, with
``N = c + d``, the cells ``O11 = a``, ``O12 = b``, ``O21 = c − a``, ``O22 = d − b``, and
the definitions of quanteda's ``textstat_keyness``:

``"yates"``
    Yates's continuity correction (Yates 1934, "Contingency tables involving small numbers
    and the χ² test", *Supplement to the Journal of the Royal Statistical Society* 1(2)):
    each cell moves 0.5 towards its expected count, so ``χ² = N (|O11 O22 − O12 O21| −
    N/2)² / (R1 R2 C1 C2)`` and G² is computed on the moved cells.  As in quanteda, the
    correction is made only where it is meant to be — where an expected count is below 5 —
    and only where it does not overshoot (``|O11 O22 − O12 O21| ≥ N/2``, i.e.
    ``|O − E| ≥ 0.5``); other terms keep their uncorrected values.  (R's ``chisq.test``
    and ``scipy.stats.chi2_contingency(correction=True)`` correct every 2×2 table, by
    ``min(0.5, |O − E|)``; where an expected count is below 5 and ``|O − E| ≥ 0.5`` the
    three agree.)
``"williams"``
    Williams's correction (Williams 1976, "Improved likelihood ratio tests for complete
    contingency tables", *Biometrika* 63(1)): G² and χ² divided by ``q = 1 + (N/R1 + N/R2 −
    1)(N/C1 + N/C2 − 1) / (6N)``, with the row totals ``R1 = a + b``, ``R2 = N − R1`` and
    the corpus sizes ``C1 = c``, ``C2 = d``.  quanteda leaves a table with a zero cell
    uncorrected (``q = 1``); here ``q`` is applied as Williams defines it, zero cells
    included.

quanteda's ``correction = "default"`` is Yates's correction for ``chi2`` and — in its code,
although its documentation says Williams — also for ``lr``; the toolkit's default is no
correction (``"none"``), as AntConc and NLTK.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import Interval, Renamed, StrOptions, group_columns, validate_params
from .corpus import Corpus
from .counts import term_counts
from .errors import ParameterError
from .frequency import BOOLEAN, CORPUS_OR_SHARDS, LAYER, STOPWORDS
from .shards import ShardedCorpus, is_sharded

__all__ = ["keyness", "term_counts", "fisher_two_sided", "CORRECTIONS", "ALL_OTHER_GROUPS"]


#: ``attrs["reference"]`` of a keyness table whose reference is every document outside
#: the target (``by=`` and ``target=`` without ``reference=``).
ALL_OTHER_GROUPS = "all other groups"


def _values(value: Any) -> list[Any]:
    """One value or a list of values, as a list."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _is_corpus(value: Any) -> bool:
    """A corpus on either path: in memory or sharded."""
    return isinstance(value, Corpus) or is_sharded(value)


def _label(values: list[Any]) -> str:
    return " + ".join(str(v) for v in values)


#: The name a corpus has when none was given (:class:`~toolkit.Corpus` ``name=``).
_DEFAULT_NAME = "corpus"


def _two_labels(labels: Any, corpus: Any, reference: Any) -> tuple[str, str]:
    """The labels of two compared corpora: ``labels`` checked (two non-empty strings);
    without it the corpora's names when both were given and differ, else "target" and
    "reference"."""
    if labels is None:
        names = (getattr(corpus, "name", None), getattr(reference, "name", None))
        if (
            all(isinstance(n, str) and n and n != _DEFAULT_NAME for n in names)
            and names[0] != names[1]
        ):
            return str(names[0]), str(names[1])
        return "target", "reference"
    ok = (
        isinstance(labels, tuple | list)
        and len(labels) == 2
        and all(isinstance(x, str) and x.strip() for x in labels)
    )
    if not ok:
        raise ParameterError(
            "labels",
            labels,
            f"labels={labels!r} is not valid: give two non-empty strings, the names of the "
            'target and the reference, e.g. labels=("Russia", "USA")',
        )
    return labels[0], labels[1]


def _split(
    corpus: Corpus | ShardedCorpus,
    reference: Any,
    by: str | None,
    target: Any,
    names: Any = None,
) -> tuple[Any, Any, dict[str, Any]]:
    """The target and reference corpora, and the labels for ``attrs``; every argument
    checked before any counting.  A :class:`~toolkit.shards.ShardedCorpus` is split on its
    global metadata, into selections of the store.  ``names`` is ``keyness(labels=)``."""
    if by is not None and names is not None:
        raise ParameterError(
            "labels",
            names,
            f"labels={names!r}: with by={by!r} the labels are the groups' values "
            "(target= and reference=); give labels= only for two corpora",
        )
    if by is None:
        if not _is_corpus(reference):
            raise ParameterError(
                "reference",
                reference,
                f"reference={reference!r}: give a reference Corpus, or by= and target= to "
                "split this corpus",
            )
        if target is not None:
            raise ParameterError(
                "target",
                target,
                f"target={target!r} names value(s) of the column by=; give by= too",
            )
        target_label, reference_label = _two_labels(names, corpus, reference)
        labels: dict[str, Any] = {
            "by": None,
            "target": target_label,
            "reference": reference_label,
            "target_values": None,
            "reference_values": None,
        }
        return corpus, reference, labels
    if _is_corpus(reference):
        raise ParameterError(
            "reference",
            "<Corpus>",
            f"reference=<Corpus>: with by={by!r}, reference= names value(s) of that column "
            "(default: all other groups), not a Corpus",
        )
    (col,) = group_columns(corpus.meta, by)
    if target is None:
        raise ParameterError(
            "target", target, f"target=None: with by={by!r}, name the target value(s)"
        )
    values = corpus.meta[col]
    present = [  # plain Python values, so that attrs can be written as JSON
        v.item() if isinstance(v, np.generic) else v for v in pd.unique(values[values.notna()])
    ]
    try:
        present = sorted(present)
    except TypeError:  # pragma: no cover - one type per column is checked above
        present = list(present)
    tvals = _values(target)
    in_target = values.isin(tvals).to_numpy()
    if not in_target.any():
        raise ParameterError(
            "target",
            target,
            f"target={target!r}: no document has {col} == {target!r}",
            valid=present[:50],
        )
    if reference is None:
        in_ref = ~in_target
        rvals = [v for v in present if v not in tvals]
        ref_label = ALL_OTHER_GROUPS
    else:
        rvals = _values(reference)
        in_ref = values.isin(rvals).to_numpy()
        ref_label = _label(rvals)
        if not in_ref.any():
            raise ParameterError(
                "reference",
                reference,
                f"reference={reference!r}: no document has {col} == {reference!r}",
                valid=present[:50],
            )
        overlap = [v for v in rvals if v in tvals]
        if overlap:
            raise ParameterError(
                "reference",
                reference,
                f"reference={reference!r}: the values {overlap} are in target and reference",
            )
    if not in_ref.any():
        raise ParameterError(
            "target",
            target,
            f"target={target!r}: every document is in the target, no other {col!r} values left",
        )
    labels = {
        "by": col,
        "target": _label(tvals),
        "reference": ref_label,
        "target_values": tvals,
        "reference_values": rvals,
    }
    return (
        corpus.select(corpus.meta.index[np.asarray(in_target, dtype=bool)].tolist()),
        corpus.select(corpus.meta.index[np.asarray(in_ref, dtype=bool)].tolist()),
        labels,
    )


def _g2_cell(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / e), 0.0)


CORRECTIONS = ("none", "yates", "williams")


def _yates_delta(o11: np.ndarray, o12: np.ndarray, o21: np.ndarray, o22: np.ndarray) -> np.ndarray:
    """quanteda's Yates shift per table: 0.5 where an expected count is below 5 and
    ``|O11 O22 − O12 O21| ≥ N/2``, else 0."""
    n = o11 + o12 + o21 + o22
    r1, r2, c1, c2 = o11 + o12, o21 + o22, o11 + o21, o12 + o22
    small = np.minimum(np.minimum(r1 * c1, r1 * c2), np.minimum(r2 * c1, r2 * c2)) / n < 5
    return np.where(small & (np.abs(o11 * o22 - o12 * o21) >= n / 2), 0.5, 0.0)


def _williams_q(r1: np.ndarray, c1: float, c2: float) -> np.ndarray:
    """Williams's (1976) q for 2×2 tables with row totals ``r1``, ``N − r1`` and column
    totals ``c1``, ``c2``."""
    n = c1 + c2
    return 1 + (n / r1 + n / (n - r1) - 1) * (n / c1 + n / c2 - 1) / (6 * n)


def fisher_two_sided(a: np.ndarray, k: np.ndarray, n: int, total: int) -> np.ndarray:
    """Two-sided p-values of Fisher's exact test for many 2×2 tables at once.

    ``a`` hits among ``n`` draws from a population of ``total`` with ``k`` successes
    (for keyness: a term's target count, its total count, the target size and both
    corpora's size).  The p-value sums the hypergeometric probabilities of every value no
    more probable than ``a`` (relative tolerance 10⁻⁷, as R's ``fisher.test``); the other
    tail's bound is found by a bisection run on all tables together.

    Examples
    --------
    >>> from scipy.stats import fisher_exact
    >>> p = fisher_two_sided(np.array([7, 1]), np.array([9, 4]), 10, 19)
    >>> bool(np.allclose(p, [fisher_exact([[7, 2], [3, 7]]).pvalue,
    ...                      fisher_exact([[1, 3], [9, 6]]).pvalue]))
    True
    """
    from scipy.stats import hypergeom

    a = np.asarray(a, dtype=np.int64)
    k = np.asarray(k, dtype=np.int64)
    lo = np.maximum(0, n - (total - k))
    hi = np.minimum(k, n)
    mode = np.floor((n + 1) * (k + 1) / (total + 2)).astype(np.int64)
    mode = np.clip(mode, lo, hi)
    limit = hypergeom.logpmf(a, total, k, n) + np.log1p(1e-7)

    def ok(x: np.ndarray) -> np.ndarray:
        return hypergeom.logpmf(x, total, k, n) <= limit

    upper = a >= mode  # the observed value is right of the mode: search the left tail
    # left tail: the largest x in [lo, mode] with pmf(x) <= pmf(a); pmf rises on it
    low, high = lo - 1, mode + 1
    # right tail: the smallest x in [mode, hi] with pmf(x) <= pmf(a); pmf falls on it
    low2, high2 = mode - 1, hi + 1
    while True:
        todo = (high - low > 1) & upper
        todo2 = (high2 - low2 > 1) & ~upper
        if not (todo.any() or todo2.any()):
            break
        mid = (low + high) // 2
        good = ok(np.where(todo, mid, lo))
        low = np.where(todo & good, mid, low)
        high = np.where(todo & ~good, mid, high)
        mid2 = (low2 + high2) // 2
        good2 = ok(np.where(todo2, mid2, hi))
        high2 = np.where(todo2 & good2, mid2, high2)
        low2 = np.where(todo2 & ~good2, mid2, low2)
    p_upper = hypergeom.sf(a - 1, total, k, n) + np.where(
        low >= lo, hypergeom.cdf(low, total, k, n), 0.0
    )
    p_lower = hypergeom.cdf(a, total, k, n) + np.where(
        high2 <= hi, hypergeom.sf(high2 - 1, total, k, n), 0.0
    )
    return np.minimum(np.where(upper, p_upper, p_lower), 1.0)


@fill_doc
@validate_params(
    {
        "corpus": CORPUS_OR_SHARDS,
        "by": [None, str],
        "case_sensitive": BOOLEAN,
        "stopwords": STOPWORDS,
        "min_count": [Interval(Integral, 0, None)],
        "p": [None, Interval(Real, 0, 1, closed="right")],
        "bonferroni": BOOLEAN,
        "min_log_ratio": [None, Interval(Real, 0, None)],
        "layer": LAYER,
        "correction": [StrOptions(CORRECTIONS)],
        "fisher": BOOLEAN,
    },
    renamed={"lowercase": Renamed("case_sensitive", invert=True)},
)
def keyness(
    corpus: Corpus,
    reference: Corpus | Any = None,
    by: str | None = None,
    target: Any = None,
    *,
    case_sensitive: bool = False,
    stopwords: Iterable[str] | None = None,
    min_count: int = 5,
    p: float | None = None,
    bonferroni: bool = False,
    min_log_ratio: float | None = None,
    layer: str = "word",
    correction: str = "none",
    fisher: bool = False,
    labels: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Keywords of a target corpus against a reference (AntConc's Keyword tool).

    Two ways to name what is compared:

    * two corpora: ``keyness(target_corpus, reference_corpus)``;
    * one corpus split on a metadata column: ``keyness(corpus, by="country",
      target="RUS", reference="USA")``; **without** ``reference=`` the reference is *all
      other groups*, every document whose ``by`` value is not a target value
      (``keyness(corpus, by="country", target="RUS")``: Russia against every other
      country together), as quanteda's ``textstat_keyness(target=)``.  Documents with
      a missing value are then in the reference.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        The target corpus; or, with ``by``, the corpus to split.  A
        :class:`~toolkit.ShardedCorpus` (or a selection of one, ``store.query(...)``) is
        counted shard by shard; the term counts and word totals of each side are summed
        and the statistics computed once on the sums, with the same result as on one index.
        With ``by``, the groups come from the store's metadata.
    reference : Corpus, ShardedCorpus, or value(s) of ``by``, optional
        The reference corpus; with ``by``, the value(s) that make the reference (default:
        all other groups, i.e. every document not in the target).
    by : str, optional
        {params.by}
        One column, to split ``corpus`` on, e.g. ``by="country", target="RUS"``.
    target : value or list of values, optional
        With ``by``: the value(s) that make the target.
    case_sensitive : bool
        {params.case_sensitive}
        Replaces ``lowercase`` (deprecated: ``lowercase=True`` is ``case_sensitive=False``).
    stopwords : iterable of str, optional
        {params.stopwords}
    min_count : int
        {params.min_count}
        Terms seen at least this often in target and reference together.
    p : float, optional
        Keep terms whose ``p_value`` is below ``p`` (in (0, 1], e.g. 0.05); with
        ``bonferroni=True`` the threshold is divided by the number of terms tested.
    bonferroni : bool
        Divide ``p`` by the number of terms tested (Bonferroni's correction).
    min_log_ratio : float, optional
        Keep terms with ``|log_ratio|`` at least this (e.g. 1: twice as frequent).
    layer : str
        {params.layer}
        Compare the layer's values instead of the words.
    correction : {"none", "yates", "williams"}
        Correct ``ll``, ``p_value`` and ``chi2`` with Yates's (1934) or Williams's (1976)
        correction, as quanteda's ``textstat_keyness(correction=)`` (see the module notes);
        default none.
    fisher : bool
        Also run Fisher's exact test (column ``fisher_p``); takes longer on large corpora.
    labels : tuple of two str, optional
        Two corpora only: the names of the target and the reference, kept in
        ``attrs["target"]`` and ``attrs["reference"]`` (and so in the title of
        :func:`plot_keyness`), e.g. ``labels=("Russia", "USA")``.  Default: the two
        corpora's ``name`` when both were named and the names differ, else ``"target"``
        and ``"reference"``.  Not with ``by``, whose labels are the groups' values.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``target_count``, ``reference_count``, ``target_per_million``,
        ``reference_per_million``, ``ll``, ``p_value``, ``chi2``, ``log_ratio``,
        ``pct_diff``, ``pmi`` (and ``fisher_p``); sorted by ``ll``, overuse first.
        ``attrs`` holds what was compared: ``target`` and ``reference`` (labels: the
        ``by`` values joined by ``" + "``, ``"all other groups"`` for the default
        reference; for two corpora ``labels``, or their names, or ``"target"`` and
        ``"reference"``), ``by``,
        ``target_values`` and ``reference_values`` (the ``by`` values on each side, the
        other groups listed; ``None`` for two corpora); ``target_words`` and
        ``reference_words`` (the word tokens of each side, the denominators of
        ``target_per_million`` and ``reference_per_million``); ``terms_tested`` and
        ``correction``.

    Raises
    ------
    ParameterError
        Before any counting: an unknown ``correction``, an argument of the wrong type or
        out of range; a ``by`` column that does not exist or mixes value types (say
        numbers and strings); a ``target`` or ``reference`` value no document has; a
        reference that is not a Corpus without ``by``; ``labels`` that are not two
        non-empty strings, or ``labels`` with ``by``.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["war war war peace", "peace peace talk"],
    ...                                     "side": ["A", "B"]}))
    >>> k = tk.keyness(c, by="side", target="A", min_count=1)
    >>> k[["term", "target_count", "reference_count"]].values.tolist()
    [['war', 3, 0], ['peace', 1, 2], ['talk', 0, 1]]
    >>> k.attrs["target"], k.attrs["reference"], k.attrs["reference_values"]
    ('A', 'all other groups', ['B'])
    >>> y = tk.keyness(c, by="side", target="A", min_count=1, correction="yates", fisher=True)
    >>> y[["term", "chi2", "fisher_p"]].round(4).values.tolist()
    [['war', 1.4705, 0.1429], ['talk', -0.0243, 0.4286], ['peace', -0.1094, 0.4857]]

    Two corpora, named for the table and the figure:

    >>> a = tk.from_dataframe(pd.DataFrame({"text": ["war war war peace"]}))
    >>> b = tk.from_dataframe(pd.DataFrame({"text": ["peace peace talk"]}))
    >>> k = tk.keyness(a, b, min_count=1, labels=("hawks", "doves"))
    >>> k.attrs["target"], k.attrs["reference"]
    ('hawks', 'doves')
    >>> tk.plot_keyness(k).get_title()
    'Keywords: hawks vs doves'
    """
    lowercase = not case_sensitive
    tgt, ref, compared = _split(corpus, reference, by, target, labels)
    a_s, c = _side_counts(tgt, lowercase, layer)
    b_s, d = _side_counts(ref, lowercase, layer)
    return _keyness_table(
        a_s,
        c,
        b_s,
        d,
        compared,
        lowercase=lowercase,
        stopwords=stopwords,
        min_count=min_count,
        p=p,
        bonferroni=bonferroni,
        min_log_ratio=min_log_ratio,
        correction=correction,
        fisher=fisher,
    )


def _term_counts_part(shard: Corpus, lowercase: bool, layer: str) -> tuple[Any, np.ndarray, int]:
    """Task: the word-term counts of a shard's selected documents, as plain arrays (terms,
    counts) and its number of word tokens.  A shard whose documents are all selected is
    counted from its index's type counts, without reading its tokens."""
    counts, n = term_counts(shard, lowercase, layer)
    return term_array(counts.index.to_numpy(dtype=object)), counts.to_numpy(dtype=np.int64), n


def term_array(terms: np.ndarray) -> Any:
    """Terms as an Arrow string array (hashed in C when the shards' counts are combined),
    or as they are if a term cannot be UTF-8 encoded (a lone surrogate in the text)."""
    import pyarrow as pa

    try:
        return pa.array(terms, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException):
        return np.asarray(terms, dtype=object)


def factorize_terms(parts: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """One code per term of all ``parts`` (arrays of terms, Arrow or numpy) and the
    distinct terms, as ``pandas.factorize`` of their concatenation (the codes follow the
    terms' first appearance)."""
    import pyarrow as pa

    if parts and all(isinstance(t, pa.Array) for t in parts):
        encoded = pa.chunked_array(parts, type=pa.large_string()).dictionary_encode()
        if encoded.num_chunks == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
        # one hash table encodes all chunks, which then share its final dictionary
        size = len(encoded.chunks[0].dictionary)
        if any(len(c.dictionary) != size for c in encoded.chunks):  # pragma: no cover
            encoded = encoded.unify_dictionaries()
        codes = np.concatenate(
            [c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks]
        ).astype(np.int64)
        uniques = encoded.chunks[0].dictionary.to_numpy(zero_copy_only=False)
        return codes, np.asarray(uniques, dtype=object)
    as_objects = [
        t.to_numpy(zero_copy_only=False) if isinstance(t, pa.Array) else np.asarray(t, dtype=object)
        for t in parts
    ]
    terms = np.concatenate(as_objects) if as_objects else np.zeros(0, dtype=object)
    codes, uniques = pd.factorize(terms)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def sum_term_counts(parts: list[tuple[Any, np.ndarray, int]]) -> tuple[pd.Series, int]:
    """The sum of per-shard term counts (``(terms, counts, words)`` triples): one Series of
    int64 counts indexed by term, and the total number of word tokens.

    Terms are matched by their string (each shard has its own vocabulary); the counts are
    added with one dictionary encoding of all the parts' terms and one ``bincount``.

    Examples
    --------
    >>> parts = [(np.array(["war", "peace"], dtype=object), np.array([3, 1]), 4),
    ...          (np.array(["peace"], dtype=object), np.array([2]), 2)]
    >>> counts, n = sum_term_counts(parts)
    >>> counts.to_dict(), n
    ({'war': 3, 'peace': 3}, 6)
    """
    total = sum(int(n) for _, _, n in parts)
    codes, uniques = factorize_terms([t for t, _, _ in parts])
    counts = (
        np.concatenate([np.asarray(c, dtype=np.int64) for _, c, _ in parts])
        if parts
        else np.zeros(0, dtype=np.int64)
    )
    # float sums of integers are exact below 2**53 tokens
    summed = np.rint(np.bincount(codes, weights=counts, minlength=len(uniques)))
    index = pd.Index(uniques.astype(str), name="term")
    return pd.Series(summed.astype(np.int64), index=index), total


def _side_counts(corpus: Any, lowercase: bool, layer: str) -> tuple[pd.Series, int]:
    """Word-term counts and word tokens of one side, on either path: a sharded corpus is
    counted shard by shard and the counts summed."""
    if is_sharded(corpus):
        parts: list[tuple[Any, np.ndarray, int]] = []
        rest: ShardedCorpus | None = corpus
        if layer == "word":
            # shards read whole are counted from their stored type counts, unopened
            counts, rest = corpus.whole_shard_counts()
            lower, lower_vocab, word = corpus.type_table()
            kept = np.where(word, counts, 0)
            if lowercase:
                summed = np.rint(np.bincount(lower, weights=kept, minlength=len(lower_vocab)))
                terms = lower_vocab
            else:
                summed, terms = kept, corpus.vocab
            nz = np.flatnonzero(summed)
            parts.append((term_array(terms[nz]), summed[nz].astype(np.int64), int(kept.sum())))
        if rest is not None:
            parts += rest.map(_term_counts_part, lowercase, layer, desc="keyness counts")
        return sum_term_counts(parts)
    return term_counts(corpus, lowercase, layer)


def _keyness_table(
    a_s: pd.Series,
    c: int,
    b_s: pd.Series,
    d: int,
    labels: dict[str, Any],
    *,
    lowercase: bool,
    stopwords: Iterable[str] | None,
    min_count: int,
    p: float | None,
    bonferroni: bool,
    min_log_ratio: float | None,
    correction: str,
    fisher: bool,
) -> pd.DataFrame:
    """The keyness table from the term counts and word totals of target (``a_s``, ``c``)
    and reference (``b_s``, ``d``): the statistics of both paths (one index or shards)."""
    from scipy import stats

    if c == 0 or d == 0:
        empty = "target" if c == 0 else "reference"
        raise ParameterError(empty, None, f"{empty}: the {empty} has no word tokens")
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
    o1, o2, o3, o4 = a, b, c - a, d - b
    if correction == "yates":
        delta = _yates_delta(o1, o2, o3, o4)
        shift = np.where(o1 * o4 - o2 * o3 > 0, -delta, delta)  # towards independence
        o1, o2, o3, o4 = o1 + shift, o2 - shift, o3 - shift, o4 + shift
    g2 = 2 * (_g2_cell(o1, e1) + _g2_cell(o2, e2) + _g2_cell(o3, e3) + _g2_cell(o4, e4))
    g2 = np.maximum(g2, 0.0)
    chi2 = (o1 - e1) ** 2 / e1 + (o2 - e2) ** 2 / e2 + (o3 - e3) ** 2 / e3 + (o4 - e4) ** 2 / e4
    if correction == "williams":
        q = _williams_q(a + b, float(c), float(d))
        g2, chi2 = g2 / q, chi2 / q
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
    with np.errstate(divide="ignore"):
        out["pmi"] = np.log2(a / e1)
    if fisher:
        out["fisher_p"] = fisher_two_sided(a, a + b, c, n)
    n_tests = len(out)
    if p is not None:
        threshold = p / max(n_tests, 1) if bonferroni else p
        out = out[out["p_value"] < threshold]
    if min_log_ratio is not None:
        out = out[out["log_ratio"].abs() >= min_log_ratio]
    out = out.sort_values(["ll", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update(
        {
            **labels,
            "target_words": c,
            "reference_words": d,
            "terms_tested": n_tests,
            "correction": correction,
        }
    )
    return out
