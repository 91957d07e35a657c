-- What the data said when: every release of Korea's monthly exports by partner (statistics files, preliminary and
-- final releases, compilations, values derived from a growth rate on the base known on each date: a revised base adds
-- a vintage), with the interval in which it was the figure
-- the marts would have used: on each release date, the best release known by then (release_rank_order).
-- As of date D: valid_from <= D and (valid_to is null or valid_to > D) gives one row per partner-month.
-- A release that never was the best (a compilation while an official figure existed) has no interval.
with releases as (
    select * from {{ ref('int_monthly_partner_releases') }}
    where flow = 'export'
),

release_dates as (
    select distinct period, partner_code, vintage as as_of from releases
),

known_then as (  -- on each release date, the releases known by then, best first
    select
        d.as_of, r.*,
        row_number() over (partition by r.period, r.partner_code, d.as_of order by {{ release_rank_order() }}) as n
    from release_dates as d
    inner join releases as r on d.period = r.period and d.partner_code = r.partner_code and d.as_of >= r.vintage
),

in_force as (  -- a release stays the best from the first date it is until a better one arrives
    select period, partner_code, source_file, source_row, vintage, value_usd, min(as_of) as valid_from
    from known_then
    where n = 1
    group by period, partner_code, source_file, source_row, vintage, value_usd
),

intervals as (  -- the figures in use one after another: when each was replaced, what came before, the first
    select
        period, partner_code, source_file, source_row, vintage, valid_from,
        lead(valid_from) over w as valid_to,
        value_usd - lag(value_usd) over w as revision_usd,
        value_usd / first_value(value_usd) over w - 1 as revision_since_first_release
    from in_force
    window w as (partition by period, partner_code order by valid_from)
)

select
    cast(r.period as date) as period_start,
    cast('month' as string) as frequency,
    cast(r.partner_code as string) as partner_code,
    cast(r.partner_kind as string) as partner_kind,
    cast(r.value_usd as double) as exports_usd,
    cast(r.vintage as date) as vintage,
    cast(i.valid_from as date) as valid_from,
    cast(i.valid_to as date) as valid_to,
    cast(i.valid_from is not null and i.valid_to is null as boolean) as is_latest,
    cast(i.revision_usd as double) as revision_usd,
    cast(i.revision_since_first_release as double) as revision_since_first_release,
    cast(r.release_type as string) as release_type,
    cast(r.value_basis as string) as value_basis,
    cast(r.derived_from_vintage as date) as derived_from_vintage,
    cast(r.precision_usd as double) as precision_usd,
    cast(r.conflicting_with as string) as conflicting_with,
    cast(r.publisher as string) as publisher,
    cast(r.citation_url as string) as citation_url,
    cast('customs' as string) as basis,
    cast(r.source_file as string) as source,
    cast(r.source_row as integer) as source_row
from releases as r
left join intervals as i
    on r.period = i.period and r.partner_code = i.partner_code and r.vintage = i.vintage
        and r.source_file = i.source_file and coalesce(r.source_row, -1) = coalesce(i.source_row, -1)
