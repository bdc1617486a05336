-- Labour-force figures by year (CTK, annual).
with

source as (
    select * from {{ source('submissions', 'labour_force') }}
),

renamed as (
    select
        {{ cell_year('src.year') }} as report_year,
        {{ cell_count('src.labour_force') }} as labour_force,
        {{ cell_count('src.trained_certified') }} as trained_certified,
        {{ cell_count('src.it_skilled') }} as it_skilled,
        {{ cell_count('src.hightech_workforce') }} as hightech_workforce,
        {{ cell_count('src.hightech_knowledge_workers') }} as hightech_knowledge_workers,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('labour_force', 'src.') }} as required_cells_filled,
        {{ lineage_columns('src') }}
    from source as src
)

select * from renamed
