"""Multi-word expressions: quanteda's ``textstat_collocations`` (λ and z) and compounding.

:func:`multiword_expressions` scores every sequence of ``size`` words (2 to 5) with the
measure of Blaheta & Johnson (2001, "Unsupervised learning of multi-word verbs", ACL/EACL
Workshop on the Computational Extraction, Analysis and Exploitation of Collocations), as
quanteda's ``textstat_collocations(method = "lambda")`` defines and computes it:

* The candidates are the sequences of ``K`` consecutive word tokens that do not cross
  punctuation or a document boundary; all of them, whatever their count, make the
  reference set.
* For a candidate ``x = (x_1, …, x_K)`` every sequence ``z`` of the reference set is
  classified by which of its positions agree with ``x`` (``z_k = x_k``): ``2^K`` patterns
  ``c``.  ``n_c`` is the number of sequences with pattern ``c`` plus ``smoothing``
  (default 0.5); ``n_(1…1)`` is the candidate's own count plus ``smoothing``.
* ``λ = Σ_c (−1)^(K − |c|) log n_c`` (``|c|`` the number of agreeing positions): the
  ``K``-way interaction of the saturated log-linear model of the ``2^K`` table; for
  ``K = 2`` it is the log odds ratio of the 2×2 table.
* ``z = λ / √(Σ_c 1 / n_c)``, the Wald statistic of that parameter.

Counting follows quanteda's C++ code (``cpp_collocations`` in quanteda.textstats): sequences
are counted over the whole corpus, never across a document; a sequence holding a
punctuation token is neither a candidate nor counted in any table.  quanteda's
documentation says that collocations do not span sentences; its code keeps them apart only
through the punctuation that ends a sentence, and so does the toolkit (sentence regions of
an annotated corpus without final punctuation do not break sequences).  ``count_nested`` is the
number of occurrences that overlap an occurrence of a longer requested size, as quanteda
reports it when ``size`` is a list.

Differences from quanteda, all from the tokens rather than the statistic: the toolkit's
tokeniser (Penn Treebank clitics split, hyphenated compounds kept, as quanteda's default)
decides the tokens; a token without a letter or digit (punctuation *and* symbols such as
``$``) breaks sequences, where quanteda breaks only at ``^\\p{P}+$``; and ``lowercase=True``
folds every token, where quanteda's ``tolower = TRUE`` keeps acronyms such as ``US`` in
capitals.  (``case_sensitive=False``, the default, is quanteda's ``tolower = TRUE``; the
argument was called ``lowercase`` before, a name still accepted until toolkit 0.3.)

Compounding (quanteda's ``tokens_compound``) is the ``compound=`` option of
:func:`toolkit.tokens`: the matches of phrases, or of the rows of a
:func:`multiword_expressions` table, become one token ``"united_nations"`` in the stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import Each, Interval, Options, Renamed, validate_params
from .corpus import Corpus
from .counts import stream_terms
from .errors import ParameterError
from .frequency import BOOLEAN, CORPUS, LAYER, min_count_at_least

__all__ = ["multiword_expressions", "compound_patterns", "compound_spans", "MAX_SIZE"]

#: Longest sequences scored (quanteda warns above 5: the tables have 2^K cells).
MAX_SIZE = 5


def _check_sizes(size: Any) -> list[int]:
    sizes = [size] if isinstance(size, int | np.integer) and not isinstance(size, bool) else size
    try:
        sizes = list(sizes)
    except TypeError:
        raise ParameterError(
            "size", size, "size must be a whole number or a list of them", valid=range(2, 6)
        ) from None
    if not sizes or any(
        isinstance(s, bool) or not isinstance(s, int | np.integer) or not 2 <= s <= MAX_SIZE
        for s in sizes
    ):
        raise ParameterError(
            "size", size, f"sizes are whole numbers from 2 to {MAX_SIZE}", valid=range(2, 6)
        )
    return sorted({int(s) for s in sizes})


def _dense(key: np.ndarray, col: np.ndarray, base: int) -> np.ndarray:
    """Dense ids of the pairs ``(key, col)``, ``col < base``, kept within int64."""
    top = int(key.max()) + 1 if len(key) else 1
    if top < (1 << 62) // max(base, 1):
        return key * base + col
    _, inv = np.unique(key, return_inverse=True)
    return inv.astype(np.int64) * base + col


def _projection_counts(cols: np.ndarray, counts: np.ndarray, mask: int, base: int) -> np.ndarray:
    """For each distinct sequence (a row of ``cols``, seen ``counts`` times), how many
    sequences share its words at the positions in ``mask``."""
    k = cols.shape[1]
    positions = [j for j in range(k) if mask >> j & 1]
    if not positions:
        return np.full(len(cols), counts.sum(), dtype=np.int64)
    key = cols[:, positions[0]].astype(np.int64)
    for j in positions[1:]:
        key = _dense(key, cols[:, j], base)
    _, inv = np.unique(key, return_inverse=True)
    inv = inv.ravel()
    return np.bincount(inv, weights=counts)[inv]


def _lambda_z(
    cols: np.ndarray, counts: np.ndarray, reps: np.ndarray, smoothing: float, base: int
) -> tuple[np.ndarray, np.ndarray]:
    """λ and z of the sequences ``cols[reps]`` against all sequences: the distinct
    sequences ``cols``, seen ``counts`` times."""
    k = cols.shape[1]
    n_masks = 1 << k
    at_least = np.empty((n_masks, len(reps)), dtype=np.float64)
    for mask in range(n_masks):
        at_least[mask] = _projection_counts(cols, counts, mask, base)[reps]
    popcount = np.array([bin(m).count("1") for m in range(n_masks)])
    lam = np.zeros(len(reps))
    inv_sum = np.zeros(len(reps))
    for b in range(n_masks):
        # Möbius inversion: exactly the positions in b agree
        exact = np.zeros(len(reps))
        for m in range(n_masks):
            if m & b == b:
                exact += (-1) ** (popcount[m] - popcount[b]) * at_least[m]
        n_b = exact + smoothing
        with np.errstate(divide="ignore"):
            lam += (-1) ** (k - popcount[b]) * np.log(n_b)
            inv_sum += 1 / n_b
    with np.errstate(divide="ignore", invalid="ignore"):
        return lam, lam / np.sqrt(inv_sum)


@fill_doc
@validate_params(
    {
        "corpus": CORPUS,
        "size": [Each(Options((int, np.integer), range(2, MAX_SIZE + 1)))],
        "min_count": min_count_at_least(1),
        "smoothing": [Interval(Real, 0, None)],
        "case_sensitive": BOOLEAN,
        "layer": LAYER,
    },
    renamed={"lowercase": Renamed("case_sensitive", invert=True)},
)
def multiword_expressions(
    corpus: Corpus,
    size: int | Sequence[int] = 2,
    min_count: int = 2,
    smoothing: float = 0.5,
    *,
    case_sensitive: bool = False,
    layer: str = "word",
) -> pd.DataFrame:
    """Score multi-word expressions by λ and z (quanteda's ``textstat_collocations``).

    See the module notes for the definition (Blaheta & Johnson 2001) and how sequences
    are counted.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
    size : int or list of int
        Length of the sequences, 2 to 5; several sizes give one table (as quanteda's
        ``size = 2:3``), each size scored against sequences of its own length.
    min_count : int
        {params.min_count}
        Sequences seen at least this often (quanteda's default, 2).
    smoothing : float
        Added to every cell of the ``2^K`` table (quanteda's default, 0.5).
    case_sensitive : bool
        {params.case_sensitive}
        ``False`` is quanteda's ``tolower = TRUE``.  Replaces ``lowercase`` (deprecated:
        ``lowercase=True`` is ``case_sensitive=False``).
    layer : str
        {params.layer}
        Score sequences of the layer's values instead of the words; punctuation still
        breaks them.

    Returns
    -------
    pandas.DataFrame
        ``collocation`` (words joined by one space), ``count``, ``count_nested``,
        ``length``, ``lambda``, ``z``; sorted by ``z`` (descending; equal to 10 decimals
        counts as a tie), then collocation.

    Raises
    ------
    ParameterError
        Before any counting: ``size`` not whole numbers from 2 to 5; ``min_count`` below
        1; a negative ``smoothing``; an argument of the wrong type.  An unknown ``layer``.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["I like good ice cream.",
    ...                                              "Me too!  I like good ice cream."]}))
    >>> m = tk.multiword_expressions(c, size=2, min_count=2)
    >>> m[["collocation", "count", "lambda", "z"]].round(6).values.tolist()[:2]
    [['good ice', 2, 4.317488, 2.027787], ['i like', 2, 4.317488, 2.027787]]
    """
    sizes = _check_sizes(size)
    lowercase = not case_sensitive
    view = corpus.index()
    t_all, terms, is_word = stream_terms(view, lowercase, layer)
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    # runs of word tokens: a new run after every non-word token and at every document start
    breaks = np.ones(len(t_all), dtype=bool)
    if len(t_all):
        breaks[1:] = (~is_word[:-1]) | (rows[1:] != rows[:-1])
    run = np.cumsum(breaks)[is_word]
    words = t_all[is_word].astype(np.int64)
    run_length = np.bincount(run) if len(run) else np.zeros(1, dtype=np.int64)
    base = max(len(terms), 1)
    frames = []
    for s in sizes:
        m = len(words) - s + 1
        if m <= 0:
            continue
        starts = np.flatnonzero(run[:m] == run[s - 1 :])
        if not len(starts):
            continue
        dtype = np.int32 if base < 2**31 else np.int64  # half the memory on large corpora
        cols = np.stack([words[starts + j].astype(dtype) for j in range(s)], axis=1)
        key = cols[:, 0].astype(np.int64)
        for j in range(1, s):
            key = _dense(key, cols[:, j], base)
        _, first, inv, counts = np.unique(
            key, return_index=True, return_inverse=True, return_counts=True
        )
        keep = np.flatnonzero(counts >= min_count)
        if not len(keep):
            continue
        longer = [x for x in sizes if x > s]
        nested_occ = (
            run_length[run[starts]] >= min(longer) if longer else np.zeros(len(starts), bool)
        )
        nested = np.bincount(inv.ravel(), weights=nested_occ, minlength=len(counts))
        distinct = cols[first]
        lam, z = _lambda_z(distinct, counts, keep, float(smoothing), base)
        text = terms[distinct[keep, 0]].astype(str).astype(object)
        for j in range(1, s):
            text = text + " " + terms[distinct[keep, j]].astype(str)
        frames.append(
            pd.DataFrame(
                {
                    "collocation": text,
                    "count": counts[keep].astype(np.int64),
                    "count_nested": nested[keep].astype(np.int64),
                    "length": s,
                    "lambda": lam,
                    "z": z,
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            {
                "collocation": pd.Series(dtype=object),
                "count": pd.Series(dtype=np.int64),
                "count_nested": pd.Series(dtype=np.int64),
                "length": pd.Series(dtype=np.int64),
                "lambda": pd.Series(dtype=float),
                "z": pd.Series(dtype=float),
            }
        )
    out = pd.concat(frames, ignore_index=True)
    # equal scores computed in another order differ in the last bits: ties are ordered by
    # the collocation
    out["_z"] = out["z"].round(10)
    out = out.sort_values(["_z", "collocation"], ascending=[False, True], kind="stable")
    return out.drop(columns="_z").reset_index(drop=True)


def compound_patterns(compound: Any) -> list[str]:
    """The phrases to compound: from a string, a list of strings, a
    :func:`toolkit.phrase`, or a table with a ``collocation`` column (the result of
    :func:`multiword_expressions`, :func:`toolkit.collocations` or
    :func:`toolkit.trigram_collocations`).

    Examples
    --------
    >>> compound_patterns(pd.DataFrame({"collocation": ["united nations", "human rights"]}))
    ['united nations', 'human rights']
    >>> compound_patterns("security council")
    ['security council']
    >>> compound_patterns(pd.DataFrame({"collocation": []}))
    []
    """
    if isinstance(compound, pd.DataFrame):
        if "collocation" not in compound.columns:
            raise ParameterError(
                "compound",
                "<DataFrame>",
                "a table to compound needs a 'collocation' column, as "
                "tk.multiword_expressions() returns",
            )
        compound = compound["collocation"].astype(str).tolist()
    if isinstance(compound, str):
        compound = [compound]
    try:
        patterns = list(compound)
    except TypeError:
        raise ParameterError(
            "compound", compound, "compound takes phrases: a string, a list or a table"
        ) from None
    if not patterns:  # nothing to join (say, a table of phrases filtered down to none)
        return []
    if not all(isinstance(p, str) and p.strip() for p in patterns):
        raise ParameterError(
            "compound", compound, "compound takes non-empty phrases such as 'united nations'"
        )
    from .patterns import check_patterns

    return check_patterns(patterns)


def compound_spans(view: Any, compound: Any, layer: str = "word") -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) corpus positions of the compounds, overlaps merged.

    Phrases are matched with :func:`toolkit.patterns.find` (globs, case-insensitive) on
    ``layer``; matches of one token are left alone, and overlapping matches become one
    span (quanteda's ``tokens_compound(join = TRUE)``).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["the united nations security council"]}))
    >>> [s.tolist() for s in compound_spans(c.index(), ["united nations", "nations security"])]
    [[1], [4]]
    """
    from .patterns import find

    starts, ends, _ = find(view, compound_patterns(compound), layer=layer)
    multi = ends - starts > 1
    starts, ends = starts[multi], ends[multi]
    if not len(starts):
        return starts, ends
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    new = np.ones(len(starts), dtype=bool)
    new[1:] = starts[1:] >= reach[:-1]  # a span that starts after all before it ended
    group = np.cumsum(new) - 1
    merged_starts = starts[new]
    merged_ends = np.zeros(len(merged_starts), dtype=np.int64)
    np.maximum.at(merged_ends, group, ends)
    return merged_starts, merged_ends
