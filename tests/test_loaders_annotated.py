"""Corpora of given tokens: from_tokens, CoNLL-U and VRT files read against hand-written
expectations, their layers and structures, the pretokenized index and its cache."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
import toolkit.index as index_module
from toolkit.errors import LoadError, ParameterError
from toolkit.index import index_params

DATA = Path(__file__).parent / "data" / "annotated"
CONLLU = DATA / "conllu"
VRT = DATA / "vrt"


def words(corpus):
    """Tokens per document, exactly as indexed."""
    return list(tk.tokens(corpus, case_sensitive=True, punct=True))


def column(corpus, layer):
    """Values of a layer per document, every position counted."""
    return list(tk.tokens(corpus, layer=layer, case_sensitive=True, punct=True))


def rows(frame, columns):
    return frame[columns].values.tolist()


# --------------------------------------------------------------------------- CoNLL-U
def test_conllu_documents_tokens_layers_and_metadata():
    c = tk.load_conllu(CONLLU)
    # en.conllu has no "# newdoc": one document named after the file; es.conllu has two
    assert c.doc_ids == ["en", "es-1", "es-2"]
    assert c.pretokenized
    assert c.meta["file"].tolist() == ["en.conllu", "es.conllu", "es.conllu"]
    assert c.meta["year"].tolist() == [1990, 2020, 2021]
    assert c.meta["source"].iloc[0] == "UN General Debate"
    assert c.meta["speaker"].tolist()[1:] == ["Prieto Nieto, Ana", "Sánchez, Pedro"]
    assert pd.isna(c.meta["speaker"].iloc[0]) and c.meta["source"].iloc[1:].isna().all()
    # the empty node 5.1 ("voted") is not a token; "del" and "al" are their words
    assert words(c) == [
        ["It", "is", "time", ".", "We", "voted", "yes", "and", "they", "no", "."],
        ["Buenas", "tardes", ".", "Hablo", "de", "el", "pueblo", ".", "Es", "así", "."],
        ["Vamos", "a", "el", "pleno", "."],
    ]
    assert column(c, "lemma") == [
        ["it", "be", "time", ".", "we", "vote", "yes", "and", "they", "no", "."],
        ["bueno", "tarde", ".", "hablar", "de", "el", "pueblo", ".", "ser", "así", "."],
        ["ir", "a", "el", "pleno", "."],
    ]
    assert column(c, "pos")[1] == [
        "ADJ", "NOUN", "PUNCT", "VERB", "ADP", "DET", "NOUN", "PUNCT", "AUX", "ADV", "PUNCT",
    ]  # fmt: skip
    assert column(c, "xpos")[2] == ["VMIP1P0", "SPS00", "DA0MS0", "NCMS000", "Fp"]
    assert column(c, "feats")[2] == [
        "Mood=Ind|Number=Plur|Person=1|Tense=Pres|VerbForm=Fin",
        "_",
        "Definite=Def|Gender=Masc|Number=Sing|PronType=Art",
        "Gender=Masc|Number=Sing",
        "PunctType=Peri",
    ]
    assert c.index().index.layers == ("lemma", "pos", "xpos", "feats")
    # texts: sentences on lines of their own, "# newpar" as an empty line
    assert c.text("en") == "It is time .\nWe voted yes and they no ."
    assert c.text("es-1") == "Buenas tardes .\n\nHablo de el pueblo .\nEs así ."
    assert c.text("es-2") == "Vamos a el pleno ."


def test_conllu_sentences_paragraphs_and_multiword_tokens():
    c = tk.load_conllu(CONLLU)
    assert c.structures == ("mwt", "p", "s")
    s = c.structure("s")
    assert list(s.columns) == [
        "doc_id", "start", "end", "char_start", "char_end", "sent_id", "text",
    ]  # fmt: skip
    assert s.values.tolist() == [
        ["en", 0, 4, 0, 12, "en-1", "It is time."],
        ["en", 4, 11, 13, 39, "en-2", "We voted yes and they no."],
        ["es-1", 0, 3, 0, 15, "es-1.1", "Buenas tardes."],
        ["es-1", 3, 8, 17, 37, "es-1.2", "Hablo del pueblo."],
        ["es-1", 8, 11, 38, 46, "es-1.3", "Es así."],
        ["es-2", 0, 5, 0, 18, "es-2.1", "Vamos al pleno."],
    ]
    for doc_id, a, b, cs, ce in s[["doc_id", "start", "end", "char_start", "char_end"]].values:
        assert c.text(doc_id)[cs:ce] == " ".join(words(c.select([doc_id]))[0][a:b])
    # the third sentence of es-1 has no "# newpar": it belongs to the second paragraph
    assert c.structure("p").values.tolist() == [
        ["es-1", 0, 3, 0, 15, "es-1.p1"],
        ["es-1", 3, 11, 17, 46, "es-1.p2"],
    ]
    assert c.structure("mwt").values.tolist() == [
        ["es-1", 4, 6, 23, 28, "del"],
        ["es-2", 1, 3, 6, 10, "al"],
    ]
    assert c.text("es-1")[23:28] == "de el"
    # a subset keeps its own documents' regions, in its order
    sub = c.select(["es-2", "en"])
    assert sub.structure("s")["sent_id"].tolist() == ["es-2.1", "en-1", "en-2"]
    assert sub.structure("p").empty and list(sub.structure("p").columns)[0] == "doc_id"


def test_conllu_surface_forms_join_the_words_values():
    c = tk.load_conllu(CONLLU / "es.conllu", multiword="surface")
    assert c.doc_ids == ["es-1", "es-2"]
    assert words(c)[1] == ["Vamos", "al", "pleno", "."]
    assert column(c, "lemma")[0][3:6] == ["hablar", "de+el", "pueblo"]
    assert column(c, "pos")[1] == ["VERB", "ADP+DET", "NOUN", "PUNCT"]
    assert c.text("es-1") == "Buenas tardes .\n\nHablo del pueblo .\nEs así ."
    assert "mwt" not in c.structures
    assert c.structure("s")[["start", "end"]].values.tolist() == [[0, 3], [3, 7], [7, 10], [0, 4]]


def test_conllu_layers_in_cqp_queries_and_token_streams():
    c = tk.load_conllu(CONLLU)
    hits = tk.kwic(c, '[lemma="be"]', match="cqp").to_frame()
    assert rows(hits, ["doc_id", "keyword"]) == [["en", "is"]]
    # the words of "del" and "al" are found by their own lemma and tag
    hits = tk.kwic(c, '[lemma="el" & pos="DET"]', match="cqp").to_frame()
    assert rows(hits, ["doc_id", "start", "keyword"]) == [["es-1", 5, "el"], ["es-2", 2, "el"]]
    hits = tk.kwic(c, '[pos="ADP"] [lemma="el"]', match="cqp").to_frame()
    assert hits["keyword"].tolist() == ["de el", "a el"]
    assert len(tk.kwic(c, '[lemma="vote"]', match="cqp")) == 1  # not the empty node
    assert list(tk.tokens(c, layer="lemma")) == [
        ["it", "be", "time", "we", "vote", "yes", "and", "they", "no"],
        ["bueno", "tarde", "hablar", "de", "el", "pueblo", "ser", "así"],
        ["ir", "a", "el", "pleno"],
    ]
    assert list(tk.tokens(c, pos=["NOUN"])) == [["time"], ["tardes", "pueblo"], ["pleno"]]


def test_conllu_gold_file_loads_as_one_document():
    gold = Path(__file__).parent / "data" / "ungd-gold-en.conllu"
    c = tk.load_conllu(gold)
    assert c.doc_ids == ["ungd-gold-en"] and c.index().n_tokens == 580
    assert c.index().index.layers == ("lemma", "pos")  # the other columns are all "_"
    s = c.structure("s")
    assert len(s) == 23 and s["sent_id"].iloc[0] == "USA_01_1946-1"
    assert s["source"].iloc[0] == "USA_01_1946.txt"
    # the toolkit's tokeniser would give the same tokens (the file is tokenised like it)
    first = c.text("ungd-gold-en").split("\n")[0]
    assert first.split() == tk.tokenize(s["text"].iloc[0])


def test_conllu_columns_choose_the_layers(tmp_path):
    c = tk.load_conllu(CONLLU / "en.conllu", columns={"deprel": "rel", "upos": "upos"})
    assert c.index().index.layers == ("rel", "upos")
    assert column(c, "rel")[0][:4] == ["nsubj", "cop", "root", "punct"]
    with pytest.raises(ParameterError, match="no CoNLL-U column 'form'"):
        tk.load_conllu(CONLLU, columns={"form": "f"})
    with pytest.raises(ParameterError, match="'word'"):
        tk.load_conllu(CONLLU, columns={"lemma": "word"})
    with pytest.raises(ParameterError, match="multiword"):
        tk.load_conllu(CONLLU, multiword="both")


def _conllu(tmp_path, body, name="bad.conllu"):
    f = tmp_path / name
    f.write_text(body, encoding="utf-8")
    return f


LINE = "1\tPeace\tpeace\tNOUN\t_\t_\t0\troot\t_\t_\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("# text = Peace now\n" + LINE + "2\tnow\tnow\tADV\t_\t_\t1\n", 3, "7 tab-separated"),
        (LINE + "\n" + "x\tnow\tnow\tADV\t_\t_\t1\tadvmod\t_\t_\n", 3, "'x' is not a word id"),
        (LINE + "3\tnow\tnow\tADV\t_\t_\t1\tadvmod\t_\t_\n", 2, "word id 3 where 2"),
        (LINE + "2\tnot now\tnow\tADV\t_\t_\t1\tadvmod\t_\t_\n", 2, "holds white space"),
        (LINE + "2\t\tnow\tADV\t_\t_\t1\tadvmod\t_\t_\n", 2, "is empty"),
        (LINE + "2-4\tnow\t_\t_\t_\t_\t_\t_\t_\t_\n2\tn\tn\tX\t_\t_\t1\tdep\t_\t_\n", 2, "beyond"),
        (LINE + "# text = late\n", 2, "a comment line inside a sentence"),
        ("# global.columns = ID FORM UPOS\n" + LINE, 1, "CoNLL-U Plus"),
    ],
)
def test_conllu_errors_name_the_file_and_line(tmp_path, body, line, message):
    f = _conllu(tmp_path, body)
    with pytest.raises(LoadError, match=message) as err:
        tk.load_conllu(f)
    assert err.value.path == str(f) and err.value.line == line
    assert f"{f}, line {line}" in str(err.value)


def test_conllu_white_space_in_forms_can_be_replaced(tmp_path):
    f = _conllu(tmp_path, LINE + "2\t400 000\t400 000\tNUM\t_\t_\t1\tnummod\t_\t_\n")
    c = tk.load_conllu(f, space_in_tokens="_")
    assert words(c) == [["Peace", "400_000"]]
    assert column(c, "lemma") == [["peace", "400 000"]]  # layer values are kept as written
    with pytest.raises(ParameterError, match="space_in_tokens"):
        tk.load_conllu(f, space_in_tokens=" ")


def test_conllu_duplicate_documents_and_empty_input(tmp_path):
    body = "# newdoc id = a\n" + LINE + "\n# newdoc id = a\n" + LINE + "\n"
    with pytest.raises(LoadError, match="duplicate document ids"):
        tk.load_conllu(_conllu(tmp_path, body))
    with pytest.raises(LoadError, match="no sentences"):
        tk.load_conllu(_conllu(tmp_path, "\n\n", "empty.conllu"))
    # "# newdoc" without an id: numbered within the file
    two = "# newdoc\n" + LINE + "\n# newdoc\n" + LINE
    assert tk.load_conllu(_conllu(tmp_path, two, "two.conllu")).doc_ids == ["two/1", "two/2"]


# --------------------------------------------------------------------------- VRT
def test_vrt_documents_tokens_layers_and_metadata():
    c = tk.load_vrt(VRT)
    assert c.doc_ids == ["gb-1", "gb-2"] and c.pretokenized
    assert c.meta["year"].tolist() == [2019, 2020]
    # entities are decoded in attribute values; an empty attribute is missing
    assert c.meta["speaker"].tolist() == ["Smith & Jones", "O'Neill"]
    assert c.meta["party"].isna().all()
    assert c.meta["file"].tolist() == ["debates.vrt", "debates.vrt"]
    assert words(c) == [
        ["It", "is", "<", "time", ".", "United", "Nations", "were", '"right"', "Rock&roll",
         "isn't", "dead"],
        ["Yes"],
    ]  # fmt: skip
    assert column(c, "pos")[0] == [
        "PRON", "AUX", "SYM", "NOUN", "PUNCT", "PROPN", "PROPN", "AUX", "ADJ", "NOUN", "AUX",
        "ADJ",
    ]  # fmt: skip
    assert column(c, "lemma") == [
        ["it", "be", "<", "time", ".", "United", "Nations", "be", "right", "rock&roll", "be",
         "dead"],
        ["yes"],
    ]  # fmt: skip
    assert c.text("gb-1") == (
        'It is < time .\nUnited Nations were "right"\n\nRock&roll isn\'t dead'
    )
    assert c.text("gb-2") == "Yes"


def test_vrt_structures_nest_s_in_p_in_text():
    c = tk.load_vrt(VRT)
    assert c.structures == ("g", "name", "p", "s")  # <corpus> is outside the documents
    assert c.structure("s").values.tolist() == [
        ["gb-1", 0, 5, 0, 14, "gb-1.s1"],
        ["gb-1", 5, 9, 15, 42, "gb-1.s2"],
        ["gb-1", 9, 12, 44, 64, "gb-1.s3"],
        ["gb-2", 0, 1, 0, 3, "gb-2.s1"],
    ]
    assert c.structure("p").values.tolist() == [
        ["gb-1", 0, 9, 0, 42, "gb-1.p1"],
        ["gb-1", 9, 12, 44, 64, "gb-1.p2"],
    ]
    assert c.structure("name").values.tolist() == [["gb-1", 5, 7, 15, 29, "ORG"]]
    assert c.text("gb-1")[15:29] == "United Nations"
    # an empty element: no tokens, where the next token (".") starts
    assert c.structure("g").values.tolist() == [["gb-1", 4, 4, 13, 13]]
    with pytest.raises(KeyError, match="no structure 'u'"):
        c.structure("u")


def test_vrt_layers_in_cqp_queries_and_token_streams():
    c = tk.load_vrt(VRT)
    hits = tk.kwic(c, '[lemma="be"]', match="cqp").to_frame()
    assert rows(hits, ["doc_id", "start", "keyword"]) == [
        ["gb-1", 1, "is"],
        ["gb-1", 7, "were"],
        ["gb-1", 10, "isn't"],
    ]
    names = tk.kwic(c, '[pos="PROPN"] [pos="PROPN"]', match="cqp").to_frame()
    assert names["keyword"].tolist() == ["United Nations"]
    assert list(tk.tokens(c, layer="lemma")) == [
        ["it", "be", "time", "united", "nations", "be", "right", "rock&roll", "be", "dead"],
        ["yes"],
    ]


def test_vrt_without_documents_and_other_doc_tags(tmp_path):
    f = tmp_path / "speeches.vert"
    f.write_text(
        '<note content="opening"/>\n<speech id="u1" speaker="A">\n<s>\nHello\tHello\thello\n'
        '</s>\n</speech>\n<speech id="u2" speaker="B">\n<s>\nBye\tBye\tbye\n</s>\n</speech>\n',
        encoding="utf-8",
    )
    by_speech = tk.load_vrt(f, p_attrs=("word", "norm", "lemma"), doc_tag="speech")
    assert by_speech.doc_ids == ["u1", "u2"]
    assert by_speech.meta["speaker"].tolist() == ["A", "B"]
    assert column(by_speech, "norm") == [["Hello"], ["Bye"]]
    # no <text> element: the file is one document, the speeches are regions
    whole = tk.load_vrt(tmp_path, p_attrs=("word", "norm", "lemma"))
    assert whole.doc_ids == ["speeches"] and whole.text("speeches") == "Hello\nBye"
    assert whole.structure("speech")[["start", "end", "id", "speaker"]].values.tolist() == [
        [0, 1, "u1", "A"],
        [1, 2, "u2", "B"],
    ]
    assert whole.structure("note")[["start", "end", "content"]].values.tolist() == [
        [0, 0, "opening"]
    ]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('<text id="a">\n<s>\nPeace\tNOUN\tpeace\n</p>\n</s>\n</text>\n', 4, "</p> closes <s>"),
        ('<text id="a">\n<s>\nPeace\tNOUN\tpeace\n</text>\n', 4, "</text> closes <s>"),
        ('<text id="a">\n<s>\nPeace\tNOUN\tpeace\n', 2, "<s> is never closed"),
        ('<text id="a">\nPeace\tNOUN\n</text>\n', 2, "2 tab-separated columns"),
        ('<text id="a">\nPeace\tNOUN\tpeace\tx\n</text>\n', 2, "4 tab-separated columns"),
        ('<text id="a">\n<text id="b">\n</text>\n</text>\n', 2, "documents do not nest"),
        ('<text id="a">\n</text>\nPeace\tNOUN\tpeace\n', 3, "outside any <text>"),
        ('<text id="a">\n<s id="1" id="2">\n</s>\n</text>\n', 2, "appears twice"),
        ('<text id="a">\n<s id=1>\n</s>\n</text>\n', 2, "malformed tag"),
        ('<text id="a">\nnot now\tADV\tnow\n</text>\n', 2, "holds white space"),
        ("</s>\n", 1, "closes no open element"),
        ('<text id="a">\n<!-- open\n</text>\n', 2, "never closed"),
        ('<text id="a">\n  Peace\tNOUN\tpeace\n</text>\n', 2, "holds white space"),
    ],
)
def test_vrt_errors_name_the_file_and_line(tmp_path, body, line, message):
    f = tmp_path / "bad.vrt"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(LoadError, match=message) as err:
        tk.load_vrt(f)
    assert err.value.path == str(f) and err.value.line == line
    assert f"{f}, line {line}" in str(err.value)


def test_vrt_parameters_are_checked():
    with pytest.raises(ParameterError, match="'word'"):
        tk.load_vrt(VRT, p_attrs=("form", "pos"))
    with pytest.raises(ParameterError, match="identifier"):
        tk.load_vrt(VRT, p_attrs=("word", "ud-pos", "lemma"))
    with pytest.raises(ParameterError, match="twice"):
        tk.load_vrt(VRT, p_attrs=("word", "pos", "pos"))
    with pytest.raises(LoadError, match="no files to read"):
        tk.load_vrt(CONLLU)


# --------------------------------------------------------------------------- from_tokens
def test_from_tokens_keeps_the_given_tokens():
    docs = [["We", "don't", "agree", "."], ["U.S.", "views", "(", "2024", ")"]]
    c = tk.from_tokens(docs)
    assert words(c) == docs  # "don't" stays one token; nothing is split
    assert c.text("0") == "We don't agree ."
    # the toolkit's own tokeniser splits the same text
    plain = tk.from_dataframe(pd.DataFrame({"text": [c.text("0"), c.text("1")]}))
    assert words(plain)[0] == ["We", "do", "n't", "agree", "."]
    hits = tk.kwic(c, "don't", match="fixed").to_frame()
    assert rows(hits, ["left", "keyword", "right"]) == [["We", "don't", "agree ."]]


def test_from_tokens_sentences_layers_meta_and_ids():
    c = tk.from_tokens(
        [[["It", "is", "."], ["Yes", "."]], ["Fine"]],
        layers={"lemma": [[["it", "be", "."], ["yes", "."]], ["fine"]]},
        meta=pd.DataFrame({"speaker": ["A", "B"], "key": ["k1", "k2"]}, index=[7, 9]),
        ids="key",
        name="given",
    )
    assert c.doc_ids == ["k1", "k2"] and c.name == "given"
    assert c.meta.columns.tolist() == ["speaker"] and c.meta["speaker"].tolist() == ["A", "B"]
    assert c.text("k1") == "It is .\nYes ."
    assert column(c, "lemma") == [["it", "be", ".", "yes", "."], ["fine"]]
    assert c.structure("s").values.tolist() == [["k1", 0, 3, 0, 7], ["k1", 3, 5, 8, 13]]
    assert tk.kwic(c, '[lemma="be"]', match="cqp").to_frame()["keyword"].tolist() == ["is"]
    assert tk.from_tokens([["a"], ["b"]], ids=["x", 2]).doc_ids == ["x", "2"]


def test_a_changed_layer_value_is_a_different_corpus():
    docs = [["It", "is", "time"]]
    a = tk.from_tokens(docs, layers={"lemma": [["it", "be", "time"]]})
    same = tk.from_tokens(docs, layers={"lemma": [["it", "be", "time"]]})
    b = tk.from_tokens(docs, layers={"lemma": [["it", "is", "time"]]})
    bare = tk.from_tokens(docs)
    assert a.fingerprint == same.fingerprint
    assert len({a.fingerprint, b.fingerprint, bare.fingerprint}) == 3
    assert column(a, "lemma") == [["it", "be", "time"]]
    assert column(b, "lemma") == [["it", "is", "time"]]
    # a structure counts too
    assert tk.from_tokens([[["It", "is"], ["time"]]]).fingerprint != bare.fingerprint


@pytest.mark.parametrize(
    ("documents", "layers", "message"),
    [
        ([["a", "b c"]], None, r"document 0 \(id '0'\), token 1 is 'b c'"),
        ([["a"], [["b"], ["c", ""]]], None, r"document 1 \(id '1'\), sentence 1, token 1"),
        ([["a", 5]], None, "token 1 is a int"),
        (["a text"], None, "document 0 .* is a string"),
        ([["a", ["b"]]], None, "mixes tokens and lists"),
        ("abc", None, "documents must be a list"),
        ([["a", "b"]], {"lemma": [["a"]]}, r"document 0 \(id '0'\): 1 values for 2 tokens"),
        ([["a"], ["b"]], {"lemma": [["a"]]}, r"one entry per document \(2\)"),
        ([[["a"]]], {"lemma": [["a"]]}, "lists of values per sentence"),
        ([[["a"], ["b"]]], {"pos": [[["X"]]]}, "1 sentences of values for 2"),
        ([["a"]], {"lemma": [[None]]}, r"layers\['lemma'\], document 0 .*token 0: None"),
        ([["a"]], {"word": [["a"]]}, "not 'word'"),
        ([["a"]], {"part of speech": [["X"]]}, "identifier"),
    ],
)
def test_from_tokens_errors_name_the_document_and_position(documents, layers, message):
    with pytest.raises(ParameterError, match=message):
        tk.from_tokens(documents, layers=layers)


def test_from_tokens_meta_and_ids_are_checked():
    with pytest.raises(ParameterError, match="2 rows for 1 documents"):
        tk.from_tokens([["a"]], meta={"x": [1, 2]})
    with pytest.raises(ParameterError, match="duplicate document ids"):
        tk.from_tokens([["a"], ["b"]], ids=["x", "x"])
    with pytest.raises(ParameterError, match="no column 'id'"):
        tk.from_tokens([["a"]], meta={"x": [1]}, ids="id")
    with pytest.warns(tk.ToolkitWarning, match="without tokens"):
        assert tk.from_tokens([[], ["b"]]).text("0") == ""


_TOKEN = st.text(min_size=1, max_size=8).filter(lambda t: t.split() == [t])


@pytest.mark.filterwarnings("ignore::toolkit.errors.ToolkitWarning")  # empty documents
@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_TOKEN, max_size=12), min_size=1, max_size=4))
def test_from_tokens_round_trip(docs):
    lemmas = [[t.lower() for t in d] for d in docs]
    c = tk.from_tokens(docs, layers={"lemma": lemmas})
    assert words(c) == docs
    assert [c.text(d).split(" ") if c.text(d) else [] for d in c.doc_ids] == docs
    assert column(c, "lemma") == lemmas
    # the same tokens as the sentences of one document
    one = tk.from_tokens([docs], layers={"lemma": [lemmas]})
    assert words(one) == [[t for d in docs for t in d]]
    spans = one.structure("s")[["start", "end", "char_start", "char_end"]].values.tolist()
    text = one.text("0")
    assert [text[cs:ce].split() for _, _, cs, ce in spans] == docs
    assert [b - a for a, b, _, _ in spans] == [len(d) for d in docs]


# --------------------------------------------------------------------------- index and cache
def test_pretokenized_index_is_kept_apart_in_the_cache():
    text = "We don't agree ."
    given = tk.from_tokens([text.split()])
    plain = tk.from_dataframe(pd.DataFrame({"text": [text]}))
    assert given.text("0") == plain.text("0") and given.doc_ids == plain.doc_ids
    assert index_params(given)["tokenizer"] == "pretokenized"
    assert index_params(plain)["tokenizer"] != "pretokenized"
    assert given.index().index.key != plain.index().index.key
    for _ in range(2):  # built, then opened from the disk cache
        index_module._MEMORY.clear()
        assert words(given) == [["We", "don't", "agree", "."]]
        assert words(plain) == [["We", "do", "n't", "agree", "."]]


def test_given_layers_come_back_with_a_cached_index_and_subsets():
    c = tk.load_conllu(CONLLU)
    key = c.index().index.key
    index_module._MEMORY.clear()
    again = tk.load_conllu(CONLLU)
    view = again.index()
    assert view.index.key == key and view.index.layers == ("lemma", "pos", "xpos", "feats")
    sub = again.query("year >= 2020")
    assert column(sub, "lemma") == column(again, "lemma")[1:]
    assert tk.kwic(sub, '[lemma="be"]', match="cqp").to_frame().empty


def test_annotate_adds_layers_but_keeps_the_given_ones():
    c = tk.from_tokens([["Nations", "voted"]], layers={"lemma": [["NATION", "VOTE"]]})
    c.annotate("stem", progress=False)
    assert column(c, "lemma") == [["NATION", "VOTE"]]
    assert column(c, "stem") == [["nation", "vote"]]
    frame = tk.tokens(c, punct=True).to_frame()
    assert frame.columns.tolist() == ["doc_id", "position", "word", "lemma", "stem", "token"]
    assert np.array_equal(frame["position"], [0, 1])


def test_from_tokens_takes_any_sequences_of_tokens():
    def sentences():
        yield ("It", "is")
        yield np.array(["time", "."])

    c = tk.from_tokens(d for d in [sentences(), iter(["Yes"])])
    assert words(c) == [["It", "is", "time", "."], ["Yes"]]
    assert c.structure("s")[["start", "end"]].values.tolist() == [[0, 2], [2, 4]]
    with pytest.raises(ParameterError, match="is a set"):
        tk.from_tokens([{"a", "b"}])


def test_vrt_line_ends_nesting_order_and_other_files(tmp_path):
    crlf = tmp_path / "crlf.vrt"
    crlf.write_bytes((VRT / "debates.vrt").read_bytes().replace(b"\n", b"\r\n"))
    a, b = tk.load_vrt(crlf), tk.load_vrt(VRT)
    assert words(a) == words(b) and column(a, "lemma") == column(b, "lemma")
    assert a.meta.drop(columns="file").equals(b.meta.drop(columns="file"))
    nested = tmp_path / "nested.vrt"
    nested.write_text(
        '<text id="n">\n<name type="outer">\nBank\tPROPN\tBank\n<name type="inner">\n'
        "of\tADP\tof\nEngland\tPROPN\tEngland\n</name>\n</name>\n</text>\n",
        encoding="utf-8",
    )
    c = tk.load_vrt(nested)
    assert c.structure("name")[["start", "end", "type"]].values.tolist() == [
        [0, 3, "outer"],
        [1, 3, "inner"],
    ]
    assert tk.from_tokens([]).doc_ids == []  # an empty corpus is a corpus too
