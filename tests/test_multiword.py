"""Multi-word expressions (λ, z) against quanteda.textstats' published cases
(tests/testthat/test-textstat_collocations.R), hand computations and a log-linear model fitted
with numpy; compounding into tokens; tk.phrase()."""

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.multiword import multiword_expressions as mwe


def make(texts, **meta):
    """A small corpus from texts (and metadata columns)."""
    return tk.from_dataframe(pd.DataFrame({"text": texts, **meta}))


def corpus(texts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tk.ToolkitWarning)  # empty texts are kept
        return make(texts)


def test_published_lambda_and_z_of_quanteda():
    # quanteda's issue #940 case, with its printed output: lambda 4.317488, z 2.027787
    c = corpus(["I like good ice cream.", "Me too!  I like good ice cream.", ""])
    m = mwe(c, size=2, min_count=2)
    assert m["collocation"].tolist() == ["good ice", "i like", "ice cream", "like good"]
    assert m["lambda"].tolist() == pytest.approx([4.317488] * 4, abs=5e-7)
    assert m["z"].tolist() == pytest.approx([2.027787] * 4, abs=5e-7)
    # by hand: 9 bigrams ('too !' crosses punctuation); 'good ice' 2 times, neither word
    # elsewhere: cells 2, 0, 0, 7 plus 0.5
    lam = math.log(2.5) + math.log(7.5) - 2 * math.log(0.5)
    assert m["lambda"].iloc[0] == pytest.approx(lam)
    assert m["z"].iloc[0] == pytest.approx(lam / math.sqrt(1 / 2.5 + 1 / 7.5 + 2 / 0.5))


def test_lambda_of_quantedas_padded_case_by_hand():
    # quanteda: 'E E G F a b c E E G G f E E f f G G' with the lower-case tokens padded:
    # 'g f' comes first.  A pad never equals a word of the candidate, so a filler word
    # 'x' gives the same table: 17 bigrams; 'g f' once, 'g' + other 3, other + 'f' 0
    c = corpus(["e e g f x x x e e g g x e e x x g g"])
    m = mwe(c, size=2, min_count=1)
    assert m["collocation"].iloc[0] == "g f"
    lam = math.log(1.5) + math.log(13.5) - math.log(3.5) - math.log(0.5)
    assert m["lambda"].iloc[0] == pytest.approx(lam)
    # smoothing = 0 as in quanteda's test "the correctness of significant"
    c2 = corpus(["capital other capital gains other capital word2 other gains capital"])
    assert mwe(c2, size=2, min_count=1, smoothing=0)["collocation"].iloc[0] == "other capital"
    assert mwe(c2, size=2, min_count=1)["collocation"].iloc[0] == "other capital"


def table_2k(candidate, runs):
    """The 2^K table of quanteda's test helper MWEcounts: every K-gram inside a run,
    classified by which positions agree with the candidate (cell index: bit k = position k)."""
    k = len(candidate)
    counts = np.zeros(2**k)
    for run in runs:
        for j in range(len(run) - k + 1):
            agree = [run[j + i] == candidate[i] for i in range(k)]
            counts[sum(1 << i for i, a in enumerate(agree) if a)] += 1
    return counts


def loglinear_lambda(counts, k, smooth=0.5):
    """Highest-order interaction of the saturated Poisson log-linear model (treatment
    coding), fitted with numpy: the coefficients solve X b = log(mu) exactly, and the
    standard errors come from the inverse Fisher information (X' diag(mu) X)^-1."""
    cells = list(itertools.product([0, 1], repeat=k))  # (bit 0, ..., bit k-1)
    cols = [s for r in range(k + 1) for s in itertools.combinations(range(k), r)]
    x = np.array([[np.prod([cell[i] for i in s]) if s else 1.0 for s in cols] for cell in cells])
    mu = np.array([counts[sum(b << i for i, b in enumerate(cell))] for cell in cells]) + smooth
    coef = np.linalg.solve(x, np.log(mu))
    cov = np.linalg.inv(x.T @ np.diag(mu) @ x)
    return coef[-1], coef[-1] / math.sqrt(cov[-1, -1])


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_lambda_and_z_equal_the_loglinear_model(k):
    rng = np.random.default_rng(k)
    vocab = ["a", "b", "c", "d"]
    runs = [list(rng.choice(vocab, size=rng.integers(1, 30))) for _ in range(12)]
    c = corpus([" ".join(r) + " ." for r in runs])
    m = mwe(c, size=k, min_count=1).set_index("collocation")
    checked = 0
    for cand in m.index[:15]:
        lam, z = loglinear_lambda(table_2k(cand.split(), runs), k)
        assert m.loc[cand, "lambda"] == pytest.approx(lam, rel=1e-9, abs=1e-9)
        assert m.loc[cand, "z"] == pytest.approx(z, rel=1e-9, abs=1e-9)
        checked += 1
    assert checked >= 5


def test_counts_and_nesting_published_by_quanteda():
    # quanteda's "counts sequences correctly when recursive = FALSE" cases; quanteda pads
    # the dots, the toolkit treats them as punctuation: counts and nesting agree
    col1 = mwe(
        corpus(["a b c . . a b c . . a b c . . . a b c", "a b . . a b . . a b . . a b . a b"]),
        size=[2, 3],
    )
    assert col1["collocation"].tolist() == ["a b", "b c", "a b c"]
    assert col1["count"].tolist() == [9, 4, 4]
    assert col1["count_nested"].tolist() == [4, 4, 0]
    txt2 = [
        ". . . . a b c . . a b c . . .",
        "a b . . a b . . a b . . a b . a b",
        "b c . . b c . b c . . . b c",
    ]
    col2 = mwe(corpus(txt2), size=[2, 3], min_count=1)
    assert col2["collocation"].tolist() == ["a b", "b c", "a b c"]
    assert col2["count"].tolist() == [7, 6, 2]
    assert col2["count_nested"].tolist() == [2, 2, 0]
    txt3 = [". . . . a b c d . . a b c d . . .", *txt2[1:]]
    col3 = mwe(corpus(txt3), size=[2, 4], min_count=1)
    assert col3["collocation"].tolist() == ["a b", "b c", "c d", "a b c d"]
    assert col3["count"].tolist() == [7, 6, 2, 2]
    assert col3["count_nested"].tolist() == [2, 2, 2, 0]
    col4 = mwe(corpus([". . . . a b c d . . a b c . . ."]), size=[2, 3, 4], min_count=1)
    assert col4["collocation"].tolist() == ["a b", "b c", "c d", "a b c d", "a b c", "b c d"]
    assert col4["count"].tolist() == [2, 2, 1, 1, 2, 1]
    assert col4["count_nested"].tolist() == [2, 2, 1, 0, 1, 1]


def test_sequences_never_span_documents_and_short_texts_give_nothing():
    c = corpus(["this is a test", "this also a test"])
    cols = mwe(c, size=[2, 3], min_count=1)["collocation"].tolist()
    assert "test this" not in cols and "test this also" not in cols
    assert "this also a" in cols
    empty = mwe(corpus(["a", "bb", ""]), size=[2, 3], min_count=1)
    assert empty.empty
    assert list(empty.columns) == ["collocation", "count", "count_nested", "length", "lambda", "z"]


def test_lowercase_and_layer():
    c = corpus(["Security Council. security council", "SECURITY Council"])
    assert mwe(c, min_count=3)["collocation"].tolist() == ["security council"]
    cs = mwe(c, min_count=1, case_sensitive=True)["collocation"].tolist()
    assert sorted(cs) == ["SECURITY Council", "Security Council", "security council"]
    toks = tk.from_tokens(
        [["The", "threats", "grew", ".", "A", "threat", "grew"]],
        layers={"lemma": [["the", "threat", "grow", ".", "a", "threat", "grow"]]},
    )
    lem = mwe(toks, min_count=2, layer="lemma").set_index("collocation")
    assert lem.loc["threat grow", "count"] == 2


def test_multiword_parameters_are_checked():
    c = corpus(["a b c"])
    for size in (1, 6, [2, 7], "2", 2.0, []):
        with pytest.raises(tk.ParameterError, match="size"):
            mwe(c, size=size)
    with pytest.raises(tk.ParameterError, match="min_count"):
        mwe(c, min_count=0)
    with pytest.raises(tk.ParameterError, match="smoothing"):
        mwe(c, smoothing=-1)
    with pytest.raises(tk.ParameterError, match="layer"):
        mwe(c, layer="lemma")


# ---------------------------------------------------------------- compounding


def test_compound_joins_matches_into_one_token():
    c = corpus(["The United Nations and the Security Council met.", "united nations"])
    got = list(tk.tokens(c, compound=["united nations", "security council"]))
    assert got == [
        ["the", "united_nations", "and", "the", "security_council", "met"],
        ["united_nations"],
    ]
    # case kept when lowercase=False; punctuation option untouched
    got = list(tk.tokens(c, compound="united nations", case_sensitive=True, punct=True))
    assert got[0][:3] == ["The", "United_Nations", "and"] and got[0][-1] == "."


def test_compound_from_a_multiword_table_and_overlaps_join():
    c = corpus(["weapons of mass destruction . weapons of mass destruction"])
    table = mwe(c, size=[2, 3], min_count=2)
    got = list(tk.tokens(c, compound=table))
    # every bigram and trigram overlaps the next: one compound per run (join = TRUE)
    assert got == [["weapons_of_mass_destruction", "weapons_of_mass_destruction"]]
    got = list(tk.tokens(c, compound=tk.phrase([["mass", "destruction"]])))
    assert got == [["weapons", "of", "mass_destruction"] * 2]


def test_compound_with_filters_and_min_count():
    c = corpus(["the united nations met in new york", "new york and the united nations"])
    s = tk.tokens(c, compound=["united nations", "new york"], stopwords=["the", "and", "in"])
    assert list(s) == [["united_nations", "met", "new_york"], ["new_york", "united_nations"]]
    # value filters apply to the compound: a stopword list naming it removes it
    s = tk.tokens(c, compound=["united nations"], stopwords=["united_nations"])
    assert "united_nations" not in sum(list(s), [])
    s = tk.tokens(c, compound=["united nations", "new york"], min_count=2)
    assert list(s) == [["the", "united_nations", "new_york"], ["new_york", "the", "united_nations"]]
    # hyphen splitting leaves compounds whole
    h = corpus(["non-aligned united nations"])
    assert list(tk.tokens(h, compound="united nations", split_hyphens=True)) == [
        ["non", "aligned", "united_nations"]
    ]
    frame = tk.tokens(c, compound="united nations").to_frame()
    assert frame.loc[frame["token"] == "united_nations", "word"].tolist() == ["united"] * 2


def test_compound_is_checked():
    c = corpus(["a b"])
    with pytest.raises(tk.ParameterError, match="compound"):
        tk.tokens(c, compound=pd.DataFrame({"x": ["a b"]}))
    with pytest.raises(tk.ParameterError, match="compound"):
        tk.tokens(c, compound=[""])
    with pytest.raises(tk.PatternError, match="CQP"):
        tk.tokens(c, compound=['[lemma="a"]'])  # refused before any work


# ---------------------------------------------------------------- phrases


def hits(c, pattern, **kw):
    return tk.kwic(c, pattern, **kw).to_frame()["keyword"].str.lower().tolist()


def test_a_list_is_alternatives_and_white_space_makes_a_phrase():
    c = corpus(["North Korea and South Korea; the north of Korea. a b g j a g"])
    # the existing convention: each string with a space is a phrase, the list alternatives
    assert hits(c, ["north korea", "south korea"]) == ["north korea", "south korea"]
    assert hits(c, ["a b", "g j"]) == ["a b", "g j"]
    # a list of single words finds each word, not the sequence
    assert hits(c, ["north", "korea"]) == ["north", "korea", "korea", "north", "korea"]
    # tk.phrase asks for the same explicitly, also from token lists
    assert hits(c, tk.phrase(["a b", "g j"])) == ["a b", "g j"]
    assert hits(c, tk.phrase([["a", "b"], ["g", "j"]])) == ["a b", "g j"]
    assert hits(c, tk.phrase("north korea")) == ["north korea"]
    table = pd.DataFrame({"collocation": ["south korea", "a g"]})
    assert hits(c, tk.phrase(table)) == ["south korea", "a g"]


def test_phrase_errors():
    with pytest.raises(tk.PatternError):
        tk.phrase([["north korea"]])  # a token pattern with a space
    with pytest.raises(tk.PatternError):
        tk.phrase(["  "])
    with pytest.raises(tk.ParameterError):
        tk.phrase([1])
    with pytest.raises(tk.ParameterError):
        tk.phrase([])
    c = corpus(["north korea"])
    with pytest.raises(tk.ParameterError, match="phrase"):
        tk.kwic(c, [["north", "korea"]])  # token lists need tk.phrase
    with pytest.raises(tk.ParameterError, match="CQP"):
        tk.kwic(c, tk.phrase("north korea"), match="cqp")


def test_an_empty_table_of_phrases_compounds_nothing():
    c = tk.from_dataframe(pd.DataFrame({"text": ["The united nations met."]}))
    empty = tk.multiword_expressions(c, size=2, min_count=5)
    assert len(empty) == 0
    assert (
        list(c.tokens(compound=empty)) == list(c.tokens()) == [["the", "united", "nations", "met"]]
    )
    with pytest.raises(tk.ParameterError, match="non-empty phrases"):
        c.tokens(compound=["united nations", " "])
