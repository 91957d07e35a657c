-- Published firm-size figures; `vintage_rank` orders releases of the same figure (higher = later).
with source as (
    select * from {{ source('raw', 'firm_size_exports') }}
)

select
    source,
    release as vintage,
    case release when 'preliminary' then 1 when 'provisional' then 2 else 3 end as vintage_rank,
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
