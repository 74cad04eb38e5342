"""Folders: what is not read is named; symbolic links, FIFOs and devices never surprise."""

import os
import signal
import warnings
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import (
    BinaryFileError,
    LimitError,
    LoadError,
    SkippedFilesWarning,
    ToolkitWarning,
)

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")


@pytest.fixture
def no_hang():
    """Turn a hang into a failure after 20 seconds."""

    def alarm(signum, frame):
        raise TimeoutError("the load hung")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def load_warned(*args, **kwargs):
    """Load, returning the corpus and the SkippedFilesWarnings raised (asserting at most one)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = tk.load_folder(*args, **kwargs)
    skipped = [w for w in caught if issubclass(w.category, SkippedFilesWarning)]
    assert len(skipped) <= 1, [str(w.message) for w in skipped]
    return c, [str(w.message) for w in skipped]


def reasons(c):
    return dict(zip(c.skipped["path"], c.skipped["reason"], strict=True))


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("A", encoding="utf-8")
    return root


@needs_posix
def test_symlink_to_a_file_outside_is_skipped_and_named(tmp_path, corpus):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    os.symlink(outside / "secret.txt", corpus / "secret.txt")
    if Path("/etc/hostname").is_file():
        os.symlink("/etc/hostname", corpus / "hostname.txt")
    c, messages = load_warned(corpus)
    assert c.doc_ids == ["a"]
    why = reasons(c)
    assert "outside the folder" in why["secret.txt"] and "follow_symlinks" in why["secret.txt"]
    assert len(messages) == 1 and "secret.txt" in messages[0] and "corpus.skipped" in messages[0]
    followed, messages = load_warned(corpus, follow_symlinks=True)
    assert "secret" in followed.doc_ids and followed.text("secret") == "secret"
    assert followed.skipped.empty and not messages


@needs_posix
def test_symlinks_inside_the_folder_are_followed_once(tmp_path, corpus):
    (corpus / "real").mkdir()
    (corpus / "real" / "b.txt").write_text("B")
    os.symlink(corpus / "real" / "b.txt", corpus / "link.txt")  # a file link inside
    (corpus / ".store").mkdir()
    (corpus / ".store" / "c.txt").write_text("C")
    os.symlink(".store", corpus / "current")  # a folder link to a hidden folder inside
    os.symlink(corpus, corpus / "real" / "loop")  # a loop
    os.symlink("real", corpus / "again")  # the same folder twice
    c, _ = load_warned(corpus, id="path")
    assert sorted(c.doc_ids) == ["a.txt", "current/c.txt", "link.txt", "real/b.txt"]
    assert c.text("link.txt") == "B" and c.text("current/c.txt") == "C"
    why = reasons(c)
    assert "loop" in why["real/loop/"]
    assert "real/" in why["again/"]
    assert "hidden" in why[".store/"]


@needs_posix
def test_symlinked_folder_outside_needs_follow_symlinks(tmp_path, corpus):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "d.txt").write_text("D")
    os.symlink(elsewhere, corpus / "ext")
    c, messages = load_warned(corpus)
    assert c.doc_ids == ["a"] and "outside the folder" in reasons(c)["ext/"]
    c, _ = load_warned(corpus, follow_symlinks=True)
    assert c.doc_ids == ["a", "d"]


def test_extensions_match_in_any_case_and_other_files_are_named(corpus):
    (corpus / "B.TXT").write_text("B")
    (corpus / "c.Txt").write_text("C")
    (corpus / "README.md").write_text("about")
    c, messages = load_warned(corpus)
    assert c.doc_ids == ["B", "a", "c"]  # names in code-point order
    assert list(c.skipped["path"]) == ["README.md"]
    assert "files='*.txt'" in c.skipped["reason"].iloc[0]
    assert "README.md" in messages[0]


def test_hidden_folder_is_named_once(corpus):
    git = corpus / ".git" / "objects"
    git.mkdir(parents=True)
    for i in range(5):
        (git / f"{i}.txt").write_text("x")
    c, messages = load_warned(corpus)
    assert c.doc_ids == ["a"] and list(c.skipped["path"]) == [".git/"]


@needs_posix
def test_fifo_is_never_opened(corpus, no_hang):
    os.mkfifo(corpus / "pipe.txt")
    c, messages = load_warned(corpus)
    assert c.doc_ids == ["a"] and "FIFO" in reasons(c)["pipe.txt"]


@needs_posix
def test_endless_device_is_never_read(corpus, no_hang):
    os.symlink("/dev/zero", corpus / "zero.txt")
    c, _ = load_warned(corpus)
    assert c.doc_ids == ["a"] and "outside the folder" in reasons(c)["zero.txt"]
    c, _ = load_warned(corpus, follow_symlinks=True)
    assert c.doc_ids == ["a"] and "device" in reasons(c)["zero.txt"]


@needs_posix
def test_a_fifo_or_device_given_as_the_path_is_refused(tmp_path, no_hang):
    os.mkfifo(tmp_path / "pipe.zip")
    with pytest.raises(LoadError, match="FIFO"):
        tk.load_folder(tmp_path / "pipe.zip")
    with pytest.raises(LoadError, match="device"):
        tk.load_folder("/dev/zero")
    with pytest.raises(LoadError, match="device"):
        tk.load_table("/dev/zero")


def test_file_over_the_size_limit_is_named(corpus):
    (corpus / "big.txt").write_text("x" * 2000)
    with tk.set_options(max_file_bytes=1000):
        with pytest.raises(LimitError, match="big.txt") as err:
            tk.load_folder(corpus)
    assert err.value.option == "max_file_bytes"
    with tk.set_options(max_document_chars=1000):
        with pytest.raises(LimitError, match="big.txt") as err:
            tk.load_folder(corpus)
    assert err.value.option == "max_document_chars"


@needs_posix
def test_file_name_that_is_not_utf8_is_read_with_escapes(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("x")
    (tmp_path / "plain.txt").write_text("y")
    with pytest.warns(ToolkitWarning, match=r"caf\\xe9"):
        c = tk.load_folder(tmp_path)
    assert c.doc_ids == ["caf\\xe9", "plain"]
    assert c.text("caf\\xe9") == "x" and c.meta.loc["caf\\xe9", "file"] == "caf\\xe9.txt"
    (tmp_path / name).write_bytes(b"\x00\x01binary")
    with pytest.raises(BinaryFileError) as err:
        tk.load_folder(tmp_path)
    assert "caf\\xe9.txt" in str(err.value)
    str(err.value).encode("utf-8")  # printable: no lone surrogates


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_a_bom_are_text(tmp_path, encoding):
    text = "Καλημέρα, κόσμε — “hello”\n"
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}.get(encoding, b"")
    (tmp_path / "a.txt").write_bytes(bom + text.encode(encoding))
    c = tk.load_folder(tmp_path)
    assert c.text("a") == text
    family = encoding[:6]
    assert c.meta.loc["a", "encoding"] == family
    assert (tmp_path / "a.txt").read_bytes().decode(family) == text


def test_utf16_without_a_bom_when_named(tmp_path):
    (tmp_path / "a.txt").write_bytes("hello".encode("utf-16-le"))
    with pytest.raises(BinaryFileError):
        tk.load_folder(tmp_path)
    c = tk.load_folder(tmp_path, encodings=["utf-16-le"])
    assert c.text("a") == "hello" and c.meta.loc["a", "encoding"] == "utf-16-le"
    with pytest.raises(tk.ParameterError, match="encodings"):
        tk.load_folder(tmp_path, encodings=["no-such-codec"])


@pytest.mark.parametrize(
    "session",
    ["99999999999999999999", "٧٨", "７８", "078"],
    ids=["huge", "arabic-indic", "full-width", "leading-zero"],
)
def test_pattern_fields_that_do_not_round_trip_stay_text(tmp_path, session):
    (tmp_path / f"USA_{session}_2023.txt").write_text("x")
    c = tk.load_folder(tmp_path, name_pattern="{country}_{session}_{year}.txt")
    assert c.meta["session"].tolist() == [session]
    assert c.meta["year"].tolist() == [2023]


def test_skipped_survives_query_select_assign_and_join(corpus):
    (corpus / "b.txt").write_text("B")
    (corpus / "notes.md").write_text("n")
    c, _ = load_warned(corpus)
    expected = pd.DataFrame({"path": ["notes.md"], "reason": [reasons(c)["notes.md"]]})
    for derived in (
        c.query("doc_id == 'a'"),
        c.select(["b"]),
        c.assign(x=1),
        c.join(pd.DataFrame({"file": ["a.txt"], "y": [1]}), on="file", how="inner"),
    ):
        pd.testing.assert_frame_equal(derived.skipped, expected, check_dtype=False)
    mine = c.skipped
    mine.loc[0, "path"] = "changed"  # a copy: the corpus's list cannot be altered
    assert c.skipped["path"].tolist() == ["notes.md"]
    assert "1 file skipped" in repr(c)


def test_nothing_to_read_names_what_was_skipped(corpus):
    (corpus / "a.txt").unlink()
    (corpus / "notes.md").write_text("n")
    with pytest.raises(LoadError, match="notes.md"):
        tk.load_folder(corpus)


def test_bad_parameters_are_named(corpus):
    with pytest.raises(tk.ParameterError, match="'stem', 'path'"):
        tk.load_folder(corpus, id="name")
    with pytest.raises(tk.ParameterError, match="on_mismatch"):
        tk.load_folder(corpus, on_mismatch="skip")
    with pytest.raises(tk.ParameterError, match="name_pattern='no fields.txt' names no fields"):
        tk.load_folder(corpus, name_pattern="no fields.txt")
    with pytest.raises(tk.ParameterError, match="names a field twice") as err:
        tk.load_folder(corpus, name_pattern="{x}_{x}.txt")
    assert err.value.parameter == "name_pattern"
    with pytest.raises(LoadError, match="load_table"):
        tk.load_folder(corpus / "a.txt")


def test_commentary_folder_names_what_it_skips(tmp_path):
    (tmp_path / "c.TXT").write_text("Summary.\nRead the original article here\nTitle\nBody.\n")
    (tmp_path / "notes.md").write_text("n")
    with pytest.warns(SkippedFilesWarning, match="notes.md"):
        c = tk.load_commentary(tmp_path)
    assert c.text("c/title") == "Title" and list(c.skipped["path"]) == ["notes.md"]


def test_old_name_pattern_argument_still_works_with_a_future_warning(tmp_path):
    """``pattern=`` was the file-name pattern; it is ``name_pattern=`` since ``pattern``
    means a token pattern everywhere else (docs/glossary.md)."""
    (tmp_path / "USA_78_2023.txt").write_text("We stand.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "RUS_79_2024.txt").write_text("We speak.")
    with pytest.warns(FutureWarning, match=r"pattern= is deprecated.*use name_pattern="):
        old = tk.load_folder(tmp_path, pattern="{country}_{session}_{year}.txt")
    new = tk.load_folder(tmp_path, name_pattern="{country}_{session}_{year}.txt")
    expected = {
        "RUS_79_2024": {"country": "RUS", "session": 79, "year": 2024},
        "USA_78_2023": {"country": "USA", "session": 78, "year": 2023},
    }
    for c in (old, new):
        assert c.meta[["country", "session", "year"]].to_dict("index") == expected
    positional = tk.load_folder(tmp_path, "{country}_{session}_{year}.txt")
    assert positional.meta["year"].to_dict() == {"RUS_79_2024": 2024, "USA_78_2023": 2023}
    with pytest.raises(tk.ParameterError, match="give name_pattern= only"):
        tk.load_folder(tmp_path, pattern="{a}.txt", name_pattern="{a}.txt")


def test_load_takes_source_and_name_pattern_and_the_old_names_warn(tmp_path):
    (tmp_path / "USA_2023.txt").write_text("We stand.")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new names do not warn
        new = tk.load(source=tmp_path, name_pattern="{country}_{year}.txt")
    assert new.meta[["country", "year"]].values.tolist() == [["USA", 2023]]
    with pytest.warns(FutureWarning) as caught:
        old = tk.load(corpus=tmp_path, pattern="{country}_{year}.txt")
    messages = sorted(str(w.message) for w in caught if w.category is FutureWarning)
    assert len(messages) == 2
    assert "corpus= is deprecated" in messages[0] and "use source=" in messages[0]
    assert "pattern= is deprecated" in messages[1] and "use name_pattern=" in messages[1]
    assert old.meta[["country", "year"]].values.tolist() == [["USA", 2023]]
    with pytest.raises(tk.ParameterError, match="source='' is empty"):
        tk.load("")


def test_load_folder_warnings_point_at_the_callers_line(corpus):
    (corpus / "notes.md").write_text("n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tk.load_folder(corpus)
    (skipped,) = [w for w in caught if issubclass(w.category, SkippedFilesWarning)]
    assert skipped.filename == __file__
