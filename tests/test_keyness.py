"""Keyness corrections, PMI and Fisher's exact test, against the published test cases of
quanteda.textstats (tests/testthat/test-textstat_keyness.R), hand computations and scipy."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2 as chi2_dist
from scipy.stats import chi2_contingency, fisher_exact

import toolkit as tk


def make(texts, **meta):
    """A small corpus from texts (and metadata columns)."""
    return tk.from_dataframe(pd.DataFrame({"text": texts, **meta}))


# quanteda.textstats' cases: d1 is the target, every other document the reference
D1, D2 = "b b b b b b b a a a", "a a a a a a a b b"
LETTERS_1 = "a a a b b c c c c c c d e f g h h"
LETTERS_2 = "a a b c c d d d d e f h"


def two_docs(*texts):
    c = make(list(texts), side=["t"] + ["r"] * (len(texts) - 1))
    return c


def key(c, **kw):
    return tk.keyness(c, by="side", target="t", min_count=1, **kw).set_index("term")


def test_chi2_yates_and_uncorrected_equal_r_chisq_test_as_in_quanteda():
    # quanteda: textstat_keyness(correction = "default") == chisq.test(correct = TRUE);
    # correction = "none" == chisq.test(correct = FALSE); R's and scipy's 2x2 correction agree
    table = np.array([[7, 3], [2, 7]])  # rows d1, d2; columns b, a
    k_yates = key(two_docs(D1, D2), correction="yates")
    k_none = key(two_docs(D1, D2), correction="none")
    assert k_yates.loc["b", "chi2"] == pytest.approx(chi2_contingency(table, correction=True)[0])
    assert k_none.loc["b", "chi2"] == pytest.approx(chi2_contingency(table, correction=False)[0])
    # by hand: N (|ad - bc| - N/2)^2 / (R1 R2 C1 C2) for b: a=7, b=2, c=3, d=7
    n = 19
    by_hand = n * (abs(49 - 6) - n / 2) ** 2 / (9 * 10 * 10 * 9)
    assert k_yates.loc["b", "chi2"] == pytest.approx(by_hand)
    # the sign says which corpus uses the term more
    assert k_yates.loc["a", "chi2"] < 0 < k_yates.loc["b", "chi2"]


def test_chi2_yates_with_a_grouped_reference_as_in_quanteda():
    # quanteda: d2 and d3 grouped as the reference; chisq.test(correct = TRUE) on the grouped table
    k = key(two_docs(D1, D2, "a a a b b b"), correction="yates")
    grouped = np.array([[7, 3], [5, 10]])  # target b, a; reference b, a
    assert k.loc["b", "chi2"] == pytest.approx(chi2_contingency(grouped, correction=True)[0])
    k0 = key(two_docs(D1, D2, "a a a b b b"))
    assert k0.loc["b", "chi2"] == pytest.approx(chi2_contingency(grouped, correction=False)[0])


def likelihood_test(x, conservative=False):
    """G² with and without Williams's correction, transcribed from the function
    ``likelihood.test`` (from Deducer) that quanteda.textstats' tests compare with."""
    x = np.asarray(x, dtype=float)
    n = x.sum()
    e = np.outer(x.sum(1), x.sum(0)) / n
    g = sum(x[i, j] * math.log(x[i, j] / e[i, j]) for i in range(2) for j in range(2) if x[i, j])
    q = 1.0
    if conservative:
        row_tot = sum(1 / x[i, :].sum() for i in range(2))
        col_tot = sum(1 / x[:, j].sum() for j in range(2))
        q = 1 + ((n * row_tot - 1) * (n * col_tot - 1)) / (6 * n)
    stat = 2 * g / q
    return stat, 1 - chi2_dist.cdf(stat, 1)


def test_g2_uncorrected_and_williams_equal_likelihood_test_as_in_quanteda():
    table = [[7, 3], [2, 7]]
    for correction, conservative in (("none", False), ("williams", True)):
        row = key(two_docs(D1, D2), correction=correction).loc["b"]
        stat, p = likelihood_test(table, conservative)
        assert row["ll"] == pytest.approx(stat, rel=1e-12)
        assert row["p_value"] == pytest.approx(p, rel=1e-9)
    # Williams's q by hand for b: N = 19, rows 9 and 10, columns 10 and 9
    q = 1 + (19 / 9 + 19 / 10 - 1) * (19 / 10 + 19 / 9 - 1) / (6 * 19)
    none = key(two_docs(D1, D2)).loc["b"]
    williams = key(two_docs(D1, D2), correction="williams").loc["b"]
    assert williams["ll"] == pytest.approx(none["ll"] / q)
    assert williams["chi2"] == pytest.approx(none["chi2"] / q)


def test_g2_yates_equals_scipy_where_quanteda_corrects():
    # G² on cells moved 0.5 towards independence: scipy's lambda_="log-likelihood" with
    # correction=True does the same when |O - E| >= 0.5
    row = key(two_docs(D1, D2), correction="yates").loc["b"]
    g2, p, _, _ = chi2_contingency([[7, 3], [2, 7]], correction=True, lambda_="log-likelihood")
    assert row["ll"] == pytest.approx(g2)
    assert row["p_value"] == pytest.approx(p)


def test_yates_only_where_an_expected_count_is_below_5():
    # 'war': 30 of 100 target words against 10 of 100: every expected count is at least 20
    target = " ".join(["war"] * 30 + ["x"] * 70)
    reference = " ".join(["war"] * 10 + ["y"] * 90)
    c = two_docs(target, reference)
    table = np.array([[30, 10], [70, 90]])
    assert key(c, correction="yates").loc["war", "chi2"] == pytest.approx(
        chi2_contingency(table, correction=False)[0]
    )
    # a rare term (expected 1.5 in each corpus) is corrected
    c2 = two_docs(target + " rare rare rare", reference)
    k = key(c2, correction="yates")
    rare = np.array([[3, 0], [100, 100]])
    assert k.loc["rare", "chi2"] == pytest.approx(chi2_contingency(rare, correction=True)[0])


def test_feature_order_published_by_quanteda():
    c = two_docs(LETTERS_1, LETTERS_2)
    # textstat_keyness(dfmt): chi2 with Yates's correction, sorted by the statistic
    chi = key(c, correction="yates").reset_index()
    order = chi.sort_values(["chi2", "term"], ascending=[False, True])["term"].tolist()
    assert order == ["g", "c", "b", "h", "a", "e", "f", "d"]
    # measure = "lr", correction = "none", target 1 and target 2
    lr = key(c).reset_index()
    assert lr["term"].tolist() == ["c", "g", "b", "h", "a", "e", "f", "d"]
    c2 = make([LETTERS_1, LETTERS_2], side=["r", "t"])
    lr2 = tk.keyness(c2, by="side", target="t", min_count=1)
    assert lr2["term"].tolist() == ["d", "e", "f", "a", "b", "h", "g", "c"]


def test_pmi_equals_quantedas_manual_value_in_bits():
    k = key(two_docs(LETTERS_1, LETTERS_2))
    # quanteda's test: log(dfm[1, 1] * sum(dfm) / ((dfm[1, 1] + dfm[2, 1]) * sum(dfm[1, ])))
    assert k.loc["a", "pmi"] * math.log(2) == pytest.approx(math.log(3 * 29 / (5 * 17)))
    # Church & Hanks: log2 P(term, target) / (P(term) P(target))
    assert k.loc["g", "pmi"] == pytest.approx(math.log2((1 / 29) / ((1 / 29) * (17 / 29))))
    # g is absent from d2: with d2 as the target its PMI is minus infinity
    c2 = make([LETTERS_1, LETTERS_2], side=["r", "t"])
    k2 = tk.keyness(c2, by="side", target="t", min_count=1).set_index("term")
    assert k2.loc["g", "pmi"] == -math.inf


def test_fisher_exact_agrees_with_scipy_and_quantedas_case():
    k = key(two_docs(D1, D2), fisher=True)
    # quanteda's case: fisher.test(as.matrix(dfmt))
    assert k.loc["b", "fisher_p"] == pytest.approx(fisher_exact([[7, 3], [2, 7]]).pvalue)
    kl = key(two_docs(LETTERS_1, LETTERS_2), fisher=True)
    for term, row in kl.iterrows():
        a, b = row["target_count"], row["reference_count"]
        want = fisher_exact([[a, b], [17 - a, 12 - b]]).pvalue
        assert row["fisher_p"] == pytest.approx(want, rel=1e-9), term


def test_fisher_exact_on_a_real_corpus_agrees_with_scipy(un):
    kor = un.query("country == 'KOR'")
    prk = un.query("country == 'PRK'")
    k = tk.keyness(kor, prk, min_count=20, fisher=True)
    c, d = k.attrs["target_words"], k.attrs["reference_words"]
    rows = k.iloc[np.linspace(0, len(k) - 1, 40).astype(int)]
    for _, row in rows.iterrows():
        a, b = int(row["target_count"]), int(row["reference_count"])
        want = fisher_exact([[a, b], [c - a, d - b]]).pvalue
        assert row["fisher_p"] == pytest.approx(want, rel=1e-6, abs=1e-300), row["term"]


def test_keyness_parameters_are_checked():
    c = two_docs(D1, D2)
    with pytest.raises(tk.ParameterError, match="correction"):
        tk.keyness(c, by="side", target="t", correction="default")
    with pytest.raises(tk.ParameterError, match="fisher"):
        tk.keyness(c, by="side", target="t", fisher="yes")
    assert "fisher_p" not in tk.keyness(c, by="side", target="t", min_count=1).columns


# target: 10 word tokens, reference: 20 word tokens
TARGET = "war war war peace talk talk a b c d"
REFERENCE = "peace peace peace peace war talk e f g h i j k l m n o p q r"


def test_keyness_against_hand_and_scipy_values(make):
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


def test_keyness_results_carry_their_labels(make, un):
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
    assert others.attrs["target_words"] == n_words["RUS"] + n_words["CHN"]
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


# --------------------------------------------------------------------------- labels
def test_two_corpora_labels_name_the_sides_in_attrs_and_in_the_figure():
    import matplotlib.pyplot as plt

    hawks = make(["war war war peace"])
    doves = make(["peace peace talk"])
    k = tk.keyness(hawks, doves, min_count=1, labels=("hawks", "doves"))
    assert (k.attrs["target"], k.attrs["reference"]) == ("hawks", "doves")
    # the counts are those of the two corpora, in that order
    counts = k.set_index("term")[["target_count", "reference_count"]].to_dict("index")
    assert counts["war"] == {"target_count": 3, "reference_count": 0}
    ax = tk.plot_keyness(k)
    assert ax.get_title() == "Keywords: hawks vs doves"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("more in hawks") and legend[1].startswith("more in doves")
    plt.close("all")


def named(texts, name):
    return tk.from_dataframe(pd.DataFrame({"text": texts}), name=name)


def test_two_corpora_are_labelled_by_their_names_when_both_have_their_own():
    k = tk.keyness(named(["war war"], "hawks"), named(["peace"], "doves"), min_count=1)
    assert (k.attrs["target"], k.attrs["reference"]) == ("hawks", "doves")
    # labels= wins over the names
    k = tk.keyness(
        named(["war war"], "hawks"), named(["peace"], "doves"), min_count=1, labels=("H", "D")
    )
    assert (k.attrs["target"], k.attrs["reference"]) == ("H", "D")


@pytest.mark.parametrize(
    ("target_name", "reference_name"),
    [(None, None), ("hawks", None), (None, "doves"), ("same", "same")],
)
def test_two_corpora_without_two_distinct_names_are_target_and_reference(
    target_name, reference_name
):
    k = tk.keyness(named(["war war"], target_name), named(["peace"], reference_name), min_count=1)
    assert (k.attrs["target"], k.attrs["reference"]) == ("target", "reference")


@pytest.mark.parametrize(
    "labels", [("hawks",), ("hawks", ""), ("hawks", "  "), ("hawks", 1), "hd", ("a", "b", "c")]
)
def test_labels_must_be_two_non_empty_strings(labels):
    with pytest.raises(tk.ParameterError) as error:
        tk.keyness(make(["war war"]), make(["peace"]), min_count=1, labels=labels)
    assert error.value.parameter == "labels"
    assert "two non-empty strings" in str(error.value)


def test_labels_with_by_are_refused():
    c = make(["war war war peace", "peace peace talk"], side=["A", "B"])
    with pytest.raises(tk.ParameterError) as error:
        tk.keyness(c, by="side", target="A", min_count=1, labels=("hawks", "doves"))
    assert error.value.parameter == "labels"
    assert "by=" in str(error.value)


def test_labels_is_keyword_only():
    import inspect

    parameter = inspect.signature(tk.keyness).parameters["labels"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is None
