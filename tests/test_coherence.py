"""Coherence counted with numpy against gensim's CoherenceModel and against hand counts."""

import random
import warnings

import numpy as np
import pytest
from gensim import matutils
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

import toolkit as tk
from toolkit.coherence import EPSILON, coherence

MEASURES = ["c_v", "c_npmi", "c_uci", "u_mass"]


def gensim_per_topic(topics, texts, measure, window_size=None, dictionary=None, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cm = CoherenceModel(
            topics=topics,
            texts=texts,
            dictionary=dictionary or Dictionary(texts),
            coherence=measure,
            window_size=window_size,
            processes=1,
            topn=max(len(t) for t in topics),  # gensim cuts topics to topn (20) words
            **kwargs,
        )
        return np.array(cm.get_coherence_per_topic(), dtype=float)


TEXTS = [
    ["nuclear", "weapons", "treaty", "nuclear", "peace", "security", "council"],
    ["trade", "growth", "development", "trade", "peace"],
    ["security", "council", "reform", "nuclear", "security", "weapons", "treaty", "treaty"],
    [],
    ["peace"],
    ["development", "growth", "poverty", "trade", "development", "growth", "climate"],
    ["climate", "change", "development", "climate", "change", "security"],
]
TOPICS = [
    ["nuclear", "weapons", "treaty", "security"],
    ["trade", "growth", "development", "poverty"],
    ["climate", "change", "security", "peace", "council"],
]


@pytest.mark.parametrize(
    ("measure", "window"),
    [("u_mass", None)] + [(m, w) for m in MEASURES[:3] for w in (None, 2, 3, 5, 20)],
)
def test_hand_made_texts_equal_gensim(measure, window):
    expected = gensim_per_topic(TOPICS, TEXTS, measure, window)
    got = coherence(TOPICS, TEXTS, measure, window_size=window, per_topic=True)
    assert np.allclose(got, expected, rtol=0, atol=1e-9)
    assert coherence(TOPICS, TEXTS, measure, window_size=window) == pytest.approx(
        expected.mean(), abs=1e-9
    )


def test_random_texts_with_repeats_and_short_documents_equal_gensim():
    rng = random.Random(7)
    for _ in range(60):
        words = [f"w{i}" for i in range(rng.randint(3, 9))]
        texts = [
            [rng.choice(words) for _ in range(rng.choice([0, 1, 2, 4, 9, 25]))]
            for _ in range(rng.randint(2, 6))
        ]
        present = sorted({w for t in texts for w in t})
        if len(present) < 3:
            continue
        topics = [rng.sample(present, rng.randint(2, len(present))) for _ in range(2)]
        for measure in MEASURES:
            window = None if measure == "u_mass" else rng.choice([None, 2, 3, 6])
            expected = gensim_per_topic(topics, texts, measure, window)
            got = coherence(topics, texts, measure, window_size=window, per_topic=True)
            assert np.allclose(got, expected, rtol=0, atol=1e-9, equal_nan=True)


def test_a_word_leaving_the_window_is_unmarked_as_in_gensim():
    # windows of 3 over "a a b c": [a a b], [a b c]; the step unmarks the "a" that leaves,
    # so "a" counts in one window of two and never together with "c"
    texts = [["a", "a", "b", "c"]]
    p_a, p_c, p_ac = 1 / 2, 1 / 2, 0 / 2
    npmi = np.log((p_ac + EPSILON) / (p_a * p_c)) / -np.log(p_ac + EPSILON)
    assert coherence([["a", "c"]], texts, "c_npmi", window_size=3) == pytest.approx(npmi, abs=1e-12)
    assert gensim_per_topic([["a", "c"]], texts, "c_npmi", 3)[0] == pytest.approx(npmi, abs=1e-12)


def test_u_mass_by_hand():
    texts = [["x", "y"], ["x"], ["y", "z"], ["x", "y", "z"]]
    # pairs (w_i, w_j), j ranked above i: log((D(w_i, w_j) / N + ε) / (D(w_j) / N))
    by_hand = np.mean(
        [np.log((2 / 4 + EPSILON) / (3 / 4)), np.log((1 / 4 + EPSILON) / (3 / 4)),
         np.log((2 / 4 + EPSILON) / (3 / 4))]
    )  # fmt: skip
    assert coherence([["x", "y", "z"]], texts, "u_mass") == pytest.approx(by_hand, abs=1e-12)


@pytest.mark.parametrize("n_words", [25, 40])
def test_long_topics_use_several_blocks_and_equal_gensim(n_words):
    rng = np.random.default_rng(3)
    vocab = [f"t{i}" for i in range(60)]
    texts = [list(rng.choice(vocab, size=rng.integers(5, 80))) for _ in range(30)]
    present = sorted({w for t in texts for w in t})
    topics = [present[:n_words], present[-n_words:]]
    for measure in ["c_v", "c_npmi"]:
        expected = gensim_per_topic(topics, texts, measure, 7)
        got = coherence(topics, texts, measure, window_size=7, per_topic=True)
        assert np.allclose(got, expected, rtol=0, atol=1e-9)


def test_unknown_words_are_left_out_and_errors_name_the_parameter():
    known = coherence([["nuclear", "treaty"]], TEXTS, "c_v")
    assert coherence([["nuclear", "zzz", "treaty"]], TEXTS, "c_v") == pytest.approx(known)
    with pytest.raises(tk.ParameterError, match="measure") as err:
        coherence(TOPICS, TEXTS, "c_w2v")
    assert "c_npmi" in str(err.value)
    with pytest.raises(tk.ParameterError, match="window_size"):
        coherence(TOPICS, TEXTS, "u_mass", window_size=10)
    with pytest.raises(tk.ParameterError, match="window_size"):
        coherence(TOPICS, TEXTS, "c_v", window_size=0)
    with pytest.raises(tk.ParameterError, match="topic 1"):
        coherence([["nuclear"], ["zzz", "yyy"]], TEXTS, "c_v")


@pytest.fixture(scope="module")
def fitted(un):
    prepared = tk.prepare_topics(un, no_below=10)
    return prepared, tk.fit_topics(prepared, k=5, passes=1, seed=2)


@pytest.mark.parametrize("measure", ["c_v", "c_npmi", "u_mass"])
def test_model_coherence_on_the_bundled_corpus_equals_gensim(fitted, measure):
    prepared, model = fitted
    kwargs = {"corpus": prepared.bow} if measure == "u_mass" else {"texts": prepared.texts()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = CoherenceModel(
            model=model.gensim,
            dictionary=prepared.dictionary,
            coherence=measure,
            topn=10,
            processes=1,
            **kwargs,
        ).get_coherence_per_topic()
    got = model.coherence(measure, per_topic=True)
    assert got.index.tolist() == model.labels
    assert np.allclose(got.to_numpy(), expected, rtol=0, atol=1e-6)
    assert model.coherence(measure) == pytest.approx(np.mean(expected), abs=1e-6)


def test_model_coherence_with_string_topics_equals_the_id_path(fitted):
    prepared, model = fitted
    ids = [matutils.argsort(t, topn=10, reverse=True) for t in model.gensim.get_topics()]
    words = [[prepared.dictionary[int(i)] for i in t] for t in ids]
    by_words = coherence(words, prepared.texts(), "c_npmi", per_topic=True)
    assert np.allclose(model.coherence("c_npmi", per_topic=True).to_numpy(), by_words)


def test_model_coherence_checks_its_arguments(fitted):
    _, model = fitted
    with pytest.raises(tk.ParameterError, match="measure"):
        model.coherence("cv")
    with pytest.raises(tk.ParameterError, match="n must be"):
        model.coherence("c_v", n=1)
    with pytest.warns(FutureWarning, match="topn"):  # the old name, for one release
        assert model.coherence("c_v", topn=5) == model.coherence("c_v", n=5)
