-- Share of the units expected to send a measure's source datasets in a period that did send them
-- (a current, loaded file containing the dataset). Annual datasets are expected in H2 periods only.
with

definitions as (
    select * from {{ ref('indicator_definitions') }}
),

unit_registry as (
    select * from {{ ref('unit_registry') }}
),

file_manifest as (
    select * from {{ source('ingest', 'file_manifest') }}
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
    select prd.period, reg.unit_code, trim(dataset_name.unnest) as dataset_name
    from unit_registry as reg
    cross join periods as prd
    cross join unnest(string_split(coalesce(reg.datasets_half_year, ''), ';')) as dataset_name
    where trim(dataset_name.unnest) <> ''
    union all
    select prd.period, reg.unit_code, trim(dataset_name.unnest) as dataset_name
    from unit_registry as reg
    cross join periods as prd
    cross join unnest(string_split(coalesce(reg.datasets_annual, ''), ';')) as dataset_name
    where trim(dataset_name.unnest) <> '' and prd.is_annual
),

received as (
    select distinct fm.period, fm.unit_code, trim(dataset_name.unnest) as dataset_name
    from file_manifest as fm
    cross join unnest(string_split(coalesce(fm.datasets, ''), ',')) as dataset_name
    where fm.is_current and fm.status in ('loaded', 'loaded_with_issues')
),

expected_status as (
    select
        msd.measure_code,
        exp.period,
        exp.unit_code,
        exp.dataset_name,
        rcv.unit_code is not null as was_received
    from measure_datasets as msd
    inner join expected as exp on exp.dataset_name = msd.dataset_name
    left join received as rcv
        on rcv.period = exp.period and rcv.unit_code = exp.unit_code and rcv.dataset_name = exp.dataset_name
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
