-- Korea's trade with its partners by product as published (dataset trade_by_product of the published_figures
-- feed): one row per published figure, never summed with customs data or with figures of another basis.
-- `reporter` says whose statistics a figure is: KOR for Korea's side (flow import, export or balance: Korean
-- customs basis, imports CIF, as KITA/MOTIE/MAFRA/KREI tabulate them), the partner itself for what it reports
-- (flow partner_export: the US side, USDA/USITC/EIA). A series never mixes reporters.
with figures as (
    select * from {{ ref('stg_published_figures') }}
    where dataset = 'trade_by_product'
)

select
    cast(year as integer) as year,
    cast(year_label as string) as year_label,
    cast(period as string) as period,
    cast(case when flow = 'partner_export' then partner_code else 'KOR' end as string) as reporter,
    cast(flow as string) as flow,
    cast(partner_code as string) as partner_code,
    cast(subject as string) as product_group,
    cast(metric as string) as metric,
    cast(value as double) as value,
    cast(unit as string) as unit,
    cast(basis as string) as basis,
    cast(publisher as string) as publisher,
    cast(release as string) as release,
    cast(release_date as date) as release_date,
    cast(valid_from as date) as valid_from,
    cast(citation_url as string) as citation_url,
    cast(qualifier as string) as qualifier,
    cast(coalesce(conflict, false) as boolean) as conflict,
    cast(note as string) as note,
    cast(source_file as string) as source_file,
    cast(source_row as integer) as source_row
from figures
