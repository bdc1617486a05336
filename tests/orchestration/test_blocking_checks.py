"""A blocking quality check that fails stops the assets downstream of the table it validates."""

from __future__ import annotations

import os

import dagster as dg
import duckdb
import pytest

from orchestration.defs.ingest.assets import land_submissions
from orchestration.defs.resources import WarehouseResource

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]


def test_failed_blocking_check_on_raw_persons_stops_the_marts(fresh_landing, tmp_path, monkeypatch, dbt_manifest):
    landing, _ = fresh_landing
    warehouse = tmp_path / "trithuc.duckdb"
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("TRITHUC_LANDING", str(landing))
    resource = WarehouseResource(database=str(warehouse), landing=str(landing))
    assert dg.materialize([land_submissions], resources={"warehouse": resource}).success

    # The defect the check exists for: a row that says nothing about where it came from.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.persons set source_file = null where rowid = (select min(rowid) from raw.persons)")

    from orchestration.definitions import defs

    # Everything except landing (the defective raw table stays as it is), with every check.
    after_landing = dg.define_asset_job(
        "after_landing",
        selection=(dg.AssetSelection.all() - dg.AssetSelection.assets(land_submissions))
        | dg.AssetSelection.checks_for_assets(land_submissions),
    )
    job = dg.Definitions.merge(defs(), dg.Definitions(jobs=[after_landing])).resolve_job_def("after_landing")
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
    checks = {e.asset_check_key.name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["raw_persons__lineage_complete"] is False
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "dim_person" not in materialized
    assert not os.path.exists(tmp_path / "outbox")
