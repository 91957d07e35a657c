-- Exports and imports per period × partner as the sources report them, for months, quarters and
-- years. Quarters and years are sums of complete sets of months; partner-years without monthly data
-- come from KOSIS annual data.
{% set grains = {'quarter': 3, 'year': 12} %}
with months as (
    select * from {{ ref('int_monthly_partner_trade') }}
),

monthly as (
    select period as period_start, 'month' as frequency, partner_code, partner_kind, flow, value_usd,
           'kcs_monthly_partner' as source
    from months
),

{% for grain, n_months in grains.items() %}
{{ grain }}ly_from_months as (
    select cast(date_trunc('{{ grain }}', period) as date) as period_start, '{{ grain }}' as frequency,
           partner_code, any_value(partner_kind) as partner_kind, flow, sum(value_usd) as value_usd,
           'kcs_monthly_partner' as source
    from months
    group by 1, partner_code, flow
    having count(*) = {{ n_months }}
),
{% endfor %}

yearly_from_kosis as (
    select make_date(k.year, 1, 1) as period_start, 'year' as frequency, k.partner_code, k.partner_kind,
           k.flow, k.value_usd, 'kosis_annual_partner' as source
    from {{ ref('stg_kosis_annual_partner') }} as k
    anti join yearly_from_months as m
        on m.partner_code = k.partner_code and m.flow = k.flow and m.period_start = make_date(k.year, 1, 1)
)

select * from monthly
union all select * from quarterly_from_months
union all select * from yearly_from_months
union all select * from yearly_from_kosis
