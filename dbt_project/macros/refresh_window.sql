{# The months a refresh recomputes in incremental models, from var refresh_months (see macros/_macros.yml). #}
{% macro refresh_months() -%}
    {%- set months = var('refresh_months', []) -%}
    {{- ("date '" ~ months | join("', date '") ~ "'") if months else 'null' -}}
{%- endmacro %}
