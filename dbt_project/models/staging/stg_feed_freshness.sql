-- Each feed's freshness against its release calendar on the day of the build (orchestration/freshness.py).
with source as (
    select * from {{ source('raw', '_feed_freshness') }}
)

select
    feed,
    release,
    publisher,
    frequency,
    latest_period,
    expected_period,
    expected_since,
    periods_behind,
    status,
    as_of,
    basis
from source
