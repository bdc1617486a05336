{#
    One row per problem found while encoding a person row: unmapped value, value mapped by the fuzzy
    fallback ('fuzzy_mapped', a warning naming the code chosen), ambiguous ward, CCCD failing its checks,
    unparseable date, implausible birth year. Personal values are masked (digits -> '#', only
    the shape is kept) so the table can live outside pii; file, sheet and row point to the original.
#}
{{ config(database=target.database, schema='intermediate') }}

{% set unmapped = [
    ('sex', 'sex_raw', 'sex', 'Giới tính', 'sex'),
    ('ethnicity', 'ethnicity_raw', 'ethnicity', 'Dân tộc', 'ethnicity'),
    ('qualification', 'qualification_raw', 'qualification', 'Trình độ chuyên môn', 'qualification'),
    ('academic_title', 'academic_title_raw', 'academic_title', 'Học hàm', 'academic title'),
    ('science_field', 'science_field_raw', 'science_field', 'Lĩnh vực KH&CN', 'field of science'),
    ('occupation', 'occupation_raw', 'occupation', 'Nghề nghiệp', 'occupation'),
    ('employer_type', 'employer_type_raw', 'employer_type', 'Loại hình cơ quan', 'employer type'),
    ('role', 'role_raw', 'role', 'Vai trò', 'role'),
    ('teaching_level', 'teaching_level_raw', 'teaching_level', 'Cấp học', 'teaching level'),
    ('status', 'status_raw', 'status', 'Tình trạng', 'status'),
    ('overseas', 'overseas_raw', 'yes_no', 'Người Việt Nam ở nước ngoài', 'overseas'),
    ('lhh_member', 'lhh_member_raw', 'yes_no', 'Hội viên LHH', 'LHH member'),
    ('trained', 'trained_raw', 'yes_no', 'Được đào tạo, bồi dưỡng', 'trained'),
    ('digital_trained', 'digital_trained_raw', 'yes_no', 'Bồi dưỡng năng lực số', 'digital-trained'),
    ('residence_ward', 'residence_ward_quoted', 'residence_ward', 'Nơi cư trú', 'residence ward'),
] %}

{% set cccd_reasons = {
    'cccd_not_digits': ('chứa ký tự không phải chữ số', 'contains characters other than digits'),
    'cccd_is_old_cmnd': ('là số CMND cũ 9 chữ số, không phải CCCD 12 chữ số', 'is an old 9-digit CMND, not a 12-digit CCCD'),
    'cccd_wrong_length': ('không đủ 12 chữ số', 'does not have 12 digits'),
    'cccd_unknown_province': ('3 chữ số đầu không phải mã tỉnh hợp lệ', 'first 3 digits are not a valid province code'),
    'cccd_birth_century_implausible': ('chữ số thứ 4 cho thế kỷ sinh không hợp lý', '4th digit gives an implausible birth century'),
    'cccd_sex_mismatch': ('chữ số thứ 4 không khớp giới tính', '4th digit does not match the sex given'),
    'cccd_birth_year_mismatch': ('chữ số 5-6 không khớp năm sinh', 'digits 5-6 do not match the birth year'),
} %}

with

persons as (

    -- a residence is quoted by the unit names it holds, never its house number, street or hamlet (personal data)
    select *, coalesce(residence_ward_written, '(địa chỉ)') as residence_ward_quoted
    from {{ ref('int_persons_cccd_checked') }}

),

issues as (

    {% for attribute, raw_column, code_list, label_vi, label_en in unmapped %}
        select
            source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
            '{{ attribute }}' as column_name,
            '{{ code_list }}' as code_list,
            {{ raw_column }} as raw_value,
            {{ normalise_key(raw_column) }} as value_key,
            'unmapped_value' as issue_code,
            'warning' as severity,
            '{{ label_vi }}: giá trị "' || {{ raw_column }} || '" không có trong danh mục ({{ code_list }}). '
            || 'Sửa theo danh mục, hoặc đề nghị bổ sung cách viết này vào bảng đồng nghĩa.' as message_vi,
            'Unmapped {{ label_en }}: "' || {{ raw_column }} || '" is not in the {{ code_list }} code list. '
            || 'Correct it to a listed value, or ask for this spelling to be added to the synonym seed.' as message_en
        from persons
        where {{ attribute }}_unmapped
        union all
    {% endfor %}

    {% for attribute, raw_column, code_list, label_vi, label_en in unmapped
        if attribute in ['ethnicity', 'status', 'role', 'teaching_level', 'employer_type', 'science_field'] %}
        select
            source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
            '{{ attribute }}', '{{ code_list }}', {{ raw_column }}, {{ normalise_key(raw_column) }},
            'fuzzy_mapped', 'warning',
            '{{ label_vi }}: giá trị "' || {{ raw_column }} || '" không có trong danh mục; đã hiểu là mã '
            || {{ attribute }}_code || ' (cách viết gần nhất, sai khác 1-2 ký tự). Kiểm tra và sửa lại cho đúng.',
            '{{ label_en | capitalize }}: "' || {{ raw_column }} || '" is not a known spelling; read as code '
            || {{ attribute }}_code || ' (the nearest known spelling, 1-2 characters apart). Check and correct it.'
        from persons
        where {{ attribute }}_fuzzy
        union all
    {% endfor %}

    select
        source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
        'residence_ward', 'residence_ward', residence_ward_quoted, {{ normalise_key('residence_ward_quoted') }},
        'ward_ambiguous', 'warning',
        'Nơi cư trú "' || residence_ward_quoted || '" có thể là nhiều phường/xã mới ('
        || array_to_string(residence_ward_candidates, ', ')
        || '): đơn vị cũ đã chia, hoặc tên trùng. Ghi tên phường/xã mới (sau 01/7/2025), kèm huyện cũ nếu ghi tên cũ.',
        'Residence "' || residence_ward_quoted || '" may be several new units ('
        || array_to_string(residence_ward_candidates, ', ')
        || '): an old unit that was split, or a shared name. Write the new ward or commune (since 1 July 2025), '
        || 'with the old district when writing an old name.'
    from persons
    where residence_ward_ambiguous

    union all

    select
        source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
        'cccd', 'cccd', regexp_replace(cccd_raw, '\d', '#', 'g'), null,
        cccd_issue_code, 'warning',
        'Số CCCD ' || case cccd_issue_code
            {%- for code, messages in cccd_reasons.items() %}
                when '{{ code }}' then '{{ messages[0] }}'
            {%- endfor %}
        end || '. Kiểm tra lại số trên thẻ CCCD; dòng này không được dùng số CCCD để ghép người.',
        'Citizen ID ' || case cccd_issue_code
            {%- for code, messages in cccd_reasons.items() %}
                when '{{ code }}' then '{{ messages[1] }}'
            {%- endfor %}
        end || '. Check the number on the card; the row is matched without it.'
    from persons
    where cccd_issue_code is not null

    union all

    select
        source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
        'cccd', 'cccd', regexp_replace(cccd_raw, '\d', '#', 'g'), null,
        'cccd_leading_zero_restored', 'warning',
        'Số CCCD có 11 chữ số (mất số 0 đầu do Excel); đã thêm số 0. Định dạng cột CCCD là văn bản.',
        'Citizen ID had 11 digits (Excel dropped the leading 0); the 0 was restored. Format the CCCD column as text.'
    from persons
    where cccd_leading_zero_restored and cccd_issue_code is null

    union all

    select
        source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
        'birth_date', null, regexp_replace(birth_text, '\d', '#', 'g'), null,
        'date_unparseable', 'warning',
        'Ngày sinh không đọc được (dạng "' || regexp_replace(birth_text, '\d', '#', 'g')
        || '"). Ghi dd/mm/yyyy, mm/yyyy hoặc yyyy.',
        'Birth date cannot be read (shape "' || regexp_replace(birth_text, '\d', '#', 'g')
        || '"). Write dd/mm/yyyy, mm/yyyy or yyyy.'
    from persons
    where birth_text is not null and birth_date is null

    union all

    select
        source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
        'birth_date', null, birth_year::varchar, null,
        'birth_year_implausible', 'warning',
        'Năm sinh '
        || birth_year
        || ' không hợp lý cho kỳ '
        || period
        || ' (phải từ 1920 và đủ 15 tuổi). Kiểm tra lại.',
        'Birth year '
        || birth_year
        || ' is implausible for period '
        || period
        || ' (must be 1920 or later and age 15+). Check it.'
    from persons
    where birth_year < 1920 or birth_year > period_year - 15

    union all

    select
        source_file, sheet_name, source_row, unit_code, unit_kind, period, file_sha256,
        'updated_at', null, updated_at_text, null,
        'date_unparseable', 'warning',
        'Ngày cập nhật "' || updated_at_text || '" không đọc được. Ghi dd/mm/yyyy.',
        'Date updated "' || updated_at_text || '" cannot be read. Write dd/mm/yyyy.'
    from persons
    where updated_at_text is not null and updated_on is null

),

final as (

    select *, 'persons' as dataset from issues

)

select * from final
