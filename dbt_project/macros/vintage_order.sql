{# Sort key for "latest vintage wins, then the file that sorts last": use with arg_max. #}
{% macro vintage_order() -%}
    cast(vintage as string) || source_file
{%- endmacro %}

{# The value, vintage and file of the latest vintage of each group of raw rows. #}
{% macro latest_vintage_columns() -%}
    max_by(value_usd, {{ vintage_order() }}) as value_usd,
    max(vintage) as vintage,
    max_by(source_file, {{ vintage_order() }}) as source_file
{%- endmacro %}
