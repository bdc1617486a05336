{# Every encoded, checked person row with its resolved person_key (restricted: carries the personal data). #}
{# a view: a full-width table copy cost more to write than its joins cost its readers #}
{{ config(materialized='view') }}


with

persons as (select * from {{ ref('int_persons_cccd_checked') }}),

clusters as (select * from {{ ref('int_persons_clustered') }}),

person_keys as (select * from {{ ref('int_person_keys') }}),

final as (

    select
        person_keys.person_key,
        clusters.identity,
        -- how many rows the person has: the marts copy a person with one row instead of aggregating it
        person_keys.record_count as person_record_count,
        persons.*,
        -- source precedence for survivorship: a university, then a department (SYT, SGDDT, SNV, LHH), then a ward
        case persons.unit_kind when 'university' then 1 when 'department' then 2 else 3 end as unit_precedence
    from persons
    inner join clusters on persons.record_id = clusters.record_id
    inner join person_keys on clusters.identity = person_keys.identity

)

select * from final
