{# Quarters and years summed from complete sets of months, never scaled up (see macros/_macros.yml). #}
{% macro sum_complete_months(relation, keys, value='value_usd', period='period_start', basis=none) %}
    {% for grain, n_months in {'quarter': 3, 'year': 12}.items() %}
        {% if not loop.first %}union all{% endif %}
        select cast(date_trunc('{{ grain }}', {{ period }}) as date) as period_start, '{{ grain }}' as frequency,
               {{ keys | join(', ') }}, sum({{ value }}) as {{ value }}{% if basis %},
               {{ combined_value_basis(basis) }} as {{ basis }}{% endif %}
        from {{ relation }}
        group by 1, {{ keys | join(', ') }}
        having count(*) = {{ n_months }}
    {% endfor %}
{% endmacro %}
