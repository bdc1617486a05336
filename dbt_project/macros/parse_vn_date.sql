{#
    Dates as units write them, in the order tried:
      dd/mm/yyyy, d-m-yyyy, d.m.yyyy (day first, Vietnamese usage)     -> precision 'day'
      yyyy-mm-dd, yyyy/mm/dd (ISO; an optional time part is ignored)   -> 'day'
      Excel serial number kept as text ('31124', '31124.0')            -> 'day' (1900 date system)
      mm/yyyy, m-yyyy                                                  -> 'month' (first of the month)
      yyyy                                                             -> 'year' (1 January)
    Anything else -> null date and null precision (the row gets an 'unparseable date' issue).
    `expr` should already be trimmed text.
#}
{% macro parse_vn_date(expr) -%}
    case
        when regexp_full_match({{ expr }}, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
            then try_strptime(regexp_replace({{ expr }}, '[.-]', '/', 'g'), '%d/%m/%Y')::date
        when regexp_full_match({{ expr }}, '\d{4}[/-]\d{1,2}[/-]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?')
            then try_strptime(regexp_extract({{ expr }}, '^(\d{4}[/-]\d{1,2}[/-]\d{1,2})', 1).replace('/', '-'), '%Y-%m-%d')::date
        when regexp_full_match({{ expr }}, '\d{4,5}(\.0+)?')
             and try_cast(regexp_extract({{ expr }}, '^(\d+)', 1) as integer) between 2 and 73050
             and not regexp_full_match({{ expr }}, '(19|20)\d{2}')
            then (date '1899-12-30' + try_cast(regexp_extract({{ expr }}, '^(\d+)', 1) as integer))::date
        when regexp_full_match({{ expr }}, '\d{1,2}[/.-]\d{4}')
            then try_strptime('01/' || regexp_replace({{ expr }}, '[.-]', '/', 'g'), '%d/%m/%Y')::date
        when regexp_full_match({{ expr }}, '(19|20)\d{2}(\.0+)?')
            then make_date(try_cast(left({{ expr }}, 4) as integer), 1, 1)
    end
{%- endmacro %}

{% macro vn_date_precision(expr) -%}
    case
        when regexp_full_match({{ expr }}, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
            then case when try_strptime(regexp_replace({{ expr }}, '[.-]', '/', 'g'), '%d/%m/%Y') is not null then 'day' end
        when regexp_full_match({{ expr }}, '\d{4}[/-]\d{1,2}[/-]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?')
            then case when try_strptime(regexp_extract({{ expr }}, '^(\d{4}[/-]\d{1,2}[/-]\d{1,2})', 1).replace('/', '-'), '%Y-%m-%d') is not null then 'day' end
        when regexp_full_match({{ expr }}, '\d{4,5}(\.0+)?')
             and try_cast(regexp_extract({{ expr }}, '^(\d+)', 1) as integer) between 2 and 73050
             and not regexp_full_match({{ expr }}, '(19|20)\d{2}')
            then 'day'
        when regexp_full_match({{ expr }}, '\d{1,2}[/.-]\d{4}')
            then case when try_strptime('01/' || regexp_replace({{ expr }}, '[.-]', '/', 'g'), '%d/%m/%Y') is not null then 'month' end
        when regexp_full_match({{ expr }}, '(19|20)\d{2}(\.0+)?')
            then 'year'
    end
{%- endmacro %}
