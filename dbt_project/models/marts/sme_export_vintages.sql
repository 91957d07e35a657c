-- What the publishers said when: every release of the annual exports by firm size × destination that
-- sme_participation shows the latest of. Grain: source × year × firm_size × destination_code × release
-- (label and release_date). As of date D: valid_from <= D and (valid_to is null or valid_to > D).
-- A release without a date is outside that timeline (valid_from, valid_to and revisions NULL): it is the
-- latest only where the series has no dated release.
with releases as (
    select * from {{ ref('stg_firm_size_exports') }}
    where period = 'year' and measure = 'exports_usd' and firm_size in ('sme', 'middle', 'large', 'all')
),

latest as (
    select
        *,
        -- the same order as sme_participation
        row_number() over (
            partition by source, year, firm_size, destination_code
            order by release_date desc nulls last, vintage_rank desc
        ) = 1 as is_latest
    from releases
),

dated as (
    select
        source, year, firm_size, destination_code, vintage, release_date,
        lead(release_date) over w as next_release_date,
        value - lag(value) over w as revision_usd,
        value / first_value(value) over w - 1 as revision_since_first_release
    from releases
    where release_date is not null
    window w as (partition by source, year, firm_size, destination_code order by release_date, vintage_rank)
)

select
    cast(l.year as integer) as year,
    cast(l.firm_size as string) as firm_size,
    cast(l.destination_code as string) as destination_code,
    cast(l.source as string) as source,
    cast(l.value as double) as exports_usd,
    cast(l.vintage as string) as release,
    cast(l.release_date as date) as release_date,
    cast(l.release_date as date) as valid_from,
    cast(d.next_release_date as date) as valid_to,
    cast(l.is_latest as boolean) as is_latest,
    cast(d.revision_usd as double) as revision_usd,
    cast(d.revision_since_first_release as double) as revision_since_first_release,
    cast(l.publisher as string) as publisher,
    cast(l.citation_url as string) as citation_url
from latest as l
left join dated as d
    on l.source = d.source and l.year = d.year and l.firm_size = d.firm_size
        and l.destination_code = d.destination_code and l.vintage = d.vintage and l.release_date = d.release_date
