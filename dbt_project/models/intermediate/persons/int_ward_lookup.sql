{#
    Every way a residence ward is written, resolved to the post-2025 ward code:
      new_code           5-digit code since 1 July 2025
      old_code           pre-merger code, through the crosswalk
      new_name           'Biên Hòa', 'P. Biên Hòa', 'Phường Biên Hòa' (type words stripped), ASCII too
      old_name_district  pre-merger name + its old district (unique except for a split unit)
      old_name           pre-merger name alone: used only when no new unit has that name
    ward_code is null when the value names more than one new unit (Xã Xuân Tâm was split): the row is
    flagged ward_ambiguous and candidate_codes lists the choices.
#}
{{ config(schema='intermediate') }}

with

new_units as (select * from {{ ref('admin_units_dong_nai') }}),
old_to_new as (select * from {{ ref('admin_units_dong_nai_old_to_new') }}),

candidates as (

    select 'new_code' as lookup_kind, ma_dvhc as ward_key, '' as district_key, ma_dvhc as ward_code
    from new_units
    union all
    select 'old_code', ma_dvhc_cu, '', ma_dvhc_moi
    from old_to_new
    union all
    select 'new_name', {{ normalise_key('ten_rut_gon') }}, '', ma_dvhc
    from new_units
    union all
    select 'new_name', {{ normalise_key('ten_ascii') }}, '', ma_dvhc
    from new_units
    union all
    select
        'old_name_district',
        regexp_replace({{ normalise_key('ten_dvhc_cu') }}, '^(phuong|xa|thi tran) ', ''),
        regexp_replace({{ normalise_key('ten_huyen_cu') }}, '^(huyen|thanh pho|thi xa) ', ''),
        ma_dvhc_moi
    from old_to_new
    union all
    select
        'old_name',
        regexp_replace({{ normalise_key('ten_dvhc_cu') }}, '^(phuong|xa|thi tran) ', ''),
        '',
        ma_dvhc_moi
    from old_to_new

),

final as (

    select
        lookup_kind,
        ward_key,
        district_key,
        case when count(distinct ward_code) = 1 then any_value(ward_code) end as ward_code,
        list(distinct ward_code order by ward_code) as candidate_codes,
        count(distinct ward_code) as candidate_count
    from candidates
    group by lookup_kind, ward_key, district_key

)

select * from final
