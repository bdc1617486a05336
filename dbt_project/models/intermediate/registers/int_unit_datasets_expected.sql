{#
    What each unit of the registry must send, by half-year: one row per unit, half (1 = H1, 2 = H2) and dataset.
    The datasets come from seeds/registry/unit_registry.csv (datasets_half_year in every period, datasets_annual in
    the annual report's period: seeds/registry/reporting_halves.csv, is_annual); ingest/registry.py reads the same
    two files. dataset_position keeps the registry's order (the half-year datasets first). The unit scorecard and
    the indicators' completeness both read this model, never the registry's lists themselves.
#}
with

unit_registry as (

    select * from {{ ref('unit_registry') }}

),

reporting_halves as (

    select * from {{ ref('reporting_halves') }}

),

listed as (

    select
        unit_code,
        unit_kind,
        false as is_annual_dataset,
        string_split(coalesce(datasets_half_year, ''), ';') as dataset_names
    from unit_registry
    union all
    select
        unit_code,
        unit_kind,
        true as is_annual_dataset,
        string_split(coalesce(datasets_annual, ''), ';') as dataset_names
    from unit_registry

),

datasets as (

    select
        unit_code,
        unit_kind,
        is_annual_dataset,
        generate_subscripts(dataset_names, 1) as list_position,
        trim(unnest(dataset_names)) as dataset_name
    from listed

),

final as (

    select
        datasets.unit_code,
        datasets.unit_kind,
        reporting_halves.half as period_half,
        datasets.dataset_name,
        -- the half-year datasets first, then the annual ones, each in the registry's order
        case when datasets.is_annual_dataset then 1000 else 0 end + datasets.list_position as dataset_position
    from datasets
    inner join reporting_halves
        on not datasets.is_annual_dataset or reporting_halves.is_annual
    where datasets.dataset_name <> ''

)

select * from final
