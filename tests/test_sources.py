"""tests/test_sources.py mirrors toolkit/sources.py: ``iter_batches`` reads what
``build_shards`` is given as a stream of small corpora that hold, together, exactly the
documents given (texts, ids, metadata), and refuses what it cannot read."""

import warnings
import zipfile

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import LoadError, ParameterError, SkippedFilesWarning, ToolkitWarning
from toolkit.sources import FORMATS, iter_batches

# Texts chosen for what a reader can get wrong: non-ASCII letters of several scripts,
# quotes, commas and a line break (for CSV), an empty text, white space at the ends.
TEXTS = {
    "fr_1990": "Ça va, « la paix » — d’accord ?",
    "de_1991": 'Über "Frieden",\nzweite Zeile.',
    "ja_1992": "平和と安全。",
    "ru_1993": "Мир и безопасность.",
    "xx_1994": "",
    "en_1995": "  peace  ",
}


def _read(batches):
    """(doc_ids, texts, number of batches) of a stream of corpora."""
    batches = list(batches)
    assert all(isinstance(b, tk.Corpus) for b in batches)
    ids = [d for b in batches for d in b.doc_ids]
    texts = [t for b in batches for t in b.texts()]
    return ids, texts, len(batches)


def _quiet(batches):
    """Read the stream, keeping the toolkit's warnings (an empty text is reported)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read = _read(batches)
    return read, [str(w.message) for w in caught if issubclass(w.category, ToolkitWarning)]


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "texts"
    root.mkdir()
    for name, text in TEXTS.items():
        (root / f"{name}.txt").write_bytes(text.encode("utf-8"))
    return root


def test_a_corpus_is_passed_on_as_it_is():
    c = tk.from_dataframe(pd.DataFrame({"text": ["Peace.", "War."]}))
    batches = list(iter_batches(c))
    assert len(batches) == 1 and batches[0] is c


def test_a_data_frame_reads_back_its_texts_and_ids():
    df = pd.DataFrame({"body": list(TEXTS.values()), "key": list(TEXTS), "n": range(6)})
    (ids, texts, n), warned = _quiet(iter_batches(df, text="body", id="key"))
    assert (ids, texts, n) == (list(TEXTS), list(TEXTS.values()), 1)
    assert any("xx_1994" in w for w in warned)  # the empty text is kept, and said to be


def test_a_folder_reads_back_every_file_exactly(folder):
    (ids, texts, _), warned = _quiet(iter_batches(folder))
    got = dict(zip(ids, texts, strict=True))
    assert got == TEXTS
    assert any("xx_1994.txt" in w for w in warned)


def test_file_names_become_metadata_with_name_pattern(folder):
    with pytest.warns(ToolkitWarning, match="xx_1994.txt"):  # the empty file
        batches = list(iter_batches(folder, name_pattern="{lang}_{year}.txt"))
    meta = pd.concat([b.meta for b in batches])
    expected = {name: tuple(name.split("_")) for name in TEXTS}
    assert {d: (r["lang"], str(r["year"])) for d, r in meta.iterrows()} == expected


def test_small_batches_cut_the_stream_and_lose_nothing(folder):
    (ids, texts, n), _ = _quiet(iter_batches(folder, batch_mb=1e-6))
    assert n > 1
    assert dict(zip(ids, texts, strict=True)) == TEXTS
    assert len(set(ids)) == len(ids)


def test_files_selects_the_files_read(folder):
    (folder / "notes.md").write_text("not a text", encoding="utf-8")
    with pytest.warns(SkippedFilesWarning) as caught:
        ids, texts, _ = _read(iter_batches(folder, files="ru_*.txt"))
    assert (ids, texts) == (["ru_1993"], [TEXTS["ru_1993"]])
    # the files left out are said to be, not dropped in silence
    message = " ".join(str(w.message) for w in caught)
    assert "6 files not read" in message and "notes.md" in message


def test_a_zip_archive_reads_back_every_member(tmp_path):
    archive = tmp_path / "texts.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, text in TEXTS.items():
            z.writestr(f"{name}.txt", text.encode("utf-8"))
    (ids, texts, _), _ = _quiet(iter_batches(archive))
    assert dict(zip(ids, texts, strict=True)) == TEXTS


def _table(n):
    texts = [list(TEXTS.values())[i % len(TEXTS)] + f" {i}" if i % 7 else "" for i in range(n)]
    return pd.DataFrame({"body": texts, "key": [f"k{i}" for i in range(n)]})


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl"])
def test_a_table_is_read_in_chunks_of_rows_and_reads_back_exactly(tmp_path, suffix):
    df = _table(250)
    path = tmp_path / f"speeches{suffix}"
    if suffix == ".jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_csv(path, sep="\t" if suffix == ".tsv" else ",", index=False)
    (ids, texts, n), _ = _quiet(iter_batches(path, batch_mb=1e-6, text="body", id="key"))
    assert n > 1  # 250 rows do not come as one piece
    assert ids == df["key"].tolist()
    assert texts == df["body"].tolist()


def test_a_parquet_table_is_read_by_row_group(tmp_path):
    pytest.importorskip("pyarrow")
    df = _table(250)
    path = tmp_path / "speeches.parquet"
    df.to_parquet(path, row_group_size=100)
    (ids, texts, n), _ = _quiet(iter_batches(path, text="body", id="key"))
    assert n == 3  # row groups of 100, 100 and 50 rows
    assert (ids, texts) == (df["key"].tolist(), df["body"].tolist())


def test_a_table_needs_its_text_column_named(tmp_path):
    path = tmp_path / "t.csv"
    _table(3).to_csv(path, index=False)
    with pytest.raises(ParameterError) as err:
        list(iter_batches(path))
    assert err.value.parameter == "text"


def test_a_folder_of_conllu_files_gives_the_tokens_as_given(tmp_path):
    root = tmp_path / "parsed"
    root.mkdir()
    (root / "doc1.conllu").write_text(
        "# sent_id = 1\n"
        "1\tFriede\tFriede\tNOUN\t_\t_\t0\troot\t_\tSpaceAfter=No\n"
        "2\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_\n\n",
        encoding="utf-8",
    )
    [batch] = list(iter_batches(root))
    assert batch.doc_ids == ["doc1"] and batch.pretokenized
    assert list(tk.tokens(batch, case_sensitive=True, punct=True)) == [["Friede", "."]]
    assert list(tk.tokens(batch, layer="pos", punct=True)) == [["NOUN", "PUNCT"]]


@pytest.mark.parametrize("batch_mb", [0, -1, True, "32", float("nan")])
def test_a_bad_batch_size_is_refused(batch_mb):
    c = tk.from_dataframe(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ParameterError) as err:
        list(iter_batches(c, batch_mb=batch_mb))
    assert err.value.parameter == "batch_mb"


def test_a_path_that_does_not_exist_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="no such file or folder"):
        list(iter_batches(tmp_path / "nowhere"))


def test_a_file_of_an_unknown_kind_is_refused_naming_the_kinds(tmp_path):
    path = tmp_path / "speech.docx"
    path.write_bytes(b"PK")
    with pytest.raises(ParameterError) as err:
        list(iter_batches(path))
    assert err.value.parameter == "source"
    assert ".zip" in str(err.value) and ".csv" in str(err.value)


def test_an_unknown_format_is_refused_with_the_choices(folder):
    with pytest.raises(ParameterError) as err:
        list(iter_batches(folder, format="pdf"))
    assert err.value.parameter == "format"
    assert err.value.valid == ["text", "conllu", "vrt"] == list(FORMATS)


def test_format_options_are_refused_for_plain_texts(folder):
    with pytest.raises(ParameterError) as err:
        list(iter_batches(folder, format_options={"columns": ["id"]}))
    assert err.value.parameter == "format_options"


def test_an_unknown_reader_option_is_refused_naming_it(tmp_path):
    root = tmp_path / "parsed"
    root.mkdir()
    (root / "d.conllu").write_text("1\tx\tx\tX\t_\t_\t0\troot\t_\t_\n\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        list(iter_batches(root, format_options={"colums": ["id"]}))
    assert err.value.parameter == "format_options"
    assert "colums" in str(err.value)


def test_an_iterable_of_corpora_is_passed_on_in_order():
    parts = [
        tk.from_dataframe(pd.DataFrame({"text": [t]}), name=f"p{i}") for i, t in enumerate("ab")
    ]
    assert list(iter_batches(iter(parts))) == parts


def test_an_item_that_is_not_a_corpus_is_refused_naming_its_place():
    c = tk.from_dataframe(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ParameterError) as err:
        list(iter_batches([c, "b.txt"]))
    assert err.value.parameter == "source"
    assert "item 1" in str(err.value)


def test_a_source_of_no_known_kind_is_refused():
    with pytest.raises(ParameterError) as err:
        list(iter_batches(42))
    assert err.value.parameter == "source"
