-- Published firm-size figures; a later release of the same figure has a later `release_date` or, where
-- the dates are equal or unknown, a higher `vintage_rank`. Two reports of one dated release (same source,
-- release date, figure and value, e.g. MSS's figures of 2025-01-23 as two newspapers printed them) are one
-- row: a label that names the stage wins over `published` (the label of a report that did not say it).
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
qualify
    release_date is null
    or row_number() over (
        partition by source, release_date, year, period, firm_size, destination_code, measure, value
        order by case when release = 'published' then 1 else 0 end, source_file, source_row
    ) = 1
