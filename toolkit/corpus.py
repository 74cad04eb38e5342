"""The :class:`Corpus`: documents (an id and the exact decoded text) plus one metadata table.

Texts are held by a *text source* so that a large corpus need not sit in Python strings:

* :class:`FileSource` re-reads files from a folder on demand (and checks that they did not
  change since loading, by their SHA-1 digest);
* :class:`BufferSource` keeps all texts of an archive or table as one UTF-8 ``bytes``
  buffer with offsets (about the size of the corpus on disk, one object, not thousands of
  strings), decoding a document only when it is asked for;
* :class:`SegmentSource` describes paragraphs or sentences as character spans of a parent
  source, so segmenting copies no text.

Every document has a content digest computed while loading; the files a loader did not read
are listed, with the reason, in :attr:`Corpus.skipped`; a corpus's ``fingerprint``
combines the ids and digests, and keys the cache of its token index.  A corpus made by
:meth:`Corpus.query` or :meth:`Corpus.join` shares the texts, and the token index, of the
corpus it came from.

A corpus loaded from tokens another tool made (:func:`toolkit.from_tokens`,
:func:`toolkit.load_conllu`, :func:`toolkit.load_vrt`) also holds them as
:class:`Pretokenized`: its index takes every white-space-delimited chunk of a text as one
token (never re-tokenised), the given annotation layers (lemma, part of speech, …) are
attached to that index, and structural regions (sentences, paragraphs, …) are kept as tables
(:meth:`Corpus.structure`).
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._validation import StrOptions, validate_params
from .errors import ColumnError, NotFoundError, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from .index import IndexView
    from .token_streams import TokenStream

__all__ = ["Corpus", "Document", "Pretokenized", "digest", "metadata_columns"]


# --------------------------------------------------------------------------- pipeline steps
#: The functions behind ``Corpus.segment``, ``.clean``, ``.tokens``, ``.annotate`` and
#: ``.index``.  Each is defined in the module of its concern, which imports this one and
#: registers itself when it is imported (as pandas' accessors do), so that this module imports
#: nothing that comes after it in the pipeline: loaders → corpus → index → analyses.
_STEPS: dict[str, Callable[..., Any]] = {}


def register_step(name: str, function: Callable[..., Any]) -> None:
    """Make ``function(corpus, ...)`` the implementation of ``Corpus.<name>``."""
    _STEPS[name] = function


def _step(name: str) -> Callable[..., Any]:
    # importing any module of the package imports the package, which registers every step
    return _STEPS[name]


def metadata_columns(
    meta: pd.DataFrame, columns: str | Sequence[str], parameter: str = "by"
) -> list[str]:
    """The column names as a list, after checking that the metadata has them all.

    Parameters
    ----------
    meta : DataFrame
        The metadata.
    columns : str or list of str
        The column names asked for.
    parameter : str
        The name of the argument that gave them, for the error message.

    Raises
    ------
    ColumnError
        Naming the argument, the missing columns and the ones that exist (a ``KeyError``).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"year": [1990], "party": ["A"]})
    >>> metadata_columns(meta, "year")
    ['year']
    >>> metadata_columns(meta, ["party", "month"])
    Traceback (most recent call last):
    ...
    toolkit.errors.ColumnError: by=['party', 'month']: no metadata columns ['month']; valid \
values: 'year', 'party'
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in cols if c not in meta.columns]
    if missing:
        raise ColumnError(
            parameter,
            columns,
            f"{parameter}={columns!r}: no metadata columns {missing}",
            valid=[str(c) for c in meta.columns],
        )
    return cols


def digest(text: str) -> bytes:
    """SHA-1 digest of a text's UTF-8 encoding (20 bytes)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class Document:
    """One document of a corpus: its id, its text and its metadata row.

    Returned by indexing a corpus with a document id (``corpus["0"]``) and by iterating
    over it (``for doc in corpus``): made by ``Corpus.__getitem__`` and
    ``Corpus.__iter__`` of :class:`toolkit.Corpus`; not usually constructed by hand.  The
    parameters are kept as attributes of the same names.

    Parameters
    ----------
    doc_id : str
        The document's id (the index of ``corpus.meta``).
    text : str
        The document's text.
    meta : dict
        The document's row of ``corpus.meta``, as ``{column: value}``.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace and security."], "year": [1990]}))
    >>> doc = c["0"]
    >>> doc.doc_id, doc.text, doc.meta["year"]
    ('0', 'Peace and security.', 1990)
    """

    doc_id: str
    text: str
    meta: Mapping[str, Any]

    def __repr__(self) -> str:
        preview = self.text[:60].replace("\n", " ")
        return f"Document({self.doc_id!r}, {len(self.text)} chars: {preview!r}…)"


# --------------------------------------------------------------------------- text sources
class TextSource:
    """Where the texts of a corpus live.  Subclasses implement :meth:`get`."""

    def __len__(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def get(self, i: int) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def iter(self, rows: Sequence[int] | np.ndarray) -> Iterator[str]:
        for i in rows:
            yield self.get(int(i))

    def get_bytes(self, i: int) -> bytes:
        """Text ``i`` encoded as UTF-8 (sources that hold UTF-8 return it undecoded)."""
        return self.get(i).encode("utf-8", "surrogatepass")

    def iter_bytes(self, rows: Sequence[int] | np.ndarray) -> Iterator[bytes]:
        for i in rows:
            yield self.get_bytes(int(i))


class MemorySource(TextSource):
    """Texts held as a list of Python strings (small corpora, data frames)."""

    def __init__(self, texts: Sequence[str]):
        self._texts = list(texts)

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, i: int) -> str:
        return self._texts[i]


class BufferSource(TextSource):
    """All texts as one growing UTF-8 ``bytearray`` plus offsets; a document is decoded on
    demand.  It costs about the size of the corpus on disk, in one object."""

    def __init__(self, texts: Sequence[str] | None = None):
        self._buffer = bytearray()
        self._offsets = [0]
        for t in texts or ():
            self.append(t)

    def append(self, text: str) -> None:
        self._buffer += text.encode("utf-8", "surrogatepass")
        self._offsets.append(len(self._buffer))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def get(self, i: int) -> str:
        view = memoryview(self._buffer)[self._offsets[i] : self._offsets[i + 1]]
        return str(view, "utf-8", "surrogatepass")

    def get_bytes(self, i: int) -> bytes:
        return bytes(self._buffer[self._offsets[i] : self._offsets[i + 1]])


class SegmentSource(TextSource):
    """Segments described as ``(row, start, end)`` character spans of a parent source."""

    def __init__(self, parent: TextSource, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray):
        self._parent = parent
        self._rows = rows
        self._starts = starts
        self._ends = ends
        self._cache: tuple[int, str] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def parent(self) -> TextSource:
        """The source the segments are cut from."""
        return self._parent

    @property
    def rows(self) -> np.ndarray:
        """The parent row of each segment."""
        return self._rows

    @property
    def starts(self) -> np.ndarray:
        """Character offset of each segment in its parent text."""
        return self._starts

    @property
    def ends(self) -> np.ndarray:
        """Character offset where each segment ends (exclusive)."""
        return self._ends

    def _parent_text(self, row: int) -> str:
        if self._cache is None or self._cache[0] != row:
            self._cache = (row, self._parent.get(row))
        return self._cache[1]

    def get(self, i: int) -> str:
        text = self._parent_text(int(self._rows[i]))
        return text[self._starts[i] : self._ends[i]]


# --------------------------------------------------------------------------- given tokens
#: Columns every structure table has, before the region's attributes.
STRUCTURE_COLUMNS = ("start", "end", "char_start", "char_end")


@dataclass(frozen=True, eq=False)
class Pretokenized:
    """Tokens given with a corpus (not made by the toolkit's tokeniser), and their annotation.

    The texts of such a corpus are its tokens joined by white space, so that the token
    index, built in its ``pretokenized`` mode (one token per white-space-delimited chunk),
    holds exactly the given tokens.  Layers and structures are data of the corpus, like its
    texts: they enter its :attr:`Corpus.fingerprint`.

    Attributes
    ----------
    offsets : numpy.ndarray
        int64, one more than the documents: the tokens of document ``d`` (in the order of
        the corpus that owns the texts) are positions ``offsets[d]`` to ``offsets[d + 1] - 1``.
    layers : dict
        Layer name → ``(ids, vocab)``: int32 ids, one per token of the whole corpus (so the
        values of document ``d`` are ``vocab[ids[offsets[d]:offsets[d + 1]]]``), and the
        layer's distinct values.
    structures : dict
        Name → DataFrame of regions, one row each, in file order: ``doc`` (document number,
        as ``offsets``), ``start`` and ``end`` (token positions in the document, ``end``
        exclusive), ``char_start`` and ``char_end`` (the region's span in the document's
        text), then the region's attributes.
    """

    offsets: np.ndarray
    layers: Mapping[str, tuple[np.ndarray, np.ndarray]]
    structures: Mapping[str, pd.DataFrame]

    def __post_init__(self) -> None:
        offsets = np.asarray(self.offsets, dtype=np.int64)
        if offsets.ndim != 1 or len(offsets) < 1 or offsets[0] != 0 or (np.diff(offsets) < 0).any():
            raise ParameterError(
                "offsets", None, "offsets must ascend from 0, one more than the documents"
            )
        n = int(offsets[-1])
        for name, (ids, vocab) in self.layers.items():
            if not isinstance(name, str) or not name.isidentifier() or name == "word":
                raise ParameterError(
                    "layers",
                    name,
                    f"invalid layer name {name!r}: a Python identifier other than 'word'",
                )
            ids = np.asarray(ids)
            if ids.shape != (n,) or ids.dtype != np.int32:
                raise ParameterError(
                    "layers", name, f"layer {name!r}: needs one int32 id per token ({n})"
                )
            if n and (int(ids.min()) < 0 or int(ids.max()) >= len(vocab)):
                raise ParameterError(
                    "layers", name, f"layer {name!r}: ids outside its vocabulary of {len(vocab)}"
                )
        for name, frame in self.structures.items():
            missing = [c for c in ("doc", *STRUCTURE_COLUMNS) if c not in frame.columns]
            if missing:
                raise ColumnError(
                    "structures",
                    name,
                    f"structure {name!r} lacks the columns {missing}",
                    valid=[str(c) for c in frame.columns],
                )
        object.__setattr__(self, "offsets", offsets)

    @property
    def n_docs(self) -> int:
        return len(self.offsets) - 1

    @property
    def digest(self) -> str:
        """A hex digest of the token counts, layers and structures."""
        cached = self.__dict__.get("_digest")
        if cached is None:
            h = hashlib.sha1(b"pretokenized\0")
            h.update(np.ascontiguousarray(self.offsets, dtype="<i8").tobytes())
            for name in sorted(self.layers):
                ids, vocab = self.layers[name]
                h.update(b"\0layer\0" + json.dumps([name, list(vocab)]).encode())
                h.update(np.ascontiguousarray(ids, dtype="<i4").tobytes())
            for name in sorted(self.structures):
                frame = self.structures[name]
                h.update(
                    b"\0structure\0" + json.dumps([name, list(map(str, frame.columns))]).encode()
                )
                if len(frame):
                    hashed = pd.util.hash_pandas_object(frame.astype(object), index=False)
                    h.update(np.ascontiguousarray(hashed.to_numpy(), dtype="<u8").tobytes())
            cached = h.hexdigest()
            object.__setattr__(self, "_digest", cached)
        return cached


# --------------------------------------------------------------------------- the corpus
class Corpus:
    """Documents and their metadata; the object every analysis of the toolkit reads.

    A corpus is made by a loader (:func:`toolkit.load_folder`, :func:`toolkit.load_table`,
    :func:`toolkit.from_dataframe`, :func:`toolkit.load_sample`, …), not usually by hand.

    Parameters
    ----------
    source : TextSource
        Where the texts live.
    meta : pandas.DataFrame
        One row per document, index named ``doc_id`` (unique strings).
    digests : sequence of bytes
        SHA-1 digest of each document's text, in the order of ``meta``.
    rows : array of int, optional
        Position of each document in ``source``; default ``0 … len(meta) - 1``.
    name : str, optional
        A label shown in reprs and reports.
    skipped : pandas.DataFrame, optional
        The files the loader did not read, with columns ``path`` and ``reason`` (default:
        none); see :attr:`skipped`.
    pretokenized : Pretokenized, optional
        The tokens, layers and structures the texts were made from, for a corpus whose
        tokens were given (see :func:`toolkit.from_tokens`); its ``offsets`` follow
        ``source``.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["One text.", "Another."],
    ...                                     "year": [1990, 2000]}))
    >>> len(c), c.meta.index.name, c.text("1")
    (2, 'doc_id', 'Another.')
    >>> len(c.query("year > 1995"))
    1
    """

    def __init__(
        self,
        source: TextSource,
        meta: pd.DataFrame,
        digests: Sequence[bytes],
        rows: np.ndarray | None = None,
        name: str | None = None,
        skipped: pd.DataFrame | None = None,
        pretokenized: Pretokenized | None = None,
    ):
        if meta.index.name != "doc_id":
            meta = meta.rename_axis("doc_id")
        if not meta.index.is_unique:
            dup = meta.index[meta.index.duplicated()].unique().tolist()
            raise ParameterError(
                "meta", dup[:10], f"duplicate document ids: {dup[:10]} (ids must be unique)"
            )
        self._source = source
        self.meta = meta
        self._digests = list(digests)
        if len(self._digests) != len(meta):
            raise ParameterError(
                "digests",
                None,
                f"one digest per document is required: {len(self._digests)} digests for "
                f"{len(meta)} documents",
            )
        self._rows = np.arange(len(meta), dtype=np.int64) if rows is None else np.asarray(rows)
        self.name = name or "corpus"
        # The corpus whose token index this one shares (itself when it owns its texts).
        # ``None`` for the corpus that owns its texts (not a reference to itself: a corpus
        # in a reference cycle would keep its memory-mapped texts open until the garbage
        # collector's next full pass); a subset's is set by the method that makes it
        self._root: Corpus | None = None
        if pretokenized is not None:
            if pretokenized.n_docs != len(source):
                raise ParameterError(
                    "pretokenized",
                    None,
                    f"pretokenized: one entry of offsets per document of the source "
                    f"({pretokenized.n_docs} for {len(source)} documents)",
                )
        # Tokens, layers and structures given with the texts (held by the owning corpus).
        self._pretokenized = pretokenized
        self._fingerprint: str | None = None
        self._positions: dict[str, int] | None = None
        if skipped is None:
            skipped = pd.DataFrame({"path": [], "reason": []}).astype(str)
        elif list(skipped.columns) != ["path", "reason"]:
            raise ParameterError(
                "skipped",
                list(skipped.columns),
                "skipped must be a DataFrame with the columns 'path' and 'reason'",
            )
        self._skipped = skipped.reset_index(drop=True)
        #: How the texts were read, when the loader had to choose (e.g. the text column of a
        #: table); ``None`` otherwise.  Notebooks print it.
        self.load_note: str | None = None

    # ---------------------------------------------------------------- basic access
    def __len__(self) -> int:
        return len(self.meta)

    @property
    def source(self) -> TextSource:
        """Where the texts are read from (shared by the subsets of a corpus)."""
        return self._source

    @property
    def rows(self) -> np.ndarray:
        """The source row of each document, in corpus order."""
        return self._rows

    @property
    def root(self) -> Corpus:
        """The corpus that owns the texts (itself, unless this is a subset); subsets share
        its token index."""
        return self._root if self._root is not None else self

    @property
    def given_tokens(self) -> Pretokenized | None:
        """The tokens, layers and structures given with the texts (CoNLL-U, VRT,
        ``from_tokens``), held by the owning corpus; ``None`` for plain texts."""
        return self.root._pretokenized

    def __repr__(self) -> str:
        cols = ", ".join(map(str, self.meta.columns[:8]))
        n = len(self._skipped)
        skipped = f"; {n} file{'' if n == 1 else 's'} skipped (see .skipped)" if n else ""
        return f"<Corpus {self.name!r}: {len(self)} documents; metadata: {cols}{skipped}>"

    @property
    def skipped(self) -> pd.DataFrame:
        """The files the loader did not read, and why: columns ``path`` and ``reason``.

        Empty when every file was read (and for corpora made from tables and data frames).
        A corpus derived by :meth:`query`, :meth:`select`, :meth:`assign` or :meth:`join`
        keeps the list of the corpus it came from.  The frame is a copy.

        Examples
        --------
        >>> import toolkit as tk
        >>> tk.from_dataframe(pd.DataFrame({"text": ["a"]})).skipped.columns.tolist()
        ['path', 'reason']
        """
        return self._skipped.copy()

    @property
    def doc_ids(self) -> list[str]:
        """The document ids, in corpus order."""
        return self.meta.index.tolist()

    def _position(self, doc_id: str) -> int:
        if self._positions is None:
            self._positions = {d: i for i, d in enumerate(self.meta.index)}
        try:
            return self._positions[doc_id]
        except KeyError:
            raise NotFoundError(
                "doc_id", doc_id, f"no document with id {doc_id!r} in {self.name!r}"
            ) from None

    def text(self, doc_id: str) -> str:
        """The text of a document exactly as decoded: nothing normalised, nothing trimmed.

        Parameters
        ----------
        doc_id : str
            The document's id (``corpus.meta.index``).

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> tk.from_dataframe(pd.DataFrame({"text": ["  spaced  "]})).text("0")
        '  spaced  '
        """
        return self._source.get(int(self._rows[self._position(doc_id)]))

    def texts(self) -> Iterator[str]:
        """Iterate over the texts in corpus order, one at a time (streaming).

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["One text.", "Another."]}))
        >>> list(c.texts())
        ['One text.', 'Another.']
        """
        return self._source.iter(self._rows)

    def __iter__(self) -> Iterator[Document]:
        records = self.meta.to_dict("records")
        for doc_id, text, meta in zip(self.meta.index, self.texts(), records, strict=True):
            yield Document(str(doc_id), text, {str(k): v for k, v in meta.items()})

    def __getitem__(self, doc_id: str) -> Document:
        i = self._position(doc_id)
        meta = {str(k): v for k, v in self.meta.iloc[i].to_dict().items()}
        return Document(doc_id, self.text(doc_id), meta)

    @property
    def fingerprint(self) -> str:
        """A hex digest of the document ids and texts; it changes whenever a text changes.

        For a corpus of given tokens (:attr:`pretokenized`) it covers the given layers and
        structures too, so a changed lemma makes a different corpus (and index).

        Examples
        --------
        >>> import toolkit as tk
        >>> a = tk.from_tokens([["It", "is"]], layers={"lemma": [["it", "be"]]})
        >>> b = tk.from_tokens([["It", "is"]], layers={"lemma": [["it", "is"]]})
        >>> a.fingerprint == b.fingerprint
        False
        """
        if self._fingerprint is None:
            h = hashlib.sha1()
            for doc_id, d in zip(self.meta.index, self._digests, strict=True):
                # each id and digest with its length first: no two corpora share a stream
                raw = str(doc_id).encode("utf-8", "surrogatepass")
                h.update(len(raw).to_bytes(8, "little") + raw + len(d).to_bytes(8, "little") + d)
            given = self.root._pretokenized
            if given is not None:
                h.update(b"\0pretokenized\0" + given.digest.encode())
            self._fingerprint = h.hexdigest()
        return self._fingerprint

    # ---------------------------------------------------------------- given tokens
    @property
    def pretokenized(self) -> bool:
        """True if the tokens were given (:func:`toolkit.from_tokens`, :func:`toolkit.load_conllu`,
        :func:`toolkit.load_vrt`): the index then holds them exactly, never re-tokenised.

        Examples
        --------
        >>> import toolkit as tk
        >>> tk.from_tokens([["don't", "stop"]]).pretokenized
        True
        """
        return self.root._pretokenized is not None

    @property
    def structures(self) -> tuple[str, ...]:
        """Names of the structural attributes the corpus was loaded with (``"s"``, ``"p"``…).

        Examples
        --------
        >>> import toolkit as tk
        >>> tk.from_tokens([[["One", "."], ["Two", "."]]]).structures
        ('s',)
        """
        given = self.root._pretokenized
        return tuple(sorted(given.structures)) if given is not None else ()

    def structure(self, name: str) -> pd.DataFrame:
        """The regions of a structural attribute (sentences, paragraphs…) in this corpus.

        Like the IMS Corpus Workbench's structural attributes: each region spans tokens of one
        document and may carry attributes.

        Parameters
        ----------
        name : str
            One of :attr:`structures`, e.g. ``"s"`` for sentences.

        Returns
        -------
        pandas.DataFrame
            One row per region, in corpus order (then file order): ``doc_id``, ``start`` and
            ``end`` (token positions in the document, counted from 0, ``end`` exclusive; the
            positions of ``tk.tokens(c, punct=True).to_frame()``), ``char_start`` and
            ``char_end`` (the region's span in ``corpus.text(doc_id)``), then the region's
            attributes.

        Raises
        ------
        NotFoundError
            The corpus has no such structure (a ``KeyError``); the message lists those it
            has.

        Examples
        --------
        >>> import toolkit as tk
        >>> c = tk.from_tokens([[["One", "."], ["Two", "words", "."]]])
        >>> c.structure("s").values.tolist()
        [['0', 0, 2, 0, 5], ['0', 2, 5, 6, 17]]
        >>> c.text("0")[6:17]
        'Two words .'
        """
        given = self.root._pretokenized
        if given is None or name not in given.structures:
            raise NotFoundError(
                "name",
                name,
                f"no structure {name!r}; this corpus has {list(self.structures)}",
            )
        frame = given.structures[name]
        local = np.full(given.n_docs, -1, dtype=np.int64)
        local[self._rows] = np.arange(len(self), dtype=np.int64)
        rank = local[frame["doc"].to_numpy(dtype=np.int64)]
        keep = np.flatnonzero(rank >= 0)
        keep = keep[np.argsort(rank[keep], kind="stable")]
        out = frame.iloc[keep].drop(columns="doc").reset_index(drop=True)
        doc_ids = np.asarray(self.meta.index, dtype=object)
        out.insert(0, "doc_id", doc_ids[rank[keep]])
        return out

    # ---------------------------------------------------------------- derived corpora
    def take(self, positions: Sequence[int] | np.ndarray) -> Corpus:
        """The documents at the given positions (0-based, in this order), as a corpus that
        shares this one's texts and token index.

        Parameters
        ----------
        positions : sequence of int
            Positions of documents in this corpus.

        Returns
        -------
        Corpus

        Examples
        --------
        >>> import toolkit as tk
        >>> tk.load_sample().take([0, 2]).doc_ids
        ['CHN_01_1946', 'CHN_03_1948']
        """
        pos = np.asarray(positions)
        ok = pos.ndim == 1 and (
            pos.size == 0 or (pos.dtype.kind in "iu" and pos.min() >= 0 and pos.max() < len(self))
        )
        if not ok:
            raise ParameterError(
                "positions", positions, f"positions must be integers from 0 to {len(self) - 1}"
            )
        return self._subset(pos.astype(np.int64))

    def _subset(self, positions: np.ndarray, meta: pd.DataFrame | None = None) -> Corpus:
        positions = np.asarray(positions, dtype=np.int64)
        sub_meta = self.meta.iloc[positions] if meta is None else meta
        sub = Corpus(
            self._source,
            sub_meta,
            [self._digests[i] for i in positions],
            rows=self._rows[positions],
            name=self.name,
            skipped=self._skipped,
        )
        sub._root = self.root  # the subset shares the owner's texts, tokens and index
        return sub

    def query(self, expr: str, **kwargs: Any) -> Corpus:
        """Select documents with a pandas query on the metadata.

        Parameters
        ----------
        expr : str
            A :meth:`pandas.DataFrame.query` expression, e.g.
            ``"year >= 1990 and country == 'PRK'"``; ``doc_id`` can be used too.
        **kwargs
            Passed to :meth:`pandas.DataFrame.query` (e.g. ``local_dict``).

        Returns
        -------
        Corpus
            The matching documents, in corpus order, sharing this corpus's texts and
            token index.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a", "b", "c"], "year": [1, 2, 3]}))
        >>> c.query("year >= 2").doc_ids
        ['1', '2']
        """
        try:
            mask = self.meta.eval(expr, **kwargs)
        except Exception as err:
            cols = ", ".join(map(str, self.meta.columns))
            raise ParameterError(
                "expr",
                expr,
                f"cannot evaluate query {expr!r} on the metadata ({err}); columns: {cols}",
            ) from err
        if not (isinstance(mask, pd.Series) and mask.dtype == bool):
            raise ParameterError("expr", expr, f"query {expr!r} must give True/False per document")
        return self._subset(np.flatnonzero(mask.to_numpy()))

    def select(self, doc_ids: Sequence[str]) -> Corpus:
        """The documents with these ids, in the order given.

        Parameters
        ----------
        doc_ids : sequence of str
            Ids of documents of this corpus (the index of :attr:`meta`); an id that is
            not there raises an error naming it.

        Returns
        -------
        Corpus
            The same texts and metadata rows, in the order of ``doc_ids``.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> tk.from_dataframe(pd.DataFrame({"text": ["a", "b"]})).select(["1"]).doc_ids
        ['1']
        """
        ids = list(doc_ids)
        positions = pd.Index(self.meta.index).get_indexer(pd.Index(ids, dtype=object))
        if (positions < 0).any():
            missing = [d for d, p in zip(ids, positions, strict=True) if p < 0][:10]
            raise NotFoundError(
                "doc_ids",
                missing[0],
                f"doc_ids: no documents with ids {missing} in {self.name!r}",
            )
        return self._subset(positions.astype(np.int64))

    def assign(self, **columns: Any) -> Corpus:
        """A corpus with new or replaced metadata columns (as :meth:`pandas.DataFrame.assign`).

        Values may be arrays, Series aligned on ``doc_id``, or functions of the metadata.

        Parameters
        ----------
        **columns : array, Series, scalar or callable
            One keyword per column: the column's name and its values, one per document
            (a Series is aligned on ``doc_id``; a function is called with the metadata
            DataFrame and returns the values).

        Returns
        -------
        Corpus
            The same documents with the new metadata; this corpus is left unchanged.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a", "b"], "year": [1987, 1994]}))
        >>> c.assign(decade=lambda m: m["year"] // 10 * 10).meta["decade"].tolist()
        [1980, 1990]
        """
        return self._subset(np.arange(len(self), dtype=np.int64), meta=self.meta.assign(**columns))

    @validate_params(
        {
            "duplicates": [StrOptions({"raise", "first", "combine"})],
            "how": [StrOptions({"left", "inner"})],
        }
    )
    def join(
        self,
        table: pd.DataFrame | str | os.PathLike,
        on: str | Sequence[str] | Mapping[str, str],
        columns: Sequence[str] | None = None,
        duplicates: str = "raise",
        how: str = "left",
    ) -> Corpus:
        """Add metadata columns from another table, matched by key.

        Parameters
        ----------
        table : DataFrame or path
            The table; a path is read with the same readers as :func:`toolkit.load_table`.
        on : str, list of str, or dict
            Key columns.  A dict maps corpus columns to table columns, e.g.
            ``{"country": "ISO Code", "year": "Year"}``.
        columns : list of str, optional
            Table columns to add (default: all but the keys).
        duplicates : {"raise", "first", "combine"}
            What to do when the table has several rows for one key: raise an error that
            names the keys (default), keep the first row, or combine distinct values of
            each column with ``"; "``.
        how : {"left", "inner"}
            ``"left"`` keeps every document (missing values where no row matches, and a
            warning that counts them); ``"inner"`` keeps only matched documents.

        Returns
        -------
        Corpus

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a", "b"], "iso": ["USA", "RUS"]}))
        >>> names = pd.DataFrame({"ISO": ["USA", "RUS"], "name": ["United States", "Russia"]})
        >>> c.join(names, on={"iso": "ISO"}).meta["name"].tolist()
        ['United States', 'Russia']
        """
        read_table = _step("read_table")

        frame: pd.DataFrame = table if isinstance(table, pd.DataFrame) else read_table(table)
        if isinstance(on, str):
            on = {on: on}
        elif not isinstance(on, Mapping):
            on = {k: k for k in on}
        left_keys, right_keys = list(on.keys()), list(on.values())
        for k in left_keys:
            if k not in self.meta.columns:
                raise ColumnError(
                    "on",
                    k,
                    f"on: corpus has no metadata column {k!r}; it has {list(self.meta.columns)}",
                )
        for k in right_keys:
            if k not in frame.columns:
                raise ColumnError(
                    "on", k, f"on: table has no column {k!r}; it has {list(frame.columns)}"
                )
        if columns is None:
            columns = [c for c in frame.columns if c not in right_keys]
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ColumnError(
                "columns",
                missing,
                f"columns: table has no columns {missing}; it has {list(frame.columns)}",
            )
        right = frame[right_keys + list(columns)].copy()
        right.columns = left_keys + list(columns)
        clash = [c for c in columns if c in self.meta.columns]
        if clash:
            raise ColumnError(
                "columns",
                clash,
                f"columns {clash} exist in the corpus metadata already; pass columns= to choose",
            )
        for lk in left_keys:  # align key dtypes (e.g. int years against float years)
            if pd.api.types.is_numeric_dtype(self.meta[lk]) and not pd.api.types.is_numeric_dtype(
                right[lk]
            ):
                right[lk] = pd.to_numeric(right[lk], errors="coerce")
            elif not pd.api.types.is_numeric_dtype(self.meta[lk]):
                right[lk] = right[lk].astype(self.meta[lk].dtype)
        dup = right.duplicated(left_keys, keep=False)
        if dup.any():
            if duplicates == "raise":
                keys = right.loc[dup, left_keys].drop_duplicates().head(10)
                raise ParameterError(
                    "duplicates",
                    duplicates,
                    f"the table has several rows for {int(dup.sum())} key values, e.g. "
                    f"{keys.to_dict('records')}; pass duplicates='first' or 'combine'",
                )
            if duplicates == "first":
                right = right.drop_duplicates(left_keys, keep="first")
            elif duplicates == "combine":

                def _combine(s: pd.Series) -> Any:
                    vals = [str(v) for v in pd.unique(s.dropna())]
                    return "; ".join(vals) if vals else None

                right = right.groupby(left_keys, sort=False, dropna=False).agg(_combine)
                right = right.reset_index()
        merged = self.meta.reset_index().merge(right, on=left_keys, how="left", indicator=True)
        matched = (merged["_merge"] == "both").to_numpy()
        merged = merged.drop(columns="_merge").set_index("doc_id")
        if how == "inner":
            positions = np.flatnonzero(matched)
            return self._subset(positions, meta=merged.iloc[positions])
        if not matched.all():
            warnings.warn(
                f"{int((~matched).sum())} of {len(matched)} documents found no row in the "
                f"table (e.g. {merged.index[~matched][:5].tolist()}); their new columns are empty",
                stacklevel=2,
            )
        return self._subset(np.arange(len(self), dtype=np.int64), meta=merged)

    def segment(self, unit: str = "paragraph", **kwargs: Any) -> Corpus:
        """Split every document into paragraphs or sentences.

        See :func:`toolkit.segment.segment` for the rules and options.

        Parameters
        ----------
        unit : {"paragraph", "sentence"}, default "paragraph"
            What each document is split into.
        **kwargs
            The options of :func:`toolkit.segment`: ``sep``, ``wrap_width``,
            ``sentence_model``.

        Returns
        -------
        Corpus
            One document per paragraph or sentence, with the columns ``parent_id`` and
            ``position`` and the parent's metadata.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["One.\\nTwo."]}))
        >>> c.segment("paragraph").meta[["parent_id", "position"]].values.tolist()
        [['0', 0], ['0', 1]]
        """
        return _step("segment")(self, unit, **kwargs)

    def clean(
        self, steps: Any = None, progress: bool | None = None, processes: int | None = None
    ) -> Corpus:
        """A corpus of cleaned texts: page numbers, running heads and line-end hyphens
        removed, hard-wrapped lines rejoined (see :mod:`toolkit.clean`).

        Document ids and metadata are kept.  Every cleaned text keeps its alignment to the
        original: ``toolkit.clean.cleaning_record(cleaned)`` gives the original corpus and
        what each step changed per document (``.changes``).

        Parameters
        ----------
        steps : sequence or Cleaner, optional
            Step names, step objects or functions ``str -> str``; default
            ``toolkit.clean.DEFAULT_STEPS``.
        progress : bool, optional
            Progress bar (default: the global option).
        processes : int, optional
            Worker processes (default: the machine's cores for 50 documents or more).

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["to save succeeding\\n7\\ngenerations"]}))
        >>> c.clean().text("0")
        'to save succeeding generations'
        """
        return _step("clean")(self, steps, progress=progress, processes=processes)

    def tokens(self, **options: Any) -> TokenStream:
        """The tokens of this corpus as a restartable stream of ``list[str]``.

        Parameters
        ----------
        **options
            The options of :func:`toolkit.tokens`, which describes them, all by keyword:
            ``unit``, ``layer``, ``case_sensitive``, ``punct``, ``numbers``,
            ``split_hyphens``, ``min_length``, ``stopwords``, ``pos``, ``min_count``,
            ``progress``, ``compound``.  The former names ``by`` (now ``unit``) and
            ``lowercase`` (now ``case_sensitive``, the opposite) still work with a
            ``FutureWarning`` until toolkit 0.3.

        Returns
        -------
        TokenStream

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace, and peace."]}))
        >>> list(c.tokens(stopwords=["and"]))
        [['peace', 'peace']]
        >>> list(c.tokens(case_sensitive=True, punct=True))
        [['Peace', ',', 'and', 'peace', '.']]
        """
        return _step("tokens")(self, **options)

    def annotate(
        self, layers: str | Sequence[str] = ("pos", "lemma", "stem"), **options: Any
    ) -> Corpus:
        """Add part-of-speech, lemma and stem layers to this corpus's token index.

        See :func:`toolkit.annotate` for the layers and options (``annotator``,
        ``language``, ``processes``, ``progress``).  Returns the corpus itself.

        Parameters
        ----------
        layers : str or sequence of str, default ("pos", "lemma", "stem")
            The layers added: any of ``"pos"``, ``"lemma"``, ``"stem"``.
        **options
            The options of :func:`toolkit.annotate`: ``annotator``, ``language``,
            ``processes``, ``progress``.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Nations met."]}))
        >>> c.annotate("stem").index().index.layers
        ('stem',)
        """
        return _step("annotate")(self, layers, **options)

    # ---------------------------------------------------------------- token index
    def index(self, progress: bool | None = None) -> IndexView:
        """The token index of this corpus (built once, then cached in memory and on disk).

        See :mod:`toolkit.index`.

        Parameters
        ----------
        progress : bool or None, default None
            Show a progress bar while the index is built; ``None`` follows the option
            ``progress`` (:func:`toolkit.set_options`).

        Returns
        -------
        IndexView
            The index of this corpus's documents: ``.index`` is the
            :class:`toolkit.TokenIndex`.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace, and peace."]}))
        >>> c.index(progress=False).index.n_tokens
        5
        """
        return _step("index")(self, progress=progress)
