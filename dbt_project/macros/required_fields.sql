{#
    What a unit must fill in a dataset (var required_fields in dbt_project.yml, the one definition; ingest/datasets.py
    reads the same var): each required field with the fields that fill it as well.
#}
{% macro required_fields(dataset) -%}
    {{ return(var('required_fields')[dataset]) }}
{%- endmacro %}

{# How many required cells one row of `dataset` has. #}
{% macro required_cell_count(dataset) -%}
    {{ return(required_fields(dataset) | length) }}
{%- endmacro %}

{#
    How many of a raw row's required cells are filled (an integer): a cell counts when the field, or the first of
    its alternatives that is not null, holds more than spaces. `prefix` qualifies the raw columns ('src.').
#}
{% macro required_cells_filled(dataset, prefix='') -%}
    (0
    {%- for field, alternatives in required_fields(dataset).items() %}
        + (nullif(trim(cast(
            {%- if alternatives %} coalesce({{ prefix }}{{ field }}{% for alternative in alternatives %}, {{ prefix }}{{ alternative }}{% endfor %})
            {%- else %} {{ prefix }}{{ field }}{% endif %} as varchar)), '') is not null)::integer
    {%- endfor %})
{%- endmacro %}
