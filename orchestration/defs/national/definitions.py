import dagster as dg

from orchestration.defs.national.assets import national_package

TIMEZONE = "Asia/Ho_Chi_Minh"

national_handover_job = dg.define_asset_job(
    "national_handover",
    selection=dg.AssetSelection.assets(national_package),
    description="Build the hand-over package for the national system for a period (on demand: launch this job "
    "for a partition).",
)



@dg.schedule(
    name="annual_national_handover",
    job=national_handover_job,
    cron_schedule="0 7 6 12 *",  # the day after the 5 December deadline for annual reports
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The year's hand-over package (its H2 partition), the day after the annual reports' deadline.",
)
def annual_handover_schedule(context: dg.ScheduleEvaluationContext):
    period = f"{context.scheduled_execution_time.year}-H2"
    if period not in national_package.partitions_def.get_partition_keys():
        return dg.SkipReason(f"{period} is not a partition yet: reload the code location")
    return dg.RunRequest(run_key=period, partition_key=period)


defs = dg.Definitions(
    assets=[national_package], jobs=[national_handover_job], schedules=[annual_handover_schedule]
)
