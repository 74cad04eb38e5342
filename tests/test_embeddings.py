"""Word embeddings: training equals plain gensim, alignment, change scores, SIF scores, LSS."""

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gensim.models import Word2Vec

import toolkit as tk
from toolkit.cache import cache_dir
from toolkit.embeddings import procrustes_rotation

TEXTS = [
    "The alliance met in Brussels. The alliance agreed on security. Peace was the aim.",
    "Sanctions were imposed on the regime. The council debated sanctions and security.",
    "Nuclear weapons threaten peace. Disarmament is the path to security and peace.",
    "The treaty ended the war. The alliance signed the treaty. Peace followed the war.",
] * 6


@pytest.fixture(scope="module")
def toy(make):
    return make(TEXTS, year=[1980 + i for i in range(len(TEXTS))])


def write_vectors(path: Path, words, vectors) -> Path:
    lines = [f"{len(words)} {len(vectors[0])}"]
    for w, v in zip(words, vectors, strict=True):
        lines.append(w + " " + " ".join(repr(float(x)) for x in v))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- training
def test_same_model_as_plain_gensim_with_one_worker(toy):
    settings = dict(vector_size=12, window=3, min_count=2, epochs=3, seed=7)
    emb = tk.fit_embeddings(toy, workers=1, cache=False, progress=False, **settings)
    sentences = list(tk.tokens(toy, unit="sentence"))
    plain = Word2Vec(sentences=sentences, workers=1, **settings)
    assert emb.terms == list(plain.wv.index_to_key)
    assert np.array_equal(emb.kv.vectors, plain.wv.vectors)
    counts = [plain.wv.get_vecattr(t, "count") for t in emb.terms]
    assert emb.counts.tolist() == counts


def test_cache_returns_the_same_model_and_holds_no_pickle(toy):
    a = tk.fit_embeddings(toy, vector_size=8, min_count=1, epochs=2, seed=3, progress=False)
    b = tk.fit_embeddings(toy, vector_size=8, min_count=1, epochs=2, seed=3, progress=False)
    assert a.terms == b.terms and np.array_equal(a.kv.vectors, b.kv.vectors)
    entries = list((cache_dir() / "embeddings").iterdir())
    suffixes = {p.suffix for e in entries for p in e.iterdir()}
    assert suffixes <= {".npy", ".json"}
    # another seed is another entry
    c = tk.fit_embeddings(toy, vector_size=8, min_count=1, epochs=2, seed=4, progress=False)
    assert not np.array_equal(a.kv.vectors, c.kv.vectors)


def test_damaged_cache_is_rebuilt_with_a_warning(toy):
    kwargs = dict(vector_size=8, min_count=1, epochs=1, seed=11, progress=False)
    a = tk.fit_embeddings(toy, **kwargs)
    before = set((cache_dir() / "embeddings").iterdir())
    entry = next(e for e in before if (e / "vectors.npy").exists())
    for e in before:  # damage every entry: whichever is ours is refused
        (e / "vectors.npy").write_bytes((e / "vectors.npy").read_bytes()[:-4] + b"\0\0\0\1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b = tk.fit_embeddings(toy, **kwargs)
    assert any(issubclass(w.category, tk.CacheWarning) for w in caught)
    assert np.array_equal(a.kv.vectors, b.kv.vectors)
    assert entry.exists()


def test_layer_and_stream_options(toy):
    tk.annotate(toy, layers="stem", processes=1, progress=False)
    emb = tk.fit_embeddings(
        toy, layer="stem", min_count=1, vector_size=8, epochs=1, stopwords=["the"], progress=False
    )
    assert "sanction" in emb and "sanctions" not in emb and "the" not in emb
    assert emb.layer == "stem" and emb.settings["stopwords"] == ["the"]


def test_documents_longer_than_gensims_limit_are_cut_not_truncated():
    words = [f"w{i % 50}" for i in range(25_000)]
    c = tk.from_tokens([words])
    emb = tk.fit_embeddings(
        c, unit="document", min_count=1, vector_size=4, epochs=1, progress=False, cache=False
    )
    assert sum(emb.counts) == 25_000  # every token counted (gensim counts all)
    plain = Word2Vec(
        sentences=[words[:10_000], words[10_000:20_000], words[20_000:]],
        vector_size=4,
        min_count=1,
        epochs=1,
        seed=0,
        workers=1,
    )
    assert np.array_equal(emb.kv.vectors, plain.wv.vectors)


def test_errors_before_any_work(toy):
    with pytest.raises(tk.ParameterError, match="unit"):
        tk.fit_embeddings(toy, unit="paragraph")
    with pytest.raises(tk.ParameterError, match="vector_size"):
        tk.fit_embeddings(toy, vector_size=0)
    with pytest.raises(tk.ParameterError, match="workers"):
        tk.fit_embeddings(toy, workers=0)
    with pytest.raises(tk.ParameterError, match="layer"):
        tk.fit_embeddings(toy, layer="lemma")
    with pytest.raises(tk.ParameterError, match="min_count"):
        tk.fit_embeddings(toy, min_count=10_000, vector_size=4, progress=False, cache=False)


# --------------------------------------------------------------------------- the result
def test_tables_and_export(toy, tmp_path):
    emb = tk.fit_embeddings(toy, vector_size=8, min_count=1, epochs=1, progress=False)
    ms = emb.most_similar("alliance", n=3)
    kv = emb.to_keyedvectors()
    assert ms["term"].tolist() == [t for t, _ in kv.most_similar("alliance", topn=3)]
    assert ms["rank"].tolist() == [1, 2, 3]
    assert math.isclose(emb.similarity("peace", "war"), float(kv.similarity("peace", "war")))
    nb = emb.neighbours(["peace", "war"], n=2)
    assert nb.columns.tolist() == ["term", "rank", "neighbour", "similarity", "count"]
    assert emb.vectors(["peace"]).loc["peace"].to_numpy().tolist() == emb["peace"].tolist()
    with pytest.raises(tk.NotFoundError, match="zebra"):
        emb.similarity("zebra", "peace")
    for binary, name in ((False, "v.txt"), (True, "v.bin")):
        path = emb.save_word2vec(tmp_path / name, binary=binary)
        back = tk.load_embeddings(path)
        assert back.terms == emb.terms
        assert np.allclose(back.kv.vectors, emb.kv.vectors, atol=1e-6)


def test_load_embeddings_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        tk.load_embeddings(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("not a header\nx y z\n")
    with pytest.raises(tk.ParameterError, match="word2vec"):
        tk.load_embeddings(bad)


# --------------------------------------------------------------------------- alignment
def test_procrustes_recovers_a_known_rotation(tmp_path):
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(40)]
    a = rng.normal(size=(40, 6))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    q, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    b = a @ q
    assert np.allclose(procrustes_rotation(a, b), q)
    # the reference knows only 30 of the words, in another order: the rotation is found
    # on those and applied to all 40
    order = rng.permutation(30)
    emb_a = tk.load_embeddings(write_vectors(tmp_path / "a.txt", words, a))
    emb_b = tk.load_embeddings(
        write_vectors(tmp_path / "b.txt", [words[i] for i in order], b[order])
    )
    aligned = tk.align(emb_a, emb_b)
    assert aligned.settings["aligned_on"] == 30
    assert np.allclose(aligned.kv.vectors, b, atol=1e-5)


def test_alignment_keeps_similarities_inside_a_model(toy):
    a = tk.fit_embeddings(toy, vector_size=8, min_count=1, epochs=1, seed=1, progress=False)
    b = tk.fit_embeddings(toy, vector_size=8, min_count=1, epochs=1, seed=2, progress=False)
    aligned = tk.align(a, b)
    for x, y in (("peace", "war"), ("alliance", "treaty")):
        assert math.isclose(aligned.similarity(x, y), a.similarity(x, y), abs_tol=1e-5)


# --------------------------------------------------------------------------- change
def test_change_is_zero_for_identical_corpora(make):
    texts = TEXTS[:4] * 3
    c = make(texts * 2, era=["a"] * len(texts) + ["b"] * len(texts))
    pe = tk.fit_period_embeddings(
        c, by="era", vector_size=8, min_count=1, epochs=2, runs=2, processes=1, progress=False
    )
    ch = pe.change(min_count=1, n_neighbours=3)
    assert len(ch) == len(pe["a"]) and (ch["runs"] == 2).all()
    assert np.allclose(ch["cosine_distance"], 0, atol=1e-5)
    assert np.allclose(ch["neighbourhood_distance"], 0, atol=1e-5)
    assert np.allclose(ch["cosine_distance_sd"], 0, atol=1e-5)


def test_change_scores_against_a_hand_computation(tmp_path):
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(12)]
    va, vb = rng.normal(size=(12, 4)), rng.normal(size=(12, 4))
    a = tk.load_embeddings(write_vectors(tmp_path / "a.txt", words, va))
    b = tk.load_embeddings(write_vectors(tmp_path / "b.txt", words, vb))
    a.counts = b.counts = np.full(12, 100)
    # rotate a into b's space by hand, then the two measures, word by word
    ua = va / np.linalg.norm(va, axis=1, keepdims=True)
    ub = vb / np.linalg.norm(vb, axis=1, keepdims=True)
    u, _, vt = np.linalg.svd(ua.T @ ub)
    ra = ua @ (u @ vt)
    pe = tk.PeriodEmbeddings({"x": [tk.align(a, b)], "y": [tk.align(b, b)]}, "era", "seed", "y")
    ch = pe.change(min_count=1, n_neighbours=3).set_index("term")
    for i, w in enumerate(words):
        assert math.isclose(ch.loc[w, "cosine_distance"], 1 - ra[i] @ ub[i], abs_tol=1e-5)
        sa, sb = ua @ ua[i], ub @ ub[i]  # similarities inside each model
        near = set()
        for s in (sa, sb):
            order = [j for j in np.argsort(-s) if j != i]
            near |= set(order[:3])
        near = sorted(near)
        x, y = sa[near], sb[near]
        expected = 1 - x @ y / (np.linalg.norm(x) * np.linalg.norm(y))
        assert math.isclose(ch.loc[w, "neighbourhood_distance"], expected, abs_tol=1e-5)
    # the old name k= still works, with a FutureWarning naming n_neighbours=
    with pytest.warns(
        FutureWarning, match=r"PeriodEmbeddings.change: the argument k= .*n_neighbours="
    ):
        old = pe.change(min_count=1, k=3).set_index("term")
    pd.testing.assert_frame_equal(old, ch)
    top = pe.most_changed(4, pairs=[("x", "y")], min_count=1, n_neighbours=3)
    with pytest.warns(FutureWarning, match=r"most_changed: the argument k= .*n_neighbours="):
        old_top = pe.most_changed(4, pairs=[("x", "y")], min_count=1, k=3)
    pd.testing.assert_frame_equal(old_top, top)
    expected_top = ch.sort_values("cosine_distance", ascending=False).index[:4].tolist()
    assert top["term"].tolist() == expected_top
    with pytest.raises(tk.ParameterError, match="give n_neighbours= only"):
        pe.change(min_count=1, k=3, n_neighbours=3)
    # a different number of neighbours changes the neighbourhood measure, not the cosine
    wide = pe.change(min_count=1, n_neighbours=6).set_index("term").loc[ch.index]
    assert np.allclose(wide["cosine_distance"], ch["cosine_distance"])
    assert not np.allclose(wide["neighbourhood_distance"], ch["neighbourhood_distance"])


def test_period_tables_with_runs(un):
    c = un.query("year >= 1990").assign(era=lambda m: np.where(m["year"] < 2005, "1990s", "2000s"))
    pe = tk.fit_period_embeddings(
        c, by="era", runs=2, resample="bootstrap", vector_size=10, epochs=1, progress=False
    )
    assert pe.periods == ["1990s", "2000s"] and pe.runs == 2
    sim = pe.similarity("peace", "security")
    assert {"similarity", "similarity_sd", "similarity_low", "similarity_high"} <= set(sim)
    nb = pe.neighbours("security", n=4)
    assert nb.groupby("period").size().tolist() == [4, 4]
    assert nb["stability"].between(0, 1).all()
    top = pe.most_changed(5, min_count=30)
    assert len(top) == 5 and (top[["count_from", "count_to"]] >= 30).all().all()
    assert top["cosine_distance"].is_monotonic_decreasing
    tr = pe.trajectory("security", n=3)
    assert tr.query("kind == 'term'")["period"].tolist() == ["1990s", "2000s"]
    with pytest.raises(tk.ParameterError, match="by"):
        tk.fit_period_embeddings(c, by="no such column")


# --------------------------------------------------------------------------- scores
@pytest.fixture()
def toy_vectors(tmp_path):
    words = ["joy", "fear", "think", "know", "peace", "war", "the"]
    vectors = np.array(
        [
            [1.0, 0.2, 0.0],
            [0.8, -0.1, 0.3],
            [0.1, 1.0, 0.0],
            [-0.2, 0.9, 0.2],
            [0.5, 0.5, 0.5],
            [0.9, 0.0, -0.4],
            [0.1, 0.1, 0.1],
        ]
    )
    return words, vectors, tk.load_embeddings(write_vectors(tmp_path / "v.txt", words, vectors))


def test_sif_scores_equal_a_hand_computation(make, toy_vectors):
    words, vectors, emb = toy_vectors
    texts = ["the war the fear", "think the peace", "know the joy joy"]
    c = make(texts)
    vec = dict(zip(words, vectors, strict=True))
    poles = {"affect": ["joy", "fear"], "cognition": ["think", "know"]}
    out = tk.embedding_scores(c, emb, poles, measure="ratio", weights="sif", a=0.01)
    # by hand: p(w) from the corpus (pretrained vectors have no counts)
    tokens = [t.split() for t in texts]
    flat = [w for doc in tokens for w in doc]
    p = {w: flat.count(w) / len(flat) for w in set(flat)}

    def unit(v):
        return v / np.linalg.norm(v)

    centroid = {k: unit(np.mean([unit(vec[w]) for w in ws], axis=0)) for k, ws in poles.items()}
    for i, doc in enumerate(tokens):
        d = np.mean([0.01 / (0.01 + p[w]) * vec[w] for w in doc], axis=0)
        sa = unit(d) @ centroid["affect"]
        sc = unit(d) @ centroid["cognition"]
        row = out.iloc[i]
        assert math.isclose(row["similarity_affect"], sa, abs_tol=1e-6)
        assert math.isclose(row["similarity_cognition"], sc, abs_tol=1e-6)
        assert math.isclose(row["score"], (sa + 1) / (sc + 1), abs_tol=1e-6)
        assert row["scored"] == len(doc)  # every token has a vector here
    assert "tokens" not in out.columns


def test_sif_uses_training_counts_and_tfidf_weights(make, toy_vectors):
    words, vectors, emb = toy_vectors
    emb.counts = np.array([10, 20, 30, 40, 50, 60, 1000])
    vec = dict(zip(words, vectors, strict=True))
    total = emb.counts.sum()
    p = dict(zip(words, emb.counts / total, strict=True))
    c = make(["the war the fear", "think the peace"])
    out = tk.embedding_scores(c, emb, {"war": ["war"]}, weights="sif", a=0.001)
    d = sum(0.001 / (0.001 + p[w]) * vec[w] for w in "the war the fear".split())
    expected = d @ vec["war"] / (np.linalg.norm(d) * np.linalg.norm(vec["war"]))
    assert math.isclose(out["score"].iloc[0], expected, abs_tol=1e-6)
    tf = tk.embedding_scores(c, emb, {"war": ["war"]}, weights="tfidf")
    idf = {"the": 0.0, "war": math.log(2), "fear": math.log(2)}
    d = sum(idf[w] * vec[w] for w in "the war the fear".split())
    expected = d @ vec["war"] / (np.linalg.norm(d) * np.linalg.norm(vec["war"]))
    assert math.isclose(tf["score"].iloc[0], expected, abs_tol=1e-6)


def test_lss_against_lsx_formulas(make, toy_vectors):
    words, vectors, emb = toy_vectors
    vec = dict(zip(words, vectors, strict=True))

    def cos(x, y):
        return x @ y / (np.linalg.norm(x) * np.linalg.norm(y))

    # seeds: "joy" and "fear" on one side (weight 1/2 each), "think" (1) on the other
    poles = {"pos": ["joy", "fear"], "neg": ["think"]}
    pol = tk.word_polarity(emb, poles).set_index("term")["polarity"]
    g = {
        w: 0.5 * cos(vec[w], vec["joy"])
        + 0.5 * cos(vec[w], vec["fear"])
        - cos(vec[w], vec["think"])
        for w in words
    }
    for w in words:
        assert math.isclose(pol[w], g[w], abs_tol=1e-6)
    texts = ["war war peace", "know the think", "joy fear the"]
    c = make(texts)
    out = tk.embedding_scores(c, emb, poles, measure="lss")
    raw = np.array([np.mean([g[w] for w in t.split()]) for t in texts])
    z = (raw - raw.mean()) / raw.std(ddof=1)
    assert np.allclose(out["score"], z, atol=1e-6)


def test_group_scores_and_bootstrap(make, toy_vectors):
    words, vectors, emb = toy_vectors
    c = make(["war fear", "war joy", "think know", "peace"], group=["a", "a", "b", "b"])
    poles = {"affect": ["joy", "fear"], "cognition": ["think", "know"]}
    out = tk.embedding_scores(c, emb, poles, measure="difference", by="group", bootstrap=50)
    assert out["group"].tolist() == ["a", "b"] and out["units"].tolist() == [2, 2]
    # a group's vector is the mean over all its tokens (SIF from corpus frequencies)
    docs = tk.embedding_scores(c.assign(group="a"), emb, poles, measure="difference", by="group")
    assert (out["score_low"] <= out["score"] + 1e-9).all()
    assert (out["score_high"] >= out["score"] - 1e-9).all()
    assert len(docs) == 1


def test_pole_globs_and_errors(make, toy_vectors):
    _, _, emb = toy_vectors
    c = make(["war fear", "think know"])
    out = tk.embedding_scores(c, emb, {"thought": ["th*k", "kn?w"]})
    assert out["similarity_thought"].notna().all()
    with pytest.raises(tk.ParameterError, match="no word of the pole 'none'"):
        tk.embedding_scores(c, emb, {"none": ["zebra"]})
    with pytest.raises(tk.ParameterError, match="measure"):
        tk.embedding_scores(c, emb, {"a": ["war"]}, measure="cosine")
    with pytest.raises(tk.ParameterError, match="two poles"):
        tk.embedding_scores(c, emb, {"a": ["war"]}, measure="ratio")
    with pytest.raises(tk.ParameterError, match="bootstrap"):
        tk.embedding_scores(c, emb, {"a": ["war"]}, bootstrap=10)


def test_scores_for_sentences_and_several_runs(toy):
    runs = [
        tk.fit_embeddings(toy, vector_size=8, min_count=1, epochs=1, seed=s, progress=False)
        for s in (1, 2)
    ]
    out = tk.embedding_scores(toy, runs, {"p": ["peace"], "w": ["war"]}, unit="sentence")
    n_sent = len(list(tk.tokens(toy, unit="sentence")))
    assert len(out) == 2 * n_sent and set(out["run"]) == {0, 1}
    assert {"doc_id", "sentence", "year", "scored", "score"} <= set(out.columns)
    assert isinstance(out, pd.DataFrame)


def test_bundled_pole_list_and_json_files(make, toy_vectors, tmp_path):
    _, _, emb = toy_vectors
    c = make(["war fear", "think know"])
    out = tk.embedding_scores(c, emb, "affect-cognition", measure="ratio")
    assert {"similarity_affect", "similarity_cognition", "score"} <= set(out.columns)
    path = tmp_path / "poles.json"
    path.write_text('{"war": ["war"], "peace": ["peace"]}')
    assert "similarity_war" in tk.embedding_scores(c, emb, path).columns
    with pytest.raises(tk.ParameterError, match="affect-cognition"):
        tk.embedding_scores(c, emb, "no-such-list")


def test_pole_words_match_stems_on_a_stem_model(toy):
    tk.annotate(toy, layers="stem", processes=1, progress=False)
    emb = tk.fit_embeddings(toy, layer="stem", min_count=1, vector_size=8, epochs=1, progress=False)
    # "sanctions" and "imposed" are not stems; their Snowball stems are in the vocabulary
    out = tk.embedding_scores(toy, emb, {"a": ["sanctions"], "b": ["imposed", "peace"]})
    direct = tk.embedding_scores(toy, emb, {"a": ["sanction"], "b": ["impos", "peac"]})
    assert np.allclose(out["similarity_a"], direct["similarity_a"])
    assert np.allclose(out["similarity_b"], direct["similarity_b"])


def test_compounds_are_trained_as_one_term(toy):
    settings = dict(vector_size=8, window=3, min_count=1, epochs=1, seed=3, progress=False)
    emb = tk.fit_embeddings(toy, compound=["nuclear weapons"], **settings)
    assert "nuclear_weapons" in emb and "weapons" not in emb
    assert emb.settings["compound"] == ["nuclear weapons"]
    # the same model as gensim trained on the compounded stream
    sentences = list(tk.tokens(toy, unit="sentence", compound=["nuclear weapons"]))
    plain = Word2Vec(
        sentences=sentences, workers=1, vector_size=8, window=3, min_count=1, epochs=1, seed=3
    )
    assert emb.terms == list(plain.wv.index_to_key)
    assert np.array_equal(emb.kv.vectors, plain.wv.vectors)
    # a different compound list is a different model, not the cached one
    other = tk.fit_embeddings(toy, compound=["peace followed"], **settings)
    assert "peace_followed" in other and "nuclear_weapons" not in other


# --------------------------------------------------------------------------- unknown words
def _small(tmp_path, name="v.txt", words=("peace", "war", "treaty", "alliance")):
    """Four hand-made vectors, as a model trained with min_count=5 on lower-cased words."""
    vectors = np.eye(4)[: len(words)] + 0.1
    emb = tk.load_embeddings(write_vectors(tmp_path / name, list(words), vectors))
    emb.counts = np.full(len(words), 9)
    emb.settings.update(min_count=5, case_sensitive=False)
    return emb


def _no_work(monkeypatch, emb):
    """Make any use of the vectors fail: a refusal must come before any work."""

    def refuse(*args, **kwargs):
        raise AssertionError("the vectors were used before the words were checked")

    monkeypatch.setattr(emb.kv, "most_similar", refuse)
    monkeypatch.setattr(emb.kv, "similarity", refuse)
    monkeypatch.setattr(emb, "unit_vectors", refuse)


@pytest.mark.parametrize(
    ("call", "parameter", "missing"),
    [
        (lambda e: e.most_similar("unknownword"), "positive", "unknownword"),
        (lambda e: e.most_similar(["peace", "zebra"]), "positive", "zebra"),
        (lambda e: e.most_similar("peace", negative="zebra"), "negative", "zebra"),
        (lambda e: e.most_similar(["war", "qq"], negative=["peace"]), "positive", "qq"),
        (lambda e: e.similarity("zebra", "peace"), "a", "zebra"),
        (lambda e: e.similarity("peace", "zebra"), "b", "zebra"),
        (lambda e: e.neighbours(["peace", "zebra", "okapi"]), "terms", ["zebra", "okapi"]),
        (lambda e: e.vectors(["zebra", "war", "okapi"]), "terms", ["zebra", "okapi"]),
        (lambda e: e.vectors("zebra"), "terms", "zebra"),
        (lambda e: e.count("zebra"), "term", "zebra"),
        (lambda e: e["zebra"], "term", "zebra"),
    ],
)
def test_an_unknown_word_is_a_toolkit_error_naming_the_parameter(
    tmp_path, monkeypatch, call, parameter, missing
):
    emb = _small(tmp_path)
    _no_work(monkeypatch, emb)
    with pytest.raises(tk.ToolkitError) as err:
        call(emb)
    assert isinstance(err.value, tk.NotFoundError) and isinstance(err.value, KeyError)
    assert err.value.parameter == parameter and err.value.value == missing
    text = str(err.value)
    assert text.startswith(f"{parameter}={missing!r}: ")
    for word in [missing] if isinstance(missing, str) else missing:
        assert repr(word) in text
    # the hint: the size of the vocabulary (4 terms) and min_count
    assert "vocabulary" in text and "4 terms" in text and "min_count=5" in text


def test_a_word_in_another_case_is_pointed_to(tmp_path):
    emb = _small(tmp_path)
    with pytest.raises(tk.NotFoundError) as err:
        emb.most_similar("Peace")
    assert "lower case" in str(err.value) and "'peace'" in str(err.value)


def test_a_period_model_refuses_a_word_no_period_knows(tmp_path):
    # 'treaty' is known in period y only: valid; 'zebra' is known in none
    a = _small(tmp_path, "a.txt", ("peace", "war", "alliance"))
    b = _small(tmp_path, "b.txt", ("peace", "war", "treaty", "alliance"))
    pe = tk.PeriodEmbeddings({"x": [a], "y": [b]}, "era", "seed", "y")
    sims = pe.similarity("treaty", "peace")
    assert sims["similarity"].isna().tolist() == [True, False]
    for call, parameter in (
        (lambda: pe.similarity("zebra", "peace"), "a"),
        (lambda: pe.similarity("peace", "zebra"), "b"),
        (lambda: pe.neighbours(["peace", "zebra"], n=1), "terms"),
        (lambda: pe.change(["zebra"], min_count=1), "terms"),
        (lambda: pe.trajectory("zebra", n=1), "term"),
    ):
        with pytest.raises(tk.NotFoundError, match="zebra") as err:
            call()
        assert err.value.parameter == parameter and err.value.value == "zebra"
        assert str(err.value).startswith(f"{parameter}='zebra': ")
    with pytest.raises(tk.NotFoundError) as err:
        pe["z"]
    assert err.value.parameter == "period" and "['x', 'y']" in str(err.value)


# --------------------------------------------------------------------------- bad arguments
class _NoCorpusRead:
    """A corpus that must not be read: the arguments are checked first."""

    name = "unread"
    meta = property(lambda self: self._fail())
    fingerprint = property(lambda self: self._fail())

    def _fail(self):
        raise AssertionError("the corpus was read before the arguments were checked")

    def index(self, *args, **kwargs):
        self._fail()

    def __len__(self):
        self._fail()


@pytest.mark.parametrize(
    ("arguments", "valid"),
    [
        ({"vector_size": 0}, "an int in [1, inf)"),
        ({"vector_size": 2.5}, "an int in [1, inf)"),
        ({"epochs": -1}, "an int in [1, inf)"),
        ({"window": 0}, "an int in [1, inf)"),
        ({"min_count": 0}, "an int in [1, inf)"),
        ({"sample": -1}, "a number in [0, inf)"),
        ({"sample": float("nan")}, "a number in [0, inf)"),
        ({"alpha": float("inf")}, "a number in [0, inf)"),
        ({"min_alpha": -0.1}, "a number in [0, inf)"),
        ({"negative": -1}, "an int in [0, inf)"),
        ({"workers": 0}, "an int in [1, inf)"),
        ({"seed": -1}, "an int in [0, inf)"),
        ({"sg": 2}, "one of 0, 1"),
        ({"sg": 1.0}, "one of 0, 1"),
        ({"hs": True}, "one of 0, 1"),
        ({"unit": "paragraph"}, "one of 'sentence', 'document'"),
        ({"punct": "yes"}, "True or False"),
        ({"min_length": -1}, "an int in [0, inf)"),
        ({"stopwords": "en"}, "a collection of words"),
        ({"cache": 1}, "True or False"),
    ],
)
def test_fit_embeddings_names_a_bad_argument_and_its_range_before_reading(arguments, valid):
    ((name, value),) = arguments.items()
    with pytest.raises(tk.ParameterError) as err:
        tk.fit_embeddings(_NoCorpusRead(), progress=False, **arguments)
    assert err.value.parameter == name
    assert str(err.value).startswith(f"{name}={value!r} is not valid: {name} must be {valid}")


def test_no_negative_sampling_needs_hierarchical_softmax():
    with pytest.raises(tk.ParameterError) as err:
        tk.fit_embeddings(_NoCorpusRead(), hs=0, negative=0, progress=False)
    assert err.value.parameter == "negative" and "hs=1" in str(err.value)
    assert str(err.value).startswith("negative=0 is not valid")


@pytest.mark.parametrize(
    ("arguments", "valid"),
    [
        ({"vector_size": 0}, "an int in [1, inf)"),
        ({"runs": 0}, "an int in [1, inf)"),
        ({"processes": 0}, "an int in [1, inf)"),
        ({"ci": 1.5}, "a number in (0, 1)"),
        ({"resample": "jackknife"}, "one of 'seed', 'bootstrap'"),
        ({"sg": 2}, "one of 0, 1"),
    ],
)
def test_fit_period_embeddings_names_a_bad_argument_before_reading(arguments, valid):
    ((name, value),) = arguments.items()
    with pytest.raises(tk.ParameterError) as err:
        tk.fit_period_embeddings(_NoCorpusRead(), by="era", progress=False, **arguments)
    assert err.value.parameter == name
    assert str(err.value).startswith(f"{name}={value!r} is not valid: {name} must be {valid}")
