"""raw/firm_size_exports: exports by firm size, destination and year, with exporter counts.

Formats: the warehouse's documented feed form of published figures (formats/firm_size.py) and OECD TEC
SDMX-CSV (formats/oecd_tec.py).
"""

from orchestration.feeds.formats import firm_size, oecd_tec
from orchestration.feeds.spec import FeedSpec, ReleaseStream

FIRM_SIZE_EXPORTS = FeedSpec(
    name="firm_size_exports",
    description="Exports and exporter counts by firm size, destination and year (published statistics)",
    # `release` is the publisher's label (preliminary/provisional/published/…) and `release_date` the day the
    # figure was released (NULL if the file does not say); `vintage`, as in every raw feed, is the file's
    # date (orchestration/vintages.py)
    columns={
        "source": "VARCHAR",
        "release": "VARCHAR",
        "release_date": "DATE",
        "year": "INTEGER",
        "period": "VARCHAR",
        "firm_size": "VARCHAR",
        "destination_code": "VARCHAR",
        "measure": "VARCHAR",
        "value": "DOUBLE",
        "unit": "VARCHAR",
        "publisher": "VARCHAR",
        "citation_url": "VARCHAR",
        "note": "VARCHAR",
    },
    select="""f.source, f.release, CAST(f.release_date_value AS DATE), CAST(f.year_number AS INTEGER), f.period,
              f.firm_size, f.destination_code, f.measure, f.value_number, f.unit, f.publisher, f.citation_url,
              f.note""",
    formats=(*firm_size.FORMATS, *oecd_tec.FORMATS),
    # gates (orchestration/feeds/gates.py): no year after the file's vintage, no release date after it
    period="make_date(year, 1, 1)",
    release_date="release_date",
    calendar=(
        ReleaseStream(
            "SME exports (MSS)",
            "Ministry of SMEs and Startups",
            "year",
            lag_days=31,
            basis="MSS releases the year's SME exports in late January (2025-01-23 for 2024, 2026-01-28 for 2025)",
            rows="source = 'MSS'",
            grace_days=30,
            far_behind=2,
        ),
        ReleaseStream(
            "trade by enterprise characteristics",
            "Statistics Korea and Korea Customs (KOSTAT_TEC)",
            "year",
            lag_days=41,
            basis="the preliminary TEC release of 2025 came out on 2026-02-10",
            rows="source = 'KOSTAT_TEC'",
            grace_days=30,
            far_behind=2,
        ),
    ),
)
