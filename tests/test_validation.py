"""Arguments are checked declaratively, before any work; old names keep working for one
release with a FutureWarning; shared parameters read the same in every docstring."""

import inspect
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit._docs import SHARED_PARAMETERS, parameter_descriptions, params
from toolkit._validation import (
    Check,
    Each,
    InstanceOf,
    Interval,
    Options,
    Renamed,
    StrOptions,
    check_value,
    renamed_arguments,
    validate_params,
)
from toolkit.errors import ParameterError

# --------------------------------------------------------------------------- constraints


def test_interval_bounds_and_types():
    closed = Interval(Integral, 1, 5)
    assert [closed.is_satisfied_by(v) for v in (0, 1, 5, 6)] == [False, True, True, False]
    assert not closed.is_satisfied_by(2.0)  # not an integer
    assert not closed.is_satisfied_by(True)  # booleans are not numbers here
    assert closed.is_satisfied_by(np.int64(3))
    half_open = Interval(Real, 0, 1, closed="right")
    assert [half_open.is_satisfied_by(v) for v in (0, 0.5, 1)] == [False, True, True]
    assert not half_open.is_satisfied_by(float("nan"))
    assert Interval(Real, None, 0).is_satisfied_by(-1e300)
    assert str(Interval(Integral, 2, None)) == "an int in [2, inf)"
    assert str(half_open) == "a number in (0, 1]"


def test_options_list_the_valid_choices():
    with pytest.raises(ParameterError) as err:
        check_value("sort_by", "G2", [StrOptions(("ll", "chi2", "pmi"))])
    assert err.value.parameter == "sort_by" and err.value.value == "G2"
    assert err.value.valid == ["ll", "chi2", "pmi"]
    assert "sort_by='G2' is not valid" in str(err.value)
    assert "valid values: 'll', 'chi2', 'pmi'" in str(err.value)
    # a string option is never a number, nor a number option a string
    assert not StrOptions(("1",)).is_satisfied_by(1)
    assert not Options(int, (1, 2)).is_satisfied_by("1")
    assert not Options(int, (0, 1)).is_satisfied_by(False)


def test_none_types_callables_and_lists():
    assert check_value("p", None, [None, Interval(Real, 0, 1)]) is None
    with pytest.raises(ParameterError, match=r"must be a number in \[0, 1\]; or None"):
        check_value("p", 2, [None, Interval(Real, 0, 1)])
    assert check_value("x", "a", [InstanceOf(str)]) == "a"
    with pytest.raises(ParameterError, match="must be a str"):
        check_value("x", 1, [str])
    even = Check(lambda v: v % 2 == 0, "an even number")
    assert check_value("n", 4, [even]) == 4
    with pytest.raises(ParameterError, match="must be an even number"):
        check_value("n", "four", [even])  # an exception inside the check is a failure
    each = [Each(StrOptions(("a", "b")))]
    assert check_value("m", "a", each) == ["a"]
    assert check_value("m", ("a", "b"), each) == ["a", "b"]
    for bad in ([], ["a", "c"], 3):
        with pytest.raises(ParameterError, match="valid values: 'a', 'b'"):
            check_value("m", bad, each)
    with pytest.raises(ParameterError, match="must be True or False"):
        check_value("punct", 1, ["boolean"])
    assert check_value("punct", np.bool_(True), ["boolean"])


def test_decorator_checks_defaults_and_binds_positions():
    calls = []

    @validate_params({"n": [Interval(Integral, 1, None)], "how": [StrOptions(("x", "y"))]})
    def f(n, how="x"):
        calls.append((n, how))
        return n

    assert f(2, "y") == 2 and calls == [(2, "y")]
    with pytest.raises(ParameterError, match="how='z'"):
        f(2, "z")  # positional arguments are checked too
    assert len(calls) == 1
    with pytest.raises(TypeError, match="no parameters"):
        validate_params({"m": [str]})(lambda n: n)


def test_renamed_argument_and_option_warn_and_map():
    @validate_params(
        {"flag": ["boolean"], "kind": [StrOptions(("new",), deprecated={"old": "new"})]},
        renamed={"negated": Renamed("flag", invert=True), "alias": Renamed("kind")},
    )
    def f(*, flag=False, kind="new"):
        return flag, kind

    with pytest.warns(FutureWarning, match=r"negated= is deprecated.*use flag= instead"):
        assert f(negated=True) == (False, "new")
    with pytest.warns(FutureWarning, match="kind='old' is deprecated.*kind='new'"):
        assert f(kind="old") == (False, "new")
    with pytest.warns(FutureWarning):
        assert f(alias="new") == (False, "new")
    with pytest.raises(ParameterError, match="give flag= only"):
        f(negated=True, flag=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(flag=True) == (True, "new")  # the new names do not warn


def test_renamed_arguments_of_methods_and_classes_name_the_class():
    class Step:
        @renamed_arguments({"window": Renamed("lines")})
        def __init__(self, max_chars=80, lines=2):
            self.max_chars, self.lines = max_chars, lines

        @renamed_arguments({"k": Renamed("n_neighbours")})
        def change(self, terms=None, n_neighbours=25):
            return terms, n_neighbours

    with pytest.warns(FutureWarning, match=r"^Step: the argument window= is deprecated.*lines="):
        assert Step(window=3).lines == 3
    with pytest.warns(FutureWarning, match=r"^Step.change: the argument k= .*n_neighbours="):
        assert Step().change("x", k=3) == ("x", 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Step(60, 4).lines == 4 and Step().change("x", 5) == ("x", 5)  # positions kept
    assert list(inspect.signature(Step.change).parameters) == ["self", "terms", "n_neighbours"]


# --------------------------------------------------------------------------- old names


@pytest.fixture(scope="module")
def small(make):
    return make(
        ["Peace, peace and War. War , and peace.", "war and Peace; the war"],
        side=["A", "B"],
    )


def frame_equal(a, b):
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize(
    ("call", "old", "new"),
    [
        (tk.frequencies, {"lowercase": False}, {"case_sensitive": True}),
        (tk.frequencies, {"lowercase": True}, {"case_sensitive": False}),
        (tk.document_stats, {"lowercase": False}, {"case_sensitive": True}),
        (tk.ngrams, {"lowercase": False, "min_count": 1}, {"case_sensitive": True, "min_count": 1}),
        (tk.ngrams, {"skip_punct": False, "min_count": 1}, {"punct": True, "min_count": 1}),
        (tk.ngrams, {"skip_punct": True, "min_count": 1}, {"punct": False, "min_count": 1}),
        (
            tk.multiword_expressions,
            {"lowercase": False, "min_count": 1},
            {"case_sensitive": True, "min_count": 1},
        ),
    ],
)
def test_old_argument_names_still_work_with_a_future_warning(small, call, old, new):
    (old_name,) = [k for k in old if k not in new]
    (new_name,) = [k for k in new if k not in old]
    with pytest.warns(FutureWarning, match=f"{old_name}= is deprecated.*use {new_name}="):
        got = call(small, **old)
    frame_equal(got, call(small, **new))


def test_keyness_old_case_argument(small):
    with pytest.warns(FutureWarning, match="use case_sensitive="):
        old = tk.keyness(small, by="side", target="A", min_count=1, lowercase=False)
    new = tk.keyness(small, by="side", target="A", min_count=1, case_sensitive=True)
    frame_equal(old, new)
    assert {"Peace", "peace"} <= set(new["term"])  # counted apart


def test_case_and_punctuation_options_change_the_counts_as_named(small):
    folded = tk.frequencies(small).set_index("term")["count"]
    assert folded["peace"] == 4 and "Peace" not in folded.index  # 2 + 1 + 1 by hand
    kept = tk.frequencies(small, case_sensitive=True).set_index("term")["count"]
    assert kept["Peace"] == 2 and kept["peace"] == 2
    with_punct = tk.frequencies(small, punct=True).set_index("term")["count"]
    assert with_punct[","] == 2 and "," not in folded.index
    # n-grams: "war , and" spans punctuation, so only with punct=True
    assert "war , and" not in set(tk.ngrams(small, n=3, min_count=1)["ngram"])
    assert "war , and" in set(tk.ngrams(small, n=3, min_count=1, punct=True)["ngram"])


# --------------------------------------------------------------------------- before any work


@pytest.fixture
def index_calls(monkeypatch):
    """Count the token-index builds: validation must fail before the first."""
    calls = []
    original = tk.Corpus.index

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(tk.Corpus, "index", counting)
    return calls


BAD_CALLS = [
    # (function, arguments, parameter named in the error, a valid choice listed or None)
    (tk.collocations, {"sort_by": "G2"}, "sort_by", "ll"),
    (tk.trigram_collocations, {"sort_by": "dice"}, "sort_by", "chi2"),
    (tk.collocates, {"pattern": "peace", "sort_by": "G2"}, "sort_by", "log_dice"),
    (tk.collocates, {"pattern": "peace", "measures": ["mi", "G2"]}, "measures", "pmi"),
    (tk.collocates, {"pattern": "peace", "window": (1, 2, 3)}, "window", None),
    (tk.collocates, {"pattern": "peace", "case_sensitive": "no"}, "case_sensitive", None),
    (tk.frequencies, {"min_count": 0}, "min_count", None),
    (tk.frequencies, {"stopwords": "the"}, "stopwords", None),
    # a generator would be used up by the check and then count as no stopwords at all
    (tk.frequencies, {"stopwords": (w for w in ["the"])}, "stopwords", None),
    (tk.frequencies, {"punct": "yes"}, "punct", None),
    (tk.frequencies, {"by": "nope"}, "by", "side"),
    (tk.ngrams, {"n": 1}, "n", None),
    (tk.ngrams, {"position": "middle"}, "position", "left"),
    (tk.ngrams, {"match": "cqp", "pattern": "peace"}, "match", "glob"),
    (tk.ngrams, {"stopwords": "klingon"}, "stopwords", "english"),
    (tk.ngrams, {"stopwords": "english", "stopword_filter": "inner"}, "stopword_filter", "edge"),
    (tk.dispersion, {"pattern": "peace", "match": "exact"}, "match", "fixed"),
    (tk.document_stats, {"case_sensitive": None}, "case_sensitive", None),
    (tk.keyness, {"by": "side", "target": "A", "correction": "bonf"}, "correction", "yates"),
    (tk.keyness, {"by": "side", "target": "A", "p": 5}, "p", None),
    (tk.keyness, {"by": "side", "target": "C"}, "target", "A"),
    (tk.keyness, {"by": "side", "target": "A", "reference": "C"}, "reference", "B"),
    (tk.keyness, {"by": "side"}, "target", None),
    (tk.keyness, {"reference": "B"}, "reference", None),
    (tk.dictionary_counts, {"dictionary": {"p": ["peace"]}, "match": "cqp"}, "match", "stem"),
    (tk.dictionary_counts, {"dictionary": ["peace"]}, "dictionary", None),
    (tk.multiword_expressions, {"size": 6}, "size", 5),
    (tk.multiword_expressions, {"smoothing": -1}, "smoothing", None),
]


@pytest.mark.parametrize(("func", "kwargs", "parameter", "choice"), BAD_CALLS)
def test_invalid_arguments_fail_before_any_work(
    make, small, index_calls, func, kwargs, parameter, choice
):
    fresh = make(list(small.texts()), side=list(small.meta["side"]))  # no index built yet
    with pytest.raises(ParameterError) as err:
        func(fresh, **kwargs)
    assert index_calls == [], "the token index was built before the arguments were checked"
    assert err.value.parameter == parameter
    assert f"{parameter}=" in str(err.value)
    if choice is not None:
        assert choice in err.value.valid


def test_by_on_a_mixed_type_column_names_the_column_and_types(make, index_calls):
    c = make(["war and peace", "peace talks", "war"], year=[1990, "1991", 1990])
    for call in (
        lambda: tk.keyness(c, by="year", target=1990),
        lambda: tk.frequencies(c, by="year"),
        lambda: tk.ngrams(c, by="year"),
        lambda: tk.dictionary_counts(c, {"w": ["war"]}, by="year"),
    ):
        with pytest.raises(ParameterError, match=r"'year' mixes values of the types int, str"):
            call()
    assert index_calls == []
    # missing values do not make a column mixed
    ok = make(["war and peace", "peace talks", "war"], side=["A", None, "B"])
    assert tk.keyness(ok, by="side", target="A", min_count=1).attrs["target"] == "A"


def test_missing_column_is_still_a_key_error(make):
    c = make(["war"], side=["A"])
    with pytest.raises(KeyError):
        tk.frequencies(c, by="country")
    with pytest.raises(ParameterError, match="valid values: 'side'"):
        tk.frequencies(c, by="country")


# --------------------------------------------------------------------------- shared docs

#: Modules whose public functions do not use the shared parameter texts yet (they are
#: edited separately); each is checked as soon as it does.  What is left to rename is
#: listed in docs/glossary.md, "Still to follow this glossary".
PENDING_MODULES = {
    "toolkit.token_streams",
}


def _undocumented_shared_parameters():
    """(function, parameter) for every public function and shared parameter it takes
    whose description does not start with the shared text."""
    bad = []
    for name in tk.__all__:
        obj = getattr(tk, name)
        if not inspect.isfunction(obj):
            continue
        described = parameter_descriptions(inspect.getdoc(obj) or "")
        for p in inspect.signature(obj).parameters:
            if p not in SHARED_PARAMETERS:
                continue
            shared = " ".join(getattr(params, p).split())
            if not described.get(p, "").startswith(shared):
                bad.append((obj.__module__, name, p))
    return bad


def test_public_functions_document_shared_parameters_with_the_shared_text():
    bad = [
        (name, p)
        for module, name, p in _undocumented_shared_parameters()
        if module not in PENDING_MODULES
    ]
    assert bad == []


def test_pending_modules_are_still_pending():
    """A module that now documents all its shared parameters leaves PENDING_MODULES."""
    still = {module for module, _, _ in _undocumented_shared_parameters()}
    taking = {
        getattr(tk, n).__module__
        for n in tk.__all__
        if inspect.isfunction(getattr(tk, n))
        and set(inspect.signature(getattr(tk, n)).parameters) & set(SHARED_PARAMETERS)
    }
    done = (taking & PENDING_MODULES) - still
    assert done == set(), f"remove {sorted(done)} from PENDING_MODULES"


def test_shared_texts_are_filled_in_everywhere():
    for name in tk.__all__:
        doc = getattr(tk, name).__doc__ or ""
        assert "{params." not in doc, name
    # the same argument reads the same: one text for case_sensitive in five functions
    shared = " ".join(params.case_sensitive.split())
    texts = {
        parameter_descriptions(inspect.getdoc(f))["case_sensitive"][: len(shared)]
        for f in (tk.frequencies, tk.ngrams, tk.keyness, tk.collocates, tk.dispersion)
    }
    assert texts == {shared}
