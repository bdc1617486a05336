{#
    on-run-start: a model that now lives elsewhere (the working relations moved from the restricted store's schema
    main to its schema working) leaves its old relation behind in a warehouse built before the move; dbt never
    drops it. Drop those leftovers from pii.main, so that schema holds
    only what is published as restricted (pii.persons) beside the loader's tables. Only relations named after a
    model of this project that is configured somewhere else are dropped.
#}
{% macro drop_moved_relations(catalog='pii', schema='main') %}
    {% if execute %}
        {% set moved = [] %}
        {% for node in graph.nodes.values()
            if node.resource_type in ('model', 'seed') and not (node.database == catalog and node.schema == schema) %}
            {% do moved.append(node.alias or node.name) %}
        {% endfor %}
        {% if moved %}
            {% set found = run_query(
                "select table_name, table_type from information_schema.tables where table_catalog = '" ~ catalog
                ~ "' and table_schema = '" ~ schema ~ "' and table_name in ('" ~ moved | join("', '") ~ "')"
            ) %}
            {% for row in found.rows %}
                {% do log('dropping ' ~ catalog ~ '.' ~ schema ~ '.' ~ row[0] ~ ': the model lives elsewhere now', info=true) %}
                {% do run_query('drop ' ~ ('view' if row[1] == 'VIEW' else 'table') ~ ' if exists "' ~ catalog ~ '"."'
                    ~ schema ~ '"."' ~ row[0] ~ '"') %}
            {% endfor %}
        {% endif %}
    {% endif %}
{% endmacro %}
