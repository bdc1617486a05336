{# Status spells over reporting periods (SCD type 2 over periods): int_person_status_spells, published. #}

with

spells as (

    select * from {{ ref('int_person_status_spells').include(database=False) }}

),

final as (

    select
        person_key,
        status_code,
        valid_from_period,
        valid_to_period,
        is_current,
        spell_number
    from spells

)

select * from final
