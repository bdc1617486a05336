-- The published indicator catalogue: one row per measure of the city plan (BRIEF.md A1..E2).
with

definitions as (
    select * from {{ ref('indicator_definitions') }}
),

final as (
    select
        cast(def.indicator_code as varchar) as indicator_code,
        cast(def.measure_code as varchar) as measure_code,
        cast(def.group_code as varchar) as group_code,
        cast(def.group_name_vi as varchar) as group_name_vi,
        cast(def.group_name_en as varchar) as group_name_en,
        cast(def.name_vi as varchar) as name_vi,
        cast(def.name_en as varchar) as name_en,
        cast(def.unit as varchar) as unit,
        cast(def.unit_vi as varchar) as unit_vi,
        cast(def.formula_vi as varchar) as formula_vi,
        cast(def.formula_en as varchar) as formula_en,
        cast(def.numerator_en as varchar) as numerator_definition,
        cast(def.denominator_en as varchar) as denominator_definition,
        cast(def.definition_note as varchar) as definition_note,
        cast(def.target_2030 as double) as target_2030,
        cast(def.target_2030_high as double) as target_2030_high,
        cast(def.target_2030_text as varchar) as target_2030_text,
        cast(def.target_2045 as double) as target_2045,
        cast(def.target_2045_text as varchar) as target_2045_text,
        cast(def.direction as varchar) as direction,
        cast(def.target_kind as varchar) as target_kind,
        cast(def.frequency as varchar) as frequency,
        cast(def.source_datasets as varchar) as source,
        cast(def.source_units as varchar) as source_units,
        cast(def.geo_levels as varchar) as geo_levels,
        cast(def.breakdowns as varchar) as breakdowns,
        cast(def.cumulative_from_year as integer) as cumulative_from_year,
        cast(def.suppression_scope as varchar) as suppression_scope,
        cast(def.sort_order as integer) as sort_order
    from definitions as def
)

select * from final
