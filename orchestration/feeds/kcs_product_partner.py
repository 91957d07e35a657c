"""raw/kcs_product_partner: Korea Customs exports/imports of selected products (HS codes) by partner.

Unlike kcs_monthly_partner (partner totals), these files cover only some products, so they are never
summed into partner totals. A row covers the months period_start … period_end (equal for monthly data;
Jan–Jun for a year-to-date download). Every format parses to: period_start, period_end ('YYYY-MM'),
partner_code, partner_kind, hs_code (text, leading zeros kept; 'TOTAL' for all products), flow,
value_text, value_usd (USD), source_row. Formats: the Korean CSV downloads (formats/kcs_products.py) and
Korea Customs OpenAPI `nitemtrade` XML (formats/kcs_openapi.py).

Gates (orchestration/feeds/gates.py): no period after the file's vintage or before 1988-01 (Korea's tariff
schedule follows the HS from 1988); per partner × HS code × flow × span of months, a revision moves world values
by at most 5 % and countries by 25 % (or 20 mn USD), and a first release lies within 1/10…10× the median of the 12
periods before it unless it and the median are below 20 mn USD (HS 8542 to single countries is lumpy: exports to
the UK in 2023-09 were 9.4× their 12-month median, at 10.7 mn USD).
"""

from datetime import date

from orchestration.feeds.formats import kcs_openapi, kcs_products
from orchestration.feeds.spec import FeedSpec, Plausibility, ReleaseStream, SqlCheck

KCS_PRODUCT_PARTNER = FeedSpec(
    name="kcs_product_partner",
    description="Korea Customs exports/imports of selected HS products by partner (customs basis, USD)",
    columns={
        "period_start": "DATE",
        "period_end": "DATE",
        "partner_code": "VARCHAR",
        "partner_kind": "VARCHAR",
        "hs_code": "VARCHAR",
        "flow": "VARCHAR",
        "value_usd": "DOUBLE",
    },
    select="""CAST(f.period_start || '-01' AS DATE), CAST(f.period_end || '-01' AS DATE), f.partner_code,
              f.partner_kind, f.hs_code, f.flow, f.value_usd""",
    formats=(*kcs_products.FORMATS, kcs_openapi.NITEMTRADE),
    checks=(
        SqlCheck(
            "overlapping periods of the same vintage agree (within 1,000 USD)",
            """WITH disagreeing AS (
                 SELECT period_start, period_end, partner_code, hs_code, flow, vintage FROM {table}
                 GROUP BY ALL HAVING max(value_usd) - min(value_usd) > 1000)
               SELECT t.source_file, t.source_row, t.period_start, t.partner_code, t.hs_code, t.flow, t.value_usd
               FROM {table} t JOIN disagreeing USING (period_start, period_end, partner_code, hs_code, flow, vintage)
               ORDER BY t.period_start, t.source_file""",
        ),
    ),
    period="period_start",
    earliest_period=date(1988, 1, 1),
    plausibility=Plausibility(
        key=("partner_code", "hs_code", "flow", "date_diff('month', period_start, period_end) + 1 AS months"),
        floor=20e6,
        step_months="months",
    ),
    calendar=(
        ReleaseStream(
            "HS 8542 by country",
            "Korea Customs Service (customs API, 품목별 국가별 수출입실적)",
            "month",
            lag_days=42,
            basis="product data by country reach the customs API about six weeks after the month "
            "(data/sample/PROVENANCE.md)",
            rows="hs_code = '8542' AND period_end = period_start",
        ),
    ),
)
