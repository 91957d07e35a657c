"""raw/kosis_annual_partner: annual exports/imports by partner (~240 partners) and the world total.

Accepted format:
  kosis_annual   `iso3c,year,export_kosis,import_kosis,total_export,total_import` (KOSIS table
                 DT_1R11006_FRM101 as redistributed by kdiplo), USD. Only KOSIS values are used;
                 the columns imputed from Correlates of War (`export`, `export_cow`, …) are ignored.
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import source_rows, to_number
from orchestration.feeds.reference import WORLD, partner_kinds
from orchestration.feeds.spec import FeedSpec, FileFormat

MISSING = {"", "NA"}


def parse_kosis_annual(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    rows = source_rows(frame)
    parts = []
    for column, flow in (("export_kosis", "export"), ("import_kosis", "import")):
        present = ~frame[column].isin(MISSING)
        parts.append(pd.DataFrame({"year": frame["year"][present], "partner_code": frame["iso3c"][present],
                                   "flow": flow, "value_text": frame[column][present],
                                   "source_row": rows[present]}))
    for column, flow in (("total_export", "export"), ("total_import", "import")):
        # The world total repeats on every partner row of a year: keep one row per distinct value.
        world = frame.assign(source_row=rows)[~frame[column].isin(MISSING)]
        world = world.drop_duplicates(["year", column])
        parts.append(pd.DataFrame({"year": world["year"], "partner_code": WORLD, "flow": flow,
                                   "value_text": world[column], "source_row": world["source_row"]}))
    out = pd.concat(parts, ignore_index=True)
    out["partner_kind"] = out["partner_code"].map(partner_kinds())
    out["value_usd"] = to_number(out["value_text"])
    out["year_number"] = pd.to_numeric(out["year"], errors="coerce")
    return out


KOSIS_ANNUAL_PARTNER = FeedSpec(
    name="kosis_annual_partner",
    description="KOSIS annual exports/imports by partner and world total (customs basis, USD)",
    columns={"year": "INTEGER", "partner_code": "VARCHAR", "partner_kind": "VARCHAR", "flow": "VARCHAR",
             "value_usd": "DOUBLE"},
    select="CAST(f.year_number AS INTEGER), f.partner_code, f.partner_kind, f.flow, f.value_usd",
    formats=(
        FileFormat("kosis_annual", parse_kosis_annual, frozenset({"iso3c", "export_kosis"}),
                   required=("iso3c", "year", "export_kosis", "import_kosis", "total_export",
                             "total_import")),
    ),
)
