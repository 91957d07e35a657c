-- Partner groups summed from their member countries, with membership by date, only where every member's
-- trade is known: years that KOSIS covers (KOSIS lists every partner Korea traded with, so a missing
-- member traded nothing), and other periods only if every member has a row (e.g. China + Hong Kong monthly).
-- A quarter or year whose months are all known is the sum of those months, each with its own members (Timor-Leste
-- joins ASEAN on 2025-10-26: in November and December, not in October); otherwise the members at its start.
with countries as (
    select * from {{ ref('int_partner_trade_reported') }}
    where partner_kind = 'country'
),

kosis_years as (
    select distinct make_date(year, 1, 1) as period_start, 'year' as frequency
    from {{ ref('stg_kosis_annual_partner') }}
),

by_members as (
    select * from ({{ sum_groups_from_members('countries', ['flow'], 'kosis_years', basis='value_basis') }})
),

months as (
    select * from by_members
    where frequency = 'month'
),

from_months as (
    {{ sum_complete_months('months', ['partner_code', 'flow'], basis='value_basis') }}
),

groups as (
    select period_start, frequency, partner_code, flow, value_usd, value_basis from months
    union all
    select period_start, frequency, partner_code, flow, value_usd, value_basis from from_months
    union all
    select b.period_start, b.frequency, b.partner_code, b.flow, b.value_usd, b.value_basis
    from by_members as b
    anti join from_months using (period_start, frequency, partner_code, flow)
    where b.frequency <> 'month'
)

select
    period_start, frequency, partner_code, 'group' as partner_kind, flow, value_usd, value_basis,
    'sum of members' as source
from groups
