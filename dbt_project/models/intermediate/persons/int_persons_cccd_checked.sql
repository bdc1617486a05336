{#
    Citizen-ID checks on every person row, by the rules of macros/cccd.sql (the one place they are written): a
    12-digit CCCD with a real province prefix, a 4th digit whose sex and century agree with the row's sex and birth
    year, digits 5-6 = the birth year's last two digits. 9 digits = an old CMND (recognised, not a CCCD). 11 digits
    that become valid with the leading '0' Excel drops are restored (and noted).
    Only a valid CCCD is used as an identity key; a failing one keeps cccd_status = 'invalid' and a reason.
#}
{# a view: a full-width table copy cost more to write than its joins cost its readers #}
{{ config(materialized='view') }}


with

persons as (

    select * from {{ ref('int_persons_encoded') }}

),

{{ cccd_reference_ctes() }},

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

    {{ cccd_checked('shaped', cccd='cccd_candidate', cccd_written='cccd_clean', sex_code='sex_code',
                    birth_year='birth_year', period_year='period_year') }}

),

final as (

    select
        checked.* exclude (cccd_candidate),
        case
            when checked.cccd_clean is null then 'missing'
            when length(checked.cccd_clean) = 9 and regexp_full_match(checked.cccd_clean, '\d+') then 'cmnd'
            when checked.cccd_issue_code is null then 'valid'
            else 'invalid'
        end as cccd_status,
        case when cccd_status = 'valid' then checked.cccd_candidate end as cccd

    from checked

)

select * from final
