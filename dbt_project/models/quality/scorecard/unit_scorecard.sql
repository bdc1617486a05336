{#
    One row per unit of the registry and period present in the manifest: what the unit had to send
    (int_unit_datasets_expected), what it sent, whether on time (the deadline of seeds/registry/reporting_halves.csv),
    and how good the rows were. A dataset counts as delivered when a non-rejected version of a file carrying it
    arrived (a replaced version still proves the date); rows and issues count only the current files.
    The raw rows are counted where staging reads them (required cells of var required_fields, coded values, CCCDs,
    repeated rows): personal fields are counted there, never kept.
#}

{#- each dataset and its staging model -#}
{% set staging_models = {
    'persons': 'stg_submissions__persons', 'population': 'stg_submissions__populations',
    'budget': 'stg_submissions__budgets', 'st_tasks': 'stg_submissions__st_tasks',
    'patents': 'stg_submissions__patents', 'awards': 'stg_submissions__awards',
    'enterprises': 'stg_submissions__enterprises', 'vocational': 'stg_submissions__vocational_institutions',
    'teacher_training': 'stg_submissions__teacher_trainings', 'labour_force': 'stg_submissions__labour_forces',
} %}

with

registry as (

    select * from {{ ref('unit_registry') }}

),

datasets_expected as (

    select * from {{ ref('int_unit_datasets_expected') }}

),

reporting_halves as (

    select * from {{ ref('reporting_halves') }}

),

manifest as (

    -- an Excel lock file or a hidden file is recorded ('ignored') but is no submission
    select * from {{ ref('stg_ingest__files') }}
    where status <> 'ignored'

),

row_issues as (

    select * from {{ ref('row_issues') }}

),

persons as (

    select * from {{ ref('stg_submissions__persons') }}

),

periods as (

    select distinct
        manifest.period,
        manifest.period_half,
        make_date(manifest.period_year, reporting_halves.deadline_month, reporting_halves.deadline_day) as deadline
    from manifest
    inner join reporting_halves
        on manifest.period_half = reporting_halves.half
    where manifest.is_period_well_formed

),

expected as (

    select
        reg.unit_code,
        reg.unit_kind,
        reg.name_vi as unit_name_vi,
        per.period,
        per.deadline,
        coalesce(
            list(dse.dataset_name order by dse.dataset_position) filter (where dse.dataset_name is not null), []
        ) as datasets_expected
    from registry as reg
    cross join periods as per
    left join datasets_expected as dse
        on reg.unit_code = dse.unit_code and per.period_half = dse.period_half
    group by reg.unit_code, reg.unit_kind, reg.name_vi, per.period, per.deadline

),

delivered_files as (

    select
        m.unit_code,
        m.unit_kind,
        m.period,
        unnest(m.dataset_names) as dataset,
        m.received_at,
        m.received_on_setup
    from manifest as m
    -- a rejected file delivers nothing; a withdrawn one (gone from the landing zone) no longer does
    where m.status not in ('rejected', 'withdrawn')

),

delivered as (

    select
        unit_code,
        unit_kind,
        period,
        dataset,
        min(received_at) as first_received_at,
        -- first seen in the warehouse's very first pass: when it really arrived is not known
        bool_or(received_on_setup) as received_on_setup
    from delivered_files
    group by all

),

delivered_by_unit as (

    select
        d.unit_code,
        d.unit_kind,
        d.period,
        list_sort(list(distinct d.dataset)) as datasets_received,
        list_sort(list(distinct d.dataset) filter (
            where not d.received_on_setup and d.first_received_at >= cast(per.deadline as timestamp) + interval 1 day
        )) as datasets_late,
        list_sort(list(distinct d.dataset) filter (where d.received_on_setup)) as datasets_received_on_setup,
        max(d.first_received_at) as last_dataset_received_at
    from delivered as d
    inner join periods as per on d.period = per.period
    group by all

),

files_by_unit as (

    select
        unit_code,
        unit_kind,
        period,
        count(*) as file_versions_received,
        count(*) filter (where is_current and status = 'rejected') as files_rejected,
        count(*) filter (where is_current and status <> 'rejected') as files_current,
        min(received_at) as first_received_at,
        coalesce(sum(rows_read) filter (where is_current), 0) as rows_read,
        coalesce(sum(rows_loaded) filter (where is_current), 0) as rows_loaded,
        coalesce(sum(rows_rejected) filter (where is_current), 0) as rows_rejected,
        coalesce(sum(rows_skipped) filter (where is_current), 0) as rows_skipped
    from manifest
    group by all

),

required_cells as (

    {% for dataset, model in staging_models.items() %}
        select
            unit_code,
            unit_kind,
            period,
            count(*) * {{ required_cell_count(dataset) }} as required_cells,
            coalesce(sum(required_cells_filled), 0) as required_cells_filled
        from {{ ref(model) }}
        group by all
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

required_by_unit as (

    select
        unit_code,
        unit_kind,
        period,
        sum(required_cells) as required_cells,
        sum(required_cells_filled) as required_cells_filled
    from required_cells
    group by all

),

persons_by_unit as (

    select
        unit_code,
        unit_kind,
        period,
        cast(sum(coded_values_sent) as bigint) as coded_values,
        count(*) filter (where cccd_sent) as cccd_filled
    from persons
    group by all

),

duplicates_by_unit as (

    select
        unit_code,
        unit_kind,
        period,
        sum(copies - 1) as duplicate_rows
    from (
        select unit_code, unit_kind, period, source_file, content_hash, count(*) as copies
        from persons
        group by all
    ) as grouped
    group by all

),

issues_by_unit as (

    select
        unit_code,
        unit_kind,
        period,
        count(*) filter (where severity = 'error') as issue_errors,
        count(*) filter (where severity = 'warning') as issue_warnings,
        count(*) filter (where issue_code = 'unmapped_value') as coded_values_unmapped,
        count(distinct source_file || '|' || coalesce(sheet_name, '') || '|' || cast(source_row as varchar)) filter (
            where issue_code like 'cccd%' and issue_code <> 'cccd_leading_zero_restored'
        ) as cccd_invalid
    from row_issues
    group by all

),

joined as (

    select
        e.unit_code,
        e.unit_kind,
        e.unit_name_vi,
        e.period,
        e.deadline,
        e.datasets_expected,
        coalesce(list_filter(d.datasets_received, lambda ds: list_contains(e.datasets_expected, ds)), [])
            as datasets_received,
        list_filter(e.datasets_expected, lambda ds: not list_contains(coalesce(d.datasets_received, []), ds))
            as datasets_missing,
        coalesce(list_filter(d.datasets_late, lambda ds: list_contains(e.datasets_expected, ds)), []) as datasets_late,
        coalesce(list_filter(d.datasets_received_on_setup, lambda ds: list_contains(e.datasets_expected, ds)), [])
            as datasets_received_on_setup,
        f.first_received_at,
        d.last_dataset_received_at,
        coalesce(f.file_versions_received, 0) as file_versions_received,
        coalesce(f.files_current, 0) as files_current,
        coalesce(f.files_rejected, 0) as files_rejected,
        cast(coalesce(f.rows_read, 0) as bigint) as rows_read,
        cast(coalesce(f.rows_loaded, 0) as bigint) as rows_loaded,
        cast(coalesce(f.rows_rejected, 0) as bigint) as rows_rejected,
        cast(coalesce(f.rows_skipped, 0) as bigint) as rows_skipped,
        cast(coalesce(r.required_cells, 0) as bigint) as required_cells,
        cast(coalesce(r.required_cells_filled, 0) as bigint) as required_cells_filled,
        coalesce(p.coded_values, 0) as coded_values,
        coalesce(i.coded_values_unmapped, 0) as coded_values_unmapped,
        coalesce(p.cccd_filled, 0) as cccd_filled,
        coalesce(i.cccd_invalid, 0) as cccd_invalid,
        cast(coalesce(dup.duplicate_rows, 0) as bigint) as duplicate_rows,
        coalesce(i.issue_errors, 0) as issue_errors,
        coalesce(i.issue_warnings, 0) as issue_warnings
    from expected as e
    left join delivered_by_unit as d
        on e.unit_code = d.unit_code and e.unit_kind = d.unit_kind and e.period = d.period
    left join files_by_unit as f
        on e.unit_code = f.unit_code and e.unit_kind = f.unit_kind and e.period = f.period
    left join required_by_unit as r
        on e.unit_code = r.unit_code and e.unit_kind = r.unit_kind and e.period = r.period
    left join persons_by_unit as p
        on e.unit_code = p.unit_code and e.unit_kind = p.unit_kind and e.period = p.period
    left join duplicates_by_unit as dup
        on e.unit_code = dup.unit_code and e.unit_kind = dup.unit_kind and e.period = dup.period
    left join issues_by_unit as i
        on e.unit_code = i.unit_code and e.unit_kind = i.unit_kind and e.period = i.period

),

final as (

    select
        unit_code,
        unit_kind,
        unit_name_vi,
        period,
        deadline,
        array_to_string(datasets_expected, ',') as datasets_expected,
        array_to_string(datasets_received, ',') as datasets_received,
        array_to_string(datasets_missing, ',') as datasets_missing,
        array_to_string(datasets_late, ',') as datasets_late,
        len(datasets_expected) as datasets_expected_count,
        len(datasets_received) as datasets_received_count,
        len(datasets_received) > 0 as is_submitted,
        len(datasets_missing) = 0 as is_complete,
        case
            when len(datasets_received) = 0 then null
            when len(datasets_late) > 0 then false
            when len(datasets_received_on_setup) > 0 then null  -- arrived before the warehouse existed
            else true
        end as is_on_time,
        array_to_string(datasets_received_on_setup, ',') as datasets_received_on_setup,
        case
            when len(datasets_late) > 0
                then date_diff('day', deadline, cast(last_dataset_received_at as date))
            else 0
        end as days_late,
        first_received_at,
        last_dataset_received_at,
        file_versions_received,
        files_current,
        files_rejected,
        rows_read,
        rows_loaded,
        rows_rejected,
        rows_skipped,
        required_cells,
        required_cells_filled,
        round(required_cells_filled / nullif(required_cells, 0), 4) as required_filled_share,
        coded_values,
        coded_values_unmapped,
        round(1 - coded_values_unmapped / nullif(coded_values, 0), 4) as coded_mapped_share,
        cccd_filled,
        cccd_invalid,
        round(1 - cccd_invalid / nullif(cccd_filled, 0), 4) as cccd_valid_share,
        duplicate_rows,
        issue_errors,
        issue_warnings,
        case
            when len(datasets_expected) = 0 then 'not_expected'
            when len(datasets_received) = 0 then 'missing'
            when len(datasets_missing) > 0 then 'incomplete'
            when len(datasets_late) > 0 then 'late'
            when files_rejected > 0 or rows_rejected > 0 or issue_errors > 0 then 'errors'
            when issue_warnings > 0 or duplicate_rows > 0 then 'warnings'
            else 'ok'
        end as submission_status,
        -- worst first: what is missing, then late, then rejected rows and issues
        cast(
            len(datasets_missing) * 1000000 + len(datasets_late) * 100000 + files_rejected * 10000
            + rows_rejected * 100 + issue_errors * 100 + issue_warnings + duplicate_rows as bigint
        ) as problem_score
    from joined

)

select * from final
