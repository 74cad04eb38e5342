import io
import tarfile
import warnings
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.loaders import BinaryFileError

FILES = {
    "USA_78_2023.txt": "We stand with Ukraine.\nA second paragraph.",
    "sub/RUS_78_2023.txt": "Russia’s view.",
}


def write_folder(root, files=FILES):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def test_folder_recursive_with_pattern_and_integer_fields(tmp_path):
    c = tk.load_folder(write_folder(tmp_path), name_pattern="{country}_{session}_{year}.txt")
    assert sorted(c.doc_ids) == ["RUS_78_2023", "USA_78_2023"]
    assert c.meta["session"].dtype == "int64" and c.meta["year"].dtype == "int64"
    assert c.meta.loc["RUS_78_2023", "file"] == "sub/RUS_78_2023.txt"
    assert c.text("USA_78_2023") == FILES["USA_78_2023.txt"]


@pytest.mark.parametrize("suffix", [".zip", ".tar.gz", ".tar.xz"])
def test_archives_read_in_place_equal_the_folder(tmp_path, suffix):
    arc = tmp_path / f"speeches{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(arc, "w") as zf:
            for rel, text in FILES.items():
                zf.writestr(f"TXT/{rel}", text)
    else:
        with tarfile.open(arc, "w:gz" if suffix == ".tar.gz" else "w:xz") as tf:
            for rel, text in FILES.items():
                data = text.encode()
                info = tarfile.TarInfo(f"TXT/{rel}")
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    c = tk.load_folder(arc, name_pattern="{country}_{session}_{year}.txt")
    assert {d: c.text(d) for d in c.doc_ids} == {
        "USA_78_2023": FILES["USA_78_2023.txt"],
        "RUS_78_2023": FILES["sub/RUS_78_2023.txt"],
    }
    assert list(tmp_path.iterdir()) == [arc]  # nothing extracted


def test_fallback_decoding_is_recorded_and_warned(tmp_path):
    (tmp_path / "a.txt").write_bytes("café ‘quoted’".encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbfwith bom")
    with pytest.warns(UserWarning, match="not valid UTF-8"):
        c = tk.load_folder(tmp_path)
    assert c.meta.loc["a", "encoding"] == "cp1252"
    assert c.text("a") == "café ‘quoted’"
    assert c.meta.loc["b", "encoding"] == "utf-8-sig"
    assert c.text("b") == "with bom"


def test_empty_file_stays_a_document_with_a_warning(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "full.txt").write_text("text")
    with pytest.warns(UserWarning, match="empty"):
        c = tk.load_folder(tmp_path)
    assert c.text("empty") == "" and len(c) == 2


def test_file_name_not_fitting_pattern_is_named(tmp_path):
    write_folder(tmp_path, {"USA_78_2023.txt": "a", "notes.txt": "b"})
    with pytest.raises(ValueError, match="notes.txt"):
        tk.load_folder(tmp_path, name_pattern="{country}_{session}_{year}.txt")
    with pytest.warns(UserWarning, match="notes.txt"):
        c = tk.load_folder(
            tmp_path, name_pattern="{country}_{session}_{year}.txt", on_mismatch="keep"
        )
    assert pd.isna(c.meta.loc["notes", "year"]) and c.text("notes") == "b"
    assert c.meta.loc["USA_78_2023", "year"] == 2023


def test_missing_path_binary_file_and_duplicate_ids_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        tk.load_folder(tmp_path / "nowhere")
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    with pytest.raises(BinaryFileError, match="img.txt"):
        tk.load_folder(tmp_path)
    (tmp_path / "img.txt").unlink()
    write_folder(tmp_path, {"a/x.txt": "1", "b/x.txt": "2"})
    with pytest.raises(ValueError, match="'x'"):
        tk.load_folder(tmp_path)
    assert len(tk.load_folder(tmp_path, id="path")) == 2


def test_hidden_files_are_passed_over_with_a_warning(tmp_path):
    write_folder(tmp_path, {"a.txt": "x", ".DS_Store-to-UTF-8.txt": "junk"})
    with pytest.warns(UserWarning, match="DS_Store"):
        c = tk.load_folder(tmp_path)
    assert c.doc_ids == ["a"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet", "xlsx"])
def test_tables_in_every_format(tmp_path, fmt):
    df = pd.DataFrame({"id": ["a", "b"], "year": [1990, 1991], "text": ["NA", "Two, texts"]})
    path = tmp_path / f"t.{fmt}"
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "tsv":
        df.to_csv(path, sep="\t", index=False)
    elif fmt == "jsonl":
        df.to_json(path, orient="records", lines=True)
    elif fmt == "parquet":
        df.to_parquet(path)
    else:
        df.to_excel(path, index=False)
    c = tk.load_table(path, text="text", id="id")
    assert c.doc_ids == ["a", "b"]
    assert c.text("a") == "NA"  # the literal text "NA" is not taken for a missing value
    assert c.meta["year"].tolist() == [1990, 1991]


def test_table_errors_name_the_column_and_ids(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"id": ["a", "a"], "body": ["x", "y"]}).to_csv(path, index=False)
    with pytest.raises(tk.ParameterError, match=r"'text'.*'id', 'body'"):
        tk.load_table(path, text="text")
    with pytest.raises(ValueError, match="'a'"):
        tk.load_table(path, text="body", id="id")
    pd.DataFrame({"body": ["x", None]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"rows \[1\]"):
        tk.load_table(path, text="body")


def test_from_nltk_reader(tmp_path, monkeypatch):
    import nltk
    from nltk.corpus.reader import CategorizedPlaintextCorpusReader

    monkeypatch.setattr(nltk.data, "path", [*nltk.data.path, str(tmp_path)])

    write_folder(tmp_path, {"news/a.txt": "News text.", "op/b.txt": "Opinion."})
    reader = CategorizedPlaintextCorpusReader(str(tmp_path), r".*\.txt", cat_pattern=r"(\w+)/")
    c = tk.from_nltk(reader)
    assert c.doc_ids == ["news/a.txt", "op/b.txt"]
    assert c.meta["category"].tolist() == ["news", "op"]
    assert c.text("op/b.txt") == "Opinion."


def test_commentary_parts_are_separated(commentary):
    seed = (tk.samples.corpora_dir() / "commentary" / "000_ccffabdfcc3a002f.txt").read_text()
    meta = commentary.meta
    assert meta["section"].tolist() == ["summary", "title", "commentary"]
    title = commentary.text("000_ccffabdfcc3a002f/title")
    assert title == (
        "Russia warns US, South Korea and Japan against forming a security alliance "
        "targeting North Korea."
    )
    assert commentary.text("000_ccffabdfcc3a002f/commentary").startswith("Well, it appears")
    assert commentary.text("000_ccffabdfcc3a002f/summary").startswith("Russian Foreign")
    # each part is the exact span of the file; only white space lies between them
    for doc_id, row in meta.iterrows():
        assert seed[row.char_start : row.char_end] == commentary.text(doc_id)
    gaps = [
        seed[: meta.char_start.iloc[0]],
        seed[meta.char_end.iloc[0] : meta.char_start.iloc[1]],
        seed[meta.char_end.iloc[1] : meta.char_start.iloc[2]],
        seed[meta.char_end.iloc[2] :],
    ]
    assert gaps[1].strip() == "Read the original article here"
    assert all(not g.strip() for g in (gaps[0], gaps[2], gaps[3]))


def test_commentary_headline_on_its_own_line(tmp_path):
    (tmp_path / "c.txt").write_text(
        "Summary.\nRead the original article here\nU.S. and Japan sign pact\nMr. Kim said no.\n"
    )
    c = tk.load_commentary(tmp_path / "c.txt")
    assert c.text("c/title") == "U.S. and Japan sign pact"
    assert c.text("c/commentary") == "Mr. Kim said no."
    (tmp_path / "bad.txt").write_text("no marker here")
    with pytest.raises(ValueError, match="bad.txt"):
        tk.load_commentary(tmp_path / "bad.txt")


texts_strategy = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=texts_strategy)
def test_loading_never_drops_or_alters_a_document(tmp_path_factory, texts):
    """Property: every file comes back, byte-exact after decoding, from folder and table."""
    root = tmp_path_factory.mktemp("prop")
    for i, t in enumerate(texts):
        (root / f"d{i}.txt").write_bytes(t.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = tk.load_folder(root)
        f = tk.from_dataframe(pd.DataFrame({"text": texts}))
    assert len(c) == len(texts) == len(f)
    for i, t in enumerate(texts):
        assert c.text(f"d{i}") == t
        assert f.text(str(i)) == t
    assert [d.text for d in f] == texts
