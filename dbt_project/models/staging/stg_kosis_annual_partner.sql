-- KOSIS annual exports and imports by partner, and the world total: one row per year × partner × flow;
-- of several vintages the latest is kept (files_reporting counts the file rows behind the key).
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
