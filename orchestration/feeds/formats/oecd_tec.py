"""OECD Trade by Enterprise Characteristics (raw/firm_size_exports): Korea's exports by firm size.

oecd_tec_sdmx  SDMX-CSV (`REF_AREA, PARTNER_COUNTRY, MEASURE, SIZE_CLASS, FLOW, TIME_PERIOD, OBS_VALUE,
               UNIT_MULT, …`); MEASURE TUTT_TEC = exports (USD × 10^UNIT_MULT), ENTR_TEC = exporters.
               Size classes are employee bands; S0T249 is "all SMEs", the bands are kept as their own sizes.
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.formats.firm_size import finish
from orchestration.feeds.readers import source_rows, to_number
from orchestration.feeds.reference import WORLD
from orchestration.feeds.spec import FileFormat

OECD_SIZE = {"S0T249": "sme", "S_GE250": "large", "_T": "all", "S0T9": "s0t9", "S10T49": "s10t49", "S50T249": "s50t249"}
OECD_MEASURE = {"TUTT_TEC": ("exports_usd", "USD"), "ENTR_TEC": ("exporters", "firms")}


def parse_oecd_tec(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    rows = source_rows(data)
    keep = (data["REF_AREA"] == "KOR") & data["FLOW"].isin(["X", "EXP"])
    data, rows = data[keep], rows[keep]
    measure = data["MEASURE"].map(lambda m: OECD_MEASURE.get(m, (m, "")))
    scale = 10.0 ** pd.to_numeric(data.get("UNIT_MULT", "0").replace("", "0"), errors="coerce").fillna(0)
    value = to_number(data["OBS_VALUE"]) * scale
    partner = data["PARTNER_COUNTRY"].replace({"W": WORLD, "W00": WORLD, "WXD": WORLD})
    out = pd.DataFrame(
        {
            "source": "OECD_TEC",
            "release": "published",
            "year": data["TIME_PERIOD"],
            "period": "year",
            "firm_size": data["SIZE_CLASS"].map(lambda s: OECD_SIZE.get(s, s)),
            "destination_code": partner,
            "measure": measure.str[0],
            "value": value.map(lambda v: "" if pd.isna(v) else repr(float(v))),
            "unit": measure.str[1],
            "publisher": "OECD Trade by Enterprise Characteristics (TEC)",
            "citation_url": "",
            "note": data.get("OBS_STATUS", ""),
            "release_date": "",
        }
    )
    return finish(out, rows)


FORMATS = (
    FileFormat(
        "oecd_tec_sdmx",
        parse_oecd_tec,
        frozenset({"SIZE_CLASS", "OBS_VALUE"}),
        required=("REF_AREA", "PARTNER_COUNTRY", "MEASURE", "SIZE_CLASS", "FLOW", "TIME_PERIOD", "OBS_VALUE"),
    ),
)
