"""Reporting periods as Dagster partitions: the period-scoped publishing assets (indicator_package: exports and
report; quality_reports: the unit scorecard page and feedback workbooks; national_package) are partitioned by
period, so the UI shows which periods are published and its Backfills tab re-publishes a past period (or all of
them) without typing run config. The dbt models they read (quality.unit_scorecard, the indicator marts) hold every
period in one table and are rebuilt whole: they are not partitioned.

The partitions run from ingest.periods.FIRST_PERIOD to the current half-year when the code location loads (a new
half-year appears after the next reload: `make dev` restarts, or the UI's "Reload"). A run that lands files and
rebuilds the marts covers a range of periods in one run (BackfillPolicy.single_run): the landing sensor, the daily
schedule and `make run` ask for the periods the landing zone holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import dagster as dg

from ingest.periods import parse_period, publishable_periods, reporting_periods

REPORTING_PERIODS = dg.StaticPartitionsDefinition(reporting_periods())
SINGLE_RUN = dg.BackfillPolicy.single_run()  # a range of periods is one run, never one run per period

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def period_range_tags(periods: Iterable[str]) -> dict[str, str]:
    """Run tags asking for every partition from the earliest to the latest of ``periods`` that is a partition;
    {} when none is (the run then publishes nothing period-scoped)."""
    known = set(REPORTING_PERIODS.get_partition_keys())
    kept = [p for p in publishable_periods(periods) if p in known]
    if not kept:
        return {}
    return {RANGE_START_TAG: kept[0], RANGE_END_TAG: kept[-1]}


def landing_periods(landing: Path) -> list[str]:
    """The period folders of the landing zone (``<landing>/<period>/...``), well formed and not in the future."""
    if not landing.is_dir():
        return []
    return publishable_periods(p.name for p in landing.iterdir() if p.is_dir() and parse_period(p.name))


def periods_of_run(context: dg.AssetExecutionContext, present: Iterable[str]) -> list[str]:
    """The periods this run publishes: its partition range (one period when launched for one); a run launched
    without partitions (a job executed in process, "Materialize all" without choosing) publishes every reporting
    period among ``present``, oldest first."""
    if context.has_partition_key_range:
        return list(context.partition_keys)
    known = set(REPORTING_PERIODS.get_partition_keys())
    return [p for p in publishable_periods(present) if p in known]
