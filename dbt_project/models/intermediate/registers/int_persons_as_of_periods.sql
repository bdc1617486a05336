-- One row per person and reporting period: the person as known at that period. Status is the spell of
-- int_person_status_spells (published as marts.person_status_history) that started last at or before the period
-- (so a person who retired in 2026-H1 is working in 2025-H2 and retired from 2026-H1 on); changing attributes
-- (degree, role, ward ...) come from the latest record at or before the period; sex, birth year and ethnicity from
-- int_persons_survived (published as marts.dim_person).
-- Membership: the latest list wins. In each period a unit's people are those of the latest list it sent at or before
-- that period (a unit that sent nothing new keeps its last list); a person a unit dropped from a later list is no
-- longer that unit's person, and a person on no unit's current list is not counted in the period. The job
-- (role, teaching level, employer type, sector, occupation, institution) comes from the records of the units that
-- still list the person (their latest non-null value, earlier lists of such a unit included); personal attributes
-- (degree, title, field, residence...) and training history from all the person's records.
-- A view: its one reader (int_indicator_person_cells) materialises it once; a table of persons x periods
-- (2.4M rows at the 1M-row bench) cost more to write than to compute.
{{ config(materialized='view') }}
{%- set latest_attributes = [
    'qualification_code', 'academic_title_code', 'science_field_code', 'occupation_code', 'sector_code',
    'employer_type_code', 'role_code', 'teaching_level_code', 'residence_ward_code', 'is_overseas', 'is_lhh_member'
] %}
{#- what a person does for a unit: read only from the units that still list the person -#}
{%- set job_attributes = ['occupation_code', 'sector_code', 'employer_type_code', 'role_code', 'teaching_level_code'] %}

with

records as (
    select * from {{ ref('int_person_records_for_indicators') }}
),

status_history as (
    select * from {{ ref('int_person_status_spells') }}
),

dim_person as (
    select * from {{ ref('int_persons_survived') }}
),

periods as (
    select * from {{ ref('int_reporting_periods') }}
),

unit_registry as (
    select * from {{ ref('unit_registry') }}
),

qualification_levels as (
    select * from {{ ref('qualification_levels') }}
),

-- how many rows each person has: a person reported once needs no "latest record" search (below)
records_counted as (
    select rec.*, dmp.source_count
    from records as rec
    left join dim_person as dmp on rec.person_key = dmp.person_key
),

-- the lists each unit sent: one per unit and period
unit_lists as (
    select distinct rec.unit_code, rec.period as list_period
    from records as rec
),

-- for every period, the period of each unit's latest list at or before it
current_lists as (
    select prd.period, unl.unit_code, max(unl.list_period) as list_period
    from periods as prd
    inner join unit_lists as unl
        on prd.period >= unl.list_period
    group by prd.period, unl.unit_code
),

records_known as (
    select
        prd.period,
        prd.period_year,
        rec.period as record_period,
        rec.person_key,
        rec.status_code as record_status_code,
        rec.sex_code,
        rec.birth_year,
        rec.is_ethnic_minority,
        rec.is_trained,
        {%- for attribute in latest_attributes %}
            rec.{{ attribute }},
        {%- endfor %}
        reg.institution_level,
        reg.unit_kind,
        cul.list_period is not null as is_current_list,
        -- a unit whose current list holds the person: its earlier rows about the person still speak for the job
        bool_or(cul.list_period is not null) over (partition by prd.period, rec.person_key, rec.unit_code)
            as is_listing_unit,
        -- ties inside one period are broken by file and row so the result does not depend on scan order
        rec.period
        || '|'
        || coalesce(rec.source_file, '')
        || '|'
        || lpad(coalesce(cast(rec.source_row as varchar), ''), 9, '0')
            as record_order
    from periods as prd
    inner join records_counted as rec on prd.period >= rec.period
    left join unit_registry as reg on rec.unit_code = reg.unit_code
    left join current_lists as cul
        on prd.period = cul.period and rec.unit_code = cul.unit_code and rec.period = cul.list_period
    where rec.source_count is distinct from 1
),

attributes_from_several as (
    select
        rkn.period,
        rkn.period_year,
        rkn.person_key,
        {%- for attribute in latest_attributes %}
            arg_max(rkn.{{ attribute }}, rkn.record_order) filter (
                where {{ 'rkn.is_listing_unit and ' if attribute in job_attributes }}rkn.{{ attribute }} is not null
            ) as {{ attribute }},
        {%- endfor %}
        arg_max(rkn.record_status_code, rkn.record_order) filter (where rkn.record_status_code is not null)
            as record_status_code,
        arg_max(rkn.sex_code, rkn.record_order) filter (where rkn.sex_code is not null) as record_sex_code,
        arg_max(rkn.birth_year, rkn.record_order) filter (where rkn.birth_year is not null) as record_birth_year,
        arg_max(rkn.is_ethnic_minority, rkn.record_order) filter (where rkn.is_ethnic_minority is not null)
            as record_is_ethnic_minority,
        -- lecturers: the institution level of the latest university, college or vocational school whose current
        -- list holds them
        arg_max(rkn.institution_level, rkn.record_order) filter (
            where rkn.is_listing_unit and rkn.unit_kind = 'university'
        )
            as institution_level,
        coalesce(bool_or(rkn.is_trained) filter (where rkn.record_period = rkn.period), false) as is_trained_in_period,
        max(rkn.record_period) filter (where rkn.is_trained) as last_trained_period
    from records_known as rkn
    group by rkn.period, rkn.period_year, rkn.person_key
    -- on some unit's current list in this period
    having bool_or(rkn.is_current_list)
),

-- a person with one row (most people): in every period from that row's on, what the rules above give for it
attributes_from_one as (
    select
        prd.period,
        prd.period_year,
        rec.person_key,
        {%- for attribute in latest_attributes %}
            rec.{{ attribute }},
        {%- endfor %}
        rec.status_code as record_status_code,
        rec.sex_code as record_sex_code,
        rec.birth_year as record_birth_year,
        rec.is_ethnic_minority as record_is_ethnic_minority,
        case when reg.unit_kind = 'university' then reg.institution_level end as institution_level,
        coalesce(case when rec.period = prd.period then rec.is_trained end, false) as is_trained_in_period,
        case when rec.is_trained then rec.period end as last_trained_period
    from periods as prd
    -- in the periods for which its unit's current list is the one it is on
    inner join current_lists as cul on prd.period = cul.period
    inner join records_counted as rec on cul.unit_code = rec.unit_code and cul.list_period = rec.period
    left join unit_registry as reg on rec.unit_code = reg.unit_code
    where rec.source_count = 1
),

attributes_as_of as (
    select * from attributes_from_several
    union all by name
    select * from attributes_from_one
),

status_as_of as (
    select
        prd.period,
        ssh.person_key,
        arg_max(ssh.status_code, ssh.valid_from_period) as status_code
    from periods as prd
    inner join status_history as ssh on prd.period >= ssh.valid_from_period
    group by prd.period, ssh.person_key
),

joined as (
    select
        aao.period,
        aao.period_year,
        aao.person_key,
        upper(coalesce(sao.status_code, aao.record_status_code)) as status_code,
        coalesce(dmp.sex_code, aao.record_sex_code) as sex_code,
        coalesce(dmp.birth_year, aao.record_birth_year) as birth_year,
        coalesce(dmp.is_ethnic_minority, aao.record_is_ethnic_minority) as is_ethnic_minority,
        upper(aao.qualification_code) as qualification_code,
        qlv.vnqf_level,
        upper(aao.academic_title_code) as academic_title_code,
        aao.science_field_code,
        aao.occupation_code,
        aao.sector_code,
        aao.employer_type_code,
        upper(aao.role_code) as role_code,
        upper(aao.teaching_level_code) as teaching_level_code,
        aao.residence_ward_code,
        coalesce(aao.is_overseas, false) as is_overseas,
        coalesce(aao.is_lhh_member, false) as is_lhh_member,
        aao.institution_level,
        aao.is_trained_in_period,
        aao.last_trained_period
    from attributes_as_of as aao
    left join status_as_of as sao on aao.period = sao.period and aao.person_key = sao.person_key
    left join dim_person as dmp on aao.person_key = dmp.person_key
    left join qualification_levels as qlv on upper(qlv.code) = upper(aao.qualification_code)
),

final as (
    select
        jnd.*,
        jnd.period_year - jnd.birth_year as age,
        case
            when jnd.birth_year is null then null
            when jnd.period_year - jnd.birth_year < 30 then '<30'
            when jnd.period_year - jnd.birth_year < 45 then '30-44'
            when jnd.period_year - jnd.birth_year < 60 then '45-59'
            else '60+'
        end as age_group,
        jnd.status_code = 'ACTIVE' as is_active
    from joined as jnd
)

select * from final
