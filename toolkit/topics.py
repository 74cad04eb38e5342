"""Topic models with gensim's LDA, built straight from the token index.

Preprocessing (:class:`TopicSettings`) works on the index's integer-coded types, so texts
are not tokenised again: case is folded; punctuation, numbers, stopwords (the bundled
list plus a user's domain list) and words shorter than ``min_length`` are dropped; terms are
kept when they occur in at least ``no_below`` documents and in at most a share
``no_above`` of them (the bounds of gensim's ``Dictionary.filter_extremes``), and the
``keep_n`` most frequent survive.  Optionally, gensim's ``Phrases`` joins frequent word
pairs (``security_council``) first.  The bag-of-words corpus is a gensim-compatible
list of sparse rows made from the document × term counts in one vectorised pass.

The model is gensim's ``LdaModel`` (``LdaMulticore`` when ``workers > 1``); same seed,
same data and one worker give identical topics.  Relevance follows Sievert & Shirley
(2014, "LDAvis", ACL workshop): ``λ log φ_kw + (1 − λ) log(φ_kw / p_w)``.  Coherence comes
from gensim's ``CoherenceModel`` (Röder, Both & Hinneburg 2015).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._progress import progress_options
from .corpus import Corpus, metadata_columns
from .index import cache_dir
from .stopwords import stopwords as bundled_stopwords

__all__ = ["TopicSettings", "TopicModel", "prepare_topics", "fit_topics", "sweep_topics"]


@dataclass
class TopicSettings:
    """Preprocessing choices for topic models (all recorded with a saved model)."""

    stopwords: str | None = "english"
    extra_stopwords: Sequence[str] = field(default_factory=list)
    min_length: int = 3
    no_below: int = 5
    no_above: float = 0.5
    keep_n: int | None = 20000
    phrases: bool = False
    phrase_min_count: int = 20
    phrase_threshold: float = 10.0


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


def prepare_topics(
    corpus: Corpus, settings: TopicSettings | None = None, **kwargs: Any
) -> PreparedCorpus:
    """Preprocess a corpus for topic modelling (see the module documentation).

    Parameters
    ----------
    corpus : Corpus
    settings : TopicSettings, optional
    **kwargs
        Override fields of ``settings``, e.g. ``no_below=2``.

    Returns
    -------
    PreparedCorpus

    Raises
    ------
    ValueError
        When no vocabulary is left; the message says which filter removed it.

    Examples
    --------
    >>> import toolkit as tk
    >>> prep = prepare_topics(tk.load_sample(), no_below=20)
    >>> len(prep.bow), len(prep.dictionary) > 1000
    (371, True)
    """
    settings = settings or TopicSettings()
    for k, v in kwargs.items():
        if not hasattr(settings, k):
            raise TypeError(f"unknown topic setting {k!r}")
        setattr(settings, k, v)
    view = corpus.index()
    idx = view.index
    terms = idx.lower_vocab.astype(str)
    stop = set(bundled_stopwords(settings.stopwords)) if settings.stopwords else set()
    stop |= {w.lower() for w in settings.extra_stopwords}
    word_types = np.zeros(len(terms), dtype=bool)
    word_types[np.asarray(idx.lower)[idx.is_word]] = True
    alpha = np.array([any(ch.isalpha() for ch in t) for t in terms])
    long_enough = np.array([len(t) >= settings.min_length for t in terms])
    not_stop = np.array([t not in stop for t in terms])
    steps = [
        ("punctuation", word_types),
        ("numbers", alpha),
        (f"min_length={settings.min_length}", long_enough),
        ("stopwords", not_stop),
    ]
    keep = np.ones(len(terms), dtype=bool)
    for name, mask in steps:
        keep &= mask
        if not keep.any():
            raise ValueError(f"no vocabulary left after removing {name}")
    stream = view.token_stream()
    lower = np.asarray(idx.lower, dtype=np.int64)[stream]
    rows = np.repeat(np.arange(len(view.docs)), view.doc_lengths)
    ok = keep[lower]
    lower, rows = lower[ok], rows[ok]
    n_docs = len(view.docs)
    n_terms = len(terms)
    if settings.phrases:
        from gensim.corpora import Dictionary
        from gensim.models.phrases import Phrases

        bounds = np.searchsorted(rows, np.arange(n_docs + 1))
        doc_lists = [terms[lower[bounds[i] : bounds[i + 1]]].tolist() for i in range(n_docs)]
        phr = Phrases(
            doc_lists,
            min_count=settings.phrase_min_count,
            threshold=settings.phrase_threshold,
            delimiter="_",
        )
        doc_lists = [phr[d] for d in doc_lists]
        dictionary = Dictionary(doc_lists)
    else:
        key, counts = np.unique(rows * n_terms + lower, return_counts=True)
        pair_rows, pair_terms = key // n_terms, key % n_terms
        dictionary = _dictionary_from_pairs(terms, pair_terms, counts, n_docs)
    n_before = len(dictionary)
    dictionary.filter_extremes(
        no_below=settings.no_below, no_above=settings.no_above, keep_n=settings.keep_n
    )
    if len(dictionary) == 0:
        raise ValueError(
            f"no vocabulary left after filter_extremes(no_below={settings.no_below}, "
            f"no_above={settings.no_above}) of {n_before} terms in {n_docs} documents; "
            "lower no_below or raise no_above"
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
    return PreparedCorpus(corpus, settings, dictionary, bow, tokens, offsets)


class TopicModel:
    """A fitted topic model: gensim's LDA plus the corpus it was fitted on.

    Use ``model.gensim`` for gensim's own API.  ``model.labels`` (settable) names the
    topics in every table and plot.
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

    @property
    def _theta(self) -> np.ndarray:
        """Document-topic shares, inferred on first use (gensim's variational inference)."""
        if self._doc_topics is None:
            if self.prepared is None:
                raise ValueError("this model was saved without document-topic shares")
            self._doc_topics = _doc_topic_matrix(self.gensim, self.prepared.bow)
        return self._doc_topics

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    @labels.setter
    def labels(self, labels: Sequence[str]) -> None:
        if len(labels) != self.k or len(set(labels)) != self.k:
            raise ValueError(f"give {self.k} distinct labels, not {list(labels)}")
        self._labels = [str(x) for x in labels]

    def __repr__(self) -> str:
        return f"<TopicModel k={self.k}, {len(self.meta)} documents, seed={self.seed}>"

    def topic_terms(self, n: int = 10, relevance: float = 1.0) -> pd.DataFrame:
        """Top terms per topic, ranked by relevance (λ = 1: by probability).

        Returns
        -------
        pandas.DataFrame
            ``topic`` (label), ``rank`` (from 1), ``term``, ``weight`` (φ, the term's
            probability in the topic) and ``relevance``.
        """
        if not 0 <= relevance <= 1:
            raise ValueError(f"relevance (λ) must lie in [0, 1], not {relevance}")
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

        With ``aggregate=True`` and a segmented corpus, segments are combined into their
        parent documents, weighted by their number of kept tokens.
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

    def prevalence(self, by: str | Sequence[str] = "year") -> pd.DataFrame:
        """Mean topic share per metadata group (segments first combined into documents).

        Returns
        -------
        pandas.DataFrame
            Long format: the group columns, ``topic``, ``share``.
        """
        cols = metadata_columns(self.meta, by)
        dt = self.doc_topics(aggregate=True)
        meta = self.meta
        if "parent_id" in meta.columns:
            meta = meta.drop_duplicates("parent_id").set_index("parent_id")
        frame = pd.concat([meta.loc[dt.index, cols], dt], axis=1)
        out = frame.groupby(cols, observed=True).mean().reset_index()
        return out.melt(cols, var_name="topic", value_name="share")

    def top_documents(self, topic: int | str, n: int = 10) -> pd.DataFrame:
        """The ``n`` documents where a topic is strongest, with its share."""
        label = self._labels[topic] if isinstance(topic, int | np.integer) else topic
        if label not in self._labels:
            raise KeyError(f"no topic {topic!r}; topics are {self._labels}")
        dt = self.doc_topics()
        top = dt[label].nlargest(n).rename("share").to_frame()
        return top.join(self.meta.drop(columns="_tokens", errors="ignore"))

    def in_context(
        self, corpus: Corpus, topic: int | str, n_terms: int = 5, n_docs: int = 5, window: int = 6
    ) -> Any:
        """Concordance of a topic's top terms in its top documents."""
        from .kwic import kwic

        label = self._labels[topic] if isinstance(topic, int | np.integer) else topic
        terms = self.topic_terms(n_terms).query("topic == @label")["term"].tolist()
        terms = [t.replace("_", " ") for t in terms]
        docs = self.top_documents(label, n_docs).index.tolist()
        return kwic(corpus.select(docs), terms, window=window)

    def coherence(self, measure: str = "c_v", topn: int = 10) -> float:
        """Topic coherence on the corpus the model was fitted on (gensim's CoherenceModel)."""
        if self.prepared is None:
            raise ValueError("coherence needs the fitted corpus; this model was loaded")
        return _coherence(self.gensim, self.prepared, measure, topn)

    def save(self, path: str | Path, with_doc_topics: bool = True) -> None:
        """Save the model, its preprocessing settings, labels and corpus fingerprint (and the
        document-topic shares, unless ``with_doc_topics=False``)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.gensim.save(str(path / "lda.gensim"))
        if with_doc_topics or self._doc_topics is not None:
            np.save(path / "doc_topics.npy", self._theta)
        self.meta.to_pickle(path / "meta.pkl")
        info = {
            "settings": asdict(self.settings),
            "fingerprint": self.fingerprint,
            "seed": self.seed,
            "labels": self._labels,
        }
        (path / "model.json").write_text(json.dumps(info, indent=1, default=list))

    @classmethod
    def load(cls, path: str | Path) -> TopicModel:
        """Load a model written by :meth:`save`."""
        from gensim.models import LdaModel

        path = Path(path)
        if not (path / "model.json").exists():
            raise FileNotFoundError(f"{path}: no saved topic model here")
        info = json.loads((path / "model.json").read_text())
        lda = LdaModel.load(str(path / "lda.gensim"))
        return cls(
            lda,
            None,
            pd.read_pickle(path / "meta.pkl"),
            np.load(path / "doc_topics.npy") if (path / "doc_topics.npy").exists() else None,
            TopicSettings(**info["settings"]),
            info["fingerprint"],
            info["seed"],
            info["labels"],
        )

    def transform(self, corpus: Corpus) -> pd.DataFrame:
        """Topic shares of new documents; they must share most of the model's vocabulary."""
        prep = prepare_topics(
            corpus,
            TopicSettings(
                **{**asdict(self.settings), "no_below": 1, "no_above": 1.0, "keep_n": None}
            ),
        )
        known = self.gensim.id2word.token2id
        ours = prep.dictionary.token2id
        overlap = len(set(ours) & set(known)) / max(len(ours), 1)
        if overlap < 0.5:
            raise ValueError(
                f"only {overlap:.0%} of the corpus's vocabulary is known to the model: "
                "it was fitted on a corpus with another vocabulary"
            )
        id2tok = {i: t for t, i in ours.items()}
        rows = []
        for bow in prep.bow:
            mapped = [(known[id2tok[i]], c) for i, c in bow if id2tok[i] in known]
            dist = self.gensim.get_document_topics(mapped, minimum_probability=0.0)
            rows.append([p for _, p in sorted(dist)])
        return pd.DataFrame(rows, index=corpus.meta.index, columns=self._labels)


def _coherence(lda: Any, prepared: PreparedCorpus, measure: str, topn: int = 10) -> float:
    from gensim.models.coherencemodel import CoherenceModel

    if measure not in ("c_v", "c_npmi", "u_mass", "c_uci"):
        raise ValueError(f"coherence must be 'c_v', 'c_npmi', 'u_mass' or 'c_uci', not {measure!r}")
    kwargs: dict[str, Any] = {
        "model": lda,
        "dictionary": prepared.dictionary,
        "coherence": measure,
        "topn": topn,
        "processes": 1,
    }
    if measure == "u_mass":
        kwargs["corpus"] = prepared.bow
    else:
        kwargs["texts"] = prepared.texts()
    return float(CoherenceModel(**kwargs).get_coherence())


def _fit(
    prepared: PreparedCorpus,
    k: int,
    seed: int | None,
    passes: int,
    iterations: int,
    workers: int,
    alpha: Any,
    eta: Any,
) -> Any:
    from gensim.models import LdaModel, LdaMulticore

    common = dict(
        corpus=prepared.bow,
        id2word=prepared.dictionary,
        num_topics=k,
        random_state=seed,
        passes=passes,
        iterations=iterations,
        eta=eta,
        chunksize=2000,
        eval_every=None,
    )
    if workers > 1:
        return LdaMulticore(
            workers=workers, alpha="symmetric" if alpha == "auto" else alpha, **common
        )
    return LdaModel(alpha=alpha, **common)


def _doc_topic_matrix(lda: Any, bow: Any, chunk: int = 2000) -> np.ndarray:
    parts = []
    for start in range(0, len(bow), chunk):
        gamma, _ = lda.inference([bow[i] for i in range(start, min(len(bow), start + chunk))])
        parts.append(gamma / gamma.sum(axis=1, keepdims=True))
    return np.concatenate(parts) if parts else np.zeros((0, lda.num_topics))


def fit_topics(
    corpus: Corpus | PreparedCorpus,
    k: int = 10,
    seed: int | None = 0,
    passes: int = 10,
    iterations: int = 50,
    workers: int = 1,
    alpha: Any = "auto",
    eta: Any = None,
    settings: TopicSettings | None = None,
    cache: bool = True,
    **prep_kwargs: Any,
) -> TopicModel:
    """Fit an LDA topic model (gensim) to a corpus.

    Parameters
    ----------
    corpus : Corpus or PreparedCorpus
        A corpus (preprocessed with ``settings``) or the result of :func:`prepare_topics`.
        Long documents can be modelled as paragraphs: ``corpus.segment("paragraph")``;
        :meth:`TopicModel.prevalence` then combines the segments into documents.
    k : int
        Number of topics (at least 2, at most the number of documents).
    seed : int or None
        Random state; the same seed, data and ``workers=1`` give identical topics.
    passes, iterations : int
        gensim's training passes over the corpus and inference iterations per document.
    workers : int
        More than 1 uses ``LdaMulticore`` (faster, not bit-for-bit reproducible).
    alpha, eta
        gensim's priors (``alpha="auto"`` learns an asymmetric prior).
    settings : TopicSettings, optional
        Preprocessing; ``**prep_kwargs`` override its fields.
    cache : bool
        Reuse a model fitted before on the same texts with the same settings, seed and
        training parameters (kept under the toolkit's cache folder; single worker only,
        since only that is reproducible).

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> import toolkit as tk
    >>> model = tk.fit_topics(tk.load_sample(), k=5, passes=2, seed=1)
    >>> model.doc_topics().sum(axis=1).round(6).unique().tolist()
    [1.0]
    """
    prepared = (
        corpus
        if isinstance(corpus, PreparedCorpus)
        else prepare_topics(corpus, settings, **prep_kwargs)
    )
    n_docs = len(prepared.bow)
    if not isinstance(k, int | np.integer) or k < 2:
        raise ValueError(f"k must be a whole number ≥ 2, not {k!r}")
    if k > n_docs:
        raise ValueError(f"k={k} topics is more than the {n_docs} documents")
    meta = prepared.corpus.meta.copy()
    meta["_tokens"] = prepared.bow.doc_lengths()
    folder = None
    if cache and workers == 1 and seed is not None:
        import gensim

        spec = json.dumps(
            [
                prepared.corpus.fingerprint,
                asdict(prepared.settings),
                int(k),
                seed,
                passes,
                iterations,
                str(alpha),
                str(eta),
                gensim.__version__,
            ],
            default=list,
        )
        folder = cache_dir() / "topics" / hashlib.sha1(spec.encode()).hexdigest()
        if (folder / "model.json").exists():
            try:
                saved = TopicModel.load(folder)
                return TopicModel(
                    saved.gensim,
                    prepared,
                    meta,
                    saved._doc_topics,
                    prepared.settings,
                    prepared.corpus.fingerprint,
                    seed,
                )
            except Exception as err:  # a damaged cache entry is rebuilt, never trusted
                warnings.warn(
                    f"refitting: the cached topic model is unusable ({err})", stacklevel=2
                )
    lda = _fit(prepared, int(k), seed, passes, iterations, workers, alpha, eta)
    model = TopicModel(
        lda,
        prepared,
        meta,
        None,
        prepared.settings,
        prepared.corpus.fingerprint,
        seed,
    )
    if folder is not None:
        try:
            tmp = folder.with_name(folder.name + ".tmp")
            model.save(tmp, with_doc_topics=False)
            if folder.exists():
                shutil.rmtree(folder)
            tmp.rename(folder)
        except OSError as err:
            warnings.warn(f"could not cache the topic model in {folder} ({err})", stacklevel=2)
    return model


def sweep_topics(
    corpus: Corpus | PreparedCorpus,
    ks: Iterable[int] = (5, 10, 15, 20),
    coherence: str | Sequence[str] = "c_v",
    seed: int | None = 0,
    passes: int = 10,
    iterations: int = 50,
    workers: int = 1,
    progress: bool | None = None,
    **prep_kwargs: Any,
) -> pd.DataFrame:
    """Fit one model per k on the same preprocessed corpus and score its coherence.

    Returns
    -------
    pandas.DataFrame
        ``k``, one column per coherence measure, ``seconds`` (fit and score time).
    """
    prepared = (
        corpus if isinstance(corpus, PreparedCorpus) else prepare_topics(corpus, **prep_kwargs)
    )
    measures = [coherence] if isinstance(coherence, str) else list(coherence)
    rows = []
    for k in tqdm(list(ks), desc="topic models", **progress_options(progress)):
        t0 = time.perf_counter()
        model = fit_topics(
            prepared, k=k, seed=seed, passes=passes, iterations=iterations, workers=workers
        )
        row: dict[str, Any] = {"k": k}
        for m in measures:
            row[m] = _coherence(model.gensim, prepared, m)
        row["seconds"] = time.perf_counter() - t0
        rows.append(row)
    return pd.DataFrame(rows)
