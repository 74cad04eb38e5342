"""Global options: progress bars and the limits that keep work bounded.

Every limit has a documented default and can be changed for the whole session with
:func:`set_options` (or temporarily, as a context manager).  A limit that is reached raises
:class:`toolkit.errors.LimitError` naming the option.

Options
-------
progress : bool or None
    Progress bars: ``None`` (default) shows them for work that takes over a second,
    ``False`` never, ``True`` always.  The environment variable ``TOOLKIT_PROGRESS=0``
    sets the default to ``False``.
max_window : int
    Largest context window, in tokens, of concordances and collocates (default 1,000).
pattern_timeout : float
    Seconds a regular expression or glob may take to match against the vocabulary
    (default 5.0).
max_document_chars : int
    Largest single document, in characters (default 128,000,000).
max_file_bytes : int
    Largest single file or archive member read as text, in bytes (default 128 MiB).
max_archive_bytes : int
    Largest total decompressed size of one archive (default 8 GiB).
max_archive_ratio : float
    Largest ratio of decompressed to compressed size of an archive member (default 200).
max_open_shards : int
    Shards of a sharded corpus a process keeps open (memory-mapped) between tasks
    (default 8); see :mod:`toolkit.shards`.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from .errors import ParameterError

__all__ = ["set_options", "get_option", "OPTIONS"]


def _default_progress() -> bool | None:
    value = os.environ.get("TOOLKIT_PROGRESS", "").strip().lower()
    if value in ("0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    return None


OPTIONS: dict[str, Any] = {
    "progress": _default_progress(),
    "max_window": 1_000,
    "pattern_timeout": 5.0,
    "max_document_chars": 128_000_000,
    "max_file_bytes": 128 * 2**20,
    "max_archive_bytes": 8 * 2**30,
    "max_archive_ratio": 200.0,
    "max_open_shards": 8,
}

_TYPES: dict[str, tuple[type, ...]] = {
    "progress": (bool, type(None)),
    "max_window": (int,),
    "pattern_timeout": (int, float),
    "max_document_chars": (int,),
    "max_file_bytes": (int,),
    "max_archive_bytes": (int,),
    "max_archive_ratio": (int, float),
    "max_open_shards": (int,),
}


def get_option(name: str) -> Any:
    """The current value of option ``name``.

    Parameters
    ----------
    name : str
        One of the options :func:`set_options` sets (``"progress"``, ``"max_window"``, …).

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.get_option("max_window")
    1000
    """
    if name not in OPTIONS:
        raise ParameterError("name", name, valid=sorted(OPTIONS))
    return OPTIONS[name]


class _Restore(contextlib.AbstractContextManager):
    def __init__(self, old: dict[str, Any]) -> None:
        self._old = old

    def __exit__(self, *exc: object) -> None:
        OPTIONS.update(self._old)


def set_options(**options: Any) -> contextlib.AbstractContextManager:
    """Set global options; usable as a context manager to restore them afterwards.

    Parameters
    ----------
    **options
        Option names and values (see :mod:`toolkit.options` for each option's meaning
        and default).

    Returns
    -------
    context manager
        Restores the previous values when used in a ``with`` statement.

    Examples
    --------
    >>> import toolkit as tk
    >>> with tk.set_options(progress=False, max_window=50):
    ...     tk.get_option("max_window")
    50
    >>> tk.get_option("max_window")
    1000
    """
    old = {}
    for name, value in options.items():
        if name not in OPTIONS:
            raise ParameterError(name, value, f"unknown option {name!r}", valid=sorted(OPTIONS))
        types = _TYPES[name]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ParameterError(name, value, f"{name} must be of type {types[0].__name__}")
        if name != "progress" and not (0 < float(value) < float("inf")):  # type: ignore[arg-type]
            raise ParameterError(name, value, f"{name} must be a positive, finite number")
        old[name] = OPTIONS[name]
    OPTIONS.update(options)
    return _Restore(old)
