"""toolkit: discourse analysis for researchers, from corpus to concordance, statistics and topics.

The public API, in the order data flows: loaders → :class:`Corpus` → token index →
analyses (DataFrames) → plots.
"""

from .corpus import Corpus, Document
from .frequency import dispersion, frequencies, ngrams
from .index import TokenIndex
from .kwic import Concordance, kwic
from .loaders import from_dataframe, from_nltk, load_commentary, load_folder, load_table
from .samples import list_samples, load_sample
from .segment import segment
from .stopwords import stopword_languages, stopwords
from .tokenize import tokenize

__all__ = [
    "Corpus",
    "Document",
    "TokenIndex",
    "load_folder",
    "load_table",
    "from_dataframe",
    "from_nltk",
    "load_commentary",
    "load_sample",
    "list_samples",
    "segment",
    "tokenize",
    "stopwords",
    "stopword_languages",
    "kwic",
    "Concordance",
    "frequencies",
    "ngrams",
    "dispersion",
]
__version__ = "0.1.0"
