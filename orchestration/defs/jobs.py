"""Jobs and schedules that span concepts."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.ingest.sensors import build_landing_sensor

TIMEZONE = "Asia/Ho_Chi_Minh"

everything_job = dg.define_asset_job(
    "everything",
    selection=dg.AssetSelection.all(),
    description="Land every new file, encode and resolve persons, check quality, publish indicators and packages.",
)

daily_schedule = dg.ScheduleDefinition(
    name="daily_refresh",
    job=everything_job,
    cron_schedule="0 6 * * *",
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every morning at 06:00 (Vietnam time): pick up anything the sensor has not, rebuild the marts.",
)

landing_zone_sensor = build_landing_sensor(everything_job)

defs = dg.Definitions(jobs=[everything_job], schedules=[daily_schedule], sensors=[landing_zone_sensor])
