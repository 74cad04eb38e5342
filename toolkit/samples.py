"""The corpora bundled with the project in ``corpora/`` (see ``corpora/README.md``)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd

from ._validation import Renamed, validate_params
from .corpus import Corpus
from .errors import ParameterError
from .loaders import load_commentary, load_folder, read_table

__all__ = ["load", "load_sample", "list_samples", "corpora_dir"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _renamed(renamed: dict[str, Renamed]) -> Callable[[_F], _F]:
    """Old argument names accepted with a ``FutureWarning`` (``validate_params``), the
    function's own signature kept for type checkers."""
    return cast("Callable[[_F], _F]", validate_params({}, renamed=renamed))


_SAMPLES = {
    "un-debates-asia": "UN General Debate speeches of the USA, Russia/USSR, China, Japan, "
    "South Korea and North Korea, 1946-2024 (371 speeches; CC0)",
    "commentary": "A news-commentary document on Russia's warning against a US-South "
    "Korea-Japan alliance: summary, title and commentary",
}


#: Speeches that the source's speakers table has no row for (see corpora/README.md); their
#: ``country_name``, ``speaker`` and ``post`` are empty.
KNOWN_WITHOUT_SPEAKER = {"CHN_18_1963", "PRK_72_2017", "RUS_37_1982"}


def corpora_dir() -> Path:
    """Folder of the bundled corpora: ``$TOOLKIT_CORPORA`` or the project's ``corpora/``.

    Examples
    --------
    >>> sorted(p.name for p in corpora_dir().iterdir() if p.name in list_samples()["name"].tolist())
    ['commentary', 'un-debates-asia']
    """
    env = os.environ.get("TOOLKIT_CORPORA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "corpora"


def list_samples() -> pd.DataFrame:
    """The bundled corpora, with a description of each.

    Examples
    --------
    >>> import toolkit as tk
    >>> "un-debates-asia" in tk.list_samples()["name"].tolist()
    True
    """
    return pd.DataFrame({"name": list(_SAMPLES), "description": list(_SAMPLES.values())})


def load_sample(name: str = "un-debates-asia") -> Corpus:
    """Load a bundled corpus by name.

    ``"un-debates-asia"`` has the metadata ``country`` (ISO code), ``session``, ``year``
    (integers, from the file names, where sessions are written ``01`` to ``79``),
    ``file``, ``encoding``, and ``country_name``, ``speaker`` and ``post`` joined from the
    corpus's speakers table by country and session (where the table lists two speakers
    for one speech, both are kept, joined by ``"; "``).  The table has no row for three
    speeches (``KNOWN_WITHOUT_SPEAKER``); their joined columns are empty, as documented in
    ``corpora/README.md``.

    Parameters
    ----------
    name : str
        One of :func:`list_samples`.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample("un-debates-asia")
    >>> len(c), c.meta.loc["PRK_78_2023", "year"]
    (371, np.int64(2023))
    """
    root = corpora_dir()
    if name == "un-debates-asia":
        folder = root / "un-debates-asia"
        corpus = load_folder(
            folder / "texts", name_pattern="{country}_{session}_{year}.txt", name=name
        )
        # Sessions are written with two digits ("01"), so the loader keeps them as text (a
        # column becomes numbers only when every value is written as Python writes it); the
        # bundled corpus documents them as integers.
        corpus.meta["session"] = corpus.meta["session"].astype("int64")
        speakers = read_table(folder / "speakers.csv")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            corpus = corpus.join(
                speakers.drop(columns="year"), on=["country", "session"], duplicates="combine"
            )
        missing = set(corpus.meta.index[corpus.meta["country_name"].isna()])
        for w in caught:  # re-issue, unless it reports only the documented gaps
            if missing == KNOWN_WITHOUT_SPEAKER and "found no row" in str(w.message):
                continue
            warnings.warn(str(w.message), w.category, stacklevel=2)
        corpus.name = name
        return corpus
    if name == "commentary":
        return load_commentary(root / "commentary")
    raise ParameterError("name", name, f"no bundled corpus {name!r}", valid=list(_SAMPLES))


@_renamed({"corpus": Renamed("source"), "pattern": Renamed("name_pattern")})
def load(
    source: str | os.PathLike,
    name_pattern: str | None = None,
    text: str | None = None,
    id: str | None = None,
    sheet: str | int | list | None = None,
) -> Corpus:
    """Load a corpus by name or path: what the notebooks' ``corpus`` parameter accepts.

    Parameters
    ----------
    source : str or Path
        A bundled corpus name (:func:`list_samples`), a folder or archive of text files
        (read by :func:`toolkit.load_folder` with ``name_pattern``), or a table file
        (``.csv``, ``.tsv``, ``.jsonl``, ``.parquet``, ``.xlsx``; read by
        :func:`toolkit.load_table` with ``text``, ``id`` and ``sheet``).  An empty string
        is an error, not the current folder (write ``"."`` for that).  Formerly
        ``corpus=``, which works until toolkit 0.3 with a ``FutureWarning``.
    name_pattern : str, optional
        File-name pattern for a folder or archive (default: none); see
        :func:`toolkit.load_folder`.  Formerly ``pattern=``, which works until toolkit 0.3
        with a ``FutureWarning``.
    text : str, optional
        Text column of a table.  Default ``None``: chosen as :func:`toolkit.load_table`
        chooses it (the report's ``--text``, else a column named ``text``, else the column
        that clearly holds the texts).
    id : str, optional
        Id column of a table (default: the row number, or the report's ``--id``).
    sheet : str, int, list or "all", optional
        The sheet(s) of an Excel workbook (default: its only sheet); see
        :func:`toolkit.load_table`.

    Examples
    --------
    >>> import toolkit as tk
    >>> len(tk.load("un-debates-asia"))
    371

    A folder's file names become metadata with ``name_pattern``:

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "USA_2023.txt").write_text("We stand with Ukraine.", encoding="utf-8")
    >>> tk.load(d, name_pattern="{country}_{year}.txt").meta[["country", "year"]].values.tolist()
    [['USA', 2023]]
    """
    from .loaders import ARCHIVE_SUFFIXES, load_table

    if isinstance(source, str) and not source.strip():
        raise ParameterError(
            "source",
            source,
            f"source={source!r} is empty: give a bundled corpus name or a path (write '.' "
            "for the current folder)",
            valid=list(_SAMPLES),
        )
    if str(source) in _SAMPLES:
        return load_sample(str(source))
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(
            f"{source}: neither a bundled corpus ({', '.join(_SAMPLES)}) nor an existing path"
        )
    if path.is_dir() or path.name.lower().endswith(ARCHIVE_SUFFIXES):
        return load_folder(path, name_pattern=name_pattern)
    return load_table(path, text=text, id=id, sheet=sheet)
