-- Korean direct investment in the US next to Korea's exports to the US, one row per year with a published
-- annual figure of Korea's overseas direct investment in the US. Investment: MOEF / Korea Eximbank's gross
-- amount invested (int_direct_investment_releases) and its US share of all countries (int_ofdi_us_share), both
-- from one release: the latest release day that gives the amount and a share, else the latest release of the
-- amount with no share (the basis says why). Growth: on the previous year's figure of the same release where it
-- gives one, else of the previous year's row (two releases, named). Exports: customs basis, complete years
-- (destination_share). Every figure carries its basis and source; NULL where a figure is unknown or its
-- releases of one day disagree, never estimated.
with amounts as (
    -- the US amount of each year as released on each day: NULL when that day's releases disagree
    select
        year,
        valid_from,
        case when not bool_or(same_day_conflict) then min(value_usd) end as ofdi_usd,
        bool_or(is_latest) as is_latest,
        {{ sorted_distinct_list('release', '; ') }} as release,
        min(release_date) as release_date,
        {{ sorted_distinct_list('basis', '; ') }} as basis,
        {{ sorted_distinct_list('publisher', '; ') }} as publisher,
        min(citation_url) as citation_url
    from {{ ref('int_direct_investment_releases') }}
    where partner_code = 'USA' and series = 'overseas direct investment, gross' and metric = 'amount_invested'
        and period = 'year' and not mislabelled
    group by year, valid_from
),

shares_elsewhere as (
    -- per year, the releases that give a share (for the basis of a row whose own release gives none)
    select year, {{ sorted_distinct_list('share_basis', ' | ') }} as share_bases
    from {{ ref('int_ofdi_us_share') }}
    where share is not null
    group by year
),

releases as (
    -- one release day per year: the latest that gives both figures, else the latest that gives the amount
    select
        a.*,
        s.share,
        s.share_basis,
        s.citation_url as share_citation_url,
        row_number() over (
            partition by a.year
            order by case when a.ofdi_usd is not null and s.share is not null then 0 else 1 end, a.valid_from desc
        ) as pick
    from amounts as a
    left join {{ ref('int_ofdi_us_share') }} as s on a.year = s.year and a.valid_from = s.valid_from
),

ofdi as (
    select
        r.*,
        coalesce(
            r.share_basis,
            'none: no release gives both the amount and the US share (the amount: ' || r.release || '; '
            || coalesce('a share: ' || e.share_bases, 'no share released for the year') || ')'
        ) as us_share_basis,
        coalesce(same_release.ofdi_usd, previous.ofdi_usd) as previous_ofdi_usd,
        case
            when r.ofdi_usd is null then null
            when same_release.ofdi_usd is not null then 'both years from one release, of ' || r.release
            when previous.ofdi_usd is not null
                then 'figures of two releases: ' || r.release || ' vs ' || previous.release
        end as ofdi_growth_basis
    from releases as r
    left join shares_elsewhere as e on r.year = e.year
    left join amounts as same_release on r.year = same_release.year + 1 and r.valid_from = same_release.valid_from
    left join releases as previous on r.year = previous.year + 1 and previous.pick = 1
    where r.pick = 1
),

exports as (
    select year(period_start) as year, exports_usd, yoy_growth, share, basis, source
    from {{ ref('destination_share') }}
    where frequency = 'year' and partner_code = 'USA'
)

select
    cast(o.year as integer) as year,
    cast(o.ofdi_usd as double) as ofdi_usd,
    cast(o.ofdi_usd / nullif(o.previous_ofdi_usd, 0) - 1 as double) as ofdi_yoy_growth,
    cast(o.ofdi_growth_basis as string) as ofdi_growth_basis,
    cast(o.release as string) as ofdi_release,
    cast(o.release_date as date) as ofdi_release_date,
    cast(o.valid_from as date) as ofdi_valid_from,
    cast(o.basis as string) as ofdi_basis,
    cast(o.publisher as string) as ofdi_publisher,
    cast(o.citation_url as string) as ofdi_citation_url,
    cast(o.share as double) as us_share_of_ofdi,
    cast(o.us_share_basis as string) as us_share_of_ofdi_basis,
    cast(o.share_citation_url as string) as us_share_of_ofdi_citation_url,
    cast(e.exports_usd as double) as exports_usd,
    cast(e.yoy_growth as double) as exports_yoy_growth,
    cast(e.share as double) as us_share_of_exports,
    cast(e.basis as string) as exports_basis,
    cast(e.source as string) as exports_source,
    cast(o.is_latest as boolean) as ofdi_is_latest
from ofdi as o
left join exports as e on o.year = e.year
