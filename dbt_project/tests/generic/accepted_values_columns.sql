{# Every non-null value of each column is one of its accepted values (dbt's accepted_values, several columns in
   one test); fails with one row per column and value not accepted: failing_column, failing_value (as text) and
   its count n (see macros/_macros.yml). A string is compared as a quoted literal, a number as a number. #}
{% test accepted_values_columns(model, values) %}
    select failing_column, failing_value, n
    from (
        {% for column, accepted in values.items() %}
            {% if not loop.first %}union all{% endif %}
            select '{{ column }}' as failing_column, cast({{ column }} as string) as failing_value, count(*) as n
            from {{ model }}
            where {{ column }} is not null
                and {{ column }} not in (
                    {%- for value in accepted -%}
                        {{ "'" ~ value ~ "'" if value is string else value }}{{ ", " if not loop.last }}
                    {%- endfor -%}
                )
            group by {{ column }}
        {% endfor %}
    ) as failures
{% endtest %}
