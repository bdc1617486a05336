{#
    Every spelling we know for every code list, as (code_list, value_key, unit_kind, code): the names, codes
    and 'variants' of the reference code lists plus the officer-maintained synonym seeds. The synonym seeds
    win when both give a key. unit_kind '' = any list; role_synonyms may name a unit kind ('GV' on a
    university's list is a lecturer, elsewhere a teacher), and such a row wins on that unit kind's lists.
    Holds no personal data, so it lives in schema intermediate.
#}
{{ config(database=target.database, schema='intermediate') }}

with

qualification_levels as (select * from {{ ref('qualification_levels') }}),

qualification_variants as (select * from {{ ref('qualification_variants') }}),

qualification_precedence as (select * from {{ ref('qualification_precedence') }}),

academic_titles as (select * from {{ ref('academic_titles') }}),

ethnic_groups as (select * from {{ ref('ethnic_groups') }}),

science_fields as (select * from {{ ref('science_fields') }}),

occupations as (select * from {{ ref('occupations_vsco_major') }}),

employment_sectors as (select * from {{ ref('employment_sectors') }}),

reference_values as (

    select 'qualification' as code_list, code as value, code from qualification_levels
    union all
    select 'qualification', name_vi, code from qualification_levels
    union all
    select 'qualification', variant, level_code from qualification_variants
    where level_code is not null
    union all
    select 'academic_title', code as value, code from academic_titles
    union all
    select 'academic_title', name_vi, code from academic_titles
    union all
    select 'academic_title', unnest(string_split(variants, '|')), code from academic_titles
    union all
    select 'ethnicity', name_vi, code_1979_qd121 from ethnic_groups
    union all
    select 'ethnicity', name_in_qd1019_2008, code_1979_qd121 from ethnic_groups
    union all
    select 'ethnicity', name_1979_list, code_1979_qd121 from ethnic_groups
    union all
    select 'ethnicity', unnest(string_split(variants, '|')), code_1979_qd121 from ethnic_groups
    union all
    -- persons carry level-2 fields: a level-3 code or name gives its level-2 parent
    select 'science_field', code, case when level = 3 then parent_code else code end from science_fields
    union all
    select 'science_field', name_vi, case when level = 3 then parent_code else code end from science_fields
    union all
    select 'science_field', oecd_fos, code from science_fields
    where level <= 2
    union all
    select 'occupation', code as value, code from occupations
    union all
    select 'occupation', name_vi, code from occupations
    union all
    select 'employer_type', code as value, code from employment_sectors
    where scheme = 'employer_type'
    union all
    select 'employer_type', name_vi, code from employment_sectors
    where scheme = 'employer_type'

),

seed_values as (

    {% set seeds = {
        'sex': 'sex_synonyms', 'yes_no': 'yes_no_synonyms', 'status': 'status_synonyms',
        'role': 'role_synonyms', 'teaching_level': 'teaching_level_synonyms',
        'employer_type': 'employer_type_synonyms', 'science_field': 'science_field_synonyms',
        'occupation': 'occupation_synonyms', 'qualification': 'qualification_synonyms',
        'academic_title': 'academic_title_synonyms', 'ethnicity': 'ethnicity_synonyms'
    } %}
    {% set seeds_with_unit_kind = ['role_synonyms'] %}
    {% for code_list, seed in seeds.items() %}
        select
            '{{ code_list }}' as code_list, value, code,
            {% if seed in seeds_with_unit_kind %}coalesce(unit_kind, ''){% else %}''{% endif %} as unit_kind
        from {{ ref(seed) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
    union all
    select 'blank', value, '', '' from {{ ref('blank_values') }}

),

keyed as (

    select
        code_list, {{ normalise_key('value') }} as value_key, unit_kind, code, 1 as origin_rank,
        'synonym_seed' as origin
    from seed_values
    union all
    select code_list, {{ normalise_key('value') }}, '', code, 2, 'reference'
    from reference_values

),

ranked as (

    select
        code_list,
        value_key,
        unit_kind,
        code,
        origin,
        row_number() over (partition by code_list, value_key, unit_kind order by origin_rank, code) as key_rank,
        count(distinct code) over (partition by code_list, value_key, unit_kind, origin_rank) as codes_for_key
    from keyed
    where value_key is not null and code is not null

),

final as (

    select
        ranked.code_list,
        ranked.value_key,
        ranked.unit_kind,
        ranked.code,
        ranked.origin,
        qualification_precedence.precedence as qualification_precedence,
        ranked.codes_for_key > 1 as is_conflicting
    from ranked
    left join qualification_precedence
        on ranked.code_list = 'qualification' and ranked.code = qualification_precedence.code
    where ranked.key_rank = 1

)

select * from final
