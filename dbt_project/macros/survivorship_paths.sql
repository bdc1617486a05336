{#
    Most people are reported once. The survivorship models copy a person with one record instead of grouping a
    group of one (about a third of their time at a million persons): one path for person_record_count = 1, one
    for the others. var('single_record_shortcut', true) = false sends everyone through the grouping path, so
    tests/dbt/test_survivorship_paths.py can prove both paths give the same rows: a rule added to the grouping
    path alone would change what a person with one record gets, and that test fails.
#}
{% macro several_records_path() -%}
    {%- if var('single_record_shortcut', true) -%} person_record_count is distinct from 1 {%- else -%} true {%- endif -%}
{%- endmacro %}

{% macro one_record_path() -%}
    {%- if var('single_record_shortcut', true) -%} person_record_count = 1 {%- else -%} false {%- endif -%}
{%- endmacro %}
