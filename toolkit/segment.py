"""Segmentation of documents into paragraphs and sentences.

Paragraphs
    Separated by a run of white space that holds a line break.  Files differ: some put one
    paragraph on each line, others separate paragraphs by blank lines and wrap lines inside
    them.  ``sep="line"`` splits at every line break, ``sep="blank"`` only at blank lines,
    and ``sep="auto"`` (default) decides per document: blank lines when the document has
    them *and* its lines are hard-wrapped (median non-empty line shorter than
    ``wrap_width`` characters), otherwise every line break.

Sentences
    NLTK's Punkt algorithm (Kiss & Strunk 2006), **trained unsupervised on the corpus
    itself** (up to ``train_chars`` characters of it), so no model is downloaded; common
    English abbreviations (``Mr.``, ``Dr.``, ``e.g.``, ``U.S.``…) are added to what it
    learns.  Sentences are found inside paragraphs, so a headline without a full stop stays
    its own sentence.

Each segment is a character span of its parent: only the white space between segments is
left out, so ``parent[span_start:span_end] == segment`` for every segment.  Segments keep
their parent's metadata and add ``parent_id``, ``position`` (0-based within the parent),
``span_start`` and ``span_end``.
"""

from __future__ import annotations

import re
import statistics
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .corpus import Corpus, SegmentSource, digest

if TYPE_CHECKING:  # pragma: no cover
    from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = ["segment", "paragraph_spans", "train_sentence_model"]

_LINE_SEP = re.compile(r"\s*[\r\n]\s*")
_BLANK_SEP = re.compile(r"\s*\n[^\S\n]*\n\s*")
_HAS_BLANK = re.compile(r"\n[^\S\n]*\n")
#: Added to every trained model, since a small corpus may not show Punkt that these are
#: abbreviations (Punkt stores them lower-cased, without the final full stop).
COMMON_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "messrs",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "sen",
    "rep",
    "gov",
    "pres",
    "jr",
    "sr",
    "no",
    "nos",
    "art",
    "para",
    "vol",
    "p",
    "pp",
    "e.g",
    "i.e",
    "etc",
    "vs",
    "cf",
    "al",
    "u.s",
    "u.n",
    "u.k",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_MODELS: dict[str, PunktSentenceTokenizer] = {}


def _spans_between(text: str, sep: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    lead = re.match(r"\s*", text)
    pos = lead.end() if lead else 0
    for m in sep.finditer(text, pos):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    end = len(text.rstrip())
    if end > pos:
        spans.append((pos, end))
    return spans


def paragraph_spans(text: str, sep: str = "auto", wrap_width: int = 100) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text``.

    Parameters
    ----------
    text : str
    sep : {"auto", "line", "blank"}
        See the module documentation.
    wrap_width : int
        For ``"auto"``: lines with a median length below this count as hard-wrapped.

    Examples
    --------
    >>> paragraph_spans("One.\\nTwo.")
    [(0, 4), (5, 9)]
    >>> paragraph_spans("A wrapped\\nline.\\n\\nNext.", sep="auto", wrap_width=100)
    [(0, 15), (17, 22)]
    """
    if sep == "line":
        return _spans_between(text, _LINE_SEP)
    if sep == "blank":
        return _spans_between(text, _BLANK_SEP)
    if sep != "auto":
        raise ValueError(f"sep must be 'auto', 'line' or 'blank', not {sep!r}")
    if _HAS_BLANK.search(text):
        lengths = [len(line) for line in text.splitlines() if line.strip()]
        if lengths and statistics.median(lengths) < wrap_width:
            return _spans_between(text, _BLANK_SEP)
    return _spans_between(text, _LINE_SEP)


def train_sentence_model(corpus: Corpus, train_chars: int = 2_000_000) -> PunktSentenceTokenizer:
    """Train NLTK's Punkt sentence splitter on (the start of) a corpus, without downloads.

    The model is cached per corpus fingerprint for the session.

    Parameters
    ----------
    corpus : Corpus
    train_chars : int
        How many characters of the corpus, from its first documents, to train on.

    Examples
    --------
    >>> import toolkit as tk
    >>> model = train_sentence_model(tk.load_sample("commentary"))
    >>> model.tokenize("Mr. Lavrov spoke. Kim listened.")
    ['Mr. Lavrov spoke.', 'Kim listened.']
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    key = f"{corpus.fingerprint}:{train_chars}"
    if key not in _MODELS:
        parts, n = [], 0
        for t in corpus.texts():
            parts.append(t)
            n += len(t)
            if n >= train_chars:
                break
        trainer = PunktTrainer()
        trainer.INCLUDE_ALL_COLLOCS = True
        trainer.train("\n\n".join(parts)[:train_chars], finalize=True)
        params = trainer.get_params()
        params.abbrev_types.update(COMMON_ABBREVIATIONS)
        _MODELS[key] = PunktSentenceTokenizer(params)
    return _MODELS[key]


def segment(
    corpus: Corpus,
    unit: str = "paragraph",
    sep: str = "auto",
    wrap_width: int = 100,
    sentence_model: Any = None,
) -> Corpus:
    """Split every document of ``corpus`` into paragraphs or sentences.

    Parameters
    ----------
    corpus : Corpus
    unit : {"paragraph", "sentence"}
    sep : {"auto", "line", "blank"}
        How paragraphs are separated (see the module documentation).
    wrap_width : int
        Line length below which ``sep="auto"`` treats lines as hard-wrapped.
    sentence_model : PunktSentenceTokenizer, optional
        A trained NLTK Punkt model; default: one trained on this corpus.

    Returns
    -------
    Corpus
        One document per segment, ids ``"{parent_id}#{position}"``, with the parent's
        metadata plus ``parent_id``, ``position``, ``span_start``, ``span_end``.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["First line.\\nSecond line."]}))
    >>> seg = segment(c, "paragraph")
    >>> seg.doc_ids, seg.text("0#1")
    (['0#0', '0#1'], 'Second line.')
    """
    if unit not in ("paragraph", "sentence"):
        raise ValueError(f"unit must be 'paragraph' or 'sentence', not {unit!r}")
    model = None
    if unit == "sentence":
        model = sentence_model if sentence_model is not None else train_sentence_model(corpus)
    rows, starts, ends, parent_pos, positions, digests = [], [], [], [], [], []
    empty = []
    for i, text in enumerate(corpus.texts()):
        spans = paragraph_spans(text, sep=sep, wrap_width=wrap_width)
        if model is not None:
            spans = [
                (ps + s, ps + e) for ps, pe in spans for s, e in model.span_tokenize(text[ps:pe])
            ]
        if not spans:
            empty.append(corpus.meta.index[i])
        row = int(corpus._rows[i])
        for k, (s, e) in enumerate(spans):
            rows.append(row)
            starts.append(s)
            ends.append(e)
            parent_pos.append(i)
            positions.append(k)
            digests.append(digest(text[s:e]))
    if empty:
        warnings.warn(
            f"{len(empty)} document(s) hold only white space and give no {unit}: {empty[:5]}",
            stacklevel=3,
        )
    parent_ids = corpus.meta.index.to_numpy()[parent_pos] if parent_pos else np.array([])
    meta = corpus.meta.iloc[parent_pos].copy()
    meta["parent_id"] = pd.array(parent_ids, dtype=corpus.meta.index.dtype)
    meta["position"] = np.asarray(positions, dtype=np.int64)
    meta["span_start"] = np.asarray(starts, dtype=np.int64)
    meta["span_end"] = np.asarray(ends, dtype=np.int64)
    meta.index = pd.Index(
        [f"{p}#{k}" for p, k in zip(parent_ids, positions, strict=True)], name="doc_id"
    )
    # Segments of a parent's text: spans are relative to the parent *document*.
    source = SegmentSource(
        corpus._source,
        np.asarray(rows, dtype=np.int64),
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
    )
    return Corpus(source, meta, digests, name=f"{corpus.name} ({unit}s)")
