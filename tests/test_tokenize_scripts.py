"""Words of every script: combining marks stay in their word; search forms; example texts."""

import importlib
import re
import unicodedata

import pandas as pd
import pytest

import toolkit as tk
from toolkit.index import build_index
from toolkit.tokenize import TOKENIZER_VERSION, is_word, search_form, tokenize, tokenize_spans


def nfd(text):
    return unicodedata.normalize("NFD", text)


def has_mark(text):
    return any(unicodedata.category(ch).startswith("M") for ch in text)


HINDI = "भारत की राष्ट्रभाषा हिन्दी है और हिन्दी बोलने वाले"  # nine words


@pytest.mark.parametrize(
    ("word", "script"),
    [
        ("हिन्दी", "Devanagari: vowel signs and virama"),
        ("இந்தியாவின்", "Tamil: vowel signs and pulli"),
        ("সংস্কৃতি", "Bengali"),
        ("العَرَبِيَّة", "vowelled Arabic: harakat and shadda"),
        ("בְּרֵאשִׁית", "pointed Hebrew: niqqud and dagesh"),
        ("Ἀθῆναι", "polytonic Greek, precomposed"),
        (nfd("Ἀθῆναι"), "polytonic Greek, decomposed"),
        (nfd("Élysée"), "decomposed Latin"),
        (nfd("Việt"), "Vietnamese, two marks on one letter"),
        (nfd("Ångström"), "decomposed Latin with ring above"),
    ],
)
def test_a_word_with_combining_marks_is_one_word_token(word, script):
    assert tokenize(word) == [word], script
    assert tokenize(f"({word}) {word}, {word}.") == ["(", word, ")", word, ",", word, "."]
    assert is_word(word)


def test_a_hindi_sentence_counts_its_words_once():
    toks = tokenize(HINDI)
    assert toks == HINDI.split()
    assert len(toks) == 9
    assert toks.count("हिन्दी") == 2


def test_thai_marks_do_not_split_a_run_of_letters():
    """Thai has no spaces between words: today each space-delimited run is one token."""
    phrase = "ภาษาไทยเป็นภาษาที่มีระดับเสียง ง่ายไหม?"
    assert has_mark(phrase)
    assert tokenize(phrase) == ["ภาษาไทยเป็นภาษาที่มีระดับเสียง", "ง่ายไหม", "?"]


def test_chinese_and_japanese_runs_end_at_punctuation():
    assert tokenize("中文没有空格。日本語の文章、ですね！") == [
        "中文没有空格",
        "。",
        "日本語の文章",
        "、",
        "ですね",
        "！",
    ]


def test_decomposed_latin_keeps_every_rule():
    text = nfd("Élysée's café didn't co-opérate in the É.U. 1,000 résumés...")
    assert tokenize(text) == [
        nfd(t)
        for t in [
            "Élysée",
            "'s",
            "café",
            "did",
            "n't",
            "co-opérate",
            "in",
            "the",
            "É.U.",
            "1,000",
            "résumés",
            "...",
        ]
    ]
    assert tokenize(nfd("dón't")) == [nfd("dó"), "n't"]


def test_marks_stay_with_punctuation_and_symbols_they_are_written_on():
    heart, keycap = "❤\ufe0f", "#\ufe0f\u20e3"  # emoji with variation selector; keycap
    assert tokenize(f"I {heart} it {keycap}1") == ["I", heart, "it", keycap, "1"]
    assert not is_word(heart) and not is_word(keycap)
    assert tokenize("1\ufe0f\u20e3 ok") == ["1\ufe0f\u20e3", "ok"]  # digit keycap is a word
    assert tokenize("a,\u0301b ...\u0302 U.S.\u0303") == [
        "a",
        ",\u0301",
        "b",
        "...\u0302",
        "U.S.\u0303",
    ]


def test_a_mark_with_no_base_begins_a_word():
    assert tokenize("\u0301abc") == ["\u0301abc"]
    assert tokenize("x \u0301 \u0301y\u0302") == ["x", "\u0301", "\u0301y\u0302"]
    assert all(is_word(t) for t in tokenize("\u0301 \u0301y"))


def test_is_word_for_any_script():
    for token in ["हिन्दी", "٣", "五", "ǅ", "ⅻ", "x²", "\u0301", "’s", "_"]:
        assert is_word(token), token
    for token in ["—", "«", "…", "%", "❤\ufe0f", ",\u0301"]:
        assert not is_word(token), token


def test_search_form_is_lower_case_nfc():
    assert search_form(nfd("Élysée")) == search_form("Élysée") == "élysée"
    assert search_form(nfd("हिन्दी")) == "हिन्दी"
    assert search_form("J\u030c") == "\u01f0"  # lower-casing makes a composable pair
    assert search_form("ΟΔΟΣ") == "οδος"  # final sigma, as str.lower does
    assert search_form("Straße") == "straße"  # lower, not casefold
    assert search_form("U.S.") == "u.s."
    assert search_form("") == ""


def test_search_form_is_exported():
    module = importlib.import_module("toolkit.tokenize")  # tk.tokenize is the function
    assert "search_form" in module.__all__


def test_tokenizer_version_changed_with_the_rules():
    assert TOKENIZER_VERSION != "ptb-regex-1"


def test_index_gives_the_same_tokens_as_tokenize_for_every_script():
    texts = [
        HINDI,
        "தமிழ் மொழி இந்தியாவின் செம்மொழி.",
        "ภาษาไทยเป็นภาษาที่มีระดับเสียง ง่ายไหม?",
        "اَلْعَرَبِيَّةُ لُغَةٌ، وَالْكِتَابُ",
        "בְּרֵאשִׁית בָּרָא אֱלֹהִים",
        nfd("Élysée café naïve résumé, Ångström's don't"),
        "\u0301lone ,\u0301 a\u0301-b\u0301 ❤\ufe0f 1\ufe0f\u20e3 U.S.\u0301 ...\u0301",
    ]
    idx = build_index(texts, progress=False)
    for d, text in enumerate(texts):
        s, e = idx.doc_offsets[d], idx.doc_offsets[d + 1]
        toks, starts, space = tokenize_spans(text)
        assert idx.vocab[idx.tokens[s:e]].tolist() == toks == tokenize(text)
        assert idx.char_start[s:e].tolist() == starts.tolist()
        assert idx.space[s:e].tolist() == space.tolist()


def test_kwic_finds_a_hindi_word():
    corpus = tk.from_dataframe(pd.DataFrame({"text": [HINDI]}))
    conc = tk.kwic(corpus, "हिन्दी")
    assert len(conc) == 2


def test_plain_latin_text_tokenises_as_before():
    """Text without marks keeps the rules of ``ptb-regex-1`` (Python ``re``, frozen here)."""
    old = re.compile(
        r"(\d+(?:[.,:]\d+)+|(?:[^\W\d_]\.){2,}|\w+?(?=[nN]['’][tT](?!\w))"
        r"|(?<=\w)[nN]['’][tT](?!\w)|\w+(?:[-‐‑]\w+)*"
        r"|(?<=\w)['’](?:[sSmMdD]|ll|LL|re|RE|ve|VE)(?!\w)|\.\.\.|\S)"
    )
    text = (
        "Russia’s warning to the U.S. wasn't co-ordinated... (peace), war! 1,000.5 cases; "
        "we'll they’re I'm you'd 10:30 e.g. x_y 3.5% — “quoted” …"
    )
    assert tokenize(text) == old.split(text)[1::2]
