-- The first release against the final figure: per month × partner × flow that a release printed (statistics files
-- alone have nothing to compare), the first figure published and its date, the final figure in use and its date,
-- the revision, and whether the US/China leader of the month differs between the two. Per year × partner × flow
-- too, for the annual figures the releases print, against the sum of the twelve final months.
with releases as (
    select * from {{ ref('int_monthly_partner_releases') }}
),

printed as (
    select distinct period, partner_code, flow from releases
    where release_type <> 'customs statistics'
),

first_month as (  -- the earliest release with a value; on one day, the one that ranks best
    select r.*
    from releases as r
    semi join printed using (period, partner_code, flow)
    qualify row_number() over (
            partition by r.period, r.partner_code, r.flow order by r.vintage asc, {{ release_rank_order() }}
        ) = 1
),

final_month as (  -- the figure in use, if it is final (customs statistics or customs' final release)
    select *
    from releases
    where rank_in_month = 1 and release_type in ('customs statistics', 'final')
),

months as (
    select
        f.period, 'month' as frequency, f.partner_code, f.flow,
        f.value_usd as first_usd, f.vintage as first_date, f.release_type as first_release_type,
        f.value_basis as first_value_basis, f.precision_usd as first_precision_usd,
        f.publisher as first_publisher, f.source_file as first_source, f.source_row as first_source_row,
        l.value_usd as final_usd, l.vintage as final_date, l.release_type as final_release_type,
        l.source_file as final_source
    from first_month as f
    left join final_month as l using (period, partner_code, flow)
),

annual_printed as (
    select *
    from {{ ref('stg_kcs_monthly_partner_vintages') }}
    where frequency = 'year' and value_basis = 'published'
    qualify row_number() over (
            partition by period, partner_code, flow order by vintage asc, {{ release_rank_order() }}
        ) = 1
),

final_years as (  -- the sum of twelve final months
    select
        cast(date_trunc('year', period) as date) as period, partner_code, flow,
        sum(value_usd) as final_usd, max(vintage) as final_date
    from {{ ref('int_monthly_partner_trade') }}
    where release_type in ('customs statistics', 'final')
    group by cast(date_trunc('year', period) as date), partner_code, flow
    having count(*) = 12
),

years as (
    select
        a.period, 'year' as frequency, a.partner_code, a.flow,
        a.value_usd as first_usd, a.vintage as first_date, a.release_type as first_release_type,
        a.value_basis as first_value_basis, a.precision_usd as first_precision_usd,
        a.publisher as first_publisher, a.source_file as first_source, a.source_row as first_source_row,
        y.final_usd, y.final_date,
        case when y.final_usd is not null then 'sum of final months' end as final_release_type,
        case when y.final_usd is not null then 'kcs_monthly_partner' end as final_source
    from annual_printed as a
    left join final_years as y using (period, partner_code, flow)
),

compared as (
    select * from months
    union all
    select * from years
),

leaders as (  -- who led on the first figures and on the final ones (exports; both sides needed)
    select
        period, frequency,
        case
            when max(first_usd) filter (where partner_code = 'USA') > max(first_usd) filter (where partner_code = 'CHN')
                then 'USA'
            when max(first_usd) filter (where partner_code = 'CHN') > max(first_usd) filter (where partner_code = 'USA')
                then 'CHN'
        end as first_leader,
        case
            when max(final_usd) filter (where partner_code = 'USA') > max(final_usd) filter (where partner_code = 'CHN')
                then 'USA'
            when max(final_usd) filter (where partner_code = 'CHN') > max(final_usd) filter (where partner_code = 'USA')
                then 'CHN'
        end as final_leader
    from compared
    where flow = 'export' and partner_code in ('USA', 'CHN')
    group by period, frequency
)

select
    cast(c.period as date) as period_start,
    cast(c.frequency as string) as frequency,
    cast(c.partner_code as string) as partner_code,
    cast(p.partner_name as string) as partner_name,
    cast(c.flow as string) as flow,
    cast(c.first_usd as double) as first_release_usd,
    cast(c.first_date as date) as first_release_date,
    cast(c.first_release_type as string) as first_release_type,
    cast(c.first_value_basis as string) as first_value_basis,
    cast(c.first_precision_usd as double) as first_precision_usd,
    cast(c.first_publisher as string) as first_publisher,
    cast(c.final_usd as double) as final_usd,
    cast(c.final_date as date) as final_date,
    cast(c.final_release_type as string) as final_release_type,
    cast(c.final_usd - c.first_usd as double) as revision_usd,
    cast(c.final_usd / nullif(c.first_usd, 0) - 1 as double) as revision_pct,
    cast(abs(c.final_usd - c.first_usd) <= coalesce(c.first_precision_usd, 0) / 2 as boolean) as within_rounding,
    cast(case when c.flow = 'export' then l.first_leader end as string) as us_china_leader_first_release,
    cast(case when c.flow = 'export' then l.final_leader end as string) as us_china_leader_final,
    cast(case when c.flow = 'export' then l.first_leader <> l.final_leader end as boolean) as us_china_leader_differs,
    cast('customs' as string) as basis,
    cast(c.first_source as string) as first_source,
    cast(c.first_source_row as integer) as first_source_row,
    cast(c.final_source as string) as final_source
from compared as c
left join leaders as l using (period, frequency)
left join {{ ref('int_partners') }} as p on c.partner_code = p.partner_code
