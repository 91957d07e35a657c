-- Published value-added and indirect-export estimates (published_figures, dataset value_added), one row per
-- figure as published, with the institute behind it read from the publisher text (HRI, KIET, KEF, the
-- Korean summary of OECD TiVA, BOK, or unknown) and percent figures also as a 0–1 share. Different models
-- and input-output tables: order-of-magnitude checks, never one time series.
select
    case
        when publisher ilike '%OECD TiVA%' then 'OECD TiVA summary'
        when publisher ilike '%Hyundai Research%' or {{ contains_word('publisher', 'HRI') }} then 'HRI'
        when {{ contains_word('publisher', 'KIET') }} then 'KIET'
        when publisher ilike '%Korea Enterprises Federation%' or {{ contains_word('publisher', 'KEF') }} then 'KEF'
        when publisher ilike '%Bank of Korea%' or {{ contains_word('publisher', 'BOK') }} then 'BOK'
        else 'unknown'
    end as institute,
    basis as method,
    year,
    year_label,
    period,
    breakdown as channel,
    partner_code,
    subject as indicator,
    value,
    unit,
    case when unit = 'percent' then value / 100 end as share,
    nullif(qualifier, '') as qualifier,
    publisher,
    release,
    release_date,
    citation_url,
    nullif(note, '') as note
from {{ ref('stg_published_figures') }}
where dataset = 'value_added'
