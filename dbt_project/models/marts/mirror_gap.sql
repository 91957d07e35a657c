-- Mirror statistics: Korea's reported exports to a partner next to the partner's reported imports from
-- Korea, per period and partner source. Partner monthly series are also summed to complete quarters
-- and years. The part of the gap a CIF/FOB margin would explain is shown separately.
with korea_reported as (
    select period_start, frequency, partner_code, exports_usd, source
    from {{ ref('destination_share') }}
    where partner_kind = 'country'
),

partner_monthly as (
    select reporter_code as partner_code, period_start, value_usd, valuation, source
    from {{ ref('stg_partner_reported_trade') }}
    where partner_code = 'KOR' and flow = 'import' and frequency = 'month'
),

partner_reported as (
    select reporter_code as partner_code, period_start, frequency, value_usd, valuation, source
    from {{ ref('stg_partner_reported_trade') }}
    where partner_code = 'KOR' and flow = 'import'
    union all
    select partner_code, period_start, frequency, value_usd, valuation, source
    from ({{ sum_complete_months('partner_monthly', ['partner_code', 'valuation', 'source']) }})
),

paired as (
    select
        k.period_start, k.frequency, k.partner_code,
        k.exports_usd as reporter_exports_usd,
        p.value_usd as partner_imports_usd,
        p.valuation as partner_valuation,
        p.source as partner_source,
        k.source
    from korea_reported as k
    inner join partner_reported as p using (period_start, frequency, partner_code)
)

select
    cast(period_start as date) as period_start,
    cast(frequency as string) as frequency,
    cast(partner_code as string) as partner_code,
    cast(reporter_exports_usd as double) as reporter_exports_usd,
    cast(partner_imports_usd as double) as partner_imports_usd,
    cast(partner_imports_usd / reporter_exports_usd as double) as ratio,
    cast(ln(partner_imports_usd / reporter_exports_usd) as double) as log_gap,
    cast(partner_imports_usd - reporter_exports_usd as double) as gap_usd,
    cast(
        case when partner_valuation = 'CIF' then reporter_exports_usd * {{ var('cif_fob_margin') }} else 0 end
        as double
    ) as cif_fob_explained_usd,
    cast(
        partner_imports_usd - reporter_exports_usd
        - case when partner_valuation = 'CIF' then reporter_exports_usd * {{ var('cif_fob_margin') }} else 0 end
        as double
    ) as unexplained_gap_usd,
    cast(partner_valuation as string) as partner_valuation,
    cast(partner_source as string) as partner_source,
    cast('customs (Korea) vs partner-reported' as string) as basis,
    cast(source as string) as source
from paired
