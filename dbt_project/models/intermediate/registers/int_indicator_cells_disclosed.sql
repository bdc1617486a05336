-- Statistical disclosure control. Primary ('A'): a protected cell is suppressed when it could reveal 1-3 people:
-- its numerator is 1-3 people, or, for a share, its complement (denominator - numerator) is 1-3 (a share of 75 %
-- of 4 tells that one of the 4 is not counted) or its denominator is under 10 people. Protected: ward cells and
-- every breakdown (by sex, age, sector, field) of a person indicator (suppression_scope 'ward'), and every cell of
-- the measures about ethnic minorities or overseas persons (suppression_scope 'all'); city totals of the others are
-- published as they are. Counts of organisations (enterprises, institutions) are exempt (suppression_scope 'none').
-- Secondary ('D'): where a group that adds up to a published total has exactly one suppressed cell, the next
-- smallest cell is suppressed too. Groups: the cells of one breakdown in one area, then one cell across wards,
-- then the breakdown again (the ward pass can create new single suppressions).
{%- set within_area = ['measure_code', 'period', 'geo_level', 'geo_code', 'breakdown'] %}
{%- set across_wards = [
    'measure_code', 'period', 'breakdown', 'sex_code', 'age_group', 'sector_code', 'science_field_code'
] %}
{%- set passes = [
    ('pass_1', 'primary_suppression', within_area, "cel.breakdown <> 'total'"),
    ('pass_2', 'pass_1', across_wards, "cel.geo_level = 'ward'"),
    ('pass_3', 'pass_2', within_area, "cel.breakdown <> 'total'"),
] %}

with

person_cells as (
    select * from {{ ref('int_indicator_person_cells') }}
),

register_cells as (
    select * from {{ ref('int_indicator_register_cells') }}
),

definitions as (
    select * from {{ ref('indicator_definitions') }}
),

cells as (
    select * from person_cells
    union all by name
    select * from register_cells
),

protection as (
    select
        cel.*,
        def.unit,
        def.suppression_scope = 'all'
        or (def.suppression_scope = 'ward' and (cel.geo_level = 'ward' or cel.breakdown <> 'total')) as is_protected
    from cells as cel
    inner join definitions as def on cel.measure_code = def.measure_code
),

primary_suppression as (
    select
        prt.* exclude (unit),
        case
            when prt.is_protected and (
                    prt.numerator between 1 and 3
                    or (coalesce(prt.unit, '') <> 'percent' and prt.cell_persons between 1 and 3)
                    or (prt.unit = 'percent' and (
                        prt.denominator - prt.numerator between 1 and 3 or prt.denominator between 1 and 9
                    ))
                ) then 'A'
            else 'F'
        end as conf_status
    from protection as prt
),
{%- for pass_name, input_name, group_columns, eligible in passes %}

    {{ pass_name }}_ranked as (
        select
            cel.*,
            cel.is_protected and {{ eligible }} as is_eligible,
            count(*) filter (where cel.conf_status <> 'F') over (
                partition by cel.is_protected and {{ eligible }}, cel.{{ group_columns | join(', cel.') }}
            ) as suppressed_in_group,
            row_number() over (
                partition by cel.is_protected and {{ eligible }}, cel.{{ group_columns | join(', cel.') }}
                order by
                    cel.conf_status <> 'F', cel.cell_persons nulls last,
                    cel.geo_code, cel.sex_code, cel.age_group, cel.sector_code, cel.science_field_code
            ) as free_rank
        from {{ input_name }} as cel
    ),

    {{ pass_name }} as (
        select
            rnk.* exclude (is_eligible, suppressed_in_group, free_rank, conf_status),
            case
                when
                    rnk.is_eligible and rnk.conf_status = 'F' and rnk.suppressed_in_group = 1 and rnk.free_rank = 1
                    then 'D'
                else rnk.conf_status
            end as conf_status
        from {{ pass_name }}_ranked as rnk
    ),
{%- endfor %}

final as (
    select * exclude (is_protected) from pass_3
)

select * from final
