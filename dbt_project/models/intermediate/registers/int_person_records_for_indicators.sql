{#-
    The one place that reads the person marts' per-row records for the indicators. Every column it needs is
    named: a column person_source_records lost fails the build here (its contract names them too), never a
    silently empty indicator.
-#}
{# a view: its one reader (int_persons_as_of_periods, itself a view read once) scans it once; a table copy of 1M rows only cost time #}
{{ config(materialized='view') }}

with

person_source_records as (
    select * from {{ ref('person_source_records') }}
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
