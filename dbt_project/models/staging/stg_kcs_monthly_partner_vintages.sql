-- Every vintage of Korea Customs partner totals: one row per month × partner × flow × vintage of a statistics
-- file, and one per row of a published release, a month or a year (`frequency`). Several releases can share a day:
-- a ministry's preliminary figures and a compilation, or two reports of one release that disagree
-- (marts.monthly_releases). The same printed figure in two files counts once.
-- Incremental by month: a refresh deletes the months of raw._build_window (new or revised in raw)
-- and inserts them again from raw.kcs_monthly_partner__window, a view of those months over only the
-- files that hold them (orchestration/loading.py); other files are not read. A full refresh reads all.
-- Per vintage of a statistics file, an all-products row (hs_code = var all_products_hs_code) wins; otherwise the
-- value is the sum of the product rows (HS codes) of one file. Files of one vintage have been checked to agree;
-- the last by name is kept.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where period in ({{ refresh_months() }}){% endif %}"
) }}

{% set all_products = var('all_products_hs_code') %}
{% set raw = source('raw', 'kcs_monthly_partner') %}
{% set raw_window = raw.database ~ '.' ~ raw.schema ~ '.' ~ raw.identifier ~ '__window' %}
with raw_rows as (
    select *, case when release_type is not null then source_row end as release_row
    from {{ raw_window if is_incremental() else raw }}
),

per_file as (
    select
        period, frequency, partner_code, any_value(partner_kind) as partner_kind, flow, vintage, source_file,
        release_row,
        any_value(release_type) as release_type,
        any_value(value_basis) as value_basis,
        any_value(yoy_pct) as yoy_pct,
        any_value(precision_usd) as precision_usd,
        any_value(publisher) as publisher,
        any_value(citation_url) as citation_url,
        any_value(value_usd) filter (where hs_code = '{{ all_products }}') as total_usd,
        sum(value_usd) filter (where hs_code <> '{{ all_products }}') as products_usd
    from raw_rows
    group by period, frequency, partner_code, flow, vintage, source_file, release_row
),

vintages as (
    select
        period,
        frequency,
        partner_code,
        any_value(partner_kind) as partner_kind,
        flow,
        vintage,
        coalesce(
            max_by(total_usd, source_file) filter (where total_usd is not null),
            max_by(products_usd, source_file)
        ) as value_usd,
        coalesce(max(source_file) filter (where total_usd is not null), max(source_file)) as source_file,
        release_row as source_row,
        coalesce(any_value(release_type), 'customs statistics') as release_type,
        any_value(value_basis) as value_basis,
        any_value(yoy_pct) as yoy_pct,
        any_value(precision_usd) as precision_usd,
        any_value(publisher) as publisher,
        any_value(citation_url) as citation_url
    from per_file
    group by
        period, frequency, partner_code, flow, vintage, release_row,
        case when release_row is not null then source_file end
),

printed_once as (  -- a figure printed in two files (a re-saved copy of a release) is one figure: the first file
    select *
    from vintages
    qualify
        source_row is null
        or row_number() over (
            partition by
                period, frequency, partner_code, flow, vintage, value_usd, value_basis, yoy_pct, release_type,
                publisher, citation_url
            order by source_file, source_row
        ) = 1
)

-- reports_agreeing: how many reports of that day print the same value (a same-day conflict's rule,
-- release_rank_order)
select
    *,
    count(*) over (partition by period, frequency, partner_code, flow, vintage, value_usd) as reports_agreeing
from printed_once
