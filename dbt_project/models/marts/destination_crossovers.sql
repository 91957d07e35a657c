-- Every period in which one tracked partner's exports overtook another's: the leader is ahead now
-- and was not ahead in the period just before. "First time since" is the latest earlier period in
-- which the same leader was ahead of the same trailer (NULL if never in the data). A crossover is
-- fragile when its margin is within the revisions seen between vintages: the largest relative revision
-- of any monthly series (first release → latest) applied to the trailer's exports.
with exports as (
    select frequency, period_start, partner_code, exports_usd
    from {{ ref('destination_share') }}
    where partner_code in ('{{ var("crossover_partners") | join("', '") }}')
),

pairs as (
    select
        a.frequency,
        a.period_start,
        a.partner_code as leader_code,
        b.partner_code as trailer_code,
        a.exports_usd as leader_exports_usd,
        b.exports_usd as trailer_exports_usd,
        a.exports_usd > b.exports_usd as leads
    from exports as a
    join exports as b
        on a.frequency = b.frequency and a.period_start = b.period_start and a.partner_code <> b.partner_code
),

revision_noise as (
    select coalesce(max(abs(revision_since_first_release)), 0) as ratio
    from {{ ref('export_vintages') }}
    where is_latest and partner_kind in ('country', 'world')
),

history as (
    select
        *,
        lag(period_start) over w as prior_period_start,
        lag(leads) over w as led_in_prior_period,
        max(case when leads then period_start end) over (
            w rows between unbounded preceding and 1 preceding
        ) as previous_lead_start
    from pairs
    window w as (partition by frequency, leader_code, trailer_code order by period_start)
)

select
    cast(frequency as varchar) as frequency,
    cast(period_start as date) as period_start,
    cast(leader_code as varchar) as leader_code,
    cast(trailer_code as varchar) as trailer_code,
    cast(leader_exports_usd as double) as leader_exports_usd,
    cast(trailer_exports_usd as double) as trailer_exports_usd,
    cast(leader_exports_usd - trailer_exports_usd as double) as margin_usd,
    cast(previous_lead_start as date) as previous_lead_start,
    cast({{ periods_between('frequency', 'previous_lead_start', 'period_start') }} as integer) as periods_since,
    cast(leader_exports_usd - trailer_exports_usd <= n.ratio * trailer_exports_usd as boolean) as fragile,
    cast(n.ratio * trailer_exports_usd as double) as revision_noise_usd
from history
cross join revision_noise as n
where leads
  and not led_in_prior_period
  -- the prior period must be the one just before (no gap in the data)
  and prior_period_start = {{ previous_period_start('frequency', 'period_start') }}
