import dagster as dg

from ingest.periods import TIMEZONE, day_after_deadline_cron
from orchestration.defs.indicators.assets import indicator_package

indicator_package_job = dg.define_asset_job(
    "publish_indicators",
    selection=dg.AssetSelection.assets(indicator_package) | dg.AssetSelection.keys("report_templates"),
    description="Exports and report for the periods chosen (a partition or a range of them), then each unit's "
    "pre-filled template for its next report: re-publishes from the marts as they are, without landing or "
    "rebuilding anything. The period schedules run it the day after each deadline.",
)


def _period_schedule(name: str, half: int, what: str) -> dg.ScheduleDefinition:
    """Publish the year's period ``half`` at 07:00 the day after its deadline (ingest.periods, from the seed
    reporting_halves)."""

    @dg.schedule(
        name=name,
        job=indicator_package_job,
        cron_schedule=day_after_deadline_cron(half, hour=7),
        execution_timezone=TIMEZONE.key,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=what,
    )
    def _schedule(context: dg.ScheduleEvaluationContext):
        period = f"{context.scheduled_execution_time.year}-H{half}"
        if period not in indicator_package.partitions_def.get_partition_keys():
            return dg.SkipReason(
                f"{period} is not a partition yet: reload the code location (it was loaded before {period} began)"
            )
        return dg.RunRequest(run_key=period, partition_key=period)

    return _schedule


half_year_schedule = _period_schedule(
    "half_year_indicator_package", 1, "The half-year package, the day after the half-year report's deadline."
)
annual_schedule = _period_schedule(
    "annual_indicator_package", 2, "The annual package, the day after the annual report's deadline."
)

defs = dg.Definitions(
    assets=[indicator_package], jobs=[indicator_package_job], schedules=[half_year_schedule, annual_schedule]
)
