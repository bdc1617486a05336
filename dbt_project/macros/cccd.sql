{#
    The citizen-ID (CCCD, căn cước công dân) rules: the one place they are written, applied to each person row
    (int_persons_cccd_checked) and to each resolved person's surviving number against the person's surviving sex
    and birth year (pii.persons.cccd_issue_code, which the national hand-over reads). A CCCD is 12 digits: a
    province prefix (3 digits, seeds cccd_province_codes), a 4th digit giving sex and birth century (seeds
    cccd_gender_century_codes), digits 5-6 the last two digits of the birth year. 9 digits is an old CMND.

    cccd_reference_ctes(): the two CTEs cccd_checked() joins; list it among the model's CTEs.
    cccd_checked(relation, cccd, cccd_written, sex_code, birth_year, period_year): `relation`'s rows with
      cccd_prefix_known, cccd_sex_code, cccd_birth_year and cccd_issue_code (null: no number, or it passes).
      `cccd` is the number to check (12 digits when well formed), `cccd_written` the digits as written (null: no
      number; 9 digits: a CMND); the other arguments are the row's columns to check it against.
#}
{% macro cccd_reference_ctes() -%}
cccd_province_prefixes as (

    select distinct cccd_prefix from {{ ref('cccd_province_codes') }}

),

cccd_sex_centuries as (

    select
        digit_4,
        case gender when 'male' then 'M' when 'female' then 'F' end as sex_code,
        nam_sinh_tu as century_start
    from {{ ref('cccd_gender_century_codes') }}

)
{%- endmacro %}

{% macro cccd_checked(relation, cccd, cccd_written, sex_code, birth_year, period_year) -%}
    select
        {{ relation }}.*,
        cccd_province_prefixes.cccd_prefix is not null as cccd_prefix_known,
        cccd_sex_centuries.sex_code as cccd_sex_code,
        cccd_sex_centuries.century_start + try_cast(substr({{ relation }}.{{ cccd }}, 5, 2) as integer)
            as cccd_birth_year,
        case
            when {{ relation }}.{{ cccd_written }} is null then null
            when not regexp_full_match({{ relation }}.{{ cccd_written }}, '\d+') then 'cccd_not_digits'
            when length({{ relation }}.{{ cccd_written }}) = 9 then 'cccd_is_old_cmnd'
            when length({{ relation }}.{{ cccd }}) <> 12 then 'cccd_wrong_length'
            when cccd_province_prefixes.cccd_prefix is null then 'cccd_unknown_province'
            when cccd_sex_centuries.century_start + try_cast(substr({{ relation }}.{{ cccd }}, 5, 2) as integer)
                > {{ relation }}.{{ period_year }} then 'cccd_birth_century_implausible'
            when {{ relation }}.{{ sex_code }} is not null
                and cccd_sex_centuries.sex_code <> {{ relation }}.{{ sex_code }} then 'cccd_sex_mismatch'
            when {{ relation }}.{{ birth_year }} is not null
                and cccd_sex_centuries.century_start + try_cast(substr({{ relation }}.{{ cccd }}, 5, 2) as integer)
                <> {{ relation }}.{{ birth_year }} then 'cccd_birth_year_mismatch'
        end as cccd_issue_code
    from {{ relation }}
    left join cccd_province_prefixes
        on left({{ relation }}.{{ cccd }}, 3) = cccd_province_prefixes.cccd_prefix
    left join cccd_sex_centuries
        on substr({{ relation }}.{{ cccd }}, 4, 1) = cccd_sex_centuries.digit_4
{%- endmacro %}
