"""Where work runs: in process, and on a real two-worker Dask LocalCluster of separate
processes, so that tasks, shards and results cross process boundaries (serialisation)."""

import os

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.engine import run_tasks, stream_tasks
from toolkit.errors import CacheError, ParameterError


def test_in_process_is_the_default():
    assert tk.get_scheduler() == "in-process"
    assert tk.set_scheduler(None) is None
    assert run_tasks(divmod, [(7, 2), (9, 4)], progress=False) == [(3, 1), (2, 1)]


def test_streamed_tasks_are_consumed_only_as_results_are_taken():
    taken = []

    def tasks():
        for i in range(5):
            taken.append(i)
            yield (i,)

    results = stream_tasks(abs, tasks(), progress=False)
    assert next(results) == 0 and taken == [0]  # in process: one task at a time


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"scheduler": "cluster"}, "scheduler must be None, 'local'"),
        ({"scheduler": 3}, "scheduler must be None, 'local'"),
        ({"scheduler": None, "n_workers": 2}, "n_workers applies only"),
        ({"scheduler": "local", "n_workers": 0}, "n_workers must be a whole number"),
    ],
)
def test_bad_scheduler_arguments_name_the_choices(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        tk.set_scheduler(**kwargs)
    assert tk.get_scheduler() == "in-process"


@pytest.fixture(scope="module")
def sample():
    return tk.load_sample()


@pytest.fixture(scope="module")
def built_here(sample, tmp_path_factory):
    """The sample's store built in this process (before the cluster starts)."""
    assert tk.get_scheduler() == "in-process"
    return tk.build_shards(sample, tmp_path_factory.mktemp("here"), shard_mb=2.3, progress=False)


@pytest.fixture(scope="module")
def local_cluster(built_here):
    """Two worker processes, made here and passed to the toolkit as a client (which
    ``set_scheduler(None)`` leaves running), so that tests in process are not affected."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as lc, Client(lc) as c:
        yield c


@pytest.fixture
def cluster(local_cluster):
    tk.set_scheduler(local_cluster)
    yield local_cluster
    tk.set_scheduler(None)


def _profiling() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


@pytest.mark.slow
def test_local_starts_two_worker_processes_and_none_stops_them():
    client = tk.set_scheduler("local", n_workers=2)
    try:
        pids = client.run(os.getpid)
        assert len(pids) == 2 and os.getpid() not in pids.values()
        # the workers do not sample their own stacks every 10 ms (the cores go to tasks)
        assert set(client.run(_profiling).values()) == {False}
        assert tk.get_scheduler() == "local (2 workers)"
    finally:
        tk.set_scheduler(None)
    assert client.status == "closed" and tk.get_scheduler() == "in-process"


@pytest.mark.slow
def test_shards_built_on_workers_equal_shards_built_in_process(
    cluster, built_here, sample, tmp_path
):
    on_workers = tk.build_shards(sample, tmp_path / "w", shard_mb=2.3, progress=False)
    here = built_here
    assert on_workers.n_shards == here.n_shards == 4
    assert on_workers.doc_ids == here.doc_ids == sample.doc_ids
    pd.testing.assert_frame_equal(on_workers.lexicon(), here.lexicon())
    pd.testing.assert_frame_equal(
        on_workers.shards.drop(columns="selected"), here.shards.drop(columns="selected")
    )


@pytest.mark.slow
def test_analyses_on_workers_equal_one_index(cluster, sample, tmp_path):
    store = tk.build_shards(sample, tmp_path / "s", shard_mb=2.3, progress=False)
    single = store.to_corpus()
    pd.testing.assert_frame_equal(
        tk.kwic(store, "nuclear", sample=40, seed=3).to_frame(),
        tk.kwic(single, "nuclear", sample=40, seed=3).to_frame(),
    )
    pd.testing.assert_frame_equal(
        tk.kwic(store, "disarmament", limit=30).to_frame(meta=True),
        tk.kwic(single, "disarmament", limit=30).to_frame(meta=True),
    )
    pd.testing.assert_frame_equal(
        tk.frequencies(store, by="country"), tk.frequencies(single, by="country")
    )
    pd.testing.assert_frame_equal(
        tk.keyness(store, by="country", target="PRK"),
        tk.keyness(single, by="country", target="PRK"),
    )
    assert store.count("north korea") == len(tk.kwic(single, "north korea"))


@pytest.mark.slow
def test_an_error_on_a_worker_reaches_the_caller_with_the_shard_named(cluster, sample, tmp_path):
    tk.build_shards(sample.take(list(range(30))), tmp_path / "s", shard_mb=0.3, progress=False)
    text = tmp_path / "s" / "shards" / "s000002" / "texts" / "text.npy"
    data = bytearray(text.read_bytes())
    data[-1] ^= 1
    text.write_bytes(bytes(data))
    with pytest.raises(CacheError, match="shard s000002"):
        tk.kwic(tk.open_shards(tmp_path / "s"), "peace")


@pytest.mark.slow
def test_layers_and_given_tokens_on_workers_equal_one_corpus(cluster, sample, tmp_path):
    # annotation layers made on the workers, kept with each shard
    part = sample.take(list(range(30)))
    store = tk.annotate(tk.build_shards(part, tmp_path / "s", shard_mb=0.3, progress=False), "stem")
    single = tk.annotate(store.to_corpus(), "stem", processes=1, progress=False)
    pd.testing.assert_frame_equal(
        tk.frequencies(tk.open_shards(tmp_path / "s"), layer="stem"),
        tk.frequencies(single, layer="stem"),
    )
    # given tokens (VRT) streamed into shards indexed on the workers
    folder = tmp_path / "vrt"
    folder.mkdir()
    for i, doc in enumerate(part.doc_ids):
        words = part.text(doc).split()
        rows = "\n".join(f"{w.replace('&', '&amp;').replace('<', '&lt;')}\tX\t{i}" for w in words)
        (folder / f"{doc}.vrt").write_text(f'<text id="{doc}">\n{rows}\n</text>\n')
    given = tk.build_shards(folder, tmp_path / "g", shard_mb=0.3, progress=False)
    assert given.pretokenized and given.n_shards > 1
    one = tk.load_vrt(folder, progress=False)
    pd.testing.assert_frame_equal(tk.frequencies(given), tk.frequencies(one))
    pd.testing.assert_frame_equal(
        tk.frequencies(given, layer="lemma", by="file"),
        tk.frequencies(one, layer="lemma", by="file"),
    )


def test_only_arguments_known_to_be_small_travel_inside_a_task():
    from toolkit.engine import _small

    assert _small(("store", "s000001", "fingerprint", 5_000, False))
    assert _small(np.arange(100)) and not _small(np.arange(100_000))
    assert not _small("x" * 100_000) and not _small(["x" * 40_000, "y" * 40_000])
    assert not _small(np.array(["a"], dtype=object))  # object arrays: size unknown
    assert not _small(object()) and not _small(pd.Series(range(3)))
    data = np.zeros(100_000)
    assert _small(len) and _small(_small) and not _small(lambda: data)  # a closure carries data
