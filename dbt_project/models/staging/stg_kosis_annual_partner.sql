with source as (
    select * from {{ source('raw', 'kosis_annual_partner') }}
)

select
    year,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    arg_max(value_usd, {{ vintage_order() }}) as value_usd,
    max(vintage) as vintage,
    arg_max(source_file, {{ vintage_order() }}) as source_file,
    count(*) as files_reporting
from source
group by year, partner_code, flow
