-- What Korea ships to each partner: exports by product group, from the product files (HS codes).
--   product      named products from 4-digit-or-finer rows: semiconductors (HS 8542), passenger cars (8703)
--   hs_section   HS sections, from complete chapter (HS 2-digit) breakdowns
--   bec_end_use  BEC end-use classes (int_hs_end_use): exact from 6-digit-or-finer rows; from chapters only
--                where a chapter maps to one class (others are `mixed`); passenger cars (BEC 51) are their own
--                class and `consumption_incl_passenger_cars` adds them to consumption
-- `coverage` says how complete each figure is; the share divides by the partner's customs total, or else by
-- the sum of its chapter breakdown.
with products as (
    select * from {{ ref('int_product_trade_by_period') }}
    where flow = 'export'
),

partner_totals as (
    select period_start, frequency, partner_code, value_usd as total_usd, 'customs total' as total_basis
    from {{ ref('int_partner_trade_by_period') }}
    where flow = 'export'
),

chapter_totals as (
    -- a chapter breakdown lists every chapter of the partner: its sum is the partner's total
    select period_start, frequency, partner_code, sum(value_usd) as total_usd, 'sum of HS chapters' as total_basis
    from products
    where hs_digits = 2
    group by all
),

named_products as (
    select
        p.period_start, p.frequency, p.partner_code, 'product' as product_group_kind, n.product_group,
        sum(p.value_usd) as exports_usd, 'exact (HS ' || n.hs4 || ')' as coverage, 'hs4+' as detail_level
    from products as p
    inner join (values ('8542', 'semiconductors (HS 8542)'), ('8703', 'passenger cars (HS 8703)'))
        as n (hs4, product_group)
        on starts_with(p.hs_code, n.hs4)
    where p.hs_digits >= 4
    group by all
),

sections as (
    select
        p.period_start, p.frequency, p.partner_code, 'hs_section' as product_group_kind,
        c.section || ' ' || s.section_name as product_group, sum(p.value_usd) as exports_usd,
        'all HS chapters' as coverage, 'hs2' as detail_level
    from products as p
    inner join {{ ref('hs_chapters') }} as c on p.hs_code = c.hs2
    inner join {{ ref('hs_sections') }} as s on c.section = s.section
    where p.hs_digits = 2
    group by all
),

end_use_rows as (
    -- a chapter row takes the chapter's class (`mixed` if unknown), a 6-digit-or-finer row its subheading's
    -- (`unclassified` if unknown): the first 6 characters of a chapter code are the chapter code itself
    select
        p.period_start, p.frequency, p.partner_code, p.value_usd,
        coalesce(u.end_use, case when p.hs_digits = 2 then 'mixed' else 'unclassified' end) as end_use,
        case when p.hs_digits = 2 then 'hs2' else 'hs6+' end as detail_level
    from products as p
    left join {{ ref('int_hs_end_use') }} as u on substr(p.hs_code, 1, 6) = u.hs_code
    where p.hs_digits = 2 or p.hs_digits >= 6
),

end_use as (
    select
        period_start, frequency, partner_code, 'bec_end_use' as product_group_kind, end_use as product_group,
        sum(value_usd) as exports_usd, detail_level
    from end_use_rows
    group by all
    union all
    select
        period_start, frequency, partner_code, 'bec_end_use' as product_group_kind,
        'consumption_incl_passenger_cars' as product_group, sum(value_usd) as exports_usd, detail_level
    from end_use_rows
    where end_use in ('consumption', 'passenger_cars')
    group by all
),

end_use_coverage as (
    select
        period_start, frequency, partner_code, detail_level,
        case detail_level
            when 'hs2'
                then
                    'HS chapters; '
                    || round(100 * (sum(value_usd) filter (where end_use <> 'mixed') / sum(value_usd)), 1)
                    || ' % of exports in chapters of a single end use, the rest is mixed'
            else 'only the HS 6-digit products present in the files'
        end as coverage
    from end_use_rows
    group by period_start, frequency, partner_code, detail_level
),

all_groups as (
    select * from named_products
    union all by name
    select * from sections
    union all by name
    select e.*, c.coverage
    from end_use as e
    inner join end_use_coverage as c using (period_start, frequency, partner_code, detail_level)
)

select
    cast(g.period_start as date) as period_start,
    cast(g.frequency as varchar) as frequency,
    cast(g.partner_code as varchar) as partner_code,
    cast(g.product_group_kind as varchar) as product_group_kind,
    cast(g.product_group as varchar) as product_group,
    cast(g.exports_usd as double) as exports_usd,
    cast(g.exports_usd / nullif(coalesce(t.total_usd, c.total_usd), 0) as double) as share_of_partner_exports,
    cast(coalesce(t.total_usd, c.total_usd) as double) as partner_exports_usd,
    cast(coalesce(t.total_basis, c.total_basis) as varchar) as partner_exports_basis,
    cast(g.coverage as varchar) as coverage,
    cast(g.detail_level as varchar) as detail_level,
    cast('customs' as varchar) as basis,
    cast('kcs_product_partner' as varchar) as source
from all_groups as g
left join partner_totals as t using (period_start, frequency, partner_code)
left join chapter_totals as c using (period_start, frequency, partner_code)
