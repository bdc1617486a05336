{#
    Disclosure control, checked on what the statistics office reads: no published (conf_status 'F') ward cell or
    breakdown cell of a person indicator lets anyone count 1-3 people: neither its numerator, nor for a share its
    complement (denominator - numerator), and no share over fewer than 10 people. A row listed here is a leak.
#}
{{ config(meta={'dagster': {'ref': {'name': 'indicator_values'}}}) }}  {#- shown in Dagster as a check on indicator_values #}
with

published as (
    select val.*, def.unit
    from {{ ref('indicator_values') }} as val
    inner join {{ ref('indicator_definitions') }} as def on val.measure_code = def.measure_code
    where val.conf_status = 'F'
        and def.suppression_scope in ('ward', 'all')
        and (val.geo_level = 'ward' or val.breakdown <> 'total' or def.suppression_scope = 'all')
)

select
    measure_code, period, geo_level, geo_code, breakdown, sex_code, age_group, sector_code, science_field_code,
    numerator, denominator
from published
where numerator between 1 and 3
    or (unit = 'percent' and (denominator - numerator between 1 and 3 or denominator between 1 and 9))
