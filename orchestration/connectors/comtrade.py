"""UN Comtrade API v1 client: totals by reporter × partner × flow, landed for raw/partner_reported_trade.

Needs a subscription key in COMTRADE_API_KEY (sent as the `Ocp-Apim-Subscription-Key` header, never in the
URL). Every body is kept by the Client; a body is landed only if it is complete JSON without an error.
"""

import json
import logging
import os
from pathlib import Path
from urllib.parse import urlencode

import dagster as dg

from orchestration.connectors.http import Client, ConnectorError, Response, land

SOURCE = "comtrade"
FEED = "partner_reported_trade"
API_KEY_ENV = "COMTRADE_API_KEY"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
BASE_URL = "https://comtradeapi.un.org/data/v1/get/C/{frequency}/HS"
MAX_PERIODS = 12  # periods per call
ROW_CAP = 100_000  # rows per call on the data endpoint with a key (the public preview endpoint stops at 500)
PERIOD_DIGITS = {"A": 4, "M": 6}

log = logging.getLogger(__name__)


class FetchConfig(dg.Config):
    """What to fetch: Comtrade reporter and partner codes (842 = USA, 156 = China, 410 = Korea, 0 = World)."""

    frequency: str = "A"  # A (annual) or M (monthly)
    reporters: list[int] = [842, 156]
    partners: list[int] = [410]
    flows: list[str] = ["M"]  # X exports, M imports
    periods: list[str]  # "2023" for A, "202401" for M
    cmd_code: str = "TOTAL"


def query_url(config: FetchConfig, periods: list[str]) -> str:
    """The data-endpoint URL for `periods`, restricted to clean totals (no partner2, customs or transport split)."""
    params = {
        "reporterCode": config.reporters,
        "partnerCode": config.partners,
        "flowCode": config.flows,
        "period": periods,
        "cmdCode": [config.cmd_code],
        "partner2Code": [0],
        "customsCode": ["C00"],
        "motCode": [0],
        "includeDesc": ["true"],
    }
    query = urlencode({k: ",".join(map(str, v)) for k, v in params.items()}, safe=",")
    return f"{BASE_URL.format(frequency=config.frequency)}?{query}"


def file_name(config: FetchConfig, periods: list[str]) -> str:
    """Landing file name; names every query dimension so that two different queries never overwrite each other."""
    parts = [config.frequency, config.reporters, config.partners, config.flows, periods]
    return "comtrade_" + "_".join(p if isinstance(p, str) else "-".join(map(str, p)) for p in parts) + ".json"


def check_body(response: Response, saved: Path) -> list:
    """The `data` rows of a usable response; raises ConnectorError naming the rule otherwise."""

    def error(rule: str, detail: str) -> ConnectorError:
        return ConnectorError(SOURCE, rule, detail, saved)

    text = response.body.decode("utf-8", "replace")
    if response.status in (401, 403):
        rule = "API quota not exceeded" if "quota" in text.lower() else "API key accepted"
        raise error(rule, f"HTTP {response.status}: {text[:200]}")
    if response.status != 200:
        raise error("HTTP 200 OK", f"HTTP {response.status}: {text[:200]}")
    if "application/json" not in response.content_type:
        raise error("response is JSON", f"content type '{response.content_type}': {text[:200]}")
    try:
        body = json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error("response is well-formed JSON", str(exc)) from exc
    if not isinstance(body, dict):
        raise error("response is a JSON object", f"got {type(body).__name__}")
    if body.get("error"):
        raise error("API reports no error", str(body["error"]))
    data, count = body.get("data"), body.get("count")
    if not isinstance(data, list):
        raise error("response has a data list", f"keys {sorted(body)}")
    if len(data) >= ROW_CAP or (isinstance(count, int) and count >= ROW_CAP):
        raise error(
            "result not truncated at the API row cap",
            f"count {count}, {len(data)} rows, cap {ROW_CAP}: split the query",
        )
    if count != len(data):
        raise error("count matches the data rows", f"count {count}, {len(data)} rows")
    return data


def fetch(config: FetchConfig, client: Client, landing: Path) -> list[Path]:
    """Fetch `config` (at most MAX_PERIODS periods per call) and land the good, non-empty bodies unchanged in
    `landing/partner_reported_trade/`, only once every call succeeded (all or nothing, like the other
    connectors). Returns the landed paths; raises ConnectorError on the first bad body."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise ConnectorError(SOURCE, f"API key set in {API_KEY_ENV}", "export the Comtrade subscription key")
    digits = PERIOD_DIGITS.get(config.frequency)
    bad = [p for p in config.periods if not (p.isdigit() and len(p) == digits)]
    if digits is None or bad or not config.periods:
        raise ConnectorError(
            SOURCE,
            "periods match the frequency (A: YYYY, M: YYYYMM)",
            f"frequency {config.frequency!r}, periods {bad or config.periods}",
        )
    periods = sorted(set(config.periods))
    found: list[tuple[str, bytes]] = []
    for start in range(0, len(periods), MAX_PERIODS):
        chunk = periods[start : start + MAX_PERIODS]
        name = file_name(config, chunk)
        try:
            response, saved = client.get(
                query_url(config, chunk), name.removesuffix(".json"), headers={KEY_HEADER: key}, suffix=".json"
            )
        except ConnectorError as exc:  # 429 that never cleared: a spent quota deserves its own rule
            if exc.saved and b"quota" in exc.saved.read_bytes().lower():
                raise ConnectorError(SOURCE, "API quota not exceeded", exc.detail, exc.saved) from exc
            raise
        if not check_body(response, saved):
            log.warning("comtrade: no rows for %s (raw body kept at %s); nothing landed", name, saved)
            continue
        found.append((name, response.body))
    return [land(landing, FEED, name, body) for name, body in found]
