-- What Korea buys from each partner: imports (CIF) by product group, from the product files (HS codes).
--   product     energy (HS 27) and agri-food (HS 01-24) from chapter (HS 2-digit) rows; crude oil (HS 2709),
--               LNG (HS 271111), LPG (HS 271112-13) and coal (HS 2701) only from rows at least as fine as
--               their code (a 4-digit 2711 row gives neither LNG nor LPG; nothing is guessed from a chapter)
--   hs_section  HS sections, from complete chapter breakdowns
-- Groups and shares come from the macros product_composition uses (hs_product_groups,
-- product_partner_totals): the share divides by the partner's customs total imports, or else by the sum of
-- its chapter breakdown. One row per period × frequency × partner × product_group (each group has one
-- detail level), so a per-partner mart can join on (period_start, frequency, partner_code, product_group).
-- Partners are countries, groups (sums of their members) and WLD (partner_kind): a sum over partners counts
-- each dollar once only over one partner_kind. Groups of one product_group_kind and detail_level never overlap
-- (additive: every row here; product_composition has a group that overlaps others).
{% set named_products = [
    {'group': 'crude oil (HS 2709)', 'hs': ['2709']},
    {'group': 'LNG (HS 271111)', 'hs': ['271111']},
    {'group': 'LPG (HS 271112-13)', 'hs': ['271112', '271113'], 'label': '271112-13'},
    {'group': 'coal (HS 2701)', 'hs': ['2701']},
] %}
{% set chapter_groups = [
    {'group': 'energy (HS 27)', 'chapters': ['27']},
    {'group': 'agri-food (HS 01-24)', 'chapters': ['01', '24']},
] %}

with products as (
    select * from {{ ref('int_product_trade_by_period') }}
    where flow = 'import'
),

partner_totals as (
    {{ product_partner_totals('products', 'import') }}
),

product_groups as (
    {{ hs_product_groups('products', named_products, chapter_groups) }}
)

select
    cast(g.period_start as date) as period_start,
    cast(g.frequency as string) as frequency,
    cast(g.partner_code as string) as partner_code,
    cast(g.partner_kind as string) as partner_kind,
    cast(g.product_group_kind as string) as product_group_kind,
    cast(g.product_group as string) as product_group,
    cast(true as boolean) as additive,
    cast(g.value_usd as double) as imports_usd,
    cast(g.value_usd / nullif(t.total_usd, 0) as double) as share_of_partner_imports,
    cast(t.total_usd as double) as partner_imports_usd,
    cast(t.total_basis as string) as partner_imports_basis,
    cast(g.coverage as string) as coverage,
    cast(g.detail_level as string) as detail_level,
    cast('customs' as string) as basis,
    cast('kcs_product_partner' as string) as source
from product_groups as g
left join partner_totals as t using (period_start, frequency, partner_code)
