"""quanteda's published kwic test cases (tests/testthat/test-kwic.R), in this toolkit's
conventions: positions are 0-based and ``end`` is exclusive (quanteda: 1-based, inclusive)."""

import pandas as pd

import toolkit as tk


def make(texts, **meta):
    """A small corpus from texts (and metadata columns)."""
    return tk.from_dataframe(pd.DataFrame({"text": texts, **meta}))


LETTERS = " ".join(chr(c) for c in range(ord("A"), ord("Z") + 1))


def lines(texts, pattern, **kw):
    df = tk.kwic(make(texts), pattern, case_sensitive=True, **kw).to_frame()
    return df[["doc_id", "start", "end", "left", "keyword", "right"]].values.tolist()


def test_general():
    assert lines([LETTERS], "D") == [["0", 3, 4, "A B C", "D", "E F G H I"]]
    assert lines([LETTERS], "D", window=2) == [["0", 3, 4, "B C", "D", "E F"]]


def test_first_and_last_token():
    assert lines([LETTERS], "A") == [["0", 0, 1, "", "A", "B C D E F"]]
    assert lines([LETTERS], "Z") == [["0", 25, 26, "U V W X Y", "Z", ""]]


def test_multiple_texts():
    texts = [" ".join(LETTERS.split()[1:]), LETTERS]
    assert lines(texts, "A") == [["1", 0, 1, "", "A", "B C D E F"]]


def test_multiple_matches():
    assert lines([LETTERS + " " + LETTERS], "A") == [
        ["0", 0, 1, "", "A", "B C D E F"],
        ["0", 26, 27, "V W X Y Z", "A", "B C D E F"],
    ]


def test_multiple_matches_one_last():
    assert lines(["what does the fox say fox"], "fox") == [
        ["0", 3, 4, "what does the", "fox", "say fox"],
        ["0", 5, 6, "what does the fox say", "fox", ""],
    ]


SECURITY = ["Security matters. We secured it, securing our security; insecurity remains."]


def keywords(pattern, **kw):
    return set(tk.kwic(make(SECURITY), pattern, window=3, **kw).to_frame()["keyword"])


def test_glob_regex_fixed_with_and_without_case():
    both = {"security", "secured", "securing", "Security"}
    assert keywords("secur*") == both
    assert keywords("secur*", case_sensitive=True) == both - {"Security"}
    assert keywords("^secur", match="regex") == both
    assert keywords("^secur", match="regex", case_sensitive=True) == both - {"Security"}
    assert keywords("security", match="fixed") == {"security", "Security"}
    assert keywords("security", match="fixed", case_sensitive=True) == {"security"}
    # an unanchored regex is searched within tokens, as in quanteda
    assert "insecurity" in keywords("secur", match="regex")


def test_two_token_phrase():
    c = make(["the American people and american people", "American"])
    df = tk.kwic(c, "american people").to_frame()
    assert df[["doc_id", "start", "end", "keyword"]].values.tolist() == [
        ["0", 1, 3, "American people"],
        ["0", 4, 6, "american people"],
    ]
