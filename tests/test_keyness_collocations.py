import json
import math

import numpy as np
import pytest
from conftest import make
from scipy.stats import chi2_contingency

import toolkit as tk

# target: 10 word tokens, reference: 20 word tokens
TARGET = "war war war peace talk talk a b c d"
REFERENCE = "peace peace peace peace war talk e f g h i j k l m n o p q r"


def test_keyness_against_hand_and_scipy_values():
    k = tk.keyness(make([TARGET]), make([REFERENCE]), min_count=1).set_index("term")
    a, b, c, d = 3, 1, 10, 20  # 'war'
    table = np.array([[a, b], [c - a, d - b]])
    g2, p, _, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    chi, _, _, _ = chi2_contingency(table, correction=False)
    row = k.loc["war"]
    assert row["ll"] == pytest.approx(g2, rel=1e-12)
    assert row["p_value"] == pytest.approx(p, rel=1e-9)
    assert row["chi2"] == pytest.approx(chi, rel=1e-12)
    assert row["log_ratio"] == pytest.approx(math.log2((3 / 10) / (1 / 20)))
    assert row["pct_diff"] == pytest.approx(100 * (3 / 10 - 1 / 20) / (1 / 20))
    # by hand, all four cells: E = 10*4/30, 20*4/30, 10*26/30, 20*26/30
    e = [40 / 30, 80 / 30, 260 / 30, 520 / 30]
    o = [3, 1, 7, 19]
    assert row["ll"] == pytest.approx(
        2 * sum(x * math.log(x / y) for x, y in zip(o, e, strict=True))
    )
    # under-use is negative; zero counts use the 0.5 adjustment
    assert k.loc["peace", "ll"] < 0
    assert k.loc["a", "reference_count"] == 0
    assert k.loc["a", "log_ratio"] == pytest.approx(math.log2((1 / 10) / (0.5 / 20)))
    assert k.loc["e", "log_ratio"] == pytest.approx(math.log2((0.5 / 10) / (1 / 20)))
    assert list(k["ll"]) == sorted(k["ll"], reverse=True)


def test_keyness_split_and_filters(un):
    k = tk.keyness(un, by="country", target="RUS", reference="USA", p=0.05, bonferroni=True)
    assert (k["p_value"] < 0.05 / k.attrs["terms_tested"]).all()
    assert k.iloc[0]["ll"] > 0 and k.iloc[-1]["ll"] < 0
    rus = un.query("country == 'RUS'")
    usa = un.query("country == 'USA'")
    k2 = tk.keyness(rus, usa, p=0.05, bonferroni=True)
    assert k.equals(k2)
    with pytest.raises(ValueError, match="XXX"):
        tk.keyness(un, by="country", target="XXX")


def test_collocates_by_hand():
    # node 'nuclear' twice; window 1 left, 1 right
    text = "ban nuclear weapons now . the nuclear weapons ban"
    c = make([text, "weapons"])
    col = tk.collocates(c, "nuclear", window=(1, 1), min_count=1).set_index("term")
    n_words = 8 + 1  # punctuation excluded: 8 words in the first text, 1 in the second
    f_node, span = 2, 2
    o, f_term = 2, 3  # 'weapons': twice in the windows; 3 times in the corpus
    e = f_node * f_term * span / n_words
    row = col.loc["weapons"]
    assert row["observed"] == o and row["term_count"] == f_term
    assert row["expected"] == pytest.approx(e)
    assert row["pmi"] == pytest.approx(math.log2(o / e))
    assert row["mi3"] == pytest.approx(math.log2(o**3 / e))
    assert row["t_score"] == pytest.approx((o - e) / math.sqrt(o))
    assert row["z_score"] == pytest.approx((o - e) / math.sqrt(e))
    assert row["log_dice"] == pytest.approx(14 + math.log2(2 * o / (f_node + f_term)))
    r1, c1, n = f_node * span, f_term, n_words
    table = np.array([[o, r1 - o], [c1 - o, n - r1 - c1 + o]])
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert row["ll"] == pytest.approx(g2)
    # the window does not cross the document boundary nor count punctuation
    assert "." not in col.index and col.loc["the", "observed"] == 1


def word_runs(corpus):
    """Lower-cased word sequences broken at punctuation and documents, built with the
    reference tokenizer, for NLTK's collocation finders."""
    runs = []
    for text in corpus.texts():
        run = []
        for tok in tk.tokenize(text):
            if any(ch.isalnum() or ch == "_" for ch in tok):
                run.append(tok.lower())
            else:
                runs.append(run)
                run = []
        runs.append(run)
    return runs


def test_collocation_discovery_agrees_with_nltk(un):
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    sub = un.query("country == 'KOR'")
    ours = tk.collocations(sub, min_count=3).set_index("collocation")
    runs = word_runs(sub)
    finder = BigramCollocationFinder.from_documents(runs)
    # NLTK's word_fd counts every word; our n_xx is the number of word tokens too
    assert finder.word_fd.N() == sum(len(r) for r in runs)
    finder.apply_freq_filter(3)
    m = BigramAssocMeasures
    for measure, col in [
        (m.pmi, "pmi"),
        (m.likelihood_ratio, "ll"),
        (m.chi_sq, "chi2"),
        (m.student_t, "t_score"),
        (m.dice, "dice"),
    ]:
        scores = dict(finder.score_ngrams(measure))
        assert len(scores) == len(ours)
        for (w1, w2), value in list(scores.items())[:300]:
            assert ours.loc[f"{w1} {w2}", col] == pytest.approx(value, rel=1e-6, abs=1e-9), col


def test_dictionary_counts_rates_and_groups():
    c = make(["A threat, a dangerous threat.", "Peace and security."], year=[1990, 1991])
    d = {"threat": ["threat*", "danger*"], "security": ["secur*", "peace"]}
    per_doc = tk.dictionary_counts(c, d)
    got = per_doc.set_index(["doc_id", "category"])
    assert got.loc[("0", "threat"), "count"] == 3
    assert got.loc[("0", "threat"), "per_thousand"] == pytest.approx(3 / 5 * 1000)
    assert got.loc[("1", "security"), "count"] == 2
    # overlapping entries count a token once per category
    once = tk.dictionary_counts(c, {"t": ["threat", "threat*"]})
    assert once.set_index("doc_id").loc["0", "count"] == 2
    by = tk.dictionary_counts(c, d, by="year").set_index(["year", "category"])
    assert by.loc[(1991, "security"), "tokens"] == 3


def test_vader_dictionary_evaluative_language(commentary):
    d = tk.vader_dictionary()
    counts = tk.dictionary_counts(commentary, d, by="section")
    assert set(counts["category"]) == {"positive", "negative"}
    assert (counts["tokens"] > 0).all()


def test_trigram_collocations_agree_with_nltk(un):
    from nltk.collocations import TrigramAssocMeasures, TrigramCollocationFinder

    sub = un.query("country == 'JPN' and year >= 2000")
    ours = tk.trigram_collocations(sub, min_count=3).set_index("collocation")
    runs = word_runs(sub)
    finder = TrigramCollocationFinder.from_documents(runs)
    finder.apply_freq_filter(3)
    m = TrigramAssocMeasures
    checked = 0
    for measure, col in [
        (m.pmi, "pmi"),
        (m.likelihood_ratio, "ll"),
        (m.chi_sq, "chi2"),
        (m.student_t, "t_score"),
    ]:
        scores = dict(finder.score_ngrams(measure))
        assert len(scores) == len(ours)
        for (w1, w2, w3), value in list(scores.items())[:200]:
            assert ours.loc[f"{w1} {w2} {w3}", col] == pytest.approx(value, rel=1e-6, abs=1e-6)
            checked += 1
    assert checked > 100


def test_keyness_results_carry_their_labels(un):
    k = tk.keyness(un, by="country", target="RUS", reference="USA")
    assert (k.attrs["by"], k.attrs["target"], k.attrs["reference"]) == ("country", "RUS", "USA")
    assert k.attrs["target_values"] == ["RUS"] and k.attrs["reference_values"] == ["USA"]
    # without a reference: all other groups, listed
    others = tk.keyness(un, by="country", target=["RUS", "CHN"])
    assert others.attrs["target"] == "RUS + CHN"
    assert others.attrs["reference"] == "all other groups"
    expected = sorted(set(un.meta["country"]) - {"RUS", "CHN"})
    assert others.attrs["reference_values"] == expected
    n_words = {
        c: tk.document_stats(un.query(f"country == {c!r}"))["words"].sum() for c in ["RUS", "CHN"]
    }
    assert others.attrs["target_tokens"] == n_words["RUS"] + n_words["CHN"]
    # numeric groups: plain values, so that the labels can be saved with a table as JSON
    years = tk.keyness(un, by="year", target=2000, min_count=20)
    assert years.attrs["target"] == "2000"
    assert years.attrs["reference_values"] == sorted(int(y) for y in set(un.meta["year"]) - {2000})
    json.dumps(years.attrs)
    # two corpora
    two = tk.keyness(make([TARGET]), make([REFERENCE]), min_count=1)
    assert (two.attrs["target"], two.attrs["reference"], two.attrs["by"]) == (
        "target",
        "reference",
        None,
    )


def test_collocation_measures_have_the_glossary_names(un):
    sub = un.query("country == 'KOR'")
    new = tk.collocations(sub, min_count=3)
    assert list(new.columns[6:]) == ["pmi", "ll", "chi2", "t_score", "dice"]
    with pytest.warns(FutureWarning, match="sort_by='likelihood_ratio'.*'ll'"):
        old = tk.collocations(sub, min_count=3, sort_by="likelihood_ratio")
    assert old.equals(new)  # the default sorts by ll
    with pytest.warns(FutureWarning, match="'chi2'"):
        tri = tk.trigram_collocations(sub, min_count=3, sort_by="chi_sq")
    assert list(tri["chi2"]) == sorted(tri["chi2"], reverse=True)
    with pytest.warns(FutureWarning, match="'pmi'"):
        col = tk.collocates(sub, "peace", measures=["mi", "ll"], sort_by="mi")
    assert list(col.columns[4:]) == ["pmi", "ll"]
