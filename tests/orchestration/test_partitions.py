"""Reporting periods as Dagster partitions (issue #17): the UI can publish or backfill a period, and the runs that
land files publish every period the landing zone holds in one run."""

from __future__ import annotations

import dagster as dg

from ingest.periods import FIRST_PERIOD, current_period


def test_partitions_run_from_the_first_period_to_the_current_half_year():
    from orchestration.defs.partitions import REPORTING_PERIODS

    keys = REPORTING_PERIODS.get_partition_keys()
    assert keys[0] == FIRST_PERIOD.code and keys[-1] == current_period().code
    assert len(keys) == len(set(keys)) and keys == sorted(keys)


def test_range_tags_cover_the_landing_zones_periods_and_nothing_else(tmp_path):
    from orchestration.defs.partitions import (
        RANGE_END_TAG,
        RANGE_START_TAG,
        landing_periods,
        period_range_tags,
    )

    for name in ("2026-H1", "2025-H2", "2099-H1", "2026-Q3", "2019-H1", "notes"):
        (tmp_path / name).mkdir()
    (tmp_path / "2026-H2.txt").write_text("a file, not a period folder")
    periods = landing_periods(tmp_path)
    assert periods == ["2019-H1", "2025-H2", "2026-H1"]  # well formed, not future, oldest first
    # 2019-H1 is before the plan's first reporting period: not a partition
    assert period_range_tags(periods) == {RANGE_START_TAG: "2025-H2", RANGE_END_TAG: "2026-H1"}
    assert period_range_tags(["2099-H1"]) == {} and landing_periods(tmp_path / "missing") == []


def test_the_publishing_assets_are_partitioned_and_the_landing_run_asks_for_a_range(tmp_path, monkeypatch):
    from orchestration.defs.indicators.assets import indicator_package
    from orchestration.defs.national.assets import national_package
    from orchestration.defs.partitions import RANGE_END_TAG, RANGE_START_TAG, REPORTING_PERIODS
    from orchestration.defs.quality.assets import quality_reports

    assert indicator_package.partitions_def == REPORTING_PERIODS == quality_reports.partitions_def
    assert national_package.partitions_def == REPORTING_PERIODS
    monkeypatch.setenv("TRITHUC_LANDING", str(tmp_path))
    from orchestration.defs.jobs import landing_zone_sensor

    f = tmp_path / "2026-H1" / "ward" / "26068" / "ds.csv"
    f.parent.mkdir(parents=True)
    f.write_text("Họ và tên\nNguyễn Văn A\n", encoding="utf-8")
    request = landing_zone_sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(request, dg.RunRequest)
    assert request.tags[RANGE_START_TAG] == request.tags[RANGE_END_TAG] == "2026-H1"


def test_every_period_scoped_output_is_partitioned_by_period_and_nothing_else_is(dbt_manifest):
    """Issue #17: exports and report (indicator_package), the scorecard page and feedback workbooks
    (quality_reports) and the national package are one partition per reporting period, a range in one run; the dbt
    models they read, unit_scorecard included, hold every period in one table and are not partitioned."""
    from orchestration.definitions import defs
    from orchestration.defs.partitions import REPORTING_PERIODS, SINGLE_RUN

    graph = (defs() if callable(defs) else defs).resolve_asset_graph()
    partitioned = {
        k.to_user_string(): graph.get(k) for k in graph.get_all_asset_keys() if graph.get(k).partitions_def
    }
    assert set(partitioned) == {"indicator_package", "quality_reports", "national_package"}
    for key, node in partitioned.items():
        assert node.partitions_def == REPORTING_PERIODS, key
        assert node.backfill_policy == SINGLE_RUN, key
    scorecards = partitioned["quality_reports"]
    assert dg.AssetKey("unit_scorecard") in scorecards.parent_keys
    assert "quality/{period}.html" in scorecards.description and "scorecard" in scorecards.description
