-- Published firm-size figures; a later release of the same figure has a later `release_date` or, where
-- the dates are equal or unknown, a higher `vintage_rank`.
with source as (
    select * from {{ source('raw', 'firm_size_exports') }}
)

select
    source,
    release as vintage,
    case release when 'preliminary' then 1 when 'provisional' then 2 else 3 end as vintage_rank,
    release_date,
    year,
    period,
    firm_size,
    destination_code,
    measure,
    value,
    unit,
    publisher,
    citation_url,
    note,
    vintage as file_vintage,
    source_file
from source
