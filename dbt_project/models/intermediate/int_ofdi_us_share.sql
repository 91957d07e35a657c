-- The US share of Korea's overseas direct investment (gross amount invested), one row per year × release day
-- (valid_from) on which a share is known: the publisher's own share (share_of_total_ofdi) released that day,
-- else US ÷ all countries, both released that day. Never a ratio of figures from different releases (their
-- revisions differ: 2018 US 10.81 bn first release ÷ world 51.81 bn revised would give 20.9 %, the release
-- itself says 21.7 %), never a value from a day whose releases disagree (then NULL, and the basis says so).
-- investment_and_exports takes the share of the release its amount comes from.
with published as (
    select
        year,
        valid_from,
        case when count(distinct value) = 1 then min(value) / 100 end as share,
        case
            when count(distinct value) = 1 then 'published share_of_total_ofdi: '
            else 'conflicting published shares: '
        end || {{ sorted_distinct_list('release', '; ') }} as share_basis,
        min(citation_url) as citation_url
    from {{ ref('stg_published_figures') }}
    where dataset = 'direct_investment' and partner_code = 'USA' and subject = 'overseas direct investment, gross'
        and metric = 'share_of_total_ofdi' and unit = 'percent' and period = 'year'
    group by year, valid_from
),

amounts as (
    -- one figure per partner, year and day (the releases of a day agree: no same-day conflict)
    select
        year, partner_code, valid_from, min(value_usd) as value_usd,
        {{ sorted_distinct_list('release', '; ') }} as release, min(citation_url) as citation_url
    from {{ ref('int_direct_investment_releases') }}
    where series = 'overseas direct investment, gross' and metric = 'amount_invested' and period = 'year'
        and partner_code in ('USA', 'WLD') and not same_day_conflict
    group by year, partner_code, valid_from
),

same_day_ratios as (
    select
        us.year,
        us.valid_from,
        us.value_usd / world.value_usd as share,
        'computed: US ÷ all countries, both released ' || cast(us.valid_from as string) || ' ('
        || us.release || case when world.release <> us.release then '; ' || world.release else '' end
        || ')' as share_basis,
        us.citation_url
    from amounts as us
    inner join amounts as world on us.year = world.year and us.valid_from = world.valid_from
    where us.partner_code = 'USA' and world.partner_code = 'WLD' and world.value_usd > 0
)

select year, valid_from, share, share_basis, citation_url from published
union all
select r.year, r.valid_from, r.share, r.share_basis, r.citation_url
from same_day_ratios as r
anti join published as p on r.year = p.year and r.valid_from = p.valid_from
