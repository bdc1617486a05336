-- Population denominators as known at each period: for period P (year Y) the latest population year <= Y
-- found in files of periods <= P, the latest file winning for a year. City = every row of that year,
-- wards = rows resolved to a post-2025 ward code (a code, a current name, or an old code merged whole).
with

population as (
    select * from {{ ref('stg_submissions__populations') }}
),

ward_keys as (
    select * from {{ ref('int_register_ward_keys') }}
),

periods as (
    select * from {{ ref('int_reporting_periods') }}
),

resolved as (
    select
        pop.*,
        coalesce(wcd.ward_code, wnm.ward_code) as ward_code
    from population as pop
    left join ward_keys as wcd on wcd.key_kind in ('code', 'old_code') and wcd.ward_key = pop.ward_code_given
    left join ward_keys as wnm on wnm.key_kind = 'name' and wnm.ward_key = pop.ward_name_key
    where pop.population_year is not null and pop.population_total is not null
),

known_at_period as (
    select prd.period, prd.period_year, rsv.*
        exclude (period),
        rsv.period as file_period
    from periods as prd
    inner join resolved as rsv
        on rsv.period <= prd.period and rsv.population_year <= prd.period_year
),

chosen_year as (
    select kap.period, max(kap.population_year) as population_year
    from known_at_period as kap
    group by kap.period
),

chosen_file_period as (
    select kap.period, kap.population_year, max(kap.file_period) as file_period
    from known_at_period as kap
    inner join chosen_year as cyr on cyr.period = kap.period and cyr.population_year = kap.population_year
    group by kap.period, kap.population_year
),

chosen_rows as (
    select kap.*
    from known_at_period as kap
    inner join chosen_file_period as cfp
        on cfp.period = kap.period and cfp.population_year = kap.population_year and cfp.file_period = kap.file_period
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
