{# Sort key for "latest vintage wins, then the file that sorts last": use with arg_max. #}
{% macro vintage_order() -%}
    strftime(vintage, '%Y-%m-%d') || source_file
{%- endmacro %}
