-- Korean direct investment in the US (and the all-country total), one row per figure in US dollars per
-- release: MOEF / Korea Eximbank overseas direct investment (gross amount invested, remittance basis), BEA
-- and BOK positions. Every release is kept with the interval in which it was the latest known figure:
-- as of day D, valid_from <= D and (valid_to is null or valid_to > D).
select
    cast(year as integer) as year,
    cast(year_label as varchar) as year_label,
    cast(period as varchar) as period,
    cast(partner_code as varchar) as partner_code,
    cast(series as varchar) as series,
    cast(direction as varchar) as direction,
    cast(metric as varchar) as metric,
    cast(value_usd as double) as value_usd,
    cast(qualifier as varchar) as qualifier,
    cast(basis as varchar) as basis,
    cast(release as varchar) as release,
    cast(release_date as date) as release_date,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to,
    cast(is_latest as boolean) as is_latest,
    cast(revision_usd as double) as revision_usd,
    cast(same_day_conflict as boolean) as conflict,
    cast(publisher as varchar) as publisher,
    cast(citation_url as varchar) as citation_url,
    cast(note as varchar) as note
from {{ ref('int_direct_investment_releases') }}
