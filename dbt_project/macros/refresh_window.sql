{# The months a refresh recomputes in incremental models, from var refresh_months (see macros/_macros.yml). #}
{% macro refresh_months() -%}
    {%- set months = var('refresh_months', []) -%}
    {%- if months -%}
        {%- for month in months %}date '{{ month }}'{{ ", " if not loop.last }}{% endfor -%}
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
