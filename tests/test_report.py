"""The notebooks run top to bottom on the bundled corpus, through the report command."""

import json
import tempfile

import nbformat
import pytest

from toolkit import cli, report


@pytest.mark.slow
def test_report_runs_every_notebook(tmp_path):
    out = tmp_path / "report"
    assert cli.main(["report", "--out", str(out)]) == 0
    notebooks = sorted(report.notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    assert len(notebooks) == 7
    summary = json.loads((out / "summary.json").read_text())
    assert [n["notebook"] for n in summary["notebooks"]] == [p.name for p in notebooks]
    for nb_path in notebooks:
        executed = nbformat.read(out / "notebooks" / nb_path.name, as_version=4)
        errors = [
            o
            for c in executed.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        assert errors == []
        assert (out / nb_path.with_suffix(".html").name).stat().st_size > 10_000
    for entry in summary["notebooks"]:
        assert entry["tables"] > 0, entry
    figures = {p.name.split("-figure-")[0] for p in (out / "figures").glob("*.png")}
    assert figures == {p.stem for p in notebooks}  # every notebook draws at least one figure
    index = (out / "index.html").read_text()
    assert all(p.with_suffix(".html").name in index for p in notebooks)


def test_stored_notebooks_have_no_stale_outputs():
    for path in report.notebooks_dir().glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name} needs one parameters cell for papermill"


def test_failing_notebook_names_notebook_and_cell(tmp_path, monkeypatch, capsys):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell('corpus = "x"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('broken step')"),
    ]
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "01-broken.ipynb")
    monkeypatch.setattr(report, "notebooks_dir", lambda: folder)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert cli.main(["report", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "01-broken.ipynb" in err and "ValueError: broken step" in err and "cell" in err
    assert "Traceback" not in err
    assert list(temp.iterdir()) == []  # the run's temporary IPython folder is removed
