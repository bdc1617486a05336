{#
    Status spells over reporting periods (SCD type 2 over periods). A person's status in a period is the
    status of that period's most recently updated row (university, then department, then ward on ties);
    a period where the person is reported without a status counts as ACTIVE. Consecutive reported periods
    with the same status form one spell: valid_from_period = its first period, valid_to_period = its last
    period (inclusive); the spell holding the person's latest period is current. A person with one row has
    one spell, taken straight from the row.
    marts.person_status_history publishes this table as it is; the indicators read it here. No personal data.
#}
{{ config(database=target.database, schema='intermediate') }}

with

persons as (select * from {{ ref('int_persons_resolved') }}),

per_period as (

    select
        person_key,
        period,
        coalesce(
            first(status_code order by updated_on desc nulls last, unit_precedence asc, record_id asc)
            filter (where status_code is not null),
            'ACTIVE'
        ) as status_code
    from persons
    where {{ several_records_path() }}
    group by person_key, period

),

previous as (

    select
        *,
        lag(status_code) over (partition by person_key order by period asc) as previous_status_code
    from per_period

),

changes as (

    select
        *,
        -- (status_code is never null here: a period without one counts as ACTIVE)
        case when previous_status_code is null or previous_status_code <> status_code then 1 else 0 end
            as is_new_spell
    from previous

),

numbered as (

    select
        *,
        sum(is_new_spell) over (partition by person_key order by period rows unbounded preceding) as spell_number
    from changes

),

spells as (

    select
        person_key,
        spell_number,
        any_value(status_code) as status_code,
        min(period) as valid_from_period,
        max(period) as valid_to_period
    from numbered
    group by person_key, spell_number

),

from_several as (

    select
        person_key,
        status_code,
        valid_from_period,
        valid_to_period,
        spell_number = max(spell_number) over (partition by person_key) as is_current,
        spell_number::integer as spell_number
    from spells

),

-- a person with one row (most people): one spell, that row's period, current
from_one as (

    select
        person_key,
        coalesce(status_code, 'ACTIVE') as status_code,
        period as valid_from_period,
        period as valid_to_period,
        true as is_current,
        1 as spell_number
    from persons
    where {{ one_record_path() }}

),

final as (

    select * from from_several
    union all by name
    select * from from_one

)

select * from final
