"""Keyword in context: concordances read from the token index.

Contexts are rebuilt from the index (surface types and the white-space flags), never by
scanning the raw text, so that a concordance of thousands of lines takes milliseconds.
White space between tokens is shown as one space.  Contexts never cross a document
boundary.  Sorting follows AntConc: by the lower-cased word at a position (``"L1"`` is the
first word to the left, ``"R2"`` the second to the right, ``"KW"`` the keyword); lines
without a word there sort first.

Limits: a context window is at most ``tk.get_option("max_window")`` tokens on each side
(default 1,000); a larger one raises :class:`~toolkit.errors.LimitError` naming the option
before any work is done, and a negative or fractional one
:class:`~toolkit.errors.ParameterError`.  The text of the lines is built in time and memory
proportional to the number of lines times the window.  Pattern matching is bounded by the
option ``pattern_timeout`` (see :mod:`toolkit.patterns`).
"""

from __future__ import annotations

import html
import itertools
import os
import re
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import Renamed, check_window, validate_params
from .corpus import Corpus, metadata_columns
from .errors import ParameterError
from .index import IndexView, TokenIndex
from .patterns import check_patterns, find
from .shards import ShardedCorpus, is_sharded

__all__ = ["kwic", "Concordance", "ShardedConcordance"]

#: Characters of context shown on each side in a notebook (the far end cut, marked "…").
SHOWN_CHARS = 60


def clip_left(text: str, chars: int = SHOWN_CHARS) -> str:
    """A left context cut to its last ``chars`` characters, marked "…" where cut.

    Examples
    --------
    >>> clip_left("the first words of a long context", 12)
    '…ong context'
    """
    return text if len(text) <= chars else "…" + text[len(text) - chars + 1 :]


def clip_right(text: str, chars: int = SHOWN_CHARS) -> str:
    """A right context cut to its first ``chars`` characters, marked "…" where cut.

    Examples
    --------
    >>> clip_right("the first words of a long context", 12)
    'the first w…'
    """
    return text if len(text) <= chars else text[: chars - 1] + "…"


_SORT_KEY = re.compile(r"^(L|R)([1-9]\d{0,8})$|^KW$")

#: Up to this window, contexts are built a column at a time (fastest for narrow windows);
#: wider ones line by line, in batches of ``_BATCH`` context tokens.
_NARROW = 8
_BATCH = 1 << 20


# Each type, then each type after a space: the pieces of a context, by index.
_SPACED: dict[int, tuple[Any, np.ndarray]] = {}


def _spaced_vocab(index: TokenIndex) -> np.ndarray:
    key = id(index)
    hit = _SPACED.get(key)
    if hit is not None and hit[0]() is index:
        return hit[1]
    vocab = np.asarray(index.vocab, dtype=object)
    spaced = np.concatenate([vocab, " " + vocab])
    try:
        ref = weakref.ref(index, lambda _: _SPACED.pop(key, None))
    except TypeError:
        return spaced
    _SPACED[key] = (ref, spaced)
    return spaced


@fill_doc
class Concordance:
    """Concordance lines of a pattern in a corpus (made by :func:`kwic`).

    ``len(conc)`` is the number of hits; :meth:`to_frame` gives the lines as a DataFrame; in
    a notebook the concordance renders as an aligned HTML table of its first 50 lines with
    the keyword highlighted (all corpus text HTML-escaped, lines never wrapped, contexts cut
    to 60 characters at their far end).  :func:`toolkit.explore` shows every line in an interactive
    table: sort by any position, filter, click a line to read its paragraph.

    Made by :func:`toolkit.kwic`; not usually constructed by hand.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
        The lines' documents, contexts and metadata are read from it.
    view : IndexView
        The part of the corpus's token index that was searched (``corpus.index()``).
    starts, ends : numpy.ndarray of int
        One value per line: the index position of the hit's first token, and the position
        after its last (exclusive), in the order of the lines.
    which : numpy.ndarray of int
        One value per line: the number of the pattern that matched it, counted from 0 in
        ``pattern`` given as a list (always 0 for a single pattern).
    pattern : str or list of str
        {params.pattern}
        Kept to describe the concordance; the hits are already found.
    window : int
        {params.window}

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War and peace. Peace, not war."]}))
    >>> conc = tk.kwic(c, "peace", window=2)
    >>> len(conc), conc.to_frame()["right"].tolist()
    (2, ['. Peace', ', not'])
    """

    def __init__(
        self,
        corpus: Corpus,
        view: IndexView,
        starts: np.ndarray,
        ends: np.ndarray,
        which: np.ndarray,
        pattern: str | Sequence[str],
        window: int,
    ):
        window = check_window(window)
        self.corpus = corpus
        self.view = view
        self.starts = starts
        self.ends = ends
        self.which = which
        self.pattern = pattern
        self.window = window
        self._doc_cache: np.ndarray | None = None

    @property
    def _doc(self) -> np.ndarray:
        """Document number (in the index) of each hit; computed on first use."""
        if self._doc_cache is None:
            self._doc_cache = self.view.index.doc_of(self.starts)
        return self._doc_cache

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def doc_rows(self) -> np.ndarray:
        """The row of each line's document in ``corpus.meta`` (its position in the corpus).

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["no", "peace here", "peace, peace"]}))
        >>> tk.kwic(c, "peace").doc_rows.tolist()
        [1, 2, 2]
        """
        return np.asarray(self.view.local[self._doc], dtype=np.int64)

    def take(self, order: Sequence[int] | np.ndarray) -> Concordance:
        """The lines at these positions, in this order (as :meth:`numpy.ndarray.take`).

        Parameters
        ----------
        order : array-like of int
            Line numbers, counted from 0.

        Returns
        -------
        Concordance
            A concordance of the same corpus, pattern and window.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["peace one, peace two, peace three"]}))
        >>> tk.kwic(c, "peace", window=1).take([2, 0]).to_frame()["right"].tolist()
        ['three', 'one']
        """
        order = np.asarray(order, dtype=np.int64)
        return Concordance(
            self.corpus,
            self.view,
            self.starts[order],
            self.ends[order],
            self.which[order],
            self.pattern,
            self.window,
        )

    # ---------------------------------------------------------------- text of the lines
    def _side(self, side: str, narrow: int = _NARROW) -> np.ndarray:
        """The left or right context of every line."""
        idx = self.view.index
        n, w = len(self), self.window
        out = np.full(n, "", dtype=object)
        if n == 0 or w == 0:
            return out
        if side == "left":
            lo = np.maximum(self.starts - w, idx.doc_offsets[self._doc])
            hi = self.starts
        else:
            lo = self.ends
            hi = np.minimum(self.ends + w, idx.doc_offsets[self._doc + 1])
        if w <= narrow:
            return self._columns(lo, hi, out)
        # line by line: each context is joined from its pieces (a type, or a space and a
        # type), in batches, so time and memory grow with lines × window, never faster
        spaced = _spaced_vocab(idx)
        n_types = len(idx.vocab)
        lengths = hi - lo
        done = np.cumsum(lengths)
        a = 0
        while a < n:
            before = int(done[a - 1]) if a else 0
            b = max(int(np.searchsorted(done, before + _BATCH, side="right")), a + 1)
            ln = lengths[a:b]
            bounds = np.zeros(b - a + 1, dtype=np.int64)
            np.cumsum(ln, out=bounds[1:])
            total = int(bounds[-1])
            if total:
                pos = np.arange(total) + np.repeat(lo[a:b] - bounds[:-1], ln)
                piece = np.asarray(idx.tokens[pos], dtype=np.int64)
                space = np.array(idx.space[pos], dtype=bool)
                space[bounds[:-1][ln > 0]] = False  # no space opens a context
                piece[space] += n_types
                pieces = spaced[piece].tolist()
                cut = bounds.tolist()
                out[a:b] = ["".join(pieces[cut[i] : cut[i + 1]]) for i in range(b - a)]
            a = b
        return out

    def _columns(self, lo: np.ndarray, hi: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Contexts built one token position at a time, for all lines at once."""
        idx = self.view.index
        vocab = idx.vocab
        for j in range(int((hi - lo).max())):
            p = lo + j
            ok = p < hi
            pp = np.where(ok, p, 0)
            words = np.where(ok, vocab[idx.tokens[pp]], "")
            if j > 0:  # a space before this token, unless it opens the context
                words = np.where(ok & idx.space[pp], " ", "") + words
            out = out + words
        return out

    def _keywords(self) -> np.ndarray:
        idx = self.view.index
        lengths = self.ends - self.starts
        out = idx.vocab[idx.tokens[self.starts]].astype(object)
        for j in range(1, int(lengths.max()) if len(lengths) else 1):
            ok = lengths > j
            p = np.where(ok, self.starts + j, 0)
            out = (
                out
                + np.where(ok & idx.space[p], " ", "")
                + np.where(ok, idx.vocab[idx.tokens[p]], "")
            )
        return out

    def to_frame(self, meta: bool | Sequence[str] = False) -> pd.DataFrame:
        """The concordance lines as a DataFrame, in corpus order (or the order sorted).

        Parameters
        ----------
        meta : bool or list of str
            Add the documents' metadata columns (all, or those named).

        Returns
        -------
        pandas.DataFrame
            ``doc_id``, ``start``, ``end`` (token positions within the document, 0-based,
            end exclusive), ``left``, ``keyword``, ``right``, then any metadata.  The
            contexts are whole (they are data); pandas' own display of the frame wraps long
            strings onto several lines, so to *read* the lines show the concordance itself
            (lines never wrap) or ``tk.explore(conc)`` / ``tk.explore(frame)``.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace and security, peace."]}))
        >>> tk.kwic(c, "peace", window=2).to_frame()[["start", "left", "keyword", "right"]]
           start       left keyword         right
        0      0              Peace  and security
        1      4  security,   peace             .
        """
        idx = self.view.index
        doc_start = idx.doc_offsets[self._doc]
        local = self.view.local[self._doc]
        ids = np.asarray(self.view.doc_ids, dtype=object)
        df = pd.DataFrame(
            {
                "doc_id": ids[local] if len(local) else np.array([], dtype=object),
                "start": self.starts - doc_start,
                "end": self.ends - doc_start,
                "left": self._side("left"),
                "keyword": self._keywords() if len(self) else np.array([], dtype=object),
                "right": self._side("right"),
            }
        )
        if meta is not False:
            m = self.corpus.meta
            cols = list(m.columns) if meta is True else metadata_columns(m, meta, "meta")
            extra = m[cols].iloc[local].reset_index(drop=True)
            df = pd.concat([df, extra], axis=1)
        return df

    def spans(self) -> pd.DataFrame:
        """Character spans of the hits in their documents: ``doc_id``, ``char_start``,
        ``char_end`` such that ``corpus.text(doc_id)[char_start:char_end]`` is the hit.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["We, the peoples"]}))
        >>> tk.kwic(c, "peoples").spans().values.tolist()
        [['0', 8, 15]]
        """
        idx = self.view.index
        last = self.ends - 1
        lens = np.fromiter(
            (len(t) for t in idx.vocab[idx.tokens[last]]), dtype=np.int64, count=len(last)
        )
        local = self.view.local[self._doc]
        return pd.DataFrame(
            {
                "doc_id": np.asarray(self.view.doc_ids, dtype=object)[local],
                "char_start": idx.char_start[self.starts].astype(np.int64),
                "char_end": idx.char_start[last].astype(np.int64) + lens,
            }
        )

    def original(self) -> pd.DataFrame:
        """The lines as they read in the original text, for a concordance of a cleaned corpus.

        :meth:`toolkit.Corpus.clean` removes page numbers and running heads, rejoins words
        broken at a line end and unwraps lines; every line of a concordance of the cleaned
        corpus can be checked against the text it came from before it is quoted.  Each
        line's context (the same tokens as :meth:`to_frame`) and keyword are mapped to the
        original through the cleaning's alignment (text deleted inside them, such as a page
        number, is shown).

        Returns
        -------
        pandas.DataFrame
            One row per line, in the concordance's order: ``doc_id``, ``left``, ``keyword``,
            ``right`` (cleaned, as :meth:`to_frame`), then ``original_id``,
            ``original_left``, ``original_keyword``, ``original_right`` and the keyword's
            ``original_start`` and ``original_end`` in ``original_id``'s text.

        Raises
        ------
        ParameterError
            When the concordance's corpus was not made by cleaning.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> text = "the energy-\\nshortage of the\\n38\\nworld"
        >>> c = tk.from_dataframe(pd.DataFrame({"text": [text]}))
        >>> row = tk.kwic(c.clean(), "world", window=3).original().iloc[0]
        >>> row["left"], row["original_left"]
        ('energyshortage of the', 'energy-\\nshortage of the\\n38\\n')
        """
        from .clean import spans_in_original

        try:
            from .clean import cleaning_record

            cleaning_record(self.corpus)
        except ValueError as error:
            raise ParameterError("corpus", self.corpus.name, str(error)) from None
        frame = self.to_frame()[["doc_id", "left", "keyword", "right"]]
        idx = self.view.index
        n = len(self)
        if n == 0:
            for col in ("original_id", "original_left", "original_keyword", "original_right"):
                frame[col] = np.array([], dtype=object)
            frame["original_start"] = np.zeros(0, dtype=np.int64)
            frame["original_end"] = np.zeros(0, dtype=np.int64)
            return frame

        def end_char(last: np.ndarray) -> np.ndarray:
            lens = np.fromiter(
                (len(t) for t in idx.vocab[idx.tokens[last]]), dtype=np.int64, count=len(last)
            )
            return idx.char_start[last].astype(np.int64) + lens

        w = self.window
        lo = np.maximum(self.starts - w, idx.doc_offsets[self._doc])
        hi = np.minimum(self.ends + w, idx.doc_offsets[self._doc + 1])
        key_s = idx.char_start[self.starts].astype(np.int64)
        key_e = end_char(self.ends - 1)
        ctx_s = idx.char_start[lo].astype(np.int64)
        ctx_e = end_char(hi - 1)
        doc_ids = frame["doc_id"].tolist()
        key = spans_in_original(self.corpus, doc_ids, key_s, key_e)
        ctx = spans_in_original(self.corpus, doc_ids, ctx_s, ctx_e)
        original = cleaning_record(self.corpus).original
        texts: dict[Any, str] = {}
        left, keyword, right = [], [], []
        for oid, cs, ks, ke, ce in zip(
            key["original_id"].tolist(),
            ctx["original_start"].tolist(),
            key["original_start"].tolist(),
            key["original_end"].tolist(),
            ctx["original_end"].tolist(),
            strict=True,
        ):
            if oid not in texts:
                texts[oid] = original.text(oid)
            text = texts[oid]
            left.append(text[min(cs, ks) : ks])
            keyword.append(text[ks:ke])
            right.append(text[ke : max(ce, ke)])
        frame["original_id"] = key["original_id"].to_numpy()
        frame["original_left"] = left
        frame["original_keyword"] = keyword
        frame["original_right"] = right
        frame["original_start"] = key["original_start"].to_numpy()
        frame["original_end"] = key["original_end"].to_numpy()
        return frame

    # ---------------------------------------------------------------- counts around the node
    def positions_at(self, offset: int) -> tuple[np.ndarray, np.ndarray]:
        """Token position ``offset`` words from the keyword (``-1`` is L1, ``1`` is R1) of
        every line, and whether it lies inside the line's document.

        Parameters
        ----------
        offset : int
            Words left (negative) or right (positive) of the keyword.

        Returns
        -------
        positions, inside : numpy.ndarray
            Positions in ``conc.view.index`` (0 where outside the document) and a boolean
            mask of the lines whose document has a token there.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["peace now", "now peace"]}))
        >>> conc = tk.kwic(c, "peace")
        >>> p, inside = conc.positions_at(1)
        >>> inside.tolist(), conc.view.index.vocab[conc.view.index.tokens[p[inside]]].tolist()
        ([True, False], ['now'])
        """
        idx = self.view.index
        p = self.starts + offset if offset < 0 else self.ends - 1 + offset
        ok = (p >= idx.doc_offsets[self._doc]) & (p < idx.doc_offsets[self._doc + 1])
        return np.where(ok, p, 0), ok

    def _terms(self, positions: np.ndarray, case_sensitive: bool) -> tuple[np.ndarray, np.ndarray]:
        """Term ids and terms of token positions (lower-cased types unless
        ``case_sensitive``)."""
        idx = self.view.index
        types = np.asarray(idx.tokens[positions], dtype=np.int64)
        if not case_sensitive:
            return np.asarray(idx.lower)[types].astype(np.int64), idx.lower_vocab
        return types, idx.vocab

    @validate_params(
        {"case_sensitive": ["boolean"], "punct": ["boolean"]},
        renamed={"lowercase": Renamed("case_sensitive", invert=True)},
    )
    @fill_doc
    def position_counts(
        self, position: str = "R1", *, case_sensitive: bool = False, punct: bool = False
    ) -> pd.DataFrame:
        """How often each word stands at one position around the keyword (AntConc's
        collocate positions: the L1 or R1 frequency list of a concordance).

        Parameters
        ----------
        position : str
            ``"L1"`` … (left of the keyword) or ``"R1"`` … (right of it), up to the option
            ``max_window``.
        case_sensitive : bool
            {params.case_sensitive}
            Replaces ``lowercase`` (the opposite: ``lowercase=True`` is
            ``case_sensitive=False``), which still works with a ``FutureWarning`` until
            toolkit 0.3.
        punct : bool
            {params.punct}
            Here lines with punctuation at the position count for nothing.

        Returns
        -------
        pandas.DataFrame
            ``term``, ``count`` (lines), ``docs`` (documents with such a line) and ``share``
            (of all lines), most frequent first; lines whose position lies outside their
            document are not counted.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["nuclear weapons, nuclear energy",
        ...                                              "nuclear weapons"]}))
        >>> tk.kwic(c, "nuclear").position_counts("R1")
              term  count  docs     share
        0  weapons      2     2  0.666667
        1   energy      1     1  0.333333
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War and peace. war and Peace."]}))
        >>> tk.kwic(c, "and").position_counts("R1", case_sensitive=True)
            term  count  docs  share
        0  Peace      1     1    0.5
        1  peace      1     1    0.5
        """
        m = _SORT_KEY.match(position.upper()) if isinstance(position, str) else None
        if m is None or not m.group(2):
            raise ParameterError(
                "position", position, "a position around the keyword: 'L1', 'L2', …, 'R1', …"
            )
        k = check_window(int(m.group(2)), "position")
        if k == 0:
            raise ParameterError("position", position, "positions count from 1 ('L1', 'R1')")
        p, ok = self.positions_at(-k if m.group(1) == "L" else k)
        idx = self.view.index
        if not punct:
            ok &= np.asarray(idx.is_word)[np.asarray(idx.tokens[p], dtype=np.int64)]
        terms, vocab = self._terms(p[ok], case_sensitive)
        docs = self._doc[ok]
        return _counted(vocab, terms, docs, len(self), "term")

    @validate_params(
        {"case_sensitive": ["boolean"], "punct": ["boolean"]},
        renamed={"lowercase": Renamed("case_sensitive", invert=True)},
    )
    @fill_doc
    def clusters(
        self,
        left: int = 0,
        right: int = 2,
        *,
        case_sensitive: bool = False,
        punct: bool = False,
        min_count: int = 1,
    ) -> pd.DataFrame:
        """The word sequences around the keyword and how often they occur (AntConc's Clusters).

        ``left=2, right=0`` gives the clusters ``L2 L1 keyword``; ``left=0, right=2`` (the
        default) ``keyword R1 R2``.

        Parameters
        ----------
        left, right : int
            Words before and after the keyword in each cluster (up to ``max_window``).
        case_sensitive : bool
            {params.case_sensitive}
            It applies to the keyword too: ``Nuclear threat`` and ``nuclear threat`` are
            one cluster by default.  Replaces ``lowercase`` (the opposite:
            ``lowercase=True`` is ``case_sensitive=False``), which still works with a
            ``FutureWarning`` until toolkit 0.3.
        punct : bool
            {params.punct}
            Here ``False`` leaves out the clusters that contain punctuation, as AntConc's
            clusters stop at punctuation; ``True`` keeps them.
        min_count : int
            {params.min_count}

        Returns
        -------
        pandas.DataFrame
            ``cluster`` (words joined by spaces), ``count``, ``docs`` and ``share`` (of all
            lines), most frequent first; lines too near their document's edge for the cluster
            are not counted.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["the nuclear threat, a nuclear threat"]}))
        >>> tk.kwic(c, "threat").clusters(left=2, right=0)
                      cluster  count  docs  share
        0    a nuclear threat      1     1    0.5
        1  the nuclear threat      1     1    0.5
        """
        for name, value in (("left", left), ("right", right)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ParameterError(name, value, f"{name} must be a whole number ≥ 0")
            check_window(value, name)
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
            raise ParameterError("min_count", min_count, "min_count must be a positive integer")
        idx = self.view.index
        n = len(self)
        ok = np.ones(n, dtype=bool)
        columns = []
        offsets = [*range(-left, 0), *range(1, right + 1)]
        for offset in offsets:
            p, inside = self.positions_at(offset)
            ok &= inside
            if not punct:
                ok &= np.asarray(idx.is_word)[np.asarray(idx.tokens[p], dtype=np.int64)]
            columns.append((offset, p))
        keyword = np.array(
            [w if case_sensitive else w.lower() for w in self._keywords()], dtype=object
        )
        if not punct and n:
            ok &= np.array([all(ch.isalnum() or ch in "-'’ " for ch in w) for w in keyword])
        pieces: list[tuple[int, np.ndarray]] = []
        for offset, p in columns:
            terms, vocab = self._terms(p[ok], case_sensitive)
            pieces.append((offset, np.asarray(vocab, dtype=object)[terms]))
        text = np.full(int(ok.sum()), "", dtype=object)
        for offset, words in pieces:
            if offset < 0:
                text = text + words + " "
        text = text + keyword[ok]
        for offset, words in pieces:
            if offset > 0:
                text = text + " " + words
        codes, uniques = pd.factorize(pd.Series(text, dtype=object))
        out = _counted(np.asarray(uniques, dtype=object), codes, self._doc[ok], n, "cluster")
        return out[out["count"] >= min_count].reset_index(drop=True)

    # ---------------------------------------------------------------- ordering and subsets
    def sort(self, *keys: str) -> Concordance:
        """Sort lines by the words at context positions, case-insensitively (as AntConc).

        Parameters
        ----------
        *keys : str
            ``"L1"`` … ``"L9"`` (words to the left), ``"R1"`` … (to the right), ``"KW"``
            (the keyword); the first key sorts first.  Ties keep corpus order.  A position
            may lie outside the window shown, up to the option ``max_window``.

        Raises
        ------
        ParameterError
            No key, or a key not of the forms above.
        LimitError
            A position beyond the option ``max_window``.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a war. the peace. a peace."]}))
        >>> tk.kwic(c, "peace", window=1).sort("L1").to_frame()["left"].tolist()
        ['a', 'the']
        """
        if not keys:
            raise ParameterError("keys", keys, "name at least one sort key, e.g. 'R1' or 'L1'")
        parsed = []
        for key in keys:
            m = _SORT_KEY.match(key.upper()) if isinstance(key, str) else None
            if m is None:
                raise ParameterError(
                    "keys", key, f"invalid sort key {key!r}: use 'L1'…, 'R1'… or 'KW'"
                )
            if m.group(2):
                check_window(int(m.group(2)), f"sort key {key!r}: position")
            parsed.append((key, m))
        idx = self.view.index
        cols = []
        for key, m in parsed:
            doc_start = idx.doc_offsets[self._doc]
            doc_end = idx.doc_offsets[self._doc + 1]
            if key.upper() == "KW":
                words = np.array([w.lower() for w in self._keywords()], dtype=object)
            else:
                k = int(m.group(2))
                p = self.starts - k if m.group(1) == "L" else self.ends + k - 1
                ok = (p >= doc_start) & (p < doc_end)
                words = np.where(ok, idx.lower_vocab[idx.lower[idx.tokens[np.where(ok, p, 0)]]], "")
            cols.append(words)
        frame = pd.DataFrame({f"k{i}": c for i, c in enumerate(cols)})
        frame["pos"] = np.arange(len(self))
        order = frame.sort_values([*frame.columns[:-1], "pos"], kind="stable")["pos"].to_numpy()
        return self.take(order)

    @fill_doc
    def sample(self, n: int, seed: int | None = 0) -> Concordance:
        """``n`` lines drawn at random without replacement (all if fewer), in corpus order.

        Parameters
        ----------
        n : int
            The number of lines drawn, 0 or more; all the lines when the concordance has
            fewer.
        seed : int or None, default 0
            {params.seed}
            ``None`` draws different lines each time.

        Returns
        -------
        Concordance
            The lines drawn, in corpus order.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a " * 50]}))
        >>> len(tk.kwic(c, "a").sample(5, seed=1))
        5
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise ParameterError("n", n, f"n must be a whole number ≥ 0, not {n!r}")
        rng = np.random.default_rng(seed)
        k = min(n, len(self))
        order = np.sort(rng.choice(len(self), size=k, replace=False))
        return self.take(order)

    def filter(self, expr: str) -> Concordance:
        """Lines whose document metadata satisfies a pandas query, e.g. ``"year < 1991"``.

        Parameters
        ----------
        expr : str
            A condition on the metadata columns, in the syntax of
            :meth:`pandas.DataFrame.query` (``"year < 1991"``,
            ``"country in ['USA', 'GBR']"``); a line is kept when its document meets it.

        Returns
        -------
        Concordance
            The lines kept, in the same order.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["war", "war"], "year": [1980, 2000]}))
        >>> len(tk.kwic(c, "war").filter("year > 1990"))
        1
        """
        local = self.view.local[self._doc]
        try:
            mask = self.corpus.meta.iloc[local].eval(expr)
        except Exception as err:
            raise ParameterError(
                "expr",
                expr,
                f"cannot evaluate {expr!r} on the metadata ({err}); columns: "
                f"{list(self.corpus.meta.columns)}",
            ) from err
        return self.take(np.flatnonzero(np.asarray(mask, dtype=bool)))

    @fill_doc
    def counts(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Hits per document or per metadata group, with the rate per million word tokens.

        Parameters
        ----------
        by : str or list of str, optional
            {params.by}
            Default: one group per document.

        Returns
        -------
        pandas.DataFrame
            The group columns (or ``doc_id``), ``count`` (hits), ``words`` (word tokens in
            the group, punctuation excluded) and ``per_million``; groups without hits
            included.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["war and war", "peace"],
        ...                                     "year": [1990, 1991]}))
        >>> tk.kwic(c, "war").counts(by="year")[["year", "count", "words"]].values.tolist()
        [[1990, 2, 3], [1991, 0, 1]]
        """
        from .counts import doc_word_counts

        local = self.view.local[self._doc]
        hits = np.bincount(local, minlength=len(self.view.docs))
        frame = pd.DataFrame(
            {"count": hits, "words": doc_word_counts(self.view)},
            index=self.corpus.meta.index,
        )
        if by is None:
            out = frame.reset_index()
        else:
            by_cols = metadata_columns(self.corpus.meta, by)
            frame = pd.concat([self.corpus.meta[by_cols], frame], axis=1)
            out = frame.groupby(by_cols, observed=True, dropna=False)[["count", "words"]].sum()
            out = out.reset_index()
        out["per_million"] = np.where(out["words"] > 0, out["count"] / out["words"] * 1e6, np.nan)
        return out

    def to_csv(self, path: str | os.PathLike, meta: bool | Sequence[str] = False) -> None:
        """Write the lines (see :meth:`to_frame`) to a UTF-8 CSV file.

        Records end with CRLF (RFC 4180), so a context holding a line break is quoted and
        every reader finds one record per line.

        Parameters
        ----------
        path : str or path
            The file written (replaced if it exists).
        meta : bool or list of str, default False
            Add the documents' metadata columns (all, or those named).

        Examples
        --------
        >>> import os
        >>> import tempfile
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War and peace."], "year": [1990]}))
        >>> path = os.path.join(tempfile.mkdtemp(), "peace.csv")
        >>> tk.kwic(c, "peace", window=2).to_csv(path, meta=["year"])
        >>> pd.read_csv(path)[["left", "keyword", "year"]]
              left keyword  year
        0  War and   peace  1990
        """
        # CRLF records (RFC 4180): a context holding a carriage return is then quoted, so
        # every reader finds one record per line
        self.to_frame(meta=meta).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")

    # ---------------------------------------------------------------- display
    def __repr__(self) -> str:
        head = f"<Concordance of {self.pattern!r}: {len(self)} lines, window {self.window}>"
        if not len(self):
            return head
        df = self.take(np.arange(min(len(self), 10))).to_frame()
        width = max(len(s) for s in df["left"])
        lines = [f"{r.left:>{width}}  [{r.keyword}]  {r.right}" for r in df.itertuples()]
        more = [f"… {len(self) - 10} more"] if len(self) > 10 else []
        return "\n".join([head, *lines, *more])

    def _repr_html_(self, max_rows: int = 50) -> str:
        shown = self.take(np.arange(min(len(self), max_rows))).to_frame()
        return _lines_html(shown, self.pattern, self.window, len(self))


def _lines_html(shown: pd.DataFrame, pattern: Any, window: int, n_lines: int) -> str:
    """The aligned HTML table of concordance lines (all corpus text escaped)."""
    esc = html.escape
    # inline styles: JupyterLab right-aligns table cells and may drop <style> elements
    cell = "white-space:nowrap;padding:1px 6px;font-family:monospace;text-align:"
    rows = "".join(
        "<tr>"
        f"<td class='tk-doc' style='{cell}left;color:#777'>{esc(str(r.doc_id))}</td>"
        f"<td class='tk-left' style='{cell}right'>{esc(clip_left(str(r.left)))}</td>"
        f"<td class='tk-kw' style='{cell}center;font-weight:bold'>"
        f"<mark>{esc(str(r.keyword))}</mark></td>"
        f"<td class='tk-right' style='{cell}left'>{esc(clip_right(str(r.right)))}</td></tr>"
        for r in shown.itertuples()
    )
    note = (
        f"<p>showing {len(shown)} of {n_lines:,} lines; <code>tk.explore(conc)</code> shows "
        "them all, to sort, filter and read in their paragraphs</p>"
        if n_lines > len(shown)
        else ""
    )
    caption = esc(f"{pattern!r}: {n_lines:,} lines, window {window}")
    return (
        "<div style='overflow-x:auto;max-width:100%'>"
        "<table class='tk-conc' style='width:auto'>"
        f"<caption style='text-align:left'>{caption}</caption>"
        "<thead><tr><th style='text-align:left'>doc_id</th>"
        "<th style='text-align:right'>left</th><th style='text-align:center'>keyword</th>"
        "<th style='text-align:left'>right</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>{note}"
    )


def _counted(
    vocab: np.ndarray, terms: np.ndarray, docs: np.ndarray, lines: int, column: str
) -> pd.DataFrame:
    """Counts of ``terms`` (ids into ``vocab``) with the number of distinct ``docs`` of each,
    most frequent first (ties alphabetically)."""
    terms = np.asarray(terms, dtype=np.int64)
    if len(terms) == 0:
        return pd.DataFrame(
            {column: pd.Series([], dtype=object), "count": [], "docs": [], "share": []}
        ).astype({"count": np.int64, "docs": np.int64, "share": float})
    ids, count = np.unique(terms, return_counts=True)
    pairs = np.unique(terms * (int(np.max(docs)) + 1) + docs)
    _, docs_per = np.unique(pairs // (int(np.max(docs)) + 1), return_counts=True)
    frame = pd.DataFrame(
        {
            column: np.asarray(vocab, dtype=object)[ids],
            "count": count.astype(np.int64),
            "docs": docs_per.astype(np.int64),
            "share": count / max(lines, 1),
        }
    )
    return frame.sort_values(["count", column], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


@fill_doc
def kwic(
    corpus: Corpus | ShardedCorpus,
    pattern: str | Sequence[str],
    window: int = 5,
    match: str = "glob",
    case_sensitive: bool = False,
    layer: str = "word",
    *,
    limit: int | None = None,
    sample: int | None = None,
    seed: int | None = 0,
) -> Concordance | ShardedConcordance:
    """Keyword-in-context lines of a word, phrase or pattern.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        {params.corpus}
        Searched alone: a subset made by ``corpus.query(...)`` finds only its own hits.
        A :class:`~toolkit.shards.ShardedCorpus` is searched shard by shard.
    pattern : str or list of str
        {params.pattern}
    window : int
        {params.window}
        Punctuation counts as tokens, as in quanteda.
    match : {"glob", "regex", "fixed", "cqp"}
        {params.match}
    case_sensitive : bool
        {params.case_sensitive}
    layer : str
        {params.layer}
        ``kwic(c, "threat", layer="lemma")`` finds *threats* too.
    limit : int, optional
        Keep only the first ``limit`` lines in corpus order.  On a sharded corpus the
        shards after the one that completes them are never opened, so the first thousand
        lines of a word come back at once even from hundreds of millions of tokens.
    sample : int, optional
        Keep ``sample`` lines drawn at random without replacement (all if fewer), shown in
        corpus order: the same lines as ``kwic(...).sample(sample, seed)``, on one index or
        on shards.  Not together with ``limit``.
    seed : int, optional
        {params.seed}
        Used by ``sample``.

    Returns
    -------
    Concordance or ShardedConcordance
        A :class:`ShardedConcordance` for a :class:`~toolkit.shards.ShardedCorpus`: the
        lines found shard by shard, in corpus order, the same as on one index.

    Raises
    ------
    LimitError
        ``window`` above the option ``max_window``; raised before any work.  Raise the
        limit with ``tk.set_options(max_window=...)``.
    ParameterError
        ``window`` negative or not a whole number; ``match`` unknown; ``pattern`` not a
        string or list of strings.
    PatternError
        A blank pattern; an invalid regular expression (the message shows it and why); a
        pattern whose matching against the vocabulary took longer than the option
        ``pattern_timeout`` (default 5 s).  All three are ``ValueError`` subclasses.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["North Korea warned Japan."]}))
    >>> conc = tk.kwic(c, "north korea", window=2)
    >>> len(conc), conc.to_frame()["right"].tolist()
    (1, ['warned Japan'])

    A window wider than the limit is refused before the corpus is searched:

    >>> tk.kwic(c, "korea", window=10**9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toolkit.errors.LimitError: window=1000000000 is wider than the largest context window, \
1,000 tokens (limit: the option 'max_window'; see tk.set_options)
    """
    window = check_window(window)
    check_patterns(pattern, match, case_sensitive)
    for name, value in (("limit", limit), ("sample", sample)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0
        ):
            raise ParameterError(name, value, f"{name} must be a whole number ≥ 0 or None")
    if limit is not None and sample is not None:
        raise ParameterError("sample", sample, "give limit or sample, not both")
    options: dict[str, Any] = {"match": match, "case_sensitive": case_sensitive, "layer": layer}
    if is_sharded(corpus):
        return _sharded_kwic(corpus, pattern, int(window), options, limit, sample, seed)
    view = corpus.index()
    starts, ends, which = find(view, pattern, **options)
    conc = Concordance(corpus, view, starts, ends, which, pattern, int(window))
    if sample is not None:
        return conc.sample(int(sample), seed=seed)
    if limit is not None:
        return conc.take(np.arange(min(int(limit), len(conc))))
    return conc


# --------------------------------------------------------------------------- on shards
def _kwic_part(
    shard: Corpus,
    pattern: str | Sequence[str],
    window: int,
    options: dict[str, Any],
    lines: int | np.ndarray | None,
) -> dict[str, Any]:
    """Task: the hits of one shard — their number, and the lines asked for as a frame
    (``lines``: the first n, the hit numbers given, or none)."""
    view = shard.index()
    starts, ends, which = find(view, pattern, **options)
    conc = Concordance(shard, view, starts, ends, which, pattern, window)
    if lines is None:
        return {"hits": len(conc), "frame": None}
    order = np.arange(min(lines, len(conc))) if isinstance(lines, int) else np.asarray(lines)
    return {"hits": len(conc), "frame": conc.take(order).to_frame()}


def _sharded_kwic(
    corpus: ShardedCorpus,
    pattern: str | Sequence[str],
    window: int,
    options: dict[str, Any],
    limit: int | None,
    sample: int | None,
    seed: int | None,
) -> ShardedConcordance:
    frames: list[pd.DataFrame] = []
    if sample is not None:
        # the hits of each shard first, then the same draw as Concordance.sample
        hits = [p["hits"] for p in corpus.map(_kwic_part, pattern, window, options, None)]
        total = int(sum(hits))
        rng = np.random.default_rng(seed)
        chosen = np.sort(rng.choice(total, size=min(sample, total), replace=False))
        bounds = np.concatenate([[0], np.cumsum(hits)])
        picks = [chosen[(chosen >= a) & (chosen < b)] - a for a, b in itertools.pairwise(bounds)]
        parts = corpus.map(_kwic_part, pattern, window, options, each=picks)
        frames = [p["frame"] for p in parts]
        return ShardedConcordance(corpus, frames, pattern, window, total)
    if limit is None:
        parts = corpus.map(_kwic_part, pattern, window, options, np.iinfo(np.int64).max)
        frames = [p["frame"] for p in parts]
        return ShardedConcordance(corpus, frames, pattern, window, sum(p["hits"] for p in parts))
    wanted, seen = int(limit), 0
    complete = True
    for part in corpus.iter_map(_kwic_part, pattern, window, options, int(limit)):
        frame = part["frame"].iloc[: wanted - seen]
        frames.append(frame)
        seen += len(frame)
        if seen >= wanted:
            complete = False
            break
    return ShardedConcordance(corpus, frames, pattern, window, seen if complete else None)


@fill_doc
class ShardedConcordance:
    """Concordance lines of a pattern in a :class:`~toolkit.shards.ShardedCorpus` (made by
    :func:`kwic`): the lines of every shard, in corpus order.

    ``len(conc)`` is the number of lines held; ``conc.total`` the number of hits in the
    corpus (``None`` when ``limit=`` stopped the search before the last shard).

    Made by :func:`toolkit.kwic` given a sharded corpus; not usually constructed by hand.

    Parameters
    ----------
    corpus : ShardedCorpus
        {params.corpus}
        Here the sharded corpus (or selection of one) that was searched.
    frames : list of pandas.DataFrame
        The lines of each shard, in corpus order, each with the columns of
        :meth:`Concordance.to_frame` (``doc_id``, ``start``, ``end``, ``left``,
        ``keyword``, ``right``); they are joined in this order.
    pattern : str or list of str
        {params.pattern}
        Kept to describe the concordance; the hits are already found.
    window : int
        {params.window}
    total : int or None
        The number of hits in the whole corpus, or ``None`` when the search stopped
        before the last shard (``limit=``), so the total is not known.

    Examples
    --------
    >>> import tempfile
    >>> import toolkit as tk
    >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), shard_mb=3,
    ...                         progress=False)
    >>> conc = tk.kwic(store, "nuclear", limit=10)
    >>> len(conc), conc.to_frame().equals(tk.kwic(store.to_corpus(), "nuclear",
    ...                                           limit=10).to_frame())
    (10, True)
    """

    def __init__(
        self,
        corpus: ShardedCorpus,
        frames: list[pd.DataFrame],
        pattern: str | Sequence[str],
        window: int,
        total: int | None,
    ) -> None:
        self.corpus = corpus
        self.pattern = pattern
        self.window = window
        self.total = total
        columns = ["doc_id", "start", "end", "left", "keyword", "right"]
        full = [f for f in frames if len(f)]
        if full:
            self._frame = pd.concat(full, ignore_index=True)
        elif frames:  # typed as a shard's own empty result, as on one index
            self._frame = frames[0].reset_index(drop=True)
        else:
            self._frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}).astype(
                {"start": np.int64, "end": np.int64}
            )

    def __len__(self) -> int:
        return len(self._frame)

    def to_frame(self, meta: bool | Sequence[str] = False) -> pd.DataFrame:
        """The lines as a DataFrame, as :meth:`Concordance.to_frame`.

        Parameters
        ----------
        meta : bool or list of str, default False
            Add the documents' metadata columns (all, or those named).

        Returns
        -------
        pandas.DataFrame
            ``doc_id``, ``start``, ``end``, ``left``, ``keyword``, ``right``, then any
            metadata, in corpus order.

        Examples
        --------
        >>> import tempfile
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War and peace.", "Peace!"],
        ...                                     "year": [1990, 2000]}))
        >>> store = tk.build_shards(c, tempfile.mkdtemp(), progress=False)
        >>> tk.kwic(store, "peace", window=1).to_frame(meta=["year"])
          doc_id  start  end left keyword right  year
        0      0      2    3  and   peace     .  1990
        1      1      0    1        Peace     !  2000
        """
        df = self._frame.copy()
        if meta is not False:
            m = self.corpus.meta
            cols = list(m.columns) if meta is True else metadata_columns(m, meta, "meta")
            extra = m[cols].loc[df["doc_id"].to_numpy()].reset_index(drop=True)
            df = pd.concat([df, extra], axis=1)
        return df

    def to_csv(self, path: str | os.PathLike, meta: bool | Sequence[str] = False) -> None:
        """Write the lines to a UTF-8 CSV file (as :meth:`Concordance.to_csv`).

        Parameters
        ----------
        path : str or path
            The file written (replaced if it exists).
        meta : bool or list of str, default False
            Add the documents' metadata columns (all, or those named).

        Examples
        --------
        >>> import os
        >>> import tempfile
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War and peace."]}))
        >>> store = tk.build_shards(c, tempfile.mkdtemp(), progress=False)
        >>> path = os.path.join(tempfile.mkdtemp(), "peace.csv")
        >>> tk.kwic(store, "peace", window=2).to_csv(path)
        >>> pd.read_csv(path)["keyword"].tolist()
        ['peace']
        """
        self.to_frame(meta=meta).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")

    def __repr__(self) -> str:
        total = "" if self.total is None else f" of {self.total:,} hits"
        return (
            f"<ShardedConcordance of {self.pattern!r}: {len(self):,} lines{total}, "
            f"window {self.window}>"
        )

    def _repr_html_(self, max_rows: int = 50) -> str:
        return _lines_html(self._frame.head(max_rows), self.pattern, self.window, len(self))
