{#
    One row per resolved person, attributes chosen by the survivorship rules (described on marts.dim_person, which
    publishes this table as it is; the indicators read it here). Age is at the end of the person's last period.
    No personal data (codes and a pseudonymous key), so it lives in schema intermediate of the analytics file.
#}
{{ config(database=target.database, schema='intermediate') }}

with

persons as (select * from {{ ref('int_persons_resolved') }}),

-- a person with several rows: each attribute by its survivorship rule
survived_from_several as (

    select
        person_key,
        -- identity attributes: rows with a valid CCCD and a full birth date first, then the latest row
        first(sex_code order by cccd_status = 'valid' desc, period desc, updated_on desc nulls last, record_id asc)
        filter (where sex_code is not null) as sex_code,
        first(
            birth_year order by
                cccd_status = 'valid' desc, birth_date_precision = 'day' desc, period desc,
                updated_on desc nulls last, record_id asc
        ) filter (where birth_year is not null) as birth_year,
        first(ethnicity_code order by period desc, updated_on desc nulls last, record_id asc)
        filter (where ethnicity_code is not null) as ethnicity_code,
        -- degrees and fields: the university, then the department, over the ward
        first(qualification_code order by unit_precedence asc, period desc, updated_on desc nulls last, record_id asc)
        filter (where qualification_code is not null) as qualification_code,
        first(academic_title_code order by unit_precedence asc, period desc, updated_on desc nulls last, record_id asc)
        filter (where academic_title_code is not null) as academic_title_code,
        first(
            science_field_code order by
                unit_precedence asc, length(science_field_code) desc, period desc,
                updated_on desc nulls last, record_id asc
        ) filter (where science_field_code is not null) as science_field_code,
        -- work: the employer's own list over the ward, latest period first
        first(
            occupation_code order by
                unit_precedence asc, length(occupation_code) desc, period desc,
                updated_on desc nulls last, record_id asc
        ) filter (where occupation_code is not null) as occupation_code,
        first(
            employer_type_code order by
                employer_type_from_registry asc, period desc, unit_precedence asc,
                updated_on desc nulls last, record_id asc
        ) filter (where employer_type_code is not null) as employer_type_code,
        -- role: written over inferred, a stronger inference over a weaker one, then as qualification
        first(
            role_code order by
                role_source = 'given' desc, role_inference_priority nulls last, unit_precedence asc,
                period desc, updated_on desc nulls last, record_id asc
        ) filter (where role_code is not null) as role_code,
        -- residence: the ward's own list first, latest period first
        first(
            residence_ward_code order by unit_kind = 'ward' desc, period desc, updated_on desc nulls last, record_id asc
        )
        filter (where residence_ward_code is not null) as residence_ward_code,
        -- status: the latest period, then the most recently updated row
        first(status_code order by period desc, updated_on desc nulls last, unit_precedence asc, record_id asc)
        filter (where status_code is not null) as status_code,
        max(period) as last_period,
        min(period) as first_period,
        coalesce(
            first(is_overseas order by period desc, updated_on desc nulls last, record_id asc)
            filter (where is_overseas is not null),
            false
        ) as is_overseas,
        coalesce(bool_or(is_lhh_member), false) as is_lhh_member,
        count(*) as source_count,
        count(distinct unit_code) as unit_count
    from persons
    where {{ several_records_path() }}
    group by person_key

),

-- a person with one row (most people): what every rule above gives for a group of one, without grouping
survived_from_one as (

    select
        person_key,
        sex_code,
        birth_year,
        ethnicity_code,
        qualification_code,
        academic_title_code,
        science_field_code,
        occupation_code,
        employer_type_code,
        role_code,
        residence_ward_code,
        status_code,
        period as last_period,
        period as first_period,
        coalesce(is_overseas, false) as is_overseas,
        coalesce(is_lhh_member, false) as is_lhh_member,
        1 as source_count,
        case when unit_code is null then 0 else 1 end as unit_count
    from persons
    where {{ one_record_path() }}

),

survived as (

    select * from survived_from_several
    union all by name
    select * from survived_from_one

),

employer_types as (

    select code as employer_type_code, frascati_sector
    from {{ ref('employment_sectors') }}
    where scheme = 'employer_type'

),

final as (

    select
        survived.person_key,
        survived.sex_code,
        survived.birth_year,
        case
            when survived.birth_year is null then null
            when try_cast(left(survived.last_period, 4) as integer) - survived.birth_year < 30 then '<30'
            when try_cast(left(survived.last_period, 4) as integer) - survived.birth_year < 45 then '30-44'
            when try_cast(left(survived.last_period, 4) as integer) - survived.birth_year < 60 then '45-59'
            else '60+'
        end as age_group,
        survived.ethnicity_code,
        {{ is_ethnic_minority('survived.ethnicity_code') }} as is_ethnic_minority,
        survived.qualification_code,
        survived.academic_title_code,
        survived.science_field_code,
        survived.occupation_code,
        employer_types.frascati_sector as sector_code,
        survived.employer_type_code,
        survived.role_code,
        survived.residence_ward_code,
        -- a person reported without any status is taken as working
        coalesce(survived.status_code, 'ACTIVE') as status_code,
        survived.is_overseas,
        survived.is_lhh_member,
        survived.source_count::integer as source_count,
        survived.unit_count::integer as unit_count,
        survived.first_period,
        survived.last_period
    from survived
    left join employer_types
        on survived.employer_type_code = employer_types.employer_type_code

)

select * from final
