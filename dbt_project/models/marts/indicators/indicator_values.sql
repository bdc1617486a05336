-- The index: every measure x period x area x breakdown with target, gap, status and SDMX flags.
-- A measure the data cannot support in a period still gets its city row, with obs_status 'M' and a note.
with

cells as (
    select * from {{ ref('int_indicator_cells_disclosed') }}
),

definitions as (
    select * from {{ ref('indicator_definitions') }}
),

periods as (
    select * from {{ ref('int_reporting_periods') }}
),

completeness as (
    select * from {{ ref('int_indicator_completeness') }}
),

scaffold as (
    -- the city total of every measure in every period, so a missing measure is visible
    select
        def.measure_code,
        prd.period,
        'city' as geo_level,
        '_T' as geo_code,
        'total' as breakdown,
        '_T' as sex_code,
        '_T' as age_group,
        '_T' as sector_code,
        '_T' as science_field_code,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        cast(null as double) as value,
        cast(null as bigint) as cell_persons,
        case
            when def.frequency = 'annual' and not prd.is_annual then 'annual indicator: measured in H2 periods'
            else 'no source data for this measure in this period'
        end as obs_note,
        'F' as conf_status
    from definitions as def
    cross join periods as prd
),

all_cells as (
    select * from cells
    union all by name
    select scf.*
    from scaffold as scf
    anti join cells as cel
        on scf.measure_code = cel.measure_code and scf.period = cel.period
            and cel.geo_level = 'city' and cel.breakdown = 'total'
),

published as (
    select
        alc.*,
        def.indicator_code,
        def.unit,
        def.target_kind,
        def.target_2030,
        def.target_2030_high,
        prd.period_time,
        -- suppressed cells publish neither the value nor the people it counts
        case when alc.conf_status = 'F' then alc.value end as published_value,
        case when alc.conf_status = 'F' then alc.numerator end as published_numerator,
        case when alc.conf_status = 'F' or def.unit <> 'percent' then alc.denominator end as published_denominator
    from all_cells as alc
    inner join definitions as def on alc.measure_code = def.measure_code
    inner join periods as prd on alc.period = prd.period
),

series as (
    select
        pub.*,
        min(pub.period_time) filter (where pub.published_value is not null) over series_window as first_time,
        arg_min(pub.published_value, pub.period_time) filter (where pub.published_value is not null) over series_window
            as first_value,
        lag(pub.published_value) over (series_window order by pub.period_time) as previous_value
    from published as pub
    window series_window as (
        partition by
            pub.measure_code, pub.geo_level, pub.geo_code, pub.breakdown,
            pub.sex_code, pub.age_group, pub.sector_code, pub.science_field_code
    )
),

assessed as (
    select
        ser.*,
        case
            when ser.published_value is null then null
            when ser.target_kind = 'none' or ser.target_2030 is null then 'no_target'
            when ser.published_value >= ser.target_2030 then 'achieved'
            when ser.target_kind = 'every_year' then 'off_track'
            when ser.period_time <= ser.first_time then 'on_track'
            -- straight line from the first measured period to the target at the end of 2030
            when ser.published_value + 1e-9 >= ser.first_value
                + (ser.target_2030 - ser.first_value) * (ser.period_time - ser.first_time) / (2030.5 - ser.first_time)
                then 'on_track'
            else 'off_track'
        end as status
    from series as ser
),

final as (
    select
        cast(ase.indicator_code as varchar) as indicator_code,
        cast(ase.measure_code as varchar) as measure_code,
        cast(ase.period as varchar) as period,
        cast(ase.geo_level as varchar) as geo_level,
        cast(ase.geo_code as varchar) as geo_code,
        cast(ase.breakdown as varchar) as breakdown,
        cast(ase.sex_code as varchar) as sex_code,
        cast(ase.age_group as varchar) as age_group,
        cast(ase.sector_code as varchar) as sector_code,
        cast(ase.science_field_code as varchar) as science_field_code,
        cast(ase.unit as varchar) as unit,
        cast(ase.published_numerator as double) as numerator,
        cast(ase.published_denominator as double) as denominator,
        cast(round(ase.published_value, 4) as double) as value,
        cast(ase.target_2030 as double) as target_2030,
        cast(ase.target_2030_high as double) as target_2030_high,
        cast(round(ase.target_2030 - ase.published_value, 4) as double) as gap_2030,
        cast(ase.status as varchar) as status,
        cast(round(ase.published_value - ase.previous_value, 4) as double) as change_from_previous,
        cast(cmp.completeness as double) as completeness,
        cast(cmp.units_expected as integer) as units_expected,
        cast(cmp.units_received as integer) as units_received,
        cast(case
            when ase.value is null and ase.conf_status = 'F' then 'M'
            when cmp.completeness < 1 then 'P'
            else 'A'
        end as varchar) as obs_status,
        cast(ase.conf_status as varchar) as conf_status,
        cast(ase.obs_note as varchar) as obs_note
    from assessed as ase
    left join completeness as cmp on ase.measure_code = cmp.measure_code and ase.period = cmp.period
)

select * from final
