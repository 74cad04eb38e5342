"""Compiled kernels of :class:`toolkit.annotators.HanTaAnnotator` for whole corpora.

The ``lookahead`` decoder and the C5 → UPOS rules of :mod:`toolkit.annotators` are written
there in plain Python, one sentence at a time; they are the reference.  Annotating a corpus
of tens of millions of tokens that way takes about ten minutes of CPU, nearly all of it in
the interpreter's loop over tokens, which neither numpy nor any tagging package does for
HanTa's model.  The same loops are compiled here with numba, over integer-coded tokens,
and give the same tags token for token (the tests compare them on the bundled corpus).
"""

from __future__ import annotations

import numpy as np
from numba import njit

NEG_LARGE = -1e6  # the Python decoder's "no continuation" score


@njit(cache=True, nogil=True)
def decode_lookahead(
    keys: np.ndarray,
    sent_bounds: np.ndarray,
    cand_ptr: np.ndarray,
    cand_tag: np.ndarray,
    cand_lp: np.ndarray,
    trans: np.ndarray,
    row_ptr: np.ndarray,
    row_tags: np.ndarray,
    empty: int,
    start: int,
    end: int,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled; tested through HanTaAnnotator
    """Tag each sentence ``keys[sent_bounds[s]:sent_bounds[s + 1]]``.

    ``keys`` are word-type ids; candidates of type ``v`` are
    ``cand_*[cand_ptr[2v + f] : cand_ptr[2v + f + 1]]`` with ``f`` 0 for a sentence's first
    token and 1 after it.  ``trans[p2, p1, t]`` is log P(t | p2, p1) or NaN; ``row_tags``
    lists the tags of ``trans[p2, p1]`` in the model's order (``row_ptr`` by ``p2 * n + p1``).
    """
    n = trans.shape[0]
    for s in range(len(sent_bounds) - 1):
        a = sent_bounds[s]
        b = sent_bounds[s + 1]
        p2 = empty
        p1 = start
        for i in range(a, b):
            k = 2 * keys[i] + (1 if i > a else 0)
            c0 = cand_ptr[k]
            c1 = cand_ptr[k + 1]
            own = c1 > c0
            if not own:
                r = p2 * n + p1
                c0 = row_ptr[r]
                c1 = row_ptr[r + 1]
            has_next = i + 1 < b
            n0 = 0
            n1 = 0
            if has_next:
                kn = 2 * keys[i + 1] + 1
                n0 = cand_ptr[kn]
                n1 = cand_ptr[kn + 1]
            best = -1
            best_lp = -np.inf
            for j in range(c0, c1):
                if own:
                    tag = cand_tag[j]
                    lp_w = cand_lp[j]
                else:
                    tag = row_tags[j]
                    lp_w = 0.0
                lp_tc = trans[p2, p1, tag]
                if np.isnan(lp_tc) or tag == end:
                    continue
                if not has_next:
                    rest = trans[p1, tag, end]
                    if np.isnan(rest):
                        rest = NEG_LARGE
                else:
                    found = False
                    rest = NEG_LARGE
                    if n1 > n0:
                        for q in range(n0, n1):
                            c = cand_tag[q]
                            if c == end:
                                continue
                            f = trans[p1, tag, c]
                            if np.isnan(f):
                                continue
                            v = f + cand_lp[q]
                            if not found or v > rest:
                                rest = v
                                found = True
                    else:
                        for c in range(n):
                            if c == end:
                                continue
                            f = trans[p1, tag, c]
                            if np.isnan(f):
                                continue
                            v = f + 0.0
                            if not found or v > rest:
                                rest = v
                                found = True
                lp = lp_tc + lp_w + rest
                if lp > best_lp:
                    best = tag
                    best_lp = lp
            if best == -1:  # no transition fits: the word's likeliest tag, first of ties
                top = -np.inf
                for j in range(c0, c1):
                    lp_w = cand_lp[j] if own else 0.0
                    if best == -1 or lp_w > top:
                        top = lp_w
                        best = cand_tag[j] if own else row_tags[j]
            out[i] = best
            p2 = p1
            p1 = best


# Codes of the per-tag table given to :func:`upos_codes` (one row per C5 tag id).
GROUP_NONE, GROUP_VV, GROUP_VB, GROUP_VH, GROUP_VD = 0, 1, 2, 3, 4
# flag bits of a tag
F_PARTICIPLE = 1  # V..N
F_BASE = 2  # V.B or V.I
F_TO0 = 4
F_DTQ = 8
F_DT0 = 16
F_AV0 = 32
F_NN_AJ = 64  # NN.. or AJ..
F_NN_AJ_CR_OR = 128
F_V = 256  # first letter V
# flag bits of a word type
W_THERE = 1
W_DEMONSTRATIVE = 2  # this, that, these, those
W_UPPER = 4  # first character upper case
W_PUNCT = 8  # no letter or digit


@njit(cache=True, nogil=True)
def upos_codes(
    keys: np.ndarray,
    tags: np.ndarray,
    sent_bounds: np.ndarray,
    base: np.ndarray,
    group: np.ndarray,
    tag_flags: np.ndarray,
    word_flags: np.ndarray,
    proper_nouns: bool,
    u_verb: int,
    u_aux: int,
    u_x: int,
    u_det: int,
    u_adp: int,
    u_pron: int,
    u_noun: int,
    u_propn: int,
    u_punct: int,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled; tested through HanTaAnnotator
    """:func:`toolkit.annotators.c5_to_upos` over every sentence, as codes into ``UPOS``."""
    for s in range(len(sent_bounds) - 1):
        a = sent_bounds[s]
        b = sent_bounds[s + 1]
        for i in range(a, b):
            tag = tags[i]
            wf = word_flags[keys[i]]
            nxt = tags[i + 1] if i + 1 < b else -1
            nf = tag_flags[nxt] if nxt >= 0 else 0
            tf = tag_flags[tag]
            u = base[tag]
            if u < 0:
                g = group[tag]
                if g == GROUP_VV:
                    u = u_verb
                elif g == GROUP_VB:
                    u = u_verb if i > a and word_flags[keys[i - 1]] & W_THERE else u_aux
                elif g == GROUP_VH:
                    participle = False
                    for j in range(i + 1, min(i + 4, b)):
                        if tag_flags[tags[j]] & F_PARTICIPLE:
                            participle = True
                    u = u_aux if participle and not (nf & F_TO0) else u_verb
                elif g == GROUP_VD:
                    base_form = False
                    for j in range(i + 1, min(i + 3, b)):
                        if tag_flags[tags[j]] & F_BASE:
                            base_form = True
                    u = u_aux if base_form else u_verb
                else:
                    u = u_x
            elif tf & F_DTQ and nf & F_NN_AJ:
                u = u_det
            elif tf & F_TO0 and nxt >= 0 and not (nf & F_V) and not (nf & F_AV0):
                u = u_adp
            elif tf & F_DT0 and wf & W_DEMONSTRATIVE:
                if not (nf & F_NN_AJ_CR_OR):
                    u = u_pron
            if proper_nouns and u == u_noun and i > a and wf & W_UPPER:
                u = u_propn
            if wf & W_PUNCT:
                u = u_punct
            out[i] = u
