"""Result columns mean one thing across the API (docs/glossary.md, "Measures and result
columns"): a count is ``count`` (never ``hits``), ``tokens`` is every token with
punctuation, ``words`` the word tokens, ``scored`` the tokens an embedding score is computed
from, and every rate is per word token; keyness's ``attrs`` name its word tokens ``words``.

The expected numbers are counted here from the texts, not taken from the toolkit: each
text is written first without punctuation (its words are ``str.split``), then punctuation
marks are added as separate tokens."""

import numpy as np
import pandas as pd
import pytest

import toolkit as tk

# the words of each document, and where punctuation marks follow a word
PLAIN = [
    "war and peace and war again",
    "peace talks began in the spring",
    "no war no peace",
    "the talks on peace failed and war came back",
]
MARKS = [
    {0: ",", 5: "."},  # after the word at that position
    {5: "!"},
    {1: ",", 3: "."},
    {3: ";", 6: ",", 8: "."},
]
YEARS = [1990, 1990, 1991, 1991]
# the words given a vector in the embeddings below; the other words have none
VECTORS = {"war": [1.0, 0.0], "peace": [0.0, 1.0], "talks": [0.6, 0.8], "failed": [0.9, -0.3]}


def _with_marks(plain: str, marks: dict[int, str]) -> str:
    assert max(marks) < len(plain.split())
    return " ".join(w + marks.get(i, "") for i, w in enumerate(plain.split()))


TEXTS = [_with_marks(p, m) for p, m in zip(PLAIN, MARKS, strict=True)]
WORDS = [len(p.split()) for p in PLAIN]  # 6, 6, 4, 9
TOKENS = [w + len(m) for w, m in zip(WORDS, MARKS, strict=True)]  # 8, 7, 6, 12


@pytest.fixture(scope="module")
def corpus():
    return tk.from_dataframe(pd.DataFrame({"text": TEXTS, "year": YEARS}))


@pytest.fixture(scope="module")
def store(corpus, tmp_path_factory):
    return tk.build_shards(corpus, tmp_path_factory.mktemp("columns"), progress=False)


@pytest.fixture(scope="module")
def embeddings(tmp_path_factory):
    path = tmp_path_factory.mktemp("vectors") / "vectors.txt"
    lines = [f"{len(VECTORS)} 2"] + [f"{w} {x} {y}" for w, (x, y) in VECTORS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tk.load_embeddings(path)


def _expected(corpus) -> pd.DataFrame:
    """Tokens and words per document id, counted by hand above."""
    return pd.DataFrame(
        {"tokens": TOKENS, "words": WORDS, "year": YEARS}, index=list(corpus.meta.index)
    )


def _tables(c, with_kwic: bool = True, embeddings=None) -> dict[str, pd.DataFrame]:
    """The result tables of counts and measures, per document, per group and overall."""
    out = {
        "frequencies": tk.frequencies(c),
        "frequencies by year": tk.frequencies(c, by="year"),
        "ngrams": tk.ngrams(c, n=2, min_count=1),
        "ngrams by year": tk.ngrams(c, n=2, by="year", min_count=1),
        "dictionary_counts": tk.dictionary_counts(c, {"conflict": ["war"], "calm": ["peace"]}),
        "dictionary_counts by year": tk.dictionary_counts(c, {"conflict": ["war"]}, by="year"),
        "dispersion": tk.dispersion(c, ["war", "peace", "spring"]),
        "document_stats": tk.document_stats(c).reset_index(),
        "keyness": tk.keyness(c, by="year", target=1990, min_count=1),
        "collocates": tk.collocates(c, "war", window=2, min_count=1),
    }
    if embeddings is not None:
        poles = {"conflict": ["war"], "calm": ["peace"]}
        out["embedding_scores"] = tk.embedding_scores(c, embeddings, poles, progress=False)
        out["embedding_scores by year"] = tk.embedding_scores(
            c, embeddings, poles, by="year", progress=False
        )
    if with_kwic:
        conc = tk.kwic(c, "war")
        out["kwic counts"] = conc.counts()
        out["kwic counts by year"] = conc.counts(by="year")
    return out


def _check(name: str, table: pd.DataFrame, expected: pd.DataFrame) -> list[str]:
    """What in ``table`` breaks the rule of the glossary (an empty list: nothing)."""
    problems = []
    if table.empty:
        return [f"{name}: no rows to check"]
    if "hits" in table.columns:
        problems.append(f"{name}: a column 'hits' (counts are 'count')")
    if "doc_id" in table.columns:
        truth = expected.loc[table["doc_id"]].reset_index(drop=True)
    elif "year" in table.columns:
        truth = expected.groupby("year")[["tokens", "words"]].sum()
        truth = truth.loc[table["year"]].reset_index(drop=True)
    else:
        truth = None
    for col in ("tokens", "words"):
        if col not in table.columns:
            continue
        if truth is None:
            problems.append(f"{name}: a column {col!r} without documents or groups")
        elif table[col].tolist() != truth[col].tolist():
            problems.append(f"{name}: {col!r} is {table[col].tolist()}, not {truth[col].tolist()}")
    return problems


def test_no_hits_and_tokens_and_words_mean_one_thing(corpus, embeddings):
    expected = _expected(corpus)
    # the hand counts are those of document_stats: the reference for 'tokens' and 'words'
    stats = tk.document_stats(corpus)
    assert stats["tokens"].tolist() == TOKENS == [8, 7, 6, 12]
    assert stats["words"].tolist() == WORDS == [6, 6, 4, 9]
    problems = []
    for name, table in _tables(corpus, embeddings=embeddings).items():
        problems += _check(name, table, expected)
    assert problems == []


def test_the_word_tokens_are_named_where_rates_are_shown(corpus):
    conc = tk.kwic(corpus, "war").counts(by="year")
    # "war": 2 + 0 in 1990 (6 + 6 words), 1 + 1 in 1991 (4 + 9 words)
    assert conc[["year", "count", "words"]].values.tolist() == [[1990, 2, 12], [1991, 2, 13]]
    assert conc["per_million"].tolist() == pytest.approx([2 / 12 * 1e6, 2 / 13 * 1e6])
    d = tk.dictionary_counts(corpus, {"calm": ["peace"]})
    assert d[["count", "words"]].values.tolist() == [[1, 6], [1, 6], [1, 4], [1, 9]]
    assert d["per_thousand"].tolist() == pytest.approx([1000 / 6, 1000 / 6, 250, 1000 / 9])
    disp = tk.dispersion(corpus, "peace")
    assert disp[["count", "docs"]].values.tolist() == [[4, 4]]
    assert disp["count"].dtype.kind == "i" and disp["docs"].dtype.kind == "i"


def test_every_rate_is_per_word_token(corpus):
    # "peace": once in each document; the rate's denominator is the word tokens (25 in
    # all, 12 in 1990), never all tokens (33)
    f = tk.frequencies(corpus).set_index("term")
    assert f.loc["peace", "per_million"] == pytest.approx(4 / 25 * 1e6)
    fy = tk.frequencies(corpus, by="year").set_index(["year", "term"])
    assert fy.loc[(1990, "peace"), "per_million"] == pytest.approx(2 / 12 * 1e6)
    ng = tk.ngrams(corpus, n=2, min_count=1).set_index("ngram")
    assert ng.loc["and war", "per_million"] == pytest.approx(2 / 25 * 1e6)
    k = tk.keyness(corpus, by="year", target=1990, min_count=1).set_index("term")
    assert k.loc["peace", "target_per_million"] == pytest.approx(2 / 12 * 1e6)
    assert k.loc["peace", "reference_per_million"] == pytest.approx(2 / 13 * 1e6)


def test_embedding_scores_name_the_tokens_with_a_vector_scored(corpus, embeddings):
    # the word tokens with a vector, counted from the plain texts: 3, 2, 2, 4
    scored = [sum(w in VECTORS for w in p.split()) for p in PLAIN]
    assert scored == [3, 2, 2, 4]
    poles = {"conflict": ["war"], "calm": ["peace"]}
    docs = tk.embedding_scores(corpus, embeddings, poles, progress=False)
    assert "tokens" not in docs.columns and "words" not in docs.columns
    assert docs["scored"].tolist() == scored and docs["scored"].dtype.kind == "i"
    years = tk.embedding_scores(corpus, embeddings, poles, by="year", progress=False)
    assert "tokens" not in years.columns
    assert years[["year", "units", "scored"]].values.tolist() == [[1990, 2, 5], [1991, 2, 6]]
    assert years["scored"].dtype.kind == "i"
    # the score is computed from those tokens: the first document's vector is the mean of
    # war, peace, war (SIF weights from the corpus's counts: war 4, peace 4 of 11)
    w = 1e-3 / (1e-3 + 4 / 11)
    mean = w * (2 * np.array(VECTORS["war"]) + np.array(VECTORS["peace"]))
    cos_war = mean @ np.array(VECTORS["war"]) / np.linalg.norm(mean)
    assert docs["similarity_conflict"].iloc[0] == pytest.approx(cos_war)


def test_keyness_attrs_name_the_word_tokens_of_each_side(corpus, store):
    # words of 1990: 6 + 6; of 1991: 4 + 9 (punctuation, 15 + 18 tokens in all, not counted)
    for c in (corpus, store):
        k = tk.keyness(c, by="year", target=1990, min_count=1)
        assert (k.attrs["target_words"], k.attrs["reference_words"]) == (
            WORDS[0] + WORDS[1],
            WORDS[2] + WORDS[3],
        )
        assert (k.attrs["target_words"], k.attrs["reference_words"]) == (12, 13)
        assert not {"target_tokens", "reference_tokens"} & set(k.attrs)
    two = tk.keyness(corpus.query("year == 1991"), corpus.query("year == 1990"), min_count=1)
    assert (two.attrs["target_words"], two.attrs["reference_words"]) == (13, 12)


def test_a_sharded_corpus_gives_the_same_columns(corpus, store, embeddings):
    mem = _tables(corpus, with_kwic=False, embeddings=embeddings)
    sharded = _tables(store, with_kwic=False, embeddings=embeddings)
    assert {n: list(t.columns) for n, t in sharded.items()} == {
        n: list(t.columns) for n, t in mem.items()
    }
    expected = _expected(corpus)
    problems = []
    for name, table in sharded.items():
        problems += _check(name, table, expected)
    assert problems == []
