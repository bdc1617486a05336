{#
    Candidate pairs of person rows that may be the same person, scored. Rows that both carry a valid CCCD
    are decided by the CCCD alone and never paired here.
    Blocking (a pair must share one key): name key + birth year; name key + residence ward;
    name key + employer; family name + given name + birth year + sex (a middle name written differently).
    Blocks larger than var('match_max_block_size') are skipped (they would compare unrelated namesakes).

    Score (points, documented in _persons__models.yml):
      name      Jaro-Winkler on the name key: >=0.99 +3, >=0.95 +1.5, >=0.90 0, else -5
      birth     same full date +4; different full dates -4; same year +1; different years -6;
                same month (month precision) +1
      sex       same +0.5; different -6
      CCCD      same written number (even if it failed the checks) +5; an invalid number one edit (a digit
                dropped, added, changed or two swapped) from the other's +3; a 9-digit CMND beside a 12-digit
                CCCD 0 (two documents, no conflict); two other different numbers -4
      phone     same +4;  email same +4
      ward      same residence ward +1
      degree    the same doctorate (TS, TSKH) +1; the same academic title (GS, PGS) +1: few people hold one, so
                sharing it with the same name and birth year is evidence (a DH or ThS is too common to count)
      employer  employer names Jaro-Winkler >= 0.9 +1.5. A university's or department's row that names no
                employer is employed by the reporting unit (its registry name), so a ward list's 'ĐH Đồng Nai'
                meets the university's own list.
    decision: score >= var('match_accept_score') -> 'match'; >= var('match_review_score') -> 'review'
    (quality.match_review); below -> 'no_match'.
#}

{% set max_block = var('match_max_block_size', 200) %}

with

reporting_units as (

    select unit_code, {{ employer_match_key(normalise_key('name_vi')) }} as unit_employer_key
    from {{ ref('unit_registry') }}
    where unit_kind in ('university', 'department')

),

persons as materialized (

    select
        record_id,
        period,
        name_key,
        split_part(name_key, ' ', 1) || ' ' || split_part(name_key, ' ', -1) as name_ends_key,
        birth_year,
        birth_date,
        birth_date_precision,
        sex_code,
        cccd,
        cccd_clean,
        phone,
        email,
        cccd_status,
        case when qualification_code in ('TS', 'TSKH') then qualification_code end as doctorate_code,
        case when academic_title_code in ('GS', 'PGS') then academic_title_code end as title_code,
        residence_ward_code,
        coalesce({{ employer_match_key('employer_key') }}, reporting_units.unit_employer_key) as employer_key
    from {{ ref('int_persons_cccd_checked') }} as checked
    left join reporting_units on checked.unit_code = reporting_units.unit_code
    where name_key is not null

),

block_keys as (

    select record_id, cccd, 'name_year|' || name_key || '|' || birth_year as block_key
    from persons
    where birth_year is not null
    union all
    select record_id, cccd, 'name_ward|' || name_key || '|' || residence_ward_code
    from persons
    where residence_ward_code is not null
    union all
    select record_id, cccd, 'name_employer|' || name_key || '|' || employer_key
    from persons
    where employer_key is not null
    union all
    select record_id, cccd, 'ends_year_sex|' || name_ends_key || '|' || birth_year || '|' || sex_code
    from persons
    where birth_year is not null and sex_code is not null

),

usable_blocks as (

    select block_key
    from block_keys
    group by block_key
    -- a block with only valid-CCCD rows needs no comparison
    having count(*) between 2 and {{ max_block }} and count(*) filter (where cccd is null) > 0

),

pairs as (

    select distinct
        left_keys.record_id as left_record_id,
        right_keys.record_id as right_record_id
    from block_keys as left_keys
    inner join usable_blocks on left_keys.block_key = usable_blocks.block_key
    inner join block_keys as right_keys
        on left_keys.block_key = right_keys.block_key
            and left_keys.record_id < right_keys.record_id
    where left_keys.cccd is null or right_keys.cccd is null

),

compared as (

    select
        pairs.left_record_id,
        pairs.right_record_id,
        jaro_winkler_similarity(l.name_key, r.name_key) as name_similarity,
        case
            when l.birth_date_precision = 'day' and r.birth_date_precision = 'day'
                then
                    case when l.birth_date = r.birth_date then 'same_date' else 'different_date' end
            when l.birth_year is null or r.birth_year is null then 'unknown'
            when l.birth_year <> r.birth_year then 'different_year'
            when l.birth_date_precision = 'month' and r.birth_date_precision in ('day', 'month')
                and month(l.birth_date) = month(r.birth_date) then 'same_month'
            when r.birth_date_precision = 'month' and l.birth_date_precision in ('day', 'month')
                and month(l.birth_date) = month(r.birth_date) then 'same_month'
            else 'same_year'
        end as birth_comparison,
        case when l.sex_code is null or r.sex_code is null then 'unknown'
            when l.sex_code = r.sex_code then 'same' else 'different'
        end as sex_comparison,
        case when l.cccd_clean is null or r.cccd_clean is null then 'unknown'
            when l.cccd_clean = r.cccd_clean then 'same'
            -- an old 9-digit CMND and a 12-digit CCCD are two documents of one person, not a conflict
            when (l.cccd_status = 'cmnd') <> (r.cccd_status = 'cmnd') then 'other_document'
            -- a typing slip: one side fails the checks and is one edit away from the other
            when (l.cccd_status = 'invalid' or r.cccd_status = 'invalid')
                and damerau_levenshtein(l.cccd_clean, r.cccd_clean) <= 1 then 'one_edit'
            else 'different'
        end as cccd_comparison,
        l.phone is not null and l.phone = r.phone as same_phone,
        l.email is not null and l.email = r.email as same_email,
        l.residence_ward_code is not null and l.residence_ward_code = r.residence_ward_code as same_ward,
        l.doctorate_code is not null and l.doctorate_code = r.doctorate_code as same_doctorate,
        l.title_code is not null and l.title_code = r.title_code as same_title,
        coalesce(jaro_winkler_similarity(l.employer_key, r.employer_key) >= 0.9, false) as same_employer
    from pairs
    inner join persons as l on pairs.left_record_id = l.record_id
    inner join persons as r on pairs.right_record_id = r.record_id

),

scored as (

    select
        *,
        (case when name_similarity >= 0.99 then 3 when name_similarity >= 0.95 then 1.5
            when name_similarity >= 0.90 then 0 else -5
        end)
        + (case birth_comparison when 'same_date' then 4 when 'different_date' then -4 when 'same_month' then 2
            when 'same_year' then 1 when 'different_year' then -6 else 0
        end)
        + (case sex_comparison when 'same' then 0.5 when 'different' then -6 else 0 end)
        + (case cccd_comparison when 'same' then 5 when 'one_edit' then 3 when 'different' then -4 else 0 end)
        + (case when same_phone then 4 else 0 end)
        + (case when same_email then 4 else 0 end)
        + (case when same_ward then 1 else 0 end)
        + (case when same_doctorate then 1 else 0 end)
        + (case when same_title then 1 else 0 end)
        + (case when same_employer then 1.5 else 0 end) as match_score
    from compared

),

final as (

    select
        *,
        case
            when match_score >= {{ var('match_accept_score', 5) }} then 'match'
            when match_score >= {{ var('match_review_score', 3) }} then 'review'
            else 'no_match'
        end as match_decision
    from scored
    where match_score >= {{ var('match_review_score', 3) }}

)

select * from final
