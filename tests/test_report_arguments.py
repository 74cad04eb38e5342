"""The report command checks everything it is given before a notebook runs: parameters are
data, never code; paths are read from the current folder; bad arguments are clear errors,
and a run leaves no temporary folder behind."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
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
