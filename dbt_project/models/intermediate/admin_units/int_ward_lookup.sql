{#
    The one ward lookup: every way a ward or commune is written, resolved to the post-2025 ward code. Person
    residences (int_residence_addresses) and the register files (population, enterprises) both read it, their
    names keyed by the same normaliser (macros normalise_key, ward_name_key).
      new_code           5-digit code since 1 July 2025
      old_code           pre-merger code, through the crosswalk
      new_name           'Biên Hòa', 'P. Biên Hòa', 'Phường Biên Hòa' (type words stripped: ward_name_key), ASCII too
      old_name_district  pre-merger name + its old district (unique except for a split unit)
      old_name           pre-merger name alone: used only when no new unit has that name
      new_name_district  new name + the old district of a unit merged into it: when an address also names an
                         old district, a new name is accepted only if the new unit took land from that district
                         ('Tân Tiến, Biên Hòa' is not Xã Tân Tiến of Lộc Ninh / Bù Đốp)
    ward_code is null when the value names more than one new unit (Xã Xuân Tâm was split): the row is
    flagged ward_ambiguous and candidate_codes lists the choices. candidate_names keeps each candidate's name
    with its diacritics (old or new, as the key was made from): keys drop diacritics, so 'Lộc Thành' and
    'Lộc Thạnh' share a key, and int_residence_addresses tells them apart by the name as written.
#}
with

new_units as (select * from {{ ref('admin_units_dong_nai') }}),

old_to_new as (select * from {{ ref('admin_units_dong_nai_old_to_new') }}),

candidates as (

    select
        'new_code' as lookup_kind, ma_dvhc as ward_key, '' as district_key, ma_dvhc as ward_code,
        null::varchar as written_name
    from new_units
    union all
    select 'old_code', ma_dvhc_cu, '', ma_dvhc_moi, null
    from old_to_new
    union all
    select 'new_name', {{ normalise_key('ten_rut_gon') }}, '', ma_dvhc, ten_rut_gon
    from new_units
    union all
    select 'new_name', {{ normalise_key('ten_ascii') }}, '', ma_dvhc, null
    from new_units
    union all
    select
        'old_name_district',
        {{ ward_name_key('ten_dvhc_cu') }},
        regexp_replace({{ normalise_key('ten_huyen_cu') }}, '^(huyen|thanh pho|thi xa) ', ''),
        ma_dvhc_moi,
        regexp_replace(ten_dvhc_cu, '^(Phường|Xã|Thị trấn) ', '')
    from old_to_new
    union all
    select
        'old_name',
        {{ ward_name_key('ten_dvhc_cu') }},
        '',
        ma_dvhc_moi,
        regexp_replace(ten_dvhc_cu, '^(Phường|Xã|Thị trấn) ', '')
    from old_to_new
    union all
    select distinct
        'new_name_district',
        {{ normalise_key('new_units.ten_rut_gon') }},
        regexp_replace({{ normalise_key('old_to_new.ten_huyen_cu') }}, '^(huyen|thanh pho|thi xa) ', ''),
        new_units.ma_dvhc,
        new_units.ten_rut_gon
    from new_units
    inner join old_to_new
        on new_units.ma_dvhc = old_to_new.ma_dvhc_moi

),

final as (

    select
        lookup_kind,
        ward_key,
        district_key,
        case when count(distinct ward_code) = 1 then any_value(ward_code) end as ward_code,
        list(distinct ward_code order by ward_code) as candidate_codes,
        count(distinct ward_code) as candidate_count,
        list_sort(
            list(distinct { 'ward_code': ward_code, 'written_name': written_name })
            filter (where written_name is not null)
        ) as candidate_names
    from candidates
    group by lookup_kind, ward_key, district_key

)

select * from final
