"""raw/kosis_annual_partner: annual exports/imports by partner (~240 partners) and the world total.

Format: the KOSIS table as redistributed by kdiplo (formats/kosis.py); only KOSIS values are used.

Gates (orchestration/feeds/gates.py): no year after the file's vintage or before 1965 (the first KOSIS year of the
feed, data/sample/PROVENANCE.md); a revision moves the world by at most 5 % and a country by 25 % (or 50 mn USD);
a new year's world total lies within 1/10…10× the median of the previous 5 years (the sample: 0.69…4.2×, 1974).
Countries' new years are not judged: real annual partner values move far more (imports from Iran in 2021 were
1/719 of their 2016–2020 median, ships sold to one registry can be 40× a usual year).
"""

from datetime import date

from orchestration.feeds.formats import kosis
from orchestration.feeds.spec import FeedSpec, Plausibility, ReleaseStream

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
    period="make_date(year, 1, 1)",
    earliest_period=date(1965, 1, 1),
    plausibility=Plausibility(
        key=("partner_code", "flow"), floor=50e6, step_months=12, history=5, min_history=3, judge="kind = 'world'"
    ),
    calendar=(
        ReleaseStream(
            "annual trade by partner",
            "Statistics Korea (KOSIS), from Korea Customs",
            "year",
            lag_days=59,
            basis="our reading: a year is complete once customs' final December figures are out (mid-February); "
            "KOSIS's table follows, so it is due by the end of February",
            grace_days=30,
            far_behind=2,
        ),
    ),
)
