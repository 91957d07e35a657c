-- Exports and imports per period × partner as the sources report them, for months, quarters and
-- years. Quarters and years are sums of complete sets of months; partner-years without monthly data
-- come from KOSIS annual data. value_basis: a quarter or year is derived from growth if any of its months is.
with monthly as (
    select
        period as period_start, 'month' as frequency, partner_code, partner_kind, flow, value_usd, value_basis,
        'kcs_monthly_partner' as source
    from {{ ref('int_monthly_partner_trade') }}
),

from_months as (
    select *, 'kcs_monthly_partner' as source
    from ({{ sum_complete_months('monthly', ['partner_code', 'partner_kind', 'flow'], basis='value_basis') }})
),

yearly_from_kosis as (
    select
        make_date(k.year, 1, 1) as period_start, 'year' as frequency, k.partner_code, k.partner_kind,
        k.flow, k.value_usd, 'published' as value_basis, 'kosis_annual_partner' as source
    from {{ ref('stg_kosis_annual_partner') }} as k
    anti join from_months as m
        on m.frequency = 'year' and k.partner_code = m.partner_code and k.flow = m.flow
            and m.period_start = make_date(k.year, 1, 1)
)

select * from monthly
union all
select * from from_months
union all
select * from yearly_from_kosis
