-- One row per period span × partner × product × flow; overlapping files have been checked to agree.
with source as (
    select * from {{ source('raw', 'kcs_product_partner') }}
)

select
    period_start,
    period_end,
    cast(date_diff('month', period_start, period_end) + 1 as integer) as months,
    partner_code,
    any_value(partner_kind) as partner_kind,
    hs_code,
    case when hs_code = 'TOTAL' then 0 else length(hs_code) end as hs_digits,
    flow,
    arg_max(value_usd, source_file) as value_usd,
    max(source_file) as source_file
from source
group by period_start, period_end, partner_code, hs_code, flow
