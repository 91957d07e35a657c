{# Shares of groups that do not overlap sum to at most 1 (+ tolerance) within each combination of the
   group_by columns; fails with one row per combination above it (see macros/_macros.yml). Select the
   disjoint rows with the test's `where` config. #}
{% test shares_sum_to_at_most_one(model, column_name, group_by, tolerance=1e-9) %}
select {{ group_by | join(', ') }}, sum({{ column_name }}) as share_sum, count(*) as n
from {{ model }}
where {{ column_name }} is not null
group by {{ group_by | join(', ') }}
having sum({{ column_name }}) > 1 + {{ tolerance }}
{% endtest %}
