"""Word embeddings of a sharded corpus: trained on the token stream of its shards (sentences
split by one model for the whole store), identical to those of one corpus of the same
documents."""

import numpy as np
import pytest

import toolkit as tk


@pytest.fixture(scope="module")
def one():
    return tk.load_sample().query("year >= 2012")


@pytest.fixture(scope="module")
def store(one, tmp_path_factory):
    s = tk.build_shards(one, tmp_path_factory.mktemp("s"), shard_mb=0.2, progress=False)
    assert s.n_shards >= 3
    return s


@pytest.mark.parametrize("unit", ["sentence", "document"])
def test_embeddings_of_a_store_equal_those_of_one_corpus(store, one, unit):
    options = {
        "unit": unit,
        "vector_size": 16,
        "epochs": 1,
        "seed": 3,
        "workers": 1,
        "cache": False,
        "progress": False,
    }
    got = tk.fit_embeddings(store, **options)
    want = tk.fit_embeddings(one, **options)
    assert got.terms == want.terms and len(got.terms) > 500
    assert np.array_equal(got.counts, want.counts)
    assert np.array_equal(got.kv.vectors, want.kv.vectors)
