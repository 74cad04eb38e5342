"""Stopword lists: bundled, and named the same way by every function that takes them."""

import pytest

import toolkit as tk


def test_the_project_list_holds_function_words_not_topic_words():
    words = tk.stopwords("english")
    assert {"the", "of", "and", "would", "'s", "n't"} <= words
    assert not {"world", "people", "new", "peace"} & words


def test_gensims_list_is_gensims():
    from gensim.parsing.preprocessing import STOPWORDS

    assert tk.stopwords("gensim") == frozenset(STOPWORDS)


def test_languages_listed_are_accepted():
    for name in tk.stopword_languages()[:5]:
        assert tk.stopwords(name)


@pytest.mark.parametrize(
    "call",
    [
        lambda c, s: tk.frequencies(c, stopwords=s),
        lambda c, s: tk.keyness(c, by="country", target="USA", stopwords=s),
        lambda c, s: tk.collocates(c, "nuclear", stopwords=s),
        lambda c, s: tk.collocations(c, stopwords=s),
        lambda c, s: tk.trigram_collocations(c, stopwords=s),
        lambda c, s: tk.ngrams(c, n=2, stopwords=s),
    ],
)
def test_every_function_takes_a_lists_name_as_the_list(un, call):
    corpus = un.query("year >= 2015")
    by_name = call(corpus, "english")
    assert by_name.equals(call(corpus, sorted(tk.stopwords("english"))))
    assert by_name.equals(call(corpus, "en"))
    column = next(c for c in ("term", "ngram", "collocation") if c in by_name.columns)
    first_words = {str(t).split()[0] for t in by_name[column].head(50)}
    assert "the" not in first_words


def test_an_unknown_lists_name_is_refused_with_the_choices(un):
    with pytest.raises(tk.ParameterError, match="stopwords='klingon'") as err:
        tk.frequencies(un, stopwords="klingon")
    assert err.value.parameter == "stopwords"
    assert "bundled list" in str(err.value)


def test_token_streams_take_a_lists_name_as_the_list(un):
    corpus = un.query("year >= 2015")
    by_name = list(tk.tokens(corpus, stopwords="en"))
    assert by_name == list(tk.tokens(corpus, stopwords=sorted(tk.stopwords("english"))))
    assert "the" not in {w for doc in by_name for w in doc}
    with pytest.raises(tk.ParameterError, match="stopwords='klingon'") as err:
        tk.tokens(corpus, stopwords="klingon")
    assert err.value.parameter == "stopwords"
