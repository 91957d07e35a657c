-- Exports and imports per period × partner: what the sources report, plus the partner groups they do
-- not report, summed from their members (int_partner_groups_from_members).
with reported as (
    select * from {{ ref('int_partner_trade_reported') }}
)

select * from reported
union all
select g.*
from {{ ref('int_partner_groups_from_members') }} as g
anti join reported as r
    on r.partner_code = g.partner_code and r.frequency = g.frequency and r.period_start = g.period_start
    and r.flow = g.flow
