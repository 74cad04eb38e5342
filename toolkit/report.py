"""The report: run every notebook with papermill against a corpus, and publish the results.

For each notebook in ``notebooks/`` (``NN-name.ipynb``, in order) the report writes the
executed notebook (``notebooks/``), an HTML page, and what the notebook *publishes* with
:func:`toolkit.show_table` and :func:`toolkit.show_figure`: every table whole, as
``tables/NN-name/<name>.csv``, and every figure as ``figures/NN-name/<name>.png`` (one
folder per notebook, so that two notebooks may use the same name).  ``index.html`` links
them, with the caption of every figure and table (from the metadata those functions attach
to their outputs), the references of each notebook (its final Markdown cell headed
"References", when it has one) and how to cite the corpus.  Nothing else the notebooks
display is published: a figure shown without a caption is listed as a problem of its
notebook, and so are a table or figure name used twice and a figure without data.

The notebooks read the corpus from their ``corpus`` parameter.  For a table, the report
chooses its text and id columns once (``--text``/``--id``, else as
:func:`toolkit.load_table` chooses them) and hands the choice to the kernels in the
environment (``TOOLKIT_REPORT_CORPUS``, ``TOOLKIT_REPORT_TEXT``, ``TOOLKIT_REPORT_ID``),
where :func:`toolkit.load_table` applies it to that corpus only; a notebook's loading cell
stays ``corpus = tk.load(corpus, name_pattern=pattern)``.

Everything the report is given is checked before a notebook runs, and a refusal raises
:class:`~toolkit.errors.ReportError` with the reason:

* parameters are *data*: a value is read as JSON or a Python literal (a bare word that is
  neither is a string) and handed to papermill as a Python object, which writes it into
  the notebook as a literal; a name must be one the parameters cell of a notebook to run
  declares (the error lists them), and a value must have the type of the default it
  replaces (an integer may replace a float; ``None`` anything);
* a relative corpus path (the corpus, and any parameter whose default is a bundled corpus
  name) is read from the current folder, not from ``notebooks/`` where the kernels run;
* ``text`` and ``id`` apply to a table only and must name its columns;
* the output folder may not be an existing file; ``notebooks`` must name notebooks that
  exist.

Each kernel gets a fresh, empty IPython folder (no start-up files of the user's profile
change what the notebooks compute); it is removed afterwards, whether the run succeeds or
fails.
"""

from __future__ import annotations

import ast
import base64
import html
import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from ._validation import Renamed, renamed_arguments
from .errors import ReportError

__all__ = [
    "run_report",
    "NotebookFailed",
    "NotebookResult",
    "Published",
    "notebooks_dir",
    "notebook_parameters",
    "describe_parameters",
    "parameters_help",
    "corpus_citation",
    "parse_value",
    "parse_parameter",
]

#: Environment variables the report sets for the kernels (see the module's docstring).
_ENV = (
    "IPYTHONDIR",
    "TOOLKIT_REPORT_TABLES",
    "TOOLKIT_REPORT_FIGURES",
    "TOOLKIT_REPORT_CORPUS",
    "TOOLKIT_REPORT_TEXT",
    "TOOLKIT_REPORT_ID",
)


class NotebookFailed(ReportError, RuntimeError):
    """A notebook raised an error; the message names the notebook and the cell.

    Parameters
    ----------
    message : str
        The notebook, the cell and the error.

    Examples
    --------
    >>> from toolkit.errors import ReportError
    >>> err = NotebookFailed("05-topics.ipynb failed in cell 7: ValueError: k")
    >>> isinstance(err, ReportError), str(err)
    (True, '05-topics.ipynb failed in cell 7: ValueError: k')
    """


@dataclass
class Published:
    """A table or figure a notebook published: its file (relative to the report folder),
    name and caption; ``rows`` for tables.

    Parameters
    ----------
    kind : {"table", "figure"}
        What was published.
    name : str
        Its name, which names its file.
    path : str
        Its file, relative to the report folder (``tables/<notebook>/<name>.csv``,
        ``figures/<notebook>/<name>.png``).
    caption : str
        Its caption ("" if it had none).
    rows : int, optional
        A table's number of rows (the whole table, not the rows shown).

    Examples
    --------
    >>> item = Published("table", "keyness-USA-vs-CHN",
    ...                  "tables/04-comparing-discourses/keyness-USA-vs-CHN.csv",
    ...                  "Keywords of the US against China", rows=200)
    >>> item.kind, item.rows
    ('table', 200)
    """

    kind: str
    name: str
    path: str
    caption: str
    rows: int | None = None


@dataclass
class NotebookResult:
    """What one notebook of the report produced.

    Attributes
    ----------
    name : str
        The notebook's file name.
    seconds : float
        Time taken to run it.
    html : str
        Its HTML page, relative to the report folder.
    figures, tables : list of Published
        What it published, in the order shown.
    title : str
        Its first Markdown heading.
    references : str
        Its final "References" Markdown cell, without the heading ("" if none).
    problems : list of str
        Figures without a caption or without data, names used twice.

    Examples
    --------
    >>> result = NotebookResult("03-keyword-in-context.ipynb", 12.5,
    ...                         "03-keyword-in-context.html", title="Keyword in context")
    >>> result.figures, result.problems
    ([], [])
    """

    name: str
    seconds: float
    html: str
    figures: list[Published] = field(default_factory=list)
    tables: list[Published] = field(default_factory=list)
    title: str = ""
    references: str = ""
    problems: list[str] = field(default_factory=list)


def notebooks_dir() -> Path:
    """The project's ``notebooks/`` folder.

    Examples
    --------
    >>> folder = notebooks_dir()
    >>> folder.name, (folder / "01-loading.ipynb").is_file()
    ('notebooks', True)
    """
    return Path(__file__).resolve().parents[1] / "notebooks"


def _title(nb: Any) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


_REFERENCES = re.compile(r"^\s*#{1,6}\s*References\s*$", re.IGNORECASE)


def _references(nb: Any) -> str:
    """The Markdown of the notebook's final cell when it is headed "References"."""
    cells = [c for c in nb.cells if c.source.strip()]
    if not cells or cells[-1].cell_type != "markdown":
        return ""
    lines = cells[-1].source.strip().splitlines()
    if not _REFERENCES.match(lines[0]):
        return ""
    return "\n".join(lines[1:]).strip()


def _collect(nb: Any, stem: str, out: Path) -> tuple[list[Published], list[Published], list[str]]:
    """The figures and tables a notebook published, and its problems.

    Figures are written from the executed notebook (``figures/<stem>/<name>.png``); tables
    were written by :func:`toolkit.show_table` into ``tables/<stem>/``.
    """
    figures: list[Published] = []
    tables: list[Published] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    uncaptioned = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number = cell.get("execution_count") or "?"  # as the notebook labels it: [n]
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            info = output.get("metadata", {}).get("toolkit", {})
            kind = info.get("kind") if isinstance(info, dict) else None
            if kind in ("figure", "table"):
                name = str(info.get("name", ""))
                key = (kind, name)
                seen[key] = seen.get(key, 0) + 1
                if seen[key] == 2:
                    problems.append(
                        f"the {kind} name {name!r} is used twice (cell {number}): the later "
                        "one replaced the earlier file"
                    )
            if kind == "figure" and "image/png" in data:
                rel = f"figures/{stem}/{info['name']}.png"
                (out / rel).write_bytes(base64.b64decode(data["image/png"]))
                figures.append(Published("figure", info["name"], rel, str(info["caption"])))
            elif kind == "table":
                rel = f"tables/{stem}/{info['name']}.csv"
                if not (out / rel).is_file():
                    problems.append(f"table {info['name']!r} was shown but not written")
                    continue
                tables.append(
                    Published("table", info["name"], rel, str(info["caption"]), info.get("rows"))
                )
            elif kind == "empty-figure":
                problems.append(
                    f"figure {info.get('name')!r} has no data (cell {number}); it was not published"
                )
            elif kind is None and "image/png" in data:
                uncaptioned += 1
                name = f"uncaptioned-{uncaptioned}"
                rel = f"figures/{stem}/{name}.png"
                (out / rel).write_bytes(base64.b64decode(data["image/png"]))
                figures.append(Published("figure", name, rel, ""))
                problems.append(
                    f"cell {number} shows a figure without a caption (use tk.show_figure)"
                )
    return figures, tables, problems


@renamed_arguments({"corpus": Renamed("source")})
def corpus_citation(source: str | os.PathLike) -> str:
    """How to cite a bundled corpus, from ``corpora/README.md`` ("" for any other corpus).

    Parameters
    ----------
    source : str or path
        What the report reads (as :func:`toolkit.load`'s ``source``): a bundled corpus
        name (see :func:`toolkit.list_samples`) has a citation; a path has none.
        Replaces ``corpus`` (deprecated; ``corpus`` is a :class:`toolkit.Corpus` elsewhere).

    Examples
    --------
    >>> corpus_citation("un-debates-asia").startswith("Slava Jankin")
    True
    >>> corpus_citation("my-folder")
    ''
    """
    from .samples import corpora_dir, list_samples

    if not isinstance(source, str) or source not in list_samples()["name"].tolist():
        return ""
    try:
        readme = (corpora_dir() / "README.md").read_text(encoding="utf-8")
    except OSError:
        return ""
    section = re.search(rf"^## `{re.escape(source)}`.*?(?=^## |\Z)", readme, re.M | re.S)
    if not section:
        return ""
    cite = re.search(r"^- \*\*Cite:\*\*(.*?)(?=^- \*\*|\Z)", section.group(0), re.M | re.S)
    if not cite:
        return ""
    return " ".join(cite.group(1).split())


def _markdown(text: str) -> str:
    """Markdown as HTML, any HTML in it escaped."""
    import mistune

    html = mistune.create_markdown(escape=True)(text)
    # the HTML renderer (the default) returns a string; only the AST renderer returns a list
    if not isinstance(html, str):
        raise TypeError(f"Markdown rendered as {type(html).__name__}, not as HTML")
    return html


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222;"
    "line-height:1.45}"
    "section{border-bottom:1px solid #eee;padding-bottom:1em}"
    ".figs{display:flex;flex-wrap:wrap;gap:12px}"
    "figure{margin:0;width:250px}figure img{width:250px;border:1px solid #ddd}"
    "figcaption{font-size:.85em;color:#444}"
    "table.tables{border-collapse:collapse;font-size:.9em}"
    ".tables td{padding:2px 10px 2px 0;vertical-align:top}"
    ".problems{color:#a00}.cite{background:#f6f6f6;padding:.6em 1em}"
    ".refs{font-size:.9em}"
)


def _caption(text: str) -> str:
    """A caption as HTML: escaped, with `code` spans as in the notebooks' Markdown."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _index_page(
    results: list[NotebookResult],
    corpus: str,
    seconds: float,
    citation: str,
    note: str,
) -> str:
    esc = html.escape
    items = []
    for r in results:
        figs = "".join(
            f"<figure><a href='{esc(f.path)}'><img src='{esc(f.path)}' alt='{esc(f.caption)}'>"
            f"</a><figcaption>{_caption(f.caption) or '<em>no caption</em>'}</figcaption></figure>"
            for f in r.figures
        )
        rows = "".join(
            f"<tr><td><a href='{esc(t.path)}'>{esc(t.name)}.csv</a></td>"
            f"<td>{_caption(t.caption)}</td><td>{'' if t.rows is None else f'{t.rows:,} rows'}"
            "</td></tr>"
            for t in r.tables
        )
        tables = f"<h3>Tables (CSV, whole)</h3><table class='tables'>{rows}</table>" if rows else ""
        problems = "".join(f"<li>{esc(p)}</li>" for p in r.problems)
        refs = (
            f"<details class='refs'><summary>References</summary>{_markdown(r.references)}"
            "</details>"
            if r.references
            else ""
        )
        items.append(
            f"<section><h2><a href='{esc(r.html)}'>{esc(r.title or r.name)}</a></h2>"
            f"<p>{esc(r.name)} · {r.seconds:.0f} s · <a href='notebooks/{esc(r.name)}'>"
            f"executed notebook</a></p>"
            + (f"<ul class='problems'>{problems}</ul>" if problems else "")
            + (f"<div class='figs'>{figs}</div>" if figs else "")
            + tables
            + refs
            + "</section>"
        )
    if citation:
        cite = f"<div class='cite'><b>Cite the corpus:</b> {_markdown(citation)}</div>"
    else:
        cite = (
            "<div class='cite'><b>Cite the corpus:</b> this report analyses your own corpus; "
            "cite its source where you use these results (<code>--cite TEXT</code> prints "
            "the citation here).</div>"
        )
    loaded = f"<p>{esc(note)}</p>" if note else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Discourse analysis report"
        f"</title><style>{_STYLE}</style></head><body><h1>Discourse analysis report</h1>"
        f"<p>Corpus: <code>{esc(corpus)}</code> · {len(results)} notebooks · "
        f"{seconds:.0f} s</p>{loaded}{cite}{''.join(items)}</body></html>"
    )


_NO_DEFAULT = object()  # a default that is not a literal: any value is accepted


def _local_kernel() -> dict[str, Any]:
    """Run the notebooks' kernels over local (Unix domain) sockets where the system has them.

    The default transport, TCP on the loopback interface, works everywhere but makes every
    kernel warn that its traffic is unencrypted; sockets in the user's Jupyter runtime
    folder are reachable by the user alone and need no encryption.
    """
    if os.name != "posix":
        return {}
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class LocalSocketKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

    return {"kernel_manager_class": LocalSocketKernelManager}


def notebook_parameters(path: str | os.PathLike) -> dict[str, Any]:
    """The parameters a notebook's parameters cell declares, with their default values.

    Read with papermill's ``inspect_notebook``; a default that is not a Python literal is
    given as ``None``.

    Parameters
    ----------
    path : str or path
        A notebook (``.ipynb``) with a cell tagged ``parameters``.

    Returns
    -------
    dict
        Parameter name → default value, in the order of the cell.

    Examples
    --------
    >>> params = notebook_parameters(notebooks_dir() / "03-keyword-in-context.ipynb")
    >>> list(params)[:2]
    ['corpus', 'pattern']
    """
    return {name: (None if v is _NO_DEFAULT else v) for name, v in _declared(path).items()}


def _parameters_source(path: str | os.PathLike) -> str:
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return cell.source
    return ""


def describe_parameters(path: str | os.PathLike) -> pd.DataFrame:
    """The parameters a notebook declares: name, default (as written) and meaning.

    The meaning of a parameter is the comment at the end of its line in the notebook's
    ``parameters`` cell (for a value written over several lines, the comment of its first
    or last line); a parameter without one has an empty meaning.

    Parameters
    ----------
    path : str or Path
        The notebook.

    Returns
    -------
    DataFrame
        Columns ``name``, ``default`` and ``meaning``, in the order of the cell.

    Examples
    --------
    >>> p = describe_parameters(notebooks_dir() / "01-loading.ipynb")
    >>> p["name"].tolist()[:2]
    ['corpus', 'pattern']
    """
    source = _parameters_source(path)
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
        tree = ast.parse(source)
    except (SyntaxError, tokenize.TokenError) as err:
        raise ReportError(
            f"{Path(path).name}: the parameters cell is not valid Python: {err}"
        ) from None
    rows = []
    for node in tree.body:
        value: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if value is None:
            continue
        if not isinstance(target, ast.Name):
            continue
        first, last = node.lineno, node.end_lineno or node.lineno
        meaning = comments.get(first) or comments.get(last) or ""
        if first == last:
            default = ast.get_source_segment(source, value) or ""
        else:  # written over several lines, perhaps with comments: one line
            default = ast.unparse(value)
        rows.append({"name": target.id, "default": default, "meaning": meaning})
    return pd.DataFrame(rows, columns=["name", "default", "meaning"])


def parameters_help(notebooks: Sequence[str] | None = None) -> str:
    """Every notebook's parameters with their defaults and meanings, as plain text.

    Parameters
    ----------
    notebooks : list of str, optional
        Names or prefixes (``"04"``) of the notebooks, as for :func:`run_report`
        (default: all).

    Raises
    ------
    ReportError
        A name that matches no notebook (the message lists them).

    Examples
    --------
    >>> text = parameters_help(["01"])
    >>> text.splitlines()[0], "  corpus = " in text
    ('01-loading.ipynb:', True)
    """
    blocks = []
    for path in _select_notebooks(notebooks or None):
        table = describe_parameters(path)
        lines = [f"{path.name}:"]
        for name, default, meaning in zip(
            table["name"].astype(str),
            table["default"].astype(str),
            table["meaning"].astype(str),
            strict=True,
        ):
            if len(default) > 60:
                default = default[:57] + "..."
            lines.append(f"  {name} = {default}")
            lines.append(f"      {meaning or '(no description)'}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _declared(path: str | os.PathLike) -> dict[str, Any]:
    import papermill as pm

    out = {}
    for name, info in pm.inspect_notebook(str(path)).items():
        try:
            out[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            out[name] = _NO_DEFAULT
    return out


def parse_value(text: str) -> Any:
    """A parameter value from the command line: JSON, else a Python literal, else the text.

    Nothing is evaluated: ``ast.literal_eval`` reads only literals.

    Parameters
    ----------
    text : str
        The value as typed.

    Returns
    -------
    object
        The value read as JSON or as a Python literal, or ``text`` itself.

    Examples
    --------
    >>> [parse_value(v) for v in ["8", "0.5", "true", "None", "RUS", "'RUS'", "[6, 8]"]]
    [8, 0.5, True, None, 'RUS', 'RUS', [6, 8]]
    >>> parse_value("__import__('os').system('echo hi')")
    "__import__('os').system('echo hi')"
    """
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def parse_parameter(item: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line as a name and a value (see :func:`parse_value`).

    Parameters
    ----------
    item : str
        ``NAME=VALUE``, as given to ``-p``.

    Returns
    -------
    (str, object)
        The name (white space stripped) and the value.

    Raises
    ------
    ReportError
        An item without ``=``.

    Examples
    --------
    >>> parse_parameter("k=8")
    ('k', 8)
    >>> parse_parameter("states=['RUS', 'USA']")
    ('states', ['RUS', 'USA'])
    """
    name, sep, value = item.partition("=")
    if not sep:
        raise ReportError(f"parameter {item!r} is not NAME=VALUE, e.g. -p k=8")
    return name.strip(), parse_value(value)


def _plain(value: Any, name: str) -> Any:
    """``value`` as JSON-like data (tuples become lists), or ``ReportError``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ReportError(f"parameter {name!r}: {value!r} is not a finite number")
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, list | tuple):
        return [_plain(v, name) for v in value]
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise ReportError(f"parameter {name!r}: the keys of {value!r} must be strings")
        return {k: _plain(v, name) for k, v in value.items()}
    raise ReportError(
        f"parameter {name!r}: {value!r} is a {type(value).__name__}; a value must be a "
        "string, number, true/false, None, or a list or dict of them"
    )


def _same_kind(value: Any, default: Any) -> bool:
    if value is None or default is None or default is _NO_DEFAULT:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    kinds = (int, str, list, dict)
    return not any(isinstance(default, k) for k in kinds) or any(
        isinstance(default, k) and isinstance(value, k) for k in kinds
    )


def _select_notebooks(notebooks: Sequence[str] | None) -> list[Path]:
    folder = notebooks_dir()
    paths = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
    if not paths:
        raise ReportError(f"no notebooks (NN-name.ipynb) in {folder}")
    listing = ", ".join(p.name for p in paths)
    if notebooks is None:
        return paths
    names = [notebooks] if isinstance(notebooks, str) else list(notebooks)
    if not names:
        raise ReportError(
            f"--only needs the names or numbers of the notebooks to run, e.g. --only 03 05; "
            f"the notebooks: {listing}"
        )
    unknown = [
        n
        for n in names
        if not isinstance(n, str) or not n.strip() or not any(p.name.startswith(n) for p in paths)
    ]
    if unknown:
        raise ReportError(
            f"no notebook matches {', '.join(map(repr, unknown))}; the notebooks: {listing}"
        )
    return [p for p in paths if any(p.name.startswith(n) for n in names)]


def _resolve_corpus(value: Any, name: str) -> str:
    """A bundled corpus name as it is, a path made absolute against the current folder."""
    from .samples import list_samples

    bundled = list_samples()["name"].tolist()
    if not isinstance(value, str | os.PathLike):
        raise ReportError(f"{name} must be a corpus name or a path, not {value!r}")
    if str(value) in bundled:
        return str(value)
    if not str(value).strip():
        raise ReportError(
            f"{name} is empty: give a bundled corpus ({', '.join(bundled)}) or a path "
            "('.' for the current folder)"
        )
    path = Path(value).expanduser()
    if not path.exists():
        raise ReportError(
            f"{name} {str(value)!r} is neither a bundled corpus ({', '.join(bundled)}) nor "
            f"an existing file or folder (relative paths are read from {Path.cwd()})"
        )
    return str(path.resolve())


def _check_parameters(
    source: Any,
    parameters: Mapping[str, Any] | None,
    declared: dict[Path, dict[str, Any]],
    elsewhere: dict[Path, dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[Path, dict[str, Any]]]:
    """The checked parameters, and those of each notebook to run, or ``ReportError``.

    ``declared`` holds the parameters of the notebooks to run, ``elsewhere`` those of the
    others (named in the error when a parameter belongs to them only).
    """
    from papermill.translators import PythonTranslator

    from .samples import list_samples

    parameters = dict(parameters or {})
    if "corpus" in parameters:
        raise ReportError(
            "give the corpus as the report's first argument (source= in Python), not as a parameter"
        )
    known: dict[str, Any] = {}
    for params in declared.values():
        for name, default in params.items():
            known.setdefault(name, default)
    valid = ", ".join(sorted(known))
    bundled = set(list_samples()["name"].tolist())
    values = {"corpus": _resolve_corpus(source, "corpus")}
    for name, value in parameters.items():
        if not isinstance(name, str) or name not in known:
            owners = [p.name for p, params in (elsewhere or {}).items() if name in params]
            where = f" (declared only by {', '.join(owners)}, left out by --only)" if owners else ""
            raise ReportError(
                f"{name!r} is not a parameter of the notebooks to run{where}; parameters: {valid}"
            )
        value = _plain(value, name)
        default = known[name]
        if not _same_kind(value, default):
            hint = f" (quote it: -p {name}='...')" if isinstance(default, str) else ""
            raise ReportError(
                f"parameter {name!r} takes a {type(default).__name__} like its default "
                f"{default!r}, not {value!r}{hint}"
            )
        if isinstance(default, str) and default in bundled and value is not None:
            value = _resolve_corpus(value, f"parameter {name!r}")
        # papermill writes the value as a literal: make sure reading it back gives it back
        try:
            same = ast.literal_eval(PythonTranslator.translate(value)) == value
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            same = False
        if not same:
            raise ReportError(f"parameter {name!r}: {value!r} cannot be passed to a notebook")
        values[name] = value
    per_notebook = {
        path: {k: v for k, v in values.items() if k in params} for path, params in declared.items()
    }
    return values, per_notebook


def _output_folder(out: str | os.PathLike) -> Path:
    path = Path(out).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise ReportError(f"the output folder {path} is an existing file; name a folder for --out")
    try:
        for sub in ("notebooks", "figures", "tables"):
            (path / sub).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReportError(f"cannot create the output folder {path}: {err}") from None
    return path


def _table_note(corpus: str, text: str | None, id: str | None) -> str:
    """For a table corpus, the loader's note on its text and id columns ("" otherwise).

    The table is loaded once here, so that a bad ``text`` or ``id`` is refused before any
    notebook runs; the notebooks then load it with the same choice.
    """
    from .loaders import TABLE_SUFFIXES, load_table
    from .samples import list_samples

    path = Path(corpus)
    is_table = (
        corpus not in list_samples()["name"].tolist()
        and path.is_file()
        and any(path.name.lower().endswith(s) for s in TABLE_SUFFIXES)
    )
    if not is_table:
        given = [f"--{n}" for n, v in (("text", text), ("id", id)) if v is not None]
        if given:
            raise ReportError(
                f"{' and '.join(given)} apply to a table (CSV, TSV, JSON Lines, Parquet, "
                f"Excel); the corpus {corpus!r} is not one"
            )
        return ""
    for name, value in (("text", text), ("id", id)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ReportError(f"--{name} needs a column name, not {value!r}")
    return str(getattr(load_table(path, text=text, id=id), "load_note", ""))


@renamed_arguments({"corpus": Renamed("source")})
def run_report(
    source: str | os.PathLike = "un-debates-asia",
    out: str | os.PathLike = "report",
    parameters: dict[str, Any] | None = None,
    notebooks: list[str] | None = None,
    progress: bool | None = True,
    text: str | None = None,
    id: str | None = None,
    cite: str | None = None,
) -> list[NotebookResult]:
    """Run the notebooks on the corpus ``source`` names and write the report to ``out``.

    Parameters
    ----------
    source : str or path
        What to analyse, as :func:`toolkit.load`'s ``source``: a bundled corpus name or a
        path (a folder, archive or table), relative to the current folder; passed to every
        notebook as its ``corpus`` parameter.  Replaces ``corpus`` (deprecated: ``corpus``
        is a :class:`toolkit.Corpus` elsewhere); on the command line it is the first
        argument, ``CORPUS``.
    out : path
        Output folder (created; an existing folder is written into, each notebook's
        ``tables/`` and ``figures/`` folders replaced).
    parameters : dict, optional
        More parameters: names that the parameters cell of at least one notebook to run
        declares, values of the type of its default (strings, numbers, booleans, ``None``,
        lists and dicts of them).  Each notebook receives those it declares.
    notebooks : list of str, optional
        Names (or prefixes such as ``"03"``) of the notebooks to run; default: all.
    progress : bool, optional
        Show a progress bar and the report's notes (``False``: silent).
    text, id : str, optional
        For a table corpus: the columns holding the texts and the document ids (default:
        as :func:`toolkit.load_table` chooses them; the choice is stated in the index).
    cite : str, optional
        How to cite the corpus, printed in the index (default: the citation of a bundled
        corpus; for another corpus, a line asking the reader to cite its source).

    Returns
    -------
    list of NotebookResult
        One per notebook run, in order.

    Raises
    ------
    ReportError
        Before any notebook runs: an unknown parameter name (the message lists the valid
        ones), a value of the wrong type, a corpus that is neither bundled nor an existing
        path, ``text``/``id`` for a corpus that is not a table or naming no column of it,
        an output folder that is an existing file, ``notebooks`` empty or naming no
        notebook (the message lists them).
    NotebookFailed
        A :class:`~toolkit.errors.ReportError` with the notebook, the cell number and the
        error, when a notebook fails.

    Examples
    --------
    >>> run_report("un-debates-asia", out="report", notebooks=["03"])  # doctest: +SKIP
    >>> run_report(source="speeches.csv", text="body", notebooks=["01"])  # doctest: +SKIP
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    paths = _select_notebooks(notebooks)
    others = sorted(set(_select_notebooks(None)) - set(paths))
    values, per_notebook = _check_parameters(
        source, parameters, {p: _declared(p) for p in paths}, {p: _declared(p) for p in others}
    )
    resolved: str = values["corpus"]  # a bundled name, or the path made absolute
    if cite is not None and not isinstance(cite, str):
        raise ReportError(f"--cite needs a text, not {cite!r}")
    note = _table_note(resolved, text, id)
    citation = cite.strip() if cite and cite.strip() else corpus_citation(resolved)
    out = _output_folder(out)
    if note and progress is not False:
        tqdm.write(f"report: {note}", file=sys.stderr)
    env_before = {k: os.environ.get(k) for k in _ENV}
    exporter = HTMLExporter()
    results: list[NotebookResult] = []
    t_all = time.perf_counter()
    ipython_dir = Path(tempfile.mkdtemp(prefix="toolkit-ipython-"))
    try:
        os.environ["IPYTHONDIR"] = str(ipython_dir)
        os.environ["TOOLKIT_REPORT_CORPUS"] = resolved
        for name, value in (("TEXT", text), ("ID", id)):
            if value is None:
                os.environ.pop(f"TOOLKIT_REPORT_{name}", None)
            else:
                os.environ[f"TOOLKIT_REPORT_{name}"] = value
        bar = tqdm(paths, desc="report", unit=" notebook", disable=not progress)
        for path in bar:
            bar.set_postfix_str(path.name)
            executed = out / "notebooks" / path.name
            for kind in ("tables", "figures"):
                folder = out / kind / path.stem
                shutil.rmtree(folder, ignore_errors=True)  # files of an earlier run
                folder.mkdir(parents=True)
                os.environ[f"TOOLKIT_REPORT_{kind.upper()}"] = str(folder)
            t0 = time.perf_counter()
            try:
                pm.execute_notebook(
                    str(path),
                    str(executed),
                    parameters=per_notebook[path],
                    kernel_name="python3",
                    cwd=str(path.parent),
                    progress_bar=False,
                    **_local_kernel(),
                )
            except pm.PapermillExecutionError as err:
                raise NotebookFailed(
                    f"{path.name} failed in cell {err.exec_count} "
                    f"(executed copy: {executed}): {err.ename}: {err.evalue}"
                ) from None
            except Exception as err:  # the kernel died, could not start, ...
                raise NotebookFailed(
                    f"{path.name} could not be run: {type(err).__name__}: {err}"
                ) from err
            seconds = time.perf_counter() - t0
            nb = nbformat.read(executed, as_version=4)
            body, _ = exporter.from_notebook_node(nb)
            page = path.with_suffix(".html").name
            (out / page).write_text(body, encoding="utf-8")
            figures, tables, problems = _collect(nb, path.stem, out)
            results.append(
                NotebookResult(
                    path.name,
                    seconds,
                    page,
                    figures,
                    tables,
                    _title(nb),
                    _references(nb),
                    problems,
                )
            )
            if problems and progress is not False:
                for problem in problems:
                    tqdm.write(f"report: {path.name}: {problem}", file=sys.stderr)
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(ipython_dir, ignore_errors=True)
    total = time.perf_counter() - t_all
    (out / "index.html").write_text(
        _index_page(results, resolved, total, citation, note), encoding="utf-8"
    )
    summary = [
        {
            "notebook": r.name,
            "seconds": round(r.seconds, 1),
            "figures": [{"path": f.path, "caption": f.caption} for f in r.figures],
            "tables": [{"path": t.path, "caption": t.caption, "rows": t.rows} for t in r.tables],
            "references": bool(r.references),
            "problems": r.problems,
        }
        for r in results
    ]
    (out / "summary.json").write_text(
        json.dumps(
            {
                "corpus": resolved,
                "loaded": note,
                "citation": citation,
                "seconds": total,
                "notebooks": summary,
            },
            indent=1,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return results
