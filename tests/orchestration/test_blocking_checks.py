"""A blocking quality check that fails stops the assets downstream of the table it validates."""

from __future__ import annotations

import os
from dataclasses import replace

import dagster as dg
import duckdb
import pytest

from orchestration.defs.ingest.assets import land_submissions
from orchestration.defs.resources import WarehouseResource

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]


def _landed(fresh_landing, tmp_path, monkeypatch):
    """A warehouse with the generated landing zone loaded through the real asset; the path of its DuckDB file."""
    landing, _ = fresh_landing
    warehouse = tmp_path / "trithuc.duckdb"
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("TRITHUC_LANDING", str(landing))
    resource = WarehouseResource(database=str(warehouse), landing=str(landing))
    assert dg.materialize([land_submissions], resources={"warehouse": resource}).success
    return warehouse


def _run(job_def) -> dg.ExecuteInProcessResult:
    """``job_def`` resolved against the project's definitions, run in process on a throwaway instance."""
    from orchestration.definitions import defs

    job = dg.Definitions.merge(defs(), dg.Definitions(jobs=[job_def])).resolve_job_def(job_def.name)
    with dg.instance_for_test() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


def test_failed_blocking_check_on_raw_persons_stops_the_marts(fresh_landing, tmp_path, monkeypatch, dbt_manifest):
    warehouse = _landed(fresh_landing, tmp_path, monkeypatch)

    # The defect the check exists for: a row that says nothing about where it came from.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.persons set source_file = null where rowid = (select min(rowid) from raw.persons)")

    # Everything except landing (the defective raw table stays as it is), with every check.
    after_landing = dg.define_asset_job(
        "after_landing",
        selection=(dg.AssetSelection.all() - dg.AssetSelection.assets(land_submissions))
        | dg.AssetSelection.checks_for_assets(land_submissions),
    )
    result = _run(after_landing)
    checks = {e.asset_check_key.to_user_string(): e.passed for e in result.get_asset_check_evaluations()}
    assert checks["raw_submissions__persons:lineage_complete"] is False
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "dim_person" not in materialized
    assert not os.path.exists(tmp_path / "outbox")


def test_a_suite_that_cannot_run_fails_its_own_checks_and_the_others_still_report(
    fresh_landing, tmp_path, monkeypatch, dbt_manifest
):
    """The landing's suites share one Dagster step: an error in one suite (here raw_awards) fails that suite's
    checks with the reason, and every other suite of the step still runs and reports."""
    import orchestration.defs.quality.checks as checks

    warehouse = _landed(fresh_landing, tmp_path, monkeypatch)

    def broken_load(con, period):
        raise RuntimeError("suite bug")

    monkeypatch.setitem(checks.SUITES, "raw_awards", replace(checks.SUITES["raw_awards"], load=broken_load))
    only_checks = dg.define_asset_job(
        "landing_checks", selection=dg.AssetSelection.checks_for_assets(land_submissions)
    )
    result = _run(only_checks)
    evaluations = result.get_asset_check_evaluations()
    awards = [e for e in evaluations if e.asset_check_key.asset_key.path[-1] == "raw_submissions__awards"]
    assert awards and all(not e.passed for e in awards)
    assert all("RuntimeError: suite bug" in e.metadata["reason"].value for e in awards)
    persons = {e.asset_check_key.name: e.passed for e in evaluations if e.asset_check_key.asset_key.path[-1] == "raw_submissions__persons"}
    assert persons and all(persons.values())
    assert any(e.asset_check_key.asset_key.path[-1] == "file_manifest" for e in evaluations)
    # the suites that ran are recorded and have their Data Docs page (rendered together after the last suite)
    page = next(e for e in evaluations if e.asset_check_key.asset_key.path[-1] == "raw_submissions__persons").metadata["data_docs"]
    assert os.path.isfile(page.value)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        recorded = {r[0] for r in con.execute("select distinct suite from quality.validation_results").fetchall()}
    assert "raw_persons" in recorded and "file_manifest" in recorded and "raw_awards" not in recorded
