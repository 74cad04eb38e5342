"""Languages: every ``language=`` takes an ISO 639-1 code or the English name, meaning the same."""

import pandas as pd
import pytest
from nltk.stem import SnowballStemmer
from stop_words import get_stop_words

import toolkit as tk
from toolkit.annotators import Lemmatizer, Stemmer, get_annotator
from toolkit.languages import language_code, language_name


@pytest.mark.parametrize(
    ("given", "code", "name"),
    [
        ("en", "en", "english"),
        ("english", "en", "english"),
        ("English", "en", "english"),
        (" FR ", "fr", "french"),
        ("german", "de", "german"),
        ("no", "nb", "norwegian"),
        ("norwegian", "nb", "norwegian"),
    ],
)
def test_a_code_and_a_name_are_one_language(given, code, name):
    assert language_code(given) == code
    assert language_name(given) == name


def test_unknown_spellings_pass_through_for_the_backend_to_judge():
    assert language_code("english-long") == "english-long"
    assert language_name("gensim") == "gensim"


def test_stopwords_by_code_are_the_list_by_name():
    # before: "en" went to the stop-words package's long list (1,333 words, with
    # content words such as "world") while "english" was the project's own list
    assert tk.stopwords("en") == tk.stopwords("english") == tk.stopwords("English")
    assert "world" not in tk.stopwords("en")
    assert "world" in tk.stopwords("english-long")
    assert tk.stopwords("fr") == tk.stopwords("french") == frozenset(get_stop_words("french"))


def test_an_unknown_stopword_language_names_the_parameter_and_the_choices():
    with pytest.raises(tk.ParameterError, match="language='klingon'") as err:
        tk.stopwords("klingon")
    assert "english" in err.value.valid and "gensim" in err.value.valid
    with pytest.raises(tk.ParameterError, match="language=3"):
        tk.stopwords(3)


def test_topic_settings_read_a_code_as_the_name():
    corpus = tk.load_sample().query("year >= 1989")
    by_name = tk.prepare_topics(corpus, stopwords="english", min_residual_idf=None)
    by_code = tk.prepare_topics(corpus, stopwords="en", min_residual_idf=None)
    assert dict(by_name.dictionary.token2id) == dict(by_code.dictionary.token2id)


def test_stemmer_and_lemmatiser_take_either_spelling():
    words = ["delegations", "generously", "nations"]
    snowball = SnowballStemmer("english")
    expected = [snowball.stem(w) for w in words]
    assert Stemmer("en").stem(words) == Stemmer("english").stem(words) == expected
    assert Stemmer("nb").language == Stemmer("no").language == "norwegian"
    assert Lemmatizer("french").lemmatize(["nations", "unies"]) == ["nation", "unir"]
    assert Lemmatizer("french").language == "fr"
    assert get_annotator(language="English").language == "en"
    with pytest.raises(tk.ParameterError, match="language='klingon'"):
        Lemmatizer("klingon")
    with pytest.raises(tk.ParameterError, match="language='klingon'"):
        get_annotator(language="klingon")


def test_annotate_and_dictionary_counts_take_the_name():
    frame = pd.DataFrame({"text": ["The delegations voted for peace.", "Peaceful nations."]})
    by_code = tk.annotate(tk.from_dataframe(frame), language="en", processes=1, progress=False)
    by_name = tk.annotate(tk.from_dataframe(frame), language="english", processes=1, progress=False)
    cols = ["word", "pos", "lemma", "stem"]
    assert (
        tk.tokens(by_code, layer="lemma").to_frame()[cols].values.tolist()
        == tk.tokens(by_name, layer="lemma").to_frame()[cols].values.tolist()
    )
    entries = {"peace": ["peaceful"]}
    a = tk.dictionary_counts(by_code, entries, match="stem", language="en")
    b = tk.dictionary_counts(by_name, entries, match="stem", language="english")
    pd.testing.assert_frame_equal(a, b)
    # "peace" and "peaceful" share the Snowball stem "peac": both documents count
    assert a["count"].tolist() == [1, 1]
