-- How concentrated Korea's exports are across destination countries: Herfindahl-Hirschman index of
-- country shares of the world total, per period with (nearly) all partners reported.
with shares as (
    select * from {{ ref('destination_share') }}
    where partner_kind = 'country' and share is not null
        and countries_reported >= {{ var('complete_listing_min_countries') }}
),

ranked as (
    select *, row_number() over (partition by period_start, frequency order by share desc) as position
    from shares
)

select
    cast(period_start as date) as period_start,
    cast(frequency as string) as frequency,
    cast(sum(share * share) as double) as hhi,
    cast(sum(share * share) * 10000 as double) as hhi_10000,
    cast(1 / sum(share * share) as double) as equivalent_partners,
    cast(max(share) as double) as top1_share,
    cast(sum(share) filter (where position <= 5) as double) as top5_share,
    cast(count(*) as integer) as n_partners,
    cast(max_by(partner_code, share) as string) as top1_partner_code,
    cast(sum(share) as double) as countries_share_of_world,
    cast('customs' as string) as basis,
    cast({{ sorted_distinct_list('source', ', ') }} as string) as source
from ranked
group by period_start, frequency
