-- Every partner code the marts can show: countries, partner groups and the world.
select iso3 as partner_code, name_en as partner_name, 'country' as partner_kind from {{ ref('countries') }}
union all
select group_code, name_en, 'group' from {{ ref('partner_groups') }}
union all
select 'WLD', 'World', 'world'
