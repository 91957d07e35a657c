-- Partner groups summed from their member countries, with membership by date (a country counts in a
-- period that starts on or after it joined). Only where every member's trade is known:
--   * years that KOSIS covers (KOSIS lists every partner Korea traded with, so a missing member traded nothing);
--   * other periods only if every member valid in the period has a row (e.g. China + Hong Kong monthly).
with reported as (
    select * from {{ ref('int_partner_trade_reported') }}
),

countries as (
    select * from reported where partner_kind = 'country'
),

kosis_years as (
    select distinct make_date(year, 1, 1) as period_start from {{ ref('stg_kosis_annual_partner') }}
),

members as (
    select
        m.group_code,
        m.member_iso3,
        coalesce(m.valid_from, date '1900-01-01') as valid_from,
        coalesce(m.valid_to, date '9999-12-31') as valid_to
    from {{ ref('partner_group_members') }} as m
),

periods as (
    select distinct period_start, frequency, flow from countries
),

expected as (
    -- members each group should have in each period
    select p.period_start, p.frequency, p.flow, m.group_code, m.member_iso3
    from periods as p
    join members as m on m.valid_from <= p.period_start and m.valid_to >= p.period_start
),

summed as (
    select
        e.period_start,
        e.frequency,
        e.group_code as partner_code,
        e.flow,
        sum(c.value_usd) as value_usd,
        count(c.partner_code) as members_reported,
        count(*) as members_expected
    from expected as e
    left join countries as c
        on c.partner_code = e.member_iso3 and c.period_start = e.period_start
        and c.frequency = e.frequency and c.flow = e.flow
    group by all
)

select s.period_start, s.frequency, s.partner_code, 'group' as partner_kind, s.flow,
       coalesce(s.value_usd, 0) as value_usd, 'sum of members' as source
from summed as s
left join kosis_years as k on s.frequency = 'year' and k.period_start = s.period_start
where s.members_reported = s.members_expected
   or (k.period_start is not null and s.members_reported > 0)
