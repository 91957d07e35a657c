-- How far a first published figure has moved by the time of the figure in use: the largest relative revision of a
-- country's or the world's monthly exports, from its first published release (a value derived from a growth rate
-- is no measurement of it) to the release the marts use. One row; a lead within this share of the trailer's exports
-- is within revision noise (destination_crossovers, us_china_lead).
with releases as (
    select * from {{ ref('int_monthly_partner_releases') }}
    where flow = 'export' and partner_kind in ('country', 'world')
),

first_published as (  -- the earliest published figure; on one day, the one that ranks best
    select period, partner_code, value_usd as first_usd
    from releases
    where value_basis = 'published'
    qualify row_number() over (partition by period, partner_code order by vintage asc, {{ release_rank_order() }}) = 1
),

revised as (
    select r.period, r.partner_code, f.first_usd, max(r.value_usd) filter (where r.rank_in_month = 1) as in_use_usd
    from releases as r
    inner join first_published as f using (period, partner_code)
    group by r.period, r.partner_code, f.first_usd
    having count(*) > 1
)

select
    coalesce(max(abs(in_use_usd / first_usd - 1)), 0) as ratio,
    max_by(partner_code, abs(in_use_usd / first_usd - 1)) as largest_partner_code,
    max_by(period, abs(in_use_usd / first_usd - 1)) as largest_period
from revised
where first_usd > 0
