-- Every vintage of every Korea Customs monthly value: one row per month × partner × flow × product ×
-- vintage (files of the same vintage have been checked to agree; the last by name is kept).
with source as (
    select * from {{ source('raw', 'kcs_monthly_partner') }}
)

select
    period,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    hs_code,
    vintage,
    arg_max(value_usd, source_file) as value_usd,
    max(source_file) as source_file
from source
group by period, partner_code, flow, hs_code, vintage
