import numpy as np
import pandas as pd
import pytest
from conftest import make

import toolkit as tk


def test_frequencies_hand_counts():
    c = make(["The war, the WAR.", "Peace and war"], year=[1990, 1991])
    f = tk.frequencies(c).set_index("term")
    assert f.loc["war", "count"] == 3 and f.loc["the", "count"] == 2
    assert f.loc["war", "docs"] == 2
    assert f.loc["war", "per_million"] == pytest.approx(3 / 7 * 1e6)  # 7 word tokens
    assert "," not in f.index
    cs = tk.frequencies(c, lowercase=False).set_index("term")
    assert cs.loc["war", "count"] == 2 and cs.loc["WAR", "count"] == 1
    g = tk.frequencies(c, by="year", stopwords=["the", "and"])
    assert g.query("year == 1990")[["term", "count"]].values.tolist() == [["war", 2]]
    assert g.query("year == 1991")["per_million"].tolist() == [pytest.approx(1 / 3 * 1e6)] * 2


def test_min_count_and_punct():
    c = make(["a a b ."])
    assert tk.frequencies(c, min_count=2)["term"].tolist() == ["a"]
    assert "." in tk.frequencies(c, punct=True)["term"].tolist()


def test_ngrams_do_not_cross_documents_or_punctuation():
    c = make(["security council. Security Council", "council security"])
    g = tk.ngrams(c, n=2, min_count=1).set_index("ngram")["count"]
    assert g.to_dict() == {"security council": 2, "council security": 1}
    cl = tk.ngrams(c, n=2, pattern="council", position="left", min_count=1)
    assert cl["ngram"].tolist() == ["council security"]


def test_stopword_lists_bundled():
    assert "the" in tk.stopwords() and "world" not in tk.stopwords()
    assert "und" in tk.stopwords("german")
    with pytest.raises(ValueError, match="klingon"):
        tk.stopwords("klingon")


def test_dispersion_against_hand_computation():
    # sizes 4, 2, 2 word tokens; 'war' hits 2, 0, 1
    c = make(["war a war b", "c d", "war e"])
    d = tk.dispersion(c, "war").iloc[0]
    v = np.array([2, 0, 1.0])
    s = np.array([4, 2, 2]) / 8
    dp = 0.5 * (abs(2 / 3 - 0.5) + abs(0 - 0.25) + abs(1 / 3 - 0.25))
    assert d["dp"] == pytest.approx(dp)
    assert d["dp_norm"] == pytest.approx(dp / (1 - 0.25))
    p = v / np.array([4, 2, 2])
    sd = np.sqrt(((p - p.mean()) ** 2).mean())
    assert d["juilland_d"] == pytest.approx(1 - sd / p.mean() / np.sqrt(2))
    assert d["range"] == 2
    assert s.sum() == 1


def test_view_positions_follow_the_token_stream_of_any_subset():
    import numpy as np

    from toolkit.frequency import view_positions

    c = tk.from_dataframe(
        pd.DataFrame({"text": ["a b", "", "c d e", "f", "", "g h"], "k": [0, 1, 1, 0, 1, 1]})
    )
    for sub in (c, c.query("k == 1"), c.select(["5", "0", "2"]), c.query("k == 2")):
        view = sub.index()
        naive = [p for s, e in zip(view.starts, view.ends, strict=True) for p in range(s, e)]
        assert view_positions(view).tolist() == naive
        assert np.array_equal(view.index.tokens[view_positions(view)], view.token_stream())
