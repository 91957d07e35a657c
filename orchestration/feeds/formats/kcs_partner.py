"""Korea Customs partner totals (raw/kcs_monthly_partner) as shipped files and the canonical long form.

  kcs_world_total    `date,value`: Korea's total exports (KCS 수출입총괄 API), USD
  kcs_top5_wide      `Date,KOR_export,export_CHI,…`: world + five partners (MOTIE BI file), USD
  kcs_nine_markets   `period,region_code,…,export_usd,import_usd`: nine partners (four countries, five groups of
                     KCS country codes), USD
  kcs_countries      `국가코드,국가,기준월,수출건수,수출액_USD,수입건수,수입액_USD,무역수지_USD`: every partner country
                     (KCS nationtrade, ISO-2 codes), both flows, USD. KCS's non-country codes (`NOT_COUNTRIES`) are
                     left out: they have no ISO code, and their trade is inside the world total
  kcs_long           `period,partner_code,flow,value_usd[,hs_code][,release][,value_basis]`: the canonical long
                     form (CSV); `release` as in the published-releases form (kcs_releases.py), e.g.
                     `preliminary MOTIE`; `value_basis` `published` (the default) or `derived from a cumulative`
                     (a figure its compilers derived, e.g. a two-month cumulative minus one month)
  kcs_long_parquet   the canonical long form as parquet, with hs_code and `period` as YYYY-MM: the bulk
                     form (HS-10 × partner × month, millions of rows), read in place by DuckDB, never copied
Every format parses to `FRAME_COLUMNS` (`frame()`); the OpenAPI XML form is in kcs_openapi.py, the published
monthly releases (one vintage per row, values rounded as printed, growth rates) in kcs_releases.py. A statistics
file's rows are `published` values of no release type (NULL): final customs statistics.
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import source_rows, to_month, with_kinds_and_value
from orchestration.feeds.reference import ALL_PRODUCTS, WORLD, iso2_to_iso3
from orchestration.feeds.spec import FileFormat
from orchestration.ledger import PARTNER_KINDS

# published releases only (kcs_releases.py); a statistics file's rows: `published`, the rest empty
RELEASE_COLUMNS = [
    "value_basis",
    "release_type",
    "release_date",
    "yoy_pct",
    "precision_usd",
    "publisher",
    "citation_url",
]
FRAME_COLUMNS = [
    "period",
    "frequency",
    "partner_code",
    "partner_kind",
    "flow",
    "hs_code",
    "value_usd",
    "value_text",
    "source_row",
]
FRAME_COLUMNS += RELEASE_COLUMNS
TOP5_COLUMNS = {
    "KOR_export": WORLD,
    "export_CHI": "CHN",
    "export_USA": "USA",
    "export_VET": "VNM",
    "export_Hong": "HKG",
    "export_JAP": "JPN",
}
NINE_MARKET_GROUPS = {"ASEAN", "EU27", "LATAM", "MIDDLE_EAST", "CIS"}
NOT_COUNTRIES = {  # KCS partner codes that are no country (kcs_countries): left out
    "ZZ": "기타국, other or unspecified countries",
    "RK": "해외교포, overseas Koreans",
    "Z1": "국제통화기금, the IMF",
    "AN": "네덜란드 열도, the Netherlands Antilles (dissolved in 2010, no ISO code)",
}


def release_type(release: pd.Series) -> pd.Series:
    """`release` as printed -> release_type: `preliminary MOTIE`, `final KCS`, `other` -> `preliminary`, `final`,
    `other`; anything else kept as written (the suite names it), an empty cell NA."""
    release = release.str.strip()
    kinds = {"preliminary MOTIE": "preliminary", "final KCS": "final", "other": "other"}
    return release.map(kinds).fillna(release).mask(release == "").astype("string")


def _series(values, dtype: str = "string") -> pd.Series:
    return pd.Series(values, dtype=dtype).reset_index(drop=True)


def frame(period, partner, flow, value_text, rows, hs_code=ALL_PRODUCTS) -> pd.DataFrame:
    """The feed's normalized frame; every argument is a sequence of equal length (hs_code may be one value)."""
    out = pd.DataFrame(
        {
            "period": to_month(_series(period)),
            "partner_code": _series(partner),
            "flow": _series(flow),
            "value_text": _series(value_text),
            "source_row": _series(rows, "int64"),
        }
    )
    out["hs_code"] = hs_code if isinstance(hs_code, str) else _series(hs_code)
    out["frequency"] = "month"  # statistics are monthly; a published release may print a year (kcs_releases.py)
    out["value_basis"] = "published"
    for column in RELEASE_COLUMNS[1:]:
        numeric = column.endswith(("_pct", "_usd"))
        missing, dtype = (float("nan"), "float64") if numeric else (pd.NA, "string")
        out[column] = pd.Series(missing, index=out.index, dtype=dtype)
    return with_kinds_and_value(out)[FRAME_COLUMNS]


def _melt(data: pd.DataFrame, period: str, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Wide → long: `columns` maps a value column to (partner_code, flow)."""
    n, rows = len(data), source_rows(data).tolist()
    return pd.concat(
        [
            frame(data[period].tolist(), [partner] * n, [flow] * n, data[col].tolist(), rows)
            for col, (partner, flow) in columns.items()
        ],
        ignore_index=True,
    )


def parse_world_total(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    return _melt(data, "date", {"value": (WORLD, "export")})


def parse_top5_wide(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    return _melt(data, "Date", {col: (code, "export") for col, code in TOP5_COLUMNS.items()})


def nine_market_code(region: str) -> str:
    return region if region in NINE_MARKET_GROUPS else iso2_to_iso3().get(region, region)


def _both_flows(data: pd.DataFrame, period: str, partner: list[str], exports: str, imports: str) -> pd.DataFrame:
    """Exports and imports of a file with one row per partner-month (`source_row` or the line number)."""
    rows = (data["source_row"] if "source_row" in data else source_rows(data)).tolist()
    return pd.concat(
        [
            frame(data[period].tolist(), partner, [flow] * len(data), data[col].tolist(), rows)
            for col, flow in ((exports, "export"), (imports, "import"))
        ],
        ignore_index=True,
    )


def parse_nine_markets(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    partner = data["region_code"].map(nine_market_code).tolist()
    return _both_flows(data, "period", partner, "export_usd", "import_usd")


def parse_countries(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    data = data.assign(source_row=source_rows(data))
    data = data[~data["국가코드"].str.strip().isin(NOT_COUNTRIES)]
    partner = data["국가코드"].str.strip().map(lambda code: iso2_to_iso3().get(code, code)).tolist()
    return _both_flows(data, "기준월", partner, "수출액_USD", "수입액_USD")


def parse_long(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    hs = data["hs_code"].where(data["hs_code"] != "", ALL_PRODUCTS) if "hs_code" in data else ALL_PRODUCTS
    out = frame(data["period"], data["partner_code"], data["flow"], data["value_usd"], source_rows(data), hs)
    if "release" in data:
        out["release_type"] = release_type(data["release"]).to_numpy()
    if "value_basis" in data:
        out["value_basis"] = data["value_basis"].str.strip().replace("", "published").to_numpy()
    return out


def scan_long_parquet(files: str) -> str:
    """The parquet long form as the normalized columns. Strict, unlike the CSV form: `period` must
    already be `YYYY-MM` (the suite's period rule says so) and a missing hs_code means all products."""
    return f"""
        SELECT CAST(s.period AS VARCHAR) AS period, 'month' AS frequency,
               CAST(s.partner_code AS VARCHAR) AS partner_code, k.kind AS partner_kind, CAST(s.flow AS VARCHAR) AS flow,
               coalesce(CAST(s.hs_code AS VARCHAR), '{ALL_PRODUCTS}') AS hs_code,
               TRY_CAST(s.value_usd AS DOUBLE) AS value_usd, CAST(s.file_row_number + 1 AS INTEGER) AS source_row,
               'published' AS value_basis, NULL::VARCHAR AS release_type, NULL::VARCHAR AS release_date,
               NULL::DOUBLE AS yoy_pct, NULL::DOUBLE AS precision_usd, NULL::VARCHAR AS publisher,
               NULL::VARCHAR AS citation_url, s.filename AS path
        FROM read_parquet({files}, filename = true, file_row_number = true) AS s
        LEFT JOIN {PARTNER_KINDS} AS k ON k.code = s.partner_code"""


FORMATS = (
    FileFormat("kcs_world_total", parse_world_total, frozenset({"date", "value"})),
    FileFormat("kcs_top5_wide", parse_top5_wide, frozenset({"Date", "KOR_export"}), required=("Date", *TOP5_COLUMNS)),
    FileFormat(
        "kcs_nine_markets",
        parse_nine_markets,
        frozenset({"region_code"}),
        required=("period", "region_code", "export_usd", "import_usd"),
    ),
    FileFormat(
        "kcs_countries",
        parse_countries,
        frozenset({"국가코드", "기준월"}),
        required=("국가코드", "기준월", "수출액_USD", "수입액_USD"),
    ),
    FileFormat(
        "kcs_long",
        parse_long,
        frozenset({"partner_code", "flow"}),
        required=("period", "partner_code", "flow", "value_usd"),
    ),
    FileFormat(
        "kcs_long_parquet",
        signature=frozenset({"partner_code", "flow"}),
        suffixes=(".parquet",),
        required=("period", "partner_code", "flow", "hs_code", "value_usd"),
        scan=scan_long_parquet,
    ),
)
