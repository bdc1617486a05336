import dagster as dg

from ingest.periods import TIMEZONE, day_after_deadline_cron
from orchestration.defs.national.assets import national_package

national_handover_job = dg.define_asset_job(
    "national_handover",
    selection=dg.AssetSelection.assets(national_package),
    description="Build the hand-over package for the national system for a period (on demand: launch this job "
    "for a partition).",
)


@dg.schedule(
    name="annual_national_handover",
    job=national_handover_job,
    cron_schedule=day_after_deadline_cron(2, hour=7),  # the annual report is half 2's (seed reporting_halves)
    execution_timezone=TIMEZONE.key,
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
