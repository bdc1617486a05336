{#
    Person rows with codes: every coded attribute's normalised key joined to int_code_synonyms (codes from
    the reference lists plus the officer's synonym seeds), qualification and academic title split out of
    combined forms ('PGS.TS', 'GS.TSKH', 'BS.CKII', 'ThS.BS'), residence ward through the 2025 crosswalk,
    employer type defaulted from the unit registry for universities and departments when the row is silent.
    A value that maps to no code keeps a null code and an <attribute>_unmapped flag (-> quality tables).
#}

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

-- qualification and academic title: resolve each distinct pair of written values once
degree_values as (

    select distinct
        qualification_raw, academic_title_raw,
        qualification_key, qualification_parts, academic_title_key, academic_title_parts
    from persons
    where qualification_raw is not null or academic_title_raw is not null

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
    inner join synonyms
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

-- residence ward: resolve each distinct (code, name, old district) once
ward_values as (

    select distinct residence_ward_raw, residence_ward_code_text, residence_ward_key, residence_district_key
    from persons
    where residence_ward_raw is not null

),

ward_codes as (

    select
        ward_values.residence_ward_raw,
        ward_values.residence_district_key,
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
        {%- if attribute == 'science_field' or attribute == 'occupation' %}
        -- a leading code ('101 - Toán học', '2211 Bác sĩ') is enough when the words are not known
        coalesce(syn_{{ attribute }}.code, syn_{{ attribute }}_code.code) as {{ attribute }}_code,
        {%- else %}
        syn_{{ attribute }}.code as {{ attribute }}_code,
        {%- endif %}
        persons.{{ key }} in (select value_key from blank_keys) as {{ attribute }}_blank,
        {% endfor %}

        coalesce(syn_ethnicity.code, syn_ethnicity_stripped.code) as ethnicity_code,
        persons.ethnicity_key in (select value_key from blank_keys) as ethnicity_blank,

        degree_codes.qualification_code,
        degree_codes.academic_title_code,
        coalesce(degree_codes.qualification_recognised, false) as qualification_recognised,
        coalesce(degree_codes.academic_title_recognised, false) as academic_title_recognised,

        ward_codes.residence_ward_code as residence_ward_code_given,
        ward_codes.residence_ward_match,
        ward_codes.residence_ward_candidates,
        coalesce(ward_codes.residence_ward_blank, false) as residence_ward_blank,

        registry.employer_type_code as registry_employer_type_code

    from persons
    {% for attribute, key, code_list in single_key_attributes %}
    left join synonyms as syn_{{ attribute }}
        on syn_{{ attribute }}.code_list = '{{ code_list }}' and syn_{{ attribute }}.value_key = persons.{{ key }}
    {%- if attribute == 'science_field' %}
    left join synonyms as syn_{{ attribute }}_code
        on syn_{{ attribute }}_code.code_list = 'science_field'
        and syn_{{ attribute }}_code.value_key = regexp_extract(persons.{{ key }}, '^(\d{1,5})\b', 1)
    {%- elif attribute == 'occupation' %}
    left join synonyms as syn_{{ attribute }}_code
        on syn_{{ attribute }}_code.code_list = 'occupation'
        and syn_{{ attribute }}_code.value_key = left(regexp_extract(persons.{{ key }}, '^(\d{1,4})\b', 1), 2)
    {%- endif %}
    {% endfor %}
    left join synonyms as syn_ethnicity
        on syn_ethnicity.code_list = 'ethnicity' and syn_ethnicity.value_key = persons.ethnicity_key
    left join synonyms as syn_ethnicity_stripped
        on syn_ethnicity_stripped.code_list = 'ethnicity'
        and syn_ethnicity_stripped.value_key = regexp_replace(persons.ethnicity_key, '^(dan toc|dt|nguoi) ', '')
    left join degree_codes
        on persons.qualification_raw is not distinct from degree_codes.qualification_raw
        and persons.academic_title_raw is not distinct from degree_codes.academic_title_raw
    left join ward_codes
        on persons.residence_ward_raw = ward_codes.residence_ward_raw
        and persons.residence_district_key is not distinct from ward_codes.residence_district_key
    left join registry
        on persons.unit_code = registry.unit_code

),

coded as (

    select
        encoded.* exclude (sex_code, employer_type_code, registry_employer_type_code),
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

        -- a ward's own list: a row without a residence lives in that ward
        coalesce(
            encoded.residence_ward_code_given,
            case when encoded.unit_kind = 'ward' and encoded.residence_ward_raw is null then encoded.unit_code end
        ) as residence_ward_code,

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
        coalesce(len(encoded.residence_ward_candidates) > 1, false) as residence_ward_ambiguous

    from encoded
    left join ethnic_groups
        on encoded.ethnicity_code = ethnic_groups.code_1979_qd121

),

final as (

    select
        coded.*,
        employer_types.frascati_sector as sector_code
    from coded
    left join employer_types
        on coded.employer_type_code = employer_types.employer_type_code

)

select * from final
