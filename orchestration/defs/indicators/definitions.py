import dagster as dg

from orchestration.defs.indicators.assets import indicator_package

TIMEZONE = "Asia/Ho_Chi_Minh"

indicator_package_job = dg.define_asset_job(
    "publish_indicators",
    selection=dg.AssetSelection.assets(indicator_package) | dg.AssetSelection.keys("report_templates"),
    description="Exports and report for the periods chosen (a partition or a range of them), then each unit's "
    "pre-filled template for its next report: re-publishes from the marts as they are, without landing or "
    "rebuilding anything. The period schedules run it the day after each deadline.",
)


def _period_schedule(name: str, cron: str, half: int, what: str) -> dg.ScheduleDefinition:
    @dg.schedule(
        name=name,
        job=indicator_package_job,
        cron_schedule=cron,
        execution_timezone=TIMEZONE,
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
    "half_year_indicator_package",
    "0 7 21 6 *",
    1,
    "The half-year package, the day after the 20 June deadline.",
)
annual_schedule = _period_schedule(
    "annual_indicator_package", "0 7 6 12 *", 2, "The annual package, the day after the 5 December deadline."
)

defs = dg.Definitions(
    assets=[indicator_package], jobs=[indicator_package_job], schedules=[half_year_schedule, annual_schedule]
)
