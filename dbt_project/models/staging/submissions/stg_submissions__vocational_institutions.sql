-- Vocational institutions, their key programmes and accreditation (SGDDT, annual).
with

source as (
    select * from {{ source('submissions', 'vocational') }}
),

normalised as (
    select
        src.*,
        {{ accent_free_key('src.is_accredited') }} as is_accredited_key
    from source as src
),

renamed as (
    select
        trim(nrm.institution_name) as institution_name,
        {{ name_id('nrm.institution_name') }} as institution_id,
        {{ cell_year('nrm.year') }} as report_year,
        case
            when nrm.is_accredited_key in ('0', 'no', 'n', 'false', '-')
                or nrm.is_accredited_key like 'chua%' or nrm.is_accredited_key like 'khong%' then false
            when nrm.is_accredited_key in ('x', '1', 'yes', 'y', 'true', 'co', 'dat', 'da')
                or nrm.is_accredited_key like 'da %'
                or nrm.is_accredited_key like 'dat%'
                or nrm.is_accredited_key like 'co %'
                then true
        end as is_accredited,
        nrm.is_accredited as is_accredited_raw,
        {{ cell_count('nrm.key_programmes') }} as key_programmes,
        {{ cell_count('nrm.key_programmes_accredited') }} as key_programmes_accredited,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('vocational', 'nrm.') }} as required_cells_filled,
        {{ lineage_columns('nrm') }}
    from normalised as nrm
)

select * from renamed
