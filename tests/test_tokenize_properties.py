"""Properties of the tokenizer over any Unicode text (hypothesis), and its character tables."""

import importlib
import sys
import unicodedata

import numpy as np
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.index import build_index
from toolkit.tokenize import is_word, search_form, tokenize, tokenize_spans

tokmod = importlib.import_module("toolkit.tokenize")  # tk.tokenize is the function

SPACES = " \t\n\r\u00a0\u2003\u3000\x1c"
PUNCT = ".,:;'’-‐‑_!?()…—\"“”"

# Any text: every category except surrogates (hypothesis's default).
any_text = st.text(max_size=60)
# Letters, marks and digits of many scripts mixed with punctuation and white space, so marks
# often follow letters, digits, punctuation, white space and the start of the text.
mixed_text = st.text(
    st.one_of(
        st.characters(categories=["L"]),
        st.characters(categories=["Mn", "Mc", "Me"]),
        st.characters(categories=["Mn"], max_codepoint=0x36F),  # the Latin accents
        st.characters(categories=["Nd", "Nl", "No"]),
        st.characters(categories=["P", "S"]),
        st.sampled_from(list(SPACES + PUNCT + "nNtTsS0123456789aeU\u0301\u0308\ufe0f")),
    ),
    max_size=60,
)
texts = st.one_of(any_text, mixed_text)


def category(ch):
    return unicodedata.category(ch)


def check_tokenisation(text):
    toks, starts, space = tokenize_spans(text)
    starts = starts.tolist()
    assert tokenize(text) == toks == tokmod._SPLIT_RE.split(text)[1::2]
    assert len(starts) == len(space) == len(toks)

    owner = np.full(len(text), -1)
    end = 0
    for i, (tok, s) in enumerate(zip(toks, starts, strict=True)):
        assert tok and text[s : s + len(tok)] == tok  # a substring at its offset
        assert s >= end  # in order, not overlapping
        assert space[i] == (s > end or (i == 0 and s > 0))
        assert not any(ch.isspace() for ch in tok)  # never spans white space
        owner[s : s + len(tok)] = i
        end = s + len(tok)

    for pos, ch in enumerate(text):
        i = owner[pos]
        # every character that is not white space is in exactly one token
        assert (i >= 0) != ch.isspace(), (pos, ch)
        cat = category(ch)
        if cat[0] in "LN":  # every letter and digit of any script is in a word token
            assert is_word(toks[i]), (pos, ch, toks[i])
        elif cat[0] == "M":
            if pos > 0 and not text[pos - 1].isspace():
                assert owner[pos - 1] == i, (pos, toks[i])  # stays with its base
            else:  # no base: it begins a word token
                assert starts[i] == pos and is_word(toks[i]), (pos, toks[i])
    return toks


@settings(max_examples=300, deadline=None)
@given(texts)
def test_every_character_is_in_one_token_and_marks_stay_with_their_base(text):
    check_tokenisation(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("abn't ,.\u0301\u0308-U'’")), max_size=30)))
def test_tokens_of_short_latin_texts_with_accents(parts):
    check_tokenisation(" ".join(parts))


@settings(max_examples=100, deadline=None)
@given(texts)
def test_decomposed_text_gives_the_same_words_in_the_same_places(text):
    """Normalising to NFD changes no token boundary that NFC text has, and vice versa."""
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    a, b = tokenize(nfc), tokenize(nfd)
    assert [unicodedata.normalize("NFD", t) for t in a] == b


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_index_tokenisation_equals_the_reference_tokenizer_for_any_script(docs):
    idx = build_index(docs, progress=False)
    for d, text in enumerate(docs):
        s, e = idx.doc_offsets[d], idx.doc_offsets[d + 1]
        toks, starts, space = tokenize_spans(text)
        assert idx.vocab[idx.tokens[s:e]].tolist() == toks
        assert idx.char_start[s:e].tolist() == starts.tolist()
        assert idx.space[s:e].tolist() == space.tolist()


@settings(max_examples=200, deadline=None)
@given(texts)
def test_search_form_is_lower_nfc_and_the_same_for_nfd_and_nfc(text):
    form = search_form(text)
    assert form == unicodedata.normalize("NFC", text.lower())
    assert unicodedata.is_normalized("NFC", form)
    assert search_form(form) == form
    for norm in ("NFC", "NFD"):
        assert search_form(unicodedata.normalize(norm, text)) == form


def _all_characters():
    codes = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    codes = codes[(codes < 0xD800) | (codes > 0xDFFF)]
    return codes.tobytes().decode("utf-32-le")


def test_character_tables_agree_with_python():
    """The index cuts at ``str.isspace`` and takes ``str.isalnum`` chunks as one word; the
    expression (from the `regex` package, whose Unicode tables may be newer than Python's)
    must agree, or the index and ``tokenize`` would differ."""
    every = _all_characters()
    alnum = "".join(ch for ch in every if ch.isalnum())
    marks = "".join(ch for ch in every if category(ch)[0] == "M")
    spaces = "".join(ch for ch in every if ch.isspace())
    assert regex.fullmatch(tokmod._W + "+", alnum + marks + "_")
    visible = regex.compile(tokmod._VISIBLE)
    assert not visible.search(spaces)
    assert "".join(visible.findall(every)) == "".join(ch for ch in every if not ch.isspace())
    assert all(tokenize(ch) == [ch] for ch in alnum[::97])  # plain words are single tokens
