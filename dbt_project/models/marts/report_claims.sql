-- Every claim of Bank of Korea Issue Note No. 2024-9 (seed note_claims) next to the figure that checks it:
-- one row per claim, in its source's words, with where the source says it and the warehouse's own reading that
-- makes it testable. The computed values come from the marts (int_claim_evidence), never from the seed.
-- status: `not computable` (no figure can check it: with what would), `restated` (the only figure is the
-- claim's own release), `reproduced` (the latest figures pass the claim's test), `held at release, revised since`
-- (the figures known on its release day pass, the latest do not), `contradicted`. One rule per test kind, for
-- the latest figures and for those of the release day alike; a kind or an argument the rule cannot read (an
-- unknown test, a NULL tolerance) gives no status, and the contract's not_null fails the build.
{% set passes = "case c.test when 'value' then abs({v} - c.published_value) <= c.tolerance "
    ~ "when 'holds' then {v} = 1 when 'at_least' then {v} >= c.threshold end" %}
with claims as (
    select * from {{ ref('note_claims') }}
),

evidence as (
    select * from {{ ref('int_claim_evidence') }}
),

tested as (
    select
        c.*,
        e.computed_value,
        e.computed_at_release,
        e.evidence,
        e.observed_share,
        e.computed_value - c.published_value as difference,
        {{ passes.replace('{v}', 'e.computed_value') }} as passes_latest,
        {{ passes.replace('{v}', 'e.computed_at_release') }} as passes_at_release,
        -- the figure is the claim's own release: the same publisher (before any " via "), the same day
        coalesce(
            e.evidence_release_date = c.release_date
            and split_part(c.publisher, ' via ', 1) = e.evidence_publisher, false
        ) as own_release,
        e.evidence_publisher || ' release of ' || cast(e.evidence_release_date as string) as evidence_release
    from claims as c
    left join evidence as e on c.metric = e.metric
),

checked as (
    select
        *,
        case
            when test = 'statement' or computed_value is null then 'not computable'
            when own_release then 'restated'
            when passes_latest then 'reproduced'
            when passes_at_release then 'held at release, revised since'
            when not passes_latest then 'contradicted'
        end as status,
        case
            when computed_at_release is null then null
            when passes_at_release then 'reproduced'
            when not passes_at_release then 'contradicted'
        end as status_at_release
    from tested
)

select
    cast(claim_id as string) as claim_id,
    cast(claim as string) as claim,
    cast(source_passage as string) as source_passage,
    cast(test_reading as string) as test_reading,
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
        when status = 'not computable'
            then 'not computable: ' || coalesce(settle_with, 'no figure in the warehouse')
                || coalesce(' (' || evidence || ')', '')
        when status = 'restated'
            then 'restated: the only figure the warehouse holds is the claim''s own source (' || evidence_release
                || ', ' || evidence || '), which repeats the claim and cannot check it'
                || coalesce('; to check it: ' || settle_with, '')
        when test = 'value' and passes_latest
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
                || coalesce(' (' || evidence || ')', '')
        when passes_latest then 'the condition holds in the data'
        else 'the condition does not hold in the data'
    end
    || case
        when computed_at_release is not null and status <> 'not computable'
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
    cast(observed_share as double) as observed_share,
    cast(publisher as string) as publisher,
    cast(release_date as date) as release_date,
    cast(citation_url as string) as citation_url
from checked
