-- Exports and imports per month × partner. An all-products (TOTAL) row wins; a partner-month that
-- arrives only at product level is the sum of its product rows (complete breakdowns, see README).
with trade as (
    select * from {{ ref('stg_kcs_monthly_partner') }}
),

totals as (
    select period, partner_code, partner_kind, flow, value_usd
    from trade
    where hs_code = 'TOTAL'
),

from_products as (
    select period, partner_code, any_value(partner_kind) as partner_kind, flow, sum(value_usd) as value_usd
    from trade
    where hs_code <> 'TOTAL'
    group by period, partner_code, flow
)

select * from totals
union all
select p.*
from from_products as p
anti join totals as t on t.period = p.period and t.partner_code = p.partner_code and t.flow = p.flow
