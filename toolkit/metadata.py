"""Roles of metadata columns: which column groups the documents, which one dates them, and
the periods of time they fall in.

A notebook written for one corpus names its columns (``country``, ``year``); a notebook that
is to run on any corpus has to find them.  :func:`infer_columns` chooses a grouping column
and a time column from the metadata alone, by rules stated in its docstring, and says why it
chose them, so that the choice is visible and can be overridden.  :func:`period_labels` and
:func:`time_periods` bin dates or years into periods (year, month or decade) and mark the
periods the data covers only in part, so that an incomplete first or last decade is not
plotted as if it were a full one.  :func:`top_groups` keeps the ``n`` largest groups and
pools the rest as "other", which figures with hundreds of groups need.

pandas does the parsing (:func:`pandas.to_datetime`) and the binning (``Period``); what is
written here are only the rules that decide which column plays which role.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._docs import fill_doc
from .errors import ParameterError

if TYPE_CHECKING:
    from .corpus import Corpus

__all__ = [
    "ColumnRoles",
    "infer_columns",
    "parse_time",
    "period_labels",
    "time_periods",
    "top_groups",
    "is_sample",
]

#: Column names that usually group documents, in order of preference.
GROUP_NAMES = (
    "country",
    "party",
    "source",
    "outlet",
    "newspaper",
    "publisher",
    "speaker",
    "author",
    "group",
    "category",
    "section",
    "state",
    "language",
)
#: Column names that usually date documents, in order of preference.
TIME_NAMES = ("date", "year", "published", "time", "datetime", "day", "month", "decade")
#: Columns a loader adds that are never analysed as groups or times.
_TECHNICAL = {"file", "encoding", "doc_id", "path", "member", "line", "sheet", "row"}
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_DATE = re.compile(r"^\s*\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2})?)?\s*$|^\s*\d{8}\s*$")
UNITS = ("auto", "year", "month", "decade")


@fill_doc
@dataclass(frozen=True)
class ColumnRoles:
    """The grouping and time columns chosen for a corpus, and why.

    Returned by :func:`infer_columns`: made by :func:`toolkit.infer_columns`; not usually
    constructed by hand.  The parameters are kept as attributes of the same names.

    Parameters
    ----------
    by : str or None
        {params.by}
        Here the one column chosen to group the documents (``None``: the metadata has
        none).
    time : str or None
        The column that dates them (``None``: none).
    reasons : dict
        ``{"by": "...", "time": "..."}``: how each was chosen, for the notebook to print
        (default empty).

    Examples
    --------
    >>> import toolkit as tk
    >>> roles = tk.infer_columns(tk.load_sample())
    >>> roles.by, roles.time
    ('country', 'year')
    """

    by: str | None
    time: str | None
    reasons: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """One sentence per role, as a notebook prints it.

        Examples
        --------
        >>> import toolkit as tk
        >>> print(tk.infer_columns(tk.load_sample()).describe())  # doctest: +ELLIPSIS
        Grouping column: `country` (...
        """
        parts = []
        for role, label in (("by", "Grouping column"), ("time", "Time column")):
            value = getattr(self, role)
            why = self.reasons.get(role, "")
            if value is None:
                parts.append(f"{label}: none ({why}).")
            else:
                parts.append(f"{label}: `{value}` ({why}).")
        return "\n".join(parts)


def _is_time(values: pd.Series) -> bool:
    """Whether every non-missing value is a year (1000–2199), a date or a timestamp."""
    v = values.dropna()
    if v.empty:
        return False
    if pd.api.types.is_datetime64_any_dtype(v):
        return True
    if pd.api.types.is_bool_dtype(v):
        return False
    if pd.api.types.is_integer_dtype(v) or pd.api.types.is_float_dtype(v):
        f = v.astype(float)
        return bool(((f % 1 == 0) & (f >= 1000) & (f < 2200)).all())
    s = v.astype(str)
    return bool(s.str.match(_YEAR).all() or s.str.match(_DATE).all())


def _is_group(values: pd.Series, n_docs: int) -> bool:
    """Labels shared by several documents: 2 to ``max(2, n_docs // 2)`` distinct values."""
    v = values.dropna()
    if v.empty or pd.api.types.is_float_dtype(v) or pd.api.types.is_datetime64_any_dtype(v):
        return False
    if pd.api.types.is_bool_dtype(v):
        return False
    if pd.api.types.is_integer_dtype(v):
        return False  # session numbers, counts: ordered quantities, not groups
    distinct = v.astype(str).nunique()
    if distinct < 2 or distinct > max(2, n_docs // 2):
        return False
    # texts are not labels: a label is short
    return bool(v.astype(str).str.len().median() <= 60)


def _check_column(meta: pd.DataFrame, column: str, parameter: str) -> None:
    if column not in meta.columns:
        raise ParameterError(
            parameter,
            column,
            f"the corpus has no metadata column {column!r}",
            valid=list(meta.columns),
        )


@fill_doc
def infer_columns(
    corpus: Corpus | pd.DataFrame, by: str | None = None, time: str | None = None
) -> ColumnRoles:
    """Choose the grouping column and the time column of a corpus from its metadata.

    A column named in ``by`` or ``time`` is taken as given (and checked).  Otherwise:

    - **time**: the first column whose every value is a year (an integer or a four-digit
      string from 1000 to 2199), an ISO date (``2024-03-01``, ``2024-03``, ``20240301``)
      or a timestamp.  Columns named like ``date`` or ``year`` are tried first.
    - **by**: the first column of short text labels that several documents share (2 to
      half as many distinct values as documents; integers such as session numbers are
      not groups).  Columns named like ``country``, ``party``, ``source`` or ``speaker``
      are tried first, then the others in their order in the metadata.

    Columns a loader adds (``file``, ``encoding``) are never chosen.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        {params.corpus}
        Or its metadata table.
    by : str, optional
        {params.by}
        Here one column, the grouping column if known: taken as given (after checking that
        the metadata has it); ``None`` (default) chooses it by the rules above.
    time : str, optional
        The time column, if known.

    Returns
    -------
    ColumnRoles
        ``by``, ``time`` and the reason for each (``describe()`` prints them).

    Raises
    ------
    ParameterError
        A named column that the metadata does not have (the valid columns are listed).

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> meta = pd.DataFrame({"outlet": ["a", "b", "a", "b"],
    ...                      "published": ["2024-01-02", "2024-02-03", "2024-02-09", "2024-03-01"]})
    >>> roles = tk.infer_columns(meta)
    >>> roles.by, roles.time
    ('outlet', 'published')
    """
    meta = corpus if isinstance(corpus, pd.DataFrame) else corpus.meta
    n_docs = len(meta)
    reasons: dict[str, str] = {}
    if time is not None:
        _check_column(meta, time, "time")
        if not _is_time(meta[time]):
            raise ParameterError(
                "time", time, f"column {time!r} holds values that are not years or dates"
            )
        reasons["time"] = "given"
    if by is not None:
        _check_column(meta, by, "by")
        reasons["by"] = "given"
    candidates = [c for c in meta.columns if str(c).lower() not in _TECHNICAL]

    def ordered(names: Sequence[str]) -> list[Any]:
        named = [c for n in names for c in candidates if str(c).lower() == n]
        return named + [c for c in candidates if c not in named]

    if time is None:
        for c in ordered(TIME_NAMES):
            if _is_time(meta[c]):
                time = str(c)
                reasons["time"] = "its values are all years or dates"
                break
        else:
            reasons["time"] = "no column holds only years or dates"
    if by is None:
        for c in ordered(GROUP_NAMES):
            if c == time:
                continue
            if _is_group(meta[c], n_docs):
                by = str(c)
                k = meta[c].nunique()
                reasons["by"] = f"short labels shared by several documents: {k} groups"
                break
        else:
            reasons["by"] = "no column holds labels that several documents share"
    return ColumnRoles(by=by, time=time, reasons=reasons)


def parse_time(values: pd.Series, column: str = "time") -> pd.Series:
    """Years, dates or timestamps as ``datetime64`` values (a year becomes 1 January).

    Parameters
    ----------
    values : Series
        The column's values.
    column : str
        Its name, for the error message.

    Returns
    -------
    Series
        ``datetime64`` values on the same index; missing values stay missing.

    Raises
    ------
    ParameterError
        A value that is neither a year nor a date; the message names the column, the value
        and its row.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> tk.parse_time(pd.Series([1991, 2024])).dt.strftime("%Y-%m-%d").tolist()
    ['1991-01-01', '2024-01-01']
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    stamps: list[Any] = []
    for label, value in zip(values.index, values.tolist(), strict=True):
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            stamps.append(pd.NaT)
            continue
        text = str(value).strip()
        if isinstance(value, (int, np.integer)) or (
            isinstance(value, (float, np.floating)) and float(value).is_integer()
        ):
            text = str(int(value))
        if _YEAR.match(text):
            year = int(text)
            if 1000 <= year < 2200:
                stamps.append(pd.Timestamp(year=year, month=1, day=1))
                continue
        elif _DATE.match(text):
            try:
                fmt = "%Y%m%d" if text.isdigit() else None
                stamps.append(pd.Timestamp(pd.to_datetime(text, format=fmt)))
                continue
            except (ValueError, OverflowError):
                pass
        raise ParameterError(
            column,
            value,
            f"column {column!r}, row {label!r}: {value!r} is not a year or a date",
        )
    return pd.Series(pd.to_datetime(pd.Series(stamps, dtype=object)).to_numpy(), index=values.index)


def _unit(stamps: pd.Series, unit: str, years_only: bool) -> str:
    if unit not in UNITS:
        raise ParameterError("unit", unit, valid=UNITS)
    if unit != "auto":
        return unit
    v = stamps.dropna()
    if v.empty:
        return "year"
    span_days = (v.max() - v.min()).days
    if years_only:
        return "decade" if span_days > 30 * 365 else "year"
    if span_days > 30 * 365:
        return "decade"
    if span_days > 3 * 365:
        return "year"
    return "month"


def _years_only(values: pd.Series) -> bool:
    v = values.dropna()
    if pd.api.types.is_integer_dtype(v) or pd.api.types.is_float_dtype(v):
        return True
    return bool(v.astype(str).str.match(_YEAR).all()) if len(v) else True


def _label(stamp: pd.Timestamp, unit: str) -> str:
    if unit == "decade":
        return f"{stamp.year // 10 * 10}s"
    if unit == "year":
        return str(stamp.year)
    return f"{stamp.year}-{stamp.month:02d}"


def _bounds(stamp: pd.Timestamp, unit: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if unit == "decade":
        y = stamp.year // 10 * 10
        return pd.Timestamp(y, 1, 1), pd.Timestamp(y + 9, 12, 31)
    if unit == "year":
        return pd.Timestamp(stamp.year, 1, 1), pd.Timestamp(stamp.year, 12, 31)
    start = pd.Timestamp(stamp.year, stamp.month, 1)
    return start, start + pd.offsets.MonthEnd(0)


def period_labels(values: pd.Series, unit: str = "auto", column: str = "time") -> pd.Series:
    """The period each value falls in, as an ordered categorical of labels.

    Labels read ``"1990s"`` (decade), ``"1991"`` (year) or ``"1991-09"`` (month).

    Parameters
    ----------
    values : Series
        Years, dates or timestamps (see :func:`parse_time`).
    unit : {"auto", "year", "month", "decade"}
        The period.  ``"auto"``: decades for more than 30 years of data, years for more
        than 3 (or for data given as years only), months otherwise.
    column : str
        The column's name, for error messages.

    Returns
    -------
    Series
        Ordered categorical labels, on the same index; the categories are every period from
        the first to the last (periods without documents included), in time order.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> tk.period_labels(pd.Series([1946, 1959, 1975]), unit="decade").tolist()
    ['1940s', '1950s', '1970s']
    """
    stamps = parse_time(values, column)
    unit = _unit(stamps, unit, _years_only(values))
    labels = stamps.map(lambda s: _label(s, unit) if pd.notna(s) else None)
    return pd.Series(
        pd.Categorical(labels, categories=_all_labels(stamps, unit), ordered=True),
        index=values.index,
        name="period",
    )


def _all_labels(stamps: pd.Series, unit: str) -> list[str]:
    v = stamps.dropna()
    if v.empty:
        return []
    first, last = _bounds(v.min(), unit)[0], v.max()
    out, cur = [], first
    while cur <= last:
        out.append(_label(cur, unit))
        cur = _bounds(cur, unit)[1] + pd.Timedelta(days=1)
    return out


@fill_doc
def time_periods(
    corpus: Corpus | pd.DataFrame, time: str | None = None, unit: str = "auto"
) -> pd.DataFrame:
    """The periods a corpus covers, with their document counts, and which are incomplete.

    A period is *complete* when the data's first date is on or before the period's start
    and its last date on or after the period's end; only the first and last periods can be
    incomplete.  With years as data, a decade 2020–2029 covered by speeches of 2020–2024 is
    incomplete (half of its years are still to come); a year is complete when it is present.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        {params.corpus}
        Or its metadata table.
    time : str, optional
        The time column; ``None`` chooses it with :func:`infer_columns`.
    unit : {"auto", "year", "month", "decade"}
        The period (see :func:`period_labels`).

    Returns
    -------
    DataFrame
        One row per period from the first to the last, in time order: ``period`` (label),
        ``start``, ``end`` (dates), ``n_docs``, ``complete`` (bool); ``attrs["unit"]`` and
        ``attrs["time"]`` name the unit and column used.

    Raises
    ------
    ParameterError
        No time column; an unknown column or unit; a value that is not a date.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> meta = pd.DataFrame({"year": [1946, 1955, 1961, 2024]})
    >>> tk.time_periods(meta, unit="decade")[["period", "n_docs", "complete"]].iloc[[0, 1, -1]]
      period  n_docs  complete
    0  1940s       1     False
    1  1950s       1      True
    8  2020s       1     False
    """
    meta = corpus if isinstance(corpus, pd.DataFrame) else corpus.meta
    if time is None:
        time = infer_columns(meta).time
        if time is None:
            raise ParameterError("time", None, "the metadata has no column of years or dates")
    _check_column(meta, time, "time")
    values = meta[time]
    stamps = parse_time(values, time)
    unit = _unit(stamps, unit, _years_only(values))
    labels = period_labels(values, unit, time)
    v = stamps.dropna()
    first = v.min() if len(v) else None
    last = v.max() if len(v) else None
    if _years_only(values) and last is not None:
        last = pd.Timestamp(last.year, 12, 31)  # a year given is the whole year
    counts = labels.value_counts(sort=False)
    rows = []
    for label in labels.cat.categories:
        year = int(str(label)[:4])
        month = int(str(label)[5:7]) if unit == "month" else 1
        start, end = _bounds(pd.Timestamp(year, month, 1), unit)
        complete = first is not None and last is not None and first <= start and last >= end
        rows.append((label, start, end, int(counts.get(label, 0)), bool(complete)))
    out = pd.DataFrame(rows, columns=["period", "start", "end", "n_docs", "complete"])
    out.attrs.update(unit=unit, time=time)
    return out


def top_groups(values: pd.Series | Sequence[Any], n: int = 8, other: str = "other") -> pd.Series:
    """Keep the ``n`` most frequent labels and pool the rest as ``other``.

    Labels are ranked by how often they occur (descending), ties by label, so the same data
    always keeps the same groups.

    Parameters
    ----------
    values : Series or list
        One label per document (or per row).
    n : int
        How many groups keep their own label.
    other : str
        The label of the pooled rest.

    Returns
    -------
    Series
        The labels, with every label outside the top ``n`` replaced by ``other``
        (``attrs["pooled"]`` is the number of labels pooled).

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.top_groups(["a", "a", "b", "c", "c", "d"], n=2).tolist()
    ['a', 'a', 'other', 'c', 'c', 'other']
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError("n", n, "n must be a positive integer")
    s = values if isinstance(values, pd.Series) else pd.Series(list(values))
    labels = s.astype(str).where(s.notna(), None)
    counts = labels.value_counts()
    order = sorted(counts.index, key=lambda g: (-counts[g], g))
    if other in order[:n]:
        raise ParameterError(
            "other", other, f"{other!r} is itself a group label; choose another name"
        )
    keep = set(order[:n])
    out = labels.where(labels.isin(keep) | labels.isna(), other)
    out.attrs["pooled"] = max(0, len(order) - n)
    return out


@functools.lru_cache(maxsize=4)
def _sample_fingerprint(name: str) -> str:
    from .samples import load_sample

    return load_sample(name).fingerprint


@fill_doc
def is_sample(corpus: Corpus, name: str = "un-debates-asia") -> bool:
    """Whether ``corpus`` is the bundled sample ``name``, unchanged (not a subset).

    Notebooks show their passages of interpretation, written for the bundled corpus, only
    when this is true.

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
        A part of the sample (a query, a selection) is not the sample.
    name : str
        A bundled corpus (see :func:`toolkit.list_samples`).

    Returns
    -------
    bool

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.is_sample(tk.load_sample()), tk.is_sample(tk.load_sample().query("year > 2000"))
    (True, False)
    """
    if getattr(corpus, "name", None) != name:
        return False
    try:
        return corpus.fingerprint == _sample_fingerprint(name)
    except Exception:  # noqa: BLE001 - a sample that cannot be loaded is not this one
        return False
