"""Korea Customs Service OpenAPI at data.go.kr (`1220000`): `nationtrade` and `nitemtrade`, XML only.

  nationtrade  국가별 수출입실적: one country's monthly totals      -> landing/kcs_monthly_partner/
  nitemtrade   품목별 국가별 수출입실적: one HS code × one country  -> landing/kcs_product_partner/

One call covers at most 12 months, so longer ranges are split; a page that holds fewer items than
`totalCount` is followed by the next pages (`numOfRows`, `pageNo`). Errors come with HTTP 200 (see
`read_openapi`). Every body is kept by the Client; the good ones land unchanged, one file per call
and page, and only when every call of the fetch succeeded (all or nothing).
The service key comes from KCS_SERVICE_KEY and never reaches file names, metadata or messages.
"""

import os
import re
import urllib.parse
from pathlib import Path

import dagster as dg

from orchestration.connectors.http import Client, ConnectorError, Response, land
from orchestration.feeds.formats.kcs_openapi import OpenApiError, OpenApiPage, read_openapi

SOURCE = "kcs_openapi"
API_KEY_ENV = "KCS_SERVICE_KEY"
BASE_URL = "https://apis.data.go.kr/1220000"
OPERATIONS = {  # operation -> (path, landing feed)
    "nationtrade": ("nationtrade/getNationtradeList", "kcs_monthly_partner"),
    "nitemtrade": ("nitemtrade/getNitemtradeList", "kcs_product_partner"),
}
MAX_MONTHS = 12  # per call
ROWS_PER_PAGE = 1000
YYYYMM = re.compile(r"^\d{4}(0[1-9]|1[0-2])$")


class FetchConfig(dg.Config):
    operation: str = "nationtrade"  # or "nitemtrade"
    start: str  # first month, YYYYMM
    end: str  # last month, YYYYMM
    countries: list[str] = ["US", "CN"]  # ISO-2 (cntyCd)
    hs_codes: list[str] = []  # nitemtrade only (hsSgn)


def _month(index: int) -> str:
    return f"{index // 12}{index % 12 + 1:02d}"


def month_windows(start: str, end: str) -> list[tuple[str, str]]:
    """Split YYYYMM `start` … `end` into spans of at most 12 months."""
    first, last = (int(m[:4]) * 12 + int(m[4:]) - 1 for m in (start, end))
    return [(_month(i), _month(min(i + MAX_MONTHS - 1, last))) for i in range(first, last + 1, MAX_MONTHS)]


def _check(config: FetchConfig) -> None:
    problems = []
    if config.operation not in OPERATIONS:
        problems.append(f"unknown operation '{config.operation}' (use {sorted(OPERATIONS)})")
    if not (YYYYMM.match(config.start) and YYYYMM.match(config.end) and config.start <= config.end):
        problems.append(f"start/end must be YYYYMM with start <= end, got {config.start}…{config.end}")
    if not config.countries:
        problems.append("countries is empty")
    if config.operation == "nitemtrade" and not config.hs_codes:
        problems.append("nitemtrade needs hs_codes")
    if config.operation == "nationtrade" and config.hs_codes:
        problems.append("hs_codes apply to nitemtrade only")
    if problems:
        raise ConnectorError(SOURCE, "fetch config is valid", "; ".join(problems))


class _Secret:
    """The service key, as sent (URL-encoded once, whether the env holds the encoded or decoded key)."""

    def __init__(self):
        raw = os.environ.get(API_KEY_ENV, "").strip()
        if not raw:
            raise ConnectorError(
                SOURCE,
                f"service key set in {API_KEY_ENV}",
                "export the data.go.kr service key for 관세청 nationtrade/nitemtrade",
            )
        self.forms = {raw, urllib.parse.unquote(raw)}
        self.quoted = urllib.parse.quote(urllib.parse.unquote(raw), safe="")
        self.forms.add(self.quoted)

    def scrub(self, text: str) -> str:
        for form in sorted(self.forms, key=len, reverse=True):
            text = text.replace(form, "***")
        return text


def _reject(key: _Secret, rule: str, detail: str, saved: Path) -> ConnectorError:
    return ConnectorError(SOURCE, rule, key.scrub(detail), saved)


def _read(response: Response, saved: Path, key: _Secret) -> OpenApiPage:
    try:
        page = read_openapi(response.body)
    except OpenApiError as exc:
        raise _reject(key, exc.rule, f"{exc.detail} (HTTP {response.status})", saved) from exc
    if response.status != 200:
        raise _reject(key, "server answers HTTP 200", f"HTTP {response.status}", saved)
    return page


def _pages(client: Client, key: _Secret, url: str, name: str) -> list[bytes]:
    """Bodies of every page of one query ([] if it has no rows); all items must arrive."""
    bodies, count, page_no = [], 0, 1
    while True:
        response, saved = client.get(
            f"{url}&numOfRows={ROWS_PER_PAGE}&pageNo={page_no}", f"{name}_p{page_no}", suffix=".xml"
        )
        page = _read(response, saved, key)
        if response.body in bodies:
            raise _reject(key, "all rows returned (totalCount)", f"page {page_no} repeats an earlier page", saved)
        count += len(page.items)
        if page.items:
            bodies.append(response.body)
        if not page.items or page.total_count is None or count >= page.total_count:
            break
        page_no += 1
    if page.total_count is not None and count != page.total_count:
        raise _reject(key, "all rows returned (totalCount)", f"{count} items for totalCount {page.total_count}", saved)
    return bodies


def fetch(config: FetchConfig, client: Client, landing: Path) -> list[Path]:
    """Call the API for every country (× HS code) and ≤12-month window; land the bodies; return their paths."""
    _check(config)
    key = _Secret()
    path, feed = OPERATIONS[config.operation]
    found: list[tuple[Path, bytes]] = []
    for country in config.countries:
        for hs in config.hs_codes or [None]:
            for start, end in month_windows(config.start, config.end):
                params = {"strtYymm": start, "endYymm": end, "cntyCd": country} | ({"hsSgn": hs} if hs else {})
                url = f"{BASE_URL}/{path}?serviceKey={key.quoted}&{urllib.parse.urlencode(params)}"
                name = "_".join(["kcs", config.operation, country, *([hs] if hs else []), start, end])
                bodies = _pages(client, key, url, name)
                found += [(f"{name}{f'_p{i}' if i > 1 else ''}.xml", body) for i, body in enumerate(bodies, start=1)]
    return [land(landing, feed, name, body) for name, body in found]
