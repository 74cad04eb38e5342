"""Stopword lists, bundled: nothing is downloaded.

* ``"english"`` (default): the project's own list of English function words (closed-class
  words only, ``toolkit/data/stopwords-english.txt``), so content words such as *world*,
  *new* or *people*, which carry discourse topics, are never removed.
* Any language of the ``stop-words`` package (``stopword_languages()``, 30+ languages,
  BSD licence), e.g. ``"french"``, ``"russian"``; ``"english-long"`` is that package's long
  English list (1,333 words, including content words such as *world*).
* ``"gensim"``: gensim's English list (337 words, from the Glasgow list).

A language may also be given by its ISO 639-1 code, as everywhere in the toolkit
(:mod:`toolkit.languages`): ``"en"`` is ``"english"``, the project's list, and ``"fr"`` is
``"french"``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ._docs import fill_doc
from .errors import ParameterError
from .languages import language_name

__all__ = ["stopwords", "stopword_languages"]


@cache
def _project_english() -> frozenset[str]:
    text = resources.files("toolkit").joinpath("data/stopwords-english.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def stopword_languages() -> list[str]:
    """Names accepted by :func:`stopwords`.

    Examples
    --------
    >>> import toolkit as tk
    >>> "french" in tk.stopword_languages()
    True
    """
    from stop_words import AVAILABLE_LANGUAGES

    return [
        "english",
        "english-long",
        "gensim",
        *[x for x in AVAILABLE_LANGUAGES if x != "english"],
    ]


@fill_doc
def stopwords(language: str = "english") -> frozenset[str]:
    """A bundled stopword list, lower-cased.

    Parameters
    ----------
    language : str
        {params.language}
        ``"en"`` and ``"english"`` are the project's list; :func:`stopword_languages`
        lists the names, among them the lists ``"english-long"`` and ``"gensim"`` (see the
        module documentation).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> import toolkit as tk
    >>> "the" in tk.stopwords(), "world" in tk.stopwords()
    (True, False)
    >>> "le" in tk.stopwords("french")
    True
    >>> tk.stopwords("en") == tk.stopwords("english")
    True
    """
    if not isinstance(language, str):
        raise ParameterError("language", language, valid=stopword_languages())
    language = language_name(language)
    if language == "english":
        return _project_english()
    if language == "gensim":
        from gensim.parsing.preprocessing import STOPWORDS

        return frozenset(STOPWORDS)
    from stop_words import StopWordError, get_stop_words

    name = "english" if language == "english-long" else language
    try:
        return frozenset(w.lower() for w in get_stop_words(name))
    except StopWordError:
        raise ParameterError("language", language, valid=stopword_languages()) from None
