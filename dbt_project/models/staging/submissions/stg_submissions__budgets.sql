-- City budget spending and S&T spending by year (STC), million VND.
{#- Amounts may be written 1.234.567,5 (Vietnamese), 1,234,567.5 (English) or 1234567.5. #}
{%- set amount_template -%}
    case
        when regexp_full_match(regexp_replace(trim(COLUMN), '\s', '', 'g'), '-?\d{1,3}(\.\d{3})+(,\d+)?')
            then try_cast(replace(replace(regexp_replace(trim(COLUMN), '\s', '', 'g'), '.', ''), ',', '.') as double)
        when regexp_full_match(regexp_replace(trim(COLUMN), '\s', '', 'g'), '-?\d{1,3}(,\d{3})+(\.\d+)?')
            then try_cast(replace(regexp_replace(trim(COLUMN), '\s', '', 'g'), ',', '') as double)
        else try_cast(replace(regexp_replace(trim(COLUMN), '\s', '', 'g'), ',', '.') as double)
    end
{%- endset %}

with

source as (
    select * from {{ source('submissions', 'budget') }}
),

renamed as (
    select
        {{ cell_year('src.year') }} as budget_year,
        {{ amount_template | replace('COLUMN', 'src.budget_spending') }} as budget_spending_mvnd,
        {{ amount_template | replace('COLUMN', 'src.st_spending') }} as st_spending_mvnd,
        src.budget_spending as budget_spending_raw,
        src.st_spending as st_spending_raw,
        -- the required cells this row fills (var required_fields), for the unit scorecard
        {{ required_cells_filled('budget', 'src.') }} as required_cells_filled,
        {{ lineage_columns('src') }}
    from source as src
)

select * from renamed
