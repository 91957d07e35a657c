{# The months a refresh recomputes in incremental models: var `refresh_months` (['YYYY-MM-01', …]),
   set by the Dagster dbt asset from raw._pending. Empty: no month (the incremental model keeps its rows). #}
{% macro refresh_months() -%}
    {%- set months = var('refresh_months', []) -%}
    {%- if months -%}
        {%- for month in months %}date '{{ month }}'{{ ", " if not loop.last }}{% endfor -%}
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
