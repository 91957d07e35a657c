{# The order in which releases of one partner-month outrank each other (see macros/_macros.yml). #}
{% macro release_rank_order() -%}
    case when release_type = 'other' then 1 else 0 end,
    case when value_basis = 'published' then 0 else 1 end,
    case when release_type = 'preliminary' then 1 else 0 end,
    vintage desc,
    precision_usd asc nulls first,
    case when publisher like '% via %' then 1 else 0 end,
    reports_agreeing desc,
    publisher asc nulls first,
    source_file desc,
    source_row desc
{%- endmacro %}

{# The basis of a sum: derived if any part is (see macros/_macros.yml). #}
{% macro combined_value_basis(column) -%}
    case
        when count(case when {{ column }} = 'derived from growth' then 1 end) > 0 then 'derived from growth'
        when count(case when {{ column }} = 'derived from a cumulative' then 1 end) > 0 then 'derived from a cumulative'
        else 'published'
    end
{%- endmacro %}

{# The basis of a figure computed from two: derived if either is (see macros/_macros.yml). #}
{% macro pair_value_basis(first, second) -%}
    coalesce(nullif({{ first }}, 'published'), nullif({{ second }}, 'published'), 'published')
{%- endmacro %}
