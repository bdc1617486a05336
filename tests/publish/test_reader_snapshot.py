"""The readers' snapshot: marts, quality and reference only, replaced by rename so an open reader never blocks it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from publish.reader_snapshot import publish_reader_snapshot, reader_snapshot_path


def _warehouse(path: Path, value: int) -> None:
    con = duckdb.connect(str(path))
    try:
        for schema in ("marts", "quality", "reference", "pii", "raw", "intermediate"):
            con.execute(f"create schema if not exists {schema}")
        con.execute("create or replace table marts.indicator_values as select ? as value", [value])
        con.execute("create or replace table quality.row_issues as select 'ethnicity' as column_name")
        con.execute("create or replace table quality.ingest_row_issues as select 'Nguyễn Văn An,0912345678' as raw_value")
        con.execute("create or replace table reference.codes as select '01' as code")
        con.execute("create or replace table pii.persons as select 'Nguyễn Văn An' as full_name")
        con.execute("create or replace table raw.persons as select 'Nguyễn Văn An' as full_name")
        con.execute("create or replace table intermediate.work as select 1 as x")
    finally:
        con.close()


def test_the_snapshot_holds_published_schemas_only(tmp_path: Path) -> None:
    warehouse = tmp_path / "trithuc.duckdb"
    _warehouse(warehouse, 1)
    summary = publish_reader_snapshot(warehouse)
    assert summary.path == reader_snapshot_path(warehouse) == tmp_path / "published" / "trithuc.duckdb"
    assert set(summary.tables) == {"marts.indicator_values", "quality.row_issues", "reference.codes"}
    con = duckdb.connect(str(summary.path), read_only=True)
    try:
        schemas = {r[0] for r in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        assert schemas == {"marts", "quality", "reference"}  # no pii, raw or working tables; no rejected rows
    finally:
        con.close()
    assert not list(summary.path.parent.glob(".trithuc-*"))  # no temporary file left behind


def test_a_reader_holding_the_snapshot_open_never_blocks_the_next_publish(tmp_path: Path) -> None:
    warehouse = tmp_path / "trithuc.duckdb"
    _warehouse(warehouse, 1)
    target = publish_reader_snapshot(warehouse).path
    reader = duckdb.connect(str(target), read_only=True)  # an analyst's SQL tool, left open
    try:
        _warehouse(warehouse, 2)
        publish_reader_snapshot(warehouse)  # does not fail on the reader's lock
        assert reader.execute("select value from marts.indicator_values").fetchone() == (1,)  # its old version
        # the next open, by another process (in this one DuckDB would hand back the instance already open)
        fresh = subprocess.run(
            [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
             "print(c.execute('select value from marts.indicator_values').fetchone()[0])", str(target)],
            capture_output=True, text=True, check=True,
        )
        assert fresh.stdout.strip() == "2"
    finally:
        reader.close()
