import dagster as dg

from orchestration.defs.national.assets import national_package

TIMEZONE = "Asia/Ho_Chi_Minh"

national_handover_job = dg.define_asset_job(
    "national_handover",
    selection=dg.AssetSelection.assets(national_package),
    description="Build the hand-over package for the national system (on demand: launch this job).",
)

annual_handover_schedule = dg.ScheduleDefinition(
    name="annual_national_handover",
    job=national_handover_job,
    cron_schedule="0 7 6 12 *",  # the day after the 5 December deadline for annual reports
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=[national_package], jobs=[national_handover_job], schedules=[annual_handover_schedule]
)
