{# Partner groups summed from member countries where every member's value is known (see macros/_macros.yml). #}
{% macro sum_groups_from_members(countries, dims, complete_listings, listing_dims=[], basis=none) %}
    with members as (
        select group_code, member_iso3, coalesce(valid_from, date '1900-01-01') as valid_from,
               coalesce(valid_to, date '9999-12-31') as valid_to
        from {{ ref('partner_group_members') }}
    ),

    slots as (
        select distinct period_start, frequency, {{ dims | join(', ') }} from {{ countries }}
    ),

    expected as (
        select s.*, m.group_code, m.member_iso3
        from slots as s
        join members as m on m.valid_from <= s.period_start and m.valid_to >= s.period_start
    ),

    summed as (
        select e.period_start, e.frequency, e.group_code as partner_code,
               {% for d in dims %}e.{{ d }}, {% endfor %}
               sum(c.value_usd) as value_usd, count(c.partner_code) as members_reported,
               {% if basis %}{{ combined_value_basis('c.' ~ basis) }} as {{ basis }},{% endif %}
               count(*) as members_expected
        from expected as e
        left join {{ countries }} as c
            on c.partner_code = e.member_iso3 and c.period_start = e.period_start and c.frequency = e.frequency
            {% for d in dims %}and c.{{ d }} = e.{{ d }} {% endfor %}
        group by all
    )

    select s.period_start, s.frequency, s.partner_code, {% for d in dims %}s.{{ d }}, {% endfor %}
           coalesce(s.value_usd, 0) as value_usd{% if basis %}, s.{{ basis }}{% endif %}
    from summed as s
    left join {{ complete_listings }} as l on l.period_start = s.period_start and l.frequency = s.frequency
        {% for d in listing_dims %}and l.{{ d }} = s.{{ d }} {% endfor %}
    where s.members_reported = s.members_expected
       or (l.period_start is not null and s.members_reported > 0)
{% endmacro %}
