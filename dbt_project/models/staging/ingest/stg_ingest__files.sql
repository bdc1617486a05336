{#
    One row per file version the loader saw (quality.file_manifest): what it was, where it came from, what
    became of its rows. The period is split into year and half when it is well formed (var period_regex); the
    datasets the file carried become a list.
#}
with

source as (

    select * from {{ source('ingest', 'file_manifest') }}

),

renamed as (

    select
        source_file,
        file_sha256,
        unit_code,
        unit_kind,
        period,
        regexp_full_match(period, '{{ var("period_regex") }}') as is_period_well_formed,
        case when regexp_full_match(period, '{{ var("period_regex") }}')
                then cast(left(period, 4) as integer)
        end as period_year,
        case when regexp_full_match(period, '{{ var("period_regex") }}')
                then cast(right(period, 1) as integer)
        end as period_half,
        datasets,
        list_filter(
            list_transform(string_split(coalesce(datasets, ''), ','), lambda dataset: trim(dataset)),
            lambda dataset: dataset <> ''
        ) as dataset_names,
        status,
        is_current,
        rows_read,
        rows_loaded,
        rows_rejected,
        rows_skipped,
        received_at,
        -- first seen in the warehouse's very first pass: when it really arrived is not known
        coalesce(received_on_setup, false) as received_on_setup

    from source

)

select * from renamed
