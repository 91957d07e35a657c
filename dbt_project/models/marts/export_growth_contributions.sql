-- What drove Korea's export growth: each partner's contribution to the year-on-year growth of total exports
-- (Δ exports to the partner ÷ total exports a year earlier), per month, quarter, year and the latest year to date,
-- for a set of partners that do not overlap (dbt var contribution_partners), with the rest of the world as the
-- residual: the contributions and the residual add up to total growth. Where the data allow, the part of HS 8542
-- (integrated circuits) in each change, on the same scale.
{% set partners = var('contribution_partners') %}
with trade as (
    select period_start, frequency, partner_code, value_usd, value_basis, source
    from {{ ref('int_partner_trade_by_period') }}
    where flow = 'export' and frequency in ('month', 'quarter', 'year')
        and partner_code in (
            'WLD', '{{ partners | join("', '") }}'
        )
),

chips as (
    select period_start, frequency, partner_code, value_usd
    from {{ ref('int_product_trade_by_period') }}
    where flow = 'export' and hs_code = '8542' and frequency in ('month', 'quarter', 'year')
        and partner_code in (
            'WLD', '{{ partners | join("', '") }}'
        )
),

ytd_end as (  -- the latest month with every listed partner: the year to date runs January to it
    select max(period_start) as last_month
    from (
        select period_start from trade
        where frequency = 'month' and partner_code <> 'WLD'
        group by period_start
        having count(*) = {{ partners | length }}
    ) as complete
),

ytd_months as (  -- those months of the latest year and of the year before, if the latest year is incomplete
    select t.*, e.last_month
    from trade as t
    cross join ytd_end as e
    where t.frequency = 'month' and month(e.last_month) < 12
        and year(t.period_start) in (year(e.last_month), year(e.last_month) - 1)
        and month(t.period_start) <= month(e.last_month)
),

ytd as (
    select
        make_date(year(period_start), 1, 1) as period_start, 'ytd' as frequency, partner_code,
        sum(value_usd) as value_usd, {{ combined_value_basis('value_basis') }} as value_basis,
        max(source) as source
    from ytd_months
    group by make_date(year(period_start), 1, 1), partner_code
    having count(*) = max(month(last_month))
),

chips_ytd as (
    select
        make_date(year(c.period_start), 1, 1) as period_start, 'ytd' as frequency, c.partner_code,
        sum(c.value_usd) as value_usd
    from chips as c
    cross join ytd_end as e
    where c.frequency = 'month' and month(e.last_month) < 12
        and year(c.period_start) in (year(e.last_month), year(e.last_month) - 1)
        and month(c.period_start) <= month(e.last_month)
    group by make_date(year(c.period_start), 1, 1), c.partner_code
    having count(*) = max(month(e.last_month))
),

periods as (
    select period_start, frequency, partner_code, value_usd, value_basis, source from trade
    union all
    select period_start, frequency, partner_code, value_usd, value_basis, source from ytd
),

all_chips as (
    select * from chips
    union all
    select * from chips_ytd
),

paired as (  -- each period against the same period a year earlier
    select
        c.period_start, c.frequency, c.partner_code,
        c.value_usd as exports_usd, b.value_usd as exports_year_before_usd,
        {{ pair_value_basis('c.value_basis', 'b.value_basis') }} as value_basis,
        c.source
    from periods as c
    inner join periods as b
        on c.partner_code = b.partner_code and c.frequency = b.frequency
            and b.period_start = cast(c.period_start - interval 1 year as date)
),

world as (
    select * from paired
    where partner_code = 'WLD'
),

listed as (
    select p.*
    from paired as p
    semi join world using (period_start, frequency)
    where p.partner_code <> 'WLD'
),

expected as (  -- every listed partner in every period of the world
    {% for partner in partners %}
        {% if not loop.first %}union all{% endif %}
        select period_start, frequency, '{{ partner }}' as partner_code from world
    {% endfor %}
),

missing as (
    select e.period_start, e.frequency, {{ sorted_distinct_list('e.partner_code', ', ') }} as partners_missing
    from expected as e
    anti join listed using (period_start, frequency, partner_code)
    group by e.period_start, e.frequency
),

rest as (  -- the rest of the world: the world's change not in the listed partners (with those missing)
    select
        w.period_start, w.frequency, 'REST_OF_WORLD' as partner_code,
        w.exports_usd - coalesce(sum(l.exports_usd), 0) as exports_usd,
        w.exports_year_before_usd - coalesce(sum(l.exports_year_before_usd), 0) as exports_year_before_usd,
        w.value_basis, w.source
    from world as w
    left join listed as l using (period_start, frequency)
    group by w.period_start, w.frequency, w.exports_usd, w.exports_year_before_usd, w.value_basis, w.source
),

rows as (
    select *, 'world' as role from world
    union all
    select *, 'partner' as role from listed
    union all
    select *, 'rest of world' as role from rest
)

select
    cast(r.period_start as date) as period_start,
    cast(r.frequency as string) as frequency,
    cast(
        case r.frequency when 'month' then 1 when 'quarter' then 3 when 'year' then 12 else month(e.last_month) end
        as integer
    ) as months,
    cast(r.partner_code as string) as partner_code,
    cast(coalesce(p.partner_name, 'Rest of the world') as string) as partner_name,
    cast(r.role as string) as role,
    cast(r.exports_usd as double) as exports_usd,
    cast(r.exports_year_before_usd as double) as exports_year_before_usd,
    cast(r.exports_usd - r.exports_year_before_usd as double) as change_usd,
    cast(w.exports_year_before_usd as double) as world_exports_year_before_usd,
    cast(w.exports_usd / w.exports_year_before_usd - 1 as double) as world_growth,
    cast((r.exports_usd - r.exports_year_before_usd) / w.exports_year_before_usd as double) as contribution,
    cast(
        (r.exports_usd - r.exports_year_before_usd) / nullif(w.exports_usd - w.exports_year_before_usd, 0)
        as double
    ) as share_of_world_change,
    cast(c.value_usd as double) as hs8542_exports_usd,
    cast(cb.value_usd as double) as hs8542_exports_year_before_usd,
    cast((c.value_usd - cb.value_usd) / w.exports_year_before_usd as double) as hs8542_contribution,
    cast(case when r.role = 'rest of world' then m.partners_missing end as string) as partners_missing,
    cast('customs' as string) as basis,
    cast(r.value_basis as string) as value_basis,
    cast(r.source as string) as source
from rows as r
cross join ytd_end as e
inner join world as w on r.period_start = w.period_start and r.frequency = w.frequency
left join missing as m on r.period_start = m.period_start and r.frequency = m.frequency
left join all_chips as c
    on r.period_start = c.period_start and r.frequency = c.frequency and r.partner_code = c.partner_code
left join all_chips as cb
    on r.partner_code = cb.partner_code and r.frequency = cb.frequency
        and cb.period_start = cast(r.period_start - interval 1 year as date)
left join {{ ref('int_partners') }} as p on r.partner_code = p.partner_code
