"""Language names: every ``language=`` argument of the toolkit takes an ISO 639-1 code
(``"en"``) or the English name of the language (``"english"``), and both mean the same.

Each backend knows languages by one spelling only: the ``stop-words`` package and NLTK's
Snowball stemmers by name, simplemma and the annotators by code.  Before this module,
``tk.stopwords("en")`` gave the ``stop-words`` package's long English list (1,333 words)
while ``tk.stopwords("english")`` gave the project's list of function words: the same
language under two spellings gave two different lists.  :func:`language_code` and
:func:`language_name` turn either spelling into the one a backend needs; what a backend
does not know is refused by that backend, with its own list of valid values.
"""

from __future__ import annotations

__all__ = ["language_code", "language_name"]

#: ISO 639-1 code → English name (lower case), for every language that a stopword list, a
#: Snowball stemmer, simplemma's lemmatiser or an annotator of the toolkit knows by name.
NAMES: dict[str, str] = {
    "ar": "arabic",
    "bg": "bulgarian",
    "ca": "catalan",
    "cs": "czech",
    "cy": "welsh",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "gl": "galician",
    "gu": "gujarati",
    "he": "hebrew",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "is": "icelandic",
    "it": "italian",
    "ja": "japanese",
    "ka": "georgian",
    "ko": "korean",
    "la": "latin",
    "lt": "lithuanian",
    "lv": "latvian",
    "mk": "macedonian",
    "ms": "malaysian",
    "nb": "norwegian",
    "nl": "dutch",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sk": "slovak",
    "sl": "slovenian",
    "sq": "albanian",
    "sv": "swedish",
    "sw": "swahili",
    "tr": "turkish",
    "uk": "ukrainian",
    "vi": "vietnamese",
    "zh": "chinese",
}
#: Other codes of a language in :data:`NAMES` (Snowball's Norwegian is ``"no"``).
ALIASES: dict[str, str] = {"no": "nb"}
_CODES = {name: code for code, name in NAMES.items()}


def language_code(language: str) -> str:
    """The ISO 639-1 code of ``language``, given as a code or as an English name.

    Parameters
    ----------
    language : str
        ``"en"`` or ``"english"`` (any case); a value that is neither a known code nor a
        known name is returned unchanged, for the backend to accept or refuse.

    Returns
    -------
    str

    Examples
    --------
    >>> language_code("English"), language_code("fr"), language_code("no")
    ('en', 'fr', 'nb')
    """
    key = language.strip().lower() if isinstance(language, str) else language
    if key in NAMES:
        return key
    if key in ALIASES:
        return ALIASES[key]
    return _CODES.get(key, language)


def language_name(language: str) -> str:
    """The English name (lower case) of ``language``, given as a code or as a name.

    Parameters
    ----------
    language : str
        ``"en"`` or ``"english"`` (any case); a value that is neither is returned unchanged.

    Returns
    -------
    str

    Examples
    --------
    >>> language_name("en"), language_name("French")
    ('english', 'french')
    """
    code = language_code(language)
    return NAMES.get(code, language)
