-- What Korea ships to each partner: exports by product group, from the product files (HS codes).
--   product      named products from 4-digit-or-finer rows: semiconductors (HS 8542), passenger cars (8703)
--   hs_section   HS sections, from complete chapter (HS 2-digit) breakdowns
--                (both from macro hs_product_groups, shared with import_composition)
--   bec_end_use  BEC end-use classes (int_hs_end_use): exact from 6-digit-or-finer rows; from chapters only
--                where a chapter maps to one class (others are `mixed`); passenger cars (BEC 51) are their own
--                class and `consumption_incl_passenger_cars` adds them to consumption
-- `coverage` says how complete each figure is; the share divides by the partner's customs total, or else by
-- the sum of its chapter breakdown (macro product_partner_totals).
-- What adds up: partners are countries, groups (sums of their members) and WLD (partner_kind), and the groups
-- of one product_group_kind × detail_level are disjoint except consumption_incl_passenger_cars (= consumption
-- + passenger_cars, the other convention: additive = false). A sum counts each dollar once over one
-- partner_kind, one product_group_kind, one detail_level and additive rows.
{% set named_products = [
    {'group': 'semiconductors (HS 8542)', 'hs': ['8542']},
    {'group': 'passenger cars (HS 8703)', 'hs': ['8703']},
] %}

with products as (
    select * from {{ ref('int_product_trade_by_period') }}
    where flow = 'export'
),

partner_totals as (
    {{ product_partner_totals('products', 'export') }}
),

hs_groups as (
    {{ hs_product_groups('products', named_products) }}
),

end_use_rows as (
    -- a chapter row takes the chapter's class (`mixed` if unknown), a 6-digit-or-finer row its subheading's
    -- (`unclassified` if unknown): the first 6 characters of a chapter code are the chapter code itself
    select
        p.period_start, p.frequency, p.partner_code, p.partner_kind, p.value_usd,
        coalesce(u.end_use, case when p.hs_digits = 2 then 'mixed' else 'unclassified' end) as end_use,
        case when p.hs_digits = 2 then 'hs2' else 'hs6+' end as detail_level
    from products as p
    left join {{ ref('int_hs_end_use') }} as u on substr(p.hs_code, 1, 6) = u.hs_code
    where p.hs_digits = 2 or p.hs_digits >= 6
),

end_use as (
    select
        period_start, frequency, partner_code, partner_kind, 'bec_end_use' as product_group_kind,
        end_use as product_group, sum(value_usd) as value_usd, detail_level
    from end_use_rows
    group by all
    union all
    select
        period_start, frequency, partner_code, partner_kind, 'bec_end_use' as product_group_kind,
        'consumption_incl_passenger_cars' as product_group, sum(value_usd) as value_usd, detail_level
    from end_use_rows
    where end_use in ('consumption', 'passenger_cars')
    group by all
),

end_use_coverage as (
    select
        period_start, frequency, partner_code, detail_level,
        case
            -- no exports in the period: no share to state (0 / 0 was NaN on DuckDB, NULL on Spark)
            when detail_level = 'hs2' and sum(value_usd) = 0 then 'HS chapters; no exports in the period'
            when detail_level = 'hs2'
                then
                    'HS chapters; '
                    || round(100 * (sum(value_usd) filter (where end_use <> 'mixed') / sum(value_usd)), 1)
                    || ' % of exports in chapters of a single end use, the rest is mixed'
            else 'only the HS 6-digit products present in the files'
        end as coverage
    from end_use_rows
    group by period_start, frequency, partner_code, detail_level
),

end_use_with_coverage as (
    select e.*, c.coverage
    from end_use as e
    inner join end_use_coverage as c using (period_start, frequency, partner_code, detail_level)
),

all_groups as (
    {{ union_all_by_name(['hs_groups', 'end_use_with_coverage'], [
        'period_start', 'frequency', 'partner_code', 'partner_kind', 'product_group_kind', 'product_group',
        'value_usd', 'coverage', 'detail_level']) }}
)

select
    cast(g.period_start as date) as period_start,
    cast(g.frequency as string) as frequency,
    cast(g.partner_code as string) as partner_code,
    cast(g.partner_kind as string) as partner_kind,
    cast(g.product_group_kind as string) as product_group_kind,
    cast(g.product_group as string) as product_group,
    cast(g.product_group <> 'consumption_incl_passenger_cars' as boolean) as additive,
    cast(g.value_usd as double) as exports_usd,
    cast(g.value_usd / nullif(t.total_usd, 0) as double) as share_of_partner_exports,
    cast(t.total_usd as double) as partner_exports_usd,
    cast(t.total_basis as string) as partner_exports_basis,
    cast(g.coverage as string) as coverage,
    cast(g.detail_level as string) as detail_level,
    cast('customs' as string) as basis,
    cast('kcs_product_partner' as string) as source
from all_groups as g
left join partner_totals as t using (period_start, frequency, partner_code)
