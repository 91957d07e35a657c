{# SQL that DuckDB and Spark spell differently (see macros/_macros.yml). #}

{# The distinct non-null values of `column` in a group, sorted, joined by `delimiter`. #}
{% macro sorted_distinct_list(column, delimiter) %}
    {{ return(adapter.dispatch('sorted_distinct_list')(column, delimiter)) }}
{% endmacro %}

{% macro default__sorted_distinct_list(column, delimiter) -%}
    string_agg(distinct {{ column }}, '{{ delimiter }}' order by {{ column }})
{%- endmacro %}

{% macro spark__sorted_distinct_list(column, delimiter) -%}
    nullif(array_join(array_sort(collect_set({{ column }})), '{{ delimiter }}'), '')
{%- endmacro %}

{# True where `text` holds `word` as a whole word (no letter, digit or _ on either side). #}
{% macro contains_word(text, word) -%}
    regexp_extract({{ text }}, '(^|[^A-Za-z0-9_]){{ word }}([^A-Za-z0-9_]|$)', 0) <> ''
{%- endmacro %}

{# `union all` of `relations` (CTE names), matching columns by name: each side selects `columns` in that order
   (Spark has no `union all by name`). #}
{% macro union_all_by_name(relations, columns) %}
    {% for relation in relations %}
        {% if not loop.first %}union all{% endif %}
        select {{ columns | join(', ') }} from {{ relation }}
    {% endfor %}
{% endmacro %}

{# A number as C's printf('%g') writes it: 6 significant digits, no trailing zeros (0.05, -18, 1.5e+10). #}
{% macro format_g(number) %}
    {{ return(adapter.dispatch('format_g')(number)) }}
{% endmacro %}

{% macro default__format_g(number) -%}
    printf('%g', {{ number }})
{%- endmacro %}

{# Java's %g keeps trailing zeros (-18.0000): strip them, and the point if nothing follows it. #}
{% macro spark__format_g(number) -%}
    regexp_replace(
        regexp_replace(printf('%.6g', {{ number }}), '([.][0-9]*[1-9])0+($|e)', '$1$2'), '[.]0+($|e)', '$1'
    )
{%- endmacro %}
