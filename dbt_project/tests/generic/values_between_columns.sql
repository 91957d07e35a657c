{# Every non-null value of each column is within its [min_value, max_value], either bound optional (values_between,
   several columns in one test); fails with one row per value outside: failing_column and failing_value (see
   macros/_macros.yml). #}
{% test values_between_columns(model, columns) %}
    select failing_column, failing_value
    from (
        {% for column, bounds in columns.items() %}
            {% set min_value, max_value = bounds.get('min_value'), bounds.get('max_value') %}
            {% if not loop.first %}union all{% endif %}
            select '{{ column }}' as failing_column, cast({{ column }} as double) as failing_value
            from {{ model }}
            where {{ column }} is not null
                and (
                    {{ 'false' if min_value is none else column ~ ' < ' ~ min_value }}
                    or {{ 'false' if max_value is none else column ~ ' > ' ~ max_value }}
                )
        {% endfor %}
    ) as failures
{% endtest %}
