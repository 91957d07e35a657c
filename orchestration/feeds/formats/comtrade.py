"""UN Comtrade API v1 (`/data/v1/get/C/{A|M}/HS`) JSON bodies -> partner_reported_trade rows.

Envelope `{elapsedTime, count, data: [...], error}`; each row has Comtrade's 47 fields. Only clean totals
are kept (partner2Code 0, customsCode C00, motCode 0, cmdCode TOTAL) and only flows X and M (re-exports RX
and re-imports RM are dropped). Codes are Comtrade's M49-like numbers with exceptions (see CODE_EXCEPTIONS).
"""

import json
from pathlib import Path

import pandas as pd

from orchestration.feeds.formats.partner_reported import PARSED_COLUMNS, normalized
from orchestration.feeds.readers import source_file
from orchestration.feeds.reference import WORLD, m49_to_iso3
from orchestration.feeds.spec import FeedError, FileFormat

SOURCE = "UN_COMTRADE"
ANNUAL_MONTH = "52"  # refMonth of annual rows
CLEAN_TOTAL = {"partner2Code": "0", "customsCode": "C00", "motCode": "0", "cmdCode": "TOTAL"}
FLOWS = {"X": ("export", "FOB"), "M": ("import", "CIF")}
# Comtrade codes that differ from ISO 3166 numeric (the seed's m49 column); 490 "Other Asia, nes" is Taiwan.
CODE_EXCEPTIONS = {
    "0": WORLD,
    "842": "USA",
    "490": "TWN",
    "699": "IND",
    "251": "FRA",
    "757": "CHE",
    "579": "NOR",
    "410": "KOR",
    "156": "CHN",
}


def area_code(code: str) -> str:
    """Comtrade reporter/partner number -> ISO-3 (or WLD); an unknown number is returned unchanged."""
    return CODE_EXCEPTIONS.get(code) or m49_to_iso3().get(code.zfill(3), code)


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def _read(path: Path) -> list[dict]:
    """The `data` rows of a Comtrade body, numbers kept as their original text."""
    name = source_file(path)
    try:
        body = json.loads(path.read_bytes(), parse_int=str, parse_float=str)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(name, "Comtrade response is well-formed JSON", str(exc)) from exc
    if not isinstance(body, dict):
        raise FeedError(name, "Comtrade response is a JSON object", f"got {type(body).__name__}")
    if body.get("error"):
        raise FeedError(name, "Comtrade response is not an error", str(body["error"]))
    data = body.get("data")
    if not isinstance(data, list):
        raise FeedError(name, "Comtrade response has a data list", f"keys {sorted(body)}")
    if not all(isinstance(row, dict) for row in data):
        raise FeedError(name, "Comtrade data rows are JSON objects")
    if body.get("count") is not None and str(body["count"]) != str(len(data)):
        raise FeedError(name, "Comtrade count matches the data rows", f"count {body['count']}, {len(data)} rows")
    return data


def parse_comtrade_json(path: Path, _: None) -> pd.DataFrame:
    """Parse one Comtrade v1 response body; `source_row` is the 1-based index in its `data` array."""
    records = []
    for number, row in enumerate(_read(path), start=1):
        flow = FLOWS.get(_text(row, "flowCode"))
        if flow is None or any(_text(row, k) != v for k, v in CLEAN_TOTAL.items()):
            continue
        year, month = _text(row, "refYear"), _text(row, "refMonth")
        annual = month == ANNUAL_MONTH
        records.append(
            {
                "reporter_code": area_code(_text(row, "reporterCode")),
                "partner_code": area_code(_text(row, "partnerCode")),
                "flow": flow[0],
                "frequency": "year" if annual else "month",
                "period": year if annual else f"{year}-{month.zfill(2)}",
                "value_text": row.get("primaryValue"),
                "valuation": flow[1],
                "source_row": number,
            }
        )
    return normalized(pd.DataFrame.from_records(records, columns=PARSED_COLUMNS), SOURCE)


FORMATS = (FileFormat("comtrade_json", parse_comtrade_json, suffixes=(".json",)),)
