{#
    A raw table's rows as sent: raw.<dataset> of the analytics file joined to its personal fields, which only the
    restricted store holds (source restricted.raw_<dataset>, keyed by the raw row's id). The same join as
    ingest.datasets.as_sent_sql. It calls source(): only for staging models (stg_submissions__persons, a view in
    the restricted store; a view outside it may not read it: assert_no_personal_data_outside_pii).
#}
{% macro raw_as_sent(dataset) -%}
{%- set personal = personal_fields(dataset) -%}
{%- if personal -%}
    select
        raw_row.*,
        {%- for column in personal %}
        personal.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source('submissions', dataset) }} as raw_row
    left join {{ source('restricted', 'raw_' ~ dataset) }} as personal
        on raw_row.source_file = personal.source_file
        and raw_row.file_sha256 = personal.file_sha256
        and raw_row.sheet_name is not distinct from personal.sheet_name
        and raw_row.source_row = personal.source_row
{%- else -%}
    select * from {{ source('submissions', dataset) }}
{%- endif -%}
{%- endmacro %}

{# The personal fields of a dataset: var personal_fields (dbt_project.yml), tested equal to ingest/datasets.py. #}
{% macro personal_fields(dataset) -%}
    {{ return(var('personal_fields').get(dataset, [])) }}
{%- endmacro %}
