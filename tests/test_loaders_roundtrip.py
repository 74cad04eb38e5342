"""Property: what is written is what is read, for every supported format.

Each format is given arbitrary Unicode texts, ids and string metadata, minus only what the
format truly cannot hold (said at each strategy).  Two exclusions are common to all formats
stored as files:

* lone surrogates (category ``Cs``) are not characters: UTF-8, which every text format here
  is written in, cannot encode them;
* NUL (``"\\x00"``) marks a binary file, which the loaders refuse (JSON Lines and Parquet
  escape or frame it, so they keep it).
"""

import csv
import io
import json
import tarfile
import warnings
import zipfile

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def chars(exclude=""):
    return st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00" + exclude)


def texts(exclude="", min_size=0):
    return st.text(chars(exclude), min_size=min_size, max_size=40)


def rows(text_strategy, value_strategy=None, id_strategy=None):
    """Rows of (id, text, value) with unique ids."""
    ids = texts(min_size=1) if id_strategy is None else id_strategy
    value = texts(min_size=1) if value_strategy is None else value_strategy
    return st.lists(
        st.tuples(ids, text_strategy, value), min_size=1, max_size=5, unique_by=lambda r: r[0]
    )


def quiet(load, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(*args, **kwargs)


def check(corpus, data, meta=True):
    assert corpus.doc_ids == [i for i, _, _ in data]
    assert [corpus.text(i) for i, _, _ in data] == [t for _, t, _ in data]
    assert [d.text for d in corpus] == [t for _, t, _ in data]
    if meta:  # a column of numbers is kept only when each one prints as written
        assert [str(v) for v in corpus.meta["value"]] == [v for _, _, v in data]


# Files in folders and archives: the id is the file name's stem.  A name cannot hold "/" or
# NUL, nor start with "." (hidden) and stay under 255 bytes.  A text cannot start with U+FEFF:
# a UTF-8 file starting with it is read as having a byte-order mark.
file_ids = st.text(chars("/"), min_size=1, max_size=30).filter(
    lambda s: not s.startswith(".") and s != "__MACOSX" and len(s.encode()) < 200
)
file_texts = texts().filter(lambda t: not t.startswith("\ufeff"))
file_rows = rows(file_texts, st.just(""), file_ids)


@SETTINGS
@given(data=file_rows)
def test_folder_round_trip(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("folder")
    for doc_id, text, _ in data:
        (root / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
    c = quiet(tk.load_folder, root)
    assert sorted(c.doc_ids) == sorted(i for i, _, _ in data)
    assert {i: c.text(i) for i in c.doc_ids} == {i: t for i, t, _ in data}


# File-name metadata: "{key}~{value}.txt" with no "~" in the key, so the split is unique.
name_part = st.text(chars("/~"), min_size=1, max_size=20)
named_rows = rows(file_texts, st.text(chars("/"), min_size=1, max_size=20), name_part).filter(
    lambda data: all(
        not i.startswith(".") and len(f"{i}~{v}.txt".encode()) < 250 for i, _, v in data
    )
)


@SETTINGS
@given(data=named_rows)
def test_file_name_fields_round_trip(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("named")
    for key, text, value in data:
        (root / f"{key}~{value}.txt").write_bytes(text.encode("utf-8"))
    c = quiet(tk.load_folder, root, name_pattern="{key}~{value}.txt")
    meta = c.meta
    got = {str(meta.loc[d, "key"]): (str(meta.loc[d, "value"]), c.text(d)) for d in c.doc_ids}
    assert got == {k: (v, t) for k, t, v in data}


@SETTINGS
@given(data=file_rows)
def test_zip_round_trip(tmp_path_factory, data):
    arc = tmp_path_factory.mktemp("zip") / "t.zip"
    with zipfile.ZipFile(arc, "w", zipfile.ZIP_DEFLATED) as zf:
        for doc_id, text, _ in data:
            zf.writestr(f"dir/{doc_id}.txt", text.encode("utf-8"))
    c = quiet(tk.load_folder, arc)
    assert {i: c.text(i) for i in c.doc_ids} == {i: t for i, t, _ in data}


@SETTINGS
@given(data=file_rows)
def test_tar_gz_round_trip(tmp_path_factory, data):
    arc = tmp_path_factory.mktemp("tar") / "t.tar.gz"
    with tarfile.open(arc, "w:gz") as tf:
        for doc_id, text, _ in data:
            raw = text.encode("utf-8")
            info = tarfile.TarInfo(f"dir/{doc_id}.txt")
            info.size = len(raw)
            tf.addfile(info, io.BytesIO(raw))
    c = quiet(tk.load_folder, arc)
    assert {i: c.text(i) for i in c.doc_ids} == {i: t for i, t, _ in data}


# CSV: quoting holds any character but NUL.  An empty field is a missing value, so texts,
# ids and values are not empty; a text cannot be missing.
@SETTINGS
@given(data=rows(texts(min_size=1)))
def test_csv_round_trip(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "value"])
        writer.writerows(data)
    check(tk.load_table(path, id="id"), data)


# TSV is read literally (no quoting), so a field cannot hold a tab or a line break (the
# csv module also ends lines at a lone "\r"); an empty field is a missing value.
tsv_text = texts("\t\n\r", min_size=1)


@SETTINGS
@given(data=rows(tsv_text, tsv_text, tsv_text))
def test_tsv_round_trip(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("tsv") / "t.tsv"
    lines = ["id\ttext\tvalue"] + ["\t".join(r) for r in data]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    check(tk.load_table(path, id="id"), data)


# JSON escapes every character, NUL and empty strings included.
json_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@SETTINGS
@given(data=rows(json_text, json_text, json_text))
def test_json_lines_round_trip(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("jsonl") / "t.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, t, v in data:
            fh.write(json.dumps({"id": i, "text": t, "value": v}, ensure_ascii=False) + "\n")
    check(quiet(tk.load_table, path, id="id"), data)


@SETTINGS
@given(data=rows(json_text, json_text, json_text))
def test_parquet_round_trip(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("parquet") / "t.parquet"
    pd.DataFrame(data, columns=["id", "text", "value"]).to_parquet(path)
    check(quiet(tk.load_table, path, id="id"), data)


# Excel stores cells as XML 1.0, which cannot hold most C0 control characters nor U+FFFE and
# U+FFFF; openpyxl, which writes the test file, writes a carriage return as is, and XML reads
# a bare one as a line end (Excel itself escapes it).  An empty cell is the same as an empty
# string, so no value is empty.
xml_bad = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n") + "\ufffe\uffff"
excel_text = texts(xml_bad, min_size=1)


@SETTINGS
@given(data=rows(excel_text, excel_text, excel_text))
def test_excel_round_trip(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "text", "value"])
    for r, row in enumerate(data, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col)
            cell.value = value
            cell.data_type = "s"  # a text starting with "=" is text, not a formula
    wb.save(path)
    check(quiet(tk.load_table, path, id="id"), data)


# A data frame holds any Python string: surrogates and NUL included.
any_text = st.text(max_size=40)


@SETTINGS
@given(data=rows(any_text, any_text, any_text))
def test_from_dataframe_round_trip(data):
    df = pd.DataFrame(data, columns=["id", "text", "value"])
    check(quiet(tk.from_dataframe, df, id="id"), data)
