-- Every claim of Bank of Korea Issue Note No. 2024-9 (seed note_claims) next to the figure that checks it:
-- one row per claim. The computed values come from the marts (int_claim_evidence), never from the seed; a claim
-- no figure can check is `not computable`, with what data would settle it (never `reproduced`).
with claims as (
    select * from {{ ref('note_claims') }}
),

evidence as (
    select * from {{ ref('int_claim_evidence') }}
),

checked as (
    select
        c.*,
        e.computed_value,
        e.computed_at_release,
        e.evidence,
        e.computed_value - c.published_value as difference,
        case
            when c.test = 'statement' or e.computed_value is null then 'not computable'
            when c.test = 'value' and abs(e.computed_value - c.published_value) <= c.tolerance then 'reproduced'
            when c.test = 'holds' and e.computed_value = 1 then 'reproduced'
            when c.test = 'at_least' and e.computed_value >= c.threshold then 'reproduced'
            else 'contradicted'
        end as status,
        case
            when e.computed_at_release is null then null
            when abs(e.computed_at_release - c.published_value) <= c.tolerance then 'reproduced'
            else 'contradicted'
        end as status_at_release
    from claims as c
    left join evidence as e on c.metric = e.metric
)

select
    cast(claim_id as string) as claim_id,
    cast(claim as string) as claim,
    cast(period as string) as period,
    cast(test as string) as test,
    cast(published_value as double) as published_value,
    cast(unit as string) as unit,
    cast(computed_value as double) as computed_value,
    cast(difference as double) as difference,
    cast(tolerance as double) as tolerance,
    cast(threshold as double) as threshold,
    cast(status as string) as status,
    cast(case
        when status = 'not computable' and computed_value is not null
            then printf('not computable: %s (%s: %.2f)', settle_with, evidence, computed_value)
        when status = 'not computable' then 'not computable: ' || coalesce(settle_with, 'no figure in the warehouse')
        when test = 'value' and status = 'reproduced'
            then printf(
                    'within %s %s of the published %s',
                    {{ format_g('tolerance') }}, unit, {{ format_g('published_value') }}
                )
        when test = 'value'
            then printf(
                    'the data give %.2f %s, %+.2f from the published %s: beyond the tolerance of %s',
                    computed_value, unit, difference, {{ format_g('published_value') }}, {{ format_g('tolerance') }}
                )
        when test = 'at_least'
            then printf('%.2f against a threshold of %s', computed_value, {{ format_g('threshold') }})
        when status = 'reproduced' then 'the condition holds in the data'
        else 'the condition does not hold in the data'
    end
    || case
        when computed_at_release is not null
            then printf(
                    '; as of the release (%s) the data gave %.2f: %s',
                    cast(release_date as string),
                    computed_at_release,
                    status_at_release
                )
        else ''
    end as string) as reason,
    cast(computed_at_release as double) as computed_at_release,
    cast(status_at_release as string) as status_at_release,
    cast(evidence as string) as evidence,
    cast(publisher as string) as publisher,
    cast(release_date as date) as release_date,
    cast(citation_url as string) as citation_url
from checked
