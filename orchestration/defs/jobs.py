"""Jobs and schedules that span concepts."""

from __future__ import annotations

import dagster as dg

from ingest.periods import TIMEZONE
from orchestration.defs.alerts import run_failure_alert
from orchestration.defs.ingest.sensors import build_landing_sensor
from orchestration.defs.partitions import landing_periods, period_range_tags
from settings import landing_path

everything_job = dg.define_asset_job(
    "everything",
    # The units' pre-filled templates for their next report are built after a period's deadline, by the period
    # schedules (job publish_indicators), not on every landing: at a million people the first build takes a minute.
    selection=dg.AssetSelection.all() - dg.AssetSelection.keys("report_templates"),
    description="Land every new file, encode and resolve persons, check quality, publish indicators and packages.",
)

land_job = dg.define_asset_job(
    "land",
    selection=dg.AssetSelection.groups("raw"),
    description="Land new and changed files only, with the checks on the landed tables (no dbt build): a quick "
    "look at what arrived (`python -m orchestration.run_all --job land`).",
)


@dg.schedule(
    name="daily_refresh",
    job=everything_job,
    cron_schedule="0 6 * * *",
    execution_timezone=TIMEZONE.key,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every morning at 06:00 (Vietnam time): pick up anything the sensor has not, rebuild the marts, "
    "publish every period the landing zone holds.",
)
def daily_schedule(context: dg.ScheduleEvaluationContext):
    return dg.RunRequest(tags=period_range_tags(landing_periods(landing_path())))


landing_zone_sensor = build_landing_sensor(everything_job)

defs = dg.Definitions(
    jobs=[everything_job, land_job],
    schedules=[daily_schedule],
    sensors=[landing_zone_sensor, run_failure_alert],
)
