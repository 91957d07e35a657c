-- The figures the claims of note_claims are checked against: one row per metric with its value from the latest
-- figures, its value as of the note's release where the warehouse keeps vintages (var note_release_date), and
-- where it comes from (mart and filter). Units as in the claims: USD bn, percent, 1/0 for a condition. A metric
-- the data cannot give has no row (its claim is then `not computable`).
{% set note_date = "date '" ~ var("note_release_date") ~ "'" %}
with yearly_shares as (
    select
        year(period_start) as year,
        partner_code,
        share
    from {{ ref('destination_share') }}
    where frequency = 'year'
),

balances as (
    select
        year(period_start) as year,
        partner_code,
        balance_usd
    from {{ ref('trade_balance') }}
    where frequency = 'year'
),

q1_2024_latest as (
    select
        partner_code,
        exports_usd
    from {{ ref('destination_share') }}
    where frequency = 'quarter' and period_start = date '2024-01-01'
),

q1_2024_at_release as (
    -- the three months of 2024-Q1 as the note's authors could know them
    select
        partner_code,
        sum(exports_usd) as exports_usd
    from {{ ref('export_vintages') }}
    where
        period_start between date '2024-01-01' and date '2024-03-01'
        and valid_from <= {{ note_date }}
        and (valid_to is null or valid_to > {{ note_date }})
    group by partner_code
    having count(*) = 3
),

crossover_q1_2024 as (
    select count(*) as found
    from {{ ref('destination_crossovers') }}
    where
        frequency = 'quarter' and period_start = date '2024-01-01'
        and leader_code = 'USA' and trailer_code = 'CHN' and status = 'current'
        and previous_lead_start = date '2003-04-01'
),

sme_2024 as (
    select
        max(exports_usd) filter (where destination_code = 'USA') as usa,
        max(exports_usd) filter (where destination_code = 'CHN') as chn
    from {{ ref('sme_participation') }}
    where year = 2024 and firm_size = 'sme' and source = 'MSS'
),

consumer_goods as (
    -- the latest computed share of consumption goods (passenger cars apart); only a near-complete
    -- classification can check a claim about the whole of exports to the US
    select
        share,
        classified_share
    from {{ ref('us_export_end_use') }}
    where basis = 'computed' and end_use = 'consumption'
    qualify row_number() over (order by year desc, period desc) = 1
),

investment_and_exports as (
    select
        corr(ofdi_usd, exports_usd) as correlation,
        count(*) as years
    from {{ ref('investment_and_exports') }}
    where year between 2018 and 2023 and ofdi_usd is not null and exports_usd is not null
),

offset_needed as (
    -- the latest year in which the extra imports needed to reach the watch threshold can be compared
    -- with Korea's energy imports from the US
    select
        year,
        extra_over_energy_imports
    from {{ ref('surplus_offset_scenarios') }}
    where
        partner_code = 'USA' and frequency = 'year' and target = 'watch threshold'
        and extra_over_energy_imports is not null
    qualify row_number() over (order by year desc) = 1
),

us_exports_2024_2025 as (
    select
        max(case when year(period_start) = 2025 then exports_usd end)
        / max(case when year(period_start) = 2024 then exports_usd end) - 1 as growth,
        max(case when year(period_start) = 2025 then value_basis end) as basis_2025
    from {{ ref('destination_share') }}
    where frequency = 'year' and partner_code = 'USA' and year(period_start) in (2024, 2025)
),

lead_2025 as (
    select
        count(leader_code) as months,
        count(case when leader_code = 'USA' then 1 end) as us_ahead,
        count(case when leader_code is not null and fragile then 1 end) as fragile_months,
        count(*) - count(leader_code) as undetermined
    from {{ ref('us_china_lead') }}
    where year(period_start) = 2025
),

usa_balance_record as (
    select max(balance_usd) filter (where year = 2023) >= max(balance_usd) as is_record
    from balances
    where partner_code = 'USA' and year <= 2023
)

select
    'exports_q1_2024_' || lower(l.partner_code) as metric,
    l.exports_usd / 1e9 as computed_value,
    r.exports_usd / 1e9 as computed_at_release,
    'destination_share: frequency = quarter, period_start = 2024-01-01, partner_code = ' || l.partner_code
    || '; as of the release: export_vintages' as evidence
from q1_2024_latest as l
left join q1_2024_at_release as r on l.partner_code = r.partner_code
where l.partner_code in ('USA', 'CHN')

union all

select
    'crossover_q1_2024_first_since_2003q2' as metric,
    least(found, 1) as computed_value,
    null as computed_at_release,
    'destination_crossovers: frequency = quarter, period_start = 2024-01-01, leader_code = USA, trailer_code = CHN'
        as evidence
from crossover_q1_2024

union all

select
    'us_share_' || year as metric,
    share * 100 as computed_value,
    null as computed_at_release,
    'destination_share: frequency = year, period_start = ' || year || '-01-01, partner_code = USA' as evidence
from yearly_shares
where partner_code = 'USA' and year in (2011, 2023)

union all

select
    'balance_' || lower(partner_code) || '_' || year as metric,
    balance_usd / 1e9 as computed_value,
    null as computed_at_release,
    'trade_balance: frequency = year, period_start = ' || year || '-01-01, partner_code = ' || partner_code
        as evidence
from balances
where (partner_code = 'USA' and year between 2019 and 2023) or (partner_code = 'CHN' and year = 2023)

union all

select
    'balance_usa_2023_is_record' as metric,
    cast(is_record as integer) as computed_value,
    null as computed_at_release,
    'trade_balance: frequency = year, partner_code = USA, every year up to 2023' as evidence
from usa_balance_record
where is_record is not null

union all

select
    'sme_usa_above_china_2024' as metric,
    cast(usa > chn as integer) as computed_value,
    null as computed_at_release,
    'sme_participation: year = 2024, firm_size = sme, source = MSS, destination_code in (USA, CHN)' as evidence
from sme_2024
where usa is not null and chn is not null

union all

select
    'consumer_goods_share_usa' as metric,
    share * 100 as computed_value,
    null as computed_at_release,
    'us_export_end_use: basis = computed, end_use = consumption, latest period' as evidence
from consumer_goods
where classified_share >= 0.9

union all

select
    'exports_vs_direct_investment_correlation' as metric,
    correlation as computed_value,
    null as computed_at_release,
    'investment_and_exports: correlation of ofdi_usd and exports_usd, years 2018-2023' as evidence
from investment_and_exports
where years >= 5

union all

select
    'extra_imports_over_energy_imports_usa' as metric,
    extra_over_energy_imports as computed_value,
    null as computed_at_release,
    'surplus_offset_scenarios: partner_code = USA, frequency = year, year = ' || year
    || ', target = watch threshold: extra imports needed as a multiple of energy imports from the US' as evidence
from offset_needed

union all

select
    'us_export_growth_2025' as metric,
    growth * 100 as computed_value,
    null as computed_at_release,
    'destination_share: frequency = year, partner_code = USA, 2025 against 2024 (2025: ' || basis_2025 || ')'
        as evidence
from us_exports_2024_2025
where growth is not null

union all

select
    'us_led_china_2025' as metric,
    case when 2 * us_ahead >= months then 1 else 0 end as computed_value,
    null as computed_at_release,
    'us_china_lead: 2025, the US ahead in ' || cast(us_ahead as string) || ' of ' || cast(months as string)
    || ' months with both values (' || cast(fragile_months as string) || ' fragile; '
    || cast(undetermined as string) || ' without both)' as evidence
from lead_2025
where months > 0
