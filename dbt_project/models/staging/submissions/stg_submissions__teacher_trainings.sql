-- Teachers and education managers trained in digital competence, by education level (SGDDT, annual).
with

source as (
    select * from {{ source('submissions', 'teacher_training') }}
),

renamed as (
    select
        trim(src.education_level) as education_level_raw,
        {{ accent_free_key('src.education_level') }} as education_level_key,
        try_cast(regexp_extract(src.year, '((19|20)\d{2})', 1) as integer) as report_year,
        try_cast(nullif(regexp_replace(trim(src.staff_total), '[\s.,]', '', 'g'), '') as bigint) as staff_total,
        try_cast(nullif(regexp_replace(trim(src.digital_trained), '[\s.,]', '', 'g'), '') as bigint) as digital_trained,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('teacher_training', 'src.') }} as required_cells_filled,
        src.source_file,
        src.sheet_name,
        src.source_row,
        src.unit_code,
        src.unit_kind,
        src.period,
        src.file_sha256,
        src.ingested_at
    from source as src
)

select * from renamed
