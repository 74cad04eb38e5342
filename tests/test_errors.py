"""The exception classes: each names what is at fault and keeps the built-in class a user
would catch."""

import pytest

import toolkit as tk
from toolkit.errors import ColumnError, NotFoundError, ParameterError, ParameterTypeError


def test_column_and_not_found_errors_are_key_and_value_errors():
    for cls in (ColumnError, NotFoundError):
        err = cls("by", "decade", "no metadata column 'decade'", valid=["year"])
        assert isinstance(err, tk.ToolkitError)
        assert isinstance(err, KeyError) and isinstance(err, ValueError)
        assert isinstance(err, ParameterError)
        # not the KeyError form, which quotes the whole message
        assert str(err) == "no metadata column 'decade'; valid values: 'year'"
        assert (err.parameter, err.value, err.valid) == ("by", "decade", ["year"])


def test_parameter_type_error_is_a_type_error():
    err = ParameterTypeError("steps", "upper", "cleaning step 'upper' must return a str")
    assert isinstance(err, TypeError) and isinstance(err, tk.ToolkitError)
    with pytest.raises(TypeError, match="'upper' must return a str"):
        raise err


def test_the_column_error_shown_is_public():
    from toolkit._validation import ColumnError as Shared

    assert Shared is ColumnError
    assert ColumnError.__module__ == "toolkit.errors"
    assert not ColumnError.__name__.startswith("_")


def test_a_missing_document_of_a_store_is_named_as_in_one_corpus(tmp_path):
    import pandas as pd

    corpus = tk.from_dataframe(pd.DataFrame({"text": ["a b", "c d", "e f"]}))
    store = tk.build_shards(corpus, tmp_path / "store", progress=False)
    for c in (corpus, store):
        with pytest.raises(NotFoundError, match=r"\['9'\]") as err:
            c.select(["0", "9"])
        assert (err.value.parameter, err.value.value) == ("doc_ids", "9")
        assert isinstance(err.value, KeyError)


def test_a_missing_plot_column_names_the_argument():
    import pandas as pd

    with pytest.raises(ColumnError, match="x: no column 'year'") as err:
        tk.plot_trend(pd.DataFrame({"count": [1]}), x="year", y="count")
    assert err.value.valid == ["count"]
