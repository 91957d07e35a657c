-- The US share of Korea's overseas direct investment (gross amount invested), one row per year: the
-- publisher's own share (share_of_total_ofdi, its latest release) where published, else US ÷ all countries
-- from the latest day on which both were released. Never a ratio of figures from different releases (their
-- revisions differ: 2018 US 10.81 bn first release ÷ world 51.81 bn revised would give 20.9 %, the release
-- itself says 21.7 %), never a value from a day whose releases disagree (then NULL, and the basis says so).
with published_shares as (
    select
        year, valid_from, release, citation_url, value / 100 as share,
        max(valid_from) over (partition by year) as latest_day
    from {{ ref('stg_published_figures') }}
    where dataset = 'direct_investment' and partner_code = 'USA' and subject = 'overseas direct investment, gross'
        and metric = 'share_of_total_ofdi' and unit = 'percent' and period = 'year'
),

published_latest as (
    select
        year,
        case when count(distinct share) = 1 then min(share) end as share,
        case
            when count(distinct share) = 1 then 'published share_of_total_ofdi: '
            else 'conflicting published shares: '
        end || {{ sorted_distinct_list('release', '; ') }} as share_basis,
        min(citation_url) as citation_url
    from published_shares
    where valid_from = latest_day
    group by year
),

amounts as (
    select year, partner_code, valid_from, release, citation_url, value_usd
    from {{ ref('int_direct_investment_releases') }}
    where series = 'overseas direct investment, gross' and metric = 'amount_invested' and period = 'year'
        and partner_code in ('USA', 'WLD') and not same_day_conflict
),

same_day_ratios as (
    select
        us.year,
        us.value_usd / world.value_usd as share,
        'computed: US ÷ all countries, both released ' || cast(us.valid_from as string) || ' ('
        || us.release || case when world.release <> us.release then '; ' || world.release else '' end
        || ')' as share_basis,
        us.citation_url,
        row_number() over (partition by us.year order by us.valid_from desc) as recency
    from amounts as us
    inner join amounts as world on us.year = world.year and us.valid_from = world.valid_from
    where us.partner_code = 'USA' and world.partner_code = 'WLD' and world.value_usd > 0
)

select year, share, share_basis, citation_url from published_latest
union all
select year, share, share_basis, citation_url from same_day_ratios
where recency = 1 and year not in (select p.year from published_latest as p)
