"""Build a tiny warehouse for dbt tests: raw.<dataset> tables (columns from ingest.datasets) and empty quality tables."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa

from ingest.config import restricted_path
from ingest.connect import ensure_restricted_store, open_warehouse
from ingest.datasets import DATASETS, raw_columns
from ingest.load import append_raw, ensure_tables

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "dbt"

FILE_MANIFEST_COLUMNS: dict[str, str] = {
    "source_file": "varchar", "file_sha256": "varchar", "file_size": "bigint", "unit_code": "varchar",
    "unit_kind": "varchar", "period": "varchar", "datasets": "varchar", "sheets": "varchar",
    "encoding": "varchar", "rows_read": "integer", "rows_loaded": "integer", "rows_rejected": "integer",
    "rows_skipped": "integer", "rows_skipped_blank": "integer", "rows_skipped_total": "integer",
    "rows_skipped_note": "integer", "status": "varchar", "is_current": "boolean", "message_vi": "varchar",
    "message_en": "varchar", "received_at": "timestamp", "ingested_at": "timestamp", "replaced_by": "varchar",
    "rows_skipped_section": "integer", "combine_rule": "varchar", "combine_reason": "varchar",
}
INGEST_ROW_ISSUES_COLUMNS: dict[str, str] = {
    "source_file": "varchar", "sheet_name": "varchar", "source_row": "integer", "column_name": "varchar",
    "raw_value": "varchar", "issue_code": "varchar", "severity": "varchar", "message_vi": "varchar",
    "message_en": "varchar", "unit_code": "varchar", "unit_kind": "varchar", "period": "varchar",
    "dataset": "varchar", "file_sha256": "varchar",
}
_TYPED_LINEAGE = {"source_row": "integer", "ingested_at": "timestamp"}


def create_raw_warehouse(
    warehouse: Path,
    persons: Iterable[Mapping[str, object]] = (),
    ingest_issues: Iterable[Mapping[str, object]] = (),
) -> None:
    """Create every raw table (persons filled from ``persons`` dicts; missing fields NULL) and the quality tables."""
    con = open_warehouse(warehouse)  # the restricted store attached (made beside it): the loader's two stores
    try:
        ensure_tables(con)
        for name in DATASETS:
            con.execute(f"delete from raw.{name}")
            if DATASETS[name].personal_fields:
                con.execute(f"delete from pii.raw_{name}")
        rows = list(persons)
        if rows:
            cols = raw_columns("persons") + DATASETS["persons"].personal_fields
            table = pa.table({c: [row.get(c) for row in rows] for c in cols})
            table = table.set_column(
                table.schema.get_field_index("source_row"), "source_row", table.column("source_row").cast(pa.int32())
            )
            if "ingested_at" in table.column_names and table.column("ingested_at").null_count == table.num_rows:
                table = table.set_column(
                    table.schema.get_field_index("ingested_at"), "ingested_at",
                    pa.nulls(table.num_rows, pa.timestamp("us")),
                )
            append_raw(con, "persons", table)
        for table, spec in (("file_manifest", FILE_MANIFEST_COLUMNS), ("ingest_row_issues", INGEST_ROW_ISSUES_COLUMNS)):
            ddl = ", ".join(f'"{c}" {t}' for c, t in spec.items())
            con.execute(f"create or replace table quality.{table} ({ddl})")
        for issue in ingest_issues:
            cols_i = list(INGEST_ROW_ISSUES_COLUMNS)
            con.execute(
                f"insert into quality.ingest_row_issues values ({', '.join('?' for _ in cols_i)})",
                [issue.get(c) for c in cols_i],
            )
    finally:
        con.close()


def run_dbt(warehouse: Path, *args: str, key: str | None = "test-key", extra_env: Mapping[str, str] | None = None,
            target_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the dbt CLI against ``warehouse`` (never the shared warehouse) and return the finished process."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRITHUC_PSEUDO_KEY", "TRITHUC_PSEUDO_KEY_FILE")}
    env.update({"TRITHUC_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    if key is not None:
        env["TRITHUC_PSEUDO_KEY"] = key
    if extra_env:
        env.update(extra_env)
    ensure_restricted_store(restricted_path(warehouse))  # as the Dagster dbt asset does before dbt attaches it
    cmd = [str(DBT_BIN), *args, "--profiles-dir", str(DBT_PROJECT_DIR)]
    if target_dir is not None:
        cmd += ["--target-path", str(target_dir)]
    return subprocess.run(cmd, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
