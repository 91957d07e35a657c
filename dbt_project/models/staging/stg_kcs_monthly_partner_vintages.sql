-- Every vintage of Korea Customs partner totals: one row per month × partner × flow × vintage.
-- Incremental by month: a refresh deletes the months of raw._build_window (new or revised in raw)
-- and inserts them again from raw.kcs_monthly_partner__window, a view of those months over only the
-- files that hold them (orchestration/loading.py); other files are not read. A full refresh reads all.
-- Per vintage, an all-products row (hs_code = var all_products_hs_code) wins; otherwise the value is
-- the sum of the product rows (HS codes) of one file. Files of one vintage have been checked to agree;
-- the last by name is kept.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where period in ({{ refresh_months() }}){% endif %}"
) }}

{% set all_products = var('all_products_hs_code') %}
with per_file as (
    select
        period, partner_code, any_value(partner_kind) as partner_kind, flow, vintage, source_file,
        any_value(value_usd) filter (where hs_code = '{{ all_products }}') as total_usd,
        sum(value_usd) filter (where hs_code <> '{{ all_products }}') as products_usd
    {% set raw = source('raw', 'kcs_monthly_partner') %}
    {% set raw_window = raw.database ~ '.' ~ raw.schema ~ '.' ~ raw.identifier ~ '__window' %}
    from {{ raw_window if is_incremental() else raw }}
    group by period, partner_code, flow, vintage, source_file
)

select
    period,
    partner_code,
    any_value(partner_kind) as partner_kind,
    flow,
    vintage,
    coalesce(
        max_by(total_usd, source_file) filter (where total_usd is not null),
        max_by(products_usd, source_file)
    ) as value_usd,
    coalesce(max(source_file) filter (where total_usd is not null), max(source_file)) as source_file
from per_file
group by period, partner_code, flow, vintage
