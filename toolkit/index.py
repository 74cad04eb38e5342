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
    The surface types, and each type's search form (lower case, then NFC; see
    :func:`toolkit.tokenize.search_form`) for case-insensitive search.

Tokenisation (see :mod:`toolkit.tokenize`) runs in two stages for speed: the text is cut at
white space with numpy (code points, a white-space table and a polynomial hash of each
white-space-delimited chunk, so no Python string is made per chunk), and the fine rules are
then applied once per *distinct* chunk and expanded over the stream.  The result equals
applying :func:`toolkit.tokenize.tokenize` to each text (a property the tests check).
A corpus of given tokens (:func:`toolkit.from_tokens`, :func:`toolkit.load_conllu`,
:func:`toolkit.load_vrt`) is indexed in the ``pretokenized`` mode instead: every
white-space-delimited chunk is exactly one token, so the index holds the given tokens, and
the given annotation layers are attached to it when it is opened.  The mode is recorded as
the tokeniser (``"pretokenized"``) in the key and parameters of the cache entry, so an
index of one mode is never used for the other.
The hash only groups chunks: every chunk is then compared, code point by code point
(vectorised, batch by batch), with the first chunk of its group, and a chunk that differs
(a hash collision, which is easy to make on purpose) is looked up by its text instead, so
the index is exact.

Long texts are read in windows of about 260,000 characters cut at white space, so the
memory a build needs beyond the index itself does not grow with the length of a document
(indexing one document of 50 million characters peaks at about 3.2 bytes per character
beyond the text, 2.5 of them the finished index); a chunk longer than a window is handled
as one Python string.  A document longer than the option ``max_document_chars`` raises
:class:`toolkit.errors.LimitError`.

Caching: an index is kept in memory per corpus fingerprint, and saved under
``$TOOLKIT_CACHE`` (default ``~/.cache/toolkit``) as an entry of the verified cache
(:mod:`toolkit.cache`) in a folder named by the fingerprint of the texts and the tokeniser
version: ``.npy`` arrays, opened memory-mapped, and the two vocabularies as JSON.  Before
an entry is used, every file is checked against the XXH3-128 digest of its whole content
recorded in the manifest, with the key and parameters; then the arrays are checked for
consistency (lengths and dtypes agree, offsets ascend from 0 to N, every id and position
is in range), so that even a forged entry cannot cause an ``IndexError``.  An entry that
fails either check gives a :class:`toolkit.errors.CacheWarning` and is rebuilt, never used.
Both checks together take about 0.2 s for the 440 MB index of the 35 million tokens of the
UN corpus.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._progress import progress_options
from .cache import Entry, EntryWriter, cache_dir, load_or_build, open_entry, write_entry
from .corpus import register_step
from .errors import CacheError, LimitError, NotFoundError, ParameterError
from .options import get_option
from .tokenize import TOKENIZER_VERSION, is_word, search_form, tokenize_spans

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    from .corpus import Corpus

__all__ = [
    "TokenIndex",
    "IndexView",
    "build_index",
    "index_view",
    "index_key",
    "index_params",
    "cache_dir",
    "INDEX_FORMAT",
    "PRETOKENIZED",
    "index_at",
]

#: Version of the index's content and layout; entries of another version are rebuilt.
INDEX_FORMAT = 2
#: The tokeniser recorded for an index of given tokens (one token per white-space chunk).
PRETOKENIZED = "pretokenized"
_ARRAYS = ("tokens", "char_start", "space", "doc_offsets", "postings", "post_offsets", "lower")
_DTYPES = {
    "tokens": ("int32",),
    "char_start": ("int32",),
    "space": ("bool",),
    "doc_offsets": ("int64",),
    "postings": ("int32", "int64"),
    "post_offsets": ("int64",),
    "lower": ("int32",),
}
_MEMORY: dict[str, TokenIndex] = {}
_MEMORY_LIMIT = 4
#: Indexes kept alive by their owner (an open shard; see :func:`index_at`), found by key.
_HELD: weakref.WeakValueDictionary[str, TokenIndex] = weakref.WeakValueDictionary()
#: Characters per window of a long text (also the length of the hash's power tables).
_WINDOW = 1 << 18
#: Characters read before a batch of windows is tokenised and written out.
_BATCH_CHARS = 2_000_000

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
_WS_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in np.flatnonzero(_WS)) + "]")

_P = np.uint64(0x9E3779B97F4A7C15 | 1)
_PINV = np.uint64(pow(int(_P), -1, 2**64))
_LEN_MIX = np.uint64(0xD6E8FEB86659FD93)


def _consistent(folder: Path, ok: Any, what: str) -> None:
    if not ok:
        raise CacheError(f"{folder}: inconsistent index ({what})")


def _all_strings(words: Any) -> bool:
    """True if ``words`` is a list of strings (``str.join`` checks that in C)."""
    if not isinstance(words, list):
        return False
    try:
        "".join(words)
    except TypeError:
        return False
    return True


def _unsigned(a: np.ndarray) -> np.ndarray:
    return a.view(f"u{a.dtype.itemsize}")


def _ascending(a: np.ndarray) -> bool:
    return bool(len(a) < 2 or (np.diff(a) >= 0).all())


@dataclass
class TokenIndex:
    """Integer-coded positional index of the documents of one corpus (see module docs).

    Made by :meth:`toolkit.Corpus.index` (``corpus.index().index``), which builds it once
    and caches it, or by :func:`toolkit.index.build_index`; not usually constructed by
    hand.  The arrays are those of the module documentation (N tokens, V types, D
    documents); the parameters are kept as attributes of the same names.

    Parameters
    ----------
    tokens : numpy.ndarray of int32
        Surface type id of each token (N), an index into ``vocab``.
    char_start : numpy.ndarray of int32
        Character offset of each token in its document (N).
    space : numpy.ndarray of bool
        Whether white space precedes each token in the text (N).
    doc_offsets : numpy.ndarray of int64
        Document boundaries (D + 1): document ``d`` holds positions ``doc_offsets[d]`` to
        ``doc_offsets[d + 1] - 1``.
    postings : numpy.ndarray of int
        The positions of every type, type after type, each type's ascending (N).
    post_offsets : numpy.ndarray of int64
        Where each type's positions start in ``postings`` (V + 1): the positions of type
        ``t`` are ``postings[post_offsets[t]:post_offsets[t + 1]]``.
    vocab : numpy.ndarray of str
        The surface types (V), as written.
    lower : numpy.ndarray of int32
        Each surface type's search form (V), an index into ``lower_vocab``.
    lower_vocab : numpy.ndarray of str
        The search forms: lower case, then NFC (see :func:`toolkit.tokenize.search_form`).
    key : str
        The key of the index's cache entry, made from the corpus's fingerprint and the
        tokeniser (default ``""``, as :func:`toolkit.index.build_index` leaves it).
    params : dict
        What the key is made of (``fingerprint``, ``index_format``, ``tokenizer``),
        recorded with it in the cache entry (default empty).

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace, and peace."]}))
    >>> index = c.index().index
    >>> index.n_tokens, index.vocab[index.tokens[:4]].tolist()
    (5, ['Peace', ',', 'and', 'peace'])
    """

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
    params: dict[str, Any] = field(default_factory=dict)
    _lookup: dict[str, int] | None = field(default=None, repr=False)
    _lower_lookup: dict[str, int] | None = field(default=None, repr=False)
    _is_word: np.ndarray | None = field(default=None, repr=False)
    _lower_groups: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _doc_words: np.ndarray | None = field(default=None, repr=False)
    _layers: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    @property
    def n_tokens(self) -> int:
        """Number of tokens (positions) in the index, punctuation included."""
        return int(len(self.tokens))

    def doc_word_counts(self) -> np.ndarray:
        """Word tokens (punctuation excluded) of each document, computed once and kept.

        Examples
        --------
        >>> from toolkit.index import build_index
        >>> build_index(["War, war.", "Peace"]).doc_word_counts().tolist()
        [2, 1]
        """
        if self._doc_words is None:
            is_word = self.is_word[self.tokens]
            cum = np.zeros(len(is_word) + 1, dtype=np.int64)
            np.cumsum(is_word, out=cum[1:])
            self._doc_words = cum[self.doc_offsets[1:]] - cum[self.doc_offsets[:-1]]
        return self._doc_words

    # ------------------------------------------------------------------ annotation layers
    @property
    def layers(self) -> tuple[str, ...]:
        """Names of the annotation layers added to this index (see ``Corpus.annotate``)."""
        return tuple(self._layers)

    def layer(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Per-position ids (int32, one per token) and vocabulary of an annotation layer.

        Like the Corpus Workbench's positional attributes, a layer is a stream of integer
        ids parallel to ``tokens`` with a lexicon of its own.

        Parameters
        ----------
        name : str
            The layer: ``"word"`` (the tokens themselves) or a layer the index has
            (:attr:`layers`; ``corpus.annotate()`` adds ``"pos"``, ``"lemma"``, ``"stem"``).

        Returns
        -------
        ids : numpy.ndarray
            One id per token position.
        vocab : numpy.ndarray of str
            The layer's values: ``vocab[ids]`` is the layer's value at each position.

        Examples
        --------
        >>> import numpy as np
        >>> from toolkit.index import build_index
        >>> idx = build_index(["Nations met"])
        >>> idx.add_layer("pos", np.array([0, 1]), np.array(["NOUN", "VERB"], dtype=object))
        >>> ids, vocab = idx.layer("pos")
        >>> vocab[ids].tolist(), idx.layers
        (['NOUN', 'VERB'], ('pos',))
        """
        if name == "word":
            return np.asarray(self.tokens), self.vocab
        try:
            return self._layers[name]
        except KeyError:
            raise NotFoundError(
                "name",
                name,
                f"no layer {name!r}; this index has {['word', *self._layers]} "
                "(add layers with corpus.annotate())",
            ) from None

    def add_layer(self, name: str, ids: np.ndarray, vocab: np.ndarray) -> None:
        """Attach an annotation layer after checking it fits the token stream.

        Parameters
        ----------
        name : str
            The layer's name: a Python identifier other than ``"word"``; a layer of the
            same name is replaced.
        ids : numpy.ndarray of int
            One id per token of the index (``n_tokens`` of them), each an index into
            ``vocab``.
        vocab : numpy.ndarray of str
            The layer's values.

        Examples
        --------
        >>> import numpy as np
        >>> from toolkit.index import build_index
        >>> idx = build_index(["Nations met"])
        >>> idx.add_layer("upper", np.array([0, 1]), np.array(["NATIONS", "MET"]))
        >>> ids, vocab = idx.layer("upper")
        >>> vocab[ids].tolist()
        ['NATIONS', 'MET']
        """
        ids = np.asarray(ids)
        vocab = np.asarray(vocab, dtype=object)
        if name == "word" or not isinstance(name, str) or not name.isidentifier():
            raise ParameterError(
                "name", name, f"invalid layer name {name!r}: a Python identifier other than 'word'"
            )
        if ids.shape != (self.n_tokens,) or ids.dtype.kind not in "iu":
            raise ParameterError(
                "ids",
                None,
                f"layer {name!r}: needs one integer id per token ({self.n_tokens}), not "
                f"{ids.dtype} of shape {ids.shape}",
            )
        if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(vocab)):
            raise ParameterError(
                "ids", None, f"layer {name!r}: ids outside its vocabulary of {len(vocab)}"
            )
        self._layers[name] = (ids, vocab)

    @property
    def n_docs(self) -> int:
        """Number of documents in the index."""
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
        """All surface type ids whose lower-cased form is one of ``lower_ids``.

        Parameters
        ----------
        lower_ids : numpy.ndarray of int
            Ids of lower-cased forms (indices into ``lower_vocab``).

        Returns
        -------
        numpy.ndarray of int
            Ids of the types (indices into ``vocab``) that lower-case to them.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> idx = tk.from_dataframe(pd.DataFrame({"text": ["Peace, peace, PEACE."]})).index().index
        >>> peace = idx.lower_vocab.tolist().index("peace")
        >>> sorted(idx.vocab[idx.surface_types_of_lower([peace])].tolist())
        ['PEACE', 'Peace', 'peace']
        """
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
        """Sorted corpus positions of all tokens of the given surface types.

        Parameters
        ----------
        type_ids : numpy.ndarray of int
            Ids of surface types (indices into ``vocab``).

        Returns
        -------
        numpy.ndarray of int
            The positions of their tokens in the whole index, ascending.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> idx = tk.from_dataframe(pd.DataFrame({"text": ["Peace, war, peace."]})).index().index
        >>> vocab = idx.vocab.tolist()
        >>> idx.positions([vocab.index("Peace"), vocab.index("peace")]).tolist()
        [0, 4]
        """
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
        """Document number of each position.

        Parameters
        ----------
        positions : numpy.ndarray of int
            Token positions in the whole index.

        Returns
        -------
        numpy.ndarray of int
            For each position, the number (0-based, in corpus order) of its document.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War, war.", "Peace"]}))
        >>> c.index().index.doc_of([0, 3, 4]).tolist()
        [0, 0, 1]
        """
        return np.searchsorted(self.doc_offsets, positions, side="right") - 1

    # ------------------------------------------------------------------ persistence
    def write(self, writer: EntryWriter) -> None:
        """Write the arrays (``.npy``) and vocabularies (JSON) into a cache entry
        (the ``fill`` of :func:`toolkit.cache.write_entry`; see :meth:`save`).

        Parameters
        ----------
        writer : toolkit.cache.EntryWriter
            The writer of the entry being made.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from toolkit.cache import write_entry
        >>> from toolkit.index import build_index
        >>> idx = build_index(["A small text."])
        >>> folder = Path(tempfile.mkdtemp()) / "k"
        >>> _ = write_entry(folder, kind="index", key="k", params={}, fill=idx.write)
        >>> (folder / "tokens.npy").exists()
        True
        """
        for name in _ARRAYS:
            writer.array(name, getattr(self, name))
        writer.json("vocab", self.vocab.tolist())
        writer.json("lower_vocab", self.lower_vocab.tolist())

    def save(self, folder: str | Path) -> None:
        """Save the index as a verified cache entry (:mod:`toolkit.cache`), atomically.

        The entry records ``self.key`` and ``self.params``; :meth:`load` requires both.

        Parameters
        ----------
        folder : str or pathlib.Path
            The entry's folder (replaced if it exists).

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from toolkit.index import TokenIndex, build_index
        >>> idx = build_index(["A small text."])
        >>> idx.key, idx.params = "k", {"texts": "demo"}
        >>> folder = Path(tempfile.mkdtemp()) / "k"
        >>> idx.save(folder)
        >>> TokenIndex.load(folder, "k", {"texts": "demo"}).vocab.tolist()
        ['A', 'small', 'text', '.']
        """
        write_entry(folder, kind="index", key=self.key, params=self.params, fill=self.write)

    @classmethod
    def load(
        cls, folder: str | Path, key: str, params: dict[str, Any], n_docs: int | None = None
    ) -> TokenIndex:
        """Open a saved index with memory-mapped arrays after verifying all of it.

        Parameters
        ----------
        folder : str or pathlib.Path
        key : str
        params : dict
            The key and parameters the entry must have been saved with.
        n_docs : int, optional
            The number of documents the index must have.

        Returns
        -------
        TokenIndex

        Raises
        ------
        toolkit.errors.CacheError
            If any file differs from the manifest, the manifest from the key and
            parameters, or the arrays from one another (see the module documentation).

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from toolkit.index import TokenIndex, build_index
        >>> idx = build_index(["Two documents.", "Two words"])
        >>> idx.key, idx.params = "k", {"texts": "two"}
        >>> folder = Path(tempfile.mkdtemp()) / "k"
        >>> idx.save(folder)
        >>> TokenIndex.load(folder, "k", {"texts": "two"}, n_docs=2).doc_offsets.tolist()
        [0, 3, 5]
        >>> TokenIndex.load(folder, "k", {"texts": "two"}, n_docs=3)
        Traceback (most recent call last):
        ...
        toolkit.errors.CacheError: ...: inconsistent index (number of documents)
        """
        entry = open_entry(folder, kind="index", key=key, params=params, mmap=True)
        return cls.from_entry(entry, n_docs)

    @classmethod
    def from_entry(cls, entry: Entry, n_docs: int | None = None) -> TokenIndex:
        """The index held by a verified cache entry, after checking that it is consistent.

        The checks are cheap (one pass over the token and position arrays) and make sure
        no later lookup can fail: lengths and dtypes agree, the offsets ascend from 0 to
        the number of tokens, and every type id, position and character offset is in range.

        Parameters
        ----------
        entry : toolkit.cache.Entry
            A cache entry of kind ``"index"``, opened (and its files verified) by
            :func:`toolkit.cache.open_entry`.
        n_docs : int, optional
            The number of documents the index must have.

        Returns
        -------
        TokenIndex

        Raises
        ------
        toolkit.errors.CacheError
            If the arrays are inconsistent.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from toolkit.cache import open_entry
        >>> from toolkit.index import TokenIndex, build_index
        >>> folder = Path(tempfile.mkdtemp()) / "k"
        >>> idx = build_index(["Two words"])
        >>> idx.key, idx.params = "k", {}
        >>> idx.save(folder)
        >>> entry = open_entry(folder, kind="index", key="k", params={})
        >>> TokenIndex.from_entry(entry, n_docs=1).vocab.tolist()
        ['Two', 'words']
        """
        folder = entry.folder
        arrays = {name: entry.array(name, dtypes=_DTYPES[name], ndim=1) for name in _ARRAYS}
        vocab_list, lower_list = entry.json("vocab"), entry.json("lower_vocab")
        for name, words in (("vocab", vocab_list), ("lower_vocab", lower_list)):
            _consistent(folder, _all_strings(words), f"{name} is not a list of strings")
        tokens, postings = arrays["tokens"], arrays["postings"]
        doc_offsets, post_offsets = arrays["doc_offsets"], arrays["post_offsets"]
        lower, char_start = arrays["lower"], arrays["char_start"]
        n, v = len(tokens), len(vocab_list)
        _consistent(
            folder,
            len(char_start) == len(arrays["space"]) == len(postings) == n,
            "array lengths differ",
        )
        _consistent(folder, len(post_offsets) == v + 1 and len(lower) == v, "vocabulary size")
        for name, offsets in (("doc_offsets", doc_offsets), ("post_offsets", post_offsets)):
            _consistent(
                folder,
                len(offsets) >= 1 and offsets[0] == 0 and offsets[-1] == n and _ascending(offsets),
                f"{name} do not ascend from 0 to the number of tokens",
            )
        if n_docs is not None:
            _consistent(folder, len(doc_offsets) == n_docs + 1, "number of documents")
        # one pass per array: as unsigned numbers, negative ids are too large as well
        if n:
            _consistent(folder, _unsigned(tokens).max() < v, "type id out of range")
            _consistent(folder, _unsigned(postings).max() < n, "position out of range")
            _consistent(folder, char_start.min() >= 0, "negative character offset")
        if v:
            _consistent(folder, _unsigned(lower).max() < len(lower_list), "lower id out of range")
        return cls(
            vocab=np.array(vocab_list, dtype=object),
            lower_vocab=np.array(lower_list, dtype=object),
            key=entry.key,
            params=entry.params,
            **arrays,
        )


# --------------------------------------------------------------------------- building
def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _exclusive_cumsum(a: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a), dtype=np.int64)
    if len(a) > 1:
        np.cumsum(a[:-1], out=out[1:])
    return out


class _Hasher:
    """Powers of the hash's base and of its inverse for windows of up to ``size`` characters
    (4 MB for the default window; freed with the build)."""

    def __init__(self, size: int) -> None:
        with np.errstate(over="ignore"):
            self.pw = np.concatenate(([np.uint64(1)], np.cumprod(np.full(size, _P, np.uint64))))
            self.ipw = np.concatenate(([np.uint64(1)], np.cumprod(np.full(size, _PINV, np.uint64))))


def _chunks_of(
    a: np.ndarray, ws: np.ndarray, hasher: _Hasher
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Starts, ends and 64-bit hashes of the white-space-delimited chunks of the code points
    ``a`` (``ws`` marks white space), and the chunks' code points, concatenated."""
    n = len(a)
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint32)
    vis = ~ws
    prev_ws = np.empty(n, dtype=bool)
    prev_ws[0] = True
    prev_ws[1:] = ws[:-1]
    next_ws = np.empty(n, dtype=bool)
    next_ws[-1] = True
    next_ws[:-1] = ws[1:]
    starts = np.flatnonzero(vis & prev_ws)
    ends = np.flatnonzero(vis & next_ws) + 1
    if len(starts) == 0:
        return starts, ends, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint32)
    with np.errstate(over="ignore"):
        terms = a.astype(np.uint64)
        terms[ws] = 0  # white space after a chunk adds nothing to its sum
        terms *= hasher.pw[:n]
        hashes = np.add.reduceat(terms, starts) * hasher.ipw[starts]
        hashes ^= (ends - starts).astype(np.uint64) * _LEN_MIX
    return starts, ends, hashes, a[vis]


class _Grow:
    """A numpy array grown by appending, in amortised constant time per element."""

    def __init__(self, dtype: type, first: tuple[int, ...] = ()) -> None:
        self.data: np.ndarray = np.zeros(1024, dtype=dtype)
        self.n = 0
        self.extend(np.asarray(first, dtype=dtype))

    def extend(self, values: np.ndarray) -> None:
        need = self.n + len(values)
        if need > len(self.data):
            grown = np.zeros(max(need, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n : need] = values
        self.n = need

    @property
    def a(self) -> np.ndarray:
        return self.data[: self.n]


class _PieceTable:
    """Fine tokens of each distinct white-space chunk, grown as new chunks are met.

    Chunk ``g`` has ``n_pieces[g]`` tokens: type ids ``ids[start[g]:start[g + 1]]`` at
    character offsets ``offsets[…]`` in the chunk.
    """

    def __init__(self, pretokenized: bool = False) -> None:
        self._reset(pretokenized)

    def _reset(self, pretokenized: bool) -> None:
        self.pretokenized = pretokenized
        self.lookup: dict[str, int] = {}
        self._n_pieces = _Grow(np.int64)
        self._start = _Grow(np.int64, (0,))
        self._ids = _Grow(np.int32)
        self._offsets = _Grow(np.int32)

    n_pieces = property(lambda self: self._n_pieces.a)
    start = property(lambda self: self._start.a)
    ids = property(lambda self: self._ids.a)
    offsets = property(lambda self: self._offsets.a)

    def clear(self) -> None:
        """Free the tables once the stream is expanded."""
        self._reset(self.pretokenized)

    def _id(self, token: str) -> int:
        i = self.lookup.get(token)
        if i is None:
            i = self.lookup[token] = len(self.lookup)
        return i

    def add(self, chunks: list[str]) -> None:
        counts, ids, offsets = [], [], []
        for chunk in chunks:
            if self.pretokenized or chunk.isalnum():  # one plain word (or a given token)
                counts.append(1)
                ids.append(self._id(chunk))
                offsets.append(0)
                continue
            toks, starts, _ = tokenize_spans(chunk)
            counts.append(len(toks))
            ids.extend(self._id(t) for t in toks)
            offsets.extend(starts.tolist())
        c = np.asarray(counts, dtype=np.int64)
        self._n_pieces.extend(c)
        self._start.extend(self._start.data[self._start.n - 1] + np.cumsum(c))
        self._ids.extend(np.asarray(ids, dtype=np.int32))
        self._offsets.extend(np.asarray(offsets, dtype=np.int32))


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
    out: np.ndarray = np.empty(sum(len(p) for p in parts), dtype=dtype)
    pos = 0
    parts.reverse()
    while parts:
        p = parts.pop()
        out[pos : pos + len(p)] = p
        pos += len(p)
        if len(parts) % 16 == 0:
            _release_memory()
    return out


def _postings(tokens: np.ndarray, post_offsets: np.ndarray) -> np.ndarray:
    """The reverse index: positions of each type, ascending, type after type.

    A counting sort done block by block: each block's tokens are sorted together with
    their positions as one 64-bit key (``type << bits | position``, numpy's fast sort), then
    scattered to the next free places of their types.
    """
    n_types = len(post_offsets) - 1
    postings = np.empty(len(tokens), dtype=np.int32 if len(tokens) < 2**31 else np.int64)
    cursor = post_offsets[:-1].copy()
    block = int(np.clip(4 * n_types, 1 << 16, 1 << 20))
    bits = (block - 1).bit_length()
    for a in range(0, len(tokens), block):
        bt = tokens[a : a + block]
        key = bt.astype(np.int64)
        key <<= bits
        key |= np.arange(len(bt), dtype=np.int64)
        key.sort()
        counts = np.bincount(bt, minlength=n_types)
        dest = (cursor - (np.cumsum(counts) - counts))[key >> bits]
        dest += np.arange(len(bt), dtype=np.int64)
        key &= (1 << bits) - 1
        key += a
        postings[dest] = key
        cursor += counts
    return postings


class _Builder:
    """State of one index build: distinct chunks and the token stream written so far.

    Chunks are identified exactly.  The hash (``by_hash``) only proposes an id: every
    chunk is compared with the code points of the first chunk that had its hash
    (``rep_codes``), and chunks that differ — collisions — are identified by their text
    (``by_text``), as are chunks longer than a window.
    """

    def __init__(self, pretokenized: bool = False) -> None:
        self.window = _WINDOW
        self.hasher = _Hasher(self.window)
        self.table = _PieceTable(pretokenized)
        self.by_hash: dict[int, int] = {}
        self.by_text: dict[str, int] = {}
        self.n_ids = 0
        # code points of each hashed chunk's representative, with room for one window
        # beyond the end, so comparing a chunk of the wrong length never reads past it
        self.rep_codes = np.zeros(4 * self.window + 1, dtype=np.uint32)
        self.rep_used = 0
        self.rep_off = _Grow(np.int64)
        self.rep_len = _Grow(np.int64)
        # queued windows: document, offset, text, chunk starts, ends, hashes, code points
        # of the chunks, length
        self.batch: list[tuple] = []
        self.batch_chars = 0
        self.long_text = False
        self.tok_parts: list[np.ndarray] = []
        self.char_parts: list[np.ndarray] = []
        self.space_parts: list[np.ndarray] = []
        self.doc_parts: list[np.ndarray] = []
        self.count_parts: list[np.ndarray] = []

    # ---------------------------------------------------------------- reading
    def add_text(self, doc: int, text: str) -> None:
        """Cut a document into windows at white space and queue their chunks."""
        n = len(text)
        window = self.window
        self.long_text |= n > window
        pos = 0
        while pos < n:
            piece = text if pos == 0 and n <= window else text[pos : pos + window]
            a = _code_points(piece)
            ws = _WS[a]
            m = len(a)
            if pos + m < n:  # not the last window: end it after its last white space
                r = int(np.argmax(ws[::-1]))
                if not ws[m - 1 - r]:  # no white space: a chunk longer than a window
                    found = _WS_RE.search(text, pos + m)
                    end = found.start() if found else n
                    self.flush()
                    self._long_chunk(doc, pos, text[pos:end])
                    pos = end
                    continue
                m -= r
                a, ws = a[:m], ws[:m]
            starts, ends, hashes, codes = _chunks_of(a, ws, self.hasher)
            self.batch.append((doc, pos, piece, starts, ends, hashes, codes, m))
            self.batch_chars += m
            pos += m
            if self.batch_chars > _BATCH_CHARS or n > window:  # a long text: window by window
                self.flush()

    def _long_chunk(self, doc: int, pos: int, chunk: str) -> None:
        g = self.by_text.get(chunk)
        if g is None:
            g = self._add_by_text(chunk)
        one = np.ones(1, dtype=np.int64)
        self._emit(np.array([g]), np.array([pos]), np.array([doc]), one)

    # ---------------------------------------------------------------- chunk ids
    def _add_hashed(self, strings: list[str], codes: np.ndarray, off: np.ndarray, lens: np.ndarray):
        """New ids for chunks found by hash; their code points become the representatives."""
        total = int(lens.sum())
        need = self.rep_used + total + self.window + 1
        if need > len(self.rep_codes):
            grown = np.zeros(max(need, 2 * len(self.rep_codes)), dtype=np.uint32)
            grown[: self.rep_used] = self.rep_codes[: self.rep_used]
            self.rep_codes = grown
        sel = np.repeat(off - _exclusive_cumsum(lens), lens)
        sel += np.arange(total, dtype=np.int64)
        self.rep_codes[self.rep_used : self.rep_used + total] = codes[sel]
        self.rep_off.extend(self.rep_used + _exclusive_cumsum(lens))
        self.rep_len.extend(lens)
        self.rep_used += total
        self.table.add(strings)
        self.n_ids += len(strings)

    def _add_by_text(self, chunk: str) -> int:
        """A new id for a chunk identified by its text (never by its hash)."""
        g = self.by_text[chunk] = self.n_ids
        self.rep_off.extend(np.zeros(1, dtype=np.int64))
        self.rep_len.extend(np.full(1, -1, dtype=np.int64))  # matches no chunk's length
        self.table.add([chunk])
        self.n_ids += 1
        return g

    # ---------------------------------------------------------------- writing
    def flush(self) -> None:
        """Identify the queued chunks exactly and write their tokens out.

        The hashes of the whole batch are grouped at once; the rest runs over groups of
        windows of about one window's length, so temporary arrays stay small.
        """
        batch = self.batch
        if not batch:
            return
        per_entry = np.array([len(b[3]) for b in batch], dtype=np.int64)
        entry_end = np.cumsum(per_entry)
        hashes = np.concatenate([b[5] for b in batch])
        groups, uniq = pd.factorize(hashes)
        first = np.empty(len(uniq), dtype=np.int64)
        first[groups[::-1]] = np.arange(len(hashes) - 1, -1, -1)  # first chunk of each hash
        del hashes
        uniq_list = uniq.tolist()
        gid_of = np.fromiter((self.by_hash.get(h, -1) for h in uniq_list), np.int64, len(uniq))
        new_j = np.flatnonzero(gid_of < 0)  # hashes met for the first time, in order
        new_f = first[new_j]  # their first chunks, ascending
        del first
        e0 = k = 0
        while e0 < len(batch):
            e1, chars = e0 + 1, batch[e0][7]
            while e1 < len(batch) and chars + batch[e1][7] <= self.window:
                chars += batch[e1][7]
                e1 += 1
            c0 = int(entry_end[e0 - 1]) if e0 else 0
            c1 = int(entry_end[e1 - 1])
            k1 = int(np.searchsorted(new_f, c1))
            new = (new_j[k:k1], new_f[k:k1] - c0, uniq_list)
            self._group(batch[e0:e1], per_entry[e0:e1], c0, groups[c0:c1], gid_of, new)
            e0, k = e1, k1
        batch.clear()
        self.batch_chars = 0
        if self.long_text:  # hand freed memory back now, or a long text would keep it all
            _release_memory()
            self.long_text = False

    def _group(self, part, per_entry, c0, groups, gid_of, new) -> None:
        """Give ids to a group of windows' chunks (first new ones, then all, verified) and
        write out their tokens."""
        if len(groups) == 0:
            return
        if len(part) == 1:
            starts, ends, codes = part[0][3], part[0][4], part[0][6]
        else:
            starts = np.concatenate([b[3] for b in part])
            ends = np.concatenate([b[4] for b in part])
            codes = np.concatenate([b[6] for b in part])
        lens = ends - starts
        vis_off = _exclusive_cumsum(lens)  # where each chunk's code points begin in codes
        part_end = np.cumsum(per_entry)
        new_j, f, uniq_list = new
        if len(new_j):  # hashes first met in this group: new ids, in order of appearance
            ids = np.arange(self.n_ids, self.n_ids + len(new_j))
            gid_of[new_j] = ids
            for j, g in zip(new_j.tolist(), ids.tolist(), strict=True):
                self.by_hash[uniq_list[j]] = g
            entries = np.searchsorted(part_end, f, side="right").tolist()
            spans = zip(entries, starts[f].tolist(), ends[f].tolist(), strict=True)
            strings = [part[e][2][s:t] for e, s, t in spans]
            self._add_hashed(strings, codes, vis_off[f], lens[f])
        gids = gid_of[groups]
        # every chunk against its representative, code point by code point
        # where each code point's counterpart lies in rep_codes: one step on within a chunk,
        # a jump at each chunk's start (a cumulative sum, cheaper than repeat + arange)
        itype = np.int32 if len(self.rep_codes) < 2**31 and len(codes) < 2**31 else np.int64
        first = self.rep_off.a[gids]
        step = np.ones(len(codes), dtype=itype)
        step[vis_off[1:]] = first[1:] - first[:-1] - lens[:-1] + 1
        step[0] = first[0]
        idx = np.cumsum(step, dtype=itype, out=step)
        same = self.rep_codes[idx] == codes
        del idx, step
        wrong_len = self.rep_len.a[gids] != lens
        if not same.all() or wrong_len.any():  # hash collisions: identify by text
            differ = np.searchsorted(vis_off, np.flatnonzero(~same), side="right") - 1
            bad = np.union1d(np.flatnonzero(wrong_len), differ)
            entries = np.searchsorted(part_end, bad, side="right").tolist()
            for i, e in zip(bad.tolist(), entries, strict=True):
                chunk = part[e][2][starts[i] : ends[i]]
                found = self.by_text.get(chunk)
                gids[i] = self._add_by_text(chunk) if found is None else found
        offsets = np.array([b[1] for b in part], dtype=np.int64)
        docs = np.array([b[0] for b in part], dtype=np.int64)
        self._emit(gids, starts + np.repeat(offsets, per_entry), docs, per_entry)

    def _emit(self, gids, starts, docs, per_entry) -> None:
        """Expand chunks (ids, start offsets in their documents) into tokens."""
        t = self.table
        pc = t.n_pieces[gids]
        local = np.zeros(len(pc) + 1, dtype=np.int64)
        np.cumsum(pc, out=local[1:])
        total = int(local[-1])
        src = np.repeat(t.start[gids] - local[:-1], pc)
        src += np.arange(total, dtype=np.int64)
        self.tok_parts.append(t.ids[src])
        self.char_parts.append((np.repeat(starts, pc) + t.offsets[src]).astype(np.int32))
        space = np.zeros(total, dtype=bool)
        has = pc > 0
        space[local[:-1][has]] = starts[has] > 0
        self.space_parts.append(space)
        bounds = np.zeros(len(per_entry) + 1, dtype=np.int64)
        np.cumsum(per_entry, out=bounds[1:])
        self.doc_parts.append(docs)
        self.count_parts.append(local[bounds[1:]] - local[bounds[:-1]])

    def finish(self, n_docs: int, key: str) -> TokenIndex:
        self.flush()
        counts_per_doc = np.zeros(n_docs, dtype=np.int64)
        if self.doc_parts:
            np.add.at(
                counts_per_doc, np.concatenate(self.doc_parts), np.concatenate(self.count_parts)
            )
        self.doc_parts, self.count_parts = [], []
        doc_offsets = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(counts_per_doc, out=doc_offsets[1:])
        tokens = _gather(self.tok_parts, np.int32)
        vocab = np.array(list(self.table.lookup), dtype=object)
        self.by_hash, self.by_text = {}, {}
        self.table.clear()
        self.rep_codes = np.zeros(0, dtype=np.uint32)
        self.rep_off = self.rep_len = _Grow(np.int64)
        self.hasher = None  # type: ignore[assignment]
        char_start = _gather(self.char_parts, np.int32)
        space = _gather(self.space_parts, bool)
        counts = np.bincount(tokens, minlength=len(vocab))
        post_offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=post_offsets[1:])
        postings = _postings(tokens, post_offsets)
        lower_lookup: dict[str, int] = {}
        lower = np.fromiter(
            (lower_lookup.setdefault(search_form(t), len(lower_lookup)) for t in vocab.tolist()),
            dtype=np.int32,
            count=len(vocab),
        )
        _release_memory()
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


def build_index(
    texts: Iterable[str],
    n_docs: int | None = None,
    key: str = "",
    progress: bool | None = None,
    pretokenized: bool = False,
) -> TokenIndex:
    """Tokenise texts once and build their :class:`TokenIndex`.

    The texts are streamed in batches of a few megabytes, and long texts are read in
    windows of about 260,000 characters cut at white space: each batch is cut into
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
    pretokenized : bool
        Take every white-space-delimited chunk as exactly one token, for texts made of
        given tokens (default False: the toolkit's tokeniser splits the chunks).

    Returns
    -------
    TokenIndex

    Raises
    ------
    toolkit.errors.LimitError
        A document is longer than the option ``max_document_chars`` (or than 2³¹ − 1
        characters, the most 32-bit character offsets can address).

    Examples
    --------
    >>> idx = build_index(["Russia’s view.", "A view"])
    >>> idx.vocab[idx.tokens].tolist(), idx.doc_offsets.tolist()
    (['Russia', '’s', 'view', '.', 'A', 'view'], [0, 4, 6])
    >>> idx.lower_vocab[idx.lower].tolist()
    ['russia', '’s', 'view', '.', 'a']
    >>> pre = build_index(["don't stop", "U.S. view."], pretokenized=True)
    >>> pre.vocab[pre.tokens].tolist()
    ["don't", 'stop', 'U.S.', 'view.']
    """
    builder = _Builder(pretokenized)
    limit = get_option("max_document_chars")
    n_seen = 0
    bar = tqdm(texts, total=n_docs, desc="indexing", unit=" docs", **progress_options(progress))
    try:
        for d, text in enumerate(bar):
            if len(text) > limit:
                raise LimitError(
                    "max_document_chars",
                    f"document {d} has {len(text):,} characters, more than {limit:,}",
                )
            if len(text) >= 2**31:
                raise LimitError(
                    "max_document_chars",
                    f"document {d} has {len(text):,} characters; the index addresses at "
                    "most 2³¹ − 1 characters per document",
                )
            builder.add_text(d, text)
            n_seen = d + 1
    finally:
        bar.close()
    return builder.finish(n_seen, key)


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


def _tokenizer(corpus: Corpus) -> str:
    """The tokeniser of the index of ``corpus``: the toolkit's, or ``"pretokenized"``."""
    return PRETOKENIZED if corpus.given_tokens is not None else TOKENIZER_VERSION


def index_key(corpus: Corpus) -> str:
    """Cache key of the index of ``corpus``: its texts' fingerprint and the tokeniser version
    (``"pretokenized"`` for a corpus of given tokens).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["One text."]}))
    >>> index_key(c) == index_key(c.query("index == '0'")), len(index_key(c))
    (True, 40)
    """
    root = corpus.root
    return hashlib.sha1(f"{root.fingerprint}:{_tokenizer(corpus)}".encode()).hexdigest()


def index_params(corpus: Corpus) -> dict[str, Any]:
    """What the index of ``corpus`` is built from, as recorded in (and required of) its
    cache entry: the texts' fingerprint, the tokeniser version (``"pretokenized"`` when the
    tokens were given) and the index format.

    Examples
    --------
    >>> import toolkit as tk
    >>> sorted(index_params(tk.from_dataframe(pd.DataFrame({"text": ["One text."]}))))
    ['fingerprint', 'index_format', 'tokenizer']
    >>> index_params(tk.from_tokens([["don't"]]))["tokenizer"]
    'pretokenized'
    """
    return {
        "fingerprint": corpus.root.fingerprint,
        "tokenizer": _tokenizer(corpus),
        "index_format": INDEX_FORMAT,
    }


def _given_lengths_match(idx: TokenIndex, given: Any) -> bool:
    """Whether the index has, document by document, as many tokens as were given."""
    return bool(np.array_equal(np.diff(np.asarray(idx.doc_offsets)), np.diff(given.offsets)))


def _attach_given(idx: TokenIndex, given: Any) -> None:
    """Attach the given annotation layers of a corpus of given tokens to its index."""
    if not _given_lengths_match(idx, given):  # pragma: no cover - texts are the tokens joined
        raise ValueError("the index does not hold the given tokens; please report this")
    for name, (ids, vocab) in given.layers.items():
        if name not in idx.layers:
            idx.add_layer(name, ids, vocab)


def index_view(corpus: Corpus, progress: bool | None = None) -> IndexView:
    """The token index of ``corpus``: from memory, from the disk cache, or built now.

    A cache entry that fails verification gives a :class:`toolkit.errors.CacheWarning`
    and is rebuilt (see the module documentation).

    Examples
    --------
    >>> import toolkit as tk
    >>> view = index_view(tk.from_dataframe(pd.DataFrame({"text": ["One text.", "Two"]})))
    >>> view.n_tokens, view.index.n_docs
    (4, 2)
    """
    root = corpus.root
    given = root.given_tokens
    key = index_key(corpus)
    idx = _MEMORY.get(key) or _HELD.get(key)
    if idx is None:
        params = index_params(corpus)
        n_docs = len(root)

        def build() -> TokenIndex:
            built = build_index(
                root.texts(),
                n_docs=n_docs,
                key=key,
                progress=progress,
                pretokenized=given is not None,
            )
            built.params = params
            return built

        def load(entry: Entry) -> TokenIndex:
            loaded = TokenIndex.from_entry(entry, n_docs=n_docs)
            if given is not None:
                _consistent(entry.folder, _given_lengths_match(loaded, given), "given tokens")
            return loaded

        idx = load_or_build(
            cache_dir() / "index" / key,
            kind="index",
            key=key,
            params=params,
            load=load,
            build=build,
            save=lambda writer, built: built.write(writer),
            what="token index",
            mmap=True,
        )
        if given is not None:
            _attach_given(idx, given)
        if len(_MEMORY) >= _MEMORY_LIMIT:
            _MEMORY.pop(next(iter(_MEMORY)))
        _MEMORY[key] = idx
    return IndexView(idx, corpus.rows, corpus.doc_ids)


def read_layer(entry: Entry, index: TokenIndex, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The ids and lexicon of an annotation layer's entry, checked against ``index``:
    one int32 id per token, every id in the lexicon, every lexicon entry a string
    (``CacheError`` otherwise)."""
    ids = entry.array("ids")
    vocab = entry.json("vocab")
    if not isinstance(vocab, list):
        raise CacheError(f"layer {name!r}: the lexicon is not a list")
    if ids.shape != (index.n_tokens,) or ids.dtype != np.int32:
        raise CacheError(f"layer {name!r}: wrong shape or type")
    if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(vocab)):
        raise CacheError(f"layer {name!r}: ids outside the lexicon")
    if not all(isinstance(v, str) for v in vocab):
        raise CacheError(f"layer {name!r}: a lexicon entry is not a string")
    return ids, np.array(vocab, dtype=object)


def layer_entry(
    folder: Path, index: TokenIndex, name: str, info: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """The layer kept in ``folder`` (by :func:`toolkit.annotate`, with the ``key`` and
    ``params`` in ``info``), verified and checked against ``index``."""
    entry = open_entry(folder, kind="layer", key=info["key"], params=info["params"], mmap=True)
    return read_layer(entry, index, name)


def index_at(corpus: Corpus, folder: str | Path, progress: bool | None = False) -> TokenIndex:
    """The index of ``corpus`` kept in ``folder`` (a shard's own index, see
    :mod:`toolkit.shards`) rather than in the cache: verified and opened, or built from the
    texts and saved there if the entry is missing or fails verification (with a
    :class:`toolkit.errors.CacheWarning`).  A corpus of given tokens (CoNLL-U, VRT) is
    indexed in the ``pretokenized`` mode, and its given layers are attached.

    While the returned object is alive, ``corpus.index()`` finds it without a lookup in
    the cache, so the owner (an open shard) decides how long it stays open.

    Examples
    --------
    >>> import tempfile
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Kept with its shard."]}))
    >>> idx = index_at(c, Path(tempfile.mkdtemp()) / "index")
    >>> c.index().index is idx, idx.n_tokens
    (True, 5)
    """
    given = corpus.root.given_tokens
    key = index_key(corpus)
    params = index_params(corpus)
    n_docs = len(corpus.root)

    def build() -> TokenIndex:
        built = build_index(
            corpus.root.texts(),
            n_docs=n_docs,
            key=key,
            progress=progress,
            pretokenized=given is not None,
        )
        built.params = params
        return built

    def load(entry: Entry) -> TokenIndex:
        loaded = TokenIndex.from_entry(entry, n_docs=n_docs)
        if given is not None:
            _consistent(entry.folder, _given_lengths_match(loaded, given), "given tokens")
        return loaded

    idx = load_or_build(
        Path(folder),
        kind="index",
        key=key,
        params=params,
        load=load,
        build=build,
        save=lambda writer, built: built.write(writer),
        what="token index",
        mmap=True,
    )
    if given is not None:
        _attach_given(idx, given)
    _HELD[key] = idx
    return idx


register_step("index", index_view)
