-- S&T tasks accepted (nghiệm thu) and whether they were applied (SKHCN).
with

source as (
    select * from {{ source('submissions', 'st_tasks') }}
),

normalised as (
    select
        src.*,
        {{ accent_free_key('src.is_applied') }} as is_applied_key,
        {{ accent_free_key('src.task_level') }} as task_level_key
    from source as src
),

renamed as (
    select
        nullif(trim(nrm.task_code), '') as task_code,
        trim(nrm.task_name) as task_name,
        -- one task across files: its code, else its name without case and accents
        coalesce(nullif(upper(trim(nrm.task_code)), ''), {{ accent_free_key('nrm.task_name') }}) as task_id,
        case
            when nrm.task_level_key like '%quoc gia%' or nrm.task_level_key like '%nha nuoc%' then 'NAT'
            when nrm.task_level_key like '%bo%' then 'MIN'
            when nrm.task_level_key like '%tinh%' or nrm.task_level_key like '%thanh pho%' then 'CITY'
            when nrm.task_level_key like '%co so%' then 'BASE'
        end as task_level_code,
        nrm.task_level as task_level_raw,
        nullif(trim(nrm.science_field), '') as science_field_raw,
        nullif(trim(nrm.lead_organisation), '') as lead_organisation,
        {{ cell_year('nrm.accepted_year') }} as accepted_year,
        case
            when nrm.is_applied_key in ('0', 'no', 'n', 'false', '-')
                or nrm.is_applied_key like 'chua%' or nrm.is_applied_key like 'khong%' then false
            when nrm.is_applied_key in ('x', '1', 'yes', 'y', 'true', 'co', 'da')
                or nrm.is_applied_key like 'da %' or nrm.is_applied_key like 'co %' then true
        end as is_applied,
        nrm.is_applied as is_applied_raw,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('st_tasks', 'nrm.') }} as required_cells_filled,
        {{ lineage_columns('nrm') }}
    from normalised as nrm
)

select * from renamed
