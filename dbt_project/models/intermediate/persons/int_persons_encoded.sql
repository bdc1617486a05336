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
    one from seeds/synonyms/role_inference_rules.csv (role_source 'inferred:<evidence>'), the most specific
    evidence first: a teaching level, then a profession named by the row's position or occupation
    (role_profession_words), the section heading above the row, the sheet's name, the degree ('Dược sĩ đại
    học'), and only when nothing on the row says, the reporting unit's default (SYT -> doctor).
    Sections (int_section_contexts): a teaching level, status or employer the row leaves empty comes from the
    section heading above it; a value the row gives always wins.
    Qualification written with its major ('Đại học Sư phạm Vật lý', 'Thạc sỹ Quản lý kinh tế'): the level is the
    longest known spelling the value (or one of its parts) begins with; the rest is the major when the row
    has none.
    Residence on a ward's own list: a name that can mean the reporting ward (new or old name) means it.
#}

{% set fuzzy_code_lists = var(
    'fuzzy_code_lists', ['ethnicity', 'status', 'role', 'teaching_level', 'employer_type', 'science_field']
) %}
{% set role_evidence = [
    ('teaching_level_code', 'teaching_level_code'), ('unit_code', 'unit_code'), ('unit_kind', 'unit_kind'),
    ('qualification_code', 'qualification_code'), ('employer_type_code', 'employer_type_written_code'),
    ('occupation_code', 'occupation_code'), ('position', 'position_key'),
    ('position_profession', 'position_profession_code'), ('occupation_profession', 'occupation_profession_code'),
    ('occupation_written', 'occupation_text_key'),
    ('role_title', 'role_profession_title_code'),
    ('position_title', 'position_profession_title_code'), ('occupation_title', 'occupation_profession_title_code'),
    ('section_profession', 'section_role_code'), ('sheet_name_profession', 'sheet_name_profession_code'),
    ('qualification_profession', 'qualification_profession_code'),
] %}
{# evidence whose value names a profession directly (rule value '*': the role is the profession named) #}
{% set profession_evidence = [
    ('role_profession', 'role_key'),
    ('position_profession', 'position_key'), ('occupation_profession', 'occupation_key'),
    ('sheet_name_profession', 'sheet_name_key'), ('qualification_profession', 'qualification_key'),
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

    -- (what staging counts of the row as sent is the unit scorecard's, not needed here)
    select * exclude (required_cells_filled, coded_values_sent, cccd_sent, content_hash)
    from {{ ref('stg_submissions__persons') }}

),

synonyms as (

    select * from {{ ref('int_code_synonyms') }}

),

-- spellings valid on any list; role spellings tied to a unit kind are joined separately
synonyms_any as (

    select * from synonyms
    where coalesce(unit_kind, '') = ''

),

synonyms_by_unit_kind as (

    select * from synonyms
    where coalesce(unit_kind, '') <> ''

),

role_rules as (

    select evidence, value, {{ normalise_key('value') }} as value_key, role_code, priority
    from {{ ref('role_inference_rules') }}

),

section_contexts as (

    select * from {{ ref('int_section_contexts') }}

),

profession_words as (

    select
        {{ normalise_key('words') }} as words_key, role_code, coalesce(unit_kind, '') as unit_kind,
        coalesce(rank, 1) as rank
    from {{ ref('role_profession_words') }}

),

-- the profession each distinct position, occupation, sheet name and degree names (once per distinct value)
profession_values as (

    {% for evidence, column in profession_evidence %}
        select distinct '{{ evidence }}' as evidence, {{ column }} as value_key, unit_kind
        from persons
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

profession_hits as (

    select
        profession_values.*, profession_words.words_key, profession_words.role_code, profession_words.rank,
        profession_words.unit_kind as words_unit_kind
    from profession_values
    inner join profession_words
        on (' ' || profession_values.value_key || ' ') like ('% ' || profession_words.words_key || ' %')
            and profession_words.unit_kind in ('', profession_values.unit_kind)

),

profession_kept as (

    -- words inside a longer hit do not count ('bac si' inside 'bac si thu y'), a unit kind's own reading of
    -- the same words wins ('giao vien' on a university's list), and a profession (rank 1) outranks a head's
    -- title (rank 2: 'Phó Giám đốc - Bác sĩ CKII' is a doctor)
    select hit.*
    from profession_hits as hit
    where not exists (
            select 1 from profession_hits as other
            where other.evidence = hit.evidence and other.value_key = hit.value_key and other.unit_kind = hit.unit_kind
                and (
                    (
                        length(other.words_key) > length(hit.words_key)
                        and (' ' || other.words_key || ' ') like ('% ' || hit.words_key || ' %')
                    )
                    or (other.words_key = hit.words_key and other.words_unit_kind <> '' and hit.words_unit_kind = '')
                )
        )
    qualify hit.rank = min(hit.rank) over (partition by hit.evidence, hit.value_key, hit.unit_kind)

),

profession_named as (

    -- two professions of the same rank decide nothing ('Dược sĩ - Điều dưỡng')
    select evidence, value_key, unit_kind, max(role_code) as role_code, min(rank) as rank
    from profession_kept
    -- a degree names a licensed profession only ('Bác sĩ', 'Kỹ sư'), not a job ('Kỹ thuật viên cao cấp' diploma)
    where evidence <> 'qualification_profession'
        or role_code in ('{{ var("roles_a_degree_names") | join("', '") }}')  -- noqa: LT05
    group by all
    having count(distinct role_code) = 1

),

-- 'Giáo viên tiểu học', 'GV THCS' in the role, position or occupation: the teaching level the text names
teaching_level_texts as (

    select value_key, regexp_replace(value_key, '^(giao vien|gv|co giao|thay giao|giang vien) ', '') as level_key
    from (
        select role_key as value_key from persons
        union
        select position_key from persons
        union
        select occupation_key from persons
    ) as job_texts
    where regexp_matches(value_key, '^(giao vien|gv|co giao|thay giao|giang vien) ')

),

teaching_levels_named as (

    select teaching_level_texts.value_key, arg_max(synonyms_any.code, length(synonyms_any.value_key)) as code
    from teaching_level_texts
    inner join synonyms_any
        on synonyms_any.code_list = 'teaching_level'
            and starts_with(teaching_level_texts.level_key || ' ', synonyms_any.value_key || ' ')
    group by teaching_level_texts.value_key

),

-- a status written with more words ('Nghỉ hưu từ 01/2026', 'Đã chuyển công tác về TP.HCM'), in the status or the
-- note column: the longest known spelling it begins with
status_texts as (

    select distinct status_key as value_key, false as in_note from persons
    where status_key is not null
    union
    select distinct note_key, true from persons
    where note_key is not null and status_key is null

),

status_prefixes as (

    -- in the status column the status may stand anywhere ('Đang đi học ở nước ngoài (Nhật Bản)'): the known
    -- spelling found first, the longest there; in the note column only at the start ('Nghỉ hưu từ 01/2026')
    select
        status_texts.value_key,
        status_texts.in_note,
        arg_min(synonyms_any.code, [
            strpos(' ' || status_texts.value_key || ' ', ' ' || synonyms_any.value_key || ' '),
            -length(synonyms_any.value_key)
        ]) as code
    from status_texts
    inner join synonyms_any
        on synonyms_any.code_list = 'status'
            and (
                starts_with(status_texts.value_key || ' ', synonyms_any.value_key || ' ')
                or (
                    not status_texts.in_note
                    and contains(' ' || status_texts.value_key || ' ', ' ' || synonyms_any.value_key || ' ')
                )
            )
    group by status_texts.value_key, status_texts.in_note

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

    select value_key from synonyms
    where code_list = 'blank'

),

-- each distinct name once: title case and its diacritic-free key (the matching key of int_persons_match_pairs)
names as (

    select
        full_name_raw,
        {{ title_case('full_name_raw') }} as full_name,
        {{ normalise_key('full_name_raw', is_nfc=true) }} as name_key
    from (
        select distinct full_name_raw from persons
        where full_name_raw is not null
    ) as written_names

),

-- fuzzy fallback: each distinct value no spelling knows, against the known spellings of its code list
fuzzy_keys as (

    {% for attribute, key, code_list in single_key_attributes if code_list in fuzzy_code_lists %}
        select distinct '{{ code_list }}' as code_list, persons.{{ key }} as value_key
        from persons
        where persons.{{ key }} is not null
        union
    {% endfor %}
    {% if 'ethnicity' in fuzzy_code_lists %}
        select distinct 'ethnicity', regexp_replace(persons.ethnicity_key, '^(dan toc|dt|nguoi) ', '')
        from persons
        where persons.ethnicity_key is not null
        union
    {% endif %}
    select null, null
    where false

),

fuzzy_unknown as (

    select fuzzy_keys.code_list, fuzzy_keys.value_key
    from fuzzy_keys
    left join synonyms as known
        on fuzzy_keys.value_key = known.value_key and known.code_list in (fuzzy_keys.code_list, 'blank')
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
        on fuzzy_unknown.code_list = synonyms_any.code_list
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
    ) as written_degrees

),

degree_candidates as (

    -- level 1: the whole value; 2: its punctuation-separated parts; 3 (degree_prefix_matches): the longest known
    -- spelling the value or a part begins with ('dai hoc' in 'dai hoc su pham vat ly'); 4: the words of the parts
    select
        qualification_raw, academic_title_raw, 'qualification' as from_column, 1 as match_level,
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
    select
        qualification_raw, academic_title_raw, 'qualification', 4,
        unnest(flatten(list_transform(qualification_parts, lambda part: string_split(part, ' '))))
    from degree_values
    union all
    select
        qualification_raw, academic_title_raw, 'academic_title', 4,
        unnest(flatten(list_transform(academic_title_parts, lambda part: string_split(part, ' '))))
    from degree_values

),

degree_spellings as (

    select value_key, code_list, code, qualification_precedence
    from synonyms_any
    where code_list in ('qualification', 'academic_title')

),

degree_prefix_candidates as (

    -- the whole value and its parts (levels 1 and 2), each tried for a known spelling it begins with
    select distinct qualification_raw, academic_title_raw, from_column, value_key
    from degree_candidates
    where match_level in (1, 2) and value_key like '% %'
        -- 'Cử nhân chính trị cao cấp' is a political-theory level, not a bachelor's degree
        and not regexp_matches(value_key, ' {{ var("qualification_prefix_not_followed_by") }}( |$)')

),

degree_prefix_matches as (

    select
        prefixes.qualification_raw,
        prefixes.academic_title_raw,
        prefixes.from_column,
        3 as match_level,
        spellings.value_key,
        spellings.code_list,
        spellings.code,
        spellings.qualification_precedence
    from degree_prefix_candidates as prefixes
    inner join degree_spellings as spellings
        on starts_with(prefixes.value_key, spellings.value_key || ' ')
    -- the longest spelling it begins with: 'duoc si dai hoc' over 'duoc si'
    qualify length(spellings.value_key) = max(length(spellings.value_key)) over (
            partition by
                prefixes.qualification_raw, prefixes.academic_title_raw, prefixes.from_column, prefixes.value_key
        )

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
            and (
                synonyms.code_list in ('qualification', 'academic_title')
                or (synonyms.code_list = 'blank' and degree_candidates.match_level = 1)
            )
    union all by name
    select * from degree_prefix_matches

),

degree_readings as (

    select
        degree_values.qualification_raw,
        degree_values.academic_title_raw,
        -- the most specific reading wins (whole value before parts before words), then the highest degree
        first(degree_matches.code order by degree_matches.match_level asc, degree_matches.qualification_precedence desc)
        filter (where degree_matches.code_list = 'qualification') as qualification_code,
        first(degree_matches.code order by degree_matches.match_level, degree_matches.code = 'GS' desc)
        filter (where degree_matches.code_list = 'academic_title' and degree_matches.code in ('GS', 'PGS'))
            as academic_title_code,
        count(degree_matches.code) filter (where degree_matches.from_column = 'qualification') > 0
            as qualification_recognised,
        -- the known degree words the qualification begins with: what follows them is the major
        arg_max(degree_matches.value_key, length(degree_matches.value_key)) filter (
            where degree_matches.from_column = 'qualification' and degree_matches.code_list = 'qualification'
            and degree_matches.match_level in (2, 3)
            and starts_with(degree_values.qualification_key || ' ', degree_matches.value_key || ' ')
        ) as qualification_leading_key,
        count(degree_matches.code) filter (where degree_matches.from_column = 'academic_title') > 0
            as academic_title_recognised
    from degree_values
    left join degree_matches
        on degree_values.qualification_raw is not distinct from degree_matches.qualification_raw
            and degree_values.academic_title_raw is not distinct from degree_matches.academic_title_raw
    group by degree_values.qualification_raw, degree_values.academic_title_raw, degree_values.qualification_key

),

degree_codes as (

    -- what follows the leading degree words ('Đại học | Sư phạm Vật lý', 'ThS. | Giáo dục học'), written as sent
    select
        * exclude (qualification_leading_key),
        case when qualification_leading_key is not null then nullif(trim(regexp_replace(
                    qualification_raw,
                    '^[\s.,;:/()-]*([^\s.,;:/()-]+[\s.,;:/()-]*){'
                    || len(string_split(qualification_leading_key, ' '))
                    || '}',
                    ''
                )), '')
        end as qualification_major
    from degree_readings

),

-- residence ward: each distinct (ward, district) as written, parsed as an address and resolved once
-- (int_residence_addresses: 'Tổ 5, KP 3, phường Tân Mai, TP Biên Hòa' -> old ward + old district -> 26017)
ward_codes as (

    select
        residence_ward_raw, residence_district_raw, residence_ward_code, residence_ward_match,
        residence_ward_candidates, residence_ward_name_candidates, residence_ward_blank, residence_ward_written
    from {{ ref('int_residence_addresses') }}

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
                {%- if attribute in ('science_field', 'occupation', 'status') %}
                    -- a leading code ('101 - Toán học', '2211 Bác sĩ') or status words ('Nghỉ hưu từ 01/2026') are enough
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
            {%- if attribute in ('science_field', 'occupation', 'status') %}
                    and syn_{{ attribute }}_code.code is null
                {% endif %}
                    as {{ attribute }}_fuzzy,
            {%- else %}
                false as {{ attribute }}_fuzzy,
            {%- endif %}
            persons.{{ key }} in (select value_key from blank_keys) as {{ attribute }}_blank,
        {% endfor %}

        coalesce(
            syn_ethnicity.code, syn_ethnicity_stripped.code
            {%- if 'ethnicity' in fuzzy_code_lists %}, fuzzy_ethnicity.code{% endif %}
        ) as ethnicity_code,
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
        degree_codes.qualification_major,

        section_contexts.section_teaching_level_code,
        section_contexts.section_status_code,
        status_in_note.code as note_status_code,
        coalesce(level_in_role.code, level_in_position.code, level_in_occupation.code) as text_teaching_level_code,
        section_contexts.section_role_code,
        section_contexts.section_employer,
        {% for evidence, column in profession_evidence %}
        -- a profession (rank 1) is strong evidence; a head's title (rank 2: 'Giám đốc', 'Hiệu trưởng') is weak
            case when prof_{{ evidence }}.rank = 1 then prof_{{ evidence }}.role_code end as {{ evidence }}_code,
            case when prof_{{ evidence }}.rank = 2 then prof_{{ evidence }}.role_code end as {{ evidence }}_title_code,
        {% endfor %}

        ward_codes.residence_ward_code as residence_ward_code_given,
        ward_codes.residence_ward_match,
        ward_codes.residence_ward_candidates,
        ward_codes.residence_ward_name_candidates,
        coalesce(ward_codes.residence_ward_blank, false) as residence_ward_blank,
        -- the residence as quoted back in a message: its unit names only, never a house number or street
        ward_codes.residence_ward_written,

        registry.employer_type_code as registry_employer_type_code,

        names.full_name,
        names.name_key

    from persons
    {% for attribute, key, code_list in single_key_attributes %}
        left join synonyms_any as syn_{{ attribute }}
            on syn_{{ attribute }}.code_list = '{{ code_list }}' and syn_{{ attribute }}.value_key = persons.{{ key }}
        {%- if code_list in fuzzy_code_lists %}
            left join fuzzy_lookup as fuzzy_{{ attribute }}
                on fuzzy_{{ attribute }}.code_list = '{{ code_list }}'
                    and fuzzy_{{ attribute }}.value_key = persons.{{ key }}
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
                    and syn_{{ attribute }}_code.value_key
                    = left(regexp_extract(persons.{{ key }}, '^(\d{1,4})\b', 1), 2)
        {%- elif attribute == 'status' %}
            left join status_prefixes as syn_{{ attribute }}_code
                on not syn_{{ attribute }}_code.in_note and syn_{{ attribute }}_code.value_key = persons.{{ key }}
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
    left join section_contexts
        on persons.section = section_contexts.section
    left join status_prefixes as status_in_note
        on persons.status_key is null and status_in_note.in_note and status_in_note.value_key = persons.note_key
    left join teaching_levels_named as level_in_role on level_in_role.value_key = persons.role_key
    left join teaching_levels_named as level_in_position on level_in_position.value_key = persons.position_key
    left join teaching_levels_named as level_in_occupation on level_in_occupation.value_key = persons.occupation_key
    {% for evidence, column in profession_evidence %}
        left join profession_named as prof_{{ evidence }}
            on prof_{{ evidence }}.evidence = '{{ evidence }}'
                and prof_{{ evidence }}.value_key = persons.{{ column }}
                and prof_{{ evidence }}.unit_kind = persons.unit_kind
    {% endfor %}

),

coded as (

    select
        encoded.* exclude (
            sex_code, employer_type_code, registry_employer_type_code, residence_ward_match,
            teaching_level_code, status_code, employer, employer_key, major, qualification_major,
            note_status_code, text_teaching_level_code
        ),
        encoded.employer_type_code as employer_type_written_code,
        -- the role is still open for inference: the role column is empty, or holds only a head's title ('Viện
        -- trưởng'), which is weak evidence (rule role_title); a role column naming no role at all stays unmapped
        encoded.role_code is null and encoded.role_profession_code is null
        and (encoded.role_key is null or encoded.role_blank or encoded.role_profession_title_code is not null)
            as role_open,
        -- an occupation written in words (not a VSCO code): evidence that the person does something (rule
        -- occupation_written)
        case when not regexp_matches(encoded.occupation_key, '\d') and encoded.occupation_profession_code is null
                and encoded.occupation_profession_title_code is null then encoded.occupation_key
        end as occupation_text_key,
        -- a section heading above the row fills what the row leaves empty, never what it gives
        -- ('Giáo viên tiểu học' in the row's own role, position or occupation comes before its section)
        case when encoded.teaching_level_key is null or encoded.teaching_level_blank
                then coalesce(
                        encoded.teaching_level_code, encoded.text_teaching_level_code,
                        encoded.section_teaching_level_code
                    )
            else encoded.teaching_level_code
        end as teaching_level_code,
        encoded.teaching_level_code is null and encoded.text_teaching_level_code is null
        and encoded.section_teaching_level_code is not null
        and (encoded.teaching_level_key is null or encoded.teaching_level_blank) as teaching_level_from_section,
        -- (a status written in the note column, 'Đã nghỉ hưu từ 01/2026', comes before the section's)
        case when encoded.status_key is null or encoded.status_blank
                then coalesce(encoded.status_code, encoded.note_status_code, encoded.section_status_code)
            else encoded.status_code
        end as status_code,
        encoded.status_code is null and encoded.note_status_code is null and encoded.section_status_code is not null
        and (encoded.status_key is null or encoded.status_blank) as status_from_section,
        encoded.status_code is null and encoded.note_status_code is not null
        and (encoded.status_key is null or encoded.status_blank) as status_from_note,
        coalesce(encoded.employer, encoded.section_employer) as employer,
        coalesce(encoded.employer_key, {{ normalise_key('encoded.section_employer', is_nfc=true) }}) as employer_key,
        -- 'Đại học Sư phạm Vật lý' in the qualification column: what follows the degree words is the major
        coalesce(encoded.major, encoded.qualification_major) as major,
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
        and not (
            encoded.unit_kind = 'ward'
            and coalesce(list_contains(encoded.residence_ward_name_candidates, encoded.unit_code), false))
            as residence_ward_ambiguous

    from encoded
    left join ethnic_groups
        on encoded.ethnicity_code = ethnic_groups.code_1979_qd121

),

-- role for rows that write none: each distinct combination of evidence resolved once
role_evidence_rows as (

    -- (sqlfluff indents a column list a loop writes after `select distinct` wrongly)
    -- noqa: disable=LT02
    select distinct
        {%- for _, column in role_evidence %}
        {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from coded
    where role_open
    -- noqa: enable=LT02

),

role_evidence_values as (

    {% for evidence, column in role_evidence %}
        select
            role_evidence_rows.*, '{{ evidence }}' as evidence, {{ column }}::varchar as value,
            {{ normalise_key(column) }} as value_key
        from role_evidence_rows
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

role_matches as (

    select
        role_evidence_values.*,
        role_rules.priority,
        -- a rule with value '*' takes the profession its evidence names
        coalesce(role_rules.role_code, case when role_rules.value = '*' then role_evidence_values.value end)
            as matched_role_code
    from role_evidence_values
    inner join role_rules
        on role_evidence_values.evidence = role_rules.evidence
            and (role_evidence_values.value_key = role_rules.value_key or role_rules.value = '*')

),

role_inferred as (

    select
        {% for _, column in role_evidence %}role_matches.{{ column }},
        {% endfor %}
        -- the lowest priority number wins; the code breaks a tie so the result never depends on scan order
        arg_min(
            role_matches.matched_role_code,
            lpad(role_matches.priority::varchar, 9, '0') || role_matches.matched_role_code
        )
            as role_code,
        arg_min(role_matches.evidence, lpad(role_matches.priority::varchar, 9, '0') || role_matches.matched_role_code)
            as evidence,
        min(role_matches.priority) as priority
    from role_matches
    where role_matches.matched_role_code is not null
    group by all

),

final as (

    select
        -- the lookup keys served their purpose here: a narrower table is much cheaper to write and read
        coded.* exclude (
            role_code, role_unmapped, sex_key, ethnicity_key, qualification_key, academic_title_key,
            science_field_key, employer_type_key, occupation_key, role_key, teaching_level_key,
            status_key, overseas_key, lhh_member_key, trained_key, digital_trained_key, position_key,
            residence_ward_name_candidates,
            sheet_name_key,
            note_key,
            occupation_text_key,
            role_open,
            section_teaching_level_code,
            section_status_code,
            section_employer,
            section_role_code,
            {%- for evidence, _ in profession_evidence %}
                {{ evidence }}_code,
                {{ evidence }}_title_code{{ ',' if not loop.last }}
            {%- endfor %}
        ),
        -- a role column naming a profession in more words ('Bác sĩ CKI', 'Điều dưỡng hạng III') gives that role
        coalesce(coded.role_code, coded.role_profession_code, role_inferred.role_code) as role_code,
        case
            when coded.role_code is not null or coded.role_profession_code is not null then 'given'
            when role_inferred.role_code is not null then 'inferred:' || role_inferred.evidence
        end as role_source,
        coded.role_unmapped and coded.role_profession_code is null and coded.role_profession_title_code is null
            as role_unmapped,
        role_inferred.priority as role_inference_priority,
        employer_types.frascati_sector as sector_code
    from coded
    left join role_inferred
        on coded.role_open
            {% for _, column in role_evidence %}
                and coded.{{ column }} is not distinct from role_inferred.{{ column }}
            {% endfor %}
    left join employer_types
        on coded.employer_type_code = employer_types.employer_type_code

)

select * from final
