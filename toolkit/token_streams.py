"""Token streams: the tokens of a corpus, per document or per sentence, as a study needs them.

:func:`tokens` (also :meth:`toolkit.Corpus.tokens`) returns a :class:`TokenStream`: a
restartable, lazily evaluated iterable whose items are ``list[str]`` of plain Python
strings, one list per document (``unit="document"``) or per sentence (``unit="sentence"``).
gensim accepts it as it is (``Word2Vec(sentences=stream)``, ``Dictionary(stream)``), and
every option a preprocessing pipeline needs sits in one place, applied in this order:

0. **Compounds** (``compound``, quanteda's ``tokens_compound``): the matches of the given
   phrases (globs, case-insensitive, on ``layer``; or the rows of a
   :func:`toolkit.multiword_expressions` table) become one token, their values joined by
   ``_`` (``united_nations``); overlapping matches become one compound, as quanteda's
   ``join = TRUE``.  A compound stands at the position of its first token; the position
   filters (1) are not applied to it, the value filters (4) are.
1. **Positions**: punctuation (``punct``), numbers (``numbers``) and parts of speech
   (``pos``) select which token positions are used.
2. **Layer**: each kept position gives its value on ``layer`` (``"word"``, or an
   annotation layer such as ``"lemma"``, ``"stem"`` or ``"pos"``, see
   :meth:`toolkit.Corpus.annotate`), lower-cased unless ``case_sensitive`` (with
   :func:`toolkit.tokenize.search_form`: lower case, then Unicode NFC, as the index's
   case-insensitive lexicon).
3. **Pieces**: with ``split_hyphens=True`` a hyphenated compound gives its parts
   (``nuclear-weapon-free`` → ``nuclear``, ``weapon``, ``free``), as quanteda's
   ``split_hyphens = TRUE``.
4. **Filters on the value**: ``min_length`` counts letters, digits and marks only, so the
   clitics ``n't`` and ``'ll`` have length 2; ``stopwords`` are removed when either the
   value or the lower-cased word at that position is in the list, so a plain stopword list
   works with stems and lemmas, and so does a list of stems; ``min_count`` keeps values
   seen at least that often in the whole stream (after the other filters), as gensim's
   ``min_count`` and quanteda's ``dfm_trim(min_termfreq=)``.

Why hand-written: the options are applied once per distinct type and then mapped over the
integer-coded token stream of the index with numpy, so the full UN General Debate Corpus
(35 million tokens) streams as per-document lists in seconds; re-tokenising the texts
(NLTK, gensim's ``simple_preprocess``) costs minutes and loses the layers.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import regex
from tqdm.auto import tqdm

from ._docs import fill_doc
from ._progress import progress_options
from ._validation import Renamed, validate_params
from .corpus import Corpus, register_step
from .counts import WORD_LAYERS, folds_case, layer_values
from .errors import ParameterError
from .shards import is_sharded
from .stopwords import stopwords as bundled_stopwords
from .tokenize import search_form

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus
    from .index import IndexView

__all__ = ["TokenStream", "ShardedTokenStream", "tokens", "BY_UNITS", "WORD_LAYERS"]

BY_UNITS = ("document", "sentence")

_HYPHEN_SPLIT = regex.compile(r"(?<=[\p{L}\p{N}\p{M}])[-‐‑](?=[\p{L}\p{N}])")
_NUMBER = re.compile(r"^[+\-−]?(?:\d+(?:[.,:]\d+)*|\d*[.,]\d+)%?$")
_BLOCK = 1 << 20  # tokens per vectorised block


def _word_chars(value: str) -> int:
    """Letters, digits and combining marks in ``value`` (the unit of ``min_length``)."""
    return sum(1 for ch in value if ch.isalnum() or unicodedata.category(ch)[0] == "M")


def _is_number(value: str) -> bool:
    return _NUMBER.match(value) is not None


#: Bumped when the sentence splitting of token streams changes what it finds.
_SENTENCES_FORMAT = 1


def sentence_starts(
    corpus: Corpus, view: IndexView, progress: bool | None = None, model: Any = None
) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """Corpus position of the first token of every sentence, and ``(doc_id, k)`` labels.

    Sentences are those the corpus was loaded with (``corpus.structure("s")``, from CoNLL-U,
    VRT or :func:`toolkit.from_tokens`), otherwise those of :func:`toolkit.segment` (Punkt
    trained on the corpus, inside paragraphs), mapped to token positions through the index's
    character offsets and kept in the verified cache (``sentences/<key>``, keyed by the
    corpus's fingerprint and the index's key).  With ``model`` (a Punkt model trained on a
    whole sharded corpus, for one of its shards) that model splits the sentences, and its
    parameters enter the key.
    """
    if "s" in getattr(corpus, "structures", ()):
        # sentences given with the corpus (CoNLL-U, VRT, from_tokens): used as they are
        regions = corpus.structure("s")
        first_of = dict(zip(view.doc_ids, np.asarray(view.starts).tolist(), strict=True))
        starts = np.array(
            [
                first_of[d] + int(a)
                for d, a in zip(regions["doc_id"], regions["start"], strict=True)
            ],
            dtype=np.int64,
        )
        k = regions.groupby("doc_id", sort=False).cumcount().tolist()
        return starts, list(zip(regions["doc_id"].tolist(), k, strict=True))
    from .cache import cache_dir, content_key, load_or_build
    from .errors import CacheError
    from .segment import PUNKT_VERSION, sentence_model_key

    index = view.index
    doc_ids = list(view.doc_ids)
    if not index.key:  # an index that was not built for a corpus: nothing to key on
        return _split_sentences(corpus, view, progress, model)
    params = {
        "format": _SENTENCES_FORMAT,
        "corpus": corpus.fingerprint,  # the documents, their texts and their order
        "index": index.key,  # the positions (texts of the whole index, tokeniser)
        "punkt": PUNKT_VERSION,
    }
    if model is not None:
        params["model"] = sentence_model_key(model)
    key = content_key(params)

    def load(entry: Any) -> tuple[np.ndarray, np.ndarray]:
        starts = np.asarray(entry.array("starts", dtypes=("int64",), ndim=1))
        counts = np.asarray(entry.array("counts", dtypes=("int64",), ndim=1))
        if len(counts) != len(doc_ids) or int(counts.sum()) != len(starts):
            raise CacheError("sentence starts: counts do not fit the documents")
        lo = np.repeat(np.asarray(view.starts, dtype=np.int64), counts)
        hi = np.repeat(np.asarray(view.ends, dtype=np.int64), counts)
        if len(starts) and ((starts < lo).any() or (starts > hi).any()):
            raise CacheError("sentence starts: a start outside its document")
        return starts, counts

    def build() -> tuple[np.ndarray, np.ndarray]:
        starts, labels = _split_sentences(corpus, view, progress, model)
        per_doc = dict.fromkeys(doc_ids, 0)
        for doc_id, _ in labels:
            per_doc[doc_id] += 1
        return starts.astype(np.int64), np.array([per_doc[d] for d in doc_ids], dtype=np.int64)

    def save(writer: Any, value: tuple[np.ndarray, np.ndarray]) -> None:
        writer.array("starts", value[0])
        writer.array("counts", value[1])

    starts, counts = load_or_build(
        cache_dir() / "sentences" / key,
        kind="sentences",
        key=key,
        params=params,
        load=load,
        build=build,
        save=save,
        what="sentence starts",
    )
    labels = [(d, k) for d, n in zip(doc_ids, counts.tolist(), strict=True) for k in range(n)]
    return starts, labels


def _split_sentences(
    corpus: Corpus, view: IndexView, progress: bool | None, model: Any = None
) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """Sentence starts found with :class:`toolkit.segment.SentenceSplitter` (see
    :func:`sentence_starts`)."""
    from .segment import CHUNK_CHARS, SentenceSplitter, paragraph_spans, train_sentence_model

    if model is None:
        model = train_sentence_model(corpus)
    splitter = model if isinstance(model, SentenceSplitter) else SentenceSplitter(model)
    index = view.index
    out: list[np.ndarray] = []
    labels: list[tuple[str, int]] = []
    chunk: list[tuple[str, int, int, str]] = []

    def flush() -> None:
        # all documents gathered so far at once (SentenceSplitter.split_many, as segment())
        texts = [text for _, _, _, text in chunk]
        _, starts, _, counts = splitter.split_many(texts, [paragraph_spans(t) for t in texts])
        offsets = np.zeros(len(texts), dtype=np.int64)
        np.cumsum([len(t) for t in texts[:-1]], out=offsets[1:])
        local = starts - np.repeat(offsets, counts)
        bounds = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(counts, out=bounds[1:])
        for j, (doc_id, s, e, _) in enumerate(chunk):
            spans = local[bounds[j] : bounds[j + 1]]
            if len(spans):
                cs = np.asarray(index.char_start[s:e])
                out.append(s + np.searchsorted(cs, spans, side="left"))
                labels.extend((doc_id, k) for k in range(len(spans)))
        chunk.clear()

    bar = tqdm(
        zip(view.doc_ids, view.starts, view.ends, corpus.texts(), strict=True),
        total=len(view.doc_ids),
        desc="sentences",
        unit=" docs",
        **progress_options(progress),
    )
    size = 0
    for doc_id, s, e, text in bar:
        chunk.append((doc_id, int(s), int(e), text))
        size += len(text)
        if size >= CHUNK_CHARS:
            flush()
            size = 0
    if chunk:
        flush()
    bar.close()
    return (np.concatenate(out) if out else np.zeros(0, np.int64)), labels


@fill_doc
class TokenStream:
    """A restartable stream of token lists; create it with :func:`tokens`.

    Iterating yields one ``list[str]`` per unit (document or sentence), in corpus order,
    including empty lists for units whose tokens were all filtered out (so ``units``
    stays aligned; gensim skips empty lists).

    Made by :func:`toolkit.tokens`, which takes the same parameters; not usually
    constructed by hand (given a :class:`~toolkit.ShardedCorpus` it makes a
    :class:`ShardedTokenStream`).

    Parameters
    ----------
    corpus : Corpus
        {params.corpus}
    unit : {"document", "sentence"}
        One list per document (default) or per sentence (sentences as found by
        :func:`toolkit.segment`).  Formerly ``by``, which still works (deprecated, with a
        ``FutureWarning``).
    layer : str
        {params.layer}
    case_sensitive : bool
        {params.case_sensitive}
        Tags such as ``pos`` keep their case either way.  Formerly ``lowercase`` (the
        opposite), which still works (deprecated, with a ``FutureWarning``).
    punct : bool
        {params.punct}
    numbers : bool
        Keep numbers such as ``1990``, ``1,000`` and ``3.5%`` (default True).  Words with
        digits such as ``G7`` are not numbers.
    split_hyphens : bool
        Split hyphenated compounds into their parts (default False).
    min_length : int
        Minimum number of letters, digits and marks in a value (default 1).
    stopwords : collection of str, or str, optional
        Values to remove, or the name of a bundled list (``"english"`` is
        ``tk.stopwords("english")``; see :func:`toolkit.stopwords`); a position is also
        removed when its lower-cased word is in the list, so plain stopword lists work
        with every layer.  Unlike in counts, the words are gone from the stream.
    pos : str or list of str, optional
        Keep only tokens with these part-of-speech tags (needs the ``pos`` layer), e.g.
        ``["NOUN", "VERB", "ADJ"]``.
    min_count : int
        {params.min_count}
        Counted over the whole stream.
    progress : bool, optional
        Progress bar while iterating (default: the global option ``progress``).
    compound : str, list of str, phrase or DataFrame, optional
        Phrases whose matches become one token joined by ``_``: a list of phrases
        (``["united nations", "security council"]``), a :func:`toolkit.phrase`, or a table
        with a ``collocation`` column (see :func:`tokens`).

    Attributes
    ----------
    corpus : Corpus
    unit : str
    layer : str

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["The Non-Aligned states met.",
    ...                                                "Peace, 1990!"]}))
    >>> s = tk.tokens(c, split_hyphens=True, stopwords=["the"], numbers=False)
    >>> list(s)
    [['non', 'aligned', 'states', 'met'], ['peace']]
    >>> list(s) == list(s)   # restartable
    True
    """

    @validate_params(
        {},
        renamed={"by": Renamed("unit"), "lowercase": Renamed("case_sensitive", invert=True)},
    )
    def __init__(
        self,
        corpus: Corpus,
        *,
        unit: str = "document",
        layer: str = "word",
        case_sensitive: bool = False,
        punct: bool = False,
        numbers: bool = True,
        split_hyphens: bool = False,
        min_length: int = 1,
        stopwords: str | Iterable[str] | None = None,
        pos: str | Sequence[str] | None = None,
        min_count: int = 1,
        progress: bool | None = None,
        compound: Any = None,
    ) -> None:
        self._set_options(
            corpus,
            unit=unit,
            layer=layer,
            case_sensitive=case_sensitive,
            punct=punct,
            numbers=numbers,
            split_hyphens=split_hyphens,
            min_length=min_length,
            stopwords=stopwords,
            pos=pos,
            min_count=min_count,
            progress=progress,
            compound=compound,
        )
        self._view = corpus.index()
        # validate the layers now, before any work
        layer_values(self._view, layer)
        if self.pos is not None:
            layer_values(self._view, "pos")
        self._plan: dict[str, Any] | None = None
        self._sentences: tuple[np.ndarray, list[Any]] | None = None
        # a sentence model given by the stream of a sharded corpus (else trained on corpus)
        self._sentence_model: Any = None

    def __new__(cls, corpus: Any = None, *args: Any, **kwargs: Any) -> TokenStream:
        # the stream of a sharded corpus is made shard by shard (ShardedTokenStream)
        if cls is TokenStream and is_sharded(corpus):
            return super().__new__(ShardedTokenStream)
        return super().__new__(cls)

    def _set_options(
        self,
        corpus: Any,
        *,
        unit: str,
        layer: str,
        case_sensitive: bool,
        punct: bool,
        numbers: bool,
        split_hyphens: bool,
        min_length: int,
        stopwords: str | Iterable[str] | None,
        pos: str | Sequence[str] | None,
        min_count: int,
        progress: bool | None,
        compound: Any,
    ) -> None:
        """Check the options (no index needed) and keep them."""
        if unit not in BY_UNITS:
            raise ParameterError("unit", unit, valid=BY_UNITS)
        for name, value in (("min_length", min_length), ("min_count", min_count)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise ParameterError(name, value, f"{name} must be a non-negative integer")
        for name, value in (
            ("case_sensitive", case_sensitive),
            ("punct", punct),
            ("numbers", numbers),
            ("split_hyphens", split_hyphens),
        ):
            if not isinstance(value, bool):
                raise ParameterError(name, value, f"{name} must be True or False")
        self.corpus = corpus
        self.unit = unit
        self.layer = layer
        self.case_sensitive = case_sensitive
        self.punct = punct
        self.numbers = numbers
        self.split_hyphens = split_hyphens
        self.min_length = int(min_length)
        if isinstance(stopwords, str):  # a bundled list's name, as everywhere else
            from .stopwords import stopword_languages

            try:
                stopwords = bundled_stopwords(stopwords)
            except ParameterError:
                raise ParameterError(
                    "stopwords",
                    stopwords,
                    f"stopwords={stopwords!r} is not valid: stopwords must be a list of words "
                    "or the name of a bundled list (tk.stopword_languages())",
                    valid=list(stopword_languages()),
                ) from None
        self.stopwords = frozenset(stopwords or ())
        if isinstance(pos, str):
            pos = [pos]
        self.pos = None if pos is None else tuple(pos)
        self.min_count = int(min_count)
        self.progress = progress
        self._compound_arg = compound  # as given, for the streams of shards
        if compound is not None:
            from .multiword import compound_patterns

            compound = compound_patterns(compound)
        self.compound = compound

    # ------------------------------------------------------------------ the plan
    @property
    def view(self) -> IndexView:
        """The token index view of the corpus that the stream reads.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> s = tk.tokens(tk.from_dataframe(pd.DataFrame({"text": ["a b", "c"]})))
        >>> s.view.doc_ids
        ['0', '1']
        """
        return self._view

    def build_plan(self) -> dict[str, Any]:
        """The stream's per-type decisions, computed afresh: which token positions count and
        the output id each becomes.  A plan is what :meth:`blocks` reads; its key
        ``"out_vocab"`` holds the output terms, indexed by output id.

        Returns
        -------
        dict
            The plan (its keys are an implementation detail, but for ``"out_vocab"``).

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> s = tk.tokens(tk.from_dataframe(pd.DataFrame({"text": ["A a b"]})))
        >>> sorted(s.build_plan()["out_vocab"].tolist())
        ['a', 'b']
        """
        return self._build_plan()

    def blocks(self, plan: dict[str, Any] | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Output ids and their corpus positions, block by block, in corpus order.

        Parameters
        ----------
        plan : dict, optional
            A plan from :meth:`build_plan` (default: the stream's own, built once).

        Yields
        ------
        ids, positions : numpy.ndarray
            Output ids (indices into ``plan["out_vocab"]``) and the token positions in
            ``stream.view.index`` they come from.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> s = tk.tokens(tk.from_dataframe(pd.DataFrame({"text": ["A a b"]})))
        >>> plan = s.build_plan()
        >>> [(plan["out_vocab"][ids].tolist(), pos.tolist()) for ids, pos in s.blocks(plan)]
        [(['a', 'a', 'b'], [0, 1, 2])]
        """
        if plan is None:
            if self._plan is None:
                self._plan = self._build_plan()
            plan = self._plan
        return self._blocks(plan)

    def _build_plan(self) -> dict[str, Any]:
        """Per-type decisions, computed once: which positions count, and what they become."""
        view = self._view
        index = view.index
        src_ids, src_vocab = layer_values(view, self.layer)
        fold = not self.case_sensitive and folds_case(self.layer)
        values = [(search_form(v) if fold else v) for v in src_vocab.tolist()]
        # pieces of each source value
        out_lookup: dict[str, int] = {}
        n_pieces = np.zeros(len(values), dtype=np.int64)
        piece_ids: list[int] = []
        for i, v in enumerate(values):
            parts = _HYPHEN_SPLIT.split(v) if self.split_hyphens else [v]
            n_pieces[i] = len(parts)
            for p in parts:
                j = out_lookup.get(p)
                if j is None:
                    j = out_lookup[p] = len(out_lookup)
                piece_ids.append(j)
        spans = self._compounds(src_ids, values, out_lookup)
        out_vocab = np.array(list(out_lookup), dtype=object)
        piece_start = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(n_pieces, out=piece_start[1:])
        piece_ids_arr = np.asarray(piece_ids, dtype=np.int64)
        # value-level filters
        keep_out = np.ones(len(out_vocab), dtype=bool)
        stop = self.stopwords
        if stop and fold:
            stop = frozenset(search_form(w) for w in stop)
        for j, v in enumerate(out_vocab.tolist()):
            n_chars = _word_chars(v)
            if self.min_length and n_chars and n_chars < self.min_length:
                keep_out[j] = False
            elif v in stop:
                keep_out[j] = False
        # position-level filters, decided per word type
        word_ok = np.ones(len(index.vocab), dtype=bool)
        if not self.punct:
            word_ok &= np.asarray(index.is_word)
        if not self.numbers:
            word_ok &= ~np.fromiter(
                (_is_number(t) for t in index.vocab.tolist()), dtype=bool, count=len(index.vocab)
            )
        if stop and self.layer != "word":
            lowered = stop if fold else frozenset(search_form(w) for w in stop)
            word_ok &= ~np.fromiter(
                (t in lowered for t in index.lower_vocab.tolist()),
                dtype=bool,
                count=len(index.lower_vocab),
            )[np.asarray(index.lower)]
        pos_ok = None
        pos_ids = None
        if self.pos is not None:
            pos_ids, pos_vocab = layer_values(view, "pos")
            wanted = set(self.pos)
            unknown = sorted(wanted - set(pos_vocab.tolist()))
            if unknown and len(unknown) == len(wanted):
                raise ParameterError(
                    "pos", list(self.pos), "none of these tags occurs", valid=sorted(pos_vocab)
                )
            pos_ok = np.fromiter(
                (t in wanted for t in pos_vocab.tolist()), dtype=bool, count=len(pos_vocab)
            )
        plan = {
            "src_ids": src_ids,
            "word_ok": word_ok,
            "pos_ids": pos_ids,
            "pos_ok": pos_ok,
            "n_pieces": n_pieces,
            "piece_start": piece_start,
            "piece_ids": piece_ids_arr,
            "out_vocab": out_vocab,
            "keep_out": keep_out,
            "compounds": spans,
        }
        if self.min_count > 1:
            counts = np.zeros(len(out_vocab), dtype=np.int64)
            for block in self._blocks(plan):
                out_ids = block[0]
                counts += np.bincount(out_ids, minlength=len(out_vocab))
            plan["keep_out"] = keep_out & (counts >= self.min_count)
        return plan

    def _compounds(
        self, src_ids: np.ndarray, values: list[str], out_lookup: dict[str, int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Start and end positions of the compounds and their output ids (added to
        ``out_lookup``), or ``None`` without ``compound``."""
        if not self.compound:
            return None
        from .multiword import compound_spans

        starts, ends = compound_spans(self._view, self.compound, self.layer)
        ids = np.zeros(len(starts), dtype=np.int64)
        for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            joined = "_".join(values[i] for i in src_ids[a:b].tolist())
            ids[k] = out_lookup.setdefault(joined, len(out_lookup))
        return starts, ends, ids

    def _units(self) -> tuple[np.ndarray, list[Any]]:
        """Global start position of each unit (sorted) and the unit labels."""
        view = self._view
        if self.unit == "document":
            return np.asarray(view.starts, dtype=np.int64), list(view.doc_ids)
        if self._sentences is None:
            self._sentences = sentence_starts(
                self.corpus, view, progress=self.progress, model=self._sentence_model
            )
        return self._sentences

    def _blocks(self, plan: dict[str, Any]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Output ids and their corpus positions, block by block, in corpus order."""
        view = self._view
        src_ids = plan["src_ids"]
        tokens = view.index.tokens
        starts = np.asarray(view.starts, dtype=np.int64)
        ends = np.asarray(view.ends, dtype=np.int64)
        keep_out = plan["keep_out"]
        i = 0
        n = len(starts)
        while i < n:
            # documents in this block: at least one, up to about _BLOCK tokens
            j = i + 1
            total = ends[i] - starts[i]
            while j < n and total + (ends[j] - starts[j]) <= _BLOCK:
                total += ends[j] - starts[j]
                j += 1
            if view.full or (j - i == 1) or bool(np.all(starts[i + 1 : j] == ends[i : j - 1])):
                pos = np.arange(starts[i], ends[j - 1], dtype=np.int64)
            else:
                pos = np.concatenate(
                    [
                        np.arange(s, e, dtype=np.int64)
                        for s, e in zip(starts[i:j], ends[i:j], strict=True)
                    ]
                )
            ok = plan["word_ok"][tokens[pos]]
            if plan["pos_ok"] is not None:
                ok &= plan["pos_ok"][plan["pos_ids"][pos]]
            head = None
            if plan["compounds"] is not None:
                c_starts, c_ends, c_ids = plan["compounds"]
                k = np.searchsorted(c_starts, pos, side="right") - 1
                inside = (k >= 0) & (pos < c_ends[np.maximum(k, 0)])
                first = inside & (pos == c_starts[np.maximum(k, 0)])
                ok = (ok & ~inside) | first  # a compound replaces its tokens
                head = np.where(first, k, -1)[ok]
            pos = pos[ok]
            src = src_ids[pos]
            cnt = plan["n_pieces"][src]
            if head is not None:
                cnt = np.where(head >= 0, 1, cnt)
            if self.split_hyphens:
                local = np.zeros(len(cnt) + 1, dtype=np.int64)
                np.cumsum(cnt, out=local[1:])
                idx = np.repeat(plan["piece_start"][src] - local[:-1], cnt)
                idx += np.arange(int(local[-1]), dtype=np.int64)
                out = plan["piece_ids"][idx]
                out_pos = np.repeat(pos, cnt)
                if head is not None:
                    out[local[:-1][head >= 0]] = c_ids[head[head >= 0]]
            else:
                out = plan["piece_ids"][plan["piece_start"][src]]
                out_pos = pos
                if head is not None:
                    out = np.where(head >= 0, c_ids[np.maximum(head, 0)], out)
            keep = keep_out[out]
            yield out[keep], out_pos[keep]
            i = j

    # ------------------------------------------------------------------ iteration
    def __iter__(self) -> Iterator[list[str]]:
        if self._plan is None:
            self._plan = self._build_plan()
        plan = self._plan
        unit_starts, _ = self._units()
        out_vocab = plan["out_vocab"]
        bar = tqdm(
            total=len(unit_starts),
            desc="tokens",
            unit=f" {self.unit}s",
            **progress_options(self.progress),
        )
        emitted = 0  # units yielded so far
        shown = 0  # units counted on the progress bar
        pending: list[str] = []  # tokens of unit number `emitted`, not yet yielded
        for out, pos in self._blocks(plan):
            if len(out) == 0:
                continue
            strings = out_vocab[out].tolist()
            # unit number of each output token; units are contiguous and in corpus order
            unit = np.searchsorted(unit_starts, pos, side="right") - 1
            cuts = np.flatnonzero(np.diff(unit)) + 1
            bounds = [0, *cuts.tolist(), len(strings)]
            units = unit[bounds[:-1]].tolist()
            for k, u in enumerate(units):
                if u == emitted:  # the unit continues from the block before
                    pending += strings[bounds[k] : bounds[k + 1]]
                    continue
                yield pending
                emitted += 1
                while emitted < u:  # units whose tokens were all filtered out
                    yield []
                    emitted += 1
                pending = strings[bounds[k] : bounds[k + 1]]
            bar.update(emitted - shown)
            shown = emitted
        while emitted < len(unit_starts):
            yield pending
            pending = []
            emitted += 1
        bar.update(emitted - shown)
        bar.close()

    def __len__(self) -> int:
        return len(self._units()[0])

    @property
    def units(self) -> list[Any]:
        """Label of each unit: ``doc_id``, or ``(doc_id, sentence number)`` per sentence."""
        return self._units()[1]

    def __repr__(self) -> str:
        opts = [f"unit={self.unit!r}", f"layer={self.layer!r}"]
        if self.split_hyphens:
            opts.append("split_hyphens=True")
        if self.stopwords:
            opts.append(f"stopwords=<{len(self.stopwords)} words>")
        if self.pos:
            opts.append(f"pos={list(self.pos)}")
        if self.min_count > 1:
            opts.append(f"min_count={self.min_count}")
        if self.compound:
            opts.append(f"compound=<{len(self.compound)} phrases>")
        return f"<TokenStream of {self.corpus.name!r}: {', '.join(opts)}>"

    def to_corpus(self, name: str | None = None) -> Corpus:
        """The stream's tokens as a new corpus, with the documents' ids and metadata: the
        step after quanteda's ``tokens_compound``, so that compounds, lemmas or filtered
        tokens feed every later analysis (``frequencies``, ``kwic``, ``keyness``,
        ``collocates`` …).

        The new corpus holds the values the stream yields, one for one, as given tokens
        (:func:`toolkit.from_tokens`): lower-cased unless ``case_sensitive``, compounds
        joined by ``_``, filtered tokens gone (so its contexts are the stream's, not the
        original text).  A sentence stream gives documents made of sentences (the
        structure ``"s"``).  A document whose tokens were all filtered out stays, empty.

        Parameters
        ----------
        name : str, optional
            The new corpus's name (default: the original corpus's).

        Returns
        -------
        Corpus

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({
        ...     "text": ["The United Nations met.", "United Nations, again.", "Nothing."],
        ...     "year": [1990, 1991, 1991]}))
        >>> compounded = tk.tokens(c, compound=["united nations"]).to_corpus()
        >>> compounded.meta["year"].tolist()
        [1990, 1991, 1991]
        >>> tk.frequencies(compounded, by="year").query("term == 'united_nations'")[
        ...     ["year", "term", "count"]].values.tolist()
        [[1990, 'united_nations', 1], [1991, 'united_nations', 1]]
        """
        from .loaders import from_tokens

        meta = self.corpus.meta
        doc_ids = [str(d) for d in meta.index]
        if self.unit == "document":
            documents: list[Any] = list(self)
        else:
            per_doc: dict[str, list[list[str]]] = {d: [] for d in doc_ids}
            for (doc_id, _), sentence in zip(self.units, self, strict=True):
                if sentence:
                    per_doc[str(doc_id)].append(sentence)
            documents = [per_doc[d] for d in doc_ids]
        return from_tokens(
            documents,
            meta=meta.reset_index(drop=True),
            ids=doc_ids,
            name=name or self.corpus.name,
        )

    # ------------------------------------------------------------------ tables
    def vocabulary(self) -> pd.DataFrame:
        """Frequency of every value the stream yields, most frequent first.

        Returns
        -------
        pandas.DataFrame
            Columns ``term`` and ``count``.

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a b a", "b a"]}))
        >>> tk.tokens(c).vocabulary().values.tolist()
        [['a', 3], ['b', 2]]
        """
        if self._plan is None:
            self._plan = self._build_plan()
        plan = self._plan
        counts = np.zeros(len(plan["out_vocab"]), dtype=np.int64)
        for out, _ in self._blocks(plan):
            counts += np.bincount(out, minlength=len(counts))
        nz = np.flatnonzero(counts)
        df = pd.DataFrame({"term": plan["out_vocab"][nz], "count": counts[nz]})
        return df.sort_values(["count", "term"], ascending=[False, True], ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        """One row per token the stream yields: a long table for pandas.

        Returns
        -------
        pandas.DataFrame
            ``doc_id``, ``sentence`` (when ``unit="sentence"``), ``position`` (token
            position within the document, punctuation counted), ``word`` (the text as
            written), one column per annotation layer of the index, and ``token`` (the
            value the stream yields).

        Examples
        --------
        >>> import pandas as pd
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Hello, World"]}))
        >>> tk.tokens(c).to_frame().values.tolist()
        [['0', 0, 'Hello', 'hello'], ['0', 2, 'World', 'world']]
        """
        if self._plan is None:
            self._plan = self._build_plan()
        plan = self._plan
        view = self._view
        index = view.index
        outs, poss = [], []
        for out, pos in self._blocks(plan):
            outs.append(out)
            poss.append(pos)
        out = np.concatenate(outs) if outs else np.zeros(0, np.int64)
        pos = np.concatenate(poss) if poss else np.zeros(0, np.int64)
        doc = index.doc_of(pos)
        frame: dict[str, Any] = {"doc_id": np.asarray(view.doc_ids, dtype=object)[view.local[doc]]}
        if self.unit == "sentence":
            unit_starts, labels = self._units()
            unit = np.searchsorted(unit_starts, pos, side="right") - 1
            frame["sentence"] = np.array([lab[1] for lab in labels], dtype=np.int64)[unit]
        frame["position"] = pos - index.doc_offsets[doc]
        frame["word"] = index.vocab[index.tokens[pos]]
        for name in getattr(index, "layers", ()) or ():
            ids, vocab = layer_values(view, name)
            frame[name] = np.asarray(vocab, dtype=object)[ids[pos]]
        frame["token"] = plan["out_vocab"][out]
        return pd.DataFrame(frame)


#: Plans of the latest shard streams in this process, so that iterating a sharded stream
#: again (the counting pass of ``min_count``, an epoch of a gensim model) does not decide
#: every type of each shard again.
_SHARD_PLANS: OrderedDict[tuple[str, str, int], tuple[frozenset[str], dict[str, Any]]] = (
    OrderedDict()
)
_MAX_SHARD_PLANS = 8


def _cached_plan(key: tuple[str, str, int], drop: frozenset[str]) -> dict[str, Any] | None:
    hit = _SHARD_PLANS.get(key)
    if hit is None or hit[0] != drop:
        return None
    _SHARD_PLANS.move_to_end(key)
    return hit[1]


def _keep_plan(key: tuple[str, str, int], drop: frozenset[str], plan: dict[str, Any]) -> None:
    _SHARD_PLANS[key] = (drop, plan)
    while len(_SHARD_PLANS) > _MAX_SHARD_PLANS:
        _SHARD_PLANS.popitem(last=False)


def _shard_stream(shard: Corpus, options: dict[str, Any], drop: frozenset[str]) -> TokenStream:
    """The stream of one shard with the options of a :class:`ShardedTokenStream`, leaving
    out the values in ``drop`` (those below the store-wide ``min_count``).  The shard's plan
    is reused from the last time it was streamed with the same options."""
    options = dict(options)
    model = options.pop("sentence_model", None)
    stream = TokenStream(shard, **options)
    stream._sentence_model = model
    base_key = (shard.fingerprint, repr(sorted(options.items())), hash(frozenset()))
    key = (*base_key[:2], hash(drop))
    plan = _cached_plan(key, drop)
    if plan is None:
        plan = _cached_plan(base_key, frozenset())
        if plan is None:
            plan = stream._build_plan()
            _keep_plan(base_key, frozenset(), plan)
        if drop:
            plan = dict(plan)
            rare = pd.Index(plan["out_vocab"]).isin(list(drop))
            plan["keep_out"] = plan["keep_out"] & ~rare
            _keep_plan(key, drop, plan)
    stream._plan = plan
    return stream


def _check_layers_part(shard: Corpus, layer: str, pos: Any) -> bool:
    """Task: check ``layer`` (and the ``pos`` layer) on a shard's index, as the single
    index does when a stream is made."""
    view = shard.index()
    layer_values(view, layer)
    if pos is not None:
        layer_values(view, "pos")
    return True


def _lists_part(shard: Corpus, options: dict[str, Any], drop: frozenset[str]) -> list[list[str]]:
    """Task: the token lists of a shard's documents."""
    return list(_shard_stream(shard, options, drop))


def _has_sentences_part(shard: Corpus) -> bool:
    """Task: whether a shard's sentences were given with it (a structure ``s``)."""
    return "s" in shard.structures


def given_sentences(store: Any) -> bool:
    """Whether every shard of a sharded corpus has its sentences given (CoNLL-U, VRT with
    ``<s>``); otherwise one sentence model is trained for the store."""
    return bool(store.pretokenized) and all(store.iter_map(_has_sentences_part, progress=False))


def _units_part(shard: Corpus, options: dict[str, Any], drop: frozenset[str]) -> list[Any]:
    """Task: the unit labels of a shard's stream (documents or sentences)."""
    return _shard_stream(shard, options, drop).units


def _vocabulary_part(
    shard: Corpus, options: dict[str, Any], drop: frozenset[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Task: the values a shard's stream yields and their counts."""
    vocab = _shard_stream(shard, options, drop).vocabulary()
    return vocab["term"].to_numpy(dtype=object), vocab["count"].to_numpy(dtype=np.int64)


def _frame_part(shard: Corpus, options: dict[str, Any], drop: frozenset[str]) -> pd.DataFrame:
    """Task: :meth:`TokenStream.to_frame` of a shard."""
    return _shard_stream(shard, options, drop).to_frame()


def _sum_vocabularies(parts: list[tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """Per-shard vocabularies added up by value, sorted as :meth:`TokenStream.vocabulary`."""
    if parts:
        terms = np.concatenate([t for t, _ in parts])
        counts = np.concatenate([c for _, c in parts])
    else:
        terms, counts = np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(terms)
    total = np.rint(np.bincount(codes, weights=counts, minlength=len(uniques))).astype(np.int64)
    df = pd.DataFrame({"term": np.asarray(uniques, dtype=object), "count": total})
    return df.sort_values(["count", "term"], ascending=[False, True], ignore_index=True)


@fill_doc
class ShardedTokenStream(TokenStream):
    """The token stream of a :class:`~toolkit.ShardedCorpus`: the streams of its shards
    one after another (corpus order); made by :func:`tokens`.

    Iterating runs one task per shard (where :func:`toolkit.set_scheduler` says) that
    returns the token lists of that shard's selected documents; they are yielded before the
    next shard's are asked for, so the process holds the lists of one shard at a time (a
    few shards ahead on a Dask cluster), never the whole store.  With ``min_count`` the
    counts of the whole stream are summed over the shards first (one more pass), then the
    rarer values are left out of every shard's stream.  With ``unit="sentence"`` the
    sentences are those given with the store (CoNLL-U, VRT), or else found by one Punkt
    model trained, as on one corpus, on documents at even steps through the selected
    documents (:func:`toolkit.segment.sample_texts`) and used on every shard, so the
    sentences are those of one corpus of the same documents.

    Made by :func:`toolkit.tokens` given a sharded corpus, with the same parameters; not
    usually constructed by hand.

    Parameters
    ----------
    corpus : ShardedCorpus
        {params.corpus}
        Here a :class:`~toolkit.ShardedCorpus` or a selection of one.
    unit : {"document", "sentence"}
        One list per document (default) or per sentence (sentences given with the store,
        or found by one model trained for all of it).  Formerly ``by``, which still works
        (deprecated, with a ``FutureWarning``).
    layer : str
        {params.layer}
    case_sensitive : bool
        {params.case_sensitive}
        Tags such as ``pos`` keep their case either way.  Formerly ``lowercase`` (the
        opposite), which still works (deprecated, with a ``FutureWarning``).
    punct : bool
        {params.punct}
    numbers : bool
        Keep numbers such as ``1990``, ``1,000`` and ``3.5%`` (default True).  Words with
        digits such as ``G7`` are not numbers.
    split_hyphens : bool
        Split hyphenated compounds into their parts (default False).
    min_length : int
        Minimum number of letters, digits and marks in a value (default 1).
    stopwords : collection of str, or str, optional
        Values to remove, or the name of a bundled list (``"english"`` is
        ``tk.stopwords("english")``; see :func:`toolkit.stopwords`); a position is also
        removed when its lower-cased word is in the list, so plain stopword lists work
        with every layer.  Unlike in counts, the words are gone from the stream.
    pos : str or list of str, optional
        Keep only tokens with these part-of-speech tags (needs the ``pos`` layer), e.g.
        ``["NOUN", "VERB", "ADJ"]``.
    min_count : int
        {params.min_count}
        Counted over the whole stream, summed over the shards.
    progress : bool, optional
        Progress bar while iterating (default: the global option ``progress``).
    compound : str, list of str, phrase or DataFrame, optional
        Phrases whose matches become one token joined by ``_``: a list of phrases
        (``["united nations", "security council"]``), a :func:`toolkit.phrase`, or a table
        with a ``collocation`` column (see :func:`tokens`).

    Examples
    --------
    >>> import pandas as pd
    >>> import tempfile
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["War, war.", "Peace talk."],
    ...                                     "side": ["a", "b"]}))
    >>> store = tk.build_shards(c, tempfile.mkdtemp(), by="side", progress=False)
    >>> s = tk.tokens(store)
    >>> list(s), s.units
    ([['war', 'war'], ['peace', 'talk']], ['0', '1'])
    """

    @validate_params(
        {},
        renamed={"by": Renamed("unit"), "lowercase": Renamed("case_sensitive", invert=True)},
    )
    def __init__(
        self,
        corpus: Any,
        *,
        unit: str = "document",
        layer: str = "word",
        case_sensitive: bool = False,
        punct: bool = False,
        numbers: bool = True,
        split_hyphens: bool = False,
        min_length: int = 1,
        stopwords: str | Iterable[str] | None = None,
        pos: str | Sequence[str] | None = None,
        min_count: int = 1,
        progress: bool | None = None,
        compound: Any = None,
    ) -> None:
        self._set_options(
            corpus,
            unit=unit,
            layer=layer,
            case_sensitive=case_sensitive,
            punct=punct,
            numbers=numbers,
            split_hyphens=split_hyphens,
            min_length=min_length,
            stopwords=stopwords,
            pos=pos,
            min_count=min_count,
            progress=progress,
            compound=compound,
        )
        self._options = {
            "unit": unit,
            "layer": layer,
            "case_sensitive": case_sensitive,
            "punct": punct,
            "numbers": numbers,
            "split_hyphens": split_hyphens,
            "min_length": int(min_length),
            "stopwords": sorted(self.stopwords),
            "pos": None if self.pos is None else list(self.pos),
            "min_count": 1,
            "progress": False,
            "compound": self._compound_arg,
        }
        # the layers, checked now on the first shard, as on one index
        next(iter(corpus.iter_map(_check_layers_part, layer, self.pos)), None)
        self._dropped: frozenset[str] | None = None
        self._unit_labels: list[Any] | None = None
        if unit == "sentence" and not given_sentences(corpus):
            # no sentences given: one model for every shard, as for one corpus
            from .segment import store_sentence_model

            self._options["sentence_model"] = store_sentence_model(corpus)

    def _store_drop(self) -> frozenset[str]:
        """The values the stream leaves out for ``min_count``: those seen less often in
        the whole stream (counted shard by shard, then summed)."""
        if self._dropped is None:
            if self.min_count > 1:
                vocab = _sum_vocabularies(
                    self.corpus.map(
                        _vocabulary_part, self._options, frozenset(), desc="token counts"
                    )
                )
                rare = vocab.loc[vocab["count"] < self.min_count, "term"]
                self._dropped = frozenset(rare.tolist())
            else:
                self._dropped = frozenset()
        return self._dropped

    def __iter__(self) -> Iterator[list[str]]:
        drop = self._store_drop()
        parts = self.corpus.iter_map(_lists_part, self._options, drop, progress=self.progress)
        for lists in parts:
            yield from lists

    def __len__(self) -> int:
        return len(self.units) if self.unit == "sentence" else len(self.corpus)

    @property
    def units(self) -> list[Any]:
        """Label of each unit in corpus order: ``doc_id``, or ``(doc_id, sentence number)``
        per sentence (found shard by shard)."""
        if self.unit == "document":
            return list(self.corpus.doc_ids)
        if self._unit_labels is None:
            parts = self.corpus.map(
                _units_part, self._options, frozenset(), desc="sentences", progress=self.progress
            )
            self._unit_labels = [label for part in parts for label in part]
        return self._unit_labels

    def vocabulary(self) -> pd.DataFrame:
        """Frequency of every value the stream yields, most frequent first: counted on each
        shard and summed (see :meth:`TokenStream.vocabulary`).

        Returns
        -------
        pandas.DataFrame
            Columns ``term`` and ``count``.

        Examples
        --------
        >>> import pandas as pd
        >>> import tempfile
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["a b a", "b a"], "k": [1, 2]}))
        >>> store = tk.build_shards(c, tempfile.mkdtemp(), by="k", progress=False)
        >>> tk.tokens(store).vocabulary().values.tolist()
        [['a', 3], ['b', 2]]
        """
        parts = self.corpus.map(_vocabulary_part, self._options, self._store_drop())
        return _sum_vocabularies(parts)

    def to_frame(self) -> pd.DataFrame:
        """One row per token the stream yields (see :meth:`TokenStream.to_frame`): the
        shards' tables one after another.

        Returns
        -------
        pandas.DataFrame
            ``doc_id``, ``position``, ``word``, one column per annotation layer, ``token``.

        Examples
        --------
        >>> import pandas as pd
        >>> import tempfile
        >>> import toolkit as tk
        >>> c = tk.from_dataframe(pd.DataFrame({"text": ["Hello, World"]}))
        >>> store = tk.build_shards(c, tempfile.mkdtemp(), progress=False)
        >>> tk.tokens(store).to_frame().values.tolist()
        [['0', 0, 'Hello', 'hello'], ['0', 2, 'World', 'world']]
        """
        parts = self.corpus.map(_frame_part, self._options, self._store_drop())
        if not parts:  # no documents selected
            return pd.DataFrame(columns=["doc_id", "position", "word", "token"])
        return pd.concat(parts, ignore_index=True)


def _constructor_signature(cls: type) -> inspect.Signature:
    """The signature of ``cls.__init__`` without ``self``: ``TokenStream.__new__`` (which
    picks the sharded class) takes ``*args, **kwargs``, and would otherwise be shown as the
    constructor's signature by ``help()`` and :func:`inspect.signature`."""
    sig = inspect.signature(cls.__init__)  # type: ignore[misc]
    return sig.replace(parameters=list(sig.parameters.values())[1:])


for _cls in (TokenStream, ShardedTokenStream):
    _cls.__signature__ = _constructor_signature(_cls)  # type: ignore[attr-defined]
del _cls


@validate_params(
    {},
    renamed={"by": Renamed("unit"), "lowercase": Renamed("case_sensitive", invert=True)},
)
def tokens(
    corpus: Corpus,
    *,
    unit: str = "document",
    layer: str = "word",
    case_sensitive: bool = False,
    punct: bool = False,
    numbers: bool = True,
    split_hyphens: bool = False,
    min_length: int = 1,
    stopwords: str | Iterable[str] | None = None,
    pos: str | Sequence[str] | None = None,
    min_count: int = 1,
    progress: bool | None = None,
    compound: Any = None,
) -> TokenStream:
    """The tokens of a corpus as a restartable stream of ``list[str]``, per document or sentence.

    Parameters
    ----------
    corpus : Corpus or ShardedCorpus
        A :class:`~toolkit.ShardedCorpus` gives a :class:`ShardedTokenStream`: the
        streams of its shards one after another, made one shard at a time, so that a
        gensim model trains on a store larger than memory (sentences: those given with
        the store, or found by one model trained for all of it).
    unit : {"document", "sentence"}
        One list per document (default) or per sentence (sentences as found by
        :func:`toolkit.segment`).  Formerly ``by``, which still works (deprecated, with a
        ``FutureWarning``; ``by`` names a grouping column everywhere else).
    layer : str
        ``"word"`` (default), or an annotation layer added with ``corpus.annotate``
        (``"lemma"``, ``"stem"``, ``"pos"``).
    case_sensitive : bool
        Keep the case of the values (default False: the word, lemma and stem layers are
        lower-cased); tags such as ``pos`` keep their case either way (see
        :func:`folds_case`).  Formerly ``lowercase`` (the opposite), which still works
        (deprecated, with a ``FutureWarning``).
    punct : bool
        Keep punctuation tokens (default False).
    numbers : bool
        Keep numbers such as ``1990``, ``1,000`` and ``3.5%`` (default True; quanteda's
        ``remove_numbers``). Words with digits such as ``G7`` are not numbers.
    split_hyphens : bool
        Split hyphenated compounds into their parts (default False).
    min_length : int
        Minimum number of letters, digits and marks in a value (default 1).
    stopwords : collection of str, or str, optional
        Values to remove, or the name of a bundled list (``"english"`` is
        ``tk.stopwords("english")``; see :func:`toolkit.stopwords`); a position is also
        removed when its lower-cased word is in the list, so plain stopword lists work
        with every layer.  Unlike in counts, the words are gone from the stream.
    pos : str or list of str, optional
        Keep only tokens with these part-of-speech tags (needs the ``pos`` layer), e.g.
        ``["NOUN", "VERB", "ADJ"]``.
    min_count : int
        Keep only values that occur at least this often in the whole stream.
    progress : bool, optional
        Progress bar while iterating (default: the global option).
    compound : str, list of str, phrase or DataFrame, optional
        Phrases whose matches become one token joined by ``_`` (quanteda's
        ``tokens_compound``): ``["united nations", "security council"]``, a
        :func:`toolkit.phrase`, or a table with a ``collocation`` column such as
        ``tk.multiword_expressions(corpus).head(100)``.  Matched as globs,
        case-insensitively, on ``layer``; see the module notes for the order of options.

    Returns
    -------
    TokenStream

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> c = tk.from_dataframe(pd.DataFrame({"text": ["We won't wait.", "We'll see."]}))
    >>> list(tk.tokens(c))
    [['we', 'wo', "n't", 'wait'], ['we', "'ll", 'see']]
    >>> list(tk.tokens(c, min_length=3))
    [['wait'], ['see']]
    >>> u = tk.from_dataframe(pd.DataFrame({"text": ["The United Nations met the UN."]}))
    >>> list(tk.tokens(u, compound=["united nations"]))
    [['the', 'united_nations', 'met', 'the', 'un']]
    """
    return TokenStream(
        corpus,
        unit=unit,
        layer=layer,
        case_sensitive=case_sensitive,
        punct=punct,
        numbers=numbers,
        split_hyphens=split_hyphens,
        min_length=min_length,
        stopwords=stopwords,
        pos=pos,
        min_count=min_count,
        progress=progress,
        compound=compound,
    )


register_step("tokens", tokens)
