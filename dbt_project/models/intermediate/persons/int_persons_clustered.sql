{#
    One person across sources. Rows with the same valid CCCD form one person (their label is fixed to
    'cccd:<number>'). Every other row starts with its own label 'row:<period>|<record_id>' and takes, over
    var('match_propagation_rounds') rounds, the smallest label among its accepted match neighbours
    (connected components by label propagation). Labels flow from CCCD rows into rows without a valid CCCD,
    never into a CCCD row, so two different valid CCCDs are never merged.
    identity = the final label: the valid CCCD, or the earliest row of the cluster (stable across runs as long
    as that row's file stays current). The convergence test checks that the rounds were enough.
#}

{% set rounds = var('match_propagation_rounds', 8) %}

with

persons as (

    select record_id, period, cccd from {{ ref('int_persons_cccd_checked') }}

),

accepted as (

    select left_record_id, right_record_id
    from {{ ref('int_persons_match_pairs') }}
    where match_decision = 'match'

),

edges as materialized (

    select left_record_id as from_record_id, right_record_id as to_record_id from accepted
    union all
    select right_record_id, left_record_id from accepted

),

initial_labels as (

    select
        record_id,
        cccd is not null as is_fixed,
        case when cccd is not null then 'cccd:' || cccd else 'row:' || period || '|' || record_id end as label
    from persons

),

-- only rows with an accepted pair can change label: the rounds run on them alone, not on every row
labels_0 as materialized (

    select initial_labels.*
    from initial_labels
    where initial_labels.record_id in (select from_record_id from edges)

),

{% for round in range(1, rounds + 1) %}
    labels_{{ round }} as (

        select
            labels.record_id,
            labels.is_fixed,
            case
                when labels.is_fixed then labels.label
                else least(labels.label, coalesce(min(neighbours.label), labels.label))
            end as label
        from labels_{{ round - 1 }} as labels
        left join edges on labels.record_id = edges.from_record_id and not labels.is_fixed
        left join labels_{{ round - 1 }} as neighbours on edges.to_record_id = neighbours.record_id
        group by labels.record_id, labels.is_fixed, labels.label

    ),
{% endfor %}

final as (

    select
        initial_labels.record_id,
        initial_labels.is_fixed as has_valid_cccd,
        coalesce(propagated.label, initial_labels.label) as identity
    from initial_labels
    left join labels_{{ rounds }} as propagated
        on initial_labels.record_id = propagated.record_id

)

select * from final
