"""Annotation layers of a sharded corpus: ``tk.annotate(store)`` tags every shard, each
shard keeps its layers in its own folder, the store records them, and analyses on layers
equal those of one annotated corpus of the same documents."""

import warnings

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import CacheWarning


@pytest.fixture(scope="module")
def sample():
    return tk.load_sample().query("year < 1951")


@pytest.fixture(scope="module")
def single(sample):
    c = tk.load_sample().query("year < 1951")
    return tk.annotate(c, processes=1, progress=False)


@pytest.fixture(scope="module")
def store(sample, tmp_path_factory):
    s = tk.build_shards(sample, tmp_path_factory.mktemp("s"), shard_mb=0.1, progress=False)
    assert s.n_shards >= 3
    return tk.annotate(s, progress=False)


@pytest.mark.parametrize("layer", ["lemma", "pos", "stem"])
def test_layers_of_the_shards_equal_one_annotated_corpus(store, single, layer):
    pd.testing.assert_frame_equal(
        tk.frequencies(store, layer=layer, by="country"),
        tk.frequencies(single, layer=layer, by="country"),
    )


def test_a_store_opened_again_has_its_layers(store, single):
    reopened = tk.open_shards(store.path)
    query = '[lemma="be"] [pos="ADJ"]'
    got = tk.kwic(reopened, query, match="cqp").to_frame()
    want = tk.kwic(single, query, match="cqp").to_frame()
    assert len(want) > 5
    pd.testing.assert_frame_equal(got, want)


def test_a_layer_before_annotation_is_refused_naming_annotate(sample, tmp_path):
    s = tk.build_shards(sample.take([0, 1]), tmp_path / "s", progress=False)
    with pytest.raises(tk.ParameterError, match="annotate"):
        tk.frequencies(s, layer="lemma")


def test_a_damaged_shard_layer_is_reported_and_rebuilt_by_annotate(sample, tmp_path):
    s = tk.annotate(
        tk.build_shards(sample, tmp_path / "s", shard_mb=0.1, progress=False),
        "stem",
        progress=False,
    )
    want = tk.frequencies(s, layer="stem")
    ids = tmp_path / "s" / "shards" / "s000001" / "layers" / "stem" / "ids.npy"
    data = bytearray(ids.read_bytes())
    data[-2] ^= 0xFF
    ids.write_bytes(bytes(data))
    with tk.set_options(max_open_shards=1):  # shards opened before are closed: read again
        with (
            pytest.warns(CacheWarning, match="stem layer of shard s000001 .* damaged"),
            pytest.raises(tk.ParameterError, match="no 'stem' layer"),
        ):
            tk.frequencies(tk.open_shards(tmp_path / "s"), layer="stem")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            again = tk.annotate(tk.open_shards(tmp_path / "s"), "stem", progress=False)
        assert any(issubclass(w.category, CacheWarning) for w in caught)
        pd.testing.assert_frame_equal(tk.frequencies(again, layer="stem"), want)
