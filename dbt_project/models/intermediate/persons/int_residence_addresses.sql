{#
    Residence as written -> post-2025 ward code, one row per distinct (residence_ward_raw, residence_district_raw).
    Units ask for a ward but often get a whole address ('Tổ 5, KP 3, phường Tân Mai, TP Biên Hòa, Đồng Nai'):
    reading only the first comma part lost the ward for a third of such rows, so the text is parsed first.

    1. Split into parts on commas, semicolons, brackets and spaced dashes, and before every unit-type word even
       without a comma ('Tổ 5 KP 3 phường Tân Mai TP Biên Hòa'). The split runs on the text with its diacritics,
       so 'Quận' splits but the 'Quán' of Định Quán does not; 'đường' never splits (Xuân Đường, Xã Đường 10).
    2. Type each part by its first word(s):
         ward      phường, xã, thị trấn, P., X., TT., F. ('Phường 7': the number is the name)
         district  huyện, quận, thị xã, thành phố, H., Q., TX., TP. (an old district of Đồng Nai / Bình Phước;
                   'TP Đồng Nai' is the province, 'TP HCM' or any district we do not know lies elsewhere)
         province  tỉnh X; an untyped 'Đồng Nai' / 'ĐN'; an untyped province name as the last of several parts
         drop      hamlet, quarter, group, street, house number: ấp, thôn, khu phố, KP, tổ (dân phố), số (nhà),
                   đường, hẻm, kiệt, ngõ, xóm, quốc/tỉnh lộ..., a part starting with a digit, 'Việt Nam'
                   (a part that is itself a ward name, such as 'Đường 10' or 'Lộ 25', is never dropped)
         none      anything else: a bare ward name ('Tân Mai') or a bare district ('Biên Hòa')
       A part whose text is not a known name but starts with one followed by a district or the province
       ('P.Tân Mai Biên Hòa', 'Gia Tân 1 Thống Nhất') is cut there.
    3. The ward is the first ward-typed part; without one, the first untyped part that is a ward name (an old
       district name such as 'Biên Hòa' counts only as the first part of the address: in 'KP 3, Biên Hòa' it is
       the old city, not the new ward). Once a ward part is written, no other part is read as the ward: in
       'P. Quyết Thắng, Biên Hòa' the ward is unknown, never the new ward Biên Hòa.
       The district is the district column, else the district-typed part, else the next untyped part.
    4. Encode through int_ward_lookup as before: a 5-digit code (new, then old, the whole cell only), old name +
       old district, new name, old name alone. When an old district we know is written, a new name counts only
       if that new unit took land from it, and an old name alone not at all ('Tân Tiến, Biên Hòa' is not Xã Tân
       Tiến of Lộc Ninh: never guessed). An old ward split between new wards, or a name of several units with
       nothing to tell them apart -> no code, the candidates listed (residence_ward_ambiguous downstream); when
       the candidates' names differ only in diacritics, the name as written decides ('Xã Lộc Thạnh' -> 25280).
    5. An address in another province (a foreign province or a district we do not know) gets no code.
    Lives in the restricted store (pii.working): the addresses hold house numbers and streets.
#}

{#- split before these words (case-insensitive, whole words); longer spellings first -#}
{% set split_words = [
    'tổ\s+dân\s+phố', 'to\s+dan\s+pho', 'khu\s+phố', 'khu\s+pho', 'thị\s+trấn', 'thi\s+tran', 'thị\s+xã', 'thi\s+xa',
    'thành\s+phố', 'thanh\s+pho', 'tỉnh\s+lộ', 'tinh\s+lo', 'quốc\s+lộ', 'quoc\s+lo', 'số\s+nhà', 'so\s+nha',
    'phường', 'phuong', 'xã', 'xa', 'huyện', 'huyen', 'quận', 'tỉnh', 'tinh', 'ấp', 'ap', 'thôn', 'thon', 'tổ',
    'to', 'kp', 'tdp', 'khóm', 'xóm', 'hẻm', 'ngõ', 'kiệt', 'số', 'p', 'x', 'tt', 'tp', 'tx', 'h', 'q', 'f',
] %}
{#- a part starting with one of these (normalised) is a hamlet, quarter, group, street or house: dropped -#}
{% set drop_pattern = '^(ap|thon|khu pho|khu|kp|to dan pho|to|tdp|so nha|so|sn|duong|hem|kiet|ngo|ngach|xom|ban|khom'
    ~ '|lo|tinh lo|quoc lo|huong lo|ql|tl|dt|block|tang|lau|can ho|chung cu|toa nha|toa|nha|cum|doi|km'
    ~ '|viet nam|vietnam|vn)( |$|[0-9])|^[0-9]' %}
{% set district_pattern = '^(huyen|quan|thi xa|thanh pho|tp|tx|h|q) (.+)$' %}
{% set ward_pattern = '^(phuong|xa|thi tran|p|x|tt|f) (.+)$' %}
{% set province_pattern = '^tinh (.+)$' %}
{#- Đồng Nai (and Bình Phước, merged into it in 2025); an untyped 'Đồng Nai' is never Xã Đồng Nai (Bù Đăng) -#}
{% set home_provinces = ['dong nai', 'dn', 'd nai', 'binh phuoc', 'bp'] %}
{% set always_province = ['dong nai', 'dn', 'd nai'] %}
{% set other_provinces = [
    'an giang', 'ba ria vung tau', 'brvt', 'ba ria', 'bac giang', 'bac kan', 'bac can', 'bac lieu', 'bac ninh',
    'ben tre', 'binh dinh', 'binh duong', 'binh thuan', 'ca mau', 'can tho', 'cao bang', 'da nang', 'dak lak',
    'dac lac', 'daklak', 'dak nong', 'daknong', 'dien bien', 'dong thap', 'gia lai', 'ha giang', 'ha nam', 'ha noi',
    'hn', 'ha tinh', 'hai duong', 'hai phong', 'hau giang', 'hoa binh', 'hung yen', 'khanh hoa', 'kien giang',
    'kon tum', 'lai chau', 'lam dong', 'lang son', 'lao cai', 'long an', 'nam dinh', 'nghe an', 'ninh binh',
    'ninh thuan', 'phu tho', 'phu yen', 'quang binh', 'quang nam', 'quang ngai', 'quang ninh', 'quang tri',
    'soc trang', 'son la', 'tay ninh', 'thai binh', 'thai nguyen', 'thanh hoa', 'thua thien hue', 'hue',
    'tien giang', 'tra vinh', 'tuyen quang', 'vinh long', 'vinh phuc', 'yen bai', 'ho chi minh', 'hcm', 'tp hcm',
    'tphcm', 'sai gon', 'sg',
] %}
{#-
    A key that keeps the diacritics (lower case, NFC, punctuation -> space, padded with spaces), the tone mark
    always on the same vowel ('Hoà' = 'Hòa'): it tells apart names whose plain keys meet ('Lộc Thành' and
    'Lộc Thạnh', 'Thanh Phú' and 'Thạnh Phú').
-#}
{%- set tones = [('oà', 'òa'), ('oá', 'óa'), ('oả', 'ỏa'), ('oã', 'õa'), ('oạ', 'ọa'), ('oè', 'òe'), ('oé', 'óe'),
    ('oẻ', 'ỏe'), ('oẽ', 'õe'), ('oẹ', 'ọe'), ('uỳ', 'ùy'), ('uý', 'úy'), ('uỷ', 'ủy'), ('uỹ', 'ũy'), ('uỵ', 'ụy')] -%}
{#- a dbt model cannot define a macro: the SQL is a template, __expr__ replaced where it is used -#}
{%- set marked_key -%}
    (' ' || trim(regexp_replace(
        {% for old, new in tones %}replace({% endfor %}lower(nfc_normalize(__expr__))
    {%- for old, new in tones %}, '{{ old }}', '{{ new }}'){% endfor %},
        '[^a-z0-9àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+', ' ', 'g')) || ' ')
{%- endset %}

{#- district spellings the crosswalk does not hold -#}
{% set district_aliases = {'bh': 'bien hoa', 'lk': 'long khanh'} %}

with

addresses as (

    select
        residence_ward_raw,
        residence_district_raw,
        row_number() over (order by residence_ward_raw, residence_district_raw) as address_id
    from (
        select distinct residence_ward_raw, residence_district_raw
        from {{ ref('stg_submissions__persons') }}
        where residence_ward_raw is not null
    )

),

ward_lookup as (

    select * from {{ ref('int_ward_lookup') }}

),

blank_keys as (

    select value_key from {{ ref('int_code_synonyms') }}
    where code_list = 'blank'

),

-- every name a ward can be written by (new or old), and every old district (with the aliases)
known_ward_names as (

    select distinct ward_key from ward_lookup
    where lookup_kind in ('new_name', 'old_name', 'old_name_district')

),

known_districts as (

    select distinct district_key as written_key, district_key
    from ward_lookup
    where lookup_kind = 'old_name_district' and district_key <> ''
    {% for alias, district in district_aliases.items() %}
        union all
        select '{{ alias }}', '{{ district }}'
    {% endfor %}

),

provinces as (

    select unnest({{ home_provinces }}::varchar[]) as province_key, true as is_home
    union all
    select unnest({{ other_provinces }}::varchar[]), false

),

-- the ward text (source_rank 0) and the district column (1), each cut into parts
texts as (

    select address_id, 0 as source_rank, residence_ward_raw as written from addresses
    union all
    select address_id, 1, residence_district_raw from addresses
    where residence_district_raw is not null

),

split as (

    select
        address_id,
        source_rank,
        string_split(
            regexp_replace(
                -- pad every word with its own spaces so that neighbouring split words both match
                ' ' || regexp_replace(
                    regexp_replace(
                        -- 'P7', 'F.7', 'Q1' -> 'P 7'
                        regexp_replace(
                            replace(nfc_normalize(written), '.', ' '), '(^|\s)([pfqx])(\d{1,2})(\s|$)',
                            '\1\2 \3\4', 'gi'
                        ),
                        '[,;()\[\]|\n]|\s[-–—/]\s', ' | ', 'g'
                    ),
                    '\s+', '  ', 'g'
                ) || ' ',
                ' ({{ split_words | join("|") }}) ', ' | \1 ', 'gi'
            ),
            '|'
        ) as pieces
    from texts

),

pieces as (

    select
        address_id,
        source_rank,
        generate_subscripts(pieces, 1) as piece_index,
        unnest(pieces) as piece
    from split

),

parts_keyed as (

    select
        address_id,
        source_rank,
        row_number() over (partition by address_id order by source_rank, piece_index) as position,
        trim(regexp_replace(piece, '\s+', ' ', 'g')) as piece,
        {{ normalise_key('piece', is_nfc=true) }} as part_key
    from pieces
    where {{ normalise_key('piece', is_nfc=true) }} is not null

),

parts_typed as (

    select
        parts_keyed.*,
        case
            when known_whole.ward_key is null and regexp_matches(part_key, '{{ drop_pattern }}') then 'drop'
            when regexp_matches(part_key, '{{ district_pattern }}') then 'district'
            when regexp_matches(part_key, '{{ ward_pattern }}') then 'ward'
            when regexp_matches(part_key, '{{ province_pattern }}') then 'province'
            else 'none'
        end as type_word_kind,
        coalesce(
            nullif(regexp_extract(part_key, '{{ district_pattern }}', 2), ''),
            nullif(regexp_extract(part_key, '{{ ward_pattern }}', 2), ''),
            nullif(regexp_extract(part_key, '{{ province_pattern }}', 1), ''),
            part_key
        ) as typed_name,
        known_whole.ward_key is not null as is_known_whole
    from parts_keyed
    left join known_ward_names as known_whole
        on parts_keyed.part_key = known_whole.ward_key

),

parts as (

    select
        parts_typed.address_id,
        parts_typed.source_rank,
        parts_typed.position,
        parts_typed.piece,
        case when parts_typed.type_word_kind in ('none', 'drop') then parts_typed.part_key
            else parts_typed.typed_name
        end as part_name,
        case
            when parts_typed.type_word_kind = 'drop' then 'drop'
            when parts_typed.type_word_kind = 'province' then 'province'
            -- 'TP Đồng Nai', 'TP HCM': a province-level city
            when parts_typed.type_word_kind = 'district' and province.province_key is not null then 'province'
            when parts_typed.type_word_kind = 'district' then 'district'
            when parts_typed.type_word_kind = 'ward' then 'ward'
            when parts_typed.part_key in ('{{ always_province | join("', '") }}') then 'province'  -- noqa: LT05
            -- an untyped province name as the last of several parts ('..., Bến Lức, Long An')
            when whole_province.province_key is not null and parts_typed.position > 1
                and parts_typed.position = max(parts_typed.position) over (
                    partition by parts_typed.address_id, parts_typed.source_rank
                )
                then 'province'
            else 'none'
        end as part_kind,
        -- another province, or a district-level unit Đồng Nai never had ('TP Vũng Tàu', 'Quận 7')
        case
            when parts_typed.type_word_kind = 'province' then not coalesce(province.is_home, true)
            when parts_typed.type_word_kind = 'district'
                then
                    coalesce(not province.is_home, district.district_key is null)
            when parts_typed.type_word_kind = 'none' and whole_province.province_key is not null
                and parts_typed.position > 1
                and parts_typed.position = max(parts_typed.position) over (
                    partition by parts_typed.address_id, parts_typed.source_rank
                )
                then not whole_province.is_home
            else false
        end as is_elsewhere,
        -- the name (after its type word) is a ward name as it stands
        case when parts_typed.type_word_kind in ('none', 'drop') then parts_typed.is_known_whole
            else known_typed.ward_key is not null
        end as is_known_ward_name,
        coalesce(
            district.district_key,
            case when parts_typed.type_word_kind = 'none' then whole_district.district_key end
        ) as district_key
    from parts_typed
    left join provinces as province
        on parts_typed.type_word_kind in ('province', 'district') and parts_typed.typed_name = province.province_key
    left join provinces as whole_province
        on parts_typed.type_word_kind = 'none' and parts_typed.part_key = whole_province.province_key
    left join known_districts as district
        on parts_typed.type_word_kind = 'district' and parts_typed.typed_name = district.written_key
    left join known_districts as whole_district
        on parts_typed.type_word_kind = 'none' and parts_typed.part_key = whole_district.written_key
    left join known_ward_names as known_typed
        on parts_typed.type_word_kind not in ('none', 'drop') and parts_typed.typed_name = known_typed.ward_key

),

-- a part that is no known name but starts with one followed by a district or the province: cut it there
part_prefixes as (

    select
        address_id,
        position,
        string_split(part_name, ' ') as words,
        unnest(range(1, len(string_split(part_name, ' ')))) as prefix_length
    from parts
    where part_kind in ('ward', 'none') and not is_known_ward_name and part_name like '% %'

),

part_cuts as (

    select
        part_prefixes.address_id,
        part_prefixes.position,
        arg_max(
            array_to_string(part_prefixes.words[1:part_prefixes.prefix_length], ' '), part_prefixes.prefix_length
        ) as ward_name,
        arg_max(
            coalesce(rest_district.district_key, rest_district_province.district_key),
            part_prefixes.prefix_length
        ) as district_key
    from part_prefixes
    inner join known_ward_names
        on known_ward_names.ward_key = array_to_string(part_prefixes.words[1:part_prefixes.prefix_length], ' ')
    left join known_districts as rest_district
        on rest_district.written_key = array_to_string(part_prefixes.words[part_prefixes.prefix_length + 1:], ' ')
    left join known_districts as rest_district_province
        on rest_district_province.written_key = regexp_replace(
                array_to_string(part_prefixes.words[part_prefixes.prefix_length + 1:], ' '),
                ' (tinh |tp |thanh pho )?({{ home_provinces | join("|") }})$', ''
            )
    where rest_district.district_key is not null
        or rest_district_province.district_key is not null
        or regexp_full_match(
            array_to_string(part_prefixes.words[part_prefixes.prefix_length + 1:], ' '),
            '(tinh |tp |thanh pho )?({{ home_provinces | join("|") }})'
        )
    group by part_prefixes.address_id, part_prefixes.position

),

parts_read as (

    select
        parts.*,
        case when parts.is_known_ward_name then parts.part_name else part_cuts.ward_name end as ward_name,
        part_cuts.district_key as cut_district_key
    from parts
    left join part_cuts
        on parts.address_id = part_cuts.address_id and parts.position = part_cuts.position

),

-- the ward part: the first ward-typed part, else the first untyped ward name (an old district only as the
-- address's first part)
ward_parts as (

    select
        address_id,
        first(position order by part_kind = 'ward' desc, position) as ward_position
    from parts_read
    where part_kind = 'ward'
        or (
            part_kind = 'none' and ward_name is not null
            and (district_key is null or position = 1 or ward_name <> part_name)
        )
    group by address_id

),

district_parts as (

    select
        parts_read.address_id,
        first(
            coalesce(parts_read.district_key, parts_read.part_name)
            order by
                parts_read.source_rank = 1 desc, parts_read.part_kind = 'district' desc,
                parts_read.district_key is not null desc, parts_read.position
        ) as district_key
    from parts_read
    left join ward_parts
        on parts_read.address_id = ward_parts.address_id
    where parts_read.position is distinct from ward_parts.ward_position
        and (
            parts_read.part_kind = 'district'
            or (
                parts_read.part_kind = 'none'
                and (
                    parts_read.position > coalesce(ward_parts.ward_position, 0)
                    or parts_read.district_key is not null
                )
            )
        )
    group by parts_read.address_id

),

-- the district column's first district (or untyped) part
district_from_column as (

    select address_id, arg_min(coalesce(district_key, part_name), position) as district_key
    from parts_read
    where source_rank = 1 and part_kind in ('district', 'none')
    group by address_id

),

-- per address: whether a part lies elsewhere, the parts as read, and the parts that name a unit
address_summaries as (

    select
        address_id,
        bool_or(is_elsewhere) as is_elsewhere,
        list(part_kind || ':' || part_name order by position) as address_parts,
        -- no house number, street or hamlet: only parts that name a unit
        string_agg(piece, ', ' order by position) filter (
            where part_kind in ('ward', 'district', 'province') or is_known_ward_name or district_key is not null
        ) as ward_written
    from parts_read
    group by address_id

),

addresses_read as (

    select
        addresses.address_id,
        addresses.residence_ward_raw,
        addresses.residence_district_raw,
        case when regexp_full_match(addresses.residence_ward_raw, '\d{5}(\.0+)?')
                then left(addresses.residence_ward_raw, 5)
        end as residence_ward_code_text,
        -- a ward part that names no known unit keeps its name: it matches nothing and stays unmapped
        coalesce(ward_part.ward_name, ward_part.part_name) as residence_ward_key,
        ward_part.piece as ward_piece,
        -- the district column first, then a district cut from the ward part, then the district part
        coalesce(district_from_column.district_key, ward_part.cut_district_key, district_parts.district_key)
            as residence_district_key,
        coalesce(elsewhere.is_elsewhere, false) as residence_address_elsewhere,
        elsewhere.address_parts as residence_address_parts,
        elsewhere.ward_written as residence_ward_written,
        {{ normalise_key('addresses.residence_ward_raw', is_nfc=true) }} in (select value_key from blank_keys)
            as residence_ward_blank
    from addresses
    left join ward_parts
        on addresses.address_id = ward_parts.address_id
    left join parts_read as ward_part
        on ward_parts.address_id = ward_part.address_id and ward_parts.ward_position = ward_part.position
    left join district_parts
        on addresses.address_id = district_parts.address_id
    left join district_from_column
        on addresses.address_id = district_from_column.address_id
    left join address_summaries as elsewhere
        on addresses.address_id = elsewhere.address_id

),

addresses_known as (

    select
        addresses_read.*,
        -- an old district we know: a name alone must then fit it (no guessing a unit elsewhere)
        addresses_read.residence_district_key in (select district_key from known_districts) as district_is_known
    from addresses_read

),

matched as (

    select
        addresses_known.*,
        case
            when by_new_code.ward_key is not null then 'new_code'
            when by_old_code.ward_key is not null then 'old_code'
            when by_old_name_district.ward_key is not null then 'old_name_district'
            when by_new_name.ward_key is not null then 'new_name'
            when by_old_name.ward_key is not null then 'old_name'
        end as residence_ward_match,
        by_new_code.ward_code as new_code_ward_code,
        by_new_code.candidate_codes as new_code_candidates,
        by_old_code.ward_code as old_code_ward_code,
        by_old_code.candidate_codes as old_code_candidates,
        by_old_name_district.ward_code as old_name_district_ward_code,
        by_old_name_district.candidate_codes as old_name_district_candidates,
        by_old_name_district.candidate_names as old_name_district_names,
        by_new_name.ward_code as new_name_ward_code,
        by_new_name.candidate_codes as new_name_candidates,
        by_new_name.candidate_names as new_name_names,
        by_old_name.ward_code as old_name_ward_code,
        by_old_name.candidate_codes as old_name_candidates,
        by_old_name.candidate_names as old_name_names
    from addresses_known
    left join ward_lookup as by_new_code
        on by_new_code.lookup_kind = 'new_code' and addresses_known.residence_ward_code_text = by_new_code.ward_key
    left join ward_lookup as by_old_code
        on by_old_code.lookup_kind = 'old_code' and addresses_known.residence_ward_code_text = by_old_code.ward_key
    left join ward_lookup as by_old_name_district
        on not addresses_known.residence_address_elsewhere
            and by_old_name_district.lookup_kind = 'old_name_district'
            and addresses_known.residence_ward_key = by_old_name_district.ward_key
            and addresses_known.residence_district_key = by_old_name_district.district_key
    -- a new name alone, or with an old district it took land from
    left join ward_lookup as by_new_name
        on not addresses_known.residence_address_elsewhere
            and addresses_known.residence_ward_key = by_new_name.ward_key
            and (
                (
                    not coalesce(addresses_known.district_is_known, false)
                    and by_new_name.lookup_kind = 'new_name' and by_new_name.district_key = ''
                )
                or (
                    addresses_known.district_is_known
                    and by_new_name.lookup_kind = 'new_name_district'
                    and addresses_known.residence_district_key = by_new_name.district_key
                )
            )
    -- an old name alone only when no old district we know is written beside it
    left join ward_lookup as by_old_name
        on not addresses_known.residence_address_elsewhere
            and not coalesce(addresses_known.district_is_known, false)
            and by_old_name.lookup_kind = 'old_name' and addresses_known.residence_ward_key = by_old_name.ward_key

),

leveled as (

    select
        *,
        case matched.residence_ward_match
            when 'new_code' then matched.new_code_ward_code
            when 'old_code' then matched.old_code_ward_code
            when 'old_name_district' then matched.old_name_district_ward_code
            when 'new_name' then matched.new_name_ward_code
            when 'old_name' then matched.old_name_ward_code
        end as level_ward_code,
        case matched.residence_ward_match
            when 'new_code' then matched.new_code_candidates
            when 'old_code' then matched.old_code_candidates
            when 'old_name_district' then matched.old_name_district_candidates
            when 'new_name' then matched.new_name_candidates
            when 'old_name' then matched.old_name_candidates
        end as level_candidates,
        -- the candidates whose name, diacritics and all, is the one written in the ward part
        list_filter(
            case matched.residence_ward_match
                when 'old_name_district' then matched.old_name_district_names
                when 'new_name' then matched.new_name_names
                when 'old_name' then matched.old_name_names
            end,
            lambda candidate: contains(
                {{ marked_key | replace('__expr__', 'ward_piece') }},
                {{ marked_key | replace('__expr__', 'candidate.written_name') }}
            )
        ) as written_candidates
    from matched

),

resolved as (

    select
        *,
        case when len(list_distinct(list_transform(leveled.written_candidates, lambda candidate: candidate.ward_code)))
                = 1
                then leveled.written_candidates[1].ward_code
        end as written_ward_code
    from leveled

),

final as (

    select
        residence_ward_raw,
        residence_district_raw,
        coalesce(level_ward_code, written_ward_code) as residence_ward_code,
        residence_ward_match,
        case when level_ward_code is null and written_ward_code is not null then [written_ward_code]
            else level_candidates
        end as residence_ward_candidates,
        -- every unit the name alone can mean (new or old name): a ward's own list prefers itself among them
        case when residence_ward_match in ('new_name', 'old_name') or residence_ward_match is null
                then list_distinct(list_concat(coalesce(new_name_candidates, []), coalesce(old_name_candidates, [])))
        end as residence_ward_name_candidates,
        residence_ward_blank,
        residence_ward_key,
        residence_district_key,
        residence_address_elsewhere,
        residence_address_parts,
        residence_ward_written
    from resolved

)

select * from final
