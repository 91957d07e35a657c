-- What Korea exports to the US by end use (intermediate, consumption, capital goods), for the claim that
-- consumer goods are about 30 % of exports to the US. One row per basis × period × class × source:
--   published  the publishers' processing-stage shares and the BOK statement (published_figures,
--              export_composition, breakdown end_use), as published
--   computed   this warehouse's BEC end-use classes of exports to the US (product_composition), with their
--              coverage and detail level and both conventions for passenger cars (BEC 51); a class's share is
--              NULL where less than var end_use_min_classified_share of the exports is classified (the
--              coverage is in classified_share, coverage and note), `mixed` and `unclassified` keep theirs
-- The two bases are side by side, never blended: no figure here is a sum across bases.
{% set min_classified = var('end_use_min_classified_share') %}

with published as (
    select
        'published' as basis,
        year, year_label, period,
        case subject
            when 'intermediate_goods' then 'intermediate'
            when 'consumer_goods' then 'consumption'
            when 'capital_goods' then 'capital'
            else subject
        end as end_use,
        subject as end_use_as_published,
        case when subject = 'consumer_goods' then 'not stated by the publisher' end as passenger_cars_convention,
        value / 100 as share,
        cast(null as double) as exports_usd,
        cast(null as double) as partner_exports_usd,
        basis as classification,
        cast(null as double) as classified_share,
        cast(null as string) as coverage,
        cast(null as string) as detail_level,
        nullif(qualifier, '') as qualifier,
        publisher, release, release_date, citation_url, nullif(note, '') as note,
        'published_figures (export_composition)' as source
    from {{ ref('stg_published_figures') }}
    where dataset = 'export_composition' and breakdown = 'end_use' and partner_code = 'USA' and unit = 'percent'
),

computed_rows as (
    select
        *,
        1 - coalesce(
            sum(share_of_partner_exports) filter (where product_group in ('mixed', 'unclassified'))
                over (partition by period_start, frequency, detail_level),
            0
        ) as classified_share
    from {{ ref('product_composition') }}
    where partner_code = 'USA' and product_group_kind = 'bec_end_use'
),

computed as (
    select
        'computed' as basis,
        year(period_start) as year,
        cast(year(period_start) as string) as year_label,
        case frequency
            when 'year' then 'year'
            when 'half' then case when month(period_start) <= 6 then 'H1' else 'H2' end
            when 'quarter' then 'Q' || quarter(period_start)
            else substr(cast(period_start as string), 1, 7)
        end as period,
        product_group as end_use,
        cast(null as string) as end_use_as_published,
        case product_group
            when 'consumption' then 'excluded (passenger cars are their own class)'
            when 'consumption_incl_passenger_cars' then 'included'
            when 'passenger_cars' then 'passenger cars alone'
        end as passenger_cars_convention,
        case
            when product_group in ('mixed', 'unclassified') or classified_share >= {{ min_classified }}
                then share_of_partner_exports
        end as share,
        exports_usd,
        partner_exports_usd,
        'HS 2022 → BEC Rev.4 → end use (UNSD); partner total: ' || partner_exports_basis as classification,
        classified_share,
        coverage,
        detail_level,
        cast(null as string) as qualifier,
        'this warehouse (Korea Customs data)' as publisher,
        cast(null as string) as release,
        cast(null as date) as release_date,
        cast(null as string) as citation_url,
        case
            when product_group not in ('mixed', 'unclassified') and classified_share < {{ min_classified }}
                then 'share not shown: ' || cast(round(100 * classified_share, 1) as string)
                    || ' % of the exports classified to a single end use, below the '
                    || cast(round(100 * {{ min_classified }}, 1) as string) || ' % threshold '
                    || '(var end_use_min_classified_share)'
        end as note,
        'product_composition (' || source || ')' as source
    from computed_rows
),

all_rows as (
    {{ union_all_by_name(['published', 'computed'], [
        'basis', 'year', 'year_label', 'period', 'end_use', 'end_use_as_published', 'passenger_cars_convention',
        'share', 'exports_usd', 'partner_exports_usd', 'classification', 'classified_share', 'coverage',
        'detail_level', 'qualifier', 'publisher', 'release', 'release_date', 'citation_url', 'note', 'source']) }}
)

select
    cast(basis as string) as basis,
    cast(year as integer) as year,
    cast(year_label as string) as year_label,
    cast(period as string) as period,
    cast(end_use as string) as end_use,
    cast(end_use_as_published as string) as end_use_as_published,
    cast(passenger_cars_convention as string) as passenger_cars_convention,
    cast(share as double) as share,
    cast(exports_usd as double) as exports_usd,
    cast(partner_exports_usd as double) as partner_exports_usd,
    cast(classification as string) as classification,
    cast(classified_share as double) as classified_share,
    cast(coverage as string) as coverage,
    cast(detail_level as string) as detail_level,
    cast(
        case
            when basis = 'computed' and classified_share < 1
                then 'HS 6-digit exports to the US for a full year (Korea Customs nitemtrade or UN Comtrade HS6), '
                    || 'mapped HS → BEC (seeds hs6_to_bec4, bec4_end_use)'
            when basis = 'published' and share is not null and qualifier like 'approx%'
                then 'the publisher''s table by class and its definition (not in the press reports); or HS 6-digit '
                    || 'exports to the US for full years, mapped HS → BEC'
        end as string
    ) as settled_by,
    cast(qualifier as string) as qualifier,
    cast(publisher as string) as publisher,
    cast(release as string) as release,
    cast(release_date as date) as release_date,
    cast(citation_url as string) as citation_url,
    cast(note as string) as note,
    cast(source as string) as source
from all_rows
