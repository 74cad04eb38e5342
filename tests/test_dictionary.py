"""Dictionary counts: quanteda's nested-match rule, weights, groups."""

import numpy as np
import pandas as pd
import pytest

import toolkit as tk


def make(texts, **meta):
    return tk.from_dataframe(pd.DataFrame({"text": texts, **meta}))


def _count(corpus, dictionary, **kw):
    return tk.dictionary_counts(corpus, dictionary, **kw).set_index(["doc_id", "category"])


@pytest.mark.parametrize(
    "entries",
    [["B C", "A B C"], ["A B", "A B C"], ["A B C", "B"], ["B", "A B C", "A B", "B C"]],
)
def test_longest_match_wins_within_a_category(entries):
    # quanteda: tokens_lookup(tokens("A B C"), dictionary(list(key = entries))) gives 1
    # for each of these (nested_scope = "key": the longer match wins).
    got = _count(make(["A B C"]), {"key": entries})
    assert got.loc[("0", "key"), "count"] == 1


def test_overlapping_but_not_nested_matches_both_count():
    # "A B" and "B C" overlap on B but neither contains the other: two matches.
    got = _count(make(["A B C"]), {"key": ["A B", "B C"]})
    assert got.loc[("0", "key"), "count"] == 2


def test_nesting_is_scoped_to_the_category():
    got = _count(make(["A B C"]), {"long": ["A B C"], "short": ["B"]})
    assert got.loc[("0", "long"), "count"] == 1
    assert got.loc[("0", "short"), "count"] == 1


def test_repeated_matches_each_count():
    got = _count(make(["A B C and A B C, then B C."]), {"key": ["B C", "A B C"]})
    # two "A B C" (their "B C" nested) and one free-standing "B C"
    assert got.loc[("0", "key"), "count"] == 3


def test_weighted_entries_score_by_first_listed_matching_entry():
    c = make(["fear and hope, fearful hope", "calm"], year=[2000, 2001])
    d = {"affect": {"fear*": 1.0, "fear": 0.25, "hope": 0.5}}
    got = _count(c, d)
    # fear (fear*: 1.0) + hope (0.5) + fearful (1.0) + hope (0.5); "fear" is listed after
    # "fear*", which matches the same token first
    assert got.loc[("0", "affect"), "count"] == 4
    assert got.loc[("0", "affect"), "score"] == pytest.approx(3.0)
    assert got.loc[("1", "affect"), "score"] == 0
    by = tk.dictionary_counts(c, d, by="year").set_index(["year", "category"])
    assert by.loc[(2000, "affect"), "score"] == pytest.approx(3.0)
    assert by.loc[(2000, "affect"), "count"] == 4


def test_unweighted_score_equals_count_and_rates():
    c = make(["A threat, a dangerous threat.", "Peace and security."])
    got = _count(c, {"threat": ["threat*", "danger*"]})
    assert got.loc[("0", "threat"), "score"] == 3
    assert got.loc[("0", "threat"), "per_thousand"] == pytest.approx(3 / 5 * 1000)
    assert np.isnan(_count(make([".", "x"]), {"k": ["x"]}).loc[("0", "k"), "per_thousand"])


@pytest.mark.parametrize("bad", [{}, {"k": []}, {"k": "threat"}, {"k": {"a": "heavy"}}])
def test_bad_dictionaries_name_the_problem(bad):
    with pytest.raises(tk.ParameterError, match="dictionary"):
        tk.dictionary_counts(make(["x"]), bad)


def test_stemmed_dictionary_counts_stems_not_prefixes():
    # Gennaro & Ash-style stemmed entries: "mad*" must not count "made", "sin*" not "since"
    c = make(["He made them mad; madness and threats since sin."])
    d = {"affect": ["mad*", "sin*", "threat"]}
    stemmed = _count(c, d, match="stem")
    # by hand with NLTK's Snowball stemmer: mad, madness → mad; sin → sin; threats → threat
    assert stemmed.loc[("0", "affect"), "count"] == 4
    glob = _count(c, d)
    assert glob.loc[("0", "affect"), "count"] == 5  # made, mad, madness, since, sin
    with pytest.raises(tk.ParameterError, match="final"):
        tk.dictionary_counts(c, {"k": ["*ness"]}, match="stem")


def test_dictionary_on_the_lemma_layer():
    c = make(["The threats grew; a threat remained."]).annotate("lemma", processes=1)
    got = _count(c, {"threat": ["threat"]}, layer="lemma")
    assert got.loc[("0", "threat"), "count"] == 2
    assert _count(c, {"threat": ["threat"]}).loc[("0", "threat"), "count"] == 1


def test_dictionary_counts_rates_and_groups(make):
    c = make(["A threat, a dangerous threat.", "Peace and security."], year=[1990, 1991])
    d = {"threat": ["threat*", "danger*"], "security": ["secur*", "peace"]}
    per_doc = tk.dictionary_counts(c, d)
    got = per_doc.set_index(["doc_id", "category"])
    assert got.loc[("0", "threat"), "count"] == 3
    assert got.loc[("0", "threat"), "per_thousand"] == pytest.approx(3 / 5 * 1000)
    assert got.loc[("1", "security"), "count"] == 2
    # overlapping entries count a token once per category
    once = tk.dictionary_counts(c, {"t": ["threat", "threat*"]})
    assert once.set_index("doc_id").loc["0", "count"] == 2
    by = tk.dictionary_counts(c, d, by="year").set_index(["year", "category"])
    assert by.loc[(1991, "security"), "words"] == 3


def test_vader_dictionary_evaluative_language(commentary):
    d = tk.vader_dictionary()
    counts = tk.dictionary_counts(commentary, d, by="section")
    assert set(counts["category"]) == {"positive", "negative"}
    assert (counts["words"] > 0).all()


@pytest.mark.parametrize("match", ["glob", "fixed", "regex", "stem"])
@pytest.mark.parametrize("language", ["klingon", "xx", 3])
def test_an_unknown_language_is_refused_with_every_match_before_counting(match, language):
    c = make(["A threat."])

    def no_reading(*args, **kwargs):
        raise AssertionError("the corpus was read before the arguments were checked")

    c.index = no_reading
    with pytest.raises(tk.ParameterError) as err:
        tk.dictionary_counts(c, {"k": ["threat"]}, match=match, language=language)
    assert err.value.parameter == "language"
    assert repr(language) in str(err.value)
    # the choices are Snowball's languages, listed by their codes
    assert {"en", "de", "fr", "ru"} <= set(err.value.valid)
    assert "klingon" not in err.value.valid


@pytest.mark.parametrize("language", ["en", "English", "GERMAN"])
def test_a_language_is_a_code_or_an_english_name(language):
    got = _count(make(["A threat, a threat."]), {"k": ["threat"]}, language=language)
    assert got.loc[("0", "k"), "count"] == 2
