"""Nothing hangs: context windows have a documented limit checked before any work, wide
windows cost time and memory in proportion to what they show, and pattern matching has a
deadline."""

import time
import tracemalloc

import numpy as np
import pytest

import toolkit as tk
from toolkit.collocations import _cooccurrences, _word_stream
from toolkit.kwic import Concordance


@pytest.fixture
def no_index(make, monkeypatch):
    """A corpus whose index must not be built: errors are raised before any work."""
    c = make(["peace and security, peace."])

    def refuse(*args, **kwargs):
        raise AssertionError("the index was built although the arguments are invalid")

    monkeypatch.setattr(type(c), "index", refuse)
    return c


# ------------------------------------------------------------------------------ windows
def test_window_above_the_limit_is_refused_before_any_work(no_index):
    with pytest.raises(tk.LimitError, match="max_window") as info:
        tk.kwic(no_index, "peace", window=10**9)
    assert info.value.option == "max_window" and "1,000" in str(info.value)
    for window in [10**8, (5, 10**8), (10**8, 5), [1001, 0]]:
        with pytest.raises(tk.LimitError, match="max_window") as info:
            tk.collocates(no_index, "peace", window=window)
        assert info.value.option == "max_window"


@pytest.mark.parametrize("window", [-1, 2.5, "5", True, None, 5.0])
def test_invalid_windows_are_parameter_errors(no_index, window):
    with pytest.raises(tk.ParameterError, match="window") as info:
        tk.kwic(no_index, "peace", window=window)
    assert info.value.parameter == "window"
    with pytest.raises(tk.ParameterError, match="window"):
        tk.collocates(no_index, "peace", window=window)


@pytest.mark.parametrize("window", [(-1, 5), (5, -1), (0, 0), 0, (1, 2, 3), (1.5, 2), "55"])
def test_invalid_collocate_windows(no_index, window):
    with pytest.raises(tk.ParameterError, match="window"):
        tk.collocates(no_index, "peace", window=window)


def test_the_limit_is_an_option(make):
    c = make(["peace and security, peace."])
    with tk.set_options(max_window=2000):
        assert tk.kwic(c, "peace", window=1500).window == 1500
        assert len(tk.collocates(c, "peace", window=(0, 1500), min_count=1)) > 0
    with pytest.raises(tk.LimitError):
        tk.kwic(c, "peace", window=1500)
    assert tk.kwic(c, "peace", window=np.int64(3)).window == 3


def test_concordance_methods_check_their_windows(make):
    c = make(["a war. the peace. a peace."])
    conc = tk.kwic(c, "peace", window=1)
    with pytest.raises(tk.LimitError, match="max_window"):
        Concordance(conc.corpus, conc.view, conc.starts, conc.ends, conc.which, "peace", 10**9)
    with pytest.raises(tk.LimitError, match="max_window"):
        conc.sort("R1001")
    with pytest.raises(tk.ParameterError, match="sort key"):
        conc.sort("L" + "9" * 5000)  # a number too long to convert is not a hang either
    assert conc.sort("R1000").to_frame()["right"].tolist() == ["."] * 2
    for n in [-1, 2.5, "3"]:
        with pytest.raises(tk.ParameterError, match="n must"):
            conc.sample(n)


def test_wide_contexts_agree_with_narrow_construction(un):
    conc = tk.kwic(un, "alliance*", window=30)
    for side in ("left", "right"):
        by_line = conc._side(side, narrow=0)
        by_column = conc._side(side, narrow=10**9)
        assert by_line.tolist() == by_column.tolist()
    empty = tk.kwic(un, "alliance*", window=0).to_frame()
    assert (empty["left"] == "").all() and (empty["right"] == "").all()


def test_wide_contexts_are_built_in_proportion_to_their_size(un):
    conc = tk.kwic(un, "sanctions", window=1000)
    t0 = time.perf_counter()
    df = conc.to_frame()
    assert time.perf_counter() - t0 < 60
    idx = conc.view.index
    doc_end = idx.doc_offsets[conc._doc + 1]
    tokens_right = np.minimum(conc.ends + 1000, doc_end) - conc.ends
    spaces = df["right"].str.count(" ")
    assert (spaces < tokens_right).all() and (tokens_right.max() == 1000)
    text = repr(conc)
    assert text.startswith("<Concordance of 'sanctions'") and "window 1000" in text


def test_collocate_counting_methods_agree(un):
    view = un.index()
    idx = view.index
    words, doc_word_offsets, before, tok_offsets = _word_stream(view)
    starts, ends, _ = tk.patterns.find(view, ["the", "nuclear", "north korea"])
    doc_local = view.local[idx.doc_of(starts)]
    local_start = starts - idx.doc_offsets[view.docs[doc_local]] + tok_offsets[doc_local]
    ws, we = before[local_start], before[ends - starts + local_start]
    d0, d1 = doc_word_offsets[doc_local], doc_word_offsets[doc_local + 1]
    n_terms = len(idx.lower_vocab)
    for left, right in [(5, 5), (0, 3), (7, 0), (40, 2)]:
        a = _cooccurrences(words, ws, we, d0, d1, left, right, n_terms, method="positions")
        b = _cooccurrences(words, ws, we, d0, d1, left, right, n_terms, method="coverage")
        assert np.array_equal(a, b), (left, right)


def test_widest_collocate_window_of_a_frequent_word_stays_small(un):
    un.index()
    tracemalloc.start()
    try:
        col = tk.collocates(un, "the", window=(1000, 1000), min_count=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert col.attrs["span"] == 2000 and len(col) > 1000
    # counted window position by window position, this needs hits × 2000 × 8 bytes (GBs)
    assert peak < 400 * 2**20, peak / 2**20


# ------------------------------------------------------------------------------ patterns
def test_a_glob_with_many_stars_is_linear_in_the_token(make):
    c = make(["a" * 20_000 + " b"])
    t0 = time.perf_counter()
    assert len(tk.kwic(c, "*a*a*a*a*a*b")) == 0
    assert len(tk.kwic(c, "*a*a*a*a*a*")) == 1
    assert len(tk.kwic(c, "a**********a")) == 1
    assert time.perf_counter() - t0 < 5


def test_a_catastrophic_regex_hits_the_deadline(make):
    c = make(["a" * 40 + "b peace"])
    with tk.set_options(pattern_timeout=0.3):
        t0 = time.perf_counter()
        with pytest.raises(tk.PatternError, match="pattern_timeout") as info:
            tk.kwic(c, r"(a|aa)+$", match="regex")
        assert time.perf_counter() - t0 < 5
    assert info.value.pattern == "(a|aa)+$" and "'(a|aa)+$'" in str(info.value)
    assert isinstance(info.value, ValueError)
    with tk.set_options(pattern_timeout=0.3):  # the classic example: a result or the error
        t0 = time.perf_counter()
        try:
            tk.kwic(c, r"(a+)+$", match="regex")
        except tk.PatternError as err:
            assert "pattern_timeout" in str(err)
        assert time.perf_counter() - t0 < 5


def test_the_deadline_is_for_the_whole_vocabulary(make):
    """Each type alone is quick, together they exceed the limit."""
    c = make([" ".join("a" * 21 + "b" * k for k in range(1, 80))])
    with tk.set_options(pattern_timeout=0.3):
        t0 = time.perf_counter()
        with pytest.raises(tk.PatternError, match="pattern_timeout"):
            tk.kwic(c, r"(a|aa)+$", match="regex")
        assert time.perf_counter() - t0 < 5
    with pytest.raises(tk.PatternError, match="pattern_timeout") as info:
        with tk.set_options(pattern_timeout=0.3):
            tk.collocates(c, "bb (a|aa)+$", match="regex")
    assert info.value.pattern == "bb (a|aa)+$"


def test_globs_and_regexes_have_the_deadline_too(make, monkeypatch):
    """A deadline already passed stops a glob and a regular expression alike."""
    from toolkit import patterns

    idx = make(["peace peacekeeping"]).index().index
    for pattern, match in [("peace*", "glob"), ("^peace", "regex")]:
        with pytest.raises(tk.PatternError, match="pattern_timeout"):
            patterns.match_types(idx, pattern, match, deadline=time.monotonic() - 1)
    # fixed patterns are a dictionary look-up: no deadline needed
    assert len(patterns.match_types(idx, "peace", deadline=time.monotonic() - 1)) == 1


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, 0])
def test_limits_must_be_positive_and_finite(value):
    with pytest.raises(tk.ParameterError, match="pattern_timeout"):
        tk.set_options(pattern_timeout=value)
    assert tk.get_option("pattern_timeout") == 5.0


@pytest.mark.parametrize(
    "pattern, match",
    [("a{10000000}", "regex"), ("x{1,99999999}", "regex"), ('[word="a{10000000}"]', "cqp")],
)
def test_huge_repetition_counts_are_refused_before_compiling(make, pattern, match):
    c = make(["a aa aaa"])
    with pytest.raises(tk.PatternError, match="repetition count"):
        tk.kwic(c, pattern, match=match)
