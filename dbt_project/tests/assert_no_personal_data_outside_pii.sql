{#
    No table of the analytics file (the raw landing tables included) may hold personal data, alone or inside a
    longer text (a message, a rejected line, a label); it all lives in the restricted store (catalog pii):
      - something that looks like a CCCD or CMND (9 or 12 digits), a phone number (0 + 9-10 digits, +84...) or an
        e-mail address, anywhere in a value (a digit run bordered by letters, as in a hash, is not one);
      - a name as landed in the restricted store (pii.raw_persons: 2-5 words, compared without case or
        punctuation) anywhere in a value.
    Scans every varchar column of every base table in the schemas dbt writes, so a new model cannot leak
    personal data unnoticed; names are looked for word by word in each distinct value with a space (only from a
    word that begins a known name), which keeps the scan to a few seconds at a million persons.
    It runs after every model and seed outside the restricted store (depends_on below; a test in
    tests/dbt/test_project_structure.py holds the list complete), so it checks this build's tables, not the last
    build's, and never lists a table that another thread of the build is replacing meanwhile.
    Views are not scanned (a view holds no data of its own, and scanning one would recompute it once per
    column): instead, no view outside the restricted store may read a relation in it, which the second part
    checks from dbt's graph without touching data.
#}
{{ config(meta={'dagster': {'ref': {'name': 'indicator_values'}}}) }}  {#- shown in Dagster as a check on indicator_values #}
-- depends_on: {{ ref('indicator_values') }}
-- depends_on: {{ ref('indicator_catalog') }}
-- depends_on: {{ ref('match_review') }}
-- depends_on: {{ ref('unmapped_values') }}
-- depends_on: {{ ref('unit_scorecard') }}
-- depends_on: {{ ref('persons') }}
-- depends_on: {{ ref('int_admin_units_versioned') }}
-- depends_on: {{ ref('dim_person') }}
-- depends_on: {{ ref('person_source_records') }}
-- depends_on: {{ ref('person_status_history') }}
-- depends_on: {{ ref('file_combination_overrides') }}
{% set schemas = ['raw', 'marts', 'quality', 'staging', 'intermediate', 'reference'] %}
{# a CCCD or CMND (9 or 12 digits) or a phone (0 or +84, then 9-10 digits) bordered by non-alphanumerics, or an e-mail #}
{% set pattern = "'(^|[^0-9A-Za-z+])(\\d{9}|\\d{12}|(\\+?84|0)\\d{9,10})($|[^0-9A-Za-z])"
    ~ "|[^@\\s]+@[^@\\s]+\\.[a-zA-Z]{2,}'" %}
{% set uuid = "'[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}'" %}
{% set checks = [] %}
{% set texts = [] %}
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
            {# a value can match only with 9+ characters: the regex runs on those alone #}
            {% set c = '"' ~ column ~ '"' %}
            {# a UUID (a run id, a warehouse id, a path holding one) is no ID, though its last group is all digits
               once in 280: a value that matches is looked at again with its UUIDs blanked (rare, so cheap) #}
            {% do counts.append(
                "count_if(case when length(" ~ c ~ ") >= 9 and regexp_matches(" ~ c ~ ", " ~ pattern ~ ") "
                ~ "then regexp_matches(regexp_replace(" ~ c ~ ", " ~ uuid ~ ", ' ', 'g'), " ~ pattern ~ ") "
                ~ "else false end) as " ~ c
            ) %}
            {% do texts.append(
                "select '" ~ table.replace('"', '') ~ "' as table_name, '" ~ column ~ "' as column_name, " ~ c
                ~ " as text_value from (select distinct " ~ c ~ " from \"" ~ table ~ "\" where contains(" ~ c ~ ", ' '))"
            ) %}
        {% endfor %}
        {% do checks.append(
            "select '" ~ table.replace('"', '') ~ "' as table_name, column_name, suspicious_values from ("
            ~ "unpivot (select " ~ counts | join(', ') ~ " from \"" ~ table ~ "\") "
            ~ "on columns(*) into name column_name value suspicious_values) where suspicious_values > 0"
        ) %}
    {% endfor %}
    {% if texts %}
        {% do checks.append(
            "select text_hits.table_name, text_hits.column_name || ': the name of a person in the restricted store', "
            ~ "count(*) from ("
            ~ "with known_names as (select distinct " ~ words_key('full_name') ~ " as name_key from "
            ~ source('restricted', 'raw_persons') ~ " where full_name like '% %'), "
            ~ "first_words as (select list(distinct split_part(name_key, ' ', 1)) as words from known_names), "
            ~ "values_seen as (" ~ texts | join(' union all ') ~ "), "
            ~ "tokens as (select table_name, column_name, string_split(" ~ words_key('text_value') ~ ", ' ') as toks "
            ~ "from values_seen), "
            ~ "grams as (select table_name, column_name, array_to_string(toks[p:p + w - 1], ' ') as gram "
            ~ "from tokens cross join first_words cross join unnest(range(1, len(toks) + 1)) as starts(p) "
            ~ "cross join unnest(range(2, 6)) as widths(w) "
            ~ "where p + w - 1 <= len(toks) and list_contains(first_words.words, toks[p])) "
            ~ "select distinct grams.table_name, grams.column_name, grams.gram from grams "
            ~ "inner join known_names on known_names.name_key = grams.gram"
            ~ ") as text_hits group by all"
        ) %}
    {% endif %}
    {% for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.materialized == 'view' and node.database != 'pii' %}
        {% for parent in node.depends_on.nodes
            if (parent in graph.nodes and graph.nodes[parent].database == 'pii')
            or (parent in graph.sources and graph.sources[parent].database == 'pii') %}
            {% do checks.append(
                "select '" ~ node.schema ~ "." ~ node.name ~ "', 'a view reading pii." ~ parent.split('.')[-1]
                ~ "', 1"
            ) %}
        {% endfor %}
    {% endfor %}
{% endif %}
{% if checks %}
{{ checks | join('\nunion all\n') }}
{% else %}
    select null as table_name, null as column_name, 0 as suspicious_values
    where false
{% endif %}
