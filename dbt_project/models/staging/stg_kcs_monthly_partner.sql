-- One row per month × partner × flow × product. The same month may arrive in several files, and
-- as revisions: the latest vintage is kept (older vintages: stg_kcs_monthly_partner_vintages).
with source as (
    select * from {{ source('raw', 'kcs_monthly_partner') }}
)

select
    period,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    hs_code,
    {{ latest_vintage_columns() }},
    count(*) as files_reporting
from source
group by period, partner_code, flow, hs_code
