{#
    Every problem with an input row, for quality officers: what ingestion found (quality.ingest_row_issues through
    stg_ingest__row_issues, personal values masked to their shape) and what encoding found
    (int_persons_value_issues).
#}

{% set personal_columns = [
    'full_name', 'cccd', 'phone', 'email', 'birth_date', 'birth_year_male', 'birth_year_female'
] %}

with

ingest_issues as (

    select * from {{ ref('stg_ingest__row_issues') }}

),

encoding_issues as (

    select * from {{ ref('int_persons_value_issues') }}

),

unioned as (

    select
        source_file,
        sheet_name,
        source_row::integer as source_row,
        column_name,
        case
            when column_name in (
                    {%- for column in personal_columns %}
                        '{{ column }}'{{ ',' if not loop.last }}
                    {%- endfor %}
                )
                then regexp_replace(regexp_replace(raw_value, '\d', '#', 'g'), '[^#/.\-\s]', '*', 'g')
            else raw_value
        end as raw_value,
        issue_code,
        severity,
        message_vi,
        message_en,
        unit_code,
        unit_kind,
        period,
        dataset,
        file_sha256,
        'ingest' as stage
    from ingest_issues
    union all
    select
        source_file,
        sheet_name,
        source_row,
        column_name,
        raw_value,
        issue_code,
        severity,
        message_vi,
        message_en,
        unit_code,
        unit_kind,
        period,
        dataset,
        file_sha256,
        'encode' as stage
    from encoding_issues

),

final as (

    select * from unioned

)

select * from final
