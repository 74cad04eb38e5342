"""The token index: an integer-coded, positional index of a corpus, saved and memory-mapped.

Why hand-written: no maintained Python library offers a corpus-query-engine index.  NLTK's
``ConcordanceIndex`` keeps Python lists of tokens and offsets (6.6 GB and 52 s for the UN
corpus), gensim's ``Dictionary`` has no positions, and the IMS Open Corpus Workbench is a C
program with its own query language rather than a Python library.  The layout follows the
Corpus Workbench: one stream of token ids, a lexicon, document boundaries, and a reverse
index (the positions of each type stored together), all numpy arrays.

Arrays (N tokens, V types, D documents):

``tokens`` (int32, N)
    Surface type id of each token; the surface type keeps case, so the original text of any
    context can be shown.
``char_start`` (int32, N)
    Character offset of each token in its document; with the token's length it maps every
    token back to its span: ``text[char_start:char_start + len(vocab[id])]``.
``space`` (bool, N)
    Whether white space precedes the token in the text; contexts are shown with a single
    space there (line breaks and runs of spaces are shown as one space).
``doc_offsets`` (int64, D + 1)
    Document ``d`` holds positions ``doc_offsets[d]`` to ``doc_offsets[d + 1] - 1``.
``postings`` (int32/int64, N) and ``post_offsets`` (int64, V + 1)
    Positions of type ``t``: ``postings[post_offsets[t]:post_offsets[t + 1]]``, ascending.
``vocab`` (V strings), ``lower`` (int32, V) and ``lower_vocab``
    The surface types, and each type's lower-cased form for case-insensitive search.

Tokenisation (see :mod:`toolkit.tokenize`) runs in two stages for speed: the text is cut at
white space with numpy (code points, a white-space table and a polynomial hash of each
white-space-delimited chunk, so no Python string is made per chunk), and the fine rules are
then applied once per *distinct* chunk and expanded over the stream.  The result equals
applying :func:`toolkit.tokenize.tokenize` to each text (a property the tests check).
The chunk hash is 64 bits; a collision between two distinct chunks (probability about
``V² / 2⁶⁵``, below 10⁻⁹ for the UN corpus) would merge them.

Caching: an index is kept in memory per corpus fingerprint, and saved under
``$TOOLKIT_CACHE`` (default ``~/.cache/toolkit``) in a folder named by the fingerprint of
the texts and the tokeniser version.  A manifest records each array's shape, dtype, size
and a checksum of its head and tail; a folder whose manifest is missing or does not match
is rebuilt, never used.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._progress import progress_options
from .tokenize import TOKENIZER_VERSION, is_word, tokenize_spans

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    from .corpus import Corpus

__all__ = ["TokenIndex", "IndexView", "build_index", "index_view", "index_key", "cache_dir"]

_ARRAYS = ("tokens", "char_start", "space", "doc_offsets", "postings", "post_offsets", "lower")
_MEMORY: dict[str, TokenIndex] = {}
_MEMORY_LIMIT = 4

# White-space table over all code points, matching ``str.isspace``.
_WS = np.zeros(0x110000, dtype=bool)
for _c in [
    *range(0x09, 0x0E),
    *range(0x1C, 0x21),
    0x85,
    0xA0,
    0x1680,
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
]:
    _WS[_c] = True

_P = np.uint64(0x9E3779B97F4A7C15 | 1)
_PINV = np.uint64(pow(int(_P), -1, 2**64))
_pow = np.ones(1, dtype=np.uint64)
_ipow = np.ones(1, dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    global _pow, _ipow
    if len(_pow) < n:
        m = max(n, 2 * len(_pow))
        with np.errstate(over="ignore"):
            _pow = np.concatenate(([np.uint64(1)], np.cumprod(np.full(m - 1, _P, np.uint64))))
            _ipow = np.concatenate(([np.uint64(1)], np.cumprod(np.full(m - 1, _PINV, np.uint64))))
    return _pow[:n], _ipow[:n]


def cache_dir() -> Path:
    """Folder of saved indexes: ``$TOOLKIT_CACHE`` or ``~/.cache/toolkit``."""
    return Path(os.environ.get("TOOLKIT_CACHE", Path.home() / ".cache" / "toolkit"))


@dataclass
class TokenIndex:
    """Integer-coded positional index of the documents of one corpus (see module docs)."""

    tokens: np.ndarray
    char_start: np.ndarray
    space: np.ndarray
    doc_offsets: np.ndarray
    postings: np.ndarray
    post_offsets: np.ndarray
    vocab: np.ndarray
    lower: np.ndarray
    lower_vocab: np.ndarray
    key: str = ""
    _lookup: dict[str, int] | None = field(default=None, repr=False)
    _lower_lookup: dict[str, int] | None = field(default=None, repr=False)
    _is_word: np.ndarray | None = field(default=None, repr=False)
    _lower_groups: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _doc_words: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_tokens(self) -> int:
        return int(len(self.tokens))

    @property
    def n_docs(self) -> int:
        return int(len(self.doc_offsets) - 1)

    @property
    def counts(self) -> np.ndarray:
        """Corpus frequency of each surface type."""
        return np.diff(self.post_offsets)

    @property
    def lookup(self) -> dict[str, int]:
        """Surface type → id."""
        if self._lookup is None:
            self._lookup = {t: i for i, t in enumerate(self.vocab.tolist())}
        return self._lookup

    @property
    def lower_lookup(self) -> dict[str, int]:
        """Lower-cased type → id in ``lower_vocab``."""
        if self._lower_lookup is None:
            self._lower_lookup = {t: i for i, t in enumerate(self.lower_vocab.tolist())}
        return self._lower_lookup

    @property
    def is_word(self) -> np.ndarray:
        """Per surface type: True unless the type is pure punctuation or symbols."""
        if self._is_word is None:
            self._is_word = np.fromiter(
                (is_word(t) for t in self.vocab.tolist()), dtype=bool, count=len(self.vocab)
            )
        return self._is_word

    def surface_types_of_lower(self, lower_ids: np.ndarray) -> np.ndarray:
        """All surface type ids whose lower-cased form is one of ``lower_ids``."""
        if self._lower_groups is None:
            order = np.argsort(self.lower, kind="stable")
            bounds = np.searchsorted(self.lower[order], np.arange(len(self.lower_vocab) + 1))
            self._lower_groups = (order, bounds)
        order, bounds = self._lower_groups
        lower_ids = np.asarray(lower_ids, dtype=np.int64)
        if len(lower_ids) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([order[bounds[i] : bounds[i + 1]] for i in lower_ids])

    def positions(self, type_ids: np.ndarray) -> np.ndarray:
        """Sorted corpus positions of all tokens of the given surface types."""
        type_ids = np.asarray(type_ids, dtype=np.int64)
        if len(type_ids) == 0:
            return np.zeros(0, dtype=np.int64)
        if len(type_ids) == 1:
            t = type_ids[0]
            return np.asarray(
                self.postings[self.post_offsets[t] : self.post_offsets[t + 1]], dtype=np.int64
            )
        parts = [self.postings[self.post_offsets[t] : self.post_offsets[t + 1]] for t in type_ids]
        out = np.concatenate(parts)
        # each part is sorted already: timsort ("stable") merges the runs in linear time
        out.sort(kind="stable")
        return out.astype(np.int64, copy=False)

    def doc_of(self, positions: np.ndarray) -> np.ndarray:
        """Document number of each position."""
        return np.searchsorted(self.doc_offsets, positions, side="right") - 1

    # ------------------------------------------------------------------ persistence
    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` atomically (a temporary folder renamed at the end)."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        manifest: dict[str, object] = {
            "key": self.key,
            "tokenizer": TOKENIZER_VERSION,
            "arrays": {},
        }
        for name in _ARRAYS:
            arr = np.ascontiguousarray(getattr(self, name))
            np.save(tmp / f"{name}.npy", arr)
            manifest["arrays"][name] = {  # type: ignore[index]
                "shape": list(arr.shape),
                "dtype": str(arr.dtype),
                "bytes": (tmp / f"{name}.npy").stat().st_size,
                "check": _checksum(tmp / f"{name}.npy"),
            }
        (tmp / "vocab.json").write_text(
            json.dumps(self.vocab.tolist(), ensure_ascii=False), encoding="utf-8"
        )
        (tmp / "lower_vocab.json").write_text(
            json.dumps(self.lower_vocab.tolist(), ensure_ascii=False), encoding="utf-8"
        )
        manifest["vocab_check"] = _checksum(tmp / "vocab.json")
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)

    @classmethod
    def load(cls, folder: Path, key: str) -> TokenIndex:
        """Open a saved index with memory-mapped arrays; raise ``ValueError`` if damaged."""
        folder = Path(folder)
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, ValueError) as err:
            raise ValueError(f"{folder}: no readable manifest ({err})") from err
        if manifest.get("key") != key or manifest.get("tokenizer") != TOKENIZER_VERSION:
            raise ValueError(f"{folder}: built for other texts or another tokeniser")
        arrays = {}
        for name in _ARRAYS:
            info = manifest["arrays"][name]
            path = folder / f"{name}.npy"
            if not path.exists() or path.stat().st_size != info["bytes"]:
                raise ValueError(f"{path}: missing or of the wrong size")
            if _checksum(path) != info["check"]:
                raise ValueError(f"{path}: checksum does not match the manifest")
            try:
                arr = np.load(path, mmap_mode="r", allow_pickle=False)
            except ValueError as err:
                raise ValueError(f"{path}: unreadable ({err})") from err
            if list(arr.shape) != info["shape"] or str(arr.dtype) != info["dtype"]:
                raise ValueError(f"{path}: shape or dtype differs from the manifest")
            arrays[name] = arr
        if _checksum(folder / "vocab.json") != manifest.get("vocab_check"):
            raise ValueError(f"{folder / 'vocab.json'}: checksum does not match the manifest")
        vocab = np.array(
            json.loads((folder / "vocab.json").read_text(encoding="utf-8")), dtype=object
        )
        lower_vocab = np.array(
            json.loads((folder / "lower_vocab.json").read_text(encoding="utf-8")), dtype=object
        )
        if len(vocab) + 1 != len(arrays["post_offsets"]) or len(vocab) != len(arrays["lower"]):
            raise ValueError(f"{folder}: vocabulary and arrays disagree")
        return cls(vocab=vocab, lower_vocab=lower_vocab, key=key, **arrays)


def _checksum(path: Path, block: int = 1 << 20) -> str:
    """SHA-1 of a file's size, first and last MiB: cheap, and catches truncation and damage
    at either end (a full hash of a 500 MB index would cost more than opening it)."""
    size = path.stat().st_size
    h = hashlib.sha1(str(size).encode())
    with open(path, "rb") as fh:
        h.update(fh.read(block))
        if size > block:
            fh.seek(max(block, size - block))
            h.update(fh.read(block))
    return h.hexdigest()


# --------------------------------------------------------------------------- building
def _chunks_of(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts, ends and 64-bit hashes of the white-space-delimited chunks of ``text``."""
    a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(a)
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0, dtype=np.uint64)
    ws = _WS[a]
    vis = ~ws
    prev_ws = np.empty(n, dtype=bool)
    prev_ws[0] = True
    prev_ws[1:] = ws[:-1]
    next_ws = np.empty(n, dtype=bool)
    next_ws[-1] = True
    next_ws[:-1] = ws[1:]
    starts = np.flatnonzero(vis & prev_ws)
    ends = np.flatnonzero(vis & next_ws) + 1
    pw, ipw = _powers(n)
    if len(starts) == 0:
        return starts, ends, np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        terms = a.astype(np.uint64)
        terms[ws] = 0  # white space after a chunk adds nothing to its sum
        terms *= pw
        hashes = np.add.reduceat(terms, starts) * ipw[starts]
        hashes ^= (ends - starts).astype(np.uint64) * np.uint64(0xD6E8FEB86659FD93)
    return starts, ends, hashes


class _PieceTable:
    """Fine tokens of each distinct white-space chunk, grown as new chunks are met."""

    def __init__(self) -> None:
        self.lookup: dict[str, int] = {}
        self.n_pieces = np.zeros(0, dtype=np.int64)
        self.start = np.zeros(1, dtype=np.int64)
        self.ids = np.zeros(0, dtype=np.int32)
        self.offsets = np.zeros(0, dtype=np.int32)

    def clear(self) -> None:
        """Free the tables once the stream is expanded."""
        self.lookup = {}
        self.n_pieces = self.start = self.ids = self.offsets = np.zeros(0, dtype=np.int32)

    def _id(self, token: str) -> int:
        i = self.lookup.get(token)
        if i is None:
            i = self.lookup[token] = len(self.lookup)
        return i

    def add(self, chunks: list[str]) -> None:
        counts, ids, offsets = [], [], []
        for chunk in chunks:
            if chunk.isalnum():  # the common case: one plain word, one token
                counts.append(1)
                ids.append(self._id(chunk))
                offsets.append(0)
                continue
            toks, starts, _ = tokenize_spans(chunk)
            counts.append(len(toks))
            ids.extend(self._id(t) for t in toks)
            offsets.extend(starts.tolist())
        c = np.asarray(counts, dtype=np.int64)
        self.n_pieces = np.concatenate([self.n_pieces, c])
        self.start = np.concatenate([self.start, self.start[-1] + np.cumsum(c)])
        self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int32)])
        self.offsets = np.concatenate([self.offsets, np.asarray(offsets, dtype=np.int32)])


def _release_memory() -> None:
    """Give freed heap memory back to the operating system (glibc only; else a no-op).

    Many freed arrays of a few megabytes stay in the C heap otherwise, which would count
    against the build's peak memory."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _gather(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """Concatenate arrays while freeing them, so memory holds the result and one part."""
    out = np.empty(sum(len(p) for p in parts), dtype=dtype)
    pos = 0
    parts.reverse()
    while parts:
        p = parts.pop()
        out[pos : pos + len(p)] = p
        pos += len(p)
        if len(parts) % 16 == 0:
            _release_memory()
    return out


def build_index(
    texts: Iterable[str], n_docs: int | None = None, key: str = "", progress: bool | None = None
) -> TokenIndex:
    """Tokenise texts once and build their :class:`TokenIndex`.

    The texts are streamed in batches of a few megabytes: each batch is cut into
    white-space chunks, new distinct chunks are tokenised once, and the batch's tokens are
    written out before the next batch is read, so memory holds the index, not the texts.

    Parameters
    ----------
    texts : iterable of str
        The documents, streamed; each is read once and not kept.
    n_docs : int, optional
        Number of documents, for the progress bar.
    key : str
        Cache key stored with the index.
    progress : bool, optional
        Show a progress bar (default: only when building takes over a second).

    Returns
    -------
    TokenIndex

    Examples
    --------
    >>> idx = build_index(["Russia’s view.", "A view"])
    >>> idx.vocab[idx.tokens].tolist(), idx.doc_offsets.tolist()
    (['Russia', '’s', 'view', '.', 'A', 'view'], [0, 4, 6])
    """
    seen: dict[int, int] = {}
    table = _PieceTable()
    tok_parts: list[np.ndarray] = []
    char_parts: list[np.ndarray] = []
    space_parts: list[np.ndarray] = []
    doc_tokens: list[np.ndarray] = []
    batch_texts: list[str] = []
    batch: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    batch_chars = 0

    def flush() -> None:
        nonlocal batch_chars
        if not batch:
            return
        per_doc = np.array([len(b[0]) for b in batch], dtype=np.int64)
        hashes = np.concatenate([b[2] for b in batch])
        starts = np.concatenate([b[0] for b in batch])
        if len(hashes):
            codes, uniq = pd.factorize(hashes)
            first = np.empty(len(uniq), dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # first occurrence
            doc_idx = np.repeat(np.arange(len(batch)), per_doc)
            ends = np.concatenate([b[1] for b in batch])
            gids = np.empty(len(uniq), dtype=np.int64)
            new_chunks: list[str] = []
            for j, hv in enumerate(uniq.tolist()):
                g = seen.get(hv)
                if g is None:
                    g = seen[hv] = len(seen)
                    f = first[j]
                    new_chunks.append(batch_texts[doc_idx[f]][starts[f] : ends[f]])
                gids[j] = g
            if new_chunks:
                table.add(new_chunks)
            chunk_gid = gids[codes]
        else:
            chunk_gid = np.zeros(0, dtype=np.int64)
        # expand the batch's chunks into tokens
        pc = table.n_pieces[chunk_gid]
        local = np.zeros(len(pc) + 1, dtype=np.int64)
        np.cumsum(pc, out=local[1:])
        total = int(local[-1])
        src = np.repeat(table.start[chunk_gid] - local[:-1], pc)
        src += np.arange(total, dtype=np.int64)
        tok_parts.append(table.ids[src])
        char_parts.append((np.repeat(starts, pc) + table.offsets[src]).astype(np.int32))
        space = np.zeros(total, dtype=bool)
        has = pc > 0
        space[local[:-1][has]] = starts[has] > 0
        space_parts.append(space)
        chunk_bounds = np.zeros(len(batch) + 1, dtype=np.int64)
        np.cumsum(per_doc, out=chunk_bounds[1:])
        doc_tokens.append(local[chunk_bounds[1:]] - local[chunk_bounds[:-1]])
        batch.clear()
        batch_texts.clear()
        batch_chars = 0

    bar = tqdm(texts, total=n_docs, desc="indexing", unit=" docs", **progress_options(progress))
    for text in bar:
        if len(text) >= 2**31:
            raise ValueError("a document of 2³¹ characters or more cannot be indexed")
        batch.append(_chunks_of(text))
        batch_texts.append(text)
        batch_chars += len(text)
        if batch_chars > 4_000_000:
            flush()
    flush()
    bar.close()

    counts_per_doc = np.concatenate(doc_tokens) if doc_tokens else np.zeros(0, np.int64)
    doc_offsets = np.zeros(len(counts_per_doc) + 1, dtype=np.int64)
    np.cumsum(counts_per_doc, out=doc_offsets[1:])
    n_tokens = int(doc_offsets[-1])
    tokens = _gather(tok_parts, np.int32)
    vocab = np.array(list(table.lookup), dtype=object)
    seen.clear()
    table.clear()
    counts = np.bincount(tokens, minlength=len(vocab))
    post_offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(counts, out=post_offsets[1:])
    pos_dtype = np.int32 if n_tokens < 2**31 else np.int64
    postings = np.empty(n_tokens, dtype=pos_dtype)  # stable counting sort, block by block
    cursor = post_offsets[:-1].copy()
    block = 1 << 20
    for a in range(0, n_tokens, block):
        bt = tokens[a : a + block]
        order = np.argsort(bt, kind="stable")
        ts = bt[order]
        run_start = np.concatenate(([0], np.flatnonzero(np.diff(ts)) + 1))
        rank = np.arange(len(ts)) - np.repeat(run_start, np.diff(np.append(run_start, len(ts))))
        postings[cursor[ts] + rank] = order + a
        cursor += np.bincount(bt, minlength=len(vocab))
    _release_memory()
    char_start = _gather(char_parts, np.int32)
    space = _gather(space_parts, bool)

    lower_strings = [t.lower() for t in vocab.tolist()]
    lower_lookup: dict[str, int] = {}
    lower = np.fromiter(
        (lower_lookup.setdefault(t, len(lower_lookup)) for t in lower_strings),
        dtype=np.int32,
        count=len(lower_strings),
    )
    return TokenIndex(
        tokens=tokens,
        char_start=char_start,
        space=space,
        doc_offsets=doc_offsets,
        postings=postings,
        post_offsets=post_offsets,
        vocab=vocab,
        lower=lower,
        lower_vocab=np.array(list(lower_lookup), dtype=object),
        key=key,
    )


# --------------------------------------------------------------------------- views
class IndexView:
    """The part of a :class:`TokenIndex` that belongs to one corpus (or subset of it).

    Attributes
    ----------
    index : TokenIndex
        The index of the corpus that owns the texts.
    docs : numpy.ndarray
        Document numbers in ``index`` of this corpus's documents, in corpus order.
    doc_ids : list of str
    """

    def __init__(self, index: TokenIndex, docs: np.ndarray, doc_ids: list[str]):
        self.index = index
        self.docs = np.asarray(docs, dtype=np.int64)
        self.doc_ids = doc_ids
        self.full = len(self.docs) == index.n_docs and bool(
            np.array_equal(self.docs, np.arange(index.n_docs))
        )
        self._mask: np.ndarray | None = None
        self._local: np.ndarray | None = None

    @property
    def starts(self) -> np.ndarray:
        """Start position of each document (corpus order)."""
        return self.index.doc_offsets[self.docs]

    @property
    def ends(self) -> np.ndarray:
        """End position (exclusive) of each document (corpus order)."""
        return self.index.doc_offsets[self.docs + 1]

    @property
    def doc_lengths(self) -> np.ndarray:
        return self.ends - self.starts

    @property
    def n_tokens(self) -> int:
        return int(self.doc_lengths.sum())

    @property
    def doc_mask(self) -> np.ndarray:
        """Boolean mask over the index's documents: True for this view's."""
        if self._mask is None:
            self._mask = np.zeros(self.index.n_docs, dtype=bool)
            self._mask[self.docs] = True
        return self._mask

    @property
    def local(self) -> np.ndarray:
        """Index document number → position of that document in this view (-1 if absent)."""
        if self._local is None:
            self._local = np.full(self.index.n_docs, -1, dtype=np.int64)
            self._local[self.docs] = np.arange(len(self.docs))
        return self._local

    def restrict(self, positions: np.ndarray) -> np.ndarray:
        """Keep the positions that fall in this view's documents."""
        if self.full:
            return positions
        return positions[self.doc_mask[self.index.doc_of(positions)]]

    def token_stream(self) -> np.ndarray:
        """Token ids of this view's documents, concatenated in corpus order."""
        if self.full:
            return np.asarray(self.index.tokens)
        tok = self.index.tokens
        return np.concatenate(
            [tok[s:e] for s, e in zip(self.starts, self.ends, strict=True)]
            or [np.zeros(0, np.int32)]
        )

    def type_counts(self) -> np.ndarray:
        """Frequency of each surface type in this view."""
        if self.full:
            return self.index.counts
        return np.bincount(self.token_stream(), minlength=len(self.index.vocab))

    def doc_type_counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse document × type counts as (doc row, type id, count) triples."""
        rows = np.repeat(np.arange(len(self.docs)), self.doc_lengths)
        stream = self.token_stream().astype(np.int64)
        keys = rows * len(self.index.vocab) + stream
        uniq, counts = np.unique(keys, return_counts=True)
        return uniq // len(self.index.vocab), uniq % len(self.index.vocab), counts


def index_key(corpus: Corpus) -> str:
    """Cache key of the index of ``corpus``: its texts' fingerprint and the tokeniser version."""
    root = corpus._root
    return hashlib.sha1(f"{root.fingerprint}:{TOKENIZER_VERSION}".encode()).hexdigest()


def index_view(corpus: Corpus, progress: bool | None = None) -> IndexView:
    """The token index of ``corpus``: from memory, from the disk cache, or built now."""
    root = corpus._root
    key = index_key(corpus)
    idx = _MEMORY.get(key)
    if idx is None:
        folder = cache_dir() / "index" / key
        if folder.exists():
            try:
                idx = TokenIndex.load(folder, key)
            except (ValueError, KeyError, OSError) as err:
                warnings.warn(
                    f"rebuilding the token index: the cached copy is unusable ({err})", stacklevel=3
                )
                idx = None
        if idx is None:
            idx = build_index(root.texts(), n_docs=len(root), key=key, progress=progress)
            try:
                idx.save(folder)
            except OSError as err:  # a read-only home still gets a working index
                warnings.warn(f"could not save the token index to {folder} ({err})", stacklevel=3)
        if len(_MEMORY) >= _MEMORY_LIMIT:
            _MEMORY.pop(next(iter(_MEMORY)))
        _MEMORY[key] = idx
    return IndexView(idx, corpus._rows, corpus.doc_ids)
