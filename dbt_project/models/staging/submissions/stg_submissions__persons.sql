{#
    One row per raw person row: text cleaned (spacing; NFC already, as ingest loads it), dates parsed with their
    precision, the Nam/Nữ two-column layout turned into sex + birth year, and a normalised lookup key for every
    single-valued coded attribute. No joins: codes are attached in int_persons_encoded, which also derives what it
    derives once per distinct value (name in title case and its key, degree parts, residence ward and district
    keys): on a million rows, working per row cost seconds.
    Lives in the restricted store (catalog pii, its schema working): the view joins each raw row of the
    analytics file to its personal fields (name, CCCD, birth date, phone, e-mail, address, note), which only the
    restricted store holds. The unit scorecard counts what was sent from here (only counts leave the store).
#}
{{ config(database='pii', schema='working') }}
{#- the coded attributes as the unit writes them, and every field of a row as the unit wrote it (the reader's
    section headings are not the unit's writing): counted and compared for the unit scorecard -#}
{% set coded_fields = ['sex', 'ethnicity', 'qualification', 'academic_title', 'science_field', 'occupation',
                       'employer_type', 'role', 'teaching_level', 'status', 'overseas', 'lhh_member', 'trained',
                       'digital_trained', 'residence_ward'] %}
{% set written_fields = ['full_name', 'birth_date', 'birth_year_male', 'birth_year_female', 'sex', 'cccd',
                         'ethnicity', 'qualification', 'major', 'academic_title', 'science_field', 'employer',
                         'employer_type', 'position', 'occupation', 'role', 'teaching_level', 'faculty',
                         'residence_ward', 'residence_district', 'phone', 'email', 'status', 'overseas',
                         'lhh_member', 'trained', 'digital_trained', 'updated_at', 'note'] %}

with

source as (

    {{ raw_as_sent('persons') }}

),

renamed as (

    select
        -- lineage
        source_file,
        coalesce(sheet_name, '') as sheet_name,
        source_row::integer as source_row,
        unit_code,
        unit_kind,
        period,
        file_sha256,
        ingested_at,
        source_file || '|' || coalesce(sheet_name, '') || '|' || source_row::varchar as record_id,

        -- identity (personal data)
        {{ clean_text('full_name') }} as full_name_raw,
        {{ clean_text('cccd') }} as cccd_raw,
        {{ clean_text('phone') }} as phone_raw,
        lower({{ clean_text('email') }}) as email,
        {{ clean_text('birth_date') }} as birth_date_text,
        {{ clean_text('birth_year_male') }} as birth_year_male_text,
        {{ clean_text('birth_year_female') }} as birth_year_female_text,

        -- coded attributes as written
        {{ clean_text('sex') }} as sex_raw,
        {{ clean_text('ethnicity') }} as ethnicity_raw,
        {{ clean_text('qualification') }} as qualification_raw,
        {{ clean_text('major') }} as major,
        {{ clean_text('academic_title') }} as academic_title_raw,
        {{ clean_text('science_field') }} as science_field_raw,
        {{ clean_text('employer') }} as employer,
        {{ clean_text('employer_type') }} as employer_type_raw,
        {{ clean_text('position') }} as position,
        {{ clean_text('occupation') }} as occupation_raw,
        {{ clean_text('role') }} as role_raw,
        {{ clean_text('teaching_level') }} as teaching_level_raw,
        {{ clean_text('faculty') }} as faculty,
        {{ clean_text('residence_ward') }} as residence_ward_raw,
        {{ clean_text('residence_district') }} as residence_district_raw,
        {{ clean_text('status') }} as status_raw,
        {{ clean_text('overseas') }} as overseas_raw,
        {{ clean_text('lhh_member') }} as lhh_member_raw,
        {{ clean_text('trained') }} as trained_raw,
        {{ clean_text('digital_trained') }} as digital_trained_raw,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ clean_text('note') }} as note,
        -- the section headings above the row ('BỆNH VIỆN ĐA KHOA ĐỒNG NAI » BÁC SĨ'): see int_section_contexts
        {{ clean_text('section') }} as section,

        -- the row as sent, for the unit scorecard: required cells filled (var required_fields), coded values
        -- written, a citizen ID written, and the row's content (a row repeating another of its file)
        {{ required_cells_filled('persons') }} as required_cells_filled,
        0
        {%- for field in coded_fields %}
            + (nullif(trim({{ field }}), '') is not null)::integer
        {%- endfor %} as coded_values_sent,
        nullif(trim(cccd), '') is not null as cccd_sent,
        -- (DuckDB's 64-bit hash of the fields, not an MD5 of them joined: half the time, and 'a|b','c' is not 'a','b|c';
        -- it is compared within one build only)
        hash(
            {%- for field in written_fields %}
                coalesce({{ field }}, ''){{ ',' if not loop.last }}
            {%- endfor %}
        ) as content_hash

    from source

),

derived as (

    select
        *,

        -- the two-column layout: the year sits under 'Nam' or under 'Nữ'
        case
            when birth_year_male_text is not null and birth_year_female_text is null then 'M'
            when birth_year_female_text is not null and birth_year_male_text is null then 'F'
        end as sex_from_layout,
        coalesce(birth_date_text, birth_year_male_text, birth_year_female_text) as birth_text,

        -- CCCD as digits: Excel's '.0', spaces, dots, dashes and a leading apostrophe removed
        regexp_replace(regexp_replace(cccd_raw, '\.0+$', ''), '[\s.''’-]', '', 'g') as cccd_clean,
        -- phones as digits with a leading 0 instead of +84/84
        regexp_replace(regexp_replace(phone_raw, '\.0+$', ''), '[^0-9+]', '', 'g') as phone_digits,

        {{ normalise_key('sex_raw', is_nfc=true) }} as sex_key,
        {{ normalise_key('ethnicity_raw', is_nfc=true) }} as ethnicity_key,
        {{ normalise_key('qualification_raw', is_nfc=true) }} as qualification_key,
        {{ normalise_key('academic_title_raw', is_nfc=true) }} as academic_title_key,
        {{ normalise_key('science_field_raw', is_nfc=true) }} as science_field_key,
        {{ normalise_key('employer', is_nfc=true) }} as employer_key,
        {{ normalise_key('employer_type_raw', is_nfc=true) }} as employer_type_key,
        {{ normalise_key('position', is_nfc=true) }} as position_key,
        {{ normalise_key('sheet_name', is_nfc=true) }} as sheet_name_key,
        {{ normalise_key('note', is_nfc=true) }} as note_key,
        {{ normalise_key('occupation_raw', is_nfc=true) }} as occupation_key,
        {{ normalise_key('role_raw', is_nfc=true) }} as role_key,
        {{ normalise_key('teaching_level_raw', is_nfc=true) }} as teaching_level_key,
        {{ normalise_key('status_raw', is_nfc=true) }} as status_key,
        {{ normalise_key('overseas_raw', is_nfc=true) }} as overseas_key,
        {{ normalise_key('lhh_member_raw', is_nfc=true) }} as lhh_member_key,
        {{ normalise_key('trained_raw', is_nfc=true) }} as trained_key,
        {{ normalise_key('digital_trained_raw', is_nfc=true) }} as digital_trained_key,

        {{ parse_vn_date('updated_at_text') }} as updated_on

    from renamed

),

final as (

    select
        *,
        {{ parse_vn_date('birth_text') }} as birth_date,
        {{ vn_date_precision('birth_text') }} as birth_date_precision,
        case
            when phone_digits like '+84%' then '0' || substr(phone_digits, 4)
            when regexp_full_match(phone_digits, '84\d{9}') then '0' || substr(phone_digits, 3)
            -- Excel drops the leading zero of a mobile number
            when regexp_full_match(phone_digits, '[1-9]\d{8}') then '0' || phone_digits
            else nullif(phone_digits, '')
        end as phone

    from derived

)

select * from final
