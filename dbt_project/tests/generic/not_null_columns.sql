{# None of the columns is NULL (dbt's not_null, several columns in one test); fails with one row per NULL found:
   the column's name (failing_column) and the row (see macros/_macros.yml). #}
{% test not_null_columns(model, columns) %}
    select *
    from (
        {% for column in columns %}
            {% if not loop.first %}union all{% endif %}
            select '{{ column }}' as failing_column, *
            from {{ model }}
            where {{ column }} is null
        {% endfor %}
    ) as failures
{% endtest %}
