import warnings

import numpy as np
import pytest

import toolkit as tk


@pytest.fixture(scope="module")
def prepared(un):
    return tk.prepare_topics(un, no_below=10)


def test_same_seed_same_topics(prepared):
    a = tk.fit_topics(prepared, k=4, passes=2, seed=3)
    b = tk.fit_topics(prepared, k=4, passes=2, seed=3)
    assert np.array_equal(a.gensim.get_topics(), b.gensim.get_topics())
    assert a.topic_terms(5).equals(b.topic_terms(5))


def test_the_model_is_gensims_on_the_documents_in_a_seeded_order(prepared):
    """fit_topics is gensim's LdaModel given the documents in an order drawn with the
    seed (numpy's default generator); shuffle=False gives them in corpus order."""
    from gensim.models import LdaModel

    docs = list(prepared.bow)
    common = dict(id2word=prepared.dictionary, num_topics=3, passes=1, chunksize=2000)
    common.update(random_state=4, alpha="auto", iterations=50, eval_every=None)
    order = np.random.default_rng(4).permutation(len(docs))
    shuffled = LdaModel([docs[i] for i in order], **common)
    in_order = LdaModel(docs, **common)
    got = tk.fit_topics(prepared, k=3, passes=1, seed=4, cache=False)
    assert np.array_equal(got.gensim.get_topics(), shuffled.get_topics())
    assert np.array_equal(got.gensim.alpha, shuffled.alpha)
    plain = tk.fit_topics(prepared, k=3, passes=1, seed=4, cache=False, shuffle=False)
    assert np.array_equal(plain.gensim.get_topics(), in_order.get_topics())
    assert not np.allclose(got.gensim.get_topics(), plain.gensim.get_topics())
    # the shares of every document are given in corpus order either way
    assert got.doc_topics().index.equals(plain.doc_topics().index)
    assert list(got.doc_topics().index) == list(prepared.corpus.doc_ids)


def test_no_grouping_is_assumed_of_the_corpus(prepared):
    """No default grouping names a column of one corpus (a news corpus has no country):
    prevalence without ``by`` is the whole corpus, group_association needs ``by``."""
    model = tk.fit_topics(prepared, k=3, passes=1, seed=4)
    overall = model.prevalence()
    expected = model.doc_topics(aggregate=True).mean()
    assert overall["topic"].tolist() == expected.index.tolist()
    np.testing.assert_allclose(overall["share"].to_numpy(), expected.to_numpy())
    with pytest.raises(TypeError, match="by"):
        model.group_association()
    with pytest.raises(tk.ColumnError, match="party"):
        model.group_association(by="party")


def test_documents_taken_in_another_order():
    from toolkit.topics import BowCorpus

    docs = [[(0, 2), (3, 1)], [], [(1, 5)], [(0, 1), (1, 1), (2, 1)]]
    bow = BowCorpus.from_lists(docs)
    for order in ([3, 1, 0, 2], [2], [], [0, 0, 3]):
        assert list(bow.take(np.array(order, dtype=int))) == [docs[i] for i in order]


def test_the_cache_tells_a_shuffled_model_from_one_in_corpus_order(prepared, monkeypatch, tmp_path):
    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    a = tk.fit_topics(prepared, k=3, passes=1, seed=9)
    b = tk.fit_topics(prepared, k=3, passes=1, seed=9, shuffle=False)
    assert not np.allclose(a.gensim.get_topics(), b.gensim.get_topics())
    again = tk.fit_topics(prepared, k=3, passes=1, seed=9, shuffle=False)
    assert np.array_equal(again.gensim.get_topics(), b.gensim.get_topics())


def test_preprocessing_from_the_index_matches_the_filters(prepared, un):
    terms = set(prepared.dictionary.token2id)
    assert not terms & set(tk.stopwords())
    assert all(len(t) >= 3 and any(ch.isalpha() for ch in t) for t in terms)
    # document frequencies agree with counting the documents that contain the term
    term = prepared.dictionary.token2id["sanctions"]
    n_docs = sum(1 for t in un.texts() if "sanctions" in (w.lower() for w in tk.tokenize(t)))
    assert prepared.dictionary.dfs[term] == n_docs
    assert all(prepared.dictionary.dfs[i] >= 10 for i in prepared.dictionary.dfs)


def test_model_tables(prepared):
    m = tk.fit_topics(prepared, k=4, passes=2)
    dt = m.doc_topics()
    assert dt.shape == (371, 4) and np.allclose(dt.sum(axis=1), 1)
    tt = m.topic_terms(6, relevance=0.6)
    assert list(tt.columns) == ["topic", "rank", "term", "weight", "relevance"]
    assert (tt.groupby("topic")["rank"].max() == 6).all()
    m.labels = ["a", "b", "c", "d"]
    assert set(m.prevalence("country")["topic"]) == {"a", "b", "c", "d"}
    top = m.top_documents("b", 3)
    assert len(top) == 3 and top["share"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="4 distinct labels"):
        m.labels = ["x"]


def test_relevance_by_hand(prepared):
    m = tk.fit_topics(prepared, k=3, passes=1)
    phi = m.gensim.get_topics()
    d = m.gensim.id2word
    cfs = np.array([d.cfs[i] for i in range(phi.shape[1])], float)
    lam = 0.3
    rel = lam * np.log(phi[1]) + (1 - lam) * np.log(phi[1] / (cfs / cfs.sum()))
    best = d[int(np.argmax(rel))]
    got = m.topic_terms(1, relevance=lam)
    assert got.query("topic == 'topic 1'")["term"].item() == best


def test_segments_aggregate_to_documents(un):
    paras = un.query("year >= 2020").segment("paragraph")
    m = tk.fit_topics(paras, k=3, passes=1, no_below=3)
    agg = m.doc_topics(aggregate=True)
    assert set(agg.index) == set(paras.meta["parent_id"])
    assert np.allclose(agg.sum(axis=1), 1)
    prev = m.prevalence("country")
    assert set(prev["country"]) == set(un.query("year >= 2020").meta["country"])


def test_errors(un, prepared):
    with pytest.raises(tk.ParameterError, match="more than the") as err:
        tk.fit_topics(un.query("country == 'PRK' and year > 2020"), k=50, no_below=1)
    assert err.value.parameter == "k"
    with pytest.raises(tk.ParameterError, match="filter_extremes") as err:
        tk.prepare_topics(un.query("year == 2024"), no_below=100)
    assert err.value.parameter == "no_below"
    with pytest.raises(tk.EmptyResultError, match="stopwords"):
        tk.prepare_topics(
            tk.from_dataframe(__import__("pandas").DataFrame({"text": ["the and of"]}))
        )
    with pytest.raises(tk.ParameterError, match="3 distinct labels") as err:
        tk.fit_topics(prepared, k=3, passes=1).labels = ["a", "a", "b"]
    assert err.value.parameter == "labels"


class _NoCorpusRead:
    """A corpus whose index must not be built: validation comes first."""

    def index(self, *args, **kwargs):
        raise AssertionError("the corpus was read before the arguments were checked")


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda c: tk.fit_topics(c, k=0), "k"),
        (lambda c: tk.fit_topics(c, k=2.5), "k"),
        (lambda c: tk.fit_topics(c, k=True), "k"),
        (lambda c: tk.fit_topics(c, passes=0), "passes"),
        (lambda c: tk.fit_topics(c, iterations=0), "iterations"),
        (lambda c: tk.fit_topics(c, alpha="bogus"), "alpha"),
        (lambda c: tk.fit_topics(c, alpha=-1.0), "alpha"),
        (lambda c: tk.fit_topics(c, eta=[0.1, 0.0]), "eta"),
        (lambda c: tk.fit_topics(c, seed=-1), "seed"),
        (lambda c: tk.fit_topics(c, cache="yes"), "cache"),
        (lambda c: tk.fit_topics(c, settings={"no_below": 2}), "settings"),
        (lambda c: tk.fit_topics(c, no_above=2.0), "no_above"),
        (lambda c: tk.prepare_topics(c, no_above=0), "no_above"),
        (lambda c: tk.prepare_topics(c, no_below=-1), "no_below"),
        (lambda c: tk.prepare_topics(c, min_length="x"), "min_length"),
        (lambda c: tk.prepare_topics(c, keep_n=0), "keep_n"),
        (lambda c: tk.prepare_topics(c, stopwords="klingon"), "stopwords"),
        (lambda c: tk.prepare_topics(c, extra_stopwords=["nations", 3]), "extra_stopwords"),
        (lambda c: tk.prepare_topics(c, phrases="yes"), "phrases"),
        (lambda c: tk.prepare_topics(c, residual_idf_min_repeats=0), "residual_idf_min_repeats"),
        (lambda c: tk.sweep_topics(c, ks=[2, 3, 1]), "ks"),
        (lambda c: tk.sweep_topics(c, ks=[]), "ks"),
        (lambda c: tk.sweep_topics(c, ks=5), "ks"),
        (lambda c: tk.sweep_topics(c, ks=[3], measures=["c_v", "c_x"]), "measures"),
        (lambda c: tk.sweep_topics(c, ks=[3], passes=0), "passes"),
    ],
)
def test_bad_arguments_are_refused_before_the_corpus_is_read(call, parameter):
    with pytest.raises(tk.ParameterError) as err:
        call(_NoCorpusRead())
    assert err.value.parameter == parameter
    assert repr(err.value.value)[:20] in str(err.value)


def test_a_sweep_refuses_too_many_topics_before_fitting_any(un, monkeypatch):
    from toolkit import topics

    def no_fitting(*args, **kwargs):
        raise AssertionError("a model was fitted")

    monkeypatch.setattr(topics, "_fit", no_fitting)
    small = un.query("country == 'PRK' and year > 2020")
    with pytest.raises(tk.ParameterError, match="more than the") as err:
        tk.sweep_topics(small, ks=[2, 3, 50], no_below=1, progress=False)
    assert err.value.parameter == "ks"


def test_settings_are_checked_when_made():
    with pytest.raises(tk.ParameterError, match="no_above"):
        tk.TopicSettings(no_above=1.5)
    assert tk.TopicSettings(stopwords="en").stopwords == "en"
    assert tk.TopicSettings(no_above=1, stopwords=None).no_above == 1


def test_save_load_and_transform(tmp_path, prepared, commentary):
    m = tk.fit_topics(prepared, k=3, passes=1)
    m.labels = ["x", "y", "z"]
    m.save(tmp_path / "m")
    back = tk.TopicModel.load(tmp_path / "m")
    assert back.labels == ["x", "y", "z"] and back.fingerprint == m.fingerprint
    assert back.doc_topics().equals(m.doc_topics())
    with pytest.raises(ValueError, match="another vocabulary"):
        m.transform(
            tk.from_dataframe(
                __import__("pandas").DataFrame({"text": ["zorblax quintessa flumph grakkle"]})
            )
        )


def test_sweep_reports_coherence(prepared):
    sweep = tk.sweep_topics(
        prepared, ks=[2, 3], measures=["u_mass", "c_npmi"], passes=1, progress=False
    )
    assert sweep["k"].tolist() == [2, 3]
    assert sweep["u_mass"].lt(0).all() and sweep["c_npmi"].between(-1, 1).all()


def test_fitted_models_are_cached_by_content(prepared, monkeypatch, tmp_path):
    from toolkit import topics

    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    a = tk.fit_topics(prepared, k=3, passes=1, seed=5)

    def no_fitting(*args, **kwargs):
        raise RuntimeError("fitted")

    monkeypatch.setattr(topics, "_fit", no_fitting)
    b = tk.fit_topics(prepared, k=3, passes=1, seed=5)  # from the cache: no fitting
    assert np.array_equal(a.gensim.get_topics(), b.gensim.get_topics())
    assert b.doc_topics().equals(a.doc_topics())
    with pytest.raises(RuntimeError, match="fitted"):  # another seed is not cached: it fits
        tk.fit_topics(prepared, k=3, passes=1, seed=6)


def test_one_extra_stopword_given_as_a_string_is_that_word():
    from toolkit.topics import TopicSettings, _stopword_set

    stop = _stopword_set(TopicSettings(stopwords=None, extra_stopwords="iraq"))
    assert stop == {"iraq"}


def test_group_association_by_hand():
    from types import SimpleNamespace

    import pandas as pd

    theta = np.array(
        [[0.9, 0.1, 0.0], [0.7, 0.1, 0.2], [0.2, 0.4, 0.4], [0.2, 0.6, 0.2], [0.5, 0.3, 0.2]]
    )
    meta = pd.DataFrame(
        {"country": ["A", "A", "B", "B", None], "session": [46] * 5, "_tokens": [10] * 5},
        index=pd.Index(list("vwxyz"), name="doc_id"),
    )
    m = tk.TopicModel(SimpleNamespace(num_topics=3), None, meta, theta, tk.TopicSettings(), "f", 0)
    got = m.group_association(by="country")  # the document without a country is left out
    # topic 0: shares .9 .7 .2 .2, mean .5, group means .8 and .2
    # between = 2(.3²) + 2(.3²) = .36; total = .4² + .2² + .3² + .3² = .38
    # topic 1: .1 .1 .4 .6, mean .3, group means .1 and .5: between .16, total .18
    # topic 2: 0 .2 .4 .2, mean .2, group means .1 and .3: between .04, total .08
    assert got.index.tolist() == ["topic 0", "topic 1", "topic 2"]
    assert np.allclose(got["eta_squared"], [0.36 / 0.38, 0.16 / 0.18, 0.04 / 0.08])
    assert got["top_group"].tolist() == ["A", "B", "B"]
    assert np.allclose(got["top_group_share"], [1.6 / 2.0, 1.0 / 1.2, 0.6 / 0.8])
    assert np.allclose(got["top_group_documents"], 0.5)
    with pytest.raises(tk.ParameterError, match="at least two"):
        m.group_association(by="session")
    with pytest.raises(KeyError, match="region"):
        m.group_association(by="region")


def test_group_association_is_the_r_squared_of_one_way_anova(prepared):
    from scipy.stats import f_oneway

    m = tk.fit_topics(prepared, k=4, passes=1, seed=4)
    got = m.group_association(by="country")
    dt, country = m.doc_topics().astype(float), m.meta["country"]
    groups = sorted(country.unique())
    n, g = len(dt), len(groups)
    for label in m.labels:
        f = f_oneway(*[dt.loc[country == c, label] for c in groups]).statistic
        eta2 = f * (g - 1) / (f * (g - 1) + (n - g))
        assert got.loc[label, "eta_squared"] == pytest.approx(eta2, rel=1e-9)
        means = dt[label].groupby(country).mean()
        assert got.loc[label, "top_group"] == means.idxmax()


def test_two_workers_train_the_model_one_process_trains(prepared, monkeypatch, tmp_path):
    """The E-step is shared out, the model is not changed: the learned prior, the topics
    and their order are one process's, to the rounding of 32-bit sums."""
    from toolkit import lda

    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    inferred_here = []
    real_infer = lda._infer

    def counting_infer(docs, gamma, model):
        inferred_here.append(len(docs))
        return real_infer(docs, gamma, model)

    monkeypatch.setattr(lda, "_infer", counting_infer)
    one = tk.fit_topics(prepared, k=3, passes=2, seed=7, cache=False)
    assert inferred_here == []  # one process: gensim's own inference
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about: alpha="auto" is learned
        two = tk.fit_topics(prepared, k=3, passes=2, seed=7, workers=2, cache=False)
    n = len(prepared.bow)
    # every chunk of both passes was split: this process inferred about half of it
    assert sum(inferred_here) == pytest.approx(n, abs=2 * 2)
    assert type(two.gensim).__name__ == "LdaModel"
    assert not np.allclose(one.gensim.alpha, one.gensim.alpha[0])  # learned, asymmetric
    np.testing.assert_allclose(two.gensim.alpha, one.gensim.alpha, rtol=1e-4)
    np.testing.assert_allclose(
        two.gensim.get_topics(), one.gensim.get_topics(), rtol=1e-3, atol=1e-7
    )
    assert two.topic_terms(10)["term"].equals(one.topic_terms(10)["term"])
    for bad in (0, -1, 1.5, True):
        with pytest.raises(tk.ParameterError, match="workers"):
            tk.fit_topics(prepared, k=3, passes=1, workers=bad)


def test_topics_are_named_by_number_or_label_and_counts_are_checked(prepared):
    model = tk.fit_topics(prepared, k=3, passes=1, seed=4)
    assert model.top_documents(-1, n=2).equals(model.top_documents(model.labels[2], n=2))
    for bad in (3, -4, "topic 9", 1.0):
        with pytest.raises(tk.NotFoundError, match="topic") as err:
            model.top_documents(bad)
        assert err.value.parameter == "topic"
        assert isinstance(err.value, KeyError)  # as before
    with pytest.raises(tk.NotFoundError, match="numbered 0 to 2"):
        model.in_context(prepared.corpus, 7)
    for call in (lambda: model.topic_terms(n=0), lambda: model.top_documents(0, n=0)):
        with pytest.raises(tk.ParameterError, match="n=0"):
            call()
    # the model's own column of kept tokens is no grouping a user can ask for
    with pytest.raises(tk.ColumnError) as err:
        model.prevalence(by="party")
    assert "_tokens" not in str(err.value)


def test_more_workers_than_cores_is_said(prepared, monkeypatch):
    from toolkit import topics

    monkeypatch.setattr(topics, "_usable_cores", lambda: 2)
    with pytest.warns(tk.ToolkitWarning, match="workers=3 is more than the 2 cores"):
        tk.fit_topics(prepared, k=2, passes=1, seed=4, workers=3, cache=False)


def test_a_sweep_trains_with_the_workers_it_is_given(prepared, monkeypatch):
    from toolkit import topics

    used = []
    real_fit = topics._fit

    def recording_fit(prepared, k, seed, passes, iterations, workers, alpha, eta, shuffle):
        used.append((workers, alpha))
        return real_fit(prepared, k, seed, passes, iterations, workers, alpha, eta, shuffle)

    monkeypatch.setattr(topics, "_fit", recording_fit)
    # a seed no other test uses: no model of the sweep is in the cache yet
    kw = dict(passes=1, workers=2, seed=31, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tk.sweep_topics(prepared, ks=[2, 3], **kw)
    assert used == [(2, "auto"), (2, "auto")]


def test_a_model_of_two_workers_is_cached_as_the_one_process_model(prepared, monkeypatch, tmp_path):
    from toolkit import topics

    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    a = tk.fit_topics(prepared, k=3, passes=1, seed=8, workers=2, alpha="symmetric")
    assert np.allclose(a.gensim.alpha, 1 / 3)

    def no_fitting(*args, **kwargs):
        raise RuntimeError("fitted")

    monkeypatch.setattr(topics, "_fit", no_fitting)
    for workers in (1, 2):  # the number of processes does not make another model
        b = tk.fit_topics(prepared, k=3, passes=1, seed=8, workers=workers, alpha="symmetric")
        assert np.array_equal(a.gensim.get_topics(), b.gensim.get_topics())
    with pytest.raises(RuntimeError, match="fitted"):  # another prior is another model
        tk.fit_topics(prepared, k=3, passes=1, seed=8, alpha="auto")


def test_sweep_checks_measures_before_fitting(prepared, monkeypatch):
    from toolkit import topics

    def no_fitting(*args, **kwargs):
        raise RuntimeError("fitted")

    monkeypatch.setattr(topics, "_fit", no_fitting)
    with pytest.raises(tk.ParameterError, match="measures") as err:
        tk.sweep_topics(prepared, ks=[2], measures=["c_v", "cv"], progress=False)
    assert "u_mass" in str(err.value)


def test_the_old_name_coherence_still_works_with_a_warning(prepared):
    with pytest.warns(FutureWarning, match="coherence= is deprecated.*use measures="):
        old = tk.sweep_topics(prepared, ks=[2], coherence="u_mass", passes=1, progress=False)
    new = tk.sweep_topics(prepared, ks=[2], measures="u_mass", passes=1, progress=False)
    assert old.drop(columns="seconds").equals(new.drop(columns="seconds"))
    with pytest.raises(tk.ParameterError, match="give measures= only"):
        tk.sweep_topics(prepared, ks=[2], coherence="c_v", measures="c_v")


PHRASE_TEXTS = [
    "The Security Council condemned the acts of aggression. Security Council members spoke.",
    "Acts of aggression were condemned by the Security Council; peace returned.",
    "We recall the acts of aggression and the Security Council resolution on peace.",
    "The Security Council met. Acts of aggression continue, said the Security Council.",
] * 3


def test_phrases_are_found_before_stopwords_are_removed():
    import re

    import pandas as pd

    corpus = tk.from_dataframe(pd.DataFrame({"text": PHRASE_TEXTS}))
    prep = tk.prepare_topics(
        corpus, phrases=True, phrase_min_count=2, phrase_threshold=1.0, no_below=1, no_above=1.0
    )
    terms = set(prep.dictionary.token2id)
    # "acts of aggression": "of" stands between the two words, so they never pair
    assert "acts_aggression" not in terms and {"acts", "aggression"} <= terms
    # "security council" always stands together: 3 × (2 + 1 + 1 + 2) occurrences
    assert prep.dictionary.cfs[prep.dictionary.token2id["security_council"]] == 18
    assert "security" not in terms and "council" not in terms
    # every pair is two words that are neighbours in the text (no stopword, no
    # punctuation between them): checked on the lower-cased texts
    text = " ".join(PHRASE_TEXTS).lower()
    pairs = [t for t in terms if "_" in t]
    assert pairs
    for pair in pairs:
        first, second = pair.split("_")
        assert re.search(rf"\b{first} {second}\b", text), pair


def test_prepare_topics_leaves_the_callers_settings_unchanged(un):
    import dataclasses

    settings = tk.TopicSettings(no_below=3, extra_stopwords=["iraq"])
    before = dataclasses.asdict(settings)
    prep = tk.prepare_topics(un.query("year >= 2020"), settings, no_below=7, no_above=0.9)
    assert dataclasses.asdict(settings) == before
    assert (prep.settings.no_below, prep.settings.no_above) == (7, 0.9)
    assert prep.settings.extra_stopwords == ["iraq"]
    model = tk.fit_topics(un.query("year >= 2020"), k=2, passes=1, settings=settings, no_below=8)
    assert dataclasses.asdict(settings) == before and model.settings.no_below == 8


def test_an_unknown_setting_is_named_with_the_valid_ones(un):
    with pytest.raises(tk.ParameterError, match="no_abov") as err:
        tk.prepare_topics(un, no_abov=0.3)
    assert "no_above" in str(err.value)


def test_residual_idf_by_hand():
    from toolkit.topics import residual_idf

    # equal lengths: Church & Gale's N (1 − exp(−f / N)); 50 documents, f = 20, df = 8
    got = residual_idf(np.array([8]), np.array([20]), np.full(50, 7))
    assert got[0] == pytest.approx(np.log2(50 * (1 - np.exp(-20 / 50)) / 8))
    # lengths 10 and 30 (T = 40), f = 4 found in both documents
    expected = (1 - np.exp(-4 * 10 / 40)) + (1 - np.exp(-4 * 30 / 40))
    got = residual_idf(np.array([2]), np.array([4]), np.array([10, 30]))
    assert got[0] == pytest.approx(np.log2(expected / 2))


def test_evenly_spread_words_are_removed_and_listed():
    import pandas as pd

    # 20 documents of 10 words: "steady" once in each (spread as chance spreads it),
    # "sanctions" 5 times in each of 4 (a burst), the rest words of one document
    letters = "abcdefghijklmnopqrstuvwxyz"
    texts = []
    for d in range(20):
        fill = [f"w{letters[d]}{letters[j]}x" for j in range(9)]
        words = ["steady"] + (["sanctions"] * 5 + fill[:4] if d < 4 else fill)
        texts.append(" ".join(words))
    corpus = tk.from_dataframe(pd.DataFrame({"text": texts}))
    common = dict(stopwords=None, no_below=1, no_above=1.0, residual_idf_min_repeats=5)
    prep = tk.prepare_topics(corpus, **common)
    # steady: expected in 20 (1 − e⁻¹) = 12.6 documents, found in 20: RIDF = −0.66 < 0.1,
    # and chance repeats it 20 − 12.6 = 7.4 ≥ 5 times; sanctions: RIDF = log2(12.6 / 4)
    assert prep.corpus_stopwords == ["steady"]
    assert "steady" not in prep.dictionary.token2id and "sanctions" in prep.dictionary.token2id
    # too few occurrences to tell (7.4 < 10 repeats): kept
    assert (
        tk.prepare_topics(corpus, **{**common, "residual_idf_min_repeats": 10}).corpus_stopwords
        == []
    )
    assert tk.prepare_topics(corpus, **{**common, "min_residual_idf": None}).corpus_stopwords == []
