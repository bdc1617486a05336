-- Person-based measures: every person as of every period is tested against each measure's numerator and
-- denominator (definitions in the catalogue seed), then counted for the city and by residence ward, in total
-- and by one breakdown at a time. '_T' marks a total, '_U' an unknown value (so breakdowns add up to totals).
{%- set s_t_roles = "('RESEARCHER', 'LECTURER', 'ENGINEER')" %}
{%- set dimensions = {
    'total': [],
    'sex_code': ['sex_code'],
    'age_group': ['age_group'],
    'sector_code': ['sector_code'],
    'science_field_code': ['science_field_code'],
} %}

with

persons as (
    select * from {{ ref('int_persons_as_of_periods') }}
),

definitions as (
    select * from {{ ref('indicator_definitions') }}
),

population as (
    select * from {{ ref('int_population_by_ward') }}
),

classified as materialized (
    select
        per.*,
        per.is_active and per.role_code in ('RESEARCHER', 'LECTURER') as is_rd_personnel,
        per.is_active and coalesce(per.vnqf_level, 0) >= 6
        and (per.role_code in {{ s_t_roles }} or per.science_field_code is not null) as is_st_intellectual,
        per.is_active and (
            per.role_code in {{ s_t_roles }}
            or (per.role_code = 'MANAGER' and per.employer_type_code in ('TCKHCN_CL', 'TCKHCN_NCL'))
        ) as is_st_position,
        per.is_active and coalesce(per.vnqf_level, 0) >= 6
        and per.employer_type_code in ('CQNN', 'DVSNCL', 'TCKHCN_CL', 'DH_CL') and per.age < 45 as is_public_under_45,
        per.teaching_level_code in ('PRESCHOOL', 'MN', 'MAM_NON') as teaches_preschool,
        per.teaching_level_code in ('PRIMARY', 'TH', 'TIEU_HOC', 'LOWER_SECONDARY', 'THCS') as teaches_primary_lsec,
        cast(left(per.last_trained_period, 4) as integer) as last_trained_year
    from persons as per
),

d3_baseline as (
    select coalesce(max(def.cumulative_from_year), 2025) as baseline_year
    from definitions as def
    where def.measure_code = 'D3'
),

person_measures as (
    -- one row per person, period and measure the person counts in (numerator and/or denominator)
    select
        'A1' as measure_code,
        cls.*,
        cls.is_rd_personnel and cls.vnqf_level >= 7 as in_numerator,
        false as in_denominator
    from classified as cls
    union all
    select 'A6', cls.*, cls.is_st_intellectual and cls.is_lhh_member, cls.is_st_intellectual
    from classified as cls
    union all
    select 'B1_PGS', cls.*, cls.academic_title_code in ('PGS', 'GS'), true
    from classified as cls
    where cls.is_active and cls.institution_level = 'university'
    union all
    select 'B1_TS', cls.*, cls.qualification_code in ('TS', 'TSKH'), true
    from classified as cls
    where cls.is_active and cls.institution_level = 'university'
    union all
    select 'B1_THS', cls.*, cls.qualification_code = 'THS', true
    from classified as cls
    where cls.is_active and cls.institution_level = 'university'
    union all
    select 'B2_TS', cls.*, cls.qualification_code in ('TS', 'TSKH'), true
    from classified as cls
    where cls.is_active and cls.institution_level = 'college'
    union all
    select 'B2_THS', cls.*, cls.qualification_code = 'THS', true
    from classified as cls
    where cls.is_active and cls.institution_level = 'college'
    union all
    select 'B3_PRESCHOOL', cls.*, coalesce(cls.vnqf_level, 0) >= 5, true
    from classified as cls
    where cls.is_active and cls.teaches_preschool
    union all
    select 'B3_PRIMARY_LSEC', cls.*, coalesce(cls.vnqf_level, 0) >= 6, true
    from classified as cls
    where cls.is_active and cls.teaches_primary_lsec
    union all
    select 'C1', cls.*, true, false
    from classified as cls
    where cls.is_active and cls.role_code = 'DOCTOR'
    union all
    select 'C2', cls.*, cls.qualification_code in ('CK1', 'CK2', 'BSNT', 'THS', 'TS', 'TSKH'), true
    from classified as cls
    where cls.is_active and cls.role_code = 'DOCTOR'
    union all
    select 'D1', cls.*, cls.sex_code = 'F', true
    from classified as cls
    where cls.is_st_position and cls.sex_code in ('M', 'F')
    union all
    select 'D2', cls.*, true, false
    from classified as cls
    where cls.is_active and cls.is_ethnic_minority and cls.is_trained_in_period
    union all
    select 'D3', cls.*, coalesce(cls.last_trained_year >= d3b.baseline_year, false), true
    from classified as cls cross join d3_baseline as d3b
    where cls.is_public_under_45
    union all
    select 'D4_EXPERT', cls.*, true, false
    from classified as cls
    where cls.is_st_position and (cls.academic_title_code in ('GS', 'PGS') or cls.qualification_code in ('TS', 'TSKH'))
    union all
    select 'D4_YOUNG', cls.*, true, false
    from classified as cls
    where cls.is_st_position and cls.age < 35 and cls.vnqf_level >= 7
    union all
    select 'D4_OVERSEAS', cls.*, true, false
    from classified as cls
    where cls.is_overseas and cls.status_code in ('ACTIVE', 'ABROAD')
    union all
    select 'E2', cls.*, true, false
    from classified as cls
    where cls.is_overseas and cls.status_code in ('ACTIVE', 'ABROAD')
),

coded as (
    select
        psm.measure_code,
        psm.period,
        psm.person_key,
        psm.residence_ward_code,
        coalesce(psm.sex_code, '_U') as sex_code,
        coalesce(psm.age_group, '_U') as age_group,
        coalesce(psm.sector_code, '_U') as sector_code,
        -- broad field of science (level 1) keeps ward cells large enough to publish
        coalesce(left(psm.science_field_code, 1), '_U') as science_field_code,
        coalesce(psm.in_numerator, false) as in_numerator,
        psm.in_denominator
    from person_measures as psm
    where coalesce(psm.in_numerator, false) or psm.in_denominator
),

aggregated as (
    {%- for geo_level in ['city', 'ward'] %}
        {%- set outer_loop = loop %}
        {%- for dimension, columns in dimensions.items() %}
            select
                cod.measure_code,
                cod.period,
                '{{ geo_level }}' as geo_level,
                {{ "'_T'" if geo_level == 'city' else 'cod.residence_ward_code' }} as geo_code,
                '{{ dimension }}' as breakdown,
                {%- for column in ['sex_code', 'age_group', 'sector_code', 'science_field_code'] %}
                    {{ 'cod.' ~ column if column in columns else "'_T'" }} as {{ column }},
                {%- endfor %}
                -- a person is one row per period (int_persons_as_of_periods), and each measure reads that row once, so
                -- counting rows counts persons: a count(distinct) here cost 1.3 s more at 1M rows for the same numbers
                count(*) filter (where cod.in_numerator) as numerator,
                count(*) filter (where cod.in_denominator) as person_denominator
            from coded as cod
            {%- if geo_level == 'ward' %}
                where cod.residence_ward_code is not null
            {%- endif %}
            group by all
            {{ 'union all' if not (outer_loop.last and loop.last) }}
        {%- endfor %}
    {%- endfor %}
),

wanted as (
    select agg.*, def.unit
    from aggregated as agg
    inner join definitions as def
        on agg.measure_code = def.measure_code
            and list_contains(string_split(def.geo_levels, ';'), agg.geo_level)
            and (
                agg.breakdown = 'total' or list_contains(string_split(coalesce(def.breakdowns, ''), ';'), agg.breakdown)
            )
),

final as (
    select
        wnt.measure_code,
        wnt.period,
        wnt.geo_level,
        wnt.geo_code,
        wnt.breakdown,
        wnt.sex_code,
        wnt.age_group,
        wnt.sector_code,
        wnt.science_field_code,
        cast(wnt.numerator as double) as numerator,
        cast(
            case
                when wnt.unit = 'per_10000' then pop.population when wnt.unit = 'percent' then wnt.person_denominator
            end
            as double
        ) as denominator,
        case
            when wnt.unit = 'percent' and wnt.person_denominator > 0 then 100.0 * wnt.numerator / wnt.person_denominator
            when wnt.unit = 'per_10000' and pop.population > 0 then 10000.0 * wnt.numerator / pop.population
            when wnt.unit = 'count' then cast(wnt.numerator as double)
        end as value,
        -- the people a cell is built from: the denominator of a share, the counted people otherwise
        case when wnt.unit = 'percent' then wnt.person_denominator else wnt.numerator end as cell_persons,
        case
            when wnt.unit = 'per_10000' and pop.population is null then 'no population figure for this area and year'
            when wnt.unit = 'percent' and wnt.person_denominator = 0 then 'denominator is zero'
        end as obs_note
    from wanted as wnt
    left join population as pop
        on wnt.period = pop.period and wnt.geo_level = pop.geo_level and wnt.geo_code = pop.geo_code
)

select * from final
