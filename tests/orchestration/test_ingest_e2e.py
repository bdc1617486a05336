"""End to end through Dagster: materialize the raw assets on a small generated landing zone and check the
accounting, file by file, against what the generator wrote; a second run adds nothing; a correction replaces."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from ingest.connect import open_warehouse
from ingest.datasets import DATASETS
from orchestration.defs.ingest.assets import land_submissions
from orchestration.defs.resources import WarehouseResource

pytestmark = pytest.mark.e2e


def _materialize(landing, warehouse):
    resource = WarehouseResource(database=str(warehouse), landing=str(landing))
    result = dg.materialize([land_submissions], resources={"warehouse": resource})
    assert result.success
    return result


def _manifest(warehouse) -> pd.DataFrame:
    with open_warehouse(Path(warehouse), read_only=True) as con:
        return con.sql("select * from quality.file_manifest").df()


def _raw_count(warehouse) -> int:
    with open_warehouse(Path(warehouse), read_only=True) as con:
        return sum(con.execute(f"select count(*) from raw.{d}").fetchone()[0] for d in DATASETS)


def test_accounting_matches_the_generator_file_by_file(fresh_landing, tmp_path):
    landing, truth = fresh_landing
    files = pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False)
    # Corrections are dropped in by a later test; here, only what the landing zone holds now.
    files = files[files["in_landing"] == "True"]
    warehouse = tmp_path / "wh.duckdb"
    result = _materialize(landing, warehouse)
    manifest = _manifest(warehouse)
    # the zone's fingerprint it loaded, for the landing sensor to start from (issue #17)
    from orchestration.defs.ingest.assets import LANDING_DIGEST, MANIFEST_KEY
    from orchestration.defs.ingest.sensors import landing_fingerprint

    recorded = next(m for m in result.get_asset_materialization_events() if m.asset_key == MANIFEST_KEY)
    assert recorded.materialization.metadata[LANDING_DIGEST].value == landing_fingerprint(landing)[0]

    # every file received has exactly one manifest row, and the invariant holds for each
    assert sorted(manifest["source_file"]) == sorted(files["source_file"])
    assert (manifest["rows_read"] == manifest["rows_loaded"] + manifest["rows_rejected"] + manifest["rows_skipped"]).all()

    merged = files.merge(manifest, on="source_file", suffixes=("_truth", ""))
    for row in merged.itertuples():
        expected_loaded = row.expected_status == "loaded"
        assert row.status.startswith("loaded") == expected_loaded, (row.source_file, row.status, row.message_en)
        if row.expected_status == "rejected":
            assert row.message_vi and row.message_en, row.source_file
            continue
        assert row.rows_read == int(row.rows_read_truth), (row.source_file, "rows_read")
        assert row.rows_loaded == int(row.rows_data), (row.source_file, "rows_loaded")
        assert row.rows_rejected == int(row.rows_rejected_truth), (row.source_file, "rows_rejected")
        assert row.rows_skipped_blank == int(row.rows_skipped_blank_truth), (row.source_file, "blank")
        assert row.rows_skipped_total == int(row.rows_skipped_total_truth), (row.source_file, "total")
        assert row.rows_skipped_note == int(row.rows_skipped_note_truth), (row.source_file, "note")

    # rows in the raw tables are exactly the loaded rows of current files
    loaded = manifest.loc[manifest["is_current"], "rows_loaded"].sum()
    assert _raw_count(warehouse) == loaded

    # every rejected file and row has a reason in quality.ingest_row_issues
    with open_warehouse(Path(warehouse), read_only=True) as con:
        n_file_issues = con.execute(
            "select count(distinct source_file) from quality.ingest_row_issues where source_row is null"
        ).fetchone()[0]
        n_row_issues = con.execute(
            "select count(*) from quality.ingest_row_issues where source_row is not null"
        ).fetchone()[0]
    assert n_file_issues == (manifest["status"] == "rejected").sum()
    assert n_row_issues == manifest["rows_rejected"].sum()


def test_second_run_changes_nothing(fresh_landing, tmp_path):
    landing, _ = fresh_landing
    warehouse = tmp_path / "wh.duckdb"
    _materialize(landing, warehouse)
    before = (_manifest(warehouse).sort_values("source_file").reset_index(drop=True), _raw_count(warehouse))
    _materialize(landing, warehouse)
    after = (_manifest(warehouse).sort_values("source_file").reset_index(drop=True), _raw_count(warehouse))
    pd.testing.assert_frame_equal(before[0], after[0])
    assert before[1] == after[1]


def test_corrected_file_replaces_the_earlier_one_and_history_is_kept(fresh_landing, tmp_path):
    landing, truth = fresh_landing
    warehouse = tmp_path / "wh.duckdb"
    _materialize(landing, warehouse)
    files = pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False)
    corrections = files[files["replaces"] != ""]
    assert not corrections.empty, "the generator writes a corrected re-submission"
    row = corrections.iloc[0]
    src = truth / "resubmissions" / row["source_file"]
    dest = landing / row["source_file"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)
    os.utime(dest)  # it arrives now, after the original
    _materialize(landing, warehouse)
    manifest = _manifest(warehouse)
    old = manifest[manifest["source_file"] == row["replaces"]]
    new = manifest[manifest["source_file"] == row["source_file"]]
    assert (old["status"] == "replaced").all() and not old["is_current"].any()
    assert new["is_current"].all() and new["status"].str.startswith("loaded").all()
    with open_warehouse(Path(warehouse), read_only=True) as con:
        left = con.execute(
            f"select count(*) from raw.{row['dataset']} where source_file = ?", [row["replaces"]]
        ).fetchone()[0]
        now = con.execute(
            f"select count(*) from raw.{row['dataset']} where source_file = ?", [row["source_file"]]
        ).fetchone()[0]
    assert left == 0
    assert now == int(row["rows_data"])
