-- What Korea ships to each partner: exports by product group, from the product files (HS codes).
--   product      named products from 4-digit-or-finer rows: semiconductors (HS 8542), passenger cars (8703)
--   hs_section   HS sections, from complete chapter (HS 2-digit) breakdowns
--   bec_end_use  BEC end-use classes: exact from 6-digit-or-finer rows; from chapters only where a chapter
--                maps to one class (others are `mixed`); passenger cars (BEC 51) are their own class and
--                `consumption_incl_passenger_cars` adds them to consumption
-- `coverage` says how complete each figure is.
{% set products = {'8542': 'semiconductors (HS 8542)', '8703': 'passenger cars (HS 8703)'} %}
with products as (
    select * from {{ ref('int_product_exports_by_period') }}
),

partner_totals as (
    select period_start, frequency, partner_code, value_usd as total_usd, 'customs total' as total_basis
    from {{ ref('int_partner_trade_by_period') }}
    where flow = 'export'
),

chapter_totals as (
    -- a chapter breakdown lists every chapter of the partner: its sum is the partner's total
    select period_start, frequency, partner_code, sum(value_usd) as total_usd, 'sum of HS chapters' as total_basis
    from products where hs_digits = 2
    group by all
),

chapter_end_use as (
    select substr(h.hs6, 1, 2) as hs2, case when count(distinct e.end_use) = 1 then any_value(e.end_use)
                                            else 'mixed' end as end_use
    from {{ ref('hs6_to_bec4') }} as h
    join {{ ref('bec4_end_use') }} as e on e.bec4 = h.bec4
    group by 1
),

hs6_end_use as (
    select h.hs6, case when count(distinct e.end_use) = 1 then any_value(e.end_use) else 'mixed' end as end_use
    from {{ ref('hs6_to_bec4') }} as h
    join {{ ref('bec4_end_use') }} as e on e.bec4 = h.bec4
    group by 1
),

named_products as (
    {% for prefix, name in products.items() %}
    {% if not loop.first %}union all{% endif %}
    select period_start, frequency, partner_code, 'product' as product_group_kind, '{{ name }}' as product_group,
           sum(value_usd) as exports_usd, 'exact (HS {{ prefix }})' as coverage, 'hs4+' as detail_level
    from products
    where hs_digits >= 4 and hs_code like '{{ prefix }}%'
    group by all
    {% endfor %}
),

sections as (
    select p.period_start, p.frequency, p.partner_code, 'hs_section' as product_group_kind,
           c.section || ' ' || s.section_name as product_group, sum(p.value_usd) as exports_usd,
           'all HS chapters' as coverage, 'hs2' as detail_level
    from products as p
    join {{ ref('hs_chapters') }} as c on c.hs2 = p.hs_code
    join {{ ref('hs_sections') }} as s on s.section = c.section
    where p.hs_digits = 2
    group by all
),

end_use_rows as (
    select p.period_start, p.frequency, p.partner_code, coalesce(u.end_use, 'mixed') as end_use, p.value_usd,
           'hs2' as detail_level
    from products as p
    left join chapter_end_use as u on u.hs2 = p.hs_code
    where p.hs_digits = 2
    union all
    select p.period_start, p.frequency, p.partner_code, coalesce(u.end_use, 'unclassified'), p.value_usd, 'hs6+'
    from products as p
    left join hs6_end_use as u on u.hs6 = substr(p.hs_code, 1, 6)
    where p.hs_digits >= 6
),

end_use as (
    select period_start, frequency, partner_code, 'bec_end_use' as product_group_kind, end_use as product_group,
           sum(value_usd) as exports_usd, detail_level
    from end_use_rows
    group by all
    union all
    select period_start, frequency, partner_code, 'bec_end_use', 'consumption_incl_passenger_cars',
           sum(value_usd), detail_level
    from end_use_rows
    where end_use in ('consumption', 'passenger_cars')
    group by all
),

end_use_coverage as (
    select period_start, frequency, partner_code, detail_level,
           sum(value_usd) filter (where end_use <> 'mixed') / sum(value_usd) as classified_share
    from end_use_rows
    group by all
),

end_use_with_coverage as (
    select e.*, case e.detail_level
        when 'hs2' then 'HS chapters; ' || round(100 * c.classified_share, 1)
                        || ' % of exports in chapters of a single end use, the rest is mixed'
        else 'only the HS 6-digit products present in the files'
    end as coverage
    from end_use as e
    join end_use_coverage as c using (period_start, frequency, partner_code, detail_level)
),

all_groups as (
    select period_start, frequency, partner_code, product_group_kind, product_group, exports_usd, coverage, detail_level
    from named_products
    union all
    select period_start, frequency, partner_code, product_group_kind, product_group, exports_usd, coverage, detail_level
    from sections
    union all
    select period_start, frequency, partner_code, product_group_kind, product_group, exports_usd, coverage, detail_level
    from end_use_with_coverage
),

with_totals as (
    select g.*, coalesce(t.total_usd, c.total_usd) as partner_exports_usd,
           coalesce(t.total_basis, c.total_basis) as total_basis
    from all_groups as g
    left join partner_totals as t using (period_start, frequency, partner_code)
    left join chapter_totals as c using (period_start, frequency, partner_code)
)

select
    cast(period_start as date) as period_start,
    cast(frequency as varchar) as frequency,
    cast(partner_code as varchar) as partner_code,
    cast(product_group_kind as varchar) as product_group_kind,
    cast(product_group as varchar) as product_group,
    cast(exports_usd as double) as exports_usd,
    cast(exports_usd / nullif(partner_exports_usd, 0) as double) as share_of_partner_exports,
    cast(partner_exports_usd as double) as partner_exports_usd,
    cast(total_basis as varchar) as partner_exports_basis,
    cast(coverage as varchar) as coverage,
    cast(detail_level as varchar) as detail_level,
    cast('customs' as varchar) as basis,
    cast('kcs_product_partner' as varchar) as source
from with_totals
