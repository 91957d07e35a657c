"""IMF IMTS (International Trade in Goods by partner country) through the IMF SDMX 3.0 API, as SDMX-CSV.

One request per reporter x indicator (all counterparts in one key); every body is kept raw by the Client.
Only when every response is good SDMX-CSV are the bodies copied, unchanged, to
`landing/partner_reported_trade/imf_imts_<reporter>_<indicator>_<freq>_<start>_<end>.csv`, where the
`imf_imts_sdmx_csv` format parses them. A response without observations lands nothing.
IMF_API_KEY (optional) is sent as the `Ocp-Apim-Subscription-Key` header, never in the URL.
"""

import csv
import io
import logging
import os
from pathlib import Path

import dagster as dg

from orchestration.connectors.http import Client, ConnectorError, Response, land
from orchestration.feeds.formats.imf import HTML_RULE, IMTS_REQUIRED, SDMX_ML_RULE, markup_rule

SOURCE = "imf"
FEED = "partner_reported_trade"
API_KEY_ENV = "IMF_API_KEY"
ACCEPT = "application/vnd.sdmx.data+csv;version=2.0.0"
BASE_URL = "https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+"
TYPE_RULES = (("html", HTML_RULE), ("xml", SDMX_ML_RULE))  # by content type, when the body's start does not tell

log = logging.getLogger(__name__)


class FetchConfig(dg.Config):
    """Which IMTS series to fetch: ISO-3 reporters and counterparts (G001 = world), indicators (XG_FOB_USD,
    MG_CIF_USD), frequency A or M, and the first and last period (YYYY, or YYYY-MM for monthly data)."""

    reporters: list[str] = ["USA", "CHN"]
    counterparts: list[str] = ["KOR"]
    indicators: list[str] = ["MG_CIF_USD"]
    frequency: str = "A"
    start: str = "2020"
    end: str = "2024"


def data_url(reporter: str, indicator: str, counterparts: list[str], frequency: str, start: str, end: str) -> str:
    """SDMX 3.0 data query: key COUNTRY.INDICATOR.COUNTERPART_COUNTRY.FREQUENCY ('+' = or), dataflow version
    '+' (latest stable), time range as a component filter (`ge:`/`le:` joined by '+' = and).
    To be verified against the live API: the version wildcard and the TIME_PERIOD filter syntax."""
    key = f"{reporter}.{indicator}.{'+'.join(counterparts)}.{frequency}"
    return f"{BASE_URL}/{key}?c%5BTIME_PERIOD%5D=ge:{start}+le:{end}"


def fetch(config: FetchConfig, client: Client, landing: Path) -> list[Path]:
    """Fetch every reporter x indicator; land the good bodies only if all are good. Returns the landed files."""
    headers = {"Accept": ACCEPT}
    if os.environ.get(API_KEY_ENV):
        headers["Ocp-Apim-Subscription-Key"] = os.environ[API_KEY_ENV]
    good = []
    for reporter in config.reporters:
        for indicator in config.indicators:
            name = f"imf_imts_{reporter}_{indicator}_{config.frequency}_{config.start}_{config.end}"
            url = data_url(reporter, indicator, config.counterparts, config.frequency, config.start, config.end)
            response, saved = client.get(url, name, headers, suffix=".csv")
            if has_observations(response, saved):
                good.append((name, response.body))
            else:
                log.warning("IMF IMTS %s: no observations, nothing to land (raw kept at %s)", name, saved)
    return [land(landing, FEED, f"{name}.csv", body) for name, body in good]


def has_observations(response: Response, saved: Path) -> bool:
    """Check one response: raise ConnectorError if it is unusable, return False if it holds no observations."""
    if response.status >= 400:
        raise ConnectorError(
            SOURCE,
            "IMF answers the query (no HTTP 4xx)",
            f"HTTP {response.status}: {response.body[:200].decode('utf-8', 'replace')}",
            saved,
        )
    rule = markup_rule(response.body) or next((r for kind, r in TYPE_RULES if kind in response.content_type), None)
    if rule:
        raise ConnectorError(SOURCE, rule, f"content type '{response.content_type}'", saved)
    text = response.body.decode("utf-8-sig", "replace")
    if not text.strip():
        return False
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in IMTS_REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ConnectorError(SOURCE, "SDMX-CSV has the IMTS columns", f"missing {missing}", saved)
    return any((row["OBS_VALUE"] or "").strip() not in ("", "NaN") for row in reader)
