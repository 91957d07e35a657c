"""raw/kcs_monthly_partner: Korea Customs monthly exports (and imports) by partner, customs basis.

Accepted file formats (all normalize to period × partner × flow × hs_code):
  kcs_world_total    `date,value`: Korea's total exports (KCS 수출입총괄 API), USD
  kcs_top5_wide      `Date,KOR_export,export_CHI,…`: world + five partners (MOTIE BI file), USD
  kcs_nine_markets   `period,region_code,…,export_usd,import_usd`: MOTIE's nine markets, USD
  kcs_long           `period,partner_code,flow,value_usd[,hs_code]`: the canonical long form (CSV)
  kcs_long_parquet   the canonical long form as parquet, with hs_code and `period` as YYYY-MM: the bulk
                     form (HS-10 × partner × month, millions of rows), read in place by DuckDB, never copied
  kcs_nationtrade    Korea Customs OpenAPI `nationtrade` XML (statCd ISO-2, year YYYY.MM)
"""

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import display_name, source_rows, to_month, to_number
from orchestration.feeds.reference import WORLD, iso2_to_iso3, partner_kinds
from orchestration.feeds.spec import FeedError, FeedSpec, FileFormat, SqlCheck

ALL_PRODUCTS = "TOTAL"
COLUMNS = ["period", "partner_code", "partner_kind", "flow", "hs_code", "value_usd", "value_text",
           "source_row"]
TOP5_COLUMNS = {"KOR_export": WORLD, "export_CHI": "CHN", "export_USA": "USA", "export_VET": "VNM",
                "export_Hong": "HKG", "export_JAP": "JPN"}
NINE_MARKET_GROUPS = {"ASEAN", "EU27", "LATAM", "MIDDLE_EAST", "CIS"}


def _series(values, dtype: str = "string") -> pd.Series:
    return pd.Series(values, dtype=dtype).reset_index(drop=True)


def _frame(period, partner, flow, value_text, rows, hs_code=ALL_PRODUCTS) -> pd.DataFrame:
    """Build the normalized frame; every argument is a sequence of equal length (hs_code may be one value)."""
    frame = pd.DataFrame({"period": to_month(_series(period)), "partner_code": _series(partner),
                          "flow": _series(flow), "value_text": _series(value_text),
                          "source_row": _series(rows, "int64")})
    frame["hs_code"] = hs_code if isinstance(hs_code, str) else _series(hs_code)
    frame["partner_kind"] = frame["partner_code"].map(partner_kinds()).astype("string")
    frame["value_usd"] = to_number(frame["value_text"])
    return frame[COLUMNS]


def _melt(frame: pd.DataFrame, period: str, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Wide → long: `columns` maps a value column to (partner_code, flow)."""
    parts = [
        _frame(frame[period].tolist(), [partner] * len(frame), [flow] * len(frame),
               frame[col].tolist(), source_rows(frame).tolist())
        for col, (partner, flow) in columns.items()
    ]
    return pd.concat(parts, ignore_index=True)


def parse_world_total(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    return _melt(frame, "date", {"value": (WORLD, "export")})


def parse_top5_wide(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    return _melt(frame, "Date", {col: (code, "export") for col, code in TOP5_COLUMNS.items()})


def _nine_market_code(region: str) -> str:
    return region if region in NINE_MARKET_GROUPS else iso2_to_iso3().get(region, region)


def parse_nine_markets(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    partner = frame["region_code"].map(_nine_market_code)
    rows = source_rows(frame).tolist()
    return pd.concat([
        _frame(frame["period"].tolist(), partner.tolist(), [flow] * len(frame), frame[col].tolist(), rows)
        for col, flow in (("export_usd", "export"), ("import_usd", "import"))
    ], ignore_index=True)


def parse_long(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    hs = frame["hs_code"].where(frame["hs_code"] != "", ALL_PRODUCTS) if "hs_code" in frame else ALL_PRODUCTS
    return _frame(frame["period"], frame["partner_code"], frame["flow"], frame["value_usd"],
                  source_rows(frame), hs)


def parse_nationtrade(path: Path, _: None) -> pd.DataFrame:
    """Korea Customs OpenAPI `nationtrade` XML. Errors arrive with HTTP 200 and resultCode != 00;
    range queries add a `총계` (total) row, which is dropped."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise FeedError(display_name(path), "well-formed XML", str(exc)) from exc
    code = root.findtext(".//resultCode") or root.findtext(".//returnReasonCode")
    if code not in ("00", "0"):
        message = next((root.findtext(f".//{tag}") for tag in ("resultMsg", "returnAuthMsg", "errMsg")
                        if root.findtext(f".//{tag}")), "")
        raise FeedError(display_name(path), "OpenAPI response is not an error", f"resultCode {code}: {message}")
    items = [(i, item) for i, item in enumerate(root.iter("item"), start=1)
             if (item.findtext("year") or "").strip() != "총계"]
    period, partner, flow, value, rows = [], [], [], [], []
    for row, item in items:
        iso2 = (item.findtext("statCd") or "").strip()
        for field, direction in (("expDlr", "export"), ("impDlr", "import")):
            period.append((item.findtext("year") or "").strip())
            partner.append(iso2_to_iso3().get(iso2, iso2))
            flow.append(direction)
            value.append((item.findtext(field) or "").strip())
            rows.append(row)
    return _frame(period, partner, flow, value, rows)


def scan_long_parquet(files: str) -> str:
    """The parquet long form as the normalized columns. Strict, unlike the CSV form: `period` must
    already be `YYYY-MM` (the suite's period rule says so) and a missing hs_code means all products."""
    return f"""
        SELECT CAST(s.period AS VARCHAR) AS period, CAST(s.partner_code AS VARCHAR) AS partner_code,
               k.kind AS partner_kind, CAST(s.flow AS VARCHAR) AS flow,
               coalesce(CAST(s.hs_code AS VARCHAR), '{ALL_PRODUCTS}') AS hs_code,
               TRY_CAST(s.value_usd AS DOUBLE) AS value_usd, CAST(s.file_row_number + 1 AS INTEGER) AS source_row,
               s.filename AS path
        FROM read_parquet({files}, filename = true, file_row_number = true) AS s
        LEFT JOIN raw._partner_kinds AS k ON k.code = s.partner_code"""


KCS_MONTHLY_PARTNER = FeedSpec(
    name="kcs_monthly_partner",
    description="Korea Customs monthly exports/imports by partner (customs basis, USD)",
    columns={"period": "DATE", "partner_code": "VARCHAR", "partner_kind": "VARCHAR", "flow": "VARCHAR",
             "hs_code": "VARCHAR", "value_usd": "DOUBLE"},
    select="CAST(f.period || '-01' AS DATE), f.partner_code, f.partner_kind, f.flow, f.hs_code, f.value_usd",
    formats=(
        FileFormat("kcs_world_total", parse_world_total, frozenset({"date", "value"})),
        FileFormat("kcs_top5_wide", parse_top5_wide, frozenset({"Date", "KOR_export"}),
                   required=("Date", *TOP5_COLUMNS)),
        FileFormat("kcs_nine_markets", parse_nine_markets, frozenset({"region_code"}),
                   required=("period", "region_code", "export_usd", "import_usd")),
        FileFormat("kcs_long", parse_long, frozenset({"partner_code", "flow"}),
                   required=("period", "partner_code", "flow", "value_usd")),
        FileFormat("kcs_long_parquet", signature=frozenset({"partner_code", "flow"}), suffixes=(".parquet",),
                   required=("period", "partner_code", "flow", "hs_code", "value_usd"), scan=scan_long_parquet),
        FileFormat("kcs_nationtrade", parse_nationtrade, suffixes=(".xml",)),
    ),
    checks=(
        SqlCheck(
            "overlapping months of the same vintage agree (within 1,000 USD)",
            # only months that several files of one vintage cover can disagree: the ledger knows which
            """WITH shared AS (
                 SELECT period, vintage FROM (SELECT unnest(months) AS period, vintage, path FROM raw._files
                                              WHERE feed = 'kcs_monthly_partner')
                 GROUP BY ALL HAVING count(DISTINCT path) > 1),
               disagreeing AS (
                 SELECT period, partner_code, flow, hs_code, vintage
                 FROM {table} SEMI JOIN shared USING (period, vintage)
                 GROUP BY ALL HAVING max(value_usd) - min(value_usd) > 1000)
               SELECT t.source_file, t.source_row, t.period, t.partner_code, t.flow, t.value_usd
               FROM {table} t JOIN disagreeing USING (period, partner_code, flow, hs_code, vintage)
               ORDER BY t.period, t.partner_code, t.source_file""",
        ),
        SqlCheck(
            "a country's value never exceeds the world total of the same month and flow",
            # one aggregation finds the (month, flow, product) groups that break the rule; rows only for those
            """WITH bad AS (
                 SELECT period, flow, hs_code FROM {table} GROUP BY ALL
                 HAVING max(value_usd) FILTER (WHERE partner_kind = 'country')
                        > min(value_usd) FILTER (WHERE partner_kind = 'world'))
               SELECT c.source_file, c.source_row, c.period, c.partner_code, c.flow, c.value_usd,
                      w.value_usd AS world_value_usd
               FROM {table} c SEMI JOIN bad USING (period, flow, hs_code)
               JOIN {table} w USING (period, flow, hs_code)
               WHERE c.partner_kind = 'country' AND w.partner_kind = 'world' AND c.value_usd > w.value_usd""",
        ),
    ),
    partition_column="period",
)
