-- Who exports: exports and exporter counts by year × firm size × destination, one series per
-- publisher (`source`); the latest release of each figure wins (latest release_date; a release with a
-- date wins over one without; then the label: preliminary < provisional < the rest). Every release of
-- exports_usd is in sme_export_vintages. Shares are computed within the same source and release where it
-- publishes the denominator (never a figure divided by another release's total, e.g. a later revision);
-- otherwise a published share is used, and only then the customs total of the destination (see
-- share_of_destination_basis).
with latest as (
    select *
    from {{ ref('stg_firm_size_exports') }}
    where period = 'year' and firm_size in ('sme', 'middle', 'large', 'all')
        and measure in ('exports_usd', 'exporters', 'share_of_total_exports', 'share_of_firm_size_exports')
    qualify
        row_number() over (
            partition by source, year, firm_size, destination_code, measure
            order by release_date desc nulls last, vintage_rank desc
        ) = 1
),

measure_values as (
    -- one column per measure × attribute (exports_usd_value, exporters_vintage, …)
    select
        source, year, firm_size, destination_code,
        {% for measure in ['exports_usd', 'exporters', 'share_of_total_exports', 'share_of_firm_size_exports'] %}
            {% for column, name in [('value', 'value'), ('vintage', 'vintage'), ('release_date', 'release_date'),
                                    ('citation_url', 'citation')] %}
                any_value({{ column }}) filter (where measure = '{{ measure }}') as {{ measure }}_{{ name }}
                {%- if not loop.last %},{% endif %}
            {% endfor %}{% if not loop.last %},{% endif %}
        {% endfor %}
    from latest
    group by source, year, firm_size, destination_code
),

release_exports as (
    -- each release's exports by source × year × firm size × destination (undated releases as one)
    select source, year, firm_size, destination_code, release_date, value as exports_usd
    from {{ ref('stg_firm_size_exports') }}
    where period = 'year' and measure = 'exports_usd'
    qualify
        row_number() over (
            partition by source, year, firm_size, destination_code, release_date order by vintage_rank desc
        ) = 1
),

customs as (
    select cast(year(period_start) as integer) as year, partner_code, exports_usd
    from {{ ref('destination_share') }}
    where frequency = 'year'
),

shares as (
    select
        m.*,
        m.exports_usd_value / all_sizes.exports_usd as share_same_source,
        m.exports_usd_value / customs.exports_usd as share_customs,
        m.exports_usd_value / size_total.exports_usd as share_of_size_same_source
    from measure_values as m
    left join release_exports as all_sizes
        on m.source = all_sizes.source and m.year = all_sizes.year
            and all_sizes.firm_size = 'all' and m.destination_code = all_sizes.destination_code
            and m.exports_usd_release_date is not distinct from all_sizes.release_date
    left join release_exports as size_total
        on m.source = size_total.source and m.year = size_total.year
            and m.firm_size = size_total.firm_size and size_total.destination_code = 'WLD'
            and m.exports_usd_release_date is not distinct from size_total.release_date
    left join customs on m.year = customs.year and m.destination_code = customs.partner_code
)

select
    cast(year as integer) as year,
    cast(firm_size as string) as firm_size,
    cast(destination_code as string) as destination_code,
    cast(exports_usd_value as double) as exports_usd,
    cast(coalesce(share_same_source, share_of_total_exports_value, share_customs) as double) as share_of_destination,
    cast(coalesce(share_of_size_same_source, share_of_firm_size_exports_value) as double) as share_of_firm_size,
    cast(exporters_value as bigint) as exporters,
    cast(source as string) as source,
    cast(coalesce(
        exports_usd_vintage, exporters_vintage, share_of_total_exports_vintage,
        share_of_firm_size_exports_vintage
    ) as string) as vintage,
    cast(case
        when share_same_source is not null then 'same source'
        when share_of_total_exports_value is not null then 'published'
        when share_customs is not null then 'customs total'
    end as string) as share_of_destination_basis,
    cast(case
        when share_of_size_same_source is not null then 'same source'
        when share_of_firm_size_exports_value is not null then 'published'
    end as string) as share_of_firm_size_basis,
    cast(coalesce(
        exports_usd_citation, exporters_citation, share_of_total_exports_citation,
        share_of_firm_size_exports_citation
    ) as string) as citation_url,
    -- the release of the figure `vintage` names (exports_usd first)
    cast(case
        when exports_usd_vintage is not null then exports_usd_release_date
        when exporters_vintage is not null then exporters_release_date
        when share_of_total_exports_vintage is not null then share_of_total_exports_release_date
        else share_of_firm_size_exports_release_date
    end as date) as release_date
from shares
