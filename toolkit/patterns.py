"""Search patterns, shared by concordances, collocations, counts and dictionaries.

A pattern is a string or a list of strings.  White space inside a string makes a *phrase*:
a sequence of token patterns matched at consecutive positions (``"north korea"``).  Each
token pattern is matched against the vocabulary of the token index, so a search costs one
pass over the types (about 100,000 for the UN corpus), not over the tokens:

``match="glob"`` (default)
    ``*`` matches any characters (also none), ``?`` exactly one; the whole token must
    match.  Every other character stands for itself.
``match="regex"``
    A regular expression (the syntax of Python's :mod:`re`, run by the compatible
    `regex <https://pypi.org/project/regex/>`_ package) *searched* within each token, as
    quanteda does: anchor with ``^…$`` to match whole tokens.
``match="fixed"``
    The token exactly.
``match="cqp"``
    A token query in the syntax of the IMS Corpus Workbench's CQP (a documented subset,
    see :mod:`toolkit.query`): ``[lemma="threat"]``, ``"nuclear" []{0,2} "weapons?"``,
    ``[pos="ADJ"] "security"``.  The query is not split at white space; every match is a
    span of tokens.

With ``case_sensitive=False`` (default), patterns are matched against the lower-cased
lexicon of the index, whose forms are made by :func:`toolkit.tokenize.search_form` (lower
case, then Unicode NFC).  Fixed and glob patterns are normalised with the same function, so
``"ÉTAT"`` finds ``état`` however either is encoded.  A regular expression is only put in
NFC and matched with ``IGNORECASE``: lower-casing it would change its meaning (``\\D`` is not
``\\d``).  With ``case_sensitive=True`` patterns are compared with the surface forms as they
are.  Patterns are split at white space only: ``"Russia's"`` is one token pattern, while the
tokeniser splits the text into ``Russia`` + ``'s``; search ``"Russia 's"`` for that phrase.

Lists and phrases
-----------------
A list of patterns means *alternatives*: ``["north korea", "dprk"]`` finds either, and
``["north", "korea"]`` finds each word wherever it stands, not the phrase.  Within one
string, white space separates the tokens of a phrase, so ``["a b", "g j"]`` finds the phrase
``a b`` or the phrase ``g j``.  (In quanteda a pattern with a space is one token pattern
unless wrapped in ``phrase()``; the toolkit's tokens never hold white space, so that reading
could never match and the toolkit reads the space as a phrase.)  :func:`phrase` asks for
phrases explicitly, as quanteda's ``phrase()``: ``tk.phrase(["a b", "g j"])`` means the
same two phrases; ``tk.phrase([["a", "b"], ["g", "j"]])`` gives them as token lists; and
``tk.phrase(table)`` takes the ``collocation`` column of a table such as
:func:`toolkit.multiword_expressions` returns.  CQP queries (``match="cqp"``) have their
own sequence syntax and take no :func:`phrase`.

Limits and errors
-----------------
Matching is bounded in time.  Each pattern (a phrase counts as one) has one deadline of
``tk.get_option("pattern_timeout")`` seconds (default 5) for matching all its token
patterns against the whole vocabulary; a regular expression that backtracks
catastrophically (``(a|aa)+$`` against a long run of ``a``) raises
:class:`~toolkit.errors.PatternError` naming the pattern and the option instead of hanging.
Raise the limit with ``tk.set_options(pattern_timeout=...)``.  Globs are translated so that
they match in time proportional to the token's length times the pattern's, however many
``*`` they hold (runs of ``*`` are one ``*``; each part between two ``*`` is matched at its
first occurrence, which is all a glob needs), and are run under the same deadline.  Globs
and most regular expressions are matched in one search over the whole vocabulary; a
regular expression that looks around its match (lookarounds, inline flags, ``\\A``,
``\\Z``) is tried type by type, which is slower but gives the same result.

* :class:`~toolkit.errors.PatternError` (a ``ValueError``): an empty pattern, an invalid
  regular expression (the message shows it and the reason), or a pattern that exceeded
  ``pattern_timeout``.
* :class:`~toolkit.errors.ParameterError` (a ``ValueError``): ``match`` not one of
  ``"glob"``, ``"regex"``, ``"fixed"``; a pattern that is not a string or list of strings.

Examples
--------
>>> import toolkit as tk
>>> from toolkit.index import build_index
>>> idx = build_index(["Peace, peacekeeping and PEACEFUL co-operation."])
>>> idx.vocab[match_types(idx, "peace*")].tolist()
['Peace', 'peacekeeping', 'PEACEFUL']
>>> idx.vocab[match_types(idx, "co-*", match="fixed")].tolist()
[]
>>> try:
...     match_types(idx, "(unclosed", match="regex")
... except tk.PatternError as err:
...     print(err)
pattern '(unclosed': invalid regular expression: missing ) at position 9
"""

from __future__ import annotations

import time
import unicodedata
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import regex

from ._docs import fill_doc
from ._validation import StrOptions, check_value
from .errors import ParameterError, PatternError
from .index import IndexView, TokenIndex
from .options import get_option
from .query import check_regex_token_pattern, check_repetition
from .query import parse as cqp_parse
from .query import query as cqp_query
from .tokenize import search_form

__all__ = [
    "phrase",
    "Phrase",
    "match_types",
    "match_layer_values",
    "find",
    "check_patterns",
    "glob_to_regex",
    "MATCH_MODES",
]

MATCH_MODES = ("glob", "regex", "fixed", "cqp")

#: Separates the types when the vocabulary is searched as one string; tokens never hold
#: white space.
_SEP = "\n"
_ANY = "[^\\n]"  # one character of a type, never the separator


class Phrase(tuple):
    """Patterns marked as phrases (made by :func:`phrase`): a tuple of strings, the token
    patterns of each phrase joined by one space, so it works wherever a list of patterns
    does.

    Parameters
    ----------
    iterable : iterable of str
        The phrases, each its token patterns joined by one space (as :func:`phrase` makes
        them; make a ``Phrase`` with :func:`phrase`, which checks and joins them).

    Examples
    --------
    >>> p = phrase([["north", "korea"], "nuclear weapon*"])
    >>> isinstance(p, Phrase), p[0], list(p)
    (True, 'north korea', ['north korea', 'nuclear weapon*'])
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"phrase({list(self)!r})"


@fill_doc
def phrase(pattern: Any) -> Phrase:
    """Mark patterns as phrases (quanteda's ``phrase()``).

    Parameters
    ----------
    pattern : str, list of str, list of lists of str, or DataFrame
        {params.pattern}
        Here every string is read as a phrase: one phrase (``"north korea"``); phrases
        given as strings, each split at white space (``["north korea", "south korea"]``);
        phrases given as lists of token patterns (``[["north", "korea"]]``); or a table
        with a ``collocation`` column (:func:`toolkit.multiword_expressions`,
        :func:`toolkit.collocations`).

    Returns
    -------
    Phrase
        Alternatives, each a phrase; accepted by ``kwic``, ``collocates``, ``dispersion``,
        ``tokens(compound=)`` and every other function taking patterns.

    Raises
    ------
    ParameterError
        Something other than strings, lists of strings or a table with a ``collocation``
        column.
    PatternError
        An empty phrase or token pattern, or a token pattern with white space inside (a
        token never holds white space).

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.phrase("north  korea")
    phrase(['north korea'])
    >>> tk.phrase(["north korea", "dprk"])
    phrase(['north korea', 'dprk'])
    >>> tk.phrase([["weapons", "of", "mass", "destruction"]])
    phrase(['weapons of mass destruction'])
    """
    if isinstance(pattern, Phrase):
        return pattern
    if hasattr(pattern, "columns") and hasattr(pattern, "__getitem__"):
        if "collocation" not in pattern.columns:
            raise ParameterError(
                "pattern", "<DataFrame>", "a table of phrases needs a 'collocation' column"
            )
        pattern = [str(v) for v in pattern["collocation"].tolist()]
    items = [pattern] if isinstance(pattern, str) else pattern
    try:
        items = list(items)
    except TypeError:
        raise ParameterError(
            "pattern", pattern, f"phrase() takes strings or lists of strings, not {pattern!r}"
        ) from None
    if not items:
        raise ParameterError("pattern", pattern, "no phrase given (an empty list)")
    phrases = []
    for item in items:
        if isinstance(item, str):
            parts = item.split()
        elif isinstance(item, list | tuple) and all(isinstance(t, str) for t in item):
            parts = list(item)
            for t in parts:
                if not t.strip() or t.split() != [t]:
                    raise PatternError(
                        t, "a token pattern of a phrase is non-empty, without white space"
                    )
        else:
            raise ParameterError(
                "pattern", item, f"a phrase is a string or a list of strings, not {item!r}"
            )
        if not parts:
            raise PatternError(str(item), "a phrase needs at least one token pattern")
        phrases.append(" ".join(parts))
    return Phrase(phrases)


def _as_list(pattern: str | Sequence[str]) -> list[str]:
    """The patterns as a list of non-blank strings (``ParameterError`` / ``PatternError``)."""
    if isinstance(pattern, str):
        patterns = [pattern]
    else:
        try:
            patterns = list(pattern)
        except TypeError:
            raise ParameterError(
                "pattern",
                pattern,
                f"pattern must be a string or a list of strings, not {pattern!r}",
            ) from None
    if not isinstance(pattern, Phrase) and any(isinstance(p, list | tuple) for p in patterns):
        raise ParameterError(
            "pattern",
            pattern,
            "a list of patterns holds strings (alternatives); give phrases as token lists "
            "with tk.phrase([[...], ...])",
        )
    if not patterns:
        raise ParameterError("pattern", pattern, "no pattern given (an empty list)")
    for p in patterns:
        if not isinstance(p, str):
            raise ParameterError("pattern", p, f"a pattern is a string, not {p!r}")
        if not p.strip():
            raise PatternError(p, "a pattern is a non-empty string")
    return patterns


_MATCH = [StrOptions(MATCH_MODES)]


def _check_mode(match: str) -> None:
    check_value("match", match, _MATCH)


def glob_to_regex(token_pattern: str) -> str:
    """A regular expression (for ``regex`` with ``MULTILINE``) matching the types, one per
    line, that the glob ``token_pattern`` matches as a whole.

    Runs of ``*`` collapse into one.  The parts between two ``*`` sit in atomic groups that
    take each part at its first occurrence: a glob matches exactly when that greedy choice
    succeeds, and the matcher never backtracks into an earlier part, so a match costs at
    most the token's length times the pattern's (``.*a.*a.*b``, as :mod:`fnmatch` writes
    it, costs a power of the token's length).

    Parameters
    ----------
    token_pattern : str
        One glob token pattern (no white space): ``*`` any characters, ``?`` exactly one.

    Returns
    -------
    str
        The regular expression, anchored with ``^…$``; ``[^\\n]`` stands for a
        character of a type.

    Examples
    --------
    >>> glob_to_regex("a**b?")
    '^a[^\\\\n]*b[^\\\\n]$'
    >>> glob_to_regex("*a*a*b")
    '^(?>[^\\\\n]*?a)(?>[^\\\\n]*?a)[^\\\\n]*b$'
    """

    def literal(part: str) -> str:
        return "".join(_ANY if ch == "?" else regex.escape(ch) for ch in part)

    parts = regex.split(r"\*+", token_pattern)
    if len(parts) == 1:
        return "^" + literal(parts[0]) + "$"
    middle = "".join(f"(?>{_ANY}*?{literal(p)})" for p in parts[1:-1])
    return "^" + literal(parts[0]) + middle + _ANY + "*" + literal(parts[-1]) + "$"


def _is_fixed(token_pattern: str, match: str) -> bool:
    return match == "fixed" or (match == "glob" and not any(c in token_pattern for c in "*?"))


def _compile(token_pattern: str, match: str, case_sensitive: bool) -> Any:
    """The compiled expression of a glob or regex token pattern (``PatternError``)."""
    if match == "glob":
        p = token_pattern if case_sensitive else search_form(token_pattern)
        return regex.compile(glob_to_regex(p), regex.MULTILINE)
    p = token_pattern if case_sensitive else unicodedata.normalize("NFC", token_pattern)
    flags = regex.MULTILINE | (0 if case_sensitive else regex.IGNORECASE)
    check_repetition(token_pattern)
    try:
        return regex.compile(p, flags)
    except (regex.error, ValueError, OverflowError, RecursionError) as err:
        raise PatternError(token_pattern, f"invalid regular expression: {err}") from None


@fill_doc
def check_patterns(
    pattern: str | Sequence[str], match: str = "glob", case_sensitive: bool = False
) -> list[str]:
    """Validate patterns before any work: the list of patterns, or the error.

    Parameters
    ----------
    pattern : str or list of str
        {params.pattern}
    match : {"glob", "regex", "fixed", "cqp"}
        {params.match}
    case_sensitive : bool
        {params.case_sensitive}

    Returns
    -------
    list of str
        The patterns, one string becoming a list of one.

    Raises
    ------
    ParameterError
        ``match`` is not one of :data:`MATCH_MODES`; ``case_sensitive`` is not True or
        False; ``pattern`` is not a string or a non-empty list of strings.
    PatternError
        A blank pattern, or an invalid regular expression.

    Examples
    --------
    >>> check_patterns(["north korea", "peace*"])
    ['north korea', 'peace*']
    >>> check_patterns("[a-", match="regex")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toolkit.errors.PatternError: pattern '[a-': invalid regular expression: ...
    """
    _check_mode(match)
    check_value("case_sensitive", case_sensitive, ["boolean"])
    patterns = _as_list(pattern)
    if match == "cqp" and isinstance(pattern, Phrase):
        raise ParameterError(
            "pattern",
            pattern,
            'a CQP query writes its own sequences (\'"north" "korea"\'); '
            "use tk.phrase() with match='glob', 'regex' or 'fixed'",
        )
    if match == "cqp":
        for pat in patterns:
            cqp_parse(pat)
    elif match == "regex":
        for pat in patterns:
            parts = pat.split()
            for part in parts:
                try:
                    _compile(part, match, case_sensitive)
                    check_regex_token_pattern(part)
                except PatternError as err:
                    raise _in_phrase(err, pat, part, parts) from None
    elif match == "glob":
        for pat in patterns:
            p = pat.strip()
            if p.startswith("[") and p.endswith("]") and "=" in p:
                raise PatternError(
                    pat, "looks like a CQP token query; pass match='cqp' to run it as one"
                )
    return patterns


def _in_phrase(err: PatternError, pattern: str, part: str, parts: list[str]) -> PatternError:
    """The error about a token pattern, about the whole phrase when it is part of one."""
    if len(parts) == 1:
        return err
    reason = str(err)[len(f"pattern {part!r}: ") :]
    return PatternError(pattern, f"its part {part!r}: {reason}")


# The vocabulary joined into one string, one type per line, with the offset of each line:
# a pattern is matched against all types in one search, under one timeout.  Kept per index
# (and dropped with it), as building it costs a few milliseconds per 100,000 types.
_JOINED: dict[tuple[int, bool], tuple[Any, str, np.ndarray]] = {}

# Regular expressions that may look beyond the text they match (lookarounds, inline flags
# and other ``(?`` groups, ``\A``, ``\Z``, ``\G``, ``\K``, line breaks) are matched type by
# type: in the joined vocabulary they could see the neighbouring types.
_CONTEXT_SENSITIVE = regex.compile(r"\(\?(?!:)|\\[AZzGKnNrR]")


def _joined(index: TokenIndex, lower: bool) -> tuple[str, np.ndarray] | None:
    key = (id(index), lower)
    hit = _JOINED.get(key)
    if hit is not None and hit[0]() is index:
        return hit[1], hit[2]
    types = (index.lower_vocab if lower else index.vocab).tolist()
    text = _SEP.join(types)
    if text.count(_SEP) != max(len(types) - 1, 0):
        return None  # a type holds the separator: match type by type
    lengths = np.fromiter(map(len, types), dtype=np.int64, count=len(types))
    starts = np.zeros(len(types), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    entry = (text, starts)
    try:
        ref = weakref.ref(index, lambda _: _JOINED.pop(key, None))
    except TypeError:  # an index that cannot be referenced weakly is not cached
        return entry
    _JOINED[key] = (ref, *entry)
    return entry


def _timed_out(pattern: str, n_types: int) -> PatternError:
    limit = get_option("pattern_timeout")
    return PatternError(
        pattern,
        f"matching against the {n_types:,} types of the vocabulary took longer than "
        f"{limit:g} s (the option 'pattern_timeout'); simplify the pattern, e.g. avoid "
        "nested repetition such as (a+)+, or raise the limit with "
        "tk.set_options(pattern_timeout=...)",
    )


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _glob_ids(rx: Any, joined: tuple[str, np.ndarray], deadline: float) -> np.ndarray:
    """Types matched by a translated glob: one pass over the joined vocabulary (a glob's
    expression never matches the separator)."""
    text, starts = joined
    found = [m.start() for m in rx.finditer(text, timeout=_remaining(deadline))]
    return np.searchsorted(starts, np.array(found, dtype=np.int64), side="right") - 1


def _search_joined(rx: Any, joined: tuple[str, np.ndarray], deadline: float) -> np.ndarray | None:
    """Types in which a regular expression finds a match, from one pass over the joined
    vocabulary, or ``None`` when a match runs over the separator: the answer is then not
    that of each type alone.

    Each match is extended to the end of its type, so that the next one starts in the next
    type: one match per matching type.  A type alone and the same type inside the joined
    text give the same matches unless the expression looks beyond its match (excluded by
    the caller): ``^``, ``$`` (multi-line) and ``\\b`` see the separator as they see the
    ends of a string, and a match that holds the separator is detected.
    """
    text, starts = joined
    whole = regex.compile(f"(?:{rx.pattern})[^\\n]*", rx.flags)
    found = []
    for m in whole.finditer(text, timeout=_remaining(deadline)):
        if _SEP in m.group():
            return None
        found.append(m.start())
    ids = np.searchsorted(starts, np.array(found, dtype=np.int64), side="right") - 1
    return np.unique(ids)


def _matching_ids(
    rx: Any,
    types: list[str],
    joined: tuple[str, np.ndarray] | None,
    search: bool,
    deadline: float,
) -> list[int] | np.ndarray:
    """Ids of the types matched by ``rx`` before ``deadline`` (``TimeoutError`` after it):
    ``search`` for a regular expression, a whole-type match for a glob."""
    if joined is not None:
        if not search:
            return _glob_ids(rx, joined, deadline)
        if not _CONTEXT_SENSITIVE.search(rx.pattern):
            ids = _search_joined(rx, joined, deadline)
            if ids is not None:
                return ids
    test = rx.search if search else rx.fullmatch
    matched: list[int] = []
    for i, t in enumerate(types):
        if test(t, timeout=_remaining(deadline)):
            matched.append(i)
    return matched


@fill_doc
def match_types(
    index: TokenIndex,
    token_pattern: str,
    match: str = "glob",
    case_sensitive: bool = False,
    *,
    deadline: float | None = None,
) -> np.ndarray:
    """Surface type ids matching one token pattern (no white space in it).

    Parameters
    ----------
    index : TokenIndex
        The token index whose surface types are matched.
    token_pattern : str
        One token pattern (a phrase is matched part by part by :func:`find`).
    match : {"glob", "regex", "fixed"}
        {params.match}
        ``"cqp"`` is refused here: a CQP query matches spans, not a set of types.
    case_sensitive : bool
        {params.case_sensitive}
    deadline : float, optional
        A :func:`time.monotonic` time by which matching must be done (default: now plus
        the option ``pattern_timeout``); :func:`find` gives all token patterns of a phrase
        one deadline.

    Raises
    ------
    PatternError
        An invalid regular expression; matching not done by the deadline.
    ParameterError
        An unknown ``match``.

    Examples
    --------
    >>> from toolkit.index import build_index
    >>> idx = build_index(["Nuclear weapons, nuclear power."])
    >>> idx.vocab[match_types(idx, "nuclear")].tolist()
    ['Nuclear', 'nuclear']
    >>> idx.vocab[match_types(idx, "^n", match="regex", case_sensitive=True)].tolist()
    ['nuclear']
    """
    _check_mode(match)
    if match == "cqp":
        raise ParameterError(
            "match",
            match,
            "a CQP query matches spans of tokens, not a set of types; use find() or kwic()",
            valid=[m for m in MATCH_MODES if m != "cqp"],
        )
    if _is_fixed(token_pattern, match):
        if case_sensitive:
            i = index.lookup.get(token_pattern)
            return np.array([] if i is None else [i], dtype=np.int64)
        j = index.lower_lookup.get(search_form(token_pattern))
        if j is None:
            return np.zeros(0, dtype=np.int64)
        return np.sort(index.surface_types_of_lower(np.array([j])))
    rx = _compile(token_pattern, match, case_sensitive)
    if deadline is None:
        deadline = time.monotonic() + get_option("pattern_timeout")
    vocab = index.vocab if case_sensitive else index.lower_vocab
    types = vocab.tolist()
    joined = _joined(index, not case_sensitive)
    try:
        ids = _matching_ids(rx, types, joined, match == "regex", deadline)
    except TimeoutError:
        raise _timed_out(token_pattern, len(types)) from None
    ids = np.asarray(ids, dtype=np.int64)
    if case_sensitive:
        return ids
    if len(ids) < 64:
        return np.sort(index.surface_types_of_lower(ids))
    chosen = np.zeros(len(index.lower_vocab), dtype=bool)
    chosen[ids] = True
    return np.flatnonzero(chosen[np.asarray(index.lower)]).astype(np.int64)


@fill_doc
def match_layer_values(
    vocab: np.ndarray,
    token_pattern: str,
    match: str = "glob",
    case_sensitive: bool = False,
    *,
    deadline: float | None = None,
) -> np.ndarray:
    """Boolean mask over a layer's vocabulary: the values one token pattern matches.

    The rules are those of :func:`match_types` (case-insensitive comparison in
    :func:`~toolkit.tokenize.search_form`), applied to the values of an annotation layer
    (lemmas, stems, tags) instead of the surface types.

    Parameters
    ----------
    vocab : numpy.ndarray
        The layer's values (its lexicon), in the order of their ids.
    token_pattern : str
        One token pattern (no white space).
    match : {"glob", "regex", "fixed"}
        {params.match}
    case_sensitive : bool
        {params.case_sensitive}
    deadline : float, optional
        A :func:`time.monotonic` time by which matching must be done (default: now plus
        the option ``pattern_timeout``).

    Returns
    -------
    numpy.ndarray of bool
        One entry per value of ``vocab``: whether the pattern matches it.

    Examples
    --------
    >>> vocab = np.array(["threat", "threaten", "Peace"], dtype=object)
    >>> match_layer_values(vocab, "threat*").tolist()
    [True, True, False]
    >>> match_layer_values(vocab, "peace").tolist()
    [False, False, True]
    """
    values = [str(v) for v in vocab.tolist()]
    if not case_sensitive:
        values = [search_form(v) for v in values]
    mask = np.zeros(len(values), dtype=bool)
    if _is_fixed(token_pattern, match):
        target = token_pattern if case_sensitive else search_form(token_pattern)
        mask[[i for i, v in enumerate(values) if v == target]] = True
        return mask
    rx = _compile(token_pattern, match, case_sensitive)
    if deadline is None:
        deadline = time.monotonic() + get_option("pattern_timeout")
    try:
        ids = _matching_ids(rx, values, None, match == "regex", deadline)
    except TimeoutError:
        raise _timed_out(token_pattern, len(values)) from None
    mask[np.asarray(ids, dtype=np.int64)] = True
    return mask


def _find_on_layer(
    view: IndexView, layer: str, pat: str, match: str, case_sensitive: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of a token pattern or phrase matched against a layer's values."""
    from .counts import layer_values

    ids, vocab = layer_values(view, layer)
    parts = pat.split()
    deadline = time.monotonic() + get_option("pattern_timeout")
    masks = []
    for p in parts:
        try:
            masks.append(match_layer_values(vocab, p, match, case_sensitive, deadline=deadline))
        except PatternError as err:
            raise _in_phrase(err, pat, p, parts) from None
    index = view.index
    pos = view.restrict(np.flatnonzero(masks[0][ids]).astype(np.int64))
    if len(parts) > 1 and len(pos):
        doc_end = index.doc_offsets[index.doc_of(pos) + 1]
        for j, mask in enumerate(masks[1:], start=1):
            ok = pos + j < doc_end
            nxt = np.where(ok, pos + j, 0)
            ok &= mask[ids[nxt]]
            pos, doc_end = pos[ok], doc_end[ok]
    return pos, pos + len(parts)


@fill_doc
def find(
    view: IndexView,
    pattern: str | Sequence[str],
    match: str = "glob",
    case_sensitive: bool = False,
    layer: str = "word",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All matches of ``pattern`` in a view: start, end (exclusive) corpus positions and the
    number of the pattern (in a list of patterns) that matched, sorted by position.

    Each pattern has one deadline, ``pattern_timeout`` seconds, for all its token patterns.
    With ``layer`` (``"lemma"``, ``"stem"``, ``"pos"``, …; see ``Corpus.annotate``) the
    token patterns are matched against that layer's values instead of the words.

    Parameters
    ----------
    view : IndexView
        The documents searched (``corpus.index()`` restricted to a corpus's documents).
    pattern : str or list of str
        {params.pattern}
    match : {"glob", "regex", "fixed", "cqp"}
        {params.match}
    case_sensitive : bool
        {params.case_sensitive}
    layer : str
        {params.layer}
        Not with ``match="cqp"``, whose queries name their layers themselves.

    Returns
    -------
    tuple of three numpy.ndarray of int64
        Start positions, end positions (exclusive) and the number of the pattern that
        matched; a span matched by several patterns is kept once, for the first.

    Raises
    ------
    PatternError
        A blank pattern, an invalid regular expression, or a pattern whose matching took
        longer than the option ``pattern_timeout``.
    ParameterError
        An unknown ``match``, or a pattern that is not a string.

    Examples
    --------
    >>> from toolkit.index import build_index, IndexView
    >>> idx = build_index(["North Korea and South Korea.", "Korea"])
    >>> view = IndexView(idx, [0, 1], ["a", "b"])
    >>> [a.tolist() for a in find(view, ["north korea", "korea"])]
    [[0, 1, 4, 6], [2, 2, 5, 7], [0, 1, 1, 1]]
    """
    index = view.index
    patterns = check_patterns(pattern, match, case_sensitive)
    starts_all, ends_all, which_all = [], [], []
    if layer != "word" and match == "cqp":
        raise ParameterError("layer", layer, 'a CQP query names its layers itself: [lemma="..."]')
    for k, pat in enumerate(patterns):
        if layer != "word":
            pos, end = _find_on_layer(view, layer, pat, match, case_sensitive)
            starts_all.append(pos)
            ends_all.append(end)
            which_all.append(np.full(len(pos), k, dtype=np.int64))
            continue
        if match == "cqp":
            pos, end = cqp_query(view, pat, case_sensitive=case_sensitive)
            starts_all.append(pos)
            ends_all.append(end)
            which_all.append(np.full(len(pos), k, dtype=np.int64))
            continue
        parts = pat.split()
        deadline = time.monotonic() + get_option("pattern_timeout")
        type_sets = []
        for p in parts:
            try:
                type_sets.append(match_types(index, p, match, case_sensitive, deadline=deadline))
            except PatternError as err:
                raise _in_phrase(err, pat, p, parts) from None
        pos = view.restrict(index.positions(type_sets[0]))
        if len(parts) > 1 and len(pos):
            doc_end = index.doc_offsets[index.doc_of(pos) + 1]
            for j, types in enumerate(type_sets[1:], start=1):
                ok = pos + j < doc_end
                mask = np.zeros(len(index.vocab), dtype=bool)
                mask[types] = True
                nxt = np.where(ok, pos + j, 0)
                ok &= mask[index.tokens[nxt]]
                pos, doc_end = pos[ok], doc_end[ok]
        starts_all.append(pos)
        ends_all.append(pos + len(parts))
        which_all.append(np.full(len(pos), k, dtype=np.int64))
    starts = np.concatenate(starts_all)
    ends = np.concatenate(ends_all)
    which = np.concatenate(which_all)
    if len(starts_all) > 1:
        order = np.lexsort((ends, starts))
        starts, ends, which = starts[order], ends[order], which[order]
        keep = np.ones(len(starts), dtype=bool)  # one hit per span, for its first pattern
        keep[1:] = (starts[1:] != starts[:-1]) | (ends[1:] != ends[:-1])
        starts, ends, which = starts[keep], ends[keep], which[keep]
    return starts, ends, which
