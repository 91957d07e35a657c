-- How much more would Korea have to import from a watched partner (var watched_partners: the US) to bring its
-- surplus down to a target, and how does that compare with the energy and farm goods it already buys there?
-- Grain: one row per period × watched partner × target. Periods: every year of trade_balance, and every half-year
-- for which import_composition has the partner's customs product data (its balance = the sum of the two
-- quarters). Targets: `watch threshold` (var surplus_watch_threshold_usd_per_year, half of it for a half-year),
-- `previous year` (the balance of the same period a year earlier), `balanced` (0).
-- extra_imports_needed_usd = max(balance − target, 0), other flows unchanged. Energy and agri-food imports from
-- the partner: a published Korean-side figure where there is one (energy: crude oil + LNG, the
-- crude_oil_plus_lng row, else crude_oil + lng of one publisher), else customs (import_composition). Every
-- figure carries its basis and source, and energy and agri-food their product scope (energy: crude oil + LNG
-- where published or where customs have both codes, else all of HS 27: the scopes differ between rows, so
-- compare multiples only within one scope); an unknown figure is NULL, never guessed or interpolated.
-- The world's energy imports: customs, partner WLD of import_composition (every partner of the product file),
-- of the same scope and period as a customs partner figure.
{% set watched = "('" ~ var('watched_partners') | join("', '") ~ "')" %}
{% set per_year = var('surplus_watch_threshold_usd_per_year') %}

with balances as (
    select * from {{ ref('trade_balance') }}
    where partner_code in {{ watched }} and frequency in ('year', 'quarter')
),

-- half-years from their two quarters (January–June, July–December), only where both are known
halves as (
    select
        first_q.period_start, first_q.partner_code,
        first_q.balance_usd + second_q.balance_usd as balance_usd,
        'trade_balance, quarters ' || substr(cast(first_q.period_start as string), 1, 7) || ' + '
        || substr(cast(second_q.period_start as string), 1, 7) || ' ('
        || case
            when first_q.source = second_q.source then first_q.source
            else first_q.source || '; ' || second_q.source
        end || ')' as balance_source
    from balances as first_q
    inner join balances as second_q
        on first_q.partner_code = second_q.partner_code
            and second_q.period_start = cast(first_q.period_start + interval 3 month as date)
            and second_q.frequency = 'quarter'
    where first_q.frequency = 'quarter' and month(first_q.period_start) in (1, 7)
),

periods as (
    select
        period_start, 'year' as frequency, partner_code, balance_usd,
        'trade_balance, year (' || source || ')' as balance_source
    from balances
    where frequency = 'year'
    union all
    select period_start, 'half' as frequency, partner_code, balance_usd, balance_source
    from halves
),

targets as (
    select
        p.*,
        t.target,
        case t.target
            when 'watch threshold' then {{ per_year }} / case p.frequency when 'half' then 2 else 1 end
            when 'previous year' then a_year_before.balance_usd
            when 'balanced' then 0
        end as target_balance_usd,
        case t.target
            when 'watch threshold'
                then 'dbt var surplus_watch_threshold_usd_per_year (US Treasury bilateral-surplus criterion)'
                    || case p.frequency when 'half' then ', half of it for a half-year' else '' end
            when 'previous year'
                then 'balance of ' || cast(cast(p.period_start - interval 1 year as date) as string)
                    || ' (' || p.frequency || '): ' || coalesce(a_year_before.balance_source, 'not in the data')
            when 'balanced' then 'zero balance'
        end as target_source
    from periods as p
    cross join (values ('watch threshold'), ('previous year'), ('balanced')) as t (target)
    left join periods as a_year_before
        on p.partner_code = a_year_before.partner_code and p.frequency = a_year_before.frequency
            and a_year_before.period_start = cast(p.period_start - interval 1 year as date)
),

-- Korea's side only (reporter KOR), values for a whole year, no declared conflict; per product, year and
-- publisher (KITA, MOTIE, …: the first word of `publisher`), the latest release
published as (
    select
        year, partner_code, product_group, value, basis, release, valid_from,
        regexp_extract(publisher, '^[A-Za-z]+', 0) as publisher_family,
        coalesce(' (' || nullif(qualifier, '') || ')', '') as qualified
    from {{ ref('published_trade_figures') }}
    where reporter = 'KOR' and flow = 'import' and metric = 'value' and unit = 'USD' and period = 'year'
        and year is not null and not conflict and partner_code in {{ watched }}
    qualify
        row_number() over (
            partition by year, partner_code, product_group, publisher_family
            order by valid_from desc, release asc
        ) = 1
),

-- customs product groups of the partners and of the world, by period
customs as (
    select period_start, frequency, partner_code, product_group, imports_usd
    from {{ ref('import_composition') }}
    where (partner_code in {{ watched }} or partner_code = 'WLD') and frequency in ('year', 'half')
        and product_group_kind = 'product'
),

customs_energy as (
    select
        period_start, frequency, partner_code, 'crude oil + LNG' as scope,
        'crude oil (HS 2709) + LNG (HS 271111)' as hs_scope, sum(imports_usd) as imports_usd, 3 as priority
    from customs
    where product_group in ('crude oil (HS 2709)', 'LNG (HS 271111)')
    group by period_start, frequency, partner_code
    having count(*) = 2
    union all
    select
        period_start, frequency, partner_code, 'all mineral fuels (HS 27)' as scope,
        'energy (HS 27): all mineral fuels and oils' as hs_scope, imports_usd, 4 as priority
    from customs
    where product_group = 'energy (HS 27)'
),

energy_candidates as (
    select
        make_date(year, 1, 1) as period_start, 'year' as frequency, partner_code, value as imports_usd,
        1 as priority, valid_from, 'crude oil + LNG' as scope,
        'published, crude oil + LNG: ' || basis as basis,
        'published_trade_figures: crude_oil_plus_lng ' || year || ', ' || release || qualified as source
    from published
    where product_group = 'crude_oil_plus_lng'
    union all
    select
        make_date(crude.year, 1, 1) as period_start, 'year' as frequency, crude.partner_code,
        crude.value + lng.value as imports_usd, 2 as priority,
        greatest(crude.valid_from, lng.valid_from) as valid_from, 'crude oil + LNG' as scope,
        'published, crude oil + LNG: ' || crude.basis as basis,
        'published_trade_figures: crude_oil ' || crude.year || ' ' || cast(round(crude.value / 1e6) as bigint)
        || ' mn USD, ' || crude.release || crude.qualified || ' + lng ' || cast(round(lng.value / 1e6) as bigint)
        || ' mn USD, ' || lng.release || lng.qualified as source
    from published as crude
    inner join published as lng
        on crude.year = lng.year and crude.partner_code = lng.partner_code
            and crude.publisher_family = lng.publisher_family and crude.basis = lng.basis
            and lng.product_group = 'lng'
    where crude.product_group = 'crude_oil'
    union all
    select
        period_start, frequency, partner_code, imports_usd, priority, null as valid_from, scope,
        'customs (imports CIF), ' || hs_scope as basis,
        'import_composition (kcs_product_partner), ' || frequency || ' from '
        || substr(cast(period_start as string), 1, 7) as source
    from customs_energy
    where partner_code in {{ watched }}
),

energy as (
    select * from energy_candidates
    qualify
        row_number() over (
            partition by period_start, frequency, partner_code
            order by priority asc, valid_from desc nulls last, source asc
        ) = 1
),

agri_candidates as (
    select
        make_date(year, 1, 1) as period_start, 'year' as frequency, partner_code, value as imports_usd,
        case product_group when 'agri_food' then 1 else 2 end as priority, valid_from,
        case product_group
            when 'agri_food' then 'agri-food (KREI 농식품)'
            else 'agri + livestock excl. fishery (농축산물)'
        end as scope,
        'published, '
        || case product_group
            when 'agri_food' then 'agri-food (KREI 농식품 scope)'
            else 'agri + livestock (농축산물 scope, excl. fishery)'
        end || ': ' || basis as basis,
        'published_trade_figures: ' || product_group || ' ' || year || ', ' || release || qualified as source
    from published
    where product_group in ('agri_food', 'agri_livestock')
    union all
    select
        period_start, frequency, partner_code, imports_usd, 3 as priority, null as valid_from,
        'agri-food (HS 01-24)' as scope,
        'customs (imports CIF), agri-food (HS 01-24: farm, livestock, fishery, food, beverages, tobacco)' as basis,
        'import_composition (kcs_product_partner), ' || frequency || ' from '
        || substr(cast(period_start as string), 1, 7) as source
    from customs
    where product_group = 'agri-food (HS 01-24)' and partner_code in {{ watched }}
),

agri as (
    select * from agri_candidates
    qualify
        row_number() over (
            partition by period_start, frequency, partner_code
            order by priority asc, valid_from desc nulls last, source asc
        ) = 1
),

-- the world's figure of the same scope and period, only for a customs partner figure (never a published
-- partner figure over a customs world, never a sum of partners)
world as (
    select
        e.period_start, e.frequency, e.partner_code, w.imports_usd,
        'customs (imports CIF), ' || w.hs_scope as basis,
        'import_composition (kcs_product_partner), WLD, ' || w.frequency || ' from '
        || substr(cast(w.period_start as string), 1, 7) as source
    from energy as e
    inner join customs_energy as w
        on e.period_start = w.period_start and e.frequency = w.frequency and e.scope = w.scope
            and w.partner_code = 'WLD'
    where e.priority >= 3
),

scenarios as (
    select
        t.*,
        -- greatest() would skip a NULL target: an unknown target gives an unknown amount, not 0
        case
            when t.balance_usd > t.target_balance_usd then t.balance_usd - t.target_balance_usd
            when t.balance_usd <= t.target_balance_usd then 0
        end as extra_usd,
        e.imports_usd as energy_usd, e.scope as energy_scope, e.basis as energy_basis, e.source as energy_source,
        a.imports_usd as agri_usd, a.scope as agri_scope, a.basis as agri_basis, a.source as agri_source,
        w.imports_usd as world_usd, w.basis as world_basis, w.source as world_source
    from targets as t
    left join energy as e using (period_start, frequency, partner_code)
    left join agri as a using (period_start, frequency, partner_code)
    left join world as w using (period_start, frequency, partner_code)
    -- a half-year is shown only where customs product data give it something to compare with
    where t.frequency = 'year' or e.imports_usd is not null or a.imports_usd is not null
)

select
    cast(year(period_start) as integer) as year,
    cast(frequency as string) as frequency,
    cast(period_start as date) as period_start,
    cast(partner_code as string) as partner_code,
    cast(balance_usd as double) as balance_usd,
    cast('customs (exports FOB − imports CIF)' as string) as balance_basis,
    cast(balance_source as string) as balance_source,
    cast(target as string) as target,
    cast(target_balance_usd as double) as target_balance_usd,
    cast(target_source as string) as target_source,
    cast(extra_usd as double) as extra_imports_needed_usd,
    cast(energy_usd as double) as energy_imports_usd,
    cast(energy_scope as string) as energy_imports_scope,
    cast(energy_basis as string) as energy_imports_basis,
    cast(energy_source as string) as energy_imports_source,
    cast(agri_usd as double) as agri_food_imports_usd,
    cast(agri_scope as string) as agri_food_imports_scope,
    cast(agri_basis as string) as agri_food_imports_basis,
    cast(agri_source as string) as agri_food_imports_source,
    cast(extra_usd / nullif(energy_usd, 0) as double) as extra_over_energy_imports,
    cast(extra_usd / nullif(agri_usd, 0) as double) as extra_over_agri_food_imports,
    cast(world_usd as double) as energy_imports_from_world_usd,
    cast(world_basis as string) as energy_imports_from_world_basis,
    cast(world_source as string) as energy_imports_from_world_source,
    cast((energy_usd + extra_usd) / nullif(world_usd, 0) as double) as us_share_of_energy_imports_needed
from scenarios
