-- Every reporting period for which a current file was accepted, with its position on the time axis. Whether a
-- period is the annual report comes from seeds/registry/reporting_halves.csv.
with

file_versions as (
    select * from {{ ref('stg_ingest__files') }}
),

reporting_halves as (
    select * from {{ ref('reporting_halves') }}
),

periods as (
    select distinct
        flv.period,
        flv.period_year,
        flv.period_half
    from file_versions as flv
    where flv.is_current and flv.status in ('loaded', 'loaded_with_issues')
        and flv.is_period_well_formed
),

final as (
    select
        prd.period,
        prd.period_year,
        prd.period_half,
        rph.is_annual,
        -- years on a continuous axis: 2026-H1 = 2026.0, 2026-H2 = 2026.5
        prd.period_year + (prd.period_half - 1) * 0.5 as period_time
    from periods as prd
    inner join reporting_halves as rph on prd.period_half = rph.half
)

select * from final
