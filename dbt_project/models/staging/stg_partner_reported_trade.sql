-- One row per reporter × partner × flow × period × source; overlapping files have been checked to agree.
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
    arg_max(value_usd, source_file) as value_usd,
    max(source_file) as source_file
from source
group by reporter_code, partner_code, flow, frequency, period, source
