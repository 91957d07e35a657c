{# Product groups of HS rows and the partner totals they are shares of (see macros/_macros.yml). #}
{% macro hs_product_groups(products, named_products=[], chapter_groups=[]) %}
    {% set named_rows, chapter_rows = [], [] %}
    {% for g in named_products %}
        {% for code in g.hs %}
            {% if code | length < 4 %}
                {{ exceptions.raise_compiler_error(
                    "hs_product_groups: named product '" ~ g.group ~ "' needs HS codes of 4 digits or more, got '"
                    ~ code ~ "' (chapters go in chapter_groups)") }}
            {% endif %}
            {% set _ = named_rows.append("('%s', '%s', '%s')" % (code, g.group, g.get('label') or g.hs | join(', '))) %}
        {% endfor %}
    {% endfor %}
    {% for g in chapter_groups %}
        {% set lo, hi = g.chapters[0], g.chapters[-1] %}
        {% set label = lo if lo == hi else lo ~ '-' ~ hi %}
        {% set _ = chapter_rows.append("('%s', '%s', '%s', '%s')" % (lo, hi, g.group, label)) %}
    {% endfor %}
    select
        p.period_start, p.frequency, p.partner_code, p.partner_kind, 'hs_section' as product_group_kind,
        c.section || ' ' || s.section_name as product_group, sum(p.value_usd) as value_usd,
        'all HS chapters' as coverage, 'hs2' as detail_level
    from {{ products }} as p
    inner join {{ ref('hs_chapters') }} as c on p.hs_code = c.hs2
    inner join {{ ref('hs_sections') }} as s on c.section = s.section
    where p.hs_digits = 2
    group by all
    {% if named_rows %}
    union all
    select
        p.period_start, p.frequency, p.partner_code, p.partner_kind, 'product' as product_group_kind,
        n.product_group,
        sum(p.value_usd) as value_usd, 'exact (HS ' || n.hs_label || ')' as coverage, 'hs4+' as detail_level
    from {{ products }} as p
    inner join (values {{ named_rows | join(', ') }}) as n (hs_prefix, product_group, hs_label)
        on substr(p.hs_code, 1, length(n.hs_prefix)) = n.hs_prefix and p.hs_digits >= length(n.hs_prefix)
    group by all
    {% endif %}
    {% if chapter_rows %}
    union all
    select
        p.period_start, p.frequency, p.partner_code, p.partner_kind, 'product' as product_group_kind,
        n.product_group,
        sum(p.value_usd) as value_usd, 'exact (HS ' || n.hs_label || ')' as coverage, 'hs2' as detail_level
    from {{ products }} as p
    inner join (values {{ chapter_rows | join(', ') }}) as n (first_chapter, last_chapter, product_group, hs_label)
        on p.hs_code between n.first_chapter and n.last_chapter
    where p.hs_digits = 2
    group by all
    {% endif %}
{% endmacro %}

{% macro product_partner_totals(products, flow) %}
    with customs as (
        select period_start, frequency, partner_code, value_usd as total_usd, 'customs total' as total_basis
        from {{ ref('int_partner_trade_by_period') }}
        where flow = '{{ flow }}'
    ),

    chapters as (
        -- a chapter breakdown lists every chapter of the partner: its sum is the partner's total
        select
            period_start, frequency, partner_code, sum(value_usd) as total_usd,
            'sum of HS chapters' as total_basis
        from {{ products }}
        where hs_digits = 2
        group by all
    )

    select * from customs
    union all
    select ch.*
    from chapters as ch
    anti join customs as cu
        on ch.period_start = cu.period_start and ch.frequency = cu.frequency and ch.partner_code = cu.partner_code
{% endmacro %}
