"""File formats of raw/kcs_product_partner (Korea Customs exports/imports of HS products by partner).

  kcs_hs_monthly_ko       `월,품목명,HS코드,국가코드,국가명,수출금액_USD,…`: one HS code's monthly exports to
                          named countries plus `OTHER` (rest of world), USD. Emits the countries and a
                          `WLD` row per month = all rows of the month (OTHER itself is not emitted).
  kcs_hs2_country_ytd_ko  `기간,국가,HS코드,…,수출 금액,…,수입 금액,…`: tradedata.go.kr download by HS chapter
                          × country, thousand USD, year to date; the months come from the file name
                          (`…_2024_jan_jun.csv`); the `총계` row is the world total of all products,
                          and a `WLD` row per chapter sums every row of the chapter (unspecified
                          countries and the IMF included), emitted only where the chapters of all rows
                          add up to the `총계` row within the rows' rounding (else the file is rejected).
Every format parses to `FRAME_COLUMNS` (`frame()`); the OpenAPI `nitemtrade` XML form is in
kcs_openapi.py.
"""

import re
from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import source_file, source_rows, to_month, to_number, with_kinds_and_value
from orchestration.feeds.reference import ALL_PRODUCTS, WORLD, iso2_to_iso3, iso3_by_korean_name
from orchestration.feeds.spec import FeedError, FileFormat

FRAME_COLUMNS = [
    "period_start",
    "period_end",
    "partner_code",
    "partner_kind",
    "hs_code",
    "flow",
    "value_text",
    "value_usd",
    "source_row",
]
REST_OF_WORLD = "OTHER"
# Partners of the tradedata.go.kr download that are no country; their values stay in the 총계 (WLD) row.
NOT_A_COUNTRY = frozenset({"기타국", "국제통화기금"})  # unspecified countries, the IMF
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
YTD_NAME = re.compile(rf"_(\d{{4}})_({'|'.join(MONTHS)})_({'|'.join(MONTHS)})\.csv$", re.IGNORECASE)


def frame(start, end, partner, hs_code, flow, value_text, rows, scale: float = 1.0) -> pd.DataFrame:
    """The feed's normalized frame from equal-length sequences; `value_usd` = number × `scale`."""
    out = pd.DataFrame(
        {
            "period_start": pd.Series(start, dtype="string"),
            "period_end": pd.Series(end, dtype="string"),
            "partner_code": pd.Series(partner, dtype="string"),
            "hs_code": pd.Series(hs_code, dtype="string"),
            "flow": pd.Series(flow, dtype="string"),
            "value_text": pd.Series(value_text, dtype="string"),
            "source_row": pd.Series(rows, dtype="int64"),
        }
    )
    return with_kinds_and_value(out, scale=scale)[FRAME_COLUMNS]


def parse_hs_monthly(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """Monthly exports of one HS code: named countries, plus a WLD row per month summing all rows."""
    data = table.assign(month=to_month(table["월"]), row=source_rows(table), value=to_number(table["수출금액_USD"]))
    code = data["국가코드"].str.strip()
    lacking = sorted(set(data["month"]) - set(data.loc[code == REST_OF_WORLD, "month"]))
    if lacking:
        rows = data.loc[data["month"].isin(lacking), "row"].tolist()
        raise FeedError(
            source_file(path),
            "every month has its rest-of-world (OTHER) row",
            f"months {lacking[:5]} lack it, so their world total would be short",
            rows,
        )
    world = (
        data.groupby(["month", "HS코드"], sort=True)
        .agg(row=("row", "min"), value=("value", lambda v: v.sum(min_count=len(v))))
        .reset_index()
    )
    countries = data[code != REST_OF_WORLD]
    months = pd.concat([countries["month"], world["month"]]).tolist()
    return frame(
        months,
        months,
        [*code[code != REST_OF_WORLD].map(lambda c: iso2_to_iso3().get(c, c)), *[WORLD] * len(world)],
        [*countries["HS코드"].str.strip(), *world["HS코드"].str.strip()],
        ["export"] * len(months),
        [*countries["수출금액_USD"], *world["value"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")],
        [*countries["row"], *world["row"]],
    )


def year_to_date_span(path: Path) -> tuple[str, str]:
    """('2024-01', '2024-06') from a name ending `_2024_jan_jun.csv`: the file itself says only '2024'."""
    match = YTD_NAME.search(path.name)
    first, last = (MONTHS.index(m.lower()) + 1 for m in match.groups()[1:]) if match else (0, 0)
    if not match or first > last:
        raise FeedError(
            source_file(path), "year-to-date file names its months (…_YYYY_jan_jun.csv)", f"got '{path.name}'"
        )
    return f"{match[1]}-{first:02d}", f"{match[1]}-{last:02d}"


YTD_FLOWS = {"export": "수출 금액", "import": "수입 금액"}


def world_by_chapter(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    """The world's value of each chapter (thousand USD, columns of YTD_FLOWS): the sum of every partner row of the
    chapter, the non-country partners (NOT_A_COUNTRY) included, as the file's own `총계` row includes them. Only
    where the file has its `총계` row and, for each flow, the chapters of all rows add up to it within the rows'
    rounding (half a thousand USD a row): otherwise partners are missing and no world figure is emitted (no
    `총계` row) or the file is rejected (a `총계` row the rows do not add up to). One row per chapter, with the
    line of its first row."""
    total, rows = data[data["period"] == "총계"], data[data["period"] != "총계"]
    if total.empty:
        return rows.iloc[0:0].assign(chapter=pd.Series(dtype="string"))
    for flow, column in YTD_FLOWS.items():
        stated, summed = to_number(total[column]).sum(), to_number(rows[column]).sum(min_count=len(rows))
        if abs(summed - stated) > 0.5 * len(rows):  # NaN (a value that is no number): the value rule names it
            raise FeedError(
                source_file(path),
                "the rows of every partner and chapter add up to the 총계 row (within their rounding)",
                f"{flow}: rows sum to {summed:,.0f}, 총계 says {stated:,.0f} thousand USD",
                total["row"].tolist(),
            )
    chapter = rows["HS코드"].str.strip()
    chapter = chapter.mask(chapter.str.fullmatch(r"\d"), "0" + chapter)
    numbers = rows.assign(chapter=chapter, **{c: to_number(rows[c]) for c in YTD_FLOWS.values()})
    return (
        numbers.groupby("chapter", sort=True)
        .agg(row=("row", "min"), **{c: (c, lambda v: v.sum(min_count=len(v))) for c in YTD_FLOWS.values()})
        .reset_index()
        .assign(**{c: lambda w, c=c: w[c].map(lambda v: "" if pd.isna(v) else f"{v:.0f}") for c in YTD_FLOWS.values()})
    )


def parse_hs2_country_ytd(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """HS chapter × country, year to date, thousand USD; the `총계` row becomes WLD / TOTAL, and each chapter's
    world value (all rows of the chapter, see world_by_chapter) WLD / the chapter."""
    start, end = year_to_date_span(path)
    data = table.assign(row=source_rows(table), name=table["국가"].str.strip(), period=table["기간"].str.strip())
    total = data["period"] == "총계"
    wrong_year = data[~total & (data["period"] != start[:4])]
    if not wrong_year.empty:
        raise FeedError(
            source_file(path),
            "기간 is the year the file name gives",
            f"expected '{start[:4]}', got {sorted(set(wrong_year['period']))[:5]}",
            wrong_year["row"].tolist(),
        )
    world = world_by_chapter(path, data)
    data = data[total | ~data["name"].isin(NOT_A_COUNTRY)]
    total = data["period"] == "총계"
    partner = data["name"].map(lambda n: iso3_by_korean_name().get(n, n)).mask(total, WORLD)
    chapter = data["HS코드"].str.strip()
    chapter = chapter.mask(chapter.str.fullmatch(r"\d"), "0" + chapter).mask(total, ALL_PRODUCTS)
    partner, chapter = [*partner, *[WORLD] * len(world)], [*chapter, *world["chapter"]]
    n = len(partner)
    return frame(
        [start] * 2 * n,
        [end] * 2 * n,
        partner * 2,
        chapter * 2,
        ["export"] * n + ["import"] * n,
        [*data["수출 금액"], *world["수출 금액"], *data["수입 금액"], *world["수입 금액"]],
        [*data["row"], *world["row"]] * 2,
        scale=1000.0,
    )


FORMATS = (
    FileFormat(
        "kcs_hs_monthly_ko",
        parse_hs_monthly,
        frozenset({"월", "HS코드", "국가코드"}),
        required=("월", "HS코드", "국가코드", "수출금액_USD"),
    ),
    FileFormat(
        "kcs_hs2_country_ytd_ko",
        parse_hs2_country_ytd,
        frozenset({"기간", "국가", "HS코드"}),
        required=("기간", "국가", "HS코드", "수출 금액", "수입 금액"),
    ),
)
