-- Patent and utility-solution applications and grants (SKHCN).
with

source as (
    select * from {{ source('submissions', 'patents') }}
),

normalised as (
    select
        src.*,
        {{ accent_free_key('src.ip_type') }} as ip_type_key
    from source as src
),

renamed as (
    select
        upper(regexp_replace(trim(nrm.application_number), '\s', '', 'g')) as application_number,
        case
            when nrm.ip_type_key like '%giai phap huu ich%'
                or nrm.ip_type_key in ('gphi', 'utility', 'utility model', 'utility solution')
                then 'UTILITY'
            when nrm.ip_type_key like '%sang che%' or nrm.ip_type_key in ('sc', 'patent', 'invention')
                then 'INVENTION'
        end as ip_type_code,
        nrm.ip_type as ip_type_raw,
        nullif(trim(nrm.applicant), '') as applicant,
        {{ cell_year('nrm.filing_year') }} as filing_year,
        {{ cell_year('nrm.grant_year') }} as grant_year,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('patents', 'nrm.') }} as required_cells_filled,
        {{ lineage_columns('nrm') }}
    from normalised as nrm
)

select * from renamed
