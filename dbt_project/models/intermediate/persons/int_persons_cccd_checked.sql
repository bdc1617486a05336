{#
    Citizen-ID checks. A CCCD is 12 digits: a real province prefix (3 digits, cccd_province_codes), a 4th
    digit for sex + birth century (cccd_gender_century_codes) that agrees with the row's sex and birth year,
    and digits 5-6 = the last two digits of the birth year. 9 digits = an old CMND (recognised, not a CCCD).
    11 digits that become valid with the leading '0' Excel drops are restored (and noted).
    Only a valid CCCD is used as an identity key; a failing one keeps cccd_status = 'invalid' and a reason.
#}
{# a view: a full-width table copy cost more to write than its joins cost its readers #}
{{ config(materialized='view') }}


with

persons as (

    select * from {{ ref('int_persons_encoded') }}

),

province_prefixes as (

    select distinct cccd_prefix from {{ ref('cccd_province_codes') }}

),

gender_century as (

    select
        digit_4,
        case gender when 'male' then 'M' when 'female' then 'F' end as sex_code,
        nam_sinh_tu as century_start
    from {{ ref('cccd_gender_century_codes') }}

),

shaped as (

    select
        persons.*,
        case
            when regexp_full_match(persons.cccd_clean, '\d{11}') then '0' || persons.cccd_clean
            else persons.cccd_clean
        end as cccd_candidate,
        regexp_full_match(persons.cccd_clean, '\d{11}') as cccd_leading_zero_restored
    from persons

),

checked as (

    select
        shaped.*,
        province_prefixes.cccd_prefix is not null as cccd_prefix_known,
        gender_century.sex_code as cccd_sex_code,
        gender_century.century_start + try_cast(substr(shaped.cccd_candidate, 5, 2) as integer) as cccd_birth_year
    from shaped
    left join province_prefixes
        on left(shaped.cccd_candidate, 3) = province_prefixes.cccd_prefix
    left join gender_century
        on substr(shaped.cccd_candidate, 4, 1) = gender_century.digit_4

),

final as (

    select
        checked.* exclude (cccd_candidate),
        case
            when checked.cccd_clean is null then null
            when not regexp_full_match(checked.cccd_clean, '\d+') then 'cccd_not_digits'
            when length(checked.cccd_clean) = 9 then 'cccd_is_old_cmnd'
            when length(checked.cccd_candidate) <> 12 then 'cccd_wrong_length'
            when not checked.cccd_prefix_known then 'cccd_unknown_province'
            when checked.cccd_birth_year > checked.period_year then 'cccd_birth_century_implausible'
            when checked.sex_code is not null and checked.cccd_sex_code <> checked.sex_code then 'cccd_sex_mismatch'
            when checked.birth_year is not null and checked.cccd_birth_year <> checked.birth_year
                then 'cccd_birth_year_mismatch'
        end as cccd_issue_code,
        case
            when checked.cccd_clean is null then 'missing'
            when length(checked.cccd_clean) = 9 and regexp_full_match(checked.cccd_clean, '\d+') then 'cmnd'
            when cccd_issue_code is null then 'valid'
            else 'invalid'
        end as cccd_status,
        case when cccd_status = 'valid' then checked.cccd_candidate end as cccd

    from checked

)

select * from final
