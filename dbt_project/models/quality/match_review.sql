{#
    Pairs of person rows whose match score is in the review band (between var('match_review_score') and
    var('match_accept_score')): not merged automatically. Both rows are pointed to by file, sheet and row
    (names stay in pii), with the evidence behind the score and the person each row ended up in.
#}

with

pairs as (

    select * from {{ ref('int_persons_match_pairs') }}
    where match_decision = 'review'

),

persons as (

    select record_id, source_file, sheet_name, source_row, unit_code, period, person_key
    from {{ ref('int_persons_resolved') }}

),

final as (

    select
        l.source_file as left_source_file,
        l.sheet_name as left_sheet_name,
        l.source_row as left_source_row,
        l.unit_code as left_unit_code,
        l.period as left_period,
        l.person_key as left_person_key,
        r.source_file as right_source_file,
        r.sheet_name as right_sheet_name,
        r.source_row as right_source_row,
        r.unit_code as right_unit_code,
        r.period as right_period,
        r.person_key as right_person_key,
        pairs.match_score,
        round(pairs.name_similarity, 4) as name_similarity,
        pairs.birth_comparison,
        pairs.sex_comparison,
        pairs.cccd_comparison,
        pairs.same_phone,
        pairs.same_email,
        pairs.same_ward,
        pairs.same_employer,
        l.person_key = r.person_key as already_same_person
    from pairs
    inner join persons as l on pairs.left_record_id = l.record_id
    inner join persons as r on pairs.right_record_id = r.record_id

)

select * from final
