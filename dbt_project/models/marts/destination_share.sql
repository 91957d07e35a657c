-- Where Korea's exports go: each partner's exports and share of the reported world total,
-- by month, quarter and year. Shares divide by the world total (WLD), never by a sum of partners.
with exports as (
    select period_start, frequency, partner_code, partner_kind, value_usd as exports_usd, value_basis, source
    from {{ ref('int_partner_trade_by_period') }}
    where flow = 'export'
),

world as (
    select period_start, frequency, exports_usd as world_exports_usd, value_basis
    from exports
    where partner_code = 'WLD'
),

with_world as (
    select
        e.period_start,
        e.frequency,
        e.partner_code,
        e.partner_kind,
        e.exports_usd,
        w.world_exports_usd,
        e.exports_usd / w.world_exports_usd as share,
        {{ pair_value_basis('e.value_basis', 'w.value_basis') }} as value_basis,
        e.source
    from exports as e
    left join world as w using (period_start, frequency)
),

ranked as (
    select
        *,
        case
            when partner_kind = 'country'
                then rank() over (partition by period_start, frequency, partner_kind order by exports_usd desc)
        end as rank_among_countries,
        count(*) filter (where partner_kind = 'country')
            over (partition by period_start, frequency) as countries_reported
    from with_world
)

select
    cast(r.period_start as date) as period_start,
    cast(r.frequency as string) as frequency,
    cast(r.partner_code as string) as partner_code,
    cast(p.partner_name as string) as partner_name,
    cast(r.partner_kind as string) as partner_kind,
    cast(r.exports_usd as double) as exports_usd,
    cast(r.world_exports_usd as double) as world_exports_usd,
    cast(r.share as double) as share,
    cast(
        case when r.countries_reported >= {{ var('complete_listing_min_countries') }} then r.rank_among_countries end
        as integer
    ) as rank_among_countries,
    cast(r.exports_usd / year_before.exports_usd - 1 as double) as yoy_growth,
    cast('customs' as string) as basis,
    cast(r.value_basis as string) as value_basis,
    cast(r.source as string) as source,
    cast(r.countries_reported as integer) as countries_reported
from ranked as r
left join {{ ref('int_partners') }} as p on r.partner_code = p.partner_code
left join exports as year_before
    on r.partner_code = year_before.partner_code
        and r.frequency = year_before.frequency
        and cast(r.period_start - interval 1 year as date) = year_before.period_start
