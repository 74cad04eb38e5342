"""Topic coherence (c_v, c_npmi, c_uci, u_mass) counted with numpy.

The measures are those of Röder, Both & Hinneburg (2015, "Exploring the space of topic
coherence measures", WSDM, doi:10.1145/2684822.2685324) — c_v, c_npmi and c_uci — and of
Mimno, Wallach, Talley, Leenders & McCallum (2011, "Optimizing semantic coherence in topic
models", EMNLP) — u_mass — exactly as gensim's ``CoherenceModel`` computes them, so the
values agree with gensim's on the same texts (tested to 1e-6):

- **Probabilities.**  u_mass counts *documents*: ``P(w)`` is the share of documents that
  contain ``w``, ``P(w, w')`` the share that contain both.  The other measures count
  *boolean sliding windows* (110 tokens for c_v, 10 for c_npmi and c_uci): every document of
  ``L`` tokens gives ``max(1, L − W + 1)`` windows (a shorter or empty document is one
  window), and ``P`` is the share of windows in which a word is marked present.  The window
  moves over the texts as given (stopwords already removed, nothing else skipped).  The
  marks follow gensim's ``WordOccurrenceAccumulator`` to the letter: the first window of a
  document marks its distinct words; each step then unmarks the token that leaves on the
  left and marks the one that enters on the right — so a word that leaves while another
  copy of it is still inside the window stays unmarked until a copy enters again.
- **Confirmation.**  ``PMI(w, w') = log((P(w, w') + ε) / (P(w) P(w')))`` and
  ``NPMI = PMI / −log(P(w, w') + ε)`` with ε = 10⁻¹²; u_mass uses
  ``log((P(w_i, w_j) + ε) / P(w_j))`` for each word ``w_i`` and every word ``w_j`` ranked
  above it (a pair whose ``P(w_j)`` is zero scores 0).
- **Aggregation.**  c_npmi and c_uci average the measure over all ordered pairs of distinct
  top words, u_mass over the pairs above; c_v gives each top word ``w_i`` the context vector
  ``v_i = (NPMI(w_i, w_j))_j`` over the topic's words (``j = i`` included), the topic the
  sum ``v_W = Σ_i v_i``, and averages the cosines ``cos(v_i, v_W)``.  A model's coherence is
  the mean over its topics.

Counting and scoring are apart: :func:`count_coherence` gives, per topic, the windows
(u_mass: documents) in which each top word and each pair of them is marked, and the number
of windows (documents); :func:`coherence_from_counts` scores them.  A window never reaches
past its document's end and a document is counted once, so the counts of disjoint sets of
documents add up to those of their union — :meth:`toolkit.TopicModel.coherence` scores a
sharded corpus by counting each shard apart and adding the counts.

Counting is vectorised: each marked stretch of windows is an interval, derived from the
positions of the topic words with array arithmetic, and the windows a pair of words share
are the lengths of the overlaps of their intervals, summed per topic in one sorted sweep.
No window is visited one by one, so the cost grows with the occurrences of the topic words,
not with the number of windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import ParameterError

__all__ = [
    "MEASURES",
    "WINDOW_SIZES",
    "CoherenceCounts",
    "coherence",
    "coherence_from_ids",
    "count_coherence",
    "coherence_from_counts",
]

#: The measures and their default window sizes (``None``: whole documents), as in gensim.
WINDOW_SIZES: dict[str, int | None] = {"c_v": 110, "c_npmi": 10, "c_uci": 10, "u_mass": None}
MEASURES = tuple(WINDOW_SIZES)
EPSILON = 1e-12  # gensim's direct_confirmation_measure.EPSILON
_BLOCK = 31  # topic words per block of the interval sweep (two blocks fit a 62-bit code)


def _check_measure(measure: str, window_size: int | None) -> int | None:
    if measure not in WINDOW_SIZES:
        raise ParameterError("measure", measure, valid=MEASURES)
    if window_size is None:
        return WINDOW_SIZES[measure]
    if measure == "u_mass":
        raise ParameterError(
            "window_size", window_size, "u_mass counts whole documents: leave window_size unset"
        )
    if isinstance(window_size, bool) or not isinstance(window_size, int | np.integer):
        raise ParameterError("window_size", window_size, "window_size must be a whole number")
    if window_size < 1:
        raise ParameterError("window_size", window_size, "window_size must be at least 1")
    return int(window_size)


def coherence(
    topics: Sequence[Sequence[str]],
    texts: Sequence[Sequence[str]],
    measure: str = "c_v",
    *,
    window_size: int | None = None,
    per_topic: bool = False,
) -> float | np.ndarray:
    """Coherence of topics (lists of top words, best first) on reference texts.

    Gives the values of gensim's ``CoherenceModel(topics=..., texts=..., dictionary=
    Dictionary(texts), coherence=measure)``; see the module documentation for the
    definitions (Röder, Both & Hinneburg 2015; Mimno et al. 2011 for u_mass).

    Parameters
    ----------
    topics : sequence of sequences of str
        Each topic's top words, in rank order (the order matters for u_mass).  A word that
        does not occur in ``texts`` is left out of its topic, as gensim leaves out words
        missing from its dictionary.
    texts : sequence of sequences of str
        The reference documents as token lists (stopwords removed as for the model).
    measure : {"c_v", "c_npmi", "c_uci", "u_mass"}
    window_size : int, optional
        Sliding window in tokens; by default 110 for c_v and 10 for c_npmi and c_uci.
        u_mass counts documents and takes none.
    per_topic : bool
        Return one value per topic instead of their mean.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    toolkit.errors.ParameterError
        An unknown measure, a bad window size, or a topic none of whose words occur.

    Examples
    --------
    >>> texts = [["nuclear", "weapons", "treaty"], ["nuclear", "treaty", "peace"],
    ...          ["trade", "growth", "peace"]]
    >>> coherence([["nuclear", "peace"], ["treaty", "trade"]], texts, "u_mass", per_topic=True)
    array([ -0.69314718, -27.22555601])

    ``log P(nuclear, peace) / P(nuclear) = log (1/3) / (2/3)``; ``treaty`` and ``trade``
    never share a document, so the second topic scores ``log(ε / P(treaty))``.
    """
    window = _check_measure(measure, window_size)
    vocab: dict[str, int] = {}
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    ids = np.fromiter(
        (vocab.setdefault(w, len(vocab)) for t in texts for w in t),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    topic_ids = []
    for i, topic in enumerate(topics):
        known = [vocab[w] for w in topic if w in vocab]
        if not known:
            raise ParameterError("topics", list(topic), f"no word of topic {i} occurs in texts")
        topic_ids.append(np.array(known, dtype=np.int64))
    return coherence_from_ids(
        topic_ids,
        ids,
        offsets,
        measure,
        window_size=window,
        per_topic=per_topic,
        n_terms=len(vocab),
    )


def coherence_from_ids(
    topics: Sequence[Sequence[int] | np.ndarray],
    tokens: np.ndarray,
    offsets: np.ndarray,
    measure: str = "c_v",
    *,
    window_size: int | None = None,
    per_topic: bool = False,
    n_terms: int | None = None,
) -> float | np.ndarray:
    """Coherence of topics given as term ids, on texts given as one array of term ids.

    The fast path behind :func:`coherence` and :meth:`toolkit.TopicModel.coherence`: the
    texts are ``tokens[offsets[d]:offsets[d + 1]]`` for each document ``d`` (a prepared
    corpus holds its kept terms this way), so nothing is converted to strings.

    Parameters
    ----------
    topics : sequence of sequences or arrays of int
        Each topic's top term ids, best first.
    tokens : numpy.ndarray
        Term ids of all documents, one after the other (non-negative integers).
    offsets : numpy.ndarray
        ``n_docs + 1`` ascending boundaries into ``tokens``, from 0 to ``len(tokens)``.
    measure : {"c_v", "c_npmi", "c_uci", "u_mass"}
    window_size : int, optional
        As in :func:`coherence`.
    per_topic : bool
        Return one value per topic instead of their mean.
    n_terms : int, optional
        Size of the vocabulary (one more than the largest id); found if not given.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> tokens = np.array([0, 1, 2, 0, 2, 3, 4, 5, 3])
    >>> offsets = np.array([0, 3, 6, 9])
    >>> round(coherence_from_ids([[0, 2, 3]], tokens, offsets, "c_npmi", window_size=2), 6)
    -0.306827
    """
    counts = count_coherence(
        topics, tokens, offsets, measure, window_size=window_size, n_terms=n_terms
    )
    return coherence_from_counts(counts, per_topic=per_topic)


@dataclass
class CoherenceCounts:
    """The counts a coherence measure is computed from, for a list of topics.

    For each topic, ``co[t]`` is the square matrix of the number of windows (u_mass:
    documents) in which each pair of its top words is marked present; its diagonal
    holds the windows (documents) of each word alone.  ``total`` is the number of
    windows (documents).  Windows never cross a document's end, so the counts of
    disjoint sets of documents add up to those of their union: ``a + b`` adds them, and
    :func:`coherence_from_counts` of the sum is the coherence on all the documents.

    Attributes
    ----------
    measure : str
        One of :data:`MEASURES`.
    window_size : int or None
        The sliding window in tokens (``None`` for u_mass: whole documents).
    co : list of numpy.ndarray
        One ``n × n`` integer matrix per topic of ``n`` words, in the topics' word order.
    total : int
        Windows (u_mass: documents) counted.

    Examples
    --------
    Two documents counted apart, then added:

    >>> a = count_coherence([[0, 2]], np.array([0, 1, 2]), np.array([0, 3]), "u_mass")
    >>> b = count_coherence([[0, 2]], np.array([2, 1]), np.array([0, 2]), "u_mass")
    >>> (a + b).co[0].tolist(), (a + b).total
    ([[1, 1], [1, 2]], 2)
    """

    measure: str
    window_size: int | None
    co: list[np.ndarray]
    total: int

    def __add__(self, other: CoherenceCounts) -> CoherenceCounts:
        if not isinstance(other, CoherenceCounts):
            return NotImplemented
        same_topics = len(self.co) == len(other.co) and all(
            a.shape == b.shape for a, b in zip(self.co, other.co, strict=True)
        )
        if (self.measure, self.window_size) != (other.measure, other.window_size) or not (
            same_topics
        ):
            raise ParameterError(
                "other",
                None,
                "counts of different measures, windows or topics cannot be added",
            )
        return CoherenceCounts(
            self.measure,
            self.window_size,
            [a + b for a, b in zip(self.co, other.co, strict=True)],
            self.total + other.total,
        )


def count_coherence(
    topics: Sequence[Sequence[int] | np.ndarray],
    tokens: np.ndarray,
    offsets: np.ndarray,
    measure: str = "c_v",
    *,
    window_size: int | None = None,
    n_terms: int | None = None,
) -> CoherenceCounts:
    """Count the windows (u_mass: documents) in which the topics' words and pairs occur.

    The first half of :func:`coherence_from_ids`: the counts of disjoint sets of
    documents (the shards of a corpus) can be counted apart, added, and scored once
    with :func:`coherence_from_counts`, which gives the coherence on all of them.

    Parameters
    ----------
    topics : sequence of sequences or arrays of int
        Each topic's top term ids, best first.
    tokens : numpy.ndarray
        Term ids of all documents, one after the other (non-negative integers).
    offsets : numpy.ndarray
        ``n_docs + 1`` ascending boundaries into ``tokens``, from 0 to ``len(tokens)``.
    measure : {"c_v", "c_npmi", "c_uci", "u_mass"}
    window_size : int, optional
        As in :func:`coherence`.
    n_terms : int, optional
        Size of the vocabulary (one more than the largest id); found if not given.

    Returns
    -------
    CoherenceCounts

    Raises
    ------
    toolkit.errors.ParameterError
        An unknown measure, a bad window size, bad offsets or term ids.

    Examples
    --------
    >>> tokens, offsets = np.array([0, 1, 2, 0, 2, 3]), np.array([0, 3, 6])
    >>> counts = count_coherence([[0, 2, 3]], tokens, offsets, "c_npmi", window_size=2)
    >>> counts.co[0].tolist(), counts.total
    ([[2, 1, 0], [1, 3, 1], [0, 1, 1]], 4)

    Words 0 and 2 share one of the four windows (``[0, 2]`` of the second document).
    """
    window = _check_measure(measure, window_size)
    tokens = np.asarray(tokens)
    offsets = np.asarray(offsets, dtype=np.int64)
    if offsets.ndim != 1 or len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != len(tokens):
        raise ParameterError("offsets", None, "offsets must run from 0 to len(tokens)")
    if np.any(np.diff(offsets) < 0):
        raise ParameterError("offsets", None, "offsets must ascend")
    topic_ids = [np.asarray(t, dtype=np.int64).ravel() for t in topics]
    if not topic_ids or any(len(t) == 0 for t in topic_ids):
        raise ParameterError("topics", None, "give at least one topic, each with a word")
    if n_terms is None:
        n_terms = int(max(tokens.max(initial=-1), max(int(t.max()) for t in topic_ids))) + 1
    relevant = np.unique(np.concatenate(topic_ids))
    if relevant[0] < 0 or relevant[-1] >= n_terms:
        raise ParameterError("topics", None, f"term ids must lie in 0 … {n_terms - 1}")
    lookup = np.full(n_terms, -1, dtype=np.int64)
    lookup[relevant] = np.arange(len(relevant))
    pos = np.flatnonzero(lookup[tokens] >= 0)
    word = lookup[tokens[pos]]
    doc = np.searchsorted(offsets, pos, side="right") - 1
    local = [lookup[t] for t in topic_ids]  # topic words as indices into ``relevant``
    if window is None:
        n_docs = len(offsets) - 1
        counts = _document_counts(word, doc, len(relevant), n_docs)
        return CoherenceCounts(measure, None, [counts[np.ix_(t, t)] for t in local], n_docs)
    lengths = np.diff(offsets)
    n_windows = np.maximum(1, lengths - window + 1)
    total = int(n_windows.sum())
    starts, ends, bounds = _window_intervals(
        word, pos - offsets[doc], doc, n_windows, window, len(relevant)
    )
    co = [_interval_counts(t, starts, ends, bounds)[1] for t in local]
    return CoherenceCounts(measure, window, co, total)


def coherence_from_counts(
    counts: CoherenceCounts, *, per_topic: bool = False
) -> float | np.ndarray:
    """The coherence of topics from their counts (:func:`count_coherence`, summed).

    Parameters
    ----------
    counts : CoherenceCounts
    per_topic : bool
        Return one value per topic instead of their mean.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> tokens, offsets = np.array([0, 1, 2, 0, 2, 3, 4, 5, 3]), np.array([0, 3, 6, 9])
    >>> counts = count_coherence([[0, 2, 3]], tokens, offsets, "c_npmi", window_size=2)
    >>> round(coherence_from_counts(counts), 6)
    -0.306827
    """
    values = []
    for co in counts.co:
        occ = np.diag(co).copy()
        if counts.measure == "u_mass":
            values.append(_u_mass(co, counts.total))
        elif counts.measure == "c_v":
            values.append(_c_v(occ, co, counts.total))
        else:
            values.append(_direct(occ, co, counts.total, normalize=counts.measure == "c_npmi"))
    out = np.array(values, dtype=float)
    return out if per_topic else float(np.mean(out))


# ----------------------------------------------------------------------------- counting
def _document_counts(word: np.ndarray, doc: np.ndarray, n_words: int, n_docs: int) -> np.ndarray:
    """Documents containing each word (diagonal) and each pair of words."""
    from scipy import sparse

    pairs = np.unique(doc * n_words + word)
    m = sparse.csr_matrix(
        (np.ones(len(pairs), dtype=np.int64), (pairs // n_words, pairs % n_words)),
        shape=(n_docs, n_words),
    )
    return np.asarray((m.T @ m).todense(), dtype=np.int64)


def _window_intervals(
    word: np.ndarray,
    local: np.ndarray,
    doc: np.ndarray,
    n_windows: np.ndarray,
    window: int,
    n_words: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stretches of windows in which each word is marked present.

    Windows are numbered across documents (document ``d`` owns ``first[d] …
    first[d] + n_windows[d] − 1``).  An occurrence at position ``l`` of its document is
    marked at window ``max(0, l − W + 1)`` (when it enters, or in the first window) and
    unmarked at window ``l + 1`` (when it leaves), unmarking before marking within a step,
    as in gensim's accumulator.  The state of a word at a window is that of its latest
    event, so each marking event opens an interval that lasts until the word's next event
    or its document's end.

    Returns ``starts``, ``ends`` (grouped by word, ascending within each word) and
    ``bounds``: the intervals of word ``i`` are ``bounds[i]:bounds[i + 1]``.
    """
    first = np.zeros(len(n_windows), dtype=np.int64)
    np.cumsum(n_windows[:-1], out=first[1:])
    order = np.argsort(word, kind="stable")  # by word, positions stay ascending
    w, d, loc = word[order], doc[order], local[order]
    span = int(n_windows.sum()) + 1
    # events as one sortable key: word, window, and unmark (0) before mark (1)
    mark = (w * span + first[d] + np.maximum(0, loc - window + 1)) * 2 + 1
    leaves = loc + 1 < n_windows[d]  # the copy leaves while the document still has windows
    unmark = (w[leaves] * span + first[d[leaves]] + loc[leaves] + 1) * 2
    events = np.sort(np.concatenate((mark, unmark)), kind="stable")  # merges two sorted runs
    is_mark = (events & 1).astype(bool)
    ew, et = np.divmod(events >> 1, span)
    nxt = np.empty_like(et)
    nxt[:-1] = np.where(ew[1:] == ew[:-1], et[1:], np.iinfo(np.int64).max)
    nxt[-1:] = np.iinfo(np.int64).max
    starts = et[is_mark]
    dd = np.searchsorted(first, starts, side="right") - 1
    ends = np.minimum(nxt[is_mark], first[dd] + n_windows[dd])
    keep = ends > starts
    starts, ends, owner = starts[keep], ends[keep], ew[is_mark][keep]
    bounds = np.searchsorted(owner, np.arange(n_words + 1))
    return starts, ends, bounds


def _interval_counts(
    topic: np.ndarray, starts: np.ndarray, ends: np.ndarray, bounds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Windows marking each topic word, and each pair of them, from their intervals.

    The words of a block (at most 62) get one bit each; all interval boundaries are
    sorted, the bits toggled with a cumulative XOR, and the length of every stretch
    between two boundaries is added to the code of the words present there.
    """
    n = len(topic)
    co = np.zeros((n, n), dtype=np.int64)
    blocks = [np.arange(i, min(i + _BLOCK, n)) for i in range(0, n, _BLOCK)]
    for bi, a in enumerate(blocks):
        for b in blocks[bi:]:
            members = np.unique(np.concatenate((a, b)))
            sub = _block_counts(topic[members], starts, ends, bounds)
            co[np.ix_(members, members)] = sub
    return np.diag(co).copy(), co


def _block_counts(
    words: np.ndarray, starts: np.ndarray, ends: np.ndarray, bounds: np.ndarray
) -> np.ndarray:
    n = len(words)
    parts = []
    for j, w in enumerate(words.tolist()):
        s, e = bounds[w], bounds[w + 1]
        parts.append(starts[s:e] * 64 + j)
        parts.append(ends[s:e] * 64 + j)
    keys = np.sort(np.concatenate(parts), kind="stable")
    if len(keys) == 0:
        return np.zeros((n, n), dtype=np.int64)
    at, bit = keys >> 6, keys & 63
    code = np.bitwise_xor.accumulate(np.left_shift(np.int64(1), bit))
    lengths = np.diff(at)
    code = code[:-1]
    if n <= 20:
        weight = np.bincount(code, weights=lengths, minlength=1 << n)
        codes = np.flatnonzero(weight)
        weight = weight[codes]
    else:
        codes, inverse = np.unique(code, return_inverse=True)
        weight = np.bincount(inverse, weights=lengths)
    present = ((codes[:, None] >> np.arange(n)) & 1).astype(np.float64)
    return np.rint(present.T @ (present * weight[:, None])).astype(np.int64)


# -------------------------------------------------------------------------- confirmation
def _npmi(occ: np.ndarray, co: np.ndarray, total: int, normalize: bool = True) -> np.ndarray:
    n = float(total)
    joint = co / n + EPSILON
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(joint / ((occ[:, None] / n) * (occ[None, :] / n)))
        return pmi / -np.log(joint) if normalize else pmi


def _direct(occ: np.ndarray, co: np.ndarray, total: int, normalize: bool) -> float:
    m = _npmi(occ, co, total, normalize)
    off = ~np.eye(len(occ), dtype=bool)
    return float(np.mean(m[off]))


def _c_v(occ: np.ndarray, co: np.ndarray, total: int) -> float:
    m = _npmi(occ, co, total)
    v_w = m.sum(axis=0)
    cos = (m @ v_w) / (np.sqrt((m**2).sum(axis=1)) * np.sqrt((v_w**2).sum()))
    return float(np.mean(cos))


def _u_mass(co: np.ndarray, n_docs: int) -> float:
    """u_mass of one topic from its words' document counts (``co``, in rank order)."""
    n = float(n_docs)
    sims = []
    for i in range(1, len(co)):
        for j in range(i):
            star = co[j, j]
            if star == 0:
                sims.append(0.0)
                continue
            joint = co[i, j]
            sims.append(float(np.log((joint / n + EPSILON) / (star / n))))
    return float(np.mean(sims))
