-- The figures the claims of note_claims are checked against: one row per metric, every metric always (a
-- figure the data cannot give is NULL, and `evidence` says what is missing), with its value from the latest
-- figures, its value as of the note's release where the warehouse keeps vintages (var note_release_date), where
-- it comes from (mart and filter), and, for a published figure, its publisher and release day (a claim whose
-- only evidence is its own release is `restated`, not reproduced). Units as in the claims: USD bn, percent, 1/0
-- for a condition.
{% set note_date = "date '" ~ var("note_release_date") ~ "'" %}
{% set outlook_start = "date '2024-04-01'" %}  {# the note's outlook: "1-2 years" from its release, April-March #}
with yearly_shares as (
    select
        year(period_start) as year,
        share
    from {{ ref('destination_share') }}
    where frequency = 'year' and partner_code = 'USA'
),

balances as (
    select
        year(period_start) as year,
        partner_code,
        balance_usd
    from {{ ref('trade_balance') }}
    where frequency = 'year'
),

q1_2024 as (
    -- 2024-Q1 by the latest figures, and the three months as the note's authors could know them
    select
        l.partner_code,
        l.exports_usd / 1e9 as latest,
        (
            select sum(v.exports_usd) / 1e9
            from {{ ref('export_vintages') }} as v
            where
                v.partner_code = l.partner_code and v.period_start between date '2024-01-01' and date '2024-03-01'
                and v.valid_from <= {{ note_date }} and (v.valid_to is null or v.valid_to > {{ note_date }})
            having count(*) = 3
        ) as at_release
    from {{ ref('destination_share') }} as l
    where l.frequency = 'quarter' and l.period_start = date '2024-01-01' and l.partner_code in ('USA', 'CHN')
),

crossover_q1_2024 as (
    -- the lead of 2024-Q1 is a crossover whose previous US lead was 2003-Q2; as of the release, the quarter's
    -- months as then known (the earlier quarters are the same final figures)
    select
        least((
            select count(*)
            from {{ ref('destination_crossovers') }} as d
            where
                d.frequency = 'quarter' and d.period_start = date '2024-01-01'
                and d.leader_code = 'USA' and d.trailer_code = 'CHN' and d.status = 'current'
                and d.previous_lead_start = date '2003-04-01'
        ), 1) as found,
        max(case when q.partner_code = 'USA' then q.at_release end)
        > max(case when q.partner_code = 'CHN' then q.at_release end) as us_ahead_at_release
    from q1_2024 as q
),

sme_2024 as (
    select
        max(exports_usd) filter (where destination_code = 'USA') as usa,
        max(exports_usd) filter (where destination_code = 'CHN') as chn,
        min(source) as publisher,
        min(release_date) as release_date
    from {{ ref('sme_participation') }}
    where year = 2024 and firm_size = 'sme' and source = 'MSS'
),

consumer_goods as (
    -- the latest computed share of consumption goods (passenger cars apart); only a near-complete
    -- classification can check a claim about the whole of exports to the US
    select
        max(share) as share,
        max(classified_share) as classified_share
    from (
        select share, classified_share
        from {{ ref('us_export_end_use') }}
        where basis = 'computed' and end_use = 'consumption'
        qualify row_number() over (order by year desc, period desc) = 1
    ) as latest
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
        max(year) as year,
        max_by(extra_over_energy_imports, year) as extra_over_energy_imports
    from {{ ref('surplus_offset_scenarios') }}
    where
        partner_code = 'USA' and frequency = 'year' and target = 'watch threshold'
        and extra_over_energy_imports is not null
),

outlook_months as (
    -- each month of the outlook's two April-March years with a value and one a year earlier
    select
        case when {{ periods_between("'month'", outlook_start, 'cur.period_start') }} < 12 then 1 else 2 end
            as window_year,
        cur.exports_usd,
        prev.exports_usd as exports_year_earlier
    from {{ ref('destination_share') }} as cur
    inner join {{ ref('destination_share') }} as prev
        on
            cur.partner_code = prev.partner_code and cur.frequency = prev.frequency
            and prev.period_start = cast(cur.period_start - interval 1 year as date)
    where
        cur.frequency = 'month' and cur.partner_code = 'USA'
        and {{ periods_between("'month'", outlook_start, 'cur.period_start') }} between 0 and 23
        and cur.exports_usd is not null and prev.exports_usd is not null
),

outlook as (
    select
        min(growth) as lowest_growth,
        max(case when window_year = 1 then growth end) as growth_1,
        max(case when window_year = 2 then growth end) as growth_2,
        sum(months) as months
    from (
        select window_year, sum(exports_usd) / sum(exports_year_earlier) - 1 as growth, count(*) as months
        from outlook_months
        group by window_year
    ) as years
),

evidence as (
    select
        'exports_q1_2024_' || lower(partner_code) as metric,
        latest as computed_value,
        at_release as computed_at_release,
        'destination_share: frequency = quarter, period_start = 2024-01-01, partner_code = ' || partner_code
        || '; as of the release: export_vintages' as evidence,
        null as evidence_publisher,
        null as evidence_release_date,
        null as observed_share
    from q1_2024

    union all

    select
        'crossover_q1_2024_first_since_2003q2' as metric,
        found as computed_value,
        case when found = 1 and us_ahead_at_release then 1 when us_ahead_at_release is not null then 0 end
            as computed_at_release,
        'destination_crossovers: frequency = quarter, period_start = 2024-01-01, leader_code = USA, '
        || 'trailer_code = CHN, previous_lead_start = 2003-04-01; as of the release: 2024-Q1 from export_vintages'
            as evidence,
        null as evidence_publisher,
        null as evidence_release_date,
        null as observed_share
    from crossover_q1_2024

    {% for year in [2011, 2023] %}
        union all
        select
            'us_share_{{ year }}' as metric,
            (
                select y.share * 100 from yearly_shares as y
                where y.year = {{ year }}
            ) as computed_value,
            null as computed_at_release,
            'destination_share: frequency = year, period_start = {{ year }}-01-01, partner_code = USA' as evidence,
            null as evidence_publisher,
            null as evidence_release_date,
            null as observed_share
    {% endfor %}

    {% for partner, year in [('USA', 2019), ('USA', 2020), ('USA', 2021), ('USA', 2022), ('USA', 2023),
                             ('CHN', 2023)] %}
        union all
        select
            'balance_{{ partner | lower }}_{{ year }}' as metric,
            (
                select b.balance_usd / 1e9 from balances as b
                where b.partner_code = '{{ partner }}' and b.year = {{ year }}
            ) as computed_value,
            null as computed_at_release,
            'trade_balance: frequency = year, period_start = {{ year }}-01-01, partner_code = {{ partner }}'
                as evidence,
            null as evidence_publisher,
            null as evidence_release_date,
            null as observed_share
    {% endfor %}

    union all

    select
        'balance_usa_2023_is_record' as metric,
        cast((
            select max(b.balance_usd) filter (where b.year = 2023) >= max(b.balance_usd)
            from balances as b
            where b.partner_code = 'USA' and b.year <= 2023
        ) as integer) as computed_value,
        null as computed_at_release,
        'trade_balance: frequency = year, partner_code = USA, every year up to 2023' as evidence,
        null as evidence_publisher,
        null as evidence_release_date,
        null as observed_share

    union all

    select
        'sme_usa_above_china_2024' as metric,
        cast(usa > chn as integer) as computed_value,
        null as computed_at_release,
        'sme_participation: year = 2024, firm_size = sme, source = MSS, destination_code in (USA, CHN)' as evidence,
        publisher as evidence_publisher,
        release_date as evidence_release_date,
        null as observed_share
    from sme_2024

    union all

    select
        'consumer_goods_share_usa' as metric,
        case when classified_share >= 0.9 then share * 100 end as computed_value,
        null as computed_at_release,
        'us_export_end_use: basis = computed, end_use = consumption, latest period; classified '
        || coalesce(printf('%.1f %%', classified_share * 100), 'nothing')
        || ' of exports to the US (at least 90 % needed)' as evidence,
        null as evidence_publisher,
        null as evidence_release_date,
        null as observed_share
    from consumer_goods

    union all

    select
        'exports_vs_direct_investment_correlation' as metric,
        case when years >= 5 then correlation end as computed_value,
        null as computed_at_release,
        'investment_and_exports: correlation of ofdi_usd and exports_usd, years 2018-2023 ('
        || cast(years as string) || ' years with both; at least 5 needed)' as evidence,
        null as evidence_publisher,
        null as evidence_release_date,
        null as observed_share
    from investment_and_exports

    union all

    select
        'extra_imports_over_energy_imports_usa' as metric,
        extra_over_energy_imports as computed_value,
        null as computed_at_release,
        'surplus_offset_scenarios: partner_code = USA, frequency = year, year = '
        || coalesce(cast(year as string), 'none') || ', target = watch threshold: extra imports needed as a '
        || 'multiple of energy imports from the US' as evidence,
        null as evidence_publisher,
        null as evidence_release_date,
        null as observed_share
    from offset_needed

    union all

    select
        'us_exports_outlook_window' as metric,
        lowest_growth * 100 as computed_value,
        null as computed_at_release,
        'destination_share: frequency = month, partner_code = USA, each month against a year earlier: '
        || 'April 2024-March 2025 ' || coalesce(printf('%+.1f %%', growth_1 * 100), 'not observed')
        || ', April 2025-March 2026 ' || coalesce(printf('%+.1f %%', growth_2 * 100), 'not observed')
        || '; ' || cast(months as string) || ' of 24 months observed' as evidence,
        null as evidence_publisher,
        null as evidence_release_date,
        months / 24.0 as observed_share
    from outlook
)

select
    cast(metric as string) as metric,
    cast(computed_value as double) as computed_value,
    cast(computed_at_release as double) as computed_at_release,
    cast(evidence as string) as evidence,
    cast(evidence_publisher as string) as evidence_publisher,
    cast(evidence_release_date as date) as evidence_release_date,
    cast(observed_share as double) as observed_share
from evidence
