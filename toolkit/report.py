"""The report: run every notebook with papermill against a corpus, and publish the results.

For each notebook in ``notebooks/`` (``NN-name.ipynb``, in order) the report writes the
executed notebook, an HTML page (nbconvert), every figure as a PNG file and every table as
a CSV file, plus an ``index.html`` that links them.  The notebooks are run in a fresh
kernel each, with their parameters cell overridden by the report's parameters.  Tables are
the DataFrames and concordances the notebooks display: an IPython start-up file, used only
by the report's kernels, saves each one as CSV when it is shown, so the notebooks contain
no report-specific code.

Everything the report is given is checked before a notebook runs, and a refusal raises
:class:`~toolkit.errors.ReportError` with the reason:

* parameters are *data*: a value is read as JSON or a Python literal (a bare word that is
  neither is a string) and handed to papermill as a Python object, which writes it into
  the notebook as a literal; a name must be one the parameters cell of a notebook to run
  declares (the error lists them), and a value must have the type of the default it
  replaces (an integer may replace a float; ``None`` anything);
* a relative corpus path (the corpus, and any parameter whose default is a bundled corpus
  name) is read from the current folder, not from ``notebooks/`` where the kernels run;
* the output folder may not be an existing file; ``notebooks`` must name notebooks that
  exist.

The temporary IPython folder of the run is removed afterwards, whether the run succeeds or
fails.
"""

from __future__ import annotations

import ast
import base64
import html
import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from .errors import ReportError

__all__ = [
    "run_report",
    "NotebookFailed",
    "notebooks_dir",
    "notebook_parameters",
    "parse_value",
    "parse_parameter",
]

_STARTUP = """\
# Written by the toolkit's report command: every DataFrame or concordance a notebook
# displays is also saved as a CSV file for the report.
import os

import pandas as pd
from IPython import get_ipython

_folder = os.environ.get("TOOLKIT_REPORT_TABLES")
_prefix = os.environ.get("TOOLKIT_REPORT_PREFIX", "notebook")
_count = [0]


def _save(frame, index):
    if _folder:
        _count[0] += 1
        frame.to_csv(os.path.join(_folder, f"{_prefix}-table-{_count[0]}.csv"), index=index)


def _frame_html(df):
    _save(df, True)
    return df._repr_html_()


def _conc_html(conc):
    _save(conc.to_frame(), False)
    return conc._repr_html_()


_html = get_ipython().display_formatter.formatters["text/html"]
_html.for_type(pd.DataFrame, _frame_html)
_html.for_type_by_name("toolkit.kwic", "Concordance", _conc_html)
"""


class NotebookFailed(ReportError, RuntimeError):
    """A notebook raised an error; the message names the notebook and the cell."""


@dataclass
class NotebookResult:
    name: str
    seconds: float
    html: str
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    title: str = ""


def notebooks_dir() -> Path:
    """The project's ``notebooks/`` folder."""
    return Path(__file__).resolve().parents[1] / "notebooks"


def _title(nb: Any) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _export_figures(nb: Any, stem: str, out: Path) -> list[str]:
    figures = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                name = f"{stem}-figure-{len(figures) + 1}.png"
                (out / "figures" / name).write_bytes(base64.b64decode(data["image/png"]))
                figures.append(name)
    return figures


def _index_page(results: list[NotebookResult], corpus: str, seconds: float) -> str:
    esc = html.escape
    items = []
    for r in results:
        figs = "".join(
            f"<a href='figures/{esc(f)}'><img src='figures/{esc(f)}' alt='{esc(f)}'></a>"
            for f in r.figures
        )
        tabs = ", ".join(f"<a href='tables/{esc(t)}'>{esc(t)}</a>" for t in r.tables)
        items.append(
            f"<section><h2><a href='{esc(r.html)}'>{esc(r.title or r.name)}</a></h2>"
            f"<p>{esc(r.name)} · {r.seconds:.0f} s · <a href='notebooks/{esc(r.name)}'>"
            f"executed notebook</a></p><div class='figs'>{figs}</div>"
            f"<p class='tables'>Tables (CSV): {tabs or 'none'}</p></section>"
        )
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        ".figs img{height:140px;margin:4px;border:1px solid #ddd}"
        "section{border-bottom:1px solid #eee;padding-bottom:1em}"
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Discourse analysis report"
        f"</title><style>{style}</style></head><body><h1>Discourse analysis report</h1>"
        f"<p>Corpus: <code>{esc(corpus)}</code> · {len(results)} notebooks · "
        f"{seconds:.0f} s</p>{''.join(items)}</body></html>"
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

    Examples
    --------
    >>> params = notebook_parameters(notebooks_dir() / "03-keyword-in-context.ipynb")
    >>> params["window"], sorted(params)[:2]
    (6, ['corpus', 'pattern'])
    """
    return {name: (None if v is _NO_DEFAULT else v) for name, v in _declared(path).items()}


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
    corpus: Any,
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
        raise ReportError("give the corpus as the report's first argument, not as a parameter")
    known: dict[str, Any] = {}
    for params in declared.values():
        for name, default in params.items():
            known.setdefault(name, default)
    valid = ", ".join(sorted(known))
    bundled = set(list_samples()["name"].tolist())
    values = {"corpus": _resolve_corpus(corpus, "corpus")}
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


def run_report(
    corpus: str = "un-debates-asia",
    out: str | os.PathLike = "report",
    parameters: dict[str, Any] | None = None,
    notebooks: list[str] | None = None,
    progress: bool | None = True,
) -> list[NotebookResult]:
    """Run the notebooks against ``corpus`` and write the report to ``out``.

    Parameters
    ----------
    corpus : str or path
        A bundled corpus name or a path (see :func:`toolkit.load`), relative to the current
        folder; passed to every notebook as its ``corpus`` parameter.
    out : path
        Output folder (created; an existing folder is written into).
    parameters : dict, optional
        More parameters: names that the parameters cell of at least one notebook to run
        declares, values of the type of its default (strings, numbers, booleans, ``None``,
        lists and dicts of them).  Each notebook receives those it declares.
    notebooks : list of str, optional
        Names (or prefixes such as ``"03"``) of the notebooks to run; default: all.

    Raises
    ------
    ReportError
        Before any notebook runs: an unknown parameter name (the message lists the valid
        ones), a value of the wrong type, a corpus that is neither bundled nor an existing
        path, an output folder that is an existing file, ``notebooks`` empty or naming no
        notebook (the message lists them).
    NotebookFailed
        A :class:`~toolkit.errors.ReportError` with the notebook, the cell number and the
        error, when a notebook fails.
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    paths = _select_notebooks(notebooks)
    others = sorted(set(_select_notebooks(None)) - set(paths))
    values, per_notebook = _check_parameters(
        corpus, parameters, {p: _declared(p) for p in paths}, {p: _declared(p) for p in others}
    )
    corpus = values["corpus"]
    out = _output_folder(out)
    env_before = {
        k: os.environ.get(k)
        for k in ("IPYTHONDIR", "TOOLKIT_REPORT_TABLES", "TOOLKIT_REPORT_PREFIX")
    }
    exporter = HTMLExporter()
    results: list[NotebookResult] = []
    t_all = time.perf_counter()
    ipython_dir = Path(tempfile.mkdtemp(prefix="toolkit-ipython-"))
    try:
        startup = ipython_dir / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-report.py").write_text(_STARTUP)
        os.environ["IPYTHONDIR"] = str(ipython_dir)
        os.environ["TOOLKIT_REPORT_TABLES"] = str(out / "tables")
        bar = tqdm(paths, desc="report", unit=" notebook", disable=not progress)
        for path in bar:
            bar.set_postfix_str(path.name)
            executed = out / "notebooks" / path.name
            os.environ["TOOLKIT_REPORT_PREFIX"] = path.stem
            for old in (out / "tables").glob(f"{path.stem}-table-*.csv"):
                old.unlink()
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
            nb = nbformat.read(executed, as_version=4)
            body, _ = exporter.from_notebook_node(nb)
            page = path.with_suffix(".html").name
            (out / page).write_text(body, encoding="utf-8")
            figures = _export_figures(nb, path.stem, out)
            tables = sorted(
                (p.name for p in (out / "tables").glob(f"{path.stem}-table-*.csv")),
                key=lambda n: int(n.rsplit("-", 1)[1].split(".")[0]),
            )
            results.append(
                NotebookResult(
                    path.name, time.perf_counter() - t0, page, figures, tables, _title(nb)
                )
            )
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(ipython_dir, ignore_errors=True)
    total = time.perf_counter() - t_all
    (out / "index.html").write_text(_index_page(results, str(corpus), total), encoding="utf-8")
    summary = [
        {
            "notebook": r.name,
            "seconds": round(r.seconds, 1),
            "figures": len(r.figures),
            "tables": len(r.tables),
        }
        for r in results
    ]
    (out / "summary.json").write_text(
        json.dumps({"corpus": str(corpus), "seconds": total, "notebooks": summary}, indent=1)
    )
    return results
