"""Keyness, collocates, collocations and token streams on a sharded corpus give the same
results as on one index (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import toolkit as tk
from toolkit.errors import ParameterError, ToolkitError


@pytest.fixture(scope="module")
def sample():
    return tk.load_sample()


@pytest.fixture(scope="module")
def store(sample, tmp_path_factory):
    out = tk.build_shards(sample, tmp_path_factory.mktemp("s"), shard_mb=2.3, progress=False)
    assert out.n_shards == 4
    return out


@pytest.fixture(scope="module")
def one(store):
    return store.to_corpus()


@pytest.fixture(scope="module")
def by_decade(sample, tmp_path_factory):
    # two countries (a third of the sample, to keep the tests fast), split by decade
    corpus = sample.query("country in ['RUS', 'KOR']")
    corpus = corpus.assign(decade=lambda m: m["year"] // 10 * 10)
    out = tk.build_shards(corpus, tmp_path_factory.mktemp("d"), by="decade", progress=False)
    assert out.n_shards > 1
    assert out.doc_ids != corpus.doc_ids  # split by key: another document order
    return out


@pytest.fixture(scope="module")
def by_decade_one(by_decade):
    return by_decade.to_corpus()


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert_frame_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs


# ----------------------------------------------------------------------------- keyness
KEYNESS_ARGS = [
    {"by": "country", "target": "RUS"},
    {"by": "country", "target": ["RUS", "CHN"], "reference": "USA", "min_count": 1},
    {"by": "year", "target": 1970, "case_sensitive": True, "fisher": True},
    {"by": "country", "target": "USA", "stopwords": ["the", "of"], "correction": "yates"},
    {"by": "country", "target": "JPN", "p": 0.01, "bonferroni": True, "correction": "williams"},
]


@pytest.mark.parametrize("kwargs", KEYNESS_ARGS)
def test_keyness_by_group(store, one, kwargs):
    same(tk.keyness(store, **kwargs), tk.keyness(one, **kwargs))


def test_keyness_by_group_on_a_store_split_by_key(by_decade, by_decade_one):
    kwargs = {"by": "decade", "target": 1980, "min_count": 2}
    result = tk.keyness(by_decade, **kwargs)
    same(result, tk.keyness(by_decade_one, **kwargs))
    decades = sorted(set(by_decade_one.meta["decade"]) - {1980})
    assert result.attrs["reference_values"] == decades


def test_keyness_of_two_selections(store, one):
    result = tk.keyness(store.query("year < 1990"), store.query("year >= 1990"))
    expected = tk.keyness(one.query("year < 1990"), one.query("year >= 1990"))
    same(result, expected)
    # the word totals are those of the documents on each side
    words = one.index().index.doc_word_counts()
    early = one.meta["year"].to_numpy() < 1990
    assert result.attrs["target_words"] == int(words[early].sum())
    assert result.attrs["reference_words"] == int(words[~early].sum())


def test_keyness_of_two_stores_and_of_a_store_and_a_corpus(store, one, by_decade):
    same(
        tk.keyness(by_decade.query("decade == 2000"), store),
        tk.keyness(by_decade.query("decade == 2000").to_corpus(), one),
    )
    mixed = tk.keyness(store.query("country == 'RUS'"), one.query("country != 'RUS'"))
    same(mixed, tk.keyness(one.query("country == 'RUS'"), one.query("country != 'RUS'")))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    frame = pd.DataFrame(
        {
            "text": ["War, war and peace.", "War talk.", "Peace, peace talk.", "Talk!"],
            "side": ["X", "Y", "X", "Y"],
        }
    )
    out = tk.build_shards(
        tk.from_dataframe(frame), tmp_path_factory.mktemp("t"), by="side", progress=False
    )
    assert out.n_shards == 2
    return out


def test_keyness_counts_terms_over_shards(tiny):
    result = tk.keyness(tiny, by="side", target="X", min_count=1).set_index("term")
    # counted by hand: X has "war war and peace peace peace talk", Y "war talk talk"
    assert result["target_count"].to_dict() == {"war": 2, "and": 1, "peace": 3, "talk": 1}
    assert result["reference_count"].to_dict() == {"war": 1, "and": 0, "peace": 0, "talk": 2}
    assert (result.attrs["target_words"], result.attrs["reference_words"]) == (7, 3)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"by": "country", "target": "XXX"},
        {"by": "country", "target": "RUS", "reference": "XXX"},
        {"by": "nope", "target": "RUS"},
        {"by": "country", "target": "RUS", "correction": "bogus"},
        {"reference": "USA"},
    ],
)
def test_keyness_bad_arguments_fail_alike(store, one, kwargs):
    with pytest.raises(ParameterError) as on_one:
        tk.keyness(one, **kwargs)
    with pytest.raises(ParameterError) as on_store:
        tk.keyness(store, **kwargs)
    assert str(on_store.value) == str(on_one.value)


# ----------------------------------------------------------------------------- collocations
@pytest.mark.parametrize(
    "kwargs",
    [
        {"pattern": "nuclear"},
        {"pattern": "secur*", "window": (2, 0), "min_count": 1, "stopwords": ["the", "of"]},
        {"pattern": "united nations", "window": 3, "sort_by": "ll", "measures": ["ll", "pmi"]},
    ],
)
def test_collocates(store, one, kwargs):
    same(tk.collocates(store, **kwargs), tk.collocates(one, **kwargs))


def test_collocates_of_a_selection_and_of_a_store_split_by_key(
    store, one, by_decade, by_decade_one
):
    same(
        tk.collocates(store.query("year >= 1990"), "peace", window=4),
        tk.collocates(one.query("year >= 1990"), "peace", window=4),
    )
    same(tk.collocates(by_decade, "arms"), tk.collocates(by_decade_one, "arms"))


def test_collocates_counts_over_shards(tiny):
    # by hand: "war" has 3 hits; the next word (punctuation is not counted) is "war" and
    # "and" in doc 1, "talk" in doc 2; 4 + 2 + 3 + 1 words in the four documents
    result = tk.collocates(tiny, "war", window=(0, 1), min_count=1).set_index("term")
    assert result["observed"].to_dict() == {"war": 1, "and": 1, "talk": 1}
    assert result.attrs["node_count"] == 3
    assert result.attrs["corpus_words"] == 10


def test_collocations(store, one, by_decade, by_decade_one):
    kwargs = {"min_count": 2, "stopwords": ["the"], "sort_by": "pmi"}
    same(
        tk.collocations(store.query("year >= 1990"), **kwargs),
        tk.collocations(one.query("year >= 1990"), **kwargs),
    )
    same(
        tk.collocations(by_decade.query("decade < 1980"), min_count=3),
        tk.collocations(by_decade_one.query("decade < 1980"), min_count=3),
    )


def test_trigram_collocations(store, one, by_decade, by_decade_one):
    same(
        tk.trigram_collocations(store.query("year < 1970")),
        tk.trigram_collocations(one.query("year < 1970")),
    )
    kwargs = {"min_count": 3, "stopwords": ["the"], "sort_by": "chi2"}
    same(
        tk.trigram_collocations(by_decade.query("decade < 2000"), **kwargs),
        tk.trigram_collocations(by_decade_one.query("decade < 2000"), **kwargs),
    )


def test_collocations_count_pairs_over_shards(tiny):
    # by hand: pairs not broken by punctuation: "war and", "and peace" (X, doc 1),
    # "war talk" (Y), "peace talk" (X, doc 3); every pair once
    result = tk.collocations(tiny, min_count=1)
    assert sorted(result["collocation"]) == ["and peace", "peace talk", "war and", "war talk"]
    row = result.set_index("collocation").loc["peace talk"]
    assert (row["count"], row["w1_count"], row["w2_count"]) == (1, 3, 3)


@pytest.mark.parametrize(
    ("function", "kwargs"),
    [
        (tk.collocates, {"pattern": "war", "window": (1, 2, 3)}),
        (tk.collocates, {"pattern": "war", "sort_by": "pmi", "measures": ["ll"]}),
        (tk.collocates, {"pattern": "  "}),
        (tk.collocations, {"sort_by": "bogus"}),
        (tk.trigram_collocations, {"min_count": 0}),
    ],
)
def test_collocation_bad_arguments_fail_alike(store, one, function, kwargs):
    with pytest.raises(ToolkitError) as on_one:
        function(one, **kwargs)
    with pytest.raises(type(on_one.value)) as on_store:
        function(store, **kwargs)
    assert str(on_store.value) == str(on_one.value)


# ----------------------------------------------------------------------------- token streams
def test_token_stream_of_a_store(store, one):
    kwargs = {"min_count": 5, "stopwords": ["the", "of"], "split_hyphens": True}
    stream = tk.tokens(store.query("year >= 2010"), progress=False, **kwargs)
    expected = tk.tokens(one.query("year >= 2010"), progress=False, **kwargs)
    assert isinstance(stream, tk.TokenStream)
    lists = list(stream)
    assert lists == list(expected)
    assert list(stream) == lists  # restartable
    assert stream.units == expected.units and len(stream) == len(expected)
    assert_frame_equal(stream.vocabulary(), expected.vocabulary(), check_exact=True)
    assert_frame_equal(stream.to_frame(), expected.to_frame(), check_exact=True)


def test_token_stream_of_a_selection_and_of_a_store_split_by_key(
    store, one, by_decade, by_decade_one
):
    kwargs = {"case_sensitive": True, "punct": True, "numbers": False, "min_length": 3}
    assert list(tk.tokens(store.query("year < 1960"), **kwargs)) == list(
        tk.tokens(one.query("year < 1960"), **kwargs)
    )
    kwargs = {"compound": ["united nations", "security council"], "min_count": 2}
    assert list(tk.tokens(by_decade.query("decade >= 1990"), **kwargs)) == list(
        tk.tokens(by_decade_one.query("decade >= 1990"), **kwargs)
    )


def test_token_stream_over_shards_by_hand(tiny):
    # shards by side: X holds documents 0 and 2, Y documents 1 and 3 (corpus order)
    stream = tk.tokens(tiny, min_count=2)
    assert stream.units == ["0", "2", "1", "3"]
    # "and" is seen once in the whole store: left out; "war" twice in X, once in Y: kept
    assert list(stream) == [
        ["war", "war", "peace"],
        ["peace", "peace", "talk"],
        ["war", "talk"],
        ["talk"],
    ]
    assert stream.vocabulary().values.tolist() == [["peace", 3], ["talk", 3], ["war", 3]]


def test_token_stream_trains_a_gensim_model(tiny):
    gensim = pytest.importorskip("gensim")
    model = gensim.models.Word2Vec(
        sentences=tk.tokens(tiny), vector_size=4, min_count=1, epochs=2, workers=1, seed=1
    )
    assert sorted(model.wv.index_to_key) == ["and", "peace", "talk", "war"]
    assert model.corpus_count == 4


@pytest.mark.parametrize(
    "kwargs",
    [{"unit": "chapter"}, {"min_count": -1}, {"punct": "yes"}, {"layer": "lemma"}, {"pos": "NOUN"}],
)
def test_token_stream_bad_arguments_fail_alike(store, one, kwargs):
    with pytest.raises(ParameterError) as on_one:
        tk.tokens(one, **kwargs)
    with pytest.raises(ParameterError) as on_store:
        tk.tokens(store, **kwargs)
    assert str(on_store.value) == str(on_one.value)


def test_token_stream_of_sentences_equals_one_corpus(store, one):
    # one sentence model, trained on the same documents as on one corpus, splits every shard
    part, whole = store.query("year >= 2015"), one.query("year >= 2015")
    assert part.n_shards == store.n_shards  # 60 speeches, in all four shards
    stream = tk.tokens(part, unit="sentence", progress=False)
    expected = tk.tokens(whole, unit="sentence", progress=False)
    assert stream.units == expected.units and len(stream) == len(expected) > len(whole)
    assert list(stream) == list(expected)
    assert_frame_equal(stream.to_frame(), expected.to_frame(), check_exact=True)


def test_sum_term_counts_of_arrow_and_plain_parts():
    from toolkit.keyness import sum_term_counts, term_array

    parts = [
        (term_array(np.array(["war", "peace"], dtype=object)), np.array([3, 1]), 4),
        (term_array(np.array(["peace", "talk"], dtype=object)), np.array([2, 5]), 7),
    ]
    counts, n = sum_term_counts(parts)
    assert counts.to_dict() == {"war": 3, "peace": 3, "talk": 5} and n == 11
    # a part kept as a numpy array (terms Arrow cannot encode) is combined alike
    plain = (np.array(["talk", "arms"], dtype=object), np.array([1, 2]), 3)
    counts, n = sum_term_counts([*parts, plain])
    assert counts.to_dict() == {"war": 3, "peace": 3, "talk": 6, "arms": 2} and n == 14


def test_token_stream_makes_one_shard_at_a_time(tiny, monkeypatch):
    import toolkit.token_streams as ts

    calls = []
    original = ts._lists_part

    def counting(shard, *args):
        calls.append(len(shard))
        return original(shard, *args)

    monkeypatch.setattr(ts, "_lists_part", counting)
    lists = iter(tk.tokens(tiny))
    assert next(lists) == ["war", "war", "and", "peace"]
    assert calls == [2]  # only the first shard's lists are made so far
    assert list(lists) == [["peace", "peace", "talk"], ["war", "talk"], ["talk"]]
    assert calls == [2, 2]
