"""The warehouse's documented firm-size feed form (raw/firm_size_exports), and the frame every firm-size
format parses to.

  firm_size_csv  one row per source × release × year × period × firm_size × destination × measure:
                 `source,vintage,year,period,firm_size,destination_code,measure,value,unit,
                  publisher,citation_url,note` (see data/sample/PROVENANCE.md); the `vintage` column is the
                 publisher's release label (preliminary / provisional / published), loaded as `release`.
"""

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
]


def finish(out: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """Add source_row and the parsed numbers (value, year) to a frame of FILE_COLUMNS (`vintage` as `release`)."""
    out = out.assign(source_row=rows.to_numpy())
    out["value_number"] = to_number(out["value"])
    out["year_number"] = pd.to_numeric(out["year"], errors="coerce")
    return out.reset_index(drop=True)


def parse_firm_size_csv(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    frame = data.reindex(columns=FILE_COLUMNS, fill_value="").rename(columns={"vintage": "release"})
    return finish(frame, source_rows(data))


FORMATS = (
    FileFormat(
        "firm_size_csv",
        parse_firm_size_csv,
        frozenset({"firm_size", "measure"}),
        required=tuple(c for c in FILE_COLUMNS if c not in ("publisher", "citation_url", "note")),
    ),
)
