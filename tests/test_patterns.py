"""Pattern syntax and its errors: globs as fnmatch defines them, regular expressions searched
within tokens, case-insensitive matching on the search form of the pattern."""

import fnmatch
import unicodedata

import numpy as np
import pytest
import regex
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.index import build_index
from toolkit.patterns import check_patterns, glob_to_regex, match_types


def types(idx, pattern, **kw):
    return idx.vocab[match_types(idx, pattern, **kw)].tolist()


@settings(max_examples=300, deadline=None)
@given(
    glob=st.text(alphabet="ab*?", min_size=1, max_size=8),
    token=st.text(alphabet="ab", min_size=1, max_size=10),
)
def test_glob_translation_agrees_with_fnmatch(glob, token):
    rx = regex.compile(glob_to_regex(glob), regex.MULTILINE)
    assert bool(rx.search(token)) == fnmatch.fnmatchcase(token, glob)


@settings(max_examples=50, deadline=None)
@given(
    glob=st.text(alphabet="ab*?", min_size=1, max_size=6).filter(lambda g: set(g) & set("*?")),
    vocab=st.lists(st.text(alphabet="abAB", min_size=1, max_size=6), min_size=1, max_size=20),
)
def test_glob_over_the_vocabulary_agrees_with_fnmatch(glob, vocab):
    idx = build_index([" ".join(vocab)])
    want = [t for t in idx.vocab.tolist() if fnmatch.fnmatchcase(t, glob)]
    assert types(idx, glob, case_sensitive=True) == want
    want_ci = [t for t in idx.vocab.tolist() if fnmatch.fnmatchcase(t.lower(), glob)]
    assert sorted(types(idx, glob)) == sorted(want_ci)


_ATOMS = ["a", "b", "-", ".", "[^a]", r"\s", r"\W", r"\w", r"\b", r"\B", "^", "$", r"\d"]
_ATOMS += ["(?<=a)", "(?<!-)", "(?=b)", "(?i:A)", r"\A", r"\Z", "(a|-)", r"\n"]
_REGEX = st.lists(
    st.tuples(st.sampled_from(_ATOMS), st.sampled_from(["", "*", "+", "?", "{0,2}", "*?"])),
    min_size=1,
    max_size=4,
).map(lambda parts: "".join(a + q for a, q in parts))


def _valid(pattern):
    try:
        regex.compile(pattern)
    except regex.error:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.one_of(_REGEX, st.tuples(_REGEX, _REGEX).map("|".join)),
    words=st.lists(st.text(alphabet="abAB-", min_size=1, max_size=5), min_size=1, max_size=12),
)
def test_regex_over_the_vocabulary_agrees_with_each_type_alone(pattern, words):
    """The fast search over the joined vocabulary gives what a search in each type gives."""
    assume(_valid(pattern))
    idx = build_index([" ".join(words)])
    vocab = idx.vocab.tolist()
    want = [t for t in vocab if regex.search(pattern, t)]
    assert types(idx, pattern, match="regex", case_sensitive=True) == want
    want_ci = {t for t in vocab if regex.search(pattern, t.lower(), regex.IGNORECASE)}
    assert set(types(idx, pattern, match="regex")) == want_ci


def test_regex_matches_across_types_are_not_taken():
    idx = build_index(["ab cd b"])
    assert types(idx, "b[^x]", match="regex") == []
    assert types(idx, r"b\s*", match="regex") == ["ab", "b"]
    assert types(idx, r"b\W*c", match="regex") == []
    assert types(idx, r"(?<=\W)c", match="regex") == []
    assert types(idx, r"\bc", match="regex") == ["cd"]
    assert types(idx, "$", match="regex") == ["ab", "cd", "b"]


def test_glob_characters_other_than_wildcards_are_literal():
    idx = build_index(["U.S. USA 1.5 1x5 ( [ + ^ $ |"])
    assert types(idx, "u.*") == ["U.S."]
    assert types(idx, "1?5") == ["1.5", "1x5"]
    assert types(idx, "1.*") == ["1.5"]
    for symbol in "([+^$|":
        assert types(idx, symbol + "*") == [symbol]
        assert types(idx, "*" + symbol) == [symbol]


def test_runs_of_stars_are_one_star():
    assert glob_to_regex("a***b") == glob_to_regex("a*b")
    idx = build_index(["ab acb abc"])
    assert types(idx, "a**b") == types(idx, "a*b") == ["ab", "acb"]


def test_case_insensitive_patterns_use_the_search_form():
    nfc = unicodedata.normalize("NFC", "état Étatisme")
    idx = build_index([nfc])
    decomposed_upper = unicodedata.normalize("NFD", "ÉTAT")
    assert types(idx, decomposed_upper) == ["état"]  # fixed
    assert types(idx, decomposed_upper, match="fixed") == ["état"]
    assert types(idx, decomposed_upper + "*") == ["état", "Étatisme"]  # glob
    assert types(idx, "^" + unicodedata.normalize("NFD", "é"), match="regex") == [
        "état",
        "Étatisme",
    ]
    assert types(idx, decomposed_upper, case_sensitive=True) == []


def test_regex_is_searched_within_tokens_and_keeps_re_syntax():
    idx = build_index(["Nuclear non-nuclear nuclear-free unclear 1990 x_y"])
    assert types(idx, "clear", match="regex") == [
        "Nuclear",
        "non-nuclear",
        "nuclear-free",
        "unclear",
    ]
    assert types(idx, r"^\d{4}$", match="regex") == ["1990"]
    assert types(idx, r"(?<!-)nuclear$", match="regex") == ["Nuclear"]
    assert types(idx, r"(?P<x>n)(?P=x)", match="regex") == []
    assert types(idx, r"\w_\w", match="regex") == ["x_y"]
    assert types(idx, "^N", match="regex", case_sensitive=True) == ["Nuclear"]


def test_invalid_regex_is_a_pattern_error_naming_it(make):
    c = make(["a b c"])
    for bad in ["(unclosed", "[a-", "a{2,1}", "*a"]:
        with pytest.raises(tk.PatternError, match="invalid regular expression") as info:
            tk.kwic(c, bad, match="regex")
        assert info.value.pattern == bad and repr(bad) in str(info.value)
        assert isinstance(info.value, ValueError)


def test_a_phrase_names_the_failing_part(make):
    with pytest.raises(tk.PatternError) as info:
        tk.kwic(make(["north korea"]), "north (korea", match="regex")
    assert info.value.pattern == "north (korea" and "'(korea'" in str(info.value)


def test_bad_match_mode_and_patterns(make):
    c = make(["a b c"])
    with pytest.raises(tk.ParameterError, match="'glob', 'regex', 'fixed'") as info:
        tk.kwic(c, "a", match="wildcard")
    assert info.value.parameter == "match"
    with pytest.raises(tk.PatternError, match="non-empty"):
        tk.kwic(c, "  ")
    with pytest.raises(tk.ParameterError, match="no pattern"):
        tk.kwic(c, [])
    with pytest.raises(tk.ParameterError, match="string"):
        tk.kwic(c, ["a", 3])
    with pytest.raises(tk.ParameterError, match="string"):
        tk.kwic(c, 3)


def test_patterns_are_checked_before_the_index_is_built(make, monkeypatch):
    c = make(["a b c"])

    def no_index(*args, **kwargs):
        raise AssertionError("the index was built for an invalid pattern")

    monkeypatch.setattr(type(c), "index", no_index)
    with pytest.raises(tk.PatternError):
        tk.kwic(c, "(", match="regex")
    with pytest.raises(tk.PatternError):
        tk.collocates(c, "(", match="regex")
    assert check_patterns(["a", "b c"]) == ["a", "b c"]


def test_match_types_returns_sorted_surface_ids():
    idx = build_index(["b B a A b"])
    ids = match_types(idx, "?")
    assert ids.tolist() == sorted(ids.tolist()) and len(ids) == 4
    assert np.array_equal(match_types(idx, "*", case_sensitive=True), np.arange(len(idx.vocab)))


def test_cqp_queries_through_kwic_agree_with_phrases_and_regex_counts(un):
    phrase = tk.kwic(un, "nuclear weapons")
    cqp = tk.kwic(un, '"nuclear" "weapons"', match="cqp")
    assert len(cqp) == len(phrase) > 0
    gap = tk.kwic(un, '"nuclear" []{0,2} "weapons"', match="cqp")
    # independent count: the same sequences in the token lists of the tokeniser
    hand = 0
    for text in un.texts():
        toks = [t.lower() for t in tk.tokenize(text)]
        for i, t in enumerate(toks):
            if t == "nuclear":
                hand += any(i + d < len(toks) and toks[i + d] == "weapons" for d in (1, 2, 3))
    # CQP's standard strategy: the shortest match from each start (and of matches that
    # end at the same token, the earliest start; the corpus has no "nuclear nuclear")
    assert len(gap) == hand
    assert (gap.to_frame()["keyword"].str.lower().str.match(r"^nuclear\b.*\bweapons$")).all()


def test_regex_that_needs_white_space_is_a_clear_error(un):
    with pytest.raises(tk.PatternError, match="match=.cqp."):
        tk.kwic(un, r"nuclear\s+weapons", match="regex")


def test_cqp_query_given_as_glob_is_refused_with_a_hint(un):
    with pytest.raises(tk.PatternError, match="match='cqp'"):
        tk.kwic(un, '[word="nuclear"]')


def test_cqp_is_not_a_type_pattern(un):
    from toolkit.patterns import match_types

    with pytest.raises(tk.ParameterError) as err:
        match_types(un.index().index, '"a"', match="cqp")
    assert err.value.parameter == "match"
