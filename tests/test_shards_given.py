"""Sharded corpora of given tokens: CoNLL-U and VRT folders streamed into shards, their
tokens, annotation layers and structures kept in every shard, and every analysis equal to
one corpus loaded by ``load_conllu`` / ``load_vrt`` from the same files."""

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import CacheError, LoadError, ParameterError
from toolkit.loaders import iter_conllu


def _pos(token: str) -> str:
    if not any(ch.isalnum() for ch in token):
        return "PUNCT"
    return "NUM" if token[0].isdigit() else ("PROPN" if token[0].isupper() else "X")


def _sentences(text: str, size: int = 25) -> list[list[str]]:
    tokens = text.split()
    return [tokens[i : i + size] for i in range(0, len(tokens), size)]


@pytest.fixture(scope="module")
def sample():
    # the speeches of six years: enough for several shards and files, quick to read
    return tk.load_sample().query("1975 <= year < 1981")


@pytest.fixture(scope="module")
def conllu_folder(sample, tmp_path_factory):
    """One CoNLL-U file per year, a document per speech, lemma = the lower-cased form."""
    folder = tmp_path_factory.mktemp("conllu")
    meta = sample.meta
    for year in sorted(set(meta["year"])):
        lines = []
        for doc in meta.index[meta["year"] == year]:
            lines += [f"# newdoc id = {doc}", f"# country = {meta.loc[doc, 'country']}"]
            lines.append(f"# year = {year}")
            for n, sent in enumerate(_sentences(sample.text(doc)), 1):
                lines.append(f"# sent_id = {doc}-{n}")
                for i, tok in enumerate(sent, 1):
                    lines.append(f"{i}\t{tok}\t{tok.lower()}\t{_pos(tok)}\t_\t_\t_\t_\t_\t_")
                lines.append("")
        (folder / f"{year}.conllu").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def single(conllu_folder):
    return tk.load_conllu(conllu_folder, progress=False)


@pytest.fixture(scope="module")
def store(conllu_folder, tmp_path_factory):
    s = tk.build_shards(
        conllu_folder, tmp_path_factory.mktemp("store"), shard_mb=0.3, progress=False
    )
    return s


def test_a_conllu_folder_is_read_in_batches_of_whole_files(conllu_folder):
    batches = list(iter_conllu(conllu_folder, batch_mb=1.0, progress=False))
    assert len(batches) > 2
    files = [set(b.meta["file"]) for b in batches]
    for a, b in zip(files, files[1:], strict=False):
        assert not a & b  # a file is never split between batches
    # every batch has the same layers, an unset column (xpos: "_" throughout) included
    layers = {tuple(sorted(b.given_tokens.layers)) for b in batches}
    assert layers == {("feats", "lemma", "pos", "xpos")}


def test_the_store_holds_the_given_tokens_of_every_document(store, single):
    assert store.pretokenized and store.n_shards > 2
    assert store.doc_ids == single.doc_ids
    assert store.n_tokens == single.index().n_tokens
    whole = store.to_corpus()
    assert whole.pretokenized
    assert [whole.text(d) for d in whole.doc_ids] == [single.text(d) for d in single.doc_ids]
    for layer in ("word", "lemma", "pos"):
        got = list(tk.tokens(whole, layer=layer, case_sensitive=True, punct=True))
        want = list(tk.tokens(single, layer=layer, case_sensitive=True, punct=True))
        assert got == want, layer
    cols = ["doc_id", "start", "end", "char_start", "char_end", "sent_id"]
    got_s = whole.structure("s")[cols].reset_index(drop=True)
    want_s = single.structure("s")[cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(got_s, want_s, check_dtype=False)


def test_tokens_are_kept_as_given_not_tokenised_again(store, single):
    # "U.S." or "(a)" would be split by the toolkit's tokeniser; given tokens never are
    given = [t for toks in tk.tokens(single, case_sensitive=True, punct=True) for t in toks]
    assert any(not t.isalnum() and len(t) > 1 for t in given)
    assert store.count("the", case_sensitive=True) == int(
        tk.frequencies(single, case_sensitive=True).set_index("term").loc["the", "count"]
    )


def test_sentences_are_those_given(store, single):
    stream = tk.tokens(store, unit="sentence", layer="lemma", progress=False)
    expected = tk.tokens(single, unit="sentence", layer="lemma", progress=False)
    assert stream.units == expected.units and len(stream) == len(single.structure("s"))
    assert list(stream) == list(expected)


@pytest.mark.parametrize("layer", ["lemma", "pos"])
def test_frequencies_of_a_layer_equal_one_corpus(store, single, layer):
    pd.testing.assert_frame_equal(
        tk.frequencies(store, layer=layer, by="year"),
        tk.frequencies(single, layer=layer, by="year"),
    )


def test_cqp_queries_on_layers_equal_one_corpus(store, single):
    query = '[lemma="peace"] [pos="X"]'
    got = tk.kwic(store, query, match="cqp").to_frame()
    want = tk.kwic(single, query, match="cqp").to_frame()
    assert len(want) > 5
    pd.testing.assert_frame_equal(got, want)


def test_keyness_and_collocates_equal_one_corpus(store, single):
    pd.testing.assert_frame_equal(
        tk.keyness(store, by="year", target=1980, reference=1975),
        tk.keyness(single, by="year", target=1980, reference=1975),
    )
    pd.testing.assert_frame_equal(
        tk.collocates(store, "peace", window=3), tk.collocates(single, "peace", window=3)
    )


def test_split_by_year_keeps_the_layers(conllu_folder, single, tmp_path):
    s = tk.build_shards(conllu_folder, tmp_path / "by", by="year", progress=False)
    assert s.shards["key"].tolist() == sorted(set(single.meta["year"]))
    pd.testing.assert_frame_equal(
        tk.frequencies(s, layer="lemma"), tk.frequencies(single, layer="lemma")
    )


def test_a_store_of_given_tokens_refuses_plain_texts_and_back(store, sample, tmp_path):
    with pytest.raises(LoadError, match="given tokens"):
        store.add(sample.take([0]).assign(), progress=False)
    plain = tk.build_shards(sample.take([0, 1]), tmp_path / "plain", progress=False)
    with pytest.raises(LoadError, match="given tokens"):
        plain.add(tk.from_tokens([["Peace", "."]], ids=["given-1"]), progress=False)


def test_damaged_given_tokens_raise_an_error_naming_the_shard(conllu_folder, tmp_path):
    tk.build_shards(conllu_folder, tmp_path / "s", shard_mb=0.3, progress=False)
    layer = tmp_path / "s" / "shards" / "s000001" / "tokens" / "layer0.npy"
    data = bytearray(layer.read_bytes())
    data[-5] ^= 1
    layer.write_bytes(bytes(data))
    reopened = tk.open_shards(tmp_path / "s")
    with pytest.raises(CacheError, match="shard s000001 .* damaged"):
        tk.frequencies(reopened, layer="lemma")


def test_reader_options_reach_the_reader(conllu_folder, tmp_path):
    s = tk.build_shards(
        conllu_folder,
        tmp_path / "s",
        format_options={"columns": {"upos": "tag"}},
        progress=False,
    )
    tags = tk.frequencies(s, layer="tag", case_sensitive=True).set_index("term")["count"]
    assert {"PUNCT", "X"} <= set(tags.index)
    with pytest.raises(ParameterError, match="format_options"):
        tk.build_shards(
            conllu_folder, tmp_path / "t", format_options={"nonsense": 1}, progress=False
        )
    with pytest.raises(ParameterError, match="format"):
        tk.build_shards(conllu_folder, tmp_path / "u", format="xml", progress=False)


# --------------------------------------------------------------------------- VRT
@pytest.fixture(scope="module")
def vrt_folder(sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("vrt")
    meta = sample.meta
    for year in sorted(set(meta["year"])):
        lines = []
        for doc in meta.index[meta["year"] == year]:
            lines.append(f'<text id="{doc}" year="{year}">')
            for sent in _sentences(sample.text(doc)):
                lines.append("<s>")
                for tok in sent:
                    esc = tok.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    lines.append(f"{esc}\t{_pos(tok)}\t{esc.lower()}")
                lines.append("</s>")
            lines.append("</text>")
        (folder / f"{year}.vrt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_vrt_folder_streamed_into_shards_equals_one_corpus(vrt_folder, tmp_path):
    single = tk.load_vrt(vrt_folder, progress=False)
    s = tk.build_shards(vrt_folder, tmp_path / "s", shard_mb=0.3, progress=False)
    assert s.pretokenized and s.n_shards > 2
    assert s.doc_ids == single.doc_ids
    pd.testing.assert_frame_equal(
        tk.frequencies(s, layer="pos", by="year"), tk.frequencies(single, layer="pos", by="year")
    )
    got = tk.kwic(s, '[pos="PROPN"] [lemma="nations"]', match="cqp").to_frame()
    want = tk.kwic(single, '[pos="PROPN"] [lemma="nations"]', match="cqp").to_frame()
    assert len(want) > 5
    pd.testing.assert_frame_equal(got, want)
    spans = s.to_corpus().structure("s")[["doc_id", "start", "end"]].to_numpy()
    assert np.array_equal(spans, single.structure("s")[["doc_id", "start", "end"]].to_numpy())
