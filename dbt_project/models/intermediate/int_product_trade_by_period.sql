-- Exports and imports of selected products per period × partner × flow × HS code: the spans the files
-- report (a month, or e.g. January–June), quarters and years summed from complete sets of monthly rows,
-- and partner groups summed from members where the files list every partner of the flow
-- (>= var complete_listing_min_countries countries) or every member of the group is present.
with rows as (
    select * from {{ ref('stg_kcs_product_partner') }}
),

monthly as (
    select * from rows
    where months = 1
),

by_period as (
    select
        period_start,
        case months
            when 1 then 'month' when 3 then 'quarter' when 6 then 'half' when 12 then 'year'
            else 'months_' || months
        end as frequency,
        partner_code, partner_kind, flow, hs_code, hs_digits, value_usd
    from rows
    union all
    {{ sum_complete_months('monthly', ['partner_code', 'partner_kind', 'flow', 'hs_code', 'hs_digits']) }}
),

countries as (
    select * from by_period
    where partner_kind = 'country'
),

complete_listings as (
    -- per flow: a file may list every partner for one flow only (the HS 8542 file: exports)
    select period_start, frequency, flow from countries
    group by all
    having count(distinct partner_code) >= {{ var('complete_listing_min_countries') }}
)

select * from by_period
union all
select period_start, frequency, partner_code, 'group' as partner_kind, flow, hs_code, hs_digits, value_usd
from ({{ sum_groups_from_members('countries', ['flow', 'hs_code', 'hs_digits'], 'complete_listings', ['flow']) }})
