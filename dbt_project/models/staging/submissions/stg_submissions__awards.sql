-- S&T and innovation awards won (SKHCN).
with

source as (
    select * from {{ source('submissions', 'awards') }}
),

normalised as (
    select
        src.*,
        {{ accent_free_key('src.award_level') }} as award_level_key
    from source as src
),

renamed as (
    select
        trim(nrm.award_name) as award_name,
        -- one award across files: name, year and recipient without case and accents
        {{ accent_free_key('nrm.award_name') }} || '|' || coalesce({{ cell_year('nrm.year') }}::varchar, '')
        || '|' || coalesce({{ accent_free_key('nrm.recipient') }}, '') as award_id,
        case
            when nrm.award_level_key like '%quoc te%' or nrm.award_level_key in ('international', 'int') then 'INT'
            when nrm.award_level_key like '%khu vuc%'
                or nrm.award_level_key like '%asean%'
                or nrm.award_level_key = 'regional'
                then 'REG'
            when nrm.award_level_key like '%quoc gia%'
                or nrm.award_level_key like '%toan quoc%'
                or nrm.award_level_key = 'national'
                then 'NAT'
            when nrm.award_level_key like '%tinh%' or nrm.award_level_key like '%thanh pho%' then 'CITY'
        end as award_level_code,
        nrm.award_level as award_level_raw,
        {{ cell_year('nrm.year') }} as award_year,
        nullif(trim(nrm.recipient), '') as recipient,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('awards', 'nrm.') }} as required_cells_filled,
        {{ lineage_columns('nrm') }}
    from normalised as nrm
)

select * from renamed
