"""Text cleaning that keeps the source: named steps, each with an alignment to the original.

Scanned and typeset speeches carry the marks of their pages: words hyphenated at line ends
(``energy-\\nshortage``), page numbers and running heads in the middle of sentences
(``the United\\n38\\n\\nNations``), and lines hard-wrapped at the width of a printed column.
Cleaning removes them **without losing the original**: every step is a pure function
``text -> (cleaned_text, alignment)``, where the :class:`Alignment` maps each character of
the cleaned text back to an offset in the text it came from.  Steps compose into a
:class:`Cleaner`, whose alignment maps the final text to the original, so a concordance line
or a sentence of the cleaned corpus can always be shown as the span of the original it
came from, and a researcher can report, per document, what each step changed.

Steps (in the default order)
----------------------------
``"nfc"``
    Unicode normalisation form C (composed characters), so that ``é`` written as ``e`` and
    a combining accent counts as the same word as ``é``.
``"running_heads"``
    Lines repeated on the pages of a document (``General Assembly 22nd plenary meeting``,
    ``29/09/2015 A/70/PV.16``).  Conservative: a line is a running head only when it is
    repeated and most of its occurrences stand next to a page number, or when it is a
    United Nations document symbol or date standing next to one; repeated salutations
    (``Mr. President,``) and repeated sentences of a speech are never removed.  It needs the
    page numbers as anchors, so it runs before ``"page_numbers"``.
``"page_numbers"``
    Lines that hold only a page number (``38``, ``- 38 -``), a page of a total (``30/51``)
    or a United Nations job number with or without a page (``08-53122 26``).  The line goes
    with the blank lines after it; the line break before it stays.
``"hyphens"``
    Words hyphenated at a line end (``co-\\noperation``), and at the discretionary-hyphen
    mark ``¬`` of some scanned records, are rejoined, **with or without the hyphen** as the
    evidence says (see :class:`Hyphens`).
``"unwrap"``
    Hard-wrapped lines are rejoined into paragraphs, one paragraph per line (see
    :class:`Unwrap`).
``"spaced_hyphens"``
    The same for words split by a hyphen and a space on one line (``energy- shortage``,
    ``non- aligned``), as texts whose line breaks became spaces keep them, and as unwrapping
    leaves a hyphen that ended a paragraph's line; a suspended hyphen (``medium- and
    long-term``) stays (see :class:`SpacedHyphens`).

A step can also be any function ``str -> str`` (its alignment is then found by comparing
the texts, see :class:`FunctionStep`) or ``str -> (str, Alignment)``, and
:class:`Replace` applies a regular expression with an exact alignment.

Evidence from the United Nations General Debate Corpus (10,952 speeches, 1946-2024)
-------------------------------------------------------------------------------------
* Line-end hyphens are mostly **real compounds**: of 7,953 line-end hyphens between
  letters, the corpus (elsewhere, not at a line end) writes 7,247 more often with the hyphen
  (``Secretary-\\nGeneral``, ``socio-\\neconomic``, ``post-\\nconflict``), 369 more often
  joined (``peace-\\nkeeping``: 4,158 joined against 3,910 hyphenated, ``technolo-\\ngies``),
  7 equally often and 330 never (``self-\\nmade``).  Always joining would create thousands
  of non-words (``Secretarygeneral``); hence the evidence rule of :class:`Hyphens`.
* Of the 6,408 lines that hold only a number, 6,397 belong to a run of consecutive page
  numbers of their document; the other 11 are page numbers damaged by OCR (``1`` between
  ``11`` and ``13``).  Lines of a job number and a page (``08-53135 30``, ``17 08-51570``)
  occur about 2,500 times in the speeches of 2008-2015.
* Repeated short lines next to page numbers include running heads (``A/63/PV.13``: 34
  times, ``General Assembly 21st plenary meeting``: 24) but also speech: ``Nations.``,
  ``development.``, ``Mr. President,`` (once beside a page number, 1,213 times elsewhere),
  ``Because we believe in human dignity, the United`` (an anaphora, 4 times).  Hence the
  rule that most occurrences, and at least two, must stand by a page number.
* The mark ``¬`` stands between the two parts of 1,786 words in 64 scanned speeches of 1982
  (``conse¬quences``, ``front¬line``); nearly all are joined by the evidence rule.
* 4,507 speeches are hard-wrapped (lines of 40-60 characters, the two-column layout of the
  Official Records); many separate paragraphs with a single line break, so blank lines
  cannot tell paragraphs apart (see :class:`Unwrap`).
* The default cleaning of the whole corpus removes 9,263 page-number lines (3,353
  speeches) and 568 running heads (206 speeches), joins 1,975 hyphenated words and keeps
  the hyphen of 7,805, and rejoins 1,173,289 line breaks (7,333 speeches).  Its sentences
  (:func:`toolkit.segment.segment`) then number 1,327,493 instead of 1,513,208, and those
  without final punctuation 1.1% instead of 13.0%; none ends in a page number
  (``…the United\n38``), against 4,632 before (``benchmarks/sentences.py``).

Examples
--------
>>> text = "the United\\n38\\n\\nNations and co-\\noperation."
>>> cleaned, alignment = clean_text(text, steps=["page_numbers", "hyphens"])
>>> cleaned
'the United\\nNations and co-operation.'
>>> text[alignment[11]], int(alignment[11])
('N', 15)
"""

from __future__ import annotations

import difflib
import hashlib
import inspect
import json
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import REMOVED_IN, Renamed, renamed_arguments
from .corpus import BufferSource, Corpus, SegmentSource, TextSource, digest, register_step
from .errors import NotFoundError, OutOfRangeError, ParameterError, ParameterTypeError

__all__ = [
    "Alignment",
    "Step",
    "NFC",
    "RunningHeads",
    "PageNumbers",
    "Hyphens",
    "SpacedHyphens",
    "Unwrap",
    "Replace",
    "FunctionStep",
    "Cleaner",
    "CleanedText",
    "CleaningRecord",
    "STEPS",
    "DEFAULT_STEPS",
    "clean_text",
    "clean_corpus",
    "cleaning_record",
    "original_spans",
    "spans_in_original",
]

_I64 = np.int64


# ============================================================================ alignment
class Alignment:
    """Where each character of a cleaned text comes from in the original text.

    Stored compactly as *runs* (a few numbers per edit, not one per character): run ``k``
    begins at cleaned offset ``starts[k]``, whose character comes from original offset
    ``origins[k]``, and inside a run both offsets advance together, so cleaned offset ``i``
    maps to ``origins[k] + i - starts[k]``.  Original text that was deleted lies between
    the runs.  ``inserted`` lists the cleaned offsets of the characters that are *not* a
    copy of the original character they map to (a line break turned into a space, text a
    step added); every other character ``i`` satisfies
    ``original[alignment[i]] == cleaned[i]``.

    An inserted character maps to the start of the original text it replaced (a character
    added after the replaced text maps to the end of it).  The end of the cleaned text,
    offset ``len(cleaned)``, maps to the end of the original.

    Parameters
    ----------
    starts, origins : array of int
        Run starts in the cleaned text (ascending, the first 0) and their original offsets.
    inserted : array of int
        Sorted cleaned offsets of inserted characters.
    length, original_length : int
        Lengths of the cleaned and the original text.

    Examples
    --------
    >>> original = "co-\\noperation"
    >>> cleaned, a = Hyphens()(original)
    >>> cleaned
    'co-operation'
    >>> a.to_original([0, 3, 12]).tolist()
    [0, 4, 13]
    >>> a.original_span(0, 12)
    (0, 13)
    >>> all(original[a[i]] == cleaned[i] for i in range(len(cleaned)) if i not in a.inserted)
    True
    """

    __slots__ = ("starts", "origins", "inserted", "length", "original_length")

    def __init__(
        self,
        starts: Any,
        origins: Any,
        inserted: Any,
        length: int,
        original_length: int,
    ) -> None:
        self.starts = np.asarray(starts, dtype=_I64)
        self.origins = np.asarray(origins, dtype=_I64)
        self.inserted = np.asarray(inserted, dtype=_I64)
        self.length = int(length)
        self.original_length = int(original_length)
        if len(self.starts) != len(self.origins):
            raise ParameterError(
                "origins",
                None,
                f"an alignment needs one origin per run: {len(self.origins)} origins for "
                f"{len(self.starts)} starts",
            )
        if self.length and (len(self.starts) == 0 or self.starts[0] != 0):
            raise ParameterError(
                "starts", None, "the first run of a non-empty alignment must start at 0"
            )

    @classmethod
    def identity(cls, length: int) -> Alignment:
        """The alignment of a text to itself.

        Parameters
        ----------
        length : int
            The length of the text.

        Examples
        --------
        >>> Alignment.identity(5).to_original([0, 4, 5]).tolist()
        [0, 4, 5]
        """
        runs = [0] if length else []
        return cls(runs, runs, [], length, length)

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return self.length

    def __repr__(self) -> str:
        return (
            f"Alignment({self.length} characters from {self.original_length}: "
            f"{len(self.starts)} runs, {len(self.inserted)} inserted)"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Alignment):
            return NotImplemented
        return (
            self.length == other.length
            and self.original_length == other.original_length
            and np.array_equal(self.starts, other.starts)
            and np.array_equal(self.origins, other.origins)
            and np.array_equal(self.inserted, other.inserted)
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def is_identity(self) -> bool:
        """True when the cleaned text is the original, unchanged."""
        return (
            self.length == self.original_length
            and len(self.inserted) == 0
            and len(self.starts) <= 1
            and (len(self.starts) == 0 or self.origins[0] == 0)
        )

    def _map(self, positions: np.ndarray) -> np.ndarray:
        out = np.full(len(positions), self.original_length, dtype=_I64)
        inside = positions < self.length
        if inside.any():
            p = positions[inside]
            k = np.searchsorted(self.starts, p, side="right") - 1
            out[inside] = self.origins[k] + (p - self.starts[k])
        return out

    def to_original(self, positions: Any) -> np.ndarray:
        """Original offsets of cleaned offsets (``0 … len(cleaned)``), as an int64 array.

        Parameters
        ----------
        positions : int or array-like of int
            Offsets in the cleaned text, from 0 to ``len(cleaned)`` (its end).

        Raises
        ------
        OutOfRangeError
            For an offset outside ``0 … len(cleaned)`` (an ``IndexError``).

        Examples
        --------
        >>> cleaned, a = PageNumbers()("the United\\n38\\n\\nNations agreed")
        >>> cleaned[11], a.to_original([0, 4, 11, len(cleaned)]).tolist()
        ('N', [0, 4, 15, 29])
        """
        p = np.atleast_1d(np.asarray(positions, dtype=_I64))
        if len(p) and (p.min() < 0 or p.max() > self.length):
            bad = p[(p < 0) | (p > self.length)][:5].tolist()
            raise OutOfRangeError(
                "positions", bad, f"cleaned offsets must lie in 0 … {self.length}, not {bad}"
            )
        return self._map(p)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.to_original(np.arange(self.length + 1)[i])
        if np.ndim(i) == 0:
            return self.to_original([i])[0]
        return self.to_original(i)

    def is_copied(self, positions: Any) -> np.ndarray:
        """True for each cleaned offset whose character copies the original character.

        Parameters
        ----------
        positions : int or array-like of int
            Offsets in the cleaned text.

        Returns
        -------
        numpy.ndarray of bool
            ``False`` where the character is inserted (see :class:`Alignment`).

        Examples
        --------
        >>> cleaned, a = Replace(r"\\n", " ")("war\\npeace")
        >>> cleaned, a.is_copied([0, 3, 4]).tolist()
        ('war peace', [True, False, True])
        """
        p = np.atleast_1d(np.asarray(positions, dtype=_I64))
        if not len(self.inserted):
            return np.ones(len(p), dtype=bool)
        k = np.searchsorted(self.inserted, p)
        hit = (k < len(self.inserted)) & (self.inserted[np.minimum(k, len(self.inserted) - 1)] == p)
        return ~hit

    def original_spans(self, starts: Any, ends: Any) -> tuple[np.ndarray, np.ndarray]:
        """Original ``(start, end)`` spans of cleaned spans ``[start, end)``, vectorised.

        The original span runs from the origin of the first character to just after the
        origin of the last one, so text deleted inside the span (a page number inside a
        sentence) is part of it, and text deleted before or after it is not.

        Parameters
        ----------
        starts, ends : array-like of int
            The cleaned spans ``[start, end)``, of the same length.

        Returns
        -------
        starts, ends : numpy.ndarray of int64
            The original spans.

        Examples
        --------
        >>> cleaned, a = PageNumbers()("the United\\n38\\n\\nNations agreed")
        >>> [x.tolist() for x in a.original_spans([0, 4], [3, 18])]
        [[0, 4], [3, 22]]
        """
        s = np.atleast_1d(np.asarray(starts, dtype=_I64))
        e = np.atleast_1d(np.asarray(ends, dtype=_I64))
        if len(s) != len(e):
            raise ParameterError(
                "ends",
                None,
                f"starts and ends must have the same length, not {len(s)} and {len(e)}",
            )
        if len(s) and (s.min() < 0 or e.max() > self.length or (e < s).any()):
            wrong = (s < 0) | (e > self.length) | (e < s)
            bad = list(zip(s[wrong][:5].tolist(), e[wrong][:5].tolist(), strict=True))
            raise OutOfRangeError(
                "starts",
                bad,
                f"cleaned spans [start, end) must lie in 0 … {self.length}, not {bad}",
            )
        os_ = self._map(s)
        nonempty = e > s
        oe = os_.copy()
        if nonempty.any():
            oe[nonempty] = self._map(e[nonempty] - 1) + 1
        return os_, np.maximum(oe, os_)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the cleaned span ``[start, end)``.

        Parameters
        ----------
        start, end : int
            The cleaned span (see :meth:`original_spans`).

        Examples
        --------
        >>> cleaned, a = PageNumbers()("the United\\n38\\n\\nNations agreed")
        >>> cleaned[4:18], a.original_span(4, 18)
        ('United\\nNations', (4, 22))
        """
        s, e = self.original_spans([start], [end])
        return int(s[0]), int(e[0])

    def to_array(self) -> np.ndarray:
        """The original offset of every cleaned character, one int64 per character.

        Examples
        --------
        >>> cleaned, a = PageNumbers()("a\\n7\\nb")
        >>> cleaned, a.to_array().tolist()
        ('a\\nb', [0, 1, 4])
        """
        return self._map(np.arange(self.length, dtype=_I64))

    # ------------------------------------------------------------------ composition
    def then(self, later: Alignment) -> Alignment:
        """The alignment of a text cleaned twice: ``self`` maps the intermediate text to the
        original, ``later`` maps the final text to the intermediate one.

        Parameters
        ----------
        later : Alignment
            The alignment of the second cleaning, from the text ``self`` made.

        Examples
        --------
        >>> mid, a = PageNumbers()("well-\\n7\\nknown")
        >>> final, b = Hyphens()(mid)
        >>> final, a.then(b).to_original(range(len(final))).tolist()
        ('well-known', [0, 1, 2, 3, 4, 8, 9, 10, 11, 12])
        """
        a, b = self, later
        if b.original_length != a.length:
            raise ParameterError(
                "later",
                b,
                f"cannot compose: the later alignment starts from {b.original_length} "
                f"characters, the earlier one ends with {a.length}",
            )
        if b.length == 0:
            return Alignment([], [], [], 0, a.original_length)
        b_len = np.diff(np.append(b.starts, b.length))
        # Split b's runs where their image in the intermediate text crosses a run of a, or
        # reaches its end (which a maps to the end of the original, not linearly).
        cuts = np.append(a.starts[1:], a.length)
        extra = _points_in_runs(b.starts, b.origins, b_len, cuts, inside=True)
        starts = np.union1d(b.starts, extra)
        origins = a._map(b._map(starts))
        # Characters that copy an intermediate character a step had inserted are inserted.
        copies = _points_in_runs(b.starts, b.origins, b_len, a.inserted, inside=False)
        inserted = np.union1d(b.inserted, copies) if len(copies) else b.inserted
        starts, origins = _merge_runs(starts, origins)
        return Alignment(starts, origins, inserted, b.length, a.original_length)


def _points_in_runs(
    starts: np.ndarray, origins: np.ndarray, lengths: np.ndarray, points: np.ndarray, inside: bool
) -> np.ndarray:
    """Cleaned offsets at which runs (``starts``, ``origins``, ``lengths``) reach the sorted
    original ``points``: for each run, the points in ``[origin, origin + length)`` (without
    the run's first point when ``inside``)."""
    if not len(points) or not len(starts):
        return np.zeros(0, dtype=_I64)
    lo = np.searchsorted(points, origins, side="right" if inside else "left")
    hi = np.searchsorted(points, origins + lengths, side="left")
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=_I64)
    run = np.repeat(np.arange(len(starts)), counts)
    offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    hit = points[np.repeat(lo, counts) + offset]
    return starts[run] + (hit - origins[run])


def _merge_runs(starts: np.ndarray, origins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop run starts that only continue the run before them."""
    if len(starts) < 2:
        return starts, origins
    keep = np.ones(len(starts), dtype=bool)
    keep[1:] = (origins[1:] - origins[:-1]) != (starts[1:] - starts[:-1])
    return starts[keep], origins[keep]


def apply_edits(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, Alignment]:
    """Apply edits ``(start, end, replacement)`` to ``text``, with the alignment.

    Edits must be sorted and must not overlap.  Characters of a replacement that equal the
    original character at the same place count as copied, the others as inserted.

    Examples
    --------
    >>> apply_edits("one\\ntwo  three", [(3, 4, " "), (8, 9, "")])
    ('one two three', Alignment(13 characters from 14: 2 runs, 1 inserted))
    """
    parts: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    inserted: list[int] = []
    pos = c = 0
    n = len(text)
    for s, e, r in edits:
        if s < pos or e < s or e > n:
            raise ParameterError(
                "edits",
                (s, e, r),
                f"edits must be sorted, inside the text and not overlap: {(s, e)}",
            )
        if s > pos:
            parts.append(text[pos:s])
            starts.append(c)
            origins.append(pos)
            c += s - pos
        if r:
            parts.append(r)
            d = e - s
            if d:
                starts.append(c)
                origins.append(s)
            for i, ch in enumerate(r):
                if i >= d:
                    if i > d or not d:
                        starts.append(c + i)
                        origins.append(e)
                    inserted.append(c + i)
                elif ch != text[s + i]:
                    inserted.append(c + i)
            c += len(r)
        pos = e
    if pos < n:
        parts.append(text[pos:])
        starts.append(c)
        origins.append(pos)
        c += n - pos
    st, og = _merge_runs(np.asarray(starts, dtype=_I64), np.asarray(origins, dtype=_I64))
    return "".join(parts), Alignment(st, og, inserted, c, n)


# ============================================================================ steps
class StepResult(NamedTuple):
    """What one step made of one text."""

    text: str
    alignment: Alignment
    changes: dict[str, int]


class Step:
    """A named cleaning step: a pure function ``text -> (cleaned_text, alignment)``.

    Subclasses implement :meth:`run`, which also counts what it changed; ``version`` is
    bumped whenever a step's rules change, so cache keys built from
    :attr:`Cleaner.version` change with them.  A step takes no arguments itself; its
    subclasses take their settings.

    Examples
    --------
    >>> class Shout(Step):
    ...     name = "shout"
    ...
    ...     def run(self, text):
    ...         return StepResult(text.upper(), Alignment.identity(len(text)), {"chars": len(text)})
    >>> Shout()("peace")[0], Shout().run("war").changes, Shout().description
    ('PEACE', {'chars': 3}, 'shout/1')
    """

    name: str = "step"
    version: str = "1"
    #: Steps that must come *after* this one in a pipeline, if both are present.
    before: tuple[str, ...] = ()

    def run(self, text: str) -> StepResult:  # pragma: no cover - abstract
        """Clean one text: the cleaned text, its alignment to ``text``, and the step's counts.

        Parameters
        ----------
        text : str
            The text to clean.

        Returns
        -------
        StepResult
            ``text``, ``alignment`` and ``changes`` (the step's counts by name).

        Examples
        --------
        >>> PageNumbers().run("a\\n7\\nb").changes
        {'lines': 1}
        """
        raise NotImplementedError

    def __call__(self, text: str) -> tuple[str, Alignment]:
        result = self.run(text)
        return result.text, result.alignment

    def params(self) -> dict[str, Any]:
        """The settings that change what the step does (part of its description).

        Examples
        --------
        >>> RunningHeads(max_chars=60).params()
        {'max_chars': 60, 'min_anchored': 2, 'lines': 2}
        """
        return {}

    @property
    def description(self) -> str:
        """``name/version`` and the settings, as canonical JSON (stable across sessions)."""
        params = self.params()
        body = json.dumps(params, sort_keys=True, ensure_ascii=True, default=str)
        return f"{self.name}/{self.version}" + (body if params else "")

    @fill_doc
    def fit(self, corpus: Corpus | Iterable[str]) -> Step:
        """A copy of the step that uses evidence from a corpus; most steps need none.

        Parameters
        ----------
        corpus : Corpus or iterable of str
            {params.corpus}
            Plain texts serve too.

        Examples
        --------
        >>> step = PageNumbers()
        >>> step.fit(["a\\n7\\nb"]) is step  # page numbers need no evidence
        True
        """
        return self

    def __repr__(self) -> str:
        return f"<cleaning step {self.description}>"


class NFC(Step):
    """Unicode normalisation form C: canonical composition (``e`` + combining acute → ``é``).

    A composed character maps to the first character of the sequence it replaces and counts
    as inserted.  Counts ``characters``: the number of such characters.

    Examples
    --------
    >>> cleaned, a = NFC()("Cafe\\u0301 noir")
    >>> cleaned, len(cleaned), a.inserted.tolist(), int(a[4])
    ('Café noir', 9, [3], 5)
    """

    name = "nfc"

    def run(self, text: str) -> StepResult:
        if unicodedata.is_normalized("NFC", text):
            return StepResult(text, Alignment.identity(len(text)), {"characters": 0})
        edits = []
        # Normalise cluster by cluster (a character and the marks or jamo that follow it),
        # checked against normalising the whole text; if they ever disagree, the whole text
        # is one replaced span (never wrong, only coarse).
        target = unicodedata.normalize("NFC", text)
        for m in _CLUSTER.finditer(text):
            piece = m.group()
            norm = unicodedata.normalize("NFC", piece)
            if norm != piece:
                edits.append((m.start(), m.end(), norm))
        out, alignment = apply_edits(text, edits)
        if out != target:
            out, alignment = apply_edits(text, [(0, len(text), target)])
        return StepResult(out, alignment, {"characters": int(len(alignment.inserted))})


# A starter and everything that may compose with it (marks, Hangul jamo, …); the check
# against whole-text normalisation in NFC.run makes this a speed-up, not a rule.
_CLUSTER = re.compile(
    r".[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
    r"\u0670\u06d6-\u06ed\u0900-\u0dff\u1100-\u11ff\u1ab0-\u1aff\u1dc0-\u1dff"
    r"\u20d0-\u20ff\u302a-\u302f\u3099\u309a\ufe20-\ufe2f\U0001d165-\U0001d1ad]*",
    re.S,
)


# ---------------------------------------------------------------------------- page furniture
_PAGE_ALTERNATIVES = (
    r"[-–—]?[^\S\n]*\d{1,4}[^\S\n]*[-–—]?"
    r"|\d{1,4}/\d{1,4}"
    r"|\d{2}-\d{5}(?:[^\S\n]+\d{1,4}(?:/\d{1,4})?)?"
    r"|\d{1,4}(?:/\d{1,4})?[^\S\n]+\d{2}-\d{5}"
)
#: A line that is only a page number: ``38``, ``- 38 -``, ``— 38 —``, a page of a total
#: ``30/51``, or a United Nations job number (``08-53122``) with or without a page number
#: (compared without the white space around it).
PAGE_LINE = re.compile(_PAGE_ALTERNATIVES)
# The same after a line break (a literal first character makes the search fast).
_PAGE_AFTER_BREAK = re.compile(r"\n[^\S\n]*(?:" + _PAGE_ALTERNATIVES + r")[^\S\n]*(?=\n|\Z)")
# A line break and the blank lines after it.
_BREAK_AND_BLANKS = re.compile(r"\n(?:[^\S\n]*\n)*")
#: A United Nations document symbol (``A/70/PV.16``, ``A/75/592/Add.8``) or a date
#: (``29/09/2015``), or both, alone on a line: the running heads of the Official Records.
HEADER_LINE = re.compile(
    r"(?:\d{1,2}/\d{1,2}/\d{4}[^\S\n]+)?[A-Z]{1,2}/\d{1,3}(?:/[A-Za-z0-9.]+)+"
    r"(?:[^\S\n]+\d{1,2}/\d{1,2}/\d{4})?"
    r"|\d{1,2}/\d{1,2}/\d{4}"
)


def _page_line_starts(text: str) -> list[int]:
    """Offsets of the lines of ``text`` that hold only a page number."""
    starts = [m.start() + 1 for m in _PAGE_AFTER_BREAK.finditer(text)]
    first = text.find("\n")
    if PAGE_LINE.fullmatch(text[: len(text) if first < 0 else first].strip()):
        starts.insert(0, 0)
    return starts


def _line_deletions(text: str, line_starts: Iterable[int]) -> list[tuple[int, int, str]]:
    """Edits that delete the lines starting at these offsets, each with the blank lines
    after it; the line break before a deleted line stays, so what was around it stays apart."""
    spans: list[list[int]] = []
    for start in sorted(set(line_starts)):
        nl = text.find("\n", start)
        blank = _BREAK_AND_BLANKS.match(text, nl) if nl >= 0 else None
        end = len(text) if blank is None else blank.end()
        if spans and spans[-1][1] >= start:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(s, e, "") for s, e in spans]


class _Lines:
    """The lines of a text (split at ``\\n``) with their offsets and stripped contents."""

    __slots__ = ("text", "starts", "stripped", "nonblank")

    def __init__(self, text: str) -> None:
        self.text = text
        lines = text.split("\n")
        lengths = np.fromiter(map(len, lines), dtype=_I64, count=len(lines))
        self.starts = np.zeros(len(lines) + 1, dtype=_I64)
        np.cumsum(lengths + 1, out=self.starts[1:])
        self.stripped = [line.strip() for line in lines]
        self.nonblank = [i for i, s in enumerate(self.stripped) if s]


class PageNumbers(Step):
    """Delete lines that hold only a page number (see :data:`PAGE_LINE`).

    The page-number line and the blank lines after it are deleted; the line break before it
    stays, so ``"the United\\n38\\n\\nNations"`` becomes ``"the United\\nNations"`` (and
    :class:`Unwrap` can then join the two lines).  Counts ``lines``.

    Examples
    --------
    >>> PageNumbers()("peace and\\n- 12 -\\n\\nsecurity\\n08-53122 26\\nfor all")[0]
    'peace and\\nsecurity\\nfor all'
    """

    name = "page_numbers"

    def run(self, text: str) -> StepResult:
        starts = _page_line_starts(text)
        if not starts:
            return StepResult(text, Alignment.identity(len(text)), {"lines": 0})
        out, alignment = apply_edits(text, _line_deletions(text, starts))
        return StepResult(out, alignment, {"lines": len(starts)})


class RunningHeads(Step):
    """Delete running heads: short lines repeated beside the page numbers of a document.

    A non-blank line of at most ``max_chars`` characters (compared without surrounding
    white space) is a running head when

    * it occurs at least twice in the document, at least ``min_anchored`` of its
      occurrences lie within ``lines`` non-blank lines of a page-number line (see
      :data:`PAGE_LINE`), and more than half of them do; or
    * it is a United Nations document symbol or date (:data:`HEADER_LINE`, e.g.
      ``29/09/2015 A/70/PV.16``) and one of its occurrences lies within ``lines + 1``
      lines of a page number.

    Every occurrence of a running head is deleted (also one at the top of the first page,
    which has no page number beside it), with the blank lines after it.  Page numbers are
    the anchors, so this step must run before :class:`PageNumbers`.  Counts ``lines``.

    Parameters
    ----------
    max_chars : int
        The longest line (without surrounding white space) that can be a running head.
    min_anchored : int
        How many of a line's occurrences at least must lie near a page number.
    lines : int
        How near: within this many non-blank lines of a page-number line.  Replaces
        ``window`` (deprecated: a ``window`` is a context size in tokens elsewhere).

    Examples
    --------
    >>> page = "General Assembly 22nd meeting\\n{}\\nText of page {}.\\n"
    >>> text = "".join(page.format(n, n) for n in (1, 2, 3))
    >>> RunningHeads()(text)[0]
    '1\\nText of page 1.\\n2\\nText of page 2.\\n3\\nText of page 3.\\n'

    A head two lines from its page number is one only with ``lines=2`` or more:

    >>> page = "General Assembly 22nd meeting\\nText of page {0}.\\n{0}\\nEnd of page {0}.\\n"
    >>> text = "".join(page.format(n) for n in (1, 2, 3))
    >>> RunningHeads(lines=1)(text)[0] == text, RunningHeads(lines=2).run(text).changes
    (True, {'lines': 3})
    """

    name = "running_heads"
    before = ("page_numbers",)

    @renamed_arguments({"window": Renamed("lines")})
    def __init__(self, max_chars: int = 80, min_anchored: int = 2, lines: int = 2) -> None:
        self.max_chars = max_chars
        self.min_anchored = min_anchored
        self.lines = lines

    @property
    def window(self) -> int:
        """Deprecated name of :attr:`lines`."""
        warnings.warn(
            f"RunningHeads.window is deprecated and will stop working in toolkit {REMOVED_IN}; "
            "use RunningHeads.lines instead",
            FutureWarning,
            stacklevel=2,
        )
        return self.lines

    def params(self) -> dict[str, Any]:
        return {
            "max_chars": self.max_chars,
            "min_anchored": self.min_anchored,
            "lines": self.lines,
        }

    def run(self, text: str) -> StepResult:
        pages = set(_page_line_starts(text))
        if not pages:
            return StepResult(text, Alignment.identity(len(text)), {"lines": 0})
        lines = _Lines(text)
        nb = lines.nonblank
        stripped = [lines.stripped[i] for i in nb]
        line_starts = lines.starts.tolist()
        is_page = [line_starts[i] in pages for i in nb]
        anchors = np.flatnonzero(is_page)
        ks = np.arange(len(nb), dtype=_I64)
        j = np.searchsorted(anchors, ks)
        far = 1 << 30
        left = np.where(j > 0, ks - anchors[np.maximum(j - 1, 0)], far)
        right = np.where(j < len(anchors), anchors[np.minimum(j, len(anchors) - 1)] - ks, far)
        near = np.minimum(left, right).tolist()  # distance to the nearest page number
        occurrences: dict[str, list[int]] = {}
        for k, s in enumerate(stripped):
            if not is_page[k] and len(s) <= self.max_chars:
                occurrences.setdefault(s, []).append(k)
        drop: list[int] = []
        for s, found in occurrences.items():
            if len(found) >= 2:
                anchored = sum(1 for k in found if near[k] <= self.lines)
                repeated = anchored >= self.min_anchored and 2 * anchored > len(found)
            else:
                repeated = False
            if repeated or (
                "/" in s
                and HEADER_LINE.fullmatch(s)
                and any(near[k] <= self.lines + 1 for k in found)
            ):
                drop.extend(int(lines.starts[nb[k]]) for k in found)
        out, alignment = apply_edits(text, _line_deletions(text, drop))
        return StepResult(out, alignment, {"lines": len(drop)})


# ---------------------------------------------------------------------------- hyphens
_LETTERS = r"[^\W\d_]"
# A hyphen at a line end (white space may follow it), or the discretionary-hyphen mark ¬ of
# some scanned records (a line break may follow it).
_HYPHEN_BREAK = re.compile(r"-[^\S\n]*\n[^\S\n]*")
_NOT_SIGN = re.compile(r"¬[^\S\n]*(?:\n[^\S\n]*)?")
_HYPHEN_SPACE = re.compile(r"-[ \t]+")
_WORD_OR_COMPOUND = re.compile(rf"{_LETTERS}+(?:[-‐‑]{_LETTERS}+)*")


def _word_counts(texts: Iterable[str]) -> Counter:
    """Lower-cased counts of words and of adjacent hyphenated pairs (``co-operation`` in
    ``non-co-operation`` too), and of the parts of hyphenated compounds as words."""
    counts: Counter = Counter()
    for text in texts:
        for m in _WORD_OR_COMPOUND.findall(text.lower()):
            _count_form(counts, m, 1)
    return counts


def _count_form(counts: Counter, form: str, n: int) -> None:
    parts = re.split("[-‐‑]", form)
    for p in parts:
        counts[p] += n
    for a, b in zip(parts, parts[1:], strict=False):
        counts[f"{a}-{b}"] += n


def _letters_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The runs of letters that end at ``start`` and begin at ``end``."""
    i = start
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    j = end
    while j < len(text) and text[j].isalpha():
        j += 1
    return text[i:start], text[end:j]


class Hyphens(Step):
    """Rejoin words hyphenated at a line end, with or without the hyphen, as evidence says.

    A *candidate* is a hyphen between two letters with a line break after it
    (``co-\\noperation``; white space around the break is allowed), or the discretionary-hyphen
    mark ``¬`` between two letters (``conse¬quences``, in scanned records of the 1980s).  Let
    ``L`` and ``R`` be the runs of letters before and after it.  The two parts are joined

    * **as one word** ``LR`` (hyphen and line break removed) or
    * **with the hyphen** ``L-R`` (only the line break removed),

    by the first rule that decides, comparing how often each form occurs *elsewhere*
    (case-insensitive, as words or as parts of hyphenated compounds; a form broken at a
    line end does not count):

    1. in the same document, the more frequent form wins;
    2. in the corpus (``evidence``, counted by :meth:`fit`), the more frequent form wins;
    3. otherwise (neither form occurs, or both equally often) the hyphen stays, unless the
       corpus evidence shows that ``L`` or ``R`` never occurs as a word (or part of a
       compound) of its own: then the parts are fragments of one word and are joined.
       Forms the evidence does not list (a candidate the corpus did not have) are not
       evidence either way.

    Rule 3 keeps the hyphen when in doubt because in the UN General Debate Corpus nearly all
    line-end hyphens are real compounds (see the module notes).  Counts ``joined`` and
    ``kept``.

    Parameters
    ----------
    evidence : mapping of str to int, optional
        Lower-cased corpus counts of words and hyphenated pairs (``"cooperation"``,
        ``"co-operation"``); :meth:`fit` computes them.  Without it, only the document
        itself is evidence.

    Examples
    --------
    >>> text = "co-\\noperation and co-operation; self-\\nmade; recon-\\nstruction, reconstruction"
    >>> Hyphens()(text)[0]
    'co-operation and co-operation; self-made; reconstruction, reconstruction'
    >>> Hyphens(evidence={"peacekeeping": 5, "peace-keeping": 2})("peace-\\nkeeping")[0]
    'peacekeeping'
    """

    name = "hyphens"

    def __init__(self, evidence: Mapping[str, int] | None = None) -> None:
        self.evidence = None if evidence is None else {str(k): int(v) for k, v in evidence.items()}

    def params(self) -> dict[str, Any]:
        if self.evidence is None:
            return {}
        blob = json.dumps(sorted(self.evidence.items()), ensure_ascii=True).encode()
        return {"evidence": hashlib.sha1(blob).hexdigest()[:16], "forms": len(self.evidence)}

    @staticmethod
    def candidates(text: str) -> Iterator[tuple[int, int, str, str]]:
        """``(start, end, left, right)`` of each candidate: ``text[start:end]`` is the hyphen
        and the white space after it, ``left``/``right`` the letters around it.

        Parameters
        ----------
        text : str
            The text searched.

        Examples
        --------
        >>> list(Hyphens.candidates("co-\\noperation"))
        [(2, 4, 'co', 'operation')]
        """
        n = len(text)
        matches: Iterable[re.Match[str]] = _HYPHEN_BREAK.finditer(text)
        if "¬" in text:
            found = list(matches) + list(_NOT_SIGN.finditer(text))
            matches = sorted(found, key=lambda m: m.start())
        for m in matches:
            s, e = m.span()
            if s == 0 or e >= n or not text[s - 1].isalpha() or not text[e].isalpha():
                continue
            yield s, e, *_letters_around(text, s, e)

    @fill_doc
    def fit(self, corpus: Corpus | Iterable[str]) -> Hyphens:
        """A copy whose evidence are the counts, in ``corpus``, of the forms its candidates
        could take.

        For a :class:`~toolkit.corpus.Corpus` the counts come from its token index (built
        once and cached, the counts a frequency list shows); for plain texts they are
        counted here.

        Parameters
        ----------
        corpus : Corpus or iterable of str
            {params.corpus}
            Plain texts serve too.

        Examples
        --------
        >>> fitted = Hyphens().fit(["peace-\\nkeeping", "peacekeeping and peacekeeping"])
        >>> fitted.evidence["peacekeeping"], fitted("peace-\\nkeeping")[0]
        (2, 'peacekeeping')
        """
        texts = corpus.texts() if isinstance(corpus, Corpus) else corpus
        if not isinstance(corpus, Corpus):
            texts = list(texts)
        wanted: set[str] = set()
        in_candidates: Counter = Counter()  # parts counted at the candidates themselves
        for text in texts:
            if "-" not in text and "¬" not in text:
                continue
            for _, _, left, right in self.candidates(text):
                lo, ro = left.lower(), right.lower()
                wanted.update((lo + ro, f"{lo}-{ro}", lo, ro))
                in_candidates[lo] += 1
                in_candidates[ro] += 1
        if not wanted:
            return type(self)({})
        if isinstance(corpus, Corpus):
            counts = _index_counts(corpus, wanted)
        else:
            counts = _word_counts(texts)
        counts.subtract(in_candidates)
        return type(self)({w: max(0, int(counts.get(w, 0))) for w in sorted(wanted)})

    def decide(self, text: str, left: str, right: str, lower: str | None = None) -> bool:
        """True to join ``left`` and ``right`` into one word, False to keep the hyphen.

        Parameters
        ----------
        text : str
            The document, whose own spellings are the first evidence.
        left, right : str
            The letters before and after the hyphen.
        lower : str, optional
            ``text.lower()``, if the caller has it already.

        Examples
        --------
        >>> Hyphens().decide("co-\\noperation and co-operation", "co", "operation")
        False
        >>> Hyphens().decide("co-\\noperation and cooperation", "co", "operation")
        True
        """
        lower = text.lower() if lower is None else lower
        lo, ro = left.lower(), right.lower()
        joined, hyphened = lo + ro, f"{lo}-{ro}"
        dj, dh = _count_word(lower, joined), _count_word(lower, hyphened)
        if dj != dh:
            return dj > dh
        ev = self.evidence
        if ev is not None and (joined in ev or hyphened in ev):
            cj, ch = ev.get(joined, 0), ev.get(hyphened, 0)
            if cj != ch:
                return cj > ch
            if lo in ev and ro in ev:
                return not (ev[lo] and ev[ro])
        return False

    def run(self, text: str) -> StepResult:
        if "-" not in text and "¬" not in text:
            return StepResult(text, Alignment.identity(len(text)), {"joined": 0, "kept": 0})
        edits = []
        joined = kept = 0
        lower = None
        for s, e, left, right in self.candidates(text):
            lower = text.lower() if lower is None else lower
            if self.decide(text, left, right, lower):
                edits.append((s, e, ""))
                joined += 1
            else:
                edits.append((s, e, "-") if text[s] == "¬" else (s + 1, e, ""))
                kept += 1
        out, alignment = apply_edits(text, edits)
        return StepResult(out, alignment, {"joined": joined, "kept": kept})


class SpacedHyphens(Hyphens):
    """Rejoin words split by a hyphen and a space on one line (``energy- shortage``).

    Texts whose line breaks were turned into spaces before they reached the corpus keep
    the line-end hyphens as ``-`` followed by a space: ``non- aligned``, ``nuclear- weapon``.
    A *candidate* is a hyphen right after a letter, followed by spaces or tabs (no line
    break) and a lower-case letter; the parts are joined with or without the hyphen by the
    rules of :class:`Hyphens`, from the same kind of evidence.  A hyphen before a
    coordinating word is a **suspended hyphen** and stays as written: ``medium- and
    long-term``, ``confidence- and security-building``, ``pre- or post-war``.  Counts
    ``joined`` and ``kept``.

    Parameters
    ----------
    evidence : mapping of str to int, optional
        Lower-cased corpus counts of words and hyphenated pairs, as for :class:`Hyphens`;
        :meth:`fit` computes them.  Without it, only the document itself is evidence.

    Examples
    --------
    >>> SpacedHyphens()("the non- aligned and the medium- and long-term")[0]
    'the non-aligned and the medium- and long-term'
    >>> SpacedHyphens(evidence={"peacekeeping": 5, "peace-keeping": 2})("peace- keeping")[0]
    'peacekeeping'
    """

    name = "spaced_hyphens"
    #: Words after which a hyphen is suspended (``medium- and long-term``).
    SUSPENDED = frozenset(
        {"and", "or", "nor", "to", "as", "but", "than", "versus", "vs", "through"}
    )

    @staticmethod
    def candidates(text: str) -> Iterator[tuple[int, int, str, str]]:
        """``(start, end, left, right)`` of each candidate, as :meth:`Hyphens.candidates`;
        suspended hyphens (``medium- and long-term``) are none.

        Parameters
        ----------
        text : str
            The text searched.

        Examples
        --------
        >>> list(SpacedHyphens.candidates("the non- aligned and the medium- and long-term"))
        [(7, 9, 'non', 'aligned')]
        """
        n = len(text)
        for m in _HYPHEN_SPACE.finditer(text):
            s, e = m.span()
            if s == 0 or e >= n or not text[s - 1].isalpha() or not text[e].islower():
                continue
            left, right = _letters_around(text, s, e)
            j = e + len(right)
            if right in SpacedHyphens.SUSPENDED or (j < n and text[j] == "/"):
                continue  # "medium- and long-term", "and/or"
            yield s, e, left, right

    def run(self, text: str) -> StepResult:
        if "- " not in text and "-\t" not in text:
            return StepResult(text, Alignment.identity(len(text)), {"joined": 0, "kept": 0})
        return super().run(text)


def _count_word(lower: str, form: str) -> int:
    """How often ``form`` occurs in ``lower`` with no letter right before or after it."""
    n = 0
    i = lower.find(form)
    size = len(form)
    while i >= 0:
        j = i + size
        if (i == 0 or not lower[i - 1].isalpha()) and (j >= len(lower) or not lower[j].isalpha()):
            n += 1
        i = lower.find(form, i + 1)
    return n


def _index_counts(corpus: Corpus, wanted: set[str]) -> Counter:
    """Counts of the ``wanted`` lower-cased forms from the corpus's token index, where
    hyphenated compounds are single tokens (their parts and adjacent pairs count too)."""
    view = corpus.index()
    type_counts = np.asarray(view.type_counts())
    vocab = view.index.vocab
    counts: Counter = Counter()
    for t in np.flatnonzero(type_counts).tolist():
        form = str(vocab[t]).lower()
        n = int(type_counts[t])
        if "-" in form or "‐" in form or "‑" in form:
            parts = re.split("[-‐‑]", form)
            for p in parts:
                if p in wanted:
                    counts[p] += n
            for a, b in zip(parts, parts[1:], strict=False):
                pair = f"{a}-{b}"
                if pair in wanted:
                    counts[pair] += n
        elif form in wanted:
            counts[form] += n
    return counts


# ---------------------------------------------------------------------------- unwrap
# The start of a list item or numbered paragraph: "12. ", "(a) ", "iv) ", "• ".
_LIST_START = re.compile(r"(?:\d{1,3}[.)]|\(?[a-z]{1,3}\)|\([0-9ivx]{1,4}\)|[•▪●◦■□➢✓*])\s")
_OPENERS = "\"'“‘«([¿¡$€£¥"
_ENDS = frozenset(".!?…:;")
_CLOSERS = frozenset("\"'”’»)]*_")
_ENDS_AFTER_CLOSERS = re.compile(r"[.!?…:;][\"'”’»)\]*_]*\Z")
_LIST_FIRST = frozenset("0123456789(•▪●◦■□➢✓*")


class Unwrap(Step):
    """Rejoin hard-wrapped lines into paragraphs: one paragraph per line.

    A line break, with the white space around it, becomes one space when the two lines
    belong to one paragraph.  The decision looks at the lines on either side of the break
    (without their surrounding white space); a line *ends* a sentence or clause when its
    last character, closing quotes, brackets and ``*`` aside, is one of ``.!?…:;``.  In
    order:

    1. **Broken sentence**: the line before does not end, the next line starts with a
       lower-case letter and is not a list item (``a) …``): join.
    2. Before a list item or numbered paragraph (``12. ``, ``(a) ``, ``• ``): keep.
    3. **Dangling line**: the line before does not end, its paragraph (as joined so far)
       has at least ``min_dangling`` characters, its last word is in lower case
       (``… the work of the``), and the next line starts with a letter, a digit or an
       opening quote: join.  Rules 1 and 3 also
       join across blank lines (a page break that left a blank line inside a sentence) and
       in documents with one paragraph per line (a sentence broken by a conversion).
    4. **Hard-wrapped documents** only (see :meth:`width`: the 90th percentile ``W`` of
       line lengths is at most ``max_width`` characters, and most lines are nearly ``W``):

       * across blank lines: join when the line before does not end, is longer than
         ``short * W`` and the next starts with a letter, a digit or an opening quote;
       * after a line that ends: keep the break when the line ended early — the next
         line's first word would have fitted on it with room to spare
         (``len(line) + 1 + len(word) <= para * W``) — or when the line is a one-line
         paragraph (longer than ``1.3 W``); otherwise join;
       * after a line that does not end: keep the break when the line is short
         (``<= short * W``: a salutation, a heading) and the next starts with a capital, a
         digit or an opening quote; otherwise join.
    5. Otherwise keep the break.

    "Short" and "longer than" are said of the paragraph the line ends, as joined so far, so
    that cleaning a cleaned text changes nothing more (the tests check this on the bundled
    corpus).  Widths are counted in characters, while the printed lines were set in
    proportional type, so a line that ends a paragraph can be nearly full; such a paragraph
    break is joined, which merges two paragraphs but never cuts a sentence.  Counts
    ``lines_joined``.

    Parameters
    ----------
    max_width : int
        Largest wrap width (90th percentile of line lengths) of a hard-wrapped document.
    min_lines : int
        Fewest non-blank lines of a document whose width is judged.
    para : float
        A line ended early when its next word would have fitted within ``para * W``.
    short : float
        Lines up to ``short * W`` are headings or salutations.
    min_dangling : int
        Shortest line that rule 3 joins to the next.

    Examples
    --------
    >>> text = ("We meet in a year of hope and\\n"
    ...         "of danger for the peoples of\\n"
    ...         "the United Nations.\\n"
    ...         "Mr. President,\\n"
    ...         "Allow me to congratulate you\\n"
    ...         "on your election.")
    >>> print(Unwrap()(text)[0])
    We meet in a year of hope and of danger for the peoples of the United Nations.
    Mr. President,
    Allow me to congratulate you on your election.
    """

    name = "unwrap"

    def __init__(
        self,
        max_width: int = 110,
        min_lines: int = 6,
        para: float = 0.85,
        short: float = 0.6,
        min_dangling: int = 40,
    ) -> None:
        self.max_width = max_width
        self.min_lines = min_lines
        self.para = para
        self.short = short
        self.min_dangling = min_dangling

    def params(self) -> dict[str, Any]:
        return {
            "max_width": self.max_width,
            "min_lines": self.min_lines,
            "para": self.para,
            "short": self.short,
            "min_dangling": self.min_dangling,
        }

    def width(self, lengths: Sequence[int]) -> float | None:
        """The wrap width ``W`` of a document with these non-blank line lengths, or None when
        the document is not hard-wrapped: fewer than ``min_lines`` lines, ``W`` over
        ``max_width``, or fewer than 70% of the lines within ``0.6 W … 1.15 W`` (in the UN
        corpus 99% of hard-wrapped speeches have 88% of their lines there, and a document
        whose lines were rejoined has far fewer).

        Parameters
        ----------
        lengths : sequence of int
            The lengths of the document's non-blank lines.

        Examples
        --------
        >>> Unwrap().width([30] * 6), Unwrap().width([30] * 5), Unwrap().width([200] * 6)
        (30.0, None, None)
        """
        if len(lengths) < self.min_lines:
            return None
        widths = np.asarray(lengths, dtype=float)
        w = float(np.percentile(widths, 90))
        if w > self.max_width:
            return None
        full = np.count_nonzero((widths >= 0.6 * w) & (widths <= 1.15 * w))
        return w if full >= 0.7 * len(widths) else None

    def joins(
        self,
        prev: str,
        nxt: str,
        blank: bool,
        width: float | None,
        paragraph: int | None = None,
    ) -> bool:
        """Whether the break between the (stripped, non-blank) lines ``prev`` and ``nxt``
        is inside a paragraph.

        ``blank``: blank lines lie between them; ``width``: the document's wrap width (None
        if it is not hard-wrapped); ``paragraph``: the length of the paragraph that ``prev``
        ends, as joined so far (default ``len(prev)``) — what the rules call short or long,
        so that a second pass over a rejoined text decides as the first did.

        Parameters
        ----------
        prev, nxt : str
            The lines before and after the break, stripped and not blank.
        blank : bool
            Whether blank lines lie between them.
        width : float or None
            The document's wrap width (see :meth:`width`).
        paragraph : int, optional
            The length of the paragraph ``prev`` ends, as joined so far.

        Examples
        --------
        >>> Unwrap().joins("a year of hope and", "of danger", False, 30.0)
        True
        >>> Unwrap().joins("Thank you.", "Mr. President,", True, None)
        False
        """
        para = len(prev) if paragraph is None else paragraph
        last, first = prev[-1], nxt[0]
        if last in _CLOSERS:
            ends = _ENDS_AFTER_CLOSERS.search(prev) is not None
        else:
            ends = last in _ENDS
        listed = (
            first in _LIST_FIRST or ("a" <= first <= "z" and ")" in nxt[1:4])
        ) and _LIST_START.match(nxt) is not None
        if listed:
            return False
        if not ends and first.islower():
            return True
        starts = first.isalnum() or first in _OPENERS
        if not ends and starts and para >= self.min_dangling and last.islower():
            word = prev.rsplit(None, 1)[-1]
            if word.isalpha() and word.islower():
                return True
        if width is None:
            return False
        if blank:
            return not ends and starts and para > self.short * width
        if ends:
            if len(prev) > 1.3 * width:
                return False
            word = nxt.split(None, 1)[0]
            return len(prev) + 1 + len(word) > self.para * width
        starts_new = first.isupper() or first.isdigit() or first in _OPENERS
        return not (para <= self.short * width and starts_new)

    def run(self, text: str) -> StepResult:
        if "\n" not in text:
            return StepResult(text, Alignment.identity(len(text)), {"lines_joined": 0})
        lines = _Lines(text)
        nb = lines.nonblank
        if len(nb) < 2:
            return StepResult(text, Alignment.identity(len(text)), {"lines_joined": 0})
        stripped = lines.stripped
        width = self.width([len(stripped[i]) for i in nb])
        raw = text.split("\n")
        edits = []
        paragraph = len(stripped[nb[0]])
        for a, b in zip(nb, nb[1:], strict=False):
            if self.joins(stripped[a], stripped[b], b > a + 1, width, paragraph):
                s = int(lines.starts[a]) + len(raw[a].rstrip())
                e = int(lines.starts[b]) + len(raw[b]) - len(raw[b].lstrip())
                edits.append((s + 1, e, "") if text[s] == " " else (s, e, " "))
                paragraph += 1 + len(stripped[b])
            else:
                paragraph = len(stripped[b])
        out, alignment = apply_edits(text, edits)
        return StepResult(out, alignment, {"lines_joined": len(edits)})


# ---------------------------------------------------------------------------- user steps
class Replace(Step):
    """Replace matches of a regular expression, with an exact alignment.

    Parameters
    ----------
    regex : str
        A Python regular expression, searched in the whole text (it may span lines and
        tokens).  Replaces ``pattern`` (deprecated: a ``pattern`` is a token pattern
        elsewhere).
    repl : str
        The replacement (``\\1`` and ``\\g<name>`` refer to groups).
    name : str
        The step's name (default ``"replace"``).
    flags : int
        ``re`` flags.

    Examples
    --------
    >>> step = Replace(r"\\[Applause\\]\\s*", "", name="applause")
    >>> cleaned, a = step("We will win. [Applause] Thank you.")
    >>> cleaned, step.run("[Applause] x").changes
    ('We will win. Thank you.', {'matches': 1})
    >>> Replace(regex=r"(\\d+)%", repl=r"\\1 per cent")("cut by 40%")[0]
    'cut by 40 per cent'
    """

    @renamed_arguments({"pattern": Renamed("regex")})
    def __init__(self, regex: str, repl: str, name: str = "replace", flags: int = 0) -> None:
        self.regex = re.compile(regex, flags)
        self.repl = repl
        self.name = name

    @property
    def pattern(self) -> re.Pattern[str]:
        """Deprecated name of :attr:`regex`."""
        warnings.warn(
            f"Replace.pattern is deprecated and will stop working in toolkit {REMOVED_IN}; "
            "use Replace.regex instead",
            FutureWarning,
            stacklevel=2,
        )
        return self.regex

    def params(self) -> dict[str, Any]:
        return {"regex": self.regex.pattern, "repl": self.repl, "flags": self.regex.flags}

    def run(self, text: str) -> StepResult:
        edits = [(m.start(), m.end(), m.expand(self.repl)) for m in self.regex.finditer(text)]
        edits = [e for e in edits if e[1] > e[0] or e[2]]
        out, alignment = apply_edits(text, edits)
        return StepResult(out, alignment, {"matches": len(edits)})


def diff_alignment(original: str, cleaned: str) -> Alignment:
    """An alignment of ``cleaned`` to ``original`` found by comparing them.

    Common beginning and end first, then a line-by-line comparison, then a character
    comparison inside changed lines (``difflib``); changed blocks over 20,000 characters are
    aligned as one replaced span.  Exact for edits that leave most text unchanged; for
    arbitrary rewrites it is a best guess (give a step that returns its own alignment).

    Examples
    --------
    >>> a = diff_alignment("Hello, world!", "Hello world")
    >>> a.to_original(range(11)).tolist(), a.inserted.tolist()
    ([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11], [])
    """
    n, m = len(original), len(cleaned)
    p = 0
    limit = min(n, m)
    while p < limit and original[p] == cleaned[p]:
        p += 1
    q = 0
    while q < limit - p and original[n - 1 - q] == cleaned[m - 1 - q]:
        q += 1
    edits: list[tuple[int, int, str]] = []
    a, b = original[p : n - q], cleaned[p : m - q]
    if a or b:
        _diff_edits(a, b, p, edits, by_lines=True)
    text, alignment = apply_edits(original, edits)
    if text != cleaned:  # pragma: no cover - diff opcodes always reproduce the text
        text, alignment = apply_edits(original, [(0, n, cleaned)])
    return alignment


def _diff_edits(a: str, b: str, offset: int, edits: list, by_lines: bool) -> None:
    if by_lines and ("\n" in a or "\n" in b):
        la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
        sm = difflib.SequenceMatcher(None, la, lb, autojunk=False)
        pa = np.concatenate(([0], np.cumsum([len(x) for x in la]))).astype(int)
        pb = np.concatenate(([0], np.cumsum([len(x) for x in lb]))).astype(int)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag != "equal":
                _diff_edits(
                    a[pa[i1] : pa[i2]], b[pb[j1] : pb[j2]], offset + int(pa[i1]), edits, False
                )
        return
    if len(a) + len(b) > 20_000 or not a or not b:
        edits.append((offset, offset + len(a), b))
        return
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            edits.append((offset + i1, offset + i2, b[j1:j2]))


class FunctionStep(Step):
    """A step made of a user's function: ``str -> str`` or ``str -> (str, Alignment)``.

    A function that returns only the text gets an alignment from :func:`diff_alignment`.
    Its description (hence :attr:`Cleaner.version`) names the function and a digest of its
    source code; pass ``version`` when its behaviour depends on anything else (a word list,
    a model).  Counts ``changed`` (0 or 1), ``inserted`` and ``deleted`` characters.

    Parameters
    ----------
    function : callable
        ``str -> str`` or ``str -> (str, Alignment)``.
    name : str, optional
        The step's name (default: the function's ``__name__``).
    version : str, optional
        The step's version (default: a digest of the function's source code).

    Examples
    --------
    >>> step = FunctionStep(str.upper, name="upper")
    >>> step("abc")[0], step.run("abc").changes
    ('ABC', {'changed': 1, 'inserted': 3, 'deleted': 3})
    """

    def __init__(
        self,
        function: Callable[[str], Any],
        name: str | None = None,
        version: str | None = None,
    ) -> None:
        if not callable(function):
            raise ParameterError("function", function, "a cleaning step must be callable")
        self.function = function
        self.name = str(name or getattr(function, "__name__", "function"))
        self.version = version or _code_digest(function)

    def params(self) -> dict[str, Any]:
        fn = self.function
        return {"function": f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', fn)}"}

    def run(self, text: str) -> StepResult:
        out = self.function(text)
        if isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], Alignment):
            out, alignment = out
            if alignment.length != len(out) or alignment.original_length != len(text):
                raise ParameterError(
                    "steps",
                    self.name,
                    f"step {self.name!r} returned an alignment of {alignment.length} from "
                    f"{alignment.original_length} characters for a text of {len(out)} from "
                    f"{len(text)}",
                )
        elif isinstance(out, str):
            alignment = Alignment.identity(len(text)) if out == text else diff_alignment(text, out)
        else:
            raise ParameterTypeError(
                "steps",
                self.name,
                f"cleaning step {self.name!r} must return a str or (str, Alignment), "
                f"not {type(out).__name__}",
            )
        copied = alignment.length - len(alignment.inserted)
        return StepResult(
            out,
            alignment,
            {
                "changed": int(out != text),
                "inserted": int(len(alignment.inserted)),
                "deleted": int(len(text) - copied),
            },
        )


def _code_digest(function: Callable[..., Any]) -> str:
    """A digest of a function's source and of the names and constants its code uses (two
    lambdas on one line differ), stable across sessions."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        source = ""

    def describe(code: Any) -> str:
        consts = [describe(c) if inspect.iscode(c) else repr(c) for c in code.co_consts]
        return f"{code.co_names}{code.co_varnames}{consts}"

    code = getattr(function, "__code__", None)
    body = describe(code) if code is not None else repr(function)
    return hashlib.sha1((source + body).encode("utf-8", "surrogatepass")).hexdigest()[:12]


# ============================================================================ pipeline
#: The named steps, by name.
STEPS: dict[str, type[Step]] = {
    "nfc": NFC,
    "running_heads": RunningHeads,
    "page_numbers": PageNumbers,
    "hyphens": Hyphens,
    "spaced_hyphens": SpacedHyphens,
    "unwrap": Unwrap,
}
#: The default pipeline, in this order.
DEFAULT_STEPS: tuple[str, ...] = (
    "nfc",
    "running_heads",
    "page_numbers",
    "hyphens",
    "unwrap",
    "spaced_hyphens",
)


def _as_step(step: Any) -> Step:
    if isinstance(step, Step):
        return step
    if isinstance(step, str):
        if step not in STEPS:
            raise ParameterError("steps", step, f"unknown cleaning step {step!r}", valid=STEPS)
        return STEPS[step]()
    if callable(step):
        return FunctionStep(step)
    raise ParameterError(
        "steps", step, "a step is a name, a Step or a function str -> str", valid=STEPS
    )


class CleanedText(NamedTuple):
    """A cleaned text, its alignment to the original, and what each step changed.

    Made by :meth:`Cleaner.run`.

    Parameters
    ----------
    text : str
        The cleaned text.
    alignment : Alignment
        Its alignment to the original text.
    changes : dict
        Per step name, the step's counts (``{"page_numbers": {"lines": 1}, ...}``).

    Examples
    --------
    >>> result = Cleaner(["page_numbers"]).run("the United\\n38\\n\\nNations")
    >>> result.text, result.changes, result.alignment.original_span(4, 18)
    ('the United\\nNations', {'page_numbers': {'lines': 1}}, (4, 22))
    """

    text: str
    alignment: Alignment
    changes: dict[str, dict[str, int]]


class Cleaner:
    """A pipeline of cleaning steps, applied in order; its alignment maps to the original.

    Parameters
    ----------
    steps : sequence
        Step names (see :data:`STEPS`), :class:`Step` objects, or functions
        ``str -> str`` / ``str -> (str, Alignment)``; default :data:`DEFAULT_STEPS`.

    Attributes
    ----------
    description : str
        Every step's name, version and settings (stable across sessions).
    version : str
        A digest of the description: a key for caches of cleaned corpora.

    Examples
    --------
    >>> import toolkit as tk
    >>> cleaner = tk.Cleaner(["page_numbers", "unwrap"])
    >>> cleaner.description[:58]
    'clean/1|page_numbers/1|unwrap/1{"max_width": 110, "min_dan'
    >>> result = cleaner.run("the peoples of the\\n38\\n\\nworld")
    >>> result.text, result.changes
    ('the peoples of the world', {'page_numbers': {'lines': 1}, 'unwrap': {'lines_joined': 1}})
    """

    def __init__(self, steps: Sequence[Any] | Cleaner = DEFAULT_STEPS) -> None:
        if isinstance(steps, Cleaner):
            steps = steps.steps
        if isinstance(steps, (str, Step)) or callable(steps):
            steps = [steps]
        self.steps: tuple[Step, ...] = tuple(_as_step(s) for s in steps)
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise ParameterError("steps", dup, f"two cleaning steps are named {dup}; rename one")
        for i, step in enumerate(self.steps):
            for later in step.before:
                if later in names[:i]:
                    raise ParameterError(
                        "steps",
                        names,
                        f"{step.name!r} must come before {later!r}: it uses what {later!r} removes",
                    )

    @property
    def description(self) -> str:
        """Every step and its settings as one string: what the cleaned texts depend on."""
        return "clean/1|" + "|".join(s.description for s in self.steps)

    @property
    def version(self) -> str:
        """A short digest of :attr:`description`, which names this cleaning in caches and
        records."""
        return hashlib.sha1(self.description.encode("utf-8")).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"<Cleaner {self.version}: {', '.join(s.name for s in self.steps)}>"

    @fill_doc
    def fit(self, corpus: Corpus | Iterable[str]) -> Cleaner:
        """A cleaner whose steps use evidence from ``corpus`` (see :meth:`Hyphens.fit`).

        Parameters
        ----------
        corpus : Corpus or iterable of str
            {params.corpus}
            Plain texts serve too; the evidence is counted from them.

        Examples
        --------
        >>> import toolkit as tk
        >>> cleaner = tk.Cleaner(["hyphens"])
        >>> cleaner.fitted, cleaner.fit(["peacekeeping is peacekeeping"]).fitted
        (False, True)
        """
        return Cleaner([s.fit(corpus) for s in self.steps])

    @property
    def fitted(self) -> bool:
        """False while a step that learns from a corpus has not seen one."""
        return not any(isinstance(s, Hyphens) and s.evidence is None for s in self.steps)

    def run(self, text: str) -> CleanedText:
        """Clean one text: the text, its alignment to ``text``, and each step's counts.

        Parameters
        ----------
        text : str
            The original text.

        Returns
        -------
        CleanedText

        Examples
        --------
        >>> import toolkit as tk
        >>> tk.Cleaner(["page_numbers"]).run("a\\n7\\nb").changes
        {'page_numbers': {'lines': 1}}
        """
        alignment: Alignment | None = None
        changes: dict[str, dict[str, int]] = {}
        original_length = len(text)
        for step in self.steps:
            result = step.run(text)
            changes[step.name] = result.changes
            if not result.alignment.is_identity:
                alignment = (
                    result.alignment if alignment is None else alignment.then(result.alignment)
                )
            text = result.text
        if alignment is None:
            alignment = Alignment.identity(original_length)
        return CleanedText(text, alignment, changes)

    def __call__(self, text: str) -> tuple[str, Alignment]:
        result = self.run(text)
        return result.text, result.alignment


def clean_text(text: str, steps: Sequence[Any] | Cleaner = DEFAULT_STEPS) -> tuple[str, Alignment]:
    """Clean one text: ``(cleaned_text, alignment)``.

    Without a corpus, :class:`Hyphens` decides from the text alone; clean a whole corpus
    with :func:`clean_corpus` (``Corpus.clean``) to use the corpus as evidence.

    Parameters
    ----------
    text : str
    steps : sequence or Cleaner
        See :class:`Cleaner`.

    Examples
    --------
    >>> import toolkit as tk
    >>> cleaned, a = tk.clean_text("Nations\\n12\\nof the world.\\nWe\\nwill act.")
    >>> cleaned
    'Nations of the world.\\nWe will act.'
    >>> cleaned, a = tk.clean_text("a\\u0301 b", steps=["nfc", str.upper])
    >>> cleaned, a.inserted.tolist()
    ('Á B', [0, 2])
    """
    return Cleaner(steps)(text)


# ============================================================================ corpora
class _AlignmentStore:
    """The alignments of many documents, concatenated into a few numpy arrays."""

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._lengths: list[tuple[int, int]] = []

    def add(self, alignment: Alignment) -> None:
        self._parts.append((alignment.starts, alignment.origins, alignment.inserted))
        self._lengths.append((alignment.length, alignment.original_length))

    def finish(self) -> None:
        def cat(k: int) -> tuple[np.ndarray, np.ndarray]:
            arrays = [p[k] for p in self._parts]
            offsets = np.zeros(len(arrays) + 1, dtype=_I64)
            np.cumsum([len(a) for a in arrays], out=offsets[1:])
            data = np.concatenate(arrays) if arrays else np.zeros(0, dtype=_I64)
            return data.astype(_I64), offsets

        self.starts, self.run_offsets = cat(0)
        self.origins, _ = cat(1)
        self.inserted, self.inserted_offsets = cat(2)
        lengths = np.asarray(self._lengths, dtype=_I64).reshape(-1, 2)
        self.lengths, self.original_lengths = lengths[:, 0], lengths[:, 1]
        self._parts = []

    def get(self, row: int) -> Alignment:
        r0, r1 = self.run_offsets[row], self.run_offsets[row + 1]
        i0, i1 = self.inserted_offsets[row], self.inserted_offsets[row + 1]
        return Alignment(
            self.starts[r0:r1],
            self.origins[r0:r1],
            self.inserted[i0:i1],
            int(self.lengths[row]),
            int(self.original_lengths[row]),
        )

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.starts, self.origins, self.inserted))


class CleaningRecord:
    """How a cleaned corpus was made: the original corpus, the cleaner, what each step
    changed in each document, and each document's alignment to its original.

    Get it with :func:`cleaning_record` from the cleaned corpus, any subset of it (``query``,
    ``select``, ``join``) or its paragraphs or sentences; cleaning makes it.

    Parameters
    ----------
    original : Corpus
        The corpus that was cleaned.
    cleaner : Cleaner
        The fitted cleaner.
    changes : pandas.DataFrame
        What each step changed in each document (see ``changes`` below).
    store : object
        The documents' alignments, kept compactly by :func:`clean_corpus`.

    Attributes
    ----------
    original : Corpus
        The corpus that was cleaned (same document ids, same order).
    cleaner : Cleaner
        The fitted cleaner; ``cleaner.version`` identifies the cleaning.
    changes : pandas.DataFrame
        One row per document (index ``doc_id``): ``<step>.<count>`` columns (for example
        ``page_numbers.lines``, ``hyphens.joined``, ``unwrap.lines_joined``) and the
        document's length before (``chars_before``) and after (``chars_after``).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["the United\\n38\\n\\nNations"]}))
    >>> record = cleaning_record(c.clean(["page_numbers"]))
    >>> record.original is c, record.original_span("0", 4, 18)
    (True, (4, 22))
    >>> record.changes.loc["0", ["page_numbers.lines", "chars_before", "chars_after"]].tolist()
    [1, 22, 18]
    """

    def __init__(
        self, original: Corpus, cleaner: Cleaner, changes: pd.DataFrame, store: _AlignmentStore
    ) -> None:
        self.original = original
        self.cleaner = cleaner
        self.changes = changes
        self._store = store
        self._rows = {d: i for i, d in enumerate(original.meta.index)}

    def __repr__(self) -> str:
        return f"<CleaningRecord of {self.original.name!r}: {self.cleaner!r}>"

    def _row(self, doc_id: str) -> int:
        try:
            return self._rows[doc_id]
        except KeyError:
            raise NotFoundError(
                "doc_id", doc_id, f"no document {doc_id!r} in the cleaned corpus"
            ) from None

    def alignment(self, doc_id: str) -> Alignment:
        """The alignment of the cleaned document to its original.

        Parameters
        ----------
        doc_id : str
            A document of the cleaned corpus.

        Examples
        --------
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a\\n7\\nb"]}))
        >>> cleaning_record(c.clean(["page_numbers"])).alignment("0").to_array().tolist()
        [0, 1, 4]
        """
        return self._store.get(self._row(doc_id))

    def original_text(self, doc_id: str) -> str:
        """The document's text before cleaning.

        Parameters
        ----------
        doc_id : str
            A document of the cleaned corpus.

        Examples
        --------
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a\\n7\\nb"]}))
        >>> cleaning_record(c.clean(["page_numbers"])).original_text("0")
        'a\\n7\\nb'
        """
        return self.original.text(doc_id)

    def original_span(self, doc_id: str, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` of the cleaned span ``[start, end)`` of a document.

        Parameters
        ----------
        doc_id : str
            A document of the cleaned corpus.
        start, end : int
            The span in its cleaned text.

        Examples
        --------
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a\\n7\\nb"]}))
        >>> cleaning_record(c.clean(["page_numbers"])).original_span("0", 0, 3)
        (0, 5)
        """
        return self.alignment(doc_id).original_span(start, end)

    def summary(self) -> pd.DataFrame:
        """Per count: the total over the corpus and the number of documents it touched.

        Examples
        --------
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a\\n3\\nb", "c"]}))
        >>> rec = cleaning_record(clean_corpus(c, ["page_numbers"]))
        >>> rec.summary().loc["page_numbers.lines"].tolist()
        [1, 1]
        """
        counts = self.changes.drop(columns=["chars_before", "chars_after"])
        return pd.DataFrame(
            {"total": counts.sum().astype(int), "documents": (counts > 0).sum().astype(int)}
        )


class CleanedSource(BufferSource):
    """The texts of a cleaned corpus (one UTF-8 buffer), with the :class:`CleaningRecord`
    that leads back to the originals."""

    record: CleaningRecord


@fill_doc
def clean_corpus(
    corpus: Corpus,
    steps: Sequence[Any] | Cleaner = DEFAULT_STEPS,
    progress: bool | None = None,
    processes: int | None = None,
) -> Corpus:
    """A new corpus of cleaned texts, with the same document ids and metadata.

    This is what ``Corpus.clean`` calls.  Steps that learn from a corpus (the hyphen
    evidence) are fitted on ``corpus`` first, unless ``steps`` is an already fitted
    :class:`Cleaner`.  The texts are held in one buffer; the originals stay in ``corpus``
    and every alignment is kept, so :func:`cleaning_record` and :func:`original_spans` lead
    from any document, paragraph or sentence of the result back to the original text.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
    steps : sequence or Cleaner
        See :class:`Cleaner`; default :data:`DEFAULT_STEPS`.
    progress : bool, optional
        Progress bar (default: shown when the work takes over a second).
    processes : int, optional
        Worker processes cleaning documents side by side (default: the machine's cores for
        corpora of 50 documents or more, where processes can be forked; the result does not
        depend on it).

    Returns
    -------
    Corpus
        Named ``"<name> (cleaned)"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> text = "determined to save succeeding\\n7\\ngenerations from the scourge of war"
    >>> c = tk.from_dataframe(pd.DataFrame({"text": [text], "year": [1995]}))
    >>> cleaned = clean_corpus(c)
    >>> cleaned.text("0"), cleaned.meta["year"].tolist()
    ('determined to save succeeding generations from the scourge of war', [1995])
    >>> changes = cleaning_record(cleaned).changes
    >>> changes.loc["0", ["page_numbers.lines", "unwrap.lines_joined"]].tolist()
    [1, 1]
    """
    from tqdm.auto import tqdm

    from ._progress import progress_options

    if corpus.pretokenized:
        raise ParameterError(
            "corpus",
            corpus.name,
            "its tokens were given (from_tokens, load_conllu, load_vrt) and are kept exactly; "
            "cleaning would change their text and re-tokenise it, losing the given tokens, "
            "layers and structures. Clean the texts before they are tokenised, or filter the "
            "tokens instead (tk.tokens(..., punct=False, numbers=False))",
        )
    if processes is not None and (
        isinstance(processes, bool) or not isinstance(processes, int) or processes < 1
    ):
        raise ParameterError("processes", processes, "processes must be a positive integer")
    cleaner = Cleaner(steps)
    if not cleaner.fitted:
        cleaner = cleaner.fit(corpus)
    source = CleanedSource()
    store = _AlignmentStore()
    digests: list[bytes] = []
    rows: list[dict[str, int]] = []
    bar = tqdm(
        corpus.texts(), total=len(corpus), desc="cleaning", unit="doc", **progress_options(progress)
    )
    for text, result in _cleaned_texts(cleaner, bar, corpus, processes):
        source.append(result.text)
        digests.append(digest(result.text))
        store.add(result.alignment)
        row = {
            f"{step}.{k}": v for step, counts in result.changes.items() for k, v in counts.items()
        }
        row["chars_before"] = len(text)
        row["chars_after"] = len(result.text)
        rows.append(row)
    store.finish()
    changes = pd.DataFrame(rows, index=corpus.meta.index.copy()).fillna(0).astype(np.int64)
    if not rows:
        changes = pd.DataFrame(index=corpus.meta.index.copy())
    source.record = CleaningRecord(corpus, cleaner, changes, store)
    return Corpus(source, corpus.meta.copy(), digests, name=f"{corpus.name} (cleaned)")


_PARALLEL_DOCS = 50  # below this, starting worker processes costs more than it saves
_WORKER_CLEANER: Cleaner | None = None


def _start_cleaner(cleaner: Cleaner) -> None:
    global _WORKER_CLEANER
    _WORKER_CLEANER = cleaner


def _clean_in_worker(text: str) -> CleanedText:
    assert _WORKER_CLEANER is not None
    return _WORKER_CLEANER.run(text)


def _cleaned_texts(
    cleaner: Cleaner, texts: Iterable[str], corpus: Corpus, processes: int | None
) -> Iterator[tuple[str, CleanedText]]:
    """``(text, cleaner.run(text))`` in order, in worker processes when that pays."""
    import multiprocessing
    import os

    if processes is None:
        processes = min(os.cpu_count() or 1, 8)
        if len(corpus) < _PARALLEL_DOCS:
            processes = 1
    if processes == 1 or "fork" not in multiprocessing.get_all_start_methods():
        # (without fork, user steps such as lambdas could not reach the workers)
        for text in texts:
            yield text, cleaner.run(text)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_cleaner, initargs=(cleaner,)) as pool:
        pending = iter(texts)
        batch: list[str] = []
        for text in pending:
            batch.append(text)
            if len(batch) == 64 * processes:
                yield from zip(batch, pool.imap(_clean_in_worker, batch, chunksize=8), strict=True)
                batch = []
        if batch:
            yield from zip(batch, pool.imap(_clean_in_worker, batch, chunksize=8), strict=True)


def _cleaned_source(corpus: Corpus) -> tuple[CleanedSource, np.ndarray, np.ndarray | None]:
    """The cleaned source behind ``corpus``, the source rows of its documents, and (for
    segments) the positions of the segments in their segment source."""
    src: TextSource = corpus.source
    if isinstance(src, CleanedSource):
        return src, np.asarray(corpus.rows, dtype=_I64), None
    if isinstance(src, SegmentSource) and isinstance(src.parent, CleanedSource):
        seg = np.asarray(corpus.rows, dtype=_I64)
        return src.parent, np.asarray(src.rows, dtype=_I64)[seg], seg
    raise ParameterError(
        "corpus",
        corpus.name,
        f"{corpus.name!r} is not a cleaned corpus (or its paragraphs or sentences); "
        "make one with corpus.clean() or toolkit.clean.clean_corpus(corpus)",
    )


def _segments(corpus: Corpus) -> SegmentSource:
    src = corpus.source
    assert isinstance(src, SegmentSource)
    return src


@fill_doc
def cleaning_record(corpus: Corpus) -> CleaningRecord:
    """The :class:`CleaningRecord` of a cleaned corpus, a subset of it, or its segments.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
        It must be made by :meth:`toolkit.Corpus.clean` (or be a subset or the segments
        of one).

    Raises
    ------
    ValueError
        When ``corpus`` was not made by cleaning.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["the United\\n38\\n\\nNations"]}))
    >>> record = tk.cleaning_record(c.clean())
    >>> record.original.text("0") == c.text("0"), int(record.changes.loc["0", "page_numbers.lines"])
    (True, 1)
    """
    return _cleaned_source(corpus)[0].record


@fill_doc
def spans_in_original(
    corpus: Corpus, doc_ids: Sequence[Any], starts: Any, ends: Any
) -> pd.DataFrame:
    """Where character spans of documents of a cleaned corpus (or of its paragraphs or
    sentences) lie in the original texts.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
        It must be a cleaned corpus, a subset of one, or its segments.
    doc_ids : sequence
        The document of each span (ids of ``corpus``).
    starts, ends : array-like of int
        Spans ``[start, end)`` of ``corpus.text(doc_id)``.

    Returns
    -------
    pandas.DataFrame
        One row per span: ``original_id``, ``original_start``, ``original_end`` (see
        :meth:`Alignment.original_spans`: text deleted inside a span is part of it).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["the United\\n38\\n\\nNations"]}))
    >>> cleaned = clean_corpus(c, ["page_numbers"])
    >>> cleaned.text("0")
    'the United\\nNations'
    >>> spans_in_original(cleaned, ["0"], [4], [18]).values.tolist()
    [['0', 4, 22]]
    """
    src, rows, seg = _cleaned_source(corpus)
    position = corpus.meta.index.get_indexer(pd.Index(list(doc_ids), dtype=object))
    if (position < 0).any():
        missing = [d for d, p in zip(doc_ids, position, strict=True) if p < 0][:3]
        raise NotFoundError(
            "doc_ids", missing[0], f"doc_ids: no document {missing[0]!r} in {corpus.name!r}"
        )
    s = np.asarray(starts, dtype=_I64).copy()
    e = np.asarray(ends, dtype=_I64).copy()
    if not (len(s) == len(e) == len(position)):
        raise ParameterError(
            "starts",
            None,
            f"doc_ids, starts and ends must have the same length, not {len(position)}, "
            f"{len(s)} and {len(e)}",
        )
    span_rows = rows[position] if len(position) else np.zeros(0, dtype=_I64)
    if seg is not None and len(position):  # segment offsets in their cleaned document
        shift = np.asarray(_segments(corpus).starts, dtype=_I64)[seg][position]
        s += shift
        e += shift
    store = src.record._store
    out_s = np.zeros(len(s), dtype=_I64)
    out_e = np.zeros(len(s), dtype=_I64)
    if len(s):
        order = np.argsort(span_rows, kind="stable")
        bounds = np.flatnonzero(np.diff(span_rows[order])) + 1
        for group in np.split(order, bounds):
            a = store.get(int(span_rows[group[0]]))
            out_s[group], out_e[group] = a.original_spans(s[group], e[group])
    ids = src.record.original.meta.index.to_numpy()
    return pd.DataFrame(
        {
            "original_id": ids[span_rows] if len(s) else np.array([], dtype=object),
            "original_start": out_s,
            "original_end": out_e,
        }
    )


@fill_doc
def original_spans(corpus: Corpus) -> pd.DataFrame:
    """Where each document of a cleaned corpus — or each paragraph or sentence of one — lies
    in the original texts.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
        It must be made by :meth:`toolkit.Corpus.clean` (or be a subset or the segments
        of one).

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id`` (of ``corpus``); columns ``original_id`` (the document of the
        original corpus), ``original_start`` and ``original_end`` (character offsets in its
        original text).

    Examples
    --------
    >>> from toolkit.clean import clean_corpus
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace and\\n4\\nsecurity. For all."]}))
    >>> sents = clean_corpus(c).segment("sentence")
    >>> spans = tk.original_spans(sents)
    >>> spans.values.tolist()
    [['0', 0, 21], ['0', 22, 30]]
    >>> c.text("0")[0:21]
    'Peace and\\n4\\nsecurity.'
    """
    src, rows, seg = _cleaned_source(corpus)
    if seg is None:  # whole documents
        lengths = src.record._store.lengths[rows]
    else:  # segments: spans of their cleaned documents
        parent = _segments(corpus)
        lengths = (np.asarray(parent.ends, dtype=_I64) - np.asarray(parent.starts, dtype=_I64))[seg]
    frame = spans_in_original(
        corpus, corpus.meta.index.tolist(), np.zeros(len(rows), dtype=_I64), lengths
    )
    frame.index = corpus.meta.index.copy()
    return frame


def _clean_step(corpus: Corpus, steps: Any = None, **options: Any) -> Corpus:
    return clean_corpus(corpus, DEFAULT_STEPS if steps is None else steps, **options)


register_step("clean", _clean_step)
