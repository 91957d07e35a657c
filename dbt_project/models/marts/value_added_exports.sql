-- Korea's exports that reach the US indirectly, one row per figure: the published value-added and
-- indirect-export estimates (basis `published`: HRI, KIET, KEF, OECD TiVA summary, BOK, unknown), as
-- published, and this warehouse's gross proxy of exposure to US demand through China (basis `computed`):
-- Korea's exports to China × the US share of China's exports (IMF DOTS, China-reported), every year both
-- exist. The proxy counts every Korean export to China as re-exported (none used in China): an upper bound,
-- said in `method` and `qualifier`. Different institutes, models and input-output tables: compare orders of
-- magnitude, never chain the rows into one series, and never read the gross proxy as a value-added figure.
with published as (
    select
        'published' as basis, *,
        cast(null as string) as korea_exports_source,
        cast(null as double) as korea_exports_to_transit_usd,
        cast(null as double) as us_share_of_transit_exports
    from {{ ref('int_value_added_published') }}
),

computed as (
    select
        'computed' as basis,
        'computed (this warehouse)' as institute,
        'gross proxy, upper bound: Korea''s exports to ' || transit_name || ' × US share of ' || transit_name
        || '''s exports (IMF DOTS, ' || transit_name || '-reported), as if every export to ' || transit_name
        || ' were re-exported; not a value-added estimate' as method,
        year,
        cast(year as string) as year_label,
        'year' as period,
        transit_name || ' → USA' as channel,
        'USA' as partner_code,
        'gross_proxy_us_demand_via_' || lower(transit_code) as indicator,
        proxy_usd as value,
        'USD' as unit,
        cast(null as double) as share,
        'upper bound: if every export to ' || transit_name || ' were re-exported' as qualifier,
        'this warehouse' as publisher,
        cast(null as string) as release,
        cast(null as date) as release_date,
        cast(null as string) as citation_url,
        'inputs: Korea''s exports to ' || transit_name || ' (customs) and ' || transit_name
        || '''s exports to the US and to the world (IMF DOTS); re-exports through third places (e.g. Hong Kong) '
        || 'are not followed' as note,
        korea_exports_source,
        korea_exports_usd as korea_exports_to_transit_usd,
        us_share_of_transit_exports
    from {{ ref('int_us_demand_via_transit') }}
),

all_rows as (
    {{ union_all_by_name(['published', 'computed'], [
        'basis', 'institute', 'method', 'year', 'year_label', 'period', 'channel', 'partner_code', 'indicator',
        'value', 'unit', 'share', 'qualifier', 'korea_exports_to_transit_usd', 'us_share_of_transit_exports',
        'korea_exports_source', 'publisher', 'release', 'release_date', 'citation_url', 'note']) }}
)

select
    cast(basis as string) as basis,
    cast(institute as string) as institute,
    cast(method as string) as method,
    cast(year as integer) as year,
    cast(year_label as string) as year_label,
    cast(period as string) as period,
    cast(channel as string) as channel,
    cast(partner_code as string) as partner_code,
    cast(indicator as string) as indicator,
    cast(value as double) as value,
    cast(unit as string) as unit,
    cast(share as double) as share,
    cast(qualifier as string) as qualifier,
    cast(korea_exports_to_transit_usd as double) as korea_exports_to_transit_usd,
    cast(us_share_of_transit_exports as double) as us_share_of_transit_exports,
    cast(korea_exports_source as string) as korea_exports_source,
    cast(publisher as string) as publisher,
    cast(release as string) as release,
    cast(release_date as date) as release_date,
    cast(citation_url as string) as citation_url,
    cast(note as string) as note
from all_rows
