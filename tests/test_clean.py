import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import clean as cl


def check_alignment(original, cleaned, alignment):
    """Every copied character is the original character it maps to; offsets never go back."""
    assert alignment.length == len(cleaned)
    assert alignment.original_length == len(original)
    mapped = alignment.to_array()
    assert np.all(np.diff(mapped) >= 0)
    assert np.all((mapped >= 0) & (mapped <= len(original)))
    copied = alignment.is_copied(np.arange(len(cleaned)))
    for i in np.flatnonzero(copied).tolist():
        assert original[mapped[i]] == cleaned[i], (i, cleaned[i])
    assert alignment.to_original([len(cleaned)]).tolist() == [len(original)]


# ------------------------------------------------------------------ alignment
def test_edits_and_their_alignment_by_hand():
    text = "ab\ncd  ef"
    cleaned, a = cl.apply_edits(text, [(2, 3, " "), (5, 6, "")])
    assert cleaned == "ab cd ef"
    assert a.to_array().tolist() == [0, 1, 2, 3, 4, 6, 7, 8]
    assert a.inserted.tolist() == [2]
    assert a.original_span(3, 8) == (3, 9)
    assert a.original_span(4, 4) == (4, 4)
    assert a[len(cleaned)] == len(text)
    with pytest.raises(IndexError):
        a.to_original([9])
    with pytest.raises(ValueError, match="sorted"):
        cl.apply_edits(text, [(5, 6, ""), (2, 3, " ")])


def test_a_longer_replacement_maps_its_extra_characters_to_the_end_of_what_it_replaced():
    cleaned, a = cl.apply_edits("a-b", [(1, 2, " to ")])
    assert cleaned == "a to b"
    assert a.to_array().tolist() == [0, 1, 2, 2, 2, 2]
    assert a.inserted.tolist() == [1, 2, 3, 4]
    check_alignment("a-b", cleaned, a)


def test_identity():
    a = cl.Alignment.identity(4)
    assert a.is_identity and a.to_array().tolist() == [0, 1, 2, 3]
    assert cl.Alignment.identity(0).original_spans([0], [0])[0].tolist() == [0]


def _random_edits(draw, n):
    points = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    edits, pos = [], 0
    for s, e in zip(points[::2], points[1::2], strict=False):
        if s < pos:
            continue
        edits.append((s, e, draw(st.sampled_from(["", " ", "x", "yz", "\n"]))))
        pos = e if e > s else e + 1
    return [(s, e, r) for s, e, r in edits if e > s or r]


@st.composite
def texts_and_two_edit_lists(draw):
    text = draw(st.text(st.sampled_from(list("ab \n-")), max_size=30))
    first = _random_edits(draw, len(text))
    mid, _ = cl.apply_edits(text, first)
    second = _random_edits(draw, len(mid))
    return text, first, second


@settings(max_examples=300, deadline=None)
@given(texts_and_two_edit_lists())
def test_composition_equals_composing_character_by_character(case):
    text, first, second = case
    mid, a = cl.apply_edits(text, first)
    final, b = cl.apply_edits(mid, second)
    ab = a.then(b)
    ends = np.append(a.to_array(), len(text))
    assert ab.to_array().tolist() == ends[b.to_array()].tolist()
    inserted = {i for i in range(len(final)) if not b.is_copied([i])[0]} | {
        i for i in range(len(final)) if b.is_copied([i])[0] and not a.is_copied([b[i]])[0]
    }
    assert set(ab.inserted.tolist()) == inserted
    check_alignment(text, final, ab)


# ------------------------------------------------------------------ steps by hand
def test_nfc():
    text = "Cafe\u0301 nai\u0308ve"
    cleaned, a = cl.NFC()(text)
    assert cleaned == "Café naïve"
    assert a.inserted.tolist() == [3, 7]
    assert a.to_original([3, 4, 7, 8]).tolist() == [3, 5, 8, 10]
    assert cl.NFC().run(text).changes == {"characters": 2}
    assert cl.NFC()(cleaned)[0] == cleaned
    assert cl.NFC()(cleaned)[1].is_identity


def test_page_numbers():
    text = (
        "the United\n38\n\nNations\n- 12 -\nand\n08-53122 26\n"
        "all 38 countries\n1995.\n12345\n30/51 15-29431\nend"
    )
    step = cl.PageNumbers()
    cleaned, a = step(text)
    assert cleaned == "the United\nNations\nand\nall 38 countries\n1995.\n12345\nend"
    assert step.run(text).changes == {"lines": 4}
    check_alignment(text, cleaned, a)
    assert step("3\nText")[0] == "Text"
    assert step("Text\n4")[0] == "Text\n"
    assert step("peace\r\n7\r\nand")[0] == "peace\r\nand"
    assert step("  12  \n\n\n    indented")[0] == "    indented"
    assert step(cleaned)[0] == cleaned


def _pages(head, bodies):
    out = []
    for n, body in enumerate(bodies, 1):
        out.append(f"{head}\n{body}\n{n}\n")
    return "".join(out)


def test_running_heads():
    bodies = [f"Page {n} starts\nwith text {n}\nthat goes on {n}\nand ends {n}" for n in (1, 2, 3)]
    text = _pages("General Assembly 22nd meeting", bodies)
    cleaned, a = cl.RunningHeads()(text)
    assert cleaned == "".join(f"{body}\n{n}\n" for n, body in enumerate(bodies, 1))
    assert cl.RunningHeads().run(text).changes == {"lines": 3}
    check_alignment(text, cleaned, a)
    # a repeated salutation is speech, even once beside a page number
    speech = "Mr. President,\nwe meet again.\nMr. President,\nwe act.\nMr. President,\n7\nthanks."
    # (three times, once beside the page number 7: fewer than two anchored occurrences)
    assert cl.RunningHeads()(speech)[0] == speech
    # a document symbol beside a page number is a running head; far from one it is kept
    symbol = (
        "The report\nA/70/PV.16\n12\nsays so.\nSee the\nrecord of\nthe meeting\nA/70/PV.17\nfor it."
    )
    assert cl.RunningHeads()(symbol)[0] == symbol.replace("A/70/PV.16\n", "")
    # without page numbers there are no anchors: nothing is removed
    no_pages = "General Assembly\ntext\nGeneral Assembly\ntext\nGeneral Assembly\n"
    assert cl.RunningHeads()(no_pages)[0] == no_pages


def test_running_heads_lines_counts_lines_and_the_old_name_warns():
    # the head stands two non-blank lines from the nearest page number: above it
    # "n-1" and "End of page n-1", below it "Text of page n" and "n"
    page = "General Assembly 22nd meeting\nText of page {0}.\n{0}\nEnd of page {0}.\n"
    text = "".join(page.format(n) for n in (1, 2, 3))
    without = text.replace("General Assembly 22nd meeting\n", "")
    assert cl.RunningHeads(lines=1)(text)[0] == text
    assert cl.RunningHeads(lines=2)(text)[0] == without
    assert cl.RunningHeads(80, 2, 2)(text)[0] == without  # third, as before
    with pytest.warns(FutureWarning, match=r"RunningHeads: the argument window= .*use lines="):
        old = cl.RunningHeads(window=2)
    assert old(text)[0] == without and old.params() == cl.RunningHeads(lines=2).params()
    with pytest.warns(FutureWarning, match="RunningHeads.lines"):
        assert old.window == 2
    with pytest.raises(tk.ParameterError, match="give lines= only"):
        cl.RunningHeads(window=2, lines=2)
    assert cl.RunningHeads(lines=3).params() == {"max_chars": 80, "min_anchored": 2, "lines": 3}


def test_running_heads_must_come_before_page_numbers():
    with pytest.raises(tk.ParameterError, match="running_heads"):
        cl.Cleaner(["page_numbers", "running_heads"])


def test_hyphens_by_the_evidence_rules():
    h = cl.Hyphens()
    # no evidence at all: the hyphen stays
    assert h("co-\noperation")[0] == "co-operation"
    # the document itself decides
    assert h("recon-\nstruction and reconstruction")[0] == "reconstruction and reconstruction"
    assert h("well-\nknown and well-known")[0] == "well-known and well-known"
    assert h("Well-\nknown, WELL-KNOWN")[0] == "Well-known, WELL-KNOWN"
    # corpus evidence, unless the document says otherwise
    ev = cl.Hyphens({"peacekeeping": 5, "peace-keeping": 2, "peace": 9, "keeping": 3})
    assert ev("peace-\nkeeping")[0] == "peacekeeping"
    assert ev("peace-\nkeeping; peace-keeping")[0] == "peace-keeping; peace-keeping"
    # neither form attested: fragments are joined, words keep their hyphen
    frag = cl.Hyphens(
        {"technolo": 0, "gies": 0, "technologies": 0, "self": 10, "made": 20, "selfmade": 0}
    )
    assert frag("technolo-\ngies and self-\nmade")[0] == "technologies and self-made"
    # the discretionary-hyphen mark of scanned records
    mark = cl.Hyphens({"consequences": 3, "front-line": 2, "frontline": 1})
    cleaned, a = mark("conse¬quences at the front¬line")
    assert cleaned == "consequences at the front-line"
    assert a.inserted.tolist() == [25]  # "¬" became "-"
    # not candidates: digits, dashes, a hyphen before a blank line
    for text in ("1990-\n1995", "peace —\nand", "peace -\nand", "end-\n\nnext"):
        assert h(text)[0] == text
    result = ev.run("peace-\nkeeping, well-\nknown")
    assert result.text == "peacekeeping, well-known"
    assert result.changes == {"joined": 1, "kept": 1}
    check_alignment("peace-\nkeeping, well-\nknown", result.text, result.alignment)


def test_hyphen_evidence_from_texts_and_from_the_token_index_agree(make):
    texts = [
        "The co-\noperation of States.",
        "co-operation is cooperation; cooperation and non-cooperation.",
        "a self-\nmade man, self-made",
    ]
    from_texts = cl.Hyphens().fit(texts)
    from_index = cl.Hyphens().fit(make(texts))
    assert from_texts.evidence == from_index.evidence
    assert from_texts.evidence["cooperation"] == 3  # non-cooperation counts too
    assert from_texts.evidence["co-operation"] == 1
    assert from_texts.evidence["co"] == 1  # the candidate itself does not count
    assert from_texts("The co-\noperation of States.")[0] == "The cooperation of States."


def test_unwrap():
    step = cl.Unwrap()
    wrapped = (
        "We meet in a year of hope and\n"
        "of danger for the peoples of\n"
        "the United Nations.\n"
        "Mr. President,\n"
        "Allow me to congratulate you\n"
        "on your election."
    )
    cleaned, a = step(wrapped)
    assert cleaned == (
        "We meet in a year of hope and of danger for the peoples of the United Nations.\n"
        "Mr. President,\n"
        "Allow me to congratulate you on your election."
    )
    assert step.run(wrapped).changes == {"lines_joined": 3}
    check_alignment(wrapped, cleaned, a)
    assert len(a.inserted) == 3  # each line break became a space
    # a sentence broken across a blank line, in a document of one paragraph per line
    broken = "This long line was broken in the middle of a\n\nsentence by a conversion."
    assert (
        step(broken)[0] == "This long line was broken in the middle of a sentence by a conversion."
    )
    dangling = "We thank the Secretary-General for the work of the\nOrganization this year."
    assert step(dangling)[0] == dangling.replace("\n", " ")
    # list items, paragraphs and salutations of a document of one paragraph per line stay
    for text in (
        "We propose the following:\n(a) more aid;\n(b) less debt.",
        "First paragraph.\nSecond paragraph.\nMr. President,\nThird.",
        "Excellencies,\nLadies and Gentlemen,\nWe meet again.",
    ):
        assert step(text)[0] == text
    # white space around a joined break: a space there is kept (copied), the rest goes
    cleaned, a = step("nations of the \n   world of tomorrow")
    assert cleaned == "nations of the world of tomorrow"
    assert a.inserted.tolist() == []


def test_replace_and_function_steps():
    step = cl.Replace(r"\s*\[Applause\]", "", name="applause")
    text = "We will win. [Applause] Thank you. [Applause]"
    cleaned, a = step(text)
    assert cleaned == "We will win. Thank you."
    check_alignment(text, cleaned, a)
    # the regular expression is regex= (pattern= is its old name, with a FutureWarning)
    assert cl.Replace(regex=r"\s*\[Applause\]", repl="", name="applause")(text)[0] == cleaned
    with pytest.warns(FutureWarning, match=r"Replace: the argument pattern= .*use regex="):
        old = cl.Replace(pattern=r"\s*\[Applause\]", repl="", name="applause")
    assert old(text) == (cleaned, a) and old.description == step.description
    assert step.params()["regex"] == r"\s*\[Applause\]"
    with pytest.warns(FutureWarning, match="Replace.regex"):
        assert old.pattern.pattern == r"\s*\[Applause\]"
    with pytest.raises(tk.ParameterError, match="give regex= only"):
        cl.Replace(pattern="x", regex="x", repl="")
    fn = cl.FunctionStep(lambda t: t.replace("Mr ", "Mr. "), name="mr")
    cleaned, a = fn("Mr Smith and Mr Jones")
    assert cleaned == "Mr. Smith and Mr. Jones"
    check_alignment("Mr Smith and Mr Jones", cleaned, a)
    assert a.inserted.tolist() == [2, 16]

    def exact(t):
        return cl.apply_edits(t, [(0, 1, "")])

    assert cl.FunctionStep(exact)("xabc")[0] == "abc"
    with pytest.raises(TypeError, match="must return"):
        cl.FunctionStep(lambda t: 3)("abc")
    with pytest.raises(ValueError, match="alignment"):
        cl.FunctionStep(lambda t: ("ab", cl.Alignment.identity(5)))("abc")


def test_cleaner_description_version_and_errors():
    a, b = cl.Cleaner(), cl.Cleaner()
    assert a.version == b.version and len(a.version) == 16
    assert a.description.startswith("clean/1|nfc/1|running_heads/1")
    assert cl.Cleaner([cl.Unwrap(max_width=90)]).version != cl.Cleaner(["unwrap"]).version
    f, g = cl.Cleaner([lambda t: t.upper()]), cl.Cleaner([lambda t: t.lower()])
    assert f.version != g.version
    with pytest.raises(tk.ParameterError, match="unknown cleaning step"):
        cl.Cleaner(["unhyphenate"])
    with pytest.raises(tk.ParameterError, match="named"):
        cl.Cleaner(["nfc", cl.NFC()])
    assert not cl.Cleaner().fitted and cl.Cleaner(["nfc"]).fitted


# ------------------------------------------------------------------ properties
_PIECES = [
    "peace",
    "co",
    "operation",
    "United",
    "Nations",
    "the",
    "Mr.",
    "a",
    "I",
    "e\u0301",
    "é",
    "-",
    "-\n",
    "¬",
    " ",
    " ",
    "\n",
    "\n\n",
    "\n12\n",
    "\n- 4 -\n",
    "\n08-53122 26\n",
    ".",
    ",",
    "\t",
    "\r\n",
    "(a) ",
    "1990",
    "“",
    "”",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_every_step_and_the_pipeline_keep_copied_characters(pieces):
    text = "".join(pieces)
    for step in [cl.NFC(), cl.RunningHeads(), cl.PageNumbers(), cl.Hyphens(), cl.Unwrap()]:
        cleaned, a = step(text)
        check_alignment(text, cleaned, a)
    cleaned, a = cl.clean_text(text)
    check_alignment(text, cleaned, a)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_steps_are_idempotent(pieces):
    text = "".join(pieces)
    for step in [cl.NFC(), cl.PageNumbers(), cl.Hyphens()]:
        once = step(text)[0]
        assert step(once)[0] == once


def test_cleaning_the_bundled_corpus_twice_changes_nothing_more(un):
    cleaner = cl.Cleaner().fit(un)
    for text in un.texts():
        once = cleaner(text)[0]
        assert cleaner(once)[0] == once


# ------------------------------------------------------------------ corpora
@pytest.fixture(scope="module")
def cleaned(un):
    return cl.clean_corpus(un, progress=False)


def test_cleaned_corpus_keeps_ids_metadata_and_the_way_back(un, cleaned):
    assert cleaned.doc_ids == un.doc_ids
    pd.testing.assert_frame_equal(cleaned.meta, un.meta)
    assert cleaned.name == f"{un.name} (cleaned)"
    record = cl.cleaning_record(cleaned)
    assert record.original is un
    assert record.cleaner.fitted
    doc = "PRK_51_1996"
    assert record.original_text(doc) == un.text(doc)
    check_alignment(un.text(doc), cleaned.text(doc), record.alignment(doc))
    changes = record.changes
    assert list(changes.index) == un.doc_ids
    assert {"page_numbers.lines", "hyphens.joined", "unwrap.lines_joined", "chars_before"} <= set(
        changes.columns
    )
    assert (changes["chars_before"] == [len(t) for t in un.texts()]).all()
    summary = record.summary()
    assert summary.loc["unwrap.lines_joined", "total"] == changes["unwrap.lines_joined"].sum()
    # subsets and segments lead back to the same record
    assert cl.cleaning_record(cleaned.query("country == 'PRK'")) is record
    with pytest.raises(ValueError, match="not a cleaned corpus"):
        cl.cleaning_record(un)


def test_sentences_of_a_cleaned_corpus_map_to_their_original_spans(un, cleaned):
    sub = cleaned.query("country == 'KOR' and year >= 2000")
    sents = sub.segment("sentence")
    spans = cl.original_spans(sents)
    assert list(spans.index) == sents.doc_ids
    record = cl.cleaning_record(sents)
    for doc_id, row in list(spans.iterrows())[::5]:
        parent = sents.meta.loc[doc_id, "parent_id"]
        assert row.original_id == parent
        sentence = sents.text(doc_id)
        original = un.text(parent)[row.original_start : row.original_end]
        start = sents.meta.loc[doc_id, "span_start"]
        a = record.alignment(parent)
        positions = np.arange(start, start + len(sentence))
        copied = positions[a.is_copied(positions)]
        assert "".join(un.text(parent)[p] for p in a.to_original(copied)) == "".join(
            sentence[p - start] for p in copied
        )
        assert original.split() == sentence.split() or len(original) >= len(sentence)
    whole = cl.original_spans(sub)
    assert (whole["original_start"] == 0).all()
    assert whole["original_end"].tolist() == [len(un.text(d)) for d in sub.doc_ids]


def test_concordance_lines_in_the_original_by_hand(make):
    text = "Peace and\n12\nsecurity for all. The co-\noperation of states."
    cleaned = make([text]).clean(["page_numbers", "hyphens", "unwrap"])
    assert cleaned.text("0") == "Peace and security for all. The cooperation of states."
    row = tk.kwic(cleaned, "security", window=2).original().iloc[0]
    # context "Peace and" | "security" | "for all": in the original the page line sits
    # between the left context and the keyword
    assert row["original_id"] == "0"
    assert row["original_left"] == "Peace and\n12\n"
    assert row["original_keyword"] == "security"
    assert row["original_right"] == " for all"
    assert text[row["original_start"] : row["original_end"]] == "security"
    row = tk.kwic(cleaned, "cooperation", window=1).original().iloc[0]
    assert (row["left"], row["keyword"], row["right"]) == ("The", "cooperation", "of")
    assert row["original_keyword"] == "co-\noperation"
    assert (row["original_left"], row["original_right"]) == ("The ", " of")


def test_concordance_lines_in_the_original_of_sentences_and_the_bundled_corpus(cleaned):
    conc = tk.kwic(cleaned, ["peacekeeping", "peace-keeping"])
    frame = conc.original()
    assert len(frame) == len(conc) > 50
    originals = tk.cleaning_record(cleaned).original
    for row in frame.itertuples():
        text = originals.text(row.original_id)
        assert text[row.original_start : row.original_end] == row.original_keyword
        # the original keyword is the cleaned one with line breaks, hyphens and removed
        # lines put back: the same letters in the same order
        letters = "".join(ch for ch in row.original_keyword.lower() if ch.isalpha())
        assert letters == "peacekeeping"
    # the bundled speeches break it at a line end four times ("peace-\\nkeeping")
    assert frame["original_keyword"].str.contains("-\\n").sum() == 4
    sentences = cleaned.select(cleaned.doc_ids[:20]).segment("sentence")
    by_sentence = tk.kwic(sentences, "peace").original()
    assert len(by_sentence)
    for row in by_sentence.itertuples():
        assert originals.text(row.original_id)[row.original_start : row.original_end] == (
            row.original_keyword
        )
        assert row.original_keyword.lower() == "peace"


def test_original_lines_need_a_cleaned_corpus(make):
    with pytest.raises(tk.ParameterError, match="not a cleaned corpus"):
        tk.kwic(make(["Peace and security."]), "peace").original()
    empty = tk.kwic(make(["Peace and security."]).clean(), "war").original()
    assert len(empty) == 0 and "original_keyword" in empty.columns


def test_spaced_hyphens_by_hand():
    step = cl.SpacedHyphens()
    text = "the energy- shortage, non- aligned states, medium- and long-term plans"
    text += " and pre- or post-war"
    out, alignment = step(text)
    # no evidence: the hyphen stays and the space goes; suspended hyphens stay as written
    assert out == "the energy-shortage, non-aligned states, medium- and long-term plans" + (
        " and pre- or post-war"
    )
    check_alignment(text, out, alignment)
    # the document's own evidence decides first, then the corpus's
    assert step("peace- keeping and peacekeeping")[0] == "peacekeeping and peacekeeping"
    fitted = step.fit(["peacekeeping is peacekeeping", "a peace- keeping force"])
    assert fitted.evidence["peacekeeping"] == 2
    assert fitted("a peace- keeping force")[0] == "a peacekeeping force"
    # a dash between spaces, a capital after the space, a line break: not candidates
    same = "war - peace, Nations- United, energy-\nshortage"
    assert step(same)[0] == same
    assert step.run(text).changes == {"joined": 0, "kept": 2}


def test_spaced_hyphens_in_the_default_cleaning_of_the_bundled_corpus(cleaned):
    record = tk.cleaning_record(cleaned)
    totals = record.summary()["total"]
    # counted independently on the texts the step received (cleaned up to "unwrap"):
    # "letter- lowercase word" pairs whose word is not a suspending word
    import re

    suspended = cl.SpacedHyphens.SUSPENDED
    before = tk.Cleaner(["nfc", "running_heads", "page_numbers", "hyphens", "unwrap"])
    before = before.fit(record.original)
    expected = 0
    for text in (before(t)[0] for t in record.original.texts()):
        for m in re.finditer(r"(?<=[^\W\d_])-[ \t]+([a-z][^\W\d_]*)(/?)", text):
            if m.group(1) not in suspended and not m.group(2):
                expected += 1
    assert expected > 100
    assert totals["spaced_hyphens.joined"] + totals["spaced_hyphens.kept"] == expected
    assert "non-aligned" in " ".join(cleaned.texts()).lower()


def test_cleaning_in_two_processes_gives_the_same_corpus(un):
    small = un.select(un.doc_ids[:60])
    one = small.clean(processes=1)
    two = small.clean(processes=2)
    assert one.fingerprint == two.fingerprint
    assert list(one.texts()) == list(two.texts())
    r1, r2 = tk.cleaning_record(one), tk.cleaning_record(two)
    pd.testing.assert_frame_equal(r1.changes, r2.changes)
    for doc_id in small.doc_ids[:10]:
        assert (r1.alignment(doc_id).to_array() == r2.alignment(doc_id).to_array()).all()
    with pytest.raises(tk.ParameterError, match="processes"):
        small.clean(processes=0)


# ------------------------------------------------------------------ errors name what is at fault
def test_alignment_arguments_are_checked_by_name():
    with pytest.raises(tk.ParameterError, match="1 origins for 2 starts") as err:
        cl.Alignment([0, 3], [0], [], 5, 5)
    assert err.value.parameter == "origins"
    with pytest.raises(tk.ParameterError, match="must start at 0") as err:
        cl.Alignment([1], [0], [], 5, 5)
    assert err.value.parameter == "starts"
    a = cl.Alignment.identity(5)
    with pytest.raises(tk.ParameterError, match="not 2 and 1") as err:
        a.original_spans([0, 1], [2])
    assert err.value.parameter == "ends"
    with pytest.raises(tk.ParameterError, match="starts from 4 characters") as err:
        a.then(cl.Alignment.identity(4))
    assert err.value.parameter == "later"


def test_apply_edits_names_the_edit_at_fault():
    with pytest.raises(tk.ParameterError, match=r"\(2, 1\)") as err:
        cl.apply_edits("abcdef", [(2, 1, "")])
    assert (err.value.parameter, err.value.value) == ("edits", (2, 1, ""))


def test_a_misbehaving_step_is_named():
    def three(text):
        return 3

    with pytest.raises(tk.errors.ParameterTypeError, match="'three' must return a str") as err:
        cl.FunctionStep(three)("abc")
    assert isinstance(err.value, TypeError)
    assert (err.value.parameter, err.value.value) == ("steps", "three")

    def short(text):
        return "ab", cl.Alignment.identity(5)

    with pytest.raises(tk.ParameterError, match="'short' returned an alignment of 5") as err:
        cl.FunctionStep(short)("abc")
    assert (err.value.parameter, err.value.value) == ("steps", "short")


def test_cleaned_corpus_errors_name_the_argument(make):
    c = make(["the United\n38\n\nNations", "peace"])
    with pytest.raises(tk.ParameterError, match="not a cleaned corpus") as err:
        cl.cleaning_record(c)
    assert err.value.parameter == "corpus"
    cleaned = cl.clean_corpus(c, ["page_numbers"])
    with pytest.raises(tk.errors.NotFoundError, match="no document 'x'") as err:
        cl.spans_in_original(cleaned, ["x"], [0], [1])
    assert isinstance(err.value, KeyError)
    assert (err.value.parameter, err.value.value) == ("doc_ids", "x")
    with pytest.raises(tk.ParameterError, match="not 1, 2 and 1") as err:
        cl.spans_in_original(cleaned, ["0"], [0, 1], [1])
    assert err.value.parameter == "starts"
    record = cl.cleaning_record(cleaned)
    with pytest.raises(tk.errors.NotFoundError, match="no document 'x'") as err:
        record.alignment("x")
    assert (err.value.parameter, err.value.value) == ("doc_id", "x")


def test_offsets_outside_the_cleaned_text_are_named():
    a = cl.Alignment.identity(5)
    with pytest.raises(tk.errors.OutOfRangeError, match=r"0 … 5, not \[9, -1\]") as err:
        a.to_original([2, 9, -1])
    assert isinstance(err.value, IndexError)
    assert (err.value.parameter, err.value.value) == ("positions", [9, -1])
    with pytest.raises(tk.errors.OutOfRangeError, match=r"not \[\(3, 2\), \(4, 6\)\]") as err:
        a.original_spans([0, 3, 4], [1, 2, 6])
    assert isinstance(err.value, IndexError)
    assert (err.value.parameter, err.value.value) == ("starts", [(3, 2), (4, 6)])
