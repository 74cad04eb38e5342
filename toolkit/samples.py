"""The corpora bundled with the project in ``corpora/`` (see ``corpora/README.md``)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from .corpus import Corpus
from .errors import ParameterError
from .loaders import load_commentary, load_folder, read_table

__all__ = ["load", "load_sample", "list_samples", "corpora_dir"]

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
    """Folder of the bundled corpora: ``$TOOLKIT_CORPORA`` or the project's ``corpora/``."""
    env = os.environ.get("TOOLKIT_CORPORA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "corpora"


def list_samples() -> pd.DataFrame:
    """The bundled corpora, with a description of each.

    Examples
    --------
    >>> "un-debates-asia" in list_samples()["name"].tolist()
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
    >>> c = load_sample("un-debates-asia")
    >>> len(c), c.meta.loc["PRK_78_2023", "year"]
    (371, np.int64(2023))
    """
    root = corpora_dir()
    if name == "un-debates-asia":
        folder = root / "un-debates-asia"
        corpus = load_folder(folder / "texts", pattern="{country}_{session}_{year}.txt", name=name)
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


def load(
    corpus: str | os.PathLike,
    pattern: str | None = None,
    text: str = "text",
    id: str | None = None,
    sheet: str | int | list | None = None,
) -> Corpus:
    """Load a corpus by name or path: what the notebooks' ``corpus`` parameter accepts.

    Parameters
    ----------
    corpus : str or Path
        A bundled corpus name (:func:`list_samples`), a folder or archive of text files
        (read by :func:`toolkit.load_folder` with ``pattern``), or a table file (``.csv``,
        ``.tsv``, ``.jsonl``, ``.parquet``, ``.xlsx``; read by :func:`toolkit.load_table`
        with ``text``, ``id`` and ``sheet``).  An empty string is an error, not the current
        folder (write ``"."`` for that).
    pattern : str, optional
        File-name pattern for a folder or archive (default: none).
    text, id : str
        Text and id columns of a table (defaults ``"text"`` and the row number).
    sheet : str, int, list or "all", optional
        The sheet(s) of an Excel workbook (default: its only sheet); see
        :func:`toolkit.load_table`.

    Examples
    --------
    >>> len(load("un-debates-asia"))
    371
    """
    from .loaders import ARCHIVE_SUFFIXES, load_table

    if isinstance(corpus, str) and not corpus.strip():
        raise ParameterError(
            "corpus",
            corpus,
            f"corpus={corpus!r} is empty: give a bundled corpus name or a path (write '.' "
            "for the current folder)",
            valid=list(_SAMPLES),
        )
    if str(corpus) in _SAMPLES:
        return load_sample(str(corpus))
    path = Path(corpus)
    if not path.exists():
        raise FileNotFoundError(
            f"{corpus}: neither a bundled corpus ({', '.join(_SAMPLES)}) nor an existing path"
        )
    if path.is_dir() or path.name.lower().endswith(ARCHIVE_SUFFIXES):
        return load_folder(path, pattern=pattern)
    return load_table(path, text=text, id=id, sheet=sheet)
