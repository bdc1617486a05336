-- Population by ward and year (CTK). Ward is given as a name or a code; it is resolved in intermediate.
with

source as (
    select * from {{ source('submissions', 'population') }}
),

renamed as (
    select
        trim(src.ward) as ward_raw,
        case when regexp_full_match(trim(src.ward), '\d{5}') then trim(src.ward) end as ward_code_given,
        -- name without the unit-type prefix, accents and case, for matching the admin-unit list
        {{ ward_name_key('src.ward') }} as ward_name_key,
        try_cast(regexp_extract(src.year, '((19|20)\d{2})', 1) as integer) as population_year,
        try_cast(nullif(regexp_replace(trim(src.population), '[\s.,]', '', 'g'), '') as bigint) as population_total,
        try_cast(nullif(regexp_replace(trim(src.population_male), '[\s.,]', '', 'g'), '') as bigint) as population_male,
        try_cast(nullif(regexp_replace(trim(src.population_female), '[\s.,]', '', 'g'), '') as bigint)
            as population_female,
        src.population as population_raw,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('population', 'src.') }} as required_cells_filled,
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
