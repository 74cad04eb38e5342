"""Segmentation of documents into paragraphs and sentences.

Paragraphs
    Separated by a run of white space that holds a line break.  Files differ: some put one
    paragraph on each line, others separate paragraphs by blank lines and wrap lines inside
    them.  ``sep="line"`` splits at every line break, ``sep="blank"`` only at blank lines,
    and ``sep="auto"`` (default) decides per document: blank lines when the document has
    them *and* its lines are hard-wrapped (median non-empty line shorter than
    ``wrap_width`` characters), otherwise every line break.  Hard-wrapped documents that
    separate paragraphs by a single line break (as many scanned records do) cannot be told
    apart this way: clean them first (:meth:`Corpus.clean`, :mod:`toolkit.clean`), which
    rejoins wrapped lines and removes page numbers, so that no sentence is cut at a line end.

Sentences
    The Punkt algorithm (Kiss & Strunk 2006), **trained unsupervised on the corpus itself**
    (up to ``train_chars`` characters, taken from documents spread evenly over it), so no
    model is downloaded; common English abbreviations (``Mr.``, ``Dr.``, ``e.g.``,
    ``U.S.``…) are added to what it learns.  Sentences are found inside paragraphs, so a
    headline without a full stop stays its own sentence.

    Training is NLTK's ``PunktTrainer``; the trained parameters are kept for the session
    and in the toolkit's verified cache, so a corpus is trained on once.  Splitting is
    :class:`SentenceSplitter`, which makes the decisions of NLTK's
    ``PunktSentenceTokenizer.span_tokenize`` — the same candidate contexts, the same
    annotation, the same realignment of closing quotes and brackets; the tests compare
    both on random texts and on the bundled corpus — without building NLTK's token objects
    for the common case (a word and a full stop before a word), and :func:`segment` splits
    the documents in batches, finding candidates and cutting sentences with numpy.  On the
    full UN General Debate Corpus (10,952 speeches, 200 MB) this takes seconds where
    NLTK's own splitting takes minutes.

    Kiss, Tibor and Jan Strunk (2006). Unsupervised multilingual sentence boundary
    detection. *Computational Linguistics* 32(4): 485-525.

Each segment is a character span of its parent: only the white space between segments is
left out, so ``parent[span_start:span_end] == segment`` for every segment.  Segments keep
their parent's metadata and add ``parent_id``, ``position`` (0-based within the parent),
``span_start`` and ``span_end``.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import operator
import re
import statistics
import string
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from .corpus import Corpus, SegmentSource, register_step
from .errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = [
    "segment",
    "paragraph_spans",
    "sentence_spans",
    "train_sentence_model",
    "train_sentence_model_on",
    "sample_texts",
    "sentence_model_key",
    "store_sentence_model",
    "SentenceSplitter",
]

_HAS_BLANK = re.compile(r"\n[^\S\n]*\n")
# Documents are split into sentences in batches of about this many characters.
CHUNK_CHARS = 4_000_000
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
#: Sentence models kept in memory, by corpus fingerprint and training size: the last
#: :data:`MODELS_IN_MEMORY` used (each a few MB), the least recently used dropped first.
_MODELS: OrderedDict[str, PunktSentenceTokenizer] = OrderedDict()
MODELS_IN_MEMORY = 8


# ============================================================================ paragraphs
def _line_spans(text: str) -> list[tuple[int, int]]:
    """Spans between runs of white space that hold a line break (``\\n`` or ``\\r``)."""
    spans = []
    pos = 0
    for piece in text.replace("\r", "\n").split("\n"):
        right = piece.rstrip()
        if right:
            spans.append((pos + len(right) - len(right.lstrip()), pos + len(right)))
        pos += len(piece) + 1
    return spans


def _blank_spans(text: str) -> list[tuple[int, int]]:
    """Spans between runs of white space that hold a blank line (two ``\\n``)."""
    spans = []
    pos = 0
    start = end = -1
    for line in text.split("\n"):
        right = line.rstrip()
        if right:
            if start < 0:
                start = pos + len(right) - len(right.lstrip())
            end = pos + len(right)
        elif start >= 0:
            spans.append((start, end))
            start = -1
        pos += len(line) + 1
    if start >= 0:
        spans.append((start, end))
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
        return _line_spans(text)
    if sep == "blank":
        return _blank_spans(text)
    if sep != "auto":
        raise ParameterError("sep", sep, valid=["auto", "line", "blank"])
    if _HAS_BLANK.search(text):
        lengths = [len(line) for line in text.splitlines() if line.strip()]
        if lengths and statistics.median(lengths) < wrap_width:
            return _blank_spans(text)
    return _line_spans(text)


# ============================================================================ sentences
def _sample_texts(corpus: Corpus, train_chars: int) -> list[str]:
    """Texts of documents spread evenly over the corpus, about ``train_chars`` in all."""
    return sample_texts(len(corpus), lambda i: corpus.source.get(int(corpus.rows[i])), train_chars)


def sample_texts(n: int, text_at: Callable[[int], str], train_chars: int) -> list[str]:
    """The texts a sentence model is trained on: of ``n`` documents (``text_at(i)`` gives
    the ``i``-th), those at even steps through them, about ``train_chars`` characters in
    all; the same for a corpus and for a sharded corpus of the same documents.

    Examples
    --------
    >>> texts = ["One.", "Two.", "Three.", "Four."]
    >>> sample_texts(4, texts.__getitem__, 8)
    ['One.', 'Three.']
    """
    if n == 0:
        return []
    texts: list[str] = []
    total = 0
    # First pass over a thin sample estimates the mean length; then take every step-th.
    probe = [text_at(i) for i in range(0, n, max(1, n // 50))]
    mean = max(1.0, sum(map(len, probe)) / len(probe))
    wanted = max(1, int(np.ceil(train_chars / mean)))
    step = max(1, n // wanted)
    for i in range(0, n, step):
        text = text_at(i)
        texts.append(text)
        total += len(text)
        if total >= train_chars:
            break
    return texts


@fill_doc
def train_sentence_model(
    corpus: Corpus, train_chars: int = 2_000_000, cache: bool = True
) -> PunktSentenceTokenizer:
    """Train NLTK's Punkt sentence splitter on a corpus, without downloads.

    A corpus of up to ``train_chars`` characters is used whole; from a larger one the
    documents are taken at even steps through the corpus (every ``k``-th), so that a corpus
    sorted by year is sampled across its years.  The model is kept per corpus fingerprint
    for the session and, with ``cache``, saved in the toolkit's verified cache
    (``$TOOLKIT_CACHE/punkt/``, as JSON), so that the next session does not train again.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
        The texts the splitter learns its abbreviations, collocations and sentence
        starters from.
    train_chars : int
        About how many characters to train on.
    cache : bool
        Read and write the trained parameters in the cache.

    Examples
    --------
    >>> import toolkit as tk
    >>> model = train_sentence_model(tk.load_sample("commentary"))
    >>> model.tokenize("Mr. Lavrov spoke. Kim listened.")
    ['Mr. Lavrov spoke.', 'Kim listened.']
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    key = f"{corpus.fingerprint}:{train_chars}"
    model = _MODELS.get(key)
    if model is None:
        if cache:
            params = _cached_params(corpus, train_chars)
        else:
            params = _train(corpus, train_chars)
        model = _MODELS[key] = PunktSentenceTokenizer(params)
        while len(_MODELS) > MODELS_IN_MEMORY:
            _MODELS.popitem(last=False)
    else:
        _MODELS.move_to_end(key)
    return model


def _train(corpus: Corpus, train_chars: int) -> Any:
    return _train_on(_sample_texts(corpus, train_chars), train_chars)


def train_sentence_model_on(
    texts: Sequence[str], train_chars: int = 2_000_000
) -> PunktSentenceTokenizer:
    """Train Punkt on ``texts`` (their first ``train_chars`` characters), as
    :func:`train_sentence_model` trains on its sample of a corpus (:func:`sample_texts`);
    not cached.  For corpora that are not one :class:`~toolkit.corpus.Corpus`, such as a
    sharded corpus.

    Examples
    --------
    >>> model = train_sentence_model_on(["Mr. Lavrov spoke. Kim listened."] * 20)
    >>> model.tokenize("Mr. Lavrov spoke. Kim listened.")
    ['Mr. Lavrov spoke.', 'Kim listened.']
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer(_train_on(list(texts), train_chars))


_STORE_MODELS: dict[tuple[str, str, int], Any] = {}


def store_sentence_model(store: Any, train_chars: int = 2_000_000) -> PunktSentenceTokenizer:
    """The Punkt model of the selected documents of a sharded corpus: trained on the same
    documents (:func:`sample_texts`) as :func:`train_sentence_model` on one corpus of them,
    so every shard is split as that corpus would be.  Kept for the last store asked for.

    Examples
    --------
    >>> import tempfile
    >>> import toolkit as tk
    >>> store = tk.build_shards(tk.load_sample(), tempfile.mkdtemp(), progress=False)
    >>> store_sentence_model(store).tokenize("Mr. Guterres spoke. We listened.")
    ['Mr. Guterres spoke.', 'We listened.']
    """
    ids = store.doc_ids
    key = (str(store.path), store.revision, hash(tuple(ids)))
    if key not in _STORE_MODELS:
        texts = sample_texts(len(ids), lambda i: store.text(ids[i]), train_chars)
        _STORE_MODELS.clear()  # one at a time: a model is a few MB
        _STORE_MODELS[key] = train_sentence_model_on(texts, train_chars)
    return _STORE_MODELS[key]


def sentence_model_key(model: Any) -> str:
    """A content key of a Punkt model's parameters: equal for models that split alike."""
    from .cache import content_key

    return content_key({"version": PUNKT_VERSION, "punkt": _params_json(model._params)})


def _params_json(params: Any) -> dict[str, Any]:
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }


def _train_on(parts: list[str], train_chars: int) -> Any:
    from nltk.tokenize.punkt import PunktTrainer

    trainer = _trainer_class(PunktTrainer)(token_cls=_CachedToken.get())
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n\n".join(parts)[:train_chars], finalize=True)
    _CachedToken.clear()
    params = trainer.get_params()
    params.abbrev_types.update(COMMON_ABBREVIATIONS)
    return params


def _trainer_class(base: type) -> type:
    """NLTK's trainer, tokenising words a line at a time but only where needed (below)."""

    class Trainer(base):
        def _tokenize_words(self, plaintext: str) -> Iterator[Any]:
            # NLTK's _tokenize_words, with the tokens of a line from _line_tokens
            word_re = _unwrap(self._lang_vars._word_tokenizer_re())
            token = self._Token
            parastart = False
            for line in plaintext.split("\n"):
                if line.strip():
                    toks = _line_tokens(line, word_re)
                    if not toks:
                        continue
                    yield token(toks[0], parastart=parastart, linestart=True)
                    parastart = False
                    for tok in toks[1:]:
                        yield token(tok)
                else:
                    parastart = True

    return Trainer


# The only white space that str.split and the `regex` package's \s disagree on (checked over
# all of Unicode), and a spaced ellipsis (". . ."), which NLTK's word expression takes as
# one token across white space.
_SPLIT_UNSAFE = re.compile(r"[\x1c-\x1f]|\.\s\.")


def _line_tokens(line: str, word_re: Any) -> list[str]:
    """NLTK's word tokens of a line (``word_re.findall(line)``): words of letters between
    white space are tokens as they are, and only the other pieces go through the
    expression (tokens never span white space, but for the cases ``_SPLIT_UNSAFE``
    finds, where the whole line does)."""
    if _SPLIT_UNSAFE.search(line):
        return word_re.findall(line)
    out: list[str] = []
    for piece in line.split():
        if piece.isalpha():
            out.append(piece)
        else:
            out.extend(word_re.findall(piece))
    return out


#: Bumped whenever training changes, so cached models trained the old way are not used.
PUNKT_VERSION = "punkt-1"  # (the faster tokenisation learns the same parameters)


def _cached_params(corpus: Corpus, train_chars: int) -> Any:
    """Punkt parameters from the verified cache, or trained and saved there."""
    import nltk
    from nltk.tokenize.punkt import PunktParameters

    from .cache import cache_dir, content_key, load_or_build
    from .errors import CacheError

    spec = {
        "corpus": corpus.fingerprint,
        "train_chars": train_chars,
        "nltk": nltk.__version__,
        "version": PUNKT_VERSION,
        "abbreviations": sorted(COMMON_ABBREVIATIONS),
    }
    key = content_key(spec)

    def save(writer: Any, params: Any) -> None:
        writer.json("punkt", _params_json(params))

    def load(entry: Any) -> Any:
        data = entry.json("punkt")
        try:
            params = PunktParameters()
            params.abbrev_types = set(data["abbrev_types"])
            params.collocations = {(a, b) for a, b in data["collocations"]}
            params.sent_starters = set(data["sent_starters"])
            for typ, flag in data["ortho_context"].items():
                params.ortho_context[typ] = int(flag)
        except (KeyError, TypeError, ValueError) as err:
            raise CacheError(f"{entry.folder}: not the parameters of a Punkt model") from err
        return params

    return load_or_build(
        cache_dir() / "punkt" / key,
        kind="punkt",
        key=key,
        params=spec,
        load=load,
        build=lambda: _train(corpus, train_chars),
        save=save,
        what="sentence model",
    )


def _token_class() -> type:
    from nltk.tokenize.punkt import PunktToken

    class CachedToken(PunktToken):
        """NLTK's Punkt token with its regular-expression properties remembered per token
        text (they depend on the text alone), which halves the time of training."""

        __slots__ = ()
        _types: dict[str, str] = {}
        _ellipsis: dict[str, bool] = {}

        def __init__(self, tok: str, **params: Any) -> None:
            # NLTK's __init__, without its loops over the properties
            self.tok = tok  # type: ignore[misc]  # NLTK's slots
            self.type = self._get_type(tok)  # type: ignore[misc]  # NLTK's slots
            self.period_final = tok.endswith(".")  # type: ignore[misc]  # NLTK's slots
            self.parastart = params.pop("parastart", None)  # type: ignore[misc]  # NLTK's slots
            self.linestart = params.pop("linestart", None)  # type: ignore[misc]  # NLTK's slots
            self.sentbreak = self.abbr = self.ellipsis = None  # type: ignore[misc]  # NLTK's slots
            for k, v in params.items():
                setattr(self, k, v)

        def _get_type(self, tok: str) -> str:
            t = self._types.get(tok)
            if t is None:
                if len(self._types) > 500_000:
                    self._types.clear()
                t = self._types[tok] = super()._get_type(tok)
            return t

        @property
        def is_ellipsis(self) -> bool:
            e = self._ellipsis.get(self.tok)
            if e is None:
                if len(self._ellipsis) > 500_000:
                    self._ellipsis.clear()
                e = self._ellipsis[self.tok] = bool(PunktToken.is_ellipsis.fget(self))
            return e

        @classmethod
        def clear(cls) -> None:
            cls._types.clear()
            cls._ellipsis.clear()

    return CachedToken


class _LazyTokenClass:
    """Defers importing NLTK until a model is trained."""

    _cls: Any = None

    def get(self) -> type:
        if self._cls is None:
            self._cls = _token_class()
        return self._cls

    def clear(self) -> None:
        if self._cls is not None:
            self._cls.clear()


_CachedToken = _LazyTokenClass()


def _unwrap(pattern: Any) -> Any:
    # NLTK 3.9.2+ wraps its patterns in a time-limit guard; the pattern inside is the same.
    return getattr(pattern, "_rx", pattern)


def _checked_paragraphs(paragraphs: Iterable[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The paragraph spans as a list, each within ``0..n``, in order, not overlapping."""
    out: list[tuple[int, int]] = []
    previous = 0
    for i, span in enumerate(paragraphs):
        try:
            ps, pe = (int(x) for x in span)
        except (TypeError, ValueError) as err:
            raise ParameterError(
                "paragraphs", span, f"paragraph {i} is not a (start, end) pair"
            ) from err
        if not previous <= ps <= pe <= n:
            raise ParameterError(
                "paragraphs",
                span,
                f"paragraph {i} ({ps}, {pe}) must lie within the text (0 to {n}), start "
                f"no earlier than the previous paragraph's end ({previous}) and end "
                "no earlier than it starts",
            )
        out.append((ps, pe))
        previous = pe
    return out


class SentenceSplitter:
    """Sentence spans as NLTK's ``PunktSentenceTokenizer.span_tokenize`` finds them, faster.

    NLTK finds each candidate boundary (a ``.``, ``?`` or ``!`` followed by white space and
    a token, or by punctuation), builds the context "word before, the mark, what follows",
    tokenises and annotates it (Kiss & Strunk 2006, sections 3-4: abbreviations,
    collocations, orthographic evidence, frequent sentence starters) and realigns closing
    quotes and brackets.  This class runs the same steps with the trained parameters of
    ``model``, and

    * decides the commonest contexts directly from the parameters: after a word of two or
      more letters a full stop is a boundary unless the word is a known abbreviation or
      the pair a known collocation (after an abbreviation, only when the next word is
      capitalised and orthographic evidence or the sentence-starter list says so); after
      a number, unless the pair is a collocation or orthography says the next word does
      not start sentences;
    * treats ``?`` and ``!`` before a token as boundaries (NLTK's annotation always does);
    * decides every other context with a port of NLTK's ``text_contains_sentbreak`` (its
      word tokens and both annotation passes), once per distinct context.

    :meth:`split_many` does the same for many documents at once, with numpy.  A model with
    its own language variables or token class is used through its own ``span_tokenize``.

    Parameters
    ----------
    model : PunktSentenceTokenizer
        A trained model (see :func:`train_sentence_model`).

    Examples
    --------
    >>> import toolkit as tk
    >>> splitter = SentenceSplitter(train_sentence_model(tk.load_sample("commentary")))
    >>> text = "Mr. Lavrov spoke. (He was brief.) Kim listened!"
    >>> [text[s:e] for s, e in splitter.spans(text)]
    ['Mr. Lavrov spoke.', '(He was brief.)', 'Kim listened!']
    """

    _last_codes: tuple[str, np.ndarray] | None = None

    def __init__(self, model: Any) -> None:
        from nltk.tokenize import punkt

        self.model = model
        lang: Any = getattr(model, "_lang_vars", None)
        self.exact = (
            isinstance(model, punkt.PunktSentenceTokenizer)
            and type(lang) is punkt.PunktLanguageVars
            and tuple(lang.sent_end_chars) == (".", "?", "!")
            and _same_methods(type(model), punkt.PunktSentenceTokenizer)
            and getattr(model, "_Token", None) is punkt.PunktToken
        )
        if not self.exact:
            return
        assert lang is not None
        params = model._params
        self._abbrev = params.abbrev_types
        self._colloc = params.collocations
        self._starters = params.sent_starters
        self._ortho = params.ortho_context
        self._context_re = _unwrap(lang.period_context_re())
        self._realign_re = _unwrap(lang.re_boundary_realignment)
        # A realigned boundary starts with one of these characters; the check saves calling
        # the expression after most boundaries (only for the expressions NLTK has used).
        known = ("[\"\\')\\]}]+?", "[\"\\')\\]}\\u2018\\u2019\\u201c\\u201d\\xab\\xbb]+?")
        pattern = getattr(self._realign_re, "pattern", "")
        self._realign_first = (
            frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")
            if any(pattern.startswith(k) for k in known)
            else None
        )
        token = punkt.PunktToken
        self._numeric_re = _unwrap(token._RE_NUMERIC)
        self._initial_re = _unwrap(token._RE_INITIAL)
        self._ellipsis_re = _unwrap(token._RE_ELLIPSIS)
        self._word_re = _unwrap(lang._word_tokenizer_re())
        self._sent_end_chars = tuple(lang.sent_end_chars)
        self._punctuation = tuple(punkt.PunktSentenceTokenizer.PUNCTUATION)
        self._LC, self._UC = punkt._ORTHO_LC, punkt._ORTHO_UC
        self._MID_UC, self._BEG_LC = punkt._ORTHO_MID_UC, punkt._ORTHO_BEG_LC
        self._decided: dict[str, bool] = {}
        # Lower-cased words before a full stop that need more than "a boundary".
        self._suspects = frozenset(self._abbrev) | {a for a, _ in self._colloc}

    # ------------------------------------------------------------------ decisions
    def _sentbreak(self, text: str, word_start: int, mark: int, nt: int, nxt: str | None) -> bool:
        """Does the context of the candidate at ``mark`` hold a boundary?  ``word_start``:
        where the word before it starts; ``nt``/``nxt``: offset and text of the next token
        (-1 and None when punctuation follows the mark)."""
        if text[mark] != ".":
            return True  # "?" / "!" before a token: NLTK's first pass marks it, always
        word = text[word_start:mark]
        if nxt is not None:
            # The next token: letters, perhaps with one , ; or : after them (a token of
            # its own, which cannot be a boundary).
            if nxt.isalpha():
                first = nxt
            elif nxt[-1] in ",;:" and nxt[:-1].isalpha():
                first = nxt[:-1]
            else:
                first = ""
            if first:
                next_typ = first.lower()
                if len(word) > 1 and word.isalpha():
                    typ = word.lower()
                    if (typ, next_typ) in self._colloc:
                        return False
                    if typ not in self._abbrev:
                        return True
                    # an abbreviation: a boundary if the next word is a sentence starter
                    if not first[0].isupper():
                        return False
                    ortho = self._ortho.get(next_typ, 0)
                    return bool(ortho & self._LC and not ortho & self._MID_UC) or (
                        next_typ in self._starters
                    )
                if word.isdigit() and word.isascii() and word not in self._abbrev:
                    # a number: a boundary unless the orthography says the next word
                    # does not start sentences
                    if ("##number##", next_typ) in self._colloc:
                        return False
                    ortho = self._ortho.get(next_typ, 0)
                    return not (
                        first[0].islower() and (ortho & self._UC or not ortho & self._BEG_LC)
                    )
            context = word + text[mark:nt] + nxt
        else:
            context = word + text[mark : mark + 2]
        found = self._decided.get(context)
        if found is None:
            if len(self._decided) > 1_000_000:
                self._decided.clear()
            found = self._decided[context] = self._contains_sentbreak(context)
        return found

    def _first_pass(self, tok: str) -> tuple[bool, bool, bool]:
        """NLTK's first-pass annotation of one token: (sentbreak, abbr, ellipsis)."""
        if tok in self._sent_end_chars:
            return True, False, False
        if self._ellipsis_re.match(tok):
            return False, False, True
        if tok.endswith(".") and not tok.endswith(".."):
            stem = tok[:-1].lower()
            if stem in self._abbrev or stem.split("-")[-1] in self._abbrev:
                return False, True, False
            return True, False, False
        return False, False, False

    def _type(self, tok: str) -> str:
        return self._numeric_re.sub("##number##", tok.lower())

    def _ortho_heuristic(self, tok: str, typ: str) -> bool | str:
        """NLTK's orthographic heuristic: is ``tok`` (of type ``typ``) a sentence start?"""
        if tok in self._punctuation:
            return False
        ortho = self._ortho.get(typ, 0)
        if tok[0].isupper() and ortho & self._LC and not ortho & self._MID_UC:
            return True
        if tok[0].islower() and (ortho & self._UC or not ortho & self._BEG_LC):
            return False
        return "unknown"

    def _contains_sentbreak(self, context: str) -> bool:
        """NLTK's ``text_contains_sentbreak``: tokenise the context, annotate it (first and
        second pass), and report a boundary that is followed by another token."""
        toks: list[str] = []
        for line in context.split("\n"):
            if line.strip():
                toks.extend(self._word_re.findall(line))
        ann = [self._first_pass(t) for t in toks]
        found = False
        for i, tok in enumerate(toks):
            if found:
                return True
            sentbreak, abbr, ellipsis = ann[i]
            if i + 1 < len(toks) and tok.endswith("."):
                tok2 = toks[i + 1]
                typ = self._type(tok)
                if len(typ) > 1 and typ[-1] == ".":
                    typ = typ[:-1]
                next_typ = self._type(tok2)
                if ann[i + 1][0] and len(next_typ) > 1 and next_typ[-1] == ".":
                    next_typ = next_typ[:-1]
                initial = self._initial_re.match(tok) is not None
                if (typ, next_typ) in self._colloc:
                    sentbreak = False
                elif (
                    (abbr or ellipsis)
                    and not initial
                    and (
                        self._ortho_heuristic(tok2, next_typ) is True
                        or (tok2[0].isupper() and next_typ in self._starters)
                    )
                ):
                    sentbreak = True
                elif initial or typ == "##number##":
                    starter = self._ortho_heuristic(tok2, next_typ)
                    if starter is False or (
                        starter == "unknown"
                        and initial
                        and tok2[0].isupper()
                        and not self._ortho.get(next_typ, 0) & self._LC
                    ):
                        sentbreak = False
            if sentbreak:
                found = True
        return False

    def _last_whitespace(self, text: str, lo: int, hi: int) -> int:
        """Index of the last ASCII white-space character in ``text[lo:hi]``, or -1."""
        return max(text.rfind(c, lo, hi) for c in string.whitespace)

    # ------------------------------------------------------------------ spans
    @staticmethod
    def _marks(text: str, start: int, end: int) -> list[int]:
        """Offsets of every ``.``, ``?`` and ``!`` in ``text[start:end]``, in order."""
        pieces = text[start:end].split(".")
        if len(pieces) > 1:
            lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))[:-1]
            marks = (np.cumsum(lengths + 1) + (start - 1)).tolist()
        else:
            marks = []
        more = False
        for ch in "?!":
            i = text.find(ch, start, end)
            while i >= 0:
                marks.append(i)
                more = True
                i = text.find(ch, i + 1, end)
        if more:
            marks.sort()
        return marks

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Sentence spans of ``text[start:end]``, as offsets into ``text``.

        Equal to ``[(start + s, start + e) for s, e in model.span_tokenize(text[start:end])]``.

        Parameters
        ----------
        text : str
            The text.
        start, end : int
            The part of ``text`` to split (default: all of it).

        Returns
        -------
        list of (int, int)
            ``(start, end)`` of each sentence, in order.

        Examples
        --------
        >>> import toolkit as tk
        >>> splitter = SentenceSplitter(train_sentence_model(tk.load_sample("commentary")))
        >>> splitter.spans("Intro. Mr. Lavrov spoke. Kim listened.", start=7)
        [(7, 24), (25, 38)]
        """
        end = len(text) if end is None else end
        if not self.exact:
            return [(start + s, start + e) for s, e in self.model.span_tokenize(text[start:end])]
        out: list[tuple[int, int]] = []
        self._split_range(text, start, end, self._marks(text, start, end), 0, out)
        return out

    def _decide_stop(
        self, text: str, i: int, end: int, word_start: int, nt: int, one_space: bool
    ) -> bool:
        """The decision at the full stop ``i`` (paragraph end ``end``), whose word starts at
        ``word_start`` and whose next token at ``nt``; ``one_space``: one space lies between
        them.  Words that may start a collocation are looked up with the next word; the
        rest goes to :meth:`_sentbreak`."""
        word = text[word_start:i]
        if one_space and len(word) > 1 and word.isalpha():
            typ = word.lower()
            if typ not in self._suspects:
                return True
            if typ not in self._abbrev:
                sp = text.find(" ", nt, end)
                tok = text[nt : end if sp < 0 else sp]
                if tok.isalpha():
                    return (typ, tok.lower()) not in self._colloc
                if tok[-1] in ",;:" and tok[:-1].isalpha():
                    return (typ, tok[:-1].lower()) not in self._colloc
        m = self._context_re.match(text, i, end)
        return self._sentbreak(text, word_start, i, nt, m.group("next_tok"))

    def _split_range(
        self, text: str, start: int, end: int, marks: list[int], k: int, out: list
    ) -> int:
        """Append the sentence spans of ``text[start:end]`` to ``out``; ``marks[k:]`` are the
        marks from ``start`` on.  Returns the index of the first mark after ``end``.

        One pass over the marks does what NLTK does in three (``_match_potential_end_contexts``,
        ``_slices_from_text``, ``_realign_boundaries``): a candidate is decided when it is
        found and kept until the next one shows whether NLTK yields it.
        """
        kend = bisect.bisect_left(marks, end, k)
        context_re = self._context_re
        suspects = self._suspects
        first = self._realign_first
        slices: list[tuple[int, int]] = []
        last_break = start
        realign = False
        p_mark = p_nt = -1  # the pending candidate: its mark, next token, decision
        p_break = False
        prev_start = prev_stop = start
        for i in marks[k:kend]:
            j = i + 1
            if j >= end:
                continue
            # The context expression: punctuation after the mark, or white space and a
            # token.  One space and a visible character is the common case.
            c = text[j]
            m = None
            if c == " " and j + 1 < end and not text[j + 1].isspace():
                nt = j + 1
            elif c.isalnum():
                continue  # U.S, 3.5, A/70/PV.16: the expression cannot match
            else:
                m = context_re.match(text, i, end)
                if m is None:
                    continue
                nt = m.start("next_tok")
            # The word before the mark: after the last white space since the previous
            # candidate, or (none there) the previous candidate's word (NLTK's rule).
            sp = text.rfind(" ", prev_stop, i)
            word = text[sp + 1 : i] if sp > prev_stop else ""
            if word and word.isprintable():  # no other white space after the space
                word_start = sp + 1
            else:
                word = ""
                ws = self._last_whitespace(text, prev_stop, i)
                word_start = ws + 1 if ws > prev_stop else prev_start
            # NLTK yields the pending candidate unless this word reaches back over it.
            if p_break and prev_stop <= word_start:
                slices.append((last_break, p_mark + 1))
                last_break = p_nt if p_nt >= 0 else p_mark + 1
                if first is None or (last_break < end and text[last_break] in first):
                    realign = True
            # Decide this candidate: "?" and "!" always; a full stop after a word of two or
            # more letters that is no abbreviation and starts no collocation always.
            if text[i] != ".":
                brk = True
            elif len(word) > 1 and word.isalpha() and word.lower() not in suspects:
                brk = True
            else:
                brk = self._decide_stop(text, i, end, word_start, nt, m is None)
            p_mark, p_nt, p_break = i, nt, brk
            prev_start, prev_stop = word_start, i
        if p_break:
            slices.append((last_break, p_mark + 1))
            last_break = p_nt if p_nt >= 0 else p_mark + 1
            if first is None or (last_break < end and text[last_break] in first):
                realign = True
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if not slices:
            if stop > last_break:
                out.append((last_break, stop))
            return kend
        slices.append((last_break, stop))
        if realign:
            out.extend(self._realign(text, slices))
        else:
            out.extend(sl for sl in slices if sl[1] > sl[0])
        return kend

    def _realign(self, text: str, slices: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """NLTK's ``_realign_boundaries``: closing quotes and brackets after a boundary
        belong to the sentence before it."""
        out: list[tuple[int, int]] = []
        realign = 0
        first = self._realign_first
        for k, (s1, e1) in enumerate(slices):
            s1 += realign
            if k + 1 == len(slices):
                if e1 > s1:
                    out.append((s1, e1))
                break
            s2, e2 = slices[k + 1]
            m = None
            if s2 < e2 and (first is None or text[s2] in first):
                m = self._realign_re.match(text, s2, e2)
            if m:
                out.append((s1, s2 + len(m.group(0).rstrip())))
                realign = m.end() - s2
            else:
                realign = 0
                if e1 > s1:
                    out.append((s1, e1))
        return out

    def split(self, text: str, paragraphs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sentence spans of the paragraphs (spans of ``text``, in order), in order.

        Parameters
        ----------
        text : str
            The text.
        paragraphs : iterable of (int, int)
            The paragraph spans of ``text``, sorted and not overlapping; no sentence
            crosses a paragraph's end.

        Returns
        -------
        list of (int, int)
            ``(start, end)`` of each sentence in ``text``, in order.

        Raises
        ------
        ParameterError
            A paragraph span outside the text, ending before it starts, or before the
            previous one ends.

        Examples
        --------
        >>> import toolkit as tk
        >>> splitter = SentenceSplitter(train_sentence_model(tk.load_sample("commentary")))
        >>> splitter.split("Peace talks\\nKim listened. He left.", [(0, 11), (12, 34)])
        [(0, 11), (12, 25), (26, 34)]
        """
        paragraphs = _checked_paragraphs(paragraphs, len(text))
        out: list[tuple[int, int]] = []
        if not self.exact:
            for ps, pe in paragraphs:
                out.extend(self.spans(text, ps, pe))
            return out
        marks = self._marks(text, 0, len(text))
        k = 0
        n = len(marks)
        for ps, pe in paragraphs:
            while k < n and marks[k] < ps:
                k += 1
            k = self._split_range(text, ps, pe, marks, k, out)
        return out

    # ------------------------------------------------------------------ many documents
    def split_many(
        self, texts: Sequence[str], paragraphs: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
        """Sentence spans of many documents at once (what :func:`segment` uses).

        The documents are joined into one string and the marks of all of them are handled
        together with numpy: finding the candidates and the word before each (NLTK's rule),
        deciding the common case (a full stop after a word of two or more letters that is
        no abbreviation and starts no collocation), and cutting the slices.  Only the other
        candidates, and the paragraphs where a closing quote or bracket follows a boundary,
        are handled one by one, by the code of :meth:`spans`.  The result equals calling
        :meth:`split` on each document (the tests check this on the bundled corpus).

        Parameters
        ----------
        texts : sequence of str
            The documents' texts.
        paragraphs : sequence of lists of (start, end)
            The paragraph spans of each text (sorted, not overlapping).

        Returns
        -------
        joined : str
            The texts, joined.
        starts, ends : numpy.ndarray
            Sentence spans in ``joined``, in order.
        counts : numpy.ndarray
            Number of sentences of each text.

        Examples
        --------
        >>> import toolkit as tk
        >>> splitter = SentenceSplitter(train_sentence_model(tk.load_sample("commentary")))
        >>> joined, starts, ends, counts = splitter.split_many(
        ...     ["Kim listened. He left.", "Peace."], [[(0, 22)], [(0, 6)]]
        ... )
        >>> [joined[s:e] for s, e in zip(starts, ends)], counts.tolist()
        (['Kim listened.', 'He left.', 'Peace.'], [2, 1])
        """
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in texts], out=offsets[1:])
        n_par = np.fromiter(map(len, paragraphs), dtype=np.int64, count=len(paragraphs))
        flat = np.fromiter(
            itertools.chain.from_iterable(itertools.chain.from_iterable(paragraphs)),
            dtype=np.int64,
            count=2 * int(n_par.sum()),
        )
        shift = np.repeat(offsets[:-1], n_par)
        ps, pe = flat[0::2] + shift, flat[1::2] + shift
        joined = "".join(texts)
        if self.exact:
            starts, ends = self._split_joined(joined, ps, pe)
        else:
            spans = self.split(joined, zip(ps.tolist(), pe.tolist(), strict=True))
            starts = np.asarray([a for a, _ in spans], dtype=np.int64)
            ends = np.asarray([b for _, b in spans], dtype=np.int64)
        doc_of = np.searchsorted(offsets, starts, side="right") - 1
        counts = np.bincount(doc_of, minlength=len(texts)).astype(np.int64)
        return joined, starts, ends, counts

    def _digests(self, joined: str, starts: np.ndarray, ends: np.ndarray) -> list[bytes]:
        """SHA-1 digests of the UTF-8 encodings of ``joined[s:e]`` (as
        :func:`toolkit.corpus.digest`), hashing slices of one encoded buffer: a character
        offset becomes a byte offset by counting the characters before it that take two,
        three or four bytes."""
        data = joined.encode("utf-8", "surrogatepass")
        if len(data) != len(joined):
            last = getattr(self, "_last_codes", None)  # the code points _split_joined made
            if last is not None and last[0] is joined:
                cp = last[1]
            else:
                cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            self._last_codes = None
            wide = np.flatnonzero(cp >= 0x80)
            wider = wide[cp[wide] >= 0x800]
            widest = wider[cp[wider] >= 0x10000]

            def to_bytes(offsets: np.ndarray) -> np.ndarray:
                extra = np.searchsorted(wide, offsets) + np.searchsorted(wider, offsets)
                return offsets + extra + np.searchsorted(widest, offsets)

            starts, ends = to_bytes(starts), to_bytes(ends)
        view = memoryview(data)
        sha1 = hashlib.sha1
        return [
            sha1(view[a:b]).digest() for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
        ]

    def _split_joined(
        self, text: str, ps: np.ndarray, pe: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sentence spans of the paragraphs ``[ps, pe)`` (sorted, disjoint) of ``text``."""
        i64 = np.int64
        n = len(text)
        if n == 0 or len(ps) == 0:
            return np.zeros(0, i64), np.zeros(0, i64)
        nonword, rspace, space = _char_classes(self.model._lang_vars._re_non_word_chars)
        cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        self._last_codes = (text, cp)
        bmp = np.minimum(cp, 0x10000)  # for the tables: 0x10000 stands for any astral one

        # 1. Marks inside paragraphs, and the paragraph of each.
        marks = np.flatnonzero(cp == 46)
        others = [i for ch in "?!" for i in _find_all(text, ch)]
        if others:
            marks = np.sort(np.concatenate([marks, np.asarray(others, dtype=i64)]))
        par = np.searchsorted(ps, marks, side="right") - 1
        ok = (par >= 0) & (marks < pe[np.maximum(par, 0)])
        marks, par = marks[ok], par[ok]
        end = pe[par]

        # 2. The context expression (the paragraph's end is the text's end): punctuation
        #    after the mark, or white space and a token.  One space and a visible
        #    character is decided here; longer white space by the expression itself.
        j = marks + 1
        c1 = bmp[np.minimum(j, n - 1)]
        c2 = bmp[np.minimum(j + 1, n - 1)]
        inside = j < end
        punct = inside & nonword[c1]
        white = inside & rspace[c1]
        one_space = white & (c1 == 32) & (j + 1 < end) & ~rspace[c2]
        nt = np.where(one_space, j + 1, -1)
        matched = punct | one_space
        # Longer runs of ASCII white space (".\t12", ".  The"): the next token starts after
        # the run, if a visible character ends it inside the paragraph.
        low = np.flatnonzero(cp <= 32)
        aws = low[_ASCII_WS[cp[low]]]
        longer = white & ~one_space
        if len(aws) and longer.any():
            run_end = np.append(np.diff(aws) != 1, True)
            last_of_run = aws[run_end]
            run_of = np.cumsum(np.concatenate(([0], run_end[:-1])))
            q = np.minimum(np.searchsorted(aws, j), len(aws) - 1)
            ascii_run = longer & (aws[q] == j)
            after = last_of_run[run_of[q]] + 1
            visible = after < end
            visible[visible] = ~rspace[bmp[after[visible]]]
            done = ascii_run & (visible | (after >= end))
            nt = np.where(done & visible, after, nt)
            matched |= done & visible
            longer &= ~done
        for k in np.flatnonzero(longer).tolist():
            m = self._context_re.match(text, int(marks[k]), int(end[k]))
            if m is not None:
                matched[k] = True
                nt[k] = m.start("next_tok")
        marks, par, end, nt, one_space = (
            marks[matched],
            par[matched],
            end[matched],
            nt[matched],
            one_space[matched],
        )

        # 3. The word before each mark (NLTK's rule): after the last ASCII white space since
        #    the previous mark of the paragraph, or else the previous mark's word.
        k = np.searchsorted(aws, marks) - 1
        lw = aws[np.maximum(k, 0)] if len(aws) else np.zeros(len(marks), dtype=i64)
        lw = np.where(k >= 0, lw, -1)
        first_in_par = np.ones(len(marks), dtype=bool)
        first_in_par[1:] = par[1:] != par[:-1]
        prev_stop = np.where(first_in_par, ps[par], np.roll(marks, 1))
        word_start = np.where(lw > prev_stop, lw + 1, np.where(first_in_par, ps[par], -1))
        if len(marks):
            fill = np.where(word_start >= 0, np.arange(len(marks)), 0)
            word_start = word_start[np.maximum.accumulate(fill)]

        # 4. The candidates NLTK yields: a mark is dropped when the next mark's word
        #    reaches back over it ("acting!!!" yields only its last "!").
        last_in_par = np.ones(len(marks), dtype=bool)
        last_in_par[:-1] = par[:-1] != par[1:]
        keep = last_in_par.copy()
        keep[:-1] |= marks[:-1] <= word_start[1:]
        marks, par, end, nt, one_space, word_start = (
            marks[keep],
            par[keep],
            end[keep],
            nt[keep],
            one_space[keep],
            word_start[keep],
        )

        # 5. Decisions: "?" and "!" are boundaries, and so is a full stop after a word of
        #    two or more letters that is no abbreviation and starts no collocation.  After a
        #    word that starts a collocation, or a number, the next word decides (when it is
        #    letters, perhaps with , ; or : after them); the rest is decided one by one.
        brk = np.ones(len(marks), dtype=bool)
        dots = np.flatnonzero(cp[marks] == 46)
        w_start, w_end = word_start[dots].tolist(), marks[dots].tolist()
        words = list(map(text.__getitem__, map(slice, w_start, w_end)))
        count = len(words)
        lengths = np.fromiter(map(len, words), dtype=i64, count=count)
        alpha = np.fromiter(map(str.isalpha, words), dtype=bool, count=count) & (lengths > 1)
        types = list(map(str.lower, words))
        known = np.fromiter(map(self._suspects.__contains__, types), dtype=bool, count=count)
        rest = np.flatnonzero(~(alpha & ~known))  # positions in dots
        if len(rest):
            k_rest = dots[rest]
            ntr = nt[k_rest]
            has = ntr >= 0
            q = np.searchsorted(aws, ntr)
            aws_end = np.append(aws, n)  # next ASCII white space, or the text's end
            tok_end = aws_end[q]
            tok_end = np.where(has, np.minimum(tok_end, end[k_rest]), ntr)
            toks = list(map(text.__getitem__, map(slice, ntr.tolist(), tok_end.tolist())))
            count = len(toks)
            # the next token's letters: all of it, or all but a final , ; or :
            whole = np.fromiter(map(str.isalpha, toks), dtype=bool, count=count)
            lasts = "".join(t[-1:] or " " for t in toks)
            clipped = np.fromiter(
                map(str.isalpha, map(operator.itemgetter(slice(None, -1)), toks)),
                dtype=bool,
                count=count,
            ) & np.isin(
                np.frombuffer(lasts.encode("utf-32-le", "surrogatepass"), np.uint32), _CLAUSE_CODES
            )
            plain = has & (whole | clipped)
            firsts = [t if w else t[:-1] for t, w in zip(toks, whole.tolist(), strict=True)]
            next_types = list(map(str.lower, firsts))
            abbrev, colloc = self._abbrev, self._colloc
            rest_types = [types[r] for r in rest.tolist()]
            in_abbrev = np.fromiter(map(abbrev.__contains__, rest_types), dtype=bool, count=count)
            in_colloc = np.fromiter(
                map(colloc.__contains__, zip(rest_types, next_types, strict=True)),
                dtype=bool,
                count=count,
            )
            rest_words = [words[r] for r in rest.tolist()]
            number = (
                np.fromiter(
                    (w.isdigit() and w.isascii() for w in rest_words), dtype=bool, count=count
                )
                & ~in_abbrev
            )
            number_colloc = np.fromiter(
                map(colloc.__contains__, (("##number##", t) for t in next_types)),
                dtype=bool,
                count=count,
            )
            lower_first = np.fromiter((t[:1].islower() for t in firsts), dtype=bool, count=count)
            # a word that starts some collocation: a boundary unless it starts one with
            # the next word; a number: none before a word it forms a collocation with, one
            # before a word that does not start in lower case
            colloc_first = plain & alpha[rest] & ~in_abbrev
            numeric = plain & ~colloc_first & number
            brk[dots[rest[colloc_first]]] = ~in_colloc[colloc_first]
            brk[dots[rest[numeric & number_colloc]]] = False
            # an abbreviation: a boundary before a capitalised word that orthography or
            # the sentence-starter list says starts sentences (and no collocation)
            abbreviation = plain & alpha[rest] & in_abbrev
            if abbreviation.any():
                pick = np.flatnonzero(abbreviation)
                ortho, starters = self._ortho, self._starters
                lc, mid_uc = self._LC, self._MID_UC
                starts_sentence = [
                    firsts[r][0].isupper()
                    and (
                        bool(ortho.get(next_types[r], 0) & lc)
                        and not ortho.get(next_types[r], 0) & mid_uc
                        or next_types[r] in starters
                    )
                    for r in pick.tolist()
                ]
                brk[dots[rest[pick]]] = ~in_colloc[pick] & np.asarray(starts_sentence, dtype=bool)
            decided = colloc_first | abbreviation | (numeric & (number_colloc | ~lower_first))
            for r in np.flatnonzero(~decided).tolist():
                k = int(k_rest[r])
                brk[k] = self._decide_stop(
                    text,
                    int(marks[k]),
                    int(end[k]),
                    int(word_start[k]),
                    int(nt[k]),
                    bool(one_space[k]),
                )

        # 6. Slices: from the paragraph's start or the previous boundary's next token (or
        #    the character after it) to the mark; the last one to the paragraph's end.
        marks, par, nt = marks[brk], par[brk], nt[brk]
        after = np.where(nt >= 0, nt, marks + 1)
        first_in_par = np.ones(len(marks), dtype=bool)
        first_in_par[1:] = par[1:] != par[:-1]
        b_start = np.where(first_in_par, ps[par], np.roll(after, 1))
        last_in_par = np.ones(len(marks), dtype=bool)
        last_in_par[:-1] = par[:-1] != par[1:]
        tail_start = ps.copy()
        tail_start[par[last_in_par]] = after[last_in_par]
        stop = pe.copy()  # without white space at its end, as str.rstrip
        trailing = (pe > ps) & space[bmp[np.maximum(pe - 1, 0)]]
        for p_ in np.flatnonzero(trailing).tolist():
            stop[p_] = ps[p_] + len(text[ps[p_] : pe[p_]].rstrip())
        starts = np.concatenate([b_start, tail_start])
        ends = np.concatenate([marks + 1, stop])
        pars = np.concatenate([par, np.arange(len(ps))])
        order = np.lexsort((starts, pars))
        starts, ends, pars = starts[order], ends[order], pars[order]

        # 7. Closing quotes and brackets after a boundary (NLTK's realignment), paragraph by
        #    paragraph where a slice after the first starts with one.
        later = np.zeros(len(starts), dtype=bool)
        later[1:] = pars[1:] == pars[:-1]
        quoted = later & (starts < n)
        first = self._realign_first
        if first is not None:
            quoted[quoted] = np.isin(cp[starts[quoted]], [ord(c) for c in first])
        redo = pars[quoted]  # sorted
        redo = redo[np.append(True, redo[1:] != redo[:-1])] if len(redo) else redo
        keep = ends > starts
        if not len(redo):
            return starts[keep], ends[keep]
        lo = np.searchsorted(pars, redo)
        hi = np.searchsorted(pars, redo, side="right")
        fixed: list[tuple[int, int]] = []
        fixed_par: list[int] = []
        for p_, a_, b_ in zip(redo.tolist(), lo.tolist(), hi.tolist(), strict=True):
            pairs = zip(starts[a_:b_].tolist(), ends[a_:b_].tolist(), strict=True)
            spans = self._realign(text, list(pairs))
            fixed.extend(spans)
            fixed_par.extend([p_] * len(spans))
        keep &= ~np.isin(pars, redo)
        starts = np.concatenate([starts[keep], np.asarray([a for a, _ in fixed], dtype=i64)])
        ends = np.concatenate([ends[keep], np.asarray([b for _, b in fixed], dtype=i64)])
        pars = np.concatenate([pars[keep], np.asarray(fixed_par, dtype=i64)])
        order = np.lexsort((starts, pars))
        return starts[order], ends[order]


_CLAUSE_CODES = np.array([ord(c) for c in ",;:"], dtype=np.uint32)
_ASCII_WS = np.zeros(33, dtype=bool)  # for code points up to 32: is it ASCII white space?
_ASCII_WS[[ord(c) for c in string.whitespace]] = True


def _find_all(text: str, ch: str) -> list[int]:
    out = []
    i = text.find(ch)
    while i >= 0:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


@functools.lru_cache(maxsize=4)
def _char_classes(non_word: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every character of the Basic Multilingual Plane (and, at 0x10000, for all astral
    ones, which are none of these): punctuation of NLTK's ``NonWord`` class, white space as
    the `regex` package's ``\\s`` sees it (NLTK's expressions), white space as
    ``str.isspace`` sees it (``str.rstrip``)."""
    import regex

    chars = "".join(map(chr, range(0x10000)))

    def matches(pattern: str) -> np.ndarray:
        out = np.zeros(0x10001, dtype=bool)
        out[[m.start() for m in regex.finditer(pattern, chars)]] = True
        return out

    space = np.zeros(0x10001, dtype=bool)
    space[:0x10000] = np.fromiter(map(str.isspace, chars), dtype=bool, count=0x10000)
    return matches(non_word), matches(r"\s"), space


def _same_methods(cls: type, base: type) -> bool:
    """True when ``cls`` does not override the methods whose decisions the splitter copies."""
    names = (
        "span_tokenize",
        "_slices_from_text",
        "_match_potential_end_contexts",
        "_realign_boundaries",
        "text_contains_sentbreak",
        "_annotate_tokens",
        "_second_pass_annotation",
        "_ortho_heuristic",
        "_first_pass_annotation",
        "_tokenize_words",
    )
    return all(getattr(cls, n, None) is getattr(base, n, None) for n in names)


def sentence_spans(
    text: str,
    model: Any,
    sep: str = "auto",
    wrap_width: int = 100,
) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, found inside its paragraphs.

    Parameters
    ----------
    text : str
    model : PunktSentenceTokenizer or SentenceSplitter
        A trained model (see :func:`train_sentence_model`).
    sep, wrap_width
        How paragraphs are found (see :func:`paragraph_spans`).

    Examples
    --------
    >>> import toolkit as tk
    >>> model = train_sentence_model(tk.load_sample("commentary"))
    >>> text = "Mr. Lavrov spoke.\\nKim listened. Then he left."
    >>> [text[s:e] for s, e in sentence_spans(text, model)]
    ['Mr. Lavrov spoke.', 'Kim listened.', 'Then he left.']
    """
    splitter = model if isinstance(model, SentenceSplitter) else SentenceSplitter(model)
    return splitter.split(text, paragraph_spans(text, sep=sep, wrap_width=wrap_width))


# ============================================================================ segment
def _span_digests(text: str, spans: Sequence[tuple[int, int]]) -> list[bytes]:
    """SHA-1 digests of ``text[s:e]`` for each span, as :func:`toolkit.corpus.digest`."""
    sha1 = hashlib.sha1
    return [sha1(text[s:e].encode("utf-8", "surrogatepass")).digest() for s, e in spans]


def _segment_ids(parent_ids: np.ndarray, positions: np.ndarray) -> pd.Index:
    """The ids ``"{parent_id}#{position}"`` (joined by Arrow when the ids are strings; the
    same index as a list of Python strings gives)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(parent_ids) and isinstance(parent_ids[0], str):
        try:
            joined = pc.binary_join_element_wise(
                pa.array(parent_ids, type=pa.string()),
                pc.cast(pa.array(positions), pa.string()),
                "#",
            )
            index = pd.Index(joined.to_pandas(), name="doc_id")
            if index.dtype == pd.Index(["a"]).dtype:
                return index
        except (pa.ArrowException, TypeError, ValueError):  # pragma: no cover - mixed ids
            pass
    return pd.Index(
        [f"{p}#{k}" for p, k in zip(parent_ids.tolist(), positions.tolist(), strict=True)],
        name="doc_id",
    )


@fill_doc
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
        {params.corpus}
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
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["First line.\\nSecond line."]}))
    >>> seg = tk.segment(c, "paragraph")
    >>> seg.doc_ids, seg.text("0#1")
    (['0#0', '0#1'], 'Second line.')
    """
    if unit not in ("paragraph", "sentence"):
        raise ParameterError("unit", unit, valid=["paragraph", "sentence"])
    if sep not in ("auto", "line", "blank"):
        raise ParameterError("sep", sep, valid=["auto", "line", "blank"])
    structure = {"sentence": "s", "paragraph": "p"}[unit]
    if structure in corpus.structures and sentence_model is None:
        # sentences or paragraphs given with the corpus (CoNLL-U, VRT, from_tokens)
        starts, ends, counts = _given_regions(corpus, structure)
        return _segments(corpus, unit, starts, ends, counts, None)
    splitter: SentenceSplitter | None = None
    if unit == "sentence":
        model = sentence_model if sentence_model is not None else train_sentence_model(corpus)
        splitter = model if isinstance(model, SentenceSplitter) else SentenceSplitter(model)
    starts_parts: list[np.ndarray] = []
    ends_parts: list[np.ndarray] = []
    counts = np.zeros(len(corpus), dtype=np.int64)
    digests: list[bytes] = []
    chunk: list[str] = []
    chunk_paragraphs: list[list[tuple[int, int]]] = []
    chunk_first = 0
    size = 0

    def flush() -> None:
        # Sentences of the documents gathered so far, all at once (see split_many).
        nonlocal chunk, chunk_paragraphs, size
        assert splitter is not None
        joined, s_, e_, n_ = splitter.split_many(chunk, chunk_paragraphs)
        digests.extend(splitter._digests(joined, s_, e_))
        offsets = np.zeros(len(chunk), dtype=np.int64)
        np.cumsum([len(t) for t in chunk[:-1]], out=offsets[1:])
        shift = np.repeat(offsets, n_)
        starts_parts.append(s_ - shift)
        ends_parts.append(e_ - shift)
        counts[chunk_first : chunk_first + len(chunk)] = n_
        chunk, chunk_paragraphs, size = [], [], 0

    for i, text in enumerate(corpus.texts()):
        spans = paragraph_spans(text, sep=sep, wrap_width=wrap_width)
        if splitter is None:
            counts[i] = len(spans)
            if spans:
                bounds = np.asarray(spans, dtype=np.int64)
                starts_parts.append(bounds[:, 0])
                ends_parts.append(bounds[:, 1])
                digests.extend(_span_digests(text, spans))
            continue
        if not chunk:
            chunk_first = i
        chunk.append(text)
        chunk_paragraphs.append(spans)
        size += len(text)
        if size >= CHUNK_CHARS:
            flush()
    if chunk:
        flush()
    empty = corpus.meta.index[counts == 0].tolist()
    if empty:
        warnings.warn(
            f"{len(empty)} document(s) hold only white space and give no {unit}: {empty[:5]}",
            stacklevel=3,
        )
    starts = np.concatenate(starts_parts) if starts_parts else np.zeros(0, dtype=np.int64)
    ends = np.concatenate(ends_parts) if ends_parts else np.zeros(0, dtype=np.int64)
    return _segments(corpus, unit, starts, ends, counts, digests)


def _given_regions(corpus: Corpus, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Character spans of the regions of a given structure, in document order, and their
    number per document."""
    regions = corpus.structure(name)
    position = corpus.meta.index.get_indexer(pd.Index(regions["doc_id"], dtype=object))
    order = np.argsort(position, kind="stable")
    counts = np.bincount(position, minlength=len(corpus)).astype(np.int64)
    starts = regions["char_start"].to_numpy(dtype=np.int64)[order]
    ends = regions["char_end"].to_numpy(dtype=np.int64)[order]
    return starts, ends, counts


def _given_tokens(
    corpus: Corpus, parent_pos: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray, Any]:
    """For a corpus of given tokens: each segment's span snapped to whole given tokens,
    and the given tokens and layers of the segments."""
    from .corpus import Pretokenized

    view = corpus.index()
    index = view.index
    given = corpus.given_tokens
    assert given is not None
    doc_start = np.asarray(view.starts, dtype=np.int64)[parent_pos]
    doc_end = np.asarray(view.ends, dtype=np.int64)[parent_pos]
    first = np.empty(len(starts), dtype=np.int64)
    last = np.empty(len(starts), dtype=np.int64)
    char_start = np.asarray(index.char_start)
    for k in range(len(starts)):
        cs = char_start[doc_start[k] : doc_end[k]]
        first[k] = doc_start[k] + np.searchsorted(cs, starts[k], side="left")
        last[k] = doc_start[k] + np.searchsorted(cs, ends[k], side="left")
    n_tokens = last - first
    lengths = np.fromiter((len(t) for t in index.vocab), dtype=np.int64, count=len(index.vocab))
    tokens = np.asarray(index.tokens)
    has = n_tokens > 0
    new_starts = starts.copy()
    new_ends = starts.copy()
    new_starts[has] = char_start[first[has]]
    new_ends[has] = char_start[last[has] - 1] + lengths[tokens[last[has] - 1]]
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(n_tokens, out=offsets[1:])
    take = np.concatenate(
        [np.arange(a, b, dtype=np.int64) for a, b in zip(first, last, strict=True)]
        or [np.zeros(0, dtype=np.int64)]
    )
    layers = {name: (np.asarray(ids)[take], vocab) for name, (ids, vocab) in given.layers.items()}
    return new_starts, new_ends, Pretokenized(offsets, layers, {})


def _segments(
    corpus: Corpus,
    unit: str,
    starts: np.ndarray,
    ends: np.ndarray,
    counts: np.ndarray,
    digests: list[bytes] | None,
) -> Corpus:
    """The corpus of segments ``[starts, ends)`` (``counts`` per document, in order)."""
    parent_pos = np.repeat(np.arange(len(corpus), dtype=np.int64), counts)
    pretokenized = None
    if corpus.pretokenized:
        # the segments keep the given tokens and layers (never re-tokenised)
        starts, ends, pretokenized = _given_tokens(corpus, parent_pos, starts, ends)
        digests = None
    if digests is None:
        texts: dict[int, str] = {}
        digests = []
        for p, a, b in zip(parent_pos.tolist(), starts.tolist(), ends.tolist(), strict=True):
            if p not in texts:
                texts.clear()
                texts[p] = corpus.text(corpus.doc_ids[p])
            digests.extend(_span_digests(texts[p], [(a, b)]))
    first = np.zeros(len(corpus), dtype=np.int64)
    if len(corpus):
        np.cumsum(counts[:-1], out=first[1:])
    positions = np.arange(len(parent_pos), dtype=np.int64) - np.repeat(first, counts)
    parent_ids = corpus.meta.index.to_numpy()[parent_pos]
    meta = corpus.meta.iloc[parent_pos].copy()
    meta["parent_id"] = pd.array(parent_ids, dtype=corpus.meta.index.dtype)  # type: ignore[arg-type]
    meta["position"] = positions
    meta["span_start"] = starts
    meta["span_end"] = ends
    meta.index = _segment_ids(parent_ids, positions)
    # Segments of a parent's text: spans are relative to the parent *document*.
    source = SegmentSource(
        corpus.source,
        np.asarray(corpus.rows, dtype=np.int64)[parent_pos],
        starts,
        ends,
    )
    name = f"{corpus.name} ({unit}s)"
    return Corpus(source, meta, digests, name=name, pretokenized=pretokenized)


register_step("segment", segment)
