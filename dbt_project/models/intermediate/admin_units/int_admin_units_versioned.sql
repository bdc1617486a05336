{#
    Administrative units with validity: the 95 units from the reorganisation date (var
    admin_reorganisation_date, 1 July 2025) and the 270 pre-merger units until the day before, each old unit
    pointing to the new unit(s) that replaced it. An old code reused as a new code appears twice, with
    disjoint validity.
#}
with

new_units as (select * from {{ ref('admin_units_dong_nai') }}),

old_to_new as (select * from {{ ref('admin_units_dong_nai_old_to_new') }}),

current_units as (

    select
        ma_dvhc as ward_code,
        ten_dvhc as ward_name,
        loai as ward_type,
        cast(null as varchar) as old_district_name,
        date '{{ var("admin_reorganisation_date") }}' as valid_from,
        cast(null as date) as valid_to,
        [ma_dvhc] as replaced_by_codes,
        true as is_current
    from new_units

),

old_units as (

    select
        ma_dvhc_cu as ward_code,
        any_value(ten_dvhc_cu) as ward_name,
        lower(any_value(loai_cu)) as ward_type,
        any_value(ten_huyen_cu) as old_district_name,
        cast(null as date) as valid_from,
        date '{{ var("admin_reorganisation_date") }}' - 1 as valid_to,
        list(distinct ma_dvhc_moi order by ma_dvhc_moi) as replaced_by_codes,
        false as is_current
    from old_to_new
    group by ma_dvhc_cu

),

final as (

    select * from current_units
    union all
    select * from old_units

)

select * from final
