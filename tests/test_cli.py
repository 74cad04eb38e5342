"""tests/test_cli.py mirrors toolkit/cli.py: the command line's commands, its help and how it
refuses what it does not know.  Running a report is tested in tests/test_report.py and
tests/test_report_arguments.py; here nothing is run."""

import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import cli

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


def _toolkit(*args):
    """``python -m toolkit ARGS`` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, timeout=120
    )


def test_help_exits_0_and_lists_the_report_command():
    done = _toolkit("--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: toolkit")
    assert "{report}" in done.stdout
    assert "run all notebooks on a corpus and write an HTML report" in done.stdout
    assert done.stderr == ""


def test_an_unknown_command_exits_non_zero_naming_it():
    done = _toolkit("reprot")
    assert done.returncode == 2
    assert "'reprot'" in done.stderr and "'report'" in done.stderr  # and the valid one
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def _exit_status(capsys, *argv):
    """The status ``main`` exits with (argparse exits itself) and what it wrote."""
    with pytest.raises(SystemExit) as stop:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    return stop.value.code, out, err


def test_a_command_is_required(capsys):
    status, _, err = _exit_status(capsys)
    assert status == 2
    assert "required: command" in err


def test_an_unknown_option_exits_non_zero_naming_it(capsys):
    status, _, err = _exit_status(capsys, "report", "--outt", "somewhere")
    assert status == 2
    assert "unrecognized arguments: --outt" in err


def test_an_option_without_its_value_exits_non_zero_naming_it(capsys):
    status, _, err = _exit_status(capsys, "report", "--out")
    assert status == 2
    assert "--out" in err and "expected one argument" in err


def test_params_lists_the_parameters_of_a_notebook_and_runs_nothing(capsys, tmp_path):
    first = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))[0]
    assert cli.main(["report", "--params", first[:2], "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert first in out
    assert not (tmp_path / "out").exists()


def test_params_of_an_unknown_notebook_fails_naming_it_and_the_notebooks(capsys):
    assert cli.main(["report", "--params", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("report failed: ") and "'nope'" in err
    for notebook in sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        assert notebook in err
    assert "Traceback" not in err
