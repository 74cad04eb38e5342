"""Search patterns, shared by concordances, collocations, counts and dictionaries.

A pattern is a string or a list of strings.  White space inside a string makes a *phrase*:
a sequence of token patterns matched at consecutive positions (``"north korea"``).  Each
token pattern is matched against the vocabulary of the token index, so a search costs one
pass over the types (about 100,000 for the UN corpus), not over the tokens:

``match="glob"`` (default)
    ``*`` matches any characters, ``?`` one character; the whole token must match.
``match="regex"``
    A Python regular expression *searched* within each token (as quanteda does): anchor
    with ``^…$`` to match whole tokens.
``match="fixed"``
    The token exactly.

With ``case_sensitive=False`` (default), patterns are matched against lower-cased types.
Patterns are split at white space only: ``"Russia's"`` is one token pattern, while the
tokeniser splits the text into ``Russia`` + ``'s``; search ``"Russia 's"`` for that phrase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .index import IndexView, TokenIndex

__all__ = ["match_types", "find", "MATCH_MODES"]

MATCH_MODES = ("glob", "regex", "fixed")


def _as_list(pattern: str | Sequence[str]) -> list[str]:
    if isinstance(pattern, str):
        patterns = [pattern]
    else:
        patterns = list(pattern)
    if not patterns:
        raise ValueError("no pattern given")
    for p in patterns:
        if not isinstance(p, str) or not p.strip():
            raise ValueError(f"invalid pattern {p!r}: a pattern is a non-empty string")
    return patterns


def _glob_regex(p: str, flags: int) -> re.Pattern[str]:
    parts = [".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in p]
    return re.compile("".join(parts), flags)


def match_types(
    index: TokenIndex, token_pattern: str, match: str = "glob", case_sensitive: bool = False
) -> np.ndarray:
    """Surface type ids matching one token pattern (no white space in it).

    Examples
    --------
    >>> from toolkit.index import build_index
    >>> idx = build_index(["Nuclear weapons, nuclear power."])
    >>> idx.vocab[match_types(idx, "nuclear")].tolist()
    ['Nuclear', 'nuclear']
    >>> idx.vocab[match_types(idx, "^n", match="regex", case_sensitive=True)].tolist()
    ['nuclear']
    """
    if match not in MATCH_MODES:
        raise ValueError(f"match must be one of {MATCH_MODES}, not {match!r}")
    wild = match == "glob" and ("*" in token_pattern or "?" in token_pattern)
    if match == "fixed" or (match == "glob" and not wild):
        if case_sensitive:
            i = index.lookup.get(token_pattern)
            return np.array([] if i is None else [i], dtype=np.int64)
        j = index.lower_lookup.get(token_pattern.lower())
        if j is None:
            return np.zeros(0, dtype=np.int64)
        return np.sort(index.surface_types_of_lower(np.array([j])))
    flags = 0 if case_sensitive else re.IGNORECASE
    if match == "glob":
        rx = _glob_regex(token_pattern, flags)
        test = rx.fullmatch
    else:
        try:
            rx = re.compile(token_pattern, flags)
        except re.error as err:
            raise ValueError(f"invalid regular expression {token_pattern!r}: {err}") from None
        test = rx.search
    if case_sensitive:
        return np.array([i for i, t in enumerate(index.vocab.tolist()) if test(t)], dtype=np.int64)
    lower_ids = [i for i, t in enumerate(index.lower_vocab.tolist()) if test(t)]
    return np.sort(index.surface_types_of_lower(np.array(lower_ids, dtype=np.int64)))


def find(
    view: IndexView,
    pattern: str | Sequence[str],
    match: str = "glob",
    case_sensitive: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All matches of ``pattern`` in a view: start, end (exclusive) corpus positions and the
    number of the pattern (in a list of patterns) that matched, sorted by position.

    Examples
    --------
    >>> from toolkit.index import build_index, IndexView
    >>> idx = build_index(["North Korea and South Korea.", "Korea"])
    >>> view = IndexView(idx, [0, 1], ["a", "b"])
    >>> [a.tolist() for a in find(view, ["north korea", "korea"])]
    [[0, 1, 4, 6], [2, 2, 5, 7], [0, 1, 1, 1]]
    """
    index = view.index
    starts_all, ends_all, which_all = [], [], []
    for k, pat in enumerate(_as_list(pattern)):
        parts = pat.split()
        type_sets = [match_types(index, p, match, case_sensitive) for p in parts]
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
