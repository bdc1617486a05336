{#-
    The one place that reads the per-row person records (int_person_source_records, which marts.person_source_records
    publishes) for the indicators. Every column it needs is named: a column the records lost fails the build here,
    never a silently empty indicator (tests/dbt/test_project_structure.py checks that no model fills a column
    it cannot find with null).
-#}
{# a view: its one reader (int_persons_as_of_periods, itself a view read once) scans it once; a table copy of 1M rows only cost time #}
{{ config(materialized='view') }}

with

person_source_records as (
    select * from {{ ref('int_person_source_records') }}
),

final as (
    select
        psr.person_key,
        psr.period,
        psr.unit_code,
        psr.source_file,
        psr.sheet_name,
        psr.source_row,
        psr.sex_code,
        psr.birth_year,
        psr.ethnicity_code,
        {{ is_ethnic_minority('psr.ethnicity_code') }} as is_ethnic_minority,
        psr.qualification_code,
        psr.academic_title_code,
        psr.science_field_code,
        psr.occupation_code,
        psr.sector_code,
        psr.employer_type_code,
        psr.role_code,
        psr.residence_ward_code,
        psr.status_code,
        psr.is_overseas,
        psr.is_lhh_member,
        psr.teaching_level_code,
        psr.is_trained,
        psr.is_digital_trained
    from person_source_records as psr
    where psr.person_key is not null
)

select * from final
