-- Every partner code the marts can show: countries, partner groups and the world.
select iso3 as partner_code, name_en as partner_name, 'country' as partner_kind from {{ ref('countries') }}
union all
select group_code as partner_code, name_en as partner_name, 'group' as partner_kind from {{ ref('partner_groups') }}
union all
select 'WLD' as partner_code, 'World' as partner_name, 'world' as partner_kind
