{#
    Person rows with codes: every coded attribute's normalised key joined to int_code_synonyms (codes from
    the reference lists plus the officer's synonym seeds), qualification and academic title split out of
    combined forms ('PGS.TS', 'GS.TSKH', 'BS.CKII', 'ThS.BS'), residence ward through the 2025 crosswalk,
    employer type defaulted from the unit registry for universities and departments when the row is silent.
    A value that maps to no code keeps a null code and an <attribute>_unmapped flag (-> quality tables).
    Fuzzy fallback (code lists in var fuzzy_code_lists): a value no spelling knows takes the code of the
    nearest known spelling when the Damerau-Levenshtein distance is <= 1 (<= 2 for values of 8+ letters), the
    value has no digits and 3+ letters, and that nearest distance points to one code only; the row keeps
    <attribute>_fuzzy = true and quality.row_issues gets a 'fuzzy_mapped' warning naming the code chosen.
    Role: the role column (role_synonyms, which may depend on the unit kind); a row that writes no role gets
    one from seeds/synonyms/role_inference_rules.csv (role_source 'inferred:<evidence>').
    Residence on a ward's own list: a name that can mean the reporting ward (new or old name) means it.
#}

{% set fuzzy_code_lists = var('fuzzy_code_lists', ['ethnicity', 'status', 'role', 'teaching_level', 'employer_type', 'science_field']) %}
{% set role_evidence = [
    ('teaching_level_code', 'teaching_level_code'), ('unit_code', 'unit_code'), ('unit_kind', 'unit_kind'),
    ('qualification_code', 'qualification_code'), ('employer_type_code', 'employer_type_written_code'),
    ('occupation_code', 'occupation_code'), ('position', 'position_key'),
] %}
{% set single_key_attributes = [
    ('sex', 'sex_key', 'sex'),
    ('science_field', 'science_field_key', 'science_field'),
    ('occupation', 'occupation_key', 'occupation'),
    ('employer_type', 'employer_type_key', 'employer_type'),
    ('role', 'role_key', 'role'),
    ('teaching_level', 'teaching_level_key', 'teaching_level'),
    ('status', 'status_key', 'status'),
    ('overseas', 'overseas_key', 'yes_no'),
    ('lhh_member', 'lhh_member_key', 'yes_no'),
    ('trained', 'trained_key', 'yes_no'),
    ('digital_trained', 'digital_trained_key', 'yes_no'),
] %}

with

persons as materialized (

    select * from {{ ref('stg_submissions__persons') }}

),

synonyms as (

    select * from {{ ref('int_code_synonyms') }}

),

-- spellings valid on any list; role spellings tied to a unit kind are joined separately
synonyms_any as (

    select * from synonyms where coalesce(unit_kind, '') = ''

),

synonyms_by_unit_kind as (

    select * from synonyms where coalesce(unit_kind, '') <> ''

),

role_rules as (

    select evidence, {{ normalise_key('value') }} as value_key, role_code, priority
    from {{ ref('role_inference_rules') }}

),

ward_lookup as (

    select * from {{ ref('int_ward_lookup') }}

),

registry as (

    select unit_code, employer_type_code from {{ ref('unit_registry') }}

),

employer_types as (

    select code as employer_type_code, frascati_sector
    from {{ ref('employment_sectors') }}
    where scheme = 'employer_type'

),

ethnic_groups as (

    select code_1979_qd121, gso_code from {{ ref('ethnic_groups') }}

),

blank_keys as (

    select value_key from synonyms where code_list = 'blank'

),

-- each distinct name once: title case and its diacritic-free key (the matching key of int_persons_match_pairs)
names as (

    select
        full_name_raw,
        {{ title_case('full_name_raw') }} as full_name,
        {{ normalise_key('full_name_raw', is_nfc=true) }} as name_key
    from (select distinct full_name_raw from persons where full_name_raw is not null)

),

-- fuzzy fallback: each distinct value no spelling knows, against the known spellings of its code list
fuzzy_keys as (

    {% for attribute, key, code_list in single_key_attributes if code_list in fuzzy_code_lists %}
    select distinct '{{ code_list }}' as code_list, persons.{{ key }} as value_key
    from persons where persons.{{ key }} is not null
    union
    {% endfor %}
    {% if 'ethnicity' in fuzzy_code_lists %}
    select distinct 'ethnicity', regexp_replace(persons.ethnicity_key, '^(dan toc|dt|nguoi) ', '')
    from persons where persons.ethnicity_key is not null
    union
    {% endif %}
    select null, null where false

),

fuzzy_unknown as (

    select fuzzy_keys.code_list, fuzzy_keys.value_key
    from fuzzy_keys
    left join synonyms as known
        on known.value_key = fuzzy_keys.value_key and known.code_list in (fuzzy_keys.code_list, 'blank')
    where known.value_key is null
        and length(fuzzy_keys.value_key) >= 3
        and not regexp_matches(fuzzy_keys.value_key, '\d')

),

fuzzy_scored as (

    select
        fuzzy_unknown.code_list,
        fuzzy_unknown.value_key,
        synonyms_any.code,
        synonyms_any.value_key as matched_key,
        damerau_levenshtein(fuzzy_unknown.value_key, synonyms_any.value_key) as distance
    from fuzzy_unknown
    inner join synonyms_any
        on synonyms_any.code_list = fuzzy_unknown.code_list
        and length(synonyms_any.value_key) >= 3
        and abs(length(synonyms_any.value_key) - length(fuzzy_unknown.value_key)) <= 2

),

fuzzy_nearest as (

    select *, min(distance) over (partition by code_list, value_key) as nearest_distance
    from fuzzy_scored

),

fuzzy_lookup as (

    select code_list, value_key, min(code) as code, min(matched_key) as matched_key, min(distance) as distance
    from fuzzy_nearest
    where distance = nearest_distance
        and distance <= case when length(value_key) >= 8 then 2 else 1 end
    group by code_list, value_key
    -- the nearest spellings must agree on one code
    having count(distinct code) = 1

),

-- qualification and academic title: resolve each distinct pair of written values once
degree_values as (

    select
        *,
        {{ normalise_parts('qualification_raw') }} as qualification_parts,
        {{ normalise_parts('academic_title_raw') }} as academic_title_parts
    from (
        select distinct qualification_raw, academic_title_raw, qualification_key, academic_title_key
        from persons
        where qualification_raw is not null or academic_title_raw is not null
    )

),

degree_candidates as (

    -- level 1: the whole value; 2: its punctuation-separated parts; 3: the words of those parts
    select qualification_raw, academic_title_raw, 'qualification' as from_column, 1 as match_level,
        qualification_key as value_key
    from degree_values
    union all
    select qualification_raw, academic_title_raw, 'academic_title', 1, academic_title_key
    from degree_values
    union all
    select qualification_raw, academic_title_raw, 'qualification', 2, unnest(qualification_parts)
    from degree_values
    union all
    select qualification_raw, academic_title_raw, 'academic_title', 2, unnest(academic_title_parts)
    from degree_values
    union all
    select qualification_raw, academic_title_raw, 'qualification', 3,
        unnest(flatten(list_transform(qualification_parts, lambda part: string_split(part, ' '))))
    from degree_values
    union all
    select qualification_raw, academic_title_raw, 'academic_title', 3,
        unnest(flatten(list_transform(academic_title_parts, lambda part: string_split(part, ' '))))
    from degree_values

),

degree_matches as (

    select
        degree_candidates.*,
        synonyms.code_list,
        synonyms.code,
        synonyms.qualification_precedence
    from degree_candidates
    inner join synonyms_any as synonyms
        on degree_candidates.value_key = synonyms.value_key
        and (synonyms.code_list in ('qualification', 'academic_title')
            or (synonyms.code_list = 'blank' and degree_candidates.match_level = 1))

),

degree_codes as (

    select
        degree_values.qualification_raw,
        degree_values.academic_title_raw,
        -- the most specific reading wins (whole value before parts before words), then the highest degree
        first(degree_matches.code order by degree_matches.match_level, degree_matches.qualification_precedence desc)
            filter (where degree_matches.code_list = 'qualification') as qualification_code,
        first(degree_matches.code order by degree_matches.match_level, degree_matches.code = 'GS' desc)
            filter (where degree_matches.code_list = 'academic_title' and degree_matches.code in ('GS', 'PGS'))
            as academic_title_code,
        count(degree_matches.code) filter (where degree_matches.from_column = 'qualification') > 0
            as qualification_recognised,
        count(degree_matches.code) filter (where degree_matches.from_column = 'academic_title') > 0
            as academic_title_recognised
    from degree_values
    left join degree_matches
        on degree_values.qualification_raw is not distinct from degree_matches.qualification_raw
        and degree_values.academic_title_raw is not distinct from degree_matches.academic_title_raw
    group by degree_values.qualification_raw, degree_values.academic_title_raw

),

-- residence ward: resolve each distinct (ward, district) as written once. 'Xã X, huyện Y' splits into ward and
-- old district; a code is kept as digits; unit-type words ('phường', 'xã', 'thị trấn', 'P.', 'TT', 'huyện',
-- 'TP' ...) are not part of a name
ward_written as (

    select
        residence_ward_raw,
        residence_district_raw,
        case when regexp_full_match(residence_ward_raw, '\d{5}(\.0+)?') then left(residence_ward_raw, 5) end
            as residence_ward_code_text,
        {{ normalise_key("split_part(residence_ward_raw, ',', 1)", is_nfc=true) }} as residence_ward_full_key,
        coalesce(
            {{ normalise_key('residence_district_raw', is_nfc=true) }},
            {{ normalise_key("split_part(residence_ward_raw, ',', 2)", is_nfc=true) }}
        ) as residence_district_full_key
    from (select distinct residence_ward_raw, residence_district_raw from persons where residence_ward_raw is not null)

),

ward_values as (

    select
        residence_ward_raw,
        residence_district_raw,
        residence_ward_code_text,
        regexp_replace(residence_ward_full_key, '^(phuong|xa|thi tran|p|x|tt|f) ', '') as residence_ward_key,
        regexp_replace(residence_district_full_key, '^(huyen|thanh pho|thi xa|quan|tp|tx|h|q) ', '')
            as residence_district_key
    from ward_written

),

ward_codes as (

    select
        ward_values.residence_ward_raw,
        ward_values.residence_district_raw,
        coalesce(by_new_code.ward_code, by_old_code.ward_code, by_old_name_district.ward_code,
            by_new_name.ward_code, by_old_name.ward_code) as residence_ward_code,
        case
            when by_new_code.ward_key is not null then 'new_code'
            when by_old_code.ward_key is not null then 'old_code'
            when by_old_name_district.ward_key is not null then 'old_name_district'
            when by_new_name.ward_key is not null then 'new_name'
            when by_old_name.ward_key is not null then 'old_name'
        end as residence_ward_match,
        coalesce(by_new_code.candidate_codes, by_old_code.candidate_codes, by_old_name_district.candidate_codes,
            by_new_name.candidate_codes, by_old_name.candidate_codes) as residence_ward_candidates,
        -- every unit the name alone can mean (new or old name): a ward's own list prefers itself among them
        case when by_new_code.ward_key is null and by_old_code.ward_key is null and by_old_name_district.ward_key is null
            then list_distinct(list_concat(coalesce(by_new_name.candidate_codes, []), coalesce(by_old_name.candidate_codes, [])))
        end as residence_ward_name_candidates,
        ward_values.residence_ward_key in (select value_key from blank_keys) as residence_ward_blank
    from ward_values
    left join ward_lookup as by_new_code
        on by_new_code.lookup_kind = 'new_code' and by_new_code.ward_key = ward_values.residence_ward_code_text
    left join ward_lookup as by_old_code
        on by_old_code.lookup_kind = 'old_code' and by_old_code.ward_key = ward_values.residence_ward_code_text
    left join ward_lookup as by_old_name_district
        on by_old_name_district.lookup_kind = 'old_name_district'
        and by_old_name_district.ward_key = ward_values.residence_ward_key
        and by_old_name_district.district_key = ward_values.residence_district_key
    left join ward_lookup as by_new_name
        on by_new_name.lookup_kind = 'new_name' and by_new_name.ward_key = ward_values.residence_ward_key
    left join ward_lookup as by_old_name
        on by_old_name.lookup_kind = 'old_name' and by_old_name.ward_key = ward_values.residence_ward_key

),

encoded as (

    select
        persons.*,

        {% for attribute, key, code_list in single_key_attributes %}
        coalesce(
            {%- if attribute == 'role' %}
            -- a spelling tied to the unit kind ('GV' on a university's list) wins
            syn_role_unit_kind.code,
            {%- endif %}
            syn_{{ attribute }}.code,
            {%- if attribute == 'science_field' or attribute == 'occupation' %}
            -- a leading code ('101 - Toán học', '2211 Bác sĩ') is enough when the words are not known
            syn_{{ attribute }}_code.code,
            {%- endif %}
            {%- if code_list in fuzzy_code_lists %}
            fuzzy_{{ attribute }}.code,
            {%- endif %}
            null
        ) as {{ attribute }}_code,
        {%- if code_list in fuzzy_code_lists %}
        fuzzy_{{ attribute }}.code is not null
            and syn_{{ attribute }}.code is null
            {%- if attribute == 'role' %} and syn_role_unit_kind.code is null{% endif %}
            {%- if attribute == 'science_field' or attribute == 'occupation' %} and syn_{{ attribute }}_code.code is null{% endif %}
            as {{ attribute }}_fuzzy,
        {%- else %}
        false as {{ attribute }}_fuzzy,
        {%- endif %}
        persons.{{ key }} in (select value_key from blank_keys) as {{ attribute }}_blank,
        {% endfor %}

        coalesce(syn_ethnicity.code, syn_ethnicity_stripped.code
            {%- if 'ethnicity' in fuzzy_code_lists %}, fuzzy_ethnicity.code{% endif %}) as ethnicity_code,
        {%- if 'ethnicity' in fuzzy_code_lists %}
        fuzzy_ethnicity.code is not null and syn_ethnicity.code is null and syn_ethnicity_stripped.code is null
            as ethnicity_fuzzy,
        {%- else %}
        false as ethnicity_fuzzy,
        {%- endif %}
        persons.ethnicity_key in (select value_key from blank_keys) as ethnicity_blank,

        degree_codes.qualification_code,
        degree_codes.academic_title_code,
        coalesce(degree_codes.qualification_recognised, false) as qualification_recognised,
        coalesce(degree_codes.academic_title_recognised, false) as academic_title_recognised,

        ward_codes.residence_ward_code as residence_ward_code_given,
        ward_codes.residence_ward_match,
        ward_codes.residence_ward_candidates,
        ward_codes.residence_ward_name_candidates,
        coalesce(ward_codes.residence_ward_blank, false) as residence_ward_blank,

        registry.employer_type_code as registry_employer_type_code,

        names.full_name,
        names.name_key

    from persons
    {% for attribute, key, code_list in single_key_attributes %}
    left join synonyms_any as syn_{{ attribute }}
        on syn_{{ attribute }}.code_list = '{{ code_list }}' and syn_{{ attribute }}.value_key = persons.{{ key }}
    {%- if code_list in fuzzy_code_lists %}
    left join fuzzy_lookup as fuzzy_{{ attribute }}
        on fuzzy_{{ attribute }}.code_list = '{{ code_list }}' and fuzzy_{{ attribute }}.value_key = persons.{{ key }}
    {%- endif %}
    {%- if attribute == 'role' %}
    left join synonyms_by_unit_kind as syn_role_unit_kind
        on syn_role_unit_kind.code_list = 'role' and syn_role_unit_kind.value_key = persons.role_key
        and syn_role_unit_kind.unit_kind = persons.unit_kind
    {%- endif %}
    {%- if attribute == 'science_field' %}
    left join synonyms_any as syn_{{ attribute }}_code
        on syn_{{ attribute }}_code.code_list = 'science_field'
        and syn_{{ attribute }}_code.value_key = regexp_extract(persons.{{ key }}, '^(\d{1,5})\b', 1)
    {%- elif attribute == 'occupation' %}
    left join synonyms_any as syn_{{ attribute }}_code
        on syn_{{ attribute }}_code.code_list = 'occupation'
        and syn_{{ attribute }}_code.value_key = left(regexp_extract(persons.{{ key }}, '^(\d{1,4})\b', 1), 2)
    {%- endif %}
    {% endfor %}
    left join synonyms_any as syn_ethnicity
        on syn_ethnicity.code_list = 'ethnicity' and syn_ethnicity.value_key = persons.ethnicity_key
    left join synonyms_any as syn_ethnicity_stripped
        on syn_ethnicity_stripped.code_list = 'ethnicity'
        and syn_ethnicity_stripped.value_key = regexp_replace(persons.ethnicity_key, '^(dan toc|dt|nguoi) ', '')
    {%- if 'ethnicity' in fuzzy_code_lists %}
    left join fuzzy_lookup as fuzzy_ethnicity
        on fuzzy_ethnicity.code_list = 'ethnicity'
        and fuzzy_ethnicity.value_key = regexp_replace(persons.ethnicity_key, '^(dan toc|dt|nguoi) ', '')
    {%- endif %}
    left join degree_codes
        on persons.qualification_raw is not distinct from degree_codes.qualification_raw
        and persons.academic_title_raw is not distinct from degree_codes.academic_title_raw
    left join ward_codes
        on persons.residence_ward_raw = ward_codes.residence_ward_raw
        and persons.residence_district_raw is not distinct from ward_codes.residence_district_raw
    left join names
        on persons.full_name_raw = names.full_name_raw
    left join registry
        on persons.unit_code = registry.unit_code

),

coded as (

    select
        encoded.* exclude (sex_code, employer_type_code, registry_employer_type_code, residence_ward_match),
        encoded.employer_type_code as employer_type_written_code,
        -- the Nam/Nữ two-column layout says the sex when no sex column does
        coalesce(encoded.sex_code, encoded.sex_from_layout) as sex_code,
        ethnic_groups.gso_code as ethnicity_gso_code,
        year(encoded.birth_date)::integer as birth_year,
        try_cast(left(encoded.period, 4) as integer) as period_year,

        -- a university or department list that leaves the employer type empty speaks for its own staff
        coalesce(
            encoded.employer_type_code,
            case
                when encoded.unit_kind in ('university', 'department')
                    and (encoded.employer_type_raw is null or encoded.employer_type_blank)
                    then encoded.registry_employer_type_code
            end
        ) as employer_type_code,
        encoded.employer_type_code is null
            and encoded.unit_kind in ('university', 'department')
            and (encoded.employer_type_raw is null or encoded.employer_type_blank)
            and encoded.registry_employer_type_code is not null as employer_type_from_registry,

        -- a ward's own list: a row without a residence lives in that ward, and a name that can mean the
        -- reporting ward (its new name, or the old name of a commune merged into it) means it
        case
            when encoded.unit_kind = 'ward'
                and list_contains(encoded.residence_ward_name_candidates, encoded.unit_code) then encoded.unit_code
            when encoded.residence_ward_code_given is not null then encoded.residence_ward_code_given
            when encoded.unit_kind = 'ward' and encoded.residence_ward_raw is null then encoded.unit_code
        end as residence_ward_code,
        case
            when encoded.unit_kind = 'ward'
                and list_contains(encoded.residence_ward_name_candidates, encoded.unit_code) then 'own_ward_name'
            else encoded.residence_ward_match
        end as residence_ward_match,

        encoded.overseas_code::boolean as is_overseas,
        coalesce(encoded.lhh_member_code::boolean, case when encoded.unit_code = 'LHH' then true end)
            as is_lhh_member,
        encoded.trained_code::boolean as is_trained,
        encoded.digital_trained_code::boolean as is_digital_trained,

        -- unmapped: a value was written, it is not a placeholder, and no code list knows it
        {% for attribute, key, code_list in single_key_attributes %}
        encoded.{{ key }} is not null and encoded.{{ attribute }}_code is null
            and not encoded.{{ attribute }}_blank as {{ attribute }}_unmapped,
        {% endfor %}
        encoded.ethnicity_key is not null and encoded.ethnicity_code is null and not encoded.ethnicity_blank
            as ethnicity_unmapped,
        encoded.qualification_key is not null and not encoded.qualification_recognised as qualification_unmapped,
        encoded.academic_title_key is not null and not encoded.academic_title_recognised as academic_title_unmapped,
        encoded.residence_ward_raw is not null and encoded.residence_ward_match is null
            and not encoded.residence_ward_blank as residence_ward_unmapped,
        coalesce(len(encoded.residence_ward_candidates) > 1, false)
            and not (encoded.unit_kind = 'ward'
                and coalesce(list_contains(encoded.residence_ward_name_candidates, encoded.unit_code), false))
            as residence_ward_ambiguous

    from encoded
    left join ethnic_groups
        on encoded.ethnicity_code = ethnic_groups.code_1979_qd121

),

-- role for rows that write none: each distinct combination of evidence resolved once
role_evidence_rows as (

    select distinct {% for _, column in role_evidence %}{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from coded
    where role_code is null and not role_unmapped

),

role_evidence_values as (

    {% for evidence, column in role_evidence %}
    select role_evidence_rows.*, '{{ evidence }}' as evidence, {{ normalise_key(column) }} as value_key
    from role_evidence_rows
    where {{ column }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

role_inferred as (

    select
        {% for _, column in role_evidence %}role_evidence_values.{{ column }},
        {% endfor %}
        -- the lowest priority number wins; the code breaks a tie so the result never depends on scan order
        arg_min(role_rules.role_code, lpad(role_rules.priority::varchar, 9, '0') || role_rules.role_code)
            as role_code,
        arg_min(role_rules.evidence, lpad(role_rules.priority::varchar, 9, '0') || role_rules.role_code)
            as evidence,
        min(role_rules.priority) as priority
    from role_evidence_values
    inner join role_rules
        on role_evidence_values.evidence = role_rules.evidence
        and role_evidence_values.value_key = role_rules.value_key
    group by all

),

final as (

    select
        -- the lookup keys served their purpose here: a narrower table is much cheaper to write and read
        coded.* exclude (
            role_code, sex_key, ethnicity_key, qualification_key, academic_title_key,
            science_field_key, employer_type_key, occupation_key, role_key, teaching_level_key,
            status_key, overseas_key, lhh_member_key, trained_key, digital_trained_key, position_key,
            residence_ward_name_candidates
        ),
        coalesce(coded.role_code, role_inferred.role_code) as role_code,
        case
            when coded.role_code is not null then 'given'
            when role_inferred.role_code is not null then 'inferred:' || role_inferred.evidence
        end as role_source,
        role_inferred.priority as role_inference_priority,
        employer_types.frascati_sector as sector_code
    from coded
    left join role_inferred
        on coded.role_code is null and not coded.role_unmapped
        {% for _, column in role_evidence %}
        and coded.{{ column }} is not distinct from role_inferred.{{ column }}
        {% endfor %}
    left join employer_types
        on coded.employer_type_code = employer_types.employer_type_code

)

select * from final
