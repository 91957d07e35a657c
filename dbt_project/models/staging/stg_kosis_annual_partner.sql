with source as (
    select * from {{ source('raw', 'kosis_annual_partner') }}
)

select
    year,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    {{ latest_vintage_columns() }},
    count(*) as files_reporting
from source
group by year, partner_code, flow
