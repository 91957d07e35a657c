{# Use the layer names as schema names (staging, intermediate, marts, reference), not main_<layer>. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name is not none else target.schema }}
{%- endmacro %}
