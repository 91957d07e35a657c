"""raw/kcs_monthly_partner: Korea Customs monthly exports (and imports) by partner, customs basis.

Formats: the shipped CSV forms (world, five partners, nine partners, every country) and the canonical long form,
CSV or bulk parquet (formats/kcs_partner.py), Korea Customs OpenAPI `nationtrade` XML (formats/kcs_openapi.py), the
published releases of the ministry and customs and customs' provisional totals (formats/kcs_releases.py: each row
its own vintage, its release type, rounding and growth rate; a release may print a year); all normalize to period ×
frequency × partner × flow × hs_code (`TOTAL` = all products).

Gates declared here besides the checks (orchestration/feeds/gates.py, docs/gates.md): no month after the file's
vintage or before 1990-01 (the first month of the KCS series of the feed, data/sample/PROVENANCE.md); per month ×
partner × flow, valued as the marts value it (the all-products row, else the sum of the product rows of one file),
a revision moves world and group values by at most 5 % and countries by 25 % (or 5 mn USD; the largest real
revisions in the sample, the ministry's preliminary figures against the final statistics, are 0.64 % for the world
and 1.13 % for a country), and a first release of a month lies within 1/10…10× the median of the previous 12 months
(the sample's months lie within 0.52…1.90×), except countries below a 1 bn USD monthly median.
"""

from datetime import date

from orchestration.feeds.formats import kcs_openapi, kcs_partner, kcs_releases
from orchestration.feeds.reference import ALL_PRODUCTS
from orchestration.feeds.spec import FeedSpec, Plausibility, ReleaseStream, SqlCheck

KCS_MONTHLY_PARTNER = FeedSpec(
    name="kcs_monthly_partner",
    description="Korea Customs monthly exports/imports by partner (customs basis, USD)",
    columns={
        "period": "DATE",
        "frequency": "VARCHAR",  # `month`; `year` for an annual figure of a published release
        "partner_code": "VARCHAR",
        "partner_kind": "VARCHAR",
        "flow": "VARCHAR",
        "hs_code": "VARCHAR",
        "value_usd": "DOUBLE",
        # published monthly releases (formats/kcs_releases.py); a statistics file: published, the rest NULL
        "value_basis": "VARCHAR",
        "release_type": "VARCHAR",
        "yoy_pct": "DOUBLE",
        "precision_usd": "DOUBLE",
        "publisher": "VARCHAR",
        "citation_url": "VARCHAR",
    },
    select="CAST(f.period || '-01' AS DATE), f.frequency, f.partner_code, f.partner_kind, f.flow, f.hs_code, "
    "f.value_usd, f.value_basis, f.release_type, f.yoy_pct, f.precision_usd, f.publisher, f.citation_url",
    # releases before nine markets (both have `region_code`)
    formats=(kcs_releases.RELEASES, kcs_releases.PROVISIONAL, *kcs_partner.FORMATS, kcs_openapi.NATIONTRADE),
    checks=(
        SqlCheck(
            "overlapping months of the same vintage agree (within 1,000 USD)",
            # only months that several files of one vintage cover can disagree: the ledger knows which. Published
            # releases are rounded as printed: their same-day disagreements are reported (marts.export_vintages)
            """WITH shared AS (
                 SELECT period, vintage FROM (SELECT unnest(months) AS period, vintage, path FROM {ledger}
                                              WHERE feed = 'kcs_monthly_partner')
                 GROUP BY ALL HAVING count(DISTINCT path) > 1),
               disagreeing AS (
                 SELECT period, partner_code, flow, hs_code, vintage
                 FROM {table} SEMI JOIN shared USING (period, vintage) WHERE release_type IS NULL
                 GROUP BY ALL HAVING max(value_usd) - min(value_usd) > 1000)
               SELECT t.source_file, t.source_row, t.period, t.partner_code, t.flow, t.value_usd
               FROM {table} t JOIN disagreeing USING (period, partner_code, flow, hs_code, vintage)
               WHERE t.release_type IS NULL
               ORDER BY t.period, t.partner_code, t.source_file""",
        ),
        SqlCheck(
            "a country's value never exceeds the world total of the same month and flow",
            # one aggregation finds the (month, flow, product) groups that break the rule; rows only for those
            """WITH bad AS (
                 SELECT period, frequency, flow, hs_code FROM {table} GROUP BY ALL
                 HAVING max(value_usd) FILTER (WHERE partner_kind = 'country')
                        > min(value_usd) FILTER (WHERE partner_kind = 'world'))
               SELECT c.source_file, c.source_row, w.source_file AS other_file, w.source_row AS other_row,
                      c.period, c.frequency, c.partner_code, c.flow, c.value_usd, w.value_usd AS world_value_usd
               FROM {table} c SEMI JOIN bad USING (period, frequency, flow, hs_code)
               JOIN {table} w USING (period, frequency, flow, hs_code)
               WHERE c.partner_kind = 'country' AND w.partner_kind = 'world' AND c.value_usd > w.value_usd""",
        ),
        SqlCheck(
            "a derived figure is not dated before the release it needs",
            # a month derived from a cumulative (January = January-February minus February) exists only once the
            # next month's cumulative is out, after that month ends: a vintage before then is a date it never had
            """SELECT source_file, source_row,
                      'value derived from a cumulative for ' || strftime(period, '%Y-%m') || ' dated '
                      || strftime(vintage, '%Y-%m-%d') || ': the cumulative through '
                      || strftime(period + INTERVAL 1 MONTH, '%Y-%m') || ' it needs is out at the earliest on '
                      || strftime(period + INTERVAL 2 MONTH, '%Y-%m-%d') AS why
               FROM {table}
               WHERE list_contains({changed}, source_file) AND frequency = 'month'
                 AND value_basis = 'derived from a cumulative' AND vintage < period + INTERVAL 2 MONTH
               ORDER BY source_file, source_row""",
        ),
    ),
    month_column="period",
    earliest_period=date(1990, 1, 1),
    plausibility=Plausibility(
        key=("partner_code", "flow", "frequency"),
        # a file's value of a partner-month: its all-products row, else the sum of its product rows (HS codes)
        value=f"""coalesce(any_value(value_usd) FILTER (WHERE hs_code = '{ALL_PRODUCTS}'),
                           sum(value_usd) FILTER (WHERE hs_code <> '{ALL_PRODUCTS}'))""",
        floor=5e6,
        # a country's months swing beyond 10x below ~1 bn USD a month (ships to flags of convenience, LNG cargoes:
        # Bahamas 1.6 -> 236 mn, Qatar imports 736 -> 28 mn in 2025-2026); a unit slip there breaks the world rule
        min_median={"country": 1e9},
        judge="frequency = 'month'",  # a release's annual figure: its revisions are judged, not its level
    ),
    calendar=(
        ReleaseStream(
            "preliminary world total",
            "MOTIE / MOTIR (수출입 동향), Korea Customs' provisional totals",
            "month",
            lag_days=1,
            basis="the ministry's preliminary release on the 1st of the next month (data/sample/PROVENANCE.md)",
            rows="release_type = 'preliminary' AND partner_kind = 'world' AND frequency = 'month'",
            grace_days=3,
        ),
        ReleaseStream(
            "final statistics by country",
            "Korea Customs Service",
            "month",
            lag_days=15,
            basis="customs' final figures by partner (확정치) on the 15th-19th of the next month "
            "(data/sample/PROVENANCE.md); due the 15th, late after the grace days",
            rows="(release_type IS NULL OR release_type = 'final') AND partner_kind = 'country' "
            "AND frequency = 'month'",
        ),
    ),
)
