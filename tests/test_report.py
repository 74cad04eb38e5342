"""The report runs every notebook to the end on three corpora (the bundled speeches, a
folder of dated news articles, a table with its own column names) with no parameter but
the corpus, and publishes what the notebooks show: whole tables and figures under their
names, with their captions, references and the corpus's citation in ``index.html``.

The fixtures in ``tests/data/`` were written for these tests: ``news/`` holds 24 invented
local-news articles named ``{source}_{date}_{slug}.txt`` (four sources, 2021-2024);
``speeches.csv`` holds 30 invented speeches of invented nations, with the columns
``speech_id, nation, when, body``.
"""

import csv
import json
import re
import tempfile
from pathlib import Path

import nbformat
import pytest

from toolkit import cli, report

DATA = Path(__file__).parent / "data"
NOTEBOOKS = sorted(report.notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
#: Labels of the bundled corpus that must not appear in a report on another corpus: in
#: the index and the outputs (where the bundled corpus's column name "country" would show
#: as a label) and in the notebooks' prose (which may use "country" as a plain noun, as in
#: "one country, party or outlet").
FOREIGN = [r"\bUN\b", r"General Debate", r"\bPRK\b", r"\bcountry\b", r"six states"]
FOREIGN_IN_PROSE = [w for w in FOREIGN if "country" not in w]


def _notebook(cells, params='corpus = "un-debates-asia"  # the corpus'):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A small notebook"), cell]
    for c in cells:
        if c.startswith("#"):
            nb.cells.append(nbformat.v4.new_markdown_cell(c))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(c))
    return nb


def _csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _check_report(out, corpus_is_sample):
    """What every report must hold; returns the index page."""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [n["notebook"] for n in summary["notebooks"]] == [p.name for p in NOTEBOOKS]
    index = (out / "index.html").read_text(encoding="utf-8")
    figcaptions = [_plain(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", index)]
    from PIL import Image

    for nb_path, entry in zip(NOTEBOOKS, summary["notebooks"], strict=True):
        executed = nbformat.read(out / "notebooks" / nb_path.name, as_version=4)
        errors = [
            o
            for c in executed.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        assert errors == [], nb_path.name
        assert entry["problems"] == [], (nb_path.name, entry["problems"])
        assert entry["figures"] or entry["tables"], nb_path.name  # it publishes something
        for fig in entry["figures"]:
            path = out / fig["path"]
            assert path.parent.name == nb_path.stem and fig["caption"], fig
            assert _plain(fig["caption"]) in figcaptions, fig
            image = Image.open(path).convert("L")
            low, high = image.getextrema()
            assert high - low > 50, f"{fig['path']} is blank"
        for table in entry["tables"]:
            path = out / table["path"]
            assert path.parent.name == nb_path.stem and table["caption"], table
            assert not re.search(r"-table-\d+\.csv$", path.name)  # named for what it holds
            assert _plain(table["caption"]) in _plain(index), table
            # whole: as many rows as the table the notebook showed
            assert len(_csv_rows(path)) == table["rows"], table
    if not corpus_is_sample:
        # what a reader reads: the index, the notebooks' prose and every output (the code
        # cells keep the bundled corpus's defaults, e.g. the parameters cell's pattern)
        outputs = re.sub(r"<[^>]+>", " ", index)
        prose = ""
        for nb_path in NOTEBOOKS:
            executed = nbformat.read(out / "notebooks" / nb_path.name, as_version=4)
            outputs += _reader_text(executed, markdown=False)
            prose += _reader_text(executed, outputs=False)
        found = {}
        for words, text in ((FOREIGN, outputs), (FOREIGN_IN_PROSE, prose)):
            for word in words:
                hits = [
                    text[max(0, m.start() - 50) : m.end() + 50] for m in re.finditer(word, text)
                ]
                if hits:
                    found[word] = hits[:3]
        assert found == {}, found
    return index


def _reader_text(nb, markdown=True, outputs=True):
    """The Markdown cells and/or the outputs of a notebook, as text (images left out)."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if markdown:
                parts.append(cell.source)
            continue
        if not outputs:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append(re.sub(r"<[^>]+>", " ", str(value)))
    return "\n".join(parts)


def _plain(markup):
    """What a reader sees of some HTML (or of a caption with `code` spans): the text."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup)).replace("`", "")


# ------------------------------------------------------------------------------ publishing
def test_the_index_shows_what_notebooks_publish_with_captions(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    setup = (
        "import matplotlib.pyplot as plt\n"
        "import pandas as pd\nimport toolkit as tk\n"
        "big = pd.DataFrame({'term': [f'w{i}' for i in range(40)],\n"
        "                    'score': [i / 7 for i in range(40)]})"
    )
    nb1 = _notebook(
        [
            setup,
            "tk.show_table(big, 'scores-all', 'Scores of <all> forty terms.', rows=5)",
            "fig, ax = plt.subplots()\nax.plot([1, 2, 3], [3, 1, 2])\n"
            "tk.show_figure(fig, 'line', 'A line & its caption.')",
            "fig, ax = plt.subplots()\nax.set_title('nothing')\n"
            "tk.show_figure(ax, 'nothing', 'An empty figure.')",
            "## References\n\n- Author, A. (2020). *A <script>alert(1)</script> title*.\n"
            "- Writer, B. (2021). Another work.",
        ]
    )
    nb2 = _notebook(
        [
            setup,
            "tk.show_table(big.head(3), 'scores-all', 'The first three scores.')",
            "fig, ax = plt.subplots()\nax.bar(['a', 'b'], [1, 2])\nplt.show()",
        ]
    )
    nbformat.write(nb1, folder / "01-first.ipynb")
    nbformat.write(nb2, folder / "02-second.ipynb")
    monkeypatch.setattr(report, "notebooks_dir", lambda: folder)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "texts").mkdir()
    out = tmp_path / "out"
    old = out / "tables" / "01-first" / "stale.csv"
    old.parent.mkdir(parents=True)
    old.write_text("x\n1\n")
    args = ["report", "texts", "--out", str(out), "--cite", "Me & <b>co</b> (2024)."]
    assert cli.main(args) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "02-second.ipynb: cell 5 shows a figure without a caption" in err
    # tables: whole, under their names, one folder per notebook (same name, no collision)
    assert len(_csv_rows(out / "tables" / "01-first" / "scores-all.csv")) == 40
    assert len(_csv_rows(out / "tables" / "02-second" / "scores-all.csv")) == 3
    assert not old.exists()  # files of an earlier run are gone
    assert (out / "figures" / "01-first" / "line.png").is_file()
    assert not (out / "figures" / "01-first" / "nothing.png").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    first, second = summary["notebooks"]
    assert [f["path"] for f in first["figures"]] == ["figures/01-first/line.png"]
    assert first["tables"] == [
        {
            "path": "tables/01-first/scores-all.csv",
            "caption": "Scores of <all> forty terms.",
            "rows": 40,
        }
    ]
    assert first["problems"] == ["figure 'nothing' has no data (cell 6); it was not published"]
    assert second["problems"] == ["cell 5 shows a figure without a caption (use tk.show_figure)"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<figcaption>A line &amp; its caption.</figcaption>" in index
    assert "Scores of &lt;all&gt; forty terms." in index and "40 rows" in index
    assert "Another work." in index and "<script>" not in index
    assert "&lt;script&gt;" in index
    assert "Me &amp; &lt;b&gt;co&lt;/b&gt; (2024)." in index
    assert "cell 5 shows a figure without a caption" in index
    # the uncaptioned figure is kept, not dropped, and marked
    assert (out / second["figures"][0]["path"]).is_file()
    # the notebook itself says why the empty figure is missing
    executed = (out / "notebooks" / "01-first.ipynb").read_text(encoding="utf-8")
    assert "is not shown: it has no data" in executed
    # without --cite, a folder of one's own: the reader is asked to cite the source
    assert cli.main(["report", "texts", "--out", str(out), "--only", "01"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "cite its source" in index and "--cite TEXT" in index


def test_the_bundled_corpus_citation_comes_from_the_corpora_readme():
    readme = (report.notebooks_dir().parent / "corpora" / "README.md").read_text()
    cite = report.corpus_citation(source="un-debates-asia")
    assert "Jankin" in cite and "Research & Politics" in cite and "2017" in cite
    assert " ".join(cite.split()[:6]) in " ".join(readme.split())
    assert report.corpus_citation("commentary") == ""  # no citation line in its section
    assert report.corpus_citation("elsewhere") == ""


# ------------------------------------------------------------------------------ three corpora
@pytest.mark.slow
def test_report_on_the_bundled_corpus(tmp_path):
    out = tmp_path / "report"
    assert cli.main(["report", "--out", str(out)]) == 0
    index = _check_report(out, corpus_is_sample=True)
    assert "Jankin" in index  # the corpus's citation
    for nb_path in NOTEBOOKS:
        assert (out / nb_path.with_suffix(".html").name).stat().st_size > 10_000
        assert nb_path.with_suffix(".html").name in index


@pytest.mark.slow
def test_report_on_a_folder_of_news_articles(tmp_path):
    out = tmp_path / "report"
    args = ["report", str(DATA / "news"), "--pattern", "{source}_{date}_{slug}.txt"]
    assert cli.main([*args, "--out", str(out)]) == 0
    index = _check_report(out, corpus_is_sample=False)
    assert "cite its source" in index
    # no word of these articles matches notebook 4's default dictionary (checked here on the
    # files): the trend is said to be empty, not drawn as flat lines at zero
    dictionary = re.compile(
        r"\b(threat|danger|menace|aggress|provocat|secur|deterr|alliance|peace|disarm|reconcil)"
        r"|\bdefen[cs]e\b|\bdefensive\b|d[ée]tente",
        re.IGNORECASE,
    )
    texts = [p.read_text(encoding="utf-8") for p in (DATA / "news").glob("*.txt")]
    assert texts and not any(dictionary.search(t) for t in texts)
    assert not (out / "figures" / "04-comparing-discourses" / "dictionary-trend.png").exists()
    page = (out / "04-comparing-discourses.html").read_text(encoding="utf-8")
    assert "the trend is not drawn" in page


@pytest.mark.slow
def test_report_on_a_table_with_its_own_column_names(tmp_path, capsys):
    out = tmp_path / "report"
    assert cli.main(["report", str(DATA / "speeches.csv"), "--out", str(out)]) == 0
    assert "texts from column 'body'" in capsys.readouterr().err
    index = _check_report(out, corpus_is_sample=False)
    assert "texts from column &#x27;body&#x27;" in index


# ------------------------------------------------------------------------------ stored notebooks
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


def test_no_table_is_saved_unless_a_notebook_publishes_it(tmp_path, monkeypatch):
    """Displaying a DataFrame publishes nothing: only tk.show_table does."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = _notebook(["import pandas as pd\npd.DataFrame({'a': range(30)})"])
    nbformat.write(nb, folder / "01-shown.ipynb")
    monkeypatch.setattr(report, "notebooks_dir", lambda: folder)
    (tmp_path / "texts").mkdir()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["report", "texts", "--out", "out"]) == 0
    assert list((tmp_path / "out" / "tables").rglob("*.csv")) == []
