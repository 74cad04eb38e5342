"""Training gensim's ``LdaModel`` with each chunk's E-step split over processes.

Online LDA (Hoffman, Blei & Bach 2010, "Online learning for latent Dirichlet
allocation", NIPS) alternates an E-step, which infers the topic shares of every document
of a chunk, with an M-step, which blends the chunk's expected word counts into the
topics.  The E-step is nearly all of the training time, and each document's inference
depends only on the topics as they were at the start of the chunk, so the documents of a
chunk can be shared out among processes without changing any result.

Why this is written here rather than taken from gensim: gensim's other trainer,
``LdaMulticore``, is another algorithm.  Its workers each infer a chunk and the topics
are updated only after several chunks, so its model differs from ``LdaModel``'s; it cannot
learn the prior ``alpha="auto"``; and on two cores it was slower than one process (18.4 s
against 9.6 s, k = 20, one pass over the UN General Debate corpus, machine under load;
1.07× faster for 1.7× the CPU on a quiet one).  This module changes nothing of
``LdaModel``'s algorithm: the subclass below only replaces ``inference`` during training.
The calling process draws the chunk's random starting values exactly as ``LdaModel``
does, keeps the first share of the documents and hands the others to worker processes,
which run gensim's own ``LdaModel.inference`` on them, and the parts' expected counts
are added up.  The model is therefore ``LdaModel``'s: the same draws of the random state,
the same prior updates (``alpha="auto"`` included), the same topics, except that the
expected counts of the parts are added in another order, so values agree to the
rounding of gensim's 32-bit floats rather than bit for bit.

The model is trained on the documents' positions: gensim's own training loop cuts them
into chunks, as it would cut the documents, and each process reads the documents of its
share of a chunk from the bag-of-words corpus.  The workers are forked where the platform
allows it and hold that corpus from the start; for each chunk they receive the positions
of their documents, the starting values and the topics (k × vocabulary numbers).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np

from .errors import ParameterError

__all__ = ["train_lda"]

#: Chunks with fewer documents than this are inferred in the calling process alone:
#: handing out a few short documents costs more than it saves.
MIN_DOCS_PER_WORKER = 32

#: The bag-of-words corpus a worker process reads its documents from (set in each worker
#: by ``_init_worker``).
_WORKER_BOW: Any = None


class _Given:
    """Stands in for ``LdaModel.random_state`` in a worker: returns the starting values
    the calling process drew."""

    def __init__(self, gamma: np.ndarray) -> None:
        self.gamma_values = gamma

    def gamma(self, shape: float, scale: float, size: tuple[int, int]) -> np.ndarray:
        if tuple(size) != self.gamma_values.shape:  # pragma: no cover - an internal check
            raise RuntimeError(f"asked for {size}, holding {self.gamma_values.shape}")
        return self.gamma_values


class _EstepState:
    """What gensim's ``LdaModel.inference`` reads of a model: this is passed as its
    ``self``, so the worker runs gensim's own code."""

    def __init__(self, gamma, exp_elog_beta, alpha, iterations, threshold, dtype) -> None:
        self.random_state = _Given(gamma)
        self.num_topics = exp_elog_beta.shape[0]
        self.dtype = dtype
        self.expElogbeta = exp_elog_beta
        self.alpha = alpha
        self.iterations = iterations
        self.gamma_threshold = threshold


def _init_worker(bow: Any) -> None:
    global _WORKER_BOW
    _WORKER_BOW = bow


def _infer(docs: list, gamma: np.ndarray, model: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    from gensim.models import LdaModel

    state = _EstepState(gamma, **model)
    return LdaModel.inference(state, docs, collect_sstats=True)


def _worker_part(
    positions: np.ndarray, gamma: np.ndarray, model: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    docs = [_WORKER_BOW[int(i)] for i in positions]
    return _infer(docs, gamma, model)


def _split_class() -> type:
    from gensim.models import LdaModel

    class SplitEstepLda(LdaModel):
        """``LdaModel`` whose training E-step is shared out among worker processes.

        It is trained on the documents' *positions* (``update(positions)``): gensim's loop
        cuts them into chunks as it would cut the documents, and :meth:`inference` reads
        each chunk's documents itself, so no process builds documents it does not infer.
        """

        _pool: Executor | None = None
        _bow: Any = None
        _workers: int = 1

        def _positions(self, chunk) -> np.ndarray | None:
            if self._bow is None or not len(chunk) or not isinstance(chunk[0], int | np.integer):
                return None
            return np.asarray(chunk, dtype=np.int64)

        def log_perplexity(self, chunk, total_docs=None):
            # gensim's loop evaluates every ``eval_every`` chunks: on the documents
            positions = self._positions(chunk)
            if positions is not None:
                chunk = [self._bow[int(i)] for i in positions]
            return super().log_perplexity(chunk, total_docs=total_docs)

        def inference(self, chunk, collect_sstats=False):
            bow, positions = self._bow, self._positions(chunk)
            if positions is None:
                return super().inference(chunk, collect_sstats=collect_sstats)
            n = len(positions)
            if self._pool is None or not collect_sstats or n < 2 * MIN_DOCS_PER_WORKER:
                docs = [bow[int(i)] for i in positions]
                return super().inference(docs, collect_sstats=collect_sstats)
            # the same draw LdaModel.inference makes, in the calling process
            gamma = self.random_state.gamma(100.0, 1.0 / 100.0, (n, self.num_topics)).astype(
                self.dtype, copy=False
            )
            parts = min(self._workers, n // MIN_DOCS_PER_WORKER)
            bounds = np.linspace(0, n, parts + 1).round().astype(int)
            model = {
                "exp_elog_beta": self.expElogbeta,
                "alpha": self.alpha,
                "iterations": self.iterations,
                "threshold": self.gamma_threshold,
                "dtype": self.dtype,
            }
            futures = [
                self._pool.submit(_worker_part, positions[a:b], gamma[a:b], model)
                for a, b in zip(bounds[1:-1], bounds[2:], strict=True)
            ]
            mine = [bow[int(i)] for i in positions[: bounds[1]]]
            results = [_infer(mine, gamma[: bounds[1]], model)]
            results += [f.result() for f in futures]
            gammas = np.concatenate([g for g, _ in results])
            sstats = results[0][1]
            for _, s in results[1:]:
                sstats += s
            return gammas, sstats

    return SplitEstepLda


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def train_lda(
    bow: Any, *, workers: int = 1, order: np.ndarray | None = None, **lda_kwargs: Any
) -> Any:
    """Train gensim's ``LdaModel`` on ``bow``, its E-step shared by ``workers`` processes.

    Parameters
    ----------
    bow : toolkit.topics.BowCorpus
        The training documents (compressed sparse rows, indexable).
    workers : int
        Processes that infer the documents of each chunk: the calling process and
        ``workers − 1`` worker processes.  1 trains in the calling process alone.
    order : numpy.ndarray, optional
        The order in which the documents are shown to the model (positions in ``bow``);
        by default the corpus order.
    **lda_kwargs
        Passed to ``gensim.models.LdaModel`` (``id2word``, ``num_topics``,
        ``random_state``, ``passes``, ``chunksize`` …).

    Returns
    -------
    gensim.models.LdaModel
        A plain ``LdaModel``: the model gensim trains on the documents in that order, up to
        the rounding of the order in which the parts' expected counts are added.

    Examples
    --------
    >>> import toolkit as tk
    >>> from toolkit.lda import train_lda
    >>> prepared = tk.prepare_topics(tk.load_sample())
    >>> lda = train_lda(prepared.bow, workers=2, id2word=prepared.dictionary,
    ...                 num_topics=3, random_state=1, chunksize=200)
    >>> lda.num_topics
    3
    """
    from gensim.models import LdaModel

    if lda_kwargs.get("callbacks"):
        raise ParameterError(
            "callbacks", lda_kwargs["callbacks"], "gensim's callbacks need workers=1"
        )
    if workers <= 1:
        return LdaModel(corpus=bow if order is None else bow.take(order), **lda_kwargs)
    positions = np.arange(len(bow)) if order is None else np.asarray(order, dtype=np.int64)
    cls = _split_class()
    lda = cls(corpus=None, **lda_kwargs)
    with ProcessPoolExecutor(
        workers - 1, mp_context=_context(), initializer=_init_worker, initargs=(bow,)
    ) as pool:
        lda._pool, lda._bow, lda._workers = pool, bow, int(workers)
        try:
            lda.update(positions.tolist(), chunks_as_numpy=False)
        finally:
            lda._pool = lda._bow = None
    lda.__class__ = LdaModel
    for name in ("_pool", "_bow", "_workers"):
        lda.__dict__.pop(name, None)
    return lda
