"""Helpers every parser shares: name and read files, normalize numbers, months and partner codes."""

import csv
import io
import os
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.feeds.reference import partner_kinds
from orchestration.feeds.spec import FeedError
from orchestration.settings import REPO_ROOT
from orchestration.sql import literal

ENCODINGS = ("utf-8-sig", "cp949")  # K-stat/KOSIS downloads are often CP949
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # a spreadsheet's "Unicode text" export
FAMILIES = {".csv": "CSV", ".parquet": "Parquet", ".xml": "XML", ".json": "JSON", ".xlsx": "XLSX (Excel)"}


def source_file(path: Path) -> str:
    """How errors, the ledger and the `source_file` column name a file: relative to the repo when inside it."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a link is named as itself
    try:
        return absolute.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return absolute.as_posix()


def family(path: Path) -> str:
    """The kind of file a suffix promises, as a rule names it ('CSV', 'Parquet', …)."""
    return FAMILIES.get(path.suffix.lower(), path.suffix.lower() or "a file without a suffix")


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or parquet file with every column as text (no silent type guessing). A CSV is UTF-8, CP949, or
    UTF-16 with its byte-order mark (anything else raises UnicodeError naming the encodings tried), and every row
    has the header's fields (a truncated or misaligned file is a FeedError naming its rows); blank lines are
    skipped."""
    if path.suffix == ".parquet":
        with duckdb.connect() as own:  # of its own: a broken file must not abort a shared connection
            return own.sql(f"SELECT * FROM read_parquet({literal(path)})").df().astype("string")
    rows = [row for row in csv.reader(io.StringIO(_text(path), newline="")) if row]
    if not rows:
        return pd.DataFrame()
    header, data = rows[0], rows[1:]
    misaligned = [n for n, row in enumerate(data, start=2) if len(row) != len(header)]
    if misaligned:
        raise FeedError(
            source_file(path),
            f"every row has the header's {len(header)} field{'' if len(header) == 1 else 's'}",
            f"{len(misaligned)} row(s) have another number of fields (a truncated or misaligned file)",
            misaligned,
        )
    return pd.DataFrame(data, columns=header, dtype="string")


def _text(path: Path) -> str:
    raw = path.read_bytes()
    encodings = ("utf-16",) if raw[:2] in UTF16_BOMS else ENCODINGS
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeError:
            continue
    raise UnicodeError(f"the bytes are neither {', '.join(encodings)} text")


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
