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
