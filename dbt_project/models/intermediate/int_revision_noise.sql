-- How far a first published figure has moved by the time of the figure in use: the largest relative revision of a
-- country's or the world's monthly exports, from its first published release (a value derived from a growth rate
-- is no measurement of it) to the release the marts use. One row; a lead within this share of the trailer's exports
-- is within revision noise (destination_crossovers, us_china_lead).
with releases as (
    select * from {{ ref('int_monthly_partner_releases') }}
    where flow = 'export' and partner_kind in ('country', 'world')
),

revised as (
    select
        period, partner_code,
        min_by(value_usd, vintage) filter (where value_basis = 'published') as first_usd,
        max(value_usd) filter (where rank_in_month = 1) as in_use_usd,
        count(*) as releases
    from releases
    group by period, partner_code
    having count(*) > 1
)

select
    coalesce(max(abs(in_use_usd / first_usd - 1)), 0) as ratio,
    max_by(partner_code, abs(in_use_usd / first_usd - 1)) as largest_partner_code,
    max_by(period, abs(in_use_usd / first_usd - 1)) as largest_period
from revised
where first_usd > 0
