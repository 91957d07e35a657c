-- The partners' contributions and the rest of the world add up to the growth of total exports, every period.
select period_start, frequency, max(world_growth) as world_growth, sum(contribution) as contributions
from {{ ref('export_growth_contributions') }}
where role <> 'world'
group by period_start, frequency
having abs(sum(contribution) - max(world_growth)) > 0.0001
