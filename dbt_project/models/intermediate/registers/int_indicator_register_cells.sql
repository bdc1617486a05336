-- Register-based measures (SKHCN, STC, SGDDT, CTK), city level unless the register names a ward.
-- A register row counts at period P when its file's period is <= P; the latest file wins for one item
-- (task, patent, award, enterprise) or for one year of an annual table. Annual measures are measured in H2.

with

definitions as (
    select * from {{ ref('indicator_definitions') }}
),

periods as (
    select * from {{ ref('int_reporting_periods') }}
),

st_tasks as (
    select * from {{ ref('stg_submissions__st_tasks') }}
),

patents as (
    select * from {{ ref('stg_submissions__patents') }}
),

awards as (
    select * from {{ ref('stg_submissions__awards') }}
),

enterprises as (
    select * from {{ ref('stg_submissions__enterprises') }}
),

budgets as (
    select * from {{ ref('stg_submissions__budgets') }}
),

vocational as (
    select * from {{ ref('stg_submissions__vocational_institutions') }}
),

teacher_trainings as (
    select * from {{ ref('stg_submissions__teacher_trainings') }}
),

labour_forces as (
    select * from {{ ref('stg_submissions__labour_forces') }}
),

science_fields as (
    select * from {{ ref('science_fields') }}
),

ward_lookup as (
    select * from {{ ref('int_ward_lookup') }}
),

baselines as (
    select def.measure_code, coalesce(def.cumulative_from_year, 2025) as baseline_year
    from definitions as def
),

field_names as (
    select
        {{ accent_free_key('scf.name_vi') }} as field_key,
        left(cast(scf.code as varchar), 1) as field_l1
    from science_fields as scf
    where scf.level in (1, 2)
),

field_keys as (
    select fln.field_key, min(fln.field_l1) as field_l1
    from field_names as fln
    group by fln.field_key
),

-- latest known row of each item as of each period --------------------------------------------------------

tasks_as_of as (
    select
        prd.period,
        prd.period_year,
        arg_max(tsk.accepted_year, tsk.period || tsk.source_file || lpad(cast(tsk.source_row as varchar), 9, '0'))
            as accepted_year,
        arg_max(tsk.is_applied, tsk.period || tsk.source_file || lpad(cast(tsk.source_row as varchar), 9, '0'))
            as is_applied,
        arg_max(tsk.science_field_raw, tsk.period || tsk.source_file || lpad(cast(tsk.source_row as varchar), 9, '0'))
            as science_field_raw
    from periods as prd
    inner join st_tasks as tsk on prd.period >= tsk.period
    where tsk.task_id is not null
    group by prd.period, prd.period_year, tsk.task_id
),

tasks_coded as (
    select
        tao.*,
        coalesce(
            case
                when regexp_matches(trim(tao.science_field_raw), '^[1-6]') then left(trim(tao.science_field_raw), 1)
            end,
            fln.field_l1,
            '_U'
        ) as science_field_code
    from tasks_as_of as tao
    left join field_keys as fln on fln.field_key = {{ accent_free_key('tao.science_field_raw') }}
),

patents_as_of as (
    select
        prd.period,
        prd.period_year,
        pat.application_number,
        arg_max(pat.ip_type_code, pat.period || pat.source_file || lpad(cast(pat.source_row as varchar), 9, '0'))
            as ip_type_code,
        arg_max(pat.filing_year, pat.period || pat.source_file || lpad(cast(pat.source_row as varchar), 9, '0'))
            as filing_year,
        arg_max(pat.grant_year, pat.period || pat.source_file || lpad(cast(pat.source_row as varchar), 9, '0'))
            as grant_year
    from periods as prd
    inner join patents as pat on prd.period >= pat.period
    where pat.application_number is not null and pat.application_number <> ''
    group by prd.period, prd.period_year, pat.application_number
),

awards_as_of as (
    select
        prd.period,
        prd.period_year,
        awd.award_id,
        arg_max(awd.award_level_code, awd.period || awd.source_file || lpad(cast(awd.source_row as varchar), 9, '0'))
            as award_level_code,
        arg_max(awd.award_year, awd.period || awd.source_file || lpad(cast(awd.source_row as varchar), 9, '0'))
            as award_year
    from periods as prd
    inner join awards as awd on prd.period >= awd.period
    group by prd.period, prd.period_year, awd.award_id
),

enterprises_as_of as (
    select
        prd.period,
        prd.period_year,
        ent.enterprise_id,
        arg_max(
            ent.enterprise_type_code, ent.period || ent.source_file || lpad(cast(ent.source_row as varchar), 9, '0')
        )
            as enterprise_type_code,
        arg_max(ent.certified_year, ent.period || ent.source_file || lpad(cast(ent.source_row as varchar), 9, '0'))
            as certified_year,
        arg_max(ent.ward_code_given, ent.period || ent.source_file || lpad(cast(ent.source_row as varchar), 9, '0'))
            as ward_code_given,
        arg_max(ent.ward_name_key, ent.period || ent.source_file || lpad(cast(ent.source_row as varchar), 9, '0'))
            as ward_name_key
    from periods as prd
    inner join enterprises as ent on prd.period >= ent.period
    where ent.enterprise_id is not null and ent.enterprise_id <> ''
    group by prd.period, prd.period_year, ent.enterprise_id
),

-- the ward written as a code (a new code, else an old code merged whole into one new ward) or as a current name
enterprises_located as (
    select eao.*, coalesce(bnc.ward_code, boc.ward_code, bnm.ward_code) as ward_code
    from enterprises_as_of as eao
    left join ward_lookup as bnc on bnc.lookup_kind = 'new_code' and eao.ward_code_given = bnc.ward_key
    left join ward_lookup as boc on boc.lookup_kind = 'old_code' and eao.ward_code_given = boc.ward_key
    left join ward_lookup as bnm on bnm.lookup_kind = 'new_name' and eao.ward_name_key = bnm.ward_key
),

-- annual tables: rows for the period's year from the latest file (period <= P) that reports that year --------

annual_periods as (
    select * from periods
    where is_annual
),

budgets_of_year as (
    {{ register_of_year('budgets', 'budget_year') }}
),

vocational_of_year as (
    {{ register_of_year('vocational', 'report_year') }}
),

trainings_of_year as (
    {{ register_of_year('teacher_trainings', 'report_year') }}
),

labour_of_year as (
    {{ register_of_year('labour_forces', 'report_year') }}
),

-- measures ------------------------------------------------------------------------------------------------

a2_counts as (
    select
        prd.period,
        count(*) filter (where pao.ip_type_code = 'INVENTION' and pao.filing_year = prd.period_year) as applications,
        count(*) filter (where pao.ip_type_code = 'INVENTION' and pao.filing_year = prd.period_year - 1)
            as applications_previous,
        count(*) filter (where pao.ip_type_code = 'INVENTION' and pao.grant_year = prd.period_year) as grants,
        count(*) filter (where pao.ip_type_code = 'INVENTION' and pao.grant_year = prd.period_year - 1)
            as grants_previous
    from annual_periods as prd
    inner join patents_as_of as pao on prd.period = pao.period
    group by prd.period
),

measure_rows as (
    select
        'A2_APP' as measure_code, a2c.period, 'city' as geo_level, '_T' as geo_code, 'total' as breakdown,
        '_T' as science_field_code, a2c.applications as numerator, a2c.applications_previous as denominator,
        case when a2c.applications_previous > 0 then 100.0 * a2c.applications / a2c.applications_previous - 100 end
            as value,
        case when a2c.applications_previous = 0 then 'no applications in the previous year: growth undefined' end
            as obs_note
    from a2_counts as a2c
    union all
    select
        'A2_GRANT', a2c.period, 'city', '_T', 'total', '_T', a2c.grants, a2c.grants_previous,
        case when a2c.grants_previous > 0 then 100.0 * a2c.grants / a2c.grants_previous - 100 end,
        case when a2c.grants_previous = 0 then 'no grants in the previous year: growth undefined' end
    from a2_counts as a2c
    union all
    select
        'A3', bgy.period, 'city', '_T', 'total', '_T',
        arg_max(bgy.st_spending_mvnd, bgy.source_row), arg_max(bgy.budget_spending_mvnd, bgy.source_row),
        100.0
        * arg_max(bgy.st_spending_mvnd, bgy.source_row)
        / nullif(arg_max(bgy.budget_spending_mvnd, bgy.source_row), 0),
        null
    from budgets_of_year as bgy
    group by bgy.period
    union all
    {%- for field_breakdown in [false, true] %}
        select
            'A4', tcd.period, 'city', '_T', {{ "'science_field_code'" if field_breakdown else "'total'" }},
            {{ 'tcd.science_field_code' if field_breakdown else "'_T'" }},
            count(*) filter (where tcd.is_applied), count(*) filter (where tcd.is_applied is not null),
            100.0
            * count(*) filter (where tcd.is_applied)
            / nullif(count(*) filter (where tcd.is_applied is not null), 0),
            null
        from tasks_coded as tcd
        inner join baselines as bsl on bsl.measure_code = 'A4'
        where tcd.accepted_year between bsl.baseline_year and tcd.period_year
        group by all
        union all
    {%- endfor %}
    select
        'A5', aao.period, 'city', '_T', 'total', '_T', count(*), null, count(*), null
    from awards_as_of as aao
    inner join baselines as bsl on bsl.measure_code = 'A5'
    where aao.award_level_code in ('NAT', 'REG', 'INT') and aao.award_year between bsl.baseline_year and aao.period_year
    group by aao.period
    union all
    select
        'B4_INST', voy.period, 'city', '_T', 'total', '_T',
        count(distinct voy.institution_id) filter (where voy.is_accredited),
        count(distinct voy.institution_id) filter (where voy.is_accredited is not null),
        100.0 * count(distinct voy.institution_id) filter (where voy.is_accredited)
        / nullif(count(distinct voy.institution_id) filter (where voy.is_accredited is not null), 0),
        null
    from vocational_of_year as voy
    group by voy.period
    union all
    select
        'B4_PROG', voy.period, 'city', '_T', 'total', '_T',
        sum(voy.key_programmes_accredited), sum(voy.key_programmes),
        100.0 * sum(voy.key_programmes_accredited) / nullif(sum(voy.key_programmes), 0), null
    from vocational_of_year as voy
    group by voy.period
    union all
    select
        'B5_TRAINED', lby.period, 'city', '_T', 'total', '_T',
        arg_max(lby.trained_certified, lby.source_row), arg_max(lby.labour_force, lby.source_row),
        100.0 * arg_max(lby.trained_certified, lby.source_row) / nullif(arg_max(lby.labour_force, lby.source_row), 0),
        null
    from labour_of_year as lby
    group by lby.period
    union all
    select
        'B5_IT', lby.period, 'city', '_T', 'total', '_T',
        arg_max(lby.it_skilled, lby.source_row), arg_max(lby.labour_force, lby.source_row),
        100.0 * arg_max(lby.it_skilled, lby.source_row) / nullif(arg_max(lby.labour_force, lby.source_row), 0), null
    from labour_of_year as lby
    group by lby.period
    union all
    select
        'B7', lby.period, 'city', '_T', 'total', '_T',
        arg_max(lby.hightech_knowledge_workers, lby.source_row), arg_max(lby.hightech_workforce, lby.source_row),
        100.0
        * arg_max(lby.hightech_knowledge_workers, lby.source_row)
        / nullif(arg_max(lby.hightech_workforce, lby.source_row), 0),
        null
    from labour_of_year as lby
    group by lby.period
    union all
    select
        'B6', toy.period, 'city', '_T', 'total', '_T',
        sum(toy.digital_trained),
        sum(toy.staff_total),
        100.0 * sum(toy.digital_trained) / nullif(sum(toy.staff_total), 0),
        null
    from trainings_of_year as toy
    group by toy.period
    {%- for measure_code, enterprise_type in [('E1_STE', 'STE'), ('E1_STARTUP', 'STARTUP')] %}
        {%- for geo_level in ['city', 'ward'] %}
            union all
            select
                '{{ measure_code }}',
                enl.period,
                '{{ geo_level }}',
                {{ "'_T'" if geo_level == 'city' else 'enl.ward_code' }},
                'total', '_T', count(*), null, count(*), null
            from enterprises_located as enl
            where enl.enterprise_type_code = '{{ enterprise_type }}' and enl.certified_year <= enl.period_year
                {%- if geo_level == 'ward' %} and enl.ward_code is not null{% endif %}
            group by all
        {%- endfor %}
    {%- endfor %}
),

final as (
    select
        msr.measure_code,
        msr.period,
        msr.geo_level,
        msr.geo_code,
        msr.breakdown,
        '_T' as sex_code,
        '_T' as age_group,
        '_T' as sector_code,
        msr.science_field_code,
        cast(msr.numerator as double) as numerator,
        cast(msr.denominator as double) as denominator,
        cast(msr.value as double) as value,
        cast(null as bigint) as cell_persons,
        coalesce(msr.obs_note, case when msr.value is null then 'denominator is zero or missing' end) as obs_note
    from measure_rows as msr
)

select * from final
