-- Every period in which one tracked partner's exports overtook another's: the leader is ahead now
-- and was not ahead in the period just before. "First time since" is the latest earlier period in
-- which the same leader was ahead of the same trailer (NULL if never in the data).
-- Fragile: the margin is within the revisions seen between vintages (int_revision_noise: the largest relative
-- revision of a monthly series, first published release → figure in use, applied to the trailer), or a later
-- vintage removed the crossover (it appears in the first-release figures but not in the latest: status 'removed
-- ...', and `release_note` says who led in which release), or it depends on a value derived from a growth rate (in
-- the period or the one before: depends_on_derived).
with latest as (
    {{ crossovers(ref('destination_share')) }}
),

first_release_months as (
    select
        period_start, partner_code, min_by(exports_usd, valid_from) as exports_usd,
        min_by(value_basis, valid_from) as value_basis, min_by(release_type, valid_from) as release_type,
        min(valid_from) as released
    from {{ ref('export_vintages') }}
    where valid_from is not null
    group by period_start, partner_code
),

first_release as (
    select 'month' as frequency, period_start, partner_code, exports_usd, value_basis from first_release_months
    union all
    select frequency, period_start, partner_code, exports_usd, value_basis
    from ({{ sum_complete_months('first_release_months', ['partner_code'], value='exports_usd', basis='value_basis') }})
),

first_release_crossovers as (
    {{ crossovers('first_release') }}
),

removed as (
    select f.*
    from first_release_crossovers as f
    anti join latest using (frequency, period_start, leader_code, trailer_code)
),

in_use as (
    select frequency, period_start, partner_code, exports_usd from {{ ref('destination_share') }}
),

removed_notes as (  -- who led in which release: the first release's leader, and the figures in use
    select
        r.frequency, r.period_start, r.leader_code, r.trailer_code,
        case
            when tu.exports_usd > lu.exports_usd
                then r.leader_code || ' ahead only in the first release ('
                    || coalesce(fr.release_type || ' of ' || cast(fr.released as string), 'first-release figures')
                    || '); ' || r.trailer_code || ' ahead in the figures in use'
            else r.leader_code || ' ahead in the figures in use too; there it already led the period before'
        end as release_note
    from removed as r
    left join in_use as lu
        on r.frequency = lu.frequency and r.period_start = lu.period_start and r.leader_code = lu.partner_code
    left join in_use as tu
        on r.frequency = tu.frequency and r.period_start = tu.period_start and r.trailer_code = tu.partner_code
    left join first_release_months as fr
        on r.frequency = 'month' and r.period_start = fr.period_start and r.leader_code = fr.partner_code
),

revision_noise as (
    select ratio from {{ ref('int_revision_noise') }}
),

all_crossovers as (
    select *, 'current' as status from latest
    union all
    select *, 'removed by a later vintage' as status from removed
)

select
    cast(c.frequency as string) as frequency,
    cast(c.period_start as date) as period_start,
    cast(c.leader_code as string) as leader_code,
    cast(c.trailer_code as string) as trailer_code,
    cast(c.leader_exports_usd as double) as leader_exports_usd,
    cast(c.trailer_exports_usd as double) as trailer_exports_usd,
    cast(c.leader_exports_usd - c.trailer_exports_usd as double) as margin_usd,
    cast(c.previous_lead_start as date) as previous_lead_start,
    cast({{ periods_between('c.frequency', 'c.previous_lead_start', 'c.period_start') }} as integer) as periods_since,
    cast(
        c.status <> 'current' or c.depends_on_derived
        or c.leader_exports_usd - c.trailer_exports_usd <= n.ratio * c.trailer_exports_usd
        as boolean
    ) as fragile,
    cast(n.ratio * c.trailer_exports_usd as double) as revision_noise_usd,
    cast(c.depends_on_derived as boolean) as depends_on_derived,
    cast(c.status as string) as status,
    cast(m.release_note as string) as release_note
from all_crossovers as c
cross join revision_noise as n
left join removed_notes as m
    on c.status <> 'current' and c.frequency = m.frequency and c.period_start = m.period_start
        and c.leader_code = m.leader_code and c.trailer_code = m.trailer_code
