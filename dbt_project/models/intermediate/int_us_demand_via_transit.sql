-- A gross proxy of Korea's exposure to US demand through a transit country, one row per transit country ×
-- year where both inputs exist: Korea's exports to the country (customs basis, complete years) × the US
-- share of that country's exports as the country reports them to the IMF (DOTS: exports to the US ÷ exports
-- to the world). Not a value-added estimate, and an upper bound: it counts every Korean export to the country
-- as re-exported (none used there), in the proportion of the country's exports that go to the US, and counts
-- gross values. Transit countries are the DOTS reporters
-- other than Korea and the US (the shipped workbooks: China only; an ASEAN member appears once its workbook
-- is loaded).
with transit_exports as (
    select reporter_code as transit_code, year(period_start) as year, partner_code, value_usd
    from {{ ref('stg_partner_reported_trade') }}
    where source = 'IMF_DOTS' and frequency = 'year' and flow = 'export'
        and reporter_code not in ('KOR', 'USA') and partner_code in ('USA', 'WLD')
),

us_share as (
    select
        us.transit_code, us.year,
        us.value_usd as transit_exports_to_us_usd,
        world.value_usd as transit_exports_to_world_usd,
        us.value_usd / world.value_usd as us_share_of_transit_exports
    from transit_exports as us
    inner join transit_exports as world on us.transit_code = world.transit_code and us.year = world.year
    where us.partner_code = 'USA' and world.partner_code = 'WLD' and world.value_usd > 0
),

korea_exports as (
    select partner_code as transit_code, year(period_start) as year, value_usd as korea_exports_usd, source
    from {{ ref('int_partner_trade_by_period') }}
    where flow = 'export' and frequency = 'year'
)

select
    s.transit_code,
    coalesce(p.partner_name, s.transit_code) as transit_name,
    s.year,
    k.korea_exports_usd,
    k.source as korea_exports_source,
    s.transit_exports_to_us_usd,
    s.transit_exports_to_world_usd,
    s.us_share_of_transit_exports,
    k.korea_exports_usd * s.us_share_of_transit_exports as proxy_usd
from us_share as s
inner join korea_exports as k on s.transit_code = k.transit_code and s.year = k.year
left join {{ ref('int_partners') }} as p on s.transit_code = p.partner_code
