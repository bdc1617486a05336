-- Labour-force figures by year (CTK, annual).
with

source as (
    select * from {{ source('submissions', 'labour_force') }}
),

renamed as (
    select
        try_cast(regexp_extract(src.year, '((19|20)\d{2})', 1) as integer) as report_year,
        try_cast(nullif(regexp_replace(trim(src.labour_force), '[\s.,]', '', 'g'), '') as bigint) as labour_force,
        try_cast(nullif(regexp_replace(trim(src.trained_certified), '[\s.,]', '', 'g'), '') as bigint)
            as trained_certified,
        try_cast(nullif(regexp_replace(trim(src.it_skilled), '[\s.,]', '', 'g'), '') as bigint) as it_skilled,
        try_cast(nullif(regexp_replace(trim(src.hightech_workforce), '[\s.,]', '', 'g'), '') as bigint)
            as hightech_workforce,
        try_cast(nullif(regexp_replace(trim(src.hightech_knowledge_workers), '[\s.,]', '', 'g'), '') as bigint)
            as hightech_knowledge_workers,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('labour_force', 'src.') }} as required_cells_filled,
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
