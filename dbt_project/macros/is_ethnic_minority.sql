{#
    Ethnic minority from the 1979 (QĐ 121) ethnicity code: not Kinh ('01'); unknown for no code, a foreigner ('55')
    or a person of foreign origin ('56').
#}
{% macro is_ethnic_minority(code) -%}
    case when {{ code }} is null or {{ code }} in ('55', '56') then null else {{ code }} <> '01' end
{%- endmacro %}
