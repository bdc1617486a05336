{#
    The only published table with personal data (the restricted store, pii.persons): per person_key, the surviving
    name, valid CCCD, exact birth date, phone and email, and every distinct value seen (lists), so a
    reviewer can check a resolution. cccd_issue_code: the CCCD rules (macros/cccd.sql) applied to the surviving
    number against the person's surviving sex and birth year (int_persons_survived, published as marts.dim_person):
    what the national hand-over reads to decide whether the number can key the person there.
#}

with

persons as (select * from {{ ref('int_persons_resolved') }}),

survived as (

    select person_key, sex_code, birth_year, try_cast(left(last_period, 4) as integer) as last_period_year
    from {{ ref('int_persons_survived') }}

),

{{ cccd_reference_ctes() }},

-- a person with several rows: the surviving values and every distinct one seen
from_several as (

    select
        person_key,
        -- a name written with its diacritics says more than one without
        first(
            full_name order by
                full_name <> strip_accents(full_name) desc, cccd_status = 'valid' desc,
                period desc, updated_on desc nulls last, record_id asc
        ) as full_name,
        -- list_sort(list_distinct(list(x))), not list(distinct x order by x): one pass instead of a grouping per list
        list_sort(list_distinct(list(full_name))) as full_names_seen,
        first(cccd order by period desc, record_id asc) filter (where cccd is not null) as cccd,
        list_sort(list_distinct(list(cccd_clean) filter (where cccd_clean is not null))) as cccd_values_seen,
        first(birth_date order by cccd_status = 'valid' desc, period desc, record_id asc)
        filter (where birth_date_precision = 'day') as birth_date,
        first(phone order by period desc, updated_on desc nulls last, record_id asc)
        filter (where phone is not null) as phone,
        list_sort(list_distinct(list(phone) filter (where phone is not null))) as phones_seen,
        first(email order by period desc, updated_on desc nulls last, record_id asc)
        filter (where email is not null) as email,
        list_sort(list_distinct(list(email) filter (where email is not null))) as emails_seen,
        list(record_id order by period, record_id) as record_ids
    from persons
    where {{ several_records_path() }}
    group by person_key

),

-- a person with one row (most people): what the rules above give for a group of one, without grouping
from_one as (

    select
        person_key,
        full_name,
        -- as the aggregates give them: list() keeps a null (list_distinct then drops it); list() filtered to
        -- nothing is null
        case when full_name is null then [] else [full_name] end as full_names_seen,
        cccd,
        case when cccd_clean is not null then [cccd_clean] end as cccd_values_seen,
        case when birth_date_precision = 'day' then birth_date end as birth_date,
        phone,
        case when phone is not null then [phone] end as phones_seen,
        email,
        case when email is not null then [email] end as emails_seen,
        [record_id] as record_ids
    from persons
    where {{ one_record_path() }}

),

resolved as (

    select * from from_several
    union all by name
    select * from from_one

),

with_survivors as (

    select
        resolved.*,
        survived.sex_code as survived_sex_code,
        survived.birth_year as survived_birth_year,
        survived.last_period_year
    from resolved
    left join survived
        on resolved.person_key = survived.person_key

),

checked as (

    {{ cccd_checked('with_survivors', cccd='cccd', cccd_written='cccd', sex_code='survived_sex_code',
                    birth_year='survived_birth_year', period_year='last_period_year') }}

),

final as (

    select
        person_key,
        full_name,
        full_names_seen,
        cccd,
        cccd_values_seen,
        birth_date,
        phone,
        phones_seen,
        email,
        emails_seen,
        record_ids,
        cccd_issue_code
    from checked

)

select * from final
