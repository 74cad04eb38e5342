import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.segment import paragraph_spans


def test_bundled_corpus_has_metadata_with_proper_types(un):
    assert len(un) == 371
    assert un.meta.index.name == "doc_id"
    assert set(un.meta["country"]) == {"USA", "RUS", "CHN", "JPN", "KOR", "PRK"}
    assert un.meta["year"].min() == 1946 and un.meta["year"].max() == 2024
    assert str(un.meta["year"].dtype) == "int64" and str(un.meta["session"].dtype) == "int64"
    assert un.meta.loc["USA_79_2024", "speaker"] == "Joseph R. Biden"


def test_text_is_exact(un):
    raw = (tk.samples.corpora_dir() / "un-debates-asia/texts/PRK_51_1996.txt").read_bytes()
    assert un.text("PRK_51_1996") == raw.decode("utf-8-sig")  # only the BOM is decoded away


def test_query_segment_chain_from_the_issue(un):
    prk = un.query("country == 'PRK'")
    n_files = len(list((tk.samples.corpora_dir() / "un-debates-asia/texts").glob("PRK_*.txt")))
    assert len(prk) == n_files and set(prk.meta["country"]) == {"PRK"}
    paras = prk.segment("paragraph")
    assert set(paras.meta["parent_id"]) == set(prk.doc_ids)
    first = paras.meta.iloc[0]
    assert (
        paras.text(paras.doc_ids[0]) == prk.text(first.parent_id)[first.span_start : first.span_end]
    )
    assert (paras.meta["year"] == prk.meta.loc[paras.meta["parent_id"], "year"].values).all()


def test_query_errors_name_the_columns(un):
    with pytest.raises(ValueError, match="country"):
        un.query("nonsense_column > 3")


def test_join_by_key_and_duplicates(make):
    c = make(["a", "b", "c"], iso=["USA", "RUS", "XXX"])
    table = pd.DataFrame({"ISO": ["USA", "RUS", "RUS"], "name": ["US", "Russia", "USSR"]})
    with pytest.raises(ValueError, match="RUS"):
        c.join(table, on={"iso": "ISO"})
    with pytest.warns(UserWarning, match="1 of 3"):
        j = c.join(table, on={"iso": "ISO"}, duplicates="combine")
    assert j.meta["name"].tolist()[:2] == ["US", "Russia; USSR"]
    assert pd.isna(j.meta["name"].iloc[2])
    assert len(c.join(table, on={"iso": "ISO"}, duplicates="first", how="inner")) == 2


def test_paragraphs_one_per_line_and_blank_separated():
    assert paragraph_spans("One.\nTwo.\r\nThree.") == [(0, 4), (5, 9), (11, 17)]
    wrapped = "A line that\nwraps here.\n\nNext par\nalso wraps."
    assert [wrapped[s:e] for s, e in paragraph_spans(wrapped)] == [
        "A line that\nwraps here.",
        "Next par\nalso wraps.",
    ]
    assert len(paragraph_spans(wrapped, sep="line")) == 4


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from(list("ab. \n\r\t")), max_size=80),
    st.sampled_from(["auto", "line", "blank"]),
)
def test_segments_lose_only_whitespace_separators(text, sep):
    spans = paragraph_spans(text, sep=sep)
    pieces, pos = [], 0
    for s, e in spans:
        assert s >= pos and text[pos:s].strip() == ""
        assert text[s:e] == text[s:e].strip() and text[s:e]
        pieces.append(text[s:e])
        pos = e
    assert text[pos:].strip() == ""
    assert "".join(text.split()) == "".join("".join(p.split()) for p in pieces)


def test_sentences_without_downloads(commentary):
    sents = commentary.segment("sentence")
    summary = sents.query("section == 'summary'")
    assert summary.text(summary.doc_ids[0]).startswith("Russian Foreign Minister Sergey Lavrov")
    assert summary.text(summary.doc_ids[0]).endswith("Korea, and Japan.")
    assert len(summary) == 4
    for doc_id, row in sents.meta.iterrows():
        parent = commentary.text(row.parent_id)
        assert parent[row.span_start : row.span_end] == sents.text(doc_id)


def test_fingerprints_cannot_be_forged_by_packing_ids():
    import hashlib

    import pandas as pd

    # "peace 62294" has a SHA-1 digest that is valid UTF-8: an id can spell it out, so
    # without length framing one document ("x\0<digest>y", "war") hashed exactly like two
    # ("x", "peace 62294") and ("y", "war"), and the second corpus got the first's index
    t1 = "peace 62294"
    packed = hashlib.sha1(t1.encode()).digest().decode("utf-8", "surrogatepass")
    a = tk.from_dataframe(pd.DataFrame({"text": [t1, "war"], "id": ["x", "y"]}), id="id")
    b = tk.from_dataframe(pd.DataFrame({"text": ["war"], "id": ["x\0" + packed + "y"]}), id="id")
    assert a.fingerprint != b.fingerprint
    assert len(tk.kwic(b, "peace")) == 0 and len(tk.kwic(b, "war")) == 1


def test_clean_method_keeps_ids_metadata_and_the_original():
    import pandas as pd

    from toolkit.clean import cleaning_record

    raw = "to save succeeding\n7\ngenerations"
    c = tk.from_dataframe(pd.DataFrame({"text": [raw], "year": [1945]}))
    cleaned = c.clean()
    assert cleaned.doc_ids == c.doc_ids and cleaned.meta["year"].tolist() == [1945]
    assert cleaned.text("0") == "to save succeeding generations"
    assert cleaning_record(cleaned).original_text("0") == raw


def test_join_checks_its_options_before_reading_the_table():
    c = tk.load_sample()
    table = pd.DataFrame({"country": ["USA"], "x": [1]})  # no duplicate keys at all
    with pytest.raises(tk.ParameterError, match="combine"):
        c.join(table, on="country", duplicates="merge")
    with pytest.raises(tk.ParameterError, match="inner"):
        c.join(table, on="country", how="outer")
    with pytest.raises(tk.ParameterError):  # the path is never opened
        c.join("no-such-file.csv", on="country", how="outer")


# ------------------------------------------------------------------ errors name what is at fault
def _corpus(texts, ids, **meta):
    from toolkit.corpus import BufferSource, Corpus, digest

    frame = pd.DataFrame(meta, index=pd.Index(ids, name="doc_id"))
    return Corpus(BufferSource(texts), frame, [digest(t) for t in texts])


def test_metadata_columns_names_the_argument_and_the_missing_column():
    from toolkit.corpus import metadata_columns

    meta = pd.DataFrame({"year": [1990], "party": ["A"]})
    with pytest.raises(tk.errors.ColumnError) as err:
        metadata_columns(meta, ["party", "month"], "meta")
    assert isinstance(err.value, KeyError) and isinstance(err.value, ValueError)
    assert err.value.parameter == "meta" and err.value.valid == ["year", "party"]
    assert "'month'" in str(err.value) and str(err.value).startswith("meta=")


def test_missing_group_column_of_kwic_counts_is_a_column_error(make):
    c = make(["peace now"], year=[1990])
    with pytest.raises(tk.errors.ColumnError, match="'decade'") as err:
        tk.kwic(c, "peace").counts(by="decade")
    assert err.value.parameter == "by"


def test_duplicate_document_ids_name_them():
    with pytest.raises(tk.ParameterError, match=r"duplicate document ids: \['a'\]") as err:
        _corpus(["x", "y", "z"], ["a", "a", "b"])
    assert err.value.parameter == "meta" and err.value.value == ["a"]


def test_one_digest_per_document():
    from toolkit.corpus import BufferSource, Corpus

    meta = pd.DataFrame(index=pd.Index(["a", "b"], name="doc_id"))
    with pytest.raises(tk.ParameterError, match="1 digests for 2 documents") as err:
        Corpus(BufferSource(["x", "y"]), meta, [b"0"])
    assert err.value.parameter == "digests"


def test_pretokenized_offsets_layers_and_structures_are_checked():
    import numpy as np

    from toolkit.corpus import Pretokenized

    with pytest.raises(tk.ParameterError, match="ascend from 0") as err:
        Pretokenized(np.array([1, 2]), {}, {})
    assert err.value.parameter == "offsets"
    vocab = np.array(["a"], dtype=object)
    with pytest.raises(tk.ParameterError, match="'word'") as err:
        Pretokenized(np.array([0, 1]), {"word": (np.zeros(1, np.int32), vocab)}, {})
    assert (err.value.parameter, err.value.value) == ("layers", "word")
    with pytest.raises(tk.ParameterError, match="one int32 id per token") as err:
        Pretokenized(np.array([0, 2]), {"pos": (np.zeros(1, np.int32), vocab)}, {})
    assert err.value.value == "pos"
    with pytest.raises(tk.ParameterError, match="outside its vocabulary of 1") as err:
        Pretokenized(np.array([0, 1]), {"pos": (np.array([3], np.int32), vocab)}, {})
    assert err.value.value == "pos"
    with pytest.raises(tk.errors.ColumnError, match="'s' lacks the columns") as err:
        Pretokenized(np.array([0, 1]), {}, {"s": pd.DataFrame({"doc": [0]})})
    assert (err.value.parameter, err.value.value) == ("structures", "s")


def test_pretokenized_must_match_the_source():
    import numpy as np

    from toolkit.corpus import BufferSource, Corpus, Pretokenized, digest

    meta = pd.DataFrame(index=pd.Index(["a"], name="doc_id"))
    given = Pretokenized(np.array([0, 1, 2]), {}, {})  # two documents
    with pytest.raises(tk.ParameterError, match="2 for 1 documents") as err:
        Corpus(BufferSource(["x"]), meta, [digest("x")], pretokenized=given)
    assert err.value.parameter == "pretokenized"


def test_unknown_document_id_is_a_not_found_error(make):
    c = make(["a", "b"])
    with pytest.raises(tk.errors.NotFoundError, match="no document with id 'zz'") as err:
        c.text("zz")
    assert isinstance(err.value, KeyError)
    assert (err.value.parameter, err.value.value) == ("doc_id", "zz")
    with pytest.raises(tk.errors.NotFoundError, match=r"\['zz', 'yy'\]") as err:
        c.select(["1", "zz", "yy"])
    assert (err.value.parameter, err.value.value) == ("doc_ids", "zz")
    assert c.select(["1", "0"]).doc_ids == ["1", "0"]  # in the order given


def test_unknown_structure_is_a_not_found_error():
    c = tk.from_tokens([[["One", "."]]])
    with pytest.raises(tk.errors.NotFoundError, match=r"no structure 'u'; this corpus has \['s'\]"):
        c.structure("u")


def test_query_errors_are_parameter_errors_naming_the_expression(make):
    c = make(["a", "b"], year=[1990, 1991])
    with pytest.raises(tk.ParameterError, match="columns: year") as err:
        c.query("nonsense > 3")
    assert (err.value.parameter, err.value.value) == ("expr", "nonsense > 3")
    with pytest.raises(tk.ParameterError, match="True/False") as err:
        c.query("year + 1")
    assert err.value.parameter == "expr"


def test_join_errors_name_the_argument_and_the_column(make):
    c = make(["a", "b"], iso=["USA", "RUS"])
    table = pd.DataFrame({"ISO": ["USA", "RUS"], "name": ["US", "Russia"], "iso": [1, 2]})
    with pytest.raises(tk.errors.ColumnError, match="corpus has no metadata column 'code'") as e:
        c.join(table, on={"code": "ISO"})
    assert (e.value.parameter, e.value.value) == ("on", "code")
    with pytest.raises(tk.errors.ColumnError, match="table has no column 'Code'") as e:
        c.join(table, on={"iso": "Code"})
    assert (e.value.parameter, e.value.value) == ("on", "Code")
    with pytest.raises(tk.errors.ColumnError, match=r"table has no columns \['pop'\]") as e:
        c.join(table, on={"iso": "ISO"}, columns=["name", "pop"])
    assert (e.value.parameter, e.value.value) == ("columns", ["pop"])
    with pytest.raises(tk.errors.ColumnError, match=r"\['iso'\] exist in the corpus") as e:
        c.join(table, on={"iso": "ISO"})
    assert e.value.parameter == "columns"
    twice = pd.DataFrame({"ISO": ["USA", "USA"], "name": ["US", "America"]})
    with pytest.raises(tk.ParameterError, match="USA") as e:
        c.join(twice, on={"iso": "ISO"})
    assert (e.value.parameter, e.value.value) == ("duplicates", "raise")
