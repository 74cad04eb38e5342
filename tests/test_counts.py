"""Counting primitives shared by the analyses (toolkit/counts.py)."""

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.counts import doc_word_counts, group_codes, stream_terms, term_counts, unique_rows
from toolkit.tokenize import is_word


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unique_rows_equals_numpy(seed):
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 7, size=(500, 3))
    u, c = unique_rows(rows)
    nu, nc = np.unique(rows, axis=0, return_counts=True)
    assert np.array_equal(u, nu) and np.array_equal(c, nc)


def test_unique_rows_edge_cases():
    u, c = unique_rows(np.zeros((0, 2), dtype=np.int64))
    assert u.shape == (0, 2) and len(c) == 0
    big = np.array([[2**40, 2**40], [0, 1], [2**40, 2**40]])  # keys would overflow: fallback
    u, c = unique_rows(big)
    assert u.tolist() == [[0, 1], [2**40, 2**40]] and c.tolist() == [1, 2]


def test_word_counts_leave_out_punctuation(make):
    c = make(["War, war.", "Peace!", ""])
    assert doc_word_counts(c.index()).tolist() == [2, 1, 0]
    counts, n = term_counts(c)
    assert counts.to_dict() == {"war": 2, "peace": 1} and n == 3
    counts, _ = term_counts(c, lowercase=False)
    assert counts.to_dict() == {"War": 1, "war": 1, "Peace": 1}
    t, terms, word = stream_terms(c.index())
    assert terms[t].tolist() == ["war", ",", "war", ".", "peace", "!"]
    assert word.tolist() == [True, False, True, False, True, False]


def test_group_codes_sort_groups():
    codes, groups = group_codes(pd.DataFrame({"g": ["b", "a", "b", "c"]}), ["g"])
    assert codes.tolist() == [1, 0, 1, 2] and groups["g"].tolist() == ["a", "b", "c"]


def test_word_counts_of_the_commentary_match_the_tokeniser():
    corpus = tk.load_sample("commentary")
    direct = [sum(is_word(tok) for tok in tk.tokenize(text)) for text in corpus.texts()]
    assert doc_word_counts(corpus.index()).tolist() == direct


def test_unique_rows_names_a_wrong_argument():
    with pytest.raises(tk.ParameterError, match="2-D array, not 1-D") as err:
        unique_rows(np.array([1, 2]))
    assert err.value.parameter == "rows"
