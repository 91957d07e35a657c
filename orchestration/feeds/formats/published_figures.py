"""Published figures (raw/published_figures): figures as a publisher released them, in the warehouse's
documented form (data/sample/PROVENANCE.md, "published_figures/"), one row per figure:

  published_figures_csv  `dataset,year,period,flow,partner_code,subject,breakdown,metric,value,unit,qualifier,
                         conflict,basis,publisher,release,release_date,citation_url,note`

`year` is a year or a range (`2017-2020`), kept as text; `value` is empty for a statement; `conflict` is
`true` on rows another report of the same release contradicts (both are kept and reported, never resolved);
`release_date` (YYYY-MM-DD) may be empty where the release names no date.
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import source_rows, with_kinds_and_value
from orchestration.feeds.spec import FileFormat

FILE_COLUMNS = [
    "dataset",
    "year",
    "period",
    "flow",
    "partner_code",
    "subject",
    "breakdown",
    "metric",
    "value",
    "unit",
    "qualifier",
    "conflict",
    "basis",
    "publisher",
    "release",
    "release_date",
    "citation_url",
    "note",
]
OPTIONAL = ("breakdown", "qualifier", "conflict", "basis", "note")


def parse_published_figures(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    """The file's columns as text, plus what the suite checks: `value_number`, `partner_kind`, `conflict_flag`
    (NA unless `true` or empty) and the row checks `value_readable`, `value_has_unit`, `release_date_valid`."""
    frame = data.reindex(columns=FILE_COLUMNS, fill_value="").astype("string").rename(columns={"value": "value_text"})
    frame = with_kinds_and_value(frame.assign(source_row=source_rows(data).to_numpy()))
    frame = frame.rename(columns={"value_usd": "value_number"})  # percent, barrels or USD: see `unit`
    given = frame["value_text"].str.strip() != ""
    frame["value_readable"] = ~given | frame["value_number"].notna()
    frame["value_has_unit"] = ~given | (frame["unit"].str.strip() != "")
    dates = pd.to_datetime(frame["release_date"], format="%Y-%m-%d", errors="coerce")
    frame["release_date_valid"] = (frame["release_date"].str.strip() == "") | dates.notna()
    frame["conflict_flag"] = frame["conflict"].str.strip().str.lower().map({"true": True, "": False})
    return frame.reset_index(drop=True)


FORMATS = (
    FileFormat(
        "published_figures_csv",
        parse_published_figures,
        frozenset({"dataset", "release", "citation_url"}),
        required=tuple(c for c in FILE_COLUMNS if c not in OPTIONAL),
    ),
)
