-- Population by ward and year (CTK). Ward is given as a name or a code; it is resolved in intermediate.
with

source as (
    select * from {{ source('submissions', 'population') }}
),

renamed as (
    select
        trim(src.ward) as ward_raw,
        {{ ward_code_given('src.ward') }} as ward_code_given,
        -- name without the unit-type prefix, accents and case, for matching the admin-unit list
        {{ ward_name_key('src.ward') }} as ward_name_key,
        {{ cell_year('src.year') }} as population_year,
        {{ cell_count('src.population') }} as population_total,
        {{ cell_count('src.population_male') }} as population_male,
        {{ cell_count('src.population_female') }} as population_female,
        src.population as population_raw,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('population', 'src.') }} as required_cells_filled,
        {{ lineage_columns('src') }}
    from source as src
)

select * from renamed
