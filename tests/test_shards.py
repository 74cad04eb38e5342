"""Sharded corpora: the store (build, open, add, verify), streaming sources, selections,
and KWIC and counting on shards, each compared with one index of the same documents."""

import tarfile
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import CacheError, CacheWarning, LoadError, ParameterError


@pytest.fixture(scope="module")
def sample():
    return tk.load_sample()


@pytest.fixture(scope="module")
def store(sample, tmp_path_factory):
    s = tk.build_shards(sample, tmp_path_factory.mktemp("store"), shard_mb=2.3, progress=False)
    assert s.n_shards == 4
    return s


@pytest.fixture(scope="module")
def by_decade(sample, tmp_path_factory):
    c = sample.assign(decade=lambda m: m["year"] // 10 * 10)
    return tk.build_shards(c, tmp_path_factory.mktemp("dec"), by="decade", progress=False)


def _type_counts(corpus):
    idx = corpus.index().index
    return pd.Series(np.asarray(idx.counts), index=idx.vocab.astype(str))


# --------------------------------------------------------------------------- the store
def test_store_holds_every_document_exactly(sample, store):
    assert len(store) == len(sample) and store.doc_ids == sample.doc_ids
    pd.testing.assert_frame_equal(store.meta, sample.meta)
    assert store.to_corpus().fingerprint == sample.fingerprint  # ids and texts, byte for byte
    doc = sample.doc_ids[200]
    assert store.text(doc) == sample.text(doc)
    assert store.n_tokens == sample.index().n_tokens
    assert store.shards["n_docs"].sum() == len(sample)


def test_lexicon_is_the_sum_of_the_shards_counts(sample, store):
    lex = store.lexicon().set_index("type")["count"]
    single = _type_counts(sample)
    assert lex.sort_index().equals(single.sort_index())


def test_split_by_key_keeps_values_apart_and_a_query_reads_only_their_shards(by_decade, sample):
    shards = by_decade.shards
    assert shards["key"].tolist() == sorted(set(sample.meta["year"] // 10 * 10))
    for key, n in zip(shards["key"], shards["n_docs"], strict=True):
        assert n == int((sample.meta["year"] // 10 * 10 == key).sum())
    sel = by_decade.query("decade == 1980")
    assert sel.n_shards == 1 and len(sel) == int((sample.meta["year"] // 10 == 198).sum())
    # corpus order is shard order: grouped by decade, source order within
    expected = sample.meta.assign(d=sample.meta["year"] // 10).sort_values("d", kind="stable")
    assert by_decade.doc_ids == expected.index.tolist()


def test_added_shards_leave_the_others_untouched(sample, tmp_path):
    early, late = sample.query("year < 1990"), sample.query("year >= 1990")
    s = tk.build_shards(early, tmp_path / "s", shard_mb=3, progress=False)
    before = {
        p.relative_to(tmp_path): p.read_bytes()
        for p in (tmp_path / "s" / "shards").rglob("*")
        if p.is_file()
    }
    vocab_before = s.vocab.tolist()
    grown = s.add(late, shard_mb=3, progress=False)
    for rel, data in before.items():
        assert (tmp_path / rel).read_bytes() == data, rel
    assert grown.vocab.tolist()[: len(vocab_before)] == vocab_before  # ids stay valid
    assert grown.n_shards > s.n_shards and len(grown) == len(sample)
    both = tk.from_dataframe(
        pd.DataFrame({"text": list(early.texts()) + list(late.texts())}).set_axis(
            early.doc_ids + late.doc_ids
        ),
    )
    assert (
        grown.lexicon()
        .set_index("type")["count"]
        .sort_index()
        .equals(_type_counts(both).sort_index())
    )
    assert tk.open_shards(tmp_path / "s").count("peace") == len(tk.kwic(both, "peace"))
    with pytest.raises(LoadError, match="duplicate document ids"):
        grown.add(late.take([0]), progress=False)


# --------------------------------------------------------------------------- sources
def _texts(n=6):
    return {f"doc{i}": f"Text number {i}: peace and security, item {i}." for i in range(n)}


def test_folder_archives_and_tables_stream_into_the_same_store(tmp_path):
    docs = _texts()
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, text in docs.items():
        (folder / f"{name}_2001.txt").write_text(text, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        for name, text in docs.items():
            zf.writestr(f"texts/{name}.txt", text)
    with tarfile.open(tmp_path / "a.tar.gz", "w:gz") as tf:
        for name in docs:
            tf.add(folder / f"{name}_2001.txt", arcname=f"t/{name}.txt")
    frame = pd.DataFrame({"id": list(docs), "body": list(docs.values())})
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_parquet(tmp_path / "t.parquet", row_group_size=2)
    frame.to_json(tmp_path / "t.jsonl", orient="records", lines=True)
    expected = sorted(docs.values())
    made = {
        "folder": tk.build_shards(
            folder,
            tmp_path / "s1",
            name_pattern="{name}_{year}.txt",
            shard_mb=0.00004,
            progress=False,
        ),
        "zip": tk.build_shards(tmp_path / "a.zip", tmp_path / "s2", progress=False),
        "tar": tk.build_shards(tmp_path / "a.tar.gz", tmp_path / "s3", progress=False),
    }
    for fmt in ("csv", "parquet", "jsonl"):
        made[fmt] = tk.build_shards(
            tmp_path / f"t.{fmt}", tmp_path / f"s{fmt}", text="body", id="id", progress=False
        )
    for kind, s in made.items():
        texts = sorted(s.to_corpus().texts())
        assert texts == expected, kind
        assert len(s) == len(docs), kind
    assert made["folder"].n_shards == len(docs)  # 40 bytes a shard: one file per shard
    assert made["folder"].meta["year"].tolist() == [2001] * len(docs)
    assert made["parquet"].doc_ids == list(docs)


def test_bad_sources_and_arguments_are_refused_with_the_value_at_fault(sample, tmp_path):
    with pytest.raises(ParameterError, match="shard_mb"):
        tk.build_shards(sample, tmp_path / "x", shard_mb=0)
    with pytest.raises(ParameterError, match="no metadata column 'decade'"):
        tk.build_shards(sample, tmp_path / "y", by="decade", progress=False)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(ParameterError, match="not empty and not a store"):
        tk.build_shards(sample, tmp_path / "busy", progress=False)
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"
    with pytest.raises(ParameterError, match="text"):
        pd.DataFrame({"a": ["x"]}).to_csv(tmp_path / "t.csv", index=False)
        tk.build_shards(tmp_path / "t.csv", tmp_path / "z", progress=False)
    with pytest.raises(ParameterError, match="holds no sharded corpus"):
        tk.open_shards(tmp_path)


def test_an_existing_store_is_replaced_only_when_asked(sample, tmp_path):
    small = sample.take([0, 1, 2])
    tk.build_shards(small, tmp_path / "s", progress=False)
    with pytest.raises(ParameterError, match="already holds a store"):
        tk.build_shards(small, tmp_path / "s", progress=False)
    again = tk.build_shards(sample.take([3, 4]), tmp_path / "s", overwrite=True, progress=False)
    assert again.doc_ids == sample.take([3, 4]).doc_ids


# --------------------------------------------------------------------------- verification
def _small_store(sample, folder):
    return tk.build_shards(sample.take(list(range(40))), folder, shard_mb=0.2, progress=False)


def test_damaged_shard_texts_raise_an_error_naming_the_shard(sample, tmp_path):
    _small_store(sample, tmp_path / "s")
    text = tmp_path / "s" / "shards" / "s000001" / "texts" / "text.npy"
    data = bytearray(text.read_bytes())
    data[-5] ^= 1
    text.write_bytes(bytes(data))
    reopened = tk.open_shards(tmp_path / "s")
    with pytest.raises(CacheError, match="shard s000001 .* damaged"):
        tk.kwic(reopened, "the")


def test_a_damaged_shard_index_is_rebuilt_from_its_texts(sample, tmp_path):
    s = _small_store(sample, tmp_path / "s")
    expected = tk.kwic(s.to_corpus(), "peace").to_frame()
    tokens = tmp_path / "s" / "shards" / "s000000" / "index" / "tokens.npy"
    data = bytearray(tokens.read_bytes())
    data[-3] ^= 0xFF
    tokens.write_bytes(bytes(data))
    reopened = tk.open_shards(tmp_path / "s")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = tk.kwic(reopened, "peace").to_frame()
    assert any(issubclass(w.category, CacheWarning) for w in caught)
    pd.testing.assert_frame_equal(got, expected)


def test_a_damaged_catalog_is_refused(sample, tmp_path):
    _small_store(sample, tmp_path / "s")
    vocab = tmp_path / "s" / "catalog" / "vocab.json"
    vocab.write_text(vocab.read_text().replace('"peace"', '"PEACE"', 1))
    with pytest.raises(CacheError):
        tk.open_shards(tmp_path / "s")


# --------------------------------------------------------------------------- kwic and counts
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"limit": 25},
        {"limit": 0},
        {"sample": 30, "seed": 4},
        {"sample": 10**6},
        {"window": 12, "case_sensitive": True},
        {"match": "regex", "limit": 100},
    ],
)
def test_kwic_on_shards_equals_one_index(store, kwargs):
    pattern = "^nucl" if kwargs.get("match") == "regex" else "nuclear*"
    single = store.to_corpus()
    got = tk.kwic(store, pattern, **kwargs)
    want = tk.kwic(single, pattern, **kwargs)
    assert len(got) == len(want)
    pd.testing.assert_frame_equal(got.to_frame(meta=True), want.to_frame(meta=True))
    if "limit" not in kwargs:
        plain = {k: v for k, v in kwargs.items() if k not in ("sample", "seed")}
        assert got.total == len(tk.kwic(single, pattern, **plain))


def test_kwic_of_a_selection_and_of_a_key_split_store(store, by_decade):
    single = store.to_corpus()
    got = tk.kwic(store.query("year >= 1990"), "north korea", window=3)
    want = tk.kwic(single.query("year >= 1990"), "north korea", window=3)
    pd.testing.assert_frame_equal(got.to_frame(), want.to_frame())
    dec = by_decade.to_corpus()
    pd.testing.assert_frame_equal(
        tk.kwic(by_decade, "disarmament", limit=50).to_frame(),
        tk.kwic(dec, "disarmament", limit=50).to_frame(),
    )


def test_kwic_limit_stops_at_the_shard_that_completes_it(store):
    conc = tk.kwic(store, "the", limit=5)
    assert len(conc) == 5 and conc.total is None  # the other shards were not searched
    assert set(conc.to_frame()["doc_id"]) <= set(store.doc_ids[: store.shards["n_docs"][0]])


def test_kwic_arguments_are_checked_before_any_shard_is_read(store):
    with pytest.raises(ParameterError, match="limit or sample"):
        tk.kwic(store, "peace", limit=3, sample=3)
    with pytest.raises(ParameterError, match="limit"):
        tk.kwic(store, "peace", limit=-1)


def test_concordance_html_of_shards_is_escaped(tmp_path):
    c = tk.from_dataframe(pd.DataFrame({"text": ["<script>alert(1)</script> peace & war"]}))
    s = tk.build_shards(c, tmp_path / "s", progress=False)
    html = tk.kwic(s, "peace")._repr_html_()
    assert "</script>" not in html and "&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "pattern,kwargs",
    [
        ("the", {}),
        ("The", {"case_sensitive": True}),
        ("nuclear*", {}),
        (["peace", "war"], {}),
        ("north korea", {}),
        ('"nuclear" "weapons?"', {"match": "cqp"}),
    ],
)
def test_count_equals_the_number_of_kwic_lines(store, pattern, kwargs):
    single = store.to_corpus()
    assert store.count(pattern, **kwargs) == len(tk.kwic(single, pattern, **kwargs))
    sel = store.query("year < 1980")
    assert sel.count(pattern, **kwargs) == len(
        tk.kwic(single.query("year < 1980"), pattern, **kwargs)
    )


def test_map_checks_one_value_per_shard(store):
    with pytest.raises(ParameterError, match="one value per shard"):
        store.map(len, each=[1, 2], progress=False)
    assert store.map(len, progress=False) == store.shards["n_docs"].tolist()


def test_topic_model_of_a_store_is_fitted_on_a_stated_seeded_sample(store):
    a = tk.fit_topics(store, k=3, passes=1, seed=5, sample=120, cache=False)
    b = tk.fit_topics(store, k=3, passes=1, seed=5, sample=120, cache=False)
    assert a.trained_on.startswith("a seeded random sample (seed 5) of 120 of the 371")
    assert len(a.meta) == 120 and a.meta.index.tolist() == b.meta.index.tolist()
    assert set(a.meta.index) <= set(store.doc_ids)
    shares = a.transform(store)
    assert shares.index.tolist() == store.doc_ids and shares.shape[1] == 3
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-6)
    with pytest.raises(ParameterError, match="sample"):
        tk.fit_topics(store, k=3, sample=1)


def test_sample_is_seeded_and_stratified(store):
    part = store.sample(37, by="country", seed=3)
    assert part.doc_ids == store.sample(37, by="country", seed=3).doc_ids
    sizes = store.meta["country"].value_counts()
    got = part.meta["country"].value_counts()
    for country, size in sizes.items():  # each group within one of its exact share
        assert abs(got.get(country, 0) - 37 * size / len(store)) < 1
    assert len(store.sample(10**6)) == len(store)
