{# One row per accepted person input row: its lineage, its person_key and the codes as that row gave them. #}

with

records as (

    select * from {{ ref('int_person_source_records').include(database=False) }}

),

final as (

    select
        source_file,
        sheet_name,
        source_row,
        unit_code,
        unit_kind,
        period,
        file_sha256,
        person_key,
        sex_code,
        birth_year,
        birth_date_precision,
        ethnicity_code,
        ethnicity_gso_code,
        qualification_code,
        academic_title_code,
        science_field_code,
        occupation_code,
        sector_code,
        employer_type_code,
        employer_type_from_registry,
        role_code,
        role_source,
        teaching_level_code,
        residence_ward_code,
        residence_ward_match,
        residence_ward_ambiguous,
        status_code,
        status_from_section,
        teaching_level_from_section,
        is_overseas,
        is_lhh_member,
        is_trained,
        is_digital_trained,
        cccd_status,
        cccd_issue_code
    from records

)

select * from final
