"""Coherence of a topic model on a sharded corpus: counted shard by shard and added, equal to
the coherence on one corpus of the same documents and to gensim's CoherenceModel on the same
reference texts."""

import warnings

import numpy as np
import pytest
from gensim import matutils
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

import toolkit as tk
from toolkit.coherence import coherence
from toolkit.errors import ParameterError


@pytest.fixture(scope="module")
def sample():
    return tk.load_sample()


@pytest.fixture(scope="module")
def store(sample, tmp_path_factory):
    s = tk.build_shards(sample, tmp_path_factory.mktemp("store"), shard_mb=2.3, progress=False)
    assert s.n_shards == 4
    return s


@pytest.fixture(scope="module")
def model(store):
    """Fitted on a sample of 150 of the 371 documents, as a large store's model would be."""
    m = tk.fit_topics(store, k=4, passes=1, seed=3, sample=150)
    assert len(m.meta) == 150
    return m


def top_words(model, topn=10):
    return [
        [model.gensim.id2word[int(i)] for i in matutils.argsort(t, topn=topn, reverse=True)]
        for t in model.gensim.get_topics()
    ]


def reference_texts(corpus, model):
    """The documents as the model's training documents were prepared, built here from the
    token index alone: each document's word tokens, lower-cased, those whose term is in the
    model's dictionary, in running order (the default settings join no phrases)."""
    known = model.gensim.id2word.token2id
    view = corpus.index()
    idx = view.index
    words = idx.lower_vocab[idx.lower]
    texts = []
    for s, e in zip(view.starts, view.ends, strict=True):
        tok = idx.tokens[s:e]
        texts.append([w for w in words[tok[idx.is_word[tok]]].tolist() if w in known])
    return texts


def by_gensim(topics, texts, measure):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cm = CoherenceModel(
            topics=topics,
            texts=texts,
            dictionary=Dictionary(texts),
            coherence=measure,
            topn=len(topics[0]),
            processes=1,
        )
        return np.array(cm.get_coherence_per_topic(), dtype=float)


@pytest.mark.parametrize("measure", ["c_v", "c_npmi", "u_mass"])
def test_coherence_on_a_store_equals_one_corpus_of_the_same_documents(
    model, store, sample, measure
):
    on_store = model.coherence(measure, corpus=store, per_topic=True)
    on_one = model.coherence(measure, corpus=sample, per_topic=True)
    assert on_store.index.tolist() == model.labels
    np.testing.assert_allclose(on_store.to_numpy(), on_one.to_numpy(), rtol=0, atol=1e-9)
    # the same value from the reference texts made here, scored by the string path
    texts = reference_texts(sample, model)
    expected = coherence(top_words(model), texts, measure, per_topic=True)
    np.testing.assert_allclose(on_store.to_numpy(), expected, rtol=0, atol=1e-9)
    assert model.coherence(measure, corpus=store) == pytest.approx(expected.mean(), abs=1e-9)


@pytest.mark.parametrize("measure", ["u_mass", "c_npmi"])
def test_coherence_on_a_store_equals_gensims_coherence_model(model, store, sample, measure):
    texts = reference_texts(sample, model)
    expected = by_gensim(top_words(model), texts, measure)
    got = model.coherence(measure, corpus=store, per_topic=True).to_numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_the_whole_store_scores_otherwise_than_the_training_sample(model, store):
    # the sample's own documents are one reference, the store's 371 another
    assert model.coherence("c_npmi") != pytest.approx(
        model.coherence("c_npmi", corpus=store), abs=1e-6
    )


def test_coherence_on_a_selection_of_a_store(model, store, sample):
    part = store.query("year < 1990")  # shards read in part
    got = model.coherence("c_v", corpus=part, per_topic=True).to_numpy()
    texts = reference_texts(sample.query("year < 1990"), model)
    expected = coherence(top_words(model), texts, "c_v", per_topic=True)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("phrases", [False, True])
def test_the_training_corpus_as_reference_gives_the_fitted_coherence(sample, phrases, tmp_path):
    # the speeches since 2012 (78), and a store of several shards of the same documents
    part = sample.query("year >= 2012")
    part_store = tk.build_shards(part, tmp_path / "s", shard_mb=0.4, progress=False)
    assert part_store.n_shards > 2
    m = tk.fit_topics(part, k=3, passes=1, seed=2, phrases=phrases)
    if phrases:
        assert any("_" in t for t in m.gensim.id2word.token2id)  # pairs were joined
    for measure, reference in (("c_v", part), ("u_mass", part_store)):
        fitted = m.coherence(measure, per_topic=True).to_numpy()
        got = m.coherence(measure, corpus=reference, per_topic=True).to_numpy()
        np.testing.assert_allclose(got, fitted, rtol=0, atol=1e-12)


def test_a_loaded_model_is_scored_on_reference_texts(sample, tmp_path):
    part = sample.query("year >= 2012")
    m = tk.fit_topics(part, k=3, passes=1, seed=2)
    m.save(tmp_path / "m")
    back = tk.TopicModel.load(tmp_path / "m")
    with pytest.raises(ValueError, match="corpus="):
        back.coherence("u_mass")
    assert back.coherence("u_mass", corpus=part) == pytest.approx(m.coherence("u_mass"), abs=1e-12)


def test_a_top_word_absent_from_the_reference_is_left_out(model, make):
    topics = top_words(model)
    kept = topics[0][1:]  # the first topic's words but its first
    other = make([" ".join(kept * 3), " ".join(kept[::-1] * 2)])
    for measure in ("c_npmi", "u_mass"):
        texts = reference_texts(other, model)
        got = model.coherence(measure, corpus=other, per_topic=True)
        assert got.iloc[0] == pytest.approx(
            by_gensim([[w for w in topics[0] if w in kept]], texts, measure)[0], abs=1e-9
        )


def test_bad_reference_texts_are_refused(model, make):
    with pytest.raises(ParameterError, match="Corpus or a ShardedCorpus"):
        model.coherence("c_v", corpus=["a text"])
    with pytest.raises(ParameterError, match="no top word of topic 0"):
        model.coherence("c_v", corpus=make(["nothing the model knows zzzz"]))


@pytest.mark.slow
def test_coherence_counted_on_two_dask_workers_equals_in_process(model, store):
    from distributed import Client, LocalCluster

    here = model.coherence("c_npmi", corpus=store, per_topic=True)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as lc, Client(lc) as c:
        tk.set_scheduler(c)
        try:
            on_workers = model.coherence("c_npmi", corpus=store, per_topic=True)
        finally:
            tk.set_scheduler(None)
    np.testing.assert_allclose(on_workers.to_numpy(), here.to_numpy(), rtol=0, atol=1e-12)
