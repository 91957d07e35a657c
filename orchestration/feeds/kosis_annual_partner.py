"""raw/kosis_annual_partner: annual exports/imports by partner (~240 partners) and the world total.

Format: the KOSIS table as redistributed by kdiplo (formats/kosis.py); only KOSIS values are used.
"""

from orchestration.feeds.formats import kosis
from orchestration.feeds.spec import FeedSpec

KOSIS_ANNUAL_PARTNER = FeedSpec(
    name="kosis_annual_partner",
    description="KOSIS annual exports/imports by partner and world total (customs basis, USD)",
    columns={
        "year": "INTEGER",
        "partner_code": "VARCHAR",
        "partner_kind": "VARCHAR",
        "flow": "VARCHAR",
        "value_usd": "DOUBLE",
    },
    select="CAST(f.year_number AS INTEGER), f.partner_code, f.partner_kind, f.flow, f.value_usd",
    formats=kosis.FORMATS,
)
