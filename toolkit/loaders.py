"""Corpus loaders: folders and archives of text files, tables, data frames, NLTK readers,
and the news-commentary format.

Every loader reads each document once, records how it was decoded and a content digest,
and fails with an error that names the file, column or value at fault.  Nothing is dropped
or altered silently: documents kept despite a problem are announced with a warning and
marked in the metadata.

Decoding (documented fallback, recorded in the ``encoding`` column): UTF-8 (a byte-order
mark is removed and recorded as ``utf-8-sig``), then Windows-1252, then Latin-1 (which
decodes any byte sequence).  A file with NUL bytes is treated as binary and rejected.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tarfile
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._progress import progress_options
from .corpus import BufferSource, Corpus, FileSource, MemorySource, digest
from .errors import BinaryFileError

__all__ = [
    "load_folder",
    "load_table",
    "from_dataframe",
    "from_nltk",
    "load_commentary",
    "decode_bytes",
    "read_table",
]

DEFAULT_ENCODINGS = ("utf-8", "cp1252", "latin-1")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2")


def decode_bytes(
    raw: bytes, name: Any = "<bytes>", encodings: Sequence[str] = DEFAULT_ENCODINGS
) -> tuple[str, str]:
    """Decode a file's bytes with the documented fallback chain.

    Parameters
    ----------
    raw : bytes
        The file's content.
    name : str or Path
        Used in error messages.
    encodings : sequence of str
        Tried in order; ``"utf-8"`` also accepts and removes a UTF-8 byte-order mark
        (reported as ``"utf-8-sig"``).

    Returns
    -------
    text : str
    encoding : str
        The encoding that succeeded.

    Raises
    ------
    BinaryFileError
        If the bytes contain NUL characters (a binary file).

    Examples
    --------
    >>> decode_bytes("café".encode("cp1252"))
    ('café', 'cp1252')
    >>> decode_bytes(b"\\xef\\xbb\\xbfhello")
    ('hello', 'utf-8-sig')
    """
    if b"\x00" in raw[:65536] or b"\x00" in raw:
        raise BinaryFileError(f"{name}: looks like a binary file (it contains NUL bytes), not text")
    for enc in encodings:
        try:
            if enc in ("utf-8", "utf-8-sig"):
                if raw.startswith(b"\xef\xbb\xbf"):
                    return raw[3:].decode("utf-8"), "utf-8-sig"
                return raw.decode("utf-8"), "utf-8"
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError(
        "any", raw, 0, 1, f"{name}: none of the encodings {list(encodings)} could decode it"
    )


def _infer_dtypes(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Turn columns whose values are all whole numbers into integers (nullable if gaps)."""
    for col in columns:
        s = df[col]
        vals = s.dropna().astype(str)
        if len(vals) and vals.str.fullmatch(r"[+-]?\d+").all():
            ints = pd.to_numeric(s, errors="coerce")
            df[col] = ints.astype("int64") if not s.isna().any() else ints.astype("Int64")
    return df


def _compile_name_pattern(pattern: str) -> tuple[re.Pattern[str], list[str]]:
    """``"{country}_{session}_{year}.txt"`` → a regular expression with named groups."""
    fields = re.findall(r"{(\w+)}", pattern)
    if not fields:
        raise ValueError(f"pattern {pattern!r} names no fields; write them as {{field}}")
    if len(set(fields)) != len(fields):
        raise ValueError(f"pattern {pattern!r} names a field twice")
    regex = ""
    for literal, field in re.findall(r"([^{}]*)(?:{(\w+)})?", pattern):
        regex += re.escape(literal)
        if field:
            regex += f"(?P<{field}>[^/]+?)"
    return re.compile(regex), fields


def _is_hidden(rel: str) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in PurePosixPath(rel).parts)


def _iter_folder(root: Path, files: str) -> Iterator[tuple[str, Path]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            full = Path(dirpath) / fn
            rel = full.relative_to(root).as_posix()
            if fnmatch.fnmatch(fn, files):
                yield rel, full


def _iter_archive(path: Path, files: str) -> Iterator[tuple[str, bytes]]:
    """Members of a zip or tar archive read in place: nothing is written to disk."""
    name = path.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            for info in sorted(zf.infolist(), key=lambda i: i.filename):
                if info.is_dir() or not fnmatch.fnmatch(PurePosixPath(info.filename).name, files):
                    continue
                yield info.filename, zf.read(info)
    else:
        with tarfile.open(path, mode="r:*") as tf:
            for member in tf:  # streamed in archive order (xz cannot seek)
                if not member.isfile():
                    continue
                if not fnmatch.fnmatch(PurePosixPath(member.name).name, files):
                    continue
                fh = tf.extractfile(member)
                assert fh is not None
                yield member.name, fh.read()


def _check_ids(ids: Sequence[str], what: str) -> None:
    s = pd.Series(ids)
    dup = s[s.duplicated(keep=False)]
    if len(dup):
        raise ValueError(
            f"duplicate document ids {sorted(set(dup))[:10]} ({what}); ids must be unique"
        )


def load_folder(
    path: str | os.PathLike,
    pattern: str | None = None,
    files: str = "*.txt",
    id: str = "stem",
    on_mismatch: str = "raise",
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    name: str | None = None,
    progress: bool | None = None,
) -> Corpus:
    """Load a folder of text files, searched recursively, or the same inside an archive.

    Parameters
    ----------
    path : str or Path
        A folder, or a ``.zip``, ``.tar``, ``.tar.gz`` or ``.tar.xz`` archive, which is read
        in place (nothing is extracted, so member paths cannot escape anywhere).
    pattern : str, optional
        Turns each file name into metadata, e.g. ``"{country}_{session}_{year}.txt"``.
        Fields whose values are all whole numbers become integer columns.  A pattern with
        ``/`` is matched against the path relative to ``path``.  A field matches any
        characters but ``/``, as few as possible, so when names have more parts than the
        pattern the last field takes the rest (``"{country}_{year}.txt"`` reads
        ``USA_78_2023.txt`` as year ``"78_2023"``, a text column): check ``corpus.meta.dtypes``.
    files : str
        Glob for the file names to read (default ``"*.txt"``).  Hidden files and folders
        (names starting with ``.``) and ``__MACOSX`` are passed over, with a warning that
        names them.
    id : {"stem", "path"}
        Document ids: the file name without its extension (default), or the relative path.
    on_mismatch : {"raise", "keep"}
        A file name that does not fit ``pattern`` raises an error naming the file, or is kept
        with empty metadata fields and a warning.
    encodings : sequence of str
        Decoding fallback chain (see :func:`decode_bytes`).
    name : str, optional
        Name of the corpus (default: the folder or archive name).
    progress : bool, optional
        Show a progress bar (default: only once reading takes more than a second).

    Returns
    -------
    Corpus
        Metadata columns: the pattern's fields, ``file`` (relative path) and ``encoding``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist, or no file matches ``files``.
    ValueError
        A file name does not fit ``pattern``, or ids are duplicated.
    BinaryFileError
        A matching file holds binary data.

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "USA_78_2023.txt").write_text("We stand with Ukraine.", encoding="utf-8")
    >>> c = tk.load_folder(d, pattern="{country}_{session}_{year}.txt")
    >>> c.meta[["country", "session", "year"]].to_dict("records")
    [{'country': 'USA', 'session': 78, 'year': 2023}]
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such folder or archive")
    if id not in ("stem", "path"):
        raise ValueError(f"id must be 'stem' or 'path', not {id!r}")
    if on_mismatch not in ("raise", "keep"):
        raise ValueError(f"on_mismatch must be 'raise' or 'keep', not {on_mismatch!r}")
    regex, fields = _compile_name_pattern(pattern) if pattern else (None, [])
    is_archive = path.is_file()
    if is_archive and not path.name.lower().endswith(ARCHIVE_SUFFIXES):
        raise ValueError(
            f"{path}: not a folder or a supported archive ({', '.join(ARCHIVE_SUFFIXES)})"
        )

    items: Iterator[tuple[str, Any]] = (
        _iter_archive(path, files) if is_archive else _iter_folder(path, files)
    )
    source: BufferSource | FileSource
    buffer = BufferSource()
    paths: list[Path] = []
    records: list[dict[str, Any]] = []
    digests: list[bytes] = []
    encs: list[str] = []
    hidden: list[str] = []
    empty: list[str] = []
    fallback: list[str] = []
    mismatched: list[str] = []
    bar = tqdm(items, desc=f"reading {path.name}", unit=" files", **progress_options(progress))
    for rel, item in bar:
        if _is_hidden(rel):
            hidden.append(rel)
            continue
        raw = item if is_archive else item.read_bytes()
        where = f"{path}:{rel}" if is_archive else item
        text, enc = decode_bytes(raw, where, encodings)
        rec: dict[str, Any] = {}
        if regex is not None:
            target = rel if "/" in (pattern or "") else PurePosixPath(rel).name
            m = regex.fullmatch(target)
            if m is None:
                if on_mismatch == "raise":
                    raise ValueError(
                        f"{where}: file name does not fit the pattern {pattern!r}; "
                        "rename it, narrow files=, or pass on_mismatch='keep'"
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
        encs.append(enc)
        if not text:
            empty.append(rel)
        if enc not in ("utf-8", "utf-8-sig"):
            fallback.append(rel)
        if is_archive:
            buffer.append(text)
        else:
            paths.append(item)
    if not records:
        raise FileNotFoundError(f"{path}: no files matching {files!r}")
    if hidden:
        warnings.warn(
            f"{path}: passed over {len(hidden)} hidden file(s): {hidden[:5]}", stacklevel=2
        )
    if empty:
        warnings.warn(
            f"{path}: {len(empty)} empty file(s) kept as empty documents: {empty[:5]}", stacklevel=2
        )
    if fallback:
        warnings.warn(
            f"{path}: {len(fallback)} file(s) were not valid UTF-8 and were decoded by the "
            f"fallback (see the 'encoding' column): {fallback[:5]}",
            stacklevel=2,
        )
    if mismatched:
        warnings.warn(
            f"{path}: {len(mismatched)} file name(s) do not fit {pattern!r} and were kept "
            f"with empty metadata: {mismatched[:5]}",
            stacklevel=2,
        )
    meta = pd.DataFrame.from_records(records)
    _check_ids(meta["doc_id"].tolist(), "pass id='path' to use relative paths")
    meta = meta.set_index("doc_id")
    meta = _infer_dtypes(meta, fields)
    source = buffer if is_archive else FileSource(paths, encs, digests)
    return Corpus(source, meta, digests, name=name or path.name.split(".")[0])


# --------------------------------------------------------------------------- tables
def read_table(path: str | os.PathLike, **kwargs: Any) -> pd.DataFrame:
    """Read CSV, TSV, JSON Lines, JSON, Parquet or Excel into a DataFrame, by file suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("id\\ttext\\na\\thello\\n")
    >>> read_table(p).columns.tolist()
    ['id', 'text']
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix == ".gz" else path.suffix.lower()
    base = suffix.removesuffix(".gz")
    readers = {
        ".csv": lambda: pd.read_csv(path, keep_default_na=False, na_values=[""], **kwargs),
        ".tsv": lambda: pd.read_csv(
            path, sep="\t", keep_default_na=False, na_values=[""], **kwargs
        ),
        ".tab": lambda: pd.read_csv(
            path, sep="\t", keep_default_na=False, na_values=[""], **kwargs
        ),
        ".jsonl": lambda: pd.read_json(path, lines=True, dtype=False, **kwargs),
        ".ndjson": lambda: pd.read_json(path, lines=True, dtype=False, **kwargs),
        ".json": lambda: pd.read_json(path, dtype=False, **kwargs),
        ".parquet": lambda: pd.read_parquet(path, **kwargs),
        ".xlsx": lambda: pd.read_excel(path, keep_default_na=False, na_values=[""], **kwargs),
        ".xls": lambda: pd.read_excel(path, keep_default_na=False, na_values=[""], **kwargs),
    }
    if base not in readers:
        raise ValueError(f"{path}: unsupported table format {suffix!r}; use one of {list(readers)}")
    try:
        return readers[base]()
    except Exception as err:
        raise ValueError(f"{path}: cannot read as {base} ({err})") from err


def load_table(
    path: str | os.PathLike,
    text: str = "text",
    id: str | None = None,
    name: str | None = None,
    **read_kwargs: Any,
) -> Corpus:
    """Load a table with one document per row: CSV, TSV, JSON Lines, Parquet or Excel.

    Parameters
    ----------
    path : str or Path
        The table; its format is chosen by suffix (``.csv``, ``.tsv``, ``.jsonl``,
        ``.json``, ``.parquet``, ``.xlsx``).
    text : str
        Column holding the texts.
    id : str, optional
        Column holding unique document ids (default: the row number, from ``"0"``).
    name : str, optional
        Corpus name (default: the file name).
    **read_kwargs
        Passed to the pandas reader.

    Returns
    -------
    Corpus
        Other columns become metadata.

    Examples
    --------
    >>> import toolkit as tk, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "speeches.csv"
    >>> _ = p.write_text("id,year,text\\nA,1990,Peace.\\nB,1991,War.\\n")
    >>> tk.load_table(p, text="text", id="id").meta["year"].tolist()
    [1990, 1991]
    """
    df = read_table(path, **read_kwargs)
    return from_dataframe(df, text=text, id=id, name=name or Path(path).stem, _where=str(path))


def from_dataframe(
    df: pd.DataFrame,
    text: str = "text",
    id: str | None = None,
    name: str | None = None,
    _where: str = "data frame",
) -> Corpus:
    """Make a corpus from a pandas DataFrame with one document per row.

    Parameters
    ----------
    df : pandas.DataFrame
    text : str
        Column holding the texts (strings; a missing text is an error that names the rows).
    id : str, optional
        Column of unique ids (default: the row number as a string, from ``"0"``).
    name : str, optional

    Returns
    -------
    Corpus

    Examples
    --------
    >>> import toolkit as tk
    >>> df = pd.DataFrame({"speaker": ["A", "B"], "text": ["Hello.", "Goodbye."]})
    >>> tk.from_dataframe(df).meta.columns.tolist()
    ['speaker']
    """
    if text not in df.columns:
        raise KeyError(f"{_where}: no text column {text!r}; the columns are {list(df.columns)}")
    if id is not None and id not in df.columns:
        raise KeyError(f"{_where}: no id column {id!r}; the columns are {list(df.columns)}")
    texts = df[text]
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise ValueError(
            f"{_where}: column {text!r} has {len(bad)} missing or non-text value(s), at rows "
            f"{bad[:10]}"
        )
    ids = [str(v) for v in df[id]] if id is not None else [str(i) for i in range(len(df))]
    if id is not None and df[id].isna().any():
        rows = np.flatnonzero(df[id].isna().to_numpy())[:10].tolist()
        raise ValueError(f"{_where}: id column {id!r} has missing values at rows {rows}")
    _check_ids(ids, f"{_where}, column {id!r}" if id else _where)
    meta = df.drop(columns=[c for c in (text, id) if c is not None]).copy()
    meta.index = pd.Index(ids, name="doc_id")
    empty = [i for i, t in zip(ids, texts, strict=True) if not t]
    if empty:
        warnings.warn(f"{_where}: {len(empty)} empty text(s) kept: {empty[:5]}", stacklevel=2)
    texts_list = texts.tolist()
    return Corpus(
        MemorySource(texts_list), meta, [digest(t) for t in texts_list], name=name or "corpus"
    )


def from_nltk(reader: Any, fileids: Sequence[str] | None = None, name: str | None = None) -> Corpus:
    """Make a corpus from any NLTK corpus reader (one document per file id).

    Parameters
    ----------
    reader : nltk.corpus.reader.CorpusReader
        Any reader with ``fileids()`` and ``raw(fileid)``; a categorized reader adds a
        ``category`` column (categories joined by ``"; "``).
    fileids : list of str, optional
        Restrict to these files.

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
        raise TypeError(f"{reader!r} is not an NLTK corpus reader (no fileids()/raw())")
    fids = list(fileids) if fileids is not None else list(reader.fileids())
    if not fids:
        raise ValueError(f"{reader!r} has no files")
    texts = [reader.raw(f) for f in fids]
    meta = pd.DataFrame({"file": fids}, index=pd.Index(fids, name="doc_id"))
    if hasattr(reader, "categories"):
        try:
            meta["category"] = ["; ".join(reader.categories(f)) for f in fids]
        except Exception:  # readers that do not categorise by file
            pass
    name = name or type(reader).__name__
    return Corpus(MemorySource(texts), meta, [digest(t) for t in texts], name=name)


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
        raise ValueError(f"{where}: no line {MARKER!r}; is this a commentary file?")
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


def load_commentary(path: str | os.PathLike, files: str = "*.txt") -> Corpus:
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
        One file, or a folder searched recursively for ``files``.
    files : str
        Glob for file names when ``path`` is a folder.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample("commentary")
    >>> c.meta["section"].tolist()
    ['summary', 'title', 'commentary']
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    file_list = [path] if path.is_file() else [p for _, p in _iter_folder(path, files)]
    if not file_list:
        raise FileNotFoundError(f"{path}: no files matching {files!r}")
    texts, records = [], []
    for fp in file_list:
        text, enc = decode_bytes(fp.read_bytes(), fp)
        rel = fp.name if path.is_file() else fp.relative_to(path).as_posix()
        for section, start, end in _split_commentary(text, str(fp)):
            texts.append(text[start:end])
            records.append(
                {
                    "doc_id": f"{fp.stem}/{section}",
                    "source_id": fp.stem,
                    "section": section,
                    "file": rel,
                    "char_start": start,
                    "char_end": end,
                    "encoding": enc,
                }
            )
    meta = pd.DataFrame.from_records(records)
    _check_ids(meta["doc_id"].tolist(), "two files with the same name")
    meta = meta.set_index("doc_id")
    meta["section"] = pd.Categorical(meta["section"], ["summary", "title", "commentary"])
    return Corpus(MemorySource(texts), meta, [digest(t) for t in texts], name="commentary")
