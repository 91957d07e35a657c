-- Exports of selected products per period × partner × HS code: the spans the files report (a month,
-- or e.g. January–June) plus quarters and years summed from complete sets of monthly rows.
{% set grains = {'quarter': 3, 'year': 12} %}
with rows as (
    select * from {{ ref('stg_kcs_product_partner') }} where flow = 'export'
),

reported as (
    select period_start, case months when 1 then 'month' when 3 then 'quarter' when 6 then 'half'
                                      when 12 then 'year' else 'months_' || months end as frequency,
           partner_code, hs_code, hs_digits, value_usd
    from rows
)

select * from reported
{% for grain, n_months in grains.items() %}
union all
select cast(date_trunc('{{ grain }}', period_start) as date), '{{ grain }}', partner_code, hs_code, hs_digits,
       sum(value_usd)
from rows
where months = 1
group by 1, partner_code, hs_code, hs_digits
having count(*) = {{ n_months }}
{% endfor %}
