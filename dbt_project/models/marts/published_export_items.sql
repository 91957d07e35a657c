-- Korea's exports of major items as published (dataset export_items of the published_figures feed): the trade
-- ministry's semiconductors and automobiles (MTI classification, its 15 major items) and customs' semiconductors
-- and passenger cars (KCS classification by nature of goods), by month and year, to the world and the US. One
-- row per printed figure: never summed with customs HS data nor across classifications (MTI and KCS items are
-- not HS codes: 2025 semiconductors 173.4 bn USD MTI vs 175.3 bn KCS). `frequency` says what a row covers: the
-- days of a partial month and the months of a cumulative figure are no month.
with figures as (
    select * from {{ ref('stg_published_figures') }}
    where dataset = 'export_items'
),

periods as (
    -- the feed's period forms (rule in expectations/published_figures.json): `year`, YYYY-MM,
    -- YYYY-MM..YYYY-MM (months to date) and YYYY-MM-DD..YYYY-MM-DD (days of a month)
    select
        *,
        case
            when period = 'year' then 'year'
            when length(period) = 7 then 'month'
            when length(period) = 16 then 'cumulative'
            else 'partial month'
        end as frequency,
        case
            when period = 'year' then make_date(year, 1, 1)
            when length(period) = 22 then cast(left(period, 10) as date)
            else cast(left(period, 7) || '-01' as date)
        end as period_start,
        case
            when period = 'year' then make_date(year, 12, 31)
            when length(period) = 22 then cast(right(period, 10) as date)
            else last_day(cast(right(period, 7) || '-01' as date))
        end as period_end
    from figures
)

select
    cast(year as integer) as year,
    cast(period as string) as period,
    cast(frequency as string) as frequency,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(partner_code as string) as partner_code,
    cast(subject as string) as item,
    cast(breakdown as string) as classification,
    cast(metric as string) as metric,
    cast(value as double) as value,
    cast(unit as string) as unit,
    cast(nullif(qualifier, '') as string) as qualifier,
    cast(
        case release when 'preliminary MOTIE' then 'preliminary' when 'final KCS' then 'final' else 'other' end
        as string
    ) as release_type,
    cast(release as string) as release,
    cast(release_date as date) as release_date,
    cast(valid_from as date) as valid_from,
    cast(basis as string) as basis,
    cast(publisher as string) as publisher,
    cast(citation_url as string) as citation_url,
    cast(nullif(note, '') as string) as note,
    cast(source_file as string) as source_file,
    cast(source_row as integer) as source_row
from periods
