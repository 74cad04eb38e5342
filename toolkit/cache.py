"""The verified cache: one layer that writes and checks every cache entry of the toolkit.

A cache entry (a token index, a fitted topic model, a topic model saved by a user) is a
folder of files in formats that cannot run code — ``.npy`` arrays (saved and loaded with
``allow_pickle=False``), JSON and Parquet; nothing is ever pickled.  A manifest records
what the entry was built for and a digest of every file's whole content::

    <cache>/<kind>/<key>/
        manifest.json
        <name>.npy  <name>.json  <name>.parquet  …

``manifest.json`` is canonical JSON (sorted keys, ASCII, one space of indentation)::

    {
     "files": {"tokens.npy": {"size": 4128, "xxh3_128": "9f…"}, …},
     "format": "toolkit-cache",
     "key": "<key>",
     "kind": "index",
     "params": {…},
     "version": 1
    }

Writing is atomic: the files go to a temporary folder ``.tmp-toolkit-*`` beside the entry, the
manifest is written last, and the folder is moved into place with :func:`os.replace`.  A
failed write removes its temporary folder; folders left by a killed process are removed by
the next write to the same place once they are an hour old.

Opening verifies everything before anything is used: the manifest's exact shape and
canonical form, the format version, the kind, the key and the parameters; the set of files
(none missing, none extra); and each file's size and XXH3-128 digest over its whole
content (about 10 GB/s, so the 460 MB index of 35 million tokens is checked in about
0.05 s).  Any mismatch raises :class:`toolkit.errors.CacheError`; :func:`load_or_build`
turns it into a :class:`toolkit.errors.CacheWarning` and a rebuild, so a damaged or
foreign entry is never a crash and never a wrong result.  Callers add their own cheap
structural checks (see :mod:`toolkit.index`) in the ``load`` function they pass.

Keys are content hashes: :func:`content_key` is the SHA-1 of the canonical JSON of the
parameters, so equal parameters give the same folder in every process.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap as _mmap
import os
import re
import shutil
import stat
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import xxhash

from .errors import CacheError, CacheWarning, ParameterError, ParameterTypeError

__all__ = [
    "FORMAT_VERSION",
    "cache_dir",
    "canonical_json",
    "content_key",
    "file_digest",
    "EntryWriter",
    "Entry",
    "write_entry",
    "open_entry",
    "load_or_build",
    "clean_stale",
]

#: Version of the entry layout; entries of another version are rebuilt.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_FORMAT_NAME = "toolkit-cache"
_MANIFEST_KEYS = {"files", "format", "key", "kind", "params", "version"}
_FILE_KEYS = {"size", "xxh3_128"}
_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
_SUFFIXES = (".npy", ".json", ".parquet")
_MAX_MANIFEST_BYTES = 16 * 2**20
#: Temporary folders older than this (seconds) were left by a killed process.
STALE_SECONDS = 3600.0
_TMP_PREFIX = ".tmp-toolkit-"
# temporary folders of earlier versions, inside the cache only
_LEGACY_TMP_RE = re.compile(r"\.tmp-.*|[0-9a-f]{40}\.tmp")

T = TypeVar("T")


def cache_dir() -> Path:
    """Folder of the toolkit's cache: ``$TOOLKIT_CACHE``, else ``~/.cache/toolkit``.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import os
    >>> cache_dir() == Path(os.environ.get("TOOLKIT_CACHE", Path.home() / ".cache" / "toolkit"))
    True
    """
    return Path(os.environ.get("TOOLKIT_CACHE", Path.home() / ".cache" / "toolkit"))


def canonical_json(value: Any, indent: int | None = None) -> str:
    """JSON text with sorted keys, ASCII only and no NaN: one text per value.

    Parameters
    ----------
    value
        Dicts with string keys, lists, strings, numbers, booleans and ``None``.
    indent : int, optional
        Indentation (``None``: one line).

    Returns
    -------
    str

    Raises
    ------
    TypeError, ValueError
        When ``value`` holds anything else (sets, arrays, NaN …).

    Examples
    --------
    >>> canonical_json({"b": [1, 2.5], "a": "é"})
    '{"a":"\\\\u00e9","b":[1,2.5]}'
    """
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        value,
        sort_keys=True,
        ensure_ascii=True,
        allow_nan=False,
        indent=indent,
        separators=separators,
    )


def content_key(params: Any) -> str:
    """Cache key of some parameters: the SHA-1 of their canonical JSON.

    Parameters
    ----------
    params
        JSON-compatible parameters (see :func:`canonical_json`).

    Returns
    -------
    str
        40 hexadecimal digits.

    Examples
    --------
    >>> content_key({"k": 5, "seed": 1}) == content_key({"seed": 1, "k": 5})
    True
    """
    return hashlib.sha1(canonical_json(params).encode("ascii")).hexdigest()


def _digest_bytes(data: Any) -> str:
    return xxhash.xxh3_128(data).hexdigest()


def file_digest(path: str | Path) -> str:
    """XXH3-128 digest (hexadecimal) of a file's whole content, read through a memory map.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    str
        32 hexadecimal digits.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "f.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_digest(p) == xxhash.xxh3_128(b"abc").hexdigest()
    True
    """
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            return _digest_bytes(b"")
        with _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_READ) as m:
            return _digest_bytes(m)


def _check_name(name: str, suffix: str) -> str:
    if not _NAME_RE.fullmatch(name) or name + suffix == MANIFEST:
        raise ParameterError(
            "name",
            name,
            f"invalid cache file name {name!r}: letters, digits, '_', '-' and '.', "
            f"not {MANIFEST!r}",
        )
    return name + suffix


class EntryWriter:
    """Writes the files of one cache entry into its temporary folder (see :func:`write_entry`).

    Every file is written in a format that cannot run code when read.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def array(self, name: str, arr: Any) -> None:
        """Save an array as ``<name>.npy``; arrays of Python objects are refused."""
        arr = np.ascontiguousarray(arr)
        if arr.dtype.hasobject:
            raise ParameterTypeError(
                "arr", name, f"{name}: arrays of Python objects cannot be cached"
            )
        np.save(self.folder / _check_name(name, ".npy"), arr, allow_pickle=False)

    def json(self, name: str, value: Any) -> None:
        """Save a JSON-compatible value as ``<name>.json`` (strict JSON, no NaN)."""
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        (self.folder / _check_name(name, ".json")).write_text(text, encoding="utf-8")

    def frame(self, name: str, df: Any) -> None:
        """Save a pandas DataFrame (with its index) as ``<name>.parquet``."""
        path = self.folder / _check_name(name, ".parquet")
        try:
            df.to_parquet(path, index=True)
        except BaseException:
            path.unlink(missing_ok=True)  # no half-written file; the caller may try again
            raise


class Entry:
    """A verified cache entry, as returned by :func:`open_entry`.

    Attributes
    ----------
    folder : pathlib.Path
    kind, key : str
    params : dict
        The parameters recorded in the manifest (equal to those asked for).
    files : dict
        File name → ``{"size": …, "xxh3_128": …}``.
    """

    def __init__(
        self,
        folder: Path,
        manifest: dict[str, Any],
        data: dict[str, bytes],
        mapped: set[str],
    ) -> None:
        self.folder = folder
        self.kind: str = manifest["kind"]
        self.key: str = manifest["key"]
        self.params: Any = manifest["params"]
        self.files: dict[str, dict[str, Any]] = manifest["files"]
        self._data = data  # verified bytes of files read whole
        self._mapped = mapped  # verified files opened as memory maps

    def _file(self, name: str, suffix: str) -> str:
        file = name + suffix
        if file not in self.files:
            raise CacheError(f"{self.folder}: {file} is missing from the entry")
        return file

    def array(self, name: str, dtypes: tuple[str, ...] | None = None, ndim: int | None = None):
        """The array ``<name>.npy``: memory-mapped if the entry was opened with ``mmap=True``.

        ``dtypes`` and ``ndim``, when given, are required of the array.
        """
        file = self._file(name, ".npy")
        try:
            if file in self._mapped:
                arr = np.load(self.folder / file, mmap_mode="r", allow_pickle=False)
            else:
                arr = np.load(io.BytesIO(self._data[file]), allow_pickle=False)
        except (ValueError, OSError, EOFError, TypeError) as err:
            raise CacheError(f"{self.folder / file}: unreadable array ({err})") from err
        if dtypes is not None and str(arr.dtype) not in dtypes:
            raise CacheError(f"{self.folder / file}: dtype {arr.dtype}, expected one of {dtypes}")
        if ndim is not None and arr.ndim != ndim:
            raise CacheError(f"{self.folder / file}: {arr.ndim} dimensions, expected {ndim}")
        return arr

    def json(self, name: str) -> Any:
        """The parsed content of ``<name>.json``."""
        file = self._file(name, ".json")
        try:
            return json.loads(self._data[file].decode("utf-8"))
        except (ValueError, RecursionError) as err:
            raise CacheError(f"{self.folder / file}: unreadable JSON ({err})") from err

    def frame(self, name: str):
        """The DataFrame saved as ``<name>.parquet``."""
        import pandas as pd

        file = self._file(name, ".parquet")
        try:
            return pd.read_parquet(io.BytesIO(self._data[file]))
        except Exception as err:  # pyarrow raises many classes; none may escape as a crash
            raise CacheError(f"{self.folder / file}: unreadable Parquet ({err})") from err


def clean_stale(
    parent: str | Path, max_age: float = STALE_SECONDS, legacy: bool = False
) -> list[Path]:
    """Remove temporary folders older than ``max_age`` seconds from ``parent``.

    Temporary folders (``.tmp-toolkit-*``) outlive a write only when its process was
    killed; a younger one may belong to a write in progress and is kept.

    Parameters
    ----------
    parent : str or pathlib.Path
        The folder that holds cache entries.
    max_age : float
        Age in seconds (by modification time) beyond which a temporary folder is stale.
    legacy : bool
        Also remove the temporary folders of earlier toolkit versions (``.tmp-*`` and
        ``<key>.tmp``); only for folders inside the cache, where nothing else lives.

    Returns
    -------
    list of pathlib.Path
        The folders removed.

    Examples
    --------
    >>> import tempfile
    >>> parent = Path(tempfile.mkdtemp())
    >>> (parent / ".tmp-toolkit-old").mkdir()
    >>> (parent / ".tmp-toolkit-new").mkdir()
    >>> os.utime(parent / ".tmp-toolkit-old", (0, 0))
    >>> [p.name for p in clean_stale(parent)]
    ['.tmp-toolkit-old']
    """
    removed: list[Path] = []
    now = time.time()
    try:
        children = list(Path(parent).iterdir())
    except OSError:
        return removed
    for child in children:
        name = child.name
        if not (name.startswith(_TMP_PREFIX) or (legacy and _LEGACY_TMP_RE.fullmatch(name))):
            continue
        try:
            if now - child.lstat().st_mtime < max_age:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
            removed.append(child)
        except OSError:
            pass
    return removed


def write_entry(
    folder: str | Path,
    *,
    kind: str,
    key: str,
    params: Any,
    fill: Callable[[EntryWriter], None],
    in_cache: bool = True,
) -> Path:
    """Write a cache entry atomically.

    ``fill`` writes the files into a temporary folder beside ``folder``; then the manifest
    (sizes and digests of every file) is written and the folder moved into place, replacing
    an older entry.  Whatever happens, the temporary folder does not outlive the call, and
    stale ones left by killed processes are removed first (:func:`clean_stale`).

    Parameters
    ----------
    folder : str or pathlib.Path
        Where the entry goes.
    kind : str
        What the entry holds (``"index"``, ``"topic-model"`` …); checked on opening.
    key : str
        The entry's key (normally the folder's name); checked on opening.
    params : dict
        JSON-compatible parameters the entry was built for; checked on opening.
    fill : callable
        Called with an :class:`EntryWriter`.
    in_cache : bool
        ``folder`` lies in the toolkit's cache (``False`` for a folder the user chose:
        then only the toolkit's own temporary folders beside it are ever removed).

    Returns
    -------
    pathlib.Path
        ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> def fill(w):
    ...     w.array("numbers", np.arange(3))
    ...     w.json("names", ["a", "b"])
    >>> folder = write_entry(root / "demo", kind="demo", key="k1", params={"n": 3}, fill=fill)
    >>> sorted(p.name for p in folder.iterdir())
    ['manifest.json', 'names.json', 'numbers.npy']
    """
    folder = Path(folder)
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(parent, legacy=in_cache)
    params_text = canonical_json(params)  # fails early on parameters that are not JSON
    tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=parent))
    old: Path | None = None
    try:
        fill(EntryWriter(tmp))
        files = {}
        for path in sorted(tmp.iterdir()):
            if not path.is_file() or not path.name.endswith(_SUFFIXES):
                raise ParameterError(
                    "fill",
                    path.name,
                    f"unexpected file {path.name} in a cache entry; write files with the "
                    f"EntryWriter's methods ({', '.join(_SUFFIXES)})",
                )
            files[path.name] = {"size": path.stat().st_size, "xxh3_128": file_digest(path)}
        manifest = {
            "files": files,
            "format": _FORMAT_NAME,
            "key": key,
            "kind": kind,
            "params": json.loads(params_text),
            "version": FORMAT_VERSION,
        }
        (tmp / MANIFEST).write_text(canonical_json(manifest, indent=1), encoding="ascii")
        if folder.exists() or folder.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX + "old-", dir=parent))
            os.replace(folder, old / "entry")
        try:
            os.replace(tmp, folder)
        except OSError:
            if not folder.exists():
                raise
            # another process has just written the same entry: keep theirs
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        # a FIFO, device or link put in place of the manifest is never opened (no hang)
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise CacheError(f"{path}: not a regular file")
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_MANIFEST_BYTES + 1)
    except OSError as err:
        raise CacheError(f"{folder}: no readable manifest ({err.strerror or err})") from err
    if len(raw) > _MAX_MANIFEST_BYTES:
        raise CacheError(f"{path}: implausibly large manifest")
    try:
        manifest = json.loads(raw.decode("ascii"))
    except (ValueError, RecursionError) as err:
        raise CacheError(f"{path}: not valid JSON ({err})") from err
    if not isinstance(manifest, dict) or set(manifest) != _MANIFEST_KEYS:
        raise CacheError(f"{path}: not a cache manifest")
    files = manifest["files"]
    if not isinstance(files, dict) or not all(
        isinstance(name, str)
        and _NAME_RE.fullmatch(name)
        and name.endswith(_SUFFIXES)
        and isinstance(info, dict)
        and set(info) == _FILE_KEYS
        and type(info["size"]) is int
        and info["size"] >= 0
        and isinstance(info["xxh3_128"], str)
        for name, info in files.items()
    ):
        raise CacheError(f"{path}: malformed file list")
    try:
        canonical = canonical_json(manifest, indent=1)
    except (TypeError, ValueError) as err:  # pragma: no cover - json.loads gives JSON
        raise CacheError(f"{path}: not canonical JSON") from err
    if canonical.encode("ascii") != raw:
        raise CacheError(f"{path}: altered (not in the form the toolkit writes)")
    return manifest


def open_entry(
    folder: str | Path,
    *,
    kind: str,
    key: str | None,
    params: Any = None,
    mmap: bool = False,
) -> Entry:
    """Open a cache entry after verifying all of it; raise ``CacheError`` on any mismatch.

    Parameters
    ----------
    folder : str or pathlib.Path
    kind : str
        Required kind.
    key : str or None
        Required key.  ``None`` accepts the key the manifest records, provided it is
        :func:`content_key` of the recorded parameters (a saved model the user names by its
        folder); ``params`` are then not checked.
    params : dict, optional
        Required parameters (compared as canonical JSON).
    mmap : bool
        Open ``.npy`` files as read-only memory maps (verified through a memory map, not
        read into memory); otherwise every file is read once, verified, and parsed from
        the verified bytes.

    Returns
    -------
    Entry

    Raises
    ------
    toolkit.errors.CacheError
        Malformed or altered manifest; other format version, kind, key or parameters;
        a file missing, extra, or of another size or digest.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> fill = lambda w: w.array("x", np.arange(4))
    >>> _ = write_entry(root / "e", kind="demo", key="k", params={"n": 4}, fill=fill)
    >>> open_entry(root / "e", kind="demo", key="k", params={"n": 4}).array("x").tolist()
    [0, 1, 2, 3]
    >>> open_entry(root / "e", kind="demo", key="k", params={"n": 5})
    Traceback (most recent call last):
    ...
    toolkit.errors.CacheError: ...: built for other parameters
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CacheError(f"{folder}: not a cache entry folder")
    manifest = _read_manifest(folder)
    version = manifest["version"]
    if manifest["format"] != _FORMAT_NAME or type(version) is not int or version != FORMAT_VERSION:
        raise CacheError(f"{folder}: written in another cache format")
    if manifest["kind"] != kind:
        raise CacheError(f"{folder}: holds a {manifest['kind']!r}, not a {kind!r}")
    if key is None:
        try:
            consistent = manifest["key"] == content_key(manifest["params"])
        except (TypeError, ValueError):
            consistent = False
        if not consistent:
            raise CacheError(f"{folder}: its key does not match its parameters")
    else:
        if manifest["key"] != key:
            raise CacheError(f"{folder}: built under another key")
        if canonical_json(manifest["params"]) != canonical_json(params):
            raise CacheError(f"{folder}: built for other parameters")
    files: dict[str, dict[str, Any]] = manifest["files"]
    try:
        present = {p.name for p in folder.iterdir()}
    except OSError as err:
        raise CacheError(f"{folder}: unreadable ({err})") from err
    expected = set(files) | {MANIFEST}
    if present != expected:
        missing, extra = sorted(expected - present), sorted(present - expected)
        raise CacheError(
            f"{folder}: files differ from the manifest (missing {missing}, extra {extra})"
        )
    data: dict[str, bytes] = {}
    mapped: set[str] = set()
    for name, info in files.items():
        path = folder / name
        try:
            if not path.is_file():
                raise CacheError(f"{path}: not a file")
            size = path.stat().st_size
            if size != info["size"]:
                raise CacheError(f"{path}: {size} bytes, the manifest says {info['size']}")
            if mmap and name.endswith(".npy"):
                digest = file_digest(path)
                mapped.add(name)
            else:
                content = path.read_bytes()
                if len(content) != info["size"]:
                    raise CacheError(f"{path}: changed while being read")
                digest = _digest_bytes(content)
                data[name] = content
        except OSError as err:
            raise CacheError(f"{path}: unreadable ({err})") from err
        if digest != info["xxh3_128"]:
            raise CacheError(f"{path}: content differs from the manifest (digest)")
    return Entry(folder, manifest, data, mapped)


def load_or_build(
    folder: str | Path,
    *,
    kind: str,
    key: str,
    params: Any,
    load: Callable[[Entry], T],
    build: Callable[[], T],
    save: Callable[[EntryWriter, T], None],
    what: str,
    mmap: bool = False,
) -> T:
    """Use a verified cache entry, or build the value, cache it and return it.

    An entry that fails verification (or the structural checks ``load`` makes by raising
    ``CacheError``) gives a :class:`toolkit.errors.CacheWarning` ("rebuilding the …") and
    is rebuilt and replaced; an entry that cannot be saved gives a warning too, and the
    built value is still returned.

    Parameters
    ----------
    folder : str or pathlib.Path
    kind, key, params
        As for :func:`open_entry` and :func:`write_entry`.
    load : callable
        Entry → value; raises ``CacheError`` if the entry's content is inconsistent.
    build : callable
        () → value.
    save : callable
        (writer, value) → None: writes the value's files.
    what : str
        Name of the value in warnings, e.g. ``"token index"``.
    mmap : bool
        Open arrays as memory maps.

    Returns
    -------
    The loaded or built value.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "squares"
    >>> def make():
    ...     return np.arange(5) ** 2
    >>> args = dict(kind="demo", key="sq", params={"n": 5}, what="squares",
    ...             load=lambda e: e.array("sq"), build=make, save=lambda w, v: w.array("sq", v))
    >>> load_or_build(folder, **args).tolist()  # built and saved
    [0, 1, 4, 9, 16]
    >>> _ = (folder / "sq.npy").write_bytes(b"damaged")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     load_or_build(folder, **args).tolist()  # rebuilt, with a warning
    [0, 1, 4, 9, 16]
    >>> str(caught[0].message).startswith("rebuilding the squares")
    True
    """
    folder = Path(folder)
    if folder.exists() or folder.is_symlink():
        try:
            return load(open_entry(folder, kind=kind, key=key, params=params, mmap=mmap))
        except CacheError as err:
            warnings.warn(
                f"rebuilding the {what}: the cached copy is unusable ({err})",
                CacheWarning,
                stacklevel=3,
            )
    value = build()
    try:
        write_entry(folder, kind=kind, key=key, params=params, fill=lambda w: save(w, value))
    except OSError as err:  # a read-only cache still gives a working value
        warnings.warn(f"could not save the {what} to {folder} ({err})", CacheWarning, stacklevel=3)
    return value
