"""Word embeddings: Word2Vec models, semantic change across periods, and embedding scores.

Three tools that measure meaning with word vectors (gensim's Word2Vec; Mikolov et al. 2013,
"Distributed representations of words and phrases and their compositionality", NeurIPS):

:func:`fit_embeddings`
    One model from a corpus's token stream (:func:`toolkit.tokens`: one sentence per list by
    default; any layer, e.g. ``layer="lemma"`` or ``"stem"``), cached by the content of the
    training data and every setting, as arrays and JSON (never pickled).  The result,
    :class:`Embeddings`, answers ``most_similar``, ``similarity``, ``neighbours`` and
    ``vectors``, and exports to gensim's ``KeyedVectors`` and to the word2vec format;
    :func:`load_embeddings` reads pretrained vectors in that format.
:func:`fit_period_embeddings`
    One model per period (``by="decade"`` or any metadata column), trained in parallel
    processes, aligned to a common space with orthogonal Procrustes on the shared
    vocabulary (Hamilton, Leskovec & Jurafsky 2016, "Diachronic word embeddings reveal
    statistical laws of semantic change", ACL).  Several seeds or bootstrap samples of the
    documents (``runs=``) show how stable each similarity and change score is (Antoniak &
    Mimno 2018, "Evaluating the stability of embedding-based word similarities", TACL).
    :class:`PeriodEmbeddings` gives neighbours per period, similarities per period, change
    scores and the most changed words.
:func:`embedding_scores`
    Vectors of documents, sentences or groups (SIF weights, Arora, Liang & Ma 2017, "A simple
    but tough-to-beat baseline for sentence embeddings", ICLR; or tf-idf; or none) scored
    against pole word lists: similarity to each pole's centroid, Gennaro & Ash's (2022)
    emotionality ratio, a difference, or Latent Semantic Scaling of seed words
    (Watanabe 2021).

Why gensim is fed from arrays: the token stream is computed once into an integer-coded
array (4 bytes a token) and each epoch turns blocks of it into lists of strings, so the
training sentences are never held as Python lists, and the content hash that keys the cache
is a digest of those arrays.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xxhash
from tqdm.auto import tqdm

from ._docs import fill_doc
from ._progress import progress_options
from ._validation import (
    Check,
    Interval,
    Options,
    Renamed,
    StrOptions,
    renamed_arguments,
    validate_params,
)
from .cache import Entry, EntryWriter, cache_dir, canonical_json, content_key, load_or_build
from .errors import CacheError, NotFoundError, ParameterError
from .shards import ShardedCorpus, is_sharded

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = [
    "Embeddings",
    "PeriodEmbeddings",
    "fit_embeddings",
    "fit_period_embeddings",
    "load_embeddings",
    "align",
    "embedding_scores",
    "word_polarity",
    "pole_lists",
]

#: Bumped when the stored form of a model changes.
EMBEDDINGS_FORMAT = 1
#: gensim's Word2Vec trains on at most this many tokens of one list (longer lists are cut
#: there); longer units are split into pieces of this length before training.
MAX_UNIT = 10_000
_STREAM_OPTIONS = ("case_sensitive", "punct", "numbers", "split_hyphens", "min_length")
_CACHE_KIND = "word2vec"


# --------------------------------------------------------------------------- training data
def _at_least(count: int | None, min_count: int) -> bool:
    """Whether a word's count reaches ``min_count`` (a model without counts keeps it)."""
    return count is None or count >= min_count


@dataclass
class _Units:
    """A token stream as arrays: ids into ``vocab``, unit boundaries, each unit's document."""

    ids: np.ndarray  # int32, all kept tokens in corpus order
    offsets: np.ndarray  # int64, len(units) + 1
    vocab: np.ndarray  # object array of str
    doc: np.ndarray  # int64, position of each unit's document in the corpus
    number: np.ndarray  # int64, the unit's sentence number in its document (0 for documents)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def subset(self, units: np.ndarray) -> _Units:
        """The given units (in the given order, repeats allowed)."""
        units = np.asarray(units, dtype=np.int64)
        lengths = self.offsets[units + 1] - self.offsets[units]
        offsets = np.zeros(len(units) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        starts = np.repeat(self.offsets[units] - offsets[:-1], lengths)
        idx = starts + np.arange(int(offsets[-1]), dtype=np.int64)
        return _Units(self.ids[idx], offsets, self.vocab, self.doc[units], self.number[units])

    def split_long(self, limit: int = MAX_UNIT) -> _Units:
        """Units longer than ``limit`` tokens cut into consecutive pieces of ``limit``."""
        lengths = np.diff(self.offsets)
        if len(lengths) == 0 or int(lengths.max()) <= limit:
            return self
        pieces = np.maximum(1, -(-lengths // limit))
        cuts = [
            np.arange(s, e, limit) if e > s else np.array([s])
            for s, e in zip(self.offsets[:-1], self.offsets[1:], strict=True)
        ]
        offsets = np.concatenate([*cuts, self.offsets[-1:]]).astype(np.int64)
        owner = np.repeat(np.arange(len(lengths)), pieces)
        return _Units(self.ids, offsets, self.vocab, self.doc[owner], self.number[owner])

    def digest(self) -> str:
        """XXH3-128 of the ids, the boundaries and the vocabulary: the content of the data."""
        h = xxhash.xxh3_128()
        for arr in (np.ascontiguousarray(self.ids, dtype="<i4"), self.offsets.astype("<i8")):
            h.update(len(arr).to_bytes(8, "little"))
            h.update(arr.tobytes())
        text = canonical_json(self.vocab.tolist()).encode("ascii")
        h.update(len(text).to_bytes(8, "little"))
        h.update(text)
        return h.hexdigest()


class _Sentences:
    """A restartable iterable of ``list[str]`` over :class:`_Units`, for gensim."""

    def __init__(self, units: _Units, block: int = 1 << 20) -> None:
        self.units = units
        self.block = block

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[list[str]]:
        u = self.units
        offsets = u.offsets
        n = len(offsets) - 1
        i = 0
        while i < n:
            # units of this block: at least one, up to about ``block`` tokens
            j = int(np.searchsorted(offsets, offsets[i] + self.block, side="right")) - 1
            j = min(max(j, i + 1), n)
            a, b = int(offsets[i]), int(offsets[j])
            strings = u.vocab[u.ids[a:b]].tolist()
            local = (offsets[i : j + 1] - a).tolist()
            for k in range(j - i):
                yield strings[local[k] : local[k + 1]]
            i = j


def _sentence_starts(
    corpus: Corpus, view: Any, model: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First token position, document (position in the view) and number of every sentence.

    The sentences of :func:`toolkit.segment` (Punkt trained on the corpus, inside
    paragraphs; :func:`toolkit.segment.sentence_spans` one document at a time), mapped to
    token positions through the index's character offsets: the same sentences as
    ``tk.tokens(corpus, unit="sentence")``, found several times faster and without building a
    corpus of sentences.  A corpus loaded with its own sentences (CoNLL-U, VRT,
    ``from_tokens``) keeps them.  ``model``: the Punkt model to use instead (that of a
    whole sharded corpus, for one of its shards).
    """
    from .token_streams import sentence_starts

    if "s" in getattr(corpus, "structures", ()):
        starts, labels = sentence_starts(corpus, view, progress=False)
        position = {d: i for i, d in enumerate(view.doc_ids)}
        doc = np.array([position[d] for d, _ in labels], dtype=np.int64)
        number = np.array([k for _, k in labels], dtype=np.int64)
        return starts, doc, number
    from .segment import SentenceSplitter, sentence_spans, train_sentence_model

    splitter = SentenceSplitter(train_sentence_model(corpus) if model is None else model)
    index = view.index
    starts_parts, doc_parts, number_parts = [], [], []
    for d, (s, e, text) in enumerate(
        zip(np.asarray(view.starts), np.asarray(view.ends), corpus.texts(), strict=True)
    ):
        spans = sentence_spans(text, splitter)
        if not spans:
            continue
        first = np.asarray([a for a, _ in spans], dtype=np.int64)
        cs = np.asarray(index.char_start[s:e])
        starts_parts.append(s + np.searchsorted(cs, first, side="left"))
        doc_parts.append(np.full(len(spans), d, dtype=np.int64))
        number_parts.append(np.arange(len(spans), dtype=np.int64))
    if not starts_parts:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return np.concatenate(starts_parts), np.concatenate(doc_parts), np.concatenate(number_parts)


_UNITS_MEMO: dict[str, _Units] = {}
_MEMO_SIZE = 2


def _stream_units(
    corpus: Corpus | ShardedCorpus,
    unit: str,
    layer: str,
    options: dict[str, Any],
    progress: bool | None,
    model: Any = None,
) -> _Units:
    """The token stream of ``corpus`` as :class:`_Units` (the last two kept in memory); a
    sharded corpus's, shard by shard (:func:`_store_units`)."""
    from .token_streams import TokenStream

    if is_sharded(corpus):
        return _store_units(corpus, unit, layer, options, progress)

    stream = TokenStream(corpus, unit=unit, layer=layer, progress=progress, **options)
    view = stream.view
    memo_key = canonical_json(
        {
            "corpus": corpus.fingerprint,
            "docs": xxhash.xxh3_128(
                "\x00".join(map(str, view.doc_ids)).encode("utf-8", "surrogatepass")
            ).hexdigest(),
            "index": str(getattr(view.index, "key", "")),
            "layers": sorted(getattr(view.index, "layers", ()) or ()),
            "unit": unit,
            "layer": layer,
            "options": {
                k: (sorted(v) if isinstance(v, list | tuple | set) else v)
                for k, v in options.items()
            },
        }
    )
    if memo_key in _UNITS_MEMO:
        return _UNITS_MEMO[memo_key]
    plan = stream.build_plan()
    if unit == "sentence":
        unit_starts, doc, number = _sentence_starts(corpus, view, model)
    else:
        unit_starts = np.asarray(view.starts, dtype=np.int64)
        doc = np.arange(len(view.doc_ids), dtype=np.int64)
        number = np.zeros(len(doc), dtype=np.int64)
    outs, poss = [], []
    for out, pos in stream.blocks(plan):
        outs.append(out.astype(np.int32, copy=False))
        poss.append(pos)
    ids = np.concatenate(outs) if outs else np.zeros(0, np.int32)
    pos = np.concatenate(poss) if poss else np.zeros(0, np.int64)
    del outs, poss
    unit_of = np.searchsorted(unit_starts, pos, side="right") - 1
    del pos
    offsets = np.searchsorted(unit_of, np.arange(len(unit_starts) + 1), side="left").astype(
        np.int64
    )
    del unit_of
    units = _Units(ids, offsets, np.asarray(plan["out_vocab"], dtype=object), doc, number)
    while len(_UNITS_MEMO) >= _MEMO_SIZE:
        _UNITS_MEMO.pop(next(iter(_UNITS_MEMO)))
    _UNITS_MEMO[memo_key] = units
    return units


def _units_part(
    shard: Corpus, unit: str, layer: str, options: dict[str, Any], model: Any
) -> tuple[_Units, int]:
    """Task: a shard's units, and the number of its documents read."""
    return _stream_units(shard, unit, layer, options, False, model), len(shard)


def _store_units(
    store: ShardedCorpus, unit: str, layer: str, options: dict[str, Any], progress: bool | None
) -> _Units:
    """The units of a sharded corpus: each shard's (on the workers; sentences split by one
    model for the whole store), their vocabularies merged and documents renumbered, in
    corpus order; the strings they stand for are those of one corpus of the documents."""
    from .segment import store_sentence_model
    from .token_streams import given_sentences

    model = None
    if unit == "sentence" and not given_sentences(store):
        model = store_sentence_model(store)
    parts = store.map(
        _units_part, unit, layer, options, model, desc="token streams", progress=progress
    )
    if not parts:
        empty = np.zeros(0, np.int64)
        return _Units(
            np.zeros(0, np.int32), np.zeros(1, np.int64), np.zeros(0, object), empty, empty
        )
    vocab = pd.Index(np.concatenate([u.vocab for u, _ in parts]).astype(object)).unique()
    ids, offsets, docs, numbers = [], [np.zeros(1, np.int64)], [], []
    first_token, first_doc = 0, 0
    for u, n_docs in parts:
        to_global = vocab.get_indexer(pd.Index(u.vocab, dtype=object)).astype(np.int32)
        ids.append(to_global[u.ids])
        offsets.append(u.offsets[1:] + first_token)
        docs.append(u.doc + first_doc)
        numbers.append(u.number)
        first_token += len(u.ids)
        first_doc += n_docs
    return _Units(
        np.concatenate(ids).astype(np.int32),
        np.concatenate(offsets).astype(np.int64),
        np.asarray(vocab.to_numpy(dtype=object), dtype=object),
        np.concatenate(docs).astype(np.int64),
        np.concatenate(numbers).astype(np.int64),
    )


# --------------------------------------------------------------------------- the model
class Embeddings:
    """Word vectors: a trained Word2Vec model or pretrained vectors (gensim ``KeyedVectors``).

    Create it with :func:`fit_embeddings` or :func:`load_embeddings`.

    Parameters
    ----------
    kv : gensim.models.KeyedVectors
        The vectors.
    counts : numpy.ndarray or None
        Frequency of each term of ``kv`` in the training data, in ``kv``'s order.
    settings : mapping
        The settings the vectors were trained with.

    Attributes
    ----------
    kv : gensim.models.KeyedVectors
        The vectors (gensim's object: every gensim method works on it).
    counts : numpy.ndarray or None
        Frequency of each term in the training data (``None`` for pretrained vectors).
    settings : dict
        The training data and Word2Vec settings (layer, unit, stream options, vector size,
        window, ``min_count``, epochs, seed, workers, gensim version).

    Examples
    --------
    >>> import toolkit as tk
    >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
    >>> "security" in emb, emb.vector_size
    (True, 20)
    """

    def __init__(self, kv: Any, counts: np.ndarray | None, settings: Mapping[str, Any]) -> None:
        self.kv = kv
        self.counts = None if counts is None else np.asarray(counts, dtype=np.int64)
        self.settings = dict(settings)
        self._unit: np.ndarray | None = None
        self._folded_terms: dict[str, list[int]] | None = None

    # ------------------------------------------------------------------ basics
    @property
    def terms(self) -> list[str]:
        """The vocabulary, most frequent first (gensim's order)."""
        return list(self.kv.index_to_key)

    @property
    def vector_size(self) -> int:
        """The number of dimensions of the vectors."""
        return int(self.kv.vector_size)

    @property
    def layer(self) -> str:
        """The annotation layer the model was trained on (``"word"``, ``"lemma"`` …)."""
        return str(self.settings.get("layer", "word"))

    def __len__(self) -> int:
        return len(self.kv.index_to_key)

    def __contains__(self, term: object) -> bool:
        return term in self.kv.key_to_index

    def __getitem__(self, term: str) -> np.ndarray:
        return self.kv[self._check(term)]

    def __repr__(self) -> str:
        what = self.settings.get("source") or f"layer {self.layer!r}"
        return f"<Embeddings: {len(self):,} terms × {self.vector_size} dimensions, {what}>"

    def _check(self, term: str, parameter: str = "term") -> str:
        """``term``, or :class:`~toolkit.errors.NotFoundError` naming ``parameter``."""
        self._check_terms(parameter, [term])
        return term

    def _check_terms(self, parameter: str, terms: Sequence[Any]) -> None:
        """Refuse, naming ``parameter``, terms without a vector (all of them at once)."""
        missing = [t for t in terms if not isinstance(t, str) or t not in self.kv.key_to_index]
        if missing:
            value = _one_or_list(missing)
            raise NotFoundError(
                parameter, value, f"{parameter}={value!r}: " + self._not_found(missing)
            )

    def _not_found(self, missing: Sequence[Any], where: str = "") -> str:
        """Why terms have no vector: the vocabulary's size, ``min_count``, case, layer."""
        shown = ", ".join(repr(t) for t in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        which = "is" if len(missing) == 1 else "are"
        text = (
            f"{shown}{more} {which} not in the vocabulary of the embeddings{where} "
            f"({len(self):,} terms"
        )
        if self.layer != "word":
            text += f" of the layer {self.layer!r}"
        text += ")"
        hints = []
        min_count = self.settings.get("min_count")
        if min_count:
            hints.append(f"terms seen fewer than min_count={min_count} times have no vector")
        words = [t for t in missing if isinstance(t, str)]
        if self.settings.get("case_sensitive") is False and any(t != t.lower() for t in words):
            hints.append("the terms are lower case (case_sensitive=False)")
        other_case = [f"{t!r} as {k!r}" for t in words for k in self._folded_rows(t) if k != t][:3]
        if other_case:
            hints.append("in another case: " + ", ".join(other_case))
        if any(not isinstance(t, str) for t in missing):
            hints.append("terms are strings")
        return text + ("; " + "; ".join(hints) if hints else "")

    def _folded_rows(self, term: str) -> list[str]:
        """The terms of the vocabulary that are ``term`` in another case."""
        from .tokenize import search_form

        index_to_key = self.kv.index_to_key
        return [index_to_key[i] for i in self._folded().get(search_form(term), [])]

    def unit_vectors(self) -> np.ndarray:
        """All vectors scaled to length 1 (rows in the order of :attr:`terms`).

        A vector of zeros stays zeros.

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> unit = emb.unit_vectors()
        >>> unit.shape == (len(emb), 20), bool(np.allclose(np.linalg.norm(unit, axis=1), 1))
        (True, True)
        """
        if self._unit is None:
            v = np.asarray(self.kv.vectors, dtype=np.float32)
            norms = np.linalg.norm(v, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            self._unit = v / norms
        return self._unit

    def _folded(self) -> dict[str, list[int]]:
        """Rows of each lower-cased term (for matching pole words)."""
        folded = getattr(self, "_folded_terms", None)
        if folded is None:
            from .tokenize import search_form

            folded = {}
            for i, t in enumerate(self.kv.index_to_key):
                folded.setdefault(search_form(t), []).append(i)
            self._folded_terms = folded
        return folded

    def count(self, term: str) -> int | None:
        """Training frequency of ``term`` (``None`` for vectors without counts).

        Parameters
        ----------
        term : str
            A term of the vocabulary.

        Returns
        -------
        int or None

        Raises
        ------
        toolkit.errors.NotFoundError
            A term without a vector (also a ``KeyError``).

        Examples
        --------
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> n = emb.count("peace")
        >>> isinstance(n, int), n >= 5  # a term with a vector was seen min_count=5 times
        (True, True)
        """
        if self.counts is None:
            return None
        return int(self.counts[self.kv.key_to_index[self._check(term)]])

    # ------------------------------------------------------------------ tables
    def vocabulary(self) -> pd.DataFrame:
        """Terms and their training frequency, most frequent first.

        Examples
        --------
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> emb.vocabulary().columns.tolist()
        ['term', 'count']
        """
        counts = self.counts if self.counts is not None else np.full(len(self), -1)
        return pd.DataFrame({"term": self.terms, "count": counts})

    def vectors(self, terms: str | Sequence[str] | None = None, normalize: bool = False):
        """Vectors of some terms (or all) as a DataFrame, one row per term.

        Parameters
        ----------
        terms : str or list of str, optional
            Default: the whole vocabulary.
        normalize : bool
            Scale each vector to length 1.

        Returns
        -------
        pandas.DataFrame
            Index ``term``, columns ``0 … vector_size − 1``.

        Raises
        ------
        toolkit.errors.NotFoundError
            Terms without a vector (all named; also a ``KeyError``), before any work.

        Examples
        --------
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> emb.vectors(["peace", "war"]).shape
        (2, 20)
        """
        if terms is None:
            terms = self.terms
        elif isinstance(terms, str):
            terms = [terms]
        terms = list(terms)
        self._check_terms("terms", terms)
        rows = [self.kv.key_to_index[t] for t in terms]
        data = self.unit_vectors()[rows] if normalize else np.asarray(self.kv.vectors)[rows]
        return pd.DataFrame(data, index=pd.Index(list(terms), name="term"))

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two terms.

        Parameters
        ----------
        a, b : str
            Terms of the vocabulary.

        Returns
        -------
        float

        Raises
        ------
        toolkit.errors.NotFoundError
            A term without a vector (also a ``KeyError``), naming ``a`` or ``b``.

        Examples
        --------
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> round(emb.similarity("peace", "peace"), 6)
        1.0
        """
        return float(self.kv.similarity(self._check(a, "a"), self._check(b, "b")))

    @fill_doc
    def most_similar(
        self,
        positive: str | Sequence[str],
        negative: str | Sequence[str] | None = None,
        n: int = 10,
        min_count: int | None = None,
    ) -> pd.DataFrame:
        """Nearest terms by cosine similarity (gensim's ``most_similar``, analogies included).

        Parameters
        ----------
        positive, negative : str or list of str
            Terms whose unit vectors are added (subtracted); the query terms are left out.
        n : int
            Number of neighbours.
        min_count : int, optional
            {params.min_count}
            Here the neighbours' count in the training data; ``None`` keeps all (vectors
            without counts keep all).

        Returns
        -------
        pandas.DataFrame
            ``rank``, ``term``, ``similarity``, ``count``.

        Raises
        ------
        toolkit.errors.NotFoundError
            Query terms without a vector (also a ``KeyError``), naming ``positive`` or
            ``negative``, before any work.

        Examples
        --------
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> emb.most_similar("peace", n=3).columns.tolist()
        ['rank', 'term', 'similarity', 'count']
        """
        _positive_int("n", n)
        pos = [positive] if isinstance(positive, str) else list(positive)
        neg = [negative] if isinstance(negative, str) else list(negative or [])
        self._check_terms("positive", pos)
        self._check_terms("negative", neg)
        topn = len(self)
        hits = self.kv.most_similar(positive=pos, negative=neg, topn=topn)
        rows: list[tuple[Any, ...]] = []
        for term, sim in hits:
            c = self.count(term)
            if min_count is not None and c is not None and c < min_count:
                continue
            rows.append((len(rows) + 1, term, float(sim), c))
            if len(rows) == n:
                break
        return pd.DataFrame(rows, columns=["rank", "term", "similarity", "count"])

    @fill_doc
    def neighbours(
        self, terms: str | Sequence[str], n: int = 10, min_count: int | None = None
    ) -> pd.DataFrame:
        """The ``n`` nearest neighbours of each term, as one long table.

        Parameters
        ----------
        terms : str or list of str
            Terms of the vocabulary.
        n : int
            Neighbours per term.
        min_count : int, optional
            {params.min_count}
            As in :meth:`most_similar`.

        Returns
        -------
        pandas.DataFrame
            ``term``, ``rank``, ``neighbour``, ``similarity``, ``count`` (of the neighbour).

        Raises
        ------
        toolkit.errors.NotFoundError
            Terms without a vector (all named; also a ``KeyError``), before any work.

        Examples
        --------
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> emb.neighbours(["peace", "war"], n=2)["term"].tolist()
        ['peace', 'peace', 'war', 'war']
        """
        _positive_int("n", n)
        terms = [terms] if isinstance(terms, str) else list(terms)
        self._check_terms("terms", terms)
        parts = []
        for t in terms:
            ms = self.most_similar(t, n=n, min_count=min_count)
            ms = ms.rename(columns={"term": "neighbour"})
            ms.insert(0, "term", t)
            parts.append(ms)
        return pd.concat(parts, ignore_index=True)

    # ------------------------------------------------------------------ export
    def to_keyedvectors(self) -> Any:
        """A copy of the vectors as gensim ``KeyedVectors`` (with a ``count`` attribute).

        Examples
        --------
        >>> import toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> kv = emb.to_keyedvectors()
        >>> kv.most_similar("peace", topn=1)[0][0] == emb.most_similar("peace", n=1)["term"][0]
        True
        """
        return _keyed_vectors(self.terms, np.array(self.kv.vectors), self.counts)

    def save_word2vec(self, path: str | os.PathLike, binary: bool = False) -> Path:
        """Write the vectors in the word2vec text (or binary) format, readable by gensim,
        fastText tools and :func:`load_embeddings`.

        Parameters
        ----------
        path : str or path
            The file to write (replaced if it exists).
        binary : bool
            The binary format instead of text.

        Returns
        -------
        pathlib.Path
            ``path``.

        Examples
        --------
        >>> from pathlib import Path
        >>> import numpy as np
        >>> import toolkit as tk
        >>> import tempfile, toolkit as tk
        >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
        >>> path = emb.save_word2vec(Path(tempfile.mkdtemp()) / "un.txt")
        >>> back = tk.load_embeddings(path)
        >>> back.terms == emb.terms and np.allclose(back["peace"], emb["peace"], atol=1e-5)
        True
        """
        path = Path(path)
        self.kv.save_word2vec_format(str(path), binary=binary, write_header=True)
        return path


def _keyed_vectors(terms: Sequence[str], vectors: np.ndarray, counts: np.ndarray | None) -> Any:
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=vectors.shape[1], count=0, dtype=np.float32)
    if len(terms):
        kv.add_vectors(list(terms), np.asarray(vectors, dtype=np.float32))
    if counts is not None and len(terms):
        kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
        kv.expandos["count"][:] = np.asarray(counts, dtype=np.int64)
    return kv


def _one_or_list(values: Sequence[Any]) -> Any:
    """A single value as itself, several as a list (the ``value`` of an error)."""
    return values[0] if len(values) == 1 else list(values)


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ParameterError(name, value, f"{name} must be a positive whole number")
    return int(value)


def load_embeddings(
    path: str | os.PathLike,
    binary: bool | None = None,
    limit: int | None = None,
    no_header: bool = False,
) -> Embeddings:
    """Pretrained vectors from a file in the word2vec format (text or binary).

    Read with gensim's ``KeyedVectors.load_word2vec_format`` — a format of numbers and
    words that cannot run code (gensim's own ``.model`` files are pickles and are not read).

    Parameters
    ----------
    path : str or path-like
        A word2vec file, e.g. GoogleNews vectors (``.bin``) or a ``.txt`` export; GloVe's
        text files have no header line: pass ``no_header=True``.
    binary : bool, optional
        Default: binary if the name ends in ``.bin``.
    limit : int, optional
        Read only the first ``limit`` vectors (the most frequent in most files).
    no_header : bool
        The file has no ``<count> <dimensions>`` first line (GloVe).

    Returns
    -------
    Embeddings
        Without training counts (``counts`` is ``None``).

    Raises
    ------
    FileNotFoundError
    toolkit.errors.ParameterError
        The file is not in the word2vec format.

    Examples
    --------
    >>> from pathlib import Path
    >>> import toolkit as tk
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "v.txt"
    >>> _ = p.write_text("2 3\\npeace 1 0 0\\nwar 0 1 0\\n")
    >>> emb = tk.load_embeddings(p)
    >>> emb.terms, emb.similarity("peace", "war")
    (['peace', 'war'], 0.0)
    """
    from gensim.models import KeyedVectors

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if binary is None:
        binary = path.suffix.lower() == ".bin"
    try:
        kv = KeyedVectors.load_word2vec_format(
            str(path), binary=binary, limit=limit, no_header=no_header
        )
    except (ValueError, UnicodeDecodeError, EOFError, IndexError) as err:
        raise ParameterError(
            "path",
            str(path),
            f"{path} is not a word2vec {'binary' if binary else 'text'} file ({err})",
        ) from err
    settings = {"source": path.name, "layer": "word", "case_sensitive": True}
    return Embeddings(kv, None, settings)


# --------------------------------------------------------------------------- training
class _EpochBar:
    """gensim callback: one progress-bar step per epoch."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.epoch = 0

    def on_epoch_begin(self, model: Any) -> None:
        pass

    def on_epoch_end(self, model: Any) -> None:
        self.epoch += 1
        self.bar.update(1)

    def on_train_begin(self, model: Any) -> None:
        pass

    def on_train_end(self, model: Any) -> None:
        pass


def _callbacks(bar: Any) -> list[Any]:
    from gensim.models.callbacks import CallbackAny2Vec

    class EpochBar(_EpochBar, CallbackAny2Vec):
        pass

    return [EpochBar(bar)]


_W2V_DEFAULTS = {
    "vector_size": 100,
    "window": 5,
    "min_count": 5,
    "epochs": 5,
    "sg": 0,
    "hs": 0,
    "negative": 5,
    "sample": 1e-3,
    "alpha": 0.025,
    "min_alpha": 0.0001,
}


def _is_word_collection(value: Any) -> bool:
    return not isinstance(value, str | bytes) and all(isinstance(w, str) for w in value)


#: What each training argument of :func:`fit_embeddings` and :func:`fit_period_embeddings`
#: may be, checked before any work (the messages of :func:`toolkit._validation.check_value`).
_TRAINING_CONSTRAINTS: dict[str, list[Any]] = {
    "unit": [StrOptions(("sentence", "document"))],
    "layer": [str],
    "vector_size": [Interval(Integral, 1, None)],
    "window": [Interval(Integral, 1, None)],
    "min_count": [Interval(Integral, 1, None)],
    "epochs": [Interval(Integral, 1, None)],
    "sg": [Options(Integral, (0, 1))],
    "hs": [Options(Integral, (0, 1))],
    "negative": [Interval(Integral, 0, None)],
    "sample": [Interval(Real, 0, math.inf, closed="left")],
    "alpha": [Interval(Real, 0, math.inf, closed="left")],
    "min_alpha": [Interval(Real, 0, math.inf, closed="left")],
    "seed": [Interval(Integral, 0, None)],
    "case_sensitive": ["boolean"],
    "punct": ["boolean"],
    "numbers": ["boolean"],
    "split_hyphens": ["boolean"],
    "min_length": [Interval(Integral, 0, None)],
    "stopwords": [None, Check(_is_word_collection, "a collection of words (not one string)")],
    "pos": [None, str, Check(_is_word_collection, "a list of tags")],
    "cache": ["boolean"],
    "progress": [None, "boolean"],
}


def _check_w2v(params: dict[str, Any]) -> dict[str, Any]:
    """The Word2Vec settings as gensim takes them (each checked by ``validate_params``),
    refusing the one combination gensim cannot train."""
    if params["hs"] == 0 and params["negative"] == 0:
        raise ParameterError(
            "negative",
            0,
            "negative=0 is not valid with hs=0: negative must be an int in [1, inf) "
            "unless hs=1 (no output layer otherwise)",
        )
    return {
        k: (float(v) if k in ("sample", "alpha", "min_alpha") else int(v))
        for k, v in params.items()
    }


def _train(units: _Units, w2v: dict[str, Any], seed: int, workers: int, progress) -> Any:
    """Word2Vec on the units; returns (terms, vectors, counts)."""
    from gensim.models import Word2Vec

    bar = tqdm(total=w2v["epochs"], desc="word2vec", unit=" epochs", **progress_options(progress))
    try:
        model = Word2Vec(
            sentences=_Sentences(units),
            seed=seed,
            workers=workers,
            callbacks=_callbacks(bar),
            **w2v,
        )
    finally:
        bar.close()
    wv = model.wv
    counts = np.array([wv.get_vecattr(t, "count") for t in wv.index_to_key], dtype=np.int64)
    return list(wv.index_to_key), np.ascontiguousarray(wv.vectors, dtype=np.float32), counts


def _train_job(args: tuple) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Worker-process entry point: one model, single-threaded."""
    units, w2v, seed = args
    return _train(units, w2v, seed, 1, False)


def _model_params(units: _Units, settings: dict[str, Any]) -> dict[str, Any]:
    import gensim

    return {
        "data": units.digest(),
        "units": len(units),
        "settings": settings,
        "gensim": gensim.__version__,
        "format": EMBEDDINGS_FORMAT,
    }


def _save_model(writer: EntryWriter, value: tuple[list[str], np.ndarray, np.ndarray]) -> None:
    terms, vectors, counts = value
    writer.array("vectors", np.ascontiguousarray(vectors, dtype=np.float32))
    writer.array("counts", np.ascontiguousarray(counts, dtype=np.int64))
    writer.json("terms", list(terms))


def _load_model(entry: Entry, vector_size: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    vectors = entry.array("vectors", dtypes=("float32",), ndim=2)
    counts = entry.array("counts", dtypes=("int64",), ndim=1)
    terms = entry.json("terms")
    if not isinstance(terms, list) or not all(type(t) is str for t in terms):
        raise CacheError(f"{entry.folder}: the vocabulary is not a list of strings")
    if len(set(terms)) != len(terms):
        raise CacheError(f"{entry.folder}: the vocabulary repeats a term")
    if vectors.shape != (len(terms), vector_size) or counts.shape != (len(terms),):
        raise CacheError(f"{entry.folder}: vectors, counts and vocabulary differ in size")
    if not np.all(np.isfinite(vectors)) or (len(counts) and int(counts.min()) < 1):
        raise CacheError(f"{entry.folder}: vectors or counts out of range")
    return terms, np.array(vectors), np.array(counts)


def _cached(
    units: _Units, settings: dict[str, Any], build, cache: bool
) -> tuple[list[str], np.ndarray, np.ndarray]:
    if not cache:
        return build()
    params = _model_params(units, settings)
    key = content_key(params)
    return load_or_build(
        cache_dir() / "embeddings" / key,
        kind=_CACHE_KIND,
        key=key,
        params=params,
        load=lambda e: _load_model(e, settings["vector_size"]),
        build=build,
        save=_save_model,
        what="word embeddings",
    )


def _options(
    unit: str,
    layer: str,
    case_sensitive: bool,
    punct: bool,
    numbers: bool,
    split_hyphens: bool,
    min_length: int,
    stopwords: Iterable[str] | None,
    pos: str | Sequence[str] | None,
    compound: Any = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stream keyword arguments, and their JSON record for the settings."""
    from .multiword import compound_patterns
    from .token_streams import BY_UNITS

    if unit not in BY_UNITS:
        raise ParameterError("unit", unit, valid=BY_UNITS)
    if isinstance(stopwords, str):
        raise ParameterError(
            "stopwords", stopwords, "stopwords must be a collection of words, not one string"
        )
    stop = sorted({str(w) for w in (stopwords or ())})
    pos_list = None if pos is None else ([pos] if isinstance(pos, str) else sorted(set(pos)))
    kwargs = dict(
        case_sensitive=case_sensitive,
        punct=punct,
        numbers=numbers,
        split_hyphens=split_hyphens,
        min_length=min_length,
        stopwords=stop,
        pos=pos_list,
    )
    if compound is not None:
        phrases = sorted(set(compound_patterns(compound)))
        if phrases:
            kwargs["compound"] = phrases
    record = {"unit": unit, "layer": layer, **kwargs}
    return kwargs, record


def _check_vocabulary(units: _Units, min_count: int, where: str) -> None:
    """Refuse, before training, data in which no term reaches ``min_count``."""
    counts = np.bincount(units.ids, minlength=len(units.vocab)) if len(units.ids) else [0]
    if int(np.max(counts)) < min_count:
        raise ParameterError(
            "min_count", min_count, f"{where}no term occurs {min_count} times; lower min_count"
        )


def _check_workers(workers: Any) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise ParameterError("workers", workers, "workers must be a positive whole number")
    return int(workers)


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError("seed", seed, "seed must be a whole number ≥ 0")
    return int(seed)


@validate_params(
    {**_TRAINING_CONSTRAINTS, "workers": [Interval(Integral, 1, None)]},
    renamed={"by": Renamed("unit"), "lowercase": Renamed("case_sensitive", invert=True)},
)
@fill_doc
def fit_embeddings(
    corpus: Corpus | ShardedCorpus,
    *,
    unit: str = "sentence",
    layer: str = "word",
    vector_size: int = 100,
    window: int = 5,
    min_count: int = 5,
    epochs: int = 5,
    sg: int = 0,
    hs: int = 0,
    negative: int = 5,
    sample: float = 1e-3,
    alpha: float = 0.025,
    min_alpha: float = 0.0001,
    seed: int = 0,
    workers: int = 1,
    case_sensitive: bool = False,
    punct: bool = False,
    numbers: bool = True,
    split_hyphens: bool = False,
    min_length: int = 1,
    stopwords: Iterable[str] | None = None,
    pos: str | Sequence[str] | None = None,
    compound: Any = None,
    cache: bool = True,
    progress: bool | None = None,
) -> Embeddings:
    """Train Word2Vec (gensim) on a corpus's token stream.

    The training data is :func:`toolkit.tokens` of the corpus with the same options (one list
    per sentence by default), given to gensim's ``Word2Vec`` in corpus order.  Lists longer
    than 10,000 tokens (whole speeches with ``unit="document"``) are cut into pieces of 10,000,
    since gensim trains on only the first 10,000 tokens of a list.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        A sharded corpus's stream is made shard by shard on the workers (sentences split by
        one model trained for the whole store), giving the same vectors as one corpus of the
        same documents; the stream's token ids (4 bytes per token kept) are held in memory
        for training.
    unit : {"sentence", "document"}
        Training unit: sentences (default; windows do not cross sentence ends) or documents.
        Formerly ``by``, which still works (deprecated, with a ``FutureWarning``).
    layer : str
        {params.layer}
        The model learns a vector per term of this layer.
    window : int
        {params.window}
        Here gensim's Word2Vec ``window``: the largest distance between a word and a word
        it predicts or is predicted from, at least 1 (gensim draws a window from 1 to this
        size for each word; the option ``max_window`` does not bound it).
    min_count : int
        {params.min_count}
        Here gensim's Word2Vec ``min_count``: terms seen fewer times in the training data
        get no vector and are left out of training.
    vector_size, epochs, sg, hs, negative, sample, alpha, min_alpha
        gensim's Word2Vec settings (gensim's defaults; ``sg=1`` is skip-gram, ``0`` CBOW).
    seed : int
        {params.seed}
        Here the seed of gensim's random numbers.  With ``workers=1`` the same data, seed
        and gensim version give the same vectors, bit for bit, in every process; with
        several worker threads gensim does not guarantee this: the threads' scheduling
        changes the order of updates, so each run differs slightly (gensim's
        documentation).
    workers : int
        Training threads (more is faster, not reproducible).
    case_sensitive : bool
        {params.case_sensitive}
        (``lowercase`` is its deprecated opposite.)
    punct : bool
        {params.punct}
        Here they are left out of the training text (``True`` keeps them, so they can get
        vectors).
    stopwords : iterable of str, optional
        {params.stopwords}
        Here they are removed from the training text, so they take no place in a window.
    numbers, split_hyphens, min_length, pos, compound
        Options of the token stream (see :func:`toolkit.tokens`); ``compound`` joins
        phrases into single terms (``united_nations``) before training.
    cache : bool
        Reuse a model trained before on the same data with the same settings.  The key is a
        digest of the training data itself (every token, unit boundary and the vocabulary),
        the settings (including ``workers``) and the gensim version; the model is stored
        as ``.npy`` and JSON in the verified cache and rebuilt as ``KeyedVectors``, never
        unpickled.  With several workers the cache returns the first model trained.
    progress : bool, optional
        Progress bar per epoch (default: the global option).

    Returns
    -------
    Embeddings

    Raises
    ------
    toolkit.errors.ParameterError
        An argument out of range or of the wrong type, before the corpus is read, naming
        it, its value and what is valid (``vector_size=0 is not valid: vector_size must
        be an int in [1, inf)``); ``min_count`` that no term reaches, before training.

    Examples
    --------
    >>> import toolkit as tk
    >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
    >>> bool(emb.most_similar("soviet", n=5)["term"].isin(emb.terms).all())
    True
    """
    w2v = _check_w2v(
        dict(
            vector_size=vector_size,
            window=window,
            min_count=min_count,
            epochs=epochs,
            sg=sg,
            hs=hs,
            negative=negative,
            sample=sample,
            alpha=alpha,
            min_alpha=min_alpha,
        )
    )
    seed = _check_seed(seed)
    workers = _check_workers(workers)
    kwargs, record = _options(
        unit,
        layer,
        case_sensitive,
        punct,
        numbers,
        split_hyphens,
        min_length,
        stopwords,
        pos,
        compound,
    )
    units = _stream_units(corpus, unit, layer, kwargs, progress).split_long()
    if len(units.ids) == 0:
        raise ParameterError("corpus", corpus.name, "the token stream is empty")
    _check_vocabulary(units, min_count, "")
    settings = {**record, **w2v, "seed": seed, "workers": workers}
    terms, vectors, counts = _cached(
        units, settings, lambda: _train(units, w2v, seed, workers, progress), cache
    )
    if not terms:
        raise ParameterError(
            "min_count", min_count, f"no term occurs {min_count} times; lower min_count"
        )
    return Embeddings(_keyed_vectors(terms, vectors, counts), counts, settings)


# --------------------------------------------------------------------------- alignment
def procrustes_rotation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The orthogonal matrix ``R`` that minimises ``‖a R − b‖`` (Schönemann 1966), from
    :func:`scipy.linalg.orthogonal_procrustes`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=(50, 4))
    >>> q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    >>> np.allclose(procrustes_rotation(a, a @ q), q)
    True
    """
    from scipy.linalg import orthogonal_procrustes

    r, _ = orthogonal_procrustes(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    return r


def align(embeddings: Embeddings, reference: Embeddings) -> Embeddings:
    """``embeddings`` rotated into the space of ``reference`` (orthogonal Procrustes).

    As Hamilton, Leskovec & Jurafsky (2016) align diachronic embeddings: both models'
    vectors are scaled to length 1, the rotation is the orthogonal ``R`` minimising
    ``‖A R − B‖`` over the terms both vocabularies share (rows of ``A`` and ``B``), and every
    vector of ``embeddings`` is rotated by it.  A rotation keeps every cosine similarity
    inside a model, so only comparisons across models change.

    Parameters
    ----------
    embeddings, reference : Embeddings

    Returns
    -------
    Embeddings
        Unit-length vectors in the reference's space; ``settings["aligned_on"]`` is the
        number of shared terms.

    Raises
    ------
    toolkit.errors.ParameterError
        Fewer shared terms than dimensions, or different vector sizes.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> a = tk.fit_embeddings(c, vector_size=10, epochs=1, seed=1, progress=False)
    >>> b = tk.fit_embeddings(c, vector_size=10, epochs=1, seed=2, progress=False)
    >>> aligned = tk.align(a, b)
    >>> aligned.similarity("peace", "war") - a.similarity("peace", "war") < 1e-5
    True
    """
    if embeddings.vector_size != reference.vector_size:
        raise ParameterError(
            "reference",
            reference,
            f"vector sizes differ ({embeddings.vector_size} and {reference.vector_size})",
        )
    ref_index = reference.kv.key_to_index
    shared = [t for t in embeddings.terms if t in ref_index]
    if len(shared) < embeddings.vector_size:
        raise ParameterError(
            "reference",
            reference,
            f"only {len(shared)} shared terms for {embeddings.vector_size} dimensions; "
            "alignment needs at least as many shared terms as dimensions",
        )
    a_all = embeddings.unit_vectors()
    rows_a = [embeddings.kv.key_to_index[t] for t in shared]
    rows_b = [ref_index[t] for t in shared]
    r = procrustes_rotation(a_all[rows_a], reference.unit_vectors()[rows_b])
    rotated = (a_all.astype(np.float64) @ r).astype(np.float32)
    settings = {**embeddings.settings, "aligned_on": len(shared)}
    out = Embeddings(
        _keyed_vectors(embeddings.terms, rotated, embeddings.counts), embeddings.counts, settings
    )
    return out


# --------------------------------------------------------------------------- periods
def _period_labels(corpus: Corpus, by: str) -> pd.Series:
    meta = corpus.meta
    if by == "decade":
        if "year" not in meta.columns:
            raise ParameterError(
                "by", by, "by='decade' needs a 'year' column", valid=["decade", *meta.columns]
            )
        year = pd.to_numeric(meta["year"], errors="coerce")
        if year.isna().any():
            raise ParameterError("by", by, "the 'year' column has values that are not numbers")
        return (year // 10 * 10).astype(int)
    if by not in meta.columns:
        raise ParameterError("by", by, valid=["decade", *meta.columns])
    return meta[by]


def _interval(values: np.ndarray, ci: float, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    lo = np.nanquantile(values, (1 - ci) / 2, axis=axis)
    hi = np.nanquantile(values, 1 - (1 - ci) / 2, axis=axis)
    return lo, hi


@fill_doc
class PeriodEmbeddings:
    """One aligned Word2Vec model per period, in one or several runs; made by
    :func:`fit_period_embeddings`, not usually constructed by hand.

    Parameters
    ----------
    models : dict
        Period label → the :class:`Embeddings` of that period, one per run, each aligned
        to the reference period of its run.
    by : str
        {params.by}
        Its values are the periods.
    resample : {"seed", "bootstrap"}
        How the runs differ: in seed only, or in a bootstrap sample of the documents.
    reference : object
        The period the others are aligned to.
    ci : float
        The level of the intervals over runs (default 0.95).

    Attributes
    ----------
    periods : list
        Period labels in order.
    models : dict
        ``models[period]`` is the list of :class:`Embeddings` of that period, one per run,
        aligned to the reference period of the same run.
    resample : str
        ``"seed"`` (runs differ in seed only) or ``"bootstrap"`` (documents resampled).

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> texts = ["the alliance of states keeps the peace"] * 20
    >>> c = tk.from_dataframe(pd.DataFrame({"text": texts, "era": ["a"] * 10 + ["b"] * 10}))
    >>> periods = tk.fit_period_embeddings(c, by="era", vector_size=4, min_count=1,
    ...                                    epochs=1, progress=False)
    >>> periods.periods
    ['a', 'b']
    """

    def __init__(
        self,
        models: dict[Any, list[Embeddings]],
        by: str,
        resample: str,
        reference: Any,
        ci: float = 0.95,
    ) -> None:
        self.models = models
        self.periods = list(models)
        self.by = by
        self.resample = resample
        self.reference = reference
        self.ci = ci

    @property
    def runs(self) -> int:
        """The number of models fitted per period (seeds or bootstrap samples)."""
        return len(next(iter(self.models.values())))

    def __repr__(self) -> str:
        return (
            f"<PeriodEmbeddings by {self.by!r}: {len(self.periods)} periods "
            f"{self.periods}, {self.runs} run(s) ({self.resample})>"
        )

    def __getitem__(self, period: Any) -> Embeddings:
        """The first run's model of a period."""
        return self._models(period)[0]

    def _models(self, period: Any) -> list[Embeddings]:
        if period not in self.models:
            raise NotFoundError(
                "period", period, f"no period {period!r}; periods are {self.periods}"
            )
        return self.models[period]

    def _check_known(
        self, parameter: str, terms: Sequence[Any], periods: Sequence[Any] | None = None
    ) -> None:
        """Refuse, naming ``parameter``, terms that no model of ``periods`` (default: all)
        knows; a term some period knows is valid (the others give no value)."""
        periods = self.periods if periods is None else list(periods)
        models = [m for p in periods for m in self._models(p)]
        missing = [t for t in terms if not any(isinstance(t, str) and t in m for m in models)]
        if missing:
            first = models[0]
            sizes = sorted({len(m) for m in models})
            size = f"{sizes[0]:,}" if len(sizes) == 1 else f"{sizes[0]:,} to {sizes[-1]:,}"
            message = first._not_found(missing, where=f" of any period {list(periods)}")
            message = message.replace(f"({len(first):,} terms", f"({size} terms a period", 1)
            value = _one_or_list(missing)
            raise NotFoundError(parameter, value, f"{parameter}={value!r}: {message}")

    def _spread(self, values: np.ndarray, prefix: str) -> dict[str, Any]:
        """Mean, standard deviation and interval over runs (NaN: the term was missing)."""
        ok = ~np.isnan(values)
        n = int(ok.sum())
        out = {prefix: float(np.nanmean(values)) if n else np.nan}
        if self.runs > 1:
            out[f"{prefix}_sd"] = float(np.nanstd(values, ddof=1)) if n > 1 else np.nan
            lo, hi = _interval(values[ok], self.ci) if n else (np.nan, np.nan)
            out[f"{prefix}_low"], out[f"{prefix}_high"] = float(lo), float(hi)
        out["runs"] = n
        return out

    # ------------------------------------------------------------------ tables
    def vocabulary(self) -> pd.DataFrame:
        """Training frequency of every term in every period (first run), in long form:
        ``period``, ``term``, ``count``.

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> era = lambda m: np.where(m["year"] < 1991, "cold war", "after")
        >>> c = tk.load_sample().assign(era=era)
        >>> pe = tk.fit_period_embeddings(c, by="era", vector_size=20, epochs=1, progress=False)
        >>> vocab = pe.vocabulary()
        >>> vocab.columns.tolist(), vocab["period"].unique().tolist()
        (['period', 'term', 'count'], ['after', 'cold war'])
        """
        parts = [self[p].vocabulary().assign(period=p) for p in self.periods]
        return pd.concat(parts, ignore_index=True)[["period", "term", "count"]]

    def similarity(self, a: str, b: str) -> pd.DataFrame:
        """Cosine similarity of two terms in each period, with its spread over runs.

        Parameters
        ----------
        a, b : str
            Two terms; a run whose model lacks either gives no value.

        Returns
        -------
        pandas.DataFrame
            ``period``, ``similarity`` (mean over runs that know both terms), and with
            several runs ``similarity_sd``, ``similarity_low``, ``similarity_high`` (the
            ``ci`` interval of the runs' values), ``runs``.

        Raises
        ------
        toolkit.errors.NotFoundError
            A term that no period's model knows (also a ``KeyError``), naming ``a`` or
            ``b``.

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> era = lambda m: np.where(m["year"] < 1991, "cold war", "after")
        >>> c = tk.load_sample().assign(era=era)
        >>> pe = tk.fit_period_embeddings(c, by="era", vector_size=20, epochs=1, progress=False)
        >>> pe.similarity("peace", "war")["period"].tolist()
        ['after', 'cold war']
        """
        self._check_known("a", [a])
        self._check_known("b", [b])
        rows = []
        for p in self.periods:
            vals = np.array(
                [m.similarity(a, b) if a in m and b in m else np.nan for m in self._models(p)]
            )
            rows.append({"period": p, **self._spread(vals, "similarity")})
        return pd.DataFrame(rows)

    @fill_doc
    def neighbours(
        self, terms: str | Sequence[str], n: int = 10, min_count: int | None = None
    ) -> pd.DataFrame:
        """Nearest neighbours of each term in each period (the HistWords table).

        With several runs a neighbour's similarity is its mean over the runs whose model
        knows both words; neighbours are ranked by that mean, and ``stability`` is the share
        of runs in which the neighbour is among the ``n`` nearest (Antoniak & Mimno 2018).

        Parameters
        ----------
        terms : str or list of str
            The terms; a term no model of a period knows has no rows for that period.
        n : int
            Neighbours per term and period.
        min_count : int, optional
            {params.min_count}
            Here the neighbour's count in the training data of the period's model;
            ``None`` keeps all.

        Returns
        -------
        pandas.DataFrame
            ``period``, ``term``, ``rank``, ``neighbour``, ``similarity`` (and with several
            runs ``similarity_sd``, ``stability``), ``count`` (of the neighbour in the
            period, first run).

        Raises
        ------
        toolkit.errors.NotFoundError
            Terms that no period's model knows (all named; also a ``KeyError``).

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> era = lambda m: np.where(m["year"] < 1991, "cold war", "after")
        >>> c = tk.load_sample().assign(era=era)
        >>> pe = tk.fit_period_embeddings(c, by="era", vector_size=20, epochs=1, progress=False)
        >>> pe.neighbours("peace", n=3).groupby("period").size().tolist()
        [3, 3]
        """
        _positive_int("n", n)
        terms = [terms] if isinstance(terms, str) else list(terms)
        self._check_known("terms", terms)
        parts = []
        for p in self.periods:
            models = self._models(p)
            for t in terms:
                runs = [m for m in models if t in m]
                if not runs:
                    continue
                top: dict[str, int] = {}  # word → runs in which it is among the n nearest
                for m in runs:
                    u = m.unit_vectors()
                    s = u @ u[m.kv.key_to_index[t]]
                    kept = 0
                    for i in np.argsort(-s, kind="stable").tolist():
                        word = m.kv.index_to_key[i]
                        too_rare = (
                            min_count is not None
                            and m.counts is not None
                            and int(m.counts[i]) < min_count
                        )
                        if word == t or too_rare:
                            continue
                        top[word] = top.get(word, 0) + 1
                        kept += 1
                        if kept == n:
                            break
                # every candidate's similarity in every run that knows it
                sims = {w: [m.similarity(t, w) for m in runs if w in m] for w in top}
                ranked = sorted(sims, key=lambda w: (-np.mean(sims[w]), w))[:n]
                first = models[0]
                for rank, word in enumerate(ranked, 1):
                    row: dict[str, Any] = {
                        "period": p,
                        "term": t,
                        "rank": rank,
                        "neighbour": word,
                        "similarity": float(np.mean(sims[word])),
                    }
                    if self.runs > 1:
                        row["similarity_sd"] = (
                            float(np.std(sims[word], ddof=1)) if len(sims[word]) > 1 else np.nan
                        )
                        row["stability"] = top.get(word, 0) / len(runs)
                    row["count"] = first.count(word) if word in first else 0
                    parts.append(row)
        return pd.DataFrame(parts)

    def _pairs(self, pairs: str | Sequence[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        if isinstance(pairs, str):
            if pairs == "consecutive":
                return list(zip(self.periods[:-1], self.periods[1:], strict=True))
            if pairs == "first-last":
                return [(self.periods[0], self.periods[-1])]
            raise ParameterError("pairs", pairs, valid=["consecutive", "first-last"])
        out = [tuple(p) for p in pairs]
        for a, b in out:
            self._models(a), self._models(b)
        return out

    @renamed_arguments({"k": Renamed("n_neighbours")})
    @fill_doc
    def change(
        self,
        terms: str | Sequence[str] | None = None,
        pairs: str | Sequence[tuple[Any, Any]] = "consecutive",
        min_count: int = 20,
        n_neighbours: int = 25,
    ) -> pd.DataFrame:
        """Semantic change of terms between periods, with its spread over runs.

        Two measures, for each pair of periods and each term seen at least ``min_count``
        times in both (first run):

        ``cosine_distance``
            ``1 − cos(w_a, w_b)`` of the term's aligned vectors: Hamilton, Leskovec &
            Jurafsky (2016, ACL), whose global measure this is.
        ``neighbourhood_distance``
            The local neighbourhood measure of Hamilton, Leskovec & Jurafsky (2016,
            "Cultural shift or linguistic drift? Comparing two computational measures of
            semantic change", EMNLP): the ``n_neighbours`` nearest neighbours of the term
            in each period (among the words both periods know) are pooled, the term's
            cosine similarity to each pooled word is computed in each period, and the
            measure is the cosine distance between these two second-order vectors.  It needs no
            alignment, and it reacts less to the drift of very frequent words.

        Parameters
        ----------
        terms : str or list of str, optional
            Default: every term shared by both periods of a pair with ``min_count``.
        pairs : "consecutive", "first-last" or list of (period, period)
        min_count : int
            {params.min_count}
            Here a term's count in both periods (first run): a guard, since the change of
            rare words is mostly noise.
        n_neighbours : int
            Neighbours per period in the neighbourhood measure (Hamilton et al. use 25).
            Replaces ``k`` (deprecated; ``k`` is the number of topics elsewhere).

        Returns
        -------
        pandas.DataFrame
            ``term``, ``period_from``, ``period_to``, ``count_from``, ``count_to``,
            ``cosine_distance``, ``neighbourhood_distance``; with several runs each measure
            also has ``_sd``, ``_low`` and ``_high`` (the ``ci`` interval over runs), and
            ``runs`` counts the runs that knew the term in both periods.  Sorted by
            ``cosine_distance``, largest first.

        Raises
        ------
        toolkit.errors.NotFoundError
            Terms that no model of the pairs' periods knows (all named; also a
            ``KeyError``); a term known in some periods only has rows for the pairs of
            periods that both know it.

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> era = lambda m: np.where(m["year"] < 1991, "cold war", "after")
        >>> c = tk.load_sample().assign(era=era)
        >>> pe = tk.fit_period_embeddings(c, by="era", vector_size=20, epochs=1, progress=False)
        >>> ch = pe.change(["alliance", "security"], pairs=[("cold war", "after")], min_count=5)
        >>> sorted(ch["term"]), bool(ch["cosine_distance"].between(0, 2).all())
        (['alliance', 'security'], True)
        >>> near = pe.change("security", pairs="first-last", min_count=5, n_neighbours=10)
        >>> bool(near["neighbourhood_distance"].between(0, 2).all())
        True
        """
        _positive_int("n_neighbours", n_neighbours)
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 0:
            raise ParameterError("min_count", min_count, "min_count must be a whole number ≥ 0")
        wanted = None if terms is None else ([terms] if isinstance(terms, str) else list(terms))
        chosen_pairs = self._pairs(pairs)
        if wanted is not None:
            self._check_known(
                "terms", wanted, list(dict.fromkeys(p for ab in chosen_pairs for p in ab))
            )
        frames = []
        for a, b in chosen_pairs:
            first_a, first_b = self._models(a)[0], self._models(b)[0]
            candidates = wanted if wanted is not None else first_a.terms
            chosen = [
                t
                for t in candidates
                if t in first_a
                and t in first_b
                and _at_least(first_a.count(t), min_count)
                and _at_least(first_b.count(t), min_count)
            ]
            if not chosen:
                continue
            cos = np.full((self.runs, len(chosen)), np.nan)
            local = np.full((self.runs, len(chosen)), np.nan)
            for r, (ma, mb) in enumerate(zip(self._models(a), self._models(b), strict=True)):
                cos[r], local[r] = _change_scores(ma, mb, chosen, n_neighbours)
            frame: dict[str, Any] = {
                "term": chosen,
                "period_from": [a] * len(chosen),
                "period_to": [b] * len(chosen),
                "count_from": [first_a.count(t) for t in chosen],
                "count_to": [first_b.count(t) for t in chosen],
            }
            for name, values in (("cosine_distance", cos), ("neighbourhood_distance", local)):
                with np.errstate(all="ignore"):
                    frame[name] = np.nanmean(values, axis=0)
                    if self.runs > 1:
                        frame[f"{name}_sd"] = np.nanstd(values, axis=0, ddof=1)
                        lo, hi = _interval(values, self.ci)
                        frame[f"{name}_low"], frame[f"{name}_high"] = lo, hi
            frame["runs"] = (~np.isnan(cos)).sum(axis=0)
            frames.append(pd.DataFrame(frame))
        if not frames:
            return pd.DataFrame(
                columns=[
                    "term",
                    "period_from",
                    "period_to",
                    "count_from",
                    "count_to",
                    "cosine_distance",
                    "neighbourhood_distance",
                    "runs",
                ]
            )
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values("cosine_distance", ascending=False, ignore_index=True)

    @renamed_arguments({"k": Renamed("n_neighbours")})
    @fill_doc
    def most_changed(
        self,
        n: int = 20,
        pairs: str | Sequence[tuple[Any, Any]] = "first-last",
        min_count: int = 20,
        measure: str = "cosine_distance",
        n_neighbours: int = 25,
    ) -> pd.DataFrame:
        """The ``n`` terms that changed most between periods (see :meth:`change`).

        Parameters
        ----------
        n : int
            Terms per pair of periods.
        pairs : "consecutive", "first-last" or list of (period, period)
            As in :meth:`change` (default: the first period against the last).
        min_count : int
            {params.min_count}
            As in :meth:`change`.
        measure : {"cosine_distance", "neighbourhood_distance"}
            The measure that ranks the terms, largest first.
        n_neighbours : int
            As in :meth:`change`: neighbours per period in the neighbourhood measure.
            Replaces ``k`` (deprecated).

        Returns
        -------
        pandas.DataFrame
            The rows of :meth:`change` with the ``n`` largest values of ``measure`` for
            each pair of periods, largest first.

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> era = lambda m: np.where(m["year"] < 1991, "cold war", "after")
        >>> c = tk.load_sample().assign(era=era)
        >>> pe = tk.fit_period_embeddings(c, by="era", vector_size=20, epochs=1, progress=False)
        >>> len(pe.most_changed(5, min_count=50))
        5
        >>> top = pe.most_changed(3, min_count=50, measure="neighbourhood_distance",
        ...                       n_neighbours=10)
        >>> bool(top["neighbourhood_distance"].is_monotonic_decreasing)
        True
        """
        valid = ("cosine_distance", "neighbourhood_distance")
        if measure not in valid:
            raise ParameterError("measure", measure, valid=valid)
        table = self.change(None, pairs=pairs, min_count=min_count, n_neighbours=n_neighbours)
        return (
            table.sort_values(measure, ascending=False, ignore_index=True)
            .groupby(["period_from", "period_to"], sort=False)
            .head(n)
            .reset_index(drop=True)
        )

    @fill_doc
    def trajectory(
        self,
        term: str,
        n: int = 5,
        periods: Sequence[Any] | None = None,
        min_count: int | None = None,
    ):
        """Coordinates for a HistWords-style figure of a term moving through its neighbours.

        The term's aligned vector in each period and its ``n`` nearest neighbours there
        (first run; only neighbours seen ``min_count`` times, if given) are projected onto
        the first two principal components of all these vectors (a linear projection, so
        distances are shown as faithfully as two dimensions allow).

        Parameters
        ----------
        term : str
            The term followed.
        n : int
            Neighbours per period.
        periods : list, optional
            Periods shown, in order (default: all); a period whose model lacks the term is
            left out.
        min_count : int, optional
            {params.min_count}
            Here the neighbour's count in the period's training data; ``None`` keeps all.

        Returns
        -------
        pandas.DataFrame
            ``period``, ``word``, ``kind`` (``"term"`` or ``"neighbour"``), ``x``, ``y``,
            ``similarity`` (of the neighbour to the term in that period).

        Raises
        ------
        toolkit.errors.NotFoundError
            A term that no model of the periods shown knows (also a ``KeyError``).

        Examples
        --------
        >>> import numpy as np
        >>> import toolkit as tk
        >>> era = lambda m: np.where(m["year"] < 1991, "cold war", "after")
        >>> c = tk.load_sample().assign(era=era)
        >>> pe = tk.fit_period_embeddings(c, by="era", vector_size=20, epochs=1, progress=False)
        >>> pe.trajectory("peace", n=3)["kind"].value_counts().to_dict()
        {'neighbour': 6, 'term': 2}
        """
        _positive_int("n", n)
        periods = self.periods if periods is None else list(periods)
        for p in periods:
            self._models(p)
        if not any(term in self._models(p)[0] for p in periods):
            first = self._models(periods[0])[0] if periods else next(iter(self.models.values()))[0]
            raise NotFoundError(
                "term",
                term,
                f"term={term!r}: " + first._not_found([term], where=f" of any period {periods}"),
            )
        rows, vecs = [], []
        for p in periods:
            m = self._models(p)[0]
            if term not in m:
                continue
            u = m.unit_vectors()
            rows.append({"period": p, "word": term, "kind": "term", "similarity": 1.0})
            vecs.append(u[m.kv.key_to_index[term]])
            for r in m.most_similar(term, n=n, min_count=min_count).itertuples():
                rows.append(
                    {"period": p, "word": r.term, "kind": "neighbour", "similarity": r.similarity}
                )
                vecs.append(u[m.kv.key_to_index[r.term]])
        x = np.asarray(vecs, dtype=np.float64)
        x = x - x.mean(axis=0)
        _, _, vt = np.linalg.svd(x, full_matrices=False)
        xy = x @ vt[:2].T if vt.shape[0] >= 2 else np.c_[x @ vt[:1].T, np.zeros(len(x))]
        out = pd.DataFrame(rows)
        out["x"], out["y"] = xy[:, 0], xy[:, 1]
        return out[["period", "word", "kind", "x", "y", "similarity"]]


def _change_scores(
    a: Embeddings, b: Embeddings, terms: Sequence[str], n_neighbours: int, chunk: int = 512
) -> tuple[np.ndarray, np.ndarray]:
    """Cosine distance of aligned vectors and the neighbourhood distance, per term (NaN
    where a model lacks the term)."""
    cos = np.full(len(terms), np.nan)
    local = np.full(len(terms), np.nan)
    shared = [t for t in a.terms if t in b.kv.key_to_index]
    if not shared:
        return cos, local
    ua, ub = a.unit_vectors(), b.unit_vectors()
    sa = ua[[a.kv.key_to_index[t] for t in shared]]
    sb = ub[[b.kv.key_to_index[t] for t in shared]]
    pos_shared = {t: i for i, t in enumerate(shared)}
    known = [i for i, t in enumerate(terms) if t in pos_shared]
    kk = min(n_neighbours, len(shared) - 1)
    for start in range(0, len(known), chunk):
        rows = known[start : start + chunk]
        idx = np.array([pos_shared[terms[i]] for i in rows])
        va, vb = sa[idx], sb[idx]
        cos[rows] = 1.0 - np.sum(va.astype(np.float64) * vb, axis=1)
        if kk < 1:
            continue
        sim_a = va @ sa.T  # (chunk, shared)
        sim_b = vb @ sb.T
        mask = np.zeros(sim_a.shape, dtype=bool)
        for sim in (sim_a, sim_b):
            s = sim.copy()
            s[np.arange(len(idx)), idx] = -np.inf  # the term itself is not its neighbour
            top = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
            np.put_along_axis(mask, top, True, axis=1)
        xa = np.where(mask, sim_a, 0.0).astype(np.float64)
        xb = np.where(mask, sim_b, 0.0).astype(np.float64)
        num = np.sum(xa * xb, axis=1)
        den = np.linalg.norm(xa, axis=1) * np.linalg.norm(xb, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            local[rows] = 1.0 - num / den
    return cos, local


@validate_params(
    {
        **_TRAINING_CONSTRAINTS,
        "by": [str],
        "runs": [Interval(Integral, 1, None)],
        "resample": [StrOptions(("seed", "bootstrap"))],
        "processes": [None, Interval(Integral, 1, None)],
        "ci": [Interval(Real, 0, 1, closed="neither")],
    },
    renamed={"lowercase": Renamed("case_sensitive", invert=True)},
)
@fill_doc
def fit_period_embeddings(
    corpus: Corpus,
    by: str = "decade",
    *,
    periods: Sequence[Any] | None = None,
    runs: int = 1,
    resample: str = "seed",
    reference: Any = None,
    processes: int | None = None,
    ci: float = 0.95,
    unit: str = "sentence",
    layer: str = "word",
    vector_size: int = 100,
    window: int = 5,
    min_count: int = 5,
    epochs: int = 5,
    sg: int = 0,
    hs: int = 0,
    negative: int = 5,
    sample: float = 1e-3,
    alpha: float = 0.025,
    min_alpha: float = 0.0001,
    seed: int = 0,
    case_sensitive: bool = False,
    punct: bool = False,
    numbers: bool = True,
    split_hyphens: bool = False,
    min_length: int = 1,
    stopwords: Iterable[str] | None = None,
    pos: str | Sequence[str] | None = None,
    compound: Any = None,
    cache: bool = True,
    progress: bool | None = None,
) -> PeriodEmbeddings:
    """One Word2Vec model per period, aligned to a common space (diachronic embeddings).

    The documents of each period (``by``) give its training data, as in
    :func:`fit_embeddings`; every model is then rotated into the space of the reference
    period's model with orthogonal Procrustes on the terms both know (:func:`align`;
    Hamilton, Leskovec & Jurafsky 2016).

    Embeddings of small corpora are unstable: another seed or another sample of the same
    texts moves the nearest neighbours (Antoniak & Mimno 2018).  ``runs`` trains each period
    several times — with seeds ``seed, seed + 1, …`` (``resample="seed"``), or each on a
    bootstrap sample of the period's documents drawn with replacement
    (``resample="bootstrap"``, Antoniak & Mimno's procedure) — and every table of the result
    reports the spread over the runs.  Each run is aligned within itself.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
    by : str
        {params.by}
        Here one column, whose values are the periods: ``"decade"`` (made from a ``year``
        column) or any metadata column (e.g. an era made with ``corpus.assign(era=...)``).
    periods : list, optional
        Periods to model, in order (default: every value of ``by``, sorted).
    runs : int
        Models per period (default 1).
    resample : {"seed", "bootstrap"}
    reference : optional
        The period whose space the others are rotated into (default: the last).
    processes : int, optional
        Models trained at once, each in its own process with one gensim worker, so every
        model is reproducible (default: the machine's cores, at most the number of models).
    ci : float
        Width of the intervals over runs (default 0.95).
    layer : str
        {params.layer}
        As in :func:`fit_embeddings`.
    window : int
        {params.window}
        As in :func:`fit_embeddings`: gensim's Word2Vec ``window``, at least 1, not bounded
        by the option ``max_window``.
    min_count : int
        {params.min_count}
        As in :func:`fit_embeddings`: terms seen fewer times in a period's training data
        get no vector in that period's model.
    seed : int
        {params.seed}
        As in :func:`fit_embeddings`; with ``runs`` above 1, see ``resample``.
    case_sensitive : bool
        {params.case_sensitive}
        As in :func:`fit_embeddings`.
    punct : bool
        {params.punct}
        As in :func:`fit_embeddings`.
    stopwords : iterable of str, optional
        {params.stopwords}
        As in :func:`fit_embeddings`.
    unit, vector_size, epochs, sg, hs, negative, sample, alpha, min_alpha
        As in :func:`fit_embeddings`.
    numbers, split_hyphens, min_length, pos, compound
        Options of the token stream, as in :func:`fit_embeddings`.
    cache : bool
        Each model is cached as in :func:`fit_embeddings` (by the content of its data).
    progress : bool, optional
        Progress bar over the models.

    Returns
    -------
    PeriodEmbeddings

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample().query("year >= 1980")
    >>> pe = tk.fit_period_embeddings(c, by="decade", vector_size=20, epochs=1, progress=False)
    >>> pe.periods
    [1980, 1990, 2000, 2010, 2020]
    """
    w2v = _check_w2v(
        dict(
            vector_size=vector_size,
            window=window,
            min_count=min_count,
            epochs=epochs,
            sg=sg,
            hs=hs,
            negative=negative,
            sample=sample,
            alpha=alpha,
            min_alpha=min_alpha,
        )
    )
    seed = _check_seed(seed)
    runs = _positive_int("runs", runs)
    if resample not in ("seed", "bootstrap"):
        raise ParameterError("resample", resample, valid=["seed", "bootstrap"])
    if isinstance(ci, bool) or not isinstance(ci, int | float) or not 0 < ci < 1:
        raise ParameterError("ci", ci, "ci must be a number between 0 and 1")
    kwargs, record = _options(
        unit,
        layer,
        case_sensitive,
        punct,
        numbers,
        split_hyphens,
        min_length,
        stopwords,
        pos,
        compound,
    )
    labels = _period_labels(corpus, by)
    present = sorted(pd.unique(labels).tolist())
    if periods is None:
        periods = present
    else:
        periods = list(periods)
        missing = [p for p in periods if p not in present]
        if missing or not periods:
            raise ParameterError("periods", periods, f"no documents for {missing}", valid=present)
    if reference is None:
        reference = periods[-1]
    elif reference not in periods:
        raise ParameterError("reference", reference, valid=periods)
    if processes is None:
        processes = os.cpu_count() or 1
    processes = _check_workers(processes)

    units = _stream_units(corpus, unit, layer, kwargs, progress)
    period_of_doc = labels.to_numpy()
    jobs: list[tuple[Any, int, _Units, dict[str, Any]]] = []
    for p in periods:
        docs = np.flatnonzero(period_of_doc == p)
        mine = np.flatnonzero(np.isin(units.doc, docs))
        by_doc = pd.Series(mine).groupby(units.doc[mine]).apply(list).to_dict()
        for r in range(runs):
            chosen = mine
            if resample == "bootstrap":
                rng = np.random.default_rng([seed, r])
                sample_docs = rng.choice(docs, size=len(docs), replace=True)
                # the units of each drawn document, in the order drawn
                chosen = np.array(
                    [u for d in sample_docs.tolist() for u in by_doc.get(d, [])], dtype=np.int64
                )
            data = units.subset(chosen).split_long()
            if len(data.ids) == 0:
                raise ParameterError("periods", p, f"period {p!r} has no tokens")
            _check_vocabulary(data, min_count, f"period {p!r}: ")
            settings = {
                **record,
                **w2v,
                "seed": seed + r,
                "workers": 1,
                "period": _plain_label(p),
                "run": r,
                "resample": resample,
            }
            jobs.append((p, r, data, settings))

    results: dict[tuple[Any, int], tuple[list[str], np.ndarray, np.ndarray]] = {}
    todo = []
    for p, r, data, settings in jobs:
        found = _try_load(data, settings) if cache else None
        if found is not None:
            results[(p, r)] = found
        else:
            todo.append((p, r, data, settings))
    bar = tqdm(total=len(jobs), desc="period models", unit=" models", **progress_options(progress))
    bar.update(len(jobs) - len(todo))
    try:
        n_proc = min(processes, len(todo))
        if n_proc <= 1:
            for p, r, data, settings in todo:
                results[(p, r)] = _train(data, w2v, settings["seed"], 1, False)
                bar.update(1)
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context(
                "fork" if "fork" in multiprocessing.get_all_start_methods() else None
            )
            with ProcessPoolExecutor(n_proc, mp_context=context) as pool:
                futures = {
                    pool.submit(_train_job, (data, w2v, settings["seed"])): (p, r)
                    for p, r, data, settings in todo
                }
                from concurrent.futures import as_completed

                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    bar.update(1)
    finally:
        bar.close()
    if cache:
        for p, r, data, settings in todo:
            _cached(data, settings, lambda v=results[(p, r)]: v, True)

    raw: dict[Any, list[Embeddings]] = {}
    for p, r, _, settings in jobs:
        terms, vectors, counts = results[(p, r)]
        if not terms:
            raise ParameterError(
                "min_count", min_count, f"period {p!r}: no term occurs {min_count} times"
            )
        raw.setdefault(p, []).append(
            Embeddings(_keyed_vectors(terms, vectors, counts), counts, settings)
        )
    models: dict[Any, list[Embeddings]] = {}
    for p in periods:
        models[p] = [
            align(raw[p][r], raw[reference][r]) if p != reference else _unit_model(raw[p][r])
            for r in range(runs)
        ]
    return PeriodEmbeddings(models, by, resample, reference, ci)


def _plain_label(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def _unit_model(m: Embeddings) -> Embeddings:
    """The reference model with unit-length vectors, as the aligned ones."""
    return Embeddings(
        _keyed_vectors(m.terms, m.unit_vectors(), m.counts),
        m.counts,
        {**m.settings, "aligned_on": len(m)},
    )


def _try_load(data: _Units, settings: dict[str, Any]):
    """A cached model for this data and these settings, or ``None``."""
    params = _model_params(data, settings)
    key = content_key(params)
    folder = cache_dir() / "embeddings" / key
    if not folder.exists():
        return None
    import warnings

    from .cache import open_entry
    from .errors import CacheWarning

    try:
        return _load_model(
            open_entry(folder, kind=_CACHE_KIND, key=key, params=params), settings["vector_size"]
        )
    except CacheError as err:
        warnings.warn(
            f"rebuilding the word embeddings: the cached copy is unusable ({err})",
            CacheWarning,
            stacklevel=3,
        )
        return None


# --------------------------------------------------------------------------- scores
def _pole_rows(emb: Embeddings, patterns: Sequence[str], pole: str) -> list[int]:
    """Rows of the vocabulary that a pole's patterns (words or globs) match, compared in
    lower case (:func:`toolkit.tokenize.search_form`) as every pattern of the toolkit."""
    from .patterns import match_layer_values
    from .tokenize import search_form

    folded = emb._folded()
    chosen: set[int] = set()
    plain = [search_form(str(p)) for p in patterns if not any(ch in str(p) for ch in "*?[")]
    forms = {w: [w] for w in plain}
    if emb.layer in ("stem", "lemma") and plain:
        # a word also matches its stem (Snowball) or its lemma (simplemma, English) on a
        # model of that layer, so one list of word forms serves every layer
        from .annotators import get_lemmatizer, get_stemmer

        tool = get_stemmer("en").stem if emb.layer == "stem" else get_lemmatizer("en").lemmatize
        for w, f in zip(plain, tool(plain), strict=True):
            forms[w].append(search_form(f))
    for pat in patterns:
        pat = str(pat)
        if any(ch in pat for ch in "*?["):
            mask = match_layer_values(np.asarray(emb.terms, dtype=object), pat, match="glob")
            chosen.update(np.flatnonzero(mask).tolist())
        else:
            for form in forms[search_form(pat)]:
                chosen.update(folded.get(form, ()))
    if not chosen:
        raise ParameterError(
            "poles", pole, f"no word of the pole {pole!r} is in the embeddings' vocabulary"
        )
    return sorted(chosen)


def pole_lists() -> list[str]:
    """Names of the pole lists bundled in ``corpora/poles/`` (see ``corpora/README.md``).

    Examples
    --------
    >>> import toolkit as tk
    >>> "affect-cognition" in tk.pole_lists()
    True
    """
    from .samples import corpora_dir

    folder = corpora_dir() / "poles"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def _read_poles(source: str | os.PathLike) -> Any:
    """The poles of a bundled list (by name) or of a JSON file (``{"poles": {...}}`` or the
    mapping itself)."""
    import json

    from .samples import corpora_dir

    path = Path(source)
    if isinstance(source, str) and path.suffix == "" and len(path.parts) == 1:
        path = corpora_dir() / "poles" / f"{source}.json"
        if not path.is_file():
            raise ParameterError("poles", source, "no such bundled pole list", valid=pole_lists())
    if not path.is_file():
        raise ParameterError("poles", str(source), f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise ParameterError("poles", str(source), f"{path} is not JSON ({err})") from err
    return data.get("poles", data) if isinstance(data, dict) else data


def _check_poles(poles: Any) -> dict[str, list[str]]:
    if isinstance(poles, str | os.PathLike):
        poles = _read_poles(poles)
    if not isinstance(poles, Mapping) or not poles:
        raise ParameterError(
            "poles",
            poles,
            "poles must be a dict (pole name → list of words), the name of a bundled list "
            "or a JSON file",
        )
    out = {}
    for name, words in poles.items():
        if isinstance(words, str) or not isinstance(words, Iterable):
            raise ParameterError("poles", name, f"the pole {name!r} must be a list of words")
        words = [str(w) for w in words]
        if not words:
            raise ParameterError("poles", name, f"the pole {name!r} has no words")
        out[str(name)] = words
    return out


def word_polarity(embeddings: Embeddings, poles: Mapping[str, Sequence[str]] | str) -> pd.DataFrame:
    """Polarity of every word between two poles of seed words, as Latent Semantic Scaling
    computes it (Watanabe 2021, "Latent Semantic Scaling: A semisupervised text analysis
    technique for new domains and languages", *Communication Methods and Measures*).

    The first pole's seeds weigh ``+1``, the second's ``−1``; each side's weight is shared
    equally by its seed patterns and each pattern's weight by the words it matches (LSX's
    ``weight_seeds``).  A word's polarity is ``g_f = Σ_s w_s cos(v_f, v_s)``.

    Parameters
    ----------
    embeddings : Embeddings
    poles : dict, str or path
        Exactly two poles: ``{"positive": [...], "negative": [...]}``; entries may be globs
        (``threat*``) and must use the embeddings' layer (stems for a stem model).  A name
        (``"affect-cognition"``) reads a bundled list, a path a JSON file.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``polarity``, ``count``, sorted by polarity, highest first.

    Examples
    --------
    >>> import toolkit as tk
    >>> emb = tk.fit_embeddings(tk.load_sample(), vector_size=20, epochs=1, progress=False)
    >>> pol = tk.word_polarity(emb, {"peace": ["peace*"], "war": ["war", "wars"]})
    >>> pol.columns.tolist()
    ['term', 'polarity', 'count']
    """
    weights, rows = _seed_weights(embeddings, _check_poles(poles))
    u = embeddings.unit_vectors()
    g = (u @ u[rows].T) @ weights
    counts = embeddings.counts if embeddings.counts is not None else np.full(len(g), -1)
    df = pd.DataFrame({"term": embeddings.terms, "polarity": g.astype(np.float64), "count": counts})
    return df.sort_values("polarity", ascending=False, ignore_index=True)


def _seed_weights(emb: Embeddings, poles: dict[str, list[str]]) -> tuple[np.ndarray, list[int]]:
    if len(poles) != 2:
        raise ParameterError(
            "poles", list(poles), "Latent Semantic Scaling needs exactly two poles"
        )
    weights: dict[int, float] = {}
    for sign, (name, patterns) in zip((1.0, -1.0), poles.items(), strict=True):
        per_pattern = sign / len(patterns)
        matched_any = False
        for pat in patterns:
            try:
                rows = _pole_rows(emb, [pat], name)
            except ParameterError:
                continue
            matched_any = True
            for r in rows:
                weights[r] = weights.get(r, 0.0) + per_pattern / len(rows)
        if not matched_any:
            raise ParameterError(
                "poles", name, f"no word of the pole {name!r} is in the embeddings' vocabulary"
            )
    rows = sorted(weights)
    return np.array([weights[r] for r in rows], dtype=np.float64), rows


_MEASURES = ("similarity", "ratio", "difference", "lss")
_WEIGHTS = ("sif", "tfidf", "none")


@fill_doc
def embedding_scores(
    corpus: Corpus,
    embeddings: Embeddings | Sequence[Embeddings],
    poles: Mapping[str, Sequence[str]] | str | os.PathLike,
    *,
    measure: str = "similarity",
    weights: str = "sif",
    a: float = 1e-3,
    smoothing: float = 1.0,
    unit: str = "document",
    by: str | Sequence[str] | None = None,
    bootstrap: int = 0,
    ci: float = 0.95,
    seed: int = 0,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Score documents, sentences or groups against pole word lists with word embeddings.

    1. **Text vectors.** The tokens of each unit (``unit="document"`` or ``"sentence"``; the
       token stream of the embeddings' training: same layer, same options) are averaged as
       word vectors with weights ``weights``:

       - ``"sif"``: smooth inverse frequency, ``a / (a + p(w))``, with ``p(w)`` the
         word's relative frequency in the embeddings' training data (in the corpus for
         pretrained vectors): Arora, Liang & Ma (2017), who recommend ``a`` between
         ``1e-4`` and ``1e-3``.  (Arora et al. also remove the projection on the first
         principal component of all text vectors; that step is not applied here.)
       - ``"tfidf"``: each token weighs ``log(N / df(w))`` over the ``N`` units (so a
         text's vector is its tf-idf-weighted mean of word vectors);
       - ``"none"``: the plain mean.

       With ``by``, the units of each group are pooled into one vector (the weighted mean
       over all their tokens).
    2. **Poles.** Each pole's centroid is the mean of the unit-length vectors of its words
       (globs such as ``anger*`` match every term of the vocabulary they fit, compared in
       lower case).  On a model of stems or lemmas an entry matches itself and also its
       Snowball stem (``layer="stem"``) or its simplemma lemma (``layer="lemma"``; English),
       so a list of word forms serves every layer; globs are matched as given.
    3. **Scores** (``measure``):

       - ``"similarity"``: the cosine similarity of the text vector to each centroid;
       - ``"ratio"``: with two poles ``A`` and ``C``, ``(cos(d, A) + b) / (cos(d, C) + b)``
         with the smoothing constant ``b = smoothing`` (1 by default, which keeps
         numerator and denominator positive since cosines are ≥ −1): Gennaro & Ash's
         (2022, "Emotion and reason in political language", *The Economic Journal*)
         emotionality score when ``A`` is affect and ``C`` cognition;
       - ``"difference"``: ``cos(d, A) − cos(d, C)``;
       - ``"lss"``: Latent Semantic Scaling (Watanabe 2021): the mean polarity
         (:func:`word_polarity`) of the unit's tokens, each token counted once per
         occurrence (``weights`` is not used), then standardised to mean 0 and standard
         deviation 1 over the rows (LSX's ``predict(rescale = TRUE)``).

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
    embeddings : Embeddings or list of Embeddings
        A list (e.g. models of several seeds) scores with each and adds a ``run`` column.
    poles : dict, str or path
        Pole name → list of words or globs; or the name of a list bundled in
        ``corpora/poles/`` (``"affect-cognition"``: words of emotion and of reasoning, an
        open example written for the toolkit, see ``corpora/README.md``); or a JSON file
        holding such a mapping (alone or under ``"poles"``).
    measure : {"similarity", "ratio", "difference", "lss"}
    weights : {"sif", "tfidf", "none"}
    a : float
        SIF's constant.
    smoothing : float
        ``b`` of the ratio.
    unit : {"document", "sentence"}
    by : str or list of str, optional
        {params.by}
        Here one pooled vector (and score) per group; ``None`` (default) scores each unit.
    bootstrap : int
        With ``by``, also resample each group's units with replacement this many times and
        report the ``ci`` percentile interval of the score (``score_low``, ``score_high``).
    ci : float
    seed : int
        {params.seed}
        Here the seed of the bootstrap samples.
    progress : bool, optional

    Returns
    -------
    pandas.DataFrame
        One row per unit (with ``doc_id``, ``sentence`` for sentences, and the metadata)
        or per group (the ``by`` columns, ``units``); ``scored`` (the tokens scored: those
        of the token stream that have a vector in the model, each occurrence counted; not
        ``tokens``, which in every table means all tokens, punctuation included);
        ``similarity_<pole>`` per pole (not for ``"lss"``); ``score`` (the measure; for
        ``"similarity"`` with one pole, its similarity; with several, the first pole's).
        Rows whose units have no token with a vector (``scored`` 0) have NaN scores.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> emb = tk.fit_embeddings(c, vector_size=20, epochs=1, progress=False)
    >>> poles = {"conflict": ["war", "conflict*"], "cooperation": ["cooperat*", "peace"]}
    >>> s = tk.embedding_scores(c, emb, poles, measure="ratio", by=["year", "country"])
    >>> s.columns.tolist()[:3], len(s) == c.meta.groupby(["year", "country"]).ngroups
    (['year', 'country', 'units'], True)
    """
    if measure not in _MEASURES:
        raise ParameterError("measure", measure, valid=_MEASURES)
    if weights not in _WEIGHTS:
        raise ParameterError("weights", weights, valid=_WEIGHTS)
    poles = _check_poles(poles)
    if measure in ("ratio", "difference", "lss") and len(poles) != 2:
        raise ParameterError("poles", list(poles), f"measure={measure!r} needs exactly two poles")
    for name, value, low in (("a", a, 0.0), ("smoothing", smoothing, None)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or (low is not None and value <= low)
        ):
            raise ParameterError(name, value, f"{name} must be a finite number > 0")
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise ParameterError("bootstrap", bootstrap, "bootstrap must be a whole number ≥ 0")
    if isinstance(ci, bool) or not isinstance(ci, int | float) or not 0 < ci < 1:
        raise ParameterError("ci", ci, "ci must be a number between 0 and 1")
    if bootstrap and by is None:
        raise ParameterError(
            "bootstrap", bootstrap, "bootstrap resamples units within groups: give by="
        )
    group_cols = None
    if by is not None:
        from .corpus import metadata_columns

        group_cols = metadata_columns(corpus.meta, by)
    models = [embeddings] if isinstance(embeddings, Embeddings) else list(embeddings)
    if not models or not all(isinstance(m, Embeddings) for m in models):
        raise ParameterError("embeddings", embeddings, "give Embeddings or a list of them")
    from .token_streams import BY_UNITS

    if unit not in BY_UNITS:
        raise ParameterError("unit", unit, valid=BY_UNITS)
    for m in models:  # poles are checked before any work
        if measure == "lss":
            _seed_weights(m, poles)
        else:
            for name, words in poles.items():
                _pole_rows(m, words, name)

    # the token stream, once per distinct stream setting
    frames = []
    streams: dict[str, _Units] = {}
    for run, m in enumerate(models):
        opts = {k: m.settings[k] for k in _STREAM_OPTIONS if k in m.settings}
        opts["stopwords"] = sorted(m.settings.get("stopwords") or ())
        opts["pos"] = m.settings.get("pos")
        skey = canonical_json({"layer": m.layer, **opts})
        if skey not in streams:
            streams[skey] = _stream_units(corpus, unit, m.layer, opts, progress)
        frame = _score_with(
            corpus,
            streams[skey],
            m,
            poles,
            measure,
            weights,
            a,
            smoothing,
            unit,
            group_cols,
            bootstrap,
            ci,
            seed,
        )
        if len(models) > 1:
            frame.insert(0, "run", run)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _score_with(
    corpus: Corpus,
    units: _Units,
    emb: Embeddings,
    poles: dict[str, list[str]],
    measure: str,
    weights: str,
    a: float,
    smoothing: float,
    unit: str,
    group_cols: list[str] | None,
    bootstrap: int,
    ci: float,
    seed: int,
) -> pd.DataFrame:
    from scipy import sparse

    # stream vocabulary → embedding rows (−1: no vector)
    key_to_index = emb.kv.key_to_index
    row_of = np.array([key_to_index.get(t, -1) for t in units.vocab.tolist()], dtype=np.int32)
    n_units, n_terms = len(units), len(emb)
    # unit × term counts, built as compressed rows straight from the token arrays (4 bytes
    # a token: the 35 million tokens of the full UN corpus need about 300 MB here)
    tok_rows = row_of[units.ids] if len(units.ids) else np.zeros(0, np.int32)
    ok = tok_rows >= 0
    kept_before = np.concatenate(([0], np.cumsum(ok, dtype=np.int64)))
    indptr = kept_before[units.offsets]
    tok_rows = tok_rows[ok]
    del ok
    counts = sparse.csr_matrix(
        (np.ones(len(tok_rows), dtype=np.float32), tok_rows, indptr), shape=(n_units, n_terms)
    )
    del tok_rows, kept_before
    counts.sum_duplicates()
    counts = counts.astype(np.float64)
    # per-term weights
    if measure == "lss":
        w = np.ones(n_terms)
    elif weights == "sif":
        if emb.counts is not None:
            freq = emb.counts.astype(np.float64)
        else:
            freq = np.asarray(counts.sum(axis=0)).ravel()
        p = freq / max(freq.sum(), 1.0)
        w = a / (a + p)
    elif weights == "tfidf":
        df = np.bincount(counts.indices, minlength=n_terms).astype(np.float64)
        with np.errstate(divide="ignore"):
            w = np.where(df > 0, np.log(n_units / np.maximum(df, 1)), 0.0)
    else:
        w = np.ones(n_terms)
    weighted = counts @ sparse.diags(w)
    n_scored = np.asarray(counts.sum(axis=1)).ravel()
    weight_sum = np.asarray(weighted.sum(axis=1)).ravel()
    if measure == "lss":
        pw, seed_rows = _seed_weights(emb, poles)
        u = emb.unit_vectors()
        polarity = (u @ u[seed_rows].T) @ pw
        sums = np.asarray(weighted @ polarity).reshape(-1, 1)
    else:
        sums = np.asarray(weighted @ emb.kv.vectors.astype(np.float64))
    centroids = {}
    if measure != "lss":
        u = emb.unit_vectors()
        for name, words in poles.items():
            c = u[_pole_rows(emb, words, name)].mean(axis=0).astype(np.float64)
            centroids[name] = c / (np.linalg.norm(c) or 1.0)

    def score(vec_sums: np.ndarray, wsum: np.ndarray, ntok: np.ndarray) -> dict[str, np.ndarray]:
        """Scores of rows given their summed weighted vectors (cosine is scale-free)."""
        out: dict[str, np.ndarray] = {}
        empty = ntok == 0
        if measure == "lss":
            with np.errstate(invalid="ignore", divide="ignore"):
                out["score"] = np.where(empty, np.nan, vec_sums[..., 0] / np.maximum(ntok, 1))
            return out
        norms = np.linalg.norm(vec_sums, axis=-1)
        norms = np.where(norms == 0, np.nan, norms)
        sims = {}
        for name, c in centroids.items():
            s = (vec_sums @ c) / norms
            sims[name] = np.where(empty, np.nan, s)
            out[f"similarity_{name}"] = sims[name]
        names = list(centroids)
        if measure == "ratio":
            out["score"] = (sims[names[0]] + smoothing) / (sims[names[1]] + smoothing)
        elif measure == "difference":
            out["score"] = sims[names[0]] - sims[names[1]]
        else:
            out["score"] = sims[names[0]]
        return out

    # rows: units, or groups of units
    if group_cols is None:
        values = score(sums, weight_sum, n_scored)
        meta = corpus.meta.iloc[units.doc].reset_index()
        if unit == "sentence":
            meta.insert(1, "sentence", units.number)
        frame = meta.assign(scored=np.rint(n_scored).astype(np.int64), **values)
        if measure == "lss":
            frame["score"] = _standardise(frame["score"].to_numpy())
        return frame
    meta = corpus.meta.iloc[units.doc][group_cols].reset_index(drop=True)
    grouping = meta.groupby(group_cols, sort=True, dropna=False)
    codes = grouping.ngroup().to_numpy()
    keys = grouping.size().reset_index().drop(columns=0)
    n_groups = len(keys)
    g = sparse.csr_matrix(
        (np.ones(n_units), (codes, np.arange(n_units))), shape=(n_groups, n_units)
    )
    g_sums = np.asarray(g @ sums)
    g_w = np.asarray(g @ weight_sum).ravel()
    g_n = np.asarray(g @ n_scored).ravel()
    values = score(g_sums, g_w, g_n)
    frame = keys.assign(
        units=np.bincount(codes, minlength=n_groups), scored=np.rint(g_n).astype(np.int64), **values
    )
    if measure == "lss":
        mean, sd = np.nanmean(frame["score"]), np.nanstd(frame["score"], ddof=1)
        frame["score"] = (frame["score"] - mean) / sd
    if bootstrap:
        rng = np.random.default_rng(seed)
        low = np.full(n_groups, np.nan)
        high = np.full(n_groups, np.nan)
        members = pd.Series(np.arange(n_units)).groupby(codes).apply(np.asarray)
        for gi, rows in zip(members.index.tolist(), members.tolist(), strict=True):
            draws = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)), size=bootstrap)
            draws = draws.astype(np.float64)  # a float matrix product (BLAS)
            bs = score(draws @ sums[rows], draws @ weight_sum[rows], draws @ n_scored[rows])[
                "score"
            ]
            if measure == "lss":
                bs = (bs - mean) / sd
            low[gi], high[gi] = _interval(bs, ci) if np.isfinite(bs).any() else (np.nan, np.nan)
        frame["score_low"], frame["score_high"] = low, high
    return frame


def _standardise(x: np.ndarray) -> np.ndarray:
    mean, sd = np.nanmean(x), np.nanstd(x, ddof=1)
    return (x - mean) / sd if sd and np.isfinite(sd) else x - mean
