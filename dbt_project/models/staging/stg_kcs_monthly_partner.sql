-- One row per month × partner × flow × product. The same month may arrive in several files
-- (the loader has checked they agree); the value of the file that sorts last is kept.
with source as (
    select * from {{ source('raw', 'kcs_monthly_partner') }}
)

select
    period,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    hs_code,
    arg_max(value_usd, source_file) as value_usd,
    max(source_file) as source_file,
    count(*) as files_reporting
from source
group by period, partner_code, flow, hs_code
