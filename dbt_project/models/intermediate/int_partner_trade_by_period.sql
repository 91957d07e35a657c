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
    on g.partner_code = r.partner_code and g.frequency = r.frequency and g.period_start = r.period_start
        and g.flow = r.flow
