"""Tokenisation: one documented regular expression, fast enough for 36 million tokens.

Why hand-written: NLTK's Treebank word tokenizer applies some forty regular-expression
substitutions per sentence and needs a sentence splitter first; over the full UN General
Debate Corpus (about 36 million tokens) that costs minutes, and it does not return
character spans.  ``nltk.wordpunct_tokenize`` is fast but splits ``Russia's`` into
``Russia``, ``'``, ``s`` and ``U.S.`` into four tokens.  The expression below follows
the Penn Treebank conventions that matter for concordancing and is applied with the
``split`` of the `regex` package, which runs in C and gives every token's character offset
for free.

Word characters are letters (Unicode categories ``L*``), digits and other numerals
(``N*``), the underscore, and **combining marks** (``M*``: accents, vowel signs, viramas,
tone marks).  Python's ``re`` does not count marks as ``\\w``, which would cut Hindi
``हिन्दी``, Tamil, Thai, vowelled Arabic and Hebrew, and Latin text in decomposed form
(NFD: ``e`` followed by a combining acute accent) into pieces; here a word keeps its marks.

Rules (tried in this order at each position):

1. numbers with internal separators stay one token: ``1,000``, ``3.5``, ``10:30``;
2. initialisms of single letters (with any marks) and full stops: ``U.S.``, ``U.N.``,
   ``e.g.``, ``É.U.`` also when its accent is a separate combining character;
3. negative clitic split as in the Penn Treebank: ``don't`` → ``do`` + ``n't``,
   ``can’t`` → ``ca`` + ``n’t``;
4. words: runs of word characters (see above); **hyphenated compounds stay one token**
   (``co-operation``, ``seventy-eighth``, ``Sino-Soviet``), as in quanteda's default
   (``split_hyphens = FALSE``) — search ``*-operation`` or ``co-*`` to find them;
5. possessive and verbal clitics split off as in the Penn Treebank: ``Russia's`` and
   ``Russia’s`` → ``Russia`` + ``'s`` / ``’s``; likewise ``'m``, ``'d``, ``'ll``,
   ``'re``, ``'ve``; so a search for ``russia`` finds them;
6. the three-dot ellipsis ``...`` is one token;
7. any other character that is not white space is a token of its own
   (punctuation, symbols, the unicode ellipsis, quotes, dashes).

Combining marks are never separated from the character they are written on: a mark after
a letter or digit is part of that word (rules 1–5), and a mark after punctuation or a
symbol stays in that token (rules 2, 6 and 7), so an emoji with its variation selector
(``❤️``, a heart and U+FE0F) is one symbol token, not a symbol and a stray "word".  A mark
with no base at all — at the start of the text or after white space — begins a word token
and joins the letters that follow it, so no mark is ever lost.

Scripts written without spaces between words (Thai, Lao, Khmer, Burmese, Chinese,
Japanese) are not segmented into words yet: each white-space-delimited run of letters and
marks, up to the next punctuation mark, is one token.

White space is never part of a token, so tokens never cross a line or paragraph break,
and ``text[start:start + len(token)] == token`` holds for every token.

Examples
--------
>>> tokenize("हिन्दी भाषा")
['हिन्दी', 'भाषा']
>>> tokenize("cafe\\u0301s, ❤\\ufe0f") == ["cafe\\u0301s", ",", "❤\\ufe0f"]
True
>>> tokenize("ภาษาไทย ง่าย")  # Thai: two space-delimited runs, two tokens
['ภาษาไทย', 'ง่าย']
"""

from __future__ import annotations

import unicodedata

import numpy as np
import regex

__all__ = [
    "TOKEN_PATTERN",
    "TOKENIZER_VERSION",
    "tokenize",
    "tokenize_spans",
    "is_word",
    "search_form",
]

#: Bumped whenever the rules change, so cached indexes built with old rules are rebuilt.
TOKENIZER_VERSION = "ptb-regex-2"

# A word character: letter, numeral, underscore or combining mark.  (Python's ``str.isalnum``
# is true exactly for L* and N*, so a chunk the index takes as one plain word is one word
# here too; the tests check this over every code point.)
_W = r"[\p{L}\p{N}\p{M}_]"
# A letter of an initialism: what ``[^\W\d_]`` matched in Python's ``re`` (L*, Nl, No).
_L = r"[\p{L}\p{Nl}\p{No}]"
# Not white space: the complement of exactly the characters for which ``str.isspace`` is
# true, the same table the index cuts at (the `regex` package's ``\s`` lacks U+001C–U+001F).
_VISIBLE = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

#: The rules as one pattern for the `regex` package (``\p{...}`` classes; not for ``re``).
TOKEN_PATTERN = (
    r"\d[\d\p{M}]*(?:[.,:]\d[\d\p{M}]*)+"  # 1. 1,000  3.5  10:30
    rf"|(?:{_L}\p{{M}}*\.\p{{M}}*){{2,}}"  # 2. U.S.  e.g.
    rf"|{_W}+?(?=[nN]['’][tT](?!{_W}))"  # 3. do|n't
    rf"|(?<={_W})[nN]['’][tT](?!{_W})"  # 3b. n't
    rf"|{_W}+(?:[-‐‑]{_W}+)*"  # 4. words, hyphenated compounds
    rf"|(?<={_W})['’](?:[sSmMdD]|ll|LL|re|RE|ve|VE)(?!{_W})"  # 5. 's 'm 'd 'll 're 've
    r"|\.\.\.\p{M}*"  # 6. ellipsis
    rf"|{_VISIBLE}\p{{M}}*"  # 7. any other visible character, with its marks
)

_SPLIT_RE = regex.compile("(" + TOKEN_PATTERN + ")")
_WORD_RE = regex.compile(r"[\p{L}\p{N}_]|^\p{M}")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        The tokens, in order.  Every token is a substring of ``text``.

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.tokenize("Russia’s warning to the U.S. wasn't co-ordinated...")
    ['Russia', '’s', 'warning', 'to', 'the', 'U.S.', 'was', "n't", 'co-ordinated', '...']
    >>> tk.tokenize("עִבְרִית and العَرَبِيَّة")  # vowel points and harakat stay in the word
    ['עִבְרִית', 'and', 'العَرَبِيَّة']
    """
    # Same result as ``_SPLIT_RE.split(text)[1::2]`` (the tests check it), three times
    # faster on English: no rule reaches across white space, so each white-space-delimited
    # chunk is split on its own, once per distinct chunk, and a chunk of letters and digits
    # only (``str.isalnum``: Unicode L* and N*) is one word without running the expression.
    out: list[str] = []
    seen: dict[str, list[str]] = {}
    for chunk in text.split():
        if chunk.isalnum():
            out.append(chunk)
            continue
        toks = seen.get(chunk)
        if toks is None:
            toks = seen[chunk] = _SPLIT_RE.split(chunk)[1::2]
        out += toks
    return out


def tokenize_spans(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tokens with their character offsets and whether white space precedes each.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    tokens : list of str
    starts : numpy.ndarray of int64
        Character offset of each token in ``text``.
    space_before : numpy.ndarray of bool
        True where white space separates the token from the one before it (or the
        start of the text).

    Examples
    --------
    >>> toks, starts, space = tokenize_spans("Hi, you.")
    >>> toks, starts.tolist(), space.tolist()
    (['Hi', ',', 'you', '.'], [0, 2, 4, 7], [False, False, True, False])
    """
    parts = _SPLIT_RE.split(text)
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    ends = np.cumsum(lengths)
    tokens = parts[1::2]
    starts = ends[1::2] - lengths[1::2]
    space_before = lengths[0:-1:2] > 0
    return tokens, starts, space_before


def is_word(token: str) -> bool:
    """True if ``token`` is a word: it contains a letter or digit of any script.

    Pure punctuation and symbols are not words, even with a combining mark on them
    (``❤️`` is a heart and a variation selector).  A token that begins with a combining
    mark is a word: such a mark had no base (it followed white space), and the tokenizer
    makes it part of a word token.

    Examples
    --------
    >>> is_word("’s"), is_word("—"), is_word("1990"), is_word("हिन्दी"), is_word("❤\\ufe0f")
    (True, False, True, True, False)
    """
    return _WORD_RE.search(token) is not None


def search_form(token: str) -> str:
    """The form of ``token`` that case-insensitive search compares: lower case, then NFC.

    The lower-cased lexicon of the index is built with this function, and search patterns
    are normalised with it, so a word written in decomposed form (NFD: ``e`` + combining
    acute) is found by its usual composed spelling (NFC: ``é``) and the other way round.

    Normalisation comes *after* lower-casing because lower-casing can leave a text that is
    not in NFC: the capital J with caron exists only as ``J`` + combining caron, while the
    small letter has a precomposed form, ``ǰ`` (U+01F0).  Normalising last guarantees the
    result is NFC whatever the input, and ``search_form(search_form(t)) == search_form(t)``.

    ``str.lower`` rather than ``str.casefold``: case folding also changes letters that are
    not a matter of case (``ß`` → ``ss``, the ligature ``ﬁ`` → ``fi``, final ``ς`` →
    ``σ``) and its output is not meant to be shown, whereas the lower-cased forms are what
    frequency tables and wildcard expansions display.  The cost: ``STRASSE`` does not find
    ``straße``; search both spellings (``stra*e``) where that matters.

    Parameters
    ----------
    token : str
        A token or a search pattern.

    Returns
    -------
    str

    Examples
    --------
    >>> search_form("E\\u0301TAT") == search_form("état") == "\\u00e9tat"
    True
    >>> search_form("J\\u030c") == "\\u01f0"  # the lower-case J̌ has a precomposed form
    True
    >>> search_form("Straße")
    'straße'
    """
    return unicodedata.normalize("NFC", token.lower())
