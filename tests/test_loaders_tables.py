"""Tables: cells are read as the exact strings in the file, every sheet is reachable, and
errors name the file, the line and the column at fault."""

import json
import warnings

import openpyxl
import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import LimitError, LoadError, ParameterError
from toolkit.loaders import read_table


def test_tsv_fields_are_read_literally(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text('id\ttext\na\t"Hello" she said.\nb\tsay "hi"\n', encoding="utf-8")
    c = tk.load_table(p, id="id")
    assert c.text("a") == '"Hello" she said.'
    assert c.text("b") == 'say "hi"'


def test_quoted_tsv_on_request(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text('id\ttext\na\t"two\nlines"\n', encoding="utf-8")
    assert tk.load_table(p, id="id", quotes=True).text("a") == "two\nlines"
    with pytest.raises(LoadError, match="quotes=True") as err:
        tk.load_table(p, id="id")
    assert err.value.line == 3


def test_csv_delimiter(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id;text\na;x, y\n", encoding="utf-8")
    assert tk.load_table(p, id="id", delimiter=";").text("a") == "x, y"


def test_ids_and_codes_keep_their_leading_zeros(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,code,n,x,text\n007,007,7,1.5,a\n010,010,10,2.25,b\n", encoding="utf-8")
    c = tk.load_table(p, id="id")
    assert c.doc_ids == ["007", "010"]
    assert c.meta["code"].tolist() == ["007", "010"]
    assert c.meta["n"].dtype == "int64" and c.meta["n"].tolist() == [7, 10]
    assert c.meta["x"].dtype == "float64" and c.meta["x"].tolist() == [1.5, 2.25]
    table = read_table(p)
    assert table["id"].tolist() == ["007", "010"] and table["n"].tolist() == [7, 10]


@pytest.mark.parametrize(
    "values",
    [
        ["1", "1.5"],  # an int and a float: "1" would come back as "1.0"
        ["+5", "6"],
        ["1e3", "2"],
        ["99999999999999999999", "1"],  # beyond int64
        ["٣", "4"],  # Arabic-Indic digit
        ["７", "8"],  # full-width digit
        ["nan", "1.5"],
        ["-0", "1"],
        ["1_000", "2"],
        ["0.10", "0.5"],
    ],
)
def test_a_column_is_numeric_only_if_every_value_round_trips(tmp_path, values):
    p = tmp_path / "t.csv"
    p.write_text("v,text\n" + "".join(f"{v},t\n" for v in values), encoding="utf-8")
    c = tk.load_table(p)
    assert c.meta["v"].tolist() == values


def test_empty_field_is_a_missing_value_and_numbers_stay_whole(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("year,note,text\n1990,,a\n,x,b\n", encoding="utf-8")
    c = tk.load_table(p)
    assert c.meta["year"].dtype == "Int64"
    assert c.meta["year"].tolist()[0] == 1990 and pd.isna(c.meta["year"].tolist()[1])
    assert pd.isna(c.meta["note"].iloc[0]) and c.meta["note"].iloc[1] == "x"


def test_every_excel_sheet_is_reachable(tmp_path):
    p = tmp_path / "t.xlsx"
    with pd.ExcelWriter(p) as w:
        pd.DataFrame({"id": ["a", "b"], "text": ["A", "B"]}).to_excel(
            w, sheet_name="2022", index=False
        )
        pd.DataFrame({"id": ["c"], "text": ["C"]}).to_excel(w, sheet_name="2023", index=False)
    with pytest.raises(ParameterError, match=r"2 sheets.*'2022', '2023', 'all'") as err:
        tk.load_table(p, id="id")
    assert err.value.parameter == "sheet"
    assert tk.load_table(p, id="id", sheet="2023").doc_ids == ["c"]
    assert tk.load_table(p, id="id", sheet=0).doc_ids == ["a", "b"]
    both = tk.load_table(p, id="id", sheet="all")
    assert both.doc_ids == ["a", "b", "c"]
    assert both.meta["sheet"].tolist() == ["2022", "2022", "2023"]
    assert tk.load_table(p, id="id", sheet=["2023", "2022"]).doc_ids == ["c", "a", "b"]
    with pytest.raises(ParameterError, match="'2024'.*'2022', '2023'"):
        tk.load_table(p, sheet="2024")
    with pytest.raises(ParameterError, match="sheet"):
        tk.load_table(p, sheet=5)
    csv = tmp_path / "t.csv"
    csv.write_text("text\na\n")
    with pytest.raises(ParameterError, match="sheet"):
        tk.load_table(csv, sheet="x")


def test_excel_cells_keep_their_text(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "year", "text"])
    ws.append(["007", 1990, "NA"])
    ws.append(["010", None, "  spaced  "])
    wb.save(p)
    c = tk.load_table(p, id="id")
    assert c.doc_ids == ["007", "010"]
    assert c.text("007") == "NA" and c.text("010") == "  spaced  "
    assert c.meta["year"].dtype == "Int64" and c.meta["year"].iloc[0] == 1990


def test_duplicate_excel_header_is_an_error(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["text", "text"])
    wb.active.append(["a", "b"])
    wb.save(p)
    with pytest.raises(LoadError, match="twice") as err:
        tk.load_table(p)
    assert err.value.column == "text"


def test_unclosed_quote_names_the_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('id,text\na,"fine"\nb,"never closed\nc,more\n', encoding="utf-8")
    with pytest.raises(LoadError, match="quote") as err:
        tk.load_table(p, id="id")
    assert err.value.line == 3 and err.value.path == str(p)
    assert "EOF" not in str(err.value)


def test_stray_quote_in_a_csv_field_names_the_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('id,text\na,ok\nb,"Hello" she said.\n', encoding="utf-8")
    with pytest.raises(LoadError, match="quote") as err:
        tk.load_table(p, id="id")
    assert err.value.line == 3


def test_ragged_row_names_the_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,text\na,x\nb,y,extra\n", encoding="utf-8")
    with pytest.raises(LoadError, match="3 fields.*2") as err:
        tk.load_table(p, id="id")
    assert err.value.line == 3


def test_bad_json_lines_record_names_the_line(tmp_path):
    p = tmp_path / "t.jsonl"
    good = json.dumps({"id": "a", "text": "x"})
    p.write_text(f'{good}\n\n{good.replace("a", "b")}\n{{"id": "c", "text": oops}}\n')
    with pytest.raises(LoadError) as err:
        tk.load_table(p, id="id")
    assert err.value.line == 4 and "char" not in str(err.value)
    p.write_text(f"{good}\n[1, 2]\n")
    with pytest.raises(LoadError, match="object") as err:
        tk.load_table(p, id="id")
    assert err.value.line == 2
    p.write_text('{"text": "a", "text": "b"}\n')
    with pytest.raises(LoadError, match="twice") as err:
        tk.load_table(p)
    assert err.value.line == 1 and err.value.column == "text"


def test_json_values_keep_their_types(tmp_path):
    p = tmp_path / "t.jsonl"
    rows = [{"id": "007", "year": 1990, "text": "a"}, {"id": "010", "year": None, "text": "b"}]
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    c = tk.load_table(p, id="id")
    assert c.doc_ids == ["007", "010"]
    assert c.meta["year"].dtype == "Int64" and c.meta["year"].iloc[0] == 1990
    p = tmp_path / "t.json"
    p.write_text(json.dumps(rows))
    assert tk.load_table(p, id="id").doc_ids == ["007", "010"]


def test_two_text_columns_are_an_error_naming_the_column(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,text,text\na,x,y\n", encoding="utf-8")
    with pytest.raises(LoadError, match="twice") as err:
        tk.load_table(p, id="id")
    assert err.value.column == "text" and err.value.line == 1
    df = pd.DataFrame([["x", "y"]], columns=["text", "text"])
    with pytest.raises(LoadError, match="'text'"):
        tk.from_dataframe(df)


def test_missing_column_lists_the_columns(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,body\na,x\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"'text'.*'id', 'body'") as err:
        tk.load_table(p)
    assert err.value.parameter == "text"
    with pytest.raises(ParameterError, match=r"'key'.*'id', 'body'") as err:
        tk.load_table(p, text="body", id="key")
    assert err.value.parameter == "id"


def test_table_over_the_file_limit_is_refused(tmp_path):
    p = tmp_path / "big.csv"
    p.write_text("text\n" + "x" * 2000 + "\n")
    with tk.set_options(max_file_bytes=1000):
        with pytest.raises(LimitError, match="big.csv") as err:
            tk.load_table(p)
    assert err.value.option == "max_file_bytes"
    with tk.set_options(max_document_chars=10):
        with pytest.raises(LimitError, match="max_document_chars"):
            tk.load_table(p)
        with pytest.raises(LimitError, match="max_document_chars"):
            tk.from_dataframe(pd.DataFrame({"text": ["x" * 11]}))


def test_table_encodings(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("id,text\na,café\n".encode("cp1252"))
    with pytest.warns(UserWarning, match="cp1252"):
        assert tk.load_table(p, id="id").text("a") == "café"
    p.write_bytes("id,text\na,καλημέρα\n".encode("utf-16"))
    assert tk.load_table(p, id="id").text("a") == "καλημέρα"


def test_gzipped_table(tmp_path):
    import gzip

    p = tmp_path / "t.csv.gz"
    p.write_bytes(gzip.compress(b"id,text\n007,x\n"))
    assert tk.load_table(p, id="id").doc_ids == ["007"]


def test_corrupt_parquet_and_excel_name_the_file(tmp_path):
    for name in ("t.parquet", "t.xlsx"):
        p = tmp_path / name
        p.write_bytes(b"this is not a table at all")
        with pytest.raises(LoadError, match=name):
            tk.load_table(p)


def test_empty_path_is_an_error_not_the_current_folder():
    for load in (tk.load, tk.load_folder, tk.load_table, tk.load_commentary):
        with pytest.raises(ParameterError, match="empty"):
            load("")
    with pytest.raises(ParameterError):
        tk.load("   ")


def test_from_nltk_names_a_file_it_cannot_decode(tmp_path, monkeypatch):
    import nltk
    from nltk.corpus.reader import PlaintextCorpusReader

    monkeypatch.setattr(nltk.data, "path", [*nltk.data.path, str(tmp_path)])
    (tmp_path / "a.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("café".encode("latin-1"))
    reader = PlaintextCorpusReader(str(tmp_path), r".*\.txt")
    with pytest.raises(LoadError, match="b.txt.*encoding") as err:
        tk.from_nltk(reader)
    assert isinstance(err.value.__cause__, UnicodeDecodeError)
    latin = PlaintextCorpusReader(str(tmp_path), r"b\.txt", encoding="latin-1")
    assert tk.from_nltk(latin).text("b.txt") == "café"


def test_table_corpora_have_an_empty_skipped_list(tmp_path):
    c = tk.from_dataframe(pd.DataFrame({"text": ["a"]}))
    assert c.skipped.columns.tolist() == ["path", "reason"] and c.skipped.empty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = tmp_path / "t.csv"
        p.write_text("text\na\n")
        assert tk.load_table(p).skipped.empty


# ------------------------------------------------------------------ which column holds the texts
SPEECHES = (
    "speech_id,nation,when,body\n"
    "s1,Freedonia,1999-09-10,The harvest was poor and the rivers ran low all summer long.\n"
    "s2,Sylvania,2001-09-12,Our ports reopened in spring and trade with our neighbours grew.\n"
    "s3,Freedonia,2003-09-15,We ask the assembly to fund the new school in the hill towns.\n"
)


def test_a_table_without_a_text_column_uses_the_column_that_clearly_holds_texts(tmp_path):
    p = tmp_path / "speeches.csv"
    p.write_text(SPEECHES, encoding="utf-8")
    c = tk.load_table(p)
    assert c.text("0").startswith("The harvest was poor")
    # the other columns stay metadata, nothing dropped
    assert c.meta.columns.tolist() == ["speech_id", "nation", "when"]
    # median lengths by hand: body 60, 64, 61 -> 61; speech_id 2; nation 9, 8, 9 -> 9; when 10
    assert "'body'" in c.load_note and "61 characters" in c.load_note
    assert "'when'" in c.load_note and "6.1 times" in c.load_note
    assert "ids: row numbers" in c.load_note
    # tk.load, whose text= defaults to None as load_table's, reads it the same way
    assert tk.load(str(p)).text("2").startswith("We ask the assembly")


def test_the_text_and_id_columns_can_be_named(tmp_path):
    p = tmp_path / "speeches.csv"
    p.write_text(SPEECHES, encoding="utf-8")
    c = tk.load_table(p, text="nation", id="speech_id")
    assert c.doc_ids == ["s1", "s2", "s3"] and c.text("s2") == "Sylvania"
    assert c.load_note == "texts from column 'nation' (given); ids from column 'speech_id'"
    with pytest.raises(ParameterError, match="'text '.*'speech_id'"):
        tk.load_table(p, text="text ")


def test_a_column_named_text_is_used_as_before(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("text,notes\nshort,A much longer note about the harvest and the rivers.\n")
    assert tk.load_table(p).text("0") == "short"
    assert tk.load_table(p, text="text").text("0") == "short"


def test_no_clear_text_column_is_an_error_listing_the_columns(tmp_path):
    p = tmp_path / "t.csv"
    # two long columns of similar length: neither is clearly the text
    p.write_text(
        "title,summary,year\n"
        "Rivers ran low across the plains,Farmers waited for the autumn rains,2001\n"
    )
    with pytest.raises(ParameterError) as err:
        tk.load_table(p)
    message = str(err.value)
    assert "no column clearly holds the texts" in message and "--text" in message
    assert "'title' (32 characters)" in message and "'summary' (35 characters)" in message
    assert "'year' (not text)" not in message  # CSV cells are strings: 'year' is measured
    assert "'year' (4 characters)" in message
    # short strings only: nothing is long enough to be a text
    p.write_text("name,code\nAda,A1\nBea,B2\n")
    with pytest.raises(ParameterError, match="no column clearly holds the texts"):
        tk.load_table(p)


def test_columns_of_numbers_are_never_the_text(tmp_path):
    df = pd.DataFrame({"n": [10**30, 10**31], "body": ["A line of prose long enough."] * 2})
    from toolkit.loaders import infer_text_column

    assert infer_text_column(df)[0] == "body"
    with pytest.raises(ParameterError, match="'n' \\(not text\\)"):
        infer_text_column(df.assign(body=["x", "y"]))


def test_the_reports_choice_applies_to_the_reports_corpus_only(tmp_path, monkeypatch):
    p = tmp_path / "speeches.csv"
    p.write_text(SPEECHES, encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text(SPEECHES, encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_REPORT_CORPUS", str(p))
    monkeypatch.setenv("TOOLKIT_REPORT_TEXT", "nation")
    monkeypatch.setenv("TOOLKIT_REPORT_ID", "speech_id")
    c = tk.load(str(p))
    assert c.doc_ids == ["s1", "s2", "s3"] and c.text("s1") == "Freedonia"
    assert "--text" in c.load_note and "--id" in c.load_note
    # an explicit column wins; another table is not affected
    assert tk.load_table(p, text="body", id="when").text("2001-09-12").startswith("Our ports")
    assert tk.load_table(other).doc_ids == ["0", "1", "2"]


def test_the_reports_text_column_wins_over_a_column_named_text(tmp_path, monkeypatch):
    p = tmp_path / "t.csv"
    p.write_text("text,body\nshort,A longer text about the harvest and the rivers.\n")
    monkeypatch.setenv("TOOLKIT_REPORT_CORPUS", str(p))
    monkeypatch.setenv("TOOLKIT_REPORT_TEXT", "body")
    # tk.load leaves the choice to load_table: under the report, --text decides
    assert tk.load(str(p)).text("0").startswith("A longer text")
    monkeypatch.delenv("TOOLKIT_REPORT_TEXT")
    assert tk.load(str(p)).text("0") == "short"


def test_load_says_the_text_column_was_found_not_given(tmp_path):
    """tk.load's text= defaults to None: a column it was not given is not called given."""
    p = tmp_path / "t.csv"
    p.write_text("text,notes\nshort,A much longer note about the harvest and the rivers.\n")
    found = tk.load(str(p))
    assert found.text("0") == "short"
    assert found.load_note == "texts from column 'text' (the column named 'text'); ids: row numbers"
    given = tk.load(str(p), text="notes")
    assert given.text("0").startswith("A much longer note")
    assert given.load_note == "texts from column 'notes' (given); ids: row numbers"
