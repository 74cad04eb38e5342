"""Corpus loaders: folders and archives of text files, tables, data frames, NLTK readers,
and the news-commentary format.

Every loader reads each document once, records how it was decoded and a content digest,
and fails with an error that names the file (and archive member), the line or record, the
column or the parameter at fault, as one of the classes of :mod:`toolkit.errors`.  Three
promises hold for every loader:

**Nothing is lost or altered silently.**  Texts are the exact decoded content of the file or
cell.  Every file a loader does not read is named in one
:class:`~toolkit.errors.SkippedFilesWarning` and listed, with the reason, in
``corpus.skipped`` (a DataFrame with the columns ``path`` and ``reason``; empty when nothing
was skipped).  Documents kept despite a problem (empty, decoded by a fallback encoding) are
announced with a warning and marked in the metadata.

**Nothing is run or opened that should not be.**  In a folder, FIFOs, devices and sockets are
never opened; symbolic links are followed only to targets inside the folder unless
``follow_symlinks=True``.  Archives are read in place: nothing is extracted.

**Work is bounded** by the options of :mod:`toolkit.options`: a file (or archive member)
larger than ``max_file_bytes`` and a text longer than ``max_document_chars`` raise
:class:`~toolkit.errors.LimitError`.  Archives are checked before anything is inflated
(declared sizes against ``max_file_bytes`` and ``max_archive_bytes``, compression ratios
against ``max_archive_ratio``), and then inflated in chunks with a hard cap, so that a
member that holds more than its header declares is caught too.

Decoding (recorded in the ``encoding`` column): a byte-order mark always wins and gives
``utf-8-sig``, ``utf-16`` or ``utf-32``; otherwise the ``encodings`` are tried in order, by
default UTF-8, then Windows-1252, then Latin-1 (which decodes any byte sequence).  The
recorded name decodes the file's bytes to exactly the text: ``raw.decode(encoding)``.  A file
with NUL bytes is binary and rejected, unless an ``encodings`` entry is a UTF-16 or UTF-32
codec that decodes it to text without NUL characters.

Examples
--------
>>> import toolkit as tk, tempfile, pathlib, warnings
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "USA_78_2023.txt").write_text("We stand with Ukraine.", encoding="utf-8")
>>> _ = (d / "notes.md").write_text("Not a speech.", encoding="utf-8")
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     c = tk.load_folder(d)
>>> c.doc_ids, caught[0].category.__name__
(['USA_78_2023'], 'SkippedFilesWarning')
>>> c.skipped.to_dict("records")
[{'path': 'notes.md', 'reason': "does not match files='*.txt'"}]
"""

from __future__ import annotations

import bz2
import codecs
import csv
import fnmatch
import gzip
import io
import json
import lzma
import os
import posixpath
import re
import stat
import struct
import sys
import tarfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd
from conllu.exceptions import ParseException
from conllu.parser import parse_comment_line, parse_id_value
from tqdm.auto import tqdm

from ._progress import progress_options
from ._validation import Renamed, validate_params
from .corpus import (
    STRUCTURE_COLUMNS,
    BufferSource,
    Corpus,
    MemorySource,
    Pretokenized,
    TextSource,
    digest,
    register_step,
)
from .errors import (
    ArchiveError,
    BinaryFileError,
    LimitError,
    LoadError,
    ParameterError,
    SkippedFilesWarning,
    ToolkitError,
    ToolkitWarning,
)
from .options import get_option

__all__ = [
    "load_folder",
    "load_table",
    "from_dataframe",
    "from_nltk",
    "load_commentary",
    "from_tokens",
    "load_conllu",
    "load_vrt",
    "decode_bytes",
    "read_table",
]

_F = TypeVar("_F", bound=Callable[..., Any])


def _renamed(renamed: dict[str, Renamed]) -> Callable[[_F], _F]:
    """Old argument names accepted with a ``FutureWarning`` (``validate_params``), the
    function's own signature kept for type checkers."""
    return cast("Callable[[_F], _F]", validate_params({}, renamed=renamed))


DEFAULT_ENCODINGS = ("utf-8", "cp1252", "latin-1")
ARCHIVE_SUFFIXES = (
    ".zip",
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.xz",
    ".txz",
    ".tar.bz2",
    ".tbz2",
    ".tbz",
)
TABLE_SUFFIXES = (
    ".csv",
    ".tsv",
    ".tab",
    ".jsonl",
    ".ndjson",
    ".json",
    ".parquet",
    ".xlsx",
    ".xlsm",
    ".xls",
)
_TEXT_TABLES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".json")
_EXCEL = (".xlsx", ".xlsm", ".xls")
#: Members and archives inflating to less than this are not checked against
#: ``max_archive_ratio``: tiny repetitive files compress very well, and their size is
#: bounded anyway.
RATIO_FLOOR = 2**20
_CHUNK = 2**20

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_BOM_LABELS = {label for _, label in _BOMS}


# --------------------------------------------------------------------------- small helpers
def _show(name: Any) -> str:
    """A file name fit for messages and ids: bytes that are not UTF-8 become ``\\xNN``."""
    s = os.fspath(name) if isinstance(name, os.PathLike) else name
    if isinstance(s, bytes):
        return s.decode("utf-8", "backslashreplace")
    s = str(s)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        try:
            return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return s.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_path(path: Any, parameter: str = "path") -> Path:
    """``path`` as a Path; an empty string is an error, not the current folder."""
    if isinstance(path, str | bytes) and not path.strip():
        raise ParameterError(
            parameter,
            path,
            f"{parameter}={path!r} is empty: give a file or folder (write '.' for the "
            "current folder)",
        )
    if not isinstance(path, str | bytes | os.PathLike):
        raise ParameterError(parameter, path, f"{parameter} must be a path, not {type(path)}")
    return Path(os.fsdecode(path))


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, from its ``st_mode``."""
    for test, name in (
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISLNK, "symbolic link"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return name
    return "special file"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _too_big(where: str, size: int) -> LimitError:
    limit = get_option("max_file_bytes")
    return LimitError(
        "max_file_bytes",
        f"{where}: {size:,} bytes or more is larger than the {limit:,} bytes a file may have",
    )


def _check_chars(text: str, where: str) -> None:
    limit = get_option("max_document_chars")
    if len(text) > limit:
        raise LimitError(
            "max_document_chars",
            f"{where}: {len(text):,} characters is more than the {limit:,} a document may have",
        )


def _read_file(path: Path | str, where: str) -> bytes:
    """The bytes of a regular file, read in chunks and never more than ``max_file_bytes``.

    The file is opened without blocking and checked to be a regular file before anything is
    read, so a FIFO or a device swapped in after the folder was listed is never read.
    """
    limit = get_option("max_file_bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise LoadError(f"cannot be read ({err.strerror or err})", path=where) from err
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LoadError(
                f"is not a regular file but a {_kind(st.st_mode)}; it is never read", path=where
            )
        if st.st_size > limit:
            raise _too_big(where, st.st_size)
        data = bytearray()
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - len(data)))
            except OSError as err:
                raise LoadError(f"cannot be read ({err.strerror or err})", path=where) from err
            if not chunk:
                return bytes(data)
            data += chunk
            if len(data) > limit:
                raise _too_big(where, len(data))
    finally:
        os.close(fd)


def _stat_input(path: Path, what: str) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"{_show(path)}: no such {what}") from None
    except OSError as err:
        raise LoadError(f"cannot be read ({err.strerror or err})", path=_show(path)) from err


def _check_encodings(encodings: Sequence[str] | str) -> tuple[str, ...]:
    encs = (encodings,) if isinstance(encodings, str) else tuple(encodings)
    if not encs:
        raise ParameterError("encodings", encodings, "encodings must name at least one encoding")
    for enc in encs:
        try:
            codecs.lookup(enc)
        except (LookupError, TypeError):
            raise ParameterError(
                "encodings",
                enc,
                f"encodings: {enc!r} is not an encoding Python knows (e.g. 'utf-8', "
                "'cp1252', 'latin-1', 'utf-16')",
            ) from None
    return encs


def _label(encoding: str) -> str:
    return "UTF-8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding


def _match(files: str | Sequence[str]) -> Callable[[str], bool]:
    """Case-insensitive glob on a file name (any of several globs, if given a sequence)."""
    if isinstance(files, str):
        pattern = files.lower()
        return lambda name: fnmatch.fnmatchcase(name.lower(), pattern)
    patterns = [f.lower() for f in files]
    return lambda name: any(fnmatch.fnmatchcase(name.lower(), p) for p in patterns)


def _is_hidden(rel: str) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in PurePosixPath(rel).parts)


def _warn_skipped(where: str, skipped: list[tuple[str, str]], stacklevel: int = 3) -> None:
    if not skipped:
        return
    shown = "; ".join(f"{p!r} ({r})" for p, r in skipped[:5])
    more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    warnings.warn(
        f"{where}: {_plural(len(skipped), 'file')} not read, listed in corpus.skipped: "
        f"{shown}{more}",
        SkippedFilesWarning,
        stacklevel=stacklevel,
    )


def _skipped_frame(skipped: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(skipped, columns=["path", "reason"]).astype(str)


# --------------------------------------------------------------------------- decoding
def decode_bytes(
    raw: bytes,
    name: Any = "<bytes>",
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    *,
    member: str | None = None,
) -> tuple[str, str]:
    """Decode a file's bytes with the documented fallback chain.

    Parameters
    ----------
    raw : bytes
        The file's content.
    name : str or Path
        The file, used in error messages.
    encodings : sequence of str
        Tried in order (default ``("utf-8", "cp1252", "latin-1")``).  A byte-order mark
        takes precedence over them: UTF-8, UTF-16 and UTF-32 files that start with one are
        decoded by it, as ``"utf-8-sig"``, ``"utf-16"`` or ``"utf-32"``.
    member : str, optional
        The archive member, used in error messages.

    Returns
    -------
    text : str
    encoding : str
        The encoding that succeeded; ``raw.decode(encoding) == text``.

    Raises
    ------
    BinaryFileError
        If the bytes contain NUL characters (a binary file), unless a UTF-16 or UTF-32
        entry of ``encodings`` decodes them to text without NUL characters.
    LoadError
        If none of the encodings decodes the bytes.

    Examples
    --------
    >>> decode_bytes("café".encode("cp1252"))
    ('café', 'cp1252')
    >>> decode_bytes(b"\\xef\\xbb\\xbfhello")
    ('hello', 'utf-8-sig')
    >>> decode_bytes("hello".encode("utf-16"))
    ('hello', 'utf-16')
    >>> decode_bytes("hello".encode("utf-16-le"), encodings=["utf-8", "utf-16-le"])
    ('hello', 'utf-16-le')
    """
    where = _show(name)

    def binary(at: int) -> BinaryFileError:
        return BinaryFileError(
            f"looks like a binary file, not text: it holds a NUL byte (at byte {at:,})",
            path=where,
            member=member,
        )

    for bom, family in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(family)
            except UnicodeDecodeError:
                break  # not a byte-order mark after all: try the encodings
            if "\x00" in text:
                raise binary(raw.find(b"\x00"))
            return text, family
    nul = raw.find(b"\x00")
    last: UnicodeDecodeError | None = None
    for enc in encodings:
        wide = codecs.lookup(enc).name.startswith(("utf-16", "utf-32"))
        if nul >= 0 and not wide:
            continue
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as err:
            last = err
            continue
        if "\x00" in text:
            continue
        return text, enc
    if nul >= 0:
        raise binary(nul)
    detail = f" ({last.encoding}: {last.reason} at byte {last.start:,})" if last else ""
    raise LoadError(
        f"none of the encodings {list(encodings)} can decode it{detail}; pass encodings=",
        path=where,
        member=member,
    ) from last


# --------------------------------------------------------------------------- value columns
_INT = re.compile(r"0|-?[1-9][0-9]{0,18}")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")


def _numbers(s: pd.Series) -> pd.Series:
    """The column as numbers if every value is the exact text of a number, else unchanged.

    A column of strings becomes ``int64`` when every value is written as Python writes an
    integer that fits 64 bits (``"7"``, ``"-12"``; not ``"007"``, ``"+7"``, ``"1_000"``, or
    digits of other scripts), or ``float64`` when every value is written as Python writes a
    float (``"1.5"``, ``"0.1"``; not ``"1.50"``, ``"1e3"``, ``"nan"``).  Missing values are
    allowed (the integer column is then ``Int64``).  Otherwise nothing changes: ``str(value)``
    always gives back the text as written.
    """
    values = s.tolist()
    present = [v for v in values if not _missing(v)]
    if not present or not all(isinstance(v, str) for v in present):
        return s
    missing = len(present) != len(values)
    if all(_INT.fullmatch(v) for v in present):
        ints = [int(v) for v in present]
        if all(-(2**63) <= i < 2**63 for i in ints):
            if not missing:
                return pd.Series(ints, index=s.index, name=s.name, dtype="int64")
            arr = pd.array([None if _missing(v) else int(v) for v in values], dtype="Int64")
            return pd.Series(arr, index=s.index, name=s.name)
        return s
    if all(_FLOAT.fullmatch(v) and repr(float(v)) == v for v in present):
        floats = [np.nan if _missing(v) else float(v) for v in values]
        return pd.Series(floats, index=s.index, name=s.name, dtype="float64")
    return s


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA


def _typed_column(values: list[Any]) -> pd.Series:
    """A column of typed values (JSON, Excel), keeping each value's type: whole numbers stay
    whole even when some are missing (``Int64``), strings stay strings."""
    present = [v for v in values if v is not None]
    missing = len(present) != len(values)
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean" if missing else bool)
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        if all(-(2**63) <= v < 2**63 for v in present):
            return pd.Series(values, dtype="Int64" if missing else "int64")
        return pd.Series(values, dtype=object)
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        if all(isinstance(v, float) or abs(v) <= 2**53 for v in present):
            return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
        return pd.Series(values, dtype=object)
    if present and all(isinstance(v, str) for v in present):
        return pd.Series(values)
    return pd.Series(values, dtype=object)


def _duplicate_error(name: Any, count: int, where: str | None, line: int | None) -> LoadError:
    times = "twice" if count == 2 else f"{count} times"
    return LoadError(
        f"the column name {name!r} appears {times}; column names must be unique",
        path=where,
        line=line,
        column=str(name),
    )


def _check_unique_columns(names: Sequence[Any], where: str | None, line: int | None) -> None:
    seen: dict[Any, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    for n, count in seen.items():
        if count > 1:
            raise _duplicate_error(n, count, where, line)


# --------------------------------------------------------------------------- file names
def _compile_name_pattern(
    pattern: str, parameter: str = "name_pattern"
) -> tuple[re.Pattern[str], list[str]]:
    """``"{country}_{session}_{year}.txt"`` → a regular expression with named groups."""
    if not isinstance(pattern, str) or not pattern:
        raise ParameterError(parameter, pattern, f"{parameter} must be a non-empty string")
    fields = re.findall(r"{(\w+)}", pattern)
    if not fields:
        raise ParameterError(
            parameter,
            pattern,
            f"{parameter}={pattern!r} names no fields; write them as {{field}}",
        )
    if len(set(fields)) != len(fields):
        raise ParameterError(parameter, pattern, f"{parameter}={pattern!r} names a field twice")
    regex = ""
    for literal, field in re.findall(r"([^{}]*)(?:{(\w+)})?", pattern):
        regex += re.escape(literal)
        if field:
            regex += f"(?P<{field}>[^/]+?)"
    return re.compile(regex, flags=re.S | re.I), fields


# --------------------------------------------------------------------------- folders
class _Scan:
    """What a folder scan found: files to read, files skipped, names shown with escapes."""

    def __init__(self) -> None:
        self.found: list[tuple[str, Path]] = []
        self.skipped: list[tuple[str, str]] = []
        self.escaped: list[str] = []


def _scan_folder(root: Path, files: str | Sequence[str], follow_symlinks: bool) -> _Scan:
    """List the files of a folder to read, recursively, without opening any.

    Real sub-folders are walked first, then sub-folders reached through symbolic links, so
    that a folder is read under its real path; a folder already read (a link loop, or a
    second link to it) is skipped with the reason.
    """
    scan = _Scan()
    match = _match(files)
    root_real = os.path.realpath(root)
    prefix = root_real.rstrip(os.sep) + os.sep

    def inside(real: str) -> bool:
        return real == root_real or real.startswith(prefix)

    st_root = os.stat(root)
    visited: dict[tuple[int, int], str] = {(st_root.st_dev, st_root.st_ino): "."}
    linked: list[tuple[str, str, os.stat_result]] = []

    def walk(dirpath: str, reldir: str) -> list[tuple[str, str, os.stat_result]]:
        """Files of one folder; returns its sub-folders."""
        subdirs: list[tuple[str, str, os.stat_result]] = []
        try:
            with os.scandir(dirpath) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            where = reldir + "/" if reldir else "."
            scan.skipped.append((where, f"the folder cannot be listed ({err.strerror})"))
            return subdirs
        for e in entries:
            shown = _show(e.name)
            rel = f"{reldir}/{shown}" if reldir else shown
            if shown != e.name:
                scan.escaped.append(rel)
            is_link = False
            try:
                is_link = e.is_symlink()
                st = os.stat(e.path)
            except OSError as err:
                if is_link:
                    try:
                        target = _show(os.readlink(e.path))
                    except OSError:
                        target = "?"
                    reason = f"broken symbolic link (to {target})"
                else:
                    reason = f"cannot be read ({err.strerror})"
                scan.skipped.append((rel, reason))
                continue
            is_dir = stat.S_ISDIR(st.st_mode)
            if e.name.startswith(".") or e.name == "__MACOSX":
                scan.skipped.append(
                    (rel + "/", "hidden folder, not searched") if is_dir else (rel, "hidden file")
                )
                continue
            target = os.path.realpath(e.path) if is_link else ""
            outside = is_link and not inside(target)
            if is_dir:
                if outside and not follow_symlinks:
                    scan.skipped.append(
                        (
                            rel + "/",
                            f"symbolic link to the folder {_show(target)}, outside the folder "
                            "(pass follow_symlinks=True to read it)",
                        )
                    )
                elif is_link:
                    linked.append((e.path, rel, st))
                else:
                    subdirs.append((e.path, rel, st))
                continue
            if not match(e.name):
                scan.skipped.append((rel, f"does not match files={files!r}"))
            elif outside and not follow_symlinks:
                scan.skipped.append(
                    (
                        rel,
                        f"symbolic link to {_show(target)}, outside the folder "
                        "(pass follow_symlinks=True to read it)",
                    )
                )
            elif not stat.S_ISREG(st.st_mode):
                scan.skipped.append(
                    (rel, f"not a regular file but a {_kind(st.st_mode)}: never opened")
                )
            else:
                scan.found.append((rel, Path(e.path)))
        return subdirs

    def walk_tree(path: str, rel: str, st: os.stat_result | None) -> None:
        """Walk a folder and its sub-folders, depth first (without recursion)."""
        stack = [(path, rel, st)]
        while stack:
            path, rel, st = stack.pop()
            if st is not None and not enter(path, rel, st):
                continue
            stack.extend(reversed(walk(path, rel)))

    def enter(path: str, rel: str, st: os.stat_result) -> bool:
        """Whether to walk a folder: not when it was walked already."""
        key = (st.st_dev, st.st_ino)
        first = visited.get(key)
        if first is not None:
            here = os.path.realpath(os.path.dirname(path))
            there = os.path.realpath(path)
            if here == there or here.startswith(there.rstrip(os.sep) + os.sep):
                name = "the folder itself" if first == "." else repr(first + "/")
                reason = f"symbolic link loop: it leads back to {name}, which contains it"
            else:
                reason = f"the same folder as {first + '/'!r}, already read"
            scan.skipped.append((rel + "/", reason))
            return False
        visited[key] = rel
        return True

    walk_tree(os.fspath(root), "", None)
    while linked:
        walk_tree(*linked.pop(0))
    return scan


# --------------------------------------------------------------------------- archives
class _Member:
    """The archive member being read, for error messages."""

    name: str | None = None


def _ratio_error(where: str, packed: int, size: int) -> LimitError:
    ratio = size / max(packed, 1)
    return LimitError(
        "max_archive_ratio",
        f"{where}: {packed:,} compressed bytes would inflate to {size:,} bytes, a ratio of "
        f"{ratio:,.0f} (the archive may be a zip bomb)",
    )


def _archive_total_error(where: str, size: int) -> LimitError:
    limit = get_option("max_archive_bytes")
    return LimitError(
        "max_archive_bytes",
        f"{where}: the archive inflates to {size:,} bytes or more, more than {limit:,} bytes",
    )


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name: UTF-8 when flagged or when its bytes are valid UTF-8, else CP437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


_ZIP_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
}


def _check_zip(zf: zipfile.ZipFile, shown: str, plan: list[tuple[str, zipfile.ZipInfo]]) -> None:
    """Check declared sizes and ratios of the members to read, before inflating any."""
    size = os.stat(zf.filename).st_size if zf.filename else None
    packed = sum(i.compress_size for i in zf.infolist())
    if size is not None and packed > size:
        raise ArchiveError(
            f"its members claim {packed:,} compressed bytes, more than the archive's {size:,}: "
            "they overlap (a zip bomb) or the archive is corrupt",
            path=shown,
        )
    max_file = get_option("max_file_bytes")
    for rel, info in plan:
        if info.flag_bits & 0x1:
            raise ArchiveError(
                "is encrypted (password-protected); the toolkit does not read encrypted "
                "archives: extract it with its password first",
                path=shown,
                member=rel,
            )
        if info.compress_type not in _ZIP_METHODS:
            raise ArchiveError(
                f"is compressed with method {info.compress_type}, which cannot be read; "
                "re-create the archive with deflate (the usual zip compression)",
                path=shown,
                member=rel,
            )
        if info.file_size > max_file:
            raise _too_big(f"{shown}!{rel}", info.file_size)
    total = sum(info.file_size for _, info in plan)
    if total > get_option("max_archive_bytes"):
        raise _archive_total_error(shown, total)
    ratio = get_option("max_archive_ratio")
    for rel, info in plan:
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            raise _ratio_error(f"{shown}!{rel}", info.compress_size, info.file_size)


def _zip_raw_decompress(path: Path, info: zipfile.ZipInfo, shown: str, rel: str) -> Iterator[bytes]:
    """Inflate a bzip2 or LZMA member ourselves, with a bound on each step's output
    (:mod:`zipfile` inflates them without one)."""
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise ArchiveError(
                "its local header is missing: the archive is corrupt", path=shown, member=rel
            )
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(name_len + extra_len, 1)
        left = info.compress_size
        d: Any
        if info.compress_type == zipfile.ZIP_BZIP2:
            d = bz2.BZ2Decompressor()
        else:
            head = fh.read(4)
            (props_len,) = struct.unpack("<H", head[2:4])
            props = fh.read(props_len)
            left -= 4 + props_len
            filters = [lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)]  # type: ignore[attr-defined]
            d = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters)
        while not d.eof:
            data = b""
            if d.needs_input:
                if left <= 0:
                    return
                data = fh.read(min(65536, left))
                if not data:
                    raise EOFError("the compressed data ends early")
                left -= len(data)
            yield d.decompress(data, max_length=_CHUNK)


def _inflate_zip(
    zf: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo, shown: str, rel: str, budget: int
) -> bytes:
    """A zip member's bytes, inflated in chunks and capped whatever its header declares."""
    where = f"{shown}!{rel}"
    cap = min(get_option("max_file_bytes"), budget)
    out = bytearray()

    def add(chunk: bytes) -> None:
        out.extend(chunk)
        if len(out) > info.file_size:
            raise ArchiveError(
                f"holds more data than the {info.file_size:,} bytes its header declares: "
                "the archive is corrupt or forged",
                path=shown,
                member=rel,
            )
        if len(out) > cap:
            if cap == budget:
                raise _archive_total_error(shown, get_option("max_archive_bytes") + 1)
            raise _too_big(where, len(out))

    if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                add(chunk)
    else:
        for chunk in _zip_raw_decompress(path, info, shown, rel):
            add(chunk)
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            raise ArchiveError(
                "is corrupt: its size or checksum does not match its header",
                path=shown,
                member=rel,
            )
    return bytes(out)


def _iter_zip(
    path: Path,
    shown: str,
    files: str | Sequence[str],
    skipped: list[tuple[str, str]],
    current: _Member,
) -> Iterator[tuple[str, bytes]]:
    match = _match(files)
    with zipfile.ZipFile(path) as zf:
        infos = sorted(zf.infolist(), key=lambda i: _zip_name(i))
        regular: dict[str, zipfile.ZipInfo] = {}
        plan: list[tuple[str, zipfile.ZipInfo]] = []
        links: list[tuple[str, zipfile.ZipInfo]] = []
        for info in infos:
            if info.is_dir():
                continue
            rel = _zip_name(info)
            mode = info.external_attr >> 16
            kind = stat.S_IFMT(mode)
            if kind == 0 or stat.S_ISREG(mode):
                regular[posixpath.normpath(rel)] = info
            if _is_hidden(rel):
                skipped.append((rel, "hidden file or folder"))
            elif not match(PurePosixPath(rel).name):
                skipped.append((rel, f"does not match files={files!r}"))
            elif stat.S_ISLNK(mode):
                links.append((rel, info))
            elif kind and not stat.S_ISREG(mode):
                skipped.append((rel, f"not a regular file but a {_kind(mode)}"))
            else:
                plan.append((rel, info))
        for rel, info in links:
            current.name = rel
            if info.file_size > 4096:
                skipped.append((rel, "symbolic link with an over-long target"))
                continue
            target = zf.read(info)[:4096].decode("utf-8", "surrogateescape")
            resolved = _resolve_link(rel, target)
            if resolved is None:
                skipped.append((rel, f"symbolic link to {_show(target)!r}, outside the archive"))
            elif resolved not in regular:
                skipped.append(
                    (rel, f"symbolic link to {_show(target)!r}, which is not in the archive")
                )
            else:
                plan.append((rel, regular[resolved]))
        plan.sort(key=lambda p: p[0])
        current.name = None
        _check_zip(zf, shown, plan)
        inflated = 0
        budget = get_option("max_archive_bytes")
        for rel, info in plan:
            current.name = rel
            raw = _inflate_zip(zf, path, info, shown, rel, budget - inflated)
            inflated += len(raw)
            yield rel, raw


def _resolve_link(name: str, target: str) -> str | None:
    """The archive path a symbolic link at ``name`` points to, or None if outside."""
    if target.startswith("/"):
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
    if resolved == ".." or resolved.startswith("../"):
        return None
    return resolved


class _CappedStream:
    """A decompressed stream for :mod:`tarfile` that counts every byte it inflates (reading,
    skipping forward, or inflating again from the start to seek back) and stops at
    ``max_archive_bytes`` whatever the headers declare."""

    def __init__(self, raw: Any, compressed: bool, shown: str) -> None:
        self._raw = raw
        self.compressed = compressed
        self._shown = shown
        self._pos = 0
        self.inflated = 0
        self.last = b""  # what tarfile read last: the header block where it stopped
        self._limit = get_option("max_archive_bytes")
        self._max_read = max(get_option("max_file_bytes"), tarfile.BLOCKSIZE * 4)

    def _count(self, n: int) -> None:
        if self.compressed:
            self.inflated += n
            if self.inflated > self._limit:
                raise _archive_total_error(self._shown, self.inflated)

    def _read(self, n: int) -> bytes:
        data = self._raw.read(n)
        self._pos += len(data)
        self._count(len(data))
        return data

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0 or n > self._max_read:
            raise LimitError(
                "max_file_bytes",
                f"{self._shown}: a header asks to read {n:,} bytes at once, more than a "
                "file may have",
            )
        self.last = self._read(n)
        return self.last

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 1:
            pos += self._pos
        elif whence != 0:
            raise io.UnsupportedOperation("seek from the end")
        if pos == self._pos:
            return pos
        if not self.compressed:
            self._raw.seek(pos)
            self._pos = pos
        elif pos > self._pos:
            while self._pos < pos and self._read(min(_CHUNK, pos - self._pos)):
                pass
        else:  # the decompressor starts again from the beginning
            self._count(pos)
            self._raw.seek(pos)
            self._pos = pos
        return self._pos

    def tell(self) -> int:
        return self._pos


def _open_tar_stream(path: Path, shown: str) -> tuple[Any, _CappedStream]:
    fh = open(path, "rb")  # noqa: SIM115 - closed by the caller
    magic = fh.read(6)
    fh.seek(0)
    raw: Any
    if magic[:2] == b"\x1f\x8b":
        raw = gzip.GzipFile(fileobj=fh)
    elif magic[:3] == b"BZh":
        raw = bz2.BZ2File(fh)
    elif magic == b"\xfd7zXZ\x00":
        raw = lzma.LZMAFile(fh)
    else:
        return fh, _CappedStream(fh, False, shown)
    return fh, _CappedStream(raw, True, shown)


_TAR_KINDS = {
    tarfile.CHRTYPE: "character device",
    tarfile.BLKTYPE: "block device",
    tarfile.FIFOTYPE: "FIFO (named pipe)",
}


def _norm(name: str) -> str:
    return posixpath.normpath(name.lstrip("/"))


def _resolve_tar_link(
    member: tarfile.TarInfo, regular: dict[str, tarfile.TarInfo], links: dict[str, Any]
) -> tuple[tarfile.TarInfo | None, str]:
    current = member
    for _ in range(40):
        link = current.linkname
        what = "symbolic link" if current.issym() else "hard link"
        target = _resolve_link(_norm(current.name), link) if current.issym() else _norm(link)
        if target is None or target == ".." or target.startswith("../"):
            return None, f"{what} to {_show(link)!r}, outside the archive"
        if target in regular:
            return regular[target], ""
        if target in links:
            current = links[target]
            continue
        return None, f"{what} to {_show(link)!r}, which is not in the archive"
    return None, "a loop of links"


def _iter_tar(
    path: Path,
    shown: str,
    files: str | Sequence[str],
    skipped: list[tuple[str, str]],
    escaped: list[str],
    current: _Member,
) -> Iterator[tuple[str, bytes]]:
    match = _match(files)
    archive_size = max(os.stat(path).st_size, 1)
    ratio = get_option("max_archive_ratio")
    max_total = get_option("max_archive_bytes")
    fh, stream = _open_tar_stream(path, shown)
    try:
        tf = tarfile.open(fileobj=stream, mode="r:")  # type: ignore[call-overload]
        regular: dict[str, tarfile.TarInfo] = {}
        links: dict[str, tarfile.TarInfo] = {}
        to_resolve: list[tuple[str, tarfile.TarInfo]] = []

        def read(member: tarfile.TarInfo, rel: str) -> bytes:
            if member.size > get_option("max_file_bytes"):
                raise _too_big(f"{shown}!{rel}", member.size)
            data = tf.extractfile(member)
            assert data is not None
            out = bytearray()
            while chunk := data.read(_CHUNK):
                out += chunk
                if len(out) > member.size:  # pragma: no cover - tarfile reads what it declares
                    raise _too_big(f"{shown}!{rel}", len(out))
            return bytes(out)

        while True:
            current.name = None
            member = tf.next()
            if member is None:
                # tarfile ends quietly at a damaged or truncated header: say so
                if stream.last.strip(b"\0"):
                    raise ArchiveError(
                        f"has a damaged or truncated header at byte {tf.offset:,}; the members "
                        "after it cannot be read",
                        path=shown,
                    )
                break
            rel = _show(member.name)
            current.name = rel
            if rel != member.name and not member.isdir():
                escaped.append(rel)
            hidden = _is_hidden(rel)
            matched = not hidden and match(PurePosixPath(rel).name)
            # limits are checked on the header, before the data is inflated
            if member.isreg() and matched and member.size > get_option("max_file_bytes"):
                raise _too_big(f"{shown}!{rel}", member.size)
            end = member.offset_data + member.size
            if end > max_total:
                raise _archive_total_error(f"{shown}!{rel}", end)
            if stream.compressed and end > RATIO_FLOOR and end > ratio * archive_size:
                raise _ratio_error(f"{shown}!{rel}", archive_size, end)
            if member.isdir():
                continue
            norm = _norm(member.name)
            if member.isreg():
                regular[norm] = member
            elif member.islnk() or member.issym():
                links[norm] = member
            if hidden:
                skipped.append((rel, "hidden file or folder"))
            elif not matched:
                skipped.append((rel, f"does not match files={files!r}"))
            elif member.isreg():
                yield rel, read(member, rel)
            elif member.islnk() or member.issym():
                to_resolve.append((rel, member))
            else:
                kind = _TAR_KINDS.get(member.type, f"special member (type {member.type!r})")
                skipped.append((rel, f"not a regular file but a {kind}"))
        for rel, member in to_resolve:  # links may point to members further on
            current.name = rel
            target, reason = _resolve_tar_link(member, regular, links)
            if target is None:
                skipped.append((rel, reason))
            else:
                yield rel, read(target, rel)
    finally:
        stream._raw.close()
        fh.close()


_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    tarfile.TarError,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    struct.error,
)


def _iter_archive(
    path: Path,
    shown: str,
    files: str | Sequence[str],
    skipped: list[tuple[str, str]],
    escaped: list[str],
) -> Iterator[tuple[str, bytes]]:
    """Members of a zip or tar archive read in place: nothing is written to disk."""
    current = _Member()
    is_zip = path.name.lower().endswith(".zip")
    try:
        if is_zip:
            yield from _iter_zip(path, shown, files, skipped, current)
        else:
            yield from _iter_tar(path, shown, files, skipped, escaped, current)
    except ToolkitError:
        raise
    except _ARCHIVE_ERRORS as err:
        if isinstance(err, EOFError):
            why = "it is truncated"
        elif isinstance(err, RuntimeError) and "encrypted" in str(err):
            why = "it is encrypted"
        else:
            why = "it is corrupt, truncated or not a " + ("zip" if is_zip else "tar") + " archive"
        raise ArchiveError(
            f"cannot be read: {why} ({type(err).__name__}: {err})",
            path=shown,
            member=current.name,
        ) from err


def _check_ids(ids: Sequence[str], where: str | None, hint: str, column: str | None = None):
    s = pd.Series(ids, dtype=object)
    dup = s[s.duplicated(keep=False)]
    if len(dup):
        raise LoadError(
            f"duplicate document ids {sorted(set(dup))[:10]}; ids must be unique ({hint})",
            path=where,
            column=column,
        )


@_renamed({"pattern": Renamed("name_pattern")})
def load_folder(
    path: str | os.PathLike,
    name_pattern: str | None = None,
    files: str | Sequence[str] = "*.txt",
    id: str = "stem",
    on_mismatch: str = "raise",
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    name: str | None = None,
    progress: bool | None = None,
    follow_symlinks: bool = False,
) -> Corpus:
    """Load a folder of text files, searched recursively, or the same inside an archive.

    Parameters
    ----------
    path : str or Path
        A folder, or a ``.zip``, ``.tar``, ``.tar.gz``, ``.tar.bz2`` or ``.tar.xz`` archive,
        which is read in place (nothing is extracted, so member paths cannot escape
        anywhere).  An empty string is an error (write ``"."`` for the current folder).
    name_pattern : str, optional
        Turns each file name into metadata, e.g. ``"{country}_{session}_{year}.txt"``
        (default: none).  Its literal parts match case-insensitively, like ``files``.  A
        name pattern with ``/`` is matched against the path relative to ``path``.  A field
        matches any characters but ``/``, as few as possible, so when names have more parts
        than the name pattern the last field takes the rest (``"{country}_{year}.txt"`` reads
        ``USA_78_2023.txt`` as year ``"78_2023"``).  Fields are text, except that a field
        whose every value is written exactly as Python writes a number becomes a number
        column (``"2023"`` → 2023; one ``"078"``, ``"٧٨"`` or number beyond 64 bits keeps
        the whole column as text; see :func:`load_table`): check ``corpus.meta.dtypes``.
    files : str or list of str
        Glob for the file names to read, matched case-insensitively (default ``"*.txt"``,
        which reads ``A.TXT`` too); a list reads the files any of its globs matches.
    id : {"stem", "path"}
        Document ids: the file name without its extension (default), or the relative path.
    on_mismatch : {"raise", "keep"}
        A file name that does not fit ``name_pattern`` raises an error naming the file
        (default), or is kept with empty metadata fields and a warning.
    encodings : sequence of str
        Decoding fallback chain (default ``("utf-8", "cp1252", "latin-1")``; see
        :func:`decode_bytes`).  Files with a byte-order mark (UTF-8, UTF-16, UTF-32) are
        decoded by it whatever this says.
    name : str, optional
        Name of the corpus (default: the folder or archive name).
    progress : bool, optional
        Show a progress bar (default: only once reading takes more than a second).
    follow_symlinks : bool
        Read files and folders that symbolic links point to outside ``path`` (default
        ``False``: such links are skipped and listed).  Links to targets inside ``path`` are
        always followed; a folder is read once, so link loops end.

    Returns
    -------
    Corpus
        Metadata columns: the fields of ``name_pattern``, ``file`` (relative path) and ``encoding``.
        ``corpus.skipped`` lists every file not read, with the reason.

    Notes
    -----
    What is not read, each named in one :class:`~toolkit.errors.SkippedFilesWarning` and
    listed in ``corpus.skipped``: files that do not match ``files``; hidden files and
    folders (names starting with ``.``, and ``__MACOSX``; a hidden folder is listed once,
    not searched); FIFOs, devices and sockets (never opened, so a load cannot hang or read
    forever); symbolic links to targets outside ``path`` (unless ``follow_symlinks``) and
    broken ones; a sub-folder already read through another path.  In archives, symbolic
    and hard links are read when their target is a file in the archive, and named as
    skipped otherwise.

    A file name that is not valid UTF-8 is read; its ``doc_id`` and ``file`` show the
    undecodable bytes as ``\\xNN`` escapes (``caf\\xe9.txt``), with a warning.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ParameterError
        A parameter has an invalid value (``id``, ``on_mismatch``, ``name_pattern``,
        ``encodings``, an empty ``path``).
    LoadError
        Nothing to read, a file name does not fit ``name_pattern``, ids are duplicated, or
        ``path`` is not a folder or an archive.
    BinaryFileError
        A matching file holds binary data.
    ArchiveError
        The archive is corrupt, truncated or encrypted (naming the member when known).
    LimitError
        A file, an archive or a text is over a limit of :mod:`toolkit.options`.

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "USA_78_2023.txt").write_text("We stand with Ukraine.", encoding="utf-8")
    >>> _ = (d / "USA_078_2024.TXT").write_text("Again.", encoding="utf-8")
    >>> c = tk.load_folder(d, name_pattern="{country}_{session}_{year}.txt")
    >>> c.meta[["country", "session", "year"]].to_dict("records")
    [{'country': 'USA', 'session': '078', 'year': 2024}, \
{'country': 'USA', 'session': '78', 'year': 2023}]
    >>> c.skipped.empty
    True
    """
    path = _check_path(path)
    if id not in ("stem", "path"):
        raise ParameterError("id", id, valid=["stem", "path"])
    if on_mismatch not in ("raise", "keep"):
        raise ParameterError("on_mismatch", on_mismatch, valid=["raise", "keep"])
    globs = [files] if isinstance(files, str) else files
    if (
        not isinstance(globs, list | tuple)
        or not globs
        or not all(isinstance(g, str) and g for g in globs)
    ):
        raise ParameterError(
            "files", files, "files must be a non-empty glob such as '*.txt', or a list of them"
        )
    encs = _check_encodings(encodings)
    (corpus,) = _folder_corpora(
        path, name_pattern, files, id, on_mismatch, encs, name, progress, follow_symlinks, None
    )
    return corpus


def iter_folder(
    path: str | os.PathLike,
    name_pattern: str | None = None,
    *,
    batch_mb: float = 32,
    files: str | Sequence[str] = "*.txt",
    id: str = "stem",
    on_mismatch: str = "raise",
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    follow_symlinks: bool = False,
) -> Iterator[Corpus]:
    """The files of a folder or archive as corpora of about ``batch_mb`` MB each, read in
    turn: :func:`load_folder` for corpora too large to hold at once.

    Every batch gets the checks of :func:`load_folder` (encodings, limits, links, file
    names); its warnings (skipped files, encodings, names that do not fit) come once, when
    the last batch has been read.  Each batch's ``skipped`` lists the files skipped so far.

    Parameters
    ----------
    path, name_pattern, files, id, on_mismatch, encodings, follow_symlinks
        As :func:`load_folder`.
    batch_mb : float
        Megabytes of text per batch, about (a batch ends after the file that reaches it).

    Yields
    ------
    Corpus

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for i in range(5):
    ...     _ = (d / f"doc{i}.txt").write_text("word " * 100_000, encoding="utf-8")
    >>> [len(c) for c in iter_folder(d, batch_mb=1)]
    [2, 2, 1]
    """
    if isinstance(batch_mb, bool) or not isinstance(batch_mb, int | float) or not batch_mb > 0:
        raise ParameterError("batch_mb", batch_mb, "batch_mb must be a positive number")
    path = _check_path(path)
    encs = _check_encodings(encodings)
    return _folder_corpora(
        path,
        name_pattern,
        files,
        id,
        on_mismatch,
        encs,
        None,
        False,
        follow_symlinks,
        int(batch_mb * 1_000_000),
    )


def _folder_corpora(
    path: Path,
    name_pattern: str | None,
    files: str | Sequence[str],
    id: str,
    on_mismatch: str,
    encs: tuple[str, ...],
    name: str | None,
    progress: bool | None,
    follow_symlinks: bool,
    batch_bytes: int | None,
) -> Iterator[Corpus]:
    """The corpora of :func:`load_folder` (one) and :func:`iter_folder` (one per batch)."""
    regex, fields = (None, []) if name_pattern is None else _compile_name_pattern(name_pattern)
    shown = _show(path)
    st = _stat_input(path, "folder or archive")
    if stat.S_ISDIR(st.st_mode):
        is_archive = False
    elif stat.S_ISREG(st.st_mode):
        is_archive = True
        lower = path.name.lower()
        if not lower.endswith(ARCHIVE_SUFFIXES):
            raise LoadError(
                f"is not a folder or a supported archive ({', '.join(ARCHIVE_SUFFIXES)}); "
                "read a table (CSV, TSV, JSON Lines, Parquet, Excel) with tk.load_table",
                path=shown,
            )
    else:
        raise LoadError(
            f"is not a folder or an archive but a {_kind(st.st_mode)}; it is never opened",
            path=shown,
        )

    skipped: list[tuple[str, str]] = []
    escaped: list[str] = []
    items: Iterator[tuple[str, Any]]
    if is_archive:
        items = _iter_archive(path, shown, files, skipped, escaped)
    else:
        scan = _scan_folder(path, files, follow_symlinks)
        skipped, escaped = scan.skipped, scan.escaped
        items = iter(scan.found)
    buffer = BufferSource()
    paths: list[Path] = []
    records: list[dict[str, Any]] = []
    digests: list[bytes] = []
    encs_used: list[str] = []
    empty: list[str] = []
    fallback: list[str] = []
    mismatched: list[str] = []
    size = n_batches = 0

    def batch() -> Corpus:
        meta = pd.DataFrame.from_records(records)
        _check_ids(meta["doc_id"].tolist(), shown, "pass id='path' to use relative paths")
        meta = meta.set_index("doc_id")
        for f in fields:
            meta[f] = _numbers(meta[f])
        source = buffer if is_archive else FileSource(paths, encs_used, digests)
        return Corpus(
            source,
            meta,
            digests,
            name=name or path.name.split(".")[0],
            skipped=_skipped_frame(skipped),
        )

    bar = tqdm(items, desc=f"reading {path.name}", unit=" files", **progress_options(progress))
    for rel, item in bar:
        if is_archive:
            where = f"{shown}!{rel}"
            text, enc = decode_bytes(item, shown, encs, member=rel)
        else:
            where = _show(item)
            text, enc = decode_bytes(_read_file(item, where), where, encs)
        _check_chars(text, where)
        rec: dict[str, Any] = {}
        if regex is not None:
            target = rel if "/" in (name_pattern or "") else PurePosixPath(rel).name
            m = regex.fullmatch(target)
            if m is None:
                if on_mismatch == "raise":
                    raise LoadError(
                        f"the file name does not fit name_pattern={name_pattern!r}; rename it, "
                        "narrow files=, or pass on_mismatch='keep'",
                        path=where,
                    )
                mismatched.append(rel)
                rec = {f: None for f in fields}
            else:
                rec = m.groupdict()
        stem = PurePosixPath(rel).name.rsplit(".", 1)[0]
        rec["doc_id"] = stem if id == "stem" else rel
        rec["file"] = rel
        rec["encoding"] = enc
        records.append(rec)
        digests.append(digest(text))
        encs_used.append(enc)
        if not text:
            empty.append(rel)
        if enc != encs[0] and enc not in _BOM_LABELS:
            fallback.append(rel)
        if is_archive:
            buffer.append(text)
        else:
            paths.append(item)
        size += len(text)
        if batch_bytes is not None and size >= batch_bytes:
            yield batch()
            buffer, paths, records, digests, encs_used, size = BufferSource(), [], [], [], [], 0
            n_batches += 1
    if not records and n_batches == 0:
        listed = "; ".join(f"{p!r} ({r})" for p, r in skipped[:5])
        raise LoadError(
            f"no files to read matching files={files!r}"
            + (f"; {_plural(len(skipped), 'file')} skipped: {listed}" if skipped else ""),
            path=shown,
        )
    _warn_skipped(shown, skipped, stacklevel=5)  # past the argument check
    if escaped:
        warnings.warn(
            f"{shown}: {_plural(len(escaped), 'file name')} not valid UTF-8; their doc_id and "
            f"file show the undecodable bytes as \\xNN escapes: {', '.join(escaped[:5])}",
            ToolkitWarning,
            stacklevel=4,
        )
    if empty:
        warnings.warn(
            f"{shown}: {len(empty)} empty file(s) kept as empty documents: {empty[:5]}",
            ToolkitWarning,
            stacklevel=4,
        )
    if fallback:
        warnings.warn(
            f"{shown}: {len(fallback)} file(s) were not valid {_label(encs[0])} and were decoded "
            f"by the fallback (see the 'encoding' column): {fallback[:5]}",
            ToolkitWarning,
            stacklevel=4,
        )
    if mismatched:
        warnings.warn(
            f"{shown}: {len(mismatched)} file name(s) do not fit {name_pattern!r} and were kept "
            f"with empty metadata: {mismatched[:5]}",
            ToolkitWarning,
            stacklevel=4,
        )
    if records:
        yield batch()


# --------------------------------------------------------------------------- tables
def _table_suffix(path: Path) -> tuple[str, str, bool]:
    name = path.name.lower()
    gz = name.endswith(".gz")
    base = PurePosixPath(name[:-3] if gz else name).suffix
    return base + (".gz" if gz else ""), base, gz


def _gunzip(raw: bytes, where: str) -> bytes:
    limit = get_option("max_file_bytes")
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise _too_big(where, len(out))
    except (OSError, EOFError, zlib.error) as err:
        raise ArchiveError(f"cannot be decompressed ({err})", path=where) from err
    return bytes(out)


def _parse_delimited(
    text: str, where: str, delimiter: str, quotes: bool
) -> tuple[pd.DataFrame, list[str]]:
    """Rows of a CSV or TSV text, every cell the exact string; an empty field is missing."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quoting=csv.QUOTE_MINIMAL if quotes else csv.QUOTE_NONE,
        strict=True,
    )
    limit = min(get_option("max_document_chars"), sys.maxsize // 2)
    old = csv.field_size_limit()
    csv.field_size_limit(max(limit, 1))
    header: list[str] | None = None
    header_line = 0
    rows: list[list[str]] = []
    hint = "; if the file quotes its fields, pass quotes=True" if not quotes else ""
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                message = str(err)
                if "field larger than field limit" in message:
                    raise LimitError(
                        "max_document_chars",
                        f"{where}, line {start}: a field is longer than {limit:,} characters",
                    ) from err
                if "unexpected end of data" in message:
                    raise LoadError(
                        "a quoted field opened in this record is never closed (the file "
                        "ends inside it); close it with a quote, and write a quote inside "
                        'a quoted field as two ("")',
                        path=where,
                        line=start,
                    ) from err
                if "expected after" in message:
                    raise LoadError(
                        "a quote ends a quoted field but more text follows it; inside a "
                        'quoted field write a quote as two (""), or quote the whole field '
                        "(or pass quotes=False to read quotes as ordinary characters)",
                        path=where,
                        line=reader.line_num,
                    ) from err
                raise LoadError(
                    f"malformed {'CSV' if quotes else 'TSV'} ({message})",
                    path=where,
                    line=reader.line_num,
                ) from err
            if not row:
                continue  # a blank line
            if header is None:
                header, header_line = row, start
                _check_unique_columns(header, where, header_line)
                continue
            if len(row) != len(header):
                raise LoadError(
                    f"this record has {_plural(len(row), 'field')} but the header (line "
                    f"{header_line}) has {len(header)}{hint}",
                    path=where,
                    line=start,
                )
            rows.append(row)
    finally:
        csv.field_size_limit(old)
    if header is None:
        raise LoadError("is empty: no header line with the column names", path=where)
    cells = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    columns = {
        name: pd.Series([v if v != "" else None for v in values], dtype=None if rows else object)
        for name, values in zip(header, cells, strict=True)
    }
    return pd.DataFrame(columns), list(header)


def _json_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _records_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    columns: dict[str, None] = {}
    for r in records:
        for k in r:
            columns.setdefault(k, None)
    return pd.DataFrame({c: _typed_column([r.get(c) for r in records]) for c in columns})


def _parse_json_lines(text: str, where: str) -> pd.DataFrame:
    records = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip(" \t\r"):
            continue
        try:
            record = json.loads(line, object_pairs_hook=_json_hook)
        except _DuplicateKey as dup:
            raise LoadError(
                f"the key {dup.key!r} appears twice in this record",
                path=where,
                line=lineno,
                column=dup.key,
            ) from None
        except json.JSONDecodeError as err:
            raise LoadError(
                f"not valid JSON: {err.msg} (at position {err.colno} of the line)",
                path=where,
                line=lineno,
            ) from err
        if not isinstance(record, dict):
            raise LoadError(
                f"this record is a JSON {type(record).__name__}, not an object; each line "
                'must be one object such as {"text": "..."}',
                path=where,
                line=lineno,
            )
        records.append(record)
    return _records_frame(records)


def _parse_json(text: str, where: str) -> pd.DataFrame:
    try:
        data = json.loads(text, object_pairs_hook=_json_hook)
    except _DuplicateKey as dup:
        raise LoadError(f"the key {dup.key!r} appears twice in an object", path=where) from None
    except json.JSONDecodeError as err:
        raise LoadError(
            f"not valid JSON: {err.msg} (at position {err.colno} of the line)",
            path=where,
            line=err.lineno,
        ) from err
    if isinstance(data, list):
        for i, r in enumerate(data):
            if not isinstance(r, dict):
                raise LoadError(
                    f"record {i} (from 0) is a JSON {type(r).__name__}, not an object",
                    path=where,
                )
        return _records_frame(data)
    if isinstance(data, dict) and all(isinstance(v, list | dict) for v in data.values()):
        index: dict[str, None] = {}
        for v in data.values():
            for k in v if isinstance(v, dict) else range(len(v)):
                index.setdefault(str(k), None)
        cols = {}
        for c, v in data.items():
            keyed = {str(k): x for k, x in (v.items() if isinstance(v, dict) else enumerate(v))}
            cols[c] = _typed_column([keyed.get(i) for i in index])
        return pd.DataFrame(cols)
    raise LoadError(
        "holds neither a list of records ([{...}, ...]) nor an object of columns", path=where
    )


def _check_zip_container(path: Path, where: str) -> None:
    """An .xlsx file is a zip archive: check its declared sizes before opening it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            size = path.stat().st_size
            if sum(i.compress_size for i in infos) > size:
                raise ArchiveError("its parts overlap: the workbook is corrupt", path=where)
            max_file = get_option("max_file_bytes")
            ratio = get_option("max_archive_ratio")
            for i in infos:
                if i.file_size > max_file:
                    raise _too_big(f"{where}!{i.filename}", i.file_size)
                if i.file_size > RATIO_FLOOR and i.file_size > ratio * max(i.compress_size, 1):
                    raise _ratio_error(f"{where}!{i.filename}", i.compress_size, i.file_size)
            total = sum(i.file_size for i in infos)
            if total > get_option("max_archive_bytes"):
                raise _archive_total_error(where, total)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as err:
        if isinstance(err, ToolkitError):
            raise
        raise LoadError(
            f"is not an Excel workbook that can be read (an .xlsx file is a zip archive: {err})",
            path=where,
        ) from err


def _choose_sheets(names: list[str], sheet: Any, where: str) -> tuple[list[str], bool]:
    """The sheets to read, and whether to add a ``sheet`` column."""
    valid = [*names, "all"]

    def one(s: Any) -> str:
        if isinstance(s, str):
            if s in names:
                return s
            raise ParameterError("sheet", s, f"{where} has no sheet {s!r}", valid=valid)
        if isinstance(s, int | np.integer) and not isinstance(s, bool):
            if 0 <= s < len(names):
                return names[int(s)]
            raise ParameterError(
                "sheet",
                s,
                f"sheet={s!r}: {where} has {_plural(len(names), 'sheet')}, at positions 0 to "
                f"{len(names) - 1}",
                valid=valid,
            )
        raise ParameterError(
            "sheet", s, "sheet must be a sheet name, a position (from 0), a list, or 'all'"
        )

    if sheet is None:
        if len(names) == 1:
            return names, False
        raise ParameterError(
            "sheet",
            None,
            f"{where} has {_plural(len(names), 'sheet')}: choose one with sheet= (its name "
            "or position from 0), several with a list, or sheet='all' to read them all with "
            "a 'sheet' column",
            valid=valid,
        )
    if isinstance(sheet, str) and sheet == "all":
        return names, True
    if isinstance(sheet, list | tuple):
        if not sheet:
            raise ParameterError("sheet", sheet, "sheet= lists no sheets", valid=valid)
        return [one(s) for s in sheet], True
    return [one(sheet)], False


def _sheet_rows(rows: Iterator[Sequence[Any]], where: str) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of one sheet; blank rows are left out."""
    from openpyxl.utils import get_column_letter

    header: list[Any] | None = None
    header_row = 0
    data: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows, start=1):
        values = [None if isinstance(v, float) and np.isnan(v) else v for v in row]
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if not values:
            continue
        if header is None:
            header, header_row = values, number
        else:
            data.append((number, values))
    if header is None:
        return [], []
    width = max([len(header), *(len(v) for _, v in data)])
    header = header + [None] * (width - len(header))
    names = []
    for i, h in enumerate(header):
        if h is None or h == "":
            column = get_column_letter(i + 1)
            raise LoadError(
                f"column {column} holds values but has no name in the header row {header_row}",
                path=where,
                line=header_row,
            )
        names.append(h if isinstance(h, str) else str(h))
    _check_unique_columns(names, where, header_row)
    return names, [v + [None] * (width - len(v)) for _, v in data]


def _read_excel(path: Path, where: str, base: str, sheet: Any) -> pd.DataFrame:
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    if base == ".xls":
        try:
            book = pd.ExcelFile(path)
            chosen, combine = _choose_sheets(list(map(str, book.sheet_names)), sheet, where)
            for s in chosen:
                frame = book.parse(s, header=None, dtype=object, keep_default_na=False)
                frame = frame.replace({"": None})
                rows = frame.astype(object).where(frame.notna(), None).values.tolist()
                sheets.append((s, *_sheet_rows(iter(rows), f"{where}, sheet {s!r}")))
        except ImportError as err:
            raise LoadError(
                f"reading .xls files needs the xlrd package ({err}); or save it as .xlsx",
                path=where,
            ) from err
        except ToolkitError:
            raise
        except Exception as err:
            raise LoadError(f"cannot be read as an Excel workbook ({err})", path=where) from err
    else:
        import openpyxl

        _check_zip_container(path, where)
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as err:
            raise LoadError(f"cannot be read as an Excel workbook ({err})", path=where) from err
        try:
            chosen, combine = _choose_sheets(wb.sheetnames, sheet, where)
            for s in chosen:
                ws = wb[s]
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # some writers record wrong dimensions
                sheets.append((s, *_sheet_rows(ws.iter_rows(values_only=True), where)))
        except ToolkitError:
            raise
        except Exception as err:
            raise LoadError(f"cannot be read as an Excel workbook ({err})", path=where) from err
        finally:
            wb.close()
    if not combine:
        _, names, rows = sheets[0]
        return pd.DataFrame({n: _typed_column([r[i] for r in rows]) for i, n in enumerate(names)})
    columns: dict[str, None] = {"sheet": None}
    for s, names, _ in sheets:
        if "sheet" in names:
            raise LoadError(
                f"sheet {s!r} has a column named 'sheet', which sheet='all' adds",
                path=where,
                column="sheet",
            )
        for n in names:
            columns.setdefault(n, None)
    values: dict[str, list[Any]] = {c: [] for c in columns}
    for s, names, rows in sheets:
        pos = {n: i for i, n in enumerate(names)}
        for r in rows:
            values["sheet"].append(s)
            for c in columns:
                if c != "sheet":
                    values[c].append(r[pos[c]] if c in pos else None)
    return pd.DataFrame({c: _typed_column(v) for c, v in values.items()})


def _read_table(
    path: str | os.PathLike,
    sheet: Any = None,
    delimiter: str | None = None,
    quotes: bool | None = None,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
) -> tuple[pd.DataFrame, list[str], str]:
    """A table as a DataFrame, the columns read as strings (CSV, TSV), and its display name."""
    path = _check_path(path)
    where = _show(path)
    st = _stat_input(path, "file")
    if stat.S_ISDIR(st.st_mode):
        raise LoadError("is a folder, not a table; read folders with tk.load_folder", path=where)
    if not stat.S_ISREG(st.st_mode):
        raise LoadError(f"is not a table but a {_kind(st.st_mode)}; it is never opened", path=where)
    suffix, base, gz = _table_suffix(path)
    if base not in TABLE_SUFFIXES or (gz and base not in _TEXT_TABLES):
        raise LoadError(
            f"unsupported table format {suffix!r}; use one of {list(TABLE_SUFFIXES)} "
            f"(CSV, TSV and JSON may be gzipped: .csv.gz); read folders and archives of "
            "texts with tk.load_folder",
            path=where,
        )
    if sheet is not None and base not in _EXCEL:
        raise ParameterError("sheet", sheet, f"sheet= applies to Excel workbooks, not {suffix}")
    delimited = base in (".csv", ".tsv", ".tab")
    if delimiter is not None and not delimited:
        raise ParameterError("delimiter", delimiter, f"delimiter= applies to CSV, not {suffix}")
    if quotes is not None and not delimited:
        raise ParameterError("quotes", quotes, f"quotes= applies to CSV and TSV, not {suffix}")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise ParameterError("delimiter", delimiter, "delimiter must be one character")
    encs = _check_encodings(encodings)
    if st.st_size > get_option("max_file_bytes"):
        raise _too_big(where, st.st_size)
    if base in _TEXT_TABLES:
        raw = _read_file(path, where)
        if gz:
            raw = _gunzip(raw, where)
        text, enc = decode_bytes(raw, where, encs)
        if enc != encs[0] and enc not in _BOM_LABELS:
            warnings.warn(
                f"{where}: not valid {_label(encs[0])}; decoded by the fallback as {enc} (pass "
                "encodings= to choose)",
                ToolkitWarning,
                stacklevel=3,
            )
        if delimited:
            sep = delimiter or ("," if base == ".csv" else "\t")
            use_quotes = quotes if quotes is not None else base == ".csv"
            df, raw_columns = _parse_delimited(text, where, sep, use_quotes)
            return df, raw_columns, where
        if base == ".json":
            return _parse_json(text, where), [], where
        return _parse_json_lines(text, where), [], where
    if base == ".parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as err:
            raise LoadError(f"cannot be read as Parquet ({err})", path=where) from err
        return df, [], where
    return _read_excel(path, where, base, sheet), [], where


def read_table(
    path: str | os.PathLike,
    sheet: str | int | Sequence[str | int] | None = None,
    delimiter: str | None = None,
    quotes: bool | None = None,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
) -> pd.DataFrame:
    """Read CSV, TSV, JSON Lines, JSON, Parquet or Excel into a DataFrame, by file suffix.

    Cells are read as the exact strings of the file; a CSV or TSV column becomes numbers only
    when every value is written exactly as Python writes that number (see
    :func:`load_table`, whose rules and errors apply).

    Parameters
    ----------
    path : str or Path
        The table; its format is chosen by suffix, as for :func:`load_table`.
    sheet : str, int, list or "all", optional
        Excel only: the sheet(s) to read (default ``None``: the only sheet; several sheets
        are then an error that lists them).
    delimiter : str, optional
        CSV and TSV only: the field separator (default ``","`` for CSV, a tab for TSV).
    quotes : bool, optional
        CSV and TSV only: whether ``"`` quotes fields (default: yes for CSV, no for TSV).
    encodings : sequence of str
        CSV, TSV and JSON: the decoding fallback chain (default ``("utf-8", "cp1252",
        "latin-1")``).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("id\\tyear\\ttext\\n007\\t1990\\thello\\n")
    >>> t = read_table(p)
    >>> t.columns.tolist(), t.loc[0, "id"], int(t.loc[0, "year"])
    (['id', 'year', 'text'], '007', 1990)
    """
    df, raw_columns, _ = _read_table(path, sheet, delimiter, quotes, encodings)
    for c in raw_columns:
        df[c] = _numbers(df[c])
    return df


#: Environment variables through which ``toolkit report`` tells the notebooks' kernels which
#: columns of its corpus (a table) hold the texts and the ids (``--text``, ``--id``).
REPORT_CORPUS_ENV = "TOOLKIT_REPORT_CORPUS"
REPORT_TEXT_ENV = "TOOLKIT_REPORT_TEXT"
REPORT_ID_ENV = "TOOLKIT_REPORT_ID"

#: A column is clearly the text column when its median length is at least this many
#: characters and at least ``TEXT_RATIO`` times the median length of every other column.
TEXT_MIN_MEDIAN = 20
TEXT_RATIO = 3.0


def _median_lengths(df: pd.DataFrame) -> dict[str, float]:
    """Median length in characters of each column whose present values are all strings."""
    out = {}
    for c in df.columns:
        values = [v for v in df[c].tolist() if not _missing(v)]
        if values and all(isinstance(v, str) for v in values):
            out[str(c)] = float(np.median([len(v) for v in values]))
    return out


def infer_text_column(df: pd.DataFrame, where: str | None = None) -> tuple[str, str]:
    """The column of a table that clearly holds the texts, and why it was chosen.

    The texts are the string column whose median length is at least
    ``TEXT_MIN_MEDIAN`` (20) characters and at least ``TEXT_RATIO`` (3) times the median
    length of every other string column; a column with any non-string value (numbers,
    dates) is never the text.  When no column qualifies, or two are close, no choice is
    made.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, one document per row.
    where : str, optional
        The file the table comes from, for the error message.

    Returns
    -------
    tuple of str
        The column's name and one sentence saying why it was chosen.

    Raises
    ------
    ParameterError
        No column clearly holds the texts; the message lists every column with its median
        length and asks for ``text=`` (``--text`` in the report).

    Examples
    --------
    >>> import pandas as pd
    >>> body = ["A long speech on peace and trade.", "A second speech, on the harvest."]
    >>> infer_text_column(pd.DataFrame({"nation": ["A", "B"], "body": body}))[0]
    'body'
    """
    lengths = _median_lengths(df)
    ranked = sorted(lengths.items(), key=lambda kv: -kv[1])
    columns = [str(c) for c in df.columns]
    if ranked:
        best, length = ranked[0]
        runner = ranked[1] if len(ranked) > 1 else None
        if length >= TEXT_MIN_MEDIAN and (runner is None or length >= TEXT_RATIO * runner[1]):
            if runner is None:
                why = f"the only text column, median length {length:,.0f} characters"
            else:
                why = (
                    f"its median length, {length:,.0f} characters, is "
                    f"{length / max(runner[1], 1):,.1f} times that of the next column, "
                    f"{runner[0]!r}"
                )
            return best, why
    no_text = "no column named 'text' and "
    listing = ", ".join(
        f"{c!r} ({lengths[c]:,.0f} characters)" if c in lengths else f"{c!r} (not text)"
        for c in columns
    )
    raise ParameterError(
        "text",
        None,
        f"{where or 'the table'}: {'' if 'text' in columns else no_text}no column clearly "
        f"holds the texts (median lengths: "
        f"{listing}); name it with text= (in the report: --text COLUMN)",
        valid=columns,
    )


def _same_file(a: str | os.PathLike, b: str) -> bool:
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return False


def _report_choice(path: str | os.PathLike) -> tuple[str | None, str | None]:
    """The ``--text`` and ``--id`` the report chose for ``path``, when it is its corpus."""
    corpus = os.environ.get(REPORT_CORPUS_ENV)
    if not corpus or not _same_file(path, corpus):
        return None, None
    return os.environ.get(REPORT_TEXT_ENV) or None, os.environ.get(REPORT_ID_ENV) or None


def load_table(
    path: str | os.PathLike,
    text: str | None = None,
    id: str | None = None,
    name: str | None = None,
    sheet: str | int | Sequence[str | int] | None = None,
    delimiter: str | None = None,
    quotes: bool | None = None,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
) -> Corpus:
    """Load a table with one document per row: CSV, TSV, JSON Lines, JSON, Parquet or Excel.

    Parameters
    ----------
    path : str or Path
        The table; its format is chosen by suffix (``.csv``, ``.tsv``/``.tab``, ``.jsonl``/
        ``.ndjson``, ``.json``, ``.parquet``, ``.xlsx``/``.xlsm``/``.xls``; the text formats
        may be gzipped, ``.csv.gz``).  The file may be at most ``max_file_bytes`` large.
    text : str, optional
        Column holding the texts.  Default ``None``: the column the report was told with
        ``--text`` when ``path`` is the report's corpus; else a column named ``text``; else
        the column that clearly holds the texts (see :func:`infer_text_column`; no clear
        column is an error listing the columns).  ``"text"``, the former default, is taken
        as ``None`` for a table without such a column and for the report's corpus when the
        report was given ``--text``.
    id : str, optional
        Column holding unique document ids, used as strings exactly as written.  Default
        ``None``: the report's ``--id`` when ``path`` is the report's corpus, else the row
        number, from ``"0"``.
    name : str, optional
        Corpus name (default: the file name).
    sheet : str, int, list or "all", optional
        Excel only.  Default ``None`` reads the only sheet; a workbook with several sheets
        is then an error that lists them.  A sheet's name or 0-based position reads that
        sheet; a list of them, or ``"all"``, reads those sheets one after another, with a
        ``sheet`` column naming each row's sheet (columns a sheet lacks are empty).
    delimiter : str, optional
        CSV and TSV only: the field separator (default ``","`` for CSV, a tab for TSV).
    quotes : bool, optional
        CSV and TSV only: whether ``"`` quotes fields.  Default: yes for CSV (standard
        quoting, a quote inside a quoted field written twice), no for TSV, which is read
        literally (``"Hello" she said.`` keeps its quotes; a field cannot hold a tab or a
        line break).  Pass ``quotes=True`` for a TSV written with CSV-style quoting.
    encodings : sequence of str
        CSV, TSV and JSON: the decoding fallback chain (default ``("utf-8", "cp1252",
        "latin-1")``; see :func:`decode_bytes`).

    Returns
    -------
    Corpus
        The other columns become metadata; ``corpus.skipped`` is empty;
        ``corpus.load_note`` says which columns hold the texts and ids and how they were
        chosen (notebooks and the report print it).

    Notes
    -----
    Cells are read as written.  In CSV and TSV every cell is a string, and an empty field is
    a missing value (a missing text is an error).  A metadata column becomes numbers only
    if every value round-trips exactly: ``int64`` when each is written as Python writes an
    integer that fits 64 bits (``"1990"``, ``"-3"``), ``float64`` when each is written as
    Python writes a float (``"0.5"``); a single ``"007"``, ``"+3"``, ``"1e3"``, ``"1.50"``
    or ``"٣"`` keeps the whole column as strings, so ``str(value)`` always gives back the
    cell.  The ``text`` and ``id`` columns are never converted.  JSON values keep their JSON
    types (whole numbers stay whole where some are missing: ``Int64``), Excel cells their
    cell types (text cells stay text), Parquet columns their types.

    Errors name the file, the line (or record, or Excel row), and the column: an unclosed
    quote names the line of the record where it opens; a column name that appears twice is
    an error; a record with more or fewer fields than the header is an error.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "speeches.csv"
    >>> _ = p.write_text("id,year,code,text\\n007,1990,01,Peace.\\n010,1991,02,War.\\n")
    >>> c = tk.load_table(p, text="text", id="id")
    >>> c.doc_ids, c.meta["year"].tolist(), c.meta["code"].tolist()
    (['007', '010'], [1990, 1991], ['01', '02'])

    Without ``text=``, the column that clearly holds the texts is used, and the corpus says so:

    >>> q = p.with_name("letters.csv")
    >>> _ = q.write_text("who,body\\nAda,Dear friend: the harvest was good this year.\\n")
    >>> import textwrap
    >>> print(textwrap.fill(tk.load_table(q).load_note, 88))
    texts from column 'body' (chosen: its median length, 44 characters, is 14.7 times that
    of the next column, 'who'; name another with text=); ids: row numbers

    Every sheet of a workbook is reachable:

    >>> x = p.with_suffix(".xlsx")
    >>> with pd.ExcelWriter(x) as w:
    ...     pd.DataFrame({"text": ["A."]}).to_excel(w, sheet_name="2022", index=False)
    ...     pd.DataFrame({"text": ["B."]}).to_excel(w, sheet_name="2023", index=False)
    >>> tk.load_table(x, sheet="all").meta["sheet"].tolist()
    ['2022', '2023']
    """
    if text is not None and not isinstance(text, str):
        raise ParameterError("text", text, "text must be a column name (a string) or None")
    if id is not None and not isinstance(id, str):
        raise ParameterError("id", id, "id must be a column name (a string) or None")
    df, raw_columns, where = _read_table(path, sheet, delimiter, quotes, encodings)
    _check_unique_columns(list(df.columns), where, None)
    report_text, report_id = _report_choice(path)
    if text == "text" and ("text" not in df.columns or report_text is not None):
        text = None  # the former default ("text") yields to the report's --text and to the choice
    if text is None and report_text is not None:
        text, text_how = report_text, "given to the report with --text"
    elif text is None and "text" in df.columns:
        text, text_how = "text", "the column named 'text'"
    elif text is None:
        text, why = infer_text_column(df, where)
        text_how = f"chosen: {why}; name another with text="
    else:
        text_how = "given"
    if id is None and report_id is not None:
        id, id_how = report_id, f"ids from column {report_id!r} (given to the report with --id)"
    elif id is None:
        id_how = "ids: row numbers"
    else:
        id_how = f"ids from column {id!r}"
    _check_columns(df, text, id, where)
    for c in raw_columns:
        if c not in (text, id):
            df[c] = _numbers(df[c])
    default = PurePosixPath(where).name.split(".")[0] or "corpus"
    corpus = _corpus_from_frame(df, text, id, name or default, where)
    corpus.load_note = f"texts from column {text!r} ({text_how}); {id_how}"
    return corpus


def _check_columns(df: pd.DataFrame, text: str, id: str | None, where: str | None) -> None:
    _check_unique_columns(list(df.columns), where, None)
    columns = [str(c) for c in df.columns]
    what = where or "the data frame"
    if text not in df.columns:
        raise ParameterError("text", text, f"{what} has no text column {text!r}", valid=columns)
    if id is not None and id not in df.columns:
        raise ParameterError("id", id, f"{what} has no id column {id!r}", valid=columns)


def from_dataframe(
    df: pd.DataFrame,
    text: str = "text",
    id: str | None = None,
    name: str | None = None,
) -> Corpus:
    """Make a corpus from a pandas DataFrame with one document per row.

    Parameters
    ----------
    df : pandas.DataFrame
        Column names must be unique.
    text : str
        Column holding the texts (default ``"text"``): strings, kept exactly; a missing
        text is an error that names the rows.
    id : str, optional
        Column of unique ids, used as ``str(value)`` (default: the row number as a string,
        from ``"0"``).
    name : str, optional
        Corpus name (default ``"corpus"``).

    Returns
    -------
    Corpus
        The other columns, unchanged, become metadata; ``corpus.skipped`` is empty.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> df = pd.DataFrame({"speaker": ["A", "B"], "text": ["Hello.", "Goodbye."]})
    >>> tk.from_dataframe(df).meta.columns.tolist()
    ['speaker']
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError("df", type(df).__name__, "df must be a pandas DataFrame")
    return _corpus_from_frame(df, text, id, name, None, stacklevel=3)


def _corpus_from_frame(
    df: pd.DataFrame,
    text: str,
    id: str | None,
    name: str | None,
    _where: str | None,
    stacklevel: int = 2,
) -> Corpus:
    """:func:`from_dataframe`, with messages naming the file the table was read from
    (``_where``)."""
    _check_columns(df, text, id, _where)
    texts = df[text]
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise LoadError(
            f"column {text!r} has {len(bad)} missing or non-text value(s), at rows {bad[:10]} "
            "(counted from 0)",
            path=_where,
            column=text,
        )
    texts_list = texts.tolist()
    limit = get_option("max_document_chars")
    for i, t in enumerate(texts_list):
        if len(t) > limit:
            _check_chars(t, f"{_where or 'data frame'}, row {i}")
    if id is not None and df[id].isna().any():
        rows = np.flatnonzero(df[id].isna().to_numpy())[:10].tolist()
        raise LoadError(
            f"the id column {id!r} has missing values at rows {rows}", path=_where, column=id
        )
    ids = [str(v) for v in df[id]] if id is not None else [str(i) for i in range(len(df))]
    _check_ids(ids, _where, f"column {id!r}" if id else "row numbers", column=id)
    meta = df.drop(columns=[c for c in (text, id) if c is not None]).copy()
    meta.index = pd.Index(ids, name="doc_id")
    empty = [i for i, t in zip(ids, texts_list, strict=True) if not t]
    if empty:
        warnings.warn(
            f"{_where or 'data frame'}: {len(empty)} empty text(s) kept: {empty[:5]}",
            ToolkitWarning,
            stacklevel=stacklevel,
        )
    return Corpus(
        MemorySource(texts_list),
        meta,
        [digest(t) for t in texts_list],
        name=name or "corpus",
        skipped=_skipped_frame([]),
    )


def _nltk_where(reader: Any, fileid: str) -> str:
    try:
        pointer = reader.abspath(fileid)
        return _show(getattr(pointer, "path", pointer))
    except Exception:  # readers without files on disk
        return _show(fileid)


def from_nltk(reader: Any, fileids: Sequence[str] | None = None, name: str | None = None) -> Corpus:
    """Make a corpus from any NLTK corpus reader (one document per file id).

    Parameters
    ----------
    reader : nltk.corpus.reader.CorpusReader
        Any reader with ``fileids()`` and ``raw(fileid)``; a categorized reader adds a
        ``category`` column (categories joined by ``"; "``).  A file the reader cannot
        decode is an error naming the file: give the reader its ``encoding=``.
    fileids : list of str, optional
        Restrict to these files (default: all).
    name : str, optional
        Corpus name (default: the reader's class name).

    Examples
    --------
    NLTK (3.9 and later) opens files only below the folders in ``nltk.data.path``; add your
    corpus folder there first, as below.

    >>> import toolkit as tk, tempfile, pathlib, nltk
    >>> from nltk.corpus.reader import PlaintextCorpusReader
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> nltk.data.path.append(str(d))
    >>> _ = (d / "a.txt").write_text("A text.")
    >>> tk.from_nltk(PlaintextCorpusReader(str(d), r".*\\.txt")).doc_ids
    ['a.txt']
    """
    if not hasattr(reader, "fileids") or not hasattr(reader, "raw"):
        raise ParameterError(
            "reader",
            type(reader).__name__,
            f"{reader!r} is not an NLTK corpus reader (it has no fileids() and raw())",
        )
    fids = list(fileids) if fileids is not None else list(reader.fileids())
    if not fids:
        raise LoadError(f"the reader {reader!r} has no files")
    texts = []
    for f in fids:
        try:
            t = reader.raw(f)
        except UnicodeDecodeError as err:
            try:
                enc = reader.encoding(f)
            except Exception:
                enc = err.encoding
            raise LoadError(
                f"cannot be decoded as {enc} ({err.reason} at byte {err.start:,}); give the "
                "reader the file's encoding, e.g. PlaintextCorpusReader(root, fileids, "
                "encoding='latin-1')",
                path=_nltk_where(reader, f),
            ) from err
        except (OSError, LookupError, ValueError) as err:
            raise LoadError(f"cannot be read ({err})", path=_nltk_where(reader, f)) from err
        if not isinstance(t, str):
            raise LoadError("the reader's raw() did not give text", path=_nltk_where(reader, f))
        _check_chars(t, _nltk_where(reader, f))
        texts.append(t)
    meta = pd.DataFrame({"file": fids}, index=pd.Index(fids, name="doc_id"))
    if hasattr(reader, "categories"):
        try:
            meta["category"] = ["; ".join(reader.categories(f)) for f in fids]
        except Exception:  # readers that do not categorise by file
            pass
    name = name or type(reader).__name__
    return Corpus(
        MemorySource(texts), meta, [digest(t) for t in texts], name=name, skipped=_skipped_frame([])
    )


# --------------------------------------------------------------------------- commentary
MARKER = "Read the original article here"
_HEADLINE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bvs)"
    r"[.!?…][\"”’']?(?P<gap>[ \t]+)(?=[\"“‘'(]?[A-Z0-9])"
)


def _split_commentary(text: str, where: str) -> list[tuple[str, int, int]]:
    """Character spans of the summary, the title and the commentary of one file."""
    m = re.search(r"^[ \t]*" + re.escape(MARKER) + r"[ \t]*\r?$", text, flags=re.M)
    if m is None:
        raise LoadError(f"no line {MARKER!r}; is this a commentary file?", path=where)
    summary_end = len(text[: m.start()].rstrip())
    rest_start = m.end()
    while rest_start < len(text) and text[rest_start] in "\r\n \t":
        rest_start += 1
    line_end = text.find("\n", rest_start)
    line_end = len(text) if line_end < 0 else line_end
    first_line = text[rest_start:line_end].rstrip("\r")
    h = _HEADLINE_END.search(first_line)
    if h is None:  # the headline is the whole line; the commentary starts below it
        title_end = rest_start + len(first_line.rstrip())
        body_start = line_end
    else:
        title_end = rest_start + h.start("gap")
        body_start = rest_start + h.end("gap")
    while body_start < len(text) and text[body_start] in "\r\n \t":
        body_start += 1
    body_end = len(text.rstrip())
    return [
        ("summary", 0, summary_end),
        ("title", rest_start, title_end),
        ("commentary", body_start, max(body_start, body_end)),
    ]


def _files_of(
    path: Path, files: Any, follow_symlinks: bool
) -> tuple[list[tuple[str, Path]], list[tuple[str, str]]]:
    """The files to read at ``path`` (a folder scanned by the folder policy, or one file)
    and the files skipped, with reasons; anything else is never opened."""
    st = _stat_input(path, "file or folder")
    if stat.S_ISDIR(st.st_mode):
        scan = _scan_folder(path, files, follow_symlinks)
        return scan.found, scan.skipped
    if stat.S_ISREG(st.st_mode):
        return [(_show(path.name), path)], []
    raise LoadError(
        f"is not a file or a folder but a {_kind(st.st_mode)}; it is never opened",
        path=_show(path),
    )


def load_commentary(
    path: str | os.PathLike, files: str = "*.txt", follow_symlinks: bool = False
) -> Corpus:
    """Load news-commentary files: a summary, the line ``Read the original article here``,
    then a headline and the commentary.

    Each file gives three documents, ``{file stem}/summary``, ``/title`` and
    ``/commentary``, with columns ``section``, ``source_id`` (the file stem), ``file``,
    ``char_start``/``char_end`` (span in the file's text) and ``encoding``.  When the
    headline runs into the first commentary paragraph on the same line, it ends at the first
    sentence end (``.``, ``!``, ``?`` followed by white space and a capital, not after an
    initial or a title such as ``Mr``); when it stands on a line of its own, it is that line.
    Only the white space between the parts is left out.

    Parameters
    ----------
    path : str or Path
        One file, or a folder searched recursively for ``files``, by the rules of
        :func:`load_folder` (files not read are listed in ``corpus.skipped``).
    files : str
        Glob for file names when ``path`` is a folder, matched case-insensitively (default
        ``"*.txt"``).
    follow_symlinks : bool
        As for :func:`load_folder` (default ``False``).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample("commentary")
    >>> c.meta["section"].tolist()
    ['summary', 'title', 'commentary']
    """
    path = _check_path(path)
    file_list, skipped = _files_of(path, files, follow_symlinks)
    if not file_list:
        raise LoadError(f"no files to read matching files={files!r}", path=_show(path))
    texts, records = [], []
    for rel, fp in file_list:
        where = _show(fp)
        text, enc = decode_bytes(_read_file(fp, where), where)
        _check_chars(text, where)
        stem = PurePosixPath(rel).name.rsplit(".", 1)[0]
        for section, start, end in _split_commentary(text, where):
            texts.append(text[start:end])
            records.append(
                {
                    "doc_id": f"{stem}/{section}",
                    "source_id": stem,
                    "section": section,
                    "file": rel,
                    "char_start": start,
                    "char_end": end,
                    "encoding": enc,
                }
            )
    _warn_skipped(_show(path), skipped)
    meta = pd.DataFrame.from_records(records)
    _check_ids(meta["doc_id"].tolist(), _show(path), "two files with the same name")
    meta = meta.set_index("doc_id")
    meta["section"] = pd.Categorical(meta["section"], ["summary", "title", "commentary"])
    return Corpus(
        MemorySource(texts),
        meta,
        [digest(t) for t in texts],
        name="commentary",
        skipped=_skipped_frame(skipped),
    )


# --------------------------------------------------------------------------- given tokens
#: Separator between two tokens: within a sentence, at a sentence and a paragraph boundary.
_SEPARATORS = (" ", "\n", "\n\n")
#: Columns of a structure table that its regions' attributes cannot take.
_REGION_COLUMNS = ("doc_id", "doc", *STRUCTURE_COLUMNS)


def _check_layer_name(name: Any, parameter: str) -> None:
    if not isinstance(name, str) or not name.isidentifier() or name == "word":
        raise ParameterError(
            parameter,
            name,
            f"{parameter}: the layer name {name!r} must be a Python identifier such as "
            "'lemma' or 'pos', and not 'word' (the tokens themselves)",
        )


def _check_space_option(space_in_tokens: str | None) -> None:
    if space_in_tokens is None:
        return
    if not isinstance(space_in_tokens, str) or space_in_tokens.split() != [space_in_tokens]:
        raise ParameterError(
            "space_in_tokens",
            space_in_tokens,
            "space_in_tokens must be None (white space in a token is an error) or a non-empty "
            "string without white space that replaces it, such as '_'",
        )


def _no_space(word: str, space_in_tokens: str | None) -> str | None:
    """The token as indexed, or None if it is empty or holds white space (and may not)."""
    parts = word.split()
    if parts == [word]:
        return word
    if space_in_tokens is None or not parts:
        return None
    return space_in_tokens.join(parts)


class _Regions:
    """The regions of one structural attribute, gathered column by column."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.n = 0
        self.base: dict[str, list[int]] = {c: [] for c in ("doc", *STRUCTURE_COLUMNS)}
        self.attrs: dict[str, list[Any]] = {}

    def add(self, values: tuple[int, int, int, int, int], attrs: dict[str, Any]) -> None:
        for column, v in zip(self.base.values(), values, strict=True):
            column.append(v)
        for k, v in attrs.items():
            if k in _REGION_COLUMNS:  # an attribute named like a column keeps a prefix
                k = f"{self.name}_{k}"
            attr = self.attrs.get(k)
            if attr is None:
                attr = self.attrs[k] = [None] * self.n
            attr.append(v)
        self.n += 1
        for attr in self.attrs.values():
            if len(attr) < self.n:
                attr.append(None)

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame({c: np.asarray(v, dtype=np.int64) for c, v in self.base.items()})
        for k, v in self.attrs.items():
            out[k] = _numbers(pd.Series(v, dtype=object))
        return out


class _Collector:
    """Texts, token counts, layer ids and structural regions of a corpus of given tokens,
    gathered document by document while its tokens are read.

    Tokens arrive as rows of fields (``rows``; the word at ``word``, the layers' values at
    ``values``), so that a reader can append the fields of a line as they are; at the end
    of each document the rows are turned column-wise into its text, its layer ids
    (factorised a document at a time) and its regions' character spans.  A document's
    text is its tokens joined by a space, a line break where a sentence ends
    (:meth:`boundary` 1) and an empty line where a paragraph ends (2).
    """

    def __init__(
        self, layer_names: Sequence[str], word: int = 0, values: Sequence[int] | None = None
    ) -> None:
        self.source = BufferSource()
        self.digests: list[bytes] = []
        self.offsets = [0]
        self.n_tokens = 0
        self.layer_names = list(layer_names)
        self.word = word
        self.values = list(range(1, len(self.layer_names) + 1)) if values is None else values
        self.layer_ids: list[list[np.ndarray]] = [[] for _ in self.layer_names]
        self.lookups: list[dict[str, int]] = [{} for _ in self.layer_names]
        self.regions: dict[str, _Regions] = {}
        self.doc = 0
        self.order = 0
        # the current document (emptied in place, so readers may keep a reference to rows)
        self.rows: list[list[str]] = []
        self.breaks: dict[int, int] = {}
        self.pending: list[tuple[int, str, int, int, dict[str, Any]]] = []

    def next_order(self) -> int:
        """A number that orders regions as their elements were opened (file order)."""
        self.order += 1
        return self.order

    @property
    def position(self) -> int:
        """Position (in its document) of the next token."""
        return len(self.rows)

    def boundary(self, level: int) -> None:
        """Separate the next token from the previous one by a line break (1) or an empty
        line (2), unless it is the document's first."""
        at = len(self.rows)
        if at and self.breaks.get(at, 0) < level:
            self.breaks[at] = level

    def token(self, word: str, values: Sequence[str]) -> None:
        self.rows.append([word, *values])

    def region(
        self,
        name: str,
        start: int,
        attrs: dict[str, Any],
        end: int | None = None,
        order: int | None = None,
    ) -> None:
        """A region of the current document from token ``start`` to ``end`` (default: the
        current position); ``order`` from :meth:`next_order` when its element was opened."""
        order = self.next_order() if order is None else order
        self.pending.append((order, name, start, len(self.rows) if end is None else end, attrs))

    def end_document(self, where: str) -> None:
        n = len(self.rows)
        columns = list(zip(*self.rows, strict=True)) if n else []
        words = columns[self.word] if n else ()
        breaks = {at: level for at, level in self.breaks.items() if at < n}
        if not breaks:
            text = " ".join(words)
        else:
            parts, prev = [], 0
            for at in sorted(breaks):
                parts.append(" ".join(words[prev:at]))
                parts.append(_SEPARATORS[breaks[at]])
                prev = at
            parts.append(" ".join(words[prev:]))
            text = "".join(parts)
        _check_chars(text, where)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
        seps = np.ones(n, dtype=np.int64)
        if n:
            seps[0] = 0
        for at, level in breaks.items():
            seps[at] = len(_SEPARATORS[level])
        ends = np.cumsum(lengths + seps)
        starts = ends - lengths
        self.pending.sort(key=lambda r: r[0])
        for _, name, start, end, attrs in self.pending:
            if end > start:
                span = (int(starts[start]), int(ends[end - 1]))
            else:  # an empty region sits where the next token starts (or the text ends)
                at = int(starts[start]) if start < n else len(text)
                span = (at, at)
            regions = self.regions.get(name)
            if regions is None:
                regions = self.regions[name] = _Regions(name)
            regions.add((self.doc, start, end, *span), attrs)
        for k, i in enumerate(self.values):
            if not n:
                continue
            codes, uniques = pd.factorize(np.array(columns[i], dtype=object))
            lookup = self.lookups[k]
            to_global = np.fromiter(
                (lookup.setdefault(u, len(lookup)) for u in uniques.tolist()),
                dtype=np.int32,
                count=len(uniques),
            )
            self.layer_ids[k].append(to_global[codes])
        self.source.append(text)
        self.digests.append(digest(text))
        self.n_tokens += n
        self.offsets.append(self.n_tokens)
        self.doc += 1
        self.rows.clear()
        self.breaks.clear()
        self.pending.clear()

    def corpus(
        self,
        meta: pd.DataFrame,
        name: str,
        skipped: list[tuple[str, str]],
        drop_unset: str | None = None,
    ) -> Corpus:
        """The corpus; layers whose every value is ``drop_unset`` are left out."""
        layers: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for layer, ids, lookup in zip(self.layer_names, self.layer_ids, self.lookups, strict=True):
            if drop_unset is not None and set(lookup) <= {drop_unset}:
                continue
            layers[layer] = (
                np.concatenate(ids).astype(np.int32) if ids else np.zeros(0, np.int32),
                np.array(list(lookup), dtype=object),
            )
        given = Pretokenized(
            offsets=np.asarray(self.offsets, dtype=np.int64),
            layers=layers,
            structures={k: r.frame() for k, r in self.regions.items()},
        )
        return Corpus(
            self.source,
            meta,
            self.digests,
            name=name,
            skipped=_skipped_frame(skipped),
            pretokenized=given,
        )


def _meta_frame(records: list[dict[str, Any]], where: str | None, hint: str) -> pd.DataFrame:
    """Document metadata from records with a ``doc_id``: texts columns become numbers where
    every value is a number (as :func:`load_folder` does)."""
    meta = pd.DataFrame.from_records(records, columns=_record_columns(records))
    _check_ids(meta["doc_id"].tolist(), where, hint)
    meta = meta.set_index("doc_id")
    for c in meta.columns:
        if c != "file":
            meta[c] = _numbers(meta[c])
    return meta


def _record_columns(records: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {"doc_id": None}
    for r in records:
        seen.update(dict.fromkeys(r))
    return list(seen)


def _input_files(
    path: Any, files: str | Sequence[str], follow_symlinks: bool
) -> tuple[Path, str, list[tuple[str, Path]], list[tuple[str, str]]]:
    """The files to read: ``path`` itself, or the files of a folder matching ``files``."""
    path = _check_path(path)
    if isinstance(files, str):
        ok = bool(files)
    else:
        files = tuple(files)
        ok = bool(files) and all(isinstance(f, str) and f for f in files)
    if not ok:
        raise ParameterError("files", files, "files must be a non-empty glob such as '*.conllu'")
    shown = _show(path)
    found, skipped = _files_of(path, files, follow_symlinks)
    if not found:
        listed = "; ".join(f"{p!r} ({r})" for p, r in skipped[:5])
        raise LoadError(
            f"no files to read matching files={files!r}"
            + (f"; {_plural(len(skipped), 'file')} skipped: {listed}" if skipped else ""),
            path=shown,
        )
    return path, shown, found, skipped


def _given_batches(
    path: Any,
    files: str | Sequence[str],
    follow_symlinks: bool,
    new_reader: Callable[[], Any],
    name: str | None,
    progress: bool | None,
    batch_bytes: int | None,
) -> Iterator[Corpus]:
    """The documents of CoNLL-U or VRT files (read by ``new_reader()``'s reader) as one
    corpus (``batch_bytes`` None), or as a stream of corpora of about ``batch_bytes``
    characters each, a new one after the file that fills it (a file is never split, and no
    document spans files).  Every layer of a stream is kept, even one whose values are all
    unset (``_``): a batch cannot know the others, and the shards of a store need the same
    layers."""
    path, shown, found, skipped = _input_files(path, files, follow_symlinks)
    _warn_skipped(shown, skipped)
    corpus_name = name or path.name.split(".")[0] or "corpus"
    reader = new_reader()
    drop = reader.unset if batch_bytes is None else None
    size, given = 0, 0
    bar = tqdm(found, desc=f"reading {path.name}", unit=" files", **progress_options(progress))
    for rel, fp in bar:
        where = _show(fp)
        text = _read_utf8(fp, where)
        reader.read(text, where, rel)
        size += len(text)
        if batch_bytes is not None and size >= batch_bytes and reader.records:
            meta = _meta_frame(reader.records, shown, reader.id_hint)
            yield reader.collector.corpus(meta, corpus_name, skipped if not given else [], drop)
            given += 1
            reader, size = new_reader(), 0
    if reader.records:
        meta = _meta_frame(reader.records, shown, reader.id_hint)
        yield reader.collector.corpus(meta, corpus_name, skipped if not given else [], drop)
    elif not given:
        raise LoadError(reader.empty, path=shown)


def _read_utf8(fp: Path, where: str) -> str:
    """A file's text, decoded as UTF-8 (a byte-order mark is allowed)."""
    text, _ = decode_bytes(_read_file(fp, where), where, ("utf-8",))
    return text


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines (from 1), cut at ``\\n`` only, without a final ``\\r``."""
    for n, line in enumerate(text.split("\n"), start=1):
        yield n, line[:-1] if line.endswith("\r") else line


# ................................................................. from_tokens
def _as_list(value: Any) -> list[Any] | None:
    """A list of the items of a sequence or iterable (a list, a tuple, an array, NLTK's
    corpus views…); None for strings, mappings, sets and anything else."""
    if isinstance(value, str | bytes | Mapping | set | frozenset):
        return None
    if isinstance(value, np.ndarray):
        return value.tolist() if value.ndim else None
    if isinstance(value, Iterable):
        return list(value)
    return None


def _document_sentences(doc: Any, what: str) -> tuple[list[list[Any]], bool]:
    """A document's sentences (one for a flat token list) and whether it was given as
    sentences."""
    items = _as_list(doc)
    if items is None:
        kind = "a string" if isinstance(doc, str) else f"a {type(doc).__name__}"
        raise ParameterError(
            "documents",
            type(doc).__name__,
            f"{what} is {kind}; give a list of tokens (or a list of sentences, each a list "
            "of tokens); for texts to tokenise use tk.from_dataframe",
        )
    lists = [_as_list(x) for x in items]
    if items and all(x is not None for x in lists):
        return lists, True  # type: ignore[return-value]
    if any(x is not None for x in lists):
        raise ParameterError(
            "documents",
            None,
            f"{what} mixes tokens and lists; give a list of tokens or a list of sentences",
        )
    return [items], False


def from_tokens(
    documents: Sequence[Any],
    layers: dict[str, Sequence[Any]] | None = None,
    meta: pd.DataFrame | dict[str, Sequence[Any]] | Sequence[dict[str, Any]] | None = None,
    ids: str | Sequence[Any] | None = None,
    name: str | None = None,
) -> Corpus:
    """Make a corpus from tokens another tool made, with optional annotation layers.

    The tokens are kept exactly: the corpus's token index holds them one for one, never
    re-tokenised (``"don't"`` given as one token stays one).  Each document's text is its
    tokens joined by single spaces, sentences joined by line breaks, so concordances show
    them.

    Parameters
    ----------
    documents : list
        One entry per document: a list of tokens (strings), or a list of sentences, each a
        list of tokens (the two may be mixed across documents).  Tuples, arrays, iterators
        and NLTK's corpus views (``reader.words(fileid)``, ``reader.sents(fileid)``) do as
        well as lists.  A token may not be empty
        or hold white space.
    layers : dict, optional
        Layer name → one entry per document, shaped exactly like ``documents`` (a list of
        values per document, or a list of lists per sentence), values strings, e.g.
        ``{"lemma": [...], "pos": [...]}``.  Names must be Python identifiers; ``"word"``
        is the tokens themselves.  The layers are read like those of
        :meth:`Corpus.annotate`: ``tk.tokens(c, layer="lemma")``,
        ``tk.kwic(c, '[pos="NOUN"]', match="cqp")``.
    meta : DataFrame, dict of columns or list of dicts, optional
        Metadata, one row per document in order (a DataFrame's index is not used).
    ids : str or list, optional
        Document ids: a list of unique values (used as ``str(value)``), or the name of a
        ``meta`` column holding them (default: ``"0"``, ``"1"``, …).
    name : str, optional
        Corpus name (default ``"corpus"``).

    Returns
    -------
    Corpus
        ``corpus.pretokenized`` is True.  Documents given as sentences have the structure
        ``"s"``: ``corpus.structure("s")`` gives each sentence's token and character span.

    Raises
    ------
    ParameterError
        A document, token or layer value is not what it must be (the message names the
        document, sentence and token, counted from 0), a layer has another shape than the
        tokens, or a layer name, ``meta`` or ``ids`` is invalid.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_tokens(
    ...     [["We", "don't", "agree", "."], [["It", "is", "."], ["Yes", "."]]],
    ...     layers={"lemma": [["we", "do", "agree", "."], [["it", "be", "."], ["yes", "."]]]},
    ...     meta={"speaker": ["A", "B"]},
    ... )
    >>> c.text("0"), c.text("1")
    ("We don't agree .", 'It is .\\nYes .')
    >>> list(tk.tokens(c, case_sensitive=True, punct=True))
    [['We', "don't", 'agree', '.'], ['It', 'is', '.', 'Yes', '.']]
    >>> list(tk.tokens(c, layer="lemma"))
    [['we', 'do', 'agree'], ['it', 'be', 'yes']]
    >>> tk.kwic(c, '[lemma="be"]', match="cqp").to_frame()["keyword"].tolist()
    ['is']
    """
    docs = _as_list(documents) if not isinstance(documents, str) else None
    if docs is None:
        raise ParameterError(
            "documents",
            type(documents).__name__,
            "documents must be a list of documents, each a list of tokens (or of sentences)",
        )
    layers = dict(layers or {})
    layer_docs: dict[str, list[Any]] = {}
    for layer, values in layers.items():
        _check_layer_name(layer, "layers")
        per_doc = _as_list(values) if not isinstance(values, str) else None
        if per_doc is None or len(per_doc) != len(docs):
            n = "not a list" if per_doc is None else f"{len(per_doc)} entries"
            raise ParameterError(
                "layers",
                layer,
                f"layers[{layer!r}] must have one entry per document ({len(docs)}): {n}",
            )
        layer_docs[layer] = per_doc
    doc_ids, meta_frame = _given_ids_and_meta(len(docs), meta, ids)
    collector = _Collector(list(layer_docs))
    empty = []
    for d, doc in enumerate(docs):
        what = f"document {d} (id {doc_ids[d]!r})"
        sentences, as_sentences = _document_sentences(doc, what)
        values_of = {}
        for layer, per_doc in layer_docs.items():
            lwhat = f"layers[{layer!r}], {what}"
            lsentences, l_as_sentences = _document_sentences(per_doc[d], lwhat)
            if l_as_sentences != as_sentences:
                shape = "lists of values per sentence" if as_sentences else "a flat list"
                raise ParameterError(
                    "layers", layer, f"{lwhat}: give {shape}, shaped like the tokens"
                )
            if len(lsentences) != len(sentences):
                raise ParameterError(
                    "layers",
                    layer,
                    f"{lwhat}: {len(lsentences)} sentences of values for {len(sentences)}",
                )
            for k, (toks, vals) in enumerate(zip(sentences, lsentences, strict=True)):
                if len(toks) != len(vals):
                    where = f"{lwhat}, sentence {k}" if as_sentences else lwhat
                    raise ParameterError(
                        "layers", layer, f"{where}: {len(vals)} values for {len(toks)} tokens"
                    )
            values_of[layer] = lsentences
        for k, toks in enumerate(sentences):
            if as_sentences:
                collector.boundary(1)
            start = collector.position
            for i, tok in enumerate(toks):
                at = f"{what}, sentence {k}, token {i}" if as_sentences else f"{what}, token {i}"
                if not isinstance(tok, str):
                    raise ParameterError(
                        "documents", tok, f"{at} is a {type(tok).__name__}, not a string"
                    )
                if _no_space(tok, None) is None:
                    raise ParameterError(
                        "documents",
                        tok,
                        f"{at} is {tok!r}: a token may not be empty or hold white space (the "
                        "index cuts the text at white space); replace the spaces, e.g. with '_'",
                    )
                values = []
                for layer in layer_docs:
                    v = values_of[layer][k][i]
                    if not isinstance(v, str):
                        raise ParameterError(
                            "layers", layer, f"layers[{layer!r}], {at}: {v!r} is not a string"
                        )
                    values.append(v)
                collector.token(tok, values)
            if as_sentences:
                collector.region("s", start, {})
        if collector.position == 0:
            empty.append(doc_ids[d])
        collector.end_document(what)
    if empty:
        warnings.warn(
            f"{len(empty)} document(s) without tokens kept as empty documents: {empty[:5]}",
            ToolkitWarning,
            stacklevel=2,
        )
    meta_frame.index = pd.Index(doc_ids, name="doc_id")
    return collector.corpus(meta_frame, name or "corpus", [])


def _given_ids_and_meta(
    n: int, meta: Any, ids: str | Sequence[Any] | None
) -> tuple[list[str], pd.DataFrame]:
    """Document ids and the metadata frame (positional rows) for :func:`from_tokens`."""
    if meta is None:
        frame = pd.DataFrame(index=range(n))
    elif isinstance(meta, pd.DataFrame):
        frame = meta.reset_index(drop=True)
    else:
        try:
            frame = pd.DataFrame(meta)
        except (TypeError, ValueError) as err:
            raise ParameterError(
                "meta", type(meta).__name__, f"meta cannot be made a DataFrame ({err})"
            ) from err
        frame = frame.reset_index(drop=True)
    if len(frame) != n:
        raise ParameterError(
            "meta",
            len(frame),
            f"meta has {len(frame)} rows for {n} documents; give one per document",
        )
    _check_unique_columns(list(frame.columns), None, None)
    if ids is None:
        doc_ids = [str(i) for i in range(n)]
    elif isinstance(ids, str):
        if ids not in frame.columns:
            raise ParameterError(
                "ids", ids, f"meta has no column {ids!r}", valid=[str(c) for c in frame.columns]
            )
        if frame[ids].isna().any():
            raise ParameterError("ids", ids, f"the id column {ids!r} has missing values")
        doc_ids = [str(v) for v in frame[ids]]
        frame = frame.drop(columns=[ids])
    else:
        given = _as_list(ids)
        if given is None or len(given) != n:
            raise ParameterError("ids", ids, f"ids must be a list of {n} ids, one per document")
        doc_ids = [str(v) for v in given]
    dup = sorted({d for d in doc_ids if doc_ids.count(d) > 1}) if len(set(doc_ids)) < n else []
    if dup:
        raise ParameterError(
            "ids", dup[:10], f"duplicate document ids {dup[:10]}; ids must be unique"
        )
    return doc_ids, frame.copy()


# ................................................................. CoNLL-U
#: The ten columns of a CoNLL-U file.
CONLLU_COLUMNS = ("id", "form", "lemma", "upos", "xpos", "feats", "head", "deprel", "deps", "misc")
#: CoNLL-U columns read as layers by default, and the layers' names.
CONLLU_LAYERS = {"lemma": "lemma", "upos": "pos", "xpos": "xpos", "feats": "feats"}


def _check_conllu_columns(columns: dict[str, str] | None) -> dict[str, str]:
    if columns is None:
        return dict(CONLLU_LAYERS)
    if not isinstance(columns, dict):
        raise ParameterError(
            "columns",
            columns,
            "columns must map CoNLL-U columns to layer names, e.g. "
            "{'lemma': 'lemma', 'upos': 'pos'}",
        )
    allowed = CONLLU_COLUMNS[2:]
    for col, layer in columns.items():
        if col not in allowed:
            raise ParameterError(
                "columns", col, f"columns: no CoNLL-U column {col!r}", valid=allowed
            )
        _check_layer_name(layer, "columns")
    if len(set(columns.values())) < len(columns):
        raise ParameterError("columns", columns, "columns: two columns give the same layer name")
    return dict(columns)


class _ConlluReader:
    """Reads CoNLL-U files into a :class:`_Collector`, one document at a time.

    Comment lines are parsed by the ``conllu`` package (``parse_comment_line``), word ids
    by its ``parse_id_value``; lines are split here, at tabs only, so that every error can
    name its line and a form may hold single spaces.
    """

    empty = "no sentences found; is this CoNLL-U?"
    id_hint = "check the '# newdoc id' comments"
    unset = "_"  # a column of this value throughout gives no layer

    def __init__(
        self, columns: dict[str, str], multiword: str, space_in_tokens: str | None
    ) -> None:
        self.columns = columns
        self.index_of = [CONLLU_COLUMNS.index(c) for c in columns]
        self.multiword = multiword
        self.space_in_tokens = space_in_tokens
        self.collector = _Collector(list(columns.values()))
        self.records: list[dict[str, Any]] = []

    # one file ---------------------------------------------------------------------
    def read(self, text: str, where: str, rel: str) -> None:
        self.where, self.rel = where, rel
        self.stem = PurePosixPath(rel).name.rsplit(".", 1)[0]
        self.docs_in_file = 0
        # an implicit document opens the file; it is dropped if a "# newdoc" comes first
        self._open_document(None, implicit=True)
        comments: list[tuple[int, str]] = []
        words: list[tuple[int, list[str]]] = []
        for n, line in _lines(text):
            if not line.strip():
                if comments or words:
                    self._sentence(comments, words)
                    comments, words = [], []
            elif line.startswith("#"):
                if words:
                    raise LoadError(
                        "a comment line inside a sentence; comments come before its first word "
                        "(is an empty line missing?)",
                        path=where,
                        line=n,
                    )
                comments.append((n, line))
            else:
                words.append((n, line.split("\t")))
        if comments or words:
            self._sentence(comments, words)
        self._close_document()

    # documents --------------------------------------------------------------------
    def _open_document(self, doc_id: str | None, implicit: bool = False) -> None:
        self.doc_id = doc_id
        self.implicit = implicit
        self.doc_meta: dict[str, Any] = {}
        self.doc_comments = True  # comments before the first sentence-level one
        self.paragraph: tuple[int, dict[str, Any]] | None = None

    def _close_document(self) -> None:
        c = self.collector
        if self.implicit and c.position == 0:
            return  # nothing before the first "# newdoc"
        if self.paragraph is not None:
            c.region("p", *self.paragraph)
        self.docs_in_file += 1
        doc_id = self.doc_id
        if doc_id is None:
            doc_id = self.stem if self.implicit else f"{self.stem}/{self.docs_in_file}"
        rec: dict[str, Any] = {"doc_id": doc_id, "file": self.rel}
        for k, v in self.doc_meta.items():
            rec[f"doc_{k}" if k in ("doc_id", "file") else k] = v
        self.records.append(rec)
        c.end_document(f"{self.where}, document {doc_id!r}")

    # sentences --------------------------------------------------------------------
    def _sentence(self, comments: list[tuple[int, str]], lines: list[tuple[int, list[str]]]):
        c = self.collector
        attrs: dict[str, Any] = {}
        for n, line in comments:
            for key, value in parse_comment_line(line):
                if key == "newdoc" or key.startswith("newdoc "):
                    self._close_document()
                    self._open_document(value if key == "newdoc id" else None)
                elif key == "newpar" or key.startswith("newpar "):
                    self.doc_comments = False
                    if self.paragraph is not None:
                        c.region("p", *self.paragraph)
                    c.boundary(2)
                    self.paragraph = (c.position, {"id": value} if key == "newpar id" else {})
                elif key == "global.columns":
                    if [v.lower() for v in (value or "").split()] != list(CONLLU_COLUMNS):
                        raise LoadError(
                            f"CoNLL-U Plus columns {value!r} are not supported; the ten "
                            "CoNLL-U columns are",
                            path=self.where,
                            line=n,
                        )
                elif self.doc_comments and key not in ("sent_id", "text") and value is not None:
                    self.doc_meta[key] = value
                elif value is not None:
                    self.doc_comments = False
                    attrs[key] = value
        if not lines:
            return
        self.doc_comments = False
        words, ranges = self._words(lines)
        c.boundary(1)
        start = c.position
        if self.multiword == "surface":
            i = 0
            for first, last, form, _ in ranges:
                for w in words[i : first - 1]:
                    c.token(w[0], w[1])
                parts = words[first - 1 : last]
                values = ["+".join(p[1][k] for p in parts) for k in range(len(self.index_of))]
                c.token(form, values)
                i = last
            for w in words[i:]:
                c.token(w[0], w[1])
        else:
            for w in words:
                c.token(w[0], w[1])
        c.region("s", start, attrs)
        if self.multiword == "words":
            for first, last, form, _ in ranges:
                c.region("mwt", start + first - 1, {"form": form}, end=start + last)

    def _words(
        self, lines: list[tuple[int, list[str]]]
    ) -> tuple[list[tuple[str, list[str]]], list[tuple[int, int, str, int]]]:
        """The words of a sentence (form, layer values) and its multi-word tokens
        (first and last word id, form, line)."""
        words: list[tuple[str, list[str]]] = []
        ranges: list[tuple[int, int, str, int]] = []
        pending_end = 0
        for n, fields in lines:
            if len(fields) != 10:
                raise LoadError(
                    f"{len(fields)} tab-separated fields; a CoNLL-U line has 10 (ID FORM "
                    "LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC)",
                    path=self.where,
                    line=n,
                )
            token_id = fields[0]
            if token_id.isascii() and token_id.isdigit() and token_id[0] != "0":
                wid: Any = int(token_id)  # a word: the common case, without a regex
            else:
                try:
                    wid = parse_id_value(token_id)
                except ParseException:
                    wid = None
            if wid is None:
                raise LoadError(
                    f"{fields[0]!r} is not a word id (1, 2, …), a range (1-2) or an empty "
                    "node (1.1)",
                    path=self.where,
                    line=n,
                    column="ID",
                )
            expected = len(words) + 1
            if isinstance(wid, tuple) and wid[1] == ".":
                continue  # an empty node: not a token of the text
            form = _no_space(fields[1], self.space_in_tokens)
            if form is None:
                raise LoadError(
                    f"the form {fields[1]!r} is empty or holds white space; pass "
                    "space_in_tokens='_' to replace white space in tokens",
                    path=self.where,
                    line=n,
                    column="FORM",
                )
            if isinstance(wid, tuple):
                first, last = wid[0], wid[2]
                if first != expected or pending_end >= expected:
                    raise LoadError(
                        f"the range {fields[0]} does not start at the next word ({expected})",
                        path=self.where,
                        line=n,
                        column="ID",
                    )
                ranges.append((first, last, form, n))
                pending_end = last
                continue
            if wid != expected:
                raise LoadError(
                    f"word id {wid} where {expected} was expected (ids count 1, 2, … in "
                    "each sentence)",
                    path=self.where,
                    line=n,
                    column="ID",
                )
            words.append((form, [fields[i] for i in self.index_of]))
        if ranges and ranges[-1][1] > len(words):
            first, last, _, n = ranges[-1]
            raise LoadError(
                f"the range {first}-{last} goes beyond the sentence's last word ({len(words)})",
                path=self.where,
                line=n,
                column="ID",
            )
        return words, ranges


def load_conllu(
    path: str | os.PathLike,
    files: str | Sequence[str] = "*.conllu",
    columns: dict[str, str] | None = None,
    multiword: str = "words",
    space_in_tokens: str | None = None,
    name: str | None = None,
    progress: bool | None = None,
    follow_symlinks: bool = False,
) -> Corpus:
    """Load CoNLL-U files (Universal Dependencies; ParlaMint, UDPipe, Stanza output).

    The tokens are kept exactly as the files have them (never re-tokenised), with their
    lemma, part-of-speech and feature columns as annotation layers of the token index.

    Documents
        A ``# newdoc`` comment starts a document, its id from ``# newdoc id = …``
        (without one: ``{file stem}/{n}``).  A file without ``# newdoc`` is one document
        with the file stem as its id; so are sentences before a file's first
        ``# newdoc``.  The document-level comments ``# key = value`` (those after
        ``# newdoc``, or at the top of a file without it, before the first ``# newpar``,
        ``# sent_id`` or ``# text``) become metadata columns (``doc_`` is prefixed to a
        key ``file`` or ``doc_id``), numbers where every value is one; comments above a
        file's first ``# newdoc`` are not read.
    Tokens and text
        The words (integer ids) are the tokens; empty nodes (``8.1``) are left out.  A
        document's text is its tokens joined by spaces, each sentence on a line of its
        own, and an empty line where ``# newpar`` starts a paragraph (``SpaceAfter=No`` is
        not applied: every token stays one white-space-delimited chunk).  The original
        text of each sentence stays in its ``text`` attribute (below).
    Multi-word tokens (``multiword``)
        ``"words"`` (default): the syntactic words are the tokens (Spanish *del* is the
        tokens *de* and *el*, with their own lemma and part of speech, so a query for
        ``[lemma="el"]`` finds it), and each multi-word token is a region of the structure
        ``"mwt"`` with its surface ``form``.  ``"surface"``: the surface form is one token
        and its layer values are the words' values joined by ``+`` (lemma ``de+el``, pos
        ``ADP+DET``).
    Layers (``columns``)
        Default: LEMMA → ``lemma``, UPOS → ``pos``, XPOS → ``xpos``, FEATS → ``feats`` (as
        written, e.g. ``Number=Sing|Person=3``); a column that is ``_`` throughout the
        corpus gives no layer.  Values are kept as written (``_`` included).
    Structures
        ``corpus.structure("s")``: one region per sentence, with the sentence-level
        comments as attributes (``sent_id``, ``text``, …); ``"p"``: one per ``# newpar``,
        with ``id``; ``"mwt"`` as above.

    Parameters
    ----------
    path : str or Path
        A CoNLL-U file (any name), or a folder searched recursively for ``files`` by the
        rules of :func:`load_folder` (files not read are listed in ``corpus.skipped``).
    files : str or list of str
        Glob(s) for file names in a folder, matched case-insensitively (default
        ``"*.conllu"``).
    columns : dict, optional
        CoNLL-U column (``lemma``, ``upos``, ``xpos``, ``feats``, ``head``, ``deprel``,
        ``deps``, ``misc``) → layer name; default as above.
    multiword : {"words", "surface"}
        How multi-word tokens are indexed (above).
    space_in_tokens : str, optional
        A form with white space in it (UD allows ``400 000``) is an error naming the line
        (default); with a string such as ``"_"``, each run of white space in a form is
        replaced by it.
    name : str, optional
        Corpus name (default: the file or folder name without extension).
    progress : bool, optional
        Progress bar over the files (default: the global option).
    follow_symlinks : bool
        As for :func:`load_folder` (default ``False``).

    Returns
    -------
    Corpus
        Metadata: ``file`` (the path relative to ``path``) and the document-level
        comments.  ``corpus.pretokenized`` is True.

    Raises
    ------
    LoadError
        A malformed line, naming the file and line (and the column at fault): not ten
        tab-separated fields, a bad or out-of-order id, an empty form or one with white
        space; duplicate document ids; nothing to read.
    ParameterError
        An invalid ``columns``, ``multiword``, ``files`` or ``space_in_tokens``.

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "es.conllu"
    >>> _ = f.write_text(
    ...     "# newdoc id = d1\\n# year = 2020\\n# sent_id = s1\\n# text = Vamos del pueblo.\\n"
    ...     "1\\tVamos\\tir\\tVERB\\t_\\t_\\t0\\troot\\t_\\t_\\n"
    ...     "2-3\\tdel\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\n"
    ...     "2\\tde\\tde\\tADP\\t_\\t_\\t4\\tcase\\t_\\t_\\n"
    ...     "3\\tel\\tel\\tDET\\t_\\t_\\t4\\tdet\\t_\\t_\\n"
    ...     "4\\tpueblo\\tpueblo\\tNOUN\\t_\\t_\\t1\\tobl\\t_\\tSpaceAfter=No\\n"
    ...     "5\\t.\\t.\\tPUNCT\\t_\\t_\\t1\\tpunct\\t_\\t_\\n\\n", encoding="utf-8")
    >>> c = tk.load_conllu(f)
    >>> c.doc_ids, c.meta["year"].tolist(), c.text("d1")
    (['d1'], [2020], 'Vamos de el pueblo .')
    >>> list(tk.tokens(c, layer="pos", case_sensitive=True))
    [['VERB', 'ADP', 'DET', 'NOUN']]
    >>> c.structure("mwt")[["start", "end", "form"]].values.tolist()
    [[1, 3, 'del']]
    >>> c.structure("s")[["sent_id", "text"]].values.tolist()
    [['s1', 'Vamos del pueblo.']]
    >>> tk.load_conllu(f, multiword="surface").text("d1")
    'Vamos del pueblo .'
    """
    reader = _conllu_reader(columns, multiword, space_in_tokens)
    return next(_given_batches(path, files, follow_symlinks, reader, name, progress, None))


def _conllu_reader(
    columns: dict[str, str] | None, multiword: str, space_in_tokens: str | None
) -> Callable[[], _ConlluReader]:
    """A maker of CoNLL-U readers, its options checked."""
    cols = _check_conllu_columns(columns)
    if multiword not in ("words", "surface"):
        raise ParameterError("multiword", multiword, valid=["words", "surface"])
    _check_space_option(space_in_tokens)
    return lambda: _ConlluReader(cols, multiword, space_in_tokens)


def _check_batch_mb(batch_mb: Any) -> int:
    if isinstance(batch_mb, bool) or not isinstance(batch_mb, int | float) or not batch_mb > 0:
        raise ParameterError("batch_mb", batch_mb, "batch_mb must be a positive number")
    return int(batch_mb * 1_000_000)


def iter_conllu(
    path: str | os.PathLike,
    batch_mb: float = 32,
    files: str | Sequence[str] = "*.conllu",
    columns: dict[str, str] | None = None,
    multiword: str = "words",
    space_in_tokens: str | None = None,
    name: str | None = None,
    progress: bool | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Corpus]:
    """CoNLL-U files read as a stream of corpora of about ``batch_mb`` MB each.

    The streaming form of :func:`load_conllu` (same options, same checks), for corpora too
    large to load at once, such as ParlaMint's CoNLL-U folders: the files are read in
    turn and a corpus is yielded after the file that fills it (a file is never split).
    Unlike :func:`load_conllu`, every layer of ``columns`` is kept even if all its values
    are ``_``: one batch cannot know the others, and every batch has the same layers.
    :func:`toolkit.build_shards` reads a CoNLL-U source this way.

    Parameters
    ----------
    path : str or Path
        A CoNLL-U file or a folder of them.
    batch_mb : float
        Millions of characters of CoNLL-U per batch, about.
    files, columns, multiword, space_in_tokens, name, progress, follow_symlinks
        As :func:`load_conllu`.

    Yields
    ------
    Corpus
        Of given tokens, with layers and structures, as :func:`load_conllu` makes.

    Raises
    ------
    LoadError
        As :func:`load_conllu`, when the batch holding the fault is read.
    ParameterError
        An invalid option, before anything is read.

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for n in (1, 2):
    ...     _ = (d / f"f{n}.conllu").write_text(
    ...         f"# newdoc id = d{n}\\n1\\tPeace\\tpeace\\tNOUN\\t_\\t_\\t0\\troot\\t_\\t_\\n\\n")
    >>> [(c.doc_ids, c.pretokenized) for c in iter_conllu(d, batch_mb=1e-6)]
    [(['d1'], True), (['d2'], True)]
    """
    batch_bytes = _check_batch_mb(batch_mb)
    reader = _conllu_reader(columns, multiword, space_in_tokens)
    return _given_batches(path, files, follow_symlinks, reader, name, progress, batch_bytes)


# ................................................................. VRT
_TAG = re.compile(
    r"<(/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
)
_ATTR = re.compile(r"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#[xX]([0-9a-fA-F]+));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(m: re.Match[str]) -> str:
    if m.group(1):
        return _NAMED[m.group(1)]
    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else m.group(0)


def _unescape(value: str) -> str:
    """Decode the XML entities ``&amp; &lt; &gt; &quot; &apos;`` and character references;
    anything else, a lone ``&`` included, stays as written."""
    return _ENTITY.sub(_entity, value) if "&" in value else value


def _check_p_attrs(p_attrs: Any) -> list[str]:
    names = [p_attrs] if isinstance(p_attrs, str) else _as_list(p_attrs)
    if not names or "word" not in names:
        raise ParameterError(
            "p_attrs",
            p_attrs,
            "p_attrs must name the tab-separated columns in order, one of them 'word', e.g. "
            "('word', 'pos', 'lemma')",
        )
    for n in names:
        if n != "word":
            _check_layer_name(n, "p_attrs")
    if len(set(names)) < len(names):
        raise ParameterError("p_attrs", p_attrs, "p_attrs: a column name appears twice")
    return names


class _VrtReader:
    """Reads vertical files into a :class:`_Collector`, one document at a time."""

    unset = None

    def __init__(self, p_attrs: list[str], doc_tag: str, space_in_tokens: str | None) -> None:
        self.empty = f"no <{doc_tag}> documents found"
        self.id_hint = f"check the id attributes of <{doc_tag}>"
        self.p_attrs = p_attrs
        self.word = p_attrs.index("word")
        self.others = [i for i, n in enumerate(p_attrs) if n != "word"]
        self.doc_tag = doc_tag
        self.space_in_tokens = space_in_tokens
        self.collector = _Collector([p_attrs[i] for i in self.others], self.word, self.others)
        self.lines: list[int] = []  # line of each token of the current document
        self.records: list[dict[str, Any]] = []
        self.has_doc = re.compile(rf"^[ \t]*<{re.escape(doc_tag)}[\s/>]", re.M)

    def _error(self, message: str, line: int) -> LoadError:
        return LoadError(message, path=self.where, line=line)

    def _attrs(self, text: str, line: int) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        for m in _ATTR.finditer(text):
            key = m.group(1)
            if key in attrs:
                raise self._error(f"the attribute {key!r} appears twice in one tag", line)
            value = _unescape(m.group(2) if m.group(2) is not None else m.group(3))
            attrs[key] = value if value else None
        return attrs

    def read(self, text: str, where: str, rel: str) -> None:
        self.where, self.rel = where, rel
        stem = PurePosixPath(rel).name.rsplit(".", 1)[0]
        c = self.collector
        docs_in_file = 0
        # open elements: name, attributes, start position (None outside a document), line
        stack: list[tuple[str, dict[str, Any], int | None, int, int]] = []
        in_doc = self.has_doc.search(text) is None  # no document elements: the file is one
        doc_meta: dict[str, Any] = {"doc_id": stem, "file": rel}
        doc_line = 1
        comment_line = 0
        n_columns = len(self.p_attrs)
        rows, lines = c.rows, self.lines
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        n = 0
        for n, line in enumerate(text.split("\n"), start=1):
            if comment_line:
                if "-->" in line:
                    comment_line = 0
                continue
            if line and line[0] != "<" and not line[0].isspace():  # a token: the common case
                fields = line.split("\t")
                if len(fields) != n_columns or not in_doc:
                    self._bad_token(fields, n)
                if "&" in line:
                    fields = [_unescape(f) for f in fields]
                rows.append(fields)
                lines.append(n)
                continue
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("<") and stripped.endswith(">") or stripped.startswith("<!--"):
                if stripped.startswith("<!--"):
                    if "-->" not in stripped[4:]:
                        comment_line = n
                    continue
                if stripped.startswith("<?") or stripped.startswith("<!"):
                    continue  # an XML declaration or a document type
                m = _TAG.fullmatch(stripped)
                if m is None or (m.group(1) and (m.group(3) or m.group(4))):
                    raise self._error(f"malformed tag {stripped[:80]!r}", n)
                closing, tag, attr_text, empty = m.group(1), m.group(2), m.group(3), m.group(4)
                if closing:
                    if not stack or stack[-1][0] != tag:
                        open_ = f"<{stack[-1][0]}> (opened at line {stack[-1][3]})" if stack else ""
                        raise self._error(
                            f"</{tag}> closes "
                            + (f"{open_}, which is still open" if stack else "no open element"),
                            n,
                        )
                    name, attrs, start, _, order = stack.pop()
                    if tag == self.doc_tag:
                        self._end_document(doc_meta)
                        in_doc = False
                    elif start is not None:
                        c.region(name, start, attrs, order=order)
                        self._boundary(tag)
                    continue
                attrs = self._attrs(attr_text, n)
                if tag == self.doc_tag:
                    if in_doc:
                        raise self._error(
                            f"<{tag}> inside the <{tag}> opened at line {doc_line}; documents "
                            "do not nest",
                            n,
                        )
                    docs_in_file += 1
                    doc_id = attrs.pop("id", None)
                    doc_meta = {"doc_id": doc_id or f"{stem}/{docs_in_file}", "file": rel}
                    for k, v in attrs.items():
                        doc_meta[f"{tag}_{k}" if k in ("doc_id", "file") else k] = v
                    doc_line = n
                    if empty:
                        self._end_document(doc_meta)
                    else:
                        in_doc = True
                        stack.append((tag, {}, None, n, 0))
                    continue
                if in_doc:
                    self._boundary(tag)
                    if empty:
                        c.region(tag, c.position, attrs)
                    else:
                        stack.append((tag, attrs, c.position, n, c.next_order()))
                elif not empty:
                    stack.append((tag, attrs, None, n, 0))
                continue
            # a line starting with white space or "<" that is not a tag: a token too
            fields = line.split("\t")
            if len(fields) != n_columns or not in_doc:
                self._bad_token(fields, n)
            rows.append([_unescape(f) for f in fields])
            lines.append(n)
        if comment_line:
            raise self._error("a comment <!-- is never closed", comment_line)
        if stack:
            tag, _, _, opened, _ = stack[-1]
            raise self._error(f"<{tag}> is never closed (the file ends at line {n})", opened)
        if in_doc:  # a file without document elements
            self._end_document(doc_meta)

    def _bad_token(self, fields: list[str], line: int) -> None:
        if len(fields) != len(self.p_attrs):
            raise self._error(
                f"{len(fields)} tab-separated columns where p_attrs names "
                f"{len(self.p_attrs)} ({', '.join(self.p_attrs)})",
                line,
            )
        raise self._error(
            f"a token outside any <{self.doc_tag}> element (documents are "
            f"<{self.doc_tag}> elements; pass doc_tag= to choose another)",
            line,
        )

    def _boundary(self, tag: str) -> None:
        if tag == "s":
            self.collector.boundary(1)
        elif tag == "p":
            self.collector.boundary(2)

    def _end_document(self, meta: dict[str, Any]) -> None:
        c = self.collector
        w = self.word
        words = [row[w] for row in c.rows]
        if " ".join(words).split() != words:  # a token is empty or holds white space
            for row, line in zip(c.rows, self.lines, strict=True):
                word = _no_space(row[w], self.space_in_tokens)
                if word is None:
                    raise LoadError(
                        f"the token {row[w]!r} is empty or holds white space; pass "
                        "space_in_tokens='_' to replace white space in tokens",
                        path=self.where,
                        line=line,
                        column="word",
                    )
                row[w] = word
        self.records.append(meta)
        c.end_document(f"{self.where}, document {meta['doc_id']!r}")
        self.lines.clear()


def load_vrt(
    path: str | os.PathLike,
    p_attrs: Sequence[str] = ("word", "pos", "lemma"),
    doc_tag: str = "text",
    files: str | Sequence[str] = ("*.vrt", "*.vert"),
    space_in_tokens: str | None = None,
    name: str | None = None,
    progress: bool | None = None,
    follow_symlinks: bool = False,
) -> Corpus:
    """Load files in the vertical format of the IMS Open Corpus Workbench (VRT; ParlaMint,
    Sketch Engine and Korp publish corpora in it).

    One token per line, its positional attributes separated by tabs; XML-like tags on lines
    of their own mark structures (``<text id="…" year="…">``, ``<p>``, ``<s>``).  The
    tokens are kept exactly as the files have them (never re-tokenised).

    Documents
        Each ``<text>`` element (``doc_tag``) is a document: its ``id`` attribute is the
        document id (without one: ``{file stem}/{n}``), its other attributes metadata
        columns (numbers where every value is one; an empty value is missing; ``doc_tag``
        and ``_`` are prefixed to an attribute ``file`` or ``doc_id``).  A file without
        such elements is one document with the file stem as its id.  Elements outside
        documents (a ``<corpus>`` around them, notes between them) are only checked to
        be balanced; a token outside a document is an error.
    Tokens, layers and text
        The ``word`` column gives the tokens, every other column of ``p_attrs`` a layer of
        that name (``pos``, ``lemma``, …), values as written.  A document's text is its
        tokens joined by spaces, with a line break at every ``<s>`` boundary and an empty
        line at every ``<p>`` boundary.  The entities ``&amp; &lt; &gt; &quot; &apos;``
        and character references (``&#233;``) are decoded, in tokens and attribute values.
    Structures
        Every element inside a document is a region of the structure of its name:
        ``corpus.structure("s")`` lists the sentences with their attributes (``id``, …),
        ``"p"`` the paragraphs, and so on for any other tag (``<name type="ORG">``,
        ``<speech …>``); an empty element such as ParlaMint's ``<g/>`` (no space before
        the next token) is a region of no tokens, its span empty at the start of the next
        token.  An attribute named like a column of the table (``start``, ``end``,
        ``doc_id``…) gets the tag and ``_`` in front.

    Parameters
    ----------
    path : str or Path
        A file (any name), or a folder searched recursively for ``files`` by the rules of
        :func:`load_folder` (files not read are listed in ``corpus.skipped``).
    p_attrs : sequence of str
        Names of the tab-separated columns in order (default ``("word", "pos",
        "lemma")``); one must be ``"word"``, the others Python identifiers.
    doc_tag : str
        The element that makes a document (default ``"text"``; for ParlaMint's ``.vert``
        files, whose speeches are ``<speech>`` elements, ``"speech"``).
    files : str or list of str
        Glob(s) for file names in a folder, matched case-insensitively (default
        ``("*.vrt", "*.vert")``).
    space_in_tokens : str, optional
        A token with white space in it is an error naming the line (default); with a
        string such as ``"_"``, each run of white space in a token is replaced by it.
    name : str, optional
        Corpus name (default: the file or folder name without extension).
    progress : bool, optional
        Progress bar over the files (default: the global option).
    follow_symlinks : bool
        As for :func:`load_folder` (default ``False``).

    Returns
    -------
    Corpus
        Metadata: ``file`` (the path relative to ``path``) and the document's attributes.
        ``corpus.pretokenized`` is True.

    Raises
    ------
    LoadError
        Naming the file and line: a closing tag that does not match the open element, an
        element never closed, nested documents, a malformed tag, a line with another
        number of columns than ``p_attrs``, an empty token or one with white space, a
        token outside a document; duplicate document ids; nothing to read.
    ParameterError
        An invalid ``p_attrs``, ``doc_tag``, ``files`` or ``space_in_tokens``.

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "un.vrt"
    >>> _ = f.write_text(
    ...     '<text id="t1" year="1990">\\n<s>\\nPeace\\tNOUN\\tpeace\\nis\\tAUX\\tbe\\n'
    ...     'near\\tADJ\\tnear\\n</s>\\n</text>\\n', encoding="utf-8")
    >>> c = tk.load_vrt(f)
    >>> c.doc_ids, c.meta["year"].tolist(), c.text("t1")
    (['t1'], [1990], 'Peace is near')
    >>> tk.kwic(c, '[lemma="be"]', match="cqp").to_frame()["keyword"].tolist()
    ['is']
    >>> c.structure("s")[["doc_id", "start", "end"]].values.tolist()
    [['t1', 0, 3]]
    """
    reader = _vrt_reader(p_attrs, doc_tag, space_in_tokens)
    return next(_given_batches(path, files, follow_symlinks, reader, name, progress, None))


def _vrt_reader(
    p_attrs: Sequence[str], doc_tag: str, space_in_tokens: str | None
) -> Callable[[], _VrtReader]:
    """A maker of VRT readers, its options checked."""
    names = _check_p_attrs(p_attrs)
    if not isinstance(doc_tag, str) or not re.fullmatch(r"[A-Za-z_][\w.:-]*", doc_tag):
        raise ParameterError("doc_tag", doc_tag, "doc_tag must be an element name such as 'text'")
    _check_space_option(space_in_tokens)
    return lambda: _VrtReader(names, doc_tag, space_in_tokens)


def iter_vrt(
    path: str | os.PathLike,
    batch_mb: float = 32,
    p_attrs: Sequence[str] = ("word", "pos", "lemma"),
    doc_tag: str = "text",
    files: str | Sequence[str] = ("*.vrt", "*.vert"),
    space_in_tokens: str | None = None,
    name: str | None = None,
    progress: bool | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Corpus]:
    """VRT files read as a stream of corpora of about ``batch_mb`` MB each.

    The streaming form of :func:`load_vrt` (same options, same checks): the files are
    read in turn and a corpus is yielded after the file that fills it (a file is never
    split, and a document never spans files).  :func:`toolkit.build_shards` reads a VRT
    source this way.

    Parameters
    ----------
    path : str or Path
        A VRT file or a folder of them.
    batch_mb : float
        Millions of characters of VRT per batch, about.
    p_attrs, doc_tag, files, space_in_tokens, name, progress, follow_symlinks
        As :func:`load_vrt`.

    Yields
    ------
    Corpus
        Of given tokens, with layers and structures, as :func:`load_vrt` makes.

    Raises
    ------
    LoadError
        As :func:`load_vrt`, when the batch holding the fault is read.
    ParameterError
        An invalid option, before anything is read.

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for n in (1, 2):
    ...     vrt = f'<text id="t{n}">\\nPeace\\tNOUN\\tpeace\\n</text>\\n'
    ...     _ = (d / f"f{n}.vrt").write_text(vrt)
    >>> [c.doc_ids for c in iter_vrt(d, batch_mb=1e-6)]
    [['t1'], ['t2']]
    """
    batch_bytes = _check_batch_mb(batch_mb)
    reader = _vrt_reader(p_attrs, doc_tag, space_in_tokens)
    return _given_batches(path, files, follow_symlinks, reader, name, progress, batch_bytes)


class FileSource(TextSource):
    """Texts re-read from files on demand, decoded as recorded when the corpus was loaded."""

    def __init__(self, paths: Sequence[Path], encodings: Sequence[str], digests: Sequence[bytes]):
        self._paths = list(paths)
        self._encodings = list(encodings)
        self._digests = list(digests)

    def __len__(self) -> int:
        return len(self._paths)

    def get(self, i: int) -> str:
        path = self._paths[i]
        where = _show(path)
        try:  # the same guarded read as loading: a regular file, within max_file_bytes
            raw = _read_file(path, where)
        except LimitError:
            raise
        except LoadError as err:
            raise LoadError(
                f"the file was loaded into the corpus but can no longer be read: {err}"
            ) from err
        text, _ = decode_bytes(raw, where, encodings=(self._encodings[i],))
        if digest(text) != self._digests[i]:
            raise LoadError(
                "the file changed on disk after the corpus was loaded; load it again",
                path=where,
            )
        return text


register_step("read_table", read_table)
