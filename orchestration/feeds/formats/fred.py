"""US imports from Korea, monthly, for raw/partner_reported_trade: U.S. Census Bureau (FT-900) series IMPKR
(`U.S. Imports of Goods by Customs Basis from Korea`) as redistributed by FRED.

fred_us_imports  CSV `date, canada_imports, uk_exports, …, korea_imports, …` (one column per FRED series, millions
                 of USD, not seasonally adjusted, `date` = `YYYY-MM-01`). Only `korea_imports` is read: reporter USA,
                 partner KOR, flow import, frequency month; value x 1e6; empty cells are skipped.
                 Valuation is FOB, not CIF: Census "general imports, customs basis" are valued at the customs value
                 (the price actually paid, excluding import duties, freight, insurance and other charges of bringing
                 the goods to the US), i.e. without the CIF charges; the IMF's US imports CIF add them.
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.formats.partner_reported import PARSED_COLUMNS, normalized
from orchestration.feeds.readers import source_rows, to_month
from orchestration.feeds.spec import FileFormat


def parse_us_imports(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    data = data.assign(source_row=source_rows(data))
    rows = data[data["korea_imports"].str.strip() != ""]
    return normalized(
        pd.DataFrame(
            {
                "reporter_code": "USA",
                "partner_code": "KOR",
                "flow": "import",
                "frequency": "month",
                "period": to_month(rows["date"]),
                "value_text": rows["korea_imports"],
                "valuation": "FOB",
                "source_row": rows["source_row"],
            },
            index=rows.index,
            columns=PARSED_COLUMNS,
        ),
        "US_CENSUS_FRED",
        scale=1e6,
    )


FORMATS = (FileFormat("fred_us_imports", parse_us_imports, frozenset({"date", "korea_imports"})),)
