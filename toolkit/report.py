"""The report: run every notebook with papermill against a corpus, and publish the results.

For each notebook in ``notebooks/`` (``NN-name.ipynb``, in order) the report writes the
executed notebook, an HTML page (nbconvert), every figure as a PNG file and every table as
a CSV file, plus an ``index.html`` that links them.  The notebooks are run in a fresh
kernel each, with their parameters cell overridden by the report's parameters.  Tables are
the DataFrames and concordances the notebooks display: an IPython start-up file, used only
by the report's kernels, saves each one as CSV when it is shown, so the notebooks contain
no report-specific code.
"""

from __future__ import annotations

import base64
import html
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

__all__ = ["run_report", "NotebookFailed", "notebooks_dir"]

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


class NotebookFailed(RuntimeError):
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
    corpus : str
        A bundled corpus name or a path (see :func:`toolkit.load`); passed to every
        notebook as its ``corpus`` parameter.
    out : path
        Output folder (created).
    parameters : dict, optional
        More parameters for every notebook (those a notebook does not declare are ignored).
    notebooks : list of str, optional
        Names (or prefixes such as ``"03"``) of the notebooks to run; default: all.

    Raises
    ------
    NotebookFailed
        With the notebook, the cell number and the error, when a notebook fails.
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    out = Path(out).resolve()
    for sub in ("notebooks", "figures", "tables"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    paths = sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    if notebooks:
        paths = [p for p in paths if any(p.name.startswith(n) for n in notebooks)]
        if not paths:
            raise FileNotFoundError(f"no notebook matches {notebooks} in {notebooks_dir()}")
    params = {"corpus": str(corpus), **(parameters or {})}
    ipython_dir = Path(tempfile.mkdtemp(prefix="toolkit-ipython-"))
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-report.py").write_text(_STARTUP)
    env_before = {
        k: os.environ.get(k)
        for k in ("IPYTHONDIR", "TOOLKIT_REPORT_TABLES", "TOOLKIT_REPORT_PREFIX")
    }
    os.environ["IPYTHONDIR"] = str(ipython_dir)
    os.environ["TOOLKIT_REPORT_TABLES"] = str(out / "tables")
    exporter = HTMLExporter()
    results: list[NotebookResult] = []
    t_all = time.perf_counter()
    try:
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
                    parameters=params,
                    kernel_name="python3",
                    cwd=str(path.parent),
                    progress_bar=False,
                )
            except pm.PapermillExecutionError as err:
                raise NotebookFailed(
                    f"{path.name} failed in cell {err.exec_count} "
                    f"(executed copy: {executed}): {err.ename}: {err.evalue}"
                ) from None
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
