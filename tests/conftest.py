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


# Modules whose module-scoped fixtures (stores of the sample, annotated corpora) take long to
# build: in a parallel run each of them is one unit of work, all its tests run in one process,
# which builds the fixtures once (handed out test by test, each process would build them).
SHARED_FIXTURES = {
    f"tests/test_{name}.py" for name in ("engine", "shards_given", "shards_layers", "shards_topics")
}


def _module(nodeid):
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config, items):
    """Run the slow tests first (notebooks, browser), then the modules of SHARED_FIXTURES,
    then the rest, each kept in file order.

    In a parallel run (``make test``: pytest-xdist, ``--dist loadgroup
    --no-loadscope-reorder``, the scheduler below) each process is handed a test, or all the
    tests of a module of SHARED_FIXTURES, at a time in this order, so the long tests and
    modules start at once on different processes and the short tests fill the time left: no
    process is left with a long test at the end.
    """

    def rank(item):
        if item.get_closest_marker("slow"):
            return 0
        return 1 if _module(item.nodeid) in SHARED_FIXTURES else 2

    items.sort(key=rank)  # stable


try:
    from xdist.scheduler import LoadGroupScheduling
except ImportError:  # pytest-xdist not installed: tests run in one process
    pass
else:

    class _SharedFixtureScheduling(LoadGroupScheduling):
        """``--dist loadgroup``, with each module of SHARED_FIXTURES as one group."""

        def _split_scope(self, nodeid):
            scope = super()._split_scope(nodeid)  # an xdist_group mark's group, or the test
            return _module(nodeid) if _module(nodeid) in SHARED_FIXTURES else scope

    def pytest_xdist_make_scheduler(config, log):
        if config.getvalue("dist") == "loadgroup":
            return _SharedFixtureScheduling(config, log)
        return None


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
