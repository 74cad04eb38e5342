import re
import statistics
import sys
from pathlib import Path

import conllu
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
import toolkit.segment  # noqa: F401  (the module; ``tk.segment`` is the function)

sg = sys.modules["toolkit.segment"]


# ------------------------------------------------------------------ the former implementation
# paragraph_spans before it was rewritten without regular expressions that scan every
# position: the reference the new one must equal.
_LINE_SEP = re.compile(r"\s*[\r\n]\s*")
_BLANK_SEP = re.compile(r"\s*\n[^\S\n]*\n\s*")
_HAS_BLANK = re.compile(r"\n[^\S\n]*\n")


def _old_spans_between(text, sep):
    spans = []
    lead = re.match(r"\s*", text)
    pos = lead.end() if lead else 0
    for m in sep.finditer(text, pos):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    end = len(text.rstrip())
    if end > pos:
        spans.append((pos, end))
    return spans


def _old_paragraph_spans(text, sep="auto", wrap_width=100):
    if sep == "line":
        return _old_spans_between(text, _LINE_SEP)
    if sep == "blank":
        return _old_spans_between(text, _BLANK_SEP)
    if _HAS_BLANK.search(text):
        lengths = [len(line) for line in text.splitlines() if line.strip()]
        if lengths and statistics.median(lengths) < wrap_width:
            return _old_spans_between(text, _BLANK_SEP)
    return _old_spans_between(text, _LINE_SEP)


_SPACES = list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000")


@settings(max_examples=400, deadline=None)
@given(
    st.text(st.sampled_from(list("ab.") + _SPACES), max_size=60),
    st.sampled_from(["auto", "line", "blank"]),
    st.sampled_from([3, 100]),
)
def test_paragraph_spans_equal_the_former_implementation(text, sep, wrap_width):
    assert sg.paragraph_spans(text, sep, wrap_width) == _old_paragraph_spans(text, sep, wrap_width)


def test_paragraph_spans_of_the_bundled_corpus_are_unchanged(un):
    for text in list(un.texts())[::7]:
        for sep in ("auto", "line", "blank"):
            assert sg.paragraph_spans(text, sep) == _old_paragraph_spans(text, sep)


# ------------------------------------------------------------------ NLTK's decisions
@pytest.fixture(scope="module")
def model(un):
    return sg.train_sentence_model(un)


def _nltk_spans(model, text):
    return list(model.span_tokenize(text))


# Characters that exercise every branch: abbreviations (Mr, U.S, etc, No), initials, numbers,
# quotes and brackets to realign, ellipses, ? and !, commas and colons after words, line
# breaks and other white space, hyphens, lower-case words after a full stop.
_PIECES = [
    "Mr.",
    "Dr.",
    "U.S.",
    "etc.",
    "No.",
    "e.g.",
    "J.",
    "A.",
    "5.",
    "1990.",
    "3.5",
    "The",
    "the",
    "We",
    "we",
    "United",
    "Nations.",
    "peace",
    "(a)",
    "(1)",
    '"',
    "'",
    "“",
    "”",
    "’",
    ")",
    "(",
    "]",
    "...",
    "..",
    "?",
    "!",
    "?!",
    ".",
    ",",
    ";",
    ":",
    "-",
    "--",
    "—",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\xa0",
    "\u2028",
    "States,",
    "Assembly;",
    "It",
    "In",
    "x",
    "I.",
    "Corp.",
    "Inc.",
    "p.",
    "pp.",
    "art.",
    "para.",
    "vs.",
    "St.",
    "1.",
    "2.",
    "iv.",
    "II.",
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_splitter_makes_the_decisions_of_nltk(model, pieces):
    text = "".join(pieces)
    splitter = sg.SentenceSplitter(model)
    assert splitter.exact
    assert splitter.spans(text) == _nltk_spans(model, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.sampled_from(list("aZ1.?!\"')( \n-,;:’”“«»]")), max_size=50))
def test_splitter_equals_nltk_on_random_characters(model, text):
    assert sg.SentenceSplitter(model).spans(text) == _nltk_spans(model, text)


def test_splitter_equals_nltk_on_the_bundled_corpus(un, model):
    splitter = sg.SentenceSplitter(model)
    for text in list(un.texts())[::3]:
        paragraphs = sg.paragraph_spans(text, "line")
        expected = [
            (ps + s, ps + e) for ps, pe in paragraphs for s, e in model.span_tokenize(text[ps:pe])
        ]
        assert splitter.split(text, paragraphs) == expected


def _many_as_lists(splitter, texts, paragraphs):
    joined, starts, ends, counts = splitter.split_many(texts, paragraphs)
    out, k, offset = [], 0, 0
    for text, n in zip(texts, counts.tolist(), strict=True):
        pairs = zip(starts[k : k + n].tolist(), ends[k : k + n].tolist(), strict=True)
        out.append([(s - offset, e - offset) for s, e in pairs])
        k += n
        offset += len(text)
    assert joined == "".join(texts)
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=25), min_size=1, max_size=4))
def test_splitting_many_documents_at_once_equals_nltk(model, docs):
    texts = ["".join(pieces) for pieces in docs]
    splitter = sg.SentenceSplitter(model)
    paragraphs = [sg.paragraph_spans(t, "line") for t in texts]
    expected = [
        [(ps + s, ps + e) for ps, pe in par for s, e in model.span_tokenize(t[ps:pe])]
        for t, par in zip(texts, paragraphs, strict=True)
    ]
    assert _many_as_lists(splitter, texts, paragraphs) == expected


def test_splitting_many_documents_at_once_equals_one_by_one(un, model):
    splitter = sg.SentenceSplitter(model)
    texts = list(un.texts())[::3]  # one document in three: nothing depends on their number
    for sep in ("line", "auto"):
        paragraphs = [sg.paragraph_spans(t, sep) for t in texts]
        expected = [splitter.split(t, p) for t, p in zip(texts, paragraphs, strict=True)]
        assert _many_as_lists(splitter, texts, paragraphs) == expected


def test_a_model_of_another_kind_is_used_through_its_own_methods(model):
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    class Custom(PunktSentenceTokenizer):
        def span_tokenize(self, text, realign_boundaries=True):
            yield (0, len(text))

    custom = Custom(model._params)
    splitter = sg.SentenceSplitter(custom)
    assert not splitter.exact
    assert splitter.spans("One. Two.") == [(0, 9)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"aB1 .,-;:'\"()?!\t\x1c\xa0…", "--", ". . ."]), max_size=40))
def test_line_tokens_equal_nltks_word_tokens(pieces):
    from nltk.tokenize.punkt import PunktLanguageVars

    line = "".join(pieces)
    word_re = sg._unwrap(PunktLanguageVars()._word_tokenizer_re())
    assert sg._line_tokens(line, word_re) == word_re.findall(line)


def test_training_with_remembered_token_types_learns_what_nltk_learns(un):
    from nltk.tokenize.punkt import PunktTrainer

    text = "\n\n".join(list(un.texts())[:40])[:300_000]
    plain = PunktTrainer()
    plain.INCLUDE_ALL_COLLOCS = True
    plain.train(text, finalize=True)
    fast = sg._trainer_class(PunktTrainer)(token_cls=sg._CachedToken.get())
    fast.INCLUDE_ALL_COLLOCS = True
    fast.train(text, finalize=True)
    a, b = plain.get_params(), fast.get_params()
    assert a.abbrev_types == b.abbrev_types
    assert a.collocations == b.collocations
    assert a.sent_starters == b.sent_starters
    assert dict(a.ortho_context) == dict(b.ortho_context)


def test_a_trained_model_is_read_back_from_the_cache(un, model):
    sg._MODELS.clear()
    again = sg.train_sentence_model(un)
    assert again is not model
    a, b = model._params, again._params
    assert a.abbrev_types == b.abbrev_types and a.collocations == b.collocations
    assert a.sent_starters == b.sent_starters
    # (NLTK's lookups add zero entries to the default dict of a model in use)
    assert {k: v for k, v in a.ortho_context.items() if v} == dict(b.ortho_context)
    assert sg.COMMON_ABBREVIATIONS <= b.abbrev_types


# ------------------------------------------------------------------ segment()
def test_sentence_counts_of_a_hand_made_text(make):
    text = (
        "Mr. President, the U.S. delegation welcomes you. We meet in 1995. "
        'The Secretary-General said: "Peace is possible." Is it?\n'
        "Yes! It is.\n"
        "Headline without a full stop\n"
        "(This sentence is in brackets.) And this one follows it."
    )
    c = make([text, "One.\n\nTwo. Three."])
    sents = c.segment("sentence")
    got = [sents.text(d) for d in sents.doc_ids]
    assert got == [
        "Mr. President, the U.S. delegation welcomes you.",
        "We meet in 1995.",
        'The Secretary-General said: "Peace is possible."',
        "Is it?",
        "Yes!",
        "It is.",
        "Headline without a full stop",
        "(This sentence is in brackets.)",
        "And this one follows it.",
        "One.",
        "Two.",
        "Three.",
    ]
    assert sents.meta["parent_id"].tolist() == ["0"] * 9 + ["1"] * 3
    assert sents.meta["position"].tolist() == list(range(9)) + [0, 1, 2]
    for doc_id, row in sents.meta.iterrows():
        assert c.text(row.parent_id)[row.span_start : row.span_end] == sents.text(doc_id)


def test_segments_keep_digests_and_metadata(make):
    from toolkit.corpus import digest

    c = make(["Caf\u00e9 au lait. “Bonjour,” dit-il. Fin.", "Plain. Text."], year=[1990, 2000])
    sents = c.segment("sentence")
    assert [sents.text(d) for d in sents.doc_ids] == [
        "Caf\u00e9 au lait.",
        "“Bonjour,” dit-il.",
        "Fin.",
        "Plain.",
        "Text.",
    ]
    assert sents._digests == [digest(sents.text(d)) for d in sents.doc_ids]
    assert sents.meta["year"].tolist() == [1990, 1990, 1990, 2000, 2000]


def test_no_boundary_inside_a_sentence_cut_by_a_page_number_after_cleaning(make):
    # TKM_56_2001 of the UN General Debate Corpus, as the user found it
    text = (
        "Turkmenistan attaches the utmost importance to\n"
        "its cooperation with the United Nations and its\n"
        "specialized agencies. Our Government and the United\n"
        "Nations Development Programme jointly carry out a\n"
        "number of large-scale projects in the social and\n"
        "economic spheres that have yielded good results for the\n"
        "environment and many other areas, including health,\n"
        "education and ecology. Our cooperation with the\n"
        "United Nations Children’s Fund (UNICEF), the United\n"
        "38\n\n"
        "Nations Population Fund and other agencies has been\n"
        "most effective. Turkmenistan will continue to maintain\n"
        "close ties with these important agencies of the United\n"
        "Nations in the search for new avenues of cooperation.\n"
    )
    raw = make([text])
    before = raw.segment("sentence")
    assert any(before.text(d).endswith("the United\n38") for d in before.doc_ids)
    cleaned = raw.clean() if hasattr(raw, "clean") else tk_clean(raw)
    sents = cleaned.segment("sentence")
    got = [sents.text(d) for d in sents.doc_ids]
    assert got[2] == (
        "Our cooperation with the United Nations Children’s Fund (UNICEF), the United "
        "Nations Population Fund and other agencies has been most effective."
    )
    assert len(got) == 4 and all(s.endswith(".") for s in got)
    assert not any("38" in s for s in got)


def tk_clean(corpus):
    from toolkit.clean import clean_corpus

    return clean_corpus(corpus)


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=5)
)
def test_digests_of_spans_are_those_of_their_texts(text, pairs):
    from toolkit.corpus import digest

    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in pairs]
    starts = np.array([a for a, _ in spans], dtype=np.int64)
    ends = np.array([b for _, b in spans], dtype=np.int64)
    got = sg.SentenceSplitter.__new__(sg.SentenceSplitter)._digests(text, starts, ends)
    assert got == [digest(text[a:b]) for a, b in spans]


def test_segment_rejects_unknown_units_and_separators(make):
    c = make(["a"])
    with pytest.raises(ValueError, match="unit"):
        c.segment("word")
    with pytest.raises(ValueError, match="sep"):
        c.segment("paragraph", sep="tab")


def test_training_samples_documents_across_the_corpus(make):
    texts = [f"Speech number {i} of the year {1950 + i}. " * 40 for i in range(50)]
    c = make(texts)
    sample = sg._sample_texts(c, train_chars=10_000)
    assert 4 <= len(sample) <= 12
    assert sample[0] == texts[0] and sample[-1] != texts[len(sample) - 1]
    assert sg._sample_texts(c, train_chars=10**9) == texts


def test_segments_of_given_tokens_keep_tokens_and_layers():
    # sentences given with the corpus are the sentences; their tokens and layers are kept
    path = Path(__file__).parent / "data" / "ungd-gold-en.conllu"
    corpus = tk.load_conllu(path)
    sentences = corpus.segment("sentence")
    assert sentences.pretokenized
    assert len(sentences) == len(corpus.structure("s")) == 23
    with open(path, encoding="utf-8") as f:
        gold = [
            [(t["form"], t["upos"]) for t in s if isinstance(t["id"], int)]
            for s in conllu.parse(f.read())
        ]
    frame = tk.tokens(sentences, punct=True, case_sensitive=True).to_frame()
    groups = frame.groupby("doc_id", sort=False)
    got = [list(zip(g["word"], g["pos"], strict=True)) for _, g in groups]
    assert got == gold
    # from_tokens without sentences: Punkt finds them, the given tokens stay whole
    c = tk.from_tokens(
        [["The", "U.S.", "agreed", ".", "We", "didn't", "."]],
        layers={"pos": [["DET", "PROPN", "VERB", "PUNCT", "PRON", "AUX", "PUNCT"]]},
    )
    s = c.segment("sentence")
    assert [s.text(d) for d in s.doc_ids] == ["The U.S. agreed .", "We didn't ."]
    assert list(tk.tokens(s, punct=True, case_sensitive=True)) == [
        ["The", "U.S.", "agreed", "."],
        ["We", "didn't", "."],
    ]
    assert list(tk.tokens(s, layer="pos", punct=True, case_sensitive=True)) == [
        ["DET", "PROPN", "VERB", "PUNCT"],
        ["PRON", "AUX", "PUNCT"],
    ]


def test_cleaning_given_tokens_is_refused():
    c = tk.from_tokens([["energy-", "shortage"]])
    with pytest.raises(tk.ParameterError, match="tokens were given"):
        c.clean()


@pytest.mark.parametrize(
    "paragraphs, at_fault",
    [([(0, 50)], "paragraph 0"), ([(5, 2)], "paragraph 0"), ([(10, 20), (0, 5)], "paragraph 1")],
)
def test_splitter_refuses_paragraphs_outside_the_text_or_out_of_order(paragraphs, at_fault):
    from toolkit.segment import SentenceSplitter, train_sentence_model

    splitter = SentenceSplitter(train_sentence_model(tk.load_sample("commentary")))
    with pytest.raises(tk.ParameterError, match=at_fault):
        splitter.split("Peace talks. Kim left.", paragraphs)
    assert splitter.split("Peace talks. Kim left.", [(0, 12), (13, 22)]) == [(0, 12), (13, 22)]


def test_segment_errors_are_parameter_errors_listing_the_choices(make):
    c = make(["a"])
    with pytest.raises(tk.ParameterError) as err:
        c.segment("word")
    assert (err.value.parameter, err.value.value) == ("unit", "word")
    assert err.value.valid == ["paragraph", "sentence"]
    assert "unit='word'" in str(err.value) and "'sentence'" in str(err.value)
    with pytest.raises(tk.ParameterError) as err:
        tk.segment(c, "paragraph", sep="tab")
    assert (err.value.parameter, err.value.value) == ("sep", "tab")
    assert err.value.valid == ["auto", "line", "blank"]
    with pytest.raises(tk.ParameterError, match="sep='tab'") as err:
        sg.paragraph_spans("a\nb", sep="tab")
    assert err.value.parameter == "sep"


def test_sentence_models_kept_in_memory_are_bounded():
    import importlib

    import pandas as pd

    segment = importlib.import_module("toolkit.segment")  # tk.segment is the function
    text = "Mr. Smith spoke at noon. The delegates listened. Dr. Jones replied at once. "
    models = []
    for i in range(segment.MODELS_IN_MEMORY + 2):
        c = tk.from_dataframe(pd.DataFrame({"text": [text * 3 + f"Corpus {i} ends here."]}))
        models.append(segment.train_sentence_model(c, cache=False))
        assert len(segment._MODELS) <= segment.MODELS_IN_MEMORY
    # the most recently used model is kept and returned again, not trained again
    assert segment.train_sentence_model(c, cache=False) is models[-1]
    assert models[-1].tokenize("Mr. Smith spoke. It rained.") == ["Mr. Smith spoke.", "It rained."]
