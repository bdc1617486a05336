{#
    What the staging models of the submitted registers (stg_submissions__*) read alike, each rule written once: the
    lineage they pass through and the kinds of cell they share. The loader keeps every cell as written (text).
#}

{#
    The lineage a staging model passes through as loaded, columns of `alias` (the raw row's CTE alias): the file,
    sheet and row the values came from, the unit and period that sent them, the file's hash and load time (the
    loader's lineage columns, ingest/datasets.py LINEAGE_COLUMNS). stg_submissions__persons writes its own: a missing
    sheet as '', the row as an integer, and a record_id.
#}
{% macro lineage_columns(alias) -%}
    {%- for column in ['source_file', 'sheet_name', 'source_row', 'unit_code', 'unit_kind', 'period', 'file_sha256',
                       'ingested_at'] -%}
        {{ alias }}.{{ column }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#
    A year written in a cell ('2024', 'Năm 2024', '2024.0', '12/2024'): the first 19xx or 20xx in it, an integer;
    null when there is none.
#}
{% macro cell_year(expr) -%}
    try_cast(regexp_extract({{ expr }}, '((19|20)\d{2})', 1) as integer)
{%- endmacro %}

{#
    A count written in a cell (a population, a staff total, a number of programmes): a whole number, so every space,
    dot and comma is a thousands separator ('1.234', '1,234', '1 234') and is dropped; a bigint, null when the cell
    is empty or what is left is not a number. Amounts with decimals follow another rule (stg_submissions__budgets).
#}
{% macro cell_count(expr) -%}
    try_cast(nullif(regexp_replace(trim({{ expr }}), '[\s.,]', '', 'g'), '') as bigint)
{%- endmacro %}

{#
    A ward cell that gives the ward's 5-digit code rather than its name: the code, without the white space around it
    (spaces, tabs, line breaks); null otherwise (a name is matched by its ward_name_key). Both are resolved through
    int_ward_lookup.
#}
{% macro ward_code_given(expr) -%}
    case when regexp_full_match({{ expr }}, '\s*\d{5}\s*') then regexp_extract({{ expr }}, '\d{5}') end
{%- endmacro %}
