"""toolkit: discourse analysis for researchers, from corpus to concordance, statistics and topics.

The public API, in the order data flows: loaders → :class:`Corpus` → token index →
analyses (DataFrames) → plots.
"""

from ._plotnames import PLOT_FUNCTIONS
from .clean import Cleaner, clean_text, cleaning_record, original_spans
from .collocations import collocates, collocations, trigram_collocations
from .corpus import Corpus, Document
from .dictionary import dictionary_counts, vader_dictionary
from .embeddings import (
    Embeddings,
    PeriodEmbeddings,
    align,
    embedding_scores,
    fit_embeddings,
    fit_period_embeddings,
    load_embeddings,
    pole_lists,
    word_polarity,
)
from .engine import get_scheduler, set_scheduler
from .errors import (
    ArchiveError,
    BinaryFileError,
    CacheError,
    CacheWarning,
    ColumnError,
    EmptyResultError,
    LimitError,
    LoadError,
    ModelError,
    NotFoundError,
    OutOfRangeError,
    ParameterError,
    ParameterTypeError,
    PatternError,
    ReportError,
    SkippedFilesWarning,
    ToolkitError,
    ToolkitWarning,
)
from .explore import Explorer, explore
from .frequency import dispersion, document_stats, frequencies, ngrams
from .index import TokenIndex
from .keyness import keyness
from .kwic import Concordance, ShardedConcordance, kwic
from .layers import annotate
from .loaders import (
    from_dataframe,
    from_nltk,
    from_tokens,
    load_commentary,
    load_conllu,
    load_folder,
    load_table,
    load_vrt,
)
from .metadata import (
    ColumnRoles,
    infer_columns,
    is_sample,
    parse_time,
    period_labels,
    time_periods,
    top_groups,
)
from .multiword import multiword_expressions
from .options import get_option, set_options
from .patterns import phrase
from .publish import note, round_table, show_figure, show_table
from .samples import list_samples, load, load_sample
from .segment import segment
from .shards import ShardedCorpus, build_shards, open_shards
from .stopwords import stopword_languages, stopwords
from .token_streams import ShardedTokenStream, TokenStream, tokens
from .tokenize import tokenize
from .topics import TopicModel, TopicSettings, fit_topics, prepare_topics, sweep_topics

__all__ = [
    "Corpus",
    "ShardedCorpus",
    "ShardedConcordance",
    "ShardedTokenStream",
    "build_shards",
    "open_shards",
    "set_scheduler",
    "get_scheduler",
    "Document",
    "TokenIndex",
    "load_folder",
    "load_table",
    "from_dataframe",
    "from_nltk",
    "load_commentary",
    "from_tokens",
    "load_conllu",
    "load_vrt",
    "load",
    "load_sample",
    "list_samples",
    "Cleaner",
    "clean_text",
    "cleaning_record",
    "original_spans",
    "segment",
    "tokenize",
    "tokens",
    "TokenStream",
    "annotate",
    "stopwords",
    "stopword_languages",
    "kwic",
    "Concordance",
    "explore",
    "Explorer",
    "frequencies",
    "document_stats",
    "ngrams",
    "multiword_expressions",
    "phrase",
    "dispersion",
    "keyness",
    "collocates",
    "collocations",
    "trigram_collocations",
    "dictionary_counts",
    "vader_dictionary",
    *PLOT_FUNCTIONS,
    "TopicModel",
    "TopicSettings",
    "prepare_topics",
    "fit_topics",
    "sweep_topics",
    "Embeddings",
    "PeriodEmbeddings",
    "fit_embeddings",
    "fit_period_embeddings",
    "load_embeddings",
    "pole_lists",
    "align",
    "embedding_scores",
    "word_polarity",
    "ColumnRoles",
    "infer_columns",
    "parse_time",
    "period_labels",
    "time_periods",
    "top_groups",
    "is_sample",
    "show_table",
    "show_figure",
    "note",
    "round_table",
    "set_options",
    "get_option",
    "ToolkitError",
    "LoadError",
    "BinaryFileError",
    "ArchiveError",
    "ParameterError",
    "ParameterTypeError",
    "ColumnError",
    "NotFoundError",
    "OutOfRangeError",
    "PatternError",
    "LimitError",
    "CacheError",
    "EmptyResultError",
    "ModelError",
    "ReportError",
    "ToolkitWarning",
    "SkippedFilesWarning",
    "CacheWarning",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    # matplotlib and seaborn are imported on first use of a plot function, so that
    # scripts that only compute do not pay for them.
    if name in PLOT_FUNCTIONS:
        from . import plots

        return getattr(plots, name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(PLOT_FUNCTIONS))
