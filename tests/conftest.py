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

SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(CACHE, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Order the files for a parallel run (``make test``: ``-n auto --dist loadfile``).

    pytest-xdist runs the tests of one file in one process, one after another: a module's
    fixtures are built once, and neither the report tests (their notebooks run in
    ``notebooks/``, where the kernels' local sockets are created) nor the browser tests
    (a JupyterLab server each) run side by side with another of their file.  The files are
    handed out in the order collected (``--no-loadscope-reorder``): those with slow tests
    first, then those with a module- or class-scoped fixture, then the rest, so that no
    process is left with a long file at the end.  Within a file the order is kept.
    """

    def rank(item):
        if item.get_closest_marker("slow"):
            return 0
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info else []
        return 1 if any(d.scope in ("module", "class") for seq in defs for d in seq) else 2

    first = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        first[path] = min(first.get(path, 2), rank(item))
    items.sort(key=lambda item: first[item.nodeid.split("::", 1)[0]])  # stable


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
