"""Topic models in the cache and on disk: verified, keyed by all they depend on, never pickled."""

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import cache, topics


@pytest.fixture(scope="module")
def recent(un):
    return tk.prepare_topics(un.query("year >= 2015"), no_below=5)


@pytest.fixture(scope="module")
def early(un):
    return tk.prepare_topics(un.query("year < 1980"), no_below=5)


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def disk_only(monkeypatch):
    """These tests are about the disk cache: models kept in memory would answer first."""
    monkeypatch.setattr(topics, "_MEMORY", type(topics._MEMORY)())
    monkeypatch.setattr(topics, "MODELS_IN_MEMORY", 0)


def entries(root):
    return sorted(p for p in (root / "topics").iterdir() if not p.name.startswith("."))


def forbid_fitting(monkeypatch):
    def fitted(*args, **kwargs):
        raise RuntimeError("fitted")

    monkeypatch.setattr(topics, "_fit", fitted)


def assert_same_model(a, b):
    assert np.array_equal(a.gensim.get_topics(), b.gensim.get_topics())
    assert a.doc_topics().equals(b.doc_topics())
    assert a.topic_terms(8).equals(b.topic_terms(8))


def reseal(folder):
    """Make the manifest match the files again: a forged, consistent-looking entry."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] = {
        p.name: {"size": p.stat().st_size, "xxh3_128": cache.file_digest(p)}
        for p in sorted(folder.iterdir())
        if p.name != "manifest.json"
    }
    (folder / "manifest.json").write_text(cache.canonical_json(manifest, indent=1))


class Planted:
    """Unpickling this creates a file: proof that pickled code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


# ----------------------------------------------------------------- entries that are not trusted
def test_model_of_another_corpus_copied_under_the_key_is_refitted(fresh, recent, early):
    expected = tk.fit_topics(recent, k=3, passes=1, seed=1, cache=False)
    tk.fit_topics(recent, k=3, passes=1, seed=1)
    (mine,) = entries(fresh)
    tk.fit_topics(early, k=4, passes=1, seed=1)
    (other,) = [p for p in entries(fresh) if p != mine]
    shutil.rmtree(mine)
    shutil.copytree(other, mine)
    with pytest.warns(tk.CacheWarning, match="rebuilding the topic model"):
        again = tk.fit_topics(recent, k=3, passes=1, seed=1)
    assert_same_model(again, expected)
    # a forgery: the other model's files under my key and parameters, manifest resealed
    theirs = json.loads((other / "manifest.json").read_text())
    ours = json.loads((mine / "manifest.json").read_text())
    assert theirs["params"] != ours["params"]
    for p in other.iterdir():
        if p.name != "manifest.json":
            shutil.copy(p, mine / p.name)
    reseal(mine)
    with pytest.warns(tk.CacheWarning, match="other topics or terms"):
        again = tk.fit_topics(recent, k=3, passes=1, seed=1)
    assert_same_model(again, expected)


def test_a_planted_pickle_never_runs(fresh, recent, tmp_path_factory):
    marker = tmp_path_factory.mktemp("marker") / "pickle-ran"
    expected = tk.fit_topics(recent, k=2, passes=1, seed=4, cache=False)
    tk.fit_topics(recent, k=2, passes=1, seed=4)
    (folder,) = entries(fresh)
    (folder / "lda.gensim").write_bytes(pickle.dumps(Planted(marker)))  # the old file name
    with pytest.warns(tk.CacheWarning, match="extra"):
        assert_same_model(tk.fit_topics(recent, k=2, passes=1, seed=4), expected)
    # a pickled object array in place of an array, with a resealed manifest
    (folder,) = entries(fresh)
    np.save(folder / "alpha.npy", np.array([Planted(marker)], dtype=object), allow_pickle=True)
    reseal(folder)
    with pytest.warns(tk.CacheWarning, match="rebuilding"):
        assert_same_model(tk.fit_topics(recent, k=2, passes=1, seed=4), expected)
    # a folder saved by an earlier version is refused, not unpickled
    old = tmp_path_factory.mktemp("old-model")
    (old / "lda.gensim").write_bytes(pickle.dumps(Planted(marker)))
    (old / "meta.pkl").write_bytes(pickle.dumps(Planted(marker)))
    (old / "model.json").write_text("{}")
    with pytest.raises(tk.CacheError, match="pickle"):
        tk.TopicModel.load(old)
    assert not marker.exists()


# ----------------------------------------------------------------- what the key depends on
def test_key_includes_the_tokeniser_version(fresh, recent, monkeypatch):
    tk.fit_topics(recent, k=2, passes=1, seed=3)
    forbid_fitting(monkeypatch)
    tk.fit_topics(recent, k=2, passes=1, seed=3)  # cached
    monkeypatch.setattr(topics, "TOKENIZER_VERSION", "a-later-tokeniser")
    with pytest.raises(RuntimeError, match="fitted"):
        tk.fit_topics(recent, k=2, passes=1, seed=3)


def test_key_includes_the_stopword_list(fresh, recent, monkeypatch):
    tk.fit_topics(recent, k=2, passes=1, seed=3)
    forbid_fitting(monkeypatch)
    bundled = topics.bundled_stopwords
    monkeypatch.setattr(topics, "bundled_stopwords", lambda name: [*bundled(name), "qqqq"])
    with pytest.raises(RuntimeError, match="fitted"):  # same corpus and settings, other list
        tk.fit_topics(recent, k=2, passes=1, seed=3)


def test_key_includes_every_training_parameter(recent):
    base = dict(k=3, seed=1, passes=2, iterations=50, alpha="auto", eta=None)
    key = cache.content_key(topics._cache_params(recent, **base))
    changes = [
        {"k": 4},
        {"seed": 2},
        {"passes": 3},
        {"iterations": 51},
        {"alpha": "symmetric"},
        {"alpha": 0.1},
        {"eta": 0.1},
        {"eta": np.full(len(recent.dictionary), 0.1)},
    ]
    keys = {cache.content_key(topics._cache_params(recent, **{**base, **c})) for c in changes}
    assert len(keys) == len(changes) and key not in keys
    other = dataclasses.replace(recent, settings=dataclasses.replace(recent.settings, no_above=0.4))
    assert cache.content_key(topics._cache_params(other, **base)) != key


KEY_SCRIPT = """
import json
from toolkit import cache, topics
settings = topics.TopicSettings(extra_stopwords={words!r})
print(cache.content_key(topics._settings_json(settings)))
"""


def test_extra_stopwords_as_a_set_give_one_key_in_every_process():
    words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
    keys = set()
    for seed in ("1", "2", "3"):
        out = subprocess.run(
            [sys.executable, "-c", KEY_SCRIPT.format(words=words)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        keys.add(out.stdout.strip())
    as_list = topics.TopicSettings(extra_stopwords=sorted(words, reverse=True))
    keys.add(cache.content_key(topics._settings_json(as_list)))
    assert len(keys) == 1


# ----------------------------------------------------------------- faithful, pickle-free storage
def test_rebuilt_model_gives_the_same_topics_and_inference(tmp_path, recent, un):
    m = tk.fit_topics(recent, k=4, passes=2, seed=7, cache=False)
    m.save(tmp_path / "m", with_doc_topics=False)
    back = tk.TopicModel.load(tmp_path / "m")
    a, b = m.gensim, back.gensim
    assert type(b).__name__ == "LdaModel" and b.num_topics == 4
    for name in ["expElogbeta", "alpha", "eta"]:
        assert np.array_equal(getattr(a, name), getattr(b, name))
        assert getattr(a, name).dtype == getattr(b, name).dtype
    assert np.array_equal(a.state.sstats, b.state.sstats)
    assert np.array_equal(a.get_topics(), b.get_topics())
    assert dict(a.id2word.token2id) == dict(b.id2word.token2id)
    assert a.id2word.cfs == b.id2word.cfs and a.id2word.dfs == b.id2word.dfs
    # inference draws from the random state, which is restored too
    theta = topics._doc_topic_matrix(b, recent.bow)
    assert np.array_equal(theta, m.doc_topics().to_numpy())
    new = un.query("year == 2016")
    assert m.transform(new).to_numpy().tolist() == back.transform(new).to_numpy().tolist()


def test_saved_model_is_pickle_free_and_verified(tmp_path, recent):
    m = tk.fit_topics(recent, k=2, passes=1, seed=2, cache=False)
    m.labels = ["war", "peace"]
    m.save(tmp_path / "m")
    names = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert all(n.endswith((".npy", ".json", ".parquet")) for n in names), names
    for n in names:
        if n.endswith(".npy"):
            assert not np.load(tmp_path / "m" / n, allow_pickle=False).dtype.hasobject
    back = tk.TopicModel.load(tmp_path / "m")
    assert back.labels == ["war", "peace"] and back.meta.equals(m.meta)
    assert back.doc_topics().equals(m.doc_topics())
    m.labels = ["a", "b"]
    m.save(tmp_path / "m")  # replaces the earlier save
    assert tk.TopicModel.load(tmp_path / "m").labels == ["a", "b"]
    path = tmp_path / "m" / "meta.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(tk.CacheError, match="digest"):
        tk.TopicModel.load(tmp_path / "m")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("my notes")
    with pytest.raises(tk.ParameterError, match="not empty"):
        m.save(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "my notes"
    with pytest.raises(FileNotFoundError):
        tk.TopicModel.load(tmp_path / "mine")


def test_failed_cache_write_leaves_no_temporary_folder(fresh, recent, monkeypatch):
    real = topics._write_lda

    def half(writer, lda):
        writer.array("alpha", lda.alpha)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(topics, "_write_lda", half)
    with pytest.warns(tk.CacheWarning, match="could not save the topic model"):
        m = tk.fit_topics(recent, k=2, passes=1, seed=8)
    assert m.k == 2
    assert list((fresh / "topics").iterdir()) == []
    monkeypatch.setattr(topics, "_write_lda", real)


_EXPECTED = {}
_FIXTURES = HealthCheck.function_scoped_fixture  # each example repairs what it breaks


@settings(max_examples=25, deadline=None, suppress_health_check=[_FIXTURES])
@given(data=st.data())
def test_any_changed_byte_of_a_cached_model_is_detected_and_refitted(fresh, recent, data):
    kwargs = dict(k=2, passes=1, seed=11)
    if "model" not in _EXPECTED:
        _EXPECTED["model"] = tk.fit_topics(recent, cache=False, **kwargs)
    expected = _EXPECTED["model"]
    tk.fit_topics(recent, **kwargs)  # an entry exists
    (folder,) = entries(fresh)
    names = sorted(p.name for p in folder.iterdir())
    path = folder / data.draw(st.sampled_from(names), label="file")
    content = bytearray(path.read_bytes())
    offset = data.draw(st.integers(0, len(content) - 1), label="offset")
    content[offset] ^= data.draw(st.integers(1, 255), label="xor")
    path.write_bytes(bytes(content))
    with pytest.warns(tk.CacheWarning, match="rebuilding the topic model"):
        again = tk.fit_topics(recent, **kwargs)
    assert_same_model(again, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_same_model(tk.fit_topics(recent, **kwargs), expected)


def test_a_model_of_two_workers_saves_and_loads_without_pickle(tmp_path, recent):
    m = tk.fit_topics(recent, k=2, passes=1, seed=5, workers=2, alpha="symmetric")
    m.save(tmp_path / "m")
    back = tk.TopicModel.load(tmp_path / "m")
    assert np.array_equal(back.gensim.get_topics(), m.gensim.get_topics())
    assert back.doc_topics().equals(m.doc_topics())


# ----------------------------------------------------------------- models kept in memory
@pytest.fixture
def memory(monkeypatch, fresh):
    monkeypatch.setattr(topics, "MODELS_IN_MEMORY", 2)
    return fresh


def test_models_in_memory_are_bounded_least_recently_used_first(memory, recent, monkeypatch):
    for seed in (1, 2, 3):
        tk.fit_topics(recent, k=3, passes=1, seed=seed)
    tk.fit_topics(recent, k=3, passes=1, seed=2)  # used again: now the most recent
    tk.fit_topics(recent, k=3, passes=1, seed=4)  # drops seed 3, the least recently used
    assert len(topics._MEMORY) == 2
    shutil.rmtree(memory / "topics")  # nothing left on disk: memory or a refit
    forbid_fitting(monkeypatch)
    for seed in (2, 4):
        tk.fit_topics(recent, k=3, passes=1, seed=seed)
    for seed in (1, 3):
        with pytest.raises(RuntimeError, match="fitted"):
            tk.fit_topics(recent, k=3, passes=1, seed=seed)


def test_a_model_from_memory_equals_one_from_disk_and_is_a_private_copy(memory, recent):
    a = tk.fit_topics(recent, k=3, passes=1, seed=9)
    shares = a.doc_topics()
    a.gensim.update(recent.bow)  # changing one copy changes no other
    b = tk.fit_topics(recent, k=3, passes=1, seed=9)  # from memory, with its shares
    topics._MEMORY.clear()
    c = tk.fit_topics(recent, k=3, passes=1, seed=9)  # from disk, shares inferred again
    assert not np.array_equal(a.gensim.get_topics(), b.gensim.get_topics())
    assert_same_model(b, c)
    assert b.doc_topics().equals(shares)


def test_no_model_is_kept_in_memory_without_the_cache(memory, recent):
    tk.fit_topics(recent, k=3, passes=1, seed=10, cache=False)
    assert len(topics._MEMORY) == 0


def test_document_topic_shares_are_cached_verified_beside_the_model(fresh, recent, monkeypatch):
    from toolkit import topics as t

    a = tk.fit_topics(recent, k=3, passes=1, seed=11)
    shares = a.doc_topics()
    (folder,) = sorted(p for p in (fresh / "topic-shares").iterdir())

    def no_inference(*args, **kwargs):
        raise RuntimeError("inferred")

    monkeypatch.setattr(t, "_doc_topic_matrix", no_inference)
    b = tk.fit_topics(recent, k=3, passes=1, seed=11)  # another process would see the same
    assert b.doc_topics().equals(shares)
    arr = folder / "doc_topics.npy"
    arr.write_bytes(arr.read_bytes()[:-8] + b"\x00" * 8)  # damaged: refused, inferred again
    with pytest.warns(tk.CacheWarning, match="document-topic shares"):
        c = tk.fit_topics(recent, k=3, passes=1, seed=11)
    with pytest.raises(RuntimeError, match="inferred"):
        c.doc_topics()
