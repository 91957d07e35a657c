{# Make the raw sources readable by the target engine (see macros/_macros.yml). On DuckDB they are the
   writer's own raw schema; on Spark, tables over the Parquet export of that schema (SPARK_RAW_DIR). #}
{% macro register_raw_sources() %}
    {{ return(adapter.dispatch('register_raw_sources')()) }}
{% endmacro %}

{% macro default__register_raw_sources() %}{% endmacro %}

{% macro spark__register_raw_sources() %}
    {% if execute %}
        {% set raw_dir = env_var('SPARK_RAW_DIR') %}
        {% do run_query('create database if not exists raw') %}
        {% for source in graph.sources.values() if source.source_name == 'raw' %}
            {% do run_query('create table if not exists raw.' ~ source.name ~ " using parquet location '"
                            ~ raw_dir ~ '/' ~ source.name ~ "'") %}
        {% endfor %}
    {% endif %}
{% endmacro %}
