-- Who led, month by month: Korea's exports to the US against exports to China, with the margin, each side's
-- share of world exports, and the basis of each month's figures (release type, published or derived from a
-- growth rate). A month where one side has no value has no leader. A lead is `fragile` where a figure is
-- derived from a growth rate, the margin is within the rounding of the two printed figures, or within revision
-- noise (int_revision_noise). Where the first release had the other side ahead, `first_release_leader_code` and
-- `release_note` say so (2026-02: the US ahead in the preliminary release of 2026-03-01, China on final figures).
with exports as (
    select period, partner_code, value_usd, release_type, value_basis, precision_usd, vintage
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
        max(case when partner_code = 'USA' then vintage end) as us_vintage,
        max(case when partner_code = 'CHN' then vintage end) as china_vintage,
        coalesce(max(case when partner_code = 'USA' then precision_usd end), 0)
        + coalesce(max(case when partner_code = 'CHN' then precision_usd end), 0) as rounding_usd
    from exports
    group by period
    having count(case when partner_code in ('USA', 'CHN') then 1 end) > 0
),

first_releases as (  -- the first published figures of each side (release_revisions)
    select
        period_start as period,
        max(us_china_leader_first_release) as first_leader,
        max(first_release_date) as first_known,
        max(case when partner_code = 'USA' then first_release_type end) as us_first_type,
        max(case when partner_code = 'CHN' then first_release_type end) as china_first_type,
        max(case when partner_code = 'USA' then first_release_date end) as us_first_date,
        max(case when partner_code = 'CHN' then first_release_date end) as china_first_date,
        max(case when partner_code = 'USA' then first_release_usd end) as us_first_usd,
        max(case when partner_code = 'CHN' then first_release_usd end) as china_first_usd
    from {{ ref('release_revisions') }}
    where frequency = 'month' and flow = 'export' and partner_code in ('USA', 'CHN')
    group by period_start
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
    cast(l.period as date) as period_start,
    cast(l.leader_code as string) as leader_code,
    cast(abs(l.us_usd - l.china_usd) as double) as margin_usd,
    cast(l.us_usd as double) as us_exports_usd,
    cast(l.china_usd as double) as china_exports_usd,
    cast(l.us_usd / l.world_usd as double) as us_share,
    cast(l.china_usd / l.world_usd as double) as china_share,
    cast(l.us_release as string) as us_release_type,
    cast(l.china_release as string) as china_release_type,
    cast(l.us_basis as string) as us_value_basis,
    cast(l.china_basis as string) as china_value_basis,
    cast(l.us_vintage as date) as us_vintage,
    cast(l.china_vintage as date) as china_vintage,
    cast(n.ratio * least(l.us_usd, l.china_usd) as double) as revision_noise_usd,
    cast(
        l.leader_code is not null
        and (
            l.us_basis <> 'published' or l.china_basis <> 'published'
            or abs(l.us_usd - l.china_usd) <= l.rounding_usd / 2
            or abs(l.us_usd - l.china_usd) <= n.ratio * least(l.us_usd, l.china_usd)
        )
        as boolean
    ) as fragile,
    cast(l.leader_code is not null and l.leader_code <> lag(l.leader_code) over (order by l.period) as boolean)
        as leader_changed,
    cast(f.first_leader as string) as first_release_leader_code,
    cast(f.us_first_usd as double) as us_first_release_usd,
    cast(f.china_first_usd as double) as china_first_release_usd,
    cast(f.first_known as date) as first_release_known,
    cast(case
        when f.first_leader is not null and l.leader_code is not null and f.first_leader <> l.leader_code
            then f.first_leader || ' ahead in the first release ('
                || f.us_first_type || ' of ' || cast(f.us_first_date as string)
                || case when f.china_first_date <> f.us_first_date or f.china_first_type <> f.us_first_type
                        then ' for the US, ' || f.china_first_type || ' of ' || cast(f.china_first_date as string)
                            || ' for China'
                    else ''
                end
                || '); ' || l.leader_code || ' ahead in the figures in use (' || l.us_release || ')'
    end as string) as release_note,
    cast(case
        when l.us_usd is null then 'no US value'
        when l.china_usd is null then 'no China value'
        else 'none'
    end as string) as missing
from led as l
cross join {{ ref('int_revision_noise') }} as n
left join first_releases as f on l.period = f.period
