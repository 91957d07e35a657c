{# Periods between two period starts of the same frequency (month, quarter or year). #}
{% macro periods_between(frequency, start_col, end_col) -%}
    {{ return(adapter.dispatch('periods_between')(frequency, start_col, end_col)) }}
{%- endmacro %}

{% macro default__periods_between(frequency, start_col, end_col) -%}
    case {{ frequency }}
        when 'month' then date_diff('month', {{ start_col }}, {{ end_col }})
        when 'quarter' then date_diff('quarter', {{ start_col }}, {{ end_col }})
        when 'year' then date_diff('year', {{ start_col }}, {{ end_col }})
    end
{%- endmacro %}

{# Spark's datediff counts days; whole months between two period starts (first days of months) instead. #}
{% macro spark__periods_between(frequency, start_col, end_col) -%}
    case {{ frequency }}
        when 'month' then cast(months_between({{ end_col }}, {{ start_col }}) as int)
        when 'quarter' then cast(months_between({{ end_col }}, {{ start_col }}) as int) div 3
        when 'year' then cast(months_between({{ end_col }}, {{ start_col }}) as int) div 12
    end
{%- endmacro %}

{# The start of the period one step before `start_col`. #}
{% macro previous_period_start(frequency, start_col) -%}
    case {{ frequency }}
        when 'month' then cast({{ start_col }} - interval 1 month as date)
        when 'quarter' then cast({{ start_col }} - interval 3 month as date)
        when 'year' then cast({{ start_col }} - interval 1 year as date)
    end
{%- endmacro %}
