-- Is this the latest? Every feed's newest period against what its publisher should have released by the day of
-- the build (the calendars are declared with the feeds, orchestration/feeds/*.py; the due dates are our reading
-- of each publisher's practice, `basis`).
select
    *,
    status in ('behind', 'far behind', 'no data') as is_behind
from {{ ref('stg_feed_freshness') }}
