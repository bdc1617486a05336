-- Every reporting period for which a current file was accepted, with its position on the time axis.
with

file_manifest as (
    select * from {{ source('ingest', 'file_manifest') }}
),

periods as (
    select distinct fm.period
    from file_manifest as fm
    where fm.is_current and fm.status in ('loaded', 'loaded_with_issues')
      and regexp_full_match(fm.period, '{{ var("period_regex") }}')
),

final as (
    select
        prd.period,
        cast(left(prd.period, 4) as integer) as period_year,
        cast(right(prd.period, 1) as integer) as period_half,
        right(prd.period, 1) = '2' as is_annual,
        -- years on a continuous axis: 2026-H1 = 2026.0, 2026-H2 = 2026.5
        cast(left(prd.period, 4) as integer) + (cast(right(prd.period, 1) as integer) - 1) * 0.5 as period_time
    from periods as prd
)

select * from final
