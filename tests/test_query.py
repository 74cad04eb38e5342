"""CQP token queries (toolkit.query): every construct against hand-computed positions,
the matching strategies of the CQP Query Language Tutorial §6.1, errors with columns, and
a property test against a brute-force matcher written independently of the automaton."""

import re
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.errors import ParameterError, PatternError
from toolkit.index import IndexView, TokenIndex, build_index
from toolkit.query import (
    Alt,
    AnyToken,
    BoolOp,
    Not,
    Rel,
    Repeat,
    Seq,
    Token,
    attribute,
    check_regex_token_pattern,
    is_cqp,
    layer_names,
    parse,
    query,
)


def spans(where, cql, **kw):
    starts, ends = query(where, cql, **kw)
    assert starts.dtype == np.int64 and ends.dtype == np.int64
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


# --------------------------------------------------------------------------- a tagged index
@dataclass
class TaggedIndex(TokenIndex):
    """A token index with hand-made annotation layers, offered through ``layer(name)``."""

    tags: dict = field(default_factory=dict, repr=False)

    @property
    def layers(self):
        return list(self.tags)

    def layer(self, name):
        values = self.tags[name]  # KeyError for an unknown layer
        vocab, ids = np.unique(np.array(values, dtype=object), return_inverse=True)
        return ids.astype(np.int32), vocab


def tagged(texts, **layers):
    base = build_index(texts)
    fields = {f: getattr(base, f) for f in TokenIndex.__dataclass_fields__ if f[0] != "_"}
    for name, values in layers.items():
        assert len(values) == base.n_tokens, name
    return TaggedIndex(**fields, tags=layers)


# The example of Tutorial §6.1 (Fig. "matching strategies"): a simple NP followed by PPs.
BOOK = tagged(
    ["the old book on the table in the room"],
    pos="DT JJ NN IN DT NN IN DT NN".split(),
    lemma="the old book on the table in the room".split(),
)
NP_PP = (
    '[pos="DT"]? [pos="JJ.*"]* [pos="NNS?"] '
    '( [pos="IN|TO"] [pos="DT"]? [pos="JJ.*"]* [pos="NNS?"] )*'
)


@pytest.mark.parametrize(
    "strategy, expected",
    [
        ("standard", [(0, 3), (4, 6), (7, 9)]),  # the old book | the table | the room
        ("shortest", [(2, 3), (5, 6), (8, 9)]),  # book | table | room
        ("longest", [(0, 9)]),  # the old book on the table in the room
    ],
)
def test_tutorial_matching_strategies(strategy, expected):
    assert spans(BOOK, NP_PP, strategy=strategy) == expected
    # the embedded modifier of Tutorial §6.1 overrides the argument
    assert spans(BOOK, f"(?{strategy}) {NP_PP}", strategy="standard") == expected


def test_lemma_and_pos_layers():
    idx = tagged(
        ["Threats grew . The threat was real"],
        lemma="threat grow . the threat be real".split(),
        pos="NOUN VERB PUNCT DET NOUN AUX ADJ".split(),
    )
    assert spans(idx, '[lemma="threat"]') == [(0, 1), (4, 5)]
    assert spans(idx, '[pos="NOUN"] [pos="VERB|AUX"]') == [(0, 2), (4, 6)]
    assert spans(idx, '[lemma="threat" & word="[A-Z].*"]') == [(0, 1)]
    assert spans(idx, '[pos="DET"] [lemma="threat"]') == [(3, 5)]
    assert spans(idx, '[pos!="NOUN" & pos!="PUNCT"]') == [(1, 2), (3, 4), (5, 6), (6, 7)]
    assert spans(idx, '[pos="noun" %c]') == [(0, 1), (4, 5)]
    assert spans(idx, '[pos="NOUN"] []{0,3} [pos="ADJ"]', strategy="shortest") == [(4, 7)]
    assert layer_names(idx) == ["word", "lemma", "pos"]
    with pytest.raises(
        PatternError,
        match=r"unknown layer 'tag' at column 1; this index has: "
        r"'word', 'lemma', 'pos'",
    ):
        query(idx, '[tag="NN"]')


# --------------------------------------------------------------------------- token expressions
IDX = build_index(
    [
        "Security and securities secure the SECURITY of nations .",  # 0-9
        "Café cafe CAFÉ naïve",  # 10-13
        "3.5 305 3x5",  # 13-15
    ]
)


def words(cql, **kw):
    return [" ".join(IDX.vocab[IDX.tokens[s:e]]) for s, e in spans(IDX, cql, **kw)]


def test_fixture_tokens():
    assert IDX.vocab[IDX.tokens].tolist()[:9] == (
        "Security and securities secure the SECURITY of nations .".split()
    )
    assert IDX.doc_offsets.tolist() == [0, 9, 13, 16]


def test_values_are_anchored_regular_expressions():
    # Tutorial §2.2: the regular expression must match the whole word
    assert words('"secur"') == []
    assert words('"secur.*"') == ["securities", "secure"]
    assert words('[word="secur.*"]') == ["securities", "secure"]
    assert words('"Secur.*|SECUR.*"') == ["Security", "SECURITY"]
    assert words('"sec.r(e|ities)"') == ["securities", "secure"]


def test_flags():
    assert words('"security" %c') == ["Security", "SECURITY"]
    assert words('"SECUR.*"%c') == ["Security", "securities", "secure", "SECURITY"]
    assert words('"cafe"') == ["cafe"]
    assert words('"cafe" %d') == ["cafe"]  # %d alone keeps case
    assert words('"Cafe" %d') == ["Café"]
    assert words('"cafe" %cd') == ["Café", "cafe", "CAFÉ"]
    assert words('"naive" %d') == ["naïve"]
    assert words('"3.5"') == ["3.5", "305", "3x5"]  # . is any character
    assert words('"3.5" %l') == ["3.5"]  # literally
    assert words(r'"3\.5"') == ["3.5"]  # a backslash escapes
    assert words('"3[.]5|3x5"') == ["3.5", "3x5"]
    # case_sensitive=False adds %c to every value
    assert words('"security"', case_sensitive=False) == ["Security", "SECURITY"]
    assert words('"security" %l', case_sensitive=False) == []  # %l stays literal


def test_query_is_case_sensitive_as_cqp_and_the_analyses_as_the_glossary(make):
    # toolkit.query.query evaluates CQP as CQP does: case counts unless %c is given
    idx = build_index(["Security and security", "SECURITY council"])
    assert spans(idx, '"security"') == [(2, 3)]
    assert spans(idx, '"security"') == spans(idx, '"security"', case_sensitive=True)
    assert spans(idx, '"security"', case_sensitive=False) == [(0, 1), (2, 3), (3, 4)]
    assert spans(idx, '"security"%c') == [(0, 1), (2, 3), (3, 4)]
    # the analyses keep the glossary's default, case_sensitive=False, for CQP patterns too
    c = make(["Security and security", "SECURITY council"])
    assert len(tk.kwic(c, '"security"', match="cqp")) == 3
    assert len(tk.kwic(c, '"security"', match="cqp", case_sensitive=True)) == 1


def test_boolean_expressions():
    # Tutorial §2.6: & | ! and parentheses; ! binds tightest, then &, then |
    assert words('[word="secur.*" & word!="secure"]') == ["securities"]
    assert words('[word="the" | word="of"]') == ["the", "of"]
    assert words('[!(word="[a-z].*") & word!="\\.|[0-9].*"]') == [
        "Security",
        "SECURITY",
        "Café",
        "CAFÉ",
    ]
    assert words('[word="a.*" & word="of" | word="the"]') == ["the"]  # (a & of) | the
    assert words('[word="the" | word="a.*" & word=".*d"]') == ["and", "the"]
    assert words('[!word="a.*" & word="[a-z]+" & word!="[^s].*"]') == ["securities", "secure"]
    # -> is implication (Tutorial §2.6): a -> b is !a | b
    assert words('[word="s.*" -> word="se.*"]', case_sensitive=False) == words(
        '[!word="s.*" | word="se.*"]', case_sensitive=False
    )


def test_any_token():
    assert len(spans(IDX, "[]")) == IDX.n_tokens
    assert words('"the" [] "of"') == ["the SECURITY of"]
    assert words('[] "of"') == ["SECURITY of"]


# --------------------------------------------------------------------------- sequences
SEQ = build_index(["a b a a b c", "a b c a"])  # 0-5 | 6-9


def test_repetition_operators():
    # Tutorial §2.7; default (standard) strategy
    assert spans(SEQ, '"a" "b"') == [(0, 2), (3, 5), (6, 8)]
    assert spans(SEQ, '"a"{2}') == [(2, 4)]
    assert spans(SEQ, '"a"{2,}') == [(2, 4)]
    assert spans(SEQ, '"a"{1,2} "b"') == [(0, 2), (2, 5), (6, 8)]
    assert spans(SEQ, '"a"{,2} "b"') == [(0, 2), (2, 5), (6, 8)]
    assert spans(SEQ, '"a"+ "b"') == [(0, 2), (2, 5), (6, 8)]
    assert spans(SEQ, '"a"* "b"') == [(0, 2), (2, 5), (6, 8)]
    assert spans(SEQ, '"a"? "b"') == [(0, 2), (3, 5), (6, 8)]
    assert spans(SEQ, '"b" "c"?') == [(1, 2), (4, 5), (7, 8)]  # optional at the end: left out
    assert spans(SEQ, '"b" "c"?', strategy="longest") == [(1, 2), (4, 6), (7, 9)]


def test_groups_and_alternatives():
    assert spans(SEQ, '("a" | "c")') == [(0, 1), (2, 3), (3, 4), (5, 6), (6, 7), (8, 9), (9, 10)]
    assert spans(SEQ, '("a" "b")+ "c"') == [(3, 6), (6, 9)]
    assert spans(SEQ, '"b" ("a" "a" | "c") ') == [(1, 4), (4, 6), (7, 9)]
    assert spans(SEQ, '"b" "c" | "a" "a"') == [(2, 4), (4, 6), (7, 9)]
    assert spans(SEQ, '("a" ("b" | "c"))+', strategy="longest") == [(0, 2), (3, 5), (6, 8)]
    north = build_index(["North Korea and the DPRK", "north korea"])
    q = '("north" "korea" | "dprk") %c' if False else '("north"%c "korea"%c | "dprk"%c)'
    assert spans(north, q) == [(0, 2), (4, 5), (5, 7)]
    assert spans(north, '("north" "korea" | "dprk")', case_sensitive=False) == [
        (0, 2),
        (4, 5),
        (5, 7),
    ]


@pytest.mark.parametrize(
    "strategy, expected",
    [
        # a a x b b: from 0 the shortest match is a a x b, from 1 a x b
        ("standard", [(0, 4)]),  # same end: the earlier start wins
        ("shortest", [(1, 4)]),  # a a x b contains a x b
        ("longest", [(0, 4), (1, 5)]),  # overlapping, not nested: both kept
    ],
)
def test_strategies_on_a_gap(strategy, expected):
    idx = build_index(["a a x b b"])
    assert spans(idx, '"a" []{0,2} "b"', strategy=strategy) == expected


@pytest.mark.parametrize(
    "text, cql, strategy, expected",
    [
        ("a a a", '"a"+', "standard", [(0, 1), (1, 2), (2, 3)]),
        ("a a a", '"a"+', "shortest", [(0, 1), (1, 2), (2, 3)]),
        ("a a a", '"a"+', "longest", [(0, 3)]),
        # x0 a1 x2 a3 b4 x5 b6
        ("x a x a b x b", '"a"? "b"', "standard", [(3, 5), (6, 7)]),  # optional start: in
        ("x a x a b x b", '"a"? "b"', "shortest", [(4, 5), (6, 7)]),
        ("x a x a b x b", '"a"? "b"', "longest", [(3, 5), (6, 7)]),
        ("x a x a b x b", '"a" []* "b"', "standard", [(1, 5)]),  # a x a b: earlier a
        ("x a x a b x b", '"a" []* "b"', "shortest", [(3, 5)]),  # a b
        ("x a x a b x b", '"a" []* "b"', "longest", [(1, 7)]),  # a x a b x b
        ("x a x a b x b", '[]{0,2} "b"', "standard", [(2, 5), (5, 7)]),
        ("x a x a b x b", '[]{0,2} "b"', "shortest", [(4, 5), (6, 7)]),
        ("x a x a b x b", '[]{0,2} "b"', "longest", [(2, 5), (4, 7)]),
    ],
)
def test_strategies_hand_computed(text, cql, strategy, expected):
    assert spans(build_index([text]), cql, strategy=strategy) == expected


def test_gap_before_a_token_that_never_occurs():
    idx = build_index(["c b"])
    assert spans(idx, '([]*) "a" | "b"') == [(1, 2)]
    assert spans(idx, '[]* "a"') == []
    assert spans(idx, '"c" []* "a"', strategy="longest") == []


def test_matches_never_cross_documents():
    idx = build_index(["x a", "b x", "a b"])  # 0-1 | 2-3 | 4-5
    assert spans(idx, '"a" "b"') == [(4, 6)]
    assert spans(idx, '"a" []* "b"', strategy="longest") == [(4, 6)]
    assert spans(idx, '"x" []*', strategy="longest") == [(0, 2), (3, 4)]
    assert spans(idx, "[] []") == [(0, 2), (2, 4), (4, 6)]


def test_views_search_their_documents_only():
    idx = build_index(["a b", "a b", "b a b"])  # 0-1 | 2-3 | 4-6
    view = IndexView(idx, np.array([2, 0]), ["c", "a"])
    assert spans(view, '"a" "b"') == [(0, 2), (5, 7)]
    assert spans(IndexView(idx, np.array([1]), ["b"]), '[]? "b"') == [(2, 4)]
    assert spans(IndexView(idx, np.array([], dtype=np.int64), []), '"a"') == []


def test_corpus_query_agrees_with_phrase_search(un):
    view = un.index()
    from toolkit.patterns import find

    starts, ends, _ = find(view, "nuclear weapons", case_sensitive=True)
    qs, qe = query(view, '"nuclear" "weapons"')
    assert qs.tolist() == starts.tolist() and qe.tolist() == ends.tolist()
    starts, _, _ = find(view, "nuclear")
    assert query(view, '"nuclear"%c')[0].tolist() == starts.tolist()
    # a gap: every match starts with nuclear, ends with weapons, within one document
    s, e = query(view, '"nuclear" []{0,3} "weapons"')
    idx = view.index
    assert len(s) > len(qs)
    assert (idx.vocab[idx.tokens[s]] == "nuclear").all()
    assert (idx.vocab[idx.tokens[e - 1]] == "weapons").all()
    assert (idx.doc_of(s) == idx.doc_of(e - 1)).all()
    assert ((e - s) <= 5).all()


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "cql, message",
    [
        ('[lemma="x"', "expected ']' at column 10; found the end of the query"),
        ('"a" [word="b" "c"', "expected ']' at column 14; found a string"),
        ('"a', 'unterminated string (opened with ") at column 0'),
        ('"a" "b" )', "unexpected ')' at column 8"),
        ('("a" "b"', "expected ')' at column 8"),
        ('"a"{3,1}', "invalid repetition range {3,1} at column 3; maximum < minimum"),
        ('"a"{x}', "expected a whole number at column 4"),
        ("[word=x]", "expected a quoted value after '=' at column 6"),
        ('[word "x"]', "expected '=' or '!=' after 'word' at column 6"),
        ('["x"]', "expected an attribute name before the string at column 1"),
        ("nuclear", "unquoted word 'nuclear' at column 0"),
        ('"x" %q', "unknown flag '%q' at column 4"),
        ('"x" %lc', "%l (literal) cannot be combined with %c or %d at column 4"),
        ('("a" | "b") %c', "flags must follow a string at column 12"),
        ('"a" within s', "'within' is not supported at column 4"),
        ('<s> "a"', "XML tags and structural attributes (<s>, </s>) are not supported at column 0"),
        ('a:[] "b"', "labels (name:[...]) are not supported at column 0"),
        ('"a" @"b"', "target and keyword markers (@) are not supported at column 4"),
        ('"a" "b" :: a', "global constraints (::) are not supported at column 8"),
        ("[word=$list]", "word lists ($list) are not supported at column 6"),
        ('(?traditional) "a"', "the 'traditional' matching strategy is not supported at column 0"),
        ('(?fastest) "a"', "unknown modifier '(?fastest)' at column 0"),
        ('[pos < "3"]', "comparisons other than = and != are not supported at column 5"),
        ("", "expected a token expression such as"),
        ('"a" ()', "empty group '()' at column 4"),
        ('"x(" ', "invalid regular expression 'x(' at column 0; missing )"),
        ('[word="a" & lemma="b"]', "unknown layer 'lemma' at column 12; this index has: 'word'"),
        ('"a"?', "the query matches the empty sequence"),
        ('"a"* "b"?', "the query matches the empty sequence"),
    ],
)
def test_errors_name_the_column(cql, message):
    with pytest.raises(PatternError) as info:
        query(SEQ, cql)
    assert message in str(info.value)
    assert str(info.value).startswith(f"pattern {cql!r}: ")
    if " at column " in message:
        col = int(re.search(r"at column (\d+)", message).group(1))
        assert info.value.column == col


def test_invalid_strategy_and_argument():
    with pytest.raises(ParameterError, match="strategy='traditional' is not valid"):
        query(SEQ, '"a"', strategy="traditional")
    with pytest.raises(ParameterError):
        query("not an index", '"a"')


def test_regex_timeout_is_a_pattern_error():
    with tk.set_options(pattern_timeout=1e-9):
        with pytest.raises(PatternError, match=r"took longer than 1e-09 s.*pattern_timeout"):
            query(IDX, '"s.*y"')
        assert spans(IDX, '"of"') == [(6, 7)]  # a plain word is looked up, not matched


def test_automaton_size_is_limited():
    with pytest.raises(PatternError, match="too large"):
        query(SEQ, "([] [] [] [] [] [] [] []){3000}")


# --------------------------------------------------------------------------- syntax tree
def test_parse_tree():
    q = parse('(?longest) [pos="DT"]? ("a" %c | [!word!="b" & lemma="c"]){1,}; # note')
    assert q.strategy == "longest"
    assert isinstance(q.body, Seq)
    opt, rep = q.body.items
    assert isinstance(opt, Repeat) and (opt.lo, opt.hi) == (0, 1)
    assert isinstance(rep, Repeat) and (rep.lo, rep.hi) == (1, None)
    alt = rep.item
    assert isinstance(alt, Alt) and len(alt.options) == 2
    assert alt.options[0].expr == Rel("word", False, "a", "c", 24, 24)
    both = alt.options[1].expr
    assert isinstance(both, BoolOp) and both.op == "&"
    assert isinstance(both.args[0], Not) and both.args[0].arg.negated
    assert isinstance(parse("[]").body, Token) and isinstance(parse("[ ]").body.expr, AnyToken)
    # strings: single quotes, doubled quotes, kept backslashes
    assert parse("'it''s'").body.expr.value == "it's"
    assert parse('"say ""hi"""').body.expr.value == 'say "hi"'
    assert parse(r'"a\"b"').body.expr.value == r"a\"b"


# --------------------------------------------------------------------------- attribute()
def test_attribute_accessor():
    idx = build_index(["The war and the peace"])
    ids, vocab = attribute(idx, "word")
    assert vocab[ids].tolist() == ["The", "war", "and", "the", "peace"]
    ids, lower = attribute(idx, "word", lower=True)
    assert ids is None and lower[idx.lower[idx.tokens]].tolist()[0] == "the"
    view = IndexView(idx, np.array([0]), ["a"])
    assert attribute(view, "word")[1] is idx.vocab
    with pytest.raises(PatternError, match="no layer 'pos'; available layers: 'word'"):
        attribute(idx, "pos")
    ids, vocab = attribute(BOOK, "pos")
    assert vocab[ids].tolist()[:3] == ["DT", "JJ", "NN"]
    with pytest.raises(PatternError, match="available layers: 'word', 'pos', 'lemma'"):
        attribute(BOOK, "tag")


def test_attribute_rejects_malformed_layers():
    bad = tagged(["a b"], pos=["X", "Y"])
    bad.layer = lambda name: (np.array([0]), np.array(["X"], dtype=object))
    with pytest.raises(
        ParameterError, match="'pos': ids must be integers, one per corpus position"
    ):
        attribute(bad, "pos")
    bad.layer = lambda name: (np.array([0, 5]), np.array(["X"], dtype=object))
    with pytest.raises(ParameterError, match="'pos': ids outside its vocabulary of 1") as err:
        attribute(bad, "pos")
    assert (err.value.parameter, err.value.value) == ("index", "pos")


# --------------------------------------------------------------------------- helpers
def test_is_cqp():
    for p in ['"nuclear"', '[lemma="go"]', '("a" | "b")', "(?longest) []", ' "a"', '(( "a"))']:
        assert is_cqp(p), p
    for p in ["nuclear", "nuclear weapons", "(nuclear|atomic)", "'s", "secur*", "", "(?i)war"]:
        assert not is_cqp(p), p


@pytest.mark.parametrize(
    "pattern",
    [r"nuclear\s+weapons", "nuclear weapons", "north\nkorea", r"a\sb", r"(a|b)\s+c", r"a[ \t]b"],
)
def test_regex_across_tokens_is_refused(pattern):
    with pytest.raises(PatternError, match="tokens never contain white space"):
        check_regex_token_pattern(pattern)


def test_regex_across_tokens_suggests_cqp():
    with pytest.raises(PatternError) as info:
        check_regex_token_pattern(r"nuclear\s+weapons")
    assert """the CQP query '"nuclear" "weapons"'""" in str(info.value)
    assert "the phrase 'nuclear weapons'" in str(info.value)


@pytest.mark.parametrize(
    "pattern",
    [
        r"nuclear(\s+weapons)?",
        r"nuclear\s*",
        r"\S+",
        r"a|b\sc",
        "nuc.*",
        r"[^\s]+",
        r"\p{L}+",
        "war",
    ],
)
def test_regex_within_tokens_passes(pattern):
    check_regex_token_pattern(pattern)


# --------------------------------------------------------------------------- property test
def _holds(expr, token):
    """Brute-force truth of a token expression (word layer only)."""
    if isinstance(expr, AnyToken):
        return True
    if isinstance(expr, Not):
        return not _holds(expr.arg, token)
    if isinstance(expr, BoolOp):
        values = [_holds(a, token) for a in expr.args]
        return all(values) if expr.op == "&" else any(values)
    if "l" in expr.flags:
        ok = token == expr.value
    else:
        flags = re.IGNORECASE if "c" in expr.flags else 0
        ok = re.fullmatch(expr.value, token, flags) is not None
    return ok != expr.negated


def _ends(node, toks, i):
    """All end positions (exclusive) of matches of node starting at i in one document."""
    if isinstance(node, Token):
        return {i + 1} if i < len(toks) and _holds(node.expr, toks[i]) else set()
    if isinstance(node, Seq):
        cur = {i}
        for item in node.items:
            cur = {e for j in cur for e in _ends(item, toks, j)}
        return cur
    if isinstance(node, Alt):
        return {e for opt in node.options for e in _ends(opt, toks, i)}
    out, cur, count = set(), {i}, 0
    while cur:
        if count >= node.lo:
            out |= cur
        if node.hi is not None and count == node.hi:
            break
        cur = {e for j in cur for e in _ends(node.item, toks, j)}
        count += 1
        if count > len(toks) + 1:
            break
    return out


def brute_force(docs, cql, strategy):
    body = parse(cql).body
    found, offset = [], 0
    for toks in docs:
        for s in range(len(toks)):
            ends = {e for e in _ends(body, toks, s) if e > s}
            if ends:
                e = min(ends) if strategy != "longest" else max(ends)
                found.append((offset + s, offset + e))
        offset += len(toks)
    if strategy == "standard":
        first = {}
        for s, e in found:
            first.setdefault(e, (s, e))
        return sorted(first.values())
    if strategy == "shortest":
        return [
            m for m in found if not any(o != m and o[0] >= m[0] and o[1] <= m[1] for o in found)
        ]
    return [m for m in found if not any(o != m and o[0] <= m[0] and o[1] >= m[1] for o in found)]


TOKENS = ['"a"', '"b"', '"c"', "[]", '[word!="a"]', '"a|b"', '"A"%c', '[word="a" | word="c"]']
QUANTS = ["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "{,2}", "{1,3}"]


@st.composite
def queries(draw, depth=0):
    def factor():
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            atom = "(" + draw(queries(depth=depth + 1)) + ")"
        else:
            atom = draw(st.sampled_from(TOKENS))
        return atom + draw(st.sampled_from(QUANTS))

    def sequence():
        return " ".join(factor() for _ in range(draw(st.integers(1, 3))))

    return " | ".join(sequence() for _ in range(draw(st.integers(1, 2))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(
        st.lists(st.sampled_from(["a", "b", "c", "A"]), min_size=1, max_size=8),
        min_size=1,
        max_size=3,
    ),
    cql=queries(),
    strategy=st.sampled_from(["standard", "shortest", "longest"]),
)
def test_automaton_agrees_with_brute_force(docs, cql, strategy):
    idx = build_index([" ".join(d) for d in docs])
    try:
        got = spans(idx, cql, strategy=strategy)
    except PatternError as err:
        assert "empty sequence" in str(err)
        assume(False)
    assert got == brute_force(docs, cql, strategy)


@pytest.mark.parametrize(
    "pattern",
    [
        "a.*",
        "[^x]*",
        "(a|b)+c?",
        r"\w+",
        ".*",
        r"a\sb",
        "(?i)A.*",
        "é+",
        "(?<=a)b",
        "a*",
        "(?:ab)+",
    ],
)
@pytest.mark.parametrize("flags", [0, 2])  # 2: regex.IGNORECASE
def test_vocabulary_scan_agrees_with_one_match_per_type(pattern, flags):
    """The joined-vocabulary search equals a fullmatch per type, newlines included."""
    import random

    import regex

    from toolkit.query import _fullmatch_all

    rng = random.Random(pattern)
    strings = ["".join(rng.choice("abcxyzé") for _ in range(rng.randint(1, 5))) for _ in range(300)]
    strings += ["", "a b", "ab"]
    got = _fullmatch_all(pattern, flags, strings, "q", pattern, 0)
    expected = [regex.fullmatch(pattern, s, flags) is not None for s in strings]
    assert got.tolist() == expected


def test_backslash_k_is_matched_word_by_word():
    # \K resets the match start: in one search over the joined vocabulary "a b" would
    # wrongly give the type "b"; each value must be matched on its own.
    idx = build_index(["a b c"])
    starts, _ = query(idx, r'[word="a[^x]\Kb"]')
    assert starts.tolist() == []
