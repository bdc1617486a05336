-- Share of the units expected to send a measure's source datasets in a period that did send them
-- (a current, loaded file containing the dataset). What a unit owes in a period: int_unit_datasets_expected.
with

definitions as (
    select * from {{ ref('indicator_definitions') }}
),

datasets_expected as (
    select * from {{ ref('int_unit_datasets_expected') }}
),

file_versions as (
    select * from {{ ref('stg_ingest__files') }}
),

periods as (
    select * from {{ ref('int_reporting_periods') }}
),

measure_datasets as (
    select def.measure_code, trim(dataset_name.unnest) as dataset_name
    from definitions as def
    cross join unnest(string_split(def.source_datasets, ';')) as dataset_name
),

expected as (
    select prd.period, dse.unit_code, dse.dataset_name
    from periods as prd
    inner join datasets_expected as dse on prd.period_half = dse.period_half
),

received as (
    select distinct flv.period, flv.unit_code, unnest(flv.dataset_names) as dataset_name
    from file_versions as flv
    where flv.is_current and flv.status in ('loaded', 'loaded_with_issues')
),

expected_status as (
    select
        msd.measure_code,
        exp.period,
        exp.unit_code,
        exp.dataset_name,
        rcv.unit_code is not null as was_received
    from measure_datasets as msd
    inner join expected as exp on msd.dataset_name = exp.dataset_name
    left join received as rcv
        on exp.period = rcv.period and exp.unit_code = rcv.unit_code and exp.dataset_name = rcv.dataset_name
),

final as (
    select
        est.measure_code,
        est.period,
        count(*) as units_expected,
        count(*) filter (where est.was_received) as units_received,
        round(count(*) filter (where est.was_received) / count(*), 4) as completeness
    from expected_status as est
    group by est.measure_code, est.period
)

select * from final
