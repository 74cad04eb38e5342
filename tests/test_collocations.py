"""Node collocates (MI, MI3, t, z, G², logDice) and bigram/trigram discovery, checked
by hand and against NLTK's measures."""

import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency

import toolkit as tk


def test_collocates_by_hand(make):
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
