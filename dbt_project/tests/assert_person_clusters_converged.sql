{#
    Label propagation in int_persons_clustered runs var('match_propagation_rounds') rounds. It has converged
    when no row without a valid CCCD has an accepted match neighbour with a smaller label; a row listed here
    means the rounds were too few (raise the var).
#}
{{ config(meta={'dagster': {'ref': {'name': 'int_persons_clustered'}}}) }}  {#- shown in Dagster as a check on int_persons_clustered #}
with

clusters as (select * from {{ ref('int_persons_clustered') }}),

pairs as (
    select * from {{ ref('int_persons_match_pairs') }}
    where match_decision = 'match'
),

edges as (
    select left_record_id as from_record_id, right_record_id as to_record_id from pairs
    union all
    select right_record_id, left_record_id from pairs
),

final as (
    select edges.from_record_id, from_cluster.identity, to_cluster.identity as neighbour_identity
    from edges
    inner join clusters as from_cluster on edges.from_record_id = from_cluster.record_id
    inner join clusters as to_cluster on edges.to_record_id = to_cluster.record_id
    where not from_cluster.has_valid_cccd and to_cluster.identity < from_cluster.identity
)

select * from final
