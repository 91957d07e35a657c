{# Crossovers between the partners of var crossover_partners in `relation` (see macros/_macros.yml). #}
{% macro crossovers(relation) %}
    with exports as (
        select frequency, period_start, partner_code, exports_usd, value_basis
        from {{ relation }}
        where partner_code in ('{{ var("crossover_partners") | join("', '") }}')
    ),

    pairs as (
        select
            a.frequency,
            a.period_start,
            a.partner_code as leader_code,
            b.partner_code as trailer_code,
            a.exports_usd as leader_exports_usd,
            b.exports_usd as trailer_exports_usd,
            a.exports_usd > b.exports_usd as leads,
            a.value_basis <> 'published' or b.value_basis <> 'published' as on_derived
        from exports as a
        join exports as b
            on a.frequency = b.frequency and a.period_start = b.period_start and a.partner_code <> b.partner_code
    ),

    history as (
        select
            *,
            lag(period_start) over w as prior_period_start,
            lag(leads) over w as led_in_prior_period,
            lag(on_derived) over w as on_derived_prior,
            max(case when leads then period_start end) over (
                partition by frequency, leader_code, trailer_code order by period_start
                rows between unbounded preceding and 1 preceding
            ) as previous_lead_start
        from pairs
        window w as (partition by frequency, leader_code, trailer_code order by period_start)
    )

    select frequency, period_start, leader_code, trailer_code, leader_exports_usd, trailer_exports_usd,
           previous_lead_start, on_derived or on_derived_prior as depends_on_derived
    from history
    where leads
      and not led_in_prior_period
      -- the prior period must be the one just before (no gap in the data)
      and prior_period_start = {{ previous_period_start('frequency', 'period_start') }}
{% endmacro %}
