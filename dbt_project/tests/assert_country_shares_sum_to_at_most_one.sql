-- Countries are disjoint, so their shares of one period can never add up to more than the world.
select period_start, frequency, sum(share) as total_share
from {{ ref('destination_share') }}
where partner_kind = 'country'
group by period_start, frequency
having sum(share) > 1 + {{ var('share_tolerance') }}
