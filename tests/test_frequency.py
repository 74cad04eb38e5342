import numpy as np
import pandas as pd
import pytest

import toolkit as tk


def test_frequencies_hand_counts(make):
    c = make(["The war, the WAR.", "Peace and war"], year=[1990, 1991])
    f = tk.frequencies(c).set_index("term")
    assert f.loc["war", "count"] == 3 and f.loc["the", "count"] == 2
    assert f.loc["war", "docs"] == 2
    assert f.loc["war", "per_million"] == pytest.approx(3 / 7 * 1e6)  # 7 word tokens
    assert "," not in f.index
    cs = tk.frequencies(c, case_sensitive=True).set_index("term")
    assert cs.loc["war", "count"] == 2 and cs.loc["WAR", "count"] == 1
    g = tk.frequencies(c, by="year", stopwords=["the", "and"])
    assert g.query("year == 1990")[["term", "count"]].values.tolist() == [["war", 2]]
    assert g.query("year == 1991")["per_million"].tolist() == [pytest.approx(1 / 3 * 1e6)] * 2


def test_min_count_and_punct(make):
    c = make(["a a b ."])
    assert tk.frequencies(c, min_count=2)["term"].tolist() == ["a"]
    assert "." in tk.frequencies(c, punct=True)["term"].tolist()


def test_ngrams_do_not_cross_documents_or_punctuation(make):
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


def test_dispersion_against_hand_computation(make):
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
    assert s.sum() == 1


def test_dispersion_counts_are_whole_numbers_named_as_in_every_table(make):
    # 'war': 2 + 0 + 1 = 3 hits in 2 of the 3 documents; 'peace': none
    c = make(["war a war b", "c d", "war e"])
    d = tk.dispersion(c, ["war", "peace"])
    assert d.columns.tolist() == ["pattern", "count", "docs", "dp", "dp_norm", "juilland_d"]
    assert "range" not in d.columns  # documents with a hit are 'docs', as in frequencies
    assert d["count"].dtype == np.int64 and d["docs"].dtype == np.int64
    assert d[["count", "docs"]].values.tolist() == [[3, 2], [0, 0]]
    # the same meaning as frequencies' docs: documents in which the word occurs
    f = tk.frequencies(c).set_index("term")
    assert d.loc[0, "docs"] == f.loc["war", "docs"]


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


def test_rank_uses_quantedas_tie_rule_and_docs_is_docfreq(make):
    # counts: a 3, b 2, c 2, d 1, e 1 -> ranks 1, 2, 2, 4, 4 (R's rank(ties.method = "min"))
    c = make(["a a b c d", "a b c e"], g=["x", "y"])
    f = tk.frequencies(c).set_index("term")
    assert f["rank"].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 4, "e": 4}
    assert f["docs"].to_dict() == {"a": 2, "b": 2, "c": 2, "d": 1, "e": 1}
    # min_count leaves the ranks of the kept terms as they were
    assert tk.frequencies(c, min_count=2)["rank"].tolist() == [1, 2, 2]
    # per group: x has a 2, b c d 1 each; y has a b c e once each
    g = tk.frequencies(c, by="g").set_index(["g", "term"])["rank"]
    assert g.loc["x"].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 2}
    assert g.loc["y"].to_dict() == {"a": 1, "b": 1, "c": 1, "e": 1}


# Washington's inaugural address of 1793, as in quanteda's data_corpus_inaugural
WASHINGTON_1793 = (
    "Fellow citizens, I am again called upon by the voice of my country to execute the "
    "functions of its Chief Magistrate. When the occasion proper for it shall arrive, I shall "
    "endeavor to express the high sense I entertain of this distinguished honor, and of the "
    "confidence which has been reposed in me by the people of united America.\n\nPrevious to "
    "the execution of any official act of the President the Constitution requires an oath of "
    "office. This oath I am now about to take, and in your presence: That if it shall be found "
    "during my administration of the Government I have in any instance violated willingly or "
    "knowingly the injunctions thereof, I may (besides incurring constitutional punishment) be "
    "subject to the upbraidings of all who are now witnesses of the present solemn ceremony.\n\n "
)


def test_document_stats_types_on_washington_1793(make):
    import re

    c = make([WASHINGTON_1793])
    s = tk.document_stats(c).iloc[0]
    # the words of the text, lower-cased (no clitics or hyphens in it): 135 tokens, 90 types
    words = re.findall(r"\w+", WASHINGTON_1793.lower())
    assert s["words"] == len(words) == 135
    assert s["types"] == len(set(words)) == 90
    assert s["types"] == len(tk.frequencies(c))
    # quanteda's summary(data_corpus_inaugural): 147 tokens, 96 types (case-sensitive,
    # punctuation included)
    q = tk.document_stats(c, case_sensitive=True, punct=True).iloc[0]
    assert (q["tokens"], q["types"]) == (147, 96)
    with pytest.raises(tk.ParameterError, match="punct"):
        tk.document_stats(c, punct="yes")


def test_ngrams_of_an_annotation_layer(make):
    c = tk.from_tokens(
        [["Threats", "grew", ".", "A", "threat", "grows", "and", "threats", "grow"], ["x"]],
        layers={
            "lemma": [
                ["threat", "grow", ".", "a", "threat", "grow", "and", "threat", "grow"],
                ["x"],
            ],
            "pos": [
                ["NOUN", "VERB", "PUNCT", "DET", "NOUN", "VERB", "CCONJ", "NOUN", "VERB"],
                ["X"],
            ],
        },
    )
    lem = tk.ngrams(c, n=2, layer="lemma", min_count=1).set_index("ngram")["count"]
    # by hand: threat grow (3), a threat, grow and, and threat; nothing across '.'
    assert lem.to_dict() == {"threat grow": 3, "a threat": 1, "and threat": 1, "grow and": 1}
    pos = tk.ngrams(c, n=3, layer="pos", case_sensitive=True, min_count=1).set_index("ngram")
    assert pos["count"].to_dict() == {
        "DET NOUN VERB": 1,
        "NOUN VERB CCONJ": 1,
        "VERB CCONJ NOUN": 1,
        "CCONJ NOUN VERB": 1,
    }
    # the pattern matches the layer's values
    left = tk.ngrams(c, n=2, layer="lemma", pattern="grow", position="left", min_count=1)
    assert left["ngram"].tolist() == ["grow and"]
    with pytest.raises(tk.ParameterError, match="layer"):
        tk.ngrams(make(["a b"]), layer="lemma")
    with pytest.raises(tk.ParameterError, match="n"):
        tk.ngrams(c, n=1)


def test_trigrams_without_stopwords_at_the_edges_on_the_bundled_corpus(un):
    """Counted again from the documents' token lists (``tk.tokens``): three consecutive
    word tokens in a document, none of them punctuation, neither the first nor the last a
    stopword."""
    from collections import Counter

    stop = {w.replace("\u2019", "'") for w in tk.stopwords("english")}
    counts = Counter()
    for toks in tk.tokens(un, punct=True):
        for a, b, c in zip(toks, toks[1:], toks[2:], strict=False):
            words = (a, b, c)
            if not all(any(ch.isalnum() for ch in w) for w in words):
                continue
            if a.replace("\u2019", "'") in stop or c.replace("\u2019", "'") in stop:
                continue
            counts[" ".join(words)] += 1
    expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    got = tk.ngrams(un, n=3, stopwords="english").head(15)
    assert list(zip(got["ngram"], got["count"], strict=True)) == expected
    assert not all(g.startswith("united nations") for g in got["ngram"])
    # the unfiltered table starts with "the united nations"; "all" keeps "republic of korea"
    assert tk.ngrams(un, n=3)["ngram"].iloc[0] == "the united nations"
    only_all = tk.ngrams(un, n=3, stopwords="english", stopword_filter="all")
    assert "of the world" in set(only_all["ngram"]) and "of the" not in set(only_all["ngram"])
    anywhere = tk.ngrams(un, n=3, stopwords=list(stop), stopword_filter="any")
    assert not any(set(g.split()) & stop for g in anywhere["ngram"])
