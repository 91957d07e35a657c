"""Helpers every parser shares: name and read files, normalize numbers, months and partner codes."""

import os
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.feeds.reference import partner_kinds
from orchestration.settings import REPO_ROOT
from orchestration.sql import literal

ENCODINGS = ("utf-8-sig", "cp949")  # K-stat/KOSIS downloads are often CP949


def source_file(path: Path) -> str:
    """How errors, the ledger and the `source_file` column name a file: relative to the repo when inside it."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a link is named as itself
    try:
        return absolute.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return absolute.as_posix()


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or parquet file with every column as text (no silent type guessing)."""
    if path.suffix == ".parquet":
        return duckdb.sql(f"SELECT * FROM read_parquet({literal(path)})").df().astype("string")
    for encoding in ENCODINGS:
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
    raise UnicodeDecodeError(ENCODINGS[-1], b"", 0, 1, f"{path.name} is neither UTF-8 nor CP949")


def markup(head: bytes) -> str | None:
    """'html' or 'xml' if a body starts like markup (after a BOM and blanks), else None (e.g. CSV, JSON)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if not start.startswith(b"<"):
        return None
    return "html" if start.startswith(b"<!doctype html") or b"<html" in start else "xml"


def source_rows(frame: pd.DataFrame) -> pd.Series:
    """Line numbers in the file (header = line 1) for each data row."""
    return pd.Series(range(2, len(frame) + 2), index=frame.index)


def to_number(text: pd.Series) -> pd.Series:
    """Text -> float; thousands separators allowed, anything else unparseable becomes NaN."""
    return pd.to_numeric(text.astype("string").str.replace(",", "", regex=False).str.strip(), errors="coerce").astype(
        "float64"
    )


_MONTH = r"^\s*(\d{4})\s*[-.]\s*(\d{1,2})(?:-\d{2})?\s*$"


def to_month(text: pd.Series) -> pd.Series:
    """'2001.10', '2001. 10', '2001-10' or '2001-10-01' -> '2001-10'; anything else is kept as is
    (so the period rule reports it). Works on the distinct values only: a feed has few months."""
    codes, uniques = pd.factorize(text.astype("string"), use_na_sentinel=False)
    uniques = pd.Series(uniques, dtype="string")
    parts = uniques.str.extract(_MONTH)
    months = uniques.mask(parts[0].notna(), parts[0] + "-" + parts[1].str.zfill(2))
    return pd.Series(months.to_numpy()[codes], index=text.index, dtype="string")


def with_kinds_and_value(frame: pd.DataFrame, codes=("partner",), scale: float = 1.0) -> pd.DataFrame:
    """Add `<x>_kind` for each `<x>_code` column in `codes` (country/group/world, NA when unknown, which the
    known-partner rule reports) and `value_usd` = the number in `value_text` × `scale`."""
    for code in codes:
        frame[f"{code}_kind"] = frame[f"{code}_code"].map(partner_kinds()).astype("string")
    frame["value_usd"] = to_number(frame["value_text"]) * scale
    return frame
