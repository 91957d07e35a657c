"""raw/kcs_product_partner: Korea Customs exports/imports of selected products (HS codes) by partner.

Unlike kcs_monthly_partner (partner totals), these files cover only some products, so they are never
summed into partner totals. A row covers the months period_start … period_end (equal for monthly data;
Jan–Jun for a year-to-date download). Every format parses to: period_start, period_end ('YYYY-MM'),
partner_code, partner_kind, hs_code (text, leading zeros kept; 'TOTAL' for all products), flow,
value_text, value_usd (USD), source_row. Formats: the Korean CSV downloads (formats/kcs_products.py) and
Korea Customs OpenAPI `nitemtrade` XML (formats/kcs_openapi.py).
"""

from orchestration.feeds.formats import kcs_openapi, kcs_products
from orchestration.feeds.spec import FeedSpec, SqlCheck

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
)
