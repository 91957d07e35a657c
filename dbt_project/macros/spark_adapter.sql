{# Where dbt-spark 1.11 cannot do what the DuckDB build does, the same result another way (see macros/_macros.yml). #}

{# Seeds: dbt-spark in session mode formats seed values into its insert without escaping them, so a value
   with an apostrophe ("the UK's exit") breaks the seed. The same inserts, with each value an escaped literal. #}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set types = [] %}
    {% for name in agate_table.column_names %}
        {% do types.append(column_override.get(name, adapter.convert_type(agate_table, loop.index0))) %}
    {% endfor %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(get_batch_size()) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ 'null' if value is none else "'" ~ (value | string | replace('\\', '\\\\')
                         | replace("'", "\\'")) ~ "'" }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}){%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% do statements.append(sql) if loop.first %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}

{# Contracts: a Parquet table cannot hold NOT NULL (only Delta can), so the `not_null` constraints of a contract
   are checked on the built table instead, and a null fails the model as the constraint would. #}
{% macro spark__alter_column_set_constraints(relation, column_dict) %}
    {% set columns = [] %}
    {% for name, column in column_dict.items() %}
        {% if column.constraints | selectattr('type', 'equalto', 'not_null') | list %}
            {% do columns.append(name) %}
        {% endif %}
    {% endfor %}
    {% if columns and execute %}
        {% set counts = [] %}
        {% for name in columns %}
            {% do counts.append('count_if(' ~ adapter.quote(name) ~ ' is null)') %}
        {% endfor %}
        {% set nulls = run_query('select ' ~ counts | join(', ') ~ ' from ' ~ relation).rows[0] %}
        {% for name in columns %}
            {% if nulls[loop.index0] > 0 %}
                {{ exceptions.raise_compiler_error(relation ~ '.' ~ name ~ ' has ' ~ nulls[loop.index0]
                                                   ~ ' null(s) but its contract says not_null') }}
            {% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
