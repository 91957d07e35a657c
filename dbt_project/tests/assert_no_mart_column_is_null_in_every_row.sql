-- a check of every mart; Dagster shows it on destination_share (a check belongs to one asset). A warning, not a
-- gate: a warehouse fed without some feeds (no releases, no product data) rightly has such columns; on the shipped
-- data tests/test_mart_columns.py requires that there are none.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'destination_share'}}}) }}
-- No published column is NULL in every row: a column that is always NULL tells a BI user nothing (fill it or
-- remove it). One row per mart that has such columns (those of var mart_columns_null_in_every_row_allowed
-- left out), naming them; and one per mart of models/marts/ this test does not read (add it to `marts`
-- below: dbt resolves a test's ref() before it knows the project's models, so the list is written out). The
-- columns are the mart's contract (its YAML), i.e. what serving.duckdb publishes. An empty mart is not
-- reported here (the publication refuses it).
{% set marts = [
    'concentration', 'destination_crossovers', 'destination_share', 'direct_investment',
    'export_growth_contributions', 'export_vintages', 'feed_freshness', 'import_composition',
    'investment_and_exports', 'mirror_gap', 'monthly_releases', 'product_composition',
    'published_export_items', 'published_trade_figures', 'release_revisions', 'report_claims', 'sme_export_vintages',
    'sme_participation', 'surplus_offset_scenarios', 'trade_balance', 'us_china_lead', 'us_export_end_use',
    'value_added_exports',
] %}
{% for mart in marts %}
-- depends_on: {{ ref(mart) }}
{% endfor %}
{% set allowed = var('mart_columns_null_in_every_row_allowed', {}) %}
{% set checks = [] %}
{% if execute %}
    {% for node in graph.nodes.values()
        if node.resource_type == 'model' and node.package_name == project_name and node.fqn[1] == 'marts' %}
        {% if node.name in marts %}
            {% set flags = [] %}
            {% for column in node.columns if column not in allowed.get(node.name, []) %}
                {% do flags.append("coalesce(case when count(" ~ adapter.quote(column) ~ ") = 0 then ', "
                    ~ column ~ "' end, '')") %}
            {% endfor %}
            {% do checks.append("select '" ~ node.name ~ "' as mart, " ~ (flags | join(' || ') or "''")
                ~ " as columns_null_in_every_row from " ~ ref(node.name) ~ " having count(*) > 0") %}
        {% else %}
            {% do checks.append("select '" ~ node.name ~ "' as mart, ', not checked: add it to the marts of "
                ~ "tests/assert_no_mart_column_is_null_in_every_row.sql' as columns_null_in_every_row") %}
        {% endif %}
    {% endfor %}
{% endif %}

with checked as (
    {{ checks | join('\n    union all\n    ') if checks else "select 'none' as mart, '' as columns_null_in_every_row" }}
)

select mart, substr(columns_null_in_every_row, 3) as columns_null_in_every_row
from checked
where columns_null_in_every_row <> ''
