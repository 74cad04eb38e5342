"""Counting primitives over the token index, shared by the analyses.

Frequencies, keyness, dictionaries, multi-word expressions, patterns and token streams all
count the same things: the term each token counts as (on any layer, case-folded or not), the
word tokens of each document, the groups of documents, the distinct rows of an array of term
ids.  They live here, in the index layer, so that each analysis imports them from below and
none imports another.  numpy does the counting; nothing here is specific to one analysis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import ParameterError
from .tokenize import search_form

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus
    from .index import IndexView

__all__ = [
    "WORD_LAYERS",
    "FOLDED_LAYERS",
    "folds_case",
    "layer_values",
    "view_positions",
    "term_ids",
    "stream_terms",
    "doc_word_counts",
    "term_counts",
    "group_codes",
    "unique_rows",
]

#: Layers every index has; annotation layers are added by ``Corpus.annotate``.
WORD_LAYERS = ("word",)

#: Layers whose values are words and are case-folded unless ``case_sensitive=True``; the values of
#: other layers (part-of-speech tags, given tag layers such as ``xpos`` or ``deprel``) are
#: labels and keep their case.
FOLDED_LAYERS = ("word", "lemma", "stem")


def folds_case(layer: str) -> bool:
    """Whether ``case_sensitive=False`` folds the values of ``layer``.

    Examples
    --------
    >>> folds_case("lemma"), folds_case("pos")
    (True, False)
    """
    return layer in FOLDED_LAYERS


def layer_values(view: IndexView, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-position ids on ``layer`` over the whole index, and the layer's vocabulary.

    Examples
    --------
    >>> from toolkit.index import build_index, IndexView
    >>> view = IndexView(build_index(["A b a"]), [0], ["d"])
    >>> ids, vocab = layer_values(view, "word")
    >>> vocab[ids].tolist()
    ['A', 'b', 'a']
    """
    index = view.index
    if layer == "word":
        return np.asarray(index.tokens), np.asarray(index.vocab, dtype=object)
    get = getattr(index, "layer", None)
    available = list(WORD_LAYERS) + list(getattr(index, "layers", ()) or ())
    if get is None or layer not in available:
        raise ParameterError(
            "layer",
            layer,
            f"the corpus has no {layer!r} layer; add annotation layers with corpus.annotate()",
            valid=available,
        )
    ids, vocab = get(layer)
    return np.asarray(ids), np.asarray(vocab, dtype=object)


def view_positions(view: IndexView) -> np.ndarray:
    """Corpus positions of the view's tokens, in the order of ``view.token_stream()``."""
    if view.full:
        return np.arange(view.index.n_tokens, dtype=np.int64)
    lengths = view.doc_lengths
    out = np.ones(int(lengths.sum()), dtype=np.int64)
    if len(out):
        firsts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=firsts[1:])
        nz = lengths > 0
        # each document restarts at its own start: a cumulative sum of jumps
        out[firsts[nz]] = view.starts[nz] - np.concatenate(([0], view.ends[nz][:-1] - 1))
        out[0] = view.starts[nz][0] if nz.any() else 0
        np.cumsum(out, out=out)
    return out


def term_ids(view: IndexView, lowercase: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per surface type: the id of the term it counts as, and the term strings."""
    idx = view.index
    if lowercase:
        return np.asarray(idx.lower, dtype=np.int64), idx.lower_vocab
    return np.arange(len(idx.vocab), dtype=np.int64), idx.vocab


def stream_terms(
    view: IndexView, lowercase: bool = True, layer: str = "word"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Term id of every token of a view (in ``token_stream`` order), the terms, and whether
    each token is a word (not punctuation).

    With ``layer="word"`` the terms are the surface types (lower-cased with
    :func:`~toolkit.tokenize.search_form` if ``lowercase``); with an annotation layer they
    are its values (lower-cased too for ``lemma`` and ``stem``, never for tags such as
    ``pos``).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War, war."]}))
    >>> t, terms, word = stream_terms(c.index())
    >>> terms[t].tolist(), word.tolist()
    (['war', ',', 'war', '.'], [True, False, True, False])
    """
    idx = view.index
    stream = view.token_stream()
    word = np.asarray(idx.is_word)[stream]
    if layer == "word":
        type_term, terms = term_ids(view, lowercase)
        return type_term[stream], terms, word
    ids, vocab = layer_values(view, layer)
    t = np.asarray(ids)[view_positions(view)].astype(np.int64)
    if lowercase and folds_case(layer):
        lookup: dict[str, int] = {}
        fold = np.fromiter(
            (lookup.setdefault(search_form(v), len(lookup)) for v in vocab.tolist()),
            dtype=np.int64,
            count=len(vocab),
        )
        return fold[t], np.array(list(lookup), dtype=object), word
    return t, np.asarray(vocab, dtype=object), word


def doc_word_counts(view: IndexView) -> np.ndarray:
    """Number of word tokens (punctuation excluded) in each document of a view."""
    return view.index.doc_word_counts()[view.docs]


def term_counts(
    corpus: Corpus, lowercase: bool = True, layer: str = "word"
) -> tuple[pd.Series, int]:
    """Word-term counts of a corpus and its number of word tokens.

    With an annotation ``layer`` the terms are that layer's values at word tokens.

    Examples
    --------
    >>> import toolkit as tk
    >>> counts, n = term_counts(tk.from_dataframe(pd.DataFrame({"text": ["War, war."]})))
    >>> counts.to_dict(), n
    ({'war': 2}, 2)
    """
    view = corpus.index()
    if layer != "word":
        t, terms, word = stream_terms(view, lowercase, layer)
        c = np.bincount(t[word], minlength=len(terms))
        nz = np.flatnonzero(c)
        index = pd.Index(np.asarray(terms[nz]).astype(str), name="term")
        return pd.Series(c[nz].astype(np.int64), index=index), int(word.sum())
    idx = view.index
    counts = view.type_counts()
    keep = idx.is_word
    if lowercase:
        terms = idx.lower_vocab
        c = np.bincount(idx.lower[keep], weights=counts[keep], minlength=len(terms))
    else:
        terms = idx.vocab
        c = np.where(keep, counts, 0)
    nz = np.flatnonzero(c)
    series = pd.Series(c[nz].astype(np.int64), index=pd.Index(terms[nz].astype(str), name="term"))
    return series, int(doc_word_counts(view).sum())


def group_codes(groups: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of each document, and the group values (one row per group, sorted)."""
    g = groups.groupby(cols, sort=True, dropna=False, observed=True)
    return g.ngroup().to_numpy(), g.size().reset_index()[cols]


def unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D array of non-negative integer ids, sorted, and their counts:
    ``np.unique(rows, axis=0, return_counts=True)``, computed on one int64 key per row
    (mixed radix, first column most significant, so the order is the same) when the keys
    fit, which is many times faster than sorting rows.

    Examples
    --------
    >>> u, c = unique_rows(np.array([[2, 1], [0, 5], [2, 1]]))
    >>> u.tolist(), c.tolist()
    ([[0, 5], [2, 1]], [1, 2])
    """
    rows = np.asarray(rows)
    if rows.ndim != 2:
        raise ParameterError("rows", None, f"rows must be a 2-D array, not {rows.ndim}-D")
    if len(rows) == 0:
        return rows.astype(np.int64).reshape(0, rows.shape[1]), np.zeros(0, dtype=np.int64)
    if rows.min() < 0:
        return np.unique(rows, axis=0, return_counts=True)
    radix = rows.max(axis=0).astype(np.int64) + 1
    if float(np.prod(radix.astype(float))) >= 2.0**62:
        return np.unique(rows, axis=0, return_counts=True)
    key = np.zeros(len(rows), dtype=np.int64)
    for j in range(rows.shape[1]):
        key = key * radix[j] + rows[:, j].astype(np.int64)
    keys, counts = np.unique(key, return_counts=True)
    out = np.empty((len(keys), rows.shape[1]), dtype=np.int64)
    for j in range(rows.shape[1] - 1, -1, -1):
        out[:, j] = keys % radix[j]
        keys = keys // radix[j]
    return out, counts
