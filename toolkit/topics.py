"""Topic models with gensim's LDA, built straight from the token index.

Preprocessing (:class:`TopicSettings`) works on the index's integer-coded types, so texts
are not tokenised again: case is folded; punctuation, numbers, stopwords (the bundled
list plus a user's domain list) and words shorter than ``min_length`` are dropped; terms are
kept when they occur in at least ``no_below`` documents and in at most a share
``no_above`` of them (the bounds of gensim's ``Dictionary.filter_extremes``), and the
``keep_n`` most frequent survive.  Optionally, gensim's ``Phrases`` joins frequent word
pairs (``security_council``) first.  The bag-of-words corpus is a gensim-compatible
list of sparse rows made from the document × term counts in one vectorised pass.

The model is gensim's ``LdaModel``; with ``workers > 1`` its training E-step is shared
out among processes (:mod:`toolkit.lda`) without changing the model.  Same seed and same
data give the same topics.  Relevance
follows Sievert & Shirley (2014, "LDAvis", ACL workshop):
``λ log φ_kw + (1 − λ) log(φ_kw / p_w)``.  Coherence (c_v, c_npmi, c_uci: Röder, Both &
Hinneburg 2015; u_mass: Mimno et al. 2011) is counted by :mod:`toolkit.coherence` from the
prepared corpus's term arrays, with the definitions and values of gensim's
``CoherenceModel``.  :meth:`TopicModel.group_association` tells how much of each topic's
prevalence a metadata grouping explains (η², Pearson 1905; Cohen 1973).
"""

from __future__ import annotations

import copy
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from numbers import Integral, Real
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._docs import fill_doc
from ._progress import progress_options
from ._validation import (
    Check,
    InstanceOf,
    Interval,
    Renamed,
    StrOptions,
    check_value,
    renamed_arguments,
    validate_params,
)
from .cache import (
    Entry,
    EntryWriter,
    cache_dir,
    canonical_json,
    content_key,
    load_or_build,
    open_entry,
    write_entry,
)
from .coherence import (
    MEASURES,
    CoherenceCounts,
    coherence_from_counts,
    coherence_from_ids,
    count_coherence,
)
from .corpus import Corpus, metadata_columns
from .errors import (
    CacheError,
    CacheWarning,
    EmptyResultError,
    ModelError,
    NotFoundError,
    ParameterError,
    ToolkitWarning,
)
from .index import INDEX_FORMAT
from .lda import train_lda
from .shards import ShardedCorpus, is_sharded
from .stopwords import stopwords as bundled_stopwords
from .tokenize import TOKENIZER_VERSION, search_form

__all__ = [
    "TopicSettings",
    "TopicModel",
    "prepare_topics",
    "fit_topics",
    "sweep_topics",
    "residual_idf",
]

_CHUNKSIZE = 2000  # documents per training chunk (gensim's default)

#: Fitted models kept in this process's memory besides the disk cache, so a notebook that
#: sweeps k and then fits one of the same models (or fits it again) neither re-reads nor
#: re-infers it.  The least recently used model is dropped first; each holds its LDA
#: arrays (k × vocabulary) and, once computed, its document-topic shares.  ``0`` keeps
#: none.  A module constant (``toolkit.topics.MODELS_IN_MEMORY``): the toolkit's options
#: do not include it.
MODELS_IN_MEMORY = 4
_MEMORY: OrderedDict[tuple[str, str], _Remembered] = OrderedDict()


@dataclass
class _Remembered:
    """A fitted model in memory: the LDA as fitted or loaded (its random state untouched,
    so inference gives what a model read from the disk cache gives) and, once inferred,
    the document-topic shares of the corpus it was fitted on."""

    lda: Any
    theta: np.ndarray | None = None


def _remember(key: tuple[str, str], lda: Any) -> _Remembered:
    """Keep ``lda`` (a pristine copy) in memory under ``key``, dropping the least recently
    used model beyond :data:`MODELS_IN_MEMORY`."""
    entry = _Remembered(_private_copy(lda))
    if MODELS_IN_MEMORY > 0:
        _MEMORY[key] = entry
        _MEMORY.move_to_end(key)
        while len(_MEMORY) > MODELS_IN_MEMORY:
            _MEMORY.popitem(last=False)
    return entry


def _recall(key: tuple[str, str]) -> _Remembered | None:
    entry = _MEMORY.get(key)
    if entry is not None:
        _MEMORY.move_to_end(key)
    return entry


def _private_copy(lda: Any) -> Any:
    """A copy of ``lda`` that shares only its dictionary (never changed by training or
    inference): training, inference and their random draws on the copy leave the
    original as it was."""
    return copy.deepcopy(lda, memo={id(lda.id2word): lda.id2word})


def _is_stopword_language(value: Any) -> bool:
    bundled_stopwords(value)  # a ParameterError (caught by Check) for an unknown list
    return True


def _is_word_list(value: Any) -> bool:
    return not isinstance(value, str | bytes) and all(isinstance(w, str) for w in value)


_SETTING_CONSTRAINTS: dict[str, list[Any]] = {
    "stopwords": [
        None,
        Check(_is_stopword_language, "a stopword list's name of tk.stopword_languages()"),
    ],
    "extra_stopwords": [str, Check(_is_word_list, "a list of strings")],
    "min_length": [Interval(Integral, 1, None)],
    "no_below": [Interval(Integral, 1, None)],
    "no_above": [Interval(Real, 0, 1, closed="right")],
    "keep_n": [None, Interval(Integral, 1, None)],
    "phrases": ["boolean"],
    "phrase_min_count": [Interval(Integral, 1, None)],
    "phrase_threshold": [Interval(Real, None, None)],
    "min_residual_idf": [None, Interval(Real, None, None)],
    "residual_idf_min_repeats": [Interval(Real, 0, None, closed="neither")],
}


@fill_doc
@dataclass
class TopicSettings:
    """Preprocessing choices for topic models (all recorded with a saved model).

    Every field is checked when the settings are made (and when
    :func:`prepare_topics` or :func:`fit_topics` apply keyword overrides): a bad value
    raises :class:`toolkit.errors.ParameterError` before any corpus is read.

    Parameters
    ----------
    stopwords : str or None
        {params.stopwords}
        Here the *name* of a bundled list, as :func:`toolkit.stopwords` takes it
        (``"english"``, ``"en"``, ``"french"``, ``"gensim"`` …), removed before the model is
        fitted; ``None`` keeps every word.  A list of one's own words goes to
        ``extra_stopwords``.
    extra_stopwords : list of str
        Words removed as well (one word may be given as a string).
    min_length : int
        Shortest word kept (letters), at least 1.
    no_below : int
        gensim's ``Dictionary.filter_extremes``: a term is kept if it is in at least
        ``no_below`` documents (at least 1) …
    no_above : float
        … and in at most the share ``no_above`` of them (above 0, at most 1) …
    keep_n : int or None
        … and among the ``keep_n`` terms of highest document frequency (``None``: no limit).
    phrases : bool
        Join frequent pairs with gensim's ``Phrases`` (Mikolov et al. 2013); only words
        that are neighbours in the text pair (see :func:`prepare_topics`).
    phrase_min_count : int
        ``Phrases``' ``min_count``: the fewest occurrences of a pair that is joined.
    phrase_threshold : float
        ``Phrases``' ``threshold`` of its default score (Mikolov et al.'s).
    min_residual_idf : float or None
        Corpus-specific stopwords: a word whose residual IDF is below
        ``min_residual_idf`` is removed — a word spread over the documents as evenly as
        chance would spread its occurrences (*make*, *today*, *world* in the paragraphs
        of speeches), which names no topic (see :func:`residual_idf`).  ``None`` keeps
        every word.  The removed words are listed in ``PreparedCorpus.corpus_stopwords``.
    residual_idf_min_repeats : float
        Only words with enough occurrences to tell are judged by ``min_residual_idf``:
        chance alone must put at least ``residual_idf_min_repeats`` of them in a document
        that has the word already (``f − df_expected``); rarer words are kept.

    Notes
    -----
    The defaults, and why:

    - ``stopwords="english"``, ``min_length=3``: the bundled list of function words,
      and words of at least three letters, as the usual gensim recipe (which drops words
      of two letters or fewer).  Words that are frequent in *this* corpus without naming a
      topic are found in the corpus itself, by residual IDF, rather than from a longer
      general list.
    - ``min_residual_idf=0.1``, ``residual_idf_min_repeats=10``: corpus stopwords after
      Church & Gale (1995; see :func:`residual_idf`): a word within 0.1 bit of the
      document frequency chance predicts is spread as evenly as a word without a topic.
    - ``no_below=5``, ``no_above=0.5``: the document-frequency bounds of gensim's
      ``filter_extremes``: a word in fewer than five documents gives too little evidence to
      place it in a topic, one in more than half of them tells few documents apart.  These
      bounds choose the vocabulary.
    - ``keep_n=100_000``: gensim's own default (the plain recipe's), a limit on memory
      that only a very large vocabulary reaches, not a criterion of which words carry
      topics: the bounds above choose the vocabulary.  A smaller limit cuts the words of
      the lowest document frequency that pass ``no_below`` and binds only on large
      corpora, so the vocabulary would depend on the corpus's size.  The earlier default,
      20,000, cut 9,378 of the 29,378 words the bounds keep in the full UN General Debate
      corpus (words in 5–12 of its 10,952 speeches, mostly once in each; 0.9 % of the
      kept tokens) and in neither of the smaller settings of the benchmark, and only
      there were the default topics less coherent than the plain gensim recipe's (c_npmi
      0.011 against 0.022, k = 20, one pass).  With every word the bounds keep, they were
      more coherent than with the limit for six seeds of six by c_v and five of six by
      c_npmi (seeds 1, 2, 3, 7, 8, 9); see the README's "Performance" for the comparison
      with the recipe (``benchmarks/topics.py --only quality``).
    - ``phrases=False``: no pairs are joined unless asked.

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.TopicSettings(no_below=2, extra_stopwords=["nations"]).no_below
    2
    >>> tk.TopicSettings().keep_n
    100000
    """

    stopwords: str | None = "english"
    extra_stopwords: Sequence[str] = field(default_factory=list)
    min_length: int = 3
    no_below: int = 5
    no_above: float = 0.5
    keep_n: int | None = 100_000
    phrases: bool = False
    phrase_min_count: int = 20
    phrase_threshold: float = 10.0
    min_residual_idf: float | None = 0.1
    residual_idf_min_repeats: float = 10.0

    def __post_init__(self) -> None:
        # every field checked when the settings are made (and by ``dataclasses.replace``),
        # so a bad setting fails before any corpus is read
        for f in fields(self):
            value = check_value(f.name, getattr(self, f.name), _SETTING_CONSTRAINTS[f.name])
            object.__setattr__(self, f.name, value)


class BowCorpus:
    """A bag-of-words corpus held in three numpy arrays (compressed sparse rows) and
    streamed to gensim one document at a time: memory grows with the number of distinct
    (document, term) pairs, not with Python lists of tuples.

    Iterating yields each document as gensim's ``[(term_id, count), …]``; ``len`` and
    indexing work as on a list.
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray):
        self.indptr = indptr
        self.indices = indices
        self.data = data

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, i: int) -> list[tuple[int, int]]:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        s, e = self.indptr[i], self.indptr[i + 1]
        return list(zip(self.indices[s:e].tolist(), self.data[s:e].tolist(), strict=True))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def take(self, order: np.ndarray) -> BowCorpus:
        """The documents in the order ``order`` (positions), as a new corpus."""
        order = np.asarray(order, dtype=np.int64)
        starts, ends = self.indptr[order], self.indptr[order + 1]
        lengths = ends - starts
        indptr = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        # the positions of every kept (term, count) pair, document after document
        within = np.arange(int(indptr[-1]), dtype=np.int64) - np.repeat(indptr[:-1], lengths)
        rows = np.repeat(starts, lengths) + within
        return BowCorpus(indptr, self.indices[rows], self.data[rows])

    def doc_lengths(self) -> np.ndarray:
        """Kept tokens per document."""
        cum = np.concatenate(([0], np.cumsum(self.data)))
        return cum[self.indptr[1:]] - cum[self.indptr[:-1]]

    @classmethod
    def from_lists(cls, docs: list[list[tuple[int, int]]]) -> BowCorpus:
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = [p for d in docs for p in d]
        indices = np.array([t for t, _ in flat], dtype=np.int32)
        data = np.array([c for _, c in flat], dtype=np.int64)
        return cls(indptr, indices, data)


@dataclass
class PreparedCorpus:
    """A corpus ready for gensim: its dictionary and streamed bag-of-words (``bow``)."""

    corpus: Corpus
    settings: TopicSettings
    dictionary: Any
    bow: BowCorpus
    _tokens: np.ndarray  # kept term ids in running order, all documents
    _offsets: np.ndarray  # document boundaries in ``_tokens``
    corpus_stopwords: list[str] = field(default_factory=list)
    """Words removed as evenly spread (residual IDF below ``min_residual_idf``), most
    frequent first."""
    phraser: Any = None
    """gensim's frozen ``Phrases`` model that joined the word pairs (with
    ``settings.phrases``; ``None`` otherwise)."""

    def texts(self) -> list[list[str]]:
        """Documents as lists of kept terms, in running order (for coherence measures)."""
        vocab = np.array([self.dictionary[i] for i in range(len(self.dictionary))], dtype=object)
        return [
            vocab[self._tokens[s:e]].tolist()
            for s, e in zip(self._offsets[:-1], self._offsets[1:], strict=True)
        ]


def _dictionary_from_pairs(
    terms: np.ndarray, pair_terms: np.ndarray, pair_counts: np.ndarray, n_docs: int
) -> Any:
    """A gensim Dictionary from (document, term) pair counts, without token lists."""
    from gensim.corpora import Dictionary

    used = np.unique(pair_terms)
    remap = np.full(len(terms), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    compact = remap[pair_terms]
    dictionary = Dictionary()
    dictionary.token2id = {terms[t]: i for i, t in enumerate(used.tolist())}
    dictionary.id2token = {}
    dictionary.dfs = dict(enumerate(np.bincount(compact, minlength=len(used)).tolist()))
    cfs = np.bincount(compact, weights=pair_counts, minlength=len(used)).astype(np.int64)
    dictionary.cfs = dict(enumerate(cfs.tolist()))
    dictionary.num_docs = n_docs
    dictionary.num_pos = int(pair_counts.sum())
    dictionary.num_nnz = len(pair_terms)
    return dictionary


def _settings_with(settings: TopicSettings | None, overrides: dict[str, Any]) -> TopicSettings:
    """A new :class:`TopicSettings`: ``settings`` (or the defaults) with ``overrides``
    applied; the caller's object is never changed."""
    if settings is not None and not isinstance(settings, TopicSettings):
        raise ParameterError(
            "settings", settings, f"settings must be a TopicSettings, not {type(settings).__name__}"
        )
    names = [f.name for f in fields(TopicSettings)]
    for name in overrides:
        if name not in names:
            raise ParameterError(
                name, overrides[name], f"unknown topic setting {name!r}", valid=names
            )
    return replace(settings or TopicSettings(), **overrides)


def _phrase_documents(
    terms: np.ndarray,
    lower: np.ndarray,
    rows: np.ndarray,
    keep: np.ndarray,
    n_docs: int,
    settings: TopicSettings,
    phraser: Any = None,
) -> tuple[list[list[str]], Any]:
    """Documents as lists of kept terms, with gensim's ``Phrases`` detected on the token
    stream as the text has it, *before* stopwords and the other filtered tokens are removed;
    and the frozen phrase model (``phraser``, when given, is applied instead of learning one).

    ``lower`` holds the lower-cased type of every token of the corpus in running order
    (punctuation included) and ``rows`` each token's document.  Only two kept words that
    are neighbours in the text can form a pair: a removed token between them — a
    stopword, a number, punctuation, a short word — or a document boundary separates
    them.  So *acts of aggression* gives no pair (*of* stands between the two words),
    while *the Security Council* gives ``security_council``.  The pairs are learnt on the
    runs of kept words and joined where ``Phrases`` scores them above the threshold.
    """
    from gensim.models.phrases import Phrases

    kept = keep[lower]
    # a run of kept words ends at a removed token and at the end of a document
    new_run = np.ones(len(lower), dtype=bool)
    new_run[1:] = (rows[1:] != rows[:-1]) | ~kept[:-1]
    pos = np.flatnonzero(kept)
    if not len(pos):
        return [[] for _ in range(n_docs)], phraser
    run_of_word = (np.cumsum(new_run) - 1)[pos]
    cuts = np.flatnonzero(np.diff(run_of_word)) + 1
    runs = [r.tolist() for r in np.split(terms[lower[pos]], cuts)]
    run_docs = rows[pos][np.concatenate(([0], cuts))].tolist()
    if phraser is None:
        phraser = Phrases(
            runs,
            min_count=settings.phrase_min_count,
            threshold=settings.phrase_threshold,
            delimiter="_",
        ).freeze()
    docs: list[list[str]] = [[] for _ in range(n_docs)]
    for run, d in zip(runs, run_docs, strict=True):
        docs[d].extend(phraser[run])
    return docs, phraser


@overload
def residual_idf(
    document_frequency: np.ndarray,
    frequency: np.ndarray,
    doc_lengths: np.ndarray,
    expected: Literal[False] = False,
) -> np.ndarray: ...


@overload
def residual_idf(
    document_frequency: np.ndarray,
    frequency: np.ndarray,
    doc_lengths: np.ndarray,
    expected: Literal[True],
) -> tuple[np.ndarray, np.ndarray]: ...


@overload
def residual_idf(
    document_frequency: np.ndarray,
    frequency: np.ndarray,
    doc_lengths: np.ndarray,
    expected: bool,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]: ...


def residual_idf(
    document_frequency: np.ndarray,
    frequency: np.ndarray,
    doc_lengths: np.ndarray,
    expected: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Residual inverse document frequency of words (Church & Gale 1995).

    Church and Gale ("Inverse document frequency (IDF): a measure of deviations from
    Poisson", *Third Workshop on Very Large Corpora*, 1995) compare a word's IDF with the
    IDF it would have if its occurrences fell on the documents independently, as a
    Poisson process: ``RIDF = IDF − IDF_Poisson = log₂(df_expected / df)``.  Content
    words come in bursts — a document that mentions *sanctions* mentions them again — so
    they are found in fewer documents than chance predicts and score well above 0; words
    that name no topic are spread as chance spreads them and score about 0.  Here the
    documents may differ in length: a word with ``f`` occurrences in a corpus of ``T``
    tokens is expected in ``df_expected = Σ_d (1 − exp(−f L_d / T))`` of the documents
    (``L_d`` tokens each), which is Church and Gale's ``N (1 − exp(−f / N))`` when all
    documents have the same length.

    Parameters
    ----------
    document_frequency : numpy.ndarray
        Documents that contain each word (at least 1).
    frequency : numpy.ndarray
        Occurrences of each word.
    doc_lengths : numpy.ndarray
        Tokens of each document (those the frequencies count).
    expected : bool
        Also return ``df_expected``.

    Returns
    -------
    numpy.ndarray
        One value per word, in bits (with ``expected=True``, a pair of arrays: residual
        IDF and ``df_expected``).

    Examples
    --------
    Two documents of 10 tokens; a word found twice, once in each, is spread as chance
    spreads it (expected in ``2 (1 − e⁻¹) = 1.26`` documents, found in 2); one found
    twice in the same document is bursty:

    >>> residual_idf(np.array([2, 1]), np.array([2, 2]), np.array([10, 10])).round(3)
    array([-0.662,  0.338])
    """
    df = np.asarray(document_frequency, dtype=float)
    f = np.asarray(frequency, dtype=float)
    lengths, n = np.unique(np.asarray(doc_lengths, dtype=float), return_counts=True)
    total = float((lengths * n).sum())
    df_expected = np.zeros(len(f))
    for length, count in zip(lengths.tolist(), n.tolist(), strict=True):
        df_expected += count * -np.expm1(-f * length / total)
    ridf = np.log2(df_expected / df)
    return (ridf, df_expected) if expected else ridf


def _even_words(dictionary: Any, settings: TopicSettings, lengths: np.ndarray) -> list[str]:
    """Remove from ``dictionary`` the words spread as evenly as chance would spread them
    (residual IDF below ``settings.min_residual_idf``, among the words in ``no_below``
    documents or more of which chance would repeat ``residual_idf_min_repeats`` in a
    document); return them, most frequent first."""
    threshold = settings.min_residual_idf
    if threshold is None or len(dictionary) == 0 or not np.any(lengths):
        return []
    n = len(dictionary)
    df = np.array([dictionary.dfs.get(i, 0) for i in range(n)], dtype=float)
    cf = np.array([dictionary.cfs.get(i, 0) for i in range(n)], dtype=float)
    candidates = np.flatnonzero(df >= max(settings.no_below, 1))
    if not len(candidates):
        return []
    ridf, df_expected = residual_idf(df[candidates], cf[candidates], lengths, expected=True)
    judged = cf[candidates] - df_expected >= settings.residual_idf_min_repeats
    even = candidates[judged & (ridf < threshold)]
    even = even[np.argsort(-cf[even], kind="stable")]
    words = [str(dictionary[int(i)]) for i in even]
    dictionary.filter_tokens(bad_ids=even.tolist())
    return words


@fill_doc
def prepare_topics(
    corpus: Corpus, settings: TopicSettings | None = None, **kwargs: Any
) -> PreparedCorpus:
    """Preprocess a corpus for topic modelling (see the module documentation).

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
    settings : TopicSettings, optional
        Left unchanged: the prepared corpus gets a copy with ``**kwargs`` applied.
    **kwargs
        Override fields of ``settings``, e.g. ``no_below=2``.

    Returns
    -------
    PreparedCorpus

    Raises
    ------
    toolkit.errors.ParameterError
        A keyword that is not a field of :class:`TopicSettings` (the message lists them).
    ValueError
        When no vocabulary is left; the message says which filter removed it.

    Examples
    --------
    >>> import toolkit as tk
    >>> prep = tk.prepare_topics(tk.load_sample(), no_below=20)
    >>> len(prep.bow), len(prep.dictionary) > 1000
    (371, True)
    """
    settings = _settings_with(settings, kwargs)
    view = corpus.index()
    idx = view.index
    terms = idx.lower_vocab.astype(str)
    keep = _kept_types(idx, terms, settings, strict=True)
    stream = view.token_stream()
    lower = np.asarray(idx.lower, dtype=np.int64)[stream]
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    n_docs = len(view.docs)
    n_terms = len(terms)
    if settings.phrases:
        from gensim.corpora import Dictionary

        doc_lists, phraser = _phrase_documents(terms, lower, rows, keep, n_docs, settings)
        dictionary = Dictionary(doc_lists)
        doc_lengths = np.array([len(d) for d in doc_lists], dtype=np.int64)
    else:
        phraser = None
        ok = keep[lower]
        lower, rows = lower[ok], rows[ok]
        key, counts = np.unique(rows * n_terms + lower, return_counts=True)
        pair_rows, pair_terms = key // n_terms, key % n_terms
        dictionary = _dictionary_from_pairs(terms, pair_terms, counts, n_docs)
        doc_lengths = np.bincount(rows, minlength=n_docs)
    corpus_stop = _even_words(dictionary, settings, doc_lengths)
    n_before = len(dictionary)
    dictionary.filter_extremes(
        no_below=settings.no_below, no_above=settings.no_above, keep_n=settings.keep_n
    )
    if len(dictionary) == 0:
        raise ParameterError(
            "no_below",
            settings.no_below,
            f"no vocabulary left after filter_extremes(no_below={settings.no_below}, "
            f"no_above={settings.no_above}) of {n_before} terms in {n_docs} documents; "
            "lower no_below or raise no_above",
        )
    if settings.phrases:
        bow = BowCorpus.from_lists([dictionary.doc2bow(d) for d in doc_lists])
        ids = [
            np.array(
                [dictionary.token2id[w] for w in d if w in dictionary.token2id], dtype=np.int32
            )
            for d in doc_lists
        ]
        offsets = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum([len(x) for x in ids], out=offsets[1:])
        tokens = np.concatenate(ids) if ids else np.zeros(0, np.int32)
    else:
        new_id = np.full(n_terms, -1, dtype=np.int64)
        for t, i in dictionary.token2id.items():
            new_id[idx.lower_lookup[t]] = i
        pair_new = new_id[pair_terms]
        kept = pair_new >= 0
        indptr = np.searchsorted(pair_rows[kept], np.arange(n_docs + 1))
        bow = BowCorpus(indptr, pair_new[kept].astype(np.int32), counts[kept])
        mapped = new_id[lower]
        keep_tok = mapped >= 0
        tokens = mapped[keep_tok].astype(np.int32)
        offsets = np.searchsorted(rows[keep_tok], np.arange(n_docs + 1))
    return PreparedCorpus(corpus, settings, dictionary, bow, tokens, offsets, corpus_stop, phraser)


def _kept_types(idx: Any, terms: np.ndarray, settings: TopicSettings, strict: bool) -> np.ndarray:
    """Which lower-cased types of the index ``idx`` pass the word filters of ``settings``
    (punctuation, numbers, ``min_length``, stopwords); with ``strict``, a ``ValueError``
    names the filter that leaves no vocabulary."""
    stop = _stopword_set(settings)
    word_types = np.zeros(len(terms), dtype=bool)
    word_types[np.asarray(idx.lower)[idx.is_word]] = True
    alpha = np.array([any(ch.isalpha() for ch in t) for t in terms], dtype=bool)
    long_enough = np.array([len(t) >= settings.min_length for t in terms], dtype=bool)
    not_stop = np.array([t not in stop for t in terms], dtype=bool)
    steps = [
        ("punctuation", word_types),
        ("numbers", alpha),
        (f"min_length={settings.min_length}", long_enough),
        ("stopwords", not_stop),
    ]
    keep = np.ones(len(terms), dtype=bool)
    for name, mask in steps:
        keep &= mask
        if strict and not keep.any():
            raise EmptyResultError(f"no vocabulary left after removing {name}")
    return keep


def _reference_tokens(
    corpus: Corpus, settings: TopicSettings, terms: Sequence[str], phraser: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The documents of ``corpus`` preprocessed as a model's training documents were:
    the word filters of ``settings``, the phrases of the training corpus's ``phraser``
    (when ``settings.phrases``), then every token whose term is not among the model's
    ``terms`` left out.  Returns the term ids (positions in ``terms``) in running order
    and the documents' boundaries in them."""
    view = corpus.index()
    idx = view.index
    types = idx.lower_vocab.astype(str)
    n_docs = len(view.docs)
    keep = _kept_types(idx, types, settings, strict=False)
    lower = np.asarray(idx.lower, dtype=np.int64)[view.token_stream()]
    rows = np.repeat(np.arange(n_docs), view.doc_lengths)
    if settings.phrases:
        docs, _ = _phrase_documents(types, lower, rows, keep, n_docs, settings, phraser)
        ids = pd.Index(list(terms)).get_indexer(pd.Index([w for d in docs for w in d]))
        doc_of = np.repeat(np.arange(n_docs), [len(d) for d in docs])
    else:
        type_ids = np.where(keep, pd.Index(list(terms)).get_indexer(pd.Index(types)), -1)
        ids, doc_of = type_ids[lower], rows
    ok = ids >= 0
    tokens = ids[ok].astype(np.int64)
    offsets = np.searchsorted(doc_of[ok], np.arange(n_docs + 1))
    return tokens, offsets


def _coherence_part(
    corpus: Corpus,
    settings: TopicSettings,
    terms: Sequence[str],
    phraser: Any,
    topics: list[np.ndarray],
    measure: str,
) -> CoherenceCounts:
    """Task: the coherence counts of ``topics`` (term ids) on one corpus or shard."""
    tokens, offsets = _reference_tokens(corpus, settings, terms, phraser)
    return count_coherence(topics, tokens, offsets, measure, n_terms=len(terms))


# --------------------------------------------------------------------------- storage
# A model is stored as arrays and JSON (never pickled) and rebuilt as an LdaModel on load.
_MODEL_FORMAT = 1
_CACHE_KIND = "topic-model"  # a fitted model in the cache
_SAVED_KIND = "saved-topic-model"  # a model saved by the user, with its metadata
_SHARES_KIND = "topic-shares"  # the document-topic shares of a cached model's corpus
_LDA_SETTINGS = (
    "iterations",
    "gamma_threshold",
    "minimum_probability",
    "minimum_phi_value",
    "per_word_topics",
    "chunksize",
    "passes",
    "update_every",
    "eval_every",
    "decay",
    "offset",
    "num_updates",
    "optimize_alpha",
    "optimize_eta",
)


def _stopword_set(settings: TopicSettings) -> set[str]:
    """The stopwords removed under ``settings``: the bundled list and the user's words."""
    stop = set(bundled_stopwords(settings.stopwords)) if settings.stopwords else set()
    extra = settings.extra_stopwords
    # one word given as a string is that word, not its letters (as the cache key records it)
    stop |= {search_form(w) for w in ([extra] if isinstance(extra, str) else extra)}
    return stop


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars, tuples and sets made plain JSON (sets sorted)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"{type(value).__name__} is not a plain value")


def _settings_json(settings: TopicSettings) -> dict[str, Any]:
    """The settings as JSON; ``extra_stopwords`` as a sorted list of distinct words, so a
    set gives the same value in every process."""
    d = _plain({f.name: getattr(settings, f.name) for f in fields(settings)})
    extra = settings.extra_stopwords
    d["extra_stopwords"] = sorted({str(w) for w in ([extra] if isinstance(extra, str) else extra)})
    return d


def _prior_json(prior: Any) -> Any:
    """gensim's ``alpha``/``eta`` as JSON: a name, ``None``, or exact numbers."""
    if prior is None or isinstance(prior, str):
        return prior
    if isinstance(prior, bool | np.bool_):
        raise TypeError("a prior cannot be a boolean")
    arr = np.asarray(prior, dtype=float)
    return {"shape": list(arr.shape), "values": arr.ravel().tolist()}


def _cache_params(
    prepared: PreparedCorpus,
    k: int,
    seed: int,
    passes: int,
    iterations: int,
    alpha,
    eta,
    shuffle: bool = True,
) -> dict[str, Any] | None:
    """Everything a fitted model depends on, or ``None`` if something cannot be named
    exactly (the model is then fitted and not cached).  The number of training processes
    is not part of it: they train the same model (:mod:`toolkit.lda`)."""
    import gensim

    try:
        params = {
            "corpus": prepared.corpus.fingerprint,
            "tokenizer": TOKENIZER_VERSION,
            "index_format": INDEX_FORMAT,
            "settings": _settings_json(prepared.settings),
            "stopwords": sorted(_stopword_set(prepared.settings)),
            "k": int(k),
            "seed": int(seed),
            "passes": int(passes),
            "iterations": int(iterations),
            "alpha": _prior_json(alpha),
            "eta": _prior_json(eta),
            "chunksize": _CHUNKSIZE,
            "shuffle": bool(shuffle),
            "gensim": gensim.__version__,
            "model_format": _MODEL_FORMAT,
        }
        canonical_json(params)
    except (TypeError, ValueError):
        return None
    return params


def _write_lda(writer: EntryWriter, lda: Any) -> None:
    """Store an LdaModel as arrays and JSON: all that its topics and inference use."""
    d = lda.id2word
    n = int(lda.num_terms)
    if sorted(d.keys()) != list(range(n)):
        raise ValueError("the model's dictionary does not number its terms 0 … n − 1")
    name, keys, pos, has_gauss, cached = lda.random_state.get_state(legacy=True)
    writer.array("expelogbeta", lda.expElogbeta)
    writer.array("sstats", lda.state.sstats)
    writer.array("state_eta", lda.state.eta)
    writer.array("alpha", lda.alpha)
    writer.array("eta", lda.eta)
    writer.array("random_keys", keys)
    dfs, cfs = getattr(d, "dfs", {}), getattr(d, "cfs", {})
    writer.json(
        "dictionary",
        {
            "terms": [d[i] for i in range(n)],
            "dfs": [int(dfs.get(i, 0)) for i in range(n)],
            "cfs": [int(cfs.get(i, 0)) for i in range(n)],
            "num_docs": int(getattr(d, "num_docs", 0)),
            "num_pos": int(getattr(d, "num_pos", 0)),
            "num_nnz": int(getattr(d, "num_nnz", 0)),
        },
    )
    info = {name: _plain(getattr(lda, name)) for name in _LDA_SETTINGS}
    info.update(
        num_topics=int(lda.num_topics),
        num_terms=n,
        dtype=str(np.dtype(lda.dtype)),
        numdocs=int(lda.state.numdocs),
        random_state=[str(name), int(pos), int(has_gauss), float(cached)],
    )
    writer.json("lda", info)


def _need(ok: Any, what: str) -> None:
    if not ok:
        raise ValueError(what)


_NUMBER = (int, float)
_SETTING_TYPES: dict[str, tuple[type, ...]] = {
    "iterations": (int,),
    "gamma_threshold": _NUMBER,
    "minimum_probability": _NUMBER,
    "minimum_phi_value": _NUMBER,
    "per_word_topics": (bool,),
    "chunksize": (int,),
    "passes": (int,),
    "update_every": (int,),
    "eval_every": (int, type(None)),
    "decay": _NUMBER,
    "offset": _NUMBER,
    "num_updates": (int,),
    "optimize_alpha": (bool,),
    "optimize_eta": (bool,),
}


def _read_lda(entry: Entry) -> Any:
    """Rebuild the LdaModel stored by :func:`_write_lda`; ``CacheError`` if inconsistent."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    try:
        info, dj = entry.json("lda"), entry.json("dictionary")
        _need(isinstance(info, dict) and isinstance(dj, dict), "not JSON objects")
        k, n, dtype = info["num_topics"], info["num_terms"], info["dtype"]
        _need(type(k) is int and type(n) is int and k >= 1 and n >= 1, "sizes")
        _need(dtype in ("float32", "float64"), "dtype")
        terms = dj["terms"]
        _need(isinstance(terms, list) and len(terms) == n, "number of terms")
        _need(all(type(t) is str for t in terms) and len(set(terms)) == n, "terms")
        counts = [dj["dfs"], dj["cfs"]]
        _need(all(isinstance(c, list) and len(c) == n for c in counts), "term counts")
        _need(all(type(x) is int for c in counts for x in c), "term counts")
        arrays = {}
        for name, shapes in [
            ("expelogbeta", [(k, n)]),
            ("sstats", [(k, n)]),
            ("state_eta", [(n,), (k, n)]),
            ("eta", [(n,), (k, n)]),
            ("alpha", [(k,)]),
        ]:
            arr = entry.array(name, dtypes=(dtype,))
            _need(arr.shape in shapes and np.isfinite(arr).all(), f"{name} array")
            arrays[name] = arr
        keys = entry.array("random_keys", dtypes=("uint32",), ndim=1)
        rs_name, rs_pos, rs_gauss, rs_cached = info["random_state"]
        _need(rs_name == "MT19937" and len(keys) == 624, "random state")
        dictionary = Dictionary()
        dictionary.token2id = {t: i for i, t in enumerate(terms)}
        dictionary.dfs = dict(enumerate(dj["dfs"]))
        dictionary.cfs = dict(enumerate(dj["cfs"]))
        dictionary.num_docs, dictionary.num_pos = int(dj["num_docs"]), int(dj["num_pos"])
        dictionary.num_nnz = int(dj["num_nnz"])
        settings = {name: info[name] for name in _LDA_SETTINGS}
        for name, value in settings.items():
            ok = type(value) in _SETTING_TYPES[name] and not (
                type(value) is float and not np.isfinite(value)
            )
            _need(ok, f"setting {name}")
        lda = LdaModel(
            id2word=dictionary,
            num_topics=k,
            alpha=arrays["alpha"],
            eta=arrays["eta"],
            dtype=np.dtype(dtype).type,
            random_state=0,
            **{
                name: settings[name]
                for name in _LDA_SETTINGS
                if name not in ("num_updates", "optimize_alpha", "optimize_eta")
            },
        )
        lda.num_updates = int(settings["num_updates"])
        lda.optimize_alpha = bool(settings["optimize_alpha"])
        lda.optimize_eta = bool(settings["optimize_eta"])
        lda.state.sstats = arrays["sstats"]
        lda.state.eta = arrays["state_eta"]
        lda.state.numdocs = int(info["numdocs"])
        lda.expElogbeta = arrays["expelogbeta"]
        lda.random_state.set_state(("MT19937", keys, int(rs_pos), int(rs_gauss), float(rs_cached)))
    except CacheError:
        raise
    except (KeyError, TypeError, ValueError, AssertionError, IndexError) as err:
        raise CacheError(f"{entry.folder}: not a usable topic model ({err})") from err
    return lda


@fill_doc
class TopicModel:
    """A fitted topic model: gensim's LDA plus the corpus it was fitted on.

    Use ``model.gensim`` for gensim's own API.  ``model.labels`` (settable) names the
    topics in every table and plot.  Create it with :func:`fit_topics` (or
    :meth:`TopicModel.load`), not directly.

    Parameters
    ----------
    lda : gensim.models.LdaModel
        The fitted model (``model.gensim``).
    prepared : PreparedCorpus or None
        The prepared corpus it was fitted on; ``None`` for a model loaded from disk.
    meta : pandas.DataFrame
        Metadata of the documents, indexed by ``doc_id``, with their numbers of kept
        tokens in ``_tokens``.
    doc_topics : numpy.ndarray or None
        Documents × topics shares, or ``None`` to infer them on first use.
    settings : TopicSettings
        The preprocessing settings.
    fingerprint : str
        Fingerprint of the corpus's texts.
    seed : int or None
        {params.seed}
        The seed the model was fitted with.
    labels : sequence of str, optional
        Topic labels (default ``"topic 0"``, ``"topic 1"``, …).

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> texts = ["peace security council peace", "trade economy growth trade"] * 10
    >>> c = tk.from_dataframe(pd.DataFrame({"text": texts}))
    >>> settings = tk.TopicSettings(no_below=1, no_above=1.0)
    >>> model = tk.fit_topics(c, k=2, seed=1, settings=settings)
    >>> model.k, model.doc_topics().shape
    (2, (20, 2))
    """

    def __init__(
        self,
        lda: Any,
        prepared: PreparedCorpus | None,
        meta: pd.DataFrame,
        doc_topics: np.ndarray | None,
        settings: TopicSettings,
        fingerprint: str,
        seed: int | None,
        labels: Sequence[str] | None = None,
    ):
        self.gensim = lda
        self.prepared = prepared
        self.meta = meta
        self._doc_topics = doc_topics
        self.settings = settings
        self.fingerprint = fingerprint
        self.seed = seed
        self.k = lda.num_topics
        self._labels = list(labels) if labels else [f"topic {i}" for i in range(self.k)]
        self._remembered: _Remembered | None = None
        self._shares_entry: tuple[Path, str, dict] | None = None
        #: What the model was fitted on, when not the whole corpus given (a sharded
        #: corpus is modelled from a sample of its documents); ``None`` otherwise.
        self.trained_on: str | None = None

    @property
    def _theta(self) -> np.ndarray:
        """Document-topic shares, inferred on first use (gensim's variational inference)."""
        if self._doc_topics is None:
            if self.prepared is None:
                raise ModelError(
                    "this model was saved without document-topic shares: fit it again, or "
                    "give the texts to transform()"
                )
            remembered = self._remembered
            pristine = remembered is not None and np.array_equal(
                self.gensim.expElogbeta, remembered.lda.expElogbeta
            )
            if remembered is None or not pristine:
                self._doc_topics = _doc_topic_matrix(self.gensim, self.prepared.bow)
            else:  # inferred from the model as fitted, whatever was done with this copy
                lda = _private_copy(remembered.lda)
                self._doc_topics = _doc_topic_matrix(lda, self.prepared.bow)
                remembered.theta = self._doc_topics.copy()  # for the next fit here
                if self._shares_entry is not None:  # and in the next process
                    _write_shares(*self._shares_entry, self._doc_topics)
        return self._doc_topics

    @property
    def labels(self) -> list[str]:
        """The topics' labels, in topic order (``"topic 0"`` … until set to others: k
        distinct strings)."""
        return list(self._labels)

    @labels.setter
    def labels(self, labels: Sequence[str]) -> None:
        if len(labels) != self.k or len(set(labels)) != self.k:
            raise ParameterError(
                "labels", list(labels), f"give {self.k} distinct labels, not {list(labels)}"
            )
        self._labels = [str(x) for x in labels]

    def __repr__(self) -> str:
        return f"<TopicModel k={self.k}, {len(self.meta)} documents, seed={self.seed}>"

    def _topic_label(self, topic: Any) -> str:
        """The label of a topic given by number (0 … k − 1, or negative from the end, as a
        list) or by label; a :class:`~toolkit.errors.NotFoundError` listing the labels
        otherwise."""
        if isinstance(topic, int | np.integer) and not isinstance(topic, bool):
            if -self.k <= topic < self.k:
                return self._labels[topic]
            raise NotFoundError(
                "topic",
                topic,
                f"no topic {topic}: the model has {self.k} topics, numbered 0 to {self.k - 1}",
                valid=self._labels,
            )
        if isinstance(topic, str) and topic in self._labels:
            return topic
        raise NotFoundError("topic", topic, f"no topic {topic!r}", valid=self._labels)

    def _group_meta(self) -> pd.DataFrame:
        """The documents' metadata without the model's own column (kept tokens)."""
        return self.meta.drop(columns="_tokens", errors="ignore")

    def topic_terms(self, n: int = 10, relevance: float = 1.0) -> pd.DataFrame:
        """Top terms per topic, ranked by relevance (λ = 1: by probability).

        Relevance is LDAvis's (Sievert & Shirley 2014, "LDAvis: A method for visualizing
        and interpreting topics"): ``λ log φ + (1 − λ) log(φ / p(w))``, where ``p(w)`` is
        the term's share of the prepared corpus; a λ below 1 favours terms particular to
        the topic over terms frequent everywhere.

        Parameters
        ----------
        n : int
            Terms per topic.
        relevance : float
            λ, from 0 to 1.

        Returns
        -------
        pandas.DataFrame
            ``topic`` (label), ``rank`` (from 1), ``term``, ``weight`` (φ, the term's
            probability in the topic) and ``relevance``.

        Raises
        ------
        toolkit.errors.ParameterError
            A ``relevance`` outside [0, 1], an ``n`` below 1.

        Examples
        --------
        >>> import toolkit as tk
        >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1, seed=1)
        >>> terms = model.topic_terms(n=3, relevance=0.6)
        >>> terms.columns.tolist(), len(terms)
        (['topic', 'rank', 'term', 'weight', 'relevance'], 12)
        """
        check_value("relevance", relevance, [Interval(Real, 0, 1)])
        check_value("n", n, [Interval(Integral, 1, None)])
        phi = self.gensim.get_topics()
        dictionary = self.gensim.id2word
        cfs = np.array([dictionary.cfs.get(i, 0) for i in range(phi.shape[1])], dtype=float)
        p_w = cfs / cfs.sum()
        with np.errstate(divide="ignore"):
            rel = relevance * np.log(phi) + (1 - relevance) * np.log(phi / p_w)
        rows = []
        for t in range(self.k):
            order = np.argsort(-rel[t], kind="stable")[:n]
            for r, w in enumerate(order, start=1):
                rows.append(
                    (self._labels[t], r, dictionary[int(w)], float(phi[t, w]), float(rel[t, w]))
                )
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "relevance"])

    def doc_topics(self, aggregate: bool = False) -> pd.DataFrame:
        """Documents × topics shares (rows sum to 1), indexed by ``doc_id``.

        Parameters
        ----------
        aggregate : bool
            With a segmented corpus, combine the segments into their parent documents,
            weighted by their numbers of kept tokens.

        Returns
        -------
        pandas.DataFrame
            One row per document, one column per topic label.

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1, seed=1)
        >>> shares = model.doc_topics()
        >>> shares.shape, bool(np.allclose(shares.sum(axis=1), 1))
        ((371, 4), True)
        """
        df = pd.DataFrame(self._theta, index=self.meta.index, columns=self._labels)
        if aggregate and "parent_id" in self.meta.columns:
            w = self.meta["_tokens"].to_numpy(dtype=float)
            weighted = df.mul(w, axis=0)
            weighted["parent_id"] = self.meta["parent_id"].to_numpy()
            g = weighted.groupby("parent_id", sort=False).sum()
            df = g.div(g.sum(axis=1).replace(0, np.nan), axis=0).fillna(1 / self.k)
            df.index.name = "doc_id"
        return df

    @fill_doc
    def prevalence(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Mean topic share per metadata group (segments first combined into documents).

        Parameters
        ----------
        by : str or sequence of str, optional
            {params.by}
            ``None`` (the default): the mean share of each topic over all documents.

        Returns
        -------
        pandas.DataFrame
            Long format: the group columns, ``topic``, ``share``.

        Examples
        --------
        >>> import toolkit as tk
        >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1, seed=1)
        >>> prev = model.prevalence(by="country")
        >>> prev.columns.tolist(), len(prev)  # 6 countries × 4 topics
        (['country', 'topic', 'share'], 24)
        >>> overall = model.prevalence()
        >>> overall.columns.tolist(), round(float(overall["share"].sum()), 6)
        (['topic', 'share'], 1.0)
        """
        dt = self.doc_topics(aggregate=True)
        if by is None:
            return dt.mean().rename("share").rename_axis("topic").reset_index()
        cols = metadata_columns(self._group_meta(), by)
        meta = self.meta
        if "parent_id" in meta.columns:
            meta = meta.drop_duplicates("parent_id").set_index("parent_id")
        frame = pd.concat([meta.loc[dt.index, cols], dt], axis=1)
        out = frame.groupby(cols, observed=True).mean().reset_index()
        return out.melt(cols, var_name="topic", value_name="share")

    def top_documents(self, topic: int | str, n: int = 10) -> pd.DataFrame:
        """The ``n`` documents where a topic is strongest, with its share.

        Parameters
        ----------
        topic : int or str
            The topic's number or label.
        n : int
            Documents to return.

        Returns
        -------
        pandas.DataFrame
            ``share`` and the documents' metadata, indexed by ``doc_id``, strongest first.

        Raises
        ------
        toolkit.errors.NotFoundError
            A topic the model does not have (the message lists them; also a
            ``KeyError``).

        Examples
        --------
        >>> import toolkit as tk
        >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1, seed=1)
        >>> top = model.top_documents(0, n=3)
        >>> len(top), bool(top["share"].is_monotonic_decreasing)
        (3, True)
        """
        check_value("n", n, [Interval(Integral, 1, None)])
        label = self._topic_label(topic)
        dt = self.doc_topics()
        top = dt[label].nlargest(n).rename("share").to_frame()
        return top.join(self.meta.drop(columns="_tokens", errors="ignore"))

    @fill_doc
    def in_context(
        self, corpus: Corpus, topic: int | str, n_terms: int = 5, n_docs: int = 5, window: int = 6
    ) -> Any:
        """Concordance of a topic's top terms in its top documents.

        Parameters
        ----------
        corpus : Corpus
            {params.corpus}
            The corpus the model was fitted on (or one holding its documents).
        topic : int or str
            The topic's number or label.
        n_terms : int
            Top terms searched (by probability); a phrase term ``a_b`` is searched as the
            phrase ``a b``.
        n_docs : int
            Top documents searched (:meth:`top_documents`).
        window : int
            {params.window}

        Returns
        -------
        Concordance

        Examples
        --------
        >>> import toolkit as tk
        >>> un = tk.load_sample()
        >>> model = tk.fit_topics(un, k=4, passes=1, seed=1)
        >>> lines = model.in_context(un, 0, n_terms=2, n_docs=1)
        >>> len(lines.to_frame()) > 0
        True
        """
        from .kwic import kwic

        label = self._topic_label(topic)
        terms = self.topic_terms(n_terms).query("topic == @label")["term"].tolist()
        terms = [t.replace("_", " ") for t in terms]
        docs = self.top_documents(label, n_docs).index.tolist()
        return kwic(corpus.select(docs), terms, window=window)

    @fill_doc
    @renamed_arguments({"topn": Renamed("n")})
    def coherence(
        self,
        measure: str = "c_v",
        n: int = 10,
        per_topic: bool = False,
        corpus: Corpus | ShardedCorpus | None = None,
    ) -> float | pd.Series:
        """Topic coherence of the ``n`` top words, on the corpus the model was fitted on
        or on other reference texts (``corpus``: a whole sharded corpus).

        The reference texts are prepared documents (kept terms in running order), as
        gensim's ``CoherenceModel(model=..., texts=prepared.texts(), dictionary=...)`` gets
        them, and the values are gensim's (see :mod:`toolkit.coherence` for the
        definitions): c_v, c_npmi and c_uci after Röder, Both & Hinneburg (2015, WSDM),
        u_mass after Mimno et al. (2011, EMNLP).  The counts are made with numpy: c_v of
        k = 20 on the full UN General Debate corpus took 1.1 s (0.7 s of CPU) where
        gensim's ``CoherenceModel`` took 399 s of CPU on the same, loaded machine.

        With ``corpus``, its documents are preprocessed exactly as the model's training
        documents were — the same word filters and stopwords of ``model.settings``, the
        training corpus's phrases (``settings.phrases``), then every token whose term is
        not in the model's dictionary left out — and the measure is computed on them.  A
        :class:`~toolkit.shards.ShardedCorpus` is counted shard by shard, in parallel where
        :func:`toolkit.set_scheduler` says: each shard counts the windows (u_mass: the
        documents) in which the top words and their pairs occur, and the counts are
        added.  Windows and documents never cross a document's end, so the sums are the
        counts of the whole corpus and the value is the one its documents give as one
        corpus.  This is how a model fitted on a sample of a sharded corpus
        (:func:`fit_topics` with ``sample``) is scored on all of it.  A top word that does
        not occur in ``corpus`` is left out of its topic, as gensim leaves out words
        missing from ``Dictionary(texts)``.

        Parameters
        ----------
        measure : {"c_v", "c_npmi", "c_uci", "u_mass"}
        n : int
            Top words per topic (by probability, as gensim ranks them).
        per_topic : bool
            One value per topic (a Series indexed by label) instead of their mean.
        corpus : Corpus or ShardedCorpus, optional
            {params.corpus}
            The reference texts (by default the prepared documents the model was fitted
            on).

        Returns
        -------
        float or pandas.Series

        Raises
        ------
        toolkit.errors.ParameterError
            An unknown measure, an ``n`` below 2, a ``corpus`` that is no corpus, or one
            in which no top word of a topic occurs.
            Also no ``corpus`` given when the model was loaded from disk, without its
            corpus.
        toolkit.errors.ModelError
            A loaded model with phrases (its phrase model is not saved).

        Examples
        --------
        >>> import toolkit as tk
        >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1, seed=1)
        >>> -1 <= model.coherence("c_npmi") <= 1
        True
        >>> model.coherence("u_mass", per_topic=True).index.tolist()
        ['topic 0', 'topic 1', 'topic 2', 'topic 3']

        A model fitted on a sample of a sharded corpus, scored on all its documents:

        >>> import tempfile
        >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), progress=False)
        >>> model = tk.fit_topics(store, k=4, passes=1, seed=1, sample=200)
        >>> whole = model.coherence("c_npmi", corpus=store)  # counted shard by shard
        >>> bool(abs(whole - model.coherence("c_npmi", corpus=store.to_corpus())) < 1e-12)
        True
        """
        if measure not in MEASURES:
            raise ParameterError("measure", measure, valid=MEASURES)
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
            raise ParameterError("n", n, "n must be a whole number ≥ 2")
        if corpus is None:
            if self.prepared is None:
                raise ParameterError(
                    "corpus",
                    None,
                    "coherence needs the fitted corpus; this model was loaded: give the "
                    "reference texts as corpus=",
                )
            values = _coherence(self.gensim, self.prepared, measure, int(n), per_topic=True)
        else:
            values = self._coherence_on(corpus, measure, int(n))
        if per_topic:
            return pd.Series(values, index=self._labels, name=measure)
        return float(np.mean(values))

    def _coherence_on(self, corpus: Corpus | ShardedCorpus, measure: str, topn: int) -> np.ndarray:
        """Per-topic coherence on ``corpus``'s documents prepared as the training ones."""
        from gensim import matutils

        if not (is_sharded(corpus) or isinstance(corpus, Corpus)):
            raise ParameterError(
                "corpus",
                type(corpus).__name__,
                "the reference texts must be a Corpus or a ShardedCorpus",
            )
        phraser = self.prepared.phraser if self.prepared is not None else None
        if self.settings.phrases and phraser is None:
            raise ModelError(
                "this model joins phrases and was loaded without its phrase model: fit it "
                "again to score it on other texts"
            )
        dictionary = self.gensim.id2word
        terms = [dictionary[i] for i in range(len(dictionary))]
        topics = [matutils.argsort(t, topn=topn, reverse=True) for t in self.gensim.get_topics()]
        args = (self.settings, terms, phraser, topics, measure)
        if is_sharded(corpus):
            parts = corpus.map(_coherence_part, *args, desc="coherence counts")
            if not parts:
                raise ParameterError("corpus", corpus.name, "the sharded corpus has no documents")
            counts = parts[0]
            for part in parts[1:]:
                counts = counts + part
        else:
            counts = _coherence_part(corpus, *args)
        # a top word absent from the reference texts is left out of its topic
        kept = []
        for i, co in enumerate(counts.co):
            present = np.flatnonzero(np.diag(co) > 0)
            if not len(present):
                words = [terms[w] for w in topics[i]]
                raise ParameterError(
                    "corpus", None, f"no top word of topic {i} occurs in it: {words}"
                )
            kept.append(co[np.ix_(present, present)])
        return np.asarray(
            coherence_from_counts(replace(counts, co=kept), per_topic=True), dtype=float
        )

    @fill_doc
    def group_association(self, by: str | Sequence[str]) -> pd.DataFrame:
        """How much of each topic's prevalence a grouping of the documents explains.

        A topic that merely sorts groups — every speech of one country mostly one topic,
        and that topic nowhere else — is a label for the group, not a theme.  For each
        topic this gives η² (the squared correlation ratio; Pearson 1905, "On the general
        theory of skew correlation and non-linear regression"; as an effect size, Cohen
        1973, *Educational and Psychological Measurement* 33:107–112): the share of the
        variance of the documents' shares of the topic that lies between the groups'
        means,

        ``η² = Σ_g n_g (θ̄_g − θ̄)² / Σ_d (θ_d − θ̄)²``,

        from 0 (every group has the same mean share) to 1 (the share is constant within
        each group).  It is the R² of a one-way analysis of variance of the shares on
        the group.  Documents of a segmented corpus are first combined, as in
        :meth:`prevalence`; documents without a group value are left out.

        Parameters
        ----------
        by : str or sequence of str
            {params.by}
            Several columns group by their combinations.

        Returns
        -------
        pandas.DataFrame
            Indexed by topic label: ``eta_squared``; ``top_group`` (the group with the
            highest mean share; a tuple for several columns); ``top_group_share`` (the
            share of the topic's total weight, Σ_d θ_d, that falls in that group's
            documents) and ``top_group_documents`` (that group's share of the
            documents), sorted by ``eta_squared``, highest first.

        Raises
        ------
        KeyError
            A column the metadata does not have.
        toolkit.errors.ParameterError
            Fewer than two groups.

        Examples
        --------
        >>> import toolkit as tk
        >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1, seed=1)
        >>> assoc = model.group_association(by="country")
        >>> assoc.columns.tolist()
        ['eta_squared', 'top_group', 'top_group_share', 'top_group_documents']
        >>> bool(assoc["eta_squared"].between(0, 1).all())
        True

        A notebook can warn when a topic is mostly a group's label:

        >>> country_topics = assoc.query("eta_squared > 0.5")
        """
        cols = metadata_columns(self._group_meta(), by)
        dt = self.doc_topics(aggregate=True)
        meta = self.meta
        if "parent_id" in meta.columns:
            meta = meta.drop_duplicates("parent_id").set_index("parent_id")
        groups = meta.loc[dt.index, cols]
        ok = groups.notna().all(axis=1).to_numpy()
        dt, groups = dt[ok], groups[ok]
        codes = groups.groupby(cols, observed=True, sort=True).ngroup().to_numpy()
        n_groups = int(codes.max()) + 1 if len(codes) else 0
        if n_groups < 2:
            raise ParameterError(
                "by", by, f"{by!r} gives {n_groups} group(s); η² needs at least two"
            )
        theta = dt.to_numpy(dtype=float)
        size = np.bincount(codes, minlength=n_groups).astype(float)
        sums = np.stack([np.bincount(codes, theta[:, t], n_groups) for t in range(self.k)], 1)
        means = sums / size[:, None]
        grand = theta.mean(axis=0)
        between = (size[:, None] * (means - grand) ** 2).sum(axis=0)
        total = ((theta - grand) ** 2).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            eta2 = np.where(total > 0, between / total, 0.0)
        names = groups.groupby(cols, observed=True, sort=True).size().index
        top = means.argmax(axis=0)
        weight = theta.sum(axis=0)
        out = pd.DataFrame(
            {
                "eta_squared": eta2,
                "top_group": [names[g] for g in top],
                "top_group_share": sums[top, np.arange(self.k)] / weight,
                "top_group_documents": size[top] / len(codes),
            },
            index=pd.Index(self._labels, name="topic"),
        )
        return out.sort_values("eta_squared", ascending=False, kind="stable")

    def save(self, path: str | Path, with_doc_topics: bool = True) -> None:
        """Save the model, its preprocessing settings, labels, corpus fingerprint and
        metadata (and the document-topic shares, unless ``with_doc_topics=False``).

        The folder is an entry of the verified cache (:mod:`toolkit.cache`): arrays as
        ``.npy``, the dictionary, settings and labels as JSON, the metadata as Parquet —
        nothing pickled, so loading it can never run code — and a manifest with a digest
        of every file.  It is written atomically and replaces an earlier saved model; a
        folder that holds anything else is refused.

        Parameters
        ----------
        path : str or pathlib.Path
            A new folder, or one holding a model saved before.
        with_doc_topics : bool
            Store the document-topic shares (inferred now if not yet done).

        Raises
        ------
        toolkit.errors.ParameterError
            ``path`` exists and is not an empty folder or a saved topic model.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> import numpy as np
        >>> import toolkit as tk
        >>> model = tk.fit_topics(tk.load_sample(), k=3, passes=1, seed=2, cache=False)
        >>> model.labels = ["a", "b", "c"]
        >>> folder = Path(tempfile.mkdtemp()) / "model"
        >>> model.save(folder)
        >>> back = tk.TopicModel.load(folder)
        >>> back.labels, np.array_equal(back.gensim.get_topics(), model.gensim.get_topics())
        (['a', 'b', 'c'], True)
        """
        path = Path(path)
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise ParameterError("path", str(path), f"{path} exists and is not a folder")
        if path.exists() and any(path.iterdir()) and not (path / "manifest.json").exists():
            raise ParameterError(
                "path", str(path), f"{path} is not empty and holds no saved topic model"
            )
        # infer first: inference draws from the model's random state, saved below
        theta = self._theta if with_doc_topics or self._doc_topics is not None else None
        params = {
            "fingerprint": self.fingerprint,
            "settings": _settings_json(self.settings),
            "seed": None if self.seed is None else int(self.seed),
            "k": int(self.k),
            "model_format": _MODEL_FORMAT,
        }

        def fill(writer: EntryWriter) -> None:
            _write_lda(writer, self.gensim)
            if theta is not None:
                writer.array("doc_topics", theta)
            writer.json("labels", self._labels)
            try:
                writer.frame("meta", self.meta)
            except (TypeError, ValueError, NotImplementedError) as err:
                text = [c for c in self.meta.columns if self.meta[c].dtype == object]
                warnings.warn(
                    f"metadata columns {text} saved as text: Parquet cannot store them ({err})",
                    ToolkitWarning,
                    stacklevel=3,
                )
                writer.frame("meta", self.meta.astype({c: str for c in text}))

        write_entry(
            path,
            kind=_SAVED_KIND,
            key=content_key(params),
            params=params,
            fill=fill,
            in_cache=False,
        )

    @classmethod
    def load(cls, path: str | Path) -> TopicModel:
        """Load a model written by :meth:`save`, after verifying every file.

        Parameters
        ----------
        path : str or pathlib.Path

        Returns
        -------
        TopicModel
            Without the fitted corpus (``coherence`` needs a refit).

        Raises
        ------
        FileNotFoundError
            No saved topic model in ``path``.
        toolkit.errors.CacheError
            The folder is damaged, or was written by an earlier version (with pickle
            files, which are never loaded: unpickling can run code).

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> tk.TopicModel.load(tempfile.mkdtemp())
        Traceback (most recent call last):
        ...
        FileNotFoundError: ...: no saved topic model here
        """
        path = Path(path)
        if not (path / "manifest.json").exists():
            if (path / "model.json").exists() or (path / "lda.gensim").exists():
                raise CacheError(
                    f"{path}: saved by an earlier version of the toolkit with pickle files, "
                    "which are not loaded because unpickling can run any code; fit the model "
                    "again and save it"
                )
            raise FileNotFoundError(f"{path}: no saved topic model here")
        entry = open_entry(path, kind=_SAVED_KIND, key=None)
        lda = _read_lda(entry)
        params, labels = entry.params, entry.json("labels")
        meta = entry.frame("meta")
        theta = None
        if "doc_topics.npy" in entry.files:
            theta = entry.array("doc_topics", dtypes=("float32", "float64"), ndim=2)
        try:
            _need(isinstance(params, dict) and params.get("k") == lda.num_topics, "k")
            _need(isinstance(labels, list) and len(labels) == lda.num_topics, "labels")
            _need(all(type(x) is str for x in labels) and len(set(labels)) == len(labels), "labels")
            _need(theta is None or theta.shape == (len(meta), lda.num_topics), "doc_topics")
            _need(type(params["seed"]) in (int, type(None)), "seed")
            _need(type(params["fingerprint"]) is str, "fingerprint")
            settings = TopicSettings(**params["settings"])
        except (KeyError, TypeError, ValueError) as err:
            raise CacheError(f"{path}: not a usable saved topic model ({err})") from err
        return cls(lda, None, meta, theta, settings, params["fingerprint"], params["seed"], labels)

    @fill_doc
    def transform(self, corpus: Corpus | ShardedCorpus) -> pd.DataFrame:
        """Topic shares of new documents; at least a fifth of their word tokens must be of
        terms the model knows.

        The documents are prepared with the model's settings (without the frequency
        filters, which need a corpus of their own size) and their known terms inferred
        with gensim.  A :class:`~toolkit.shards.ShardedCorpus` is inferred shard by shard,
        in parallel where :func:`toolkit.set_scheduler` says, each shard prepared on its
        own (its phrases, if ``settings.phrases``, are those found in the shard).

        Parameters
        ----------
        corpus : Corpus or ShardedCorpus
            {params.corpus}
            The new documents.

        Returns
        -------
        pandas.DataFrame
            Documents × topics shares, indexed by ``doc_id``.

        Raises
        ------
        ValueError
            Less than a fifth of the documents' word tokens are of terms the model knows.

        Examples
        --------
        >>> import toolkit as tk
        >>> un = tk.load_sample()
        >>> model = tk.fit_topics(un, k=4, passes=1, seed=1)
        >>> new = un.select(["CHN_01_1946", "JPN_21_1966"])
        >>> model.transform(new).shape
        (2, 4)
        """
        if is_sharded(corpus):
            light = copy.copy(self)
            light.prepared = None  # the training documents do not travel to the workers
            light._doc_topics = None
            light._remembered = None
            light._shares_entry = None
            parts = corpus.map(_transform_part, light, desc="topic shares")
            return pd.concat(parts) if parts else pd.DataFrame(columns=self._labels)
        prep = prepare_topics(
            corpus,
            TopicSettings(
                **{
                    **asdict(self.settings),
                    "no_below": 1,
                    "no_above": 1.0,
                    "keep_n": None,
                    "min_residual_idf": None,
                }
            ),
        )
        known = self.gensim.id2word.token2id
        ours = prep.dictionary.token2id
        id2tok = {i: t for t, i in ours.items()}
        # the share of the documents' word tokens whose term the model knows: a model of the
        # same kind of text knows about half (its filters drop the rarest and the evenly
        # spread terms); one fitted on other texts (another language, another field) few
        freq = prep.dictionary.cfs
        total = sum(freq.values())
        overlap = sum(c for i, c in freq.items() if id2tok[i] in known) / max(total, 1)
        if overlap < 0.2:
            raise ParameterError(
                "corpus",
                corpus.name if hasattr(corpus, "name") else type(corpus).__name__,
                f"only {overlap:.0%} of the documents' word tokens are of terms the model "
                "knows: it was fitted on a corpus with another vocabulary",
            )
        rows = []
        for bow in prep.bow:
            mapped = [(known[id2tok[i]], c) for i, c in bow if id2tok[i] in known]
            dist = self.gensim.get_document_topics(mapped, minimum_probability=0.0)
            rows.append([p for _, p in sorted(dist)])
        return pd.DataFrame(rows, index=corpus.meta.index, columns=self._labels)


def _transform_part(shard: Corpus, model: TopicModel) -> pd.DataFrame:
    """Task: the topic shares of one shard's documents."""
    return model.transform(shard)


def _coherence(
    lda: Any, prepared: PreparedCorpus, measure: str, topn: int = 10, per_topic: bool = False
) -> Any:
    """Coherence of ``lda``'s top words on ``prepared``'s documents: the value of gensim's
    ``CoherenceModel(model=lda, texts=prepared.texts(), dictionary=prepared.dictionary)``
    (u_mass: ``corpus=prepared.bow``, the same documents), counted by
    :mod:`toolkit.coherence` from the term arrays."""
    from gensim import matutils

    if measure not in MEASURES:
        raise ParameterError("coherence", measure, valid=MEASURES)
    topics = [matutils.argsort(t, topn=topn, reverse=True) for t in lda.get_topics()]
    return coherence_from_ids(
        topics,
        prepared._tokens,
        prepared._offsets,
        measure,
        per_topic=per_topic,
        n_terms=len(prepared.dictionary),
    )


def _fit(
    prepared: PreparedCorpus,
    k: int,
    seed: int | None,
    passes: int,
    iterations: int,
    workers: int,
    alpha: Any,
    eta: Any,
    shuffle: bool = True,
) -> Any:
    bow = prepared.bow
    return train_lda(
        bow,
        workers=workers,
        # online LDA's updates assume documents drawn at random (Hoffman, Blei & Bach
        # 2010): a corpus in the order of its files shows each chunk a few sources only
        order=training_order(len(bow), seed) if shuffle else None,
        id2word=prepared.dictionary,
        num_topics=k,
        random_state=seed,
        passes=passes,
        iterations=iterations,
        alpha=alpha,
        eta=eta,
        chunksize=_CHUNKSIZE,
        eval_every=None,
    )


def training_order(n: int, seed: int | None) -> np.ndarray:
    """The order in which :func:`fit_topics` shows the ``n`` documents to online LDA: a
    permutation drawn with ``seed`` (numpy's PCG64; ``None``: unseeded).

    Examples
    --------
    >>> from toolkit.topics import training_order
    >>> sorted(training_order(5, seed=1).tolist())
    [0, 1, 2, 3, 4]
    """
    return np.random.default_rng(seed).permutation(n)


def _usable_cores() -> int:
    """The cores this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_workers(workers: Any) -> int:
    """The number of processes that train the model."""
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise ParameterError("workers", workers, "workers must be a whole number ≥ 1")
    cores = _usable_cores()
    if workers > cores:
        warnings.warn(
            f"workers={workers} is more than the {cores} cores this process may use: the "
            f"processes take turns on them, which is slower than workers={cores} (the model "
            "is the same)",
            ToolkitWarning,
            stacklevel=3,
        )
    return int(workers)


def _doc_topic_matrix(lda: Any, bow: Any, chunk: int = 2000) -> np.ndarray:
    parts = []
    for start in range(0, len(bow), chunk):
        gamma, _ = lda.inference([bow[i] for i in range(start, min(len(bow), start + chunk))])
        parts.append(gamma / gamma.sum(axis=1, keepdims=True))
    return np.concatenate(parts) if parts else np.zeros((0, lda.num_topics))


def _positive_numbers(value: Any) -> bool:
    arr = np.asarray(value)
    return (
        arr.ndim in (1, 2)
        and arr.size > 0
        and arr.dtype.kind in "iuf"
        and bool(np.all(np.isfinite(arr)))
        and bool(np.all(arr > 0))
    )


_POSITIVE = Interval(Real, 0, None, closed="neither")
_PRIOR_NUMBERS = Check(_positive_numbers, "an array of positive numbers")
#: What ``fit_topics`` and ``sweep_topics`` take; checked before any preprocessing.
_FIT_CONSTRAINTS: dict[str, list[Any]] = {
    "seed": [None, Interval(Integral, 0, None)],
    "passes": [Interval(Integral, 1, None)],
    "iterations": [Interval(Integral, 1, None)],
    "workers": [Interval(Integral, 1, None)],
    "alpha": [StrOptions(("auto", "symmetric", "asymmetric")), _POSITIVE, _PRIOR_NUMBERS],
    "eta": [None, StrOptions(("auto", "symmetric")), _POSITIVE, _PRIOR_NUMBERS],
    "settings": [None, InstanceOf(TopicSettings, name="a TopicSettings")],
    "cache": ["boolean"],
    "shuffle": ["boolean"],
}


@fill_doc
@validate_params(
    {
        **_FIT_CONSTRAINTS,
        "k": [Interval(Integral, 2, None)],
        "sample": [Interval(Integral, 2, None)],
    }
)
def fit_topics(
    corpus: Corpus | PreparedCorpus,
    k: int = 10,
    seed: int | None = 0,
    passes: int = 10,
    iterations: int = 50,
    workers: int = 1,
    alpha: Any = "auto",
    eta: Any = None,
    shuffle: bool = True,
    settings: TopicSettings | None = None,
    cache: bool = True,
    sample: int = 20_000,
    **prep_kwargs: Any,
) -> TopicModel:
    """Fit an LDA topic model (gensim) to a corpus.

    Parameters
    ----------
    corpus : Corpus, ShardedCorpus or PreparedCorpus
        {params.corpus}
        It is preprocessed with ``settings``, or it is already the result of
        :func:`prepare_topics`.  Long documents can be modelled as paragraphs:
        ``corpus.segment("paragraph")``; :meth:`TopicModel.prevalence` then combines the
        segments into documents.
    k : int
        {params.k}
        At least 2, at most the number of documents.
    seed : int or None
        {params.seed}
        Here it seeds gensim's random state and the training order (``shuffle``): the
        same seed and data give the same topics; ``None`` draws from numpy's global
        random state (not reproducible) and the model is not cached.
    passes, iterations : int
        gensim's training passes over the corpus and inference iterations per document.
    workers : int
        Processes that train the model: each chunk's documents are shared out among them
        for inference (the E-step, nearly all of the training time), and the model is
        the one a single process trains — the same algorithm (gensim's ``LdaModel``),
        prior (``alpha="auto"`` is learned), draws and topics, to the rounding of
        32-bit sums (:mod:`toolkit.lda`).  The number of processes is not part of the
        cache key.  Worth it when there are idle cores: measured in the README
        ("Performance", ``benchmarks/topics.py --only workers``).
    alpha, eta
        gensim's priors (``alpha="auto"`` learns an asymmetric prior).
    shuffle : bool
        Show the documents to online LDA in an order drawn with ``seed``
        (:func:`training_order`), as Hoffman, Blei & Bach's online variational Bayes
        assumes ("Online learning for latent Dirichlet allocation", NIPS 2010: each
        update is made from documents sampled at random).  A corpus read in the order
        of its files gives each chunk only a few sources, and with few passes the topics
        lean towards the last chunks read: on paragraphs of the bundled speeches
        (ordered by country) one pass gave c_npmi +0.009 shuffled against −0.042 in
        file order (ten seeds; README, "Performance").  ``False`` trains in corpus
        order, as gensim does when given the corpus.
    settings : TopicSettings, optional
        Preprocessing; ``**prep_kwargs`` override its fields.
    cache : bool
        Reuse a model fitted before on the same texts with the same settings, seed and
        training parameters.  The model is kept under the toolkit's cache folder as
        arrays and JSON, never pickled, keyed by everything it depends on: the texts'
        fingerprint, the tokeniser version, the exact stopword list, every setting,
        ``k``, ``seed``, ``passes``, ``iterations``, the priors, ``shuffle``, the chunk
        size and the gensim version.  A cached model is verified
        in full before use; one that is damaged or was built for anything else gives a
        :class:`toolkit.errors.CacheWarning` and is fitted again.  The last
        :data:`MODELS_IN_MEMORY` (4) models fitted or read are also kept in memory,
        with their document-topic shares once computed (which are also cached on disk,
        verified, beside the model: ``topic-shares/<key>``), and each call gets its own copy
        (the same topics and shares as a model read from the disk cache); the least
        recently used is dropped first.  ``cache=False`` neither reads nor keeps any.

    sample : int
        For a :class:`~toolkit.shards.ShardedCorpus`: the model is fitted on a seeded random
        sample of this many of its documents (default 20,000; all if fewer), read into
        memory, and says so in ``model.trained_on``; ignored for other corpora.

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> import toolkit as tk
    >>> model = tk.fit_topics(tk.load_sample(), k=5, passes=2, seed=1)
    >>> model.doc_topics().sum(axis=1).round(6).unique().tolist()
    [1.0]

    A sharded corpus is modelled from a seeded random sample of its documents, as the
    model says; :meth:`TopicModel.transform` then gives every document its shares, shard
    by shard:

    >>> import tempfile
    >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), progress=False)
    >>> model = tk.fit_topics(store, k=4, passes=1, seed=1, sample=200)
    >>> model.trained_on
    'a seeded random sample (seed 1) of 200 of the 371 documents of the sharded corpus'
    >>> model.transform(store).shape
    (371, 4)
    """
    if is_sharded(corpus):
        part = corpus.sample(int(sample), seed=seed)
        model = fit_topics(
            part.to_corpus(),
            k=k,
            seed=seed,
            passes=passes,
            iterations=iterations,
            workers=workers,
            alpha=alpha,
            eta=eta,
            shuffle=shuffle,
            settings=settings,
            cache=cache,
            **prep_kwargs,
        )
        model.trained_on = (
            f"a seeded random sample (seed {seed}) of {len(part):,} of the {len(corpus):,} "
            "documents of the sharded corpus"
            if len(part) < len(corpus)
            else f"all {len(corpus):,} documents of the sharded corpus"
        )
        return model
    workers = _check_workers(workers)
    prepared = (
        corpus
        if isinstance(corpus, PreparedCorpus)
        else prepare_topics(corpus, settings, **prep_kwargs)
    )
    n_docs = len(prepared.bow)
    if k > n_docs:
        raise ParameterError("k", k, f"k={k} topics is more than the {n_docs} documents")
    meta = prepared.corpus.meta.copy()
    meta["_tokens"] = prepared.bow.doc_lengths()

    def fit() -> Any:
        return _fit(prepared, int(k), seed, passes, iterations, workers, alpha, eta, shuffle)

    params = None
    if cache and seed is not None:
        params = _cache_params(prepared, k, seed, passes, iterations, alpha, eta, shuffle)
    remembered = None
    if params is None:
        lda = fit()
    else:
        key = content_key(params)
        memory_key = (str(cache_dir()), key)
        remembered = _recall(memory_key)
    if remembered is not None:
        lda = _private_copy(remembered.lda)
    elif params is not None:
        terms = [prepared.dictionary[i] for i in range(len(prepared.dictionary))]

        def load(entry: Entry) -> Any:
            lda = _read_lda(entry)
            if lda.num_topics != k or [lda.id2word[i] for i in range(lda.num_terms)] != terms:
                raise CacheError(f"{entry.folder}: a model of other topics or terms")
            return lda

        lda = load_or_build(
            cache_dir() / "topics" / key,
            kind=_CACHE_KIND,
            key=key,
            params=params,
            load=load,
            build=fit,
            save=_write_lda,
            what="topic model",
        )
        remembered = _remember(memory_key, lda)
        lda = _private_copy(remembered.lda)
    shares_entry = None
    if params is not None:
        assert remembered is not None  # recalled or remembered above whenever params is set
        shares_entry = (cache_dir() / "topic-shares" / key, key, params)
        if remembered.theta is None:
            remembered.theta = _read_shares(*shares_entry, n_docs=n_docs, k=int(k))
    model = TopicModel(
        lda,
        prepared,
        meta,
        None if remembered is None or remembered.theta is None else remembered.theta.copy(),
        prepared.settings,
        prepared.corpus.fingerprint,
        seed,
    )
    model._remembered = remembered
    model._shares_entry = shares_entry
    return model


def _read_shares(folder: Path, key: str, params: dict, n_docs: int, k: int) -> np.ndarray | None:
    """The document-topic shares cached for the model ``key``, verified; ``None`` if
    there are none (or, with a :class:`CacheWarning`, if they are damaged)."""
    if not folder.exists() and not folder.is_symlink():
        return None
    try:
        entry = open_entry(folder, kind=_SHARES_KIND, key=key, params=params)
        theta = entry.array("doc_topics", dtypes=("float32", "float64"), ndim=2)
        _need(theta.shape == (n_docs, k) and np.isfinite(theta).all(), "shape")
        _need(np.allclose(theta.sum(axis=1), 1.0, atol=1e-4), "rows that sum to 1")
        return np.array(theta)
    except (CacheError, ValueError) as err:
        warnings.warn(
            f"recomputing the document-topic shares: the cached ones are unusable ({err})",
            CacheWarning,
            stacklevel=3,
        )
        return None


def _write_shares(folder: Path, key: str, params: dict, theta: np.ndarray) -> None:
    try:
        write_entry(
            folder,
            kind=_SHARES_KIND,
            key=key,
            params=params,
            fill=lambda writer: writer.array("doc_topics", theta),
        )
    except (OSError, CacheError) as err:
        warnings.warn(
            f"the document-topic shares could not be cached ({err})", CacheWarning, stacklevel=3
        )


_KS = "a non-empty list of whole numbers ≥ 2"


def _are_ks(value: Any) -> bool:
    ks = list(value)
    return bool(ks) and all(
        isinstance(k, Integral) and not isinstance(k, bool) and int(k) >= 2 for k in ks
    )


@fill_doc
@validate_params(
    {
        **{n: c for n, c in _FIT_CONSTRAINTS.items() if n not in ("settings", "cache")},
        "measures": [
            StrOptions(MEASURES),
            Check(
                lambda v: not isinstance(v, str) and bool(v) and set(v) <= set(MEASURES),
                f"a list of measures among {', '.join(MEASURES)}",
            ),
        ],
    },
    renamed={"coherence": Renamed("measures")},
)
def sweep_topics(
    corpus: Corpus | PreparedCorpus,
    ks: Iterable[int] = (5, 10, 15, 20),
    measures: str | Sequence[str] = "c_v",
    seed: int | None = 0,
    passes: int = 10,
    iterations: int = 50,
    workers: int = 1,
    alpha: Any = "auto",
    eta: Any = None,
    shuffle: bool = True,
    progress: bool | None = None,
    **prep_kwargs: Any,
) -> pd.DataFrame:
    """Fit one model per k on the same preprocessed corpus and score its coherence.

    Each model is fitted (or read from the cache) as by :func:`fit_topics` with the
    default priors, and scored on the prepared documents with
    :meth:`TopicModel.coherence` (top 10 words; gensim's values, counted with numpy, so
    scoring takes about a second per measure and model on the full UN corpus, where
    gensim's ``CoherenceModel`` took minutes for c_v).

    Parameters
    ----------
    corpus : Corpus or PreparedCorpus
        {params.corpus}
        Or the result of :func:`prepare_topics`, as in :func:`fit_topics`.
    ks : iterable of int
        Numbers of topics.
    measures : str or sequence of str
        Coherence measures among ``"c_v"``, ``"c_npmi"``, ``"c_uci"``, ``"u_mass"``: c_v, c_npmi
        and c_uci as Röder, Both & Hinneburg define them ("Exploring the space of topic
        coherence measures", WSDM 2015, doi:10.1145/2684822.2685324), u_mass as Mimno
        et al. (EMNLP 2011); see :mod:`toolkit.coherence`.
    seed : int or None
        {params.seed}
        Each model is fitted with this seed, as in :func:`fit_topics`.
    passes, iterations, workers, alpha, eta, shuffle
        As in :func:`fit_topics`.
    progress : bool, optional
        Show a progress bar (by default as the toolkit's ``progress`` option says).
    **prep_kwargs
        Preprocessing settings when ``corpus`` is not prepared yet.

    Returns
    -------
    pandas.DataFrame
        ``k``; per coherence measure its value (the mean over the topics) and
        ``<measure>_se``, the standard error of that mean (the topics' standard deviation
        over √k: how far the value could move with other topics of the same quality, the
        spread a "within one standard error of the best" rule of choosing k uses);
        ``seconds`` (fit and score time).

    Raises
    ------
    toolkit.errors.ParameterError
        An unknown measure, a ``k`` below 2 or a bad training argument, before any model
        is fitted; a ``k`` above the number of documents before the first model.

    Examples
    --------
    >>> import toolkit as tk
    >>> sweep = tk.sweep_topics(tk.load_sample(), ks=[3, 4], measures=["c_v", "u_mass"],
    ...                         passes=1, progress=False)
    >>> sweep.columns.tolist()
    ['k', 'c_v', 'c_v_se', 'u_mass', 'u_mass_se', 'seconds']
    """
    measures = [measures] if isinstance(measures, str) else list(measures)
    # an iterator is read once, here, then checked
    if isinstance(ks, str | bytes) or not isinstance(ks, Iterable):
        raise ParameterError("ks", ks, f"ks={ks!r} is not valid: ks must be {_KS}")
    ks = [int(k) for k in check_value("ks", list(ks), [Check(_are_ks, _KS)])]
    workers = _check_workers(workers)
    prepared = (
        corpus if isinstance(corpus, PreparedCorpus) else prepare_topics(corpus, **prep_kwargs)
    )
    too_many = [k for k in ks if k > len(prepared.bow)]
    if too_many:
        raise ParameterError(
            "ks", too_many, f"k={too_many[0]} topics is more than the {len(prepared.bow)} documents"
        )
    rows = []
    for k in tqdm(ks, desc="topic models", **progress_options(progress)):
        t0 = time.perf_counter()
        model = fit_topics(
            prepared,
            k=k,
            seed=seed,
            passes=passes,
            iterations=iterations,
            workers=workers,
            shuffle=shuffle,
            alpha=alpha,
            eta=eta,
        )
        row: dict[str, Any] = {"k": k}
        for m in measures:
            values = np.asarray(_coherence(model.gensim, prepared, m, per_topic=True))
            row[m] = float(values.mean())
            row[f"{m}_se"] = float(values.std(ddof=1) / np.sqrt(len(values)))
        row["seconds"] = time.perf_counter() - t0
        rows.append(row)
    return pd.DataFrame(rows)
