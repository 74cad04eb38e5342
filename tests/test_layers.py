"""Annotation layers: stored beside the words, cached verified, read by every analysis."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nltk.stem.snowball import SnowballStemmer

import toolkit as tk
import toolkit.index as index_module
from toolkit.annotators import annotate_documents, get_stemmer
from toolkit.cache import cache_dir, content_key

TEXTS = [
    "The delegations have voted for peace. Nuclear weapons threaten us.",
    "We reject the threats and the threatening weapons of the powers.",
]


def make(texts):
    return tk.from_dataframe(
        pd.DataFrame({"text": texts, "year": [1990 + i for i in range(len(texts))]})
    )


def test_layers_equal_the_annotator_and_nltk_stems():
    c = make(TEXTS).annotate(processes=1, progress=False)
    frame = tk.tokens(c, punct=True).to_frame()
    tokens = [tk.tokenize(t) for t in TEXTS]
    expected = annotate_documents(tokens, progress=False)
    assert frame["pos"].tolist() == [p for _, upos in expected for p in upos]
    assert frame["lemma"].tolist() == [lem.lower() for lemmas, _ in expected for lem in lemmas]
    snowball = SnowballStemmer("english")
    words = [t for toks in tokens for t in toks]
    stems = [snowball.stem(w.lower()) if any(ch.isalnum() for ch in w) else w for w in words]
    assert frame["stem"].tolist() == stems


def test_study_pipeline_pos_filtered_stems_without_stopwords():
    c = make(TEXTS).annotate(processes=1, progress=False)
    got = list(c.tokens(layer="stem", pos=["NOUN", "VERB", "ADJ"], stopwords=["have", "the"]))
    snowball = SnowballStemmer("english")
    ref = []
    for toks, (_, upos) in zip(
        [tk.tokenize(t) for t in TEXTS],
        annotate_documents([tk.tokenize(t) for t in TEXTS], progress=False),
        strict=True,
    ):
        ref.append(
            [
                snowball.stem(w.lower())
                for w, p in zip(toks, upos, strict=True)
                if p in {"NOUN", "VERB", "ADJ"} and w.lower() not in {"have", "the"}
            ]
        )
    assert got == ref and ["deleg", "vote", "peac"] == got[0][:3]


def test_layers_are_queried_with_cqp_and_shared_by_subsets():
    c = make(TEXTS).annotate(processes=1, progress=False)
    hits = tk.kwic(c, '[lemma="threat"]', match="cqp").to_frame()
    assert hits["keyword"].tolist() == ["threats"]
    # Snowball: threats → threat, threaten and threatening → threaten
    stems = tk.kwic(c, '[stem="threat.*"]', match="cqp").to_frame()
    assert stems["keyword"].tolist() == ["threaten", "threats", "threatening"]
    assert len(tk.kwic(c, '[stem="threaten"]', match="cqp")) == 2
    sub = c.query("year == 1991")
    assert tk.kwic(sub, '[pos="NOUN"] [pos="ADP"]', match="cqp").to_frame()["keyword"].tolist() == [
        "weapons of"
    ]


def test_layers_come_from_the_verified_cache_and_damage_rebuilds(monkeypatch):
    texts = ["Security councils met.", "Councils voted."]
    make(texts).annotate("stem", progress=False)
    index_module._MEMORY.clear()
    calls = []
    import toolkit.layers as layers_module

    original = layers_module._stem
    monkeypatch.setattr(layers_module, "_stem", lambda *a: calls.append(1) or original(*a))
    c = make(texts).annotate("stem", progress=False)
    assert calls == []  # loaded, not rebuilt
    ids, vocab = c.index().index.layer("stem")
    before = vocab[np.array(ids)].tolist()  # a copy: the arrays are memory maps
    params = {
        "index": c.index().index.key,
        "layer": "stem",
        "annotator": get_stemmer("en").version,
        "format": layers_module.LAYER_FORMAT,
    }
    folder = Path(cache_dir(), "layers", content_key(params))
    assert folder.is_dir()
    for f in folder.glob("ids*"):
        raw = bytearray(f.read_bytes())
        raw[-1] ^= 0xFF
        f.write_bytes(bytes(raw))
    index_module._MEMORY.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = make(texts).annotate("stem", progress=False)
    assert calls == [1]
    assert any(issubclass(w.category, tk.CacheWarning) for w in caught)
    ids, vocab = again.index().index.layer("stem")
    assert vocab[ids].tolist() == before


def test_unknown_layers_and_processes_are_refused():
    # texts of this test alone: an index of the same texts annotated by another test in
    # this process is shared (kept in memory by content) and would have the layers
    c = make([*TEXTS, "A text that only the test of refused layers uses."])
    with pytest.raises(tk.ParameterError) as err:
        c.annotate("sentiment")
    assert err.value.parameter == "layers" and "lemma" in str(err.value)
    with pytest.raises(tk.ParameterError):
        c.annotate("stem", processes=0)
    with pytest.raises(tk.ParameterError) as err:
        tk.tokens(c, layer="lemma")
    assert "annotate" in str(err.value)


def test_kwic_dispersion_and_collocates_take_a_layer():
    c = make(TEXTS).annotate(processes=1, progress=False)
    assert tk.kwic(c, "threat", layer="lemma").to_frame()["keyword"].tolist() == ["threats"]
    assert tk.kwic(c, "threaten", layer="stem").to_frame()["keyword"].tolist() == [
        "threaten",
        "threatening",
    ]
    nouns = tk.kwic(c, "NOUN", layer="pos", case_sensitive=True)
    hand = sum(
        p == "NOUN"
        for _, upos in annotate_documents([tk.tokenize(t) for t in TEXTS], progress=False)
        for p in upos
    )
    assert len(nouns) == hand
    disp = tk.dispersion(c, "weapon", layer="lemma").iloc[0]
    assert disp["count"] == 2 and disp["docs"] == 2
    coll = tk.collocates(c, "weapon", layer="lemma", window=1, min_count=1)
    assert {"nuclear", "threatening", "threaten", "of"} == set(coll["term"])


def test_frequencies_and_keyness_count_layer_values():
    c = make(TEXTS).annotate(processes=1, progress=False)
    tagged = annotate_documents([tk.tokenize(t) for t in TEXTS], progress=False)
    lemmas = [
        lem.lower()
        for (lemmas, upos) in tagged
        for lem, p in zip(lemmas, upos, strict=True)
        if p != "PUNCT"
    ]
    freq = tk.frequencies(c, layer="lemma").set_index("term")["count"]
    from collections import Counter

    assert freq.to_dict() == dict(Counter(lemmas))
    pos = tk.frequencies(c, layer="pos", case_sensitive=True).set_index("term")["count"]
    assert pos["NOUN"] == sum(p == "NOUN" for _, upos in tagged for p in upos)
    k = tk.keyness(c, by="year", target=1991, layer="lemma", min_count=1).set_index("term")
    assert k.loc["weapon", "target_count"] == 1 and k.loc["weapon", "reference_count"] == 1
    sub = c.query("year == 1991")
    sub_freq = tk.frequencies(sub, layer="lemma").set_index("term")["count"]
    assert sub_freq["threat"] == 1 and "delegation" not in sub_freq
