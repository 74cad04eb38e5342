"""Shared parameter documentation: the same argument reads the same in every docstring.

The descriptions of the arguments that many functions take (``corpus``, ``pattern``,
``match``, ``case_sensitive``, ``window``, ``by``, ``layer``, ``punct``, ``stopwords``,
``min_count``, ``seed``, ``k``, ``language``) are written once, here, in :data:`params`.
A docstring writes the parameter's own line (name and type, which may differ between functions) and,
on the next line, the placeholder ``{params.NAME}``; :func:`fill_doc` replaces it, at
import, with the shared text indented as the placeholder is.  Lines after the placeholder
add what is particular to the function.  (seaborn composes its docstrings the same way,
with ``seaborn._docstrings.DocstringComponents``.)  Only whole-line placeholders are
replaced, so the other braces of a docstring (dictionaries, CQP repetitions) need no
escaping.

``tests/test_validation.py`` checks that every public function documents each of these
parameters it takes with the shared text.

Examples
--------
>>> @fill_doc
... def f(corpus, case_sensitive=False):
...     '''Do something.
...
...     Parameters
...     ----------
...     corpus : Corpus
...         {params.corpus}
...     case_sensitive : bool
...         {params.case_sensitive}
...     '''
>>> "Peace" in f.__doc__ and "{params" not in f.__doc__
True
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["DocstringComponents", "params", "fill_doc", "SHARED_PARAMETERS"]

F = TypeVar("F", bound=Callable[..., Any])


class DocstringComponents:
    """Named texts, read as attributes (``params.corpus``)."""

    def __init__(self, components: Mapping[str, str]) -> None:
        self._components = {k: textwrap.dedent(v).strip() for k, v in components.items()}

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["_components"][name]
        except KeyError:
            raise AttributeError(f"no shared documentation for {name!r}") from None

    def __iter__(self):
        return iter(self._components)

    def __contains__(self, name: object) -> bool:
        return name in self._components

    def items(self):
        return self._components.items()


params = DocstringComponents(
    {
        "corpus": """
            The corpus to analyse: a :class:`toolkit.Corpus`, or part of one
            (``corpus.query(...)``, ``corpus.select(...)``, ``corpus.segment(...)``).
        """,
        "pattern": """
            What to search for: a token pattern (``"threat*"``), a phrase (token patterns
            separated by white space, ``"nuclear weapon*"``), or a list of them as
            alternatives, read as ``match`` says (see :mod:`toolkit.patterns`).
        """,
        "match": """
            How patterns are read: ``"glob"`` (``*`` any characters, ``?`` exactly one;
            the whole token must match), ``"regex"`` (a regular expression searched within
            each token: anchor it with ``^…$``), ``"fixed"`` (the token exactly) or ``"cqp"``
            (a CQP token query such as ``'[lemma="threat"] "to"'``; see :mod:`toolkit.query`).
        """,
        "case_sensitive": """
            Whether upper and lower case are told apart.  ``False`` (default): forms are
            compared and counted in lower case, so ``Peace`` and ``peace`` are one term and
            the pattern ``peace`` finds both; ``True``: forms as written.
        """,
        "window": """
            Size of the context in tokens on each side of the match, from 0 to the option
            ``max_window`` (default 1,000; see ``tk.set_options``).
        """,
        "by": """
            Metadata column(s) whose values make the groups of documents (``"country"``,
            ``["country", "decade"]``); each column's values must be of one type.
        """,
        "layer": """
            The annotation layer to read: ``"word"`` (default, the tokens as written) or a
            layer added by ``Corpus.annotate`` or an annotated loader (``"lemma"``,
            ``"stem"``, ``"pos"``).
        """,
        "punct": """
            Whether punctuation tokens (tokens without a letter or digit) count.  ``False``
            (default) leaves them out, as every frequency and rate of the toolkit does;
            they stay in the index and in concordance contexts.
        """,
        "stopwords": """
            Words to leave out of the result: a list of strings, or the name of a bundled
            list (``"english"`` is ``tk.stopwords("english")``; see
            :func:`toolkit.stopwords`); they still count in every total and rate.
        """,
        "min_count": """
            The smallest count an item needs to be kept in the result.
        """,
        "seed": """
            Seed of the random number generator: the same seed gives the same result.
        """,
        "k": """
            The number of topics.
        """,
        "language": """
            The language: its ISO 639-1 code (``"en"``) or its English name
            (``"english"``, any case), which mean the same (see :mod:`toolkit.languages`).
        """,
    }
)

#: Parameter names with a shared description.
SHARED_PARAMETERS = tuple(params)

_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)\{params\.(?P<name>\w+)\}[ \t]*$", re.MULTILINE)


def _fill(doc: str) -> str:
    def sub(m: re.Match[str]) -> str:
        text = getattr(params, m.group("name"))
        return textwrap.indent(text, m.group("indent"))

    return _PLACEHOLDER.sub(sub, doc)


def fill_doc(obj: F) -> F:
    """Replace the ``{params.NAME}`` lines of ``obj``'s docstring by the shared texts."""
    if obj.__doc__:
        obj.__doc__ = _fill(obj.__doc__)
    return obj


def parameter_descriptions(doc: str) -> dict[str, str]:
    """The description of each parameter in the numpydoc ``Parameters`` section of a
    (dedented) docstring, white space collapsed.

    Examples
    --------
    >>> parameter_descriptions("Parameters\\n----------\\nn : int\\n    How\\n    many.\\n")
    {'n': 'How many.'}
    """
    m = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-{3,}\n|\Z)", doc, re.S | re.M)
    if not m:
        return {}
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in m.group(1).splitlines():
        if line and not line[0].isspace():
            names = line.split(" : ")[0]
            current = []
            for name in names.split(","):
                out[name.strip().lstrip("*")] = current
        elif current is not None and line.strip():
            current.append(line.strip())
    return {k: " ".join(" ".join(v).split()) for k, v in out.items()}
