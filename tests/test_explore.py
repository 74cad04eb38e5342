"""tk.explore: the interactive table's HTML holds every line, the right words at each position,
escaped text, the right paragraph, and nothing fetched from the internet."""

import html
import json
import re

import numpy as np
import pandas as pd
import pytest

import toolkit as tk

_DATA = re.compile(r"<script type='application/json' id='[^']+'>(.*?)</script>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def table(ex):
    """Column titles and rows of the interactive table, as the page receives them."""
    out = ex.to_html()
    args = json.loads(_DATA.search(out).group(1))
    titles = [
        html.unescape(_TAG.sub("", t))
        for t in re.findall(r"<th[^>]*>(.*?)</th>", args["table_html"])
    ]
    return titles, json.loads(args["data_json"]), args


def text(cell):
    """What a reader sees in a cell: tags removed, entities decoded."""
    if isinstance(cell, list):
        cell = cell[0]
    return html.unescape(_TAG.sub("", str(cell)))


def reference_hits(corpus, word):
    """(doc_id, tokens, i) of every token equal to ``word`` (case-insensitively), from
    tk.tokenize on each text, in corpus order."""
    hits = []
    for doc_id, t in zip(corpus.doc_ids, corpus.texts(), strict=True):
        toks = tk.tokenize(t)
        hits += [(doc_id, toks, i) for i, w in enumerate(toks) if w.lower() == word]
    return hits


def test_every_line_and_the_words_at_each_position(un):
    conc = tk.kwic(un, "nuclear", window=5)
    titles, rows, _ = table(tk.explore(conc, limit=None, bundle=False))
    hits = reference_hits(un, "nuclear")
    assert len(rows) == len(hits) == len(conc)
    col = {t: i for i, t in enumerate(titles)}
    assert [t for t in titles if re.fullmatch(r"[LR]\d", t)] == [
        "L5", "L4", "L3", "L2", "L1", "R1", "R2", "R3", "R4", "R5"
    ]  # fmt: skip
    for row, (doc_id, toks, i) in zip(rows, hits, strict=True):
        assert text(row[col["doc_id"]]) == doc_id
        assert text(row[col["keyword"]]) == toks[i]
        for k in range(1, 6):
            left = toks[i - k] if i - k >= 0 else ""
            right = toks[i + k] if i + k < len(toks) else ""
            assert text(row[col[f"L{k}"]]) == left
            assert text(row[col[f"R{k}"]]) == right
    # metadata columns are there, with the document's values
    year = un.meta["year"]
    assert [row[col["year"]] for row in rows[:20]] == [int(year[d]) for d, _, _ in hits[:20]]


def test_positions_sort_as_concordance_sort(make, un):
    """The sort value of R1 orders lines as sorting their R1 words case-insensitively, with
    lines that have no word there first."""
    c = make(["x Beta. x alpha. x Alpha. x beta. x", "x, x"])
    titles, rows, args = table(tk.explore(tk.kwic(c, "x", window=1), bundle=False))
    r1 = titles.index("R1")
    words = [row[r1][0] for row in rows]
    order = sorted(range(len(rows)), key=lambda i: (rows[i][r1][1], i))
    assert [words[i] for i in order] == sorted(words, key=lambda w: (w.lower() != "", w.lower()))
    # the right context's header sorts by R1 (then R2…), the left's by L1…
    defs = {d["targets"]: d for d in args["columnDefs"]}
    assert defs[titles.index("right")]["orderData"] == [r1]
    assert defs[titles.index("left")]["orderData"] == [titles.index("L1")]
    assert args["order"] == []  # shown in the concordance's own order at first


def test_corpus_text_is_escaped_everywhere(make):
    evil = "<script>alert(1)</script>"
    c = make(
        [f"{evil} danger & more <b>bold</b>\nNext {evil} line"],
        source=[f"{evil} & co"],
    )
    ex = tk.explore(tk.kwic(c, "danger", window=20), bundle=False)
    out = ex.to_html()
    assert evil not in out and "<b>bold" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out  # the static table
    titles, rows, _ = table(ex)
    cells = [c for row in rows for c in row]
    raw = [c[0] if isinstance(c, list) else str(c) for c in cells]
    assert not any("<script" in c or "<b>" in c for c in raw)
    assert any("&lt;script&gt;" in c and "&amp;" in c for c in raw)
    assert text(rows[0][titles.index("source")]) == f"{evil} & co"
    paragraph = rows[0][-1]
    assert "<mark class='tk-hit'>danger</mark>" in paragraph
    assert text(paragraph).endswith(f"{evil} danger & more <b>bold</b>")
    # a table: column names and cells
    frame = pd.DataFrame({evil: [evil], "n & m": [1.5]})
    titles, rows, _ = table(tk.explore(frame, bundle=False))
    assert titles == [evil, "n & m"]
    assert rows[0][0] == html.escape(evil)
    assert evil not in tk.explore(frame, bundle=False).to_html()


def test_nothing_is_fetched_from_the_internet(make):
    c = make(["peace and war"])
    for ex in (
        tk.explore(tk.kwic(c, "peace")),
        tk.explore(pd.DataFrame({"a": [1.0]})),
    ):
        out = ex.to_html()
        assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", out)
        assert "<link" not in out and " src=" not in out
        # the DataTables library of itables travels inside the output
        assert "URL.createObjectURL" in out and len(out) > 500_000
    out = tk.explore(tk.kwic(c, "peace"), bundle=False).to_html()
    assert "createObjectURL" not in out and len(out) < 20_000


def test_the_paragraph_of_a_line(make):
    lines = ["Alpha speaks of peace first.", "Beta talks of war.", "Gamma: peace & peace again."]
    wrapped = "A wrapped\nline about peace.\n\nNext paragraph, no keyword."
    c = make(["\n".join(lines), wrapped])
    ex = tk.explore(tk.kwic(c, "peace", window=2), bundle=False)
    _, rows, _ = table(ex)
    expected = [lines[0], lines[2], lines[2], "A wrapped line about peace."]
    shown = [" ".join(text(row[-1]).split(":", 1)[1].split()) for row in rows]
    assert shown == expected
    # the hit, not another occurrence of the word, is the one highlighted
    marked = [re.sub(r"<mark class='tk-hit'>(.*?)</mark>", r"[\1]", row[-1]) for row in rows]
    assert "Gamma: [peace] &amp; peace again." in marked[1]
    assert "Gamma: peace &amp; [peace] again." in marked[2]
    assert ex.frame["paragraph"].tolist()[0] == lines[0]


def test_a_long_paragraph_is_cut_around_the_hit(make):
    words = [f"w{i}" for i in range(2000)]
    words[1000] = "peace"
    c = make([" ".join(words)])
    _, rows, _ = table(tk.explore(tk.kwic(c, "peace"), paragraph_chars=200, bundle=False))
    shown = text(rows[0][-1]).split(":", 1)[1].strip()
    assert shown.startswith("…") and shown.endswith("…")
    assert "w999 peace w1001" in shown
    assert len(shown) <= 200 + 4


def test_limit_says_first_n_of_m(un):
    conc = tk.kwic(un, "nuclear")
    ex = tk.explore(conc, limit=10, bundle=False)
    _, rows, _ = table(ex)
    assert len(rows) == 10 and ex.shown == 10 and ex.total == len(conc)
    assert ex.title == f"'nuclear': first 10 of {len(conc):,} lines, window 5"
    assert f"first 10 of {len(conc):,} lines" in ex.to_html()


def test_contexts_are_cut_at_their_far_end_for_display(make):
    c = make(["one two three four five six seven eight nine ten KEY eleven twelve thirteen"])
    ex = tk.explore(tk.kwic(c, "key", window=10), chars=12, bundle=False)
    titles, rows, _ = table(ex)
    assert text(rows[0][titles.index("left")]) == "…ht nine ten"  # 12 characters
    assert text(rows[0][titles.index("right")]) == "eleven twel…"
    # the frame keeps the whole contexts
    assert ex.frame["left"].iloc[0] == "one two three four five six seven eight nine ten"


def test_tables_keep_every_row_and_round_for_reading(un):
    k = tk.keyness(un, by="country", target="RUS", reference="USA")
    titles, rows, args = table(tk.explore(k, bundle=False))
    assert len(rows) == len(k) > 5_000  # no down-sampling
    assert titles == list(k.columns)
    ll = titles.index("ll")
    for row, value in zip(rows[:50], k["ll"].head(50), strict=True):
        display, exact = row[ll]
        assert exact == value
        assert display == f"{value:,.3f}"
    render = [d for d in args["columnDefs"] if "render" in d]
    assert {d["targets"] for d in render} == {
        i for i, c in enumerate(k.columns) if k[c].dtype.kind == "f"
    }
    small = pd.DataFrame({"term": ["a", "b", "c"], "p": [1e-12, 0.25, np.nan]})
    _, rows, _ = table(tk.explore(small, bundle=False))
    assert [r[1][0] for r in rows] == ["1.00e-12", "0.250", ""]
    assert rows[0][1][1] == 1e-12 and rows[2][1][1] is None


def test_arguments_are_checked(un):
    conc = tk.kwic(un, "alliance")
    with pytest.raises(tk.ParameterError, match=r"'decade'.*valid values: 'country'"):
        tk.explore(conc, columns=["country", "decade"])
    with pytest.raises(tk.ParameterError, match="'nope'"):
        tk.explore(pd.DataFrame({"a": [1]}), columns="nope")
    for bad in (0, -5, 2.5, "10", True):
        with pytest.raises(tk.ParameterError, match="limit"):
            tk.explore(conc, limit=bad)
    with pytest.raises(tk.ParameterError, match="positions"):
        tk.explore(conc, positions=6)
    with pytest.raises(tk.ParameterError, match="page_length"):
        tk.explore(conc, page_length=0)
    with pytest.raises(tk.ParameterError, match="Concordance or a DataFrame"):
        tk.explore([1, 2, 3])
    assert tk.explore(conc, columns="year", bundle=False).frame.columns[4] == "year"


def test_one_line_and_empty_results(make):
    c = make(["peace and war"])
    ex = tk.explore(tk.kwic(c, "peace", window=1), bundle=False)
    assert ex.title == "'peace': 1 line, window 1"
    empty = tk.explore(tk.kwic(c, "absent"), bundle=False)
    _, rows, _ = table(empty)
    assert rows == [] and empty.title == "'absent': 0 lines, window 5"
    _, rows, _ = table(tk.explore(pd.DataFrame({"a": []}), bundle=False))
    assert rows == []


def test_concordance_html_never_wraps_and_scrolls_in_its_own_box(make):
    long = " ".join(f"word{i}" for i in range(40))
    c = make([f"{long} KEY {long}"])
    conc = tk.kwic(c, "key", window=30)
    out = conc._repr_html_()
    assert out.startswith("<div style='overflow-x:auto;max-width:100%'>")
    cells = re.findall(r"<td [^>]*style='([^']*)'", out)
    assert cells and all("white-space:nowrap" in s for s in cells)
    left = re.search(r"<td class='tk-left'[^>]*>(.*?)</td>", out).group(1)
    right = re.search(r"<td class='tk-right'[^>]*>(.*?)</td>", out).group(1)
    assert left.startswith("…") and left.endswith("word38 word39") and len(left) == 60
    assert right.endswith("…") and right.startswith("word0 word1") and len(right) == 60
    # the data keep the whole contexts
    frame = conc.to_frame()
    assert frame["left"].iloc[0] == " ".join(f"word{i}" for i in range(10, 40))
