"""Annotators: hand-checked sentences, accuracy on the gold file, stems, errors."""

from __future__ import annotations

import sys
from pathlib import Path

import conllu
import numpy as np
import pytest

from toolkit import annotators as A
from toolkit.errors import ParameterError
from toolkit.tokenize import tokenize

GOLD = Path(__file__).parent / "data" / "ungd-gold-en.conllu"
TEXTS = Path(__file__).parents[1] / "corpora" / "un-debates-asia" / "texts"

# Measured with benchmarks/annotate.py (HanTa 1.2.1): UPOS 0.957 (viterbi) and 0.952
# (lookahead), lemmas of nouns, verbs and adjectives 0.987.  A margin of about eight
# tokens of the 580 leaves room for harmless changes, not for a broken update.
UPOS_MIN = {"viterbi": 0.943, "lookahead": 0.938}
LEMMA_MIN = 0.97


@pytest.fixture(scope="module")
def gold():
    return conllu.parse(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["viterbi", "lookahead"])
def hanta(request):
    return A.HanTaAnnotator(decoder=request.param)


def test_gold_file_parses_and_matches_the_tokenizer(gold):
    assert len(gold) == 23
    assert sum(len(s) for s in gold) == 580
    for sentence in gold:
        assert [t["form"] for t in sentence] == tokenize(sentence.metadata["text"])
        assert (TEXTS / sentence.metadata["source"]).exists()
        for token in sentence:
            assert token["upos"] in A.UPOS
            assert token["lemma"]


def test_hand_checked_sentences():
    ann = A.HanTaAnnotator()
    lemmas, upos = ann.annotate(tokenize("The delegations have voted against the resolutions."))
    assert upos == ["DET", "NOUN", "AUX", "VERB", "ADP", "DET", "NOUN", "PUNCT"]
    assert lemmas == ["the", "delegation", "have", "vote", "against", "the", "resolution", "."]
    lemmas, upos = ann.annotate(tokenize("There is no peace without development."))
    assert upos == ["PRON", "VERB", "DET", "NOUN", "ADP", "NOUN", "PUNCT"]
    lemmas, upos = ann.annotate(tokenize("It wasn’t the Council’s best effort."))
    assert upos == ["PRON", "AUX", "PART", "DET", "PROPN", "PART", "ADJ", "NOUN", "PUNCT"]
    assert lemmas == ["it", "be", "not", "the", "Council", "'s", "good", "effort", "."]
    lemmas, upos = ann.annotate(tokenize("Developing countries were developing quickly."))
    assert upos[:2] == ["VERB", "NOUN"] or upos[:2] == ["ADJ", "NOUN"]
    assert upos[3] == "VERB" and lemmas[3] == "develop"


def test_accuracy_on_gold(gold, hanta):
    n = ok = content = content_ok = 0
    for sentence in gold:
        lemmas, upos = hanta.annotate([t["form"] for t in sentence])
        for token, lemma, tag in zip(sentence, lemmas, upos, strict=True):
            n += 1
            ok += tag == token["upos"]
            if token["upos"] in ("NOUN", "VERB", "ADJ"):
                content += 1
                content_ok += lemma.lower() == token["lemma"].lower()
    assert ok / n >= UPOS_MIN[hanta.decoder]
    assert content_ok / content >= LEMMA_MIN


def test_viterbi_decoder_reproduces_hanta(gold):
    ann = A.HanTaAnnotator(decoder="viterbi")
    model = ann._model
    sentences = [[t["form"].replace("’", "'") for t in s] for s in gold]
    tokens = tokenize((TEXTS / "KOR_60_2005.txt").read_text(encoding="utf-8")[:20000])
    tokens = [t.replace("’", "'") for t in tokens]
    sentences += [tokens[a:b] for a, b in A.split_sentences(tokens)]
    for words in sentences:
        expected = [model.int2tag[t] for t in model.tag_sent_viterbi(words)]
        assert ann.tags(words) == expected


def test_lookahead_mostly_agrees_with_viterbi():
    tokens = tokenize((TEXTS / "JPN_50_1995.txt").read_text(encoding="utf-8")[:20000])
    viterbi = A.HanTaAnnotator(decoder="viterbi")
    lookahead = A.HanTaAnnotator(decoder="lookahead")
    same = total = 0
    for a, b in A.split_sentences(tokens):
        x, y = viterbi.tags(tokens[a:b]), lookahead.tags(tokens[a:b])
        same += sum(p == q for p, q in zip(x, y, strict=True))
        total += b - a
    assert same / total > 0.97


def test_document_and_empty_input():
    ann = A.get_annotator()
    assert ann.annotate([]) == ([], [])
    assert ann.annotate_document([]) == ([], [])
    lemmas, upos = ann.annotate_document(tokenize("The wars ended. We agree!"))
    assert upos == ["DET", "NOUN", "VERB", "PUNCT", "PRON", "VERB", "PUNCT"]
    assert lemmas[:3] == ["the", "war", "end"]


def test_annotate_documents_in_two_processes():
    docs = [tokenize("The Assembly met. It adjourned."), tokenize("Peace is possible."), []]
    one = A.annotate_documents(docs, progress=False)
    two = A.annotate_documents(docs, "hanta", processes=2, progress=False)
    assert one == two
    assert one[2] == ([], [])
    with pytest.raises(ParameterError):
        A.annotate_documents(docs, processes=0)


def test_version_is_a_cache_key():
    a = A.HanTaAnnotator(decoder="viterbi").version
    b = A.HanTaAnnotator(decoder="lookahead").version
    assert a != b
    assert a.startswith("hanta/HanTa==") and '"decoder":"viterbi"' in a
    assert A.get_stemmer().version.startswith("snowball/nltk==")


def test_split_sentences():
    assert A.split_sentences([]) == []
    assert A.split_sentences(["U.S.", "and", "U.N.", "."]) == [(0, 4)]
    assert A.split_sentences(["a", "?", "b", "...", "c"]) == [(0, 2), (2, 4), (4, 5)]


def test_c5_mapping_covers_the_model_tags():
    model = A.HanTaAnnotator()._model
    tags = [t for t in model.int2tag.values() if len(t) == 3 and t.isupper() and t.isalnum()]
    for tag in tags:
        assert A.c5_to_upos(["x"], [tag], proper_nouns=False)[0] in A.UPOS
    assert A.c5_to_upos(["has", "to", "go"], ["VHZ", "TO0", "VVI"]) == ["VERB", "PART", "VERB"]
    assert A.c5_to_upos(["has", "gone"], ["VHZ", "VVN"]) == ["AUX", "VERB"]
    assert A.c5_to_upos(["do", "more"], ["VDB", "AV0"]) == ["VERB", "ADV"]
    assert A.c5_to_upos(["did", "not", "go"], ["VDD", "XX0", "VVI"]) == ["AUX", "PART", "VERB"]


def test_stemmer_agrees_with_nltk():
    from nltk.stem import SnowballStemmer

    nltk_stem = SnowballStemmer("english").stem
    words = {t for path in sorted(TEXTS.glob("USA_*.txt"))[::8] for t in tokenize(path.read_text())}
    words |= {"international", "organization", "realization", "Running", "n’t", "U.S."}
    words = sorted(words)
    assert A.get_stemmer("en").stem(words) == [nltk_stem(w) for w in words]
    assert A.Stemmer("german").stem(["Nationen"]) == [SnowballStemmer("german").stem("Nationen")]


def test_lemmatizer():
    lem = A.get_lemmatizer("en")
    assert lem.lemmatize(["nations", "were", "nations"]) == ["nation", "be", "nation"]
    with pytest.raises(ParameterError, match="valid values"):
        A.get_lemmatizer("xx")


def test_registry_and_errors():
    table = A.annotators()
    assert {"name", "kind", "package", "version", "available", "default", "install"} <= set(
        table.columns
    )
    assert table.set_index("name").loc["hanta", "available"]
    with pytest.raises(ParameterError, match="'hanta', 'spacy'"):
        A.get_annotator("nltk")
    with pytest.raises(ParameterError, match="valid values"):
        A.get_annotator(language="tlh")
    with pytest.raises(ParameterError, match="valid values: 'lookahead', 'viterbi'"):
        A.HanTaAnnotator(decoder="beam")
    with pytest.raises(ParameterError, match="valid values: 'en'"):
        A.HanTaAnnotator(language="de")
    with pytest.raises(ParameterError):
        A.get_stemmer("klingon")


def test_spacy_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(ParameterError, match="pip install spacy"):
        A.get_annotator("spacy")


def test_spacy_missing_pipeline_is_a_clear_error():
    pytest.importorskip("spacy")
    with pytest.raises(ParameterError, match="downloads nothing"):
        A.SpacyAnnotator("xx_no_such_pipeline")


def test_spacy_backend_when_a_pipeline_is_installed(gold):
    spacy = pytest.importorskip("spacy")
    names = [n for n in ("en_core_web_sm", "en_core_web_md") if spacy.util.is_package(n)]
    if not names:
        pytest.skip("no English spaCy pipeline installed")
    ann = A.SpacyAnnotator(names[0])
    lemmas, upos = ann.annotate(tokenize("The delegations voted."))
    assert upos == ["DET", "NOUN", "VERB", "PUNCT"]
    assert lemmas[1:3] == ["delegation", "vote"]


def _compact(tokens, vocab):
    """Token ids over a vocabulary of only the types that occur."""
    used, ids = np.unique(tokens, return_inverse=True)
    return ids.astype(np.int32), [vocab[i] for i in used]


@pytest.mark.parametrize("processes", [1, 2])
def test_corpus_path_gives_the_document_path_layers(un, processes):
    # The compiled whole-corpus path must give, token for token, what the plain Python
    # decoder and c5_to_upos give document by document (the reference implementation).
    index = un.index().index
    offsets = np.asarray(index.doc_offsets)[:26]
    tokens, vocab = _compact(np.asarray(index.tokens)[: offsets[-1]], index.vocab.tolist())
    # Extra cases: an empty token (no candidate tags: the decoder falls back to the
    # transition table), a document without final punctuation, one of punctuation only.
    extra = [["", "the", "Council", "met"], ["peace", "and", "security"], ["...", "!", "?"]]
    for doc in extra:
        for word in doc:
            if word not in vocab:
                vocab.append(word)
        tokens = np.concatenate([tokens, [vocab.index(w) for w in doc]]).astype(np.int32)
        offsets = np.append(offsets, len(tokens))
    fast = A.HanTaAnnotator().annotate_corpus(
        tokens, vocab, offsets, processes=processes, progress=False
    )
    reference = A.Annotator.annotate_corpus(
        A.HanTaAnnotator(), tokens, vocab, offsets, processes=1, progress=False
    )
    lemmas = np.array(fast[1], dtype=object)[fast[0]]
    expected_lemmas = np.array(reference[1], dtype=object)[reference[0]]
    tags = np.array(fast[3], dtype=object)[fast[2]]
    expected_tags = np.array(reference[3], dtype=object)[reference[2]]
    assert len(tags) == len(tokens) > 90_000
    assert (tags == expected_tags).all()
    assert (lemmas == expected_lemmas).all()
    assert {"PROPN", "AUX", "PUNCT", "VERB"} <= set(tags)


def test_corpus_path_of_an_empty_corpus():
    ann = A.HanTaAnnotator()
    lemma_ids, lemmas, pos_ids, tags = ann.annotate_corpus(
        np.array([], dtype=np.int32), [], np.array([0]), progress=False
    )
    assert len(lemma_ids) == len(pos_ids) == 0 and lemmas == [] and tags == []


def test_viterbi_annotator_takes_the_document_path():
    vocab = ["The", "Council", "met", "."]
    ann = A.HanTaAnnotator(decoder="viterbi")
    ids, lemmas, pos, tags = ann.annotate_corpus(
        np.array([0, 1, 2, 3]), vocab, np.array([0, 4]), progress=False
    )
    assert [tags[i] for i in pos] == ["DET", "PROPN", "VERB", "PUNCT"]
    assert [lemmas[i] for i in ids] == ["the", "council", "meet", "."]
