{# Every non-null value is within [min_value, max_value], either bound optional (see macros/_macros.yml). #}
{% test values_between(model, column_name, min_value=none, max_value=none) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
        and (
            {{ 'false' if min_value is none else column_name ~ ' < ' ~ min_value }}
            or {{ 'false' if max_value is none else column_name ~ ' > ' ~ max_value }}
        )
{% endtest %}
