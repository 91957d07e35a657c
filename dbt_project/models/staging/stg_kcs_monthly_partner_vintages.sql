-- Every vintage of Korea Customs partner totals: one row per month × partner × flow × vintage. The
-- all-products (TOTAL) row of a vintage wins; a vintage with product rows only is their sum. Files of
-- the same vintage have been checked to agree; the last by name is kept.
with per_key as (
    select period, partner_code, any_value(partner_kind) as partner_kind, flow, hs_code, vintage,
           arg_max(value_usd, source_file) as value_usd, max(source_file) as source_file
    from {{ source('raw', 'kcs_monthly_partner') }}
    group by period, partner_code, flow, hs_code, vintage
)

select
    period,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    vintage,
    coalesce(any_value(value_usd) filter (where hs_code = 'TOTAL'),
             sum(value_usd) filter (where hs_code <> 'TOTAL')) as value_usd,
    max(source_file) as source_file
from per_key
group by period, partner_code, flow, vintage
