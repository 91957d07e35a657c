"""raw/partner_reported_trade: trade as reported by any reporter (Korea or its partners), for mirror
comparisons: Korea's exports to the US next to the US's imports from Korea.

Every format parses to: reporter_code, reporter_kind, partner_code, partner_kind, flow, frequency,
period ('YYYY-MM' for months, 'YYYY' for years), value_text, value_usd (full USD), valuation (FOB/CIF),
source, source_row. Formats: UN Comtrade API v1 JSON, IMF IMTS SDMX-CSV, IMF DOTS annual workbooks,
US Census/FRED monthly CSV (formats/comtrade.py, imf.py, fred.py; the frame: formats/partner_reported.py).
"""

from orchestration.feeds.formats import comtrade, fred, imf
from orchestration.feeds.spec import FeedSpec, SqlCheck

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
)
