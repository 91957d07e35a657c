"""Korea Customs Service OpenAPI (data.go.kr `1220000`) XML bodies: the one reader of both operations.

  kcs_nationtrade  국가별 수출입실적, a country's monthly totals    -> raw/kcs_monthly_partner (kcs_partner.frame)
  kcs_nitemtrade   품목별 국가별 수출입실적, HS code × country × month -> raw/kcs_product_partner (kcs_products.frame)

Items carry `year` (`YYYY.MM`), `statCd` (ISO-2), `expDlr`, `impDlr` (USD) and, for nitemtrade, `hsCd`. Errors
come with HTTP 200: `resultCode` other than 00 with a Korean `resultMsg`, or a data.go.kr gateway
`OpenAPI_ServiceResponse`. A range query adds a total row (`year` 총계, some clients 합계), which is dropped.
The live client is orchestration/connectors/kcs_openapi.py; it lands bodies that pass `read_openapi`.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orchestration.feeds.formats import kcs_partner, kcs_products
from orchestration.feeds.readers import markup, source_file, to_month
from orchestration.feeds.reference import iso2_to_iso3
from orchestration.feeds.spec import FeedError, FileFormat

TOTAL_LABELS = frozenset({"총계", "합계"})
GATEWAY_HINTS = {
    "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR": "daily request quota used up; retry tomorrow",
    "SERVICE_KEY_IS_NOT_REGISTERED_ERROR": "service key not registered for this API at data.go.kr",
}


class OpenApiError(ValueError):
    """A Korea Customs OpenAPI body that carries no data; `rule` says which rule it broke."""

    def __init__(self, rule: str, detail: str):
        self.rule, self.detail = rule, detail
        super().__init__(f"{rule}: {detail}")


@dataclass(frozen=True)
class OpenApiPage:
    items: list[dict[str, str]]  # each item's fields as text, in the body's order (total rows included)
    total_count: int | None  # the API's `totalCount` (all pages), None if the body omits it


def read_openapi(body: bytes) -> OpenApiPage:
    """The items of a Korea Customs OpenAPI XML body; raises OpenApiError for anything else."""
    if markup(body[:512]) != "xml":
        raise OpenApiError("response is XML", f"body starts with {body.lstrip()[:40]!r}")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise OpenApiError("well-formed XML", str(exc)) from exc
    if root.tag == "OpenAPI_ServiceResponse":
        reason = (root.findtext(".//returnAuthMsg") or "").strip()
        hint = f" ({GATEWAY_HINTS[reason]})" if reason in GATEWAY_HINTS else ""
        raise OpenApiError(
            "OpenAPI response is not an error",
            f"gateway returnReasonCode {root.findtext('.//returnReasonCode')} {reason}{hint}: "
            f"{root.findtext('.//errMsg') or ''}",
        )
    code = (root.findtext(".//resultCode") or "").strip()
    if code != "00":
        raise OpenApiError(
            "OpenAPI response is not an error", f"resultCode {code or 'missing'}: {root.findtext('.//resultMsg') or ''}"
        )
    total = (root.findtext(".//totalCount") or "").strip()
    items = [{child.tag: (child.text or "").strip() for child in item} for item in root.findall(".//items/item")]
    return OpenApiPage(items, int(total) if total.isdigit() else None)


def _items(path: Path, operation: str, by_product: bool) -> list[tuple[int, dict[str, str]]]:
    """(item number, fields) of the data items of a file of `operation`; the total row dropped."""
    try:
        items = read_openapi(path.read_bytes()).items
    except OpenApiError as exc:
        raise FeedError(source_file(path), exc.rule, exc.detail) from exc
    wrong = [i for i, item in enumerate(items, start=1) if ("hsCd" in item) != by_product]
    if wrong:
        other, feed = ("nationtrade", "kcs_monthly_partner") if by_product else ("nitemtrade", "kcs_product_partner")
        carry = "carry hsCd" if by_product else "carry no hsCd"
        raise FeedError(
            source_file(path),
            f"file is a {operation} response (items {carry})",
            f"these items look like a {other} response: those go to landing/{feed}/",
            wrong,
        )
    return [(i, item) for i, item in enumerate(items, start=1) if item.get("year") not in TOTAL_LABELS]


def _partner(item: dict[str, str]) -> str:
    code = item.get("statCd", "")
    return iso2_to_iso3().get(code, code)


def _long(kept: list[tuple[int, dict[str, str]]], field: str) -> list[str]:
    """`field` of every kept item, once for the export rows and once for the import rows."""
    return [item.get(field, "") for _, item in kept] * 2


def _flows(kept: list[tuple[int, dict[str, str]]]) -> tuple[list[str], list[str], list[int]]:
    """(flow, value text, item number) of the export rows, then the import rows."""
    flows = ["export"] * len(kept) + ["import"] * len(kept)
    values = [item.get("expDlr", "") for _, item in kept] + [item.get("impDlr", "") for _, item in kept]
    return flows, values, [i for i, _ in kept] * 2


def parse_nationtrade(path: Path, _: None) -> pd.DataFrame:
    """Monthly exports and imports by country (USD) -> the partner-totals frame."""
    kept = _items(path, "nationtrade", by_product=False)
    partners = [_partner(item) for _, item in kept] * 2
    return kcs_partner.frame(_long(kept, "year"), partners, *_flows(kept))


def parse_nitemtrade(path: Path, _: None) -> pd.DataFrame:
    """Monthly exports and imports by HS code × country (USD) -> the products frame."""
    kept = _items(path, "nitemtrade", by_product=True)
    months = to_month(pd.Series(_long(kept, "year"), dtype="string"))
    partners = [_partner(item) for _, item in kept] * 2
    flows, values, rows = _flows(kept)
    return kcs_products.frame(months, months, partners, _long(kept, "hsCd"), flows, values, rows)


NATIONTRADE = FileFormat("kcs_nationtrade", parse_nationtrade, suffixes=(".xml",))
NITEMTRADE = FileFormat("kcs_nitemtrade", parse_nitemtrade, suffixes=(".xml",))
