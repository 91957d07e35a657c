-- Exports and imports per month × partner, all products: the best release of each partner-month
-- (int_monthly_partner_releases, rank 1: official before other compilations, published before derived, then the
-- latest vintage); every release stays in int_monthly_partner_releases and marts.export_vintages.
select
    period, partner_code, partner_kind, flow, value_usd, vintage, source_file, release_type, value_basis,
    precision_usd, conflicting_with, releases_in_month as vintages
from {{ ref('int_monthly_partner_releases') }}
where rank_in_month = 1
