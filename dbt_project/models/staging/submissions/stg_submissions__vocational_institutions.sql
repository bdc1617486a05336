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
        lower(
            strip_accents(
                replace(replace(regexp_replace(trim(nrm.institution_name), '\s+', ' ', 'g'), 'đ', 'd'), 'Đ', 'D')
            )
        ) as institution_id,
        try_cast(regexp_extract(nrm.year, '((19|20)\d{2})', 1) as integer) as report_year,
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
        try_cast(nullif(regexp_replace(trim(nrm.key_programmes), '[\s.,]', '', 'g'), '') as bigint) as key_programmes,
        try_cast(nullif(regexp_replace(trim(nrm.key_programmes_accredited), '[\s.,]', '', 'g'), '') as bigint)
            as key_programmes_accredited,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('vocational', 'nrm.') }} as required_cells_filled,
        nrm.source_file,
        nrm.sheet_name,
        nrm.source_row,
        nrm.unit_code,
        nrm.unit_kind,
        nrm.period,
        nrm.file_sha256,
        nrm.ingested_at
    from normalised as nrm
)

select * from renamed
