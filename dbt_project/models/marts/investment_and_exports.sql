-- Korean direct investment in the US next to Korea's exports to the US, one row per year with a published
-- annual figure of Korea's overseas direct investment in the US. Investment: the latest release of MOEF /
-- Korea Eximbank's gross amount invested (int_direct_investment_releases); its US share of all countries
-- (int_ofdi_us_share). Exports: customs basis, complete years (destination_share). Every figure carries its
-- basis and source; NULL where a figure is unknown or its latest releases disagree, never estimated.
with ofdi_latest as (
    -- the latest release of each year (rows of one day: the same value unless they conflict)
    select
        year,
        case when not bool_or(same_day_conflict) then min(value_usd) end as ofdi_usd,
        min(valid_from) as valid_from,
        {{ sorted_distinct_list('release', '; ') }} as release,
        min(release_date) as release_date,
        {{ sorted_distinct_list('basis', '; ') }} as basis,
        {{ sorted_distinct_list('publisher', '; ') }} as publisher,
        min(citation_url) as citation_url
    from {{ ref('int_direct_investment_releases') }}
    where partner_code = 'USA' and series = 'overseas direct investment, gross' and metric = 'amount_invested'
        and period = 'year' and is_latest
    group by year
),

ofdi as (
    select
        o.*,
        o.ofdi_usd / previous.ofdi_usd - 1 as ofdi_yoy_growth,
        case
            when o.ofdi_usd is null or previous.ofdi_usd is null then null
            when o.valid_from = previous.valid_from then 'latest figures of both years, released the same day'
            else 'latest figures of two releases: ' || o.release || ' vs ' || previous.release
        end as ofdi_growth_basis
    from ofdi_latest as o
    left join ofdi_latest as previous on o.year = previous.year + 1
),

exports as (
    select year(period_start) as year, exports_usd, yoy_growth, share, basis, source
    from {{ ref('destination_share') }}
    where frequency = 'year' and partner_code = 'USA'
)

select
    cast(o.year as integer) as year,
    cast(o.ofdi_usd as double) as ofdi_usd,
    cast(o.ofdi_yoy_growth as double) as ofdi_yoy_growth,
    cast(o.ofdi_growth_basis as string) as ofdi_growth_basis,
    cast(o.release as string) as ofdi_release,
    cast(o.release_date as date) as ofdi_release_date,
    cast(o.valid_from as date) as ofdi_valid_from,
    cast(o.basis as string) as ofdi_basis,
    cast(o.publisher as string) as ofdi_publisher,
    cast(o.citation_url as string) as ofdi_citation_url,
    cast(s.share as double) as us_share_of_ofdi,
    cast(s.share_basis as string) as us_share_of_ofdi_basis,
    cast(s.citation_url as string) as us_share_of_ofdi_citation_url,
    cast(e.exports_usd as double) as exports_usd,
    cast(e.yoy_growth as double) as exports_yoy_growth,
    cast(e.share as double) as us_share_of_exports,
    cast(e.basis as string) as exports_basis,
    cast(e.source as string) as exports_source
from ofdi as o
left join {{ ref('int_ofdi_us_share') }} as s on o.year = s.year
left join exports as e on o.year = e.year
