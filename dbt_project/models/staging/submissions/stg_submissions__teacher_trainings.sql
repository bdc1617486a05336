-- Teachers and education managers trained in digital competence, by education level (SGDDT, annual).
with

source as (
    select * from {{ source('submissions', 'teacher_training') }}
),

renamed as (
    select
        trim(src.education_level) as education_level_raw,
        {{ accent_free_key('src.education_level') }} as education_level_key,
        {{ cell_year('src.year') }} as report_year,
        {{ cell_count('src.staff_total') }} as staff_total,
        {{ cell_count('src.digital_trained') }} as digital_trained,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('teacher_training', 'src.') }} as required_cells_filled,
        {{ lineage_columns('src') }}
    from source as src
)

select * from renamed
