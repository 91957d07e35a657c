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
    arg_max(value_usd, {{ vintage_order() }}) as value_usd,
    max(vintage) as vintage,
    arg_max(source_file, {{ vintage_order() }}) as source_file
from source
group by reporter_code, partner_code, flow, frequency, period, source
