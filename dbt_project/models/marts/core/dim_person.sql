{#
    One row per resolved person (pseudonymous person_key), the attributes chosen by the survivorship rules
    (int_persons_survived, described on this model in _core__models.yml).
#}

with

persons as (

    select * from {{ ref('int_persons_survived').include(database=False) }}

),

final as (

    select
        person_key,
        sex_code,
        birth_year,
        age_group,
        ethnicity_code,
        is_ethnic_minority,
        qualification_code,
        academic_title_code,
        science_field_code,
        occupation_code,
        sector_code,
        employer_type_code,
        role_code,
        residence_ward_code,
        status_code,
        is_overseas,
        is_lhh_member,
        source_count,
        unit_count,
        first_period,
        last_period
    from persons

)

select * from final
