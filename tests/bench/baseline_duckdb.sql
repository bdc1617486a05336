-- Benchmark baseline: what a competent engineer would write by hand, in one SQL file, to get from the raw
-- person rows to dim_person and the person-based indicators. Same cleaning, encoding, CCCD checks, linking,
-- clustering, survivorship and aggregation rules as the dbt models, without dbt, tests or materialised layers.
-- Input: table raw_persons (the columns of raw.persons). Placeholders filled by baseline_duckdb.py:
-- {seeds} (dbt_project/seeds), {key} (pseudonymisation key). Statements are separated by ';' at line end;
-- the one marked "repeat" is run until it changes no row (label propagation to convergence).

create or replace macro nkey(s) as
    nullif(trim(regexp_replace(strip_accents(replace(lower(nfc_normalize(s)), 'đ', 'd')), '[^a-z0-9]+', ' ', 'g')), '');
create or replace macro ctext(s) as nullif(trim(regexp_replace(nfc_normalize(s), '\s+', ' ', 'g')), '');
create or replace macro vn_date(t) as case
    when regexp_full_match(t, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}') then try_strptime(regexp_replace(t, '[.-]', '/', 'g'), '%d/%m/%Y')::date
    when regexp_full_match(t, '\d{4}[/-]\d{1,2}[/-]\d{1,2}.*') then try_strptime(replace(left(t, 10), '/', '-'), '%Y-%m-%d')::date
    when regexp_full_match(t, '\d{5}(\.0+)?') then date '1899-12-30' + try_cast(regexp_extract(t, '^(\d+)', 1) as integer)
    when regexp_full_match(t, '\d{1,2}[/.-]\d{4}') then try_strptime('01/' || regexp_replace(t, '[.-]', '/', 'g'), '%d/%m/%Y')::date
    when regexp_full_match(t, '(19|20)\d{2}(\.0+)?') then make_date(left(t, 4)::integer, 1, 1)
end;
create or replace macro vn_date_precision(t) as case
    when regexp_full_match(t, '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}[/-]\d{1,2}[/-]\d{1,2}.*|\d{5}(\.0+)?') then 'day'
    when regexp_full_match(t, '\d{1,2}[/.-]\d{4}') then 'month'
    when regexp_full_match(t, '(19|20)\d{2}(\.0+)?') then 'year'
end;

-- code lists, straight from the CSV files
create or replace table seed_qual as select * from read_csv('{seeds}/codes/qualification_levels.csv', all_varchar = true);
create or replace table seed_ethnic as select * from read_csv('{seeds}/codes/ethnic_groups.csv', all_varchar = true);
create or replace table seed_sectors as select * from read_csv('{seeds}/codes/employment_sectors.csv', all_varchar = true);
create or replace table seed_registry as select * from read_csv('{seeds}/registry/unit_registry.csv', all_varchar = true);
create or replace table seed_new_units as select * from read_csv('{seeds}/codes/admin_units_dong_nai.csv', all_varchar = true);
create or replace table seed_old_units as select * from read_csv('{seeds}/codes/admin_units_dong_nai_old_to_new.csv', all_varchar = true);
create or replace table seed_cccd_prefix as select distinct cccd_prefix from read_csv('{seeds}/codes/cccd_province_codes.csv', all_varchar = true);
create or replace table seed_cccd_digit4 as
    select digit_4, case gender when 'male' then 'M' else 'F' end as sex_code, nam_sinh_tu::integer as century_start
    from read_csv('{seeds}/codes/cccd_gender_century_codes.csv', all_varchar = true);
create or replace table seed_measures as select * from read_csv('{seeds}/indicators/indicator_definitions.csv', all_varchar = true);

-- every spelling of every code: synonym files first, then the names/codes/variants of the code lists
create or replace table synonyms as
with spellings as (
    select 1 as origin, 'sex' as list, value, code from read_csv('{seeds}/synonyms/sex_synonyms.csv', all_varchar = true)
    union all select 1, 'yes_no', value, code from read_csv('{seeds}/synonyms/yes_no_synonyms.csv', all_varchar = true)
    union all select 1, 'status', value, code from read_csv('{seeds}/synonyms/status_synonyms.csv', all_varchar = true)
    union all select 1, 'role', value, code from read_csv('{seeds}/synonyms/role_synonyms.csv', all_varchar = true)
    union all select 1, 'teaching_level', value, code from read_csv('{seeds}/synonyms/teaching_level_synonyms.csv', all_varchar = true)
    union all select 1, 'employer_type', value, code from read_csv('{seeds}/synonyms/employer_type_synonyms.csv', all_varchar = true)
    union all select 1, 'science_field', value, code from read_csv('{seeds}/synonyms/science_field_synonyms.csv', all_varchar = true)
    union all select 1, 'occupation', value, code from read_csv('{seeds}/synonyms/occupation_synonyms.csv', all_varchar = true)
    union all select 1, 'qualification', value, code from read_csv('{seeds}/synonyms/qualification_synonyms.csv', all_varchar = true)
    union all select 1, 'academic_title', value, code from read_csv('{seeds}/synonyms/academic_title_synonyms.csv', all_varchar = true)
    union all select 1, 'ethnicity', value, code from read_csv('{seeds}/synonyms/ethnicity_synonyms.csv', all_varchar = true)
    union all select 1, 'blank', value, '' from read_csv('{seeds}/synonyms/blank_values.csv', all_varchar = true)
    union all select 2, 'qualification', code, code from seed_qual
    union all select 2, 'qualification', name_vi, code from seed_qual
    union all select 2, 'qualification', variant, level_code from read_csv('{seeds}/codes/qualification_variants.csv', all_varchar = true)
    union all select 2, 'academic_title', code, code from read_csv('{seeds}/codes/academic_titles.csv', all_varchar = true)
    union all select 2, 'academic_title', unnest(string_split(variants, '|')), code from read_csv('{seeds}/codes/academic_titles.csv', all_varchar = true)
    union all select 2, 'ethnicity', name_vi, code_1979_qd121 from seed_ethnic
    union all select 2, 'ethnicity', name_in_qd1019_2008, code_1979_qd121 from seed_ethnic
    union all select 2, 'ethnicity', unnest(string_split(variants, '|')), code_1979_qd121 from seed_ethnic
    union all select 2, 'science_field', code, case when level = '3' then parent_code else code end from read_csv('{seeds}/codes/science_fields.csv', all_varchar = true)
    union all select 2, 'science_field', name_vi, case when level = '3' then parent_code else code end from read_csv('{seeds}/codes/science_fields.csv', all_varchar = true)
    union all select 2, 'occupation', code, code from read_csv('{seeds}/codes/occupations_vsco_major.csv', all_varchar = true)
    union all select 2, 'occupation', name_vi, code from read_csv('{seeds}/codes/occupations_vsco_major.csv', all_varchar = true)
    union all select 2, 'employer_type', code, code from seed_sectors where scheme = 'employer_type'
    union all select 2, 'employer_type', name_vi, code from seed_sectors where scheme = 'employer_type'
)
select list, nkey(value) as value_key, arg_min(code, origin) as code
from spellings
where nkey(value) is not null and code is not null
group by all;

create or replace table ward_lookup as
with candidates as (
    select 1 as priority, ma_dvhc as ward_key, '' as district_key, ma_dvhc as ward_code from seed_new_units
    union all select 2, ma_dvhc_cu, '', ma_dvhc_moi from seed_old_units
    union all select 3, regexp_replace(nkey(ten_dvhc_cu), '^(phuong|xa|thi tran) ', ''),
        regexp_replace(nkey(ten_huyen_cu), '^(huyen|thanh pho|thi xa) ', ''), ma_dvhc_moi from seed_old_units
    union all select 4, nkey(ten_rut_gon), '', ma_dvhc from seed_new_units
    union all select 4, nkey(ten_ascii), '', ma_dvhc from seed_new_units
    union all select 5, regexp_replace(nkey(ten_dvhc_cu), '^(phuong|xa|thi tran) ', ''), '', ma_dvhc_moi from seed_old_units
)
select priority, ward_key, district_key, case when count(distinct ward_code) = 1 then any_value(ward_code) end as ward_code,
    count(distinct ward_code) > 1 as is_ambiguous
from candidates group by all;

-- clean, key and encode every row
create or replace table persons as
with cleaned as (
    select
        source_file, coalesce(sheet_name, '') as sheet_name, source_row::integer as source_row, unit_code, unit_kind, period,
        source_file || '|' || coalesce(sheet_name, '') || '|' || source_row as record_id,
        ctext(full_name) as full_name, nkey(full_name) as name_key,
        coalesce(ctext(birth_date), ctext(birth_year_male), ctext(birth_year_female)) as birth_text,
        case when ctext(birth_year_male) is not null and ctext(birth_year_female) is null then 'M'
             when ctext(birth_year_female) is not null and ctext(birth_year_male) is null then 'F' end as sex_from_layout,
        regexp_replace(regexp_replace(ctext(cccd), '\.0+$', ''), '[\s.''’-]', '', 'g') as cccd_clean,
        regexp_replace(regexp_replace(ctext(phone), '\.0+$', ''), '[^0-9+]', '', 'g') as phone_digits,
        lower(ctext(email)) as email,
        nkey(sex) as sex_key, nkey(ethnicity) as ethnicity_key, nkey(qualification) as qualification_key,
        nkey(academic_title) as academic_title_key, nkey(science_field) as science_field_key,
        nkey(occupation) as occupation_key, nkey(employer_type) as employer_type_key, nkey(role) as role_key,
        nkey(teaching_level) as teaching_level_key, nkey(status) as status_key, nkey(overseas) as overseas_key,
        nkey(lhh_member) as lhh_member_key, nkey(trained) as trained_key, nkey(digital_trained) as digital_trained_key,
        nkey(employer) as employer_key,
        ctext(residence_ward) as residence_ward_raw,
        regexp_replace(nkey(split_part(residence_ward, ',', 1)), '^(phuong|xa|thi tran|p|x|tt|f) ', '') as ward_key,
        regexp_replace(coalesce(nkey(residence_district), nkey(split_part(residence_ward, ',', 2))),
            '^(huyen|thanh pho|thi xa|quan|tp|tx|h|q) ', '') as district_key,
        vn_date(ctext(updated_at)) as updated_on
    from raw_persons
),
degrees as (
    -- whole value first, then its punctuation-separated parts; the highest degree among the parts
    select distinct qualification_key as k from cleaned where qualification_key is not null
),
degree_codes as (
    select degrees.k, coalesce(any_value(whole.code), arg_max(part_syn.code, prec.precedence::integer)) as code
    from degrees
    left join synonyms as whole on whole.list = 'qualification' and whole.value_key = degrees.k
    left join (select k, unnest(string_split(k, ' ')) as part from degrees) as parts on parts.k = degrees.k and whole.code is null
    left join synonyms as part_syn on part_syn.list = 'qualification' and part_syn.value_key = parts.part
    left join read_csv('{seeds}/synonyms/qualification_precedence.csv', all_varchar = true) as prec on prec.code = part_syn.code
    group by degrees.k
),
wards as (
    select distinct residence_ward_raw, ward_key, district_key from cleaned where residence_ward_raw is not null
),
ward_codes as (
    select wards.residence_ward_raw, wards.district_key,
        arg_min(lk.ward_code, lk.priority) as ward_code, bool_or(lk.is_ambiguous) as ward_ambiguous
    from wards
    left join ward_lookup as lk on (lk.priority in (1, 2) and lk.ward_key = left(wards.residence_ward_raw, 5)
            and regexp_full_match(wards.residence_ward_raw, '\d{5}(\.0+)?'))
        or (lk.priority = 3 and lk.ward_key = wards.ward_key and lk.district_key = wards.district_key)
        or (lk.priority in (4, 5) and lk.ward_key = wards.ward_key)
    group by all
)
select
    c.*,
    vn_date(c.birth_text) as birth_date,
    vn_date_precision(c.birth_text) as birth_date_precision,
    year(vn_date(c.birth_text)) as birth_year,
    left(c.period, 4)::integer as period_year,
    case when c.phone_digits like '+84%' then '0' || substr(c.phone_digits, 4)
         when regexp_full_match(c.phone_digits, '84\d{9}') then '0' || substr(c.phone_digits, 3)
         when regexp_full_match(c.phone_digits, '[1-9]\d{8}') then '0' || c.phone_digits
         else nullif(c.phone_digits, '') end as phone,
    coalesce(sx.code, c.sex_from_layout) as sex_code,
    coalesce(eth.code, eth2.code) as ethnicity_code,
    dg.code as qualification_code,
    ttl.code as academic_title_code,
    coalesce(sf.code, sf2.code) as science_field_code,
    coalesce(oc.code, oc2.code) as occupation_code,
    coalesce(et.code, case when c.unit_kind in ('university', 'department') then reg.employer_type_code end) as employer_type_code,
    rl.code as role_code,
    tl.code as teaching_level_code,
    st.code as status_code,
    ov.code::boolean as is_overseas,
    coalesce(lh.code::boolean, c.unit_code = 'LHH') as is_lhh_member,
    tr.code::boolean as is_trained,
    dt.code::boolean as is_digital_trained,
    coalesce(wc.ward_code, case when c.unit_kind = 'ward' and c.residence_ward_raw is null then c.unit_code end) as residence_ward_code,
    coalesce(wc.ward_ambiguous, false) as residence_ward_ambiguous,
    -- unmapped: written, not a placeholder, and no code list knows it (-> unmapped_values below)
    c.sex_key is not null and sx.code is null as sex_unmapped,
    c.ethnicity_key is not null and eth.code is null and eth2.code is null as ethnicity_unmapped,
    c.qualification_key is not null and dg.code is null as qualification_unmapped,
    c.status_key is not null and st.code is null as status_unmapped,
    c.residence_ward_raw is not null and wc.ward_code is null and not coalesce(wc.ward_ambiguous, false) as residence_ward_unmapped
from cleaned as c
left join synonyms as sx on sx.list = 'sex' and sx.value_key = c.sex_key
left join synonyms as eth on eth.list = 'ethnicity' and eth.value_key = c.ethnicity_key
left join synonyms as eth2 on eth2.list = 'ethnicity' and eth2.value_key = regexp_replace(c.ethnicity_key, '^(dan toc|dt|nguoi) ', '')
left join degree_codes as dg on dg.k = c.qualification_key
left join synonyms as ttl on ttl.list = 'academic_title' and ttl.value_key = c.academic_title_key
left join synonyms as sf on sf.list = 'science_field' and sf.value_key = c.science_field_key
left join synonyms as sf2 on sf2.list = 'science_field' and sf2.value_key = regexp_extract(c.science_field_key, '^(\d{1,5})\b', 1)
left join synonyms as oc on oc.list = 'occupation' and oc.value_key = c.occupation_key
left join synonyms as oc2 on oc2.list = 'occupation' and oc2.value_key = left(regexp_extract(c.occupation_key, '^(\d{1,4})\b', 1), 2)
left join synonyms as et on et.list = 'employer_type' and et.value_key = c.employer_type_key
left join synonyms as rl on rl.list = 'role' and rl.value_key = c.role_key
left join synonyms as tl on tl.list = 'teaching_level' and tl.value_key = c.teaching_level_key
left join synonyms as st on st.list = 'status' and st.value_key = c.status_key
left join synonyms as ov on ov.list = 'yes_no' and ov.value_key = c.overseas_key
left join synonyms as lh on lh.list = 'yes_no' and lh.value_key = c.lhh_member_key
left join synonyms as tr on tr.list = 'yes_no' and tr.value_key = c.trained_key
left join synonyms as dt on dt.list = 'yes_no' and dt.value_key = c.digital_trained_key
left join seed_registry as reg on reg.unit_code = c.unit_code
left join ward_codes as wc on wc.residence_ward_raw = c.residence_ward_raw and wc.district_key is not distinct from c.district_key;

-- CCCD: 12 digits (11 -> Excel dropped the leading 0), a real province prefix, 4th digit = sex + century,
-- digits 5-6 = birth year; only a valid one is an identity key
create or replace table persons_checked as
with shaped as (
    select *, case when regexp_full_match(cccd_clean, '\d{11}') then '0' || cccd_clean else cccd_clean end as cccd_candidate
    from persons
),
checked as (
    select s.*, p.cccd_prefix is not null as prefix_known, d.sex_code as cccd_sex,
        d.century_start + try_cast(substr(s.cccd_candidate, 5, 2) as integer) as cccd_birth_year
    from shaped as s
    left join seed_cccd_prefix as p on p.cccd_prefix = left(s.cccd_candidate, 3)
    left join seed_cccd_digit4 as d on d.digit_4 = substr(s.cccd_candidate, 4, 1)
)
select * exclude (cccd_candidate, prefix_known, cccd_sex, cccd_birth_year),
    case when cccd_clean is null then null
         when not regexp_full_match(cccd_clean, '\d+') then 'cccd_not_digits'
         when length(cccd_clean) = 9 then 'cccd_is_old_cmnd'
         when length(cccd_candidate) <> 12 then 'cccd_wrong_length'
         when not prefix_known then 'cccd_unknown_province'
         when cccd_birth_year > period_year then 'cccd_birth_century_implausible'
         when sex_code is not null and cccd_sex <> sex_code then 'cccd_sex_mismatch'
         when birth_year is not null and cccd_birth_year <> birth_year then 'cccd_birth_year_mismatch'
    end as cccd_issue_code,
    case when cccd_issue_code is null and length(cccd_candidate) = 12 then cccd_candidate end as cccd
from checked;

-- candidate pairs: blocked on name key + birth year (and the other blocks of the dbt model), scored
create or replace table match_pairs as
with p as (
    select record_id, name_key, split_part(name_key, ' ', 1) || ' ' || split_part(name_key, ' ', -1) as ends_key,
        birth_year, birth_date, birth_date_precision, sex_code, cccd, cccd_clean, phone, email, residence_ward_code, employer_key
    from persons_checked where name_key is not null
),
blocks as (
    select record_id, cccd, 'y|' || name_key || '|' || birth_year as block_key from p where birth_year is not null
    union all select record_id, cccd, 'w|' || name_key || '|' || residence_ward_code from p where residence_ward_code is not null
    union all select record_id, cccd, 'e|' || name_key || '|' || employer_key from p where employer_key is not null
    union all select record_id, cccd, 's|' || ends_key || '|' || birth_year || '|' || sex_code from p
        where birth_year is not null and sex_code is not null
),
usable as (
    select block_key from blocks group by block_key
    having count(*) between 2 and 200 and count(*) filter (where cccd is null) > 0
),
pairs as (
    select distinct a.record_id as l_id, b.record_id as r_id
    from blocks as a
    inner join usable using (block_key)
    inner join blocks as b on a.block_key = b.block_key and a.record_id < b.record_id
    where a.cccd is null or b.cccd is null
),
scored as (
    select pairs.l_id, pairs.r_id,
        (case when jaro_winkler_similarity(l.name_key, r.name_key) >= 0.99 then 3
              when jaro_winkler_similarity(l.name_key, r.name_key) >= 0.95 then 1.5
              when jaro_winkler_similarity(l.name_key, r.name_key) >= 0.90 then 0 else -5 end)
        + (case when l.birth_date_precision = 'day' and r.birth_date_precision = 'day' then
                    case when l.birth_date = r.birth_date then 4 else -4 end
                when l.birth_year is null or r.birth_year is null then 0
                when l.birth_year <> r.birth_year then -6
                when 'month' in (l.birth_date_precision, r.birth_date_precision) and month(l.birth_date) = month(r.birth_date) then 2
                else 1 end)
        + (case when l.sex_code is null or r.sex_code is null then 0 when l.sex_code = r.sex_code then 0.5 else -6 end)
        + (case when l.cccd_clean is null or r.cccd_clean is null then 0 when l.cccd_clean = r.cccd_clean then 5 else -4 end)
        + (case when l.phone = r.phone then 4 else 0 end)
        + (case when l.email = r.email then 4 else 0 end)
        + (case when l.residence_ward_code = r.residence_ward_code then 1 else 0 end)
        + (case when jaro_winkler_similarity(l.employer_key, r.employer_key) >= 0.9 then 1.5 else 0 end) as score
    from pairs
    inner join p as l on l.record_id = pairs.l_id
    inner join p as r on r.record_id = pairs.r_id
)
select *, case when score >= 5 then 'match' else 'review' end as decision from scored where score >= 3;

-- clusters: a valid CCCD is the identity; other rows take the smallest label among accepted neighbours
create or replace table labels as
select record_id, cccd is not null as is_fixed,
    case when cccd is not null then 'cccd:' || cccd else 'row:' || period || '|' || record_id end as label
from persons_checked;
create or replace table edges as
select l_id as a, r_id as b from match_pairs where decision = 'match'
union all select r_id, l_id from match_pairs where decision = 'match';

-- repeat
update labels set label = nb.label
from (select e.a, min(n.label) as label from edges as e inner join labels as n on n.record_id = e.b group by e.a) as nb
where labels.record_id = nb.a and not labels.is_fixed and nb.label < labels.label;

create or replace table persons_resolved as
select sha256('{key}' || '|' || labels.label) as person_key, labels.label as identity, pc.*,
    case pc.unit_kind when 'university' then 1 when 'department' then 2 else 3 end as unit_precedence
from persons_checked as pc inner join labels using (record_id);

-- survivorship: one row per person
create or replace table dim_person as
with survived as (
    select person_key,
        first(sex_code order by cccd is not null desc, period desc, updated_on desc nulls last, record_id) filter (where sex_code is not null) as sex_code,
        first(birth_year order by cccd is not null desc, birth_date_precision = 'day' desc, period desc, updated_on desc nulls last, record_id) filter (where birth_year is not null) as birth_year,
        first(ethnicity_code order by period desc, updated_on desc nulls last, record_id) filter (where ethnicity_code is not null) as ethnicity_code,
        first(qualification_code order by unit_precedence, period desc, updated_on desc nulls last, record_id) filter (where qualification_code is not null) as qualification_code,
        first(academic_title_code order by unit_precedence, period desc, updated_on desc nulls last, record_id) filter (where academic_title_code is not null) as academic_title_code,
        first(science_field_code order by unit_precedence, length(science_field_code) desc, period desc, record_id) filter (where science_field_code is not null) as science_field_code,
        first(occupation_code order by unit_precedence, length(occupation_code) desc, period desc, record_id) filter (where occupation_code is not null) as occupation_code,
        first(employer_type_code order by period desc, unit_precedence, updated_on desc nulls last, record_id) filter (where employer_type_code is not null) as employer_type_code,
        first(role_code order by unit_precedence, period desc, updated_on desc nulls last, record_id) filter (where role_code is not null) as role_code,
        first(teaching_level_code order by unit_precedence, period desc, record_id) filter (where teaching_level_code is not null) as teaching_level_code,
        first(residence_ward_code order by unit_kind = 'ward' desc, period desc, updated_on desc nulls last, record_id) filter (where residence_ward_code is not null) as residence_ward_code,
        first(status_code order by period desc, updated_on desc nulls last, unit_precedence, record_id) filter (where status_code is not null) as status_code,
        coalesce(first(is_overseas order by period desc, record_id) filter (where is_overseas is not null), false) as is_overseas,
        coalesce(bool_or(is_lhh_member), false) as is_lhh_member,
        coalesce(bool_or(is_trained), false) as is_trained,
        min(period) as first_period, max(period) as last_period, count(*) as source_count
    from persons_resolved group by person_key
)
select s.*, emp.frascati_sector as sector_code,
    case when s.birth_year is null then null
         when left(s.last_period, 4)::integer - s.birth_year < 30 then '<30'
         when left(s.last_period, 4)::integer - s.birth_year < 45 then '30-44'
         when left(s.last_period, 4)::integer - s.birth_year < 60 then '45-59' else '60+' end as age_group,
    left(s.last_period, 4)::integer - s.birth_year as age,
    case when s.ethnicity_code is null or s.ethnicity_code in ('55', '56') then null else s.ethnicity_code <> '01' end as is_ethnic_minority,
    q.vnqf_level::integer as vnqf_level,
    coalesce(s.status_code, 'ACTIVE') = 'ACTIVE' as is_active,
    reg.institution_level
from survived as s
left join seed_sectors as emp on emp.scheme = 'employer_type' and emp.code = s.employer_type_code
left join seed_qual as q on q.code = s.qualification_code
left join (select person_key, arg_max(unit_code, period) filter (where unit_kind = 'university') as unit_code
           from persons_resolved group by person_key) as uni using (person_key)
left join seed_registry as reg on reg.unit_code = uni.unit_code;

-- the restricted identity table (pii.persons): the surviving name, CCCD, exact birth date, phone and email
create or replace table pii_persons as
select person_key,
    first(full_name order by full_name <> strip_accents(full_name) desc, cccd is not null desc, period desc, updated_on desc nulls last, record_id) as full_name,
    list_sort(list_distinct(list(full_name))) as full_names_seen,
    first(cccd order by period desc, record_id) filter (where cccd is not null) as cccd,
    list_sort(list_distinct(list(cccd_clean) filter (where cccd_clean is not null))) as cccd_values_seen,
    first(birth_date order by cccd is not null desc, period desc, record_id) filter (where birth_date_precision = 'day') as birth_date,
    first(phone_digits order by period desc, updated_on desc nulls last, record_id) filter (where phone_digits is not null) as phone,
    first(email order by period desc, updated_on desc nulls last, record_id) filter (where email is not null) as email,
    list(record_id order by period, record_id) as record_ids
from persons_resolved group by person_key;

-- status over time (person_status_history): one spell per run of the same status across reporting periods
create or replace table status_history as
with per_period as (
    select person_key, period,
        coalesce(first(status_code order by updated_on desc nulls last, unit_precedence, record_id) filter (where status_code is not null), 'ACTIVE') as status_code
    from persons_resolved group by person_key, period
),
marked as (
    select *, status_code is distinct from lag(status_code) over (partition by person_key order by period) as starts_spell
    from per_period
)
select person_key, status_code, period as valid_from_period,
    lead(period) over (partition by person_key order by period) as valid_to_period
from marked where starts_spell;

-- each person as known at each reporting period (the indicators count people as of the period, not as of today):
-- changing attributes from the latest record at or before the period, status from the spell in force
create or replace table person_periods as
with periods as (select distinct period as as_of from persons_resolved),
attributes as (
    select prd.as_of as period, r.person_key,
        arg_max(r.qualification_code, (r.period, r.record_id)) filter (where r.qualification_code is not null) as qualification_code,
        arg_max(r.academic_title_code, (r.period, r.record_id)) filter (where r.academic_title_code is not null) as academic_title_code,
        arg_max(r.science_field_code, (r.period, r.record_id)) filter (where r.science_field_code is not null) as science_field_code,
        arg_max(r.occupation_code, (r.period, r.record_id)) filter (where r.occupation_code is not null) as occupation_code,
        arg_max(r.employer_type_code, (r.period, r.record_id)) filter (where r.employer_type_code is not null) as employer_type_code,
        arg_max(r.role_code, (r.period, r.record_id)) filter (where r.role_code is not null) as role_code,
        arg_max(r.teaching_level_code, (r.period, r.record_id)) filter (where r.teaching_level_code is not null) as teaching_level_code,
        arg_max(r.residence_ward_code, (r.period, r.record_id)) filter (where r.residence_ward_code is not null) as residence_ward_code,
        arg_max(r.is_overseas, (r.period, r.record_id)) filter (where r.is_overseas is not null) as is_overseas,
        arg_max(r.is_lhh_member, (r.period, r.record_id)) filter (where r.is_lhh_member is not null) as is_lhh_member,
        arg_max(r.unit_code, (r.period, r.record_id)) filter (where r.unit_kind = 'university') as university_code,
        coalesce(bool_or(r.is_trained) filter (where r.period = prd.as_of), false) as is_trained
    from periods as prd inner join persons_resolved as r on r.period <= prd.as_of
    group by prd.as_of, r.person_key
),
status_as_of as (
    select prd.as_of as period, h.person_key, arg_max(h.status_code, h.valid_from_period) as status_code
    from periods as prd inner join status_history as h on h.valid_from_period <= prd.as_of
    group by prd.as_of, h.person_key
)
select a.* exclude (university_code, is_overseas, is_lhh_member),
    coalesce(a.is_overseas, false) as is_overseas, coalesce(a.is_lhh_member, false) as is_lhh_member,
    d.sex_code, d.birth_year, d.is_ethnic_minority, coalesce(s.status_code, 'ACTIVE') as status_code,
    emp.frascati_sector as sector_code, q.vnqf_level::integer as vnqf_level,
    left(a.period, 4)::integer - d.birth_year as age,
    case when d.birth_year is null then null
         when left(a.period, 4)::integer - d.birth_year < 30 then '<30'
         when left(a.period, 4)::integer - d.birth_year < 45 then '30-44'
         when left(a.period, 4)::integer - d.birth_year < 60 then '45-59' else '60+' end as age_group,
    coalesce(s.status_code, 'ACTIVE') = 'ACTIVE' as is_active,
    reg.institution_level
from attributes as a
left join status_as_of as s using (period, person_key)
left join dim_person as d using (person_key)
left join seed_sectors as emp on emp.scheme = 'employer_type' and emp.code = a.employer_type_code
left join seed_qual as q on q.code = a.qualification_code
left join seed_registry as reg on reg.unit_code = a.university_code;

-- the person-based indicators for every period: city and ward, total and one breakdown at a time
create or replace table indicator_cells as
with measures as (
    select 'A1' as m, *, is_active and role_code in ('RESEARCHER', 'LECTURER') and vnqf_level >= 7 as num, false as den from person_periods
    union all select 'A6', *, is_active and vnqf_level >= 6 and is_lhh_member, is_active and vnqf_level >= 6 from person_periods
    union all select 'B1_TS', *, qualification_code in ('TS', 'TSKH'), true from person_periods where is_active and institution_level = 'university'
    union all select 'B1_THS', *, qualification_code = 'THS', true from person_periods where is_active and institution_level = 'university'
    union all select 'C1', *, true, false from person_periods where is_active and role_code = 'DOCTOR'
    union all select 'C2', *, qualification_code in ('CK1', 'CK2', 'BSNT', 'THS', 'TS', 'TSKH'), true from person_periods where is_active and role_code = 'DOCTOR'
    union all select 'D1', *, sex_code = 'F', true from person_periods where is_active and role_code in ('RESEARCHER', 'LECTURER', 'ENGINEER') and sex_code in ('M', 'F')
    union all select 'D2', *, true, false from person_periods where is_active and is_ethnic_minority and is_trained
    union all select 'D4_EXPERT', *, true, false from person_periods
        where is_active and role_code in ('RESEARCHER', 'LECTURER', 'ENGINEER') and (academic_title_code in ('GS', 'PGS') or qualification_code in ('TS', 'TSKH'))
    union all select 'D4_YOUNG', *, true, false from person_periods where is_active and role_code in ('RESEARCHER', 'LECTURER', 'ENGINEER') and age < 35 and vnqf_level >= 7
    union all select 'E2', *, true, false from person_periods where is_overseas and status_code in ('ACTIVE', 'ABROAD')
),
coded as (
    select m, period, person_key, residence_ward_code, coalesce(sex_code, '_U') as sex_code,
        coalesce(age_group, '_U') as age_group, coalesce(sector_code, '_U') as sector_code,
        coalesce(left(science_field_code, 1), '_U') as science_field_code, coalesce(num, false) as num, den
    from measures where coalesce(num, false) or den
)
select m, period, geo, geo_code, sex_code, age_group, sector_code, science_field_code,
    -- a person is one row per period in person_periods: counting rows counts people
    count(*) filter (where num) as numerator, count(*) filter (where den) as denominator
from (select *, 'city' as geo, '_T' as geo_code from coded
      union all select *, 'ward', residence_ward_code from coded where residence_ward_code is not null)
group by grouping sets ((m, period, geo, geo_code), (m, period, geo, geo_code, sex_code), (m, period, geo, geo_code, age_group),
                        (m, period, geo, geo_code, sector_code), (m, period, geo, geo_code, science_field_code));

-- what the quality officer sees: values no code list knows
create or replace table unmapped_values as
select code_list, raw_value, count(*) as row_count, min(source_file) as example_file
from (
    select 'ethnicity' as code_list, ethnicity_key as raw_value, source_file from persons where ethnicity_unmapped
    union all select 'qualification', qualification_key, source_file from persons where qualification_unmapped
    union all select 'status', status_key, source_file from persons where status_unmapped
    union all select 'sex', sex_key, source_file from persons where sex_unmapped
    union all select 'residence_ward', residence_ward_raw, source_file from persons where residence_ward_unmapped
)
group by all;
