"""The frame every format of raw/partner_reported_trade parses to (Comtrade, IMF IMTS and DOTS, US Census/FRED).

A parser extracts PARSED_COLUMNS (reporter_code, partner_code, flow, frequency, period 'YYYY-MM' or 'YYYY',
value_text, valuation FOB/CIF, source_row); `normalized()` adds both kinds, value_usd and source.
"""

import pandas as pd

from orchestration.feeds.readers import with_kinds_and_value

FRAME_COLUMNS = [
    "reporter_code",
    "reporter_kind",
    "partner_code",
    "partner_kind",
    "flow",
    "frequency",
    "period",
    "value_text",
    "value_usd",
    "valuation",
    "source",
    "source_row",
]
PARSED_COLUMNS = [
    "reporter_code",
    "partner_code",
    "flow",
    "frequency",
    "period",
    "value_text",
    "valuation",
    "source_row",
]


def normalized(raw: pd.DataFrame, source: str, scale: float = 1.0) -> pd.DataFrame:
    """The feed's frame from PARSED_COLUMNS: reporter and partner kinds (NA when unknown), value_usd =
    value_text × scale, and the source."""
    frame = raw.reset_index(drop=True).astype({c: "int64" if c == "source_row" else "string" for c in PARSED_COLUMNS})
    frame = with_kinds_and_value(frame, codes=("reporter", "partner"), scale=scale)
    frame["source"] = pd.Series(source, index=frame.index, dtype="string")
    return frame[FRAME_COLUMNS]
