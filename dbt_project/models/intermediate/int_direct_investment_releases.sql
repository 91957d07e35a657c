-- Direct-investment figures in US dollars, one row per figure as released (published_figures, dataset
-- direct_investment): Korean overseas direct investment (gross amount invested), BEA and BOK positions.
-- A figure is partner × series × metric × year (or span) × period; every release of it is kept, ordered by
-- the day it became known (valid_from). Releases of one figure on the same day that give different values
-- are a conflict: both rows stay, and neither serves as the previous value of a later release. A figure the
-- feed marks mislabelled (qualifier `mislabelled…`: the press put another partner's figure under this one) is
-- kept as a conflict and is never the figure of a day: valid_to = valid_from, not latest, no revision.
-- Non-USD rows (published shares of total OFDI, growth rates) are not figures in USD and stay out.
with figures as (
    select
        year, year_label, period, partner_code, subject as series, metric, value as value_usd,
        nullif(qualifier, '') as qualifier, conflict, basis, publisher, release, release_date, valid_from,
        citation_url, nullif(note, '') as note, coalesce(qualifier like 'mislabelled%', false) as mislabelled
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
    where not mislabelled
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
    case when f.mislabelled then f.valid_from else d.next_valid_from end as valid_to,
    not f.mislabelled and d.next_valid_from is null as is_latest,
    f.mislabelled or d.conflicting as same_day_conflict,
    case when not f.mislabelled then f.value_usd - d.previous_value_usd end as revision_usd
from figures as f
left join ordered_days as d using (partner_code, series, metric, year_label, period, valid_from)
