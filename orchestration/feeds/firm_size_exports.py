"""raw/firm_size_exports: exports by firm size, destination and year, with exporter counts.

Accepted formats:
  firm_size_csv   the warehouse's documented feed form, one row per
                  source × vintage × year × period × firm_size × destination × measure:
                  `source,vintage,year,period,firm_size,destination_code,measure,value,unit,
                   publisher,citation_url,note` (see data/sample/PROVENANCE.md)
  oecd_tec_sdmx   OECD Trade by Enterprise Characteristics, SDMX-CSV (`REF_AREA, PARTNER_COUNTRY,
                  MEASURE, SIZE_CLASS, FLOW, TIME_PERIOD, OBS_VALUE, UNIT_MULT, …`); Korea's exports.
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import source_rows, to_number
from orchestration.feeds.reference import WORLD
from orchestration.feeds.spec import FeedSpec, FileFormat

COLUMNS = ["source", "vintage", "year", "period", "firm_size", "destination_code", "measure", "value",
           "unit", "publisher", "citation_url", "note"]
# OECD TEC size classes (employees). S0T249 is "all SMEs"; the bands are kept as their own sizes.
OECD_SIZE = {"S0T249": "sme", "S_GE250": "large", "_T": "all", "S0T9": "s0t9", "S10T49": "s10t49",
             "S50T249": "s50t249"}
OECD_MEASURE = {"TUTT_TEC": ("exports_usd", "USD"), "ENTR_TEC": ("exporters", "firms")}


def _finish(out: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    out = out.assign(source_row=rows.to_numpy())
    out["value_number"] = to_number(out["value"])
    out["year_number"] = pd.to_numeric(out["year"], errors="coerce")
    return out.reset_index(drop=True)


def parse_firm_size_csv(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    return _finish(frame.reindex(columns=COLUMNS, fill_value=""), source_rows(frame))


def parse_oecd_tec(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    rows = source_rows(frame)
    keep = (frame["REF_AREA"] == "KOR") & frame["FLOW"].isin(["X", "EXP"])
    frame, rows = frame[keep], rows[keep]
    measure = frame["MEASURE"].map(lambda m: OECD_MEASURE.get(m, (m, "")))
    scale = 10.0 ** pd.to_numeric(frame.get("UNIT_MULT", "0").replace("", "0"), errors="coerce").fillna(0)
    value = to_number(frame["OBS_VALUE"]) * scale
    partner = frame["PARTNER_COUNTRY"].replace({"W": WORLD, "W00": WORLD, "WXD": WORLD})
    out = pd.DataFrame({
        "source": "OECD_TEC", "vintage": "published", "year": frame["TIME_PERIOD"], "period": "year",
        "firm_size": frame["SIZE_CLASS"].map(lambda s: OECD_SIZE.get(s, s)),
        "destination_code": partner, "measure": measure.str[0],
        "value": value.map(lambda v: "" if pd.isna(v) else repr(float(v))), "unit": measure.str[1],
        "publisher": "OECD Trade by Enterprise Characteristics (TEC)", "citation_url": "",
        "note": frame.get("OBS_STATUS", ""),
    })
    return _finish(out, rows)


FIRM_SIZE_EXPORTS = FeedSpec(
    name="firm_size_exports",
    description="Exports and exporter counts by firm size, destination and year (published statistics)",
    # the file's `vintage` label (preliminary/provisional/published) is kept as `release`; `vintage` is the
    # file's date, as in every raw feed
    columns={"source": "VARCHAR", "release": "VARCHAR", "year": "INTEGER", "period": "VARCHAR",
             "firm_size": "VARCHAR", "destination_code": "VARCHAR", "measure": "VARCHAR", "value": "DOUBLE",
             "unit": "VARCHAR", "publisher": "VARCHAR", "citation_url": "VARCHAR", "note": "VARCHAR"},
    select="""f.source, f.vintage, CAST(f.year_number AS INTEGER), f.period, f.firm_size, f.destination_code,
              f.measure, f.value_number, f.unit, f.publisher, f.citation_url, f.note""",
    formats=(
        FileFormat("firm_size_csv", parse_firm_size_csv, frozenset({"firm_size", "measure"}),
                   required=tuple(c for c in COLUMNS if c not in ("publisher", "citation_url", "note"))),
        FileFormat("oecd_tec_sdmx", parse_oecd_tec, frozenset({"SIZE_CLASS", "OBS_VALUE"}),
                   required=("REF_AREA", "PARTNER_COUNTRY", "MEASURE", "SIZE_CLASS", "FLOW", "TIME_PERIOD",
                             "OBS_VALUE")),
    ),
)
