-- Every release of a partner-month with a value: as published; derived from a published growth rate and the value
-- of the same month a year earlier; or derived by its compilers (a cumulative minus a month, `derived from a
-- cumulative`). A growth rate grows the base known on its own release date (the best published figure of the month
-- a year earlier released by then: point in time); each later revision of that base re-derives it as a new vintage
-- dated by the revision, never rewriting the old one; a rate released before any base is not valued on its date.
-- Each release is ranked within its month (release_rank_order; rank 1 is what the marts use) and checked against the
-- other releases of the same day: a difference beyond their rounding is a conflict, reported, and resolved by the
-- documented rule of release_rank_order, never by row order.
with releases as (
    select
        period, partner_code, partner_kind, flow, vintage, value_usd, source_file, source_row, release_type,
        value_basis, yoy_pct, precision_usd, publisher, citation_url, reports_agreeing
    from {{ ref('stg_kcs_monthly_partner_vintages') }}
    where value_basis <> 'not published' and frequency = 'month'
),

published as (
    select * from releases
    where value_basis = 'published'
),

base_dates as (  -- the days on which a month's best published figure can change
    select distinct period, partner_code, flow, vintage as as_of from published
),

base_known as (  -- on each of those days, the best published figure released by then
    select
        d.as_of, p.*,
        row_number() over (
            partition by p.period, p.partner_code, p.flow, d.as_of order by {{ release_rank_order() }}
        ) as n
    from base_dates as d
    inner join published as p
        on d.period = p.period and d.partner_code = p.partner_code and d.flow = p.flow and d.as_of >= p.vintage
),

base_from as (  -- a base is in force from the first day it is the best one
    select
        period, partner_code, flow, source_file, source_row, vintage, value_usd, precision_usd,
        min(as_of) as valid_from
    from base_known
    where n = 1
    group by period, partner_code, flow, source_file, source_row, vintage, value_usd, precision_usd
),

base_in_force as (  -- ... until a better one is released
    select
        *,
        lead(valid_from) over (partition by period, partner_code, flow order by valid_from) as valid_to
    from base_from
),

derived as (  -- a growth rate on the base in force on its release date, and on every later base
    select
        g.period, g.partner_code, g.partner_kind, g.flow,
        greatest(g.vintage, b.valid_from) as vintage,
        b.value_usd * (1 + g.yoy_pct / 100) as value_usd,
        g.source_file, g.source_row, g.release_type,
        'derived from growth' as value_basis,
        g.yoy_pct,
        0.001 * b.value_usd + coalesce(b.precision_usd, 0) * (1 + g.yoy_pct / 100) as precision_usd,
        g.publisher, g.citation_url, g.reports_agreeing,
        b.period as base_period, b.vintage as derived_from_vintage
    from releases as g
    inner join base_in_force as b
        on g.partner_code = b.partner_code and g.flow = b.flow
            and b.period = cast(g.period - interval 1 year as date)
            and (b.valid_to is null or g.vintage < b.valid_to)
    where g.value_basis = 'growth only'
),

valued as (
    select
        period, partner_code, partner_kind, flow, vintage, value_usd, source_file, source_row, release_type,
        value_basis, yoy_pct, precision_usd, publisher, citation_url, reports_agreeing,
        cast(null as date) as base_period, cast(null as date) as derived_from_vintage
    from releases
    where value_basis in ('published', 'derived from a cumulative')
    union all
    select * from derived
),

conflicts as (  -- printed figures of the same day that differ beyond their rounding
    select
        a.period, a.partner_code, a.flow, a.vintage, a.source_file, a.source_row,
        {{ sorted_distinct_list("cast(cast(round(b.value_usd / 1e6) as bigint) as string) || ' mn USD ('
            || coalesce(b.publisher, b.source_file) || ')'", "; ") }} as conflicting_with
    from published as a
    inner join published as b
        on a.period = b.period and a.partner_code = b.partner_code and a.flow = b.flow and a.vintage = b.vintage
            and not (a.source_file = b.source_file and coalesce(a.source_row, -1) = coalesce(b.source_row, -1))
    where abs(a.value_usd - b.value_usd) > (coalesce(a.precision_usd, 0) + coalesce(b.precision_usd, 0)) / 2
    group by a.period, a.partner_code, a.flow, a.vintage, a.source_file, a.source_row
),

ranked as (
    select
        *,
        row_number()
            over (partition by period, partner_code, flow order by {{ release_rank_order() }})
            as rank_in_month,
        count(*) over (partition by period, partner_code, flow) as releases_in_month
    from valued
)

select r.*, c.conflicting_with
from ranked as r
left join conflicts as c
    on r.period = c.period and r.partner_code = c.partner_code and r.flow = c.flow and r.vintage = c.vintage
        and r.source_file = c.source_file and coalesce(r.source_row, -1) = coalesce(c.source_row, -1)
