"""Streaming sources: a corpus read as a sequence of small corpora, never whole.

:func:`iter_batches` turns what :func:`toolkit.build_shards` is given into batches of about
``batch_mb`` megabytes of text, each an ordinary :class:`~toolkit.corpus.Corpus` made by the
toolkit's own loaders, so every batch gets their checks (encodings, ids, limits, the list of
skipped files) and only one batch at a time is held in memory:

* a folder or a zip or tar archive: its files are read in turn by
  :func:`toolkit.loaders.iter_folder`, the streaming form of :func:`toolkit.load_folder`,
  with all of its checks (encodings, limits, links, archive bombs) and ``name_pattern=``
  for metadata from file names;
* CoNLL-U or VRT (a file, or a folder of them): the tokens as given, with their annotation
  layers and structures, read file by file by :func:`toolkit.loaders.iter_conllu` and
  :func:`toolkit.loaders.iter_vrt`, the streaming forms of :func:`toolkit.load_conllu` and
  :func:`toolkit.load_vrt`, with all of their checks;
* a table: CSV/TSV files in chunks of rows (pandas' ``chunksize``), Parquet files one row
  group at a time (pyarrow), JSON Lines in chunks of lines; each chunk goes through
  :func:`toolkit.from_dataframe` with ``text=`` and ``id=``;
* a :class:`~toolkit.corpus.Corpus` already loaded, a pandas DataFrame, or any iterable of
  corpora (for example one per month of news), passed on as they are (their texts are read
  one at a time by the shard builder).

Document ids are those the loaders give (file stems, or the ``id`` column); they must be
unique over the whole stream, which :mod:`toolkit.shards` checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .corpus import Corpus
from .errors import LoadError, ParameterError
from .loaders import DEFAULT_ENCODINGS, from_dataframe, iter_conllu, iter_folder, iter_vrt

__all__ = ["iter_batches", "TABLE_SUFFIXES", "ARCHIVE_SUFFIXES", "FORMATS"]

TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".jsonl", ".ndjson")
#: File formats of folders: plain texts (tokenised by the toolkit) or given tokens.
FORMATS = ("text", "conllu", "vrt")
_GIVEN_SUFFIXES = {".conllu": "conllu", ".vrt": "vrt", ".vert": "vrt"}
_DEFAULT_FILES: dict[str, str | tuple[str, ...]] = {
    "text": "*.txt",
    "conllu": "*.conllu",
    "vrt": ("*.vrt", "*.vert"),
}
#: The options of the CoNLL-U and VRT readers that ``format_options`` may set.
_READER_OPTIONS = {
    "conllu": ("columns", "multiword", "space_in_tokens", "name", "follow_symlinks"),
    "vrt": ("p_attrs", "doc_tag", "space_in_tokens", "name", "follow_symlinks"),
}
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_MB = 1_000_000


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for s in ARCHIVE_SUFFIXES + TABLE_SUFFIXES:
        if name.endswith(s):
            return s
    return path.suffix.lower()


def _table_batches(
    path: Path, suffix: str, batch_bytes: int, text: str | None, id: str | None
) -> Iterator[Corpus]:
    if text is None:
        raise ParameterError(
            "text", None, f"{path}: name the text column of the table with text='…'"
        )
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        for i in range(pf.num_row_groups):
            yield from_dataframe(pf.read_row_group(i).to_pandas(), text=text, id=id, name=path.name)
        return
    rows = max(batch_bytes // 2_000, 100)  # about 2 kB of text per row, re-cut by size below
    if suffix in (".jsonl", ".ndjson"):
        chunks: Iterable[pd.DataFrame] = pd.read_json(path, lines=True, chunksize=rows)
    else:
        sep = "\t" if suffix == ".tsv" else ","
        chunks = pd.read_csv(path, sep=sep, chunksize=rows, dtype=str, keep_default_na=False)
    for chunk in chunks:
        yield from_dataframe(chunk.reset_index(drop=True), text=text, id=id, name=path.name)


def _format_of(path: Path, files: Any, format: str | None) -> str:
    """The format of a file or folder: as given, else by the file's suffix or the suffix
    of every glob of ``files``."""
    if format is not None:
        if format not in FORMATS:
            raise ParameterError("format", format, valid=list(FORMATS))
        return format
    if not path.is_dir():
        return _GIVEN_SUFFIXES.get(path.suffix.lower(), "text")
    if files is not None:
        globs = [files] if isinstance(files, str) else list(files)
        kinds = {_GIVEN_SUFFIXES.get(Path(str(g)).suffix.lower(), "text") for g in globs}
        return kinds.pop() if len(kinds) == 1 else "text"
    # no globs: CoNLL-U or VRT if the folder holds such files and no .txt file
    found = set()
    for _, _, names in os.walk(path):
        for n in names:
            suffix = os.path.splitext(n)[1].lower()
            if suffix == ".txt":
                return "text"
            if suffix in _GIVEN_SUFFIXES:
                found.add(_GIVEN_SUFFIXES[suffix])
    return found.pop() if len(found) == 1 else "text"


def iter_batches(
    source: Any,
    *,
    batch_mb: float = 32,
    files: str | list[str] | None = None,
    name_pattern: str | None = None,
    text: str | None = None,
    id: str | None = None,
    encodings: Any = DEFAULT_ENCODINGS,
    format: str | None = None,
    format_options: dict[str, Any] | None = None,
) -> Iterator[Corpus]:
    """The documents of ``source`` as a stream of corpora of about ``batch_mb`` MB of text.

    Parameters
    ----------
    source : path, Corpus, pandas.DataFrame or iterable of Corpus
        A folder, an archive, a table file (CSV, TSV, Parquet, JSON Lines), a corpus,
        a data frame (with ``text=``, ``id=``), or corpora one after another.
    batch_mb : float
        Millions of characters of text per batch (megabytes of English), about.
    files : str or list of str, optional
        Glob(s) of the files of a folder or archive to read (default by ``format``:
        ``"*.txt"``, ``"*.conllu"``, or ``"*.vrt"`` and ``"*.vert"``).
    name_pattern : str, optional
        For a folder: file names as metadata, e.g. ``"{country}_{session}_{year}.txt"``.
    text, id : str, optional
        For tables and data frames: the text and id columns.
    encodings : sequence of str
        Tried in order for files and archive members (CoNLL-U and VRT are UTF-8).
    format : {"text", "conllu", "vrt"}, optional
        How the files of a folder are read (default: by the suffix of the file, or of the
        ``files`` globs; without ``files``, CoNLL-U or VRT for a folder that holds such
        files and no ``.txt`` file; plain text otherwise).
    format_options : dict, optional
        For CoNLL-U and VRT: the options of :func:`toolkit.load_conllu` (``columns``,
        ``multiword``, ``space_in_tokens``) or :func:`toolkit.load_vrt` (``p_attrs``,
        ``doc_tag``, ``space_in_tokens``).

    Yields
    ------
    Corpus

    Raises
    ------
    LoadError
        An unreadable file or archive, a missing column, duplicate ids within a batch.
    ParameterError
        A source of an unknown kind.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace.", "War."]}))
    >>> [b.doc_ids for b in iter_batches(c)]
    [['0', '1']]
    """
    if isinstance(batch_mb, bool) or not isinstance(batch_mb, int | float) or not batch_mb > 0:
        raise ParameterError("batch_mb", batch_mb, "batch_mb must be a positive number")
    batch_bytes = int(batch_mb * _MB)
    if isinstance(source, Corpus):
        yield source  # in memory already: the shards are cut while its texts are read once
        return
    if isinstance(source, pd.DataFrame):
        yield from_dataframe(source, text=text or "text", id=id)
        return
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise LoadError("no such file or folder", path=str(path))
        suffix = _suffix(path)
        kind = _format_of(path, files, format)
        if kind != "text" and suffix not in ARCHIVE_SUFFIXES + TABLE_SUFFIXES:
            options = dict(format_options or {})
            reader = iter_conllu if kind == "conllu" else iter_vrt
            valid = sorted(_READER_OPTIONS[kind])
            unknown = sorted(set(options) - set(valid))
            if unknown:
                raise ParameterError(
                    "format_options",
                    format_options,
                    f"format_options for {kind}: no option {unknown}; valid: {valid}",
                )
            globs: str | Sequence[str] = files or _DEFAULT_FILES[kind]
            yield from reader(path, batch_mb=batch_mb, files=globs, progress=False, **options)
            return
        if format_options:
            raise ParameterError(
                "format_options", format_options, "format_options apply to CoNLL-U and VRT only"
            )
        if path.is_dir() or suffix in ARCHIVE_SUFFIXES:
            yield from iter_folder(
                path,
                name_pattern,
                batch_mb=batch_mb,
                files=files or _DEFAULT_FILES["text"],
                encodings=encodings,
            )
            return
        if suffix in TABLE_SUFFIXES:
            yield from _table_batches(path, suffix, batch_bytes, text, id)
            return
        raise ParameterError(
            "source",
            str(path),
            f"{path}: not a folder, an archive ({', '.join(ARCHIVE_SUFFIXES)}) or a table "
            f"({', '.join(TABLE_SUFFIXES)})",
        )
    if isinstance(source, Iterable) and not isinstance(source, str | bytes | dict):
        for i, part in enumerate(source):
            if not isinstance(part, Corpus):
                raise ParameterError(
                    "source",
                    type(part).__name__,
                    f"item {i} of the source is a {type(part).__name__}, not a Corpus",
                )
            yield part
        return
    raise ParameterError(
        "source",
        type(source).__name__,
        "source must be a folder, archive or table path, a Corpus, a DataFrame or an "
        "iterable of corpora",
    )
