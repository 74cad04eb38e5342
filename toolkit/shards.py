"""Sharded corpora: a corpus kept as many self-contained shards, each with its own token index.

One token index (:mod:`toolkit.index`) is built by one process and grows with the corpus.
A :class:`ShardedCorpus` splits the documents into *shards* of about ``shard_mb`` megabytes
of text (or by a metadata key such as year or source, so that a query on that key opens only
the shards it needs).  Each shard is a complete, verified corpus of its own — its texts and
its token index, in the formats of :mod:`toolkit.cache` — so that shards are built in
parallel (as Dask tasks, see :mod:`toolkit.engine`), analysed in parallel, and added later
(a new month of news) without touching the others.  The IMS Corpus Workbench splits
corpora above 2.1 billion tokens in the same way; every analysis of the toolkit runs on each
shard and combines the parts (sums of counts, hits concatenated in corpus order), with the
same result as on one index (``tests/test_shards.py`` checks each analysis).

Layout of a store folder::

    <store>/
        catalog/            verified entry (kind "shard-catalog"):
            shards.json       name, documents, tokens and key value of every shard
            meta.parquet      the metadata of every document, in corpus order
            doc_tokens.npy    tokens per document
            vocab.json        the global vocabulary (surface types, in order of first sight)
            counts.npy        corpus frequency of each global type
        shards/<name>/
            texts/          verified entry (kind "shard-texts"): the UTF-8 texts as one
                            uint8 array with offsets, the documents' ids and SHA-1 digests
            index/          the shard's token index (kind "index", :mod:`toolkit.index`)
            ids/            verified entry (kind "shard-vocab"): the global id of each of
                            the shard's types

Corpus order is shard order, then the order of the source within a shard.  Positions are
per shard (int32 within a shard of at most 2³¹ tokens); a corpus position is the shard's
start (int64) plus the position in it, so a store addresses far more than 2³¹ tokens.  The
global vocabulary maps every shard's type ids to one id space: type ids only grow when
shards are added, so an added shard never changes the others.

Building: the calling process reads the source and writes each shard's texts (UTF-8, not
decoded when the source holds UTF-8); indexing a shard is a task given only the shard's name,
so no text travels to a worker.  Memory: the calling process holds one pending batch (one per
key value with ``by=``), the global vocabulary and the metadata table;
a worker keeps at most the option ``max_open_shards`` shards open (memory-mapped).

Trust: every file of a shard and of the catalog is checked against its XXH3-128 digest
when opened; a shard whose index fails the check is re-indexed from its (verified) texts
with a :class:`~toolkit.errors.CacheWarning`; a shard whose texts fail raises
:class:`~toolkit.errors.CacheError` naming the shard, since texts cannot be rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import warnings
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from typing_extensions import TypeIs

from ._docs import fill_doc
from .cache import EntryWriter, open_entry, write_entry
from .corpus import Corpus, MemorySource, Pretokenized, TextSource, digest
from .engine import run_tasks, stream_tasks
from .errors import CacheError, CacheWarning, LoadError, NotFoundError, ParameterError
from .index import TokenIndex, index_at, layer_entry
from .loaders import DEFAULT_ENCODINGS
from .options import get_option
from .sources import iter_batches
from .tokenize import is_word, search_form

__all__ = [
    "ShardedCorpus",
    "build_shards",
    "open_shards",
    "record_layers",
    "SHARD_FORMAT",
    "is_sharded",
]

#: Version of the shard layout; a store of another version is refused with a clear error.
SHARD_FORMAT = 1
_DIGEST = 20  # bytes of a SHA-1 digest


def is_sharded(corpus: Any) -> TypeIs[ShardedCorpus]:
    """Whether ``corpus`` is a :class:`ShardedCorpus` (analyses then map over shards)."""
    return isinstance(corpus, ShardedCorpus)


# --------------------------------------------------------------------------- shard texts
class ShardTextSource(TextSource):
    """The texts of a shard: one memory-mapped UTF-8 array and offsets; a document is
    decoded when asked for, so an open shard holds no Python strings."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray) -> None:
        self._data = data
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def get(self, i: int) -> str:
        a, b = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._data[a:b]).decode("utf-8", "surrogatepass")


def _texts_params(n_docs: int) -> dict[str, Any]:
    return {"shard_format": SHARD_FORMAT, "n_docs": n_docs}


def _write_texts(
    store: str, name: str, ids: list[str], encoded: list[bytes], given: Pretokenized | None
) -> str:
    """Write one shard's texts, UTF-8 encoded, and its given tokens if any (in the calling
    process, which has read them anyway, so that only the shard's name travels to a
    worker); return its fingerprint."""
    folder = Path(store) / "shards" / name
    digests = [hashlib.sha1(e).digest() for e in encoded]  # as corpus.digest, encoded once
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    corpus = Corpus(
        ShardTextSource(data, offsets),
        pd.DataFrame(index=pd.Index(ids, name="doc_id")),
        digests,
        pretokenized=given,
    )
    if given is not None:
        _write_given(folder / "tokens", corpus.fingerprint, given)

    def fill(w: EntryWriter) -> None:
        w.array("text", data)
        w.array("offsets", offsets)
        w.array("digests", np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, _DIGEST))
        w.json("doc_ids", ids)

    write_entry(
        folder / "texts",
        kind="shard-texts",
        key=corpus.fingerprint,
        params=_texts_params(len(ids)),
        fill=fill,
        in_cache=False,
    )
    return corpus.fingerprint


def _read_texts(
    folder: Path, fingerprint: str, n_docs: int
) -> tuple[ShardTextSource, list[bytes], list[str]]:
    """A shard's texts (memory-mapped), their digests and the document ids, verified."""
    entry = open_entry(
        folder / "texts",
        kind="shard-texts",
        key=fingerprint,
        params=_texts_params(n_docs),
        mmap=True,
    )
    data = entry.array("text", dtypes=("uint8",), ndim=1)
    offsets = entry.array("offsets", dtypes=("int64",), ndim=1)
    digests = entry.array("digests", dtypes=("uint8",), ndim=2)
    ids = entry.json("doc_ids")
    ok = (
        isinstance(ids, list)
        and all(isinstance(i, str) for i in ids)
        and len(ids) == n_docs
        and len(offsets) == n_docs + 1
        and offsets[0] == 0
        and offsets[-1] == len(data)
        and bool(np.all(np.diff(offsets) >= 0))
        and digests.shape == (n_docs, _DIGEST)
    )
    if not ok:
        raise CacheError(f"{folder / 'texts'}: inconsistent shard texts")
    return ShardTextSource(data, offsets), [bytes(d) for d in np.asarray(digests)], ids


def _index_shard(
    store: str, name: str, fingerprint: str, n_docs: int, given: bool
) -> dict[str, Any]:
    """Task: index one shard whose texts are written; return what the catalog needs."""
    folder = Path(store) / "shards" / name
    source, digests, ids = _read_texts(folder, fingerprint, n_docs)
    tokens = _read_given(folder / "tokens", fingerprint, n_docs) if given else None
    corpus = Corpus(
        source, pd.DataFrame(index=pd.Index(ids, name="doc_id")), digests, pretokenized=tokens
    )
    if corpus.fingerprint != fingerprint:  # pragma: no cover - the entry key checks it
        raise CacheError(f"{folder / 'texts'}: the texts do not match their key")
    idx = index_at(corpus, folder / "index")
    doc_tokens = np.diff(np.asarray(idx.doc_offsets))
    return {
        "name": name,
        "n_docs": n_docs,
        "n_tokens": int(idx.n_tokens),
        "fingerprint": fingerprint,
        "vocab": idx.vocab.tolist(),
        "counts": np.asarray(idx.counts, dtype=np.int64),
        "doc_tokens": doc_tokens.astype(np.int64),
    }


# --------------------------------------------------------------------------- given tokens
def _write_given(folder: Path, key: str, given: Pretokenized) -> None:
    """A shard's given tokens (CoNLL-U, VRT): token offsets, each layer's ids and values,
    each structure's regions."""
    layers = sorted(given.layers)
    structures = sorted(given.structures)

    def fill(w: EntryWriter) -> None:
        w.array("offsets", np.asarray(given.offsets, dtype=np.int64))
        w.json("names", {"layers": layers, "structures": structures})
        for i, layer in enumerate(layers):
            ids, vocab = given.layers[layer]
            w.array(f"layer{i}", np.asarray(ids, dtype=np.int32))
            w.json(f"values{i}", [str(v) for v in vocab])
        for i, structure in enumerate(structures):
            w.frame(f"structure{i}", given.structures[structure].reset_index(drop=True))

    write_entry(
        folder,
        kind="shard-tokens",
        key=key,
        params=_texts_params(given.n_docs),
        fill=fill,
        in_cache=False,
    )


def _read_given(folder: Path, key: str, n_docs: int) -> Pretokenized:
    """The given tokens written by :func:`_write_given`, verified."""
    entry = open_entry(
        folder, kind="shard-tokens", key=key, params=_texts_params(n_docs), mmap=True
    )
    names = entry.json("names")
    if not (
        isinstance(names, dict)
        and all(isinstance(names.get(k), list) for k in ("layers", "structures"))
        and all(isinstance(n, str) for k in ("layers", "structures") for n in names[k])
    ):
        raise CacheError(f"{folder}: inconsistent given tokens (names)")
    layers = {}
    for i, layer in enumerate(names["layers"]):
        values = entry.json(f"values{i}")
        if not isinstance(values, list):
            raise CacheError(f"{folder}: inconsistent given tokens (layer {layer!r})")
        ids = entry.array(f"layer{i}", dtypes=("int32",), ndim=1)
        layers[layer] = (ids, np.array(values, dtype=object))
    structures = {s: entry.frame(f"structure{i}") for i, s in enumerate(names["structures"])}
    offsets = entry.array("offsets", dtypes=("int64",), ndim=1)
    try:
        given = Pretokenized(offsets=offsets, layers=layers, structures=structures)
    except ValueError as err:
        raise CacheError(f"{folder}: inconsistent given tokens ({err})") from err
    if given.n_docs != n_docs:
        raise CacheError(f"{folder}: inconsistent given tokens (documents)")
    return given


def _given_part(runs: list[tuple[Pretokenized, list[int]]]) -> Pretokenized:
    """The given tokens of documents taken, run by run, from the given tokens of batches
    (``rows``: documents of the batch, in order): token offsets, layers (values of the
    batches merged into one vocabulary per layer) and structures (documents renumbered)."""
    names = sorted(runs[0][0].layers)
    for given, _ in runs[1:]:
        if sorted(given.layers) != names:
            raise LoadError(
                f"the batches of the source have different annotation layers ({names} and "
                f"{sorted(given.layers)}); a store needs the same layers in every shard"
            )
    lengths, spans = [], []
    for given, rows in runs:
        r = np.asarray(rows, dtype=np.int64)
        starts, ends = given.offsets[r], given.offsets[r + 1]
        lengths.append(ends - starts)
        # the token positions of the run's documents, in order (vectorised np.arange)
        n = int((ends - starts).sum())
        spans.append(
            np.repeat(starts - np.cumsum(ends - starts) + (ends - starts), ends - starts)
            + np.arange(n, dtype=np.int64)
        )
    offsets = np.concatenate([[0], np.cumsum(np.concatenate(lengths))]).astype(np.int64)
    layers = {}
    for name in names:
        vocabs = [given.layers[name][1] for given, _ in runs]
        merged = pd.Index(np.concatenate(vocabs).astype(object)).unique()
        parts = []
        for (given, _), span, vocab in zip(runs, spans, vocabs, strict=True):
            to_merged = merged.get_indexer(pd.Index(vocab, dtype=object)).astype(np.int32)
            parts.append(to_merged[given.layers[name][0][span.astype(np.int64)]])
        layers[name] = (
            np.concatenate(parts).astype(np.int32),
            np.asarray(merged.to_numpy(dtype=object), dtype=object),
        )
    structures = {}
    for name in sorted({s for given, _ in runs for s in given.structures}):
        frames, first = [], 0
        for given, rows in runs:
            frame = given.structures.get(name)
            if frame is not None and len(frame):
                renumber = pd.Series(np.arange(first, first + len(rows)), index=rows)
                kept = frame[frame["doc"].isin(rows)].copy()
                kept["doc"] = renumber.loc[kept["doc"].to_numpy()].to_numpy()
                frames.append(kept)
            first += len(rows)
        if frames:
            structures[name] = pd.concat(frames, ignore_index=True).sort_values(
                "doc", kind="stable", ignore_index=True
            )
    return Pretokenized(offsets=offsets, layers=layers, structures=structures)


# --------------------------------------------------------------------------- annotation layers
def _read_layer_list(path: Path) -> dict[str, dict[str, Any]]:
    """The annotation layers recorded with a store: layer → shard → key and parameters of
    the layer's entry in the shard's folder (``{}`` before any :func:`toolkit.annotate`)."""
    folder = path / "layers"
    if not folder.exists():
        return {}
    try:
        entry = open_entry(
            folder, kind="shard-layers", key="layers", params={"format": SHARD_FORMAT}
        )
        value = entry.json("layers")
        ok = isinstance(value, dict) and all(
            isinstance(shards, dict)
            and all(isinstance(v, dict) and {"key", "params"} <= set(v) for v in shards.values())
            for shards in value.values()
        )
        if not ok:
            raise CacheError(f"{folder}: inconsistent list of layers")
    except CacheError as err:
        raise CacheError(
            f"the list of annotation layers of {path} is damaged ({err}); run tk.annotate on "
            "the store again to rebuild it"
        ) from err
    return value


_LAYER_LISTS: dict[str, tuple[tuple[Any, ...], dict[str, dict[str, Any]]]] = {}


def _layer_list(path: Path) -> dict[str, dict[str, Any]]:
    """:func:`_read_layer_list`, read again only when its files change."""
    folder = path / "layers"
    signature: tuple[Any, ...] = ()
    if folder.exists():
        signature = tuple(
            (e.name, e.stat().st_size, e.stat().st_mtime_ns, e.stat().st_ino)
            for e in sorted(os.scandir(folder), key=lambda e: e.name)
        )
    known = _LAYER_LISTS.get(str(folder))
    if known is not None and known[0] == signature:
        return known[1]
    value = _read_layer_list(path)
    _LAYER_LISTS[str(folder)] = (signature, value)
    return value


def record_layers(path: str | Path, added: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Record with the store at ``path`` the layers added to its shards (shard → layer →
    key and parameters of the entry), beside those recorded before.

    Used by :func:`toolkit.annotate`; every shard opened afterwards gets the layers
    recorded for it.
    """
    path = Path(path)
    try:
        layers = {k: dict(v) for k, v in _read_layer_list(path).items()}
    except CacheError:
        layers = {}  # a damaged list is replaced; the shards' layer entries are still there
    for shard, found in added.items():
        for name, info in found.items():
            layers.setdefault(name, {})[shard] = info
    write_entry(
        path / "layers",
        kind="shard-layers",
        key="layers",
        params={"format": SHARD_FORMAT},
        fill=lambda w: w.json("layers", layers),
        in_cache=False,
    )


def _attach_layers(path: Path, shard: str, folder: Path, corpus: Corpus) -> None:
    """Attach to an open shard's index the annotation layers recorded for it; a damaged
    one is left off with a :class:`~toolkit.errors.CacheWarning` (an analysis of that layer
    then says it is missing, and :func:`toolkit.annotate` rebuilds it)."""
    index = corpus.index().index
    for name, shards in _layer_list(path).items():
        info = shards.get(shard)
        if info is None or name in index.layers:
            continue
        try:
            ids, vocab = layer_entry(folder / "layers" / name, index, name, info)
        except CacheError as err:  # left off: annotate rebuilds it, an analysis asks for it
            warnings.warn(
                f"the {name} layer of shard {shard} of {path} is damaged ({err}); run "
                f"tk.annotate(store, {name!r}) again to rebuild it",
                CacheWarning,
                stacklevel=2,
            )
            continue
        index.add_layer(name, ids, vocab)


# --------------------------------------------------------------------------- the catalog
class _Catalog:
    """The verified catalog of a store, as read from disk."""

    def __init__(self, path: Path) -> None:
        entry = open_entry(
            path / "catalog", kind="shard-catalog", key="catalog", params={"format": SHARD_FORMAT}
        )
        self.path = path
        self.revision: str = entry.files["shards.json"]["xxh3_128"]
        info = entry.json("shards")
        self.name: str = info["name"]
        self.by: str | None = info["by"]
        # the shards hold given tokens (CoNLL-U, VRT) with their layers and structures
        self.given = bool(info.get("given_tokens", False))
        self.shards = pd.DataFrame(
            info["shards"], columns=["name", "n_docs", "n_tokens", "fingerprint", "key"]
        )
        self.meta: pd.DataFrame = entry.frame("meta")
        self.doc_tokens = entry.array("doc_tokens", dtypes=("int64",), ndim=1)
        self.vocab = np.array(entry.json("vocab"), dtype=object)
        self.counts = entry.array("counts", dtypes=("int64",), ndim=1)
        starts = np.zeros(len(self.shards) + 1, dtype=np.int64)
        np.cumsum(self.shards["n_docs"].to_numpy(dtype=np.int64), out=starts[1:])
        self.doc_starts = starts
        ok = (
            starts[-1] == len(self.meta) == len(self.doc_tokens)
            and len(self.counts) == len(self.vocab)
            and self.meta.index.is_unique
        )
        if not ok:
            raise CacheError(f"{path / 'catalog'}: inconsistent catalog (sizes disagree)")


def _write_catalog(
    path: Path,
    name: str,
    by: str | None,
    given: bool,
    shards: list[dict[str, Any]],
    meta: pd.DataFrame,
    doc_tokens: np.ndarray,
    vocab: list[str],
    counts: np.ndarray,
) -> None:
    def fill(w: EntryWriter) -> None:
        w.json("shards", {"name": name, "by": by, "given_tokens": given, "shards": shards})
        try:
            w.frame("meta", meta)
        except Exception as err:  # pyarrow's many error classes
            raise LoadError(
                f"the metadata cannot be stored ({type(err).__name__}: {err}); give each "
                "column one type (e.g. .astype(str))",
                path=str(path),
            ) from err
        w.array("doc_tokens", np.asarray(doc_tokens, dtype=np.int64))
        w.json("vocab", vocab)
        w.array("counts", np.asarray(counts, dtype=np.int64))

    write_entry(
        path / "catalog",
        kind="shard-catalog",
        key="catalog",
        params={"format": SHARD_FORMAT},
        fill=fill,
        in_cache=False,
    )


# --------------------------------------------------------------------------- open shards
_CATALOGS: dict[tuple[str, str], _Catalog] = {}
_OPEN: OrderedDict[tuple[str, str, str], tuple[Corpus, tuple[Any, ...]]] = OrderedDict()


def _signature(folder: Path) -> tuple[Any, ...]:
    """Size, modification time and inode of every file of a shard (texts, index, given
    tokens, annotation layers): an open shard is used again only while these are
    unchanged, and verified afresh otherwise."""
    out = []
    subs = ["texts", "index", "tokens"]
    if (folder / "layers").exists():
        subs += [f"layers/{e.name}" for e in os.scandir(folder / "layers") if e.is_dir()]
    for sub in sorted(subs):
        if not (folder / sub).exists():
            continue
        for entry in sorted(os.scandir(folder / sub), key=lambda e: e.name):
            st = entry.stat()
            out.append((sub, entry.name, st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def _catalog(path: str, revision: str | None = None) -> _Catalog:
    key = (str(Path(path).resolve()), revision or "")
    cat = _CATALOGS.get(key) if revision else None
    if cat is None:
        cat = _Catalog(Path(path))
        if revision is not None and cat.revision != revision:
            raise CacheError(
                f"{path}: the store changed while in use (shards were added); open it again"
            )
        _CATALOGS.clear()  # one revision per store is enough
        _CATALOGS[(key[0], cat.revision)] = cat
    return cat


def _open_shard(path: str, revision: str, number: int) -> Corpus:
    """The corpus of shard ``number``, texts and index verified; kept open (memory-mapped)
    for the next task, up to the option ``max_open_shards`` per process."""
    cat = _catalog(path, revision)
    row = cat.shards.iloc[number]
    key = (str(Path(path).resolve()), revision, str(row["name"]))
    folder = Path(path) / "shards" / str(row["name"])
    if key in _OPEN:
        corpus, signature = _OPEN[key]
        if _signature(folder) == signature:  # no file replaced or rewritten since verified
            _OPEN.move_to_end(key)
            _attach_layers(Path(path), str(row["name"]), folder, corpus)  # annotated since
            return corpus
        del _OPEN[key]
    n_docs = int(row["n_docs"])
    a, b = cat.doc_starts[number], cat.doc_starts[number + 1]
    meta = cat.meta.iloc[a:b]
    try:
        source, digests, ids = _read_texts(folder, str(row["fingerprint"]), n_docs)
        if list(map(str, meta.index)) != ids:
            raise CacheError(f"{folder / 'texts'}: the document ids disagree with the catalog")
        given = (
            _read_given(folder / "tokens", str(row["fingerprint"]), n_docs) if cat.given else None
        )
    except CacheError as err:
        raise CacheError(
            f"shard {row['name']} of {path} is damaged and its texts cannot be rebuilt "
            f"({err}); rebuild the store from its source"
        ) from err
    corpus = Corpus(source, meta, digests, name=f"{cat.name}:{row['name']}", pretokenized=given)
    if corpus.fingerprint != row["fingerprint"]:  # pragma: no cover - the entry key checks it
        raise CacheError(f"shard {row['name']} of {path}: texts do not match the catalog")
    corpus.held_index = index_at(corpus, folder / "index")  # type: ignore[attr-defined]
    _attach_layers(Path(path), str(row["name"]), folder, corpus)
    _OPEN[key] = (corpus, _signature(folder))
    while len(_OPEN) > int(get_option("max_open_shards")):
        _OPEN.popitem(last=False)
    return corpus


def _run_on_shard(
    path: str,
    revision: str,
    number: int,
    rows: np.ndarray | None,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    """Task: ``function(shard corpus, *args, **kwargs)`` on the selected rows of a shard."""
    corpus = _open_shard(path, revision, number)
    if rows is not None:
        corpus = corpus.take(rows)
    return function(corpus, *args, **kwargs)


# --------------------------------------------------------------------------- the corpus
@fill_doc
class ShardedCorpus:
    """A corpus kept as shards on disk (see the module documentation); made by
    :func:`build_shards` or :func:`open_shards`.

    It reads like a :class:`~toolkit.corpus.Corpus` — ``len``, ``meta``, ``doc_ids``,
    ``text()``, ``query()``, ``select()`` — and the analyses (``tk.frequencies``,
    ``tk.keyness``, ``tk.kwic``, …) accept it: they run on every shard, where
    :func:`toolkit.set_scheduler` says, and combine the parts.

    Made by :func:`toolkit.build_shards` (which writes the shards) or
    :func:`toolkit.open_shards` (which opens them again); not usually constructed by hand.

    Parameters
    ----------
    path : str or pathlib.Path
        The folder of the shards, as written by :func:`toolkit.build_shards`; its
        catalogue is read here, the shards when an analysis needs them.

    Examples
    --------
    >>> import tempfile
    >>> import toolkit as tk
    >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), shard_mb=3,
    ...                         progress=False)
    >>> len(store), store.n_shards
    (371, 3)
    >>> len(store.query("year >= 2000")), store.query("year >= 2000").n_shards
    (150, 3)
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._cat = _catalog(str(self.path))
        # the documents of a selection (catalogue rows), ``None`` for the whole store
        self._rows: np.ndarray | None = None

    # ---------------------------------------------------------------- what it holds
    @property
    def name(self) -> str:
        """The name of the corpus the shards were built from (``"corpus"`` if it had none)."""
        return self._cat.name

    @property
    def pretokenized(self) -> bool:
        """True if the shards hold given tokens (CoNLL-U, VRT, :func:`toolkit.from_tokens`)
        with their annotation layers and structures, as :attr:`Corpus.pretokenized`."""
        return self._cat.given

    @property
    def by(self) -> str | None:
        """The metadata column the shards were split on, if any."""
        return self._cat.by

    @property
    def revision(self) -> str:
        """Digest of the catalog: it changes when shards are added."""
        return self._cat.revision

    @property
    def meta(self) -> pd.DataFrame:
        """Metadata of the documents, index ``doc_id``, in corpus order."""
        meta = self._cat.meta
        return meta if self._rows is None else meta.iloc[self._rows]

    @property
    def doc_ids(self) -> list[str]:
        """The documents' ids (the index of :attr:`meta`), in corpus order."""
        return list(map(str, self.meta.index))

    def __len__(self) -> int:
        return len(self._cat.meta) if self._rows is None else len(self._rows)

    @property
    def doc_tokens(self) -> np.ndarray:
        """Tokens per document, in corpus order."""
        t = self._cat.doc_tokens
        return np.asarray(t if self._rows is None else t[self._rows])

    @property
    def n_tokens(self) -> int:
        """Number of tokens of the documents (punctuation included), summed over shards."""
        return int(self.doc_tokens.sum())

    @property
    def shards(self) -> pd.DataFrame:
        """One row per shard: ``name``, ``n_docs``, ``n_tokens``, ``key`` (the ``by``
        value) and, for a selection, ``selected`` (its documents in this corpus)."""
        out = self._cat.shards[["name", "n_docs", "n_tokens", "key"]].copy()
        out["selected"] = [
            len(r) if r is not None else n
            for (_, r), n in zip(self._parts(all_shards=True), out["n_docs"], strict=True)
        ]
        return out

    @property
    def n_shards(self) -> int:
        """Number of shards this corpus (or selection) reads."""
        return len(self._parts())

    @property
    def vocab(self) -> np.ndarray:
        """The global vocabulary: every surface type of the store."""
        return self._cat.vocab

    def lexicon(self) -> pd.DataFrame:
        """Surface types and their frequency in the whole store (not a selection), from
        the catalog without opening a shard: ``type``, ``count``.

        Examples
        --------
        >>> import pandas as pd
        >>> import tempfile
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War and war.", "War."]}))
        >>> tk.build_shards(c, tempfile.mkdtemp(), progress=False).lexicon().values.tolist()
        [['War', 2], ['and', 1], ['war', 1], ['.', 2]]
        """
        return pd.DataFrame({"type": self._cat.vocab, "count": self._cat.counts})

    @fill_doc
    def count(
        self,
        pattern: str | Sequence[str],
        match: str = "glob",
        case_sensitive: bool = False,
    ) -> int:
        """Number of matches of a pattern.

        For the whole store and patterns of one token each, the count comes from the
        catalog's lexicon (the frequency of every type), without opening a shard; otherwise
        (phrases, CQP queries, a selection) every shard read is searched.

        Parameters
        ----------
        pattern : str or list of str
            {params.pattern}
        match : {"glob", "regex", "fixed", "cqp"}, default "glob"
            {params.match}
        case_sensitive : bool, default False
            {params.case_sensitive}

        Returns
        -------
        int
            The number of hits, equal to ``len(tk.kwic(corpus, pattern, ...))``.

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), progress=False)
        >>> store.count("nuclear") == len(tk.kwic(store.to_corpus(), "nuclear"))
        True
        """
        from .patterns import Phrase, check_patterns, match_types

        check_patterns(pattern, match, case_sensitive)
        patterns = [pattern] if isinstance(pattern, str) else list(pattern)
        single = (
            self._rows is None
            and match != "cqp"
            and not isinstance(pattern, Phrase)
            and all(isinstance(p, str) and len(p.split()) == 1 for p in patterns)
        )
        if not single:
            options = {"match": match, "case_sensitive": case_sensitive}
            return int(sum(self.map(_count_part, pattern, options, desc="counting")))
        lexicon = self._lexicon_index()
        ids = np.unique(
            np.concatenate(
                [match_types(lexicon, p.strip(), match, case_sensitive) for p in patterns]
            )
        ).astype(np.int64)
        return int(np.asarray(self._cat.counts)[ids].sum())

    def whole_shard_counts(self) -> tuple[np.ndarray, ShardedCorpus | None]:
        """Surface-type counts (over :attr:`vocab`) of the shards this corpus reads whole,
        summed, and the rest of the corpus (``None`` if nothing is left).

        The counts come from each shard's small verified ``ids`` entry (its global type ids
        and their counts), without opening its texts or index: counting a store split on a
        key, or the halves of a store, costs milliseconds per shard.

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), shard_mb=3,
        ...                         progress=False)
        >>> counts, rest = store.whole_shard_counts()
        >>> rest is None, int(counts.sum()) == store.n_tokens
        (True, True)
        """
        total = np.zeros(len(self._cat.vocab), dtype=np.int64)
        partial = []
        for number, rows in self._parts():
            if rows is not None:
                partial.append((number, rows))
                continue
            row = self._cat.shards.iloc[number]
            entry = open_entry(
                self.path / "shards" / str(row["name"]) / "ids",
                kind="shard-vocab",
                key=str(row["fingerprint"]),
                params={"shard_format": SHARD_FORMAT},
            )
            ids = entry.array("global_ids", dtypes=("int64",), ndim=1)
            counts = entry.array("counts", dtypes=("int64",), ndim=1)
            if len(ids) != len(counts) or (
                len(ids) and not 0 <= ids.min() <= ids.max() < len(total)
            ):
                raise CacheError(f"shard {row['name']} of {self.path}: inconsistent type ids")
            np.add.at(total, ids, counts)
        if not partial:
            return total, None
        starts = self._cat.doc_starts
        rest = np.concatenate([starts[n] + r for n, r in partial])
        out = ShardedCorpus.__new__(ShardedCorpus)
        out.path, out._cat, out._rows = self.path, self._cat, np.sort(rest)
        return total, out

    def type_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per global type: its search-form id, the search forms, and whether it is a word
        (has a letter or digit), as a shard's index has them (computed once per catalog).

        Returns
        -------
        tuple of three arrays
            For each type of the store's vocabulary (``store.vocab``), the id of its
            lower-cased search form; the search forms; and ``True`` for a word.

        Examples
        --------
        >>> import tempfile
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace, peace."]}))
        >>> store = tk.build_shards(c, tempfile.mkdtemp(), progress=False)
        >>> lower, forms, word = store.type_table()
        >>> [forms[i] for i in lower], word.tolist()
        (['peace', ',', 'peace', '.'], [True, False, True, False])
        """
        table = getattr(self._cat, "type_table", None)
        if table is None:
            lower, lower_vocab = _lower_ids(self._cat.vocab)
            word = np.fromiter(
                (is_word(w) for w in self._cat.vocab.tolist()), dtype=bool, count=len(lower)
            )
            table = (lower, lower_vocab, word)
            self._cat.type_table = table  # type: ignore[attr-defined]
        return table

    def _lexicon_index(self) -> TokenIndex:
        """The global vocabulary as a token index without tokens, for type matching."""
        lex = getattr(self._cat, "lexicon_index", None)
        if lex is None:
            lower, lower_vocab = _lower_ids(self._cat.vocab)
            empty = np.zeros(0, dtype=np.int32)
            lex = TokenIndex(
                tokens=empty,
                char_start=empty,
                space=np.zeros(0, dtype=bool),
                doc_offsets=np.zeros(1, dtype=np.int64),
                postings=empty,
                post_offsets=np.zeros(len(self._cat.vocab) + 1, dtype=np.int64),
                vocab=self._cat.vocab,
                lower=lower.astype(np.int32),
                lower_vocab=lower_vocab,
            )
            self._cat.lexicon_index = lex  # type: ignore[attr-defined]
        return lex

    def __repr__(self) -> str:
        return (
            f"<ShardedCorpus {self.name!r}: {len(self):,} documents, {self.n_tokens:,} tokens "
            f"in {self.n_shards} shards at {self.path}>"
        )

    # ---------------------------------------------------------------- selections
    def _subset(self, rows: np.ndarray) -> ShardedCorpus:
        out = ShardedCorpus.__new__(ShardedCorpus)
        out.path, out._cat = self.path, self._cat
        base = np.arange(len(self._cat.meta)) if self._rows is None else self._rows
        out._rows = np.sort(base[rows])
        return out

    def query(self, expr: str, **kwargs: Any) -> ShardedCorpus:
        """Documents selected by a pandas query on the metadata (see
        :meth:`toolkit.corpus.Corpus.query`); only shards holding some are opened later.

        Parameters
        ----------
        expr : str
            A condition on the metadata columns, in the syntax of
            :meth:`pandas.DataFrame.query` (``"year > 1995"``).
        **kwargs
            Passed on to :meth:`pandas.DataFrame.eval` (e.g. ``local_dict``).

        Returns
        -------
        ShardedCorpus
            The same store, reading only the documents selected.

        Examples
        --------
        >>> import pandas as pd
        >>> import tempfile
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a", "b"], "year": [1990, 2000]}))
        >>> tk.build_shards(c, tempfile.mkdtemp(), progress=False).query("year > 1995").doc_ids
        ['1']
        """
        try:
            mask = self.meta.eval(expr, **kwargs)
        except Exception as err:
            cols = ", ".join(map(str, self.meta.columns))
            raise ParameterError(
                "expr", expr, f"cannot evaluate query {expr!r} ({err}); columns: {cols}"
            ) from err
        if not (isinstance(mask, pd.Series) and mask.dtype == bool):
            raise ParameterError("expr", expr, f"query {expr!r} must give True/False per document")
        return self._subset(np.flatnonzero(mask.to_numpy()))

    def select(self, doc_ids: Sequence[str]) -> ShardedCorpus:
        """The documents with these ids (in corpus order).

        Parameters
        ----------
        doc_ids : sequence of str
            Ids of documents of the store (the index of :attr:`meta`).

        Returns
        -------
        ShardedCorpus
            The same store, reading only these documents, in corpus order (not the order
            given, unlike :meth:`toolkit.Corpus.select`).

        Examples
        --------
        >>> import tempfile
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a", "b", "c"]}))
        >>> store = tk.build_shards(c, tempfile.mkdtemp(), progress=False)
        >>> store.select(["2", "0"]).doc_ids
        ['0', '2']
        """
        ids = list(doc_ids)
        pos = pd.Index(self.meta.index).get_indexer(pd.Index(ids, dtype=object))
        if (pos < 0).any():
            missing = [d for d, p in zip(ids, pos, strict=True) if p < 0][:10]
            raise NotFoundError(
                "doc_ids",
                missing[0],
                f"doc_ids: no documents with ids {missing} in {self.name!r}",
            )
        return self._subset(pos)

    @fill_doc
    def sample(self, n: int, by: str | None = None, seed: int | None = 0) -> ShardedCorpus:
        """A seeded random sample of ``n`` documents (all if fewer), in corpus order.

        With ``by``, the sample is stratified: each group of the column gets its share of
        ``n`` in proportion to its size (largest remainders round), drawn at random within
        the group, so a sample of a corpus dominated by recent years stays so.

        Parameters
        ----------
        n : int
            Documents to draw.
        by : str, optional
            {params.by}
            One column to stratify on.
        seed : int, optional
            {params.seed}

        Returns
        -------
        ShardedCorpus
            The sampled documents (a selection of this store).

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), progress=False)
        >>> store.meta["country"].value_counts().sort_index().to_dict()
        {'CHN': 78, 'JPN': 68, 'KOR': 34, 'PRK': 34, 'RUS': 78, 'USA': 79}
        >>> part = store.sample(37, by="country", seed=1)  # 37/371 of each: 7.8, 6.8, 3.4, …
        >>> part.meta["country"].value_counts().sort_index().to_dict()
        {'CHN': 8, 'JPN': 7, 'KOR': 3, 'PRK': 3, 'RUS': 8, 'USA': 8}
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise ParameterError("n", n, "n must be a whole number ≥ 0")
        rng = np.random.default_rng(seed)
        total = len(self)
        n = min(int(n), total)
        if by is None:
            return self._subset(np.sort(rng.choice(total, size=n, replace=False)))
        if by not in self.meta.columns:
            raise ParameterError(
                "by", by, f"no metadata column {by!r}; there are {list(self.meta.columns)}"
            )
        codes, _ = pd.factorize(self.meta[by], sort=True, use_na_sentinel=False)
        sizes = np.bincount(codes)
        quota = sizes * n / total
        take = np.floor(quota).astype(np.int64)
        order = np.lexsort((np.arange(len(sizes)), -(quota - take)))
        take[order[: n - int(take.sum())]] += 1
        picked = [
            rng.choice(np.flatnonzero(codes == g), size=int(t), replace=False)
            for g, t in enumerate(take)
        ]
        return self._subset(np.sort(np.concatenate(picked)))

    def text(self, doc_id: str) -> str:
        """The text of one document, read from its shard.

        Parameters
        ----------
        doc_id : str
            The id of a document of the store.

        Examples
        --------
        >>> import tempfile
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["One text.", "Another."]}))
        >>> tk.build_shards(c, tempfile.mkdtemp(), progress=False).text("1")
        'Another.'
        """
        pos = pd.Index(self._cat.meta.index).get_indexer([doc_id])[0]
        if pos < 0:
            raise KeyError(f"no document with id {doc_id!r} in {self.name!r}")
        number = int(np.searchsorted(self._cat.doc_starts, pos, side="right") - 1)
        return _open_shard(str(self.path), self.revision, number).text(doc_id)

    # ---------------------------------------------------------------- map over shards
    def _parts(self, all_shards: bool = False) -> list[tuple[int, np.ndarray | None]]:
        """(shard number, local rows or None for all) of every shard holding a document."""
        starts = self._cat.doc_starts
        out: list[tuple[int, np.ndarray | None]] = []
        for number in range(len(starts) - 1):
            a, b = starts[number], starts[number + 1]
            if self._rows is None:
                out.append((number, None))
                continue
            lo, hi = np.searchsorted(self._rows, [a, b])
            rows = self._rows[lo:hi] - a
            if len(rows) == b - a:
                out.append((number, None))
            elif len(rows) or all_shards:
                out.append((number, rows))
        return out

    def map(
        self,
        function: Callable[..., Any],
        *args: Any,
        each: Sequence[Any] | None = None,
        desc: str | None = None,
        progress: bool | None = None,
        **kwargs: Any,
    ) -> list[Any]:
        """``function(shard, *args, **kwargs)`` for the selected documents of every shard,
        run where :func:`toolkit.set_scheduler` says; the results in shard order.

        With ``each`` (one value per shard read, in order; see :attr:`n_shards`), the
        shard's value is passed after ``args``: ``function(shard, *args, each[i], **kwargs)``.

        ``function`` must be importable by the workers (a function of a module, not a
        lambda typed in a notebook, when a Dask cluster runs the work).

        Parameters
        ----------
        function : callable
            Called as ``function(shard, *args, **kwargs)`` with each shard (a
            :class:`toolkit.Corpus` of the shard's selected documents).
        *args
            Passed on to ``function`` after the shard.
        each : sequence, optional
            One value per shard read, passed after ``args``.
        desc : str, optional
            The label of the progress bar.
        progress : bool, optional
            Show a progress bar (default: the option ``progress``).
        **kwargs
            Passed on to ``function``.

        Returns
        -------
        list
            The results, in shard order.

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), shard_mb=1,
        ...                         progress=False)
        >>> sum(store.map(len, progress=False)) == len(store)
        True
        """
        parts = self._parts()
        if each is not None and len(each) != len(parts):
            raise ParameterError(
                "each", len(each), f"each needs one value per shard read ({len(parts)})"
            )
        tasks = [
            (
                str(self.path),
                self.revision,
                number,
                rows,
                function,
                args if each is None else (*args, each[i]),
                kwargs,
            )
            for i, (number, rows) in enumerate(parts)
        ]
        name = getattr(function, "__name__", "task")
        return run_tasks(_run_on_shard, tasks, desc=desc or name, progress=progress)

    def iter_map(
        self, function: Callable[..., Any], *args: Any, progress: bool | None = False, **kwargs: Any
    ) -> Iterator[Any]:
        """As :meth:`map`, but results are yielded one shard at a time and shards are
        submitted only as the caller asks for more (a few ahead on a cluster): a caller that
        stops early (``kwic(limit=)``) leaves the remaining shards unopened.

        Parameters
        ----------
        function : callable
            Called as ``function(shard, *args, **kwargs)`` with each shard.
        *args
            Passed on to ``function`` after the shard.
        progress : bool or None, default False
            Show a progress bar.
        **kwargs
            Passed on to ``function``.

        Yields
        ------
        object
            The result of each shard, in shard order.

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), shard_mb=1,
        ...                         progress=False)
        >>> next(store.iter_map(len)) < len(store)
        True
        """
        tasks = (
            (str(self.path), self.revision, number, rows, function, args, kwargs)
            for number, rows in self._parts()
        )
        return stream_tasks(
            _run_on_shard, tasks, desc=getattr(function, "__name__", "task"), progress=progress
        )

    def to_corpus(self) -> Corpus:
        """All selected documents as one in-memory :class:`~toolkit.corpus.Corpus` (for
        small stores and for checking results against a single index).

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> c = tk.load_sample()
        >>> tk.build_shards(c, tempfile.mkdtemp(), progress=False).to_corpus().fingerprint \\
        ...     == c.fingerprint
        True
        """
        parts = self.map(_texts_of, desc="reading texts")
        texts = [t for shard_texts, _, _ in parts for t in shard_texts]
        given = None
        if self._cat.given:  # the shards' given tokens, layers and structures, joined
            given = _given_part([(g, list(map(int, rows))) for _, g, rows in parts if len(rows)])
        return Corpus(
            MemorySource(texts),
            self.meta.copy(),
            [digest(t) for t in texts],
            name=self.name,
            pretokenized=given,
        )

    # ---------------------------------------------------------------- adding shards
    def add(
        self,
        source: Any,
        *,
        shard_mb: float = 32,
        files: str | list[str] | None = None,
        name_pattern: str | None = None,
        text: str | None = None,
        id: str | None = None,
        encodings: Any = DEFAULT_ENCODINGS,
        format: str | None = None,
        format_options: dict[str, Any] | None = None,
        progress: bool | None = None,
    ) -> ShardedCorpus:
        """Add the documents of ``source`` as new shards; the existing shards are not
        touched (their type ids stay valid: new types get new ids).

        The parameters are those of :func:`build_shards`; the store keeps its ``by``.

        Parameters
        ----------
        source : path, Corpus, DataFrame or iterable of Corpus
            What to read (see :func:`toolkit.sources.iter_batches`).
        shard_mb : float, default 32
            Size of a new shard in megabytes of UTF-8 text, about.
        files, name_pattern, encodings
            For folders and archives, as :func:`toolkit.load_folder`.
        text, id : str, optional
            For tables: the text and id columns.
        format : {"text", "conllu", "vrt"}, optional
            How files are read, as :func:`build_shards`; the store's own format.
        format_options : dict, optional
            For CoNLL-U and VRT: the options of :func:`toolkit.load_conllu` or
            :func:`toolkit.load_vrt`.
        progress : bool, optional
            Show a progress bar (default: when it takes over a second).

        Returns
        -------
        ShardedCorpus
            The whole store, reopened.

        Raises
        ------
        LoadError
            A document id the store already has.

        Examples
        --------
        >>> import tempfile
        >>> import toolkit as tk
        >>> c = tk.load_sample()
        >>> store = tk.build_shards(c.query("year < 2000"), tempfile.mkdtemp(), progress=False)
        >>> len(store.add(c.query("year >= 2000"), progress=False))
        371
        """
        batches = iter_batches(
            source,
            batch_mb=shard_mb,
            files=files,
            name_pattern=name_pattern,
            text=text,
            id=id,
            encodings=encodings,
            format=format,
            format_options=format_options,
        )
        _build(self.path, batches, self.by, shard_mb, progress, existing=self._cat)
        return ShardedCorpus(self.path)


def _count_part(shard: Corpus, pattern: Any, options: dict[str, Any]) -> int:
    from .patterns import find

    return len(find(shard.index(), pattern, **options)[0])


def _write_ids(writer: EntryWriter, local: np.ndarray, counts: np.ndarray) -> None:
    writer.array("global_ids", local)
    writer.array("counts", np.asarray(counts, dtype=np.int64))


def _texts_of(corpus: Corpus) -> tuple[list[str], Pretokenized | None, np.ndarray]:
    """Task: a shard's texts, given tokens and the rows of its documents."""
    return list(corpus.texts()), corpus.given_tokens, np.asarray(corpus.rows)


# --------------------------------------------------------------------------- building
def _key_label(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return value if isinstance(value, int | float | str | bool) else str(value)


class _Key:
    """A metadata frame as a dictionary key (by identity)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __hash__(self) -> int:
        return id(self.frame)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.frame is self.frame


def _build(
    path: Path,
    batches: Iterator[Corpus],
    by: str | None,
    shard_mb: float,
    progress: bool | None,
    existing: _Catalog | None = None,
) -> None:
    shard_bytes = int(shard_mb * 1_000_000)
    if existing is not None:
        shards = [{str(k): v for k, v in r.items()} for r in existing.shards.to_dict("records")]
        metas = [existing.meta]
        doc_tokens = [np.asarray(existing.doc_tokens)]
        vocab = existing.vocab.tolist()
        counts = np.asarray(existing.counts, dtype=np.int64).copy()
        seen_ids = set(map(str, existing.meta.index))
        name = existing.name
        given_mode: bool | None = existing.given
    else:
        shards, metas, doc_tokens, vocab = [], [], [], []
        counts = np.zeros(0, dtype=np.int64)
        seen_ids = set()
        name = ""
        given_mode = None
    known = pd.Index(vocab, dtype=object)
    first = len(shards)
    pending_info: deque[tuple[pd.DataFrame, Any]] = deque()

    def payloads() -> Iterator[tuple[str, str, str, int, bool]]:
        nonlocal name, given_mode
        # per key value: ids, texts, (batch metadata, row) of each document, bytes so far
        open_parts: dict[Any, dict[str, Any]] = {}
        number = first

        def emit(k: Any) -> tuple[str, str, str, int, bool]:
            nonlocal number
            part = open_parts.pop(k)
            shard = f"s{number:06d}"
            number += 1
            frames = [m.frame.iloc[rows] for m, rows in part["rows"].items()]
            pending_info.append((pd.concat(frames) if len(frames) > 1 else frames[0], k))
            given = _given_part(part["given"]) if given_mode else None
            # the texts are written here and only the shard's name goes to a worker
            fingerprint = _write_texts(str(path), shard, part["ids"], part["texts"], given)
            return (str(path), shard, fingerprint, len(part["ids"]), bool(given_mode))

        for batch in batches:
            name = name or batch.name
            meta = batch.meta
            if by is not None and by not in meta.columns:
                raise ParameterError(
                    "by", by, f"no metadata column {by!r}; there are {list(meta.columns)}"
                )
            ids = list(map(str, meta.index))
            batch_given = batch.given_tokens
            if given_mode is None:
                given_mode = batch_given is not None
            elif given_mode != (batch_given is not None):
                raise LoadError(
                    "a store holds either given tokens (CoNLL-U, VRT, tk.from_tokens) or texts "
                    "the toolkit tokenises, not both: "
                    + (
                        "this store's shards have given tokens and the source has texts"
                        if given_mode
                        else "this store's shards have texts and the source has given tokens"
                    )
                )
            dup = [d for d in ids if d in seen_ids]
            if dup:
                raise LoadError(f"duplicate document ids {dup[:10]}: ids must be unique in a store")
            seen_ids.update(ids)
            keys = [None] * len(ids) if by is None else [_key_label(v) for v in meta[by]]
            # UTF-8 as the source holds it: a text read from memory is not decoded here
            texts = batch.source.iter_bytes(batch.rows)
            for i, (doc_id, text) in enumerate(zip(ids, texts, strict=True)):
                k = keys[i]
                part = open_parts.setdefault(
                    k, {"ids": [], "texts": [], "rows": {}, "size": 0, "given": []}
                )
                if batch_given is not None:  # runs of documents of one batch
                    runs = part["given"]
                    if not runs or runs[-1][0] is not batch_given:
                        runs.append((batch_given, []))
                    runs[-1][1].append(int(batch.rows[i]))
                part["ids"].append(doc_id)
                part["texts"].append(text)
                part["rows"].setdefault(_Key(meta), []).append(i)
                part["size"] += len(text)  # bytes of UTF-8
                if part["size"] >= shard_bytes:
                    yield emit(k)
        for k in list(open_parts):
            yield emit(k)

    for info in stream_tasks(_index_shard, payloads(), desc="building shards", progress=progress):
        meta, k = pending_info.popleft()
        # the shard's types looked up in the global vocabulary by pandas' hash table (in C);
        # the new ones (distinct within a shard) get the next ids
        shard_vocab = pd.Index(info["vocab"], dtype=object)
        local = np.asarray(known.get_indexer(shard_vocab), dtype=np.int64)
        new = np.flatnonzero(local < 0)
        if len(new):
            local[new] = np.arange(len(vocab), len(vocab) + len(new))
            vocab.extend(shard_vocab[new].tolist())
            known = known.append(shard_vocab[new])
            counts = np.concatenate([counts, np.zeros(len(new), np.int64)])
        np.add.at(counts, local, info["counts"])
        write_entry(
            path / "shards" / info["name"] / "ids",
            kind="shard-vocab",
            key=info["fingerprint"],
            params={"shard_format": SHARD_FORMAT},
            fill=functools.partial(_write_ids, local=local, counts=info["counts"]),
            in_cache=False,
        )
        shards.append(
            {
                "name": info["name"],
                "n_docs": info["n_docs"],
                "n_tokens": info["n_tokens"],
                "fingerprint": info["fingerprint"],
                "key": k,
            }
        )
        metas.append(meta)
        doc_tokens.append(info["doc_tokens"])
    if not shards:
        raise LoadError("the source has no documents", path=str(path))
    meta_all = pd.concat(metas) if len(metas) > 1 else metas[0]
    meta_all.index = meta_all.index.astype(str).rename("doc_id")
    _write_catalog(
        path,
        name or "corpus",
        by,
        bool(given_mode),
        shards,
        meta_all,
        np.concatenate(doc_tokens),
        vocab,
        counts,
    )


@fill_doc
def build_shards(
    source: Any,
    path: str | Path,
    *,
    by: str | None = None,
    shard_mb: float = 32,
    files: str | list[str] | None = None,
    name_pattern: str | None = None,
    text: str | None = None,
    id: str | None = None,
    encodings: Any = DEFAULT_ENCODINGS,
    format: str | None = None,
    format_options: dict[str, Any] | None = None,
    overwrite: bool = False,
    progress: bool | None = None,
) -> ShardedCorpus:
    """Build a sharded corpus from a source too large for one index, streaming.

    The source is read a batch at a time (:func:`toolkit.sources.iter_batches`: folders,
    zip/tar archives, CSV/TSV in chunks, Parquet row groups, JSON Lines, corpora); each
    shard's texts and token index are written by a task, in parallel on the Dask workers
    chosen with :func:`toolkit.set_scheduler` (in this process by default).

    Parameters
    ----------
    source : path, Corpus, DataFrame or iterable of Corpus
        What to read (see :func:`toolkit.sources.iter_batches`).
    path : str or Path
        The store folder: new, empty, or (with ``overwrite=True``) an old store.
    by : str, optional
        {params.by}
        Shards never mix values of this column (e.g. ``"year"``), so a query on it reads
        only the shards of the values asked for.
    shard_mb : float
        Size of a shard in megabytes of UTF-8 text, about (default 32, some 6 million
        tokens of English); peak memory of a worker grows with it.
    files, name_pattern, encodings
        For folders and archives, as :func:`toolkit.load_folder` (``files`` defaults to
        ``"*.txt"``, or by ``format``).
    format : {"text", "conllu", "vrt"}, optional
        How files are read: plain text, tokenised by the toolkit, or CoNLL-U or VRT, whose
        tokens are kept as given, with their annotation layers and structures, in every
        shard (default: by the suffix of ``source`` or of ``files``; see
        :func:`toolkit.sources.iter_batches`).  A store holds one or the other.
    format_options : dict, optional
        For CoNLL-U and VRT: the options of :func:`toolkit.load_conllu` or
        :func:`toolkit.load_vrt` (``columns``, ``multiword``, ``p_attrs``, ``doc_tag``,
        ``space_in_tokens``).
    text, id : str, optional
        For tables: the text and id columns.
    overwrite : bool
        Replace a store that exists at ``path``.
    progress : bool, optional
        Show a progress bar (default: when it takes over a second).

    Returns
    -------
    ShardedCorpus

    Raises
    ------
    ParameterError
        ``path`` is a non-empty folder that is not a store, or a store without
        ``overwrite=True``; an unknown ``by`` column; bad ``shard_mb``.
    LoadError
        Unreadable input, duplicate document ids.

    Examples
    --------
    >>> import tempfile
    >>> import toolkit as tk
    >>> c = tk.load_sample().assign(decade=lambda m: m["year"] // 10 * 10)
    >>> store = tk.build_shards(c, tempfile.mkdtemp(), by="decade", progress=False)
    >>> store.shards[["key", "n_docs"]].head(3).values.tolist()
    [[1940, 12], [1950, 33], [1960, 40]]
    """
    if isinstance(shard_mb, bool) or not isinstance(shard_mb, int | float) or not shard_mb > 0:
        raise ParameterError("shard_mb", shard_mb, "shard_mb must be a positive number")
    if by is not None and not isinstance(by, str):
        raise ParameterError("by", by, "by must be the name of one metadata column")
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise ParameterError("path", str(path), f"{path} exists and is not a folder")
        if any(path.iterdir()):
            if not (path / "catalog").exists():
                raise ParameterError(
                    "path", str(path), f"{path} is a folder that is not empty and not a store"
                )
            if not overwrite:
                raise ParameterError(
                    "path",
                    str(path),
                    f"{path} already holds a store; open it with tk.open_shards, add to it "
                    "with .add(), or pass overwrite=True",
                )
            shutil.rmtree(path / "catalog")
            shutil.rmtree(path / "shards", ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    batches = iter_batches(
        source,
        batch_mb=shard_mb,
        files=files,
        name_pattern=name_pattern,
        text=text,
        id=id,
        encodings=encodings,
        format=format,
        format_options=format_options,
    )
    _build(path, batches, by, shard_mb, progress)
    return ShardedCorpus(path)


def open_shards(path: str | Path) -> ShardedCorpus:
    """Open a store made by :func:`build_shards` (its catalog is verified now, each shard
    when it is first read).

    Parameters
    ----------
    path : str or Path
        The store folder.

    Returns
    -------
    ShardedCorpus

    Raises
    ------
    ParameterError
        ``path`` holds no store.
    CacheError
        The catalog is damaged or of another format.

    Examples
    --------
    >>> import tempfile
    >>> import toolkit as tk
    >>> folder = tempfile.mkdtemp()
    >>> _ = tk.build_shards(tk.load_sample(), folder, progress=False)
    >>> len(tk.open_shards(folder))
    371
    """
    path = Path(path)
    if not (path / "catalog").is_dir():
        raise ParameterError("path", str(path), f"{path} holds no sharded corpus (no catalog)")
    return ShardedCorpus(path)


def _lower_ids(vocab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Search form id of each type, and the search forms (as :mod:`toolkit.index`)."""
    lookup: dict[str, int] = {}
    ids = np.fromiter(
        (lookup.setdefault(search_form(w), len(lookup)) for w in vocab.tolist()),
        dtype=np.int64,
        count=len(vocab),
    )
    return ids, np.array(list(lookup), dtype=object)
