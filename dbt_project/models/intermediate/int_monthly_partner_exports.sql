-- Exports per month × partner. An all-products (TOTAL) row wins; a partner-month that arrives
-- only at product level is the sum of its product rows.
with exports as (
    select * from {{ ref('stg_kcs_monthly_partner') }} where flow = 'export'
),

totals as (
    select period, partner_code, partner_kind, value_usd
    from exports
    where hs_code = 'TOTAL'
),

from_products as (
    select period, partner_code, any_value(partner_kind) as partner_kind, sum(value_usd) as value_usd
    from exports
    where hs_code <> 'TOTAL'
    group by period, partner_code
)

select period, partner_code, partner_kind, value_usd as exports_usd from totals
union all
select p.period, p.partner_code, p.partner_kind, p.value_usd
from from_products as p
anti join totals as t on t.period = p.period and t.partner_code = p.partner_code
