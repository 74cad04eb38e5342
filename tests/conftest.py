import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

# Every test process gets its own cache: a developer's own TOOLKIT_CACHE never leaks in, and
# the worker processes of a parallel run (`make test`: pytest-xdist) never share one.  It is
# removed when the process's run ends.
CACHE = tempfile.mkdtemp(prefix=f"toolkit-cache-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
os.environ["TOOLKIT_CACHE"] = CACHE

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # this process only: kernels started by tests keep their inline backend

import toolkit as tk  # noqa: E402
from toolkit import report  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"

# In a parallel run each process runs the notebooks from its own copy of notebooks/: the
# report's kernels create their local sockets in the folder they run in, named kernel-ipc-N
# for the first free N, so two reports starting kernels at once in one folder could take
# the same names (and one kernel the other's sockets).  Beside the copy, links to the rest
# of the project (corpora/, ...).
NOTEBOOKS = None
if os.environ.get("PYTEST_XDIST_WORKER"):
    NOTEBOOKS = Path(tempfile.mkdtemp(prefix="toolkit-notebooks-")) / "notebooks"
    for entry in report.notebooks_dir().parent.iterdir():
        if entry.name != "notebooks":
            (NOTEBOOKS.parent / entry.name).symlink_to(entry)
    shutil.copytree(
        report.notebooks_dir(),
        NOTEBOOKS,
        # regular files and folders only (a running kernel may leave its sockets there)
        ignore=lambda folder, names: [
            n for n in names if not (Path(folder, n).is_file() or Path(folder, n).is_dir())
        ],
    )
    report.notebooks_dir = lambda: NOTEBOOKS


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(CACHE, ignore_errors=True)
    if NOTEBOOKS is not None:
        shutil.rmtree(NOTEBOOKS.parent, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Run the slow tests first (notebooks, browser; kept in file order, the rest after them).

    In a parallel run (``make test``: pytest-xdist, ``--dist load --maxschedchunk 1``) each
    process is handed a test or two at a time in this order, so the long tests start at once
    on different processes and the short ones fill the time left: no process is left with a
    long test at the end.
    """
    items.sort(key=lambda item: 0 if item.get_closest_marker("slow") else 1)  # stable


@pytest.fixture(scope="session")
def un():
    return tk.load_sample("un-debates-asia")


@pytest.fixture(scope="session")
def commentary():
    return tk.load_sample("commentary")


@pytest.fixture(scope="session")
def make():
    """Build a small corpus from texts and metadata columns: ``make(["a b"], year=[1990])``."""

    def build(texts, **meta):
        return tk.from_dataframe(pd.DataFrame({"text": texts, **meta}))

    return build
