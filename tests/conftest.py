import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

# Every test run gets its own cache (a developer's own TOOLKIT_CACHE never leaks in).
os.environ["TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="toolkit-cache-")

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # this process only: kernels started by tests keep their inline backend

import toolkit as tk  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"


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
