"""Results are recorded in quality.validation_results and pruned (table and Data Docs) by the retention rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from expectations import record_results, run_suite
from expectations.results import _Run, runs_to_keep
from expectations.runner import data_docs_dir, validation_store_dir
from tests.small_warehouse import PERIOD


def test_retention_rule_keeps_recent_runs_and_latest_per_period():
    t0 = datetime(2026, 1, 1)
    runs = [_Run("s", f"r{i}", t0 + timedelta(hours=i), PERIOD) for i in range(5)]
    runs.append(_Run("s", "old-h2", t0 - timedelta(days=300), "2025-H2"))
    keep = runs_to_keep(runs, per_suite=2)
    assert keep == {("s", "r4"), ("s", "r3"), ("s", "old-h2")}


def test_record_and_prune_table_and_docs(warehouse):
    for i in range(3):
        res = run_suite("dim_person", warehouse, PERIOD, f"run-{i}")
        assert res.data_docs_page and res.data_docs_page.endswith(".html")
        record_results(res, warehouse, per_suite=2)
    old = run_suite("dim_person", warehouse, "2025-H2", "run-h2")
    record_results(old, warehouse, per_suite=2)
    for i in range(3, 5):
        record_results(run_suite("dim_person", warehouse, PERIOD, f"run-{i}"), warehouse, per_suite=2)

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        runs = {
            r[0] for r in con.execute("select distinct run_id from quality.validation_results").fetchall()
        }
        row = con.execute(
            'select severity, success, observed_value, unexpected_count, "column" from quality.validation_results '
            "where run_id = 'run-4' and expectation = 'source_count_positive'"
        ).fetchone()
    finally:
        con.close()
    assert runs == {"run-3", "run-4", "run-h2"}  # the last 2 runs + the latest of the other period
    assert row[0] == "error" and row[1] is True and row[3] == 0 and row[4] == "source_count"
    store_runs = {p.name for p in (validation_store_dir(warehouse) / "dim_person").iterdir()}
    site_runs = {p.name for p in (data_docs_dir(warehouse) / "validations" / "dim_person").iterdir()}
    assert store_runs == site_runs == {"run-3", "run-4", "run-h2"}
    index = (data_docs_dir(warehouse) / "index.html").read_text("utf-8")
    assert "run-4" in index and "run-0" not in index


def test_recorded_rows_fill_every_column_of_the_table(warehouse):
    from expectations.results import TABLE

    record_results(run_suite("dim_person", warehouse, PERIOD, "run-cols", data_docs=False), warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(
            f"select run_at, period, suite, relation, expectation_type, severity, element_count, description "
            f"from {TABLE} where run_id = 'run-cols' and expectation = 'source_count_positive'"
        ).fetchone()
    finally:
        con.close()
    run_at, period, suite, relation, expectation_type, severity, element_count, description = row
    assert isinstance(run_at, datetime) and period == PERIOD and suite == "dim_person"
    assert relation == "marts.dim_person" and expectation_type == "expect_column_values_to_be_between"
    assert severity == "error" and element_count > 0 and description
