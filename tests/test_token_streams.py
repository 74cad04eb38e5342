"""Token streams: what a study's preprocessing gets, checked against plain Python."""

import re
from collections import Counter

import pandas as pd
import pytest
from gensim.corpora import Dictionary

import toolkit as tk
from toolkit.tokenize import is_word, tokenize

TEXTS = [
    "The Non-Aligned Movement met in 1961; it didn't wait.",
    "Peace, peace and the U.S. — 3.5% of G7 states'll agree.",
    "",
    "Nuclear-weapon-free zones. The zones!",
]


def make(texts, **meta):
    return tk.from_dataframe(pd.DataFrame({"text": texts, **meta}))


def reference(text, *, punct=False, numbers=True, split=False, min_length=1, stop=()):
    """The same options applied by hand to the tokeniser's output."""
    out = []
    for tok in tokenize(text):
        if not punct and not is_word(tok):
            continue
        if not numbers and re.fullmatch(r"[+\-−]?(\d+([.,:]\d+)*|\d*[.,]\d+)%?", tok):
            continue
        if tok.lower() in stop:
            continue
        for piece in (
            re.split(r"(?<=[^\W_])[-‐‑](?=[^\W_])", tok.lower()) if split else [tok.lower()]
        ):
            n_chars = sum(ch.isalnum() for ch in piece)
            if (n_chars and n_chars < min_length) or piece in stop:
                continue
            out.append(piece)
    return out


@pytest.mark.parametrize(
    "opts",
    [
        {},
        {"punct": True},
        {"numbers": False},
        {"split_hyphens": True},
        {"min_length": 3},
        {"stopwords": ["the", "and", "it", "of"]},
        {"split_hyphens": True, "min_length": 4, "stopwords": ["free"], "numbers": False},
    ],
)
def test_documents_equal_hand_filtered_tokens(opts):
    ref_opts = {
        "punct": opts.get("punct", False),
        "numbers": opts.get("numbers", True),
        "split": opts.get("split_hyphens", False),
        "min_length": opts.get("min_length", 1),
        "stop": set(opts.get("stopwords", ())),
    }
    got = list(tk.tokens(make(TEXTS), **opts))
    assert got == [reference(t, **ref_opts) for t in TEXTS]


def test_clitics_fail_a_length_filter_and_case_is_kept_on_request():
    c = make(["They'll say we won't."])
    assert list(tk.tokens(c, min_length=3)) == [["they", "say"]]
    assert list(tk.tokens(c, case_sensitive=True)) == [["They", "'ll", "say", "we", "wo", "n't"]]


def test_min_count_counts_the_whole_stream():
    c = make(TEXTS)
    counts = Counter(t for doc in tk.tokens(c) for t in doc)
    got = list(tk.tokens(c, min_count=2))
    assert got == [[t for t in doc if counts[t] >= 2] for doc in tk.tokens(c)]
    assert {t for doc in got for t in doc} == {"the", "peace", "zones"}


def test_stream_is_restartable_plain_strings_and_gensim_accepts_it():
    s = tk.tokens(make(TEXTS))
    first, second = list(s), list(s)
    assert first == second and len(s) == len(TEXTS) == len(first)
    assert all(type(t) is str for doc in first for t in doc)
    d = Dictionary(s)
    assert d.num_docs == len(TEXTS) and "peace" in d.token2id
    assert d.cfs[d.token2id["peace"]] == 2


def test_sentences_match_the_segmented_corpus(un):
    small = un.select(un.doc_ids[:3])
    stream = tk.tokens(small, unit="sentence")
    sentences = small.segment("sentence")
    ref = [reference(t) for t in sentences.texts()]
    got = list(stream)
    assert len(got) == len(ref) == len(stream.units)
    assert got == ref
    assert stream.units[0] == (small.doc_ids[0], 0)


def test_subsets_stream_only_their_documents(un):
    sub = un.query("country == 'PRK'")
    got = list(tk.tokens(sub))
    assert len(got) == len(sub)
    assert got[0] == reference(sub.text(sub.doc_ids[0]))


def test_vocabulary_and_long_table():
    c = make(TEXTS)
    vocab = tk.tokens(c, split_hyphens=True).vocabulary().set_index("term")["count"]
    hand = Counter(t for text in TEXTS for t in reference(text, split=True))
    assert vocab.to_dict() == dict(hand)
    frame = tk.tokens(make(["Hello, brave new-world"]), split_hyphens=True).to_frame()
    assert frame[["position", "word", "token"]].values.tolist() == [
        [0, "Hello", "hello"],
        [2, "brave", "brave"],
        [3, "new-world", "new"],
        [3, "new-world", "world"],
    ]


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"unit": "page"}, "unit"),
        ({"layer": "lemma"}, "layer"),
        ({"min_length": -1}, "min_length"),
        ({"stopwords": "the"}, "stopwords"),
        ({"punct": "no"}, "punct"),
    ],
)
def test_invalid_options_name_the_parameter(kwargs, parameter):
    with pytest.raises(tk.ParameterError) as err:
        tk.tokens(make(["a"]), **kwargs)
    assert err.value.parameter == parameter


def test_values_are_searchable_forms_and_marks_do_not_block_hyphen_splits():
    nfd = "Cafe\u0301-society in De\u0301cembre"
    got = list(tk.tokens(make([nfd]), split_hyphens=True))
    assert got == [["caf\u00e9", "society", "in", "d\u00e9cembre"]]


def test_given_sentences_are_the_units_and_given_tokens_stay_whole():
    c = tk.from_tokens([[["We", "don't", "wait", "."], ["Go", "!"]], [["Again", "."]]])
    s = tk.tokens(c, unit="sentence", case_sensitive=True)
    assert list(s) == [["We", "don't", "wait"], ["Go"], ["Again"]]
    assert s.units == [("0", 0), ("0", 1), ("1", 0)]
    sub = c.select(["1"])
    assert list(tk.tokens(sub, unit="sentence")) == [["again"]]


def test_sentence_starts_come_from_the_verified_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    c = make(["First one. Second one here.", "Only one.", "It rained. Then it stopped."])
    expected = [
        ["first", "one"],
        ["second", "one", "here"],
        ["only", "one"],
        ["it", "rained"],
        ["then", "it", "stopped"],
    ]
    assert list(c.tokens(unit="sentence")) == expected
    files = list((tmp_path / "sentences").glob("*/starts.npy"))
    assert len(files) == 1
    # a fresh corpus object of the same texts reads them back; a damaged copy is rebuilt
    again = make(["First one. Second one here.", "Only one.", "It rained. Then it stopped."])
    assert list(again.tokens(unit="sentence")) == expected
    data = bytearray(files[0].read_bytes())
    data[-8:] = (10**9).to_bytes(8, "little")
    files[0].write_bytes(bytes(data))
    third = make(["First one. Second one here.", "Only one.", "It rained. Then it stopped."])
    with pytest.warns(tk.CacheWarning, match="sentence starts"):
        assert list(third.tokens(unit="sentence")) == expected


def test_case_folding_of_words_lemmas_and_stems_but_not_tags():
    c = tk.from_tokens(
        [["The", "Council", "met", "."]],
        layers={
            "pos": [["DET", "PROPN", "VERB", "PUNCT"]],
            "lemma": [["the", "Council", "meet", "."]],
        },
    )
    assert list(tk.tokens(c, layer="pos")) == [["DET", "PROPN", "VERB"]]
    assert list(tk.tokens(c, layer="lemma")) == [["the", "council", "meet"]]
    assert list(tk.tokens(c, layer="lemma", case_sensitive=True)) == [["the", "Council", "meet"]]
    assert tk.frequencies(c, layer="pos")["term"].tolist() == ["DET", "PROPN", "VERB"]
    assert sorted(tk.frequencies(c, layer="lemma")["term"]) == ["council", "meet", "the"]


def test_old_argument_names_still_work_with_a_warning():
    c = tk.from_dataframe(pd.DataFrame({"text": ["The UN met. It agreed."]}))
    with pytest.warns(FutureWarning, match="unit="):
        old = list(tk.tokens(c, by="sentence"))
    assert old == list(tk.tokens(c, unit="sentence"))
    with pytest.warns(FutureWarning, match="case_sensitive=True"):
        old = list(tk.tokens(c, lowercase=False))
    assert old == list(tk.tokens(c, case_sensitive=True)) == [["The", "UN", "met", "It", "agreed"]]
    with pytest.raises(tk.ParameterError):
        tk.tokens(c, unit="paragraph")


def test_view_plan_and_blocks_are_public():
    """The stream's index view, its plan and its blocks (what the embeddings read): the
    output ids map to the stream's own terms, at the positions of the tokens kept."""
    c = make(["The war, the peace.", "War!"])
    s = tk.tokens(c, stopwords=["the"])
    assert s.view.doc_ids == ["0", "1"]
    plan = s.build_plan()
    pairs = [
        (term, int(p))
        for ids, pos in s.blocks(plan)
        for term, p in zip(plan["out_vocab"][ids].tolist(), pos.tolist(), strict=True)
    ]
    # tokens: The(0) war(1) ,(2) the(3) peace(4) .(5) | War(6) !(7)
    assert pairs == [("war", 1), ("peace", 4), ("war", 6)]
    assert [t for t, _ in pairs] == [w for doc in s for w in doc]
    # without a plan the stream's own is used
    assert [len(ids) for ids, _ in s.blocks()] == [len(ids) for ids, _ in s.blocks(plan)]


def test_a_compounded_stream_feeds_later_analyses_as_a_corpus(un):
    """tokens_compound, then the analyses: the compounds are counted by country as a
    regular expression counts the phrase in the raw texts, and keyness runs on them."""
    import re

    recent = un.query("year >= 2015")
    compounded = tk.tokens(recent, compound=["united nations", "human rights"]).to_corpus()
    assert compounded.doc_ids == recent.doc_ids
    pd.testing.assert_frame_equal(compounded.meta, recent.meta)
    # a hyphenated compound is one token ("United Nations-led": united + nations-led;
    # "Weapons-United Nations": weapons-united + nations)
    phrase = re.compile(r"(?<![\w-])united\s+nations\b(?!-\w)", re.IGNORECASE)
    expected = (
        pd.Series([len(phrase.findall(t)) for t in recent.texts()], index=recent.meta["country"])
        .groupby(level=0)
        .sum()
    )
    got = (
        tk.frequencies(compounded, by="country")
        .query("term == 'united_nations'")
        .set_index("country")["count"]
    )
    assert got.sort_index().to_dict() == expected[expected > 0].sort_index().to_dict()
    # the words of a compound are no longer counted on their own
    united = tk.frequencies(compounded).set_index("term")["count"]
    alone = sum(len(re.findall(r"(?<![\w-])united\b(?!-\w)", t, re.I)) for t in recent.texts())
    assert united["united"] == alone - expected.sum()
    key = tk.keyness(compounded, by="country", target="USA", min_count=1)
    assert "united_nations" in set(key["term"])
    # sentences stay sentences; a document emptied by the filters stays, empty
    sentences = tk.tokens(recent.select(recent.doc_ids[:2]), unit="sentence").to_corpus()
    assert sentences.doc_ids == recent.doc_ids[:2]
    assert len(sentences.structure("s")) > 2
