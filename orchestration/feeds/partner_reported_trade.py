"""raw/partner_reported_trade: trade as reported by any reporter (Korea or its partners), for mirror
comparisons: Korea's exports to the US next to the US's imports from Korea.

Every format parses to: reporter_code, reporter_kind, partner_code, partner_kind, flow, frequency,
period ('YYYY-MM' for months, 'YYYY' for years), value_text, value_usd (full USD), valuation (FOB/CIF),
source, source_row. Formats: UN Comtrade API v1 JSON, IMF IMTS SDMX-CSV, IMF DOTS annual workbooks,
US Census/FRED monthly CSV (formats/comtrade.py, imf.py, fred.py; the frame: formats/partner_reported.py).

Gates (orchestration/feeds/gates.py): no period after the file's vintage or before 1948 (IMF DOTS starts then);
a revision moves a reporter's world total by at most 5 % and a partner by 25 % (or 5 mn USD); a new month, and a
new year of a world total, lies within 1/10…10× the median of the 12 months (5 years) before it (the sample:
0.81…1.26× monthly, 0.69…4.2× annual world totals). Partners' new years are not judged (DOTS has real 1,000× jumps
of small partners).
"""

from datetime import date

from orchestration.feeds.formats import comtrade, fred, imf
from orchestration.feeds.spec import FeedSpec, Plausibility, ReleaseStream, SqlCheck

PARTNER_REPORTED_TRADE = FeedSpec(
    name="partner_reported_trade",
    description="Trade by reporter × partner × flow as each reporter publishes it (mirror statistics, USD)",
    columns={
        "reporter_code": "VARCHAR",
        "partner_code": "VARCHAR",
        "flow": "VARCHAR",
        "frequency": "VARCHAR",
        "period": "DATE",
        "value_usd": "DOUBLE",
        "valuation": "VARCHAR",
        "source": "VARCHAR",
    },
    select="""f.reporter_code, f.partner_code, f.flow, f.frequency,
              CASE WHEN f.frequency = 'year' THEN make_date(CAST(f.period AS INTEGER), 1, 1)
                   ELSE CAST(f.period || '-01' AS DATE) END,
              f.value_usd, f.valuation, f.source""",
    formats=(*comtrade.FORMATS, *imf.FORMATS, *fred.FORMATS),
    checks=(
        SqlCheck(
            "the same figure of the same vintage agrees (within 0.1 %)",
            """WITH disagreeing AS (
                 SELECT reporter_code, partner_code, flow, frequency, period, source, vintage FROM {table}
                 GROUP BY ALL HAVING max(value_usd) - min(value_usd) > 0.001 * max(value_usd))
               SELECT t.source_file, t.source_row, t.reporter_code, t.partner_code, t.flow, t.period, t.value_usd
               FROM {table} t
               JOIN disagreeing USING (reporter_code, partner_code, flow, frequency, period, source, vintage)
               ORDER BY t.period, t.source_file""",
        ),
    ),
    period="period",
    earliest_period=date(1948, 1, 1),
    plausibility=Plausibility(
        key=("reporter_code", "partner_code", "flow", "frequency", "source"),
        step_months="CASE frequency WHEN 'year' THEN 12 ELSE 1 END",
        history="CASE frequency WHEN 'year' THEN 5 ELSE 12 END",
        min_history="CASE frequency WHEN 'year' THEN 3 ELSE 6 END",
        judge="kind = 'world' OR frequency = 'month'",
    ),
    calendar=(
        ReleaseStream(
            "US imports from Korea (FT-900)",
            "US Census Bureau, via FRED",
            "month",
            lag_days=40,
            basis="our reading: the Census Bureau's FT-900 release comes about five weeks after the month",
            rows="source = 'US_CENSUS_FRED'",
        ),
        ReleaseStream(
            "direction of trade, annual",
            "IMF (DOTS)",
            "year",
            lag_days=120,
            basis="our reading: a year's DOTS figures are complete by the end of April of the next year",
            rows="source = 'IMF_DOTS'",
            grace_days=60,
            far_behind=2,
        ),
    ),
)
