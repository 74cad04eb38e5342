"""tests/test_samples.py mirrors toolkit/samples.py: the bundled corpora, listed and loaded
as corpora/README.md documents them.  Expected values are read from the files themselves."""

import re
import shutil
import warnings

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import ParameterError

CORPORA = tk.samples.corpora_dir()
UN_TEXTS = CORPORA / "un-debates-asia" / "texts"
FILE_NAME = re.compile(r"^(?P<country>[A-Z]{3})_(?P<session>\d{2})_(?P<year>\d{4})\.txt$")


def test_list_samples_lists_the_bundled_corpora_with_a_description():
    samples = tk.list_samples()
    assert list(samples.columns) == ["name", "description"]
    assert samples["name"].tolist() == ["un-debates-asia", "commentary"]
    assert samples["description"].str.len().min() > 20
    # each is a folder of the bundled corpora
    assert all((CORPORA / name).is_dir() for name in samples["name"])


def test_the_un_speeches_are_every_file_of_the_folder_with_metadata_from_the_names(un):
    files = sorted(p.name for p in UN_TEXTS.glob("*.txt"))
    assert len(files) == 371  # corpora/README.md: 371 plain-text files
    assert len(un) == len(files)
    assert sorted(un.doc_ids) == sorted(f.removesuffix(".txt") for f in files)
    assert list(un.meta.columns) == [
        "country",
        "session",
        "year",
        "file",
        "encoding",
        "country_name",
        "speaker",
        "post",
    ]
    expected = pd.DataFrame(
        [FILE_NAME.match(f).groupdict() | {"file": f} for f in files],
        index=[f.removesuffix(".txt") for f in files],
    ).astype({"session": "int64", "year": "int64"})
    got = un.meta.loc[expected.index, ["country", "session", "year", "file"]]
    assert got["session"].dtype == "int64" and got["year"].dtype == "int64"
    assert got["country"].tolist() == expected["country"].tolist()
    assert got["session"].tolist() == expected["session"].tolist()
    assert got["year"].tolist() == expected["year"].tolist()
    assert got["file"].tolist() == expected["file"].tolist()
    assert set(un.meta["country"]) == {"USA", "RUS", "CHN", "JPN", "KOR", "PRK"}


def test_a_speech_reads_as_its_file_without_the_byte_order_mark(un):
    with_bom = [
        p.stem for p in sorted(UN_TEXTS.glob("*.txt")) if p.read_bytes()[:3] == b"\xef\xbb\xbf"
    ]
    assert with_bom  # corpora/README.md: some files start with one
    for doc_id in ("USA_79_2024", with_bom[0]):
        raw = (UN_TEXTS / f"{doc_id}.txt").read_bytes()
        text = raw.decode("utf-8-sig")
        assert un.text(doc_id) == text
        assert un.meta.loc[doc_id, "encoding"] == (
            "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        )


def test_speakers_are_joined_by_country_and_session(un):
    speakers = pd.read_csv(CORPORA / "un-debates-asia" / "speakers.csv")
    one = speakers[(speakers["country"] == "USA") & (speakers["session"] == 79)]
    assert len(one) == 1
    assert un.meta.loc["USA_79_2024", "speaker"] == one["speaker"].iloc[0]
    assert un.meta.loc["USA_79_2024", "country_name"] == one["country_name"].iloc[0]
    # two people for one speech (USSR 1959): both, in the table's order, joined by "; "
    two = speakers[(speakers["country"] == "RUS") & (speakers["session"] == 14)]
    assert len(two) == 2
    assert un.meta.loc["RUS_14_1959", "speaker"] == "; ".join(two["speaker"])


def test_speeches_the_speakers_table_has_no_row_for_have_empty_speaker_columns(un):
    speakers = pd.read_csv(CORPORA / "un-debates-asia" / "speakers.csv")
    listed = set(zip(speakers["country"], speakers["session"], strict=True))
    unlisted = {
        doc_id
        for doc_id, country, session in zip(
            un.doc_ids, un.meta["country"], un.meta["session"], strict=True
        )
        if (country, int(session)) not in listed
    }
    assert unlisted == {"CHN_18_1963", "PRK_72_2017", "RUS_37_1982"}  # corpora/README.md
    assert unlisted == tk.samples.KNOWN_WITHOUT_SPEAKER
    empty = un.meta[["country_name", "speaker", "post"]].loc[sorted(unlisted)]
    assert empty.isna().all().all()


def test_loading_the_un_speeches_warns_of_nothing():
    """The three documented gaps are not reported as a missing join."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = tk.load_sample("un-debates-asia")
    assert c.name == "un-debates-asia"


def test_the_default_sample_is_the_un_speeches(un):
    assert tk.load_sample().doc_ids == un.doc_ids


def test_the_commentary_is_one_document_per_part_of_its_file(commentary):
    files = sorted(p.name for p in (CORPORA / "commentary").glob("*.txt"))
    assert files == ["000_ccffabdfcc3a002f.txt"]
    stem = files[0].removesuffix(".txt")
    assert commentary.doc_ids == [f"{stem}/summary", f"{stem}/title", f"{stem}/commentary"]
    assert commentary.meta["section"].tolist() == ["summary", "title", "commentary"]
    raw = (CORPORA / "commentary" / files[0]).read_text(encoding="utf-8")
    # every part is a piece of the file, where its offsets say
    for doc_id, row in commentary.meta.iterrows():
        assert commentary.text(doc_id) == raw[row["char_start"] : row["char_end"]]
    assert "Read the original article here" not in "".join(commentary.texts())


def test_an_unknown_sample_is_refused_naming_the_choices():
    with pytest.raises(ParameterError) as err:
        tk.load_sample("un-debates")
    assert err.value.parameter == "name"
    assert err.value.valid == ["un-debates-asia", "commentary"]
    assert "'un-debates'" in str(err.value) and "'commentary'" in str(err.value)


def test_load_reads_a_sample_by_name():
    c = tk.load("commentary")
    assert c.doc_ids == tk.load_sample("commentary").doc_ids


def test_load_of_a_path_that_does_not_exist_names_the_samples(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError) as err:
        tk.load(str(missing))
    assert "nowhere" in str(err.value)
    assert "un-debates-asia" in str(err.value) and "commentary" in str(err.value)


def test_the_corpora_folder_can_be_moved_with_an_environment_variable(tmp_path, monkeypatch):
    shutil.copytree(CORPORA / "commentary", tmp_path / "commentary")
    # one more paragraph in the copy: the copy is read, not the project's folder
    copy = tmp_path / "commentary" / "000_ccffabdfcc3a002f.txt"
    copy.write_text(copy.read_text(encoding="utf-8") + "\nÜber Frieden.\n", encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_CORPORA", str(tmp_path))
    assert tk.samples.corpora_dir() == tmp_path
    c = tk.load_sample("commentary")
    assert c.text(c.doc_ids[-1]).endswith("Über Frieden.")
