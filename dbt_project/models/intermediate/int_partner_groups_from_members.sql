-- Partner groups summed from their member countries, with membership by date, only where every member's
-- trade is known: years that KOSIS covers (KOSIS lists every partner Korea traded with, so a missing
-- member traded nothing), and other periods only if every member has a row (e.g. China + Hong Kong monthly).
with countries as (
    select * from {{ ref('int_partner_trade_reported') }}
    where partner_kind = 'country'
),

kosis_years as (
    select distinct make_date(year, 1, 1) as period_start, 'year' as frequency
    from {{ ref('stg_kosis_annual_partner') }}
)

select
    period_start, frequency, partner_code, 'group' as partner_kind, flow, value_usd, value_basis,
    'sum of members' as source
from ({{ sum_groups_from_members('countries', ['flow'], 'kosis_years', basis='value_basis') }})
