"""The toolkit's exception and warning classes.

Every error a user can cause is raised as one of these classes, with a message that names
what is at fault: the file (and for archives the member), the line or record number, the
column, the pattern, or the parameter and its valid values.  The classes also derive from
the built-in class a Python user would expect (``ValueError`` for bad values, ``OSError`` is
never re-used), so ``except ValueError`` keeps working.

Examples
--------
>>> err = LoadError("unclosed quote", path="speeches.csv", line=12, column="text")
>>> str(err)
"speeches.csv, line 12, column 'text': unclosed quote"
>>> isinstance(err, ValueError), err.line
(True, 12)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "ToolkitError",
    "LoadError",
    "BinaryFileError",
    "ArchiveError",
    "ParameterError",
    "ParameterTypeError",
    "ColumnError",
    "NotFoundError",
    "OutOfRangeError",
    "ModelError",
    "PatternError",
    "LimitError",
    "CacheError",
    "ReportError",
    "ToolkitWarning",
    "SkippedFilesWarning",
    "CacheWarning",
]


class ToolkitError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class LoadError(ToolkitError, ValueError):
    """A corpus source could not be read as asked.

    Attributes
    ----------
    path : str or None
        The file (or archive) at fault.
    member : str or None
        The archive member at fault.
    line : int or None
        1-based line (or record) number.
    column : str or None
        The table column at fault.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Any = None,
        member: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.member = member
        self.line = line
        self.column = column
        where = []
        if self.path is not None:
            where.append(self.path + (f"!{member}" if member else ""))
        elif member:
            where.append(member)
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class BinaryFileError(LoadError):
    """A file that should hold text holds binary data."""


class ArchiveError(LoadError):
    """An archive is corrupt, truncated, encrypted or over a size limit."""


class ParameterError(ToolkitError, ValueError):
    """A function argument has an invalid value; the message lists the valid ones.

    Examples
    --------
    >>> err = ParameterError("match", "glob!", valid=["glob", "regex", "fixed"])
    >>> str(err)
    "match='glob!' is not valid; valid values: 'glob', 'regex', 'fixed'"
    """

    def __init__(
        self,
        parameter: str,
        value: Any = None,
        message: str | None = None,
        *,
        valid: Iterable[Any] | None = None,
    ) -> None:
        self.parameter = parameter
        self.value = value
        self.valid = None if valid is None else list(valid)
        text = message or f"{parameter}={value!r} is not valid"
        if self.valid is not None:
            text += "; valid values: " + ", ".join(repr(v) for v in self.valid)
        super().__init__(text)


class ParameterTypeError(ParameterError, TypeError):
    """An argument, or what a function given as an argument returned, has the wrong type.

    It is also a ``TypeError``, as this error used to be.

    Examples
    --------
    >>> err = ParameterTypeError("steps", "upper", "cleaning step 'upper' must return a str")
    >>> isinstance(err, TypeError), isinstance(err, ValueError), err.parameter
    (True, True, 'steps')
    """


class ColumnError(ParameterError, KeyError):
    """A metadata or table column that does not exist or cannot be used as asked.

    It is also a ``KeyError``, as the missing-column error used to be.

    Examples
    --------
    >>> err = ColumnError("by", "year", "no metadata column 'year'", valid=["party"])
    >>> str(err)
    "no metadata column 'year'; valid values: 'party'"
    >>> isinstance(err, KeyError), isinstance(err, ValueError), err.parameter
    (True, True, 'by')
    """

    __str__ = BaseException.__str__


class NotFoundError(ParameterError, KeyError):
    """A named item asked for does not exist: a document id, an annotation layer, a
    structure (sentences, paragraphs).

    It is also a ``KeyError``, as the error of a missing key used to be; ``parameter`` and
    ``value`` name the argument and the id at fault.

    Examples
    --------
    >>> err = NotFoundError("doc_id", "d9", "no document with id 'd9' in 'speeches'")
    >>> str(err)
    "no document with id 'd9' in 'speeches'"
    >>> isinstance(err, KeyError), err.value
    (True, 'd9')
    """

    __str__ = BaseException.__str__


class OutOfRangeError(ParameterError, IndexError):
    """A position or span outside the text (or sequence) it refers to.

    It is also an ``IndexError``, as this error used to be.

    Examples
    --------
    >>> err = OutOfRangeError("positions", 12, "cleaned offsets must lie in 0 … 10")
    >>> isinstance(err, IndexError), isinstance(err, ValueError), err.value
    (True, True, 12)
    """


class PatternError(ToolkitError, ValueError):
    """A search pattern is malformed or takes too long to match."""

    def __init__(self, pattern: str, message: str) -> None:
        self.pattern = pattern
        super().__init__(f"pattern {pattern!r}: {message}")


class LimitError(ToolkitError, ValueError):
    """Work would exceed a documented limit (see :func:`toolkit.set_options`).

    Attributes
    ----------
    option : str
        The option that sets the limit; raise it with ``tk.set_options(option=...)``.
    """

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(f"{message} (limit: the option {option!r}; see tk.set_options)")


class EmptyResultError(ToolkitError, ValueError):
    """There is nothing to show: a plot or table was asked for with no data (no hits, no
    rows left after filtering).  The message says which input was empty and why, so a notebook
    can print a short note instead of publishing an empty figure."""


class ModelError(ToolkitError, ValueError):
    """A model cannot do what was asked because of how it was made or saved: a topic model
    saved without its document-topic shares asked for them, or one that joins phrases
    loaded without its phrase model asked to score other texts.  The message says what to
    do instead (fit the model again, or give the reference texts)."""


class CacheError(ToolkitError):
    """A cache entry or a saved model is damaged or was built for something else.

    Inside the cache it is never shown: the entry is rebuilt, with a :class:`CacheWarning`.
    Loading a model a user saved (``TopicModel.load``) raises it, since there is nothing
    to rebuild from.
    """


class ReportError(ToolkitError):
    """The report command was given invalid arguments or a notebook failed."""


class ToolkitWarning(UserWarning):
    """Base class of the toolkit's warnings."""


class SkippedFilesWarning(ToolkitWarning):
    """A loader did not read some files; they are listed on ``corpus.skipped``."""


class CacheWarning(ToolkitWarning):
    """A cache entry was unusable and is being rebuilt, or could not be saved."""
