"""Tables and figures shown with captions and published whole (toolkit/publish.py)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import toolkit as tk  # noqa: E402


def test_round_table_rounds_for_reading_only():
    t = pd.DataFrame({"term": ["a", "b"], "ll": [12.345678, 2034.56], "p": [1e-12, 0.5]})
    r = tk.round_table(t)
    assert r["ll"].tolist() == [12.346, 2035.0]
    assert r["p"].tolist() == [1e-12, 0.5]  # tiny values are not rounded to zero
    assert t["ll"].iloc[0] == 12.345678  # the table itself is unchanged


def test_show_table_writes_the_whole_table(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_REPORT_TABLES", str(tmp_path))
    t = pd.DataFrame({"term": [f"w{i}" for i in range(40)], "ll": [i / 3 for i in range(40)]})
    tk.show_table(t, "keyness-A-vs-B", "Keywords of A against B.", rows=5)
    back = pd.read_csv(tmp_path / "keyness-A-vs-B.csv")
    assert len(back) == 40
    assert back["ll"].iloc[1] == pytest.approx(1 / 3, abs=1e-12)  # full precision


def test_show_table_refuses_bad_names():
    t = pd.DataFrame({"a": [1]})
    for bad in ["", "../x", "a/b", "with space", 3]:
        with pytest.raises(tk.ParameterError):
            tk.show_table(t, bad, "caption")
    with pytest.raises(tk.ParameterError):
        tk.show_table(t, "ok", "caption", rows=0)


def test_show_table_escapes_html(monkeypatch):
    shown = []
    monkeypatch.setattr("toolkit.publish._display", lambda data, meta: shown.append((data, meta)))
    tk.show_table(
        pd.DataFrame({"text": ["<script>alert(1)</script> & more"]}), "t", "A <b> caption"
    )
    html = shown[0][0]["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A &lt;b&gt; caption" in html
    assert shown[0][1]["toolkit"] == {
        "kind": "table",
        "name": "t",
        "caption": "A <b> caption",
        "rows": 1,
    }


def test_show_figure_writes_png(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_REPORT_FIGURES", str(tmp_path))
    shown = []
    monkeypatch.setattr("toolkit.publish._display", lambda data, meta: shown.append((data, meta)))
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    tk.show_figure(ax, "trend", "A trend.")
    assert (tmp_path / "trend.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shown[0][1]["toolkit"]["caption"] == "A trend."
    assert not plt.fignum_exists(fig.number)  # closed: not shown a second time
    with pytest.raises(tk.ParameterError):
        tk.show_figure("not a figure", "x", "y")


def test_cells_with_carriage_returns_stay_one_record(tmp_path, monkeypatch):
    import csv

    monkeypatch.setenv("TOOLKIT_REPORT_TABLES", str(tmp_path))
    t = pd.DataFrame({"line": ["page\r12 of the text", "a\r\nb", "plain"], "n": [1, 2, 3]})
    tk.show_table(t, "lines", "Lines.")
    with open(tmp_path / "lines.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["line"] for r in rows] == t["line"].tolist()
