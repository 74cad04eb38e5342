"""Annotation layers in the token index: part of speech, lemma and stem of every token.

:func:`annotate` (also :meth:`toolkit.Corpus.annotate`) adds layers to a corpus's token
index, stored as the IMS Corpus Workbench stores positional attributes: one integer id per
token, parallel to the word stream, with a lexicon of its own.  Every analysis that takes a
layer (``tk.tokens(layer="lemma")``, ``tk.kwic(c, '[lemma="threat"]', match="cqp")``)
reads them from there.

``pos``
    Universal Dependencies part-of-speech tags (the 17 UPOS tags), from the annotator
    (default HanTa for English; see :mod:`toolkit.annotators` for the measured accuracy).
``lemma``
    The annotator's lemma of each token in its context (lower case).
``stem``
    NLTK's Snowball stem of each lower-cased word type (Porter 2001), the same for every
    occurrence of the type; punctuation keeps its form.

Layers are built once per index content and annotator version and cached in the verified
cache (:mod:`toolkit.cache`): ``layers/<key>/`` holds the ids (``.npy``) and the lexicon
(JSON), checked against their digests on every open and rebuilt on any mismatch.
Tagging goes through the annotator's ``annotate_corpus``: HanTa's (the default) analyses
each distinct word form and (word, tag) pair once, shared out among ``processes`` worker
processes (default: all cores), and decodes all sentences in compiled code; other
annotators take the corpus document by document in ``processes`` processes.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ._docs import fill_doc
from .cache import cache_dir, content_key, load_or_build
from .corpus import register_step
from .errors import ParameterError
from .index import read_layer
from .shards import ShardedCorpus, is_sharded, open_shards, record_layers

if TYPE_CHECKING:  # pragma: no cover
    from .annotators import Annotator
    from .corpus import Corpus
    from .index import TokenIndex

__all__ = ["annotate", "LAYERS", "LAYER_FORMAT"]

C = TypeVar("C", "Corpus", ShardedCorpus)

#: Layers :func:`annotate` can add.
LAYERS = ("pos", "lemma", "stem")
#: Bumped when the stored form of a layer changes.
LAYER_FORMAT = 1


def _ids_of(values: list[str], lookup: dict[str, int]) -> np.ndarray:
    return np.fromiter(
        (lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int32, count=len(values)
    )


def _tag(
    index: TokenIndex, annotator: Annotator, processes: int, progress: bool | None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Lemma and UPOS layers of every token (see ``Annotator.annotate_corpus``)."""
    lemma_ids, lemmas, pos_ids, tags = annotator.annotate_corpus(
        np.asarray(index.tokens),
        index.vocab.tolist(),
        np.asarray(index.doc_offsets),
        processes=processes,
        progress=progress,
    )
    if len(lemma_ids) != index.n_tokens or len(pos_ids) != index.n_tokens:
        raise ParameterError(
            "annotator",
            annotator,
            f"the annotator returned {len(lemma_ids)} lemmas for {index.n_tokens} tokens",
        )
    return {
        "lemma": (np.asarray(lemma_ids, dtype=np.int32), np.array(lemmas, dtype=object)),
        "pos": (np.asarray(pos_ids, dtype=np.int32), np.array(tags, dtype=object)),
    }


def _stem(index: TokenIndex, language: str) -> tuple[np.ndarray, np.ndarray]:
    """Stem layer: the Snowball stem of each lower-cased type, mapped over the stream."""
    from .annotators import get_stemmer
    from .tokenize import is_word

    lower_vocab = index.lower_vocab.tolist()
    words = [w for w in lower_vocab if is_word(w)]
    stems = dict(zip(words, get_stemmer(language).stem(words), strict=True))
    lookup: dict[str, int] = {}
    stem_of_lower = _ids_of([stems.get(w, w) for w in lower_vocab], lookup)
    ids = stem_of_lower[np.asarray(index.lower)[np.asarray(index.tokens)]]
    return ids.astype(np.int32, copy=False), np.array(list(lookup), dtype=object)


@fill_doc
def annotate(
    corpus: C,
    layers: str | Sequence[str] = LAYERS,
    annotator: Annotator | str | None = None,
    language: str = "en",
    processes: int | None = None,
    progress: bool | None = None,
) -> C:
    """Add part-of-speech, lemma and stem layers to the token index of ``corpus``.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        Layers are added to the index of the corpus that owns the texts, so every subset
        made with ``query``/``select`` shares them.  Every shard of a sharded corpus is
        annotated (in parallel, where :func:`toolkit.set_scheduler` says, one process per
        shard) and keeps its layers in its own folder; the store records them, so every
        shard opened later has them.
    layers : str or list of str
        Any of ``"pos"``, ``"lemma"``, ``"stem"`` (default: all three).
    annotator : Annotator or str, optional
        For ``pos`` and ``lemma``: an annotator from :mod:`toolkit.annotators` or its
        registry name (``"hanta"``, ``"spacy"``); default: the measured best for
        ``language``.
    language : str
        {params.language}
        The language of the texts, for the default annotator and the stemmer.
    processes : int, optional
        Worker processes for tagging (default: the machine's cores); for a sharded
        corpus, each shard is tagged in one process.
    progress : bool, optional
        Progress bar (default: the global option).

    Returns
    -------
    Corpus or ShardedCorpus
        ``corpus`` itself, its index (or its shards' indexes) now holding the layers.

    Examples
    --------
    >>> import toolkit as tk
    >>> import pandas as pd, toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["The delegations have voted."]}))
    >>> _ = tk.annotate(c, processes=1, progress=False)
    >>> tk.tokens(c, layer="lemma").to_frame()[["word", "pos", "lemma", "stem"]].values.tolist()
    [['The', 'DET', 'the', 'the'], ['delegations', 'NOUN', 'delegation', 'deleg'], \
['have', 'AUX', 'have', 'have'], ['voted', 'VERB', 'vote', 'vote']]
    """
    wanted = [layers] if isinstance(layers, str) else list(layers)
    bad = [x for x in wanted if x not in LAYERS]
    if bad or not wanted:
        raise ParameterError("layers", layers, valid=LAYERS)
    if processes is None:
        processes = max(1, min(os.cpu_count() or 1, 8))
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ParameterError("processes", processes, "processes must be a positive integer")
    if is_sharded(corpus):
        return _annotate_store(corpus, wanted, annotator, language, progress)
    index = corpus.index(progress=progress).index
    tagger = _tagger(wanted, annotator)
    _add_layers(
        index,
        wanted,
        tagger,
        language,
        processes,
        progress,
        lambda key, name: cache_dir() / "layers" / key,
    )
    return corpus


def _tagger(wanted: Sequence[str], annotator: Any) -> Annotator | None:
    from .annotators import Annotator as _Annotator
    from .annotators import get_annotator

    if "pos" not in wanted and "lemma" not in wanted:
        return None
    return annotator if isinstance(annotator, _Annotator) else get_annotator(annotator)


def _add_layers(
    index: TokenIndex,
    wanted: Sequence[str],
    tagger: Annotator | None,
    language: str,
    processes: int,
    progress: bool | None,
    folder_of: Callable[[str, str], Path],
) -> dict[str, dict[str, Any]]:
    """Add the ``wanted`` layers to ``index``: loaded from the verified entry at
    ``folder_of(key, name)``, or built and saved there; the key and parameters of each layer
    added or found there (not of one the index already holds, such as a given layer)."""
    from .annotators import get_stemmer

    tagged: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    added: dict[str, dict[str, Any]] = {}
    for name in wanted:
        if name in index.layers:
            continue
        if name == "stem":
            version = get_stemmer(language).version
        else:
            assert tagger is not None  # made for "pos" and "lemma"
            version = tagger.version
        params = {
            "index": index.key,
            "layer": name,
            "annotator": version,
            "format": LAYER_FORMAT,
        }
        key = content_key(params)

        def build(name: str = name) -> tuple[np.ndarray, np.ndarray]:
            if name == "stem":
                return _stem(index, language)
            if name not in tagged:
                assert tagger is not None
                tagged.update(_tag(index, tagger, processes, progress))
            return tagged[name]

        ids, vocab = load_or_build(
            folder_of(key, name),
            kind="layer",
            key=key,
            params=params,
            load=functools.partial(read_layer, index=index, name=name),
            build=build,
            save=_save_layer,
            what=f"{name} layer",
            mmap=True,
        )
        index.add_layer(name, ids, vocab)
        added[name] = {"key": key, "params": params}
    return added


def _save_layer(writer: Any, value: tuple[np.ndarray, np.ndarray]) -> None:
    writer.array("ids", np.ascontiguousarray(value[0], dtype=np.int32))
    writer.json("vocab", list(value[1]))


def _annotate_store(
    store: ShardedCorpus,
    wanted: list[str],
    annotator: Any,
    language: str,
    progress: bool | None,
) -> ShardedCorpus:
    """Annotate every shard of ``store`` (on the workers, one process each) and record the
    layers with the store, so that every shard opened later has them."""
    whole = open_shards(store.path)
    names = whole.shards["name"].astype(str).tolist()
    folders = [str(whole.path / "shards" / n) for n in names]
    added = whole.map(
        _annotate_shard,
        wanted,
        annotator,
        language,
        each=folders,
        desc="annotating shards",
        progress=progress,
    )
    record_layers(whole.path, dict(zip(names, added, strict=True)))
    return store


def _annotate_shard(
    shard: Corpus, wanted: list[str], annotator: Any, language: str, folder: str
) -> dict[str, dict[str, Any]]:
    """Task: the layers of one shard, kept in the shard's folder."""
    return _add_layers(
        shard.index().index,
        wanted,
        _tagger(wanted, annotator),
        language,
        1,
        False,
        lambda key, name: Path(folder) / "layers" / name,
    )


register_step("annotate", annotate)
