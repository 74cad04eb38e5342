import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.index import build_index
from toolkit.tokenize import tokenize_spans


def test_penn_treebank_clitics_split_both_apostrophes():
    assert tk.tokenize("Russia's") == ["Russia", "'s"]
    assert tk.tokenize("Russia’s") == ["Russia", "’s"]
    assert tk.tokenize("don't won't") == ["do", "n't", "wo", "n't"]
    assert tk.tokenize("we'll they’re") == ["we", "'ll", "they", "’re"]


def test_hyphenated_compounds_numbers_and_initialisms_stay_whole():
    assert tk.tokenize("co-operation in 1,000.5 U.S. cases") == [
        "co-operation",
        "in",
        "1,000.5",
        "U.S.",
        "cases",
    ]


def test_punctuation_is_separate():
    assert tk.tokenize("(peace), war!") == ["(", "peace", ")", ",", "war", "!"]
    assert tk.tokenize("wait... what") == ["wait", "...", "what"]


def test_spans_map_back_to_text():
    text = "Kim’s “warning” — U.S. co-operation..."
    toks, starts, space = tokenize_spans(text)
    for t, s in zip(toks, starts, strict=True):
        assert text[s : s + len(t)] == t


_alphabet = st.sampled_from(list("ab’'.,-n t\n\u00a0U.S.1:_é—…()"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_alphabet, max_size=40), min_size=1, max_size=4))
def test_index_tokenisation_equals_the_reference_tokenizer(texts):
    """The index's fast two-stage tokeniser gives exactly tokenize()'s tokens and spans."""
    idx = build_index(texts, progress=False)
    for d, text in enumerate(texts):
        s, e = idx.doc_offsets[d], idx.doc_offsets[d + 1]
        toks, starts, space = tokenize_spans(text)
        assert idx.vocab[idx.tokens[s:e]].tolist() == toks
        assert idx.char_start[s:e].tolist() == starts.tolist()
        assert idx.space[s:e].tolist() == space.tolist()


def test_reverse_index_lists_every_position_of_each_type():
    idx = build_index(["a b a c", "b a"], progress=False)
    for t in range(len(idx.vocab)):
        expected = np.flatnonzero(idx.tokens == t)
        assert idx.positions(np.array([t])).tolist() == expected.tolist()
