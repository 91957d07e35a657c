-- Published figures, one row per figure as released: the publisher's release date where the release names one,
-- else the date of the file that carries it (`valid_from`). Never summed with customs figures.
with source as (
    select * from {{ source('raw', 'published_figures') }}
)

select
    dataset,
    year as year_label,
    try_cast(year as integer) as year,
    period,
    flow,
    partner_code,
    partner_kind,
    subject,
    breakdown,
    metric,
    value,
    unit,
    qualifier,
    conflict,
    basis,
    publisher,
    release,
    release_date,
    coalesce(release_date, vintage) as valid_from,
    citation_url,
    note,
    source_file,
    source_row
from source
