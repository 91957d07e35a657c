-- No single country can buy more than Korea's total exports of the same period.
select period_start, frequency, partner_code, exports_usd, world_exports_usd
from {{ ref('destination_share') }}
where partner_kind = 'country' and exports_usd > world_exports_usd
