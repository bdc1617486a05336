{#
    Rows the loader rejected or flagged while reading files (quality.ingest_row_issues), before encoding: where
    (file, sheet, row, column), the value as read, the issue and its message. Personal values are masked where
    they are published (quality.row_issues).
#}
with

source as (

    select * from {{ source('ingest', 'ingest_row_issues') }}

),

renamed as (

    select
        source_file,
        sheet_name,
        source_row::integer as source_row,
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
        file_sha256

    from source

)

select * from renamed
