"""The warehouse's documented firm-size feed form (raw/firm_size_exports), and the frame every firm-size
format parses to.

  firm_size_csv  one row per source × release × year × period × firm_size × destination × measure:
                 `source,vintage,year,period,firm_size,destination_code,measure,value,unit,
                  publisher,citation_url,note[,release_date]` (see data/sample/PROVENANCE.md); the `vintage`
                 column is the publisher's release label (preliminary / provisional / published / …), loaded
                 as `release`; the optional `release_date` (YYYY-MM-DD) is the day the figure was released.
"""

import re
from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import source_rows, to_number
from orchestration.feeds.spec import FileFormat

FILE_COLUMNS = [
    "source",
    "vintage",
    "year",
    "period",
    "firm_size",
    "destination_code",
    "measure",
    "value",
    "unit",
    "publisher",
    "citation_url",
    "note",
    "release_date",
]
OPTIONAL_COLUMNS = ("publisher", "citation_url", "note", "release_date")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_date(text: pd.Series) -> pd.Series:
    """'YYYY-MM-DD' -> a date (datetime64); anything else, an impossible day included, becomes NaT."""
    text = text.astype("string").str.strip()
    return pd.to_datetime(text.where(text.str.match(_DATE)), format="%Y-%m-%d", errors="coerce")


def finish(out: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """Add source_row and the parsed values (value, year, release date) to a frame of FILE_COLUMNS
    (`vintage` as `release`); the texts stay, so that a rule names what it could not parse."""
    out = out.assign(source_row=rows.to_numpy())
    out["value_number"] = to_number(out["value"])
    out["year_number"] = pd.to_numeric(out["year"], errors="coerce")
    out["release_date_value"] = to_date(out["release_date"])
    return out.reset_index(drop=True)


def parse_firm_size_csv(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    frame = data.reindex(columns=FILE_COLUMNS, fill_value="").rename(columns={"vintage": "release"})
    return finish(frame, source_rows(data))


FORMATS = (
    FileFormat(
        "firm_size_csv",
        parse_firm_size_csv,
        frozenset({"firm_size", "measure"}),
        required=tuple(c for c in FILE_COLUMNS if c not in OPTIONAL_COLUMNS),
    ),
)
