"""File formats of raw/kcs_product_partner (Korea Customs exports/imports of HS products by partner).

  kcs_hs_monthly_ko       `월,품목명,HS코드,국가코드,국가명,수출금액_USD,…`: one HS code's monthly exports to
                          named countries plus `OTHER` (rest of world), USD. Emits the countries and a
                          `WLD` row per month = all rows of the month (OTHER itself is not emitted).
  kcs_hs2_country_ytd_ko  `기간,국가,HS코드,…,수출 금액,…,수입 금액,…`: tradedata.go.kr download by HS chapter
                          × country, thousand USD, year to date; the months come from the file name
                          (`…_2024_jan_jun.csv`); the `총계` row is the world total of all products.
  kcs_nitemtrade          Korea Customs OpenAPI `nitemtrade` XML (품목별 국가별 수출입실적), USD.

Both OpenAPI operations answer in XML: `nitemtrade` files belong in `landing/kcs_product_partner/`,
`nationtrade` files in `landing/kcs_monthly_partner/` (the parser below refuses a nationtrade body).
"""

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from orchestration.feeds.readers import display_name, source_rows, to_month, to_number
from orchestration.feeds.reference import WORLD, iso2_to_iso3, partner_kinds
from orchestration.feeds.spec import FeedError, FileFormat
from orchestration.settings import SEEDS_DIR

ALL_PRODUCTS = "TOTAL"
COLUMNS = ["period_start", "period_end", "partner_code", "partner_kind", "hs_code", "flow", "value_text",
           "value_usd", "source_row"]
REST_OF_WORLD = "OTHER"
# Partners of the tradedata.go.kr download that are no country; their values stay in the 총계 (WLD) row.
NOT_A_COUNTRY = frozenset({"기타국", "국제통화기금"})  # unspecified countries, the IMF
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
YTD_NAME = re.compile(rf"_(\d{{4}})_({'|'.join(MONTHS)})_({'|'.join(MONTHS)})\.csv$", re.IGNORECASE)
TOTAL_LABELS = frozenset({"총계", "합계"})  # the OpenAPI's total row (some clients report 합계)
GATEWAY_HINTS = {
    "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR": "daily request quota used up; retry tomorrow",
    "SERVICE_KEY_IS_NOT_REGISTERED_ERROR": "service key not registered for this API at data.go.kr",
}


@cache
def korean_names() -> dict[str, str]:
    """Korean partner name as Korea Customs / KOSIS print it -> ISO-3 (seed `country_names_ko.csv`)."""
    with (SEEDS_DIR / "country_names_ko.csv").open(encoding="utf-8", newline="") as f:
        return {r["name_ko"]: r["iso3"] for r in csv.DictReader(f)}


def _frame(start, end, partner, hs_code, flow, value_text, rows, scale: float = 1.0) -> pd.DataFrame:
    """The feed's normalized frame from equal-length sequences; `value_usd` = number × `scale`."""
    frame = pd.DataFrame({
        "period_start": pd.Series(start, dtype="string"), "period_end": pd.Series(end, dtype="string"),
        "partner_code": pd.Series(partner, dtype="string"), "hs_code": pd.Series(hs_code, dtype="string"),
        "flow": pd.Series(flow, dtype="string"), "value_text": pd.Series(value_text, dtype="string"),
        "source_row": pd.Series(rows, dtype="int64")})
    frame["partner_kind"] = frame["partner_code"].map(partner_kinds()).astype("string")
    frame["value_usd"] = to_number(frame["value_text"]) * scale
    return frame[COLUMNS]


def parse_hs_monthly(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """Monthly exports of one HS code: named countries, plus a WLD row per month summing all rows."""
    data = frame.assign(month=to_month(frame["월"]), row=source_rows(frame), value=to_number(frame["수출금액_USD"]))
    code = data["국가코드"].str.strip()
    lacking = sorted(set(data["month"]) - set(data.loc[code == REST_OF_WORLD, "month"]))
    if lacking:
        rows = data.loc[data["month"].isin(lacking), "row"].tolist()
        raise FeedError(display_name(path), "every month has its rest-of-world (OTHER) row",
                        f"months {lacking[:5]} lack it, so their world total would be short", rows)
    world = data.groupby(["month", "HS코드"], sort=True).agg(
        row=("row", "min"), value=("value", lambda v: v.sum(min_count=len(v)))).reset_index()
    countries = data[code != REST_OF_WORLD]
    months = pd.concat([countries["month"], world["month"]]).tolist()
    return _frame(
        months, months,
        [*code[code != REST_OF_WORLD].map(lambda c: iso2_to_iso3().get(c, c)), *[WORLD] * len(world)],
        [*countries["HS코드"].str.strip(), *world["HS코드"].str.strip()],
        ["export"] * len(months),
        [*countries["수출금액_USD"], *world["value"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")],
        [*countries["row"], *world["row"]])


def year_to_date_span(path: Path) -> tuple[str, str]:
    """('2024-01', '2024-06') from a name ending `_2024_jan_jun.csv`: the file itself says only '2024'."""
    match = YTD_NAME.search(path.name)
    first, last = (MONTHS.index(m.lower()) + 1 for m in match.groups()[1:]) if match else (0, 0)
    if not match or first > last:
        raise FeedError(display_name(path), "year-to-date file names its months (…_YYYY_jan_jun.csv)",
                        f"got '{path.name}'")
    return f"{match[1]}-{first:02d}", f"{match[1]}-{last:02d}"


def parse_hs2_country_ytd(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """HS chapter × country, year to date, thousand USD; the `총계` row becomes WLD / TOTAL."""
    start, end = year_to_date_span(path)
    data = frame.assign(row=source_rows(frame), name=frame["국가"].str.strip(), period=frame["기간"].str.strip())
    total = data["period"] == "총계"
    wrong_year = data[~total & (data["period"] != start[:4])]
    if not wrong_year.empty:
        raise FeedError(display_name(path), "기간 is the year the file name gives",
                        f"expected '{start[:4]}', got {sorted(set(wrong_year['period']))[:5]}",
                        wrong_year["row"].tolist())
    data = data[total | ~data["name"].isin(NOT_A_COUNTRY)]
    total = data["period"] == "총계"
    partner = data["name"].map(lambda n: korean_names().get(n, n)).mask(total, WORLD)
    chapter = data["HS코드"].str.strip()
    chapter = chapter.mask(chapter.str.fullmatch(r"\d"), "0" + chapter).mask(total, ALL_PRODUCTS)
    n = len(data)
    return _frame([start] * 2 * n, [end] * 2 * n, [*partner] * 2, [*chapter] * 2,
                  ["export"] * n + ["import"] * n, [*data["수출 금액"], *data["수입 금액"]],
                  [*data["row"]] * 2, scale=1000.0)


class OpenApiError(ValueError):
    """A Korea Customs OpenAPI body that carries no data; `rule` says which rule it broke."""

    def __init__(self, rule: str, detail: str):
        self.rule, self.detail = rule, detail
        super().__init__(f"{rule}: {detail}")


@dataclass(frozen=True)
class OpenApiPage:
    items: list[ET.Element]
    total_count: int | None  # the API's `totalCount` (all pages), None if the body omits it


def read_openapi(body: bytes) -> OpenApiPage:
    """Items of a Korea Customs OpenAPI XML body (nationtrade or nitemtrade). Errors come with HTTP 200:
    `resultCode` != 00 with a Korean `resultMsg`, or a data.go.kr gateway `OpenAPI_ServiceResponse`."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:40]
    if not start.startswith(b"<") or start.lower().startswith((b"<!doctype html", b"<html")):
        raise OpenApiError("response is XML", f"body starts with {start!r}")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise OpenApiError("well-formed XML", str(exc)) from exc
    if root.tag == "OpenAPI_ServiceResponse":
        reason = (root.findtext(".//returnAuthMsg") or "").strip()
        hint = f" ({GATEWAY_HINTS[reason]})" if reason in GATEWAY_HINTS else ""
        raise OpenApiError("OpenAPI response is not an error",
                           f"gateway returnReasonCode {root.findtext('.//returnReasonCode')} {reason}{hint}: "
                           f"{root.findtext('.//errMsg') or ''}")
    code = (root.findtext(".//resultCode") or "").strip()
    if code != "00":
        raise OpenApiError("OpenAPI response is not an error",
                           f"resultCode {code or 'missing'}: {root.findtext('.//resultMsg') or ''}")
    total = (root.findtext(".//totalCount") or "").strip()
    return OpenApiPage(root.findall(".//items/item"), int(total) if total.isdigit() else None)


def parse_nitemtrade(path: Path, _: None) -> pd.DataFrame:
    """Korea Customs OpenAPI `nitemtrade` XML: HS code × country × month, USD; the total row is dropped."""
    try:
        items = read_openapi(path.read_bytes()).items
    except OpenApiError as exc:
        raise FeedError(display_name(path), exc.rule, exc.detail) from exc
    lacking = [i for i, item in enumerate(items, start=1) if item.find("hsCd") is None]
    if lacking:
        raise FeedError(display_name(path), "file is a nitemtrade response (items carry hsCd)",
                        "items without hsCd look like a nationtrade response: those go to "
                        "landing/kcs_monthly_partner/", lacking)
    kept = [(i, {child.tag: (child.text or "").strip() for child in item}) for i, item in enumerate(items, start=1)]
    kept = [(i, item) for i, item in kept if item.get("year") not in TOTAL_LABELS]
    months = to_month(pd.Series([item.get("year", "") for _, item in kept] * 2, dtype="string"))
    partner = [iso2_to_iso3().get(item.get("statCd", ""), item.get("statCd", "")) for _, item in kept]
    return _frame(months, months, partner * 2, [item.get("hsCd", "") for _, item in kept] * 2,
                  ["export"] * len(kept) + ["import"] * len(kept),
                  [item.get("expDlr", "") for _, item in kept] + [item.get("impDlr", "") for _, item in kept],
                  [i for i, _ in kept] * 2)


FORMATS = (
    FileFormat("kcs_hs_monthly_ko", parse_hs_monthly, frozenset({"월", "HS코드", "국가코드"}),
               required=("월", "HS코드", "국가코드", "수출금액_USD")),
    FileFormat("kcs_hs2_country_ytd_ko", parse_hs2_country_ytd, frozenset({"기간", "국가", "HS코드"}),
               required=("기간", "국가", "HS코드", "수출 금액", "수입 금액")),
    FileFormat("kcs_nitemtrade", parse_nitemtrade, suffixes=(".xml",)),
)
