{# Input values no code list knows: one row per code list and written value, with a count and an example row. #}

with

issues as (

    select * from {{ ref('int_persons_value_issues') }}
    where issue_code = 'unmapped_value'

),

final as (

    select
        code_list,
        column_name,
        raw_value,
        value_key,
        count(*)::integer as row_count,
        count(distinct unit_code)::integer as unit_count,
        first(source_file order by period, source_file, sheet_name, source_row) as example_source_file,
        first(sheet_name order by period, source_file, sheet_name, source_row) as example_sheet_name,
        first(source_row order by period, source_file, sheet_name, source_row) as example_source_row,
        min(period) as first_period,
        max(period) as last_period
    from issues
    group by code_list, column_name, raw_value, value_key

)

select * from final
