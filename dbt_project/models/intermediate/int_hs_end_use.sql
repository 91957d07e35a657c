-- End use (BEC Rev.4 → SNA class: capital, intermediate, consumption, …) of each HS 2022 chapter (2 digits)
-- and subheading (6 digits) with a BEC correspondence: the class all its BEC categories share, or `mixed`
-- when they differ. One row per HS code; a chapter is mixed as soon as two of its subheadings differ.
with hs6_end_uses as (
    select h.hs6, e.end_use
    from {{ ref('hs6_to_bec4') }} as h
    inner join {{ ref('bec4_end_use') }} as e on h.bec4 = e.bec4
),

by_level as (
    select hs6 as hs_code, 6 as hs_digits, end_use from hs6_end_uses
    union all
    select substr(hs6, 1, 2) as hs_code, 2 as hs_digits, end_use from hs6_end_uses
)

select
    hs_code,
    hs_digits,
    case when count(distinct end_use) = 1 then any_value(end_use) else 'mixed' end as end_use
from by_level
group by hs_code, hs_digits
