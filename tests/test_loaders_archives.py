"""Archives: limits are checked before inflating, inflation is capped, and every error
names the archive (and the member)."""

import bz2
import gzip
import io
import random
import struct
import tarfile
import zipfile

import pytest

import toolkit as tk
from toolkit.errors import ArchiveError, LimitError, LoadError, SkippedFilesWarning

MiB = 2**20


def make_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def make_tar(path, members, mode="w:gz"):
    with tarfile.open(path, mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(data, tuple):  # (type, linkname)
                info.type, info.linkname = data
                tf.addfile(info)
            else:
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    return path


def patch_zip_header(path, offset_in_cd, offset_in_local, fmt, value):
    """Overwrite a field of the (only) member's central and local headers."""
    data = bytearray(path.read_bytes())
    for sig, off in ((b"PK\x01\x02", offset_in_cd), (b"PK\x03\x04", offset_in_local)):
        at = data.index(sig) + off
        data[at : at + struct.calcsize(fmt)] = struct.pack(fmt, value)
    path.write_bytes(bytes(data))


@pytest.fixture
def inflated(monkeypatch):
    """Count the bytes that zip and gzip streams hand out."""
    count = {"bytes": 0}
    for cls in (zipfile.ZipExtFile, gzip.GzipFile):
        original = cls.read

        def read(self, *args, _original=original, **kwargs):
            data = _original(self, *args, **kwargs)
            count["bytes"] += len(data)
            return data

        monkeypatch.setattr(cls, "read", read)
    return count


def test_zip_bomb_is_refused_before_inflating(tmp_path, inflated):
    arc = make_zip(tmp_path / "bomb.zip", {"a.txt": b"fine", "bomb.txt": bytes(64 * MiB)})
    assert arc.stat().st_size < MiB
    with tk.set_options(max_file_bytes=4 * MiB, max_archive_bytes=8 * MiB):
        with pytest.raises(LimitError, match="bomb.zip!bomb.txt") as err:
            tk.load_folder(arc)
    assert err.value.option == "max_file_bytes"
    assert inflated["bytes"] == 0
    with tk.set_options(max_file_bytes=128 * MiB, max_archive_bytes=8 * MiB):
        with pytest.raises(LimitError, match="bomb.zip") as err:
            tk.load_folder(arc)
    assert err.value.option == "max_archive_bytes" and inflated["bytes"] == 0
    with pytest.raises(LimitError, match="bomb.txt") as err:  # default limits: the ratio
        tk.load_folder(arc)
    assert err.value.option == "max_archive_ratio" and inflated["bytes"] == 0


def test_zip_member_bigger_than_declared_is_capped(tmp_path, inflated):
    arc = make_zip(tmp_path / "liar.zip", {"a.txt": b"x" * (4 * MiB)})
    patch_zip_header(arc, 24, 22, "<I", 1000)  # declared uncompressed size: 1000 bytes
    with pytest.raises(ArchiveError, match="liar.zip!a.txt"):
        tk.load_folder(arc)
    assert inflated["bytes"] <= 1000


def test_bz2_zip_member_bigger_than_declared_is_capped(tmp_path):
    arc = make_zip(tmp_path / "liar.zip", {"a.txt": bytes(32 * MiB)}, zipfile.ZIP_BZIP2)
    patch_zip_header(arc, 24, 22, "<I", 1000)
    with pytest.raises(ArchiveError, match="liar.zip!a.txt.*more data than"):
        tk.load_folder(arc)


def test_tar_bomb_is_refused_before_inflating(tmp_path, inflated):
    arc = make_tar(tmp_path / "bomb.tar.gz", {"a.txt": b"fine", "z/bomb.txt": bytes(32 * MiB)})
    with tk.set_options(max_file_bytes=MiB):
        with pytest.raises(LimitError, match="bomb.tar.gz!z/bomb.txt") as err:
            tk.load_folder(arc)
    assert err.value.option == "max_file_bytes" and inflated["bytes"] < MiB
    arc = make_tar(tmp_path / "bomb2.tar.gz", {"a.txt": b"fine", "bomb.bin": bytes(32 * MiB)})
    inflated["bytes"] = 0
    with tk.set_options(max_archive_bytes=MiB):
        with pytest.raises(LimitError, match="bomb2.tar.gz") as err:
            tk.load_folder(arc)
    assert err.value.option == "max_archive_bytes" and inflated["bytes"] < MiB
    inflated["bytes"] = 0
    with pytest.raises(LimitError) as err:
        tk.load_folder(arc)
    assert err.value.option == "max_archive_ratio" and inflated["bytes"] < MiB


@pytest.mark.parametrize("suffix", [".zip", ".tar.gz"])
def test_member_over_the_file_limit_is_named(tmp_path, suffix):
    members = {"a.txt": b"x" * 5000}
    arc = tmp_path / f"t{suffix}"
    make_zip(arc, members) if suffix == ".zip" else make_tar(arc, members)
    with tk.set_options(max_file_bytes=1000):
        with pytest.raises(LimitError, match=f"t{suffix}!a.txt"):
            tk.load_folder(arc)


def test_truncated_and_corrupt_zips_name_the_archive(tmp_path):
    text = "".join(f"line {i} of a text\n" for i in range(5000)).encode()
    arc = make_zip(tmp_path / "t.zip", {"a.txt": text})
    data = arc.read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match="cut.zip") as err:
        tk.load_folder(tmp_path / "cut.zip")
    assert err.value.path.endswith("cut.zip")
    bad = bytearray(data)
    start = data.index(b"a.txt") + 5 + 100
    bad[start : start + 50] = b"\xff" * 50
    (tmp_path / "bad.zip").write_bytes(bytes(bad))
    with pytest.raises(ArchiveError, match="bad.zip!a.txt") as err:
        tk.load_folder(tmp_path / "bad.zip")
    assert err.value.member == "a.txt" and err.value.__cause__ is not None


def test_encrypted_zip_is_named(tmp_path):
    arc = make_zip(tmp_path / "secret.zip", {"a.txt": b"hidden"}, zipfile.ZIP_STORED)
    patch_zip_header(arc, 8, 6, "<H", 1)  # the "encrypted" flag
    with pytest.raises(ArchiveError, match="secret.zip!a.txt.*encrypted"):
        tk.load_folder(arc)


@pytest.mark.parametrize("suffix", [".tar.gz", ".tar.xz", ".tar.bz2"])
def test_truncated_tar_names_the_archive(tmp_path, suffix):
    text = random.Random(0).randbytes(300_000)  # incompressible: the cut falls in the data
    arc = make_tar(tmp_path / f"t{suffix}", {"a.txt": text}, "w:" + suffix.rsplit(".", 1)[1])
    data = arc.read_bytes()
    arc.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match=f"t{suffix}"):
        tk.load_folder(arc)
    arc.write_bytes(b"garbage" * 100)
    with pytest.raises(ArchiveError, match=f"t{suffix}"):
        tk.load_folder(arc)


def test_tar_links_are_read_or_named(tmp_path):
    arc = make_tar(
        tmp_path / "t.tar.gz",
        {
            "d/a.txt": b"A",
            "d/hard.txt": (tarfile.LNKTYPE, "d/a.txt"),
            "d/soft.txt": (tarfile.SYMTYPE, "a.txt"),
            "d/later.txt": (tarfile.SYMTYPE, "z.txt"),
            "d/z.txt": b"Z",
            "d/etc.txt": (tarfile.SYMTYPE, "/etc/hostname"),
            "d/up.txt": (tarfile.SYMTYPE, "../../x.txt"),
            "d/nowhere.txt": (tarfile.SYMTYPE, "missing.txt"),
            "d/fifo.txt": (tarfile.FIFOTYPE, ""),
        },
    )
    with pytest.warns(SkippedFilesWarning) as caught:
        c = tk.load_folder(arc)
    assert len(caught) == 1
    assert {d: c.text(d) for d in c.doc_ids} == {
        "a": "A",
        "hard": "A",
        "soft": "A",
        "later": "Z",
        "z": "Z",
    }
    why = dict(zip(c.skipped["path"], c.skipped["reason"], strict=True))
    assert set(why) == {"d/etc.txt", "d/up.txt", "d/nowhere.txt", "d/fifo.txt"}
    assert "outside the archive" in why["d/etc.txt"] and "outside the archive" in why["d/up.txt"]
    assert "not in the archive" in why["d/nowhere.txt"] and "FIFO" in why["d/fifo.txt"]


def test_zip_symlink_member_is_resolved_inside_the_archive(tmp_path):
    arc = tmp_path / "t.zip"
    with zipfile.ZipFile(arc, "w") as zf:
        zf.writestr("a.txt", "A")
        for name, target in (("link.txt", "a.txt"), ("etc.txt", "/etc/hostname")):
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16) | 0x20
            zf.writestr(info, target)
    with pytest.warns(SkippedFilesWarning, match="etc.txt"):
        c = tk.load_folder(arc)
    assert {d: c.text(d) for d in c.doc_ids} == {"a": "A", "link": "A"}


def test_archive_members_not_read_are_named(tmp_path):
    arc = make_zip(
        tmp_path / "t.zip",
        {"a.txt": b"A", "B.TXT": b"B", "notes.md": b"n", "__MACOSX/._a.txt": b"junk"},
    )
    with pytest.warns(SkippedFilesWarning) as caught:
        c = tk.load_folder(arc)
    assert len(caught) == 1 and "notes.md" in str(caught[0].message)
    assert c.doc_ids == ["B", "a"]
    assert sorted(c.skipped["path"]) == ["__MACOSX/._a.txt", "notes.md"]


def test_zip_member_names_not_marked_utf8(tmp_path):
    arc = tmp_path / "t.zip"
    with zipfile.ZipFile(arc, "w") as zf:
        zf.writestr("café.txt", "x")
    data = bytearray(arc.read_bytes())  # clear the UTF-8 flag, as some old zip tools write
    for sig, off in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):
        at = data.index(sig) + off
        flags = struct.unpack("<H", data[at : at + 2])[0] & ~0x800
        data[at : at + 2] = struct.pack("<H", flags)
    arc.write_bytes(bytes(data))
    assert tk.load_folder(arc).doc_ids == ["café"]


def test_archive_that_is_not_one(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(ArchiveError, match="x.zip"):
        tk.load_folder(tmp_path / "x.zip")
    (tmp_path / "x.csv").write_text("text\na\n")
    with pytest.raises(LoadError, match="load_table"):
        tk.load_folder(tmp_path / "x.csv")


def test_bz2_module_is_used(tmp_path):
    """A sanity check of the fixture: bz2 zips are supported."""
    arc = make_zip(tmp_path / "t.zip", {"a.txt": b"A" * 100}, zipfile.ZIP_BZIP2)
    assert tk.load_folder(arc).text("a") == "A" * 100
    assert bz2.decompress(bz2.compress(b"x")) == b"x"


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_damaged_tar_header_in_the_middle_is_named(tmp_path, mode):
    plain = make_tar(tmp_path / "t.tar", {"a.txt": b"A", "b.txt": b"B", "c.txt": b"C"}, "w")
    data = bytearray(plain.read_bytes())
    data[1024:1124] = b"x" * 100  # the header of b.txt
    arc = tmp_path / ("bad.tar" if mode == "w" else "bad.tar.gz")
    arc.write_bytes(bytes(data) if mode == "w" else gzip.compress(bytes(data)))
    with pytest.raises(ArchiveError, match="damaged or truncated header at byte 1,024"):
        tk.load_folder(arc)


def test_old_excel_without_xlrd_is_named(tmp_path):
    pytest.importorskip("openpyxl")
    try:
        import xlrd  # noqa: F401
    except ImportError:
        p = tmp_path / "t.xls"
        p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
        with pytest.raises(LoadError, match="t.xls"):
            tk.load_table(p)


def test_tar_member_name_that_is_not_utf8(tmp_path):
    arc = tmp_path / "t.tar"
    with tarfile.open(arc, "w", format=tarfile.GNU_FORMAT, encoding="latin-1") as tf:
        for name in ("café.txt", "ok.txt"):
            info = tarfile.TarInfo(name)
            info.size = 1
            tf.addfile(info, io.BytesIO(b"x"))
    with pytest.warns(tk.ToolkitWarning, match=r"caf\\xe9.txt"):
        c = tk.load_folder(arc)
    assert c.doc_ids == ["caf\\xe9", "ok"] and c.text("caf\\xe9") == "x"
