{#
    No table outside schema pii (and the raw landing tables) may hold something that looks like a CCCD or CMND
    (9 or 12 digits), a phone number (0 + 9-10 digits, +84...) or an e-mail address. Scans every varchar
    column of every base table in the schemas dbt writes, so a new model cannot leak personal data unnoticed.
    It runs after the last models (depends_on below), so it checks this build's tables, not the last build's.
    Views are not scanned (a view holds no data of its own, and scanning one would recompute it once per
    column): instead, no view outside pii may read a relation in pii, which the second part checks from dbt's
    graph without touching data.
#}
-- depends_on: {{ ref('indicator_values') }}
-- depends_on: {{ ref('indicator_catalog') }}
-- depends_on: {{ ref('match_review') }}
-- depends_on: {{ ref('unmapped_values') }}
-- depends_on: {{ ref('unit_scorecard') }}
-- depends_on: {{ ref('persons') }}
-- depends_on: {{ ref('int_admin_units_versioned') }}
{% set schemas = ['marts', 'quality', 'staging', 'intermediate', 'reference'] %}
{% set checks = [] %}
{% if execute %}
    {% set columns = run_query(
        "select c.table_schema, c.table_name, c.column_name
         from information_schema.columns as c
         inner join information_schema.tables as t
             on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema
             and t.table_name = c.table_name
         where c.table_schema in ('" ~ schemas | join("', '") ~ "') and c.data_type = 'VARCHAR'
           and t.table_type = 'BASE TABLE' and c.table_catalog = current_database()"
    ) %}
    {# one scan per table (every column counted in it), not one per column #}
    {% set by_table = {} %}
    {% for row in columns.rows %}
        {% do by_table.setdefault(row[0] ~ '"."' ~ row[1], []).append(row[2]) %}
    {% endfor %}
    {% for table, table_columns in by_table.items() %}
        {% set counts = [] %}
        {% for column in table_columns %}
            {# a value can match only with 9-13 characters, an '@' or padding: the regex runs on those alone #}
            {% set c = '"' ~ column ~ '"' %}
            {% do counts.append(
                "count_if(case when length(" ~ c ~ ") between 9 and 13 or contains(" ~ c ~ ", '@') "
                ~ "or starts_with(" ~ c ~ ", ' ') or ends_with(" ~ c ~ ", ' ') then regexp_full_match(trim(" ~ c ~ "), "
                ~ "'\\d{9}|\\d{12}|(\\+?84|0)\\d{9,10}|[^@\\s]+@[^@\\s]+\\.[a-zA-Z]{2,}') else false end) as " ~ c
            ) %}
        {% endfor %}
        {% do checks.append(
            "select '" ~ table.replace('"', '') ~ "' as table_name, column_name, suspicious_values from ("
            ~ "unpivot (select " ~ counts | join(', ') ~ " from \"" ~ table ~ "\") "
            ~ "on columns(*) into name column_name value suspicious_values) where suspicious_values > 0"
        ) %}
    {% endfor %}
    {% for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.materialized == 'view' and node.schema != 'pii' %}
        {% for parent in node.depends_on.nodes if parent in graph.nodes and graph.nodes[parent].schema == 'pii' %}
            {% do checks.append(
                "select '" ~ node.schema ~ "." ~ node.name ~ "', 'a view reading pii." ~ graph.nodes[parent].name
                ~ "', 1"
            ) %}
        {% endfor %}
    {% endfor %}
{% endif %}
{% if checks %}
{{ checks | join('\nunion all\n') }}
{% else %}
select null as table_name, null as column_name, 0 as suspicious_values where false
{% endif %}
