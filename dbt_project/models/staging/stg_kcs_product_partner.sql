-- One row per period span × partner × product × flow; of several vintages the latest is kept.
with source as (
    select * from {{ source('raw', 'kcs_product_partner') }}
)

select
    period_start,
    period_end,
    cast({{ periods_between("'month'", 'period_start', 'period_end') }} + 1 as integer) as months,
    partner_code,
    any_value(partner_kind) as partner_kind,
    hs_code,
    case when hs_code = '{{ var("all_products_hs_code") }}' then 0 else length(hs_code) end as hs_digits,
    flow,
    {{ latest_vintage_columns() }}
from source
group by period_start, period_end, partner_code, hs_code, flow
