"""Interactive tables for JupyterLab: concordances and result tables to sort, search and read.

:func:`explore` turns a :class:`~toolkit.kwic.Concordance` or any DataFrame (keyness,
collocates, frequency lists…) into an interactive table drawn by DataTables, the library
that ``itables`` bundles.  The library travels inside the output (``itables``' offline
bundle, read from the installed package), so nothing is fetched from the internet and the
table works in a notebook opened without a network, and in the HTML report.

What the table is made of:

* a **static table** shown first: the first rows as plain HTML with inline styles, readable
  wherever scripts do not run (an untrusted notebook, a notebook viewer, a sanitised page);
* the **interactive table**, which replaces it as soon as DataTables is ready: every row
  (paged), sortable columns, a filter box, the number of rows shown and filtered.

For a concordance the interactive table has the left context (right-aligned), the keyword
(highlighted), the right context, the document id, the metadata columns, and the words at
positions L5…L1 and R1…R5, which sort as :meth:`~toolkit.kwic.Concordance.sort` sorts
(case-insensitively, lines without a word there first, ties in corpus order); the headers
of the contexts sort by L1, L2… and R1, R2….  A click on a line opens the paragraph of the
document that holds the hit, the hit highlighted.  Lines never wrap; contexts hold the
window's tokens, cut to ``chars`` characters at their far end; the contexts come first so
that they are in view in a narrow panel, where the table scrolls sideways inside its own
box.

Every piece of corpus text (contexts, keywords, metadata, paragraphs, column names) is
HTML-escaped in Python before it is written into the page.

Sizes: the DataTables bundle adds about 1 MB to the output (``bundle=False`` leaves it out,
for tables after the first one of a notebook); a concordance adds about 1 kB per line (the
paragraph is capped at ``paragraph_chars`` characters).  ``limit`` bounds the lines (default
10,000, the title then says "first 10,000 of N lines").
"""

from __future__ import annotations

import base64
import bisect
import html
import json
import math
import uuid
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .errors import ParameterError
from .kwic import Concordance, clip_left, clip_right

__all__ = ["explore", "Explorer"]

#: Rows of the static table shown until (or unless) the interactive table is ready.
STATIC_ROWS = 50

_RENDER_PAIR = (
    "function (data, type, row, meta) "
    "{ return type === 'sort' || type === 'type' ? data[1] : data[0]; }"
)


def _esc(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value))


@lru_cache(maxsize=1)
def _bundle() -> tuple[str, str, str, str]:
    """The DataTables bundle of the installed itables (JS and CSS, base64), its global name
    and the event that announces it (the names itables itself uses, so that a table of
    itables and ours share one copy of the library)."""
    import itables
    from itables.utils import find_package_file

    js = find_package_file("html/dt_bundle.js")
    css = js.with_suffix(".css")
    version = itables.__version__
    name = "_itables_" + version.replace(".", "_").replace("-", "_")
    event = f"itables-{version}-ready"
    return (
        base64.b64encode(js.read_bytes()).decode("ascii"),
        base64.b64encode(css.read_bytes()).decode("ascii"),
        name,
        event,
    )


def _loader() -> str:
    js, css, name, event = _bundle()
    return (
        "<script>(function () {"
        f"const key = {json.dumps(name)};"
        "if (window[key]) return;"
        "const bytes = (b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));"
        "const style = document.createElement('style');"
        f"style.textContent = new TextDecoder().decode(bytes('{css}'));"
        "document.head.appendChild(style);"
        f"const url = URL.createObjectURL(new Blob([bytes('{js}')], "
        "{type: 'application/javascript'}));"
        "window[key] = import(url).then((m) => { URL.revokeObjectURL(url);"
        f"window.dispatchEvent(new Event({json.dumps(event)})); return m; }});"
        "})();</script>"
    )


def _json_for_script(value: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``<`` at all)."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_CSS = """
#{id} {{ max-width: 100%; overflow: hidden; }}
#{id} .tk-x-title {{ font-weight: bold; margin: 2px 0 4px 0; }}
#{id} .tk-x-note {{ color: #666; font-size: 90%; margin: 2px 0; }}
#{id} table.dataTable td, #{id} table.dataTable th {{ white-space: nowrap; text-align: left; }}
#{id} table.dataTable td.tk-left, #{id} table.dataTable th.tk-left,
#{id} table.dataTable td.dt-right, #{id} table.dataTable th.dt-right {{ text-align: right; }}
#{id} table.dataTable td.tk-kw, #{id} table.dataTable th.tk-kw {{ text-align: center; }}
#{id} table.dataTable td.tk-kw {{ font-weight: bold; }}
#{id} table.dataTable td.tk-pos {{ color: #555; }}
#{id} table.dataTable tbody tr {{ cursor: pointer; }}
#{id} mark {{ background: #ffe066; color: inherit; padding: 0 1px; }}
#{id} mark.tk-hit {{ background: #ffd43b; font-weight: bold; }}
#{id} .tk-para {{ white-space: normal; max-width: 60em; position: sticky; left: 8px;
  padding: 4px 8px; line-height: 1.45; text-align: left; }}
#{id} .tk-para .tk-para-id {{ color: #777; font-size: 90%; }}
#{id} .dt-container {{ max-width: 100%; }}
"""

_INIT = """<script type="module">
(async () => {{
  const box = document.getElementById({box});
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  const key = {key};
  if (!window[key]) await new Promise((ok) => window.addEventListener({event}, ok, {{once: true}}));
  const {{ ITable, jQuery: $ }} = await window[key];
  const table = document.getElementById({table});
  const live = document.getElementById({live});
  const fixed = document.getElementById({static});
  const args = JSON.parse(document.getElementById({data}).textContent);
  live.removeAttribute("hidden");
  try {{
    const it = new ITable(table, args);
    fixed.setAttribute("hidden", "hidden");
    const dt = it.dt;
    const para = {para};
    if (para >= 0) {{
      $(table).on("click", "tbody tr", function () {{
        const row = dt.row(this);
        if (row.index() === undefined) return;
        if (row.child.isShown()) {{ row.child.hide(); this.classList.remove("tk-open"); }}
        else {{
          const div = document.createElement("div");
          div.className = "tk-para";
          div.innerHTML = row.data()[para];  // escaped in Python; only <mark> and <span> tags
          const view = box.querySelector(".dt-scroll-body") || box;
          div.style.maxWidth = Math.max(view.clientWidth - 24, 200) + "px";
          row.child(div, "tk-para-row").show();
          this.classList.add("tk-open");
        }}
      }});
    }}
    if (window.ResizeObserver) new ResizeObserver(() => dt.columns.adjust()).observe(box);
  }} catch (error) {{
    live.setAttribute("hidden", "hidden");
    console.error("interactive table", error);
  }}
}})();
</script>"""


class Explorer:
    """An interactive table (made by :func:`explore`); shown by JupyterLab as HTML.

    Made by :func:`toolkit.explore`, which escapes every cell; not usually constructed by
    hand.

    Parameters
    ----------
    title : str
        What the table shows, as plain text (escaped when shown).
    frame : pandas.DataFrame
        The rows and columns shown, as plain (unescaped) values; kept as ``frame``.
    columns : list of dict
        One DataTables column definition per cell of a row: its ``title`` (HTML, already
        escaped) and optionally ``className``, ``orderable``, ``visible``,
        ``searchable``, ``orderData`` and ``pair`` (the cells are ``[html, sort key]``
        pairs).
    rows : list of list
        The cells of every row, as HTML already escaped (or ``[html, sort key]`` pairs);
        JSON-serialisable.
    static : str
        The HTML table shown where JavaScript does not run (the first rows), already
        escaped.
    total : int
        Rows in the result, of which ``rows`` may hold the first ones only (``limit``).
    page_length : int
        Rows per page at first.
    paragraph : int
        The number of the (hidden) column that holds each row's paragraph, shown when a
        row is clicked; ``-1``: none (a table that is not a concordance).
    bundle : bool
        Put the DataTables library into this output (see :func:`toolkit.explore`).

    Attributes
    ----------
    title : str
        What the table shows, e.g. ``"'nuclear': 3,523 lines, window 5"``.
    frame : pandas.DataFrame
        The rows and columns shown, as plain (unescaped) values.
    shown, total : int
        Rows in the table, and rows in the result (``shown < total`` under ``limit``).

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War and peace. Peace, not war."]}))
    >>> ex = tk.explore(tk.kwic(c, "peace", window=2), bundle=False)
    >>> ex.title, list(ex.frame["R1"])
    ("'peace': 2 lines, window 2", ['.', ','])
    """

    def __init__(
        self,
        title: str,
        frame: pd.DataFrame,
        columns: list[dict[str, Any]],
        rows: list[list[Any]],
        static: str,
        total: int,
        page_length: int,
        paragraph: int,
        bundle: bool,
    ) -> None:
        self.title = title
        self.frame = frame
        self.shown = len(rows)
        self.total = total
        self._columns = columns
        self._rows = rows
        self._static = static
        self._page_length = page_length
        self._paragraph = paragraph
        self._bundle = bundle

    def __repr__(self) -> str:
        return f"<Explorer {self.title}>"

    def to_html(self) -> str:
        """The HTML of the table: the static table, the data and the scripts (no URL).

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> ex = tk.explore(pd.DataFrame({"term": ["a&b"], "g2": [1.23456]}), bundle=False)
        >>> "a&amp;b" in ex.to_html() and "1.235" in ex.to_html()
        True
        """
        uid = "tk-x-" + uuid.uuid4().hex[:12]
        ids = {k: f"{uid}-{k}" for k in ("table", "live", "static", "data")}
        head = "".join(
            f"<th class='{c.get('className', '')}'>{c['title']}</th>" for c in self._columns
        )
        defs: list[dict[str, Any]] = []
        evaluate: list[list[Any]] = []
        for i, col in enumerate(self._columns):
            d: dict[str, Any] = {"targets": i}
            for k in ("className", "orderable", "visible", "searchable", "orderData"):
                if k in col:
                    d[k] = col[k]
            if col.get("pair"):
                d["render"] = _RENDER_PAIR
                evaluate.append(["columnDefs", len(defs), "render"])
            defs.append(d)
        args: dict[str, Any] = {
            "table_html": f"<table><thead><tr>{head}</tr></thead></table>",
            "data_json": json.dumps(self._rows, ensure_ascii=False, allow_nan=False),
            "classes": ["display", "nowrap", "compact"],
            "style": {"width": "100%", "margin": "0"},
            "columnDefs": defs,
            "order": [],
            "pageLength": self._page_length,
            "lengthMenu": sorted({10, 25, 50, 100, 500, self._page_length}),
            "deferRender": True,
            "autoWidth": True,
            "scrollX": True,
            "language": {
                "info": "rows _START_ to _END_ of _TOTAL_",
                "infoEmpty": "no rows",
                "infoFiltered": "(filtered from _MAX_)",
                "search": "Filter:",
                "lengthMenu": "_MENU_ rows per page",
            },
        }
        if evaluate:
            args["keys_to_be_evaluated"] = evaluate
        _, _, key, event = _bundle()
        script = _INIT.format(
            box=json.dumps(uid),
            key=json.dumps(key),
            event=json.dumps(event),
            table=json.dumps(ids["table"]),
            live=json.dumps(ids["live"]),
            static=json.dumps(ids["static"]),
            data=json.dumps(ids["data"]),
            para=self._paragraph,
        )
        return (
            f"<div class='tk-explore' id='{uid}'>"
            f"<style>{_CSS.format(id=uid)}</style>"
            f"<div class='tk-x-title'>{html.escape(self.title)}</div>"
            f"<div id='{ids['static']}'>{self._static}</div>"
            f"<div id='{ids['live']}' hidden='hidden'><table id='{ids['table']}'></table>"
            + (
                "<div class='tk-x-note'>Click a line to read its paragraph.</div>"
                if self._paragraph >= 0
                else ""
            )
            + "</div>"
            f"<script type='application/json' id='{ids['data']}'>{_json_for_script(args)}"
            "</script>" + (_loader() if self._bundle else "") + script + "</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


# ---------------------------------------------------------------------------- arguments
def _check_int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ParameterError(name, value, f"{name} must be a whole number ≥ {low}, not {value!r}")
    return int(value)


def _check_columns(columns: Any, valid: Sequence[str], what: str) -> list[str] | None:
    if columns is None:
        return None
    cols = [columns] if isinstance(columns, str) else list(columns)
    unknown = [c for c in cols if c not in valid]
    if unknown:
        raise ParameterError(
            "columns", unknown, f"no {what} column(s) {unknown}", valid=list(valid)
        )
    return cols


def _number(value: Any, decimals: int) -> list[Any]:
    """A float as [display, sort value]: ``decimals`` decimals, or three significant digits
    in scientific notation when that would show a non-zero value as zero."""
    if value is None or pd.isna(value):
        return ["", None]
    v = float(value)
    if math.isinf(v):
        return ["∞" if v > 0 else "−∞", 1e308 if v > 0 else -1e308]
    if v != 0 and abs(v) < 0.5 * 10.0**-decimals:
        return [f"{v:.2e}", v]
    return [f"{v:,.{decimals}f}", v]


def _static_table(headers: list[str], rows: list[list[str]], align: list[str]) -> str:
    cell = "border-bottom:1px solid #ddd;padding:2px 8px;white-space:nowrap;text-align:{}"
    head = "".join(
        f"<th style='{cell.format(a)}'>{h}</th>" for h, a in zip(headers, align, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td style='{cell.format(a)}'>{v}</td>" for v, a in zip(r, align, strict=True))
        + "</tr>"
        for r in rows
    )
    return (
        "<div style='overflow-x:auto;max-width:100%'>"
        "<table style='border-collapse:collapse;width:auto'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


# ---------------------------------------------------------------------------- concordances
def _position_words(conc: Concordance, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """The word at ``offset`` from the keyword of every line ('' outside the document), and
    its rank in :meth:`Concordance.sort` order (lower case, '' first)."""
    idx = conc.view.index
    p, inside = conc.positions_at(offset)
    types = np.asarray(idx.tokens[p], dtype=np.int64)
    words = np.where(inside, np.asarray(idx.vocab, dtype=object)[types], "")
    lower = np.where(
        inside, np.asarray(idx.lower_vocab, dtype=object)[np.asarray(idx.lower)[types]], ""
    )
    _, rank = np.unique(lower.astype(str), return_inverse=True)
    return words, rank


def _paragraphs(conc: Concordance, paragraph_chars: int) -> tuple[list[str], list[str]]:
    """The paragraph of each line, at most ``paragraph_chars`` characters around the hit:
    as text, and as escaped HTML with the hit marked."""
    from .segment import paragraph_spans

    spans = conc.spans()
    texts: dict[Any, tuple[str, list[tuple[int, int]], list[int]]] = {}
    out, plain = [], []
    for doc_id, s, e in zip(spans["doc_id"], spans["char_start"], spans["char_end"], strict=True):
        if doc_id not in texts:
            text = conc.corpus.text(doc_id)
            paras = paragraph_spans(text) or [(0, len(text))]
            texts[doc_id] = (text, paras, [a for a, _ in paras])
        text, paras, starts = texts[doc_id]
        i = max(bisect.bisect_right(starts, int(s)) - 1, 0)
        ps, pe = paras[i]
        ps, pe = min(ps, int(s)), max(pe, int(e))
        lo, hi = ps, pe
        s, e = int(s), int(e)
        if pe - ps > paragraph_chars:
            # a window of paragraph_chars around the hit, cut at white space
            lo = max(ps, s - max(paragraph_chars - (e - s), 0) // 2)
            hi = min(pe, max(lo + paragraph_chars, e))
            lo = max(ps, min(lo, hi - paragraph_chars))
            if lo > ps:
                cut = text.find(" ", lo, s)
                lo = cut + 1 if cut >= 0 else lo
            if hi < pe:
                cut = text.rfind(" ", e, hi)
                hi = cut if cut >= 0 else hi
        head, tail = ("… " if lo > ps else ""), (" …" if hi < pe else "")
        plain.append(head + text[lo:hi] + tail)
        before = head + html.escape(text[lo:s])
        after = html.escape(text[e:hi]) + tail
        out.append(
            f"<span class='tk-para-id'>{html.escape(str(doc_id))}, paragraph {i + 1}:</span> "
            f"{before}<mark class='tk-hit'>{html.escape(text[s:e])}</mark>{after}"
        )
    return plain, out


def _explore_concordance(
    conc: Concordance,
    columns: str | Sequence[str] | None,
    limit: int | None,
    page_length: int,
    positions: int | None,
    chars: int,
    paragraph_chars: int,
    bundle: bool,
) -> Explorer:
    meta_names = [str(c) for c in conc.corpus.meta.columns]
    cols: list[str] = _check_columns(columns, meta_names, "metadata") or []
    if columns is None:
        cols = meta_names
    if positions is None:
        positions = min(5, conc.window)
    positions = _check_int("positions", positions, 0)
    if positions > conc.window:
        raise ParameterError(
            "positions",
            positions,
            f"positions={positions} is more than the window ({conc.window} tokens)",
        )
    total = len(conc)
    shown = conc if limit is None or limit >= total else conc.take(np.arange(limit))
    frame = shown.to_frame().drop(columns=["start", "end"])
    local = shown.doc_rows
    meta_frame = conc.corpus.meta.iloc[local].reset_index(drop=True)
    meta_frame.columns = [str(c) for c in meta_frame.columns]
    ranks: dict[str, np.ndarray] = {}
    names = [f"L{k}" for k in range(positions, 0, -1)] + [f"R{k}" for k in range(1, positions + 1)]
    words_at: dict[str, np.ndarray] = {}
    for name in names:
        k = int(name[1:])
        words_at[name], ranks[name] = _position_words(shown, -k if name[0] == "L" else k)
    kw_rank = np.unique(frame["keyword"].str.lower().to_numpy(dtype=str), return_inverse=True)[1]
    paras, paras_html = _paragraphs(shown, paragraph_chars) if len(shown) else ([], [])
    fixed = {"doc_id", "left", "keyword", "right", "paragraph", *names}
    shown_cols = [f"{c} (metadata)" if c in fixed else c for c in cols]
    frame = frame[["left", "keyword", "right", "doc_id"]]
    for c, name in zip(cols, shown_cols, strict=True):
        frame[name] = meta_frame[c].to_numpy()
    for name in names:
        frame[name] = words_at[name]
    frame["paragraph"] = paras
    meta = [_column_cells(frame[c], 3) for c in shown_cols]
    meta_cells = [m[0] for m in meta]

    # columns: left, keyword, right, doc_id, metadata, L5…L1 R1…R5, paragraph (hidden)
    specs: list[dict[str, Any]] = [
        {"title": "left", "className": "tk-left"},
        {"title": "keyword", "className": "tk-kw", "pair": True},
        {"title": "right", "className": "tk-right"},
        {"title": "doc_id"},
    ]
    for c, (_, pair, numeric) in zip(shown_cols, meta, strict=True):
        spec: dict[str, Any] = {"title": html.escape(c)}
        if pair:
            spec["pair"] = True
        if numeric:
            spec["className"] = "dt-right"
        specs.append(spec)
    first_pos = len(specs)
    specs += [{"title": n, "className": "tk-pos", "pair": True} for n in names]
    specs.append({"title": "paragraph", "visible": False, "searchable": False, "orderable": False})
    if positions:
        # the headers of the contexts sort as AntConc does: L1, L2… and R1, R2…
        specs[0]["orderData"] = [first_pos + names.index(f"L{k}") for k in range(1, positions + 1)]
        specs[2]["orderData"] = [first_pos + names.index(f"R{k}") for k in range(1, positions + 1)]
    else:
        specs[0]["orderable"] = specs[2]["orderable"] = False

    left = [html.escape(clip_left(s, chars)) for s in frame["left"]]
    right = [html.escape(clip_right(s, chars)) for s in frame["right"]]
    kws = [f"<mark>{html.escape(k)}</mark>" for k in frame["keyword"]]
    doc_ids = [_esc(d) for d in frame["doc_id"].tolist()]
    kw_cells = [[k, int(r)] for k, r in zip(kws, kw_rank.tolist(), strict=True)]
    pos_cells = [
        [[html.escape(w), r] for w, r in zip(frame[n].tolist(), ranks[n].tolist(), strict=True)]
        for n in names
    ]
    columns_of_cells = [left, kw_cells, right, doc_ids, *meta_cells, *pos_cells, paras_html]
    rows = [list(r) for r in zip(*columns_of_cells, strict=True)]

    what = f"{conc.pattern!r}: "
    count = (
        f"first {len(frame):,} of {total:,} lines"
        if len(frame) < total
        else f"{total:,} line{'s' if total != 1 else ''}"
    )
    title = f"{what}{count}, window {conc.window}"
    n_static = min(len(frame), STATIC_ROWS)
    static_rows = [
        [left[i], kws[i], right[i], doc_ids[i], *[_static(m[i]) for m in meta_cells]]
        for i in range(n_static)
    ]
    static = _static_table(
        ["left", "keyword", "right", "doc_id", *[html.escape(c) for c in shown_cols]],
        static_rows,
        ["right", "center", "left", "left", *["left"] * len(cols)],
    )
    if n_static < len(frame):
        static += (
            f"<p style='color:#666'>The first {n_static} of {len(frame):,} lines; the interactive "
            "table (it needs JavaScript) has them all, sortable and searchable.</p>"
        )
    return Explorer(
        title,
        frame.reset_index(drop=True),
        specs,
        rows,
        static,
        total,
        page_length,
        len(specs) - 1,
        bundle,
    )


def _column_cells(series: pd.Series, decimals: int) -> tuple[list[Any], bool, bool]:
    """The cells of a column, whether they are [display, sort] pairs (floats), and whether
    the column is numeric (aligned right)."""
    dtype = series.dtype
    values = series.tolist()
    if pd.api.types.is_bool_dtype(dtype):
        return [_esc(v) for v in values], False, False
    if pd.api.types.is_float_dtype(dtype):
        return [_number(v, decimals) for v in values], True, True
    if pd.api.types.is_integer_dtype(dtype):
        return [None if pd.isna(v) else int(v) for v in values], False, True
    return [_esc(v) for v in values], False, False


def _static(cell: Any) -> str:
    if isinstance(cell, list):
        return str(cell[0])
    return "" if cell is None else str(cell)


# ---------------------------------------------------------------------------- data frames
def _explore_frame(
    df: pd.DataFrame,
    columns: str | Sequence[str] | None,
    limit: int | None,
    page_length: int,
    decimals: int,
    bundle: bool,
) -> Explorer:
    if not isinstance(df.index, pd.RangeIndex) or df.index.name is not None:
        df = df.reset_index()
    names = [str(c) for c in df.columns]
    if len(set(names)) != len(names):
        raise ParameterError("result", names, "the table has duplicate column names")
    df = df.set_axis(names, axis=1)
    cols = _check_columns(columns, names, "table") or names
    total = len(df)
    frame = df[cols].iloc[: total if limit is None else limit].reset_index(drop=True)
    cells = [_column_cells(frame[c], decimals) for c in cols]
    rows = [[d[0][i] for d in cells] for i in range(len(frame))]
    specs: list[dict[str, Any]] = []
    for c, (_, pair, numeric) in zip(cols, cells, strict=True):
        spec: dict[str, Any] = {"title": html.escape(c)}
        if pair:
            spec["pair"] = True
        if numeric:
            spec["className"] = "dt-right"
        specs.append(spec)
    count = (
        f"first {len(frame):,} of {total:,} rows"
        if len(frame) < total
        else f"{total:,} row{'s' if total != 1 else ''}"
    )
    n_static = min(len(frame), STATIC_ROWS)
    align = ["right" if numeric else "left" for _, _, numeric in cells]
    static = _static_table(
        [html.escape(c) for c in cols],
        [[_static(v) for v in r] for r in rows[:n_static]],
        align,
    )
    if n_static < len(frame):
        static += (
            f"<p style='color:#666'>The first {n_static} of {len(frame):,} rows; the interactive "
            "table (it needs JavaScript) has them all, sortable and searchable.</p>"
        )
    return Explorer(count, frame, specs, rows, static, total, page_length, -1, bundle)


# ---------------------------------------------------------------------------- public
def explore(
    result: Concordance | pd.DataFrame,
    columns: str | Sequence[str] | None = None,
    limit: int | None = 10_000,
    page_length: int = 25,
    positions: int | None = None,
    chars: int = 50,
    paragraph_chars: int = 1_000,
    decimals: int = 3,
    bundle: bool = True,
) -> Explorer:
    """An interactive table of a concordance or a result table, for JupyterLab.

    Every row is in the table (up to ``limit``), paged; columns sort by a click on their
    header (a second click reverses, shift-click adds a column); the filter box keeps the
    rows that contain every word typed.  Nothing is fetched from the internet: the
    DataTables library that ``itables`` bundles goes into the output.  Where scripts do not
    run, the first 50 rows show as a plain table.

    Parameters
    ----------
    result : Concordance or pandas.DataFrame
        A concordance (:func:`kwic`), or any table: keyness, collocates, frequencies…
    columns : str or list of str, optional
        For a concordance, the metadata columns to show (default: all); for a table, the
        columns to show (default: all).
    limit : int or None
        At most this many rows (default 10,000; ``None``: all).  When the result has more,
        the title says "first N of M".
    page_length : int
        Rows per page at first (10, 25, 50, 100 or 500 can be chosen in the table).
    positions : int, optional
        For a concordance: the columns L1…Ln and R1…Rn of the words at each position
        around the keyword, sorted as :meth:`Concordance.sort` sorts (default
        ``min(5, window)``; at most the window).  A click on the header of the left
        context sorts by L1, L2…; of the right context by R1, R2…
    chars : int
        For a concordance: contexts are shown cut to this many characters at their far end
        (marked "…"); :meth:`Concordance.to_frame` has them whole.
    paragraph_chars : int
        For a concordance: a click on a line shows the paragraph of the document that holds
        the hit (as :func:`toolkit.segment.paragraph_spans` finds paragraphs), the hit
        highlighted, at most this many characters around it.
    decimals : int
        For a table: floats are shown with this many decimals (values that would show as
        zero in scientific notation, three significant digits); they sort by their exact
        value.
    bundle : bool
        Put the DataTables library (about 1 MB) into this output.  One output in a notebook
        that has it is enough for every table of the notebook, in the same order as run:
        ``bundle=False`` for the following tables keeps a notebook small.

    Returns
    -------
    Explorer
        Shown as the interactive table; ``.frame`` has the rows shown, ``.to_html()`` the
        HTML.

    Raises
    ------
    ParameterError
        ``result`` neither a concordance nor a DataFrame; a column that does not exist
        (the message lists the columns there are); ``limit``, ``page_length``, ``chars``,
        ``paragraph_chars`` or ``decimals`` not a whole number in range; ``positions``
        more than the window.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Peace and security, peace."],
    ...                                     "year": [1990]}))
    >>> ex = tk.explore(tk.kwic(c, "peace", window=3))
    >>> ex.title
    "'peace': 2 lines, window 3"
    >>> ex.frame[["left", "keyword", "R1", "year"]].values.tolist()
    [['', 'Peace', 'and', 1990], ['and security,', 'peace', '.', 1990]]
    >>> tk.explore(tk.kwic(c, "peace"), columns=["decade"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toolkit.errors.ParameterError: no metadata column(s) ['decade']; valid values: 'year'
    """
    if limit is not None:
        limit = _check_int("limit", limit, 1)
    page_length = _check_int("page_length", page_length, 1)
    chars = _check_int("chars", chars, 1)
    paragraph_chars = _check_int("paragraph_chars", paragraph_chars, 1)
    decimals = _check_int("decimals", decimals, 0)
    if not isinstance(bundle, bool):
        raise ParameterError("bundle", bundle, "bundle must be True or False")
    if isinstance(result, Concordance):
        return _explore_concordance(
            result, columns, limit, page_length, positions, chars, paragraph_chars, bundle
        )
    if isinstance(result, pd.Series):
        result = result.to_frame()
    if isinstance(result, pd.DataFrame):
        if positions is not None:
            raise ParameterError("positions", positions, "positions are for concordances")
        return _explore_frame(result, columns, limit, page_length, decimals, bundle)
    raise ParameterError(
        "result",
        type(result).__name__,
        f"explore shows a Concordance or a DataFrame, not {type(result).__name__}",
    )
