-- One row per reporter × partner × flow × period × source; of several vintages the latest is kept.
with source as (
    select * from {{ source('raw', 'partner_reported_trade') }}
)

select
    reporter_code,
    partner_code,
    flow,
    frequency,
    period as period_start,
    source,
    any_value(valuation) as valuation,
    {{ latest_vintage_columns() }}
from source
group by reporter_code, partner_code, flow, frequency, period, source
