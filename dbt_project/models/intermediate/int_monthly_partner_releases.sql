-- Every release of a partner-month with a value: as published, or derived from a published growth rate and the
-- value of the same month a year earlier (the best published value of that month: never a derived one). Each
-- release is ranked within its month (release_rank_order: official before `other`, published before derived,
-- then the latest vintage and the finer rounding; rank 1 is what the marts use) and checked against the other
-- releases of the same day: a difference beyond their rounding is a conflict, reported, not resolved.
with releases as (
    select
        period, partner_code, partner_kind, flow, vintage, value_usd, source_file, source_row, release_type,
        value_basis, yoy_pct, precision_usd, publisher, citation_url
    from {{ ref('stg_kcs_monthly_partner_vintages') }}
    where value_basis <> 'not published' and frequency = 'month'
),

published as (
    select *, row_number() over (partition by period, partner_code, flow order by {{ release_rank_order() }}) as n
    from releases
    where value_basis = 'published'
),

derived as (
    select
        g.period, g.partner_code, g.partner_kind, g.flow, g.vintage,
        b.value_usd * (1 + g.yoy_pct / 100) as value_usd,
        g.source_file, g.source_row, g.release_type,
        'derived from growth' as value_basis,
        g.yoy_pct,
        0.001 * b.value_usd + coalesce(b.precision_usd, 0) * (1 + g.yoy_pct / 100) as precision_usd,
        g.publisher, g.citation_url,
        b.period as base_period, b.vintage as base_vintage
    from releases as g
    inner join published as b
        on b.n = 1 and g.partner_code = b.partner_code and g.flow = b.flow
            and b.period = cast(g.period - interval 1 year as date)
    where g.value_basis = 'growth only'
),

valued as (
    select
        period, partner_code, partner_kind, flow, vintage, value_usd, source_file, source_row, release_type,
        value_basis, yoy_pct, precision_usd, publisher, citation_url,
        cast(null as date) as base_period, cast(null as date) as base_vintage
    from published
    union all
    select * from derived
),

conflicts as (  -- published figures of the same day that differ beyond their rounding
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
