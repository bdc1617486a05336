{#
    What the section headings above a row say about it. The reader carries every section label above a data row
    in `section` ('BỆNH VIỆN ĐA KHOA ĐỒNG NAI » BÁC SĨ', 'TRÍ THỨC ĐANG CÔNG TÁC » MẦM NON'), outermost first. Each
    label (part) is read as one of:
      teaching level  the part, after a leading 'trường', 'khối', 'cấp', 'bậc', 'giáo viên', begins with a
                      teaching-level spelling ('MẦM NON', 'TIỂU HỌC', 'Trường THCS Tân Mai'); university, college
                      and vocational levels only in a school's name ('ĐẠI HỌC' alone may group people by degree)
      status group    the part, after a leading 'trí thức', 'cán bộ', 'viên chức', 'danh sách', begins with a
                      status spelling ('TRÍ THỨC ĐÃ NGHỈ HƯU', 'Đang công tác') and is not an organisation
      role            the part names exactly one profession (role_profession_words: 'BÁC SĨ'; not 'DƯỢC SĨ -
                      ĐIỀU DƯỠNG', which names two)
      employer        the longest heading word the part begins with names an employer (section_heading_words:
                      'Bệnh viện', 'Trường', 'Phòng Giáo dục'; not 'Khoa', 'Phòng', 'Tổ')
    The last (innermost) part of each kind wins. One row per distinct `section` value. The person models use a
    section's value only where the row itself gives none.
#}
{{ config(database=target.database, schema='intermediate') }}

with

sections as (

    -- the headings as stg_submissions__persons cleans them (a heading is no personal data)
    select distinct section
    from {{ ref('stg_submissions__persons') }}
    where section is not null

),

parts as (

    select
        section,
        part_number,
        trim(part) as part,
        {{ normalise_key('part') }} as part_key
    from (
        select
            section,
            unnest(string_split(section, ' » ')) as part,
            generate_subscripts(string_split(section, ' » '), 1) as part_number
        from sections
    ) as split_sections

),

synonyms as (

    select code_list, value_key, code from {{ ref('int_code_synonyms') }}
    where code_list in ('teaching_level', 'status') and coalesce(unit_kind, '') = ''

),

heading_words as (

    select {{ normalise_key('words') }} as words_key, names_employer from {{ ref('section_heading_words') }}

),

profession_words as (

    select {{ normalise_key('words') }} as words_key, role_code, coalesce(rank, 1) as rank
    from {{ ref('role_profession_words') }}
    where coalesce(unit_kind, '') = ''

),

parts_read as (

    select
        parts.*,
        -- the longest heading word the part begins with: 'phong giao duc' (an employer) over 'phong' (a division)
        coalesce((
            select arg_max(heading_words.names_employer, length(heading_words.words_key)) from heading_words
            where starts_with(parts.part_key || ' ', heading_words.words_key || ' ')
        ), false) as is_organisation,
        regexp_replace(parts.part_key, '^(truong|khoi|cap|bac|giao vien|nganh) ', '') as level_key,
        regexp_replace(parts.part_key, '^(danh sach )?(tri thuc|can bo|vien chuc|cong chuc|nguoi) ', '')
            as status_key
    from parts

),

part_codes as (

    -- the longest teaching-level or status spelling the part begins with ('trung hoc co so' over 'trung hoc',
    -- 'cong tac nuoc ngoai' over 'cong tac')
    select
        parts_read.section,
        parts_read.part_number,
        synonyms.code_list,
        arg_max(synonyms.code, length(synonyms.value_key)) as code
    from parts_read
    inner join synonyms
        on starts_with(
                (case synonyms.code_list when 'teaching_level' then parts_read.level_key else parts_read.status_key end)
                || ' ',
                synonyms.value_key || ' '
            )
    where case synonyms.code_list
            -- 'ĐẠI HỌC', 'CAO ĐẲNG', 'TRUNG CẤP' alone may group people by degree: a school level only in a school's name
            when 'teaching_level'
                then synonyms.code not in ('UNIVERSITY', 'COLLEGE', 'VOCATIONAL')
                    or starts_with(parts_read.part_key, 'truong ')
            -- a status is never read from an organisation's name ('Bệnh viện Mắt')
            else not parts_read.is_organisation
        end
    group by all

),

part_profession_hits as (

    select
        parts_read.section, parts_read.part_number, profession_words.words_key, profession_words.role_code,
        profession_words.rank
    from parts_read
    inner join profession_words
        on (' ' || parts_read.part_key || ' ') like ('% ' || profession_words.words_key || ' %')

),

part_roles as (

    -- words inside a longer hit do not count ('bac si' inside 'bac si thu y'), a profession outranks a head's
    -- title, and two professions decide nothing
    select section, part_number, max(role_code) as code
    from (
        select hit.*
        from part_profession_hits as hit
        where not exists (
                select 1 from part_profession_hits as longer
                where longer.section = hit.section and longer.part_number = hit.part_number
                    and length(longer.words_key) > length(hit.words_key)
                    and (' ' || longer.words_key || ' ') like ('% ' || hit.words_key || ' %')
            )
        qualify hit.rank = min(hit.rank) over (partition by hit.section, hit.part_number)
    ) as kept_hits
    group by all
    having count(distinct role_code) = 1

),

final as (

    select
        parts_read.section,
        arg_max(part_levels.code, parts_read.part_number) filter (where part_levels.code is not null)
            as section_teaching_level_code,
        arg_max(part_statuses.code, parts_read.part_number) filter (where part_statuses.code is not null)
            as section_status_code,
        arg_max(part_roles.code, parts_read.part_number) filter (where part_roles.code is not null)
            as section_role_code,
        arg_max(parts_read.part, parts_read.part_number) filter (where parts_read.is_organisation)
            as section_employer
    from parts_read
    left join part_codes as part_levels
        on part_levels.code_list = 'teaching_level'
            and parts_read.section = part_levels.section and parts_read.part_number = part_levels.part_number
    left join part_codes as part_statuses
        on part_statuses.code_list = 'status'
            and parts_read.section = part_statuses.section and parts_read.part_number = part_statuses.part_number
    left join part_roles
        on parts_read.section = part_roles.section and parts_read.part_number = part_roles.part_number
    group by parts_read.section

)

select * from final
