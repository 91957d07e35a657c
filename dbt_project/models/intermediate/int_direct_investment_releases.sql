-- Direct-investment figures in US dollars, one row per figure as released (published_figures, dataset
-- direct_investment): Korean overseas direct investment (gross amount invested), BEA and BOK positions.
-- A figure is partner × series × metric × year (or span) × period; every release of it is kept, ordered by
-- the day it became known (valid_from). Releases of one figure on the same day that give different values
-- are a conflict: both rows stay, and neither serves as the previous value of a later release.
-- Non-USD rows (published shares of total OFDI, growth rates) are not figures in USD and stay out.
with figures as (
    select
        year, year_label, period, partner_code, subject as series, metric, value as value_usd,
        nullif(qualifier, '') as qualifier, conflict, basis, publisher, release, release_date, valid_from,
        citation_url, nullif(note, '') as note
    from {{ ref('stg_published_figures') }}
    where dataset = 'direct_investment' and unit = 'USD'
),

release_days as (
    -- one row per figure × day: the value released that day, NULL when that day's releases disagree
    select
        partner_code, series, metric, year_label, period, valid_from,
        count(distinct value_usd) > 1 or bool_or(conflict) as conflicting,
        case when count(distinct value_usd) = 1 then min(value_usd) end as value_that_day
    from figures
    group by partner_code, series, metric, year_label, period, valid_from
),

ordered_days as (
    select
        *,
        lead(valid_from) over w as next_valid_from,
        lag(value_that_day) over w as previous_value_usd
    from release_days
    window w as (partition by partner_code, series, metric, year_label, period order by valid_from)
)

select
    f.*,
    case when f.series like '%in Korea%' then 'partner_in_korea' else 'korea_in_partner' end as direction,
    d.next_valid_from as valid_to,
    d.next_valid_from is null as is_latest,
    d.conflicting as same_day_conflict,
    f.value_usd - d.previous_value_usd as revision_usd
from figures as f
inner join ordered_days as d using (partner_code, series, metric, year_label, period, valid_from)
