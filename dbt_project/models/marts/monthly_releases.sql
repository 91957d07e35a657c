-- Every figure of the published monthly releases (the ministry's preliminary release, Korea Customs' final
-- release, compilations), exports and imports: as printed, its rounding, the value derived from its growth rate
-- where it printed only that, whether the marts use it, and the figures of the same day it disagrees with. An annual
-- figure (the December release prints the year) is shown as printed: the marts sum years from months.
with printed as (
    select * from {{ ref('stg_kcs_monthly_partner_vintages') }}
    where release_type <> 'customs statistics'
),

valued as (
    select * from {{ ref('int_monthly_partner_releases') }}
),

valued_later as (  -- growth rates whose base was published only after their own release
    select distinct period, partner_code, flow, source_file, source_row
    from valued
    where value_basis = 'derived from growth'
)

select
    cast(p.period as date) as period_start,
    cast(p.frequency as string) as frequency,
    cast(p.partner_code as string) as partner_code,
    cast(n.partner_name as string) as partner_name,
    cast(p.flow as string) as flow,
    cast(p.release_type as string) as release_type,
    cast(p.vintage as date) as vintage,
    cast(coalesce(v.value_usd, p.value_usd) as double) as value_usd,
    cast(case
        when p.frequency = 'year' then p.value_basis
        when p.value_basis = 'growth only' and v.value_usd is null and l.source_file is not null
            then 'growth only, base published later'
        when p.value_basis = 'growth only' and v.value_usd is null then 'growth only, no published base'
        else coalesce(v.value_basis, p.value_basis)
    end as string) as value_basis,
    cast(p.yoy_pct as double) as yoy_pct,
    cast(coalesce(v.precision_usd, p.precision_usd) as double) as precision_usd,
    cast(v.base_period as date) as base_period,
    cast(v.derived_from_vintage as date) as derived_from_vintage,
    cast(coalesce(v.rank_in_month = 1, false) as boolean) as used_by_marts,
    cast(v.conflicting_with as string) as conflicting_with,
    cast(p.publisher as string) as publisher,
    cast(p.citation_url as string) as citation_url,
    cast(p.source_file as string) as source,
    cast(p.source_row as integer) as source_row
from printed as p
left join valued as v
    on p.frequency = 'month'
        and p.period = v.period
        and p.partner_code = v.partner_code
        and p.flow = v.flow
        and p.vintage = v.vintage
        and p.source_file = v.source_file and p.source_row = v.source_row
left join valued_later as l
    on p.frequency = 'month' and p.period = l.period and p.partner_code = l.partner_code and p.flow = l.flow
        and p.source_file = l.source_file and p.source_row = l.source_row
left join {{ ref('int_partners') }} as n on p.partner_code = n.partner_code
