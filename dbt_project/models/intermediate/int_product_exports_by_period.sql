-- Exports of selected products per period × partner × HS code: the spans the files report (a month,
-- or e.g. January–June), quarters and years summed from complete sets of monthly rows, and partner
-- groups summed from members where the file lists every partner (>= var concentration_min_countries
-- countries) or every member of the group is present.
{% set grains = {'quarter': 3, 'year': 12} %}
with rows as (
    select * from {{ ref('stg_kcs_product_partner') }} where flow = 'export'
),

by_period as (
    select period_start, case months when 1 then 'month' when 3 then 'quarter' when 6 then 'half'
                                      when 12 then 'year' else 'months_' || months end as frequency,
           partner_code, partner_kind, hs_code, hs_digits, value_usd
    from rows
    {% for grain, n_months in grains.items() %}
    union all
    select cast(date_trunc('{{ grain }}', period_start) as date), '{{ grain }}', partner_code,
           any_value(partner_kind), hs_code, hs_digits, sum(value_usd)
    from rows
    where months = 1
    group by 1, partner_code, hs_code, hs_digits
    having count(*) = {{ n_months }}
    {% endfor %}
),

listing as (
    -- how many countries each period's files list
    select period_start, frequency, count(distinct partner_code) as countries_listed
    from by_period where partner_kind = 'country'
    group by all
),

members as (
    select group_code, member_iso3, coalesce(valid_from, date '1900-01-01') as valid_from,
           coalesce(valid_to, date '9999-12-31') as valid_to
    from {{ ref('partner_group_members') }}
),

codes as (
    select distinct period_start, frequency, hs_code, hs_digits from by_period
),

groups as (
    select c.period_start, c.frequency, m.group_code as partner_code, 'group' as partner_kind, c.hs_code,
           c.hs_digits, coalesce(sum(p.value_usd), 0) as value_usd,
           count(p.partner_code) as members_reported, count(*) as members_expected
    from codes as c
    join members as m on m.valid_from <= c.period_start and m.valid_to >= c.period_start
    left join by_period as p
        on p.period_start = c.period_start and p.frequency = c.frequency and p.hs_code = c.hs_code
        and p.partner_code = m.member_iso3
    group by all
)

select * from by_period
union all
select g.period_start, g.frequency, g.partner_code, g.partner_kind, g.hs_code, g.hs_digits, g.value_usd
from groups as g
join listing as l using (period_start, frequency)
where g.members_reported = g.members_expected
   or (l.countries_listed >= {{ var('concentration_min_countries') }} and g.members_reported > 0)
