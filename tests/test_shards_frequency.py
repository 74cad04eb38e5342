"""Frequencies, n-grams, dispersion, document statistics and dictionary counts of a
sharded corpus are the tables of the same documents in one index."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import toolkit as tk
from toolkit.errors import ParameterError, PatternError


@pytest.fixture(scope="module")
def corpus():
    return tk.load_sample()


@pytest.fixture(scope="module")
def store(corpus, tmp_path_factory):
    s = tk.build_shards(corpus, tmp_path_factory.mktemp("s"), shard_mb=2.3, progress=False)
    assert s.n_shards == 4
    return s


@pytest.fixture(scope="module")
def decades(corpus, tmp_path_factory):
    c = corpus.assign(decade=lambda m: m["year"] // 10 * 10)
    s = tk.build_shards(c, tmp_path_factory.mktemp("d"), by="decade", progress=False)
    assert s.n_shards == s.meta["decade"].nunique() > 4
    return s


@pytest.fixture(scope="module")
def whole(store):
    return store.to_corpus()


@pytest.fixture(scope="module")
def whole_decades(decades):
    return decades.to_corpus()


@pytest.fixture(scope="module")
def recent(store):
    sel = store.query("year >= 1990")
    assert 1 < sel.n_shards and len(sel) < len(store)
    return sel


@pytest.fixture(scope="module")
def whole_recent(recent):
    return recent.to_corpus()


def test_the_stores_hold_the_sample(store, decades, whole, whole_decades, corpus):
    assert whole.fingerprint == corpus.fingerprint
    # split by decade, the documents come in another order
    assert sorted(whole_decades.doc_ids) == sorted(corpus.doc_ids)
    assert whole_decades.doc_ids != corpus.doc_ids


FREQUENCY_CASES = [
    {"by": ["country", "year"], "min_count": 3},
    {"case_sensitive": True, "punct": True, "stopwords": ["the", "of", "And"], "min_count": 5},
]


@pytest.mark.parametrize("kwargs", FREQUENCY_CASES)
def test_frequencies(store, whole, kwargs):
    expected = tk.frequencies(whole, **kwargs)
    assert_frame_equal(tk.frequencies(store, **kwargs), expected, check_exact=True)


def test_frequencies_of_a_store_split_by_key_and_of_a_selection(
    decades, whole_decades, recent, whole_recent
):
    kwargs = {"by": "decade", "min_count": 2}
    expected = tk.frequencies(whole_decades, **kwargs)
    assert_frame_equal(tk.frequencies(decades, **kwargs), expected, check_exact=True)
    assert_frame_equal(tk.frequencies(recent), tk.frequencies(whole_recent), check_exact=True)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    texts = ["Peace and war.", "War, war and peace!", "Peace.", "No war"]
    c = tk.from_dataframe(pd.DataFrame({"text": texts, "side": ["a", "b", "a", "b"]}))
    s = tk.build_shards(c, tmp_path_factory.mktemp("t"), shard_mb=1e-6, progress=False)
    assert s.n_shards == 4  # one document per shard
    return s


def test_frequencies_add_up_the_shards(tiny):
    # counted by hand: peace 3 (documents 0, 1, 2), war 4 (0, 1, 3), and 2, no 1;
    # 10 word tokens; side a has 4 (peace 2, and 1, war 1), side b 6
    f = tk.frequencies(tiny)
    assert f[["term", "count", "rank", "docs"]].values.tolist() == [
        ["war", 4, 1, 3],
        ["peace", 3, 2, 3],
        ["and", 2, 3, 2],
        ["no", 1, 4, 1],
    ]
    assert f["per_million"].tolist() == [4e5, 3e5, 2e5, 1e5]
    g = tk.frequencies(tiny, by="side", min_count=2)
    assert g[["side", "term", "count", "docs"]].values.tolist() == [
        ["a", "peace", 2, 2],
        ["b", "war", 3, 2],
    ]
    assert g["per_million"].tolist() == [2 / 4 * 1e6, 3 / 6 * 1e6]


def _error(function, *args, error=ParameterError, **kwargs):
    with pytest.raises(error) as info:
        function(*args, **kwargs)
    return info.value


def _no_shard_opened(*args, **kwargs):
    raise AssertionError("a shard was opened for a call that fails on its arguments")


def _same_error(monkeypatch, function, store, *args, error=ParameterError, **kwargs):
    """The error of the call on the store is the error on one index, raised before any
    shard is opened."""
    expected = _error(function, store.to_corpus(), *args, error=error, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(tk.ShardedCorpus, "map", _no_shard_opened)
        got = _error(function, store, *args, error=error, **kwargs)
    assert type(got) is type(expected) and str(got) == str(expected)


@pytest.mark.parametrize(
    "kwargs", [{"by": "nope"}, {"min_count": 0}, {"case_sensitive": "yes"}, {"stopwords": "the"}]
)
def test_frequencies_refuse_bad_arguments_as_on_one_index(tiny, kwargs, monkeypatch):
    _same_error(monkeypatch, tk.frequencies, tiny, **kwargs)


NGRAM_CASES = [
    {
        "n": 3,
        "by": "country",
        "min_count": 3,
        "stopwords": ["the", "of"],
        "stopword_filter": "any",
        "case_sensitive": True,
    },
    {"pattern": "secur*", "position": "left", "punct": True, "min_count": 1},
    {"n": 4, "pattern": ["nuclear", "weapon*"], "position": "right", "min_count": 1},
]


@pytest.mark.parametrize("kwargs", NGRAM_CASES)
def test_ngrams(store, whole, kwargs):
    expected = tk.ngrams(whole, **kwargs)
    assert len(expected) > 10
    assert_frame_equal(tk.ngrams(store, **kwargs), expected, check_exact=True)


def test_ngrams_of_a_store_split_by_key_and_of_a_selection(
    decades, whole_decades, recent, whole_recent
):
    kwargs = {"n": 2, "by": "decade", "pattern": "peace*", "position": "any"}
    assert_frame_equal(
        tk.ngrams(decades, **kwargs), tk.ngrams(whole_decades, **kwargs), check_exact=True
    )
    kwargs = {"n": 3, "stopwords": "english", "stopword_filter": "all"}
    assert_frame_equal(
        tk.ngrams(recent, **kwargs), tk.ngrams(whole_recent, **kwargs), check_exact=True
    )


def test_ngrams_never_cross_shards(tiny):
    # by hand, with punctuation; "war war" (across the comma), "war war" (document 0
    # to 1), "! peace" (1 to 2) and ". no" (2 to 3) are no bigrams
    g = tk.ngrams(tiny, n=2, min_count=1, punct=True)
    assert dict(zip(g["ngram"], g["count"], strict=True)) == {
        "peace and": 1,
        "and war": 1,
        "war .": 1,
        "war ,": 1,
        ", war": 1,
        "war and": 1,
        "and peace": 1,
        "peace !": 1,
        "peace .": 1,
        "no war": 1,
    }
    by = tk.ngrams(tiny, n=2, by="side", min_count=1)
    assert by[by["side"] == "b"].set_index("ngram")["per_million"].to_dict() == {
        "and peace": 1e6 / 6,
        "no war": 1e6 / 6,
        "war and": 1e6 / 6,
    }


@pytest.mark.parametrize(
    "kwargs",
    [{"n": 1}, {"position": "middle"}, {"stopwords": "klingon"}, {"by": "nope"}, {"match": "cqp"}],
)
def test_ngrams_refuse_bad_arguments_as_on_one_index(tiny, kwargs, monkeypatch):
    _same_error(monkeypatch, tk.ngrams, tiny, **kwargs)


DISPERSION_CASES = [
    {"pattern": ["peace", "nuclear*", "zzzz"]},
    {"pattern": [r"secur(e|ity)", "Soviet"], "match": "regex", "case_sensitive": True},
    {"pattern": '"united" "nations"', "match": "cqp"},
]


@pytest.mark.parametrize("kwargs", DISPERSION_CASES)
def test_dispersion(store, whole, kwargs):
    expected = tk.dispersion(whole, **kwargs)
    assert_frame_equal(tk.dispersion(store, **kwargs), expected, check_exact=True)


def test_dispersion_of_a_store_split_by_key_and_of_a_selection(
    decades, whole_decades, recent, whole_recent
):
    for sharded, one in ((decades, whole_decades), (recent, whole_recent)):
        expected = tk.dispersion(one, ["war", "terror*", "climate"])
        assert_frame_equal(
            tk.dispersion(sharded, ["war", "terror*", "climate"]), expected, check_exact=True
        )


def test_dispersion_puts_the_documents_in_corpus_order(tiny):
    # by hand: word tokens 3, 4, 1, 2 (shares .3, .4, .1, .2); "peace" 1, 1, 1, 0 of 3;
    # DP = (|1/3 - .3| + |1/3 - .4| + |1/3 - .1| + |0 - .2|) / 2 = 4/15 (in another order
    # of the documents it would differ)
    d = tk.dispersion(tiny, "peace").iloc[0]
    assert d["count"] == 3 and d["docs"] == 3
    assert d["dp"] == pytest.approx(4 / 15)
    assert d["dp_norm"] == pytest.approx(4 / 15 / 0.9)
    rel = [1 / 3, 1 / 4, 1 / 1, 0]
    mean = sum(rel) / 4
    sd = (sum((r - mean) ** 2 for r in rel) / 4) ** 0.5
    assert d["juilland_d"] == pytest.approx(1 - sd / mean / 3**0.5)


def test_dispersion_refuses_as_on_one_index(tiny, tmp_path, monkeypatch):
    for kwargs in ({"pattern": "x", "match": "nope"}, {"pattern": 3}, {"pattern": []}):
        _same_error(monkeypatch, tk.dispersion, tiny, **kwargs)
    _same_error(monkeypatch, tk.dispersion, tiny, "", error=PatternError)
    _same_error(monkeypatch, tk.dispersion, tiny.select(["0"]), "peace")
    # a document without word tokens is found by counting
    c = tk.from_dataframe(pd.DataFrame({"text": ["peace", "..."]}))
    empty = tk.build_shards(c, tmp_path / "e", shard_mb=1e-6, progress=False)
    assert str(_error(tk.dispersion, empty, "peace")) == str(_error(tk.dispersion, c, "peace"))


def test_document_stats(store, whole):
    kwargs = {"case_sensitive": True, "punct": True}
    expected = tk.document_stats(whole, **kwargs)
    assert_frame_equal(tk.document_stats(store, **kwargs), expected, check_exact=True)


def test_document_stats_of_a_store_split_by_key_and_of_a_selection(
    decades, whole_decades, recent, whole_recent
):
    for sharded, one in ((decades, whole_decades), (recent, whole_recent)):
        assert_frame_equal(tk.document_stats(sharded), tk.document_stats(one), check_exact=True)


def test_document_stats_by_hand(tiny, monkeypatch):
    s = tk.document_stats(tiny)
    assert s.index.tolist() == ["0", "1", "2", "3"]
    assert s[["tokens", "words", "types", "side"]].values.tolist() == [
        [4, 3, 3, "a"],
        [6, 4, 3, "b"],
        [2, 1, 1, "a"],
        [2, 2, 2, "b"],
    ]
    _same_error(monkeypatch, tk.document_stats, tiny, punct=1)


DICTIONARY = {
    "threat": ["threat*", "danger*", "nuclear threat"],
    "un": ["united nations", "nations", "united"],
    "peace": {"peace": 1.0, "peace*": 0.5},
}


@pytest.mark.parametrize("by", [None, ["country", "year"]])
def test_dictionary_counts(store, whole, by):
    expected = tk.dictionary_counts(whole, DICTIONARY, by=by)
    assert_frame_equal(tk.dictionary_counts(store, DICTIONARY, by=by), expected, check_exact=True)


def test_dictionary_counts_of_a_store_split_by_key_and_of_a_selection(
    decades, whole_decades, recent, whole_recent
):
    for sharded, one, by in ((decades, whole_decades, "decade"), (recent, whole_recent, None)):
        expected = tk.dictionary_counts(one, DICTIONARY, by=by)
        assert_frame_equal(
            tk.dictionary_counts(sharded, DICTIONARY, by=by), expected, check_exact=True
        )


def test_dictionary_counts_by_hand_and_stemmed(tiny):
    d = tk.dictionary_counts(tiny, {"war": {"war": 1.0, "no war": 2.0}}, by="side")
    # by hand: side a has "war" once in 4 word tokens; side b "war" twice and "no war"
    # once (its "war" nested in it) in 6
    assert d[["side", "count", "score", "words"]].values.tolist() == [
        ["a", 1, 1.0, 4],
        ["b", 3, 4.0, 6],
    ]
    stemmed = {"peace": ["peaceful*"], "war": ["wars"]}
    assert_frame_equal(
        tk.dictionary_counts(tiny, stemmed, match="stem"),
        tk.dictionary_counts(tiny.to_corpus(), stemmed, match="stem"),
        check_exact=True,
    )


@pytest.mark.parametrize(
    "args",
    [({},), ({"k": "war"},), ({"k": ["war"]}, "nope"), ({"k": {"war": "x"}},)],
)
def test_dictionary_counts_refuse_as_on_one_index(tiny, args, monkeypatch):
    _same_error(monkeypatch, tk.dictionary_counts, tiny, *args)
