-- Shares of disjoint end-use classes add up to at most 1 within one basis, period and publisher (and HS
-- detail): a row summing published and computed figures, or a class counted twice, would break this.
-- consumption_incl_passenger_cars overlaps consumption and passenger_cars, so it stays out of the sum.
select basis, year_label, period, publisher, detail_level, sum(share) as total_share
from {{ ref('us_export_end_use') }}
where end_use <> 'consumption_incl_passenger_cars'
group by basis, year_label, period, publisher, detail_level
having sum(share) > 1 + {{ var('share_tolerance') }}
