-- How register files write a ward, resolved to the post-2025 ward code: the code itself, an old code whose
-- whole unit went into one new ward, or the current name (accents, case and type word stripped) when unique.
with

admin_units as (
    select * from {{ ref('admin_units_dong_nai') }}
),

old_to_new as (
    select * from {{ ref('admin_units_dong_nai_old_to_new') }}
),

current_codes as (
    select distinct cast(adu.ma_dvhc as varchar) as ward_key, cast(adu.ma_dvhc as varchar) as ward_code
    from admin_units as adu
),

old_codes as (
    select
        lpad(cast(otn.ma_dvhc_cu as varchar), 5, '0') as ward_key,
        any_value(cast(otn.ma_dvhc_moi as varchar)) as ward_code
    from old_to_new as otn
    group by lpad(cast(otn.ma_dvhc_cu as varchar), 5, '0')
    having count(distinct otn.ma_dvhc_moi) = 1
),

current_names as (
    select
        {{ accent_free_key('adu.ten_rut_gon') }} as ward_key,
        any_value(cast(adu.ma_dvhc as varchar)) as ward_code
    from admin_units as adu
    group by {{ accent_free_key('adu.ten_rut_gon') }}
    having count(distinct adu.ma_dvhc) = 1
),

final as (
    select 'code' as key_kind, cur.ward_key, cur.ward_code from current_codes as cur
    union all
    select 'old_code' as key_kind, olc.ward_key, olc.ward_code
    from old_codes as olc
    where olc.ward_key not in (select cur.ward_key from current_codes as cur)
    union all
    select 'name' as key_kind, cnm.ward_key, cnm.ward_code from current_names as cnm
)

select * from final
