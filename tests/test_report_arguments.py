"""The report command checks everything it is given before a notebook runs: parameters are
data, never code; paths are read from the current folder; bad arguments are clear errors,
and a run leaves no temporary folder behind."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import nbformat
import pytest

import toolkit as tk
from toolkit import cli, report

PAYLOAD = "import os;os.system('touch pwned');x=1"


def notebook(folder, name, params, *cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), cell]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, folder / name)


@pytest.fixture
def small(tmp_path, monkeypatch):
    """Two small notebooks; papermill replaced by a recorder; the current folder is a
    fresh one with its own temporary folder."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder, "01-first.ipynb", 'corpus = "un-debates-asia"\nk = 10\nratio = 0.5')
    notebook(
        folder,
        "02-second.ipynb",
        'corpus = "un-debates-asia"\ncommentary = "commentary"\ntext = "x"\nitems = [1]',
    )
    monkeypatch.setattr(report, "notebooks_dir", lambda: folder)
    calls = {}

    def execute(source, target, parameters=None, **kwargs):
        calls[Path(source).name] = parameters
        shutil.copy(source, target)

    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    work = tmp_path / "work"
    (work / "tmp").mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(work / "tmp"))
    return calls


def fails(capsys, *args):
    """Run the command; it must fail cleanly: status 1, a message, no traceback."""
    assert cli.main(["report", *args]) == 1
    err = capsys.readouterr().err
    assert "report failed: " in err and "Traceback" not in err
    return err.split("report failed: ", 1)[1]


# ------------------------------------------------------------------------------ values
def test_values_are_literals_and_bare_words_strings():
    cases = {
        "8": 8,
        "-2.5": -2.5,
        "true": True,
        "True": True,
        "null": None,
        "None": None,
        "RUS": "RUS",
        "'RUS'": "RUS",
        '"RUS"': "RUS",
        "[6, 8]": [6, 8],
        "['peace', 'war']": ["peace", "war"],
        '{"a": 1}': {"a": 1},
        "(1, 2)": (1, 2),
        "north korea": "north korea",
        "": "",
        PAYLOAD: PAYLOAD,
        "__import__('os').system('touch pwned')": "__import__('os').system('touch pwned')",
        "1" * 5000: "1" * 5000,  # too long for an int: a string, not an error
    }
    for text, value in cases.items():
        assert report.parse_value(text) == value, text
    assert report.parse_parameter("a=b=c") == ("a", "b=c")
    with pytest.raises(tk.ReportError, match="NAME=VALUE"):
        report.parse_parameter("k")


def test_a_payload_as_parameter_name_is_refused_and_nothing_runs(small, capsys):
    err = fails(capsys, "--out", "out", "-p", PAYLOAD)
    assert "is not a parameter" in err
    assert "parameters: commentary, corpus, items, k, ratio, text" in err
    assert small == {} and not Path("out").exists()
    assert not list(Path.cwd().rglob("pwned")) and not list(report.notebooks_dir().rglob("pwned"))


def test_values_reach_papermill_as_objects(small, capsys):
    code = "x\"; import os; os.system('touch pwned'); y=\"\\"
    args = ["--out", "out", "-p", f"text={code}", "-p", "items=[1, 'two', None]", "-p", "k=8"]
    assert cli.main(["report", *args, "-p", "ratio=1"]) == 0
    # each notebook receives the parameters it declares, as Python objects
    assert small["01-first.ipynb"] == {"corpus": "un-debates-asia", "k": 8, "ratio": 1}
    assert small["02-second.ipynb"] == {
        "corpus": "un-debates-asia",
        "text": code,
        "items": [1, "two", None],
    }
    assert (
        Path("out") / "index.html"
    ).exists() and "report: 2 notebooks" in capsys.readouterr().out
    assert report.run_report(parameters={"items": (1, 2)}, out="o2", progress=False)
    assert small["02-second.ipynb"]["items"] == [1, 2]


def test_the_corpus_is_given_as_source_and_the_old_name_warns(small):
    (Path("texts")).mkdir()
    (Path("texts") / "A_1_2000.txt").write_text("Peace.", encoding="utf-8")
    texts = str(Path.cwd() / "texts")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new name does not warn
        new = report.run_report(source="texts", out="new", progress=False)
    sent = dict(small)
    assert sent["01-first.ipynb"]["corpus"] == texts  # the notebooks' parameter keeps its name
    small.clear()
    with pytest.warns(FutureWarning, match=r"run_report: the argument corpus= .*use source="):
        old = report.run_report(corpus="texts", out="old", progress=False)
    assert small == sent
    assert [r.name for r in old] == [r.name for r in new] == ["01-first.ipynb", "02-second.ipynb"]
    assert json.loads(Path("old/summary.json").read_text())["corpus"] == texts
    with pytest.raises(tk.ParameterError, match="give source= only"):
        report.run_report(corpus="texts", source="texts", out="both", progress=False)
    assert not Path("both").exists()
    # positionally, the first argument is still the corpus
    small.clear()
    report.run_report("texts", "positional", progress=False)
    assert small == sent


def test_the_citation_is_looked_up_by_source_and_the_old_name_warns():
    cite = report.corpus_citation(source="un-debates-asia")
    assert "Jankin" in cite
    with pytest.warns(FutureWarning, match=r"corpus_citation: the argument corpus= .*source="):
        assert report.corpus_citation(corpus="un-debates-asia") == cite
    assert report.corpus_citation(source=Path("un-debates-asia")) == ""  # a path, not a name


def test_parameter_names_and_types_are_checked(small, capsys):
    err = fails(capsys, "-p", "window=5")
    assert "'window' is not a parameter" in err and "commentary, corpus, items, k" in err
    err = fails(capsys, "--only", "01", "-p", "text=hello")
    assert "'text'" in err and "02-second.ipynb" in err and "parameters: corpus, k, ratio" in err
    err = fails(capsys, "-p", "k=ten")
    assert "'k' takes a int" in err and "'ten'" in err
    err = fails(capsys, "-p", "k=1.5")
    assert "'k'" in err
    err = fails(capsys, "-p", "text=5")
    assert "quote it" in err
    err = fails(capsys, "-p", "items={1, 2}")
    assert "'items'" in err and "set" in err
    err = fails(capsys, "-p", "corpus=un-debates-asia")
    assert "first argument" in err
    assert small == {}


def test_relative_corpus_paths_are_read_from_the_current_folder(small, capsys):
    (Path("texts")).mkdir()
    (Path("texts") / "A_1_2000.txt").write_text("Peace.", encoding="utf-8")
    (Path("comm.csv")).write_text("text\nhello\n", encoding="utf-8")
    assert cli.main(["report", "texts", "--out", "out", "-p", "commentary=comm.csv"]) == 0
    here = Path.cwd()
    assert small["01-first.ipynb"]["corpus"] == str(here / "texts")
    assert small["02-second.ipynb"]["commentary"] == str(here / "comm.csv")
    err = fails(capsys, "nowhere", "--out", "out2")
    assert "'nowhere'" in err and "un-debates-asia" in err and str(here) in err
    err = fails(capsys, "-p", "commentary=missing.csv")
    assert "'missing.csv'" in err
    assert not Path("out2").exists()


# ------------------------------------------------------------------------------ options
def test_out_naming_an_existing_file(small, capsys):
    Path("taken").write_text("mine")
    err = fails(capsys, "--out", "taken")
    assert "existing file" in err and "taken" in err
    assert Path("taken").read_text() == "mine" and small == {}


def test_out_naming_an_existing_file_from_the_shell(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("mine")
    run = subprocess.run(
        [sys.executable, "-m", "toolkit", "report", "--out", str(taken)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1
    assert "existing file" in run.stderr and "Traceback" not in run.stderr


def test_only_needs_known_notebook_names(small, capsys):
    err = fails(capsys, "--only")
    assert "--only needs" in err and "01-first.ipynb, 02-second.ipynb" in err
    err = fails(capsys, "--only", "03", "01")
    assert "'03'" in err and "01-first.ipynb, 02-second.ipynb" in err
    err = fails(capsys, "--only", "")
    assert "''" in err
    assert small == {}
    assert cli.main(["report", "--only", "02-second", "--out", "out"]) == 0
    assert list(small) == ["02-second.ipynb"]


def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["report", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ["corpus", "--out DIR", "--pattern", "--only", "-p NAME=VALUE", "examples:"]:
        assert option in out, option


# ------------------------------------------------------------------------------ clean-up
def test_no_temporary_folder_remains(small, monkeypatch, capsys):
    assert cli.main(["report", "--out", "out"]) == 0
    assert list((Path.cwd() / "tmp").iterdir()) == []
    import papermill

    def broken(*args, **kwargs):
        raise RuntimeError("the kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", broken)
    err = fails(capsys, "--out", "out")
    assert "01-first.ipynb could not be run: RuntimeError: the kernel died" in err
    assert list((Path.cwd() / "tmp").iterdir()) == []


def test_a_kernel_receives_data_not_code(tmp_path, monkeypatch, capsys):
    """End to end, in a real kernel: the values arrive intact and nothing in them runs."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(
        folder,
        "01-echo.ipynb",
        'corpus = "un-debates-asia"\ntext = "x"\nitems = [0]\nresult = ""',
        "import json\n"
        "with open(result, 'w', encoding='utf-8') as f:\n"
        "    json.dump({'corpus': corpus, 'text': text, 'items': items}, f)",
    )
    monkeypatch.setattr(report, "notebooks_dir", lambda: folder)
    work = tmp_path / "work"
    (work / "tmp").mkdir(parents=True)
    (work / "texts").mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TMPDIR", str(work / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(work / "tmp"))
    code = "a\"b'c\\d\n\"; __import__('os').system('touch pwned') #é"
    result = work / "result.json"
    args = ["texts", "--out", "out", "-p", f"text={code}", "-p", f"result={result}"]
    assert cli.main(["report", *args, "-p", "items=[1, 'two', {'k': None}]"]) == 0, (
        capsys.readouterr().err
    )
    got = json.loads(result.read_text(encoding="utf-8"))
    assert got == {"corpus": str(work / "texts"), "text": code, "items": [1, "two", {"k": None}]}
    assert not list(tmp_path.rglob("pwned"))
    assert list((work / "tmp").iterdir()) == []


@pytest.mark.parametrize("corpus", ["", "   "])
def test_an_empty_corpus_path_is_refused_not_read_as_the_current_folder(corpus):
    from toolkit.report import _resolve_corpus

    with pytest.raises(tk.ReportError, match="empty"):
        _resolve_corpus(corpus, "corpus")


@pytest.mark.skipif(os.name != "posix", reason="local sockets are a POSIX transport")
def test_kernels_run_over_local_sockets_without_the_tcp_warning(tmp_path, monkeypatch, capfd):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder, "01-echo.ipynb", 'corpus = "un-debates-asia"', "print('ran')")
    monkeypatch.setattr(report, "notebooks_dir", lambda: folder)
    work = tmp_path / "work"
    (work / "texts").mkdir(parents=True)
    monkeypatch.chdir(work)
    assert cli.main(["report", "texts", "--out", "out"]) == 0
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err + captured.out
    executed = (work / "out" / "notebooks" / "01-echo.ipynb").read_text(encoding="utf-8")
    assert "ran" in executed
    # no socket files are left beside the notebooks or in the working folder
    assert sorted(p.name for p in folder.iterdir()) == ["01-echo.ipynb"]
    assert not [p for p in work.iterdir() if p.name.startswith("kernel")]


# ------------------------------------------------------------------------------ parameters
def test_parameters_are_described_by_their_trailing_comments(tmp_path):
    notebook(
        tmp_path,
        "01-p.ipynb",
        'corpus = "x"  # the corpus\n'
        "k = 10  # topics per model\n"
        "ratio = 0.5\n"
        "words = [  # focus words\n"
        '    "a",\n'
        '    "b",\n'
        "]\n"
        'd = {"a": 1,\n'
        '     "b": 2}  # weights\n'
        "import os  # not a parameter\n",
    )
    table = report.describe_parameters(tmp_path / "01-p.ipynb")
    assert table.to_dict("records") == [
        {"name": "corpus", "default": '"x"', "meaning": "the corpus"},
        {"name": "k", "default": "10", "meaning": "topics per model"},
        {"name": "ratio", "default": "0.5", "meaning": ""},
        {"name": "words", "default": "['a', 'b']", "meaning": "focus words"},
        {"name": "d", "default": "{'a': 1, 'b': 2}", "meaning": "weights"},
    ]


def _blocks(text):
    """The --help / --params listing split into {notebook: block}."""
    blocks, current = {}, None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.endswith(".ipynb:"):
            current = stripped[:-1]
            blocks[current] = ""
        elif current is not None:
            blocks[current] += line + "\n"
    return blocks


def test_help_lists_every_parameter_of_every_notebook_with_default_and_meaning(capsys):
    import papermill

    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    blocks = _blocks(capsys.readouterr().out)
    paths = sorted(report.notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    assert sorted(blocks) == [p.name for p in paths]
    for path in paths:
        # papermill's own reading of the parameters cell is the independent reference
        for name, info in papermill.inspect_notebook(str(path)).items():
            block = blocks[path.name]
            assert f"  {name} = " in block, (path.name, name)
            if info["help"]:
                assert info["help"] in " ".join(block.split()), (path.name, name)


def test_every_parameter_of_every_notebook_has_a_meaning():
    missing = []
    for path in sorted(report.notebooks_dir().glob("[0-9][0-9]-*.ipynb")):
        table = report.describe_parameters(path)
        missing += [f"{path.name}: {n}" for n in table.loc[table.meaning == "", "name"]]
    assert missing == [], "parameters without a trailing comment giving their meaning"


def test_params_lists_the_parameters_of_one_notebook(small, capsys):
    assert cli.main(["report", "--params", "02"]) == 0
    out = capsys.readouterr().out
    assert list(_blocks(out)) == ["02-second.ipynb"]
    assert '  commentary = "commentary"' in out and "(no description)" in out
    assert small == {}  # nothing ran
    assert cli.main(["report", "--params", "07"]) == 1
    assert "01-first.ipynb, 02-second.ipynb" in capsys.readouterr().err


# ------------------------------------------------------------------------------ tables
SPEECHES = (
    "speech_id,nation,when,body\n"
    "s1,Freedonia,1999-09-10,The harvest was poor and the rivers ran low all summer long.\n"
    "s2,Sylvania,2001-09-12,Our ports reopened in spring and trade with our neighbours grew.\n"
)


def test_text_and_id_are_checked_before_anything_runs(small, capsys):
    Path("speeches.csv").write_text(SPEECHES, encoding="utf-8")
    Path("texts").mkdir()
    err = fails(capsys, "texts", "--text", "body")
    assert "--text apply to a table" in err
    err = fails(capsys, "speeches.csv", "--text", "content")
    assert "'content'" in err and "'body'" in err and "'nation'" in err
    err = fails(capsys, "speeches.csv", "--id", "key")
    assert "'key'" in err and "'speech_id'" in err
    Path("short.csv").write_text("a,b\nx,y\n", encoding="utf-8")
    err = fails(capsys, "short.csv")
    assert "no column clearly holds the texts" in err and "--text" in err
    assert small == {} and not Path("report").exists()


def test_the_kernels_load_the_table_with_the_reports_columns(tmp_path, monkeypatch, capsys):
    """End to end: the notebook loads its corpus with tk.load(corpus) alone."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(
        folder,
        "01-load.ipynb",
        'corpus = "un-debates-asia"  # the corpus\npattern = None  # file names\nresult = ""',
        "import json, toolkit as tk\n"
        "c = tk.load(corpus, name_pattern=pattern)\n"
        "with open(result, 'w', encoding='utf-8') as f:\n"
        "    json.dump({'ids': c.doc_ids, 'first': c.text(c.doc_ids[0]), 'note': c.load_note}, f)",
    )
    monkeypatch.setattr(report, "notebooks_dir", lambda: folder)
    monkeypatch.chdir(tmp_path)
    Path("speeches.csv").write_text(SPEECHES, encoding="utf-8")
    result = tmp_path / "result.json"
    args = ["speeches.csv", "--out", "out", "-p", f"result={result}"]
    assert cli.main(["report", *args, "--text", "nation", "--id", "speech_id"]) == 0
    got = json.loads(result.read_text(encoding="utf-8"))
    assert got["ids"] == ["s1", "s2"] and got["first"] == "Freedonia"
    assert "--text" in got["note"] and "--id" in got["note"]
    assert "'nation'" in capsys.readouterr().err  # the report says which column it used
    assert "TOOLKIT_REPORT_TEXT" not in os.environ  # the environment is restored
    # without --text: the column that clearly holds the texts, said in the index
    assert cli.main(["report", *args]) == 0
    got = json.loads(result.read_text(encoding="utf-8"))
    assert got["ids"] == ["0", "1"] and got["first"].startswith("The harvest was poor")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "texts from column &#x27;body&#x27;" in index
