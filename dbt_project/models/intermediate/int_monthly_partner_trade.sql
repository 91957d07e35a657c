-- Exports and imports per month × partner, all products: the latest vintage of each partner-month
-- (older vintages stay in stg_kcs_monthly_partner_vintages and marts.export_vintages).
select
    period,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    {{ latest_vintage_columns() }},
    count(*) as vintages
from {{ ref('stg_kcs_monthly_partner_vintages') }}
group by period, partner_code, flow
