-- Korean direct investment in the US (and the all-country total), one row per figure in US dollars per
-- release: MOEF / Korea Eximbank overseas direct investment (gross amount invested, remittance basis), BEA
-- and BOK positions. Every release is kept with the interval in which it was the latest known figure:
-- as of day D, valid_from <= D and (valid_to is null or valid_to > D).
select
    cast(year as integer) as year,
    cast(year_label as string) as year_label,
    cast(period as string) as period,
    cast(partner_code as string) as partner_code,
    cast(series as string) as series,
    cast(direction as string) as direction,
    cast(metric as string) as metric,
    cast(value_usd as double) as value_usd,
    cast(qualifier as string) as qualifier,
    cast(basis as string) as basis,
    cast(release as string) as release,
    cast(release_date as date) as release_date,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to,
    cast(is_latest as boolean) as is_latest,
    cast(revision_usd as double) as revision_usd,
    cast(same_day_conflict as boolean) as conflict,
    cast(publisher as string) as publisher,
    cast(citation_url as string) as citation_url,
    cast(note as string) as note
from {{ ref('int_direct_investment_releases') }}
