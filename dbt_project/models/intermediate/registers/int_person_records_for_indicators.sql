{#-
    The one place that reads the person marts' per-row records for the indicators. Columns the person
    marts may not (yet) carry are read when present and are null otherwise, so a missing attribute shows up
    as an indicator without data (obs_status 'M'), never as a failed build or a made-up number.
-#}
{# a view: its one reader (int_persons_as_of_periods, itself a view read once) scans it once; a table copy of 1M rows only cost time #}
{{ config(materialized='view') }}
{%- set wanted = {
    'sex_code': 'varchar', 'birth_year': 'integer', 'ethnicity_code': 'varchar', 'is_ethnic_minority': 'boolean',
    'qualification_code': 'varchar', 'academic_title_code': 'varchar', 'science_field_code': 'varchar',
    'occupation_code': 'varchar', 'sector_code': 'varchar', 'employer_type_code': 'varchar', 'role_code': 'varchar',
    'residence_ward_code': 'varchar', 'status_code': 'varchar', 'is_overseas': 'boolean', 'is_lhh_member': 'boolean',
    'teaching_level_code': 'varchar', 'is_trained': 'boolean', 'is_digital_trained': 'boolean'
} -%}
{%- set present = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('person_source_records')) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
{%- endif -%}

with

person_source_records as (
    select * from {{ ref('person_source_records') }}
),

final as (
    select
        psr.person_key,
        psr.period,
        psr.unit_code,
        psr.source_file,
        psr.sheet_name,
        psr.source_row,
        {%- for column_name, column_type in wanted.items() %}
        {% if column_name in present -%}
        cast(psr.{{ column_name }} as {{ column_type }})
        {%- else -%}
        cast(null as {{ column_type }})
        {%- endif %} as {{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from person_source_records as psr
    where psr.person_key is not null
)

select * from final
