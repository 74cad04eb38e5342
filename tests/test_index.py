"""The token index's cache: any damage is detected and rebuilt, never a crash or a wrong result."""

import json
import os
import shutil
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import cache
from toolkit import index as ix
from toolkit.index import build_index

pytestmark = pytest.mark.filterwarnings("ignore:data frame. 1 empty text")

ARRAYS = ["tokens", "char_start", "space", "doc_offsets", "postings", "post_offsets", "lower"]
SMALL = [
    "Nuclear weapons, nuclear power: the NUCLEAR age began in 1945.",
    "Peace and security… Peace again; U.S. and U.N. co-operation isn't over.",
    "",
    "Café, CAFÉ and cafe\u0301 are one word for a case-insensitive search.",
]


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache folder and an empty in-memory cache for this test only."""
    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    monkeypatch.setattr(ix, "_MEMORY", {})
    return tmp_path


def entry_of(root):
    (folder,) = [p for p in (root / "index").iterdir() if not p.name.startswith(".")]
    return folder


def reopen(corpus):
    ix._MEMORY.clear()
    return corpus.index(progress=False)


def snapshot(idx):
    out = {name: np.asarray(getattr(idx, name)).tolist() for name in ARRAYS}
    out["vocab"] = idx.vocab.tolist()
    out["lower_vocab"] = idx.lower_vocab.tolist()
    return out


def flip(path, offset, mask=0x55):
    with open(path, "r+b") as fh:
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ mask]))


def reseal(folder):
    """Rewrite the manifest to match the files: a consistent-looking entry (a forgery)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in manifest["files"]:
        path = folder / name
        manifest["files"][name] = {"size": path.stat().st_size, "xxh3_128": cache.file_digest(path)}
    (folder / "manifest.json").write_text(cache.canonical_json(manifest, indent=1))


# ----------------------------------------------------------------- whole-content digests
@pytest.mark.parametrize("name", ["tokens.npy", "char_start.npy", "postings.npy"])
def test_damage_in_the_middle_of_an_array_is_detected(un, fresh, name):
    before = tk.kwic(un, "nuclear").to_frame()
    path = entry_of(fresh) / name
    size = path.stat().st_size
    assert size > 3 * 2**20  # the middle lies outside the first and last MiB
    for offset in range(size // 2, size // 2 + 4):
        flip(path, offset)
    ix._MEMORY.clear()
    with pytest.warns(tk.CacheWarning, match="rebuilding the token index"):
        after = tk.kwic(un, "nuclear").to_frame()
    pd.testing.assert_frame_equal(after, before)
    assert isinstance(reopen(un).index.tokens, np.memmap)  # the rebuilt entry is good


def test_shifted_lower_case_vocabulary_is_detected(un, fresh):
    assert len(tk.kwic(un, "nuclear")) == 3523
    path = entry_of(fresh) / "lower_vocab.json"
    words = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(words[1:] + words[:1], ensure_ascii=False), encoding="utf-8")
    ix._MEMORY.clear()
    with pytest.warns(tk.CacheWarning, match="rebuilding"):
        assert len(tk.kwic(un, "nuclear")) == 3523


@pytest.mark.parametrize(
    "text",
    ["[]", "null", "1", '"manifest"', "{}", '{"files": []}', '{"files": {"tokens.npy": 3}}', "{"],
)
def test_malformed_manifest_is_rebuilt(make, fresh, text):
    c = make(SMALL)
    expected = snapshot(c.index().index)
    (entry_of(fresh) / "manifest.json").write_text(text)
    with pytest.warns(tk.CacheWarning, match="rebuilding"):
        assert snapshot(reopen(c).index) == expected


FIXTURE_CHECK = HealthCheck.function_scoped_fixture  # each example resets what it changes
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[FIXTURE_CHECK])
@given(value=_json, keep_files=st.booleans())
def test_a_manifest_of_any_json_shape_is_rebuilt(make, fresh, value, keep_files):
    c = make(SMALL)
    expected = snapshot(reopen(c).index)
    path = entry_of(fresh) / "manifest.json"
    if keep_files and isinstance(value, dict):  # a plausible manifest with wrong fields
        value = {**json.loads(path.read_text()), **value}
    path.write_text(json.dumps(value))
    with pytest.warns(tk.CacheWarning, match="rebuilding"):
        assert snapshot(reopen(c).index) == expected


def _set(name, fn):
    def forge(folder):
        path = folder / f"{name}.npy"
        arr = np.load(path, allow_pickle=False)
        np.save(path, fn(arr.copy()), allow_pickle=True)

    return forge


def _vocab(fn):
    def forge(folder):
        path = folder / "vocab.json"
        path.write_text(json.dumps(fn(json.loads(path.read_text()))))

    return forge


def _bump(a, i, v):
    a[i] = v
    return a


FORGERIES = {
    "posting out of range": _set("postings", lambda a: _bump(a, 3, 10**6)),
    "negative posting": _set("postings", lambda a: _bump(a, 0, -1)),
    "token id out of range": _set("tokens", lambda a: _bump(a, 2, 10**6)),
    "lower id out of range": _set("lower", lambda a: _bump(a, 0, 10**6)),
    "document offsets not monotone": _set("doc_offsets", lambda a: _bump(a, 1, a[-1] + 5)),
    "last document offset": _set("doc_offsets", lambda a: _bump(a, -1, a[-1] - 1)),
    "too few documents": _set("doc_offsets", lambda a: a[:-1]),
    "posting offsets not monotone": _set("post_offsets", lambda a: _bump(a, 2, 10**6)),
    "last posting offset": _set("post_offsets", lambda a: _bump(a, -1, a[-1] + 1)),
    "negative character offset": _set("char_start", lambda a: _bump(a, 1, -7)),
    "float tokens": _set("tokens", lambda a: a.astype(float)),
    "two-dimensional tokens": _set("tokens", lambda a: a.reshape(1, -1)),
    "short space array": _set("space", lambda a: a[:-1]),
    "pickled object array": _set("lower", lambda a: a.astype(object)),
    "short vocabulary": _vocab(lambda v: v[:-1]),
    "vocabulary with a number": _vocab(lambda v: [*v[:-1], 7]),
    "vocabulary of numbers": _vocab(lambda v: list(range(len(v)))),
    "vocabulary not a list": _vocab(lambda v: {"a": v}),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_consistent_looking_but_wrong_entries_are_rebuilt(make, fresh, forgery):
    """A forged entry whose manifest matches its files fails the structural checks."""
    c = make(SMALL)
    expected = snapshot(c.index().index)
    folder = entry_of(fresh)
    FORGERIES[forgery](folder)
    reseal(folder)
    with pytest.warns(tk.CacheWarning, match="rebuilding"):
        view = reopen(c)
    assert snapshot(view.index) == expected
    assert tk.kwic(c, "nuclear").to_frame()["keyword"].tolist() == ["Nuclear", "nuclear", "NUCLEAR"]


def test_extra_and_missing_files_are_detected(make, fresh):
    c = make(SMALL)
    expected = snapshot(c.index().index)
    folder = entry_of(fresh)
    (folder / "lda.gensim").write_bytes(b"planted")
    with pytest.warns(tk.CacheWarning, match="extra"):
        assert snapshot(reopen(c).index) == expected
    (entry_of(fresh) / "space.npy").unlink()
    with pytest.warns(tk.CacheWarning, match="missing"):
        assert snapshot(reopen(c).index) == expected


_BYTE_CORPUS = ["Nuclear energy and nuclear weapons.", "Peace, peace… and security!", "é"]


@settings(max_examples=60, deadline=None, suppress_health_check=[FIXTURE_CHECK])
@given(data=st.data())
def test_any_changed_byte_of_any_file_is_detected_and_rebuilt(make, fresh, data):
    c = make(_BYTE_CORPUS)
    reopen(c)  # a valid entry exists (built on the first example)
    folder = entry_of(fresh)
    names = sorted(p.name for p in folder.iterdir())
    name = data.draw(st.sampled_from(names), label="file")
    size = (folder / name).stat().st_size
    offset = data.draw(st.integers(0, size - 1), label="offset")
    flip(folder / name, offset, data.draw(st.integers(1, 255), label="xor"))
    with pytest.warns(tk.CacheWarning, match="rebuilding the token index"):
        view = reopen(c)
    assert snapshot(view.index) == snapshot(build_index(c.texts(), progress=False))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = reopen(c)  # the rebuilt entry verifies without a warning
    assert isinstance(again.index.tokens, np.memmap)


def test_index_of_other_texts_copied_under_the_key_is_rebuilt(make, fresh):
    a, b = make(["one text here"]), make(["another text, longer than the first one"])
    a.index()
    b.index()
    ka, kb = ix.index_key(a), ix.index_key(b)
    root = fresh / "index"
    shutil.rmtree(root / ka)
    shutil.copytree(root / kb, root / ka)
    with pytest.warns(tk.CacheWarning, match="another key"):
        view = reopen(a)
    assert view.index.vocab[view.index.tokens].tolist() == ["one", "text", "here"]


# ----------------------------------------------------------------- temporary folders
def test_failed_save_leaves_no_temporary_folder(make, fresh, monkeypatch):
    c = make(SMALL)
    calls = []

    def failing_save(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_save(*args, **kwargs)

    real_save = np.save
    monkeypatch.setattr(np, "save", failing_save)
    with pytest.warns(tk.CacheWarning, match="could not save"):
        view = c.index()
    assert view.index.n_tokens > 0
    assert list((fresh / "index").iterdir()) == []


def test_stale_temporary_folders_are_removed_on_the_next_save(make, fresh):
    root = fresh / "index"
    root.mkdir()
    old_tmp = [root / ".tmp-toolkit-killed", root / ".tmp-3k2j1", root / ("ab" * 20 + ".tmp")]
    for p in old_tmp:
        p.mkdir()
        (p / "tokens.npy").write_bytes(b"x" * 100)
        os.utime(p, (time.time() - 7200, time.time() - 7200))
    young = root / ".tmp-toolkit-writing"
    young.mkdir()
    make(SMALL).index()
    left = sorted(p.name for p in root.iterdir())
    assert left == sorted([young.name, ix.index_key(make(SMALL))])


# ----------------------------------------------------------------- exactness of the build
def thue_morse(n):
    return "".join("ab"[bin(i).count("1") % 2] for i in range(2**n))


def poly_hash(s):
    p = int(ix._P)
    return sum(ord(ch) * pow(p, i, 2**64) for i, ch in enumerate(s)) % 2**64


def test_thue_morse_chunks_collide_in_the_hash_but_stay_distinct(monkeypatch):
    a = thue_morse(11)
    b = a.translate(str.maketrans("ab", "ba"))
    assert a != b and len(a) == len(b) and poly_hash(a) == poly_hash(b)  # a true collision
    cases = [[f"{a} {b}"], [a, b], [b, a, b, a], [f"x {a}.", f"y {b}."], [a, "filler " * 50, b]]
    for batch in (4_000_000, 30):
        monkeypatch.setattr(ix, "_BATCH_CHARS", batch)
        for texts in cases:
            idx = build_index(texts, progress=False)
            for d, text in enumerate(texts):
                s, e = idx.doc_offsets[d], idx.doc_offsets[d + 1]
                assert idx.vocab[idx.tokens[s:e]].tolist() == tk.tokenize(text)
            assert len(idx.vocab) == len(set(idx.vocab.tolist()))


_alphabet = st.sampled_from(list("ab’'.,-n t\n\u00a0\u3000U.S.1:_é—…()") + ["\u2028"])


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(_alphabet, max_size=60), min_size=1, max_size=5),
    window=st.integers(1, 12),
    batch=st.integers(1, 40),
)
def test_windows_and_batches_give_the_reference_tokens(texts, window, batch):
    """Long texts are cut into windows at white space; chunks longer than a window are
    handled whole; every cut gives exactly tokenize()'s tokens and spans."""
    from unittest import mock

    from toolkit.tokenize import tokenize_spans

    with mock.patch.object(ix, "_WINDOW", window), mock.patch.object(ix, "_BATCH_CHARS", batch):
        idx = build_index(texts, progress=False)
    ref = build_index(texts, progress=False)
    for d, text in enumerate(texts):
        s, e = idx.doc_offsets[d], idx.doc_offsets[d + 1]
        toks, starts, space = tokenize_spans(text)
        assert idx.vocab[idx.tokens[s:e]].tolist() == toks
        assert idx.char_start[s:e].tolist() == starts.tolist()
        assert idx.space[s:e].tolist() == space.tolist()
    assert ref.vocab[ref.tokens].tolist() == idx.vocab[idx.tokens].tolist()


def test_documents_over_the_limit_raise_limit_error():
    with tk.set_options(max_document_chars=1000):
        build_index(["word " * 200], progress=False)  # exactly 1,000 characters: fine
        with pytest.raises(tk.LimitError) as err:
            build_index(["short", "word " * 200 + "!"], progress=False)
    assert err.value.option == "max_document_chars"


def test_case_insensitive_forms_are_normalised():
    idx = build_index(["Café CAFÉ cafe\u0301 Cafe\u0301"], progress=False)
    assert len(idx.vocab) == 4
    assert idx.lower_vocab.tolist() == ["café"]
    assert idx.lower.tolist() == [0, 0, 0, 0]


MEMORY_SCRIPT = r"""
import ctypes, gc, json, os, sys
import toolkit as tk
from toolkit.index import build_index

def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

def hwm():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024

n = int(sys.argv[1])
sample = " ".join(tk.load_sample("un-debates-asia").texts())
big = " ".join([sample] * (n // len(sample) + 1))[:n]
del sample
gc.collect()
build_index(["warm up the imports"], progress=False)
before = rss()
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
idx = build_index([big], progress=False)
peak = hwm()
with_index = rss()
n_tokens = idx.n_tokens
del idx
gc.collect()
ctypes.CDLL("libc.so.6").malloc_trim(0)  # freed memory back to the system, to measure it
print(json.dumps({"chars": len(big), "before": before, "peak": peak,
                  "with_index": with_index, "after": rss(), "tokens": n_tokens}))
"""


@pytest.mark.slow
def test_one_huge_document_is_indexed_in_bounded_memory(tmp_path):
    """Peak memory of indexing one 32-million-character document, beyond what the process
    held before (the text included), stays within 4 bytes per character, and nothing
    stays allocated once the index is dropped (no tables grow with the longest text)."""
    import subprocess
    import sys

    if not os.path.exists("/proc/self/clear_refs"):
        pytest.skip("needs Linux's /proc to measure peak memory")
    script = tmp_path / "memory.py"
    script.write_text(MEMORY_SCRIPT)
    out = subprocess.run(
        [sys.executable, str(script), str(32_000_000)], capture_output=True, text=True, check=True
    )
    m = json.loads(out.stdout.strip().splitlines()[-1])
    grown = m["peak"] - m["before"]
    assert grown <= 4 * m["chars"], m
    assert m["with_index"] - m["before"] <= 3 * m["chars"], m
    assert m["after"] - m["before"] <= 0.5 * m["chars"], m
