"""Token queries in a subset of CQP, the query language of the IMS Open Corpus Workbench.

A query describes a sequence of tokens, each by a *token expression* over its annotation
layers (``word`` always; ``lemma``, ``pos``… when the index has them), combined with the
operators of a regular expression over tokens.  It is evaluated on the integer-coded
:class:`~toolkit.index.TokenIndex`: every regular expression over *values* is matched once
per distinct type of its layer, never once per token, and sequences are matched by
propagating sets of positions with numpy.

References are to the *CQP Query Language Tutorial* (Evert & the CWB Development Team;
since CWB 3.5 titled *CQP Interface and Query Language Manual*), cited as "Tutorial §N",
and, where the tutorial leaves details open, to the CWB source (``cqp/parser.y``,
``cqp/eval.c``, ``cqp/ranges.c``).

Grammar (EBNF; white space and ``# comments`` between symbols are ignored)::

    query       = [ modifier ] sequence_alt [ ";" ] ;
    modifier    = "(?" ( "standard" | "shortest" | "longest" ) ")" ;
    sequence_alt= sequence { "|" sequence } ;
    sequence    = factor { factor } ;
    factor      = atom [ quantifier ] ;
    quantifier  = "?" | "*" | "+" | "{" int "}" | "{" int "," [ int ] "}" | "{" "," int "}" ;
    atom        = string [ flags ]                  (* [word = string flags] *)
                | "[" [ bool ] "]"                  (* "[]" is any token *)
                | "(" sequence_alt ")" ;
    bool        = bool_or { "->" bool_or } ;        (* a -> b  is  !a | b *)
    bool_or     = bool_and { "|" bool_and } ;
    bool_and    = bool_not { "&" bool_not } ;
    bool_not    = "!" bool_not | "(" bool ")" | relation ;
    relation    = name ( "=" | "!=" ) string [ flags ] ;
    name        = ( letter | "_" ) { letter | digit | "_" | "-" } ;
    string      = '"' { char | '""' | "\\" char } '"' | "'" { char | "''" | "\\" char } "'" ;
    flags       = "%" { "c" | "d" | "l" } ;

Semantics:

* ``"nuclear"`` is short for ``[word = "nuclear"]`` (Tutorial §2.5).
* A value is a regular expression (the :mod:`regex` module, close to the PCRE syntax CQP
  uses, Tutorial §A.1) that must match the *whole* value: ``"secur"`` does not find
  ``security``; write ``"secur.*"`` (Tutorial §2.2).  A backslash is kept with the next
  character (``"\\."`` is a full stop), a doubled quote stands for the quote.
* ``%c`` ignores case (matched against the index's lower-cased lexicon for ``word``),
  ``%d`` ignores diacritics (both sides are decomposed and combining marks dropped),
  ``%l`` takes the value literally, not as a regular expression; ``%cd`` combines; ``%l``
  cannot be combined with the others (Tutorial §2.2, ``OptionalFlag`` in ``parser.y``).
* ``!=`` holds where the value does *not* match; ``!``, ``&``, ``|`` and ``->`` bind in
  that order, ``!`` tightest (``%left`` declarations in ``parser.y``; Tutorial §2.6).
* ``?``, ``*``, ``+``, ``{n}``, ``{n,}``, ``{,m}`` and ``{n,m}`` repeat the preceding token or
  parenthesised group; ``|`` separates alternative sequences (Tutorial §2.7, §2.8).
* Matches never cross a document boundary: every query is evaluated as if followed by CQP's
  ``within text``.  A query that matches the empty sequence (``"a"?``) is rejected, as CQP
  rejects it ("Query matches empty string", ``eval.c``).

Matching strategy (Tutorial §6.1; the exact rules are those of ``cqp/eval.c`` and
``cqp/ranges.c``).  From each start position the automaton finds the *shortest* match
(``"standard"`` and ``"shortest"``) or the *longest* match (``"longest"``); the matches
of all start positions are then reduced:

``"standard"`` (CQP's default)
    for matches that end at the same token, only the one that starts first is kept, so
    optional elements at the start of a query are included and those at the end are not
    (``RLeftMaximalMatches``).  ``"a" []{0,2} "b"`` on ``a a x b b`` gives ``a a x b``.
``"shortest"``
    a match that contains another match is dropped (``RMinimalMatches``):
    ``a x b`` in the example above.
``"longest"``
    a match contained in another match is dropped (``RMaximalMatches``): ``a a x b`` and
    ``a x b b``, the longest matches from the two starts, overlap without nesting and
    are both kept.

Tutorial §6.1 shows the three on ``DET? ADJ* NN (PREP DET? ADJ* NN)*`` over *the old book
on the table in the room*: standard gives *the old book* | *the table* | *the room*,
shortest *book* | *table* | *room*, longest the whole phrase (the tests check this).
Overlapping matches that are not nested are all kept, as in CQP.  A query may start with
an embedded modifier, ``(?longest) "a"+``, which overrides ``strategy=`` (Tutorial §6.1).

Not supported (a clear :class:`~toolkit.errors.PatternError` names each): ``within``
clauses (matches stay within one document), XML tags and structural attributes
(``<s>``), labels (``a:[...]``) and global constraints (``::``), target and keyword
markers (``@``), word lists (``$list``), feature-set operators (``contains``,
``matches``), numeric comparisons and built-in functions, the ``traditional`` strategy,
lookahead constraints (``[: … :]``), MU and TAB queries, macros and alignment.

Errors name the column of the fault: the number of characters of the query before it,
counted from 0, as in Python's :mod:`json` error messages.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import regex

from ._docs import fill_doc
from ._validation import StrOptions, validate_params
from .errors import ParameterError, PatternError
from .index import IndexView, TokenIndex
from .options import get_option

__all__ = [
    "query",
    "parse",
    "attribute",
    "layer_names",
    "is_cqp",
    "check_regex_token_pattern",
    "STRATEGIES",
]

STRATEGIES = ("standard", "shortest", "longest")
_MAX_STATES = 20_000  # automaton size limit (large repetition counts expand the automaton)
_CHUNK = 1 << 16  # start positions simulated at once (bounds memory and thread keys)


#: Largest repetition count in a regular expression: compiling ``a{10000000}`` takes
#: gigabytes before any matching (and so before the timeout) starts.
MAX_REPEAT = 10_000
_REPEAT = regex.compile(r"(?<!\\)\{\s*(\d+)\s*(?:,\s*(\d*)\s*)?\}")


def check_repetition(pattern: str) -> None:
    """Refuse regular expressions whose ``{m,n}`` counts exceed :data:`MAX_REPEAT`.

    Examples
    --------
    >>> check_repetition("a{2,5}")
    >>> check_repetition("a{100000}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toolkit.errors.PatternError: pattern 'a{100000}': a repetition count of 100000 ...
    """
    for m in _REPEAT.finditer(pattern):
        for g in m.groups():
            if g and int(g) > MAX_REPEAT:
                raise PatternError(
                    pattern,
                    f"a repetition count of {int(g)} is over {MAX_REPEAT:,}: compiling it "
                    "would take more memory than any token needs",
                )


# =========================================================================== syntax tree
@dataclass
class Rel:
    """``attr = "value" %flags`` (or ``!=``)."""

    attr: str
    negated: bool
    value: str
    flags: str
    col: int  # of the value
    attr_col: int = 0  # of the attribute name


@dataclass
class BoolOp:
    """``&`` or ``|`` over two or more operands."""

    op: str
    args: list[Any]


@dataclass
class Not:
    arg: Any


@dataclass
class AnyToken:
    """``[]``: any token."""


@dataclass
class Token:
    """One token position: a boolean expression over its layers."""

    expr: Any
    col: int


@dataclass
class Seq:
    items: list[Any]


@dataclass
class Alt:
    options: list[Any]


@dataclass
class Repeat:
    item: Any
    lo: int
    hi: int | None  # None: unbounded
    col: int


@dataclass
class Query:
    """A parsed query: the sequence expression and the embedded strategy, if any."""

    body: Any
    strategy: str | None = None
    text: str = field(default="", repr=False)


# =========================================================================== lexer
_UNSUPPORTED = {  # CQP syntax outside the subset: (message, detail)
    "within": ("'within' is not supported", "matches never cross document boundaries"),
    "contains": ("the feature-set operator 'contains' is not supported", ""),
    "matches": ("the feature-set operator 'matches' is not supported", ""),
    "MU": ("MU (meet-union) queries are not supported", ""),
    "TAB": ("TAB queries are not supported", ""),
    "<": ("XML tags and structural attributes (<s>, </s>) are not supported", ""),
    "<<": ("region elements (<<s>>) are not supported", ""),
    "@": ("target and keyword markers (@) are not supported", ""),
    "::": ("global constraints (::) are not supported", ""),
    "$": ("word lists ($list) are not supported", ""),
    "[:": ("lookahead constraints ([: ... :]) are not supported", ""),
    "/": ("macros (/name[...]) are not supported", ""),
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_INT = re.compile(r"\d+")
_FLAGS = re.compile(r"%([A-Za-z]*)")
_MODIFIER = re.compile(r"\(\?([A-Za-z]*)\)")
_SPACE = re.compile(r"(?:\s+|#[^\n]*)+")


@dataclass
class _Tok:
    kind: str  # "str", "name", "int", "flags", "mod", "sym", "end"
    text: str
    col: int


def _lex(cql: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(cql)
    while True:
        m = _SPACE.match(cql, i)
        if m:
            i = m.end()
        if i >= n:
            toks.append(_Tok("end", "", n))
            return toks
        c = cql[i]
        if c in "\"'":
            j, buf = i + 1, []
            while True:
                if j >= n or cql[j] in "\r\n":
                    raise _error(cql, f"unterminated string (opened with {c})", i)
                if cql[j] == "\\" and j + 1 < n and cql[j + 1] not in "\r\n":
                    buf.append(cql[j : j + 2])  # kept for the regular expression
                    j += 2
                elif cql[j] == c:
                    if j + 1 < n and cql[j + 1] == c:  # doubled quote
                        buf.append(c)
                        j += 2
                    else:
                        break
                else:
                    buf.append(cql[j])
                    j += 1
            toks.append(_Tok("str", "".join(buf), i))
            i = j + 1
        elif c == "%":
            m = _FLAGS.match(cql, i)
            assert m is not None
            toks.append(_Tok("flags", m.group(1), i))
            i = m.end()
        elif c == "(" and cql.startswith("(?", i):
            m = _MODIFIER.match(cql, i)
            if m is None:
                raise _error(
                    cql, "unknown modifier", i, "use (?standard), (?shortest) or (?longest)"
                )
            toks.append(_Tok("mod", m.group(1), i))
            i = m.end()
        elif c.isdigit():
            m = _INT.match(cql, i)
            assert m is not None
            toks.append(_Tok("int", m.group(), i))
            i = m.end()
        elif _NAME.match(cql, i):
            m = _NAME.match(cql, i)
            assert m is not None
            toks.append(_Tok("name", m.group(), i))
            i = m.end()
        else:
            two = cql[i : i + 2]
            if two in ("!=", "->", "::", "[:", ":]", "<<", ">>"):
                toks.append(_Tok("sym", two, i))
                i += 2
            else:
                toks.append(_Tok("sym", c, i))
                i += 1


def _error(cql: str, message: str, col: int, detail: str = "") -> PatternError:
    """``message at column N[; detail]``; the column is also kept as ``err.column``."""
    err = PatternError(cql, f"{message} at column {col}" + (f"; {detail}" if detail else ""))
    err.column = col  # type: ignore[attr-defined]
    return err


# =========================================================================== parser
class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, cql: str):
        self.cql = cql
        self.toks = _lex(cql)
        self.i = 0

    # ------------------------------------------------------------------ helpers
    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def next(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def fail(self, message: str, tok: _Tok | None = None, detail: str = "") -> PatternError:
        """An error at ``tok`` (default: the current token); ``detail`` follows the column."""
        t = tok or self.tok
        if not detail and tok is None:
            detail = f"found {self.describe(t)}"
        return _error(self.cql, message, t.col, detail)

    def describe(self, t: _Tok) -> str:
        if t.kind == "end":
            return "the end of the query"
        if t.kind == "str":
            return "a string"
        return repr(t.text if t.kind != "flags" else "%" + t.text)

    def expect(self, kind: str, text: str) -> _Tok:
        if not self.at(kind, text):
            raise self.unsupported(self.tok) or self.fail(f"expected {text!r}")
        return self.next()

    def unsupported(self, t: _Tok) -> PatternError | None:
        """A specific message for CQP syntax outside the supported subset."""
        if t.kind in ("name", "sym") and t.text in _UNSUPPORTED:
            message, detail = _UNSUPPORTED[t.text]
            return self.fail(message, t, detail)
        return None

    # ------------------------------------------------------------------ rules
    def query(self) -> Query:
        strategy = None
        if self.at("mod"):
            t = self.next()
            name = t.text.lower()
            if name == "traditional":
                raise self.fail("the 'traditional' matching strategy is not supported", t)
            if name not in STRATEGIES:
                raise self.fail(
                    f"unknown modifier '(?{t.text})'",
                    t,
                    "use (?standard), (?shortest) or (?longest)",
                )
            strategy = name
        if self.at("end"):
            raise self.fail('expected a token expression such as "word" or [...]')
        body = self.sequence_alt()
        if self.at("sym", ";"):
            self.next()
        if not self.at("end"):
            t = self.tok
            if t.kind == "flags":
                raise self.fail(
                    "flags must follow a string", t, 'write ("a" | "b") as ("a"%c | "b"%c)'
                )
            raise self.unsupported(t) or self.fail(f"unexpected {self.describe(t)}", t)
        return Query(body, strategy, self.cql)

    def sequence_alt(self) -> Any:
        options = [self.sequence()]
        while self.at("sym", "|"):
            self.next()
            options.append(self.sequence())
        return options[0] if len(options) == 1 else Alt(options)

    def sequence(self) -> Any:
        items = [self.factor()]
        while self.tok.kind in ("str", "name") or (
            self.tok.kind == "sym" and self.tok.text in "[("
        ):
            items.append(self.factor())
        return items[0] if len(items) == 1 else Seq(items)

    def factor(self) -> Any:
        atom = self.atom()
        t = self.tok
        if t.kind == "sym" and t.text in ("?", "*", "+"):
            self.next()
            lo, hi = {"?": (0, 1), "*": (0, None), "+": (1, None)}[t.text]
            return Repeat(atom, lo, hi, t.col)
        if t.kind == "sym" and t.text == "{":
            return self.repeat(atom)
        return atom

    def repeat(self, atom: Any) -> Repeat:
        t = self.next()  # "{"
        hi: int | None
        if self.at("sym", ","):
            self.next()
            lo, hi = 0, self.integer()
        else:
            lo = self.integer()
            hi = lo
            if self.at("sym", ","):
                self.next()
                hi = None if self.at("sym", "}") else self.integer()
        self.expect("sym", "}")
        if hi is not None and hi < lo:
            raise self.fail(f"invalid repetition range {{{lo},{hi}}}", t, "maximum < minimum")
        return Repeat(atom, lo, hi, t.col)

    def integer(self) -> int:
        if not self.at("int"):
            raise self.fail("expected a whole number")
        return int(self.next().text)

    def atom(self) -> Any:
        t = self.tok
        if t.kind == "str":
            self.next()
            return Token(Rel("word", False, t.text, self.flags(), t.col, t.col), t.col)
        if t.kind == "sym" and t.text == "[":
            self.next()
            if self.at("sym", "]"):
                self.next()
                return Token(AnyToken(), t.col)
            expr = self.bool_expr()
            if not self.at("sym", "]"):
                raise self.unsupported(self.tok) or self.fail("expected ']'")
            self.next()
            return Token(expr, t.col)
        if t.kind == "sym" and t.text == "(":
            self.next()
            if self.at("sym", ")"):
                raise self.fail("empty group '()'", t)
            inner = self.sequence_alt()
            if not self.at("sym", ")"):
                raise self.unsupported(self.tok) or self.fail("expected ')'")
            self.next()
            return inner
        if t.kind == "name":
            err = self.unsupported(t)
            if err:
                raise err
            nxt = self.toks[self.i + 1]
            if nxt.kind == "sym" and nxt.text == ":":
                raise self.fail("labels (name:[...]) are not supported", t)
            raise self.fail(f"unquoted word {t.text!r}", t, f'quote words: "{t.text}"')
        raise self.unsupported(t) or self.fail('expected a token expression ("word" or [...])')

    def flags(self) -> str:
        if not self.at("flags"):
            return ""
        t = self.next()
        bad = "".join(sorted(set(t.text) - set("cdl")))
        if not t.text or bad:
            raise self.fail(
                f"unknown flag '%{bad}'",
                t,
                "use %c (ignore case), %d (ignore diacritics) or %l (literal)",
            )
        if "l" in t.text and set(t.text) != {"l"}:
            raise self.fail("%l (literal) cannot be combined with %c or %d", t)
        return "".join(sorted(set(t.text)))

    def bool_expr(self) -> Any:
        left = self.bool_or()
        while self.at("sym", "->"):
            self.next()
            left = BoolOp("|", [Not(left), self.bool_or()])
        return left

    def bool_or(self) -> Any:
        args = [self.bool_and()]
        while self.at("sym", "|"):
            self.next()
            args.append(self.bool_and())
        return args[0] if len(args) == 1 else BoolOp("|", args)

    def bool_and(self) -> Any:
        args = [self.bool_not()]
        while self.at("sym", "&"):
            self.next()
            args.append(self.bool_not())
        return args[0] if len(args) == 1 else BoolOp("&", args)

    def bool_not(self) -> Any:
        if self.at("sym", "!"):
            self.next()
            return Not(self.bool_not())
        if self.at("sym", "("):
            self.next()
            inner = self.bool_expr()
            self.expect("sym", ")")
            return inner
        return self.relation()

    def relation(self) -> Rel:
        t = self.tok
        if t.kind == "str":
            raise self.fail(
                "expected an attribute name before the string", t, f'write [word = "{t.text}"]'
            )
        if t.kind != "name":
            raise self.unsupported(t) or self.fail(
                "expected an attribute name such as word, lemma or pos"
            )
        self.next()
        op = self.tok
        if op.kind == "sym" and op.text in ("=", "!="):
            self.next()
        elif op.kind == "sym" and op.text in ("<", ">"):
            raise self.fail("comparisons other than = and != are not supported", op)
        else:
            raise self.unsupported(op) or self.fail(f"expected '=' or '!=' after {t.text!r}")
        v = self.tok
        if v.kind != "str":
            raise self.unsupported(v) or self.fail(f"expected a quoted value after {op.text!r}")
        self.next()
        return Rel(t.text, op.text == "!=", v.text, self.flags(), v.col, t.col)


def parse(cql: str) -> Query:
    """Parse a query into its syntax tree (see the module docs for the grammar).

    Parameters
    ----------
    cql : str
        The query, in the subset of CQP described in :mod:`toolkit.query`.

    Returns
    -------
    Query
        The strategy given in the query (``None`` without an embedded modifier) and the
        tree of its body: ``Seq``, ``Alt``, ``Repeat`` and ``Token`` nodes.

    Raises
    ------
    PatternError
        A syntax error or an unsupported construct; the message names the column.

    Examples
    --------
    >>> q = parse('(?longest) "north" [pos="N.*"]+')
    >>> q.strategy, [type(item).__name__ for item in q.body.items]
    ('longest', ['Token', 'Repeat'])
    >>> q.body.items[1].item.expr
    Rel(attr='pos', negated=False, value='N.*', flags='', col=24, attr_col=20)
    >>> parse('[lemma="x"')
    Traceback (most recent call last):
    ...
    toolkit.errors.PatternError: pattern '[lemma="x"': expected ']' at column 10; found the \
end of the query
    """
    if not isinstance(cql, str):
        raise ParameterError("cql", cql, "a query is a string")
    return _Parser(cql).query()


# =========================================================================== layers
def layer_names(index: TokenIndex | IndexView) -> list[str]:
    """Annotation layers of an index: ``word`` and whatever its ``layers`` attribute lists.

    Parameters
    ----------
    index : TokenIndex or IndexView
        The index, or a view of one (whose index's layers are listed).

    Returns
    -------
    list of str
        ``"word"`` first, then the other layers.

    Examples
    --------
    >>> from toolkit.index import build_index
    >>> layer_names(build_index(["a b"]))
    ['word']
    """
    index = index.index if isinstance(index, IndexView) else index
    extra = getattr(index, "layers", None)
    names = ["word"]
    if extra is not None and not isinstance(extra, str):
        try:
            names += [str(n) for n in extra if str(n) != "word"]
        except TypeError:
            pass
    return names


def attribute(
    index: TokenIndex | IndexView, name: str, lower: bool = False
) -> tuple[np.ndarray | None, np.ndarray]:
    """The values of one annotation layer: ids per corpus position and the layer's lexicon.

    ``word`` is the surface form: ``index.tokens`` and ``index.vocab``.  With
    ``lower=True`` it is the lower-cased lexicon ``index.lower_vocab``, which has no
    array per position: ``ids`` is then ``None`` and a surface type ``t`` has the
    lower-cased type ``index.lower[t]``.  Any other layer comes from the index's method
    ``layer(name)``, which returns ``(ids, vocab)``: an integer array with one entry per
    corpus position and the array of the layer's distinct values.

    Parameters
    ----------
    index : TokenIndex or IndexView
        The index whose layer is read (a view reads its index's layer, every position).
    name : str
        ``"word"``, or a layer the index provides (``"lemma"``, ``"pos"``…).
    lower : bool
        For ``word``: the lower-cased lexicon.

    Returns
    -------
    ids : numpy.ndarray or None
    vocab : numpy.ndarray

    Raises
    ------
    PatternError
        The index has no such layer; the message lists the layers it has.

    Examples
    --------
    >>> from toolkit.index import build_index
    >>> idx = build_index(["The war"])
    >>> ids, vocab = attribute(idx, "word")
    >>> vocab[ids].tolist()
    ['The', 'war']
    >>> attribute(idx, "word", lower=True)[1].tolist()
    ['the', 'war']
    >>> attribute(idx, "lemma")
    Traceback (most recent call last):
    ...
    toolkit.errors.PatternError: pattern 'lemma': this index has no layer 'lemma'; \
available layers: 'word'
    """
    index = index.index if isinstance(index, IndexView) else index
    if name == "word":
        if lower:
            return None, index.lower_vocab
        return index.tokens, index.vocab
    getter = getattr(index, "layer", None)
    available = ", ".join(repr(n) for n in layer_names(index))
    if not callable(getter):
        raise PatternError(name, f"this index has no layer {name!r}; available layers: {available}")
    try:
        ids, vocab = getter(name)
    except (KeyError, LookupError, ValueError) as err:
        raise PatternError(
            name, f"this index has no layer {name!r}; available layers: {available}"
        ) from err
    ids = np.asarray(ids)
    vocab = np.asarray(vocab, dtype=object)
    if ids.ndim != 1 or len(ids) != len(index.tokens) or not np.issubdtype(ids.dtype, np.integer):
        raise ParameterError(
            "index",
            name,
            f"layer {name!r}: ids must be integers, one per corpus position "
            f"({len(index.tokens)}), not {ids.dtype} of shape {ids.shape}",
        )
    if len(ids) and (ids.min() < 0 or ids.max() >= len(vocab)):
        raise ParameterError(
            "index", name, f"layer {name!r}: ids outside its vocabulary of {len(vocab)} values"
        )
    return ids, vocab


# =========================================================================== value matching
_META = re.compile(r"[.^$*+?{}\[\]\\|()]")
_FOLD_CACHE: dict[int, tuple[np.ndarray, list[str]]] = {}
_STRING_CACHE: dict[int, tuple[np.ndarray, list[str]]] = {}


def _fold(s: str) -> str:
    """Remove diacritics: decompose, drop combining marks, recompose."""
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in d if not unicodedata.combining(c)))


def _cached(cache: dict, vocab: np.ndarray, make: Any) -> list[str]:
    """``make(vocab)``, kept for the last few vocabularies (the array is kept with it, so
    that its id stays unique)."""
    hit = cache.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    out = make(vocab)
    if len(cache) >= 4:
        cache.pop(next(iter(cache)))
    cache[id(vocab)] = (vocab, out)
    return out


def _strings(vocab: np.ndarray) -> list[str]:
    return _cached(_STRING_CACHE, vocab, lambda v: [str(x) for x in v.tolist()])


def _folded(vocab: np.ndarray) -> list[str]:
    return _cached(_FOLD_CACHE, vocab, lambda v: [_fold(str(x)) for x in v.tolist()])


class _Context:
    """Per-query state: the index, its layers and the masks computed so far."""

    def __init__(self, index: TokenIndex, cql: str, case_sensitive: bool):
        self.index = index
        self.cql = cql
        self.case_sensitive = case_sensitive
        self.layers: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.counts: dict[str, np.ndarray] = {}
        self.masks: dict[tuple[str, str, str], np.ndarray] = {}

    def layer(self, name: str, col: int) -> tuple[np.ndarray, np.ndarray]:
        if name not in self.layers:
            try:
                ids, vocab = attribute(self.index, name)
            except PatternError:
                layers = ", ".join(repr(n) for n in layer_names(self.index))
                raise _error(
                    self.cql, f"unknown layer {name!r}", col, f"this index has: {layers}"
                ) from None
            assert ids is not None
            self.layers[name] = (ids, vocab)
        return self.layers[name]

    def type_counts(self, name: str) -> np.ndarray:
        if name not in self.counts:
            if name == "word":
                self.counts[name] = np.asarray(self.index.counts)
            else:
                ids, vocab = self.layers[name]
                self.counts[name] = np.bincount(ids, minlength=len(vocab))
        return self.counts[name]

    def mask(self, rel: Rel) -> np.ndarray:
        """Boolean mask over the layer's vocabulary: the types whose value matches."""
        flags = rel.flags
        if not self.case_sensitive and "l" not in flags and "c" not in flags:
            flags = "".join(sorted(flags + "c"))
        key = (rel.attr, rel.value, flags)
        if key not in self.masks:
            self.masks[key] = self._mask(rel, flags)
        return self.masks[key]

    def _mask(self, rel: Rel, flags: str) -> np.ndarray:
        ids, vocab = self.layer(rel.attr, rel.attr_col)
        value = rel.value
        word = rel.attr == "word"
        idx = self.index
        if flags == "l":
            literal = _unescape_literal(value)
            if word:
                out = np.zeros(len(vocab), dtype=bool)
                i = idx.lookup.get(literal)
                if i is not None:
                    out[i] = True
                return out
            return np.asarray(vocab == literal, dtype=bool)
        ignore_case = "c" in flags
        diacritics = "d" in flags
        # %c on the word layer: match the lower-cased lexicon, then map back to surface types
        values = idx.lower_vocab if (word and ignore_case) else vocab
        if not _META.search(value) and not diacritics:
            if word:
                out = np.zeros(len(vocab), dtype=bool)
                if ignore_case:
                    j = idx.lower_lookup.get(value.lower())
                    if j is not None:
                        out[idx.surface_types_of_lower(np.array([j]))] = True
                else:
                    i = idx.lookup.get(value)
                    if i is not None:
                        out[i] = True
                return out
            if not ignore_case:
                return np.asarray(vocab == value, dtype=bool)
        pattern = _fold(value) if diacritics else value
        rx_flags = regex.IGNORECASE if ignore_case else 0
        try:
            check_repetition(value)
        except PatternError as err:
            raise _error(self.cql, str(err).split(": ", 1)[-1], rel.col) from None
        try:
            regex.compile(pattern, rx_flags)
        except regex.error as err:
            raise _error(
                self.cql, f"invalid regular expression {value!r}", rel.col, str(err)
            ) from None
        strings = _folded(values) if diacritics else _strings(values)
        hits = _fullmatch_all(pattern, rx_flags, strings, self.cql, value, rel.col)
        if word and ignore_case:
            return hits[idx.lower]
        return hits


def _unescape_literal(value: str) -> str:
    """A %l value: backslashes escape the next character."""
    return re.sub(r"\\(.)", r"\1", value)


_JOINED: dict[int, tuple[list[str], str | None, np.ndarray]] = {}
# inline flags, lookarounds, \A, \Z, \n…: patterns whose matches depend on what is around
_CONTEXT_SENSITIVE = re.compile(r"\(\?(?!:)|\\[AZzGKnNrR]")


def _joined(strings: list[str]) -> tuple[str | None, np.ndarray]:
    """The strings joined by newlines (None if one holds a newline) and each one's offset."""
    hit = _JOINED.get(id(strings))
    if hit is not None and hit[0] is strings:
        return hit[1], hit[2]
    joined = "\n".join(strings)
    text = joined if joined.count("\n") == max(len(strings) - 1, 0) else None
    lengths = np.fromiter((len(x) + 1 for x in strings), dtype=np.int64, count=len(strings))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    if len(_JOINED) >= 8:
        _JOINED.pop(next(iter(_JOINED)))
    _JOINED[id(strings)] = (strings, text, offsets)  # the list is kept so its id stays unique
    return text, offsets


def _fullmatch_all(
    pattern: str, flags: int, strings: list[str], cql: str, value: str, col: int
) -> np.ndarray:
    """Which strings the regular expression matches as a whole, within pattern_timeout.

    Fast path: one search over all the strings joined by newlines, for ``^(?:pattern)$``
    in multi-line mode, which equals matching each string on its own unless the pattern
    looks around (lookarounds, ``\\A``, ``\\n``, inline flags: the slow path then) or a
    match runs over a newline (detected: the slow path then).  Slow path: one
    ``fullmatch`` per string, each with the time that is left.
    """
    limit = float(get_option("pattern_timeout"))
    deadline = time.monotonic() + limit
    out = np.zeros(len(strings), dtype=bool)
    try:
        rx = regex.compile(pattern, flags)
        text, offsets = _joined(strings) if not _CONTEXT_SENSITIVE.search(pattern) else (None, None)
        if text is not None and offsets is not None:
            whole = regex.compile(f"^(?:{pattern})$", flags | regex.MULTILINE)
            starts = []
            spans_line = False
            for m in whole.finditer(text, timeout=limit):
                if "\n" in m.group():
                    spans_line = True
                    break
                starts.append(m.start())
            if not spans_line:
                out[np.searchsorted(offsets, np.array(starts, dtype=np.int64))] = True
                return out
            out[:] = False
        fullmatch = rx.fullmatch
        step = 4096
        for a in range(0, len(strings), step):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            out[a : a + step] = [
                fullmatch(s, timeout=remaining) is not None for s in strings[a : a + step]
            ]
    except TimeoutError:
        raise _error(
            cql,
            f"the regular expression {value!r} took longer than {limit:g} s to match the "
            "vocabulary",
            col,
            "simplify it or raise the limit with tk.set_options(pattern_timeout=...)",
        ) from None
    return out


# =========================================================================== token tests
class _Test:
    """A condition on one token, evaluated at an array of corpus positions."""

    estimate: float = 0.0  # expected number of positions where it holds

    def __call__(self, pos: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def positions(self, ctx: _Context) -> np.ndarray:
        """All corpus positions where the test holds, ascending."""
        n = len(ctx.index.tokens)
        return np.flatnonzero(self(np.arange(n, dtype=np.int64)))


class _Always(_Test):
    def __init__(self, n: int):
        self.estimate = float(n)

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        return np.ones(len(pos), dtype=bool)


class _Mask(_Test):
    """The value of one layer is in a set of types."""

    def __init__(self, layer: str, ids: np.ndarray, mask: np.ndarray, counts: np.ndarray):
        self.layer, self.ids, self.mask, self.counts = layer, ids, mask, counts
        self.estimate = float(counts[mask].sum())

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        return self.mask[self.ids[pos]]

    def positions(self, ctx: _Context) -> np.ndarray:
        types = np.flatnonzero(self.mask)
        n = len(self.ids)
        if self.layer == "word" and len(types) <= 2000 and self.estimate < n / 8:
            return ctx.index.positions(types)
        return np.flatnonzero(self.mask[self.ids])


class _And(_Test):
    def __init__(self, args: list[_Test]):
        self.args = sorted(args, key=lambda t: t.estimate)
        self.estimate = self.args[0].estimate

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        ok = self.args[0](pos)
        for t in self.args[1:]:
            sel = np.flatnonzero(ok)
            if not len(sel):
                break
            ok[sel] = t(pos[sel])
        return ok

    def positions(self, ctx: _Context) -> np.ndarray:
        p = self.args[0].positions(ctx)
        return p[self(p)] if len(p) else p


class _Or(_Test):
    def __init__(self, args: list[_Test]):
        self.args = args
        self.estimate = float(sum(t.estimate for t in args))

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        ok = self.args[0](pos)
        for t in self.args[1:]:
            sel = np.flatnonzero(~ok)
            if not len(sel):
                break
            ok[sel] = t(pos[sel])
        return ok

    def positions(self, ctx: _Context) -> np.ndarray:
        if self.estimate >= len(ctx.index.tokens) / 8:
            return super().positions(ctx)
        return np.unique(np.concatenate([t.positions(ctx) for t in self.args]))


class _NotTest(_Test):
    def __init__(self, arg: _Test, n: int):
        self.arg = arg
        self.estimate = max(float(n) - arg.estimate, 0.0)

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        return ~self.arg(pos)


def _compile_bool(node: Any, ctx: _Context) -> _Test:
    """A boolean expression as a test; conditions on one layer fold into one type mask."""
    n = len(ctx.index.tokens)
    if isinstance(node, AnyToken):
        return _Always(n)
    if isinstance(node, Rel):
        ids, _ = ctx.layer(node.attr, node.attr_col)
        mask = ctx.mask(node)
        if node.negated:
            mask = ~mask
        return _Mask(node.attr, ids, mask, ctx.type_counts(node.attr))
    if isinstance(node, Not):
        inner = _compile_bool(node.arg, ctx)
        if isinstance(inner, _Mask):
            return _Mask(inner.layer, inner.ids, ~inner.mask, inner.counts)
        if isinstance(inner, _Always):
            return _Mask(
                "word",
                ctx.index.tokens,
                np.zeros(len(ctx.index.vocab), bool),
                ctx.type_counts("word"),
            )
        return _NotTest(inner, n)
    assert isinstance(node, BoolOp)
    args = [_compile_bool(a, ctx) for a in node.args]
    if node.op == "&":
        args = [a for a in args if not isinstance(a, _Always)] or [_Always(n)]
    elif any(isinstance(a, _Always) for a in args):
        return _Always(n)
    merged: list[_Test] = []
    by_layer: dict[str, _Mask] = {}
    for a in args:
        if isinstance(a, _Mask) and a.layer in by_layer:
            m = by_layer[a.layer]
            combined = (m.mask & a.mask) if node.op == "&" else (m.mask | a.mask)
            new = _Mask(m.layer, m.ids, combined, m.counts)
            merged[merged.index(m)] = new
            by_layer[a.layer] = new
        else:
            if isinstance(a, _Mask):
                by_layer[a.layer] = a
            merged.append(a)
    if len(merged) == 1:
        return merged[0]
    return _And(merged) if node.op == "&" else _Or(merged)


# =========================================================================== automaton
class _Automaton:
    """Thompson automaton over token tests, without epsilon transitions.

    Its states are the start state and the targets of token transitions ("core" states);
    ``out[q]`` lists the (test, target) transitions from the epsilon closure of ``q``, and
    ``accept[q]`` whether that closure holds the final state.
    """

    def __init__(self, body: Any, tests: list[_Test], test_of: dict[int, int], cql: str):
        self.eps: list[list[int]] = []
        self.trans: list[list[tuple[int, int]]] = []
        self.test_of = test_of
        self.cql = cql
        start, final = self._new(), self._new()
        self._build(body, start, final)
        # epsilon closures of the start state and of every target of a token transition
        core = [start] + sorted({r for tr in self.trans for _, r in tr})
        self.core_index = {q: i for i, q in enumerate(core)}
        self.out: list[list[tuple[int, int]]] = []
        accept = []
        for q in core:
            closure = self._closure(q)
            seen: dict[tuple[int, int], None] = {}
            for s in closure:
                for t, r in self.trans[s]:
                    seen[(t, self.core_index[r])] = None
            self.out.append(list(seen))
            accept.append(final in closure)
        self.accept = np.array(accept, dtype=bool)
        self.n_core = len(core)
        # states that loop on any token ([]*): their other transitions are their exits
        self.loops = np.array(
            [
                any(r == q and isinstance(tests[t], _Always) for t, r in out)
                for q, out in enumerate(self.out)
            ],
            dtype=bool,
        )
        self.exits = [[(t, r) for t, r in out if r != q] for q, out in enumerate(self.out)]

    def _new(self) -> int:
        if len(self.eps) >= _MAX_STATES:
            raise PatternError(
                self.cql,
                f"the query is too large to evaluate (over {_MAX_STATES} automaton states); "
                "use smaller repetition counts",
            )
        self.eps.append([])
        self.trans.append([])
        return len(self.eps) - 1

    def _build(self, node: Any, a: int, b: int) -> None:
        """Add a fragment from state a to state b (no edge ever enters a or leaves b)."""
        if isinstance(node, Token):
            self.trans[a].append((self.test_of[id(node)], b))
        elif isinstance(node, Seq):
            cur = a
            for item in node.items[:-1]:
                nxt = self._new()
                self._build(item, cur, nxt)
                cur = nxt
            self._build(node.items[-1], cur, b)
        elif isinstance(node, Alt):
            for opt in node.options:
                s, e = self._new(), self._new()
                self.eps[a].append(s)
                self._build(opt, s, e)
                self.eps[e].append(b)
        else:
            assert isinstance(node, Repeat)
            cur = a
            for _ in range(node.lo):
                nxt = self._new()
                self._build(node.item, cur, nxt)
                cur = nxt
            if node.hi is None:
                loop, s, e = self._new(), self._new(), self._new()
                self.eps[cur].append(loop)
                self.eps[loop].append(s)
                self._build(node.item, s, e)
                self.eps[e].append(loop)
                self.eps[loop].append(b)
            else:
                for _ in range(node.hi - node.lo):
                    nxt = self._new()
                    self.eps[cur].append(b)
                    self._build(node.item, cur, nxt)
                    cur = nxt
                self.eps[cur].append(b)

    def _closure(self, q: int) -> list[int]:
        seen = {q}
        stack = [q]
        while stack:
            s = stack.pop()
            for r in self.eps[s]:
                if r not in seen:
                    seen.add(r)
                    stack.append(r)
        return sorted(seen)


def _collect_tokens(node: Any, out: list[Token]) -> None:
    if isinstance(node, Token):
        out.append(node)
    elif isinstance(node, Seq):
        for item in node.items:
            _collect_tokens(item, out)
    elif isinstance(node, Alt):
        for opt in node.options:
            _collect_tokens(opt, out)
    else:
        _collect_tokens(node.item, out)


# =========================================================================== anchors
@dataclass
class _Anchor:
    """A test that holds at some offset in [lo, hi] from the start of every match."""

    lo: int
    hi: int | None
    test: _Test

    @property
    def cost(self) -> float:
        if self.hi is None:
            return float("inf")
        return self.test.estimate * (self.hi - self.lo + 1)


def _analyse(
    node: Any, tests: list[_Test], test_of: dict[int, int]
) -> tuple[int, int | None, list[_Anchor]]:
    """Minimum and maximum length of the matches of a node, and its anchors."""
    if isinstance(node, Token):
        t = tests[test_of[id(node)]]
        return 1, 1, [] if isinstance(t, _Always) else [_Anchor(0, 0, t)]
    hi: int | None
    if isinstance(node, Seq):
        lo, hi = 0, 0
        anchors: list[_Anchor] = []
        for item in node.items:
            a, b, sub = _analyse(item, tests, test_of)
            for an in sub:
                anchors.append(
                    _Anchor(
                        lo + an.lo, None if hi is None or an.hi is None else hi + an.hi, an.test
                    )
                )
            lo += a
            hi = None if hi is None or b is None else hi + b
        return lo, hi, anchors
    if isinstance(node, Alt):
        parts = [_analyse(opt, tests, test_of) for opt in node.options]
        lo = min(p[0] for p in parts)
        highs = [p[1] for p in parts]
        hi = None if None in highs else max(h for h in highs if h is not None)
        # each option's best anchor; an option without anchors leaves the choice without any
        best = [min(p[2], key=lambda an: (an.cost, an.test.estimate)) for p in parts if p[2]]
        if len(best) < len(parts):
            return lo, hi, []
        best_highs = [b.hi for b in best]
        anchors = [
            _Anchor(
                min(b.lo for b in best),
                None if None in best_highs else max(h for h in best_highs if h is not None),
                _Or([b.test for b in best]),
            )
        ]
        return lo, hi, anchors
    assert isinstance(node, Repeat)
    a, b, sub = _analyse(node.item, tests, test_of)
    lo = a * node.lo
    hi = None if node.hi is None or b is None else b * node.hi
    return lo, hi, (sub if node.lo >= 1 else [])


# =========================================================================== evaluation
def _view_positions(view: IndexView) -> np.ndarray:
    """All corpus positions of a view, ascending."""
    if view.full:
        return np.arange(view.index.n_tokens, dtype=np.int64)
    starts, lengths = view.starts, view.doc_lengths
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(starts, kind="stable")
    starts, lengths = starts[order], lengths[order]
    total = int(lengths.sum())
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return offs + np.arange(total, dtype=np.int64)


def _candidates(view: IndexView, anchors: list[_Anchor], ctx: _Context) -> np.ndarray:
    """Start positions to try: a superset of the starts of all matches, ascending."""
    index = view.index
    n = max(view.n_tokens, 1)
    finite = [a for a in anchors if a.hi is not None]
    best = min(finite, key=lambda a: a.cost, default=None)
    if best is not None and best.hi is not None and best.cost <= n / 2:
        p = view.restrict(best.test.positions(ctx))
        if best.lo == best.hi:
            s = p - best.lo
        else:
            s = (p[:, None] - np.arange(best.lo, best.hi + 1)[None, :]).ravel()
            p = np.repeat(p, best.hi - best.lo + 1)
        ok = s >= index.doc_offsets[index.doc_of(p)]
        return np.unique(s[ok])
    starts = _view_positions(view)
    selective = [a for a in anchors if a.test.estimate <= n / 4]
    if selective and len(starts):
        a = min(selective, key=lambda a: a.test.estimate)
        p = view.restrict(a.test.positions(ctx))
        if not len(p):  # a token every match needs does not occur
            return p.astype(np.int64)
        j = np.searchsorted(p, starts + a.lo)
        ok = j < len(p)
        q = p[np.where(ok, j, 0)]
        ok &= index.doc_of(q) == index.doc_of(starts)
        if a.hi is not None:
            ok &= q <= starts + a.hi
        starts = starts[ok]
    return starts


_K_BITS, _S_BITS = 31, 15  # bits of a thread key: offset from its start, automaton state
_WINDOW = 64  # exits of a `[]*` loop generated per round and thread


def _simulate(
    cand: np.ndarray,
    doc_end: np.ndarray,
    fsa: _Automaton,
    tests: list[_Test],
    hits: Any,
    longest: bool,
) -> np.ndarray:
    """End (exclusive) of the shortest or longest match from each start; -1 for none.

    A thread is (start number, core state, position of the next token); each round moves
    every thread over one token, except in a state that loops on ``[]`` (``[]*``,
    ``[]+``, ``[]{n,}``): there the thread jumps straight to the positions where one of
    the state's other transitions holds (found with ``searchsorted`` in the sorted
    positions of their tests), at most ``_WINDOW`` of them per round, so a gap costs rounds
    in proportion to the matches of the tokens after it, not to its length.  Threads are
    kept in one int64 key, state-major, so that ``np.unique`` both removes duplicates and
    groups them by state.
    """
    n = len(cand)
    if n >= 1 << (63 - _K_BITS - _S_BITS):  # pragma: no cover - guarded by _CHUNK
        raise ValueError("too many start positions in one chunk")
    kmask = (1 << _K_BITS) - 1
    tmask = (1 << (63 - _K_BITS - _S_BITS)) - 1
    big = np.iinfo(np.int64).max
    best = np.full(n, -1 if longest else big, dtype=np.int64)
    keys = np.arange(n, dtype=np.int64) << _K_BITS  # state 0, offset 0
    while len(keys):
        st = keys >> (_K_BITS + 63 - _K_BITS - _S_BITS)
        tid = (keys >> _K_BITS) & tmask
        pos = cand[tid] + (keys & kmask)
        de = doc_end[tid]
        # a thread that can no longer improve its start's match is dropped
        b = best[tid]
        keep = pos < de
        keep &= (b < de) if longest else (pos < b)
        if not keep.all():
            st, tid, pos, de = st[keep], tid[keep], pos[keep], de[keep]
        if not len(st):
            break
        bounds = np.flatnonzero(np.diff(st)) + 1
        firsts = np.concatenate(([0], bounds))
        lasts = np.append(bounds, len(st))
        new_tid: list[np.ndarray] = []
        new_st: list[np.ndarray] = []
        new_pos: list[np.ndarray] = []
        for a, z in zip(firsts.tolist(), lasts.tolist(), strict=True):
            q = int(st[a])
            ids, p, e = tid[a:z], pos[a:z], de[a:z]
            if fsa.loops[q]:
                # one thread per start: the earliest covers every later position
                first = np.ones(len(ids), dtype=bool)
                first[1:] = ids[1:] != ids[:-1]
                ids, p, e = ids[first], p[first], e[first]
                exits = fsa.exits[q]
                lo_hi: list[tuple[np.ndarray, np.ndarray] | None] = []
                w = e.copy()
                for t, _ in exits:
                    if isinstance(tests[t], _Always):
                        lo_hi.append(None)
                        w = np.minimum(w, p + _WINDOW)
                    else:
                        h = hits(t)
                        j0 = np.searchsorted(h, p)
                        j1 = np.searchsorted(h, e)
                        kth = j0 + _WINDOW
                        more = kth < j1
                        if more.any():
                            w = np.where(more, h[np.minimum(kth, len(h) - 1)], w)
                        lo_hi.append((h, j0))
                for (_t, r), spec in zip(exits, lo_hi, strict=True):
                    if spec is None:
                        cnt = w - p
                        starts_h = p
                        off = np.repeat(starts_h - np.cumsum(cnt) + cnt, cnt)
                        hpos = off + np.arange(int(cnt.sum()), dtype=np.int64)
                    else:
                        h, j0 = spec
                        j1 = np.searchsorted(h, w)
                        cnt = j1 - j0
                        idx = np.repeat(j0 - np.cumsum(cnt) + cnt, cnt)
                        hpos = h[idx + np.arange(int(cnt.sum()), dtype=np.int64)]
                    if len(hpos):
                        new_tid.append(np.repeat(ids, cnt))
                        new_st.append(np.full(len(hpos), r, dtype=np.int64))
                        new_pos.append(hpos + 1)
                cont = w < e
                if cont.any():  # the loop goes on from the end of this window
                    new_tid.append(ids[cont])
                    new_st.append(np.full(int(cont.sum()), q, dtype=np.int64))
                    new_pos.append(w[cont])
                continue
            results: dict[int, np.ndarray] = {}
            for t, r in fsa.out[q]:
                ok = results.get(t)
                if ok is None:
                    ok = results[t] = tests[t](p)
                if ok.any():
                    new_tid.append(ids[ok])
                    new_st.append(np.full(int(ok.sum()), r, dtype=np.int64))
                    new_pos.append(p[ok] + 1)
        if not new_tid:
            break
        tid = np.concatenate(new_tid)
        st = np.concatenate(new_st)
        pos = np.concatenate(new_pos)
        # a thread arriving in an accepting state is a match ending at its position
        acc = fsa.accept[st]
        if acc.any():
            if longest:
                np.maximum.at(best, tid[acc], pos[acc])
                la = acc & fsa.loops[st]  # an accepting `[]` loop reaches the document end
                if la.any():
                    np.maximum.at(best, tid[la], doc_end[tid[la]])
            else:
                np.minimum.at(best, tid[acc], pos[acc])
        keys = np.unique(
            (st << (_K_BITS + 63 - _K_BITS - _S_BITS)) | (tid << _K_BITS) | (pos - cand[tid])
        )
    if not longest:
        best[best == big] = -1
    return best


def _reduce(starts: np.ndarray, ends: np.ndarray, strategy: str) -> tuple[np.ndarray, np.ndarray]:
    """Apply a matching strategy to one match per start (sorted by start)."""
    if len(starts) < 2:
        return starts, ends
    if strategy == "standard":
        # of the matches ending at one token, keep the one that starts first
        order = np.lexsort((starts, ends))
        s, e = starts[order], ends[order]
        keep = np.ones(len(s), dtype=bool)
        keep[1:] = e[1:] != e[:-1]
        s, e = s[keep], e[keep]
        order = np.argsort(s, kind="stable")
        return s[order], e[order]
    if strategy == "shortest":
        # drop a match that contains a later-starting match
        later_min = np.minimum.accumulate(ends[::-1])[::-1]
        later = np.append(later_min[1:], np.iinfo(np.int64).max)
        keep = later > ends
    else:
        # drop a match contained in an earlier-starting match
        earlier_max = np.maximum.accumulate(ends)
        earlier = np.concatenate(([np.iinfo(np.int64).min], earlier_max[:-1]))
        keep = earlier < ends
    return starts[keep], ends[keep]


@validate_params(
    {"cql": [str], "strategy": [StrOptions(STRATEGIES)], "case_sensitive": ["boolean"]}
)
def query(
    view_or_index: IndexView | TokenIndex,
    cql: str,
    strategy: str = "standard",
    case_sensitive: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """All matches of a CQP query: start and end (exclusive) corpus positions.

    Parameters
    ----------
    view_or_index : IndexView or TokenIndex
        Where to search: a view searches only its documents; an index all of its own.
    cql : str
        The query, in the subset of CQP described in :mod:`toolkit.query`.
    strategy : {"standard", "shortest", "longest"}
        CQP's matching strategy (Tutorial §6.1); an embedded modifier such as
        ``(?longest)`` at the start of the query overrides it.
    case_sensitive : bool
        Whether upper and lower case are told apart.  ``True`` (default): values match
        as written unless they carry the flag ``%c``, as in CQP itself; ``False`` matches
        every value as if it carried ``%c`` (but not one marked ``%l``).  The default is
        the opposite of the glossary's ``case_sensitive=False`` on purpose: this function
        evaluates CQP as CQP does, so a query copied from CQPweb or the CQP Tutorial finds
        here what it finds there.  The analyses that take CQP patterns
        (``tk.kwic(..., match="cqp")``, :func:`toolkit.patterns.find`) keep the default
        ``False`` and pass it here (``docs/glossary.md``, "Documented exceptions").

    Returns
    -------
    starts, ends : numpy.ndarray of int64
        Sorted by start; ``ends`` is exclusive.  Matches never cross a document boundary.

    Raises
    ------
    PatternError
        A syntax error (the message names the column), an unsupported construct, an
        unknown layer, an invalid or too slow regular expression, or a query that
        matches the empty sequence.
    ParameterError
        An unknown strategy; ``cql`` not a string, ``case_sensitive`` not True or False
        (checked before any work).

    Examples
    --------
    >>> from toolkit.index import build_index
    >>> idx = build_index(["a a x b b", "North Korea and the DPRK talked."])
    >>> [a.tolist() for a in query(idx, '"a" []{0,2} "b"')]  # a a x b
    [[0], [4]]
    >>> [a.tolist() for a in query(idx, '"a" []{0,2} "b"', strategy="shortest")]  # a x b
    [[1], [4]]
    >>> [a.tolist() for a in query(idx, '"a" []{0,2} "b"', strategy="longest")]
    [[0, 1], [4, 5]]
    >>> [a.tolist() for a in query(idx, '("north" "korea" | "dprk")')]  # as CQP: case counts
    [[], []]
    >>> [a.tolist() for a in query(idx, '("north" "korea" | "dprk")', case_sensitive=False)]
    [[5, 9], [7, 10]]
    >>> [a.tolist() for a in query(idx, '(?longest) [word="[A-Z].*"]+')]
    [[5, 9], [7, 10]]
    """
    if isinstance(view_or_index, IndexView):
        view = view_or_index
    elif isinstance(view_or_index, TokenIndex):
        view = IndexView(
            view_or_index,
            np.arange(view_or_index.n_docs),
            [str(i) for i in range(view_or_index.n_docs)],
        )
    else:
        raise ParameterError(
            "view_or_index", type(view_or_index).__name__, "expected an IndexView or TokenIndex"
        )
    parsed = parse(cql)
    strategy = parsed.strategy or strategy
    index = view.index
    ctx = _Context(index, cql, case_sensitive)
    tokens: list[Token] = []
    _collect_tokens(parsed.body, tokens)
    tests: list[_Test] = []
    test_of: dict[int, int] = {}
    for tok in tokens:
        test_of[id(tok)] = len(tests)
        tests.append(_compile_bool(tok.expr, ctx))
    fsa = _Automaton(parsed.body, tests, test_of, cql)
    if fsa.accept[0]:
        raise PatternError(
            cql,
            "the query matches the empty sequence (it would match everywhere); make at "
            "least one token obligatory",
        )
    empty = np.zeros(0, dtype=np.int64)
    if view.n_tokens == 0:
        return empty, empty.copy()
    _, _, anchors = _analyse(parsed.body, tests, test_of)
    cand = _candidates(view, anchors, ctx)
    hit_cache: dict[int, np.ndarray] = {}

    def hits(t: int) -> np.ndarray:
        if t not in hit_cache:
            hit_cache[t] = np.asarray(tests[t].positions(ctx), dtype=np.int64)
        return hit_cache[t]

    out_s, out_e = [], []
    for a in range(0, len(cand), _CHUNK):
        c = cand[a : a + _CHUNK]
        doc_end = index.doc_offsets[index.doc_of(c) + 1]
        best = _simulate(c, doc_end, fsa, tests, hits, longest=strategy == "longest")
        hit = best >= 0
        out_s.append(c[hit])
        out_e.append(best[hit])
    starts = np.concatenate(out_s) if out_s else empty
    ends = np.concatenate(out_e) if out_e else empty.copy()
    starts, ends = _reduce(starts.astype(np.int64), ends.astype(np.int64), strategy)
    return starts, ends


# =========================================================================== helpers
_CQP_START = re.compile(
    r"\s*(?:[\[\"]|\(\?(?:standard|shortest|longest|traditional)\)|\(\s*[\[\"(])"
)


@fill_doc
def is_cqp(pattern: str) -> bool:
    """Whether a search pattern is written as a CQP query (see :mod:`toolkit.query`).

    True when it starts with ``[`` or ``"``, with an embedded modifier such as
    ``(?longest)``, or with ``(`` followed by ``[``, ``"`` or ``(`` — so that glob and
    regex patterns such as ``(nuclear|atomic)`` or ``'s`` are not taken for queries.

    Parameters
    ----------
    pattern : str
        {params.pattern}
        Here one string as given to ``kwic`` and the other functions taking patterns;
        leading white space is ignored.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_cqp('"nuclear" "weapons"'), is_cqp('[lemma="go"]'), is_cqp('("a"|"b")')
    (True, True, True)
    >>> is_cqp("nuclear weapons"), is_cqp("(nuclear|atomic)"), is_cqp("'s")
    (False, False, False)
    """
    return isinstance(pattern, str) and _CQP_START.match(pattern) is not None


_WS_CHARS = frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}


def _needs_space(pattern: str) -> bool | None:
    """Whether every string the regular expression matches contains white space.

    ``None`` when Python's parser cannot read it (syntax of the :mod:`regex` module only).
    """
    # Python 3.11+ (the toolkit's minimum) has re._parser and re._constants; typeshed does
    # not declare these private modules.
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    try:
        tree = sre_parse.parse(pattern)
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return None

    def space_only(items: list) -> bool:
        """A character set (IN) that matches white space only."""
        neg = any(op is c.NEGATE for op, _ in items)
        if neg:
            return False
        for op, av in items:
            if op is c.LITERAL:
                if chr(av) not in _WS_CHARS:
                    return False
            elif op is c.CATEGORY:
                if av is not c.CATEGORY_SPACE and av is not c.CATEGORY_UNI_SPACE:
                    return False
            elif op is c.RANGE:
                lo, hi = av
                if any(chr(x) not in _WS_CHARS for x in range(lo, hi + 1)):
                    return False
            else:
                return False
        return True

    def must(seq: Any) -> bool:
        """Every match of this sequence contains a white-space character."""
        for op, av in seq:
            if op is c.LITERAL and chr(av) in _WS_CHARS:
                return True
            if op is c.IN and space_only(av):
                return True
            if op is c.SUBPATTERN and must(av[-1]):
                return True
            if op is c.BRANCH and all(must(b) for b in av[1]):
                return True
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
                lo, _, item = av
                if lo >= 1 and must(item):
                    return True
            if op is c.ATOMIC_GROUP and must(av):
                return True
        return False

    return must(tree)


def check_regex_token_pattern(p: str) -> None:
    """Refuse a token regular expression that can only match across tokens.

    Tokens never contain white space (the tokeniser splits the text there), so a
    regular expression such as ``r"nuclear\\s+weapons"``, matched against one token at a
    time, finds nothing.  A pattern is refused when every string it matches contains
    white space (``\\s``, a space, ``\\n``…): ``r"nuclear(\\s+weapons)?"`` still matches
    ``nuclear`` and passes.  Patterns that Python's :mod:`re` cannot read (syntax of the
    :mod:`regex` module only) are refused when they contain ``\\s``, ``\\n`` or a space
    outside any optional part (``?``, ``*``, ``{0,…}``, ``|``).

    Parameters
    ----------
    p : str
        One token regular expression (``match="regex"``).

    Returns
    -------
    None
        When the pattern can match a single token.

    Raises
    ------
    PatternError
        The message suggests the CQP query with one string per token and the phrase form
        of the pattern.

    Examples
    --------
    >>> check_regex_token_pattern(r"nuclear(\\s+weapons)?")
    >>> check_regex_token_pattern(r"nuclear\\s+weapons")
    Traceback (most recent call last):
    ...
    toolkit.errors.PatternError: pattern 'nuclear\\\\s+weapons': a regular expression is \
matched against one token at a time and tokens never contain white space, so this one \
matches nothing; search a sequence of tokens instead: the CQP query '"nuclear" "weapons"' \
(match="cqp"), or the phrase 'nuclear weapons' (one regular expression per word)
    """
    if not isinstance(p, str):
        return
    verdict = _needs_space(p)
    if verdict is None:
        ws = re.search(r"\\s|\\n|\\t|\\r|\s", p) is not None
        optional = re.search(r"[?*|]|\{0", p) is not None
        verdict = ws and not optional
    if not verdict:
        return
    parts = [x for x in re.split(r"(?:\\[snrt]|\s)+[+*?]?", p) if x]
    phrase = " ".join(parts)
    cqp = " ".join(f'"{x}"' for x in parts)
    raise PatternError(
        p,
        "a regular expression is matched against one token at a time and tokens never "
        "contain white space, so this one matches nothing; search a sequence of tokens "
        f'instead: the CQP query {cqp!r} (match="cqp"), or the phrase {phrase!r} (one '
        "regular expression per word)",
    )
