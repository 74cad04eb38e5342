"""The token index's errors are the toolkit's own, naming the layer and argument at fault."""

import numpy as np
import pytest

import toolkit as tk
from toolkit.index import build_index


def test_an_unknown_layer_is_a_not_found_error_listing_the_layers():
    idx = build_index(["Nations met"])
    idx.add_layer("pos", np.array([0, 1]), np.array(["NOUN", "VERB"], dtype=object))
    with pytest.raises(tk.errors.NotFoundError, match=r"no layer 'lemma'; this index has") as e:
        idx.layer("lemma")
    assert isinstance(e.value, KeyError)
    assert (e.value.parameter, e.value.value) == ("name", "lemma")
    assert "['word', 'pos']" in str(e.value)


def test_add_layer_names_the_argument_at_fault():
    idx = build_index(["Nations met"])  # two tokens
    vocab = np.array(["NOUN", "VERB"], dtype=object)
    with pytest.raises(tk.ParameterError, match="invalid layer name 'word'") as e:
        idx.add_layer("word", np.array([0, 1]), vocab)
    assert (e.value.parameter, e.value.value) == ("name", "word")
    with pytest.raises(tk.ParameterError, match="invalid layer name '2x'") as e:
        idx.add_layer("2x", np.array([0, 1]), vocab)
    assert e.value.parameter == "name"
    with pytest.raises(tk.ParameterError, match=r"one integer id per token \(2\)") as e:
        idx.add_layer("pos", np.array([0, 1, 1]), vocab)
    assert e.value.parameter == "ids"
    with pytest.raises(tk.ParameterError, match="outside its vocabulary of 2") as e:
        idx.add_layer("pos", np.array([0, 2]), vocab)
    assert e.value.parameter == "ids"
    assert idx.layers == ()  # nothing was added
