import re

import numpy as np
import pandas as pd
import pytest

import toolkit as tk


def make(texts, **meta):
    """A small corpus from texts (and metadata columns)."""
    return tk.from_dataframe(pd.DataFrame({"text": texts, **meta}))


# Cases modelled on quanteda's kwic tests: first and last token, phrases, several
# documents, glob / regex / fixed with and without case.
TEXTS = ["A is one of the first letters.", "The last word is B", "b c B a A"]


def frame(pattern, **kw):
    return tk.kwic(make(TEXTS), pattern, **kw).to_frame()


def test_first_and_last_token_contexts():
    df = frame("a", window=2, case_sensitive=True)
    assert df[["doc_id", "start", "end"]].values.tolist() == [["2", 3, 4]]
    df = frame("A", window=2, case_sensitive=True)
    assert df.values.tolist() == [
        ["0", 0, 1, "", "A", "is one"],
        ["2", 4, 5, "B a", "A", ""],
    ]
    df = frame("b", window=3)
    assert df[["doc_id", "start", "left", "right"]].values.tolist() == [
        ["1", 4, "last word is", ""],
        ["2", 0, "", "c B a"],
        ["2", 2, "b c", "a A"],
    ]


def test_context_never_crosses_documents():
    df = frame("letters", window=10)
    assert df["right"].tolist() == ["."]
    assert frame("the", window=10)["right"].tolist()[1] == "last word is B"


def test_phrase_and_case():
    assert frame("last word")[["doc_id", "start", "end", "keyword"]].values.tolist() == [
        ["1", 1, 3, "last word"]
    ]
    assert frame("THE LAST", case_sensitive=True).empty
    assert len(frame("b a")) == 1  # "B a" in doc 2, not across "B" | next doc


def test_glob_regex_fixed():
    assert frame("l*")["keyword"].tolist() == ["letters", "last"]
    assert frame("?")["keyword"].str.len().eq(1).all()
    # a regular expression is searched within tokens, as in quanteda
    assert frame("t.e", match="regex")["keyword"].tolist() == ["the", "letters", "The"]
    assert frame("^T", match="regex", case_sensitive=True)["keyword"].tolist() == ["The"]
    assert frame("l*", match="fixed").empty
    assert len(frame(["one", "last"])) == 2


def test_invalid_regex_names_the_pattern():
    with pytest.raises(tk.PatternError, match=r"'\(unclosed': invalid regular expression"):
        tk.kwic(make(TEXTS), "(unclosed", match="regex")


def test_possessive_found_by_its_stem():
    c = make(["Russia’s warning and Russia's reply"])
    df = tk.kwic(c, "russia", window=1).to_frame()
    assert df["right"].tolist() == ["’s", "'s"]


def test_subset_is_searched_alone(un):
    prk = un.query("country == 'PRK'")
    df = tk.kwic(prk, "alliance").to_frame()
    assert len(df) > 0 and df["doc_id"].str.startswith("PRK").all()


def test_counts_agree_with_the_raw_text(un):
    """Hits of a word equal a regular-expression count over the raw texts."""
    for word in ["nuclear", "alliance", "Korea"]:
        # a whole token: not inside a word or a hyphenated compound
        rx = re.compile(rf"(?<!\w)(?<!\w[-‐‑]){word}(?!\w)(?![-‐‑]\w)", re.IGNORECASE)
        raw = sum(len(rx.findall(t)) for t in un.texts())
        assert len(tk.kwic(un, word)) == raw


def test_spans_point_into_the_text(un):
    conc = tk.kwic(un, "north korea")
    for r in conc.spans().head(50).itertuples():
        assert un.text(r.doc_id)[r.char_start : r.char_end].lower().split() == ["north", "korea"]


def test_sort_case_insensitive_and_stable():
    c = make(["x Beta. x alpha. x Alpha. x beta."])
    df = tk.kwic(c, "x", window=1).sort("R1").to_frame()
    assert df["right"].tolist() == ["alpha", "Alpha", "Beta", "beta"]
    with pytest.raises(ValueError, match="sort key"):
        tk.kwic(c, "x").sort("R0")


def test_sample_is_reproducible(un):
    conc = tk.kwic(un, "peace")
    a = conc.sample(20, seed=7).to_frame()
    b = conc.sample(20, seed=7).to_frame()
    assert a.equals(b) and len(a) == 20
    assert not a.equals(conc.sample(20, seed=8).to_frame())


def test_metadata_filter_and_counts(un):
    conc = tk.kwic(un, "alliance*")
    df = conc.to_frame(meta=["country", "year"])
    old = conc.filter("year < 1991")
    assert len(old) == (df["year"] < 1991).sum()
    counts = conc.counts(by="country")
    assert counts["count"].sum() == len(conc)
    words = tk.frequencies(un, by="country")
    rus_words = words.query("country == 'RUS'")["count"].sum()
    row = counts.set_index("country").loc["RUS"]
    assert row["words"] == rus_words
    assert row["per_million"] == pytest.approx(row["count"] / rus_words * 1e6)


def test_html_escapes_corpus_text():
    c = make(["<script>alert(1)</script> danger & <b>bold</b>"])
    html = tk.kwic(c, "danger", window=20)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "<mark>danger</mark>" in html


def test_csv_export(tmp_path, un):
    path = tmp_path / "c.csv"
    tk.kwic(un, "sanctions").to_csv(path, meta=["year"])
    back = __import__("pandas").read_csv(path)
    assert list(back.columns) == ["doc_id", "start", "end", "left", "keyword", "right", "year"]


def test_index_cache_reused_and_damage_rebuilt(tmp_path, monkeypatch):
    from toolkit import index as ix

    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    c = make(["cache me if you can"])
    ix._MEMORY.clear()
    v1 = c.index()
    folder = next((tmp_path / "index").iterdir())
    ix._MEMORY.clear()
    v2 = c.index()  # from disk, memory-mapped
    assert isinstance(v2.index.tokens, np.memmap)
    assert np.array_equal(v1.index.tokens, v2.index.tokens)
    with open(folder / "tokens.npy", "r+b") as fh:  # damage it
        fh.seek(-4, 2)
        fh.write(b"\xff\xff\xff\xff")
    ix._MEMORY.clear()
    with pytest.warns(UserWarning, match="rebuilding"):
        v3 = c.index()
    assert np.array_equal(v1.index.tokens, v3.index.tokens)
    changed = make(["cache me if you can!"])
    assert changed.index().index.key != v1.index.key


def test_hyphenated_compounds_are_one_token_and_found_by_regex(un):
    """'nuclear' alone vs. 'nuclear' also inside compounds (what wordpunct_tokenize counts)."""
    raw_words = sum(len(re.findall(r"\bnuclear\b", t, re.IGNORECASE)) for t in un.texts())
    inside = tk.kwic(un, r"(^|[-‐‑])nuclear($|[-‐‑])", match="regex")
    assert len(inside) == raw_words
    assert len(tk.kwic(un, "nuclear")) < raw_words
    assert set(tk.kwic(un, "*-nuclear").to_frame()["keyword"].str.lower()) >= {"non-nuclear"}


def test_window_counts_tokens_and_keeps_original_spacing():
    c = make(["One, two  three\nfour five."])
    df = tk.kwic(c, "three", window=2).to_frame()
    assert df.loc[0, "left"] == ", two"  # punctuation is a token of the window
    assert df.loc[0, "right"] == "four five"  # any white space is shown as one space


def _reference_around(corpus, word, left, right):
    """Clusters and their documents, counted from tk.tokenize on each text (not the index)."""
    from collections import Counter

    from toolkit.tokenize import is_word

    counts, docs = Counter(), {}
    for doc_id, text in zip(corpus.doc_ids, corpus.texts(), strict=True):
        toks = tk.tokenize(text)
        for i, t in enumerate(toks):
            if t.lower() != word:
                continue
            if i - left < 0 or i + right >= len(toks):
                continue
            window = toks[i - left : i + right + 1]
            if not all(is_word(w) for w in window):
                continue
            key = " ".join(w.lower() for w in window)
            counts[key] += 1
            docs.setdefault(key, set()).add(doc_id)
    return counts, docs


@pytest.mark.parametrize(("left", "right"), [(2, 0), (0, 2), (1, 1)])
def test_clusters_equal_counts_from_the_tokenised_texts(un, left, right):
    conc = tk.kwic(un, "nuclear")
    got = conc.clusters(left=left, right=right)
    counts, docs = _reference_around(un, "nuclear", left, right)
    assert dict(zip(got["cluster"], got["count"], strict=True)) == dict(counts)
    assert dict(zip(got["cluster"], got["docs"], strict=True)) == {
        k: len(v) for k, v in docs.items()
    }
    assert got["count"].is_monotonic_decreasing
    assert np.allclose(got["share"], got["count"] / len(conc))
    assert (conc.clusters(left=left, right=right, min_count=5)["count"] >= 5).all()


def test_position_counts_equal_counts_from_the_tokenised_texts(un):
    conc = tk.kwic(un, "nuclear")
    for position, (left, right) in {"R1": (0, 1), "L1": (1, 0)}.items():
        got = conc.position_counts(position)
        counts, _ = _reference_around(un, "nuclear", left, right)
        expected = {}
        for key, n in counts.items():
            word = key.split()[-1] if position == "R1" else key.split()[0]
            expected[word] = expected.get(word, 0) + n
        assert dict(zip(got["term"], got["count"], strict=True)) == expected
    assert conc.position_counts("R1").iloc[0]["term"] == "weapons"
    with pytest.raises(tk.ParameterError, match="position"):
        conc.position_counts("KW")
    with pytest.raises(tk.ParameterError, match="left"):
        conc.clusters(left=-1)


# Two documents; the keyword "nuclear" is found in any case (kwic's default), and the words
# around it differ in case only:
#   0: Nuclear threat and The nuclear Threat .
#   1: the nuclear threat
# Lines: (doc 0, "Nuclear", L1 outside the document, R1 "threat"),
#        (doc 0, "nuclear", L1 "The", R1 "Threat"), (doc 1, "nuclear", L1 "the", R1 "threat").
CASES = ["Nuclear threat and The nuclear Threat.", "the nuclear threat"]


def _rows(table, column):
    return [tuple(r) for r in table[[column, "count", "docs"]].itertuples(index=False)]


def test_clusters_and_position_counts_fold_case_unless_case_sensitive():
    conc = tk.kwic(make(CASES), "nuclear")
    assert len(conc) == 3
    # folded (default): one form per word; share of all 3 lines
    r1 = conc.position_counts("R1")
    assert _rows(r1, "term") == [("threat", 3, 2)]
    assert r1["share"].tolist() == [1.0]
    assert _rows(conc.position_counts("L1"), "term") == [("the", 2, 2)]
    assert _rows(conc.clusters(left=0, right=1), "cluster") == [("nuclear threat", 3, 2)]
    assert _rows(conc.clusters(left=1, right=0), "cluster") == [("the nuclear", 2, 2)]
    # case kept: forms as written, ties in code-point order (upper case first)
    r1 = conc.position_counts("R1", case_sensitive=True)
    assert _rows(r1, "term") == [("threat", 2, 2), ("Threat", 1, 1)]
    assert np.allclose(r1["share"], [2 / 3, 1 / 3])
    assert _rows(conc.position_counts("L1", case_sensitive=True), "term") == [
        ("The", 1, 1),
        ("the", 1, 1),
    ]
    assert _rows(conc.clusters(left=0, right=1, case_sensitive=True), "cluster") == [
        ("Nuclear threat", 1, 1),
        ("nuclear Threat", 1, 1),
        ("nuclear threat", 1, 1),
    ]
    assert _rows(conc.clusters(left=1, right=0, case_sensitive=True), "cluster") == [
        ("The nuclear", 1, 1),
        ("the nuclear", 1, 1),
    ]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [("position_counts", {"position": "R1"}), ("clusters", {"left": 1, "right": 1})],
)
def test_lowercase_is_the_deprecated_opposite_of_case_sensitive(method, kwargs):
    conc = tk.kwic(make(CASES), "nuclear")
    call = getattr(conc, method)
    for lowercase in (True, False):
        message = (
            rf"^Concordance\.{method}: the argument lowercase= is deprecated.*"
            rf"use case_sensitive= instead \(lowercase={lowercase} is "
            rf"case_sensitive={not lowercase}\)"
        )
        with pytest.warns(FutureWarning, match=message):
            old = call(**kwargs, lowercase=lowercase)
        new = call(**kwargs, case_sensitive=not lowercase)
        pd.testing.assert_frame_equal(old, new)
    assert len(call(**kwargs, case_sensitive=True)) > len(call(**kwargs))  # not the same
    with pytest.raises(tk.ParameterError, match="give case_sensitive= only"):
        call(**kwargs, lowercase=True, case_sensitive=False)
    with pytest.raises(tk.ParameterError, match="case_sensitive='yes'"):
        call(**kwargs, case_sensitive="yes")
    with pytest.raises(TypeError):  # keyword-only: a positional True cannot mean the opposite
        call(*kwargs.values(), True)


def test_html_lines_never_wrap_and_fit_their_box():
    """The notebook display: one line per hit, contexts cut at their far end (the words
    next to the keyword stay), the table scrolls inside its own box."""
    c = make(["<b>" + " ".join(f"w{i}" for i in range(60)) + " key " + "tail " * 60])
    out = tk.kwic(c, "key", window=40)._repr_html_()
    assert out.startswith("<div style='overflow-x:auto;max-width:100%'>")
    assert out.count("white-space:nowrap") == 4  # doc_id, left, keyword, right of the line
    left = re.search(r"class='tk-left'[^>]*>(.*?)</td>", out).group(1)
    assert left.endswith("w57 w58 w59") and left.startswith("…") and len(left) == 60
    assert "tk.explore(conc)" in tk.kwic(make(["a " * 60]), "a")._repr_html_()


def test_take_doc_rows_and_positions_at():
    c = make(["no", "peace here", "peace, and peace"])
    conc = tk.kwic(c, "peace", window=1)
    # hits: doc 1 at token 0; doc 2 at tokens 0 and 3
    assert conc.doc_rows.tolist() == [1, 2, 2]
    assert conc.take([2, 0]).to_frame()["doc_id"].tolist() == ["2", "1"]
    assert len(conc.take([])) == 0
    p, inside = conc.positions_at(-1)
    vocab, tokens = conc.view.index.vocab, conc.view.index.tokens
    assert inside.tolist() == [False, False, True]
    assert vocab[tokens[p[inside]]].tolist() == ["and"]
    p, inside = conc.positions_at(1)
    assert inside.tolist() == [True, True, False]
    assert vocab[tokens[p[inside]]].tolist() == ["here", ","]


def test_filter_names_the_expression_at_fault():
    conc = tk.kwic(make(["peace"], year=[1990]), "peace")
    with pytest.raises(tk.ParameterError, match=r"columns: \['year'\]") as err:
        conc.filter("decade > 3")
    assert (err.value.parameter, err.value.value) == ("expr", "decade > 3")


def test_missing_meta_column_names_the_argument():
    conc = tk.kwic(make(["peace"], year=[1990]), "peace")
    with pytest.raises(tk.errors.ColumnError, match="'decade'") as err:
        conc.to_frame(meta=["decade"])
    assert err.value.parameter == "meta" and err.value.valid == ["year"]
    assert isinstance(err.value, KeyError)
