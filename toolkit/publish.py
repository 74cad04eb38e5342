"""Showing results in a notebook, and publishing them in the report.

A notebook shows a table's first rows, rounded for reading; the report needs the whole table,
under a name that says what it holds, and a caption for each figure and table.
:func:`show_table` and :func:`show_figure` do both: they display the result with its caption
and, when the notebook runs under ``toolkit report`` (which sets ``TOOLKIT_REPORT_TABLES``
and ``TOOLKIT_REPORT_FIGURES`` in the kernel's environment), they write the whole table as
CSV and the figure as PNG under their names.  The caption and name also travel in the
output's metadata (``{"toolkit": {"kind", "name", "caption", "rows"}}``), from which the
report builds its index.  :func:`note` prints a short note, e.g. why a figure is not shown.

IPython's ``display`` does the displaying and pandas the rounding and CSV writing; this module
only names, rounds and routes.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ParameterError

__all__ = ["show_table", "show_figure", "note", "round_table"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise ParameterError(
            "name",
            name,
            "a name is 1-120 letters, digits, '.', '_' or '-', starting with a letter or "
            "digit (it becomes a file name)",
        )
    return name


def _slug(text: str) -> str:
    """A file-name-safe version of a label (``RUS vs USA`` → ``RUS-vs-USA``)."""
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-.")
    return s[:120] or "table"


def round_table(table: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """A copy of ``table`` with floating-point columns rounded to ``digits`` significant
    decimals for reading (values of 1,000 and more to whole numbers; tiny values such as
    p-values in scientific notation are kept as they are).

    Parameters
    ----------
    table : DataFrame
        The table.
    digits : int
        Decimals kept.

    Returns
    -------
    DataFrame
        The rounded copy; the table itself is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> tk.round_table(pd.DataFrame({"ll": [12.345678, 2034.5]})).ll.tolist()
    [12.346, 2034.0]
    """
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or digits < 0:
        raise ParameterError("digits", digits, "digits must be a non-negative integer")
    out = table.copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_float_dtype(col):
            big = col.abs() >= 1000
            tiny = (col.abs() < 10 ** (-digits)) & (col != 0)
            out[c] = np.where(big, col.round(0), np.where(tiny, col, col.round(digits)))
    return out


def _folder(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value) if value else None


def show_table(
    table: pd.DataFrame,
    name: str,
    caption: str,
    rows: int | None = 15,
    digits: int = 3,
    index: bool = False,
) -> None:
    """Show a table's first rows with a caption; under the report, publish it whole.

    Parameters
    ----------
    table : DataFrame
        The result (e.g. of :func:`toolkit.keyness`).
    name : str
        What the table holds, as a file name without extension (``"keyness-RUS-vs-USA"``).
    caption : str
        One sentence saying what the table shows.
    rows : int or None
        Rows displayed in the notebook (``None``: all).  The published CSV always has all.
    digits : int
        Decimals shown (see :func:`round_table`); the CSV keeps full precision.
    index : bool
        Whether the index is a column worth showing and writing.

    Raises
    ------
    ParameterError
        A name that cannot be a file name; ``rows`` not a positive integer.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> tk.show_table(pd.DataFrame({"term": ["a"], "ll": [1.23456]}), "demo", "A demo.")
    ... # doctest: +SKIP
    """
    name = _check_name(name)
    if not isinstance(table, pd.DataFrame):
        raise ParameterError("table", type(table).__name__, "show_table takes a DataFrame")
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int) or rows < 1):
        raise ParameterError("rows", rows, "rows must be a positive integer or None")
    shown = table if rows is None else table.head(rows)
    shown = round_table(shown, digits)
    folder = _folder("TOOLKIT_REPORT_TABLES")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        # CRLF records (RFC 4180): a cell holding a carriage return or a line break is then
        # quoted, so every CSV reader finds one record per row
        table.to_csv(folder / f"{name}.csv", index=index, encoding="utf-8", lineterminator="\r\n")
    more = "" if len(shown) == len(table) else f" (first {len(shown)} of {len(table)} rows)"
    body = shown.to_html(index=index, escape=True, border=0, classes="tk-table")
    data = {
        "text/html": f"<p class='tk-caption'><b>{html.escape(caption)}</b>"
        f"{html.escape(more)}</p>{body}",
        "text/plain": f"{caption}{more}\n{shown.to_string(index=index)}",
    }
    meta = {"toolkit": {"kind": "table", "name": name, "caption": caption, "rows": len(table)}}
    _display(data, meta)


def show_figure(figure: Any, name: str, caption: str) -> None:
    """Show a figure with a caption; under the report, publish it as ``name.png``.

    A figure that draws no data (no line with a point, bar, marker, cell or image; only
    axes and titles) is never shown or published: a note says so instead, and the report
    lists it among the notebook's problems.

    Parameters
    ----------
    figure : matplotlib Figure or Axes
        What a plot function returned.
    name : str
        What the figure shows, as a file name without extension (``"keyness-RUS-vs-USA"``).
    caption : str
        One sentence saying what the figure shows.

    Examples
    --------
    >>> import toolkit as tk
    >>> ax = tk.plot_dispersion(tk.kwic(tk.load_sample(), "nuclear"))  # doctest: +SKIP
    >>> tk.show_figure(ax, "dispersion-nuclear", "Where 'nuclear' occurs.")  # doctest: +SKIP
    """
    import base64
    import io

    import matplotlib.pyplot as plt

    name = _check_name(name)
    fig = getattr(figure, "figure", figure)
    if hasattr(fig, "get_figure") and fig.get_figure() is not None:
        fig = fig.get_figure()
    if not hasattr(fig, "savefig"):
        raise ParameterError(
            "figure", type(figure).__name__, "show_figure takes a matplotlib Figure or Axes"
        )
    if not _has_data(fig):
        plt.close(fig)
        note(f"The figure {name!r} is not shown: it has no data ({caption})")
        _display(
            {"text/plain": f"<empty figure {name}>"},
            {"toolkit": {"kind": "empty-figure", "name": name, "caption": caption}},
        )
        return
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", dpi=100)
    png = buf.getvalue()
    folder = _folder("TOOLKIT_REPORT_FIGURES")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(png)
    plt.close(fig)
    data = {
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": f"<Figure: {caption}>",
    }
    meta = {"toolkit": {"kind": "figure", "name": name, "caption": caption}}
    _display(data, meta)
    _display({"text/markdown": f"*{caption}*", "text/plain": caption}, {})


def _has_data(fig: Any) -> bool:
    """Whether any axes of a figure draws data: a line with a finite point, a bar or other
    patch, a collection with points or paths (scatter, heatmap, network), an image, or a
    table.  Titles, labels and empty axes are not data."""
    from matplotlib.collections import PathCollection

    for ax in fig.get_axes():
        for line in ax.get_lines():
            x, y = (np.asarray(v, dtype=float) for v in line.get_data())
            if x.size and np.isfinite(x).any() and np.isfinite(y).any():
                return True
        if ax.patches or ax.images or ax.tables:
            return True
        for coll in ax.collections:
            if isinstance(coll, PathCollection):  # markers: data only where placed
                if len(np.asarray(coll.get_offsets())):
                    return True
            elif len(coll.get_paths()):
                return True
    return False


def note(text: str) -> None:
    """Print a short note in the notebook (Markdown), e.g. why a figure is not shown.

    Parameters
    ----------
    text : str
        The note.

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.note("No hits for 'sanctions': the dispersion plot is not drawn.")  # doctest: +SKIP
    """
    _display(
        {"text/markdown": f"> **Note.** {text}", "text/plain": f"Note. {text}"},
        {"toolkit": {"kind": "note"}},
    )


def _display(data: dict[str, str], metadata: dict[str, Any]) -> None:
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with jupyterlab
        print(data.get("text/plain", ""))
        return
    display(data, raw=True, metadata=metadata)
