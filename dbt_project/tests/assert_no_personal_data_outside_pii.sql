{#
    No column outside schema pii (and the raw landing tables) may hold something that looks like a CCCD or CMND
    (9 or 12 digits), a phone number (0 + 9-10 digits, +84...) or an e-mail address. Scans every varchar
    column of every table in the schemas dbt writes, so a new model cannot leak personal data unnoticed.
#}
{% set schemas = ['marts', 'quality', 'staging', 'intermediate', 'reference'] %}
{% if execute %}
    {% set columns = run_query(
        "select table_schema, table_name, column_name from information_schema.columns
         where table_schema in ('" ~ schemas | join("', '") ~ "') and data_type = 'VARCHAR'
           and table_catalog = current_database()"
    ) %}
{% endif %}
{% if execute and columns.rows | length > 0 %}
    {% for row in columns.rows %}
select
    '{{ row[0] }}.{{ row[1] }}' as table_name,
    '{{ row[2] }}' as column_name,
    count(*) as suspicious_values
from "{{ row[0] }}"."{{ row[1] }}"
where regexp_full_match(trim("{{ row[2] }}"), '\d{9}|\d{12}|(\+?84|0)\d{9,10}|[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}')
having count(*) > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% else %}
select null as table_name, null as column_name, 0 as suspicious_values where false
{% endif %}
