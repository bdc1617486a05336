-- S&T enterprises and innovative start-ups (SKHCN).
with

source as (
    select * from {{ source('submissions', 'enterprises') }}
),

normalised as (
    select
        src.*,
        {{ accent_free_key('src.enterprise_type') }} as enterprise_type_key
    from source as src
),

renamed as (
    select
        trim(nrm.enterprise_name) as enterprise_name,
        {{ name_id('nrm.enterprise_name') }} as enterprise_id,
        case
            when nrm.enterprise_type_key like '%khoi nghiep%' or nrm.enterprise_type_key like '%startup%'
                or nrm.enterprise_type_key like '%start-up%' or nrm.enterprise_type_key like '%dmst%' then 'STARTUP'
            when nrm.enterprise_type_key like '%kh&cn%' or nrm.enterprise_type_key like '%khoa hoc%'
                or nrm.enterprise_type_key like '%khcn%' then 'STE'
        end as enterprise_type_code,
        nrm.enterprise_type as enterprise_type_raw,
        {{ cell_year('nrm.certified_year') }} as certified_year,
        nullif(trim(nrm.ward), '') as ward_raw,
        {{ ward_code_given('nrm.ward') }} as ward_code_given,
        {{ ward_name_key('nrm.ward') }} as ward_name_key,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('enterprises', 'nrm.') }} as required_cells_filled,
        {{ lineage_columns('nrm') }}
    from normalised as nrm
)

select * from renamed
