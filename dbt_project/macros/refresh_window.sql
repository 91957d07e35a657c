{# The months a refresh recomputes in incremental models: raw._build_window (see macros/_macros.yml). #}
{% macro refresh_months() -%}
    select month from {{ this.database }}.raw._build_window
{%- endmacro %}
