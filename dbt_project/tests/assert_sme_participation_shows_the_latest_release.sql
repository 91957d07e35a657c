-- a check of sme_participation in Dagster (the test reads two marts)
{{ config(meta={'dagster': {'ref': {'name': 'sme_participation'}}}) }}
-- sme_participation shows, for every series with exports, the release sme_export_vintages marks latest.
with latest as (
    select * from {{ ref('sme_export_vintages') }}
    where is_latest
)

select
    p.source, p.year, p.firm_size, p.destination_code, p.exports_usd, p.vintage, p.release_date,
    l.exports_usd as latest_exports_usd, l.release as latest_release, l.release_date as latest_release_date
from {{ ref('sme_participation') }} as p
full outer join latest as l
    on p.source = l.source and p.year = l.year and p.firm_size = l.firm_size
        and p.destination_code = l.destination_code
where (p.exports_usd is not null or l.exports_usd is not null)
    and (
        p.exports_usd is distinct from l.exports_usd
        or p.vintage is distinct from l.release
        or p.release_date is distinct from l.release_date
    )
