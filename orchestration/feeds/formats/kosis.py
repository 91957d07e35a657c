"""KOSIS annual trade by partner (raw/kosis_annual_partner).

kosis_annual   `iso3c,year,export_kosis,import_kosis,total_export,total_import` (KOSIS table
               DT_1R11006_FRM101 as redistributed by kdiplo), USD. Only KOSIS values are used;
               the columns imputed from Correlates of War (`export`, `export_cow`, …) are ignored.
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import source_rows, with_kinds_and_value
from orchestration.feeds.reference import WORLD
from orchestration.feeds.spec import FileFormat

MISSING = {"", "NA"}


def parse_kosis_annual(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    rows = source_rows(data)
    parts = []
    for column, flow in (("export_kosis", "export"), ("import_kosis", "import")):
        present = ~data[column].isin(MISSING)
        parts.append(
            pd.DataFrame(
                {
                    "year": data["year"][present],
                    "partner_code": data["iso3c"][present],
                    "flow": flow,
                    "value_text": data[column][present],
                    "source_row": rows[present],
                }
            )
        )
    for column, flow in (("total_export", "export"), ("total_import", "import")):
        # The world total repeats on every partner row of a year: keep one row per distinct value.
        world = data.assign(source_row=rows)[~data[column].isin(MISSING)].drop_duplicates(["year", column])
        parts.append(
            pd.DataFrame(
                {
                    "year": world["year"],
                    "partner_code": WORLD,
                    "flow": flow,
                    "value_text": world[column],
                    "source_row": world["source_row"],
                }
            )
        )
    out = with_kinds_and_value(pd.concat(parts, ignore_index=True))
    out["year_number"] = pd.to_numeric(out["year"], errors="coerce")
    return out


FORMATS = (
    FileFormat(
        "kosis_annual",
        parse_kosis_annual,
        frozenset({"iso3c", "export_kosis"}),
        required=("iso3c", "year", "export_kosis", "import_kosis", "total_export", "total_import"),
    ),
)
