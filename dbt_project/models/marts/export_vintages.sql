-- What the data said when: every vintage of Korea's monthly exports by partner, with the interval in
-- which it was the latest known figure. As of date D: valid_from <= D and (valid_to is null or valid_to > D).
with vintages as (
    select * from {{ ref('stg_kcs_monthly_partner_vintages') }}
    where flow = 'export'
),

ordered as (
    select
        *,
        lead(vintage) over w as next_vintage,
        lag(value_usd) over w as previous_value_usd,
        first_value(value_usd) over w as first_value_usd
    from vintages
    window w as (partition by period, partner_code order by vintage)
)

select
    cast(period as date) as period_start,
    cast('month' as string) as frequency,
    cast(partner_code as string) as partner_code,
    cast(partner_kind as string) as partner_kind,
    cast(value_usd as double) as exports_usd,
    cast(vintage as date) as vintage,
    cast(vintage as date) as valid_from,
    cast(next_vintage as date) as valid_to,
    cast(next_vintage is null as boolean) as is_latest,
    cast(value_usd - previous_value_usd as double) as revision_usd,
    cast(value_usd / first_value_usd - 1 as double) as revision_since_first_release,
    cast('customs' as string) as basis,
    cast(source_file as string) as source
from ordered
