"""LdaModel's training with the E-step shared out: the model is gensim's own."""

import numpy as np
import pytest
from gensim.models import LdaModel

import toolkit as tk
from toolkit.lda import MIN_DOCS_PER_WORKER, train_lda


@pytest.fixture(scope="module")
def prepared(un):
    return tk.prepare_topics(un.query("year >= 2000"), no_below=5)


def _settings(prepared, **kw):
    settings = dict(id2word=prepared.dictionary, num_topics=4, random_state=11, passes=2)
    settings.update(chunksize=70, iterations=50, alpha="auto", eval_every=None)
    settings.update(kw)
    return settings


def test_two_processes_train_gensims_model(prepared):
    """Several chunks, two passes, a learned prior: the model of gensim's LdaModel on the
    same documents, to the rounding of the 32-bit sums of the expected counts."""
    settings = _settings(prepared)
    expected = LdaModel(corpus=list(prepared.bow), **settings)
    got = train_lda(prepared.bow, workers=2, **settings)
    assert type(got) is LdaModel
    assert not any(name in vars(got) for name in ("_pool", "_bow", "_workers"))
    np.testing.assert_allclose(got.alpha, expected.alpha, rtol=1e-4)
    np.testing.assert_allclose(got.get_topics(), expected.get_topics(), rtol=1e-3, atol=1e-7)
    for t in range(4):
        assert [w for w, _ in got.show_topic(t, 10)] == [w for w, _ in expected.show_topic(t, 10)]
    assert got.num_updates == expected.num_updates


def test_chunks_too_small_to_share_are_inferred_here_exactly(prepared):
    settings = _settings(prepared, chunksize=2 * MIN_DOCS_PER_WORKER - 1, passes=1)
    expected = LdaModel(corpus=list(prepared.bow), **settings)
    got = train_lda(prepared.bow, workers=2, **settings)
    assert np.array_equal(got.get_topics(), expected.get_topics())


def test_one_worker_is_gensims_model_bit_for_bit(prepared):
    settings = _settings(prepared)
    expected = LdaModel(corpus=list(prepared.bow), **settings)
    assert np.array_equal(train_lda(prepared.bow, **settings).get_topics(), expected.get_topics())


def test_documents_in_a_given_order_are_gensims_model_on_them_in_that_order(prepared):
    settings = _settings(prepared, passes=1)
    docs = list(prepared.bow)
    order = np.random.default_rng(2).permutation(len(docs))
    expected = LdaModel(corpus=[docs[i] for i in order], **settings)
    one = train_lda(prepared.bow, order=order, **settings)
    assert np.array_equal(one.get_topics(), expected.get_topics())
    two = train_lda(prepared.bow, workers=2, order=order, **settings)
    np.testing.assert_allclose(two.get_topics(), expected.get_topics(), rtol=1e-3, atol=1e-7)
    np.testing.assert_allclose(two.alpha, expected.alpha, rtol=1e-4)


def test_perplexity_evaluated_during_training_leaves_the_model_gensims(prepared):
    """gensim's own default evaluates every 10 chunks, drawing from the model's random
    state: the shared E-step evaluates on the same documents, so the model stays gensim's."""
    settings = _settings(prepared, eval_every=2, passes=1)
    expected = LdaModel(corpus=list(prepared.bow), **settings)
    got = train_lda(prepared.bow, workers=2, **settings)
    np.testing.assert_allclose(got.get_topics(), expected.get_topics(), rtol=1e-3, atol=1e-7)
