-- Exports, imports and the balance with each partner, by month, quarter and year (customs basis:
-- exports FOB, imports CIF). Watched partners (var watched_partners: the US) carry a flag when the
-- surplus passes the threshold or grows fast year on year.
{% set per_year = var('surplus_watch_threshold_usd_per_year') %}
with trade as (
    select * from {{ ref('int_partner_trade_by_period') }}
),

paired as (
    select
        x.period_start, x.frequency, x.partner_code, x.partner_kind,
        x.value_usd as exports_usd, m.value_usd as imports_usd,
        x.value_usd - m.value_usd as balance_usd,
        {{ pair_value_basis('x.value_basis', 'm.value_basis') }} as value_basis,
        case when x.source = m.source then x.source else x.source || ' + ' || m.source end as source
    from trade as x
    inner join trade as m
        on x.period_start = m.period_start and x.frequency = m.frequency and x.partner_code = m.partner_code
            and m.flow = 'import'
    where x.flow = 'export'
),

with_prior as (
    select
        p.*,
        p.balance_usd - year_before.balance_usd as balance_yoy_change_usd,
        (p.balance_usd - year_before.balance_usd) / abs(year_before.balance_usd) as balance_yoy_growth,
        {{ per_year }} / case p.frequency when 'month' then 12 when 'quarter' then 4 else 1 end as threshold_usd
    from paired as p
    left join paired as year_before
        on p.partner_code = year_before.partner_code and p.frequency = year_before.frequency
            and cast(p.period_start - interval 1 year as date) = year_before.period_start
)

select
    cast(w.period_start as date) as period_start,
    cast(w.frequency as string) as frequency,
    cast(w.partner_code as string) as partner_code,
    cast(n.partner_name as string) as partner_name,
    cast(w.partner_kind as string) as partner_kind,
    cast(w.exports_usd as double) as exports_usd,
    cast(w.imports_usd as double) as imports_usd,
    cast(w.balance_usd as double) as balance_usd,
    cast(w.balance_yoy_change_usd as double) as balance_yoy_change_usd,
    cast(case
        when w.partner_code not in ('{{ var("watched_partners") | join("', '") }}') then null
        when w.balance_usd >= w.threshold_usd and w.balance_yoy_growth >= {{ var('surplus_watch_yoy_growth') }}
            then 'surplus above threshold and growing fast'
        when w.balance_usd >= w.threshold_usd then 'surplus above threshold'
        when w.balance_usd > 0 and w.balance_yoy_growth >= {{ var('surplus_watch_yoy_growth') }}
            then 'surplus growing fast'
        else 'none'
    end as string) as watch_flag,
    cast(w.threshold_usd as double) as watch_threshold_usd,
    cast('customs' as string) as basis,
    cast(w.value_basis as string) as value_basis,
    cast(w.source as string) as source
from with_prior as w
left join {{ ref('int_partners') }} as n on w.partner_code = n.partner_code
