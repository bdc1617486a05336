-- Population denominators as known at each period: for period P (year Y) the latest population year <= Y
-- found in files of periods <= P, the latest file winning for a year. City = every row of that year,
-- wards = rows resolved to a post-2025 ward code through int_ward_lookup (a code, a current name, or an old code
-- merged whole into one new ward).
with

population as (
    select * from {{ ref('stg_submissions__populations') }}
),

ward_lookup as (
    select * from {{ ref('int_ward_lookup') }}
),

periods as (
    select * from {{ ref('int_reporting_periods') }}
),

resolved as (
    select
        pop.*,
        coalesce(bnc.ward_code, boc.ward_code, bnm.ward_code) as ward_code
    from population as pop
    left join ward_lookup as bnc on bnc.lookup_kind = 'new_code' and pop.ward_code_given = bnc.ward_key
    left join ward_lookup as boc on boc.lookup_kind = 'old_code' and pop.ward_code_given = boc.ward_key
    left join ward_lookup as bnm on bnm.lookup_kind = 'new_name' and pop.ward_name_key = bnm.ward_key
    where pop.population_year is not null and pop.population_total is not null
),

known_at_period as (
    select
        prd.period, prd.period_year, rsv.*
        exclude (period),
        rsv.period as file_period
    from periods as prd
    inner join resolved as rsv
        on prd.period >= rsv.period and prd.period_year >= rsv.population_year
),

chosen_year as (
    select kap.period, max(kap.population_year) as population_year
    from known_at_period as kap
    group by kap.period
),

chosen_file_period as (
    select kap.period, kap.population_year, max(kap.file_period) as file_period
    from known_at_period as kap
    inner join chosen_year as cyr on kap.period = cyr.period and kap.population_year = cyr.population_year
    group by kap.period, kap.population_year
),

chosen_rows as (
    select kap.*
    from known_at_period as kap
    inner join chosen_file_period as cfp
        on kap.period = cfp.period and kap.population_year = cfp.population_year and kap.file_period = cfp.file_period
),

final as (
    select period, 'city' as geo_level, '_T' as geo_code, population_year, sum(population_total) as population
    from chosen_rows
    group by period, population_year
    union all
    select period, 'ward' as geo_level, ward_code as geo_code, population_year, sum(population_total) as population
    from chosen_rows
    where ward_code is not null
    group by period, ward_code, population_year
)

select * from final
