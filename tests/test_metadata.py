"""Column roles, time parsing, periods and top groups (toolkit/metadata.py)."""

import pandas as pd
import pytest

import toolkit as tk


def test_bundled_corpus_roles():
    roles = tk.infer_columns(tk.load_sample())
    assert (roles.by, roles.time) == ("country", "year")
    assert "country" in roles.describe() and "year" in roles.describe()


def test_news_style_metadata_roles():
    meta = pd.DataFrame(
        {
            "source": ["apnews", "bbc", "apnews", "bbc", "reuters", "reuters"],
            "date": [
                "2024-01-02",
                "2024-01-05",
                "2024-02-01",
                "2024-03-09",
                "2024-03-10",
                "2024-04-01",
            ],
            "slug": ["a-b", "c-d", "e-f", "g-h", "i-j", "k-l"],  # unique: not a group
            "file": ["x"] * 6,  # loader column: never chosen
        }
    )
    roles = tk.infer_columns(meta)
    assert (roles.by, roles.time) == ("source", "date")


def test_integers_are_not_groups_and_texts_are_not_labels():
    meta = pd.DataFrame(
        {
            "session": [1, 1, 2, 2],
            "body": ["word " * 100, "word " * 120, "word " * 90, "word " * 80],
            "when": [1990, 1990, 1991, 1991],
        }
    )
    roles = tk.infer_columns(meta)
    assert roles.by is None and roles.time == "when"
    assert "no column" in roles.reasons["by"]


def test_named_columns_are_checked():
    meta = pd.DataFrame({"party": ["a", "b"], "year": [2000, 2001]})
    with pytest.raises(tk.ParameterError) as e:
        tk.infer_columns(meta, by="country")
    assert "party" in str(e.value)  # the valid columns are listed
    with pytest.raises(tk.ParameterError, match="not years or dates"):
        tk.infer_columns(meta, time="party")


def test_parse_time_names_the_bad_value():
    s = pd.Series(["2024-01-02", "yesterday"], index=["d1", "d2"])
    with pytest.raises(tk.ParameterError) as e:
        tk.parse_time(s, "published")
    assert "published" in str(e.value) and "yesterday" in str(e.value) and "d2" in str(e.value)


def test_parse_time_years_dates_and_missing():
    out = tk.parse_time(pd.Series([1991, None, "2024-03", "20240102"], dtype=object))
    assert out.iloc[0] == pd.Timestamp(1991, 1, 1)
    assert pd.isna(out.iloc[1])
    assert out.iloc[2] == pd.Timestamp(2024, 3, 1)
    assert out.iloc[3] == pd.Timestamp(2024, 1, 2)


def test_period_labels_units():
    years = pd.Series([1946, 1959, 1991, 2024])
    assert tk.period_labels(years, "decade").tolist() == ["1940s", "1950s", "1990s", "2020s"]
    # more than 30 years of data: decades by default; the categories fill the gaps
    labels = tk.period_labels(years)
    assert list(labels.cat.categories)[:3] == ["1940s", "1950s", "1960s"]
    dates = pd.Series(["2024-01-31", "2024-03-01"])
    assert tk.period_labels(dates).tolist() == ["2024-01", "2024-03"]  # short span: months
    with pytest.raises(tk.ParameterError, match="unit"):
        tk.period_labels(dates, "week")


def test_incomplete_periods_on_the_bundled_corpus():
    corpus = tk.load_sample()
    periods = tk.time_periods(corpus, unit="decade")
    years = corpus.meta["year"]
    # independently: the first decade is complete only if data starts in its first year,
    # the last only if data reaches its last year
    first, last = years.min(), years.max()
    assert periods["complete"].iloc[0] == (first % 10 == 0)
    assert periods["complete"].iloc[-1] == (last % 10 == 9)
    assert periods["complete"].iloc[1:-1].all()
    counts = (years // 10 * 10).value_counts()
    for row in periods.itertuples():
        assert row.n_docs == counts.get(int(row.period[:4]), 0)
    assert periods.attrs == {"unit": "decade", "time": "year"}


def test_month_periods_mark_partial_months():
    meta = pd.DataFrame({"date": ["2024-01-01", "2024-01-31", "2024-02-10", "2024-03-15"]})
    p = tk.time_periods(meta, unit="month")
    assert p["period"].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert p["complete"].tolist() == [True, True, False]  # data stops on 15 March


def test_top_groups_pools_the_rest():
    values = ["a"] * 5 + ["b"] * 3 + ["c"] * 3 + ["d"]
    out = tk.top_groups(values, n=2)
    # a (5) first, then the tie b/c (3 each) broken by label: b
    assert out.tolist() == ["a"] * 5 + ["b"] * 3 + ["other"] * 4
    assert out.attrs["pooled"] == 2
    with pytest.raises(tk.ParameterError):
        tk.top_groups(values, n=0)
    with pytest.raises(tk.ParameterError, match="other"):
        tk.top_groups(["other", "x"], n=2)


def test_is_sample():
    corpus = tk.load_sample()
    assert tk.is_sample(corpus)
    assert not tk.is_sample(corpus.query("year > 2000"))
    assert not tk.is_sample(
        tk.from_dataframe(pd.DataFrame({"text": ["a"]}), name="un-debates-asia")
    )
