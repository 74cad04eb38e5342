"""tests/test_options.py mirrors toolkit/options.py: the global options, set for a session or
for a ``with`` block, and the values they refuse."""

import math
import os
import subprocess
import sys

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import LimitError, ParameterError

# The options and their defaults as toolkit/options.py documents them (its module docstring).
DOCUMENTED_DEFAULTS = {
    "max_window": 1_000,
    "pattern_timeout": 5.0,
    "max_document_chars": 128_000_000,
    "max_file_bytes": 128 * 1024 * 1024,  # 128 MiB
    "max_archive_bytes": 8 * 1024 * 1024 * 1024,  # 8 GiB
    "max_archive_ratio": 200,
    "max_open_shards": 8,
}
NAMES = sorted([*DOCUMENTED_DEFAULTS, "progress"])


@pytest.fixture(autouse=True)
def _restore_options():
    """Every test leaves the options as it found them, whatever it set."""
    before = {name: tk.get_option(name) for name in NAMES}
    yield
    tk.set_options(**before)


@pytest.mark.parametrize("name", sorted(DOCUMENTED_DEFAULTS))
def test_the_defaults_are_the_documented_ones(name):
    assert tk.get_option(name) == DOCUMENTED_DEFAULTS[name]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_window", 7),
        ("pattern_timeout", 0.25),
        ("pattern_timeout", 2),  # a whole number of seconds is a number of seconds
        ("max_document_chars", 10),
        ("max_file_bytes", 1024),
        ("max_archive_bytes", 4096),
        ("max_archive_ratio", 3.5),
        ("max_open_shards", 1),
        ("progress", True),
        ("progress", False),
        ("progress", None),
    ],
)
def test_set_then_get_gives_the_value_back(name, value):
    tk.set_options(**{name: value})
    assert tk.get_option(name) == value
    assert type(tk.get_option(name)) is type(value)


def test_set_options_without_with_lasts_for_the_session():
    tk.set_options(max_window=12)
    assert tk.get_option("max_window") == 12
    tk.set_options(max_window=13)
    assert tk.get_option("max_window") == 13


def test_several_options_at_once():
    tk.set_options(max_window=3, max_open_shards=2, progress=False)
    assert [tk.get_option(n) for n in ("max_window", "max_open_shards", "progress")] == [
        3,
        2,
        False,
    ]


def test_a_with_block_restores_the_values_before_it():
    tk.set_options(max_window=40)
    with tk.set_options(max_window=50, pattern_timeout=1.5):
        assert tk.get_option("max_window") == 50
        assert tk.get_option("pattern_timeout") == 1.5
    assert tk.get_option("max_window") == 40
    assert tk.get_option("pattern_timeout") == 5.0


def test_a_with_block_restores_them_after_an_error_too():
    with pytest.raises(RuntimeError), tk.set_options(max_window=60):
        raise RuntimeError("stop")
    assert tk.get_option("max_window") == 1_000


def test_nested_with_blocks_restore_in_turn():
    with tk.set_options(max_window=10):
        with tk.set_options(max_window=20):
            assert tk.get_option("max_window") == 20
        assert tk.get_option("max_window") == 10
    assert tk.get_option("max_window") == 1_000


def test_the_limit_set_is_the_limit_applied():
    """A window above the option raises LimitError naming the option; raising the option
    allows it."""
    c = tk.from_dataframe(pd.DataFrame({"text": ["a b c d e f"]}))
    with tk.set_options(max_window=2), pytest.raises(LimitError) as err:
        tk.kwic(c, "c", window=3)
    assert err.value.option == "max_window"
    with tk.set_options(max_window=3):
        line = tk.kwic(c, "c", window=3).to_frame().iloc[0]
    assert (line["left"], line["right"]) == ("a b", "d e f")


def test_an_unknown_option_is_refused_with_the_choices():
    with pytest.raises(ParameterError) as err:
        tk.set_options(max_windows=10)
    assert err.value.parameter == "max_windows"
    assert err.value.valid == NAMES
    assert "max_windows" in str(err.value) and "'max_window'" in str(err.value)


def test_get_option_of_an_unknown_name_is_refused_with_the_choices():
    with pytest.raises(ParameterError) as err:
        tk.get_option("colour")
    assert err.value.parameter == "name"
    assert err.value.value == "colour"
    assert err.value.valid == NAMES


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_window", "10"),  # text, not a number
        ("max_window", 2.5),  # not a whole number
        ("max_window", True),  # a bool is not a count
        ("max_window", 0),
        ("max_window", -5),
        ("pattern_timeout", 0.0),
        ("pattern_timeout", math.inf),
        ("pattern_timeout", math.nan),
        ("max_archive_ratio", -1.0),
        ("max_open_shards", None),
        ("progress", "yes"),
        ("progress", 1),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(name, value):
    before = tk.get_option(name)
    with pytest.raises(ParameterError) as err:
        tk.set_options(**{name: value})
    assert err.value.parameter == name
    assert name in str(err.value)
    assert tk.get_option(name) == before


def test_a_refused_call_sets_none_of_its_options():
    with pytest.raises(ParameterError):
        tk.set_options(max_window=5, max_open_shards=0)
    assert tk.get_option("max_window") == 1_000
    assert tk.get_option("max_open_shards") == 8


@pytest.mark.parametrize(("setting", "expected"), [("off", False), ("1", True)])
def test_the_environment_sets_the_default_of_progress(setting, expected):
    code = "import toolkit as tk; print(tk.get_option('progress'))"
    env = {**os.environ, "TOOLKIT_PROGRESS": setting}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(expected)
