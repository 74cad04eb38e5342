"""Cut the bundled `un-debates-asia` sample from the full UN General Debate Corpus.

Usage: python corpora/scripts/make_un_debates_asia.py ARCHIVE SPEAKERS_XLSX

Copies, byte for byte, every speech by USA, RUS, CHN, JPN, KOR and PRK into
corpora/un-debates-asia/texts/, and writes corpora/un-debates-asia/speakers.csv with the
rows of the speakers table for those countries (columns renamed, nothing else changed).
"""

import sys
import tarfile
from pathlib import Path, PurePosixPath

import pandas as pd

COUNTRIES = ("USA", "RUS", "CHN", "JPN", "KOR", "PRK")


def main(archive: str, speakers: str) -> None:
    out = Path(__file__).resolve().parents[1] / "un-debates-asia"
    texts = out / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    n = 0
    with tarfile.open(archive, "r:*") as tf:
        for m in tf:
            name = PurePosixPath(m.name).name
            if m.isfile() and name.endswith(".txt") and name.split("_")[0] in COUNTRIES:
                (texts / name).write_bytes(tf.extractfile(m).read())
                n += 1
    table = pd.read_excel(speakers)
    table = table[table["ISO Code"].isin(COUNTRIES)]
    table = table[["Year", "Session", "ISO Code", "Country", "Name of Person Speaking", "Post"]]
    table.columns = ["year", "session", "country", "country_name", "speaker", "post"]
    table.to_csv(out / "speakers.csv", index=False)
    print(f"{n} speeches, {len(table)} speaker rows")


if __name__ == "__main__":
    main(*sys.argv[1:3])
