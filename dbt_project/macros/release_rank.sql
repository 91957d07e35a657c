{# The order in which releases of one partner-month outrank each other (see macros/_macros.yml). #}
{% macro release_rank_order() -%}
    case when release_type = 'other' then 1 else 0 end,
    case when value_basis = 'published' then 0 else 1 end,
    case when release_type = 'preliminary' then 1 else 0 end,
    vintage desc,
    precision_usd asc nulls first,
    source_file desc,
    source_row desc
{%- endmacro %}

{# The basis of a sum: derived if any part is (see macros/_macros.yml). #}
{% macro combined_value_basis(column) -%}
    case when count(case when {{ column }} = 'derived from growth' then 1 end) > 0
        then 'derived from growth' else 'published' end
{%- endmacro %}
