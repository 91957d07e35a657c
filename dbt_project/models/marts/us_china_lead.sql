-- Who led, month by month: Korea's exports to the US against exports to China, with the margin, each side's
-- share of world exports, and the basis of each month's figures (release type, published or derived from a
-- growth rate). A month where one side has no value has no leader. A lead is `fragile` where a figure is
-- derived from a growth rate or the margin is within the rounding of the two printed figures.
with exports as (
    select period, partner_code, value_usd, release_type, value_basis, precision_usd
    from {{ ref('int_monthly_partner_trade') }}
    where flow = 'export' and partner_code in ('USA', 'CHN', 'WLD')
),

months as (
    select
        period,
        max(case when partner_code = 'USA' then value_usd end) as us_usd,
        max(case when partner_code = 'CHN' then value_usd end) as china_usd,
        max(case when partner_code = 'WLD' then value_usd end) as world_usd,
        max(case when partner_code = 'USA' then release_type end) as us_release,
        max(case when partner_code = 'CHN' then release_type end) as china_release,
        max(case when partner_code = 'USA' then value_basis end) as us_basis,
        max(case when partner_code = 'CHN' then value_basis end) as china_basis,
        coalesce(max(case when partner_code = 'USA' then precision_usd end), 0)
        + coalesce(max(case when partner_code = 'CHN' then precision_usd end), 0) as rounding_usd
    from exports
    group by period
    having count(case when partner_code in ('USA', 'CHN') then 1 end) > 0
),

led as (
    select
        *,
        case
            when us_usd is null or china_usd is null then null
            when us_usd > china_usd then 'USA'
            when china_usd > us_usd then 'CHN'
            else 'tie'
        end as leader_code
    from months
)

select
    cast(period as date) as period_start,
    cast(leader_code as string) as leader_code,
    cast(abs(us_usd - china_usd) as double) as margin_usd,
    cast(us_usd as double) as us_exports_usd,
    cast(china_usd as double) as china_exports_usd,
    cast(us_usd / world_usd as double) as us_share,
    cast(china_usd / world_usd as double) as china_share,
    cast(us_release as string) as us_release_type,
    cast(china_release as string) as china_release_type,
    cast(us_basis as string) as us_value_basis,
    cast(china_basis as string) as china_value_basis,
    cast(
        leader_code is not null
        and (us_basis <> 'published' or china_basis <> 'published' or abs(us_usd - china_usd) <= rounding_usd / 2)
        as boolean
    ) as fragile,
    cast(leader_code is not null and leader_code <> lag(leader_code) over (order by period) as boolean)
        as leader_changed,
    cast(case
        when us_usd is null then 'no US value'
        when china_usd is null then 'no China value'
    end as string) as missing
from led
