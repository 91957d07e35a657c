"""Small helpers shared by the feed parsers: read files as text, normalize numbers and months."""

import os
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.settings import REPO_ROOT

ENCODINGS = ("utf-8-sig", "cp949")  # K-stat/KOSIS downloads are often CP949


def display_name(path: Path) -> str:
    """How errors and lineage name a file: relative to the repo when inside it."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a link is named as itself
    try:
        return absolute.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return absolute.as_posix()


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or parquet file with every column as text (no silent type guessing)."""
    if path.suffix == ".parquet":
        return duckdb.sql(f"SELECT * FROM read_parquet('{path.as_posix()}')").df().astype("string")
    for encoding in ENCODINGS:
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
    raise UnicodeDecodeError(ENCODINGS[-1], b"", 0, 1, f"{path.name} is neither UTF-8 nor CP949")


def source_rows(frame: pd.DataFrame) -> pd.Series:
    """Line numbers in the file (header = line 1) for each data row."""
    return pd.Series(range(2, len(frame) + 2), index=frame.index)


def to_number(text: pd.Series) -> pd.Series:
    """Text -> float; thousands separators allowed, anything else unparseable becomes NaN."""
    return pd.to_numeric(text.astype("string").str.replace(",", "", regex=False).str.strip(),
                         errors="coerce").astype("float64")


_MONTH = r"^\s*(\d{4})\s*[-.]\s*(\d{1,2})(?:-\d{2})?\s*$"


def to_month(text: pd.Series) -> pd.Series:
    """'2001.10', '2001. 10', '2001-10' or '2001-10-01' -> '2001-10'; anything else is kept as is
    (so the period rule reports it). Works on the distinct values only: a feed has few months."""
    codes, uniques = pd.factorize(text.astype("string"), use_na_sentinel=False)
    uniques = pd.Series(uniques, dtype="string")
    parts = uniques.str.extract(_MONTH)
    months = uniques.mask(parts[0].notna(), parts[0] + "-" + parts[1].str.zfill(2))
    return pd.Series(months.to_numpy()[codes], index=text.index, dtype="string")
