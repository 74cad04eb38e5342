"""The verified cache layer shared by the token index and the topic models."""

import json
import os
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import cache
from toolkit.errors import CacheError, CacheWarning, ParameterError, ParameterTypeError

PARAMS = {"corpus": "f00d", "k": 3, "alpha": 0.25, "words": ["a", "é"]}


def fill(writer):
    writer.array("numbers", np.arange(10, dtype=np.int32))
    writer.json("names", ["a", "é", "ß"])
    writer.frame("table", pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"], name="id")))


@pytest.fixture
def entry(tmp_path):
    return cache.write_entry(tmp_path / "e", kind="demo", key="k1", params=PARAMS, fill=fill)


def open_demo(folder, **kw):
    args = dict(kind="demo", key="k1", params=PARAMS)
    return cache.open_entry(folder, **{**args, **kw})


def test_round_trip(entry):
    e = open_demo(entry)
    assert e.array("numbers").tolist() == list(range(10))
    assert e.json("names") == ["a", "é", "ß"]
    assert e.frame("table").equals(
        pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"], name="id"))
    )
    assert isinstance(open_demo(entry, mmap=True).array("numbers"), np.memmap)
    manifest = json.loads((entry / "manifest.json").read_text())
    assert manifest["key"] == "k1" and manifest["params"] == PARAMS and manifest["version"] == 1
    assert set(manifest["files"]) == {"numbers.npy", "names.json", "table.parquet"}
    for name, info in manifest["files"].items():
        assert info == {
            "size": (entry / name).stat().st_size,
            "xxh3_128": cache.file_digest(entry / name),
        }


@pytest.mark.parametrize(
    "other, match",
    [
        ({"kind": "index"}, "holds a 'demo'"),
        ({"key": "k2"}, "another key"),
        ({"params": {**PARAMS, "k": 4}}, "other parameters"),
        ({"params": {**PARAMS, "alpha": 0.250000001}}, "other parameters"),
        ({"params": {**PARAMS, "words": ["é", "a"]}}, "other parameters"),
        ({"key": None}, "does not match its parameters"),
    ],
)
def test_entry_is_refused_under_other_kind_key_or_parameters(entry, other, match):
    with pytest.raises(CacheError, match=match):
        open_demo(entry, **other)


def test_key_none_accepts_a_consistent_self_describing_entry(tmp_path):
    key = cache.content_key(PARAMS)
    folder = cache.write_entry(tmp_path / "m", kind="demo", key=key, params=PARAMS, fill=fill)
    assert cache.open_entry(folder, kind="demo", key=None).params == PARAMS


def test_every_kind_of_damage_is_detected(entry):
    (entry / "extra.json").write_text("[]")
    with pytest.raises(CacheError, match="extra"):
        open_demo(entry)
    (entry / "extra.json").unlink()
    path = entry / "numbers.npy"
    data = path.read_bytes()
    path.write_bytes(data[:-1])
    with pytest.raises(CacheError, match="bytes"):
        open_demo(entry)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, other content
    with pytest.raises(CacheError, match="digest"):
        open_demo(entry)
    path.unlink()
    with pytest.raises(CacheError, match="missing"):
        open_demo(entry)


def test_an_altered_manifest_is_detected_even_when_it_means_the_same(entry):
    path = entry / "manifest.json"
    text = path.read_text()
    path.write_text(text.replace("\n ", "\n\t", 1))  # same JSON value, other bytes
    with pytest.raises(CacheError, match="altered"):
        open_demo(entry)
    path.write_text(text.replace('"version": 1', '"version": true'))
    with pytest.raises(CacheError, match="another cache format"):
        open_demo(entry)
    path.write_text(text.replace('"version": 1', '"version": 2'))
    with pytest.raises(CacheError, match="another cache format"):
        open_demo(entry)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(value=_json, raw=st.binary(max_size=64), use_raw=st.booleans())
def test_any_manifest_content_gives_cache_error_only(tmp_path_factory, value, raw, use_raw):
    folder = tmp_path_factory.mktemp("e")
    (folder / "names.json").write_text("[]")
    (folder / "manifest.json").write_bytes(raw if use_raw else json.dumps(value).encode())
    with pytest.raises(CacheError):
        open_demo(folder)


def test_arrays_of_objects_are_never_written_or_read(tmp_path):
    def bad(writer):
        writer.array("objects", np.array([{"a": 1}], dtype=object))

    with pytest.raises(TypeError, match="objects: arrays of Python objects") as err:
        cache.write_entry(tmp_path / "e", kind="demo", key="k", params={}, fill=bad)
    assert isinstance(err.value, ParameterTypeError) and err.value.parameter == "arr"
    assert list(tmp_path.iterdir()) == []


def test_bad_file_names_and_stray_files_are_named(tmp_path):
    def bad_name(writer):
        writer.json("../up", [1])

    with pytest.raises(ParameterError, match="invalid cache file name '../up'") as err:
        cache.write_entry(tmp_path / "e", kind="demo", key="k", params={}, fill=bad_name)
    assert (err.value.parameter, err.value.value) == ("name", "../up")

    def stray(writer):
        (writer.folder / "notes.txt").write_text("x")

    with pytest.raises(ParameterError, match="unexpected file notes.txt") as err:
        cache.write_entry(tmp_path / "f", kind="demo", key="k", params={}, fill=stray)
    assert (err.value.parameter, err.value.value) == ("fill", "notes.txt")


def test_a_failed_write_keeps_the_old_entry_and_leaves_no_temporary_folder(entry, tmp_path):
    def failing(writer):
        writer.array("numbers", np.arange(3))
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        cache.write_entry(entry, kind="demo", key="k1", params=PARAMS, fill=failing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e"]
    assert open_demo(entry).array("numbers").tolist() == list(range(10))
    # a successful rewrite replaces the entry
    cache.write_entry(
        entry, kind="demo", key="k1", params=PARAMS, fill=lambda w: w.json("names", ["z"])
    )
    assert open_demo(entry).json("names") == ["z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e"]


def test_stale_temporary_folders_are_removed_but_not_young_ones_or_a_users_files(tmp_path):
    hour_ago = time.time() - 3700
    names = [".tmp-toolkit-a", ".tmp-old-style", "a" * 40 + ".tmp", ".tmp-toolkit-young"]
    for name in names:
        (tmp_path / name).mkdir()
        if name != ".tmp-toolkit-young":
            os.utime(tmp_path / name, (hour_ago, hour_ago))
    user = tmp_path / "notes.tmp"
    user.write_text("mine")
    os.utime(user, (hour_ago, hour_ago))
    removed = cache.clean_stale(tmp_path)  # outside the cache: only the toolkit's own
    assert [p.name for p in removed] == [".tmp-toolkit-a"]
    removed = cache.clean_stale(tmp_path, legacy=True)
    assert sorted(p.name for p in removed) == sorted([".tmp-old-style", "a" * 40 + ".tmp"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-toolkit-young", "notes.tmp"]


def test_load_or_build_warns_rebuilds_and_survives_a_read_only_cache(tmp_path, monkeypatch):
    built = []

    def build():
        built.append(1)
        return np.arange(4)

    args = dict(
        kind="demo",
        key="k",
        params={"n": 4},
        load=lambda e: e.array("v"),
        build=build,
        save=lambda w, v: w.array("v", v),
        what="demo value",
    )
    folder = tmp_path / "demo"
    assert cache.load_or_build(folder, **args).tolist() == [0, 1, 2, 3]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.load_or_build(folder, **args).tolist() == [0, 1, 2, 3]
    assert len(built) == 1
    (folder / "manifest.json").write_text("[]")
    with pytest.warns(CacheWarning, match="rebuilding the demo value"):
        cache.load_or_build(folder, **args)
    assert len(built) == 2

    def read_only(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache.tempfile, "mkdtemp", read_only)
    with pytest.warns(CacheWarning, match="could not save the demo value"):
        assert cache.load_or_build(tmp_path / "other", **args).tolist() == [0, 1, 2, 3]


def test_parameters_must_be_plain_json(tmp_path):
    for params in [{"s": {1, 2}}, {"x": float("nan")}, {"a": np.arange(2)}]:
        with pytest.raises((TypeError, ValueError)):
            cache.write_entry(tmp_path / "e", kind="d", key="k", params=params, fill=fill)
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_in_place_of_the_manifest_is_refused_without_opening_it(tmp_path):
    folder = tmp_path / "entry"
    folder.mkdir()
    os.mkfifo(folder / "manifest.json")
    with pytest.raises(CacheError, match="not a regular file"):
        cache.open_entry(folder, kind="demo", key="k", params={})
