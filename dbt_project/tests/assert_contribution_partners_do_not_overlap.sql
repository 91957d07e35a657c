-- No partner group of var contribution_partners holds a country of that list: their changes would count twice.
{% set partners = var('contribution_partners') %}
select group_code, member_iso3
from {{ ref('partner_group_members') }}
where group_code in ('{{ partners | join("', '") }}')
    and member_iso3 in ('{{ partners | join("', '") }}')
